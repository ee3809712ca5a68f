import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// A law's `values` and `tabulate` lines: every number is a derived expression evaluated at an admissible point,
/// checked here against the closed formulas computed by hand; every inadmissible point is refused or reported.
final class LawValuesTests: XCTestCase {
    /// A loss whose parameter exponent falls with the number of experts, L = A*N^(-(a - g*log(E))) + B*D^(-b), under
    /// C = 6*N*D. With p = a - g*log(E) > 0: risk ≍ C^(-b*p/(p + b)), N ∝ C^(b/(p + b)), D ∝ C^(p/(p + b)).
    static func compound(law extra: String, symbols: String = "", E: String = "real >= 1") -> String {
        """
        symbols
          N : real >= 1   "parameters"
          D : real >= 1   "tokens"
          C : real > 0    "compute"
          E : \(E)   "experts"
          a, g : real > 0 "exponents"
          A, B : real > 0 "coefficients"
          b : real > 0    "data exponent"
          assume a - g*log(E) > 0
        \(symbols)
        quantities
          Loss >= 0 "loss"
        lemma L "loss" [paper]
          source "test"
          Loss = A*N^(-a + g*log(E)) + B*D^(-b)
        derive loss "loss"
          start Loss
          by L
        law opt "allocation"
          bound loss
          budget C = 6*N*D
        \(extra)
        """
    }

    static let point = "  values A = 1, B = 2, a = 0.3, g = 0.01, E = 8, b = 0.4"

    /// The hand formulas at a point.
    static func expected(a: Double = 0.3, b: Double = 0.4, g: Double = 0.01, E: Double = 8, A: Double = 1, B: Double = 2)
        -> (risk: Double, N: Double, D: Double, G: Double, Gp: Double) {
        let p = a - g * log(E)
        let G = pow(A * p / (B * b), 1 / (p + b))
        // D* = (C/6)/N* = G^(-1)·(C/6)^(1 - b/(p + b)).
        return (-b * p / (p + b), b / (p + b), p / (p + b), G, 1 / G)
    }

    func derived(_ text: String, _ id: String = "opt") throws -> DerivedLaw {
        let run = try DerivationRun(theory: try theory(text), audit: false)
        XCTAssertTrue(run.lawFailures.isEmpty, "\(run.lawFailures)")
        return try XCTUnwrap(run.law(id))
    }

    func number(_ law: DerivedLaw, _ key: String) -> Double? { law.numbers.first { $0.key == key }?.value }

    /// The numbers of a law without a closed form: before, its values were ignored.
    func testValuesEvaluateALawWithoutAClosedForm() throws {
        let law = try derived(Self.compound(law: Self.point))
        let x = Self.expected()
        XCTAssertTrue(law.isCertified, law.undecided ?? "")
        XCTAssertEqual(law.numbers.map(\.key), ["risk", "D", "N"])
        XCTAssertEqual(number(law, "risk") ?? .nan, x.risk, accuracy: 1e-12)
        XCTAssertEqual(number(law, "N") ?? .nan, x.N, accuracy: 1e-12)
        XCTAssertEqual(number(law, "D") ?? .nan, x.D, accuracy: 1e-12)
        // Each number is its derived expression evaluated, not a stored answer.
        for n in law.numbers {
            let env = ["A": 1.0, "B": 2, "a": 0.3, "g": 0.01, "E": 8, "b": 0.4]
            XCTAssertEqual(try n.expression.evaluate(env), n.value)
        }
        XCTAssertEqual(law.values.map(\.0), law.numbers.map(\.meaning))
        let text = TextReport.render(try DerivationRun(theory: try theory(Self.compound(law: Self.point)), audit: false))
        XCTAssertTrue(text.contains("at the fitted constants: r (risk ≍ C^r) = \(TextReport.formatNumber(x.risk))"), text)
        XCTAssertTrue(text.contains("at the fitted constants: r (risk ≍ C^r) = -0.164431"), text)
    }

    /// The closed form's coefficient is free of C even when an exponent involves log(E): the coefficient used to
    /// keep C inside a power of a sum, and evaluating it failed with "no value for symbol 'C'".
    func testClosedFormCoefficientIsFreeOfTheBudget() throws {
        let law = try derived(Self.compound(law: "  closed form N\n" + Self.point))
        let closed = try XCTUnwrap(law.closedForm)
        XCTAssertFalse(closed.coefficient.contains(symbol: "C"), "\(closed.coefficient)")
        XCTAssertFalse(try XCTUnwrap(closed.partner).coefficient.contains(symbol: "C"))
        let x = Self.expected()
        XCTAssertEqual(number(law, "closed_form_N_exponent") ?? .nan, x.N, accuracy: 1e-12)
        XCTAssertEqual(number(law, "closed_form_N_coefficient") ?? .nan, x.G, accuracy: 1e-12)
        XCTAssertEqual(number(law, "closed_form_D_exponent") ?? .nan, x.D, accuracy: 1e-12)
        XCTAssertEqual(number(law, "closed_form_D_coefficient") ?? .nan, x.Gp, accuracy: 1e-12)
        // N* = G·(C/6)^a minimizes the loss along the budget: a step either way increases it.
        let p = 0.3 - 0.01 * log(8.0)
        for c in [1e18, 1e22] {
            let nStar = x.G * pow(c / 6, x.N)
            func loss(_ n: Double) -> Double { pow(n, -p) + 2 * pow(c / (6 * n), -0.4) }
            XCTAssertLessThan(loss(nStar), loss(nStar * 1.001))
            XCTAssertLessThan(loss(nStar), loss(nStar / 1.001))
        }
    }

    /// Two terms with the same power of N are one term with the summed coefficient.
    func testClosedFormJoinsEqualPowers() throws {
        let text = """
        symbols
          N : real >= 1   "params"
          D : real >= 1   "data"
          C : real > 0    "compute"
          G : real >= 1   "granularity"
          a, b, gamma : real > 0  "exps"
          A, B, g : real > 0 "coefs"
        quantities
          Loss >= 0 "loss"
        lemma L "shared" [paper]
          source "test"
          Loss = (A + g*G^(-gamma))*N^(-a) + B*D^(-b)
        derive loss "loss"
          start Loss
          by L
        law opt "allocation"
          bound loss
          budget C = 6*N*D
          closed form N
          values A = 1, B = 1, g = 1, G = 8, a = 0.3, b = 0.3, gamma = 0.5
        """
        let law = try derived(text)
        let k = 1 + pow(8.0, -0.5)
        XCTAssertEqual(number(law, "closed_form_N_coefficient") ?? .nan, pow(k * 0.3 / 0.3, 1 / 0.6), accuracy: 1e-12)
        XCTAssertEqual(number(law, "closed_form_N_exponent") ?? .nan, 0.5, accuracy: 1e-12)
    }

    /// `tabulate E = ...`: a row per value, each the derived expressions at that E; a row outside the domain or
    /// the assumptions is reported with no numbers.
    func testTabulateGivesARowPerValueAndReportsInadmissibleRows() throws {
        let law = try derived(Self.compound(law: Self.point + "\n  tabulate E = 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 1e20"))
        let table = try XCTUnwrap(law.tables.first)
        XCTAssertEqual(table.symbol, "E")
        XCTAssertEqual(table.rows.map(\.text), ["0.5", "1", "2", "4", "8", "16", "32", "64", "128", "256", "1e20"])
        XCTAssertEqual(table.columns.map(\.key), ["risk", "D", "N"])
        for row in table.rows where row.isAdmissible {
            let x = Self.expected(E: row.value)
            XCTAssertEqual(row.numbers[0], x.risk, accuracy: 1e-12, "E = \(row.text)")
            XCTAssertEqual(row.numbers[1], x.D, accuracy: 1e-12)
            XCTAssertEqual(row.numbers[2], x.N, accuracy: 1e-12)
        }
        XCTAssertEqual(table.rows.filter(\.isAdmissible).count, 9)
        let first = try XCTUnwrap(table.rows.first)
        XCTAssertTrue(first.numbers.isEmpty)
        XCTAssertTrue(first.problem?.contains("E must be >= 1") ?? false, "\(first.problem ?? "")")
        let last = try XCTUnwrap(table.rows.last)
        XCTAssertTrue(last.numbers.isEmpty)
        XCTAssertTrue(last.problem?.contains("'a - g*log(E) > 0' does not hold") ?? false, "\(last.problem ?? "")")
        // In every format.
        let run = try DerivationRun(theory: try theory(Self.compound(law: Self.point + "\n  tabulate E = 0.5, 1")), audit: false)
        let text = TextReport.render(run)
        XCTAssertTrue(text.contains("tabulate E, the other values as given: r (risk ≍ C^r), e_D (D ∝ C^e_D), e_N (N ∝ C^e_N)"), text)
        XCTAssertTrue(text.contains("0.5  not admissible:"), text)
        let csv = CSVReport.render(run).components(separatedBy: "\n")
        XCTAssertEqual(csv.first, "law,symbol,value,risk,D,N,problem")
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[2].hasPrefix("opt,E,0.5,,,,not admissible"), csv[2])
        XCTAssertTrue(csv[3].hasPrefix("opt,E,1,-0.1714285714285714"), csv[3])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONReport.render(run).utf8)) as? [String: Any])
        let laws = try XCTUnwrap(json["laws"] as? [[String: Any]])
        let tables = try XCTUnwrap(laws.first?["tables"] as? [[String: Any]])
        let rows = try XCTUnwrap(tables.first?["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.first?["admissible"] as? Bool, false)
        XCTAssertNil(rows.first?["values"])
        XCTAssertEqual((rows.last?["values"] as? [String: Double])?["risk"] ?? .nan, -0.4 * 0.3 / 0.7, accuracy: 1e-12)
        let latex = LaTeXReport.document(run, fragment: false)
        XCTAssertTrue(latex.contains("Tabulated over $E$, the other values as given:"), latex)
    }

    /// Values outside the declared domain, or for names the law cannot take a value for, are located errors.
    func testValuesOutsideTheDomainAreLocatedErrors() throws {
        func failure(_ text: String) -> TheoryError? {
            do { _ = try theory(text); return nil } catch let e as TheoryError { return e } catch { XCTFail("\(error)"); return nil }
        }
        let cases: [(String, String, String, Int, Int)] = [
            ("interval", Self.compound(law: "  values A = 1, B = 2, a = -0.3, g = 0.01, E = 8, b = 0.4"), "a must be > 0", 22, 28),
            ("integer", Self.compound(law: "  values A = 1, B = 2, a = 0.3, g = 0.01, E = 2.5, b = 0.4", E: "integer >= 1"), "E must be an integer", 22, 47),
            ("relation", Self.compound(law: "  values A = 1, B = 2, a = 0.01, g = 0.01, E = 8, b = 0.4"), "'a - g*log(E) > 0' does not hold", 22, 48),
            ("undeclared", Self.compound(law: "  values A = 1, Q = 2"), "undefined symbol 'Q'", 22, 17),
            ("budget", Self.compound(law: "  values C = 10"), "it is the law's budget", 22, 10),
            ("allocated", Self.compound(law: "  values A = 1, N = 10"), "the law allocates the budget to it", 22, 17),
            ("quantity", Self.compound(law: "  values Loss = 1"), "Loss is a quantity", 22, 10),
            ("twice", Self.compound(law: "  values A = 1, A = 2"), "A is given twice", 22, 17),
            ("no completion", Self.compound(law: "  values A = 1, B = 2, a = 5, g = 0.01, E = 8, b = 0.4", symbols: "  M : real >= 0\n  assume a + M <= 1"),
             "no value of the other symbols satisfies the assumptions", 23, 52),
            ("tabulate undeclared", Self.compound(law: Self.point + "\n  tabulate Z = 1, 2"), "undefined symbol 'Z'", 23, 12),
            ("tabulate budget", Self.compound(law: Self.point + "\n  tabulate D = 1, 2"), "cannot tabulate D", 23, 12),
            ("tabulate symbol in a row", Self.compound(law: Self.point + "\n  tabulate E = 1, a"), "must be a number", 23, 19),
        ]
        for (what, text, message, line, column) in cases {
            guard let e = failure(text) else { XCTFail("\(what): loaded"); continue }
            XCTAssertTrue(e.message.contains(message), "\(what): \(e)")
            XCTAssertEqual(e.location?.line, line, "\(what): \(e)")
            XCTAssertEqual(e.location?.column, column, "\(what): \(e)")
        }
    }

    /// A law minimized over a free exponent: a value for the exponent or the growing variable is refused.
    func testValuesOfAMinimizedLaw() throws {
        let text = """
        symbols
          n : integer >= 2   "samples"
          N : real >= 1      "parameters"
          beta : real > 0    "smoothness"
          d : integer >= 1   "dimension"
        quantities
          Risk >= 0 "risk"
        lemma R "bound" [standard]
          source "test"
          as n -> oo
          Risk <~ N^(-2*beta/d) + N/n
        derive bound "b"
          as n -> oo
          start Risk
          by R
        law D2 "data"
          bound bound
          as n -> oo with N = n^theta
          minimize theta
          values beta = 1, d = 4
          tabulate d = 1, 2, 4, 8, 2.5
        """
        let law = try derived(text, "D2")
        XCTAssertEqual(number(law, "risk") ?? .nan, -2.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(number(law, "N") ?? .nan, 4.0 / 6, accuracy: 1e-12)
        let rows = try XCTUnwrap(law.tables.first).rows
        for (row, d) in zip(rows, [1.0, 2, 4, 8]) {
            let risk: Double = row.numbers.first ?? .nan
            XCTAssertEqual(risk, -2 / (2 + d), accuracy: 1e-12, "d = \(d)")
        }
        XCTAssertTrue(rows.last?.problem?.contains("d must be an integer") ?? false, "\(rows.last?.problem ?? "")")
        for (line, message) in [("  values theta = 1", "free exponent"), ("  values n = 100", "growing variable"), ("  values N = 4", "the law's path moves it")] {
            let bad = text.replacingOccurrences(of: "  values beta = 1, d = 4", with: line)
            XCTAssertThrowsError(try theory(bad)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }

    /// A value every exponent needs but the law does not give is an error of that law (not a silent skip).
    func testAMissingValueIsALocatedLawFailure() throws {
        let run = try DerivationRun(theory: try theory(Self.compound(law: "  values A = 1, B = 2, g = 0.01, E = 8")), audit: false)
        let failure = try XCTUnwrap(run.lawFailures.first)
        XCTAssertTrue(failure.message.contains("depends on a, b, which the values do not give"), failure.message)
        XCTAssertEqual(failure.location?.line, 22)
    }

    /// An undecided law prints no number, and says why.
    func testAnUndecidedLawPrintsNoNumbers() throws {
        // Without 'assume a - g*log(E) > 0' the sign of the N exponent is unknown: the allocation is undecided.
        let text = Self.compound(law: Self.point).replacingOccurrences(of: "  assume a - g*log(E) > 0\n", with: "")
        let run = try DerivationRun(theory: try theory(text), audit: false)
        let law = try XCTUnwrap(run.law("opt") ?? nil, "\(run.lawFailures)")
        XCTAssertFalse(law.isCertified)
        XCTAssertTrue(law.numbers.isEmpty)
        XCTAssertTrue(law.values.isEmpty)
        XCTAssertNotNil(law.valuesNote)
        let report = TextReport.render(run)
        XCTAssertTrue(report.contains("at the fitted constants: no value is evaluated: the law is undecided"), report)
        XCTAssertFalse(report.contains(" = -0."), report)
        XCTAssertTrue(CSVReport.render(run).contains("opt,,,\"no value is evaluated"), CSVReport.render(run))
    }

    /// A `closed form` line on a law without a budget was ignored; it is an error at the variable.
    func testClosedFormNeedsABudget() throws {
        let text = Self.compound(law: "").replacingOccurrences(of: "  budget C = 6*N*D", with: "  as N -> oo\n  closed form N")
        let run = try DerivationRun(theory: try theory(text), audit: false)
        let failure = try XCTUnwrap(run.lawFailures.first)
        XCTAssertTrue(failure.message.contains("a closed form is derived only under a budget"), failure.message)
        XCTAssertEqual(failure.location?.line, 22)
        XCTAssertEqual(failure.location?.column, 15)
    }

    /// `--use` and `--assume` change the domains: the values are checked against the domains they leave.
    func testValuesAreCheckedAgainstTheTheoryInUse() throws {
        var t = try theory(Self.compound(law: Self.point))
        try t.addAssumption("a >= 1/2", file: "<assume 1>")
        XCTAssertThrowsError(try t.checkLawValues()) { XCTAssertTrue("\($0)".contains("a must be >= 1/2"), "\($0)") }
        // And at derive time, whatever the caller checked.
        let run = try DerivationRun(theory: t, audit: false)
        XCTAssertTrue(run.law("opt") == nil)
        XCTAssertTrue(run.lawFailures.first?.message.contains("a must be >= 1/2") ?? false, "\(run.lawFailures)")
    }

    /// The chinchilla law keeps its closed-form numbers and gains its exponents.
    func testChinchillaNumbers() throws {
        let file = repositoryRoot.appendingPathComponent("theorems/empirical/chinchilla.bounds").path
        let run = try DerivationRun(theory: try Theory.load(file, from: .fileSystem), audit: false)
        let law = try XCTUnwrap(run.law("chinchilla"))
        XCTAssertEqual(law.numbers.map(\.key), ["risk", "D", "N", "closed_form_N_exponent", "closed_form_N_coefficient", "closed_form_D_exponent", "closed_form_D_coefficient"])
        XCTAssertEqual(number(law, "risk") ?? .nan, -0.34 * 0.28 / 0.62, accuracy: 1e-12)
        XCTAssertEqual(number(law, "N") ?? .nan, 0.28 / 0.62, accuracy: 1e-12)
        XCTAssertEqual(number(law, "closed_form_D_coefficient") ?? .nan, pow(0.28 * 410.7 / (0.34 * 406.4), 1 / 0.62), accuracy: 1e-9)
    }
}
