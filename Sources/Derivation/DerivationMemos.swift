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

    private var interned: [Assumptions: Assumptions] = [:]

    /// One value per distinct set of assumptions: equal assumptions built separately (each context, each
    /// alternative's theory) compare fact by fact, the same value by identity, so contexts keep the interned one.
    func intern(_ assumptions: Assumptions) -> Assumptions {
        lock.lock()
        defer { lock.unlock() }
        if let known = interned[assumptions] { return known }
        interned[assumptions] = assumptions
        return assumptions
    }

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
        var t: Expr
        var s: Expr
        var growing: String?
        var fixed: [String]
        var assumptions: Int
        var effort: SignProof.Effort
    }
    private let dominance = LockedTable<DominanceKey, String?>()

    /// The inputs of a proof context's regions: the assumptions (by number), the hypotheses and the growing variable.
    struct RegionKey: Hashable {
        var assumptions: Int
        var hypotheses: [Relation]
        var growing: String?
    }
    private let regionTable = LockedTable<RegionKey, Result<(Assumptions, Assumptions?), Error>>()

    /// `ProofContext`'s regions, built once per key (the assumption of n >= 16 and the emptiness check of the path
    /// cost more than most steps that use them).
    func regions(_ key: RegionKey, _ compute: () -> Result<(Assumptions, Assumptions?), Error>) -> Result<(Assumptions, Assumptions?), Error> {
        regionTable.value(for: key, compute)
    }

    struct ProofKey: Hashable {
        var e: Expr
        var strict: Bool
        var depth: Int
        var effort: SignProof.Effort
        var assumptions: Int
    }
    private let proofs = LockedTable<ProofKey, Bool>()

    /// A step of `SignProof`'s recursion, once per expression, strictness, depth, effort and assumptions.
    func signProof(_ e: Expr, strict: Bool, depth: Int, effort: SignProof.Effort, assumptions: Assumptions, _ compute: () -> Bool) -> Bool {
        proofs.value(for: ProofKey(e: e, strict: strict, depth: depth, effort: effort, assumptions: number(of: assumptions)), compute)
    }

    struct OpaqueKey: Hashable {
        var es: [Expr]
        var region: Int
    }
    private let opaques = LockedTable<OpaqueKey, ([Expr], Assumptions)>()

    /// `ProofContext.opaque`: one set of atoms (and one assumptions value) per expressions and region.
    func opaque(_ es: [Expr], region: Assumptions, _ compute: () -> ([Expr], Assumptions)) -> ([Expr], Assumptions) {
        opaques.value(for: OpaqueKey(es: es, region: number(of: region)), compute)
    }

    struct SignKey: Hashable {
        var e: Expr
        var strict: Bool
        var effort: SignProof.Effort
        var assumptions: Int
    }
    private let signs = LockedTable<SignKey, String?>()

    /// A sign proof's outcome (nil: proved), computed once per expression, strictness, effort and assumptions.
    func sign(_ e: Expr, strict: Bool, effort: SignProof.Effort, assumptions: Assumptions, _ compute: () -> String?) -> String? {
        signs.value(for: SignKey(e: e, strict: strict, effort: effort, assumptions: number(of: assumptions)), compute)
    }

    /// `ProofContext.termProblem` for one pair, computed once per pair, path and assumptions.
    func termProblem(_ t: Expr, _ s: Expr, context: ProofContext, assumptions: Assumptions, effort: SignProof.Effort,
                     _ compute: () -> String?) -> String? {
        let key = DominanceKey(t: t, s: s, growing: context.path?.growing, fixed: context.path?.fixed ?? [], assumptions: number(of: assumptions),
                               effort: effort)
        return dominance.value(for: key, compute)
    }

    struct RateKey: Hashable {
        var objective: Expr
        var growing: String
        var rate: Expr
        var logPower: Expr
        var substitutions: [Expr]
        var names: [String]
        var upperOnly: Bool
        var lowerOnly: Bool
        var assumptions: Int
    }

    /// A law's rate claim, certified once per claim and assumptions (the audit's alternatives repeat many).
    func rateProblem(_ claim: RateClaim, assumptions: Assumptions, _ compute: () throws -> String?) rethrows -> String? {
        let key = RateKey(objective: claim.objective, growing: claim.growing, rate: claim.rate, logPower: claim.logPower,
                          substitutions: claim.substitutions.map(\.1), names: claim.substitutions.map(\.0), upperOnly: claim.upperOnly,
                          lowerOnly: claim.lowerOnly, assumptions: number(of: assumptions))
        if let known = rateCache.value(for: key) { return known }
        let value = try compute()
        rateCache.store(value, for: key)
        return value
    }
    private let rateCache = Table<RateKey, String?>()
}

/// A lock-protected table for values whose computation may throw (so it cannot go through `Memo`).
final class Table<Key: Hashable, Value>: @unchecked Sendable {
    private var table: [Key: Value] = [:]
    private let lock = NSLock()
    func value(for key: Key) -> Value? {
        lock.lock(); defer { lock.unlock() }
        return table[key]
    }
    func store(_ value: Value, for key: Key) {
        lock.lock(); table[key] = value; lock.unlock()
    }
}
