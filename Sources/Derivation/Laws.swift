import Foundation
import Symbolic
import Asymptotics

/// An optimized rate found on the way (every branch of a min), for the audit.
public struct OptimizedRate: Sendable {
    public var branch: LawBranch
    public var rate: Expr
    public var logPower: Expr
    public var exponents: [(String, Expr)]
}

/// A derived scaling law: risk ≍ variable^exponent, the other quantities' exponents, conditions, regimes.
public struct DerivedLaw: Sendable {
    public var id: String
    public var name: Prose
    public var bound: String
    public var variable: String
    public var path: LawPath
    /// `risk` first, then e.g. `N_eff`, `n`.
    public var exponents: [(String, Expr)]
    /// Power of log(variable) multiplying the risk (Õ when nonzero).
    public var logPower: Expr
    /// The law's conditions: it holds beyond each threshold, below which the threshold's term dominates.
    public var thresholds: [LawThreshold] = []
    public var regimes: [LawRegime]
    public var notes: [LawNote]
    public var rates: [OptimizedRate]
    public var closedForm: ClosedFormOptimum?
    /// The law's numbers at its `values`, by meaning (the same numbers as `numbers`).
    public var values: [(NumberMeaning, Double)]
    /// Why the kernel could not certify the rate (nil: certified). An undecided law prints no rate.
    public var undecided: String? = nil
    /// Branch rates found but not certified (left out of `rates`, so out of the audit).
    public var uncertifiedRates = 0
    /// Every derived exponent (and closed-form coefficient) evaluated at the law's `values`; `values` lists the same
    /// numbers by label.
    public var numbers: [LawNumber] = []
    /// Why the law's `values` give no numbers (it is undecided), when it has values or tables.
    public var valuesNote: String? = nil
    /// One table per `tabulate` line.
    public var tables: [LawTable] = []
    public var riskExponent: Expr { exponents.first { $0.0 == "risk" }?.1 ?? .zero }
    public var isCertified: Bool { undecided == nil }
}

/// Derives the laws of a theory from its composed bounds.
public struct LawDeriver {
    public let theory: Theory
    public let bounds: [String: ComposedBound]
    /// Simplifications shared by the growth analyzers of one run.
    let memos: DerivationMemos
    /// For the audit's re-derivations: the rates (and every check that can fail) without the thresholds and
    /// regime boundaries that only the report shows.
    let ratesOnly: Bool

    public init(theory: Theory, bounds: [ComposedBound]) {
        self.init(theory: theory, bounds: bounds, memos: DerivationMemos())
    }

    init(theory: Theory, bounds: [ComposedBound], memos: DerivationMemos, ratesOnly: Bool = false) {
        self.theory = theory
        self.bounds = Dictionary(bounds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.memos = memos
        self.ratesOnly = ratesOnly
    }

    public func deriveAll() throws -> [DerivedLaw] {
        try theory.orderedLaws.map(derive)
    }

    /// Every law that derives, and the located error of each that does not: one failing law does not stop the others.
    /// Every law, each on its own (they share only the run's memos, which are pure), on as many cores as there
    /// are; the results come back in the theory's order.
    public func deriveEach() -> (laws: [DerivedLaw], failures: [TheoryError]) {
        let ordered = theory.orderedLaws
        let results = ConcurrentResults<Result<DerivedLaw, TheoryError>>(count: ordered.count)
        Workers.forEach(ordered.count) { i in
            let law = ordered[i]
            do { results.set(i, .success(try derive(law))) } catch let e as TheoryError { results.set(i, .failure(e)) } catch {
                results.set(i, .failure(TheoryError("law \(law.id): \(error)", at: law.location)))
            }
        }
        var laws: [DerivedLaw] = [], failures: [TheoryError] = []
        for i in ordered.indices {
            switch results.get(i) {
            case .success(let law): laws.append(law)
            case .failure(let e): failures.append(e)
            case nil: failures.append(TheoryError("law \(ordered[i].id) was not derived", at: ordered[i].location))
            }
        }
        return (laws, failures)
    }

    var assumptions: Assumptions { theory.assumptions }

    public func derive(_ law: Law) throws -> DerivedLaw {
        var result = try deriveRate(law)
        // The audit's re-derivations need the rates only.
        if !ratesOnly { try evaluateValues(law, &result) }
        return result
    }

    func deriveRate(_ law: Law) throws -> DerivedLaw {
        guard let bound = bounds[law.bound] else {
            throw TheoryError("law \(law.id) uses bound '\(law.bound)', which no 'derive' block defines" + Suggestions.didYouMean(law.bound, among: theory.recipeOrder),
                              at: theory.position(of: law.bound, from: law.location, through: law.lastLine))
        }
        if let problem = theory.lawPathProblem(law) { throw problem }
        if law.closedForm != nil, case .budget = law.mode {} else if let variable = law.closedForm {
            throw TheoryError("law \(law.id) asks for the closed form of \(variable), but a closed form is derived only under a budget ('budget C = 6*N*D')",
                              at: law.closedFormLocation ?? theory.position(of: variable, from: law.location, through: law.lastLine))
        }
        // The bound's hidden constant may depend on its fixed symbols: a law may not move them.
        if let fixed = bound.path?.fixed, let spec = law.path {
            let moved = [spec.growing] + spec.substitutions.map(\.0)
            if let f = moved.first(where: fixed.contains) {
                throw TheoryError("law \(law.id) moves \(f), but the bound \(bound.id) holds \(f) fixed (its constant may depend on \(f))", at: law.location)
            }
        }
        // A defined symbol moves through its definition: two symbols the law moves cannot be tied by one (N = n + P
        // cannot follow n^(1/2); C = N*D*M with M = N^2; limit n -> oo then as N -> oo with N = n*P). A symbol the
        // law holds fixed but that is defined through a moved one is carried as its definition (below).
        let moved = LawDeriver.movedSymbols(of: law)
        for name in moved.sorted() {
            let expanded = theory.expandDefinitions(.symbol(name))
            guard expanded != .symbol(name), let m = moved.sorted().first(where: { $0 != name && expanded.contains(symbol: $0) }) else { continue }
            throw TheoryError("law \(law.id) moves \(name) on its own, but \(name) is defined through \(m), which the law also moves", at: law.location)
        }
        // A variable the law grows cannot be bounded by a symbol it holds fixed (M <= n with n fixed, k <= M): the path
        // would be empty, and every rate along it vacuous (the checker refuses the same path in a theorem).
        var growing = law.limits
        if let v = law.path?.growing { growing.append(v) }
        if case .budget(let total, _, _) = law.mode { growing.append(total) }
        for v in growing {
            // Only a relation between the two can bound v by s (v's own interval is checked with the path).
            let related = Set(assumptions.facts.filter { $0.expression.contains(symbol: v) }.flatMap(\.expression.freeSymbols))
            for s in related.sorted() where assumptions.isDeclared(s) && !moved.contains(s) && s != v {
                if assumptions.linearlyProves(Expr.symbol(s) - .symbol(v), strict: false) {
                    throw TheoryError("law \(law.id): \(v) cannot grow while \(s) is held fixed, since \(v) <= \(s)", at: law.location)
                }
            }
        }
        var a = assumptions
        // Quantity symbols on the right side would make growth meaningless.
        var terms = LawDeriver.expandingDefinitions(of: bound.terms, movedBy: law, theory: theory)
        var notes: [LawNote] = []
        for limit in law.limits {
            let analyzer = GrowthAnalyzer(path: ScalingPath(growing: limit), assumptions: a, memos: memos.simplifications)
            var kept: [LabeledTerm] = []
            for t in terms {
                let g = try located(law) { try analyzer.growth(of: t.expression) }
                let s = a.quickSign(g.exponent)
                if s == .negative || (g.exponent == .zero && a.quickSign(g.logPower) == .negative) {
                    notes.append(.vanishesInLimit(variable: limit, term: NamedTerm(name: t.name, expression: t.expression)))
                    continue
                }
                if s == .positive || (g.exponent == .zero && a.quickSign(g.logPower) == .positive) {
                    throw TheoryError("law \(law.id): \(t.expression.display) grows as \(limit) → ∞, so the limit does not exist", at: law.location)
                }
                // Kept only when it is constant in the limit variable; a term whose fate is unknown (N*n^(-b), b >= 0)
                // cannot be kept as if the limit were not taken.
                let constant = (g.exponent == .zero || s == .zero) && (g.logPower == .zero || a.quickSign(g.logPower) == .zero)
                if !constant {
                    throw TheoryError("law \(law.id): taking \(limit) → ∞ first, whether \(t.expression.display) vanishes or grows is not decided (the sign of its exponent \(g.exponent.display) is not known): assume it", at: law.location)
                }
                kept.append(t)
            }
            terms = kept
        }
        let objective = Expr.add(terms.map(\.expression))
        // A branch term may be one operand of a named min{...}: it keeps the min's name.
        func label(_ e: Expr) -> String? {
            if let t = terms.first(where: { $0.expression == e }) { return t.name }
            return terms.first { t in
                if case .min(let xs) = t.expression.shape { return xs.contains(e) }
                return false
            }?.name
        }
        let named: (Expr) -> NamedTerm = { e in NamedTerm(name: label(e), expression: e) }
        switch law.mode {
        case .growth:
            guard let spec = law.path else { throw TheoryError("law \(law.id) needs 'as <variable> -> oo'", at: law.location) }
            let path = ScalingPath(growing: spec.growing, substitutions: spec.substitutions, fixed: spec.fixed)
            let analyzer = GrowthAnalyzer(path: path, assumptions: a, memos: memos.simplifications)
            let regimes = try located(law) { try analyzer.regimes(of: objective) }
            var result = DerivedLaw(id: law.id, name: law.name, bound: law.bound, variable: spec.growing, path: LawPath(path, for: objective),
                                    exponents: [], logPower: .zero, regimes: [], notes: notes, rates: [], closedForm: nil, values: [])
            if let only = regimes.first, regimes.count == 1, only.condition.isAlways {
                result.exponents = [("risk", only.growth.exponent.asSingleFraction(a))]
                result.logPower = only.growth.logPower
                result.regimes.append(LawRegime(condition: .limit(spec.growing), dominant: .term(named(only.term))))
                result.undecided = certify(law, RateClaim(along: path, objective: objective, exponents: [:], rate: result.riskExponent,
                                                          logPower: result.logPower, upperOnly: false), assumptions: a)
            } else {
                for r in regimes {
                    result.regimes.append(LawRegime(condition: .parameters(r.condition), dominant: .term(named(r.term))))
                }
                result.undecided = "the dominant term depends on the parameters, so there is no single rate: see the regimes, or assume the condition of one"
            }
            if result.undecided != nil { result.exponents = []; result.logPower = .zero }
            // Where the dominant mechanism changes along the way: thresholds between the terms (and min operands).
            if !ratesOnly {
                result.regimes += boundaries(of: terms, variable: spec.growing, assumptions: a, named: named)
            }
            return result

        case .minimize(let free):
            guard let spec = law.path else { throw TheoryError("law \(law.id) needs 'as n -> oo with N_eff = n^theta'", at: law.location) }
            for v in free where !a.isDeclared(v) { try? a.declare(v) }
            let path = ScalingPath(growing: spec.growing, substitutions: spec.substitutions, fixed: spec.fixed, freeExponents: free)
            let analyzer = GrowthAnalyzer(path: path, assumptions: a, memos: memos.simplifications)
            let outcome = try located(law) { try analyzer.balance(objective, irreducible: try irreducibleTerms(law, terms: terms, assumptions: a)) }
            try requirePresentTerms(law, outcome, free: free, growing: spec.growing, assumptions: a)
            return try summarize(law, outcome: outcome, objective: objective, terms: terms, analyzer: analyzer, notes: notes, named: named)

        case .budget(let total, let product, let over):
            // C = N*D + C, or C = N*D*C: a budget defined through itself is no budget (the first cannot be met at all).
            if product.contains(symbol: total) {
                throw TheoryError("law \(law.id): the budget \(total) appears in its own cost \(product.display)", at: law.location)
            }
            if case .sum(let costs) = product.shape {
                return try deriveSumBudget(law, total: total, costs: costs, over: over, objective: objective)
            }
            let budget = try located(law) { try Budget(total: total, product: product, variables: over) }
            let outcome = try located(law) {
                try GrowthAnalyzer.balance(objective, budget: budget, fixed: law.path?.fixed ?? [], irreducible: try irreducibleTerms(law, terms: terms, assumptions: a), assumptions: a,
                                            memos: memos.simplifications)
            }
            for (v, _) in budget.variables where a.interval(ofSymbol: v).lower == nil {
                try? a.assume(.symbol(v), .greaterEqual, .one, origin: .init("\(v) >= 1"))
            }
            try requirePresentTerms(law, outcome, free: outcome.path.freeExponents, growing: outcome.path.growing, assumptions: a)
            let analyzer = GrowthAnalyzer(path: outcome.path, assumptions: a, memos: memos.simplifications)
            var result = try summarize(law, outcome: outcome, objective: objective, terms: terms, analyzer: analyzer, notes: notes, named: named)
            result.notes.insert(.budget(total: budget.total, cost: budget.cost), at: 0)
            // The closed form is the stationary point of the unconstrained trade-off: it is the optimum only where the
            // law's rate is certified (with D in [1, 5] the optimum sits at the bound D = 5, not at the formula).
            if let variable = law.closedForm {
                if result.undecided == nil {
                    result.closedForm = try located(law) { try GrowthAnalyzer.closedForm(objective, budget: budget, variable: variable, assumptions: a) }
                } else {
                    result.notes.append(.noClosedFormUndecided)
                }
            }
            return result
        }
    }

    /// The exponents, conditions and regimes of a balanced law.
    func summarize(_ law: Law, outcome: BalanceOutcome, objective: Expr, terms: [LabeledTerm], analyzer: GrowthAnalyzer,
                   notes: [LawNote], named: (Expr) -> NamedTerm) throws -> DerivedLaw {
        let a = analyzer.assumptions
        let variable = outcome.path.growing
        var result = DerivedLaw(id: law.id, name: law.name, bound: law.bound, variable: variable, path: LawPath(outcome.path, for: objective),
                                exponents: [], logPower: .zero, regimes: [], notes: notes, rates: [], closedForm: nil, values: [])
        // The claim at a point: the objective without the irreducible offsets, along the path at the point's exponents.
        func claim(_ point: BalancePoint, _ branch: BalanceBranch, upperOnly: Bool) -> RateClaim {
            let reducible = Expr.add(terms.map(\.expression).filter { !branch.offsets.contains($0) })
            return RateClaim(along: outcome.path, objective: reducible, exponents: point.exponents, rate: point.rate,
                             logPower: point.logPower, upperOnly: upperOnly)
        }
        for branch in outcome.branches {
            for point in branch.points where point.condition.isAlways {
                let exps = outcome.path.substitutions.compactMap { (name, value) -> (String, Expr)? in
                    guard let g = try? analyzer.growth(of: value.substituting(point.exponents)) else { return nil }
                    return (name, g.exponent.asSingleFraction(a))
                }
                let label = LawBranch(branch.choices)
                // Only a rate the kernel proves the bound attains (an upper bound) goes to the audit.
                if let problem = certify(law, claim(point, branch, upperOnly: true), assumptions: a) {
                    result.notes.append(.uncertifiedBranch(label, variable: variable, rate: point.rate.asSingleFraction(a), reason: problem))
                    result.uncertifiedRates += 1
                    continue
                }
                result.rates.append(OptimizedRate(branch: label, rate: point.rate.asSingleFraction(a), logPower: point.logPower, exponents: exps))
            }
        }
        guard let bestIndex = outcome.best, let point = outcome.branches[bestIndex].optimum else {
            let conditions = outcome.branches.flatMap { $0.points.map { "\($0.condition)" } }.joined(separator: "; ")
            result.undecided = "the optimum depends on conditions the assumptions do not settle (\(conditions)): assume one of them to get its rate"
            return result
        }
        let branch = outcome.branches[bestIndex]
        result.exponents = [("risk", point.rate.asSingleFraction(a))]
        result.logPower = point.logPower
        for (name, value) in outcome.path.substitutions {
            let g = try located(law) { try analyzer.growth(of: value.substituting(point.exponents)) }
            result.exponents.append((name, g.exponent.asSingleFraction(a)))
        }
        // The audit's re-derivations need only the branch rates certified above (upper bounds).
        if ratesOnly { return result }
        result.undecided = certify(law, claim(point, branch, upperOnly: false), assumptions: a)
        if !point.certified && result.undecided == nil {
            result.undecided = "the bound attains this rate at the exponents shown, but no KKT certificate shows that no other choice does better (or the terms tie in the exponents along a face of choices, some of which may carry fewer factors of log)"
        }
        if result.undecided != nil { result.exponents = []; result.logPower = .zero; return result }
        // Below: notes, regimes and thresholds for the report; none of them can fail.
        if ratesOnly { return result }
        if !branch.choices.isEmpty { result.notes.append(.bestBranch(LawBranch(branch.choices))) }
        if !point.certified { result.notes.append(.noCertificate) }
        if !branch.offsets.isEmpty { result.notes.append(.irreducible(branch.offsets)) }
        for other in point.alsoOptimal {
            result.notes.append(.alsoOptimal(other.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
        // The balanced rate as a term, coefficients included, to compare the lower-order terms against.
        let active = point.active.map { branch.terms[$0] }
        // A lower-order term is compared with the balanced value it competes with, the largest active term at the
        // optimum, coefficients included: it dominates that value below the smallest of its crossings with the
        // active terms. (Against variable^rate alone, a constant factor of the path, such as a budget
        // C = (M/k)*N_eff*n, would move the threshold although it moves the active terms by the same factor.)
        // Logs of the variable count as constants, as the printed condition says.
        let activeAtOptimum = active.map { LawDeriver.withoutLogs(of: variable, in: outcome.path.apply(to: $0.term).substituting(point.exponents)).tidied(a) }
        result.regimes.append(LawRegime(condition: .balanced, dominant: .balance(active.map { named($0.term) })))
        // Off the optimum in a single free exponent: which balanced term takes over on each side.
        if outcome.path.freeExponents.count == 1, let x = outcome.path.freeExponents.first, let star = point.exponents[x], active.count >= 2 {
            let lines = active.compactMap { t in
                AffineLine.slope(t.growth.exponent, x, a).map { (t, $0) }
            }
            if let dec = lines.min(by: { a.quickSign(($0.1 - $1.1).simplified(a)) == .negative }),
               let inc = lines.max(by: { a.quickSign(($0.1 - $1.1).simplified(a)) == .negative }) {
                result.regimes.append(LawRegime(condition: .comparison(LawComparison(.symbol(x), .less, star)), dominant: .term(named(dec.0.term))))
                result.regimes.append(LawRegime(condition: .comparison(LawComparison(.symbol(x), .greater, star)), dominant: .term(named(inc.0.term))))
            }
        }
        // Lower-order terms: the law holds beyond the sample size (or compute) where they stop dominating.
        for (i, t) in branch.terms.enumerated() where !point.active.contains(i) {
            let atOptimum = outcome.path.apply(to: t.term).substituting(point.exponents)
            guard let g = try? analyzer.growth(of: atOptimum) else { continue }
            result.notes.append(.scaling(term: named(t.term), variable: variable, exponent: g.exponent.asSingleFraction(a), logPower: g.logPower))
            guard a.quickSign((g.exponent - point.rate).simplified(a)) == .negative else { continue }
            let competitor = LawDeriver.withoutLogs(of: variable, in: atOptimum).tidied(a)
            let crossings = activeAtOptimum.compactMap {
                try? GrowthAnalyzer.threshold(competitor, $0, solveFor: variable, ignoringLogs: true, assumptions: a, memos: memos.simplifications).value
            }
            if crossings.count == activeAtOptimum.count, let value = LawDeriver.smallest(crossings, assumptions: a) {
                let accuracy: Accuracy = (g.logPower != .zero || point.logPower != .zero) ? .upToConstantsAndLogFactors : .upToConstants
                result.thresholds.append(LawThreshold(variable: variable, value: value, term: named(t.term), accuracy: accuracy))
                result.regimes.append(LawRegime(condition: .comparison(LawComparison(.symbol(variable), .less, value, accuracy: accuracy)),
                                                dominant: .term(named(t.term))))
            }
        }
        return result
    }

    /// The symbols a law moves: its limits, its growing variable and substitutions, or its budget's total and variables.
    static func movedSymbols(of law: Law) -> Set<String> {
        var moved = Set(law.limits)
        if let spec = law.path { moved.insert(spec.growing); moved.formUnion(spec.substitutions.map(\.0)) }
        if case .budget(let total, let product, let over) = law.mode {
            moved.insert(total)
            moved.formUnion(over ?? product.freeSymbols)
        }
        return moved
    }

    /// A defined symbol moves with its definition (SEMANTICS.md, "Relations and paths"): where the definition involves a
    /// symbol the law moves, the terms carry the definition instead of the symbol, so that `define X = n^2` is not held
    /// fixed along n → ∞. A moved symbol that is itself defined (a law on N_eff) stays, as the law names it.
    static func expandingDefinitions(of terms: [LabeledTerm], movedBy law: Law, theory: Theory) -> [LabeledTerm] {
        guard !theory.definitions.isEmpty else { return terms }
        let moved = movedSymbols(of: law)
        var map: [String: Expr] = [:]
        for definition in theory.definitions where !moved.contains(definition.name) {
            let expanded = theory.expandDefinitions(definition.value)
            if expanded.freeSymbols.contains(where: moved.contains) { map[definition.name] = expanded }
        }
        if map.isEmpty { return terms }
        return terms.map { t in
            var t = t
            t.expression = t.expression.substituting(map)
            return t
        }
    }

    /// `e` with every log of an expression in `variable` replaced by 1: thresholds are solved with log factors
    /// as constants.
    static func withoutLogs(of variable: String, in e: Expr) -> Expr {
        guard e.contains(symbol: variable) else { return e }
        if case .log(let x) = e.shape, x.contains(symbol: variable) { return .one }
        return e.replacingChildren(e.children.map { withoutLogs(of: variable, in: $0) })
    }

    /// The smallest of some thresholds, when one is provably at most every other (two powers with one positive
    /// exponent are compared by their bases); otherwise their min.
    static func smallest(_ values: [Expr], assumptions a: Assumptions) -> Expr? {
        var distinct: [Expr] = []
        for v in values where !distinct.contains(v) { distinct.append(v) }
        guard distinct.count > 1 else { return distinct.first }
        // q >= 1 (or, with `atMost`, 0 < q <= 1), for a fraction u/v by u - v >= 0 with v > 0.
        func compareWithOne(_ q: Expr, atMost: Bool) -> Bool {
            if a.sign(of: (atMost ? 1 - q : q - 1).simplified(a)).sign.isNonnegative && (!atMost || a.sign(of: q).sign == .positive) { return true }
            guard case .product(let fs) = q.shape else { return false }
            var above: [Expr] = [], below: [Expr] = []
            for f in fs {
                if case .power(let b, let x) = f.shape, let k = x.numberValue, k.isNegative { below.append(Expr.raise(b, .number(-k))) } else { above.append(f) }
            }
            let u = Expr.multiply(above), v = Expr.multiply(below)
            guard !below.isEmpty, a.sign(of: v).sign == .positive else { return false }
            if atMost { return a.sign(of: u).sign == .positive && a.sign(of: (v - u).simplified(a)).sign.isNonnegative }
            return a.sign(of: (u - v).simplified(a)).sign.isNonnegative
        }
        // r >= 1, factor by factor: a power q^p with p > 0 and q >= 1 (or p < 0 and 0 < q <= 1).
        func atLeastOne(_ r: Expr) -> Bool {
            switch r.shape {
            case .product(let fs):
                if fs.allSatisfy(atLeastOne) { return true }
                // M^p*k^(-p) = (M/k)^p: powers whose exponents are numeric multiples of one exponent p.
                guard case .power(_, let p)? = fs.first?.shape else { return false }
                var base: [Expr] = []
                for f in fs {
                    guard case .power(let q, let x) = f.shape, let c = (x / p).simplified(a).numberValue else { return false }
                    base.append(Expr.raise(q, .number(c)))
                }
                return atLeastOne(Expr.raise(Expr.multiply(base).simplified(a), p))
            case .power(let q, let p):
                let sp = a.quickSign(p)
                if sp == .positive, compareWithOne(q, atMost: false) { return true }
                if sp == .negative, compareWithOne(q, atMost: true) { return true }
            default: break
            }
            return a.sign(of: (r - 1).simplified(a)).sign.isNonnegative
        }
        // Thresholds are positive (GrowthAnalyzer.threshold solves only with a positive coefficient ratio).
        func atMost(_ x: Expr, _ y: Expr) -> Bool {
            a.sign(of: (y - x).simplified(a)).sign.isNonnegative || atLeastOne((y / x).simplified(a))
        }
        if let least = distinct.first(where: { x in distinct.allSatisfy { $0 == x || atMost(x, $0) } }) { return least }
        return Expr.min(distinct)
    }

    /// Thresholds in `variable` between every pair of terms (min operands count separately).
    func boundaries(of terms: [LabeledTerm], variable: String, assumptions a: Assumptions, named: (Expr) -> NamedTerm) -> [LawRegime] {
        var pieces: [(Expr, NamedTerm)] = []
        for t in terms {
            if case .min(let xs) = t.expression.shape {
                for x in xs { pieces.append((x, NamedTerm(name: t.name, expression: x, isOperand: t.name != nil))) }
            } else {
                pieces.append((t.expression, named(t.expression)))
            }
        }
        var result: [LawRegime] = []
        for i in pieces.indices {
            for j in pieces.indices where j > i {
                guard let th = try? GrowthAnalyzer.threshold(pieces[i].0, pieces[j].0, solveFor: variable, ignoringLogs: true, assumptions: a, memos: memos.simplifications) else { continue }
                let above = th.dominantAbove == pieces[i].0 ? pieces[i] : pieces[j]
                let below = th.dominantAbove == pieces[i].0 ? pieces[j] : pieces[i]
                // The crossing is solved with log factors as constants: say so where a log is involved.
                let logs = Simplifier.containsLogPublic(pieces[i].0) || Simplifier.containsLogPublic(pieces[j].0)
                result.append(LawRegime(condition: .comparison(LawComparison(.symbol(variable), .equal, th.value, accuracy: logs ? .upToLogFactors : .exact)),
                                        dominant: .larger(above: above.1, below: below.1)))
            }
        }
        return result
    }

    /// An optimum over the free exponents is a minimum only if every balanced term is really there: a coefficient
    /// that may vanish (c >= 0 at c = 0) removes its term, and the other terms' exponents then decide alone. The
    /// kernel must prove each coefficient positive. One exception: a coefficient that depends on the free exponents
    /// belongs to a log power (log(e*M/k) = mu·log n + ... along M = n^mu): where it vanishes, the term's log power
    /// drops but its exponent does not, so the exponent problem is unchanged (the rate's log power at the optimum is
    /// certified separately, by the rate rule).
    func requirePresentTerms(_ law: Law, _ outcome: BalanceOutcome, free: [String], growing: String, assumptions a: Assumptions) throws {
        guard let best = outcome.best else { return }
        let claims = outcome.branches[best].terms.filter { t in
            !(free.contains(where: { t.growth.coefficient.contains(symbol: $0) }) && a.quickSign(t.growth.logPower) == .positive)
        }
        if claims.isEmpty { return }
        // One context for every coefficient: each symbol they mention other than the growing one is fixed.
        let context = try ProofContext.forLaw(theory: theory, growing: growing, mentioning: claims.map(\.growth.coefficient), assumptions: a,
                                              memos: memos, location: law.location)
        for t in claims {
            let coefficient = t.growth.coefficient
            if let problem = context.signProblem(coefficient, strict: true, in: context.eventually ?? context.all) {
                throw TheoryError("law \(law.id): cannot minimize: the coefficient \(coefficient) of \(t.term) is not proved positive (\(problem)); where it can be 0 the term vanishes and the optimum moves", at: law.location)
            }
        }
    }

    /// The kernel's verdict on a rate claim: nil when proved, else why it is undecided.
    func certify(_ law: Law, _ claim: RateClaim, assumptions a: Assumptions) -> String? {
        // Both sides: the upper side alone first (the branch rates already asked for it, so it is remembered), then
        // the lower side alone; the first failure is the same as checking them together.
        if !claim.upperOnly && !claim.lowerOnly {
            var upper = claim, lower = claim
            upper.upperOnly = true
            lower.lowerOnly = true
            return certify(law, upper, assumptions: a) ?? certify(law, lower, assumptions: a)
        }
        do {
            return try memos.rateProblem(claim, assumptions: a) {
                let context = try ProofContext.forLaw(theory: theory, growing: claim.growing, mentioning: [claim.objective] + claim.substitutions.map(\.1),
                                                      assumptions: a, memos: memos, location: law.location)
                return context.rateProblem(claim)
            }
        } catch let f as KernelFailure {
            return f.message
        } catch {
            return "\(error)"
        }
    }

    /// The bound's terms that `irreducible` names: a symbol (E) or a whole term (c/(1 - S)^lambda), matched to the
    /// term it equals. An entry that is no term of the bound is an error at the law.
    func irreducibleTerms(_ law: Law, terms: [LabeledTerm], assumptions a: Assumptions) throws -> Set<Expr> {
        var result = Set<Expr>()
        for entry in law.irreducible {
            let e = try Parser.parseExpression(entry)
            if case .symbol = e.shape { result.insert(e); continue }
            guard let term = terms.first(where: { ($0.expression - e).simplified(a) == .zero }) else {
                throw TheoryError("law \(law.id): the irreducible \(entry) is not a term of the bound \(law.bound)", at: law.location)
            }
            result.insert(term.expression)
        }
        return result
    }

    func located<T>(_ law: Law, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as AsymptoticError {
            throw TheoryError("law \(law.id): \(e.message)", at: law.location)
        }
    }
}

/// The slope of an exponent in one free variable.
enum AffineLine {
    static func slope(_ e: Expr, _ x: String, _ a: Assumptions) -> Expr? {
        let at0 = e.substituting([x: .zero]).simplified(a)
        let at1 = e.substituting([x: .one]).simplified(a)
        return (at1 - at0).simplified(a)
    }
}
