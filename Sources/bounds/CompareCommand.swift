import Foundation
import Symbolic
import Derivation

/// `bounds compare [FILE] --use A1 --use A3 ...`: the base theory and each alternative side by side.
enum CompareCommand {
    static let help = """
    usage: bounds compare [FILE] --use ALT [--use ALT]... [--format text|json]
           bounds compare FILE1 FILE2 [FILE...] [--format text|json]

    With two or more theory files: derives each on its own and puts their laws side by side, aligned by the
    variable that grows (a budget such as C, or n, N_eff, ...): each law's certified rate and exponents (an
    undecided law says so), its budget or path, and its exponents at its values when it has them.

    Derives the base theory and, separately, the theory with each alternative swapped in, and shows every
    derived quantity (the bound's terms, each law's exponents and conditions) side by side. Values that
    differ from the base are marked with '*', and each alternative's count of changed quantities closes the
    output. --use all compares every alternative in the folder.
    """

    /// One derivation's quantities: as printed, and as compared (`same`: a canonical form, so that two values
    /// that print differently but are equal do not count as a change).
    struct Column {
        var title: String
        var values: [String: String]
        var same: [String: String] = [:]
        init(title: String, _ quantities: (values: [String: String], same: [String: String])) {
            self.title = title
            self.values = quantities.values
            self.same = quantities.same
        }
    }

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: ["--use", "--format", "--assume"])
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--unchecked"])
        let format = try TheoryOptions.format(args, allowed: ["text", "json"])
        if args.positionals.count >= 2 {
            guard args.values("--use").isEmpty, args.values("--assume").isEmpty else {
                throw UsageError("compare of several theory files takes no --use or --assume: give each variant as its own file (or compare one FILE --use ALT)")
            }
            return try TheoryComparison.run(files: args.positionals, format: format, allowUnchecked: args.has("--unchecked"))
        }
        var baseArgs = args
        baseArgs.removeValues("--use")
        let base = try TheoryOptions.load(baseArgs)
        var wanted = args.values("--use")
        if wanted == ["all"] { wanted = base.alternativesCatalog().map(\.id) }
        guard !wanted.isEmpty else { throw UsageError("compare needs at least one --use ALT (or --use all)") }
        let baseRun = try DerivationRun(theory: base, audit: true, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(baseRun)
        var columns = [Column(title: "base", quantities(baseRun))]
        var rows = Array(columns[0].values.keys)
        for alternative in wanted {
            var theory = base
            try theory.use(alternative)
            let run = try DerivationRun(theory: theory, audit: true, allowUnchecked: args.has("--unchecked"))
            TheoryOptions.warnIfUnchecked(run)
            let column = Column(title: alternative, quantities(run))
            columns.append(column)
            for key in column.values.keys where !rows.contains(key) { rows.append(key) }
        }
        rows.sort(by: rowOrder)
        let counts = changeCounts(columns, rows: rows)
        if format == "json" {
            let object: [String: Any] = [
                "columns": columns.map(\.title),
                "rows": rows.map { key -> [String: Any] in
                    ["quantity": key, "values": columns.map { $0.values[key] ?? "" },
                     "changed": columns.dropFirst().map { changed(key, in: $0, from: columns[0]) }]
                },
                "changes": counts.map { ["use": $0.title, "changed": $0.changed, "of": rows.count] },
            ]
            print(JSONOutput.render(object))
            return 0
        }
        for key in rows {
            let baseValue = columns[0].values[key] ?? "—"
            print(key)
            print("    base: \(baseValue)")
            for c in columns.dropFirst() {
                let v = c.values[key] ?? "—"
                print("  \(changed(key, in: c, from: columns[0]) ? "*" : " ") \(c.title): \(v)")
            }
        }
        print("")
        for count in counts {
            print("\(count.changed) of \(rows.count) quantities change under \(count.title)\(count.changed > 0 ? " (marked *)" : "")")
        }
        return 0
    }

    /// Whether quantity `key` differs between `column` and `base` (a quantity missing from one is a change).
    static func changed(_ key: String, in column: Column, from base: Column) -> Bool {
        (column.same[key] ?? column.values[key]) != (base.same[key] ?? base.values[key])
    }

    /// For each alternative, how many quantities differ from the base under that alternative alone.
    static func changeCounts(_ columns: [Column], rows: [String]) -> [(title: String, changed: Int)] {
        columns.dropFirst().map { c in (c.title, rows.filter { changed($0, in: c, from: columns[0]) }.count) }
    }

    static func rowOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ s: String) -> Int { s.hasPrefix("bound") ? 0 : (s.hasPrefix("audit") ? 2 : 1) }
        return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
    }

    /// Every derived quantity as text, keyed "bound: name", "D2: risk", "D2: conditions", "audit", and for those
    /// whose text may differ between equal values (expressions, thresholds), what is compared: canonical forms.
    static func quantities(_ run: DerivationRun) -> (values: [String: String], same: [String: String]) {
        var values: [String: String] = [:]
        var same: [String: String] = [:]
        let a = run.theory.assumptions
        func canonical(_ e: Expr) -> String { e.simplified(a).text }
        for bound in run.bounds {
            values["bound \(bound.id)"] = "\(bound.lhs.display) \(bound.relation.rawValue) \(bound.expression.display)"
            same["bound \(bound.id)"] = "\(canonical(bound.lhs)) \(bound.relation.rawValue) \(canonical(bound.expression))"
            for term in bound.terms where term.name != nil {
                values["bound \(bound.id): \(term.name!)"] = term.expression.display
                same["bound \(bound.id): \(term.name!)"] = canonical(term.expression)
            }
        }
        for law in run.laws {
            // The rate as the text and LaTeX reports print it, with the log factor Õ hides.
            values["\(law.id): risk"] = law.isCertified && !law.exponents.isEmpty ? law.rate.summary : "undecided"
            for (q, e) in law.exponents where q != "risk" {
                values["\(law.id): \(q)"] = "∝ " + RateDescription.power(law.variable, e).powerText
            }
            if !law.thresholds.isEmpty {
                values["\(law.id): conditions"] = law.thresholds.map(\.text).joined(separator: "; ")
                same["\(law.id): conditions"] = law.thresholds.map { "\($0.variable) >= \(canonical($0.value)) below which \(canonical($0.term.expression)) dominates" }.joined(separator: "; ")
            }
        }
        if let audit = run.audit {
            values["audit"] = audit.contradictions.isEmpty ? "no contradiction"
                : audit.contradictions.map { "\($0.law): \($0.rateDescription.text) beats \($0.lowerBound)" }.joined(separator: "; ")
        }
        return (values, same)
    }
}
