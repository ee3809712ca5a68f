import Symbolic

/// The result of balancing an objective along a path: one branch per choice inside `min{...}` terms.
public struct BalanceOutcome: Sendable {
    public var path: ScalingPath
    public var branches: [BalanceBranch]
    /// Index of the branch with the least rate, when the comparison is decided.
    public var best: Int?
    /// For budget problems: the exponent of every budget variable in the growing variable at the optimum.
    public var allocation: [(String, Expr)] = []
    /// When the objective is K·(sum)^c: c. The branches are the sum's; their rates are already multiplied by c.
    public var outerPower: Expr? = nil
}

/// The operand taken in one min of the objective: `term` is the min (or a product with it), `operand` what it
/// becomes on the branch.
public struct BranchChoice: Sendable, Equatable {
    public var term: Expr
    public var operand: Expr

    public init(term: Expr, operand: Expr) {
        self.term = term
        self.operand = operand
    }
}

public struct BalanceBranch: Sendable {
    /// Which operand of each min was taken.
    public var choices: [BranchChoice]
    /// The choices as text (`min(N_eff^(-2*beta/d), M^(-2*beta/d)) → N_eff^(-2*beta/d)`).
    public var choice: [String] { choices.map { "\($0.term) → \($0.operand)" } }
    public var terms: [TermGrowth]
    public var points: [BalancePoint]
    /// Terms constant along the path (irreducible offsets), left out of the balance.
    public var offsets: [Expr] = []
    /// The sure (unconditional) optimum, if one was found.
    public var optimum: BalancePoint? { points.first { $0.condition.isAlways } }
}

extension GrowthAnalyzer {
    /// Minimize the growth of a sum of power-law terms over the path's free exponents.
    /// Terms constant along the path are left out as irreducible offsets: all of them when `irreducible`
    /// is nil (as for `E` in a parametric loss), otherwise only those listed.
    public func balance(_ objective: Expr, irreducible: Set<Expr>? = nil) throws -> BalanceOutcome {
        let free = path.freeExponents
        if free.isEmpty {
            throw AsymptoticError("nothing to minimize over: name a free exponent (e.g. --path \"N_eff=n^theta\" --minimize theta)")
        }
        // K·(sum)^c with c > 0 and K > 0 constant along the path: minimizing it is minimizing the sum (x ↦ K·x^c is
        // increasing on x >= 0), at the same exponents, with the rate multiplied by c. The caller's certificate
        // (the kernel's rate rule in a law) is still checked on the whole expression.
        if let outer = GrowthAnalyzer.increasingOuterMap(objective, path: path, assumptions: assumptions) {
            var outcome = try balance(outer.inner, irreducible: irreducible)
            if let offsets = outcome.branches.first(where: { !$0.offsets.isEmpty })?.offsets {
                throw AsymptoticError("\(offsets.map(\.text).joined(separator: ", ")) is constant along the path but sits inside the power of \(objective.text): the excess over it is not a power law of the sum; write the irreducible term outside the power")
            }
            for b in outcome.branches.indices {
                for p in outcome.branches[b].points.indices {
                    outcome.branches[b].points[p].rate = memo.simplified(outer.power * outcome.branches[b].points[p].rate)
                    outcome.branches[b].points[p].logPower = memo.simplified(outer.power * outcome.branches[b].points[p].logPower)
                }
            }
            outcome.outerPower = outer.power
            return outcome
        }
        for v in free where !path.substitutions.contains(where: { $0.1.contains(symbol: v) }) {
            throw AsymptoticError("the free exponent '\(v)' does not occur in the path's substitutions")
        }
        let branches = GrowthAnalyzer.expandMinima(objective)
        var outcome = BalanceOutcome(path: path, branches: [], best: nil)
        let (constraints, strict) = try exponentConstraints()
        for (choice, terms) in branches {
            var lines: [AffineExponent] = []
            var growths: [TermGrowth] = []
            var offsets: [Expr] = []
            for term in terms {
                let g = try growth(of: path.apply(to: term))
                // A term constant along the path (an irreducible loss E) is reported, not balanced.
                if g.exponent == .zero && g.logPower == .zero && !free.contains(where: { term.contains(symbol: $0) })
                    && (irreducible?.contains(term) ?? true) {
                    offsets.append(term)
                    continue
                }
                guard let line = AffineExponent.extract(g.exponent, variables: free, memo: memo) else {
                    throw AsymptoticError("the exponent \(g.exponent) of \(term) is not affine in \(free.joined(separator: ", ")); bounds balances power laws only")
                }
                lines.append(line)
                growths.append(TermGrowth(term: term, growth: g))
            }
            if lines.isEmpty { throw AsymptoticError("every term of \(objective) is constant along \(path): nothing to balance") }
            var lp = ExponentLP(lines: lines, constraints: constraints, variables: free, memo: memo, logPowers: growths.map(\.growth.logPower), logLogPowers: growths.map(\.growth.logLogPower))
            lp.strictConstraints = strict
            var points = try lp.solve()
            for i in points.indices {
                // Õ: the rate carries the largest log power among the balanced terms.
                let logs = points[i].active.map { growths[$0].growth.logPower }
                points[i].logPower = logs.reduce(Expr.zero) { acc, l in
                    assumptions.quickSign(memo.simplified(l - acc)) == .positive ? l : acc
                }
            }
            outcome.branches.append(BalanceBranch(choices: choice, terms: growths, points: points, offsets: offsets))
        }
        outcome.best = bestBranch(outcome.branches)
        return outcome
    }

    private func bestBranch(_ branches: [BalanceBranch]) -> Int? {
        var best: Int? = nil
        for (i, b) in branches.enumerated() {
            guard let rate = b.optimum?.rate else { continue }
            guard let current = best, let currentRate = branches[current].optimum?.rate else { best = i; continue }
            let s = assumptions.quickSign(memo.simplified(rate - currentRate))
            if s == .negative { best = i } else if s != .positive && s != .zero && !s.isNonnegative { return nil }
        }
        return best
    }

    /// Bounds on free exponents from the assumptions, every assumed relation that is affine in the free exponents
    /// (`mu <= theta/2`, `theta <= beta`), and `exponent >= 0` for every substituted variable assumed >= 1
    /// (N_eff >= 1 and N_eff = n^theta give theta >= 0); with the indices of the strict ones (an open end, a `<`),
    /// where the bound is not attained.
    private func exponentConstraints() throws -> ([AffineExponent], Set<Int>) {
        let free = path.freeExponents
        var result: [AffineExponent] = []
        var strict = Set<Int>()
        for (j, v) in free.enumerated() {
            let interval = assumptions.interval(ofSymbol: v)
            var unit = [Expr](repeating: .zero, count: free.count)
            unit[j] = .one
            if let l = interval.lower {
                if interval.lowerOpen { strict.insert(result.count) }
                result.append(AffineExponent(slope: unit, intercept: .number(-l)))
            }
            if let u = interval.upper {
                if interval.upperOpen { strict.insert(result.count) }
                result.append(AffineExponent(slope: unit.map { -$0 }, intercept: .number(u)))
            }
        }
        for fact in assumptions.facts where fact.expression.freeSymbols.contains(where: free.contains) {
            guard let line = AffineExponent.extract(fact.expression, variables: free, memo: memo) else { continue }
            if fact.strict { strict.insert(result.count) }
            result.append(line)
        }
        for (name, value) in path.substitutions {
            let range = assumptions.interval(ofSymbol: name)
            guard let lower = range.lower, lower >= .one else { continue }
            let g = try growth(of: value)
            if let line = AffineExponent.extract(g.exponent, variables: free, memo: memo),
               !line.slope.allSatisfy({ $0 == .zero }) {
                result.append(line)
            }
        }
        return (result, strict)
    }

    /// Split `min{a, b}` terms into branches (the bound holds with either operand); `max{a, b}` ≍ a + b.
    static func expandMinima(_ objective: Expr) -> [([BranchChoice], [Expr])] {
        let top: [Expr]
        if case .sum(let ts) = objective.shape { top = ts } else { top = [objective] }
        var branches: [([BranchChoice], [Expr])] = [([], [])]
        for term in top {
            var alternatives: [Expr] = [term]
            var splitsIntoSum = false
            if case .min(let xs) = term.shape { alternatives = xs }
            else if case .max(let xs) = term.shape { alternatives = xs; splitsIntoSum = true }
            else if case .product(let fs) = term.shape, let i = fs.firstIndex(where: { if case .min = $0.shape { return true } else { return false } }),
                    case .min(let xs) = fs[i].shape {
                alternatives = xs.map { x in Expr.multiply(fs.enumerated().map { $0.offset == i ? x : $0.element }) }
            }
            if splitsIntoSum || alternatives.count == 1 {
                branches = branches.map { ($0.0, $0.1 + alternatives) }
            } else if branches.count * alternatives.count <= 16 {
                branches = branches.flatMap { b in alternatives.map { (b.0 + [BranchChoice(term: term, operand: $0)], b.1 + [$0]) } }
            } else {
                branches = branches.map { ($0.0, $0.1 + [alternatives[0]]) }
            }
        }
        return branches
    }
}

/// A compute budget such as `C = 6*N*D`: a constant factor and each variable's power.
public struct Budget: Sendable, CustomStringConvertible {
    public var total: String
    /// Everything that is not a budget variable (6, or M/k when compute counts all parameters).
    public var constant: Expr
    public var variables: [(String, Rational)]

    /// The cost: the constant times each variable's power (`N_eff*n`, `6*N*D`).
    public var cost: Expr { Expr.multiply([constant] + variables.map { Expr.raise(.symbol($0.0), .number($0.1)) }) }

    public var description: String { "\(total) = " + cost.text }

    /// `C = N_eff*n`, `C = 6*N*D`: the right side must be a constant times powers of the variables.
    public static func parse(_ text: String, variables: [String]? = nil) throws -> Budget {
        let relation = try Parser.parseRelation(text, file: "<budget>")
        guard relation.op == .equal, case .symbol(let total) = relation.lhs.shape else {
            throw AsymptoticError("a budget must read 'C = expression', e.g. 'C = N_eff*n' or 'C = 6*N*D'")
        }
        return try Budget(total: total, product: relation.rhs, variables: variables)
    }

    /// `variables` names the budget variables; by default every symbol of the product is one.
    public init(total: String, product: Expr, variables chosen: [String]? = nil) throws {
        self.total = total
        let canonical = product.simplified()
        let factors: [Expr]
        if case .product(let fs) = canonical.shape { factors = fs } else { factors = [canonical] }
        var constants: [Expr] = []
        var variables: [(String, Rational)] = []
        for f in factors {
            switch f.shape {
            case .symbol(let s) where chosen?.contains(s) ?? true: variables.append((s, .one))
            case .power(let b, let x) where b.symbolName.map { chosen?.contains($0) ?? true } == true && x.numberValue.map { !$0.isZero } == true:
                variables.append((b.symbolName!, x.numberValue!))
            default:
                if let chosen, !f.freeSymbols.contains(where: chosen.contains) { constants.append(f); continue }
                if chosen == nil, case .number = f.shape { constants.append(f); continue }
                throw AsymptoticError("the budget must be a constant times powers of its variables, but it contains \(f)")
            }
        }
        if let chosen {
            for v in chosen where !variables.contains(where: { $0.0 == v }) {
                throw AsymptoticError("the budget \(product) does not contain the variable \(v)")
            }
        }
        guard variables.count >= 2 else { throw AsymptoticError("a budget needs at least two variables to trade off, got \(product)") }
        if variables.contains(where: { $0.0 == total }) || product.contains(symbol: total) {
            throw AsymptoticError("the budget \(total) cannot appear on its own right side")
        }
        self.constant = Expr.multiply(constants)
        self.variables = variables
    }

    /// The path `total → ∞` with `v_i = total^(x_v_i)` for all but the last variable, which the budget fixes.
    public func path(fixed: [String] = []) -> ScalingPath {
        let c = Expr.symbol(total)
        var substitutions: [(String, Expr)] = []
        var free: [String] = []
        var exponentSum: [Expr] = []
        for (v, p) in variables.dropLast() {
            let x = "x_\(v)"
            free.append(x)
            substitutions.append((v, Expr.raise(c, .symbol(x))))
            exponentSum.append(Expr.multiply([.number(p), .symbol(x)]))
        }
        guard let (last, p) = variables.last, let inverse = p.reciprocal else {
            return ScalingPath(growing: total)
        }
        let lastExponent = Expr.multiply([.number(inverse), Expr.add([.one, Expr.negate(Expr.add(exponentSum))])])
        let lastValue = Expr.multiply([Expr.raise(Expr.reciprocal(constant), .number(inverse)), Expr.raise(c, lastExponent)])
        substitutions.append((last, lastValue))
        return ScalingPath(growing: total, substitutions: substitutions, fixed: fixed, freeExponents: free)
    }
}

extension GrowthAnalyzer {
    /// `K·(S)^c` with S a sum, c > 0 and K > 0 both constant along the path (free of the growing variable, the
    /// substituted symbols and the free exponents): an increasing function of S. nil otherwise.
    public static func increasingOuterMap(_ e: Expr, path: ScalingPath, assumptions: Assumptions) -> (inner: Expr, power: Expr, factor: Expr)? {
        let moving = Set([path.growing] + path.substitutions.map(\.0) + path.freeExponents)
        let constant = { (x: Expr) in x.freeSymbols.allSatisfy { !moving.contains($0) } }
        let factors: [Expr]
        if case .product(let fs) = e.shape { factors = fs } else { factors = [e] }
        var found: (Expr, Expr)? = nil
        var rest: [Expr] = []
        for f in factors {
            if found == nil, case .power(let base, let c) = f.shape, case .sum = base.shape, constant(c),
               assumptions.quickSign(c) == .positive {
                found = (base, c)
            } else {
                rest.append(f)
            }
        }
        guard let (inner, power) = found else { return nil }
        let factor = Expr.multiply(rest)
        guard constant(factor), assumptions.quickSign(factor) == .positive else { return nil }
        return (inner, power, factor)
    }

    /// Balance under a budget; fills `allocation` with each variable's exponent in the budget.
    public static func balance(_ objective: Expr, budget: Budget, fixed: [String] = [], irreducible: Set<Expr>? = nil, assumptions: Assumptions,
                               memos: SimplificationMemos? = nil) throws -> BalanceOutcome {
        // C = s*N*D with s of unknown sign is not a cost (s <= 0 spends nothing): the path C^(1-x)/s needs s > 0.
        guard assumptions.quickSign(budget.constant.simplified(assumptions)) == .positive else {
            throw AsymptoticError("the budget's constant factor \(budget.constant.text) is not proved positive")
        }
        var a = assumptions
        for (v, _) in budget.variables where a.interval(ofSymbol: v).lower == nil {
            try? a.assume(.symbol(v), .greaterEqual, .one, origin: .init("\(v) >= 1 (a budget variable)"))
        }
        let path = budget.path(fixed: fixed)
        let analyzer = GrowthAnalyzer(path: path, assumptions: a, memos: memos)
        var outcome = try analyzer.balance(objective, irreducible: irreducible)
        if let best = outcome.best, let point = outcome.branches[best].optimum {
            for (v, value) in path.substitutions {
                let g = try analyzer.growth(of: value.substituting(point.exponents))
                outcome.allocation.append((v, g.exponent))
            }
        }
        return outcome
    }
}
