import Foundation
import Symbolic
import Derivation

/// `bounds check FILE...`: verify every proof step. Exit 0 all verified, 1 a step fails, 2 unusable input.
enum CheckCommand {
    static let help = """
    usage: bounds check [FILE...] [--quiet]

    Verifies every proof in the theory files (with no file: the bundled MoE theory). Each step must follow
    from its justification: a lemma instantiated by matching in a monotone position with its hypotheses
    proved, algebra (canonical forms agree), monotonicity, asymptotics (dominated terms dropped, '<~' only)
    or a definition. Exit status: 0 all verified, 1 a step failed, 2 unusable input.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: [])
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--quiet"])
        let theories = try args.positionals.isEmpty ? [Theory.load(TheorySource.defaultTheoryPath, from: .embedded)]
                                                    : args.positionals.map { try Theory.load($0, from: .fileSystem) }
        var failures = 0
        var verified = 0
        // A theorem imported by several of the files is checked once; two different theorems with the same id
        // (from different files) are both checked.
        var seen = Set<SourceLocation>()
        for theory in theories {
            TheoryOptions.warn(theory)
            let checker = Checker(theory: theory)
            for report in checker.checkAll() where !seen.contains(report.location) {
                seen.insert(report.location)
                for step in report.steps {
                    if step.ok {
                        verified += 1
                        if !args.has("--quiet") { print("\(step.location): ok: \(step.claim)  [by \(step.justification)] \(step.message)") }
                    } else {
                        failures += 1
                        let verdict = step.justification == "conclusion" ? "not proved" : (step.undecided ? "step undecided" : "step rejected")
                        print("\(step.location): error: \(verdict): \(step.claim)  [by \(step.justification)]: \(step.message)")
                    }
                }
            }
        }
        print("\(verified) steps verified, \(failures) rejected")
        return failures == 0 ? 0 : 1
    }
}
