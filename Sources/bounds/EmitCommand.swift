import Foundation
import Symbolic
import Derivation

/// A quantity the derivation produces that has (or lacks) a formula: the bound, each named term, each law
/// exponent, closed-form optima. `emit` writes one function per quantity; `sweep` and `eval` use the same list.
struct DerivedQuantity {
    enum Kind: String { case total, term, exponent, closedForm = "closed_form" }
    /// snake_case function name: `bound_total`, `bound_estimation`, `d2_data_scaling_risk_exponent`.
    var name: String
    /// The short camelCase name Swift uses: `risk`, `estimation`, `d2RiskExponent`, `d4JointMExponent`.
    var shortName: String = ""
    /// Short label for tables and CSV columns: `total`, `estimation`, `D2.risk`.
    var label: String
    var summary: String
    var kind: Kind
    var expression: Expr
    var law: String?
    var quantity: String?
    /// Why no code can be generated (a quantity without a formula such as Cover(delta) or Risk), if so.
    var problem: String?
}

enum DerivedQuantities {
    /// Every derived quantity of the run, bounds first (total, then terms), then the laws.
    static func all(_ run: DerivationRun) -> [DerivedQuantity] {
        var result: [DerivedQuantity] = []
        var usedNames = Set<String>()
        func unique(_ base: String) -> String {
            var name = base
            var i = 2
            while usedNames.contains(name) { name = "\(base)_\(i)"; i += 1 }
            usedNames.insert(name)
            return name
        }
        var usedShortNames = Set<String>()
        func short(_ words: String) -> String {
            let base = CodeGenerator.camelCase(words)
            var name = base
            var i = 2
            while usedShortNames.contains(name) { name = "\(base)\(i)"; i += 1 }
            usedShortNames.insert(name)
            return name
        }
        for (index, bound) in run.bounds.enumerated() {
            let prefix = CodeGenerator.identifier(bound.id)
            let labelPrefix = index == 0 ? "" : "\(bound.id)."
            // Short names: the first bound's total after its left side (risk), its terms by name; the other
            // bounds' with their id in front.
            let shortPrefix = index == 0 ? "" : "\(bound.id) "
            var lhsName = "total"
            if case .symbol(let s) = bound.lhs.shape { lhsName = s }
            if case .apply(let s, _) = bound.lhs.shape { lhsName = s }
            result.append(DerivedQuantity(name: unique("\(prefix)_total"), shortName: short(shortPrefix + lhsName), label: labelPrefix + "total",
                                          summary: "\(bound.name): the whole bound \(bound.lhs.display) \(bound.relation.rawValue) \(bound.expression.display)",
                                          kind: .total, expression: bound.expression, problem: formulaProblem(bound.expression)))
            for (i, term) in bound.terms.enumerated() {
                let termName = term.name ?? "term\(i + 1)"
                result.append(DerivedQuantity(name: unique("\(prefix)_\(CodeGenerator.identifier(termName))"), shortName: short(shortPrefix + termName),
                                              label: labelPrefix + termName,
                                              summary: "\(bound.name): the \(term.name.map { "\($0) term" } ?? "term \(i + 1)") \(term.expression.display)",
                                              kind: .term, expression: term.expression, problem: formulaProblem(term.expression)))
            }
        }
        for law in run.laws {
            let prefix = CodeGenerator.identifier("\(law.id) \(law.name)")
            for (quantity, exponent) in law.exponents {
                let what = quantity == "risk"
                    ? "\(law.id) \(law.name): the risk exponent r in risk ≍ \(law.variable)^r\(law.logPower == .zero ? "" : " (up to log factors)") = \(exponent.display)"
                    : "\(law.id) \(law.name): the exponent a in \(quantity) ∝ \(law.variable)^a = \(exponent.display)"
                result.append(DerivedQuantity(name: unique("\(prefix)_\(CodeGenerator.identifier(quantity))_exponent"),
                                              shortName: short("\(law.id) \(quantity) exponent"), label: "\(law.id).\(quantity)",
                                              summary: what + " [\(law.path.text)]", kind: .exponent, expression: exponent,
                                              law: law.id, quantity: quantity, problem: formulaProblem(exponent)))
            }
            if let closed = law.closedForm {
                let v = CodeGenerator.identifier(closed.variable)
                var pieces: [(String, String, String, Expr)] = [
                    ("\(v)_optimum", "\(closed.variable)*", "the compute-optimal \(closed.variable)", closed.optimum),
                    ("\(v)_allocation_exponent", "\(closed.variable).a", "the exponent a in \(closed.variable)* = G·(budget/const)^a", closed.exponent),
                    ("\(v)_allocation_coefficient", "\(closed.variable).G", "the coefficient G in \(closed.variable)* = G·(budget/const)^a", closed.coefficient),
                ]
                if let p = closed.partner {
                    let pv = CodeGenerator.identifier(p.name)
                    pieces.append(("\(pv)_allocation_exponent", "\(p.name).b", "the exponent b in \(p.name)* = G'·(budget/const)^b", p.exponent))
                    pieces.append(("\(pv)_allocation_coefficient", "\(p.name).G", "the coefficient G' in \(p.name)* = G'·(budget/const)^b", p.coefficient))
                }
                for (suffix, label, what, e) in pieces {
                    result.append(DerivedQuantity(name: unique("\(prefix)_\(suffix)"), shortName: short("\(law.id) \(suffix)"),
                                                  label: "\(law.id).\(label)",
                                                  summary: "\(law.id) \(law.name): \(what) = \(e.display)", kind: .closedForm,
                                                  expression: e, law: law.id, quantity: label, problem: formulaProblem(e)))
                }
            }
        }
        return result
    }

    /// Why an expression has no numeric formula (it mentions a quantity such as Cover(delta) or Risk).
    static func formulaProblem(_ e: Expr) -> String? {
        var stack = [e]
        while let node = stack.popLast() {
            if case .apply(let name, _) = node.shape { return "\(name)(...) is a quantity with no formula" }
            stack.append(contentsOf: node.children)
        }
        return nil
    }

    /// Expressions mentioning declared quantities without arguments (Risk, Approx) also have no formula.
    static func formulaProblem(_ q: DerivedQuantity, theory: Theory) -> String? {
        if let p = q.problem { return p }
        for s in q.expression.freeSymbols where theory.quantities[s] != nil {
            return "\(s) is a quantity with no formula"
        }
        return nil
    }
}

/// `bounds emit [FILE] --lang swift|python|c|json [-o PATH] [--header PATH] [--namespace NAME]`
enum EmitCommand {
    static let help = """
    usage: bounds emit [FILE] [--use ALT]... [--assume ...] --lang swift|python|c|json [-o PATH]
                       [--header PATH] [--namespace NAME]

    Writes one function per derived quantity: the whole bound, each named term, each exponent of each
    scaling law and closed-form optima. Parameters are the symbols the formula uses, sorted; common
    subexpressions are computed once. Quantities without a formula (Cover(delta), Risk) are skipped with a
    comment.

      swift    an enum of static functions with short names, after the bound: MoEGeneralizationBound.risk,
               .estimation, .d2RiskExponent (--namespace NAME renames the enum); compiles with swiftc
      python   bound_total, bound_estimation, d2_data_scaling_risk_exponent, ...: each takes floats or numpy
               arrays (math for plain numbers, numpy imported only when an argument is an array)
      c        C99 functions `double bound_total(double L_T, ...)`; with -o out.c also writes the header
               out.h (prototypes, include guard, extern "C"), or to --header PATH; cc -std=c99 -c out.c -lm
      json     each expression in the text syntax, with its parameters

    With -o (and --header), "wrote PATH" goes to standard error for each file written.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued.union(["--lang", "--language", "--header", "--namespace"]))
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--unchecked"])
        guard args.positionals.count <= 1 else { throw UsageError("emit takes at most one theory file") }
        guard let name = args.value("--lang") ?? args.value("--language") else {
            throw UsageError("emit needs --lang swift|python|c|json")
        }
        guard let language = CodeLanguage(rawValue: name.lowercased()) else {
            throw UsageError("unknown language '\(name)': use swift, python, c or json")
        }
        let output = args.value("-o") ?? args.value("--output")
        var headerPath = args.value("--header")
        if headerPath != nil && language != .c { throw UsageError("--header is for --lang c") }
        if args.value("--namespace") != nil && language != .swift { throw UsageError("--namespace is for --lang swift") }
        if let namespace = args.value("--namespace"), CodeGenerator.typeName(namespace) != namespace {
            throw UsageError("--namespace must be a Swift type name such as MoEBound, got '\(namespace)'")
        }
        if language == .c, headerPath == nil, let output { headerPath = headerFile(for: output) }
        if let headerPath, headerPath == output { throw UsageError("the header and the source would both be \(headerPath)") }
        let theory = try TheoryOptions.load(args)
        let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        let include = headerPath.map { URL(fileURLWithPath: $0).lastPathComponent }
        let text = try source(run, language: language, namespace: args.value("--namespace"), includeHeader: include)
        if let headerPath {
            try write(try header(run, fileName: URL(fileURLWithPath: headerPath).lastPathComponent), to: headerPath)
        }
        try TheoryOptions.emit(text, args)
        if let output { FileHandle.standardError.write("wrote \(output)\n".data(using: .utf8)!) }
        if let headerPath { FileHandle.standardError.write("wrote \(headerPath)\n".data(using: .utf8)!) }
        return 0
    }

    /// `out.c` → `out.h`; any other name gets `.h` added.
    static func headerFile(for source: String) -> String {
        source.hasSuffix(".c") ? String(source.dropLast(2)) + ".h" : source + ".h"
    }

    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: text.data(using: .utf8)) else { throw UsageError("cannot write \(path)") }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            throw UsageError("cannot write \(path)")
        }
    }

    static func headerLines(_ run: DerivationRun, language: CodeLanguage) -> [String] {
        let swaps = run.theory.swaps.isEmpty ? "none" : run.theory.swaps.map { "\($0.0) in place of \($0.1)" }.joined(separator: ", ")
        return [
            "Generated by `bounds emit --lang \(language.rawValue)` from \(run.theory.files.last ?? "the bundled theory"); alternatives: \(swaps).",
            "One function per derived quantity; log is the natural logarithm. Exponents r are those of variable^r.",
        ]
    }

    /// The Swift enum's default name, after the first bound: `MoE generalization bound (composed)` →
    /// `MoEGeneralizationBound`.
    static func namespace(_ run: DerivationRun) -> String {
        guard let name = run.bounds.first?.name.text else { return "Bounds" }
        let shown = name.split(separator: "(").first.map(String.init) ?? name
        return CodeGenerator.typeName(shown)
    }

    /// The generated source for every derived quantity of a run.
    static func source(_ run: DerivationRun, language: CodeLanguage, namespace: String? = nil, includeHeader: String? = nil) throws -> String {
        let (functions, skipped) = functions(run)
        do {
            return try CodeGenerator.source(functions, skipped: skipped, language: language, header: headerLines(run, language: language),
                                            namespace: language == .swift ? (namespace ?? self.namespace(run)) : nil,
                                            includeHeader: includeHeader)
        } catch let e as CodeGenerationError {
            throw UsageError(e.message)
        }
    }

    /// The C header that `source(run, language: .c, includeHeader: fileName)` includes.
    static func header(_ run: DerivationRun, fileName: String) throws -> String {
        do {
            return try CodeGenerator.cHeader(functions(run).0, header: headerLines(run, language: .c), fileName: fileName)
        } catch let e as CodeGenerationError {
            throw UsageError(e.message)
        }
    }

    static func functions(_ run: DerivationRun) -> ([GeneratedFunction], [(name: String, reason: String)]) {
        var functions: [GeneratedFunction] = []
        var skipped: [(name: String, reason: String)] = []
        var meanings: [String: String] = [:]
        for s in run.theory.symbols where meanings[s.name] == nil { if let m = s.meaning { meanings[s.name] = m.text } }
        for q in DerivedQuantities.all(run) {
            if let problem = DerivedQuantities.formulaProblem(q, theory: run.theory) {
                skipped.append((q.name, problem))
                continue
            }
            var metadata = ["kind": q.kind.rawValue, "label": q.label]
            if let law = q.law { metadata["law"] = law }
            if let quantity = q.quantity { metadata["quantity"] = quantity }
            let parameters = q.expression.freeSymbols
            functions.append(GeneratedFunction(name: q.name, summary: q.summary, expression: q.expression, metadata: metadata,
                                               camelCaseName: q.shortName.isEmpty ? nil : q.shortName,
                                               parameterDescriptions: meanings.filter { parameters.contains($0.key) }))
        }
        return (functions, skipped)
    }
}
