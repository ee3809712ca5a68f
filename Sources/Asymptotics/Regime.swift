import Symbolic

/// Where one term of a sum dominates: the condition on the parameters under which it grows fastest.
public struct Regime: Sendable {
    public var term: Expr
    public var growth: Growth
    public var condition: Condition
}

/// `term1 = term2` solved for a symbol: beyond `value` (for `symbol` larger), `dominantAbove` wins.
public struct Threshold: Sendable {
    public var symbol: String
    public var value: Expr
    public var dominantAbove: Expr
    public var dominantBelow: Expr
}

extension GrowthAnalyzer {
    /// For each term, the condition under which it dominates every other term along the path.
    public func regimes(of e: Expr) throws -> [Regime] {
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
    /// With `ignoringLogs`, powers of log(symbol) are treated as constants (the answer holds up to log factors).
    public static func threshold(_ a: Expr, _ b: Expr, solveFor symbol: String, ignoringLogs: Bool = false, assumptions: Assumptions,
                                 memos: SimplificationMemos? = nil) throws -> Threshold {
        var positive = assumptions
        if positive.interval(ofSymbol: symbol).sign != .positive {
            try positive.assume(.symbol(symbol), .greater, .zero, origin: .init("\(symbol) > 0"))
        }
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: symbol), assumptions: positive, memos: memos)
        let ga = try analyzer.growth(of: a), gb = try analyzer.growth(of: b)
        guard ignoringLogs || (ga.logPower.simplified(positive) == .zero && gb.logPower.simplified(positive) == .zero) else {
            throw AsymptoticError("cannot solve \(a) = \(b) for \(symbol) in closed form (a log of \(symbol) occurs)")
        }
        let difference = (ga.exponent - gb.exponent).simplified(positive)
        let s = positive.quickSign(difference)
        guard s == .positive || s == .negative else {
            throw AsymptoticError("cannot solve \(a) = \(b) for \(symbol): the powers \(ga.exponent) and \(gb.exponent) are not known to differ")
        }
        // ca·s^pa = cb·s^pb  ⟺  s = (cb/ca)^(1/(pa - pb))
        // Coefficients from the terms as written (logs kept whole), not from their canonical forms.
        let v = Expr.symbol(symbol)
        func coefficient(_ t: Expr, _ g: Growth) -> Expr {
            let written = (t * Expr.raise(v, -g.exponent) * Expr.raise(.log(v), -g.logPower)).tidied(positive)
            // A log of an expression in the variable (log(e*M/k) as M grows) stays in the written form:
            // use the canonical coefficient, which is free of the variable.
            return written.contains(symbol: symbol) ? g.coefficient : written
        }
        var ratio = (coefficient(b, gb) / coefficient(a, ga)).tidied(positive)
        // ca·s^pa = cb·s^pb has a positive solution only when cb/ca > 0.
        guard positive.quickSign(ratio) == .positive else {
            throw AsymptoticError("cannot solve \(a) = \(b) for \(symbol): the ratio of their coefficients, \(ratio), is not known to be positive")
        }
        var exponent = (Expr.one / difference).simplified(positive)
        if positive.quickSign(exponent) == .negative {
            // (1/x)^(-p) reads better as x^p.
            ratio = (coefficient(a, ga) / coefficient(b, gb)).tidied(positive)
            exponent = (-exponent).simplified(positive)
        }
        exponent = exponent.asSingleFraction(positive)
        let value = Expr.raise(ratio, exponent).tidied(positive)
        return Threshold(symbol: symbol, value: value, dominantAbove: s == .positive ? a : b, dominantBelow: s == .positive ? b : a)
    }
}
