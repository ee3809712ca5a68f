import Foundation
import Symbolic
import Asymptotics

/// What one derivation run computes once and shares between the run and its audit's re-derivations under each
/// alternative (which repeat much of the same algebra): simplifications per set of assumptions, and the
/// pairwise comparisons behind `by asymptotics`. Every entry is keyed by all of its inputs.
final class DerivationMemos: @unchecked Sendable {
    let simplifications = SimplificationMemos()
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

    /// The inputs of `ProofContext.termProblem` for the composer's pairwise comparisons: the two terms, the path, and
    /// the assumptions they were compared under (by number).
    struct DominanceKey: Hashable {
        var t: Expression
        var s: Expression
        var growing: String?
        var fixed: [String]
        var assumptions: Int
    }
    private let dominance = Memo<DominanceKey, Bool>()

    func termDominated(_ t: Expression, _ s: Expression, context: ProofContext, assumptions: Assumptions, _ compute: () -> Bool) -> Bool {
        let key = DominanceKey(t: t, s: s, growing: context.path?.growing, fixed: context.path?.fixed ?? [], assumptions: number(of: assumptions))
        return dominance.value(for: key, compute)
    }
}
