import Foundation

// Timing, statistics, the machine, and the Python subprocess: what every workload shares.

/// Monotonic wall time in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Whether in-process measurements use CPU time (the default) or wall time (`--wall`). The machine is shared
/// (2 cores, other builds running): CPU time of this process is what our code costs; wall time adds the
/// time spent waiting for a core. The Python baselines use the same clock (BENCH_CLOCK in their environment).
nonisolated(unsafe) var useWallClock = false

/// The benchmark clock: this process's CPU time (user + system), or wall time with `--wall`.
func benchClock() -> Double {
    if useWallClock { return now() }
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

var clockName: String { useWallClock ? "wall" : "cpu" }

/// CPU time (user + system) of all waited-for children so far.
func childrenCPU() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}

func median(_ xs: [Double]) -> Double {
    precondition(!xs.isEmpty)
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Runs `body` `runs` times (after `warmup` unmeasured runs) and returns the wall time of each run.
func timeRuns(_ runs: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> [Double] {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = benchClock()
        try body()
        times.append(benchClock() - t0)
    }
    return times
}

/// Least-squares slope of log(y) against log(x).
func logLogSlope(_ xs: [Double], _ ys: [Double]) -> Double {
    let lx = xs.map { Foundation.log($0) }, ly = ys.map { Foundation.log($0) }
    let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
    var num = 0.0, den = 0.0
    for i in lx.indices { num += (lx[i] - mx) * (ly[i] - my); den += (lx[i] - mx) * (lx[i] - mx) }
    return den == 0 ? .nan : num / den
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

/// A duration in the most readable unit.
func fmtTime(_ seconds: Double) -> String {
    if seconds >= 1 { return String(format: "%.2f s", seconds) }
    if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
    return String(format: "%.2f µs", seconds * 1e6)
}

func fmtTimes(_ xs: [Double]) -> String {
    "median \(fmtTime(median(xs))) (min \(fmtTime(xs.min()!)), max \(fmtTime(xs.max()!)), \(xs.count) runs)"
}

/// A line `RATIO <name> = <value> (target <text>: met|MISSED)`, the form every ratio is printed in,
/// collected for the summary of `all`.
struct Verdict {
    var name: String
    var value: String
    var target: String
    var met: Bool?
}

var verdicts: [Verdict] = []

func report(_ name: String, _ value: String, target: String, met: Bool?) {
    verdicts.append(Verdict(name: name, value: value, target: target, met: met))
    let status = met.map { $0 ? "met" : "MISSED" } ?? "no target"
    print("  RESULT \(name) = \(value)   [target \(target): \(status)]")
}

func printSummary() {
    guard !verdicts.isEmpty else { return }
    print("\n== Summary")
    let width = verdicts.map(\.name.count).max() ?? 10
    for v in verdicts {
        let status = v.met.map { $0 ? "met" : "MISSED" } ?? "-"
        print("  \(v.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(v.value.padding(toLength: 26, withPad: " ", startingAt: 0))  target \(v.target): \(status)")
    }
}

// MARK: - Paths

enum Paths {
    /// bench/ in the source tree (this file is bench/Sources/bounds-bench/Support.swift).
    static let benchDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func script(_ name: String) -> String { benchDirectory.appendingPathComponent(name).path }

    /// The directory holding this executable (the build's products: `bounds` sits beside `bounds-bench`).
    static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// A fresh scratch directory for this invocation's files.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
}

// MARK: - Subprocesses

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var wall: Double
    /// User + system CPU time of the child.
    var cpu: Double
    var timedOut = false
}

/// Runs a program to completion, capturing its output through files (no pipe can fill up and block).
///
/// Started with `posix_spawn` and reaped with `waitpid`: Foundation's `Process.waitUntilExit` on Linux polls
/// its run loop every 50 ms, which quantized every wall time measured through it to ~50 ms steps.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                unsetting: [String] = [], timeout: Double? = nil) throws -> ProcessResult {
    var env = environment ?? ProcessInfo.processInfo.environment
    for key in unsetting { env.removeValue(forKey: key) }
    let tag = UUID().uuidString
    let outPath = Paths.scratch.appendingPathComponent("out-\(tag)").path
    let errPath = Paths.scratch.appendingPathComponent("err-\(tag)").path

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

    let cpu0 = childrenCPU()
    let t0 = now()
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else { throw BenchError("could not start \(executable): \(String(cString: strerror(spawned)))") }
    var status: Int32 = 0
    var timedOut = false
    if let timeout {
        // Poll every millisecond, so the wall time stays accurate to about 1 ms.
        while waitpid(pid, &status, WNOHANG) == 0 {
            if now() - t0 > timeout { kill(pid, SIGKILL); timedOut = true; waitpid(pid, &status, 0); break }
            usleep(1_000)
        }
    } else {
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
    let wall = now() - t0
    let cpu = childrenCPU() - cpu0
    let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: outPath)
    try? FileManager.default.removeItem(atPath: errPath)
    // The exit code, or 128 + the signal for a killed child (as a shell reports it).
    let exited = status & 0x7f == 0
    let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return ProcessResult(status: code, stdout: stdout, stderr: stderr, wall: wall, cpu: cpu, timedOut: timedOut)
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

enum Python {
    static var executable: String? = {
        for candidate in ["/usr/bin/env"] where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return nil
    }()

    /// Runs `bench/<script>` with python3 and returns the JSON object it writes to the file named by its
    /// last argument. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from this subprocess only
    /// (see bench/README.md).
    static func run(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let resultURL = Paths.scratch.appendingPathComponent("\(script).\(UUID().uuidString).json")
        var env = ProcessInfo.processInfo.environment
        env["BENCH_CLOCK"] = clockName
        let result = try runProcess("/usr/bin/env", ["python3", Paths.script(script)] + arguments + [resultURL.path],
                                    environment: env, unsetting: ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"])
        guard result.status == 0 else {
            throw BenchError("python3 \(script) failed (exit \(result.status)):\n\(result.stderr.suffix(3000))")
        }
        guard let data = FileManager.default.contents(atPath: resultURL.path),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchError("python3 \(script) wrote no JSON result\n\(result.stderr.suffix(3000))")
        }
        try? FileManager.default.removeItem(at: resultURL)
        return object
    }
}

extension Dictionary where Key == String, Value == Any {
    func double(_ key: String) -> Double { (self[key] as? NSNumber)?.doubleValue ?? .nan }
    func doubles(_ key: String) -> [Double] { (self[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? [] }
    func int(_ key: String) -> Int { (self[key] as? NSNumber)?.intValue ?? 0 }
    func string(_ key: String) -> String { self[key] as? String ?? "" }
}

// MARK: - The machine

func printMachine() {
    print("== Machine")
    let date = ISO8601DateFormatter().string(from: Date())
    print("  date: \(date)")
    for (label, command) in [("nproc", "nproc"), ("lscpu", "lscpu | head -15"), ("free -h", "free -h"),
                              ("swift", "swift --version 2>&1 | head -1"),
                              ("python", "python3 -c 'import sys, sympy, numpy; print(sys.version.split()[0], \"sympy\", sympy.__version__, \"numpy\", numpy.__version__)'"),
                              ("load", "cat /proc/loadavg")] {
        guard let r = try? runProcess("/bin/sh", ["-c", command]) else { continue }
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: true)
        if lines.count == 1 { print("  \(label): \(lines[0])") }
        else { print("  \(label):"); for line in lines { print("    \(line)") } }
    }
}
