import Foundation
import Symbolic
import Derivation

// Checker soundness fuzzing, part 5: the worker. For each case: generate the theory, load it from memory, check
// that every lemma and bound is true for the models (a failure there is a fuzzer bug, reported apart), check
// every theorem with one Checker, and confirm every accepted step (and every accepted statement that is not
// just its one step) numerically. An accepted claim that is numerically false is a VIOLATION, printed with the
// full theory text and written to the output folder as a reproducer.

final class CheckerWorker {
    let seed: UInt64
    let progress: ProgressSlot?
    let limitNanos: UInt64
    let outDir: String?
    var verbose = false
    var stats: [String: Int] = [:]
    var timings: [Stage: StageTiming] = [:]
    var caseTiming = StageTiming()
    var violationCount = 0
    var violations: [String] = []
    var fuzzerFailureCount = 0
    var notes: [String: Int] = [:]
    var examples: [String] = []

    /// The share of rejected steps confirmed anyway, to measure the confirmation's power.
    var calibrationRate = 0.04
    var calibrationRNG = FuzzRNG(seed: 0, index: 0)
    func calibrationDraw() -> Bool { calibrationRNG.chance(calibrationRate) }

    static let adversarial = ["outside its domain", "a non-integer", "breaks a relation", "the model depends on", "not declared independent",
                              "fixed symbol bound", "growing variable rebound", "binds a"]

    func calibrate(_ claim: ClaimSpec, _ confirmer: Confirmer, _ index: Int) {
        count("calibration: rejected steps confirmed anyway")
        let verdict = timed(.checkerConfirm, index) { confirmer.confirm(claim) }
        switch verdict {
        case .violation: count("calibration: rejected steps shown false (\(TheoremGenerator.isAsymptotic(claim.op) ? "asymptotic" : "exact"))")
        case .confirmed: count("calibration: rejected steps not shown false (\(TheoremGenerator.isAsymptotic(claim.op) ? "asymptotic" : "exact"))")
        case .suspect: count("calibration: rejected steps suspect")
        case .inconclusive: count("calibration: rejected steps inconclusive")
        }
        if verbose { print("     calibration (rejected step): \(verdict)") }
    }

    init(seed: UInt64, progress: ProgressSlot?, limitNanos: UInt64, outDir: String?) {
        self.seed = seed
        self.progress = progress
        self.limitNanos = limitNanos
        self.outDir = outDir
    }

    func count(_ key: String, _ n: Int = 1) { stats[key, default: 0] += n }

    func note(_ kind: String, _ example: String) {
        notes[kind, default: 0] += 1
        if examples.count < 12 && notes[kind]! <= 3 { examples.append("\(kind): \(example)") }
        if verbose { print("NOTE \(kind): \(example)") }
    }

    func run(start: Int, count n: Int) {
        for index in start..<(start + n) { runCase(index) }
    }

    func timed<T>(_ stage: Stage, _ index: Int, _ body: () -> T) -> T {
        progress?.set(index: index, stage: stage)
        let t0 = threadCPUNanos()
        let r = body()
        timings[stage, default: StageTiming()].record(threadCPUNanos() - t0, index: index, limit: limitNanos)
        return r
    }

    static func justificationKind(_ by: String) -> String {
        switch by {
        case "algebra", "monotonicity", "asymptotics", "definition": return by
        default: return "lemma"
        }
    }

    func runCase(_ index: Int) {
        let start = threadCPUNanos()
        defer { caseTiming.record(threadCPUNanos() - start, index: index, limit: limitNanos) }
        let c = timed(.checkerGenerate, index) { CheckerCase.make(seed: seed, index: index) }
        let text = c.text()
        count("cases")
        if verbose { print(text) }
        let loaded: Result<Theory, Error> = timed(.checkerLoad, index) {
            Result { try Theory.load(CheckerCase.path, from: .memory([CheckerCase.path: text])) }
        }
        guard case .success(let theory) = loaded else {
            if case .failure(let e) = loaded { note("theory rejected at load (the generator wrote something the loader refuses)", "index \(index): \(e)") }
            count("cases: theory rejected at load")
            return
        }
        let confirmer = Confirmer(c, rng: FuzzRNG(seed: seed, index: UInt64(index), stream: 22))
        // Every lemma and bound must be true for the models; otherwise the case proves nothing about the kernel.
        let sound = timed(.checkerSelfCheck, index) { selfCheck(c, theory, confirmer, index) }
        if !sound { count("cases: skipped, a lemma is false for its model (fuzzer bug)") }
        confirmer.exactPoints = 40
        confirmer.fixedDraws = 3
        confirmer.randomFamilies = 5
        let checker = Checker(theory: theory)
        for t in c.theorems {
            guard let lemma = theory.lemmas[t.id], let proof = lemma.proof else { continue }
            count("theorems")
            let checkStart = threadCPUNanos()
            let report = timed(.checkerCheck, index) { checker.check(lemma) }
            let checkNanos = threadCPUNanos() - checkStart
            let startFailed = report.steps.contains { $0.justification == "start" && !$0.ok }
            let verdicts = report.steps.filter { $0.justification != "conclusion" && $0.justification != "start" }
            guard verdicts.count == proof.steps.count else {
                // The proof's context was refused as a whole (a hypothesis contradicting the domains, a path that
                // cannot be followed): only the conclusion has a verdict.
                count("theorems: refused as a whole (hypothesis contradicts the domains, or the path cannot be followed)")
                continue
            }
            if verbose { print("-- \(t.id): \(report.ok ? "PROVED" : "not proved") (Checker.check: \(seconds(checkNanos)) CPU)") }
            var previous = proof.start
            for (i, (step, verdict)) in zip(proof.steps, verdicts).enumerated() {
                defer { previous = step.rhs }
                let kind = CheckerWorker.justificationKind(t.steps[i].by.split(separator: " ").first.map(String.init) ?? "")
                count("steps checked")
                count("steps checked: \(kind)")
                count("steps checked by tag: \(t.steps[i].tag)")
                if kind == "lemma" { for b in t.steps[i].bindingTag.components(separatedBy: " + ") { count("lemma bindings checked: \(b)") } }
                if verbose {
                    print("   step \(i + 1): \(previous.text) \(step.op.rawValue) \(step.rhs.text)  by \(t.steps[i].by)")
                    print("     kernel: \(verdict.ok ? "accepted" : (verdict.undecided ? "undecided" : "rejected")): \(verdict.message)")
                }
                let asymptotic = TheoremGenerator.isAsymptotic(step.op)
                let lhsChecked = i == 0 ? !startFailed : verdicts[i - 1].ok
                let claim = ClaimSpec(label: "\(t.id) step \(i + 1)", lhs: previous, op: step.op, rhs: step.rhs,
                                      path: asymptotic ? t.path : nil, hypotheses: t.hypotheses,
                                      lenient: (!asymptotic && t.path != nil) || !lhsChecked)
                guard verdict.ok else {
                    // Calibration: a sample of the rejected steps goes through the same confirmation. Many of them
                    // are false, and the share shown false measures what the confirmation can see.
                    calibrationRNG = FuzzRNG(seed: seed, index: UInt64(index), stream: UInt64(1000 + 10 * (Int(t.id.dropFirst()) ?? 0) + i))
                    if sound && calibrationRate > 0 && calibrationDraw() {
                        calibrate(claim, confirmer, index)
                    }
                    continue
                }
                count("steps accepted")
                count("steps accepted: \(kind)")
                count("steps accepted by tag: \(t.steps[i].tag)")
                if kind == "lemma" { for b in t.steps[i].bindingTag.components(separatedBy: " + ") { count("lemma bindings accepted: \(b)") } }
                guard sound else { continue }
                let bindings = t.steps[i].bindingTag
                if kind == "lemma", CheckerWorker.adversarial.contains(where: { bindings.contains($0) }) {
                    note("accepted adversarial binding (then confirmed or not below)", "index \(index) \(t.id): \(claim.text) by \(t.steps[i].by) [\(bindings)]")
                }
                confirmClaim(claim, c, t, confirmer, index, kernel: verdict.message, by: t.steps[i].by, tag: "\(t.steps[i].tag); bindings: \(t.steps[i].bindingTag)",
                             counter: "steps accepted")
            }
            if report.ok {
                count("theorems: proof accepted")
                let single = proof.steps.count == 1 && proof.steps[0].op == lemma.statement.op
                if !single && sound {
                    let claim = ClaimSpec(label: "\(t.id) statement", lhs: lemma.statement.lhs, op: lemma.statement.op, rhs: lemma.statement.rhs,
                                          path: TheoremGenerator.isAsymptotic(lemma.statement.op) ? t.path : nil, hypotheses: t.hypotheses)
                    confirmClaim(claim, c, t, confirmer, index, kernel: "the chain proves the statement", by: "the chain",
                                 tag: "statement of a \(proof.steps.count)-step proof", counter: "statements accepted")
                }
            }
        }
        for (k, v) in confirmer.stats { count("confirmation \(k)", v) }
    }

    func confirmClaim(_ claim: ClaimSpec, _ c: CheckerCase, _ t: CTheorem, _ confirmer: Confirmer, _ index: Int,
                      kernel: String, by: String, tag: String, counter: String) {
        let verdict = timed(.checkerConfirm, index) { confirmer.confirm(claim) }
        let exact = !TheoremGenerator.isAsymptotic(claim.op)
        switch verdict {
        case .confirmed(let how):
            count("\(counter): confirmed")
            count("\(counter): confirmed (\(exact ? "exact" : "asymptotic"))")
            if verbose { print("     confirmed: \(how)") }
        case .inconclusive(let why):
            count("\(counter): inconclusive (skipped)")
            if verbose { print("     inconclusive: \(why)") }
        case .suspect(let why):
            count("\(counter): suspect growth that the log domain cannot follow (not counted as a violation)")
            note("suspect (review by hand)", "index \(index) \(claim.label): \(claim.text) by \(by): \(why)")
        case .violation(let why):
            count("\(counter): VIOLATION")
            violationCount += 1
            let header = [
                "VIOLATION: the kernel accepted \(claim.label): \(claim.text)",
                "  justification: \(by) (\(tag))",
                "  kernel said: \(kernel)",
                "  numerically false for the models: \(why)",
            ]
            var file = ""
            if let outDir {
                try? FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
                file = outDir + "/violation-checker-\(seed)-\(index)-\(t.id).bounds"
                let body = c.text(only: [t.id], header: header.flatMap { $0.split(separator: "\n").map(String.init) })
                _ = FileManager.default.createFile(atPath: file, contents: Data(body.utf8))
            }
            let line = "index=\(index) \(claim.label): \(claim.text) | by \(by) (\(tag)) | kernel: \(kernel) | confirmation: \(why)"
                + (file.isEmpty ? "" : " | saved: \(file)") + " | replay: bounds-fuzz --replay checker \(seed) \(index)"
            violations.append(line + " | theory: " + c.text(only: [t.id]))
            if verbose { print(header.joined(separator: "\n")) }
        }
    }

    /// Every lemma and every declared bound of the case, numerically, with the models: true, or the case is void.
    func selfCheck(_ c: CheckerCase, _ theory: Theory, _ confirmer: Confirmer, _ index: Int) -> Bool {
        confirmer.exactPoints = 24
        confirmer.fixedDraws = 1
        confirmer.randomFamilies = 2
        var claims: [ClaimSpec] = []
        for l in c.lemmas {
            guard let loaded = theory.lemmas[l.id] else { continue }
            claims.append(ClaimSpec(label: "lemma \(l.id)", lhs: loaded.statement.lhs, op: loaded.statement.op, rhs: loaded.statement.rhs,
                                    path: l.path, hypotheses: l.hypotheses))
        }
        for q in c.quantities {
            guard let b = q.bound else { continue }
            claims.append(ClaimSpec(label: "bound of \(q.name)", lhs: q.atom, op: .greaterEqual, rhs: b, path: nil, hypotheses: []))
        }
        var ok = true
        for claim in claims {
            switch confirmer.confirm(claim) {
            case .violation(let why):
                ok = false
                fuzzerFailureCount += 1
                note("FUZZER BUG: a lemma or bound is false for its model", "index \(index) \(claim.label): \(claim.text): \(why)")
            case .suspect(let why):
                note("self-check suspect", "index \(index) \(claim.label): \(claim.text): \(why)")
            default: break
            }
        }
        return ok
    }

    func printSummary() {
        for (k, v) in stats.sorted(by: { $0.key < $1.key }) { print("STAT\t\(k)\t\(v)") }
        for (stage, t) in timings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { print("TIMING\t\(stage.rawValue)\t\(t.line)") }
        print("TIMING\tcase\t\(caseTiming.line)")
        print("VCOUNT\tkernel accepted a claim that is false for the models (checker unsound)\t\(violationCount)")
        print("VCOUNT\tfuzzer bug: a lemma or bound false for its model\t\(fuzzerFailureCount)")
        for v in violations { print("VIOLATION\tchecker\t\(v.escapedForReport)") }
        for (k, v) in notes.sorted(by: { $0.key < $1.key }) { print("ECOUNT\t\(k)\t\(v)") }
        for e in examples { print("EXAMPLE\t\(e.escapedForReport)") }
    }
}

/// The checker mode's own lines in the coordinator's report: rates and per-justification acceptance.
func checkerSummary(_ totals: Totals, elapsed: Double) -> [String] {
    let s = totals.stats
    func v(_ k: String) -> Int { s[k] ?? 0 }
    func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.1f %%", 100 * Double(a) / Double(b)) }
    var lines: [String] = []
    let steps = v("steps checked"), accepted = v("steps accepted")
    lines.append("")
    lines.append("Checker soundness summary:")
    lines.append("- cases: \(v("cases")) (rejected at load: \(v("cases: theory rejected at load")); void, a lemma false for its model: \(v("cases: skipped, a lemma is false for its model (fuzzer bug)")))")
    lines.append("- theorems: \(v("theorems")), proofs accepted: \(v("theorems: proof accepted")) (\(pct(v("theorems: proof accepted"), v("theorems"))))")
    lines.append("- steps checked: \(steps); accepted: \(accepted) (\(pct(accepted, steps)))")
    lines.append("- accepted steps confirmed: \(v("steps accepted: confirmed")) (exact \(v("steps accepted: confirmed (exact)")), asymptotic \(v("steps accepted: confirmed (asymptotic)"))); inconclusive: \(v("steps accepted: inconclusive (skipped)")); suspects: \(v("steps accepted: suspect growth that the log domain cannot follow (not counted as a violation)"))")
    lines.append("- accepted statements of longer proofs: \(v("statements accepted: confirmed")) confirmed, \(v("statements accepted: VIOLATION")) violations")
    let sampled = v("calibration: rejected steps confirmed anyway")
    let falseE = v("calibration: rejected steps shown false (exact)"), falseA = v("calibration: rejected steps shown false (asymptotic)")
    lines.append("- calibration: \(sampled) rejected steps confirmed anyway; shown false: \(falseE + falseA) (\(pct(falseE + falseA, sampled)); exact \(falseE) of \(falseE + v("calibration: rejected steps not shown false (exact)")), asymptotic \(falseA) of \(falseA + v("calibration: rejected steps not shown false (asymptotic)")))")
    lines.append("- **VIOLATIONS: \(v("steps accepted: VIOLATION") + v("statements accepted: VIOLATION"))**")
    lines.append("- points skipped in confirmations: \(v("confirmation points: skipped (overflow)")) overflow, \(v("confirmation points: skipped (rounding decides)")) where rounding decides, \(v("confirmation points: undefined, skipped (exact step of an asymptotic theorem)")) undefined where definedness is demanded only eventually; \(v("confirmation points: none admissible")) draws without an admissible point")
    lines.append("- evaluated: \(v("confirmation points: exact (rational)")) exact rational points, \(v("confirmation points: Double")) Double points, \(v("confirmation families")) families (\(v("confirmation family points evaluated")) points, \(v("confirmation family points evaluated (log domain)")) in the log domain); growing ratios in Double: \(v("confirmation families with growing ratio (stage 1)")), refuted in the log domain: \(v("confirmation families with growing ratio refuted in the log domain"))")
    let cpu = Double(totals.timings["case"]?.totalNanos ?? 0) / 1e9
    lines.append(String(format: "- throughput: %.0f steps/s wall (%.1f s wall); CPU %.2f ms per step (%.0f s of CPU in the workers)", Double(steps) / max(elapsed, 1e-9), elapsed,
                        1e3 * cpu / Double(max(steps, 1)), cpu))
    lines.append("")
    lines.append("| justification | checked | accepted | rate |")
    lines.append("|---|---|---|---|")
    for k in ["lemma", "algebra", "monotonicity", "asymptotics", "definition"] {
        lines.append("| \(k) | \(v("steps checked: \(k)")) | \(v("steps accepted: \(k)")) | \(pct(v("steps accepted: \(k)"), v("steps checked: \(k)"))) |")
    }
    lines.append("")
    lines.append("| step kind | checked | accepted | rate |")
    lines.append("|---|---|---|---|")
    for key in s.keys.filter({ $0.hasPrefix("steps checked by tag: ") }).sorted() {
        let tag = String(key.dropFirst("steps checked by tag: ".count))
        lines.append("| \(tag) | \(v(key)) | \(v("steps accepted by tag: \(tag)")) | \(pct(v("steps accepted by tag: \(tag)"), v(key))) |")
    }
    lines.append("")
    lines.append("| lemma bindings | checked | accepted | rate |")
    lines.append("|---|---|---|---|")
    for key in s.keys.filter({ $0.hasPrefix("lemma bindings checked: ") }).sorted() {
        let tag = String(key.dropFirst("lemma bindings checked: ".count))
        lines.append("| \(tag) | \(v(key)) | \(v("lemma bindings accepted: \(tag)")) | \(pct(v("lemma bindings accepted: \(tag)"), v(key))) |")
    }
    return lines
}

/// `bounds-fuzz --checker-selftest`: the confirmation on claims whose truth is known (false ones from the must-fail
/// suite's classes, true ones of the same shapes). Exit 1 when a false claim is not shown false or a true one is.
func checkerSelfTest() -> Int32 {
    let symbols = [CSymbol(name: "n", kind: .int2), CSymbol(name: "M", kind: .int1), CSymbol(name: "k", kind: .bounded("M")),
                   CSymbol(name: "a", kind: .positive), CSymbol(name: "x", kind: .unit), CSymbol(name: "y", kind: .real)]
    let quantities = [CQuantity(name: "R", argument: nil, model: lit(5) * sym("n"), modelSign: .pos, bound: lit(1), independent: []),
                      CQuantity(name: "Err", argument: nil, model: Expr.reciprocal(sym("n")), modelSign: .pos, bound: lit(0), independent: [])]
    let c = CheckerCase(seed: 0, index: 0, symbols: symbols, relations: [], definition: nil, quantities: quantities, lemmas: [], theorems: [])
    func e(_ text: String) -> Expr { try! Parser.parseExpression(text) }
    let cases: [(String, RelationOperator, String, [String]?, Bool)] = [
        // (lhs, op, rhs, fixed symbols of the path or nil, true?)
        ("Err", .lessEqual, "1/n^2", nil, false),
        ("Err", .lessEqual, "1/n", nil, true),
        ("log(n*M)", .asymptoticLessEqual, "log(n)", [], false),
        ("log(n*M)", .asymptoticLessEqual, "log(n)", ["M"], true),
        ("n^(-a)*log(n)", .asymptoticLessEqual, "1", [], false),
        ("n^(-a)*log(n)", .asymptoticLessEqual, "1", ["a"], true),
        ("R^k", .asymptoticLessEqual, "n^k", [], false),
        ("R^k", .asymptoticLessEqual, "n^k", ["k"], true),
        ("log(n)", .asymptoticLessEqual, "n^a", [], false),
        ("log(n)^2", .asymptoticLessEqual, "n^a", ["a"], true),
        ("max(M, n)", .asymptoticLessEqual, "n", [], false),
        ("k*log(e*M/k)", .asymptoticLessEqual, "k*log(M) + k", [], true),
        ("x*n", .asymptoticLessEqual, "n", [], true),
        ("n", .asymptoticLessEqual, "x*n", [], false),
        ("1/(1 - x + 1/n)", .asymptoticLessEqual, "n", [], true),
        ("1/(1 - x + 1/n)", .asymptoticLessEqual, "1", [], false),
        ("n*y^2", .asymptoticLessEqual, "n*(y^2 + 1)", [], true),
        ("n", .asymptoticLessEqual, "n*y", [], false),
        ("n + M", .asymptoticEqual, "max(n, M)", nil, true),
        ("n*M", .asymptoticGreaterEqual, "n + M", nil, true),
        ("n + M", .asymptoticGreaterEqual, "n*M", nil, false),
        ("1/x", .asymptoticLessEqual, "1", nil, false),
        ("min(n, M)", .asymptoticLessEqual, "sqrt(n*M)", nil, true),
        ("log(1 - x)", .lessEqual, "0", nil, false),
        ("1/(x - 1/2)", .lessEqual, "3", nil, false),
        ("k", .lessEqual, "M", nil, true),
        ("k^2", .lessEqual, "k*M", nil, true),
        ("x^2", .less, "x", nil, false),
        ("x^2", .lessEqual, "x", nil, true),
        ("2*x*y", .lessEqual, "x^2 + y^2", nil, true),
        ("log(y^2 + 1)", .lessEqual, "y^2", nil, true),
        ("log(y^2 + 1)", .less, "y^2", nil, false),
    ]
    var failures = 0
    let confirmer = Confirmer(c, rng: FuzzRNG(seed: 1, index: 1))
    for (l, op, r, path, truth) in cases {
        let claim = ClaimSpec(label: "selftest", lhs: e(l), op: op, rhs: e(r), path: path, hypotheses: [])
        let verdict = confirmer.confirm(claim)
        var shownFalse = false
        var text = ""
        switch verdict {
        case .violation(let why): shownFalse = true; text = "shown false: \(why)"
        case .confirmed(let how): text = "not shown false (\(how))"
        case .inconclusive(let why): text = "inconclusive: \(why)"
        case .suspect(let why): text = "suspect: \(why)"
        }
        let ok = shownFalse != truth
        if !ok { failures += 1 }
        print("\(ok ? "ok  " : "FAIL") \(truth ? "true " : "false") \(claim.text): \(text.clipped(400))")
    }
    print(failures == 0 ? "checker self-test: all \(cases.count) claims judged as expected" : "checker self-test: \(failures) of \(cases.count) claims misjudged")
    return failures == 0 ? 0 : 1
}
