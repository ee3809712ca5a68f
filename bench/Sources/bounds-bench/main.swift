import Foundation

/// `bounds-bench [simplify|derive|evaluate|growth|all|corpus] [--long] [--runs N]`
///
/// Every workload runs the `bounds` side in this process and its baseline (SymPy, numpy, hand-written Swift)
/// on the same input, and prints the ratios with medians over several runs. See bench/README.md.
let usage = """
usage: bounds-bench [WORKLOAD...] [--long] [--runs N] [--no-python] [--wall]

workloads:
  simplify   parse + simplify + LaTeX over the seeded corpus, against SymPy (sympify, expand, latex)
  derive     the MoE derivation (DerivationRun + LaTeX) against a SymPy script doing the same algebra;
             wall time and peak memory of the `bounds derive` process
  evaluate   the full bound at 10^6 points: CompiledFunction, numpy (lambdify), hand-written Swift
  growth     simplify time against expression size (10^2..10^5 nodes) and derivation time against the
             number of chained lemmas (10..1000), with log-log slopes
  all        every workload above (the default)
  profile P  run one phase alone for callgrind: parse, simplify, latex, derive, evaluate (--count N)
  corpus     write the corpus to bench/corpus/corpus-<seed>.txt (or --out PATH); --seed S, --count N

options:
  --long       larger runs: SymPy over the whole corpus, more repetitions, bigger growth sizes
  --runs N     repetitions for the medians (default 5; 3 for the slow SymPy sides)
  --no-python  skip the Python baselines
  --wall       time in-process work by wall clock instead of CPU time (both sides, SymPy included)
"""

struct Options {
    var workloads: [String] = []
    var long = false
    var runs = 5
    var python = true
    var seed = Corpus.defaultSeed
    var count = Corpus.defaultCount
    var out: String? = nil
}

func parseOptions() throws -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())[...]
    while let a = args.popFirst() {
        switch a {
        case "--long": o.long = true
        case "--no-python": o.python = false
        case "--wall": useWallClock = true
        case "--runs":
            guard let v = args.popFirst(), let n = Int(v), n >= 1 else { throw BenchError("--runs needs a positive integer") }
            o.runs = n
        case "--seed":
            guard let v = args.popFirst(), let n = UInt64(v) else { throw BenchError("--seed needs an integer") }
            o.seed = n
        case "--count":
            guard let v = args.popFirst(), let n = Int(v), n >= 1 else { throw BenchError("--count needs a positive integer") }
            o.count = n
        case "--out":
            guard let v = args.popFirst() else { throw BenchError("--out needs a path") }
            o.out = v
        case "-h", "--help", "help": print(usage); exit(0)
        case "deep":  // internal: the deep-tree check, run as a child process by the growth workload
            guard let v = args.popFirst(), let n = Int(v), let step = args.popFirst() else { throw BenchError("deep needs a level count and a step") }
            o.workloads.append("deep:\(n):\(step)")
        case "profile":
            guard let phase = args.popFirst() else { throw BenchError("profile needs a phase") }
            o.workloads.append("profile:" + phase)
        case "simplify", "derive", "evaluate", "growth", "all", "corpus": o.workloads.append(a)
        default: throw BenchError("unknown argument '\(a)'\n\n\(usage)")
        }
    }
    if o.workloads.isEmpty || o.workloads.contains("all") {
        o.workloads = o.workloads.contains("corpus") ? ["corpus"] : ["simplify", "derive", "evaluate", "growth"]
    }
    return o
}

func runBench() -> Int32 {
    setvbuf(stdout, nil, _IOLBF, 0)
    do {
        let options = try parseOptions()
        if let w = options.workloads.first, w.hasPrefix("deep:") {
            let parts = w.split(separator: ":")
            try GrowthBench.deepCheck(levels: Int(parts[1]) ?? 1000, step: String(parts[2]))
        }
        if let w = options.workloads.first, w.hasPrefix("profile:") {
            try Profile.run(String(w.dropFirst("profile:".count)), options)
            return 0
        }
        if options.workloads == ["corpus"] {
            let lines = Corpus.generate(seed: options.seed, count: options.count)
            let path = options.out ?? Paths.benchDirectory.appendingPathComponent("corpus/corpus-\(options.seed).txt").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(lines.count) expressions to \(path) (fnv1a \(Corpus.fingerprint(lines)))")
            return 0
        }
        printMachine()
        print("  options: \(options.long ? "--long" : "default (short) run"), runs \(options.runs)\(options.python ? "" : ", no Python"), clock: \(useWallClock ? "wall" : "CPU time of the measured process (--wall for wall time)")")
        for w in options.workloads {
            print("")
            switch w {
            case "simplify": try SimplifyBench.run(options)
            case "derive": try DeriveBench.run(options)
            case "evaluate": try EvaluateBench.run(options)
            case "growth": try GrowthBench.run(options)
            default: break
            }
        }
        printSummary()
        try? FileManager.default.removeItem(at: Paths.scratch)
        return 0
    } catch {
        FileHandle.standardError.write("bounds-bench: \(error)\n".data(using: .utf8)!)
        try? FileManager.default.removeItem(at: Paths.scratch)
        return 1
    }
}

exit(runBench())
