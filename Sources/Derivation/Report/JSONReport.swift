import Foundation
import Symbolic

/// The JSON contract of `bounds derive --format json` (documented in README.md).
public enum JSONReport {
    public static func object(_ run: DerivationRun) -> [String: Any] {
        var root: [String: Any] = [:]
        root["theory"] = run.theory.files.last ?? ""
        root["alternatives"] = run.theory.swaps.map { ["use": $0.0, "replaces": $0.1] }
        if let main = run.bounds.first {
            root["bound"] = bound(main)
            root["steps"] = main.steps.map { step -> [String: Any] in
                let result = step.result   // rebuilt from the history on each read
                return ["relation": step.relation.rawValue, "text": result.display, "latex": result.displayLaTeX,
                        "by": step.justification.label, "detail": step.justification.detail]
            }
        }
        root["bounds"] = run.bounds.map(bound)
        root["laws"] = run.laws.map(law)
        root["law_failures"] = run.lawFailures.map { f -> [String: Any] in
            ["location": f.location.map { "\($0)" } ?? "", "message": f.message]
        }
        root["unchecked"] = run.unchecked
        if let audit = run.audit { root["audit"] = self.audit(audit) }
        return root
    }

    static func bound(_ b: ComposedBound) -> [String: Any] {
        var o: [String: Any] = [
            "id": b.id, "name": b.name.text, "lhs": b.lhs.display, "relation": b.relation.rawValue,
            "text": b.expression.display, "latex": b.expression.displayLaTeX,
            "terms": b.terms.map { ["name": $0.name ?? "", "text": $0.expression.display, "latex": $0.expression.displayLaTeX] },
            "lemmas": b.lemmasUsed,
        ]
        if let path = b.path { o["path"] = "\(path.growing) -> oo" }
        return o
    }

    static func law(_ l: DerivedLaw) -> [String: Any] {
        var exponents: [String: String] = [:]
        for (q, e) in l.exponents { exponents[q] = e.display }
        var o: [String: Any] = [
            "id": l.id, "name": l.name.text, "variable": l.variable, "path": l.path.text, "exponents": exponents,
            "exponents_latex": Dictionary(l.exponents.map { ($0.0, $0.1.displayLaTeX) }, uniquingKeysWith: { a, _ in a }),
            "log_power": l.logPower.display, "conditions": l.thresholds.map(\.text),
            "regimes": l.regimes.map { ["condition": $0.conditionText, "dominant": $0.dominant.text] },
            "notes": l.notes.map(\.text),
            "rates": l.rates.map { r -> [String: Any] in
                ["branch": r.branch.text, "risk": r.rate.display, "log_power": r.logPower.display,
                 "rate_text": r.description(variable: l.variable).text, "rate_latex": r.description(variable: l.variable).latex,
                 "exponents": Dictionary(r.exponents.map { ($0.0, $0.1.display) }, uniquingKeysWith: { a, _ in a })]
            },
        ]
        // The rate as the text and LaTeX reports print it (absent when the law is undecided).
        if l.isCertified && !l.exponents.isEmpty {
            o["rate_text"] = l.rate.text
            o["rate_latex"] = l.rate.latex
            if let hidden = l.rate.hiddenLogText { o["rate_hides"] = hidden }
        }
        if let c = l.closedForm {
            var closed: [String: Any] = ["variable": c.variable, "optimum": c.optimum.display, "exponent": c.exponent.display,
                                         "coefficient": c.coefficient.display, "value": c.value.display]
            if let p = c.partner { closed["partner"] = ["name": p.name, "exponent": p.exponent.display, "coefficient": p.coefficient.display] }
            o["closed_form"] = closed
        }
        if !l.values.isEmpty { o["values"] = Dictionary(l.values.map { ($0.0.text, $0.1) }, uniquingKeysWith: { a, _ in a }) }
        if !l.numbers.isEmpty { o["evaluated"] = l.numbers.map(number) }
        if let note = l.valuesNote { o["values_note"] = note }
        if !l.tables.isEmpty {
            o["tables"] = l.tables.map { t -> [String: Any] in
                ["symbol": t.symbol,
                 "columns": t.columns.map { ["key": $0.key, "label": $0.meaning.text, "expression": $0.expression.display] },
                 "rows": t.rows.map { r -> [String: Any] in
                     var row: [String: Any] = ["value": r.text, "number": r.value, "admissible": r.isAdmissible]
                     if let problem = r.problem { row["problem"] = problem } else {
                         row["values"] = Dictionary(zip(t.columns.map(\.key), r.numbers).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
                     }
                     return row
                 }]
            }
        }
        return o
    }

    static func number(_ n: LawNumber) -> [String: Any] {
        ["key": n.key, "label": n.meaning.text, "expression": n.expression.display, "value": n.value]
    }

    public static func audit(_ a: AuditReport) -> [String: Any] {
        [
            "lower_bounds": a.lowerBounds.map(\.text),
            "checked": a.checked.map(\.text),
            "contradictions": a.contradictions.map { c -> [String: Any] in
                var o: [String: Any] = [
                    "law": c.law, "branch": c.branch.text, "rate": c.rate.display, "log_power": c.logPower.display,
                    "rate_text": c.rateDescription.text, "rate_latex": c.rateDescription.latex,
                    "lower_bound": c.lowerBound, "lower_bound_rate": c.lowerBoundRate.display, "path": c.path.text,
                    "growth": Dictionary(c.exponents.map { ($0.0, $0.1.display) }, uniquingKeysWith: { a, _ in a }),
                    "lemma_chain": c.lemmaChain.map(\.text), "removed_by": c.removedBy.map(\.text),
                ]
                if let condition = c.condition { o["condition"] = condition.description }
                return o
            },
            "summary": a.contradictions.isEmpty ? "no contradiction with the registered lower bounds" : "\(a.contradictions.count) contradiction(s)",
        ]
    }

    public static func render(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
