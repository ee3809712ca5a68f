import Foundation
import Symbolic

/// Text with formulas in it, as a theory file writes its prose fields (`source`, `note`, a symbol's meaning, a
/// lemma's or a law's name): `"$N_eff = n^theta$ grows with the data"`. A formula is marked with dollar signs,
/// never guessed; `\$` is a dollar sign, and so is a `$` that no second `$` closes. Every printer shows the same
/// value its own way: the text view prints the formula as written, without the dollars; LaTeX typesets it.
public struct Prose: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case text(String)
        case math(Formula)
    }

    public var segments: [Segment]

    public init(_ segments: [Segment]) { self.segments = segments }

    /// Plain text: no formula.
    public init(text: String) { self.segments = text.isEmpty ? [] : [.text(text)] }

    /// Prose with `$...$` markup.
    public init(markup: String) {
        // Most prose has no formula at all.
        guard markup.utf8.contains(UInt8(ascii: "$")) else {
            self.init(text: markup)
            return
        }
        var segments: [Segment] = []
        var text = ""
        var chars = Array(markup)[...]
        func flush() {
            if !text.isEmpty { segments.append(.text(text)) }
            text = ""
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\\", chars.first == "$" {
                text.append("$")
                chars = chars.dropFirst()
                continue
            }
            guard c == "$", let close = chars.firstIndex(of: "$"), close > chars.startIndex else {
                text.append(c)
                continue
            }
            flush()
            segments.append(.math(Formula(markup: String(chars[..<close]))))
            chars = chars[chars.index(after: close)...]
        }
        flush()
        self.init(segments)
    }

    public var isEmpty: Bool { segments.isEmpty }

    /// The formulas, in order.
    public var formulas: [Formula] {
        segments.compactMap { if case .math(let f) = $0 { return f } else { return nil } }
    }
}

/// A formula in prose: an expression, or expressions joined by relations (`a <= b <~ c`, `N_opt ∝ C^a`,
/// `delta := 1/n`). Markup that does not read as one (a decimal such as `1.69`, which would be read as an exact
/// fraction, or something the parser does not know) is kept `literal`: typeset as written, symbol by symbol.
public struct Formula: Sendable, Equatable {
    public enum Relation: String, Sendable, CaseIterable {
        case lessEqual = "<=", less = "<", equal = "=", greaterEqual = ">=", greater = ">"
        case asymptoticLessEqual = "<~", asymptoticGreaterEqual = ">~", asymptoticEqual = "~"
        case proportional = "∝", definedAs = ":=", tendsTo = "→"

        public init(_ op: RelationOperator) { self = Relation(rawValue: op.rawValue) ?? .equal }
    }

    /// One expression, or one more than there are relations.
    public var terms: [Expr]
    public var relations: [Relation]
    /// The formula as the theory file writes it (the text view prints this); nil for a formula built from values.
    public var written: String?

    public init(_ expression: Expr) {
        terms = [expression]
        relations = []
        written = nil
    }

    public init(_ lhs: Expr, _ relation: Relation, _ rhs: Expr) {
        terms = [lhs, rhs]
        relations = [relation]
        written = nil
    }

    /// A formula the parser could not read: typeset as written.
    public var isLiteral: Bool { terms.isEmpty }

    /// `$...$` content: the sides between top-level relations, each parsed as an expression.
    public init(markup: String) {
        written = markup
        terms = []
        relations = []
        if Formula.containsDecimal(markup) { return }
        var sides: [String] = []
        var ops: [Relation] = []
        var current = ""
        var depth = 0
        var chars = Array(markup)[...]
        let spelled: [(String, Relation)] = [("<=", .lessEqual), (">=", .greaterEqual), ("<~", .asymptoticLessEqual), (">~", .asymptoticGreaterEqual),
                                             (":=", .definedAs), ("->", .tendsTo), ("<", .less), (">", .greater), ("=", .equal), ("~", .asymptoticEqual),
                                             ("≤", .lessEqual), ("≥", .greaterEqual), ("≲", .asymptoticLessEqual), ("≳", .asymptoticGreaterEqual),
                                             ("≍", .asymptoticEqual), ("∝", .proportional), ("→", .tendsTo)]
        scan: while let c = chars.first {
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1 }
            if depth == 0 {
                for (token, relation) in spelled {
                    let t = Array(token)
                    if chars.count >= t.count, Array(chars.prefix(t.count)) == t {
                        sides.append(current)
                        ops.append(relation)
                        current = ""
                        chars = chars.dropFirst(t.count)
                        continue scan
                    }
                }
            }
            current.append(c)
            chars = chars.dropFirst()
        }
        sides.append(current)
        var parsed: [Expr] = []
        for side in sides {
            let s = side.trimmingCharacters(in: .whitespaces)
            guard !s.isEmpty, let e = try? Parser.parseExpression(s) else { return }
            parsed.append(e)
        }
        terms = parsed
        relations = ops
    }

    /// `1.69`: a decimal written with a point.
    static func containsDecimal(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count >= 3 else { return false }
        for i in 1..<(chars.count - 1) where chars[i] == "." && chars[i - 1].isNumber && chars[i + 1].isNumber { return true }
        return false
    }
}
