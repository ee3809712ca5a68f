/// Nonnegativity of polynomials by exact certificates, for the inequalities a referee checks by hand:
///
/// - one variable on an interval (`m^2 - m >= 0` for m >= 1, `w*(1 - w) <= 1/4`, `x - x^2 >= 0` on [0, 1]): the
///   factors of odd multiplicity (Yun's square-free decomposition) have no root inside the interval, counted
///   exactly by Sturm's theorem, and the polynomial is nonnegative at one interior point;
/// - any number of variables in degree 2 (`x^2 + y^2 - 2*x*y >= 0`): the Gram matrix of the quadratic form in
///   (1, x1, ..., xk) is positive semidefinite, shown by exact symmetric elimination (a sum of squares);
/// - a common monomial factor split off first (`M*k - k^2 = k*(M - k)`), with its sign from the oracle.
///
/// "Variables" are the non-numeric factors with nonnegative integer powers (symbols, logs, ...); each ranges over
/// its interval. Every answer is exact: a certificate is found, or nothing is claimed.
extension Assumptions {
    /// `e >= 0` (or `> 0`) holds wherever the assumptions do, by one of the certificates above.
    public func polynomiallyProves(_ e: Expr, strict: Bool) -> Bool {
        guard let p = PolynomialForm(e) else { return false }
        if p.terms.isEmpty { return !strict }
        // A monomial common to every term: p = m·q, with sign(m) known.
        if let (m, q) = p.splitCommonMonomial() {
            var s = Sign.positive
            for (atom, power) in m where power > 0 {
                let a = quickSign(p.atoms[atom])
                let factor: Sign = power % 2 == 0 ? (a.isNonzero ? .positive : .nonnegative) : a
                s = Sign.product(s, factor)
            }
            if s == .positive || (!strict && s == .nonnegative) { return q.provesNonnegative(strict: strict, self) }
            if s == .negative || (!strict && s == .nonpositive) { return q.negated.provesNonnegative(strict: strict, self) }
            return false
        }
        return p.provesNonnegative(strict: strict, self)
    }
}

extension Sign {
    public static func product(_ a: Sign, _ b: Sign) -> Sign {
        switch (a, b) {
        case (.zero, _), (_, .zero): return .zero
        case (.positive, _): return b
        case (_, .positive): return a
        case (.negative, _): return b.negated
        case (_, .negative): return a.negated
        case (.nonnegative, .nonnegative), (.nonpositive, .nonpositive): return .nonnegative
        case (.nonnegative, .nonpositive), (.nonpositive, .nonnegative): return .nonpositive
        default: return .unknown
        }
    }
}

/// A polynomial over atoms with rational coefficients: monomial (exponent per atom) → coefficient.
struct PolynomialForm {
    var atoms: [Expr]
    var terms: [[Int]: Rational]

    /// nil when `e` is not a polynomial in its atoms (a negative or symbolic power, a sum inside a power).
    init?(_ e: Expr) {
        var atoms: [Expr] = []
        var index: [Expr: Int] = [:]
        var raw: [([Int: Int], Rational)] = []
        let summands: [Expr]
        if case .sum(let ts) = e.shape { summands = ts } else { summands = [e] }
        for t in summands {
            var c = Rational.one
            var exponents: [Int: Int] = [:]
            let factors: [Expr]
            if case .product(let fs) = t.shape { factors = fs } else { factors = [t] }
            for f in factors {
                if let r = f.numberValue { c = c * r; continue }
                var base = f, power = 1
                if case .power(let b, let x) = f.shape {
                    guard let r = x.numberValue, r.isInteger, let k = r.asInt, k > 0, k <= 64 else { return nil }
                    base = b; power = k
                }
                if case .sum = base.shape { return nil }
                let i: Int
                if let known = index[base] { i = known } else { i = atoms.count; atoms.append(base); index[base] = i }
                exponents[i, default: 0] += power
            }
            raw.append((exponents, c))
        }
        guard atoms.count <= 8 else { return nil }
        self.atoms = atoms
        var terms: [[Int]: Rational] = [:]
        for (exponents, c) in raw {
            var m = [Int](repeating: 0, count: atoms.count)
            for (i, k) in exponents { m[i] = k }
            terms[m, default: .zero] += c
        }
        self.terms = terms.filter { !$0.value.isZero }
    }

    init(atoms: [Expr], terms: [[Int]: Rational]) {
        self.atoms = atoms
        self.terms = terms.filter { !$0.value.isZero }
    }

    var negated: PolynomialForm { PolynomialForm(atoms: atoms, terms: terms.mapValues { -$0 }) }

    var degree: Int { terms.keys.map { $0.reduce(0, +) }.max() ?? 0 }

    /// (m, q) with p = x^m · q when every term shares a nonconstant monomial x^m.
    func splitCommonMonomial() -> ([Int: Int], PolynomialForm)? {
        guard let first = terms.keys.first else { return nil }
        var common = first
        for m in terms.keys { for i in common.indices { common[i] = Swift.min(common[i], m[i]) } }
        guard common.contains(where: { $0 > 0 }) else { return nil }
        var q: [[Int]: Rational] = [:]
        for (m, c) in terms { q[zip(m, common).map { $0 - $1 }] = c }
        var map: [Int: Int] = [:]
        for (i, k) in common.enumerated() where k > 0 { map[i] = k }
        return (map, PolynomialForm(atoms: atoms, terms: q))
    }

    func provesNonnegative(strict: Bool, _ a: Assumptions) -> Bool {
        if terms.isEmpty { return !strict }
        let used = atoms.indices.filter { i in terms.keys.contains { $0[i] > 0 } }
        if used.isEmpty { return terms.values.first.map { $0.isPositive || (!strict && $0.isZero) } ?? !strict }
        if used.count == 1 {
            let i = used[0]
            var coefficients = [Rational](repeating: .zero, count: (terms.keys.map { $0[i] }.max() ?? 0) + 1)
            for (m, c) in terms { coefficients[m[i]] += c }
            return UnivariatePolynomial(coefficients).isNonnegative(on: a.interval(of: atoms[i]), strict: strict)
        }
        if degree <= 2 && !strict { return quadraticFormIsPositiveSemidefinite(used) }
        return false
    }

    /// The Gram matrix of the quadratic polynomial in (1, x_used...) is positive semidefinite (exact LDLᵀ): the
    /// polynomial is a sum of squares, so >= 0 for all real values.
    func quadraticFormIsPositiveSemidefinite(_ used: [Int]) -> Bool {
        let n = used.count + 1
        var q = [[Rational]](repeating: [Rational](repeating: .zero, count: n), count: n)
        for (m, c) in terms {
            let vars = used.enumerated().flatMap { (position, atom) in [Int](repeating: position + 1, count: m[atom]) }
            switch vars.count {
            case 0: q[0][0] += c
            case 1: q[0][vars[0]] += c * Rational(numerator: 1, denominator: 2)!; q[vars[0]][0] += c * Rational(numerator: 1, denominator: 2)!
            case 2:
                if vars[0] == vars[1] { q[vars[0]][vars[0]] += c }
                else {
                    let half = c * Rational(numerator: 1, denominator: 2)!
                    q[vars[0]][vars[1]] += half; q[vars[1]][vars[0]] += half
                }
            default: return false
            }
        }
        for k in 0..<n {
            let pivot = q[k][k]
            if pivot.isNegative { return false }
            if pivot.isZero {
                if (k + 1..<n).contains(where: { !q[k][$0].isZero }) { return false }
                continue
            }
            for i in (k + 1)..<n {
                guard !q[i][k].isZero, let factor = q[i][k].dividing(by: pivot) else { continue }
                for j in k..<n { q[i][j] = q[i][j] - factor * q[k][j] }
            }
        }
        return true
    }
}

/// A polynomial in one variable with rational coefficients, lowest degree first.
struct UnivariatePolynomial: Equatable {
    var coefficients: [Rational]

    init(_ c: [Rational]) {
        var c = c
        while let last = c.last, last.isZero { c.removeLast() }
        coefficients = c
    }

    var degree: Int { coefficients.count - 1 }
    var isZero: Bool { coefficients.isEmpty }
    var leading: Rational { coefficients.last ?? .zero }

    func value(at x: Rational) -> Rational {
        var result = Rational.zero
        for c in coefficients.reversed() { result = result * x + c }
        return result
    }

    var derivative: UnivariatePolynomial {
        UnivariatePolynomial(coefficients.enumerated().dropFirst().map { Rational($0.offset) * $0.element })
    }

    /// (quotient, remainder) of self by d.
    func divided(by d: UnivariatePolynomial) -> (UnivariatePolynomial, UnivariatePolynomial) {
        guard !d.isZero else { return (UnivariatePolynomial([]), self) }
        var r = coefficients
        var q = [Rational](repeating: .zero, count: Swift.max(0, coefficients.count - d.coefficients.count + 1))
        let dl = d.leading
        while r.count >= d.coefficients.count, let top = r.last {
            let shift = r.count - d.coefficients.count
            guard let f = top.dividing(by: dl) else { break }
            q[shift] = f
            for (i, c) in d.coefficients.enumerated() { r[shift + i] = r[shift + i] - f * c }
            r.removeLast()
            while let last = r.last, last.isZero { r.removeLast() }
        }
        return (UnivariatePolynomial(q), UnivariatePolynomial(r))
    }

    var monic: UnivariatePolynomial {
        guard let l = leading.reciprocal else { return self }
        return UnivariatePolynomial(coefficients.map { $0 * l })
    }

    static func gcd(_ a: UnivariatePolynomial, _ b: UnivariatePolynomial) -> UnivariatePolynomial {
        var x = a, y = b
        var steps = 0
        while !y.isZero && steps < 64 { (x, y) = (y, x.divided(by: y).1); steps += 1 }
        return x.monic
    }

    /// The product of the factors of odd multiplicity (Yun's square-free decomposition): where self changes sign.
    var oddPart: UnivariatePolynomial {
        guard degree >= 1 else { return UnivariatePolynomial([.one]) }
        var result = UnivariatePolynomial([.one])
        var a = UnivariatePolynomial.gcd(self, derivative)
        var b = divided(by: a).0
        var c = derivative.divided(by: a).0
        var d = UnivariatePolynomial(zip(c.padded(to: b.derivative.coefficients.count), b.derivative.padded(to: c.coefficients.count)).map { $0 - $1 })
        var multiplicity = 1
        while b.degree >= 1 && multiplicity < 64 {
            a = UnivariatePolynomial.gcd(b, d)
            if multiplicity % 2 == 1 { result = result.times(a) }
            b = b.divided(by: a).0
            c = d.divided(by: a).0
            d = UnivariatePolynomial(zip(c.padded(to: b.derivative.coefficients.count), b.derivative.padded(to: c.coefficients.count)).map { $0 - $1 })
            multiplicity += 1
        }
        return result
    }

    func padded(to n: Int) -> [Rational] { coefficients + [Rational](repeating: .zero, count: Swift.max(0, n - coefficients.count)) }

    func times(_ other: UnivariatePolynomial) -> UnivariatePolynomial {
        if isZero || other.isZero { return UnivariatePolynomial([]) }
        var r = [Rational](repeating: .zero, count: coefficients.count + other.coefficients.count - 1)
        for (i, a) in coefficients.enumerated() { for (j, b) in other.coefficients.enumerated() { r[i + j] += a * b } }
        return UnivariatePolynomial(r)
    }

    /// The Sturm sequence of a square-free polynomial.
    var sturm: [UnivariatePolynomial] {
        var seq = [self, derivative]
        while let last = seq.last, !last.isZero, seq.count < 80 {
            let r = seq[seq.count - 2].divided(by: last).1
            if r.isZero { break }
            seq.append(UnivariatePolynomial(r.coefficients.map { -$0 }))
        }
        return seq
    }

    /// Sign changes of the sequence at x (nil x: at -∞ when `minusInfinity`, else +∞).
    static func variations(_ seq: [UnivariatePolynomial], at x: Rational?, minusInfinity: Bool) -> Int {
        var signs: [Int] = []
        for p in seq {
            let s: Int
            if let x { s = p.value(at: x).signum }
            else { s = p.leading.signum * ((minusInfinity && p.degree % 2 == 1) ? -1 : 1) }
            if s != 0 { signs.append(s) }
        }
        return zip(signs, signs.dropFirst()).filter { $0 != $1 }.count
    }

    /// Distinct real roots of a square-free polynomial in (lower, upper] (nil ends are infinite).
    func rootCount(above lower: Rational?, upTo upper: Rational?) -> Int {
        let seq = sturm
        return UnivariatePolynomial.variations(seq, at: lower, minusInfinity: true) - UnivariatePolynomial.variations(seq, at: upper, minusInfinity: false)
    }

    /// self >= 0 (or > 0) at every point of the interval.
    func isNonnegative(on interval: Interval, strict: Bool) -> Bool {
        if isZero { return !strict }
        if degree == 0 { return leading.isPositive || (!strict && leading.isZero) }
        if let l = interval.lower, let u = interval.upper, l > u { return true }
        // No sign change inside: the odd-multiplicity part has no root in the open interval.
        let odd = oddPart
        if odd.degree >= 1 {
            var roots = odd.rootCount(above: interval.lower, upTo: interval.upper)
            if let u = interval.upper, odd.value(at: u).isZero { roots -= 1 }
            if roots > 0 { return false }
        }
        // Then the sign is that at any interior point that is not a root.
        guard let probe = interiorPoint(interval) else { return false }
        guard value(at: probe).isPositive else { return false }
        if !strict { return true }
        // Strict: no root at all in the interval (closed ends included).
        let squareFree = divided(by: UnivariatePolynomial.gcd(self, derivative)).0
        var roots = squareFree.rootCount(above: interval.lower, upTo: interval.upper)
        if let u = interval.upper, interval.upperOpen, squareFree.value(at: u).isZero { roots -= 1 }
        if let l = interval.lower, !interval.lowerOpen, squareFree.value(at: l).isZero { roots += 1 }
        return roots == 0
    }

    /// A point inside the interval where self is not zero.
    private func interiorPoint(_ interval: Interval) -> Rational? {
        var candidates: [Rational] = []
        switch (interval.lower, interval.upper) {
        case (let l?, let u?):
            for k in 1...7 { candidates.append(l + (u - l) * Rational(numerator: BigInt(k), denominator: BigInt(8))!) }
        case (let l?, nil): candidates = [1, 2, 3, 5, 7, 11].map { l + Rational($0) }
        case (nil, let u?): candidates = [1, 2, 3, 5, 7, 11].map { u - Rational($0) }
        case (nil, nil): candidates = [0, 1, -1, 2, -2, 3, 5].map { Rational($0) }
        }
        return candidates.first { !value(at: $0).isZero }
    }
}
