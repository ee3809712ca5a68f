import Foundation
import Symbolic

// Checker soundness fuzzing, part 2: random proof steps. A lemma side (instantiated by random, sometimes
// adversarial, bindings) is placed at a random position inside a random context, and the step replaces it by the
// other side; algebra, monotonicity, asymptotics and definition steps rewrite, weaken, drop or expand subterms.
// Relations are random, biased toward the ones that could hold, so that acceptance is not rare.

struct TheoremGenerator {
    var g: CaseGenerator
    let definition: (name: String, value: Expr)?
    let quantities: [CQuantity]
    let lemmas: [CLemma]

    static let hole = "HOLE"
    static let allOps: [RelationOperator] = [.equal, .lessEqual, .less, .greaterEqual, .greater, .asymptoticLessEqual, .asymptoticGreaterEqual, .asymptoticEqual]

    var symbols: [CSymbol] { g.symbols }
    func symbol(_ name: String) -> CSymbol? { g.symbol(name) }
    var nonGrowing: [CSymbol] { g.nonGrowing }

    init(g: CaseGenerator, definition: (name: String, value: Expr)?, quantities: [CQuantity], lemmas: [CLemma]) {
        self.g = g
        self.definition = definition
        self.quantities = quantities
        self.lemmas = lemmas
    }

    // MARK: theorem

    mutating func make(id: String) -> CTheorem {
        var hints: [String] = []
        let first = step(from: nil, hints: &hints)
        var steps = [first.1]
        if g.rng.chance(0.2) {
            var h2: [String] = []
            let second = step(from: first.1.rhs, hints: &h2)
            steps.append(second.1)
            hints += h2
        }
        var op = steps[0].op
        if steps.count == 2 { op = TheoremGenerator.chain(steps[0].op, steps[1].op) ?? steps[1].op }
        if g.rng.chance(0.12) { op = g.rng.pick(TheoremGenerator.allOps) }
        var path: [String]? = nil
        if TheoremGenerator.isAsymptotic(op), g.rng.chance(0.88) {
            var fixed: [String] = []
            for h in hints where g.rng.chance(0.75) && !fixed.contains(h) { fixed.append(h) }
            for s in nonGrowing where g.rng.chance(0.3) && !fixed.contains(s.name) { fixed.append(s.name) }
            path = fixed
        }
        var hyps: [CHypothesis] = []
        if g.rng.chance(0.1), let h = g.randomTrueHypothesis() { hyps.append(h) }
        return CTheorem(id: id, path: path, hypotheses: hyps, start: first.0, steps: steps, op: op, rhs: steps[steps.count - 1].rhs)
    }

    static func isAsymptotic(_ op: RelationOperator) -> Bool {
        op == .asymptoticLessEqual || op == .asymptoticGreaterEqual || op == .asymptoticEqual
    }

    /// The relation a chain of two steps proves (as the kernel's Rel.then), or nil when it turns.
    static func chain(_ a: RelationOperator, _ b: RelationOperator) -> RelationOperator? {
        func way(_ op: RelationOperator) -> Int {
            switch op {
            case .equal: return 0
            case .lessEqual, .less, .asymptoticLessEqual: return 1
            case .greaterEqual, .greater, .asymptoticGreaterEqual: return -1
            case .asymptoticEqual: return 2
            }
        }
        if a == .equal { return b }
        if b == .equal { return a }
        let asym = isAsymptotic(a) || isAsymptotic(b)
        let strict = a == .less || a == .greater || b == .less || b == .greater
        switch (way(a), way(b)) {
        case (1, 1): return asym ? .asymptoticLessEqual : (strict ? .less : .lessEqual)
        case (-1, -1): return asym ? .asymptoticGreaterEqual : (strict ? .greater : .greaterEqual)
        case (2, 2): return .asymptoticEqual
        case (2, 1), (1, 2): return .asymptoticLessEqual
        case (2, -1), (-1, 2): return .asymptoticGreaterEqual
        default: return nil
        }
    }

    static func flip(_ op: RelationOperator) -> RelationOperator {
        switch op {
        case .lessEqual: return .greaterEqual
        case .less: return .greater
        case .greaterEqual: return .lessEqual
        case .greater: return .less
        case .asymptoticLessEqual: return .asymptoticGreaterEqual
        case .asymptoticGreaterEqual: return .asymptoticLessEqual
        default: return op
        }
    }

    /// A relation implied by `op` (what a correct step could also claim).
    mutating func weakened(_ op: RelationOperator) -> RelationOperator {
        switch op {
        case .equal: return g.rng.pick([.lessEqual, .greaterEqual, .asymptoticEqual, .asymptoticLessEqual])
        case .less: return g.rng.pick([.lessEqual, .asymptoticLessEqual])
        case .greater: return g.rng.pick([.greaterEqual, .asymptoticGreaterEqual])
        case .lessEqual: return g.rng.pick([.asymptoticLessEqual, .less])
        case .greaterEqual: return g.rng.pick([.asymptoticGreaterEqual, .greater])
        case .asymptoticEqual: return g.rng.pick([.asymptoticLessEqual, .asymptoticGreaterEqual])
        case .asymptoticLessEqual: return g.rng.pick([.asymptoticEqual, .lessEqual])
        case .asymptoticGreaterEqual: return g.rng.pick([.asymptoticEqual, .greaterEqual])
        }
    }

    mutating func relation(natural: RelationOperator) -> RelationOperator {
        switch g.rng.weighted([45, 15, 10, 30]) {
        case 0: return natural
        case 1: return weakened(natural)
        case 2: return TheoremGenerator.flip(natural)
        default: return g.rng.pick(TheoremGenerator.allOps)
        }
    }

    /// One step: (its previous expression, the step). `hints` collects the fixed symbols the step may want.
    mutating func step(from prev: Expr?, hints: inout [String]) -> (Expr, CStep) {
        var weights = [45, 14, 15, 15, definition == nil ? 0 : 8]
        if lemmas.isEmpty { weights[0] = 0 }
        for _ in 0..<3 {
            switch g.rng.weighted(weights) {
            case 0: if let r = lemmaStep(from: prev, hints: &hints) { return r }
            case 1: return algebraStep(from: prev)
            case 2: return monotonicityStep(from: prev)
            case 3: return asymptoticsStep(from: prev)
            default: if let r = definitionStep(from: prev) { return r }
            }
        }
        return algebraStep(from: prev)
    }

    // MARK: expressions

    /// A zero-argument quantity, or a one-argument one at a random argument.
    mutating func quantityAtom() -> Expr? {
        guard !quantities.isEmpty else { return nil }
        let q = g.rng.pick(quantities)
        guard let arg = q.argument else { return sym(q.name) }
        let args: [Expr] = [sym(arg), Expr.reciprocal(sym("n")), lit(1, 2), sym(arg) * lit(1, 2), Expr.raise(sym(arg), lit(2)),
                            symbols.contains { $0.name == "x" } ? sym("x") : lit(1), lit(2), Expr.reciprocal(sym("n") + lit(1))]
        return .apply(q.name, [g.rng.pick(args)])
    }

    /// Terms whose growth along n -> oo is interesting.
    mutating func growthAtom() -> Expr {
        let n = sym("n")
        var options: [Expr] = [n, Expr.raise(n, lit(2)), Expr.sqrt(n), Expr.log(n), Expr.raise(Expr.log(n), lit(2)), n * Expr.log(n),
                               Expr.reciprocal(n), Expr.raise(n, lit(-1, 2)), Expr.raise(lit(2), n), Expr.log(lit(1) + n), n + Expr.log(n),
                               Expr.raise(n, Expr.reciprocal(n)), Expr.raise(lit(1) + Expr.reciprocal(n), n), Expr.exp(-n), n + lit(1), n - lit(1),
                               Expr.log(Expr.log(n)), Expr.raise(Expr.log(Expr.log(n)), lit(2)), Expr.log(n) * Expr.log(Expr.log(n)), Expr.reciprocal(Expr.log(n))]
        for s in nonGrowing {
            let v = sym(s.name)
            options.append(v)
            if s.positive { options += [Expr.raise(n, v), Expr.raise(n, -v), Expr.log(n * v), v * Expr.log(n), n / (lit(1) + v)] }
            if s.atLeastOne { options += [Expr.log(n * v), v * n, Expr.log(v)] }
            if s.nonnegative { options += [n * v, n + v] }
            if s.kind == .real { options += [Expr.raise(n, v), n * Expr.exp(v), v * n] }
            if case .bounded(let m) = s.kind { options += [v * Expr.log(Expr.e * sym(m) / v), v * Expr.log(sym(m)), Expr.log(.binom(sym(m), v))] }
        }
        if let d = definition { options.append(sym(d.name)) }
        if let q = quantityAtom() { options.append(q); options.append(q) }
        return g.rng.pick(options)
    }

    /// An operand for contexts and sums.
    mutating func other(_ want: Sgn = .any) -> Expr {
        switch g.rng.weighted([5, 2, definition == nil ? 0 : 1, 2, 2]) {
        case 0:
            switch want {
            case .pos: return g.positive(over: symbols, depth: g.rng.int(0...1)).e
            case .nonneg: return g.nonneg(over: symbols, depth: g.rng.int(0...1)).e
            case .any: return g.rng.chance(0.5) ? g.nonneg(over: symbols, depth: g.rng.int(0...1)).e : g.signed(over: symbols, depth: 0).e
            }
        case 1:
            if want == .any, let q = quantityAtom() { return q }
            return g.positive(over: symbols, depth: 0).e
        case 2: return want == .any ? sym(definition!.name) : g.positive(over: symbols, depth: 0).e
        case 3: return growthAtom()
        default: return g.rng.pick([lit(1), lit(2), lit(1, 2), lit(3)])
        }
    }

    mutating func randomExpr() -> Expr {
        var terms: [Expr] = []
        for _ in 0..<g.rng.int(1...3) {
            switch g.rng.weighted([4, 3, 2, 2, 1]) {
            case 0: terms.append(growthAtom())
            case 1: terms.append(g.nonneg(over: symbols, depth: 1).e)
            case 2: if let q = quantityAtom() { terms.append(g.rng.chance(0.5) ? q : g.rng.pick([lit(2), lit(1, 2), sym("n")]) * q) } else { terms.append(growthAtom()) }
            case 3: terms.append(g.rng.pick([lit(2), lit(3), lit(-1), lit(1, 2)]) * growthAtom())
            default: terms.append(g.signed(over: symbols, depth: 0).e)
            }
        }
        var e = Expr.add(terms)
        if g.rng.chance(0.3) { e = wrap(e, layers: 1) }
        return e
    }

    /// A random context around `h`, `layers` deep.
    mutating func wrap(_ h: Expr, layers: Int) -> Expr {
        var e = h
        let n = sym("n")
        for _ in 0..<layers {
            switch g.rng.weighted([6, 2, 2, 4, 2, 2, 2, 2, 2, 4, 1, 3, 3, 1, 3]) {
            case 0: e = g.rng.chance(0.5) ? e + other() : other() + e
            case 1: e = other() - e
            case 2: e = e - other()
            case 3: e = other(.pos) * e
            case 4: e = g.rng.pick([lit(-1), lit(-2), -other(.pos)]) * e
            case 5: e = other(.any) * e
            case 6: e = Expr.reciprocal(e)
            case 7: e = e / other(.pos)
            case 8: e = other(.pos) / e
            case 9:
                var exps: [Expr] = [lit(2), lit(3), lit(1, 2), lit(-1), lit(-2), lit(3, 2), n, Expr.reciprocal(n)]
                for s in nonGrowing { exps.append(sym(s.name)) }
                e = Expr.raise(e, g.rng.pick(exps))
            case 10: e = Expr.raise(g.rng.pick([lit(2), Expr.e, lit(1, 2), n]), e)
            case 11: e = g.rng.chance(0.6) ? Expr.log(e) : Expr.log(lit(1) + e)
            case 12: e = g.rng.chance(0.5) ? Expr.minimum([e, other()]) : Expr.maximum([other(), e])
            case 13: e = Expr.sqrt(e)
            default: e = g.rng.pick([lit(2), lit(3), lit(-1), lit(1, 2)]) * e
            }
        }
        return e
    }

    mutating func layers() -> Int { g.rng.weighted([30, 35, 25, 10]) }

    /// Put `old` and `new` into one random context.
    mutating func contextPair(_ old: Expr, _ new: Expr) -> (Expr, Expr) {
        let c = wrap(sym(TheoremGenerator.hole), layers: layers())
        return (c.substituting([TheoremGenerator.hole: old]), c.substituting([TheoremGenerator.hole: new]))
    }

    /// Sometimes the step's right side is slightly wrong.
    mutating func mutated(_ e: Expr) -> Expr {
        switch g.rng.below(6) {
        case 0: return lit(2) * e
        case 1: return e + lit(1)
        case 2: return e - lit(1)
        case 3: return Expr.raise(e, lit(2))
        case 4: return e * sym("n")
        default: return other()
        }
    }

    // MARK: lemma citations

    func variables(of l: CLemma) -> [String] {
        var names = Set(l.lhs.freeSymbols + l.rhs.freeSymbols)
        for h in l.hypotheses { names.formUnion(h.lhs.freeSymbols + h.rhs.freeSymbols) }
        let qs = Set(quantities.map(\.name))
        return names.filter { !qs.contains($0) && $0 != definition?.name }.sorted()
    }

    /// A value for `v` that is plausibly in its domain.
    mutating func legitValue(_ v: String) -> Expr {
        guard let s = symbol(v) else { return sym(v) }
        let n = sym("n")
        var options: [Expr] = []
        for o in symbols where o.name != v && o.kind == s.kind { options.append(sym(o.name)) }
        switch s.kind {
        case .int2: options += [n, Expr.raise(n, lit(2)), lit(2) * n, n + lit(1), lit(2), lit(3)]
        case .int1: options += [lit(1), n, Expr.raise(n, lit(2)), lit(2) * n, lit(3)]
        case .bounded(let m): options += [lit(1), sym(m)]
        case .positive: options += [n, Expr.reciprocal(n), lit(2), lit(1, 2), Expr.raise(n, lit(2)), Expr.log(n), g.positive(over: symbols, depth: 0).e]
        case .unit: options += [Expr.reciprocal(n), lit(1, 2), lit(1), Expr.reciprocal(n + lit(1)), sym(v) * lit(1, 2), Expr.raise(sym(v), lit(2))]
        case .openUnit: options += [Expr.reciprocal(n), lit(1, 2), Expr.reciprocal(n + lit(1)), Expr.raise(sym(v), lit(2))]
        case .atLeastOne: options += [n, lit(2), Expr.raise(n, lit(2)), lit(1), Expr.log(n) + lit(1), Expr.exp(sym(v))]
        case .nonneg: options += [lit(0), n, Expr.reciprocal(n), lit(2), g.nonneg(over: symbols, depth: 0).e]
        case .real: options += [n, -n, lit(-1), lit(0), lit(2), g.signed(over: symbols, depth: 0).e]
        case .aboveMinusOne: options += [lit(0), Expr.reciprocal(n), lit(-1, 2), n, g.nonneg(over: symbols, depth: 0).e]
        }
        return g.rng.pick(options)
    }

    /// An adversarial value for `v` in lemma `l`, and which kind of attack it is.
    mutating func adversarialValue(_ v: String, in l: CLemma) -> (Expr, String) {
        let n = sym("n")
        var attacks: [(Expr, String)] = []
        if let s = symbol(v) {
            switch s.kind {
            case .positive: attacks += [(lit(0), "outside its domain"), (lit(-1), "outside its domain"), (-n, "outside its domain")]
            case .unit: attacks += [(lit(2), "outside its domain"), (n, "outside its domain"), (lit(0), "outside its domain")]
            case .openUnit: attacks += [(lit(1), "outside its domain"), (lit(0), "outside its domain"), (lit(1) - Expr.reciprocal(n) + lit(1, 2), "outside its domain")]
            case .atLeastOne: attacks += [(lit(1, 2), "outside its domain"), (Expr.reciprocal(n), "outside its domain"), (lit(0), "outside its domain")]
            case .nonneg: attacks += [(lit(-1), "outside its domain"), (-n, "outside its domain"), (lit(-1, 2), "outside its domain")]
            case .aboveMinusOne: attacks += [(lit(-1), "outside its domain"), (lit(-2), "outside its domain")]
            case .real: break
            case .int1, .int2:
                attacks += [(n * lit(1, 2), "a non-integer for an integer"), (Expr.sqrt(n), "a non-integer for an integer"), (lit(3, 2), "a non-integer for an integer"),
                            (lit(s.kind == .int2 ? 1 : 0), "outside its domain")]
            case .bounded(let m):
                attacks += [(sym(m) + lit(1), "breaks a relation"), (lit(2) * sym(m), "breaks a relation"), (Expr.raise(sym(m), lit(2)), "breaks a relation"),
                            (lit(0), "outside its domain"), (sym(m) * lit(1, 2), "a non-integer for an integer")]
            }
            // Relations: `assume small <= big`.
            if s.unboundedAbove { attacks.append((lit(1), "may break a relation")) }
        }
        // A symbol a quantity of the lemma may depend on.
        for qn in l.quantities {
            guard let q = quantities.first(where: { $0.name == qn }) else { continue }
            if q.model.freeSymbols.contains(v) && v != q.argument {
                attacks += [(v == "n" ? Expr.raise(n, lit(2)) : lit(2) * sym(v), "a symbol the model depends on"),
                            (v == "n" ? lit(2) * n : sym(v) + lit(1), "a symbol the model depends on")]
            } else if !q.independent.contains(v) && v != q.argument {
                attacks.append((v == "n" ? Expr.raise(n, lit(2)) : lit(2) * sym(v), "a symbol the quantity is not declared independent of"))
            }
        }
        if let fixed = l.path {
            if v == "n" { attacks += [(Expr.raise(n, lit(2)), "the growing variable rebound"), (lit(2) * n, "the growing variable rebound")] }
            if fixed.contains(v) {
                attacks += [(n, "a fixed symbol bound to a growing expression"), (Expr.reciprocal(n), "a fixed symbol bound to a growing expression"),
                            (Expr.reciprocal(Expr.log(n)), "a fixed symbol bound to a growing expression")]
            }
        }
        if attacks.isEmpty { return (legitValue(v), "legitimate") }
        return g.rng.pick(attacks)
    }

    func bindingText(_ b: [(String, Expr)]) -> String {
        b.isEmpty ? "" : " [" + b.map { "\($0.0) := \($0.1.text)" }.joined(separator: ", ") + "]"
    }

    /// Positions of every subterm (child-index paths), at most `limit`.
    static func positions(_ e: Expr, limit: Int = 60) -> [([Int], Expr)] {
        var out: [([Int], Expr)] = []
        var stack: [([Int], Expr)] = [([], e)]
        while let (p, node) = stack.popLast(), out.count < limit {
            out.append((p, node))
            for (i, c) in node.children.enumerated() { stack.append((p + [i], c)) }
        }
        return out
    }

    static func replacing(_ e: Expr, at path: ArraySlice<Int>, with new: Expr) -> Expr {
        guard let i = path.first else { return new }
        var children = e.children
        guard i < children.count else { return e }
        children[i] = replacing(children[i], at: path.dropFirst(), with: new)
        return e.replacingChildren(children)
    }

    mutating func lemmaStep(from prev: Expr?, hints: inout [String]) -> (Expr, CStep)? {
        if let prev {
            // A later step: cite a lemma whose side occurs in the previous expression.
            var found: [(CLemma, [Int], Bool)] = []
            for (p, u) in TheoremGenerator.positions(prev) {
                for l in lemmas {
                    if u == l.lhs { found.append((l, p, false)) }
                    if u == l.rhs { found.append((l, p, true)) }
                }
            }
            guard let (l, p, reversed) = found.randomElement(using: &g.rng) else { return nil }
            var next = TheoremGenerator.replacing(prev, at: p[...], with: reversed ? l.lhs : l.rhs)
            if g.rng.chance(0.1) { next = mutated(next) }
            let op = relation(natural: reversed ? TheoremGenerator.flip(l.op) : l.op)
            if let f = l.path { hints += f }
            return (prev, CStep(op: op, rhs: next, by: l.id, tag: "lemma (later step)", bindingTag: "matching"))
        }
        let l = g.rng.pick(lemmas)
        if let f = l.path { hints += f }
        var sigma: [String: Expr] = [:]
        var given: [(String, Expr)] = []
        var tags: Set<String> = []
        for v in variables(of: l) {
            var value = sym(v)
            switch g.rng.weighted([50, 30, 20]) {
            case 0: break
            case 1: value = legitValue(v); tags.insert("legitimate")
            default: let (e, t) = adversarialValue(v, in: l); value = e; tags.insert(t)
            }
            if value != sym(v) {
                sigma[v] = value
                if g.rng.chance(0.65) { given.append((v, value)) } else { tags.insert("by matching") }
            } else if g.rng.chance(0.05) {
                given.append((v, value))
                tags.insert("identity given")
            }
        }
        // Bindings the kernel must always refuse: quantities and defined symbols.
        let mentioned = Set(l.lhs.freeSymbols + l.rhs.freeSymbols)
        if let q = quantities.first(where: { $0.argument == nil && mentioned.contains($0.name) }), g.rng.chance(0.05) {
            let v = g.rng.pick([lit(1), lit(0), sym("n")])
            sigma[q.name] = v
            given.append((q.name, v))
            tags.insert("binds a quantity")
        }
        if let d = definition, mentioned.contains(d.name), g.rng.chance(0.3) {
            let v = g.rng.pick([sym("n"), lit(1)])
            sigma[d.name] = v
            given.append((d.name, v))
            tags.insert("binds a defined symbol")
        }
        let lhs = l.lhs.substituting(sigma), rhs = l.rhs.substituting(sigma)
        let reversed = g.rng.chance(0.25)
        let (old, new) = reversed ? (rhs, lhs) : (lhs, rhs)
        var (prev, next) = contextPair(old, new)
        var tag = given.isEmpty ? "lemma (matching)" : "lemma (explicit bindings)"
        if g.rng.chance(0.1) { next = mutated(next); tag += ", wrong right side" }
        let op = relation(natural: reversed ? TheoremGenerator.flip(l.op) : l.op)
        given.sort { $0.0 < $1.0 }
        let bindingTag = tags.isEmpty ? "none" : tags.sorted().joined(separator: " + ")
        return (prev, CStep(op: op, rhs: next, by: l.id + bindingText(given), tag: tag + (reversed ? ", right to left" : ""), bindingTag: bindingTag))
    }

    // MARK: algebra

    /// Identities (some conditional) as (left, right) pairs built from random operands.
    mutating func identity() -> (Expr, Expr) {
        func operand(_ want: Sgn = .any) -> Expr {
            switch g.rng.weighted([3, 2, 1]) {
            case 0: return want == .any && g.rng.chance(0.3) ? g.signed(over: symbols, depth: 0).e : g.positive(over: symbols, depth: 0).e
            case 1: return sym(g.rng.pick(symbols).name)
            default: return quantityAtom() ?? growthAtom()
            }
        }
        let a = operand(), b = operand(), c = operand()
        var exps: [Expr] = [lit(2), lit(3), lit(1, 2), lit(-1), sym("n"), lit(2, 3), lit(-1, 2)]
        for s in nonGrowing { exps.append(sym(s.name)) }
        let p = g.rng.pick(exps), q = g.rng.pick([lit(2), lit(1, 2), lit(-1), lit(3), lit(1, 3)] + exps)
        // Rules of the canonical forms: exp of c*log, products of powers of numbers, powers of powers, min/max of
        // powers over ordered bases or exponents, lattice absorption, logs of integers and of products.
        if g.rng.chance(0.4) {
            let x = sym(g.rng.pick(symbols).name), y = sym(g.rng.pick(symbols).name)
            let (lo, hi): (Expr, Expr) = symbols.first(where: { $0.upperSymbol != nil }).map { (sym($0.name), sym($0.upperSymbol!)) } ?? (x, y)
            switch g.rng.below(18) {
            case 0: return (Expr.exp(p * Expr.log(a)), Expr.raise(a, p))
            case 1: return (Expr.raise(lit(2), x) * Expr.raise(lit(3), x), Expr.raise(lit(6), x))
            case 2: return (Expr.raise(Expr.raise(x, p), q), Expr.raise(x, p * q))
            case 3: return (Expr.raise(Expr.raise(x, lit(3)), lit(2, 3)), Expr.raise(x, lit(2)))
            case 4: return (Expr.minimum([Expr.raise(lo, p), Expr.raise(hi, p)]), Expr.raise(g.rng.chance(0.5) ? lo : hi, p))
            case 5: return (Expr.maximum([Expr.raise(lo, p), Expr.raise(hi, p)]), Expr.raise(g.rng.chance(0.5) ? lo : hi, p))
            case 6: return (Expr.maximum([Expr.raise(x, p), Expr.raise(x, q)]), Expr.raise(x, g.rng.chance(0.5) ? p : q))
            case 7: return (Expr.minimum([x, Expr.maximum([x, y])]), x)
            case 8: return (Expr.log(lit(12)), lit(2) * Expr.log(lit(2)) + Expr.log(lit(3)))
            case 9: return (Expr.reciprocal(lit(3) * Expr.sqrt(lit(2))), Expr.sqrt(lit(2)) / lit(6))
            case 10: return (Expr.raise(x / lit(6), p) * Expr.raise(lit(6), p), Expr.raise(x, p))
            case 11: return (Expr.exp(x + Expr.log(y)), y * Expr.exp(x))
            case 12: return (Expr.log(x * y), Expr.log(x) + Expr.log(y))
            case 13: return (Expr.raise(x * y, p), Expr.raise(x, p) * Expr.raise(y, p))
            case 14: return (Expr.sqrt(Expr.raise(x, lit(2))), x)
            case 15: return (Expr.raise(Expr.raise(x, lit(2)), sym("n")), Expr.raise(x, lit(2) * sym("n")))
            case 16: return (Expr.log(Expr.log(sym("n"))) + Expr.log(Expr.log(sym("n"))), lit(2) * Expr.log(Expr.log(sym("n"))))
            default: return (Expr.raise(Expr.e, Expr.log(x) * y), Expr.raise(x, y))
            }
        }
        switch g.rng.below(16) {
        case 0: return (a * (b + c), a * b + a * c)
        case 1: return (Expr.raise(a + b, lit(2)), Expr.raise(a, lit(2)) + lit(2) * a * b + Expr.raise(b, lit(2)))
        case 2: return (Expr.log(a * b), Expr.log(a) + Expr.log(b))
        case 3: return (Expr.log(Expr.raise(a, p)), p * Expr.log(a))
        case 4: return (Expr.log(a) + Expr.log(b), Expr.log(a * b))
        case 5: return (Expr.raise(a, p) * Expr.raise(a, q), Expr.raise(a, p + q))
        case 6: return (Expr.raise(Expr.raise(a, p), q), Expr.raise(a, p * q))
        case 7: return (Expr.sqrt(Expr.raise(a, lit(2))), a)
        case 8: return (Expr.exp(Expr.log(a)), a)
        case 9: return (a / a, lit(1))
        case 10: return (Expr.minimum([a, b]) + Expr.maximum([a, b]), a + b)
        case 11: return (a - a, lit(0))
        case 12: return ((a + b) / c, a / c + b / c)
        case 13: return (Expr.raise(a * b, p), Expr.raise(a, p) * Expr.raise(b, p))
        case 14: return (Expr.log(a / b), Expr.log(a) - Expr.log(b))
        default: return (a * b, b * a)
        }
    }

    mutating func algebraStep(from prev: Expr?) -> (Expr, CStep) {
        let natural: RelationOperator
        var prevE: Expr, next: Expr
        var tag = "algebra"
        switch g.rng.weighted([prev == nil ? 40 : 0, 20, 10, 10, 10]) {
        case 0:
            let (l, r) = identity()
            (prevE, next) = contextPair(l, r)
            natural = .equal
            tag += " (identity)"
        case 1:
            prevE = prev ?? randomExpr()
            let s = g.rng.chance(0.7) ? g.nonneg(over: symbols, depth: g.rng.int(0...1)) : SExpr(e: other(), sign: .any)
            next = g.rng.chance(0.5) ? prevE + s.e : s.e + prevE
            natural = s.sign == .pos ? .less : .lessEqual
            tag += " (add a term)"
        case 2:
            prevE = prev ?? randomExpr()
            next = g.rng.pick([lit(2), lit(1, 2), lit(3), sym("n")]) * prevE
            natural = .lessEqual
            tag += " (scale)"
        case 3:
            prevE = prev ?? randomExpr()
            next = randomExpr()
            natural = g.rng.pick(TheoremGenerator.allOps)
            tag += " (unrelated)"
        default:
            prevE = prev ?? randomExpr()
            next = perturbNumber(prevE)
            natural = g.rng.pick([.lessEqual, .greaterEqual, .equal])
            tag += " (perturb a number)"
        }
        if g.rng.chance(0.08) { next = mutated(next) }
        let op = relation(natural: natural)
        return (prevE, CStep(op: op, rhs: next, by: "algebra", tag: tag, bindingTag: ""))
    }

    mutating func perturbNumber(_ e: Expr) -> Expr {
        let numbers = TheoremGenerator.positions(e).filter { $0.1.isNumber }
        guard let (p, u) = numbers.randomElement(using: &g.rng), let v = u.numberValue else { return e + lit(1) }
        let w = g.rng.pick([v + 1, v - 1, v * 2, -v, v * rat(1, 2)])
        return TheoremGenerator.replacing(e, at: p[...], with: .number(w))
    }

    // MARK: monotonicity

    /// A replacement for `u` with the relation it has to `u` when that is known by construction (.equal when not).
    mutating func monotoneReplacement(_ u: Expr) -> (Expr, RelationOperator) {
        if case .min(let xs) = u.shape, g.rng.chance(0.7) { return (g.rng.pick(xs), .lessEqual) }
        if case .max(let xs) = u.shape, g.rng.chance(0.7) { return (g.rng.pick(xs), .greaterEqual) }
        if let name = u.symbolName, let s = symbol(name), g.rng.chance(0.5) {
            switch s.kind {
            case .unit: return (lit(1), .lessEqual)
            case .openUnit: return (lit(1), .less)
            case .bounded(let m): return (sym(m), .lessEqual)
            case .int1, .atLeastOne: return (g.rng.chance(0.5) ? lit(1) : u + lit(1), g.rng.chance(0.5) ? .greaterEqual : .lessEqual)
            case .int2: return (g.rng.chance(0.5) ? lit(2) : u + lit(1), g.rng.chance(0.5) ? .greaterEqual : .lessEqual)
            case .nonneg, .positive: return (lit(0), .greaterEqual)
            default: break
            }
        }
        if let v = u.numberValue { return (.number(v + 1), .less) }
        switch g.rng.below(9) {
        case 0: let s = g.nonneg(over: symbols, depth: 0); return (u + s.e, s.sign == .pos ? .less : .lessEqual)
        case 1: let s = g.nonneg(over: symbols, depth: 0); return (u - s.e, s.sign == .pos ? .greater : .greaterEqual)
        case 2: return (lit(2) * u, .lessEqual)
        case 3: return (u * lit(1, 2), .greaterEqual)
        case 4: return (Expr.raise(u, lit(2)), .lessEqual)
        case 5: return (Expr.sqrt(u), .lessEqual)
        case 6: return (Expr.minimum([u, other()]), .greaterEqual)
        case 7: return (Expr.maximum([other(), u]), .lessEqual)
        default: return (other(), g.rng.pick(TheoremGenerator.allOps))
        }
    }

    mutating func monotonicityStep(from prev: Expr?) -> (Expr, CStep) {
        let prevE: Expr
        if let prev { prevE = prev } else {
            var base = randomExpr()
            if g.rng.chance(0.5) {
                let (l, _) = monotoneReplacement(growthAtom())
                base = wrap(l, layers: layers())
            }
            prevE = base
        }
        let spots = TheoremGenerator.positions(prevE)
        let inner = spots.count > 1 && g.rng.chance(0.85) ? Array(spots.dropFirst()) : spots
        let (p, u) = g.rng.pick(inner)
        let (new, hole) = monotoneReplacement(u)
        var next = TheoremGenerator.replacing(prevE, at: p[...], with: new)
        if g.rng.chance(0.06) { next = mutated(next) }
        // The relation through the context is not known here: any of the two directions, or its weakening.
        var op = relation(natural: hole == .equal ? .lessEqual : hole)
        if g.rng.chance(0.3) { op = TheoremGenerator.flip(op) }
        return (prevE, CStep(op: op, rhs: next, by: "monotonicity", tag: "monotonicity", bindingTag: ""))
    }

    // MARK: asymptotics

    mutating func asymptoticsStep(from prev: Expr?) -> (Expr, CStep) {
        var prevE = prev ?? Expr.add((0..<g.rng.int(1...3)).map { _ in g.rng.chance(0.8) ? growthAtom() : g.rng.pick([lit(2), lit(3)]) * growthAtom() })
        if prev == nil, g.rng.chance(0.25) { prevE = wrap(prevE, layers: 1) }
        var next: Expr
        var tag = "asymptotics"
        switch g.rng.weighted([5, 3, 2, 3, 2, 2]) {
        case 0:
            // Drop a term of a sum somewhere.
            let sums = TheoremGenerator.positions(prevE).filter { if case .sum = $0.1.shape { return true } else { return false } }
            if let (p, s) = sums.randomElement(using: &g.rng) {
                var ts = s.children
                ts.remove(at: g.rng.below(ts.count))
                next = TheoremGenerator.replacing(prevE, at: p[...], with: Expr.add(ts))
                tag += " (drop a term)"
            } else {
                next = prevE + growthAtom()
                tag += " (add a term)"
            }
        case 1: next = prevE + growthAtom(); tag += " (add a term)"
        case 2:
            var cs: [Expr] = [lit(2), lit(1, 2), lit(10)]
            for s in nonGrowing { cs.append(sym(s.name)) }
            next = g.rng.pick(cs) * prevE
            tag += " (scale)"
        case 3:
            let spots = TheoremGenerator.positions(prevE)
            let (p, u) = g.rng.pick(spots)
            next = TheoremGenerator.replacing(prevE, at: p[...], with: asymptoticReplacement(u))
            tag += " (replace a subterm)"
        case 4: next = growthAtom(); tag += " (unrelated)"
        default:
            let (p, u) = g.rng.pick(TheoremGenerator.positions(prevE))
            next = TheoremGenerator.replacing(prevE, at: p[...], with: monotoneReplacement(u).0)
            tag += " (monotone replacement)"
        }
        let op: RelationOperator
        switch g.rng.weighted([40, 20, 25, 15]) {
        case 0: op = .asymptoticLessEqual
        case 1: op = .asymptoticGreaterEqual
        case 2: op = .asymptoticEqual
        default: op = g.rng.pick(TheoremGenerator.allOps)
        }
        return (prevE, CStep(op: op, rhs: next, by: "asymptotics", tag: tag, bindingTag: ""))
    }

    mutating func asymptoticReplacement(_ u: Expr) -> Expr {
        let n = sym("n")
        switch u.shape {
        case .log(let x):
            if case .product(let fs) = x.shape, fs.count > 1 { return Expr.log(g.rng.pick(fs)) }
            return g.rng.pick([Expr.log(n), x, lit(1)])
        case .sum(let ts): return g.rng.pick(ts)
        case .power(let b, let x): return g.rng.pick([b, Expr.raise(b, x + lit(1)), Expr.raise(b, x * lit(1, 2)), Expr.exp(x)])
        case .product(let fs): return Expr.multiply(Array(fs.dropFirst()))
        case .symbol(let s) where s == "n": return g.rng.pick([n + lit(1), lit(2) * n, Expr.raise(n, lit(2)), Expr.log(n)])
        default: return growthAtom()
        }
    }

    // MARK: definition

    mutating func definitionStep(from prev: Expr?) -> (Expr, CStep)? {
        guard let d = definition else { return nil }
        let D = sym(d.name)
        var prevE: Expr, next: Expr
        let value = g.rng.chance(0.1) ? mutated(d.value) : d.value
        if let prev {
            prevE = prev
            if prev.contains(symbol: d.name) { next = prev.substituting([d.name: value]) } else { next = prev + D - value }
        } else if g.rng.chance(0.7) {
            (prevE, next) = contextPair(D, value)
        } else {
            (prevE, next) = contextPair(d.value, D)
        }
        let op = relation(natural: .equal)
        return (prevE, CStep(op: op, rhs: next, by: "definition", tag: "definition", bindingTag: ""))
    }
}
