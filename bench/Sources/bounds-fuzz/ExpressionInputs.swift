import Foundation
import Symbolic

/// Expr text: a grammar-aware generator of valid inputs, and the mutations that break them.
enum ExpressionInputs {
    static let symbols = ["x", "y", "z", "n", "k", "M", "d", "D", "beta", "N_eff", "L_T", "ell", "delta", "eps", "theta",
                          "β", "δ", "ℓ", "ε", "θ", "α_1", "x2", "_t", "Pi_exp", "d_model", "a", "b"]
    static let numbers = ["0", "1", "2", "3", "7", "10", "17", "0.5", ".5", "3.25", "1e3", "2.5E-2", "1e+2", "007",
                          "123456789012345678901234567890", "0.0001", "1.0", "9223372036854775807", "9223372036854775808",
                          "18446744073709551616", "1e-30", "6.02e23"]
    static let unary = ["log", "ln", "exp", "sqrt"]
    static let quantities = ["Cover", "Cover_pi", "Risk", "F", "Patterns"]
    static let binaryOps = [" + ", "+", " - ", "-", "*", " * ", "/", " / ", "^", "**", "·", "×", " − ", "⋅"]
    static let relations = ["<=", "<", "=", ">=", ">", "<~", ">~", "~", "≤", "≥", "≲", "≳", "≍", "⩽", "⩾", "==", "=<", "!=", "<>"]
    static let whitespace = ["", "", "", " ", "  ", "\t", "\n", "\r\n", "\u{00A0}", "\u{2003}"]

    /// A syntactically valid expression (most of the time: a few deliberate arity slips).
    static func expression(_ rng: inout FuzzRNG, depth: Int = 0) -> String {
        let maxDepth = 5
        let kind = depth >= maxDepth ? rng.below(3) : rng.weighted([4, 4, 1, 2, 6, 3, 1, 1, 2, 1])
        switch kind {
        case 0: return rng.pick(numbers)
        case 1: return rng.pick(symbols)
        case 2: return rng.pick(["e", "pi", "π"])
        case 3: return rng.pick(["-", "+", "−"]) + expression(&rng, depth: depth + 1)
        case 4:
            let a = operand(&rng, depth: depth), b = operand(&rng, depth: depth)
            return a + rng.pick(binaryOps) + b
        case 5:
            let f = rng.pick(unary)
            return f + "(" + expression(&rng, depth: depth + 1) + ")"
        case 6:
            let f = rng.pick(["min", "max"])
            let n = rng.int(1...4)
            return f + "(" + (0..<n).map { _ in expression(&rng, depth: depth + 1) }.joined(separator: rng.pick([", ", ","])) + ")"
        case 7:
            return "binom(" + expression(&rng, depth: depth + 1) + ", " + expression(&rng, depth: depth + 1) + ")"
        case 8:
            let q = rng.pick(quantities)
            let n = rng.int(1...2)
            return q + "(" + (0..<n).map { _ in expression(&rng, depth: depth + 1) }.joined(separator: ", ") + ")"
        default:
            return "(" + rng.pick(whitespace) + expression(&rng, depth: depth + 1) + rng.pick(whitespace) + ")"
        }
    }

    private static func operand(_ rng: inout FuzzRNG, depth: Int) -> String {
        let e = expression(&rng, depth: depth + 1)
        return rng.chance(0.3) ? "(" + e + ")" : e
    }

    static func relation(_ rng: inout FuzzRNG) -> String {
        expression(&rng) + rng.pick(whitespace) + rng.pick(relations) + rng.pick(whitespace) + expression(&rng)
    }

    /// Characters for purely random input: the language's own alphabet plus hostile extras.
    static let alphabet: [String] = Array("abcxyzn_019.eE+-*/^(),<=>~ \t\n").map(String.init)
        + ["β", "≤", "≥", "≲", "−", "·", "×", "\u{0}", "\u{7F}", "\u{301}", "\u{200B}", "\u{FEFF}", "\u{202E}", "😀", "１", "²",
           "٣", "ⅷ", "\r", "\r\n", "\"", "#", "[", "]", ":=", "log(", "min(", "binom(", "Cover(", "e", "pi", "**"]

    static func randomText(_ rng: inout FuzzRNG) -> String {
        let n = rng.int(0...120)
        var s = ""
        for _ in 0..<n { s += rng.pick(alphabet) }
        return s
    }

    // MARK: Mutations

    enum Mutation: String, CaseIterable {
        case byteFlip, tokenInsert, tokenDelete, tokenDuplicate, repeatSpan, deepNesting, hugeNumber, unicode, truncate,
             swapRelation, splice, whitespace
    }

    /// Applies 1-4 random mutations; returns the text and their names.
    static func mutate(_ text: String, _ rng: inout FuzzRNG) -> (String, [Mutation]) {
        var s = text
        var applied: [Mutation] = []
        for _ in 0..<rng.int(1...4) {
            let m = Mutation.allCases[rng.weighted([8, 8, 8, 6, 3, 3, 4, 6, 5, 5, 3, 3])]
            s = apply(m, to: s, &rng)
            applied.append(m)
        }
        return (s, applied)
    }

    static func apply(_ m: Mutation, to s: String, _ rng: inout FuzzRNG) -> String {
        switch m {
        case .byteFlip:
            var bytes = Array(s.utf8)
            guard !bytes.isEmpty else { return s }
            for _ in 0..<rng.int(1...3) {
                let i = rng.below(bytes.count)
                bytes[i] ^= UInt8(1 << rng.below(8))
            }
            return String(decoding: bytes, as: UTF8.self)
        case .tokenInsert:
            var t = tokens(s)
            t.insert(randomToken(&rng), at: rng.below(t.count + 1))
            return t.joined()
        case .tokenDelete:
            var t = tokens(s)
            guard !t.isEmpty else { return s }
            t.remove(at: rng.below(t.count))
            return t.joined()
        case .tokenDuplicate:
            var t = tokens(s)
            guard !t.isEmpty else { return s }
            let i = rng.below(t.count)
            t.insert(t[i], at: i)
            return t.joined()
        case .repeatSpan:
            let t = tokens(s)
            guard !t.isEmpty else { return s }
            let i = rng.below(t.count), j = min(t.count, i + rng.int(1...6))
            let span = t[i..<j].joined()
            // Long, not absurd: the timing contract is about work per input of ordinary size (<= ~300 kB).
            let times = min(rng.pick([2, 3, 10, 100, 1000, 5000]), max(1, 300_000 / max(span.utf8.count, 1)))
            return t[..<i].joined() + String(repeating: span, count: times) + t[j...].joined()
        case .deepNesting:
            return nest(s, &rng)
        case .hugeNumber:
            var t = tokens(s)
            let huge = rng.pick(hugeLiterals)
            if let i = t.indices.filter({ t[$0].first?.isNumber ?? false }).randomElement(using: &rng), rng.chance(0.7) {
                t[i] = huge
            } else {
                t.insert(rng.pick(["", "*", "+", "^", "/"]) + huge, at: rng.below(t.count + 1))
            }
            return t.joined()
        case .unicode:
            var chars = Array(s)
            let insert = rng.chance(0.5) ? rng.pick(unicodeBits) : String(Character(randomScalar(&rng)))
            if rng.chance(0.2), !chars.isEmpty {
                chars[rng.below(chars.count)] = Character(insert.isEmpty ? "?" : insert)
                return String(chars)
            }
            chars.insert(contentsOf: insert, at: rng.below(chars.count + 1))
            return String(chars)
        case .truncate:
            if rng.chance(0.5) {
                let chars = Array(s)
                return String(chars.prefix(rng.below(chars.count + 1)))
            }
            let bytes = Array(s.utf8)
            return String(decoding: bytes.prefix(rng.below(bytes.count + 1)), as: UTF8.self)
        case .swapRelation:
            var t = tokens(s)
            let relationIndices = t.indices.filter { relations.contains(t[$0]) || t[$0] == "<" || t[$0] == ">" }
            if let i = relationIndices.randomElement(using: &rng), rng.chance(0.7) {
                t[i] = rng.pick(relations)
            } else {
                t.insert(rng.pick(relations), at: rng.below(t.count + 1))
            }
            return t.joined()
        case .splice:
            let other = Array(expression(&rng))
            let a = rng.below(other.count + 1), b = min(other.count, a + rng.int(0...12))
            var chars = Array(s)
            chars.insert(contentsOf: other[a..<b], at: rng.below(chars.count + 1))
            return String(chars)
        case .whitespace:
            var chars = Array(s)
            chars.insert(contentsOf: rng.pick(["\n", "\r\n", "\r", "\t", "\u{000B}", "\u{2028}", "\u{0085}", "   "]), at: rng.below(chars.count + 1))
            return String(chars)
        }
    }

    /// Nesting at the parser's limit (1000) and far past it, by every construct that nests.
    static func nest(_ s: String, _ rng: inout FuzzRNG) -> String {
        let depth = rng.pick([50, 998, 999, 1000, 1001, 2000, 10_000, 100_000])
        let inner = s.isEmpty ? "x" : s
        switch rng.below(9) {
        case 0: return String(repeating: "(", count: depth) + inner + String(repeating: ")", count: depth)
        case 1: return String(repeating: "-", count: depth) + inner
        case 2: return String(repeating: "x^", count: depth) + inner
        case 3: return String(repeating: "log(", count: depth) + inner + String(repeating: ")", count: depth)
        case 4: return String(repeating: "min(1,", count: depth) + inner + String(repeating: ")", count: depth)
        case 5: return String(repeating: "Cover(", count: depth) + inner + String(repeating: ")", count: depth)
        case 6: return String(repeating: "(-", count: depth) + inner + String(repeating: ")", count: depth)
        case 7: return String(repeating: "2^", count: depth) + inner
        default:
            // Unbalanced: opened and never closed, or closed too often.
            return rng.chance(0.5) ? String(repeating: "(", count: depth) + inner : inner + String(repeating: ")", count: depth)
        }
    }

    /// Literals at and beyond the exact-number limit (2^16 bits, about 19,728 decimal digits).
    static let hugeLiterals: [String] = {
        let digits = { (n: Int) in "9" + String(repeating: "7", count: n - 1) }
        return [
            digits(300), digits(5_000), digits(19_000), digits(19_728), digits(19_729), digits(30_000),
            "1e999999999", "1e-999999999", "1e19000", "1e-19000", "1e19729", "1e65536", "9e9223372036854775807",
            "1e99999999999999999999999", "0." + String(repeating: "0", count: 20_000) + "1",
            "1" + String(repeating: "0", count: 5_000) + "e-5000", digits(100) + "e" + digits(40),
            "1e" + String(repeating: "9", count: 5_000), "123456789e65000", "0e999999999",
            "9^7000", "(10^19000)", "2^65535", "2^65536", "(1/3)^40000",
        ]
    }()

    static let unicodeBits: [String] = [
        "β", "δ", "ℓ", "π", "Σ", "≤", "≥", "≲", "≳", "≍", "−", "·", "×", "⋅", "∞", "→", "\u{0}", "\u{1}", "\u{7F}",
        "\u{301}", "\u{301}\u{301}\u{301}", "\u{200B}", "\u{200D}", "\u{FEFF}", "\u{202E}", "\u{2066}", "\u{FFFD}",
        "😀", "👩‍👩‍👧", "🇫🇷", "１", "²", "٣", "ⅷ", "𝑥", "ﬁ", "Å", "e\u{301}", "\u{E000}", "\u{10FFFF}", "\u{D7FF}",
        "\u{2028}", "\u{2029}", "\u{0085}", "\u{000C}", "\r\n", "漢", "ß", "İ", "Ω", "µ",
    ]

    static func randomScalar(_ rng: inout FuzzRNG) -> Unicode.Scalar {
        while true {
            let v: UInt32
            switch rng.below(4) {
            case 0: v = UInt32(rng.below(0x80))
            case 1: v = UInt32(rng.below(0x800))
            case 2: v = UInt32(rng.below(0x10000))
            default: v = UInt32(rng.below(0x110000))
            }
            if let s = Unicode.Scalar(v) { return s }
        }
    }

    static func randomToken(_ rng: inout FuzzRNG) -> String {
        switch rng.below(8) {
        case 0: return rng.pick(binaryOps)
        case 1: return rng.pick(["(", ")", ",", "((", "))", "()", "(,)"])
        case 2: return rng.pick(relations)
        case 3: return rng.pick(numbers)
        case 4: return rng.pick(symbols)
        case 5: return rng.pick(unary + ["min", "max", "binom", "Cover", "e", "pi"]) + rng.pick(["", "("])
        case 6: return rng.pick(["lemma", "by", "qed", "proof", "if", ":=", "[", "]", "\"", "#", "->", "oo", "import"])
        default: return rng.pick(unicodeBits)
        }
    }

    /// A rough tokenization (identifiers, numbers, whitespace runs, two-character operators, single
    /// characters) that mutations insert into, delete from and duplicate.
    static func tokens(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var currentKind = 0   // 0 none, 1 word, 2 space
        func flush() { if !current.isEmpty { out.append(current); current = "" }; currentKind = 0 }
        var chars = Array(s)[...]
        while let c = chars.first {
            if c.isLetter || c.isNumber || c == "_" || (c == "." && currentKind == 1) {
                if currentKind != 1 { flush(); currentKind = 1 }
                current.append(c)
                chars = chars.dropFirst()
            } else if c.isWhitespace {
                if currentKind != 2 { flush(); currentKind = 2 }
                current.append(c)
                chars = chars.dropFirst()
            } else {
                flush()
                if chars.count >= 2 {
                    let two = String(chars.prefix(2))
                    if ["<=", ">=", "<~", ">~", "**", ":=", "->"].contains(two) {
                        out.append(two)
                        chars = chars.dropFirst(2)
                        continue
                    }
                }
                out.append(String(c))
                chars = chars.dropFirst()
            }
        }
        flush()
        return out
    }
}
