/// log, min/max and binom.
extension Simplifier {
    func makeLog(_ x: Expr) -> Expr {
        if x == .one { record("log.one"); return .zero }
        if x.isE { record("log.e"); return .one }
        if case .power(let b, let y) = x.shape, b.isE { record("log.exp"); return y }
        guard options.splitLogs else { return .log(x) }
        switch x.shape {
        case .power(let b, let y) where isPositive(b):
            record("log.power")
            return makeProduct([y, makeLog(b)])
        case .product(let factors):
            var positive: [Expr] = []
            var rest: [Expr] = []
            for f in factors {
                if case .number(let c) = f.shape, c.isNegative {
                    rest.append(.minusOne)
                    if c != .minusOne { positive.append(.number(-c)) }
                } else if isPositive(f) {
                    positive.append(f)
                } else {
                    rest.append(f)
                }
            }
            // Split only when every factor is known positive (log(x*y) needs x, y > 0; a factor whose sign
            // is unknown keeps the whole log intact).
            if positive.isEmpty || !rest.isEmpty { return .log(x) }
            record("log.product")
            var logs = positive.map(makeLog)
            if !rest.isEmpty { logs.append(makeLog(makeProduct(rest))) }
            return makeSum(logs)
        case .number(let r) where r.isPositive:
            return logOfRational(r) ?? .log(x)
        default:
            return .log(x)
        }
    }

    /// log(p/q) as a combination of logs of primes, when p and q factor over primes below 10^4.
    private func logOfRational(_ r: Rational) -> Expr? {
        guard let p = Simplifier.smallFactorization(r.numerator), let q = Simplifier.smallFactorization(r.denominator) else { return nil }
        var exponents: [Int: Int] = [:]
        for (prime, e) in p { exponents[prime, default: 0] += e }
        for (prime, e) in q { exponents[prime, default: 0] -= e }
        let terms = exponents.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        // A single prime to the first power is already canonical.
        if terms.count == 1, terms[0].value == 1 { return nil }
        record("log.rational")
        return makeSum(terms.map { Simplifier.withCoefficient(Rational($0.value), .log(Expr($0.key))) })
    }

    /// Prime factorization by trial division, nil when a factor above 10^4 remains or the number is huge.
    /// Integers beyond Int (10^30, 2^64) are divided down by the small primes first.
    static func smallFactorization(_ n: BigInt) -> [(Int, Int)]? {
        if n.asInt == nil {
            guard !n.isNegativeValue, n.bitWidth <= 4096 else { return nil }
            var m = n
            var result: [(Int, Int)] = []
            var p = 2
            while m.asInt == nil && p < 10_000 {
                var e = 0
                while true {
                    let (q, r) = m.quotientAndRemainder(dividingBy: BigInt(p))
                    guard r.isZero else { break }
                    m = q; e += 1
                }
                if e > 0 { result.append((p, e)) }
                p += p == 2 ? 1 : 2
            }
            guard m.asInt != nil, let rest = smallFactorization(m) else { return nil }
            var merged: [Int: Int] = [:]
            for (q, e) in result + rest { merged[q, default: 0] += e }
            return merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }.filter { $0.0 > 1 }
        }
        guard var m = n.asInt, m >= 1 else { return nil }
        var result: [(Int, Int)] = []
        var p = 2
        while p * p <= m && p < 10_000 {
            var e = 0
            while m % p == 0 { m /= p; e += 1 }
            if e > 0 { result.append((p, e)) }
            p += p == 2 ? 1 : 2
        }
        if m > 1 {
            if m >= 10_000 * 10_000 && p >= 10_000 { return nil }
            result.append((m, 1))
        }
        return result
    }

    func makeMinMax(_ input: [Expr], isMin: Bool) -> Expr {
        var flat: [Expr] = []
        for x in input {
            switch (x.shape, isMin) {
            case (.min(let inner), true), (.max(let inner), false):
                record("minmax.flatten"); flat.append(contentsOf: inner)
            default: flat.append(x)
            }
        }
        var unique: [Expr] = []
        for x in flat where !unique.contains(x) { unique.append(x) }
        // Fold the numbers into one.
        let numbers = unique.compactMap(\.numberValue)
        if numbers.count > 1 {
            record("minmax.numeric")
            let best = numbers.dropFirst().reduce(numbers[0]) { isMin ? Swift.min($0, $1) : Swift.max($0, $1) }
            unique = unique.filter { !$0.isNumber } + [.number(best)]
        }
        // Absorption (lattice laws): min(a, max(a, c)) = a, max(a, min(a, c)) = a.
        if unique.count > 1 {
            let absorbed = unique.filter { x in
                switch (x.shape, isMin) {
                case (.max(let ys), true), (.min(let ys), false): return unique.contains { $0 != x && ys.contains($0) }
                default: return false
                }
            }
            if !absorbed.isEmpty { record("minmax.absorb"); unique.removeAll { absorbed.contains($0) } }
        }
        // Drop an operand another operand is known to beat (for min: candidate - other >= 0).
        // Operands known equal keep the earlier one.
        if unique.count > 1 && unique.count <= 32 {
            func atLeast(_ a: Expr, _ b: Expr) -> Sign {
                var s = sign(makeSum([a, makeProduct([.minusOne, b])]))
                if s == .unknown { s = monotoneDifferenceSign(a, b) }
                return isMin ? s : s.negated
            }
            var kept: [Expr] = []
            for (i, candidate) in unique.enumerated() {
                let beaten = unique.enumerated().contains { j, other in
                    guard i != j else { return false }
                    let s = atLeast(candidate, other)
                    if s == .positive { return true }
                    guard s.isNonnegative else { return false }
                    return j < i || !atLeast(other, candidate).isNonnegative
                }
                if beaten { record("minmax.dominated") } else { kept.append(candidate) }
            }
            if !kept.isEmpty { unique = kept }
        }
        if unique.count == 1 { return unique[0] }
        // Tidy mode keeps the written order (min{N_eff^.., M^..} reads as in the paper).
        if options.expand { unique.sort { Expr.canonicallyPrecedes($0, $1) } }
        return isMin ? .min(unique) : .max(unique)
    }

    func makeBinom(_ n: Expr, _ k: Expr) -> Expr {
        // Symmetry binom(n, k) = binom(n, n - k) (also through the Gamma function): the simpler of k and n - k.
        if options.expand, !n.isNumber || !k.isNumber {
            let other = makeSum([n, makeProduct([.minusOne, k])])
            if Expr.canonicallyPrecedes(other, k) && other.nodeCount <= k.nodeCount {
                record("binom.symmetry")
                return makeBinom(n, other)
            }
        }
        if k == .zero { record("binom.trivial"); return .one }
        if k == .one { record("binom.trivial"); return n }
        if n == k { record("binom.trivial"); return .one }
        if case .number(let a) = n.shape, case .number(let b) = k.shape, a.isInteger, b.isInteger,
           let ni = a.asInt, let ki = b.asInt, ni >= 0, ki >= 0, ki <= ni, ni <= 10_000 {
            let kk = Swift.min(ki, ni - ki)
            var value = BigInt(1)
            for i in 0..<kk {
                value = value * BigInt(ni - i)
                value = value.quotientAndRemainder(dividingBy: BigInt(i + 1)).quotient
            }
            record("binom.numeric")
            return .number(Rational(value))
        }
        return .binom(n, k)
    }
}

extension Simplifier {
    /// The sign of a - b for powers the sign of whose difference the oracle misses: the same exponent over ordered
    /// positive bases (N^(-2*beta/d) vs M^(-2*beta/d) with N <= M), or the same base >= 1 or in (0, 1] with ordered
    /// exponents (1/n vs 1/n^2 for n >= 1). `.unknown` otherwise.
    func monotoneDifferenceSign(_ a: Expr, _ b: Expr) -> Sign {
        let (x, p) = a.baseAndExponent, (y, q) = b.baseAndExponent
        if p == q, isPositive(x), isPositive(y) {
            let bases = sign(makeSum([x, makeProduct([.minusOne, y])]))
            let exponent = sign(p)
            if exponent == .positive { return bases }
            if exponent == .negative { return bases.negated }
            if exponent.isNonnegative && bases.isNonnegative { return .nonnegative }
            return .unknown
        }
        if x == y, isPositive(x) {
            let exponents = sign(makeSum([p, makeProduct([.minusOne, q])]))
            let aboveOne = sign(makeSum([x, .minusOne]))
            // x^p - x^q has the sign of p - q for x >= 1 (weakly: x may be 1), the opposite for x <= 1.
            let weak: (Sign) -> Sign = { s in s.isNonnegative ? .nonnegative : (s.isNonpositive ? .nonpositive : .unknown) }
            if aboveOne == .positive { return exponents }
            if aboveOne.isNonnegative { return weak(exponents) }
            if aboveOne == .negative { return exponents.negated }
            if aboveOne.isNonpositive { return weak(exponents.negated) }
        }
        return .unknown
    }
}
