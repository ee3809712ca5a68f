import Symbolic
import Asymptotics

/// A registered lower bound, as the audit compares against it: `Risk >~ n^(-2*beta/(2*beta + d)) as n → ∞`.
public struct RegisteredLowerBound: Sendable {
    public var id: String
    public var statement: Relation
    public var growing: String
    public var fixed: [String]
    public var location: SourceLocation
}

/// One comparison the audit made, or why it made none.
public enum AuditCheck: Sendable {
    public enum Outcome: Sendable, Equatable {
        case compared
        /// The lower bound's constant may depend on this symbol, which the law moves.
        case movesFixedSymbol(String)
        /// The lower bound's rate along the law's path is not certified.
        case lowerBoundRateNotCertified
    }

    /// The lower bound holds only under its `if` lines: never compared.
    case conditionalLowerBound(String)
    /// A branch rate of a law against a lower bound along the same variable.
    case rate(law: String, branch: LawBranch, variable: String, rate: Expr, lowerBound: String, outcome: Outcome)

    public var wasCompared: Bool {
        if case .rate(_, _, _, _, _, .compared) = self { return true }
        return false
    }
}

/// A lemma of the chain behind a contradiction: `S4`, or `S4 (for S4_exact)` when a theorem's proof brought it in.
public struct ChainLink: Sendable, Equatable {
    public var lemma: String
    /// The id the chain cited, when another lemma stands for it.
    public var citedAs: String?
}

/// An alternative by its id and name: `A5 (no expert branch)`.
public struct AlternativeReference: Sendable, Equatable {
    public var id: String
    public var name: Prose
}

/// A derived rate that decays strictly faster than a registered lower bound allows (an audit finding).
public struct Contradiction: Sendable {
    public var law: String
    public var branch: LawBranch
    public var rate: Expr
    public var logPower: Expr
    public var lowerBound: String
    public var lowerBoundRate: Expr
    public var path: LawPath
    public var variable: String
    public var exponents: [(String, Expr)]
    public var lemmaChain: [ChainLink]
    /// Alternatives (from the theory's alternatives folder) under which this contradiction disappears.
    public var removedBy: [AlternativeReference]
    /// When the comparison depends on the parameters: the condition for the contradiction.
    public var condition: Condition?
}

public struct AuditReport: Sendable {
    public var contradictions: [Contradiction]
    public var checked: [AuditCheck]
    public var lowerBounds: [RegisteredLowerBound]
}
