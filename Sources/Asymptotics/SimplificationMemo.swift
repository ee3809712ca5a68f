import Foundation
import Symbolic

/// Canonical and tidy forms under one fixed set of assumptions, each computed once.
///
/// Balancing solves many small linear systems over the same exponents, and growth comparisons simplify the same
/// differences again and again. Simplification is a pure function of the expression and the assumptions, so a
/// memo belonging to whatever holds the assumptions (a `GrowthAnalyzer`, its exponent LPs) returns exactly what
/// `simplified`/`tidied` would. It is never used with other assumptions.
public final class SimplificationMemo: @unchecked Sendable {
    public let assumptions: Assumptions
    private let canonical = Memo<Expr, Expr>()
    private let tidy = Memo<Expr, Expr>()

    init(_ assumptions: Assumptions) { self.assumptions = assumptions }

    /// `e.simplified(assumptions)`.
    public func simplified(_ e: Expr) -> Expr {
        isLeaf(e) ? e : canonical.value(for: e) { e.simplified(assumptions) }
    }

    /// `e.tidied(assumptions)`.
    public func tidied(_ e: Expr) -> Expr {
        isLeaf(e) ? e : tidy.value(for: e) { e.tidied(assumptions) }
    }

    /// The simplifier returns a leaf as it is: not worth a table entry.
    private func isLeaf(_ e: Expr) -> Bool {
        switch e.shape {
        case .number, .symbol, .constant: return true
        default: return false
        }
    }
}

/// A table of values of a pure function, safe to share between threads. Two threads asking for the same new
/// key may both compute it; they store the same value.
public final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    private var table: [Key: Value] = [:]
    private let lock = NSLock()

    public init() {}

    public func value(for key: Key, _ compute: () -> Value) -> Value {
        lock.lock()
        let known = table[key]
        lock.unlock()
        if let known { return known }
        let result = compute()
        lock.lock()
        table[key] = result
        lock.unlock()
        return result
    }
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
