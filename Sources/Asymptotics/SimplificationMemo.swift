import Foundation
import Symbolic

/// Canonical and tidy forms under one fixed set of assumptions, each computed once.
///
/// Balancing solves many small linear systems over the same exponents, and growth comparisons simplify the same
/// differences again and again. Simplification is a pure function of the expression and the assumptions, so a
/// memo belonging to whatever holds the assumptions (a `GrowthAnalyzer`, its exponent LPs) returns exactly what
/// `simplified`/`tidied` would. It is never used with other assumptions.
final class SimplificationMemo: @unchecked Sendable {
    let assumptions: Assumptions
    private var canonical: [Expression: Expression] = [:]
    private var tidy: [Expression: Expression] = [:]
    private let lock = NSLock()

    init(_ assumptions: Assumptions) { self.assumptions = assumptions }

    /// `e.simplified(assumptions)`.
    func simplified(_ e: Expression) -> Expression { memoized(e, in: \.canonical) { $0.simplified(self.assumptions) } }

    /// `e.tidied(assumptions)`.
    func tidied(_ e: Expression) -> Expression { memoized(e, in: \.tidy) { $0.tidied(self.assumptions) } }

    private func memoized(_ e: Expression, in table: ReferenceWritableKeyPath<SimplificationMemo, [Expression: Expression]>,
                          _ compute: (Expression) -> Expression) -> Expression {
        switch e.shape {
        case .number, .symbol, .constant: return e   // what the simplifier returns for a leaf
        default: break
        }
        lock.lock()
        let known = self[keyPath: table][e]
        lock.unlock()
        if let known { return known }
        let result = compute(e)
        lock.lock()
        self[keyPath: table][e] = result
        lock.unlock()
        return result
    }
}

/// The memos of one computation (a derivation run with the re-derivations of its audit), one per distinct set of
/// assumptions: analyzers built for different laws, terms or alternatives under equal assumptions share one memo.
/// Assumptions are equal when every stored fact is (symbols with their domains, intervals, origins and meanings;
/// facts with their origins), so a shared memo gives exactly what each analyzer would compute alone.
public final class SimplificationMemos: @unchecked Sendable {
    private var memos: [AssumptionsKey: SimplificationMemo] = [:]
    private let lock = NSLock()

    public init() {}

    func memo(for assumptions: Assumptions) -> SimplificationMemo {
        let key = AssumptionsKey(assumptions)
        lock.lock()
        defer { lock.unlock() }
        if let memo = memos[key] { return memo }
        let memo = SimplificationMemo(assumptions)
        memos[key] = memo
        return memo
    }
}

/// Everything an `Assumptions` value stores, as a hashable value: equal keys mean equal assumptions, so any
/// function of the assumptions may be memoized by it.
public struct AssumptionsKey: Hashable, Sendable {
    struct Symbol: Hashable, Sendable {
        var domain: Assumptions.NumberDomain
        var interval: Interval
        var lowerOrigin: Assumptions.Origin?
        var upperOrigin: Assumptions.Origin?
        var domainOrigin: Assumptions.Origin?
        var meaning: String?
    }

    struct Fact: Hashable, Sendable {
        var expression: Expression
        var strict: Bool
        var origin: Assumptions.Origin
    }

    var symbols: [String: Symbol]
    var facts: [Fact]

    public init(_ a: Assumptions) {
        symbols = a.symbols.mapValues { Symbol(domain: $0.domain, interval: $0.interval, lowerOrigin: $0.lowerOrigin,
                                               upperOrigin: $0.upperOrigin, domainOrigin: $0.domainOrigin, meaning: $0.meaning) }
        facts = a.facts.map { Fact(expression: $0.expression, strict: $0.strict, origin: $0.origin) }
    }
}
