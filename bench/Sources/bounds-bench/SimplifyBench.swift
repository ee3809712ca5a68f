import Foundation
import SeededRandom
import Symbolic

/// Workload 1: parse + simplify (canonical form) + LaTeX over the seeded corpus, against SymPy.
enum SimplifyBench {
    static func assumptions() throws -> Assumptions {
        var a = Assumptions()
        for name in Corpus.symbols { try a.assume(text: "\(name) > 0") }
        return a
    }

    struct Pass {
        var parse = 0.0, simplify = 0.0, latex = 0.0
        var total: Double { parse + simplify + latex }
    }

    /// One pass over `lines`: parse, simplify with a fresh simplifier (as `Expr.simplified` does), print LaTeX.
    static func pass(_ lines: ArraySlice<String>, _ a: Assumptions, keep: inout [Symbolic.Expr]) throws -> Pass {
        var p = Pass()
        var sink = 0
        keep.removeAll(keepingCapacity: true)
        for text in lines {
            let t0 = benchClock()
            let e = try Parser.parseExpression(text)
            let t1 = benchClock()
            let s = Simplifier(assumptions: a).simplify(e)
            let t2 = benchClock()
            sink &+= s.latex.utf8.count
            let t3 = benchClock()
            p.parse += t1 - t0; p.simplify += t2 - t1; p.latex += t3 - t2
            keep.append(s)
        }
        if sink == -1 { print(sink) }
        return p
    }

    static func run(_ o: Options) throws {
        print("== Workload 1: parse + simplify + LaTeX over the corpus (bounds vs SymPy)")
        let lines = Corpus.generate(seed: o.seed, count: o.count)
        print("  corpus: \(lines.count) expressions, seed \(o.seed), fnv1a \(Corpus.fingerprint(lines)), " +
              "mean \(lines.map { (try? Parser.parseExpression($0).nodeCount) ?? 0 }.reduce(0, +) / lines.count) nodes")
        let a = try assumptions()
        print("  assumptions: every symbol > 0 (\(Corpus.symbols.joined(separator: ", ")))")

        // bounds over the whole corpus.
        var outputs: [Symbolic.Expr] = []
        _ = try pass(lines[...], a, keep: &outputs)   // warm-up
        var passes: [Pass] = []
        // Whole-corpus passes take seconds each: 3 by default (--runs N, --long: at least 5).
        for _ in 0..<(o.long ? Swift.max(o.runs, 5) : Swift.min(o.runs, 3)) { passes.append(try pass(lines[...], a, keep: &outputs)) }
        let totals = passes.map(\.total)
        let perExpr = median(totals) / Double(lines.count)
        print("  bounds, all \(lines.count): \(fmtTimes(totals)); per expression \(fmtTime(perExpr)) " +
              "(parse \(fmtTime(median(passes.map(\.parse)) / Double(lines.count))), " +
              "simplify \(fmtTime(median(passes.map(\.simplify)) / Double(lines.count))), " +
              "latex \(fmtTime(median(passes.map(\.latex)) / Double(lines.count)))); " +
              "\(Int(Double(lines.count) / median(totals))) expressions/s")

        // Self-check over every expression: the canonical form has the value of the input at random points.
        var rng = SplitMix64(seed: 7)
        var checked = 0, agreeing = 0
        var firstDisagreement: String? = nil
        for (i, text) in lines.enumerated() {
            guard let e = try? Parser.parseExpression(text) else { continue }
            var ok = true, any = false
            for _ in 0..<2 {
                var point: [String: Double] = [:]
                for name in Corpus.symbols { point[name] = rng.uniform(1.5, 4.0) }
                guard let u = try? e.evaluate(point) else { continue }
                any = true
                guard let v = try? outputs[i].evaluate(point) else { ok = false; continue }
                if abs(u - v) > 1e-8 * Swift.max(1, abs(u), abs(v)) { ok = false }
            }
            if !any { continue }
            checked += 1
            if ok { agreeing += 1 } else if firstDisagreement == nil { firstDisagreement = "\(text)  ->  \(outputs[i].text)" }
        }
        print("  numeric self-check (input vs bounds result at 2 random points in [1.5, 4]^\(Corpus.symbols.count)): \(agreeing)/\(checked) agree")
        if let firstDisagreement { print("    first disagreement: \(firstDisagreement)") }
        report("simplify.self-check", "\(agreeing)/\(checked)", target: "all agree", met: agreeing == checked)

        guard o.python else { return }
        let limit = o.long ? lines.count : 200
        let sympyRuns = o.long ? 1 : 3
        let simplifyCount = o.long ? 200 : 20
        let checkCount = o.long ? 1000 : 200
        // bounds on exactly the subset SymPy times.
        var subsetOut: [Symbolic.Expr] = []
        var subsetTimes: [Double] = []
        for _ in 0..<(o.long ? 100 : 40) { subsetTimes.append(try pass(lines[..<limit], a, keep: &subsetOut).total) }

        let corpusURL = Paths.scratch.appendingPathComponent("corpus.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: corpusURL, atomically: true, encoding: .utf8)
        let boundsURL = Paths.scratch.appendingPathComponent("bounds-simplified.txt")
        try (outputs.map(\.text).joined(separator: "\n") + "\n").write(to: boundsURL, atomically: true, encoding: .utf8)
        print("  SymPy: powsimp(expand(sympify(text))) + latex on the first \(limit) expressions, \(sympyRuns) run(s); simplify() on the first \(simplifyCount) ...")
        let r = try Python.run("sympy_simplify.py", [corpusURL.path, boundsURL.path, "\(limit)", "\(sympyRuns)",
                                                    "\(simplifyCount)", "\(checkCount)"])
        if r.string("fingerprint") != Corpus.fingerprint(lines) {
            throw BenchError("SymPy read a different corpus (fingerprint \(r.string("fingerprint")))")
        }
        let sympyTimes = r.doubles("sympy_times")
        let sympyPer = median(sympyTimes) / Double(limit)
        let boundsPer = median(subsetTimes) / Double(limit)
        print("  SymPy (expand+powsimp), \(limit): \(fmtTimes(sympyTimes)); per expression \(fmtTime(sympyPer)); \(fmt(1 / sympyPer, 1)) expressions/s")
        print("  bounds, same \(limit): \(fmtTimes(subsetTimes)); per expression \(fmtTime(boundsPer))")
        let ratio = sympyPer / boundsPer
        report("simplify.vs-sympy-expand", "\(fmt(ratio, 0))x", target: ">= 30x", met: ratio >= 30)
        let simplifyTime = r.double("simplify_time")
        if simplifyCount > 0, simplifyTime.isFinite {
            let per = simplifyTime / Double(simplifyCount)
            print("  SymPy simplify(), \(simplifyCount): \(fmtTime(simplifyTime)) (1 run); per expression \(fmtTime(per))")
            report("simplify.vs-sympy-simplify", "\(fmt(per / boundsPer, 0))x", target: ">= 30x", met: per / boundsPer >= 30)
        }
        let checked2 = r.int("checked"), agree2 = r.int("agree")
        print("  agreement with SymPy (SymPy's result vs bounds' result, 3 random positive points each): \(agree2)/\(checked2); " +
              "SymPy's own result vs input: \(r.int("sympy_self_agree"))/\(checked2)")
        for f in (r["failures"] as? [[String: Any]]) ?? [] {
            print("    differs at #\(f.int("index")): \(f.string("input"))\n      sympy:  \(f.string("sympy"))\n      bounds: \(f.string("bounds"))")
        }
        report("simplify.agreement-with-sympy", "\(agree2)/\(checked2)", target: "all agree", met: agree2 == checked2)
    }
}
