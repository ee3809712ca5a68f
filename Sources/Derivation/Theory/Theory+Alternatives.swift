import Foundation
import Symbolic

/// An alternative assumption a user can swap in: found by id (A3), by name ("router parameters are
/// active", case-insensitive) or by the path of a `.bounds` file.
public struct AlternativeEntry: Sendable {
    public var id: String
    public var name: Prose
    public var file: String
    public var replaces: String?
}

extension Theory {
    /// The folder alternatives are looked up in: the bundled `alternatives/`, or the one beside a theory on disk.
    public var alternativesFolder: String {
        switch source {
        case .embedded, .memory: return "alternatives/"
        case .fileSystem:
            // theorems/moe/x.bounds → theorems/alternatives/
            let first = rootFile ?? files.last ?? "."
            let dir = Theory.folder(of: first)
            // A file named without a folder (`spec.bounds`, run from its folder) is in the current directory,
            // whose parent holds `alternatives/`.
            if dir.isEmpty || dir == "." { return "../alternatives/" }
            let parent = Theory.folder(of: dir)
            if parent.isEmpty, !dir.hasPrefix("/") { return dir == ".." ? "../../alternatives/" : "alternatives/" }
            return (parent as NSString).appendingPathComponent("alternatives") + "/"
        }
    }

    /// The path without its last component ("d/f.bounds" → "d", "d" → "", "/f" → "/"). Pure string work:
    /// NSString's deletingLastPathComponent crashed on a one-component relative folder ("d").
    static func folder(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    /// Every alternative the folder offers.
    public func alternativesCatalog() -> [AlternativeEntry] { alternativeFiles().entries }

    /// The catalog with each alternative file as parsed for it, so that swapping an entry in (as the audit does
    /// for every entry) does not parse its file again.
    func alternativeFiles() -> (entries: [AlternativeEntry], parsed: [String: TheoryFile]) {
        let paths: [String]
        switch source {
        case .embedded: paths = TheorySource.embeddedFiles(under: alternativesFolder)
        case .memory(let files): paths = files.keys.filter { $0.hasPrefix(alternativesFolder) }.sorted()
        case .fileSystem:
            let names = (try? FileManager.default.contentsOfDirectory(atPath: alternativesFolder)) ?? []
            paths = names.filter { $0.hasSuffix(".bounds") }.sorted().map { alternativesFolder + $0 }
        }
        // The alternatives the theory's own files define come first: a `specialize` block (or a lemma or law with
        // `replaces`) is usable by its id from the file that holds it.
        var entries = ownAlternatives
        var parsed: [String: TheoryFile] = [:]
        for path in paths {
            guard let text = try? source.read(path), let file = try? TheoryParser.parse(text, path: path) else { continue }
            entries += Theory.entries(in: file).filter { e in !entries.contains { $0.id == e.id } }
            parsed[path] = file
        }
        return (entries, parsed)
    }

    /// The alternatives defined in the files loaded: specializations, and lemmas and laws that replace another,
    /// not yet swapped in.
    var ownAlternatives: [AlternativeEntry] {
        let used = Set(swaps.map(\.0))
        var entries: [AlternativeEntry] = []
        for id in lemmas.keys.sorted() {
            guard let l = lemmas[id], l.id == id, let target = l.replaces, !used.contains(id) else { continue }
            entries.append(AlternativeEntry(id: id, name: l.name, file: l.location.file ?? "", replaces: target))
        }
        for id in laws.keys.sorted() {
            guard let l = laws[id], l.id == id, let target = l.replaces, !used.contains(id) else { continue }
            entries.append(AlternativeEntry(id: id, name: l.name, file: l.location.file ?? "", replaces: target))
        }
        for s in specializations where !used.contains(s.id) {
            entries.append(AlternativeEntry(id: s.id, name: s.name, file: s.location.file ?? "", replaces: nil))
        }
        return entries.sorted { ($0.file, $0.id) < ($1.file, $1.id) }
    }

    static func entries(in file: TheoryFile) -> [AlternativeEntry] {
        file.lemmas.filter { $0.replaces != nil }.map { AlternativeEntry(id: $0.id, name: $0.name, file: file.path, replaces: $0.replaces) }
            + file.laws.filter { $0.replaces != nil }.map { AlternativeEntry(id: $0.id, name: $0.name, file: file.path, replaces: $0.replaces) }
            + file.specializations.map { AlternativeEntry(id: $0.id, name: $0.name, file: file.path, replaces: nil) }
    }

    /// Swap in one alternative (id, name or file path). Everything downstream is re-derived by the composer.
    public mutating func use(_ wanted: String) throws {
        try use(wanted, catalog: wanted.hasSuffix(".bounds") ? [] : alternativesCatalog())
    }

    /// `use(wanted)` with the alternatives catalog already read (the audit tries every entry of one catalog), and
    /// optionally the catalog's files already parsed.
    mutating func use(_ wanted: String, catalog: [AlternativeEntry], parsed: [String: TheoryFile] = [:]) throws {
        var entry: AlternativeEntry? = nil
        var path: String? = nil
        if wanted.hasSuffix(".bounds") {
            let text = try TheorySource.fileSystem.read(wanted)
            let file = try TheoryParser.parse(text, path: wanted)
            guard let first = Theory.entries(in: file).first else {
                throw TheoryError("\(wanted) defines no alternative (a lemma or law with 'replaces', or a 'specialize' block)", at: nil)
            }
            entry = first
            path = wanted
        } else {
            entry = catalog.first { $0.id == wanted } ?? catalog.first { $0.name.text.lowercased() == wanted.lowercased() }
            path = entry?.file
            if entry == nil {
                let known = catalog.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
                let hint = Suggestions.didYouMean(wanted, among: catalog.map(\.id) + catalog.map(\.name.text))
                let available = known.isEmpty ? "none" : known
                throw TheoryError("no alternative '\(wanted)'" + (hint.isEmpty ? "; available: \(available)" : "\(hint) (available: \(available))"), at: nil)
            }
        }
        guard let entry, let path else { return }
        // Load the alternative's file (its imports are mostly loaded already) into this theory.
        let fileSource: TheorySource = wanted.hasSuffix(".bounds") ? .fileSystem : source
        var loader = Loader(source: fileSource, continuing: self)
        if !wanted.hasSuffix(".bounds") { loader.parsed = parsed }
        let examplesBefore = examples.count
        try loader.load(path, importedAt: nil, into: &self)
        try apply(entry)
        try finish()
        // Examples the alternative's files brought in are checked like those of the theory itself.
        try checkExamples(from: examplesBefore)
    }

    mutating func apply(_ entry: AlternativeEntry) throws {
        if let target = entry.replaces {
            if let alternative = lemmas[entry.id], alternative.replaces != nil {
                guard lemmas[target] != nil else {
                    let candidates = lemmaOrder.filter { lemmas[$0]?.replaces == nil }
                    throw TheoryError("\(entry.id) replaces \(target), which this theory does not have" + Suggestions.didYouMean(target, among: candidates),
                                      at: position(of: target, in: (alternative.location, alternative.lastLine)))
                }
                lemmas[target] = alternative
                lemmas[entry.id] = nil
                lemmaOrder.removeAll { $0 == entry.id }
            } else if let law = laws[entry.id] {
                guard laws[target] != nil else {
                    throw TheoryError("\(entry.id) replaces law \(target), which this theory does not have" + Suggestions.didYouMean(target, among: lawOrder),
                                      at: position(of: target, in: (law.location, law.lastLine)))
                }
                var replacement = law
                replacement.id = target
                replacement.name = law.name
                laws[target] = replacement
                laws[entry.id] = nil
            }
            swaps.append((entry.id, target))
            return
        }
        guard let specialization = specializations.first(where: { $0.id == entry.id }) else { return }
        try specialize(specialization)
        swaps.append((entry.id, specialization.settings.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")))
    }

    /// Set symbols to values everywhere (M = 1, d = D): statements, proofs, recipes, laws, definitions.
    mutating func specialize(_ s: Specialization) throws {
        let map = Dictionary(s.settings, uniquingKeysWith: { a, _ in a })
        // Each value must be one the symbol can take: defined (not log(0)), not written through a symbol the block
        // sets (n = n^2 has no solution with n >= 2, beta = exp(beta) none at all), and, when it is a number, inside
        // the symbol's declared interval.
        for (name, value) in s.settings {
            if let other = value.freeSymbols.sorted().first(where: { map[$0] != nil }) {
                throw TheoryError("specialize \(s.id) sets \(name) = \(value.display), which refers to \(other), a symbol it sets", at: s.location)
            }
            if let why = assumptions.undefinedness(of: value) {
                throw TheoryError("specialize \(s.id) sets \(name) = \(value.display), which is not proved defined: \(why)", at: s.location)
            }
            let range = assumptions.interval(of: value), domain = assumptions.interval(ofSymbol: name)
            if let lo = domain.lower, let hi = range.upper, hi < lo || (hi == lo && (domain.lowerOpen || range.upperOpen)) {
                throw TheoryError("specialize \(s.id) sets \(name) = \(value.display), outside its declared domain (\(name) \(domain.lowerOpen ? ">" : ">=") \(lo))", at: s.location)
            }
            if let hi = domain.upper, let lo = range.lower, lo > hi || (lo == hi && (domain.upperOpen || range.lowerOpen)) {
                throw TheoryError("specialize \(s.id) sets \(name) = \(value.display), outside its declared domain (\(name) \(domain.upperOpen ? "<" : "<=") \(hi))", at: s.location)
            }
        }
        func sub(_ e: Expr) -> Expr { e.substituting(map) }
        func subRelation(_ r: Relation) -> Relation { Relation(lhs: sub(r.lhs), op: r.op, rhs: sub(r.rhs)) }
        for id in lemmaOrder {
            guard var lemma = lemmas[id] else { continue }
            lemma.statement = subRelation(lemma.statement)
            lemma.hypotheses = lemma.hypotheses.map { (subRelation($0.0), $0.1) }
            lemma.termNames = lemma.termNames.map { ($0.0, sub($0.1)) }
            if var proof = lemma.proof {
                proof.start = sub(proof.start)
                proof.steps = proof.steps.map { var step = $0; step.rhs = sub(step.rhs); return step }
                lemma.proof = proof
            }
            lemmas[id] = lemma
        }
        for id in recipeOrder {
            guard var recipe = recipes[id] else { continue }
            recipe.start = sub(recipe.start)
            recipe.steps = recipe.steps.map { step in
                if case .lemma(let l, let given, let loc) = step { return .lemma(l, given.mapValues(sub), loc) }
                return step
            }
            recipes[id] = recipe
        }
        for id in laws.keys {
            guard var law = laws[id] else { continue }
            if var path = law.path {
                path.substitutions = path.substitutions.map { ($0.0, sub($0.1)) }
                law.path = path
            }
            if case .budget(let total, let rhs, let over) = law.mode { law.mode = .budget(total, sub(rhs), over) }
            laws[id] = law
        }
        definitions = definitions.map { var d = $0; d.value = sub(d.value); return d }
        for (name, value) in s.settings {
            symbols.append(SymbolDeclaration(name: "", assumption: "\(name) = \(value)", meaning: nil, location: s.location))
        }
    }
}

extension Theory {
    /// Add an assumption from the command line (`--assume "beta > d/2"`).
    public mutating func addAssumption(_ text: String, file: String) throws {
        let location = SourceLocation(file: file, line: 1, column: 1)
        // A name the theory does not declare is a typo: the assumption would constrain nothing the lemmas use.
        let known = Set(symbols.map(\.name)).union(quantities.keys).union(definitions.map(\.name))
        for occurrence in Parser.nameTokens(in: text, file: file) where !known.contains(occurrence.name) && !["in", "integer", "real"].contains(occurrence.name) {
            let hint = Suggestions.didYouMean(occurrence.name, among: known.filter { !$0.isEmpty })
            throw TheoryError("undefined symbol '\(occurrence.name)' in --assume" + (hint.isEmpty ? "; the theory declares no such symbol" : hint),
                              at: occurrence.location)
        }
        let before = assumptions.facts.count
        try Theory.located(location) { try assumptions.assume(text: text, file: file, line: 1, column: 1) }
        var a = assumptions
        useFacts(from: before, in: &a)
        assumptions = a
        symbols.append(SymbolDeclaration(name: "", assumption: text, meaning: nil, location: location))
    }
}

extension Theory {
    /// Why a lemma cited by `id` may not be used: an alternative (`replaces L`) that has not been swapped in with
    /// `--use` is not an assumption of this theory (citing it with L could prove 1 = 2). nil when it may be used.
    public func inactiveAlternative(_ id: String) -> String? {
        guard let lemma = lemmas[id], let target = lemma.replaces, lemma.id == id else { return nil }
        return "\(id) is an alternative that replaces \(target); it holds only in the theory where it is swapped in (--use \(id)), not beside \(target)"
    }
}
