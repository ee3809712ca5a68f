import Foundation
import XCTest

/// Attack round 6 (values, compare, specialize, the library): each was a false output or a crash, kept with its
/// counterexample.
final class AttackRound6Tests: XCTestCase {
    func run(_ arguments: [String], in directory: URL? = nil) throws -> BoundsProcess.Output { try BoundsProcess.run(arguments, in: directory) }

    func write(_ text: String, to relative: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-round6-\(UUID().uuidString)")
        let file = dir.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return dir
    }

    static let contradiction = """
    symbols
      n : real >= 2   "n"
      M : real >= 1   "m"
    quantities
      Risk >= 0 "risk"
    lemma L1 "x" [paper]
      source "x"
      Risk <= M^(-1) + 1/n
    lowerbound LB "lb" [standard]
      source "x"
      as n -> oo
      Risk >~ n^(-1/2)
    derive bound "b"
      start Risk
      by L1
    law R "rate"
      bound bound
      as n -> oo with M = n^mu
      minimize mu
    """

    /// A theory named DIR/FILE (one relative folder) crashed (SIGILL) where the alternatives folder is located.
    func testATheoryInOneRelativeFolderDoesNotCrash() throws {
        let dir = try write(Self.contradiction, to: "d/au.bounds")
        for command in [["derive", "d/au.bounds"], ["audit", "d/au.bounds"], ["latex", "d/au.bounds"]] {
            let r = try run(command, in: dir)
            XCTAssertFalse(r.signaled, "\(command): \(r.stderr)")
            XCTAssertTrue([0, 1].contains(r.status), "\(command): \(r.status) \(r.stderr)")
        }
    }

    /// With D in [1, 5] the Chinchilla law is undecided (the optimum sits at D = 5), and the stationary point
    /// N* = G·(C/6)^a is not the optimum: no closed form may be printed (at C = 1e20 it gives D* = 2.6e10 > 5).
    func testAnUndecidedLawPrintsNoClosedForm() throws {
        let r = try run(["derive", "theorems/empirical/chinchilla.bounds", "--assume", "D <= 5"], in: CLITests.root)
        XCTAssertTrue(r.stdout.contains("undecided"), r.stdout)
        XCTAssertFalse(r.stdout.contains("closed form: N*"), r.stdout)
        XCTAssertTrue(r.stdout.contains("no closed form: the law is undecided"), r.stdout)
    }

    /// specialize values without a value (log(0)) or written through the symbol they set (n = n^2 has no solution
    /// with n >= 2) are errors at the block, not laws like risk ≍ Õ(n^(-log(0))).
    func testSpecializationsNeedAdmissibleValues() throws {
        for setting in ["beta = log(0)", "beta = 1/0", "n = n^2", "beta = exp(beta)", "beta = -1"] {
            let dir = try write("""
            import "theory/havrilla-liao-2024.bounds"
            specialize S1 "bad" [alternative]
              source "test"
              set \(setting)
            """, to: "spec.bounds")
            let lib = CLITests.root.appendingPathComponent("theorems")
            try? FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("theory"), withDestinationURL: lib.appendingPathComponent("theory"))
            try? FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("standard"), withDestinationURL: lib.appendingPathComponent("standard"))
            let r = try run(["derive", "spec.bounds", "--use", "S1"], in: dir)
            XCTAssertEqual(r.status, 2, "\(setting): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("spec.bounds:2:1: error: specialize S1 sets"), "\(setting): \(r.stderr)")
        }
    }

    /// `eval --set N_eff=5` evaluated the bound where N_eff is not its definition (Mixtral's is 1.26e10).
    func testEvalRefusesToOverrideADefinedSymbol() throws {
        let r = try run(["eval", "--set", "N_eff=5"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("N_eff is defined"), r.stderr)
    }

    /// n^(1/0) has no value, so no growth: it was printed as n^(1/0) with a dominant term.
    func testAsymptoticRefusesAnUndefinedExpression() throws {
        for e in ["n^(1/0)", "n^(log(0))"] {
            let r = try run(["asymptotic", e, "--as", "n->oo"])
            XCTAssertEqual(r.status, 2, e)
            XCTAssertTrue(r.stderr.contains("is not proved defined"), r.stderr)
        }
    }

    /// The inference-aware law holds D_inf fixed (with D_inf = C^0.9 the rate fails): its path says so, and its
    /// values are printed once.
    func testASumBudgetLawNamesTheParametersItHoldsFixed() throws {
        let r = try run(["derive", "theorems/empirical/sardana-frankle-2024-inference.bounds"], in: CLITests.root)
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("SF_C ") }, r.stdout)
        XCTAssertTrue(line.contains("D_inf, E, alpha, beta fixed]"), String(line))
        XCTAssertEqual(r.stdout.components(separatedBy: "r (risk ≍ C^r)").count - 1, 1, r.stdout)
    }
}
