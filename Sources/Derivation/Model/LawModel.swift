import Symbolic
import Asymptotics

// The values a derived law is made of. None of them holds rendered text: each printer (Report/) shows them its own
// way, the text view as `.text`, LaTeX as `.latex`, JSON through its Codable mirror.

/// A summand of a bound with its name from the lemmas (`estimation N_eff*log(n)/n`), or one operand of a named min
/// (`approximation: M^(-2*beta/d)`).
public struct NamedTerm: Sendable, Equatable {
    public var name: String?
    public var expression: Expr
    /// An operand of the min that `name` labels, not the whole term.
    public var isOperand: Bool

    public init(name: String?, expression: Expr, isOperand: Bool = false) {
        self.name = name
        self.expression = expression
        self.isOperand = isOperand
    }
}

/// How exactly a condition holds: thresholds are solved with constants and log factors dropped.
public enum Accuracy: String, Sendable, CaseIterable {
    case exact
    case upToLogFactors = "log factors"
    case upToConstants = "constants"
    case upToConstantsAndLogFactors = "constants and log factors"
}

/// `lhs op rhs`, up to constants or log factors: `n >= (L_T*ell*k*log(e*M/k))^((2*beta + d)/d)`.
public struct LawComparison: Sendable, Equatable {
    public var lhs: Expr
    public var op: RelationOperator
    public var rhs: Expr
    public var accuracy: Accuracy

    public init(_ lhs: Expr, _ op: RelationOperator, _ rhs: Expr, accuracy: Accuracy = .exact) {
        self.lhs = lhs
        self.op = op
        self.rhs = rhs
        self.accuracy = accuracy
    }
}

/// Where a regime holds.
public enum LawCondition: Sendable, Equatable {
    /// A comparison between expressions: `theta < d/(2*beta + d)`, `n < value (up to constants)`, `M = N_eff`.
    case comparison(LawComparison)
    /// All along the path: `n → ∞`.
    case limit(String)
    /// A condition on the parameters (a conjunction of atoms `expression > 0`), as the growth analysis returns it.
    case parameters(Condition)
    /// At the optimum of a balanced law.
    case balanced
    /// One cost of a budget that is a sum dominates the others.
    case costDominates(Expr)
}

/// Which term dominates in a regime, or why the regime has no law.
public enum RegimeDominance: Sendable, Equatable {
    case term(NamedTerm)
    /// The balanced terms, equal in order at the optimum.
    case balance([NamedTerm])
    /// At a boundary `variable = value`: which term is the larger on each side.
    case larger(above: NamedTerm, below: NamedTerm)
    /// A budget variable that does not enter the dominant cost: nothing limits it there.
    case unlimited(String)
    /// The one-cost law could not be derived (the located error's message).
    case noLaw(String)
    /// The one-cost law is undecided (the kernel's reason).
    case undecided(String)
    /// The one-cost rate, and the costs that are not proved to stay within a constant times the total along it
    /// (none: the rate holds as the total grows).
    case rate(RateDescription, total: String, problems: [CostProblem])
}

/// Why a cost of a sum budget may outgrow the total along another cost's optimal allocation.
public enum CostProblem: Sendable, Equatable {
    case carriesLogs(cost: Expr)
    /// `cost` grows like `total^exponent`, and `exponent <= 1` is not proved (the kernel's reason).
    case grows(cost: Expr, total: String, exponent: Expr, reason: String)
}

/// One regime of a law: where it holds and which term dominates there.
public struct LawRegime: Sendable, Equatable {
    public var condition: LawCondition
    public var dominant: RegimeDominance

    public init(condition: LawCondition, dominant: RegimeDominance) {
        self.condition = condition
        self.dominant = dominant
    }

    /// A threshold between two terms (`n = value`), rather than a region.
    public var isBoundary: Bool {
        if case .larger = dominant { return true }
        return false
    }
}

/// A condition of a law as an expression: the law holds once `variable >= value` (up to constants and log
/// factors); below it `term` dominates. `compare` decides whether two conditions agree on these, not on their text.
public struct LawThreshold: Sendable, Equatable {
    public var variable: String
    public var value: Expr
    public var term: NamedTerm
    public var accuracy: Accuracy

    /// The condition itself, `variable >= value`.
    public var condition: LawComparison { LawComparison(.symbol(variable), .greaterEqual, value, accuracy: accuracy) }
}

/// The path a law follows: the growing variable, the symbols that move with it, and those held fixed.
public struct LawPath: Sendable {
    public var growing: String
    public var substitutions: [(String, Expr)]
    public var fixed: [String]

    public init(growing: String, substitutions: [(String, Expr)] = [], fixed: [String] = []) {
        self.growing = growing
        self.substitutions = substitutions
        self.fixed = fixed
    }

    /// The path as it moves the objective's symbols: those neither growing, substituted nor free are held fixed.
    public init(_ path: ScalingPath, for objective: Expr) {
        self.init(growing: path.growing, substitutions: path.substitutions, fixed: path.heldFixed(in: path.apply(to: objective)))
    }
}

/// Which branch of the bound's minima a rate belongs to: the operand taken in each min (none: the bound itself).
public struct LawBranch: Sendable, Equatable {
    public var choices: [BranchChoice]

    public init(_ choices: [BranchChoice]) { self.choices = choices }

    public var isWholeBound: Bool { choices.isEmpty }
}

/// What a law's derivation records beside its rate.
public enum LawNote: Sendable {
    /// A limit taken first (`limit n -> oo`) removes a term.
    case vanishesInLimit(variable: String, term: NamedTerm)
    /// The budget of the law, `C = N_eff*n` (the cost as a constant times powers).
    case budget(total: String, cost: Expr)
    /// A budget that is a sum: one regime per cost, over these allocation variables.
    case sumBudget(total: String, costs: Expr, variables: [String])
    case noCostDominates(total: String)
    case noClosedFormForSum
    /// An undecided law's closed form is not printed: the stationary point is the optimum only where the rate is.
    case noClosedFormUndecided
    /// A branch rate the kernel did not certify (left out of the audit).
    case uncertifiedBranch(LawBranch, variable: String, rate: Expr, reason: String)
    case bestBranch(LawBranch)
    case noCertificate
    case irreducible([Expr])
    case alsoOptimal([(String, Expr)])
    /// How a lower-order term scales along the optimal path: `term ∝ variable^exponent·log(variable)^logPower`.
    case scaling(term: NamedTerm, variable: String, exponent: Expr, logPower: Expr)

    /// The budget this note states, if it is one (`budget` or `sumBudget`).
    public var isBudget: Bool {
        switch self {
        case .budget, .sumBudget: return true
        default: return false
        }
    }
}

/// What a number of a law's `values` is: the risk exponent, an allocation exponent, a closed form's exponent or
/// coefficient.
public enum NumberMeaning: Sendable, Equatable {
    /// `r`: risk ≍ variable^r (Õ when the rate hides logs).
    case riskExponent(variable: String, hidesLogs: Bool)
    /// `l`: risk ≍ variable^r·log(variable)^l.
    case logPower(variable: String)
    /// `e_q`: q ∝ variable^e_q.
    case exponent(quantity: String, variable: String)
    /// `a` (or `b` for the partner): x* ∝ (total/constant)^a.
    case closedFormExponent(quantity: String, total: String, constant: Expr, partner: Bool)
    /// `G` (or `G'` for the partner): x* = G·(total/constant)^a.
    case closedFormCoefficient(quantity: String, total: String, constant: Expr, partner: Bool)

    /// The number's name before its explanation: `r`, `l`, `e_N`, `a`, `G`, `b`, `G'`.
    public var name: String {
        switch self {
        case .riskExponent: return "r"
        case .logPower: return "l"
        case .exponent(let q, _): return "e_\(q)"
        case .closedFormExponent(_, _, _, let partner): return partner ? "b" : "a"
        case .closedFormCoefficient(_, _, _, let partner): return partner ? "G'" : "G"
        }
    }
}
