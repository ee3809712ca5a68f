import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// Proof steps the checker must accept, and steps it must reject with the right reason.
final class CheckerTests: XCTestCase {
    /// A small theory in the style of the bundled one, with one theorem whose proof is `steps`.
    func verdicts(_ steps: String, statement: String = "Risk <~ N^(-2*beta/d) + N*log(n)/n", extra: String = "") throws -> [StepVerdict] {
        let text = """
        symbols
          n : integer >= 2       "sample size"
          N : real >= 1          "parameters"
          beta : real > 0        "smoothness"
          d : integer >= 1       "dimension"
          M : integer >= 1       "experts"
          k : integer >= 1       "experts per token"
          delta : real in (0, 1] "radius"
        \(extra)
        quantities
          Risk >= 0      "risk"
          Approx >= 0    "approximation"
          Cover(delta) >= 1  "cover"

        lemma ERM "oracle inequality" [standard]
          source "test"
          Risk <~ Approx + log(Cover(1/n))/n + 1/n

        lemma APX "approximation" [standard]
          source "test"
          Approx <~ N^(-2*beta/d)

        lemma COV "cover" [standard]
          source "test"
          log(Cover(delta)) <~ N*log(1/delta)

        lemma BIN "binomial" [standard]
          source "test"
          if k <= M
          log(binom(M, k)) <= k*log(e*M/k)

        theorem T "bound" [derived]
          source "test"
          \(statement.contains("~") ? "as n -> oo" : "")
          \(statement)
        proof
        \(steps)
        qed
        """
        let t = try theory(text)
        let report = try XCTUnwrap(Checker(theory: t).checkAll().first { $0.lemma == "T" })
        return report.steps
    }

    let good = """
      Risk <~ Approx + log(Cover(1/n))/n + 1/n                  by ERM
           <~ N^(-2*beta/d) + log(Cover(1/n))/n + 1/n           by APX
           <~ N^(-2*beta/d) + N*log(n)/n + 1/n                  by COV
           <~ N^(-2*beta/d) + N*log(n)/n                        by asymptotics
    """

    func testACorrectProofVerifies() throws {
        for v in try verdicts(good) { XCTAssertTrue(v.ok, "\(v.location): \(v.message)") }
    }

    func rejected(_ steps: String, statement: String = "Risk <~ N^(-2*beta/d) + N*log(n)/n", extra: String = "",
                  containing fragment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let vs = try verdicts(steps, statement: statement, extra: extra)
        let bad = vs.filter { !$0.ok }
        XCTAssertFalse(bad.isEmpty, "the checker accepted a wrong proof", file: file, line: line)
        XCTAssertTrue(bad.contains { $0.message.contains(fragment) }, "no rejection mentions '\(fragment)': \(bad.map(\.message))", file: file, line: line)
        XCTAssertTrue(bad.allSatisfy { ($0.location.line) > 1 && $0.location.file != nil }, "rejections carry a location", file: file, line: line)
    }

    func testWrongExponentIsRejected() throws {
        try rejected(good.replacingOccurrences(of: "<~ N^(-2*beta/d) + log(Cover(1/n))/n + 1/n           by APX",
                                               with: "<~ N^(-3*beta/d) + log(Cover(1/n))/n + 1/n           by APX"),
                     containing: "simplify to")
    }

    func testWrongDirectionIsRejected() throws {
        // Approx sits in a decreasing position (subtracted): an upper bound on it gives a lower bound there.
        try rejected("""
          Risk - Approx <= Risk - N^(-2*beta/d)     by APX
        """, statement: "Risk - Approx <= Risk - N^(-2*beta/d)", containing: "wrong direction")
    }

    func testUpToConstantLemmaCannotClaimExactInequality() throws {
        try rejected(good.replacingOccurrences(of: "<~ N^(-2*beta/d) + log(Cover(1/n))/n + 1/n           by APX",
                                               with: "<= N^(-2*beta/d) + log(Cover(1/n))/n + 1/n           by APX"),
                     containing: "gives only '<~'")
    }

    func testUndischargedHypothesisIsRejected() throws {
        // k <= M is not assumed here, so BIN's hypothesis cannot be proved.
        try rejected("""
          log(binom(M, k)) <= k*log(e*M/k)     by BIN
        """, statement: "log(binom(M, k)) <= k*log(e*M/k)", containing: "hypothesis 'k <= M' of BIN")
        // With the assumption, the same step verifies.
        let ok = try verdicts("""
          log(binom(M, k)) <= k*log(e*M/k)     by BIN
        """, statement: "log(binom(M, k)) <= k*log(e*M/k)", extra: "  assume k <= M")
        XCTAssertTrue(ok.allSatisfy(\.ok), "\(ok.map(\.message))")
    }

    func testLemmaUsedOutsideItsDomainIsRejected() throws {
        // delta := 2 violates the declared delta in (0, 1].
        try rejected("""
          log(Cover(2)) <~ N*log(1/2)     by COV [delta := 2]
        """, statement: "log(Cover(2)) <~ N*log(1/2)", containing: "needs delta <= 1")
        // The quantity's bound Cover(delta) >= 1 holds only inside delta's domain, so log(Cover(2)) is not known to be defined either.
    }

    func testDroppingATermThatIsNotDominatedIsRejected() throws {
        // N*log(n)/n is not bounded by a constant times N^(-2*beta/d) uniformly in N.
        try rejected(good.replacingOccurrences(of: "<~ N^(-2*beta/d) + N*log(n)/n                        by asymptotics",
                                               with: "<~ N^(-2*beta/d)                                    by asymptotics"),
                     statement: "Risk <~ N^(-2*beta/d)", containing: "not bounded by a constant")
    }

    func testAsymptoticsCannotGiveAnExactInequality() throws {
        try rejected(good.replacingOccurrences(of: "<~ N^(-2*beta/d) + N*log(n)/n                        by asymptotics",
                                               with: "<= N^(-2*beta/d) + N*log(n)/n                        by asymptotics"),
                     containing: "gives '<~' only")
    }

    func testWrongAlgebraIsRejectedAndRightAlgebraAccepted() throws {
        try rejected("""
          Risk <~ Approx + log(Cover(1/n))/n + 1/n                  by ERM
               = Approx + (log(Cover(1/n)) + 2)/n                   by algebra
               <~ N^(-2*beta/d) + (log(Cover(1/n)) + 2)/n           by APX
        """, statement: "Risk <~ N^(-2*beta/d) + (log(Cover(1/n)) + 2)/n", containing: "not equal")
        let ok = try verdicts("""
          Risk <~ Approx + log(Cover(1/n))/n + 1/n                  by ERM
               = Approx + (log(Cover(1/n)) + 1)/n                   by algebra
        """, statement: "Risk <~ Approx + (log(Cover(1/n)) + 1)/n")
        XCTAssertTrue(ok.allSatisfy(\.ok), "\(ok.map(\.message))")
    }

    func testConclusionMustMatchTheStatement() throws {
        try rejected(good, statement: "Risk <~ N^(-2*beta/d)", containing: "not at the statement's right side")
    }

    func testTheoryErrorsCarryLocations() throws {
        XCTAssertThrowsError(try theory("lemma X \"x\" [paper]\n  source \"s\"\n  a <= b +\n")) { error in
            XCTAssertTrue("\(error)".contains("test.bounds:3:11: error: expected an expression after '+'"), "\(error)")
        }
        XCTAssertThrowsError(try theory("lemma X \"x\" [paper]\n  source \"s\"\n  a <= b\nlemma X \"y\" [paper]\n  source \"s\"\n  a <= c\n")) { error in
            XCTAssertTrue("\(error)".contains("duplicate lemma id X"), "\(error)")
        }
        XCTAssertThrowsError(try theory("symbols\n  beta : real > 0\n  assume beta < 0\n")) { error in
            XCTAssertTrue("\(error)".contains("contradictory assumptions"), "\(error)")
            XCTAssertTrue("\(error)".contains(":3:"), "\(error)")
        }
        XCTAssertThrowsError(try theory("theorem T \"t\" [paper]\n  source \"s\"\n  a <= b\nproof\n  a <= b by T\nqed\n")) { error in
            XCTAssertTrue("\(error)".contains("cites itself"), "\(error)")
        }
        XCTAssertThrowsError(try theory("symbols\n  a : real > 0\nlemma X \"x\" [paper]\n  source \"s\"\n  a <= a_typo\n")) { error in
            XCTAssertTrue("\(error)".contains("test.bounds:5:8: error: undefined symbol 'a_typo'"), "\(error)")
        }
        XCTAssertThrowsError(try theory("import \"test.bounds\"\n", name: "test.bounds")) { error in
            XCTAssertTrue("\(error)".contains("cyclic import"), "\(error)")
        }
    }
}
