import Symbolic
import Asymptotics

/// A summand of a composed bound, named after the lemma term it came from (approximation, estimation, ...).
public struct LabeledTerm: Sendable {
    public var expression: Expr
    public var name: String?
}

/// One step of a composed derivation, for the report.
public struct DerivationStep: Sendable {
    public var relation: RelationOperator
    /// The whole bound after this step, rebuilt on demand from the composition's history of changed summands:
    /// storing every intermediate sum made composing N lemmas quadratic.
    public var result: Expr { history.expression(afterEdits: edits) }
    public var justification: StepJustification
    /// The recipe's (or the replayed proof's) step.
    public var location: SourceLocation
    /// The step's state is the history's after its first `edits` edits.
    let history: CompositionHistory
    let edits: Int

    init(relation: RelationOperator, history: CompositionHistory, edits: Int, justification: StepJustification, location: SourceLocation) {
        self.relation = relation
        self.history = history
        self.edits = edits
        self.justification = justification
        self.location = location
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

    func expression(afterEdits n: Int) -> Expr { Expr.add(terms(afterEdits: n).map(\.expression)) }
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
    public var name: Prose
    public var lhs: Expr
    public var relation: RelationOperator
    public var terms: [LabeledTerm]
    public var steps: [DerivationStep]
    /// Effective lemma ids used, in order, including those inside re-derived theorems.
    public var lemmasUsed: [String]
    public var path: PathSpec?
    /// The `derive` block (or the replayed theorem).
    public var location: SourceLocation?

    public var expression: Expr { Expr.add(terms.map(\.expression)) }
}

/// Chains lemmas into bounds. It proposes: which summand a lemma rewrites, which terms are dominated. The
/// kernel decides every step, so a composed bound is a chain the kernel accepted. A theorem whose proof rests on
/// a swapped-out lemma is re-derived by replaying its proof.
public struct Composer {
    public let theory: Theory
    let memos: DerivationMemos

    public init(theory: Theory) {
        self.init(theory: theory, memos: DerivationMemos())
    }

    init(theory: Theory, memos: DerivationMemos) {
        self.theory = theory
        self.memos = memos
    }

    public func composeAll() throws -> [ComposedBound] {
        try theory.recipeOrder.compactMap { theory.recipes[$0] }.map { try compose($0) }
    }

    public func compose(_ recipe: Recipe) throws -> ComposedBound {
        try compose(recipe, hypotheses: [])
    }

    func compose(_ recipe: Recipe, hypotheses: [Relation]) throws -> ComposedBound {
        let context: ProofContext
        do {
            context = try ProofContext(theory: theory, path: recipe.path, hypotheses: hypotheses, memos: memos)
        } catch let f as KernelFailure {
            throw TheoryError(f.message, at: recipe.path?.location ?? recipe.location)
        }
        var recorder = CompositionRecorder([LabeledTerm(expression: recipe.start, name: nil)])
        // (relation, justification, edits so far, location): the steps' results are read from the history.
        var pending: [(RelationOperator, StepJustification, Int, SourceLocation)] = []
        var used: [String] = []
        var chain = Rel.equal
        for step in recipe.steps {
            switch step {
            case .lemma(let id, let given, let location):
                let (lemma, names, inner) = try effectiveLemma(id, at: location)
                let (index, pieces, rel, bindings) = try rewrite(recorder.state, with: lemma, names: names, given: given, context: context, at: location)
                recorder.record(.splice(index, pieces))
                chain = try extend(chain, rel, at: location)
                used += inner + [lemma.id]
                pending.append((rel.op, .lemma(id: lemma.id, inPlaceOf: lemma.id == id ? nil : id, bindings: bindings), recorder.editCount, location))
            case .asymptotics(let location):
                guard recipe.path != nil else {
                    throw TheoryError("'by asymptotics' needs a path: add 'as n -> oo' to derive \(recipe.id)", at: location)
                }
                let (kept, dropped) = dropDominated(recorder.state, context: context)
                recorder.record(.replaceAll(kept))
                let rel = Rel(.asymptoticLessEqual)
                chain = try extend(chain, rel, at: location)
                pending.append((rel.op, .asymptotics(dropped: dropped, variable: context.path!.growing), recorder.editCount, location))
            case .algebra(let location):
                let before = CompositionRecorder.sum(recorder.state)
                let tidied = recorder.state.map { LabeledTerm(expression: $0.expression.tidied(context.all), name: $0.name) }
                guard context.equal(before, CompositionRecorder.sum(tidied), in: context.all) else {
                    throw TheoryError("internal: tidying changed the value of \(before)", at: location)
                }
                recorder.record(.replaceAll(tidied))
                pending.append((.equal, .algebra, recorder.editCount, location))
            }
        }
        let history = recorder.finish()
        let steps = pending.map { DerivationStep(relation: $0.0, history: history, edits: $0.2, justification: $0.1, location: $0.3) }
        return ComposedBound(id: recipe.id, name: recipe.name, lhs: recipe.start, relation: chain.op,
                             terms: recorder.state.map { LabeledTerm(expression: $0.expression.tidied(context.all), name: $0.name) },
                             steps: steps, lemmasUsed: used, path: recipe.path, location: recipe.location)
    }

    private func extend(_ chain: Rel, _ rel: Rel, at location: SourceLocation) throws -> Rel {
        guard let next = chain.then(rel) else {
            throw TheoryError("the derivation turns: it has gone '\(chain.op.rawValue)' so far and this step gives '\(rel.op.rawValue)'", at: location)
        }
        return next
    }

    /// The lemma to use for `id` after swaps, its named terms, and the lemmas a re-derivation used.
    func effectiveLemma(_ id: String, at location: SourceLocation) throws -> (Lemma, [(String, Expr)], [String]) {
        guard let lemma = theory.lemmas[id] else {
            throw TheoryError("no lemma \(id) is loaded" + Suggestions.didYouMean(id, among: theory.lemmaOrder), at: theory.position(of: id, from: location))
        }
        if lemma.kind == .lowerBound {
            throw TheoryError("\(id) is a lower bound; it cannot rewrite an upper bound", at: location)
        }
        if let inactive = theory.inactiveAlternative(id) { throw TheoryError(inactive, at: location) }
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

    /// Replay a theorem's proof as a derivation: lemma steps rewrite, asymptotics drops, algebra tidies. Every
    /// step goes through the kernel, under the theorem's own hypotheses.
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
        return try compose(recipe, hypotheses: theorem.hypotheses.map(\.0))
    }

    /// Apply a lemma to the first summand that contains an instance of its left side where the kernel accepts it:
    /// the index of that summand, the summands that replace it, and the relation.
    func rewrite(_ state: [LabeledTerm], with lemma: Lemma, names: [(String, Expr)], given: [String: Expr],
                 context: ProofContext, at location: SourceLocation) throws -> (Int, [LabeledTerm], Rel, [(String, Expr)]) {
        var problems: [String] = []
        let whole = CompositionRecorder.sum(state)
        let variables = context.variables(of: lemma)
        let region = Rel(lemma.statement.op).asymptotic ? context.region(for: Rel(.asymptoticLessEqual)) : context.all
        for (index, term) in state.enumerated() {
            for candidate in Rewriter.citations(of: lemma, in: term.expression, given: given, variables: variables, bothWays: false) {
                var citation = candidate
                citation.position = (state.count > 1 ? [index] : []) + candidate.position
                switch context.cite(citation, in: whole, region: region) {
                case .failure(let f): problems.append(f.description)
                case .success(let (result, rel, how)):
                    guard rel.way == .equal || rel.way == .up else {
                        problems.append("\(how) gives '\(rel.op.rawValue)' here, a lower bound, but a derivation goes upward")
                        continue
                    }
                    // The bindings the kernel instantiated the lemma with (those that are not the identity).
                    let bindings = citation.bindings.filter { $0.value != .symbol($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                    let pieces = splitAtHole(term, candidate, lemma: lemma, names: names, context: context).flatMap { flatten($0, context: context) }
                    guard Composer.splitKeepsValue(result, replacing: index, of: state, by: pieces, context: context) else {
                        throw TheoryError("internal: splitting \(result) into named terms changed its value", at: location)
                    }
                    return (index, pieces, rel, bindings)
                }
            }
        }
        let current = Expr.add(state.map(\.expression))
        if let first = problems.first { throw TheoryError("cannot apply \(lemma.id) to \(current): \(first)", at: location) }
        throw TheoryError("\(lemma.id) does not apply: no subterm of \(current) matches its left side \(lemma.statement.lhs)", at: location)
    }

    /// Whether the summands after a rewrite (`pieces` in place of summand `index`) add up to the kernel's result.
    /// When the result is the old sum with only that summand changed (the usual case), the other summands are the
    /// same on both sides and only the changed one is compared with its pieces; otherwise the whole sums are.
    static func splitKeepsValue(_ result: Expr, replacing index: Int, of state: [LabeledTerm], by pieces: [LabeledTerm],
                                context: ProofContext) -> Bool {
        if state.count > 1, case .sum(let children) = result.shape, children.count == state.count,
           children.indices.allSatisfy({ $0 == index || children[$0] == state[$0].expression }) {
            return context.equal(children[index], CompositionRecorder.sum(pieces), in: context.all)
        }
        var next = state
        next.replaceSubrange(index...index, with: pieces)
        return context.equal(result, CompositionRecorder.sum(next), in: context.all)
    }

    /// Replace the matched subterm; when the hole sits in a chain of products, the right side's summands
    /// become separate terms, each with its name.
    func splitAtHole(_ term: LabeledTerm, _ candidate: LemmaCitation, lemma: Lemma, names: [(String, Expr)], context: ProofContext) -> [LabeledTerm] {
        let right = lemma.statement.rhs.substituting(candidate.bindings)
        let summands: [Expr]
        if case .sum(let ts) = right.shape { summands = ts } else { summands = [right] }
        func name(of piece: Expr) -> String? {
            for (label, pattern) in names where context.equal(pattern.substituting(candidate.bindings), piece, in: context.all) { return label }
            return nil
        }
        var linear = true
        var node = term.expression
        for i in candidate.position {
            guard case .product = node.shape else { linear = false; break }
            node = node.children[i]
        }
        if linear && summands.count > 1 {
            return summands.map { piece in
                LabeledTerm(expression: Rewriter.replacing(term.expression, at: candidate.position[...], with: piece),
                            name: name(of: piece) ?? term.name)
            }
        }
        let whole = Rewriter.replacing(term.expression, at: candidate.position[...], with: right)
        let label = name(of: right) ?? (names.count == 1 ? names[0].0 : nil) ?? term.name
        return [LabeledTerm(expression: whole, name: label)]
    }

    /// A term as summands: sums split, products distributed over sums (logs kept whole).
    func flatten(_ term: LabeledTerm, context: ProofContext) -> [LabeledTerm] {
        let expander = Simplifier(assumptions: context.all, options: Simplifier.Options(expand: true, splitLogs: false))
        let (opaqueTerm, _) = context.opaque([term.expression], in: context.all)
        // Expand on the opaque form (so quantities stay atoms), then put the quantities back.
        let expanded = expander.simplify(opaqueTerm[0])
        let pieces: [Expr]
        if case .sum(let ts) = expanded.shape { pieces = ts } else { pieces = [expanded] }
        if pieces.count <= 1 { return [LabeledTerm(expression: term.expression.tidied(context.all), name: term.name)] }
        let restore = Composer.restoringQuantities(in: term.expression)
        return pieces.map { LabeledTerm(expression: $0.substituting(restore).tidied(context.all), name: term.name) }
    }

    /// Drop every term dominated by another along the path (proposed pair by pair), then have the kernel check
    /// that the whole is dominated by what is kept.
    func dropDominated(_ state: [LabeledTerm], context: ProofContext) -> ([LabeledTerm], [Expr]) {
        let region = context.eventually ?? context.all
        let (all, a) = context.opaque(state.map(\.expression), in: region)
        let expander = Simplifier(assumptions: a, options: Simplifier.Options(expand: true, splitLogs: false))
        let bounded = { (t: Expr, s: Expr) -> Bool in context.termProblem(t, s, in: a, simplifier: expander) == nil }
        let analyzer = context.path.map { GrowthAnalyzer(path: ScalingPath(growing: $0.growing, fixed: $0.fixed), assumptions: a,
                                                         memos: context.memos.simplifications) }
        let growths = all.map { Composer.positiveGrowth($0, analyzer: analyzer, assumptions: a) }
        let related = Composer.relatedSymbols(a)
        var kept: [Int] = Array(state.indices)
        var dropped: [Expr] = []
        for i in state.indices {
            // A term that provably outgrows j is not bounded by it, and one that j provably outgrows does not bound
            // j: the kernel is asked only the pairs the growths leave open (the failing comparisons cost the most).
            // A wrong growth could only leave a term in; the kernel checks every drop below.
            let dominatedBy = kept.contains { j in
                guard j != i else { return false }
                let order = growths[i].flatMap { gi in growths[j].flatMap { gj in analyzer.flatMap { Composer.order(gi, gj, analyzer: $0) } } }
                if order == .greater { return false }
                let screened = { (t: Expr, s: Expr) in
                    Composer.ratioMayBeBounded(t, s, context: context, assumptions: a, related: related, simplifier: expander)
                }
                guard screened(all[i], all[j]) && bounded(all[i], all[j]) else { return false }
                return order == .less || !(screened(all[j], all[i]) && bounded(all[j], all[i]))
            }
            if dominatedBy {
                kept.removeAll { $0 == i }
                dropped.append(state[i].expression)
            }
        }
        // Nothing dropped: the step changes nothing. Otherwise the kernel decides; a drop it does not accept (a
        // kept term of unknown sign cannot bound anything) is not made.
        if dropped.isEmpty { return (state, []) }
        let keptTerms = kept.map { state[$0] }
        if context.dominationProblem(CompositionRecorder.sum(state), by: CompositionRecorder.sum(keptTerms), effort: .quick) != nil {
            return (state, [])
        }
        return (keptTerms, dropped)
    }

    /// A term's growth along the path when it or its leading coefficient is proved positive (a term that may be
    /// negative is bounded by anything nonnegative, whatever its growth), else nil. A proposal only. A positive
    /// term has a nonnegative leading coefficient even where the coefficient's own sign is not shown
    /// (L_T*ell*k*(1 + log(M) - log(k)) for log(e*M/k) with k <= M).
    static func positiveGrowth(_ t: Expr, analyzer: GrowthAnalyzer?, assumptions a: Assumptions) -> Growth? {
        guard let analyzer, let g = try? analyzer.growth(of: t) else { return nil }
        return a.quickSign(t) == .positive || a.quickSign(g.coefficient) == .positive ? g : nil
    }

    /// A screen before the kernel's pairwise test t <~ s (a proposal, not a proof). The kernel's ratio test needs
    /// the factors of t/s that mention a symbol neither growing nor fixed to be bounded, by their interval or in
    /// pairs that an assumption relates (k/M with k <= M) or that share a symbol. A factor with an unbounded
    /// interval that mentions a moving symbol no assumption relates to another symbol, and no other factor
    /// mentions, is taken as unbounded in it (N_eff/n against 1/n is not bounded uniformly in N_eff); those failing
    /// comparisons are the costly ones. A pair screened out is not dropped, even where the kernel's slower searches
    /// (s - t >= 0 by a sign proof) would have allowed it.
    static func ratioMayBeBounded(_ t: Expr, _ s: Expr, context: ProofContext, assumptions a: Assumptions,
                                  related byFacts: Set<String>, simplifier: Simplifier) -> Bool {
        let ratio = simplifier.simplify(t / s)
        let fixed = context.fixed
        let factors: [Expr]
        if case .product(let fs) = ratio.shape { factors = fs } else { factors = [ratio] }
        // Each factor that mentions a moving symbol (neither growing nor fixed), with those symbols.
        let uniform = factors.compactMap { f -> (Expr, [String])? in
            let moving = f.freeSymbols.filter { $0 != context.path?.growing && !fixed.contains($0) }
            return moving.isEmpty ? nil : (f, moving)
        }
        if uniform.isEmpty { return true }
        let range = a.interval(of: Expr.multiply(uniform.map(\.0)))
        if range.lower != nil && range.upper != nil { return true }
        // Symbols an assumption relates to another, and symbols two factors share (N_eff/(N_eff + 1)).
        var related = byFacts
        var seen = Set<String>()
        for (_, moving) in uniform { for v in moving where !seen.insert(v).inserted { related.insert(v) } }
        return uniform.allSatisfy { f, moving in
            let r = a.interval(of: f)
            return (r.lower != nil && r.upper != nil) || moving.allSatisfy(related.contains)
        }
    }

    /// The symbols some assumption relates to another symbol.
    static func relatedSymbols(_ a: Assumptions) -> Set<String> {
        var related = Set<String>()
        for fact in a.facts {
            let symbols = fact.expression.freeSymbols
            if symbols.count > 1 { related.formUnion(symbols) }
        }
        return related
    }

    /// The order of two growths when the assumptions decide it, else nil.
    static func order(_ x: Growth, _ y: Growth, analyzer: GrowthAnalyzer) -> GrowthOrder? {
        let order = analyzer.compare(x, y)
        if case .depends = order { return nil }
        return order
    }

    /// The map from opaque atoms back to the quantity applications in `e`.
    static func restoringQuantities(in e: Expr) -> [String: Expr] {
        var map: [String: Expr] = [:]
        var stack = [e]
        while let node = stack.popLast() {
            if case .apply(let name, let args) = node.shape {
                map["⟨\(Expr.apply(name, args).text)⟩"] = node
            }
            stack.append(contentsOf: node.children)
        }
        return map
    }
}

extension CompositionRecorder {
    /// The summands as one expression, kept as a sum node exactly as listed (no flattening), so that a position
    /// [index] + path inside it names the summand's subterm.
    static func sum(_ terms: [LabeledTerm]) -> Expr {
        terms.count == 1 ? terms[0].expression : .sum(terms.map(\.expression))
    }
}
