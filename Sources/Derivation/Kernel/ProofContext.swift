import Symbolic
import Asymptotics

/// Why the kernel did not accept something: a sentence, and whether it is wrong or only not shown.
///
/// `undecided` means the kernel could not prove a side condition it needs (it names it); `wrong` means the
/// claim does not follow from the rule it cites at all (a different expression, the wrong direction).
public struct KernelFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var undecided: Bool
    public init(_ message: String, undecided: Bool = false) { self.message = message; self.undecided = undecided }
    static func undecided(_ message: String) -> KernelFailure { KernelFailure(message, undecided: true) }
    public var description: String { (undecided ? "undecided: " : "") + message }
}

/// What a step is checked against (SEMANTICS.md): the theory's admissible points, restricted by the hypotheses
/// of the theorem being proved, and the statement's path.
///
/// Exact relations are checked at every admissible point (`all`). Asymptotic ones need to hold only eventually,
/// for the growing variable beyond a threshold, so their side conditions are checked on `eventually`, where the
/// growing variable is at least `ProofContext.threshold`. Either way every symbol not held fixed ranges over its
/// whole domain.
public struct ProofContext: Sendable {
    public let theory: Theory
    public let path: PathSpec?
    public let hypotheses: [Relation]
    /// The theory's assumptions and the hypotheses.
    let all: Assumptions
    /// `all` with the growing variable >= threshold (nil without a path).
    let eventually: Assumptions?
    /// Simplifications shared by the growth analyses of one run.
    let memos: DerivationMemos

    /// A numeric threshold the growing variable may be assumed to exceed in an asymptotic step: any fixed number
    /// is a valid threshold (log log 16 > 1, so iterated logs are positive there).
    static let threshold = 16

    public init(theory: Theory, path: PathSpec?, hypotheses: [Relation] = []) throws {
        try self.init(theory: theory, path: path, hypotheses: hypotheses, memos: DerivationMemos())
    }

    init(theory: Theory, path: PathSpec?, hypotheses: [Relation], memos: DerivationMemos) throws {
        try self.init(theory: theory, path: path, hypotheses: hypotheses, assumptions: theory.assumptions, memos: memos)
    }

    /// With assumptions that extend the theory's (a law's free exponents and budget variables).
    init(theory: Theory, path: PathSpec?, assumptions: Assumptions, memos: DerivationMemos) throws {
        try self.init(theory: theory, path: path, hypotheses: [], assumptions: assumptions, memos: memos)
    }

    private init(theory: Theory, path: PathSpec?, hypotheses: [Relation], assumptions: Assumptions, memos: DerivationMemos) throws {
        self.theory = theory
        self.memos = memos
        self.path = path
        self.hypotheses = hypotheses
        let key = DerivationMemos.RegionKey(assumptions: memos.number(of: assumptions), hypotheses: hypotheses, growing: path?.growing)
        let (all, eventually) = try memos.regions(key) {
            Result { try ProofContext.regions(assumptions: assumptions, hypotheses: hypotheses, growing: path?.growing, memos: memos) }
        }.get()
        self.all = all
        self.eventually = eventually
    }

    /// The admissible points (the assumptions with the hypotheses) and, along a path, those where the growing
    /// variable is at least the threshold. A pure function of its inputs, so a run builds each pair once.
    private static func regions(assumptions: Assumptions, hypotheses: [Relation], growing: String?,
                                memos: DerivationMemos) throws -> (Assumptions, Assumptions?) {
        var a = assumptions
        for h in hypotheses {
            do {
                try a.assume(h.lhs, h.op, h.rhs, origin: .init("\(h)"))
            } catch {
                throw KernelFailure("the hypothesis \(h) contradicts the assumptions: \(error.message)")
            }
        }
        let all = memos.intern(a)
        guard let v = growing else { return (all, nil) }
        var e = a
        do {
            try e.assume(.symbol(v), .greaterEqual, Expr(ProofContext.threshold), origin: .init("\(v) → ∞"))
        } catch {
            throw KernelFailure("\(v) cannot grow: \(error.message)")
        }
        // A relation that fails once the growing variable is large, for every value of the others (n <= M,
        // n <= 2*M, log(n) <= M, n*M <= 5, 1/n >= 1/M, an 'if n = M'), leaves the path empty: every claim along
        // it would hold vacuously (SEMANTICS.md, "Paths"). Its growth in the variable alone decides it.
        let relevant = a.facts.filter { $0.expression.contains(symbol: v) }
        let analyzer = relevant.isEmpty ? nil : GrowthAnalyzer(path: ScalingPath(growing: v), assumptions: a, memos: memos.simplifications)
        for fact in relevant {
            guard let analyzer else { break }
            guard let g = try? analyzer.growth(of: fact.expression) else { continue }
            if a.quickSign(g.coefficient) == .negative {
                throw KernelFailure("\(v) cannot grow: \(fact.origin) fails once \(v) is large (\(fact.expression.display) \(fact.strict ? ">" : ">=") 0 behaves like \(g.rate(in: v).display) times \(g.coefficient.display) < 0)")
            }
        }
        return (all, memos.intern(e))
    }

    /// Where a step with relation `rel` must hold.
    func region(for rel: Rel) -> Assumptions {
        if rel.asymptotic, let eventually { return eventually }
        return all
    }

    var fixed: Set<String> { Set(path?.fixed ?? []) }

    /// Zero-argument quantities are symbols in expressions (`Risk`); applied ones are `apply` nodes.
    func isQuantity(_ symbol: String) -> Bool { theory.quantities[symbol] != nil }
    func isDefined(_ symbol: String) -> Bool { theory.definitions.contains { $0.name == symbol } }
}
