import Foundation

/// A JSON value with its exact type (JSONSerialization reads `true` and `1` alike on some platforms).
indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A small strict parser for the documents the tests read (RFC 8259, no extensions).
    static func parse(_ text: String) throws -> JSONValue {
        var parser = Parser(Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.i == parser.s.count else { throw parser.error("text after the value") }
        return value
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }

        func error(_ message: String) -> ParseError { ParseError(description: "JSON: \(message) at \(i)") }

        mutating func skipSpace() {
            while i < s.count, [" ", "\n", "\r", "\t"].contains(s[i]) { i += 1 }
        }

        mutating func expect(_ word: String) throws {
            for c in word.unicodeScalars {
                guard i < s.count, s[i] == c else { throw error("expected \(word)") }
                i += 1
            }
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard i < s.count else { throw error("unexpected end") }
            switch s[i] {
            case "{":
                i += 1
                var members: [String: JSONValue] = [:]
                skipSpace()
                if i < s.count, s[i] == "}" { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw error("a key must be a string") }
                    skipSpace()
                    try expect(":")
                    guard members[key] == nil else { throw error("duplicate key \(key)") }
                    members[key] = try value()
                    skipSpace()
                    guard i < s.count else { throw error("unterminated object") }
                    if s[i] == "," { i += 1; continue }
                    if s[i] == "}" { i += 1; return .object(members) }
                    throw error("expected , or }")
                }
            case "[":
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < s.count, s[i] == "]" { i += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    guard i < s.count else { throw error("unterminated array") }
                    if s[i] == "," { i += 1; continue }
                    if s[i] == "]" { i += 1; return .array(items) }
                    throw error("expected , or ]")
                }
            case "\"":
                i += 1
                var out = String.UnicodeScalarView()
                while true {
                    guard i < s.count else { throw error("unterminated string") }
                    let c = s[i]
                    i += 1
                    if c == "\"" { return .string(String(out)) }
                    guard c == "\\" else { out.append(c); continue }
                    guard i < s.count else { throw error("unterminated escape") }
                    let e = s[i]
                    i += 1
                    switch e {
                    case "\"", "\\", "/": out.append(e)
                    case "b": out.append("\u{8}")
                    case "f": out.append("\u{C}")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            try expect("\\u")
                            code = 0x10000 + ((code - 0xD800) << 10) + (try hex4() - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("bad \\u escape") }
                        out.append(scalar)
                    default: throw error("bad escape")
                    }
                }
            case "t": try expect("true"); return .bool(true)
            case "f": try expect("false"); return .bool(false)
            case "n": try expect("null"); return .null
            default:
                let start = i
                while i < s.count, "+-0123456789.eE".unicodeScalars.contains(s[i]) { i += 1 }
                guard i > start, let v = Double(String(String.UnicodeScalarView(s[start..<i]))) else { throw error("expected a value") }
                return .number(v)
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16) else { throw error("bad \\u escape") }
            i += 4
            return v
        }
    }
}

/// A validator for the subset of JSON Schema (2020-12) that `derive.schema.json` uses: `type` (one or a list),
/// `properties`, `required`, `additionalProperties` (a boolean or a schema), `items`, `enum`, `const`, `oneOf`,
/// local `$ref`s into `$defs`, and `format` as an annotation: every string validated against a schema with a
/// `format` is reported with its location, so a test can check the format itself (parse the expressions back).
struct JSONSchemaValidator {
    let root: JSONValue

    struct Annotated {
        var path: String
        var format: String
        var value: String
    }

    /// The errors (empty: valid), and the formatted strings met.
    func validate(_ instance: JSONValue) -> (errors: [String], formatted: [Annotated]) {
        var formatted: [Annotated] = []
        let errors = check(instance, root, path: "", formatted: &formatted)
        return (errors, formatted)
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard case .object(let o) = node, let next = o[String(part)] else { return nil }
            node = next
        }
        return node
    }

    private static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let d): return d == d.rounded() ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private func check(_ v: JSONValue, _ schema: JSONValue, path: String, formatted: inout [Annotated]) -> [String] {
        if case .bool(let b) = schema { return b ? [] : ["\(path): no value is allowed here"] }
        guard case .object(let s) = schema else { return ["\(path): the schema is not an object"] }
        var errors: [String] = []
        if case .string(let ref)? = s["$ref"] {
            guard let target = resolve(ref) else { return ["\(path): unresolved $ref \(ref)"] }
            errors += check(v, target, path: path, formatted: &formatted)
        }
        if let t = s["type"] {
            let allowed: [String]
            switch t {
            case .string(let one): allowed = [one]
            case .array(let many): allowed = many.compactMap { if case .string(let x) = $0 { return x } else { return nil } }
            default: allowed = []
            }
            let actual = JSONSchemaValidator.typeName(v)
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok { return errors + ["\(path): \(actual), expected \(allowed.joined(separator: " or "))"] }
        }
        if let c = s["const"], c != v { errors.append("\(path): expected the constant \(c)") }
        if case .array(let options)? = s["enum"], !options.contains(v) { errors.append("\(path): \(v) is not one of the allowed values") }
        if case .string(let format)? = s["format"], case .string(let text) = v {
            formatted.append(Annotated(path: path, format: format, value: text))
        }
        if case .array(let choices)? = s["oneOf"] {
            var matches = 0
            var matchedAnnotations: [Annotated] = []
            var reasons: [String] = []
            for choice in choices {
                var inner: [Annotated] = []
                let e = check(v, choice, path: path, formatted: &inner)
                if e.isEmpty { matches += 1; matchedAnnotations = inner } else { reasons.append(e.joined(separator: "; ")) }
            }
            if matches == 1 { formatted += matchedAnnotations } else {
                errors.append("\(path): matches \(matches) of the oneOf choices, not exactly one (\(reasons.joined(separator: " | ")))")
            }
        }
        if case .object(let members) = v {
            let properties: [String: JSONValue]
            if case .object(let p)? = s["properties"] { properties = p } else { properties = [:] }
            if case .array(let required)? = s["required"] {
                for case .string(let name) in required where members[name] == nil { errors.append("\(path): missing \(name)") }
            }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if let p = properties[key] {
                    errors += check(value, p, path: "\(path)/\(key)", formatted: &formatted)
                } else if let extra = s["additionalProperties"] {
                    errors += check(value, extra, path: "\(path)/\(key)", formatted: &formatted)
                }
            }
        }
        if case .array(let items) = v, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() { errors += check(item, itemSchema, path: "\(path)/\(i)", formatted: &formatted) }
        }
        return errors
    }
}
