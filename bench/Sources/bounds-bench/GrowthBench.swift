import Foundation
import SeededRandom
import Symbolic
import Derivation

/// Workload 4: how cost grows with size. Simplification of expressions of 10^2..10^5 nodes in three shapes,
/// derivation of a synthetic theory of 10..1000 chained lemmas, log-log slopes, and a deep-tree check run in
/// a child process (so a stack overflow is reported, not fatal).
enum GrowthBench {
    // MARK: expression shapes

    static let pool = (0..<40).map { "x\($0)" }

    /// A sum of `terms` bound-like summands c*x_i^(-p*beta/d)*log(x_j)/n (about 14 nodes each).
    static func wideSum(terms: Int) -> Symbolic.Expr {
        var rng = SplitMix64(seed: 11)
        var summands: [Symbolic.Expr] = []
        for i in 0..<terms {
            let base = Symbolic.Expr.symbol(pool[rng.below(pool.count)])
            let p = Symbolic.Expr(1 + i % 3)
            let exponent = -(p * "beta") / "d"
            let term: Symbolic.Expr = Symbolic.Expr(1 + rng.below(9)) * (base ^ exponent)
                * .log(.symbol(pool[rng.below(pool.count)])) / "n"
            summands.append(term)
        }
        return .add(summands)
    }

    /// A product of `factors` powers x_i^(q) and x_i^(beta/k) of a pool of bases (about 5 nodes each):
    /// the simplifier must merge equal bases.
    static func wideProduct(factors: Int) -> Symbolic.Expr {
        var rng = SplitMix64(seed: 13)
        var fs: [Symbolic.Expr] = []
        for _ in 0..<factors {
            let base = Symbolic.Expr.symbol(pool[rng.below(pool.count)])
            let exponent: Symbolic.Expr = rng.chance(percent: 50)
                ? Symbolic.Expr(Rational(numerator: BigInt(1 + rng.below(5)), denominator: BigInt(2 + rng.below(5)))!)
                : Symbolic.Expr("beta") / Symbolic.Expr(1 + rng.below(7))
            fs.append(base ^ exponent)
        }
        return .multiply(fs)
    }

    /// A nested chain a0 + b0*(a1 + b1*(a2 + ...)) built with the constructors (no parser nesting limit),
    /// about 4 nodes per level: the deep-tree check (its depth is a quarter of its node count).
    static func nestedChain(levels: Int) -> Symbolic.Expr {
        var e: Symbolic.Expr = "z"
        for i in stride(from: levels - 1, through: 0, by: -1) {
            e = .sum([.symbol(pool[i % pool.count]), .product([.symbol(pool[(i * 7 + 3) % pool.count]), e])])
        }
        return e
    }

    /// A balanced binary tree with `leaves` symbol leaves, alternating sums and products by level
    /// (so the constructors do not flatten it): depth about log2(leaves).
    static func balancedTree(leaves: Int, level: Int = 0, offset: Int = 0) -> Symbolic.Expr {
        if leaves <= 1 { return .symbol(pool[(offset * 7 + level) % pool.count]) }
        let left = leaves / 2
        let l = balancedTree(leaves: left, level: level + 1, offset: offset)
        let r = balancedTree(leaves: leaves - left, level: level + 1, offset: offset + left)
        return level % 2 == 0 ? .sum([l, r]) : .product([l, r])
    }

    static func depth(_ e: Symbolic.Expr) -> Int {
        var best = 0
        var stack: [(Symbolic.Expr, Int)] = [(e, 1)]
        while let (node, d) = stack.popLast() {
            best = Swift.max(best, d)
            for c in node.children { stack.append((c, d + 1)) }
        }
        return best
    }

    static func assumptions() throws -> Assumptions {
        var a = Assumptions()
        for name in pool + ["beta", "d", "n", "z"] { try a.assume(text: "\(name) > 0") }
        return a
    }

    struct Series {
        var name: String
        var sizes: [Double] = []
        var times: [Double] = []
        var notes: [String] = []
    }

    /// Times `body` on each size: the median of a few runs (fewer for the large sizes).
    static func measure(_ name: String, _ sizes: [Int], once: Bool = false, nodes: (Int) -> Int, _ body: (Int) throws -> Void) rethrows -> Series {
        var s = Series(name: name)
        for size in sizes {
            if ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil { print("    [\(name.split(separator: " ").first ?? "") size \(size)]") }
            let runs = once ? 1 : (size <= 1_000 ? 7 : (size <= 10_000 ? 3 : 1))
            let times = try timeRuns(runs, warmup: size <= 10_000 && !once ? 1 : 0) { try body(size) }
            s.sizes.append(Double(nodes(size)))
            s.times.append(median(times))
        }
        return s
    }

    static func printSeries(_ s: Series, unit: String, target: Double?) {
        print("  \(s.name)")
        print("    \(unit.padding(toLength: 10, withPad: " ", startingAt: 0))  time         time/size")
        for (n, t) in zip(s.sizes, s.times) {
            print("    \(String(Int(n)).padding(toLength: 10, withPad: " ", startingAt: 0))  \(fmtTime(t).padding(toLength: 11, withPad: " ", startingAt: 0))  \(fmtTime(t / n))")
        }
        for note in s.notes { print("    \(note)") }
        // The slope over the larger half of the sizes too: the small sizes are dominated by fixed costs.
        let slope = logLogSlope(s.sizes, s.times)
        let upper = s.sizes.count / 2
        let tailSlope = logLogSlope(Array(s.sizes[upper...]), Array(s.times[upper...]))
        print("    log-log slope \(fmt(slope, 2)) (all sizes), \(fmt(tailSlope, 2)) (upper half)")
        report("growth.\(s.name.split(separator: " ").first ?? "")", "slope \(fmt(slope, 2))", target: target.map { "<= \($0)" } ?? "-",
               met: target.map { slope <= $0 })
    }

    // MARK: synthetic theory

    /// A theory of `count` lemmas L_k: X_k <= X_{k+1} + term_k and a recipe chaining them all.
    static func chainTheory(_ count: Int, asymptotics: Bool) -> String {
        var lines = ["# Synthetic chain of \(count) lemmas (bounds-bench growth workload).", "", "symbols",
                     "  n : integer >= 2  \"sample size\"", "", "quantities"]
        for k in 1...(count + 1) { lines.append("  X\(k) >= 0  \"level \(k)\"") }
        for k in 1...count {
            lines += ["", "lemma L\(k) \"step \(k)\" [standard]", "  source \"synthetic\"",
                      "  X\(k) <= X\(k + 1) + \(k)*log(n)^\(k % 3)/n^(\(k % 7 + 1)/\(k % 5 + 2))"]
        }
        lines += ["", "derive chain \"the whole chain\"", "  as n -> oo", "  start X1"]
        for k in 1...count { lines.append("  by L\(k)") }
        if asymptotics { lines.append("  by asymptotics") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func deriveChain(_ count: Int, asymptotics: Bool) throws -> (load: Double, derive: Double) {
        let url = Paths.scratch.appendingPathComponent("chain-\(count)-\(asymptotics).bounds")
        if !FileManager.default.fileExists(atPath: url.path) {
            try chainTheory(count, asymptotics: asymptotics).write(to: url, atomically: true, encoding: .utf8)
        }
        let t0 = benchClock()
        let theory = try Theory.load(url.path, from: .fileSystem)
        let t1 = benchClock()
        let run = try DerivationRun(theory: theory, audit: true)
        let t2 = benchClock()
        guard let bound = run.bounds.first, bound.terms.count >= (asymptotics ? 1 : count) else {
            throw BenchError("the chain of \(count) did not compose (\(run.bounds.first?.terms.count ?? 0) terms)")
        }
        return (t1 - t0, t2 - t1)
    }

    // MARK: deep trees, in a child process

    /// Each step with its share of the time limit. Canonical mode multiplies the chain out: its output grows with
    /// the square of the depth (3 million nodes at 25,000 levels), so it gets more time than the linear steps.
    static let deepSteps: [(name: String, timeScale: Double)] = [
        ("nodeCount", 1), ("evaluate", 1), ("tidy", 1), ("canonical", 6), ("hash", 1), ("equal", 1), ("text", 1),
        ("latex", 1), ("compile", 1), ("deallocate", 1),
    ]

    /// `bounds-bench deep LEVELS STEP`: builds a nested chain, runs one operation on it and prints a line;
    /// exits without releasing the tree unless the step is the deallocation itself.
    static func deepCheck(levels: Int, step: String) throws -> Never {
        let a = try assumptions()
        deepTree = nestedChain(levels: levels)
        var e: Symbolic.Expr? = deepTree
        var point: [String: Double] = ["z": 0.5]
        for name in pool { point[name] = 0.25 }
        switch step {
        case "nodeCount": print("\(e!.nodeCount) nodes")
        case "evaluate": print("value \((try? e!.evaluate(point)).map { "\($0)" } ?? "error")")
        case "tidy": print("\(e!.tidied(a).nodeCount) nodes")
        case "canonical": print("\(e!.simplified(a).nodeCount) nodes")
        case "hash": print("hash \(e!.hashValue != 0)")
        case "equal": print("equal \(e! == nestedChain(levels: levels))")
        case "text": print("\(e!.text.count) chars")
        case "latex": print("\(e!.latex.count) chars")
        case "compile": print((try? CompiledFunction(e!, parameters: pool + ["z"])).map { "\($0([Double](repeating: 0.25, count: pool.count) + [0.5]))" } ?? "error")
        case "deallocate": e = nil; deepTree = nil; print("released")
        default: throw BenchError("unknown deep step \(step)")
        }
        fflush(stdout)
        exit(0)
    }

    /// Keeps the deep tree alive until exit, so each step tests only itself, not the release of the tree.
    nonisolated(unsafe) static var deepTree: Symbolic.Expr? = nil

    /// Runs every deep step in its own child process: (step, ok, what it printed or how it died).
    static func runDeepCheck(levels: Int, timeout: Double) -> [(String, Bool, String)] {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return deepSteps.map { (step, timeScale) in
            // A short crash report (the default backtrace of a 100,000-frame overflow takes minutes to print).
            var env = ProcessInfo.processInfo.environment
            env["SWIFT_BACKTRACE"] = "enable=yes,limit=8,top=4,threads=crashed,registers=none,images=none,sanitize=yes"
            let limit = timeout * timeScale
            guard let r = try? runProcess(exe, ["deep", "\(levels)", step], environment: env, timeout: limit) else { return (step, false, "could not start") }
            if r.timedOut { return (step, false, "did not finish in \(Int(limit)) s") }
            if r.status == 0 { return (step, true, r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "  (\(fmt(r.wall, 2)) s wall, process)") }
            let frame = r.stderr.split(separator: "\n").first { $0.contains(" in bounds-bench at ") }
            let where_ = frame.map { String($0.split(separator: "]").last ?? "").trimmingCharacters(in: .whitespaces) } ?? ""
            return (step, false, "crashed (exit \(r.status))\(where_.isEmpty ? "" : " in " + where_.components(separatedBy: " + ").first!)")
        }
    }

    // MARK: run

    static func run(_ o: Options) throws {
        print("== Workload 4: growth with size")
        let a = try assumptions()
        let exponents: [Double] = o.long ? [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5] : [2, 2.5, 3, 3.5, 4, 4.5, 5]
        let nodeTargets = exponents.map { Int(Foundation.pow(10, $0)) }

        var sinkCount = 0
        // Each shape is sized so its node count hits the targets.
        let sumSizes = nodeTargets.map { Swift.max(1, $0 * 10 / wideSum(terms: 10).nodeCount) }
        var sum = measure("sum (canonical simplify of a sum of bound terms)", sumSizes, nodes: { wideSum(terms: $0).nodeCount }) { m in
            let e = wideSum(terms: m)
            sinkCount &+= Simplifier(assumptions: a).simplify(e).nodeCount
        }
        let parseSizes = sumSizes
        var parse = try measure("parse (the same sums, from text)", parseSizes, nodes: { wideSum(terms: $0).nodeCount }) { m in
            sinkCount &+= try Parser.parseExpression(wideSum(terms: m).text).nodeCount
        }
        let productSizes = nodeTargets.map { Swift.max(1, $0 * 10 / wideProduct(factors: 10).nodeCount) }
        var product = measure("product (canonical simplify: merging powers of equal bases)", productSizes, nodes: { wideProduct(factors: $0).nodeCount }) { m in
            sinkCount &+= Simplifier(assumptions: a).simplify(wideProduct(factors: m)).nodeCount
        }
        let balancedSizes = nodeTargets.map { Swift.max(2, $0 / 2) }
        var balanced = measure("balanced (tidy simplify of a balanced tree of alternating sums and products)", balancedSizes, nodes: { balancedTree(leaves: $0).nodeCount }) { m in
            sinkCount &+= Simplifier(assumptions: a, options: .tidy).simplify(balancedTree(leaves: m)).nodeCount
        }
        // Canonical mode multiplies the products of sums out (up to its cap of 20,000 terms): the output, not
        // only the work, grows faster than the input, so this series stops at 10^3 nodes (--long: 10^3.5).
        let canonicalSizes = balancedSizes.filter { $0 <= (o.long ? 1_600 : 500) }
        var balancedCanonical = measure("balanced-canonical (the same trees, canonical simplify, which expands)", canonicalSizes, once: true, nodes: { balancedTree(leaves: $0).nodeCount }) { m in
            sinkCount &+= Simplifier(assumptions: a).simplify(balancedTree(leaves: m)).nodeCount
        }
        balanced.notes.append("depth of the largest: \(depth(balancedTree(leaves: balancedSizes.last!))) levels")
        balancedCanonical.notes.append("output of the largest: \(Simplifier(assumptions: a).simplify(balancedTree(leaves: canonicalSizes.last!)).nodeCount) nodes; 31,622 nodes did not finish in 5 minutes")
        sum.notes.append("output of the largest: \(Simplifier(assumptions: a).simplify(wideSum(terms: sumSizes.last!)).nodeCount) nodes")
        product.notes.append("output of the largest: \(Simplifier(assumptions: a).simplify(wideProduct(factors: productSizes.last!)).nodeCount) nodes")
        parse.notes.append("text of the largest: \(wideSum(terms: parseSizes.last!).text.utf8.count) bytes")
        for s in [sum, parse, product, balanced] { printSeries(s, unit: "nodes", target: 1.2) }
        printSeries(balancedCanonical, unit: "nodes", target: nil)

        // Deep trees: each operation in its own child process, so a stack overflow is reported, not fatal.
        for levels in o.long ? [1_000, 5_000, 15_000, 25_000] : [1_000, 25_000] {
            let results = runDeepCheck(levels: levels, timeout: o.long ? 300 : 10)
            print("  deep chain of \(levels) levels (\(levels * 4 + 1) nodes):")
            for (step, ok, detail) in results { print("    \(step.padding(toLength: 11, withPad: " ", startingAt: 0)) \(ok ? "ok     " : "FAILED ") \(detail)") }
            let failed = results.filter { !$0.1 && !$0.2.hasPrefix("did not finish") }.map(\.0)
            let slow = results.filter { $0.2.hasPrefix("did not finish") }.map(\.0)
            if !slow.isEmpty { report("growth.deep-\(levels)-time", "too slow: " + slow.joined(separator: ","), target: "finishes", met: false) }
            report("growth.deep-\(levels)", failed.isEmpty ? "all ok" : "overflow in " + failed.joined(separator: ","), target: "no stack overflow", met: failed.isEmpty)
        }

        // Synthetic theories.
        let chainSizes = o.long ? [10, 30, 100, 300, 1000, 3000] : [10, 30, 100, 300, 1000]
        var loads: [Double] = [], derives: [Double] = []
        for count in chainSizes {
            let runs = count <= 100 ? 5 : (count <= 300 ? 3 : 1)
            _ = try deriveChain(count, asymptotics: false)
            var l: [Double] = [], d: [Double] = []
            for _ in 0..<runs { let r = try deriveChain(count, asymptotics: false); l.append(r.load); d.append(r.derive) }
            loads.append(median(l)); derives.append(median(d))
        }
        printSeries(Series(name: "chain-load (Theory.load of N chained lemmas)", sizes: chainSizes.map(Double.init), times: loads), unit: "lemmas", target: 1.2)
        printSeries(Series(name: "chain-derive (DerivationRun composing N chained lemmas)", sizes: chainSizes.map(Double.init), times: derives), unit: "lemmas", target: 1.2)

        // With a final `by asymptotics`, which compares every pair of terms.
        let asymptoticSizes = o.long ? [10, 30, 100, 300] : [10, 30, 100]
        var asym: [Double] = []
        for count in asymptoticSizes {
            _ = try deriveChain(count, asymptotics: true)
            asym.append(median((0..<(count <= 30 ? 3 : 1)).map { _ in (try? deriveChain(count, asymptotics: true).derive) ?? .nan }))
        }
        var s = Series(name: "chain+asymptotics (the same chain ending in `by asymptotics`)", sizes: asymptoticSizes.map(Double.init), times: asym)
        s.notes.append("dropping dominated terms compares every pair of terms: quadratic by design")
        printSeries(s, unit: "lemmas", target: nil)
        if sinkCount == -1 { print(sinkCount) }
    }
}
