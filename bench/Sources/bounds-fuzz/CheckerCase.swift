import Foundation
import Symbolic

// Checker soundness fuzzing, part 1: random theories with known models.
//
// Each case is a small theory: symbols with random domains, sometimes a relation and a definition, quantities
// with declared bounds and `independent of` lists, lemmas, and theorems with one- or two-step proofs. Every
// quantity has a MODEL, an explicit expression the fuzzer knows and the checker does not (it is written into the
// theory only as a comment). Every lemma and every declared bound is true for the models, by construction (and
// checked numerically before the case is used). So a step the kernel accepts must be true with the quantities
// replaced by their models; CheckerConfirm.swift checks that numerically.

// MARK: - Symbols

enum CKind: Equatable {
    case positive, unit, openUnit, atLeastOne, nonneg, real, aboveMinusOne, int1, int2
    /// `integer in [1, M]`.
    case bounded(String)
}

struct CSymbol {
    var name: String
    var kind: CKind

    var integer: Bool {
        switch kind {
        case .int1, .int2, .bounded: return true
        default: return false
        }
    }

    var declaration: String {
        switch kind {
        case .positive: return "real > 0"
        case .unit: return "real in (0, 1]"
        case .openUnit: return "real in (0, 1)"
        case .atLeastOne: return "real >= 1"
        case .nonneg: return "real >= 0"
        case .real: return "real"
        case .aboveMinusOne: return "real > -1"
        case .int1: return "integer >= 1"
        case .int2: return "integer >= 2"
        case .bounded(let m): return "integer in [1, \(m)]"
        }
    }

    /// The constant part of the domain: (lower, open), (upper, open); nil is unbounded.
    var lower: (Rational, Bool)? {
        switch kind {
        case .positive, .unit, .openUnit: return (0, true)
        case .atLeastOne, .int1, .bounded: return (1, false)
        case .nonneg: return (0, false)
        case .real: return nil
        case .aboveMinusOne: return (-1, true)
        case .int2: return (2, false)
        }
    }

    var upper: (Rational, Bool)? {
        switch kind {
        case .unit: return (1, false)
        case .openUnit: return (1, true)
        default: return nil
        }
    }

    /// The symbol bounding this one from above (`k in [1, M]`).
    var upperSymbol: String? { if case .bounded(let m) = kind { return m } else { return nil } }

    var positive: Bool { if let (l, open) = lower { return l > 0 || (l == 0 && open) } else { return false } }
    var nonnegative: Bool { if let (l, _) = lower { return l >= 0 } else { return false } }
    var atLeastOne: Bool { if let (l, _) = lower { return l >= 1 } else { return false } }
    var aboveMinusOne: Bool { if let (l, open) = lower { return l > -1 || (l == -1 && open) } else { return false } }
    var unboundedAbove: Bool { upper == nil && upperSymbol == nil }
    var inUnitInterval: Bool { nonnegative && upper != nil }
}

// MARK: - Expr helpers

func sym(_ name: String) -> Expr { .symbol(name) }
func lit(_ p: Int, _ q: Int = 1) -> Expr { .number(Rational(numerator: BigInt(p), denominator: BigInt(q))!) }
func rat(_ p: Int, _ q: Int = 1) -> Rational { Rational(numerator: BigInt(p), denominator: BigInt(q))! }

/// What is known of an expression's sign on the whole admissible domain (where it is always defined).
enum Sgn: Equatable {
    case pos, nonneg, any
    static func sum(_ a: Sgn, _ b: Sgn) -> Sgn {
        if a == .any || b == .any { return .any }
        return (a == .pos || b == .pos) ? .pos : .nonneg
    }
    static func product(_ a: Sgn, _ b: Sgn) -> Sgn {
        if a == .any || b == .any { return .any }
        return (a == .pos && b == .pos) ? .pos : .nonneg
    }
}

struct SExpr { var e: Expr; var sign: Sgn }

// MARK: - The case

struct CQuantity {
    var name: String
    /// The argument symbol of a one-argument quantity (`Cov(u)`); the model is written in it.
    var argument: String?
    var model: Expr
    var modelSign: Sgn
    var bound: Expr?
    var independent: [String]

    var atom: Expr { argument.map { Expr.apply(name, [sym($0)]) } ?? sym(name) }
    func applied(to e: Expr) -> Expr { argument == nil ? sym(name) : Expr.apply(name, [e]) }
}

struct CHypothesis {
    var lhs: Expr
    var op: RelationOperator
    var rhs: Expr
    var text: String { "\(lhs.text) \(op.rawValue) \(rhs.text)" }
}

struct CLemma {
    var id: String
    var template: String
    var hypotheses: [CHypothesis]
    var lhs: Expr
    var op: RelationOperator
    var rhs: Expr
    /// The fixed symbols of its path `as n -> oo fixed ...`; nil without a path.
    var path: [String]?
    /// Quantities it mentions.
    var quantities: [String]
}

struct CStep {
    var op: RelationOperator
    var rhs: Expr
    var by: String
    /// For statistics: the kind of justification and, for lemma citations, how the bindings were made.
    var tag: String
    var bindingTag: String
}

struct CTheorem {
    var id: String
    var path: [String]?
    var hypotheses: [CHypothesis]
    var start: Expr
    var steps: [CStep]
    var op: RelationOperator
    var rhs: Expr
}

struct CheckerCase {
    var seed: UInt64
    var index: Int
    var symbols: [CSymbol]
    /// `assume small <= big`.
    var relations: [(small: String, big: String)]
    var definition: (name: String, value: Expr)?
    var quantities: [CQuantity]
    var lemmas: [CLemma]
    var theorems: [CTheorem]

    static let growing = "n"
    static let path = "case.bounds"

    func symbol(_ name: String) -> CSymbol? { symbols.first { $0.name == name } }
    func quantity(_ name: String) -> CQuantity? { quantities.first { $0.name == name } }
    var baseNames: [String] { symbols.map(\.name) }

    /// The theory text, with the models as comments; `only` keeps a subset of the theorems (for reproducers).
    func text(only: Set<String>? = nil, header: [String] = []) -> String {
        var out: [String] = []
        out.append("# bounds-fuzz checker case: seed \(seed), index \(index) (bounds-fuzz --replay checker \(seed) \(index))")
        for h in header { out.append("# " + h) }
        out.append("# models (known to the fuzzer, not to the checker; every lemma and bound holds for them):")
        for q in quantities {
            out.append("#   \(q.argument.map { "\(q.name)(\($0))" } ?? q.name) = \(q.model.text)")
        }
        out.append("")
        out.append("symbols")
        for s in symbols { out.append("  \(s.name) : \(s.declaration)") }
        for r in relations { out.append("  assume \(r.small) <= \(r.big)") }
        if !quantities.isEmpty {
            out.append("")
            out.append("quantities")
            for q in quantities {
                var line = "  " + (q.argument.map { "\(q.name)(\($0))" } ?? q.name)
                if let b = q.bound { line += " >= \(b.text)" }
                if !q.independent.isEmpty { line += " independent of \(q.independent.joined(separator: ", "))" }
                out.append(line)
            }
        }
        if let d = definition {
            out.append("")
            out.append("define \(d.name) = \(d.value.text)")
        }
        for l in lemmas {
            out.append("")
            out.append("lemma \(l.id) \"\(l.template)\" [standard]")
            out.append("  source \"fuzz\"")
            for h in l.hypotheses { out.append("  if \(h.text)") }
            if let f = l.path { out.append("  as \(CheckerCase.growing) -> oo" + (f.isEmpty ? "" : " fixed \(f.joined(separator: ", "))")) }
            out.append("  \(l.lhs.text) \(l.op.rawValue) \(l.rhs.text)")
        }
        for t in theorems where only == nil || only!.contains(t.id) {
            out.append("")
            out.append("theorem \(t.id) \"fuzz\" [derived]")
            out.append("  source \"fuzz\"")
            for h in t.hypotheses { out.append("  if \(h.text)") }
            if let f = t.path { out.append("  as \(CheckerCase.growing) -> oo" + (f.isEmpty ? "" : " fixed \(f.joined(separator: ", "))")) }
            out.append("  \(t.start.text) \(t.op.rawValue) \(t.rhs.text)")
            out.append("proof")
            for (i, s) in t.steps.enumerated() {
                let head = i == 0 ? "  \(t.start.text) " : "      "
                out.append(head + "\(s.op.rawValue) \(s.rhs.text)   by \(s.by)")
            }
            out.append("qed")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func make(seed: UInt64, index: Int) -> CheckerCase {
        var g = CaseGenerator(seed: seed, index: index)
        return g.make()
    }
}

// MARK: - Generation

struct CaseGenerator {
    var rng: FuzzRNG
    let seed: UInt64
    let index: Int
    var symbols: [CSymbol] = []
    var relations: [(small: String, big: String)] = []
    var definition: (name: String, value: Expr)? = nil
    var quantities: [CQuantity] = []
    var lemmas: [CLemma] = []

    init(seed: UInt64, index: Int) {
        self.seed = seed
        self.index = index
        rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 21)
    }

    /// An expression source over given symbols (for the theorem generator).
    init(rng: FuzzRNG, symbols: [CSymbol]) {
        self.seed = 0
        self.index = 0
        self.rng = rng
        self.symbols = symbols
    }

    static let menu: [(String, [CKind])] = [
        ("a", [.positive, .unit, .atLeastOne, .positive]),
        ("b", [.real, .positive, .nonneg, .aboveMinusOne]),
        ("x", [.unit, .openUnit, .nonneg, .positive]),
        ("y", [.positive, .atLeastOne, .real, .aboveMinusOne, .nonneg]),
        ("M", [.int1, .atLeastOne, .int2]),
        ("t", [.real, .positive, .nonneg]),
    ]

    func symbol(_ name: String) -> CSymbol? { symbols.first { $0.name == name } }
    var nonGrowing: [CSymbol] { symbols.filter { $0.name != CheckerCase.growing } }

    mutating func make() -> CheckerCase {
        // Symbols: n always, then two to four others.
        symbols = [CSymbol(name: "n", kind: .int2)]
        var menu = CaseGenerator.menu
        let count = rng.int(2...4)
        for _ in 0..<count {
            let i = rng.below(menu.count)
            let (name, kinds) = menu.remove(at: i)
            symbols.append(CSymbol(name: name, kind: rng.pick(kinds)))
        }
        if let m = symbol("M"), rng.chance(0.55) {
            symbols.append(CSymbol(name: "k", kind: m.integer ? .bounded("M") : .int1))
        }
        let wantsCov = rng.chance(0.4)
        if wantsCov { symbols.append(CSymbol(name: "u", kind: rng.chance(0.7) ? .unit : .positive)) }
        // Sometimes a relation small <= big that leaves both domains nonempty.
        if rng.chance(0.25) {
            let candidates = symbols.filter { $0.upperSymbol == nil }
            for _ in 0..<6 {
                let big = rng.pick(candidates), small = rng.pick(candidates)
                guard big.name != small.name, big.unboundedAbove else { continue }
                let lowSmall = small.lower.map { $0.0 }, lowBig = big.lower.map { $0.0 }
                // The smallest value of `small` must be below the values of `big`.
                if let lb = lowBig { guard let ls = lowSmall, ls <= lb else { continue } }
                if small.integer && !big.integer && !(big.lower.map { $0.0 >= 1 } ?? false) { continue }
                relations.append((small.name, big.name))
                break
            }
        }
        // Sometimes a defined symbol.
        if rng.chance(0.3) {
            let over = Array(nonGrowing.filter { $0.name != "u" }.shuffledPrefix(rng.int(1...2), &rng)) + (rng.chance(0.5) ? [symbols[0]] : [])
            let v = nonneg(over: over.isEmpty ? [symbols[0]] : over, depth: 1)
            if !v.e.freeSymbols.isEmpty { definition = ("D", v.e) }
        }
        // Quantities with models and their lemmas.
        var names = ["Q", "R", "E"]
        let qCount = rng.int(1...2) + (wantsCov ? 0 : (rng.chance(0.3) ? 1 : 0))
        for _ in 0..<qCount {
            let name = names.remove(at: rng.below(names.count))
            makeQuantity(name: name, argument: nil)
        }
        if wantsCov { makeQuantity(name: "Cov", argument: "u") }
        // Standard lemmas (quantity-free true facts).
        for _ in 0..<rng.int(1...3) { makeStandardLemma() }
        var theorems: [CTheorem] = []
        let tCount = rng.int(7...10)
        for i in 0..<tCount {
            var tg = TheoremGenerator(g: CaseGenerator(rng: rng, symbols: symbols), definition: definition, quantities: quantities, lemmas: lemmas)
            theorems.append(tg.make(id: "T\(i + 1)"))
            rng = tg.g.rng
        }
        return CheckerCase(seed: seed, index: index, symbols: symbols, relations: relations, definition: definition,
                           quantities: quantities, lemmas: lemmas, theorems: theorems)
    }

    // MARK: sign-aware expressions, defined on the whole domain

    static func atoms(_ s: CSymbol) -> [SExpr] {
        let v = sym(s.name)
        var r: [SExpr] = []
        switch s.kind {
        case .positive, .unit, .openUnit, .atLeastOne, .int1, .int2, .bounded:
            r = [SExpr(e: v, sign: .pos), SExpr(e: Expr.reciprocal(v), sign: .pos), SExpr(e: Expr.raise(v, lit(2)), sign: .pos),
                 SExpr(e: Expr.sqrt(v), sign: .pos), SExpr(e: Expr.log(v + lit(1)), sign: .pos), SExpr(e: v + lit(1), sign: .pos)]
            if s.atLeastOne {
                r.append(SExpr(e: Expr.log(v), sign: s.kind == .int2 ? .pos : .nonneg))
                r.append(SExpr(e: Expr.log(Expr.e * v), sign: .pos))
            }
            if s.kind == .unit { r += [SExpr(e: lit(1) - v, sign: .nonneg), SExpr(e: Expr.log(Expr.reciprocal(v)), sign: .nonneg)] }
            if s.kind == .openUnit { r += [SExpr(e: lit(1) - v, sign: .pos), SExpr(e: Expr.reciprocal(lit(1) - v), sign: .pos)] }
            if case .bounded(let m) = s.kind {
                let M = sym(m)
                r += [SExpr(e: M / v, sign: .pos), SExpr(e: Expr.log(Expr.e * M / v), sign: .pos), SExpr(e: M - v, sign: .nonneg),
                      SExpr(e: .binom(M, v), sign: .pos)]
            }
        case .nonneg:
            r = [SExpr(e: v, sign: .nonneg), SExpr(e: Expr.raise(v, lit(2)), sign: .nonneg), SExpr(e: Expr.sqrt(v), sign: .nonneg),
                 SExpr(e: lit(1) + v, sign: .pos), SExpr(e: Expr.reciprocal(lit(1) + v), sign: .pos), SExpr(e: Expr.log(lit(1) + v), sign: .nonneg)]
        case .real:
            r = [SExpr(e: Expr.raise(v, lit(2)), sign: .nonneg), SExpr(e: Expr.exp(v), sign: .pos), SExpr(e: Expr.raise(v, lit(2)) + lit(1), sign: .pos),
                 SExpr(e: Expr.maximum([v, lit(0)]), sign: .nonneg), SExpr(e: Expr.exp(-v), sign: .pos)]
        case .aboveMinusOne:
            r = [SExpr(e: lit(1) + v, sign: .pos), SExpr(e: Expr.reciprocal(lit(1) + v), sign: .pos), SExpr(e: Expr.log(lit(2) + v), sign: .pos),
                 SExpr(e: Expr.raise(lit(1) + v, lit(2)), sign: .pos)]
        }
        return r
    }

    mutating func atom(over syms: [CSymbol]) -> SExpr {
        let s = rng.pick(syms)
        // The plain symbol is the most useful atom for matching: weight it.
        let list = CaseGenerator.atoms(s)
        return rng.chance(0.35) ? list[0] : rng.pick(list)
    }

    /// A nonnegative (or positive) expression over the symbols, defined on the whole domain.
    mutating func nonneg(over syms: [CSymbol], depth: Int) -> SExpr {
        if depth <= 0 || rng.chance(0.3) { return atom(over: syms) }
        let a = nonneg(over: syms, depth: depth - 1)
        switch rng.weighted([3, 3, 3, 2, 2, 1, 1, 1]) {
        case 0: return SExpr(e: rng.pick([lit(2), lit(3), lit(1, 2)]) * a.e, sign: a.sign)
        case 1: let b = nonneg(over: syms, depth: depth - 1); return SExpr(e: a.e * b.e, sign: Sgn.product(a.sign, b.sign))
        case 2: let b = nonneg(over: syms, depth: depth - 1); return SExpr(e: a.e + b.e, sign: Sgn.sum(a.sign, b.sign))
        case 3: return SExpr(e: Expr.raise(a.e, rng.pick([lit(2), lit(1, 2), lit(3)])), sign: a.sign)
        case 4:
            let b = atom(over: syms)
            if b.sign == .pos { return SExpr(e: a.e / b.e, sign: a.sign) }
            return SExpr(e: a.e + b.e, sign: Sgn.sum(a.sign, b.sign))
        case 5: return SExpr(e: Expr.log(lit(1) + a.e), sign: a.sign)
        case 6:
            let b = nonneg(over: syms, depth: depth - 1)
            let min = rng.chance(0.5)
            let s: Sgn = min ? ((a.sign == .pos && b.sign == .pos) ? .pos : .nonneg) : ((a.sign == .pos || b.sign == .pos) ? .pos : .nonneg)
            return SExpr(e: min ? Expr.minimum([a.e, b.e]) : Expr.maximum([a.e, b.e]), sign: s)
        default: return SExpr(e: a.e + lit(1), sign: .pos)
        }
    }

    mutating func positive(over syms: [CSymbol], depth: Int) -> SExpr {
        let a = nonneg(over: syms, depth: depth)
        return a.sign == .pos ? a : SExpr(e: a.e + rng.pick([lit(1), lit(1, 2)]), sign: .pos)
    }

    /// An expression of unknown sign, defined everywhere.
    mutating func signed(over syms: [CSymbol], depth: Int) -> SExpr {
        let a = nonneg(over: syms, depth: depth)
        switch rng.weighted([3, 3, 2, 2]) {
        case 0: let b = nonneg(over: syms, depth: depth); return SExpr(e: a.e - b.e, sign: .any)
        case 1: return SExpr(e: a.e - rng.pick([lit(1), lit(2), lit(1, 2)]), sign: .any)
        case 2: return SExpr(e: -a.e, sign: .any)
        default:
            if let t = syms.first(where: { $0.kind == .real || $0.kind == .aboveMinusOne }) { return SExpr(e: sym(t.name) * a.e, sign: .any) }
            return SExpr(e: a.e - lit(1), sign: .any)
        }
    }

    // MARK: quantities

    /// A positive constant in the fixed symbols.
    mutating func constant(in fixed: [CSymbol]) -> Expr {
        guard let f = fixed.first else { return rng.pick([lit(1), lit(2), lit(3), lit(1, 2)]) }
        let v = sym(f.name)
        var options: [Expr] = [Expr.raise(v, lit(2)) + lit(1), Expr.exp(v)]
        if f.positive { options += [lit(1) + v, lit(2) * v, v + Expr.reciprocal(v)] }
        if f.nonnegative { options.append(lit(1) + v) }
        var c = rng.pick(options)
        if fixed.count > 1, let g = fixed.dropFirst().first {
            let w = sym(g.name)
            c = c * (g.positive ? (rng.chance(0.5) ? w : lit(1) + w) : Expr.raise(w, lit(2)) + lit(1))
        }
        return c
    }

    mutating func makeQuantity(name: String, argument: String?) {
        let base = symbols.filter { $0.name != argument }
        var modelSyms = base.filter { $0.name == "n" ? rng.chance(0.6) : rng.chance(0.35) }
        if modelSyms.isEmpty { modelSyms = [rng.chance(0.5) ? symbols[0] : rng.pick(base)] }
        let argSym = argument.flatMap { a in symbols.first { $0.name == a } }
        let signedModel = rng.chance(0.2)
        let asymptotic = !signedModel && rng.chance(0.45)
        let atom = argument.map { Expr.apply(name, [sym($0)]) } ?? sym(name)
        var model: Expr
        var sign: Sgn
        var g: Expr = .one
        var fixed: [CSymbol] = []
        var atLeastOne = false
        var hidden: Expr? = nil
        // The generator may use the argument as a symbol of the model.
        let over = modelSyms + (argSym.map { Array(repeating: $0, count: 2) } ?? [])
        if asymptotic {
            fixed = modelSyms.filter { $0.name != "n" && rng.chance(0.45) }
            if fixed.count > 2 { fixed = Array(fixed.prefix(2)) }
            let c = constant(in: fixed)
            let gg = nonneg(over: over, depth: rng.int(0...2))
            g = gg.e
            model = c == .one ? g : c * g
            sign = gg.sign
        } else if signedModel {
            let s = signed(over: over, depth: rng.int(0...1))
            model = s.e
            sign = .any
        } else {
            let s = nonneg(over: over, depth: rng.int(0...2))
            model = s.e
            sign = s.sign
            if rng.chance(0.3) { model = lit(1) + model; sign = .pos; atLeastOne = true }
            // Sometimes a hidden factor in [0, 1]: the lemma `Q <= g` does not show what else Q depends on.
            if rng.chance(0.25) {
                var factors: [Expr] = [lit(1, 2)]
                for v in modelSyms {
                    let e = sym(v.name)
                    if v.inUnitInterval { factors += [e, Expr.raise(e, lit(2))] }
                    if v.nonnegative { factors += [Expr.reciprocal(lit(1) + e), e / (lit(1) + e)] }
                    if v.kind == .real { factors += [Expr.reciprocal(lit(1) + Expr.raise(e, lit(2))), Expr.exp(-Expr.raise(e, lit(2)))] }
                    if v.atLeastOne { factors.append(Expr.reciprocal(e)) }
                }
                hidden = model
                model = rng.pick(factors) * model
                atLeastOne = false
                if sign == .pos && !model.freeSymbols.isEmpty { sign = .nonneg }
            }
        }
        // Independent of some symbols the model does not mention.
        let mentioned = Set(model.freeSymbols)
        let independent = base.map(\.name).filter { !mentioned.contains($0) && rng.chance(0.5) }
        // The declared bound, true for the model.
        var bound: Expr? = nil
        switch rng.weighted([3, 3, 2, 2, atLeastOne ? 3 : 0]) {
        case 0: bound = nil
        case 1: if sign != .any { bound = lit(0) }
        case 2: if sign != .any { bound = model * lit(1, 2) }
        case 3: bound = model - nonneg(over: symbols, depth: 1).e
        default: bound = lit(1)
        }
        quantities.append(CQuantity(name: name, argument: argument, model: model, modelSign: sign, bound: bound, independent: independent))
        // The lemmas about it.
        func add(_ template: String, _ lhs: Expr, _ op: RelationOperator, _ rhs: Expr, path: [String]? = nil) {
            var hyps: [CHypothesis] = []
            if rng.chance(0.15), let h = randomTrueHypothesis() { hyps.append(h) }
            lemmas.append(CLemma(id: "L\(lemmas.count + 1)", template: template, hypotheses: hyps, lhs: lhs, op: op, rhs: rhs, path: path,
                                 quantities: [name]))
        }
        if asymptotic {
            var lemmaFixed = fixed.map(\.name)
            if rng.chance(0.3), let extra = nonGrowing.filter({ !lemmaFixed.contains($0.name) }).randomElement(using: &rng) { lemmaFixed.append(extra.name) }
            let absolute = fixed.isEmpty && rng.chance(0.3)
            let path: [String]? = absolute ? nil : lemmaFixed
            switch rng.weighted([4, 2, 2, 2]) {
            case 0: add("Q <~ g", atom, .asymptoticLessEqual, g, path: path)
            case 1: add("Q <~ g + h", atom, .asymptoticLessEqual, g + nonneg(over: symbols, depth: 1).e, path: path)
            case 2: add("Q >~ g", atom, .asymptoticGreaterEqual, g, path: path)
            default: add("Q ~ g", atom, .asymptoticEqual, g, path: path)
            }
        }
        if let g = hidden { add("Q <= g (model g*w, w in [0, 1])", atom, .lessEqual, g) }
        let exactCount = asymptotic ? (rng.chance(0.4) ? 1 : 0) : rng.int((hidden == nil ? 1 : 0)...2)
        for _ in 0..<exactCount {
            let s = nonneg(over: symbols, depth: rng.int(0...1))
            switch rng.weighted([5, 3, 2, 2, sign == .any ? 0 : 2, sign == .any ? 0 : 2, 1, 1, sign == .pos ? 1 : 0]) {
            case 0: add("Q <= m + s", atom, .lessEqual, model + s.e)
            case 1: add("Q >= m - s", atom, .greaterEqual, model - s.e)
            case 2: add("Q = m", atom, .equal, model)
            case 3: add("Q < m + s", atom, .less, model + (s.sign == .pos ? s.e : s.e + lit(1)))
            case 4: add("Q >= c*m", atom, .greaterEqual, rng.pick([lit(1, 2), lit(1, 3)]) * model)
            case 5: add("Q <= 2*m", atom, .lessEqual, lit(2) * model)
            case 6: add("Q <= max(m, r)", atom, .lessEqual, Expr.maximum([model, signed(over: symbols, depth: 0).e]))
            case 7: add("Q >= min(m, r)", atom, .greaterEqual, Expr.minimum([model, signed(over: symbols, depth: 0).e]))
            default: add("log(Q) <= log(m) + s", Expr.log(atom), .lessEqual, Expr.log(model) + s.e)
            }
        }
    }

    /// A hypothesis that holds somewhere (lemmas are true everywhere, so any satisfiable one keeps them true).
    mutating func randomTrueHypothesis() -> CHypothesis? {
        let s = rng.pick(symbols)
        let v = sym(s.name)
        switch s.kind {
        case .unit, .openUnit: return CHypothesis(lhs: v, op: rng.pick([.lessEqual, .greaterEqual]), rhs: lit(1, 2))
        case .int1, .int2, .bounded: return CHypothesis(lhs: v, op: .greaterEqual, rhs: lit(rng.int(2...4)))
        case .atLeastOne, .positive, .nonneg: return CHypothesis(lhs: v, op: rng.pick([.greaterEqual, .lessEqual]), rhs: lit(2))
        case .real, .aboveMinusOne: return CHypothesis(lhs: v, op: rng.pick([.greaterEqual, .lessEqual]), rhs: lit(0))
        }
    }

    // MARK: standard lemmas

    mutating func makeStandardLemma() {
        let any = symbols
        let nonneg = symbols.filter(\.nonnegative)
        let pos = symbols.filter(\.positive)
        let ge1 = symbols.filter(\.atLeastOne)
        let unitish = symbols.filter(\.inUnitInterval)
        let bounded = symbols.filter { $0.upperSymbol != nil }
        let fixable = nonGrowing
        func two(_ xs: [CSymbol]) -> (Expr, Expr)? {
            guard xs.count >= 2 else { return nil }
            let i = rng.below(xs.count)
            var j = rng.below(xs.count - 1)
            if j >= i { j += 1 }
            return (sym(xs[i].name), sym(xs[j].name))
        }
        func one(_ xs: [CSymbol]) -> Expr? { xs.isEmpty ? nil : sym(rng.pick(xs).name) }
        let n = sym("n")
        for _ in 0..<8 {
            var made: (String, [CHypothesis], Expr, RelationOperator, Expr, [String]?)? = nil
            switch rng.below(30) {
            case 0: if let s = one(nonneg) { made = ("log(1 + s) <= s", [], Expr.log(lit(1) + s), .lessEqual, s, nil) }
            case 1: if let s = one(pos) { made = ("log(s) <= s - 1", [], Expr.log(s), .lessEqual, s - lit(1), nil) }
            case 2: if let s = one(pos) { made = ("1 - 1/s <= log(s)", [], lit(1) - Expr.reciprocal(s), .lessEqual, Expr.log(s), nil) }
            case 3: if let (s, t) = two(any) { made = ("min(s, t) <= s", [], Expr.minimum([s, t]), .lessEqual, s, nil) }
            case 4: if let (s, t) = two(any) { made = ("max(s, t) >= t", [], Expr.maximum([s, t]), .greaterEqual, t, nil) }
            case 5: if let (s, t) = two(any) { made = ("2*s*t <= s^2 + t^2", [], lit(2) * s * t, .lessEqual, Expr.raise(s, lit(2)) + Expr.raise(t, lit(2)), nil) }
            case 6: if let s = one(any) { made = ("1 + s <= exp(s)", [], lit(1) + s, .lessEqual, Expr.exp(s), nil) }
            case 7: if let (s, t) = two(nonneg) { made = ("sqrt(s*t) <= (s + t)/2", [], Expr.sqrt(s * t), .lessEqual, (s + t) / lit(2), nil) }
            case 8: if let s = one(nonneg) { made = ("s/(1 + s) <= 1", [], s / (lit(1) + s), .lessEqual, lit(1), nil) }
            case 9: if let (s, t) = two(pos) { made = ("log(s*t) = log(s) + log(t)", [], Expr.log(s * t), .equal, Expr.log(s) + Expr.log(t), nil) }
            case 10: if let (s, t) = two(any) { made = ("(s + t)^2 <= 2*s^2 + 2*t^2", [], Expr.raise(s + t, lit(2)), .lessEqual, lit(2) * Expr.raise(s, lit(2)) + lit(2) * Expr.raise(t, lit(2)), nil) }
            case 11: if let k = bounded.first { made = ("binom(M, k) <= M^k", [], .binom(sym(k.upperSymbol!), sym(k.name)), .lessEqual, Expr.raise(sym(k.upperSymbol!), sym(k.name)), nil) }
            case 12:
                if let k = bounded.first {
                    let M = sym(k.upperSymbol!), kk = sym(k.name)
                    made = ("log(binom(M, k)) <= k*log(e*M/k)", [], Expr.log(.binom(M, kk)), .lessEqual, kk * Expr.log(Expr.e * M / kk), nil)
                }
            case 13: if let s = one(nonneg) { made = ("s^2 <= s if s <= 1", [CHypothesis(lhs: s, op: .lessEqual, rhs: lit(1))], Expr.raise(s, lit(2)), .lessEqual, s, nil) }
            case 14: if let s = one(nonneg) { made = ("1/(1 - s) <= 1 + 2*s if s <= 1/2", [CHypothesis(lhs: s, op: .lessEqual, rhs: lit(1, 2))], Expr.reciprocal(lit(1) - s), .lessEqual, lit(1) + lit(2) * s, nil) }
            case 15: if let s = one(pos) { made = ("log(s) <= sqrt(s)", [], Expr.log(s), .lessEqual, Expr.sqrt(s), nil) }
            case 16:
                if let s = one(pos), let a = one(unitish.filter { $0.name != s.symbolName }) {
                    made = ("s^a <= 1 + a*(s - 1)", [], Expr.raise(s, a), .lessEqual, lit(1) + a * (s - lit(1)), nil)
                }
            case 17: if let s = one(ge1), let a = one(nonneg.filter { $0.name != s.symbolName }) { made = ("1 <= s^a", [], lit(1), .lessEqual, Expr.raise(s, a), nil) }
            case 18: if let s = one(any) { made = ("s < 2^s", [], s, .less, Expr.raise(lit(2), s), nil) }
            case 19: if let s = one(pos) { made = ("log(s) < s", [], Expr.log(s), .less, s, nil) }
            // Asymptotic facts.
            case 20: if let a = one(pos.filter { $0.name != "n" }) { made = ("log(n) <~ n^a", [], Expr.log(n), .asymptoticLessEqual, Expr.raise(n, a), [a.symbolName!]) }
            case 21: if let a = one(pos.filter { $0.name != "n" }) { made = ("log(n)^2 <~ n^a", [], Expr.raise(Expr.log(n), lit(2)), .asymptoticLessEqual, Expr.raise(n, a), [a.symbolName!]) }
            case 22: if let s = one(ge1.filter { $0.name != "n" }) { made = ("log(s*n) <~ log(n)", [], Expr.log(s * n), .asymptoticLessEqual, Expr.log(n), [s.symbolName!]) }
            case 23: if let s = one(fixable) { made = ("n + s <~ n", [], n + s, .asymptoticLessEqual, n, [s.symbolName!]) }
            case 24: if let s = one(nonneg) { made = ("s/(1 + s) <~ 1", [], s / (lit(1) + s), .asymptoticLessEqual, lit(1), nil) }
            case 25: if let s = one(nonneg.filter { $0.name != "n" }) { made = ("max(n, s) <~ n + s", [], Expr.maximum([n, s]), .asymptoticLessEqual, n + s, nil) }
            case 26: made = ("1 <~ log(n)", [], lit(1), .asymptoticLessEqual, Expr.log(n), [])
            case 27: if let a = one(nonneg.filter { $0.name != "n" }) { made = ("n^a + 1 ~ n^a", [], Expr.raise(n, a) + lit(1), .asymptoticEqual, Expr.raise(n, a), [a.symbolName!]) }
            case 28: if let s = one(nonneg.filter { $0.name != "n" }) { made = ("min(n, s) <~ sqrt(n*s)", [], Expr.minimum([n, s]), .asymptoticLessEqual, Expr.sqrt(n * s), nil) }
            default:
                let reals = fixable.filter { $0.upperSymbol == nil }
                if let (a, b) = two(reals), a.symbolName != b.symbolName,
                   !(symbol(a.symbolName!)!.atLeastOne && (symbol(b.symbolName!)!.upper != nil)) {
                    made = ("n^a*log(n) <~ n^b if a < b", [CHypothesis(lhs: a, op: .less, rhs: b)], Expr.raise(n, a) * Expr.log(n), .asymptoticLessEqual,
                            Expr.raise(n, b), [a.symbolName!, b.symbolName!])
                }
            }
            if let (template, hyps, lhs, op, rhs, path) = made {
                lemmas.append(CLemma(id: "L\(lemmas.count + 1)", template: template, hypotheses: hyps, lhs: lhs, op: op, rhs: rhs, path: path, quantities: []))
                return
            }
        }
    }
}

extension Array {
    func shuffledPrefix(_ k: Int, _ rng: inout FuzzRNG) -> ArraySlice<Element> {
        var copy = self
        copy.shuffle(using: &rng)
        return copy.prefix(k)
    }
}
