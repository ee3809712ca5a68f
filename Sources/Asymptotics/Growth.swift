import Symbolic

/// How a term grows along a path: `coefficient · v^exponent · (log v)^logPower · (log log v)^logLogPower` as
/// v → ∞. The exponent is an exact expression in the parameters (e.g. `-2*beta*theta/d`).
public struct Growth: Hashable, Sendable, CustomStringConvertible {
    public var exponent: Expr
    public var logPower: Expr
    public var coefficient: Expr
    /// Powers of log log v (`log(log(n))` is 1); compared only when exponent and log power tie.
    public var logLogPower: Expr = .zero

    public init(exponent: Expr, logPower: Expr, coefficient: Expr, logLogPower: Expr = .zero) {
        self.exponent = exponent
        self.logPower = logPower
        self.coefficient = coefficient
        self.logLogPower = logLogPower
    }

    public static let constant = Growth(exponent: .zero, logPower: .zero, coefficient: .one)

    public var description: String {
        var s = "exponent \(exponent)"
        if logPower != .zero { s += ", log power \(logPower)" }
        return s
    }

    /// `v^exponent (log v)^logPower` as an expression (the coefficient left out).
    public func rate(in variable: String) -> Expr {
        let v = Expr.symbol(variable)
        var factors: [Expr] = []
        if exponent != .zero { factors.append(Expr.raise(v, exponent)) }
        if logPower != .zero { factors.append(Expr.raise(.log(v), logPower)) }
        if logLogPower != .zero { factors.append(Expr.raise(.log(.log(v)), logLogPower)) }
        return Expr.multiply(factors)
    }
}

/// A term of a sum with its growth.
public struct TermGrowth: Sendable {
    public var term: Expr
    public var growth: Growth
}

/// The ordering of two growths along a path.
public enum GrowthOrder: Sendable, Equatable {
    case less, equal, greater
    /// Depends on the parameters: `lessIf` is when the first grows strictly slower, `greaterIf` strictly faster.
    case depends(lessIf: Condition, greaterIf: Condition)
}

public struct GrowthAnalyzer {
    public let path: ScalingPath
    public let assumptions: Assumptions
    /// Simplifications under `assumptions`, shared by everything this analyzer computes.
    let memo: SimplificationMemo

    /// With `memos`, simplifications are shared with every analyzer of the same computation under equal
    /// assumptions.
    public init(path: ScalingPath, assumptions: Assumptions, memos: SimplificationMemos? = nil) {
        self.path = path
        if let memos {
            memo = memos.memo(extending: assumptions, growing: path.growing) { path.extend(assumptions) }
            self.assumptions = memo.assumptions
        } else {
            self.assumptions = path.extend(assumptions)
            memo = SimplificationMemo(self.assumptions)
        }
    }

    /// Terms of `e` (the top-level sum, as written) with their growth along the path.
    public func terms(of e: Expr) throws -> [TermGrowth] {
        let top: [Expr]
        if case .sum(let ts) = e.shape { top = ts } else { top = [e] }
        // Terms that decay faster than any power have no power-law growth; beside one that has, they are left out.
        let along = top.map { (term: $0, moved: path.apply(to: $0)) }
        let powerLaw = along.filter { !isExponentiallySmall(memo.simplified($0.moved)) }
        return try (powerLaw.isEmpty ? along : powerLaw).map { TermGrowth(term: $0.term, growth: try growth(of: $0.moved)) }
    }

    /// The growth of a whole expression (after the path's substitutions), its dominant term's.
    public func growth(of e: Expr) throws -> Growth {
        try path.validate()
        let canonical = memo.simplified(e)
        return try growthOfCanonical(canonical)
    }

    private var variable: String { path.growing }

    private func growthOfCanonical(_ e: Expr) throws -> Growth {
        if !e.contains(symbol: variable) { return Growth(exponent: .zero, logPower: .zero, coefficient: e) }
        switch e.shape {
        case .symbol:
            return Growth(exponent: .one, logPower: .zero, coefficient: .one)
        case .product(let factors):
            var g = Growth.constant
            var coefficientFactors: [Expr] = []
            for f in factors {
                let fg = try growthOfCanonical(f)
                g.exponent = g.exponent + fg.exponent
                g.logPower = g.logPower + fg.logPower
                g.logLogPower = g.logLogPower + fg.logLogPower
                coefficientFactors.append(fg.coefficient)
            }
            return tidy(Growth(exponent: g.exponent, logPower: g.logPower, coefficient: Expr.multiply(coefficientFactors), logLogPower: g.logLogPower))
        case .power(let base, let x):
            if x.contains(symbol: variable) {
                // b^(k·log v + r) = v^(k·log b)·b^r for a constant b > 0 (Â^(d·log C) in a log-quadratic fit).
                if !base.contains(symbol: variable), assumptions.quickSign(base) == .positive,
                   let line = logLinear(x) {
                    return tidy(Growth(exponent: line.slope * Expr.log(base), logPower: .zero, coefficient: Expr.raise(base, line.intercept)))
                }
                throw AsymptoticError("cannot give the growth of \(e): the exponent depends on \(variable) (faster than any power)")
            }
            let b = try growthOfCanonical(base)
            return tidy(Growth(exponent: b.exponent * x, logPower: b.logPower * x, coefficient: Expr.raise(b.coefficient, x),
                               logLogPower: b.logLogPower * x))
        case .log(let arg):
            let inner = try growthOfCanonical(arg)
            // log of a quantity whose leading term is not positive has no value eventually: no growth to give.
            guard assumptions.quickSign(inner.coefficient) == .positive else {
                throw AsymptoticError("cannot give the growth of \(e): the leading coefficient \(inner.coefficient) of its argument is not known to be positive")
            }
            let exponent = memo.simplified(inner.exponent)
            let s = assumptions.quickSign(exponent)
            if s == .positive || s == .negative {
                // log(c v^a (log v)^b) = a log v + O(log log v) ~ a log v (negative when the argument tends to 0).
                return Growth(exponent: .zero, logPower: .one, coefficient: inner.exponent)
            }
            if exponent == .zero && assumptions.quickSign(inner.logPower) == .positive && inner.logLogPower == .zero {
                // log(c·(log v)^b) = b·log log v + log c ~ b·log log v for b > 0.
                return Growth(exponent: .zero, logPower: .zero, coefficient: inner.logPower, logLogPower: .one)
            }
            if exponent == .zero && assumptions.quickSign(inner.logPower) == .positive {
                throw AsymptoticError("cannot give the growth of \(e): it grows like log log \(variable) with more logs inside, which bounds does not track")
            }
            if exponent == .zero && memo.simplified(inner.logPower) == .zero && inner.logLogPower != .zero {
                throw AsymptoticError("cannot give the growth of \(e): it grows like log log log \(variable), which bounds does not track")
            }
            if exponent == .zero && memo.simplified(inner.logPower) == .zero {
                throw AsymptoticError("cannot give the growth of \(e): its argument tends to a constant, and bounds does not expand a log there")
            }
            throw AsymptoticError("cannot give the growth of \(e): the sign of the exponent \(inner.exponent) of its argument is not known")
        case .sum(let terms):
            // A term that decays faster than any power (U*R*exp(-D/(U*R))) is below every term with a growth, so it
            // never dominates: it is left out when some other term has one.
            let rest = terms.filter { !isExponentiallySmall($0) }
            let growths = try (rest.isEmpty ? terms : rest).map(growthOfCanonical)
            return try dominant(growths, context: e)
        case .min(let xs), .max(let xs):
            let isMin: Bool
            if case .min = e.shape { isMin = true } else { isMin = false }
            let growths = try xs.map(growthOfCanonical)
            // The larger growth wins a max only between positive terms: max(1, n - n^2) is 1, not ~ -n^2.
            for (x, g) in zip(xs, growths) where assumptions.quickSign(g.coefficient) != .positive {
                throw AsymptoticError("cannot give the growth of \(e): the leading coefficient of \(x) is not known to be positive")
            }
            var best = growths[0]
            for g in growths.dropFirst() {
                switch compare(g, best) {
                case .less: if isMin { best = g }
                case .greater: if !isMin { best = g }
                case .equal: break
                case .depends:
                    throw AsymptoticError("the growth of \(e) depends on the parameters; split it into regimes first")
                }
            }
            return best
        default:
            throw AsymptoticError("cannot give the growth of \(e) along \(path)")
        }
    }

    /// `x = k·log(v) + r` with k and r free of v: (k, r); nil otherwise.
    func logLinear(_ x: Expr) -> (slope: Expr, intercept: Expr)? {
        GrowthAnalyzer.logLinear(memo.simplified(x), in: variable, memo: memo)
    }

    static func logLinear(_ x: Expr, in variable: String, memo: SimplificationMemo) -> (slope: Expr, intercept: Expr)? {
        let marker = "⟨log \(variable)⟩"
        func replace(_ e: Expr) -> Expr {
            if case .log(let arg) = e.shape, arg == .symbol(variable) { return .symbol(marker) }
            if e.children.isEmpty { return e }
            return e.replacingChildren(e.children.map(replace))
        }
        let replaced = replace(x)
        guard !replaced.contains(symbol: variable),
              let line = AffineExponent.extract(replaced, variables: [marker], memo: memo) else { return nil }
        guard let k = line.slope.first, !k.contains(symbol: marker), !line.intercept.contains(symbol: marker), k != .zero else { return nil }
        return (k, line.intercept)
    }

    /// Every power `b^(k·log v + r)` in `e`, with b > 0 free of v, written `v^(k·log b)·b^r`: the same number for
    /// v > 0 (b^(k·log v) = exp(k·log b·log v)), in a form whose ratio to a power of v simplifies.
    public static func powersOfLogExponents(_ e: Expr, in variable: String, assumptions: Assumptions) -> Expr {
        guard e.contains(symbol: variable) else { return e }
        // Only a power whose exponent mentions the variable can change; most expressions have none, and then no
        // memo is built.
        guard e.containsPowerWithExponent(in: variable) else { return e }
        let memo = SimplificationMemo(assumptions)
        func rewrite(_ e: Expr) -> Expr {
            guard e.contains(symbol: variable) else { return e }
            let children = e.children.map(rewrite)
            let rebuilt = children.isEmpty ? e : e.replacingChildren(children)
            if case .power(let base, let x) = rebuilt.shape, !base.contains(symbol: variable), x.contains(symbol: variable),
               assumptions.quickSign(base) == .positive, let line = logLinear(memo.simplified(x), in: variable, memo: memo) {
                return Expr.multiply([Expr.raise(.symbol(variable), line.slope * Expr.log(base)), Expr.raise(base, line.intercept)])
            }
            return rebuilt
        }
        return rewrite(e)
    }

    /// `P·b^x` with P of power-law growth, b > 0 constant and b^x → 0 faster than any power: x → -∞ like a power of
    /// the variable with b > 1 (exp(-n/R)), or x → +∞ with b < 1. Decided from signs the assumptions prove.
    func isExponentiallySmall(_ term: Expr) -> Bool {
        // Every sum's growth asks this of each term: answer the common case (no power with the variable in its
        // exponent) without computing any growth.
        guard term.containsPowerWithExponent(in: variable) else { return false }
        let factors: [Expr]
        if case .product(let fs) = term.shape { factors = fs } else { factors = [term] }
        var exponential = 0
        for f in factors {
            if case .power(let base, let x) = f.shape, x.contains(symbol: variable) {
                guard !base.contains(symbol: variable), let g = try? growthOfCanonical(x),
                      assumptions.quickSign(g.exponent) == .positive else { return false }
                let direction = assumptions.quickSign(g.coefficient)
                let baseAboveOne = assumptions.quickSign(memo.simplified(base - .one))
                let baseSign = assumptions.quickSign(base)
                guard baseSign == .positive,
                      (direction == .negative && baseAboveOne == .positive) || (direction == .positive && baseAboveOne == .negative)
                else { return false }
                exponential += 1
            } else if (try? growthOfCanonical(f)) == nil {
                return false
            }
        }
        return exponential == 1
    }

    private func tidy(_ g: Growth) -> Growth {
        Growth(exponent: memo.simplified(g.exponent), logPower: memo.simplified(g.logPower),
               coefficient: memo.tidied(g.coefficient), logLogPower: memo.simplified(g.logLogPower))
    }

    /// The largest growth; equal growths add their coefficients. Throws when the order depends on the parameters.
    private func dominant(_ growths: [Growth], context: Expr) throws -> Growth {
        var best = growths[0]
        for g in growths.dropFirst() {
            switch compare(g, best) {
            case .greater: best = g
            case .equal: best.coefficient = memo.simplified(best.coefficient + g.coefficient)
            case .less: break
            case .depends:
                let gap = memo.simplified(g.exponent - best.exponent)
                throw AsymptoticError("which term of \(context) dominates depends on the parameters (the sign of \(gap.text) along \(variable) → ∞): assume it (an 'assume' line ordering the exponents), or see the regimes with a growth law ('as \(variable) -> oo') or 'bounds asymptotic'")
            }
        }
        // A cancelled leading coefficient would make the next term dominant; we do not guess it.
        if memo.simplified(best.coefficient) == .zero {
            throw AsymptoticError("the leading terms of \(context) cancel; expand it further before asking for its growth")
        }
        return best
    }

    /// Compare growths by exponent, then by power of log.
    public func compare(_ a: Growth, _ b: Growth, ignoringLogs: Bool = false) -> GrowthOrder {
        let difference = memo.simplified(a.exponent - b.exponent)
        let s = assumptions.quickSign(difference)
        if s == .positive { return .greater }
        if s == .negative { return .less }
        if difference == .zero || s == .zero {
            if ignoringLogs { return .equal }
            let l = memo.simplified(a.logPower - b.logPower)
            let ls = assumptions.quickSign(l)
            if l == .zero || ls == .zero {
                let ll = memo.simplified(a.logLogPower - b.logLogPower)
                let lls = assumptions.quickSign(ll)
                if ll == .zero || lls == .zero { return .equal }
                if lls == .positive { return .greater }
                if lls == .negative { return .less }
                return .depends(lessIf: .positive(-ll, strict: true, memo: memo), greaterIf: .positive(ll, strict: true, memo: memo))
            }
            if ls == .positive { return .greater }
            if ls == .negative { return .less }
            return .depends(lessIf: .positive(-l, strict: true, memo: memo), greaterIf: .positive(l, strict: true, memo: memo))
        }
        return .depends(lessIf: .positive(-difference, strict: true, memo: memo), greaterIf: .positive(difference, strict: true, memo: memo))
    }
}

extension Expr {
    /// Whether some power `b^x` below has `variable` in its exponent x (and not in its base): the only place an
    /// exponential in the variable can be.
    func containsPowerWithExponent(in variable: String) -> Bool {
        guard contains(symbol: variable) else { return false }
        var stack = [self]
        while let node = stack.popLast() {
            if case .power(let base, let x) = node.shape, x.contains(symbol: variable), !base.contains(symbol: variable) { return true }
            stack.append(contentsOf: node.children.filter { $0.contains(symbol: variable) })
        }
        return false
    }
}
