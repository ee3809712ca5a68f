import Foundation
import Symbolic
import Asymptotics

/// Compares every optimized rate (every branch of every law, including those where free symbols grow with
/// n) against the registered lower bounds for the same quantity and growing variable (the audit, README "What derive prints").
public struct Auditor {
    public let theory: Theory
    /// Simplifications shared with the run and the re-derivations under each alternative.
    let memos: DerivationMemos

    public init(theory: Theory) { self.init(theory: theory, memos: DerivationMemos()) }

    init(theory: Theory, memos: DerivationMemos) {
        self.theory = theory
        self.memos = memos
    }

    /// A contradiction is claimed only when it is proved (SEMANTICS.md, "Audit"): the law's rate is certified (an
    /// upper bound on the bound along the law's path), the lower bound holds unconditionally along that same path
    /// (no `if` lines; its fixed symbols not moved by the path), its own rate along the path is certified by the
    /// kernel, and the gap between the two exponents (or, at equal exponents, the log powers) is proved positive.
    /// A gap whose sign depends on the parameters is reported with its condition, unless the condition can never
    /// hold.
    public func audit(laws: [DerivedLaw], bounds: [ComposedBound], searchAlternatives: Bool = true) -> AuditReport {
        var report = AuditReport(contradictions: [], checked: [], lowerBounds: [])
        let a = theory.assumptions
        for lower in theory.lowerBounds {
            guard let path = lower.path else { continue }
            report.lowerBounds.append(RegisteredLowerBound(id: lower.id, statement: lower.statement, growing: path.growing, fixed: path.fixed, location: lower.location))
            if !lower.hypotheses.isEmpty {
                report.checked.append(.conditionalLowerBound(lower.id))
                continue
            }
            for law in laws where law.variable == path.growing {
                guard let bound = bounds.first(where: { $0.id == law.bound }), bound.lhs == lower.statement.lhs else { continue }
                for rate in law.rates {
                    func check(_ outcome: AuditCheck.Outcome) -> AuditCheck {
                        .rate(law: law.id, branch: rate.branch, variable: path.growing, rate: rate.rate, lowerBound: lower.id, outcome: outcome)
                    }
                    let moved = Set(rate.exponents.map(\.0))
                    if let f = path.fixed.first(where: moved.contains) {
                        report.checked.append(check(.movesFixedSymbol(f)))
                        continue
                    }
                    guard let floor = lowerBoundRate(lower, along: rate, variable: path.growing, assumptions: a) else {
                        report.checked.append(check(.lowerBoundRateNotCertified))
                        continue
                    }
                    report.checked.append(check(.compared))
                    guard let (proved, condition) = gap(floor, rate, assumptions: a) else { continue }
                    report.contradictions.append(Contradiction(law: law.id, branch: rate.branch, rate: rate.rate, logPower: rate.logPower,
                                                               lowerBound: lower.id, lowerBoundRate: floor.exponent, path: law.path, variable: law.variable,
                                                               exponents: rate.exponents, lemmaChain: chain(for: bound), removedBy: [],
                                                               condition: proved ? nil : condition))
                }
            }
        }
        if searchAlternatives && !report.contradictions.isEmpty {
            // Each alternative is swapped in and composed once, for all the contradicted laws.
            var contradicted: [String] = []
            for c in report.contradictions where !contradicted.contains(c.law) { contradicted.append(c.law) }
            let removing = alternativesRemoving(contradicted)
            for i in report.contradictions.indices {
                report.contradictions[i].removedBy = removing[report.contradictions[i].law] ?? []
            }
        }
        return report
    }

    /// The lower bound's right side along the law's path (X ∝ v^e for each moved symbol, as the law reads it), with
    /// its rate certified by the kernel: v^s·log(v)^l <~ the right side. nil when that is not proved.
    func lowerBoundRate(_ lower: Lemma, along rate: OptimizedRate, variable: String, assumptions a: Assumptions) -> Growth? {
        let map = Dictionary(rate.exponents.map { ($0.0, Expr.symbol($0.0) * Expr.raise(.symbol(variable), $0.1)) },
                             uniquingKeysWith: { x, _ in x })
        let along = lower.statement.rhs.substituting(map)
        let analyzer = GrowthAnalyzer(path: ScalingPath(growing: variable), assumptions: a, memos: memos.simplifications)
        guard let g = try? analyzer.growth(of: along) else { return nil }
        let claim = RateClaim(objective: along, growing: variable, rate: g.exponent, logPower: g.logPower, substitutions: [], upperOnly: false)
        // Only the lower side is needed (rate <~ the bound); a certified two-sided rate is stronger.
        guard let context = try? ProofContext.forLaw(theory: theory, growing: variable, mentioning: [along], assumptions: a, memos: memos,
                                                     location: lower.location) else { return nil }
        var target: [Expr] = []
        if g.exponent != .zero { target.append(Expr.raise(.symbol(variable), g.exponent)) }
        if g.logPower != .zero { target.append(Expr.raise(.log(.symbol(variable)), g.logPower)) }
        _ = claim
        guard context.dominationProblem(Expr.multiply(target), by: along, effort: .quick) == nil else { return nil }
        return Growth(exponent: g.exponent.asSingleFraction(a), logPower: g.logPower, coefficient: .one)
    }

    /// Whether the rate decays faster than the floor: (true, nil) proved; (false, condition) where the condition
    /// holds; nil when it does not (or the condition can never hold).
    func gap(_ floor: Growth, _ rate: OptimizedRate, assumptions a: Assumptions) -> (Bool, Condition)? {
        let exponentGap = (floor.exponent - rate.rate).simplified(a)
        let s = a.sign(of: exponentGap).sign
        if s == .positive { return (true, .always) }
        if exponentGap == .zero || s == .zero {
            // Equal powers: a floor with more log factors still beats the rate.
            let logGap = (floor.logPower - rate.logPower).simplified(a)
            return a.sign(of: logGap).sign == .positive ? (true, .always) : nil
        }
        if s.isNonpositive { return nil }
        if a.linearlyProves(exponentGap, strict: true) { return (true, .always) }
        if a.linearlyProves(Expr.negate(exponentGap), strict: false) { return nil }
        let condition = Condition.positive(exponentGap, under: a)
        if condition.isNever { return nil }
        return (false, condition)
    }

    /// The lemmas a bound rests on, with the theorems' proof dependencies.
    func chain(for bound: ComposedBound) -> [ChainLink] {
        var result: [ChainLink] = []
        func add(_ id: String) {
            guard !result.contains(where: { $0.lemma == id && $0.citedAs == nil }) else { return }
            if let lemma = theory.lemmas[id] {
                for dep in lemma.dependencies { add(dep) }
                result.append(ChainLink(lemma: lemma.id, citedAs: lemma.id == id ? nil : id))
            } else {
                result.append(ChainLink(lemma: id, citedAs: nil))
            }
        }
        for id in bound.lemmasUsed { add(id) }
        return result
    }

    /// Re-derive with each alternative swapped in; for each law, the alternatives under which its contradiction is
    /// gone. The alternatives are independent re-derivations, so they run concurrently.
    static func onlyReplacesAnotherLaw(_ entry: AlternativeEntry, base: Theory, variant: Theory, parsed: [String: TheoryFile],
                                       keeping laws: [String]) -> Bool {
        guard let target = entry.replaces, base.laws[target] != nil, !laws.contains(target), let file = parsed[entry.file],
              file.symbols.isEmpty, file.assumptions.isEmpty, file.quantities.isEmpty, file.definitions.isEmpty,
              file.lemmas.isEmpty, file.recipes.isEmpty, file.specializations.isEmpty else { return false }
        // Nothing else came in with it (its imports were all loaded already).
        return Set(variant.files).subtracting(base.files).count <= 1
    }

    func alternativesRemoving(_ contradictedLaws: [String]) -> [String: [AlternativeReference]] {
        let alreadyUsed = Set(theory.swaps.map(\.0))
        let (catalog, parsed) = theory.alternativeFiles()
        let entries = catalog.filter { !alreadyUsed.contains($0.id) }
        let results = ConcurrentResults<[Bool]>(count: entries.count)
        let base = theory
        Workers.forEach(entries.count) { i in
            var variant = base
            guard (try? variant.use(entries[i].id, catalog: catalog, parsed: parsed)) != nil else { return }
            // An alternative that only replaces another law leaves the contradicted laws, their bounds and the
            // assumptions exactly as they were: the contradiction stays.
            if Auditor.onlyReplacesAnotherLaw(entries[i], base: base, variant: variant, parsed: parsed, keeping: contradictedLaws) { return }
            // Only the contradicted laws need re-deriving under the alternative (and the bounds they use). No such
            // law, or bounds that no longer compose: nothing is removed (no result for this alternative).
            guard contradictedLaws.contains(where: { variant.laws[$0] != nil }),
                  let bounds = try? Composer(theory: variant, memos: memos).composeAll() else { return }
            let deriver = LawDeriver(theory: variant, bounds: bounds, memos: memos, ratesOnly: true)
            let auditor = Auditor(theory: variant, memos: memos)
            var removes = [Bool](repeating: false, count: contradictedLaws.count)
            for (k, id) in contradictedLaws.enumerated() {
                guard let law = variant.laws[id] else { continue }
                // A law that no longer derives under the alternative has not shown the contradiction gone.
                guard let derived = try? deriver.derive(law) else { continue }
                let inner = auditor.audit(laws: [derived], bounds: bounds, searchAlternatives: false)
                // Gone only when every rate of the re-derived law is certified and none contradicts: a rate the
                // kernel could not certify might still contradict.
                removes[k] = derived.uncertifiedRates == 0 && !derived.rates.isEmpty && !inner.contradictions.contains(where: { $0.law == id })
            }
            results.set(i, removes)
        }
        var removing: [String: [AlternativeReference]] = [:]
        for (k, id) in contradictedLaws.enumerated() {
            removing[id] = entries.indices.filter { results.get($0)?[k] == true }.map { AlternativeReference(id: entries[$0].id, name: entries[$0].name) }
        }
        return removing
    }
}

/// Everything `derive` computes: the checked proofs, the composed bounds, the laws and the audit.
///
/// A theorem is used only if its proof checks (SEMANTICS.md, "Derivations"): every theorem a derivation cites,
/// directly or inside another proof, is checked first, and one that does not check stops the run at its failing
/// step, unless `allowUnchecked`, which records it in `unchecked` for the reports to mark. A theorem whose proof
/// rests on a swapped-in alternative is not checked as written but replayed with the new lemma, step by step
/// through the kernel.
public struct DerivationRun: Sendable {
    public var theory: Theory
    public var bounds: [ComposedBound]
    public var laws: [DerivedLaw]
    /// Laws that did not derive, each with its located reason (the others still do).
    public var lawFailures: [TheoryError]
    public var proofs: [ProofReport]
    /// Theorems used although their proofs do not check (only with `allowUnchecked`).
    public var unchecked: [String]
    public var audit: AuditReport?

    public init(theory: Theory, audit: Bool = true, checkProofs: Bool = true, allowUnchecked: Bool = false) throws {
        self.theory = theory
        // One memo store for the whole run: the audit's re-derivations repeat much of the same algebra.
        let memos = DerivationMemos()
        let composer = Composer(theory: theory, memos: memos)
        let replayed = Set(theory.orderedLemmas.filter { $0.proof != nil && composer.dependsOnSwap($0.id, seen: []) }.map(\.id))
        let checker = Checker(theory: theory, memos: memos)
        let toCheck = checkProofs ? theory.orderedLemmas.filter { $0.proof != nil && !replayed.contains($0.id) } : []
        // The proofs are checked on one core while the bounds are composed and the laws derived on the others; the
        // results are used only if every theorem they use checks, and a failing proof is reported before anything
        // the composition says.
        let checked = ConcurrentResults<[ProofReport]>(count: 1)
        let checking = DispatchGroup()
        if Workers.parallel {
            DispatchQueue.global().async(group: checking) { checked.set(0, checker.check(toCheck)) }
        } else {
            checked.set(0, checker.check(toCheck))
        }
        let derived = Result { () throws -> ([ComposedBound], [DerivedLaw], [TheoryError]) in
            let bounds = try composer.composeAll()
            let (laws, failures) = LawDeriver(theory: theory, bounds: bounds, memos: memos).deriveEach()
            return (bounds, laws, failures)
        }
        checking.wait()
        proofs = checked.get(0) ?? []
        unchecked = []
        let used = DerivationRun.theoremsUsed(by: theory)
        for report in proofs where !report.ok {
            guard used.contains(report.lemma) else { continue }
            if allowUnchecked { unchecked.append(report.lemma); continue }
            let step = report.firstFailure
            throw TheoryError("\(report.lemma)'s proof does not check: \(step?.message ?? "")\n  derive uses a theorem only if its proof checks ('bounds check' shows every step; --unchecked derives anyway and marks the results)",
                              at: step?.location ?? report.location)
        }
        (bounds, laws, lawFailures) = try derived.get()
        self.audit = audit ? Auditor(theory: theory, memos: memos).audit(laws: laws, bounds: bounds) : nil
    }

    /// The theorems the derivations cite, with every theorem cited inside their proofs.
    static func theoremsUsed(by theory: Theory) -> Set<String> {
        var used = Set<String>()
        var stack: [String] = []
        for recipe in theory.recipes.values {
            for case .lemma(let id, _, _) in recipe.steps { stack.append(id) }
        }
        while let id = stack.popLast() {
            guard used.insert(id).inserted, let lemma = theory.lemmas[id] else { continue }
            stack.append(contentsOf: lemma.dependencies)
        }
        return used.filter { theory.lemmas[$0]?.proof != nil }
    }

    /// Whether the run is complete: every law derived and every theorem used checked.
    public var isComplete: Bool { lawFailures.isEmpty && unchecked.isEmpty }
}

/// Slots written by concurrent workers, one each, behind a lock.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> T? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
