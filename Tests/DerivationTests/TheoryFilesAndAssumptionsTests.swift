import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// Alternatives defined in the theory's own files, one file named two ways, and compound assumptions that the
/// sign oracle must use.
final class TheoryFilesAndAssumptionsTests: XCTestCase {
    static let spec = """
    symbols
      N : real >= 1   "params"
      D : real >= 1   "data"
      C : real > 0    "compute"
      A, B : real > 0 "coefs"
      a, b : real > 0 "exps"
    quantities
      Loss >= 0 "loss"
    lemma L "power law" [paper]
      source "test"
      Loss = A*N^(-a) + B*D^(-b)
    derive loss "loss"
      start Loss
      by L
    law opt "allocation"
      bound loss
      budget C = 6*N*D

    specialize S1 "equal exponents" [alternative]
      source "a = b"
      set b = a
    """

    static let specfile = """
    import "spec.bounds"
    specialize S2 "half data exponent" [alternative]
      source "b = 1/2"
      set b = 1/2
    """

    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-files-\(UUID().uuidString)")
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// A `specialize` block is found by its id (or name) from the file that holds it, and from a file that imports it.
    func testSpecializeIsUsableFromItsOwnFile() throws {
        let dir = try folder(["spec.bounds": Self.spec, "specfile.bounds": Self.specfile])
        var t = try Theory.load(dir.appendingPathComponent("spec.bounds").path, from: .fileSystem)
        XCTAssertTrue(t.alternativesCatalog().contains { $0.id == "S1" })
        try t.use("S1")
        XCTAssertEqual(t.swaps.map(\.0), ["S1"])
        let run = try DerivationRun(theory: t, audit: false)
        assertSameExponent(run.law("opt")?.exponent("risk"), "-a/2", t.assumptions)
        var byName = try Theory.load(dir.appendingPathComponent("spec.bounds").path, from: .fileSystem)
        try byName.use("equal exponents")
        XCTAssertEqual(byName.swaps.map(\.0), ["S1"])
        // From a file that imports the theory: both its own specialization and the imported one.
        var outer = try Theory.load(dir.appendingPathComponent("specfile.bounds").path, from: .fileSystem)
        try outer.use("S2")
        try outer.use("S1")
        XCTAssertEqual(outer.swaps.map(\.0), ["S2", "S1"])
        // A swapped-in alternative is no longer offered.
        XCTAssertFalse(outer.alternativesCatalog().contains { $0.id == "S1" })
    }

    /// `--use FILE` where FILE imports the theory under another spelling of its path: one file, loaded once (it used
    /// to be loaded twice, and its lemma reported as a duplicate).
    func testAFileNamedTwoWaysIsLoadedOnce() throws {
        let dir = try folder(["spec.bounds": Self.spec, "specfile.bounds": Self.specfile, "sub/.keep": ""])
        let roundabout = dir.appendingPathComponent("sub").path + "/../spec.bounds"
        var t = try Theory.load(roundabout, from: .fileSystem)
        try t.use(dir.appendingPathComponent("specfile.bounds").path)
        XCTAssertEqual(t.swaps.map(\.0), ["S2"])
        XCTAssertEqual(t.lemmaOrder, ["L"])
        let run = try DerivationRun(theory: t, audit: false)
        assertSameExponent(run.law("opt")?.exponent("risk"), "-a/(2*a + 1)", t.assumptions)
    }

    /// An alternative file on disk swapped into the bundled theory: its imports are the bundled files (the same
    /// text), so they are not loaded a second time; the result is the bundled alternative's.
    func testAnOnDiskAlternativeIntoTheBundledTheory() throws {
        var byFile = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        try byFile.use(repositoryRoot.appendingPathComponent("theorems/alternatives/A4-dense-baseline.bounds").path)
        var byId = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        try byId.use("A4")
        XCTAssertEqual(byFile.lemmaOrder, byId.lemmaOrder)
        let a = try DerivationRun(theory: byFile, audit: false), b = try DerivationRun(theory: byId, audit: false)
        XCTAssertEqual(a.laws.map { $0.riskExponent.display }, b.laws.map { $0.riskExponent.display })
        XCTAssertEqual(a.laws.map(\.id), b.laws.map(\.id))
    }

    /// The alternatives folder of a theory is next to the theory's folder, also for a path without a folder and
    /// after an alternative from elsewhere was swapped in.
    func testAlternativesFolder() throws {
        var t = Theory(source: .fileSystem)
        for (root, folder) in [("spec.bounds", "../alternatives/"), ("theory/spec.bounds", "alternatives/"), ("proj/theory/spec.bounds", "proj/alternatives/"),
                               ("../spec.bounds", "../../alternatives/"), ("/x/theory/spec.bounds", "/x/alternatives/")] {
            t.rootFile = root
            t.files = [root, "elsewhere/alternatives/A.bounds"]
            XCTAssertEqual(t.alternativesFolder, folder, root)
        }
    }

    /// `assume alpha + gamma*log(E) < 0` reaches the sign oracle as a sum of terms: it was stored as
    /// -1*(alpha + gamma*log(E)), an atom that no canonical expression shares, and never used.
    func testACompoundAssumptionIsUsedByTheSignOracle() throws {
        var a = Assumptions()
        try a.assume(text: "E >= 1")
        try a.assume(text: "alpha + gamma*log(E) < 0")
        XCTAssertEqual(a.quickSign(parse("alpha + gamma*log(E)")), .negative)
        XCTAssertEqual(a.quickSign(parse("-alpha - gamma*log(E)")), .positive)
        XCTAssertEqual(a.quickSign(parse("2*alpha + 2*gamma*log(E) - 1")), .negative)
        XCTAssertEqual(Assumptions.distributingNumbers(parse("-(a + 2*(b - c))")), parse("-a - 2*b + 2*c"))
        XCTAssertEqual(Assumptions.distributingNumbers(parse("a*(b - 1)")), parse("a*(b - 1)"), "only a number times a sum is distributed")
    }

    static func compound(_ assumption: String) -> String {
        """
        symbols
          N : real >= 1   "params"
          D : real >= 1   "data"
          C : real > 0    "compute"
          E : real >= 1   "experts"
          alpha, gamma : real  "exps"
          A, B : real > 0 "coefs"
          b : real > 0 "exp"
        \(assumption)
        quantities
          Loss >= 0 "loss"
        lemma L "loss" [paper]
          source "test"
          Loss = A*N^(alpha + gamma*log(E)) + B*D^(-b)
        derive loss "loss"
          start Loss
          by L
        law opt "allocation"
          bound loss
          budget C = 6*N*D
        """
    }

    /// A law whose rate rests on the compound assumption is certified; without it, it is undecided. Written as a
    /// product (`gamma*(log(E) + alpha/gamma) < 0`), the assumption is also assumed in canonical form, and used.
    func testALawWhoseRateRestsOnACompoundAssumptionIsCertified() throws {
        for assumption in ["  assume alpha + gamma*log(E) < 0", "  assume 0 > alpha + gamma*log(E)",
                           "  assume gamma > 0\n  assume gamma*(log(E) + alpha/gamma) < 0"] {
            let t = try theory(Self.compound(assumption))
            XCTAssertEqual(t.warnings, [], assumption)
            let law = try XCTUnwrap(try DerivationRun(theory: t, audit: false).law("opt"))
            XCTAssertTrue(law.isCertified, "\(assumption): \(law.undecided ?? "")")
            assertSameExponent(law.exponent("risk"), "b*(alpha + gamma*log(E))/(b - alpha - gamma*log(E))", t.assumptions)
            assertSameExponent(law.exponent("N"), "b/(b - alpha - gamma*log(E))", t.assumptions)
        }
        let without = try XCTUnwrap(try DerivationRun(theory: try theory(Self.compound("")), audit: false).law("opt"))
        XCTAssertFalse(without.isCertified, "the rate needs the assumption")
    }

    /// The bundled theory's assumptions are all usable: no warning.
    func testTheBundledTheoryHasNoWarnings() throws {
        XCTAssertEqual(try Theory.load(TheorySource.defaultTheoryPath, from: .embedded).warnings, [])
    }
}
