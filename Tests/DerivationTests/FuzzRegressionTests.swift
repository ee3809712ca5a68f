import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// Theories on which the checker fuzzer (`bounds-fuzz checker`) once crashed the checker with a stack overflow:
/// a power's interval asked the exponent's sign from the facts, whose remainders held powers whose exponents
/// were signed from the facts again (sign-cycle-*); b^x folded through exp(x·log b) met b^(...) in its own
/// products (power-via-exp-*). Checking each must finish, and every report must name its verdict.
final class FuzzRegressionTests: XCTestCase {
    func testCheckingTheFuzzersCrashTheoriesFinishes() throws {
        let directory = repositoryRoot.appendingPathComponent("Tests/DerivationTests/FuzzRegressions")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".bounds") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 6)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let t = try theory(text, name: file)
            let reports = Checker(theory: t).checkAll()
            XCTAssertGreaterThanOrEqual(reports.count, 7, file)
            for r in reports where !r.ok { XCTAssertFalse((r.firstFailure?.message ?? "").isEmpty, "\(file) \(r.lemma)") }
        }
    }
}
