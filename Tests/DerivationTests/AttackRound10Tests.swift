import XCTest
import Symbolic
@testable import Derivation

/// Cases from the tenth README-only attack (2026-12-02): laws whose terms tie in the exponents and differ in log
/// factors, and `by asymptotics` over terms of unknown sign.
final class AttackRound10Tests: XCTestCase {
    private func lawTheory(lemma: String, law: String) throws -> Theory {
        try theory("""
        symbols
          n : integer >= 2
          N : real >= 1
          M : real >= 1
          x : real
          a : real > 0
          b : real > 0

        quantities
          Q >= 0

        lemma L "l" [standard]
          source "x"
          as n -> oo fixed a, b
          Q <~ \(lemma)

        derive b "b"
          as n -> oo fixed a, b
          start Q
          by L
          by asymptotics

        \(law)
        """)
    }

    private func derivedLaw(_ t: Theory) throws -> DerivedLaw {
        let run = try DerivationRun(theory: t, audit: false)
        XCTAssertTrue(run.lawFailures.isEmpty, "\(run.lawFailures)")
        return try XCTUnwrap(run.laws.first)
    }

    /// N^(-a) + 1/log(n) is n^0 at every theta >= 0, but for theta > 0 it is ≍ 1/log(n): the vertex theta = 0
    /// (risk ≍ 1) is not the optimum, and the law must not print it.
    func testATieInTheExponentsWithLessLogInsideTheFaceIsUndecided() throws {
        let minimizeTheta = "law D \"d\"\n  bound b\n  as n -> oo with N = n^theta\n  minimize theta"
        for lemma in ["N^(-a) + 1/log(n)", "N^(-a) + N/n + 1/log(n)", "N^(-a) + 1/log(n)^2", "N^(-a) + 1/log(log(n))"] {
            let law = try derivedLaw(try lawTheory(lemma: lemma, law: minimizeTheta))
            XCTAssertNotNil(law.undecided, "\(lemma): printed \(law.exponents) although the optimum carries less log")
            XCTAssertTrue(law.exponents.isEmpty, lemma)
        }
        let two = "law D \"d\"\n  bound b\n  as n -> oo with N = n^theta, M = n^mu\n  minimize theta, mu"
        let law = try derivedLaw(try lawTheory(lemma: "N^(-a) + N*M/n + M^(-b) + 1/log(n)", law: two))
        XCTAssertNotNil(law.undecided, "printed \(law.exponents)")
    }

    /// Where the balance is a single point, terms with different log powers still give a certified law (the
    /// bundled D2 has N_eff^(-2*beta/d) against N_eff*log(n)/n).
    func testABalanceAtASinglePointWithDifferentLogPowersIsStillCertified() throws {
        let minimizeTheta = "law D \"d\"\n  bound b\n  as n -> oo with N = n^theta\n  minimize theta"
        let t = try lawTheory(lemma: "N^(-a) + N*log(n)/n", law: minimizeTheta)
        let law = try derivedLaw(t)
        XCTAssertNil(law.undecided)
        assertSameExponent(law.exponents.first { $0.0 == "risk" }?.1, "-a/(a + 1)", t.assumptions)
    }

    /// A term of unknown sign cannot bound anything: `by asymptotics` drops nothing (it used to stop with an
    /// internal error), and never drops the unknown term.
    func testAsymptoticsOverATermOfUnknownSignDropsNothing() throws {
        let t = try theory("""
        symbols
          n : integer >= 2
          N : real >= 1
          x : real

        quantities
          Q >= 0

        lemma L "l" [standard]
          source "x"
          as n -> oo
          Q <~ N/n + x/n + 1/n^2

        derive b "b"
          as n -> oo
          start Q
          by L
          by asymptotics
        """)
        let run = try DerivationRun(theory: t, audit: false)
        let bound = try XCTUnwrap(run.bounds.first)
        XCTAssertEqual(bound.terms.count, 3, "\(bound.terms.map(\.expression))")
    }
}

/// Cases from the eleventh README-only attack (2026-12-02): assumptions relating a law's free exponents.
final class AttackRound11Tests: XCTestCase {
    private func law(assumption: String, lemma: String, free: String = "theta, mu") throws -> (DerivedLaw?, [TheoryError]) {
        let path = free == "theta" ? "N = n^theta" : "N = n^theta, M = n^mu"
        let t = try theory("""
        symbols
          n : integer >= 2
          N : real >= 1
          M : real >= 1
          beta : real > 0
          theta : real
          mu : real
          \(assumption)

        quantities
          Risk >= 0

        lemma L "l" [paper]
          source "x"
          as n -> oo
          Risk <~ \(lemma)

        derive bound "b"
          as n -> oo
          start Risk
          by L

        law D "d"
          bound bound
          as n -> oo with \(path)
          minimize \(free)
        """)
        let run = try DerivationRun(theory: t, audit: false)
        return (run.laws.first, run.lawFailures)
    }

    /// `mu <= theta/2` is a constraint of the exponent problem: the optimum is n^(-1/4) at (1/2, 1/4), not the
    /// unconstrained n^(-1/3) at (1/3, 1/3), which the assumption excludes.
    func testAnAssumedRelationBetweenFreeExponentsConstrainsTheOptimum() throws {
        for assumption in ["assume mu <= theta/2", "assume 2*mu <= theta", "assume theta + mu <= 1/2"] {
            let (derived, failures) = try law(assumption: assumption, lemma: "N^(-1) + M^(-1) + N*M/n")
            XCTAssertTrue(failures.isEmpty, "\(assumption): \(failures)")
            let d = try XCTUnwrap(derived)
            XCTAssertNil(d.undecided, assumption)
            XCTAssertEqual(d.exponents.first { $0.0 == "risk" }?.1, parse("-1/4"), assumption)
        }
    }

    /// A nonlinear or strict constraint is never met at an excluded point: the law is undecided (or fails), and
    /// never prints the excluded endpoint's rate.
    func testAStrictOrNonlinearConstraintIsNeverPrintedAtAnExcludedPoint() throws {
        for assumption in ["assume theta < 1/4", "assume theta^2 <= 1/16", "assume theta > 1/2", "assume theta <= beta"] {
            let (derived, failures) = try law(assumption: assumption, lemma: "N^(-1) + N/n", free: "theta")
            if let d = derived {
                XCTAssertTrue(d.undecided != nil || d.exponents.first { $0.0 == "risk" }?.1 != parse("-1/2"),
                              "\(assumption): printed \(d.exponents)")
            } else {
                XCTAssertFalse(failures.isEmpty, assumption)
            }
        }
    }
}
