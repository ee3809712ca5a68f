import Foundation
import XCTest
import SeededRandom
@testable import Symbolic

/// The sign oracle: what it proves, the reason it gives, what it must leave unknown, and (fuzzed) that every
/// sign it claims holds at random points that satisfy the assumptions.
final class SignTests: XCTestCase {

    func assumptions(_ texts: [String]) throws -> Assumptions {
        var a = Assumptions()
        for t in texts { try a.assume(text: t) }
        return a
    }

    func e(_ text: String) throws -> Expr { try Parser.parseExpression(text) }

    func testTwoBetaPlusDIsPositiveGivenBetaPositiveAndDAtLeastOne() throws {
        let a = try assumptions(["beta > 0", "d >= 1"])
        let result = a.sign(of: try e("2*beta + d"))
        XCTAssertEqual(result.sign, .positive)
        XCTAssertEqual(a.quickSign(try e("2*beta + d")), .positive)
        // The reason names the facts used and the range they give.
        XCTAssert(result.reason.contains("'beta > 0'"), result.reason)
        XCTAssert(result.reason.contains("'d >= 1'"), result.reason)
        XCTAssert(result.reason.contains("(1, ∞)"), result.reason)
        XCTAssertEqual(a.sign(of: try e("-2*beta - d")).sign, .negative)
        XCTAssertEqual(a.sign(of: try e("2*beta/(2*beta + d)")).sign, .positive)
        XCTAssertEqual(a.sign(of: try e("d/(2*beta + d) - 1")).sign, .negative)
        XCTAssertEqual(a.sign(of: try e("d - 1")).sign, .nonnegative)
    }

    func testLogOfEMOverKIsPositiveGivenOneAtMostKAtMostM() throws {
        for texts in [["1 <= k <= M"], ["k in [1, M]"], ["k >= 1", "k <= M"], ["k <= M", "k >= 1"],
                      ["M, k integer", "1 <= k <= M"]] {
            let a = try assumptions(texts)
            let result = a.sign(of: try e("log(e*M/k)"))
            XCTAssertEqual(result.sign, .positive, "\(texts): \(result)")
            XCTAssertEqual(a.quickSign(try e("log(e*M/k)")), .positive, "\(texts)")
            XCTAssert(result.reason.contains("k <= M") || result.reason.contains("[1, M]"), result.reason)
            XCTAssertEqual(a.quickSign(try e("log(M/k)")), .nonnegative, "\(texts)")
            XCTAssertEqual(a.quickSign(try e("log(k/M)")), .nonpositive, "\(texts)")
            XCTAssertEqual(a.quickSign(try e("L_T*ell*k*log(e*M/k)")), .unknown, "L_T, ell undeclared")
        }
        let a = try assumptions(["1 <= k <= M", "L_T, ell >= 1"])
        XCTAssertEqual(a.sign(of: try e("L_T*ell*k*log(e*M/k)")).sign, .positive)
        XCTAssertEqual(a.sign(of: try e("M - k + 1")).sign, .positive)
        XCTAssertEqual(a.sign(of: try e("k - M")).sign, .nonpositive)
        // Without k <= M nothing is known of log(M/k).
        let loose = try assumptions(["k >= 1", "M >= 1"])
        XCTAssertEqual(loose.quickSign(try e("log(e*M/k)")), .unknown)
    }

    func testUnknownStaysUnknown() throws {
        let a = try assumptions(["x > 0", "beta > 0", "d >= 1", "delta in (0, 1)", "m >= 1 integer"])
        for text in ["y", "x*y", "x + y", "x - 1", "log(x)", "beta - d", "2*beta - d", "y^2 - 1", "log(delta + x)",
                     "min(x, y)", "max(-x, y)", "x - delta", "exp(y) - 1", "binom(y, 2) - 2", "y^m", "(y - 1)^3",
                     "Cover(delta)", "beta^y - 1"] {
            let sign = a.sign(of: try e(text))
            XCTAssertEqual(sign.sign, .unknown, "\(text): \(sign)")
            XCTAssertEqual(a.quickSign(try e(text)), .unknown, text)
        }
        XCTAssertEqual(Assumptions().sign(of: try e("x")).sign, .unknown)
    }

    /// A negative base with an integer exponent is defined (x^m with m = 3 is negative for x < 0), so a
    /// symbolic exponent gives no sign for a base of unknown sign; nor does an odd literal power above 64.
    func testPowersOfBasesOfUnknownSign() throws {
        let a = try assumptions(["m >= 1 integer", "a > 0", "delta in (0, 1)"])
        XCTAssertEqual(a.quickSign(try e("(x - 3)^m")), .unknown)
        XCTAssertEqual(a.quickSign(try e("x^a")), .unknown)
        XCTAssertEqual(a.quickSign(try e("(delta - 1/2)^65")), .unknown)
        XCTAssertEqual(a.quickSign(try e("(delta - 1/2)^67")), .unknown)
        XCTAssertEqual(a.quickSign(try e("(delta - 1)^65")), .negative)
        XCTAssert(a.quickSign(try e("(delta - 1/2)^66")).isNonnegative)
        XCTAssert(a.quickSign(try e("(x^2)^a")).isNonnegative)
        XCTAssertEqual(a.quickSign(try e("sqrt(x)")), .nonnegative, "sqrt needs x >= 0")
        XCTAssertEqual(a.quickSign(try e("a^x")), .positive)
        XCTAssertEqual(a.quickSign(try e("delta^m")), .positive)
        XCTAssertEqual(try e("(x - 3)^m").evaluate(["x": 1, "m": 3]), -8)
        // min((x - 3)^m, -1) must not fold to -1.
        XCTAssertEqual(Simplifier(assumptions: a).simplify(try e("min((x - 3)^m, -1)")), try e("min(-1, (x - 3)^m)"))
    }

    func testSignsOfConstantsAndFunctions() throws {
        let a = try assumptions(["delta in (0, 1)", "n >= 2"])
        XCTAssertEqual(a.quickSign(try e("e - 2")), .positive)
        XCTAssertEqual(a.quickSign(try e("pi - 3")), .positive)
        XCTAssertEqual(a.quickSign(try e("e - pi")), .negative)
        XCTAssertEqual(a.quickSign(try e("log(delta)")), .negative)
        XCTAssertEqual(a.quickSign(try e("log(1/delta)")), .positive)
        XCTAssertEqual(a.quickSign(try e("log(n)")), .positive)
        XCTAssertEqual(a.quickSign(try e("log(n) - 1/2")), .positive, "log 2 > 0.69")
        XCTAssertEqual(a.quickSign(try e("exp(-n)")), .positive)
        XCTAssertEqual(a.quickSign(try e("binom(n, 1)")), .positive)
        XCTAssertEqual(a.quickSign(try e("min(delta, n)")), .positive)
        XCTAssertEqual(a.quickSign(try e("max(-delta, -n)")), .negative)
        XCTAssertEqual(a.quickSign(try e("0*delta")), .zero)
    }

    /// Every sign the oracle claims for a random expression (by `quickSign` and by `sign(of:)`) holds at random
    /// assumption-satisfying points where the expression is defined.
    /// Replay with `SIMPLIFY_SEED` (shared with the simplifier's property tests).
    func testClaimedSignsHoldAtRandomPoints() throws {
        let assumptions = try SimplifyPropertyTests.assumptions()
        var rng = SplitMix64(seed: SimplifyPropertyTests.seed ^ 0x51_6E)
        var generator = ExpressionGenerator()
        var failures: [String] = []
        var decided = 0
        for index in 0..<3_000 {
            let caseSeed = rng.next()
            var local = SplitMix64(seed: caseSeed)
            let raw = generator.expression(depth: 3, &local)
            // Ask about canonical forms too, as the simplifier does.
            for expression in [raw, Simplifier(assumptions: assumptions).simplify(raw)] {
                // Both answers, where the expression is defined (an expression defined nowhere may get any sign).
                let quick = assumptions.quickSign(expression)
                let explained = assumptions.sign(of: expression).sign
                if quick == .unknown && explained == .unknown { continue }
                decided += 1
                for _ in 0..<4 {
                    let point = SimplifyPropertyTests.randomPoint(&local)
                    guard let value = try? expression.evaluate(point), value.isFinite else { continue }
                    let tolerance = 1e-9 * Swift.max(1, SimplifyPropertyTests.largestIntermediate(expression, at: point))
                    for (which, sign) in [("quickSign", quick), ("sign(of:)", explained)] where !Self.holds(sign, value, tolerance) {
                        failures.append("case \(index) (SIMPLIFY_SEED=\(SimplifyPropertyTests.seed), case seed \(caseSeed)): \(which) claimed \(sign) for \(expression) but it is \(value) at \(point)")
                    }
                }
            }
            if failures.count > 20 { break }
        }
        XCTAssertGreaterThan(decided, 1_000)
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
    }

    static func holds(_ sign: Sign, _ v: Double, _ tolerance: Double) -> Bool {
        switch sign {
        case .positive, .nonnegative: return v >= -tolerance
        case .negative, .nonpositive: return v <= tolerance
        case .zero: return abs(v) <= tolerance
        case .nonzero, .unknown: return true
        }
    }

}
