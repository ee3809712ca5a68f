import XCTest
import Symbolic
@testable import Derivation

/// Cases from the thirteenth README-only attack (2026-12-03): definitions without a value on part of the
/// domain, which let `by definition` prove anything there, and steps citing a theorem whose own proof fails.
/// (The false theories themselves are in MustFail/round6.)
final class AttackRound13Tests: XCTestCase {
    private func loadError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TheoryError? {
        do {
            _ = try theory(text)
            XCTFail("loaded", file: file, line: line)
            return nil
        } catch let e as TheoryError {
            return e
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    /// A definition must have a value wherever the assumptions hold; the error is at the definition.
    func testADefinitionWithoutAValueSomewhereIsALocatedError() {
        let cases: [(symbols: String, define: String)] = [
            ("  x : real\n  D : real >= 0", "define D = sqrt(x)"),
            ("  x : real\n  y : real\n  D : real", "define D = (x - y)^(1/2)"),
            ("  x : real\n  D : real > 0", "define D = 1/x^2"),
            ("  x : real\n  D : real", "define D = sqrt(x)*sqrt(-x)"),
            ("  n : integer >= 2\n  D : real", "define D = sqrt(1 - n)"),
            ("  n : integer >= 2\n  V : integer >= 1\n  G : real >= 0", "define G = sqrt(log(n/V))"),
            ("  x : real\n  D : real", "define D = log(x)"),
            ("  x : real >= 0\n  D : real", "define D = 1/x"),
            ("  n : integer >= 1\n  k : integer >= 0\n  D : real", "define D = binom(n, k)"),
        ]
        for c in cases {
            let text = "symbols\n\(c.symbols)\n\n\(c.define) \"d\"\n"
            guard let error = loadError(text) else { continue }
            XCTAssertTrue(error.message.contains("is not known to be defined everywhere"), "\(c.define): \(error.message)")
            XCTAssertEqual(error.location?.line, c.symbols.split(separator: "\n").count + 3, c.define)
        }
    }

    /// Definitions that are defined on the whole domain still load, also where only the kernel's sign proofs (not
    /// the quick oracle) show it, and a step `by definition` through them still checks.
    func testDefinitionsDefinedEverywhereStillLoadAndCheck() throws {
        let t = try theory("""
        symbols
          x : real >= 0
          D : real >= 0
          E : real >= 1
          E_start : real > 1
          E_max : real > 1
          E_sat : real > 0
          E_hat : real > 0
          n : integer >= 2
          V : integer >= 1
          assume E_start < E_max
          assume V <= n
          G : real >= 0

        define D = sqrt(x) "d"
        define E_sat = 1/(1/E_start - 1/E_max) "offset"
        define E_hat = 1/(1/(E - 1 + E_sat) + 1/E_max) "transform"
        define G = sqrt(log(n/V)) "g"

        theorem A "t" [derived]
          source "me"
          x >= 0
        proof
          x = D^2   by definition
            >= 0    by algebra
        qed
        """)
        let reports = Checker(theory: t).checkAll()
        XCTAssertTrue(reports.allSatisfy(\.ok), "\(reports.flatMap(\.steps).filter { !$0.ok }.map(\.message))")
    }

    private let unprovedChain = """
    symbols
      x : real

    theorem C "false" [derived]
      source "me"
      x <= x - 1
    proof
      x <= x + 1   by algebra
    qed

    theorem B "cites C" [derived]
      source "me"
      x^2 <= x^2 - 1
    proof
      x^2 <= x^2 - 1   by C [x := x^2]
    qed

    theorem A "cites B" [derived]
      source "me"
      x^2 <= x^2 - 1
    proof
      x^2 <= x^2 - 1   by B
    qed

    theorem T "true" [derived]
      source "me"
      x <= x + 1
    proof
      x <= x + 1   by algebra
    qed

    theorem U "cites T" [derived]
      source "me"
      x^2 <= x^2 + 1
    proof
      x^2 <= x^2 + 1   by T [x := x^2]
    qed
    """

    /// A step citing a theorem whose proof is not accepted is undecided, and so is every proof resting on it,
    /// through chains of citations; citations of proved theorems are unaffected.
    func testAStepCitingAnUnprovedTheoremIsNotAccepted() throws {
        let t = try theory(unprovedChain)
        let reports = Dictionary(uniqueKeysWithValues: Checker(theory: t).checkAll().map { ($0.lemma, $0) })
        for id in ["C", "B", "A"] {
            let report = try XCTUnwrap(reports[id])
            XCTAssertFalse(report.ok, "\(id) was accepted")
        }
        for id in ["B", "A"] {
            let step = try XCTUnwrap(reports[id]?.steps.first)
            XCTAssertFalse(step.ok)
            XCTAssertTrue(step.undecided)
            XCTAssertTrue(step.message.contains("own proof is not accepted"), step.message)
            XCTAssertTrue(try XCTUnwrap(reports[id]?.steps.last).message.contains("rests on a theorem whose proof is not accepted"))
        }
        XCTAssertTrue(try XCTUnwrap(reports["T"]).ok)
        XCTAssertTrue(try XCTUnwrap(reports["U"]).ok)
    }

    /// An imported file's declaration that makes the importer's symbol an integer, or excludes part of its interval,
    /// narrows every statement of the importer: a warning names both declarations. Narrowing the imported
    /// file's symbol (what an importer's declaration is for) and identical declarations give none.
    func testAnImportThatNarrowsTheImportersDeclarationIsWarnedAbout() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "symbols\n  M : integer >= 1\n  x : real > 0\n  y : real >= 0\n".write(to: dir.appendingPathComponent("lib.bounds"), atomically: true, encoding: .utf8)
        func warnings(_ declarations: String) throws -> [String] {
            let path = dir.appendingPathComponent("main-\(UUID().uuidString).bounds")
            try "import \"lib.bounds\"\nsymbols\n\(declarations)\n".write(to: path, atomically: true, encoding: .utf8)
            return try Theory.load(path.path, from: .fileSystem).warnings.map(\.message)
        }
        let real = try warnings("  M : real >= 1")
        XCTAssertEqual(real.count, 1, "\(real)")
        XCTAssertTrue(real.first?.contains("M is an integer throughout") == true, "\(real)")
        XCTAssertEqual(try warnings("  x : real").count, 1)
        XCTAssertEqual(try warnings("  x : real < 1").count, 1)
        XCTAssertEqual(try warnings("  x : real >= 1").count, 0, "the importer narrows the library's x")
        XCTAssertEqual(try warnings("  y : real >= 0").count, 0, "the same declaration")
        XCTAssertEqual(try warnings("  M : integer >= 2").count, 0)
    }
}
