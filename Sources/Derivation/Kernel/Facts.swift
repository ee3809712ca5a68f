import Symbolic
import Asymptotics

/// The kernel's elementary judgements: two expressions are equal, an expression has a sign, an expression is
/// defined. Quantity applications are made opaque first, each a fresh symbol carrying only its declared bound.
extension ProofContext {
    /// Replace every quantity application `Cover(1/n)` by an atom `⟨Cover(1/n)⟩`, shared by the expressions, and
    /// give each atom its declared bound instantiated at the arguments (`Cover(delta) >= 1/delta` gives
    /// `⟨Cover(1/2)⟩ >= 2`), but only where the arguments provably lie in the quantity's argument domains.
    /// Treating the atoms as unknowns is sound: what holds for every value of them holds for the true one.
    func opaque(_ es: [Expr], in region: Assumptions) -> ([Expr], Assumptions) {
        // Nothing to hide: the region itself (the same value, so its cached hash is reused).
        if !es.contains(where: ProofContext.containsApplication) { return (es, region) }
        return memos.opaque(es, region: region) { uncachedOpaque(es, in: region) }
    }

    static func containsApplication(_ e: Expr) -> Bool {
        var stack = [e]
        while let node = stack.popLast() {
            if case .apply = node.shape { return true }
            stack.append(contentsOf: node.children)
        }
        return false
    }

    private func uncachedOpaque(_ es: [Expr], in region: Assumptions) -> ([Expr], Assumptions) {
        var a = region
        var pending: [(String, Expr, Quantity)] = []
        func visit(_ node: Expr) -> Expr {
            if case .apply(let name, let args) = node.shape {
                let inner = args.map(visit)
                let atom = "⟨\(Expr.apply(name, inner).text)⟩"
                if !a.isDeclared(atom) {
                    try? a.declare(atom)
                    if let q = theory.quantities[name], q.arguments.count == inner.count, q.lowerBound != nil {
                        pending.append((atom, Expr.apply(name, inner), q))
                    }
                }
                return .symbol(atom)
            }
            let children = node.children
            if children.isEmpty { return node }
            return node.replacingChildren(children.map(visit))
        }
        let result = es.map(visit)
        for (atom, application, q) in pending {
            guard case .apply(_, let args) = application.shape, let lower = q.lowerBound else { continue }
            let formal = Dictionary(zip(q.arguments, args), uniquingKeysWith: { x, _ in x })
            // The bound is a statement about arguments in their declared domains.
            guard zip(q.arguments, args).allSatisfy({ domainProblem(of: $0.0, value: $0.1, bindings: formal, in: region) == nil }) else { continue }
            let (bound, _) = opaque([lower.substituting(formal)], in: a)
            try? a.assume(.symbol(atom), .greaterEqual, bound[0], origin: .init("\(q.name)(\(q.arguments.joined(separator: ", "))) >= \(lower)", location: q.location))
        }
        return (result, memos.intern(a))
    }

    func canonical(_ e: Expr, in region: Assumptions) -> Expr {
        let (o, a) = opaque([e], in: region)
        return simplified(o[0], in: a)
    }

    /// The canonical form, through the run's memo for these assumptions.
    func simplified(_ e: Expr, in a: Assumptions) -> Expr {
        memos.simplifications.memo(for: a).simplified(e)
    }

    /// Equal at every point of the region: the canonical form of the difference is 0.
    func equal(_ x: Expr, _ y: Expr, in region: Assumptions) -> Bool {
        if x == y { return true }
        let (o, a) = opaque([x - y], in: region)
        return simplified(o[0], in: a) == .zero
    }

    /// nil when `e >= 0` (`> 0` when strict) is proved at every point of the region; otherwise why not.
    ///
    /// The sign oracle first (intervals, facts, signs through the tree), then linear arithmetic over the facts.
    func signProblem(_ e: Expr, strict: Bool, in region: Assumptions, effort: SignProof.Effort = .full) -> String? {
        let (o, a) = opaque([e], in: region)
        return memos.sign(o[0], strict: strict, effort: effort, assumptions: a) {
            // The expression as written keeps structure the canonical form loses (log(e*M/k) > 0 from k <= M); the
            // oracle tries the canonical form itself.
            let s = a.sign(of: o[0])
            if s.sign == .positive || (!strict && s.sign.isNonnegative) { return nil }
            // The oracle shows the opposite (e < 0, or e <= 0 against a strict claim) at every point: no search can
            // prove the claim on these (nonempty) admissible points.
            if ProofContext.refutes(s.sign, strict: strict) { return "\(e) \(strict ? "> 0" : ">= 0") is not proved (\(s.reason))" }
            if SignProof(memos: memos.simplifications, outcomes: memos).proves(o[0], strict: strict, in: a, depth: 0, effort: effort) { return nil }
            return "\(e) \(strict ? "> 0" : ">= 0") is not proved (\(s.reason))"
        }
    }

    /// Whether a sign the oracle proved rules out `e >= 0` (`e > 0` when strict) everywhere.
    static func refutes(_ sign: Sign, strict: Bool) -> Bool {
        sign == .negative || (strict && sign.isNonpositive)
    }

    /// nil when `e >= 0` (or > 0) holds eventually along the path: on `region` outright, or, when `e` mentions only
    /// the growing variable and fixed symbols, because its leading term along the path has a positive coefficient
    /// (e = c·v^a·log(v)^b·(1 + o(1)) with c > 0 is positive beyond a threshold that depends only on the fixed
    /// symbols, as the semantics of '<~' allows). Without a path it is `signProblem`.
    func eventualSignProblem(_ e: Expr, strict: Bool, in region: Assumptions, effort: SignProof.Effort = .full) -> String? {
        guard let problem = signProblem(e, strict: strict, in: region, effort: effort) else { return nil }
        guard let path else { return problem }
        // Negative everywhere on the region (which contains the path's tail) is not eventually nonnegative.
        let (o, a) = opaque([e], in: region)
        if ProofContext.refutes(a.quickSign(o[0]), strict: strict) { return problem + ", not even eventually" }
        let fixed = self.fixed
        guard e.freeSymbols.allSatisfy({ $0 == path.growing || fixed.contains($0) }), e.contains(symbol: path.growing) else { return problem }
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: path.growing, fixed: path.fixed), assumptions: region, memos: memos.simplifications)
        guard let g = try? analyzer.growth(of: e), region.sign(of: g.coefficient).sign == .positive else {
            return problem + ", not even eventually"
        }
        return nil
    }

    /// nil when `lhs op rhs` (an exact relation) holds at every point of the region; otherwise why not.
    func relationProblem(_ lhs: Expr, _ op: RelationOperator, _ rhs: Expr, in region: Assumptions) -> String? {
        switch op {
        case .lessEqual: return signProblem(rhs - lhs, strict: false, in: region).map { "\(lhs) <= \(rhs): \($0)" }
        case .less: return signProblem(rhs - lhs, strict: true, in: region).map { "\(lhs) < \(rhs): \($0)" }
        case .greaterEqual: return signProblem(lhs - rhs, strict: false, in: region).map { "\(lhs) >= \(rhs): \($0)" }
        case .greater: return signProblem(lhs - rhs, strict: true, in: region).map { "\(lhs) > \(rhs): \($0)" }
        case .equal: return equal(lhs, rhs, in: region) ? nil : "\(lhs) = \(rhs) is not an identity (\(canonical(lhs - rhs, in: region)) != 0)"
        default: return "'\(op.rawValue)' is not an exact relation"
        }
    }

    /// nil when `e` has a value at every point of the region: the oracle's quick check, then, for each condition
    /// it could not show (a base != 0, a log's argument > 0, 0 <= k <= n), a sign proof with the kernel's full
    /// effort (facts, linear arithmetic, certificates).
    func definednessProblem(_ e: Expr, in region: Assumptions) -> String? {
        let (o, a) = opaque([e], in: region)
        guard a.undefinedness(of: o[0]) != nil else { return nil }
        var stack = [o[0]]
        var seen = Set<Expr>()
        func proved(_ x: Expr, strict: Bool) -> Bool { signProblem(x, strict: strict, in: a) == nil }
        while let node = stack.popLast() {
            guard seen.insert(node).inserted else { continue }
            stack.append(contentsOf: node.children)
            var problem: String? = nil
            switch node.shape {
            case .log(let x):
                if !proved(x, strict: true) { problem = "log(\(x)) needs \(x) > 0" }
            case .binom(let n, let k):
                if !proved(k, strict: false) { problem = "binom(\(n), \(k)) needs \(k) >= 0" }
                else if !proved(n - k, strict: false) { problem = "binom(\(n), \(k)) needs \(k) <= \(n)" }
            case .power(let base, let x):
                guard a.undefinedness(of: node) != nil else { continue }
                let positive = proved(base, strict: true)
                let nonzero = positive || proved(Expr.negate(base), strict: true)
                let nonnegative = positive || proved(base, strict: false)
                if positive { break }
                if let r = x.numberValue {
                    if r.isInteger { if r.isNegative && !nonzero { problem = "\(node) needs \(base) != 0" } }
                    else if r.isPositive { if !nonnegative { problem = "\(node) needs \(base) >= 0" } }
                    else { problem = "\(node) needs \(base) > 0" }
                } else {
                    let integer = a.isIntegerValued(x)
                    // 0^y is defined for y >= 0 (0 for y > 0, 1 at y = 0), as the evaluator computes it.
                    if !((integer && proved(x, strict: false)) || (integer && nonzero) || (nonnegative && proved(x, strict: false))) {
                        problem = "\(node) needs \(base) > 0" + (integer ? " (or \(base) != 0)" : " (or \(base) >= 0 and \(x) >= 0)")
                    }
                }
            default: break
            }
            if var problem {
                for (atom, original) in ProofContext.atomNames(in: e) { problem = problem.replacingOccurrences(of: atom, with: original) }
                return problem
            }
        }
        return nil
    }

    /// The atoms `opaque` makes for the applications in `e`, with their original text.
    static func atomNames(in e: Expr) -> [(String, String)] {
        var result: [(String, String)] = []
        var stack = [e]
        while let node = stack.popLast() {
            if case .apply = node.shape { result.append(("⟨\(node.text)⟩", node.text)) }
            stack.append(contentsOf: node.children)
        }
        return result
    }

    /// Whether `value` may stand for the symbol `name` (with the other `bindings` made at the same time): it lies in
    /// the symbol's interval, is an integer if the symbol is one, and satisfies every relation the theory assumes of
    /// the symbol (`k : integer in [1, M]` makes `k := M^2` violate k <= M). nil when it may.
    func domainProblem(of name: String, value: Expr, bindings: [String: Expr], in region: Assumptions) -> String? {
        let declared = theory.assumptions
        if declared.isInteger(name) && !region.isIntegerValued(value) {
            return "needs \(name) to be an integer, and \(value) is not known to be one"
        }
        let range = declared.interval(ofSymbol: name)
        if let l = range.lower, let problem = relationProblem(value, range.lowerOpen ? .greater : .greaterEqual, .number(l), in: region) {
            return "needs \(name) \(range.lowerOpen ? ">" : ">=") \(l): \(problem)"
        }
        if let u = range.upper, let problem = relationProblem(value, range.upperOpen ? .less : .lessEqual, .number(u), in: region) {
            return "needs \(name) \(range.upperOpen ? "<" : "<=") \(u): \(problem)"
        }
        for fact in declared.facts where fact.expression.contains(symbol: name) {
            let instance = fact.expression.substituting(bindings)
            if let problem = definednessProblem(instance, in: region) {
                return "needs the assumption \(fact.origin) to be defined for the instance: \(problem)"
            }
            if let problem = signProblem(instance, strict: fact.strict, in: region) {
                return "needs the assumption \(fact.origin) to hold for the instance: \(problem)"
            }
        }
        if let problem = definednessProblem(value, in: region) { return "needs \(value) to be defined: \(problem)" }
        return nil
    }
}
