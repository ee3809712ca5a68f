import Foundation
import XCTest

/// The command line's own diagnostics: --version, misspelt commands and options, and theory errors as
/// `file:line:column: error: ...` with exit status 2 (never a crash).
final class DiagnosticsCLITests: XCTestCase {
    typealias Result = BoundsProcess.Output

    func run(_ arguments: [String]) throws -> Result { try BoundsProcess.run(arguments) }

    func testVersion() throws {
        for arguments in [["--version"], ["version"]] {
            let r = try run(arguments)
            XCTAssertEqual(r.status, 0, r.stderr)
            let line = r.stdout.trimmingCharacters(in: .newlines)
            XCTAssertNotNil(line.range(of: #"^bounds \d+\.\d+\.\d+"#, options: .regularExpression), "'\(line)'")
            XCTAssertFalse(line.contains("\n"), "one line: '\(line)'")
        }
        XCTAssertEqual(try run(["--version"]).stdout, try run(["version"]).stdout)
        XCTAssertTrue(try run(["--help"]).stdout.contains("version"), "the usage lists the version command")
    }

    func testAMisspeltCommandGetsASuggestion() throws {
        let r = try run(["deriv"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("error: unknown command 'deriv'; did you mean 'derive'?\n"), r.stderr)
        let swapped = try run(["chekc", "--quiet"])
        XCTAssertEqual(swapped.status, 2)
        XCTAssertTrue(swapped.stderr.contains("did you mean 'check'?"), swapped.stderr)
        XCTAssertTrue(try run(["--verison"]).stderr.contains("did you mean '--version'?"))
        // Nothing close: no suggestion, the usage instead.
        let far = try run(["frobnicate"])
        XCTAssertEqual(far.status, 2)
        XCTAssertTrue(far.stderr.hasPrefix("error: unknown command 'frobnicate'\n"), far.stderr)
        XCTAssertFalse(far.stderr.contains("did you mean"), far.stderr)
        XCTAssertTrue(far.stderr.contains("usage: bounds"), far.stderr)
    }

    func testAMisspeltOptionGetsASuggestion() throws {
        let r = try run(["derive", "--formt", "json"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: unknown option --formt; did you mean '--format'?\n")
        XCTAssertEqual(try run(["check", "--quite"]).stderr, "error: unknown option --quite; did you mean '--quiet'?\n")
        XCTAssertTrue(try run(["simplify", "x", "--trce"]).stderr.contains("did you mean '--trace'?"))
        let far = try run(["derive", "--zzzzzz"])
        XCTAssertEqual(far.status, 2)
        XCTAssertEqual(far.stderr, "error: unknown option --zzzzzz\n")
    }

    func testAMisspeltAlternativeGetsASuggestion() throws {
        let r = try run(["derive", "--use", "A33"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("error: no alternative 'A33'; did you mean 'A3'? (available: A1 ("), r.stderr)
        let byName = try run(["derive", "--use", "no expert brnach"])
        XCTAssertTrue(byName.stderr.contains("did you mean 'no expert branch'?"), byName.stderr)
        let assume = try run(["derive", "--assume", "bta > 1"])
        XCTAssertEqual(assume.status, 2)
        XCTAssertEqual(assume.stderr, "<assume 1>:1:1: error: undefined symbol 'bta' in --assume; did you mean 'beta'?\n")
    }

    /// Theory errors: exit 2 and `file:line:column: error:` on standard error, for every command that loads a theory.
    func testTheoryErrorsAreLocatedAndExitTwo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-diagnostics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let theory = """
        symbols
          n : integer >= 2   "sample size"
          N_eff : real >= 1  "active parameters"
        \tbeta : real > 0   "smoothness (a tab before it)"

        quantities
          Risk >= 0  "risk"

        lemma RATE "rate" [standard]
          source "test"
          Risk <= N_ef/n + n^(-β)

        derive b "b"
          start Risk
          by RATE

        """
        let file = dir.appendingPathComponent("typo.bounds")
        try theory.write(to: file, atomically: true, encoding: .utf8)
        let extra = ["emit": ["--lang", "json"], "sweep": ["--grid", "n=2:4"]]
        for command in ["check", "derive", "audit", "latex", "emit", "eval", "sweep", "compare"] {
            let r = try run([command, file.path] + (extra[command] ?? []))
            XCTAssertFalse(r.signaled, "\(command) crashed: \(r.stderr)")
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("\(file.path):11:11: error: undefined symbol 'N_ef' in RATE; did you mean 'N_eff'?"),
                          "\(command): \(r.stderr)")
        }
        // Fixed, the same file loads; a misspelt citation is then at its own column.
        try theory.replacingOccurrences(of: "N_ef/n", with: "N_eff/n").replacingOccurrences(of: "  by RATE\n", with: "  by RAET\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let r = try run(["derive", file.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stderr, "\(file.path):15:6: error: derive b cites RAET, which no loaded file defines; did you mean 'RATE'?\n")
    }
}
