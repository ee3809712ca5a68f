import Symbolic

extension ProofContext {
    /// Rule **replace** (SEMANTICS.md): from `old hole new` for the subterm `old` of `e` at `path`, the relation
    /// between `e` and `e` with `new` in its place, walking from the subterm up to the root.
    ///
    /// Exact relations pass a node when the node is monotone in that child on the whole segment between the old and
    /// the new child value (both are checked to lie in the region where it is): `1/x` is decreasing on x > 0 and on
    /// x < 0 but not across 0. A hidden constant (`<~`) passes only nodes it can be pulled out of with every value
    /// nonnegative: sums and products with nonnegative other parts, min and max of nonnegative operands, and powers
    /// with a bounded exponent (c^p <= max(1, c)^P for p <= P). It never passes a log, an exponent or a difference
    /// that could vanish.
    func replace(in e: Expr, at path: [Int], with new: Expr, hole: Rel, in region: Assumptions) -> Result<(Expr, Rel), KernelFailure> {
        // The old and new value at each level, from the root down.
        var olds: [Expr] = [e]
        for i in path {
            let children = olds[olds.count - 1].children
            guard i < children.count else { return .failure(KernelFailure("no subterm at that position")) }
            olds.append(children[i])
        }
        var news: [Expr] = Array(repeating: new, count: olds.count)
        var level = path.count
        while level > 0 {
            level -= 1
            var children = olds[level].children
            children[path[level]] = news[level + 1]
            news[level] = olds[level].replacingChildren(children)
        }
        if hole.way == .equal { return .success((news[0], .equal)) }
        var rel = hole
        level = path.count
        while level > 0 {
            level -= 1
            let node = olds[level], index = path[level]
            let oldChild = olds[level + 1], newChild = news[level + 1]
            let step = rel.asymptotic
                ? passConstant(node, index, oldChild, newChild, rel, in: region)
                : passExact(node, index, oldChild, newChild, rel, in: region)
            switch step {
            case .failure(let f): return .failure(f)
            case .success(let next): rel = next
            }
            if rel.way == .equal { return .success((news[0], .equal)) }
        }
        return .success((news[0], rel))
    }

    private func flip(_ rel: Rel) -> Rel { rel.reversed }

    private func both(_ x: Expr, _ y: Expr, strict: Bool, in region: Assumptions) -> String? {
        signProblem(x, strict: strict, in: region) ?? signProblem(y, strict: strict, in: region)
    }

    private func bothEventually(_ x: Expr, _ y: Expr, strict: Bool, in region: Assumptions) -> String? {
        eventualSignProblem(x, strict: strict, in: region) ?? eventualSignProblem(y, strict: strict, in: region)
    }

    private func bothNegative(_ x: Expr, _ y: Expr, strict: Bool, in region: Assumptions) -> Bool {
        signProblem(Expr.negate(x), strict: strict, in: region) == nil && signProblem(Expr.negate(y), strict: strict, in: region) == nil
    }

    /// The other operands of a sum, product, min or max.
    private func others(_ node: Expr, _ index: Int) -> [Expr] {
        node.children.enumerated().filter { $0.offset != index }.map(\.element)
    }

    /// An exact relation through one node.
    private func passExact(_ node: Expr, _ index: Int, _ old: Expr, _ new: Expr, _ rel: Rel,
                           in region: Assumptions) -> Result<Rel, KernelFailure> {
        switch node.shape {
        case .sum:
            return .success(rel)
        case .product:
            let rest = Expr.multiply(others(node, index))
            if signProblem(rest, strict: true, in: region) == nil { return .success(rel) }
            if signProblem(rest, strict: false, in: region) == nil { return .success(Rel(way: rel.way, asymptotic: false, strict: false)) }
            if signProblem(Expr.negate(rest), strict: true, in: region) == nil { return .success(flip(rel)) }
            if signProblem(Expr.negate(rest), strict: false, in: region) == nil { return .success(Rel(way: flip(rel).way, asymptotic: false, strict: false)) }
            return .failure(.undecided("the sign of the factor \(rest) next to \(old) is not known, so the direction of the step cannot be told"))
        case .power(let base, let exponent):
            if index == 1 {
                // b^x in x: increasing for b > 1, decreasing for 0 < b < 1.
                if signProblem(base - .one, strict: true, in: region) == nil { return .success(rel) }
                if signProblem(.one - base, strict: true, in: region) == nil && signProblem(base, strict: true, in: region) == nil { return .success(flip(rel)) }
                if equal(base, .one, in: region) { return .success(.equal) }
                // b >= 1: nondecreasing; 0 < b <= 1: nonincreasing (constant at b = 1), so the relation weakens.
                if signProblem(base - .one, strict: false, in: region) == nil { return .success(Rel(way: rel.way, asymptotic: false, strict: false)) }
                if signProblem(.one - base, strict: false, in: region) == nil && signProblem(base, strict: true, in: region) == nil {
                    return .success(Rel(way: flip(rel).way, asymptotic: false, strict: false))
                }
                return .failure(.undecided("\(node) is monotone in its exponent only for a base known to be above 1 or in (0, 1); \(base) is neither"))
            }
            if let r = exponent.numberValue, r.isInteger {
                if r.isZero { return .success(.equal) }
                let odd = !r.numerator.isEven
                if r.isPositive {
                    if odd { return .success(rel) }
                    if both(old, new, strict: false, in: region) == nil { return .success(rel) }
                    if bothNegative(old, new, strict: false, in: region) { return .success(flip(rel)) }
                    return .failure(.undecided("\(node) is increasing in \(base) only where it is >= 0 (and decreasing where <= 0): \(old) and \(new) are not known to be on one side of 0"))
                }
                if both(old, new, strict: true, in: region) == nil { return .success(flip(rel)) }
                if bothNegative(old, new, strict: true, in: region) { return .success(odd ? flip(rel) : rel) }
                return .failure(.undecided("\(node) is monotone in \(base) only on one side of 0: \(old) and \(new) are not known to be both > 0 (or both < 0)"))
            }
            if signProblem(exponent, strict: true, in: region) == nil {
                if let problem = both(old, new, strict: false, in: region) {
                    return .failure(.undecided("\(node) is increasing in \(base) only where it is >= 0: \(problem)"))
                }
                return .success(rel)
            }
            if signProblem(Expr.negate(exponent), strict: true, in: region) == nil {
                if let problem = both(old, new, strict: true, in: region) {
                    return .failure(.undecided("\(node) is decreasing in \(base) only where it is > 0: \(problem)"))
                }
                return .success(flip(rel))
            }
            // p >= 0: x^p is nondecreasing on x >= 0 (constant 1 at p = 0, 0^0 = 1); p <= 0: nonincreasing on x > 0.
            // Either way the relation weakens to a non-strict one.
            if signProblem(exponent, strict: false, in: region) == nil, both(old, new, strict: false, in: region) == nil {
                return .success(Rel(way: rel.way, asymptotic: false, strict: false))
            }
            if signProblem(Expr.negate(exponent), strict: false, in: region) == nil, both(old, new, strict: true, in: region) == nil {
                return .success(Rel(way: flip(rel).way, asymptotic: false, strict: false))
            }
            return .failure(.undecided("the sign of the exponent \(exponent) is not known, so the direction of \(node) in \(base) cannot be told"))
        case .log:
            if let problem = both(old, new, strict: true, in: region) {
                return .failure(.undecided("log is increasing only on positive values: \(problem)"))
            }
            return .success(rel)
        case .min, .max:
            return .success(Rel(way: rel.way, asymptotic: false, strict: false))
        case .binom, .apply:
            return .failure(KernelFailure("\(node) is not known to be monotone in \(old)"))
        case .number, .symbol, .constant:
            return .failure(KernelFailure("no subterm at that position"))
        }
    }

    /// A hidden constant through one node.
    private func passConstant(_ node: Expr, _ index: Int, _ old: Expr, _ new: Expr, _ rel: Rel,
                              in region: Assumptions) -> Result<Rel, KernelFailure> {
        let what = "the hidden constant of '\(rel.op.rawValue)'"
        switch node.shape {
        case .sum, .min, .max:
            for x in others(node, index) {
                if let problem = eventualSignProblem(x, strict: false, in: region) {
                    return .failure(.undecided("\(what) passes \(node) only when its other operands are nonnegative: \(problem)"))
                }
            }
            if let problem = eventualSignProblem(new, strict: false, in: region) {
                return .failure(.undecided("\(what) passes \(node) only for a nonnegative replacement: \(problem)"))
            }
            return .success(rel)
        case .product:
            // c·P·y with P >= 0 is P times c·y; with P <= 0 the direction turns.
            let rest = Expr.multiply(others(node, index))
            if eventualSignProblem(rest, strict: false, in: region) == nil { return .success(rel) }
            if eventualSignProblem(Expr.negate(rest), strict: false, in: region) == nil { return .success(flip(rel)) }
            return .failure(.undecided("\(what) passes \(node) only when the sign of the other factors \(rest) is known"))
        case .power(let base, let exponent) where index == 0:
            if let problem = boundedExponentProblem(exponent, in: region) {
                return .failure(.undecided("\(what) passes the power \(node) only for an exponent bounded by a constant: \(problem)"))
            }
            if eventualSignProblem(exponent, strict: true, in: region) == nil {
                if let problem = bothEventually(old, new, strict: false, in: region) {
                    return .failure(.undecided("\(what) passes \(node) only for nonnegative values of \(base): \(problem)"))
                }
                return .success(rel)
            }
            if eventualSignProblem(Expr.negate(exponent), strict: true, in: region) == nil {
                if let problem = bothEventually(old, new, strict: true, in: region) {
                    return .failure(.undecided("\(what) passes \(node) only for positive values of \(base): \(problem)"))
                }
                return .success(flip(rel))
            }
            return .failure(.undecided("the sign of the exponent \(exponent) is not known"))
        default:
            return .failure(KernelFailure("\(what) does not pass through \(node): a constant factor inside a log, an exponent or a function is not a constant factor outside it"))
        }
    }

    /// nil when `p` is bounded by a constant that may depend only on the fixed symbols: it mentions fixed symbols
    /// only (and is defined), or its interval is bounded.
    func boundedExponentProblem(_ p: Expr, in region: Assumptions) -> String? {
        let symbols = p.freeSymbols
        if symbols.allSatisfy(fixed.contains) { return definednessProblem(p, in: region) }
        let (o, a) = opaque([p], in: region)
        let range = a.interval(of: simplified(o[0], in: a))
        if range.lower != nil && range.upper != nil { return nil }
        return "\(p) ranges over \(range), and \(symbols.filter { !fixed.contains($0) }.joined(separator: ", ")) \(symbols.count == 1 ? "is" : "are") not fixed"
    }
}
