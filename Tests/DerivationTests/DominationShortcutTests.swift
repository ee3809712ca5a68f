import XCTest
import Symbolic
@testable import Derivation

/// The domination rule's shortcuts (2026-12-02 evening): a ratio shown to tend to +∞ skips the sign proofs of
/// t <= c·s, the term test comes before the "term <= 0" test, and a min tries the operands that mention the growing
/// variable first. None may change a verdict: a term whose ratio grows but that is <= 0 is still dominated, and a
/// constant factor of unknown sign blocks the shortcut.
final class DominationShortcutTests: XCTestCase {
    /// Which of the one-step theorems `statement by algebra` along `as n -> oo fixed ...` do not check.
    private func refused(_ cases: [(fixed: String, statement: String)]) throws -> [String] {
        var text = """
        symbols
          n : integer >= 2
          M : real >= 1
          u : real in [0, 1]
          w : real in [0, 2]
          c : real

        """
        for (i, c) in cases.enumerated() {
            text += """
            theorem T\(i) "t" [derived]
              source "test"
              as n -> oo fixed \(c.fixed)
              \(c.statement)
            proof
              \(c.statement)   by algebra
            qed

            """
        }
        let reports = Checker(theory: try theory(text)).checkAll()
        return reports.filter { !$0.ok }.map { cases[Int($0.lemma.dropFirst())!].statement }
    }

    func testTrueStepsStillCheck() throws {
        let cases: [(fixed: String, statement: String)] = [
            // (u - 1)*n <= 0 <= 1: the ratio grows like n, but its constant u - 1 is not positive.
            ("u", "(u - 1)*n <~ 1"),
            ("u", "(u - 1)*n^2 + 1/n <~ 1/n"),
            // One operand of the min is bounded, the one without n.
            ("M", "min(M, n) <~ M"),
            ("M", "min(n^2, M) <~ 1"),
            // A bounding max: one operand suffices.
            ("M", "n^2 <~ max(M, n^2)"),
            ("M", "n <~ n*log(n)"),
            ("M", "M*n + n <~ n"),
        ]
        XCTAssertEqual(try refused(cases), [])
    }

    func testFalseStepsStayRefused() throws {
        let cases: [(fixed: String, statement: String)] = [
            // w = 2 makes (w - 1)*n = n, which no constant bounds.
            ("w", "(w - 1)*n <~ 1"),
            // c of unknown sign: c = 1 gives n.
            ("c", "c*n <~ 1"),
            ("M", "min(n, M*n) <~ 1"),
            ("M", "min(n, n^2) <~ log(n)"),
            ("M", "n^2 <~ max(1, n)"),
            ("M", "n*log(n) <~ n"),
            ("M", "2*n <~ n^(1/2)"),
            ("M", "M*n^2 <~ M*n"),
        ]
        let rejected = try refused(cases)
        XCTAssertEqual(rejected.count, cases.count, "accepted: \(Set(cases.map(\.statement)).subtracting(rejected))")
    }
}
