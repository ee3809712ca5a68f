/// Simplification to a canonical form, under assumptions.
///
/// Two modes:
/// - `.canonical` (the default): expands products of sums and integer powers of sums, puts sums with
///   polynomial denominators over one denominator and cancels exact polynomial factors, and splits logs of
///   positive products and powers. Expressions equal under the field axioms plus the licensed power and log
///   laws print identically (denominators are compared as the products of their factors; we do not factor
///   polynomials).
/// - `.tidy`: the same safe local rules without expansion and log splitting, for display: it keeps
///   `L_T*ell*k*log(e*M/k)/n` readable.
///
/// No rule fires on an unknown side condition: the sign oracle must prove it from the assumptions.
/// Every normalizer below takes children that are already simplified.
public final class Simplifier {
    public struct Options: Sendable {
        public var expand: Bool
        public var splitLogs: Bool
        /// Expansion that would produce more terms than this is skipped (the product stays factored).
        public var maximumExpansionTerms: Int = 20_000
        public static let canonical = Options(expand: true, splitLogs: true)
        public static let tidy = Options(expand: false, splitLogs: false)
        public init(expand: Bool, splitLogs: Bool) { self.expand = expand; self.splitLogs = splitLogs }
    }

    public let assumptions: Assumptions
    public let options: Options
    /// Names of the rules applied, in order, when tracing.
    public private(set) var trace: [String] = []
    private let tracing: Bool
    var depth = 0
    static let maximumDepth = 400
    /// Set while b^x is being rewritten as exp(x·log b): the fold's own products may meet b^(...) again, and a
    /// nested rewrite would loop (makePower → expOfLog → makeProduct → makePower ...).
    var foldingPowerViaExp = false

    public init(assumptions: Assumptions = Assumptions(), options: Options = .canonical, trace: Bool = false) {
        self.assumptions = assumptions
        self.options = options
        self.tracing = trace
    }

    @inline(__always) func record(_ rule: StaticString) {
        if tracing { trace.append(rule.description) }
    }

    /// The memo table of this simplifier's options (`memoMode`): nil when tracing (the trace must list every rule)
    /// or for options other than the three the package uses.
    private lazy var memoMode: UInt8? = {
        if tracing { return nil }
        guard options.maximumExpansionTerms == Options.canonical.maximumExpansionTerms else { return nil }
        switch (options.expand, options.splitLogs) {
        case (true, true): return 0
        case (false, false): return 1
        case (true, false): return 2
        default: return nil
        }
    }()
    /// The deepest level (`depth`) reached since the computation of the innermost memoized subexpression began.
    var deepest = 0

    /// Simplification is a pure function of the expression, the assumptions and the options, except where the
    /// depth guard cuts it short, and while `foldingPowerViaExp` is set. So every subexpression's result is
    /// remembered per assumptions and mode, with the number of levels h its computation went below its own
    /// level; a remembered result is used at level D only when D + h stays within the guard, where computing it
    /// again would give exactly the same expression. Subtrees that recur (the same exponent in every term, the
    /// same factor in every product of an expansion) are then simplified once.
    public func simplify(_ e: Expr) -> Expr {
        // A tree deeper than the guard is returned as it is rather than risking the stack.
        if depth > Simplifier.maximumDepth { return e }
        depth += 1
        defer { depth -= 1 }
        if depth > deepest { deepest = depth }
        if e.isLeaf { return e }
        guard let mode = memoMode, !foldingPowerViaExp else { return uncachedSimplify(e) }
        if let (known, below) = assumptions.rememberedSubtree(e, mode: mode), depth + below <= Simplifier.maximumDepth {
            deepest = Swift.max(deepest, depth + below)
            return known
        }
        let outer = deepest
        deepest = depth
        let result = uncachedSimplify(e)
        let below = deepest - depth
        deepest = Swift.max(outer, deepest)
        // Only a computation the guard did not cut short is remembered.
        if depth + below <= Simplifier.maximumDepth { assumptions.rememberSubtree(e, mode: mode, (result, below)) }
        return result
    }

    private func uncachedSimplify(_ e: Expr) -> Expr {
        switch e.shape {
        case .number, .symbol, .constant: return e
        case .sum(let terms): return makeSum(terms.map(simplify))
        case .product(let factors): return makeProduct(factors.map(simplify))
        case .power(let outer, let exponent):
            if case .product(let factors) = outer.shape, let n = exponent.numberValue, n.isInteger && n.isNegative {
                // Invert factor by factor, before the factors are multiplied out: 1/((x + 1)*(x + 2)) keeps its
                // denominator as the product of its factors, as sum.together writes it.
                record("power.of-product")
                // Each factor's power simplified as a power, so (x - y)^2 inside keeps the same form as 1/(x - y)^2 alone.
                return makeProduct(factors.map { simplify(.power($0, .number(n))) })
            }
            if case .power(let base, let inner) = outer.shape, let k = inner.numberValue, k.isInteger {
                // Likewise 1/(x + 1)^2 is (x + 1)^(-2), not the inverse of the expanded square, and sqrt((M - k)^2)
                // is M - k for M >= k: fold before the inner power is multiplied out, when licensed. An odd k with a
                // non-integer number x also folds: (b^k)^x is defined only where b^k >= 0, so where b >= 0.
                let b = simplify(base), x = simplify(exponent)
                let oddUnderRoot = !k.numerator.isEven && Simplifier.isFractionalNumber(x)
                if (x.numberValue?.isInteger ?? false) || isNonnegative(b) || oddUnderRoot || assumptions.isIntegerValued(x) {
                    record("power.of-power")
                    return makePower(b, makeProduct([.number(k), x]))
                }
                return makePower(makePower(b, .number(k)), x)
            }
            return makePower(simplify(outer), simplify(exponent))
        case .log(let x):
            // log of a product of positive factors splits before the product is multiplied out:
            // log(x*(y + z)) = log(x) + log(y + z), which the expanded x*y + x*z no longer shows.
            if options.splitLogs, case .product(let fs) = x.shape {
                let factors = fs.map(simplify)
                if factors.allSatisfy({ isPositive($0) }) {
                    record("log.product")
                    return makeSum(factors.map(makeLog))
                }
            }
            return makeLog(simplify(x))
        case .min(let xs): return makeMinMax(xs.map(simplify), isMin: true)
        case .max(let xs): return makeMinMax(xs.map(simplify), isMin: false)
        case .binom(let n, let k): return makeBinom(simplify(n), simplify(k))
        case .apply(let name, let args): return .apply(name, args.map(simplify))
        }
    }

    /// A literal exponent that is not an integer (1/2, -3/2). `x^q` then has a value only for x >= 0 (see
    /// `Expr.evaluate`), so wherever `(x^q)^b` is defined, x >= 0 licenses power.of-power.
    static func isFractionalNumber(_ e: Expr) -> Bool {
        if case .number(let r) = e.shape { return !r.isInteger }
        return false
    }

    /// Sign of an already simplified expression.
    func sign(_ e: Expr) -> Sign { assumptions.quickSign(e) }
    func isPositive(_ e: Expr) -> Bool { sign(e) == .positive }
    func isNonnegative(_ e: Expr) -> Bool { sign(e).isNonnegative }
}

extension Expr {
    /// The canonical form under the given assumptions.
    public func simplified(_ assumptions: Assumptions = Assumptions()) -> Expr {
        if isLeaf { return self }
        return assumptions.canonicalForm(self) { Simplifier(assumptions: assumptions).simplify(self) }
    }

    /// A readable form: safe local rules only, no expansion or log splitting.
    public func tidied(_ assumptions: Assumptions = Assumptions()) -> Expr {
        if isLeaf { return self }
        return assumptions.tidyForm(self) { Simplifier(assumptions: assumptions, options: .tidy).simplify(self) }
    }

    /// A number, symbol or constant: the simplifier returns it as it is.
    var isLeaf: Bool {
        switch shape {
        case .number, .symbol, .constant: return true
        default: return false
        }
    }
}
