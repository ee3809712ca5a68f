import Foundation
import Symbolic

/// The human-readable derivation: the bound with its named terms and steps, the laws with their
/// exponents, conditions and regimes, the regime map and the audit.
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
            out.append("== \(bound.name) [\(bound.id)]\(bound.path.map { " as \($0.growing) → ∞" } ?? "")")
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
                out.append("          by \(step.justification): \(step.detail)")
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
            if let why = law.undecided ?? (law.exponents.isEmpty ? "no rate was derived" : nil) {
                out.append("\(law.id) \(law.name): undecided   [\(law.path)]")
                out.append("    undecided: \(why)")
            } else {
                out.append("\(law.id) \(law.name): risk ≍ \(rate)   [\(law.path)]")
            }
            for (q, e) in law.exponents where q != "risk" {
                out.append("    \(q) ∝ \(RateDescription.power(law.variable, e).powerText)")
            }
            if let hidden = law.rate.hiddenLogText, law.isCertified { out.append("    up to \(hidden)") }
            for c in law.conditions { out.append("    condition: \(c)") }
            for r in law.regimes { out.append("    regime: \(r.condition): \(r.dominant)") }
            if let closed = law.closedForm {
                out.append("    closed form: \(closed.variable)* = \(closed.optimum.display)")
                out.append("      = G·(budget/const)^a with a = \(closed.exponent.display), G = \(closed.coefficient.display)")
                if let p = closed.partner { out.append("      \(p.name)* = G'·(budget/const)^b with b = \(p.exponent.display), G' = \(p.coefficient.display)") }
            }
            for (label, value) in law.values { out.append("    at the fitted constants: \(label) = \(formatNumber(value))") }
            if let note = law.valuesNote { out.append("    at the fitted constants: \(note)") }
            for table in law.tables { out += tableLines(table) }
            for n in law.notes { out.append("    note: \(n)") }
            if law.rates.count > 1 {
                for r in law.rates { out.append("    branch: \(r.branch): risk ≍ \(r.description(variable: law.variable).text)") }
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
                for r in law.regimes where !r.condition.hasPrefix("\(law.variable) = ") {
                    out.append("  \(law.id.padding(toLength: 9, withPad: " ", startingAt: 0)) \(r.condition): \(r.dominant)")
                }
                for r in law.regimes where r.condition.hasPrefix("\(law.variable) = ") {
                    out.append("  \(law.id.padding(toLength: 9, withPad: " ", startingAt: 0)) boundary \(r.condition)")
                }
            }
        }
        if let audit = run.audit {
            out.append("")
            out.append("== Audit against lower bounds")
            for l in audit.lowerBounds { out.append("  registered: \(l)") }
            if audit.contradictions.isEmpty {
                out.append("  no contradiction: no derived rate decays faster than a registered lower bound (\(audit.checked.count) rates checked)")
            }
            for c in audit.contradictions {
                let v = c.variable
                out.append("  CONTRADICTION in \(c.law) [\(c.branch)]: risk ≍ \(c.rateDescription.text) decays faster than the lower bound \(c.lowerBound), \(c.lowerBoundDescription.text)\(c.condition.map { ", when \($0)" } ?? "")")
                out.append("    along: \(c.path)")
                out.append("    growth choice: " + c.exponents.map { "\($0.0) ∝ \(RateDescription.power(v, $0.1).powerText)" }.joined(separator: ", "))
                out.append("    lemma chain: " + c.lemmaChain.joined(separator: " → "))
                out.append("    removed by: " + (c.removedBy.isEmpty ? "no single alternative" : c.removedBy.joined(separator: "; ")))
            }
        }
        return out.joined(separator: "\n")
    }

    /// `tabulate E = ...`: a legend naming each column, then one aligned row per value (a row outside the domain
    /// says why instead of numbers).
    static func tableLines(_ table: LawTable) -> [String] {
        var out = ["    tabulate \(table.symbol), the other values as given: " + table.columns.map(\.label).joined(separator: ", ")]
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
