import Symbolic

/// The asymptotic relations `bounds` decides along a path.
public enum LandauRelation: String, Sendable, CaseIterable {
    case bigO = "O", littleO = "o", theta = "Theta", omega = "Omega", softO = "SoftO"
    /// `<~`: at most a constant times (eventually); the same as O for eventually positive functions.
    case lesssim = "<~"
    /// `~` (≍): both ways.
    case asymp = "~"
}

/// The answer to "f R g along the path?": when it holds, as a condition on the parameters.
public struct LandauVerdict: Sendable, CustomStringConvertible {
    public var holds: Condition
    public var explanation: String
    /// Set when the comparison cannot be decided as stated: a "fails" that rests on a leading coefficient that may
    /// vanish (x*n = O(1) with x >= 0 holds at x = 0).
    public var undecided: String? = nil
    public var description: String {
        if holds.isAlways { return "holds: \(explanation)" }
        if holds.isNever { return "fails: \(explanation)" }
        return "holds if \(holds): \(explanation)"
    }
}

extension GrowthAnalyzer {
    /// Decide `f R g` along the path. A condition is returned when the answer depends on the parameters;
    /// a relation is never claimed when it is false or undecidable.
    public func decide(_ f: Expr, _ relation: LandauRelation, _ g: Expr) throws -> LandauVerdict {
        let gf = try growth(of: path.apply(to: f))
        let gg = try growth(of: path.apply(to: g))
        let ignoringLogs = relation == .softO
        let order = compare(gf, gg, ignoringLogs: ignoringLogs)
        let shown = "along \(path.describe(for: f + g)): f ≍ \(gf.rate(in: path.growing)), g ≍ \(gg.rate(in: path.growing))"
        let atMost: Condition, atLeast: Condition, strictlyLess: Condition, same: Condition
        switch order {
        case .less: atMost = .always; atLeast = .never; strictlyLess = .always; same = .never
        case .equal: atMost = .always; atLeast = .always; strictlyLess = .never; same = .always
        case .greater: atMost = .never; atLeast = .always; strictlyLess = .never; same = .never
        case .depends:
            // f = O(g) iff the exponent of g exceeds f's, or they are equal and so is g's log power at least:
            // n^(-a) = O(n^(-b)) iff a >= b. Exact when the log powers compare; otherwise the strict
            // exponent conditions, which are sufficient.
            let a = assumptions
            let dx = (gg.exponent - gf.exponent).simplified(a)
            let dl = ignoringLogs ? Expr.zero : (gg.logPower - gf.logPower).simplified(a)
            let ls = dl == .zero ? Sign.zero : a.quickSign(dl)
            let nonnegative = { (e: Expr) in Condition.positive(e, strict: false, under: a) }
            let positive = { (e: Expr) in Condition.positive(e, strict: true, under: a) }
            if dx == .zero || a.quickSign(dx) == .zero {
                atMost = nonnegative(dl); atLeast = nonnegative(-dl); strictlyLess = positive(dl)
                same = nonnegative(dl).and(nonnegative(-dl))
            } else {
                atMost = ls.isNonnegative ? nonnegative(dx) : positive(dx)
                atLeast = ls.isNonpositive ? nonnegative(-dx) : positive(-dx)
                strictlyLess = ls == .positive ? nonnegative(dx) : positive(dx)
                same = ls == .zero ? nonnegative(dx).and(nonnegative(-dx)) : .never
            }
        }
        // A leading coefficient that may vanish ((a - b)*n with a = b) leaves the true growth unknown: the side
        // that is compared against must have a nonzero one (as c^2 > 0, which is exact).
        func nonzero(_ c: Expr) -> Condition {
            let s = assumptions.quickSign(c.simplified(assumptions))
            if s.isNonzero { return .always }
            if s == .zero { return .never }
            return .positive(c * c, strict: true, under: assumptions)
        }
        // `<~` and `~` are signed (SEMANTICS.md): the side bounded below must be eventually positive, not only nonzero
        // (n - 2*n ~ n is false). O, o, Omega, Theta compare absolute values.
        func positive(_ c: Expr) -> Condition {
            let s = assumptions.quickSign(c.simplified(assumptions))
            if s == .positive { return .always }
            if s.isNonpositive { return .never }
            return .positive(c, strict: true, under: assumptions)
        }
        let holds: Condition
        switch relation {
        case .bigO, .softO: holds = atMost.and(nonzero(gg.coefficient))
        case .lesssim: holds = atMost.and(positive(gg.coefficient))
        case .littleO: holds = strictlyLess.and(nonzero(gg.coefficient))
        case .omega: holds = atLeast.and(nonzero(gf.coefficient))
        case .theta: holds = same.and(nonzero(gf.coefficient)).and(nonzero(gg.coefficient))
        case .asymp: holds = same.and(positive(gf.coefficient)).and(positive(gg.coefficient))
        }
        var verdict = LandauVerdict(holds: holds, explanation: shown)
        // A "fails" from the growth order needs the larger side's leading coefficient to be nonzero: where it vanishes
        // that side grows more slowly, and the relation may hold.
        if holds.isNever {
            let larger: [(String, Expr)]
            switch relation {
            case .bigO, .lesssim, .softO, .littleO: larger = [("f", gf.coefficient)]
            case .omega: larger = [("g", gg.coefficient)]
            case .theta, .asymp: larger = [("f", gf.coefficient), ("g", gg.coefficient)]
            }
            if let (side, c) = larger.first(where: { !nonzero($0.1).isAlways }) {
                verdict.undecided = "the leading coefficient \(c.text) of \(side) may vanish, and then \(side) grows more slowly"
            }
        }
        return verdict
    }
}
