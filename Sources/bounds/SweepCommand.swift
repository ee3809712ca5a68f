import Foundation
import Symbolic
import Derivation

/// One axis of a sweep: a symbol and its values.
struct Grid {
    var name: String
    var values: [Double]
    /// Largest number of points a sweep (all grids together) may have.
    static let maximumPoints = 100_000_000

    /// `beta=0.5:4:0.5` (start:stop:step, inclusive), `d=1:64` (step 1), `k=1,2,4,8` (a list),
    /// `n=1e3:1e9:log10` (geometric, ×10 per point), `n=1e3:1e9:log10/4` (4 points per factor of 10),
    /// `n=1e9` (one value).
    static func parse(_ text: String) throws -> Grid {
        guard let eq = text.firstIndex(of: "=") else {
            throw UsageError("--grid needs name=start:stop[:step], got '\(text)'")
        }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces)
        let spec = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        guard ParameterValues.isSymbolName(name) else { throw UsageError("--grid: '\(name)' is not a symbol name") }
        guard !spec.isEmpty else { throw UsageError("--grid \(name): no values given") }
        if spec.contains(",") {
            let values = try spec.split(separator: ",").map { try ParameterValues.number($0.trimmingCharacters(in: .whitespaces), for: name) }
            guard values.count <= maximumPoints else { throw UsageError("--grid \(name): more than 10^8 values") }
            return Grid(name: name, values: values)
        }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count <= 3 else { throw UsageError("--grid \(name): use start:stop:step, got '\(spec)'") }
        let start = try ParameterValues.number(parts[0], for: "\(name) (start)")
        if parts.count == 1 { return Grid(name: name, values: [start]) }
        let stop = try ParameterValues.number(parts[1], for: "\(name) (stop)")
        let stepText = parts.count == 3 ? parts[2] : "1"
        if stepText.lowercased().hasPrefix("log") {
            var rest = String(stepText.dropFirst(3))
            var perFactor = 1.0
            if let slash = rest.firstIndex(of: "/") {
                perFactor = try ParameterValues.number(String(rest[rest.index(after: slash)...]), for: "\(name) (points per factor)")
                rest = String(rest[..<slash])
                guard perFactor >= 1, perFactor == perFactor.rounded() else {
                    throw UsageError("--grid \(name): the points per factor in log\(rest)/K must be a whole number >= 1")
                }
            }
            let base = rest.isEmpty ? 10 : try ParameterValues.number(rest, for: "\(name) (log base)")
            guard base > 1 else { throw UsageError("--grid \(name): the log base must be > 1") }
            guard start > 0, stop > 0 else { throw UsageError("--grid \(name): a log grid needs positive start and stop") }
            guard stop >= start else { throw UsageError("--grid \(name): stop (\(parts[1])) is below start (\(parts[0]))") }
            let steps = Foundation.log(stop / start) / Foundation.log(base) * perFactor
            let count = (steps * (1 + 1e-12) + 1e-9).rounded(.down) + 1
            guard count <= Double(maximumPoints) else { throw tooMany(name, count) }
            let values = (0..<Int(count)).map { i -> Double in
                let v = start * Foundation.pow(base, Double(i) / perFactor)
                // Land exactly on round decades (1e3, 1e4, ...) when start is one.
                let r = (v * 1e6).rounded() / 1e6
                return abs(r - v) <= 1e-12 * abs(v) ? r : v
            }
            return Grid(name: name, values: values)
        }
        let step = try ParameterValues.number(stepText, for: "\(name) (step)")
        guard step != 0 else { throw UsageError("--grid \(name): the step must not be 0") }
        guard (stop - start) * step >= 0 else {
            throw UsageError("--grid \(name): the step \(stepText) never reaches \(parts[1]) from \(parts[0])")
        }
        let count = (((stop - start) / step) * (1 + 1e-12) + 1e-9).rounded(.down) + 1
        guard count.isFinite, count <= Double(maximumPoints) else { throw tooMany(name, count) }
        return Grid(name: name, values: (0..<Int(count)).map { start + Double($0) * step })
    }

    static func tooMany(_ name: String, _ count: Double) -> UsageError {
        UsageError("--grid \(name) has \(ParameterValues.format(count)) values; a sweep is limited to 10^8 points")
    }
}

/// A column of a sweep: a label and the expression computing it.
struct SweepColumn {
    var label: String
    var expression: Expr
}

/// Removes a half-written temporary file on Ctrl-C (async-signal-safe: unlink and _exit only).
enum InterruptCleanup {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>? = nil

    static func install(removing file: String) {
        path = strdup(file)
        signal(SIGINT) { _ in
            if let p = InterruptCleanup.path { unlink(p) }
            _exit(130)
        }
    }

    static func remove() {
        signal(SIGINT, SIG_DFL)
        if let p = path { free(p) }
        path = nil
    }
}

/// `bounds sweep [FILE] --grid beta=0.5:4:0.5 --grid d=1:64 [--set x=..] [--quantity ...] [-o out.csv]`
enum SweepCommand {
    static let help = """
    usage: bounds sweep [FILE] [--use ALT]... --grid NAME=SPEC... [--set NAME=VALUE]... [--quantity Q]...
                        [--example NAME | --no-example] [-o out.csv]

    Evaluates derived quantities over the product of the grids and writes CSV: one column per grid symbol,
    then one per quantity; one row per point, the first grid varying slowest. Symbols neither on a grid nor
    set with --set take their value from the theory's first example configuration (`bounds examples`), or
    from --example NAME; --no-example uses only --grid and --set. The example used is named on standard error.

    grids:  beta=0.5:4:0.5   start:stop:step, inclusive
            d=1:64           step 1
            k=1,2,4,8        a list
            n=1e3:1e9:log10  geometric, a factor 10 per point (log2: factor 2; log10/4: 4 points per decade)
    At most 10^8 points in all.

    quantities (default: the bound's total and each named term, and the law exponents that depend on a
    grid symbol): total, a term name (approximation, estimation, routing), a law exponent (D2.risk,
    D3.N_eff), a function name from `bounds emit` (d2_data_scaling_risk_exponent), `all`, or any expression
    ("N_eff*log(n)/n"). Symbols without a value (grid, --set or example) are an error; symbols with a
    definition (N_eff) are computed from it when not given. Points where a quantity has no value are NaN.

    Evaluation is compiled and split across all cores; with -o the CSV is written to a temporary file and
    renamed at the end, so an interrupted sweep never leaves a partial file. A progress bar is shown on a
    terminal.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: TheoryOptions.valued.union(["--grid", "--set", "--quantity", "--bound"]).union(ExampleChoice.valued))
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ExampleChoice.flags.union(["--quiet", "--unchecked"]))
        guard args.positionals.count <= 1 else { throw UsageError("sweep takes at most one theory file") }
        let grids = try args.values("--grid").map(Grid.parse)
        guard !grids.isEmpty else { throw UsageError("sweep needs at least one --grid NAME=start:stop[:step]") }
        let explicit = try ParameterValues.parse(args.values("--set"))
        let choice = try ExampleChoice(args)
        let theory = try TheoryOptions.load(args)
        let example = try choice.configuration(in: theory)
        let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: args.has("--unchecked"))
        TheoryOptions.warnIfUnchecked(run)
        let gridNames = Set(grids.map(\.name))
        for (name, _) in explicit where gridNames.contains(name) {
            throw UsageError("\(name) is both on a grid and set with --set")
        }
        // The example gives every other symbol; grid symbols stay free (values computed from them follow the grid).
        let chosen = try ExampleValues.make(example, theory: theory, settings: explicit, free: gridNames)
        let settings = chosen.values
        let columns = try self.columns(run, grids: grids, settings: settings, requested: args.values("--quantity"), boundID: args.value("--bound"),
                                       bindings: chosen.symbolic)
        if let description = chosen.shortDescription(), !args.has("--quiet") {
            FileHandle.standardError.write("sweep: values not on a grid or --set from \(description) (\(chosen.example?.source ?? "")); --example NAME to choose another, --no-example for none\n".data(using: .utf8)!)
        }
        let output = args.value("-o") ?? args.value("--output")
        let start = Date()
        let points = try write(grids: grids, settings: settings, columns: columns, to: output, quiet: args.has("--quiet"))
        if let output, !args.has("--quiet") {
            let seconds = Date().timeIntervalSince(start)
            FileHandle.standardError.write(String(format: "wrote %@: %d rows, %d columns in %.2f s (%.3g points/s)\n",
                                                  output as NSString, points, grids.count + columns.count, seconds,
                                                  Double(points) / max(seconds, 1e-9)).data(using: .utf8)!)
        }
        return 0
    }

    /// The quantities to compute, with definitions expanded and every symbol checked.
    /// `bindings` are example values computed from a grid symbol (`delta = 1/n` with n on a grid): substituted first.
    static func columns(_ run: DerivationRun, grids: [Grid], settings: [(String, Double)], requested: [String],
                        boundID: String? = nil, bindings: [String: Expr] = [:]) throws -> [SweepColumn] {
        let theory = run.theory
        try ParameterValues.requireDeclared(grids.map(\.name), theory: theory, role: "the grid symbol")
        let gridNames = Set(grids.map(\.name))
        var seen = Set<String>()
        for g in grids {
            guard seen.insert(g.name).inserted else { throw UsageError("--grid \(g.name) is given twice") }
        }
        for (name, _) in settings where gridNames.contains(name) {
            throw UsageError("\(name) is both on a grid and set with --set")
        }
        let known = gridNames.union(settings.map(\.0)).union(bindings.keys)
        let bound = try EvalCommand.bound(run, id: boundID)
        let boundIndex = run.bounds.firstIndex { $0.id == bound.id } ?? 0
        let quantities = DerivedQuantities.all(run)
        let boundPrefix = boundIndex == 0 ? "" : "\(bound.id)."
        func expanded(_ e: Expr) -> Expr { ParameterValues.expandDefinitions(e, known: known, theory: theory).0.substituting(bindings) }

        var chosen: [SweepColumn] = []
        if requested.isEmpty {
            for q in quantities where (q.kind == .total || q.kind == .term) && q.label.hasPrefix(boundPrefix)
                && (boundIndex != 0 || !q.label.contains(".")) {
                chosen.append(SweepColumn(label: q.label, expression: q.expression))
            }
            for q in quantities where q.kind == .exponent || q.kind == .closedForm {
                let e = expanded(q.expression)
                guard !Set(e.freeSymbols).isDisjoint(with: gridNames),
                      e.freeSymbols.allSatisfy({ known.contains($0) }) else { continue }
                chosen.append(SweepColumn(label: q.label, expression: q.expression))
            }
        } else {
            for r in requested {
                if r == "all" {
                    for q in quantities where DerivedQuantities.formulaProblem(q, theory: theory) == nil {
                        chosen.append(SweepColumn(label: q.label, expression: q.expression))
                    }
                    continue
                }
                let lower = r.lowercased()
                if let q = quantities.first(where: { $0.label.lowercased() == lower || $0.name == lower || $0.label.lowercased() == boundPrefix.lowercased() + lower }) {
                    chosen.append(SweepColumn(label: r, expression: q.expression))
                    continue
                }
                let e: Expr
                do { e = try Parser.parseExpression(r) } catch {
                    let names = quantities.map(\.label).joined(separator: ", ")
                    throw UsageError("--quantity '\(r)' is neither a derived quantity (\(names)) nor an expression: \(error)")
                }
                chosen.append(SweepColumn(label: r, expression: e))
            }
        }
        var result: [SweepColumn] = []
        for c in chosen {
            if let problem = DerivedQuantities.formulaProblem(c.expression) {
                throw UsageError("cannot sweep \(c.label): \(problem)")
            }
            let missing = ParameterValues.unresolved(c.expression, known: known, theory: theory)
            let e = expanded(c.expression)
            if !missing.isEmpty {
                throw ParameterValues.missingError(missing, theory: theory, context: "to compute \(c.label) (put them on a --grid or --set them)")
            }
            result.append(SweepColumn(label: c.label, expression: e))
        }
        return result
    }

    /// Points per parallel work item (a multiple of the compiled block size).
    static let chunkSize = 16_384

    /// Evaluates every column over the grid and writes CSV to `path` (atomically) or standard output.
    /// Returns the number of rows.
    @discardableResult
    static func write(grids: [Grid], settings: [(String, Double)], columns: [SweepColumn], to path: String?, quiet: Bool = false) throws -> Int {
        let total = grids.reduce(1.0) { $0 * Double($1.values.count) }
        guard total <= Double(Grid.maximumPoints) else {
            throw UsageError("the grid has \(ParameterValues.format(total)) points; a sweep is limited to 10^8 (use coarser steps)")
        }
        let count = Int(total)
        let constants = Dictionary(settings, uniquingKeysWith: { _, b in b })
        var compiled: [CompiledFunction] = []
        for c in columns {
            do { compiled.append(try CompiledFunction(c.expression, parameters: c.expression.freeSymbols)) } catch {
                throw UsageError("cannot compile \(c.label): \(error)")
            }
        }
        // Strides: the first grid varies slowest.
        var strides = [Int](repeating: 1, count: grids.count)
        for i in stride(from: grids.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * grids[i + 1].values.count }
        let header = (grids.map(\.name) + columns.map { csvField($0.label) }).joined(separator: ",") + "\n"
        // Not over CSV printed to the same terminal.
        let progress = Progress(total: count, label: "sweep", enabled: !quiet && isatty(2) == 1 && (path != nil || isatty(1) == 0))
        defer { progress.finish() }

        guard let path else {
            try rows(to: stdout, name: "standard output", header: header, count: count, grids: grids, strides: strides,
                     constants: constants, compiled: compiled, progress: progress)
            return count
        }
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "w") else { throw UsageError("cannot write \(path): \(String(cString: strerror(errno)))") }
        InterruptCleanup.install(removing: temporary)
        defer { InterruptCleanup.remove() }
        do {
            try rows(to: file, name: path, header: header, count: count, grids: grids, strides: strides,
                     constants: constants, compiled: compiled, progress: progress)
        } catch {
            fclose(file)
            unlink(temporary)
            throw error
        }
        guard fclose(file) == 0 else {
            unlink(temporary)
            throw UsageError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw UsageError("cannot write \(path): \(reason)")
        }
        return count
    }

    /// Writes the header and every row, chunk by chunk: each batch of chunks is computed in parallel, then
    /// written in order (memory stays bounded however large the grid).
    static func rows(to file: UnsafeMutablePointer<FILE>, name: String, header: String, count: Int, grids: [Grid], strides: [Int],
                     constants: [String: Double], compiled: [CompiledFunction], progress: Progress) throws {
        func failure() -> UsageError { UsageError("cannot write \(name): \(String(cString: strerror(errno)))") }
        guard header.withCString({ fputs($0, file) }) >= 0 else { throw failure() }
        let chunks = (count + chunkSize - 1) / chunkSize
        let perBatch = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4
        let buffers = ChunkBuffers(count: perBatch)
        var batchStart = 0
        while batchStart < chunks {
            let n = min(perBatch, chunks - batchStart)
            let first = batchStart
            DispatchQueue.concurrentPerform(iterations: n) { j in
                let lo = (first + j) * chunkSize
                let hi = min(count, lo + chunkSize)
                buffers[j] = render(range: lo..<hi, grids: grids, strides: strides, constants: constants, compiled: compiled)
            }
            for j in 0..<n {
                let bytes = buffers[j]
                let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
                guard written == bytes.count else { throw failure() }
                buffers[j] = []
                let lo = (first + j) * chunkSize
                progress.advance(by: min(count, lo + chunkSize) - lo)
            }
            batchStart += n
        }
        guard fflush(file) == 0 else { throw failure() }
    }

    /// The CSV rows of one chunk of points.
    static func render(range: Range<Int>, grids: [Grid], strides: [Int], constants: [String: Double],
                       compiled: [CompiledFunction]) -> [UInt8] {
        let m = range.count
        var gridColumns: [[Double]] = grids.map { _ in [Double](repeating: 0, count: m) }
        for (g, grid) in grids.enumerated() {
            let s = strides[g], c = grid.values.count
            grid.values.withUnsafeBufferPointer { values in
                gridColumns[g].withUnsafeMutableBufferPointer { out in
                    for i in 0..<m { out[i] = values[((range.lowerBound + i) / s) % c] }
                }
            }
        }
        let gridIndex = Dictionary(grids.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var results: [[Double]] = []
        for f in compiled {
            let inputs = f.parameters.map { p -> [Double] in
                if let g = gridIndex[p] { return gridColumns[g] }
                return [Double](repeating: constants[p] ?? .nan, count: m)
            }
            var out = [Double](repeating: 0, count: m)
            if inputs.isEmpty {
                out = [Double](repeating: f([]), count: m)
            } else {
                f.evaluate(columns: inputs, into: &out)
            }
            results.append(out)
        }
        // Formatting dominates the cost: a column whose value repeats from the row before (grid columns,
        // exponents that depend on a slower grid) reuses the text it already has.
        let columns = gridColumns + results
        var last = [Double](repeating: .nan, count: columns.count)
        var lastText = [[UInt8]](repeating: [], count: columns.count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(m * columns.count * 12)
        for i in 0..<m {
            for c in columns.indices {
                if c > 0 { bytes.append(44) }
                let v = columns[c][i]
                if v.bitPattern != last[c].bitPattern || lastText[c].isEmpty {
                    lastText[c].removeAll(keepingCapacity: true)
                    appendNumber(v, to: &lastText[c], preferInteger: c < grids.count)
                    last[c] = v
                }
                bytes.append(contentsOf: lastText[c])
            }
            bytes.append(10)
        }
        return bytes
    }

    /// Shortest round-trip text; whole grid values without a fraction (`64`, not `64.0`); NaN as `NaN`.
    @inline(__always)
    static func appendNumber(_ v: Double, to bytes: inout [UInt8], preferInteger: Bool) {
        if v.isNaN { bytes.append(contentsOf: [78, 97, 78]); return }
        if preferInteger, v == v.rounded(), abs(v) < 1e15 {
            bytes.append(contentsOf: String(Int64(v)).utf8)
            return
        }
        bytes.append(contentsOf: v.description.utf8)
    }

    static func csvField(_ s: String) -> String {
        if s.contains(",") || s.contains("\"") || s.contains("\n") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}

/// Per-chunk output slots written by concurrent workers (each worker writes only its own slot).
final class ChunkBuffers: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<[UInt8]>
    let count: Int
    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: [], count: count)
    }
    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
    subscript(i: Int) -> [UInt8] {
        get { storage[i] }
        set { storage[i] = newValue }
    }
}
