import Foundation
import Symbolic
import Derivation

/// `bounds audit [FILE] [--use ALT]... [--format text|json]`: rates against registered lower bounds.
enum AuditCommand {
    static let help = """
    usage: bounds audit [FILE] [--use ALT]... [--format text|json]

    Derives the theory and compares every optimized rate (every branch of every law, including those that
    let free symbols grow with n) against the registered lower bounds. A rate decaying strictly faster than
    a lower bound is a contradiction: it is reported with the lemma chain that produced it and the
    alternatives that remove it. Exit status: 0 no contradiction, 1 contradictions found, 2 unusable input.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued)
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--unchecked"])
        let format = try TheoryOptions.format(args, allowed: ["text", "json"])
        let run = try DerivationRun(theory: try TheoryOptions.load(args), audit: true, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        guard let audit = run.audit else { return 0 }
        if format == "json" {
            try TheoryOptions.emit(JSONReport.encode(JSONReport.Audit(audit)), args)
        } else {
            let text = TextReport.render(run)
            let section = text.components(separatedBy: "== Audit against lower bounds").last ?? ""
            try TheoryOptions.emit("Audit against lower bounds" + section, args)
        }
        return audit.contradictions.isEmpty ? 0 : 1
    }
}
