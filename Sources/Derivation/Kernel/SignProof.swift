import Symbolic
import Asymptotics

/// The order facts the kernel proves beyond the sign oracle, each sound on its own (SEMANTICS.md, "algebra"):
/// - linear arithmetic over the facts; exact polynomial certificates (one variable on an interval, quadratic forms);
/// - a product or a single fraction by the signs of its factors, also after a factor common to every term is
///   taken out (sqrt(d)*(3 - c));
/// - a min or max by cases (min(a, b) is a where a <= b and b where b <= a, and the two cases cover every point);
/// - roots as variables: a symbol s >= 0 under a root s^(p/q) is written u^q with u >= 0, so AM-GM's
///   (x + y)/2 - sqrt(x*y) becomes the square (u - v)^2/2;
/// - squaring: P - N with P, N >= 0 is >= 0 when P^2 - N^2 is (sqrt(a) + sqrt(b) - sqrt(a + b));
/// - tangent bounds: exp(t) >= 1 + t under a positive coefficient, log(x) <= x - 1 under a negative one, which can
///   only lower the expression.
struct SignProof {
    static let maximumDepth = 2
    /// Simplifications under each set of assumptions met, shared with the run.
    let memos: SimplificationMemos
    /// The run's table of outcomes, so the recursion (factor signs, cases) does not prove one thing twice.
    var outcomes: DerivationMemos? = nil

    /// How hard to try: `quick` is the oracle and linear arithmetic (for the many comparisons a search makes),
    /// `full` adds the certificates, factor signs and cases. Either way only proofs are returned.
    enum Effort: Hashable, Sendable { case quick, full }

    /// `e >= 0` (or `> 0`) at every point of `a`, for an expression whose quantities are already opaque.
    func proves(_ e: Expr, strict: Bool, in a: Assumptions, depth: Int, effort: Effort = .full) -> Bool {
        guard let outcomes, depth > 0 else { return uncachedProves(e, strict: strict, in: a, depth: depth, effort: effort) }
        return outcomes.signProof(e, strict: strict, depth: depth, effort: effort, assumptions: a) {
            uncachedProves(e, strict: strict, in: a, depth: depth, effort: effort)
        }
    }

    private func uncachedProves(_ e: Expr, strict: Bool, in a: Assumptions, depth: Int, effort: Effort) -> Bool {
        if depth > 0 {
            let s = a.sign(of: e).sign
            if s == .positive || (!strict && s.isNonnegative) { return true }
        }
        // A factor common to every term, as written (before expansion hides it): 2X/n - X/(n - 1) = X·(2/n - 1/(n - 1)).
        if effort == .full, depth < SignProof.maximumDepth, let common = commonFactor(e),
           let s = factorSign(common, in: a, depth: depth), s == .positive || (!strict && s.isNonnegative) { return true }
        let simple = memos.memo(for: a).simplified(e)
        if let r = simple.numberValue { return r.isPositive || (!strict && r.isZero) }
        if a.linearlyProves(simple, strict: strict) { return true }
        if effort == .quick { return false }
        if a.polynomiallyProves(simple, strict: strict) { return true }
        guard depth < SignProof.maximumDepth else { return false }
        if let s = factorSign(simple, in: a, depth: depth), s == .positive || (!strict && s.isNonnegative) { return true }
        let fraction = simple.asSingleFraction(a)
        if fraction != simple, let s = factorSign(fraction, in: a, depth: depth), s == .positive || (!strict && s.isNonnegative) { return true }
        if let split = byCases(simple, strict: strict, in: a, depth: depth) { return split }
        if let common = commonFactor(simple), let s = factorSign(common, in: a, depth: depth), s == .positive || (!strict && s.isNonnegative) { return true }
        if let substituted = rootsAsVariables(simple, in: a), proves(substituted.0, strict: strict, in: substituted.1, depth: depth + 1) { return true }
        if let lowered = tangentBounds(simple, in: a), proves(lowered, strict: strict, in: a, depth: depth + 1) { return true }
        if bySquaring(simple, strict: strict, in: a, depth: depth) { return true }
        if byArithmeticGeometricMeans(simple, strict: strict, in: a, depth: depth) { return true }
        return false
    }

    /// A + B - C >= 0 from A, B >= 0 and 4·A·B - C^2 >= 0, since A + B >= 2·sqrt(A·B) >= |C| (AM-GM with any
    /// weights: x^2/c + c*y^2 - 2*x*y, sigma^2/(2*b) + b*u - sqrt(2*sigma^2*u)). The sum has exactly two terms with
    /// positive coefficients and one with a negative one.
    func byArithmeticGeometricMeans(_ e: Expr, strict: Bool, in a: Assumptions, depth: Int) -> Bool {
        guard case .sum(let terms) = e.shape, terms.count == 3 else { return false }
        var positive: [Expr] = [], negative: [Expr] = []
        for t in terms {
            let (c, _) = Simplifier.splitCoefficientPublic(t)
            if c.isNegative { negative.append(Expr.negate(t)) } else { positive.append(t) }
        }
        guard positive.count == 2, negative.count == 1 else { return false }
        let (p, q, c) = (positive[0], positive[1], negative[0])
        // A + B >= 2·sqrt(A·B) needs only A, B >= 0, and it is an equality at A = B: strictness must come from the
        // certificate, 4·A·B > C^2 (so 2·sqrt(A·B) > |C|), never from A, B > 0 (u^2 + 1 - 2u is 0 at u = 1).
        guard proves(p, strict: false, in: a, depth: depth + 1), proves(q, strict: false, in: a, depth: depth + 1) else { return false }
        let certificate = memos.memo(for: a).simplified(Expr.multiply([4, p, q]) - Expr.raise(c, 2))
        return proves(certificate, strict: strict, in: a, depth: depth + 1)
    }

    /// The terms' common factor taken out: t1 + t2 with t_i = m·r_i becomes m·(r1 + r2) (nil when none).
    func commonFactor(_ e: Expr) -> Expr? {
        guard case .sum(let terms) = e.shape, terms.count >= 2 else { return nil }
        func factors(_ t: Expr) -> [Expr] {
            let (_, rest) = Simplifier.splitCoefficientPublic(t)
            if case .product(let fs) = rest.shape { return fs }
            return rest == .one ? [] : [rest]
        }
        var common = factors(terms[0])
        for t in terms.dropFirst() {
            let fs = factors(t)
            common = common.filter { fs.contains($0) }
            if common.isEmpty { return nil }
        }
        let m = Expr.multiply(common)
        let rest = Expr.add(terms.map { Expr.multiply([$0, Expr.raise(m, .minusOne)]) })
        return .product([m, memos.memo(for: Assumptions()).simplified(rest)])
    }

    /// Each symbol s >= 0 that occurs under a root (s^(p/q) with q > 1) replaced by u^L with u >= 0 fresh, L the
    /// least common multiple of its roots' denominators: every point of the old variables is a point of the new.
    func rootsAsVariables(_ e: Expr, in a: Assumptions) -> (Expr, Assumptions)? {
        var denominators: [String: Int] = [:]
        var stack = [e]
        while let node = stack.popLast() {
            if case .power(let b, let x) = node.shape, case .symbol(let s) = b.shape, let r = x.numberValue, !r.isInteger,
               let q = r.denominator.asInt, q <= 8, !s.hasPrefix("⟪") {
                let current = denominators[s] ?? 1
                denominators[s] = current * q / gcd(current, q)
            }
            stack.append(contentsOf: node.children)
        }
        guard !denominators.isEmpty, denominators.count <= 4 else { return nil }
        var b = a
        var map: [String: Expr] = [:]
        for (s, q) in denominators.sorted(by: { $0.key < $1.key }) {
            let range = a.interval(ofSymbol: s)
            guard let l = range.lower, !l.isNegative else { return nil }
            let u = "⟪\(s)⟫"
            do {
                try b.declare(u)
                try b.assume(.symbol(u), range.lowerOpen || l.isPositive ? .greater : .greaterEqual, .zero, origin: .init("\(u) = \(s)^(1/\(q))"))
            } catch { return nil }
            map[s] = Expr.raise(.symbol(u), Expr(q))
        }
        return (memos.memo(for: b).simplified(e.substituting(map)), b)
    }

    /// In each term c·F·g with g = exp(t), log(x) or binom(n, k) and the multiplier c·F of known sign, g replaced
    /// by the bound on the side that can only lower the term: exp(t) >= 1 + t, 1 - 1/x <= log(x) <= x - 1 (x > 0),
    /// binom(n, k) <= n^k (integers). The result is at most e, so proving it >= 0 proves e >= 0. nil when no
    /// term qualifies.
    func tangentBounds(_ e: Expr, in a: Assumptions) -> Expr? {
        guard SignProof.containsTangentCandidate(e) else { return nil }
        let terms: [Expr]
        if case .sum(let ts) = e.shape { terms = ts } else { terms = [e] }
        var changed = false
        let lowered = terms.map { t -> Expr in
            let factors: [Expr]
            if case .product(let fs) = t.shape { factors = fs } else { factors = [t] }
            for (i, g) in factors.enumerated() {
                let multiplier = Expr.multiply(factors.enumerated().filter { $0.offset != i }.map(\.element))
                let m = a.quickSign(multiplier)
                guard m.isNonnegative || m.isNonpositive else { continue }
                let up = m.isNonnegative   // the term grows with g: replace g by a lower bound
                var bound: Expr? = nil
                switch g.shape {
                case .power(let base, let x) where base.isE && up: bound = .one + x
                case .log(let x) where a.quickSign(x) == .positive: bound = up ? .one - Expr.raise(x, .minusOne) : x - .one
                case .binom(let n, let k) where !up && a.isIntegerValued(n) && a.isIntegerValued(k) && a.quickSign(k).isNonnegative:
                    bound = Expr.raise(n, k)
                default: break
                }
                if let bound {
                    changed = true
                    return Expr.multiply([multiplier, bound])
                }
            }
            return t
        }
        return changed ? Expr.add(lowered) : nil
    }

    /// P - N >= 0 from P >= 0 and P^2 - N^2 >= 0 (then P >= |N| >= N), where P holds the terms with positive
    /// coefficients; tried only when a square root is present (where squaring helps).
    func bySquaring(_ e: Expr, strict: Bool, in a: Assumptions, depth: Int) -> Bool {
        guard case .sum(let terms) = e.shape, SignProof.containsSquareRoot(e) else { return false }
        var positive: [Expr] = [], negative: [Expr] = []
        for t in terms {
            let (c, _) = Simplifier.splitCoefficientPublic(t)
            if c.isNegative { negative.append(Expr.negate(t)) } else { positive.append(t) }
        }
        guard !positive.isEmpty, !negative.isEmpty else { return false }
        let p = Expr.add(positive), n = Expr.add(negative)
        guard proves(p, strict: false, in: a, depth: depth + 1) else { return false }
        let squares = memos.memo(for: a).simplified(Expr.raise(p, 2) - Expr.raise(n, 2))
        return proves(squares, strict: strict, in: a, depth: depth + 1)
    }

    static func containsTangentCandidate(_ e: Expr) -> Bool {
        var stack = [e]
        while let node = stack.popLast() {
            switch node.shape {
            case .log, .binom: return true
            case .power(let b, _) where b.isE: return true
            default: stack.append(contentsOf: node.children)
            }
        }
        return false
    }

    static func containsSquareRoot(_ e: Expr) -> Bool {
        var stack = [e]
        while let node = stack.popLast() {
            if case .power(_, let x) = node.shape, let r = x.numberValue, !r.isInteger { return true }
            stack.append(contentsOf: node.children)
        }
        return false
    }

    private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The sign of a product from its factors' signs, each proved (nil when one is unknown).
    func factorSign(_ e: Expr, in a: Assumptions, depth: Int) -> Sign? {
        guard case .product(let factors) = e.shape else { return nil }
        var sign = Sign.positive
        for f in factors {
            let s: Sign
            if let r = f.numberValue { s = r.isPositive ? .positive : (r.isZero ? .zero : .negative) }
            else if case .power(let base, let x) = f.shape, let r = x.numberValue, r.isInteger, r.numerator.isEven {
                // An even power: >= 0, > 0 where the base is nonzero.
                s = proves(base, strict: true, in: a, depth: depth + 1) || proves(Expr.negate(base), strict: true, in: a, depth: depth + 1) ? .positive : .nonnegative
            }
            else if proves(f, strict: true, in: a, depth: depth + 1) { s = .positive }
            else if proves(Expr.negate(f), strict: true, in: a, depth: depth + 1) { s = .negative }
            else if proves(f, strict: false, in: a, depth: depth + 1) { s = .nonnegative }
            else if proves(Expr.negate(f), strict: false, in: a, depth: depth + 1) { s = .nonpositive }
            else { return nil }
            sign = Sign.product(sign, s)
            if sign == .unknown { return nil }
        }
        return sign
    }

    /// A min or max of two or three operands split into the cases of which operand it is, each case proved with
    /// its order added as an assumption; nil when there is no such node.
    func byCases(_ e: Expr, strict: Bool, in a: Assumptions, depth: Int) -> Bool? {
        guard let node = SignProof.firstMinMax(e) else { return nil }
        let isMin: Bool
        let operands: [Expr]
        switch node.shape {
        case .min(let xs): isMin = true; operands = xs
        case .max(let xs): isMin = false; operands = xs
        default: return nil
        }
        guard operands.count <= 3 else { return nil }
        for (i, chosen) in operands.enumerated() {
            var cased = a
            var vacuous = false
            for (j, other) in operands.enumerated() where j != i {
                // min = chosen where chosen <= other; max = chosen where chosen >= other.
                let difference = isMin ? other - chosen : chosen - other
                do { try cased.assumeNonnegative(memos.memo(for: a).simplified(difference), strict: false, origin: .init("case \(node) = \(chosen)")) }
                catch { vacuous = true; break }
            }
            if vacuous { continue }
            if !proves(SignProof.replacing(node, with: chosen, in: e), strict: strict, in: cased, depth: depth + 1) { return false }
        }
        return true
    }

    static func firstMinMax(_ e: Expr) -> Expr? {
        var stack = [e]
        while let node = stack.popLast() {
            switch node.shape {
            case .min, .max: return node
            default: stack.append(contentsOf: node.children.reversed())
            }
        }
        return nil
    }

    static func replacing(_ target: Expr, with value: Expr, in e: Expr) -> Expr {
        if e == target { return value }
        let children = e.children
        if children.isEmpty { return e }
        return e.replacingChildren(children.map { replacing(target, with: value, in: $0) })
    }
}
