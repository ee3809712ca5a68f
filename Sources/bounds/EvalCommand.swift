import Foundation
import Symbolic
import Derivation

/// Values from `--set name=value` (shared by eval, sweep and plot).
enum ParameterValues {
    /// `n=1e9`, `beta=1`, `M = 2^6`: a name and a number (a constant expression is allowed).
    static func parse(_ settings: [String]) throws -> [(String, Double)] {
        var result: [(String, Double)] = []
        for s in settings {
            guard let eq = s.firstIndex(of: "=") else {
                throw UsageError("--set needs name=value, got '\(s)'")
            }
            let name = s[..<eq].trimmingCharacters(in: .whitespaces)
            let text = s[s.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard isSymbolName(name) else { throw UsageError("--set: '\(name)' is not a symbol name") }
            let value = try number(text, for: name)
            result.removeAll { $0.0 == name }
            result.append((name, value))
        }
        return result
    }

    static func isSymbolName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// A finite number: a literal (`1e9`, `0.5`) or a constant expression (`2^30`, `1/3`, `e`).
    static func number(_ text: String, for name: String) throws -> Double {
        if let v = Double(text), v.isFinite { return v }
        let expression: Expr
        do { expression = try Parser.parseExpression(text) } catch {
            throw UsageError("the value of \(name) must be a number, got '\(text)'")
        }
        let value: Double
        do { value = try expression.evaluate([:]) } catch {
            throw UsageError("the value of \(name) must be a number, got '\(text)' (\(error))")
        }
        guard value.isFinite else { throw UsageError("the value of \(name) is not finite: '\(text)'") }
        return value
    }

    /// `e` with each free symbol that is not known but has a definition (N_eff = L_T*Pi_attn + ...) replaced
    /// by that definition, repeatedly. Returns the symbols so replaced.
    static func expandDefinitions(_ e: Expr, known: Set<String>, theory: Theory) -> (Expr, [String]) {
        var result = e
        var replaced: [String] = []
        for _ in 0..<8 {
            var bindings: [String: Expr] = [:]
            for s in result.freeSymbols where !known.contains(s) {
                if let d = theory.definitions.first(where: { $0.name == s }) { bindings[s] = d.value }
            }
            if bindings.isEmpty { break }
            replaced += bindings.keys.sorted()
            result = result.substituting(bindings)
        }
        return (result, replaced)
    }

    /// The symbols of `e` that have no value: neither known nor computable from a definition whose own
    /// symbols are known (so a missing N_eff is reported as N_eff, not as the symbols of its definition).
    static func unresolved(_ e: Expr, known: Set<String>, theory: Theory) -> [String] {
        func resolvable(_ name: String, _ depth: Int) -> Bool {
            if known.contains(name) { return true }
            guard depth < 8, let d = theory.definitions.first(where: { $0.name == name }) else { return false }
            return d.value.freeSymbols.allSatisfy { resolvable($0, depth + 1) }
        }
        return e.freeSymbols.filter { !resolvable($0, 0) }
    }

    /// An error unless every name is a symbol the theory declares.
    static func requireDeclared(_ names: [String], theory: Theory, role: String) throws {
        let declared = Set(theory.symbols.map(\.name).filter { !$0.isEmpty })
        for name in names where !declared.contains(name) {
            let close = declared.filter { $0.lowercased() == name.lowercased() }.sorted()
            let hint = close.isEmpty ? "the symbols are \(declared.sorted().joined(separator: ", "))" : "did you mean \(close.joined(separator: " or "))?"
            throw UsageError("\(role) '\(name)' is not a symbol of the theory: \(hint)")
        }
    }

    /// The error for symbols without values, naming each with its meaning.
    static func missingError(_ missing: [String], theory: Theory, context: String) -> UsageError {
        let described = missing.map { name -> String in
            if let meaning = theory.symbols.first(where: { $0.name == name && $0.meaning != nil })?.meaning { return "\(name) (\(meaning))" }
            return name
        }
        let example = missing.map { "--set \($0)=..." }.joined(separator: " ")
        return UsageError("missing values for \(described.joined(separator: ", ")) \(context): add \(example)")
    }

    /// Warnings for values outside the theory's declared assumptions (domains, intervals, facts such as k <= M).
    static func assumptionWarnings(_ values: [String: Double], theory: Theory) -> [String] {
        var warnings: [String] = []
        let a = theory.assumptions
        for (name, v) in values.sorted(by: { $0.key < $1.key }) {
            guard let facts = a.facts(for: name) else { continue }
            if facts.domain == .integer && v != v.rounded() {
                warnings.append("\(name) = \(format(v)) is declared an integer")
            }
            let i = facts.interval
            if let lower = i.lower?.doubleValue, v < lower || (i.lowerOpen && v == lower) {
                warnings.append("\(name) = \(format(v)) is outside the declared range \(i)\(facts.lowerOrigin.map { " (\($0))" } ?? "")")
            } else if let upper = i.upper?.doubleValue, v > upper || (i.upperOpen && v == upper) {
                warnings.append("\(name) = \(format(v)) is outside the declared range \(i)\(facts.upperOrigin.map { " (\($0))" } ?? "")")
            }
        }
        for fact in a.facts {
            guard let v = try? fact.expression.evaluate(values) else { continue }
            if v < 0 || (fact.strict && v == 0) {
                warnings.append("the values violate the assumption \(fact.origin)")
            }
        }
        return warnings
    }

    /// A number for people: 4 significant digits, exponent form when large or small.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: "%.4g", v).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
            .replacingOccurrences(of: "e-0", with: "e-")
    }
}

/// What `eval` computes: each term's value, the total, the dominant term and the regimes that hold.
struct Evaluation {
    struct Term {
        var name: String
        var expression: Expr
        var value: Double?
        var error: String?
        /// For a min/max term: which operand attains it.
        var attainedBy: String?
    }
    struct RegimeCheck {
        var law: String
        var text: String
        var holds: Bool?
    }
    var bound: ComposedBound
    var values: [(String, Double)]
    var derived: [(String, Double, Expr)]
    var terms: [Term]
    var total: Double?
    var dominant: Int?
    var regimes: [RegimeCheck]
    var warnings: [String]
    /// The example configuration the values come from, if any.
    var example: ExampleValues? = nil
    var hasErrors: Bool { terms.contains { $0.error != nil } }
}

/// `bounds eval [FILE] --set n=1e9 --set beta=1 ...`
enum EvalCommand {
    static let help = """
    usage: bounds eval [FILE] [--use ALT]... [--bound ID] [--example NAME | --no-example] [--set NAME=VALUE]...
                       [--format text|json]

    Evaluates the composed bound at the given values: each named term, the total, which term dominates,
    and which regime of each scaling law the point lies in (thresholds evaluated). The values come from the
    theory's first example configuration (`bounds examples` lists them; the bundled theory's first is
    Mixtral 8x7B), or from --example NAME; --set NAME=VALUE replaces one value (values the example computes
    from it are computed again), --no-example uses --set values only. Symbols with a definition
    (N_eff = L_T*Pi_attn + L_T*k*Pi_exp) can be set directly or computed from their definition.
    Missing values are named in the error (exit 2); a term with no value at the point (log of a
    nonpositive number, ...) is reported with the term (exit 2).

    examples: bounds eval
              bounds eval --example DeepSeek-V3 --set d=8
              bounds eval --no-example --set n=1e9 --set beta=1 --set d=8 --set M=64 --set k=2 --set L_T=24 \\
                          --set ell=2048 --set N_eff=1e8
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued.union(["--set", "--bound"]).union(ExampleChoice.valued))
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ExampleChoice.flags.union(["--unchecked"]))
        guard args.positionals.count <= 1 else { throw UsageError("eval takes at most one theory file") }
        let format = try TheoryOptions.format(args, allowed: ["text", "json"])
        let settings = try ParameterValues.parse(args.values("--set"))
        let choice = try ExampleChoice(args)
        let theory = try TheoryOptions.load(args)
        let example = try choice.configuration(in: theory)
        let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        let evaluation = try evaluate(run, settings: settings, boundID: args.value("--bound"), example: example)
        try TheoryOptions.emit(format == "json" ? json(evaluation) : render(evaluation), args)
        if evaluation.hasErrors {
            for t in evaluation.terms where t.error != nil {
                FileHandle.standardError.write("error: the \(t.name) term \(t.expression.display) has no value here: \(t.error ?? "")\n".data(using: .utf8)!)
            }
            return 2
        }
        return 0
    }

    static func bound(_ run: DerivationRun, id: String?) throws -> ComposedBound {
        guard let first = run.bounds.first else { throw UsageError("the theory derives no bound") }
        guard let id else { return first }
        guard let b = run.bounds.first(where: { $0.id == id }) else {
            throw UsageError("no bound '\(id)': the theory derives \(run.bounds.map(\.id).joined(separator: ", "))")
        }
        return b
    }

    /// `settings` are the --set values; `example` supplies the others (and --set replaces its values).
    static func evaluate(_ run: DerivationRun, settings: [(String, Double)], boundID: String? = nil,
                         example: ExampleConfiguration? = nil) throws -> Evaluation {
        let bound = try bound(run, id: boundID)
        let theory = run.theory
        let chosen = try ExampleValues.make(example, theory: theory, settings: settings)
        var values = Dictionary(chosen.values, uniquingKeysWith: { _, b in b })
        let known = Set(values.keys)
        // Symbols computed from their definitions (when not set directly).
        var derived: [(String, Double, Expr)] = []
        var needed = Set<String>()
        for t in bound.terms { needed.formUnion(t.expression.freeSymbols) }
        var missing = Set<String>()
        for name in needed.sorted() where values[name] == nil {
            if let d = theory.definitions.first(where: { $0.name == name }) {
                let (expanded, _) = ParameterValues.expandDefinitions(d.value, known: known, theory: theory)
                let lacking = expanded.freeSymbols.filter { values[$0] == nil }
                if lacking.isEmpty, let v = try? expanded.evaluate(values) {
                    values[name] = v
                    derived.append((name, v, d.value))
                    continue
                }
                missing.insert(name)
            } else {
                missing.insert(name)
            }
        }
        if !missing.isEmpty {
            throw ParameterValues.missingError(missing.sorted(), theory: theory, context: "to evaluate \(bound.name)")
        }
        var warnings = ParameterValues.assumptionWarnings(values, theory: theory)
        let usedThroughDefinitions = Set(derived.flatMap { $0.2.freeSymbols })
        let feeding = chosen.example != nil && !(chosen.resolved?.recomputed.isEmpty ?? true) ? chosen.feeding : []
        let unused = settings.map(\.0).filter { !needed.contains($0) && !usedThroughDefinitions.contains($0) && !feeding.contains($0) }
        if !unused.isEmpty { warnings.append("not used by the bound: \(unused.joined(separator: ", "))") }

        var terms: [Evaluation.Term] = []
        for (i, t) in bound.terms.enumerated() {
            var term = Evaluation.Term(name: t.name ?? "term \(i + 1)", expression: t.expression)
            do {
                term.value = try t.expression.evaluate(values)
            } catch {
                term.error = "\(error)"
            }
            if case .min(let xs) = t.expression.shape { term.attainedBy = extremal(xs, values, smallest: true) }
            if case .max(let xs) = t.expression.shape { term.attainedBy = extremal(xs, values, smallest: false) }
            terms.append(term)
        }
        var total: Double? = nil
        var dominant: Int? = nil
        if !terms.contains(where: { $0.value == nil }) {
            total = terms.reduce(0) { $0 + ($1.value ?? 0) }
            dominant = terms.indices.max { (terms[$0].value ?? 0) < (terms[$1].value ?? 0) }
        }
        return Evaluation(bound: bound, values: chosen.values, derived: derived, terms: terms, total: total, dominant: dominant,
                          regimes: regimeChecks(run, bound: bound, values: values), warnings: warnings,
                          example: chosen.example == nil ? nil : chosen)
    }

    static func extremal(_ xs: [Expr], _ values: [String: Double], smallest: Bool) -> String? {
        let evaluated = xs.compactMap { x in (try? x.evaluate(values)).map { (x, $0) } }
        guard evaluated.count == xs.count, let best = evaluated.min(by: { smallest ? $0.1 < $1.1 : $0.1 > $1.1 }) else { return nil }
        return best.0.display
    }

    /// Every regime condition of the bound's laws that can be evaluated at the point.
    static func regimeChecks(_ run: DerivationRun, bound: ComposedBound, values: [String: Double]) -> [Evaluation.RegimeCheck] {
        var checks: [Evaluation.RegimeCheck] = []
        let theory = run.theory
        func value(_ e: Expr) -> Double? {
            let (expanded, _) = ParameterValues.expandDefinitions(e, known: Set(values.keys), theory: theory)
            return try? expanded.evaluate(values)
        }
        for law in run.laws where law.bound == bound.id {
            for regime in law.regimes {
                // A regime the point can decide: a comparison, or a condition on the parameters with one atom.
                let relation: Relation
                var suffix = ""
                switch regime.condition {
                case .comparison(let c):
                    relation = Relation(lhs: c.lhs, op: c.op, rhs: c.rhs)
                    suffix = c.accuracy.textSuffix
                case .parameters(let c):
                    guard let atoms = c.relations, atoms.count == 1 else { continue }
                    relation = atoms[0]
                default:
                    continue
                }
                guard let l = value(relation.lhs), let r = value(relation.rhs) else { continue }
                let lhsText = relation.lhs.display, rhsText = relation.rhs.display
                let rhsShown = relation.rhs.isNumber ? rhsText : "\(rhsText) = \(ParameterValues.format(r))"
                switch relation.op {
                case .equal:
                    // A boundary: which term is the larger on each side.
                    guard case .larger(let above, let below) = regime.dominant else { continue }
                    let side = l > r ? "above" : (l < r ? "below" : "at")
                    let winner = l > r ? above : below
                    let loser = l > r ? below : above
                    var verdict = side == "at" ? "" : ": \(winner.text) is the larger of the pair"
                    // Two operands of one min (`approximation: A` vs `approximation: B`): the min takes the smaller.
                    if winner.isOperand, loser.isOperand, let name = winner.name, loser.name == name, side != "at" {
                        verdict = ": the min in \(name) is attained by \(loser.expression.display)"
                    }
                    let text = "\(lhsText) = \(ParameterValues.format(l)) is \(side) the threshold \(rhsShown)\(suffix)" + verdict
                    checks.append(.init(law: "\(law.id) \(law.name.text)", text: text, holds: nil))
                case .less, .lessEqual, .greater, .greaterEqual:
                    let holds: Bool
                    switch relation.op {
                    case .less: holds = l < r
                    case .lessEqual: holds = l <= r
                    case .greater: holds = l > r
                    default: holds = l >= r
                    }
                    let dominant = regime.dominant.text
                    let text = "\(lhsText) \(relation.op.rawValue) \(rhsShown)\(suffix): \(holds ? "holds" : "does not hold") (\(lhsText) = \(ParameterValues.format(l)))"
                        + (holds ? "; there \(dominant) dominates" : "; otherwise \(dominant) would dominate")
                    checks.append(.init(law: "\(law.id) \(law.name.text)", text: text, holds: holds))
                default:
                    continue
                }
            }
        }
        return checks
    }

    static func render(_ e: Evaluation) -> String {
        var out: [String] = []
        let setting = e.values.map { "\($0.0) = \(ParameterValues.format($0.1))" }.joined(separator: ", ")
        out.append("\(e.bound.name): \(e.bound.lhs.display) \(e.bound.relation.rawValue) \(e.bound.expression.display)")
        out += e.example?.summary() ?? []
        out.append("at \(setting)")
        for (name, v, definition) in e.derived {
            out.append("  \(name) = \(definition.display) = \(ParameterValues.format(v))")
        }
        out.append("")
        let nameWidth = max(8, (e.terms.map(\.name.count).max() ?? 0) + 2)
        let exprWidth = min(48, max(10, (e.terms.map(\.expression.display.count).max() ?? 0) + 2))
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }
        for (i, t) in e.terms.enumerated() {
            var line = "  " + pad(t.name, nameWidth) + pad(t.expression.display, exprWidth)
            if let v = t.value {
                line += "= " + ParameterValues.format(v)
                if let total = e.total, total > 0 { line += String(format: "   (%.1f%%)", 100 * v / total) }
                if e.dominant == i { line += "  <- dominant" }
            } else {
                line += "error: \(t.error ?? "no value")"
            }
            out.append(line)
            if let by = t.attainedBy { out.append("  " + pad("", nameWidth) + "  (the min is attained by \(by))") }
        }
        if let total = e.total {
            out.append("  " + pad("total", nameWidth) + pad("", exprWidth) + "= " + ParameterValues.format(total))
        }
        if let d = e.dominant {
            let t = e.terms[d]
            out.append("")
            out.append("dominant term: \(t.name) (\(t.expression.display))")
        }
        if !e.regimes.isEmpty {
            out.append("")
            out.append("regimes at this point:")
            var lastLaw = ""
            for r in e.regimes {
                if r.law != lastLaw { out.append("  \(r.law):"); lastLaw = r.law }
                out.append("    \(r.text)")
            }
        }
        for w in e.warnings { out.append("warning: \(w)") }
        return out.joined(separator: "\n")
    }

    static func json(_ e: Evaluation) -> String {
        var root: [String: Any] = [:]
        root["bound"] = e.bound.id
        if let example = e.example?.json() { root["example"] = example }
        root["values"] = Dictionary(e.values.map { ($0.0, $0.1) }, uniquingKeysWith: { _, b in b })
        root["derived"] = Dictionary(e.derived.map { ($0.0, $0.1) }, uniquingKeysWith: { _, b in b })
        root["terms"] = e.terms.map { t -> [String: Any] in
            var o: [String: Any] = ["name": t.name, "expression": t.expression.display]
            if let v = t.value { o["value"] = v }
            if let err = t.error { o["error"] = err }
            if let by = t.attainedBy { o["attained_by"] = by }
            return o
        }
        if let total = e.total { root["total"] = total }
        if let d = e.dominant { root["dominant"] = e.terms[d].name }
        root["regimes"] = e.regimes.map { r -> [String: Any] in
            var o: [String: Any] = ["law": r.law, "text": r.text]
            if let h = r.holds { o["holds"] = h }
            return o
        }
        root["warnings"] = e.warnings
        return JSONOutput.render(root)
    }
}
