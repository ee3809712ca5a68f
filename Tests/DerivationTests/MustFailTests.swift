import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// The must-fail suite: theories whose theorems are false, each written by someone trying to get a false step
/// accepted, with its counterexample (or the family along which a `<~` ratio grows) in its header comment. Every
/// one must be refused: not loaded (a located error), or not proved (some step or conclusion not accepted).
final class MustFailTests: XCTestCase {
    static let folder = repositoryRoot.appendingPathComponent("Tests/DerivationTests/MustFail")

    /// Every case file, by round (round1/, round2/, ...).
    static func cases() throws -> [URL] {
        let rounds = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("round") }
        // (round3/aux and MustFail/alternatives hold files the cases use, not cases.)
        return try rounds.flatMap { round in
            try FileManager.default.contentsOfDirectory(at: round, includingPropertiesForKeys: nil).filter { $0.pathExtension == "bounds" }
        }.sorted { $0.path < $1.path }
    }

    /// How a case fared: nil when it was refused, otherwise what was accepted.
    static func accepted(_ file: URL) -> String? {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        // A `derive` case: the false output must not be printed (the run may also stop with an error).
        if text.contains("# mode: derive") {
            let lines = text.split(separator: "\n")
            let falseOutputs = lines.filter { $0.hasPrefix("# false-output:") }
                .map { $0.dropFirst("# false-output:".count).trimmingCharacters(in: .whitespaces) }
            // `# args:` as on the command line: --use FILE (relative to the case), --unchecked, --format latex.
            let args = lines.first { $0.hasPrefix("# args:") }.map { $0.dropFirst("# args:".count).split(separator: " ").map(String.init) } ?? []
            guard var theory = try? Theory.load(file.path, from: .fileSystem) else { return nil }
            var i = 0
            while i < args.count {
                if args[i] == "--use", i + 1 < args.count {
                    let path = file.deletingLastPathComponent().appendingPathComponent(args[i + 1]).standardizedFileURL.path
                    guard (try? theory.use(path)) != nil else { return nil }
                    i += 1
                }
                i += 1
            }
            guard let run = try? DerivationRun(theory: theory, audit: true, allowUnchecked: args.contains("--unchecked")) else { return nil }
            let latex = args.contains("latex")
            let report = latex ? LaTeXReport.document(run, fragment: false) : TextReport.render(run)
            return falseOutputs.first { report.contains($0) }.map { "derive printed '\($0)'" }
        }
        // A case may need another file checked first on the same command line (duplicate theorem ids).
        var files = [file]
        for line in text.split(separator: "\n") where line.hasPrefix("# check-with-before:") {
            let partner = line.dropFirst("# check-with-before:".count).trimmingCharacters(in: .whitespaces)
            files.insert(file.deletingLastPathComponent().appendingPathComponent(partner).standardizedFileURL, at: 0)
        }
        var seen = Set<SourceLocation>()
        var reports: [ProofReport] = []
        for f in files {
            guard let theory = try? Theory.load(f.path, from: .fileSystem) else { return nil }
            for report in Checker(theory: theory).checkAll() where seen.insert(report.location).inserted { reports.append(report) }
        }
        if reports.isEmpty { return "no theorem was checked" }
        if reports.allSatisfy(\.ok) { return reports.map(\.lemma).joined(separator: ", ") }
        return nil
    }

    func testEveryFalseTheoremIsRefused() throws {
        let cases = try MustFailTests.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 100, "the must-fail suite is missing")
        var acceptedFalse: [String] = []
        for file in cases {
            if let what = MustFailTests.accepted(file) { acceptedFalse.append("\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent): \(what)") }
        }
        XCTAssertTrue(acceptedFalse.isEmpty, "false theorems accepted (\(acceptedFalse.count) of \(cases.count)):\n" + acceptedFalse.joined(separator: "\n"))
    }
}
