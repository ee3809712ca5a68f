/// Plain-text printing in the parser's own syntax.
///
/// The contract is a round trip: `Parser.parseExpression(e.text) == e` for every expression the builders
/// (`Expression.add`, `.multiply`, `.raise`, ...) or the parser can produce. For hand-made trees the builders
/// would not produce (a number that is not the leading factor, nested sums, `x^1`, ...), the text parses to the
/// same tree rebuilt through the builders, which is the same value.
///
/// Because the parser turns `a/b` into `a * b^(-1)` and `a - b` into `a + (-1)*b`, the printer only uses `/`
/// for factors `b^(-1)` and `-` for negative leading coefficients: `x*y^(-2)` stays `x*y^(-2)`, since `x/y^2`
/// would parse as `x*(y^2)^(-1)`, a different tree.
extension Expression: CustomStringConvertible {
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

    /// Parenthesized unless it binds at least as tightly as `minimum` (and, if asked, has no leading minus).
    func wrapped(atLeast minimum: Precedence, allowLeadingMinus: Bool = false) -> String {
        precedence >= minimum && (allowLeadingMinus || !leadingMinus) ? text : "(\(text))"
    }
}

enum TextPrinter {
    static let oneHalf = Rational(numerator: 1, denominator: 2)

    static func print(_ e: Expression) -> Printed {
        switch e {
        case .number(let r):
            return number(r)
        case .symbol(let name):
            return Printed(text: name, precedence: .atom)
        case .constant(let c):
            return Printed(text: c.rawValue, precedence: .atom)
        case .sum(let terms):
            return sum(terms)
        case .product(let factors):
            return product(factors)
        case .power(let base, let exponent):
            return power(base, exponent)
        case .log(let x):
            return call("log", [x])
        case .min(let xs):
            return call("min", xs)
        case .max(let xs):
            return call("max", xs)
        case .binom(let n, let k):
            return call("binom", [n, k])
        }
    }

    static func number(_ r: Rational) -> Printed {
        let text = r.isInteger ? r.numerator.description : "\(r.numerator.description)/\(r.denominator.description)"
        let precedence: Printed.Precedence = !r.isInteger ? .product : (r.isNegative ? .unary : .atom)
        return Printed(text: text, precedence: precedence, leadingMinus: r.isNegative)
    }

    static func call(_ name: String, _ arguments: [Expression]) -> Printed {
        Printed(text: "\(name)(\(arguments.map { print($0).text }.joined(separator: ", ")))", precedence: .atom)
    }

    // MARK: Sums

    static func sum(_ terms: [Expression]) -> Printed {
        guard let first = terms.first else { return Printed(text: "0", precedence: .atom) }
        if terms.count == 1 { return print(first) }
        let head = print(first)
        var text = head.wrapped(atLeast: .product, allowLeadingMinus: true)
        for term in terms.dropFirst() {
            if let positive = negated(term) {
                text += " - " + print(positive).wrapped(atLeast: .product)
            } else {
                text += " + " + print(term).wrapped(atLeast: .product)
            }
        }
        return Printed(text: text, precedence: .sum, leadingMinus: head.leadingMinus)
    }

    /// For a term that reads as negative (a negative number or a product with a negative leading
    /// coefficient), the term `t` with `Expression.negate(t) == original`; otherwise nil.
    static func negated(_ term: Expression) -> Expression? {
        switch term {
        case .number(let r) where r.isNegative:
            return .number(-r)
        case .product(let factors) where factors.count >= 2:
            guard case .number(let c) = factors[0], c.isNegative else { return nil }
            let rest = Array(factors.dropFirst())
            if (-c).isOne { return rest.count == 1 ? rest[0] : .product(rest) }
            return .product([.number(-c)] + rest)
        default:
            return nil
        }
    }

    // MARK: Products

    /// `b` when `factor` is `b^(-1)`: such factors print as `/b`.
    static func reciprocalBase(_ factor: Expression) -> Expression? {
        if case .power(let base, .number(let k)) = factor, k == Rational.minusOne { return base }
        return nil
    }

    static func product(_ factors: [Expression]) -> Printed {
        guard let first = factors.first else { return Printed(text: "1", precedence: .atom) }
        if factors.count == 1 { return print(first) }
        var coefficient: Rational? = nil
        var rest = factors[...]
        if case .number(let c) = first {
            coefficient = c
            rest = factors.dropFirst()
        }
        guard let c = coefficient, c.isNegative else {
            return Printed(text: body(coefficient, Array(rest)), precedence: .product)
        }
        // `-x*y` parses as `(-x)*y`, which the builders flatten back to `(-1)*x*y`: the sign can lead.
        let magnitude = -c
        let text = "-" + body(magnitude, Array(rest))
        let isSimpleNegation = magnitude.isOne && rest.count == 1 && reciprocalBase(rest[rest.startIndex]) == nil
        return Printed(text: text, precedence: isSimpleNegation ? .unary : .product, leadingMinus: true)
    }

    /// The product of a nonnegative coefficient and `factors`, left to right, `b^(-1)` as `/b`.
    /// Order is kept: the parser's `*` and `/` append to the product in reading order.
    static func body(_ coefficient: Rational?, _ factors: [Expression]) -> String {
        var text = ""
        var suffix = ""
        let hasDivision = factors.contains { reciprocalBase($0) != nil }
        if let c = coefficient, !c.isOne {
            if c.isInteger {
                text = c.numerator.description
            } else if !hasDivision {
                // 2*x/3 reads better than (2/3)*x and parses back to the same coefficient.
                if !(c.numerator.description == "1") { text = c.numerator.description }
                suffix = "/" + c.denominator.description
            } else {
                // With other divisions, a trailing /3 would read as part of them: keep the fraction whole.
                text = "(\(c.numerator.description)/\(c.denominator.description))"
            }
        }
        for factor in factors {
            if let base = reciprocalBase(factor) {
                text += (text.isEmpty ? "1/" : "/") + print(base).wrapped(atLeast: .power)
            } else {
                text += (text.isEmpty ? "" : "*") + print(factor).wrapped(atLeast: .power)
            }
        }
        if text.isEmpty { text = "1" }
        return text + suffix
    }

    // MARK: Powers

    static func power(_ base: Expression, _ exponent: Expression) -> Printed {
        if case .number(let k) = exponent, k == Rational.minusOne {
            return Printed(text: "1/" + print(base).wrapped(atLeast: .power), precedence: .product)
        }
        if base == .e { return Printed(text: "exp(\(print(exponent).text))", precedence: .atom) }
        if case .number(let k) = exponent, k == TextPrinter.oneHalf {
            return Printed(text: "sqrt(\(print(base).text))", precedence: .atom)
        }
        // A power base or exponent is parenthesized too: `x^(y^z)` is clearer than the right-associative `x^y^z`.
        let text = print(base).wrapped(atLeast: .atom) + "^" + print(exponent).wrapped(atLeast: .atom)
        return Printed(text: text, precedence: .power)
    }
}
