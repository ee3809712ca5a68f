import Symbolic

/// What a theory must satisfy before anything is proved from it (SEMANTICS.md, "Theories"): paths that can be
/// followed, definitions that keep their symbol's declared domain, and assumptions that do not contradict each
/// other. Each violation is a located error.
extension Theory {
    /// A path names a declared symbol that can grow, and fixed symbols other than it. Lemmas, theorems and
    /// derivations qualify an asymptotic relation with it; substitutions (`with`) belong to laws.
    func checkPaths() throws {
        for lemma in orderedLemmas {
            guard let path = lemma.path else { continue }
            let op = lemma.statement.op
            if ![.asymptoticLessEqual, .asymptoticGreaterEqual, .asymptoticEqual].contains(op) {
                throw TheoryError("\(lemma.id) states an exact relation '\(op.rawValue)', which holds at every point; a path ('as \(path.growing) -> oo') qualifies only '<~', '>~' or '~'", at: path.location)
            }
            try checkPath(path, what: lemma.id, allowSubstitutions: false)
        }
        for recipe in recipes.values {
            if let path = recipe.path { try checkPath(path, what: "derive \(recipe.id)", allowSubstitutions: false) }
        }
    }

    /// A law's path, checked when the law is derived: a law that cannot be followed fails alone (under an
    /// alternative that sets M = 1, expert scaling as M → ∞ has no meaning) while the others still derive.
    public func lawPathProblem(_ law: Law) -> TheoryError? {
        guard let path = law.path else { return nil }
        do { try checkPath(path, what: "law \(law.id)", allowSubstitutions: true) } catch let e as TheoryError { return e } catch { return nil }
        return nil
    }

    private func checkPath(_ path: PathSpec, what: String, allowSubstitutions: Bool) throws {
        let v = path.growing
        let vAt = position(of: v, from: path.location) ?? path.location
        guard symbols.contains(where: { $0.name == v }) else {
            throw TheoryError("\(what) grows \(v), which is not a declared symbol"
                              + Suggestions.didYouMean(v, among: symbols.map(\.name).filter { !$0.isEmpty }), at: vAt)
        }
        if quantities[v] != nil {
            throw TheoryError("\(what) grows \(v), which is a quantity (an unknown the lemmas bound), not a symbol", at: vAt)
        }
        if let u = assumptions.interval(ofSymbol: v).upper {
            throw TheoryError("\(what): \(v) cannot grow, its domain is bounded above by \(u)", at: vAt)
        }
        for f in path.fixed {
            // The name after 'fixed' (the growing one is written first on the line).
            let fAt = position(of: f, from: f == v ? SourceLocation(file: vAt.file, line: vAt.line, column: vAt.column + 1) : path.location) ?? path.location
            if f == v { throw TheoryError("\(v) cannot be both growing and fixed", at: fAt) }
            // v <= f with f fixed bounds v as surely as a bounded domain: the path would be empty, every claim
            // along it vacuous (the checker fuzzer's case: 'assume n <= M' with 'fixed M').
            if assumptions.isDeclared(f), assumptions.linearlyProves(Expr.symbol(f) - .symbol(v), strict: false) {
                throw TheoryError("\(what): \(v) cannot grow while \(f) is fixed, since \(v) <= \(f)", at: fAt)
            }
            // A quantity depends, hidden, on every symbol it is not declared independent of: held fixed while v grows
            // it could grow with v (R with a lemma n^2 <= n*R), and a constant allowed to depend on it would too.
            if let q = quantities[f], !q.independentOf.contains(v) {
                throw TheoryError("\(what) holds the quantity \(f) fixed, but \(f) may depend on \(v), which grows: declare it 'independent of \(v)' to hold it fixed", at: fAt)
            }
            // A fixed defined symbol is fixed through its definition: it cannot contain the growing variable.
            if expandDefinitions(.symbol(f)).contains(symbol: v) {
                throw TheoryError("\(what) holds \(f) fixed, but \(f) is defined through \(v), which grows", at: fAt)
            }
            guard symbols.contains(where: { $0.name == f }) || quantities[f] != nil else {
                throw TheoryError("\(what) holds \(f) fixed, which is not a declared symbol"
                                  + Suggestions.didYouMean(f, among: symbols.map(\.name).filter { !$0.isEmpty } + quantities.keys), at: fAt)
            }
        }
        if !allowSubstitutions && !path.substitutions.isEmpty {
            throw TheoryError("\(what): a path with substitutions ('with ...') belongs to a law; a statement's path is 'as \(v) -> oo [fixed ...]'", at: path.location)
        }
    }

    /// A definition never mentions the symbol it defines (directly or through other definitions), and its value
    /// lies in the domain declared for that symbol (`N_eff : real >= 1` needs the definition to be >= 1).
    func checkDefinitions() throws {
        // The kernel's proofs, for what the quick oracle cannot tell (built on first need: most theories never need it).
        var built = false
        var context: ProofContext? = nil
        func kernel() -> ProofContext? {
            if !built { built = true; context = try? ProofContext(theory: self, path: nil) }
            return context
        }
        let map = Dictionary(definitions.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for d in definitions {
            var value = d.value
            for _ in 0...map.count {
                if value.contains(symbol: d.name) {
                    throw TheoryError("the definition of \(d.name) refers to \(d.name) itself", at: d.location)
                }
                let next = value.substituting(map)
                if next == value { break }
                value = next
            }
            // A definition says what its symbol's value is at every admissible point; where its value has none
            // (define D = sqrt(x) with x of any sign) steps `by definition` would prove things there from nothing
            // (x = D^2 >= 0). So it must be defined wherever the assumptions hold.
            // The quick oracle first; the kernel's sign proofs (linear arithmetic over the facts, polynomial
            // positivity) when it cannot tell, as for a step's definedness.
            if let quick = assumptions.undefinedness(of: d.value),
               let why = kernel().map({ $0.definednessProblem(d.value, in: $0.all) }) ?? quick {
                throw TheoryError("the definition of \(d.name) = \(d.value.display) is not known to be defined everywhere the assumptions admit: \(why); declare or assume what makes it defined", at: d.location)
            }
            for declaration in symbols where declaration.name == d.name {
                try checkDomain(of: d, declaration, kernel: kernel)
            }
        }
    }

    private func checkDomain(of d: Definition, _ declaration: SymbolDeclaration, kernel: () -> ProofContext?) throws {
        // The symbol's own line alone, as assumptions on it: its interval, integrality and relations.
        guard let own = Theory.ownAssumptions(of: declaration) else { return }
        let where_ = "the definition of \(d.name) (\(d.location)) must satisfy its declared domain (\(declaration.location))"
        if own.isInteger(d.name) && !assumptions.isIntegerValued(d.value) {
            throw TheoryError("\(where_): \(d.name) is an integer, and \(d.value) is not known to be one", at: d.location)
        }
        let range = own.interval(ofSymbol: d.name)
        func prove(_ e: Expr, strict: Bool, _ text: String) throws {
            let s = assumptions.sign(of: e)
            if s.sign == .positive || (!strict && s.sign.isNonnegative) { return }
            let simple = e.simplified(assumptions)
            // The kernel's sign rules (linear arithmetic over the facts, then polynomial positivity), as `by algebra`.
            if assumptions.linearlyProves(simple, strict: strict) || assumptions.polynomiallyProves(simple, strict: strict) { return }
            // The kernel's full sign proofs (factor signs, single fractions, cases), as a step `by algebra` gets them.
            if let k = kernel(), k.signProblem(e, strict: strict, in: k.all) == nil { return }
            throw TheoryError("\(where_): \(text) is not proved (\(s.reason))", at: d.location)
        }
        if let l = range.lower { try prove(d.value - .number(l), strict: range.lowerOpen, "\(d.value) \(range.lowerOpen ? ">" : ">=") \(l)") }
        if let u = range.upper { try prove(.number(u) - d.value, strict: range.upperOpen, "\(d.value) \(range.upperOpen ? "<" : "<=") \(u)") }
        for fact in own.facts {
            let instance = fact.expression.substituting([d.name: d.value])
            try prove(instance, strict: fact.strict, "\(instance) \(fact.strict ? ">" : ">=") 0")
        }
    }

    /// Facts that contradict each other only together (x >= y, y >= z, z - x >= 1) are found by linear arithmetic;
    /// the error names a smallest set of them.
    func checkConsistency() throws {
        guard assumptions.linearlyInconsistent else { return }
        // Drop facts while the rest is still contradictory: what is left is a minimal core.
        var core = assumptions.facts
        var i = 0
        while i < core.count {
            var trial = core
            trial.remove(at: i)
            if Assumptions.linearlyInconsistent(assumptions, facts: trial) { core = trial } else { i += 1 }
        }
        let named = core.map(\.origin.description)
        let location = core.first?.origin.location
        throw TheoryError("contradictory assumptions: \(named.isEmpty ? "the symbols' bounds" : named.joined(separator: ", ")) cannot all hold (linear arithmetic derives 0 < 0)", at: location)
    }
}

extension Theory {
    /// `e` with every defined symbol replaced by its definition, through definitions of definitions (loading
    /// refuses cycles, so this ends).
    func expandDefinitions(_ e: Expr) -> Expr {
        guard !definitions.isEmpty else { return e }
        let map = Dictionary(definitions.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        var result = e
        for _ in 0...map.count {
            let next = result.substituting(map)
            if next == result { break }
            result = next
        }
        return result
    }
}
