/// Assumptions written as text: `beta > 0`, `d >= 1 integer`, `integer k`, `delta in (0, 1)`,
/// `k in [1, M]`, `1 <= k <= M`, `L_T, ell >= 1`. Errors point at the offending column.
extension Assumptions {
    public mutating func assume(text: String, file: String? = nil, line: Int = 1, column: Int = 1) throws {
        let origin = Origin(text.trimmingWhitespace, location: SourceLocation(file: file, line: line, column: column))
        var body = Substring(text)
        var integer = false, real = false
        var bodyColumn = column
        // Leading or trailing domain words.
        for word in ["integer", "real"] {
            let trimmed = body.drop { $0 == " " }
            if trimmed.hasPrefix(word + " ") {
                bodyColumn += body.count - trimmed.count + word.count
                body = trimmed.dropFirst(word.count)
                if word == "integer" { integer = true } else { real = true }
            }
            // The text without its trailing blanks (over the bytes: reversing Characters into a String is slow).
            var end = body.utf8.endIndex
            while end > body.utf8.startIndex, body.utf8[body.utf8.index(before: end)] == 0x20 { end = body.utf8.index(before: end) }
            let tail = body[..<end]
            if tail.hasSuffix(" " + word) {
                body = tail.dropLast(word.count)
                if word == "integer" { integer = true } else { real = true }
            }
        }
        let pieces = Assumptions.splitRelations(body, column: bodyColumn)
        if pieces.count == 1 {
            // `x in (a, b)`, `integer x`, or a bare symbol list with a domain word.
            if let inRange = try Assumptions.parseMembership(pieces[0].text, file: file, line: line, column: pieces[0].column) {
                for name in inRange.names {
                    try declare(name, domain: integer ? .integer : .real, origin: origin)
                    try assume(.symbol(name), inRange.lowerOpen ? .greater : .greaterEqual, inRange.lower, origin: origin)
                    try assume(.symbol(name), inRange.upperOpen ? .less : .lessEqual, inRange.upper, origin: origin)
                }
                return
            }
            let names = try Assumptions.parseNames(pieces[0].text, file: file, line: line, column: pieces[0].column)
            // The domain word itself, not a name that contains it (x_real).
            guard let names, integer || real else {
                throw ParseError(location: SourceLocation(file: file, line: line, column: column),
                                 message: "expected an assumption such as 'beta > 0', 'delta in (0, 1)' or 'd >= 1 integer'")
            }
            for name in names { try declare(name, domain: integer ? .integer : .real, origin: origin) }
            return
        }
        // A chain: e0 op1 e1 op2 e2 ...; a comma list on either end applies to each symbol.
        var operands: [[Expr]] = []
        for piece in pieces {
            if let names = try Assumptions.parseNames(piece.text, file: file, line: line, column: piece.column), names.count > 1 {
                operands.append(names.map { .symbol($0) })
            } else {
                operands.append([try Parser.parseExpression(String(piece.text), file: file, line: line, column: piece.column)])
            }
        }
        for group in operands {
            for case .symbol(let name) in group.map(\.shape) {
                try declare(name, domain: integer ? .integer : .real, origin: origin)
            }
        }
        for i in 0..<(pieces.count - 1) {
            guard let op = pieces[i + 1].operatorBefore else { continue }
            for lhs in operands[i] {
                for rhs in operands[i + 1] { try assume(lhs, op, rhs, origin: origin) }
            }
        }
    }

    public struct Piece {
        public var text: Substring
        public var column: Int
        public var operatorBefore: RelationOperator?
    }

    /// Split at relation operators outside parentheses and brackets.
    public static func splitRelations(_ text: Substring, column: Int) -> [Piece] {
        var pieces: [Piece] = []
        var depth = 0
        var start = text.startIndex
        var startColumn = column
        var pendingOperator: RelationOperator? = nil
        var i = text.startIndex
        var col = column
        let twoChar: [String: RelationOperator] = ["<=": .lessEqual, ">=": .greaterEqual, "<~": .asymptoticLessEqual, ">~": .asymptoticGreaterEqual]
        let oneChar: [Character: RelationOperator] = ["<": .less, ">": .greater, "=": .equal, "~": .asymptoticEqual,
                                                     "≤": .lessEqual, "≥": .greaterEqual, "≲": .asymptoticLessEqual, "≳": .asymptoticGreaterEqual, "≍": .asymptoticEqual]
        while i < text.endIndex {
            let c = text[i]
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1 }
            if depth == 0 {
                let next = text.index(after: i)
                var op: RelationOperator? = nil
                var width = 0
                if next < text.endIndex, let two = twoChar[String(text[i...next])] { op = two; width = 2 }
                else if let one = oneChar[c] { op = one; width = 1 }
                if let op {
                    pieces.append(Piece(text: text[start..<i], column: startColumn, operatorBefore: pendingOperator))
                    pendingOperator = op
                    i = text.index(i, offsetBy: width)
                    col += width
                    start = i
                    startColumn = col
                    continue
                }
            }
            i = text.index(after: i)
            col += 1
        }
        pieces.append(Piece(text: text[start...], column: startColumn, operatorBefore: pendingOperator))
        return pieces
    }

    /// `a, b, c` → names; nil when the text is not a list of identifiers.
    static func parseNames(_ text: Substring, file: String?, line: Int, column: Int) throws -> [String]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var names: [String] = []
        var offset = 0
        for part in parts {
            let leading = part.prefix { $0 == " " }.count
            let e = try? Parser.parseExpression(String(part), file: file, line: line, column: column + offset)
            guard case .symbol(let name)? = e?.shape else { return nil }
            _ = leading
            names.append(name)
            offset += part.count + 1
        }
        return names
    }

    struct Membership { var names: [String]; var lower: Expr; var lowerOpen: Bool; var upper: Expr; var upperOpen: Bool }

    /// `x in (a, b]`.
    static func parseMembership(_ text: Substring, file: String?, line: Int, column: Int) throws -> Membership? {
        guard let range = text.range(of: " in ") else { return nil }
        let subject = text[text.startIndex..<range.lowerBound]
        guard let names = try parseNames(subject, file: file, line: line, column: column) else {
            throw ParseError(location: SourceLocation(file: file, line: line, column: column),
                             message: "expected symbol names before 'in'")
        }
        let rest = text[range.upperBound...].trimmingCharacters(in: " ")
        let restColumn = column + text.distance(from: text.startIndex, to: range.upperBound) + (text[range.upperBound...].prefix { $0 == " " }.count)
        guard let open = rest.first, "([".contains(open), let close = rest.last, ")]".contains(close), rest.count >= 2 else {
            throw ParseError(location: SourceLocation(file: file, line: line, column: restColumn),
                             message: "expected an interval such as (0, 1) or [1, M] after 'in'")
        }
        let inner = rest.dropFirst().dropLast()
        guard let comma = Assumptions.topLevelComma(inner) else {
            throw ParseError(location: SourceLocation(file: file, line: line, column: restColumn),
                             message: "an interval needs two bounds separated by a comma")
        }
        let lowerText = inner[inner.startIndex..<comma]
        let upperText = inner[inner.index(after: comma)...]
        let lower = try Parser.parseExpression(String(lowerText), file: file, line: line, column: restColumn + 1)
        let upper = try Parser.parseExpression(String(upperText), file: file, line: line, column: restColumn + 2 + lowerText.count)
        return Membership(names: names, lower: lower, lowerOpen: open == "(", upper: upper, upperOpen: close == ")")
    }

    static func topLevelComma(_ s: Substring) -> Substring.Index? {
        var depth = 0
        for i in s.indices {
            switch s[i] {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case "," where depth == 0: return i
            default: break
            }
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing blanks and tabs (shared with the theory-file parser).
    public var trimmingWhitespace: String {
        // Over the UTF-8 view: blanks and tabs are single bytes, and Character iteration is slow.
        let text = Substring(self)
        let bytes = text.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start {
            let before = bytes.index(before: end)
            guard bytes[before] == 0x20 || bytes[before] == 0x09 else { break }
            end = before
        }
        return String(text[start..<end])
    }
    func trimmingCharacters(in set: String) -> Substring {
        let s = Substring(self)
        return s.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed().map { $0 }.reduce(into: Substring()) { $0.append($1) }
    }
}
