import Foundation
import Symbolic

/// Simplifier soundness: random expressions under random assumptions, `simplified()` and `tidied()`
/// compared with the original by evaluation at assumption-satisfying points (boundary values 0, 1 and
/// negatives included). The contract: where the original has a value, the simplified form has the same
/// value (relative tolerance 1e-9, widened only by a first-order rounding-error bound); it may have a
/// value where the original has none, never lose one.
enum SymbolDomain: CaseIterable {
    case positive, nonnegative, openUnit, closedUnit, atLeastOne, aboveOne, negative, nonpositive,
         positiveInteger, integer, nonnegativeInteger, real

    func assumption(_ x: String) -> String? {
        switch self {
        case .positive: return "\(x) > 0"
        case .nonnegative: return "\(x) >= 0"
        case .openUnit: return "\(x) in (0, 1)"
        case .closedUnit: return "\(x) in [0, 1]"
        case .atLeastOne: return "\(x) >= 1"
        case .aboveOne: return "\(x) > 1"
        case .negative: return "\(x) < 0"
        case .nonpositive: return "\(x) <= 0"
        case .positiveInteger: return "\(x) >= 1 integer"
        case .integer: return "integer \(x)"
        case .nonnegativeInteger: return "\(x) >= 0 integer"
        case .real: return nil
        }
    }

    /// Values weighted toward the boundaries the sign-guarded rules care about.
    func sample(_ rng: inout FuzzRNG) -> Double {
        switch self {
        case .positive: return rng.chance(0.2) ? rng.unit() * 5 + 1e-3 : rng.pick([1e-3, 0.25, 0.5, 1, 1, 2, M_E, 3, 10])
        case .nonnegative: return rng.chance(0.25) ? 0 : SymbolDomain.positive.sample(&rng)
        case .openUnit: return rng.chance(0.3) ? rng.unit() * 0.998 + 1e-3 : rng.pick([1e-3, 0.1, 0.5, 0.9, 0.999])
        case .closedUnit: return rng.chance(0.4) ? rng.pick([0, 1]) : SymbolDomain.openUnit.sample(&rng)
        case .atLeastOne: return rng.chance(0.3) ? 1 : rng.pick([1, 1.5, 2, 3, 10, 1 + rng.unit() * 4])
        case .aboveOne: return rng.pick([1.001, 1.5, 2, 3, 10, 1.001 + rng.unit() * 4])
        case .negative: return -SymbolDomain.positive.sample(&rng)
        case .nonpositive: return -SymbolDomain.nonnegative.sample(&rng)
        case .positiveInteger: return Double(rng.pick([1, 1, 2, 3, 4, 7, 10]))
        case .integer: return Double(rng.pick([-3, -2, -1, 0, 0, 1, 1, 2, 3]))
        case .nonnegativeInteger: return Double(rng.pick([0, 0, 1, 2, 3, 5]))
        case .real: return rng.chance(0.2) ? rng.unit() * 6 - 3 : rng.pick([-2, -1, -0.5, 0, 0, 0.5, 1, 1, 2, 3, -M_E])
        }
    }
}

/// A random problem: symbols with domains, optionally `y >= x`, and an expression over them.
struct SoundnessCase {
    var domains: [(String, SymbolDomain)]
    var ordered: (String, String)?      // (big, small): big >= small
    var expression: Expr

    var assumptionTexts: [String] {
        domains.compactMap { $0.1.assumption($0.0) } + (ordered.map { ["\($0.0) >= \($0.1)"] } ?? [])
    }

    func assumptions() throws -> Assumptions {
        var a = Assumptions()
        for text in assumptionTexts { try a.assume(text: text) }
        return a
    }

    /// A point satisfying the assumptions, or nil when rejection sampling fails.
    func point(_ rng: inout FuzzRNG) -> [String: Double]? {
        for _ in 0..<30 {
            var p: [String: Double] = [:]
            for (name, domain) in domains { p[name] = domain.sample(&rng) }
            if let (big, small) = ordered, let b = p[big], let s = p[small], b < s { continue }
            return p
        }
        return nil
    }

    static let names = ["x", "y", "z", "w"]
    static let numbers: [Rational] = [0, 1, -1, 2, -2, 3, 4].map { Rational($0) } + [
        Rational(numerator: 1, denominator: 2), Rational(numerator: -1, denominator: 2), Rational(numerator: 1, denominator: 3),
        Rational(numerator: 2, denominator: 3), Rational(numerator: -3, denominator: 2), Rational(numerator: 5, denominator: 2),
    ].compactMap { $0 }
    static let exponents: [Rational] = [2, 3, -1, -2, 0, 1, 4].map { Rational($0) } + [
        Rational(numerator: 1, denominator: 2), Rational(numerator: -1, denominator: 2), Rational(numerator: 1, denominator: 3),
        Rational(numerator: 3, denominator: 2), Rational(numerator: 2, denominator: 3), Rational(numerator: -3, denominator: 2),
    ].compactMap { $0 }

    static func make(seed: UInt64, index: Int) -> SoundnessCase {
        var rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 7)
        let count = rng.int(1...3)
        var domains: [(String, SymbolDomain)] = []
        for i in 0..<count { domains.append((names[i], rng.pick(SymbolDomain.allCases))) }
        var ordered: (String, String)? = nil
        if count >= 2, rng.chance(0.15) { ordered = ("y", "x") }
        let e = expression(&rng, names: Array(names.prefix(count)), depth: rng.int(2...4))
        return SoundnessCase(domains: domains, ordered: ordered, expression: e)
    }

    static func leaf(_ rng: inout FuzzRNG, names: [String]) -> Expr {
        switch rng.weighted([6, 3, 1]) {
        case 0: return .symbol(rng.pick(names))
        case 1: return .number(rng.pick(numbers))
        default: return rng.chance(0.7) ? .e : .pi
        }
    }

    /// Built with the same canonicalizing builders the parser uses; weighted toward the guarded rules:
    /// powers of powers and products, logs of powers and products, exp of logs, collected powers, min/max.
    static func expression(_ rng: inout FuzzRNG, names: [String], depth: Int) -> Expr {
        if depth <= 0 || rng.chance(0.2) { return leaf(&rng, names: names) }
        func sub() -> Expr { expression(&rng, names: names, depth: depth - 1) }
        func num(_ xs: [Rational]) -> Expr { .number(rng.pick(xs)) }
        switch rng.weighted([6, 6, 2, 3, 8, 3, 2, 2, 4, 3, 2, 3, 3, 2, 3, 1]) {
        case 0: return Expr.add((0..<rng.int(2...3)).map { _ in sub() })
        case 1: return Expr.multiply((0..<rng.int(2...3)).map { _ in sub() })
        case 2: return -sub()
        case 3: return sub() / sub()
        case 4: return Expr.raise(sub(), num(exponents))
        case 5: return Expr.raise(sub(), expression(&rng, names: names, depth: 1))
        case 6: return Expr.sqrt(sub())
        case 7: return Expr.exp(sub())
        case 8: return .log(sub())
        case 9: return rng.chance(0.5) ? Expr.minimum([sub(), sub()]) : Expr.maximum([sub(), sub()])
        case 10: return Expr.raise(Expr.raise(sub(), num(exponents)), num(exponents))                       // (x^a)^b
        case 11: return .log(Expr.raise(sub(), num(exponents)))                                             // log(x^a)
        case 12: return .log(Expr.multiply([sub(), sub()]))                                                 // log(x*y)
        case 13: return Expr.exp(Expr.multiply([num(exponents), .log(sub())]))                              // exp(c*log x)
        case 14: return Expr.multiply([Expr.raise(sub(), num(exponents)), Expr.raise(sub(), num(exponents))]) // x^a*x^b
        default:
            let n = Expr.number(Rational(rng.int(0...6))), k = rng.chance(0.5) ? Expr.number(Rational(rng.int(0...3))) : .symbol(rng.pick(names))
            return .binom(rng.chance(0.5) ? n : .symbol(rng.pick(names)), k)
        }
    }
}

/// How the simplified form compares with the original at one point.
enum Comparison {
    case agree, originalUndefined, gainedDefinedness, overflowOnly, illConditioned
    case mismatch(String)
    case lostDefinedness(String)

    var isFailure: Bool {
        switch self {
        case .mismatch, .lostDefinedness: return true
        default: return false
        }
    }
}

enum Soundness {
    static let epsilon = 2.220446049250313e-16

    /// First-order bound on the absolute rounding error of evaluating `e` (in units of the value, times
    /// epsilon), so that cancellation in a sum does not pass for a wrong simplification. nil when unknown.
    static func errorBound(_ e: Expr, _ p: [String: Double]) -> (value: Double, error: Double)? {
        switch e {
        case .number(let r): let v = r.doubleValue; return (v, abs(v))
        case .symbol(let s): return p[s].map { ($0, 0) }
        case .constant(let c): let v = c == .e ? M_E : Double.pi; return (v, abs(v))
        case .sum(let ts):
            var value = 0.0, error = 0.0
            for t in ts {
                guard let (v, err) = errorBound(t, p) else { return nil }
                value += v
                error += err + abs(v)
            }
            return (value, error)
        case .product(let fs):
            var parts: [(Double, Double)] = []
            for f in fs { guard let part = errorBound(f, p) else { return nil }; parts.append(part) }
            let value = parts.reduce(1.0) { $0 * $1.0 }
            var error = Double(fs.count) * abs(value)
            for i in parts.indices {
                let others = parts.indices.filter { $0 != i }.reduce(1.0) { $0 * abs(parts[$1].0) }
                error += parts[i].1 * others
            }
            return (value, error)
        case .power(.constant(.e), let y):
            guard let (vy, ey) = errorBound(y, p) else { return nil }
            let v = Foundation.exp(vy)
            return (v, abs(v) * (ey + 2))
        case .power(let b, let x):
            guard let (vb, eb) = errorBound(b, p), let (vx, ex) = errorBound(x, p) else { return nil }
            let v = vb == 0 && vx == 0 ? 1 : Foundation.pow(vb, vx)
            guard v.isFinite else { return nil }
            var error = 2 * abs(v)
            if eb > 0 {
                if vb == 0 { if vx < 1 { return nil } } else { error += abs(vx) * abs(v / vb) * eb }
            }
            if ex > 0, vb != 0 { error += abs(v) * abs(Foundation.log(abs(vb))) * ex }
            return (v, error)
        case .log(let x):
            guard let (vx, ex) = errorBound(x, p), vx > 0 else { return nil }
            let v = Foundation.log(vx)
            return (v, ex / vx + abs(v) + 1)
        case .min(let xs), .max(let xs):
            var best: (Double, Double)? = nil
            let isMin: Bool
            if case .min = e { isMin = true } else { isMin = false }
            for x in xs {
                guard let (v, err) = errorBound(x, p) else { return nil }
                if let b = best { if isMin ? v < b.0 : v > b.0 { best = (v, max(err, b.1)) } else { best = (b.0, max(err, b.1)) } } else { best = (v, err) }
            }
            return best
        case .binom, .apply:
            return nil
        }
    }

    static func compare(_ original: Expr, _ candidate: Expr, at p: [String: Double]) -> Comparison {
        let a = Result { () throws(EvaluationError) -> Double in try original.evaluate(p) }
        let b = Result { () throws(EvaluationError) -> Double in try candidate.evaluate(p) }
        switch (a, b) {
        case (.failure(let ea), .success):
            if case .unboundSymbol = ea { return .mismatch("original has an unbound symbol: \(ea)") }
            return .gainedDefinedness
        case (.failure, .failure):
            return .originalUndefined
        case (.success(let va), .failure(let eb)):
            if case .nonFinite = eb { return .overflowOnly }
            return .lostDefinedness("original = \(va), simplified: \(eb)")
        case (.success(let va), .success(let vb)):
            if va == vb { return .agree }
            let scale = max(abs(va), abs(vb))
            var tolerance = 1e-9 * scale
            if let (_, ea) = errorBound(original, p), let (_, eb) = errorBound(candidate, p) {
                tolerance = max(tolerance, 64 * epsilon * (ea + eb))
            } else {
                tolerance = max(tolerance, 1e-7 * scale)
            }
            if abs(va - vb) <= tolerance { return .agree }
            if !tolerance.isFinite { return .illConditioned }
            return .mismatch("original = \(va), simplified = \(vb) (tolerance \(tolerance))")
        }
    }
}

/// Runs soundness cases in a worker and reports failures, each shrunk to a minimal expression.
final class SoundnessWorker {
    let seed: UInt64
    let progress: ProgressSlot?
    let limitNanos: UInt64
    var stats: [String: Int] = [:]
    var ruleHits: [String: Int] = [:]
    var timings: [Stage: StageTiming] = [:]
    var failures: [String] = []
    var failureCount = 0
    var verbose = false

    init(seed: UInt64, progress: ProgressSlot?, limitNanos: UInt64) {
        self.seed = seed
        self.progress = progress
        self.limitNanos = limitNanos
    }

    func count(_ key: String, _ n: Int = 1) { stats[key, default: 0] += n }

    func run(start: Int, count n: Int) {
        for index in start..<(start + n) { runCase(index) }
    }

    func runCase(_ index: Int) {
        progress?.set(index: index, stage: .none)
        let c = SoundnessCase.make(seed: seed, index: index)
        count("expressions")
        guard let assumptions = try? c.assumptions() else { count("assumption sets rejected"); return }
        progress?.set(index: index, stage: .soundnessSimplify)
        let t0 = threadCPUNanos()
        let canonical = Simplifier(assumptions: assumptions, trace: true)
        let simplified = canonical.simplify(c.expression)
        let tidy = Simplifier(assumptions: assumptions, options: .tidy, trace: true)
        let tidied = tidy.simplify(c.expression)
        let dt = threadCPUNanos() - t0
        timings[.soundnessSimplify, default: StageTiming()].record(dt, index: index, limit: limitNanos)
        for name in Set(canonical.trace + tidy.trace) { ruleHits[name, default: 0] += 1 }
        if simplified != c.expression { count("expressions changed by simplified()") }

        progress?.set(index: index, stage: .soundnessEvaluate)
        let t1 = threadCPUNanos()
        defer { timings[.soundnessEvaluate, default: StageTiming()].record(threadCPUNanos() - t1, index: index, limit: limitNanos) }
        var rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 8)
        for (form, result) in [("simplified", simplified), ("tidied", tidied)] {
            var reported = false
            for _ in 0..<6 {
                guard let p = c.point(&rng) else { count("points not found"); continue }
                count("points")
                let outcome = Soundness.compare(c.expression, result, at: p)
                switch outcome {
                case .agree: count("points: both defined and equal")
                case .originalUndefined: count("points: both undefined")
                case .gainedDefinedness: count("points: defined only after simplification (allowed)")
                case .overflowOnly: count("points: simplified form overflows (inconclusive)")
                case .illConditioned: count("points: ill-conditioned (inconclusive)")
                case .mismatch, .lostDefinedness:
                    count("points: FAILED")
                    if !reported {
                        reported = true
                        failureCount += 1
                        report(index, c, form: form, result: result, point: p, outcome: outcome, rng: &rng)
                    }
                }
            }
        }
    }

    /// Greedy shrinking: replace a subterm by one of its children or a leaf while the failure persists.
    func report(_ index: Int, _ c: SoundnessCase, form: String, result: Expr, point: [String: Double], outcome: Comparison, rng: inout FuzzRNG) {
        guard failures.count < 40 else { return }
        let assumptions = (try? c.assumptions()) ?? Assumptions()
        let tidy = form == "tidied"
        func simplify(_ e: Expr) -> Expr { tidy ? e.tidied(assumptions) : e.simplified(assumptions) }
        func failingPoint(_ e: Expr) -> [String: Double]? {
            let s = simplify(e)
            if Soundness.compare(e, s, at: point).isFailure { return point }
            var r = FuzzRNG(seed: seed, index: UInt64(index), stream: 9)
            for _ in 0..<40 {
                guard let p = c.point(&r) else { continue }
                if Soundness.compare(e, s, at: p).isFailure { return p }
            }
            return nil
        }
        var current = c.expression
        var improved = true
        var rounds = 0
        while improved && rounds < 60 {
            improved = false
            rounds += 1
            for raw in SoundnessWorker.shrinkCandidates(current, names: c.domains.map(\.0)) {
                let candidate = SoundnessWorker.rebuilt(raw)
                guard candidate.nodeCount < current.nodeCount else { continue }
                if failingPoint(candidate) != nil { current = candidate; improved = true; break }
            }
        }
        // Prefer a form that survives printing and re-parsing, so the report can be pasted into a test.
        var minimal = current
        if let reparsed = try? Parser.parseExpression(current.text), failingPoint(reparsed) != nil { minimal = reparsed }
        let p = failingPoint(minimal) ?? point
        let simplifiedMinimal = simplify(minimal)
        let detail: String
        switch Soundness.compare(minimal, simplifiedMinimal, at: p) {
        case .mismatch(let d), .lostDefinedness(let d): detail = d
        default: detail = "\(outcome)"
        }
        let trace: [String] = {
            let s = Simplifier(assumptions: assumptions, options: tidy ? .tidy : .canonical, trace: true)
            _ = s.simplify(minimal)
            var seen: [String] = []
            for t in s.trace where !seen.contains(t) { seen.append(t) }
            return seen
        }()
        let line = [
            "index=\(index)", "form=\(form)", "assume=[\(c.assumptionTexts.joined(separator: "; "))]",
            "minimal=\(minimal.text)", "minimal.\(form)=\(simplifiedMinimal.text)", "at=\(p.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))",
            "detail=\(detail)", "rules=\(trace.joined(separator: ","))",
            "original=\(c.expression.text.clipped(300))", "original.\(form)=\(result.text.clipped(300))",
        ].joined(separator: " | ")
        failures.append(line)
        if verbose { print("FAILURE \(line)") }
    }

    /// The same tree rebuilt through the canonicalizing builders, as the parser would build it.
    static func rebuilt(_ e: Expr) -> Expr {
        switch e {
        case .number, .symbol, .constant: return e
        case .sum(let xs): return Expr.add(xs.map(rebuilt))
        case .product(let xs): return Expr.multiply(xs.map(rebuilt))
        case .power(let b, let x): return Expr.raise(rebuilt(b), rebuilt(x))
        case .log(let x): return .log(rebuilt(x))
        case .min(let xs): return Expr.minimum(xs.map(rebuilt))
        case .max(let xs): return Expr.maximum(xs.map(rebuilt))
        case .binom(let n, let k): return .binom(rebuilt(n), rebuilt(k))
        case .apply(let f, let xs): return .apply(f, xs.map(rebuilt))
        }
    }

    static func shrinkCandidates(_ e: Expr, names: [String]) -> [Expr] {
        var out: [Expr] = []
        // At the root: each child, and small leaves.
        out.append(contentsOf: e.children)
        let children = e.children
        if children.count > 2 {
            for i in children.indices {
                var fewer = children
                fewer.remove(at: i)
                out.append(e.replacingChildren(fewer))
            }
        }
        // Deeper: shrink one child at a time.
        for (i, child) in children.enumerated() {
            for smaller in shrinkCandidates(child, names: names) {
                var next = children
                next[i] = smaller
                out.append(e.replacingChildren(next))
            }
            for leaf in names.map({ Expr.symbol($0) }) + [.one, .zero, Expr(2), .minusOne] where leaf != child && child.nodeCount > 1 {
                var next = children
                next[i] = leaf
                out.append(e.replacingChildren(next))
            }
        }
        return out
    }

    func printSummary() {
        for (k, v) in stats.sorted(by: { $0.key < $1.key }) { print("STAT\t\(k)\t\(v)") }
        for (k, v) in ruleHits.sorted(by: { $0.key < $1.key }) { print("RULE\t\(k)\t\(v)") }
        for (stage, t) in timings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { print("TIMING\t\(stage.rawValue)\t\(t.line)") }
        print("VCOUNT\tsimplifier unsound (value changed or lost)\t\(failureCount)")
        for f in failures { print("SOUNDNESS\t\(f.escapedForReport)") }
    }
}
