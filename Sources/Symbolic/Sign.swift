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
public struct SignResult: Sendable, CustomStringConvertible {
    public var sign: Sign
    public var reason: String
    public var description: String { "\(sign.rawValue): \(reason)" }
}

extension Assumptions {
    /// The sign of `expression` under these assumptions, with its reason.
    public func sign(of expression: Expression) -> SignResult {
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
    private func directSign(of expression: Expression) -> SignResult {
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

    public func isPositive(_ e: Expression) -> Bool { quickSign(e) == .positive }
    public func isNegative(_ e: Expression) -> Bool { quickSign(e) == .negative }
    public func isNonnegative(_ e: Expression) -> Bool { quickSign(e).isNonnegative }
    public func isNonpositive(_ e: Expression) -> Bool { quickSign(e).isNonpositive }

    /// The sign without building a reason string (the simplifier asks this often).
    public func quickSign(_ e: Expression) -> Sign {
        let s = interval(of: e).sign
        if s == .positive || s == .negative || s == .zero { return s }
        if let (byFacts, _) = signUsingFacts(e), byFacts != .unknown { return byFacts }
        let structural = structuralSign(e, depth: 0)
        if structural != .unknown && structural != s { return structural }
        return s
    }

    /// Signs combined through the tree where intervals lose the relations between symbols: a product's
    /// sign from its factors' signs, and `log(x)` from its split form (log(e*M/k) = 1 + log M - log k with
    /// the fact log M >= log k).
    func structuralSign(_ e: Expression, depth: Int) -> Sign {
        if depth > 6 { return .unknown }
        switch e.shape {
        case .product(let factors):
            var negative = false
            var mayBeZero = false
            for f in factors {
                var s = interval(of: f).sign
                if s == .unknown || s == .nonnegative || s == .nonpositive {
                    let t = structuralSign(f, depth: depth + 1)
                    if t != .unknown { s = t }
                }
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
            let s = interval(of: split).sign
            if s == .positive || s == .negative || s == .zero { return s }
            if let (byFacts, _) = signUsingFacts(split), byFacts != .unknown { return byFacts }
            return structuralSign(split, depth: depth + 1)
        case .sum(let terms):
            var signs: [Sign] = []
            for t in terms {
                var s = interval(of: t).sign
                if s != .positive && s != .negative && s != .zero {
                    let u = structuralSign(t, depth: depth + 1)
                    if u != .unknown { s = u }
                }
                signs.append(s)
            }
            if signs.allSatisfy({ $0.isNonnegative }) { return signs.contains(.positive) ? .positive : .nonnegative }
            if signs.allSatisfy({ $0.isNonpositive }) { return signs.contains(.negative) ? .negative : .nonpositive }
            return .unknown
        case .power(let base, _):
            let b = structuralSign(base, depth: depth + 1)
            return b == .positive ? .positive : .unknown
        default:
            return .unknown
        }
    }

    /// Why `structuralSign` gave `sign`: the signs of the parts it combined.
    private func structuralReason(_ e: Expression, _ sign: Sign) -> String {
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
            return "the base \(base) is positive ⟹ \(e) > 0"
        default:
            return "\(e) \(sign.relationToZero)"
        }
    }

    private func intervalReason(_ e: Expression, _ range: Interval) -> String {
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
    private func signUsingFacts(_ e: Expression) -> (Sign, Fact)? {
        signUsingFactsWithWitness(e).map { ($0.0, $0.1) }
    }

    /// The same, with λ and the rest (for the reason).
    private func signUsingFactsWithWitness(_ e: Expression) -> (Sign, Fact, Rational, Expression)? {
        if facts.isEmpty { return nil }
        let target = Assumptions.linearTerms(e)
        // A weak answer (>= 0) is kept while looking for the opposite one (<= 0): together they give 0 (x = y).
        var weak: (Sign, Fact, Rational, Expression)? = nil
        func found(_ answer: (Sign, Fact, Rational, Expression)) -> (Sign, Fact, Rational, Expression)? {
            if answer.0 == .positive || answer.0 == .negative { return answer }
            if let w = weak, w.0 != answer.0 { return (.zero, w.1, w.2, w.3) }
            if weak == nil { weak = answer }
            return nil
        }
        for fact in allFactsIncludingLogs() {
            let factTerms = Assumptions.linearTerms(fact.expression)
            // Find λ from a term the two share.
            guard let (key, c) = factTerms.first(where: { !$0.key.isNumber && target[$0.key] != nil }),
                  let ce = target[key], let lambda = ce.dividing(by: c) else { continue }
            var rest = target
            for (k, v) in factTerms { rest[k, default: .zero] = rest[k, default: .zero] - lambda * v }
            let restExpression = Expression.add(rest.filter { !$0.value.isZero }.map { Expression.multiply([.number($0.value), $0.key]) })
            let restSign = interval(of: restExpression).sign
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
    private func allFactsIncludingLogs() -> [Fact] {
        var all = facts
        for fact in facts {
            guard let (a, b) = Assumptions.differenceOfSymbols(fact.expression),
                  interval(ofSymbol: a).sign == .positive, interval(ofSymbol: b).sign == .positive else { continue }
            all.append(Fact(expression: Expression.add([.log(.symbol(a)), Expression.negate(.log(.symbol(b)))]),
                            strict: fact.strict, origin: fact.origin))
        }
        return all
    }

    /// A sum as `term → coefficient` (numbers under the key `1`).
    static func linearTerms(_ e: Expression) -> [Expression: Rational] {
        var result: [Expression: Rational] = [:]
        let terms: [Expression]
        if case .sum(let ts) = e.shape { terms = ts } else { terms = [e] }
        for t in terms {
            switch t.shape {
            case .number(let r): result[.one, default: .zero] = result[.one, default: .zero] + r
            case .product(let fs):
                if case .number(let c) = fs[0].shape {
                    result[Expression.multiply(Array(fs.dropFirst())), default: .zero] =
                        result[Expression.multiply(Array(fs.dropFirst())), default: .zero] + c
                } else {
                    result[t, default: .zero] = result[t, default: .zero] + .one
                }
            default: result[t, default: .zero] = result[t, default: .zero] + .one
            }
        }
        return result
    }

    /// A sound enclosure of every value `e` takes under the assumptions (where it is defined).
    public func interval(of e: Expression) -> Interval {
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
                total = total + interval(of: t)
                if total.lower == nil && total.upper == nil { return .everything }
            }
            return total
        case .product(let factors):
            var total = Interval.point(.one)
            for f in factors { total = total * interval(of: f) }
            return total
        case .power(let base, let exponent):
            return powerInterval(base, exponent)
        case .log(let x):
            return logInterval(interval(of: x))
        case .min(let xs):
            return xs.map { interval(of: $0) }.reduce(nil) { acc, i in
                guard let acc else { return i }
                return Interval.minimum(acc, i)
            } ?? .everything
        case .max(let xs):
            return xs.map { interval(of: $0) }.reduce(nil) { acc, i in
                guard let acc else { return i }
                return Interval.maximum(acc, i)
            } ?? .everything
        case .apply:
            return .everything
        case .binom(let n, let k):
            // binom(n, k) >= 1 for integers 0 <= k <= n; the evaluator rejects k > n.
            if interval(of: k).sign.isNonnegative && interval(of: n).sign.isNonnegative {
                return Interval(lower: .one, lowerOpen: false, upper: nil, upperOpen: true)
            }
            return .everything
        }
    }

    private func powerInterval(_ base: Expression, _ exponent: Expression) -> Interval {
        let b = interval(of: base)
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
        // A negative base is allowed only with an integer exponent (see `Expression.evaluate`). A literal
        // non-integer exponent rules it out; a symbolic exponent does not (x^m with m = 3 is negative for x < 0).
        if !b.sign.isNonnegative && !exponent.isNumber { return .everything }
        let x = interval(of: exponent)
        let clipped = b.intersecting(.nonnegative)
        if clipped.isEmpty { return .everything }
        let one = Rational.one
        let baseAtLeastOne = clipped.lower.map { $0 >= one } ?? false
        let baseAtMostOne = clipped.upper.map { $0 <= one } ?? false
        let basePositive = clipped.sign == .positive
        let xs = x.sign
        var result = basePositive ? Interval.positive : Interval.nonnegative
        if basePositive && ((baseAtLeastOne && xs.isNonnegative) || (baseAtMostOne && xs.isNonpositive)) {
            result = Interval(lower: one, lowerOpen: false, upper: nil, upperOpen: true)
        } else if basePositive && ((baseAtLeastOne && xs.isNonpositive) || (baseAtMostOne && xs.isNonnegative)) {
            result = Interval(lower: .zero, lowerOpen: true, upper: one, upperOpen: false)
        }
        if case .number(let r) = exponent.shape, r.isPositive, let lo = clipped.lower, let hi = clipped.upper {
            // Monotone increasing in the base: bound through doubles with an outward margin.
            let l = Interval.outward(pow(lo.doubleValue, r.doubleValue), down: true)
            let h = Interval.outward(pow(hi.doubleValue, r.doubleValue), down: false)
            if let l, let h { result = result.intersecting(Interval(lower: l, lowerOpen: false, upper: h, upperOpen: false)) }
        }
        return result
    }

    private func logInterval(_ x: Interval) -> Interval {
        let positive = x.intersecting(.positive)
        if positive.isEmpty { return .everything }
        var lower: Rational? = nil, upper: Rational? = nil
        var lowerOpen = true, upperOpen = true
        if let l = positive.lower, l.isPositive {
            if l.isOne { lower = .zero; lowerOpen = positive.lowerOpen }
            else if let v = Interval.outward(Foundation.log(l.doubleValue), down: true) {
                lower = v; lowerOpen = false
                if l > .one, !v.isPositive { lower = .zero; lowerOpen = true }
            }
        }
        if let u = positive.upper {
            if u.isOne { upper = .zero; upperOpen = positive.upperOpen }
            else if let v = Interval.outward(Foundation.log(u.doubleValue), down: false) {
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

    /// A rational just below (or above) a double, with a relative margin wide enough to absorb libm error.
    static func outward(_ value: Double, down: Bool) -> Rational? {
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        let margin = max(abs(value) * 1e-9, 1e-12)
        let shifted = down ? value - margin : value + margin
        let scaled = (shifted * 1e12).rounded(down ? .down : .up)
        guard abs(scaled) < 9e18, let n = Int(exactly: scaled) else { return nil }
        return Rational(numerator: BigInt(n), denominator: BigInt(1_000_000_000_000))
    }
}
