import Foundation
import Symbolic

/// Theory-file inputs: the bundled theorems/ files and small generated theories, mutated line by line
/// (keywords removed, blocks duplicated, imports pointed at cycles, ...) and byte by byte.
struct TheoryCorpus {
    /// Relative path under theorems/ → text.
    let files: [(path: String, text: String)]

    init(directory: String) throws {
        var found: [(String, String)] = []
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else {
            throw FuzzError("cannot list theory directory \(directory)")
        }
        for case let relative as String in walker where relative.hasSuffix(".bounds") {
            let full = directory + "/" + relative
            guard let data = fm.contents(atPath: full), let text = String(data: data, encoding: .utf8) else { continue }
            found.append((relative, text))
        }
        found.sort { $0.0 < $1.0 }
        guard !found.isEmpty else { throw FuzzError("no .bounds files under \(directory)") }
        files = found.map { (path: $0.0, text: $0.1) }
    }
}

struct FuzzError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// One generated theory input: which file it replaces (relative to theorems/) and its bytes.
struct TheoryInput {
    var path: String
    var bytes: [UInt8]
    var mutations: [String]
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

enum TheoryInputs {
    static let keywords = ["import", "symbols", "quantities", "assume", "define", "lemma", "theorem", "lowerbound", "proof",
                           "qed", "derive", "law", "specialize", "source", "note", "if", "as", "replaces", "terms", "start",
                           "by", "bound", "limit", "minimize", "budget", "irreducible", "closed", "values", "set"]

    /// A small theory of the format's every block, with random expressions in it.
    static func synthetic(_ rng: inout FuzzRNG) -> String {
        func e() -> String { ExpressionInputs.expression(&rng, depth: 3) }
        let op = rng.pick(["<=", "<~", "=", "<", ">=", ">~"])
        var lines = [
            "# generated",
            rng.chance(0.5) ? "import \"setting.bounds\"" : "",
            "symbols",
            "  x, y : real > 0          \"two positives\"",
            "  m : integer in [1, 10]   \"a small integer\"",
            "  t : real in (0, 1]",
            "  assume x <= y",
            "quantities",
            "  Q(x) >= 1  \"a quantity\"",
            "  R >= 0",
            "define w = x*y \"a product\"",
            "lemma L1 \"first\" [standard]",
            "  source \"made up\"",
            "  if x >= 1",
            "  Q(x) \(op) \(e())",
            "lemma L2 \"second\" [paper]",
            "  source \"made up\"",
            "  terms main = \(e())",
            "  R <~ \(e())",
            "theorem T1 \"third\" [derived]",
            "  source \"made up\"",
            "  as x -> oo fixed t",
            "  log(Q(x)) <~ \(e())",
            "proof",
            "  log(Q(x)) <= \(e())   by L1",
            "            <~ \(e())   by asymptotics",
            "            = \(e())   by algebra",
            "qed",
            "derive D1 \"derived\"",
            "  as x -> oo with y = x^2",
            "  start R",
            "  by L2",
            "  by asymptotics",
            "law G1 \"growth\"",
            "  bound D1",
            "  as x -> oo",
            "law G2 \"budget\"",
            "  bound D1",
            "  budget y = x*m over x, m",
        ]
        lines = lines.filter { !$0.isEmpty }
        return lines.joined(separator: "\n") + "\n"
    }

    enum Mutation: String, CaseIterable {
        case deleteLine, duplicateLine, swapLines, removeKeyword, renameKeyword, indent, dedent, swapRelation,
             mutateExpression, byteFlip, unicode, truncate, crlf, bom, duplicateBlock, selfCite, undefinedCite,
             badImport, dropQuote, substitution, hugeLine, deepNesting, dropQed, emptyBlock
    }

    static func generate(_ rng: inout FuzzRNG, corpus: TheoryCorpus) -> TheoryInput {
        var path: String
        var text: String
        if rng.chance(0.2) {
            path = "moe/synthetic.bounds"
            text = synthetic(&rng)
        } else {
            let base = rng.pick(corpus.files)
            path = base.path
            text = base.text
        }
        var applied: [String] = []
        var bytes: [UInt8]? = nil
        let count = rng.chance(0.05) ? 0 : rng.int(1...3)
        for _ in 0..<count {
            let m = Mutation.allCases[rng.weighted([6, 4, 3, 8, 3, 3, 3, 5, 10, 3, 3, 3, 1, 1, 3, 3, 3, 4, 3, 3, 2, 2, 3, 2])]
            applied.append(m.rawValue)
            if m == .byteFlip {
                // Raw bytes: the result may not be UTF-8, which the loader must reject with a location.
                var b = bytes ?? Array(text.utf8)
                if !b.isEmpty {
                    for _ in 0..<rng.int(1...4) { let i = rng.below(b.count); b[i] ^= UInt8(1 << rng.below(8)) }
                }
                bytes = b
                text = String(decoding: b, as: UTF8.self)
                continue
            }
            if bytes != nil { bytes = nil }
            text = apply(m, to: text, path: path, &rng)
        }
        return TheoryInput(path: path, bytes: bytes ?? Array(text.utf8), mutations: applied)
    }

    static func apply(_ m: Mutation, to text: String, path: String, _ rng: inout FuzzRNG) -> String {
        var lines = text.components(separatedBy: "\n")
        func randomLine() -> Int { rng.below(max(lines.count, 1)) }
        func join() -> String { lines.joined(separator: "\n") }
        if lines.isEmpty { lines = [""] }
        switch m {
        case .deleteLine:
            lines.remove(at: randomLine())
            return join()
        case .duplicateLine:
            let i = randomLine()
            lines.insert(lines[i], at: i)
            return join()
        case .swapLines:
            let i = randomLine(), j = randomLine()
            lines.swapAt(i, j)
            return join()
        case .removeKeyword:
            let candidates = lines.indices.filter { i in
                let word = lines[i].drop { $0 == " " }.prefix { $0 != " " }
                return keywords.contains(String(word)) || lines[i].contains(" by ")
            }
            guard let i = candidates.randomElement(using: &rng) else { return text }
            if lines[i].contains(" by "), rng.chance(0.4), let r = lines[i].range(of: " by ", options: .backwards) {
                lines[i] = String(lines[i][..<r.lowerBound])
                return join()
            }
            let indent = lines[i].prefix { $0 == " " }
            let rest = lines[i].dropFirst(indent.count)
            let word = rest.prefix { $0 != " " }
            lines[i] = String(indent) + String(rest.dropFirst(word.count).drop { $0 == " " })
            return join()
        case .renameKeyword:
            let candidates = lines.indices.filter { keywords.contains(String(lines[$0].drop { $0 == " " }.prefix { $0 != " " })) }
            guard let i = candidates.randomElement(using: &rng) else { return text }
            let indent = lines[i].prefix { $0 == " " }
            let rest = lines[i].dropFirst(indent.count)
            let word = String(rest.prefix { $0 != " " })
            let replacement = rng.chance(0.5) ? rng.pick(keywords) : String(word.reversed())
            lines[i] = String(indent) + replacement + rest.dropFirst(word.count)
            return join()
        case .indent:
            let i = randomLine()
            lines[i] = rng.pick(["  ", "\t", " ", "        "]) + lines[i]
            return join()
        case .dedent:
            let i = randomLine()
            lines[i] = String(lines[i].drop { $0 == " " || $0 == "\t" })
            return join()
        case .swapRelation:
            let i = randomLine()
            lines[i] = ExpressionInputs.apply(.swapRelation, to: lines[i], &rng)
            return join()
        case .mutateExpression:
            let i = randomLine()
            let kinds: [ExpressionInputs.Mutation] = [.byteFlip, .tokenInsert, .tokenDelete, .tokenDuplicate, .hugeNumber, .unicode, .swapRelation, .splice]
            lines[i] = ExpressionInputs.apply(rng.pick(kinds), to: lines[i], &rng)
            return join()
        case .byteFlip:
            return ExpressionInputs.apply(.byteFlip, to: text, &rng)
        case .unicode:
            let i = randomLine()
            lines[i] = ExpressionInputs.apply(.unicode, to: lines[i], &rng)
            return join()
        case .truncate:
            return ExpressionInputs.apply(.truncate, to: text, &rng)
        case .crlf:
            return lines.joined(separator: "\r\n")
        case .bom:
            return "\u{FEFF}" + text
        case .duplicateBlock:
            // A lemma/theorem block repeated: a duplicate id.
            let starts = lines.indices.filter { ["lemma", "theorem", "lowerbound", "derive", "law"].contains(String(lines[$0].prefix { $0 != " " })) }
            guard let s = starts.randomElement(using: &rng) else { return text }
            var e = s + 1
            while e < lines.count, lines[e].first == " " || lines[e].isEmpty || ["proof", "qed"].contains(lines[e]) { e += 1 }
            let block = Array(lines[s..<e])
            lines.insert(contentsOf: block, at: rng.chance(0.5) ? e : lines.count)
            return join()
        case .selfCite, .undefinedCite:
            // `by X` pointing at the enclosing theorem or at nothing.
            var theorem: String? = nil
            var candidates: [(Int, String?)] = []
            for (i, line) in lines.enumerated() {
                if line.hasPrefix("theorem ") { theorem = String(line.dropFirst(8).prefix { $0 != " " }) }
                if line.contains(" by ") { candidates.append((i, theorem)) }
            }
            guard let (i, owner) = candidates.randomElement(using: &rng), let r = lines[i].range(of: " by ", options: .backwards) else { return text }
            let target = m == .selfCite ? (owner ?? "T1") : rng.pick(["NOPE", "P9", "S4_exactly", "algebraic", "P3 [delta := ]", "P3 [zeta := 1/n]", "[x := 1]"])
            lines[i] = String(lines[i][..<r.upperBound]) + target
            return join()
        case .badImport:
            let name = (path as NSString).lastPathComponent
            let targets = [name, "./" + name, "../moe/generalization.bounds", "generalization.bounds", "cover.bounds",
                           "../standard/erm.bounds", "missing.bounds", "", "/", "..", "../moe", ".", "/nonexistent/x.bounds",
                           String(repeating: "a/", count: 300) + "x.bounds", "../../../../../../../../etc/hostname",
                           "sp ace.bounds", "\u{0}.bounds", "ü.bounds", "\"", "x.bounds\" trailing"]
            let line = "import \"" + rng.pick(targets) + "\""
            lines.insert(rng.chance(0.2) ? "import " + rng.pick(targets) : line, at: rng.chance(0.7) ? 0 : randomLine())
            return join()
        case .dropQuote:
            let quoted = lines.indices.filter { lines[$0].contains("\"") }
            guard let i = quoted.randomElement(using: &rng), let q = lines[i].firstIndex(of: "\"") else { return text }
            lines[i].remove(at: q)
            return join()
        case .substitution:
            let candidates = lines.indices.filter { lines[$0].contains(" by ") }
            guard let i = candidates.randomElement(using: &rng) else { return text }
            let sub = rng.pick(["[delta := 2/n]", "[delta := n]", "[delta := 0]", "[delta := ]", "[ := 1]", "[delta = 1/n]",
                                "[delta := 1/n", "delta := 1/n]", "[delta := 1/n, delta := 2]", "[1x := 2]", "[delta := (]",
                                "[delta := 1/n][k := 1]", "[[delta := 1/n]]", "[delta := " + ExpressionInputs.hugeLiterals[3] + "]"])
            lines[i] += " " + sub
            return join()
        case .hugeLine:
            let i = randomLine()
            lines[i] += String(repeating: " + x", count: rng.pick([1000, 20_000]))
            return join()
        case .deepNesting:
            let candidates = lines.indices.filter { lines[$0].contains("(") }
            guard let i = candidates.randomElement(using: &rng) else { return text }
            lines[i] = lines[i].replacingOccurrences(of: "(", with: String(repeating: "(", count: rng.pick([500, 1001, 100_000])), options: [], range: lines[i].range(of: "("))
            return join()
        case .dropQed:
            if let i = lines.firstIndex(where: { $0 == "qed" || $0 == "proof" }) { lines.remove(at: i) }
            return join()
        case .emptyBlock:
            lines.insert(rng.pick(["symbols", "quantities", "proof", "qed", "lemma", "theorem X \"x\" [paper]", "lemma A \"a\"",
                                   "derive", "law L \"l\"", "specialize S \"s\"", "assume", "define", "define = 1", "import"]),
                         at: randomLine())
            return join()
        }
    }
}
