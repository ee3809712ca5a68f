import Symbolic

/// Closed-form optimum of a two-term trade-off `c1·v^p1 + c2·v^p2` (p1 < 0 < p2), with constants:
/// `v* = (-c1·p1 / (c2·p2))^(1/(p2 - p1))`. Used for parametric laws such as
/// `L = E + A*N^(-alpha) + B*D^(-beta)` with `C = 6*N*D`, where it gives `N* = G·(C/6)^a`.
public struct ClosedFormOptimum: Sendable {
    public var variable: String
    /// The optimal value of the variable, as an expression in the budget and the constants.
    public var optimum: Expr
    /// `optimum = coefficient · (budget/constant)^exponent`.
    public var exponent: Expr
    public var coefficient: Expr
    /// The other budget variable at the optimum, as `coefficient · (budget/constant)^exponent`.
    public var partner: (name: String, exponent: Expr, coefficient: Expr)?
    /// The objective at the optimum.
    public var value: Expr
}

extension GrowthAnalyzer {
    /// Optimize `objective` over `variable` with the budget eliminating the other variable (two-variable budgets).
    public static func closedForm(_ objective: Expr, budget: Budget, variable: String, assumptions: Assumptions) throws -> ClosedFormOptimum {
        guard budget.variables.count == 2, let mine = budget.variables.first(where: { $0.0 == variable }),
              let other = budget.variables.first(where: { $0.0 != variable }) else {
            throw AsymptoticError("a closed-form optimum needs a two-variable budget containing \(variable)")
        }
        var a = assumptions
        for name in [budget.total, variable, other.0] where a.interval(ofSymbol: name).sign != .positive {
            try a.assume(.symbol(name), .greater, .zero, origin: .init("\(name) > 0"))
        }
        // other = (total / (k · variable^p_mine))^(1/p_other)
        let total = Expr.symbol(budget.total)
        guard let inverse = other.1.reciprocal else { throw AsymptoticError("budget power is zero") }
        let otherValue = Expr.raise(total / (budget.constant * Expr.raise(.symbol(variable), .number(mine.1))), .number(inverse))
        let reduced = objective.substituting([other.0: otherValue])
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: variable), assumptions: a)
        let terms = try analyzer.terms(of: reduced)
        let moving = terms.filter { $0.growth.exponent.simplified(a) != .zero }
        guard moving.count == 2 else {
            throw AsymptoticError("a closed-form optimum needs exactly two terms that depend on \(variable); found \(moving.count)")
        }
        let (t1, t2) = (moving[0].growth, moving[1].growth)
        let s1 = a.quickSign(t1.exponent), s2 = a.quickSign(t2.exponent)
        guard (s1 == .negative && s2 == .positive) || (s1 == .positive && s2 == .negative) else {
            throw AsymptoticError("the two terms must pull in opposite directions in \(variable) (exponents \(t1.exponent) and \(t2.exponent))")
        }
        // With a coefficient that is not positive the stationary point is not a minimum (or does not exist).
        for t in [t1, t2] where a.quickSign(t.coefficient.simplified(a)) != .positive {
            throw AsymptoticError("a closed-form optimum needs positive coefficients, but \(t.coefficient) is not known to be > 0")
        }
        guard t1.logPower == .zero, t2.logPower == .zero else {
            throw AsymptoticError("a closed-form optimum is only derived for pure power laws (no log factors)")
        }
        let ratio = (Expr.negate(t1.coefficient * t1.exponent)) / (t2.coefficient * t2.exponent)
        let optimum = Expr.raise(ratio, Expr.one / (t2.exponent - t1.exponent)).simplified(a)
        let scaledBudget = total / budget.constant
        let inBudget = GrowthAnalyzer(path: ScalingPath(growing: budget.total), assumptions: a)
        let g = try inBudget.growth(of: optimum)
        let coefficient = (optimum / Expr.raise(scaledBudget, g.exponent)).simplified(a)
        let otherAtOptimum = otherValue.substituting([variable: optimum]).simplified(a)
        let og = try inBudget.growth(of: otherAtOptimum)
        let otherCoefficient = (otherAtOptimum / Expr.raise(scaledBudget, og.exponent)).simplified(a)
        let value = reduced.substituting([variable: optimum]).tidied(a)
        return ClosedFormOptimum(variable: variable, optimum: optimum, exponent: g.exponent, coefficient: coefficient,
                                 partner: (other.0, og.exponent, otherCoefficient), value: value)
    }
}
