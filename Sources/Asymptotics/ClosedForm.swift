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
            // Constant in the variable; a log of it (exponent 0, log power 1) is not, and is refused as not pure.
            if exponent == .zero && t.growth.logPower.simplified(a) == .zero && t.growth.logLogPower == .zero { continue }
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
        guard t1.logPower == .zero, t2.logPower == .zero, t1.logLogPower == .zero, t2.logLogPower == .zero else {
            throw AsymptoticError("a closed-form optimum is only derived for pure power laws (no log factors)")
        }
        // The stationary point v* = (-c1·p1 / (c2·p2))^(1/(p2 - p1)), built factor by factor: each of c1, |p1|, c2, |p2|
        // is positive, so (x·y)^r = x^r·y^r holds for them, and each factor's dependence on the budget (c2 carries
        // C^(-beta) when D = C/(6N) is substituted) is split off before the power is taken. Raising the product
        // whole would let the canonical form multiply the budget into a sum (C^b·(a - g·log(E))) whose power the
        // simplifier cannot split again, leaving C inside the coefficient.
        let r = (Expr.one / (t2.exponent - t1.exponent)).simplified(a)
        func magnitude(_ p: Expr, _ s: Sign) -> Expr { s == .negative ? Expr.negate(p) : p }
        let factors: [(Expr, Bool)] = [(t1.coefficient, true), (magnitude(t1.exponent, s1), true),
                                       (t2.coefficient, false), (magnitude(t2.exponent, s2), false)]
        let scaledBudget = total / budget.constant
        let inBudget = GrowthAnalyzer(path: ScalingPath(growing: budget.total), assumptions: a)
        var coefficientFactors: [Expr] = []
        var budgetExponent: [Expr] = []
        for (factor, up) in factors {
            let g = try inBudget.growth(of: factor)
            guard g.logPower == .zero else {
                throw AsymptoticError("a closed-form optimum is only derived for pure power laws, but \(factor) has a factor log(\(budget.total))")
            }
            let free = (factor / Expr.raise(total, g.exponent)).simplified(a)
            guard !free.contains(symbol: budget.total) else {
                throw AsymptoticError("the closed-form coefficient cannot be separated from \(budget.total): \(factor) is not a power of \(budget.total) times a factor free of it")
            }
            let power = up ? r : Expr.negate(r)
            coefficientFactors.append(Expr.raise(free, power))
            budgetExponent.append(up ? g.exponent : Expr.negate(g.exponent))
        }
        // v* = Π free_i^(±r) · C^E with E = r·Σ ±e_i, and C^E = const^E · (C/const)^E.
        let exponent = (r * Expr.add(budgetExponent)).simplified(a)
        let coefficient = (Expr.multiply(coefficientFactors) * Expr.raise(budget.constant, exponent)).simplified(a)
        guard !coefficient.contains(symbol: budget.total), !exponent.contains(symbol: budget.total) else {
            throw AsymptoticError("the closed-form coefficient \(coefficient) still contains \(budget.total), so it is not printed")
        }
        let optimum = (coefficient * Expr.raise(scaledBudget, exponent)).simplified(a)
        // The other variable from the budget: w* = (C/(const·v*^p_mine))^(1/p_other) = G^(-p_mine/p_other)·(C/const)^((1 - p_mine·E)/p_other).
        let otherExponent = ((Expr.one - Expr.number(mine.1) * exponent) * Expr.number(inverse)).simplified(a)
        let otherCoefficient = Expr.raise(coefficient, Expr.number(-mine.1 * inverse)).simplified(a)
        let value = reduced.substituting([variable: optimum]).tidied(a)
        return ClosedFormOptimum(variable: variable, optimum: optimum, exponent: exponent, coefficient: coefficient,
                                 partner: (other.0, otherExponent, otherCoefficient), value: value)
    }
}
