import Symbolic
import Asymptotics

enum LemmaApplication {
    /// The relation the lemma gives, why, and whether it is strict (a strict lemma reached through sums only).
    case success(Strength, String, strict: Bool)
    case failure(String)
}

/// What the checker and the composer share: the theory's assumptions with quantities made opaque,
/// canonical equality, and the rules for applying a lemma, algebra, monotonicity and asymptotics.
struct DerivationContext {
    let theory: Theory
    /// Assumptions plus one opaque symbol per quantity application seen (Cover(1/n) >= 1 ...).
    var assumptions: Assumptions
    /// Simplifications shared by the growth analyzers of one run.
    let memos: DerivationMemos

    init(theory: Theory, memos: DerivationMemos = DerivationMemos()) {
        self.theory = theory
        self.assumptions = theory.assumptions
        self.memos = memos
    }

    // MARK: opaque quantities

    /// Replace each quantity application `Cover(1/n)` by an opaque symbol carrying the quantity's bound,
    /// so the sign oracle and the simplifier can treat it as a positive atom.
    func opaque(_ e: Expression) -> (Expression, Assumptions) {
        let (es, a) = opaque([e])
        return (es[0], a)
    }

    /// Several expressions made opaque with one shared set of atoms.
    func opaque(_ es: [Expression]) -> ([Expression], Assumptions) {
        var a = assumptions
        func visit(_ node: Expression) -> Expression {
            if case .apply(let name, let args) = node.shape {
                let inner = args.map(visit)
                let atom = "⟨\(Expression.apply(name, inner).text)⟩"
                if !a.isDeclared(atom) {
                    let lower = theory.quantities[name]?.lowerBound ?? .zero
                    try? a.assume(.symbol(atom), .greaterEqual, lower, origin: .init("\(name) >= \(lower)"))
                }
                return .symbol(atom)
            }
            let children = node.children
            if children.isEmpty { return node }
            return node.replacingChildren(children.map(visit))
        }
        let result = es.map(visit)
        return (result, a)
    }

    func canonical(_ e: Expression) -> Expression {
        let (o, a) = opaque(e)
        return o.simplified(a)
    }

    func equal(_ a: Expression, _ b: Expression) -> Bool {
        let (o, assumptions) = opaque(a - b)
        return o.simplified(assumptions) == .zero
    }

    /// Sign of `e` with quantities opaque.
    func sign(_ e: Expression) -> SignResult {
        let (o, a) = opaque(e)
        return a.sign(of: o.simplified(a))
    }

    func expandDefinitions(_ e: Expression) -> Expression {
        var result = e
        for _ in 0..<4 {
            let next = result.substituting(Dictionary(theory.definitions.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
            if next == result { break }
            result = next
        }
        return result
    }

    // MARK: lemmas

    /// Rewrite `previous` with `lemma` so that it becomes `expected` (checker), or the first way (composer).
    func applyLemma(_ lemma: Lemma, to previous: Expression, given: [String: Expression], expecting expected: Expression?) -> LemmaApplication {
        var candidates = Rewriter.candidates(of: lemma, in: previous, given: given, assumptions: opaqueAssumptions(previous))
        if candidates.isEmpty {
            candidates = Rewriter.candidates(of: lemma, in: previous.tidied(assumptions), given: given, assumptions: opaqueAssumptions(previous))
        }
        guard !candidates.isEmpty else {
            return .failure("\(lemma.id) does not apply: no subterm of \(previous) matches its left side \(lemma.statement.lhs.substituting(given))")
        }
        var firstProblem: String? = nil
        for candidate in candidates {
            if let expected, !equal(candidate.result, expected) {
                if firstProblem == nil {
                    firstProblem = "rewriting \(candidate.instantiatedLeft) by \(lemma.id) gives \(candidate.result.tidied(assumptions)), not the step's \(expected) (they simplify to \(canonical(candidate.result)) and \(canonical(expected)))"
                }
                continue
            }
            switch direction(of: lemma, at: candidate) {
            case .failure(let message):
                if firstProblem == nil || expected != nil { firstProblem = message }
                continue
            case .success(let strength, let how, let strict):
                if let problem = hypothesesProblem(lemma, candidate.bindings) {
                    return .failure(problem)
                }
                return .success(strength, how, strict: strict)
            }
        }
        return .failure(firstProblem ?? "\(lemma.id) does not give this step")
    }

    private func opaqueAssumptions(_ e: Expression) -> Assumptions { opaque(e).1 }

    /// The relation a lemma gives at a position, from its own relation and the polarity there.
    func direction(of lemma: Lemma, at candidate: RewriteCandidate) -> LemmaApplication {
        let op = lemma.statement.op
        let polarity = candidate.position.polarity
        let at = "at \(candidate.instantiatedLeft)"
        if op == .equal { return .success(.equal, "\(lemma.id): \(candidate.instantiatedLeft) = \(candidate.instantiatedRight)", strict: false) }
        let upward: Bool
        switch op {
        case .lessEqual, .less, .asymptoticLessEqual: upward = true
        case .greaterEqual, .greater, .asymptoticGreaterEqual: upward = false
        default: return .failure("\(lemma.id)'s relation '\(op.rawValue)' cannot rewrite a bound")
        }
        if polarity == 0 {
            return .failure("cannot tell whether the expression increases with \(candidate.instantiatedLeft) (the sign of its context is not known), so \(lemma.id) cannot be applied \(at)")
        }
        if (polarity > 0) != upward {
            return .failure("wrong direction: the expression \(polarity > 0 ? "increases" : "decreases") with \(candidate.instantiatedLeft), so \(lemma.id) ('\(op.rawValue)') gives a lower bound there, not an upper bound")
        }
        let upToConstant = op == .asymptoticLessEqual || op == .asymptoticGreaterEqual
        if upToConstant && !candidate.position.constantSafe {
            return .failure("\(lemma.id) holds only up to a constant ('\(op.rawValue)'), and the constant does not pass through the context of \(candidate.instantiatedLeft) (a log, exp or power with a variable exponent)")
        }
        let strength: Strength = upToConstant ? .upToConstant : .order
        let strict = (op == .less || op == .greater) && candidate.position.strictSafe
        return .success(strength, "\(lemma.id) with " + describe(candidate.bindings, lemma) + " in an increasing position", strict: strict)
    }

    private func describe(_ bindings: [String: Expression], _ lemma: Lemma) -> String {
        let interesting = bindings.filter { $0.value != .symbol($0.key) }.sorted { $0.key < $1.key }
        if interesting.isEmpty { return "its own symbols" }
        return interesting.map { "\($0.key) := \($0.value)" }.joined(separator: ", ")
    }

    /// A hypothesis or a declared domain the instance does not satisfy, as a sentence.
    func hypothesesProblem(_ lemma: Lemma, _ bindings: [String: Expression]) -> String? {
        for (hypothesis, location) in lemma.hypotheses {
            let lhs = hypothesis.lhs.substituting(bindings), rhs = hypothesis.rhs.substituting(bindings)
            if let problem = unproved(lhs, hypothesis.op, rhs) {
                return "hypothesis '\(hypothesis)' of \(lemma.id) (\(location)) is not proved for this instance (\(lhs) \(hypothesis.op.rawValue) \(rhs)): \(problem)"
            }
        }
        // A symbol instantiated by something else must still lie in its declared domain (delta := 1/n needs 0 < 1/n <= 1).
        for (name, value) in bindings.sorted(by: { $0.key < $1.key }) where value != .symbol(name) {
            guard let declared = theory.declaredInterval(name) else { continue }
            if let l = declared.lower, let problem = unproved(value, declared.lowerOpen ? .greater : .greaterEqual, .number(l)) {
                return "\(lemma.id) needs \(name) \(declared.lowerOpen ? ">" : ">=") \(l), but for \(name) := \(value) \(problem)"
            }
            if let u = declared.upper, let problem = unproved(value, declared.upperOpen ? .less : .lessEqual, .number(u)) {
                return "\(lemma.id) needs \(name) \(declared.upperOpen ? "<" : "<=") \(u), but for \(name) := \(value) \(problem)"
            }
        }
        return nil
    }

    /// nil when `lhs op rhs` is proved from the assumptions; otherwise why not.
    func unproved(_ lhs: Expression, _ op: RelationOperator, _ rhs: Expression) -> String? {
        let difference: Expression
        let strict: Bool
        switch op {
        case .less: difference = rhs - lhs; strict = true
        case .lessEqual: difference = rhs - lhs; strict = false
        case .greater: difference = lhs - rhs; strict = true
        case .greaterEqual: difference = lhs - rhs; strict = false
        case .equal: return equal(lhs, rhs) ? nil : "\(lhs) and \(rhs) differ"
        default: return "'\(op.rawValue)' is not a hypothesis the sign oracle checks"
        }
        let s = sign(difference)
        if s.sign == .positive || (!strict && s.sign.isNonnegative) { return nil }
        return "the sign of \(difference) is not known to be \(strict ? "> 0" : ">= 0") (\(s.reason))"
    }

    // MARK: algebra, monotonicity, asymptotics

    func algebra(_ previous: Expression, _ op: RelationOperator, _ next: Expression) -> (Bool, String) {
        switch op {
        case .equal:
            if equal(previous, next) { return (true, "both sides have the canonical form \(canonical(next))") }
            return (false, "not equal: the sides simplify to \(canonical(previous)) and \(canonical(next))")
        case .less, .lessEqual:
            if let problem = unproved(previous, op, next) { return (false, problem) }
            return (true, "the difference has a known sign")
        case .asymptoticLessEqual:
            if equal(previous, next) { return (true, "equal") }
            return dominated(previous, by: next, path: nil)
        default:
            return (false, "proof chains use =, <=, < or <~")
        }
    }

    /// `previous <= next` because one subterm was replaced by a larger one where the expression increases,
    /// or because the difference has a known sign.
    func monotonicity(_ previous: Expression, _ next: Expression) -> (Bool, String) {
        if unproved(previous, .lessEqual, next) == nil { return (true, "the difference is nonnegative") }
        // The sides as written first (the writer kept the order); tidied forms as a fallback.
        var a = previous, b = next
        if let (p, _, _) = DerivationContext.singleDifference(a, b), p.isEmpty {
            a = previous.tidied(assumptions); b = next.tidied(assumptions)
        }
        guard let (path, old, new) = DerivationContext.singleDifference(a, b) else {
            return (false, "monotonicity needs the two sides to differ in one subterm; \(a) and \(b) differ in several places")
        }
        let oa = opaqueAssumptions(a)
        let position = Rewriter.positions(in: a, assumptions: oa).first { $0.1.path == path }?.1
        guard let polarity = position?.polarity, polarity != 0 else {
            return (false, "cannot tell whether the expression increases with \(old)")
        }
        let larger: Bool
        if case .min(let xs) = old.shape, xs.contains(new) { larger = true }
        else if case .max(let xs) = new.shape, xs.contains(old) { larger = true }
        else { larger = unproved(old, .lessEqual, new) == nil }
        let smaller: Bool
        if case .min(let xs) = new.shape, xs.contains(old) { smaller = true }
        else if case .max(let xs) = old.shape, xs.contains(new) { smaller = true }
        else { smaller = unproved(new, .lessEqual, old) == nil }
        if polarity > 0 && larger { return (true, "\(old) <= \(new) in an increasing position") }
        if polarity < 0 && smaller { return (true, "\(new) <= \(old) in a decreasing position") }
        return (false, "replacing \(old) by \(new) does not increase the expression (\(polarity > 0 ? "increasing" : "decreasing") position, and \(old) <= \(new) is not proved)")
    }

    /// The single position where two trees differ: (path, old subterm, new subterm).
    static func singleDifference(_ a: Expression, _ b: Expression) -> ([Int], Expression, Expression)? {
        if a == b { return nil }
        let ca = a.children, cb = b.children
        let sameShape: Bool
        switch (a.shape, b.shape) {
        case (.sum, .sum), (.product, .product), (.min, .min), (.max, .max), (.power, .power), (.log, .log), (.binom, .binom): sameShape = ca.count == cb.count
        case (.apply(let f, _), .apply(let g, _)): sameShape = f == g && ca.count == cb.count
        default: sameShape = false
        }
        if !sameShape { return ([], a, b) }
        let differing = ca.indices.filter { ca[$0] != cb[$0] }
        if differing.count != 1 { return ([], a, b) }
        let i = differing[0]
        guard let (path, old, new) = singleDifference(ca[i], cb[i]) else { return nil }
        return ([i] + path, old, new)
    }

    /// `previous <~ next`: every term of `previous` (products multiplied out, logs kept whole) is at most a
    /// constant times some nonnegative term of `next`. The constant may depend only on the symbols the
    /// path holds fixed; otherwise it must be bounded under the assumptions, or along the path.
    func dominated(_ previous: Expression, by next: Expression, path: PathSpec?) -> (Bool, String) {
        let (both, a) = opaque([previous, next])
        let op = both[0], on = both[1]
        let expand = Simplifier(assumptions: a, options: Simplifier.Options(expand: true, splitLogs: false))
        let left = DerivationContext.terms(expand.simplify(op))
        let right = DerivationContext.terms(expand.simplify(on))
        for s in right where !a.quickSign(s).isNonnegative {
            return (false, "the term \(s) of the right side is not known to be nonnegative, so terms cannot be bounded by it")
        }
        var used: [String] = []
        let bounded = ratioTest(path: path, assumptions: a, simplifier: expand)
        for t in left {
            if a.quickSign(t).isNonpositive { continue }
            guard let s = right.first(where: { bounded(t, $0) }) else {
                let pathText = path.map { " along \($0.growing) → ∞" } ?? ""
                return (false, "the term \(t) is not bounded by a constant times any term of \(next)\(pathText)")
            }
            if t != s { used.append("\(t) <~ \(s)") }
        }
        return (true, used.isEmpty ? "same terms" : "dropped or absorbed: " + used.joined(separator: "; "))
    }

    static func terms(_ e: Expression) -> [Expression] {
        if case .sum(let ts) = e.shape { return ts }
        return [e]
    }

    /// `boundedRatio` for the pairs of one comparison (`dominated`, `Composer.dropDominated`), which share the
    /// path, the assumptions and `simplifier` (the expand-without-log-splitting simplifier for `a`): one growth
    /// analyzer for every pair, made when first needed (it remembers its simplifications), and along a path the
    /// run-wide memo of pairs already compared with the same inputs (under another alternative, say).
    func ratioTest(path: PathSpec?, assumptions a: Assumptions, simplifier: Simplifier) -> (Expression, Expression) -> Bool {
        var analyzer: GrowthAnalyzer? = nil
        func growthAnalyzer(_ path: PathSpec) -> GrowthAnalyzer {
            if let analyzer { return analyzer }
            let made = GrowthAnalyzer(path: ScalingPath(growing: path.growing, substitutions: path.substitutions, fixed: path.fixed),
                                      assumptions: a, memos: memos.simplifications)
            analyzer = made
            return made
        }
        guard let path else {
            return { t, s in self.boundedRatio(t, s, path: nil, assumptions: a, simplifier: simplifier, analyzer: { _ in nil }) }
        }
        let assumptionsNumber = memos.number(of: a)
        let quantities = theory.quantities.keys.sorted()
        return { t, s in
            let key = DerivationMemos.RatioKey(t: t, s: s, growing: path.growing, substituted: path.substitutions.map(\.0),
                                               substitutions: path.substitutions.map(\.1), fixed: path.fixed,
                                               assumptions: assumptionsNumber, quantities: quantities)
            return self.memos.boundedRatio(key) {
                self.boundedRatio(t, s, path: path, assumptions: a, simplifier: simplifier, analyzer: growthAnalyzer)
            }
        }
    }

    /// t / s is bounded: fixed-only factors are constants; the rest is bounded by interval arithmetic, or
    /// its growth along the path (by the analyzer `analyzer` gives for it) is not positive.
    private func boundedRatio(_ t: Expression, _ s: Expression, path: PathSpec?, assumptions a: Assumptions,
                              simplifier: Simplifier, analyzer: (PathSpec) -> GrowthAnalyzer?) -> Bool {
        let ratio = simplifier.simplify(t / s)
        // A quantity (Risk, Approx, Cover(1/n)) left in the ratio could depend on anything: not bounded.
        if ratio.freeSymbols.contains(where: { theory.quantities[$0] != nil || $0.hasPrefix("⟨") }) { return false }
        let fixed = Set(path?.fixed ?? [])
        let factors: [Expression]
        if case .product(let fs) = ratio.shape { factors = fs } else { factors = [ratio] }
        var rest: [Expression] = []
        for f in factors {
            if f.isNumber { continue }
            let symbols = f.freeSymbols
            if !symbols.isEmpty && symbols.allSatisfy(fixed.contains) && a.quickSign(f) == .positive { continue }
            rest.append(f)
        }
        let remaining = Expression.multiply(rest)
        if a.interval(of: remaining).upper != nil { return true }
        guard let path else { return false }
        guard let g = try? analyzer(path)?.growth(of: remaining) else { return false }
        let es = a.quickSign(g.exponent)
        // The constant in front must be bounded uniformly too (it may involve N_eff, M, ...).
        if es == .negative { return a.interval(of: g.coefficient).upper != nil }
        if g.exponent == .zero {
            let ls = a.quickSign(g.logPower)
            if ls.isNonpositive {
                // The coefficient must itself be bounded uniformly.
                return a.interval(of: g.coefficient).upper != nil
            }
        }
        return false
    }
}
