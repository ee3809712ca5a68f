import Symbolic

/// A lemma cited at one position, as a search (the matcher, the composer) proposes it to the kernel.
struct LemmaCitation {
    var lemma: Lemma
    var bindings: [String: Expr]
    /// Child indices from the root of the expression it rewrites.
    var position: [Int]
    /// Read right to left: the right side is found and replaced by the left (for a chain going the other way).
    var reversed: Bool = false
}

/// The rules that decide whether a proof step holds (SEMANTICS.md). Everything else proposes; these decide.
extension ProofContext {
    /// Rule **cite**: rewrite `previous` with a lemma instance at a position. The subterm there must equal the
    /// instance's side, and the relation comes from the instance through the replacement rule. Returns the
    /// rewritten expression, the relation `previous ? result`, and how.
    func cite(_ c: LemmaCitation, in previous: Expr, region: Assumptions) -> Result<(Expr, Rel, String), KernelFailure> {
        let instance: LemmaInstance
        switch instantiate(c.lemma, c.bindings, in: region) {
        case .failure(let f): return .failure(f)
        case .success(let i): instance = i
        }
        let (old, new, hole) = c.reversed ? (instance.rhs, instance.lhs, instance.rel.reversed) : (instance.lhs, instance.rhs, instance.rel)
        guard hole.way == .equal || hole.way == .both || [.up, .down].contains(hole.way) else {
            return .failure(KernelFailure("\(c.lemma.id)'s relation cannot rewrite"))
        }
        guard let sub = Rewriter.subterm(previous, at: c.position) else { return .failure(KernelFailure("no subterm at that position")) }
        if sub != old && !equal(sub, old, in: region) {
            return .failure(KernelFailure("\(sub) is not the instance \(old) of \(c.lemma.id)"))
        }
        switch replace(in: previous, at: c.position, with: new, hole: hole, in: region) {
        case .failure(let f):
            return .failure(KernelFailure("\(c.lemma.id) at \(old): \(f.message)", undecided: f.undecided))
        case .success(let (result, rel)):
            return .success((result, rel, "\(c.lemma.id) with \(instance.describedBindings)\(c.reversed ? ", read right to left" : "")"))
        }
    }

    /// Rule **algebra**: an equality of canonical forms, an exact inequality with a proved sign of the difference,
    /// or for `<~`, `>~`, `~` the domination rule.
    func algebra(_ previous: Expr, _ claimed: Rel, _ next: Expr) -> Result<String, KernelFailure> {
        if claimed.way == .equal {
            if equal(previous, next, in: all) { return .success("both sides have the canonical form \(canonical(next, in: all).display)") }
            // With a min or max, by cases: the difference is >= 0 and <= 0 in every case.
            if SignProof.firstMinMax(previous - next) != nil,
               signProblem(previous - next, strict: false, in: all) == nil, signProblem(next - previous, strict: false, in: all) == nil {
                return .success("equal in every case of the min and max")
            }
            return .failure(KernelFailure("not equal: the sides simplify to \(canonical(previous, in: all).display) and \(canonical(next, in: all).display)"))
        }
        if claimed.asymptotic {
            if equal(previous, next, in: all) { return .success("equal") }
            return dominationBothWays(previous, claimed, next)
        }
        if let problem = relationProblem(previous, claimed.op, next, in: all) {
            // A referee reads x^3 <= y^3 from x <= y: one subterm replaced in a monotone context.
            if case .success(let how) = monotonicity(previous, claimed, next) { return .success(how) }
            return .failure(.undecided(problem))
        }
        return .success("the difference has a known sign")
    }

    /// Rule **dominate** for a claimed asymptotic relation.
    func dominationBothWays(_ previous: Expr, _ claimed: Rel, _ next: Expr) -> Result<String, KernelFailure> {
        guard claimed.asymptotic else {
            return .failure(KernelFailure("dropping or absorbing terms gives '<~' only (or '>~', '~'), but the step claims '\(claimed.op.rawValue)'"))
        }
        if claimed.way == .up || claimed.way == .both, let f = dominationProblem(previous, by: next) { return .failure(f) }
        if claimed.way == .down || claimed.way == .both, let f = dominationProblem(next, by: previous) { return .failure(f) }
        return .success("each term is at most a constant times a term of the other side")
    }

    /// Rule **monotonicity**: one subterm replaced by a provably larger (or smaller) one, through the
    /// replacement rule; or the difference of the whole has a proved sign.
    func monotonicity(_ previous: Expr, _ claimed: Rel, _ next: Expr) -> Result<String, KernelFailure> {
        guard claimed.way == .up || claimed.way == .down else {
            return .failure(KernelFailure("monotonicity gives an inequality, not '\(claimed.op.rawValue)'"))
        }
        let exact = Rel(way: claimed.way, asymptotic: false, strict: claimed.strict)
        if relationProblem(previous, exact.op, next, in: all) == nil { return .success("the difference has a known sign") }
        var a = previous, b = next
        if let (p, _, _) = ProofContext.singleDifference(a, b), p.isEmpty {
            a = previous.tidied(all); b = next.tidied(all)
            guard equal(a, previous, in: all), equal(b, next, in: all) else {
                return .failure(KernelFailure("\(previous) and \(next) differ in several places"))
            }
        }
        guard let (path, old, new) = ProofContext.singleDifference(a, b) else {
            return .failure(.undecided("monotonicity needs the two sides to differ in one subterm; \(previous) and \(next) differ in several places, and their difference has no known sign"))
        }
        // How the subterm changed: a lattice fact (min(a, b) <= a <= max(a, b)) or a proved sign.
        var hole: Rel? = nil
        if ProofContext.isLatticeBelow(old, new) || relationProblem(old, .lessEqual, new, in: all) == nil {
            hole = Rel(way: .up, asymptotic: false, strict: relationProblem(old, .less, new, in: all) == nil)
        } else if ProofContext.isLatticeBelow(new, old) || relationProblem(old, .greaterEqual, new, in: all) == nil {
            hole = Rel(way: .down, asymptotic: false, strict: relationProblem(old, .greater, new, in: all) == nil)
        }
        guard let hole else {
            return .failure(.undecided("\(old) and \(new) are not known to be ordered (\(relationProblem(old, .lessEqual, new, in: all) ?? ""))"))
        }
        switch replace(in: a, at: path, with: new, hole: hole, in: all) {
        case .failure(let f): return .failure(f)
        case .success(let (result, rel)):
            guard equal(result, next, in: all) else { return .failure(KernelFailure("replacing \(old) by \(new) does not give \(next)")) }
            guard rel.implies(claimed) else {
                return .failure(KernelFailure(ProofContext.weaker(rel, than: claimed, "replacing \(old) by \(new)")))
            }
            return .success("\(old) \(hole.op.rawValue) \(new), and the expression moves the same way")
        }
    }

    /// Why `rel` does not give `claimed`, as a sentence about `what`.
    static func weaker(_ rel: Rel, than claimed: Rel, _ what: String) -> String {
        let opposite = (rel.way == .up && claimed.way == .down) || (rel.way == .down && claimed.way == .up)
        if opposite {
            return "wrong direction: \(what) gives '\(rel.op.rawValue)' here (the expression moves the other way), but the step claims '\(claimed.op.rawValue)'"
        }
        if rel.asymptotic && !claimed.asymptotic {
            return "\(what) gives only '\(rel.op.rawValue)' here (up to a constant factor), but the step claims '\(claimed.op.rawValue)'"
        }
        if claimed.strict && !rel.strict {
            return "\(what) gives only '\(rel.op.rawValue)' here, not the strict '\(claimed.op.rawValue)' the step claims"
        }
        return "\(what) gives '\(rel.op.rawValue)' here, but the step claims '\(claimed.op.rawValue)'"
    }

    /// `small` is below `big` by the lattice laws: an operand of a min is above it, of a max below it.
    static func isLatticeBelow(_ small: Expr, _ big: Expr) -> Bool {
        if case .min(let xs) = small.shape, xs.contains(big) { return true }
        if case .max(let xs) = big.shape, xs.contains(small) { return true }
        if case .min(let xs) = small.shape, case .max(let ys) = big.shape, !Set(xs).isDisjoint(with: ys) { return true }
        return false
    }

    /// The single position where two trees differ: (path, old subterm, new subterm).
    static func singleDifference(_ a: Expr, _ b: Expr) -> ([Int], Expr, Expr)? {
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
}
