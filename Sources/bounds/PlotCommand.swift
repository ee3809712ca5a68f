import Foundation
import Symbolic
import Derivation

/// The bound's terms as functions of the plot axes: other symbols fixed by --set, or following a law's
/// scaling path (N_eff = n^θ* along D2).
struct PlotSetup {
    struct Term {
        var name: String
        var expression: Expr
        /// For a min (or max) term, its operands: the regime map tells which mechanism attains it.
        var operands: [Expr]
    }
    var terms: [Term]
    var values: [String: Double]
    var pathLaw: DerivedLaw?
    /// "N_eff = n^0.5 (D2 data scaling)", when a path is followed.
    var pathText: String?
    /// The same path, one binding per quantity: N_eff = n^exponent, with the exponent's value when known.
    var pathBindings: [(quantity: String, variable: String, exponent: Expr, value: Double?)] = []
    /// The law whose risk exponent is drawn as the reference line, and that exponent's value.
    var rateLaw: DerivedLaw?
    var rate: Double?
    /// The example configuration the values come from, if any, and the --set values as given.
    var example: ExampleValues? = nil
    var explicit: [(String, Double)] = []

    /// The example for the figure's subtitle: its name, what --set changed in it, what a specialization set.
    var figureExample: FigureExample? { example.flatMap(FigureExample.init) }

    /// The --set values the subtitle lists: with an example, those it does not have (it names the others).
    var shownSettings: [(String, Double)] {
        guard let e = example?.example else { return explicit }
        return explicit.filter { name, _ in e.value(name) == nil }
    }

    func value(_ e: Expr, at point: [String: Double]) -> Double? {
        var v = values
        for (k, x) in point { v[k] = x }
        guard let r = try? e.evaluate(v), r.isFinite else { return nil }
        return r
    }
}

/// `bounds plot [FILE] [--kind risk|regimes] --x n [--y M] ... -o out.svg|out.tex|out.pdf`
enum PlotCommand {
    static let help = """
    usage: bounds plot [FILE] [--use ALT]... [--kind risk|regimes] [--x SYMBOL] [--y SYMBOL]
                       [--range A:B] [--yrange A:B] [--set NAME=VALUE]... [--path LAW] [--bound ID]
                       [--example NAME | --no-example] [--points N] [--title TEXT]
                       [--format svg|pgfplots|pdf] [--fragment] [-o PATH]

    --kind risk (default): the bound against --x (default n) on log-log axes: each named term as its own
      curve, the total, the regimes shaded (where the dominant term changes, a dashed line), and the
      balanced rate of the law along that variable as a straight reference line.
    --kind regimes: a map over --x and --y (default n and M, log axes): each cell colored by the term
      that dominates there (a min term by the operand that attains it), with a legend.

    Symbols not on an axis take their value from --set, from the theory's first example configuration
    (`bounds examples`; --example NAME for another, --no-example for none; the subtitle names it), or
    follow a law's scaling path: --path D2 puts N_eff = n^(d/(2*beta + d)); when the axis is not in the
    bound (--x C) or a symbol is missing and a law along the axis supplies it, that law's path is used
    automatically. --range sets the x range (default 1e2:1e12; 1e10:1e26 for a compute axis), --yrange
    the y range (default 1:1e6); --xscale/--yscale linear for linear axes.

    Output: SVG (default), or with --format pgfplots (the default for -o NAME.tex) a LaTeX figure for
    papers: a standalone document (article class, pgfplots only) that pdflatex compiles, with the same
    curves, regimes and legend; --fragment writes only the tikzpicture, to \\input into a paper that loads
    pgfplots. --format pdf (the default for -o NAME.pdf) compiles that document with pdflatex.
    With -o, "wrote PATH" goes to standard error.

    examples: bounds plot -o risk.svg                      (the first example, risk against n)
              bounds plot -o risk.tex                      (the same figure as a pgfplots document)
              bounds plot --fragment -o risk.tex           (the tikzpicture alone, to \\input)
              bounds plot --example DeepSeek-V3 --kind regimes --y M -o map.svg
              bounds plot --no-example --x n --set beta=1 --set d=8 --set M=64 --set k=2 --set L_T=24 \\
                          --set ell=2048 --path D2 -o risk.pdf
    """

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]

    enum Format: String { case svg, pgfplots, pdf }

    /// --format, else the output file's extension (.tex: pgfplots, .pdf: pdf), else SVG.
    static func format(_ args: Arguments) throws -> Format {
        if let f = args.value("--format") {
            switch f.lowercased() {
            case "svg": return .svg
            case "pgfplots", "tex", "latex": return .pgfplots
            case "pdf": return .pdf
            default: throw UsageError("--format must be svg, pgfplots or pdf")
            }
        }
        let path = (args.value("-o") ?? args.value("--output") ?? "").lowercased()
        if path.hasSuffix(".tex") { return .pgfplots }
        if path.hasSuffix(".pdf") { return .pdf }
        return .svg
    }

    static func run(_ raw: [String]) throws -> Int32 {
        let valued = TheoryOptions.valued.union(["--kind", "--x", "--y", "--range", "--yrange", "--set", "--path", "--bound",
                                                 "--points", "--title", "--xscale", "--yscale", "--width", "--height"]).union(ExampleChoice.valued)
        let args = try Arguments(raw, valued: valued)
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ExampleChoice.flags.union(["--unchecked", "--fragment"]))
        guard args.positionals.count <= 1 else { throw UsageError("plot takes at most one theory file") }
        let kind = args.value("--kind") ?? "risk"
        guard kind == "risk" || kind == "regimes" else { throw UsageError("--kind must be risk or regimes") }
        let format = try self.format(args)
        let output = args.value("-o") ?? args.value("--output")
        if format == .pdf && output == nil { throw UsageError("a PDF is written to a file: pass -o NAME.pdf") }
        if args.has("--fragment") && format != .pgfplots { throw UsageError("--fragment is for --format pgfplots") }
        let settings = try ParameterValues.parse(args.values("--set"))
        let theory = try TheoryOptions.load(args)
        let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        var options = try Options(args, kind: kind)
        options.fragment = args.has("--fragment")
        let text: String
        switch format {
        case .svg:
            text = kind == "risk"
                ? try riskPlot(run, settings: settings, options: options)
                : try regimeMap(run, settings: settings, options: options)
        case .pgfplots, .pdf:
            if format == .pdf { options.fragment = false }
            text = kind == "risk"
                ? PGFPlots.risk(try riskFigure(run, settings: settings, options: options), fragment: options.fragment)
                : PGFPlots.regimes(try regimeFigure(run, settings: settings, options: options), fragment: options.fragment)
        }
        if format == .pdf, let output {
            try PGFPlots.compile(text, to: output)
        } else {
            try TheoryOptions.emit(text, args)
        }
        if let output { FileHandle.standardError.write("wrote \(output)\n".data(using: .utf8)!) }
        return 0
    }

    struct Options {
        var x: String
        var y: String
        var xRange: (Double, Double)?
        var yRange: (Double, Double)?
        var xLog = true
        var yLog = true
        var points = 240
        var path: String?
        var bound: String?
        var title: String?
        /// Which example supplies the values not on an axis or --set (none unless asked, for library use).
        var example: ExampleChoice = .none
        /// pgfplots: the tikzpicture alone, without the document around it.
        var fragment = false

        init(x: String = "n", y: String = "M") {
            self.x = x
            self.y = y
        }

        init(_ args: Arguments, kind: String) throws {
            x = args.value("--x") ?? "n"
            y = args.value("--y") ?? "M"
            for s in [x, y] where !ParameterValues.isSymbolName(s) { throw UsageError("'\(s)' is not a symbol name") }
            if kind == "regimes" && x == y { throw UsageError("--x and --y must be different symbols") }
            xRange = try args.value("--range").map { try PlotCommand.range($0, for: x) }
            yRange = try args.value("--yrange").map { try PlotCommand.range($0, for: y) }
            for (flag, name) in [("--xscale", "x"), ("--yscale", "y")] {
                guard let v = args.value(flag) else { continue }
                guard v == "log" || v == "linear" else { throw UsageError("\(flag) must be log or linear") }
                if name == "x" { xLog = v == "log" } else { yLog = v == "log" }
            }
            if let p = args.value("--points") {
                guard let n = Int(p), n >= 8, n <= 4000 else { throw UsageError("--points must be a whole number from 8 to 4000") }
                points = n
            }
            path = args.value("--path")
            bound = args.value("--bound")
            title = args.value("--title")
            example = try ExampleChoice(args)
        }
    }

    /// `1e2:1e12` (also `n=1e2:1e12`).
    static func range(_ text: String, for name: String) throws -> (Double, Double) {
        var spec = text
        if let eq = spec.firstIndex(of: "=") { spec = String(spec[spec.index(after: eq)...]) }
        let parts = spec.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { throw UsageError("a range reads start:stop, got '\(text)'") }
        let a = try ParameterValues.number(parts[0], for: "\(name) (start)")
        let b = try ParameterValues.number(parts[1], for: "\(name) (stop)")
        guard b > a else { throw UsageError("the range of \(name) must have stop > start, got '\(text)'") }
        return (a, b)
    }

    // MARK: - Setup

    static func setup(_ run: DerivationRun, settings: [(String, Double)], axes: [String], options: Options) throws -> (ComposedBound, PlotSetup) {
        let bound = try EvalCommand.bound(run, id: options.bound)
        let theory = run.theory
        let example = try options.example.configuration(in: theory)
        try ParameterValues.requireDeclared(axes, theory: theory, role: "the axis")
        // The path is chosen from the --set values; the example then fills in what neither they nor the path give.
        var values = Dictionary(settings, uniquingKeysWith: { _, b in b })
        for a in axes where values[a] != nil {
            throw UsageError("\(a) is on an axis and also set with --set")
        }
        let x = axes[0]
        var known = Set(values.keys).union(axes)
        func expand(_ e: Expr) -> Expr { ParameterValues.expandDefinitions(e, known: known, theory: theory).0 }
        var terms = bound.terms.enumerated().map { i, t in (t.name ?? "term \(i + 1)", t.expression) }
        func symbols() -> Set<String> { Set(terms.flatMap { expand($0.1).freeSymbols }) }
        // Before definitions are expanded: N_eff missing should follow a law's path, not its definition.
        let raw = Set(terms.flatMap { $0.1.freeSymbols })
        var missing = raw.subtracting(known)
        let axisInBound = symbols().contains(x) || raw.contains(x)

        var pathLaw: DerivedLaw? = nil
        if let id = options.path {
            guard let law = run.laws.first(where: { $0.id == id || $0.id.lowercased() == id.lowercased() }) else {
                throw UsageError("no law '\(id)': the theory derives \(run.laws.map(\.id).joined(separator: ", "))")
            }
            guard axes.contains(law.variable) else {
                throw UsageError("\(law.id) grows \(law.variable), not \(axes.joined(separator: " or ")): plot it with --x \(law.variable)")
            }
            pathLaw = law
        } else if !missing.isEmpty || !axisInBound {
            // A law along the axis that supplies exactly the missing symbols.
            let candidates = run.laws.filter { law in
                let supplied = Set(law.exponents.map(\.0).filter { $0 != "risk" })
                return law.variable == x && !supplied.isEmpty && missing.isSubset(of: supplied)
                    && supplied.isDisjoint(with: values.keys) && !supplied.contains(x)
            }
            pathLaw = candidates.min { $0.exponents.count < $1.exponents.count }
            // With an example giving the other symbols, an axis the bound does not contain (C) needs a law along
            // it that says how the bound's symbols grow (D3: N_eff and n).
            if pathLaw == nil && !axisInBound && example != nil {
                let along = run.laws.filter { law in
                    let supplied = Set(law.exponents.map(\.0).filter { $0 != "risk" })
                    return law.variable == x && !supplied.isEmpty && supplied.isDisjoint(with: values.keys) && !supplied.contains(x)
                }
                pathLaw = along.min { $0.exponents.count < $1.exponents.count }
            }
        }
        var chosen: ExampleValues? = nil
        if example != nil {
            let supplied = Set(pathLaw?.exponents.map(\.0).filter { $0 != "risk" } ?? [])
            let made = try ExampleValues.make(example, theory: theory, settings: settings, free: Set(axes).union(supplied))
            values = Dictionary(made.values, uniquingKeysWith: { _, b in b })
            let bindings = made.symbolic
            if !bindings.isEmpty { terms = terms.map { ($0.0, $0.1.substituting(bindings)) } }
            chosen = made
        }
        known = Set(values.keys).union(axes)
        var pathText: String? = nil
        var pathBindings: [(quantity: String, variable: String, exponent: Expr, value: Double?)] = []
        if let law = pathLaw {
            var bindings: [String: Expr] = [:]
            var shown: [String] = []
            for (q, e) in law.exponents where q != "risk" {
                if settings.contains(where: { $0.0 == q }) { throw UsageError("\(q) is set with --set, but \(law.id)'s path makes it grow as \(law.variable)^(\(e.display))") }
                bindings[q] = Expr.raise(.symbol(law.variable), e)
                let value = try? e.evaluate(values)
                let numeric = value.map { ParameterValues.format($0) } ?? e.display
                shown.append("\(q) = \(law.variable)^\(numeric)")
                pathBindings.append((q, law.variable, e, value))
            }
            terms = terms.map { ($0.0, $0.1.substituting(bindings)) }
            pathText = shown.joined(separator: ", ") + " (\(law.id) \(law.name))"
            known.formUnion(bindings.keys)
        }
        let given = Set(values.keys).union(axes)
        missing = Set(terms.flatMap { ParameterValues.unresolved($0.1, known: given, theory: theory) })
        if !missing.isEmpty {
            throw ParameterValues.missingError(missing.sorted(), theory: theory, context: "to plot \(bound.name) against \(axes.joined(separator: " and "))")
        }
        if !symbols().contains(x) {
            throw UsageError("the bound does not depend on \(x), and no law along \(x) says how its symbols grow: choose --x from \(symbols().sorted().joined(separator: ", ")) or pass --path LAW")
        }
        for a in axes.dropFirst() where !symbols().contains(a) {
            throw UsageError("the bound does not depend on \(a)")
        }
        let resolved = terms.map { name, e -> PlotSetup.Term in
            let full = expand(e)
            var operands: [Expr] = []
            if case .min(let xs) = full.shape { operands = xs }
            if case .max(let xs) = full.shape { operands = xs }
            return PlotSetup.Term(name: name, expression: full, operands: operands)
        }
        // The reference rate: the path's law, else the first law along x with a nonzero risk exponent.
        var rateLaw: DerivedLaw? = nil
        var rate: Double? = nil
        for law in ([pathLaw].compactMap { $0 } + run.laws.filter { $0.variable == x && $0.bound == bound.id }) {
            if let r = try? law.riskExponent.evaluate(values), r != 0, r.isFinite {
                rateLaw = law
                rate = r
                break
            }
        }
        var setup = PlotSetup(terms: resolved, values: values, pathLaw: pathLaw, pathText: pathText, pathBindings: pathBindings,
                              rateLaw: rateLaw, rate: rate)
        setup.example = chosen
        setup.explicit = settings
        return (bound, setup)
    }

    static func fixedText(_ settings: [(String, Double)]) -> String {
        settings.map { "\(PrettyMath.text($0.0)) = \(ParameterValues.format($0.1))" }.joined(separator: ", ")
    }

    /// Every value the plot uses, and where they come from: the SVG's description, a comment in the pgfplots source.
    static func valuesDescription(_ setup: PlotSetup) -> String {
        guard let e = setup.example, let example = e.example else { return "" }
        let values = setup.values.sorted { $0.key < $1.key }.map { "\($0.key) = \(ParameterValues.format($0.value))" }.joined(separator: ", ")
        return "Values from the example \(example.name) (\(example.source)) and --set: \(values). "
    }

    static func axisLabel(_ name: String, theory: Theory) -> String {
        let meaning = theory.symbols.first { $0.name == name && $0.meaning != nil }?.meaning
        return PrettyMath.text(name) + (meaning.map { " — \($0.text)" } ?? "")
    }

    static func meaning(_ name: String, theory: Theory) -> Prose? {
        theory.symbols.first { $0.name == name && $0.meaning != nil }?.meaning
    }

    static func defaultRange(_ name: String, setup: PlotSetup?) -> (Double, Double) {
        if name == "C" || setup?.pathLaw?.variable == name && name != "n" { return (1e6, 1e26) }
        return (1e2, 1e12)
    }

    /// The point a fraction `t` of the way from `low` to `high`, geometrically on a log axis.
    static func interpolate(_ low: Double, _ high: Double, _ t: Double, log: Bool) -> Double {
        log ? low * Foundation.pow(high / low, t) : low + (high - low) * t
    }

    // MARK: - Risk against one symbol

    static func riskFigure(_ run: DerivationRun, settings: [(String, Double)], options: Options) throws -> RiskFigure {
        let (bound, setup) = try self.setup(run, settings: settings, axes: [options.x], options: options)
        let x = options.x
        let (lo, hi) = options.xRange ?? defaultRange(x, setup: setup)
        if options.xLog && lo <= 0 { throw UsageError("a log axis needs a positive range; use --xscale linear or --range with start > 0") }
        let n = options.points
        let xs: [Double] = (0..<n).map { interpolate(lo, hi, Double($0) / Double(n - 1), log: options.xLog) }
        let termValues: [[Double?]] = setup.terms.map { t in xs.map { setup.value(t.expression, at: [x: $0]) } }
        let totals: [Double?] = xs.indices.map { i in
            var sum = 0.0
            for column in termValues { guard let v = column[i] else { return nil }; sum += v }
            return sum
        }
        // Regimes: the dominant term at each sample, boundaries refined by bisection.
        func dominant(at xv: Double) -> Int? {
            var best: (Int, Double)? = nil
            for (i, t) in setup.terms.enumerated() {
                guard let v = setup.value(t.expression, at: [x: xv]) else { return nil }
                if best == nil || v > best!.1 { best = (i, v) }
            }
            return best?.0
        }
        var segments: [(start: Double, end: Double, term: Int)] = []
        var current: (Double, Int)? = nil
        var previousX = xs[0]
        for xv in xs {
            let d = dominant(at: xv)
            if let (s, t) = current, d != t {
                // Bisect between previousX and xv.
                var a = previousX, b = xv
                for _ in 0..<40 {
                    let m = options.xLog ? (a * b).squareRoot() : (a + b) / 2
                    if dominant(at: m) == t { a = m } else { b = m }
                }
                segments.append((s, b, t))
                current = d.map { (b, $0) }
            } else if current == nil, let d {
                current = (xv, d)
            }
            previousX = xv
        }
        if let (s, t) = current { segments.append((s, xs[xs.count - 1], t)) }

        // Reference line through the total: at the right end on the law's path, else at the left end.
        var reference: [(Double, Double)] = []
        if let r = setup.rate {
            let anchorIndex = setup.pathLaw != nil ? totals.lastIndex { $0 != nil } : totals.firstIndex { $0 != nil }
            if let i = anchorIndex, let t = totals[i] {
                let c = t / Foundation.pow(xs[i], r)
                reference = xs.map { ($0, c * Foundation.pow($0, r)) }
            }
        }

        // Y range over everything drawn, at most 24 decades below the top, widened to whole decades.
        var all: [Double] = totals.compactMap { $0 }.filter { $0 > 0 }
        for column in termValues { all += column.compactMap { $0 }.filter { $0 > 0 } }
        guard let yMaxData = all.max(), let yMinData = all.min() else {
            throw UsageError("no term has a positive value over \(x) in [\(ParameterValues.format(lo)), \(ParameterValues.format(hi))]: check the values")
        }
        let yMin = max(yMinData, yMaxData * 1e-24)
        let yAxis = Axis(data: yMin, yMaxData, log: true, start: 0, end: 1)

        let terms = setup.terms.enumerated().map { i, t in
            (name: t.name, expression: bound.terms.indices.contains(i) ? bound.terms[i].expression : t.expression)
        }
        let rate = setup.rate.flatMap { r in setup.rateLaw.map { (value: r, law: $0.id, logsOmitted: $0.logPower != .zero) } }
        let values = valuesDescription(setup)
        let description = "Generated by bounds plot. " + values + "Regimes: " + segments.map {
            "\(setup.terms[$0.term].name) on [\(ParameterValues.format($0.start)), \(ParameterValues.format($0.end))]"
        }.joined(separator: "; ")
        return RiskFigure(title: options.title ?? "\(bound.name): \(bound.lhs.display) against \(x)",
                          example: setup.figureExample, settings: setup.shownSettings, values: values,
                          path: setup.pathBindings, pathLaw: setup.pathLaw.map { "\($0.id) \($0.name)" },
                          x: x, xMeaning: meaning(x, theory: run.theory), lhs: bound.lhs,
                          constantsSetToOne: bound.relation == .asymptoticLessEqual, relation: bound.relation.rawValue,
                          xLog: options.xLog, xRange: (lo, hi), yRange: (yAxis.low, yAxis.high), xs: xs, terms: terms,
                          termValues: termValues, totals: totals, reference: reference, rate: rate, segments: segments,
                          description: description)
    }

    static func riskPlot(_ run: DerivationRun, settings: [(String, Double)], options: Options) throws -> String {
        svg(try riskFigure(run, settings: settings, options: options))
    }

    /// The subtitle: the example the values come from, the other fixed values, and the path followed
    /// (`example Mixtral 8x7B with β = 2; along N_eff = n^0.8 (D2 data scaling)`, `β = 1, …; along …`).
    static func subtitle(example: FigureExample?, settings: [(String, Double)],
                         path: [(quantity: String, variable: String, exponent: Expr, value: Double?)], pathLaw: String?) -> RichText {
        func math(_ values: [(String, Double)]) -> RichText {
            RichText.math(values.map { "\($0.0) = \(ParameterValues.format($0.1))" }.joined(separator: ", "))
        }
        var text = RichText()
        if let example {
            // The name as written (Mixtral 8x7B is not math); the values changed in it typeset.
            text = .plain("example \(example.name)")
            if !example.changed.isEmpty { text = text + " with " + math(example.changed) }
            if !example.specialized.isEmpty {
                text = text + " with " + example.specialized.enumerated().reduce(RichText()) { r, item in
                    let (i, s) = item
                    return r + (i == 0 ? "" : ", ") + math([(s.0, s.1)]) + " (\(s.2))"
                }
            }
        }
        if !settings.isEmpty { text = text + (text.isEmpty ? "" : "; ") + math(settings) }
        if !path.isEmpty {
            let bindings = path.map { "\($0.quantity) = \($0.variable)^(\($0.value.map { ParameterValues.format($0) } ?? $0.exponent.display))" }
            text = text + (text.isEmpty ? "along " : "; along ") + RichText.math(bindings.joined(separator: ", "))
            if let pathLaw { text = text + " (\(pathLaw))" }
        }
        return text
    }

    static func axisLabel(_ name: String, meaning: Prose?) -> RichText {
        RichText.math(name) + (meaning.map { " — \($0.text)" } ?? "")
    }

    static func svg(_ f: RiskFigure) -> String {
        let width = 860.0, height = 560.0
        let plot = (left: 90.0, right: 600.0, top: 72.0, bottom: 480.0)
        let xAxis = Axis(data: f.xRange.0, f.xRange.1, log: f.xLog, start: plot.left, end: plot.right, widen: false)
        let yAxis = Axis(data: f.yRange.0, f.yRange.1, log: true, start: plot.bottom, end: plot.top, widen: false)
        var svg = SVGDocument(width: width, height: height)
        svg.define("<clipPath id=\"plot-area\"><rect x=\"\(plot.left)\" y=\"\(plot.top)\" width=\"\(plot.right - plot.left)\" height=\"\(plot.bottom - plot.top)\"/></clipPath>")

        svg.text(f.title, x: width / 2, y: 26, [("text-anchor", "middle"), ("font-size", "16"), ("font-weight", "bold"), ("class", "title")])
        svg.text(subtitle(example: f.example, settings: f.settings, path: f.path, pathLaw: f.pathLaw), x: width / 2, y: 46, fontSize: 11,
                 [("text-anchor", "middle"), ("fill", "#444"), ("class", "subtitle")])

        // Regime bands and their boundaries.
        svg.open("g", [("class", "regimes")])
        for seg in f.segments {
            let x1 = xAxis.position(seg.start), x2 = xAxis.position(seg.end)
            let color = palette[seg.term % palette.count]
            svg.rect(x: x1, y: plot.top, width: max(0, x2 - x1), height: plot.bottom - plot.top,
                     [("fill", color), ("fill-opacity", "0.10"), ("class", "regime"), ("data-dominant", f.terms[seg.term].name)])
        }
        for seg in f.segments.dropFirst() {
            let px = xAxis.position(seg.start)
            svg.line(px, plot.top, px, plot.bottom, [("stroke", "#555"), ("stroke-dasharray", "5,4"), ("stroke-width", "1"), ("class", "regime-boundary")])
        }
        svg.close("g")

        drawAxes(&svg, xAxis: xAxis, yAxis: yAxis, plot: plot, xLabel: axisLabel(f.x, meaning: f.xMeaning),
                 yLabel: .plain("\(f.lhs.display) bound (\(f.constantsSetToOne ? "≲, constants set to 1" : f.relation))"))

        // Curves.
        svg.open("g", [("class", "curves"), ("clip-path", "url(#plot-area)")])
        func points(_ ys: [Double?]) -> [[(Double, Double)]] {
            var runs: [[(Double, Double)]] = [[]]
            for (i, y) in ys.enumerated() {
                guard let y, y > 0 else { if !runs[runs.count - 1].isEmpty { runs.append([]) }; continue }
                runs[runs.count - 1].append((xAxis.position(f.xs[i]), yAxis.position(max(y, yAxis.low / 10))))
            }
            return runs.filter { $0.count >= 2 }
        }
        for (i, column) in f.termValues.enumerated() {
            for run in points(column) {
                svg.polyline(run, [("stroke", palette[i % palette.count]), ("stroke-width", "2"), ("class", "term"), ("data-term", f.terms[i].name)])
            }
        }
        for run in points(f.totals) {
            svg.polyline(run, [("stroke", "black"), ("stroke-width", "2.8"), ("class", "total")])
        }
        if !f.reference.isEmpty {
            svg.polyline(f.reference.map { (xAxis.position($0.0), yAxis.position(max($0.1, yAxis.low / 10))) },
                         [("stroke", "#777"), ("stroke-width", "1.5"), ("stroke-dasharray", "8,5"), ("class", "reference")])
        }
        svg.close("g")

        // Labels, clear of the grid: each regime named in the margin above its band (when it fits there),
        // each boundary's value on a white box.
        svg.open("g", [("class", "regime-labels")])
        for seg in f.segments {
            let x1 = xAxis.position(seg.start), x2 = xAxis.position(seg.end)
            let color = palette[seg.term % palette.count]
            let name = f.terms[seg.term].name
            guard let label = [RichText.plain("\(name) dominates"), RichText.plain(name)].first(where: { $0.width(fontSize: 11) <= x2 - x1 - 6 }) else { continue }
            svg.text(label, x: (x1 + x2) / 2, y: plot.top - 7, fontSize: 11,
                     [("text-anchor", "middle"), ("fill", color), ("font-weight", "bold"), ("class", "regime-label")])
        }
        for seg in f.segments.dropFirst() {
            let px = xAxis.position(seg.start)
            let nearRight = px > plot.right - 80
            let label = RichText.math("\(f.x) ≈ \(ParameterValues.format(seg.start))")
            let anchor = nearRight ? "end" : "start"
            let lx = nearRight ? px - 5 : px + 5
            svg.labelBackground(label, x: lx, y: plot.bottom - 8, fontSize: 10, anchor: anchor)
            svg.text(label, x: lx, y: plot.bottom - 8, fontSize: 10, [("fill", "#333"), ("text-anchor", anchor), ("class", "regime-boundary-label")])
        }
        svg.close("g")

        drawLegend(&svg, entries: legendEntries(f), x: plot.right + 18, y: plot.top)
        return svg.render(title: f.title, description: f.description)
    }

    static func legendEntries(_ f: RiskFigure) -> [(String, String, RichText)] {
        var entries: [(String, String, RichText)] = []   // (kind, color, label)
        for (i, t) in f.terms.enumerated() {
            entries.append(("line", palette[i % palette.count], "\(t.name): " + RichText.math(t.expression.display)))
        }
        entries.append(("total", "black", .plain("total")))
        if let r = f.rate {
            entries.append(("dash", "#777", "∝ " + RichText.math("\(f.x)^(\(ParameterValues.format(r.value)))")
                                + ": \(r.law) rate\(r.logsOmitted ? ", logs omitted" : "")"))
        }
        for i in Set(f.segments.map(\.term)).sorted() {
            entries.append(("band", palette[i % palette.count], .plain("\(f.terms[i].name) dominates")))
        }
        return entries
    }

    // MARK: - Regime map over two symbols

    static func regimeFigure(_ run: DerivationRun, settings: [(String, Double)], options: Options) throws -> RegimeFigure {
        let (bound, setup) = try self.setup(run, settings: settings, axes: [options.x, options.y], options: options)
        let x = options.x, y = options.y
        let (xlo, xhi) = options.xRange ?? defaultRange(x, setup: setup)
        let (ylo, yhi) = options.yRange ?? (1, 1e6)
        if (options.xLog && xlo <= 0) || (options.yLog && ylo <= 0) {
            throw UsageError("a log axis needs a positive range; use --xscale/--yscale linear or a range with start > 0")
        }
        let columns = 160, rows = 120
        // Pieces: each term, a min/max term split by the operand that attains it.
        var pieces: [RegimeFigure.Piece] = []
        for (i, t) in setup.terms.enumerated() {
            if t.operands.count > 1 {
                for (j, o) in t.operands.enumerated() { pieces.append(.init(term: i, operand: j, name: t.name, expression: o)) }
            } else {
                pieces.append(.init(term: i, operand: nil, name: t.name, expression: t.expression))
            }
        }
        func piece(at point: [String: Double]) -> Int? {
            var best: (Int, Double)? = nil
            for (i, t) in setup.terms.enumerated() {
                guard let v = setup.value(t.expression, at: point) else { return nil }
                if best == nil || v > best!.1 { best = (i, v) }
            }
            guard let (term, _) = best else { return nil }
            let t = setup.terms[term]
            guard t.operands.count > 1 else { return pieces.firstIndex { $0.term == term } }
            let vs = t.operands.map { setup.value($0, at: point) }
            guard !vs.contains(where: { $0 == nil }) else { return nil }
            let isMin: Bool
            if case .min = t.expression.shape { isMin = true } else { isMin = false }
            let values = vs.compactMap { $0 }
            guard let j = (isMin ? values.indices.min { values[$0] < values[$1] } : values.indices.max { values[$0] < values[$1] }) else { return nil }
            return pieces.firstIndex { $0.term == term && $0.operand == j }
        }
        // Cells where the point breaks an assumption of the theory (k <= M, n >= 2, ...) are marked, not colored.
        let assumptions = run.theory.assumptions
        let facts = assumptions.facts.filter { f in f.expression.freeSymbols.allSatisfy { setup.values[$0] != nil || $0 == x || $0 == y } }
        func violates(_ point: [String: Double]) -> Bool {
            for (name, v) in point {
                let i = assumptions.interval(ofSymbol: name)
                if let lower = i.lower?.doubleValue, v < lower || (i.lowerOpen && v == lower) { return true }
                if let upper = i.upper?.doubleValue, v > upper || (i.upperOpen && v == upper) { return true }
            }
            var all = setup.values
            for (k, v) in point { all[k] = v }
            return facts.contains { f in
                guard let v = try? f.expression.evaluate(all) else { return false }
                return v < 0 || (f.strict && v == 0)
            }
        }
        var grid = [[Int?]](repeating: [Int?](repeating: nil, count: columns), count: rows)
        for r in 0..<rows {
            let yv = interpolate(ylo, yhi, (Double(r) + 0.5) / Double(rows), log: options.yLog)
            for c in 0..<columns {
                let xv = interpolate(xlo, xhi, (Double(c) + 0.5) / Double(columns), log: options.xLog)
                grid[r][c] = violates([x: xv, y: yv]) ? RegimeFigure.outside : piece(at: [x: xv, y: yv])
            }
        }
        let used = Set(grid.joined().compactMap { $0 }.filter { $0 >= 0 }).sorted()
        let shares = used.map { p -> String in
            let count = grid.joined().filter { $0 == p }.count
            return "\(pieces[p].plainLabel): \(Int((100 * Double(count) / Double(rows * columns)).rounded()))% of the map"
        }
        let values = valuesDescription(setup)
        return RegimeFigure(title: options.title ?? "\(bound.name): dominant term over \(x) and \(y)",
                            example: setup.figureExample, settings: setup.shownSettings, values: values,
                            path: setup.pathBindings, pathLaw: setup.pathLaw.map { "\($0.id) \($0.name)" },
                            x: x, y: y, xMeaning: meaning(x, theory: run.theory), yMeaning: meaning(y, theory: run.theory),
                            xLog: options.xLog, yLog: options.yLog, xRange: (xlo, xhi), yRange: (ylo, yhi),
                            grid: grid, pieces: pieces, used: used,
                            description: "Generated by bounds plot --kind regimes. " + values + shares.joined(separator: "; "))
    }

    static func regimeMap(_ run: DerivationRun, settings: [(String, Double)], options: Options) throws -> String {
        svg(try regimeFigure(run, settings: settings, options: options))
    }

    static func svg(_ f: RegimeFigure) -> String {
        let width = 860.0, height = 560.0
        let plot = (left: 90.0, right: 560.0, top: 72.0, bottom: 480.0)
        let xAxis = Axis(data: f.xRange.0, f.xRange.1, log: f.xLog, start: plot.left, end: plot.right, widen: false)
        let yAxis = Axis(data: f.yRange.0, f.yRange.1, log: f.yLog, start: plot.bottom, end: plot.top, widen: false)
        let cellW = (plot.right - plot.left) / Double(f.columns), cellH = (plot.bottom - plot.top) / Double(f.rows)
        var svg = SVGDocument(width: width, height: height)
        svg.text(f.title, x: width / 2, y: 26, [("text-anchor", "middle"), ("font-size", "16"), ("font-weight", "bold"), ("class", "title")])
        svg.text(subtitle(example: f.example, settings: f.settings, path: f.path, pathLaw: f.pathLaw), x: width / 2, y: 46, fontSize: 11,
                 [("text-anchor", "middle"), ("fill", "#444"), ("class", "subtitle")])
        // Cells, merged into runs of one color along each row.
        svg.open("g", [("class", "regimes"), ("shape-rendering", "crispEdges")])
        for r in 0..<f.rows {
            var c = 0
            while c < f.columns {
                let p = f.grid[r][c]
                var end = c + 1
                while end < f.columns && f.grid[r][end] == p { end += 1 }
                let yTop = plot.bottom - Double(r + 1) * cellH
                let attributes: [(String, String)]
                if p == RegimeFigure.outside {
                    attributes = [("fill", RegimeFigure.outsideColor), ("class", "regime outside-assumptions")]
                } else if let p {
                    attributes = [("fill", f.color(p)), ("class", "regime"), ("data-dominant", f.pieces[p].plainLabel)]
                } else {
                    attributes = [("fill", RegimeFigure.undefinedColor), ("class", "regime undefined")]
                }
                svg.rect(x: plot.left + Double(c) * cellW, y: yTop, width: Double(end - c) * cellW + 0.4, height: cellH + 0.4, attributes)
                c = end
            }
        }
        svg.close("g")
        drawAxes(&svg, xAxis: xAxis, yAxis: yAxis, plot: plot, xLabel: axisLabel(f.x, meaning: f.xMeaning),
                 yLabel: axisLabel(f.y, meaning: f.yMeaning), grid: false)
        var entries = f.used.map { ("swatch", f.color($0), f.pieces[$0].label) }
        if f.hasUndefined { entries.append(("swatch", RegimeFigure.undefinedColor, .plain("no value (outside the domain)"))) }
        if f.hasOutside { entries.append(("swatch", RegimeFigure.outsideColor, .plain("outside the assumptions of the theory"))) }
        svg.text("Dominant term", x: plot.right + 18, y: plot.top - 8, [("font-weight", "bold"), ("font-size", "12")])
        drawLegend(&svg, entries: entries, x: plot.right + 18, y: plot.top, maxWidth: width - plot.right - 24)
        return svg.render(title: f.title, description: f.description)
    }

    // MARK: - Drawing helpers

    static func drawAxes(_ svg: inout SVGDocument, xAxis: Axis, yAxis: Axis, plot: (left: Double, right: Double, top: Double, bottom: Double),
                         xLabel: RichText, yLabel: RichText, grid: Bool = true) {
        svg.open("g", [("class", "axes"), ("font-size", "12")])
        let (xMajor, xMinor) = xAxis.ticks()
        let (yMajor, yMinor) = yAxis.ticks()
        if grid {
            for (v, _) in xMajor { let p = xAxis.position(v); svg.line(p, plot.top, p, plot.bottom, [("stroke", "#e4e4e4"), ("class", "gridline")]) }
            for (v, _) in yMajor { let p = yAxis.position(v); svg.line(plot.left, p, plot.right, p, [("stroke", "#e4e4e4"), ("class", "gridline")]) }
        }
        svg.rect(x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top,
                 [("fill", "none"), ("stroke", "black"), ("stroke-width", "1.2"), ("class", "frame")])
        for (v, label) in xMajor {
            let p = xAxis.position(v)
            guard p >= plot.left - 0.5 && p <= plot.right + 0.5 else { continue }
            svg.line(p, plot.bottom, p, plot.bottom + 6, [("stroke", "black"), ("class", "tick x-tick")])
            svg.text(label, x: p, y: plot.bottom + 22, [("text-anchor", "middle"), ("class", "tick-label")], markup: true)
        }
        for v in xMinor {
            let p = xAxis.position(v)
            guard p >= plot.left && p <= plot.right else { continue }
            svg.line(p, plot.bottom, p, plot.bottom + 3, [("stroke", "black"), ("class", "minor-tick")])
        }
        for (v, label) in yMajor {
            let p = yAxis.position(v)
            guard p >= plot.top - 0.5 && p <= plot.bottom + 0.5 else { continue }
            svg.line(plot.left - 6, p, plot.left, p, [("stroke", "black"), ("class", "tick y-tick")])
            svg.text(label, x: plot.left - 9, y: p + 4, [("text-anchor", "end"), ("class", "tick-label")], markup: true)
        }
        for v in yMinor {
            let p = yAxis.position(v)
            guard p >= plot.top && p <= plot.bottom else { continue }
            svg.line(plot.left - 3, p, plot.left, p, [("stroke", "black"), ("class", "minor-tick")])
        }
        svg.text(xLabel, x: (plot.left + plot.right) / 2, y: plot.bottom + 46, fontSize: 13, [("text-anchor", "middle"), ("class", "axis-label x-label")])
        let cy = (plot.top + plot.bottom) / 2
        svg.text(yLabel, x: 22, y: cy, fontSize: 13,
                 [("text-anchor", "middle"), ("transform", "rotate(-90 22 \(SVGDocument.number(cy)))"), ("class", "axis-label y-label")])
        svg.close("g")
    }

    /// Legend entries: a line, the thick total, a dashed reference, or a shaded band; long labels wrap.
    static func drawLegend(_ svg: inout SVGDocument, entries: [(String, String, RichText)], x: Double, y: Double, maxWidth: Double = 240) {
        svg.open("g", [("class", "legend"), ("font-size", "11")])
        var cy = y + 8
        for (kind, color, label) in entries {
            switch kind {
            case "band":
                svg.rect(x: x, y: cy - 6, width: 20, height: 12, [("fill", color), ("fill-opacity", color == "#dddddd" ? "1" : "0.25"), ("stroke", color)])
            case "swatch":
                svg.rect(x: x, y: cy - 6, width: 20, height: 12, [("fill", color), ("stroke", "#666"), ("stroke-width", "0.5")])
            case "dash":
                svg.line(x, cy, x + 20, cy, [("stroke", color), ("stroke-width", "1.5"), ("stroke-dasharray", "6,4")])
            case "total":
                svg.line(x, cy, x + 20, cy, [("stroke", color), ("stroke-width", "2.8")])
            default:
                svg.line(x, cy, x + 20, cy, [("stroke", color), ("stroke-width", "2")])
            }
            let lines = label.wrapped(maxWidth: maxWidth - 30, fontSize: 11)
            for (i, l) in lines.enumerated() {
                svg.text(l, x: x + 27, y: cy + 4 + Double(i) * 14, fontSize: 11, [("class", "legend-label")])
            }
            cy += 8 + Double(lines.count) * 14
        }
        svg.close("g")
    }

    /// `color` mixed with white: `amount` 0 keeps it, 1 gives white.
    static func lighter(_ color: String, _ amount: Double) -> String {
        guard color.hasPrefix("#"), color.count == 7, let v = Int(color.dropFirst(), radix: 16) else { return color }
        let channels = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { c in Int((Double(c) + (255 - Double(c)) * amount).rounded()) }
        return "#" + channels.map { String(format: "%02x", $0) }.joined()
    }
}

// MARK: - Figures

/// The example configuration a figure's values come from, as its subtitle names it in either writer.
struct FigureExample {
    var name: String
    var source: String
    /// --set values that replace the example's (shown: "example Qwen3-30B-A3B with β = 2").
    var changed: [(String, Double)]
    /// Values a swapped-in specialization set instead of the example's: (symbol, value, alternative id).
    var specialized: [(String, Double, String)]

    init(name: String, source: String, changed: [(String, Double)] = [], specialized: [(String, Double, String)] = []) {
        self.name = name
        self.source = source
        self.changed = changed
        self.specialized = specialized
    }

    /// What `ExampleValues.shortDescription()` says, kept apart for typesetting.
    init?(_ values: ExampleValues) {
        guard let example = values.example else { return nil }
        let overridden = values.resolved?.overridden ?? []
        let changed = overridden.filter { name in !values.specialized.contains { $0.0 == name } }.map { name in
            (name, values.explicit.last { $0.0 == name }?.1 ?? .nan)
        }
        self.init(name: example.name, source: example.source.text, changed: changed, specialized: values.specialized)
    }
}

/// What a risk plot shows, computed once and drawn as SVG (`PlotCommand.svg`) or pgfplots (`PGFPlots.risk`).
struct RiskFigure {
    var title: String
    /// The example configuration the values come from, if any.
    var example: FigureExample? = nil
    /// The --set values the subtitle lists (with an example, those it does not have).
    var settings: [(String, Double)]
    /// Every value used and where it comes from ("Values from the example ... and --set: ..."), or "".
    var values: String = ""
    var path: [(quantity: String, variable: String, exponent: Expr, value: Double?)]
    /// "D2 data scaling", when a law's path is followed.
    var pathLaw: String?
    var x: String
    var xMeaning: Prose?
    var lhs: Expr
    /// The bound is `<~`: drawn with its hidden constants set to 1.
    var constantsSetToOne: Bool
    var relation: String
    var xLog: Bool
    var xRange: (Double, Double)
    /// Whole decades around everything drawn.
    var yRange: (Double, Double)
    var xs: [Double]
    /// Each term as the bound states it (the legend), and its values at `xs` (nil where undefined).
    var terms: [(name: String, expression: Expr)]
    var termValues: [[Double?]]
    var totals: [Double?]
    var reference: [(Double, Double)]
    var rate: (value: Double, law: String, logsOmitted: Bool)?
    /// Where each term dominates, in x.
    var segments: [(start: Double, end: Double, term: Int)]
    var description: String
}

/// What a regime map shows: the dominant piece in each cell of a grid over two symbols.
struct RegimeFigure {
    struct Piece {
        var term: Int
        /// For a min/max term, the operand that attains it.
        var operand: Int?
        var name: String
        var expression: Expr
        var label: RichText { "\(name): " + RichText.math(expression.display) }
        var plainLabel: String { "\(name): \(PrettyMath.text(expression.display))" }
    }
    static let outside = -1
    static let outsideColor = "#f2f2f2"
    static let undefinedColor = "#dddddd"

    var title: String
    /// The example configuration the values come from, if any.
    var example: FigureExample? = nil
    /// The --set values the subtitle lists (with an example, those it does not have).
    var settings: [(String, Double)]
    /// Every value used and where it comes from ("Values from the example ... and --set: ..."), or "".
    var values: String = ""
    var path: [(quantity: String, variable: String, exponent: Expr, value: Double?)]
    var pathLaw: String?
    var x: String
    var y: String
    var xMeaning: Prose?
    var yMeaning: Prose?
    var xLog: Bool
    var yLog: Bool
    var xRange: (Double, Double)
    var yRange: (Double, Double)
    /// rows × columns, row 0 at the bottom: a piece index, `outside` (breaks an assumption), or nil (no value).
    var grid: [[Int?]]
    var pieces: [Piece]
    var used: [Int]
    var description: String

    var rows: Int { grid.count }
    var columns: Int { grid.first?.count ?? 0 }
    var hasUndefined: Bool { grid.joined().contains { $0 == nil } }
    var hasOutside: Bool { grid.joined().contains { $0 == RegimeFigure.outside } }
    func color(_ piece: Int) -> String { PlotCommand.lighter(PlotCommand.palette[piece % PlotCommand.palette.count], 0.45) }

    /// The cell edges in data units: `columns + 1` x values, `rows + 1` y values.
    var xEdges: [Double] { (0...columns).map { PlotCommand.interpolate(xRange.0, xRange.1, Double($0) / Double(columns), log: xLog) } }
    var yEdges: [Double] { (0...rows).map { PlotCommand.interpolate(yRange.0, yRange.1, Double($0) / Double(rows), log: yLog) } }
}
