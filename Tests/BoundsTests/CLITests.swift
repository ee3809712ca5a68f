import Foundation
import XCTest

/// The command-line tool as a user runs it: exit codes, and messages that carry file:line:column.
final class CLITests: XCTestCase {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

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

    func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

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
}
