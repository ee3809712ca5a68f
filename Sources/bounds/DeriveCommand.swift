import Foundation
import Symbolic
import Derivation

/// `bounds derive [FILE] [--use ALT]... [--assume ...] [--format text|latex|json]`
enum DeriveCommand {
    static let help = """
    usage: bounds derive [FILE] [--use ALT]... [--assume "beta > d/2"]... [--format text|latex|json|csv] [-o PATH]

    Composes the lemmas of the theory (default: the bundled MoE theory) into its bounds, derives every
    scaling law with its exponents, conditions and regimes, and audits the rates against the registered
    lower bounds. --use swaps in an alternative (by id such as A3, by name, or a .bounds file) and
    everything downstream is re-derived. A law's `values` line evaluates its exponents (and closed form) at
    those values, and `tabulate E = 1, 2, 4` adds a row per value of E; --format csv writes these numbers alone,
    one row per point.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued)
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--no-audit", "--unchecked"])
        guard args.positionals.count <= 1 else { throw UsageError("derive takes at most one theory file") }
        let format = try TheoryOptions.format(args, allowed: ["text", "latex", "json", "csv"])
        let theory = try TheoryOptions.load(args)
        let run = try DerivationRun(theory: theory, audit: !args.has("--no-audit"), allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        switch format {
        case "json": try TheoryOptions.emit(JSONReport.render(run), args)
        case "latex": try TheoryOptions.emit(LaTeXReport.document(run, fragment: false), args)
        case "csv": try TheoryOptions.emit(CSVReport.render(run), args)
        default: try TheoryOptions.emit(TextReport.render(run), args)
        }
        // A law that failed, or a result resting on an unchecked theorem, is not a complete derivation.
        return run.isComplete ? 0 : 1
    }
}
