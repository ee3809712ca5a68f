import Foundation

/// The works a theory's `source` lines cite, as a bibliography, and each source line as prose with `\cite`s.
///
/// A citation is found by its year: the author run right before a year (`Hardy, Littlewood & Polya (1952)`,
/// `Schmidt-Hieber 2020`, `Hoffmann et al. 2022`, `Cover & Thomas, Elements of Information Theory (2006)`) names
/// the work, capitalized pieces right after it (`Ann. Statist. 48(4)`, `NeurIPS`) are its venue, and the rest up
/// to a colon, a semicolon or the end of the parenthesis it sits in (`Lemma 4`, `Thm 3.2 (ICLR version)`, `2.5`)
/// is the locator, which goes into `\cite[...]`. Only the first year of each `;`-separated part counts. A part
/// without a year that names the authors of a work already found (`e.g. Cover & Thomas, ...`) cites it too.
/// Everything else (`(x - y)^2 >= 0`, `alternative A4: M = k = 1`) stays prose.
struct LaTeXReferences {
    struct Work {
        var key: String
        /// The longest description found for the work: `Hardy, Littlewood & Polya, Inequalities (1952)`.
        var entry: String
        /// The authors as written (`Cover & Thomas`), to recognize the work where no year is given.
        var authors: String
        var surname: String
        var year: String

        /// The label a citation prints, `[Schmidt-Hieber 2020, Lemma 4]`: unambiguous next to a paper's own
        /// numbered references.
        var label: String { "\(LaTeXReferences.shortAuthors(authors)) \(year)" }
    }

    /// `Hardy, Littlewood & Polya` → `Hardy et al.`; two authors and `X et al.` stay.
    static func shortAuthors(_ authors: String) -> String {
        let names = authors.replacingOccurrences(of: " & ", with: ", ").replacingOccurrences(of: " and ", with: ", ")
            .components(separatedBy: ", ").filter { !$0.isEmpty }
        return names.count > 2 ? "\(names[0]) et al." : authors
    }

    /// A source line split into prose and citations.
    enum Piece: Equatable {
        case text(String)
        case cite(key: String, locator: String?)
    }

    private(set) var works: [String: Work] = [:]
    private var parsed: [String: [Piece]] = [:]

    /// Reads every source line (the order fixes nothing: works are listed by key).
    init(sources: [String]) {
        var found: [String: [Piece]] = [:]
        for s in sources where found[s] == nil { found[s] = scan(s) }
        // Second pass: parts without a year that name the authors of a work found elsewhere.
        for (s, pieces) in found { found[s] = pieces.flatMap(citeByAuthors) }
        parsed = found
    }

    /// The bibliography, sorted by key.
    var orderedWorks: [Work] { works.values.sorted { ($0.surname.lowercased(), $0.year, $0.key) < ($1.surname.lowercased(), $1.year, $1.key) } }

    /// `source` as prose and citations (all text when it cites nothing).
    func pieces(_ source: String) -> [Piece] { parsed[source] ?? [.text(source)] }

    // MARK: Scanning

    private mutating func scan(_ source: String) -> [Piece] {
        var pieces: [Piece] = []
        let parts = source.components(separatedBy: "; ")
        for (i, part) in parts.enumerated() {
            if i > 0 { pieces.append(.text("; ")) }
            pieces += scanPart(part)
        }
        return merged(pieces)
    }

    private func merged(_ pieces: [Piece]) -> [Piece] {
        var out: [Piece] = []
        for p in pieces {
            if case .text(let b) = p, case .text(let a)? = out.last { out[out.count - 1] = .text(a + b) } else { out.append(p) }
        }
        return out.filter { $0 != .text("") }
    }

    private static let yearPattern = try? NSRegularExpression(pattern: "(?<![0-9A-Za-z.])(19|20)[0-9]{2}(?![0-9A-Za-z])")
    private static let connectors: Set<String> = ["&", "and", "et", "al.", "al.,", "of", "the", "for", "in", "on", "to", "a", "an"]
    private static let locatorWords: Set<String> = [
        "lemma", "lem", "thm", "theorem", "example", "ex", "eq", "eqs", "equation", "section", "sec", "prop", "proposition",
        "corollary", "cor", "approach", "chapter", "ch", "def", "definition", "appendix", "app", "table", "fig", "figure",
        "part", "remark", "claim", "step", "page", "p", "pp", "exercise", "problem", "algorithm", "alg",
    ]

    /// One `;`-free part: text, at most one citation, text.
    private mutating func scanPart(_ part: String) -> [Piece] {
        let ns = part as NSString
        guard let regex = LaTeXReferences.yearPattern,
              let match = regex.firstMatch(in: part, range: NSRange(location: 0, length: ns.length)) else { return [.text(part)] }
        let year = ns.substring(with: match.range)
        var head = ns.substring(to: match.range.location)
        var after = ns.substring(from: match.range.location + match.range.length)
        // "(1952)": the year in its own parentheses.
        if head.hasSuffix("(") && after.hasPrefix(")") {
            head.removeLast()
            after.removeFirst()
        }
        guard let run = LaTeXReferences.authorRun(head) else { return [.text(part)] }
        // The rest: venue and locator, up to ':' or, for "(Hardy ... 1952, 2.12)", the parenthesis' end.
        let (tail, rest) = LaTeXReferences.splitTail(after, closing: run.openParenthesis)
        var pieces = tail.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if pieces.first == "" { pieces.removeFirst() }
        var venue: [String] = []
        while let first = pieces.first, LaTeXReferences.isVenue(first) { venue.append(first); pieces.removeFirst() }
        let locator = pieces.joined(separator: ", ").trimmingCharacters(in: .whitespaces)
        let key = "src:" + run.surname.lowercased().filter { $0.isASCII && $0.isLetter } + year
        var entry = run.text + " (\(year))"
        if !venue.isEmpty { entry += ", " + venue.joined(separator: ", ") }
        if var work = works[key] {
            if entry.count > work.entry.count { work.entry = entry }
            works[key] = work
        } else {
            works[key] = Work(key: key, entry: entry, authors: LaTeXReferences.authors(of: run.text), surname: run.surname, year: year)
        }
        var result: [Piece] = []
        if !run.prefix.isEmpty { result.append(.text(run.prefix + " ")) }
        result.append(.cite(key: key, locator: locator.isEmpty ? nil : locator))
        result.append(.text(rest))
        return result
    }

    static func isCapitalized(_ word: String) -> Bool { word.first.map { $0.isASCII && $0.isUppercase } ?? false }

    /// The author run that ends `text` (which ends right before the year): capitalized names joined by `,`, `&`,
    /// `and`, `et al.`, with a title's small words between capitalized ones. Also the text before it (without
    /// a '(' that opens the citation), and whether such a '(' does.
    static func authorRun(_ text: String) -> (prefix: String, text: String, surname: String, openParenthesis: Bool)? {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        while words.last == "" { words.removeLast() }
        var taken: [String] = []
        var open = false
        while let word = words.last {
            var w = word
            let startsParenthesis = w.hasPrefix("(")
            if startsParenthesis { w.removeFirst() }
            let core = w.hasSuffix(",") ? String(w.dropLast()) : w
            let isName = isCapitalized(core) && core.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" || $0 == "." }
            let isConnector = connectors.contains(core) || connectors.contains(w)
            guard isName || (isConnector && !startsParenthesis) else { break }
            taken.insert(w, at: 0)
            words.removeLast()
            if startsParenthesis { open = true; break }
        }
        // The run starts with a name: leading small words go back to the text before it.
        while let first = taken.first, !isCapitalized(first) {
            words.append(first)
            taken.removeFirst()
        }
        guard let first = taken.first else { return nil }
        let surname = first.hasSuffix(",") ? String(first.dropLast()) : first
        return (words.joined(separator: " "), taken.joined(separator: " "), surname, open)
    }

    /// The authors of a run: up to the last name after `&`/`and`, or through `et al.` (`Cover & Thomas`).
    static func authors(of run: String) -> String {
        let words = run.split(separator: " ").map(String.init)
        if let i = words.firstIndex(where: { $0 == "&" || $0 == "and" }), i + 1 < words.count {
            let last = words[i + 1]
            return (words[...i] + [last.hasSuffix(",") ? String(last.dropLast()) : last]).joined(separator: " ")
        }
        if let i = words.firstIndex(of: "et"), i + 1 < words.count, words[i + 1].hasPrefix("al.") {
            return (words[...i] + ["al."]).joined(separator: " ")
        }
        let first = words.first ?? run
        return first.hasSuffix(",") ? String(first.dropLast()) : first
    }

    /// After the year: (venue and locator, the rest), split at a ':' outside parentheses, or where the
    /// parenthesis the citation opened closes.
    static func splitTail(_ s: String, closing: Bool) -> (String, String) {
        var depth = 0
        for i in s.indices {
            let c = s[i]
            if c == "(" { depth += 1 }
            if c == ")" {
                if depth == 0 && closing { return (String(s[..<i]), String(s[s.index(after: i)...])) }
                depth -= 1
            }
            if c == ":" && depth == 0 && !closing { return (String(s[..<i]), String(s[i...])) }
        }
        return (s, "")
    }

    /// A venue or title piece: capitalized, and not a locator (`Lemma 4`, `Thm 3.2`, `2.5`, `part of ...`).
    static func isVenue(_ piece: String) -> Bool {
        guard let first = piece.first, first.isASCII, first.isUppercase else { return false }
        let word = piece.split(separator: " ").first.map { String($0).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".,")) } ?? ""
        return !locatorWords.contains(word)
    }

    /// A text piece without a citation that names a found work's authors (with `&` or `et al.`, so a bare surname
    /// such as Stone is not taken for a citation) cites it at its end.
    private func citeByAuthors(_ piece: Piece) -> [Piece] {
        guard case .text(let text) = piece else { return [piece] }
        var out: [Piece] = []
        let parts = text.components(separatedBy: "; ")
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(.text("; ")) }
            out.append(.text(part))
            if let work = works.values.sorted(by: { $0.key < $1.key }).first(where: { w in
                (w.authors.contains("&") || w.authors.contains(" and ") || w.authors.contains("et al.")) && part.contains(w.authors)
            }) {
                out.append(.cite(key: work.key, locator: nil))
            }
        }
        return merged(out)
    }
}
