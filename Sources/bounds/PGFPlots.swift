import Foundation
import Symbolic
import Derivation

/// Figures for papers: the plots as pgfplots code, in a document that pdflatex compiles on its own (article
/// class, amsmath and pgfplots only, the page cut to the figure's size), or as a bare `tikzpicture` to
/// `\input` into a paper that loads pgfplots. Same curves, regimes and legend as the SVG.
enum PGFPlots {
    /// The pgfplots compatibility level written into documents: 1.16 is in every TeX distribution since 2018.
    static let compat = "1.16"

    // MARK: - Risk against one symbol

    static func risk(_ f: RiskFigure, fragment: Bool) -> String {
        var colors = Set(f.terms.indices.map { $0 % PlotCommand.palette.count })
        for s in f.segments { colors.insert(s.term % PlotCommand.palette.count) }
        let (ymin, ymax) = f.yRange
        var lines: [String] = []
        lines.append("\\begin{tikzpicture}")
        lines += colorDefinitions(colors.sorted().map { (name(paletteIndex: $0), PlotCommand.palette[$0]) })
        lines.append("\\providecommand{\\lesssim}{\\stackrel{<}{\\sim}}")
        lines.append("\\begin{axis}[")
        var options = [
            "scale only axis", "width=10cm", "height=7.5cm",
            f.xLog ? "xmode=log" : "xmode=normal", "ymode=log",
            "xmin=\(number(f.xRange.0))", "xmax=\(number(f.xRange.1))", "ymin=\(number(ymin))", "ymax=\(number(ymax))",
            "xlabel={\(axisLabel(f.x, meaning: f.xMeaning))}",
            "ylabel={$\(f.lhs.latex)$ bound (\(f.constantsSetToOne ? "$\\lesssim$, constants set to 1" : "$\(relationLaTeX(f.relation))$"))}",
            "title={\(title(f.title, subtitle: subtitle(example: f.example, settings: f.settings, path: f.path, pathLaw: f.pathLaw)))}",
            "title style={align=center}",
            "grid=major", "major grid style={gray!20}",
            "legend pos=outer north east", "legend cell align=left",
            "legend style={font=\\footnotesize, draw=none, row sep=1pt}",
            "unbounded coords=jump", "tick align=outside",
        ]
        if f.xLog && log10(f.xRange.1 / f.xRange.0) > 12 { options.append("xtickten={\(decades(f.xRange, every: 2))}") }
        if log10(ymax / ymin) > 12 { options.append("ytickten={\(decades(f.yRange, every: Int((log10(ymax / ymin) / 8).rounded(.up))))}") }
        lines.append(options.map { "  " + $0 }.joined(separator: ",\n"))
        lines.append("]")

        // Regime bands first, so the curves are drawn over them; then the boundaries.
        lines.append("% Regimes: where each term dominates.")
        for seg in f.segments {
            lines.append("\\fill[\(name(paletteIndex: seg.term % PlotCommand.palette.count)), fill opacity=0.1] (axis cs:\(number(seg.start)),\(number(ymin))) rectangle (axis cs:\(number(seg.end)),\(number(ymax)));")
        }
        for seg in f.segments.dropFirst() {
            lines.append("\\draw[densely dashed, black!65] (axis cs:\(number(seg.start)),\(number(ymin))) -- (axis cs:\(number(seg.start)),\(number(ymax)));")
        }

        // Curves, with the legend entries.
        let floor = ymin / 10
        func coordinates(_ ys: [Double?], xs: [Double]) -> String {
            var parts: [String] = []
            for (x, y) in zip(xs, ys) {
                guard let y, y > 0, y.isFinite else { parts.append("(\(number(x)),nan)"); continue }
                parts.append("(\(number(x)),\(number(max(y, floor))))")
            }
            return wrapCoordinates(parts)
        }
        for (i, t) in f.terms.enumerated() {
            lines.append("\\addplot[\(name(paletteIndex: i % PlotCommand.palette.count)), line width=1.1pt, mark=none] coordinates {")
            lines.append(coordinates(f.termValues[i], xs: f.xs))
            lines.append("};")
            lines.append("\\addlegendentry{\(TeX.text(t.name)): $\(t.expression.displayLaTeX)$}")
        }
        lines.append("\\addplot[black, line width=1.6pt, mark=none] coordinates {")
        lines.append(coordinates(f.totals, xs: f.xs))
        lines.append("};")
        lines.append("\\addlegendentry{total}")
        if let r = f.rate, !f.reference.isEmpty {
            lines.append("\\addplot[black!55, densely dashed, line width=0.9pt, mark=none] coordinates {")
            lines.append(coordinates(f.reference.map { $0.1 }, xs: f.reference.map { $0.0 }))
            lines.append("};")
            lines.append("\\addlegendentry{$\\propto \(Expr.latexSymbol(f.x))^{\(latexNumber(r.value))}$: \(TeX.text(r.law)) rate\(r.logsOmitted ? ", logs omitted" : "")}")
        }
        for i in Set(f.segments.map(\.term)).sorted() {
            let c = name(paletteIndex: i % PlotCommand.palette.count)
            lines.append("\\addlegendimage{area legend, fill=\(c), fill opacity=0.25, draw=\(c)}")
            lines.append("\\addlegendentry{\(TeX.text(f.terms[i].name)) dominates}")
        }

        // Labels on white, so the grid does not run through them: each regime at the top of its band (when
        // it fits), each boundary's value at the bottom.
        let axisWidth = 10.0   // cm
        func fraction(_ v: Double) -> Double {
            f.xLog ? log10(v / f.xRange.0) / log10(f.xRange.1 / f.xRange.0) : (v - f.xRange.0) / (f.xRange.1 - f.xRange.0)
        }
        let label = "fill=white, fill opacity=0.85, text opacity=1, inner sep=1.5pt"
        for seg in f.segments {
            let bandWidth = (fraction(seg.end) - fraction(seg.start)) * axisWidth
            let name = f.terms[seg.term].name
            // \scriptsize bold: about 0.15 cm per character.
            guard let text = ["\(name) dominates", name].first(where: { Double($0.count) * 0.15 + 0.2 <= bandWidth }) else { continue }
            let middle = f.xLog ? (seg.start * seg.end).squareRoot() : (seg.start + seg.end) / 2
            lines.append("\\node[anchor=north, font=\\scriptsize\\bfseries, text=\(self.name(paletteIndex: seg.term % PlotCommand.palette.count)), \(label)] at (axis cs:\(number(middle)),\(number(ymax))) {\(TeX.text(text))};")
        }
        for seg in f.segments.dropFirst() {
            let nearRight = fraction(seg.start) > 0.85
            lines.append("\\node[anchor=south \(nearRight ? "east" : "west"), font=\\scriptsize, \(label)] at (axis cs:\(number(seg.start)),\(number(ymin))) {$\(Expr.latexSymbol(f.x)) \\approx \(latexNumber(seg.start))$};")
        }
        lines.append("\\end{axis}")
        lines.append("\\end{tikzpicture}")
        let picture = lines.joined(separator: "\n")
        return fragment ? fragmentText(picture, title: f.title, values: f.values) : document(picture, title: f.title, values: f.values)
    }

    // MARK: - Regime map

    static func regimes(_ f: RegimeFigure, fragment: Bool) -> String {
        var lines: [String] = []
        lines.append("\\begin{tikzpicture}")
        var colors = f.used.map { ("boundsRegime\(letters($0))", f.color($0)) }
        colors.append(("boundsOutside", RegimeFigure.outsideColor))
        colors.append(("boundsUndefined", RegimeFigure.undefinedColor))
        lines += colorDefinitions(colors)
        lines.append("\\begin{axis}[")
        let options = [
            "scale only axis", "width=9cm", "height=7.5cm",
            f.xLog ? "xmode=log" : "xmode=normal", f.yLog ? "ymode=log" : "ymode=normal",
            "xmin=\(number(f.xRange.0))", "xmax=\(number(f.xRange.1))", "ymin=\(number(f.yRange.0))", "ymax=\(number(f.yRange.1))",
            "xlabel={\(axisLabel(f.x, meaning: f.xMeaning))}", "ylabel={\(axisLabel(f.y, meaning: f.yMeaning))}",
            "title={\(title(f.title, subtitle: subtitle(example: f.example, settings: f.settings, path: f.path, pathLaw: f.pathLaw)))}",
            "title style={align=center}",
            "axis on top", "tick align=outside",
            "legend pos=outer north east", "legend cell align=left",
            "legend style={font=\\footnotesize, draw=none, row sep=1pt}",
        ]
        lines.append(options.map { "  " + $0 }.joined(separator: ",\n"))
        lines.append("]")
        // Cells merged into rectangles: runs along each row, then runs of equal rows stacked.
        let xEdges = f.xEdges, yEdges = f.yEdges
        struct Open { var c0: Int; var c1: Int; var piece: Int?; var r0: Int }
        var open: [Open] = []
        var rectangles: [(Open, Int)] = []
        for r in 0...f.rows {
            var runs: [(Int, Int, Int?)] = []
            if r < f.rows {
                var c = 0
                while c < f.columns {
                    let p = f.grid[r][c]
                    var end = c + 1
                    while end < f.columns && f.grid[r][end] == p { end += 1 }
                    runs.append((c, end, p))
                    c = end
                }
            }
            var next: [Open] = []
            for run in runs {
                if let i = open.firstIndex(where: { $0.c0 == run.0 && $0.c1 == run.1 && $0.piece == run.2 }) {
                    next.append(open.remove(at: i))
                } else {
                    next.append(Open(c0: run.0, c1: run.1, piece: run.2, r0: r))
                }
            }
            for o in open { rectangles.append((o, r)) }
            open = next
        }
        lines.append("% The dominant term in each cell.")
        for (o, r1) in rectangles {
            let color: String
            if o.piece == RegimeFigure.outside { color = "boundsOutside" } else if let p = o.piece { color = "boundsRegime\(letters(p))" } else { color = "boundsUndefined" }
            lines.append("\\fill[\(color), draw=\(color), line width=0.2pt] (axis cs:\(number(xEdges[o.c0])),\(number(yEdges[o.r0]))) rectangle (axis cs:\(number(xEdges[o.c1])),\(number(yEdges[r1])));")
        }
        lines.append("\\addlegendimage{empty legend}")
        lines.append("\\addlegendentry{\\textbf{Dominant term}}")
        for p in f.used {
            lines.append("\\addlegendimage{area legend, fill=boundsRegime\(letters(p)), draw=black!50}")
            lines.append("\\addlegendentry{\(TeX.text(f.pieces[p].name)): $\(f.pieces[p].expression.displayLaTeX)$}")
        }
        if f.hasUndefined {
            lines.append("\\addlegendimage{area legend, fill=boundsUndefined, draw=black!50}")
            lines.append("\\addlegendentry{no value (outside the domain)}")
        }
        if f.hasOutside {
            lines.append("\\addlegendimage{area legend, fill=boundsOutside, draw=black!50}")
            lines.append("\\addlegendentry{outside the assumptions of the theory}")
        }
        lines.append("\\end{axis}")
        lines.append("\\end{tikzpicture}")
        let picture = lines.joined(separator: "\n")
        return fragment ? fragmentText(picture, title: f.title, values: f.values) : document(picture, title: f.title, values: f.values)
    }

    // MARK: - Documents

    /// A document whose single page is the figure: the picture is set in a box, the page given the box's
    /// size, and the box shipped out at the page's corner (no `standalone` class needed).
    static func document(_ picture: String, title: String, values: String = "") -> String {
        """
        % Generated by bounds plot: \(oneLine(title)).
        \(comment(values))% Compile with pdflatex (the figure is the whole page). Needs pgfplots (Debian/Ubuntu: texlive-pictures).
        \\documentclass{article}
        \\usepackage{amsmath}
        \\IfFileExists{amssymb.sty}{\\usepackage{amssymb}}{}
        \\usepackage{pgfplots}
        \\pgfplotsset{compat=\(compat)}
        \\pagestyle{empty}
        \\newsavebox{\\boundsfigure}
        \\begin{document}
        \\begin{lrbox}{\\boundsfigure}
        \(picture)
        \\end{lrbox}
        \\ifdefined\\pdfpagewidth
          \\pdfpagewidth=\\wd\\boundsfigure
          \\pdfpageheight=\\dimexpr\\ht\\boundsfigure+\\dp\\boundsfigure\\relax
        \\else\\ifdefined\\pagewidth
          \\pagewidth=\\wd\\boundsfigure
          \\pageheight=\\dimexpr\\ht\\boundsfigure+\\dp\\boundsfigure\\relax
        \\fi\\fi
        \\hoffset=-1in
        \\voffset=-1in
        \\shipout\\box\\boundsfigure
        \\end{document}

        """
    }

    static func fragmentText(_ picture: String, title: String, values: String = "") -> String {
        """
        % Generated by bounds plot: \(oneLine(title)).
        \(comment(values))% A pgfplots figure to \\input into a document that loads amsmath and pgfplots
        % (\\usepackage{pgfplots}\\pgfplotsset{compat=\(compat)}); the colors are defined inside the picture.
        \(picture)

        """
    }

    /// Compiles a document with pdflatex in a scratch folder and writes the PDF to `path` (atomically).
    static func compile(_ tex: String, to path: String) throws {
        guard let pdflatex = which("pdflatex") else {
            throw UsageError("writing a PDF needs pdflatex with pgfplots (Debian/Ubuntu: texlive-latex-base and texlive-pictures); -o NAME.tex writes the source")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-plot-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try tex.write(to: dir.appendingPathComponent("figure.tex"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex)
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "figure.tex"]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let pdf = dir.appendingPathComponent("figure.pdf")
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf.path) else {
            let log = (try? String(contentsOf: dir.appendingPathComponent("figure.log"), encoding: .utf8)) ?? ""
            let errors = log.split(separator: "\n").filter { $0.hasPrefix("!") }.prefix(3).joined(separator: "; ")
            let missing = log.contains("pgfplots.sty' not found") ? " (pgfplots is not installed: Debian/Ubuntu texlive-pictures)" : ""
            throw UsageError("pdflatex could not compile the figure\(missing)\(errors.isEmpty ? "" : ": \(errors)")")
        }
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        do {
            try FileManager.default.copyItem(atPath: pdf.path, toPath: temporary)
        } catch {
            throw UsageError("cannot write \(path)")
        }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            throw UsageError("cannot write \(path)")
        }
    }

    static func which(_ program: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for p in paths + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(p)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    // MARK: - Pieces

    static func name(paletteIndex i: Int) -> String { "boundsTerm\(letters(i))" }

    /// 0 → A, 1 → B, ..., 25 → Z, 26 → AA (color names cannot hold digits).
    static func letters(_ i: Int) -> String {
        var n = i, s = ""
        repeat {
            s = String(UnicodeScalar(UInt8(65 + n % 26))) + s
            n = n / 26 - 1
        } while n >= 0
        return s
    }

    static func colorDefinitions(_ colors: [(String, String)]) -> [String] {
        colors.map { "\\definecolor{\($0.0)}{HTML}{\($0.1.dropFirst().uppercased())}" }
    }

    /// A coordinate as pgfplots reads it (`1e+12`, `0.012`, `4.5639e+05`).
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "nan" }
        return String(format: "%.9g", v)
    }

    /// A value for the reader: `4.564\cdot 10^{5}`, `10^{9}`, `0.8`, `-0.2`.
    static func latexNumber(_ v: Double) -> String {
        let text = ParameterValues.format(v)
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = String(text[..<e])
        let exponent = String(text[text.index(after: e)...]).replacingOccurrences(of: "+", with: "")
        return (mantissa == "1" ? "" : mantissa == "-1" ? "-" : "\(mantissa)\\cdot ") + "10^{\(exponent)}"
    }

    static func relationLaTeX(_ r: String) -> String {
        switch r {
        case "<=": return "\\le"
        case ">=": return "\\ge"
        case "<~": return "\\lesssim"
        case ">~": return "\\gtrsim"
        case "~": return "\\asymp"
        default: return r
        }
    }

    static func axisLabel(_ name: String, meaning: Prose?) -> String {
        "$\(Expr.latexSymbol(name))$" + (meaning.map { " --- \($0.latex)" } ?? "")
    }

    static func title(_ title: String, subtitle: String) -> String {
        "\\textbf{\(TeX.text(title))}" + (subtitle.isEmpty ? "" : "\\\\{\\footnotesize \(subtitle)}")
    }

    /// `example Mixtral 8x7B with $\beta = 2$; $d = 8$; along $N_{\mathrm{eff}} = n^{0.8}$ (D2 data scaling)`.
    static func subtitle(example: FigureExample?, settings: [(String, Double)],
                         path: [(quantity: String, variable: String, exponent: Expr, value: Double?)], pathLaw: String?) -> String {
        func math(_ values: [(String, Double)]) -> String {
            values.map { "$\(Expr.latexSymbol($0.0)) = \(latexNumber($0.1))$" }.joined(separator: ", ")
        }
        var text = ""
        if let example {
            text = "example \(TeX.text(example.name))"
            if !example.changed.isEmpty { text += " with " + math(example.changed) }
            if !example.specialized.isEmpty {
                text += " with " + example.specialized.map { "\(math([($0.0, $0.1)])) (\(TeX.text($0.2)))" }.joined(separator: ", ")
            }
        }
        if !settings.isEmpty { text += (text.isEmpty ? "" : "; ") + math(settings) }
        if !path.isEmpty {
            let bindings = path.map { b in
                "$\(Expr.latexSymbol(b.quantity)) = \(Expr.latexSymbol(b.variable))^{\(b.value.map { latexNumber($0) } ?? b.exponent.displayLaTeX)}$"
            }
            text += (text.isEmpty ? "along " : "; along ") + bindings.joined(separator: ", ")
            if let pathLaw { text += " (\(TeX.text(pathLaw)))" }
        }
        return text
    }

    /// Major ticks at every `every`-th decade: `-24,-20,...` for `xtickten`.
    static func decades(_ range: (Double, Double), every: Int) -> String {
        let a = Int(log10(range.0).rounded(.up)), b = Int(log10(range.1).rounded(.down))
        guard b >= a else { return "\(a)" }
        let step = max(1, every)
        let first = Int((Double(a) / Double(step)).rounded(.up)) * step
        return stride(from: first, through: b, by: step).map(String.init).joined(separator: ",")
    }

    /// Coordinates, eight to a line.
    static func wrapCoordinates(_ parts: [String]) -> String {
        stride(from: 0, to: parts.count, by: 8).map { "  " + parts[$0..<min($0 + 8, parts.count)].joined(separator: " ") }.joined(separator: "\n")
    }

    /// `text` as comment lines (wrapped at about 100 characters), each ending in a newline; "" for no text.
    static func comment(_ text: String) -> String {
        var lines: [String] = []
        var line = "%"
        // Words, with "name = value" kept on one line.
        var words: [String] = []
        for w in oneLine(text).split(separator: " ").map(String.init) {
            if let last = words.last, w == "=" || last.hasSuffix(" =") { words[words.count - 1] = last + " " + w } else { words.append(w) }
        }
        for word in words {
            if line.count > 1 && line.count + 1 + word.count > 100 {
                lines.append(line)
                line = "%"
            }
            line += " " + word
        }
        if line.count > 1 { lines.append(line) }
        return lines.map { $0 + "\n" }.joined()
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }
}
