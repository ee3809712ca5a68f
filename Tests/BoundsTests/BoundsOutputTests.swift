import Foundation
import XCTest
import SeededRandom
#if canImport(FoundationXML)
import FoundationXML
#endif
import Symbolic
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

    func compileLaTeX(_ source: String, name: String) throws {
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("\(name).tex"), atomically: true, encoding: .utf8)
        guard let result = try shell("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "\(name).tex"], in: dir) else {
            throw XCTSkip("pdflatex is not installed")
        }
        let log = (try? String(contentsOf: dir.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? result.output
        let errors = log.split(separator: "\n").filter { $0.hasPrefix("!") }
        XCTAssertEqual(result.status, 0, "pdflatex failed on \(name):\n" + errors.joined(separator: "\n"))
        XCTAssertTrue(errors.isEmpty, errors.joined(separator: "\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(name).pdf").path))
    }

    func testLaTeXDocumentCompilesAndReadsLikeAPaper() throws {
        let theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let run = try DerivationRun(theory: theory, audit: true)
        let document = LaTeXReport.document(run, fragment: false)
        XCTAssertTrue(document.allSatisfy { $0.isASCII }, "pdflatex needs ASCII (or known commands) only")
        XCTAssertTrue(document.contains("\\documentclass[11pt]{article}"))
        XCTAssertEqual(document.components(separatedBy: "\\usepackage").count - 1, 1, "amsmath only")
        XCTAssertTrue(document.contains("\\usepackage{amsmath}"))
        for expected in ["\\section{Notation}", "\\begin{tabular}", "Lemma S4\\_exact", "\\emph{Source:}", "\\emph{Note:}",
                         "\\begin{align*}", "\\text{by S2}", "\\lesssim", "\\underbrace", "\\text{approximation}",
                         "\\section{Scaling laws}", "D4\\_joint", "n^{-\\frac{2\\beta}{2\\beta + d}}", "Regime & Dominant term",
                         "\\section{Audit against lower bounds}", "Lemma chain"] {
            XCTAssertTrue(document.contains(expected), "missing \(expected)")
        }
        try compileLaTeX(document, name: "document")
        // A fragment pasted into a plain article.
        let fragment = LaTeXReport.document(run, fragment: true)
        XCTAssertFalse(fragment.contains("\\documentclass"))
        try compileLaTeX("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n\(fragment)\n\\end{document}\n", name: "fragment")
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
        try compileLaTeX(document, name: "hostile")
    }

    func testProseTypesetsFormulasAndEscapesTheRest() {
        let symbols: Set<String> = ["n", "delta", "N_eff", "k", "M"]
        XCTAssertEqual(LaTeXReport.prose("dropped 1/n (dominated along n → ∞)", symbols: symbols),
                       "dropped $\\frac{1}{n}$ (dominated along $n$ $\\to$ $\\infty$)")
        XCTAssertEqual(LaTeXReport.prose("experts activated per token (top-k)", symbols: symbols), "experts activated per token (top-k)")
        XCTAssertEqual(LaTeXReport.prose("S4_exact with 100% & #1", symbols: symbols), "S4\\_exact with 100\\% \\& \\#1")
        XCTAssertEqual(LaTeXReport.prose("E = 1.69,", symbols: ["E"]), "$E = 1.69$,")
        XCTAssertEqual(LaTeXReport.escape("a <= b -> c"), "a $\\le$ b $\\to$ c")
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

    func testEmittedPythonAgreesWithTheEngine() throws {
        let functions = try emittedFunctions()
        let source = try CodeGenerator.source(functions, language: .python, header: ["test"])
        XCTAssertTrue(source.contains("def d2_data_scaling_risk_exponent(beta: float, d: float) -> float:"))
        XCTAssertTrue(source.contains("def bound_total("))
        XCTAssertTrue(source.contains("lambda_"), "a keyword parameter is renamed")
        let cases = emittedPoints(functions)
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("generated.py"), atomically: true, encoding: .utf8)
        var driver = "from generated import *\n"
        for (f, point, _) in cases {
            let args = f.parameters.map { "\(point[$0]!)" }.joined(separator: ", ")
            driver += "print(repr(\(CodeGenerator.identifier(f.name))(\(args))))\n"
        }
        try driver.write(to: dir.appendingPathComponent("driver.py"), atomically: true, encoding: .utf8)
        guard let result = try shell("python3", ["driver.py"], in: dir) else { throw XCTSkip("python3 is not installed") }
        XCTAssertEqual(result.status, 0, result.output)
        assertClose(result.output.split(separator: "\n").map(String.init), cases, language: "python")
    }

    func testEmittedCAgreesWithTheEngine() throws {
        let functions = try emittedFunctions()
        let source = try CodeGenerator.source(functions, language: .c, header: ["test"])
        XCTAssertTrue(source.contains("#include <math.h>"))
        XCTAssertTrue(source.contains("double d2_data_scaling_risk_exponent(double beta, double d) {"))
        // Shared subexpressions: -2*beta/d is computed once in the total.
        let total = source.components(separatedBy: "double bound_total(")[1].components(separatedBy: "}")[0]
        XCTAssertTrue(total.contains("const double t1 = -2.0 * beta / d;"), total)
        let cases = emittedPoints(functions)
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("generated.c"), atomically: true, encoding: .utf8)
        var driver = "#include <stdio.h>\n#include \"generated.c\"\nint main(void) {\n"
        for (f, point, _) in cases {
            let args = f.parameters.map { "\(point[$0]!)" }.joined(separator: ", ")
            driver += "    printf(\"%.17g\\n\", \(CodeGenerator.identifier(f.name))(\(args)));\n"
        }
        driver += "    return 0;\n}\n"
        try driver.write(to: dir.appendingPathComponent("driver.c"), atomically: true, encoding: .utf8)
        guard let compiled = try shell("cc", ["-std=c99", "-Wall", "-Werror", "-o", "driver", "driver.c", "-lm"], in: dir) else {
            throw XCTSkip("cc is not installed")
        }
        XCTAssertEqual(compiled.status, 0, compiled.output)
        guard let result = try shell(dir.appendingPathComponent("driver").path, [], in: dir) else { return XCTFail("driver not built") }
        XCTAssertEqual(result.status, 0)
        assertClose(result.output.split(separator: "\n").map(String.init), cases, language: "c")
    }

    func testEmittedSwiftTypechecks() throws {
        let source = try EmitCommand.source(Self.run, language: .swift)
            + (try CodeGenerator.source(try emittedFunctions().filter { $0.name == "everything" || $0.name == "keywords" }, language: .swift))
                .replacingOccurrences(of: "import Foundation\n", with: "")
        XCTAssertTrue(source.contains("public func bound_estimation(N_eff: Double, n: Double) -> Double {"))
        let dir = try temporaryDirectory()
        try source.write(to: dir.appendingPathComponent("Generated.swift"), atomically: true, encoding: .utf8)
        guard let result = try shell("swiftc", ["-typecheck", "Generated.swift"], in: dir) else { throw XCTSkip("swiftc is not installed") }
        XCTAssertEqual(result.status, 0, result.output)
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
                         "class=\"reference\"", "class=\"term\"", "10<tspan", "n — sample size", "routing dominates", "estimation dominates"] {
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
