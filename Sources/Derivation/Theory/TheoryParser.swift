import Foundation
import Symbolic

/// Reads the `.bounds` theory format (documented in README.md): line-based blocks that start with a
/// keyword at the left margin (`symbols`, `lemma`, `theorem`, `proof` ... `qed`, `derive`, `law`, ...),
/// with indented body lines. `#` starts a comment. Every error carries file:line:column.
public struct TheoryParser {
    let path: String
    var lines: [Line] = []
    var index = 0
    /// Where names are written (symbols and quantities in expressions, lemma ids after `by`, the names of paths,
    /// laws and substitutions): the side table errors use to point at a name's own token.
    let recorder = NameRecorder()

    final class NameRecorder {
        var names: [NameOccurrence] = []
    }

    struct Line {
        var number: Int
        /// Text with the comment removed and trailing blanks trimmed.
        var text: Substring
        var indent: Int
        var isIndented: Bool { indent > 0 }
        var content: Substring { text.dropFirst(indent) }
        var contentColumn: Int { indent + 1 }
    }

    public static func parse(_ source: String, path: String) throws -> TheoryFile {
        var parser = TheoryParser(path: path)
        var number = 0
        // "\r\n" is one Character in Swift: normalize line ends before splitting.
        let normalized = source.utf8.contains(13) ? source.replacingOccurrences(of: "\r\n", with: "\n") : source
        for raw in TheoryParser.lines(of: normalized) {
            number += 1
            let text = TheoryParser.stripComment(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            let kept = TheoryParser.droppingTrailingBlanks(text)
            if kept.isEmpty { continue }
            let indent = kept.prefix { $0 == " " || $0 == "\t" }.count
            parser.lines.append(Line(number: number, text: kept, indent: indent))
        }
        var file = try parser.parseFile()
        file.names = parser.recorder.names
        return file
    }

    /// The text between line feeds (empty lines included), found over the UTF-8 bytes: splitting a String by
    /// Character costs more than parsing what is on the lines.
    static func lines(of text: String) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                result.append(text[start..<i])
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        result.append(text[start..<bytes.endIndex])
        return result
    }

    /// The line up to a `#` outside quotes. Over the UTF-8 bytes: `"` and `#` are single bytes, and Character
    /// iteration is slow.
    static func stripComment(_ s: Substring) -> Substring {
        var inString = false
        let bytes = s.utf8
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x22 { inString.toggle() }
            if b == 0x23 && !inString { return s[..<i] }
            i = bytes.index(after: i)
        }
        return s
    }

    static func droppingTrailingBlanks(_ s: Substring) -> Substring {
        let bytes = s.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let before = bytes.index(before: end)
            guard bytes[before] == 0x20 || bytes[before] == 0x09 else { break }
            end = before
        }
        return s[..<end]
    }

    func location(_ line: Line, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line.number, column: column)
    }

    func error(_ message: String, _ line: Line, column: Int? = nil) -> TheoryError {
        TheoryError(message, at: location(line, column: column ?? line.contentColumn))
    }

    mutating func parseFile() throws -> TheoryFile {
        var file = TheoryFile(path: path)
        while index < lines.count {
            let line = lines[index]
            if line.isIndented {
                throw error("an indented line outside any block; blocks start with a keyword such as 'lemma' or 'symbols' at the left margin", line)
            }
            let (keyword, rest, restColumn) = TheoryParser.splitKeyword(line.content, column: line.contentColumn)
            index += 1
            switch keyword {
            case "import":
                let (text, _) = try quoted(rest, line, column: restColumn)
                file.imports.append((text, location(line, column: restColumn)))
            case "symbols": try parseSymbols(into: &file)
            case "quantities": try parseQuantities(into: &file)
            case "assume":
                file.assumptions.append((String(rest), location(line, column: restColumn)))
            case "define": file.definitions.append(try parseDefinition(rest, line, column: restColumn))
            case "lemma", "theorem", "lowerbound":
                var lemma = try parseLemma(kind: LemmaKind(rawValue: keyword)!, header: rest, line, column: restColumn)
                if index < lines.count, !lines[index].isIndented, lines[index].content == "proof" {
                    guard lemma.kind == .theorem else {
                        throw error("only a theorem has a proof; write 'theorem \(lemma.id)' instead of '\(keyword) \(lemma.id)'", lines[index])
                    }
                    lemma.proof = try parseProof(statement: lemma.statement)
                } else if lemma.kind == .theorem {
                    throw error("theorem \(lemma.id) has no proof: follow it with 'proof' ... 'qed', or call it a lemma", line)
                }
                file.lemmas.append(lemma)
            case "proof":
                throw error("'proof' must follow a theorem", line)
            case "qed":
                throw error("'qed' without a proof", line)
            case "derive": file.recipes.append(try parseRecipe(rest, line, column: restColumn))
            case "law": file.laws.append(try parseLaw(rest, line, column: restColumn))
            case "specialize": file.specializations.append(try parseSpecialization(rest, line, column: restColumn))
            case "example": file.examples.append(try parseExample(rest, line, column: restColumn))
            default:
                let hint = Suggestions.didYouMean(keyword, among: TheoryParser.blockKeywords)
                throw error("unknown keyword '\(keyword)'" + (hint.isEmpty ? "; expected import, symbols, quantities, assume, define, lemma, theorem, lowerbound, derive, law, specialize or example" : hint), line)
            }
        }
        return file
    }

    /// The indented lines of the current block.
    mutating func body() -> [Line] {
        var result: [Line] = []
        while index < lines.count, lines[index].isIndented { result.append(lines[index]); index += 1 }
        return result
    }

    static func splitKeyword(_ s: Substring, column: Int) -> (String, Substring, Int) {
        let word = s.prefix { !($0 == " " || $0 == "\t") }
        let afterWord = s.dropFirst(word.count)
        let spaces = afterWord.prefix { $0 == " " || $0 == "\t" }.count
        return (String(word), afterWord.dropFirst(spaces), column + word.count + spaces)
    }

    /// `"text"` at the start of `s`: the text and what follows it.
    func quoted(_ s: Substring, _ line: Line, column: Int) throws -> (String, Substring) {
        guard s.first == "\"" else { throw error("expected a quoted string", line, column: column) }
        let body = s.dropFirst()
        // Over the bytes: `"` is one byte, and Character search costs more than the rest of the line's parse.
        guard let end = body.utf8.firstIndex(of: UInt8(ascii: "\"")) else { throw error("unterminated string: a closing '\"' is missing", line, column: column) }
        let after = body[body.index(after: end)...]
        return (String(body[..<end]), after.drop { $0 == " " || $0 == "\t" })
    }

    /// Trailing `"meaning"` on a line: (text before, meaning).
    func splitMeaning(_ s: Substring, _ line: Line, column: Int) throws -> (Substring, String?) {
        guard let q = s.firstIndex(of: "\"") else { return (s, nil) }
        let before = s[..<q].reversed().drop { $0 == " " || $0 == "\t" }
        let (meaning, rest) = try quoted(s[q...], line, column: column + s.distance(from: s.startIndex, to: q))
        if !rest.isEmpty { throw error("unexpected text after the quoted meaning", line) }
        return (s.prefix(before.count), meaning)
    }

    func expression(_ s: Substring, _ line: Line, column: Int) throws -> Expr {
        try Parser.parseExpression(String(s), file: path, line: line.number, column: column, recordingNamesInto: &recorder.names)
    }

    func relation(_ s: Substring, _ line: Line, column: Int) throws -> Relation {
        try Parser.parseRelation(String(s), file: path, line: line.number, column: column, recordingNamesInto: &recorder.names)
    }

    /// Record a name written at `column` (a lemma id, a law's variable): see `recorder`.
    func word<S: StringProtocol>(_ name: S, _ line: Line, column: Int) {
        guard !name.isEmpty else { return }
        recorder.names.append(NameOccurrence(name: String(name), location: location(line, column: column), isCall: false))
    }

    /// `a, b, c` written at `column`: the trimmed names, each recorded where it is written.
    func nameList(_ s: Substring, _ line: Line, column: Int) -> [String] {
        var names: [String] = []
        for (piece, offset) in TheoryParser.splitTopLevel(s, separator: ",") {
            let leading = piece.prefix { $0 == " " || $0 == "\t" }.count
            let name = piece.trimmingWhitespace
            word(name, line, column: column + offset + leading)
            names.append(name)
        }
        return names
    }

    // MARK: blocks

    mutating func parseSymbols(into file: inout TheoryFile) throws {
        for line in body() {
            let content = line.content
            if content.hasPrefix("assume ") {
                file.assumptions.append((String(content.dropFirst(7)), location(line, column: line.contentColumn + 7)))
                continue
            }
            guard let colon = content.firstIndex(of: ":") else {
                throw error("a symbol line reads 'names : domain \"meaning\"', e.g. 'beta : real > 0 \"smoothness\"'", line)
            }
            let pieces = TheoryParser.splitTopLevel(content[..<colon], separator: ",")
            let names = pieces.map { $0.0.trimmingWhitespace }
            if names.allSatisfy(\.isEmpty) {
                throw error("a symbol line needs the symbol names before ':', e.g. 'beta : real > 0'", line)
            }
            let specStart = content.index(after: colon)
            let specColumn = line.contentColumn + content.distance(from: content.startIndex, to: specStart)
            let (spec, meaning) = try splitMeaning(content[specStart...], line, column: specColumn)
            for (name, (piece, offset)) in zip(names, pieces) {
                let nameColumn = line.contentColumn + offset + piece.prefix { $0 == " " || $0 == "\t" }.count
                guard TheoryParser.isIdentifier(name) else {
                    throw error("'\(name)' is not a symbol name", line, column: nameColumn)
                }
                // Twice in one file is a slip (files that share a symbol each declare it once, and the declarations combine).
                if let previous = file.symbols.first(where: { $0.name == name }) {
                    throw error("symbol \(name) is declared twice in this file (also at line \(previous.location.line))", line, column: nameColumn)
                }
                // The domain word (integer/real), then the constraint as written. The constraint is parsed as
                // "name <constraint>" placed so that its columns are the constraint's columns in the line.
                var rest = spec.drop { $0 == " " || $0 == "\t" }
                var isInteger = false
                for word in ["integer", "real"] where rest.hasPrefix(word) && (rest.count == word.count || rest.dropFirst(word.count).first == " ") {
                    isInteger = word == "integer"
                    rest = rest.dropFirst(word.count).drop { $0 == " " || $0 == "\t" }
                }
                let constraint = rest.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
                let constraintColumn = specColumn + spec.distance(from: spec.startIndex, to: rest.startIndex)
                let text = constraint.isEmpty ? "" : "\(name) \(String(constraint))"
                file.symbols.append(SymbolDeclaration(name: name, assumption: text, meaning: meaning.map { Prose(markup: $0) }, isInteger: isInteger,
                                                      location: location(line, column: specColumn),
                                                      constraintLocation: location(line, column: max(1, constraintColumn - name.count - 1))))
            }
        }
    }

    mutating func parseQuantities(into file: inout TheoryFile) throws {
        for line in body() {
            let (spec, meaning) = try splitMeaning(line.content, line, column: line.contentColumn)
            var head = spec.trimmingWhitespace[...]
            var lower: Expr? = nil
            var independent: [String] = []
            if let r = head.range(of: "independent of") {
                let column = line.contentColumn + head.distance(from: head.startIndex, to: r.upperBound)
                let names = nameList(head[r.upperBound...], line, column: column).filter { !$0.isEmpty }
                guard !names.isEmpty, names.allSatisfy(TheoryParser.isIdentifier) else {
                    throw error("'independent of' lists symbol names, e.g. 'Risk >= 0 independent of delta, eps'", line, column: column)
                }
                independent = names
                head = head[..<r.lowerBound].trimmingWhitespace[...]
            }
            if let ge = head.range(of: ">=") {
                lower = try expression(head[ge.upperBound...], line, column: line.contentColumn + head.distance(from: head.startIndex, to: ge.upperBound))
                head = head[..<ge.lowerBound]
            }
            let signature = head.trimmingWhitespace
            var name = signature
            var arguments: [String] = []
            if let open = signature.firstIndex(of: "("), signature.hasSuffix(")") {
                name = String(signature[..<open])
                arguments = signature[signature.index(after: open)..<signature.index(before: signature.endIndex)]
                    .split(separator: ",").map { $0.trimmingWhitespace }
            }
            guard TheoryParser.isIdentifier(name), arguments.allSatisfy(TheoryParser.isIdentifier) else {
                throw error("a quantity line reads 'Name(args) >= bound \"meaning\"', e.g. 'Cover(delta) >= 1 \"covering number\"'", line)
            }
            file.quantities.append(Quantity(name: name, arguments: arguments, lowerBound: lower, independentOf: independent, meaning: meaning.map { Prose(markup: $0) },
                                            location: location(line, column: line.contentColumn)))
        }
    }

    func parseDefinition(_ rest: Substring, _ line: Line, column: Int) throws -> Definition {
        let (body, meaning) = try splitMeaning(rest, line, column: column)
        guard let eq = body.firstIndex(of: "=") else { throw error("a definition reads 'define NAME = expression'", line, column: column) }
        let name = body[..<eq].trimmingWhitespace
        guard TheoryParser.isIdentifier(name) else { throw error("'\(name)' is not a symbol name", line, column: column) }
        let valueStart = body.index(after: eq)
        let value = try expression(body[valueStart...], line, column: column + body.distance(from: body.startIndex, to: valueStart))
        return Definition(name: name, value: value, meaning: meaning.map { Prose(markup: $0) }, location: location(line, column: column))
    }

    /// `ID "name" [tag]`
    func parseHeader(_ rest: Substring, _ line: Line, column: Int, what: String) throws -> (String, String, LemmaTag?) {
        let id = rest.prefix { !($0 == " " || $0 == "\t") }
        guard TheoryParser.isIdentifier(String(id)) else {
            throw error("\(what) needs an id first, like '\(what) P3 \"MoE cover\" [paper]'", line, column: column)
        }
        word(id, line, column: column)
        let afterId = rest.dropFirst(id.count).drop { $0 == " " }
        let nameColumn = column + rest.distance(from: rest.startIndex, to: afterId.startIndex)
        let (name, afterName) = try quoted(afterId, line, column: nameColumn)
        var tag: LemmaTag? = nil
        if !afterName.isEmpty {
            guard afterName.hasPrefix("["), afterName.hasSuffix("]") else {
                throw error("expected a tag in brackets, [paper], [standard], [derived] or [alternative]", line)
            }
            let word = afterName.dropFirst().dropLast().trimmingWhitespace
            guard let t = LemmaTag(rawValue: word) else {
                let hint = Suggestions.didYouMean(word, among: LemmaTag.allCases.map(\.rawValue))
                let tagColumn = column + rest.distance(from: rest.startIndex, to: afterName.startIndex) + 1
                    + afterName.dropFirst().prefix { $0 == " " || $0 == "\t" }.count
                throw error("unknown tag '\(word)'" + (hint.isEmpty ? "; use paper, standard, derived or alternative" : hint), line, column: tagColumn)
            }
            tag = t
        }
        return (String(id), name, tag)
    }

    mutating func parseLemma(kind: LemmaKind, header: Substring, _ headerLine: Line, column: Int) throws -> Lemma {
        let (id, name, tag) = try parseHeader(header, headerLine, column: column, what: kind.rawValue)
        guard let tag else { throw error("\(kind.rawValue) \(id) needs a tag: [paper], [standard], [derived] or [alternative]", headerLine) }
        var lemma = Lemma(id: id, name: Prose(markup: name), kind: kind, tag: tag, source: "", note: nil, hypotheses: [],
                          statement: Relation(lhs: .zero, op: .equal, rhs: .zero), statementLocation: location(headerLine, column: 1),
                          path: nil, termNames: [], replaces: nil, proof: nil, location: location(headerLine, column: 1))
        var hasStatement = false
        var hasSource = false
        let lines = body()
        lemma.lastLine = lines.last?.number ?? headerLine.number
        for line in lines {
            let (keyword, rest, restColumn) = TheoryParser.splitKeyword(line.content, column: line.contentColumn)
            switch keyword {
            case "source": lemma.source = Prose(markup: try quoted(rest, line, column: restColumn).0); hasSource = true
            case "note": lemma.note = Prose(markup: try quoted(rest, line, column: restColumn).0)
            case "if": lemma.hypotheses.append((try relation(rest, line, column: restColumn), location(line, column: restColumn)))
            case "as": lemma.path = try parsePath(rest, line, column: restColumn)
            case "replaces":
                lemma.replaces = rest.trimmingWhitespace
                word(rest.trimmingWhitespace, line, column: restColumn)
            case "terms": lemma.termNames = try parseNamedList(rest, line, column: restColumn)
            default:
                if hasStatement { throw error("\(id) already has a statement; one relation per lemma (use 'if' for hypotheses)", line) }
                do {
                    lemma.statement = try relation(line.content, line, column: line.contentColumn)
                } catch let e as ParseError {
                    // `sourc "..."` is read as a statement: name the keyword it is close to.
                    let hint = Suggestions.didYouMean(keyword, among: TheoryParser.lemmaKeywords)
                    guard !hint.isEmpty else { throw e }
                    throw ParseError(location: location(line, column: line.contentColumn), message: "'\(keyword)' is not a keyword of a \(kind.rawValue)\(hint) (read as a statement: \(e.message))")
                }
                lemma.statementLocation = location(line, column: line.contentColumn)
                hasStatement = true
            }
        }
        if !hasStatement { throw error("\(kind.rawValue) \(id) has no statement", headerLine) }
        if !hasSource { throw error("\(kind.rawValue) \(id) has no source line; every lemma says where it comes from", headerLine) }
        if kind == .lowerBound, ![.greaterEqual, .asymptoticGreaterEqual, .greater].contains(lemma.statement.op) {
            throw TheoryError("a lower bound must read 'quantity >~ rate' (or >=)", at: lemma.statementLocation)
        }
        return lemma
    }

    /// `as n -> oo [with a = x, b = y]`
    func parsePath(_ full: Substring, _ line: Line, column: Int) throws -> PathSpec {
        var rest = full
        var fixed: [String] = []
        if let r = full.range(of: " fixed ") {
            fixed = nameList(full[r.upperBound...], line, column: column + full.distance(from: full.startIndex, to: r.upperBound)).filter { !$0.isEmpty }
            rest = full[..<r.lowerBound]
        }
        var head = rest
        var substitutions: [(String, Expr)] = []
        if let with = rest.range(of: " with ") {
            head = rest[..<with.lowerBound]
            substitutions = try parseNamedList(rest[with.upperBound...], line, column: column + rest.distance(from: rest.startIndex, to: with.upperBound))
        }
        let parts = head.replacingOccurrences(of: "→", with: "->").components(separatedBy: "->")
        guard parts.count == 2, ["oo", "∞", "infinity"].contains(parts[1].trimmingWhitespace), TheoryParser.isIdentifier(parts[0].trimmingWhitespace) else {
            throw error("a path reads 'as n -> oo' (optionally 'with N_eff = n^theta')", line, column: column)
        }
        word(parts[0].trimmingWhitespace, line, column: column + parts[0].prefix { $0 == " " || $0 == "\t" }.count)
        return PathSpec(growing: parts[0].trimmingWhitespace, substitutions: substitutions, fixed: fixed, location: location(line, column: column))
    }

    /// `a = expr, b = expr` (commas inside parentheses do not split).
    func parseNamedList(_ s: Substring, _ line: Line, column: Int) throws -> [(String, Expr)] {
        var result: [(String, Expr)] = []
        for (piece, offset) in TheoryParser.splitTopLevel(s, separator: ",") {
            guard let eq = piece.firstIndex(of: "=") else { throw error("expected 'name = expression'", line, column: column + offset) }
            let name = piece[..<eq].trimmingWhitespace
            guard TheoryParser.isIdentifier(name) else { throw error("'\(name)' is not a name", line, column: column + offset) }
            word(name, line, column: column + offset + piece.prefix { $0 == " " || $0 == "\t" }.count)
            let valueStart = piece.index(after: eq)
            let value = try expression(piece[valueStart...], line, column: column + offset + piece.distance(from: piece.startIndex, to: valueStart))
            result.append((name, value))
        }
        return result
    }

    /// `A = 1, B = 406.4`: each name and value with where they are written (the values of a law).
    func parseValueList(_ s: Substring, _ line: Line, column: Int) throws -> [ExampleValue] {
        var result: [ExampleValue] = []
        for (piece, offset) in TheoryParser.splitTopLevel(s, separator: ",") {
            guard let eq = piece.firstIndex(of: "=") else { throw error("expected 'name = value', e.g. 'values E = 1.69, A = 406.4'", line, column: column + offset) }
            let name = piece[..<eq].trimmingWhitespace
            let nameColumn = column + offset + piece.prefix { $0 == " " || $0 == "\t" }.count
            guard TheoryParser.isIdentifier(name) else { throw error("'\(name)' is not a name", line, column: column + offset) }
            word(name, line, column: nameColumn)
            let valueText = piece[piece.index(after: eq)...]
            let valueColumn = column + offset + piece.distance(from: piece.startIndex, to: valueText.startIndex)
            let leading = valueText.prefix { $0 == " " || $0 == "\t" }.count
            let value = try expression(valueText, line, column: valueColumn)
            result.append(ExampleValue(name: name, expression: value, location: location(line, column: nameColumn),
                                       valueLocation: location(line, column: valueColumn + leading),
                                       text: valueText.dropFirst(leading).trimmingWhitespace))
        }
        return result
    }

    /// `E = 1, 2, 4, 8`: a symbol and the values it takes, one row each.
    func parseTabulation(_ s: Substring, _ line: Line, column: Int) throws -> LawTabulation {
        guard let eq = s.firstIndex(of: "=") else {
            throw error("a table reads 'tabulate SYMBOL = v1, v2, ...', e.g. 'tabulate E = 1, 2, 4, 8'", line, column: column)
        }
        let name = s[..<eq].trimmingWhitespace
        let nameColumn = column + s.prefix { $0 == " " || $0 == "\t" }.count
        guard TheoryParser.isIdentifier(name) else {
            throw error(name.isEmpty ? "expected the symbol to tabulate before '='" : "'\(name)' is not a symbol name", line, column: nameColumn)
        }
        word(name, line, column: nameColumn)
        let list = s[s.index(after: eq)...]
        let listColumn = column + s.distance(from: s.startIndex, to: list.startIndex)
        var rows: [ExampleValue] = []
        for (piece, offset) in TheoryParser.splitTopLevel(list, separator: ",") {
            let leading = piece.prefix { $0 == " " || $0 == "\t" }.count
            if piece.trimmingWhitespace.isEmpty { throw error("expected a value", line, column: listColumn + offset + leading) }
            let value = try expression(piece, line, column: listColumn + offset)
            rows.append(ExampleValue(name: name, expression: value, location: location(line, column: nameColumn),
                                     valueLocation: location(line, column: listColumn + offset + leading), text: piece.trimmingWhitespace))
        }
        if rows.isEmpty { throw error("tabulate \(name) lists no values", line, column: nameColumn) }
        return LawTabulation(symbol: name, rows: rows, location: location(line, column: nameColumn))
    }

    static func splitTopLevel(_ s: Substring, separator: Character) -> [(Substring, Int)] {
        var pieces: [(Substring, Int)] = []
        var depth = 0
        var start = s.startIndex
        var offset = 0
        var startOffset = 0
        for i in s.indices {
            let c = s[i]
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1 }
            if c == separator && depth == 0 {
                pieces.append((s[start..<i], startOffset))
                start = s.index(after: i)
                startOffset = offset + 1
            }
            offset += 1
        }
        pieces.append((s[start...], startOffset))
        return pieces
    }

    mutating func parseProof(statement: Relation) throws -> Proof {
        let proofLine = lines[index]
        index += 1
        var steps: [ProofStep] = []
        var start: Expr? = nil
        var closed = false
        while index < lines.count {
            let line = lines[index]
            index += 1
            if !line.isIndented && line.content == "qed" { closed = true; break }
            if !line.isIndented, case let (keyword, _, _) = TheoryParser.splitKeyword(line.content, column: 1),
               TheoryParser.blockKeywords.contains(keyword) {
                throw error("the proof is not closed: 'qed' is missing before '\(keyword)' at line \(line.number)", proofLine)
            }
            guard let by = TheoryParser.lastTopLevel(line.content, " by ") else {
                throw error("a proof step ends with 'by <lemma>', 'by algebra', 'by monotonicity', 'by asymptotics' or 'by definition'", line)
            }
            let claim = line.content[..<by.lowerBound]
            let justificationText = line.content[by.upperBound...]
            let justificationColumn = line.contentColumn + line.content.distance(from: line.content.startIndex, to: by.upperBound)
            let justification = try parseJustification(justificationText, line, column: justificationColumn)
            let justificationLocation = location(line, column: justificationColumn + justificationText.prefix { $0 == " " || $0 == "\t" }.count)
            // The first step states its left side; later steps start with the relation.
            let pieces = Assumptions.splitRelations(claim, column: line.contentColumn)
            if start == nil {
                guard pieces.count == 2, let op = pieces[1].operatorBefore else {
                    throw error("the first proof step reads 'lhs <= rhs by ...'", line)
                }
                start = try expression(pieces[0].text, line, column: pieces[0].column)
                steps.append(ProofStep(op: op, rhs: try expression(pieces[1].text, line, column: pieces[1].column),
                                       justification: justification, location: location(line, column: line.contentColumn),
                                       justificationLocation: justificationLocation))
            } else {
                guard pieces.count == 2, pieces[0].text.trimmingWhitespace.isEmpty, let op = pieces[1].operatorBefore else {
                    throw error("a continued proof step reads '<= rhs by ...' (a relation, then the new right side)", line)
                }
                steps.append(ProofStep(op: op, rhs: try expression(pieces[1].text, line, column: pieces[1].column),
                                       justification: justification, location: location(line, column: line.contentColumn),
                                       justificationLocation: justificationLocation))
            }
        }
        if !closed { throw error("the proof is not closed: 'qed' is missing", proofLine) }
        guard let start, !steps.isEmpty else { throw error("the proof has no steps", proofLine) }
        return Proof(start: start, steps: steps, location: location(proofLine, column: 1))
    }

    static func lastTopLevel(_ s: Substring, _ needle: String) -> Range<Substring.Index>? {
        var found: Range<Substring.Index>? = nil
        var searchStart = s.startIndex
        while let r = s.range(of: needle, range: searchStart..<s.endIndex) {
            found = r
            searchStart = r.upperBound
        }
        return found
    }

    func parseJustification(_ s: Substring, _ line: Line, column: Int) throws -> Justification {
        let text = s.trimmingWhitespace
        switch text {
        case "algebra": return .algebra
        case "monotonicity": return .monotonicity
        case "asymptotics": return .asymptotics
        case "definition": return .definition
        default: break
        }
        var id = Substring(text)
        var bindings: [String: Expr] = [:]
        let leading = s.prefix { $0 == " " || $0 == "\t" }.count
        if let open = text.firstIndex(of: "[") {
            id = text[..<open].trimmingWhitespace[...]
            guard text.hasSuffix("]") else {
                throw error("a substitution reads '[x := expression, ...]'", line, column: column + leading + text.distance(from: text.startIndex, to: open))
            }
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            let innerColumn = column + leading + text.distance(from: text.startIndex, to: open) + 1
            for (piece, offset) in TheoryParser.splitTopLevel(inner, separator: ",") {
                guard let assign = piece.range(of: ":=") else { throw error("a substitution reads 'x := expression'", line, column: innerColumn + offset) }
                let name = piece[..<assign.lowerBound].trimmingWhitespace
                guard TheoryParser.isIdentifier(name) else { throw error("'\(name)' is not a symbol name", line, column: innerColumn + offset) }
                let nameColumn = innerColumn + offset + piece.prefix { $0 == " " || $0 == "\t" }.count
                word(name, line, column: nameColumn)
                let valueColumn = innerColumn + offset + piece.distance(from: piece.startIndex, to: assign.upperBound)
                if bindings[name] != nil {
                    throw error("'\(name)' is substituted twice", line, column: nameColumn)
                }
                bindings[name] = try expression(piece[assign.upperBound...], line, column: valueColumn)
            }
        }
        guard TheoryParser.isIdentifier(String(id)) else {
            throw error("'by \(text)': expected a lemma id or one of algebra, monotonicity, asymptotics, definition", line, column: column + leading)
        }
        word(id, line, column: column + leading)
        return .lemma(String(id), bindings)
    }

    mutating func parseRecipe(_ rest: Substring, _ headerLine: Line, column: Int) throws -> Recipe {
        let (id, name, _) = try parseHeader(rest, headerLine, column: column, what: "derive")
        var recipe = Recipe(id: id, name: Prose(markup: name), start: .zero, steps: [], path: nil, location: location(headerLine, column: 1))
        var hasStart = false
        let lines = body()
        recipe.lastLine = lines.last?.number ?? headerLine.number
        for line in lines {
            let (keyword, rest, restColumn) = TheoryParser.splitKeyword(line.content, column: line.contentColumn)
            switch keyword {
            case "start":
                recipe.start = try expression(rest, line, column: restColumn)
                recipe.startLocation = location(line, column: restColumn)
                hasStart = true
            case "as": recipe.path = try parsePath(rest, line, column: restColumn)
            case "by":
                switch try parseJustification(rest, line, column: restColumn) {
                case .lemma(let lemma, let bindings): recipe.steps.append(.lemma(lemma, bindings, location(line, column: restColumn)))
                case .asymptotics: recipe.steps.append(.asymptotics(location(line, column: restColumn)))
                case .algebra: recipe.steps.append(.algebra(location(line, column: restColumn)))
                default: throw error("a derivation step is 'by <lemma>', 'by asymptotics' or 'by algebra'", line, column: restColumn)
                }
            default: throw error("unknown line in derive \(id)" + TheoryParser.expected(keyword, ["start", "as", "by"]), line)
            }
        }
        if !hasStart { throw error("derive \(id) needs a 'start' line", headerLine) }
        return recipe
    }

    mutating func parseLaw(_ rest: Substring, _ headerLine: Line, column: Int) throws -> Law {
        let (id, name, tag) = try parseHeader(rest, headerLine, column: column, what: "law")
        var law = Law(id: id, name: Prose(markup: name), tag: tag, source: nil, bound: "", limits: [], path: nil, mode: .growth, irreducible: [],
                      closedForm: nil, values: [], replaces: nil, location: location(headerLine, column: 1))
        let lines = body()
        law.lastLine = lines.last?.number ?? headerLine.number
        for line in lines {
            let (keyword, rest, restColumn) = TheoryParser.splitKeyword(line.content, column: line.contentColumn)
            switch keyword {
            case "bound":
                law.bound = rest.trimmingWhitespace
                word(law.bound, line, column: restColumn)
            case "source": law.source = Prose(markup: try quoted(rest, line, column: restColumn).0)
            case "replaces":
                law.replaces = rest.trimmingWhitespace
                word(rest.trimmingWhitespace, line, column: restColumn)
            case "limit": law.limits.append(try parsePath(rest, line, column: restColumn).growing)
            case "as": law.path = try parsePath(rest, line, column: restColumn)
            case "minimize": law.mode = .minimize(nameList(rest, line, column: restColumn).filter { !$0.isEmpty })
            case "irreducible":
                // Names (E) or whole terms constant along the path (c/(1 - S)^lambda), each parsed where it is written.
                law.irreducible = nameList(rest, line, column: restColumn).filter { !$0.isEmpty }
                for (piece, offset) in TheoryParser.splitTopLevel(rest, separator: ",") where !piece.trimmingWhitespace.isEmpty {
                    _ = try expression(piece, line, column: restColumn + offset)
                }
            case "closed":
                guard rest.hasPrefix("form ") else { throw error("write 'closed form <variable>'", line) }
                let variable = rest.dropFirst(5)
                law.closedForm = variable.trimmingWhitespace
                word(variable.trimmingWhitespace, line, column: restColumn + 5 + variable.prefix { $0 == " " || $0 == "\t" }.count)
                law.closedFormLocation = location(line, column: restColumn + 5 + variable.prefix { $0 == " " || $0 == "\t" }.count)
            case "values":
                let entries = try parseValueList(rest, line, column: restColumn)
                for e in entries {
                    if let first = (law.valueLines + entries).first(where: { $0.name == e.name }), first.location != e.location {
                        throw TheoryError("\(e.name) is given twice in the values of law \(id) (first at \(first.location))", at: e.location)
                    }
                }
                law.valueLines += entries
                law.values += entries.map { ($0.name, $0.expression) }
            case "tabulate":
                let table = try parseTabulation(rest, line, column: restColumn)
                if let first = law.tabulations.first(where: { $0.symbol == table.symbol }) {
                    throw TheoryError("law \(id) tabulates \(table.symbol) twice (first at \(first.location))", at: table.location)
                }
                law.tabulations.append(table)
            case "budget":
                var text = rest
                var over: [String]? = nil
                if let r = rest.range(of: " over ") {
                    over = nameList(rest[r.upperBound...], line, column: restColumn + rest.distance(from: rest.startIndex, to: r.upperBound)).filter { !$0.isEmpty }
                    text = rest[..<r.lowerBound]
                }
                let relation = try self.relation(text, line, column: restColumn)
                guard relation.op == .equal, case .symbol(let total) = relation.lhs.shape else {
                    throw error("a budget reads 'budget C = N_eff*n'", line, column: restColumn)
                }
                law.mode = .budget(total, relation.rhs, over)
            default: throw error("unknown line in law \(id)" + TheoryParser.expected(keyword, ["bound", "limit", "as", "minimize", "budget", "irreducible", "closed form", "values", "tabulate", "source", "replaces"]), line)
            }
        }
        if law.bound.isEmpty { throw error("law \(id) needs a 'bound <derive id>' line", headerLine) }
        return law
    }

    mutating func parseSpecialization(_ rest: Substring, _ headerLine: Line, column: Int) throws -> Specialization {
        let (id, name, _) = try parseHeader(rest, headerLine, column: column, what: "specialize")
        var s = Specialization(id: id, name: Prose(markup: name), source: "", settings: [], location: location(headerLine, column: 1))
        let lines = body()
        s.lastLine = lines.last?.number ?? headerLine.number
        for line in lines {
            let (keyword, rest, restColumn) = TheoryParser.splitKeyword(line.content, column: line.contentColumn)
            switch keyword {
            case "source": s.source = Prose(markup: try quoted(rest, line, column: restColumn).0)
            case "set": s.settings += try parseNamedList(rest, line, column: restColumn)
            default: throw error("unknown line in specialize \(id)" + TheoryParser.expected(keyword, ["source", "set"]), line)
            }
        }
        if s.settings.isEmpty { throw error("specialize \(id) sets nothing", headerLine) }
        return s
    }

    /// `example "NAME"`, then `source "..."`, an optional `note "..."`, and one `symbol = value` per line. The values
    /// are checked against the symbols' domains when the theory is loaded (`Theory.checkExamples`).
    mutating func parseExample(_ rest: Substring, _ headerLine: Line, column: Int) throws -> ExampleConfiguration {
        guard rest.first == "\"" else {
            throw error("an example needs a quoted name, like 'example \"Mixtral 8x7B\"'", headerLine, column: column)
        }
        let (name, after) = try quoted(rest, headerLine, column: column)
        if !after.isEmpty {
            throw error("unexpected text after the example's name", headerLine, column: column + rest.distance(from: rest.startIndex, to: after.startIndex))
        }
        let title = name.trimmingWhitespace
        guard !title.isEmpty else { throw error("the example's name is empty", headerLine, column: column) }
        var example = ExampleConfiguration(name: title, source: "", values: [], location: location(headerLine, column: 1))
        var hasSource = false
        for line in body() {
            let (keyword, rest, restColumn) = TheoryParser.splitKeyword(line.content, column: line.contentColumn)
            if (keyword == "source" || keyword == "note") && !rest.hasPrefix("=") {
                let text = try quoted(rest, line, column: restColumn)
                if !text.1.isEmpty {
                    throw error("unexpected text after the quoted \(keyword)", line, column: restColumn + rest.distance(from: rest.startIndex, to: text.1.startIndex))
                }
                if keyword == "source" {
                    if hasSource { throw error("example \"\(title)\" has two source lines", line) }
                    example.source = Prose(markup: text.0)
                    hasSource = true
                } else {
                    example.note = Prose(markup: text.0)
                }
                continue
            }
            let content = line.content
            guard let eq = content.firstIndex(of: "=") else {
                throw error("expected 'symbol = value' (or a source or note line) in example \"\(title)\"", line)
            }
            let lhs = content[..<eq].trimmingWhitespace
            let afterEq = content[content.index(after: eq)...]
            if let last = content[..<eq].last, "<>!~".contains(last) {
                throw error("an example sets values ('k = 2'), it does not state relations", line, column: line.contentColumn + content.distance(from: content.startIndex, to: eq) - 1)
            }
            if afterEq.first == "=" {
                throw error("write 'symbol = value' with a single '='", line, column: line.contentColumn + content.distance(from: content.startIndex, to: eq))
            }
            guard TheoryParser.isIdentifier(lhs) else {
                throw error(lhs.isEmpty ? "expected a symbol name before '='" : "'\(lhs)' is not a symbol name", line)
            }
            if let first = example.values.first(where: { $0.name == lhs }) {
                throw error("\(lhs) is set twice in example \"\(title)\" (first at \(first.location))", line)
            }
            let valueOffset = content.distance(from: content.startIndex, to: afterEq.startIndex)
            let valueColumn = line.contentColumn + valueOffset
            let leading = afterEq.prefix { $0 == " " || $0 == "\t" }.count
            let value = try expression(afterEq, line, column: valueColumn)
            example.values.append(ExampleValue(name: lhs, expression: value, location: location(line, column: line.contentColumn),
                                               valueLocation: location(line, column: valueColumn + leading),
                                               text: String(afterEq.dropFirst(leading))))
        }
        if !hasSource {
            throw error("example \"\(title)\" has no source line; every example says where its numbers come from", headerLine)
        }
        if example.values.isEmpty { throw error("example \"\(title)\" sets no symbol", headerLine) }
        return example
    }

    static let blockKeywords = ["import", "symbols", "quantities", "assume", "define", "lemma", "theorem", "lowerbound", "derive", "law", "specialize", "example", "proof", "qed"]
    static let lemmaKeywords = ["source", "note", "if", "as", "replaces", "terms"]

    /// "; did you mean 'minimize'?" when `keyword` is close to one of `keywords`, else "; expected a, b or c".
    static func expected(_ keyword: String, _ keywords: [String]) -> String {
        let hint = Suggestions.didYouMean(keyword, among: keywords.map { String($0.split(separator: " ")[0]) })
        if !hint.isEmpty { return hint }
        return "; expected " + keywords.dropLast().joined(separator: ", ") + " or " + keywords.last!
    }

    static func isIdentifier<S: StringProtocol>(_ s: S) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

