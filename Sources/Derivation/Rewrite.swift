import Symbolic

/// A position in an expression tree (child indices from the root) with its polarity: +1 where the whole
/// expression increases with the subterm, -1 where it decreases, 0 where that is not known.
struct Position {
    var path: [Int]
    var polarity: Int
    /// Every node from the root to here is +, ×, a fixed power, min or max: a `<~` rewrite (which hides a
    /// constant factor) can pass through it and still be `<~`.
    var constantSafe: Bool
    /// Only sums lie above: a strict inequality on the subterm stays strict for the whole expression.
    var strictSafe: Bool = true
}

/// One way a lemma rewrites an expression.
struct RewriteCandidate {
    var result: Expression
    var bindings: [String: Expression]
    var position: Position
    var instantiatedLeft: Expression
    var instantiatedRight: Expression
}

enum Rewriter {
    /// Syntactic matching of a lemma side (all its symbols are pattern variables) against a term, with
    /// commutative matching for small sums and products.
    static func match(_ pattern: Expression, _ target: Expression, _ bindings: inout [String: Expression], variables: Set<String>) -> Bool {
        switch (pattern.shape, target.shape) {
        case (.symbol(let name), _) where variables.contains(name):
            if let bound = bindings[name] { return bound == target }
            bindings[name] = target
            return true
        case (.number(let a), .number(let b)): return a == b
        case (.symbol(let a), .symbol(let b)): return a == b
        case (.constant(let a), .constant(let b)): return a == b
        case (.log(let a), .log(let b)): return match(a, b, &bindings, variables: variables)
        case (.power(let a, let x), .power(let b, let y)):
            var trial = bindings
            if match(a, b, &trial, variables: variables) && match(x, y, &trial, variables: variables) { bindings = trial; return true }
            return false
        case (.binom(let a, let x), .binom(let b, let y)):
            var trial = bindings
            if match(a, b, &trial, variables: variables) && match(x, y, &trial, variables: variables) { bindings = trial; return true }
            return false
        case (.apply(let f, let xs), .apply(let g, let ys)):
            guard f == g, xs.count == ys.count else { return false }
            var trial = bindings
            for (x, y) in zip(xs, ys) where !match(x, y, &trial, variables: variables) { return false }
            bindings = trial
            return true
        case (.sum(let xs), .sum(let ys)), (.product(let xs), .product(let ys)), (.min(let xs), .min(let ys)), (.max(let xs), .max(let ys)):
            guard sameKind(pattern, target), xs.count == ys.count else { return false }
            return matchUnordered(xs, ys, &bindings, variables: variables)
        default:
            return false
        }
    }

    private static func sameKind(_ a: Expression, _ b: Expression) -> Bool {
        switch (a.shape, b.shape) {
        case (.sum, .sum), (.product, .product), (.min, .min), (.max, .max): return true
        default: return false
        }
    }

    private static func matchUnordered(_ xs: [Expression], _ ys: [Expression], _ bindings: inout [String: Expression], variables: Set<String>) -> Bool {
        if xs.count > 5 {
            var trial = bindings
            for (x, y) in zip(xs, ys) where !match(x, y, &trial, variables: variables) { return false }
            bindings = trial
            return true
        }
        var used = [Bool](repeating: false, count: ys.count)
        func go(_ i: Int, _ current: [String: Expression]) -> [String: Expression]? {
            if i == xs.count { return current }
            for j in ys.indices where !used[j] {
                var trial = current
                if match(xs[i], ys[j], &trial, variables: variables) {
                    used[j] = true
                    if let done = go(i + 1, trial) { return done }
                    used[j] = false
                }
            }
            return nil
        }
        guard let result = go(0, bindings) else { return false }
        bindings = result
        return true
    }

    /// Every subterm with its position and polarity.
    static func positions(in e: Expression, assumptions: Assumptions) -> [(Expression, Position)] {
        var result: [(Expression, Position)] = []
        func visit(_ node: Expression, _ position: Position) {
            result.append((node, position))
            let children = node.children
            for (i, child) in children.enumerated() {
                var next = position
                next.path.append(i)
                let (effect, safe) = childEffect(node, i, assumptions: assumptions)
                next.polarity = position.polarity * effect
                next.constantSafe = position.constantSafe && safe
                if case .sum = node.shape {} else { next.strictSafe = false }
                visit(child, next)
            }
        }
        visit(e, Position(path: [], polarity: 1, constantSafe: true))
        return result
    }

    /// How a node changes with its i-th child: +1 increasing, -1 decreasing, 0 unknown; and whether a
    /// hidden constant factor passes through it.
    static func childEffect(_ node: Expression, _ i: Int, assumptions: Assumptions) -> (Int, Bool) {
        switch node.shape {
        case .sum: return (1, true)
        case .min, .max: return (1, true)
        case .product(let fs):
            let others = Expression.multiply(fs.enumerated().filter { $0.offset != i }.map(\.element))
            let s = assumptions.quickSign(others)
            if s == .positive || s == .nonnegative { return (1, true) }
            if s == .negative || s == .nonpositive { return (-1, true) }
            return (0, false)
        case .power(let base, let exponent):
            if i == 0 {
                // x^p increases in x >= 0 for p > 0 (in every x for odd integer p), decreases in x > 0 for p < 0.
                let p = assumptions.quickSign(exponent)
                let b = assumptions.quickSign(base)
                if let q = exponent.numberValue, q.isInteger, q.isPositive, !q.numerator.isEven { return (1, true) }
                if p == .positive && b.isNonnegative { return (1, true) }
                if p == .negative && b == .positive { return (-1, true) }
                return (0, false)
            }
            // The exponent: increasing when the base exceeds 1.
            let above = assumptions.quickSign(base - .one)
            if above == .positive { return (1, false) }
            if above == .negative && assumptions.quickSign(base) == .positive { return (-1, false) }
            return (0, false)
        case .log: return (1, false)
        default: return (0, false)
        }
    }

    static func replacing(_ e: Expression, at path: ArraySlice<Int>, with replacement: Expression) -> Expression {
        guard let first = path.first else { return replacement }
        var children = e.children
        guard first < children.count else { return e }
        children[first] = replacing(children[first], at: path.dropFirst(), with: replacement)
        return e.replacingChildren(children)
    }

    static func subterm(_ e: Expression, at path: [Int]) -> Expression? {
        var node = e
        for i in path {
            let children = node.children
            guard i < children.count else { return nil }
            node = children[i]
        }
        return node
    }

    /// Every way the lemma's left side (instantiated by `given`, the rest by matching) occurs in `e`,
    /// with the result of replacing it by the right side.
    static func candidates(of lemma: Lemma, in e: Expression, given: [String: Expression], assumptions: Assumptions) -> [RewriteCandidate] {
        let variables = Set(lemma.statement.lhs.freeSymbols + lemma.statement.rhs.freeSymbols)
        let pattern = lemma.statement.lhs.substituting(given)
        var result: [RewriteCandidate] = []
        for (node, position) in positions(in: e, assumptions: assumptions) {
            var bindings = given
            let freeVariables = variables.subtracting(given.keys)
            guard match(pattern, node, &bindings, variables: freeVariables) else { continue }
            let right = lemma.statement.rhs.substituting(bindings)
            let left = lemma.statement.lhs.substituting(bindings)
            let replaced = replacing(e, at: position.path[...], with: right)
            result.append(RewriteCandidate(result: replaced, bindings: bindings, position: position,
                                           instantiatedLeft: left, instantiatedRight: right))
        }
        return result
    }
}
