import Foundation
import Symbolic
import Derivation

/// `bounds latex [FILE] [--use ALT]... [-o out.tex] [--fragment]`
enum LatexCommand {
    static let help = """
    usage: bounds latex [FILE] [--use ALT]... [--assume ...] [--fragment] [--no-audit] [-o out.tex]

    A LaTeX document (article class, amsmath and amssymb) of the theory and its derivation: the notation
    with each symbol's assumption and meaning, every lemma with its id, tag, source (cited into a
    bibliography built from the sources), note, statement and proof (align* chains justified step by
    step), the composed bound with its named terms and derivation, the scaling laws with their exponents,
    conditions and regime tables, and the audit against the registered lower bounds. It compiles with
    pdflatex.

      --fragment   the body only (no preamble, no document environment, no abstract), to \\input into a
                   paper; its first lines name the packages it needs (amsmath, amssymb), and its sources
                   are a thebibliography of their own
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued)
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--fragment", "--no-audit", "--unchecked"])
        guard args.positionals.count <= 1 else { throw UsageError("latex takes at most one theory file") }
        let theory = try TheoryOptions.load(args)
        let run = try DerivationRun(theory: theory, audit: !args.has("--no-audit"), allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        try TheoryOptions.emit(LaTeXReport.document(run, fragment: args.has("--fragment")), args)
        return 0
    }
}
