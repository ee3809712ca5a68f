import Foundation
import Symbolic
import Derivation

/// `bounds compare [FILE] --use A1 --use A3 ...`: the base theory and each alternative side by side.
enum CompareCommand {
    static let help = """
    usage: bounds compare [FILE] --use ALT [--use ALT]... [--format text|json]

    Derives the base theory and, separately, the theory with each alternative swapped in, and shows every
    derived quantity (the bound's terms, each law's exponents and conditions) side by side. Values that
    differ from the base are marked with '*'. --use all compares every alternative in the folder.
    """

    struct Column { var title: String; var values: [String: String] }

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: ["--use", "--format", "--assume"])
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--unchecked"])
        let format = try TheoryOptions.format(args, allowed: ["text", "json"])
        var baseArgs = args
        baseArgs.removeValues("--use")
        let base = try TheoryOptions.load(baseArgs)
        var wanted = args.values("--use")
        if wanted == ["all"] { wanted = base.alternativesCatalog().map(\.id) }
        guard !wanted.isEmpty else { throw UsageError("compare needs at least one --use ALT (or --use all)") }
        let baseRun = try DerivationRun(theory: base, audit: true, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(baseRun)
        var columns = [Column(title: "base", values: quantities(baseRun))]
        var rows = Array(columns[0].values.keys)
        for alternative in wanted {
            var theory = base
            try theory.use(alternative)
            let run = try DerivationRun(theory: theory, audit: true, allowUnchecked: args.has("--unchecked"))
            TheoryOptions.warnIfUnchecked(run)
            let values = quantities(run)
            columns.append(Column(title: alternative, values: values))
            for key in values.keys where !rows.contains(key) { rows.append(key) }
        }
        rows.sort(by: rowOrder)
        if format == "json" {
            let object: [String: Any] = [
                "columns": columns.map(\.title),
                "rows": rows.map { key -> [String: Any] in
                    ["quantity": key, "values": columns.map { $0.values[key] ?? "" },
                     "changed": columns.dropFirst().map { ($0.values[key] ?? "") != (columns[0].values[key] ?? "") }]
                },
            ]
            print(JSONReport.render(object))
            return 0
        }
        for key in rows {
            let baseValue = columns[0].values[key] ?? "—"
            print(key)
            print("    base: \(baseValue)")
            for c in columns.dropFirst() {
                let v = c.values[key] ?? "—"
                print("  \(v == baseValue ? " " : "*") \(c.title): \(v)")
            }
        }
        let changed = rows.filter { key in columns.dropFirst().contains { ($0.values[key] ?? "") != (columns[0].values[key] ?? "") } }.count
        print("\n\(changed) of \(rows.count) quantities change under \(wanted.joined(separator: ", ")) (marked *)")
        return 0
    }

    static func rowOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ s: String) -> Int { s.hasPrefix("bound") ? 0 : (s.hasPrefix("audit") ? 2 : 1) }
        return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
    }

    /// Every derived quantity as text, keyed "bound: name", "D2: risk", "D2: conditions", "audit".
    static func quantities(_ run: DerivationRun) -> [String: String] {
        var values: [String: String] = [:]
        for bound in run.bounds {
            values["bound \(bound.id)"] = "\(bound.lhs.display) \(bound.relation.rawValue) \(bound.expression.display)"
            for term in bound.terms where term.name != nil { values["bound \(bound.id): \(term.name!)"] = term.expression.display }
        }
        for law in run.laws {
            for (q, e) in law.exponents {
                values["\(law.id): \(q) exponent in \(law.variable)"] = e.display + (q == "risk" && law.logPower != .zero ? " (Õ)" : "")
            }
            if !law.conditions.isEmpty { values["\(law.id): conditions"] = law.conditions.joined(separator: "; ") }
        }
        if let audit = run.audit {
            values["audit"] = audit.contradictions.isEmpty ? "no contradiction"
                : audit.contradictions.map { "\($0.law): \($0.variable)^(\($0.rate.display)) beats \($0.lowerBound)" }.joined(separator: "; ")
        }
        return values
    }
}
