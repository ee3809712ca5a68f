import Foundation
import Symbolic

// Checker soundness fuzzing, part 4: confirming an accepted claim `A op B` with the quantities replaced by their
// models.
//
// - Exact relations: at random admissible points (every domain, relation, integrality and hypothesis), exactly
//   over the rationals where both sides are rational-only, otherwise in Double with a tolerance of 1e-9 relative,
//   widened by the rounding analysis of the simplifier fuzzer; a point whose answer hinges on rounding is skipped.
//   A side without a value at an admissible point is a violation too (the semantics demand definedness).
// - `A <~ B` along `as n -> oo fixed F` (and `>~`, `~` in each direction): fixed symbols at a few admissible values;
//   families of points along t = 2^4 ... 2^50 with n = t (or n held at 2^20 and 2^40) and every other symbol held
//   or driven toward an end of its domain as a function of t (M = t^2, x = 1/t, x = 1 - 1/t, M = e^sqrt(t), k = M,
//   ...), relations kept. A family is a violation when, over its tail, B < 0 < A, or a side is undefined, or the
//   ratio A/B keeps increasing and has grown; the growth is then re-checked in the log domain along
//   log t = 2^2 ... 2^40, and counts only if it continues there (by at least 10^4 overall, each step by 10 %).
//   Growth that cannot be followed in the log domain is reported as a suspect, not a violation.
// - Without a path the constant is absolute: the same families with n free, plus sampled points where B <= 0 < A.

struct ClaimSpec {
    var label: String
    var lhs: Expr
    var op: RelationOperator
    var rhs: Expr
    /// Fixed symbols of the path; nil without a path.
    var path: [String]?
    var hypotheses: [CHypothesis]
    /// An exact step inside an asymptotic theorem: definedness is demanded only eventually, so points where a
    /// side is undefined are skipped.
    var lenient: Bool = false

    var text: String { "\(lhs.text) \(op.rawValue) \(rhs.text)" + (path.map { " as n -> oo" + ($0.isEmpty ? "" : " fixed \($0.joined(separator: ", "))") } ?? "") }
}

enum Verdict {
    case confirmed(String)
    case violation(String)
    case inconclusive(String)
    case suspect(String)
}

enum Driver {
    case hold(Rational)
    /// 0: log t, 1: t^(1/2), 2: t, 3: t^2, 4: e^sqrt(t), 5: e^(log t)^2, 6: t^3 (toward +oo, or toward a finite upper end)
    case up(Int)
    /// 0: 1/log t, 1: t^(-1/2), 2: 1/t, 3: 1/t^2 (toward a finite lower end, or toward -oo)
    case down(Int)
    case atUpper
    case sqrtUpper

    var label: String {
        switch self {
        case .hold(let r): return "\(r)"
        case .up(let i): return ["up log t", "up t^(1/2)", "up t", "up t^2", "up e^sqrt(t)", "up e^(log t)^2", "up t^3"][i]
        case .down(let i): return ["down 1/log t", "down t^(-1/2)", "down 1/t", "down 1/t^2"][i]
        case .atUpper: return "at its upper bound"
        case .sqrtUpper: return "sqrt of its upper bound"
        }
    }
}

struct Family {
    var fixed: [String: Rational]
    var drivers: [String: Driver]
    var label: String {
        let parts = drivers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.label)" } + fixed.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value) (fixed)" }
        return parts.joined(separator: ", ")
    }
}

final class Confirmer {
    let c: CheckerCase
    let inliner: Inliner
    var rng: FuzzRNG
    var stats: [String: Int] = [:]
    var exactPoints = 40
    var fixedDraws = 3
    var randomFamilies = 5

    static let stage1: [Double] = (0..<24).map { Foundation.pow(2.0, Double(4 + 2 * $0)) }
    static let stage2: [Double] = (2...40).map { Foundation.pow(2.0, Double($0)) }

    init(_ c: CheckerCase, rng: FuzzRNG) {
        self.c = c
        self.inliner = Inliner(c)
        self.rng = rng
    }

    func count(_ key: String, _ n: Int = 1) { stats[key, default: 0] += n }

    static func describe(_ p: [String: Rational]) -> String {
        p.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
    }

    static func describe(_ p: [String: Double]) -> String {
        p.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
    }

    func confirm(_ claim: ClaimSpec) -> Verdict {
        var args: [(Expr, String)] = []
        let a = inliner.inline(claim.lhs, arguments: &args)
        let b = inliner.inline(claim.rhs, arguments: &args)
        let region = Region(c, hypotheses: claim.hypotheses)
        switch claim.op {
        case .asymptoticLessEqual: return asymptotic([(a, b)], claim, region, args)
        case .asymptoticGreaterEqual: return asymptotic([(b, a)], claim, region, args)
        case .asymptoticEqual: return asymptotic([(a, b), (b, a)], claim, region, args)
        default: return exact(a, claim.op, b, claim, region, args)
        }
    }

    // MARK: quantity arguments

    /// Whether some quantity's argument leaves its declared domain (or has no value) at the point: the model is
    /// then only one possible value of the quantity there, and a missing value is not the kernel's fault.
    func argumentOutside(_ args: [(Expr, String)], _ p: [String: Double]) -> Bool {
        for (e, formal) in args {
            guard let s = c.symbol(formal), let v = try? e.evaluate(p) else { return true }
            if let (l, open) = s.lower { let lv = l.doubleValue; if v < lv || (open && v <= lv) { return true } }
            if let (u, open) = s.upper { let uv = u.doubleValue; if v > uv || (open && v >= uv) { return true } }
        }
        return false
    }

    // MARK: exact relations

    enum PointOutcome {
        case holds
        case violated(String)
        case undefined(String)
        case skip
    }

    static func compare(_ a: Rational, _ op: RelationOperator, _ b: Rational) -> Bool {
        switch op {
        case .lessEqual: return a <= b
        case .less: return a < b
        case .greaterEqual: return a >= b
        case .greater: return a > b
        default: return a == b
        }
    }

    func exactAt(_ a: Expr, _ op: RelationOperator, _ b: Expr, _ p: [String: Rational], _ pd: [String: Double], _ args: [(Expr, String)]) -> PointOutcome {
        let ra = RationalEval.eval(a, p), rb = RationalEval.eval(b, p)
        var undefinedSide: String? = nil
        if case .undefined = ra { undefinedSide = "the left side" }
        if case .undefined = rb { undefinedSide = "the right side" }
        if let side = undefinedSide {
            if argumentOutside(args, pd) { return .skip }
            return .undefined("\(side) has no value (exactly) at \(Confirmer.describe(p))")
        }
        if case .value(let x) = ra, case .value(let y) = rb {
            count("points: exact (rational)")
            return Confirmer.compare(x, op, y) ? .holds : .violated("exactly: left = \(x), right = \(y) at \(Confirmer.describe(p))")
        }
        count("points: Double")
        let va = Result { () throws(EvaluationError) -> Double in try a.evaluate(pd) }
        let vb = Result { () throws(EvaluationError) -> Double in try b.evaluate(pd) }
        switch (va, vb) {
        case (.success(let x), .success(let y)):
            let excess: Double
            switch op {
            case .lessEqual, .less: excess = x - y
            case .greaterEqual, .greater: excess = y - x
            default: excess = Swift.abs(x - y)
            }
            let scale = Swift.max(Swift.abs(x), Swift.abs(y))
            if excess <= 1e-9 * scale || excess <= 0 { return .holds }
            let aa = Soundness.analyze(a, pd), ab = Soundness.analyze(b, pd)
            if aa?.fragile == true || ab?.fragile == true { count("points: skipped (rounding decides)"); return .skip }
            let tolerance = Swift.max(1e-9 * scale, 64 * Soundness.epsilon * ((aa?.error ?? 0) + (ab?.error ?? 0)),
                                      (aa == nil || ab == nil) ? 1e-7 * scale : 0)
            if !tolerance.isFinite { return .skip }
            if excess <= tolerance { count("points: within the rounding tolerance"); return .holds }
            return .violated("left = \(x), right = \(y) (margin \(excess), tolerance \(tolerance)) at \(Confirmer.describe(p))")
        case (.failure(let e), _), (_, .failure(let e)):
            if case .nonFinite = e { count("points: skipped (overflow)"); return .skip }
            let fragile = Soundness.analyze(a, pd)?.fragile == true || Soundness.analyze(b, pd)?.fragile == true
            if fragile { count("points: skipped (rounding decides)"); return .skip }
            if argumentOutside(args, pd) { return .skip }
            return .undefined("\(e) at \(Confirmer.describe(p))")
        }
    }

    func admissiblePoint(_ region: Region) -> ([String: Rational], [String: Double])? {
        for _ in 0..<10 {
            guard let p = region.point(&rng) else { return nil }
            let pd = p.mapValues(\.doubleValue)
            if region.general.allSatisfy({ holds($0, p, pd) == true }) { return (p, pd) }
        }
        return nil
    }

    func exact(_ a: Expr, _ op: RelationOperator, _ b: Expr, _ claim: ClaimSpec, _ region: Region, _ args: [(Expr, String)]) -> Verdict {
        var conclusive = 0
        for _ in 0..<exactPoints {
            guard let (p, pd) = admissiblePoint(region) else { count("points: none admissible"); continue }
            switch exactAt(a, op, b, p, pd, args) {
            case .holds: conclusive += 1
            case .skip: continue
            case .violated(let why): return .violation("\(claim.op.rawValue) fails: \(why)")
            case .undefined(let why):
                if claim.lenient { count("points: undefined, skipped (exact step of an asymptotic theorem)"); continue }
                return .violation("undefined at an admissible point: \(why)")
            }
        }
        if conclusive < 4 { return .inconclusive("only \(conclusive) conclusive points") }
        return .confirmed("\(conclusive) points")
    }

    // MARK: asymptotic relations

    /// Values held (and fixed) in a family are moderate (1/10 ... 10, and the domain's ends when moderate): a huge
    /// or tiny constant puts a scale into the ratio (c*log(n)/(c*log(n) + 1) rises until log n ~ 1/c), and a bounded
    /// ratio then rises over the whole range that can be followed before it settles. The extremes of each domain
    /// are reached by the drivers instead, which move with t.
    static let moderateValues: [Rational] = [rat(-10), rat(-3), rat(-1), rat(-1, 2), rat(0), rat(1, 10), rat(1, 2), rat(1), rat(3, 2), rat(2), rat(3), rat(10)]

    func familyPoint(_ region: Region) -> [String: Rational]? {
        for _ in 0..<10 {
            var p: [String: Rational] = [:]
            var ok = true
            for v in region.vars {
                var hi = v.hi
                for b in v.bigs {
                    guard let bv = p[b] else { continue }
                    if hi == nil || bv < hi!.value || (bv == hi!.value && !hi!.open) { hi = Region.Bound(value: bv, open: false) }
                }
                var options = Confirmer.moderateValues.filter { Region.inside($0, lo: v.lo, hi: hi) && (!v.integer || $0.isInteger) }
                if let l = v.lo, !l.open, Region.inside(l.value, lo: v.lo, hi: hi), Swift.abs(l.value.doubleValue) <= 10 { options.append(l.value) }
                if let h = hi, !h.open, Region.inside(h.value, lo: v.lo, hi: hi), Swift.abs(h.value.doubleValue) <= 10 { options.append(h.value) }
                guard let x = options.randomElement(using: &rng) else { ok = false; break }
                p[v.name] = x
            }
            guard ok else { continue }
            let pd = p.mapValues(\.doubleValue)
            if region.general.allSatisfy({ holds($0, p, pd) == true }) { return p }
        }
        return nil
    }

    func families(_ region: Region, path: [String]?) -> [(Family, Family?)] {
        var result: [(Family, Family?)] = []
        let fixedNames = Set(path ?? [])
        let free = region.vars.map(\.name).filter { !fixedNames.contains($0) && !(path != nil && $0 == "n") }
        let draws = (path?.isEmpty ?? true) ? 1 : fixedDraws
        for draw in 0..<draws {
            guard let base = familyPoint(region) else { continue }
            let fixed = base.filter { fixedNames.contains($0.key) }
            guard let holdPoint = familyPoint(region) else { continue }
            var hold: [String: Driver] = [:]
            for v in free { hold[v] = .hold(holdPoint[v] ?? base[v] ?? 1) }
            var growing: [String: Driver] = [:]
            var aboveN = Set<String>()
            if path != nil {
                growing["n"] = .up(2)
                // What n is at most (`assume n <= M`) must grow with it, or n would be held back.
                var above = Set<String>(), frontier = ["n"]
                while let v = frontier.popLast() {
                    for b in region.variable(v)?.bigs ?? [] where above.insert(b).inserted { frontier.append(b) }
                }
                for b in above where !fixedNames.contains(b) { growing[b] = .up(rng.pick([2, 3])) }
                aboveN = above.filter { !fixedNames.contains($0) }
            }
            func family(_ d: [String: Driver]) -> Family { Family(fixed: fixed, drivers: d.merging(growing) { _, g in g }) }
            if path != nil { result.append((family(hold), nil)) }
            // Each symbol alone toward each end of its domain (super-polynomially, polynomially, slowly), and at its
            // closed ends; the fixed symbols' other draws get the random families only.
            for v in free where draw == 0 {
                var drivers: [Driver] = [.up(4), .up(5), .up(rng.pick([3, 6])), .up(rng.pick([0, 1, 2])), .down(rng.pick([2, 3])), .down(rng.pick([0, 1]))]
                if let variable = region.variable(v) {
                    if let l = variable.lo, !l.open { drivers.append(.hold(l.value)) }
                    if let h = variable.hi, !h.open { drivers.append(.hold(h.value)) }
                }
                for driver in drivers {
                    var d = hold
                    d[v] = driver
                    result.append((family(d), nil))
                }
            }
            // A symbol bounded by another (k <= M) moves up with it.
            for v in free where draw == 0 {
                guard let variable = region.variable(v), !variable.bigs.isEmpty, variable.bigs.allSatisfy(free.contains) else { continue }
                for (r, driver) in [(0, Driver.atUpper), (rng.pick([1, 2, 3]), rng.pick([Driver.atUpper, .sqrtUpper, .up(0), .up(1)]))] {
                    var d = hold
                    for b in variable.bigs { d[b] = .up(r) }
                    d[v] = driver
                    result.append((family(d), nil))
                }
            }
            if path == nil {
                var all = hold
                for v in free { all[v] = .up(2) }
                result.append((family(all), nil))
            }
            for _ in 0..<randomFamilies {
                var d = hold
                for v in free {
                    switch rng.weighted([3, 2, 3, 2, 1, 1]) {
                    case 0: break
                    case 1: if let p = familyPoint(region), let x = p[v] { d[v] = .hold(x) }
                    case 2: d[v] = .up(rng.below(7))
                    case 3: d[v] = .down(rng.below(4))
                    case 4: d[v] = .atUpper
                    default: d[v] = .sqrtUpper
                    }
                }
                result.append((family(d), nil))
            }
            // n held large while another symbol moves: the constant must be uniform in it at every large n.
            if path != nil, let v = free.randomElement(using: &rng) {
                var d = hold
                d[v] = rng.chance(0.6) ? .up(rng.pick([2, 3, 4, 5])) : .down(rng.pick([2, 3, 0]))
                for b in aboveN { d[b] = .up(2) }
                var a = Family(fixed: fixed, drivers: d), b = a
                a.drivers["n"] = .hold(rat(1 << 20))
                b.drivers["n"] = .hold(Rational(1 << 40))
                result.append((a, b))
            }
        }
        return result
    }

    // Driver values in Double (t) and in the log domain (L = log t).

    static func rate(_ i: Int, _ t: Double) -> Double {
        switch i {
        case 0: return Foundation.log(t)
        case 1: return t.squareRoot()
        case 2: return t
        case 3: return t * t
        case 4: return Foundation.exp(t.squareRoot())
        case 5: let l = Foundation.log(t); return Foundation.exp(l * l)
        default: return t * t * t
        }
    }

    static func rateLog(_ i: Int, _ L: Double) -> LogNum {
        switch i {
        case 0: return LogNum(L)
        case 1: return LogNum(s: 1, l: L / 2, err: LogNum.eps * L)
        case 2: return LogNum(s: 1, l: L, err: LogNum.eps * L)
        case 3: return LogNum(s: 1, l: 2 * L, err: LogNum.eps * L * 2)
        case 4: let l = Foundation.exp(L / 2); return LogNum(s: 1, l: l, err: LogNum.eps * l * 2)
        case 5: return LogNum(s: 1, l: L * L, err: LogNum.eps * L * L * 2)
        default: return LogNum(s: 1, l: 3 * L, err: LogNum.eps * L * 3)
        }
    }

    static func decay(_ i: Int, _ t: Double) -> Double {
        switch i {
        case 0: return 1 / Foundation.log(t)
        case 1: return 1 / t.squareRoot()
        case 2: return 1 / t
        default: return 1 / (t * t)
        }
    }

    static func decayLog(_ i: Int, _ L: Double) -> LogNum {
        switch i {
        case 0: return LogNum(s: 1, l: -Foundation.log(L), err: LogNum.eps * 4)
        case 1: return LogNum(s: 1, l: -L / 2, err: LogNum.eps * L)
        case 2: return LogNum(s: 1, l: -L, err: LogNum.eps * L)
        default: return LogNum(s: 1, l: -2 * L, err: LogNum.eps * L * 2)
        }
    }

    /// A family's point at parameter t (Double), or nil when it leaves the region.
    func pointDouble(_ f: Family, _ region: Region, _ t: Double) -> [String: Double]? {
        var p: [String: Double] = [:]
        for v in region.vars {
            if let x = f.fixed[v.name] { p[v.name] = x.doubleValue; continue }
            var lo = v.lo.map { ($0.value.doubleValue, $0.open) }
            for s in v.smalls { if let x = f.fixed[s] { let xd = x.doubleValue; if lo == nil || xd > lo!.0 { lo = (xd, false) } } }
            var hi = v.hi.map { ($0.value.doubleValue, $0.open) }
            for b in v.bigs { if let x = p[b] { if hi == nil || x < hi!.0 || (x == hi!.0 && hi!.1) { hi = (x, false) } } }
            let w: Double = (lo != nil && hi != nil) ? Swift.min(1, (hi!.0 - lo!.0) / 2) : 1
            var x: Double
            switch f.drivers[v.name] ?? .hold(1) {
            case .hold(let r): x = r.doubleValue
            case .up(let i):
                if let h = hi { x = h.0 - w / Confirmer.rate(Swift.min(i, 3), t) } else { x = Confirmer.rate(i, t) }
            case .down(let i):
                if let l = lo { x = l.0 + w * Confirmer.decay(i, t) } else { x = -1 / Confirmer.decay(i, t) }
            case .atUpper: x = hi?.0 ?? t
            case .sqrtUpper: x = hi.map { Swift.max($0.0, 0).squareRoot() } ?? t.squareRoot()
            }
            if v.integer, Swift.abs(x) < 4e15 { x = x.rounded(.down) }
            if let l = lo, x < l.0 || (l.1 && x <= l.0) {
                if l.1 { if v.integer { x = l.0.rounded(.down) + 1 } else { return nil } } else { x = v.integer ? l.0.rounded(.up) : l.0 }
            }
            if let h = hi, x > h.0 || (h.1 && x >= h.0) {
                if h.1 { return nil }
                x = v.integer ? h.0.rounded(.down) : h.0
                if let l = lo, x < l.0 || (l.1 && x <= l.0) { return nil }
            }
            guard x.isFinite else { return nil }
            // A growing variable held back by a relation is not growing: the point is not on the path.
            if case .up(2) = f.drivers[v.name] ?? .hold(1), v.name == "n", x < t { return nil }
            p[v.name] = x
        }
        for h in region.general {
            guard let a = try? h.lhs.evaluate(p), let b = try? h.rhs.evaluate(p) else { return nil }
            switch h.op {
            case .lessEqual: if !(a <= b) { return nil }
            case .less: if !(a < b) { return nil }
            case .greaterEqual: if !(a >= b) { return nil }
            case .greater: if !(a > b) { return nil }
            default: break
            }
        }
        return p
    }

    /// The same point in the log domain, at L = log t.
    func pointLog(_ f: Family, _ region: Region, _ L: Double) -> [String: LogNum]? {
        var p: [String: LogNum] = [:]
        func exactly(_ d: Double) -> LogNum { var x = LogNum(d); x.err = 0; return x }
        for v in region.vars {
            if let x = f.fixed[v.name] { p[v.name] = LogNum(exact: x); continue }
            var lo = v.lo.map { (LogNum(exact: $0.value), $0.open) }
            for s in v.smalls { if let x = f.fixed[s] { let xl = LogNum(exact: x); if lo == nil || LogNum.compare(xl, lo!.0) > 0 { lo = (xl, false) } } }
            var hi = v.hi.map { (LogNum(exact: $0.value), $0.open) }
            for b in v.bigs { if let x = p[b] { if hi == nil || LogNum.compare(x, hi!.0) < 0 { hi = (x, false) } } }
            var w = LogNum(1)
            if let l = lo, let h = hi, let d = LogNum.sum([h.0, LogNum.product([LogNum(-1), l.0])]) {
                if LogNum.compare(d, LogNum(2)) < 0 { w = LogNum.product([d, LogNum(0.5)]) }
            }
            var x: LogNum
            switch f.drivers[v.name] ?? .hold(1) {
            case .hold(let r): x = LogNum(exact: r)
            case .up(let i):
                if let h = hi {
                    let step = LogNum.product([LogNum(-1), w, LogNum(s: 1, l: -Confirmer.rateLog(Swift.min(i, 3), L).l, err: Confirmer.rateLog(Swift.min(i, 3), L).err)])
                    guard let s = LogNum.sum([h.0, step]) else { return nil }
                    x = s
                } else { x = Confirmer.rateLog(i, L) }
            case .down(let i):
                if let l = lo {
                    guard let s = LogNum.sum([l.0, LogNum.product([w, Confirmer.decayLog(i, L)])]) else { return nil }
                    x = s
                } else { let d = Confirmer.decayLog(i, L); x = LogNum(s: -1, l: -d.l, err: d.err) }
            case .atUpper: x = hi?.0 ?? Confirmer.rateLog(2, L)
            case .sqrtUpper: x = hi.map { $0.0.s > 0 ? LogNum(s: 1, l: $0.0.l / 2, err: $0.0.err / 2) : .zero } ?? Confirmer.rateLog(1, L)
            }
            if v.integer, x.exact == nil, x.l < 36 { let d = x.double.rounded(.down); x = exactly(d); x.exact = Rational(exactly: d) }
            if let l = lo {
                let cmp = LogNum.compare(x, l.0)
                if cmp < 0 || (l.1 && cmp <= 0) {
                    if l.1 { return nil }
                    x = l.0
                }
            }
            if let h = hi {
                let cmp = LogNum.compare(x, h.0)
                if cmp > 0 || (h.1 && cmp >= 0) {
                    if h.1 { return nil }
                    x = h.0
                }
            }
            guard x.finite else { return nil }
            if case .up(2) = f.drivers[v.name] ?? .hold(1), v.name == "n", x.s <= 0 || x.l < L * (1 - 1e-12) { return nil }
            p[v.name] = x
        }
        for h in region.general {
            guard case .value(let a) = LogEval.eval(h.lhs, p), case .value(let b) = LogEval.eval(h.rhs, p) else { return nil }
            let cmp = LogNum.compare(a, b)
            switch h.op {
            case .lessEqual: if cmp > 0 { return nil }
            case .less: if cmp >= 0 { return nil }
            case .greaterEqual: if cmp < 0 { return nil }
            case .greater: if cmp <= 0 { return nil }
            default: break
            }
            // Undecided comparisons (cmp == 0) are kept only for the non-strict relations.
        }
        return p
    }

    enum FamilyPoint {
        case invalid
        case skip
        case undefined
        case values(Double, Double)
    }

    func runDouble(_ f: Family, _ region: Region, _ small: Expr, _ big: Expr) -> [(FamilyPoint, [String: Double])] {
        Confirmer.stage1.map { t in
            guard let p = pointDouble(f, region, t) else { return (.invalid, [:]) }
            count("family points evaluated")
            let va = Result { () throws(EvaluationError) -> Double in try small.evaluate(p) }
            let vb = Result { () throws(EvaluationError) -> Double in try big.evaluate(p) }
            switch (va, vb) {
            case (.success(let a), .success(let b)): return (.values(a, b), p)
            case (.failure(let e), _), (_, .failure(let e)):
                if case .nonFinite = e { return (.skip, p) }
                return (.undefined, p)
            }
        }
    }

    enum FamilyFinding {
        case none
        case sign(String)
        case undefined(String)
        /// Growth in Double; `strong` when it is large.
        case growth(String, strong: Bool, negative: Bool)
    }

    /// The exact value at a Double point (every finite double is a rational), when the expression is rational-only.
    static func exactValue(_ e: Expr, _ p: [String: Double]) -> Rational? {
        var r: [String: Rational] = [:]
        for (k, v) in p { guard let x = Rational(exactly: v) else { return nil }; r[k] = x }
        if case .value(let x) = RationalEval.eval(e, r) { return x }
        return nil
    }

    static func robustSign(_ v: Double, _ e: Expr, _ p: [String: Double]) -> Int? {
        if let x = exactValue(e, p) { return x.signum }
        guard let a = Soundness.analyze(e, p), !a.fragile else { return nil }
        let bound = 64 * Soundness.epsilon * a.error + 1e-300
        if v > bound { return 1 }
        if v < -bound { return -1 }
        return nil
    }

    static func accurate(_ v: Double, _ e: Expr, _ p: [String: Double]) -> Bool {
        if let x = exactValue(e, p) { return Swift.abs(x.doubleValue - v) <= 1e-9 * Swift.abs(v) }
        guard let a = Soundness.analyze(e, p), !a.fragile else { return false }
        return 64 * Soundness.epsilon * a.error <= 1e-6 * Swift.abs(v)
    }

    /// What the tail of a Double family shows for `small <~ big`.
    func inspect(_ seq: [(FamilyPoint, [String: Double])], _ small: Expr, _ big: Expr, _ args: [(Expr, String)]) -> FamilyFinding {
        let valid = seq.indices.filter {
            switch seq[$0].0 {
            case .values, .undefined: return true
            default: return false
            }
        }
        guard valid.count >= 6 else { return .none }
        let tail = valid.suffix(4)
        // Undefined over the whole tail.
        if tail.allSatisfy({ if case .undefined = seq[$0].0 { return true } else { return false } }) {
            for i in tail {
                let p = seq[i].1
                if argumentOutside(args, p) { return .none }
                if Soundness.analyze(small, p)?.fragile == true || Soundness.analyze(big, p)?.fragile == true { return .none }
            }
            let p = seq[tail.last!].1
            return .undefined("undefined at every point of the tail, e.g. at \(Confirmer.describe(p))")
        }
        // B < 0 < A over the tail: no positive constant works.
        if tail.allSatisfy({ if case .values(let a, let b) = seq[$0].0 { return a > 0 && b < 0 } else { return false } }) {
            for i in tail {
                guard case .values(let a, let b) = seq[i].0 else { return .none }
                let p = seq[i].1
                guard Confirmer.robustSign(a, small, p) == 1, Confirmer.robustSign(b, big, p) == -1 else { return .none }
            }
            let i = tail.last!
            if case .values(let a, let b) = seq[i].0 {
                return .sign("the bound is negative where the bounded side is positive: \(a) vs \(b) at \(Confirmer.describe(seq[i].1))")
            }
        }
        // The ratio grows: a run of positive (or of negative) values ending at the last point.
        for negative in [false, true] {
            var run: [Int] = []
            for i in valid.reversed() {
                guard case .values(let a, let b) = seq[i].0 else { break }
                let ok = negative ? (a < 0 && b < 0) : (a > 0 && b > 0)
                if !ok { break }
                run.insert(i, at: 0)
            }
            guard run.count >= 6 else { continue }
            let logs: [Double] = run.map { i in
                guard case .values(let a, let b) = seq[i].0 else { return 0 }
                return negative ? Foundation.log(b / a) : Foundation.log(a) - Foundation.log(b)
            }
            let last5 = zip(logs.suffix(6).dropLast(), logs.suffix(5)).map { $1 - $0 }
            guard last5.allSatisfy({ $0 >= 0.01 }), let lo = logs.min(), logs.last! - lo >= Foundation.log(4) else { continue }
            for i in run.suffix(6) {
                guard case .values(let a, let b) = seq[i].0 else { return .none }
                let p = seq[i].1
                guard Confirmer.accurate(a, small, p), Confirmer.accurate(b, big, p) else { return .none }
            }
            let strong = logs.last! - lo >= Foundation.log(1e6) && last5.allSatisfy { $0 >= 0.05 } && logs.last! >= Foundation.log(1e4)
            let i = run.last!, j = run.first!
            var detail = "the ratio grows from \(String(format: "%.4g", Foundation.exp(logs.first!))) at \(Confirmer.describe(seq[j].1))"
            detail += " to \(String(format: "%.4g", Foundation.exp(logs.last!))) at \(Confirmer.describe(seq[i].1))"
            return .growth(detail, strong: strong, negative: negative)
        }
        return .none
    }

    /// The same family in the log domain: nil when it cannot be followed there, else whether the growth goes on.
    func growthInLogDomain(_ f: Family, _ region: Region, _ small: Expr, _ big: Expr, negative: Bool) -> (Bool, String)? {
        var logs: [(Double, Double)] = []
        for L in Confirmer.stage2 {
            guard let p = pointLog(f, region, L) else { continue }
            count("family points evaluated (log domain)")
            guard case .value(let a) = LogEval.eval(small, p), case .value(let b) = LogEval.eval(big, p) else { continue }
            guard a.err < 1e-3, b.err < 1e-3 else { continue }
            if negative ? (a.s < 0 && b.s < 0) : (a.s > 0 && b.s > 0) {
                logs.append((L, negative ? b.l - a.l : a.l - b.l))
            } else {
                logs.removeAll()
            }
        }
        // The family must be followed far (log t >= 2^30): a bounded ratio may rise for long before it settles.
        // (Or the ratio is astronomically large by then, beyond any constant the moderate values could make.)
        guard logs.count >= 8, logs.last!.0 >= Foundation.pow(2.0, 30) || logs.last!.1 >= 200 else { return nil }
        let values = logs.map(\.1)
        let steps = zip(values.suffix(6).dropLast(), values.suffix(5)).map { $1 - $0 }
        // A bounded ratio that rises only because a held value sets a scale (n held at 2^20 and M -> oo in
        // k*log(e*M/k)/(k*log(e*M/k) + n^2)) stays below its bound: the ratio must also end large.
        let grows = steps.allSatisfy { $0 >= 0.1 } && values.last! - values.min()! >= Foundation.log(1e4) && values.last! >= Foundation.log(1e4)
        let detail = String(format: "log-domain: log ratio %.4g at log t = %.3g, %.4g at log t = %.3g", values.first!, logs.first!.0, values.last!, logs.last!.0)
        return (grows, detail)
    }

    func asymptotic(_ directions: [(Expr, Expr)], _ claim: ClaimSpec, _ region: Region, _ args: [(Expr, String)]) -> Verdict {
        let label = claim.op.rawValue
        // Without a path the constant is absolute: every admissible point counts.
        if claim.path == nil {
            for (small, big) in directions {
                var lower: Rational? = nil, upper: Rational? = nil
                for _ in 0..<exactPoints / 2 {
                    guard let (p, pd) = admissiblePoint(region) else { continue }
                    let ra = RationalEval.eval(small, p), rb = RationalEval.eval(big, p)
                    if case .value(let a) = ra, case .value(let b) = rb {
                        count("points: exact (rational)")
                        if a > 0 && b <= 0 || a == 0 && b < 0 {
                            return .violation("\(label) (no path: absolute constant) fails at \(Confirmer.describe(p)): \(a) against \(b)")
                        }
                        if b > 0, a > 0, let r = a.dividing(by: b) { lower = lower.map { Swift.max($0, r) } ?? r }
                        if b < 0, a < 0, let r = a.dividing(by: b) { upper = upper.map { Swift.min($0, r) } ?? r }
                        if let l = lower, let u = upper, l > u {
                            return .violation("\(label) (no path) needs a constant c >= \(l) and c <= \(u) (points where the bound is positive and negative)")
                        }
                        continue
                    }
                    if case .undefined = ra { if claim.lenient || argumentOutside(args, pd) { continue }; return .violation("undefined at an admissible point (\(Confirmer.describe(p)))") }
                    if case .undefined = rb { if claim.lenient || argumentOutside(args, pd) { continue }; return .violation("undefined at an admissible point (\(Confirmer.describe(p)))") }
                    count("points: Double")
                    let va = Result { () throws(EvaluationError) -> Double in try small.evaluate(pd) }
                    let vb = Result { () throws(EvaluationError) -> Double in try big.evaluate(pd) }
                    switch (va, vb) {
                    case (.success(let a), .success(let b)):
                        if a > 0 && b < 0, Confirmer.robustSign(a, small, pd) == 1, Confirmer.robustSign(b, big, pd) == -1 {
                            return .violation("\(label) (no path) fails at \(Confirmer.describe(p)): \(a) against \(b)")
                        }
                    case (.failure(let e), _), (_, .failure(let e)):
                        if case .nonFinite = e { continue }
                        if claim.lenient || Soundness.analyze(small, pd)?.fragile == true || Soundness.analyze(big, pd)?.fragile == true || argumentOutside(args, pd) { continue }
                        return .violation("undefined at an admissible point: \(e) at \(Confirmer.describe(p))")
                    }
                }
            }
        }
        var suspects: [String] = []
        var familiesRun = 0
        for (small, big) in directions {
            let direction = directions.count == 2 && small != directions[0].0 ? " (the '>~' half)" : ""
            for (f, partner) in families(region, path: claim.path) {
                familiesRun += 1
                count("families")
                let seq = runDouble(f, region, small, big)
                var finding = inspect(seq, small, big, args)
                // A ratio that overflows Double: follow the family in the log domain from the start.
                if case .none = finding, partner == nil, seq.filter({ if case .skip = $0.0 { return true } else { return false } }).count >= 4 {
                    count("families overflowing Double, followed in the log domain")
                    for negative in [false, true] {
                        if let (grows, d) = growthInLogDomain(f, region, small, big, negative: negative), grows {
                            return .violation("\(label)\(direction): the ratio is unbounded along [\(f.label)] (beyond Double: \(d))")
                        }
                    }
                }
                var partnerFinding: FamilyFinding = .none
                if let partner {
                    if case .none = finding { continue }
                    partnerFinding = inspect(runDouble(partner, region, small, big), small, big, args)
                    switch (finding, partnerFinding) {
                    case (.sign, .sign), (.undefined, .undefined), (.growth, .growth): break
                    default: continue
                    }
                }
                switch finding {
                case .none: continue
                case .sign(let why): return .violation("\(label)\(direction) fails along the family [\(f.label)]: \(why)")
                case .undefined(let why):
                    // The kernel checks a step's right side; an undefined left side was refused at the step before.
                    if claim.lenient { continue }
                    return .violation("\(label)\(direction): a side is not defined eventually along [\(f.label)]: \(why)")
                case .growth(let why, let strong, let negative):
                    count("families with growing ratio (stage 1)")
                    var families = [f]
                    if let partner { families.append(partner) }
                    var confirmed = true, followed = true
                    var details: [String] = []
                    for fam in families {
                        guard let (grows, d) = growthInLogDomain(fam, region, small, big, negative: negative) else { followed = false; break }
                        details.append(d)
                        if !grows { confirmed = false }
                    }
                    if followed && confirmed {
                        return .violation("\(label)\(direction): the ratio is unbounded along [\(f.label)]\(partner != nil ? " (and with n held at 2^40)" : ""): \(why); \(details.joined(separator: "; "))")
                    }
                    if followed { count("families with growing ratio refuted in the log domain"); continue }
                    if strong { suspects.append("\(label)\(direction): ratio grows along [\(f.label)]: \(why) (not followable in the log domain)") }
                }
            }
        }
        if let s = suspects.first { return .suspect(s) }
        return .confirmed("\(familiesRun) families")
    }
}
