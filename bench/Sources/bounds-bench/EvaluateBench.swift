import Foundation
import SeededRandom
import Symbolic
import Derivation

/// Workload 3: the full MoE bound at 10^6 points: `CompiledFunction` vs SymPy `lambdify` + numpy vs a
/// hand-written Swift loop of the same formula.
enum EvaluateBench {
    /// The parameters, in column order, with the range each is drawn from (log-uniform where marked).
    static let parameters: [(name: String, low: Double, high: Double, logScale: Bool)] = [
        ("beta", 0.5, 4, false), ("d", 1, 64, false), ("n", 1e3, 1e12, true), ("M", 8, 256, false),
        ("k", 1, 8, false), ("L_T", 1, 96, false), ("ell", 128, 8192, true), ("Pi_attn", 1e5, 1e8, true),
        ("Pi_exp", 1e5, 1e8, true),
    ]

    /// The composed MoE bound with N_eff replaced by its definition, as the derivation produces it.
    static func bound() throws -> Symbolic.Expr {
        let theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let composed = try Composer(theory: theory).composeAll()
        guard let first = composed.first else { throw BenchError("the MoE theory composed no bound") }
        let definitions = Dictionary(theory.definitions.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        return first.expression.substituting(definitions)
    }

    static func columns(points: Int) -> [[Double]] {
        var rng = SplitMix64(seed: 3)
        return parameters.map { p in
            (0..<points).map { _ in
                p.logScale ? Foundation.exp(rng.uniform(Foundation.log(p.low), Foundation.log(p.high))) : rng.uniform(p.low, p.high)
            }
        }
    }

    static func setup(points: Int) throws -> (CompiledFunction, [[Double]]) {
        let f = try CompiledFunction(try bound(), parameters: parameters.map(\.name))
        return (f, columns(points: points))
    }

    /// The same formula by hand: min(N_eff^(-2β/d), M^(-2β/d)) + N_eff·log(n)/n + L_T·ell·k·log(e·M/k)/n.
    static func handWritten(_ c: [[Double]], into out: inout [Double]) {
        let count = c[0].count
        if out.count != count { out = [Double](repeating: 0, count: count) }
        c[0].withUnsafeBufferPointer { beta in c[1].withUnsafeBufferPointer { d in c[2].withUnsafeBufferPointer { n in
        c[3].withUnsafeBufferPointer { M in c[4].withUnsafeBufferPointer { k in c[5].withUnsafeBufferPointer { L in
        c[6].withUnsafeBufferPointer { ell in c[7].withUnsafeBufferPointer { pa in c[8].withUnsafeBufferPointer { pe in
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<count {
                let neff = L[i] * pa[i] + L[i] * k[i] * pe[i]
                let p = -2 * beta[i] / d[i]
                let approx = Swift.min(Foundation.pow(neff, p), Foundation.pow(M[i], p))
                let estimation = neff * Foundation.log(n[i]) / n[i]
                let routing = L[i] * ell[i] * k[i] * Foundation.log(M_E * M[i] / k[i]) / n[i]
                o[i] = approx + estimation + routing
            }
        } } } } } } } } } }
    }

    static func maxRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        var worst = 0.0
        for i in a.indices {
            let scale = Swift.max(abs(a[i]), abs(b[i]), 1e-300)
            let r = a[i].isNaN || b[i].isNaN ? (a[i].isNaN && b[i].isNaN ? 0 : .infinity) : abs(a[i] - b[i]) / scale
            worst = Swift.max(worst, r)
        }
        return worst
    }

    static func run(_ o: Options) throws {
        let points = 1_000_000
        print("== Workload 3: the full bound at \(points) points (CompiledFunction vs numpy vs hand-written Swift)")
        let expression = try bound()
        print("  bound: \(expression.text)")
        print("  parameters: \(parameters.map { "\($0.name) in [\($0.low), \($0.high)]\($0.logScale ? " log-uniform" : "")" }.joined(separator: ", "))")
        let t0 = now()
        let f = try CompiledFunction(expression, parameters: parameters.map(\.name))
        let compileTime = now() - t0
        let c = columns(points: points)
        let runs = o.long ? 21 : Swift.max(o.runs, 5) * 2 + 1

        // Every build of the evaluation kernels this processor can run; `preferred` is what users get.
        let preferred = EvaluationKernels.preferred
        print("  kernels: \(preferred.rawValue) (available here: \(EvaluationKernels.available.map(\.rawValue).joined(separator: ", ")); BOUNDS_KERNELS overrides)")
        var buildTimes: [EvaluationKernels: [Double]] = [:]
        var outputs: [EvaluationKernels: [Double]] = [:]
        for kernels in EvaluationKernels.available {
            var out: [Double] = []
            buildTimes[kernels] = timeRuns(runs) { f.evaluate(columns: c, into: &out, kernels: kernels) }
            outputs[kernels] = out
        }
        var compiled = outputs[preferred]!
        for (kernels, out) in outputs where !out.elementsEqual(compiled, by: { $0.bitPattern == $1.bitPattern }) {
            throw BenchError("the \(kernels.rawValue) and \(preferred.rawValue) kernels disagree")
        }
        let compiledTimes = buildTimes[preferred]!
        var hand: [Double] = []
        let handTimes = timeRuns(runs) { handWritten(c, into: &hand) }
        print("  CompiledFunction: compile \(fmtTime(compileTime)); evaluate \(fmtTimes(compiledTimes)); \(fmt(median(compiledTimes) / Double(points) * 1e9, 1)) ns/point")
        for kernels in EvaluationKernels.available where kernels != preferred {
            let t = buildTimes[kernels]!
            print("  CompiledFunction, \(kernels.rawValue) kernels: \(fmtTimes(t)); \(fmt(median(t) / Double(points) * 1e9, 1)) ns/point (the same doubles)")
            report("evaluate.\(kernels.rawValue)/\(preferred.rawValue)", "\(fmt(median(t) / median(compiledTimes), 2))x the time", target: "none", met: nil)
        }
        print("  hand-written Swift: \(fmtTimes(handTimes)); \(fmt(median(handTimes) / Double(points) * 1e9, 1)) ns/point")
        let handDiff = maxRelativeDifference(compiled, hand)
        print("  agreement CompiledFunction vs hand-written: max relative difference \(String(format: "%.2e", handDiff))")
        let vsHand = median(compiledTimes) / median(handTimes)
        report("evaluate.compiled/hand-written", "\(fmt(vsHand, 2))x the time", target: "<= 2x", met: vsHand <= 2)
        report("evaluate.agreement-hand-written", String(format: "%.1e", handDiff), target: "<= 1e-12 relative", met: handDiff <= 1e-12)

        guard o.python else { return }
        // Columns to a binary file (little-endian doubles, one column after another) for numpy.
        let dataURL = Paths.scratch.appendingPathComponent("columns.f64")
        var bytes = Data(capacity: points * parameters.count * 8)
        for column in c { column.withUnsafeBufferPointer { bytes.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) } }
        try bytes.write(to: dataURL)
        let outURL = Paths.scratch.appendingPathComponent("numpy-out.f64")
        // Rounds alternating numpy and CompiledFunction, each side `runs` times per round: the shared machine has
        // slow and fast phases of several seconds, and a ratio is only fair between runs made in the same phase.
        // The figure is the median of the rounds' ratios.
        let rounds = o.long ? 5 : 3
        var ratios: [Double] = [], numpyAll: [Double] = [], compiledAll: [Double] = []
        var numpyOut: [Double] = []
        for round in 1...rounds {
            let r = try Python.run("sympy_lambdify.py", [expression.text, parameters.map(\.name).joined(separator: ","),
                                                         "\(points)", dataURL.path, outURL.path, "\(runs)"])
            let numpyTimes = r.doubles("times")
            let roundCompiled = timeRuns(runs) { f.evaluate(columns: c, into: &compiled, kernels: preferred) }
            ratios.append(median(numpyTimes) / median(roundCompiled))
            numpyAll += numpyTimes
            compiledAll += roundCompiled
            print("  round \(round): SymPy lambdify + numpy \(r.string("numpy")) (\(r.string("blas"))): lambdify \(fmtTime(r.double("lambdify_time"))); evaluate \(fmtTimes(numpyTimes)); CompiledFunction \(fmtTimes(roundCompiled)); numpy/compiled \(fmt(ratios.last!, 2))")
            if round == 1 {
                guard let data = FileManager.default.contents(atPath: outURL.path), data.count == points * 8 else {
                    throw BenchError("numpy wrote no output")
                }
                numpyOut = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            }
        }
        print("  numpy: \(fmt(median(numpyAll) / Double(points) * 1e9, 1)) ns/point, CompiledFunction \(fmt(median(compiledAll) / Double(points) * 1e9, 1)) ns/point over the \(rounds) rounds; numpy/compiled per round \(ratios.map { fmt($0, 2) }.joined(separator: ", "))")
        let numpyDiff = maxRelativeDifference(compiled, numpyOut)
        print("  agreement CompiledFunction vs numpy: max relative difference \(String(format: "%.2e", numpyDiff))")
        let vsNumpy = median(ratios)
        report("evaluate.numpy/compiled", "\(fmt(vsNumpy, 2))x, lowest round \(fmt(ratios.min()!, 2))",
               target: ">= 1x (median of the rounds; compiled faster if > 1)", met: vsNumpy >= 1)
        report("evaluate.agreement-numpy", String(format: "%.1e", numpyDiff), target: "<= 1e-12 relative", met: numpyDiff <= 1e-12)
    }
}
