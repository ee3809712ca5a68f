import Foundation
import Symbolic

/// One fixed set of assumptions, shared by whatever simplifies under it (a `GrowthAnalyzer`, its exponent LPs).
///
/// The canonical and tidy forms themselves are remembered by the assumptions value (`Expr.simplified` and
/// `Expr.tidied` look them up in its box), so every holder of equal assumptions that keeps this one value shares
/// them; this class keeps that value, so that analyzers built again and again for one path meet the same box.
public final class SimplificationMemo: @unchecked Sendable {
    public let assumptions: Assumptions

    init(_ assumptions: Assumptions) { self.assumptions = assumptions }

    /// `e.simplified(assumptions)`.
    public func simplified(_ e: Expr) -> Expr { e.simplified(assumptions) }

    /// `e.tidied(assumptions)`.
    public func tidied(_ e: Expr) -> Expr { e.tidied(assumptions) }
}

/// The memos of one computation (a derivation run with the re-derivations of its audit), one per distinct set of
/// assumptions: analyzers built for different laws, terms or alternatives under equal assumptions share one memo.
/// Assumptions are equal when every stored fact is (symbols with their domains, intervals, origins and meanings;
/// facts with their origins), so a shared memo gives exactly what each analyzer would compute alone.
public final class SimplificationMemos: @unchecked Sendable {
    private var memos: [Assumptions: SimplificationMemo] = [:]
    private let lock = NSLock()

    public init() {}

    public func memo(for assumptions: Assumptions) -> SimplificationMemo {
        lock.lock()
        defer { lock.unlock() }
        if let memo = memos[assumptions] { return memo }
        let memo = SimplificationMemo(assumptions)
        memos[assumptions] = memo
        return memo
    }

    private struct ExtensionKey: Hashable {
        var base: Assumptions
        var growing: String
    }
    private var extensions: [ExtensionKey: SimplificationMemo] = [:]

    /// The memo for `base` extended by a path's growing variable (`make` builds the extension): one value per
    /// base and variable, so analyzers built again and again for the same path share one assumptions value,
    /// whose identity makes later lookups cheap (equal assumptions that are distinct copies compare fact by fact).
    public func memo(extending base: Assumptions, growing: String, _ make: () -> Assumptions) -> SimplificationMemo {
        let key = ExtensionKey(base: base, growing: growing)
        lock.lock()
        if let known = extensions[key] { lock.unlock(); return known }
        lock.unlock()
        let memo = memo(for: make())
        lock.lock()
        extensions[key] = memo
        lock.unlock()
        return memo
    }
}
