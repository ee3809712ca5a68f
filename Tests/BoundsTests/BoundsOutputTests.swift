import Foundation
import XCTest
import SeededRandom
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Symbolic
import Derivation
@testable import bounds

/// The outputs researchers use: the LaTeX document, emitted code, eval, sweep CSV and SVG plots.
final class BoundsOutputTests: XCTestCase {

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled theory derived once (without the audit's alternative search, which the LaTeX test runs).
    static let run: DerivationRun = {
        let theory = try! Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        return try! DerivationRun(theory: theory, audit: false)
    }()

    static let chinchilla: DerivationRun = {
        let theory = try! Theory.load(root.appendingPathComponent("theorems/empirical/chinchilla.bounds").path, from: .fileSystem)
        return try! DerivationRun(theory: theory, audit: false)
    }()

    /// A realistic MoE setting.
    static let setting: [(String, Double)] = [("beta", 1), ("d", 8), ("M", 64), ("k", 2), ("L_T", 24), ("ell", 2048)]

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a program; nil if it is not installed.
    @discardableResult
    func shell(_ program: String, _ arguments: [String], in directory: URL, input: String? = nil) throws -> (status: Int32, output: String)? {
        guard let path = which(program) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input.data(using: .utf8)!) }
        try? inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func which(_ program: String) -> String? {
        if program.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for p in paths + ["/usr/bin", "/usr/local/bin", "/opt/swift/usr/bin"] {
            let candidate = "\(p)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    // MARK: - LaTeX

    /// Compiles a document (with any files it inputs) in a scratch folder, and returns that folder.
    @discardableResult
    func compileLaTeX(_ source: String, name: String, files: [String: String] = [:]) throws -> URL {
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("\(name).tex"), atomically: true, encoding: .utf8)
        for (file, text) in files { try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        guard let result = try shell("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "\(name).tex"], in: dir) else {
            throw XCTSkip("pdflatex is not installed")
        }
        let log = (try? String(contentsOf: dir.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? result.output
        let errors = log.split(separator: "\n").filter { $0.hasPrefix("!") }
        XCTAssertEqual(result.status, 0, "pdflatex failed on \(name):\n" + errors.joined(separator: "\n"))
        XCTAssertTrue(errors.isEmpty, errors.joined(separator: "\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(name).pdf").path))
        return dir
    }

    /// Every superscript group `^{...}` of `latex` that holds a `\frac` (papers typeset exponents inline).
    func fractionsInSuperscripts(_ latex: String) -> [String] {
        var found: [String] = []
        let chars = Array(latex)
        var i = 0
        while i + 1 < chars.count {
            if chars[i] == "^" && chars[i + 1] == "{" {
                var depth = 0, j = i + 1
                repeat {
                    if chars[j] == "{" && (j == 0 || chars[j - 1] != "\\") { depth += 1 }
                    if chars[j] == "}" && (j == 0 || chars[j - 1] != "\\") { depth -= 1 }
                    j += 1
                } while depth > 0 && j < chars.count
                let group = String(chars[i..<j])
                if group.contains("\\frac") { found.append(group) }
            }
            i += 1
        }
        return found
    }

    /// The packages a fragment says it needs, read from its comment lines.
    func packagesNamed(in fragment: String) -> [String] {
        let comments = fragment.split(separator: "\n").filter { $0.hasPrefix("%") }.joined(separator: " ")
        let regex = try! NSRegularExpression(pattern: "\\\\usepackage\\{([a-z]+)\\}")
        let range = NSRange(comments.startIndex..., in: comments)
        return regex.matches(in: comments, range: range).map { String(comments[Range($0.range(at: 1), in: comments)!]) }
    }

    func testLaTeXDocumentCompilesAndReadsLikeAPaper() throws {
        let theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let run = try DerivationRun(theory: theory, audit: true)
        let document = LaTeXReport.document(run, fragment: false)
        XCTAssertTrue(document.allSatisfy { $0.isASCII }, "pdflatex needs ASCII (or known commands) only")
        XCTAssertTrue(document.contains("\\documentclass[11pt]{article}"))
        XCTAssertEqual(document.components(separatedBy: "\\usepackage").count - 1, 2, "amsmath and amssymb only")
        XCTAssertTrue(document.contains("\\usepackage{amsmath}"))
        // \lesssim and \gtrsim are amssymb's, not imitations.
        XCTAssertTrue(document.contains("\\usepackage{amssymb}"))
        for faked in ["\\providecommand", "\\underset", "\\newcommand{\\lesssim"] { XCTAssertFalse(document.contains(faked), "\(faked)") }
        for expected in ["\\section{Notation}", "\\begin{tabular}", "Lemma S4\\_exact", "\\emph{Source:}", "\\emph{Note:}",
                         "\\begin{align*}", "\\text{by S2}", "\\lesssim", "\\gtrsim", "\\underbrace", "\\text{approximation}",
                         "\\section{Scaling laws}", "D4\\_joint", "n^{-2\\beta/(2\\beta + d)}", "Regime & Dominant term",
                         "\\section{Audit against lower bounds}", "Lemma chain",
                         // log of a binomial coefficient without doubled parentheses.
                         "\\log\\binom{M}{k}",
                         // Prose typeset: Greek names, subscripted identifiers, O-tilde.
                         "\\mbox{$\\Lambda$-Lipschitz}", "$N(\\delta, T) \\le |P| \\max_{\\pi} N(\\delta, T_{\\pi})$", "into $\\tilde{O}$",
                         // The bibliography, built from the sources, and the citations where lemmas are stated.
                         "\\begin{thebibliography}", "\\bibitem[Schmidt-Hieber 2020]{src:schmidthieber2020} Schmidt-Hieber (2020), Ann. Statist. 48(4).",
                         "\\bibitem[Stone 1982]{src:stone1982}",
                         // Norms in prose.
                         "$\\inf_{T} \\|T - f\\|_{\\infty}^{2}$", "$\\mathbb{E}\\|T_{n} - f\\|^{2}$", "\\emph{Source:} \\cite[{Lemma 4}]{src:schmidthieber2020}",
                         "\\cite[{Thm 3.2 (ICLR version)}]{src:mayaki2026}: the better of the two mechanisms prevails"] {
            XCTAssertTrue(document.contains(expected), "missing \(expected)")
        }
        for unwanted in ["\\log\\left(\\binom", "^{0}", "Lambda-Lipschitz", "max\\_pi", "O-tilde", "M^{0}"] {
            XCTAssertFalse(document.contains(unwanted), "should not contain \(unwanted)")
        }
        XCTAssertEqual(fractionsInSuperscripts(document), [], "\\frac inside superscripts")
        XCTAssertEqual(fractionsInSuperscripts("n^{-\\frac{2\\beta}{d}} + x^{2}"), ["^{-\\frac{2\\beta}{d}}"], "the check finds what it looks for")
        // Every \cite has its \bibitem.
        let cited = Set(document.components(separatedBy: "\\cite").dropFirst().compactMap { piece -> String? in
            guard let open = piece.firstIndex(of: "{"), piece.first == "{" || piece.first == "[" else { return nil }
            let afterLocator = piece.first == "[" ? piece[piece.range(of: "]{")!.upperBound...] : piece[piece.index(after: open)...]
            return afterLocator.prefix { $0 != "}" }.description
        })
        XCTAssertFalse(cited.isEmpty)
        for key in cited { XCTAssertTrue(document.contains("]{\(key)} "), "no \\bibitem for \(key)") }
        try compileLaTeX(document, name: "document")

        // A fragment drops into a paper: no preamble, no document environment, no abstract; the packages it
        // needs are named in its comments, and a minimal document with exactly those compiles it.
        let fragment = LaTeXReport.document(run, fragment: true)
        for preamble in ["\\documentclass", "\\begin{document}", "\\end{document}", "\\usepackage", "\\maketitle", "\\begin{abstract}"] {
            XCTAssertFalse(fragment.split(separator: "\n").contains { !$0.hasPrefix("%") && $0.contains(preamble) }, "fragment has \(preamble)")
        }
        XCTAssertEqual(packagesNamed(in: fragment), ["amsmath", "amssymb"])
        XCTAssertTrue(fragment.contains("\\begin{thebibliography}"))
        XCTAssertEqual(fractionsInSuperscripts(fragment), [])
        let preamble = packagesNamed(in: fragment).map { "\\usepackage{\($0)}" }.joined(separator: "\n")
        try compileLaTeX("\\documentclass{article}\n\(preamble)\n\\begin{document}\n\(fragment)\n\\end{document}\n", name: "fragment")
    }

    /// Underscores in ids, TeX specials and Unicode in every string a theory file can hold.
    func testLaTeXSurvivesHostileText() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("hostile.bounds").path
        try """
        # Hostile text.
        symbols
          x_1 : real > 0   "width # of units, 100% & more → ≍ Õ ∝ ∞ ✓ 中文"
          y : real >= 1    "price in $ with ~tilde^hat and \\backslash {braces} | pipes < >"

        quantities
          Loss >= 0  "loss_value → ∞"

        lemma S4_exact "a_b lemma #1 & 50% → ≍" [standard]
          source "Doe & Roe 2020, §3: x_1 ≲ y^2 ⇒ fine; path n -> oo"
          note "Õ(n^(-1)) ∝ 1/n, ‖f‖∞ <= 1; ✓; x_1*y >= 2 and E = 1.5e3"
          Loss <= x_1 + y^(-1)

        lemma S5 "TeX specials in a source" [standard]
          source "Smith & Jones 2019, Sec. 3_2 {a}: 50% of cases #1, under_score & ~more^ \\relax $5; see 100% of [it]"
          note "a 20% note_with & # and $ and Lambda-Lipschitz max_pi O-tilde"
          x_1 <= x_1 + y

        derive D4_joint "bound_with_underscores & more"
          start Loss
          by S4_exact

        law D4_law "growth_in y"
          bound D4_joint
          as y -> oo
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try DerivationRun(theory: try Theory.load(path, from: .fileSystem), audit: true)
        let document = LaTeXReport.document(run, fragment: false)
        XCTAssertTrue(document.allSatisfy { $0.isASCII })
        XCTAssertTrue(document.contains("D4\\_joint"))
        XCTAssertTrue(document.contains("\\to"))
        // The sources' works are in the bibliography; the specials in them are escaped.
        XCTAssertTrue(document.contains("\\bibitem[Doe \\& Roe 2020]{src:doe2020} Doe \\& Roe (2020)."), document)
        XCTAssertTrue(document.contains("\\bibitem[Smith \\& Jones 2019]{src:smith2019} Smith \\& Jones (2019)."), document)
        XCTAssertTrue(document.contains("50\\% of cases \\#1"), document)
        // Without `$...$` markup nothing is typeset as math: the note is escaped text.
        XCTAssertTrue(document.contains("a 20\\% note\\_with \\& \\# and \\$ and Lambda-Lipschitz max\\_pi O-tilde"), document)
        try compileLaTeX(document, name: "hostile")
        let fragment = LaTeXReport.document(run, fragment: true)
        try compileLaTeX("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\begin{document}\n\(fragment)\n\\end{document}\n", name: "hostile-fragment")
    }

    /// Symbols with digits and underscores are typeset with one subscript group the first time: no double
    /// subscript (`S_{4}_{\\mathrm{exact}}`, a TeX error) anywhere in the document, which is not repaired afterwards
    /// and compiles.
    func testSymbolsWithUnderscoresAndDigitsNeedNoRepair() throws {
        XCTAssertEqual(Expr.latexSymbol("S4_exact"), "S_{4,\\mathrm{exact}}")
        XCTAssertEqual(Expr.latexSymbol("D_inf"), "D_{\\mathrm{inf}}")
        XCTAssertEqual(Expr.latexSymbol("x_D"), "x_{D}")
        XCTAssertEqual(Expr.latexSymbol("N_eff"), "N_{\\mathrm{eff}}")
        XCTAssertEqual(Expr.latexSymbol("x1_b"), "x_{1,b}")
        XCTAssertEqual(Expr.latexSymbol("beta2_max"), "\\beta_{2,\\mathrm{max}}")
        XCTAssertEqual(Expr.latexSymbol("e_N_eff"), "e_{N,\\mathrm{eff}}")
        XCTAssertEqual((try Parser.parseExpression("S4_exact^2/x1_b")).latex, "\\frac{S_{4,\\mathrm{exact}}^{2}}{x_{1,b}}")
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("scripts.bounds").path
        try """
        symbols
          n : integer >= 2          "sample size"
          S4_exact : real > 0       "a constant named like a lemma"
          D_inf : real >= 1         "inference tokens"
          x_D : real > 0            "a data exponent"
          N_eff : real >= 1         "active parameters"
          x1_b : real > 0           "an offset"

        quantities
          Risk >= 0                 "excess risk"

        lemma S4_exact_bound "with $S4_exact$ and $x1_b$" [standard]
          source "Doe 2020, Lemma 1: $Risk <= S4_exact*N_eff^(-x_D) + D_inf/n + x1_b/n$"
          as n -> oo fixed S4_exact, x_D, N_eff, D_inf, x1_b
          Risk <~ S4_exact*N_eff^(-x_D) + D_inf/n + x1_b/n

        derive bound "the bound"
          as n -> oo fixed S4_exact, x_D, N_eff, D_inf, x1_b
          start Risk
          by S4_exact_bound
          by asymptotics

        law D4 "growth in n"
          bound bound
          as n -> oo
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try DerivationRun(theory: try Theory.load(path, from: .fileSystem), audit: false)
        for fragment in [false, true] {
            let document = LaTeXReport.document(run, fragment: fragment)
            XCTAssertTrue(document.contains("S_{4,\\mathrm{exact}}"), document)
            XCTAssertTrue(document.contains("x_{1,b}"), document)
            XCTAssertTrue(document.contains("D_{\\mathrm{inf}}"), document)
            let doubled = try NSRegularExpression(pattern: "_\\{[^{}]*\\}_\\{")
            XCTAssertEqual(doubled.numberOfMatches(in: document, range: NSRange(document.startIndex..., in: document)), 0, "a double subscript")
            if !fragment { try compileLaTeX(document, name: "scripts") }
        }
    }

    /// `$...$` in a `source` or a `note` is math in LaTeX and plain text (the formula as written, without the
    /// dollars) in the text outputs.
    func testMarkupInSourcesAndNotesIsMathInLaTeXAndTextInText() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("markup.bounds").path
        try """
        symbols
          n : integer >= 2          "sample size, $n >= 2$"
          N_eff : real >= 1         "active parameters"
          theta : real in (0, 1)    "growth of $N_eff$"

        quantities
          Risk >= 0                 "excess risk"

        lemma L "a rate with $N_eff = n^theta$" [standard]
          source "Doe 2020, Lemma 1, with $N_eff = n^theta$; costs \\$5"
          note "holds for $theta <= 1/2$, a top-$k$ router and $||T - f||_inf^2$"
          as n -> oo fixed N_eff
          Risk <~ N_eff/n

        derive bound "the bound"
          as n -> oo fixed N_eff
          start Risk
          by L

        example "toy"
          source "a toy with $N_eff = 10^6$"
          note "at $n = 10^9$ tokens"
          n = 1e9
          N_eff = 1e6
          theta = 1/2
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let theory = try Theory.load(path, from: .fileSystem)
        let run = try DerivationRun(theory: theory, audit: false)
        let document = LaTeXReport.document(run, fragment: false)
        for math in ["\\cite[{Lemma 1, with $N_{\\mathrm{eff}} = n^{\\theta}$}]{src:doe2020}; costs \\$5", "holds for $\\theta \\le 1/2$, a \\mbox{top-$k$} router and $\\|T - f\\|_{\\infty}^{2}$",
                     "a rate with $N_{\\mathrm{eff}} = n^{\\theta}$", "sample size, $n \\ge 2$", "growth of $N_{\\mathrm{eff}}$"] {
            XCTAssertTrue(document.contains(math), "missing \(math) in\n\(document)")
        }
        XCTAssertFalse(document.contains("\\$N"), "a formula escaped as text")
        try compileLaTeX(document, name: "markup")
        // The model holds the prose; its text view is the formula as written.
        XCTAssertEqual(theory.lemmas["L"]?.source.text, "Doe 2020, Lemma 1, with N_eff = n^theta; costs $5")
        XCTAssertEqual(theory.lemmas["L"]?.note?.text, "holds for theta <= 1/2, a top-k router and ||T - f||_inf^2")
        // Text outputs: the example's source and note, and the symbols' meanings, without dollars.
        let examples = try BoundsProcess.run(["examples", path])
        XCTAssertEqual(examples.status, 0, examples.stderr)
        XCTAssertTrue(examples.stdout.contains("source: a toy with N_eff = 10^6"), examples.stdout)
        XCTAssertTrue(examples.stdout.contains("note: at n = 10^9 tokens"), examples.stdout)
        XCTAssertFalse(examples.stdout.contains("$"), examples.stdout)
        let derived = try BoundsProcess.run(["derive", path])
        XCTAssertTrue(derived.stdout.contains("== the bound [bound]"), derived.stdout)
        XCTAssertFalse(derived.stdout.contains("$"), derived.stdout)
    }

    /// Prose from a theory file marks its formulas with `$...$`: LaTeX typesets exactly those (nothing is guessed)
    /// and escapes the rest; the text view prints the formulas as written, without the dollars.
    func testProseMarkupTypesetsFormulasAndEscapesTheRest() {
        func latex(_ s: String) -> String { Prose(markup: s).latex }
        XCTAssertEqual(latex("dropped $1/n$ (dominated along $n -> oo$)"), "dropped $1/n$ (dominated along $n \\to \\infty$)")
        XCTAssertEqual(latex("experts activated per token (top-$k$)"), "experts activated per token (\\mbox{top-$k$})")
        XCTAssertEqual(latex("S4_exact with 100% & #1"), "S4\\_exact with 100\\% \\& \\#1")
        // A hyphenated word with a formula stays on one line; Greek names, subscripts and operators as math.
        XCTAssertEqual(latex("a $Lambda$-Lipschitz map, $k$-sparse"), "a \\mbox{$\\Lambda$-Lipschitz} map, \\mbox{$k$-sparse}")
        XCTAssertEqual(latex("$|P| max_pi N(delta, T_pi)$"), "$|P| \\max_{\\pi} N(\\delta, T_{\\pi})$")
        XCTAssertEqual(latex("writes the $log n$ into $Õ$;"), "writes the $\\log n$ into $\\tilde{O}$;")
        XCTAssertEqual(latex("over $pi$ in P, ($[-kappa, kappa]^p$)"), "over $\\pi$ in P, ($[-\\kappa, \\kappa]^{p}$)")
        XCTAssertEqual(latex("depth $O(log(d))$"), "depth $O(\\log(d))$")
        XCTAssertEqual(latex("error $||T - f||_inf^2$ over"), "error $\\|T - f\\|_{\\infty}^{2}$ over")
        XCTAssertEqual(latex("risk $>~ n^(-2*beta/d)$, $N_opt ∝ C^a$, $delta := 1/n$"), "risk $\\gtrsim n^{-2\\beta/d}$, $N_{\\mathrm{opt}} \\propto C^{a}$, $\\delta := 1/n$")
        XCTAssertEqual(latex("as 'quoted words'"), "as `quoted words'")
        XCTAssertEqual(latex("Stone (1982), 10(4)"), "Stone (1982), 10(4)")
        // A decimal is typeset as written (the parser would read 1.69 as 169/100).
        XCTAssertEqual(latex("$E = 1.69$, $c*(1 - S)^0.17$"), "$E = 1.69$, $c\\, (1 - S)^{0.17}$")
        // Nothing outside the dollars is guessed; \\$ and a dollar that nothing closes are dollar signs.
        XCTAssertEqual(latex("log(n) with N_eff and Lambda-Lipschitz O-tilde"), "log(n) with N\\_eff and Lambda-Lipschitz O-tilde")
        XCTAssertEqual(latex("costs \\$5 or $ 6"), "costs \\$5 or \\$ 6")
        XCTAssertEqual(Prose(markup: "top-$k$ gating, $N_eff = n^theta$, \\$5").text, "top-k gating, N_eff = n^theta, $5")
        XCTAssertEqual(Prose(markup: "costs \\$5, $x$").markup, "costs \\$5, $x$")
        XCTAssertEqual(TeX.text("a <= b -> c"), "a $\\le$ b $\\to$ c")
    }

    // MARK: - Emitted code

    /// Assumption-respecting random values: positive, k <= M integers, small enough for every formula.
    func randomPoint(_ parameters: [String], _ rng: inout SplitMix64) -> [String: Double] {
        var point: [String: Double] = [:]
        for p in parameters {
            switch p {
            case "M": point[p] = Double(Int(rng.uniform(4, 200)))
            case "k": point[p] = Double(Int(rng.uniform(1, 4)))
            case "n": point[p] = rng.uniform(2, 1e9)
            case "d": point[p] = Double(Int(rng.uniform(1, 64)))
            default: point[p] = rng.uniform(0.5, 50)
            }
        }
        return point
    }

    /// Functions from both theories plus one that exercises every operation and shared subexpressions.
    func emittedFunctions() throws -> [GeneratedFunction] {
        var functions = EmitCommand.functions(Self.run).0 + EmitCommand.functions(Self.chinchilla).0
        let names = Set(functions.map(\.name))
        XCTAssertEqual(names.count, functions.count, "function names are unique")
        let everything = try Parser.parseExpression("log(binom(M, k)) + sqrt(x) - 3*y^(-2) + max(x, y, 2) + e^(x/10) - min(x, y)/(x*y + 1) + (x*y + 1)^(1/3) + pi")
        functions.append(GeneratedFunction(name: "everything", summary: "every operation", expression: everything))
        // Parameter names that are keywords or call names in some language.
        let keywords = try Parser.parseExpression("lambda*in + log_1 * double")
        functions.append(GeneratedFunction(name: "keywords", summary: "parameters that are keywords", expression: keywords))
        return functions
    }

    func emittedPoints(_ functions: [GeneratedFunction]) -> [(GeneratedFunction, [String: Double], Double)] {
        var rng = SplitMix64(seed: 20260)
        var cases: [(GeneratedFunction, [String: Double], Double)] = []
        for f in functions {
            var added = 0
            var attempts = 0
            while added < 6 && attempts < 100 {
                attempts += 1
                var point = randomPoint(f.parameters, &rng)
                if f.name == "keywords" { point = Dictionary(uniqueKeysWithValues: f.parameters.map { ($0, rng.uniform(0.5, 5)) }) }
                guard let expected = try? f.expression.evaluate(point) else { continue }
                cases.append((f, point, expected))
                added += 1
            }
            XCTAssertGreaterThan(added, 0, "no valid point for \(f.name)")
        }
        return cases
    }

    func assertClose(_ outputs: [String], _ cases: [(GeneratedFunction, [String: Double], Double)], language: String) {
        XCTAssertEqual(outputs.count, cases.count, "\(language): one line per case")
        for (line, c) in zip(outputs, cases) {
            guard let got = Double(line.trimmingCharacters(in: .whitespaces)) else {
                XCTFail("\(language): \(c.0.name) printed '\(line)'")
                continue
            }
            let scale = max(abs(c.2), 1e-300)
            XCTAssertLessThanOrEqual(abs(got - c.2) / scale, 1e-9, "\(language): \(c.0.name) at \(c.1): \(got) vs \(c.2)")
        }
    }

    /// Arguments in Python or C syntax, in the function's parameter order.
    func arguments(_ f: GeneratedFunction, _ point: [String: Double]) -> String {
        f.parameters.map { "\(point[$0]!)" }.joined(separator: ", ")
    }

    func testEmittedPythonAgreesWithTheEngineOnFloatsWithoutNumpy() throws {
        let functions = try emittedFunctions()
        let source = try CodeGenerator.source(functions, language: .python, header: ["test"])
        XCTAssertTrue(source.contains("def d2_data_scaling_risk_exponent(beta: Real, d: Real) -> Real:"), source)
        XCTAssertTrue(source.contains("def bound_total("))
        XCTAssertTrue(source.contains("lambda_"), "a keyword parameter is renamed")
        XCTAssertFalse(source.contains("\nimport numpy"), "numpy is imported only inside _backend, on first use with an array")
        let cases = emittedPoints(functions)
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("generated.py"), atomically: true, encoding: .utf8)
        // Plain numbers must work where numpy cannot be imported at all.
        var driver = "import sys\nsys.modules['numpy'] = None\nfrom generated import *\n"
        for (f, point, _) in cases {
            driver += "print(repr(\(CodeGenerator.identifier(f.name))(\(arguments(f, point)))))\n"
        }
        try driver.write(to: dir.appendingPathComponent("driver.py"), atomically: true, encoding: .utf8)
        guard let result = try shell("python3", ["driver.py"], in: dir) else { throw XCTSkip("python3 is not installed") }
        XCTAssertEqual(result.status, 0, result.output)
        assertClose(result.output.split(separator: "\n").map(String.init), cases, language: "python (floats, no numpy)")
    }

    func testEmittedPythonTakesNumpyArraysLikeLambdify() throws {
        let dir = try temporaryDirectory()
        guard let probe = try shell("python3", ["-c", "import numpy"], in: dir) else { throw XCTSkip("python3 is not installed") }
        guard probe.status == 0 else { throw XCTSkip("numpy is not installed for python3") }
        let functions = try emittedFunctions()
        let source = try CodeGenerator.source(functions, language: .python)
        try source.write(to: dir.appendingPathComponent("generated.py"), atomically: true, encoding: .utf8)
        let cases = emittedPoints(functions)
        // numpy is not imported by the module itself: only when a call gets an array.
        var driver = "import sys\nimport generated\nassert 'numpy' not in sys.modules, 'imported numpy eagerly'\nimport numpy\n"
        var expected: [(GeneratedFunction, [String: Double], Double)] = []
        var seen = Set<String>()
        for (f, _, _) in cases where !f.parameters.isEmpty && !seen.contains(f.name) {
            seen.insert(f.name)
            let group = cases.filter { $0.0.name == f.name }
            let name = "generated.\(CodeGenerator.identifier(f.name))"
            // Every parameter an array (one entry per point); the result is an array of the same length.
            let arrays = f.parameters.map { p in "numpy.array([\(group.map { "\($0.1[p]!)" }.joined(separator: ", "))])" }
            driver += "r = \(name)(\(arrays.joined(separator: ", ")))\n"
            driver += "assert isinstance(r, numpy.ndarray) and r.shape == (\(group.count),), (\(name), r)\n"
            driver += "for v in r: print(repr(float(v)))\n"
            expected += group
            // The first parameter a plain number, the others lists: broadcast against it.
            let first = group[0]
            let mixed = f.parameters.enumerated().map { i, p in
                i == 0 && f.parameters.count > 1 ? "\(first.1[p]!)" : "[\(first.1[p]!), \(first.1[p]!)]"
            }
            driver += "r = \(name)(\(mixed.joined(separator: ", ")))\n"
            driver += "assert isinstance(r, numpy.ndarray) and r.shape == (2,), (\(name), r)\n"
            driver += "for v in r: print(repr(float(v)))\n"
            expected += [first, first]
        }
        driver += "assert 'numpy' in sys.modules\n"
        try driver.write(to: dir.appendingPathComponent("driver.py"), atomically: true, encoding: .utf8)
        let result = try XCTUnwrap(try shell("python3", ["driver.py"], in: dir))
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertGreaterThan(seen.count, 20)
        assertClose(result.output.split(separator: "\n").map(String.init), expected, language: "python (numpy arrays)")
    }

    func testEmittedCWithItsHeaderAgreesWithTheEngine() throws {
        let functions = try emittedFunctions()
        let header = try CodeGenerator.cHeader(functions, header: ["test"], fileName: "generated.h")
        let source = try CodeGenerator.source(functions, language: .c, header: ["test"], includeHeader: "generated.h")
        XCTAssertTrue(source.contains("#include <math.h>\n#include \"generated.h\""))
        XCTAssertTrue(source.contains("double d2_data_scaling_risk_exponent(double beta, double d) {"))
        for expected in ["#ifndef GENERATED_H", "#define GENERATED_H", "extern \"C\" {", "double d2_data_scaling_risk_exponent(double beta, double d);",
                         "double bound_estimation(double N_eff, double n);", "#endif /* GENERATED_H */"] {
            XCTAssertTrue(header.contains(expected), "the header lacks \(expected)")
        }
        XCTAssertFalse(header.contains("{\n    "), "the header holds prototypes only")
        // Shared subexpressions: -2*beta/d is computed once in the total.
        let total = source.components(separatedBy: "double bound_total(")[1].components(separatedBy: "}")[0]
        XCTAssertTrue(total.contains("const double t1 = -2.0 * beta / d;"), total)
        let cases = emittedPoints(functions)
        let dir = try temporaryDirectory()
        try header.write(to: dir.appendingPathComponent("generated.h"), atomically: true, encoding: .utf8)
        try source.write(to: dir.appendingPathComponent("generated.c"), atomically: true, encoding: .utf8)
        try CodeGenerator.source(functions, language: .c).write(to: dir.appendingPathComponent("single.c"), atomically: true, encoding: .utf8)
        // The driver sees the header only; -Wmissing-prototypes: every function the source defines is declared there.
        var driver = "#include <stdio.h>\n#include \"generated.h\"\nint main(void) {\n"
        for (f, point, _) in cases {
            driver += "    printf(\"%.17g\\n\", \(CodeGenerator.identifier(f.name))(\(arguments(f, point))));\n"
        }
        driver += "    return 0;\n}\n"
        try driver.write(to: dir.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        let warnings = ["-std=c99", "-Wall", "-Wextra", "-Werror"]
        guard let object = try shell("cc", warnings + ["-Wmissing-prototypes", "-c", "generated.c"], in: dir) else {
            throw XCTSkip("cc is not installed")
        }
        XCTAssertEqual(object.status, 0, object.output)
        let single = try XCTUnwrap(try shell("cc", warnings + ["-c", "single.c"], in: dir))
        XCTAssertEqual(single.status, 0, "without a header the source stands alone: \(single.output)")
        let linked = try XCTUnwrap(try shell("cc", warnings + ["-o", "driver", "driver.c", "generated.o", "-lm"], in: dir))
        XCTAssertEqual(linked.status, 0, linked.output)
        guard let result = try shell(dir.appendingPathComponent("driver").path, [], in: dir) else { return XCTFail("driver not built") }
        XCTAssertEqual(result.status, 0)
        assertClose(result.output.split(separator: "\n").map(String.init), cases, language: "c")
    }

    func testSwiftNamesAreShortUniqueAndClearOfKeywords() {
        let x: Expr = "x"
        let functions = ["x_y", "xY", "x y"].map { GeneratedFunction(name: $0, summary: "", expression: x) }
            + [GeneratedFunction(name: "r", summary: "", expression: x, camelCaseName: "return")]
        XCTAssertEqual(CodeGenerator.camelCaseNames(functions), ["xY", "xY2", "xY3", "return2"])
        XCTAssertEqual(CodeGenerator.camelCase("D4_joint M exponent"), "d4JointMExponent")
        XCTAssertEqual(CodeGenerator.camelCase("bound_total"), "boundTotal")
        XCTAssertEqual(CodeGenerator.camelCase("URLString x"), "urlStringX")
        XCTAssertEqual(CodeGenerator.camelCase("Risk"), "risk")
        XCTAssertEqual(CodeGenerator.typeName("MoE generalization bound "), "MoEGeneralizationBound")
        let short = DerivedQuantities.all(Self.run).map(\.shortName)
        XCTAssertEqual(Set(short).count, short.count, "short names are unique")
        XCTAssertEqual(Array(short.prefix(4)), ["risk", "approximation", "estimation", "routing"])
        XCTAssertTrue(short.contains("d2RiskExponent") && short.contains("d2NEffExponent") && short.contains("d4JointMExponent"), "\(short)")
        XCTAssertEqual(EmitCommand.namespace(Self.run), "MoEGeneralizationBound")
        XCTAssertEqual(EmitCommand.namespace(Self.chinchilla), "ChinchillaLoss")
    }

    func testEmittedSwiftIsANamespaceOfShortNamesAndAgreesWithTheEngine() throws {
        let emitted = try EmitCommand.source(Self.run, language: .swift)
        for expected in ["public enum MoEGeneralizationBound {", "    public static func estimation(N_eff: Double, n: Double) -> Double {",
                         "    public static func risk(", "    public static func d4JointMExponent(beta: Double, d: Double) -> Double {",
                         "/// D4_joint experts and capacity grown with the data: the exponent a in M",
                         "/// `d4_joint_experts_and_capacity_grown_with_the_data_m_exponent` in the Python, C and JSON output.",
                         "///   - n: sample size"] {
            XCTAssertTrue(emitted.contains(expected), "missing \(expected)")
        }
        let declared = emitted.components(separatedBy: "static func ").dropFirst().map { String($0.prefix { $0 != "(" }) }
        XCTAssertEqual(Set(declared).count, declared.count)
        for name in declared {
            XCTAssertLessThanOrEqual(name.count, 24, "\(name) is a name a person types")
            XCTAssertFalse(name.contains("_"), name)
        }

        // Compile every group (both theories, and the functions that use every operation) and run it.
        let all = try emittedFunctions()
        let moe = EmitCommand.functions(Self.run).0, chinchilla = EmitCommand.functions(Self.chinchilla).0
        let extra = Array(all.dropFirst(moe.count + chinchilla.count))
        let groups = [(EmitCommand.namespace(Self.run), moe), (EmitCommand.namespace(Self.chinchilla), chinchilla), ("Extra", extra)]
        var source = "import Foundation\n"
        var callees: [String: (function: String, labels: [String])] = [:]
        for (namespace, functions) in groups {
            source += try CodeGenerator.source(functions, language: .swift, namespace: namespace).replacingOccurrences(of: "import Foundation\n", with: "")
            for (f, swiftName) in zip(functions, CodeGenerator.camelCaseNames(functions)) {
                callees[f.name] = ("\(namespace).\(swiftName)", try CodeGenerator.names(f, language: .swift, functionName: swiftName).1)
            }
        }
        XCTAssertTrue(source.contains("private static func binomial("), "the helper is private to its namespace")
        let cases = emittedPoints(all)
        var main = ""
        for (f, point, _) in cases {
            let callee = try XCTUnwrap(callees[f.name])
            let arguments = zip(callee.labels, f.parameters).map { "\($0): \(point[$1]!)" }
            main += "print(\(callee.function)(\(arguments.joined(separator: ", "))))\n"
        }
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("Generated.swift"), atomically: true, encoding: .utf8)
        try main.write(to: dir.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        guard let compiled = try shell("swiftc", ["-o", "driver", "Generated.swift", "main.swift"], in: dir) else { throw XCTSkip("swiftc is not installed") }
        XCTAssertEqual(compiled.status, 0, compiled.output)
        guard let result = try shell(dir.appendingPathComponent("driver").path, [], in: dir) else { return XCTFail("driver not built") }
        XCTAssertEqual(result.status, 0)
        assertClose(result.output.split(separator: "\n").map(String.init), cases, language: "swift")
    }

    func testEmitSkipsQuantitiesWithoutAFormula() throws {
        let f = GeneratedFunction(name: "cover", summary: "a cover", expression: try Parser.parseExpression("log(Cover(delta))"))
        XCTAssertThrowsError(try CodeGenerator.source([f], language: .c))
        let json = try EmitCommand.source(Self.run, language: .json)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let functions = object?["functions"] as? [[String: Any]] ?? []
        let d2 = functions.first { $0["name"] as? String == "d2_data_scaling_risk_exponent" }
        XCTAssertEqual(d2?["expression"] as? String, "-2*beta/(2*beta + d)")
        XCTAssertEqual(d2?["parameters"] as? [String], ["beta", "d"])
    }

    // MARK: - Eval

    func testEvalNamesMissingSymbolsAndDomainErrors() throws {
        XCTAssertThrowsError(try EvalCommand.evaluate(Self.run, settings: [("n", 1e9), ("beta", 1)])) { error in
            let message = "\(error)"
            for name in ["M", "N_eff", "d", "ell", "k", "L_T", "--set"] { XCTAssertTrue(message.contains(name), message) }
            XCTAssertFalse(message.contains("beta ("), "beta was given: \(message)")
        }
        let ok = try EvalCommand.evaluate(Self.run, settings: Self.setting + [("n", 1e9), ("N_eff", 1e8)])
        XCTAssertFalse(ok.hasErrors)
        let estimation = try XCTUnwrap(ok.terms.first { $0.name == "estimation" })
        XCTAssertEqual(estimation.value ?? 0, 1e8 * log(1e9) / 1e9, accuracy: 1e-12)
        XCTAssertEqual(ok.dominant.map { ok.terms[$0].name }, "estimation")
        XCTAssertEqual(ok.total ?? 0, ok.terms.compactMap(\.value).reduce(0, +), accuracy: 1e-15)
        XCTAssertTrue(EvalCommand.render(ok).contains("dominant term: estimation"))
        XCTAssertTrue(ok.regimes.contains { $0.law.hasPrefix("D2") && $0.holds == false }, "D2's routing regime is evaluated")
        // N_eff from its definition.
        let defined = try EvalCommand.evaluate(Self.run, settings: Self.setting + [("n", 1e9), ("Pi_attn", 1e6), ("Pi_exp", 2e6)])
        XCTAssertEqual(defined.derived.first?.0, "N_eff")
        XCTAssertEqual(defined.derived.first?.1 ?? 0, 24 * 1e6 + 24 * 2 * 2e6)
        // A domain error names the term.
        let bad = try EvalCommand.evaluate(Self.run, settings: Self.setting + [("n", -5), ("N_eff", 1e8)])
        XCTAssertTrue(bad.hasErrors)
        XCTAssertTrue(bad.terms.first { $0.name == "estimation" }?.error?.contains("log") ?? false)
        XCTAssertTrue(bad.warnings.contains { $0.contains("n = -5") })
    }

    // MARK: - Sweep

    func testGridSyntax() throws {
        XCTAssertEqual(try Grid.parse("beta=0.5:4:0.5").values, [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
        XCTAssertEqual(try Grid.parse("d=1:5").values, [1, 2, 3, 4, 5])
        XCTAssertEqual(try Grid.parse("k=1,2,4,8").values, [1, 2, 4, 8])
        XCTAssertEqual(try Grid.parse("n=1e3:1e9:log10").values, [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9])
        XCTAssertEqual(try Grid.parse("n=1:100:log10/2").values.count, 5)
        XCTAssertEqual(try Grid.parse("x=0:1:0.1").values.count, 11)
        for bad in ["beta", "beta=", "beta=1:0:1", "beta=0:1:0", "n=0:10:log10", "n=1:1e9:1e-3", "1x=1:2"] {
            XCTAssertThrowsError(try Grid.parse(bad), bad)
        }
    }

    func testSweepCSVHasTheRightShapeAndValues() throws {
        let grids = [try Grid.parse("beta=0.5:4:0.5"), try Grid.parse("d=1:4")]
        let settings: [(String, Double)] = [("n", 1e9), ("M", 64), ("k", 2), ("L_T", 24), ("ell", 2048), ("N_eff", 1e8)]
        let columns = try SweepCommand.columns(Self.run, grids: grids, settings: settings, requested: [])
        let labels = columns.map(\.label)
        XCTAssertEqual(Array(labels.prefix(4)), ["total", "approximation", "estimation", "routing"])
        XCTAssertTrue(labels.contains("D2.risk"))
        XCTAssertFalse(labels.contains("D4.risk"), "a constant exponent does not depend on the grid")
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("sweep.csv").path
        let rows = try SweepCommand.write(grids: grids, settings: settings, columns: columns, to: path, quiet: true)
        XCTAssertEqual(rows, 32)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["sweep.csv"], "no temporary file is left")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 33)
        XCTAssertEqual(lines[0], (["beta", "d"] + labels).joined(separator: ","))
        let d2 = try XCTUnwrap(Self.run.laws.first { $0.id == "D2" }?.riskExponent)
        let total = Self.run.bounds[0].expression
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").map { Double($0)! }
            XCTAssertEqual(fields.count, 2 + labels.count)
            var point = Dictionary(settings, uniquingKeysWith: { a, _ in a })
            point["beta"] = fields[0]
            point["d"] = fields[1]
            XCTAssertEqual(fields[2], try total.evaluate(point), accuracy: 1e-12 * abs(fields[2]))
            XCTAssertEqual(fields[2 + labels.firstIndex(of: "D2.risk")!], try d2.evaluate(point), accuracy: 1e-15)
        }
        // The first grid varies slowest.
        XCTAssertTrue(lines[1].hasPrefix("0.5,1,") && lines[2].hasPrefix("0.5,2,") && lines[5].hasPrefix("1,1,"))
    }

    func testSweepRefusesHugeGridsAndMissingSymbols() throws {
        let huge = [try Grid.parse("n=1:100000"), try Grid.parse("M=1:100000")]
        XCTAssertThrowsError(try SweepCommand.write(grids: huge, settings: [], columns: [], to: nil, quiet: true)) {
            XCTAssertTrue("\($0)".contains("10^8"), "\($0)")
        }
        XCTAssertThrowsError(try Grid.parse("n=1:1e9")) { XCTAssertTrue("\($0)".contains("10^8")) }
        XCTAssertThrowsError(try SweepCommand.columns(Self.run, grids: [try Grid.parse("n=1e3:1e6:log10")], settings: [("beta", 1)], requested: [])) {
            XCTAssertTrue("\($0)".contains("N_eff"), "\($0)")
        }
        // Named quantities and expressions.
        let columns = try SweepCommand.columns(Self.run, grids: [try Grid.parse("n=1e3:1e6:log10")], settings: [("N_eff", 1e6)],
                                               requested: ["estimation", "N_eff*log(n)/n", "bound_estimation"])
        XCTAssertEqual(columns.map(\.label), ["estimation", "N_eff*log(n)/n", "bound_estimation"])
        let point = ["n": 1e4, "N_eff": 1e6]
        XCTAssertEqual(try columns[0].expression.evaluate(point), try columns[1].expression.evaluate(point), accuracy: 1e-9)
        XCTAssertEqual(columns[0].expression, columns[2].expression)
    }

    // MARK: - Plots

    func wellFormed(_ svg: String) -> Bool {
        #if canImport(FoundationXML) || canImport(Darwin)
        let parser = XMLParser(data: Data(svg.utf8))
        return parser.parse()
        #else
        return svg.hasPrefix("<?xml") && svg.contains("</svg>")
        #endif
    }

    func testRiskPlotIsWellFormedWithAxesLegendAndRegimes() throws {
        var options = PlotCommand.Options(x: "n")
        options.path = "D2"
        let svg = try PlotCommand.riskPlot(Self.run, settings: Self.setting, options: options)
        XCTAssertTrue(wellFormed(svg), "the SVG must be well-formed XML")
        for expected in ["class=\"axes\"", "class=\"legend\"", "class=\"regime\"", "class=\"regime-boundary\"", "class=\"total\"",
                         "class=\"reference\"", "class=\"term\"", "10<tspan", "— sample size (training sequences)", "routing dominates", "estimation dominates"] {
            XCTAssertTrue(svg.contains(expected), "missing \(expected)")
        }
        // Against compute, the law D3 supplies N_eff and n.
        var compute = PlotCommand.Options(x: "C")
        compute.xRange = (1e6, 1e24)
        let c = try PlotCommand.riskPlot(Self.run, settings: Self.setting, options: compute)
        XCTAssertTrue(wellFormed(c))
        XCTAssertTrue(c.contains("D3"))
        // Missing values are named.
        XCTAssertThrowsError(try PlotCommand.riskPlot(Self.run, settings: [("beta", 1)], options: PlotCommand.Options(x: "n"))) {
            XCTAssertTrue("\($0)".contains("--set"), "\($0)")
        }
    }

    func testRegimeMapColorsCellsByTheDominantTerm() throws {
        let settings: [(String, Double)] = [("beta", 1), ("d", 8), ("k", 2), ("L_T", 24), ("ell", 2048), ("N_eff", 1e4)]
        let svg = try PlotCommand.regimeMap(Self.run, settings: settings, options: PlotCommand.Options(x: "n", y: "M"))
        XCTAssertTrue(wellFormed(svg))
        for expected in ["class=\"legend\"", "class=\"axes\"", "Dominant term", "routing: L_T", "approximation: M^(−2·β/d)",
                         "approximation: N_eff^(−2·β/d)", "outside the assumptions of the theory"] {
            XCTAssertTrue(svg.contains(expected), "missing \(expected)")
        }
        XCTAssertLessThan(svg.count, 200_000, "cells are merged into runs")
    }

    func testSVGLabelsAreTypeset() throws {
        let math = RichText.math("N_eff^(-2*beta/d)")
        XCTAssertEqual(math.characters, "Neff−2β/d")
        XCTAssertEqual(math.runs.first, RichText.Run(text: "N", italic: true))
        XCTAssertLessThan(math.runs[1].rise, 0, "eff is a subscript")
        XCTAssertTrue(math.runs.dropFirst(2).allSatisfy { $0.rise > 0 && $0.scale < 1 }, "−2β/d is a superscript: \(math.runs)")
        XCTAssertEqual(RichText.math("2*beta + L_T*ell*log(e*M/k)").characters, "2β + LT·ℓ·log(e·M/k)")
        let number = RichText.math("n ≈ 4.564e5")
        XCTAssertEqual(number.characters, "n ≈ 4.564·105")
        XCTAssertGreaterThan(number.runs.last?.rise ?? 0, 0, "the power of ten is a superscript")
        XCTAssertEqual(RichText.math("x^(y^2)").runs.map(\.rise).max().map { $0 > 0.4 }, true, "a superscript of a superscript rises further")
        let spaced = RichText.math("L_T = 24").svg(fontSize: 10)
        XCTAssertTrue(spaced.contains("</tspan> <tspan dy=\"-2.2\">= 24</tspan>"), "spaces stay outside the tspans, where renderers keep them: \(spaced)")

        var options = PlotCommand.Options(x: "n")
        options.path = "D2"
        let plot = try PlotCommand.riskPlot(Self.run, settings: Self.setting, options: options)
        XCTAssertTrue(wellFormed(plot))
        let legend = plot.components(separatedBy: "<g class=\"legend\"")[1].components(separatedBy: "</g>")[0]
        XCTAssertTrue(legend.contains("<tspan class=\"sup\""), legend)
        XCTAssertTrue(legend.contains("<tspan class=\"sub\""), legend)
        XCTAssertTrue(legend.contains("β") && legend.contains("ℓ"), legend)
        for ascii in ["^", "*", "beta", "(-"] { XCTAssertFalse(legend.contains(ascii), "the legend has no ASCII math (\(ascii)): \(legend)") }
        // Regime labels sit in the margin above the frame (its top is at y = 72), boundary values on white.
        let regex = try NSRegularExpression(pattern: "<text x=\"[^\"]*\" y=\"([^\"]*)\"[^>]*class=\"regime-label\"")
        let ys = regex.matches(in: plot, range: NSRange(plot.startIndex..., in: plot)).compactMap { m in
            Range(m.range(at: 1), in: plot).flatMap { Double(plot[$0]) }
        }
        XCTAssertEqual(ys.count, 2, "both regimes are labelled")
        XCTAssertTrue(ys.allSatisfy { $0 < 72 }, "\(ys)")
        XCTAssertTrue(plot.contains("class=\"label-background\""))
    }

    func testPGFPlotsFiguresCompileWithPdflatex() throws {
        var options = PlotCommand.Options(x: "n")
        options.path = "D2"
        let figure = try PlotCommand.riskFigure(Self.run, settings: Self.setting, options: options)
        let tex = PGFPlots.risk(figure, fragment: false)
        for expected in ["\\documentclass{article}", "\\usepackage{pgfplots}", "xmode=log", "ymode=log", "\\addlegendentry{routing dominates}",
                         "\\addlegendentry{estimation: $", "N_{\\mathrm{eff}}", "\\fill[boundsTerm", "D2 rate", "\\shipout\\box\\boundsfigure",
                         "n \\approx 4.564\\cdot 10^{5}"] {
            XCTAssertTrue(tex.contains(expected), "missing \(expected)")
        }
        XCTAssertEqual(tex.components(separatedBy: "\\addplot[").count - 1, figure.terms.count + 2, "the terms, the total and the reference line")
        XCTAssertTrue(tex.allSatisfy(\.isASCII), "pdflatex reads ASCII")
        let fragment = PGFPlots.risk(figure, fragment: true)
        XCTAssertFalse(fragment.contains("\\documentclass"))
        XCTAssertTrue(fragment.contains("\\begin{tikzpicture}") && fragment.contains("\\definecolor{boundsTermA}"))
        let mapSettings: [(String, Double)] = [("beta", 1), ("d", 8), ("k", 2), ("L_T", 24), ("ell", 2048), ("N_eff", 1e4)]
        let map = PGFPlots.regimes(try PlotCommand.regimeFigure(Self.run, settings: mapSettings, options: PlotCommand.Options(x: "n", y: "M")), fragment: false)
        for expected in ["\\addlegendentry{\\textbf{Dominant term}}", "\\addlegendentry{outside the assumptions of the theory}",
                         "\\addlegendentry{approximation: $M^{", "axis on top"] {
            XCTAssertTrue(map.contains(expected), "missing \(expected)")
        }
        XCTAssertLessThan(map.components(separatedBy: "\\fill[").count, 1500, "cells are merged into rectangles")

        let dir = try temporaryDirectory()
        guard let found = try shell("kpsewhich", ["pgfplots.sty"], in: dir) else { throw XCTSkip("TeX (kpsewhich) is not installed") }
        guard found.status == 0 else { throw XCTSkip("pgfplots is not installed (Debian/Ubuntu: apt-get install texlive-pictures)") }
        for (source, name) in [(tex, "risk"), (map, "regimes")] {
            let out = try compileLaTeX(source, name: name)
            // The page is the figure, not a letter page.
            if let info = try shell("pdfinfo", ["\(name).pdf"], in: out), info.status == 0,
               let line = info.output.split(separator: "\n").first(where: { $0.hasPrefix("Page size:") }) {
                let numbers = line.split(separator: " ").compactMap { Double($0) }
                XCTAssertEqual(numbers.count, 2, String(line))
                if numbers.count == 2 {
                    XCTAssertTrue(numbers[0] > 250 && numbers[0] < 600 && numbers[1] > 200 && numbers[1] < 500, "\(name): \(line)")
                }
            }
        }
        let paper = "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
            + "\\begin{document}\n\\begin{figure}\n\\centering\n\\resizebox{\\linewidth}{!}{\\input{fragment}}\n\\end{figure}\n\\end{document}\n"
        try compileLaTeX(paper, name: "paper", files: ["fragment.tex": fragment])
    }

    // MARK: - The command line

    func testEvalExitCodes() throws {
        var binary: URL? = nil
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("bounds").path) {
            binary = candidate.appendingPathComponent("bounds")
        }
        guard let binary else { throw XCTSkip("the bounds binary is not beside the tests") }
        let dir = try temporaryDirectory()
        // Without the theory's example configuration every value must come from --set.
        let missing = try XCTUnwrap(try shell(binary.path, ["eval", "--no-example", "--set", "n=1e9"], in: dir))
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.output.contains("missing values for"), missing.output)
        let bad = try XCTUnwrap(try shell(binary.path, ["sweep", "--grid", "n=1:10:0"], in: dir))
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.output.contains("step"), bad.output)
    }

}
