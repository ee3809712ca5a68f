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
        // Terms with the same power of the variable are one term whose coefficient is their sum: (a + g*G^(-gamma))*N^(-alpha)
        // is multiplied out into two terms in N^(-alpha), which the trade-off formula treats as one.
        var moving: [Growth] = []
        for t in terms {
            let exponent = t.growth.exponent.simplified(a)
            guard exponent != .zero else { continue }
            // The formula is exact only for c·v^p: a term that is so only to leading order ((N + 1)^(-alpha)) has no closed form.
            let pure = Expr.multiply([t.growth.coefficient, Expr.raise(.symbol(variable), exponent)])
            guard t.growth.logPower == .zero, (t.term - pure).simplified(a) == .zero else {
                throw AsymptoticError("a closed-form optimum is only derived for pure power laws c·\(variable)^p, and \(t.term.text) is not one")
            }
            if let i = moving.firstIndex(where: { ($0.exponent - exponent).simplified(a) == .zero }) {
                moving[i].coefficient = (moving[i].coefficient + t.growth.coefficient).simplified(a)
            } else {
                moving.append(Growth(exponent: exponent, logPower: .zero, coefficient: t.growth.coefficient))
            }
        }
        guard moving.count == 2 else {
            throw AsymptoticError("a closed-form optimum needs two powers of \(variable) that trade off; found \(moving.count)")
        }
        let (t1, t2) = (moving[0], moving[1])
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
        // Each coefficient is k·total^q (eliminating the other variable brings in the budget): keeping the budget's
        // power apart gives v* = (k1·(-p1)/(k2·p2))^(1/(p2 - p1)) · total^((q1 - q2)/(p2 - p1)), whose coefficient is
        // free of the budget even when k is a sum ((A + g*G^(-gamma))·6^(-b)·C^b, which the simplifier multiplies out).
        let inBudget = GrowthAnalyzer(path: ScalingPath(growing: budget.total), assumptions: a)
        func split(_ c: Expr) throws -> (k: Expr, q: Expr) {
            let g = try inBudget.growth(of: c)
            let exact = Expr.multiply([g.coefficient, Expr.raise(total, g.exponent)])
            guard g.logPower == .zero, (c - exact).simplified(a) == .zero, !g.coefficient.contains(symbol: budget.total) else {
                throw AsymptoticError("the coefficient \(c.text) is not a constant times a power of \(budget.total)")
            }
            return (g.coefficient, g.exponent)
        }
        let (c1, c2) = (try split(t1.coefficient), try split(t2.coefficient))
        let gap = t2.exponent - t1.exponent
        let ratio = (Expr.negate(c1.k * t1.exponent)) / (c2.k * t2.exponent)
        let optimum = Expr.multiply([Expr.raise(ratio, Expr.one / gap), Expr.raise(total, (c1.q - c2.q) / gap)]).simplified(a)
        let scaledBudget = total / budget.constant
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
