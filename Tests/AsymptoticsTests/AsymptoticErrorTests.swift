import XCTest
import Symbolic
@testable import Asymptotics

/// Bad questions are errors with a sentence, never a guess or a trap.
final class AsymptoticErrorTests: XCTestCase {
    func message(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let value = try body()
            XCTFail("expected an error, got \(value)", file: file, line: line)
        } catch let error as AsymptoticError {
            return error.message
        } catch {
            return "\(error)"
        }
        return ""
    }

    func testNoGrowingVariableInTheObjective() throws {
        let a = try paperAssumptions()
        let nameless = message { try GrowthAnalyzer(path: ScalingPath(growing: ""), assumptions: a).growth(of: try parse("n")) }
        XCTAssert(nameless.contains("growing variable"), nameless)
        // The free exponent must move something; the growing variable must occur.
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta"))], freeExponents: ["theta"])
        let m = message { try GrowthAnalyzer(path: path, assumptions: a).balance(try parse("beta + d")) }
        XCTAssert(m.contains("constant along"), m)
        let none = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta"))])
        let m2 = message { try GrowthAnalyzer(path: none, assumptions: a).balance(try parse("N_eff/n")) }
        XCTAssert(m2.contains("free exponent"), m2)
        let stray = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta"))], freeExponents: ["mu"])
        let m3 = message { try GrowthAnalyzer(path: stray, assumptions: a).balance(try parse("N_eff/n")) }
        XCTAssert(m3.contains("'mu'"), m3)
    }

    func testBudgetsThatCannotBeMet() throws {
        let single = message { try Budget.parse("C = 6*N") }
        XCTAssert(single.contains("at least two variables"), single)
        let selfReferent = message { try Budget.parse("C = C*N*D") }
        XCTAssert(selfReferent.contains("own right side"), selfReferent)
        let onRight = message { try Budget.parse("6*N*D = C") }
        XCTAssert(onRight.contains("must read 'C = expression'"), onRight)
        let notAProduct = message { try Budget.parse("C = N + D") }
        XCTAssert(notAProduct.contains("constant times powers"), notAProduct)
        let inequality = message { try Budget.parse("C <= N*D") }
        XCTAssert(inequality.contains("must read"), inequality)
        // closed forms need exactly two budget variables
        let a = try assuming(["alpha > 0", "beta > 0", "A > 0", "B > 0"])
        let three = message { try GrowthAnalyzer.closedForm(try parse("A*N^(-alpha) + B*D^(-beta)"), budget: try Budget.parse("C = N*D*T"), variable: "N", assumptions: a) }
        XCTAssert(three.contains("two-variable budget"), three)
        let samePull = message { try GrowthAnalyzer.closedForm(try parse("A*N^(-alpha) + B*D^(beta)"), budget: try Budget.parse("C = N*D"), variable: "N", assumptions: a) }
        XCTAssert(samePull.contains("opposite directions"), samePull)
        // A coefficient that is not known positive: the stationary point need not be a minimum.
        let negative = message { try GrowthAnalyzer.closedForm(try parse("E - A*N^(-alpha) + B*D^(-beta)"), budget: try Budget.parse("C = 6*N*D"), variable: "N", assumptions: a) }
        XCTAssert(negative.contains("positive coefficients"), negative)
        let unknown = message { try GrowthAnalyzer.closedForm(try parse("X*N^(-alpha) + B*D^(-beta)"), budget: try Budget.parse("C = 6*N*D"), variable: "N", assumptions: a) }
        XCTAssert(unknown.contains("positive coefficients"), unknown)
    }

    func testPathsThatReferToThemselves() throws {
        let a = try paperAssumptions()
        let selfPath = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("N_eff*n^theta"))], freeExponents: ["theta"])
        let m = message { try GrowthAnalyzer(path: selfPath, assumptions: a).balance(try parse("N_eff/n")) }
        XCTAssert(m.contains("refers to itself"), m)
        let cycle = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("M*n")), ("M", try parse("N_eff^2"))])
        let m2 = message { try GrowthAnalyzer(path: cycle, assumptions: a).growth(of: try parse("N_eff")) }
        XCTAssert(m2.contains("refer to each other"), m2)
        let growing = ScalingPath(growing: "n", substitutions: [("n", try parse("C^2"))])
        let m3 = message { try GrowthAnalyzer(path: growing, assumptions: a).growth(of: try parse("n")) }
        XCTAssert(m3.contains("growing variable"), m3)
        let m4 = message { try ScalingPath.parseSubstitution("N_eff n^theta") }
        XCTAssert(m4.contains("symbol = expression"), m4)
        // A later substitution may use an earlier one, and the other way round.
        for substitutions in [[("M", try parse("n^2")), ("N_eff", try parse("M*n"))],
                              [("N_eff", try parse("M*n")), ("M", try parse("n^2"))]] {
            let path = ScalingPath(growing: "n", substitutions: substitutions)
            XCTAssertEqual(try GrowthAnalyzer(path: path, assumptions: a).growth(of: path.apply(to: try parse("N_eff"))).exponent, Expr(3))
        }
    }

    func testNonAffineExponentsAreRefused() throws {
        let a = try paperAssumptions()
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^(theta^2)"))], freeExponents: ["theta"])
        let m = message { try GrowthAnalyzer(path: path, assumptions: a).balance(try parse("N_eff^(-2*beta/d) + N_eff/n")) }
        XCTAssert(m.contains("not affine"), m)
        let log = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^(1/theta)"))], freeExponents: ["theta"])
        let m2 = message { try GrowthAnalyzer(path: log, assumptions: a).balance(try parse("N_eff^(-2*beta/d) + N_eff/n")) }
        XCTAssert(m2.contains("not affine"), m2)
    }

    func testUnboundedOptimaAndUnknownGrowthAreErrors() throws {
        var a = try assuming(["beta > 0", "d >= 1"])
        try a.declare("theta")
        // One decreasing term: the rate improves without bound.
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta"))], freeExponents: ["theta"])
        let m = message { try GrowthAnalyzer(path: path, assumptions: a).balance(try parse("N_eff^(-2*beta/d)")) }
        XCTAssert(m.contains("no finite optimum"), m)
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: "n"), assumptions: a)
        XCTAssert(message { try analyzer.growth(of: try parse("n^n")) }.contains("depends on n"))
        // log(log(n)) is tracked (a power of log log n); one more log is not.
        XCTAssertEqual(try analyzer.growth(of: try parse("log(log(n))")).logLogPower, .one)
        XCTAssert(message { try analyzer.growth(of: try parse("log(log(log(n)))")) }.contains("log log"))
        XCTAssert(message { try analyzer.growth(of: try parse("log(2 + 1/n)")) }.contains("tends to a constant"))
        XCTAssert(message { try analyzer.growth(of: try parse("min(n^x, n^y)")) }.contains("regimes"))
        XCTAssert(message { try analyzer.growth(of: try parse("Cover(n)")) }.contains("cannot give the growth"))
    }

    func testThresholdsNeedDifferentPowers() throws {
        let a = try assuming(["beta > 0", "d >= 1"])
        let same = message { try GrowthAnalyzer.threshold(try parse("2/n"), try parse("3/n"), solveFor: "n", assumptions: a) }
        XCTAssert(same.contains("not known to differ"), same)
        let unknown = message { try GrowthAnalyzer.threshold(try parse("n^x"), try parse("1/n"), solveFor: "n", assumptions: a) }
        XCTAssert(unknown.contains("not known to differ"), unknown)
        let logs = message { try GrowthAnalyzer.threshold(try parse("log(n)/n"), try parse("n^(-2)"), solveFor: "n", assumptions: a) }
        XCTAssert(logs.contains("log"), logs)
        // -n = n^2 and x*n = n^2 (x of unknown sign) have no positive solution to claim.
        let negative = message { try GrowthAnalyzer.threshold(try parse("-n"), try parse("n^2"), solveFor: "n", assumptions: a) }
        XCTAssert(negative.contains("not known to be positive"), negative)
        let unknownSign = message { try GrowthAnalyzer.threshold(try parse("x*n"), try parse("n^2"), solveFor: "n", assumptions: a) }
        XCTAssert(unknownSign.contains("not known to be positive"), unknownSign)
        XCTAssertNoThrow(try GrowthAnalyzer.threshold(try parse("x*n"), try parse("n^2"), solveFor: "n", assumptions: try assuming(["x > 0"])))
    }
}
