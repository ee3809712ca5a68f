import Foundation
import Symbolic

/// `bounds`: derive, check and publish generalization bounds. Exit codes: 0 success, 1 a check failed,
/// 2 unusable input (usage, parse or assumption errors).
let usage = """
usage: bounds <command> [arguments]

commands:
  derive [FILE]       compose the lemmas, derive the scaling laws, audit them (--use ALT, --format json|csv)
  check [FILE...]     verify every proof step (exit 1 when a step fails)
  compare --use ALT   derived quantities side by side for the base theory and each alternative (or FILE1 FILE2)
  audit [FILE]        compare derived rates with the registered lower bounds
  latex [FILE]        a LaTeX document (or --fragment) of the theory and its derivation
  emit [FILE]         evaluable functions: --lang swift|python|c|json
  eval [FILE]         numbers: each term's value for an example model (--example NAME) or --set n=1e9 ...
  examples [FILE]     the example configurations (published models) with their sources and values
  sweep [FILE]        CSV over a --grid of parameter values
  plot [FILE]         figures (SVG, pgfplots, PDF): risk against n or C, regime maps
  simplify "<expr>"   canonical form under assumptions (--assume, --format text|latex, --trace)
  asymptotic "<expr>" growth along a path, balancing, budgets, Landau relations (--as "n->oo", --minimize)
  version             the version of this build (also --version)

Run 'bounds <command> --help' for the options of one command.
"""

/// Every command (the first word of each line under "commands:" in the usage) and top-level flag, for "did you
/// mean" on a misspelt one.
let commands = usage.components(separatedBy: "commands:").last!.split(separator: "\n")
    .filter { $0.hasPrefix("  ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
    + ["help", "--help", "--version"]

func runMain() -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let command = arguments.first else { print(usage); return 2 }
    let rest = Array(arguments.dropFirst())
    do {
        switch command {
        case "--help", "-h", "help": print(usage); return 0
        case "--version", "version": print("bounds \(boundsVersion)"); return 0
        case "simplify": return try SimplifyCommand.run(rest)
        case "asymptotic": return try AsymptoticCommand.run(rest)
        case "check": return try CheckCommand.run(rest)
        case "derive": return try DeriveCommand.run(rest)
        case "compare": return try CompareCommand.run(rest)
        case "audit": return try AuditCommand.run(rest)
        case "latex": return try LatexCommand.run(rest)
        case "emit": return try EmitCommand.run(rest)
        case "eval": return try EvalCommand.run(rest)
        case "examples": return try ExamplesCommand.run(rest)
        case "sweep": return try SweepCommand.run(rest)
        case "plot": return try PlotCommand.run(rest)
        default:
            let hint = Suggestions.didYouMean(command, among: commands)
            FileHandle.standardError.write("error: unknown command '\(command)'\(hint)\n\n\(usage)\n".data(using: .utf8)!)
            return 2
        }
    } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        return 2
    }
}

// The work runs on a thread with a large stack: expression trees are walked recursively in places
// (Swift's synthesized == and deallocation among them), and deep input must not overflow the 8 MB main stack.
var status: Int32 = 0
let done = DispatchSemaphore(value: 0)
let worker = Thread {
    status = runMain()
    done.signal()
}
worker.stackSize = 1 << 29
worker.start()
done.wait()
exit(status)
