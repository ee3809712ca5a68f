import Symbolic

/// A lemma instantiated: every side condition of SEMANTICS.md "Instantiation" proved.
struct LemmaInstance {
    var lemma: Lemma
    /// Every binding that is not the identity.
    var bindings: [String: Expr]
    var lhs: Expr
    var rhs: Expr
    var rel: Rel

    var describedBindings: String {
        let shown = bindings.sorted { $0.key < $1.key }.map { "\($0.key) := \($0.value)" }
        return shown.isEmpty ? "its own symbols" : shown.joined(separator: ", ")
    }
}

extension ProofContext {
    /// The symbols a lemma quantifies over: declared symbols in its statement and hypotheses that are neither
    /// quantities nor defined symbols.
    func variables(of lemma: Lemma) -> Set<String> {
        var names = Set(lemma.statement.lhs.freeSymbols + lemma.statement.rhs.freeSymbols)
        for (h, _) in lemma.hypotheses { names.formUnion(h.lhs.freeSymbols + h.rhs.freeSymbols) }
        return names.filter { !isQuantity($0) && !isDefined($0) }
    }

    /// Every quantity a lemma mentions (zero-argument ones as symbols, applied ones by name), also inside the
    /// definitions of the defined symbols it mentions (`define E2 = Err` hides Err).
    func quantities(in lemma: Lemma) -> [Quantity] {
        var exprs = [lemma.statement.lhs, lemma.statement.rhs]
        for (h, _) in lemma.hypotheses { exprs += [h.lhs, h.rhs] }
        exprs = exprs.map(expandDefinitions)
        var names = Set<String>()
        var stack = exprs
        while let node = stack.popLast() {
            switch node.shape {
            case .symbol(let s) where isQuantity(s): names.insert(s)
            case .apply(let f, _): names.insert(f)
            default: break
            }
            stack.append(contentsOf: node.children)
        }
        return names.sorted().compactMap { theory.quantities[$0] }
    }

    /// The definitions whose expansion mentions `symbol`, directly or through other definitions.
    func definitions(dependingOn symbol: String) -> [Definition] {
        theory.definitions.filter { expandDefinitions(.symbol($0.name)).contains(symbol: symbol) && $0.name != symbol }
    }

    func expandDefinitions(_ e: Expr) -> Expr { theory.expandDefinitions(e) }

    /// Rule **instantiate** (SEMANTICS.md): the lemma at `given`, or why that instance is not licensed.
    ///
    /// `region` is where the instance must hold (every admissible point, or eventually along the path for an
    /// asymptotic step).
    func instantiate(_ lemma: Lemma, _ given: [String: Expr], in region: Assumptions) -> Result<LemmaInstance, KernelFailure> {
        let variables = variables(of: lemma)
        let bindings = given.filter { $0.value != .symbol($0.key) }
        let quantities = quantities(in: lemma)
        for (name, value) in bindings.sorted(by: { $0.key < $1.key }) {
            if let q = theory.quantities[name] {
                return .failure(KernelFailure("\(name) is a quantity (declared at \(q.location)), an unknown the lemma is about, not a variable: it cannot be instantiated"))
            }
            if let d = theory.definitions.first(where: { $0.name == name }) {
                return .failure(KernelFailure("\(name) is defined as \(d.value) (\(d.location)), not a free symbol: it cannot be instantiated"))
            }
            guard variables.contains(name) else {
                return .failure(KernelFailure("\(lemma.id) does not mention \(name), so there is nothing to instantiate"))
            }
            if let d = definitions(dependingOn: name).first {
                return .failure(KernelFailure("\(name) cannot be instantiated: the definition of \(d.name) (\(d.location)) depends on it, and would change with it"))
            }
            if let q = quantities.first(where: { $0.hiddenlyDepends(on: name) }) {
                return .failure(KernelFailure("\(name) cannot be instantiated in \(lemma.id): the quantity \(q.name) (\(q.location)) may depend on \(name), and would silently change meaning (declare '\(q.name) ... independent of \(name)' if it does not)"))
            }
            if let problem = domainProblem(of: name, value: value, bindings: bindings, in: region) {
                return .failure(.undecided("\(lemma.id) with \(name) := \(value) \(problem)"))
            }
        }
        if let failure = pathProblem(lemma, bindings, quantities: quantities) { return .failure(failure) }
        for (hypothesis, location) in lemma.hypotheses {
            let lhs = hypothesis.lhs.substituting(bindings), rhs = hypothesis.rhs.substituting(bindings)
            // A hypothesis holds where it is defined and true: y/y = 1 fails at y = 0.
            if let problem = definednessProblem(lhs, in: region) ?? definednessProblem(rhs, in: region) {
                return .failure(.undecided("hypothesis '\(hypothesis)' of \(lemma.id) (\(location)) is not known to be defined for this instance: \(problem)"))
            }
            if let problem = relationProblem(lhs, hypothesis.op, rhs, in: region) {
                return .failure(.undecided("hypothesis '\(hypothesis)' of \(lemma.id) (\(location)) is not proved for this instance: \(problem)"))
            }
        }
        return .success(LemmaInstance(lemma: lemma, bindings: bindings, lhs: lemma.statement.lhs.substituting(bindings),
                                      rhs: lemma.statement.rhs.substituting(bindings), rel: Rel(lemma.statement.op)))
    }

    /// A lemma that holds only along a path (`as n -> oo fixed a`) is cited along the same growing variable, and its
    /// constant, which may depend on its fixed symbols, must depend only on this statement's fixed symbols.
    private func pathProblem(_ lemma: Lemma, _ bindings: [String: Expr], quantities: [Quantity]) -> KernelFailure? {
        guard let lemmaPath = lemma.path else { return nil }
        guard let path else {
            return KernelFailure("\(lemma.id) holds only as \(lemmaPath.growing) → ∞, and this statement has no path ('as \(lemmaPath.growing) -> oo')")
        }
        let grows = bindings[lemmaPath.growing] ?? .symbol(lemmaPath.growing)
        guard grows == .symbol(path.growing) else {
            return KernelFailure("\(lemma.id) holds as \(lemmaPath.growing) → ∞, but here \(lemmaPath.growing) is \(grows) and the statement's path is \(path.growing) → ∞")
        }
        let fixedHere = Set(path.fixed)
        var instance = [lemma.statement.lhs, lemma.statement.rhs].map { $0.substituting(bindings) }
        for (h, _) in lemma.hypotheses { instance += [h.lhs.substituting(bindings), h.rhs.substituting(bindings)] }
        for f in lemmaPath.fixed {
            let value = bindings[f] ?? .symbol(f)
            // A defined symbol is as fixed as the symbols of its definition.
            let moving = value.freeSymbols.filter { s in
                !fixedHere.contains(s) && !(isDefined(s) && expandDefinitions(.symbol(s)).freeSymbols.allSatisfy(fixedHere.contains))
            }
            if moving.isEmpty { continue }
            // A fixed symbol that the instance (statement and hypotheses, definitions expanded) does not mention, that
            // no quantity in it and no definition depends on, and that no assumption or hypothesis here ties to
            // another symbol, can be set to any one value of its domain: the constant and threshold are then absolute.
            let free = value == .symbol(f) && !isDefined(f)
                && !instance.contains { expandDefinitions($0).contains(symbol: f) }
                && !quantities.contains { $0.hiddenlyDepends(on: f) }
                && definitions(dependingOn: f).isEmpty
                && !all.facts.contains { $0.expression.contains(symbol: f) }
            if free { continue }
            let why = quantities.first { $0.hiddenlyDepends(on: f) }.map { " (\($0.name) may depend on \(f))" } ?? ""
            return KernelFailure("\(lemma.id)'s constant may depend on \(f)\(why), which is \(value) here; the statement's path holds only \(fixedHere.isEmpty ? "nothing" : fixedHere.sorted().joined(separator: ", ")) fixed (add 'fixed \(moving.joined(separator: ", "))' to its path if the constant may depend on \(moving.count == 1 ? "it" : "them"))")
        }
        return nil
    }
}
