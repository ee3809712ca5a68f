import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// Errors about names point at the name's own token (`file:line:column`, columns in characters: a tab, a Greek
/// letter or an emoji is one column), with "did you mean" when a defined name is close and without it otherwise.
final class DiagnosticsTests: XCTestCase {

    /// A small valid theory: every test breaks one thing in it. Line numbers are noted on the right.
    static let base = """
    symbols
      x : real > 0             "a positive symbol"
      m : integer >= 1         "a count"
      n : integer >= 2         "sample size"
      delta : real in (0, 1]   "radius"
      theta : real > 0         "an exponent"

    quantities
      Risk >= 0 independent of delta   "risk"
      Cover(delta) >= 1                "cover"

    lemma L1 "bound on Risk" [standard]
      source "test"
      if m >= 1
      Risk <= x + log(Cover(delta))

    lemma COV "cover" [standard]
      source "test"
      log(Cover(delta)) <= m*log(1/delta)

    theorem T "bound on Risk" [derived]
      source "test"
      Risk <= x + m*log(n)
    proof
      Risk <= x + log(Cover(1/n))   by L1 [delta := 1/n]
           <= x + m*log(n)          by COV
    qed

    derive bound "the bound"
      as n -> oo
      start Risk
      by L1 [delta := 1/n]
      by COV

    law D1 "growth"
      bound bound
      as n -> oo

    """
    // Lines: 12 lemma L1, 15 its statement, 17 lemma COV, 21 theorem T, 23 its statement, 24 proof, 25-26 its
    // steps, 29 derive, 30 its path, 31 start, 32-33 by, 35 law, 36 bound, 37 its path; text appended starts at 38.

    /// `base` with `old` replaced by `new` (which must occur exactly once).
    func edited(_ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(Self.base.components(separatedBy: old).count, 2, "test setup: '\(old)' must occur once", file: file, line: line)
        return Self.base.replacingOccurrences(of: old, with: new)
    }

    /// The error loading `text` as `test.bounds`; fails the test when it loads.
    func refusal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TheoryError? {
        do {
            _ = try Theory.load("test.bounds", from: .memory(["test.bounds": text]))
            XCTFail("the theory loaded; an error was expected", file: file, line: line)
            return nil
        } catch let e as TheoryError {
            return e
        } catch {
            XCTFail("not a TheoryError: \(type(of: error)) \(error)", file: file, line: line)
            return nil
        }
    }

    /// Requires the error `test.bounds:LINE:COLUMN: error: ...` containing every fragment and none of `absent`.
    func assertError(_ text: String, at expected: String, _ fragments: [String], absent: [String] = [],
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let e = refusal(text, file: file, line: line) else { return }
        XCTAssertEqual(e.location.map { "\($0.line):\($0.column)" }, expected, "\(e)", file: file, line: line)
        XCTAssertEqual(e.location?.file, "test.bounds", "\(e)", file: file, line: line)
        XCTAssertTrue("\(e)".hasPrefix("test.bounds:\(expected): error: "), "\(e)", file: file, line: line)
        for f in fragments { XCTAssertTrue(e.message.contains(f), "'\(e.message)' lacks '\(f)'", file: file, line: line) }
        for f in absent { XCTAssertFalse(e.message.contains(f), "'\(e.message)' has '\(f)'", file: file, line: line) }
    }

    func testTheBaseTheoryLoads() throws {
        let theory = try Theory.load("test.bounds", from: .memory(["test.bounds": Self.base]))
        XCTAssertEqual(theory.lemmaOrder, ["L1", "COV", "T"])
        XCTAssertTrue(Checker(theory: theory).checkAll().allSatisfy(\.ok))
    }

    // MARK: Symbols and quantities in expressions

    func testAnUndefinedSymbolInAStatementIsAtItsToken() {
        // With a close name: the suggestion; far from every name: the hint to declare it.
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + thetaa*log(Cover(delta))"),
                    at: "15:15", ["undefined symbol 'thetaa' in L1", "did you mean 'theta'?"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + zzz*log(Cover(delta))"),
                    at: "15:15", ["undefined symbol 'zzz' in L1", "declare it in a 'symbols' block"], absent: ["did you mean"])
        // The first of two undefined names, whichever the sorted order.
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + zb + za"), at: "15:15", ["'zb'"])
    }

    func testUndefinedSymbolsInHypothesesProofsAndSubstitutions() {
        assertError(edited("  if m >= 1", "  if mm >= 1 + x"), at: "14:6", ["undefined symbol 'mm' in a hypothesis of L1"])
        // In a continued proof step, and in the first one (its left side).
        assertError(edited("       <= x + m*log(n)          by COV", "       <= x + m*log(nn)         by COV"),
                    at: "26:21", ["undefined symbol 'nn' in the proof of T"])
        assertError(edited("  Risk <= x + log(Cover(1/n))   by L1", "  Risk <= xx + log(Cover(1/n))  by L1"),
                    at: "25:11", ["undefined symbol 'xx' in the proof of T"])
        // A substitution's value, and its target.
        assertError(edited("by L1 [delta := 1/n]\n       <=", "by L1 [delta := 1/nn]\n       <="),
                    at: "25:51", ["undefined symbol 'nn' in a substitution"])
        assertError(edited("by L1 [delta := 1/n]\n       <=", "by L1 [dleta := 1/n]\n       <="),
                    at: "25:40", ["undefined symbol 'dleta' in a substitution", "did you mean 'delta'?"])
    }

    func testUndefinedSymbolsInDerivationsAndLaws() {
        assertError(edited("  start Risk", "  start Rsik"), at: "31:9", ["undefined symbol 'Rsik' in derive bound", "did you mean 'Risk'?"])
        assertError(edited("  by L1 [delta := 1/n]\n  by COV", "  by L1 [delta := 1/nx]\n  by COV"),
                    at: "32:21", ["undefined symbol 'nx' in a substitution"])
        assertError(edited("law D1 \"growth\"\n  bound bound\n  as n -> oo", "law D1 \"growth\"\n  bound bound\n  as n -> oo with m = n^thta\n  minimize theta"),
                    at: "38:12", ["law D1 minimizes 'theta', which its path's substitutions do not use", "did you mean 'thta'?"])
        assertError(edited("law D1 \"growth\"\n  bound bound\n  as n -> oo", "law D1 \"growth\"\n  bound bound\n  as n -> oo with mm = n^theta"),
                    at: "37:19", ["undefined symbol 'mm' in law D1"])
        assertError(edited("  bound bound\n  as n -> oo", "  bound bound\n  budget C = x*n"), at: "37:10", ["undefined symbol 'C' in law D1 ('budget')"])
        assertError(edited("  bound bound\n  as n -> oo", "  bound bound\n  as n -> oo\n  values x = 1, mx = 2"),
                    at: "38:17", ["undefined symbol 'mx' in law D1 ('values')"])
    }

    func testUndefinedAndMisusedQuantities() {
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + log(Covr(delta))"),
                    at: "15:19", ["undefined quantity 'Covr' in L1", "did you mean 'Cover'?"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + cos(delta)"),
                    at: "15:15", ["undefined quantity 'cos'", "not a built-in function"], absent: ["did you mean"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + log(Cover(delta, m))"),
                    at: "15:19", ["quantity Cover takes 1 argument", "given 2"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + Cover"), at: "15:15", ["quantity Cover takes 1 argument: write Cover(delta)"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + m(delta)"), at: "15:15", ["'m' is a symbol, not a quantity"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk(n) <= x"), at: "15:3", ["quantity Risk takes no arguments"])
    }

    func testUndefinedNamesInDeclarations() {
        // An assumption (a symbol's domain, an `assume` line) and a definition.
        assertError(edited("  m : integer >= 1         \"a count\"", "  m : integer in [1, M]    \"a count\""),
                    at: "3:22", ["undefined symbol 'M' in an assumption", "did you mean 'm'?"])
        assertError(edited("  theta : real > 0         \"an exponent\"", "  theta : real > 0         \"an exponent\"\n  assume theta <= thetamax"),
                    at: "7:19", ["undefined symbol 'thetamax' in an assumption"], absent: ["did you mean"])
        assertError(Self.base + "define K = x + y\n", at: "38:16", ["undefined symbol 'y' in the definition of K"])
        assertError(Self.base + "specialize S \"s\" [alternative]\n  source \"s\"\n  set mm = 1\n", at: "40:7", ["undefined symbol 'mm' in specialize S"])
        // A quantity's lower bound.
        assertError(edited("  Cover(delta) >= 1                \"cover\"", "  Cover(delta) >= one               \"cover\""),
                    at: "10:19", ["undefined symbol 'one' in the declaration of Cover"])
    }

    // MARK: Lemmas, bounds, paths

    func testAnUndefinedLemmaCitedInAProofOrADerivation() {
        assertError(edited("by COV\nqed", "by COW\nqed"), at: "26:36", ["T's proof cites COW, which no loaded file defines", "did you mean 'COV'?"])
        assertError(edited("by COV\nqed", "by Hoeffding\nqed"), at: "26:36", ["cites Hoeffding"], absent: ["did you mean"])
        assertError(edited("  by COV\n\nlaw", "  by CVO\n\nlaw"), at: "33:6", ["derive bound cites CVO", "did you mean 'COV'?"])
        // Self-citation points at the citation.
        assertError(edited("by COV\nqed", "by T\nqed"), at: "26:36", ["T cites itself"])
    }

    func testLawsBoundAndPathNames() {
        assertError(edited("  bound bound\n", "  bound bund\n"), at: "36:9", ["law D1 uses bound 'bund', which no 'derive' block defines", "did you mean 'bound'?"])
        assertError(edited("  bound bound\n  as n -> oo", "  bound bound\n  as nn -> oo"), at: "37:6", ["undefined symbol 'nn' in law D1"])
        assertError(edited("  as n -> oo\n  start", "  as n -> oo fixed x, thta\n  start"),
                    at: "30:23", ["undefined symbol 'thta' in derive bound ('fixed')", "did you mean 'theta'?"])
        assertError(edited("  as n -> oo\n  start", "  as n -> oo fixed n\n  start"), at: "30:20", ["cannot be both growing and fixed"])
    }

    func testDuplicateNamesPointAtTheSecondId() {
        assertError(Self.base + "lemma COV \"again\" [standard]\n  source \"s\"\n  x <= x\n", at: "38:7", ["duplicate lemma id COV", "test.bounds:17:7"])
        assertError(Self.base + "derive bound \"again\"\n  start Risk\n", at: "38:8", ["duplicate derivation id bound", "test.bounds:29:8"])
        assertError(Self.base + "law D1 \"again\"\n  bound bound\n", at: "38:5", ["duplicate law id D1", "test.bounds:35:5"])
        assertError(edited("  n : integer >= 2         \"sample size\"", "  n, x : integer >= 2      \"sample size\""), at: "4:6", ["symbol x is declared twice"])
        // Files that share a symbol each declare it once: allowed.
        let other = "symbols\n  x : real > 0  \"again, elsewhere\"\n"
        XCTAssertNoThrow(try Theory.load("test.bounds", from: .memory(["test.bounds": "import \"other.bounds\"\n" + Self.base, "other.bounds": other])))
    }

    func testKeywordsAndTags() {
        assertError(edited("lemma COV", "lema COV"), at: "17:1", ["unknown keyword 'lema'", "did you mean 'lemma'?"])
        assertError(edited("lemma COV", "frobnicate COV"), at: "17:1", ["unknown keyword 'frobnicate'", "expected import"], absent: ["did you mean"])
        assertError(edited("\"cover\" [standard]", "\"cover\" [standrd]"), at: "17:20", ["unknown tag 'standrd'", "did you mean 'standard'?"])
        assertError(edited("  source \"test\"\n  log(Cover", "  sourse \"test\"\n  log(Cover"), at: "18:3", ["did you mean 'source'?"])
        assertError(edited("  bound bound\n", "  bonud bound\n"), at: "36:3", ["unknown line in law D1", "did you mean 'bound'?"])
        assertError(edited("  start Risk", "  strat Risk"), at: "31:3", ["unknown line in derive bound", "did you mean 'start'?"])
    }

    func testAMissingImportSuggestsAFileBesideIt() {
        let files = ["test.bounds": "import \"lib/rats.bounds\"\n" + Self.base, "lib/rates.bounds": "symbols\n  y : real > 0\n"]
        do {
            _ = try Theory.load("test.bounds", from: .memory(files))
            XCTFail("loaded")
        } catch {
            XCTAssertEqual("\(error)", "test.bounds:1:8: error: no theory file 'lib/rats.bounds'; did you mean 'rates.bounds'?")
        }
        let far = ["test.bounds": "import \"lib/zzz.bounds\"\n" + Self.base, "lib/rates.bounds": "symbols\n  y : real > 0\n"]
        XCTAssertThrowsError(try Theory.load("test.bounds", from: .memory(far))) { error in
            XCTAssertEqual("\(error)", "test.bounds:1:8: error: no theory file 'lib/zzz.bounds'")
        }
    }

    // MARK: Alternatives

    func testAlternativesSuggestCloseIdsAndNames() throws {
        let files = ["main.bounds": Self.base,
                     "alternatives/A1.bounds": "import \"../main.bounds\"\n\nlemma A1 \"tighter cover\" [alternative]\n  source \"s\"\n  replaces COV\n  log(Cover(delta)) <= m*log(1/delta)\n",
                     "alternatives/A2.bounds": "import \"../main.bounds\"\n\nlemma A2 \"broken\" [alternative]\n  source \"s\"\n  replaces CVO\n  log(Cover(delta)) <= m*log(1/delta)\n"]
        var theory = try Theory.load("main.bounds", from: .memory(files))
        XCTAssertThrowsError(try theory.use("A11")) { error in
            XCTAssertTrue("\(error)".contains("no alternative 'A11'; did you mean 'A1'?"), "\(error)")
        }
        XCTAssertThrowsError(try theory.use("tigher cover")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'tighter cover'?"), "\(error)")
        }
        XCTAssertThrowsError(try theory.use("Z")) { error in
            XCTAssertFalse("\(error)".contains("did you mean"), "\(error)")
            XCTAssertTrue("\(error)".contains("available: A1 (tighter cover), A2 (broken)"), "\(error)")
        }
        XCTAssertThrowsError(try theory.use("A2")) { error in
            let e = error as? TheoryError
            XCTAssertEqual(e?.location, SourceLocation(file: "alternatives/A2.bounds", line: 5, column: 12), "\(error)")
            XCTAssertTrue("\(error)".contains("A2 replaces CVO, which this theory does not have; did you mean 'COV'?"), "\(error)")
        }
        var fresh = try Theory.load("main.bounds", from: .memory(files))
        XCTAssertNoThrow(try fresh.use("A1"))
        XCTAssertEqual(fresh.swaps.first?.0, "A1")
    }

    // MARK: Columns: tabs, Unicode, long lines

    func testColumnsCountCharacters() {
        // A tab is one column.
        assertError(edited("  Risk <= x + log(Cover(delta))", "\tRisk <=\tx + zeta"), at: "15:14", ["'zeta'"])
        // Greek letters stand for their names; each is one column, and so is an emoji (a single character of many scalars).
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= θ·x + β"), at: "15:17", ["undefined symbol 'beta'"])
        assertError(edited("lemma L1 \"bound on Risk\"", "lemma L1 \"bound 👩‍👩‍👧 on Risk\"").replacingOccurrences(of: "[standard]\n  source \"test\"\n  if", with: "[papr]\n  source \"test\"\n  if"),
                    at: "12:29", ["unknown tag 'papr'", "did you mean 'paper'?"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + é"), at: "15:15", ["unexpected character 'é'"])
        // CJK text in a quoted string before the error, and a combining accent (one character with the letter).
        assertError(edited("lemma L1 \"bound on Risk\" [standard]", "lemma L1 \"界限 on Risk\" [papr]"), at: "12:24", ["unknown tag 'papr'"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + m\u{0301}"), at: "15:15", ["unexpected character"])
        // CRLF line ends do not move columns.
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= x + zeta").replacingOccurrences(of: "\n", with: "\r\n"), at: "15:15", ["'zeta'"])
    }

    func testAVeryLongLine() {
        let terms = Array(repeating: "x", count: 4000).joined(separator: " + ")
        // "  Risk <= " is 10 columns, then 4000 x's joined by " + " (15997), then " + ".
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= \(terms) + zeta"), at: "15:\(10 + 15997 + 4)", ["'zeta'"])
        assertError(edited("  Risk <= x + log(Cover(delta))", "  Risk <= \(terms) +"), at: "15:\(10 + 15997 + 3)", ["expected an expression after '+'"])
    }

    // MARK: Malformed files

    func testMalformedFilesGiveLocatedErrors() {
        let cases: [(String, String, String)] = [
            (edited("  source \"test\"\n  if", "  source \"test\n  if"), "13:10", "unterminated string"),
            (edited("qed\n", ""), "24:1", "'qed' is missing before 'derive' at line 28"),
            (edited("  Risk <= x + log(Cover(delta))", "  Risk <= (x + log(Cover(delta))"), "15:33", "expected ')' to close '(' opened at 15:11"),
            (edited("by L1 [delta := 1/n]\n       <=", "by L1 [delta := 1/n\n       <="), "25:39", "a substitution reads"),
            (edited("by L1 [delta := 1/n]\n       <=", "by L1 [delta := 1/n, delta := 2]\n       <="), "25:54", "'delta' is substituted twice"),
            (edited("  Risk <= x + log(Cover(delta))", "  Risk <= x\u{0}"), "15:12", "U+0000"),
            (edited("  Risk <= x + log(Cover(delta))", "  Risk <= " + String(repeating: "(", count: 1500) + "x" + String(repeating: ")", count: 1500)), "15:1011", "nested too deeply"),
            ("  symbols\n", "1:3", "an indented line outside any block"),
            ("lemma\n", "1:6", "needs an id"),
            ("qed\n", "1:1", "'qed' without a proof"),
            ("quantities\n  Q(( >= 1\n", "2:3", "a quantity line reads"),
        ]
        for (text, at, fragment) in cases { assertError(text, at: at, [fragment]) }
    }

    /// Declarations are global to the theory: a symbol may be declared after the lemma that uses it.
    func testASymbolDeclaredAfterItsUseLoads() throws {
        let start = Self.base.range(of: "quantities")!.lowerBound
        let reordered = String(Self.base[start...]) + "\n" + String(Self.base[..<start])
        let theory = try Theory.load("test.bounds", from: .memory(["test.bounds": reordered]))
        XCTAssertTrue(Checker(theory: theory).checkAll().allSatisfy(\.ok))
    }

    /// Every name written in the bundled theory's statements, proofs, derivations and laws, misspelt one at a time
    /// (two letters put before it), is refused at exactly its own line and column.
    func testEveryMisspeltNameOfTheBundledTheoryIsReportedAtItsToken() throws {
        var files: [String: String] = [:]
        let root = repositoryRoot.appendingPathComponent("theorems")
        for path in try FileManager.default.subpathsOfDirectory(atPath: root.path) where path.hasSuffix(".bounds") {
            files[path] = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        let main = TheorySource.defaultTheoryPath
        let theory = try Theory.load(main, from: .memory(files))
        var tried = 0
        for file in theory.files {
            let lines = files[file]!.components(separatedBy: "\n")
            let minimized = Set(lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("minimize ") }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," }).dropFirst().map(String.init) })
            for occurrence in theory.names[file] ?? [] {
                let line = Array(lines[occurrence.location.line - 1])
                let text = String(line)
                let column = occurrence.location.column
                // Not uses: block ids, alternatives' targets, the names of terms, `independent of` lists (which
                // may name symbols declared elsewhere), and free exponents (a slip in one is reported at `minimize`).
                if !(text.first == " " || text.first == "\t") { continue }
                let content = text.trimmingCharacters(in: .whitespaces)
                if content.hasPrefix("replaces ") || content.hasPrefix("terms ") { continue }
                if let r = text.range(of: "independent of"), text.distance(from: text.startIndex, to: r.lowerBound) < column { continue }
                if minimized.contains(occurrence.name) { continue }
                var edited = lines
                edited[occurrence.location.line - 1] = String(line[..<(column - 1)]) + "zq" + String(line[(column - 1)...])
                var mutated = files
                mutated[file] = edited.joined(separator: "\n")
                tried += 1
                do {
                    _ = try Theory.load(main, from: .memory(mutated))
                    XCTFail("\(file):\(occurrence.location.line):\(column): 'zq\(occurrence.name)' loaded")
                } catch let e as TheoryError {
                    XCTAssertEqual(e.location, occurrence.location, "'zq\(occurrence.name)': \(e)")
                }
            }
        }
        XCTAssertGreaterThan(tried, 150, "too few names tried")
    }
}
