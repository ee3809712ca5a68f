/// Powers: numeric folding, and the power laws under their side conditions.
extension Simplifier {
    func makePower(_ base: Expr, _ exponent: Expr) -> Expr {
        if exponent == .zero { record("power.zero-exponent"); return .one }
        if exponent == .one { return base }
        if base == .one { record("power.one"); return .one }
        if base == .zero {
            if isPositive(exponent) { record("power.zero-base"); return .zero }
            return .power(base, exponent)
        }
        if case .number(let b) = base.shape, case .number(let x) = exponent.shape, let folded = numericPower(b, x) {
            record("power.numeric")
            return folded
        }
        // b^x = exp(x·log b): when that folds (2^(log(eps)/log(2)) = eps), the power is gone.
        if !foldingPowerViaExp, let b = base.numberValue, b.isPositive, !b.isOne, Simplifier.containsLog(exponent) {
            // The fold must use some other log: exp(x·log b) read back through log b is b^x again (a loop).
            foldingPowerViaExp = true
            defer { foldingPowerViaExp = false }
            let viaExp = makeProduct([exponent, makeLog(base)])
            if let folded = expOfLog(viaExp, avoiding: base) { return folded }
        }
        if options.expand, let b = base.numberValue, b.isPositive, !(exponent.numberValue?.isInteger ?? false),
           let (c, powers) = normalizeNumericPowers([.power(base, exponent)]) {
            return makeProduct([.number(c)] + powers)
        }
        switch base.shape {
        case .constant(.e):
            if let folded = expOfLog(exponent) { return folded }
        case .power(let innerBase, let innerExponent):
            // (x^a)^b = x^(a*b) for x >= 0, or an integer b (also an integer-valued symbol: (x^k)^m with m integer),
            // or where x^a is defined only for x >= 0 (a non-integer number a).
            let oddUnderRoot = (innerExponent.numberValue.map { $0.isInteger && !$0.numerator.isEven } ?? false) && Simplifier.isFractionalNumber(exponent)
            if isNonnegative(innerBase) || (exponent.numberValue?.isInteger ?? false) || Simplifier.isFractionalNumber(innerExponent)
                || assumptions.isIntegerValued(exponent) || oddUnderRoot {
                record("power.of-power")
                return makePower(innerBase, makeProduct([innerExponent, exponent]))
            }
        case .product(let factors):
            if let split = powerOfProduct(factors, exponent) { return split }
        case .sum:
            if options.expand, case .number(let x) = exponent.shape, x.isInteger, x.isPositive, let n = x.asInt, n <= 32,
               let expanded = expandPower(base, n) {
                return expanded
            }
            if let pulled = pullContent(base, exponent) { return pulled }
        default:
            break
        }
        return .power(base, exponent)
    }

    /// p^q for rationals: integer q always (within size limits); p^(a/b) when p > 0 has an exact b-th root.
    private func numericPower(_ b: Rational, _ x: Rational) -> Expr? {
        if x.isInteger {
            guard let n = x.asInt, let v = b.power(n) else { return nil }
            return .number(v)
        }
        guard b.isPositive, let p = x.numerator.asInt, let q = x.denominator.asInt,
              let root = b.exactRoot(q), let v = root.power(p) else { return nil }
        return .number(v)
    }

    public static func containsLogPublic(_ e: Expr) -> Bool { containsLog(e) }

    static func containsLog(_ e: Expr) -> Bool {
        var stack = [e]
        while let node = stack.popLast() {
            if case .log = node.shape { return true }
            stack.append(contentsOf: node.children)
        }
        return false
    }

    /// exp(log x) → x and exp(c*log x) → x^c, for x > 0 and any real c (a number or an expression); a sum in
    /// the exponent splits first when one of its terms folds (exp(a + b) = exp(a)·exp(b) always).
    private func expOfLog(_ exponent: Expr, avoiding avoided: Expr? = nil) -> Expr? {
        if case .log(let x) = exponent.shape, x != avoided, isPositive(x) {
            record("exp.log")
            return x
        }
        if case .product(let fs) = exponent.shape {
            let logs = fs.indices.filter { if case .log(let x) = fs[$0].shape { return isPositive(x) } else { return false } }
            if logs.count == 1, case .log(let x) = fs[logs[0]].shape, x != avoided {
                record("exp.log")
                let c = makeProduct(fs.enumerated().filter { $0.offset != logs[0] }.map(\.element))
                return makePower(x, c)
            }
        }
        if options.expand, case .sum(let terms) = exponent.shape {
            var folded: [Expr] = [], rest: [Expr] = []
            for t in terms {
                if let f = expOfLog(t) { folded.append(f) } else { rest.append(t) }
            }
            if !folded.isEmpty {
                return makeProduct(folded + (rest.isEmpty ? [] : [.power(.e, makeSum(rest))]))
            }
        }
        return nil
    }

    /// (x*y)^a: split fully for integer a; otherwise split off only the factors known to be positive.
    private func powerOfProduct(_ factors: [Expr], _ exponent: Expr) -> Expr? {
        if exponent.numberValue?.isInteger ?? false {
            record("power.of-product")
            return makeProduct(factors.map { makePower($0, exponent) })
        }
        // Tidy mode keeps (L_T*ell*k)^((2*beta + d)/d) whole.
        if !options.expand { return nil }
        var positive: [Expr] = []
        var rest: [Expr] = []
        for f in factors {
            if case .number(let c) = f.shape {
                if c.isNegative { rest.append(.minusOne) }
                if !(c == .one || c == .minusOne) { positive.append(.number(c.isNegative ? -c : c)) }
            } else if isPositive(f) {
                positive.append(f)
            } else {
                rest.append(f)
            }
        }
        if positive.isEmpty { return nil }
        record("power.of-product")
        var result = positive.map { makePower($0, exponent) }
        if !rest.isEmpty {
            // The rest is a base like any other ((y^2)^(1/2), -(e - m) → m - e): simplifying twice changes nothing.
            result.append(makePower(makeProduct(rest), exponent))
        }
        return makeProduct(result)
    }

    /// (c*s)^x → c^x * s^x with s primitive (integer coefficients, gcd 1, leading coefficient positive).
    /// A negative content is only pulled out for integer x.
    private func pullContent(_ sum: Expr, _ exponent: Expr) -> Expr? {
        guard case .sum(let terms) = sum.shape else { return nil }
        // First a common monomial (with negative powers too): (d/beta + 2)^(-1) → beta*(2*beta + d)^(-1).
        if let (monomial, rest) = monomialContent(terms), (exponent.numberValue?.isInteger ?? false) || isPositive(monomial) {
            record("power.sum-content")
            return makeProduct([makePower(monomial, exponent), makePower(rest, exponent)])
        }
        var content = Simplifier.content(of: terms)
        let integerExponent = exponent.numberValue?.isInteger ?? false
        if content.isNegative && !integerExponent { content = -content }
        if content.isOne { return nil }
        guard let inverse = content.reciprocal else { return nil }
        record("power.sum-content")
        let primitive = makeSum(terms.map { Simplifier.scale($0, by: inverse) })
        return makeProduct([makePower(.number(content), exponent), .power(primitive, exponent)])
    }
}

extension Simplifier {
    /// The monomial that divides every term, taking each factor with integer power at its least power
    /// across the terms (so negative powers are cleared); nil when it is 1.
    func monomialContent(_ terms: [Expr]) -> (Expr, Expr)? {
        var least: [Expr: Rational] = [:]
        var order: [Expr] = []
        for (i, t) in terms.enumerated() {
            let (_, rest) = Simplifier.splitCoefficient(t)
            let factors: [Expr]
            if case .product(let fs) = rest.shape { factors = fs } else if rest == .one { factors = [] } else { factors = [rest] }
            var powers: [Expr: Rational] = [:]
            for f in factors {
                let (b, x) = f.baseAndExponent
                guard case .number(let p) = x.shape, p.isInteger else { continue }
                // A number base is only ever 0 here (0^(-1) from a literal 1/0): dividing by it would give 0.
                if case .sum = b.shape { continue }
                if b.isNumber { continue }
                powers[b, default: .zero] = powers[b, default: .zero] + p
            }
            if i == 0 {
                least = powers
                // Each base once: y*y^(3/2) has the base y twice.
                for f in factors {
                    let b = f.baseAndExponent.0
                    if powers[b] != nil && !order.contains(b) { order.append(b) }
                }
            } else {
                for b in order {
                    let mine = powers[b] ?? .zero
                    if let current = least[b], mine < current { least[b] = mine }
                }
                for (b, p) in powers where least[b] == nil && p.isNegative { least[b] = p; order.append(b) }
                for b in order where powers[b] == nil {
                    if let current = least[b], current.isPositive { least[b] = .zero }
                }
            }
        }
        let content = order.compactMap { b -> Expr? in
            guard let p = least[b], !p.isZero else { return nil }
            return .power(b, .number(p))
        }
        if content.isEmpty { return nil }
        let monomial = makeProduct(content)
        let inverse = makePower(monomial, .minusOne)
        let rest = makeSum(terms.map { makeProduct([$0, inverse]) })
        return (monomial, rest)
    }
}
