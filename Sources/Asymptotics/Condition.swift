import Symbolic

/// A condition on the parameters: a conjunction of atoms `expression > 0` or `expression >= 0`.
///
/// Asymptotic questions whose answer depends on the parameters return one of these instead of guessing
/// (as Mathematica's AsymptoticLess does). Atoms the sign oracle decides are folded away, so a condition
/// that is always true is `.always` and one that is always false is `.never`.
public struct Condition: Hashable, Sendable, CustomStringConvertible {
    public struct Atom: Hashable, Sendable {
        public var expression: Expr
        public var strict: Bool
    }

    /// nil means "never"; an empty list means "always".
    public private(set) var atoms: [Atom]?

    public static let always = Condition(atoms: [])
    public static let never = Condition(atoms: nil)

    public var isAlways: Bool { atoms?.isEmpty ?? false }
    public var isNever: Bool { atoms == nil }

    /// `expression > 0` (strict) or `>= 0`, decided now if the oracle can.
    public static func positive(_ expression: Expr, strict: Bool = true, under assumptions: Assumptions) -> Condition {
        positive(expression, strict: strict, under: assumptions, simplify: { $0.simplified(assumptions) })
    }

    /// `positive(_:strict:under:)` under the memo's assumptions, simplifying through the memo.
    static func positive(_ expression: Expr, strict: Bool, memo: SimplificationMemo) -> Condition {
        positive(expression, strict: strict, under: memo.assumptions, simplify: memo.simplified)
    }

    private static func positive(_ expression: Expr, strict: Bool, under assumptions: Assumptions,
                                 simplify: (Expr) -> Expr) -> Condition {
        var e = simplify(expression)
        // Factors known positive do not change the sign: (1/4)*(2*beta - 3*d)/(2*beta + d) >= 0 is 2*beta >= 3*d.
        if case .product(let factors) = e.shape {
            let kept = factors.filter { assumptions.quickSign($0) != .positive }
            if kept.count < factors.count { e = kept.isEmpty ? .one : simplify(Expr.multiply(kept)) }
        }
        let sign = assumptions.quickSign(e)
        if strict {
            if sign == .positive { return .always }
            if sign.isNonpositive { return .never }
        } else {
            if sign.isNonnegative { return .always }
            if sign == .negative { return .never }
        }
        return Condition(atoms: [Atom(expression: e, strict: strict)])
    }

    /// `a < b`, `a <= b`.
    public static func less(_ a: Expr, _ b: Expr, strict: Bool = true, under assumptions: Assumptions) -> Condition {
        positive(b - a, strict: strict, under: assumptions)
    }

    public func and(_ other: Condition) -> Condition {
        guard let mine = atoms, let theirs = other.atoms else { return .never }
        var merged = mine
        for a in theirs where !merged.contains(a) { merged.append(a) }
        return Condition(atoms: merged)
    }

    public var description: String {
        guard let atoms else { return "never" }
        if atoms.isEmpty { return "always" }
        return atoms.map { Condition.atomText($0) }.joined(separator: " and ")
    }

    public var latex: String {
        guard let atoms else { return "\\text{never}" }
        if atoms.isEmpty { return "\\text{always}" }
        return atoms.map { Condition.atomLaTeX($0) }.joined(separator: " \\text{ and } ")
    }

    /// Each atom as a comparison, `a > b` or `a >= b` (`a - b > 0` read as `a > b`); nil for "never".
    public var relations: [Relation]? {
        atoms?.map { atom in
            let (l, r) = Condition.sides(atom.expression)
            return Relation(lhs: l, op: atom.strict ? .greater : .greaterEqual, rhs: r)
        }
    }

    /// Print `a - b > 0` as `a > b` when the expression is a difference.
    static func sides(_ e: Expr) -> (Expr, Expr) {
        guard case .sum(let terms) = e.shape else { return (e, .zero) }
        var plus: [Expr] = [], minus: [Expr] = []
        for t in terms {
            if case .product(let fs) = t.shape, case .number(let c) = fs[0].shape, c.isNegative {
                minus.append(Expr.multiply([.number(-c)] + fs.dropFirst()))
            } else if case .number(let c) = t.shape, c.isNegative {
                minus.append(.number(-c))
            } else {
                plus.append(t)
            }
        }
        if minus.isEmpty || plus.isEmpty { return (e, .zero) }
        return (Expr.add(plus), Expr.add(minus))
    }

    static func atomText(_ a: Atom) -> String {
        let (l, r) = sides(a.expression)
        return "\(l) \(a.strict ? ">" : ">=") \(r)"
    }

    static func atomLaTeX(_ a: Atom) -> String {
        let (l, r) = sides(a.expression)
        return "\(l.latex) \(a.strict ? ">" : "\\ge") \(r.latex)"
    }
}

/// An error in an asymptotic question: a sentence a researcher understands.
public struct AsymptoticError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "error: \(message)" }
}
