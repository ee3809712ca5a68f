import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
import Symbolic
import Derivation
@testable import bounds

/// The example configurations from the command line: eval, sweep and plot work with no flags (the first
/// example), `--example NAME` chooses another, `--set` replaces one value, unknown names and bad values are errors.
final class ExampleCommandTests: XCTestCase {
    typealias Result = BoundsProcess.Output

    func run(_ arguments: [String]) throws -> Result { try BoundsProcess.run(arguments, in: FileManager.default.temporaryDirectory) }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The terms of the bundled bound at Mixtral 8x7B's numbers, computed here from the architecture.
    static let mixtral: (approximation: Double, estimation: Double, routing: Double) = {
        let n = Foundation.pow(2.0, 28.0), beta = 1.0, d = 26.0, M = 8.0, k = 2.0, L = 32.0, ell = 32768.0
        let nEff = L * (2 * 4096 * 32 * 128 + 2 * 4096 * 8 * 128) + L * k * (3 * 4096 * 14336)
        return (min(Foundation.pow(nEff, -2 * beta / d), Foundation.pow(M, -2 * beta / d)), nEff * log(n) / n, L * ell * k * log(M_E * M / k) / n)
    }()

    func terms(_ report: [String: Any]) throws -> [String: Double] {
        let terms = try XCTUnwrap(report["terms"] as? [[String: Any]])
        return Dictionary(terms.compactMap { t in (t["name"] as? String).flatMap { name in (t["value"] as? Double).map { (name, $0) } } },
                          uniquingKeysWith: { a, _ in a })
    }

    func testEvalWithNoFlagsUsesTheFirstExample() throws {
        let r = try run(["eval"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("example: Mixtral 8x7B (Jiang et al. 2024"), r.stdout)
        XCTAssertTrue(r.stdout.contains("N_eff = L_T*Pi_attn + L_T*k*Pi_exp = 1.262e10"), r.stdout)
        XCTAssertTrue(r.stdout.contains("dominant term: estimation"), r.stdout)
        let report = try json(try run(["eval", "--format", "json"]).stdout)
        XCTAssertEqual((report["example"] as? [String: Any])?["name"] as? String, "Mixtral 8x7B")
        let values = try terms(report)
        XCTAssertEqual(values["approximation"] ?? 0, Self.mixtral.approximation, accuracy: 1e-12)
        XCTAssertEqual(values["estimation"] ?? 0, Self.mixtral.estimation, accuracy: 1e-9 * Self.mixtral.estimation)
        XCTAssertEqual(values["routing"] ?? 0, Self.mixtral.routing, accuracy: 1e-12)
    }

    func testExampleSelectionAndSetOverrides() throws {
        let deepseek = try json(try run(["eval", "--example", "DeepSeek-V3", "--format", "json"]).stdout)
        XCTAssertEqual((deepseek["example"] as? [String: Any])?["name"] as? String, "DeepSeek-V3")
        XCTAssertEqual((deepseek["values"] as? [String: Double])?["M"], 256)
        XCTAssertEqual((deepseek["derived"] as? [String: Double])?["N_eff"], 35_591_487_488)
        // The name is matched ignoring case.
        let lower = try run(["eval", "--example", "qwen3-30b-a3b"])
        XCTAssertEqual(lower.status, 0, lower.stderr)
        XCTAssertTrue(lower.stdout.contains("example: Qwen3-30B-A3B"), lower.stdout)

        // --set replaces one value; what the example computes from it is computed again.
        let wider = try run(["eval", "--set", "d_model=8192", "--format", "json"])
        XCTAssertEqual(wider.status, 0, wider.stderr)
        let report = try json(wider.stdout)
        let values = try XCTUnwrap(report["values"] as? [String: Double])
        XCTAssertEqual(values["d_model"], 8192)
        XCTAssertEqual(values["Pi_exp"], 3 * 8192 * 14336)
        XCTAssertEqual(values["M"], 8, "the rest stays the example's")
        let example = try XCTUnwrap(report["example"] as? [String: Any])
        XCTAssertEqual(example["overridden"] as? [String], ["d_model"])
        XCTAssertEqual((example["recomputed"] as? [String]).map(Set.init), ["Pi_attn", "Pi_exp", "D"])
        let text = try run(["eval", "--set", "M=16"])
        XCTAssertTrue(text.stdout.contains("--set replaces the example's M = 8"), text.stdout)
        let routing = try XCTUnwrap(try terms(try json(try run(["eval", "--set", "M=16", "--format", "json"]).stdout))["routing"])
        XCTAssertEqual(routing, 32 * 32768 * 2 * Foundation.log(M_E * 16 / 2) / Foundation.pow(2.0, 28.0), accuracy: 1e-12)
    }

    func testUnknownExampleIsAnErrorWithTheNamesAndASuggestion() throws {
        for command in [["eval"], ["sweep", "--grid", "n=1e3:1e6:log10"], ["plot", "-o", "/dev/null"], ["examples"]] {
            let r = try run(command + ["--example", "deepsek-v3"])
            XCTAssertEqual(r.status, 2, "\(command): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("no example 'deepsek-v3'; the examples are \"Mixtral 8x7B\", \"DeepSeek-V3\", \"Qwen3-30B-A3B\", \"Switch-Base-128\""), r.stderr)
            XCTAssertTrue(r.stderr.contains("did you mean \"DeepSeek-V3\"?"), r.stderr)
        }
        let both = try run(["eval", "--example", "DeepSeek-V3", "--no-example"])
        XCTAssertEqual(both.status, 2)
        // Without an example, eval needs every value from --set again.
        let none = try run(["eval", "--no-example", "--set", "n=1e9"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("missing values for"), none.stderr)
    }

    /// The README's sweep example, as written, with no --set flags.
    func testReadmeSweepWorksWithTheDefaultExample() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("out.csv").path
        let r = try run(["sweep", "--grid", "beta=0.5:4:0.5", "--grid", "d=1:64", "-o", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("example Mixtral 8x7B"), r.stderr)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + 8 * 64)
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertEqual(Array(header.prefix(6)), ["beta", "d", "total", "approximation", "estimation", "routing"])
        // The row at the example's own beta and d is the eval of the example.
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("1,26,") }).split(separator: ",").map { Double($0)! }
        XCTAssertEqual(row[3], Self.mixtral.approximation, accuracy: 1e-12)
        XCTAssertEqual(row[4], Self.mixtral.estimation, accuracy: 1e-9 * Self.mixtral.estimation)
        XCTAssertEqual(row[5], Self.mixtral.routing, accuracy: 1e-12)
        // Another example and an override change the constants.
        let other = try run(["sweep", "--grid", "n=1e6:1e9:log10", "--example", "Switch-Base-128", "--set", "k=2", "--quantity", "routing"])
        XCTAssertEqual(other.status, 0, other.stderr)
        let last = try XCTUnwrap(other.stdout.split(separator: "\n").last).split(separator: ",").map { Double($0)! }
        XCTAssertEqual(last[0], 1e9)
        XCTAssertEqual(last[1], 12 * 512 * 2 * log(M_E * 128 / 2) / 1e9, accuracy: 1e-15)
    }

    func wellFormed(_ svg: String) -> Bool {
        #if canImport(FoundationXML) || canImport(Darwin)
        return XMLParser(data: Data(svg.utf8)).parse()
        #else
        return svg.hasPrefix("<?xml") && svg.contains("</svg>")
        #endif
    }

    func testPlotWithNoFlagsUsesTheFirstExample() throws {
        let dir = try temporaryDirectory()
        let risk = dir.appendingPathComponent("risk.svg").path
        let r = try run(["plot", "-o", risk])
        XCTAssertEqual(r.status, 0, r.stderr)
        let svg = try String(contentsOfFile: risk, encoding: .utf8)
        XCTAssertTrue(wellFormed(svg))
        XCTAssertTrue(svg.contains("class=\"subtitle\">example Mixtral 8x7B<"), "the subtitle names the example")
        XCTAssertTrue(svg.contains("class=\"total\""))
        XCTAssertTrue(svg.contains("estimation dominates"))
        // Against compute, D3's path gives N_eff and n; the example the rest.
        let compute = dir.appendingPathComponent("compute.svg").path
        let c = try run(["plot", "--x", "C", "--example", "DeepSeek-V3", "-o", compute])
        XCTAssertEqual(c.status, 0, c.stderr)
        let csvg = try String(contentsOfFile: compute, encoding: .utf8)
        XCTAssertTrue(csvg.contains("class=\"subtitle\">example DeepSeek-V3; along <tspan font-style=\"italic\">N</tspan><tspan class=\"sub\""),
                      "subtitle: the example, then the path typeset")
        XCTAssertTrue(csvg.contains("(D3 compute-optimal allocation)"), "subtitle")
        // A regime map over n and M: M leaves the example for the axis.
        let map = dir.appendingPathComponent("map.svg").path
        let m = try run(["plot", "--kind", "regimes", "--example", "Qwen3-30B-A3B", "--set", "beta=2", "-o", map])
        XCTAssertEqual(m.status, 0, m.stderr)
        let msvg = try String(contentsOfFile: map, encoding: .utf8)
        XCTAssertTrue(msvg.contains("class=\"subtitle\">example Qwen3-30B-A3B with <tspan font-style=\"italic\">β</tspan> = 2</text>"), "subtitle")
        XCTAssertTrue(msvg.contains("Values from the example Qwen3-30B-A3B (Qwen Team 2025"), "the description gives the values and the source")
        XCTAssertTrue(msvg.contains("class=\"regime\""))
        // The same figures as pgfplots: the title's subtitle names the example (its name escaped, the values typeset),
        // and a comment gives every value and the source.
        let tex = dir.appendingPathComponent("risk.tex").path
        let t = try run(["plot", "-o", tex])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stderr.contains("wrote \(tex)"), t.stderr)
        let document = try String(contentsOfFile: tex, encoding: .utf8)
        XCTAssertTrue(document.contains("\\\\{\\footnotesize example Mixtral 8x7B}}"), "subtitle")
        XCTAssertTrue(document.contains("% Values from the example Mixtral 8x7B (Jiang et al. 2024"), "values comment")
        XCTAssertTrue(document.allSatisfy(\.isASCII), "pdflatex reads ASCII")
        let mapTex = dir.appendingPathComponent("map.tex").path
        XCTAssertEqual(try run(["plot", "--kind", "regimes", "--example", "Qwen3-30B-A3B", "--set", "beta=2", "--fragment", "-o", mapTex]).status, 0)
        let fragment = try String(contentsOfFile: mapTex, encoding: .utf8)
        XCTAssertTrue(fragment.contains("{\\footnotesize example Qwen3-30B-A3B with $\\beta = 2$}"), fragment)
        XCTAssertFalse(fragment.contains("\\documentclass"))
        // --set on an axis is still an error.
        XCTAssertEqual(try run(["plot", "--set", "n=1e9", "-o", map]).status, 2)
    }

    func testPlotSetupTakesTheExamplesValuesExceptOnTheAxes() throws {
        let theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let run = try DerivationRun(theory: theory, audit: false)
        var options = PlotCommand.Options(x: "n")
        options.example = .named("Switch-Base-128")
        let (_, setup) = try PlotCommand.setup(run, settings: [("beta", 2)], axes: ["n"], options: options)
        XCTAssertNil(setup.values["n"], "n is the axis")
        XCTAssertEqual(setup.values["beta"], 2)
        XCTAssertEqual(setup.values["M"], 128)
        XCTAssertNil(setup.pathLaw, "the example's N_eff is used, not a law's path")
        let routing = try XCTUnwrap(setup.terms.first { $0.name == "routing" })
        XCTAssertEqual(setup.value(routing.expression, at: ["n": 1e9]) ?? 0, 12 * 512 * log(M_E * 128) / 1e9, accuracy: 1e-15)
    }

    /// The figure model carries the example, so the SVG and pgfplots writers both name it.
    func testFiguresCarryTheExampleForBothWriters() throws {
        let theory = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let run = try DerivationRun(theory: theory, audit: false)
        var options = PlotCommand.Options(x: "n")
        options.example = .named("Switch-Base-128")
        let risk = try PlotCommand.riskFigure(run, settings: [("beta", 2)], options: options)
        let example = try XCTUnwrap(risk.example)
        XCTAssertEqual(example.name, "Switch-Base-128")
        XCTAssertEqual(example.changed.map(\.0), ["beta"])
        XCTAssertEqual(example.changed.map(\.1), [2])
        XCTAssertTrue(risk.settings.isEmpty, "beta is the example's, named in the example's phrase: \(risk.settings)")
        XCTAssertTrue(risk.values.hasPrefix("Values from the example Switch-Base-128 ("), risk.values)
        XCTAssertTrue(risk.description.contains(risk.values))
        XCTAssertEqual(PlotCommand.subtitle(example: risk.example, settings: risk.settings, path: risk.path, pathLaw: risk.pathLaw).characters,
                       "example Switch-Base-128 with β = 2")
        XCTAssertEqual(PGFPlots.subtitle(example: risk.example, settings: risk.settings, path: risk.path, pathLaw: risk.pathLaw),
                       "example Switch-Base-128 with $\\beta = 2$")
        XCTAssertTrue(PGFPlots.risk(risk, fragment: true).contains("% Values from the example Switch-Base-128"))
        options.y = "M"
        let map = try PlotCommand.regimeFigure(run, settings: [], options: options)
        XCTAssertEqual(map.example?.name, "Switch-Base-128")
        XCTAssertTrue(PlotCommand.svg(map).contains("class=\"subtitle\">example Switch-Base-128</text>"))
        XCTAssertTrue(PGFPlots.regimes(map, fragment: false).contains("{\\footnotesize example Switch-Base-128}"))
        // Without an example the subtitle lists the --set values, as before.
        options.example = .none
        let plain = try PlotCommand.riskFigure(run, settings: [("beta", 1), ("d", 8), ("M", 64), ("k", 2), ("L_T", 24), ("ell", 2048)],
                                               options: { var o = options; o.path = "D2"; return o }())
        XCTAssertNil(plain.example)
        XCTAssertEqual(plain.values, "")
        XCTAssertTrue(PlotCommand.subtitle(example: nil, settings: plain.settings, path: plain.path, pathLaw: plain.pathLaw).characters
                        .hasPrefix("β = 1, d = 8, M = 64"))
    }

    func testExamplesCommandListsEveryModelWithItsSource() throws {
        let r = try run(["examples"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for expected in ["Mixtral 8x7B  (the default)", "source: Jiang et al. 2024, Mixtral of Experts, arXiv:2401.04088",
                         "DeepSeek-V3", "arXiv:2412.19437", "Qwen3-30B-A3B", "arXiv:2505.09388", "Switch-Base-128", "arXiv:2101.03961",
                         "Pi_exp  = 3*d_model*14336 = 176160768", "N_eff   = L_T*Pi_attn + L_T*k*Pi_exp = 12616466432"] {
            XCTAssertTrue(r.stdout.contains(expected), "missing \(expected)\n\(r.stdout)")
        }
        let listed = try json(try run(["examples", "--format", "json"]).stdout)
        let examples = try XCTUnwrap(listed["examples"] as? [[String: Any]])
        XCTAssertEqual(examples.compactMap { $0["name"] as? String }, ["Mixtral 8x7B", "DeepSeek-V3", "Qwen3-30B-A3B", "Switch-Base-128"])
        XCTAssertEqual((examples[2]["derived"] as? [String: Double])?["N_total"], 29_896_998_912)
    }

    func testAValueOutsideItsDomainStopsEveryCommandAtItsLocation() throws {
        let dir = try temporaryDirectory()
        let copy = dir.appendingPathComponent("theorems")
        try FileManager.default.copyItem(at: CLITests.root.appendingPathComponent("theorems"), to: copy)
        let file = copy.appendingPathComponent("moe/examples.bounds")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let index = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("  k = 2") }, "Mixtral's k")
        lines[index] = "  k = 9"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let theory = copy.appendingPathComponent("moe/generalization.bounds").path
        for command in ["eval", "derive", "examples"] {
            let r = try run([command, theory])
            XCTAssertEqual(r.status, 2, command)
            XCTAssertTrue(r.stderr.contains("examples.bounds:\(index + 1):7: error: k = 9 in example \"Mixtral 8x7B\" is outside its declared domain 'k : integer in [1, M]'"), r.stderr)
            XCTAssertTrue(r.stderr.contains("with M = 8"), r.stderr)
        }
    }
}
