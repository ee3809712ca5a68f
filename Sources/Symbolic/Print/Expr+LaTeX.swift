/// LaTeX in the conventions of a learning-theory paper: `\frac{2\beta}{2\beta + d}`, `N_{\mathrm{eff}}`,
/// `\log\left(\frac{eM}{k}\right)`, `n^{-2\beta/(2\beta + d)}`, `e^{x}`, `\sqrt{x}`, `\log\binom{M}{k}`.
///
/// Output is math-mode source that needs only amsmath (for `\binom`); it is for reading, not for parsing
/// back. Only integer negative exponents move to a denominator (`x^(-2)` → `\frac{1}{x^{2}}`); a symbolic
/// or fractional negative exponent stays an exponent, as papers write rates. A superscript is typeset inline,
/// as papers do: a fraction in it reads `a/b` with parentheses where needed (`n^{-d/(2(\beta + d))}`);
/// `\frac` is used only outside superscripts.
extension Expr {
    public var latex: String { LaTeXSyntax.print(self).text }

    /// LaTeX as typeset inside a superscript or running text: fractions as `a/b` (`-2\beta/(2\beta + d)`).
    public var inlineLaTeX: String { LaTeXSyntax.print(self, inline: true).text }

    /// A symbol name as a paper would typeset it: `beta` → `\beta`, `L_T` → `L_{T}`,
    /// `N_eff` → `N_{\mathrm{eff}}`, `Pi_attn` → `\Pi_{\mathrm{attn}}`, `Cover` → `\mathrm{Cover}`.
    public static func latexSymbol(_ name: String) -> String { LaTeXSyntax.symbol(name) }
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

/// The leaves of LaTeX (the walk is `ExpressionWalk`).
enum LaTeXSyntax: ExpressionSyntax {
    typealias Precedence = Printed.Precedence

    static func print(_ e: Expr, inline: Bool = false) -> Printed {
        let printed = ExpressionWalk<LaTeXSyntax>.print(e, inline: inline)
        return printed
    }

    /// x^(-2) goes below a bar as x^2: \frac{1}{x^{2}}, or 1/x^{2} inline. Only integer powers do: a symbolic or
    /// fractional negative exponent stays an exponent, as papers write rates.
    static func belowBar(_ exponent: Expr) -> Rational? { negativeIntegerExponent(exponent) }

    /// log(x)^2 is written \log^{2}(x) in papers (for short exponents).
    static var writesLogPowersBeforeTheArgument: Bool { true }

    static func layout(_ node: PrintedNode, inline: Bool) -> Printed {
        let printed = laidOut(node, inline: inline)
        assert(printed.tall == ["\\frac", "\\binom", "\\sqrt", "\\left"].contains { printed.text.contains($0) }
               && printed.superscript == printed.text.contains("^"), "LaTeX layout flags out of step with \(printed.text)")
        assert(!inline || !printed.text.contains("\\frac"), "a \\frac inside a superscript: \(printed.text)")
        return printed
    }

    private static func anyTall(_ parts: [Printed]) -> Bool { parts.contains { $0.tall } }
    private static func anySuperscript(_ parts: [Printed]) -> Bool { parts.contains { $0.superscript } }

    private static func laidOut(_ node: PrintedNode, inline: Bool) -> Printed {
        switch node {
        case .number(let r):
            return inline ? inlineNumber(r) : number(r)
        case .symbol(let name):
            return Printed(text: symbol(name), precedence: .atom)
        case .constant(.e):
            return Printed(text: "e", precedence: .atom)
        case .constant(.pi):
            return Printed(text: "\\pi", precedence: .atom)
        case .sum(let head, let rest):
            return sum(head, rest)
        case .product(let coefficient, let factors):
            return product(coefficient, factors, inline: inline)
        case .reciprocal(let first):
            // x^(-2) → \frac{1}{x^{2}}, the same rule as inside products; inline 1/x^{2}.
            if inline {
                return Printed(text: "1/" + wrapped(first, atLeast: .power), precedence: .product, tall: first.tall, superscript: first.superscript)
            }
            return Printed(text: "\\frac{1}{\(first.text)}", precedence: .product, tall: true, superscript: first.superscript)
        case .squareRoot(let first):
            return Printed(text: "\\sqrt{\(first.text)}", precedence: .atom, tall: true, superscript: first.superscript)
        case .exponential(let first):
            return Printed(text: "e^{\(first.text)}", precedence: .power, tall: first.tall, superscript: true)
        case .logPower(let exponent, let argument, let binomial):
            return Printed(text: "\\log^{\(exponent.text)}" + self.argument(argument, binomial: binomial), precedence: .atom,
                           tall: exponent.tall || argument.tall, superscript: true)
        case .power(let b, let exponent):
            // A superscript on something that already has one (x^{2}, e^{x}) is a LaTeX error: wrap it.
            let needsWrap = b.precedence < .atom || b.leadingMinus || b.text.hasPrefix("\\frac")
                || b.text.hasPrefix("\\log") || b.superscript
            // Grown parentheses around anything tall or raised.
            let grown = needsWrap && (b.tall || b.superscript)
            let baseText = !needsWrap ? b.text : (grown ? "\\left(\(b.text)\\right)" : "(\(b.text))")
            return Printed(text: baseText + "^{\(exponent.text)}", precedence: .power,
                           tall: b.tall || exponent.tall || grown, superscript: true)
        case .log(let x, let binomial):
            return Printed(text: "\\log" + argument(x, binomial: binomial), precedence: .atom, tall: x.tall, superscript: x.superscript)
        case .min(let parts):
            return Printed(text: "\\min\\{" + parts.map(\.text).joined(separator: ", ") + "\\}", precedence: .atom,
                           tall: anyTall(parts), superscript: anySuperscript(parts))
        case .max(let parts):
            return Printed(text: "\\max\\{" + parts.map(\.text).joined(separator: ", ") + "\\}", precedence: .atom,
                           tall: anyTall(parts), superscript: anySuperscript(parts))
        case .apply(let name, let parts):
            // Like \log: plain parentheses unless the arguments are tall, so `\mathrm{Cover}(\delta)`.
            return Printed(text: symbol(name) + parenthesized(parts.map(\.text).joined(separator: ", "), tall: anyTall(parts)),
                           precedence: .atom, tall: anyTall(parts), superscript: anySuperscript(parts))
        case .binom(let n, let k):
            return Printed(text: "\\binom{\(n.text)}{\(k.text)}", precedence: .atom, tall: true, superscript: n.superscript || k.superscript)
        }
    }

    /// `-k` for an integer exponent `k < 0`: such powers go below a fraction bar.
    static func negativeIntegerExponent(_ exponent: Expr) -> Rational? {
        if case .number(let k) = exponent.shape, k.isInteger, k.isNegative { return -k }
        return nil
    }

    // MARK: Layout helpers

    /// The parenthesized argument of `\log`: a binomial coefficient brings its own parentheses
    /// (`\log\binom{M}{k}`, not `\log\left(\binom{M}{k}\right)`).
    static func argument(_ p: Printed, binomial: Bool) -> String {
        if binomial { return p.text }
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

    static func sum(_ head: Printed, _ rest: [(minus: Bool, term: Printed)]) -> Printed {
        if rest.isEmpty { return head }
        var text = head.precedence >= .product ? head.text : parenthesized(head.text, tall: head.tall)
        var tall = head.tall, superscript = head.superscript
        for (minus, printed) in rest {
            text += (minus ? " - " : " + ") + wrapped(printed, atLeast: .product)
            tall = tall || printed.tall
            superscript = superscript || printed.superscript
        }
        return Printed(text: text, precedence: .sum, leadingMinus: head.leadingMinus, tall: tall, superscript: superscript)
    }

    // MARK: Products

    /// The factors above the bar in order, then those below (marked `below` by the walk).
    static func product(_ coefficient: Rational?, _ factors: [(below: Bool, factor: Printed)], inline: Bool) -> Printed {
        if coefficient == nil && factors.count == 1 && !factors[0].below { return factors[0].factor }
        let above = factors.filter { !$0.below }.map(\.factor)
        let below = factors.filter(\.below).map(\.factor)
        let parts = above + below
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

    // MARK: Symbols

    /// Papers write ε as `\varepsilon`; the other names are their own commands.
    static func greekCommand(_ name: String) -> String? {
        if name == "epsilon" || name == "eps" { return "\\varepsilon" }
        if name == "omicron" { return "o" }
        return SymbolName.greekLetters.contains(name) ? "\\" + name : nil
    }

    /// A symbol as a paper typesets it, from its parts (`SymbolName`): one subscript group, its parts separated
    /// by commas (`S4_exact` → `S_{4,\mathrm{exact}}`), so a name never gets a double subscript.
    static func symbol(_ name: String) -> String {
        let parts = SymbolName(name)
        guard parts.isStructured else { return "\\mathrm{\(TeX.mathText(name))}" }
        if parts.subscripts.isEmpty { return symbolBase(parts.base) }
        let sub = parts.subscripts.map { $0.allSatisfy({ $0.isNumber }) ? $0 : symbolBase($0) }.joined(separator: ",")
        // An operator name with a subscript is the operator: max_pi → \max_{\pi}.
        let head = operatorNames.contains(parts.base) ? "\\" + parts.base : symbolBase(parts.base)
        return "\(head)_{\(sub)}"
    }

    /// Operators LaTeX has as commands, which take their subscript below in display (`\max_{\pi}`).
    static let operatorNames: Set<String> = ["max", "min", "sup", "inf", "lim", "liminf", "limsup", "arg", "det", "log", "exp"]

    /// One underscore-free part: a Greek name, one letter, digits, letter+digits (`x1` → `x_{1}`, in a subscript), or
    /// a word.
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
}
