import Foundation
import XCTest
import SeededRandom
import Symbolic
@testable import Derivation

/// Mutation testing of the proof checker. Every bundled proof (P3, S4, P5) is mutated step by step:
/// relations flipped, strengthened or weakened, numbers and exponents perturbed, terms dropped, the cited
/// lemma swapped, substitutions changed, hypotheses added to, strengthened in or weakened in the cited
/// lemma. Each mutant is written into a copy of theorems/, loaded and checked.
///
/// Which mutants are false is decided independently of the checker, by evaluation at random points that
/// satisfy the theory's assumptions (quantities such as Cover(1/n) set to random values above their
/// declared lower bounds):
/// - a step justified by algebra, monotonicity, asymptotics, a definition or a quantity-free lemma holds
///   for every value of the quantities, so it is evaluated directly (`<~` by a growth test: the ratio of
///   the sides grows without bound when one or two symbols are scaled);
/// - a step justified by a lemma about a quantity is judged against the original step, which the lemma
///   makes tight in some model: a mutated right side smaller than the original somewhere (`<~`: smaller by
///   an unbounded factor) breaks the step; a mutated left side larger than the original breaks the next one;
/// - a citation that no longer bounds the quantity the step eliminates (swapped lemma, changed
///   substitution, a hypothesis violated at some point) leaves that quantity free: it is blown up;
/// - a flipped relation, or a relation stronger than the cited quantity lemma gives, is false by rule.
/// The checker must reject every confirmed-false mutant. Mutants that stay true (weakened relations,
/// implied hypotheses, equivalent rewrites) and true steps with a wrong citation are reported, not required.
final class MutationTests: XCTestCase {

    // MARK: Mutants

    private enum Verdict: Equatable {
        case confirmedFalse(String)
        /// The step is still true but the citation does not give it (or falsity could not be confirmed).
        case unjustified(String)
        case valid(String)
    }

    private struct Mutant {
        var theorem: String
        var kind: String
        var description: String
        /// Path of the edited file → its new text.
        var files: [String: String]
        var verdict: Verdict
    }

    // MARK: The test

    func testCheckerKillsEveryConfirmedFalseMutant() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["BOUNDS_MUTATION_SEED"] ?? "") ?? 20_261_122
        print("MutationTests: seed \(seed) (set BOUNDS_MUTATION_SEED to change)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-mutation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let theorems = dir.appendingPathComponent("theorems")
        try FileManager.default.copyItem(at: root.appendingPathComponent("theorems"), to: theorems)
        let rootFile = theorems.appendingPathComponent("moe/generalization.bounds").path

        let theory = try Theory.load(rootFile, from: .fileSystem)
        let originals = Checker(theory: theory).checkAll()
        XCTAssertEqual(Set(originals.map(\.lemma)), ["P3", "S4", "P5"])
        XCTAssertTrue(originals.allSatisfy(\.ok), "the bundled proofs must check before they are mutated")

        var rng = SplitMix64(mutationSeed: seed)
        let model = NumericModel(theory: theory, seed: seed)
        let generator = MutantGenerator(theory: theory, model: model)
        var mutants: [Mutant] = []
        let t0 = Date()
        for id in ["P3", "S4", "P5"] {
            mutants += try generator.mutants(of: id, rng: &rng)
        }
        let t1 = Date()

        var killed = 0, confirmed = 0, validAccepted = 0, valid = 0, unjustifiedKilled = 0, unjustified = 0, controls = 0
        var survivors: [String] = []
        var byKind: [String: (confirmed: Int, killed: Int)] = [:]
        var rejectedValid: [String] = []
        for mutant in mutants {
            let (wasKilled, why) = try run(mutant, rootFile: rootFile)
            switch mutant.verdict {
            case .confirmedFalse(let reason):
                confirmed += 1
                var entry = byKind[mutant.kind] ?? (0, 0)
                entry.confirmed += 1
                if wasKilled { killed += 1; entry.killed += 1 } else {
                    survivors.append("\(mutant.theorem) \(mutant.kind): \(mutant.description) — false because \(reason); the checker accepted it")
                }
                byKind[mutant.kind] = entry
            case .unjustified(let reason):
                unjustified += 1
                if wasKilled { unjustifiedKilled += 1 } else {
                    print("MutationTests:   wrong citation accepted: \(mutant.theorem) \(mutant.kind): \(mutant.description) (\(reason)): \(why.prefix(200))")
                }
            case .valid:
                if mutant.kind == "control" {
                    controls += 1
                    XCTAssertFalse(wasKilled, "control (unmutated step re-rendered) rejected: \(mutant.description): \(why)")
                    continue
                }
                valid += 1
                if !wasKilled { validAccepted += 1 } else if rejectedValid.count < 8 { rejectedValid.append("\(mutant.theorem) \(mutant.kind): \(mutant.description): \(why.prefix(160))") }
            }
        }
        let rate = confirmed == 0 ? 0 : 100 * Double(killed) / Double(confirmed)
        print(String(format: "MutationTests: %.1f s generating and classifying, %.1f s loading and checking", t1.timeIntervalSince(t0), Date().timeIntervalSince(t1)))
        print("MutationTests: seed \(seed): \(mutants.count) mutants of P3, S4, P5 (\(controls) controls)")
        print(String(format: "MutationTests: kill rate %d/%d confirmed-false mutants killed (%.1f%%)", killed, confirmed, rate))
        for (kind, e) in byKind.sorted(by: { $0.key < $1.key }) { print("MutationTests:   \(kind): \(e.killed)/\(e.confirmed)") }
        print("MutationTests: true steps with a wrong citation (or unconfirmed): \(unjustifiedKilled)/\(unjustified) rejected")
        print("MutationTests: mutants with no violation found: \(validAccepted)/\(valid) accepted (a rejection is incompleteness, or a falsity the numeric tests missed)")
        for r in rejectedValid { print("MutationTests:   no violation found, but rejected: \(r)") }
        XCTAssertGreaterThan(confirmed, 100, "too few confirmed-false mutants to measure anything")
        XCTAssertEqual(killed, confirmed, "surviving false mutants:\n" + survivors.joined(separator: "\n"))
    }

    /// Writes the mutant, loads the theory and checks the mutated theorem; restores the files.
    private func run(_ mutant: Mutant, rootFile: String) throws -> (Bool, String) {
        var saved: [String: String] = [:]
        for (path, text) in mutant.files {
            saved[path] = try String(contentsOfFile: path, encoding: .utf8)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        defer { for (path, text) in saved { try? text.write(toFile: path, atomically: true, encoding: .utf8) } }
        let theory: Theory
        do {
            theory = try Theory.load(rootFile, from: .fileSystem)
        } catch {
            return (true, "refused at load: \(error)")
        }
        guard let lemma = theory.lemmas[mutant.theorem] else { return (true, "theorem missing") }
        let report = Checker(theory: theory).check(lemma)
        let failure = report.steps.first { !$0.ok }
        return (failure != nil, failure.map { "\($0.location): \($0.message)" } ?? "all steps verified")
    }

    // MARK: Generating and classifying mutants

    private struct MutantGenerator {
        let theory: Theory
        let model: NumericModel

        func mutants(of id: String, rng: inout SplitMix64) throws -> [Mutant] {
            guard let lemma = theory.lemmas[id], let proof = lemma.proof, let path = lemma.location.file else {
                throw XCTSkip("\(id) has no proof")
            }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            var result: [Mutant] = []
            let steps = proof.steps
            let fixed = Set(lemma.path?.fixed ?? [])

            func rendered(_ i: Int, op: RelationOperator? = nil, rhs: Expr? = nil, justification: String? = nil) -> [String: String] {
                let step = steps[i]
                let lead = i == 0 ? "  \(proof.start.text) " : "       "
                let line = lead + (op ?? step.op).rawValue + " " + (rhs ?? step.rhs).text + "   by " + (justification ?? "\(step.justification)")
                var copy = lines
                copy[step.location.line - 1] = line
                return [path: copy.joined(separator: "\n")]
            }
            func add(_ kind: String, _ description: String, _ files: [String: String], _ verdict: Verdict) {
                result.append(Mutant(theorem: id, kind: kind, description: description, files: files, verdict: verdict))
            }
            func before(_ i: Int) -> Expr { i == 0 ? proof.start : steps[i - 1].rhs }
            func after(_ i: Int) -> (Expr, RelationOperator, Justification?) {
                i + 1 < steps.count ? (steps[i + 1].rhs, steps[i + 1].op, steps[i + 1].justification) : (lemma.statement.rhs, lemma.statement.op, nil)
            }

            for (i, step) in steps.enumerated() {
                let at = "step \(i + 1) (line \(step.location.line))"
                add("control", "\(at) re-rendered unchanged", rendered(i), .valid("unchanged"))

                // Relations.
                if let flipped = MutationTests.flipped(step.op) {
                    add("flip relation", "\(at): \(step.op.rawValue) → \(flipped.rawValue)", rendered(i, op: flipped),
                        .confirmedFalse("a flipped relation"))
                }
                for other in MutationTests.otherUpwardRelations(step.op) {
                    let verdict = classifyRelation(lemma: lemma, step: i, to: other, fixed: fixed)
                    add(other.rank < step.op.rank ? "strengthen relation" : "weaken relation",
                        "\(at): \(step.op.rawValue) → \(other.rawValue)", rendered(i, op: other), verdict)
                }

                // Numbers and exponents.
                var numberMutants: [(Expr, String)] = []
                for (position, node) in MutationTests.nodes(step.rhs) {
                    guard case .number(let r) = node.shape else { continue }
                    for delta in [Rational.one, Rational.minusOne] {
                        let changed = MutationTests.replacing(step.rhs, at: position, with: .number(r + delta))
                        numberMutants.append((changed, "\(r) → \(r + delta)"))
                    }
                }
                for (changed, what) in rng.sample(numberMutants, 6) {
                    guard let reparsed = try? Parser.parseExpression(changed.text) else { continue }
                    add("perturb number/exponent", "\(at): \(what) in \(step.rhs.text) → \(reparsed.text)", rendered(i, rhs: reparsed),
                        classifyExpression(lemma: lemma, step: i, newRhs: reparsed, fixed: fixed))
                }

                // Dropped terms.
                var drops: [(Expr, String)] = []
                for (position, node) in MutationTests.nodes(step.rhs) {
                    guard case .sum(let terms) = node.shape else { continue }
                    for k in terms.indices {
                        var rest = terms
                        rest.remove(at: k)
                        let changed = MutationTests.replacing(step.rhs, at: position, with: Expr.add(rest))
                        drops.append((changed, "drop \(terms[k].text)"))
                    }
                }
                for (changed, what) in rng.sample(drops, 5) {
                    guard let reparsed = try? Parser.parseExpression(changed.text) else { continue }
                    add("drop a term", "\(at): \(what) → \(reparsed.text)", rendered(i, rhs: reparsed),
                        classifyExpression(lemma: lemma, step: i, newRhs: reparsed, fixed: fixed))
                }

                // Citations.
                guard case .lemma(let cited, let given) = step.justification else { continue }
                let substitution = given.isEmpty ? "" : " [" + given.sorted { $0.key < $1.key }.map { "\($0.key) := \($0.value.text)" }.joined(separator: ", ") + "]"
                let others = theory.lemmaOrder.filter { $0 != cited }
                for other in rng.sample(others, 5) {
                    add("swap cited lemma", "\(at): by \(cited) → by \(other)\(substitution)", rendered(i, justification: other + substitution),
                        classifyCitation(lemma: lemma, step: i, citing: other, given: given, hypothesis: nil, fixed: fixed))
                }
                if !given.isEmpty {
                    for replacement in ["2/n", "n", "1/n^2", "1/(2*n)"] {
                        let newGiven = given.mapValues { _ in (try? Parser.parseExpression(replacement)) ?? .one }
                        let text = " [" + newGiven.sorted { $0.key < $1.key }.map { "\($0.key) := \($0.value.text)" }.joined(separator: ", ") + "]"
                        add("change substitution", "\(at): by \(cited)\(substitution) → by \(cited)\(text)", rendered(i, justification: cited + text),
                            classifyCitation(lemma: lemma, step: i, citing: cited, given: newGiven, hypothesis: nil, fixed: fixed))
                    }
                }
                // Hypotheses of the cited lemma: add one, strengthen or weaken an existing one.
                guard let citedLemma = theory.lemmas[cited], let citedPath = citedLemma.location.file else { continue }
                let citedText = citedPath == path ? lines.joined(separator: "\n") : try String(contentsOfFile: citedPath, encoding: .utf8)
                let citedLines = citedText.components(separatedBy: "\n")
                func withLine(_ line: String, after index: Int) -> [String: String] {
                    var copy = citedLines
                    copy.insert(line, at: index)
                    return [citedPath: copy.joined(separator: "\n")]
                }
                func replacingLine(_ index: Int, with line: String) -> [String: String] {
                    var copy = citedLines
                    copy[index] = line
                    return [citedPath: copy.joined(separator: "\n")]
                }
                for hypothesis in rng.sample(MutationTests.hypothesisPool, 4) {
                    guard let relation = try? Parser.parseRelation(hypothesis) else { continue }
                    add("add hypothesis", "\(at): '\(hypothesis)' added to \(cited)", withLine("  if \(hypothesis)", after: citedLemma.location.line),
                        classifyCitation(lemma: lemma, step: i, citing: cited, given: given, hypothesis: relation, fixed: fixed))
                }
                for (h, location) in citedLemma.hypotheses {
                    for (stronger, weaker) in MutationTests.variations(of: h) {
                        add("strengthen hypothesis", "\(at): '\(h.text)' → '\(stronger.text)' in \(cited)",
                            replacingLine(location.line - 1, with: "  if \(stronger.text)"),
                            classifyCitation(lemma: lemma, step: i, citing: cited, given: given, hypothesis: stronger, fixed: fixed))
                        add("weaken hypothesis", "\(at): '\(h.text)' → '\(weaker.text)' in \(cited)",
                            replacingLine(location.line - 1, with: "  if \(weaker.text)"),
                            .valid("a weaker hypothesis makes the cited lemma apply more widely"))
                    }
                }
            }
            return result
        }

        // MARK: Classification

        private func isPure(_ justification: Justification?) -> Bool {
            guard let justification else { return true }   // the conclusion: a direct comparison
            guard case .lemma(let id, _) = justification else { return true }
            guard let lemma = theory.lemmas[id] else { return true }
            return model.atoms(in: lemma.statement.lhs).isEmpty
        }

        /// A direct check of `a op b` at assumption-satisfying points; nil when no violation is found.
        private func violation(_ a: Expr, _ op: RelationOperator, _ b: Expr, fixed: Set<String>) -> String? {
            switch op {
            case .lessEqual: return model.somewhereGreater(a, than: b).map { "\(a.text) > \($0)" }
            case .less: return model.somewhereGreater(a, than: b, orEqual: true).map { "\(a.text) >= \($0)" }
            case .equal:
                if let p = model.somewhereGreater(a, than: b) ?? model.somewhereGreater(b, than: a) { return "the sides differ \(p)" }
                return nil
            case .asymptoticLessEqual: return model.unboundedRatio(a, over: b, fixed: fixed, freeAtoms: Set(model.atoms(in: a).keys).union(model.atoms(in: b).keys)).map { "\(a.text) / \(b.text) is unbounded \($0)" }
            default: return "'\(op.rawValue)' does not go upward"
            }
        }

        /// A new right side for step i: judged on step i and on what follows it.
        func classifyExpression(lemma: Lemma, step i: Int, newRhs: Expr, fixed: Set<String>) -> Verdict {
            guard let proof = lemma.proof else { return .valid("") }
            let step = proof.steps[i]
            let old = step.rhs
            let previous = i == 0 ? proof.start : proof.steps[i - 1].rhs
            // Into the new right side.
            if isPure(step.justification) {
                if let v = violation(previous, step.op, newRhs, fixed: fixed) { return .confirmedFalse("step \(i + 1) (\(step.justification)) fails: \(v)") }
            } else {
                let v = step.op.strength == 2 ? model.unboundedRatio(old, over: newRhs, fixed: fixed, freeAtoms: Set(model.atoms(in: old).keys).union(model.atoms(in: newRhs).keys)).map { "the original over the mutant is unbounded \($0)" }
                                              : model.somewhereGreater(old, than: newRhs).map { "the mutant is below the original, tight, right side \($0)" }
                if let v { return .confirmedFalse("step \(i + 1) by \(step.justification): \(v)") }
            }
            // Out of it: the next step, or the conclusion.
            let next: Expr, op: RelationOperator, justification: Justification?
            if i + 1 < proof.steps.count {
                (next, op, justification) = (proof.steps[i + 1].rhs, proof.steps[i + 1].op, proof.steps[i + 1].justification)
            } else {
                let chain = proof.steps.map(\.op.strength).max() ?? 0
                (next, op, justification) = (lemma.statement.rhs, chain == 2 || lemma.statement.op == .asymptoticLessEqual ? .asymptoticLessEqual : .lessEqual, nil)
            }
            // The quantity the next step's lemma bounds is pinned by it (tight), not free.
            let eliminatedNext = Set(model.atoms(in: old).keys).subtracting(model.atoms(in: next).keys)
            if isPure(justification) {
                if let v = violation(newRhs, op, next, fixed: fixed) {
                    return .confirmedFalse(justification == nil ? "the chain no longer proves the statement: \(v)" : "step \(i + 2) (\(justification!)) fails: \(v)")
                }
            } else {
                let v = op.strength == 2 ? model.unboundedRatio(newRhs, over: old, fixed: fixed, freeAtoms: Set(model.atoms(in: old).keys).union(model.atoms(in: newRhs).keys).subtracting(eliminatedNext)).map { "the mutant over the original is unbounded \($0)" }
                                         : model.somewhereGreater(newRhs, than: old).map { "the mutant exceeds the original, tight, left side \($0)" }
                if let v { return .confirmedFalse("step \(i + 2) by \(justification!): \(v)") }
            }
            return .valid("no violation found at \(model.pointCount) points and in growth tests")
        }

        func classifyRelation(lemma: Lemma, step i: Int, to op: RelationOperator, fixed: Set<String>) -> Verdict {
            guard let proof = lemma.proof else { return .valid("") }
            let step = proof.steps[i]
            let previous = i == 0 ? proof.start : proof.steps[i - 1].rhs
            // The whole chain must still be as strong as the statement claims.
            let chain = proof.steps.enumerated().map { $0.offset == i ? op.strength : $0.element.op.strength }.max() ?? 0
            if chain > lemma.statement.op.strength { return .confirmedFalse("the chain now proves only '<~' but the statement claims '\(lemma.statement.op.rawValue)'") }
            if isPure(step.justification) {
                if let v = violation(previous, op, step.rhs, fixed: fixed) { return .confirmedFalse("step \(i + 1) fails with '\(op.rawValue)': \(v)") }
                return .valid("the step holds with '\(op.rawValue)'")
            }
            guard case .lemma(let id, _) = step.justification, let cited = theory.lemmas[id] else { return .valid("") }
            let gives = cited.statement.op
            if op == .equal && gives != .equal { return .confirmedFalse("\(id) gives '\(gives.rawValue)', and some model makes it strict") }
            if op == .less && gives != .less { return .confirmedFalse("\(id) gives '\(gives.rawValue)', and some model makes it an equality") }
            if op.strength == 1 && gives.strength == 2 { return .confirmedFalse("\(id) holds up to a constant only, and some model has a constant above 1") }
            return .valid("no stronger than \(id) gives")
        }

        /// A citation (possibly of another lemma, another substitution, or with an extra hypothesis): the
        /// step is false when the quantity it eliminates is left free, and that is confirmed numerically.
        func classifyCitation(lemma: Lemma, step i: Int, citing id: String, given: [String: Expr], hypothesis: Relation?, fixed: Set<String>) -> Verdict {
            guard let proof = lemma.proof, let cited = theory.lemmas[id] else { return .confirmedFalse("cites a lemma that does not exist") }
            if id == lemma.id { return .confirmedFalse("a proof cannot cite its own theorem") }
            if cited.dependencies.contains(lemma.id) || dependsOn(id, lemma.id) { return .confirmedFalse("circular citation") }
            let step = proof.steps[i]
            let previous = i == 0 ? proof.start : proof.steps[i - 1].rhs
            let eliminated = Set(model.atoms(in: previous).keys).subtracting(model.atoms(in: step.rhs).keys)
            var violatingPoints: [[String: Double]]? = nil
            if let hypothesis {
                let h = Relation(lhs: hypothesis.lhs.substituting(given), op: hypothesis.op, rhs: hypothesis.rhs.substituting(given))
                let points = model.pointsViolating(h)
                if points.isEmpty { return .valid("the hypothesis '\(h.text)' holds at every sampled point") }
                violatingPoints = points
            }
            if eliminated.isEmpty {
                return .unjustified("the step eliminates no quantity: it stays true, only its citation is wrong")
            }
            if hypothesis == nil {
                // Does the cited instance still bound the eliminated quantity?
                let instance = cited.statement.lhs.substituting(given)
                let bounded = Set(model.atoms(in: instance).keys)
                let names = Set(model.atoms(in: cited.statement.lhs).keys.map(NumericModel.quantityName))
                if !eliminated.isDisjoint(with: bounded) { return .unjustified("\(id) still bounds \(eliminated.sorted())") }
                if !given.isEmpty || cited.statement.lhs.freeSymbols.isEmpty {
                    // An explicit instance: it bounds exactly the atoms it names.
                } else if !names.isDisjoint(with: eliminated.map(NumericModel.quantityName)) {
                    return .unjustified("\(id) bounds the same quantity at some instance; not confirmed")
                }
            }
            if let v = model.blowUpViolates(previous, step.op, step.rhs, atoms: eliminated, at: violatingPoints, fixed: fixed) {
                return .confirmedFalse("with \(eliminated.sorted().joined(separator: ", ")) left free by the citation, \(v)")
            }
            return .unjustified("not confirmed numerically")
        }

        private func dependsOn(_ id: String, _ target: String) -> Bool {
            var seen: Set<String> = []
            var stack = [id]
            while let x = stack.popLast() {
                if x == target { return true }
                guard seen.insert(x).inserted else { continue }
                stack += theory.lemmas[x]?.dependencies ?? []
            }
            return false
        }
    }

    // MARK: Tree and relation helpers

    private static func nodes(_ e: Expr) -> [([Int], Expr)] {
        var result: [([Int], Expr)] = []
        func visit(_ node: Expr, _ path: [Int]) {
            result.append((path, node))
            for (i, c) in node.children.enumerated() { visit(c, path + [i]) }
        }
        visit(e, [])
        return result
    }

    private static func replacing(_ e: Expr, at path: [Int], with new: Expr) -> Expr {
        guard let first = path.first else { return new }
        var children = e.children
        children[first] = replacing(children[first], at: Array(path.dropFirst()), with: new)
        return e.replacingChildren(children)
    }

    private static func flipped(_ op: RelationOperator) -> RelationOperator? {
        switch op {
        case .lessEqual: return .greaterEqual
        case .less: return .greater
        case .asymptoticLessEqual: return .asymptoticGreaterEqual
        default: return nil
        }
    }

    private static func otherUpwardRelations(_ op: RelationOperator) -> [RelationOperator] {
        [.equal, .less, .lessEqual, .asymptoticLessEqual].filter { $0 != op }
    }

    /// (stronger, weaker) versions of a hypothesis `a <= b` / `a >= b`.
    private static func variations(of h: Relation) -> [(Relation, Relation)] {
        switch h.op {
        case .lessEqual:
            return [(Relation(lhs: h.lhs, op: .less, rhs: h.rhs), Relation(lhs: h.lhs, op: .lessEqual, rhs: h.rhs + 1)),
                    (Relation(lhs: h.lhs + 1, op: .lessEqual, rhs: h.rhs), Relation(lhs: h.lhs - 1, op: .lessEqual, rhs: h.rhs))]
        case .greaterEqual:
            return [(Relation(lhs: h.lhs, op: .greater, rhs: h.rhs), Relation(lhs: h.lhs, op: .greaterEqual, rhs: h.rhs - 1)),
                    (Relation(lhs: h.lhs, op: .greaterEqual, rhs: h.rhs + 1), Relation(lhs: h.lhs + 1, op: .greaterEqual, rhs: h.rhs))]
        default:
            return []
        }
    }

    /// Hypotheses to add to a cited lemma: some implied by the assumptions, some not.
    private static let hypothesisPool = [
        "M >= 2*k", "n >= M", "beta >= 1", "d >= 2", "delta <= 1/2", "eps <= 1/2", "F >= 2", "N_eff >= n",
        "k >= 1", "M >= k", "delta <= 1", "L_T*ell >= 1", "N_eff >= 1", "n >= 2", "F >= 1", "eps <= 1",
    ]
}

// MARK: - Numeric model of a theory

/// Points satisfying a theory's assumptions (definitions computed, quantities above their lower bounds),
/// and the numeric questions the mutation classifier asks.
private struct NumericModel {
    let theory: Theory
    let seed: UInt64
    let pointCount = 300
    private(set) var points: [[String: Double]] = []
    let definitions: [String: Expr]
    let variables: [String]

    init(theory: Theory, seed: UInt64) {
        self.theory = theory
        self.seed = seed
        var defs: [String: Expr] = [:]
        for d in theory.definitions { defs[d.name] = d.value }
        definitions = defs
        variables = Array(Set(theory.symbols.map(\.name)).subtracting(defs.keys).subtracting([""])).sorted()
        var rng = SplitMix64(mutationSeed: seed &+ 17)
        var found: [[String: Double]] = []
        var attempts = 0
        while found.count < pointCount && attempts < 200 * pointCount {
            attempts += 1
            if let p = randomPoint(&rng) { found.append(p) }
        }
        points = found
    }

    static func quantityName(_ atom: String) -> String {
        atom.hasPrefix("⟪") ? String(atom.dropFirst().prefix { $0 != "(" }) : atom
    }

    /// Quantity applications (and 0-ary quantities) in `e`, keyed by their text, with their lower bounds.
    func atoms(in e: Expr) -> [String: Double] {
        var result: [String: Double] = [:]
        var stack = [e]
        while let node = stack.popLast() {
            switch node.shape {
            case .apply(let name, _):
                result["⟪\(node.text)⟫"] = lowerBound(name)
                continue
            case .symbol(let name) where theory.quantities[name] != nil:
                result[name] = lowerBound(name)
            default: break
            }
            stack.append(contentsOf: node.children)
        }
        return result
    }

    private func lowerBound(_ quantity: String) -> Double {
        (try? theory.quantities[quantity]?.lowerBound?.evaluate([:])) ?? 0
    }

    /// `e` with definitions expanded and quantity applications replaced by atom symbols.
    func prepared(_ e: Expr) -> Expr {
        func visit(_ node: Expr) -> Expr {
            if case .apply = node.shape { return .symbol("⟪\(node.text)⟫") }
            let children = node.children
            return children.isEmpty ? node : node.replacingChildren(children.map(visit))
        }
        var expanded = e
        for _ in 0..<3 { expanded = expanded.substituting(definitions) }
        return visit(expanded)
    }

    func randomPoint(_ rng: inout SplitMix64) -> [String: Double]? {
        var p: [String: Double] = [:]
        for name in variables {
            let interval = theory.assumptions.interval(ofSymbol: name)
            let integer = theory.assumptions.isInteger(name)
            p[name] = sample(interval, integer: integer, &rng)
        }
        return completed(p)
    }

    /// Definitions computed, facts checked; nil when the point violates an assumption.
    func completed(_ point: [String: Double]) -> [String: Double]? {
        var p = point
        for (name, value) in definitions {
            guard let v = try? prepared(value).evaluate(p) else { return nil }
            p[name] = v
        }
        for fact in theory.assumptions.facts {
            guard let v = try? prepared(fact.expression).evaluate(p) else { continue }
            if v < 0 || (fact.strict && v == 0) { return nil }
        }
        for name in variables {
            let i = theory.assumptions.interval(ofSymbol: name)
            guard let v = p[name] else { continue }
            if let l = i.lower?.doubleValue, v < l || (i.lowerOpen && v == l) { return nil }
            if let u = i.upper?.doubleValue, v > u || (i.upperOpen && v == u) { return nil }
        }
        return p
    }

    private func sample(_ i: Interval, integer: Bool, _ rng: inout SplitMix64) -> Double {
        let lo = i.lower?.doubleValue, hi = i.upper?.doubleValue
        var v: Double
        switch (lo, hi) {
        case (let l?, let h?):
            v = rng.chance(0.15) && !i.upperOpen ? h : (rng.chance(0.15) && !i.lowerOpen ? l : l + (h - l) * max(rng.uniform(0, 1), 1e-3))
        case (let l?, nil):
            let spread = rng.pick([0, 0.5, 1, 2, 5, 20, 100, 1000])
            v = l + (rng.chance(0.2) ? (i.lowerOpen ? 1e-3 : 0) : spread * max(rng.uniform(0, 1), 1e-3))
        case (nil, let h?):
            v = h - rng.pick([0.5, 1, 10]) * max(rng.uniform(0, 1), 1e-3)
        default:
            v = rng.uniform(0, 1) * 20 - 10
        }
        if integer {
            v = v.rounded(.up)
            if let h = hi, v > h { v = h.rounded(.down) }
        }
        return v
    }

    private func values(_ p: [String: Double], atoms: [String: Double], _ rng: inout SplitMix64) -> [String: Double] {
        var q = p
        for (atom, lower) in atoms.sorted(by: { $0.key < $1.key }) {
            q[atom] = rng.chance(0.25) ? lower : lower + rng.pick([0.5, 1, 3, 10, 100, 1e4]) * max(rng.uniform(0, 1), 1e-3)
        }
        return q
    }

    private func evaluate(_ e: Expr, _ p: [String: Double]) -> Double? {
        guard let v = try? e.evaluate(p), v.isFinite else { return nil }
        return v
    }

    /// A point (described) where `a > b` (or `a >= b`), with quantities at random values shared by both sides.
    func somewhereGreater(_ a: Expr, than b: Expr, orEqual: Bool = false) -> String? {
        let pa = prepared(a), pb = prepared(b)
        let atoms = self.atoms(in: a).merging(self.atoms(in: b)) { x, _ in x }
        var rng = SplitMix64(mutationSeed: seed &+ 29)
        for p in points {
            let q = values(p, atoms: atoms, &rng)
            guard let va = evaluate(pa, q), let vb = evaluate(pb, q) else { continue }
            let tolerance = 1e-9 * max(abs(va), abs(vb), 1e-300)
            if va > vb + tolerance || (orEqual && va >= vb - tolerance) {
                return "(\(String(format: "%.6g", va)) vs \(String(format: "%.6g", vb)) at \(describe(q)))"
            }
        }
        return nil
    }

    /// Points where the relation fails.
    func pointsViolating(_ r: Relation) -> [[String: Double]] {
        let l = prepared(r.lhs), rr = prepared(r.rhs)
        return points.filter { p in
            guard let a = evaluate(l, p), let b = evaluate(rr, p) else { return false }
            switch r.op {
            case .lessEqual: return a > b
            case .less: return a >= b
            case .greaterEqual: return a < b
            case .greater: return a <= b
            case .equal: return a != b
            default: return false
            }
        }
    }

    /// A growth test: `a / b` grows without bound along some direction: one non-fixed symbol scaled (up, or
    /// toward 0 for symbols bounded above), or several at random rates. Quantities in `freeAtoms` may be
    /// scaled too (up, and down to their lower bounds); the others keep random values.
    func unboundedRatio(_ a: Expr, over b: Expr, fixed: Set<String>, freeAtoms: Set<String>) -> String? {
        let pa = prepared(a), pb = prepared(b)
        let atoms = self.atoms(in: a).merging(self.atoms(in: b)) { x, _ in x }
        let relevant = Set(pa.freeSymbols + pb.freeSymbols)
        var scalable = variables.filter { relevant.contains($0) && !fixed.contains($0) }
        scalable += atoms.keys.filter(freeAtoms.contains).sorted().flatMap { ["↑" + $0, "↓" + $0] }
        var rng = SplitMix64(mutationSeed: seed &+ 41)
        // Directions: each variable alone, then random mixtures (name → rate, in decades per step).
        var directions: [[(String, Double)]] = scalable.map { [($0, 1)] }
        for k in 0..<64 {
            var d: [(String, Double)] = []
            for name in scalable where rng.chance(k % 2 == 0 ? 0.5 : 0.2) { d.append((name, rng.pick([0.25, 0.5, 1, 2, 3]))) }
            if !d.isEmpty { directions.append(d) }
        }
        // `a <~ b` is impossible where b <= 0 < a.
        for base in points {
            let q = values(base, atoms: atoms, &rng)
            if let va = evaluate(pa, q), let vb = evaluate(pb, q), va > 0, vb <= 0 {
                return "(\(String(format: "%.4g", va)) over \(String(format: "%.4g", vb)) at \(describe(q)))"
            }
        }
        for base in points.prefix(8) {
            let q = values(base, atoms: atoms, &rng)
            for direction in directions {
                var ratios: [Double] = []
                for j in stride(from: 0, through: 20, by: 2) {
                    var p = q
                    for (name, rate) in direction {
                        let factor = pow(10.0, Double(j) * rate)
                        if name.hasPrefix("↑") || name.hasPrefix("↓") {
                            let atom = String(name.dropFirst())
                            guard let v = q[atom], let lower = atoms[atom] else { continue }
                            p[atom] = name.hasPrefix("↑") ? max(v, 1) * factor : lower + (v - lower) / factor
                            continue
                        }
                        guard let v = q[name] else { continue }
                        let i = theory.assumptions.interval(ofSymbol: name)
                        if i.upper == nil { p[name] = max(v, 1) * factor } else if let l = i.lower, l.isZero { p[name] = v / factor } else { continue }
                        if theory.assumptions.isInteger(name) { p[name] = p[name]!.rounded() }
                    }
                    guard let full = completed(p) else { break }
                    var withAtoms = full
                    for atom in atoms.keys { withAtoms[atom] = p[atom] }
                    guard let va = evaluate(pa, withAtoms), let vb = evaluate(pb, withAtoms), vb != 0 else { break }
                    ratios.append(va / vb)
                }
                guard ratios.count >= 5, let first = ratios.first, let last = ratios.last, first > 0, last > 0 else { continue }
                // Growing without bound, if only like a logarithm: a large overall factor, large in itself (a ratio
                // creeping up to a finite limit such as 1 is bounded), and still rising at the end.
                let tail = ratios.suffix(4)
                let increasing = zip(tail, tail.dropFirst()).allSatisfy { $1 > $0 * 1.03 }
                if last > 8 * first && last > 10 && increasing {
                    let what = direction.map { $0.1 == 1 ? $0.0 : "\($0.0)×\($0.1)" }.joined(separator: ", ")
                    return "(scaling \(what): ratio \(String(format: "%.3g", first)) → \(String(format: "%.3g", last)))"
                }
            }
        }
        return nil
    }

    /// With the given atoms left free (blown up at the given or random points), does `a op b` fail?
    func blowUpViolates(_ a: Expr, _ op: RelationOperator, _ b: Expr, atoms free: Set<String>, at chosen: [[String: Double]]?, fixed: Set<String>) -> String? {
        let pa = prepared(a), pb = prepared(b)
        let atoms = self.atoms(in: a).merging(self.atoms(in: b)) { x, _ in x }
        var rng = SplitMix64(mutationSeed: seed &+ 53)
        for base in (chosen ?? points).prefix(20) {
            let q = values(base, atoms: atoms, &rng)
            var ratios: [Double] = []
            for j in 0...12 {
                var p = q
                for atom in free { p[atom] = (q[atom] ?? 1) * pow(10.0, Double(3 * j)) }
                guard let va = evaluate(pa, p), let vb = evaluate(pb, p), vb > 0 else { break }
                if op.strength < 2, va > vb * (1 + 1e-9) { return "the step fails at \(describe(p))" }
                ratios.append(va / vb)
            }
            if op.strength == 2, let first = ratios.first, let last = ratios.last, ratios.count >= 6, first > 0, last > 50 * first {
                return "the ratio of the sides grows from \(String(format: "%.3g", first)) to \(String(format: "%.3g", last))"
            }
        }
        return nil
    }

    private func describe(_ p: [String: Double]) -> String {
        p.sorted { $0.key < $1.key }.prefix(12).map { "\($0.key)=\(String(format: "%.4g", $0.value))" }.joined(separator: ", ")
    }
}

private extension RelationOperator {
    /// '=' < '<' < '<=' < '<~': how strong a claim is.
    var rank: Int {
        switch self {
        case .equal: return 0
        case .less: return 1
        case .lessEqual: return 2
        default: return 3
        }
    }

    /// 0 for '=', 1 for '<' and '<=', 2 for '<~' (the chain's strength order).
    var strength: Int {
        switch self {
        case .equal: return 0
        case .less, .lessEqual: return 1
        default: return 2
        }
    }
}

/// The mutation runs' generator: SplitMix64 from a scrambled seed, so a run can be repeated from its printed seed.
private extension SplitMix64 {
    init(mutationSeed seed: UInt64) { self.init(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1) }
    /// Up to `k` elements in random order.
    mutating func sample<T>(_ xs: [T], _ k: Int) -> [T] { Array(permuted(xs).prefix(k)) }
}
