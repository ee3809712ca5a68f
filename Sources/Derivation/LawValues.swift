import Foundation
import Symbolic
import Asymptotics

/// One derived expression of a law evaluated at its values: the risk exponent, an allocation exponent, a
/// closed-form exponent or coefficient.
public struct LawNumber: Sendable {
    /// A short name for CSV and JSON: `risk`, `N`, `closed_form_N_coefficient`.
    public var key: String
    /// What the number is (the text view prints it `r (risk ≍ C^r)`, `G (N* = G·(C/6)^a)`).
    public var meaning: NumberMeaning
    /// The derived expression that was evaluated.
    public var expression: Expr
    public var value: Double

    /// The number's name before its explanation (`r`, `e_N`, `G'`): the text table's column header.
    public var shortName: String { meaning.name }
}

/// `tabulate E = 1, 2, 4`: the law's numbers at each value, the other values as given.
public struct LawTable: Sendable {
    public var symbol: String
    /// The expressions evaluated in every row (the law's numbers without their values).
    public var columns: [LawNumber]
    public var rows: [LawTableRow]
}

public struct LawTableRow: Sendable {
    /// The value as written, and as a number.
    public var text: String
    public var value: Double
    /// One number per column; empty when `problem` says why the row has none.
    public var numbers: [Double]
    /// The point is outside the declared domain (or the assumptions), or an expression is undefined there.
    public var problem: String?
    public var isAdmissible: Bool { problem == nil }
}

extension LawDeriver {
    /// The law's exponents (and closed form) at its `values`, and a row per value of each `tabulate` line. Nothing
    /// is evaluated for an undecided law (it has no certified rate); its values are still checked.
    func evaluateValues(_ law: Law, _ result: inout DerivedLaw) throws {
        guard !law.valueLines.isEmpty || !law.tabulations.isEmpty else { return }
        let base = try theory.lawValuePoint(law)
        for table in law.tabulations {
            try theory.checkValueName(table.symbol, of: law, at: table.location, what: "tabulate")
        }
        guard result.isCertified, !result.exponents.isEmpty else {
            result.valuesNote = "no value is evaluated: the law is undecided, so it has no certified exponent to evaluate"
            return
        }
        let columns = try expressions(law, result)
        var env: [String: Double] = [:]
        for (name, _, v) in base { env[name] = v }
        let at = law.valueLines.first?.location ?? law.location
        if !law.valueLines.isEmpty {
            try requireValues(law, columns, given: Set(env.keys), at: at, what: "the values")
            for c in columns {
                var number = c
                do { number.value = try evaluate(c.expression, env) } catch let e as EvaluationProblem {
                    throw TheoryError("law \(law.id): \(c.meaning.text) is undefined at the given values: \(e.message)", at: at)
                }
                result.numbers.append(number)
            }
            result.values = result.numbers.map { ($0.meaning, $0.value) }
        }
        for table in law.tabulations {
            try requireValues(law, columns, given: Set(env.keys).union([table.symbol]), at: table.location, what: "the values and tabulate \(table.symbol)")
            var rows: [LawTableRow] = []
            for row in table.rows {
                let value = (try? row.expression.evaluate([:])) ?? .nan
                var line = LawTableRow(text: row.text, value: value, numbers: [], problem: nil)
                do {
                    let point = try theory.lawValuePoint(law, row: row)
                    var rowEnv: [String: Double] = [:]
                    for (name, _, v) in point { rowEnv[name] = v }
                    line.numbers = try columns.map { try evaluate($0.expression, rowEnv) }
                } catch let e as TheoryError {
                    line.problem = "not admissible: " + e.message
                } catch let e as EvaluationProblem {
                    line.problem = "undefined: " + e.message
                }
                if line.problem != nil { line.numbers = [] }
                rows.append(line)
            }
            result.tables.append(LawTable(symbol: table.symbol, columns: columns, rows: rows))
        }
    }

    struct EvaluationProblem: Error { var message: String }

    /// `e` (definitions expanded) at a point: a finite number, or why there is none.
    func evaluate(_ e: Expr, _ env: [String: Double]) throws -> Double {
        let v: Double
        do { v = try expandingDefinitions(e).evaluate(env) } catch { throw EvaluationProblem(message: "\(error)") }
        guard v.isFinite else { throw EvaluationProblem(message: "\(e) is not finite there") }
        return v
    }

    func expandingDefinitions(_ e: Expr) -> Expr {
        let map = Dictionary(theory.definitions.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        var current = e
        for _ in 0..<16 {
            let next = current.substituting(map)
            if next == current { break }
            current = next
        }
        return current
    }

    /// Every symbol the numbers depend on has a value: otherwise the law's numbers would not be determined.
    func requireValues(_ law: Law, _ columns: [LawNumber], given: Set<String>, at: SourceLocation, what: String) throws {
        for c in columns {
            let missing = expandingDefinitions(c.expression).freeSymbols.filter { !given.contains($0) }.sorted()
            if let first = missing.first {
                throw TheoryError("law \(law.id): \(c.meaning.text) = \(c.expression) depends on \(missing.joined(separator: ", ")), which \(what) do not give: add \(first) = ... to the law's values", at: at)
            }
        }
    }

    /// The derived expressions a law's values evaluate: the risk exponent (and a log power that is not a number),
    /// each allocation or path exponent, and the closed form's exponents and coefficients. The closed form must
    /// agree with the certified allocation it refines.
    func expressions(_ law: Law, _ result: DerivedLaw) throws -> [LawNumber] {
        let v = result.variable
        var list: [LawNumber] = []
        func add(_ key: String, _ meaning: NumberMeaning, _ e: Expr) { list.append(LawNumber(key: key, meaning: meaning, expression: e, value: .nan)) }
        let hidesLogs = result.logPower != .zero
        add("risk", .riskExponent(variable: v, hidesLogs: hidesLogs), result.riskExponent)
        if hidesLogs && result.logPower.numberValue == nil {
            add("log_power", .logPower(variable: v), result.logPower)
        }
        for (q, e) in result.exponents where q != "risk" { add(q, .exponent(quantity: q, variable: v), e) }
        guard let closed = result.closedForm, case .budget(let total, let product, let over) = law.mode,
              let budget = try? Budget(total: total, product: product, variables: over) else { return list }
        let a = theory.assumptions
        func agrees(_ name: String, _ e: Expr) throws {
            guard let certified = result.exponents.first(where: { $0.0 == name })?.1 else { return }
            if (certified - e).simplified(a) != .zero {
                throw TheoryError("law \(law.id): the closed form gives \(name)* ∝ \(budget.total)^(\(e)), but the certified allocation is \(name) ∝ \(budget.total)^(\(certified)); the closed form is not evaluated", at: law.location)
            }
        }
        try agrees(closed.variable, closed.exponent)
        let constant = budget.constant
        add("closed_form_\(closed.variable)_exponent", .closedFormExponent(quantity: closed.variable, total: total, constant: constant, partner: false), closed.exponent)
        add("closed_form_\(closed.variable)_coefficient", .closedFormCoefficient(quantity: closed.variable, total: total, constant: constant, partner: false),
            closed.coefficient)
        if let partner = closed.partner {
            try agrees(partner.name, partner.exponent)
            add("closed_form_\(partner.name)_exponent", .closedFormExponent(quantity: partner.name, total: total, constant: constant, partner: true), partner.exponent)
            add("closed_form_\(partner.name)_coefficient", .closedFormCoefficient(quantity: partner.name, total: total, constant: constant, partner: true),
                partner.coefficient)
        }
        return list
    }
}
