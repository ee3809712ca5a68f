import Synchronization
/// What is assumed of each symbol: its number domain and bounds, plus relations between symbols.
///
/// `beta > 0`, `d >= 1 integer`, `delta in (0, 1)`, `k <= M`. Numeric bounds live on the symbol (so interval
/// arithmetic can use them); relations between symbols are kept as facts `expr >= 0` or `expr > 0`, and
/// their numeric consequences are propagated to the symbols (`k <= M` and `M <= 3` give `k <= 3`).
///
/// Hashable: equal values store the same facts (symbols with their domains, intervals, origins and meanings;
/// facts with their origins), so any function of the assumptions may be memoized by them.
public struct Assumptions: Hashable, Sendable {
    public enum NumberDomain: String, Sendable { case real, integer }

    /// Where a fact came from, so a contradiction can name the facts that clash.
    public struct Origin: Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var location: SourceLocation?
        /// For a bound derived through a relation (`k >= 1` and `k <= M` give `M >= 1`): the other facts used.
        public var premises: [Origin]
        public init(_ text: String, location: SourceLocation? = nil, premises: [Origin] = []) {
            self.text = text; self.location = location; self.premises = premises
        }
        public var description: String { location.map { "'\(text)' (\($0))" } ?? "'\(text)'" }
        /// This fact and every premise behind it, each once, without their own premises.
        public var allOrigins: [Origin] {
            var result: [Origin] = []
            var stack = [self]
            while let o = stack.popLast() {
                let bare = Origin(o.text, location: o.location)
                if !result.contains(bare) { result.append(bare) }
                stack.append(contentsOf: o.premises.reversed())
            }
            return result
        }
    }

    public struct SymbolFacts: Hashable, Sendable {
        public var domain: NumberDomain = .real
        public var interval: Interval = .everything
        public var lowerOrigin: Origin?
        public var upperOrigin: Origin?
        /// The declaration that made the symbol an integer.
        public var domainOrigin: Origin?
        public var meaning: String?
    }

    /// `expression > 0` when strict, `expression >= 0` otherwise.
    public struct Fact: Hashable, Sendable {
        public var expression: Expr
        public var strict: Bool
        public var origin: Origin
    }

    public private(set) var symbols: [String: SymbolFacts] = [:] { didSet { hashCache = HashCache() } }
    public internal(set) var facts: [Fact] = [] { didSet { hashCache = HashCache() } }

    /// The structural hash, computed once per value: memo tables keyed by assumptions hash them often. A copy
    /// shares the box until either is changed (every change replaces it).
    private var hashCache = HashCache()

    /// 0 means "not computed yet" (a word written whole, so threads that race to fill it write the same value).
    final class HashCache: @unchecked Sendable {
        var value: Int = 0
        /// The facts (with the log facts they imply) as linear forms, built on first use: the sign oracle reads
        /// them for every query under these assumptions.
        let linearFacts = Mutex<[(Fact, [Expr: Rational])]?>(nil)
        /// `quickSign`, `interval(of:)` and the canonical and tidy forms, once per expression under these assumptions: pure
        /// functions of the expression and the stored facts, which the simplifier and the sign oracle ask for the
        /// same subexpressions again and again. A change to the assumptions replaces the whole box, so an answer
        /// is never read under other assumptions. The tables are inline, so that a box is one allocation: every
        /// change makes a new box, and most boxes (the values in between while a theory loads) are never asked.
        let quickSigns = Mutex<[QuickSignKey: Sign]>([:])
        let intervals = Mutex<[QuickSignKey: Interval]>([:])
        let canonicalForms = Mutex<[Expr: Expr]>([:])
        let tidyForms = Mutex<[Expr: Expr]>([:])
        /// `Simplifier.simplify` of every subexpression, per mode, with how many levels below its own the
        /// computation went (see `Simplifier.simplify`).
        let subtreeForms = Mutex<[SubtreeKey: (Expr, Int)]>([:])
    }

    struct SubtreeKey: Hashable {
        var expression: Expr
        var mode: UInt8
    }

    struct QuickSignKey: Hashable {
        var expression: Expr
        var budget: Int
    }

    /// The sign `quickSign` gives for `e` with this budget, computed once per value of the assumptions.
    func rememberedQuickSign(_ e: Expr, budget: Int, _ compute: () -> Sign) -> Sign {
        hashCache.quickSigns.remembered(QuickSignKey(expression: e, budget: budget), compute)
    }
    /// The enclosure `interval(of:budget:)` gives for `e`, computed once per value of the assumptions.
    func rememberedInterval(_ e: Expr, budget: Int, _ compute: () -> Interval) -> Interval {
        hashCache.intervals.remembered(QuickSignKey(expression: e, budget: budget), compute)
    }
    /// The canonical form of `e` under these assumptions (`Expr.simplified`), computed once.
    func canonicalForm(_ e: Expr, _ compute: () -> Expr) -> Expr { hashCache.canonicalForms.remembered(e, compute) }
    /// The tidy form of `e` under these assumptions (`Expr.tidied`), computed once.
    func tidyForm(_ e: Expr, _ compute: () -> Expr) -> Expr { hashCache.tidyForms.remembered(e, compute) }
    /// A subexpression's simplification in a memoized mode, with the levels its computation went below it.
    func rememberedSubtree(_ e: Expr, mode: UInt8) -> (Expr, Int)? {
        hashCache.subtreeForms.withLock { $0[SubtreeKey(expression: e, mode: mode)] }
    }
    func rememberSubtree(_ e: Expr, mode: UInt8, _ value: (Expr, Int)) {
        hashCache.subtreeForms.withLock { $0[SubtreeKey(expression: e, mode: mode)] = value }
    }

    /// `allFactsIncludingLogs()`, each with its linear terms, once per value.
    func linearFactTerms() -> [(Fact, [Expr: Rational])] {
        if let known = hashCache.linearFacts.withLock({ $0 }) { return known }
        let computed = allFactsIncludingLogs().map { ($0, Assumptions.linearTerms($0.expression)) }
        hashCache.linearFacts.withLock { $0 = computed }
        return computed
    }

    public func hash(into hasher: inout Hasher) {
        var v = hashCache.value
        if v == 0 {
            var h = Hasher()
            h.combine(symbols)
            h.combine(facts)
            v = h.finalize()
            hashCache.value = v
        }
        hasher.combine(v)
    }

    public static func == (a: Assumptions, b: Assumptions) -> Bool {
        if a.hashCache === b.hashCache { return true }
        let x = a.hashCache.value, y = b.hashCache.value
        if x != 0 && y != 0 && x != y { return false }
        return a.symbols == b.symbols && a.facts == b.facts
    }

    public init() {}

    public func facts(for name: String) -> SymbolFacts? { symbols[name] }
    public func isDeclared(_ name: String) -> Bool { symbols[name] != nil }
    /// Every declared symbol, sorted.
    public var declaredSymbols: [String] { symbols.keys.sorted() }
    public func isInteger(_ name: String) -> Bool { symbols[name]?.domain == .integer }
    public func interval(ofSymbol name: String) -> Interval { symbols[name]?.interval ?? .everything }

    /// Declare a symbol (idempotent); an integer declaration rounds existing bounds inward.
    public mutating func declare(_ name: String, domain: NumberDomain = .real, meaning: String? = nil,
                                 origin: Origin? = nil) throws(AssumptionError) {
        var entry = symbols[name] ?? SymbolFacts()
        let integerOrigin = origin ?? Origin("\(name) is an integer")
        if domain == .integer && entry.domain != .integer { entry.domain = .integer; entry.domainOrigin = integerOrigin }
        if let meaning { entry.meaning = meaning }
        symbols[name] = entry
        try tighten(name, with: entry.interval, origin: integerOrigin)
        try propagate()
    }

    /// Record `lhs op rhs` for the strict and non-strict orders and equality.
    /// A symbol compared with a number becomes a bound on that symbol; anything else becomes a fact.
    public mutating func assume(_ lhs: Expr, _ op: RelationOperator, _ rhs: Expr,
                                origin: Origin) throws(AssumptionError) {
        switch op {
        case .less: try assumeNonnegative(Expr.add([rhs, Expr.negate(lhs)]), strict: true, origin: origin)
        case .lessEqual: try assumeNonnegative(Expr.add([rhs, Expr.negate(lhs)]), strict: false, origin: origin)
        case .greater: try assumeNonnegative(Expr.add([lhs, Expr.negate(rhs)]), strict: true, origin: origin)
        case .greaterEqual: try assumeNonnegative(Expr.add([lhs, Expr.negate(rhs)]), strict: false, origin: origin)
        case .equal:
            try assumeNonnegative(Expr.add([lhs, Expr.negate(rhs)]), strict: false, origin: origin)
            try assumeNonnegative(Expr.add([rhs, Expr.negate(lhs)]), strict: false, origin: origin)
        case .asymptoticLessEqual, .asymptoticGreaterEqual, .asymptoticEqual:
            throw AssumptionError(message: "an assumption must be an exact relation (<, <=, =, >=, >), not '\(op.rawValue)'",
                                  location: origin.location)
        }
    }

    /// Record `expression >= 0` (or `> 0`).
    public mutating func assumeNonnegative(_ written: Expr, strict: Bool, origin: Origin) throws(AssumptionError) {
        // As a sum of terms: `alpha + gamma*log(E) < 0` arrives as -1*(alpha + gamma*log(E)) > 0, a single atom to
        // the sign oracle, which reads a fact by the terms it shares with the goal (alpha, gamma*log(E)): kept whole,
        // the fact would be stored and never used.
        let expression = Assumptions.distributingNumbers(written)
        // c*x + r >= 0 with a single symbol x and a number r is a bound on x.
        if let (name, coefficient, constant) = Assumptions.linearInOneSymbol(expression) {
            guard let bound = (-constant).dividing(by: coefficient) else { return }
            let interval = coefficient.isPositive
                ? Interval(lower: bound, lowerOpen: strict, upper: nil, upperOpen: true)
                : Interval(lower: nil, lowerOpen: true, upper: bound, upperOpen: strict)
            try tighten(name, with: interval, origin: origin)
            // A new bound travels along the relations already known (k <= M, then k >= 1, gives M >= 1).
            try propagate()
            return
        }
        if case .number(let value) = expression.shape {
            if value.isNegative || (strict && value.isZero) {
                throw AssumptionError(message: "the assumption \(origin) is false", location: origin.location)
            }
            return
        }
        for name in expression.freeSymbols where symbols[name] == nil { symbols[name] = SymbolFacts() }
        // A relation the others already refute (x < y after y < x; x + y > 0 with x, y < -1) is a contradiction.
        let known = quickSign(expression)
        if known == .negative || (strict && known.isNonpositive) {
            let others = clashingOrigins(expression).filter { $0 != Origin(origin.text, location: origin.location) }
            let clash = others.isEmpty ? "" : " with " + others.map(\.description).joined(separator: " and ")
            throw AssumptionError(
                message: "contradictory assumptions: \(origin) clashes\(clash): together they give \(expression) \(known.relationToZero)",
                location: origin.location)
        }
        facts.append(Fact(expression: expression, strict: strict, origin: origin))
        try propagate()
    }

    /// The facts the sign oracle may have used for `e`: the bounds of its symbols and the relations between them.
    private func clashingOrigins(_ e: Expr) -> [Origin] {
        let names = Set(e.freeSymbols)
        var result: [Origin] = []
        func add(_ o: Origin?) { for x in o?.allOrigins ?? [] where !result.contains(x) { result.append(x) } }
        for name in e.freeSymbols { add(symbols[name]?.lowerOrigin); add(symbols[name]?.upperOrigin) }
        for fact in facts where !names.isDisjoint(with: fact.expression.freeSymbols) { add(fact.origin) }
        return result
    }

    /// Intersect a symbol's interval with new bounds; an empty result is a contradiction naming both facts.
    private mutating func tighten(_ name: String, with bound: Interval, origin: Origin) throws(AssumptionError) {
        var entry = symbols[name] ?? SymbolFacts()
        var next = entry.interval.intersecting(bound)
        if entry.domain == .integer { next = Assumptions.roundedInward(next) }
        let previous = [entry.lowerOrigin, entry.upperOrigin].compactMap { $0 }
        if next.lower != entry.interval.lower || next.lowerOpen != entry.interval.lowerOpen { entry.lowerOrigin = origin }
        if next.upper != entry.interval.upper || next.upperOpen != entry.interval.upperOpen { entry.upperOrigin = origin }
        if next.isEmpty {
            let involved = previous.flatMap(\.allOrigins)
            let own = origin.allOrigins.first
            var others: [Origin] = []
            for o in involved + origin.allOrigins.dropFirst() where o != own && !others.contains(o) { others.append(o) }
            let clash = others.isEmpty ? "" : " with " + others.map(\.description).joined(separator: " and ")
            // Name the integer declaration too: integrality may be what leaves no value (k in (0, 1)).
            let integerFrom = entry.domainOrigin.flatMap { $0.text == origin.text ? nil : ", from \($0)" } ?? ""
            let domain = entry.domain == .integer ? " (an integer\(integerFrom))" : ""
            throw AssumptionError(
                message: "contradictory assumptions: \(origin) clashes\(clash): no value of \(name)\(domain) satisfies them",
                location: origin.location)
        }
        entry.interval = next
        symbols[name] = entry
    }

    /// Push numeric bounds through facts of the form `a - b >= 0` between two symbols, to a fixed point.
    private mutating func propagate() throws(AssumptionError) {
        for _ in 0..<8 {
            var changed = false
            for fact in facts {
                guard let (big, small) = Assumptions.differenceOfSymbols(fact.expression) else { continue }
                let bigInterval = interval(ofSymbol: big), smallInterval = interval(ofSymbol: small)
                if let l = smallInterval.lower {
                    let before = interval(ofSymbol: big)
                    let derived = Origin(fact.origin.text, location: fact.origin.location,
                                         premises: fact.origin.premises + [symbols[small]?.lowerOrigin].compactMap { $0 })
                    try tighten(big, with: Interval(lower: l, lowerOpen: smallInterval.lowerOpen || fact.strict, upper: nil, upperOpen: true), origin: derived)
                    if interval(ofSymbol: big) != before { changed = true }
                }
                if let u = bigInterval.upper {
                    let before = interval(ofSymbol: small)
                    let derived = Origin(fact.origin.text, location: fact.origin.location,
                                         premises: fact.origin.premises + [symbols[big]?.upperOrigin].compactMap { $0 })
                    try tighten(small, with: Interval(lower: nil, lowerOpen: true, upper: u, upperOpen: bigInterval.upperOpen || fact.strict), origin: derived)
                    if interval(ofSymbol: small) != before { changed = true }
                }
            }
            if !changed { return }
        }
    }

    static func roundedInward(_ i: Interval) -> Interval {
        var r = i
        if let l = i.lower {
            let f = Rational(l.floor)
            r.lower = (f == l && !i.lowerOpen) ? f : f + .one
            r.lowerOpen = false
        }
        if let u = i.upper {
            let f = Rational(u.floor)
            r.upper = (f == u && i.upperOpen) ? f - .one : f
            r.upperOpen = false
        }
        return r
    }

    /// `e` with numeric factors multiplied into sums, recursively (`-(a + 2*(b - c))` is `-a - 2*b + 2*c`): the same
    /// value wherever `e` has one (the same subterms occur), written as a sum of terms.
    public static func distributingNumbers(_ e: Expr) -> Expr {
        func terms(_ e: Expr, _ scale: Rational, _ out: inout [Expr]) {
            switch e.shape {
            case .number(let r): out.append(.number(scale * r))
            case .sum(let xs): for x in xs { terms(x, scale, &out) }
            case .product(let fs):
                var c = scale
                var rest: [Expr] = []
                for f in fs { if let r = f.numberValue { c = c * r } else { rest.append(f) } }
                if rest.count == 1, case .sum = rest[0].shape {
                    terms(rest[0], c, &out)
                } else if rest.isEmpty {
                    out.append(.number(c))
                } else {
                    out.append(c.isOne ? Expr.multiply(rest) : Expr.multiply([.number(c)] + rest))
                }
            default: out.append(scale.isOne ? e : Expr.multiply([.number(scale), e]))
            }
        }
        // Only a number times a sum changes anything; everything else is returned as written.
        func needed(_ e: Expr) -> Bool {
            switch e.shape {
            case .sum(let xs): return xs.contains(where: needed)
            case .product(let fs):
                let rest = fs.filter { $0.numberValue == nil }
                if rest.count == 1, case .sum = rest[0].shape { return true }
                return false
            default: return false
            }
        }
        guard needed(e) else { return e }
        var out: [Expr] = []
        terms(e, .one, &out)
        return Expr.add(out)
    }

    /// `c*x + r` → (x, c, r).
    static func linearInOneSymbol(_ e: Expr) -> (String, Rational, Rational)? {
        func term(_ t: Expr) -> (String, Rational)? {
            if case .symbol(let s) = t.shape { return (s, .one) }
            if case .product(let fs) = t.shape, fs.count == 2, case .number(let c) = fs[0].shape, case .symbol(let s) = fs[1].shape { return (s, c) }
            return nil
        }
        if let (s, c) = term(e) { return (s, c, .zero) }
        guard case .sum(let terms) = e.shape else { return nil }
        var found: (String, Rational)? = nil
        var constant = Rational.zero
        for t in terms {
            if case .number(let r) = t.shape { constant = constant + r; continue }
            guard found == nil, let st = term(t) else { return nil }
            found = st
        }
        guard let (s, c) = found, !c.isZero else { return nil }
        return (s, c, constant)
    }

    /// `a - b` → (a, b) for symbols a, b.
    static func differenceOfSymbols(_ e: Expr) -> (String, String)? {
        guard case .sum(let terms) = e.shape, terms.count == 2 else { return nil }
        var plus: String?, minus: String?
        for t in terms {
            if case .symbol(let s) = t.shape { plus = s }
            else if case .product(let fs) = t.shape, fs.count == 2, fs[0] == .minusOne, case .symbol(let s) = fs[1].shape { minus = s }
        }
        guard let plus, let minus else { return nil }
        return (plus, minus)
    }
}

public struct AssumptionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    public init(message: String, location: SourceLocation?) { self.message = message; self.location = location }
    public var description: String { location.map { "\($0): error: \(message)" } ?? "error: \(message)" }
}
