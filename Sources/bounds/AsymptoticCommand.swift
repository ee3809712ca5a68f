import Symbolic
import Asymptotics
import Derivation

/// `bounds asymptotic "<expr>" --as "n->oo" [--path ...] [--fixed ...] [--minimize theta] [--budget "C=N_eff*n"]`
enum AsymptoticCommand {
    static let help = """
    usage: bounds asymptotic "<expression>" --as "n->oo" [--path "N_eff=n^theta"]... [--fixed beta,d]
                             [--minimize theta[,mu]] [--budget "C=N_eff*n"] [--compare O|o|Theta|Omega|SoftO|"<~"|"~" --to "<g>"]
                             [--solve-for n --against "<term>"] [--assume "beta>0"]... [--format text|latex|json]

    Growth of each term along an explicit scaling path, the dominant term and its regimes; with --minimize,
    the best choice of the free exponents (balancing); with --budget, the compute-optimal allocation (the
    growing variable is the budget); with --compare, a Landau relation decided or returned as a condition;
    with --solve-for, the threshold where the expression and --against are equal.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: ["--as", "--path", "--fixed", "--minimize", "--budget", "--assume", "--format", "--compare", "--to", "--solve-for", "--against"])
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: [])
        guard args.positionals.count == 1 else { throw UsageError("asymptotic takes exactly one expression (quote it)") }
        let format = args.value("--format") ?? "text"
        guard ["text", "latex", "json"].contains(format) else { throw UsageError("--format must be text, latex or json") }
        let expression = try Parser.parseExpression(args.positionals[0], file: "<expression>")
        var assumptions = try parseAssumptions(args.values("--assume"))
        let fixed = (args.value("--fixed") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let free = (args.value("--minimize") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // Undeclared symbols are positive quantities by default in bound-shaped expressions; the report says so.
        var defaulted = try assumePositive(expression.freeSymbols, in: &assumptions)
        // An expression without a value (n^(1/0), log(0)) has no growth: refuse it rather than print one.
        if let why = assumptions.undefinedness(of: expression) {
            throw UsageError("\(expression.display) is not proved defined under the assumptions: \(why)")
        }
        var report = Report(format: format)

        if let budgetText = args.value("--budget") {
            let budget = try Budget.parse(budgetText)
            if let growing = try growingVariable(args), growing != budget.total {
                throw UsageError("with --budget the growing variable is the budget \(budget.total), not \(growing)")
            }
            let outcome = try GrowthAnalyzer.balance(expression, budget: budget, fixed: fixed, assumptions: assumptions)
            let relation = try Parser.parseRelation(budgetText, file: "<budget>")
            _ = try assumePositive([budget.total], in: &assumptions)
            let spec = PathSpec(growing: budget.total, substitutions: [], fixed: fixed, location: .init(file: "<budget>", line: 1, column: 1))
            let verdict = try kernelVerdict(expression, assumptions: assumptions, path: spec, mode: .budget(budget.total, relation.rhs, nil))
            report.balance(outcome, objective: expression, undecided: verdict)
            report.defaults(defaulted)
            print(report.render())
            return 0
        }
        if let symbol = args.value("--solve-for") {
            guard let againstText = args.value("--against") else { throw UsageError("--solve-for needs --against \"<expression>\"") }
            let other = try Parser.parseExpression(againstText, file: "<against>")
            let t = try GrowthAnalyzer.threshold(expression, other, solveFor: symbol, assumptions: assumptions)
            report.threshold(t)
            report.defaults(defaulted)
            print(report.render())
            return 0
        }
        guard let growing = try growingVariable(args) else {
            throw UsageError("name the growing variable with --as \"n->oo\": an asymptotic statement needs a path")
        }
        var substitutions: [(String, Expr)] = []
        for p in args.values("--path") { substitutions.append(try ScalingPath.parseSubstitution(p)) }
        for (name, value) in substitutions where value.contains(symbol: name) {
            throw UsageError("the path substitution \(name) = \(value) refers to itself")
        }
        for v in free where !assumptions.isDeclared(v) { try assumptions.declare(v) }
        let path = ScalingPath(growing: growing, substitutions: substitutions, fixed: fixed, freeExponents: free)
        let analyzer = GrowthAnalyzer(path: path, assumptions: assumptions)

        _ = try assumePositive([growing], in: &assumptions)
        let spec = PathSpec(growing: growing, substitutions: substitutions, fixed: fixed, location: .init(file: "<as>", line: 1, column: 1))
        if let relationName = args.value("--compare") {
            guard let relation = LandauRelation(rawValue: relationName) else {
                throw UsageError("--compare takes one of \(LandauRelation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let toText = args.value("--to") else { throw UsageError("--compare needs --to \"<expression>\"") }
            let g = try Parser.parseExpression(toText, file: "<to>")
            defaulted += try assumePositive(g.freeSymbols, in: &assumptions)
            let verdict = try GrowthAnalyzer(path: path, assumptions: assumptions).decide(expression, relation, g)
            // The growth comparison proposes; a verdict without a condition is printed only if the kernel agrees.
            let kernel = try kernelProblem(expression, relation, g, holds: verdict.holds, assumptions: assumptions, path: spec)
            let problem = verdict.undecided ?? kernel
            let refuted = verdict.holds.isNever && verdict.undecided == nil && problem?.hasPrefix("the path leaves") != true
            report.verdict(verdict, f: expression, relation: relation, g: g,
                           undecided: verdict.holds.isNever ? (refuted ? nil : problem) : problem)
            report.defaults(defaulted)
            print(report.render())
            return refuted ? 1 : 0
        }
        if !free.isEmpty {
            let verdict = try kernelVerdict(expression, assumptions: assumptions, path: spec, mode: .minimize(free))
            report.balance(try analyzer.balance(expression), objective: expression, undecided: verdict)
        } else {
            let regimes = try analyzer.regimes(of: expression)
            // A single dominant term is a rate claim: the kernel decides it as for a growth law.
            let verdict = regimes.count == 1 && regimes[0].condition.isAlways
                ? try kernelVerdict(expression, assumptions: assumptions, path: spec, mode: .growth) : nil
            report.growth(path: path, terms: try analyzer.terms(of: expression), regimes: regimes, expression: expression, undecided: verdict)
        }
        report.defaults(defaulted)
            print(report.render())
        return 0
    }

    /// Why the kernel does not certify the rate that balancing or growth proposes (nil: certified). The expression
    /// is derived as a one-bound theory, exactly as `bounds derive` derives a law; a law it refuses outright
    /// (a path that cannot grow) is undecided with that reason.
    static func kernelVerdict(_ expression: Expr, assumptions: Assumptions, path: PathSpec, mode: Law.Mode) throws -> String? {
        do {
            return try ExpressionLaw.derive(expression, assumptions: assumptions, path: path, mode: mode).undecided
        } catch let e as TheoryError {
            return e.message
        }
    }

    /// Why the kernel does not confirm the growth comparison's verdict (nil: it does). A verdict "holds if C" is
    /// confirmed only when the kernel proves the relation with C assumed; a "fails" is the comparison's own (the
    /// kernel proves bounds, not their absence), so the kernel only checks its path.
    static func kernelProblem(_ f: Expr, _ relation: LandauRelation, _ g: Expr, holds: Condition, assumptions: Assumptions,
                              path: PathSpec) throws -> String? {
        guard !holds.isAlways && !holds.isNever, let atoms = holds.atoms else {
            return try ExpressionLaw.relationProblem(f, relation, g, assumptions: assumptions, path: path)
        }
        var underCondition = assumptions
        for atom in atoms {
            do {
                try underCondition.assume(atom.expression, atom.strict ? .greater : .greaterEqual, .zero, origin: .init("the condition \(holds)"))
            } catch {
                return "the condition \(holds) contradicts the assumptions: \(error.message)"
            }
        }
        return try ExpressionLaw.relationProblem(f, relation, g, assumptions: underCondition, path: path).map { "under \(holds): \($0)" }
    }

    /// Each of `names` that no assumption declares, assumed > 0; the names so assumed.
    static func assumePositive<S: Sequence>(_ names: S, in assumptions: inout Assumptions) throws -> [String] where S.Element == String {
        var assumed: [String] = []
        for name in Set(names).sorted() where !assumptions.isDeclared(name) {
            try assumptions.assume(.symbol(name), .greater, .zero, origin: .init("\(name) > 0 (default)"))
            assumed.append(name)
        }
        return assumed
    }

    static func growingVariable(_ args: Arguments) throws -> String? {
        guard let text = args.value("--as") else { return nil }
        let parts = text.replacingOccurrences(of: "→", with: "->").components(separatedBy: "->")
        guard parts.count == 2, ["oo", "∞", "inf", "infinity"].contains(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw UsageError("--as must read like \"n->oo\"")
        }
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard case .symbol(let s) = try Parser.parseExpression(name, file: "<as>").shape else {
            throw UsageError("--as names one growing symbol, got '\(name)'")
        }
        return s
    }
}
