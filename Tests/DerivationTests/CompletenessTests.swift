import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// True steps a referee takes for granted, each checked by the kernel (the completeness issue's examples).
final class CompletenessTests: XCTestCase {
    /// The theorems of `proofs` (each `statement by how` on one line) over these symbols, and which did not check.
    func refused(_ symbols: String, _ proofs: [(String, String, String)], extra: String = "") throws -> [String] {
        var text = "symbols\n\(symbols)\n\(extra)\n"
        for (i, (path, statement, how)) in proofs.enumerated() {
            text += """
            theorem T\(i) "\(statement)" [derived]
              source "test"
            \(path.isEmpty ? "" : "  " + path)
              \(statement)
            proof
              \(statement)   by \(how)
            qed

            """
        }
        let t = try theory(text)
        let reports = Checker(theory: t).checkAll()
        return reports.filter { !$0.ok }.map { r in
            let i = Int(r.lemma.dropFirst())!
            return "\(proofs[i].1) [by \(proofs[i].2)]: \(r.firstFailure?.message ?? "")"
        }
    }

    func testElementaryInequalities() throws {
        let failures = try refused("""
          x, y : real            "reals of unknown sign"
          a, b : real > 0        "positive reals"
          z : real               "z"
          u : real in [0, 1]     "a unit-interval variable"
          m : integer >= 1       "an integer"
          assume z >= x + 1
        """, [
            ("", "0 <= (x - y)^2", "algebra"),
            ("", "2*x*y <= x^2 + y^2", "algebra"),
            ("", "min(x, y) <= max(x, y)", "algebra"),
            ("", "min(a, b) <= a + b", "monotonicity"),
            ("", "min(x, y) + max(x, y) = x + y", "algebra"),
            ("", "x + 1 <= z", "algebra"),
            ("", "u^2 <= u", "algebra"),
            ("", "m <= m^2", "algebra"),
            ("", "u*(1 - u) <= 1/4", "algebra"),
            ("", "2 <= a + 1/a", "algebra"),
            ("", "a^3 <= (a + b)^3", "algebra"),
            ("", "1/(a + b) <= 1/a", "algebra"),
            ("", "a/(a + b) <= 1", "algebra"),
            ("", "exp(x) <= exp(x + a)", "algebra"),
            ("", "log(a) <= log(a + b)", "algebra"),
        ])
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    /// Attack round 4's true steps: powers of a base that may be 0 with an exponent that may be 0 (0^0 = 1),
    /// weak monotonicity of x^p for p >= 0 and of b^x for b >= 1, and a definition whose range needs the
    /// polynomial prover. Each comes with its must-fail twin.
    func testPowersWithANonnegativeBaseAndExponent() throws {
        let failures = try refused("""
          y, w : real >= 0       "nonnegative reals"
          v : real >= 0          "v"
          p : real >= 0          "a nonnegative exponent"
          b : real >= 1          "a base at least 1"
          s, t : real            "reals"
          assume w <= v
          assume s <= t
        """, [
            ("", "y^p >= 0", "algebra"),
            ("", "w^p <= v^p", "monotonicity"),
            ("", "b^s <= b^t", "monotonicity"),
        ])
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
        // Strictness is lost: at p = 0 both sides are 1, and at b = 1 both are 1.
        let strict = try refused("""
          w, v : real > 0
          p : real >= 0
          b : real >= 1
          s, t : real
          assume w < v
          assume s < t
        """, [("", "w^p < v^p", "monotonicity"), ("", "b^s < b^t", "monotonicity")])
        XCTAssertEqual(strict.count, 2, strict.joined(separator: "\n"))
        let defined = try theory("""
        symbols
          j : integer >= 1
          h : real >= 1
        define h = j^2 - j + 1   "a shifted pronic number"
        """)
        XCTAssertNotNil(defined.definitions.first { $0.name == "h" })
        XCTAssertThrowsError(try theory("""
        symbols
          j : integer >= 1
          h : real >= 2
        define h = j^2 - j + 1   "1 at j = 1"
        """))
    }

    func testATheoremsOwnHypothesesHoldInsideItsProof() throws {
        let t = try theory("""
        symbols
          x, y : real "reals"
        theorem T "from the hypothesis" [derived]
          source "test"
          if x <= y
          if y <= 3
          x + 1 <= 4
        proof
          x + 1 <= y + 1   by algebra
                <= 4       by algebra
        qed
        """)
        XCTAssertTrue(Checker(theory: t).checkAll().allSatisfy(\.ok))
    }

    func testGrowthComparisons() throws {
        let failures = try refused("""
          n : integer >= 2   "n"
          M : integer >= 1   "m"
          a, b : real > 0    "exponents"
          assume a <= b
        """, [
            ("as n -> oo", "log(log(n)) <~ log(n)", "asymptotics"),
            ("as n -> oo", "M/(M + n) <~ 1", "asymptotics"),
            ("as n -> oo fixed a, b", "min(n^(-a), n^(-b)) <~ n^(-a)", "asymptotics"),
            ("as n -> oo fixed a", "log(n)^3 <~ n^a", "asymptotics"),
            ("as n -> oo", "n + M*log(n) <~ n*M", "asymptotics"),
            ("as n -> oo", "n*log(n) >~ n", "asymptotics"),
            ("as n -> oo", "2*n + 1 ~ n", "asymptotics"),
        ])
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    /// A side with negative terms bounds from below once its nonnegative part is at most twice (or four times) it:
    /// n - 1 >= n/2 for n >= 2. Refused when the negative part is not dominated uniformly (n - M with M free):
    /// MustFail/round4/08-11.
    func testNegativeTermsAbsorbedByTheLeadingPart() throws {
        let failures = try refused("""
          n : integer >= 2   "n"
          M : integer >= 1   "m"
        """, [
            ("as n -> oo", "n <~ n - 1", "asymptotics"),
            ("as n -> oo", "n - 1 >~ n", "asymptotics"),
            ("as n -> oo", "n - 1 ~ n", "asymptotics"),
            ("as n -> oo fixed M", "n^2 <~ n^2 - M*n", "asymptotics"),
            ("as n -> oo", "n*M <~ n*M - M", "asymptotics"),
        ])
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    /// b^(k·log n + r) = n^(k·log b)·b^r for b > 0 (Tian et al.'s leverage law): compared as the power it is.
    /// Refused for a base of unknown sign, and for a larger base: MustFail/round4/14-15.
    func testPowersWithLogLinearExponents() throws {
        let failures = try refused("""
          n : integer >= 2   "n"
          A : real > 0       "a base"
        """, [
            ("as n -> oo fixed A", "A^(2*log(n) + 1) <~ n^(2*log(A))", "asymptotics"),
            ("as n -> oo fixed A", "n^(2*log(A)) <~ A^(2*log(n))", "asymptotics"),
            ("as n -> oo", "2^(log(n)) <~ 3^(log(n))", "asymptotics"),
            ("as n -> oo", "exp(2*log(n)) ~ n^2", "asymptotics"),
        ])
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    func testCanonicalFormsAgreeOnTheListedIdentities() throws {
        let failures = try refused("""
          n : real > 0            "n"
          a : real                "a real exponent"
          x, y, z : real > 0      "positive reals"
          C : real > 0            "compute"
          k, m : integer >= 0     "integers"
          w : real                "a real of unknown sign"
          N : real >= 1           "parameters"
          M : real >= 1           "experts"
          beta : real > 0         "smoothness"
          d : integer >= 1        "dimension"
          q : real >= 1           "q"
          assume N <= M
        """, [
            ("", "exp(a*log(n)) = n^a", "algebra"),
            ("", "log(x*(y + z)) = log(x) + log(y + z)", "algebra"),
            ("", "(C/6)^a*6^a = C^a", "algebra"),
            ("", "2^a*3^a = 6^a", "algebra"),
            ("", "(w^k)^m = w^(k*m)", "algebra"),
            ("", "min(N^(-2*beta/d), M^(-2*beta/d)) = M^(-2*beta/d)", "algebra"),
            ("", "max(1/q, 1/q^2) = 1/q", "algebra"),
            ("", "min(x, y, max(x, y, z)) = min(x, y)", "algebra"),
            ("", "1/(3*sqrt(2)) = sqrt(2)/6", "algebra"),
            ("", "sqrt(x + y)^3 = (x + y)^(3/2)", "algebra"),
            ("", "sqrt(12) = 2*sqrt(3)", "algebra"),
            ("", "log(2^64) = 64*log(2)", "algebra"),
            ("", "log(10^30) = 30*log(2) + 30*log(5)", "algebra"),
        ])
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    func testALowerBoundChainIsWrittenDownward() throws {
        let t = try theory("""
        symbols
          n : integer >= 2 "n"
          beta : real > 0 "smoothness"
          d : integer >= 1 "dimension"
        quantities
          Risk >= 0 "risk"
          Minimax >= 0 "minimax risk"
        lemma SUP "risk above the minimax risk" [standard]
          source "test"
          Risk >= Minimax
        lemma STONE "minimax rate" [standard]
          source "test"
          as n -> oo
          Minimax >~ n^(-2*beta/(2*beta + d))
        theorem T "lower bound" [derived]
          source "test"
          as n -> oo
          Risk + 1/n >~ n^(-2*beta/(2*beta + d))
        proof
          Risk + 1/n >= Minimax + 1/n                          by SUP
                     >~ n^(-2*beta/(2*beta + d)) + 1/n           by STONE
                     >= n^(-2*beta/(2*beta + d))                 by algebra
        qed
        """)
        let reports = Checker(theory: t).checkAll()
        XCTAssertTrue(reports.allSatisfy(\.ok), "\(reports.flatMap(\.steps).filter { !$0.ok }.map(\.message))")
    }
}
