import Foundation
import Symbolic
import Derivation

/// The options every theory command shares: an optional FILE (default: the bundled MoE theory),
/// `--use ALT` (repeatable) and `--assume` (extra assumptions).
struct TheoryOptions {
    static let valued: Set<String> = ["--use", "--assume", "--format", "-o", "--output"]

    static func load(_ args: Arguments, allowFile: Bool = true) throws -> Theory {
        var theory: Theory
        if allowFile, let file = args.positionals.first {
            theory = try Theory.load(file, from: .fileSystem)
        } else {
            theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        }
        for alternative in args.values("--use") { try theory.use(alternative) }
        for (i, text) in args.values("--assume").enumerated() { try theory.addAssumption(text, file: "<assume \(i + 1)>") }
        // The laws' values must lie in the domains as the alternatives and assumptions left them.
        if !args.values("--use").isEmpty || !args.values("--assume").isEmpty { try theory.checkLawValues() }
        warn(theory)
        return theory
    }

    /// The theory's warnings (assumptions the sign oracle cannot use), on standard error.
    static func warn(_ theory: Theory) {
        for w in theory.warnings { FileHandle.standardError.write("\(w)\n".data(using: .utf8)!) }
    }

    /// Results that rest on a theorem whose proof does not check (--unchecked) say so, on standard error.
    static func warnIfUnchecked(_ run: DerivationRun) {
        guard !run.unchecked.isEmpty else { return }
        FileHandle.standardError.write("warning: these results rest on theorems whose proofs do not check: \(run.unchecked.joined(separator: ", ")) (bounds check shows why)\n".data(using: .utf8)!)
    }

    static func format(_ args: Arguments, allowed: [String] = ["text", "latex", "json"]) throws -> String {
        let f = args.value("--format") ?? "text"
        guard allowed.contains(f) else { throw UsageError("--format must be one of \(allowed.joined(separator: ", "))") }
        return f
    }

    /// Write to -o PATH atomically (temporary file, then rename), or to standard output.
    static func emit(_ text: String, _ args: Arguments) throws {
        guard let path = args.value("-o") ?? args.value("--output") else { print(text); return }
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: text.data(using: .utf8)) else {
            throw UsageError("cannot write \(path)")
        }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            throw UsageError("cannot write \(path)")
        }
    }
}
