import Symbolic
import Asymptotics

/// Budgets that are sums, `budget C = 6*N*D + 2*N*D_inf` (training plus inference compute): one regime per cost.
///
/// In the regime where the cost T_i dominates, the law is the one-cost law with budget `C = T_i`, over the same
/// allocation variables. It is the true rate under the whole budget when the other costs, along that allocation,
/// are at most a constant times C: then every allocation the whole budget allows also satisfies T_i <= C (so none
/// does better than the one-cost optimum), and the one-cost allocation at a constant fraction of C fits the whole
/// budget (so the rate is attained). Each cost is a monomial, so "at most a constant times C" is its exponent in C
/// being at most 1, proved by a sign proof.
extension LawDeriver {
    func deriveSumBudget(_ law: Law, total: String, costs: [Expr], over: [String]?, objective: Expr) throws -> DerivedLaw {
        // The allocation variables: as listed, or the budget's symbols that the loss depends on (D_inf is a parameter).
        let variables = over ?? Set(costs.flatMap(\.freeSymbols)).intersection(objective.freeSymbols).subtracting([total]).sorted()
        guard !variables.isEmpty else {
            throw TheoryError("law \(law.id): the budget \(total) = \(Expr.add(costs).display) has no symbol that the bound depends on; name the allocation with 'over'", at: law.location)
        }
        // Each cost is spent, never refunded: a cost that can be negative (6*N*D - N^2 makes the total 0 at N = 6*D) would
        // let the allocation grow for free.
        let signs = try ProofContext(theory: theory, path: nil)
        for cost in costs {
            if let why = signs.eventualSignProblem(cost, strict: false, in: signs.all) {
                throw TheoryError("law \(law.id): each cost of the budget must be nonnegative, and \(cost.display) >= 0 is not proved (\(why))", at: law.location)
            }
        }
        var result: DerivedLaw? = nil
        var regimes: [LawRegime] = []
        var notes: [LawNote] = [.sumBudget(total: total, costs: Expr.add(costs), variables: variables)]
        for (i, cost) in costs.enumerated() {
            let label = LawCondition.costDominates(cost)
            // Within the regime only this cost limits the allocation: a variable it does not contain is unbounded
            // there, so the one-cost law (which would hold that variable fixed) is not a lower bound.
            if let free = variables.first(where: { !cost.contains(symbol: $0) }) {
                regimes.append(LawRegime(condition: label, dominant: .unlimited(free)))
                continue
            }
            var single = law
            single.mode = .budget(total, cost, variables)
            // The other costs' parameters (D_inf) are held fixed by the regime's claim: the path says so.
            let parameters = Set(costs.flatMap(\.freeSymbols)).subtracting(variables).subtracting([total])
            let fixed = (law.path?.fixed ?? []) + parameters.sorted().filter { !(law.path?.fixed ?? []).contains($0) }
            single.path = PathSpec(growing: total, substitutions: [], fixed: fixed, location: law.path?.location ?? law.location)
            // The one-cost closed form is exact only for that cost alone, not for the whole budget.
            single.closedForm = nil
            let regime: DerivedLaw
            do {
                regime = try deriveRate(single)
            } catch let e as TheoryError {
                regimes.append(LawRegime(condition: label, dominant: .noLaw(e.message)))
                continue
            }
            if let why = regime.undecided {
                regimes.append(LawRegime(condition: label, dominant: .undecided(why)))
                continue
            }
            // Along this allocation each variable v grows like total^(e_v); the other costs must stay <~ total.
            let exponents = Dictionary(regime.exponents.filter { $0.0 != "risk" }, uniquingKeysWith: { a, _ in a })
            var problems: [CostProblem] = []
            for (j, other) in costs.enumerated() where j != i {
                let problem = try costExponentProblem(other, exponents: exponents, variables: variables, total: total, law: law)
                if let problem { problems.append(problem) }
            }
            let rate = RateDescription(variable: total, exponent: regime.riskExponent, logPower: regime.logPower)
            regimes.append(LawRegime(condition: label, dominant: .rate(rate, total: total, problems: problems)))
            if problems.isEmpty && result == nil { result = regime }
        }
        guard var derived = result else {
            notes.append(.noCostDominates(total: total))
            return DerivedLaw(id: law.id, name: law.name, bound: law.bound, variable: total, path: LawPath(growing: total),
                              exponents: [], logPower: .zero, regimes: regimes, notes: notes, rates: [],
                              closedForm: nil, values: [],
                              undecided: "no single cost of the budget dominates along its optimal allocation: see the regimes")
        }
        if law.closedForm != nil {
            notes.append(.noClosedFormForSum)
        }
        derived.notes = notes + derived.notes.filter { !$0.isBudget }
        derived.regimes = regimes + derived.regimes
        return derived
    }

    /// nil when the monomial `cost`, with each variable v replaced by a constant times total^(e_v), is at most a
    /// constant times total: its exponent is at most 1, by a sign proof over the fixed symbols' domains.
    private func costExponentProblem(_ cost: Expr, exponents: [String: Expr], variables: [String], total: String, law: Law) throws -> CostProblem? {
        let probe = GrowthAnalyzer(path: ScalingPath(growing: total), assumptions: assumptions, memos: memos.simplifications)
        let along = cost.substituting(Dictionary(variables.compactMap { v in exponents[v].map { (v, Expr.symbol(v) * Expr.raise(.symbol(total), $0)) } },
                                                 uniquingKeysWith: { a, _ in a }))
        let g = try located(law) { try probe.growth(of: along) }
        guard g.logPower == .zero else { return .carriesLogs(cost: cost) }
        let context = try ProofContext.forLaw(theory: theory, growing: total, mentioning: [along], assumptions: assumptions, memos: memos, location: law.location)
        if let why = context.eventualSignProblem(Expr.one - g.exponent, strict: false, in: context.all) {
            return .grows(cost: cost, total: total, exponent: g.exponent, reason: why)
        }
        return nil
    }
}
