/// "Did you mean ...?" for a misspelt name: the known names within a small edit distance of it.
///
/// The distance is Damerau-Levenshtein in its optimal-string-alignment form (insertions, deletions,
/// substitutions and swaps of two neighbours, each costing 1), over `Character`s. How far a suggestion may be
/// grows with the name: nothing for one or two characters (every short name is one edit from many others),
/// one edit up to five characters, two beyond. A difference in letter case alone always qualifies.
public enum Suggestions {
    /// The closest candidates (at most `limit`, alphabetical among equals), or none when nothing is close.
    public static func closest<S: Sequence>(to name: String, among candidates: S, limit: Int = 3) -> [String] where S.Element == String {
        let core = Array(name.drop { $0 == "-" })
        let allowed = core.count <= 2 ? 0 : core.count <= 5 ? 1 : 2
        let lowered = name.lowercased()
        var best: [(distance: Int, name: String)] = []
        var seen = Set<String>()
        for candidate in candidates where candidate != name && !candidate.isEmpty && seen.insert(candidate).inserted {
            let d: Int
            if candidate.lowercased() == lowered {
                d = 0
            } else {
                guard allowed > 0, abs(candidate.count - name.count) <= allowed,
                      let distance = distance(Array(name), Array(candidate), atMost: allowed) else { continue }
                d = distance
            }
            best.append((d, candidate))
        }
        guard let smallest = best.map(\.distance).min() else { return [] }
        return best.filter { $0.distance == smallest }.map(\.name).sorted().prefix(limit).map { $0 }
    }

    /// `; did you mean 'derive'?` (or `'A3' or 'A4'`), or "" when nothing is close: ready to append to a message.
    public static func didYouMean<S: Sequence>(_ name: String, among candidates: S) -> String where S.Element == String {
        let found = closest(to: name, among: candidates)
        guard !found.isEmpty else { return "" }
        let quoted = found.map { "'\($0)'" }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return "; did you mean \(list)?"
    }

    /// The optimal-string-alignment distance, or nil when it exceeds `bound` (rows stop early once every entry does).
    public static func distance(_ a: [Character], _ b: [Character], atMost bound: Int = .max) -> Int? {
        if a.isEmpty { return b.count <= bound ? b.count : nil }
        if b.isEmpty { return a.count <= bound ? a.count : nil }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > bound { return nil }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        let result = previous[b.count]
        return result <= bound ? result : nil
    }
}
