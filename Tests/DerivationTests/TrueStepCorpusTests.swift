import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// The corpus of true steps from standard learning-theory derivations (TrueSteps/corpus: Hoeffding and the union
/// bound, Massart, Bernstein, Dudley, the ERM oracle inequality, balancing, VC and covering algebra, PAC-Bayes,
/// elementary inequalities), each theorem with its source and a numerical check in its comments. The checker must
/// verify at least 95% of them; the ones it does not are listed, so a regression shows by name.
final class TrueStepCorpusTests: XCTestCase {
    func testTheCheckerVerifiesTheTrueStepsResearchersWrite() throws {
        let folder = repositoryRoot.appendingPathComponent("Tests/DerivationTests/TrueSteps/corpus")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "bounds" }.sorted { $0.path < $1.path }
        var total = 0, verified = 0
        var refused: [String] = []
        for file in files {
            let theory = try Theory.load(file.path, from: .fileSystem)
            for report in Checker(theory: theory).checkAll() {
                total += 1
                if report.ok { verified += 1 } else { refused.append("\(file.lastPathComponent) \(report.lemma): \(report.firstFailure?.message.prefix(160) ?? "")") }
            }
        }
        XCTAssertGreaterThanOrEqual(total, 200, "the corpus is missing")
        let rate = Double(verified) / Double(max(total, 1))
        print("true-step corpus: \(verified) of \(total) verified (\(String(format: "%.1f", rate * 100))%); not verified:\n  " + refused.joined(separator: "\n  "))
        XCTAssertGreaterThanOrEqual(rate, 0.95, "only \(verified) of \(total) true steps verified:\n" + refused.joined(separator: "\n"))
    }
}
