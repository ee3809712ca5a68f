import Foundation
import XCTest

/// The command-line tool as a user runs it: exit codes, and messages that carry file:line:column.
final class CLITests: XCTestCase {
    typealias Result = BoundsProcess.Output

    /// The `bounds` binary built beside the test bundle.
    static var binary: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("bounds")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/bounds")
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ arguments: [String], in directory: URL? = nil) throws -> Result { try BoundsProcess.run(arguments, in: directory) }

    func testDeriveRunsTheBundledTheoryFromAnyDirectory() throws {
        let r = try run(["derive"], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("D2 data scaling: risk ≍ Õ(n^(-2*beta/(2*beta + d)))"), r.stdout)
        XCTAssertTrue(r.stdout.contains("N_eff ∝ n^(d/(2*beta + d))"))
        XCTAssertTrue(r.stdout.contains("CONTRADICTION in D4_joint"))
    }

    func testCheckExitCodes() throws {
        XCTAssertEqual(try run(["check", "--quiet"]).status, 0)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLITests.root.appendingPathComponent("theorems"), to: dir)
        let file = dir.appendingPathComponent("moe/cover.bounds")
        let text = try String(contentsOf: file, encoding: .utf8)
        // A wrong step: S1's bound with the wrong power of k.
        try text.replacingOccurrences(of: "<= L_T*ell*k*log(e*M/k) + log(Cover_pi(delta))       by S1",
                                      with: "<= L_T*ell*k^2*log(e*M/k) + log(Cover_pi(delta))     by S1")
            .write(to: file, atomically: true, encoding: .utf8)
        let failing = try run(["check", file.path])
        XCTAssertEqual(failing.status, 1, failing.stdout + failing.stderr)
        XCTAssertTrue(failing.stdout.contains(":21: error: step rejected: <= L_T*ell*k^2*log(e*M/k) + log(Cover_pi(delta))  [by S1]"), failing.stdout)
    }

    func testUnusableInputExitsTwoWithALocation() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.bounds")
        try "symbols\n  beta : real > 0\n\nlemma X \"x\" [paper]\n  source \"s\"\n  beta <= (beta + 1\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try run(["derive", bad.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bad.bounds:6:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("error:"), r.stderr)
        let unknown = try run(["derive", "--use", "A99"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no alternative 'A99'"), unknown.stderr)
        let expression = try run(["simplify", "log(x"])
        XCTAssertEqual(expression.status, 2)
        XCTAssertTrue(expression.stderr.contains("<expression>:1:6: error:"), expression.stderr)
        let contradiction = try run(["simplify", "x", "--assume", "x > 1", "--assume", "x < 0"])
        XCTAssertEqual(contradiction.status, 2)
        XCTAssertTrue(contradiction.stderr.contains("contradictory assumptions"), contradiction.stderr)
        XCTAssertEqual(try run(["no-such-command"]).status, 2)
    }

    func testSimplifyTraceAndGuards() throws {
        let r = try run(["simplify", "1 - d/(2*beta + d)", "--trace"])
        XCTAssertEqual(r.stdout.split(separator: "\n").first, "2*beta/(2*beta + d)")
        XCTAssertTrue(r.stdout.contains("trace: sum.together"))
        XCTAssertEqual(try run(["simplify", "(x^2)^(1/2)"]).stdout, "sqrt(x^2)\n")
        XCTAssertEqual(try run(["simplify", "(x^2)^(1/2)", "--assume", "x >= 0"]).stdout, "x\n")
        XCTAssertEqual(try run(["simplify", "log(x*y)", "--assume", "x > 0"]).stdout, "log(x*y)\n", "y's sign is unknown")
        XCTAssertEqual(try run(["simplify", "2*beta/(2*beta + d)", "--format", "latex"]).stdout, "\\frac{2\\beta}{2\\beta + d}\n")
    }

    func testAuditAndCompare() throws {
        let audit = try run(["audit", "--format", "json"])
        XCTAssertEqual(audit.status, 1, "a contradiction makes audit exit 1")
        XCTAssertTrue(audit.stdout.contains("\"law\" : \"D4_joint\""), audit.stdout)
        XCTAssertEqual(try run(["audit", "--use", "A5"]).status, 0)
        let compare = try run(["compare", "--use", "A5"])
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertTrue(compare.stdout.contains("* A5: N_eff^(-2*beta/d)"), compare.stdout)
    }

    func testPlotAndEmitWriteFilesAndSaySo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let settings = ["--set", "beta=1", "--set", "d=8", "--set", "M=64", "--set", "k=2", "--set", "L_T=24", "--set", "ell=2048", "--path", "D2"]
        let svg = dir.appendingPathComponent("fig.svg").path
        let plotted = try run(["plot"] + settings + ["-o", svg])
        XCTAssertEqual(plotted.status, 0, plotted.stderr)
        XCTAssertTrue(plotted.stderr.contains("wrote \(svg)\n"), plotted.stderr)
        XCTAssertEqual(plotted.stdout, "", "the figure goes to the file only")
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<?xml"))
        // -o NAME.tex: a pgfplots document; --fragment: the picture alone.
        let tex = dir.appendingPathComponent("fig.tex").path
        let latex = try run(["plot"] + settings + ["-o", tex])
        XCTAssertEqual(latex.status, 0, latex.stderr)
        XCTAssertTrue(latex.stderr.contains("wrote \(tex)\n"), latex.stderr)
        let document = try String(contentsOfFile: tex, encoding: .utf8)
        XCTAssertTrue(document.contains("\\documentclass{article}") && document.contains("\\begin{axis}"))
        let fragment = dir.appendingPathComponent("fragment.tex").path
        XCTAssertEqual(try run(["plot"] + settings + ["--fragment", "-o", fragment]).status, 0)
        XCTAssertFalse(try String(contentsOfFile: fragment, encoding: .utf8).contains("\\documentclass"))
        let noFile = try run(["plot"] + settings + ["--format", "pdf"])
        XCTAssertEqual(noFile.status, 2)
        XCTAssertTrue(noFile.stderr.contains("-o NAME.pdf"), noFile.stderr)
        // C: the source and its header, each announced.
        let c = dir.appendingPathComponent("gen.c").path, h = dir.appendingPathComponent("gen.h").path
        let emitted = try run(["emit", "--lang", "c", "-o", c])
        XCTAssertEqual(emitted.status, 0, emitted.stderr)
        XCTAssertTrue(emitted.stderr.contains("wrote \(c)\nwrote \(h)\n"), emitted.stderr)
        XCTAssertTrue(try String(contentsOfFile: c, encoding: .utf8).contains("#include \"gen.h\""))
        XCTAssertTrue(try String(contentsOfFile: h, encoding: .utf8).contains("#ifndef GEN_H"))
        XCTAssertEqual(try run(["emit", "--lang", "python", "--header", h]).status, 2, "--header is for C")
        let swift = try run(["emit", "--lang", "swift", "--namespace", "MoEBound"])
        XCTAssertEqual(swift.status, 0, swift.stderr)
        XCTAssertTrue(swift.stdout.contains("public enum MoEBound {"))
    }

    /// One law, one rate: the text, JSON, LaTeX and compare outputs print the same rate string for every law,
    /// Õ(1) (not Õ(M^0), not log(M), not "0 (Õ)") for D4, whose exponent is 0.
    func testEveryFormatPrintsTheSameRate() throws {
        let text = try run(["derive"]).stdout
        let latex = try run(["latex"]).stdout
        let compare = try run(["compare", "--use", "A7"]).stdout
        let jsonText = try run(["derive", "--format", "json"]).stdout
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
        let laws = try XCTUnwrap(json["laws"] as? [[String: Any]])
        let d4 = try XCTUnwrap(laws.first { $0["id"] as? String == "D4" })
        XCTAssertEqual(d4["rate_text"] as? String, "Õ(1)")
        XCTAssertEqual(d4["rate_latex"] as? String, "\\tilde{O}(1)")
        XCTAssertEqual(d4["rate_hides"] as? String, "log(M)")
        XCTAssertTrue(text.contains("D4 expert scaling: risk ≍ Õ(1)   ["), text)
        XCTAssertTrue(text.contains("    up to log(M)\n"), text)
        XCTAssertTrue(latex.contains("\\mathrm{risk} \\asymp \\tilde{O}(1)"), latex)
        XCTAssertTrue(compare.contains("D4: risk\n    base: Õ(1) up to log(M)\n"), compare)
        for law in laws {
            let id = try XCTUnwrap(law["id"] as? String), name = try XCTUnwrap(law["name"] as? String)
            let rate = try XCTUnwrap(law["rate_text"] as? String, "\(id) has no rate"), rateLaTeX = try XCTUnwrap(law["rate_latex"] as? String)
            XCTAssertTrue(text.contains("\(id) \(name): risk ≍ \(rate)   ["), "text: \(id) is not \(rate)")
            XCTAssertTrue(latex.contains("\\mathrm{risk} \\asymp \(rateLaTeX)"), "LaTeX: \(id) is not \(rateLaTeX)")
            XCTAssertTrue(compare.contains("\(id): risk\n    base: \(rate)"), "compare: \(id) is not \(rate)")
        }
        // Degenerate rates print as 1 or Õ(1), never as a zeroth power.
        for (format, output, zeroth) in [("text", text, "^(0)"), ("latex", latex, "^{0}"), ("compare", compare, "^(0)")] {
            XCTAssertFalse(output.contains(zeroth), "\(format) prints a zeroth power")
        }
    }

    /// compare counts, for each alternative, the quantities that change under it: A7 (compute that pays for
    /// every parameter) leaves every exponent, term and condition as it is, A1 changes several.
    func testCompareCountsOnlyTheQuantitiesThatChange() throws {
        let r = try run(["compare", "--use", "A1", "--use", "A7"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let a7 = try XCTUnwrap(lines.first { $0.hasSuffix("quantities change under A7") }, r.stdout)
        XCTAssertTrue(a7.hasPrefix("0 of "), a7)
        XCTAssertFalse(lines.contains { $0.hasPrefix("  * A7:") }, "a quantity is marked changed under A7:\n\(r.stdout)")
        let a1 = try XCTUnwrap(lines.first { $0.hasSuffix("quantities change under A1 (marked *)") }, r.stdout)
        XCTAssertGreaterThan(Int(a1.prefix { $0.isNumber }) ?? 0, 0, a1)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  * A1:") })
    }

    /// A term the path dominates is dropped under every alternative, as in the base theory: under A1 the 1/n of
    /// S4 is dominated by A1's estimation term M*N_eff*log(n)/(k*n) (k <= M), so no vacuous "n >= 1" condition.
    func testDominatedTermsAreDroppedUnderAlternatives() throws {
        let r = try run(["derive", "--use", "A1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  Risk <~ min(N_eff^(-2*beta/d), M^(-2*beta/d)) + M*N_eff*log(n)/k/n\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("by asymptotics: dropped 1/n (dominated along n → ∞)"), r.stdout)
        XCTAssertFalse(r.stdout.contains("n >= 1 "), r.stdout)
        XCTAssertFalse(r.stdout.contains("1/n dominates"), r.stdout)
    }
}
