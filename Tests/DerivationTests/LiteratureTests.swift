import Foundation
import XCTest
import Symbolic
import Asymptotics
@testable import Derivation

/// The library of published results (theorems/empirical/, theorems/theory/): every file loads, its proofs check, and
/// each law the engine derives is compared with the paper's published exponent or number. A law the engine cannot
/// derive yet is in `awaitingEngine` with today's exact message; its test asserts that the engine stops cleanly
/// (a located error, or an undecided law that prints no rate), and fails once the engine derives it, so that the
/// comparison with the paper can replace the entry.
final class LiteratureTests: XCTestCase {
    /// A law the current engine does not derive, with the message it gives and the capability it needs.
    struct Awaiting {
        var file: String
        var law: String
        /// The located error of the law (in `lawFailures`), or the reason an undecided law gives.
        var message: String
        var needs: String
    }

    static let awaitingEngine: [Awaiting] = [
        Awaiting(file: "empirical/clark-2022-routed.bounds", law: "CL_E",
                 message: "law CL_E: cannot give the growth of log(E_max/(E_max - E_max^2 - E_start - E*E_max + E*E_start)*(E_max - E_start - E*E_max + E*E_start - E_max*E_start)): its argument tends to a constant, and bounds does not expand a log there",
                 needs: "a log whose argument tends to a constant (the saturating E_hat -> E_max), and laws on a log-space fit"),
        Awaiting(file: "empirical/clark-2022-routed.bounds", law: "CL_N",
                 message: "the lower bound is not proved: the term d of a*log(N) + b*log(E_hat) + c*log(E_hat)*log(N) + d is not known to be nonnegative, so nothing can be bounded by it",
                 needs: "reading log(Loss) = (a + c*log(E_hat))*log(N) + ... as Loss ∝ N^(a + c*log(E_hat))"),
    ]

    /// Every file of the library, for the checks that apply to all of them.
    static let files = [
        "empirical/chinchilla.bounds", "empirical/chinchilla-approaches.bounds", "empirical/clark-2022-routed.bounds",
        "empirical/frantar-2023-sparsity.bounds", "empirical/sardana-frankle-2024-inference.bounds",
        "empirical/muennighoff-2023-data-constrained.bounds", "empirical/abnar-2025-moe-sparsity.bounds",
        "empirical/tian-2025-efficiency-leverage.bounds",
        "theory/havrilla-liao-2024.bounds", "theory/chen-jiang-liao-zhao-2022.bounds", "theory/suzuki-2019.bounds",
        "theory/nakada-imaizumi-2020.bounds", "theory/vc-dimension.bounds", "theory/pac-bayes-mcallester-1999.bounds",
    ]

    /// The laws the tests below compare with the published figures.
    static let verified: Set<String> = [
        "chinchilla", "H1_a", "H1_b", "H2_a", "H2_b", "FR_C", "FR_Cclosed", "SF_C", "MU_R", "TI_C", "AB_C",
        "HL_N", "HL_n", "HL_C", "CJLZ_n", "SZ_n", "NI_n", "VC_n", "PB_n", "PB_KL",
    ]

    func path(_ file: String) -> String { repositoryRoot.appendingPathComponent("theorems").appendingPathComponent(file).path }

    func run(_ file: String, audit: Bool = false) throws -> DerivationRun {
        try DerivationRun(theory: try Theory.load(path(file), from: .fileSystem), audit: audit)
    }

    /// The value of `e` at a law's `values` (the fitted constants the file records).
    func value(_ e: Expr?, at law: String, in run: DerivationRun, file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let e else { XCTFail("no exponent", file: file, line: line); return .nan }
        guard let spec = run.theory.orderedLaws.first(where: { $0.id == law }) else { XCTFail("no law \(law)", file: file, line: line); return .nan }
        var env: [String: Double] = [:]
        for (name, v) in spec.values { env[name] = try? v.evaluate([:]) }
        do { return try e.evaluate(env) } catch {
            XCTFail("cannot evaluate \(e) at \(env): \(error)", file: file, line: line)
            return .nan
        }
    }

    // MARK: - Every file

    func testEveryFileLoadsItsProofsCheckAndDeriveStopsCleanly() throws {
        for file in Self.files {
            let theory = try Theory.load(path(file), from: .fileSystem)
            for report in Checker(theory: theory).checkAll() {
                for step in report.steps { XCTAssertTrue(step.ok, "\(file) \(report.lemma) \(step.location): \(step.message)") }
            }
            let run = try DerivationRun(theory: theory, audit: true)
            XCTAssertTrue(run.unchecked.isEmpty, file)
            // Each law is either compared with the paper below, or awaits the engine: no law is left untested.
            for law in theory.orderedLaws {
                let awaiting = Self.awaitingEngine.contains { $0.file == file && $0.law == law.id }
                XCTAssertTrue(Self.verified.contains(law.id) != awaiting, "\(file): law \(law.id) must be in exactly one of verified and awaitingEngine")
                // Every law names where its statement comes from.
                XCTAssertNotNil(law.source, "\(file): law \(law.id) has no source")
            }
            // Every lemma has its source, and a failing law is located at its own line.
            for lemma in theory.orderedLemmas { XCTAssertFalse(lemma.source.isEmpty, "\(file): \(lemma.id)") }
            for failure in run.lawFailures {
                XCTAssertEqual(failure.location?.file.map { URL(fileURLWithPath: $0).lastPathComponent }, URL(fileURLWithPath: file).lastPathComponent, "\(failure)")
            }
        }
    }

    /// theorems/README.md names every theory file, with what it reproduces.
    func testTheoremsReadmeListsEveryFile() throws {
        let base = repositoryRoot.appendingPathComponent("theorems")
        let readme = try String(contentsOf: base.appendingPathComponent("README.md"), encoding: .utf8)
        let walker = try XCTUnwrap(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil))
        var count = 0
        for case let url as URL in walker where url.pathExtension == "bounds" {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1))
            XCTAssertTrue(readme.contains("`\(relative)`"), "theorems/README.md does not list \(relative)")
            count += 1
        }
        XCTAssertGreaterThanOrEqual(count, Self.files.count)
        for entry in Self.awaitingEngine {
            XCTAssertTrue(readme.contains(entry.law), "theorems/README.md does not name the awaiting law \(entry.law)")
        }
    }

    func testAwaitingLawsStopWithTheirExactMessageAndPrintNoRate() throws {
        for entry in Self.awaitingEngine {
            let run = try run(entry.file)
            let law = try XCTUnwrap(run.theory.orderedLaws.first { $0.id == entry.law }, entry.law)
            if let failure = run.lawFailures.first(where: { $0.message.hasPrefix("law \(entry.law):") }) {
                XCTAssertEqual(failure.message, entry.message, "\(entry.file) \(entry.law): the message changed; if the engine now derives more, compare with the paper")
                XCTAssertEqual(failure.location?.line, law.location.line, "\(entry.law): the error is located at the law")
                XCTAssertNil(run.law(entry.law), "\(entry.law) both failed and derived")
            } else if let derived = run.law(entry.law) {
                XCTAssertEqual(derived.undecided, entry.message, "\(entry.file) \(entry.law): \(derived.undecided.map { _ in "the reason changed" } ?? "now derives \(derived.riskExponent)"): compare with the paper and move it to the verified laws")
                XCTAssertTrue(derived.exponents.isEmpty, "\(entry.law): an undecided law prints no rate")
                XCTAssertFalse(derived.isCertified)
            } else {
                XCTFail("\(entry.law) is neither derived nor failed")
            }
        }
    }

    // MARK: - Empirical laws

    /// Hoffmann et al. 2022, Approach 3 (Eq. 10): a = beta/(alpha + beta) = 0.4516 at the rounded constants; Table 2
    /// prints 0.46, which the unrounded fit (alpha = 0.3392, beta = 0.2849) gives.
    func testChinchillaApproach3AllocationExponent() throws {
        let run = try run("empirical/chinchilla.bounds")
        let law = try XCTUnwrap(run.law("chinchilla"))
        let closed = try XCTUnwrap(law.closedForm)
        assertSameExponent(closed.exponent, "beta/(alpha + beta)", run.theory.assumptions)
        let a = try XCTUnwrap(law.values.first { $0.0.name == "a" }?.1)
        XCTAssertEqual(a, 0.4516, accuracy: 1e-4)
        XCTAssertEqual(try closed.exponent.evaluate(["alpha": 0.3392, "beta": 0.2849]), 0.46, accuracy: 0.005, "Table 2, Approach 3")
        let b = try XCTUnwrap(law.values.first { $0.0.name == "b" }?.1)
        XCTAssertEqual(b, 0.5484, accuracy: 1e-4)
    }

    /// Hoffmann et al. 2022, Table 2: Approach 1 a = 0.50, b = 0.50; Approach 2 a = 0.49, b = 0.51. The engine derives
    /// b = 1 - a from the FLOPs count C = 6*N*D.
    func testChinchillaApproaches1And2() throws {
        let run = try run("empirical/chinchilla-approaches.bounds")
        let a = run.theory.assumptions
        assertSameExponent(run.law("H1_a")?.exponent("risk"), "a_1", a)
        assertSameExponent(run.law("H1_b")?.exponent("risk"), "1 - a_1", a)
        assertSameExponent(run.law("H2_b")?.exponent("risk"), "1 - a_2", a)
        XCTAssertEqual(value(run.law("H1_a")?.exponent("risk"), at: "H1_a", in: run), 0.50, accuracy: 1e-12)
        XCTAssertEqual(value(run.law("H1_b")?.exponent("risk"), at: "H1_b", in: run), 0.50, accuracy: 1e-12)
        XCTAssertEqual(value(run.law("H2_a")?.exponent("risk"), at: "H2_a", in: run), 0.49, accuracy: 1e-12)
        XCTAssertEqual(value(run.law("H2_b")?.exponent("risk"), at: "H2_b", in: run), 0.51, accuracy: 1e-12)
        for id in ["H1_a", "H1_b", "H2_a", "H2_b"] { XCTAssertEqual(run.law(id)?.isCertified, true, id) }
    }

    /// Frantar et al. 2023, closed form: the two terms in N^(-b_N) are one term whose coefficient a_S(1-S)^b_S + c_S
    /// carries the sparsity; N* = G·(C/6)^(b_D/(b_N+b_D)) with G free of C, and the exponent free of S.
    func testFrantarClosedFormCarriesSparsityInTheCoefficient() throws {
        let run = try run("empirical/frantar-2023-sparsity.bounds")
        let closed = try XCTUnwrap(run.law("FR_Cclosed")?.closedForm)
        assertSameExponent(closed.exponent, "b_D/(b_N + b_D)", run.theory.assumptions)
        XCTAssertFalse(closed.coefficient.contains(symbol: "C"), "\(closed.coefficient)")
        XCTAssertTrue(closed.coefficient.contains(symbol: "S"), "\(closed.coefficient)")
        // Numerically: minimizing K*N^(-b_N) + (a_D*6*N/C)^b_D with K = a_S(1-S)^b_S + c_S gives
        // N* = (b_N*K/(b_D*(6*a_D/C)^b_D))^(1/(b_N+b_D)), so G = (b_N*K/(b_D*a_D^b_D))^(1/(b_N+b_D)) against (C/6)^a.
        let point = ["a_S": 2.0, "b_S": 1.5, "c_S": 0.5, "S": 0.5, "a_D": 3.0, "b_D": 0.3, "b_N": 0.4]
        let k = 2.0 * pow(0.5, 1.5) + 0.5
        XCTAssertEqual(try closed.coefficient.evaluate(point), pow(0.4 * k / (0.3 * pow(3.0, 0.3)), 1 / 0.7), accuracy: 1e-9)
    }

    /// Sardana & Frankle 2024: with the inference demand D_inf fixed, training dominates the cost as C → ∞, so the
    /// allocation exponents are Chinchilla's; the one-cost closed form is not printed for the whole budget.
    func testSardanaFrankleInferenceAwareAllocation() throws {
        let run = try run("empirical/sardana-frankle-2024-inference.bounds")
        let law = try XCTUnwrap(run.law("SF_C"))
        XCTAssertTrue(law.isCertified, "\(String(describing: law.undecided))")
        assertSameExponent(law.exponent("N"), "beta/(alpha + beta)", run.theory.assumptions)
        assertSameExponent(law.exponent("D_tr"), "alpha/(alpha + beta)", run.theory.assumptions)
        XCTAssertNil(law.closedForm)
        XCTAssertTrue(law.regimes.contains { $0.condition.text == "cost 6*N*D_tr dominates" }, "\(law.regimes)")
    }

    /// Muennighoff et al. 2023: repeated data saturates, D' → (1 + R_D*)·U_D, so the loss stops falling in R_D.
    func testMuennighoffRepeatedDataSaturates() throws {
        let run = try run("empirical/muennighoff-2023-data-constrained.bounds")
        let law = try XCTUnwrap(run.law("MU_R"))
        XCTAssertTrue(law.isCertified, "\(String(describing: law.undecided))")
        XCTAssertEqual(law.riskExponent, .zero)
        XCTAssertEqual(law.logPower, .zero)
    }

    /// Abnar et al. 2025 at a fixed sparsity: with the fit's gamma < alpha the interaction term d/((1-S)^delta*N^gamma)
    /// is the N-term the compute optimum balances against b/D^beta; c/(1-S)^lambda is a floor like e.
    func testAbnarAllocationAtAFixedSparsity() throws {
        let run = try run("empirical/abnar-2025-moe-sparsity.bounds")
        let law = try XCTUnwrap(run.law("AB_C"))
        XCTAssertTrue(law.isCertified, "\(String(describing: law.undecided))")
        let a = run.theory.assumptions
        assertSameExponent(law.exponent("N"), "beta/(beta + gamma)", a)
        assertSameExponent(law.riskExponent, "-beta*gamma/(beta + gamma)", a)
        XCTAssertEqual(try law.exponent("N")?.evaluate(["beta": 0.3954, "gamma": 0.1595]) ?? .nan, 0.3954 / (0.3954 + 0.1595), accuracy: 1e-12)
    }

    /// Tian et al. 2025: at a fixed configuration EL = Â^(a + d·log C + ...) grows as the power C^(d·log Â).
    func testTianLeverageIsAPowerOfCompute() throws {
        let run = try run("empirical/tian-2025-efficiency-leverage.bounds")
        let law = try XCTUnwrap(run.law("TI_C"))
        XCTAssertTrue(law.isCertified, "\(String(describing: law.undecided))")
        assertSameExponent(law.riskExponent, "d*log(A_hat)", run.theory.assumptions)
    }

    /// Frantar et al. 2023: at a fixed sparsity the compute-optimal exponents are the dense ones; S moves only the
    /// coefficient of the capacity term.
    func testFrantarAllocationExponentsDoNotDependOnSparsity() throws {
        let run = try run("empirical/frantar-2023-sparsity.bounds")
        let a = run.theory.assumptions
        let law = try XCTUnwrap(run.law("FR_C"))
        XCTAssertTrue(law.isCertified, law.undecided ?? "")
        assertSameExponent(law.exponent("N"), "b_D/(b_N + b_D)", a)
        assertSameExponent(law.exponent("D"), "b_N/(b_N + b_D)", a)
        assertSameExponent(law.exponent("risk"), "-b_N*b_D/(b_N + b_D)", a)
        for (_, e) in law.exponents { XCTAssertFalse(e.contains(symbol: "S"), "\(e)") }
    }

    // MARK: - Theory: the rates come out of balancing the lemmas

    /// Havrilla & Liao 2024: model scaling N^(-2β/d), data scaling Õ(n^(-2β/(2β+d))) with N ∝ n^(d/(2β+d)); the audit
    /// finds no rate below Stone's minimax rate.
    func testHavrillaLiaoRates() throws {
        let run = try run("theory/havrilla-liao-2024.bounds", audit: true)
        let a = run.theory.assumptions
        assertSameExponent(run.law("HL_N")?.exponent("risk"), "-2*beta/d", a)
        let data = try XCTUnwrap(run.law("HL_n"))
        assertSameExponent(data.exponent("risk"), "-2*beta/(2*beta + d)", a)
        assertSameExponent(data.exponent("N"), "d/(2*beta + d)", a)
        XCTAssertEqual(data.logPower, .one, "Thm 2 is O-tilde: one log(n) from the cover")
        // Not a result of the paper: the bundled MoE theory's budget C = N*n applied to this bound (its D3).
        assertSameExponent(run.law("HL_C")?.exponent("risk"), "-beta/(beta + d)", a)
        let audit = try XCTUnwrap(run.audit)
        XCTAssertTrue(audit.contradictions.isEmpty)
        XCTAssertFalse(audit.checked.isEmpty, "the rates are compared with S5")
    }

    /// Chen, Jiang, Liao & Zhao 2022: n^(-2β/(2β+d))*log(n)^3, the paper's log^3 n included.
    func testChenJiangLiaoZhaoRateWithItsLogCube() throws {
        let run = try run("theory/chen-jiang-liao-zhao-2022.bounds")
        let law = try XCTUnwrap(run.law("CJLZ_n"))
        let a = run.theory.assumptions
        assertSameExponent(law.exponent("risk"), "-2*beta/(2*beta + d)", a)
        assertSameExponent(law.exponent("p"), "d/(2*beta + d)", a)
        XCTAssertEqual(law.logPower, .number(3), "the paper's rate is n^(-2β/(2β+d))*log(n)^3")
    }

    /// Suzuki 2019: n^(-2s/(2s+d)) up to log factors.
    func testSuzukiBesovRate() throws {
        let run = try run("theory/suzuki-2019.bounds")
        let law = try XCTUnwrap(run.law("SZ_n"))
        let a = run.theory.assumptions
        assertSameExponent(law.exponent("risk"), "-2*s/(2*s + d)", a)
        assertSameExponent(law.exponent("N_B"), "d/(2*s + d)", a)
        XCTAssertEqual(a.quickSign(law.logPower), .positive, "up to log factors")
    }

    /// Nakada & Imaizumi 2020: n^(-2β/(2β+t)) for any t above the Minkowski dimension.
    func testNakadaImaizumiMinkowskiRate() throws {
        let run = try run("theory/nakada-imaizumi-2020.bounds")
        let law = try XCTUnwrap(run.law("NI_n"))
        let a = run.theory.assumptions
        assertSameExponent(law.exponent("risk"), "-2*beta/(2*beta + t)", a)
        assertSameExponent(law.exponent("W"), "t/(2*beta + t)", a)
        XCTAssertFalse(law.exponent("risk")?.contains(symbol: "d_M") ?? true, "the rate is stated at t, not at d_M itself")
    }

    /// The VC bound: O(sqrt(V*log(n)/n)).
    func testVCRate() throws {
        let run = try run("theory/vc-dimension.bounds")
        let law = try XCTUnwrap(run.law("VC_n"))
        assertSameExponent(law.exponent("risk"), "-1/2", run.theory.assumptions)
        XCTAssertEqual(law.logPower, parse("1/2"))
    }

    /// McAllester 1999: sqrt((KL + log(n/delta))/n), so n^(-1/2)*log(n)^(1/2) in n and KL^(1/2) in KL.
    func testPACBayesRates() throws {
        let run = try run("theory/pac-bayes-mcallester-1999.bounds")
        let a = run.theory.assumptions
        let data = try XCTUnwrap(run.law("PB_n"))
        assertSameExponent(data.exponent("risk"), "-1/2", a)
        XCTAssertEqual(data.logPower, parse("1/2"))
        assertSameExponent(run.law("PB_KL")?.exponent("risk"), "1/2", a)
        XCTAssertEqual(run.law("PB_KL")?.logPower, .zero)
    }

    // MARK: - A defined symbol moves with its definition

    /// A law may not hold a defined symbol fixed while the symbols of its definition move: with X = n^2, X/n grows
    /// like n (it was once certified as n^(-1), X held fixed).
    func testALawMovesADefinedSymbolWithItsDefinition() throws {
        let t = try theory("""
        symbols
          n : real >= 1  "n"
          X : real >= 1  "x"
        quantities
          Q >= 0 "q"
        define X = n^2 "square"
        lemma L "l" [paper]
          source "test"
          Q <= X/n
        derive b "b"
          start Q
          by L
        law g "growth"
          bound b
          as n -> oo
        """)
        let run = try DerivationRun(theory: t, audit: false)
        let law = try XCTUnwrap(run.law("g"))
        XCTAssertTrue(law.isCertified, law.undecided ?? "")
        assertSameExponent(law.exponent("risk"), "1", t.assumptions)
        // The rate rule itself refuses a claim that holds X fixed.
        let context = try ProofContext.forLaw(theory: t, growing: "n", mentioning: [parse("X/n")], assumptions: t.assumptions,
                                              memos: DerivationMemos(), location: SourceLocation(line: 1, column: 1))
        let claim = RateClaim(objective: parse("X/n"), growing: "n", rate: -1, logPower: .zero, substitutions: [], upperOnly: false)
        XCTAssertEqual(context.rateProblem(claim), "X is defined through n, which the path moves, so it cannot be held fixed")
    }
}
