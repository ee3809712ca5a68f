/// A deterministic total order on expressions, used to sort the operands of sums, products, min and max
/// so that equal expressions have one printed form.
///
/// Every expression is compared as `base^exponent` (a symbol `x` is `x^1`), so `x`, `x^2` and `x^a` sit
/// next to each other, and a monomial such as `2*beta` sorts by `beta`.
extension Expr {
    public static func canonicalOrder(_ a: Expr, _ b: Expr) -> Int {
        if a == b { return 0 }
        let aIsPower: Bool, bIsPower: Bool
        if case .power = a.shape { aIsPower = true } else { aIsPower = false }
        if case .power = b.shape { bIsPower = true } else { bIsPower = false }
        if aIsPower || bIsPower {
            let (ab, ae) = a.baseAndExponent
            let (bb, be) = b.baseAndExponent
            let byBase = canonicalOrder(ab, bb)
            if byBase != 0 { return byBase }
            return canonicalOrder(ae, be)
        }
        let ra = a.kindRank, rb = b.kindRank
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a.shape, b.shape) {
        case (.number(let x), .number(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.constant(let x), .constant(let y)): return x.rawValue < y.rawValue ? -1 : (x == y ? 0 : 1)
        case (.symbol(let x), .symbol(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.apply(let f, let xs), .apply(let g, let ys)):
            if f != g { return f < g ? -1 : 1 }
            return compareLexicographically(xs, ys)
        default: return compareLexicographically(a.children, b.children)
        }
    }

    public static func canonicallyPrecedes(_ a: Expr, _ b: Expr) -> Bool {
        canonicalOrder(a, b) < 0
    }

    private static func compareLexicographically(_ xs: [Expr], _ ys: [Expr]) -> Int {
        for (x, y) in zip(xs, ys) {
            let c = canonicalOrder(x, y)
            if c != 0 { return c }
        }
        return xs.count == ys.count ? 0 : (xs.count < ys.count ? -1 : 1)
    }

    /// `(base, exponent)` with non-powers as `(self, 1)`.
    public var baseAndExponent: (Expr, Expr) {
        if case .power(let b, let x) = self.shape { return (b, x) }
        return (self, .one)
    }

    private var kindRank: Int {
        switch self.shape {
        case .number: return 0
        case .constant: return 1
        case .symbol: return 2
        case .product: return 3
        case .power: return 4
        case .sum: return 5
        case .log: return 6
        case .min: return 7
        case .max: return 8
        case .binom: return 9
        case .apply: return 10
        }
    }
}
