// BigInt.swift — arbitrary-precision signed integers for the Symbolic module.
//
// Representation: a value that fits in `Int` is always stored as `.small`;
// only values outside `Int.min...Int.max` use `.big` (sign + little-endian
// UInt64 limbs, no trailing zero limbs). Storage is therefore canonical, so the
// synthesized `Hashable`/`Equatable` are correct whichever path built a value.
//
// Nothing here traps on any input: overflow is detected with the
// `...ReportingOverflow` operations and promoted to the big representation.
// Operations with a documented precondition (division by zero, negative
// exponent, roots of negative values) return a documented fallback instead.

import Foundation

public struct BigInt: Sendable {
    @usableFromInline
    enum Storage: Hashable, Sendable {
        /// Every value in `Int.min...Int.max`.
        case small(Int)
        /// Values outside `Int`'s range only. `magnitude` is little-endian,
        /// has no trailing zero limbs and is never empty.
        case big(negative: Bool, magnitude: [UInt64])
    }

    @usableFromInline
    var storage: Storage

    @inlinable
    init(storage: Storage) {
        self.storage = storage
    }

    @inlinable
    public init(_ value: Int) {
        storage = .small(value)
    }

    /// Canonicalizing constructor from a sign and a (possibly unnormalized)
    /// magnitude. The sign of zero is ignored.
    @usableFromInline
    init(negative: Bool, magnitude: [UInt64]) {
        var m = magnitude
        Ops.normalize(&m)
        switch m.count {
        case 0:
            storage = .small(0)
        case 1:
            let v = m[0]
            if !negative, v <= UInt64(Int.max) {
                storage = .small(Int(v))
            } else if negative, v <= (1 as UInt64) << 63 {
                storage = .small(Int(truncatingIfNeeded: 0 &- v))
            } else {
                storage = .big(negative: negative, magnitude: m)
            }
        default:
            storage = .big(negative: negative, magnitude: m)
        }
    }

    /// A value from a sign and a single-word magnitude.
    @usableFromInline
    init(negative: Bool, word: UInt64) {
        self.init(negative: negative, magnitude: [word])
    }

    // MARK: Internal views

    /// True for values < 0.
    @usableFromInline
    var isNegativeValue: Bool {
        switch storage {
        case .small(let v): return v < 0
        case .big(let negative, _): return negative
        }
    }

    /// Little-endian limbs of |self| (empty for zero).
    @usableFromInline
    var magnitudeLimbs: [UInt64] {
        switch storage {
        case .small(let v):
            return v == 0 ? [] : [UInt64(v.magnitude)]
        case .big(_, let m):
            return m
        }
    }

    // MARK: Basic properties

    @inlinable
    public var isZero: Bool {
        if case .small(let v) = storage { return v == 0 }
        return false
    }

    @inlinable
    public var signum: Int {
        switch storage {
        case .small(let v): return v.signum()
        case .big(let negative, _): return negative ? -1 : 1
        }
    }

    public var magnitude: BigInt {
        switch storage {
        case .small(let v):
            if v >= 0 { return self }
            return BigInt(negative: false, word: UInt64(v.magnitude))
        case .big(_, let m):
            return BigInt(storage: .big(negative: false, magnitude: m))
        }
    }

    /// The value as an `Int`, or nil when it does not fit.
    @inlinable
    public var asInt: Int? {
        if case .small(let v) = storage { return v }
        return nil
    }

    /// Number of bits of the magnitude (0 for zero).
    public var bitWidth: Int {
        switch storage {
        case .small(let v):
            return UInt64.bitWidth - UInt64(v.magnitude).leadingZeroBitCount
        case .big(_, let m):
            return Ops.bitWidth(m)
        }
    }

    public var isEven: Bool {
        switch storage {
        case .small(let v): return v & 1 == 0
        case .big(_, let m): return m[0] & 1 == 0
        }
    }

    /// Number of trailing zero bits of the magnitude (0 for zero).
    var trailingZeroBitCount: Int {
        let m = magnitudeLimbs
        for (i, limb) in m.enumerated() where limb != 0 {
            return i * 64 + limb.trailingZeroBitCount
        }
        return 0
    }

    // MARK: Arithmetic

    @inlinable
    public static prefix func - (x: BigInt) -> BigInt {
        if case .small(let v) = x.storage {
            let (r, o) = (0 as Int).subtractingReportingOverflow(v)
            if !o { return BigInt(r) }
        }
        return BigInt(negative: !x.isNegativeValue, magnitude: x.magnitudeLimbs)
    }

    @inlinable
    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return BigInt(r) }
        }
        return signedAdd(a.isNegativeValue, a.magnitudeLimbs, b.isNegativeValue, b.magnitudeLimbs)
    }

    @inlinable
    public static func - (a: BigInt, b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            let (r, o) = x.subtractingReportingOverflow(y)
            if !o { return BigInt(r) }
        }
        return signedAdd(a.isNegativeValue, a.magnitudeLimbs, !b.isNegativeValue, b.magnitudeLimbs)
    }

    @inlinable
    public static func * (a: BigInt, b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if !o { return BigInt(r) }
            let (hi, lo) = UInt64(x.magnitude).multipliedFullWidth(by: UInt64(y.magnitude))
            return BigInt(negative: (x < 0) != (y < 0), magnitude: [lo, hi])
        }
        return multiplySlow(a, b)
    }

    @inlinable
    public static func += (a: inout BigInt, b: BigInt) { a = a + b }
    @inlinable
    public static func -= (a: inout BigInt, b: BigInt) { a = a - b }
    @inlinable
    public static func *= (a: inout BigInt, b: BigInt) { a = a * b }

    @usableFromInline
    static func signedAdd(_ an: Bool, _ am: [UInt64], _ bn: Bool, _ bm: [UInt64]) -> BigInt {
        if an == bn {
            return BigInt(negative: an, magnitude: Ops.add(am, bm))
        }
        let c = Ops.compare(am, bm)
        if c == 0 { return BigInt(0) }
        if c > 0 { return BigInt(negative: an, magnitude: Ops.subtract(am, bm)) }
        return BigInt(negative: bn, magnitude: Ops.subtract(bm, am))
    }

    @usableFromInline
    static func multiplySlow(_ a: BigInt, _ b: BigInt) -> BigInt {
        if a.isZero || b.isZero { return BigInt(0) }
        return BigInt(negative: a.isNegativeValue != b.isNegativeValue,
                      magnitude: Ops.multiply(a.magnitudeLimbs, b.magnitudeLimbs))
    }

    /// Truncated division, like `Int`'s `/` and `%`: the quotient is rounded
    /// toward zero and the remainder has the sign of `self`, with
    /// `quotient * d + remainder == self` and `|remainder| < |d|`.
    ///
    /// Callers must guarantee `d != 0`. This never traps: for `d == 0` it
    /// returns `(0, self)`, which is not a meaningful result.
    public func quotientAndRemainder(dividingBy d: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        if case .small(let x) = storage, case .small(let y) = d.storage {
            if y == 0 { return (BigInt(0), self) }
            if y == -1 { return (-self, BigInt(0)) }  // Int.min / -1 overflows Int
            return (BigInt(x / y), BigInt(x % y))
        }
        if d.isZero { return (BigInt(0), self) }
        let (q, r) = Ops.divMod(magnitudeLimbs, d.magnitudeLimbs)
        return (BigInt(negative: isNegativeValue != d.isNegativeValue, magnitude: q),
                BigInt(negative: isNegativeValue, magnitude: r))
    }

    /// Greatest common divisor of |a| and |b|; always >= 0, gcd(0, 0) == 0.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            return BigInt(negative: false, word: wordGCD(UInt64(x.magnitude), UInt64(y.magnitude)))
        }
        return BigInt(negative: false, magnitude: Ops.gcd(a.magnitudeLimbs, b.magnitudeLimbs))
    }

    /// Binary GCD on machine words; gcd(0, 0) == 0.
    @inlinable
    static func wordGCD(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if a == 0 { return b }
        if b == 0 { return a }
        var a = a
        var b = b
        let shift = (a | b).trailingZeroBitCount
        a >>= a.trailingZeroBitCount
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    /// `self` raised to `exponent`, by repeated squaring.
    ///
    /// Callers must pass `exponent >= 0`. This never traps: for a negative
    /// exponent it returns the truncated value of 1/self^|exponent|, i.e.
    /// ±1 when |self| == 1 and 0 otherwise (including 0 for self == 0).
    /// There is no size limit here: a huge exponent on |self| >= 2 needs
    /// memory proportional to the result (Rational.power is the guarded one).
    public func power(_ exponent: Int) -> BigInt {
        if exponent == 0 { return BigInt(1) }
        if case .small(let v) = storage, v >= -1 && v <= 1 {
            if v == -1 { return exponent & 1 == 0 ? BigInt(1) : BigInt(-1) }
            if exponent < 0 && v == 0 { return BigInt(0) }
            return self
        }
        if exponent < 0 { return BigInt(0) }
        // Powers of two (and their negatives) are shifts.
        let tz = trailingZeroBitCount
        if tz == bitWidth - 1 {
            let (bits, o) = tz.multipliedReportingOverflow(by: exponent)
            if !o {
                let m = Ops.shiftLeft([1], bits)
                return BigInt(negative: isNegativeValue && exponent & 1 == 1, magnitude: m)
            }
        }
        var result = BigInt(1)
        var base = self
        var e = exponent
        while true {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e == 0 { break }
            base = base * base
        }
        return result
    }

    /// Multiplication by 2^bits (sign preserved); `bits` < 0 is treated as 0.
    func shiftedLeft(_ bits: Int) -> BigInt {
        if bits <= 0 || isZero { return self }
        return BigInt(negative: isNegativeValue, magnitude: Ops.shiftLeft(magnitudeLimbs, bits))
    }

    /// |self| divided by 2^bits, truncated, with the sign of self.
    func shiftedRight(_ bits: Int) -> BigInt {
        if bits <= 0 || isZero { return self }
        return BigInt(negative: isNegativeValue, magnitude: Ops.shiftRight(magnitudeLimbs, bits))
    }

    /// Floor of the n-th root of `self` and whether it is exact.
    ///
    /// Callers must pass `n >= 1` and `self >= 0`. This never traps: for
    /// `n < 1` or `self < 0` it returns `(0, false)`.
    public func integerRoot(_ n: Int) -> (root: BigInt, exact: Bool) {
        if n < 1 || isNegativeValue { return (BigInt(0), false) }
        if n == 1 || isZero { return (self, true) }
        let w = bitWidth
        if n >= w {
            // 1 <= self < 2^w <= 2^n, so the root is in [1, 2).
            return (BigInt(1), self == BigInt(1))
        }
        if n == 2, case .small(let v) = storage {
            // Fast path for word-sized square roots.
            var r = Int(Double(v).squareRoot())
            while r > 0 && r.multipliedReportingOverflow(by: r).overflow { r -= 1 }
            while r > 0 && r * r > v { r -= 1 }
            while true {
                let (s, o) = (r + 1).multipliedReportingOverflow(by: r + 1)
                if o || s > v { break }
                r += 1
            }
            return (BigInt(r), r * r == v)
        }
        // Initial estimate from a floating-point log2, then integer Newton.
        let l = log2Approximation / Double(n)
        var x: BigInt
        if l < 62 {
            let est = (exp2(l) * (1 + 1e-9)).rounded(.up)
            x = BigInt(Int(est) + 1)
        } else {
            let e = Int(l.rounded(.down)) - 52
            let est = (exp2(l - Double(e)) * (1 + 1e-9)).rounded(.up)
            x = BigInt(Int(est) + 1).shiftedLeft(e)
        }
        let nBig = BigInt(n)
        let nMinus1 = BigInt(n - 1)
        func step(_ x: BigInt) -> BigInt {
            // floor(((n-1) x + floor(self / x^(n-1))) / n) >= floor root, for any x > 0.
            let t = self.quotientAndRemainder(dividingBy: x.power(n - 1)).quotient
            return (nMinus1 * x + t).quotientAndRemainder(dividingBy: nBig).quotient
        }
        x = step(x)
        while true {
            let y = step(x)
            if y >= x { break }
            x = y
        }
        return (x, x.power(n) == self)
    }

    /// log2(|self|) to about double precision; `-infinity` for zero.
    var log2Approximation: Double {
        let w = bitWidth
        if w == 0 { return -Double.infinity }
        let shift = Swift.max(0, w - 64)
        let top = Ops.extractWord(magnitudeLimbs, atBit: shift)
        return log2(Double(top)) + Double(shift)
    }

    /// Value as a Double, correctly rounded (round-to-nearest-even);
    /// ±infinity when |self| >= 2^1024 (after rounding).
    public var doubleValue: Double {
        switch storage {
        case .small(let v):
            return Double(v)
        case .big(let negative, let m):
            let d = Ops.toDouble(m, sticky: false)
            return negative ? -d : d
        }
    }

    // MARK: Decimal text

    /// Parses an optional leading '-' followed by one or more ASCII digits.
    /// Anything else (empty, "+5", " 5", "1_000", "-") gives nil.
    /// Cost is quadratic in the number of digits.
    public init?(_ decimal: String) {
        var utf8 = Array(decimal.utf8)
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") {
            negative = true
            utf8.removeFirst()
        }
        guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.init(negative: negative, magnitude: Ops.parseDigits(utf8[...]))
    }

    public var description: String {
        switch storage {
        case .small(let v):
            return String(v)
        case .big(let negative, let m):
            let body = Ops.decimalString(m)
            return negative ? "-" + body : body
        }
    }
}

extension BigInt: Hashable {}

extension BigInt: Comparable {
    @inlinable
    public static func < (a: BigInt, b: BigInt) -> Bool {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            return x < y
        }
        return compareSlow(a, b) < 0
    }

    @usableFromInline
    static func compareSlow(_ a: BigInt, _ b: BigInt) -> Int {
        let an = a.isNegativeValue
        let bn = b.isNegativeValue
        if an != bn { return an ? -1 : 1 }
        let c = Ops.compare(a.magnitudeLimbs, b.magnitudeLimbs)
        return an ? -c : c
    }
}

extension BigInt: CustomStringConvertible {}

extension BigInt: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

// MARK: - Magnitude operations on little-endian UInt64 limbs

extension BigInt {
    @usableFromInline
    enum Ops {
        static func normalize(_ a: inout [UInt64]) {
            while let last = a.last, last == 0 { a.removeLast() }
        }

        static func bitWidth(_ a: [UInt64]) -> Int {
            guard let last = a.last else { return 0 }
            return a.count * 64 - last.leadingZeroBitCount
        }

        /// -1, 0, 1 comparing normalized magnitudes.
        static func compare(_ a: [UInt64], _ b: [UInt64]) -> Int {
            if a.count != b.count { return a.count < b.count ? -1 : 1 }
            var i = a.count - 1
            while i >= 0 {
                if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
                i -= 1
            }
            return 0
        }

        static func add(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            let (long, short) = a.count >= b.count ? (a, b) : (b, a)
            var r = long
            var carry = false
            for i in 0..<short.count {
                let (s1, o1) = r[i].addingReportingOverflow(short[i])
                let (s2, o2) = s1.addingReportingOverflow(carry ? 1 : 0)
                r[i] = s2
                carry = o1 || o2
            }
            var i = short.count
            while carry {
                if i == r.count {
                    r.append(1)
                    break
                }
                let (s, o) = r[i].addingReportingOverflow(1)
                r[i] = s
                carry = o
                i += 1
            }
            return r
        }

        /// a - b, requires a >= b (normalized result).
        static func subtract(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            var r = a
            var borrow = false
            for i in 0..<b.count {
                let (d1, o1) = r[i].subtractingReportingOverflow(b[i])
                let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
                r[i] = d2
                borrow = o1 || o2
            }
            var i = b.count
            while borrow && i < r.count {
                let (d, o) = r[i].subtractingReportingOverflow(1)
                r[i] = d
                borrow = o
                i += 1
            }
            normalize(&r)
            return r
        }

        /// Schoolbook multiplication.
        static func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            if a.isEmpty || b.isEmpty { return [] }
            var r = [UInt64](repeating: 0, count: a.count + b.count)
            r.withUnsafeMutableBufferPointer { rp in
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        for i in 0..<ap.count {
                            let ai = ap[i]
                            if ai == 0 { continue }
                            var carry: UInt64 = 0
                            for j in 0..<bp.count {
                                let (hi, lo) = ai.multipliedFullWidth(by: bp[j])
                                let (s1, o1) = lo.addingReportingOverflow(rp[i + j])
                                let (s2, o2) = s1.addingReportingOverflow(carry)
                                rp[i + j] = s2
                                // ai*bj + r + carry <= 2^128 - 1, so this cannot overflow.
                                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                            }
                            rp[i + bp.count] = carry
                        }
                    }
                }
            }
            normalize(&r)
            return r
        }

        /// a * m + c in place (used by the decimal parser).
        static func multiplyAdd(_ a: inout [UInt64], _ m: UInt64, _ c: UInt64) {
            var carry = c
            for i in 0..<a.count {
                let (hi, lo) = a[i].multipliedFullWidth(by: m)
                let (s, o) = lo.addingReportingOverflow(carry)
                a[i] = s
                carry = hi &+ (o ? 1 : 0)
            }
            if carry != 0 { a.append(carry) }
        }

        /// a / d and a % d for a single-word divisor d != 0.
        static func divModWord(_ a: [UInt64], _ d: UInt64) -> (quotient: [UInt64], remainder: UInt64) {
            var q = [UInt64](repeating: 0, count: a.count)
            var r: UInt64 = 0
            var i = a.count - 1
            while i >= 0 {
                // r < d, so the quotient digit fits in one word.
                let (qd, rd) = d.dividingFullWidth((high: r, low: a[i]))
                q[i] = qd
                r = rd
                i -= 1
            }
            normalize(&q)
            return (q, r)
        }

        /// Knuth, TAOCP vol. 2, 4.3.1, Algorithm D (base 2^64).
        /// Requires a non-empty, normalized divisor.
        static func divMod(_ a: [UInt64], _ b: [UInt64]) -> (quotient: [UInt64], remainder: [UInt64]) {
            if b.isEmpty { return ([], a) }  // never used by callers; no trap
            if compare(a, b) < 0 { return ([], a) }
            if b.count == 1 {
                let (q, r) = divModWord(a, b[0])
                return (q, r == 0 ? [] : [r])
            }
            let n = b.count
            let m = a.count - n
            let s = b[n - 1].leadingZeroBitCount
            // Normalize so the divisor's top bit is set.
            var v = [UInt64](repeating: 0, count: n)
            var u = [UInt64](repeating: 0, count: a.count + 1)
            if s == 0 {
                for i in 0..<n { v[i] = b[i] }
                for i in 0..<a.count { u[i] = a[i] }
            } else {
                for i in stride(from: n - 1, to: 0, by: -1) {
                    v[i] = (b[i] << s) | (b[i - 1] >> (64 - s))
                }
                v[0] = b[0] << s
                u[a.count] = a[a.count - 1] >> (64 - s)
                for i in stride(from: a.count - 1, to: 0, by: -1) {
                    u[i] = (a[i] << s) | (a[i - 1] >> (64 - s))
                }
                u[0] = a[0] << s
            }
            var q = [UInt64](repeating: 0, count: m + 1)
            let vTop = v[n - 1]
            let vNext = v[n - 2]
            var j = m
            while j >= 0 {
                let ujn = u[j + n]
                let ujn1 = u[j + n - 1]
                let ujn2 = u[j + n - 2]
                var qhat: UInt64
                var rhat: UInt64
                var rhatOverflow = false
                if ujn >= vTop {
                    // Invariant gives ujn == vTop here: qhat = b - 1, rhat = ujn1 + vTop.
                    qhat = UInt64.max
                    let (r, o) = ujn1.addingReportingOverflow(vTop)
                    rhat = r
                    rhatOverflow = o
                } else {
                    let (qq, rr) = vTop.dividingFullWidth((high: ujn, low: ujn1))
                    qhat = qq
                    rhat = rr
                }
                // Refine: while qhat * v[n-2] > rhat * b + u[j+n-2], decrement.
                while !rhatOverflow {
                    let (ph, pl) = qhat.multipliedFullWidth(by: vNext)
                    if ph > rhat || (ph == rhat && pl > ujn2) {
                        qhat -= 1
                        let (r, o) = rhat.addingReportingOverflow(vTop)
                        rhat = r
                        rhatOverflow = o
                    } else {
                        break
                    }
                }
                // Multiply and subtract qhat * v from u[j ... j+n].
                var carry: UInt64 = 0
                var borrow: UInt64 = 0
                for i in 0..<n {
                    let (ph, pl) = qhat.multipliedFullWidth(by: v[i])
                    let (plc, c1) = pl.addingReportingOverflow(carry)
                    carry = ph &+ (c1 ? 1 : 0)
                    let (d1, b1) = u[i + j].subtractingReportingOverflow(plc)
                    let (d2, b2) = d1.subtractingReportingOverflow(borrow)
                    u[i + j] = d2
                    borrow = (b1 || b2) ? 1 : 0
                }
                let (t1, b1) = u[j + n].subtractingReportingOverflow(carry)
                let (t2, b2) = t1.subtractingReportingOverflow(borrow)
                u[j + n] = t2
                if b1 || b2 {
                    // qhat was one too large: add v back.
                    qhat -= 1
                    var c: UInt64 = 0
                    for i in 0..<n {
                        let (s1, o1) = u[i + j].addingReportingOverflow(v[i])
                        let (s2, o2) = s1.addingReportingOverflow(c)
                        u[i + j] = s2
                        c = (o1 || o2) ? 1 : 0
                    }
                    u[j + n] = u[j + n] &+ c
                }
                q[j] = qhat
                j -= 1
            }
            // Remainder: u[0..<n] >> s.
            var r = [UInt64](repeating: 0, count: n)
            if s == 0 {
                for i in 0..<n { r[i] = u[i] }
            } else {
                for i in 0..<n {
                    r[i] = (u[i] >> s) | (u[i + 1] << (64 - s))
                }
            }
            normalize(&q)
            normalize(&r)
            return (q, r)
        }

        static func shiftLeft(_ a: [UInt64], _ bits: Int) -> [UInt64] {
            if a.isEmpty || bits <= 0 { return a }
            let limbs = bits / 64
            let s = bits % 64
            var r = [UInt64](repeating: 0, count: a.count + limbs + 1)
            if s == 0 {
                for i in 0..<a.count { r[i + limbs] = a[i] }
            } else {
                var prev: UInt64 = 0
                for i in 0..<a.count {
                    r[i + limbs] = (a[i] << s) | (prev >> (64 - s))
                    prev = a[i]
                }
                r[a.count + limbs] = prev >> (64 - s)
            }
            normalize(&r)
            return r
        }

        static func shiftRight(_ a: [UInt64], _ bits: Int) -> [UInt64] {
            if bits <= 0 { return a }
            let limbs = bits / 64
            if limbs >= a.count { return [] }
            let s = bits % 64
            let count = a.count - limbs
            var r = [UInt64](repeating: 0, count: count)
            if s == 0 {
                for i in 0..<count { r[i] = a[i + limbs] }
            } else {
                for i in 0..<count {
                    let hi: UInt64 = i + limbs + 1 < a.count ? a[i + limbs + 1] << (64 - s) : 0
                    r[i] = (a[i + limbs] >> s) | hi
                }
            }
            normalize(&r)
            return r
        }

        /// The 64 bits of `a` starting at bit `bit` (bits beyond the end are 0).
        static func extractWord(_ a: [UInt64], atBit bit: Int) -> UInt64 {
            let li = bit / 64
            let s = bit % 64
            if li >= a.count { return 0 }
            var w = a[li] >> s
            if s != 0 && li + 1 < a.count { w |= a[li + 1] << (64 - s) }
            return w
        }

        /// True if any of the lowest `bits` bits of `a` is set.
        static func hasBitsBelow(_ a: [UInt64], _ bits: Int) -> Bool {
            let li = bits / 64
            let s = bits % 64
            for i in 0..<Swift.min(li, a.count) where a[i] != 0 { return true }
            if s != 0 && li < a.count && a[li] & ((1 << s) - 1) != 0 { return true }
            return false
        }

        /// Correctly rounded Double of the magnitude. With `sticky`, the value
        /// is taken as slightly larger than `a` (a nonzero discarded tail);
        /// `sticky` is only honoured when `a` has more than 64 bits.
        static func toDouble(_ a: [UInt64], sticky: Bool) -> Double {
            let w = bitWidth(a)
            if w == 0 { return 0 }
            if w <= 64 { return Double(a[0]) }
            if w > 1025 { return .infinity }
            let shift = w - 64
            var top = extractWord(a, atBit: shift)
            if sticky || hasBitsBelow(a, shift) { top |= 1 }
            // top has 64 significant bits; bit 0 is far below the rounding
            // position, so OR-ing the sticky bit there gives correct rounding.
            return Double(sign: .plus, exponent: shift, significand: Double(top))
        }

        /// gcd of two normalized magnitudes: binary GCD in place, with a
        /// division step whenever the sizes are far apart, finishing in
        /// 128-bit words.
        static func gcd(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            var x = a
            var y = b
            if x.isEmpty { return y }
            if y.isEmpty { return x }
            let tzx = trailingZeroBits(x)
            let tzy = trailingZeroBits(y)
            let shift = Swift.min(tzx, tzy)
            shiftRightInPlace(&x, tzx)
            shiftRightInPlace(&y, tzy)
            // Invariant: x and y are odd (nonzero).
            while true {
                if x.count <= 2 && y.count <= 2 {
                    return shiftLeft(twoWordGCD(x, y), shift)
                }
                if x.count < y.count || (x.count == y.count && compare(x, y) < 0) { swap(&x, &y) }
                if x.count > y.count + 1 {
                    // Lopsided: one division step (gcd(x, y) == gcd(x mod y, y), odd part only).
                    x = divMod(x, y).remainder
                    if x.isEmpty { return shiftLeft(y, shift) }
                    shiftRightInPlace(&x, trailingZeroBits(x))
                    continue
                }
                if compare(x, y) == 0 { return shiftLeft(x, shift) }
                subtractInPlace(&x, y)  // x > y, both odd: x - y is even and nonzero
                shiftRightInPlace(&x, trailingZeroBits(x))
            }
        }

        /// Binary GCD of two values of at most two limbs (little-endian
        /// arrays, possibly empty); result normalized.
        static func twoWordGCD(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
            var (ah, al) = (a.count > 1 ? a[1] : 0, a.first ?? 0)
            var (bh, bl) = (b.count > 1 ? b[1] : 0, b.first ?? 0)
            func tz(_ h: UInt64, _ l: UInt64) -> Int { l != 0 ? l.trailingZeroBitCount : 64 + h.trailingZeroBitCount }
            func shr(_ h: inout UInt64, _ l: inout UInt64, _ k: Int) {
                if k >= 64 { l = h >> (k - 64); h = 0 } else if k > 0 { l = (l >> k) | (h << (64 - k)); h >>= k }
            }
            if ah == 0 && al == 0 { return b }
            if bh == 0 && bl == 0 { return a }
            let shift = Swift.min(tz(ah, al), tz(bh, bl))
            shr(&ah, &al, tz(ah, al))
            while true {
                if bh == 0 && ah == 0 {
                    // Finish in one word (a is odd, b nonzero).
                    return shiftLeft([wordGCD(al, bl)], shift)
                }
                shr(&bh, &bl, tz(bh, bl))
                if ah > bh || (ah == bh && al > bl) { swap(&ah, &bh); swap(&al, &bl) }
                // b -= a
                let (l, o) = bl.subtractingReportingOverflow(al)
                bl = l
                bh = bh &- ah &- (o ? 1 : 0)
                if bh == 0 && bl == 0 {
                    var r: [UInt64] = [al, ah]
                    normalize(&r)
                    return shiftLeft(r, shift)
                }
            }
        }

        static func trailingZeroBits(_ a: [UInt64]) -> Int {
            for (i, limb) in a.enumerated() where limb != 0 {
                return i * 64 + limb.trailingZeroBitCount
            }
            return 0
        }

        /// a -= b in place; requires a >= b.
        static func subtractInPlace(_ a: inout [UInt64], _ b: [UInt64]) {
            var borrow = false
            let n = a.count
            a.withUnsafeMutableBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    for i in 0..<bp.count {
                        let (d1, o1) = ap[i].subtractingReportingOverflow(bp[i])
                        let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
                        ap[i] = d2
                        borrow = o1 || o2
                    }
                    var i = bp.count
                    while borrow && i < n {
                        let (d, o) = ap[i].subtractingReportingOverflow(1)
                        ap[i] = d
                        borrow = o
                        i += 1
                    }
                }
            }
            normalize(&a)
        }

        /// a >>= bits in place.
        static func shiftRightInPlace(_ a: inout [UInt64], _ bits: Int) {
            if bits <= 0 || a.isEmpty { return }
            let limbs = bits / 64
            if limbs >= a.count {
                a.removeAll()
                return
            }
            let s = bits % 64
            let count = a.count - limbs
            a.withUnsafeMutableBufferPointer { ap in
                if s == 0 {
                    for i in 0..<count { ap[i] = ap[i + limbs] }
                } else {
                    for i in 0..<count {
                        let hi: UInt64 = i + limbs + 1 < ap.count ? ap[i + limbs + 1] << (64 - s) : 0
                        ap[i] = (ap[i + limbs] >> s) | hi
                    }
                }
            }
            a.removeLast(limbs)
            normalize(&a)
        }

        static func parseDigits(_ digits: ArraySlice<UInt8>) -> [UInt64] {
            var r: [UInt64] = []
            var chunk: UInt64 = 0
            var chunkLen = 0
            let firstLen = digits.count % 19 == 0 ? 19 : digits.count % 19
            var target = firstLen
            for c in digits {
                chunk = chunk * 10 + UInt64(c &- 48)
                chunkLen += 1
                if chunkLen == target {
                    multiplyAdd(&r, target == 19 ? tenTo19 : pow10(target), chunk)
                    chunk = 0
                    chunkLen = 0
                    target = 19
                }
            }
            normalize(&r)
            return r
        }

        static let tenTo19: UInt64 = 10_000_000_000_000_000_000

        static func pow10(_ k: Int) -> UInt64 {
            var p: UInt64 = 1
            for _ in 0..<k { p *= 10 }
            return p
        }

        static func decimalString(_ a: [UInt64]) -> String {
            var parts: [UInt64] = []
            var m = a
            while !m.isEmpty {
                let (q, r) = divModWord(m, tenTo19)
                parts.append(r)
                m = q
            }
            guard let last = parts.last else { return "0" }
            var s = String(last)
            for p in parts.dropLast().reversed() {
                let t = String(p)
                s += String(repeating: "0", count: 19 - t.count) + t
            }
            return s
        }
    }
}
