import Foundation
import XCTest
import SeededRandom
import Symbolic
@testable import Asymptotics

/// The growth the analyzer derives for random positive expressions in n matches the expression's numbers:
/// f(n) / (c·n^p) → 1, checked at n = 10^30. Replay with `GROWTH_SEED=<seed>`.
final class GrowthPropertyTests: XCTestCase {
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["GROWTH_SEED"] ?? "") ?? 0x6E_0057 }

    /// Positive expressions; exponents are multiples of 1/8 at this depth, so lower-order terms are at least
    /// n^(-1/8) behind (2e-4 at n = 10^30).
    static func expression(_ depth: Int, _ rng: inout SplitMix64) -> Expr {
        if depth == 0 || rng.int(0...4) == 0 {
            switch rng.int(0...5) {
            case 0, 1, 2: return .symbol("n")
            case 3: return .symbol(rng.int(0...1) == 0 ? "a" : "b")
            case 4: return Expr(rng.int(1...3))
            default: return .number(Rational(numerator: 1, denominator: 2)!)
            }
        }
        let x = expression(depth - 1, &rng), y = expression(depth - 1, &rng)
        switch rng.int(0...5) {
        case 0, 1: return x + y
        case 2: return x * y
        case 3: return x / y
        case 4: return .raise(x, .number(Rational(numerator: BigInt(rng.pick([-2, -1, 1, 3, 4])), denominator: 2)!))
        default: return .raise(x, Expr(rng.int(2...3)))
        }
    }

    func testDerivedGrowthMatchesNumbers() throws {
        let assumptions = try assuming(["a > 0", "b > 0"])
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: "n"), assumptions: assumptions)
        var rng = SplitMix64(seed: Self.seed)
        var failures: [String] = []
        var checked = 0
        for index in 0..<300 {
            let f = Self.expression(3, &rng)
            guard f.contains(symbol: "n") else { continue }
            let g = try analyzer.growth(of: f)
            XCTAssertEqual(g.logPower, .zero)
            let values: [String: Double] = ["a": 0.5 + Double(rng.int(0...100)) / 40, "b": 0.5 + Double(rng.int(0...100)) / 40]
            guard let p = try? g.exponent.evaluate(values), let c = try? g.coefficient.evaluate(values) else {
                failures.append("case \(index): growth of \(f) does not evaluate: \(g.exponent), \(g.coefficient)")
                continue
            }
            var point = values
            point["n"] = 1e30
            guard Swift.abs(p) <= 8, let v = try? f.evaluate(point), v.isFinite, v != 0 else { continue }
            checked += 1
            let ratio = v / (c * Foundation.pow(1e30, p))
            if !(Swift.abs(ratio - 1) < 1e-2) {
                failures.append("case \(index) (GROWTH_SEED=\(Self.seed)): \(f) ≍ \(g.coefficient)*n^(\(g.exponent)) but f/that = \(ratio) at \(point)")
            }
            if failures.count > 10 { break }
        }
        XCTAssertGreaterThan(checked, 150)
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// Leading terms that cancel leave the next one: after canonical simplification, or as an error.
    func testCancellingLeadingTerms() throws {
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: "n"), assumptions: Assumptions())
        XCTAssertEqual(try analyzer.growth(of: try parse("n^2 + n - n^2")).exponent, .one)
        XCTAssertEqual(try analyzer.growth(of: try parse("(n + 1)^2 - n^2")).exponent, .one)
        XCTAssertEqual(try analyzer.growth(of: try parse("(n + 1)^2 - n^2")).coefficient, Expr(2))
        XCTAssertEqual(try analyzer.growth(of: try parse("n*(n + 1) - n^2")).exponent, .one)
    }
}

