import Foundation
import EvalCore
import EvalKernels
import EvalKernelsX86v3

/// Which build of the evaluation kernels `CompiledFunction` runs: the same source compiled for the generic
/// target or for x86-64-v3 (AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE). Both give the same doubles; the x86-64-v3
/// build is faster where the processor has those features (bench/README.md, workload 3).
///
/// The default is the fastest build this processor can run. The environment variable `BOUNDS_KERNELS`
/// (`generic` or `x86-64-v3`) overrides it, for comparisons; another value, or a build the processor cannot
/// run, is ignored (the results are the same doubles either way, so a wrong setting only costs speed).
public enum EvaluationKernels: String, CaseIterable, Sendable {
    case generic
    case x86v3 = "x86-64-v3"

    /// The builds this processor can run, generic first.
    public static let available: [EvaluationKernels] = allCases.filter(\.isSupported)

    /// The build `CompiledFunction` uses unless told otherwise.
    public static let preferred: EvaluationKernels = {
        if let name = ProcessInfo.processInfo.environment["BOUNDS_KERNELS"],
           let chosen = EvaluationKernels(rawValue: name), chosen.isSupported {
            return chosen
        }
        return available.last ?? .generic
    }()

    /// Whether this processor (and operating system) can run the build.
    public var isSupported: Bool {
        switch self {
        case .generic: return true
        case .x86v3: return ProcessorFeatures.hasX86v3
        }
    }

    /// Runs `program` over `count` points (see `Kernels.run`).
    @inline(__always)
    func run(_ program: UnsafeBufferPointer<Instruction>, _ table: UnsafeMutablePointer<UnsafeMutablePointer<Double>>,
             count n: Int) {
        switch self {
        case .generic: EvalKernels.Kernels.run(program, table, count: n)
        case .x86v3: EvalKernelsX86v3.Kernels.run(program, table, count: n)
        }
    }

    /// d[i] = fin(a[i]) for i < n (see `Kernels.finish`).
    @inline(__always)
    func finish(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>) {
        switch self {
        case .generic: EvalKernels.Kernels.finish(count: n, d, a)
        case .x86v3: EvalKernelsX86v3.Kernels.finish(count: n, d, a)
        }
    }
}

/// What the processor supports, read once.
enum ProcessorFeatures {
    /// The features of `-target-cpu haswell` (how Package.swift builds EvalKernelsX86v3) that generated code may
    /// use: x86-64-v3 (AVX, AVX2, FMA, BMI1/2, F16C, LZCNT = `abm`, MOVBE, XSAVE, and v2's SSE3-4.2, POPCNT,
    /// CMPXCHG16B, LAHF/SAHF). Haswell's others (AES, PCLMUL, RDRAND, FSGSBASE, ...) are reached only through
    /// intrinsics, which this code does not call.
    static let x86v3Flags: Set<String> = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "abm", "movbe", "xsave",
                                          "pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16", "lahf_lm"]

    static let hasX86v3: Bool = {
        #if arch(x86_64) && os(Linux)
        // The kernel lists a feature in /proc/cpuinfo only if it also enables it (AVX state saving included).
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return cpuinfoFlags(text).map { x86v3Flags.isSubset(of: $0) } ?? false
        #else
        return false   // other systems: the generic build (no feature detection written for them yet)
        #endif
    }()

    /// The flags of the first processor in /proc/cpuinfo's text, or nil if there is no `flags` line.
    static func cpuinfoFlags(_ text: String) -> Set<String>? {
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return nil
    }
}
