import Symbolic
import Asymptotics

extension ProofContext {
    /// Rule **dominate** (SEMANTICS.md): `small <~ big`, term by term. Each term of `small` (products multiplied
    /// out, logs kept whole) is at most 0, or at most a constant times one nonnegative term of `big`; then the sum
    /// is at most the largest constant times the sum. Along the path this need hold only eventually.
    ///
    /// nil when it holds; otherwise which term could not be bounded, and why.
    ///
    /// With `full` effort (a proof step), a term that fails is also tried with its logs split (log(2*N) is log(2) +
    /// log(N)), and when some term still fails the whole comparison small <= c·big is tried for c = 1, 2, 4, 8 by
    /// a sign proof (sqrt(a + b) <~ sqrt(a) + sqrt(b)). `quick` (the composer, the laws) is the term test alone.
    func dominationProblem(_ small: Expr, by big: Expr, effort: SignProof.Effort = .full) -> KernelFailure? {
        let region = eventually ?? all
        var (both, a) = opaque([small, big], in: region)
        // Along a path v >= 16 > 0, so b^(k·log v + r) = v^(k·log b)·b^r exactly (b > 0 constant): the form in which
        // a term's ratio to a power of v simplifies.
        if let v = path?.growing, eventually != nil {
            both = both.map { GrowthAnalyzer.powersOfLogExponents($0, in: v, assumptions: a) }
        }
        let expand = Simplifier(assumptions: a, options: Simplifier.Options(expand: true, splitLogs: false))
        let left = ProofContext.summands(expand.simplify(both[0]))
        var right = ProofContext.summands(expand.simplify(both[1]))
        let signed = right.filter { s in
            eventualSignProblem(s, strict: false, in: a, effort: .quick) != nil
                && (effort == .quick || eventualSignProblem(s, strict: false, in: a) != nil)
        }
        if let first = signed.first {
            // Terms of unknown or negative sign (the -1 of n - 1) are absorbed when the nonnegative part P is at most
            // c·big, c = 2 or 4, by a sign proof: then small <= c'·P <= c'·c·big, so bounding by P suffices.
            let positive = right.filter { !signed.contains($0) }
            let absorbed = !positive.isEmpty && [2, 4].contains { c in
                eventualSignProblem(Expr(c) * both[1] - Expr.add(positive), strict: false, in: a, effort: effort == .quick ? .quick : .full) == nil
            }
            guard absorbed else {
                return .undecided("the term \(restore(first, both)) of \(big) is not known to be nonnegative, so nothing can be bounded by it")
            }
            right = positive
        }
        func dominated(_ t: Expr, _ reasons: inout [String]) -> Bool {
            // A term of big is bounded by itself (c = 1): no search needed.
            if right.contains(t) { return true }
            // The cheap test against every term first; the expensive fallbacks only when none passes. (A term at
            // most 0 is dominated too; that test comes second because it is a failing sign proof for every
            // positive term, the usual case, and the order does not change the verdict.)
            for s in right {
                if let why = termProblem(t, s, in: a, simplifier: expand, effort: .quick) { reasons.append(why) } else { return true }
            }
            if eventualSignProblem(Expr.negate(t), strict: false, in: a, effort: .quick) == nil { return true }
            if effort == .full {
                for s in right where termProblem(t, s, in: a, simplifier: expand, effort: .full) == nil { return true }
            }
            return false
        }
        for t in left {
            var reasons: [String] = []
            if dominated(t, &reasons) { continue }
            if effort == .full {
                let pieces = ProofContext.summands(simplified(t, in: a))
                var ignored: [String] = []
                if pieces.count > 1 && pieces.allSatisfy({ dominated($0, &ignored) }) { continue }
                for c in [1, 2, 4, 8] where eventualSignProblem(Expr(c) * both[1] - both[0], strict: false, in: a) == nil { return nil }
            }
            let along = path.map { " as \($0.growing) → ∞" + ($0.fixed.isEmpty ? " (nothing fixed)" : " with \($0.fixed.joined(separator: ", ")) fixed") } ?? " (no path: the constant must be absolute)"
            let why = reasons.first.map { ": \($0)" } ?? ""
            return .undecided("the term \(restore(t, both)) is not bounded by a constant times any term of \(big)\(along)\(why)")
        }
        return nil
    }

    static func summands(_ e: Expr) -> [Expr] {
        if case .sum(let ts) = e.shape { return ts }
        return [e]
    }

    /// Put quantity applications back for messages.
    private func restore(_ e: Expr, _ context: [Expr]) -> String {
        var text = e.display
        for c in context { for (atom, original) in ProofContext.atomNames(in: c) { text = text.replacingOccurrences(of: atom, with: original) } }
        return text
    }

    /// nil when `t <= c·s` eventually with a constant c depending only on the fixed symbols (s >= 0).
    func termProblem(_ t: Expr, _ s: Expr, in a: Assumptions, simplifier: Simplifier, effort: SignProof.Effort = .quick) -> String? {
        if t == s { return nil }
        return memos.termProblem(t, s, context: self, assumptions: a, effort: effort) {
            uncachedTermProblem(t, s, in: a, simplifier: simplifier, effort: effort)
        }
    }

    private func uncachedTermProblem(_ t: Expr, _ s: Expr, in a: Assumptions, simplifier: Simplifier, effort: SignProof.Effort) -> String? {
        // Every bound below is of the form t <= c·s with c > 0, which needs s >= 0 (min(1, n - n^2) is not).
        if let quick = eventualSignProblem(s, strict: false, in: a, effort: .quick),
           let problem = effort == .quick ? quick : eventualSignProblem(s, strict: false, in: a) {
            return "\(s.display) is not known to be nonnegative: \(problem)"
        }
        // A min is below each operand, a max above each: min(t1, t2) <~ s needs one, t <~ min(s1, s2) needs both.
        // One operand suffices: stop at the first that is bounded (otherwise the first problem is the reason).
        // Operands that mention the growing variable are tried first (along a path they are the ones that decay,
        // and a failing comparison costs the most); when none is bounded the reason is still the first operand's.
        func anyOperand(_ operands: [Expr], _ problem: (Expr) -> String?) -> String? {
            let mentions = operands.map { x in path.map { x.contains(symbol: $0.growing) } ?? true }
            let order = operands.indices.filter { mentions[$0] } + operands.indices.filter { !mentions[$0] }
            var problems = [String?](repeating: nil, count: operands.count)
            for i in order {
                guard let p = problem(operands[i]) else { return nil }
                problems[i] = p
            }
            return problems.first ?? nil
        }
        if case .min(let ts) = t.shape { return anyOperand(ts) { self.termProblem($0, s, in: a, simplifier: simplifier, effort: effort) } }
        if case .max(let ts) = t.shape { return ts.lazy.compactMap { self.termProblem($0, s, in: a, simplifier: simplifier, effort: effort) }.first }
        if case .min(let ss) = s.shape { return ss.lazy.compactMap { self.termProblem(t, $0, in: a, simplifier: simplifier, effort: effort) }.first }
        if case .max(let ss) = s.shape { return anyOperand(ss) { self.termProblem(t, $0, in: a, simplifier: simplifier, effort: effort) } }
        let ratio = simplifier.simplify(t / s)
        // t = r·s with r defined everywhere gives t <= sup|r|·s even where s = 0; otherwise s must be positive.
        var ratioProblem: String? = nil
        var outgrows = false
        if eventualSignProblem(s, strict: true, in: a, effort: .quick) != nil
            && !(a.undefinedness(of: ratio) == nil && equal(t, ratio * s, in: a)) {
            ratioProblem = "\(s) is not known to be positive"
        } else if ratio.freeSymbols.contains(where: { isQuantity($0) || $0.hasPrefix("⟨") }) {
            ratioProblem = "the ratio \(ratio.display) still contains a quantity, which may depend on anything"
        } else {
            (ratioProblem, outgrows) = boundedness(ratio, in: a)
        }
        guard let ratioProblem else { return nil }
        // A ratio shown to tend to +∞ along the path makes t > c·s somewhere on the region for every c: the sign
        // proofs below would fail (slowly), so they are not tried. Skipping them can only reject.
        if outgrows { return ratioProblem }
        // t <= c·s outright, c = 1 (and with full effort 2 and 4: log(2*N) <= 2*log(N) for N >= 2).
        if eventualSignProblem(s - t, strict: false, in: a, effort: .quick) == nil { return nil }
        if effort == .full {
            for c in [1, 2, 4] where eventualSignProblem(Expr(c) * s - t, strict: false, in: a) == nil { return nil }
        }
        return ratioProblem
    }

    /// Whether a product of factors is bounded over the whole region when intervals alone do not show it: each
    /// factor is bounded by its interval, or paired with another factor into a bounded product. A pair u/v (the
    /// factors below the bar in v) is bounded by 1 when v > 0 and -v <= u <= v are proved by sign proofs, which use
    /// the relations between symbols: k/M with k <= M, which interval arithmetic bounds only by (0, ∞).
    /// Every group is bounded, so the product is.
    func boundedByPairs(_ factors: [Expr], in a: Assumptions) -> Bool {
        func bounded(_ e: Expr) -> Bool {
            let r = a.interval(of: e)
            return r.lower != nil && r.upper != nil
        }
        func pairBounded(_ f: Expr, _ g: Expr) -> Bool {
            let p = Expr.multiply([f, g])
            if bounded(p) { return true }
            var above: [Expr] = [], below: [Expr] = []
            for x in [f, g] {
                if case .power(let b, let e) = x.shape, let k = e.numberValue, k.isNegative { below.append(Expr.raise(b, .number(-k))) } else { above.append(x) }
            }
            guard !above.isEmpty, !below.isEmpty else { return false }
            let u = Expr.multiply(above), v = Expr.multiply(below)
            return signProblem(v, strict: true, in: a, effort: .quick) == nil
                && signProblem(simplified(v - u, in: a), strict: false, in: a, effort: .quick) == nil
                && signProblem(simplified(v + u, in: a), strict: false, in: a, effort: .quick) == nil
        }
        var unpaired = factors.filter { !bounded($0) }
        var partners = factors.filter(bounded)
        // Greedy: each unbounded factor takes the first partner (unbounded or not) with which it is bounded.
        while let f = unpaired.first {
            unpaired.removeFirst()
            if let i = unpaired.firstIndex(where: { pairBounded(f, $0) }) {
                unpaired.remove(at: i)
            } else if let i = partners.firstIndex(where: { pairBounded(f, $0) }) {
                partners.remove(at: i)
            } else {
                return false
            }
        }
        return true
    }

    /// Factors b^x with b free of v and x affine in v (2^(-K), exp(-n)): their total rate Σ slope·log(b) must be
    /// negative, and the other factors must have a growth (powers and logs of v), which the decay then beats.
    /// nil when there is no exponential factor.
    func exponentialDecay(_ factors: [Expr], variable v: String, in a: Assumptions) -> (hasExponential: Bool, problem: String?)? {
        var rate: [Expr] = []
        var rest: [Expr] = []
        for f in factors {
            if case .power(let base, let x) = f.shape, !base.contains(symbol: v), x.contains(symbol: v) {
                let at0 = simplified(x.substituting([v: .zero]), in: a)
                let slope = simplified(x.substituting([v: .one]) - at0, in: a)
                guard simplified(x - (slope * .symbol(v) + at0), in: a) == .zero, !slope.contains(symbol: v),
                      signProblem(base, strict: true, in: a) == nil else { return (true, "the exponent \(x.display) of \(f.display) is not affine in \(v)") }
                rate.append(slope * .log(base))
            } else {
                rest.append(f)
            }
        }
        guard !rate.isEmpty else { return nil }
        if let problem = signProblem(Expr.negate(Expr.add(rate)), strict: true, in: a) {
            return (true, "the exponential factors do not decay: \(problem)")
        }
        if !rest.isEmpty, let path {
            let analyzer = GrowthAnalyzer(path: ScalingPath(growing: path.growing, fixed: path.fixed), assumptions: a, memos: memos.simplifications)
            do { _ = try analyzer.growth(of: Expr.multiply(rest)) } catch {
                return (true, "the growth of \(Expr.multiply(rest).display) next to the decaying exponential is not known")
            }
        }
        return (true, nil)
    }

    /// nil when |r| is bounded, eventually along the path, by a constant depending only on the fixed symbols.
    ///
    /// The factors of r are sorted by what they mention: fixed symbols only (a constant, which must be defined);
    /// the growing variable and fixed symbols (their product must not grow: its growth exponent along the path
    /// is negative, or zero with a nonpositive power of log); anything else (their product must be bounded by
    /// interval arithmetic over the whole domain, so uniformly in every symbol not held fixed).
    func boundednessProblem(_ r: Expr, in a: Assumptions) -> String? { boundedness(r, in: a).problem }

    /// `boundednessProblem`, and whether r is shown to tend to +∞ along the path: its numeric factor and its
    /// constants (fixed symbols only) are proved positive, nothing else but the growing factors is left, and their
    /// product grows with a coefficient and an exponent proved positive.
    func boundedness(_ r: Expr, in a: Assumptions) -> (problem: String?, outgrows: Bool) {
        let fixed = self.fixed
        var positiveConstants = true
        let factors: [Expr]
        if case .product(let fs) = r.shape { factors = fs } else { factors = [r] }
        var growing: [Expr] = [], uniform: [Expr] = []
        for f in factors {
            if f.isNumber {
                if f.numberValue.map({ !$0.isPositive }) ?? true { positiveConstants = false }
                continue
            }
            let symbols = f.freeSymbols
            if symbols.allSatisfy(fixed.contains) {
                if let problem = a.undefinedness(of: f) { return ("the constant \(f.display) is not always defined: \(problem)", false) }
                if a.quickSign(f) != .positive { positiveConstants = false }
                continue
            }
            if let v = path?.growing, symbols.contains(v), symbols.allSatisfy({ $0 == v || fixed.contains($0) }) {
                growing.append(f)
            } else {
                uniform.append(f)
            }
        }
        if !uniform.isEmpty {
            let u = Expr.multiply(uniform)
            let range = a.interval(of: u)
            if (range.lower == nil || range.upper == nil) && !boundedByPairs(uniform, in: a) {
                let moving = Set(u.freeSymbols).subtracting(fixed).sorted()
                return ("\(u.display) is not bounded uniformly in \(moving.joined(separator: ", ")) (it ranges over \(range))", false)
            }
        }
        if let path, !growing.isEmpty {
            // Exponentials in the growing variable: a decaying one beats every power and log of the rest.
            if let decay = exponentialDecay(growing, variable: path.growing, in: a) {
                if decay.problem == nil { return (nil, false) }
                if !decay.hasExponential { /* fall through to growth */ } else { return (decay.problem, false) }
            }
            let g = Expr.multiply(growing)
            // Bounded outright on the eventual region (n^(a - b) with a <= b): no growth needed.
            let direct = a.interval(of: g)
            if direct.lower != nil && direct.upper != nil { return (nil, false) }
            let analyzer = GrowthAnalyzer(path: ScalingPath(growing: path.growing, fixed: path.fixed), assumptions: a,
                                          memos: memos.simplifications)
            let growth: Growth
            do { growth = try analyzer.growth(of: g) } catch {
                return ("the growth of \(g.display) as \(path.growing) → ∞ is not known (\((error as? AsymptoticError)?.message ?? "\(error)"))", false)
            }
            if let problem = a.undefinedness(of: growth.coefficient) { return ("the constant of \(g.display) is not always defined: \(problem)", false) }
            let e = simplified(growth.exponent, in: a)
            let exponentSign = a.sign(of: e).sign
            if exponentSign == .negative { return (nil, false) }
            let zero = e == .zero || exponentSign == .zero
            let logs = simplified(growth.logPower, in: a)
            let logsSign = logs == .zero ? Sign.zero : a.sign(of: logs).sign
            // Exponent 0: bounded when the power of log is negative, or 0 with a nonpositive power of log log.
            if zero && logsSign == .negative { return (nil, false) }
            // Exponent and log powers all <= 0: v^e·(log v)^l·(log log v)^m <= 1 once log log v >= 1.
            let logLogs = simplified(growth.logLogPower, in: a)
            let logLogsNonpositive = logLogs == .zero || a.sign(of: logLogs).sign.isNonpositive
            if exponentSign.isNonpositive && logsSign.isNonpositive && logLogsNonpositive { return (nil, false) }
            if zero && logsSign == .zero && logLogsNonpositive { return (nil, false) }
            let outgrows = uniform.isEmpty && positiveConstants && exponentSign == .positive
                && a.sign(of: simplified(growth.coefficient, in: a)).sign == .positive
            return ("\(g.display) grows as \(path.growing) → ∞ (like \(growth.rate(in: path.growing).display)\(zero ? "" : ", exponent \(e.display) not known to be negative"))", outgrows)
        }
        return (nil, false)
    }
}
