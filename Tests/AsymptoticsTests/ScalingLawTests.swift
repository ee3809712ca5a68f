import Foundation
import XCTest
import Symbolic
@testable import Asymptotics

/// The MoE scaling laws, derived from the bound's expression alone (no stored answer): the expected
/// values below are only compared against, never fed in.
final class ScalingLawTests: XCTestCase {
    let approximation = "N_eff^(-2*beta/d)"
    let estimation = "N_eff/n"
    let routing = "L_T*ell*k*log(e*M/k)/n"

    var riskPath: ScalingPath {
        get throws { ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta"))], freeExponents: ["theta"]) }
    }

    /// Stone's rate n^(-2*beta/(2*beta + d)) by balancing N^(-2*beta/d) against N/n.
    func testStoneRateByBalancingApproximationAgainstEstimation() throws {
        let a = try paperAssumptions()
        let outcome = try GrowthAnalyzer(path: try riskPath, assumptions: a).balance(try parse("\(approximation) + \(estimation)"))
        XCTAssertEqual(outcome.branches.count, 1)
        let point = try XCTUnwrap(outcome.branches[0].optimum)
        XCTAssert(point.certified, "the KKT certificate proves the optimum global")
        XCTAssertEqual(point.active, [0, 1], "both terms are balanced")
        XCTAssertEqual(point.logPower, .zero)
        XCTAssertEqual(point.exponents["theta"], try parse("d/(2*beta + d)").simplified(a))
        XCTAssertEqual(point.rate, try parse("-2*beta/(2*beta + d)").simplified(a))
        XCTAssertEqual(point.rate.text, "-2*beta/(2*beta + d)")
        // And the same numbers at a few points.
        for (beta, d) in [(1.0, 1.0), (0.5, 3.0), (2.0, 7.0)] {
            let rate = try point.rate.evaluate(["beta": beta, "d": d])
            XCTAssertEqual(rate, -2 * beta / (2 * beta + d), accuracy: 1e-12)
        }
        // Editing the bound changes the answer: with the approximation rate N^(-beta/d) instead.
        let edited = try GrowthAnalyzer(path: try riskPath, assumptions: a).balance(try parse("N_eff^(-beta/d) + N_eff/n"))
        XCTAssertEqual(try XCTUnwrap(edited.branches[0].optimum).rate, try parse("-beta/(beta + d)").simplified(a))
    }

    /// D2: the routing term does not move the optimum, is lower order along it, and dominates below the
    /// threshold sample size (L_T*ell*k*log(e*M/k))^((2*beta + d)/d) (up to constants).
    func testD2RoutingConditionAndThresholdSampleSize() throws {
        let a = try paperAssumptions()
        let analyzer = GrowthAnalyzer(path: try riskPath, assumptions: a)
        let outcome = try analyzer.balance(try parse("\(approximation) + \(estimation) + \(routing)"))
        let point = try XCTUnwrap(outcome.branches[0].optimum)
        XCTAssertEqual(point.exponents["theta"], try parse("d/(2*beta + d)").simplified(a))
        XCTAssertEqual(point.rate, try parse("-2*beta/(2*beta + d)").simplified(a))
        XCTAssertEqual(point.active, [0, 1], "the routing term is not balanced: it is lower order")

        // Along the optimal path the routing term decays like 1/n, faster than the rate: the law holds as n → ∞.
        let optimal = ScalingPath(growing: "n", substitutions: [("N_eff", Expr.raise(.symbol("n"), try XCTUnwrap(point.exponents["theta"])))])
        let along = GrowthAnalyzer(path: optimal, assumptions: a)
        let rateTerm = Expr.raise(.symbol("n"), point.rate)
        let verdict = try along.decide(try parse(routing), .littleO, rateTerm)
        XCTAssert(verdict.holds.isAlways, "\(verdict)")
        // Its regime: the routing term never dominates asymptotically on this path...
        let regimes = try along.regimes(of: try parse("\(approximation) + \(estimation) + \(routing)"))
        XCTAssertFalse(regimes.contains { $0.term == (try? parse(routing)) }, "\(regimes.map(\.term))")

        // ...but below the threshold sample size it does. Solve routing(n) = n^rate for n.
        let threshold = try GrowthAnalyzer.threshold(rateTerm, try parse(routing), solveFor: "n", assumptions: a)
        XCTAssertEqual(threshold.dominantBelow, try parse(routing))
        XCTAssertEqual(threshold.dominantAbove, rateTerm)
        let expected = try parse("(L_T*ell*k*log(e*M/k))^((2*beta + d)/d)")
        assertSameValue(threshold.value, expected, a, values: ["M": 5, "k": 2])
        // Numerically: at a tenth of the threshold the routing term is larger, at ten times it is smaller.
        let values: [String: Double] = ["L_T": 4, "ell": 64, "k": 2, "M": 8, "beta": 1.5, "d": 4]
        let nStar = try threshold.value.evaluate(values)
        for (factor, routingLarger) in [(0.1, true), (10.0, false)] {
            var point = values
            point["n"] = nStar * factor
            let r = try parse(routing).evaluate(point), s = try rateTerm.evaluate(point)
            XCTAssertEqual(r > s, routingLarger, "at n = \(factor)·n*: routing \(r), rate \(s)")
        }
    }

    /// D2 as the theory states it (P5, with delta = 1/n): the estimation term carries log(n). The exponents are
    /// unchanged and the rate holds up to log factors (Õ).
    func testD2WithTheLogFactorIsSoftO() throws {
        let a = try paperAssumptions()
        let analyzer = GrowthAnalyzer(path: try riskPath, assumptions: a)
        let outcome = try analyzer.balance(try parse("\(approximation) + N_eff*log(n)/n + \(routing)"))
        let point = try XCTUnwrap(outcome.branches[0].optimum)
        XCTAssertEqual(point.exponents["theta"], try parse("d/(2*beta + d)").simplified(a))
        XCTAssertEqual(point.rate, try parse("-2*beta/(2*beta + d)").simplified(a))
        XCTAssertEqual(point.logPower, .one)
        let rateTerm = Expr.raise(.symbol("n"), point.rate) * .log(.symbol("n"))
        XCTAssertThrowsError(try GrowthAnalyzer.threshold(rateTerm, try parse(routing), solveFor: "n", assumptions: a),
                             "not solvable in closed form with the log")
        let threshold = try GrowthAnalyzer.threshold(rateTerm, try parse(routing), solveFor: "n", ignoringLogs: true, assumptions: a)
        assertSameValue(threshold.value, try parse("(L_T*ell*k*log(e*M/k))^((2*beta + d)/d)"), a, values: ["M": 5, "k": 2])
    }

    /// D2, the other side: when the routing load grows with n (L_T = n^lambda), the routing term dominates
    /// exactly when lambda > d/(2*beta + d); the answer is that condition.
    func testRoutingDominatedRegimeIsACondition() throws {
        var a = try assuming(["beta > 0", "d >= 1", "lambda > 0", "1 <= k <= M", "ell >= 1"])
        try a.declare("lambda")
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^(d/(2*beta + d))")), ("L_T", try parse("n^lambda"))])
        let regimes = try GrowthAnalyzer(path: path, assumptions: a).regimes(of: try parse("\(approximation) + \(estimation) + \(routing)"))
        let routingRegime = try XCTUnwrap(regimes.first { $0.term == (try? parse(routing)) })
        let atom = try XCTUnwrap(routingRegime.condition.atoms?.first)
        XCTAssertEqual(routingRegime.condition.atoms?.count, 1)
        // lambda - 1 + 2*beta/(2*beta + d) > 0, i.e. lambda > d/(2*beta + d), up to a positive factor.
        XCTAssert(atom.strict)
        XCTAssertEqual("\(routingRegime.condition)", "2*beta*lambda + d*lambda > d")
        let ratio = (atom.expression / (try parse("lambda - d/(2*beta + d)"))).simplified(a)
        XCTAssertEqual(a.quickSign(ratio), .positive, "\(ratio)")
        let approximationRegime = try XCTUnwrap(regimes.first { $0.term == (try? parse(approximation)) })
        XCTAssertFalse(approximationRegime.condition.isNever)
    }

    /// D3: with C = N_eff*n, N_eff* ∝ C^(d/(2(beta + d))), n* ∝ C^((2*beta + d)/(2(beta + d))), risk ∝
    /// C^(-beta/(beta + d)), and the routing term on that path.
    func testD3ComputeOptimalAllocation() throws {
        let a = try paperAssumptions()
        let budget = try Budget.parse("C = N_eff*n")
        let objective = try parse("\(approximation) + \(estimation) + \(routing)")
        let outcome = try GrowthAnalyzer.balance(objective, budget: budget, assumptions: a)
        let best = try XCTUnwrap(outcome.best)
        let point = try XCTUnwrap(outcome.branches[best].optimum)
        XCTAssert(point.certified)
        XCTAssertEqual(point.rate, try parse("-beta/(beta + d)").simplified(a))
        let allocation = Dictionary(uniqueKeysWithValues: outcome.allocation)
        XCTAssertEqual(allocation["N_eff"]?.simplified(a), try parse("d/(2*(beta + d))").simplified(a))
        XCTAssertEqual(allocation["n"]?.simplified(a), try parse("(2*beta + d)/(2*(beta + d))").simplified(a))
        // The allocation spends the budget: the exponents add up to 1.
        XCTAssertEqual((try XCTUnwrap(allocation["N_eff"]) + (try XCTUnwrap(allocation["n"]))).simplified(a), .one)
        // The routing term on the optimal path: ∝ C^(-(2*beta + d)/(2*(beta + d))), below the rate.
        let path = outcome.path
        let routingAtOptimum = path.apply(to: try parse(routing)).substituting(point.exponents)
        let g = try GrowthAnalyzer(path: path, assumptions: a).growth(of: routingAtOptimum)
        XCTAssertEqual(g.exponent, try parse("-(2*beta + d)/(2*(beta + d))").simplified(a))
        XCTAssertEqual(a.quickSign((g.exponent - point.rate).simplified(a)), .negative, "lower order along the optimum")
        // Describes what grows and what is fixed.
        XCTAssert(path.describe(for: objective).hasPrefix("C → ∞"), path.describe(for: objective))
    }

    /// A8 (Hoffmann et al.): L = E + A*N^(-alpha) + B*D^(-beta), C = 6*N*D. N* = G*(C/6)^a with a = beta/(alpha + beta),
    /// G = (alpha*A/(beta*B))^(1/(alpha + beta)); D* = G^(-1)*(C/6)^b with b = alpha/(alpha + beta).
    func testHoffmannClosedFormExponentsAndCoefficient() throws {
        let a = try assuming(["alpha > 0", "beta > 0", "A > 0", "B > 0", "E >= 0"])
        let law = try parse("E + A*N^(-alpha) + B*D^(-beta)")
        let budget = try Budget.parse("C = 6*N*D")
        let closed = try GrowthAnalyzer.closedForm(law, budget: budget, variable: "N", assumptions: a)
        XCTAssertEqual(closed.exponent, try parse("beta/(alpha + beta)").simplified(a))
        let G = try parse("(alpha*A/(beta*B))^(1/(alpha + beta))")
        XCTAssertEqual(closed.coefficient, G.simplified(a), "canonically equal")
        assertSameValue(closed.coefficient, G, a)
        let partner = try XCTUnwrap(closed.partner)
        XCTAssertEqual(partner.name, "D")
        XCTAssertEqual(partner.exponent, try parse("alpha/(alpha + beta)").simplified(a))
        assertSameValue(partner.coefficient, try parse("1/G").substituting(["G": G]), a)
        // optimum = G*(C/6)^a.
        assertSameValue(closed.optimum, try parse("G*(C/6)^(beta/(alpha + beta))").substituting(["G": G]), a)

        // At the fitted constants (Hoffmann et al. 2022, approach 3): alpha = 0.34, beta = 0.28, A = 406.4, B = 410.7.
        let fit: [String: Double] = ["alpha": 0.34, "beta": 0.28, "A": 406.4, "B": 410.7, "E": 1.69]
        let aValue = try closed.exponent.evaluate(fit)
        let gValue = try closed.coefficient.evaluate(fit)
        XCTAssertEqual(aValue, 0.28 / 0.62, accuracy: 1e-12)
        XCTAssertEqual(gValue, pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62), accuracy: 1e-12)
        XCTAssertEqual(aValue, 0.4516, accuracy: 1e-4)
        XCTAssertEqual(gValue, 1.3447, accuracy: 1e-4)
        XCTAssertEqual(try partner.exponent.evaluate(fit), 0.5484, accuracy: 1e-4)
        // The optimum really minimizes L along C = 6*N*D: nudging N either way at fixed C costs loss.
        var at = fit
        at["C"] = 1e21
        let nStar = try closed.optimum.evaluate(at)
        let loss = { (nValue: Double) -> Double in
            var p = at
            p["N"] = nValue
            p["D"] = 1e21 / (6 * nValue)
            return try law.evaluate(p)
        }
        XCTAssertLessThan(try loss(nStar), try loss(nStar * 1.05))
        XCTAssertLessThan(try loss(nStar), try loss(nStar / 1.05))

        // The exponent LP agrees on the exponents: D ∝ C^(alpha/(alpha + beta)), N ∝ C^(beta/(alpha + beta)).
        let outcome = try GrowthAnalyzer.balance(law, budget: budget, assumptions: a)
        let allocation = Dictionary(uniqueKeysWithValues: outcome.allocation)
        XCTAssertEqual(allocation["N"], closed.exponent)
        XCTAssertEqual(allocation["D"], partner.exponent)
        let point = try XCTUnwrap(outcome.branches[try XCTUnwrap(outcome.best)].optimum)
        XCTAssertEqual(point.rate, try parse("-alpha*beta/(alpha + beta)").simplified(a))
        XCTAssertEqual(outcome.branches[0].offsets, [.symbol("E")], "E is irreducible, not balanced")
    }

    /// theta capped at 1/4: the optimum is theta* = d/(2*beta + d) where 2*beta >= 3*d, else theta = 1/4. Feasible
    /// vertices that are not optimal (theta = 0) are not reported.
    func testCappedExponentGivesConditionalOptima() throws {
        let a = try assuming(["beta > 0", "d >= 1", "theta in [0, 1/4]"])
        let outcome = try GrowthAnalyzer(path: try riskPath, assumptions: a).balance(try parse("\(approximation) + \(estimation)"))
        let points = outcome.branches[0].points
        XCTAssertNil(outcome.branches[0].optimum, "no single optimum for every beta, d")
        XCTAssertEqual(points.count, 2)
        let interior = try XCTUnwrap(points.first { $0.exponents["theta"] == (try? parse("d/(2*beta + d)").simplified(a)) })
        XCTAssertEqual("\(interior.condition)", "2*beta >= 3*d")
        let capped = try XCTUnwrap(points.first { $0.exponents["theta"] == (try? parse("1/4")) })
        XCTAssertEqual(capped.rate, try parse("-beta/(2*d)").simplified(a))
        XCTAssert(points.allSatisfy(\.certified))
        XCTAssertFalse(points.contains { $0.exponents["theta"] == .zero })
        // Settled parameters give one sure answer.
        let settled = try assuming(["beta = 1", "d = 1", "theta in [0, 1/4]"])
        let one = try GrowthAnalyzer(path: try riskPath, assumptions: settled).balance(try parse("\(approximation) + \(estimation)"))
        XCTAssertEqual(try XCTUnwrap(one.branches[0].optimum).exponents["theta"], try parse("1/4"))
    }

    /// D4-style branches: min{N_eff^(-2*beta/d), M^(-2*beta/d)} splits into one balance per operand.
    func testMinimumSplitsIntoBranches() throws {
        let a = try paperAssumptions()
        let path = ScalingPath(growing: "n", substitutions: [("N_eff", try parse("n^theta")), ("M", try parse("n^mu"))],
                               freeExponents: ["theta", "mu"])
        var b = a
        try b.assume(text: "mu in [0, 1]")
        try b.assume(text: "theta in [0, 1]")
        let outcome = try GrowthAnalyzer(path: path, assumptions: b).balance(try parse("min(N_eff^(-2*beta/d), M^(-2*beta/d)) + N_eff/n"))
        XCTAssertEqual(outcome.branches.count, 2)
        // The N_eff branch is Stone's balance (mu does not matter: every mu in [0, 1] is also optimal).
        let dense = try XCTUnwrap(outcome.branches[0].optimum)
        XCTAssertEqual(dense.exponents["theta"], try parse("d/(2*beta + d)").simplified(b))
        XCTAssertFalse(dense.alsoOptimal.isEmpty)
        // The expert branch's optimum depends on 2*beta vs d: only conditional, certified points.
        let experts = outcome.branches[1]
        XCTAssertNil(experts.optimum)
        XCTAssertFalse(experts.points.isEmpty)
        for p in experts.points {
            XCTAssert(p.certified)
            XCTAssertFalse(p.condition.isAlways || p.condition.isNever)
        }
        XCTAssertEqual(outcome.best, 0)
    }
}
