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
    public var description: String {
        if holds.isAlways { return "holds: \(explanation)" }
        if holds.isNever { return "fails: \(explanation)" }
        return "holds if \(holds): \(explanation)"
    }
}

extension GrowthAnalyzer {
    /// Decide `f R g` along the path. A condition is returned when the answer depends on the parameters;
    /// a relation is never claimed when it is false or undecidable.
    public func decide(_ f: Expression, _ relation: LandauRelation, _ g: Expression) throws -> LandauVerdict {
        let gf = try growth(of: path.apply(to: f))
        let gg = try growth(of: path.apply(to: g))
        let ignoringLogs = relation == .softO
        let order = compare(gf, gg, ignoringLogs: ignoringLogs)
        let shown = "along \(path.describe(for: f + g)): f ≍ \(gf.rate(in: path.growing)), g ≍ \(gg.rate(in: path.growing))"
        let atMost: Condition, atLeast: Condition, strictlyLess: Condition
        switch order {
        case .less: atMost = .always; atLeast = .never; strictlyLess = .always
        case .equal: atMost = .always; atLeast = .always; strictlyLess = .never
        case .greater: atMost = .never; atLeast = .always; strictlyLess = .never
        case .depends(let lessIf, let greaterIf):
            // Exponents equal is a measure-zero case; we report the strict conditions, which are sufficient.
            atMost = lessIf; atLeast = greaterIf; strictlyLess = lessIf
        }
        let holds: Condition
        switch relation {
        case .bigO, .lesssim, .softO: holds = atMost
        case .littleO: holds = strictlyLess
        case .omega: holds = atLeast
        case .theta, .asymp:
            if case .depends = order { holds = .never } else { holds = atMost.and(atLeast) }
        }
        return LandauVerdict(holds: holds, explanation: shown)
    }
}
