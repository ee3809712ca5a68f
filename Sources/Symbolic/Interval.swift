/// A real interval with rational (or infinite) endpoints, open or closed at each end.
///
/// The sign oracle evaluates expressions over intervals: if the value of `2*beta + d` lies in `(1, ∞)` for
/// every admissible `beta` and `d`, it is positive. Only sound enclosures are produced: when an operation
/// cannot be bounded exactly, the result widens (ultimately to `(-∞, ∞)`), never narrows.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    /// nil means -∞.
    public var lower: Rational?
    public var lowerOpen: Bool
    /// nil means +∞.
    public var upper: Rational?
    public var upperOpen: Bool

    public init(lower: Rational?, lowerOpen: Bool, upper: Rational?, upperOpen: Bool) {
        self.lower = lower
        self.lowerOpen = lower == nil ? true : lowerOpen
        self.upper = upper
        self.upperOpen = upper == nil ? true : upperOpen
    }

    public static let everything = Interval(lower: nil, lowerOpen: true, upper: nil, upperOpen: true)
    public static let positive = Interval(lower: .zero, lowerOpen: true, upper: nil, upperOpen: true)
    public static let nonnegative = Interval(lower: .zero, lowerOpen: false, upper: nil, upperOpen: true)

    /// Whether every point of `other` lies in this interval.
    public func contains(_ other: Interval) -> Bool {
        if let l = lower {
            guard let ol = other.lower, ol > l || (ol == l && (other.lowerOpen || !lowerOpen)) else { return false }
        }
        if let u = upper {
            guard let ou = other.upper, ou < u || (ou == u && (other.upperOpen || !upperOpen)) else { return false }
        }
        return true
    }

    public static func point(_ value: Rational) -> Interval {
        Interval(lower: value, lowerOpen: false, upper: value, upperOpen: false)
    }

    public var description: String {
        let l = lower.map { "\($0)" } ?? "-∞"
        let u = upper.map { "\($0)" } ?? "∞"
        return "\(lowerOpen ? "(" : "[")\(l), \(u)\(upperOpen ? ")" : "]")"
    }

    /// True when no real number satisfies both ends.
    public var isEmpty: Bool {
        guard let l = lower, let u = upper else { return false }
        if l > u { return true }
        if l == u { return lowerOpen || upperOpen }
        return false
    }

    public var sign: Sign {
        if let l = lower, let u = upper, l.isZero, u.isZero, !lowerOpen, !upperOpen { return .zero }
        if let l = lower, l.isPositive || (l.isZero && lowerOpen) { return .positive }
        if let u = upper, u.isNegative || (u.isZero && upperOpen) { return .negative }
        if let l = lower, l.isZero { return .nonnegative }
        if let u = upper, u.isZero { return .nonpositive }
        return .unknown
    }

    public func intersecting(_ other: Interval) -> Interval {
        var result = self
        if let l = other.lower {
            if let mine = result.lower {
                if l > mine { result.lower = l; result.lowerOpen = other.lowerOpen }
                else if l == mine { result.lowerOpen = result.lowerOpen || other.lowerOpen }
            } else {
                result.lower = l; result.lowerOpen = other.lowerOpen
            }
        }
        if let u = other.upper {
            if let mine = result.upper {
                if u < mine { result.upper = u; result.upperOpen = other.upperOpen }
                else if u == mine { result.upperOpen = result.upperOpen || other.upperOpen }
            } else {
                result.upper = u; result.upperOpen = other.upperOpen
            }
        }
        return result
    }

    public func union(_ other: Interval) -> Interval {
        var result = self
        if let l = lower, let o = other.lower {
            if o < l { result.lower = o; result.lowerOpen = other.lowerOpen }
            else if o == l { result.lowerOpen = lowerOpen && other.lowerOpen }
        } else {
            result.lower = nil; result.lowerOpen = true
        }
        if let u = upper, let o = other.upper {
            if o > u { result.upper = o; result.upperOpen = other.upperOpen }
            else if o == u { result.upperOpen = upperOpen && other.upperOpen }
        } else {
            result.upper = nil; result.upperOpen = true
        }
        return result
    }

    public static func + (a: Interval, b: Interval) -> Interval {
        Interval(lower: a.lower.flatMap { x in b.lower.map { x + $0 } }, lowerOpen: a.lowerOpen || b.lowerOpen,
                 upper: a.upper.flatMap { x in b.upper.map { x + $0 } }, upperOpen: a.upperOpen || b.upperOpen)
    }

    public static prefix func - (a: Interval) -> Interval {
        Interval(lower: a.upper.map { -$0 }, lowerOpen: a.upperOpen, upper: a.lower.map { -$0 }, upperOpen: a.lowerOpen)
    }

    public func scaled(by c: Rational) -> Interval {
        if c.isZero { return .point(.zero) }
        let s = Interval(lower: lower.map { $0 * c }, lowerOpen: lowerOpen, upper: upper.map { $0 * c }, upperOpen: upperOpen)
        return c.isPositive ? s : Interval(lower: s.upper, lowerOpen: s.upperOpen, upper: s.lower, upperOpen: s.lowerOpen)
    }

    public static func * (a: Interval, b: Interval) -> Interval {
        if let l = a.lower, l == a.upper, !a.lowerOpen, !a.upperOpen { return b.scaled(by: l) }
        if let l = b.lower, l == b.upper, !b.lowerOpen, !b.upperOpen { return a.scaled(by: l) }
        let ends = [
            Extended.product(Extended(a.lower, isUpper: false), a.lowerOpen, Extended(b.lower, isUpper: false), b.lowerOpen),
            Extended.product(Extended(a.lower, isUpper: false), a.lowerOpen, Extended(b.upper, isUpper: true), b.upperOpen),
            Extended.product(Extended(a.upper, isUpper: true), a.upperOpen, Extended(b.lower, isUpper: false), b.lowerOpen),
            Extended.product(Extended(a.upper, isUpper: true), a.upperOpen, Extended(b.upper, isUpper: true), b.upperOpen),
        ]
        var low = ends[0], high = ends[0]
        for end in ends.dropFirst() {
            if end.value < low.value || (end.value == low.value && !end.open) { low = end }
            if high.value < end.value || (end.value == high.value && !end.open) { high = end }
        }
        return Interval(lower: low.value.finite, lowerOpen: low.open, upper: high.value.finite, upperOpen: high.open)
    }

    /// `1/x` over the part of the interval where it is defined (x ≠ 0); everything if it straddles zero.
    public var reciprocal: Interval {
        switch sign {
        case .positive, .nonnegative:
            let upperResult: Rational? = (lower.map { $0.isZero } ?? true) ? nil : lower.flatMap { $0.reciprocal }
            let lowerResult: Rational = upper.flatMap { $0.reciprocal } ?? .zero
            return Interval(lower: lowerResult, lowerOpen: upper == nil ? true : upperOpen,
                            upper: upperResult, upperOpen: upperResult == nil ? true : lowerOpen)
        case .negative, .nonpositive:
            return -((-self).reciprocal)
        default:
            return .everything
        }
    }

    /// `x^n` for an integer n.
    public func power(_ n: Int) -> Interval {
        if n == 0 { return .point(.one) }
        if n < 0 {
            // -Int.min does not exist; such a power is far outside any useful bound anyway.
            guard n != Int.min else { return .everything }
            return power(-n).reciprocal
        }
        if n == 1 { return self }
        func raise(_ r: Rational?) -> Rational? { r.flatMap { $0.power(n) } }
        if n % 2 == 1 {
            // Monotone increasing. An endpoint too large to compute widens to infinity.
            return Interval(lower: raise(lower), lowerOpen: lowerOpen, upper: raise(upper), upperOpen: upperOpen)
        }
        switch sign {
        case .positive, .nonnegative, .zero:
            return Interval(lower: raise(lower), lowerOpen: lowerOpen, upper: raise(upper), upperOpen: upperOpen)
        case .negative, .nonpositive:
            return (-self).power(n)
        default:
            // Straddles zero: [0, max(|lower|, |upper|)^n].
            let a = lower.map { -$0 }, b = upper
            var top: Rational? = nil
            var topOpen = true
            if let a, let b {
                if a > b { top = raise(a); topOpen = lowerOpen }
                else if b > a { top = raise(b); topOpen = upperOpen }
                else { top = raise(a); topOpen = lowerOpen && upperOpen }
            }
            return Interval(lower: .zero, lowerOpen: false, upper: top, upperOpen: topOpen)
        }
    }
}

/// An endpoint value on the extended real line, used inside interval multiplication.
private struct Extended {
    enum Value: Comparable {
        case minusInfinity, finite(Rational), plusInfinity
        var finite: Rational? { if case .finite(let r) = self { return r } else { return nil } }
        var signum: Int {
            switch self { case .minusInfinity: return -1; case .plusInfinity: return 1; case .finite(let r): return r.signum }
        }
    }
    var value: Value
    var open: Bool

    init(_ r: Rational?, isUpper: Bool) {
        if let r { value = .finite(r) } else { value = isUpper ? .plusInfinity : .minusInfinity }
        open = false
    }
    init(value: Value, open: Bool) { self.value = value; self.open = open }

    static func product(_ a: Extended, _ aOpen: Bool, _ b: Extended, _ bOpen: Bool) -> Extended {
        switch (a.value, b.value) {
        case (.finite(let x), .finite(let y)):
            let zeroClosed = (x.isZero && !aOpen) || (y.isZero && !bOpen)
            return Extended(value: .finite(x * y), open: zeroClosed ? false : (aOpen || bOpen))
        default:
            // 0 · ∞ contributes the bound 0 (the product tends to 0 along the interval), others are ±∞.
            let s = a.value.signum * b.value.signum
            if s == 0 {
                let zeroClosed = (a.value.finite?.isZero == true && !aOpen) || (b.value.finite?.isZero == true && !bOpen)
                return Extended(value: .finite(.zero), open: !zeroClosed)
            }
            return Extended(value: s > 0 ? .plusInfinity : .minusInfinity, open: true)
        }
    }
}
