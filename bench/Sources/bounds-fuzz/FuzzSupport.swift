import Foundation
import Symbolic

/// Foundation declares its own `Expr`; in this target the short name means ours.

// MARK: - Seeded randomness

/// SplitMix64: tiny, fast, and good enough to drive a fuzzer. Every input is generated from
/// `(seed, index)` alone, so any input of a run can be regenerated in another process (`--replay`).
struct FuzzRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64, index: UInt64, stream: UInt64 = 0) {
        state = FuzzRNG.mix(seed &+ FuzzRNG.mix(index &* 0x9E37_79B9_7F4A_7C15 &+ stream &* 0xD1B5_4A32_D192_ED03))
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return FuzzRNG.mix(state)
    }

    /// Uniform in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }

    /// An index drawn with the given relative weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var r = below(total)
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }
}

// MARK: - Time

/// Monotonic nanoseconds.
@inline(__always) func monotonicNanos() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// CPU time of the calling thread, in nanoseconds: unlike wall time it does not grow when other processes
/// share the cores, so the one-second limit measures the work an input causes.
@inline(__always) func threadCPUNanos() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// The slowest input of one stage, and how many inputs of that stage took over the hang limit.
struct StageTiming {
    var count = 0
    var totalNanos: UInt64 = 0
    var slowestNanos: UInt64 = 0
    var slowestIndex = -1
    var overLimit = 0

    mutating func record(_ nanos: UInt64, index: Int, limit: UInt64) {
        count += 1
        totalNanos &+= nanos
        if nanos > slowestNanos { slowestNanos = nanos; slowestIndex = index }
        if nanos > limit { overLimit += 1 }
    }

    mutating func merge(_ other: StageTiming) {
        count += other.count
        totalNanos &+= other.totalNanos
        if other.slowestNanos > slowestNanos { slowestNanos = other.slowestNanos; slowestIndex = other.slowestIndex }
        overLimit += other.overLimit
    }

    var line: String { "\(count) \(totalNanos) \(slowestNanos) \(slowestIndex) \(overLimit)" }

    init() {}
    init?(line: Substring) {
        let f = line.split(separator: " ")
        guard f.count == 5, let c = Int(f[0]), let t = UInt64(f[1]), let s = UInt64(f[2]), let i = Int(f[3]), let o = Int(f[4]) else { return nil }
        count = c; totalNanos = t; slowestNanos = s; slowestIndex = i; overLimit = o
    }
}

func seconds(_ nanos: UInt64) -> String { String(format: "%.4f s", Double(nanos) / 1e9) }

// MARK: - Crash-proof progress slot

/// A few words of shared memory (a mapped file) where a worker writes which input it is on before it
/// starts it. If the worker is killed by a signal, the page survives in the page cache and the
/// coordinator reads the index of the input that crashed it.
final class ProgressSlot {
    private let words: UnsafeMutablePointer<Int64>

    init?(path: String) {
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard ftruncate(fd, 64) == 0 else { return nil }
        guard let p = mmap(nil, 64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else { return nil }
        words = p.bindMemory(to: Int64.self, capacity: 8)
    }

    /// Called before each input and before each stage of it.
    @inline(__always) func set(index: Int, stage: Stage) {
        words[1] = Int64(stage.rawValue)
        words[0] = Int64(index)
    }

    static func read(path: String) -> (index: Int, stage: Stage)? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 16 else { return nil }
        let (i, s) = data.withUnsafeBytes { raw in (raw.load(fromByteOffset: 0, as: Int64.self), raw.load(fromByteOffset: 8, as: Int64.self)) }
        return (Int(i), Stage(rawValue: Int(s)) ?? .none)
    }
}

/// What a worker was doing with an input.
enum Stage: Int, CaseIterable {
    case none = 0
    case expressionParse, relationParse, expressionPrint, expressionSimplify, expressionEvaluate
    case theoryParse, theoryLoad, theoryCheck, theoryCompose
    case soundnessSimplify, soundnessEvaluate, soundnessShrink
    case checkerGenerate, checkerLoad, checkerSelfCheck, checkerCheck, checkerConfirm

    var name: String {
        switch self {
        case .none: return "none"
        case .expressionParse: return "expression parse"
        case .relationParse: return "relation parse"
        case .expressionPrint: return "print and re-parse"
        case .expressionSimplify: return "simplify parsed expression"
        case .expressionEvaluate: return "evaluate parsed expression"
        case .theoryParse: return "theory parse"
        case .theoryLoad: return "Theory.load (temp dir, imports)"
        case .theoryCheck: return "Checker.checkAll on loaded theory"
        case .theoryCompose: return "Composer.composeAll on loaded theory"
        case .soundnessSimplify: return "simplified()/tidied()"
        case .soundnessEvaluate: return "evaluate original vs simplified"
        case .soundnessShrink: return "shrinking a failure (not timed)"
        case .checkerGenerate: return "checker: generate the case"
        case .checkerLoad: return "checker: Theory.load (memory)"
        case .checkerSelfCheck: return "checker: lemmas and bounds true for the models"
        case .checkerCheck: return "checker: Checker.check per theorem"
        case .checkerConfirm: return "checker: numeric confirmation per accepted claim"
        }
    }
}

// MARK: - Text helpers

extension String {
    /// At most `limit` characters, with the length when cut, for reports.
    func clipped(_ limit: Int = 300) -> String {
        let n = count
        if n <= limit { return self }
        return String(prefix(limit)) + "… [\(n) characters, \(utf8.count) bytes]"
    }

    /// One line, with control characters and unusual scalars escaped, for reports.
    var escapedForReport: String {
        var out = ""
        for s in unicodeScalars {
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            default:
                if s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && (s.properties.generalCategory == .control
                    || s.properties.generalCategory == .format || s.properties.generalCategory == .nonspacingMark
                    || s.properties.generalCategory == .unassigned || s.properties.generalCategory == .privateUse
                    || s.properties.isWhitespace)) {
                    out += "\\u{\(String(s.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out
    }
}

/// Lines and columns as the lexer counts them: Characters, a new line after each "\n" or "\r\n" Character
/// (since 6c1c0b3; U+2028, U+0085, VT, FF and a lone CR do not break lines, as in theory files).
func lineLengths(_ text: String) -> [Int] {
    var lengths = [0]
    for c in text {
        if c == "\n" || c == "\r\n" { lengths.append(0) } else { lengths[lengths.count - 1] += 1 }
    }
    return lengths
}

/// Lines as the theory parser counts them: "\r\n" normalized to "\n", then split at the Character "\n".
func theoryLines(_ text: String) -> [Substring] {
    text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
}
