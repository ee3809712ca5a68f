import Foundation
import Symbolic
import Derivation

// bounds-fuzz: reliability fuzzing of the parsers, the loader, the checker and the simplifier.
//
//   bounds-fuzz [parse|simplify|checker|all] [--seed N] [--count N] [--batch N] [--jobs N] [--limit SECONDS]
//               [--hang-limit SECONDS] [--check-rate P] [--compose-rate P] [--theorems DIR] [--out DIR] [--report FILE]
//   bounds-fuzz --worker SEED START COUNT [--mode parse|simplify|checker] [--progress FILE] [--scratch DIR] ...
//   bounds-fuzz --replay parse|simplify|checker SEED INDEX      (prints input INDEX and runs it in this process)
//
// `checker` (CheckerFuzz.swift and CheckerCase/Theorems/Eval/Confirm.swift) is the checker soundness fuzzer: an
// input is one random theory with known quantity models and 7-10 theorems; every step the kernel accepts is
// confirmed numerically (`all` runs parse and simplify only).
//
// The coordinator never runs an input itself: it spawns workers on batches of input indices, so a crash
// (a trap, a stack overflow) kills only the worker. Each worker writes the index and stage it is on into a
// mapped file before starting it; when a worker dies the coordinator reads which input killed it, saves it,
// keeps the worker's stderr (the Swift runtime's backtrace), and restarts on the rest of the batch. A worker
// that makes no progress for --hang-limit seconds is killed and its input reported as a hang. Inputs that
// finish but take more than --limit (1 s) are counted by the worker and reported with the slowest.

setvbuf(stdout, nil, _IOLBF, 0)

let defaultTheorems: String = {
    // bench/Sources/bounds-fuzz/main.swift → repository root.
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("theorems").path
}()

struct Options {
    var mode = "all"
    var seed: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000_007
    var count = 100_000
    var batch = 20_000
    var batchGiven = false
    var jobs = 1
    var limit = 1.0
    var hangLimit = 10.0
    var checkRate = 0.1
    var composeRate = 0.02
    var theorems = defaultTheorems
    var out: String? = nil
    var report: String? = nil
    var progress: String? = nil
    var scratch: String? = nil
    var verbose = false

    mutating func parseFlags(_ args: inout ArraySlice<String>) throws {
        while let flag = args.popFirst() {
            func value() throws -> String {
                guard let v = args.popFirst() else { throw FuzzError("\(flag) needs a value") }
                return v
            }
            switch flag {
            case "parse", "simplify", "checker", "all": mode = flag
            case "--mode": mode = try value()
            case "--seed": guard let v = UInt64(try value()) else { throw FuzzError("--seed takes an integer") }; seed = v
            case "--count": guard let v = Int(try value().replacingOccurrences(of: "_", with: "")), v >= 0 else { throw FuzzError("--count takes an integer") }; count = v
            case "--batch": guard let v = Int(try value()), v > 0 else { throw FuzzError("--batch takes a positive integer") }; batch = v; batchGiven = true
            case "--jobs": guard let v = Int(try value()), v > 0 else { throw FuzzError("--jobs takes a positive integer") }; jobs = v
            case "--limit": guard let v = Double(try value()), v > 0 else { throw FuzzError("--limit takes seconds") }; limit = v
            case "--hang-limit": guard let v = Double(try value()), v > 0 else { throw FuzzError("--hang-limit takes seconds") }; hangLimit = v
            case "--check-rate": guard let v = Double(try value()) else { throw FuzzError("--check-rate takes a probability") }; checkRate = v
            case "--compose-rate": guard let v = Double(try value()) else { throw FuzzError("--compose-rate takes a probability") }; composeRate = v
            case "--theorems": theorems = try value()
            case "--out": out = try value()
            case "--report": report = try value()
            case "--progress": progress = try value()
            case "--scratch": scratch = try value()
            case "--verbose": verbose = true
            default: throw FuzzError("unknown argument '\(flag)'")
            }
        }
    }
}

// MARK: - Worker and replay

func runWorker(_ args: ArraySlice<String>) throws -> Int32 {
    var rest = args
    guard let s = rest.popFirst().flatMap(UInt64.init), let start = rest.popFirst().flatMap(Int.init),
          let count = rest.popFirst().flatMap(Int.init) else {
        throw FuzzError("usage: bounds-fuzz --worker SEED START COUNT [--mode parse|simplify] [--progress FILE]")
    }
    var options = Options()
    try options.parseFlags(&rest)
    let progress = options.progress.flatMap(ProgressSlot.init(path:))
    let limitNanos = UInt64(options.limit * 1e9)
    switch options.mode {
    case "parse":
        let corpus = try TheoryCorpus(directory: options.theorems)
        let scratch = options.scratch ?? NSTemporaryDirectory() + "/bounds-fuzz-worker-\(getpid())"
        let worker = try ParseWorker(seed: s, corpus: corpus, scratch: scratch, progress: progress, limitNanos: limitNanos,
                                     checkRate: options.checkRate, composeRate: options.composeRate)
        worker.run(start: start, count: count)
        worker.printSummary()
        if options.scratch == nil { try? FileManager.default.removeItem(atPath: scratch) }
    case "simplify":
        let worker = SoundnessWorker(seed: s, progress: progress, limitNanos: limitNanos)
        worker.run(start: start, count: count)
        worker.printSummary()
    case "checker":
        let worker = CheckerWorker(seed: s, progress: progress, limitNanos: limitNanos, outDir: options.out)
        worker.run(start: start, count: count)
        worker.printSummary()
    default:
        throw FuzzError("unknown worker mode '\(options.mode)'")
    }
    print("DONE")
    return 0
}

/// Prints input INDEX of a run and runs it here, verbosely: reproduces a crash with its backtrace.
func runReplay(_ args: ArraySlice<String>) throws -> Int32 {
    var rest = args
    guard let mode = rest.popFirst(), let s = rest.popFirst().flatMap(UInt64.init), let index = rest.popFirst().flatMap(Int.init) else {
        throw FuzzError("usage: bounds-fuzz --replay parse|simplify|checker SEED INDEX")
    }
    var options = Options()
    try options.parseFlags(&rest)
    switch mode {
    case "parse":
        let corpus = try TheoryCorpus(directory: options.theorems)
        let input = ParseInput.make(seed: s, index: index, corpus: corpus)
        print("input \(index) of seed \(s): \(input.description)")
        let path = NSTemporaryDirectory() + "/bounds-fuzz-replay-\(s)-\(index).txt"
        switch input {
        case .expression(let text, _, _, _, _): _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        case .theory(let t, _): _ = FileManager.default.createFile(atPath: path, contents: Data(t.bytes))
        }
        print("raw input written to \(path)")
        let worker = try ParseWorker(seed: s, corpus: corpus, scratch: NSTemporaryDirectory() + "/bounds-fuzz-replay-\(getpid())",
                                     progress: nil, limitNanos: UInt64(options.limit * 1e9), checkRate: 1, composeRate: 1)
        worker.verbose = true
        worker.run(start: index, count: 1)
        worker.printSummary()
    case "simplify":
        let c = SoundnessCase.make(seed: s, index: index)
        print("case \(index) of seed \(s): assume \(c.assumptionTexts); expression \(c.expression.text)")
        let worker = SoundnessWorker(seed: s, progress: nil, limitNanos: UInt64(options.limit * 1e9))
        worker.verbose = true
        worker.run(start: index, count: 1)
        worker.printSummary()
    case "checker":
        print("case \(index) of seed \(s) (theory text below, then every step: the kernel's verdict and the confirmation)")
        let worker = CheckerWorker(seed: s, progress: nil, limitNanos: UInt64(options.limit * 1e9), outDir: options.out)
        worker.verbose = true
        worker.run(start: index, count: 1)
        worker.printSummary()
    default:
        throw FuzzError("unknown replay mode '\(mode)'")
    }
    return 0
}

// MARK: - Coordinator

/// What the coordinator adds up from its workers.
final class Totals {
    var stats: [String: Int] = [:]
    var rules: [String: Int] = [:]
    var timings: [String: StageTiming] = [:]
    var violationCounts: [String: Int] = [:]
    var violations: [String] = []
    var exampleCounts: [String: Int] = [:]
    var examples: [String] = []
    var soundness: [String] = []
    var crashes: [String] = []
    var hangs: [String] = []
    var workersSpawned = 0

    func merge(output: String) {
        for line in output.split(separator: "\n") {
            let f = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            guard let tag = f.first else { continue }
            switch tag {
            case "STAT": if f.count >= 3, let v = Int(f[2]) { stats[String(f[1]), default: 0] += v }
            case "RULE": if f.count >= 3, let v = Int(f[2]) { rules[String(f[1]), default: 0] += v }
            case "TIMING":
                if f.count >= 3, let t = StageTiming(line: f[2]) { timings[String(f[1]), default: StageTiming()].merge(t) }
            case "VCOUNT": if f.count >= 3, let v = Int(f[2]) { violationCounts[String(f[1]), default: 0] += v }
            case "VIOLATION": if violations.count < 60 { violations.append(f.dropFirst().joined(separator: "  ")) }
            case "ECOUNT": if f.count >= 3, let v = Int(f[2]) { exampleCounts[String(f[1]), default: 0] += v }
            case "EXAMPLE": if examples.count < 60 { examples.append(f.dropFirst().joined(separator: "  ")) }
            case "SOUNDNESS": if soundness.count < 100 { soundness.append(f.dropFirst().joined(separator: "\t")) }
            default: break
            }
        }
    }
}

struct Batch { var start: Int; var count: Int; var retried = false }

final class RunningWorker {
    let batch: Batch
    var retried: Bool { batch.retried }
    let process: Process
    let progressPath: String
    let outPath: String
    let errPath: String
    var lastIndex = -2
    var lastChange = Date()
    var cpuAtLastChange = 0.0
    let scratchPath: String
    var killedForHang: (Int, Stage)? = nil

    init(batch: Batch, process: Process, progressPath: String, outPath: String, errPath: String, scratchPath: String) {
        self.batch = batch; self.process = process; self.progressPath = progressPath; self.outPath = outPath; self.errPath = errPath
        self.scratchPath = scratchPath
    }
}

/// User plus system CPU time of a process, from /proc/PID/stat.
func processCPUSeconds(_ pid: Int32) -> Double? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"), let text = String(data: data, encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
    return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func selfExecutable() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

func describeInput(mode: String, seed: UInt64, index: Int, corpus: TheoryCorpus?) -> (String, Data) {
    if mode == "parse", let corpus {
        let input = ParseInput.make(seed: seed, index: index, corpus: corpus)
        switch input {
        case .expression(let text, _, _, _, _): return (input.description, Data(text.utf8))
        case .theory(let t, _): return (input.description, Data(t.bytes))
        }
    }
    if mode == "checker" {
        let text = CheckerCase.make(seed: seed, index: index).text()
        return ("checker case \(index) (theory file saved)", Data(text.utf8))
    }
    let c = SoundnessCase.make(seed: seed, index: index)
    let text = "assume \(c.assumptionTexts.joined(separator: "; ")); expression \(c.expression.text)"
    return (text, Data(text.utf8))
}

func coordinate(mode: String, options: Options, totals: Totals, outDir: String) throws {
    let corpus = mode == "parse" ? try TheoryCorpus(directory: options.theorems) : nil
    var queue: [Batch] = []
    var s = 0
    let batchSize = options.batch
    while s < options.count {
        queue.append(Batch(start: s, count: min(batchSize, options.count - s)))
        s += batchSize
    }
    queue.reverse()
    var running: [RunningWorker] = []
    let executable = selfExecutable()
    var serial = 0
    let started = Date()
    var finishedInputs = 0
    var lastReport = Date()

    func launch(_ batch: Batch) throws {
        serial += 1
        let tag = "\(mode)-\(getpid())-\(batch.start)-\(serial)"
        let progressPath = outDir + "/progress-\(tag)"
        let outPath = outDir + "/stdout-\(tag)"
        let errPath = outDir + "/stderr-\(tag)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        guard let outHandle = FileHandle(forWritingAtPath: outPath), let errHandle = FileHandle(forWritingAtPath: errPath) else {
            throw FuzzError("cannot write into \(outDir)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["--worker", String(options.seed), String(batch.start), String(batch.count), "--mode", mode,
                         "--progress", progressPath, "--limit", String(options.limit), "--theorems", options.theorems,
                         "--check-rate", String(options.checkRate), "--compose-rate", String(options.composeRate)]
        let scratchPath = outDir + "/scratch-\(tag)"
        if mode == "parse" { arguments += ["--scratch", scratchPath] }
        if mode == "checker" { arguments += ["--out", outDir] }
        p.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed"
        p.environment = environment
        p.standardOutput = outHandle
        p.standardError = errHandle
        try p.run()
        totals.workersSpawned += 1
        running.append(RunningWorker(batch: batch, process: p, progressPath: progressPath, outPath: outPath, errPath: errPath, scratchPath: scratchPath))
    }

    func finish(_ w: RunningWorker) {
        let output = (try? String(contentsOfFile: w.outPath, encoding: .utf8)) ?? ""
        let completed = output.hasSuffix("DONE\n") && w.process.terminationReason == .exit && w.process.terminationStatus == 0
        defer {
            for path in [w.progressPath, w.outPath] { try? FileManager.default.removeItem(atPath: path) }
            if completed { try? FileManager.default.removeItem(atPath: w.errPath) }
            try? FileManager.default.removeItem(atPath: w.scratchPath)
        }
        if completed {
            totals.merge(output: output)
            finishedInputs += w.batch.count
            return
        }
        // A clean exit without the summary is not a crash of the code under test (the worker's files went
        // missing): run the batch again, once.
        if w.killedForHang == nil, w.process.terminationReason == .exit, w.process.terminationStatus == 0, !w.retried {
            print("!! worker for inputs \(w.batch.start)..<\(w.batch.start + w.batch.count) exited without its summary; running it again")
            queue.append(Batch(start: w.batch.start, count: w.batch.count, retried: true))
            return
        }
        // The worker died (or was killed): find the input, save it, and go on past it.
        let (index, stage) = w.killedForHang ?? ProgressSlot.read(path: w.progressPath) ?? (w.batch.start, .none)
        let failed = max(index, w.batch.start)
        let (description, raw) = describeInput(mode: mode, seed: options.seed, index: failed, corpus: corpus)
        let kind = w.killedForHang != nil ? "hang" : "crash"
        let inputPath = outDir + "/\(kind)-\(mode)-\(failed).input"
        _ = FileManager.default.createFile(atPath: inputPath, contents: raw)
        let stderrText = (try? String(contentsOfFile: w.errPath, encoding: .utf8)) ?? ""
        let tail = stderrText.split(separator: "\n", omittingEmptySubsequences: false).suffix(80).joined(separator: "\n")
        let how = w.killedForHang != nil
            ? "no progress for \(options.hangLimit) s of CPU, killed"
            : "\(w.process.terminationReason == .uncaughtSignal ? "signal" : "exit status") \(w.process.terminationStatus)"
        let entry = """
        \(kind) at input \(failed) (seed \(options.seed), stage: \(stage.name); \(how))
          input: \(description)
          saved: \(inputPath)
          replay: bounds-fuzz --replay \(mode) \(options.seed) \(failed)
          stderr (\(w.errPath)):
        \(tail.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
        if kind == "hang" { totals.hangs.append(entry) } else { totals.crashes.append(entry) }
        print("!! \(entry)")
        // Re-run what came before the failure (its statistics died with the worker) and what comes after.
        let end = w.batch.start + w.batch.count
        if failed + 1 < end { queue.append(Batch(start: failed + 1, count: end - failed - 1)) }
        if failed > w.batch.start { queue.append(Batch(start: w.batch.start, count: failed - w.batch.start)) }
        finishedInputs += 1
    }

    while !queue.isEmpty || !running.isEmpty {
        while running.count < options.jobs, let b = queue.popLast() { try launch(b) }
        usleep(50_000)
        var still: [RunningWorker] = []
        for w in running {
            if !w.process.isRunning {
                w.process.waitUntilExit()
                finish(w)
                continue
            }
            if let (index, stage) = ProgressSlot.read(path: w.progressPath) {
                let cpu = processCPUSeconds(w.process.processIdentifier) ?? 0
                if index != w.lastIndex || w.lastIndex == -2 {
                    w.lastIndex = index
                    w.lastChange = Date()
                    w.cpuAtLastChange = cpu
                } else if w.killedForHang == nil,
                          cpu - w.cpuAtLastChange > options.hangLimit
                            || Date().timeIntervalSince(w.lastChange) > max(120, 6 * options.hangLimit) {
                    // CPU time, not wall time: on shared, loaded cores a starved worker is not a hang.
                    // The wall-clock backstop catches a worker that blocks without computing.
                    w.killedForHang = (index, stage)
                    kill(w.process.processIdentifier, SIGKILL)
                }
            }
            still.append(w)
        }
        running = still
        if Date().timeIntervalSince(lastReport) > 30 {
            lastReport = Date()
            let elapsed = Date().timeIntervalSince(started)
            print(String(format: "  [%@] %d/%d inputs in finished batches, %.0f s", mode, finishedInputs, options.count, elapsed))
        }
    }
}

func formatReport(mode: String, options: Options, totals: Totals, elapsed: Double) -> String {
    var lines: [String] = []
    lines.append("## bounds-fuzz \(mode): seed \(options.seed), \(options.count) inputs")
    lines.append("")
    lines.append("- wall time: \(String(format: "%.1f", elapsed)) s with \(options.jobs) worker(s) at a time, batches of \(options.batch), \(totals.workersSpawned) worker processes")
    lines.append("- crashes: \(totals.crashes.count); hangs (no progress for \(options.hangLimit) s of CPU): \(totals.hangs.count)")
    if let t = totals.timings["input"] {
        lines.append("- inputs over \(options.limit) s of CPU: \(t.overLimit); slowest input: \(seconds(t.slowestNanos)) CPU (input \(t.slowestIndex))")
    }
    if let t = totals.timings["input (wall clock)"] {
        lines.append("- wall clock (shared, loaded cores): slowest input \(seconds(t.slowestNanos)) (input \(t.slowestIndex)), \(t.overLimit) inputs over \(options.limit) s")
    }
    lines.append("")
    lines.append("| counter | value |")
    lines.append("|---|---|")
    for (k, v) in totals.stats.sorted(by: { $0.key < $1.key }) { lines.append("| \(k) | \(v) |") }
    lines.append("")
    lines.append("| stage (CPU time) | runs | mean | slowest | slowest input | over \(options.limit) s |")
    lines.append("|---|---|---|---|---|---|")
    for (k, t) in totals.timings.sorted(by: { $0.key < $1.key }) {
        let name = Int(k).flatMap { Stage(rawValue: $0)?.name } ?? k
        let mean = t.count == 0 ? 0 : Double(t.totalNanos) / Double(t.count) / 1e3
        lines.append("| \(name) | \(t.count) | \(String(format: "%.1f µs", mean)) | \(seconds(t.slowestNanos)) | \(t.slowestIndex) | \(t.overLimit) |")
    }
    lines.append("")
    lines.append("Contract violations:")
    if totals.violationCounts.isEmpty || totals.violationCounts.values.allSatisfy({ $0 == 0 }) { lines.append("- none") }
    for (k, v) in totals.violationCounts.sorted(by: { $0.key < $1.key }) { lines.append("- \(k): \(v)") }
    // A checker violation carries its whole theory so that it can be reproduced: never clipped.
    for v in totals.violations { lines.append("  - \(mode == "checker" ? v : v.clipped(700))") }
    if !totals.exampleCounts.isEmpty {
        lines.append("")
        lines.append("Notes (not contract violations):")
        for (k, v) in totals.exampleCounts.sorted(by: { $0.key < $1.key }) { lines.append("- \(k): \(v)") }
        for v in totals.examples { lines.append("  - \(v.clipped(700))") }
    }
    if !totals.rules.isEmpty {
        lines.append("")
        lines.append("Rules exercised (expressions where the rule fired, simplified() or tidied()):")
        lines.append("")
        lines.append(totals.rules.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
    if !totals.soundness.isEmpty {
        lines.append("")
        lines.append("Simplifier soundness failures (minimized):")
        for s in totals.soundness { lines.append("- \(s)") }
    }
    if mode == "checker" { lines += checkerSummary(totals, elapsed: elapsed) }
    for c in totals.crashes { lines.append(""); lines.append("```"); lines.append(c); lines.append("```") }
    for h in totals.hangs { lines.append(""); lines.append("```"); lines.append(h); lines.append("```") }
    return lines.joined(separator: "\n")
}

func runCoordinator(_ args: ArraySlice<String>) throws -> Int32 {
    var rest = args
    var options = Options()
    try options.parseFlags(&rest)
    // A checker input is a whole theory with 7-10 theorems: smaller batches keep the progress reports regular.
    if options.mode == "checker" && !options.batchGiven { options.batch = 1_000 }
    let modes = options.mode == "all" ? ["parse", "simplify"] : [options.mode]
    let outDir = options.out ?? NSTemporaryDirectory() + "/bounds-fuzz-\(options.seed)"
    try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    print("bounds-fuzz: seed \(options.seed), \(options.count) inputs per mode (\(modes.joined(separator: ", "))), "
        + "batches of \(options.batch), \(options.jobs) worker(s), limit \(options.limit) s, hang limit \(options.hangLimit) s")
    print("bounds-fuzz: findings and saved inputs go to \(outDir)")
    var reports: [String] = []
    var failed = false
    for mode in modes {
        let totals = Totals()
        let t0 = Date()
        try coordinate(mode: mode, options: options, totals: totals, outDir: outDir)
        let report = formatReport(mode: mode, options: options, totals: totals, elapsed: Date().timeIntervalSince(t0))
        print(report)
        reports.append(report)
        let overLimit = totals.timings["input"]?.overLimit ?? totals.timings[String(Stage.soundnessSimplify.rawValue)]?.overLimit ?? 0
        if !totals.crashes.isEmpty || !totals.hangs.isEmpty || overLimit > 0
            || totals.violationCounts.values.contains(where: { $0 > 0 }) { failed = true }
    }
    if let path = options.report {
        _ = FileManager.default.createFile(atPath: path, contents: Data(reports.joined(separator: "\n\n").utf8))
        print("report written to \(path)")
    }
    return failed ? 1 : 0
}

do {
    let args = CommandLine.arguments.dropFirst()
    let status: Int32
    switch args.first {
    case "--worker": status = try runWorker(args.dropFirst())
    case "--replay": status = try runReplay(args.dropFirst())
    case "--analyze":
        // bounds-fuzz --analyze "<expression>" x=1.5 y=2 [--assume "x > 0"]...: how the soundness check sees one point.
        var rest = Array(args.dropFirst())
        guard !rest.isEmpty else { throw FuzzError("usage: bounds-fuzz --analyze EXPR NAME=VALUE... [--assume TEXT]...") }
        let e = try Parser.parseExpression(rest.removeFirst())
        var point: [String: Double] = [:]
        var assumptions = Assumptions()
        while !rest.isEmpty {
            let item = rest.removeFirst()
            if item == "--assume", !rest.isEmpty { try assumptions.assume(text: rest.removeFirst()); continue }
            let parts = item.split(separator: "=")
            guard parts.count == 2, let v = Double(parts[1]) else { throw FuzzError("expected NAME=VALUE, got \(item)") }
            point[String(parts[0])] = v
        }
        for (name, form) in [("simplified", e.simplified(assumptions)), ("tidied", e.tidied(assumptions))] {
            let a = Soundness.analyze(e, point), b = Soundness.analyze(form, point)
            print("\(name): \(form.text)")
            print("  original: \(String(describing: try? e.evaluate(point))) analysis \(String(describing: a))")
            print("  \(name): \(String(describing: try? form.evaluate(point))) analysis \(String(describing: b))")
            print("  verdict: \(Soundness.compare(e, form, at: point))")
        }
        status = 0
    case "--checker-selftest": status = checkerSelfTest()
    case "--help", "-h":
        print("usage: bounds-fuzz [parse|simplify|checker|all] [--seed N] [--count N] [--batch N] [--jobs N] [--limit S] [--hang-limit S] [--report FILE]")
        status = 0
    default: status = try runCoordinator(args)
    }
    exit(status)
} catch {
    FileHandle.standardError.write(Data("bounds-fuzz: \(error)\n".utf8))
    exit(2)
}
