/// Splits expression text into tokens, tracking 1-based line and column so every error points at a character.
///
/// Columns count `Character`s (grapheme clusters), which is what an editor shows for the Unicode we accept
/// (Greek letters, `·`, `≤`, ...). The lexer is pulled one token at a time by the parser, so the first error
/// reported is the leftmost one, whether lexical or syntactic.
struct Lexer {
    /// Big number literals already converted in this parse.
    private var literalCache: [String: Rational] = [:]
    enum Kind: Equatable {
        case number(Rational)
        case identifier(String)
        case plus, minus, star, slash, caret, leftParen, rightParen, comma
        case relation(RelationOperator)
        case end
    }

    struct Token {
        var kind: Kind
        /// The source spelling, for error messages ("expected an expression after '−'").
        var spelling: String
        var location: SourceLocation
    }

    private let characters: [Character]
    /// `characters[i].asciiValue`, or `nonASCII`. The character classes test these bytes: `asciiValue` itself,
    /// `isWhitespace`, `isLetter`, `isNumber` and `==` between Characters cost tens to hundreds of instructions
    /// each (Unicode property lookups, string comparison), and they were most of the parser's time.
    private let codes: [UInt8]
    private static let nonASCII: UInt8 = 0xFF
    private var index = 0
    private var line: Int
    private var column: Int
    private let file: String?

    init(_ text: String, file: String?, line: Int, column: Int) {
        // ASCII text (most of it) is split by bytes; grapheme breaking is for the rest. "\r\n" is one Character,
        // so a carriage return takes the general path.
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 13 }) {
            let bytes = Array(text.utf8)
            self.characters = bytes.map { Character(Unicode.Scalar($0)) }
            self.codes = bytes
        } else {
            self.characters = Array(text)
            self.codes = characters.map { $0.asciiValue ?? Lexer.nonASCII }
        }
        self.file = file
        self.line = line
        self.column = column
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Character? {
        let i = index + offset
        return i < characters.count ? characters[i] : nil
    }

    /// The ASCII code at `index + offset` (`nonASCII` for any other character), nil past the end.
    private func code(_ offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < codes.count ? codes[i] : nil
    }

    private func code(_ offset: Int, is ascii: Unicode.Scalar) -> Bool { code(offset) == UInt8(ascii: ascii) }

    private func isDigit(_ offset: Int = 0) -> Bool { code(offset).map(Lexer.isDigit) ?? false }

    private mutating func advance() {
        guard index < characters.count else { return }
        // Only "\n" (and "\r\n", one Character) break lines, as in theory files; U+2028, VT, FF do not. Both, and
        // nothing else, have the ASCII value 10.
        if codes[index] == 10 {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// Steps over one character (a scan that tolerates what the lexer refuses continues after it).
    mutating func skipCharacter() { advance() }

    mutating func next() throws(ParseError) -> Token {
        while let a = code(), Lexer.isWhitespace(a, characters[index]) { advance() }
        let start = location
        let startIndex = index
        guard let c = peek(), let a = code() else { return Token(kind: .end, spelling: "end of input", location: start) }

        func single(_ kind: Kind) -> Token {
            advance()
            return Token(kind: kind, spelling: String(c), location: start)
        }

        if Lexer.isDigit(a) || (a == UInt8(ascii: ".") && isDigit(1)) { return try number(start: start) }
        if Lexer.isIdentifierStart(a, c) { return identifier(start: start) }

        // Matched as a Unicode scalar (integer comparisons); no token is spelled with more than one.
        guard let scalar = a != Lexer.nonASCII ? Unicode.Scalar(a) : Lexer.singleScalar(c) else {
            throw ParseError(location: start, message: "unexpected character \(Lexer.describe(c))")
        }
        switch scalar {
        case "+": return single(.plus)
        case "-", "\u{2212}": return single(.minus)
        case "*", "·", "×", "\u{22C5}":
            if scalar == "*", code(1, is: "*") {  // `**` is Python's power operator; accept it as `^`.
                advance(); advance()
                return Token(kind: .caret, spelling: "**", location: start)
            }
            return single(.star)
        case "/": return single(.slash)
        case "^": return single(.caret)
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case ",": return single(.comma)
        case "<", ">":
            advance()
            let less = scalar == "<"
            var op: RelationOperator = less ? .less : .greater
            if code(0, is: "=") {
                op = less ? .lessEqual : .greaterEqual
                advance()
            } else if code(0, is: "~") {
                op = less ? .asymptoticLessEqual : .asymptoticGreaterEqual
                advance()
            }
            return Token(kind: .relation(op), spelling: text(of: startIndex..<index), location: start)
        case "=": return single(.relation(.equal))
        case "~", "≍": return single(.relation(.asymptoticEqual))
        case "≤", "⩽": return single(.relation(.lessEqual))
        case "≥", "⩾": return single(.relation(.greaterEqual))
        case "≲": return single(.relation(.asymptoticLessEqual))
        case "≳": return single(.relation(.asymptoticGreaterEqual))
        default:
            throw ParseError(location: start, message: "unexpected character \(Lexer.describe(c))")
        }
    }

    // MARK: Numbers

    /// `digits ('.' digits)? ([eE] [+-]? digits)?`, also `.5`. The value is exact: `Rational(literal:)`.
    private mutating func number(start: SourceLocation) throws(ParseError) -> Token {
        let startIndex = index
        func isSign(_ offset: Int) -> Bool { code(offset, is: "+") || code(offset, is: "-") }
        func isExponentMark() -> Bool { code(0, is: "e") || code(0, is: "E") }
        while isDigit() { advance() }
        if code(0, is: ".") {
            advance()
            guard isDigit() else {
                throw ParseError(location: location, message:
                    "expected a digit after the decimal point in '\(String(characters[startIndex..<index]))'")
            }
            while isDigit() { advance() }
        }
        if isExponentMark(), isDigit(1) || (isSign(1) && isDigit(2)) {
            advance()
            if isSign(0) { advance() }
            while isDigit() { advance() }
        } else if isExponentMark(), isDigit(1) || isSign(1) {
            // `1e+` or `1e-` with nothing after: clearly meant as an exponent.
            advance(); advance()
            throw ParseError(location: location, message:
                "expected digits in the exponent of '\(String(characters[startIndex..<index]))'")
        }
        let spelling = text(of: startIndex..<index)
        // Rational(literal:) may not accept a bare leading '.', so give it a leading zero.
        let literal = spelling.first == "." ? "0" + spelling : spelling
        // The format is already checked, so nil means out of range. Rational bounds the work (it refuses
        // results over maxBits before computing them), so huge literals like 1e999999999 fail fast.
        // A repeated big literal (1e19000 thousands of times) is computed once per parse.
        if let cached = literalCache[literal] { return Token(kind: .number(cached), spelling: spelling, location: start) }
        guard let value = Rational(literal: literal) else {
            throw ParseError(location: start, message: "number '\(Lexer.abbreviate(spelling))' is too large to represent "
                + "exactly (exact numbers are limited to \(Rational.maxBits) bits)")
        }
        if value.numerator.bitWidth > 256 || value.denominator.bitWidth > 256 { literalCache[literal] = value }
        return Token(kind: .number(value), spelling: spelling, location: start)
    }

    // MARK: Identifiers

    /// Greek letters (and ℓ) stand for their ASCII names, so `β` and `beta` are one symbol and `π` is the constant.
    static let greekNames: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
        "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
        "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
        "χ": "chi", "ψ": "psi", "ω": "omega",
        "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma",
        "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
        "ℓ": "ell",
    ]

    // Character classes by ASCII code `a` of the character `c` (`nonASCII` for the others). For ASCII they are
    // the sets of Character's properties: whitespace is tab, LF, VT, FF, CR and space ("\r\n" has code 10),
    // letters A-Z and a-z, numbers the digits.

    static func isWhitespace(_ a: UInt8, _ c: @autoclosure () -> Character) -> Bool {
        a == nonASCII ? c().isWhitespace : a == 32 || (9...13).contains(a)
    }

    static func isDigit(_ a: UInt8) -> Bool { (48...57).contains(a) }

    static func isIdentifierStart(_ a: UInt8, _ c: @autoclosure () -> Character) -> Bool {
        // Only non-ASCII characters need the Greek table.
        a == nonASCII ? greekNames[c()] != nil : (65...90).contains(a) || (97...122).contains(a) || a == 95
    }

    /// The character's Unicode scalar if it has exactly one.
    static func singleScalar(_ c: Character) -> Unicode.Scalar? {
        let scalars = c.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return nil }
        return first
    }

    private mutating func identifier(start: SourceLocation) -> Token {
        let startIndex = index
        var ascii = true
        while let a = code(), Lexer.isIdentifierStart(a, characters[index]) || Lexer.isDigit(a) {
            if a == Lexer.nonASCII { ascii = false }
            advance()
        }
        // An ASCII name is its own spelling, read from the bytes (building a String from Characters is slow).
        if ascii {
            let name = text(of: startIndex..<index)
            return Token(kind: .identifier(name), spelling: name, location: start)
        }
        var name = ""
        for i in startIndex..<index {
            if codes[i] == Lexer.nonASCII, let greek = Lexer.greekNames[characters[i]] { name += greek } else { name.append(characters[i]) }
        }
        return Token(kind: .identifier(name), spelling: text(of: startIndex..<index), location: start)
    }

    /// The source text of `range`: from the ASCII codes when every character is a printable ASCII one, else from
    /// the characters.
    private func text(of range: Range<Int>) -> String {
        if codes[range].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: codes[range], as: UTF8.self) }
        return String(characters[range])
    }

    // MARK: Messages

    /// Quote a character, spelling out invisible ones (NUL, controls, odd spaces) as `U+XXXX`.
    static func describe(_ c: Character) -> String {
        let scalars = c.unicodeScalars
        let visible = scalars.allSatisfy { s in
            !(s.properties.generalCategory == .control || s.properties.generalCategory == .format
              || s.properties.generalCategory == .unassigned || s.properties.generalCategory == .privateUse
              || s.properties.generalCategory == .surrogate || s.properties.isWhitespace)
        }
        let codes = scalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
            .joined(separator: " ")
        if !visible { return codes }
        return c.isASCII ? "'\(c)'" : "'\(c)' (\(codes))"
    }

    static func abbreviate(_ s: String) -> String {
        s.count <= 40 ? s : String(s.prefix(20)) + "…" + String(s.suffix(10))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
