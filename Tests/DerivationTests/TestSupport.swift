import Foundation
import XCTest
import Symbolic
@testable import Derivation


/// The repository root (…/Tests/DerivationTests/ → …).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A copy of theorems/ in a fresh temporary directory, so a test can edit lemmas.
func copyOfTheorems() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let target = dir.appendingPathComponent("theorems")
    try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("theorems"), to: target)
    return target
}

func replace(in file: URL, _ old: String, with new: String, file callerFile: StaticString = #filePath, line: UInt = #line) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    XCTAssertTrue(text.contains(old), "test setup: '\(old)' not found in \(file.lastPathComponent)", file: callerFile, line: line)
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
}

/// A theory written to a temporary file (importing nothing unless the text says so).
func theory(_ text: String, name: String = "test.bounds") throws -> Theory {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try Theory.load(path, from: .fileSystem)
}

func parse(_ s: String) -> Expr { try! Parser.parseExpression(s) }

/// Canonical equality of two exponents under the theory's assumptions.
func assertSameExponent(_ actual: Expr?, _ expected: String, _ assumptions: Assumptions, file: StaticString = #filePath, line: UInt = #line) {
    guard let actual else { return XCTFail("missing exponent, expected \(expected)", file: file, line: line) }
    let difference = (actual - parse(expected)).simplified(assumptions)
    XCTAssertEqual(difference, .zero, "exponent \(actual) is not \(expected)", file: file, line: line)
}

extension DerivedLaw {
    func exponent(_ quantity: String) -> Expr? { exponents.first { $0.0 == quantity }?.1 }
}

extension DerivationRun {
    func law(_ id: String) -> DerivedLaw? { laws.first { $0.id == id } }
}
