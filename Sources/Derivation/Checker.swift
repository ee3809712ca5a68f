import Symbolic
import Asymptotics

/// The verdict on one proof step (or on a proof's conclusion), with its location and reason.
public struct StepVerdict: Sendable {
    public var location: SourceLocation
    public var ok: Bool
    public var claim: String
    public var justification: String
    public var message: String
}

public struct ProofReport: Sendable {
    public var lemma: String
    public var steps: [StepVerdict]
    public var ok: Bool { steps.allSatisfy(\.ok) }
}

/// How strong a relation is, for chaining: `=` then `<`/`<=` then `<~`.
enum Strength: Int, Comparable {
    case equal = 0, order = 1, upToConstant = 2
    static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }

    init?(_ op: RelationOperator) {
        switch op {
        case .equal: self = .equal
        case .less, .lessEqual: self = .order
        case .asymptoticLessEqual: self = .upToConstant
        default: return nil
        }
    }
}

/// Verifies proofs step by step: each step must follow from its justification (a lemma instantiated by
/// matching in a monotone context with its hypotheses discharged, algebra, monotonicity, asymptotics or a
/// definition). A failing step says which hypothesis is unproved, which direction is wrong, or what the two
/// sides simplify to.
public struct Checker {
    public let theory: Theory
    let context: DerivationContext

    public init(theory: Theory) {
        self.theory = theory
        self.context = DerivationContext(theory: theory)
    }

    public func checkAll() -> [ProofReport] {
        theory.orderedLemmas.filter { $0.proof != nil }.map(check)
    }

    public func check(_ lemma: Lemma) -> ProofReport {
        guard let proof = lemma.proof else { return ProofReport(lemma: lemma.id, steps: []) }
        var verdicts: [StepVerdict] = []
        var previous = proof.start
        var chain = Strength.equal
        var strict = false
        for step in proof.steps {
            let verdict = checkStep(from: previous, step: step, path: lemma.path)
            verdicts.append(verdict)
            if let s = Strength(step.op) { chain = max(chain, s) }
            if step.op == .less && verdict.ok { strict = true }
            previous = step.rhs
        }
        // The chain must prove the statement as written.
        let statement = lemma.statement
        var problems: [String] = []
        if !context.equal(proof.start, statement.lhs) {
            problems.append("the proof starts from \(proof.start), not from the statement's left side \(statement.lhs)")
        }
        if !context.equal(previous, statement.rhs) {
            problems.append("the proof ends at \(previous), not at the statement's right side \(statement.rhs) (canonical forms \(context.canonical(previous)) vs \(context.canonical(statement.rhs)))")
        }
        if let claimed = Strength(statement.op), chain > claimed {
            problems.append("the chain proves only '\(chain == .upToConstant ? "<~" : "<=")' but the statement claims '\(statement.op.rawValue)'")
        } else if statement.op == .less && !strict {
            problems.append("the statement claims '<' but no step of the chain is strict")
        }
        verdicts.append(StepVerdict(location: lemma.statementLocation, ok: problems.isEmpty, claim: "\(statement)",
                                    justification: "conclusion", message: problems.isEmpty ? "the chain proves the statement" : problems.joined(separator: "; ")))
        return ProofReport(lemma: lemma.id, steps: verdicts)
    }

    func checkStep(from previous: Expression, step: ProofStep, path: PathSpec?) -> StepVerdict {
        let claim = "\(step.op.rawValue) \(step.rhs)"
        func verdict(_ ok: Bool, _ message: String) -> StepVerdict {
            StepVerdict(location: step.location, ok: ok, claim: claim, justification: "\(step.justification)", message: message)
        }
        guard let claimed = Strength(step.op) else {
            return verdict(false, "proof chains go upward: use =, <=, < or <~ (a lower-bound chain is written the other way round)")
        }
        switch step.justification {
        case .lemma(let id, let given):
            guard let lemma = theory.lemmas[id] else { return verdict(false, "no lemma \(id) is loaded") }
            switch context.applyLemma(lemma, to: previous, given: given, expecting: step.rhs) {
            case .failure(let message): return verdict(false, message)
            case .success(let gives, let how, let strict):
                if gives > claimed {
                    return verdict(false, "\(id) gives only '\(gives == .upToConstant ? "<~" : "<=")' here (\(how)), but the step claims '\(step.op.rawValue)'")
                }
                if step.op == .less && !strict && context.unproved(previous, .less, step.rhs) != nil {
                    return verdict(false, "the step claims '<' but \(id) gives only '<=' here (a strict lemma, reached through sums only, gives '<')")
                }
                return verdict(true, how)
            }
        case .algebra:
            let (ok, message) = context.algebra(previous, step.op, step.rhs)
            return verdict(ok, message)
        case .definition:
            let (ok, message) = context.algebra(context.expandDefinitions(previous), step.op, context.expandDefinitions(step.rhs))
            return verdict(ok, ok ? "equal once definitions are expanded" : message)
        case .monotonicity:
            guard claimed != .equal else { return verdict(false, "monotonicity gives an inequality, not '='") }
            if step.op == .less {
                // Replacing a subterm by a larger one may leave the value unchanged: '<' needs the strict sign.
                if let problem = context.unproved(previous, .less, step.rhs) {
                    return verdict(false, "the step claims '<', but monotonicity gives only '<=' unless the difference is proved positive: \(problem)")
                }
                return verdict(true, "the difference is positive")
            }
            let (ok, message) = context.monotonicity(previous, step.rhs)
            return verdict(ok, message)
        case .asymptotics:
            guard claimed == .upToConstant else {
                return verdict(false, "dropping terms by asymptotics gives '<~' only, but the step claims '\(step.op.rawValue)'")
            }
            let (ok, message) = context.dominated(previous, by: step.rhs, path: path)
            return verdict(ok, message)
        }
    }
}
