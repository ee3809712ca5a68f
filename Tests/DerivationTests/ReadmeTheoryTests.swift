import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// The README's complete small theory is the real thing: it loads, its proof checks and it derives its laws.
final class ReadmeTheoryTests: XCTestCase {
    func testTheReadmesSmallTheoryLoadsChecksAndDerives() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let marker = readme.range(of: "A complete small theory"),
              let open = readme.range(of: "```\n", range: marker.upperBound..<readme.endIndex),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else {
            return XCTFail("the README's small theory block is missing")
        }
        let text = String(readme[open.upperBound..<close.lowerBound])
        let t = try theory(text, name: "example.bounds")
        let reports = Checker(theory: t).checkAll()
        XCTAssertFalse(reports.isEmpty)
        for r in reports { XCTAssertTrue(r.ok, "\(r.lemma): \(r.firstFailure?.message ?? "")") }
        let run = try DerivationRun(theory: t, audit: true)
        XCTAssertTrue(run.isComplete, "\(run.lawFailures)")
        let d2 = try XCTUnwrap(run.law("D2"))
        assertSameExponent(d2.exponent("risk"), "-2*beta/(2*beta + d)", t.assumptions)
        assertSameExponent(d2.exponent("N"), "d/(2*beta + d)", t.assumptions)
        XCTAssertEqual(run.audit?.contradictions.count, 0)
    }

    /// The README's library block is examples/library's main.swift, which `.ci/run` builds and runs as a package.
    func testTheReadmesLibraryBlockIsTheExamplePackage() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let open = readme.range(of: "```swift\n"),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else {
            return XCTFail("the README's library block is missing")
        }
        let example = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/library/Sources/LibraryExample/main.swift"), encoding: .utf8)
        XCTAssertEqual(String(readme[open.upperBound..<close.lowerBound]), example)
        XCTAssertTrue(example.contains("import Foundation") && example.contains("import Symbolic"))
    }
}
