import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// Hostile theory files: each must be refused with `file:line:column` and a sentence (or, where the
/// input is legal, give the right answer). A couple of them go through the real CLI for its exit code 2.
final class AdversarialTests: XCTestCase {

    // MARK: Helpers

    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh directory with the given files (relative path → text).
    private func directory(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-adversarial-\(UUID().uuidString)")
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Loads `main` from `files` and requires a `TheoryError` at `file:line:column` whose message contains every fragment.
    @discardableResult
    private func assertRefused(_ files: [String: String], main: String = "main.bounds", at expected: String, _ fragments: [String],
                               file: StaticString = #filePath, line: UInt = #line) throws -> TheoryError? {
        let dir = try directory(files)
        do {
            let theory = try Theory.load(dir.appendingPathComponent(main).path, from: .fileSystem)
            XCTFail("loaded (\(theory.lemmas.count) lemmas), expected an error at \(expected) containing \(fragments)", file: file, line: line)
            return nil
        } catch let error as TheoryError {
            guard let location = error.location else {
                XCTFail("error without a location: \(error)", file: file, line: line)
                return error
            }
            let relative = location.file.map { $0.hasPrefix(dir.path + "/") ? String($0.dropFirst(dir.path.count + 1)) : $0 } ?? "?"
            XCTAssertEqual("\(relative):\(location.line):\(location.column)", expected, "\(error)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
            }
            return error
        } catch {
            XCTFail("unexpected error type \(type(of: error)): \(error)", file: file, line: line)
            return nil
        }
    }

    /// A small valid theory to break: a quantity bounded by a lemma, and a theorem proved from it.
    private static let base = """
    symbols
      x : real > 0         "a positive symbol"
      m : integer >= 1     "a count"

    quantities
      Q >= 1  "a quantity"

    lemma L1 "bound on Q" [standard]
      source "test"
      Q <= x + m

    theorem T "bound on log Q" [derived]
      source "test"
      log(Q) <= log(x + m)
    proof
      log(Q) <= log(x + m)   by L1
    qed

    """

    private func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    func testTheBaseTheoryIsValid() throws {
        let dir = try directory(["main.bounds": Self.base])
        let theory = try Theory.load(dir.appendingPathComponent("main.bounds").path, from: .fileSystem)
        let reports = Checker(theory: theory).checkAll()
        XCTAssertEqual(reports.map(\.lemma), ["T"])
        XCTAssertTrue(reports.allSatisfy(\.ok), "\(reports.flatMap(\.steps).map(\.message))")
    }

    // MARK: Imports

    func testCyclicImportsNameTheCycleAtTheImport() throws {
        let error = try assertRefused(["main.bounds": "import \"a.bounds\"\n",
                                       "a.bounds": "# a\nimport \"b.bounds\"\n",
                                       "b.bounds": "\n\n  # b\nimport \"a.bounds\"\n"],
                                      at: "b.bounds:4:8", ["cyclic import", "a.bounds → ", "b.bounds → ", "/a.bounds"])
        XCTAssertNotNil(error)
        try assertRefused(["main.bounds": "import \"main.bounds\"\n"], at: "main.bounds:1:8", ["cyclic import", "main.bounds → ", "/main.bounds"])
        // Through a different spelling of the same path.
        try assertRefused(["main.bounds": "import \"sub/../main.bounds\"\n", "sub/x.bounds": ""], at: "main.bounds:1:8", ["cyclic import"])
    }

    func testMissingAndUnreadableImportsAreLocated() throws {
        try assertRefused(["main.bounds": "# header\nimport \"nothere.bounds\"\n"], at: "main.bounds:2:8", ["cannot read theory file"])
        try assertRefused(["main.bounds": "import \"sub\"\n", "sub/x.bounds": ""], at: "main.bounds:1:8", ["cannot read theory file"])
        try assertRefused(["main.bounds": "import nothere.bounds\n"], at: "main.bounds:1:8", ["quoted string"])
    }

    // MARK: Lemmas and proofs

    func testALemmaThatCitesItself() throws {
        let text = Self.base.replacingOccurrences(of: "by L1", with: "by T")
        try assertRefused(["main.bounds": text], at: "main.bounds:16:29", ["T cites itself"])
    }

    func testCircularProofsAcrossTwoTheorems() throws {
        let text = Self.base + """
        theorem U "again" [derived]
          source "test"
          log(Q) <= log(x + m)
        proof
          log(Q) <= log(x + m)   by T
        qed
        """
        let cyclic = text.replacingOccurrences(of: "log(Q) <= log(x + m)   by L1", with: "log(Q) <= log(x + m)   by U")
        let error = try assertRefused(["main.bounds": cyclic], at: "main.bounds:12:1", ["circular proofs", "T → U → T"])
        XCTAssertNotNil(error)
    }

    func testDuplicateLemmaIds() throws {
        let twice = Self.base + "lemma L1 \"again\" [standard]\n  source \"test\"\n  Q <= 2*x\n"
        try assertRefused(["main.bounds": twice], at: "main.bounds:18:7", ["duplicate lemma id L1", "main.bounds:8:7"])
        // Across files.
        try assertRefused(["main.bounds": "import \"other.bounds\"\n" + Self.base,
                           "other.bounds": "lemma L1 \"elsewhere\" [standard]\n  source \"test\"\n  x <= x\n"],
                          at: "main.bounds:9:7", ["duplicate lemma id L1", "other.bounds:1:7"])
    }

    func testAnUndefinedLemmaCited() throws {
        let text = Self.base.replacingOccurrences(of: "by L1", with: "by L9")
        try assertRefused(["main.bounds": text], at: "main.bounds:16:29", ["T's proof cites L9", "no loaded file defines"])
    }

    /// A symbol no block declares (in a statement, a proof, or a substitution).
    func testAnUndefinedSymbolIsAnError() throws {
        let text = Self.base.replacingOccurrences(of: "x + m", with: "x + zeta")
        try assertRefused(["main.bounds": text], at: "main.bounds:10:12", ["undefined symbol 'zeta' in L1"])
    }

    func testASubstitutionOfAnUndeclaredSymbolIsAnError() throws {
        let text = Self.base.replacingOccurrences(of: "by L1", with: "by L1 [zeta := 1/x]")
        try assertRefused(["main.bounds": text], at: "main.bounds:16:33", ["undefined symbol 'zeta' in a substitution"])
    }

    func testASubstitutionForASymbolTheLemmaDoesNotMentionIsAnError() throws {
        // y is declared but L1 does not mention it: a misspelt substitution must not be ignored silently.
        let text = Self.base
            .replacingOccurrences(of: "  m : integer >= 1     \"a count\"\n", with: "  m : integer >= 1     \"a count\"\n  y : real > 0  \"another\"\n")
            .replacingOccurrences(of: "by L1", with: "by L1 [y := x]")
        try assertRefused(["main.bounds": text], at: "main.bounds:17:33", ["does not mention y", "its symbols: Q, m, x"])
        // The same substitution naming a symbol L1 does mention is accepted.
        let fine = Self.base.replacingOccurrences(of: "by L1", with: "by L1 [m := m]")
        XCTAssertNoThrow(try Theory.load(try directory(["main.bounds": fine]).appendingPathComponent("main.bounds").path, from: .fileSystem))
    }

    func testATheoremWhoseProofIsMissingQed() throws {
        let text = Self.base.replacingOccurrences(of: "qed\n", with: "")
        try assertRefused(["main.bounds": text], at: "main.bounds:15:1", ["not closed", "'qed' is missing"])
        // A proof cut short by the next block.
        let cut = Self.base.replacingOccurrences(of: "qed\n", with: "lemma L2 \"next\" [standard]\n  source \"t\"\n  Q <= x\n")
        XCTAssertThrowsError(try Theory.load(try directory(["main.bounds": cut]).appendingPathComponent("main.bounds").path, from: .fileSystem)) { error in
            XCTAssertNotNil((error as? TheoryError)?.location, "\(error)")
        }
    }

    func testATheoremWithoutAProofAndAProofWithoutATheorem() throws {
        let noProof = lines(Self.base).prefix(14).joined(separator: "\n") + "\n"
        try assertRefused(["main.bounds": noProof], at: "main.bounds:12:1", ["T has no proof"])
        let orphan = "proof\n  x <= x by algebra\nqed\n"
        try assertRefused(["main.bounds": orphan], at: "main.bounds:1:1", ["'proof' must follow a theorem"])
    }

    /// Regression (MutationTests, "strengthen relation" mutants): the checker treats '<' like '<='
    /// (`Strength` in Checker.swift has one `.order` case for both), so it verified `min(x, y) < x` by
    /// monotonicity (false when x <= y), `log(Q) < log(x + m)` from the non-strict L1, and a strict
    /// theorem from a chain of non-strict steps.
    func testRegressionAStrictClaimNeedsAStrictJustification() throws {
        let strictStatement = Self.base.replacingOccurrences(of: "  log(Q) <= log(x + m)\nproof", with: "  log(Q) < log(x + m)\nproof")
        let strictStep = strictStatement.replacingOccurrences(of: "log(Q) <= log(x + m)   by L1", with: "log(Q) < log(x + m)   by L1")
        let monotone = """
        symbols
          x, y : real > 0   "two positives"

        theorem T "min" [derived]
          source "test"
          min(x, y) < x
        proof
          min(x, y) < x   by monotonicity
        qed

        """
        for (name, text) in [("strict statement from a '<=' step", strictStatement), ("strict step from a '<=' lemma", strictStep),
                             ("strict monotonicity where equality is possible", monotone)] {
            let dir = try directory(["main.bounds": text])
            let theory = try Theory.load(dir.appendingPathComponent("main.bounds").path, from: .fileSystem)
            let reports = Checker(theory: theory).checkAll()
            XCTAssertFalse(reports.allSatisfy(\.ok), "\(name): the checker verified a strict inequality that does not follow")
        }
    }

    // MARK: Symbols and assumptions

    func testMalformedSymbolsBlocks() throws {
        let cases: [(String, String, String)] = [
            ("  x real > 0", "main.bounds:2:3", "a symbol line reads"),
            ("  1x : real > 0", "main.bounds:2:3", "is not a symbol name"),
            ("  x, : real > 0", "main.bounds:2:6", "is not a symbol name"),
            ("  x : real > 0 \"unterminated", "main.bounds:2:16", "unterminated string"),
            ("  x : lemma", "main.bounds:2:6", "expected an assumption"),
        ]
        for (line, at, fragment) in cases {
            try assertRefused(["main.bounds": "symbols\n\(line)\n"], at: at, [fragment])
        }
    }

    /// Regression: a symbol line with no names before the colon declared nothing and loaded silently.
    func testRegressionASymbolLineWithoutNamesIsAnError() throws {
        try assertRefused(["main.bounds": "symbols\n  : real > 0  \"nothing\"\n"], at: "main.bounds:2:3", ["symbol"])
    }

    /// Regression: errors inside a symbol's domain are shifted by the length of the symbol's name, up to
    /// past the end of the line: `TheoryParser.parseSymbols` re-assembles the domain as "real beta > 0"
    /// and parses it as if it started at the column after the colon.
    func testRegressionErrorsInsideASymbolDomainPointAtTheWord() throws {
        try assertRefused(["main.bounds": "symbols\n  beta : rael > 0\n"], at: "main.bounds:2:10", ["rael"])
        try assertRefused(["main.bounds": "symbols\n  beta : real >\n"], at: "main.bounds:2:16", ["expected an expression"])
        try assertRefused(["main.bounds": "symbols\n  beta : real in (0 1)\n"], at: "main.bounds:2:18", ["two bounds"])
    }

    func testContradictoryAssumptions() throws {
        try assertRefused(["main.bounds": "symbols\n  beta : real > 0  \"smoothness\"\n  assume beta < 0\n"],
                          at: "main.bounds:3:10", ["contradictory assumptions", "beta"])
        try assertRefused(["main.bounds": "symbols\n  m : integer in (0, 1)  \"no such integer\"\n"],
                          at: "main.bounds:2:6", ["contradictory assumptions", "an integer"])
        // Across files: the clash names both.
        let error = try assertRefused(["main.bounds": "import \"a.bounds\"\nassume beta > 1\n",
                                       "a.bounds": "symbols\n  beta : real in (0, 1)\n"],
                                      at: "main.bounds:2:8", ["contradictory assumptions", "a.bounds:2:"])
        XCTAssertNotNil(error)
    }

    /// Regression: the same contradiction is missed when the relation comes first (k <= M from the
    /// first line, M <= 2 from the second): see ReliabilityTests.testRegressionContradictionThroughARelationStatedFirst.
    func testRegressionContradictionAcrossSymbolLines() throws {
        try assertRefused(["main.bounds": "symbols\n  k : integer in [3, M]\n  M : integer <= 2\n"],
                          at: "main.bounds:3:6", ["contradictory assumptions"])
    }

    // MARK: Size and encoding

    func testDeepNestingAndHugeNumbersInsideATheoryFile() throws {
        let deep = String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)
        let nested = Self.base.replacingOccurrences(of: "  Q <= x + m\n", with: "  Q <= \(deep)\n")
        try assertRefused(["main.bounds": nested], at: "main.bounds:10:1008", ["nested too deeply"])
        let huge = Self.base.replacingOccurrences(of: "  Q <= x + m\n", with: "  Q <= x + 1e999999999\n")
        try assertRefused(["main.bounds": huge], at: "main.bounds:10:12", ["too large"])
        let long = Self.base.replacingOccurrences(of: "  Q <= x + m\n", with: "  Q <= x" + String(repeating: " + x", count: 50_000) + "\n")
        let theory = try Theory.load(try directory(["main.bounds": long]).appendingPathComponent("main.bounds").path, from: .fileSystem)
        XCTAssertNotNil(theory.lemmas["L1"])
    }

    /// Regression: a file with Windows line ends loaded as an empty theory (`bounds check` said
    /// "0 steps verified" and exit 0). `TheoryParser.parse` splits on the Character "\n", and "\r\n" is a
    /// single Character in Swift, so the whole file was one line, a comment.
    func testRegressionWindowsLineEndsLoadTheSameTheory() throws {
        for text in [Self.base, "# a comment first\n" + Self.base] {
            let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
            let dir = try directory(["main.bounds": crlf])
            do {
                let theory = try Theory.load(dir.appendingPathComponent("main.bounds").path, from: .fileSystem)
                XCTAssertEqual(Set(theory.lemmas.keys), ["L1", "T"], "a CRLF file must load the same lemmas as its LF twin")
            } catch {
                XCTFail("a CRLF file must load like its LF twin: \(error)")
            }
        }
    }

    /// Regression (bounds-fuzz): a root file that is not UTF-8 was refused without any location.
    func testRegressionANonUTF8FileIsRefusedWithALocation() throws {
        let dir = try directory([:])
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("main.bounds").path
        var bytes = Array(Self.base.utf8)
        bytes[40] = 0xFF
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertThrowsError(try Theory.load(path, from: .fileSystem)) { error in
            let e = error as? TheoryError
            XCTAssertTrue(e?.message.contains("UTF-8") == true, "\(error)")
            XCTAssertNotNil(e?.location, "a rejection must say where: \(error)")
            XCTAssertEqual(e?.location?.file, path)
        }
    }

    /// Regression (bounds-fuzz): a Unicode line separator inside a line (U+2028, U+0085, a lone CR, VT, FF)
    /// moved every later error of that line to the next line of the file. `TheoryParser` splits lines at
    /// "\n" only, but `Lexer.advance` starts a new line at every `Character.isNewline`.
    func testRegressionUnicodeLineSeparatorsDoNotShiftErrorLocations() throws {
        for separator in ["\u{2028}", "\u{0085}", "\r", "\u{000B}", "\u{000C}"] {
            let text = Self.base.replacingOccurrences(of: "  Q <= x + m\n", with: "  Q <= x\(separator) + )\n")
            try assertRefused(["main.bounds": text], at: "main.bounds:10:13", ["expected an expression after '+'"])
        }
    }

    // MARK: The real CLI

    private struct Run { var status: Int32; var signaled: Bool; var stdout: String; var stderr: String }

    private func bounds(_ arguments: [String]) throws -> Run {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent(), Self.root.appendingPathComponent(".build-fuzz/debug")]
        guard let binary = candidates.map({ $0.appendingPathComponent("bounds") }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("the bounds binary is not built (swift build --scratch-path .build-fuzz --product bounds)")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-adv-out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-adv-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    /// Regression (bounds-fuzz): evaluating `x^(-9223372036854775808)` trapped in `abs(Int.min)`
    /// (Evaluator.swift `PowerPlan.init`), so `bounds eval` on this theory died with SIGILL instead of
    /// printing a value (0) or a located error.
    func testRegressionEvaluatingAnIntMinPowerDoesNotCrash() throws {
        let text = """
        symbols
          x : real > 0   "x"

        quantities
          R >= 0  "r"

        lemma L "l" [standard]
          source "s"
          R <= x^(-9223372036854775808)

        derive b "b"
          start R
          by L

        """
        let dir = try directory(["intmin.bounds": text])
        let r = try bounds(["eval", dir.appendingPathComponent("intmin.bounds").path, "--set", "x=2"])
        XCTAssertFalse(r.signaled, "bounds eval died with signal \(r.status): \(r.stderr.prefix(800))")
        XCTAssertTrue(!r.signaled && (r.status == 0 || r.status == 2), "exit \(r.status): \(r.stderr.prefix(800))")
    }

    func testCLIExitsTwoWithTheLocationOnStandardError() throws {
        let dir = try directory(["main.bounds": "import \"a.bounds\"\n", "a.bounds": "import \"main.bounds\"\n",
                                 "noqed.bounds": Self.base.replacingOccurrences(of: "qed\n", with: ""),
                                 "selfcite.bounds": Self.base.replacingOccurrences(of: "by L1", with: "by T"),
                                 "ok.bounds": Self.base])
        let cases: [(String, String)] = [
            ("main.bounds", "a.bounds:1:8: error: cyclic import"),
            ("noqed.bounds", "noqed.bounds:15:1: error: the proof is not closed: 'qed' is missing"),
            ("selfcite.bounds", "selfcite.bounds:16:29: error: T cites itself in its proof"),
        ]
        for (name, message) in cases {
            let r = try bounds(["check", dir.appendingPathComponent(name).path])
            XCTAssertEqual(r.status, 2, "\(name): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(name): stderr was \(r.stderr)")
        }
        // A parse error in an expression argument: exit 2 with the column.
        let s = try bounds(["simplify", "x + (y *"])
        XCTAssertEqual(s.status, 2)
        XCTAssertTrue(s.stderr.contains("<expression>:1:9: error:"), s.stderr)
        // The valid twin: exit 0; a wrong step: exit 1.
        XCTAssertEqual(try bounds(["check", dir.appendingPathComponent("ok.bounds").path]).status, 0)
        let wrong = try directory(["w.bounds": Self.base.replacingOccurrences(of: "log(Q) <= log(x + m)   by L1", with: "log(Q) <= log(x)   by L1")])
        XCTAssertEqual(try bounds(["check", wrong.appendingPathComponent("w.bounds").path]).status, 1)
    }
}
