import Foundation
import Symbolic
import Asymptotics

/// The human-readable derivation: the bound with its named terms and steps, the laws with their
/// exponents, conditions and regimes, the regime map and the audit. The text view of every model value is
/// here too (`.text`), for the other commands that print them.
public enum TextReport {
    public static func render(_ run: DerivationRun) -> String {
        var out: [String] = []
        let theory = run.theory
        out.append("theory: \(theory.files.last ?? "") (\(theory.files.count) files, \(theory.lemmaOrder.count) lemmas)")
        if theory.swaps.isEmpty {
            out.append("alternatives: none")
        } else {
            out.append("alternatives: " + theory.swaps.map { "\($0.0) in place of \($0.1)" }.joined(separator: "; "))
        }
        for bound in run.bounds {
            out.append("")
            out.append("== \(bound.name.text) [\(bound.id)]\(bound.path.map { " as \($0.growing) → ∞" } ?? "")")
            out.append("  \(bound.lhs.display) \(bound.relation.rawValue) \(bound.expression.display)")
            for term in bound.terms {
                out.append("    \((term.name ?? "term").padding(toLength: 14, withPad: " ", startingAt: 0)) \(term.expression.display)")
            }
            out.append("  derivation:")
            var first = true
            for step in bound.steps {
                let lead = first ? "    \(bound.lhs.display) \(step.relation.rawValue) " : "      \(step.relation.rawValue) "
                first = false
                out.append("\(lead)\(step.result.display)")
                out.append("          by \(step.justification.label): \(step.justification.detail)")
            }
        }
        if let restated = theory.orderedLemmas.first(where: { $0.id == "P5" }) {
            out.append("")
            let unproved = run.proofs.contains { $0.lemma == restated.id && !$0.ok } ? "   [its proof does not check]" : ""
            out.append("  as restated (\(restated.id), \(restated.tag.rawValue)): \(restated.statement.lhs.display) \(restated.statement.op.rawValue) \(restated.statement.rhs.display)\(unproved)")
        }
        if !run.unchecked.isEmpty {
            out.append("")
            out.append("  WARNING: these results rest on theorems whose proofs do not check: \(run.unchecked.joined(separator: ", ")) (bounds check shows why)")
        }
        if !run.laws.isEmpty {
            out.append("")
            out.append("== Scaling laws")
        }
        for law in run.laws {
            out.append("")
            let rate = law.rate.text
            let name = law.name.text
            if let why = law.undecided ?? (law.exponents.isEmpty ? "no rate was derived" : nil) {
                out.append("\(law.id) \(name): undecided   [\(law.path.text)]")
                out.append("    undecided: \(why)")
            } else {
                out.append("\(law.id) \(name): risk ≍ \(rate)   [\(law.path.text)]")
            }
            for (q, e) in law.exponents where q != "risk" {
                out.append("    \(q) ∝ \(RateDescription.power(law.variable, e).powerText)")
            }
            if let hidden = law.rate.hiddenLogText, law.isCertified { out.append("    up to \(hidden)") }
            for c in law.thresholds { out.append("    condition: \(c.text)") }
            for r in law.regimes { out.append("    regime: \(r.conditionText): \(r.dominant.text)") }
            if let closed = law.closedForm {
                out.append("    closed form: \(closed.variable)* = \(closed.optimum.display)")
                out.append("      = G·(budget/const)^a with a = \(closed.exponent.display), G = \(closed.coefficient.display)")
                if let p = closed.partner { out.append("      \(p.name)* = G'·(budget/const)^b with b = \(p.exponent.display), G' = \(p.coefficient.display)") }
            }
            for (meaning, value) in law.values { out.append("    at the fitted constants: \(meaning.text) = \(formatNumber(value))") }
            if let note = law.valuesNote { out.append("    at the fitted constants: \(note)") }
            for table in law.tables { out += tableLines(table) }
            for n in law.notes { out.append("    note: \(n.text)") }
            if law.rates.count > 1 {
                for r in law.rates { out.append("    branch: \(r.branch.text): risk ≍ \(r.description(variable: law.variable).text)") }
            }
        }
        if !run.lawFailures.isEmpty {
            out.append("")
            out.append("== Laws that did not derive")
            for failure in run.lawFailures { out.append("  \(failure)") }
        }
        if !run.laws.isEmpty {
            out.append("")
            out.append("== Regime map (D5): which term dominates where")
            for law in run.laws {
                let id = law.id.padding(toLength: 9, withPad: " ", startingAt: 0)
                for r in law.regimes where !r.isBoundary { out.append("  \(id) \(r.conditionText): \(r.dominant.text)") }
                for r in law.regimes where r.isBoundary { out.append("  \(id) boundary \(r.conditionText)") }
            }
        }
        if let audit = run.audit {
            out.append("")
            out.append("== Audit against lower bounds")
            for l in audit.lowerBounds { out.append("  registered: \(l.text)") }
            if audit.contradictions.isEmpty {
                out.append("  no contradiction: no derived rate decays faster than a registered lower bound (\(audit.checked.count) rates checked)")
            }
            for c in audit.contradictions {
                let v = c.variable
                out.append("  CONTRADICTION in \(c.law) [\(c.branch.text)]: risk ≍ \(c.rateDescription.text) decays faster than the lower bound \(c.lowerBound), \(c.lowerBoundDescription.text)\(c.condition.map { ", when \($0)" } ?? "")")
                out.append("    along: \(c.path.text)")
                out.append("    growth choice: " + c.exponents.map { "\($0.0) ∝ \(RateDescription.power(v, $0.1).powerText)" }.joined(separator: ", "))
                out.append("    lemma chain: " + c.lemmaChain.map(\.text).joined(separator: " → "))
                out.append("    removed by: " + (c.removedBy.isEmpty ? "no single alternative" : c.removedBy.map(\.text).joined(separator: "; ")))
            }
        }
        return out.joined(separator: "\n")
    }

    /// `tabulate E = ...`: a legend naming each column, then one aligned row per value (a row outside the domain
    /// says why instead of numbers).
    static func tableLines(_ table: LawTable) -> [String] {
        var out = ["    tabulate \(table.symbol), the other values as given: " + table.columns.map(\.meaning.text).joined(separator: ", ")]
        let header = [table.symbol] + table.columns.map(\.shortName)
        let cells = table.rows.map { row in [row.text] + (row.isAdmissible ? row.numbers.map(formatNumber) : []) }
        var widths = header.map(\.count)
        for row in cells { for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        out.append("      " + line(header))
        for (row, cell) in zip(table.rows, cells) {
            if let problem = row.problem {
                out.append("      " + cell[0].padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  " + problem)
            } else {
                out.append("      " + line(cell))
            }
        }
        return out
    }

    public static func formatNumber(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.6g", v)
        if s.contains("e") { return s }
        while s.contains(".") && s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

// MARK: - The text view of the model

extension Prose {
    /// The prose as plain text: each formula as written, without its dollars.
    public var text: String {
        segments.map { segment -> String in
            switch segment {
            case .text(let t): return t
            case .math(let f): return f.text
            }
        }.joined()
    }
}

extension Formula {
    public var text: String {
        if let written { return written }
        func side(_ s: Side) -> String {
            switch s {
            case .expression(let e): return e.text
            case .written(let w): return w
            }
        }
        var out = sides.first.map(side) ?? ""
        for (relation, s) in zip(relations, sides.dropFirst()) { out += " \(relation.rawValue) \(side(s))" }
        return out
    }
}

extension NamedTerm {
    /// `estimation N_eff*log(n)/n`, `approximation: M^(-2*beta/d)` (an operand of the min), or the expression alone.
    public var text: String {
        guard let name else { return expression.display }
        return isOperand ? "\(name): \(expression.display)" : "\(name) \(expression.display)"
    }
}

extension Accuracy {
    /// ` (up to constants and log factors)`, or nothing when exact.
    public var textSuffix: String { self == .exact ? "" : " (up to \(rawValue))" }
}

extension LawComparison {
    public var text: String { "\(lhs.display) \(op.rawValue) \(rhs.display)\(accuracy.textSuffix)" }
}

extension LawCondition {
    public var text: String {
        switch self {
        case .comparison(let c): return c.text
        case .limit(let v): return "\(v) → ∞"
        case .parameters(let c): return c.description
        case .balanced: return "balanced"
        case .costDominates(let cost): return "cost \(cost.display) dominates"
        }
    }
}

extension CostProblem {
    public var text: String {
        switch self {
        case .carriesLogs(let cost): return "\(cost.display) carries log factors along the allocation"
        case .grows(let cost, let total, let exponent, let reason):
            return "\(cost.display) grows like \(total)^(\(exponent.display)), and \(exponent.display) <= 1 is not proved (\(reason))"
        }
    }
}

extension RegimeDominance {
    public var text: String {
        switch self {
        case .term(let t): return t.text
        case .balance(let ts): return ts.map(\.text).joined(separator: " ≍ ")
        case .larger(let above, let below): return "the larger is \(above.text) above, \(below.text) below"
        case .unlimited(let v): return "no law: \(v) does not enter this cost, so it is not limited while this cost dominates"
        case .noLaw(let message): return "no law: \(message)"
        case .undecided(let why): return "undecided: \(why)"
        case .rate(let rate, let total, let problems):
            if problems.isEmpty { return "risk ≍ \(rate.text) (the other costs are at most a constant times \(total) along it)" }
            return "risk ≍ \(rate.text) only while it dominates; not as \(total) → ∞: \(problems.map(\.text).joined(separator: "; "))"
        }
    }
}

extension LawRegime {
    /// The condition, and at a boundary the two terms it separates: `n = ... (up to log factors): A vs B`.
    public var conditionText: String {
        if case .larger(let above, let below) = dominant { return "\(condition.text): \(below.text) vs \(above.text)" }
        return condition.text
    }
}

extension LawThreshold {
    /// `n >= ... (up to constants and log factors): below it routing ... dominates`.
    public var text: String { "\(condition.text): below it \(term.text) dominates" }
}

extension LawPath {
    /// `n → ∞, N_eff = n^theta, L_T, M, beta, d fixed`.
    public var text: String {
        var parts = ["\(growing) → ∞"]
        parts += substitutions.map { "\($0.0) = \($0.1)" }
        if !fixed.isEmpty { parts.append("\(fixed.joined(separator: ", ")) fixed") }
        return parts.joined(separator: ", ")
    }
}

extension LawBranch {
    /// `min(N_eff^(-2*beta/d), M^(-2*beta/d)) → M^(-2*beta/d)`, or `the bound`.
    public var text: String { choices.isEmpty ? "the bound" : choices.map { "\($0.term) → \($0.operand)" }.joined(separator: "; ") }
}

extension LawNote {
    public var text: String {
        switch self {
        case .vanishesInLimit(let v, let term): return "\(v) → ∞ first: \(term.name ?? term.expression.display) vanishes"
        case .budget(let total, let cost): return "budget \(total) = \(cost.text)"
        case .sumBudget(let total, let costs, let variables):
            return "budget \(total) = \(costs.display), over \(variables.joined(separator: ", ")): one regime per cost"
        case .noCostDominates(let total): return "no cost dominates along its own optimal allocation as \(total) → ∞"
        case .noClosedFormForSum: return "no closed form: the budget is a sum, and a one-cost optimum is exact only for that cost alone"
        case .noClosedFormUndecided: return "no closed form: the law is undecided, and the stationary point is the optimum only where its rate is"
        case .uncertifiedBranch(let branch, let v, let rate, let reason):
            return "branch \(branch.text): rate \(v)^(\(rate.display)) not certified: \(reason)"
        case .bestBranch(let branch): return "best branch: " + branch.text
        case .noCertificate: return "no KKT certificate was found: the optimum is not claimed to be global"
        case .irreducible(let terms): return "irreducible: " + terms.map(\.display).joined(separator: ", ")
        case .alsoOptimal(let values): return "also optimal: " + values.map { "\($0.0) = \($0.1.display)" }.joined(separator: ", ")
        case .scaling(let term, let v, let exponent, let logPower):
            return "\(term.text) ∝ \(v)^(\(exponent.display))\(logPower == .zero ? "" : "·log(\(v))^\(logPower.display)") on this path"
        }
    }
}

extension NumberMeaning {
    /// `r (risk ≍ C^r)`, `e_N (N ∝ C^e_N)`, `G (N* = G·(C/6)^a)`.
    public var text: String {
        switch self {
        case .riskExponent(let v, let hidesLogs): return hidesLogs ? "r (risk ≍ Õ(\(v)^r))" : "r (risk ≍ \(v)^r)"
        case .logPower(let v): return "l (risk ≍ \(v)^r·log(\(v))^l)"
        case .exponent(let q, let v): return "e_\(q) (\(q) ∝ \(v)^e_\(q))"
        case .closedFormExponent(let q, let total, let constant, let partner):
            let x = partner ? "b" : "a"
            return "\(x) (\(q)* ∝ (\(total)/\(constant.display))^\(x))"
        case .closedFormCoefficient(let q, let total, let constant, let partner):
            let (g, x) = partner ? ("G'", "b") : ("G", "a")
            return "\(g) (\(q)* = \(g)·(\(total)/\(constant.display))^\(x))"
        }
    }
}

extension StepJustification {
    /// What the derivation prints after `by`: `P3`, `A1 (in place of P3)`, `asymptotics`, `algebra`.
    public var label: String {
        switch self {
        case .lemma(let id, let inPlaceOf, _): return inPlaceOf.map { "\(id) (in place of \($0))" } ?? id
        case .asymptotics: return "asymptotics"
        case .algebra: return "algebra"
        }
    }

    /// `P3 with delta := 1/n`, `dropped 1/n (dominated along n → ∞)`, `tidied`.
    public var detail: String {
        switch self {
        case .lemma(let id, _, let bindings):
            return "\(id) with " + (bindings.isEmpty ? "its own symbols" : bindings.map { "\($0.0) := \($0.1)" }.joined(separator: ", "))
        case .asymptotics(let dropped, let v):
            return dropped.isEmpty ? "nothing dominated" : "dropped " + dropped.map(\.text).joined(separator: ", ") + " (dominated along \(v) → ∞)"
        case .algebra: return "tidied"
        }
    }
}

extension RegisteredLowerBound {
    /// `S5: Risk >~ n^(-2*beta/(2*beta + d)) as n → ∞`.
    public var text: String {
        "\(id): \(statement.lhs.display) \(statement.op.rawValue) \(statement.rhs.display) as \(growing) → ∞" + (fixed.isEmpty ? "" : " (\(fixed.joined(separator: ", ")) fixed)")
    }
}

extension AuditCheck {
    public var text: String {
        switch self {
        case .conditionalLowerBound(let id): return "\(id): not compared (it holds only under its 'if' lines)"
        case .rate(let law, let branch, let v, let rate, let lower, let outcome):
            let label = "\(law) [\(branch.text)]: \(v)^(\(rate.display)) vs \(lower)"
            switch outcome {
            case .compared: return label
            case .movesFixedSymbol(let f): return "\(label): not compared (\(lower)'s constant may depend on \(f), which the law moves)"
            case .lowerBoundRateNotCertified: return "\(label): not compared (\(lower)'s rate along the law's path is not certified)"
            }
        }
    }
}

extension ChainLink {
    public var text: String { citedAs.map { "\(lemma) (for \($0))" } ?? lemma }
}

extension AlternativeReference {
    public var text: String { "\(id) (\(name.text))" }
}

// Interpolating a model value prints its text view.
extension Prose: CustomStringConvertible { public var description: String { text } }
extension Formula: CustomStringConvertible { public var description: String { text } }
extension NamedTerm: CustomStringConvertible { public var description: String { text } }
extension LawComparison: CustomStringConvertible { public var description: String { text } }
extension LawCondition: CustomStringConvertible { public var description: String { text } }
extension RegimeDominance: CustomStringConvertible { public var description: String { text } }
extension LawRegime: CustomStringConvertible { public var description: String { "\(conditionText): \(dominant.text)" } }
extension LawThreshold: CustomStringConvertible { public var description: String { text } }
extension LawPath: CustomStringConvertible { public var description: String { text } }
extension LawBranch: CustomStringConvertible { public var description: String { text } }
extension LawNote: CustomStringConvertible { public var description: String { text } }
extension NumberMeaning: CustomStringConvertible { public var description: String { text } }
extension StepJustification: CustomStringConvertible { public var description: String { "\(label): \(detail)" } }
extension CostProblem: CustomStringConvertible { public var description: String { text } }
extension RegisteredLowerBound: CustomStringConvertible { public var description: String { text } }
extension AuditCheck: CustomStringConvertible { public var description: String { text } }
extension ChainLink: CustomStringConvertible { public var description: String { text } }
extension AlternativeReference: CustomStringConvertible { public var description: String { text } }
