import Symbolic
import Asymptotics

/// The order facts the kernel proves beyond the sign oracle, each sound on its own (SEMANTICS.md, "algebra"):
/// linear arithmetic over the facts; exact polynomial certificates (one variable on an interval, quadratic forms);
/// a product or a single fraction by the signs of its factors; and a min or max by cases (min(a, b) is a where
/// a <= b and b where b <= a, and the two cases cover every point).
struct SignProof {
    static let maximumDepth = 2
    /// Simplifications under each set of assumptions met, shared with the run.
    let memos: SimplificationMemos

    /// How hard to try: `quick` is the oracle and linear arithmetic (for the many comparisons a search makes),
    /// `full` adds the certificates, factor signs and cases. Either way only proofs are returned.
    enum Effort: Hashable, Sendable { case quick, full }

    /// `e >= 0` (or `> 0`) at every point of `a`, for an expression whose quantities are already opaque.
    func proves(_ e: Expression, strict: Bool, in a: Assumptions, depth: Int, effort: Effort = .full) -> Bool {
        if depth > 0 {
            let s = a.sign(of: e).sign
            if s == .positive || (!strict && s.isNonnegative) { return true }
        }
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
        return false
    }

    /// The sign of a product from its factors' signs, each proved (nil when one is unknown).
    func factorSign(_ e: Expression, in a: Assumptions, depth: Int) -> Sign? {
        guard case .product(let factors) = e.shape else { return nil }
        var sign = Sign.positive
        for f in factors {
            let s: Sign
            if let r = f.numberValue { s = r.isPositive ? .positive : (r.isZero ? .zero : .negative) }
            else if case .power(let base, let x) = f.shape, let r = x.numberValue, r.isInteger, r.numerator.isEven {
                // An even power: >= 0, > 0 where the base is nonzero.
                s = proves(base, strict: true, in: a, depth: depth + 1) || proves(Expression.negate(base), strict: true, in: a, depth: depth + 1) ? .positive : .nonnegative
            }
            else if proves(f, strict: true, in: a, depth: depth + 1) { s = .positive }
            else if proves(Expression.negate(f), strict: true, in: a, depth: depth + 1) { s = .negative }
            else if proves(f, strict: false, in: a, depth: depth + 1) { s = .nonnegative }
            else if proves(Expression.negate(f), strict: false, in: a, depth: depth + 1) { s = .nonpositive }
            else { return nil }
            sign = Sign.product(sign, s)
            if sign == .unknown { return nil }
        }
        return sign
    }

    /// A min or max of two or three operands split into the cases of which operand it is, each case proved with
    /// its order added as an assumption; nil when there is no such node.
    func byCases(_ e: Expression, strict: Bool, in a: Assumptions, depth: Int) -> Bool? {
        guard let node = SignProof.firstMinMax(e) else { return nil }
        let isMin: Bool
        let operands: [Expression]
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

    static func firstMinMax(_ e: Expression) -> Expression? {
        var stack = [e]
        while let node = stack.popLast() {
            switch node.shape {
            case .min, .max: return node
            default: stack.append(contentsOf: node.children.reversed())
            }
        }
        return nil
    }

    static func replacing(_ target: Expression, with value: Expression, in e: Expression) -> Expression {
        if e == target { return value }
        let children = e.children
        if children.isEmpty { return e }
        return e.replacingChildren(children.map { replacing(target, with: value, in: $0) })
    }
}
