/// LaTeX in the conventions of a learning-theory paper: `\frac{2\beta}{2\beta + d}`, `N_{\mathrm{eff}}`,
/// `\log\left(\frac{eM}{k}\right)`, `n^{-2\beta/(2\beta + d)}`, `e^{x}`, `\sqrt{x}`, `\log\binom{M}{k}`.
///
/// Output is math-mode source that needs only amsmath (for `\binom`); it is for reading, not for parsing
/// back. Only integer negative exponents move to a denominator (`x^(-2)` → `\frac{1}{x^{2}}`); a symbolic
/// or fractional negative exponent stays an exponent, as papers write rates. A superscript is typeset inline,
/// as papers do: a fraction in it reads `a/b` with parentheses where needed (`n^{-d/(2(\beta + d))}`);
/// `\frac` is used only outside superscripts.
extension Expr {
    public var latex: String { LaTeXPrinter.print(self).text }

    /// LaTeX as typeset inside a superscript or running text: fractions as `a/b` (`-2\beta/(2\beta + d)`).
    public var inlineLaTeX: String { LaTeXPrinter.render(self, inline: true).text }

    /// A symbol name as a paper would typeset it: `beta` → `\beta`, `L_T` → `L_{T}`,
    /// `N_eff` → `N_{\mathrm{eff}}`, `Pi_attn` → `\Pi_{\mathrm{attn}}`, `Cover` → `\mathrm{Cover}`.
    public static func latexSymbol(_ name: String) -> String { LaTeXPrinter.symbol(name) }
}

extension Relation {
    public var latex: String { "\(lhs.latex) \(op.latex) \(rhs.latex)" }
}

extension RelationOperator {
    /// `\le`, `\ge`, `\asymp` are core LaTeX; `\lesssim` and `\gtrsim` need `\usepackage{amssymb}`.
    public var latex: String {
        switch self {
        case .lessEqual: return "\\le"
        case .less: return "<"
        case .equal: return "="
        case .greaterEqual: return "\\ge"
        case .greater: return ">"
        case .asymptoticLessEqual: return "\\lesssim"
        case .asymptoticGreaterEqual: return "\\gtrsim"
        case .asymptoticEqual: return "\\asymp"
        }
    }
}

enum LaTeXPrinter {
    typealias Precedence = Printed.Precedence

    static func print(_ e: Expr) -> Printed { render(e, inline: false) }

    /// The fold of `parts` and `combine` with an explicit stack (printing never overflows the call stack,
    /// however deep the tree). Each node is printed in a mode: display, or inline (inside a superscript),
    /// and a node's parts say which mode each is printed in: an exponent is always inline.
    static func render(_ root: Expr, inline rootInline: Bool) -> Printed {
        var work: [(node: Expr, inline: Bool, parts: [(Expr, Bool)]?)] = [(root, rootInline, nil)]
        var results: [Printed] = []
        while let (node, inline, expanded) = work.popLast() {
            if let expanded {
                let printed = Array(results.suffix(expanded.count))
                results.removeLast(Swift.min(expanded.count, results.count))
                results.append(combine(node, printed, inline: inline))
            } else {
                let parts = parts(of: node, inline: inline)
                work.append((node, inline, parts))
                for (part, partInline) in parts.reversed() { work.append((part, partInline, nil)) }
            }
        }
        return results.last ?? Printed(text: "", precedence: .atom)
    }

    /// The sub-expressions a node needs printed first, each with its mode (true: inline).
    static func parts(of e: Expr, inline: Bool) -> [(Expr, Bool)] {
        func same(_ xs: [Expr]) -> [(Expr, Bool)] { xs.map { ($0, inline) } }
        switch e.shape {
        case .number, .symbol, .constant:
            return []
        case .sum(let terms):
            return same(terms.prefix(1) + terms.dropFirst().map { TextPrinter.negated($0) ?? $0 })
        case .product(let factors):
            guard factors.count >= 2 else { return same(factors) }
            let (numerator, denominator) = fraction(TextPrinter.split(factors).rest)
            return same(numerator + denominator)
        case .power(let base, let exponent):
            // x^(-2) goes below a bar as x^2: \frac{1}{x^{2}}, or 1/x^{2} inline.
            if let k = negativeIntegerExponent(exponent) { return [(Expr.raise(base, .number(k)), inline)] }
            if TextPrinter.isOneHalf(exponent) { return [(base, inline)] }
            if base.isE { return [(exponent, true)] }
            if case .log(let x) = base.shape, isShortExponent(exponent) { return [(exponent, true), (x, inline)] }
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

    static func combine(_ e: Expr, _ parts: [Printed], inline: Bool) -> Printed {
        let printed = layout(e, parts, inline: inline)
        assert(printed.tall == ["\\frac", "\\binom", "\\sqrt", "\\left"].contains { printed.text.contains($0) }
               && printed.superscript == printed.text.contains("^"), "LaTeX layout flags out of step with \(printed.text)")
        assert(!inline || !printed.text.contains("\\frac"), "a \\frac inside a superscript: \(printed.text)")
        return printed
    }

    private static func anyTall(_ parts: [Printed]) -> Bool { parts.contains { $0.tall } }
    private static func anySuperscript(_ parts: [Printed]) -> Bool { parts.contains { $0.superscript } }

    private static func layout(_ e: Expr, _ parts: [Printed], inline: Bool) -> Printed {
        switch e.shape {
        case .number(let r):
            return inline ? inlineNumber(r) : number(r)
        case .symbol(let name):
            return Printed(text: symbol(name), precedence: .atom)
        case .constant(.e):
            return Printed(text: "e", precedence: .atom)
        case .constant(.pi):
            return Printed(text: "\\pi", precedence: .atom)
        case .sum(let terms):
            return sum(terms, parts)
        case .product(let factors):
            return product(factors, parts, inline: inline)
        case .power(let base, let exponent):
            return power(base, exponent, parts, inline: inline)
        case .log(let x):
            return Printed(text: "\\log" + argument(x, parts.first ?? Printed(text: "", precedence: .atom)), precedence: .atom,
                           tall: anyTall(parts), superscript: anySuperscript(parts))
        case .min:
            return Printed(text: "\\min\\{" + parts.map(\.text).joined(separator: ", ") + "\\}", precedence: .atom,
                           tall: anyTall(parts), superscript: anySuperscript(parts))
        case .max:
            return Printed(text: "\\max\\{" + parts.map(\.text).joined(separator: ", ") + "\\}", precedence: .atom,
                           tall: anyTall(parts), superscript: anySuperscript(parts))
        case .apply(let name, _):
            // Like \log: plain parentheses unless the arguments are tall, so `\mathrm{Cover}(\delta)`.
            return Printed(text: symbol(name) + parenthesized(parts.map(\.text).joined(separator: ", "), tall: anyTall(parts)),
                           precedence: .atom, tall: anyTall(parts), superscript: anySuperscript(parts))
        case .binom:
            guard parts.count == 2 else { return Printed(text: "", precedence: .atom) }
            return Printed(text: "\\binom{\(parts[0].text)}{\(parts[1].text)}", precedence: .atom,
                           tall: true, superscript: anySuperscript(parts))
        }
    }

    /// `-k` for an integer exponent `k < 0`: such powers go below a fraction bar.
    static func negativeIntegerExponent(_ exponent: Expr) -> Rational? {
        if case .number(let k) = exponent.shape, k.isInteger, k.isNegative { return -k }
        return nil
    }

    /// Factors above and below the bar: `b^(-k)` (integer k) becomes `b^k` below, the rest stay above, in order.
    static func fraction(_ factors: ArraySlice<Expr>) -> (numerator: [Expr], denominator: [Expr]) {
        var numerator: [Expr] = []
        var denominator: [Expr] = []
        for factor in factors {
            if case .power(let base, let exponent) = factor.shape, let k = negativeIntegerExponent(exponent) {
                denominator.append(Expr.raise(base, .number(k)))
            } else {
                numerator.append(factor)
            }
        }
        return (numerator, denominator)
    }

    // MARK: Layout helpers

    /// The parenthesized argument of `\log`: a binomial coefficient brings its own parentheses
    /// (`\log\binom{M}{k}`, not `\log\left(\binom{M}{k}\right)`).
    static func argument(_ x: Expr, _ p: Printed) -> String {
        if case .binom = x.shape { return p.text }
        return parenthesized(p.text, tall: p.tall)
    }

    /// Tall content gets `\left( \right)` so the parentheses grow with it; plain text keeps plain ones.
    static func parenthesized(_ text: String, tall: Bool) -> String {
        tall ? "\\left(\(text)\\right)" : "(\(text))"
    }

    static func wrapped(_ p: Printed, atLeast minimum: Precedence) -> String {
        p.precedence >= minimum && !p.leadingMinus ? p.text : parenthesized(p.text, tall: p.tall)
    }

    static func number(_ r: Rational) -> Printed {
        let numerator = r.numerator.description
        if r.isInteger {
            return Printed(text: numerator, precedence: r.isNegative ? .unary : .atom, leadingMinus: r.isNegative)
        }
        let magnitude = r.isNegative ? String(numerator.dropFirst()) : numerator
        let fraction = "\\frac{\(magnitude)}{\(r.denominator.description)}"
        return r.isNegative
            ? Printed(text: "-" + fraction, precedence: .unary, leadingMinus: true, tall: true)
            : Printed(text: fraction, precedence: .product, tall: true)
    }

    /// A number inside a superscript: `3/2`, `-1/2`.
    static func inlineNumber(_ r: Rational) -> Printed {
        if r.isInteger { return number(r) }
        let magnitude = r.isNegative ? -r : r
        let text = "\(magnitude.numerator.description)/\(magnitude.denominator.description)"
        return r.isNegative ? Printed(text: "-" + text, precedence: .unary, leadingMinus: true) : Printed(text: text, precedence: .product)
    }

    /// Juxtaposes factors as a paper does (`2\beta`, `eM`, `L_{T} \ell k`), with `\cdot` only where
    /// juxtaposition would misread: before a factor that starts with a digit (`2 \cdot 3`, `x \cdot 2^{n}`).
    static func juxtapose(_ texts: [String]) -> String {
        var result = ""
        for text in texts {
            guard !result.isEmpty else { result = text; continue }
            let next = text.first ?? " "
            let previous = trailingWord(result)
            if next.isNumber || next == "-" {
                result += " \\cdot "
            } else if !(isDigits(previous) || (isSingleLetter(previous) && next.isLetter)) {
                // `2\beta`, `2n`, `eM` need no space; after a command or a brace a space keeps `\ell k` apart.
                result += " "
            }
            result += text
        }
        return result
    }

    /// The run of letters and digits (with a leading backslash, if a command) that `s` ends with.
    private static func trailingWord(_ s: String) -> Substring {
        var start = s.endIndex
        while start > s.startIndex {
            let i = s.index(before: start)
            guard s[i].isASCII, s[i].isLetter || s[i].isNumber || s[i] == "\\" else { break }
            start = i
            if s[i] == "\\" { break }
        }
        return s[start...]
    }

    private static func isDigits(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// A one-letter variable; `\ell` is not one (a command needs a space before a following letter).
    private static func isSingleLetter(_ s: Substring) -> Bool { s.count == 1 && (s.first?.isASCII ?? false) && (s.first?.isLetter ?? false) }

    // MARK: Sums

    static func sum(_ terms: [Expr], _ parts: [Printed]) -> Printed {
        guard let head = parts.first else { return Printed(text: "0", precedence: .atom) }
        if parts.count == 1 { return head }
        var text = head.precedence >= .product ? head.text : parenthesized(head.text, tall: head.tall)
        for (term, printed) in zip(terms, parts).dropFirst() {
            text += (TextPrinter.negated(term) == nil ? " + " : " - ") + wrapped(printed, atLeast: .product)
        }
        return Printed(text: text, precedence: .sum, leadingMinus: head.leadingMinus,
                       tall: anyTall(parts), superscript: anySuperscript(parts))
    }

    // MARK: Products

    /// `parts` holds the factors above the bar, then those below (see `fraction`).
    static func product(_ factors: [Expr], _ parts: [Printed], inline: Bool) -> Printed {
        if factors.isEmpty { return Printed(text: "1", precedence: .atom) }
        if factors.count == 1 { return parts.first ?? Printed(text: "1", precedence: .atom) }
        let (coefficient, rest) = TextPrinter.split(factors)
        let numeratorCount = fraction(rest).numerator.count
        let above = Array(parts.prefix(numeratorCount))
        let below = Array(parts.dropFirst(numeratorCount))
        let c = coefficient ?? .one
        let negative = c.isNegative
        let magnitude = negative ? -c : c
        // The coefficient's numerator joins the factors above the bar, its denominator those below.
        let top = magnitude.numerator.description
        let bottom = magnitude.denominator.description
        var text: String
        let isFraction = !(below.isEmpty && magnitude.isInteger)
        if !isFraction {
            text = factorRow(top, above, alone: false)
        } else if inline {
            // a/b inside a superscript: a denominator of more than one factor (or a sum) in parentheses.
            let denominator = factorRow(bottom, below, alone: false)
            let single = (bottom == "1" ? 0 : 1) + below.count == 1
            text = factorRow(top, above, alone: false) + "/" + (single ? denominator : "(\(denominator))")
        } else {
            text = "\\frac{\(factorRow(top, above, alone: true))}{\(factorRow(bottom, below, alone: true))}"
        }
        if negative { text = "-" + text }
        return Printed(text: text, precedence: negative ? .unary : .product, leadingMinus: negative,
                       tall: (isFraction && !inline) || anyTall(parts), superscript: anySuperscript(parts))
    }

    /// A positive integer `coefficient` (omitted when 1) and `factors` side by side. `alone` is true inside a
    /// `\frac` part, where a single factor needs no parentheses (`\frac{2\beta}{2\beta + d}`).
    private static func factorRow(_ coefficient: String, _ factors: [Printed], alone: Bool) -> String {
        var texts: [String] = []
        if coefficient != "1" || factors.isEmpty { texts.append(coefficient) }
        if alone && texts.isEmpty && factors.count == 1, let only = factors.first { return only.text }
        for factor in factors {
            texts.append(wrapped(factor, atLeast: .power))
        }
        return juxtapose(texts)
    }

    // MARK: Powers

    static func power(_ base: Expr, _ exponent: Expr, _ parts: [Printed], inline: Bool) -> Printed {
        guard let first = parts.first else { return Printed(text: "", precedence: .atom) }
        if negativeIntegerExponent(exponent) != nil {
            // x^(-2) → \frac{1}{x^{2}}, the same rule as inside products; inline 1/x^{2}.
            if inline {
                return Printed(text: "1/" + wrapped(first, atLeast: .power), precedence: .product, tall: first.tall, superscript: first.superscript)
            }
            return Printed(text: "\\frac{1}{\(first.text)}", precedence: .product, tall: true, superscript: first.superscript)
        }
        if TextPrinter.isOneHalf(exponent) {
            return Printed(text: "\\sqrt{\(first.text)}", precedence: .atom, tall: true, superscript: first.superscript)
        }
        if base.isE { return Printed(text: "e^{\(first.text)}", precedence: .power, tall: first.tall, superscript: true) }
        guard parts.count == 2 else { return first }
        // log(x)^2 is written \log^{2}(x) in papers; kept for short exponents (parts: exponent, argument).
        if case .log(let x) = base.shape, isShortExponent(exponent) {
            return Printed(text: "\\log^{\(parts[0].text)}" + argument(x, parts[1]), precedence: .atom,
                           tall: anyTall(parts), superscript: true)
        }
        let b = first
        // A superscript on something that already has one (x^{2}, e^{x}) is a LaTeX error: wrap it.
        let needsWrap = b.precedence < .atom || b.leadingMinus || b.text.hasPrefix("\\frac")
            || b.text.hasPrefix("\\log") || b.superscript
        // Grown parentheses around anything tall or raised.
        let grown = needsWrap && (b.tall || b.superscript)
        let baseText = !needsWrap ? b.text : (grown ? "\\left(\(b.text)\\right)" : "(\(b.text))")
        return Printed(text: baseText + "^{\(parts[1].text)}", precedence: .power,
                       tall: anyTall(parts) || grown, superscript: true)
    }

    private static func isShortExponent(_ x: Expr) -> Bool {
        switch x.shape {
        case .number(let k): return k.isInteger && !k.isNegative
        case .symbol, .constant: return true
        default: return false
        }
    }

    // MARK: Symbols

    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon",
        "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
    ]

    /// Papers write ε as `\varepsilon`; the other names are their own commands.
    static func greekCommand(_ name: String) -> String? {
        if name == "epsilon" || name == "eps" { return "\\varepsilon" }
        if name == "omicron" { return "o" }
        return greek.contains(name) ? "\\" + name : nil
    }

    static func symbol(_ name: String) -> String {
        guard isIdentifier(name) else { return "\\mathrm{\(escaped(name))}" }
        if let underscore = name.firstIndex(of: "_") {
            let base = String(name[..<underscore])
            let subscriptName = String(name[name.index(after: underscore)...])
            guard !base.isEmpty, !subscriptName.isEmpty else { return "\\mathrm{\(escaped(name))}" }
            // Further underscores separate subscript parts (S4_exact → S_{4,\mathrm{exact}}): a nested
            // subscript would be a TeX double-subscript error.
            let parts = subscriptName.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
            guard !parts.contains(where: \.isEmpty) else { return "\\mathrm{\(escaped(name))}" }
            let sub = parts.map { $0.allSatisfy({ $0.isNumber }) ? $0 : symbolBase($0) }.joined(separator: ",")
            // An operator name with a subscript is the operator: max_pi → \max_{\pi}.
            let head = operatorNames.contains(base) ? "\\" + base : symbolBase(base)
            return "\(head)_{\(sub)}"
        }
        return symbolBase(name)
    }

    /// Operators LaTeX has as commands, which take their subscript below in display (`\max_{\pi}`).
    static let operatorNames: Set<String> = ["max", "min", "sup", "inf", "lim", "liminf", "limsup", "arg", "det", "log", "exp"]

    /// One underscore-free part: a Greek name, one letter, digits, letter+digits (`x1` → `x_{1}`), or a word.
    private static func symbolBase(_ name: String) -> String {
        if let command = greekCommand(name) { return command }
        if name.count == 1 || name.allSatisfy({ $0.isNumber }) { return name }
        if let firstDigit = name.firstIndex(where: { $0.isNumber }), name[firstDigit...].allSatisfy({ $0.isNumber }) {
            let letters = String(name[..<firstDigit])
            let digits = String(name[firstDigit...])
            if letters.count == 1 || greekCommand(letters) != nil { return "\(symbolBase(letters))_{\(digits)}" }
        }
        return "\\mathrm{\(name)}"
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// Makes any string safe inside `\mathrm{...}`: TeX specials escaped, Greek letters as commands,
    /// other non-ASCII dropped to `?` (pdflatex cannot typeset them in math without extra packages).
    static func escaped(_ name: String) -> String {
        var out = ""
        for c in name {
            switch c {
            case "\\": out += "\\backslash{}"
            case "{": out += "\\{"
            case "}": out += "\\}"
            case "_": out += "\\_"
            case "#": out += "\\#"
            case "$": out += "\\$"
            case "%": out += "\\%"
            case "&": out += "\\&"
            case "^": out += "\\hat{}"
            case "~": out += "\\sim{}"
            default:
                if c.isASCII, !(c.asciiValue.map { $0 < 32 || $0 == 127 } ?? true) {
                    out.append(c)
                } else if let name = Lexer.greekNames[c], let command = greekCommand(name) {
                    out += command + "{}"
                } else {
                    out += "?"
                }
            }
        }
        return out
    }
}
