/// Display forms of canonical expressions.
extension Expr {
    /// A rational function written over one denominator: `-2*beta/d - 1` becomes `-(2*beta + d)/d`.
    /// For display only: simplifying the result gives back the canonical (expanded) form.
    public func asSingleFraction(_ assumptions: Assumptions = Assumptions()) -> Expr {
        let simplifier = Simplifier(assumptions: assumptions)
        let canonical = simplifier.simplify(self)
        guard case .sum(let terms) = canonical.shape else { return canonical }
        guard let (monomial, rest) = simplifier.monomialContent(terms) else {
            let content = Simplifier.content(of: terms)
            if content.isOne || content == .minusOne { return canonical }
            guard let inverse = content.reciprocal else { return canonical }
            return Simplifier.orderedProduct([.number(content), simplifier.makeSum(terms.map { Simplifier.scale($0, by: inverse) })])
        }
        guard case .sum(let restTerms) = rest.shape else { return canonical }
        let content = Simplifier.content(of: restTerms)
        guard let inverse = content.reciprocal else { return canonical }
        let primitive = simplifier.makeSum(restTerms.map { Simplifier.scale($0, by: inverse) })
        let monomialFactors: [Expr]
        if case .product(let fs) = monomial.shape { monomialFactors = fs } else { monomialFactors = [monomial] }
        return Simplifier.orderedProduct([.number(content)] + monomialFactors + [primitive])
    }
}

extension Expr {
    /// The same expression with every product's numerator factors ahead of its denominators, so it prints
    /// as `d/(2*beta + d)` and not `1/(2*beta + d)*d`. Equal (canonically) to `self`; used by reports.
    public var forDisplay: Expr {
        switch self.shape {
        case .number, .symbol, .constant: return self
        case .product(let factors):
            let shown = factors.map(\.forDisplay)
            let isDenominator: (Expr) -> Bool = {
                if case .power(_, let x) = $0.shape, let k = x.numberValue, k.isInteger, k.isNegative { return true }
                return false
            }
            var numerator = shown.filter { !isDenominator($0) }
            var denominator = shown.filter(isDenominator)
            // A fractional coefficient joins the denominator: d/(2*(beta + d)), not (1/2)*d/(beta + d).
            if !denominator.isEmpty, case .number(let c)? = numerator.first?.shape, !c.isInteger {
                numerator[0] = .number(Rational(c.numerator))
                if numerator[0] == .one { numerator.removeFirst() }
                let bases = denominator.map { factor -> Expr in
                    if case .power(let b, let x) = factor.shape, let k = x.numberValue { return k == .minusOne ? b : .power(b, .number(-k)) }
                    return factor
                }
                denominator = [.power(.product([.number(Rational(c.denominator))] + bases), .minusOne)]
            }
            if numerator.isEmpty { numerator = [.one] }
            let all = numerator + denominator
            return all.count == 1 ? all[0] : .product(all)
        default:
            return replacingChildren(children.map(\.forDisplay))
        }
    }

    /// Text for reports: numerator first, fractions readable.
    public var display: String { forDisplay.text }
    /// LaTeX for reports.
    public var displayLaTeX: String { forDisplay.latex }
}
