/// Products: flatten, fold numbers, collect powers of the same base where licensed, and (canonical mode)
/// distribute over sums or form a reduced fraction.
extension Simplifier {
    func makeProduct(_ input: [Expr]) -> Expr {
        // A factor with no value at all (1/0, log(0)) makes the product undefined: a zero does not absorb it.
        func zero() -> Expr {
            let undefined = input.filter(\.containsLiteralUndefined)
            return undefined.isEmpty ? .zero : Expr.multiply([.zero] + undefined.sorted(by: Expr.canonicallyPrecedes))
        }
        var factors = input
        // Collecting can create new products ((x*y)^a * (x*y)^b → (x*y)^(a+b) → x^.. y^..), so repeat briefly.
        for _ in 0..<4 {
            guard let (next, changed) = collectFactors(factors) else { return zero() }
            factors = next
            if !changed { break }
        }
        var coefficient = Rational.one
        var rest: [Expr] = []
        for f in factors {
            // A literal too large to fold within Rational.maxBits stays a separate factor.
            if case .number(let r) = f.shape, let folded = coefficient.multipliedWithinLimit(r) { coefficient = folded } else { rest.append(f) }
        }
        if coefficient.isZero { return zero() }
        if options.expand, let (c, powers) = normalizeNumericPowers(rest) {
            coefficient = coefficient * c
            rest = powers
        }
        // Expansion recurses (each new product may contain a sum again): it shares the depth guard of `simplify`.
        if options.expand, depth <= Simplifier.maximumDepth, rest.contains(where: { if case .sum = $0.shape { return true } else { return false } }) {
            let denominators = rest.compactMap(Simplifier.denominatorFactor)
            let numerator = [Expr.number(coefficient)] + rest.filter { Simplifier.denominatorFactor($0) == nil }
            if let expanded = expandProduct(numerator) {
                if denominators.isEmpty { return expanded }
                return normalizeFraction(expanded, denominators)
            }
        }
        rest.sort { Expr.canonicallyPrecedes($0, $1) }
        if !coefficient.isOne { rest.insert(.number(coefficient), at: 0) }
        switch rest.count {
        case 0: return .number(coefficient)
        case 1: return rest[0]
        default: return .product(rest)
        }
    }

    /// One pass of flattening and power collection. nil means the product is zero.
    private func collectFactors(_ input: [Expr]) -> ([Expr], Bool)? {
        var changed = false
        var coefficient = Rational.one
        // The bases in order of first appearance, each with its first exponent and any further ones. Most products
        // have a few factors with distinct bases: a linear search and no per-base array beat a hash table there;
        // the table is built only for wide products.
        var bases: [Expr] = []
        var firstExponents: [Expr] = []
        var moreExponents: [[Expr]] = []
        var index: [Expr: Int]? = nil
        // Plain loops over an explicit stack (factors in order): a recursive local function capturing these
        // accumulators would box them and check every access for exclusivity at run time.
        var pending = input.reversed() as [Expr]
        while let f = pending.popLast() {
            switch f.shape {
            case .product(let inner):
                record("product.flatten"); changed = true
                pending.append(contentsOf: inner.reversed())
            case .number(let r) where coefficient.multipliedWithinLimit(r) != nil:
                coefficient = coefficient * r
            default:
                let (b, x) = f.baseAndExponent
                if let i = index.map({ $0[b] }) ?? bases.firstIndex(of: b) {
                    moreExponents[i].append(x)
                } else {
                    bases.append(b); firstExponents.append(x); moreExponents.append([])
                    if index != nil {
                        index![b] = bases.count - 1
                    } else if bases.count > 16 {
                        index = Dictionary(uniqueKeysWithValues: zip(bases, bases.indices))
                    }
                }
            }
        }
        if coefficient.isZero { return nil }
        var output: [Expr] = [.number(coefficient)]
        output.reserveCapacity(bases.count + 1)
        for (i, b) in bases.enumerated() {
            if moreExponents[i].isEmpty {
                let x = firstExponents[i]
                output.append(x == .one ? b : .power(b, x))
                continue
            }
            let xs = [firstExponents[i]] + moreExponents[i]
            let allIntegers = xs.allSatisfy { $0.numberValue?.isInteger ?? false }
            if allIntegers || isNonnegative(b) {
                record("product.collect"); changed = true
                output.append(makePower(b, makeSum(xs)))
            } else {
                // Integer exponents may still be combined with each other; the rest stay apart.
                let integers = xs.filter { $0.numberValue?.isInteger ?? false }
                let others = xs.filter { !($0.numberValue?.isInteger ?? false) }
                if integers.count > 1 { record("product.collect"); changed = true }
                if !integers.isEmpty { output.append(makePower(b, makeSum(integers))) }
                for x in others { output.append(.power(b, x)) }
            }
        }
        return (output, changed)
    }

    /// Multiply out the factors (distributing over every sum); nil when the result would be too large.
    func expandProduct(_ factors: [Expr]) -> Expr? {
        depth += 1
        defer { depth -= 1 }
        if depth > deepest { deepest = depth }
        var termsSoFar: [Expr] = [.one]
        var scalars: [Expr] = []
        for f in factors {
            let fTerms: [Expr]
            if case .sum(let ts) = f.shape { fTerms = ts } else if case .power(let sb, let ne) = f.shape, case .sum(let ts) = sb.shape, let n = ne.numberValue, n.isInteger, n.isPositive, let k = n.asInt, k <= 32 {
                guard let expanded = expandPower(.sum(ts), k), case .sum(let es) = expanded.shape else { scalars.append(f); continue }
                fTerms = es
            } else { scalars.append(f); continue }
            if termsSoFar.count * fTerms.count > options.maximumExpansionTerms { return nil }
            record("product.distribute")
            var next: [Expr] = []
            next.reserveCapacity(termsSoFar.count * fTerms.count)
            for a in termsSoFar { for b in fTerms { next.append(makeProduct([a, b])) } }
            termsSoFar = [makeSum(next)]
            if case .sum(let ts) = termsSoFar[0].shape { termsSoFar = ts }
        }
        let scalar = scalars.isEmpty ? nil : makeProductWithoutExpansion(scalars)
        let terms = scalar.map { s in termsSoFar.map { makeProduct([s, $0]) } } ?? termsSoFar
        return makeSum(terms)
    }

    private func makeProductWithoutExpansion(_ factors: [Expr]) -> Expr {
        makeProduct(factors)
    }

    /// (a + b + ...)^n by repeated multiplication; nil when too large.
    func expandPower(_ sum: Expr, _ n: Int) -> Expr? {
        guard case .sum(let ts) = sum.shape else { return nil }
        var acc: [Expr] = ts
        for _ in 1..<max(n, 1) {
            if acc.count * ts.count > options.maximumExpansionTerms { return nil }
            var next: [Expr] = []
            next.reserveCapacity(acc.count * ts.count)
            for a in acc { for b in ts { next.append(makeProduct([a, b])) } }
            let s = makeSum(next)
            if case .sum(let xs) = s.shape { acc = xs } else { acc = [s] }
        }
        record("power.expand")
        return acc.count == 1 ? acc[0] : .sum(acc)
    }
}

extension Simplifier {
    /// Powers of positive numbers in one canonical form (canonical mode): every base split into primes, the
    /// exponents added per prime, the integer part of a rational exponent folded into the coefficient, and the
    /// primes grouped again by exponent. So `1/(3*sqrt(2))` and `sqrt(2)/6` are both `2^(1/2)/6`, `sqrt(12)` is
    /// `2*3^(1/2)`, `2^x*3^x` is `6^x` and `(C/6)^a*6^a` is `C^a` (p^x = ∏ prime^(e·x) for p > 0 and real x).
    /// Returns the coefficient and the new factor list, or nil when there is nothing to do.
    func normalizeNumericPowers(_ factors: [Expr]) -> (Rational, [Expr])? {
        var primeExponents: [Int: [Expr]] = [:]
        var others: [Expr] = []
        var numericPowers = 0
        for f in factors {
            guard case .power(let b, let x) = f.shape, let base = b.numberValue, base.isPositive, !base.isOne,
                  !(x.numberValue?.isInteger ?? false),
                  let up = Simplifier.smallFactorization(base.numerator), let down = Simplifier.smallFactorization(base.denominator) else {
                others.append(f); continue
            }
            numericPowers += 1
            for (p, e) in up { primeExponents[p, default: []].append(makeProduct([Expr(e), x])) }
            for (p, e) in down { primeExponents[p, default: []].append(makeProduct([Expr(-e), x])) }
        }
        guard numericPowers > 0 else { return nil }
        var coefficient = Rational.one
        var groups: [Expr: Rational] = [:]
        var order: [Expr] = []
        for p in primeExponents.keys.sorted() {
            var x = makeSum(primeExponents[p]!)
            // An integer part of the exponent's constant term folds too: 2^(-K - 1) = 2^(-K)/2.
            if case .sum(let terms) = x.shape, let r = terms.compactMap(\.numberValue).first, !r.isZero {
                let k = Rational(r.floor)
                if !k.isZero, let n = k.asInt, let folded = Rational(p).power(n) {
                    coefficient = coefficient * folded
                    x = makeSum(terms + [.number(-k)])
                }
            }
            if let r = x.numberValue {
                // p^(k + f) = p^k · p^f with k = floor, 0 <= f < 1.
                let k = Rational(r.floor)
                guard let n = k.asInt, let folded = Rational(p).power(n) else { others.append(.power(Expr(p), x)); continue }
                coefficient = coefficient * folded
                x = .number(r - k)
                if r - k == .zero { continue }
            }
            if groups[x] == nil { order.append(x); groups[x] = .one }
            groups[x] = groups[x]! * Rational(p)
        }
        if numericPowers == 1 && order.count == 1 && coefficient.isOne && others.count == factors.count - 1,
           let only = factors.first(where: { if case .power(let b, _) = $0.shape { return b.isNumber } else { return false } }),
           case .power(let b, let x) = only.shape, b.numberValue == groups[order[0]], x == order[0] {
            return nil
        }
        record("power.numeric-normal")
        let powers = order.map { Expr.power(.number(groups[$0]!), $0) }
        return (coefficient, others + powers)
    }
}
