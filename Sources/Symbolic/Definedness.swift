/// Whether an expression has a value at every admissible point, and whether that value is an integer.
///
/// The domain rules are `Expr.evaluate`'s: `log(x)` needs x > 0; `x^y` needs x >= 0 unless y is an
/// integer, and x != 0 when y < 0; `binom(n, k)` needs 0 <= k <= n. A proof step that mentions an expression
/// without a value somewhere (`1/x` with x of unknown sign) proves nothing there, so the proof kernel asks this
/// of every expression it accepts.
extension Assumptions {
    /// nil when `e` is defined at every point the assumptions admit; otherwise the first subterm whose
    /// definedness could not be shown, with the condition it needs.
    public func undefinedness(of e: Expr) -> String? {
        var stack = [e]
        var seen = Set<Expr>()
        while let node = stack.popLast() {
            guard seen.insert(node).inserted else { continue }
            stack.append(contentsOf: node.children)
            switch node.shape {
            case .number, .symbol, .constant, .sum, .product, .min, .max, .apply:
                continue
            case .log(let x):
                if quickSign(x) != .positive { return "log(\(x)) needs \(x) > 0" }
            case .binom(let n, let k):
                if !quickSign(k).isNonnegative { return "binom(\(n), \(k)) needs \(k) >= 0" }
                if !quickSign(Expr.add([n, Expr.negate(k)])).isNonnegative {
                    return "binom(\(n), \(k)) needs \(k) <= \(n)"
                }
            case .power(let base, let exponent):
                if let problem = powerProblem(base, exponent) { return problem }
            }
        }
        return nil
    }

    private func powerProblem(_ base: Expr, _ exponent: Expr) -> String? {
        let b = quickSign(base)
        if b == .positive { return nil }
        let text = "\(Expr.power(base, exponent))"
        if let r = exponent.numberValue {
            if r.isInteger {
                if !r.isNegative { return nil }
                return b.isNonzero ? nil : "\(text) needs \(base) != 0"
            }
            if r.isPositive { return b.isNonnegative ? nil : "\(text) needs \(base) >= 0" }
            return "\(text) needs \(base) > 0"
        }
        let x = quickSign(exponent)
        let integer = isIntegerValued(exponent)
        if integer && x.isNonnegative { return nil }
        if integer && b.isNonzero { return nil }
        // 0^y is 0 for y > 0 and 1 for y = 0 (the evaluator's convention): a nonnegative base needs only y >= 0.
        if b.isNonnegative && x.isNonnegative { return nil }
        return "\(text) needs \(base) > 0" + (integer ? " (or \(base) != 0)" : " (or \(base) >= 0 and \(exponent) >= 0)")
    }

    /// Whether `e` takes an integer value wherever it is defined: integer literals and symbols, and sums,
    /// products, nonnegative integer powers and binomials of such.
    public func isIntegerValued(_ e: Expr) -> Bool {
        switch e.shape {
        case .number(let r): return r.isInteger
        case .symbol(let name): return isInteger(name)
        case .constant, .log, .apply: return false
        case .sum(let xs), .product(let xs), .min(let xs), .max(let xs): return xs.allSatisfy(isIntegerValued)
        case .power(let base, let exponent):
            guard let r = exponent.numberValue, r.isInteger, !r.isNegative else { return false }
            return isIntegerValued(base)
        case .binom(let n, let k): return isIntegerValued(n) && isIntegerValued(k)
        }
    }
}
