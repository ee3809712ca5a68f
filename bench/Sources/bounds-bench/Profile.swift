import Foundation
import Symbolic
import Derivation

/// `bounds-bench profile PHASE [--count N]`: one phase alone, for `valgrind --tool=callgrind` (no timing,
/// no Python). PHASE is parse, simplify, latex (over the first N corpus expressions), derive (one
/// DerivationRun + LaTeX of the MoE theory), evaluate (CompiledFunction over 10^5 points), chain-load or
/// chain-derive (the synthetic chain of --count lemmas, default 1000), growth-sum (canonical simplify of workload
/// 4's wide sum of --count terms). `evaluate-parts` is not for callgrind: it
/// times the parts of workload 3's bound with each build of the evaluation kernels.
enum Profile {
    static func run(_ phase: String, _ o: Options) throws {
        let corpusPhases: Set<String> = ["parse", "simplify", "latex"]
        let lines = corpusPhases.contains(phase) ? Corpus.generate(seed: o.seed, count: o.count) : []
        let a = try SimplifyBench.assumptions()
        var sink = 0
        switch phase {
        case "parse":
            for text in lines { sink &+= try Parser.parseExpression(text).nodeCount }
        case "simplify":
            let parsed = try lines.map { try Parser.parseExpression($0) }
            for e in parsed { sink &+= Simplifier(assumptions: a).simplify(e).nodeCount }
        case "latex":
            let simplified = try lines.map { try Parser.parseExpression($0).simplified(a) }
            for e in simplified { sink &+= e.latex.utf8.count }
        case "derive":
            let theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
            let run = try DerivationRun(theory: theory)
            sink &+= LaTeXReport.document(run, fragment: false).utf8.count
        case "evaluate":
            let (f, columns) = try EvaluateBench.setup(points: 100_000)
            var out: [Double] = []
            f.evaluate(columns: columns, into: &out)
            sink &+= out.count
        case "evaluate-parts":
            // Where workload 3's time goes: the bound's parts compiled alone, timed with each kernel build.
            let names = EvaluateBench.parameters.map(\.name)
            let columns = EvaluateBench.columns(points: 1_000_000)
            let parts = ["n", "n*M", "log(n)", "exp(beta)", "M^(-2*beta/d)", "L_T*Pi_attn + L_T*k*Pi_exp + n*M + beta/d",
                         "min((L_T*Pi_attn + L_T*k*Pi_exp)^(-2*beta/d), M^(-2*beta/d))",
                         "(L_T*Pi_attn + L_T*k*Pi_exp)/n*log(n) + L_T*ell*k/n*log(e*M/k)", try EvaluateBench.bound().text]
            print("ms per 10^6 points (median of 9): \(EvaluationKernels.available.map(\.rawValue).joined(separator: ", "))")
            for text in parts {
                let f = try CompiledFunction(try Parser.parseExpression(text), parameters: names)
                var out: [Double] = []
                let times = EvaluationKernels.available.map { k in median(timeRuns(9) { f.evaluate(columns: columns, into: &out, kernels: k) }) }
                print("  \(times.map { fmt($0 * 1e3, 2) }.joined(separator: "  "))  \(text)")
                sink &+= out.count
            }
        case "growth-sum":
            let e = GrowthBench.wideSum(terms: o.count)
            let a = try GrowthBench.assumptions()
            sink &+= Simplifier(assumptions: a).simplify(e).nodeCount + e.nodeCount
        case "chain-load", "chain-derive":
            // --count lemmas (default 1000 when --count is left at the corpus size)
            let count = o.count == Corpus.defaultCount ? 1000 : o.count
            let url = Paths.scratch.appendingPathComponent("chain-\(count).bounds")
            try GrowthBench.chainTheory(count, asymptotics: false).write(to: url, atomically: true, encoding: .utf8)
            let theory = try Theory.load(url.path, from: .fileSystem)
            if phase == "chain-derive" { sink &+= try DerivationRun(theory: theory).bounds.count }
        default:
            throw BenchError("profile: unknown phase '\(phase)' (parse, simplify, latex, derive, evaluate, evaluate-parts, chain-load, chain-derive, growth-sum)")
        }
        print("profile \(phase): done (\(sink))")
    }
}
