import Foundation
import XCTest
import Symbolic
import Derivation

/// `derive --format json` against its checked-in JSON Schema (`derive.schema.json`, beside README's contract),
/// for every bundled theory; every field the schema marks as an expression parses back.
final class JSONSchemaTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func validator() throws -> JSONSchemaValidator {
        let text = try String(contentsOf: root.appendingPathComponent("derive.schema.json"), encoding: .utf8)
        return JSONSchemaValidator(root: try JSONValue.parse(text))
    }

    /// Every theory file shipped with the package: the library under theorems/ and the examples.
    static func bundledTheories() throws -> [String] {
        var files: [String] = []
        for folder in ["theorems", "examples/theories"] {
            let dir = root.appendingPathComponent(folder)
            for path in try FileManager.default.subpathsOfDirectory(atPath: dir.path) where path.hasSuffix(".bounds") {
                files.append(dir.appendingPathComponent(path).path)
            }
        }
        return files.sorted()
    }

    /// Validates one document; returns how many expression fields it parsed back.
    func check(_ json: String, _ label: String, _ validator: JSONSchemaValidator) throws -> Int {
        let value = try JSONValue.parse(json)
        let (errors, formatted) = validator.validate(value)
        XCTAssertEqual(errors, [], "\(label) does not follow derive.schema.json")
        var parsed = 0
        for field in formatted where field.format == "expression" {
            do {
                let e = try Parser.parseExpression(field.value)
                // The value read back is an expression like any other: its text reads back as the same value.
                XCTAssertEqual(try Parser.parseExpression(e.text), e, "\(label)\(field.path)")
                parsed += 1
            } catch {
                XCTFail("\(label)\(field.path): '\(field.value)' does not parse: \(error)")
            }
        }
        return parsed
    }

    func testDeriveJSONOfEveryBundledTheoryFollowsTheSchemaAndParsesBack() throws {
        let validator = try Self.validator()
        let files = try Self.bundledTheories()
        XCTAssertGreaterThan(files.count, 25)
        var expressions = 0
        for file in files {
            let theory = try Theory.load(file, from: .fileSystem)
            let run = try DerivationRun(theory: theory, audit: true, allowUnchecked: true)
            expressions += try check(JSONReport.render(run), file, validator)
        }
        XCTAssertGreaterThan(expressions, 500, "the expression fields are checked")
    }

    /// The command itself, with an alternative swapped in (the `alternatives` and `in_place_of` fields).
    func testDeriveCommandWritesSchemaValidJSON() throws {
        let validator = try Self.validator()
        for arguments in [["derive", "--format", "json"], ["derive", "--use", "A1", "--format", "json"]] {
            let out = try BoundsProcess.run(arguments)
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertGreaterThan(try check(out.stdout, arguments.joined(separator: " "), validator), 100)
            let value = try JSONValue.parse(out.stdout)
            guard case .object(let document) = value else { return XCTFail("not an object") }
            XCTAssertEqual(document["schema_version"], .number(Double(JSONReport.schemaVersion)))
        }
    }

    /// The validator finds what it is meant to find.
    func testTheValidatorCatchesWhatItChecks() throws {
        let validator = try Self.validator()
        let run = try DerivationRun(theory: try Theory.load(Self.root.appendingPathComponent("examples/theories/routed.bounds").path, from: .fileSystem),
                                    audit: true)
        let good = JSONReport.render(run)
        XCTAssertEqual(validator.validate(try JSONValue.parse(good)).errors, [])
        func errors(_ replace: String, _ with: String) throws -> [String] {
            XCTAssertTrue(good.contains(replace), replace)
            return validator.validate(try JSONValue.parse(good.replacingOccurrences(of: replace, with: with))).errors
        }
        XCTAssertFalse(try errors("\"schema_version\" : 2", "\"schema_version\" : 1").isEmpty, "a wrong version")
        XCTAssertFalse(try errors("\"relation\" : \"=\"", "\"relation\" : \"==\"").isEmpty, "a relation that is none")
        XCTAssertFalse(try errors("\"kind\" : \"balanced\"", "\"kind\" : \"level\"").isEmpty, "a regime of no kind")
        XCTAssertFalse(try errors("\"theory\" :", "\"theory_file\" :").isEmpty, "a missing field and an unknown one")
        XCTAssertFalse(try errors("\"admissible\" : true", "\"admissible\" : 1").isEmpty, "a number for a boolean")
        // A malformed expression is reported by the parse-back check.
        let broken = good.replacingOccurrences(of: "\"log_power\" : \"0\"", with: "\"log_power\" : \"0 +\"")
        let formatted = validator.validate(try JSONValue.parse(broken)).formatted
        XCTAssertTrue(formatted.contains { $0.value == "0 +" && (try? Parser.parseExpression($0.value)) == nil })
        XCTAssertThrowsError(try JSONValue.parse("{\"a\": 1,}"))
    }
}
