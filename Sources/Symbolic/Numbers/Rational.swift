// Rational.swift — exact rational numbers for the Symbolic module.
//
// Representation: always reduced, denominator > 0. A value whose numerator is
// in `-Int.max...Int.max` and whose denominator is in `1...Int.max` is always
// stored as `.small` (note: numerator `Int.min` is excluded, so negation and
// `magnitude` never overflow on the fast path); every other value is `.big`.
// Storage is canonical, so synthesized `Hashable`/`Equatable` are correct.
//
// Nothing here traps on any input: word arithmetic uses the overflow-reporting
// operations and falls back to BigInt.

import Foundation

public struct Rational: Sendable {
    @usableFromInline
    enum Storage: Hashable, Sendable {
        /// Reduced; numerator != Int.min; 1 <= denominator.
        case small(Int, Int)
        /// Reduced; denominator > 0; not representable as `.small`.
        case big(BigInt, BigInt)
    }

    @usableFromInline
    var storage: Storage

    @inlinable
    init(storage: Storage) {
        self.storage = storage
    }

    /// Largest allowed bit width of a numerator or denominator produced by
    /// `power` and `init?(literal:)`; larger results are refused (nil).
    /// Plain `+`, `-`, `*` are not limited.
    public static let maxBits: Int = 1 << 16

    public static let zero = Rational(storage: .small(0, 1))
    public static let one = Rational(storage: .small(1, 1))
    public static let minusOne = Rational(storage: .small(-1, 1))

    @inlinable
    public init(_ value: Int) {
        if value == Int.min {
            storage = .big(BigInt(value), BigInt(1))
        } else {
            storage = .small(value, 1)
        }
    }

    public init(_ value: BigInt) {
        self.init(reducedNumerator: value, denominator: BigInt(1))
    }

    /// num/den reduced to lowest terms; nil if `denominator` is zero.
    public init?(numerator: BigInt, denominator: BigInt) {
        if denominator.isZero { return nil }
        if case .small(let n) = numerator.storage, case .small(let d) = denominator.storage,
           n != Int.min, d != Int.min {
            // Both magnitudes fit in Int.
            var nm = n.magnitude
            var dm = d.magnitude
            let g = UInt(BigInt.wordGCD(UInt64(nm), UInt64(dm)))
            nm /= g
            dm /= g
            let negative = (n < 0) != (d < 0)
            let nn = Int(nm)
            self.init(storage: .small(negative ? -nn : nn, Int(dm)))
            return
        }
        if numerator.isZero {
            self = .zero
            return
        }
        let g = BigInt.gcd(numerator, denominator)
        var n = numerator.quotientAndRemainder(dividingBy: g).quotient
        var d = denominator.quotientAndRemainder(dividingBy: g).quotient
        if d.isNegativeValue {
            n = -n
            d = -d
        }
        self.init(reducedNumerator: n, denominator: d)
    }

    /// Canonicalizing constructor from an already reduced pair, den > 0.
    @usableFromInline
    init(reducedNumerator n: BigInt, denominator d: BigInt) {
        if case .small(let nv) = n.storage, case .small(let dv) = d.storage, nv != Int.min {
            storage = .small(nv, dv)
        } else {
            storage = .big(n, d)
        }
    }

    /// Canonicalizing constructor from a reduced word pair, den > 0.
    @inlinable
    init(reducedWords n: Int, _ d: Int) {
        if n == Int.min {
            storage = .big(BigInt(n), BigInt(d))
        } else {
            storage = .small(n, d)
        }
    }

    // MARK: Parts and predicates

    /// Reduced numerator; carries the sign.
    public var numerator: BigInt {
        switch storage {
        case .small(let n, _): return BigInt(n)
        case .big(let n, _): return n
        }
    }

    /// Reduced denominator; always > 0.
    public var denominator: BigInt {
        switch storage {
        case .small(_, let d): return BigInt(d)
        case .big(_, let d): return d
        }
    }

    @inlinable
    public var isZero: Bool {
        if case .small(let n, _) = storage { return n == 0 }
        return false
    }

    @inlinable
    public var isOne: Bool {
        if case .small(let n, let d) = storage { return n == 1 && d == 1 }
        return false
    }

    @inlinable
    public var isInteger: Bool {
        switch storage {
        case .small(_, let d): return d == 1
        case .big(_, let d): return d == BigInt(1)
        }
    }

    @inlinable
    public var signum: Int {
        switch storage {
        case .small(let n, _): return n.signum()
        case .big(let n, _): return n.signum
        }
    }

    @inlinable
    public var isNegative: Bool { signum < 0 }

    @inlinable
    public var isPositive: Bool { signum > 0 }

    /// The value as an Int when it is an integer that fits.
    public var asInt: Int? {
        switch storage {
        case .small(let n, let d): return d == 1 ? n : nil
        case .big(let n, let d): return d == BigInt(1) ? n.asInt : nil
        }
    }

    /// Largest integer <= self.
    public var floor: BigInt {
        switch storage {
        case .small(let n, let d):
            // n != Int.min, so n / d and q - 1 cannot overflow.
            let q = n / d
            return BigInt(n % d < 0 ? q - 1 : q)
        case .big(let n, let d):
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            return r.isNegativeValue ? q - BigInt(1) : q
        }
    }

    // MARK: Arithmetic

    @inlinable
    public static prefix func - (x: Rational) -> Rational {
        switch x.storage {
        case .small(let n, let d):
            return Rational(storage: .small(-n, d))  // n != Int.min
        case .big(let n, let d):
            return Rational(reducedNumerator: -n, denominator: d)
        }
    }

    @inlinable
    public static func + (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if ad == 1 && bd == 1 {
                let (s, o) = an.addingReportingOverflow(bn)
                if !o { return Rational(reducedWords: s, 1) }
            } else if let r = addSmall(an, ad, bn, bd) {
                return r
            }
        }
        return addBig(a.numerator, a.denominator, b.numerator, b.denominator)
    }

    @inlinable
    public static func - (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            // -bn cannot overflow: bn != Int.min.
            if ad == 1 && bd == 1 {
                let (s, o) = an.subtractingReportingOverflow(bn)
                if !o { return Rational(reducedWords: s, 1) }
            } else if let r = addSmall(an, ad, -bn, bd) {
                return r
            }
        }
        return addBig(a.numerator, a.denominator, -b.numerator, b.denominator)
    }

    @inlinable
    public static func * (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if let r = multiplySmall(an, ad, bn, bd) { return r }
        }
        return multiplyBig(a.numerator, a.denominator, b.numerator, b.denominator)
    }

    @inlinable
    public static func += (a: inout Rational, b: Rational) { a = a + b }
    @inlinable
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    @inlinable
    public static func *= (a: inout Rational, b: Rational) { a = a * b }

    /// a/b + c/d on words (inputs reduced, |a|,|c| <= Int.max, 1 <= b,d);
    /// nil on overflow.
    @usableFromInline
    static func addSmall(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Rational? {
        if a == 0 { return Rational(reducedWords: c, d) }
        if c == 0 { return Rational(reducedWords: a, b) }
        let g = Int(BigInt.wordGCD(UInt64(b), UInt64(d)))
        if g == 1 {
            // gcd(ad + cb, bd) == 1 when gcd(b, d) == 1.
            let (ad, o1) = a.multipliedReportingOverflow(by: d)
            let (cb, o2) = c.multipliedReportingOverflow(by: b)
            let (t, o3) = ad.addingReportingOverflow(cb)
            let (bd, o4) = b.multipliedReportingOverflow(by: d)
            if o1 || o2 || o3 || o4 { return nil }
            return Rational(reducedWords: t, bd)
        }
        // Knuth 4.5.1: t = a(d/g) + c(b/g); g2 = gcd(t, g); result t/g2 / ((b/g)(d/g2)).
        let bg = b / g
        let dg = d / g
        let (x, o1) = a.multipliedReportingOverflow(by: dg)
        let (y, o2) = c.multipliedReportingOverflow(by: bg)
        let (t, o3) = x.addingReportingOverflow(y)
        if o1 || o2 || o3 { return nil }
        if t == 0 { return .zero }
        let g2 = BigInt.wordGCD(UInt64(t.magnitude), UInt64(g))  // <= g, fits Int
        let tg = t / Int(g2)  // t == Int.min only if g2 == 1; then t / 1 is fine
        let (den, o4) = bg.multipliedReportingOverflow(by: d / Int(g2))
        if o4 { return nil }
        return Rational(reducedWords: tg, den)
    }

    @usableFromInline
    static func addBig(_ a: BigInt, _ b: BigInt, _ c: BigInt, _ d: BigInt) -> Rational {
        if a.isZero { return Rational(reducedNumerator: c, denominator: d) }
        if c.isZero { return Rational(reducedNumerator: a, denominator: b) }
        let g = BigInt.gcd(b, d)
        if g == BigInt(1) {
            return Rational(reducedNumerator: a * d + c * b, denominator: b * d)
        }
        let bg = b.quotientAndRemainder(dividingBy: g).quotient
        let dg = d.quotientAndRemainder(dividingBy: g).quotient
        let t = a * dg + c * bg
        if t.isZero { return .zero }
        let g2 = BigInt.gcd(t, g)
        if g2 == BigInt(1) {
            return Rational(reducedNumerator: t, denominator: bg * d)
        }
        return Rational(reducedNumerator: t.quotientAndRemainder(dividingBy: g2).quotient,
                        denominator: bg * d.quotientAndRemainder(dividingBy: g2).quotient)
    }

    @usableFromInline
    static func multiplySmall(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Rational? {
        if a == 0 || c == 0 { return .zero }
        let g1 = Int(BigInt.wordGCD(UInt64(a.magnitude), UInt64(d)))
        let g2 = Int(BigInt.wordGCD(UInt64(c.magnitude), UInt64(b)))
        let (n, o1) = (a / g1).multipliedReportingOverflow(by: c / g2)
        let (m, o2) = (b / g2).multipliedReportingOverflow(by: d / g1)
        if o1 || o2 { return nil }
        return Rational(reducedWords: n, m)
    }

    @usableFromInline
    static func multiplyBig(_ a: BigInt, _ b: BigInt, _ c: BigInt, _ d: BigInt) -> Rational {
        if a.isZero || c.isZero { return .zero }
        let g1 = BigInt.gcd(a, d)
        let g2 = BigInt.gcd(c, b)
        let one = BigInt(1)
        let a1 = g1 == one ? a : a.quotientAndRemainder(dividingBy: g1).quotient
        let d1 = g1 == one ? d : d.quotientAndRemainder(dividingBy: g1).quotient
        let c1 = g2 == one ? c : c.quotientAndRemainder(dividingBy: g2).quotient
        let b1 = g2 == one ? b : b.quotientAndRemainder(dividingBy: g2).quotient
        return Rational(reducedNumerator: a1 * c1, denominator: b1 * d1)
    }

    /// self / other; nil when `other` is zero.
    public func dividing(by other: Rational) -> Rational? {
        guard let r = other.reciprocal else { return nil }
        return self * r
    }

    /// 1 / self; nil for zero.
    public var reciprocal: Rational? {
        switch storage {
        case .small(let n, let d):
            if n == 0 { return nil }
            // |n| <= Int.max and d <= Int.max: both negations are safe.
            return n < 0 ? Rational(storage: .small(-d, -n)) : Rational(storage: .small(d, n))
        case .big(let n, let d):
            return n.isNegativeValue
                ? Rational(reducedNumerator: -d, denominator: -n)
                : Rational(reducedNumerator: d, denominator: n)
        }
    }

    /// self^exponent. `0^0 == 1`. nil for `0^negative`, and nil when the
    /// numerator or denominator of the result would exceed `maxBits` bits
    /// (checked before the work is done, so huge exponents are cheap).
    public func power(_ exponent: Int) -> Rational? {
        if exponent == 0 { return .one }
        if exponent == 1 { return self }
        if isZero { return exponent < 0 ? nil : .zero }
        if case .small(let n, 1) = storage, n == 1 || n == -1 {
            return (n == -1 && exponent & 1 == 1) ? .minusOne : .one
        }
        // |self| != 1 and != 0 from here, so |exponent| = 2^63 is far too large.
        if exponent == Int.min { return nil }
        var n = numerator
        var d = denominator
        var e = exponent
        if e < 0 {
            e = -e
            swap(&n, &d)
            if d.isNegativeValue {
                n = -n
                d = -d
            }
        }
        // bitWidth(x^e) >= e * (bitWidth(x) - 1) + 1 for x != 0.
        for x in [n, d] {
            let w = x.bitWidth
            if w <= 1 { continue }
            let (p, o) = (w - 1).multipliedReportingOverflow(by: e)
            if o || p >= Rational.maxBits { return nil }
        }
        let pn = n.power(e)
        let pd = d.power(e)
        if pn.bitWidth > Rational.maxBits || pd.bitWidth > Rational.maxBits { return nil }
        return Rational(reducedNumerator: pn, denominator: pd)
    }

    /// The exact rational n-th root (n >= 1), or nil when it is not rational,
    /// when n < 1, or when self < 0 and n is even. For self < 0 and odd n the
    /// negative real root is returned.
    public func exactRoot(_ n: Int) -> Rational? {
        if n < 1 { return nil }
        if n == 1 || isZero || isOne { return self }
        if isNegative {
            if n & 1 == 0 { return nil }
            guard let r = (-self).exactRoot(n) else { return nil }
            return -r
        }
        let (rn, en) = numerator.integerRoot(n)
        guard en else { return nil }
        let (rd, ed) = denominator.integerRoot(n)
        guard ed else { return nil }
        return Rational(reducedNumerator: rn, denominator: rd)
    }

    // MARK: Conversions

    /// Nearest Double, correctly rounded (ties to even), including the
    /// subnormal range; ±infinity when too large, ±0 when too small.
    public var doubleValue: Double {
        switch storage {
        case .small(let n, let d):
            let limit = 1 << 53
            if n.magnitude <= UInt(limit) && d <= limit {
                return Double(n) / Double(d)  // exact operands, one rounding
            }
            return Rational.quotientToDouble(BigInt(n), BigInt(d))
        case .big(let n, let d):
            return Rational.quotientToDouble(n, d)
        }
    }

    static func quotientToDouble(_ n: BigInt, _ d: BigInt) -> Double {
        let negative = n.isNegativeValue
        let nm = n.magnitudeLimbs
        let dm = d.magnitudeLimbs
        let nb = BigInt.Ops.bitWidth(nm)
        let db = BigInt.Ops.bitWidth(dm)
        if nb == 0 { return 0 }
        if nb - db > 1026 { return negative ? -.infinity : .infinity }
        if db - nb > 1100 { return negative ? -0.0 : 0.0 }
        if nb - db <= -1022 {
            // Result < 2^-1021: round once, directly to a multiple of 2^-1074
            // (the subnormal / smallest-normal spacing), with two guard bits.
            let (q, r) = BigInt.Ops.divMod(BigInt.Ops.shiftLeft(nm, 1076), dm)
            let qw = q.first ?? 0  // q < 2^55
            var mant = qw >> 2
            let guardBits = qw & 3
            if guardBits > 2 || (guardBits == 2 && (!r.isEmpty || mant & 1 == 1)) { mant += 1 }
            let v = Double(sign: .plus, exponent: -1074, significand: Double(mant))
            return negative ? -v : v
        }
        // Scale so that the integer quotient has 66 or 67 bits.
        let s = 66 - (nb - db)
        let (q, r): ([UInt64], [UInt64])
        if s >= 0 {
            (q, r) = BigInt.Ops.divMod(BigInt.Ops.shiftLeft(nm, s), dm)
        } else {
            (q, r) = BigInt.Ops.divMod(nm, BigInt.Ops.shiftLeft(dm, -s))
        }
        let mag = BigInt.Ops.toDouble(q, sticky: !r.isEmpty)
        let v = Double(sign: .plus, exponent: -s, significand: mag)
        return negative ? -v : v
    }

    // MARK: Decimal literals

    /// Parses an exact decimal literal:
    ///
    ///     literal  := "-"? digits ("." digits)? (("e" | "E") ("+" | "-")? digits)?
    ///
    /// Examples: "12", "-7", "1.5" (3/2), "0.125", "1e9", "2.5e-3", "1E+3",
    /// "007" (7). Digits are ASCII 0-9 and are required on both sides of a
    /// '.', so ".5" and "5." are rejected, as are a leading '+', whitespace,
    /// underscores and an empty string.
    ///
    /// Returns nil when malformed, when the written exponent's magnitude
    /// exceeds 100000 (even for a zero mantissa, e.g. "0e200000"), or when the
    /// reduced numerator or denominator would exceed `maxBits` bits.
    public init?(literal: String) {
        let s = Array(literal.utf8)
        let count = s.count
        var i = 0
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var negative = false
        if i < count && s[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        let intStart = i
        while i < count && isDigit(s[i]) { i += 1 }
        let intEnd = i
        if intEnd == intStart { return nil }
        var fracStart = i
        var fracEnd = i
        if i < count && s[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < count && isDigit(s[i]) { i += 1 }
            fracEnd = i
            if fracEnd == fracStart { return nil }
        }
        var exponent = 0
        if i < count && (s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < count && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) {
                expNegative = s[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            while i < count && isDigit(s[i]) {
                exponent = exponent * 10 + Int(s[i] - 48)
                if exponent > 100_000 { return nil }
                i += 1
            }
            if i == expStart { return nil }
            if expNegative { exponent = -exponent }
        }
        if i != count { return nil }

        // Significant digits: integer part then fraction part, without
        // leading or trailing zeros; value = digits * 10^e10.
        var digits = Array(s[intStart..<intEnd])
        digits.append(contentsOf: s[fracStart..<fracEnd])
        var e10 = exponent - (fracEnd - fracStart)
        var lo = 0
        while lo < digits.count && digits[lo] == 48 { lo += 1 }
        if lo == digits.count {
            self = .zero
            return
        }
        var hi = digits.count
        while digits[hi - 1] == 48 {
            hi -= 1
            e10 += 1
        }
        let d = hi - lo  // m has d digits, m >= 10^(d-1), 10 does not divide m
        // log2(10) ~ 3.3219, log2(5) ~ 2.3220; bounds below are conservative.
        let maxBits = Rational.maxBits
        if e10 >= 0 {
            // bitWidth(m * 10^e10) >= (d - 1 + e10) * log2(10) + 1.
            if (d - 1 + e10) * 33219 / 10000 >= maxBits { return nil }
            let m = BigInt(negative: negative, magnitude: BigInt.Ops.parseDigits(digits[lo..<hi]))
            let value = e10 == 0 ? m : m * BigInt(10).power(e10)
            if value.bitWidth > maxBits { return nil }
            self.init(value)
            return
        }
        let k = -e10
        // The reduced denominator is at least 2^k (10 does not divide m, so
        // one of 2^k, 5^k survives), and the reduced numerator is at least
        // m / 5^k >= 2^((d-1) log2(10) - k log2(5)).
        if k > maxBits { return nil }
        if (d - 1) * 33219 / 10000 - k * 23220 / 10000 - 1 > maxBits { return nil }
        var m = BigInt(negative: negative, magnitude: BigInt.Ops.parseDigits(digits[lo..<hi]))
        var twos = k
        var fives = k
        if m.isEven {
            let t = Swift.min(m.trailingZeroBitCount, k)
            m = m.shiftedRight(t)
            twos -= t
        } else {
            // Remove factors of 5 shared with 5^k, in big chunks first.
            let five27 = BigInt(7_450_580_596_923_828_125)  // 5^27
            let five = BigInt(5)
            while fives >= 27 {
                let (q, r) = m.quotientAndRemainder(dividingBy: five27)
                if !r.isZero { break }
                m = q
                fives -= 27
            }
            while fives > 0 {
                let (q, r) = m.quotientAndRemainder(dividingBy: five)
                if !r.isZero { break }
                m = q
                fives -= 1
            }
        }
        let den = BigInt(5).power(fives).shiftedLeft(twos)
        if m.bitWidth > maxBits || den.bitWidth > maxBits { return nil }
        self.init(reducedNumerator: m, denominator: den)
    }

    /// "3/2", "-7", "10".
    public var description: String {
        switch storage {
        case .small(let n, let d):
            return d == 1 ? String(n) : "\(n)/\(d)"
        case .big(let n, let d):
            return d == BigInt(1) ? n.description : "\(n.description)/\(d.description)"
        }
    }
}

extension Rational: Hashable {}

extension Rational: Comparable {
    @inlinable
    public static func < (a: Rational, b: Rational) -> Bool {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if ad == bd { return an < bn }
            // Compare an*bd with bn*ad exactly in 128 bits.
            let l = an.multipliedFullWidth(by: bd)
            let r = bn.multipliedFullWidth(by: ad)
            return l.high < r.high || (l.high == r.high && l.low < r.low)
        }
        return compareSlow(a, b) < 0
    }

    @usableFromInline
    static func compareSlow(_ a: Rational, _ b: Rational) -> Int {
        let sa = a.signum
        let sb = b.signum
        if sa != sb { return sa < sb ? -1 : 1 }
        let l = a.numerator * b.denominator
        let r = b.numerator * a.denominator
        return l < r ? -1 : (l == r ? 0 : 1)
    }
}

extension Rational: CustomStringConvertible {}

extension Rational: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension Rational {
    /// `self * other`, or nil when the result would exceed `maxBits` (callers then keep the factors apart,
    /// so a product of huge literals stays symbolic instead of building an enormous number).
    public func multipliedWithinLimit(_ other: Rational) -> Rational? {
        // Word-sized parts (nearly every literal): the product of words, when it fits, is far within the limit.
        if case .small(let an, let ad) = storage, case .small(let bn, let bd) = other.storage,
           let product = Rational.multiplySmall(an, ad, bn, bd) {
            return product
        }
        let bits = max(numerator.bitWidth + other.numerator.bitWidth, denominator.bitWidth + other.denominator.bitWidth)
        if bits > Rational.maxBits + 1 { return nil }
        let product = self * other
        if product.numerator.bitWidth > Rational.maxBits || product.denominator.bitWidth > Rational.maxBits { return nil }
        return product
    }
}
