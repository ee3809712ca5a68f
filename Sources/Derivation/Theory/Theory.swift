import Foundation
import Symbolic

/// Where theory files come from: the file system, or the copy of `theorems/` embedded at build time.
public enum TheorySource: Sendable {
    case fileSystem
    case embedded
    /// Files held in memory, by path (tests and fuzzers build theories without touching the disk).
    case memory([String: String])

    /// The bundled default theory (the MoE paper).
    public static let defaultTheoryPath = "moe/generalization.bounds"

    func read(_ path: String) throws -> String {
        switch self {
        case .embedded:
            guard let text = EmbeddedTheory.files[path] else { throw TheoryError("no bundled theory file '\(path)'", at: nil) }
            return text
        case .memory(let files):
            guard let text = files[path] else { throw TheoryError("no theory file '\(path)'", at: nil) }
            return text
        case .fileSystem:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TheoryError("cannot read theory file '\(path)'", at: nil)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TheoryError("theory file '\(path)' is not UTF-8 text", at: nil)
            }
            return text
        }
    }

    /// Resolve an import relative to the importing file, normalizing `..`.
    func resolve(_ imported: String, from file: String) -> String {
        let base = Theory.folder(of: file)
        let joined = imported.hasPrefix("/") ? imported : (base.isEmpty ? imported : base + "/" + imported)
        var parts: [String] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: false) {
            if part == ".." && !parts.isEmpty && parts.last != ".." && parts.last != "" { parts.removeLast() }
            else if part != "." { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }

    /// The names of the `.bounds` files in the folder of `path` (for "did you mean" on a missing import).
    func siblings(of path: String) -> [String] {
        let folder = Theory.folder(of: path)
        let prefix = folder.isEmpty ? "" : folder + "/"
        switch self {
        case .embedded, .memory:
            let keys: [String]
            if case .memory(let files) = self { keys = Array(files.keys) } else { keys = Array(EmbeddedTheory.files.keys) }
            return keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }.map { String($0.dropFirst(prefix.count)) }
        case .fileSystem:
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
            return names.filter { $0.hasSuffix(".bounds") }
        }
    }

    /// Every bundled file under a folder (e.g. "alternatives/").
    static func embeddedFiles(under folder: String) -> [String] {
        EmbeddedTheory.files.keys.filter { $0.hasPrefix(folder) }.sorted()
    }
}

/// A loaded theory: the files with their imports resolved and merged, assumptions built, and any
/// alternatives swapped in.
public struct Theory: Sendable {
    public var source: TheorySource
    public var files: [String] = []
    public var symbols: [SymbolDeclaration] = []
    public var quantities: [String: Quantity] = [:]
    public var definitions: [Definition] = []
    public var lemmas: [String: Lemma] = [:]
    public var lemmaOrder: [String] = []
    public var recipes: [String: Recipe] = [:]
    public var recipeOrder: [String] = []
    public var laws: [String: Law] = [:]
    public var lawOrder: [String] = []
    public var specializations: [Specialization] = []
    /// Named configurations (`example "Mixtral 8x7B"`), in load order: the first is the default of eval, sweep and plot.
    public var examples: [ExampleConfiguration] = []
    public var assumptions = Assumptions()
    /// (alternative id, what it replaced), in the order applied.
    public var swaps: [(String, String)] = []
    /// Where each name is written, per file (the parser's side table): errors about a name point at its token.
    public var names: [String: [NameOccurrence]] = [:]
    /// The assumptions `finish` built from these symbol declarations, before the definitions and quantities: swapping in an
    /// alternative only appends declarations, so `finish` continues from here instead of re-parsing them all.
    var symbolCheckpoint: (symbols: [SymbolDeclaration], assumptions: Assumptions)? = nil
    /// The assumptions before and after the facts that the definitions and the quantities without arguments give,
    /// for those as written.
    var derivedFactsCheckpoint: (before: Assumptions, key: DerivedFactsKey, after: Assumptions)? = nil
    struct DerivedFactsKey: Equatable {
        struct Entry: Equatable {
            var name: String
            var value: Expr?
            var location: SourceLocation
        }
        var definitions: [Entry]
        var quantities: [Entry]
    }
    /// Assumptions the sign oracle cannot use (see `useFacts`), each at the assumption: printed on standard error.
    public var warnings: [TheoryWarning] = []
    /// The file the theory was loaded from (alternatives swapped in later add files after it).
    public var rootFile: String? = nil

    public var lowerBounds: [Lemma] { lemmaOrder.compactMap { lemmas[$0] }.filter { $0.kind == .lowerBound } }
    public var orderedLemmas: [Lemma] { lemmaOrder.compactMap { lemmas[$0] } }
    public var orderedLaws: [Law] { lawOrder.compactMap { laws[$0] } }

    public func symbol(_ name: String) -> SymbolDeclaration? { symbols.first { $0.name == name } }

    /// Load a theory file and everything it imports.
    public static func load(_ path: String, from source: TheorySource) throws -> Theory {
        var theory = Theory(source: source)
        var loader = Loader(source: source)
        try loader.load(path, importedAt: nil, into: &theory)
        theory.rootFile = path
        try theory.finish()
        try theory.checkExamples()
        try theory.checkLawValues()
        return theory
    }

    /// The first subexpression free of symbols that evaluates to no finite number (log(0), 1/0, sqrt(-1)), if any.
    static func constantWithoutValue(_ e: Expr) -> Expr? {
        var stack = [e]
        while let node = stack.popLast() {
            if node.freeSymbols.isEmpty {
                if let v = try? node.evaluate([:]), v.isFinite { continue }
                return node
            }
            stack.append(contentsOf: node.children)
        }
        return nil
    }

    /// Declare symbols and quantities in the assumptions; check the proofs' citations exist.
    mutating func finish() throws {
        var a = Assumptions()
        var start = 0
        if let checkpoint = symbolCheckpoint, checkpoint.symbols.count <= symbols.count,
           symbols[..<checkpoint.symbols.count].elementsEqual(checkpoint.symbols) {
            // The same declarations in the same order give the same assumptions: continue after them.
            a = checkpoint.assumptions
            start = checkpoint.symbols.count
        }
        if start == 0 { warnings = [] }
        for s in symbols[start...] {
            let before = a.facts.count
            defer { if a.facts.count > before { useFacts(from: before, in: &a) } }
            if !s.name.isEmpty {
                try Theory.located(s.location) { try a.declare(s.name, domain: s.isInteger ? .integer : .real, meaning: s.meaning?.text) }
            }
            if !s.assumption.isEmpty {
                let at = s.constraintLocation ?? s.location
                do {
                    try a.assume(text: s.assumption, file: at.file, line: at.line, column: at.column)
                } catch let e as ParseError {
                    // An error inside the constraint keeps its column; one about the whole line points at its start.
                    let inside = s.constraintLocation.map { e.location.line == $0.line && e.location.column > $0.column + s.name.count } ?? true
                    throw TheoryError(e.message, at: inside ? e.location : s.location)
                } catch let e as AssumptionError {
                    throw TheoryError(e.message, at: s.constraintLocation == nil ? (e.location ?? s.location) : s.location)
                }
            }
        }
        warnAboutCombinedDeclarations()
        // A defined symbol takes only its definition's values: its definition's bounds are facts about it too
        // (N_eff = L_T*Pi_attn + L_T*k*Pi_exp >= 2 when each factor is >= 1).
        // A definition with a part that has no value at all (define b = log(0), 1/0, sqrt(-1)) defines nothing. (A
        // part whose definedness depends on the symbols is left to the steps that use it.)
        for d in definitions {
            if let part = Theory.constantWithoutValue(d.value) {
                throw TheoryError("the definition of \(d.name) = \(d.value.display) has no value: \(part.display) has no finite value", at: d.location)
            }
        }
        symbolCheckpoint = (symbols, a)
        // The same assumptions, definitions and quantities give the same facts from them (an alternative that only
        // swaps lemmas finishes again with all three unchanged, and then keeps the very same assumptions value,
        // with everything already remembered under it).
        let written = DerivedFactsKey(definitions: definitions.map { .init(name: $0.name, value: $0.value, location: $0.location) },
                                      quantities: quantities.values.filter { $0.arguments.isEmpty }.map { .init(name: $0.name, value: $0.lowerBound, location: $0.location) })
        if let c = derivedFactsCheckpoint, c.before == a, c.key == written {
            a = c.after
        } else {
            let before = a
            for d in definitions where a.isDeclared(d.name) {
                let reach = a.interval(of: d.value)
                if let l = reach.lower { try? a.assume(.symbol(d.name), reach.lowerOpen ? .greater : .greaterEqual, .number(l), origin: .init("the definition of \(d.name)", location: d.location)) }
                if let u = reach.upper { try? a.assume(.symbol(d.name), reach.upperOpen ? .less : .lessEqual, .number(u), origin: .init("the definition of \(d.name)", location: d.location)) }
            }
            for q in quantities.values where q.arguments.isEmpty {
                guard let lower = q.lowerBound else { try Theory.located(q.location) { try a.declare(q.name) }; continue }
                try Theory.located(q.location) {
                    try a.assume(.symbol(q.name), .greaterEqual, lower, origin: .init("\(q.name) >= \(lower)", location: q.location))
                }
            }
            derivedFactsCheckpoint = (before, written, a)
        }
        assumptions = a
        for lemma in orderedLemmas where lemma.dependencies.contains(lemma.id) {
            let step = lemma.proof?.steps.first { if case .lemma(let x, _) = $0.justification { return x == lemma.id } else { return false } }
            let at = step.map { position(of: lemma.id, from: $0.justificationLocation ?? $0.location) ?? $0.location }
            throw TheoryError("\(lemma.id) cites itself in its proof", at: at ?? lemma.proof?.location ?? lemma.location)
        }
        try checkNames()
        try checkDependencyCycles()
        try checkPaths()
        try checkDefinitions()
        try checkConsistency()
    }

    /// The relations assumed since fact `start`, made usable by the sign oracle: the oracle reads a fact by the
    /// terms it shares with the expression asked about, and derived expressions are in canonical form, so a fact
    /// written otherwise (`gamma*(log(E) + alpha/gamma) < 0`, whose canonical form is `alpha + gamma*log(E) < 0`) is
    /// also assumed in canonical form (the same relation wherever the fact holds). One the oracle still cannot
    /// confirm from the assumptions is a warning at the assumption, never dropped in silence.
    mutating func useFacts(from start: Int, in a: inout Assumptions) {
        let added = Array(a.facts[start...])
        func usable(_ fact: Assumptions.Fact, _ e: Expr) -> Bool {
            let s = a.quickSign(e)
            return fact.strict ? s == .positive : s.isNonnegative
        }
        for fact in added {
            let canonical = fact.expression.simplified(a)
            if usable(fact, canonical) { continue }
            if canonical != fact.expression, canonical.numberValue == nil {
                try? a.assumeNonnegative(canonical, strict: fact.strict, origin: fact.origin)
                if usable(fact, canonical) { continue }
            }
            let warning = TheoryWarning("the sign oracle cannot use the assumption '\(fact.origin.text)': asked for the sign of \(canonical), its canonical form, it does not find \(fact.strict ? "> 0" : ">= 0"); rewrite it as a sum of terms compared with 0",
                                        at: fact.origin.location)
            if !warnings.contains(warning) { warnings.append(warning) }
        }
    }

    /// A symbol declared differently in two files (`M : real >= 1` here, `M : integer >= 1` in an imported
    /// library) has the two declarations combined: every statement about it, in either file, is about the
    /// narrower domain. That is easy to miss, so each such later declaration gets a warning naming the other.
    mutating func warnAboutCombinedDeclarations() {
        var first: [String: SymbolDeclaration] = [:]
        for s in symbols where !s.name.isEmpty {
            guard let earlier = first[s.name] else { first[s.name] = s; continue }
            // Narrowing the imported file's symbol is what an importer's declaration is for; the warning is for the
            // other way round: the earlier declaration (usually the imported file's) makes this one an integer, or
            // excludes part of its interval (or adds relations).
            guard earlier.location.file != s.location.file, earlier.isInteger != s.isInteger || earlier.assumption != s.assumption,
                  let before = Theory.ownAssumptions(of: earlier), let now = Theory.ownAssumptions(of: s),
                  (earlier.isInteger && !s.isInteger) || !before.interval(ofSymbol: s.name).contains(now.interval(ofSymbol: s.name))
                    || !before.facts.isEmpty else { continue }
            func spelled(_ d: SymbolDeclaration) -> String {
                (d.isInteger ? "integer" : "real") + (d.assumption.isEmpty ? "" : " (\(d.assumption))")
            }
            let warning = TheoryWarning("\(s.name) is declared \(spelled(s)) here and \(spelled(earlier)) at \(earlier.location); the declarations combine, so every statement about \(s.name) holds only where both do\(earlier.isInteger != s.isInteger ? " (\(s.name) is an integer throughout)" : "")",
                                        at: s.location)
            if !warnings.contains(warning) { warnings.append(warning) }
        }
    }

    /// A declaration read alone, as assumptions on its symbol: its interval, integrality and relations (nil when
    /// it cannot be read alone).
    static func ownAssumptions(of d: SymbolDeclaration) -> Assumptions? {
        var own = Assumptions()
        do {
            try own.declare(d.name, domain: d.isInteger ? .integer : .real)
            if !d.assumption.isEmpty { try own.assume(text: d.assumption) }
        } catch { return nil }
        return own
    }

    /// Run `body`, turning parse and assumption errors into theory errors at their location.
    static func located(_ fallback: SourceLocation, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ParseError {
            throw TheoryError(e.message, at: e.location)
        } catch let e as AssumptionError {
            throw TheoryError(e.message, at: e.location ?? fallback)
        }
    }

    private func checkDependencyCycles() throws {
        var state: [String: Int] = [:]   // 1 visiting, 2 done
        func visit(_ id: String, _ trail: [String]) throws {
            if state[id] == 2 { return }
            if state[id] == 1 {
                throw TheoryError("circular proofs: " + (trail + [id]).joined(separator: " → "), at: lemmas[id]?.location)
            }
            state[id] = 1
            for dep in lemmas[id]?.dependencies ?? [] { try visit(dep, trail + [id]) }
            state[id] = 2
        }
        for id in lemmaOrder { try visit(id, []) }
    }

    /// Symbols with a value that every instance must satisfy: the interval a declared symbol lives in.
    public func declaredInterval(_ name: String) -> Interval? {
        guard symbols.contains(where: { $0.name == name }) else { return nil }
        return assumptions.interval(ofSymbol: name)
    }
}

/// Resolves imports depth-first, detecting cycles, loading each file once.
struct Loader {
    let source: TheorySource
    /// The files loaded, by `key`: one file named two ways (`spec.bounds`, `./spec.bounds`, an absolute path) is one file.
    var loaded: Set<String> = []
    var stack: [String] = []
    /// Files of `source` already parsed (from the same text `source.read` gives).
    var parsed: [String: TheoryFile] = [:]
    /// The texts of the files loaded: a file with the same text as one already loaded declares nothing new (an
    /// alternative on disk that imports `theorems/moe/...` into the bundled theory, whose copies of those files are
    /// the embedded ones), so it is not loaded twice.
    var loadedTexts: Set<String> = []

    init(source: TheorySource) { self.source = source }

    /// Load into a theory that already holds `theory.files` (read from `theory.source`).
    init(source: TheorySource, continuing theory: Theory) {
        self.source = source
        loaded = Set(theory.files.map { Loader.key($0, theory.source) }).union(theory.files.map { Loader.key($0, source) })
        loadedTexts = Set(theory.files.compactMap { try? theory.source.read($0) })
    }

    /// The identity of a file: on disk, its standardized absolute path with symbolic links resolved.
    static func key(_ path: String, _ source: TheorySource) -> String {
        guard case .fileSystem = source else { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    mutating func load(_ path: String, importedAt: SourceLocation?, into theory: inout Theory) throws {
        let key = Loader.key(path, source)
        if let cycleStart = stack.firstIndex(of: key) {
            let cycle = stack[cycleStart...].map { $0 } + [key]
            let shown = cycle.map { k in theory.files.first { Loader.key($0, source) == k } ?? (k == key ? path : k) }
            throw TheoryError("cyclic import: " + shown.joined(separator: " → "), at: importedAt)
        }
        if loaded.contains(key) { return }
        var parsed: TheoryFile? = self.parsed[path]
        var text: String? = nil
        if parsed == nil {
            do { text = try source.read(path) } catch {
                // An import names a file: suggest the files beside the one it names.
                let hint = importedAt == nil ? "" : Suggestions.didYouMean((path as NSString).lastPathComponent, among: source.siblings(of: path))
                throw TheoryError(((error as? TheoryError)?.message ?? "\(error)") + hint, at: importedAt ?? SourceLocation(file: path, line: 1, column: 1))
            }
            if let text, loadedTexts.contains(text) { loaded.insert(key); return }
            try Theory.located(SourceLocation(file: path, line: 1, column: 1)) { parsed = try TheoryParser.parse(text!, path: path) }
        }
        guard let file = parsed else { return }
        stack.append(key)
        for (imported, location) in file.imports {
            try load(source.resolve(imported, from: path), importedAt: location, into: &theory)
        }
        stack.removeLast()
        loaded.insert(key)
        if let text { loadedTexts.insert(text) }
        try theory.merge(file)
    }
}

extension Theory {
    mutating func merge(_ file: TheoryFile) throws {
        files.append(file.path)
        names[file.path] = file.names
        for s in file.symbols { symbols.append(s) }
        for (text, location) in file.assumptions {
            symbols.append(SymbolDeclaration(name: "", assumption: text, meaning: nil, location: location))
        }
        for q in file.quantities {
            if let existing = quantities[q.name] {
                if existing.arguments != q.arguments {
                    throw TheoryError("quantity \(q.name) is declared with arguments (\(q.arguments.joined(separator: ", "))) here and (\(existing.arguments.joined(separator: ", "))) at \(existing.location)", at: q.location)
                }
                if let a = existing.lowerBound, let b = q.lowerBound, a != b {
                    throw TheoryError("quantity \(q.name) is declared >= \(b) here and >= \(a) at \(existing.location)", at: q.location)
                }
                // Every declaration is an assumption about the same unknown: what one says of it holds.
                var merged = existing
                merged.lowerBound = existing.lowerBound ?? q.lowerBound
                merged.independentOf = Array(Set(existing.independentOf).union(q.independentOf)).sorted()
                merged.meaning = existing.meaning ?? q.meaning
                quantities[q.name] = merged
            } else {
                quantities[q.name] = q
            }
        }
        for d in file.definitions {
            if let existing = definitions.first(where: { $0.name == d.name }), existing.value != d.value {
                throw TheoryError("\(d.name) is defined differently at \(existing.location)", at: d.location)
            }
            if !definitions.contains(where: { $0.name == d.name }) { definitions.append(d) }
        }
        for lemma in file.lemmas {
            if let existing = lemmas[lemma.id] {
                throw TheoryError("duplicate lemma id \(lemma.id): also defined at \(idPosition(lemma.id, existing.location))", at: idPosition(lemma.id, lemma.location))
            }
            lemmas[lemma.id] = lemma
            lemmaOrder.append(lemma.id)
        }
        for recipe in file.recipes {
            if let existing = recipes[recipe.id] {
                throw TheoryError("duplicate derivation id \(recipe.id): also defined at \(idPosition(recipe.id, existing.location))", at: idPosition(recipe.id, recipe.location))
            }
            recipes[recipe.id] = recipe
            recipeOrder.append(recipe.id)
        }
        for law in file.laws {
            if let existing = laws[law.id] {
                throw TheoryError("duplicate law id \(law.id): also defined at \(idPosition(law.id, existing.location))", at: idPosition(law.id, law.location))
            }
            if law.replaces == nil {
                laws[law.id] = law
                lawOrder.append(law.id)
            } else {
                // Alternative laws wait in `laws` under their own id until swapped in.
                laws[law.id] = law
            }
        }
        for s in file.specializations {
            if let existing = specializations.first(where: { $0.id == s.id }), existing.location != s.location {
                throw TheoryError("duplicate alternative id \(s.id): also defined at \(idPosition(s.id, existing.location))", at: idPosition(s.id, s.location))
            }
            specializations.append(s)
        }
        for example in file.examples {
            if let existing = examples.first(where: { $0.name == example.name }) {
                throw TheoryError("duplicate example \"\(example.name)\": also defined at \(existing.location)", at: example.location)
            }
            examples.append(example)
        }
    }

    /// Where a block's id is written on its header line.
    func idPosition(_ id: String, _ header: SourceLocation) -> SourceLocation { position(of: id, from: header) ?? header }
}
