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
    public var text: String { ExpressionWalk<TextSyntax>.print(self).text }
    public var description: String { text }
}

extension Relation: CustomStringConvertible {
    public var text: String { "\(lhs.text) \(op.rawValue) \(rhs.text)" }
    public var description: String { text }
}

/// The leaves of the text syntax (the walk is `ExpressionWalk`).
enum TextSyntax: ExpressionSyntax {
    /// Only `b^(-1)` is written as a division: `/b`.
    static func belowBar(_ exponent: Expr) -> Rational? { isMinusOne(exponent) ? .one : nil }

    static var writesLogPowersBeforeTheArgument: Bool { false }

    static func layout(_ node: PrintedNode, inline: Bool) -> Printed {
        switch node {
        case .number(let r):
            return number(r)
        case .symbol(let name):
            return Printed(text: name, precedence: .atom)
        case .constant(let c):
            return Printed(text: c.rawValue, precedence: .atom)
        case .sum(let head, let rest):
            return sum(head, rest)
        case .product(let coefficient, let factors):
            return product(coefficient, factors)
        case .reciprocal(let base):
            return Printed(text: "1/" + base.wrapped(atLeast: .power), precedence: .product)
        case .squareRoot(let x):
            return call("sqrt", [x])
        case .exponential(let x):
            return call("exp", [x])
        case .logPower(let exponent, let argument, _):
            return Printed(text: call("log", [argument]).text + "^" + exponent.wrapped(atLeast: .atom), precedence: .power)
        case .power(let base, let exponent):
            // A power base or exponent is parenthesized too: `x^(y^z)` is clearer than the right-associative `x^y^z`.
            return Printed(text: base.wrapped(atLeast: .atom) + "^" + exponent.wrapped(atLeast: .atom), precedence: .power)
        case .log(let x, _):
            return call("log", [x])
        case .min(let xs):
            return call("min", xs)
        case .max(let xs):
            return call("max", xs)
        case .binom(let n, let k):
            return call("binom", [n, k])
        case .apply(let name, let xs):
            return call(name, xs)
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

    // MARK: Sums

    static func sum(_ head: Printed, _ rest: [(minus: Bool, term: Printed)]) -> Printed {
        if rest.isEmpty { return head }
        var text = head.wrapped(atLeast: .product, allowLeadingMinus: true)
        for (minus, printed) in rest {
            text += (minus ? " - " : " + ") + printed.wrapped(atLeast: .product)
        }
        return Printed(text: text, precedence: .sum, leadingMinus: head.leadingMinus)
    }

    // MARK: Products

    static func product(_ coefficient: Rational?, _ factors: [(below: Bool, factor: Printed)]) -> Printed {
        if coefficient == nil && factors.count == 1 && !factors[0].below { return factors[0].factor }
        let parts = factors.map(\.factor), divisions = factors.map(\.below)
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
}
