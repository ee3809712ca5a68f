import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// `example "NAME"` blocks: parsing, the checks made when a theory is loaded (every error at file:line:column),
/// and resolving an example's values with overrides.
final class ExampleTests: XCTestCase {
    /// A small theory with the MoE setting's kind of domains, and a place for example blocks.
    static let header = """
    symbols
      n : integer >= 2          "sample size"
      M : integer >= 1          "experts"
      k : integer in [1, M]     "active experts"
      width : integer >= 1      "width"
      P : real >= 1             "parameters of one expert"
      delta : real in (0, 1]    "radius"
      N : real >= 1             "active parameters"

    define N = k*P

    quantities
      Risk >= 0                 "risk"



    """

    func load(_ examples: String) throws -> Theory {
        try theory(ExampleTests.header + examples)
    }

    /// The error loading `examples` gives, as text.
    func error(_ examples: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try load(examples)
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// The header has 15 lines, so an example block starts at line 16.
    func testParsesNamesSourcesAndValuesWithArithmetic() throws {
        let t = try load("""
        example "Small"
          source "made up, for the test"
          note "a note"
          width = 64
          M = 8
          k = 2
          P = 3*width*256        # an expression of an earlier value
          n = 14.8e12/4096
          delta = 1/n

        example "Big"
          source "also made up"
          M = 256
          k = 8

        """)
        XCTAssertEqual(t.examples.map(\.name), ["Small", "Big"])
        let small = try XCTUnwrap(t.examples.first)
        XCTAssertEqual(small.source, "made up, for the test")
        XCTAssertEqual(small.note, "a note")
        XCTAssertEqual(small.values.map(\.name), ["width", "M", "k", "P", "n", "delta"])
        XCTAssertEqual(small.value("P")?.text, "3*width*256")
        XCTAssertEqual(small.value("P")?.location.line, 22)
        XCTAssertEqual(small.value("P")?.valueLocation.column, 7)
        let values = Dictionary(try t.resolve(small).values, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(values["P"], 3 * 64 * 256)
        XCTAssertEqual(values["n"], 3_613_281_250)
        XCTAssertEqual(values["delta"] ?? 0, 1 / 3_613_281_250, accuracy: 1e-24)
        // The exact values: 14.8e12/4096 is an integer, as n's domain requires.
        let exact = try t.exactValues(of: small)
        XCTAssertEqual(exact.first { $0.0 == "n" }?.1, .number(Rational(3_613_281_250)))
        XCTAssertEqual(t.example(named: "big")?.name, "Big", "names match ignoring case")
    }

    func testOverridesRecomputeWhatDependsOnThemAndFreeSymbolsStaySymbolic() throws {
        let t = try load("""
        example "Small"
          source "s"
          width = 64
          M = 8
          k = 2
          P = 3*width*256
          n = 1000
          delta = 1/n

        """)
        let example = t.examples[0]
        let changed = try t.resolve(example, overriding: ["width": 128])
        let values = Dictionary(changed.values, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(values["P"], 3 * 128 * 256, "P is computed again from the new width")
        XCTAssertEqual(changed.overridden, ["width"])
        XCTAssertEqual(changed.recomputed, ["P"])
        let free = try t.resolve(example, free: ["n"])
        XCTAssertNil(free.values.first { $0.0 == "n" })
        XCTAssertEqual(free.symbolic.first { $0.0 == "delta" }?.1, parse("1/n"), "delta follows n")
        XCTAssertEqual(Set(free.freed), ["n", "delta"])
    }

    func testParseErrorsAreLocated() {
        // Line 16 is the example's header.
        XCTAssertTrue(error("example Small\n  source \"s\"\n  M = 2\n").contains("test.bounds:16:9: error: an example needs a quoted name"))
        XCTAssertTrue(error("example \"Small\"\n  source \"s\"\n  M = (2 + \n").contains("test.bounds:18:"), error("example \"Small\"\n  source \"s\"\n  M = (2 + \n"))
        XCTAssertTrue(error("example \"Small\"\n  source \"s\"\n  M 2\n").contains("test.bounds:18:3: error: expected 'symbol = value'"))
        XCTAssertTrue(error("example \"Small\"\n  source \"s\"\n  k <= 2\n").contains("test.bounds:18:5: error: an example sets values"))
        XCTAssertTrue(error("example \"Small\"\n  M = 2\n").contains("test.bounds:16:1: error: example \"Small\" has no source line"))
        XCTAssertTrue(error("example \"Small\"\n  source \"s\"\n  M = 2\n  M = 3\n").contains("test.bounds:19:3: error: M is set twice"))
        XCTAssertTrue(error("example \"A\"\n  source \"s\"\n  M = 2\nexample \"A\"\n  source \"t\"\n  M = 3\n").contains("test.bounds:19:1: error: duplicate example \"A\""))
    }

    func testUndefinedSymbolsAreReportedAtTheirToken() {
        let unknown = error("example \"Small\"\n  source \"s\"\n  M = 8\n  kk = 2\n")
        XCTAssertTrue(unknown.contains("test.bounds:19:3: error: undefined symbol 'kk'"), unknown)
        XCTAssertTrue(unknown.contains("did you mean k"), unknown)
        let inValue = error("example \"Small\"\n  source \"s\"\n  M = 8\n  P = 3*widht*256\n")
        XCTAssertTrue(inValue.contains("test.bounds:19:9: error: undefined symbol 'widht' in the value of P"), inValue)
        let later = error("example \"Small\"\n  source \"s\"\n  P = 3*width\n  width = 4\n")
        XCTAssertTrue(later.contains("test.bounds:18:9: error: width is set below P"), later)
        let defined = error("example \"Small\"\n  source \"s\"\n  N = 5\n")
        XCTAssertTrue(defined.contains("test.bounds:18:3: error: N is defined (N = "), defined)
        let quantity = error("example \"Small\"\n  source \"s\"\n  Risk = 1\n")
        XCTAssertTrue(quantity.contains("test.bounds:18:3: error: Risk is a quantity"), quantity)
        let undefinedValue = error("example \"Small\"\n  source \"s\"\n  P = log(0)\n")
        XCTAssertTrue(undefinedValue.contains("test.bounds:18:7: error: the value of P"), undefinedValue)
    }

    func testValuesOutsideTheDeclaredDomainAreErrorsNamingIt() {
        let above = error("example \"Small\"\n  source \"s\"\n  M = 8\n  k = 9\n")
        XCTAssertTrue(above.contains("test.bounds:19:7: error: k = 9 in example \"Small\" is outside its declared domain 'k : integer in [1, M]'"), above)
        XCTAssertTrue(above.contains("M = 8"), above)
        let fraction = error("example \"Small\"\n  source \"s\"\n  M = 8\n  k = 5/2\n")
        XCTAssertTrue(fraction.contains("test.bounds:19:7: error: k = 5/2"), fraction)
        XCTAssertTrue(fraction.contains("must be an integer"), fraction)
        let below = error("example \"Small\"\n  source \"s\"\n  n = 1\n")
        XCTAssertTrue(below.contains("test.bounds:18:7: error: n = 1 in example \"Small\" is outside its declared domain 'n : integer >= 2'"), below)
        let open = error("example \"Small\"\n  source \"s\"\n  delta = 0\n")
        XCTAssertTrue(open.contains("delta must be > 0"), open)
        let notInteger = error("example \"Small\"\n  source \"s\"\n  n = 14.8e12/4095\n")
        XCTAssertTrue(notInteger.contains("must be an integer"), notInteger)
        // The same values in the right order and range load.
        XCTAssertNoThrow(try load("example \"Small\"\n  source \"s\"\n  M = 8\n  k = 8\n  delta = 1\n"))
    }

    func testTheBundledTheoryCarriesThePublishedModels() throws {
        let t = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let names = t.examples.map(\.name)
        for name in ["Mixtral 8x7B", "DeepSeek-V3", "Qwen3-30B-A3B", "Switch-Base-128"] { XCTAssertTrue(names.contains(name), name) }
        XCTAssertEqual(names.first, "Mixtral 8x7B")
        for example in t.examples {
            XCTAssertFalse(example.source.isEmpty)
            let values = Dictionary(try t.resolve(example).values, uniquingKeysWith: { a, _ in a })
            // Every symbol of the composed bound's terms has a value, directly or through N_eff's definition.
            for name in ["n", "beta", "d", "M", "k", "L_T", "ell", "Pi_attn", "Pi_exp"] {
                XCTAssertNotNil(values[name], "\(example.name) sets \(name)")
            }
        }
        // N_eff from the architecture, against the arithmetic done by hand (see theorems/moe/examples.bounds).
        func nEff(_ name: String) throws -> Double {
            let v = Dictionary(try t.resolve(try XCTUnwrap(t.example(named: name))).values, uniquingKeysWith: { a, _ in a })
            return v["L_T"]! * v["Pi_attn"]! + v["L_T"]! * v["k"]! * v["Pi_exp"]!
        }
        XCTAssertEqual(try nEff("Mixtral 8x7B"), 12_616_466_432)
        XCTAssertEqual(try nEff("DeepSeek-V3"), 35_591_487_488)
        XCTAssertEqual(try nEff("Qwen3-30B-A3B"), 2_717_908_992)
        XCTAssertEqual(try nEff("Switch-Base-128"), 198_180_864)
    }

    /// The README's `example` block loads beside the MoE setting and agrees with the bundled Mixtral 8x7B.
    func testTheReadmeExampleBlockLoadsAndAgreesWithTheBundledOne() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let open = readme.range(of: "```\nexample \""),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else {
            return XCTFail("the README's example block is missing")
        }
        let block = readme[readme.index(open.lowerBound, offsetBy: 4)..<close.lowerBound]
        let dir = try copyOfTheorems()
        let path = dir.appendingPathComponent("moe/readme-example.bounds").path
        try ("import \"setting.bounds\"\n" + block).write(toFile: path, atomically: true, encoding: .utf8)
        let t = try Theory.load(path, from: .fileSystem)
        let example = try XCTUnwrap(t.examples.first)
        let bundled = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let expected = Dictionary(try bundled.resolve(try XCTUnwrap(bundled.example(named: example.name))).values, uniquingKeysWith: { a, _ in a })
        let values = try t.resolve(example).values
        XCTAssertGreaterThanOrEqual(values.count, 5)
        for (name, v) in values { XCTAssertEqual(v, expected[name], name) }
    }

    func testUnknownNamesGetTheListAndASuggestion() throws {
        let t = try Theory.load(TheorySource.defaultTheoryPath, from: .embedded)
        let message = t.unknownExampleMessage("deepsek-v3")
        XCTAssertTrue(message.contains("no example 'deepsek-v3'"), message)
        XCTAssertTrue(message.contains("\"Mixtral 8x7B\", \"DeepSeek-V3\""), message)
        XCTAssertTrue(message.contains("did you mean \"DeepSeek-V3\"?"), message)
        XCTAssertTrue(t.unknownExampleMessage("mixtral").contains("did you mean \"Mixtral 8x7B\"?"))
        XCTAssertFalse(t.unknownExampleMessage("GPT-2").contains("did you mean"))
    }
}
