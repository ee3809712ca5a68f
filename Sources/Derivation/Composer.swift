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
    public var result: Expression
    public var justification: String
    public var detail: String
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
        self.theory = theory
        self.context = DerivationContext(theory: theory)
    }

    public func composeAll() throws -> [ComposedBound] {
        try theory.recipeOrder.compactMap { theory.recipes[$0] }.map(compose)
    }

    public func compose(_ recipe: Recipe) throws -> ComposedBound {
        var state = [LabeledTerm(expression: recipe.start, name: nil)]
        var steps: [DerivationStep] = []
        var used: [String] = []
        var strength = Strength.equal
        for step in recipe.steps {
            switch step {
            case .lemma(let id, let given, let location):
                let (lemma, names, inner) = try effectiveLemma(id, at: location)
                let (next, s, detail) = try rewrite(state, with: lemma, names: names, given: given, at: location)
                state = next
                strength = max(strength, s)
                used += inner + [lemma.id]
                steps.append(DerivationStep(relation: s == .upToConstant ? .asymptoticLessEqual : (s == .equal ? .equal : .lessEqual),
                                            result: Expression.add(state.map(\.expression)), justification: lemma.id == id ? id : "\(lemma.id) (in place of \(id))", detail: detail))
            case .asymptotics(let location):
                guard let path = recipe.path else {
                    throw TheoryError("'by asymptotics' needs a path: add 'as n -> oo' to derive \(recipe.id)", at: location)
                }
                let (kept, dropped) = dropDominated(state, path: path)
                state = kept
                strength = max(strength, .upToConstant)
                steps.append(DerivationStep(relation: .asymptoticLessEqual, result: Expression.add(state.map(\.expression)),
                                            justification: "asymptotics",
                                            detail: dropped.isEmpty ? "nothing dominated" : "dropped " + dropped.map { "\($0)" }.joined(separator: ", ") + " (dominated along \(path.growing) → ∞)"))
            case .algebra:
                state = state.map { LabeledTerm(expression: $0.expression.tidied(context.assumptions), name: $0.name) }
                steps.append(DerivationStep(relation: .equal, result: Expression.add(state.map(\.expression)), justification: "algebra", detail: "tidied"))
            }
        }
        let relation: RelationOperator = strength == .upToConstant ? .asymptoticLessEqual : (strength == .equal ? .equal : .lessEqual)
        return ComposedBound(id: recipe.id, name: recipe.name, lhs: recipe.start, relation: relation,
                             terms: state.map { LabeledTerm(expression: $0.expression.tidied(context.assumptions), name: $0.name) },
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

    /// Apply a lemma to the first summand that contains an instance of its left side in an increasing position.
    func rewrite(_ state: [LabeledTerm], with lemma: Lemma, names: [(String, Expression)], given: [String: Expression],
                 at location: SourceLocation) throws -> ([LabeledTerm], Strength, String) {
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
                    var next = state
                    next.replaceSubrange(index...index, with: replaced.flatMap(flatten))
                    return (next, strength, how)
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
        var kept: [Int] = Array(state.indices)
        var dropped: [Expression] = []
        for i in state.indices {
            let dominatedBy = kept.contains { j in
                j != i && context.boundedRatio(all[i], all[j], path: path, assumptions: a, simplifier: expander)
                    && !context.boundedRatio(all[j], all[i], path: path, assumptions: a, simplifier: expander)
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
