import Symbolic
import Asymptotics

/// Rule **rate** (SEMANTICS.md, "Laws"): a law's claim `objective ≍ v^rate · log(v)^logPower` along its path,
/// proved by the domination rule in both directions with every symbol other than v held fixed, after the path's
/// substitutions (N_eff = n^theta at the optimal theta) are checked to stay in their symbols' domains eventually.
/// The balancing and growth machinery finds the rate; this decides whether it may be printed.
struct RateClaim {
    /// The objective along the path: substitutions and optimal exponents applied.
    var objective: Expr
    var growing: String
    var rate: Expr
    var logPower: Expr
    /// The path's substitutions at the optimum (symbol, value), to be checked against the symbols' domains.
    var substitutions: [(String, Expr)]
    /// Only the upper side (for a branch rate the audit compares with a lower bound).
    var upperOnly: Bool
    /// Only the lower side: a two-sided claim is certified as its upper side (often already proved for the branch
    /// rates) and then this.
    var lowerOnly = false
}

extension RateClaim {
    /// The claim along a law's path at given exponents. A substitution `X = n^theta` is read as the law prints it,
    /// `X ∝ n^theta`: X times n^theta, X itself a fixed constant in its domain (so `M = n^mu` at mu = 0 is M held
    /// fixed, not M = 1).
    init(along path: ScalingPath, objective: Expr, exponents: [String: Expr], rate: Expr, logPower: Expr, upperOnly: Bool) {
        let resolved = path.substitutions.map { ($0.0, path.apply(to: .symbol($0.0)).substituting(exponents)) }
        let scaled = resolved.map { ($0.0, Expr.symbol($0.0) * $0.1) }
        let map = Dictionary(scaled, uniquingKeysWith: { a, _ in a })
        self.init(objective: objective.substituting(map).substituting(exponents), growing: path.growing, rate: rate, logPower: logPower,
                  substitutions: scaled, upperOnly: upperOnly)
    }
}

extension ProofContext {
    /// A context for a law: every symbol of `expressions` other than the growing one is fixed.
    static func forLaw(theory: Theory, growing: String, mentioning expressions: [Expr], assumptions: Assumptions,
                       memos: DerivationMemos, location: SourceLocation) throws -> ProofContext {
        let fixed = Set(expressions.flatMap(\.freeSymbols)).subtracting([growing]).sorted()
        let path = PathSpec(growing: growing, substitutions: [], fixed: fixed, location: location)
        return try ProofContext(theory: theory, path: path, assumptions: assumptions, memos: memos)
    }

    /// nil when the claim is proved; otherwise why it is undecided.
    func rateProblem(_ claim: RateClaim) -> String? {
        let v = Expr.symbol(claim.growing)
        var target: [Expr] = []
        if claim.rate != .zero { target.append(Expr.raise(v, claim.rate)) }
        if claim.logPower != .zero { target.append(Expr.raise(.log(v), claim.logPower)) }
        let rate = Expr.multiply(target)
        // A defined symbol is fixed only through its definition: one defined through the growing variable or a
        // substituted symbol moves with the path, so the claim cannot hold it fixed (define X = n^2 in X/n).
        let moving = Set([claim.growing] + claim.substitutions.map(\.0))
        for s in claim.objective.freeSymbols where isDefined(s) && !moving.contains(s) {
            if let m = expandDefinitions(.symbol(s)).freeSymbols.first(where: moving.contains) {
                return "\(s) is defined through \(m), which the path moves, so it cannot be held fixed"
            }
        }
        for (name, value) in claim.substitutions {
            if let problem = eventualDomainProblem(of: name, value: value, all: claim.substitutions) {
                return "the path leaves the domain of \(name): \(problem)"
            }
        }
        if !claim.lowerOnly, let f = dominationProblem(claim.objective, by: rate, effort: .quick) { return "the upper bound is not proved: \(f.message)" }
        if !claim.upperOnly, let f = dominationProblem(rate, by: claim.objective, effort: .quick) { return "the lower bound is not proved: \(f.message)" }
        return nil
    }

    /// Whether `value` stays in the declared domain of `name` once the growing variable is large (integrality
    /// aside: a law treats its symbols as real).
    func eventualDomainProblem(of name: String, value: Expr, all substitutions: [(String, Expr)]) -> String? {
        let declared = theory.assumptions
        let bindings = Dictionary(substitutions, uniquingKeysWith: { a, _ in a })
        let range = declared.interval(ofSymbol: name)
        if let l = range.lower, let p = eventualSignProblem(value - .number(l), strict: range.lowerOpen, in: eventually ?? all) { return "\(name) \(range.lowerOpen ? ">" : ">=") \(l): \(p)" }
        if let u = range.upper, let p = eventualSignProblem(.number(u) - value, strict: range.upperOpen, in: eventually ?? all) { return "\(name) \(range.upperOpen ? "<" : "<=") \(u): \(p)" }
        // A defined symbol can take only the values of its definition (define N = P with P in [1, 2]).
        let definition = expandDefinitions(.symbol(name))
        if definition != .symbol(name) {
            let reach = all.interval(of: definition)
            if let l = reach.lower, let p = eventualSignProblem(value - .number(l), strict: reach.lowerOpen, in: eventually ?? all) {
                return "\(name) is \(definition.display), at least \(l): \(p)"
            }
            if let u = reach.upper, let p = eventualSignProblem(.number(u) - value, strict: reach.upperOpen, in: eventually ?? all) {
                return "\(name) is \(definition.display), at most \(u): \(p)"
            }
        }
        for fact in declared.facts where fact.expression.contains(symbol: name) {
            let instance = fact.expression.substituting(bindings).tidied(eventually ?? all)
            if let p = eventualSignProblem(instance, strict: fact.strict, in: eventually ?? all) {
                return "the assumption \(fact.origin): \(p)"
            }
        }
        return nil
    }

}
