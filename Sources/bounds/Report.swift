import Foundation
import Symbolic
import Asymptotics

/// Renders asymptotic answers as text, LaTeX or JSON.
struct Report {
    let format: String
    private var lines: [String] = []
    private var json: [String: Any] = [:]

    init(format: String) { self.format = format }

    func show(_ e: Expr) -> String { format == "latex" ? "$\(e.latex)$" : e.text }
    func show(_ c: Condition) -> String { format == "latex" ? "$\(c.latex)$" : c.description }

    /// Symbols assumed positive because no --assume mentioned them, said first: every answer rests on them (a
    /// reader who meant b of either sign must see that b > 0 was used).
    mutating func defaults(_ names: [String]) {
        guard !names.isEmpty else { return }
        lines.insert("assuming \(names.map { "\($0) > 0" }.joined(separator: ", ")) (undeclared symbols are positive by default; --assume overrides)", at: 0)
        json["default_assumptions"] = names.map { "\($0) > 0" }
    }

    mutating func growth(path: ScalingPath, terms: [TermGrowth], regimes: [Regime], expression: Expr, undecided: String?) {
        lines.append("along \(path.describe(for: expression)):")
        var termsJSON: [[String: Any]] = []
        for t in terms {
            lines.append("  \(show(t.term))  ≍  \(show(t.growth.rate(in: path.growing)))   (exponent \(show(t.growth.exponent))\(t.growth.logPower == .zero ? "" : ", log power \(show(t.growth.logPower))"))")
            termsJSON.append(["term": t.term.text, "exponent": t.growth.exponent.text, "log_power": t.growth.logPower.text])
        }
        var regimesJSON: [[String: Any]] = []
        if regimes.count == 1 && regimes[0].condition.isAlways {
            if let reason = undecided {
                lines.append("undecided: \(reason)")
                lines.append("proposed, not proved: dominant term \(show(regimes[0].term))")
                json["undecided"] = reason
            } else {
                lines.append("dominant term: \(show(regimes[0].term))")
            }
        } else {
            lines.append("dominant term, by regime:")
            for r in regimes { lines.append("  \(show(r.term))  when \(show(r.condition))") }
        }
        for r in regimes { regimesJSON.append(["term": r.term.text, "condition": r.condition.description]) }
        json["path"] = path.describe(for: expression)
        json["terms"] = termsJSON
        json["regimes"] = regimesJSON
    }

    /// `undecided`: why the kernel does not certify the best optimum (nil: certified). Then every optimum below
    /// is printed as proposed, not proved.
    mutating func balance(_ outcome: BalanceOutcome, objective: Expr, undecided: String?) {
        let v = outcome.path.growing
        lines.append("minimizing along \(outcome.path.describe(for: objective)) over \(outcome.path.freeExponents.joined(separator: ", ")):")
        if let reason = undecided {
            lines.append("  undecided: \(reason)")
            lines.append("  proposed by balancing, not proved:")
            json["undecided"] = reason
        }
        var branchesJSON: [[String: Any]] = []
        for (i, branch) in outcome.branches.enumerated() {
            if !branch.choice.isEmpty { lines.append("branch \(i + 1): \(branch.choice.joined(separator: "; "))") }
            if !branch.offsets.isEmpty { lines.append("  irreducible (constant along the path): " + branch.offsets.map(show).joined(separator: ", ")) }
            for p in branch.points {
                let exps = p.exponents.sorted { $0.key < $1.key }.map { "\($0.key)* = \(show($0.value))" }.joined(separator: ", ")
                let logs = p.logPower == .zero ? "" : " (up to log^\(p.logPower.text) factors: Õ)"
                let when = p.condition.isAlways ? "" : "  when \(show(p.condition))"
                lines.append("  \(exps): rate \(v)^(\(show(p.rate)))\(logs)\(when)")
                lines.append("    balanced terms: " + p.active.map { show(branch.terms[$0].term) }.joined(separator: ", "))
                if !p.certified { lines.append("    (no KKT certificate: the optimum is not claimed)") }
                for other in p.alsoOptimal {
                    lines.append("    also optimal: " + other.sorted { $0.key < $1.key }.map { "\($0.key) = \(show($0.value))" }.joined(separator: ", "))
                }
                branchesJSON.append(["branch": i + 1, "exponents": p.exponents.mapValues(\.text), "rate": p.rate.text,
                                     "log_power": p.logPower.text, "condition": p.condition.description, "certified": p.certified,
                                     "balanced": p.active.map { branch.terms[$0].term.text }])
            }
        }
        if let best = outcome.best, outcome.branches.count > 1 { lines.append("best: branch \(best + 1)") }
        if !outcome.allocation.isEmpty {
            lines.append((undecided == nil ? "allocation: " : "proposed allocation, not proved: ") + outcome.allocation.map { "\($0.0) ∝ \(v)^(\(show($0.1)))" }.joined(separator: ", "))
            json["allocation"] = Dictionary(uniqueKeysWithValues: outcome.allocation.map { ($0.0, $0.1.text) })
        }
        json["path"] = outcome.path.describe(for: objective)
        json[undecided == nil ? "optima" : "proposed_optima"] = branchesJSON
    }

    /// `undecided`: why the kernel does not confirm an unconditional verdict (then it is printed as proposed).
    mutating func verdict(_ v: LandauVerdict, f: Expr, relation: LandauRelation, g: Expr, undecided: String?) {
        if let reason = undecided {
            lines.append("\(show(f)) = \(relation.rawValue)(\(show(g))): undecided: \(reason)")
            lines.append("  proposed by the growth comparison, not proved: \(v)")
            json["holds"] = "undecided"
            json["undecided"] = reason
            json["explanation"] = v.explanation
            return
        }
        lines.append("\(show(f)) = \(relation.rawValue)(\(show(g))): \(v)")
        json["holds"] = v.holds.isAlways ? "always" : (v.holds.isNever ? "never" : v.holds.description)
        json["explanation"] = v.explanation
    }

    mutating func threshold(_ t: Threshold) {
        lines.append("\(t.symbol)* = \(show(t.value))")
        lines.append("  for \(t.symbol) > \(t.symbol)*: \(show(t.dominantAbove)) dominates; below: \(show(t.dominantBelow))")
        json["symbol"] = t.symbol
        json["value"] = t.value.text
        json["dominant_above"] = t.dominantAbove.text
    }

    func render() -> String {
        if format == "json" { return JSONOutput.render(json) }
        return lines.joined(separator: "\n")
    }
}
