import Foundation
import Symbolic
import Asymptotics

/// What one derivation run computes once and shares between the run and its audit's re-derivations under each
/// alternative (which repeat much of the same algebra): simplifications per set of assumptions, and the
/// pairwise comparisons behind `by asymptotics`. Every entry is keyed by all of its inputs.
final class DerivationMemos: @unchecked Sendable {
    let simplifications = SimplificationMemos()
    private let ratios = Memo<RatioKey, Bool>()
    /// Each distinct set of assumptions met, numbered: keys carry the number, not the (costly to hash) assumptions.
    private var assumptionNumbers: [Assumptions: Int] = [:]
    private let lock = NSLock()

    func number(of assumptions: Assumptions) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let n = assumptionNumbers[assumptions] { return n }
        let n = assumptionNumbers.count
        assumptionNumbers[assumptions] = n
        return n
    }

    /// The inputs of `DerivationContext.boundedRatio` with the expand-without-log-splitting simplifier for `a`
    /// and the theory's quantity names (a ratio containing a quantity is never bounded).
    struct RatioKey: Hashable {
        var t: Expression
        var s: Expression
        var growing: String
        var substituted: [String]
        var substitutions: [Expression]
        var fixed: [String]
        /// `number(of:)` the assumptions.
        var assumptions: Int
        var quantities: [String]
    }

    func boundedRatio(_ key: RatioKey, _ compute: () -> Bool) -> Bool { ratios.value(for: key, compute) }
}
