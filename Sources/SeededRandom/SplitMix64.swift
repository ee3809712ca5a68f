import Foundation

/// SplitMix64: a small, fully specified generator, so a seed gives the same numbers on every machine and a
/// failing seed replays exactly. The one copy for the tests (every test target) and the benchmark corpora.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n > 0), by rejection, so it does not depend on modulo bias. (A draw is rejected with
    /// probability below n/2^64, so this is `next() % n` in practice.)
    public mutating func below(_ n: Int) -> Int {
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// Uniform double in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }

    /// Log-uniform double in [a, b), a > 0.
    public mutating func logUniform(_ a: Double, _ b: Double) -> Double {
        Foundation.exp(uniform(Foundation.log(a), Foundation.log(b)))
    }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }

    /// True with probability percent/100, from one `below(100)` draw (the benchmark corpora use this form).
    public mutating func chance(percent: Int) -> Bool { below(100) < percent }

    public mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }

    /// `xs` in random order (Fisher–Yates).
    public mutating func permuted<T>(_ xs: [T]) -> [T] {
        var ys = xs
        if ys.count < 2 { return ys }
        for i in stride(from: ys.count - 1, to: 0, by: -1) { ys.swapAt(i, int(0...i)) }
        return ys
    }
}
