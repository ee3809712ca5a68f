import Symbolic

/// Where one term of a sum dominates: the condition on the parameters under which it grows fastest.
public struct Regime: Sendable {
    public var term: Expression
    public var growth: Growth
    public var condition: Condition
}

/// `term1 = term2` solved for a symbol: beyond `value` (for `symbol` larger), `dominantAbove` wins.
public struct Threshold: Sendable {
    public var symbol: String
    public var value: Expression
    public var dominantAbove: Expression
    public var dominantBelow: Expression
}

extension GrowthAnalyzer {
    /// For each term, the condition under which it dominates every other term along the path.
    public func regimes(of e: Expression) throws -> [Regime] {
        let terms = try self.terms(of: e)
        var result: [Regime] = []
        for (i, t) in terms.enumerated() {
            var condition = Condition.always
            for (j, other) in terms.enumerated() where i != j {
                switch compare(t.growth, other.growth) {
                case .greater: break
                case .less: condition = .never
                case .equal: if j < i { condition = .never }
                case .depends(_, let greaterIf): condition = condition.and(greaterIf)
                }
                if condition.isNever { break }
            }
            if !condition.isNever { result.append(Regime(term: t.term, growth: t.growth, condition: condition)) }
        }
        return result
    }

    /// Solve `a = b` for `symbol`, when both are monomials in it with different powers.
    public static func threshold(_ a: Expression, _ b: Expression, solveFor symbol: String, assumptions: Assumptions) throws -> Threshold {
        var positive = assumptions
        if positive.interval(ofSymbol: symbol).sign != .positive {
            try positive.assume(.symbol(symbol), .greater, .zero, origin: .init("\(symbol) > 0"))
        }
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: symbol), assumptions: positive)
        let ga = try analyzer.growth(of: a), gb = try analyzer.growth(of: b)
        guard ga.logPower.simplified(positive) == .zero, gb.logPower.simplified(positive) == .zero else {
            throw AsymptoticError("cannot solve \(a) = \(b) for \(symbol) in closed form (a log of \(symbol) occurs)")
        }
        let difference = (ga.exponent - gb.exponent).simplified(positive)
        let s = positive.quickSign(difference)
        guard s == .positive || s == .negative else {
            throw AsymptoticError("cannot solve \(a) = \(b) for \(symbol): the powers \(ga.exponent) and \(gb.exponent) are not known to differ")
        }
        // ca·s^pa = cb·s^pb  ⟺  s = (cb/ca)^(1/(pa - pb))
        let value = Expression.raise(gb.coefficient / ga.coefficient, Expression.one / difference).simplified(positive)
        return Threshold(symbol: symbol, value: value.tidied(positive), dominantAbove: s == .positive ? a : b, dominantBelow: s == .positive ? b : a)
    }
}
