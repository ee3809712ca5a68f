/// Plain-text printing in the parser's own syntax.
///
/// The contract is a round trip: `Parser.parseExpression(e.text) == e` for every expression the builders
/// (`Expr.add`, `.multiply`, `.raise`, ...) or the parser can produce. For hand-made trees the builders
/// would not produce (a number that is not the leading factor, nested sums, `x^1`, ...), the text parses to the
/// same tree rebuilt through the builders, which is the same value.
///
/// Because the parser turns `a/b` into `a * b^(-1)` and `a - b` into `a + (-1)*b`, the printer only uses `/`
/// for factors `b^(-1)` and `-` for negative leading coefficients: `x*y^(-2)` stays `x*y^(-2)`, since `x/y^2`
/// would parse as `x*(y^2)^(-1)`, a different tree.
extension Expr: CustomStringConvertible {
    public var text: String { TextPrinter.print(self).text }
    public var description: String { text }
}

extension Relation: CustomStringConvertible {
    public var text: String { "\(lhs.text) \(op.rawValue) \(rhs.text)" }
    public var description: String { text }
}

/// A printed fragment with what its context needs to know to decide on parentheses.
struct Printed {
    /// Binding strength of the loosest operator at the top level of `text`.
    enum Precedence: Int, Comparable {
        case sum = 1, product, unary, power, atom
        static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
    }

    var text: String
    var precedence: Precedence
    /// Text starts with `-`; it must not follow another operator directly (`x*-2`, `a - -b`).
    var leadingMinus = false
    /// LaTeX only: `text` contains `\frac`, `\binom`, `\sqrt` or `\left`, so parentheses around it must grow.
    /// Carried up from the parts instead of searching the text, which made printing quadratic in depth.
    var tall = false
    /// LaTeX only: `text` contains a superscript `^`.
    var superscript = false

    /// Parenthesized unless it binds at least as tightly as `minimum` (and, if asked, has no leading minus).
    func wrapped(atLeast minimum: Precedence, allowLeadingMinus: Bool = false) -> String {
        precedence >= minimum && (allowLeadingMinus || !leadingMinus) ? text : "(\(text))"
    }
}

/// A printer as two functions: which sub-expressions a node needs printed first (its `parts`, usually its
/// children, sometimes a rewritten child such as the base of `b^(-1)`), and how to combine their output.
/// `render` runs them with an explicit stack, so printing never overflows the call stack, however deep the
/// tree (a debug build spends kilobytes per recursive frame).
protocol ExpressionPrinter {
    static func parts(of e: Expr) -> [Expr]
    static func combine(_ e: Expr, _ parts: [Printed]) -> Printed
}

extension ExpressionPrinter {
    static func render(_ root: Expr) -> Printed {
        var work: [(node: Expr, parts: [Expr]?)] = [(root, nil)]
        var results: [Printed] = []
        while let (node, expanded) = work.popLast() {
            if let expanded {
                let printed = Array(results.suffix(expanded.count))
                results.removeLast(Swift.min(expanded.count, results.count))
                results.append(combine(node, printed))
            } else {
                let parts = parts(of: node)
                work.append((node, parts))
                for part in parts.reversed() { work.append((part, nil)) }
            }
        }
        return results.last ?? Printed(text: "", precedence: .atom)
    }
}

enum TextPrinter: ExpressionPrinter {
    static let oneHalf = Rational(numerator: 1, denominator: 2)

    static func print(_ e: Expr) -> Printed { render(e) }

    static func parts(of e: Expr) -> [Expr] {
        switch e.shape {
        case .number, .symbol, .constant:
            return []
        case .sum(let terms):
            // After the first term, a negative term prints as ` - ` and its negation.
            return terms.prefix(1) + terms.dropFirst().map { negated($0) ?? $0 }
        case .product(let factors):
            guard factors.count >= 2 else { return factors }
            return split(factors).rest.map { reciprocalBase($0) ?? $0 }
        case .power(let base, let exponent):
            if isMinusOne(exponent) || isOneHalf(exponent) { return [base] }
            if base.isE { return [exponent] }
            return [base, exponent]
        case .log(let x):
            return [x]
        case .min(let xs), .max(let xs):
            return xs
        case .binom(let n, let k):
            return [n, k]
        case .apply(_, let xs):
            return xs
        }
    }

    static func combine(_ e: Expr, _ parts: [Printed]) -> Printed {
        switch e.shape {
        case .number(let r):
            return number(r)
        case .apply(let name, _):
            return call(name, parts)
        case .symbol(let name):
            return Printed(text: name, precedence: .atom)
        case .constant(let c):
            return Printed(text: c.rawValue, precedence: .atom)
        case .sum(let terms):
            return sum(terms, parts)
        case .product(let factors):
            return product(factors, parts)
        case .power(let base, let exponent):
            return power(base, exponent, parts)
        case .log:
            return call("log", parts)
        case .min:
            return call("min", parts)
        case .max:
            return call("max", parts)
        case .binom:
            return call("binom", parts)
        }
    }

    static func number(_ r: Rational) -> Printed {
        let text = r.isInteger ? r.numerator.description : "\(r.numerator.description)/\(r.denominator.description)"
        let precedence: Printed.Precedence = !r.isInteger ? .product : (r.isNegative ? .unary : .atom)
        return Printed(text: text, precedence: precedence, leadingMinus: r.isNegative)
    }

    static func call(_ name: String, _ arguments: [Printed]) -> Printed {
        Printed(text: "\(name)(\(arguments.map(\.text).joined(separator: ", ")))", precedence: .atom)
    }

    static func isMinusOne(_ e: Expr) -> Bool {
        if case .number(let k) = e.shape { return k == Rational.minusOne }
        return false
    }

    static func isOneHalf(_ e: Expr) -> Bool {
        if case .number(let k) = e.shape { return k == oneHalf }
        return false
    }

    // MARK: Sums

    /// `parts` holds the first term, then each term or, for those printed after a minus sign, its negation.
    static func sum(_ terms: [Expr], _ parts: [Printed]) -> Printed {
        guard let head = parts.first else { return Printed(text: "0", precedence: .atom) }
        if parts.count == 1 { return head }
        var text = head.wrapped(atLeast: .product, allowLeadingMinus: true)
        for (term, printed) in zip(terms, parts).dropFirst() {
            text += (negated(term) == nil ? " + " : " - ") + printed.wrapped(atLeast: .product)
        }
        return Printed(text: text, precedence: .sum, leadingMinus: head.leadingMinus)
    }

    /// For a term that reads as negative (a negative number or a product with a negative leading
    /// coefficient), the term `t` with `Expr.negate(t) == original`; otherwise nil.
    static func negated(_ term: Expr) -> Expr? {
        switch term.shape {
        case .number(let r) where r.isNegative:
            return .number(-r)
        case .product(let factors) where factors.count >= 2:
            guard case .number(let c) = factors[0].shape, c.isNegative else { return nil }
            let rest = Array(factors.dropFirst())
            if (-c).isOne { return rest.count == 1 ? rest[0] : .product(rest) }
            return .product([.number(-c)] + rest)
        default:
            return nil
        }
    }

    // MARK: Products

    /// `b` when `factor` is `b^(-1)`: such factors print as `/b`.
    static func reciprocalBase(_ factor: Expr) -> Expr? {
        if case .power(let base, let exponent) = factor.shape, isMinusOne(exponent) { return base }
        return nil
    }

    /// The leading numeric coefficient, if any, and the other factors.
    static func split(_ factors: [Expr]) -> (coefficient: Rational?, rest: ArraySlice<Expr>) {
        if case .number(let c)? = factors.first?.shape { return (c, factors.dropFirst()) }
        return (nil, factors[...])
    }

    /// `parts` holds the non-coefficient factors, with `b` in place of each `b^(-1)`.
    static func product(_ factors: [Expr], _ parts: [Printed]) -> Printed {
        if factors.isEmpty { return Printed(text: "1", precedence: .atom) }
        if factors.count == 1 { return parts.first ?? Printed(text: "1", precedence: .atom) }
        let (coefficient, rest) = split(factors)
        let divisions = rest.map { reciprocalBase($0) != nil }
        guard let c = coefficient, c.isNegative else {
            return Printed(text: body(coefficient, parts, divisions), precedence: .product)
        }
        // `-x*y` parses as `(-x)*y`, which the builders flatten back to `(-1)*x*y`: the sign can lead.
        let magnitude = -c
        let text = "-" + body(magnitude, parts, divisions)
        let isSimpleNegation = magnitude.isOne && parts.count == 1 && divisions.first == false
        return Printed(text: text, precedence: isSimpleNegation ? .unary : .product, leadingMinus: true)
    }

    /// A nonnegative coefficient times `factors` left to right, with `/` before those marked as divisions.
    /// Order is kept: the parser's `*` and `/` append to the product in reading order.
    static func body(_ coefficient: Rational?, _ factors: [Printed], _ divisions: [Bool]) -> String {
        var text = ""
        var suffix = ""
        if let c = coefficient, !c.isOne {
            if c.isInteger {
                text = c.numerator.description
            } else if !divisions.contains(true) {
                // 2*x/3 reads better than (2/3)*x and parses back to the same coefficient.
                if c.numerator.description != "1" { text = c.numerator.description }
                suffix = "/" + c.denominator.description
            } else {
                // With other divisions, a trailing /3 would read as part of them: keep the fraction whole.
                text = "(\(c.numerator.description)/\(c.denominator.description))"
            }
        }
        for (factor, isDivision) in zip(factors, divisions) {
            if isDivision {
                text += (text.isEmpty ? "1/" : "/") + factor.wrapped(atLeast: .power)
            } else {
                text += (text.isEmpty ? "" : "*") + factor.wrapped(atLeast: .power)
            }
        }
        if text.isEmpty { text = "1" }
        return text + suffix
    }

    // MARK: Powers

    static func power(_ base: Expr, _ exponent: Expr, _ parts: [Printed]) -> Printed {
        guard let first = parts.first else { return Printed(text: "", precedence: .atom) }
        if isMinusOne(exponent) {
            return Printed(text: "1/" + first.wrapped(atLeast: .power), precedence: .product)
        }
        if isOneHalf(exponent) { return Printed(text: "sqrt(\(first.text))", precedence: .atom) }
        if base.isE { return Printed(text: "exp(\(first.text))", precedence: .atom) }
        guard parts.count == 2 else { return first }
        // A power base or exponent is parenthesized too: `x^(y^z)` is clearer than the right-associative `x^y^z`.
        let text = first.wrapped(atLeast: .atom) + "^" + parts[1].wrapped(atLeast: .atom)
        return Printed(text: text, precedence: .power)
    }
}
