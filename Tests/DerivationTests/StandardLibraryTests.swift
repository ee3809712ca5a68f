import Foundation
import XCTest
import Symbolic
import SeededRandom
@testable import Derivation

/// The bundled standard inequalities are axioms the kernel trusts, so each is checked here numerically: at many
/// points where its symbols' domains and its hypotheses hold, the statement holds.
final class StandardLibraryTests: XCTestCase {
    static let values: [Double] = [-100, -10, -3, -2, -1, -0.999, -0.5, -0.1, -1e-3, 0, 1e-3, 0.1, 0.25, 0.5, 0.9, 1, 1.5, 2, M_E, 3, 4, 10, 100, 1e4]

    func sample(_ name: String, _ a: Assumptions, _ rng: inout SplitMix64) -> Double? {
        let range = a.interval(ofSymbol: name)
        for _ in 0..<40 {
            var v = StandardLibraryTests.values[Int(rng.next() % UInt64(StandardLibraryTests.values.count))]
            if rng.next() % 3 == 0 { v = (Double(rng.next() % 20_000) / 1000) - 10 }
            if a.isInteger(name) { v = v.rounded() }
            if let l = range.lower, v < l.doubleValue || (range.lowerOpen && v == l.doubleValue) { continue }
            if let u = range.upper, v > u.doubleValue || (range.upperOpen && v == u.doubleValue) { continue }
            return v
        }
        return nil
    }

    func holds(_ lhs: Double, _ op: RelationOperator, _ rhs: Double) -> Bool {
        let tolerance = 1e-9 * max(1, abs(lhs), abs(rhs))
        switch op {
        case .lessEqual, .less: return lhs <= rhs + tolerance
        case .greaterEqual, .greater: return lhs + tolerance >= rhs
        case .equal: return abs(lhs - rhs) <= tolerance
        default: return true
        }
    }

    func testEveryStandardInequalityHoldsNumerically() throws {
        let theory = try Theory.load(repositoryRoot.appendingPathComponent("theorems/standard/inequalities.bounds").path, from: .fileSystem)
        var rng = SplitMix64(seed: 20261201)
        var checked = 0
        for lemma in theory.orderedLemmas {
            let names = Set(lemma.statement.lhs.freeSymbols + lemma.statement.rhs.freeSymbols
                            + lemma.hypotheses.flatMap { $0.0.lhs.freeSymbols + $0.0.rhs.freeSymbols }).sorted()
            var points = 0
            for _ in 0..<4000 where points < 400 {
                var point: [String: Double] = [:]
                for n in names { guard let v = sample(n, theory.assumptions, &rng) else { break }; point[n] = v }
                guard point.count == names.count else { continue }
                // Conjugate exponents (Young): q follows from p.
                if let p = point["p"], lemma.hypotheses.contains(where: { $0.0.op == .equal }) { point["q"] = p / (p - 1) }
                let hypothesesHold = lemma.hypotheses.allSatisfy { h in
                    guard let l = try? h.0.lhs.evaluate(point), let r = try? h.0.rhs.evaluate(point) else { return false }
                    return h.0.op == .equal ? abs(l - r) <= 1e-12 : holds(l, h.0.op, r) && (h.0.op != .greater || l > r) && (h.0.op != .less || l < r)
                }
                guard hypothesesHold, let l = try? lemma.statement.lhs.evaluate(point), let r = try? lemma.statement.rhs.evaluate(point),
                      l.isFinite, r.isFinite else { continue }
                points += 1
                XCTAssertTrue(holds(l, lemma.statement.op, r), "\(lemma.id) is false at \(point): \(l) \(lemma.statement.op.rawValue) \(r)")
            }
            XCTAssertGreaterThan(points, 20, "\(lemma.id): too few admissible points were sampled")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 20)
    }

    func testTheLibraryIsCitedLikeAnyLemma() throws {
        let t = try theory("""
        import "\(repositoryRoot.appendingPathComponent("theorems/standard/inequalities.bounds").path)"
        symbols
          n : integer >= 2 "n"
          z : real > 0 "z"
        theorem T1 "tangent" [derived]
          source "test"
          1/n + 1 <= exp(1/n)
        proof
          1/n + 1 <= exp(1/n)    by exp_tangent
        qed
        theorem T2 "Young with p = q = 2" [derived]
          source "test"
          n*z <= n^2/2 + z^2/2
        proof
          n*z <= n^2/2 + z^2/2    by young [p := 2, q := 2]
        qed
        theorem T3 "Young with exponents that are not conjugate" [derived]
          source "test"
          n*z <= n^2/2 + z^3/3
        proof
          n*z <= n^2/2 + z^3/3    by young [p := 2, q := 3]
        qed
        """)
        let reports = Dictionary(uniqueKeysWithValues: Checker(theory: t).checkAll().map { ($0.lemma, $0.ok) })
        XCTAssertEqual(reports["T1"], true)
        XCTAssertEqual(reports["T2"], true)
        XCTAssertEqual(reports["T3"], false, "1/2 + 1/3 != 1: Young's hypothesis must be proved")
    }
}
