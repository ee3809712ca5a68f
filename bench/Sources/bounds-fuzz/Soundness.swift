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

    /// What rounding does to the evaluation of `e` at a point: the value (NaN where the evaluator has none),
    /// a first-order bound on the absolute rounding error (in units of epsilon), and whether the answer
    /// hinges on rounding: a domain decision (the sign of a log's argument or of a power's base, whether a
    /// computed exponent is an integer, a division by a computed zero) taken on a value within its own
    /// error of the boundary, or an underflow to zero or into subnormals. Such a point cannot tell a wrong
    /// rule from a rounding artifact (1/log(exp(-log(x))*x) is "defined" at x = 0.1 only through rounding).
    struct Analysis { var value: Double; var error: Double; var fragile: Bool }

    static func analyze(_ e: Expr, _ p: [String: Double]) -> Analysis? {
        func within(_ a: Analysis, of target: Double) -> Bool { abs(a.value - target) <= 64 * epsilon * a.error + 1e-300 }
        func underflow(_ v: Double) -> Bool { v == 0 || abs(v) < 2.3e-308 }
        switch e.shape {
        case .number(let r): let v = r.doubleValue; return Analysis(value: v, error: abs(v), fragile: false)
        case .symbol(let s): return p[s].map { Analysis(value: $0, error: 0, fragile: false) }
        case .constant(let c): let v = c == .e ? M_E : Double.pi; return Analysis(value: v, error: abs(v), fragile: false)
        case .sum(let ts):
            var a = Analysis(value: 0, error: 0, fragile: false)
            for t in ts {
                guard let x = analyze(t, p) else { return nil }
                a.value += x.value
                a.error += x.error + abs(x.value)
                a.fragile = a.fragile || x.fragile
            }
            return a
        case .product(let fs):
            var parts: [Analysis] = []
            for f in fs { guard let x = analyze(f, p) else { return nil }; parts.append(x) }
            let value = parts.reduce(1.0) { $0 * $1.value }
            var error = Double(fs.count) * abs(value)
            for i in parts.indices {
                let others = parts.indices.filter { $0 != i }.reduce(1.0) { $0 * abs(parts[$1].value) }
                error += parts[i].error * others
            }
            let exactZero = parts.contains { $0.value == 0 }
            return Analysis(value: value, error: error, fragile: parts.contains(where: \.fragile) || (underflow(value) && !exactZero))
        case .power(let b, let x):
            guard let base = analyze(b, p), let ex = analyze(x, p) else { return nil }
            let literal = x.isNumber
            var fragile = base.fragile || ex.fragile
            let integral = ex.value == ex.value.rounded()
            if !literal && ex.error > 0 && base.value < 0 {
                // Whether a computed exponent is an integer decides if a negative base is allowed.
                if abs(ex.value - ex.value.rounded()) <= 64 * epsilon * ex.error + 1e-300 { fragile = true }
            }
            if base.error > 0 && within(base, of: 0) && (!integral || ex.value < 0) { fragile = true }
            var v: Double
            if base.value < 0 && !integral { v = .nan }
            else if base.value == 0 && ex.value < 0 { v = .nan }
            else if base.value == 0 && ex.value == 0 { v = 1 }
            else if case .constant(.e) = b { v = Foundation.exp(ex.value) }
            else { v = Foundation.pow(base.value, ex.value) }
            if v.isFinite && underflow(v) && base.value != 0 { fragile = true }
            var error = 2 * abs(v)
            if base.error > 0 && base.value != 0 { error += abs(ex.value) * abs(v / base.value) * base.error }
            if base.error > 0 && base.value == 0 && ex.value < 1 && ex.value > 0 { fragile = true }
            // A computed zero base: the exact base is within delta of 0, so the power is within delta^x of 0.
            if base.error > 0 && base.value == 0 && ex.value > 0 { error += Foundation.pow(64 * epsilon * base.error, ex.value) / epsilon }
            // 0^y decides on the sign of y (0, 1, or undefined): a computed y within rounding of 0 is ambiguous.
            if base.value == 0 && ex.error > 0 && within(ex, of: 0) { fragile = true }
            if ex.error > 0 && base.value != 0 { error += abs(v) * abs(Foundation.log(abs(base.value))) * ex.error }
            return Analysis(value: v, error: error, fragile: fragile)
        case .log(let x):
            guard let a = analyze(x, p) else { return nil }
            let fragile = a.fragile || (a.error > 0 && within(a, of: 0))
            guard a.value > 0 else { return Analysis(value: .nan, error: 0, fragile: fragile) }
            let v = Foundation.log(a.value)
            return Analysis(value: v, error: a.error / a.value + abs(v) + 1, fragile: fragile)
        case .min(let xs), .max(let xs):
            var parts: [Analysis] = []
            for x in xs { guard let a = analyze(x, p) else { return nil }; parts.append(a) }
            let isMin: Bool
            if case .min = e.shape { isMin = true } else { isMin = false }
            let values = parts.map(\.value)
            let v = isMin ? values.min()! : values.max()!
            return Analysis(value: v, error: parts.map(\.error).max() ?? 0, fragile: parts.contains(where: \.fragile))
        case .binom(let n, let k):
            guard let a = analyze(n, p), let b = analyze(k, p) else { return nil }
            guard a.value >= 0, b.value >= 0, b.value <= a.value else { return Analysis(value: .nan, error: 0, fragile: a.fragile || b.fragile) }
            let v = Foundation.exp(lgamma(a.value + 1) - lgamma(b.value + 1) - lgamma(a.value - b.value + 1))
            return Analysis(value: v, error: abs(v) * (64 + a.value), fragile: a.fragile || b.fragile)
        case .apply:
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
            let ao = analyze(original, p), ac = analyze(candidate, p)
            if ao?.fragile == true || ac?.fragile == true { return .illConditioned }
            return .lostDefinedness("original = \(va), simplified: \(eb)")
        case (.success(let va), .success(let vb)):
            if va == vb { return .agree }
            let scale = max(abs(va), abs(vb))
            let ao = analyze(original, p), ac = analyze(candidate, p)
            // Rounding error of each form; a form that cannot be analyzed gets a generous relative 1e-7.
            let tolerance = max(1e-9 * scale, 64 * epsilon * ((ao?.error ?? 0) + (ac?.error ?? 0)),
                                (ao == nil || ac == nil) ? 1e-7 * scale : 0)
            if abs(va - vb) <= tolerance { return .agree }
            if !tolerance.isFinite || ao?.fragile == true || ac?.fragile == true { return .illConditioned }
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
    /// Points where `CompiledFunction` (any kernel build) gave another double than `evaluate`, and examples.
    var compiledFailureCount = 0
    var compiledFailures: [String] = []
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
        var rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 8)
        var toReport: [(String, Expr, [String: Double], Comparison)] = []
        var points: [[String: Double]] = []
        for (form, result) in [("simplified", simplified), ("tidied", tidied)] {
            var reported = false
            for _ in 0..<6 {
                guard let p = c.point(&rng) else { count("points not found"); continue }
                count("points")
                points.append(p)
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
                        toReport.append((form, result, p, outcome))
                    }
                }
            }
        }
        timings[.soundnessEvaluate, default: StageTiming()].record(threadCPUNanos() - t1, index: index, limit: limitNanos)
        // Not part of the simplifier's timed evaluation (its figures stay comparable with earlier runs).
        checkCompiled(index, c, [("original", c.expression), ("simplified", simplified)], at: points)
        // Shrinking is not part of the timed work; the progress slot tells the watchdog what is going on.
        for (form, result, p, outcome) in toReport {
            progress?.set(index: index, stage: .soundnessShrink)
            report(index, c, form: form, result: result, point: p, outcome: outcome, rng: &rng)
        }
    }

    /// `CompiledFunction`'s contract: at every point, with every kernel build this processor runs, the double
    /// `evaluate` gives (the sign of a zero included), or NaN where `evaluate` throws.
    func checkCompiled(_ index: Int, _ c: SoundnessCase, _ forms: [(String, Expr)], at points: [[String: Double]]) {
        guard !points.isEmpty else { return }
        let names = c.domains.map(\.0)
        let columns = names.map { name in points.map { $0[name] ?? .nan } }
        for (form, e) in forms {
            guard let f = try? CompiledFunction(e, parameters: names) else { count("compiled: not compilable"); continue }
            let expected = points.map { p in (try? e.evaluate(p)) ?? .nan }
            for kernels in EvaluationKernels.available {
                var out: [Double] = []
                f.evaluate(columns: columns, into: &out, kernels: kernels)
                for j in points.indices {
                    let (got, want) = (out[j], expected[j])
                    if got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN) {
                        count("compiled points: same double (\(kernels.rawValue))")
                    } else {
                        compiledFailureCount += 1
                        if compiledFailures.count < 20 {
                            let at = points[j].sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                            compiledFailures.append("index=\(index) | form=\(form) | kernels=\(kernels.rawValue) | expression=\(e.text.clipped(300)) | at=\(at) | compiled=\(got) | evaluate=\(want)")
                        }
                    }
                }
            }
        }
    }

    /// Greedy shrinking: replace a subterm by one of its children or a leaf while the failure persists.
    func report(_ index: Int, _ c: SoundnessCase, form: String, result: Expr, point: [String: Double], outcome: Comparison, rng: inout FuzzRNG) {
        guard failures.count < 40 else { return }
        let deadline = monotonicNanos() + 3_000_000_000   // shrink for at most 3 s of wall time
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
        while improved && rounds < 60 && monotonicNanos() < deadline {
            improved = false
            rounds += 1
            for raw in SoundnessWorker.shrinkCandidates(current, names: c.domains.map(\.0)) {
                let candidate = SoundnessWorker.rebuilt(raw)
                guard candidate.nodeCount < current.nodeCount, monotonicNanos() < deadline else { continue }
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
        switch e.shape {
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
        print("VCOUNT\tCompiledFunction differs from evaluate\t\(compiledFailureCount)")
        for f in failures { print("SOUNDNESS\t\(f.escapedForReport)") }
        for f in compiledFailures { print("SOUNDNESS\tcompiled: \(f.escapedForReport)") }
    }
}
