/// Exact conversions between doubles and rationals, and doubles rounded in a chosen direction: what the
/// interval oracle needs so that a bound computed through `pow` or `log` never excludes the true value.
extension Rational {
    /// The exact value of a finite double (every finite double is a dyadic rational); nil for NaN and ±∞.
    public init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        if value == 0 { self = .zero; return }
        // value = ±significand · 2^(exponent - 52) with an integer significand below 2^53.
        let magnitude = value.magnitude
        let bits = magnitude.significandBitPattern
        let significand: UInt64
        let exponent: Int
        if magnitude.isNormal {
            significand = bits | (UInt64(1) << 52)
            exponent = Int(magnitude.exponent) - 52
        } else {
            significand = bits
            exponent = -1074
        }
        let numerator = BigInt(negative: value < 0, magnitude: [significand])
        if exponent >= 0 {
            self = Rational(numerator.shiftedLeft(exponent))
        } else {
            guard let r = Rational(numerator: numerator, denominator: BigInt(1).shiftedLeft(-exponent)) else { return nil }
            self = r
        }
    }

    /// The largest double that is at most this value (-∞ when none is finite).
    public var doubleBelow: Double {
        let d = doubleValue
        if d.isNaN { return -.infinity }
        if d == .infinity { return .greatestFiniteMagnitude }
        guard let exact = Rational(exactly: d) else { return d }
        return exact > self ? d.nextDown : d
    }

    /// The smallest double that is at least this value (+∞ when none is finite).
    public var doubleAbove: Double {
        let d = doubleValue
        if d.isNaN { return .infinity }
        if d == -.infinity { return -.greatestFiniteMagnitude }
        guard let exact = Rational(exactly: d) else { return d }
        return exact < self ? d.nextUp : d
    }
}
