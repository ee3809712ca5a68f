/// The one walk every expression printer shares: which sub-expressions a node is printed from, in which mode,
/// which terms of a sum print after a minus sign, which factors of a product go below a fraction bar, and the
/// special powers (a reciprocal, a square root, `e^x`, a short power of a log). A target (`TextSyntax`,
/// `LaTeXSyntax`) supplies only the leaves: how a number, a symbol, a call, a sum, a row of factors, a fraction
/// and a superscript are written, and with what precedence. A new notation (HTML, Markdown) is one more
/// conformance.
///
/// The walk runs with an explicit stack, so printing never overflows the call stack, however deep the tree (a
/// debug build spends kilobytes per recursive frame).

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

/// How a node is printed, decided by the walk for every target: the node's shape with its parts already printed.
enum PrintedNode {
    case number(Rational)
    case symbol(String)
    case constant(MathConstant)
    /// The first term, then each further term with whether it prints after a minus sign (then `printed` is the
    /// term's negation).
    case sum(head: Printed, rest: [(minus: Bool, term: Printed)])
    /// The leading numeric coefficient (nil: none) and the other factors in order, each marked when it goes below
    /// the bar (then `printed` is its base raised to the positive power).
    case product(coefficient: Rational?, factors: [(below: Bool, factor: Printed)])
    /// `b^(-k)` on its own: `printed` is `b^k` (or `b` when k = 1).
    case reciprocal(Printed)
    case squareRoot(Printed)
    /// `e^x`: the exponent.
    case exponential(Printed)
    /// A short power of a log written before its argument (`\log^{2}(x)`): the exponent and the log's argument.
    case logPower(exponent: Printed, argument: Printed, argumentIsBinomial: Bool)
    case power(base: Printed, exponent: Printed)
    case log(Printed, argumentIsBinomial: Bool)
    case min([Printed])
    case max([Printed])
    case binom(Printed, Printed)
    case apply(String, [Printed])
}

/// A notation: the leaves of the shared walk.
protocol ExpressionSyntax {
    /// The positive power k such that a factor `b^exponent` prints below a fraction bar as `b^k` (text: only
    /// `b^(-1)`, as `/b`; LaTeX: every negative integer power). nil: it stays a power.
    static func belowBar(_ exponent: Expr) -> Rational?
    /// Whether `log(x)^k` (k a short exponent) is written `log^k(x)`.
    static var writesLogPowersBeforeTheArgument: Bool { get }
    /// `node` written out; `inline` is true inside a superscript (every exponent is printed inline).
    static func layout(_ node: PrintedNode, inline: Bool) -> Printed
}

enum ExpressionWalk<Syntax: ExpressionSyntax> {
    static func print(_ root: Expr, inline rootInline: Bool = false) -> Printed {
        var work: [(node: Expr, inline: Bool, parts: [(Expr, Bool)]?)] = [(root, rootInline, nil)]
        var results: [Printed] = []
        while let (node, inline, expanded) = work.popLast() {
            if let expanded {
                let printed = Array(results.suffix(expanded.count))
                results.removeLast(Swift.min(expanded.count, results.count))
                results.append(Syntax.layout(assemble(node, printed), inline: inline))
            } else {
                let parts = parts(of: node, inline: inline)
                work.append((node, inline, parts))
                for (part, partInline) in parts.reversed() { work.append((part, partInline, nil)) }
            }
        }
        return results.last ?? Printed(text: "", precedence: .atom)
    }

    /// The sub-expressions a node is printed from, each with its mode (true: inline, as in an exponent).
    static func parts(of e: Expr, inline: Bool) -> [(Expr, Bool)] {
        func same(_ xs: [Expr]) -> [(Expr, Bool)] { xs.map { ($0, inline) } }
        switch e.shape {
        case .number, .symbol, .constant:
            return []
        case .sum(let terms):
            // After the first term, a negative term prints as ` - ` and its negation.
            return same(terms.prefix(1) + terms.dropFirst().map { negated($0) ?? $0 })
        case .product(let factors):
            guard factors.count >= 2 else { return same(factors) }
            return same(split(factors).rest.map { belowBarBase($0) ?? $0 })
        case .power(let base, let exponent):
            if let k = Syntax.belowBar(exponent) { return [(raised(base, k), inline)] }
            if isOneHalf(exponent) { return [(base, inline)] }
            if base.isE { return [(exponent, true)] }
            if Syntax.writesLogPowersBeforeTheArgument, case .log(let x) = base.shape, isShortExponent(exponent) {
                return [(exponent, true), (x, inline)]
            }
            return [(base, inline), (exponent, true)]
        case .log(let x):
            return [(x, inline)]
        case .min(let xs), .max(let xs):
            return same(xs)
        case .binom(let n, let k):
            return same([n, k])
        case .apply(_, let xs):
            return same(xs)
        }
    }

    /// The node with its printed parts, in the shape `parts(of:)` produced them.
    static func assemble(_ e: Expr, _ parts: [Printed]) -> PrintedNode {
        let empty = Printed(text: "", precedence: .atom)
        switch e.shape {
        case .number(let r):
            return .number(r)
        case .symbol(let name):
            return .symbol(name)
        case .constant(let c):
            return .constant(c)
        case .sum(let terms):
            guard let head = parts.first else { return .number(.zero) }
            return .sum(head: head, rest: zip(terms, parts).dropFirst().map { (negated($0.0) != nil, $0.1) })
        case .product(let factors):
            if factors.isEmpty { return .number(.one) }
            if factors.count == 1 { return .product(coefficient: nil, factors: [(false, parts.first ?? empty)]) }
            let (coefficient, rest) = split(factors)
            return .product(coefficient: coefficient, factors: zip(rest, parts).map { (belowBarBase($0.0) != nil, $0.1) })
        case .power(let base, let exponent):
            let first = parts.first ?? empty
            if Syntax.belowBar(exponent) != nil { return .reciprocal(first) }
            if isOneHalf(exponent) { return .squareRoot(first) }
            if base.isE { return .exponential(first) }
            let second = parts.count == 2 ? parts[1] : empty
            if Syntax.writesLogPowersBeforeTheArgument, case .log(let x) = base.shape, isShortExponent(exponent) {
                return .logPower(exponent: first, argument: second, argumentIsBinomial: x.isBinomial)
            }
            return .power(base: first, exponent: second)
        case .log(let x):
            return .log(parts.first ?? empty, argumentIsBinomial: x.isBinomial)
        case .min:
            return .min(parts)
        case .max:
            return .max(parts)
        case .binom:
            return parts.count == 2 ? .binom(parts[0], parts[1]) : .binom(empty, empty)
        case .apply(let name, _):
            return .apply(name, parts)
        }
    }

    /// `b^k` for the base `b` of a factor below the bar (`b` itself when k = 1).
    static func belowBarBase(_ factor: Expr) -> Expr? {
        guard case .power(let base, let exponent) = factor.shape, let k = Syntax.belowBar(exponent) else { return nil }
        return raised(base, k)
    }

    static func raised(_ base: Expr, _ k: Rational) -> Expr { Expr.raise(base, .number(k)) }

    static func isShortExponent(_ x: Expr) -> Bool {
        switch x.shape {
        case .number(let k): return k.isInteger && !k.isNegative
        case .symbol, .constant: return true
        default: return false
        }
    }
}

/// The parts of every notation's walk that do not depend on the notation.
enum ExpressionShapes {
    static let oneHalf = Rational(numerator: 1, denominator: 2)
}

/// For a term that reads as negative (a negative number or a product with a negative leading coefficient), the
/// term `t` with `Expr.negate(t) == original`; otherwise nil.
func negated(_ term: Expr) -> Expr? {
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

/// The leading numeric coefficient, if any, and the other factors.
func split(_ factors: [Expr]) -> (coefficient: Rational?, rest: ArraySlice<Expr>) {
    if case .number(let c)? = factors.first?.shape { return (c, factors.dropFirst()) }
    return (nil, factors[...])
}

func isMinusOne(_ e: Expr) -> Bool {
    if case .number(let k) = e.shape { return k == Rational.minusOne }
    return false
}

func isOneHalf(_ e: Expr) -> Bool {
    if case .number(let k) = e.shape { return k == ExpressionShapes.oneHalf }
    return false
}

extension Expr {
    /// For a term that prints with a leading minus (a negative number, a product with a negative leading
    /// coefficient), the term a sum prints after ` - ` in its place; nil for any other term.
    public var negativeTermMagnitude: Expr? { negated(self) }

    var isBinomial: Bool {
        if case .binom = shape { return true }
        return false
    }
}

/// A symbol's name as a notation reads it: `S4_exact` is the letter S with the subscripts 4 and exact, `N_eff`
/// is N with eff, `x1` is x with 1, `beta` is beta, `max_pi` the operator max with pi. Every notation writes the
/// subscripts its own way (`S_{4,\mathrm{exact}}` in LaTeX, where a second `_` would be a double subscript; the
/// text syntax keeps the name as written).
public struct SymbolName: Sendable, Hashable {
    /// The name as written.
    public var name: String
    /// The part before any subscript (`S`, `N`, `beta`, `max`), or the whole name when it has no readable parts.
    public var base: String
    /// Subscripts, in order: digits after a one-letter or Greek base (`S4`), then every part after an underscore.
    public var subscripts: [String]
    /// False when the name is not an identifier, or has empty parts (`x_`, `a__b`): notations print it whole.
    public var isStructured: Bool

    public init(_ name: String) {
        self.name = name
        base = name
        subscripts = []
        isStructured = false
        guard SymbolName.isIdentifier(name) else { return }
        var head = name
        if let underscore = name.firstIndex(of: "_") {
            head = String(name[..<underscore])
            let parts = name[name.index(after: underscore)...].split(separator: "_", omittingEmptySubsequences: false).map(String.init)
            guard !head.isEmpty, !parts.isEmpty, !parts.contains(where: \.isEmpty) else { return }
            subscripts = parts
        }
        // letters+digits (`S4`, `x1`, `beta2`): the digits are the first subscript, when the letters read as one symbol.
        if let firstDigit = head.firstIndex(where: { $0.isNumber }), firstDigit != head.startIndex,
           head[firstDigit...].allSatisfy({ $0.isNumber }) {
            let letters = String(head[..<firstDigit])
            if letters.count == 1 || SymbolName.greekLetters.contains(letters) || ["eps", "omicron"].contains(letters) {
                subscripts.insert(String(head[firstDigit...]), at: 0)
                head = letters
            }
        }
        base = head
        isStructured = true
    }

    /// ASCII letters, digits and underscores, starting with a letter or an underscore.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Names typeset as Greek letters (and `ell`).
    public static let greekLetters: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon",
        "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
    ]
}
