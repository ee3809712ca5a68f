import XCTest
import Foundation
@testable import Derivation
import Symbolic
import Asymptotics

/// Published laws in the forms their papers write them: a power of a sum, terms that share a power of the optimized
/// variable, and the refusals that keep those forms sound.
final class LawFormsTests: XCTestCase {
    /// One law over a one-lemma theory: `Loss = <loss>`, budget C = 6*N*D.
    func law(_ loss: String, symbols extra: String = "", lines: String = "") throws -> (DerivedLaw?, [TheoryError], Theory) {
        let t = try theory("""
        symbols
          N : real >= 1      "parameters"
          D : real >= 1      "tokens"
          C : real > 0       "compute"
          A, B : real > 0    "coefficients"
          a, b : real > 0    "exponents"
        \(extra)
        quantities
          Loss >= 0 "loss"
        lemma L "the loss" [paper]
          source "test"
          Loss = \(loss)
        derive loss "loss"
          start Loss
          by L
        law opt "allocation"
          bound loss
          budget C = 6*N*D
        \(lines)
        """)
        let run = try DerivationRun(theory: t, audit: false)
        return (run.law("opt"), run.lawFailures, t)
    }

    /// (A/N^a + B/D^b)^c: the optimizer passes through x ↦ x^c (c > 0), the risk exponent is c times the sum's.
    func testAPowerOfASumIsBalancedThroughTheOuterPower() throws {
        let (law, failures, t) = try law("(A*N^(-a) + B*D^(-b))^c", symbols: "  c : real > 0 \"outer power\"")
        XCTAssertEqual(failures.map(\.message), [])
        let l = try XCTUnwrap(law)
        XCTAssertNil(l.undecided)
        assertSameExponent(l.exponent("risk"), "-a*b*c/(a + b)", t.assumptions)
        assertSameExponent(l.exponent("N"), "b/(a + b)", t.assumptions)
        // sqrt is the power 1/2.
        let (root, _, t2) = try self.law("sqrt(A*N^(-a) + B*D^(-b))")
        assertSameExponent(try XCTUnwrap(root).exponent("risk"), "-a*b/(2*(a + b))", t2.assumptions)
    }

    /// Must fail: x ↦ x^c is decreasing for c < 0 and of unknown direction for c real; nothing is derived through it.
    /// (c = -1: (A/N^a + B/D^b)^(-1) grows with the budget at every allocation; no rate C^(a*b/(a+b)) is its minimum.)
    func testAnOuterPowerOfUnknownOrNegativeSignIsNotPassedThrough() throws {
        for c in ["c : real", "c : real < 0"] {
            let (law, failures, _) = try law("(A*N^(-a) + B*D^(-b))^c", symbols: "  \(c) \"outer power\"")
            XCTAssertTrue(law == nil || law?.undecided != nil, "\(c): \(String(describing: law?.exponents))")
            if law == nil { XCTAssertFalse(failures.isEmpty) }
        }
    }

    /// Must fail: an irreducible term inside the power: (E + ...)^c tends to E^c, and the excess is not the sum's rate
    /// times c. The law refuses with a located reason instead of printing one.
    func testAnIrreducibleTermInsideThePowerIsRefused() throws {
        let (law, failures, _) = try law("(E + A*N^(-a) + B*D^(-b))^c", symbols: "  c : real > 0 \"outer power\"\n  E : real > 0 \"floor\"")
        XCTAssertTrue(law?.undecided != nil || failures.contains { $0.message.contains("inside the power") }, "\(failures)")
        XCTAssertEqual(law?.exponents.count ?? 0, 0)
        // Named irreducible, it is refused with the reason.
        let (named, refusals, _) = try self.law("(E + A*N^(-a) + B*D^(-b))^c", symbols: "  c : real > 0 \"outer power\"\n  E : real > 0 \"floor\"",
                                                lines: "  irreducible E")
        XCTAssertNil(named)
        XCTAssertTrue(refusals.first?.message.contains("inside the power") == true, "\(refusals)")
    }

    /// (A + g*G^(-gamma))*N^(-a) + B*D^(-b): the two terms in N^(-a) are one term with a sum as coefficient, so the closed
    /// form exists, and its coefficient is free of the budget. Minimizing K·N^(-a) + (C/6)^(-b)·N^b gives
    /// N* = (a·K/(b·B))^(1/(a+b))·(C/6)^(b/(a+b)), K = A + g·G^(-gamma).
    func testTermsSharingAPowerAreOneTermInTheClosedForm() throws {
        let (law, failures, t) = try law("(A + g*G^(-gamma))*N^(-a) + B*D^(-b)",
                                         symbols: "  G : real >= 1 \"granularity\"\n  g, gamma : real > 0 \"granularity law\"",
                                         lines: "  closed form N\n  values A = 1, B = 2, g = 1, G = 8, a = 0.3, b = 0.4, gamma = 0.5")
        XCTAssertEqual(failures.map(\.message), [])
        let closed = try XCTUnwrap(law?.closedForm)
        XCTAssertFalse(closed.coefficient.contains(symbol: "C"), "\(closed.coefficient)")
        let expected = parse("(a*(A + g*G^(-gamma))/(b*B))^(1/(a + b))")
        // Equal as numbers (the simplifier does not pull 6^(-b) out of the sum 6^(-b)*A + 6^(-b)*g*G^(-gamma)).
        for point in [["A": 1.0, "B": 2.0, "g": 1.0, "G": 8.0, "a": 0.3, "b": 0.4, "gamma": 0.5],
                      ["A": 3.0, "B": 0.5, "g": 2.0, "G": 2.0, "a": 1.5, "b": 0.7, "gamma": 2.0]] {
            XCTAssertEqual(try closed.coefficient.evaluate(point), try expected.evaluate(point), accuracy: 1e-9, "\(closed.coefficient)")
        }
        _ = t
        let g = try XCTUnwrap(law?.values.first { $0.0.name == "G" }?.1)
        XCTAssertEqual(g, pow(0.3 * (1 + pow(8, -0.5)) / (0.4 * 2), 1 / 0.7), accuracy: 1e-9)
    }

    /// Must fail: the trade-off formula is exact only for c·N^p; (N + 1)^(-a) is N^(-a) only to leading order, so a
    /// closed form for it would be wrong (at a = 1, A = B = 1, the true optimum of 1/(N+1) + N/C is N* = √C - 1, not √C).
    func testAClosedFormNeedsPurePowers() throws {
        var a = Assumptions()
        for s in ["N", "D", "C", "A", "B"] { try a.assume(.symbol(s), .greater, .zero, origin: .init("\(s) > 0")) }
        try a.assume(.symbol("a"), .greater, .zero, origin: .init("a > 0"))
        let budget = try Budget.parse("C = N*D")
        XCTAssertThrowsError(try GrowthAnalyzer.closedForm(parse("A*(N + 1)^(-a) + B/D"), budget: budget, variable: "N", assumptions: a)) {
            XCTAssertTrue("\($0)".contains("pure power laws"), "\($0)")
        }
        // The true neighbour: pure powers have one.
        XCTAssertNoThrow(try GrowthAnalyzer.closedForm(parse("A*N^(-a) + B/D"), budget: budget, variable: "N", assumptions: a))
    }

    /// Terms that decay faster than any power (the saturating effective data of a data-constrained law,
    /// U + U*R*(1 - exp(-D/(U*R)))) never dominate a term with a power-law growth; alone, they have no growth to give.
    func testExponentiallySmallTermsNeverDominate() throws {
        var a = Assumptions()
        for s in ["n", "U", "R"] { try a.assume(.symbol(s), .greater, .zero, origin: .init("\(s) > 0")) }
        let along = GrowthAnalyzer(path: ScalingPath(growing: "n"), assumptions: a)
        let saturating = try along.growth(of: parse("U + U*R*(1 - exp(-n/(U*R)))"))
        XCTAssertEqual(saturating.exponent, .zero)
        XCTAssertEqual((saturating.coefficient - parse("U + U*R")).simplified(a), .zero, "\(saturating.coefficient)")
        let decaying = try along.growth(of: parse("n^5*exp(-n) + 1/n"))
        XCTAssertEqual(decaying.exponent, parse("-1"))
        // Must fail: exp(+n) grows faster than any power; it is not dropped, and has no growth.
        XCTAssertThrowsError(try along.growth(of: parse("exp(n) + n")))
        XCTAssertThrowsError(try along.growth(of: parse("exp(-n)")))
        // Must fail: a base of unknown size (b^(-n) with b > 0 only) may be b < 1, which grows.
        XCTAssertThrowsError(try along.growth(of: parse("U^(-n) + 1/n")))
    }

    /// Inference-aware compute, C = 6*N*D + 2*N*D_inf with D_inf fixed: along the training-optimal allocation the
    /// inference cost grows like C^(beta/(alpha+beta)) < C, so that regime is the law as C → ∞, with Chinchilla's exponents.
    func testASumBudgetGivesOneRegimePerCost() throws {
        let (law, failures, t) = try sumBudgetLaw("6*N*D + 2*N*D_inf", assume: "")
        XCTAssertEqual(failures.map(\.message), [])
        let l = try XCTUnwrap(law)
        XCTAssertNil(l.undecided)
        assertSameExponent(l.exponent("risk"), "-alpha*beta/(alpha + beta)", t.assumptions)
        assertSameExponent(l.exponent("N"), "beta/(alpha + beta)", t.assumptions)
        XCTAssertTrue(l.regimes.contains { $0.condition.text == "cost 6*N*D dominates" && $0.dominant.text.hasPrefix("risk ≍ C^(-alpha*beta/(alpha + beta))") }, "\(l.regimes)")
        XCTAssertTrue(l.regimes.contains { $0.condition.text == "cost 2*D_inf*N dominates" || $0.condition.text == "cost 2*N*D_inf dominates" }, "\(l.regimes)")
    }

    /// Must fail: with the cost N^2 beside 6*N*D, the training-optimal allocation has N^2 ∝ C^(2*beta/(alpha+beta)), above C
    /// when beta > alpha; the one-cost rate is then not the law's (that allocation does not fit the budget). Undecided
    /// unless beta <= alpha is assumed.
    func testASumBudgetRegimeThatOverspendsIsNotTheLaw() throws {
        let (law, _, _) = try sumBudgetLaw("6*N*D + N^2", assume: "")
        XCTAssertNotNil(law?.undecided)
        XCTAssertEqual(law?.exponents.count, 0)
        let (fits, _, t) = try sumBudgetLaw("6*N*D + N^2", assume: "  assume beta <= alpha")
        assertSameExponent(try XCTUnwrap(fits).exponent("risk"), "-alpha*beta/(alpha + beta)", t.assumptions)
    }

    func sumBudgetLaw(_ budget: String, assume: String) throws -> (DerivedLaw?, [TheoryError], Theory) {
        let t = try theory("""
        symbols
          N : real >= 1            "parameters"
          D : real >= 1            "training tokens"
          D_inf : real >= 1        "inference tokens"
          C : real > 0             "compute"
          E, A, B : real > 0       "loss constants"
          alpha, beta : real > 0   "exponents"
        \(assume)
        quantities
          Loss >= 0 "loss"
        lemma L "the loss" [paper]
          source "test"
          Loss = E + A*N^(-alpha) + B*D^(-beta)
        derive loss "loss"
          start Loss
          by L
        law opt "allocation"
          bound loss
          budget C = \(budget)
          irreducible E
        """)
        let run = try DerivationRun(theory: t, audit: false)
        return (run.law("opt"), run.lawFailures, t)
    }

    /// Attack round 5, sum budgets: a cost that may be negative (6*N*D - N^2 is 0 at N = 6*D, where the loss falls for
    /// free), a budget inside its own cost (N*D + C cannot be met), an allocation variable that a regime's cost does
    /// not limit (C = N*D + T: within the N*D regime T is free), and a closed form that ignores the other costs.
    func testSumBudgetRefusals() throws {
        let (negative, refusals, _) = try sumBudgetLaw("6*N*D - N^2", assume: "")
        XCTAssertNil(negative)
        XCTAssertTrue(refusals.first?.message.contains("must be nonnegative") == true, "\(refusals)")
        let (itself, refusals2, _) = try sumBudgetLaw("N*D + C", assume: "")
        XCTAssertNil(itself)
        XCTAssertTrue(refusals2.first?.message.contains("appears in its own cost") == true, "\(refusals2)")
        let (unlimited, _, _) = try sumBudgetLaw("N*D + N*D_inf over N, D, D_inf", assume: "")
        XCTAssertNotNil(unlimited?.undecided, "\(String(describing: unlimited?.exponents))")
        XCTAssertTrue(unlimited?.regimes.contains { if case .unlimited = $0.dominant { return true } else { return false } } == true)
        let (inference, _, _) = try sumBudgetLaw("6*N*D + 2*N*D_inf\n  closed form N", assume: "")
        XCTAssertNil(inference?.closedForm)
        XCTAssertTrue(inference?.notes.contains { if case .noClosedFormForSum = $0 { return true } else { return false } } == true)
    }

    /// Attack round 5: a symbol the law holds fixed but that is defined through one it moves (define K = D^2 with D
    /// allocated) made the law treat a growing quantity as a constant; so did a limit whose term's fate is unknown.
    func testDefinedSymbolsAndLimitsAreNotHeldFixedSilently() throws {
        // K = D^2 is carried as its definition, so D^2/K is the constant 1: the loss never falls below 1, and no
        // decaying rate may be printed (before, K was held fixed and the law claimed C^(-a*b/(a+b))).
        let (law, _, _) = try self.law("A*N^(-a) + B*D^(-b) + K^(-1)*D^2", symbols: "  K : real >= 1 \"square\"\ndefine K = D^2 \"square of D\"")
        XCTAssertTrue(law?.exponent("risk") == nil || law?.exponent("risk") == .zero, "\(String(describing: law?.exponents))")
        // Two budget variables tied by a definition cannot be allocated independently.
        let tied = try theory("""
        symbols
          N : real >= 1  "n"
          D : real >= 1  "d"
          M : real >= 1  "m"
          C : real > 0   "c"
        define M = N^2 "square"
        quantities
          Loss >= 0 "loss"
        lemma L "the loss" [paper]
          source "test"
          Loss = 1/N + 1/D + 1/M
        derive loss "loss"
          start Loss
          by L
        law m "tied"
          bound loss
          budget C = N*D*M
        """)
        let tiedRun = try DerivationRun(theory: tied, audit: false)
        XCTAssertNil(tiedRun.law("m"))
        XCTAssertTrue(tiedRun.lawFailures.first?.message.contains("M is defined through N") == true, "\(tiedRun.lawFailures)")
        let t = try theory("""
        symbols
          N : real >= 1   "n"
          n : real >= 1   "samples"
          a : real > 0    "a"
          b : real >= 0   "b"
        quantities
          Loss >= 0 "loss"
        lemma L "the loss" [paper]
          source "test"
          Loss = N^(-a) + N*n^(-b)
        derive loss "loss"
          start Loss
          by L
        law m "limit first"
          bound loss
          limit n -> oo
          as N -> oo
        """)
        let run = try DerivationRun(theory: t, audit: false)
        XCTAssertNil(run.law("m"))
        XCTAssertTrue(run.lawFailures.first?.message.contains("is not decided") == true, "\(run.lawFailures)")
    }

    /// `irreducible` takes a whole term constant along the path (c/(1 - S)^lambda at a fixed S), matched to the bound's
    /// term it equals; an entry that is no term of the bound is an error at the law.
    func testIrreducibleTakesAWholeTerm() throws {
        let extra = "  S : real in [0, 1) \"sparsity\"\n  c, lambda : real > 0 \"floor\""
        let (law, failures, t) = try law("A*N^(-a) + B*D^(-b) + c/(1 - S)^lambda", symbols: extra, lines: "  irreducible c/(1 - S)^lambda")
        XCTAssertEqual(failures.map(\.message), [])
        assertSameExponent(try XCTUnwrap(law).exponent("risk"), "-a*b/(a + b)", t.assumptions)
        let (_, refused, _) = try self.law("A*N^(-a) + B*D^(-b) + c/(1 - S)^lambda", symbols: extra, lines: "  irreducible c/(1 - S)^(2*lambda)")
        XCTAssertTrue(refused.first?.message.contains("is not a term of the bound") == true, "\(refused)")
    }

    /// Attack round 6: a law may not grow a variable bounded by a symbol it holds fixed (M <= n with n fixed: the path
    /// is empty), nor move N on its own after a limit in n when N is defined through n.
    func testLawsRefuseEmptyPathsAndLimitsThroughDefinitions() throws {
        let bounded = try theory("""
        symbols
          n : real >= 2   "n"
          M : real >= 1   "m"
          a : real > 0    "a"
          assume M <= n
        quantities
          Loss >= 0 "loss"
        lemma L "the loss" [paper]
          source "test"
          Loss = M^(-a) + M/n
        derive loss "loss"
          start Loss
          by L
        law m "empty path"
          bound loss
          as M -> oo
        """)
        let run = try DerivationRun(theory: bounded, audit: false)
        XCTAssertNil(run.law("m"))
        XCTAssertTrue(run.lawFailures.first?.message.contains("M cannot grow while n is held fixed") == true, "\(run.lawFailures)")
        let limit = try theory("""
        symbols
          n : real >= 2   "n"
          P : real >= 1   "p"
          N : real >= 1   "N"
          a : real > 0    "a"
        define N = n*P "tied"
        quantities
          Loss >= 0 "loss"
        lemma L "the loss" [paper]
          source "test"
          Loss = N^(-a) + N*log(n)/n
        derive loss "loss"
          start Loss
          by L
        law m "limit"
          bound loss
          limit n -> oo
          as N -> oo
        """)
        let limitRun = try DerivationRun(theory: limit, audit: false)
        XCTAssertNil(limitRun.law("m"))
        XCTAssertTrue(limitRun.lawFailures.first?.message.contains("N is defined through n") == true, "\(limitRun.lawFailures)")
    }
}
