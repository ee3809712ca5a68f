import Symbolic

/// An exponent that is affine in the free exponents: `slope · x + intercept`.
public struct AffineExponent: Sendable {
    public var slope: [Expr]
    public var intercept: Expr

    public func evaluate(at x: [Expr]) -> Expr {
        Expr.add([intercept] + zip(slope, x).map { $0 * $1 })
    }

    /// Split `e` into slope and intercept in `variables`; nil if `e` is not affine in them.
    static func extract(_ e: Expr, variables: [String], memo: SimplificationMemo) -> AffineExponent? {
        let zeros = Dictionary(uniqueKeysWithValues: variables.map { ($0, Expr.zero) })
        let intercept = memo.simplified(e.substituting(zeros))
        var slope: [Expr] = []
        for v in variables {
            var at = zeros
            at[v] = .one
            slope.append(memo.simplified(e.substituting(at) - intercept))
        }
        let rebuilt = AffineExponent(slope: slope, intercept: intercept).evaluate(at: variables.map { .symbol($0) })
        guard memo.simplified(e - rebuilt) == .zero else { return nil }
        return AffineExponent(slope: slope, intercept: intercept)
    }
}

/// One vertex of the exponent LP: the free exponents, the rate, and when it is the optimum.
public struct BalancePoint: Sendable {
    public var exponents: [String: Expr]
    /// The optimal exponent of the growing variable (the rate is `v^rate`).
    public var rate: Expr
    /// Powers of log carried by the active terms (the rate holds up to these: Õ).
    public var logPower: Expr
    /// Indices of the terms that are balanced (attain the rate).
    public var active: [Int]
    public var condition: Condition
    /// The KKT certificate was found: this vertex is a global optimum of the convex exponent problem.
    public var certified: Bool
    public var alsoOptimal: [[String: Expr]] = []
}

/// Minimize `max_i (a_i · x + b_i)` over the free exponents x subject to `g_k · x + h_k >= 0`.
///
/// The sum of power-law terms `Σ v^(a_i·x + b_i)` is ≍ `v^(max_i ...)`, so the best rate is the minimum of a
/// convex piecewise-linear function: a linear program in exponent space with symbolic coefficients.
/// It is solved by enumerating vertices (solving the tight constraints symbolically), checking feasibility
/// with the sign oracle (undecided checks become conditions), and certifying the best vertex with a KKT
/// multiplier certificate; without one the optimum is not claimed.
struct ExponentLP {
    var lines: [AffineExponent]
    var constraints: [AffineExponent]
    var variables: [String]
    /// Every simplification goes through the memo: the same slopes and intercepts meet in many systems.
    var memo: SimplificationMemo
    /// The power of log each line's term carries: among vertices with the same rate, the one whose active terms
    /// carry the least is the optimum (n^0 beats n^0·log n). Empty: no logs.
    var logPowers: [Expr] = []
    /// The power of log log each line's term carries (compared where the log powers tie). Empty: none.
    var logLogPowers: [Expr] = []
    /// The constraints that are strict (`theta < 1/4`): a vertex where one is active is not attained.
    var strictConstraints: Set<Int> = []
    var assumptions: Assumptions { memo.assumptions }

    /// The largest log power among the lines active at a vertex.
    func logPower(active: [Int]) -> Expr {
        active.compactMap { $0 < logPowers.count ? logPowers[$0] : nil }.reduce(Expr.zero) { acc, l in
            assumptions.quickSign(memo.simplified(l - acc)) == .positive ? l : acc
        }
    }

    func solve() throws -> [BalancePoint] {
        let m = variables.count
        if m == 0 {
            throw AsymptoticError("nothing to balance: no free exponent")
        }
        enum Tight { case line(Int), constraint(Int) }
        let all: [Tight] = lines.indices.map { .line($0) } + constraints.indices.map { .constraint($0) }
        var vertices: [(x: [Expr], t: Expr, condition: Condition)] = []
        var undecidedSystems = 0
        var inadmissible = 0
        // Unknowns: x_1..x_m, t. Line: a·x - t = -b. Constraint: g·x = -h. Each row is built once.
        let rows: [(row: [Expr], rhs: Expr, isLine: Bool)] = all.map { tight in
            switch tight {
            case .line(let i): return (lines[i].slope + [.minusOne], memo.simplified(-lines[i].intercept), true)
            case .constraint(let k): return (constraints[k].slope + [.zero], memo.simplified(-constraints[k].intercept), false)
            }
        }
        for combo in ExponentLP.combinations(all.count, m + 1) {
            guard combo.contains(where: { rows[$0].isLine }) else { continue }
            let matrix = combo.map { rows[$0].row }
            let rhs = combo.map { rows[$0].rhs }
            guard let solution = LinearSolve.solve(matrix, rhs, memo: memo) else {
                // Singular, or a pivot whose nonzeroness the assumptions do not settle (1 + a with a >= -1).
                if matrix.joined().contains(where: { !$0.freeSymbols.isEmpty }) { undecidedSystems += 1 }
                continue
            }
            let x = Array(solution.prefix(m)), t = solution[m]
            var condition = Condition.always
            for line in lines {
                condition = condition.and(.positive(t - line.evaluate(at: x), strict: false, memo: memo))
                if condition.isNever { break }
            }
            for c in constraints where !condition.isNever {
                condition = condition.and(.positive(c.evaluate(at: x), strict: false, memo: memo))
            }
            if condition.isNever { continue }
            // Only exponents the assumptions allow: every relation among them holds there (also one the
            // constraints above do not carry, theta^2 <= 1/16), and no strict bound is met with equality.
            guard admissible(x) else { inadmissible += 1; continue }
            if vertices.contains(where: { $0.x == x && $0.t == t }) { continue }
            vertices.append((x, t, condition))
        }
        if vertices.isEmpty && undecidedSystems > 0 {
            throw AsymptoticError("undecided: no optimum could be derived, since solving the balance divides by a quantity that the assumptions do not prove nonzero (an exponent that may be 0, or a sum of exponents that may cancel); assume the exponents' signs strictly")
        }
        if vertices.isEmpty && inadmissible > 0 {
            throw AsymptoticError("undecided: every candidate optimum lies where an assumption on the exponents is strict (a bound not attained) or not proved, so no allowed choice of them is shown to attain a rate")
        }
        if vertices.isEmpty {
            throw AsymptoticError("no finite optimum: the rate improves without bound as the free exponents move; constrain them (e.g. assume theta in [0, 1])")
        }
        // The best vertex among those feasible for sure; others only under their conditions.
        // A vertex with a KKT certificate is optimal wherever it is feasible; any other vertex is only a feasible
        // point (theta = 0 when theta in [0, 1/4] caps the balance). Once some vertex is certified, only
        // certified ones are reported.
        // Each vertex's point (active terms, certificate) once; the condition is only carried along.
        // A certified vertex is optimal wherever it is feasible, so a vertex whose rate is provably above that of a
        // vertex feasible everywhere cannot be certified: its certificate (the costly part) is not sought.
        let everywhere = vertices.indices.filter { vertices[$0].condition.isAlways }
        let points = vertices.indices.map { i in
            let beaten = everywhere.contains { j in
                j != i && assumptions.quickSign(memo.simplified(vertices[i].t - vertices[j].t)) == .positive
            }
            return makePoint(vertices[i].x, vertices[i].t, vertices[i].condition, seekingCertificate: !beaten)
        }
        let certified = vertices.indices.filter { points[$0].certified }
        let usable = certified.isEmpty ? Array(vertices.indices) : certified
        let sure = usable.filter { vertices[$0].condition.isAlways }
        var results: [BalancePoint] = []
        if var bestIndex = minimal(sure.map { vertices[$0].t }).map({ sure[$0] }) {
            // At the same rate, the vertex whose balanced terms carry provably less log.
            for i in sure where i != bestIndex && memo.simplified(vertices[i].t - vertices[bestIndex].t) == .zero {
                let gap = memo.simplified(logPower(active: points[i].active) - logPower(active: points[bestIndex].active))
                if assumptions.quickSign(gap) == .negative { bestIndex = i }
            }
            let best = vertices[bestIndex]
            let bestLogs = logPower(active: points[bestIndex].active)
            let ties = sure.filter { i in
                memo.simplified(vertices[i].t - best.t) == .zero && vertices[i].x != best.x
                    && assumptions.quickSign(memo.simplified(logPower(active: points[i].active) - bestLogs)) != .positive
            }.map { vertices[$0] }
            var point = points[bestIndex]
            point.condition = .always
            point.alsoOptimal = ties.map { Dictionary(uniqueKeysWithValues: zip(variables, $0.x)) }
            results.append(point)
        }
        let sureOptimum = results.first
        for i in usable where !vertices[i].condition.isAlways {
            let v = vertices[i]
            // A conditional vertex matters only where it beats the sure optimum (not another conditional one).
            var condition = v.condition
            if let best = sureOptimum {
                condition = condition.and(.positive(best.rate - v.t, strict: true, memo: memo))
            }
            if !condition.isNever {
                var point = points[i]
                point.condition = condition
                results.append(point)
            }
        }
        if results.isEmpty {
            throw AsymptoticError("the optimum depends on conditions the assumptions do not settle: " +
                                  vertices.map { "\($0.condition)" }.joined(separator: "; "))
        }
        return results
    }

    /// Whether the exponents `x` are allowed: each assumed relation that mentions a free exponent is proved at `x`
    /// (strictly where it is strict), and no strict constraint is active. A relation not proved leaves `x` out.
    private func admissible(_ x: [Expr]) -> Bool {
        let at = Dictionary(zip(variables, x), uniquingKeysWith: { a, _ in a })
        for fact in assumptions.facts where fact.expression.freeSymbols.contains(where: variables.contains) {
            let s = assumptions.quickSign(memo.simplified(fact.expression.substituting(at)))
            if fact.strict ? s != .positive : !s.isNonnegative { return false }
        }
        for k in strictConstraints where k < constraints.count {
            if assumptions.quickSign(memo.simplified(constraints[k].evaluate(at: x))) != .positive { return false }
        }
        return true
    }

    /// The index of the least rate when the comparisons are decidable.
    private func minimal(_ rates: [Expr]) -> Int? {
        var best: Int? = nil
        for (i, rate) in rates.enumerated() {
            guard let current = best else { best = i; continue }
            let s = assumptions.quickSign(memo.simplified(rate - rates[current]))
            if s == .negative { best = i }
        }
        return best
    }

    private func makePoint(_ x: [Expr], _ t: Expr, _ condition: Condition, seekingCertificate: Bool) -> BalancePoint {
        let active = lines.indices.filter { memo.simplified(t - lines[$0].evaluate(at: x)) == .zero }
        let activeConstraints = constraints.indices.filter { memo.simplified(constraints[$0].evaluate(at: x)) == .zero }
        let certified = seekingCertificate && hasCertificate(activeLines: active, activeConstraints: activeConstraints)
            && keepsLogPowerAlongFace(activeLines: active, activeConstraints: activeConstraints)
        return BalancePoint(exponents: Dictionary(uniqueKeysWithValues: zip(variables, x)), rate: t, logPower: .zero,
                            active: active, condition: condition, certified: certified)
    }

    /// KKT: λ ≥ 0 on active lines with Σλ = 1 and Σλ a_i = Σ μ_k g_k with μ ≥ 0 on active constraints.
    private func hasCertificate(activeLines: [Int], activeConstraints: [Int]) -> Bool {
        let m = variables.count
        let unknowns = activeLines.map { (true, $0) } + activeConstraints.map { (false, $0) }
        for size in 1...min(m + 1, unknowns.count) {
            for combo in ExponentLP.combinations(unknowns.count, size) {
                // Rows: the m stationarity equations and Σλ = 1; solve in the least-squares-free way by
                // picking `size` independent rows.
                var rows: [[Expr]] = []
                var rhs: [Expr] = []
                for j in 0..<m {
                    rows.append(combo.map { unknowns[$0].0 ? lines[unknowns[$0].1].slope[j] : -constraints[unknowns[$0].1].slope[j] })
                    rhs.append(.zero)
                }
                rows.append(combo.map { unknowns[$0].0 ? .one : .zero })
                rhs.append(.one)
                for rowChoice in ExponentLP.combinations(rows.count, size) where rowChoice.contains(m) {
                    guard let solution = LinearSolve.solve(rowChoice.map { rows[$0] }, rowChoice.map { rhs[$0] }, memo: memo) else { continue }
                    // Every equation must hold, not only the chosen rows.
                    let consistent = rows.indices.allSatisfy { r in
                        memo.simplified(Expr.add(zip(rows[r], solution).map { $0 * $1 }) - rhs[r]) == .zero
                    }
                    if consistent && solution.allSatisfy({ assumptions.quickSign($0).isNonnegative }) { return true }
                }
            }
        }
        return false
    }

    /// The KKT certificate shows that no choice of exponents gives a smaller power of v; it says nothing of the
    /// powers of log. Where the optimal exponents form a face larger than the vertex (N^(-a) + 1/log(n) is
    /// v^0 for every theta >= 0), points inside the face keep only the lines active on all of it, and may carry
    /// less log than the vertex (theta > 0 gives 1/log(n), theta = 0 gives 1). So the vertex is the optimum only
    /// if some line active on the whole face carries the vertex's largest log power. The face's directions are
    /// the d with a·d <= 0 for the active lines and g·d >= 0 for the active constraints; in one or two free
    /// exponents every direction that matters is among ±1 (one exponent) or the axes, the active normals and
    /// their perpendiculars (two). A sign the assumptions do not settle, or more exponents, leaves it unshown.
    private func keepsLogPowerAlongFace(activeLines: [Int], activeConstraints: [Int]) -> Bool {
        let logs = activeLines.map { $0 < logPowers.count ? logPowers[$0] : Expr.zero }
        let logLogs = activeLines.map { $0 < logLogPowers.count ? logLogPowers[$0] : Expr.zero }
        guard !activeLines.isEmpty else { return true }
        if logs.allSatisfy({ memo.simplified($0 - logs[0]) == .zero }) && logLogs.allSatisfy({ memo.simplified($0 - logLogs[0]) == .zero }) {
            return true
        }
        let m = variables.count
        let normals = activeLines.map { lines[$0].slope } + activeConstraints.map { constraints[$0].slope }
        var candidates: [[Expr]] = []
        switch m {
        case 1:
            candidates = [[.one], [.minusOne]]
        case 2:
            candidates = [[.one, .zero], [.minusOne, .zero], [.zero, .one], [.zero, .minusOne]]
            for n in normals {
                candidates += [n, n.map { Expr.negate($0) }, [n[1], Expr.negate(n[0])], [Expr.negate(n[1]), n[0]]]
            }
        default:
            return false
        }
        func dot(_ a: [Expr], _ d: [Expr]) -> Expr { memo.simplified(Expr.add(zip(a, d).map { $0 * $1 })) }
        // nil when the sign of a·d is not settled.
        func sign(_ a: [Expr], _ d: [Expr]) -> Sign? {
            let x = dot(a, d)
            if x == .zero { return .zero }
            let s = assumptions.quickSign(x)
            return s == .unknown || s == .nonzero ? nil : s
        }
        var inFace: [[Expr]] = []
        for d in candidates {
            if d.allSatisfy({ memo.simplified($0) == .zero }) { continue }
            var inside = true
            for i in activeLines {
                guard let s = sign(lines[i].slope, d) else { return false }
                if !s.isNonpositive { inside = false; break }
            }
            if inside {
                for k in activeConstraints {
                    guard let s = sign(constraints[k].slope, d) else { return false }
                    if !s.isNonnegative { inside = false; break }
                }
            }
            if inside { inFace.append(d) }
        }
        if inFace.isEmpty { return true }
        // The lines active on the whole face: a·d = 0 along every direction found in it.
        let onFace = activeLines.indices.filter { j in inFace.allSatisfy { dot(lines[activeLines[j]].slope, $0) == .zero } }
        // Some line on the face must carry at least every active line's log power (then log log power).
        func atLeast(_ j: Int, _ i: Int) -> Bool {
            let gap = memo.simplified(logs[j] - logs[i])
            if gap != .zero { return assumptions.quickSign(gap) == .positive }
            return assumptions.quickSign(memo.simplified(logLogs[j] - logLogs[i])).isNonnegative
        }
        return onFace.contains { j in activeLines.indices.allSatisfy { i in atLeast(j, i) } }
    }

    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        guard k <= n, k > 0 else { return k == 0 ? [[]] : [] }
        var result: [[Int]] = []
        var current: [Int] = []
        func go(_ start: Int) {
            if current.count == k { result.append(current); return }
            var i = start
            while i < n && n - i >= k - current.count {
                current.append(i); go(i + 1); current.removeLast()
                i += 1
            }
        }
        go(0)
        return result
    }
}
