/// Sums: flatten, collect like terms, and (canonical mode) bring terms with polynomial denominators over one.
extension Simplifier {
    func makeSum(_ input: [Expr]) -> Expr {
        var flat: [Expr] = []
        flat.reserveCapacity(input.count)
        for t in input {
            if case .sum(let inner) = t.shape { record("sum.flatten"); flat.append(contentsOf: inner) } else { flat.append(t) }
        }
        var constant = Rational.zero
        var order: [Expr] = []
        var coefficients: [Expr: Rational] = [:]
        coefficients.reserveCapacity(flat.count)
        for t in flat {
            if case .number(let r) = t.shape { constant = constant + r; continue }
            let (c, rest) = Simplifier.splitCoefficient(t)
            if let existing = coefficients[rest] {
                record("sum.collect")
                coefficients[rest] = existing + c
            } else {
                coefficients[rest] = c
                order.append(rest)
            }
        }
        var terms: [Expr] = []
        terms.reserveCapacity(order.count + 1)
        for rest in order {
            guard let c = coefficients[rest], !c.isZero else { continue }
            terms.append(Simplifier.withCoefficient(c, rest))
        }
        if options.expand, terms.contains(where: { Simplifier.hasPolynomialDenominator($0) }) {
            if !constant.isZero { terms.append(.number(constant)) }
            if let together = together(terms) { return together }
            terms.removeLast(constant.isZero ? 0 : 1)
        }
        terms.sort { Simplifier.termPrecedes($0, $1) }
        if !constant.isZero { terms.append(.number(constant)) }
        switch terms.count {
        case 0: return .zero
        case 1: return terms[0]
        default: return .sum(terms)
        }
    }

    /// Sum terms sort by their non-numeric part, then by coefficient.
    static func termPrecedes(_ a: Expr, _ b: Expr) -> Bool {
        let (ca, ra) = splitCoefficient(a)
        let (cb, rb) = splitCoefficient(b)
        let c = Expr.canonicalOrder(ra, rb)
        if c != 0 { return c < 0 }
        return ca < cb
    }

    /// `3*x*y` → (3, x*y); `x` → (1, x).
    static func splitCoefficient(_ t: Expr) -> (Rational, Expr) {
        if case .product(let fs) = t.shape, case .number(let c) = fs[0].shape {
            return (c, fs.count == 2 ? fs[1] : .product(Array(fs.dropFirst())))
        }
        if case .number(let c) = t.shape { return (c, .one) }
        return (.one, t)
    }

    static func withCoefficient(_ c: Rational, _ rest: Expr) -> Expr {
        if c.isOne { return rest }
        if case .number(let r) = rest.shape { return .number(c * r) }
        if case .product(let fs) = rest.shape { return .product([.number(c)] + fs) }
        return .product([.number(c), rest])
    }

    /// A factor `(polynomial)^(-m)` with m a positive integer.
    static func denominatorFactor(_ f: Expr) -> (Expr, Int)? {
        if case .power(let b, let xe) = f.shape, let x = xe.numberValue, case .sum = b.shape, x.isInteger, x.isNegative, let m = x.asInt {
            return (b, -m)
        }
        return nil
    }

    static func hasPolynomialDenominator(_ t: Expr) -> Bool {
        if denominatorFactor(t) != nil { return true }
        if case .product(let fs) = t.shape { return fs.contains { denominatorFactor($0) != nil } }
        return false
    }

    /// A term as (numerator factors, denominator polynomials with multiplicity).
    static func splitFraction(_ t: Expr) -> ([Expr], [Expr: Int]) {
        let factors: [Expr]
        if case .product(let fs) = t.shape { factors = fs } else { factors = [t] }
        var numerator: [Expr] = []
        var denominator: [Expr: Int] = [:]
        for f in factors {
            if let (b, m) = denominatorFactor(f) { denominator[b, default: 0] += m } else { numerator.append(f) }
        }
        return (numerator, denominator)
    }

    /// `a/b + c/d → (a*d + b*c)/(b*d)` with the numerator expanded and exact factors cancelled.
    /// nil when the expansion would exceed the size limit.
    func together(_ terms: [Expr]) -> Expr? {
        let parts = terms.map(Simplifier.splitFraction)
        var common: [Expr: Int] = [:]
        var commonOrder: [Expr] = []
        for (_, den) in parts {
            for (b, m) in den {
                if let existing = common[b] { common[b] = max(existing, m) } else { common[b] = m; commonOrder.append(b) }
            }
        }
        var numeratorTerms: [Expr] = []
        for (num, den) in parts {
            var factors = num
            for b in commonOrder {
                let missing = (common[b] ?? 0) - (den[b] ?? 0)
                if missing > 0 { factors.append(missing == 1 ? b : .power(b, Expr(missing))) }
            }
            guard let expanded = expandProduct(factors) else { return nil }
            numeratorTerms.append(expanded)
        }
        record("sum.together")
        let numerator = makeSum(numeratorTerms)
        return normalizeFraction(numerator, commonOrder.map { ($0, common[$0] ?? 0) })
    }

    /// numerator / ∏ base^m, cancelling every base that divides the numerator exactly.
    func normalizeFraction(_ numerator: Expr, _ denominators: [(Expr, Int)]) -> Expr {
        if numerator == .zero { return .zero }
        var n = numerator
        // Clear a common monomial (including negative powers) so the division sees a true polynomial.
        var monomial: Expr = .one
        if case .sum(let terms) = n.shape, let (m, rest) = monomialContent(terms) {
            monomial = m
            n = rest
        }
        var remaining: [(Expr, Int)] = []
        for (base, multiplicity) in denominators {
            var m = multiplicity
            while m > 0, let q = Polynomial.exactQuotient(n, base, simplifier: self) {
                record("fraction.cancel")
                n = q
                m -= 1
            }
            if m > 0 { remaining.append((base, m)) }
        }
        let denominatorFactors = remaining.map { Expr.power($0.0, Expr($0.1 == 0 ? 0 : -$0.1)) }
        if remaining.isEmpty { return makeProduct([monomial, n]) }
        guard case .sum(let terms) = n.shape else {
            return makeProduct([monomial, n] + denominatorFactors)
        }
        // Keep the numerator polynomial as one factor: content out front, leading coefficient positive.
        let content = Simplifier.content(of: terms)
        var factors: [Expr] = monomial == .one ? [] : (monomial.isProduct ? monomial.children : [monomial])
        var primitive = n
        if !content.isOne, let inverse = content.reciprocal {
            primitive = .sum(terms.map { Simplifier.scale($0, by: inverse) })
            factors.append(.number(content))
        }
        factors.append(primitive)
        factors.append(contentsOf: denominatorFactors)
        return Simplifier.orderedProduct(factors)
    }

    /// The rational content of a sum's coefficients, signed so that the leading term's coefficient is positive.
    static func content(of terms: [Expr]) -> Rational {
        var numeratorGCD = BigInt(0)
        var denominatorLCM = BigInt(1)
        for t in terms {
            let (c, _) = splitCoefficient(t)
            numeratorGCD = BigInt.gcd(numeratorGCD, c.numerator)
            let g = BigInt.gcd(denominatorLCM, c.denominator)
            denominatorLCM = denominatorLCM * c.denominator.quotientAndRemainder(dividingBy: g.isZero ? BigInt(1) : g).quotient
        }
        guard var content = Rational(numerator: numeratorGCD, denominator: denominatorLCM), !content.isZero else { return .one }
        if let first = terms.first, splitCoefficient(first).0.isNegative { content = -content }
        return content
    }

    static func scale(_ t: Expr, by c: Rational) -> Expr {
        let (coefficient, rest) = splitCoefficient(t)
        return withCoefficient(coefficient * c, rest)
    }
}

extension Simplifier {
    /// A product built from already-canonical factors: coefficient first, the rest in canonical order.
    /// Used where re-running `makeProduct` would multiply a kept polynomial factor back out.
    static func orderedProduct(_ factors: [Expr]) -> Expr {
        var coefficient = Rational.one
        var rest: [Expr] = []
        for f in factors {
            if case .number(let r) = f.shape, let folded = coefficient.multipliedWithinLimit(r) { coefficient = folded } else { rest.append(f) }
        }
        rest.sort { Expr.canonicallyPrecedes($0, $1) }
        if !coefficient.isOne { rest.insert(.number(coefficient), at: 0) }
        return rest.count == 1 ? rest[0] : .product(rest)
    }
}

extension Expr {
    var isProduct: Bool { if case .product = self.shape { return true } else { return false } }
}

extension Simplifier {
    /// `splitCoefficient` for callers outside the simplifier: a term as (number, the rest).
    public static func splitCoefficientPublic(_ t: Expr) -> (Rational, Expr) { splitCoefficient(t) }
}
