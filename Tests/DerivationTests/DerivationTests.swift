import Foundation
import XCTest
import Symbolic
@testable import Derivation

/// The bundled MoE theory: proofs verify, the composer derives the laws D1–D4, laws follow lemma edits.
final class DerivationTests: XCTestCase {
    func bundled() throws -> Theory { try Theory.load(TheorySource.defaultTheoryPath, from: .embedded) }

    func testEveryBundledProofVerifies() throws {
        let reports = Checker(theory: try bundled()).checkAll()
        XCTAssertEqual(Set(reports.map(\.lemma)), ["P3", "P5", "S4"])
        for report in reports {
            for step in report.steps { XCTAssertTrue(step.ok, "\(report.lemma) \(step.location): \(step.message)") }
        }
    }

    func testEmbeddedTheoryMatchesTheFilesOnDisk() throws {
        // The build plugin embeds theorems/; a stale copy would make `derive` ignore an edit.
        for (path, text) in EmbeddedTheory.files {
            let disk = try String(contentsOf: repositoryRoot.appendingPathComponent("theorems").appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), disk.trimmingCharacters(in: .whitespacesAndNewlines), path)
        }
    }

    func testComposedBoundHasItsThreeNamedTerms() throws {
        let run = try DerivationRun(theory: try bundled(), audit: false)
        let bound = try XCTUnwrap(run.bounds.first)
        XCTAssertEqual(bound.terms.compactMap(\.name), ["approximation", "estimation", "routing"])
        XCTAssertEqual(bound.relation, .asymptoticLessEqual)
        let a = run.theory.assumptions
        let expected = parse("min(N_eff^(-2*beta/d), M^(-2*beta/d)) + N_eff*log(n)/n + L_T*ell*k*log(e*M/k)/n")
        XCTAssertEqual((bound.expression - expected).simplified(a), .zero, "\(bound.expression)")
    }

    func testLawsAgreeWithTheTheory() throws {
        let run = try DerivationRun(theory: try bundled(), audit: false)
        let a = run.theory.assumptions
        // D1: risk ≍ N_eff^(-2β/d) with n → ∞ first.
        assertSameExponent(run.law("D1")?.exponent("risk"), "-2*beta/d", a)
        // D2: θ* = d/(2β+d), risk Õ(n^(-2β/(2β+d))), and the routing condition with its threshold.
        let d2 = try XCTUnwrap(run.law("D2"))
        assertSameExponent(d2.exponent("risk"), "-2*beta/(2*beta+d)", a)
        assertSameExponent(d2.exponent("N_eff"), "d/(2*beta+d)", a)
        XCTAssertEqual(d2.logPower, .one, "the estimation term carries log n: the rate is Õ")
        XCTAssertTrue(d2.thresholds.contains { $0.text.contains("n >= (L_T*ell*k*log(e*M/k))^((2*beta + d)/d)") }, "\(d2.thresholds)")
        XCTAssertEqual(d2.thresholds.first?.term.name, "routing")
        XCTAssertEqual(d2.thresholds.first?.accuracy, .upToConstantsAndLogFactors)
        XCTAssertTrue(d2.regimes.contains { if case .term(let t) = $0.dominant { return t.name == "routing" } else { return false } }, "the routing-dominated regime is named")
        // D3: N_eff* ∝ C^(d/(2(β+d))), n* ∝ C^((2β+d)/(2(β+d))), risk ∝ C^(-β/(β+d)).
        let d3 = try XCTUnwrap(run.law("D3"))
        assertSameExponent(d3.exponent("risk"), "-beta/(beta+d)", a)
        assertSameExponent(d3.exponent("N_eff"), "d/(2*(beta+d))", a)
        assertSameExponent(d3.exponent("n"), "(2*beta+d)/(2*(beta+d))", a)
        XCTAssertTrue(d3.notes.contains { if case .scaling(let term, "C", _, _) = $0 { return term.name == "routing" } else { return false } })
        // D4: expert scaling has the M = N_eff switch of P4's min among its regime boundaries.
        let d4 = try XCTUnwrap(run.law("D4"))
        XCTAssertTrue(d4.regimes.contains { $0.isBoundary && $0.conditionText.hasPrefix("M = N_eff") }, "\(d4.regimes.map(\.conditionText))")
    }

    func testEditingALemmaChangesTheDerivedExponents() throws {
        let dir = try copyOfTheorems()
        // P4 with a slower approximation rate N_eff^(-beta/d): the balance moves to θ* = d/(β+d), rate -β/(β+d).
        let file = dir.appendingPathComponent("moe/generalization.bounds")
        try replace(in: file, "terms approximation = min(N_eff^(-2*beta/d), M^(-2*beta/d))\n  Approx <~ min(N_eff^(-2*beta/d), M^(-2*beta/d))",
                    with: "terms approximation = min(N_eff^(-beta/d), M^(-beta/d))\n  Approx <~ min(N_eff^(-beta/d), M^(-beta/d))")
        let edited = try Theory.load(file.path, from: .fileSystem)
        let run = try DerivationRun(theory: edited, audit: false)
        let a = edited.assumptions
        assertSameExponent(run.law("D1")?.exponent("risk"), "-beta/d", a)
        assertSameExponent(run.law("D2")?.exponent("risk"), "-beta/(beta+d)", a)
        assertSameExponent(run.law("D2")?.exponent("N_eff"), "d/(beta+d)", a)
        assertSameExponent(run.law("D3")?.exponent("risk"), "-beta/(beta+2*d)", a)
        // The restated P5 proof still uses the old exponent: the checker now rejects it.
        let p5 = Checker(theory: edited).checkAll().first { $0.lemma == "P5" }
        XCTAssertEqual(p5?.ok, false)
    }

    func testAlternativesAreSwappedInAndEverythingDownstreamIsRederived() throws {
        var theory = try bundled()
        try theory.use("A3")
        let run = try DerivationRun(theory: theory, audit: false)
        // The router's M*d_model parameters are active: the estimation term grows linearly in M.
        assertSameExponent(run.law("D4")?.exponent("risk"), "1", theory.assumptions)
        XCTAssertTrue(run.bounds[0].terms.contains { $0.expression.contains(symbol: "d_model") })
        // By name, and the ambient-dimension specialization.
        var ambient = try bundled()
        try ambient.use("ambient data model")
        let ambientRun = try DerivationRun(theory: ambient, audit: false)
        assertSameExponent(ambientRun.law("D2")?.exponent("risk"), "-2*beta/(2*beta+D)", ambient.assumptions)
        var unknown = try bundled()
        XCTAssertThrowsError(try unknown.use("A99")) { error in
            XCTAssertTrue("\(error)".contains("no alternative 'A99'"), "\(error)")
        }
    }

    func testAuditFindsTheExpertBranchContradictionAndWhatRemovesIt() throws {
        let run = try DerivationRun(theory: try bundled(), audit: true)
        let audit = try XCTUnwrap(run.audit)
        let c = try XCTUnwrap(audit.contradictions.first { $0.law == "D4_joint" })
        XCTAssertEqual(c.lowerBound, "S5")
        assertSameExponent(c.rate, "-1", run.theory.assumptions)
        XCTAssertTrue(c.lemmaChain.contains { $0.lemma == "P4" })
        XCTAssertTrue(c.removedBy.contains { $0.id == "A5" }, "\(c.removedBy)")
        XCTAssertFalse(c.removedBy.contains { $0.id == "A6" }, "the ambient model keeps the expert branch")
        // With A5 in place, nothing beats the lower bound, and the audit says so.
        var fixed = try bundled()
        try fixed.use("A5")
        let clean = try DerivationRun(theory: fixed, audit: true)
        XCTAssertEqual(clean.audit?.contradictions.count, 0)
        XCTAssertFalse(clean.audit?.checked.isEmpty ?? true)
    }

    func testEmpiricalLawReproducesTheClosedFormAllocation() throws {
        let file = repositoryRoot.appendingPathComponent("theorems/empirical/chinchilla.bounds").path
        let theory = try Theory.load(file, from: .fileSystem)
        let run = try DerivationRun(theory: theory, audit: false)
        let law = try XCTUnwrap(run.law("chinchilla"))
        let closed = try XCTUnwrap(law.closedForm)
        let a = theory.assumptions
        assertSameExponent(closed.exponent, "beta/(alpha+beta)", a)
        XCTAssertEqual((closed.coefficient - parse("(alpha*A/(beta*B))^(1/(alpha+beta))")).simplified(a), .zero, "\(closed.coefficient)")
        let values = Dictionary(law.values.map { (String($0.0.text.prefix(2)), $0.1) }, uniquingKeysWith: { x, _ in x })
        XCTAssertEqual(values["a "] ?? .nan, 0.28 / 0.62, accuracy: 1e-12)
        XCTAssertEqual(values["G "] ?? .nan, pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62), accuracy: 1e-9)
        assertSameExponent(law.exponent("risk"), "-alpha*beta/(alpha+beta)", a)
    }

    func testJSONContract() throws {
        let run = try DerivationRun(theory: try bundled(), audit: true)
        let text = JSONReport.render(run)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let bound = try XCTUnwrap(object["bound"] as? [String: Any])
        XCTAssertNotNil(bound["text"]); XCTAssertNotNil(bound["latex"])
        let terms = try XCTUnwrap(bound["terms"] as? [[String: Any]])
        XCTAssertEqual(terms.compactMap { $0["name"] as? String }, ["approximation", "estimation", "routing"])
        XCTAssertTrue(terms.allSatisfy { $0["text"] is String && $0["latex"] is String })
        let laws = try XCTUnwrap(object["laws"] as? [[String: Any]])
        let d2 = try XCTUnwrap(laws.first { $0["id"] as? String == "D2" })
        XCTAssertEqual(d2["variable"] as? String, "n")
        let exponents = try XCTUnwrap(d2["exponents"] as? [String: String])
        // The contract's example, parsed back and compared canonically.
        let a = run.theory.assumptions
        XCTAssertEqual((parse(exponents["risk"] ?? "0") - parse("-2*beta/(2*beta+d)")).simplified(a), .zero)
        XCTAssertEqual((parse(exponents["N_eff"] ?? "0") - parse("d/(2*beta+d)")).simplified(a), .zero)
        XCTAssertNotNil(d2["regimes"])
        XCTAssertEqual(object["schema_version"] as? Int, JSONReport.schemaVersion)
        // A condition carries its structure: the comparison, its accuracy and the term that dominates below it.
        let condition = try XCTUnwrap((d2["conditions"] as? [[String: Any]])?.first)
        XCTAssertEqual(condition["variable"] as? String, "n")
        XCTAssertEqual(condition["relation"] as? String, ">=")
        XCTAssertEqual(condition["up_to"] as? String, "constants and log factors")
        XCTAssertEqual((condition["dominated_by"] as? [String: Any])?["name"] as? String, "routing")
        XCTAssertEqual((parse(condition["value"] as? String ?? "0") - parse("(L_T*ell*k*log(e*M/k))^((2*beta + d)/d)")).simplified(a), .zero)
        XCTAssertTrue(laws.allSatisfy { ($0["exponents"] as? [String: String])?["risk"] != nil }, "risk is always present")
        XCTAssertNotNil(object["steps"])
        let audit = try XCTUnwrap(object["audit"] as? [String: Any])
        let contradictions = try XCTUnwrap(audit["contradictions"] as? [[String: Any]])
        XCTAssertTrue(contradictions.allSatisfy { $0["rate"] != nil && $0["lower_bound"] != nil && $0["path"] != nil && $0["lemma_chain"] != nil && $0["removed_by"] != nil })
    }
}
