import Symbolic

/// Matching lemma sides against subterms: the search that proposes citations. It decides nothing; the kernel
/// checks every citation it proposes.
enum Rewriter {
    /// Syntactic matching of a lemma side (all its symbols are pattern variables) against a term, with
    /// commutative matching for small sums and products.
    static func match(_ pattern: Expr, _ target: Expr, _ bindings: inout [String: Expr], variables: Set<String>) -> Bool {
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

    private static func sameKind(_ a: Expr, _ b: Expr) -> Bool {
        switch (a.shape, b.shape) {
        case (.sum, .sum), (.product, .product), (.min, .min), (.max, .max): return true
        default: return false
        }
    }

    private static func matchUnordered(_ xs: [Expr], _ ys: [Expr], _ bindings: inout [String: Expr], variables: Set<String>) -> Bool {
        if xs.count > 5 {
            var trial = bindings
            for (x, y) in zip(xs, ys) where !match(x, y, &trial, variables: variables) { return false }
            bindings = trial
            return true
        }
        var used = [Bool](repeating: false, count: ys.count)
        func go(_ i: Int, _ current: [String: Expr]) -> [String: Expr]? {
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

    static func replacing(_ e: Expr, at path: ArraySlice<Int>, with replacement: Expr) -> Expr {
        guard let first = path.first else { return replacement }
        var children = e.children
        guard first < children.count else { return e }
        children[first] = replacing(children[first], at: path.dropFirst(), with: replacement)
        return e.replacingChildren(children)
    }

    static func subterm(_ e: Expr, at path: [Int]) -> Expr? {
        var node = e
        for i in path {
            let children = node.children
            guard i < children.count else { return nil }
            node = children[i]
        }
        return node
    }

    /// Every subterm with its position, root first.
    static func positions(in e: Expr) -> [(Expr, [Int])] {
        var result: [(Expr, [Int])] = []
        func visit(_ node: Expr, _ path: [Int]) {
            result.append((node, path))
            for (i, child) in node.children.enumerated() { visit(child, path + [i]) }
        }
        visit(e, [])
        return result
    }

    /// Every place a lemma side occurs in `e`, instantiated by `given` and the rest by matching: citations for
    /// the kernel to decide. Only `variables` (the lemma's universally quantified symbols) are pattern variables;
    /// quantities and defined symbols match only themselves. With `bothWays`, the right side is looked for too (the
    /// lemma read right to left).
    static func citations(of lemma: Lemma, in e: Expr, given: [String: Expr], variables: Set<String>,
                          bothWays: Bool) -> [LemmaCitation] {
        let free = variables.subtracting(given.keys)
        var result: [LemmaCitation] = []
        for reversed in bothWays ? [false, true] : [false] {
            let side = reversed ? lemma.statement.rhs : lemma.statement.lhs
            let pattern = side.substituting(given)
            for (node, path) in positions(in: e) {
                var bindings = given
                guard match(pattern, node, &bindings, variables: free) else { continue }
                result.append(LemmaCitation(lemma: lemma, bindings: bindings, position: path, reversed: reversed))
            }
        }
        return result
    }
}
