import Foundation
import Symbolic
import Derivation

/// Which example configuration supplies the values that `--set` does not give (eval, sweep, plot):
/// the theory's first by default, `--example NAME`, or none with `--no-example`.
enum ExampleChoice: Equatable {
    case none
    case first
    case named(String)

    static let valued: Set<String> = ["--example"]
    static let flags: Set<String> = ["--no-example"]

    init(_ args: Arguments) throws {
        let names = args.values("--example")
        if args.has("--no-example") {
            guard names.isEmpty else { throw UsageError("--example and --no-example exclude each other") }
            self = .none
        } else if names.count > 1 {
            throw UsageError("--example is given \(names.count) times; choose one example")
        } else if let name = names.first {
            self = .named(name)
        } else {
            self = .first
        }
    }

    func configuration(in theory: Theory) throws -> ExampleConfiguration? {
        switch self {
        case .none: return nil
        case .first: return theory.examples.first
        case .named(let name):
            guard let example = theory.example(named: name) else { throw UsageError(theory.unknownExampleMessage(name)) }
            return example
        }
    }
}

/// The values a command works with: the example's (after the overrides), then the `--set` values it does not
/// have, and the settings of swapped-in specializations (`--use A4` makes M = k = 1).
struct ExampleValues {
    var example: ExampleConfiguration?
    var resolved: ResolvedExample?
    /// Every value: the example's in its order (overridden ones with the --set value), then the other --set values.
    var values: [(String, Double)]
    /// The --set values as given.
    var explicit: [(String, Double)]
    /// (symbol, value, alternative id) set by a specialization instead of the example.
    var specialized: [(String, Double, String)] = []
    /// Example values computed from a free symbol, as expressions in it.
    var symbolic: [String: Expr] { Dictionary(resolved?.symbolic ?? [], uniquingKeysWith: { a, _ in a }) }

    /// `free` symbols (axes, grids, a law's path) get no number from the example.
    static func make(_ example: ExampleConfiguration?, theory: Theory, settings: [(String, Double)], free: Set<String> = []) throws -> ExampleValues {
        // A defined symbol takes its definition's value: overriding it would evaluate the bound at a point where
        // N_eff is not L_T*Pi_attn + L_T*k*Pi_exp, which no configuration has.
        let given = Set(settings.map(\.0))
        for (name, _) in settings {
            // Without an example, N_eff may stand in for its inputs; with one (or with its inputs given) it has a value.
            if let d = theory.definitions.first(where: { $0.name == name }),
               example != nil || d.value.freeSymbols.allSatisfy(given.contains) {
                throw UsageError("--set \(name): \(name) is defined (\(name) = \(d.value.display)), so it takes its definition's value; set the symbols it is defined from")
            }
        }
        guard let example else { return ExampleValues(example: nil, resolved: nil, values: settings, explicit: settings) }
        let explicit = Dictionary(settings, uniquingKeysWith: { _, b in b })
        var overrides = explicit
        var resolved = try theory.resolve(example, overriding: overrides, free: free)
        // A specialization sets its symbols everywhere (M = 1, d = D): the example's value gives way to it.
        var specialized: [(String, Double, String)] = []
        var freed = free
        let specializations = theory.appliedSpecializations
        if !specializations.isEmpty {
            var point = Dictionary(resolved.values, uniquingKeysWith: { _, b in b })
            for (k, v) in explicit { point[k] = v }
            for s in specializations {
                for (name, value) in s.settings where explicit[name] == nil && example.value(name) != nil && !free.contains(name) {
                    if let v = try? value.evaluate(point), v.isFinite {
                        overrides[name] = v
                        point[name] = v
                        specialized.append((name, v, s.id))
                    } else {
                        freed.insert(name)
                    }
                }
            }
            resolved = try theory.resolve(example, overriding: overrides, free: freed)
        }
        var values = resolved.values
        let inExample = Set(values.map(\.0))
        for (name, v) in settings where !inExample.contains(name) {
            values.removeAll { $0.0 == name }
            values.append((name, v))
        }
        return ExampleValues(example: example, resolved: resolved, values: values, explicit: settings, specialized: specialized)
    }

    /// Lines that say which example was used and what changed in it, for the reports.
    func summary() -> [String] {
        guard let example, let resolved else { return [] }
        var lines = ["example: \(example.name) (\(example.source))"]
        if let note = example.note { lines.append("  note: \(note)") }
        let byAlternative = specialized.map { "\($0.0) = \(ParameterValues.format($0.1)) (\($0.2))" }
        let overridden = resolved.overridden.filter { name in !specialized.contains { $0.0 == name } }
        if !overridden.isEmpty {
            lines.append("  --set replaces the example's " + overridden.map { name in
                "\(name) = \(example.value(name)?.text ?? "?")"
            }.joined(separator: ", "))
        }
        if !byAlternative.isEmpty { lines.append("  set by the alternative: " + byAlternative.joined(separator: ", ")) }
        if !resolved.recomputed.isEmpty {
            lines.append("  computed again from the new values: " + resolved.recomputed.map { name in
                let v = resolved.values.first { $0.0 == name }?.1
                return "\(name) = \(example.value(name)?.text ?? "?") = \(v.map(ParameterValues.format) ?? "?")"
            }.joined(separator: ", "))
        }
        return lines
    }

    /// One phrase for a plot's subtitle or a note on standard error.
    func shortDescription() -> String? {
        guard let example else { return nil }
        var parts = ["example \(example.name)"]
        if let resolved {
            let changed = resolved.overridden.filter { name in !specialized.contains { $0.0 == name } }
            if !changed.isEmpty { parts.append("with " + changed.map { name in "\(name) = \(ParameterValues.format(explicit.last { $0.0 == name }?.1 ?? .nan))" }.joined(separator: ", ")) }
            if !specialized.isEmpty { parts.append("with " + specialized.map { "\($0.0) = \(ParameterValues.format($0.1)) (\($0.2))" }.joined(separator: ", ")) }
        }
        return parts.joined(separator: " ")
    }

    /// The example's symbols whose values feed other values (d_model feeds Pi_exp): setting one is not "unused".
    var feeding: Set<String> {
        Set(example?.values.flatMap { $0.expression.freeSymbols } ?? [])
    }

    /// The JSON object naming the example.
    func json() -> [String: Any]? {
        guard let example, let resolved else { return nil }
        var o: [String: Any] = ["name": example.name, "source": example.source.text]
        if let note = example.note { o["note"] = note.text }
        o["overridden"] = resolved.overridden
        o["recomputed"] = resolved.recomputed
        if !specialized.isEmpty { o["set_by_alternative"] = Dictionary(specialized.map { ($0.0, $0.2) }, uniquingKeysWith: { a, _ in a }) }
        return o
    }
}

/// `bounds examples [FILE]`: the theory's example configurations, with their sources and values.
enum ExamplesCommand {
    static let help = """
    usage: bounds examples [FILE] [--use ALT]... [--example NAME] [--format text|json]

    Lists the example configurations of the theory (`example "NAME"` blocks): each with its source, the value of
    every symbol it sets (with the arithmetic as written in the file), and the defined symbols computed from them
    (N_eff, N_total). eval, sweep and plot use the first example for every symbol not given with --set; choose
    another with --example NAME, or none with --no-example. --example NAME lists only that one.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued.union(ExampleChoice.valued))
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: [])
        guard args.positionals.count <= 1 else { throw UsageError("examples takes at most one theory file") }
        let format = try TheoryOptions.format(args, allowed: ["text", "json"])
        let theory = try TheoryOptions.load(args)
        var chosen = theory.examples
        if case .named(let name) = try ExampleChoice(args) {
            guard let one = theory.example(named: name) else { throw UsageError(theory.unknownExampleMessage(name)) }
            chosen = [one]
        }
        let listed = try chosen.map { try listing($0, theory: theory) }
        if format == "json" {
            try TheoryOptions.emit(JSONOutput.render(["examples": listed.map(\.json)]), args)
            return 0
        }
        guard !theory.examples.isEmpty else {
            try TheoryOptions.emit("the theory defines no examples (add an 'example \"NAME\"' block; see README, the theory format)", args)
            return 0
        }
        var out: [String] = []
        for (i, l) in listed.enumerated() {
            if i > 0 { out.append("") }
            out += l.text
        }
        out.append("")
        out.append("eval, sweep and plot use \"\(theory.examples[0].name)\" unless --example NAME (or --no-example) is given; --set NAME=VALUE replaces one value.")
        try TheoryOptions.emit(out.joined(separator: "\n"), args)
        return 0
    }

    struct Listing {
        var text: [String]
        var json: [String: Any]
    }

    static func listing(_ example: ExampleConfiguration, theory: Theory) throws -> Listing {
        let resolved = try theory.resolve(example)
        let isDefault = theory.examples.first?.name == example.name
        var text = ["\(example.name)\(isDefault ? "  (the default)" : "")", "  source: \(example.source)"]
        if let note = example.note { text.append("  note: \(note)") }
        let width = (example.values.map(\.name.count) + theory.definitions.map(\.name.count)).max() ?? 4
        func pad(_ s: String) -> String { s.padding(toLength: max(width, s.count), withPad: " ", startingAt: 0) }
        var values: [String: Any] = [:]
        var point: [String: Double] = [:]
        for (name, v) in resolved.values {
            point[name] = v
            values[name] = v
            let written = example.value(name)?.text ?? ""
            let shown = exact(v)
            let meaning = theory.symbols.first { $0.name == name && $0.meaning != nil }?.meaning
            let formula = written == shown || Double(written) == v ? "" : "\(written) = "
            text.append("  \(pad(name)) = \(formula)\(shown)" + (meaning.map { "   (\($0))" } ?? ""))
        }
        var derived: [String: Any] = [:]
        for d in theory.definitions {
            let (expanded, _) = ParameterValues.expandDefinitions(d.value, known: Set(point.keys), theory: theory)
            guard expanded.freeSymbols.allSatisfy({ point[$0] != nil }), let v = try? expanded.evaluate(point) else { continue }
            derived[d.name] = v
            text.append("  \(pad(d.name)) = \(d.value.display) = \(exact(v))   (computed from its definition)")
        }
        var json: [String: Any] = ["name": example.name, "source": example.source.text, "values": values, "derived": derived,
                                   "location": "\(example.location)", "default": isDefault]
        if let note = example.note { json["note"] = note.text }
        json["expressions"] = Dictionary(example.values.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
        return Listing(text: text, json: json)
    }

    /// Whole numbers in full (they are counts), others with 6 significant digits; large ones with a short form.
    static func exact(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 9e15 {
            let whole = String(Int64(v))
            return abs(v) >= 1e6 ? "\(whole) (\(ParameterValues.format(v)))" : whole
        }
        return String(format: "%.6g", v)
    }
}
