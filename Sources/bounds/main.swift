import Foundation
import Symbolic

/// `bounds`: derive, check and publish generalization bounds. Exit codes: 0 success, 1 a check failed,
/// 2 unusable input (usage, parse or assumption errors).
let usage = """
usage: bounds <command> [arguments]

commands:
  derive [FILE]       compose the lemmas, derive the scaling laws, audit them (--use ALT, --format json)
  simplify "<expr>"   canonical form under assumptions (--assume, --format text|latex, --trace)
  check [FILE...]     verify every proof step (exit 1 when a step fails)
  asymptotic "<expr>" growth along a path, balancing, budgets, Landau relations (--as "n->oo", --minimize)

Run 'bounds <command> --help' for the options of one command.
"""

func runMain() -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let command = arguments.first else { print(usage); return 2 }
    let rest = Array(arguments.dropFirst())
    do {
        switch command {
        case "--help", "-h", "help": print(usage); return 0
        case "simplify": return try SimplifyCommand.run(rest)
        case "asymptotic": return try AsymptoticCommand.run(rest)
        case "check": return try CheckCommand.run(rest)
        case "derive": return try DeriveCommand.run(rest)
        default:
            FileHandle.standardError.write("error: unknown command '\(command)'\n\n\(usage)\n".data(using: .utf8)!)
            return 2
        }
    } catch {
        FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
        return 2
    }
}

exit(runMain())
