import Foundation
/// Linear arithmetic over the assumptions, with exact rationals (Fourier–Motzkin elimination).
///
/// Every fact `expression >= 0` (or `> 0`) is read as a linear form over atoms: the non-numeric summands with
/// their numeric coefficients split off (`3*x*y` is 3 times the atom `x*y`, `log(M)` is an atom). Each atom
/// also carries its interval bounds. A goal `g >= 0` is proved by adding its negation `g < 0` and deriving
/// `0 < 0` (or a negative constant that should be nonnegative) by eliminating the atoms one by one.
///
/// Treating atoms as independent reals is a relaxation: whatever it refutes has no real solution, so every
/// proof it finds is sound, even for nonlinear atoms and integer symbols. It is complete for linear facts over
/// the reals (Fourier–Motzkin is), within the size limit.
extension Assumptions {
    /// A linear form `constant + Σ coefficient·atom`, with `>= 0` or `> 0`.
    struct LinearConstraint: Hashable {
        var terms: [Expr: Rational]
        var constant: Rational
        var strict: Bool

        init(_ e: Expr, strict: Bool) {
            var terms: [Expr: Rational] = [:]
            LinearConstraint.accumulate(e, scale: .one, into: &terms)
            constant = terms.removeValue(forKey: .one) ?? .zero
            self.terms = terms.filter { !$0.value.isZero }
            self.strict = strict
        }

        /// Add `scale·e` as a linear form: numeric factors distribute over sums (`-(a + b)` is `-a - b`); any other
        /// summand is an atom.
        static func accumulate(_ e: Expr, scale: Rational, into terms: inout [Expr: Rational]) {
            switch e.shape {
            case .number(let r): terms[.one, default: .zero] += scale * r
            case .sum(let xs): for x in xs { accumulate(x, scale: scale, into: &terms) }
            case .product(let fs):
                var c = scale
                var rest: [Expr] = []
                for f in fs { if let r = f.numberValue { c = c * r } else { rest.append(f) } }
                if rest.count == 1 { accumulate(rest[0], scale: c, into: &terms) }
                else if rest.isEmpty { terms[.one, default: .zero] += c }
                else { terms[Expr.multiply(rest), default: .zero] += c }
            default: terms[e, default: .zero] += scale
            }
        }

        init(terms: [Expr: Rational], constant: Rational, strict: Bool) {
            self.terms = terms.filter { !$0.value.isZero }
            self.constant = constant
            self.strict = strict
        }

        /// No atom left and the constant violates the relation.
        var isContradiction: Bool { terms.isEmpty && (constant.isNegative || (strict && constant.isZero)) }
        var isTrivial: Bool { terms.isEmpty && !isContradiction }
    }

    /// Constraints beyond which elimination gives up (no proof, never a wrong one).
    static let linearConstraintLimit = 400

    /// `e >= 0` (or `e > 0` when `strict`) follows linearly from the facts and the atoms' bounds.
    public func linearlyProves(_ e: Expr, strict: Bool) -> Bool {
        // The negation: -e > 0 for a goal e >= 0, -e >= 0 for e > 0.
        let negation = LinearConstraint(Expr.negate(e), strict: !strict)
        if negation.terms.isEmpty { return negation.isContradiction }
        // A pure function of the goal and the assumptions (equal assumptions hold the same facts and bounds):
        // the theory checks, the kernel and the audit's re-derivations under each alternative ask the same
        // questions again, and one elimination costs about as much as a hundred simplifications.
        return Assumptions.linearProofs.value(for: LinearQueryKey(goal: e, strict: strict, assumptions: self)) { refutes([negation]) }
    }

    /// A goal, or none: whether the assumptions themselves are contradictory.
    struct LinearQueryKey: Hashable {
        var goal: Expr?
        var strict: Bool
        var assumptions: Assumptions
    }
    static let linearProofs = LockedTable<LinearQueryKey, Bool>(capacity: 100_000)

    /// The facts (with the atoms' bounds) have no real solution: the assumptions contradict each other.
    public var linearlyInconsistent: Bool {
        Assumptions.linearProofs.value(for: LinearQueryKey(goal: nil, strict: true, assumptions: self)) { refutes([]) }
    }

    /// The symbols' bounds of `assumptions` with only `facts` as relations are contradictory.
    public static func linearlyInconsistent(_ assumptions: Assumptions, facts: [Fact]) -> Bool {
        var a = assumptions
        a.facts = facts
        return a.linearlyInconsistent
    }

    /// Whether `extra` together with the facts and bounds is infeasible.
    ///
    /// Facts are read in canonical form (so `2^(-(K + 1))` and `2^(-K)/2` are one atom). An atom `log(s)` for a
    /// symbol s with positive bounds l <= s <= u gets log(l) <= log(s) <= log(u) with the bounds' logs split into
    /// logs of primes, exactly (eps <= 1/3 gives log(eps) <= -log(3), which intervals only approximate).
    func refutes(_ extra: [LinearConstraint]) -> Bool {
        var constraints = extra
        let canonical = Simplifier(assumptions: self)
        var factConstraints: [LinearConstraint] = []
        for fact in allFactsIncludingLogs() {
            factConstraints.append(LinearConstraint(fact.expression, strict: fact.strict))
            let simple = Assumptions.canonicalFacts.value(for: CanonicalFactKey(fact: fact.expression, assumptions: self)) {
                canonical.simplify(fact.expression)
            }
            if simple != fact.expression { factConstraints.append(LinearConstraint(simple, strict: fact.strict)) }
        }
        // Only facts that share atoms with the goal (directly or through other such facts) can matter; with none, and
        // no log of a bounded symbol, elimination would only redo the interval arithmetic the oracle already did.
        var reached = Set(extra.flatMap { $0.terms.keys })
        let logsOfSymbols = reached.contains { if case .log(let x) = $0.shape { return x.symbolName != nil } else { return false } }
        var pending = factConstraints
        var changed = true
        while changed {
            changed = false
            pending.removeAll { c in
                guard !reached.isDisjoint(with: c.terms.keys) else { return false }
                constraints.append(c)
                reached.formUnion(c.terms.keys)
                changed = true
                return true
            }
        }
        if !extra.isEmpty && constraints.count == extra.count && !logsOfSymbols { return false }
        if extra.isEmpty { constraints += pending }
        // Bounds of every atom that occurs.
        var atoms = Set<Expr>()
        for c in constraints { atoms.formUnion(c.terms.keys) }
        for atom in atoms {
            let range = interval(of: atom)
            if let l = range.lower {
                constraints.append(LinearConstraint(terms: [atom: .one], constant: -l, strict: range.lowerOpen))
            }
            if let u = range.upper {
                constraints.append(LinearConstraint(terms: [atom: .minusOne], constant: u, strict: range.upperOpen))
            }
            if case .log(let inner) = atom.shape, case .symbol(let s) = inner.shape {
                let symbolRange = interval(ofSymbol: s)
                if let l = symbolRange.lower, l.isPositive {
                    let logL = canonical.simplify(.log(.number(l)))
                    constraints.append(LinearConstraint(atom - logL, strict: symbolRange.lowerOpen))
                }
                if let u = symbolRange.upper, u.isPositive {
                    let logU = canonical.simplify(.log(.number(u)))
                    constraints.append(LinearConstraint(logU - atom, strict: symbolRange.upperOpen))
                }
            }
        }
        return Assumptions.eliminate(constraints)
    }

    /// Fourier–Motzkin: true when the constraints are infeasible over the reals.
    static func eliminate(_ start: [LinearConstraint]) -> Bool {
        var constraints = Array(Set(start))
        while true {
            if constraints.contains(where: \.isContradiction) { return true }
            constraints.removeAll(where: \.isTrivial)
            var atoms: [Expr: (positive: Int, negative: Int)] = [:]
            for c in constraints {
                for (atom, k) in c.terms {
                    var counts = atoms[atom] ?? (0, 0)
                    if k.isPositive { counts.positive += 1 } else { counts.negative += 1 }
                    atoms[atom] = counts
                }
            }
            guard !atoms.isEmpty else { return false }
            // An atom bounded on one side only: its constraints can always be met, drop them.
            if let (free, _) = atoms.first(where: { $0.value.positive == 0 || $0.value.negative == 0 }) {
                constraints.removeAll { $0.terms[free] != nil }
                continue
            }
            // Eliminate the atom with the fewest new constraints.
            let (atom, _) = atoms.min { a, b in
                let x = a.value.positive * a.value.negative, y = b.value.positive * b.value.negative
                return x != y ? x < y : Expr.canonicallyPrecedes(a.key, b.key)
            }!
            let lower = constraints.filter { $0.terms[atom]?.isPositive == true }
            let upper = constraints.filter { $0.terms[atom]?.isNegative == true }
            var next = constraints.filter { $0.terms[atom] == nil }
            if next.count + lower.count * upper.count > linearConstraintLimit { return false }
            for p in lower {
                for q in upper {
                    // a·p + b·q with a = -q[atom] > 0 and b = p[atom] > 0 cancels the atom.
                    let a = -(q.terms[atom]!), b = p.terms[atom]!
                    var terms: [Expr: Rational] = [:]
                    for (k, v) in p.terms { terms[k, default: .zero] += a * v }
                    for (k, v) in q.terms { terms[k, default: .zero] += b * v }
                    terms[atom] = nil
                    let combined = LinearConstraint(terms: terms, constant: a * p.constant + b * q.constant, strict: p.strict || q.strict)
                    if combined.isContradiction { return true }
                    if !combined.isTrivial { next.append(combined) }
                }
            }
            constraints = Array(Set(next))
        }
    }
}

extension Assumptions {
    struct CanonicalFactKey: Hashable {
        var fact: Expr
        var assumptions: Assumptions
    }
    /// Facts in canonical form, computed once per fact and assumptions (linear arithmetic reads them on every call).
    static let canonicalFacts = LockedTable<CanonicalFactKey, Expr>(capacity: 100_000)
}
