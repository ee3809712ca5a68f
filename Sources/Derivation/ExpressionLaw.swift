import Symbolic
import Asymptotics

/// A law about one expression typed on the command line (`bounds asymptotic ... --minimize theta`), decided by the
/// same kernel as a theory's laws.
///
/// The balancing machinery only proposes an optimum; without this, `asymptotic` printed whatever it proposed, for
/// instance `theta* = 1/(b+1)` for an exponent b of unknown sign, or an optimum along a path that leaves an
/// assumed upper bound. Here the expression becomes a one-bound theory whose symbols carry the given assumptions,
/// and its law is derived and certified exactly as `bounds derive` does it.
public enum ExpressionLaw {
    /// Why the kernel does not confirm `f R g` along `path` (nil: confirmed), for the relations it has a rule for
    /// (O and `<~` one way, Omega the other, Theta and `~` both); `o` and SoftO are not kernel relations, so they
    /// get only the path's domain check. A path that leaves a symbol's domain makes every answer along it vacuous.
    public static func relationProblem(_ f: Expr, _ relation: LandauRelation, _ g: Expr, assumptions: Assumptions,
                                       path: PathSpec) throws -> String? {
        let theory = oneBoundTheory(assumptions)
        let scaling = ScalingPath(growing: path.growing, substitutions: path.substitutions)
        let (f1, g1) = (scaling.apply(to: f), scaling.apply(to: g))
        let fixed = Set(f1.freeSymbols).union(g1.freeSymbols).subtracting([path.growing]).sorted()
        let context: ProofContext
        do {
            context = try ProofContext(theory: theory, path: PathSpec(growing: path.growing, substitutions: [], fixed: fixed, location: path.location))
        } catch let f as KernelFailure {
            return f.message
        }
        let resolved = path.substitutions.map { ($0.0, scaling.apply(to: .symbol($0.0))) }
        for (name, value) in resolved {
            if let problem = context.eventualDomainProblem(of: name, value: value, all: resolved) {
                return "the path leaves the domain of \(name): \(problem)"
            }
        }
        // O, Omega and Theta compare absolute values (`n - 2*n = Omega(n)`), the kernel's `<~` signed ones: |s| <~ b
        // is s <~ b and -s <~ b, and the side b that bounds the other enters as itself or its negation, whichever
        // the kernel proves eventually nonnegative. (A signed bound alone would let a side that goes to -∞ pass as
        // small.)
        let region = context.eventually ?? context.all
        let negated = { (e: Expr) in context.simplified(Expr.negate(e), in: region) }
        func magnitude(_ e: Expr) -> Expr? {
            if context.eventualSignProblem(e, strict: false, in: region) == nil { return e }
            let minus = negated(e)
            return context.eventualSignProblem(minus, strict: false, in: region) == nil ? minus : nil
        }
        let unknownSign = { (e: Expr) in "the sign of \(e.display) along the path is not proved, so its absolute value is not known" }
        let directions: [(Expr, Expr)]
        switch relation {
        case .lesssim: directions = [(f1, g1)]
        case .asymp: directions = [(f1, g1), (g1, f1)]
        case .bigO:
            guard let gm = magnitude(g1) else { return unknownSign(g1) }
            directions = [(f1, gm), (negated(f1), gm)]
        case .omega:
            guard let fm = magnitude(f1) else { return unknownSign(f1) }
            directions = [(g1, fm), (negated(g1), fm)]
        case .theta:
            guard let fm = magnitude(f1) else { return unknownSign(f1) }
            guard let gm = magnitude(g1) else { return unknownSign(g1) }
            directions = [(fm, gm), (gm, fm)]
        case .littleO, .softO: directions = []
        }
        for (small, big) in directions {
            if let failure = context.dominationProblem(small, by: big) { return "\(small.display) <~ \(big.display) is not proved: \(failure.message)" }
        }
        return nil
    }

    /// A theory with no lemmas whose symbols are those of `assumptions`.
    static func oneBoundTheory(_ assumptions: Assumptions) -> Theory {
        let at = SourceLocation(file: "<expression>", line: 1, column: 1)
        var theory = Theory(source: .memory([:]))
        theory.assumptions = assumptions
        theory.symbols = assumptions.declaredSymbols.map {
            SymbolDeclaration(name: $0, assumption: "", meaning: nil, isInteger: assumptions.isInteger($0), location: at)
        }
        return theory
    }

    /// The law of `expression` along `path` in `mode`, under `assumptions` (which must declare every symbol).
    public static func derive(_ expression: Expr, assumptions: Assumptions, path: PathSpec?, mode: Law.Mode) throws -> DerivedLaw {
        let at = SourceLocation(file: "<expression>", line: 1, column: 1)
        let theory = oneBoundTheory(assumptions)
        let summands: [Expr]
        if case .sum(let xs) = expression.shape { summands = xs } else { summands = [expression] }
        let bound = ComposedBound(id: "expression", name: "expression", lhs: expression, relation: .lessEqual,
                                  terms: summands.map { LabeledTerm(expression: $0, name: nil) }, steps: [], lemmasUsed: [], path: nil)
        let law = Law(id: "asymptotic", name: "", tag: nil, source: nil, bound: bound.id, limits: [], path: path, mode: mode,
                      irreducible: [], closedForm: nil, values: [], replaces: nil, location: at)
        return try LawDeriver(theory: theory, bounds: [bound]).derive(law)
    }
}
