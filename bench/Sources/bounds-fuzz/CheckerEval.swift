import Foundation
import Symbolic

// Checker soundness fuzzing, part 3: evaluating claims with the quantities replaced by their models. Three
// evaluators: exact rationals (where the expression is rational-only at a rational point), `Expr.evaluate`
// (Double) with the simplifier fuzzer's rounding analysis for suspicious points, and a log-domain evaluator
// (sign, log|value|, error bound) that follows a family far beyond Double's range (n = e^(2^40)).

// MARK: - Inlining models and definitions

struct Inliner {
    let quantities: [String: CQuantity]
    let definitions: [String: Expr]

    init(_ c: CheckerCase) {
        var qs: [String: CQuantity] = [:]
        for q in c.quantities { qs[q.name] = q }
        quantities = qs
        var ds: [String: Expr] = [:]
        if let d = c.definition { ds[d.name] = d.value }
        definitions = ds
    }

    /// The expression over base symbols only; `arguments` collects each quantity application's inlined argument
    /// with the quantity (so that a point where the argument leaves its domain is not blamed on the kernel).
    func inline(_ e: Expr, arguments: inout [(Expr, String)]) -> Expr {
        switch e.shape {
        case .symbol(let s):
            if let q = quantities[s], q.argument == nil { return q.model }
            if let d = definitions[s] { return inline(d, arguments: &arguments) }
            return e
        case .number, .constant: return e
        case .apply(let name, let args):
            let inner = args.map { inline($0, arguments: &arguments) }
            guard let q = quantities[name], let formal = q.argument, inner.count == 1 else { return .apply(name, inner) }
            arguments.append((inner[0], formal))
            return q.model.substituting([formal: inner[0]])
        default:
            return e.replacingChildren(e.children.map { inline($0, arguments: &arguments) })
        }
    }
}

// MARK: - Exact rational evaluation

enum RVal {
    case value(Rational)
    case undefined
    case notRational
}

enum RationalEval {
    static func eval(_ e: Expr, _ v: [String: Rational]) -> RVal {
        switch e.shape {
        case .number(let r): return .value(r)
        case .symbol(let s): return v[s].map { .value($0) } ?? .notRational
        case .constant: return .notRational
        case .sum(let xs):
            var acc = Rational.zero
            var rational = true
            for x in xs {
                switch eval(x, v) {
                case .undefined: return .undefined
                case .notRational: rational = false
                case .value(let r): if rational { acc = acc + r }
                }
            }
            return rational ? .value(acc) : .notRational
        case .product(let xs):
            var acc = Rational.one
            var rational = true
            for x in xs {
                switch eval(x, v) {
                case .undefined: return .undefined
                case .notRational: rational = false
                case .value(let r):
                    if rational {
                        guard let m = acc.multipliedWithinLimit(r) else { rational = false; continue }
                        acc = m
                    }
                }
            }
            return rational ? .value(acc) : .notRational
        case .min(let xs), .max(let xs):
            var values: [Rational] = []
            var rational = true
            for x in xs {
                switch eval(x, v) {
                case .undefined: return .undefined
                case .notRational: rational = false
                case .value(let r): values.append(r)
                }
            }
            guard rational else { return .notRational }
            if case .min = e.shape { return .value(values.min()!) }
            return .value(values.max()!)
        case .power(let b, let x):
            let bv = eval(b, v), xv = eval(x, v)
            if case .undefined = bv { return .undefined }
            if case .undefined = xv { return .undefined }
            guard case .value(let base) = bv else {
                return .notRational
            }
            guard case .value(let p) = xv else {
                // A negative base needs an integer exponent, 0 needs a known sign: not decidable here.
                return .notRational
            }
            if base.isZero {
                if p.isNegative { return .undefined }
                if p.isZero { return .value(.one) }
                return .value(.zero)
            }
            if p.isInteger {
                guard let n = p.asInt, n.magnitude <= 256, let r = base.power(n) else { return .notRational }
                return .value(r)
            }
            if base.isNegative { return .undefined }
            // A rational root, when exact and small.
            guard let q = p.denominator.asInt, q <= 12, let num = p.numerator.asInt, num.magnitude <= 64,
                  let root = base.exactRoot(q), let r = root.power(num) else { return .notRational }
            return .value(r)
        case .log(let x):
            switch eval(x, v) {
            case .undefined: return .undefined
            case .notRational: return .notRational
            case .value(let r):
                if !r.isPositive { return .undefined }
                return r.isOne ? .value(.zero) : .notRational
            }
        case .binom(let n, let k):
            let nv = eval(n, v), kv = eval(k, v)
            if case .undefined = nv { return .undefined }
            if case .undefined = kv { return .undefined }
            guard case .value(let nn) = nv, case .value(let kk) = kv else { return .notRational }
            if kk.isNegative || nn < kk { return .undefined }
            guard nn.isInteger, kk.isInteger, let ni = nn.asInt, let ki = kk.asInt, ni <= 400 else { return .notRational }
            var acc = Rational.one
            let kMin = min(ki, ni - ki)
            if kMin > 0 {
                for i in 1...kMin {
                    acc = acc * Rational(ni - kMin + i)
                    acc = acc.dividing(by: Rational(i)) ?? acc
                }
            }
            return .value(acc)
        case .apply: return .notRational
        }
    }
}

// MARK: - Log-domain numbers

/// sign · e^l, with `err` a bound on the error of l (a relative error of the value).
struct LogNum {
    var s: Int
    var l: Double
    var err: Double
    /// The exact value, when known (numbers, held values, and sums and products of them): exact cancellation
    /// (1 - x at x = 1) is then exact in the log domain too.
    var exact: Rational? = nil

    static let eps = 2.220446049250313e-16
    static let zero = LogNum(s: 0, l: -.infinity, err: 0)

    init(s: Int, l: Double, err: Double) { self.s = s; self.l = l; self.err = err }

    init(exact r: Rational) {
        self.init(r.doubleValue)
        if r.isZero { self = .zero }
        exact = r
    }

    init(_ d: Double) {
        if d == 0 { self = .zero; return }
        s = d > 0 ? 1 : -1
        l = Foundation.log(Swift.abs(d))
        err = LogNum.eps * (1 + Swift.abs(l))
    }

    /// The value as a Double (±inf or 0 out of range).
    var double: Double { s == 0 ? 0 : Double(s) * Foundation.exp(l) }

    var finite: Bool { s == 0 || l.isFinite }

    static func product(_ xs: [LogNum]) -> LogNum {
        if xs.allSatisfy({ $0.exact != nil }) {
            var acc = Rational.one
            var within = true
            for x in xs { if let m = acc.multipliedWithinLimit(x.exact!) { acc = m } else { within = false; break } }
            if within { return LogNum(exact: acc) }
        }
        var s = 1, l = 0.0, err = 0.0, mag = 0.0
        for x in xs {
            if x.s == 0 { return .zero }
            s *= x.s
            l += x.l
            err += x.err
            mag += Swift.abs(x.l)
        }
        return LogNum(s: s, l: l, err: err + LogNum.eps * (mag + Swift.abs(l) + 1))
    }

    /// nil when the sum cancels beyond its error bound (its sign or size unknown).
    static func sum(_ xs: [LogNum]) -> LogNum? {
        // Exact terms first, exactly.
        var exactSum = Rational.zero
        var inexact: [LogNum] = []
        for x in xs { if let r = x.exact { exactSum = exactSum + r } else { inexact.append(x) } }
        if inexact.isEmpty { return LogNum(exact: exactSum) }
        let nonzero = (inexact + (exactSum.isZero ? [] : [LogNum(exact: exactSum)])).filter { $0.s != 0 }
        guard let top = nonzero.map(\.l).max() else { return .zero }
        if nonzero.count == 1 { return nonzero[0] }
        var total = 0.0, weight = 0.0, errSum = 0.0
        for x in nonzero {
            let w = Foundation.exp(x.l - top)
            total += Double(x.s) * w
            weight += w
            errSum += w * (x.err + LogNum.eps * (2 + Swift.abs(x.l - top)))
        }
        let mag = Swift.abs(total)
        errSum += weight * LogNum.eps * Double(nonzero.count)
        guard mag > 0, errSum < 1e-3 * mag else { return nil }
        let l = top + Foundation.log(mag)
        return LogNum(s: total > 0 ? 1 : -1, l: l, err: errSum / mag + LogNum.eps * (1 + Swift.abs(l)))
    }

    /// Compare: -1, 0 (undecided within the errors, or equal), 1.
    static func compare(_ a: LogNum, _ b: LogNum) -> Int {
        if a.s != b.s { return a.s < b.s ? -1 : 1 }
        if a.s == 0 { return 0 }
        let d = a.l - b.l
        if Swift.abs(d) <= a.err + b.err { return 0 }
        return (d > 0) == (a.s > 0) ? 1 : -1
    }
}

enum LVal {
    case value(LogNum)
    case undefined
    case unreliable
}

enum LogEval {
    static func eval(_ e: Expr, _ v: [String: LogNum]) -> LVal {
        switch e.shape {
        case .number(let r): return .value(LogNum(exact: r))
        case .symbol(let s): return v[s].map { .value($0) } ?? .unreliable
        case .constant(let c): return .value(LogNum(c == .e ? M_E : Double.pi))
        case .sum(let xs), .product(let xs), .min(let xs), .max(let xs):
            var parts: [LogNum] = []
            var unreliable = false
            for x in xs {
                switch eval(x, v) {
                case .undefined: return .undefined
                case .unreliable: unreliable = true
                case .value(let a): parts.append(a)
                }
            }
            if unreliable { return .unreliable }
            switch e.shape {
            case .sum: return LogNum.sum(parts).map { .value($0) } ?? .unreliable
            case .product: return .value(LogNum.product(parts))
            default:
                let isMin: Bool
                if case .min = e.shape { isMin = true } else { isMin = false }
                var best = parts[0]
                for p in parts.dropFirst() {
                    let c = LogNum.compare(p, best)
                    if c == 0 { best.err = Swift.max(best.err, p.err) + Swift.abs(p.l - best.l) }
                    if (isMin && c < 0) || (!isMin && c > 0) { best = p }
                }
                return .value(best)
            }
        case .power(let b, let x):
            let xv = eval(x, v)
            let bv = eval(b, v)
            if case .undefined = xv { return .undefined }
            if case .undefined = bv { return .undefined }
            guard case .value(let p) = xv, case .value(let base) = bv else { return .unreliable }
            if let r = base.exact, let q = x.numberValue, let qi = q.asInt, qi.magnitude <= 64 {
                if r.isZero && qi < 0 { return .undefined }
                if let v = r.power(qi) { return .value(LogNum(exact: v)) }
            }
            let pd = p.double
            guard pd.isFinite else { return .unreliable }
            if b.isE {
                let l = pd
                return .value(LogNum(s: 1, l: l, err: Swift.abs(pd) * p.err + LogNum.eps * (1 + Swift.abs(l))))
            }
            if base.s == 0 {
                if base.err > 0 && base.l.isFinite { return .unreliable }
                if p.s < 0 { return .undefined }
                return .value(p.s == 0 ? LogNum(1) : .zero)
            }
            var sign = 1
            if base.s < 0 {
                let literal = x.numberValue
                if let r = literal {
                    guard r.isInteger else { return .undefined }
                    sign = r.numerator.isEven ? 1 : -1
                } else {
                    guard p.err == 0 || Swift.abs(pd) < 1e15, pd == pd.rounded(), Swift.abs(pd) < 9e15 else { return .unreliable }
                    sign = Int(pd.truncatingRemainder(dividingBy: 2)) == 0 ? 1 : -1
                }
            }
            let l = pd * base.l
            guard l.isFinite else { return .unreliable }
            let err = Swift.abs(pd) * base.err + Swift.abs(base.l) * Swift.abs(pd) * p.err + LogNum.eps * (1 + Swift.abs(l))
            return .value(LogNum(s: sign, l: l, err: err))
        case .log(let x):
            switch eval(x, v) {
            case .undefined: return .undefined
            case .unreliable: return .unreliable
            case .value(let a):
                if a.s <= 0 { return a.s == 0 && a.err > 0 && a.exact == nil ? .unreliable : .undefined }
                if let r = a.exact, r.isOne { return .value(LogNum(exact: .zero)) }
                if a.l == 0 { return a.err == 0 ? .value(.zero) : .unreliable }
                var r = LogNum(a.l)
                r.err += a.err / Swift.abs(a.l)
                return .value(r)
            }
        case .binom(let n, let k):
            guard case .value(let nv) = eval(n, v), case .value(let kv) = eval(k, v) else { return .unreliable }
            let nd = nv.double, kd = kv.double
            guard nd.isFinite, kd.isFinite else { return .unreliable }
            if kd < 0 || kd > nd { return .undefined }
            let l = lgamma(nd + 1) - lgamma(kd + 1) - lgamma(nd - kd + 1)
            let err = (Foundation.log(nd + 2) + 1) * nd * nv.err + (Foundation.log(kd + 2) + 1) * kd * kv.err + LogNum.eps * 16 * (1 + Swift.abs(l))
            return .value(LogNum(s: 1, l: l, err: err))
        case .apply: return .unreliable
        }
    }
}

// MARK: - Regions: where a claim is made

/// The admissible points of a claim: every symbol's domain, the relations between symbols, and the claim's
/// hypotheses (simple ones `x <= 1/2` tighten intervals; the others are checked and rejected).
struct Region {
    struct Bound { var value: Rational; var open: Bool }
    struct Var {
        var name: String
        var integer: Bool
        var lo: Bound?
        var hi: Bound?
        /// Symbols this one is at most (`k <= M`, `assume y <= M`).
        var bigs: [String]
        /// Symbols that are at most this one.
        var smalls: [String]
    }
    var vars: [Var]
    var general: [CHypothesis]

    init(_ c: CheckerCase, hypotheses: [CHypothesis]) {
        var byName: [String: Var] = [:]
        for s in c.symbols {
            byName[s.name] = Var(name: s.name, integer: s.integer, lo: s.lower.map { Bound(value: $0.0, open: $0.1) },
                                 hi: s.upper.map { Bound(value: $0.0, open: $0.1) }, bigs: [], smalls: [])
        }
        var rel: [(String, String)] = c.relations.map { ($0.small, $0.big) }
        for s in c.symbols { if let m = s.upperSymbol { rel.append((s.name, m)) } }
        for (small, big) in rel {
            byName[small]?.bigs.append(big)
            byName[big]?.smalls.append(small)
        }
        // small <= big: big is at least small's lower end, small at most big's upper end.
        for (small, big) in rel {
            guard var sv = byName[small], var bv = byName[big] else { continue }
            if let l = sv.lo, bv.lo == nil || l.value > bv.lo!.value { bv.lo = l }
            if let h = bv.hi, sv.hi == nil || h.value < sv.hi!.value { sv.hi = h }
            byName[small] = sv
            byName[big] = bv
        }
        var general: [CHypothesis] = []
        for h in hypotheses {
            if let name = h.lhs.symbolName, var v = byName[name], let r = h.rhs.numberValue {
                switch h.op {
                case .lessEqual, .less:
                    let open = h.op == .less
                    if v.hi == nil || r < v.hi!.value || (r == v.hi!.value && open) { v.hi = Bound(value: r, open: open) }
                case .greaterEqual, .greater:
                    let open = h.op == .greater
                    if v.lo == nil || r > v.lo!.value || (r == v.lo!.value && open) { v.lo = Bound(value: r, open: open) }
                default: general.append(h)
                }
                byName[name] = v
            } else {
                general.append(h)
            }
        }
        // Bigs before smalls.
        var order: [Var] = []
        var placed = Set<String>()
        var pending = c.symbols.map(\.name)
        while !pending.isEmpty {
            let before = pending.count
            pending.removeAll { name in
                let v = byName[name]!
                if v.bigs.allSatisfy(placed.contains) { order.append(v); placed.insert(name); return true }
                return false
            }
            if pending.count == before { for name in pending { order.append(byName[name]!) }; break }
        }
        vars = order
        self.general = general
    }

    func variable(_ name: String) -> Var? { vars.first { $0.name == name } }

    static func inside(_ x: Rational, lo: Bound?, hi: Bound?) -> Bool {
        if let lo { if x < lo.value || (lo.open && x == lo.value) { return false } }
        if let hi { if x > hi.value || (hi.open && x == hi.value) { return false } }
        return true
    }

    static let specials: [Rational] = [rat(-1000), rat(-10), rat(-2), rat(-1), rat(-1, 2), rat(-1, 1000), rat(0), rat(1, 1000), rat(1, 3), rat(1, 2),
                                       rat(2, 3), rat(999, 1000), rat(1), rat(3, 2), rat(2), rat(3), rat(5), rat(10), rat(100), rat(10_000), rat(1_000_000),
                                       rat(1_000_000_000_000)]

    /// A value in [lo, hi] (integer if asked), weighted toward the ends and small denominators.
    static func sample(_ rng: inout FuzzRNG, lo: Bound?, hi: Bound?, integer: Bool) -> Rational? {
        var candidates: [Rational] = []
        if let lo {
            if !lo.open { candidates += [lo.value, lo.value] }
            candidates += [lo.value + rat(1, 1000), lo.value + rat(1, 2), lo.value + 1, lo.value + 2, lo.value + rat(1, 1_000_000)]
        }
        if let hi {
            if !hi.open { candidates += [hi.value, hi.value] }
            candidates += [hi.value - rat(1, 1000), hi.value - rat(1, 2), hi.value - 1, hi.value - rat(1, 1_000_000)]
        }
        if let lo, let hi { candidates.append((lo.value + hi.value) * rat(1, 2)) }
        candidates += specials
        var pick: Rational
        // The values where inequalities are tight most often: the closed ends, 0, 1, -1, 2.
        var key: [Rational] = [rat(0), rat(1), rat(-1), rat(2)]
        if let lo, !lo.open { key += [lo.value, lo.value] }
        if let hi, !hi.open { key += [hi.value, hi.value] }
        key = key.filter { inside($0, lo: lo, hi: hi) && (!integer || $0.isInteger) }
        if !key.isEmpty && rng.chance(0.2) {
            pick = rng.pick(key)
        } else if rng.chance(0.4) {
            pick = rng.pick(candidates)
        } else {
            let q = rng.int(1...12), p = rng.int(0...(12 * q))
            let frac = rat(p, q)
            switch (lo, hi) {
            case (let l?, let h?): pick = l.value + (h.value - l.value) * rat(rng.int(0...q), q)
            case (let l?, nil): pick = l.value + (rng.chance(0.2) ? frac * 100 : frac)
            case (nil, let h?): pick = h.value - frac
            case (nil, nil): pick = rng.chance(0.5) ? frac : -frac
            }
        }
        if integer {
            var v = pick.floor
            if let lo {
                // The smallest integer in the domain: ceil(lo), or the next one for an open integer end.
                var least = -((-lo.value).floor)
                if lo.open && Rational(least) == lo.value { least = least + 1 }
                if v < least { v = least }
            }
            pick = Rational(v)
        }
        if inside(pick, lo: lo, hi: hi) { return pick }
        // Fall back to an end that is in the interval.
        if let lo, !lo.open, !integer || lo.value.isInteger, inside(lo.value, lo: lo, hi: hi) { return lo.value }
        if let hi, !hi.open, !integer || hi.value.isInteger, inside(hi.value, lo: lo, hi: hi) { return hi.value }
        return nil
    }

    /// An admissible rational point (hypotheses that are not simple bounds are checked by the caller).
    func point(_ rng: inout FuzzRNG) -> [String: Rational]? {
        for _ in 0..<20 {
            var p: [String: Rational] = [:]
            var ok = true
            for v in vars {
                var hi = v.hi
                for b in v.bigs {
                    guard let bv = p[b] else { continue }
                    if hi == nil || bv < hi!.value || (bv == hi!.value && !hi!.open) { hi = Bound(value: bv, open: false) }
                }
                guard let x = Region.sample(&rng, lo: v.lo, hi: hi, integer: v.integer) else { ok = false; break }
                p[v.name] = x
            }
            if ok { return p }
        }
        return nil
    }
}

/// Whether a hypothesis holds at a point: true, false, or nil when it cannot be evaluated.
func holds(_ h: CHypothesis, _ p: [String: Rational], _ d: [String: Double]) -> Bool? {
    if case .value(let a) = RationalEval.eval(h.lhs, p), case .value(let b) = RationalEval.eval(h.rhs, p) {
        switch h.op {
        case .lessEqual: return a <= b
        case .less: return a < b
        case .greaterEqual: return a >= b
        case .greater: return a > b
        case .equal: return a == b
        default: return nil
        }
    }
    guard let a = try? h.lhs.evaluate(d), let b = try? h.rhs.evaluate(d) else { return nil }
    switch h.op {
    case .lessEqual: return a <= b
    case .less: return a < b
    case .greaterEqual: return a >= b
    case .greater: return a > b
    default: return nil
    }
}
