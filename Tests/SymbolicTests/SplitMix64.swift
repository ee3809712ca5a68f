import Foundation

/// The seeded generator every SymbolicTests file uses (SplitMix64), so a failing seed replays exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }
    mutating func logUniform(_ a: Double, _ b: Double) -> Double {
        Foundation.exp(uniform(Foundation.log(a), Foundation.log(b)))
    }
    mutating func chance(_ p: Double) -> Bool { uniform(0, 1) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
    mutating func permuted<T>(_ xs: [T]) -> [T] {
        var ys = xs
        if ys.count < 2 { return ys }
        for i in stride(from: ys.count - 1, to: 0, by: -1) { ys.swapAt(i, int(0...i)) }
        return ys
    }
}
