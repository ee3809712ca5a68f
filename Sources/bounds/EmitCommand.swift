import Foundation
import Symbolic
import Derivation

/// A quantity the derivation produces that has (or lacks) a formula: the bound, each named term, each law
/// exponent, closed-form optima. `emit` writes one function per quantity; `sweep` and `eval` use the same list.
struct DerivedQuantity {
    enum Kind: String { case total, term, exponent, closedForm = "closed_form" }
    /// snake_case function name: `bound_total`, `bound_estimation`, `d2_data_scaling_risk_exponent`.
    var name: String
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
        for (index, bound) in run.bounds.enumerated() {
            let prefix = CodeGenerator.identifier(bound.id)
            let labelPrefix = index == 0 ? "" : "\(bound.id)."
            result.append(DerivedQuantity(name: unique("\(prefix)_total"), label: labelPrefix + "total",
                                          summary: "\(bound.name): the whole bound \(bound.lhs.display) \(bound.relation.rawValue) \(bound.expression.display)",
                                          kind: .total, expression: bound.expression, problem: formulaProblem(bound.expression)))
            for (i, term) in bound.terms.enumerated() {
                let termName = term.name ?? "term\(i + 1)"
                result.append(DerivedQuantity(name: unique("\(prefix)_\(CodeGenerator.identifier(termName))"), label: labelPrefix + termName,
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
                result.append(DerivedQuantity(name: unique("\(prefix)_\(CodeGenerator.identifier(quantity))_exponent"), label: "\(law.id).\(quantity)",
                                              summary: what + " [\(law.path)]", kind: .exponent, expression: exponent,
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
                    result.append(DerivedQuantity(name: unique("\(prefix)_\(suffix)"), label: "\(law.id).\(label)",
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

/// `bounds emit [FILE] --lang swift|python|c|json [-o PATH]`
enum EmitCommand {
    static let help = """
    usage: bounds emit [FILE] [--use ALT]... [--assume ...] --lang swift|python|c|json [-o PATH]

    Writes one function per derived quantity: the whole bound (bound_total), each named term
    (bound_approximation, bound_estimation, bound_routing), each exponent of each scaling law
    (d2_data_scaling_risk_exponent, ...) and closed-form optima. Parameters are the symbols the formula
    uses, sorted; common subexpressions are computed once. Quantities without a formula (Cover(delta),
    Risk) are skipped with a comment.

      swift    compiles with swiftc (import Foundation)
      python   standard library only (math)
      c        C99: cc -std=c99 -c out.c -lm (functions `double name(double a, ...)`)
      json     each expression in the text syntax, with its parameters
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued.union(["--lang", "--language"]))
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--unchecked"])
        guard args.positionals.count <= 1 else { throw UsageError("emit takes at most one theory file") }
        guard let name = args.value("--lang") ?? args.value("--language") else {
            throw UsageError("emit needs --lang swift|python|c|json")
        }
        guard let language = CodeLanguage(rawValue: name.lowercased()) else {
            throw UsageError("unknown language '\(name)': use swift, python, c or json")
        }
        let theory = try TheoryOptions.load(args)
        let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        try TheoryOptions.emit(try source(run, language: language), args)
        return 0
    }

    /// The generated source for every derived quantity of a run.
    static func source(_ run: DerivationRun, language: CodeLanguage) throws -> String {
        let (functions, skipped) = functions(run)
        let swaps = run.theory.swaps.isEmpty ? "none" : run.theory.swaps.map { "\($0.0) in place of \($0.1)" }.joined(separator: ", ")
        let header = [
            "Generated by `bounds emit --lang \(language.rawValue)` from \(run.theory.files.last ?? "the bundled theory"); alternatives: \(swaps).",
            "One function per derived quantity; log is the natural logarithm. Exponents r are those of variable^r.",
        ]
        do {
            return try CodeGenerator.source(functions, skipped: skipped, language: language, header: header)
        } catch let e as CodeGenerationError {
            throw UsageError(e.message)
        }
    }

    static func functions(_ run: DerivationRun) -> ([GeneratedFunction], [(name: String, reason: String)]) {
        var functions: [GeneratedFunction] = []
        var skipped: [(name: String, reason: String)] = []
        for q in DerivedQuantities.all(run) {
            if let problem = DerivedQuantities.formulaProblem(q, theory: run.theory) {
                skipped.append((q.name, problem))
                continue
            }
            var metadata = ["kind": q.kind.rawValue, "label": q.label]
            if let law = q.law { metadata["law"] = law }
            if let quantity = q.quantity { metadata["quantity"] = quantity }
            functions.append(GeneratedFunction(name: q.name, summary: q.summary, expression: q.expression, metadata: metadata))
        }
        return (functions, skipped)
    }
}
