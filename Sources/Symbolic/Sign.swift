import Foundation

/// What is known of the sign of an expression. `unknown` is an answer, not a failure: callers that need a
/// sign they cannot get keep the expression as it is, or return the condition to the user.
public enum Sign: String, Sendable, Hashable {
    case positive, nonnegative, zero, nonpositive, negative, nonzero, unknown

    public var isPositive: Bool { self == .positive }
    public var isNegative: Bool { self == .negative }
    public var isNonnegative: Bool { self == .positive || self == .nonnegative || self == .zero }
    public var isNonpositive: Bool { self == .negative || self == .nonpositive || self == .zero }
    public var isNonzero: Bool { self == .positive || self == .negative || self == .nonzero }

    public var negated: Sign {
        switch self {
        case .positive: return .negative
        case .negative: return .positive
        case .nonnegative: return .nonpositive
        case .nonpositive: return .nonnegative
        default: return self
        }
    }

    /// The relation `x ? 0` this sign asserts, for messages.
    public var relationToZero: String {
        switch self {
        case .positive: return "> 0"
        case .nonnegative: return ">= 0"
        case .zero: return "= 0"
        case .nonpositive: return "<= 0"
        case .negative: return "< 0"
        case .nonzero: return "!= 0"
        case .unknown: return "of unknown sign"
        }
    }
}

/// A sign with the reason it holds, as mathlib's positivity extension returns a proof.
///
/// The reason is built only when read: most sign queries (the simplifier's, the kernel's searches) need the sign
/// alone, and rendering the explanation costs more than finding the sign.
public struct SignResult: Sendable, CustomStringConvertible {
    public var sign: Sign
    private let explain: @Sendable () -> String
    public var reason: String { explain() }
    public var description: String { "\(sign.rawValue): \(reason)" }

    public init(sign: Sign, reason: @autoclosure @escaping @Sendable () -> String) {
        self.sign = sign
        self.explain = reason
    }
}

extension Assumptions {
    /// The sign of `expression` under these assumptions, with its reason.
    public func sign(of expression: Expr) -> SignResult {
        let direct = directSign(of: expression)
        if direct.sign != .unknown && direct.sign != .nonnegative && direct.sign != .nonpositive { return direct }
        // Intervals lose the correlation between terms (d/(2*beta + d) - 1); the canonical form may not.
        // It equals the expression wherever the expression is defined, so its sign is the expression's.
        let canonical = Simplifier(assumptions: self).simplify(expression)
        guard canonical != expression else { return direct }
        let viaCanonical = directSign(of: canonical)
        if viaCanonical.sign == .unknown || viaCanonical.sign == direct.sign
            || (direct.sign != .unknown && !(viaCanonical.sign == .positive || viaCanonical.sign == .negative || viaCanonical.sign == .zero)) {
            return direct
        }
        return SignResult(sign: viaCanonical.sign, reason: "\(expression) = \(canonical), and \(viaCanonical.reason)")
    }

    /// The sign from intervals, facts and structure, without rewriting the expression.
    private func directSign(of expression: Expr) -> SignResult {
        let range = interval(of: expression)
        let byIntervals = range.sign
        if byIntervals != .unknown && byIntervals != .nonnegative && byIntervals != .nonpositive {
            return SignResult(sign: byIntervals, reason: intervalReason(expression, range))
        }
        // Relations between symbols (k <= M) are invisible to intervals; try subtracting one fact.
        if let (sign, fact, lambda, rest) = signUsingFactsWithWitness(expression), sign != .unknown {
            if byIntervals == .unknown || sign == .positive || sign == .negative {
                let multiple = lambda.isOne ? "(\(fact.expression))" : "\(lambda)*(\(fact.expression))"
                let restText = rest == .zero ? "" : " + \(rest), with \(rest) ∈ \(interval(of: rest))"
                return SignResult(sign: sign, reason: "\(fact.origin) gives \(fact.expression) \(fact.strict ? ">" : ">=") 0, and \(expression) = \(multiple)\(restText) ⟹ \(expression) \(sign.relationToZero)")
            }
        }
        // Through the tree, where intervals forget relations (log(e*M/k) = 1 + log(M) - log(k) with k <= M).
        let structural = structuralSign(expression, depth: 0)
        if structural != .unknown && structural != byIntervals {
            return SignResult(sign: structural, reason: structuralReason(expression, structural))
        }
        if byIntervals != .unknown {
            return SignResult(sign: byIntervals, reason: intervalReason(expression, range))
        }
        return SignResult(sign: .unknown, reason: "the assumptions bound \(expression) only to \(range)")
    }

    public func isPositive(_ e: Expr) -> Bool { quickSign(e) == .positive }
    public func isNegative(_ e: Expr) -> Bool { quickSign(e) == .negative }
    public func isNonnegative(_ e: Expr) -> Bool { quickSign(e).isNonnegative }
    public func isNonpositive(_ e: Expr) -> Bool { quickSign(e).isNonpositive }

    /// The sign without building a reason string (the simplifier asks this often).
    /// `budget` bounds the nesting of fact-based signs inside power intervals (an exponent's sign from the
    /// facts, whose remainders hold powers whose exponents are signed from the facts, ...), which can cycle.
    public func quickSign(_ e: Expr, budget: Int = 2) -> Sign {
        switch e.shape {
        case .number, .symbol, .constant: return uncachedQuickSign(e, budget: budget)
        default: return rememberedQuickSign(e, budget: budget) { uncachedQuickSign(e, budget: budget) }
        }
    }

    private func uncachedQuickSign(_ e: Expr, budget: Int) -> Sign {
        let s = interval(of: e, budget: budget).sign
        if s == .positive || s == .negative || s == .zero { return s }
        if let (byFacts, _) = signUsingFacts(e, budget: budget), byFacts != .unknown { return byFacts }
        let structural = structuralSign(e, depth: 0, budget: budget)
        if structural != .unknown && structural != s { return structural }
        return s
    }

    /// Signs combined through the tree where intervals lose the relations between symbols: a product's
    /// sign from its factors' signs, and `log(x)` from its split form (log(e*M/k) = 1 + log M - log k with
    /// the fact log M >= log k).
    func structuralSign(_ e: Expr, depth: Int, budget: Int = 2) -> Sign {
        if depth > 6 { return .unknown }
        switch e.shape {
        case .product(let factors):
            var negative = false
            var mayBeZero = false
            for f in factors {
                var s = interval(of: f, budget: budget).sign
                if s == .unknown || s == .nonnegative || s == .nonpositive {
                    let t = structuralSign(f, depth: depth + 1, budget: budget)
                    if t != .unknown { s = t }
                }
                // A factor like 2*beta - d is signed by a fact (2*beta >= d) that intervals cannot see.
                if s == .unknown, let (byFacts, _) = signUsingFacts(f, budget: budget), byFacts != .unknown { s = byFacts }
                switch s {
                case .positive: break
                case .negative: negative.toggle()
                case .nonnegative: mayBeZero = true
                case .nonpositive: mayBeZero = true; negative.toggle()
                case .zero: return .zero
                default: return .unknown
                }
            }
            if mayBeZero { return negative ? .nonpositive : .nonnegative }
            return negative ? .negative : .positive
        case .log:
            let split = Simplifier(assumptions: self).simplify(e)
            if split == e { return .unknown }
            let s = interval(of: split, budget: budget).sign
            if s == .positive || s == .negative || s == .zero { return s }
            if let (byFacts, _) = signUsingFacts(split, budget: budget), byFacts != .unknown { return byFacts }
            return structuralSign(split, depth: depth + 1, budget: budget)
        case .sum(let terms):
            var signs: [Sign] = []
            for t in terms {
                var s = interval(of: t, budget: budget).sign
                if s != .positive && s != .negative && s != .zero {
                    let u = structuralSign(t, depth: depth + 1, budget: budget)
                    if u != .unknown { s = u }
                }
                signs.append(s)
            }
            if signs.allSatisfy({ $0.isNonnegative }) { return signs.contains(.positive) ? .positive : .nonnegative }
            if signs.allSatisfy({ $0.isNonpositive }) { return signs.contains(.negative) ? .negative : .nonpositive }
            return .unknown
        case .power(let base, let x):
            // The base's sign with its facts ((hi - lo)^2 > 0 from lo < hi), then the exponent's parity.
            var b = interval(of: base, budget: budget).sign
            if b != .positive && b != .negative {
                let t = structuralSign(base, depth: depth + 1, budget: budget)
                if t != .unknown { b = t }
                if b != .positive && b != .negative, let (byFacts, _) = signUsingFacts(base, budget: budget), byFacts != .unknown { b = byFacts }
            }
            if b == .positive { return .positive }
            if let r = x.numberValue, r.isInteger {
                if r.numerator.isEven { return b.isNonzero ? .positive : (r.isPositive ? .nonnegative : .unknown) }
                if b == .negative { return .negative }
            }
            if b.isNonnegative, x.numberValue?.isPositive == true { return .nonnegative }
            return .unknown
        default:
            return .unknown
        }
    }

    /// Why `structuralSign` gave `sign`: the signs of the parts it combined.
    private func structuralReason(_ e: Expr, _ sign: Sign) -> String {
        switch e.shape {
        case .log:
            let split = Simplifier(assumptions: self).simplify(e)
            return "\(e) = \(split), and \(self.sign(of: split).reason)"
        case .product(let parts), .sum(let parts):
            var what = "factor"
            if case .sum = e.shape { what = "term" }
            let each = parts.map { "\($0) \(quickSign($0).relationToZero)" }.joined(separator: ", ")
            return "each \(what) has a known sign (\(each)) ⟹ \(e) \(sign.relationToZero)"
        case .power(let base, _):
            return "the base \(base) is \(quickSign(base).relationToZero) ⟹ \(e) \(sign.relationToZero)"
        default:
            return "\(e) \(sign.relationToZero)"
        }
    }

    private func intervalReason(_ e: Expr, _ range: Interval) -> String {
        let used = e.freeSymbols.compactMap { name -> String? in
            guard let f = symbols[name] else { return nil }
            let origins = Set([f.lowerOrigin, f.upperOrigin].compactMap { $0 }.flatMap(\.allOrigins).map(\.text)).sorted()
            let why = origins.isEmpty ? "" : " from " + origins.map { "'\($0)'" }.joined(separator: ", ")
            return "\(name) ∈ \(f.interval)\(why)"
        }
        let premises = used.isEmpty ? "" : used.joined(separator: "; ") + " ⟹ "
        return "\(premises)\(e) ∈ \(range)"
    }

    /// Try `e = λ·fact + rest` for one fact and a rest whose interval has a known sign.
    private func signUsingFacts(_ e: Expr, budget: Int = 2) -> (Sign, Fact)? {
        signUsingFactsWithWitness(e, budget: budget).map { ($0.0, $0.1) }
    }

    /// The same, with λ and the rest (for the reason).
    private func signUsingFactsWithWitness(_ e: Expr, budget: Int = 2) -> (Sign, Fact, Rational, Expr)? {
        if facts.isEmpty { return nil }
        let target = Assumptions.linearTerms(e)
        // A weak answer (>= 0) is kept while looking for the opposite one (<= 0): together they give 0 (x = y).
        var weak: (Sign, Fact, Rational, Expr)? = nil
        func found(_ answer: (Sign, Fact, Rational, Expr)) -> (Sign, Fact, Rational, Expr)? {
            if answer.0 == .positive || answer.0 == .negative { return answer }
            if let w = weak, w.0 != answer.0 { return (.zero, w.1, w.2, w.3) }
            if weak == nil { weak = answer }
            return nil
        }
        for (fact, factTerms) in linearFactTerms() {
            // Find λ from a term the two share.
            guard let (key, c) = factTerms.first(where: { !$0.key.isNumber && target[$0.key] != nil }),
                  let ce = target[key], let lambda = ce.dividing(by: c) else { continue }
            var rest = target
            for (k, v) in factTerms { rest[k, default: .zero] = rest[k, default: .zero] - lambda * v }
            let restExpression = Expr.add(rest.filter { !$0.value.isZero }.map { Expr.multiply([.number($0.value), $0.key]) })
            let restSign = interval(of: restExpression, budget: budget).sign
            if lambda.isPositive {
                // e = λ·f + rest with λ·f >= 0 (or > 0).
                if restSign == .positive || (restSign.isNonnegative && fact.strict) { return (.positive, fact, lambda, restExpression) }
                if restSign.isNonnegative, let answer = found((.nonnegative, fact, lambda, restExpression)) { return answer }
            } else {
                if restSign == .negative || (restSign.isNonpositive && fact.strict) { return (.negative, fact, lambda, restExpression) }
                if restSign.isNonpositive, let answer = found((.nonpositive, fact, lambda, restExpression)) { return answer }
            }
        }
        return weak
    }

    /// Facts plus `log a - log b >= 0` for each `a - b >= 0` between positive symbols (log is increasing).
    func allFactsIncludingLogs() -> [Fact] {
        var all = facts
        for fact in facts {
            guard let (a, b) = Assumptions.differenceOfSymbols(fact.expression),
                  interval(ofSymbol: a).sign == .positive, interval(ofSymbol: b).sign == .positive else { continue }
            all.append(Fact(expression: Expr.add([.log(.symbol(a)), Expr.negate(.log(.symbol(b)))]),
                            strict: fact.strict, origin: fact.origin))
        }
        return all
    }

    /// A sum as `term → coefficient` (numbers under the key `1`).
    static func linearTerms(_ e: Expr) -> [Expr: Rational] {
        var result: [Expr: Rational] = [:]
        let terms: [Expr]
        if case .sum(let ts) = e.shape { terms = ts } else { terms = [e] }
        for t in terms {
            switch t.shape {
            case .number(let r): result[.one, default: .zero] = result[.one, default: .zero] + r
            case .product(let fs):
                if case .number(let c) = fs[0].shape {
                    result[Expr.multiply(Array(fs.dropFirst())), default: .zero] =
                        result[Expr.multiply(Array(fs.dropFirst())), default: .zero] + c
                } else {
                    result[t, default: .zero] = result[t, default: .zero] + .one
                }
            default: result[t, default: .zero] = result[t, default: .zero] + .one
            }
        }
        return result
    }

    /// A sound enclosure of every value `e` takes under the assumptions (where it is defined).
    public func interval(of e: Expr, budget: Int = 2) -> Interval {
        switch e.shape {
        case .number, .symbol, .constant: return uncachedInterval(of: e, budget: budget)
        default: return rememberedInterval(e, budget: budget) { uncachedInterval(of: e, budget: budget) }
        }
    }

    private func uncachedInterval(of e: Expr, budget: Int) -> Interval {
        switch e.shape {
        case .number(let r): return .point(r)
        case .symbol(let name): return interval(ofSymbol: name)
        case .constant(let c):
            switch c {
            case .e: return Interval(lower: Rational(literal: "2.718281")!, lowerOpen: true, upper: Rational(literal: "2.718282")!, upperOpen: true)
            case .pi: return Interval(lower: Rational(literal: "3.141592")!, lowerOpen: true, upper: Rational(literal: "3.141593")!, upperOpen: true)
            }
        case .sum(let terms):
            var total = Interval.point(.zero)
            for t in terms {
                total = total + interval(of: t, budget: budget)
                if total.lower == nil && total.upper == nil { return .everything }
            }
            return total
        case .product(let factors):
            var total = Interval.point(.one)
            for f in factors { total = total * interval(of: f, budget: budget) }
            return total
        case .power(let base, let exponent):
            return powerInterval(base, exponent, budget: budget)
        case .log(let x):
            return logInterval(interval(of: x, budget: budget))
        case .min(let xs):
            return xs.map { interval(of: $0, budget: budget) }.reduce(nil) { acc, i in
                guard let acc else { return i }
                return Interval.minimum(acc, i)
            } ?? .everything
        case .max(let xs):
            return xs.map { interval(of: $0, budget: budget) }.reduce(nil) { acc, i in
                guard let acc else { return i }
                return Interval.maximum(acc, i)
            } ?? .everything
        case .apply:
            return .everything
        case .binom(let n, let k):
            // binom(n, k) >= 1 for integers 0 <= k <= n; the evaluator rejects k > n.
            if interval(of: k, budget: budget).sign.isNonnegative && interval(of: n, budget: budget).sign.isNonnegative {
                return Interval(lower: .one, lowerOpen: false, upper: nil, upperOpen: true)
            }
            return .everything
        }
    }

    private func powerInterval(_ base: Expr, _ exponent: Expr, budget: Int) -> Interval {
        let b = interval(of: base, budget: budget)
        if case .number(let r) = exponent.shape, r.isInteger {
            if let n = r.asInt, n.magnitude <= 64 { return b.power(n) }
            if !b.sign.isNonnegative {
                // Too large to bound through endpoints: keep the sign only.
                let nonzero = b.sign == .negative
                if r.numerator.quotientAndRemainder(dividingBy: BigInt(2)).remainder.isZero { return nonzero ? .positive : .nonnegative }
                if b.sign.isNonpositive { return nonzero ? -Interval.positive : -Interval.nonnegative }
                return .everything
            }
        }
        // A negative base is allowed only with an integer exponent (see `Expr.evaluate`). A literal
        // non-integer exponent rules it out; a symbolic exponent does not (x^m with m = 3 is negative for x < 0).
        if !b.sign.isNonnegative && !exponent.isNumber { return .everything }
        let x = interval(of: exponent, budget: budget)
        if !exponent.isNumber, b.sign == .positive, let bl = b.lower, let bu = b.upper, let xl = x.lower, let xu = x.upper {
            // b^x = exp(x·log b) with x·log b bilinear in (x, log b): over a box its extremes are at the corners.
            let corners = [(bl, xl), (bl, xu), (bu, xl), (bu, xu)]
            let lows = corners.map { Interval.powerBound($0.0, $0.1, down: true) }
            let highs = corners.map { Interval.powerBound($0.0, $0.1, down: false) }
            if lows.allSatisfy({ $0 != nil }), highs.allSatisfy({ $0 != nil }) {
                let low = lows.compactMap { $0 }.min()!, high = highs.compactMap { $0 }.max()!
                return Interval(lower: Swift.max(low, .zero), lowerOpen: false, upper: high, upperOpen: false)
            }
        }
        let clipped = b.intersecting(.nonnegative)
        if clipped.isEmpty { return .everything }
        let one = Rational.one
        let baseAtLeastOne = clipped.lower.map { $0 >= one } ?? false
        let baseAtMostOne = clipped.upper.map { $0 <= one } ?? false
        let basePositive = clipped.sign == .positive
        // The exponent's sign may come from a fact (a - b with a <= b) that its interval does not show.
        var xs = x.sign
        if xs == .unknown, budget > 0 { xs = quickSign(exponent, budget: budget - 1) }
        var result = basePositive ? Interval.positive : Interval.nonnegative
        if basePositive && ((baseAtLeastOne && xs.isNonnegative) || (baseAtMostOne && xs.isNonpositive)) {
            result = Interval(lower: one, lowerOpen: false, upper: nil, upperOpen: true)
        } else if basePositive && ((baseAtLeastOne && xs.isNonpositive) || (baseAtMostOne && xs.isNonnegative)) {
            result = Interval(lower: .zero, lowerOpen: true, upper: one, upperOpen: false)
        }
        if case .number(let r) = exponent.shape, !r.isZero {
            // x^r is monotone in the base on [0, ∞): increasing for r > 0, decreasing for r < 0. Bound it at the
            // ends through doubles, with the base and the exponent rounded in the direction that can only widen
            // the bound, and a margin for libm's error (Interval.powerBound).
            let increasing = r.isPositive
            let atLower = clipped.lower.flatMap { Interval.powerBound($0, r, down: increasing) }
            let atUpper = clipped.upper.flatMap { Interval.powerBound($0, r, down: !increasing) }
            let low = increasing ? atLower : atUpper
            let high = increasing ? atUpper : (clipped.sign == .positive ? atLower : nil)
            result = result.intersecting(Interval(lower: low, lowerOpen: false, upper: high, upperOpen: false))
        }
        return result
    }

    private func logInterval(_ x: Interval) -> Interval {
        let positive = x.intersecting(.positive)
        if positive.isEmpty { return .everything }
        var lower: Rational? = nil, upper: Rational? = nil
        var lowerOpen = true, upperOpen = true
        // log is increasing: its value at the lower end rounded down, at the upper end rounded up. The argument
        // is rounded the same way first (a rational like 1 + 10^-20 is not a double).
        if let l = positive.lower, l.isPositive {
            if l.isOne { lower = .zero; lowerOpen = positive.lowerOpen }
            else if let v = Interval.outward(Foundation.log(l.doubleBelow), down: true) {
                lower = v; lowerOpen = false
                if l > .one, !v.isPositive { lower = .zero; lowerOpen = true }
            }
        }
        if let u = positive.upper {
            if u.isOne { upper = .zero; upperOpen = positive.upperOpen }
            else if let v = Interval.outward(Foundation.log(u.doubleAbove), down: false) {
                upper = v; upperOpen = false
                if u < .one, !v.isNegative { upper = .zero; upperOpen = true }
            }
        }
        return Interval(lower: lower, lowerOpen: lowerOpen, upper: upper, upperOpen: upperOpen)
    }
}

extension Interval {
    public static func minimum(_ a: Interval, _ b: Interval) -> Interval {
        func lowerLess(_ x: Interval, _ y: Interval) -> Bool {
            guard let xl = x.lower else { return true }
            guard let yl = y.lower else { return false }
            return xl < yl || (xl == yl && !x.lowerOpen)
        }
        func upperLess(_ x: Interval, _ y: Interval) -> Bool {
            guard let xu = x.upper else { return false }
            guard let yu = y.upper else { return true }
            return xu < yu || (xu == yu && x.upperOpen)
        }
        let lo = lowerLess(a, b) ? a : b
        let hi = upperLess(a, b) ? a : b
        return Interval(lower: lo.lower, lowerOpen: lo.lowerOpen, upper: hi.upper, upperOpen: hi.upperOpen)
    }

    public static func maximum(_ a: Interval, _ b: Interval) -> Interval {
        -minimum(-a, -b)
    }

    /// A rational at most (`down`) or at least a value that libm computed as `value`: the double moved outward by
    /// a relative margin of 2^-29 (glibc's pow and log are within a few ulps, 2^-50), then cut to 31 significant
    /// bits in the same direction, so that the rational stays small. Values below 2^-60 in magnitude become
    /// ∓2^-59, which also covers subnormal results that lost their relative precision. nil when not finite.
    static func outward(_ value: Double, down: Bool) -> Rational? {
        guard value.isFinite else { return nil }
        let tiny = 0x1p-59
        if value.magnitude < 0x1p-60 { return Rational(exactly: down ? -tiny : tiny) }
        let moved = down ? value - value.magnitude * 0x1p-29 : value + value.magnitude * 0x1p-29
        guard moved.isFinite else { return nil }
        // Clearing the low 21 mantissa bits rounds toward zero; step one grid unit away from zero when that is
        // the wrong direction (IEEE bit patterns of one sign are ordered like the values).
        let mask: UInt64 = (1 << 21) - 1
        let bits = moved.bitPattern
        var cut = Double(bitPattern: bits & ~mask)
        let towardZeroIsWrong = down ? moved < 0 : moved > 0
        if towardZeroIsWrong && cut != moved { cut = Double(bitPattern: (bits & ~mask) + (mask + 1)) }
        return Rational(exactly: cut)
    }

    /// A bound on `base^exponent` (base >= 0, exponent a nonzero rational): at most the true value when `down`, at
    /// least it otherwise; nil when the double computation overflows. The base is rounded toward the bound's side
    /// (down for a positive exponent's lower bound, up for a negative exponent's), then the exponent the same way
    /// for the rounded base (a base above 1 grows with the exponent, one below 1 shrinks).
    static func powerBound(_ base: Rational, _ exponent: Rational, down: Bool) -> Rational? {
        // Exact where it can be: 0^r, 1^r, and roots that are rational (4^(3/2) = 8).
        if base.isZero && exponent.isPositive { return .zero }
        if base.isOne { return .one }
        if let q = exponent.denominator.asInt, q <= 64, let p = exponent.numerator.asInt, p.magnitude <= 64,
           let root = base.exactRoot(q), let exact = root.power(p) {
            return exact
        }
        let baseDown = exponent.isPositive ? down : !down
        let b = baseDown ? base.doubleBelow : base.doubleAbove
        guard b >= 0 else { return nil }
        let growsWithExponent = b >= 1
        let x = (down == growsWithExponent) ? exponent.doubleBelow : exponent.doubleAbove
        let v = Foundation.pow(b, x)
        return outward(v, down: down)
    }
}
