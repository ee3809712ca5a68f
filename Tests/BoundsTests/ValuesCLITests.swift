import Foundation
import XCTest

/// `values`, `tabulate`, `--format csv`, alternatives from a theory's own file and `compare FILE1 FILE2`, as a
/// user runs them.
final class ValuesCLITests: XCTestCase {
    func run(_ arguments: [String], in directory: URL? = nil) throws -> BoundsProcess.Output { try BoundsProcess.run(arguments, in: directory) }

    static let theory = """
    symbols
      N : real >= 1   "parameters"
      D : real >= 1   "tokens"
      C : real > 0    "compute"
      E : real >= 1   "experts"
      a, g : real > 0 "exponents"
      A, B : real > 0 "coefficients"
      b : real > 0    "data exponent"
      assume a - g*log(E) > 0
    quantities
      Loss >= 0 "loss"
    lemma L "loss" [paper]
      source "test"
      Loss = A*N^(-a + g*log(E)) + B*D^(-b)
    derive loss "loss"
      start Loss
      by L
    law opt "allocation"
      bound loss
      budget C = 6*N*D
      closed form N
      values A = 1, B = 1, a = 0.3, g = 0.01, E = 8, b = 0.3
      tabulate E = 1, 8, 0.5

    specialize S1 "unit data exponent" [alternative]
      source "b = 1"
      set b = 1
    """

    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-values-\(UUID().uuidString)")
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    func testValuesAndTablesInTextAndCSV() throws {
        let dir = try folder(["law.bounds": Self.theory])
        let text = try run(["derive", "law.bounds"], in: dir)
        XCTAssertEqual(text.status, 0, text.stderr)
        for line in ["    at the fitted constants: r (risk ≍ C^r) = -0.144615",
                     "    at the fitted constants: e_N (N ∝ C^e_N) = 0.517951",
                     "    at the fitted constants: G (N* = G·(C/6)^a) = 0.883361",
                     "      E    r          e_D       e_N       a         G         b         G'",
                     "      1    -0.15      0.5       0.5       0.5       1         0.5       1"] {
            XCTAssertTrue(text.stdout.components(separatedBy: "\n").contains(line), "missing '\(line)' in\n\(text.stdout)")
        }
        XCTAssertTrue(text.stdout.contains("      0.5  not admissible: E = 1/2 in the row E = 0.5 of law opt's table is outside its declared domain"), text.stdout)
        let csv = try run(["derive", "law.bounds", "--format", "csv"], in: dir)
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.first, "law,symbol,value,risk,D,N,closed_form_N_exponent,closed_form_N_coefficient,closed_form_D_exponent,closed_form_D_coefficient,problem")
        XCTAssertEqual(rows.count, 5, csv.stdout)
        XCTAssertEqual(rows[2], "opt,E,1,-0.15,0.5,0.5,0.5,1.0,0.5,1.0,")
        XCTAssertTrue(rows[4].hasPrefix("opt,E,0.5,,,,,,,,not admissible"), rows[4])
        // Under the file's own specialization (b = 1), the values (b = 0.3) are outside the domain it leaves.
        let specialized = try run(["derive", "law.bounds", "--use", "S1"], in: dir)
        XCTAssertEqual(specialized.status, 2, specialized.stdout)
        XCTAssertTrue(specialized.stderr.contains("law.bounds:22:54: error: b = 3/10 in the values of law opt is outside its declared domain"), specialized.stderr)
        let assumed = try run(["derive", "law.bounds", "--assume", "a >= 1/2"], in: dir)
        XCTAssertEqual(assumed.status, 2)
        XCTAssertTrue(assumed.stderr.contains("law.bounds:22:28: error: a = 3/10 in the values of law opt is outside its declared domain"), assumed.stderr)
    }

    func testAValueOutsideItsDomainIsALocatedErrorOfEveryCommand() throws {
        let dir = try folder(["bad.bounds": Self.theory.replacingOccurrences(of: "g = 0.01, E = 8", with: "g = 0.01, E = 0.5")])
        for command in [["derive"], ["check"], ["latex"], ["derive", "--format", "csv"]] {
            let r = try run(command + ["bad.bounds"], in: dir)
            XCTAssertEqual(r.status, 2, "\(command): \(r.stdout)")
            XCTAssertTrue(r.stderr.hasPrefix("bad.bounds:22:47: error: E = 1/2 in the values of law opt is outside its declared domain 'E : real >= 1'"), "\(command): \(r.stderr)")
            XCTAssertFalse(r.stdout.contains("r (risk"), r.stdout)
        }
    }

    /// A specialize block in a theory in `theory/`, used from that folder: `--use` by id (own file), by the file of
    /// an alternative in `../alternatives/`, and by that alternative's id.
    func testSpecializeFromItsOwnFileAndFromTheAlternativesFolder() throws {
        let dir = try folder(["theory/law.bounds": Self.theory,
                              "alternatives/S2.bounds": "import \"../theory/law.bounds\"\nspecialize S2 \"b a half\" [alternative]\n  source \"b = 1/2\"\n  set b = 1/2\n"])
        let theoryDir = dir.appendingPathComponent("theory")
        let noValues = Self.theory.replacingOccurrences(of: "  values A = 1, B = 1, a = 0.3, g = 0.01, E = 8, b = 0.3\n  tabulate E = 1, 8, 0.5\n", with: "")
        try noValues.write(to: theoryDir.appendingPathComponent("law.bounds"), atomically: true, encoding: .utf8)
        for use in ["S1", "S2", "../alternatives/S2.bounds", "./law.bounds"] {
            let r = try run(["derive", "law.bounds", "--use", use], in: theoryDir)
            XCTAssertEqual(r.status, 0, "\(use): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("alternatives: S"), "\(use): \(r.stdout)")
        }
        let all = try run(["compare", "law.bounds", "--use", "all"], in: theoryDir)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("quantities change under S1"), all.stdout)
        XCTAssertTrue(all.stdout.contains("quantities change under S2"), all.stdout)
    }

    func testCompareTwoTheories() throws {
        let r = try run(["compare", "theorems/moe/generalization.bounds", "theorems/empirical/chinchilla.bounds"], in: CLITests.root)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "theories: generalization = theorems/moe/generalization.bounds, chinchilla = theorems/empirical/chinchilla.bounds")
        let c = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("C → ∞") }, r.stdout)
        let block = lines[c...].prefix { !$0.isEmpty }.joined(separator: "\n")
        XCTAssertTrue(block.contains("  generalization: D3 compute-optimal allocation: risk ≍ Õ(C^(-beta/(beta + d))) up to log(C)"), block)
        XCTAssertTrue(block.contains("  chinchilla: chinchilla compute-optimal allocation (Hoffmann et al. 2022): risk ≍ C^(-alpha*beta/(alpha + beta))"), block)
        XCTAssertTrue(block.contains("      D ∝ C^(alpha/(alpha + beta)), N ∝ C^(beta/(alpha + beta))"), block)
        XCTAssertTrue(block.contains("at its values: r = -0.153548"), block)
        XCTAssertTrue(r.stdout.contains("  chinchilla: no law along n"), r.stdout)
        let json = try run(["compare", "theorems/moe/generalization.bounds", "theorems/empirical/chinchilla.bounds", "--format", "json"], in: CLITests.root)
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        let budget = try XCTUnwrap(rows.first { $0["variable"] as? String == "C" })
        let laws = try XCTUnwrap(budget["laws"] as? [String: [[String: Any]]])
        XCTAssertEqual(laws["chinchilla"]?.first?["rate_text"] as? String, "C^(-alpha*beta/(alpha + beta))")
        XCTAssertEqual(laws["generalization"]?.first?["id"] as? String, "D3")
        let mixed = try run(["compare", "theorems/moe/generalization.bounds", "theorems/empirical/chinchilla.bounds", "--use", "A1"], in: CLITests.root)
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("takes no --use"), mixed.stderr)
    }
}

extension ValuesCLITests {
    /// The README shows examples/theories/routed.bounds as its complete theory for `values` and `tabulate`
    /// (without the file's leading comment): the two must not drift apart.
    func testTheReadmeShowsTheRoutedExampleAsItIs() throws {
        let readme = try String(contentsOf: CLITests.root.appendingPathComponent("README.md"), encoding: .utf8)
        let file = try String(contentsOf: CLITests.root.appendingPathComponent("examples/theories/routed.bounds"), encoding: .utf8)
        let body = file.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("#") }.joined(separator: "\n")
        XCTAssertTrue(readme.contains("```\n" + body + "```\n"), "README.md no longer shows examples/theories/routed.bounds")
    }
}
