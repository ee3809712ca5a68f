import XCTest
import Symbolic
@testable import Asymptotics

/// Growth along a path and Landau relations: decided when the assumptions settle them, returned as a condition
/// on the parameters when they do not, and never claimed when false or undecidable.
final class LandauTests: XCTestCase {
    let n = ScalingPath(growing: "n")

    func verdict(_ f: String, _ r: LandauRelation, _ g: String, _ assumptions: [String] = [],
                 path: ScalingPath? = nil) throws -> LandauVerdict {
        try GrowthAnalyzer(path: path ?? n, assumptions: try assuming(assumptions)).decide(try parse(f), r, try parse(g))
    }

    func testGrowthOfTermsAlongAPath() throws {
        let a = try paperAssumptions()
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta"))], freeExponents: ["theta"])
        let analyzer = GrowthAnalyzer(path: path, assumptions: a)
        let terms = try analyzer.terms(of: try parse("N_eff^(-2*beta/d) + N_eff/n + L_T*ell*k*log(e*M/k)/n"))
        XCTAssertEqual(terms.count, 3)
        XCTAssertEqual(terms[0].growth.exponent, try parse("-2*beta*theta/d").simplified(a))
        XCTAssertEqual(terms[1].growth.exponent, try parse("theta - 1").simplified(a))
        XCTAssertEqual(terms[2].growth.exponent, .minusOne)
        XCTAssertEqual(terms[2].growth.logPower, .zero, "log(e*M/k) is constant along n")
        // log n, n*log(n)^2, sqrt(n*log(n)).
        XCTAssertEqual(try analyzer.growth(of: try parse("3*log(n)")).logPower, .one)
        XCTAssertEqual(try analyzer.growth(of: try parse("3*log(n)")).coefficient, Expr(3))
        let g = try analyzer.growth(of: try parse("n*log(n)^2 + n"))
        XCTAssertEqual(g.exponent, .one)
        XCTAssertEqual(g.logPower, Expr(2))
        let h = try analyzer.growth(of: try parse("sqrt(n*log(n))"))
        XCTAssertEqual(h.exponent, try parse("1/2"))
        XCTAssertEqual(h.logPower, try parse("1/2"))
        XCTAssertEqual(try analyzer.growth(of: try parse("log(n^2*M)")).coefficient, Expr(2))
        // A log of a vanishing argument grows like -log(n).
        let vanishing = try analyzer.growth(of: try parse("log(1/n + 1/n^2)"))
        XCTAssertEqual(vanishing.logPower, .one)
        XCTAssertEqual(vanishing.coefficient, .minusOne)
    }

    func testDecidedRelations() throws {
        XCTAssert(try verdict("n", .bigO, "n^2").holds.isAlways)
        XCTAssert(try verdict("n", .littleO, "n^2").holds.isAlways)
        XCTAssert(try verdict("2*n + 7", .theta, "n").holds.isAlways)
        XCTAssert(try verdict("n*log(n)", .softO, "n").holds.isAlways)
        XCTAssert(try verdict("n^2", .omega, "n*log(n)^5").holds.isAlways)
        XCTAssert(try verdict("log(n)", .littleO, "n^(1/100)").holds.isAlways)
        XCTAssert(try verdict("n^(-2*beta/(2*beta + d))", .lesssim, "n^(-2*beta/(2*beta + d))", ["beta > 0", "d >= 1"]).holds.isAlways)
        XCTAssert(try verdict("1/n", .littleO, "n^(-2*beta/(2*beta + d))", ["beta > 0", "d >= 1"]).holds.isAlways,
                  "2*beta/(2*beta + d) < 1")
    }

    /// n^(-a) = O(n^(-b)) holds iff a >= b: the answer is that condition, not a guess.
    func testAnswerThatIsAConditionOnTheParameters() throws {
        let v = try verdict("n^(-a)", .bigO, "n^(-b)", ["a > 0", "b > 0"])
        XCTAssertFalse(v.holds.isAlways)
        XCTAssertFalse(v.holds.isNever)
        XCTAssertEqual(v.holds.atoms?.count, 1)
        let atom = try XCTUnwrap(v.holds.atoms?.first)
        XCTAssertFalse(atom.strict, "a = b also gives O")
        XCTAssertEqual(atom.expression, try parse("a - b").simplified())
        XCTAssertEqual("\(v.holds)", "a >= b")
        // Strict for little-o, reversed for Omega, both for Theta.
        let o = try verdict("n^(-a)", .littleO, "n^(-b)", ["a > 0", "b > 0"])
        XCTAssertEqual("\(o.holds)", "a > b")
        XCTAssertEqual("\(try verdict("n^(-a)", .omega, "n^(-b)").holds)", "b >= a")
        let theta = try verdict("n^(-a)", .theta, "n^(-b)").holds
        XCTAssertEqual(Set(try XCTUnwrap(theta.atoms).map(\.expression)), Set([try parse("a - b").simplified(), try parse("b - a").simplified()]))
        // A condition the assumptions settle is folded away.
        XCTAssert(try verdict("n^(-a)", .bigO, "n^(-b)", ["a >= b"]).holds.isAlways)
        XCTAssert(try verdict("n^(-a)", .bigO, "n^(-b)", ["a < b"]).holds.isNever)
        XCTAssert(try verdict("n^(-a)", .theta, "n^(-b)", ["a = b"]).holds.isAlways)
        // The condition is the truth: check it against the exponents.
        for (a, b, holds) in [(1.0, 0.5, true), (0.5, 0.5, true), (0.5, 1.0, false)] {
            XCTAssertEqual(a - b >= 0, holds)
        }
    }

    /// Conditions on log powers when the exponents tie.
    func testLogPowersDecideWhenExponentsTie() throws {
        XCTAssertEqual("\(try verdict("n*log(n)^p", .bigO, "n*log(n)^q").holds)", "q >= p")
        XCTAssert(try verdict("n*log(n)^p", .softO, "n*log(n)^q").holds.isAlways, "Õ ignores log factors")
        XCTAssertEqual("\(try verdict("n^a*log(n)", .bigO, "n^b").holds)", "b > a", "with a log on f, a = b is not enough")
        XCTAssertEqual("\(try verdict("n^a", .bigO, "n^b*log(n)").holds)", "b >= a")
    }

    /// Must-fail: false relations are never claimed.
    func testFalseRelationsAreNotClaimed() throws {
        for (f, r, g) in [("n^2", LandauRelation.bigO, "n"), ("log(n)", .bigO, "1"), ("n*log(n)", .bigO, "n"),
                          ("1/n", .littleO, "2/n"), ("n", .theta, "n^2"), ("n^2", .lesssim, "n"), ("n", .omega, "n^2"),
                          ("n*log(n)", .theta, "n"), ("n", .asymp, "n*log(n)"), ("n^(1/2)", .bigO, "log(n)^100"),
                          ("-n", .bigO, "1")] {
            let v = try verdict(f, r, g)
            XCTAssert(v.holds.isNever, "\(f) \(r.rawValue) \(g) must fail: \(v)")
        }
        let stone = try verdict("n^(-1)", .bigO, "n^(-2*beta/(2*beta + d))", ["beta > 0", "d >= 1"])
        XCTAssert(stone.holds.isAlways)
        let faster = try verdict("n^(-2*beta/(2*beta + d))", .bigO, "n^(-1)", ["beta > 0", "d >= 1"])
        XCTAssert(faster.holds.isNever, "the minimax rate is not O(1/n)")
    }

    /// Must-fail: relations the assumptions do not settle are not claimed true; they come back as conditions.
    func testUndecidableRelationsAreNotClaimed() throws {
        for (f, r, g) in [("n^x", LandauRelation.bigO, "n^y"), ("n^(-2*beta/d)", .bigO, "n^(-1)"),
                          ("n^x", .theta, "n"), ("n*log(n)^p", .littleO, "n")] {
            let v = try verdict(f, r, g, ["beta > 0", "d >= 1"])
            XCTAssertFalse(v.holds.isAlways, "\(f) \(r.rawValue) \(g) is undecided: \(v)")
            XCTAssertFalse(v.holds.isNever, "\(f) \(r.rawValue) \(g) may hold: \(v)")
        }
        // A leading coefficient that may vanish: (a - b)*n is 0 when a = b, which is O(1) and not Ω(1).
        let vanishing = try verdict("(a - b)*n", .omega, "1")
        XCTAssertFalse(vanishing.holds.isAlways)
        XCTAssertFalse(try verdict("1", .bigO, "(a - b)*n").holds.isAlways)
        XCTAssert(try verdict("1", .bigO, "(a - b)*n", ["a > b"]).holds.isAlways)
        // Which term of n^x + 2 dominates depends on x: no growth, no verdict.
        XCTAssertThrowsError(try verdict("log(n^x + 2)", .bigO, "n"))
        XCTAssert(try verdict("log(n^x)", .bigO, "n").holds.isAlways, "x*log(n) = O(n) for every x")
    }

    /// Every verdict says along which path and what is held fixed.
    func testVerdictsNameThePath() throws {
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^(1/3)"))])
        let v = try verdict("N_eff/n", .bigO, "n^(-1/2)", ["beta > 0"], path: path)
        XCTAssert(v.holds.isAlways)
        XCTAssert(v.explanation.contains("n → ∞"), v.explanation)
        XCTAssert(v.explanation.contains("N_eff = n^(1/3)"), v.explanation)
    }

    func testCompareReturnsConditions() throws {
        let analyzer = GrowthAnalyzer(path: n, assumptions: try assuming(["a > 0", "b > 0"]))
        let order = analyzer.compare(Growth(exponent: try parse("-a"), logPower: .zero, coefficient: .one),
                                     Growth(exponent: try parse("-b"), logPower: .zero, coefficient: .one))
        guard case .depends(let lessIf, let greaterIf) = order else { return XCTFail("\(order)") }
        XCTAssertEqual("\(lessIf)", "a > b")
        XCTAssertEqual("\(greaterIf)", "b > a")
    }
}
