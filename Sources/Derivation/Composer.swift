import Symbolic
import Asymptotics

/// A summand of a composed bound, named after the lemma term it came from (approximation, estimation, ...).
public struct LabeledTerm: Sendable {
    public var expression: Expression
    public var name: String?
}

/// One step of a composed derivation, for the report.
public struct DerivationStep: Sendable {
    public var relation: RelationOperator
    /// The whole bound after this step, rebuilt on demand from the composition's history of changed summands:
    /// storing every intermediate sum made composing N lemmas quadratic.
    public var result: Expression { history.expression(afterEdits: edits) }
    public var justification: String
    public var detail: String
    /// The step's state is the history's after its first `edits` edits.
    let history: CompositionHistory
    let edits: Int

    init(relation: RelationOperator, history: CompositionHistory, edits: Int, justification: String, detail: String) {
        self.relation = relation
        self.history = history
        self.edits = edits
        self.justification = justification
        self.detail = detail
    }
}

/// The summands of a composition as a list of edits (one summand replaced by its pieces, or every summand
/// replaced), with a copy of the whole state every `checkpointInterval` edits: any intermediate state is rebuilt
/// in O(checkpointInterval) edits, and composing stores O(1) summands per step instead of the whole sum.
final class CompositionHistory: Sendable {
    enum Edit: Sendable {
        /// `state[index]` replaced by `pieces`.
        case splice(Int, [LabeledTerm])
        case replaceAll([LabeledTerm])
    }

    static let checkpointInterval = 32

    let edits: [Edit]
    /// `checkpoints[c]` is the state after the first `c * checkpointInterval` edits.
    let checkpoints: [[LabeledTerm]]

    init(edits: [Edit], checkpoints: [[LabeledTerm]]) {
        self.edits = edits
        self.checkpoints = checkpoints
    }

    static func apply(_ edit: Edit, to state: inout [LabeledTerm]) {
        switch edit {
        case .splice(let index, let pieces): state.replaceSubrange(index...index, with: pieces)
        case .replaceAll(let terms): state = terms
        }
    }

    func terms(afterEdits n: Int) -> [LabeledTerm] {
        let c = min(n / CompositionHistory.checkpointInterval, checkpoints.count - 1)
        var state = checkpoints[c]
        for edit in edits[(c * CompositionHistory.checkpointInterval)..<n] { CompositionHistory.apply(edit, to: &state) }
        return state
    }

    func expression(afterEdits n: Int) -> Expression { Expression.add(terms(afterEdits: n).map(\.expression)) }
}

/// Builds a `CompositionHistory` while the composer edits its state.
struct CompositionRecorder {
    private(set) var state: [LabeledTerm]
    private var edits: [CompositionHistory.Edit] = []
    private var checkpoints: [[LabeledTerm]]

    init(_ initial: [LabeledTerm]) {
        state = initial
        checkpoints = [initial]
    }

    var editCount: Int { edits.count }

    mutating func record(_ edit: CompositionHistory.Edit) {
        CompositionHistory.apply(edit, to: &state)
        edits.append(edit)
        if edits.count % CompositionHistory.checkpointInterval == 0 { checkpoints.append(state) }
    }

    func finish() -> CompositionHistory { CompositionHistory(edits: edits, checkpoints: checkpoints) }
}

/// The bound a recipe produces: `lhs relation Σ terms`, with the steps that produced it.
public struct ComposedBound: Sendable {
    public var id: String
    public var name: String
    public var lhs: Expression
    public var relation: RelationOperator
    public var terms: [LabeledTerm]
    public var steps: [DerivationStep]
    /// Effective lemma ids used, in order, including those inside re-derived theorems.
    public var lemmasUsed: [String]
    public var path: PathSpec?

    public var expression: Expression { Expression.add(terms.map(\.expression)) }
}

/// Chains lemmas into bounds. Lemmas are rewrite rules applied where the bound increases in them; a
/// theorem whose proof rests on a swapped-out lemma is re-derived by replaying its proof.
public struct Composer {
    public let theory: Theory
    let context: DerivationContext

    public init(theory: Theory) {
        self.init(theory: theory, memos: DerivationMemos())
    }

    init(theory: Theory, memos: DerivationMemos) {
        self.theory = theory
        self.context = DerivationContext(theory: theory, memos: memos)
    }

    public func composeAll() throws -> [ComposedBound] {
        try theory.recipeOrder.compactMap { theory.recipes[$0] }.map(compose)
    }

    public func compose(_ recipe: Recipe) throws -> ComposedBound {
        var recorder = CompositionRecorder([LabeledTerm(expression: recipe.start, name: nil)])
        // (relation, justification, detail, edits so far): the steps' results are read from the history.
        var pending: [(RelationOperator, String, String, Int)] = []
        var used: [String] = []
        var strength = Strength.equal
        for step in recipe.steps {
            switch step {
            case .lemma(let id, let given, let location):
                let (lemma, names, inner) = try effectiveLemma(id, at: location)
                let (index, pieces, s, detail) = try rewrite(recorder.state, with: lemma, names: names, given: given, at: location)
                recorder.record(.splice(index, pieces))
                strength = max(strength, s)
                used += inner + [lemma.id]
                pending.append((s == .upToConstant ? .asymptoticLessEqual : (s == .equal ? .equal : .lessEqual),
                                lemma.id == id ? id : "\(lemma.id) (in place of \(id))", detail, recorder.editCount))
            case .asymptotics(let location):
                guard let path = recipe.path else {
                    throw TheoryError("'by asymptotics' needs a path: add 'as n -> oo' to derive \(recipe.id)", at: location)
                }
                let (kept, dropped) = dropDominated(recorder.state, path: path)
                recorder.record(.replaceAll(kept))
                strength = max(strength, .upToConstant)
                pending.append((.asymptoticLessEqual, "asymptotics",
                                dropped.isEmpty ? "nothing dominated" : "dropped " + dropped.map { "\($0)" }.joined(separator: ", ") + " (dominated along \(path.growing) → ∞)",
                                recorder.editCount))
            case .algebra:
                let tidied = recorder.state.map { LabeledTerm(expression: $0.expression.tidied(context.assumptions), name: $0.name) }
                recorder.record(.replaceAll(tidied))
                pending.append((.equal, "algebra", "tidied", recorder.editCount))
            }
        }
        let history = recorder.finish()
        let steps = pending.map { DerivationStep(relation: $0.0, history: history, edits: $0.3, justification: $0.1, detail: $0.2) }
        let relation: RelationOperator = strength == .upToConstant ? .asymptoticLessEqual : (strength == .equal ? .equal : .lessEqual)
        return ComposedBound(id: recipe.id, name: recipe.name, lhs: recipe.start, relation: relation,
                             terms: recorder.state.map { LabeledTerm(expression: $0.expression.tidied(context.assumptions), name: $0.name) },
                             steps: steps, lemmasUsed: used, path: recipe.path)
    }

    /// The lemma to use for `id` after swaps, its named terms, and the lemmas a re-derivation used.
    func effectiveLemma(_ id: String, at location: SourceLocation) throws -> (Lemma, [(String, Expression)], [String]) {
        guard let lemma = theory.lemmas[id] else {
            throw TheoryError("no lemma \(id) is loaded", at: location)
        }
        if lemma.kind == .lowerBound {
            throw TheoryError("\(id) is a lower bound; it cannot rewrite an upper bound", at: location)
        }
        guard lemma.proof != nil, dependsOnSwap(lemma.id, seen: []) else {
            return (lemma, lemma.termNames, [])
        }
        // Re-derive the theorem from its proof with the swapped lemmas.
        let rederived = try replay(lemma)
        var restated = lemma
        restated.statement = Relation(lhs: lemma.statement.lhs, op: rederived.relation, rhs: rederived.expression)
        restated.tag = .derived
        let names = rederived.terms.compactMap { t in t.name.map { ($0, t.expression) } }
        return (restated, names, rederived.lemmasUsed)
    }

    func dependsOnSwap(_ id: String, seen: Set<String>) -> Bool {
        if theory.swaps.contains(where: { $0.1 == id }) { return true }
        guard let lemma = theory.lemmas[id], !seen.contains(id) else { return false }
        return lemma.dependencies.contains { dependsOnSwap($0, seen: seen.union([id])) }
    }

    /// Replay a theorem's proof as a derivation: lemma steps rewrite, asymptotics drops, algebra tidies.
    func replay(_ theorem: Lemma) throws -> ComposedBound {
        guard let proof = theorem.proof else { throw TheoryError("\(theorem.id) has no proof to replay", at: theorem.location) }
        var steps: [Recipe.Step] = []
        for step in proof.steps {
            switch step.justification {
            case .lemma(let id, let given): steps.append(.lemma(id, given, step.location))
            case .asymptotics: steps.append(.asymptotics(step.location))
            case .algebra, .definition: steps.append(.algebra(step.location))
            case .monotonicity:
                throw TheoryError("cannot re-derive \(theorem.id) with the swapped lemmas: its proof step here uses monotonicity, which depends on the exact expressions; write the derivation with lemma steps", at: step.location)
            }
        }
        let recipe = Recipe(id: theorem.id, name: theorem.name, start: proof.start, steps: steps, path: theorem.path, location: theorem.location)
        return try compose(recipe)
    }

    /// Apply a lemma to the first summand that contains an instance of its left side in an increasing position:
    /// the index of that summand and the summands that replace it.
    func rewrite(_ state: [LabeledTerm], with lemma: Lemma, names: [(String, Expression)], given: [String: Expression],
                 at location: SourceLocation) throws -> (Int, [LabeledTerm], Strength, String) {
        var problems: [String] = []
        for (index, term) in state.enumerated() {
            let candidates = Rewriter.candidates(of: lemma, in: term.expression, given: given, assumptions: context.opaque(term.expression).1)
            for candidate in candidates {
                switch context.direction(of: lemma, at: candidate) {
                case .failure(let message): problems.append(message)
                case .success(let strength, let how, _):
                    if let problem = context.hypothesesProblem(lemma, candidate.bindings) {
                        problems.append(problem)
                        continue
                    }
                    let replaced = splitAtHole(term, candidate, lemma: lemma, names: names)
                    return (index, replaced.flatMap(flatten), strength, how)
                }
            }
        }
        let current = Expression.add(state.map(\.expression))
        if let first = problems.first { throw TheoryError("cannot apply \(lemma.id) to \(current): \(first)", at: location) }
        throw TheoryError("\(lemma.id) does not apply: no subterm of \(current) matches its left side \(lemma.statement.lhs)", at: location)
    }

    /// Replace the matched subterm; when the hole sits in a chain of products, the right side's summands
    /// become separate terms, each with its name.
    func splitAtHole(_ term: LabeledTerm, _ candidate: RewriteCandidate, lemma: Lemma, names: [(String, Expression)]) -> [LabeledTerm] {
        let right = candidate.instantiatedRight
        let summands: [Expression]
        if case .sum(let ts) = right.shape { summands = ts } else { summands = [right] }
        func name(of piece: Expression) -> String? {
            for (label, pattern) in names where context.equal(pattern.substituting(candidate.bindings), piece) { return label }
            return nil
        }
        var linear = true
        var node = term.expression
        for i in candidate.position.path {
            guard case .product = node.shape else { linear = false; break }
            node = node.children[i]
        }
        if linear && summands.count > 1 {
            return summands.map { piece in
                LabeledTerm(expression: Rewriter.replacing(term.expression, at: candidate.position.path[...], with: piece),
                            name: name(of: piece) ?? term.name)
            }
        }
        let whole = Rewriter.replacing(term.expression, at: candidate.position.path[...], with: right)
        let label = name(of: right) ?? (names.count == 1 ? names[0].0 : nil) ?? term.name
        return [LabeledTerm(expression: whole, name: label)]
    }

    /// A term as summands: sums split, products distributed over sums (logs kept whole).
    func flatten(_ term: LabeledTerm) -> [LabeledTerm] {
        let expander = Simplifier(assumptions: context.assumptions, options: Simplifier.Options(expand: true, splitLogs: false))
        let (opaqueTerm, _) = context.opaque(term.expression)
        // Expand on the opaque form (so quantities stay atoms), then put the quantities back.
        let expanded = expander.simplify(opaqueTerm)
        let pieces: [Expression]
        if case .sum(let ts) = expanded.shape { pieces = ts } else { pieces = [expanded] }
        if pieces.count <= 1 { return [LabeledTerm(expression: term.expression.tidied(context.assumptions), name: term.name)] }
        let restore = context.restoringQuantities(in: term.expression)
        return pieces.map { LabeledTerm(expression: $0.substituting(restore).tidied(context.assumptions), name: term.name) }
    }

    /// Drop every term dominated by another (t/s bounded, s/t not) along the path.
    func dropDominated(_ state: [LabeledTerm], path: PathSpec) -> ([LabeledTerm], [Expression]) {
        let (all, a) = context.opaque(state.map(\.expression))
        let expander = Simplifier(assumptions: a, options: Simplifier.Options(expand: true, splitLogs: false))
        let bounded = context.ratioTest(path: path, assumptions: a, simplifier: expander)
        var kept: [Int] = Array(state.indices)
        var dropped: [Expression] = []
        for i in state.indices {
            let dominatedBy = kept.contains { j in
                j != i && bounded(all[i], all[j]) && !bounded(all[j], all[i])
            }
            if dominatedBy {
                kept.removeAll { $0 == i }
                dropped.append(state[i].expression)
            }
        }
        return (kept.map { state[$0] }, dropped)
    }
}

extension DerivationContext {
    /// The map from opaque atoms back to the quantity applications in `e`.
    func restoringQuantities(in e: Expression) -> [String: Expression] {
        var map: [String: Expression] = [:]
        var stack = [e]
        while let node = stack.popLast() {
            if case .apply(let name, let args) = node.shape {
                map["⟨\(Expression.apply(name, args).text)⟩"] = node
            }
            stack.append(contentsOf: node.children)
        }
        return map
    }
}
