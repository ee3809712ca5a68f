import Symbolic
import Asymptotics

/// The verdict on one proof step (or on a proof's conclusion), with its location and reason.
public struct StepVerdict: Sendable {
    public var location: SourceLocation
    public var ok: Bool
    /// Not accepted because a side condition could not be proved (rather than shown wrong).
    public var undecided: Bool = false
    public var claim: String
    public var justification: String
    public var message: String
}

public struct ProofReport: Sendable {
    public var lemma: String
    public var location: SourceLocation
    public var steps: [StepVerdict]
    public var ok: Bool { steps.allSatisfy(\.ok) }
    /// The first step that was not accepted.
    public var firstFailure: StepVerdict? { steps.first { !$0.ok } }
}

/// Verifies proofs step by step. For each step the search proposes (lemma citations found by matching, the
/// single subterm that changed, the terms to compare) and the kernel's rules in `Kernel/` decide. A step is
/// accepted only when a rule proves it; otherwise it is rejected, or undecided with the condition that was
/// missing.
public struct Checker {
    public let theory: Theory
    let memos: DerivationMemos

    public init(theory: Theory) { self.init(theory: theory, memos: DerivationMemos()) }

    init(theory: Theory, memos: DerivationMemos) {
        self.theory = theory
        self.memos = memos
    }

    public func checkAll() -> [ProofReport] {
        check(theory.orderedLemmas.filter { $0.proof != nil })
    }

    /// The proofs of `lemmas`, where a step that cites a theorem whose own proof is not accepted is not accepted
    /// either (undecided: it rests on an unproved statement), and so neither is its proof, through any chain of
    /// citations.
    public func check(_ lemmas: [Lemma]) -> [ProofReport] {
        var reports = lemmas.map(check)
        var changed = true
        while changed {
            changed = false
            let unproved = Dictionary(reports.filter { !$0.ok }.map { ($0.lemma, $0.location) }, uniquingKeysWith: { a, _ in a })
            guard !unproved.isEmpty else { break }
            for i in reports.indices where reports[i].ok {
                guard let proof = lemmas[i].proof else { continue }
                var resting: [SourceLocation] = []
                for step in proof.steps {
                    guard case .lemma(let id, _) = step.justification, let at = unproved[id],
                          let j = reports[i].steps.firstIndex(where: { $0.location == step.location && $0.ok }) else { continue }
                    reports[i].steps[j].ok = false
                    reports[i].steps[j].undecided = true
                    reports[i].steps[j].message += "; but \(id)'s own proof is not accepted (\(at)), so this step rests on an unproved statement"
                    resting.append(step.location)
                }
                guard !resting.isEmpty, let last = reports[i].steps.indices.last else { continue }
                reports[i].steps[last].ok = false
                reports[i].steps[last].message = "not proved: the step\(resting.count == 1 ? "" : "s") at \(resting.map { "\($0)" }.joined(separator: ", ")) \(resting.count == 1 ? "rests" : "rest") on a theorem whose proof is not accepted"
                changed = true
            }
        }
        return reports
    }

    public func check(_ lemma: Lemma) -> ProofReport {
        guard let proof = lemma.proof else { return ProofReport(lemma: lemma.id, location: lemma.location, steps: []) }
        let context: ProofContext
        do {
            context = try ProofContext(theory: theory, path: lemma.path, hypotheses: lemma.hypotheses.map(\.0), memos: memos)
        } catch {
            let message = (error as? KernelFailure)?.message ?? "\(error)"
            return ProofReport(lemma: lemma.id, location: lemma.location, steps: [
                StepVerdict(location: lemma.statementLocation, ok: false, claim: "\(lemma.statement)", justification: "conclusion", message: message)])
        }
        let statementRel = Rel(lemma.statement.op)
        var verdicts: [StepVerdict] = []
        var previous = proof.start
        var chain: Rel? = .equal
        var failed: [SourceLocation] = []
        let region = context.region(for: statementRel)
        if let problem = context.definednessProblem(proof.start, in: region) {
            failed.append(proof.location)
            verdicts.append(StepVerdict(location: proof.location, ok: false, undecided: true, claim: "\(proof.start)", justification: "start",
                                        message: "undecided: the expression is not known to be defined everywhere: \(problem)"))
        }
        for step in proof.steps {
            var verdict = checkStep(from: previous, step: step, context: context, region: region)
            if verdict.ok {
                if let c = chain, let next = c.then(Rel(step.op)) {
                    chain = next
                } else if chain != nil {
                    verdict.ok = false
                    verdict.message = "the chain turns: it has gone '\(chain!.op.rawValue)' so far and this step goes '\(step.op.rawValue)'; a chain goes one way (write a lower-bound argument as a chain of >=, > and >~)"
                    chain = nil
                }
            }
            if !verdict.ok { failed.append(step.location) }
            verdicts.append(verdict)
            previous = step.rhs
        }
        // The chain must prove the statement as written.
        let statement = lemma.statement
        var problems: [String] = []
        if !failed.isEmpty {
            problems.append("not proved: \(failed.count == 1 ? "the step at \(failed[0]) was" : "the steps at \(failed.map { "\($0)" }.joined(separator: ", ")) were") not accepted")
        }
        // The statement itself must have a value wherever it is claimed (x/x <= 2 says nothing at x = 0).
        for side in [statement.lhs, statement.rhs] {
            if let problem = context.definednessProblem(side, in: region) {
                problems.append("the statement is not known to be defined everywhere it is claimed: \(problem)")
            }
        }
        if !context.equal(proof.start, statement.lhs, in: context.all) {
            problems.append("the proof starts from \(proof.start), not from the statement's left side \(statement.lhs)")
        }
        if !context.equal(previous, statement.rhs, in: context.all) {
            problems.append("the proof ends at \(previous), not at the statement's right side \(statement.rhs) (canonical forms \(context.canonical(previous, in: context.all)) and \(context.canonical(statement.rhs, in: context.all)))")
        }
        if let chain, failed.isEmpty, !chain.implies(statementRel) {
            problems.append("the chain proves '\(chain.op.rawValue)', which does not give the statement's '\(statement.op.rawValue)'")
        }
        verdicts.append(StepVerdict(location: lemma.statementLocation, ok: problems.isEmpty, claim: "\(statement)", justification: "conclusion",
                                    message: problems.isEmpty ? "the chain proves the statement" : problems.joined(separator: "; ")))
        return ProofReport(lemma: lemma.id, location: lemma.location, steps: verdicts)
    }

    func checkStep(from previous: Expr, step: ProofStep, context: ProofContext, region: Assumptions) -> StepVerdict {
        let claim = "\(step.op.rawValue) \(step.rhs)"
        func verdict(_ result: Result<String, KernelFailure>) -> StepVerdict {
            switch result {
            case .success(let how):
                return StepVerdict(location: step.location, ok: true, claim: claim, justification: "\(step.justification)", message: how)
            case .failure(let f):
                return StepVerdict(location: step.location, ok: false, undecided: f.undecided, claim: claim, justification: "\(step.justification)",
                                   message: f.message)
            }
        }
        let claimed = Rel(step.op)
        if let problem = context.definednessProblem(step.rhs, in: region) {
            return verdict(.failure(.undecided("\(step.rhs) is not known to be defined everywhere: \(problem)")))
        }
        switch step.justification {
        case .lemma(let id, let given):
            guard let lemma = theory.lemmas[id] else { return verdict(.failure(KernelFailure("no lemma \(id) is loaded"))) }
            if let inactive = theory.inactiveAlternative(id) { return verdict(.failure(KernelFailure(inactive))) }
            return verdict(cite(lemma, given: given, from: previous, claimed: claimed, to: step.rhs, context: context))
        case .algebra:
            return verdict(context.algebra(previous, claimed, step.rhs))
        case .definition:
            let result = context.algebra(context.expandDefinitions(previous), claimed, context.expandDefinitions(step.rhs))
            if case .success = result { return verdict(.success("equal once definitions are expanded")) }
            return verdict(result)
        case .monotonicity:
            return verdict(context.monotonicity(previous, claimed, step.rhs))
        case .asymptotics:
            return verdict(context.dominationBothWays(previous, claimed, step.rhs))
        }
    }

    /// When the citation failed: if the context moves the other way from the lemma (so that even without its side
    /// conditions the lemma would bound the step from the wrong side), say so.
    func wrongDirection(_ c: LemmaCitation, in view: Expr, claimed: Rel, context: ProofContext, region: Assumptions) -> KernelFailure? {
        let statement = Rel(c.lemma.statement.op)
        let hole = c.reversed ? statement.reversed : statement
        guard hole.way == .up || hole.way == .down else { return nil }
        let side = (c.reversed ? c.lemma.statement.lhs : c.lemma.statement.rhs).substituting(c.bindings)
        guard case .success(let (_, rel)) = context.replace(in: view, at: c.position, with: side, hole: Rel(way: hole.way, asymptotic: false, strict: false), in: region),
              (rel.way == .up && claimed.way == .down) || (rel.way == .down && claimed.way == .up) else { return nil }
        let old = (c.reversed ? c.lemma.statement.rhs : c.lemma.statement.lhs).substituting(c.bindings)
        return KernelFailure("wrong direction: the expression moves against \(old) here, so \(c.lemma.id) ('\(c.lemma.statement.op.rawValue)') bounds the step from the other side (it gives '\(Rel(way: rel.way, asymptotic: statement.asymptotic, strict: false).op.rawValue)', the step claims '\(claimed.op.rawValue)')")
    }

    /// Every citation the matcher finds (in the expression as written, then in its tidied form), until the kernel
    /// accepts one that gives the step.
    func cite(_ lemma: Lemma, given: [String: Expr], from previous: Expr, claimed: Rel, to next: Expr,
              context: ProofContext) -> Result<String, KernelFailure> {
        let region = context.region(for: claimed)
        let variables = context.variables(of: lemma)
        var relevant: KernelFailure? = nil
        var mismatch: KernelFailure? = nil
        var found = false
        // The step as written, then its tidy form (computed only when the written form gives nothing: it costs a
        // whole simplification).
        for attempt in 0..<2 {
            let view = attempt == 0 ? previous : previous.tidied(context.all)
            if attempt == 1 && (view == previous || !context.equal(view, previous, in: context.all)) { continue }
            for citation in Rewriter.citations(of: lemma, in: view, given: given, variables: variables, bothWays: true) {
                found = true
                // Only a citation whose rewrite gives the step is worth the kernel's time.
                let side = citation.reversed ? lemma.statement.lhs : lemma.statement.rhs
                let naive = Rewriter.replacing(view, at: citation.position[...], with: side.substituting(citation.bindings))
                guard context.equal(naive, next, in: context.all) else {
                    if mismatch == nil {
                        let old = (citation.reversed ? lemma.statement.rhs : lemma.statement.lhs).substituting(citation.bindings)
                        mismatch = KernelFailure("rewriting \(old) by \(lemma.id) gives \(naive.tidied(context.all)), not the step's \(next) (they simplify to \(context.canonical(naive, in: context.all)) and \(context.canonical(next, in: context.all)))")
                    }
                    continue
                }
                switch context.cite(citation, in: view, region: region) {
                case .failure(let f):
                    if relevant == nil { relevant = wrongDirection(citation, in: view, claimed: claimed, context: context, region: region) ?? f }
                case .success(let (result, rel, how)):
                    guard context.equal(result, next, in: context.all) else { continue }
                    guard rel.implies(claimed) else {
                        if relevant == nil { relevant = KernelFailure(ProofContext.weaker(rel, than: claimed, how)) }
                        continue
                    }
                    return .success(how + (rel.way == .equal ? "" : ", '\(rel.op.rawValue)' through its context"))
                }
            }
        }
        if !found {
            return .failure(KernelFailure("\(lemma.id) does not apply: no subterm of \(previous) matches its left side \(lemma.statement.lhs.substituting(given)) (or its right side)"))
        }
        return .failure(relevant ?? mismatch ?? KernelFailure("\(lemma.id) does not give this step"))
    }
}
