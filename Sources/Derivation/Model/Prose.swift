import Foundation
import Symbolic

/// Text with formulas in it, as a theory file writes its prose fields (`source`, `note`, a symbol's meaning, a
/// lemma's or a law's name): `"$N_eff = n^theta$ grows with the data"`. A formula is marked with dollar signs,
/// never guessed; `\$` is a dollar sign, and so is a `$` that no second `$` closes. Every printer shows the same
/// value its own way: the text view prints the formula as written, without the dollars; LaTeX typesets it.
public struct Prose: Sendable, Equatable, ExpressibleByStringLiteral {
    public enum Segment: Sendable, Equatable {
        case text(String)
        case math(Formula)
    }

    public var segments: [Segment]

    public init(_ segments: [Segment]) { self.segments = segments }

    /// Plain text: no formula.
    public init(text: String) { self.segments = text.isEmpty ? [] : [.text(text)] }

    /// A literal is markup: `"$N_eff$ grows"`.
    public init(stringLiteral markup: String) { self.init(markup: markup) }

    /// Prose with `$...$` markup.
    public init(markup: String) {
        // Most prose has no formula at all.
        guard markup.utf8.contains(UInt8(ascii: "$")) else {
            self.init(text: markup)
            return
        }
        // Over the UTF-8 bytes (`$` and `\` are single bytes): runs of plain text are copied whole.
        var segments: [Segment] = []
        var text = ""
        func flush() {
            if !text.isEmpty { segments.append(.text(text)) }
            text = ""
        }
        let dollar = UInt8(ascii: "$"), backslash = UInt8(ascii: "\\")
        let bytes = markup.utf8
        var i = bytes.startIndex
        var run = i
        while i < bytes.endIndex {
            let b = bytes[i]
            let next = bytes.index(after: i)
            if b == backslash, next < bytes.endIndex, bytes[next] == dollar {
                text += markup[run..<i]
                text += "$"
                i = bytes.index(after: next)
                run = i
                continue
            }
            // A formula needs a second `$` after at least one character; otherwise the `$` is text.
            if b == dollar, let close = bytes[next...].firstIndex(of: dollar), close != next {
                text += markup[run..<i]
                flush()
                segments.append(.math(Formula(markup: String(markup[next..<close]))))
                i = bytes.index(after: close)
                run = i
                continue
            }
            i = next
        }
        text += markup[run..<bytes.endIndex]
        flush()
        self.init(segments)
    }

    public var isEmpty: Bool { segments.isEmpty }

    /// The prose back in markup, as a theory file writes it (a dollar sign in the text as `\$`).
    public var markup: String {
        segments.map { segment -> String in
            switch segment {
            case .text(let t): return t.contains("$") ? t.replacingOccurrences(of: "$", with: "\\$") : t
            case .math(let f): return "$\(f.written ?? f.text)$"
            }
        }.joined()
    }

    /// The formulas, in order.
    public var formulas: [Formula] {
        segments.compactMap { if case .math(let f) = $0 { return f } else { return nil } }
    }
}

/// A formula in prose: an expression, or expressions joined by relations (`a <= b <~ c`, `N_opt ∝ C^a`,
/// `delta := 1/n`). A side of markup that the parser does not read (a decimal such as `1.69`, which it would read
/// as an exact fraction; a norm `||T - f||_inf^2`; `|P|`) is kept as written and typeset symbol by symbol.
public struct Formula: Sendable, Equatable {
    public enum Relation: String, Sendable, CaseIterable {
        case lessEqual = "<=", less = "<", equal = "=", greaterEqual = ">=", greater = ">"
        case asymptoticLessEqual = "<~", asymptoticGreaterEqual = ">~", asymptoticEqual = "~"
        case proportional = "∝", definedAs = ":=", tendsTo = "→"

        public init(_ op: RelationOperator) { self = Relation(rawValue: op.rawValue) ?? .equal }
    }

    public enum Side: Sendable, Equatable {
        case expression(Expr)
        /// Math the parser does not read, as written.
        case written(String)
    }

    /// One side, or one more than there are relations.
    public var sides: [Side]
    public var relations: [Relation]
    /// The formula as the theory file writes it (the text view prints this); nil for a formula built from values.
    public var written: String?

    public init(_ expression: Expr) {
        sides = [.expression(expression)]
        relations = []
        written = nil
    }

    public init(_ lhs: Expr, _ relation: Relation, _ rhs: Expr) {
        sides = [.expression(lhs), .expression(rhs)]
        relations = [relation]
        written = nil
    }

    /// The expressions among the sides.
    public var expressions: [Expr] { sides.compactMap { if case .expression(let e) = $0 { return e } else { return nil } } }

    /// `$...$` content: the sides between top-level relations, each parsed as an expression where it can be.
    /// Scanned over the UTF-8 bytes (brackets and relations are ASCII or whole scalars): Character iteration and
    /// comparison cost more than parsing the sides.
    public init(markup: String) {
        written = markup
        var sides: [String] = []
        var ops: [Relation] = []
        let bytes = Array(markup.utf8)
        var depth = 0
        var start = 0
        var i = 0
        scan: while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") { depth += 1 }
            if b == UInt8(ascii: ")") || b == UInt8(ascii: "]") { depth -= 1 }
            if depth == 0 {
                for (token, relation) in Formula.spelled where Formula.bytes(bytes, at: i, start: token) {
                    sides.append(String(decoding: bytes[start..<i], as: UTF8.self))
                    ops.append(relation)
                    i += token.count
                    start = i
                    continue scan
                }
            }
            i += 1
        }
        sides.append(String(decoding: bytes[start...], as: UTF8.self))
        self.relations = ops
        // The parser reads 1.69 as 169/100: a formula with a decimal is typeset as written, every side of it.
        let decimal = Formula.containsDecimal(markup)
        self.sides = sides.map { side in
            let s = Formula.trimmed(side)
            if s == "oo" || s == "∞" { return .written("∞") }
            if !decimal, let e = try? Parser.parseExpression(s) { return .expression(e) }
            return .written(s)
        }
    }

    static func bytes(_ bytes: [UInt8], at i: Int, start token: [UInt8]) -> Bool {
        guard i + token.count <= bytes.count else { return false }
        for k in token.indices where bytes[i + k] != token[k] { return false }
        return true
    }

    /// Without the blanks at either end; the ASCII ones over the bytes, any other by Foundation.
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, u[lo] == 0x20 || u[lo] == 0x09 { lo = u.index(after: lo) }
        while hi > lo, u[u.index(before: hi)] == 0x20 || u[u.index(before: hi)] == 0x09 { hi = u.index(before: hi) }
        let inner = String(s[lo..<hi])
        if let first = inner.utf8.first, let last = inner.utf8.last, first < 0x80, last < 0x80 { return inner }
        return inner.trimmingCharacters(in: .whitespaces)
    }

    /// Relations as markup writes them, longest first, in UTF-8.
    static let spelled: [([UInt8], Relation)] = ([
        ("<=", .lessEqual), (">=", .greaterEqual), ("<~", .asymptoticLessEqual), (">~", .asymptoticGreaterEqual), (":=", .definedAs),
        ("->", .tendsTo), ("<", .less), (">", .greater), ("=", .equal), ("~", .asymptoticEqual), ("≤", .lessEqual), ("≥", .greaterEqual),
        ("≲", .asymptoticLessEqual), ("≳", .asymptoticGreaterEqual), ("≍", .asymptoticEqual), ("∝", .proportional), ("→", .tendsTo),
    ] as [(String, Relation)]).map { (Array($0.0.utf8), $0.1) }

    /// `1.69`: a decimal written with a point.
    static func containsDecimal(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 3 else { return false }
        func digit(_ x: UInt8) -> Bool { x >= 0x30 && x <= 0x39 }
        for i in 1..<(b.count - 1) where b[i] == UInt8(ascii: ".") && digit(b[i - 1]) && digit(b[i + 1]) { return true }
        return false
    }
}
