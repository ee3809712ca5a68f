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
