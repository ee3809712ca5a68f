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
    /// The law whose risk exponent is drawn as the reference line, and that exponent's value.
    var rateLaw: DerivedLaw?
    var rate: Double?
    /// The example configuration the values come from, if any, and the --set values as given.
    var example: ExampleValues? = nil
    var explicit: [(String, Double)] = []

    /// The subtitle's account of the values: the example (with what --set changed), else the --set values.
    var valuesText: String {
        if let e = example, let d = e.shortDescription() {
            let others = explicit.filter { name, _ in e.example?.value(name) == nil }
            return d + (others.isEmpty ? "" : "; " + PlotCommand.fixedText(others))
        }
        return PlotCommand.fixedText(explicit)
    }

    func value(_ e: Expr, at point: [String: Double]) -> Double? {
        var v = values
        for (k, x) in point { v[k] = x }
        guard let r = try? e.evaluate(v), r.isFinite else { return nil }
        return r
    }
}

/// `bounds plot [FILE] [--kind risk|regimes] --x n [--y M] ... -o out.svg`
enum PlotCommand {
    static let help = """
    usage: bounds plot [FILE] [--use ALT]... [--kind risk|regimes] [--x SYMBOL] [--y SYMBOL]
                       [--range A:B] [--yrange A:B] [--set NAME=VALUE]... [--path LAW] [--bound ID]
                       [--example NAME | --no-example] [--points N] [--title TEXT] [-o out.svg]

    --kind risk (default): the bound against --x (default n) on log-log axes: each named term as its own
      curve, the total, the regimes shaded (where the dominant term changes, a dashed line), and the
      balanced rate of the law along that variable as a straight reference line.
    --kind regimes: a map over --x and --y (default n and M, log axes): each cell colored by the term
      that dominates there (a min term by the operand that attains it), with a legend.

    Symbols not on an axis take their value from --set, from the theory's first example configuration
    (`bounds examples`; --example NAME for another, --no-example for none; the subtitle names it), or follow a
    law's scaling path: --path D2 puts
    N_eff = n^(d/(2*beta + d)); when the axis is not in the bound (--x C) or a symbol is missing and a law
    along the axis supplies it, that law's path is used automatically. --range sets the x range
    (default 1e2:1e12; 1e10:1e26 for a compute axis), --yrange the y range (default 1:1e6);
    --xscale/--yscale linear for linear axes.

    examples: bounds plot -o risk.svg                      (the first example, risk against n)
              bounds plot --example DeepSeek-V3 --kind regimes --y M -o map.svg
              bounds plot --no-example --x n --set beta=1 --set d=8 --set M=64 --set k=2 --set L_T=24 \\
                          --set ell=2048 --path D2 -o risk.svg
    """

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]

    static func run(_ raw: [String]) throws -> Int32 {
        let valued = TheoryOptions.valued.union(["--kind", "--x", "--y", "--range", "--yrange", "--set", "--path", "--bound",
                                                 "--points", "--title", "--xscale", "--yscale", "--width", "--height"]).union(ExampleChoice.valued)
        let args = try Arguments(raw, valued: valued)
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ExampleChoice.flags.union(["--unchecked"]))
        guard args.positionals.count <= 1 else { throw UsageError("plot takes at most one theory file") }
        let kind = args.value("--kind") ?? "risk"
        guard kind == "risk" || kind == "regimes" else { throw UsageError("--kind must be risk or regimes") }
        let settings = try ParameterValues.parse(args.values("--set"))
        let theory = try TheoryOptions.load(args)
        let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        let options = try Options(args, kind: kind)
        let svg = kind == "risk"
            ? try riskPlot(run, settings: settings, options: options)
            : try regimeMap(run, settings: settings, options: options)
        try TheoryOptions.emit(svg, args)
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
        if let law = pathLaw {
            var bindings: [String: Expr] = [:]
            var shown: [String] = []
            for (q, e) in law.exponents where q != "risk" {
                if settings.contains(where: { $0.0 == q }) { throw UsageError("\(q) is set with --set, but \(law.id)'s path makes it grow as \(law.variable)^(\(e.display))") }
                bindings[q] = Expr.raise(.symbol(law.variable), e)
                let numeric = (try? e.evaluate(values)).map { ParameterValues.format($0) } ?? e.display
                shown.append("\(q) = \(law.variable)^\(numeric)")
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
        var setup = PlotSetup(terms: resolved, values: values, pathLaw: pathLaw, pathText: pathText, rateLaw: rateLaw, rate: rate)
        setup.example = chosen
        setup.explicit = settings
        return (bound, setup)
    }

    static func fixedText(_ settings: [(String, Double)]) -> String {
        settings.map { "\(PrettyMath.text($0.0)) = \(ParameterValues.format($0.1))" }.joined(separator: ", ")
    }

    /// Every value the plot uses, and where they come from, for the SVG's description.
    static func valuesDescription(_ setup: PlotSetup) -> String {
        guard let e = setup.example, let example = e.example else { return "" }
        let values = setup.values.sorted { $0.key < $1.key }.map { "\($0.key) = \(ParameterValues.format($0.value))" }.joined(separator: ", ")
        return "Values from the example \(example.name) (\(example.source)) and --set: \(values). "
    }

    static func axisLabel(_ name: String, theory: Theory) -> String {
        let meaning = theory.symbols.first { $0.name == name && $0.meaning != nil }?.meaning
        return PrettyMath.text(name) + (meaning.map { " — \($0)" } ?? "")
    }

    static func defaultRange(_ name: String, setup: PlotSetup?) -> (Double, Double) {
        if name == "C" || setup?.pathLaw?.variable == name && name != "n" { return (1e6, 1e26) }
        return (1e2, 1e12)
    }

    // MARK: - Risk against one symbol

    static func riskPlot(_ run: DerivationRun, settings: [(String, Double)], options: Options) throws -> String {
        let (bound, setup) = try self.setup(run, settings: settings, axes: [options.x], options: options)
        let x = options.x
        let (lo, hi) = options.xRange ?? defaultRange(x, setup: setup)
        if options.xLog && lo <= 0 { throw UsageError("a log axis needs a positive range; use --xscale linear or --range with start > 0") }
        let n = options.points
        let xs: [Double] = (0..<n).map { i in
            let t = Double(i) / Double(n - 1)
            return options.xLog ? lo * Foundation.pow(hi / lo, t) : lo + (hi - lo) * t
        }
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

        // Y range over everything drawn, at most 24 decades below the top.
        var all: [Double] = totals.compactMap { $0 }.filter { $0 > 0 }
        for column in termValues { all += column.compactMap { $0 }.filter { $0 > 0 } }
        guard let yMaxData = all.max(), let yMinData = all.min() else {
            throw UsageError("no term has a positive value over \(x) in [\(ParameterValues.format(lo)), \(ParameterValues.format(hi))]: check the values")
        }
        let yMin = max(yMinData, yMaxData * 1e-24)

        let width = 860.0, height = 560.0
        let plot = (left: 90.0, right: 600.0, top: 72.0, bottom: 480.0)
        let xAxis = Axis(data: lo, hi, log: options.xLog, start: plot.left, end: plot.right, widen: false)
        let yAxis = Axis(data: yMin, yMaxData, log: true, start: plot.bottom, end: plot.top)
        var svg = SVGDocument(width: width, height: height)
        svg.define("<clipPath id=\"plot-area\"><rect x=\"\(plot.left)\" y=\"\(plot.top)\" width=\"\(plot.right - plot.left)\" height=\"\(plot.bottom - plot.top)\"/></clipPath>")

        let title = options.title ?? "\(bound.name): \(bound.lhs.display) against \(x)"
        svg.text(title, x: width / 2, y: 26, [("text-anchor", "middle"), ("font-size", "16"), ("font-weight", "bold"), ("class", "title")])
        var subtitle = setup.valuesText
        if let p = setup.pathText { subtitle += (subtitle.isEmpty ? "" : "; ") + "along " + PrettyMath.text(p) }
        svg.text(subtitle, x: width / 2, y: 46, [("text-anchor", "middle"), ("font-size", "11"), ("fill", "#444"), ("class", "subtitle")])

        // Regime bands and their boundaries.
        svg.open("g", [("class", "regimes")])
        for seg in segments {
            let x1 = xAxis.position(seg.start), x2 = xAxis.position(seg.end)
            let color = palette[seg.term % palette.count]
            svg.rect(x: x1, y: plot.top, width: max(0, x2 - x1), height: plot.bottom - plot.top,
                     [("fill", color), ("fill-opacity", "0.10"), ("class", "regime"), ("data-dominant", setup.terms[seg.term].name)])
            if x2 - x1 > 70 {
                svg.text("\(setup.terms[seg.term].name) dominates", x: (x1 + x2) / 2, y: plot.top + 16,
                         [("text-anchor", "middle"), ("font-size", "11"), ("fill", color), ("class", "regime-label")])
            }
        }
        for seg in segments.dropFirst() {
            let px = xAxis.position(seg.start)
            svg.line(px, plot.top, px, plot.bottom, [("stroke", "#555"), ("stroke-dasharray", "5,4"), ("stroke-width", "1"), ("class", "regime-boundary")])
            let nearRight = px > plot.right - 80
            svg.text("\(PrettyMath.text(x)) ≈ \(ParameterValues.format(seg.start))", x: nearRight ? px - 4 : px + 4, y: plot.bottom - 8,
                     [("font-size", "10"), ("fill", "#333"), ("text-anchor", nearRight ? "end" : "start"), ("class", "regime-boundary-label")])
        }
        svg.close("g")

        drawAxes(&svg, xAxis: xAxis, yAxis: yAxis, plot: plot, xLabel: axisLabel(x, theory: run.theory),
                 yLabel: "\(bound.lhs.display) bound (\(bound.relation == .asymptoticLessEqual ? "≲, constants set to 1" : bound.relation.rawValue))")

        // Curves.
        svg.open("g", [("class", "curves"), ("clip-path", "url(#plot-area)")])
        func points(_ ys: [Double?]) -> [[(Double, Double)]] {
            var runs: [[(Double, Double)]] = [[]]
            for (i, y) in ys.enumerated() {
                guard let y, y > 0 else { if !runs[runs.count - 1].isEmpty { runs.append([]) }; continue }
                runs[runs.count - 1].append((xAxis.position(xs[i]), yAxis.position(max(y, yAxis.low / 10))))
            }
            return runs.filter { $0.count >= 2 }
        }
        for (i, column) in termValues.enumerated() {
            for run in points(column) {
                svg.polyline(run, [("stroke", palette[i % palette.count]), ("stroke-width", "2"), ("class", "term"), ("data-term", setup.terms[i].name)])
            }
        }
        for run in points(totals) {
            svg.polyline(run, [("stroke", "black"), ("stroke-width", "2.8"), ("class", "total")])
        }
        if !reference.isEmpty {
            svg.polyline(reference.map { (xAxis.position($0.0), yAxis.position(max($0.1, yAxis.low / 10))) },
                         [("stroke", "#777"), ("stroke-width", "1.5"), ("stroke-dasharray", "8,5"), ("class", "reference")])
        }
        svg.close("g")

        // Legend.
        var entries: [(String, String, String)] = []   // (kind, color, label)
        for (i, t) in setup.terms.enumerated() {
            entries.append(("line", palette[i % palette.count], "\(t.name): \(PrettyMath.text(bound.terms.indices.contains(i) ? bound.terms[i].expression.display : t.expression.display))"))
        }
        entries.append(("total", "black", "total"))
        if let r = setup.rate, let law = setup.rateLaw {
            let logs = law.logPower == .zero ? "" : ", logs omitted"
            entries.append(("dash", "#777", "∝ \(PrettyMath.text(x))^\(ParameterValues.format(r)): \(law.id) rate\(logs)"))
        }
        for i in Set(segments.map(\.term)).sorted() {
            entries.append(("band", palette[i % palette.count], "\(setup.terms[i].name) dominates"))
        }
        drawLegend(&svg, entries: entries, x: plot.right + 18, y: plot.top)
        let description = "Generated by bounds plot. " + valuesDescription(setup) + "Regimes: " + segments.map {
            "\(setup.terms[$0.term].name) on [\(ParameterValues.format($0.start)), \(ParameterValues.format($0.end))]"
        }.joined(separator: "; ")
        return svg.render(title: title, description: description)
    }

    // MARK: - Regime map over two symbols

    static func regimeMap(_ run: DerivationRun, settings: [(String, Double)], options: Options) throws -> String {
        let (bound, setup) = try self.setup(run, settings: settings, axes: [options.x, options.y], options: options)
        let x = options.x, y = options.y
        let (xlo, xhi) = options.xRange ?? defaultRange(x, setup: setup)
        let (ylo, yhi) = options.yRange ?? (1, 1e6)
        if (options.xLog && xlo <= 0) || (options.yLog && ylo <= 0) {
            throw UsageError("a log axis needs a positive range; use --xscale/--yscale linear or a range with start > 0")
        }
        let columns = 160, rows = 120
        // Pieces: each term, a min/max term split by the operand that attains it.
        var pieces: [(term: Int, operand: Int?, label: String)] = []
        for (i, t) in setup.terms.enumerated() {
            if t.operands.count > 1 {
                for (j, o) in t.operands.enumerated() { pieces.append((i, j, "\(t.name): \(PrettyMath.text(o.display))")) }
            } else {
                pieces.append((i, nil, "\(t.name): \(PrettyMath.text(t.expression.display))"))
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

        let width = 860.0, height = 560.0
        let plot = (left: 90.0, right: 560.0, top: 72.0, bottom: 480.0)
        let xAxis = Axis(data: xlo, xhi, log: options.xLog, start: plot.left, end: plot.right, widen: false)
        let yAxis = Axis(data: ylo, yhi, log: options.yLog, start: plot.bottom, end: plot.top, widen: false)
        let cellW = (plot.right - plot.left) / Double(columns), cellH = (plot.bottom - plot.top) / Double(rows)
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
        let outside = -1
        var grid = [[Int?]](repeating: [Int?](repeating: nil, count: columns), count: rows)
        for r in 0..<rows {
            let yv = yAxis.value(at: plot.bottom - (Double(r) + 0.5) * cellH)
            for c in 0..<columns {
                let xv = xAxis.value(at: plot.left + (Double(c) + 0.5) * cellW)
                grid[r][c] = violates([x: xv, y: yv]) ? outside : piece(at: [x: xv, y: yv])
            }
        }
        var svg = SVGDocument(width: width, height: height)
        let title = options.title ?? "\(bound.name): dominant term over \(x) and \(y)"
        svg.text(title, x: width / 2, y: 26, [("text-anchor", "middle"), ("font-size", "16"), ("font-weight", "bold"), ("class", "title")])
        var subtitle = setup.valuesText
        if let p = setup.pathText { subtitle += (subtitle.isEmpty ? "" : "; ") + "along " + PrettyMath.text(p) }
        svg.text(subtitle, x: width / 2, y: 46, [("text-anchor", "middle"), ("font-size", "11"), ("fill", "#444"), ("class", "subtitle")])
        // Cells, merged into runs of one color along each row.
        svg.open("g", [("class", "regimes"), ("shape-rendering", "crispEdges")])
        var used = Set<Int>()
        for r in 0..<rows {
            var c = 0
            while c < columns {
                let p = grid[r][c]
                var end = c + 1
                while end < columns && grid[r][end] == p { end += 1 }
                let yTop = plot.bottom - Double(r + 1) * cellH
                if p == outside {
                    svg.rect(x: plot.left + Double(c) * cellW, y: yTop, width: Double(end - c) * cellW + 0.4, height: cellH + 0.4,
                             [("fill", "#f2f2f2"), ("class", "regime outside-assumptions")])
                } else if let p {
                    used.insert(p)
                    svg.rect(x: plot.left + Double(c) * cellW, y: yTop, width: Double(end - c) * cellW + 0.4, height: cellH + 0.4,
                             [("fill", lighter(palette[p % palette.count], 0.45)), ("class", "regime"), ("data-dominant", pieces[p].label)])
                } else {
                    svg.rect(x: plot.left + Double(c) * cellW, y: yTop, width: Double(end - c) * cellW + 0.4, height: cellH + 0.4,
                             [("fill", "#dddddd"), ("class", "regime undefined")])
                }
                c = end
            }
        }
        svg.close("g")
        drawAxes(&svg, xAxis: xAxis, yAxis: yAxis, plot: plot, xLabel: axisLabel(x, theory: run.theory), yLabel: axisLabel(y, theory: run.theory), grid: false)
        var entries = used.sorted().map { ("swatch", lighter(palette[$0 % palette.count], 0.45), pieces[$0].label) }
        if grid.joined().contains(where: { $0 == nil }) { entries.append(("swatch", "#dddddd", "no value (outside the domain)")) }
        if grid.joined().contains(where: { $0 == outside }) { entries.append(("swatch", "#f2f2f2", "outside the assumptions of the theory")) }
        svg.text("Dominant term", x: plot.right + 18, y: plot.top - 8, [("font-weight", "bold"), ("font-size", "12")])
        drawLegend(&svg, entries: entries, x: plot.right + 18, y: plot.top, maxWidth: width - plot.right - 24)
        let shares = used.sorted().map { p -> String in
            let count = grid.joined().filter { $0 == p }.count
            return "\(pieces[p].label): \(Int((100 * Double(count) / Double(rows * columns)).rounded()))% of the map"
        }
        return svg.render(title: title, description: "Generated by bounds plot --kind regimes. " + valuesDescription(setup) + shares.joined(separator: "; "))
    }

    // MARK: - Drawing helpers

    static func drawAxes(_ svg: inout SVGDocument, xAxis: Axis, yAxis: Axis, plot: (left: Double, right: Double, top: Double, bottom: Double),
                         xLabel: String, yLabel: String, grid: Bool = true) {
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
        svg.text(xLabel, x: (plot.left + plot.right) / 2, y: plot.bottom + 46, [("text-anchor", "middle"), ("font-size", "13"), ("class", "axis-label x-label")])
        let cy = (plot.top + plot.bottom) / 2
        svg.text(yLabel, x: 22, y: cy, [("text-anchor", "middle"), ("font-size", "13"), ("transform", "rotate(-90 22 \(SVGDocument.number(cy)))"), ("class", "axis-label y-label")])
        svg.close("g")
    }

    /// Legend entries: a line, the thick total, a dashed reference, or a shaded band; long labels wrap.
    static func drawLegend(_ svg: inout SVGDocument, entries: [(String, String, String)], x: Double, y: Double, maxWidth: Double = 240) {
        svg.open("g", [("class", "legend"), ("font-size", "11")])
        var cy = y + 8
        let charsPerLine = max(16, Int((maxWidth - 30) / 6.2))
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
            let lines = wrap(label, width: charsPerLine)
            for (i, l) in lines.enumerated() {
                svg.text(l, x: x + 27, y: cy + 4 + Double(i) * 13, [("class", "legend-label")])
            }
            cy += 8 + Double(lines.count) * 13
        }
        svg.close("g")
    }

    /// `color` mixed with white: `amount` 0 keeps it, 1 gives white.
    static func lighter(_ color: String, _ amount: Double) -> String {
        guard color.hasPrefix("#"), color.count == 7, let v = Int(color.dropFirst(), radix: 16) else { return color }
        let channels = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { c in Int((Double(c) + (255 - Double(c)) * amount).rounded()) }
        return "#" + channels.map { String(format: "%02x", $0) }.joined()
    }

    static func wrap(_ s: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in s.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = "  " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }
}
