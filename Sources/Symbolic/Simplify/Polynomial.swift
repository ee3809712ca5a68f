/// Multivariate polynomials over the rationals, just enough to cancel a denominator factor that divides a
/// numerator exactly (`(x^2 - 1)/(x - 1) → x + 1`, `(4*beta + 2*d)/(2*beta + d) → 2`).
///
/// "Variables" are whatever non-sum, non-number factors occur (symbols, logs, `n^a` with symbolic `a`...);
/// only nonnegative integer exponents take part. Anything else makes the division give up (nil), which only
/// loses a cancellation, never soundness.
struct Polynomial {
    typealias Monomial = [Int]
    var terms: [Monomial: Rational]

    /// `numerator / divisor` when the division is exact, simplified; nil otherwise.
    static func exactQuotient(_ numerator: Expr, _ divisor: Expr, simplifier: Simplifier) -> Expr? {
        var atoms: [Expr] = []
        var index: [Expr: Int] = [:]
        guard let rawN = decompose(numerator, &atoms, &index), let rawD = decompose(divisor, &atoms, &index) else { return nil }
        // Order the variables canonically so the result does not depend on the order terms were met.
        let order = atoms.indices.sorted { Expr.canonicallyPrecedes(atoms[$0], atoms[$1]) }
        let sortedAtoms = order.map { atoms[$0] }
        func reindex(_ raw: [([Int: Int], Rational)]) -> Polynomial {
            var p = Polynomial(terms: [:])
            for (exponents, c) in raw {
                var m = Monomial(repeating: 0, count: sortedAtoms.count)
                for (position, atomIndex) in order.enumerated() { m[position] = exponents[atomIndex] ?? 0 }
                p.terms[m, default: .zero] = p.terms[m, default: .zero] + c
            }
            p.terms = p.terms.filter { !$0.value.isZero }
            return p
        }
        let n = reindex(rawN), d = reindex(rawD)
        guard let q = n.dividedExactly(by: d) else { return nil }
        let termExpressions = q.terms.map { (m, c) -> Expr in
            var factors: [Expr] = [.number(c)]
            for (i, e) in m.enumerated() where e > 0 { factors.append(e == 1 ? sortedAtoms[i] : simplifier.makePower(sortedAtoms[i], Expr(e))) }
            return simplifier.makeProduct(factors)
        }
        return simplifier.makeSum(termExpressions)
    }

    /// Terms as (atom index → exponent, coefficient); nil when a negative or non-integer exponent occurs.
    private static func decompose(_ e: Expr, _ atoms: inout [Expr], _ index: inout [Expr: Int]) -> [([Int: Int], Rational)]? {
        let terms: [Expr]
        if case .sum(let ts) = e.shape { terms = ts } else { terms = [e] }
        var result: [([Int: Int], Rational)] = []
        for t in terms {
            let (c, rest) = Simplifier.splitCoefficient(t)
            var exponents: [Int: Int] = [:]
            let factors: [Expr]
            if case .product(let fs) = rest.shape { factors = fs } else if rest == .one { factors = [] } else { factors = [rest] }
            for f in factors {
                var base = f, power = 1
                if case .power(let b, let xe) = f.shape, let x = xe.numberValue, x.isInteger, let k = x.asInt {
                    guard k > 0 else { return nil }
                    base = b; power = k
                }
                if case .sum = base.shape { return nil }
                let i: Int
                if let existing = index[base] { i = existing } else { i = atoms.count; atoms.append(base); index[base] = i }
                exponents[i, default: 0] += power
            }
            result.append((exponents, c))
        }
        return result
    }

    private static func lexGreater(_ a: Monomial, _ b: Monomial) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x > y }
        return false
    }

    private var leading: (Monomial, Rational)? {
        var best: (Monomial, Rational)? = nil
        for (m, c) in terms {
            if let current = best { if Polynomial.lexGreater(m, current.0) { best = (m, c) } } else { best = (m, c) }
        }
        return best
    }

    /// Division by lex-leading terms; exact iff the remainder vanishes, since lt(q*d) = lt(q)*lt(d).
    func dividedExactly(by divisor: Polynomial) -> Polynomial? {
        guard let (dm, dc) = divisor.leading else { return nil }
        var remainder = self
        var quotient = Polynomial(terms: [:])
        var steps = 0
        while let (rm, rc) = remainder.leading {
            steps += 1
            if steps > 10_000 { return nil }
            var shift = Monomial(repeating: 0, count: rm.count)
            for i in rm.indices {
                let e = rm[i] - dm[i]
                if e < 0 { return nil }
                shift[i] = e
            }
            guard let c = rc.dividing(by: dc) else { return nil }
            quotient.terms[shift, default: .zero] = quotient.terms[shift, default: .zero] + c
            for (m, v) in divisor.terms {
                var product = m
                for i in product.indices { product[i] += shift[i] }
                let updated = remainder.terms[product, default: .zero] - c * v
                if updated.isZero { remainder.terms[product] = nil } else { remainder.terms[product] = updated }
            }
        }
        quotient.terms = quotient.terms.filter { !$0.value.isZero }
        return quotient
    }
}
