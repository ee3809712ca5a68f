/// The expression tree every other part of `bounds` works on.
///
/// Design choices:
/// - `exp(x)` is `e^x` and `sqrt(x)` is `x^(1/2)`: fewer node kinds, so the power laws cover them.
/// - Subtraction is `a + (-1)*b`, division is `a * b^(-1)`.
/// - Constructors (the Swift operators and the static builders below) canonicalize minimally: they flatten
///   nested sums/products and fold literal numbers, nothing that needs an assumption. `Simplifier` does the rest.
///
/// Representation: a value wrapping one immutable heap node (`ExpressionNode`) that holds the node's `Shape`
/// plus a structural hash and the tree depth, both computed once when the node is built. So hashing is O(1),
/// `==` rejects unequal trees in O(1) and compares equal ones without recursion, and releasing a tree
/// 100,000 levels deep does not recurse once per level (see `ExpressionNode.deinit`). Match on `e.shape`;
/// build with the static functions of the same names (`.sum(xs)`, `.power(b, x)`, ...), which make the node
/// as given, without flattening (use `add`/`multiply` for that).
public struct Expr: Hashable, Sendable {
    @usableFromInline var node: ExpressionNode

    /// The node kind and its payload.
    public enum Shape: Sendable {
        case number(Rational)
        case symbol(String)
        case constant(MathConstant)
        /// n-ary sum, at least two operands once built through `Expr.add`.
        case sum([Expr])
        /// n-ary product, at least two operands once built through `Expr.multiply`.
        case product([Expr])
        case power(Expr, Expr)
        /// Natural logarithm.
        case log(Expr)
        case min([Expr])
        case max([Expr])
        case binom(Expr, Expr)
        /// An uninterpreted function applied to arguments: a quantity such as `Cover(delta)` that lemmas
        /// bound but that has no formula. It evaluates to an error and simplifies only through its arguments.
        case apply(String, [Expr])
    }

    public init(_ shape: Shape) { node = ExpressionNode(shape) }

    @inlinable public var shape: Shape { node.shape }
    /// Levels below and including this node: 1 for a leaf.
    @inlinable public var depth: Int { node.depth }

    public static func number(_ value: Rational) -> Expr { Expr(.number(value)) }
    public static func symbol(_ name: String) -> Expr { Expr(.symbol(name)) }
    public static func constant(_ c: MathConstant) -> Expr { Expr(.constant(c)) }
    public static func sum(_ terms: [Expr]) -> Expr { Expr(.sum(terms)) }
    public static func product(_ factors: [Expr]) -> Expr { Expr(.product(factors)) }
    public static func power(_ base: Expr, _ exponent: Expr) -> Expr { Expr(.power(base, exponent)) }
    public static func log(_ x: Expr) -> Expr { Expr(.log(x)) }
    public static func min(_ xs: [Expr]) -> Expr { Expr(.min(xs)) }
    public static func max(_ xs: [Expr]) -> Expr { Expr(.max(xs)) }
    public static func binom(_ n: Expr, _ k: Expr) -> Expr { Expr(.binom(n, k)) }
    public static func apply(_ name: String, _ args: [Expr]) -> Expr { Expr(.apply(name, args)) }

    public func hash(into hasher: inout Hasher) { hasher.combine(node.hash) }

    /// Structural equality: O(1) for the same node or different hashes; otherwise an iterative walk.
    public static func == (a: Expr, b: Expr) -> Bool {
        if a.node === b.node { return true }
        if a.node.hash != b.node.hash || a.node.depth != b.node.depth { return false }
        return ExpressionNode.structurallyEqual(a.node, b.node)
    }
}

public enum MathConstant: String, Hashable, Sendable, CaseIterable {
    case e
    case pi
}

// MARK: - Minimal canonicalizing builders

extension Expr {
    public static let zero = Expr.number(.zero)
    public static let one = Expr.number(.one)
    public static let minusOne = Expr.number(.minusOne)
    public static let e = Expr.constant(.e)
    public static let pi = Expr.constant(.pi)

    public init(_ value: Int) { self = .number(Rational(value)) }
    public init(_ value: Rational) { self = .number(value) }

    /// A sum with nested sums flattened, literal numbers folded, and zero dropped.
    public static func add(_ terms: [Expr]) -> Expr {
        var flat: [Expr] = []
        flat.reserveCapacity(terms.count)
        var constant = Rational.zero
        // Recursion through inout parameters, not a local function capturing the accumulators: captured
        // variables are boxed and every access to them is checked for exclusivity at run time.
        func visit(_ term: Expr, _ flat: inout [Expr], _ constant: inout Rational) {
            switch term.shape {
            case .sum(let inner): for t in inner { visit(t, &flat, &constant) }
            case .number(let value): constant = constant + value
            default: flat.append(term)
            }
        }
        for t in terms { visit(t, &flat, &constant) }
        if !constant.isZero { flat.append(.number(constant)) }
        switch flat.count {
        case 0: return .zero
        case 1: return flat[0]
        default: return .sum(flat)
        }
    }

    /// A product with nested products flattened, literal numbers folded (zero absorbs), and one dropped. With
    /// `keepingFactorsOfZero` (the parser), a zero coefficient keeps the other factors: `0*log(x)` is not 0 where
    /// `log(x)` is undefined, and a proof checker must see it.
    public static func multiply(_ factors: [Expr], keepingFactorsOfZero: Bool = false) -> Expr {
        var flat: [Expr] = []
        flat.reserveCapacity(factors.count)
        var coefficient = Rational.one
        func visit(_ factor: Expr, _ flat: inout [Expr], _ coefficient: inout Rational) {
            switch factor.shape {
            case .product(let inner): for f in inner { visit(f, &flat, &coefficient) }
            case .number(let value):
                if let folded = coefficient.multipliedWithinLimit(value) { coefficient = folded } else { flat.append(factor) }
            default: flat.append(factor)
            }
        }
        // A product that kept its zero (written `0*log(x)`) stays kept when multiplied again (`-(0*log(x))`).
        let keep = keepingFactorsOfZero || factors.contains { if case .product(let fs) = $0.shape { return fs.first == .zero } else { return false } }
        for f in factors { visit(f, &flat, &coefficient) }
        // Zero absorbs every factor that has a value; a literal without one (1/0, log(0)) is kept, so that 0/0 is
        // not silently 0 and whoever checks definedness sees it.
        if coefficient.isZero {
            return (keep && !flat.isEmpty) || flat.contains(where: \.containsLiteralUndefined) ? .product([.zero] + flat) : .zero
        }
        if !coefficient.isOne { flat.insert(.number(coefficient), at: 0) }
        switch flat.count {
        case 0: return .one
        case 1: return flat[0]
        default: return .product(flat)
        }
    }

    /// `base^exponent`, folding only the trivially safe cases `x^1` and integer powers of literal numbers.
    public static func raise(_ base: Expr, _ exponent: Expr) -> Expr {
        if case .number(let power) = exponent.shape {
            if power.isOne { return base }
            if case .number(let value) = base.shape, let n = power.asInt, let folded = value.power(n) {
                return .number(folded)
            }
        }
        return .power(base, exponent)
    }

    public static func exp(_ x: Expr) -> Expr { raise(.e, x) }
    public static func sqrt(_ x: Expr) -> Expr { raise(x, .number(Rational(numerator: 1, denominator: 2)!)) }
    public static func ln(_ x: Expr) -> Expr { .log(x) }
    public static func minimum(_ xs: [Expr]) -> Expr { xs.count == 1 ? xs[0] : .min(xs) }
    public static func maximum(_ xs: [Expr]) -> Expr { xs.count == 1 ? xs[0] : .max(xs) }
    public static func negate(_ x: Expr) -> Expr { multiply([.minusOne, x]) }
    public static func reciprocal(_ x: Expr) -> Expr { raise(x, .minusOne) }
}

// MARK: - Swift operators and literals, so library users can write `2 * beta / (2 * beta + d)`

extension Expr: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int) { self = .number(Rational(value)) }
    /// Float literals go through their decimal text, so `1.5` is exactly 3/2.
    public init(floatLiteral value: Double) {
        if let exact = Rational(literal: "\(value)") {
            self = .number(exact)
        } else {
            self = .number(.zero)
        }
    }
    /// A string literal names a symbol: `let beta: Expr = "beta"`.
    public init(stringLiteral value: String) { self = .symbol(value) }

    public static func + (a: Expr, b: Expr) -> Expr { add([a, b]) }
    public static func - (a: Expr, b: Expr) -> Expr { add([a, negate(b)]) }
    public static func * (a: Expr, b: Expr) -> Expr { multiply([a, b]) }
    public static func / (a: Expr, b: Expr) -> Expr {
        if case .number(let x) = a.shape, case .number(let y) = b.shape, let q = x.dividing(by: y) { return .number(q) }
        return multiply([a, reciprocal(b)])
    }
    public static prefix func - (a: Expr) -> Expr { negate(a) }
    public static func ^ (a: Expr, b: Expr) -> Expr { raise(a, b) }
}

// MARK: - Structure queries

extension Expr {
    public var isNumber: Bool { if case .number = self.shape { return true } else { return false } }
    public var numberValue: Rational? { if case .number(let v) = self.shape { return v } else { return nil } }
    /// Whether this is the constant e. (Match `.power(let b, _) where b.isE`, not `.power(.constant(.e), _)`: the
    /// payload is an `Expr`, so the nested pattern would build an `.e` node and compare with `==`.)
    public var isE: Bool { if case .constant(.e) = shape { return true } else { return false } }
    /// A node with no value whatever its symbols are: 0 to a negative literal power, a negative literal to a
    /// non-integer literal power, the log of a literal <= 0, a binomial of literals outside 0 <= k <= n.
    public var isLiteralUndefined: Bool {
        switch shape {
        case .power(let b, let x):
            guard let base = b.numberValue, let p = x.numberValue else { return false }
            if base.isZero && p.isNegative { return true }
            if base.isNegative && !p.isInteger { return true }
            return false
        case .log(let x):
            if let v = x.numberValue, !v.isPositive { return true }
            return false
        case .binom(let n, let k):
            guard let a = n.numberValue, let b = k.numberValue else { return false }
            return b.isNegative || b > a
        default: return false
        }
    }

    /// Some subterm is `isLiteralUndefined`.
    public var containsLiteralUndefined: Bool {
        var stack = [self]
        while let node = stack.popLast() {
            if node.isLiteralUndefined { return true }
            stack.append(contentsOf: node.children)
        }
        return false
    }
    public var symbolName: String? { if case .symbol(let s) = self.shape { return s } else { return nil } }

    /// Direct children, in order.
    public var children: [Expr] { shape.children }

    /// The same node kind with new children (same count and order as `children`).
    public func replacingChildren(_ new: [Expr]) -> Expr {
        switch self.shape {
        case .number, .symbol, .constant: return self
        case .sum: return .sum(new)
        case .product: return .product(new)
        case .min: return .min(new)
        case .max: return .max(new)
        case .power: return .power(new[0], new[1])
        case .log: return .log(new[0])
        case .binom: return .binom(new[0], new[1])
        case .apply(let name, _): return .apply(name, new)
        }
    }

    /// Every symbol name that occurs, sorted.
    public var freeSymbols: [String] {
        if node.symbolMask == 0 { return [] }
        var names = Set<String>()
        var stack: [Expr] = [self]
        while let node = stack.popLast() {
            if case .symbol(let name) = node.shape { names.insert(name) }
            for child in node.children where child.node.symbolMask != 0 { stack.append(child) }
        }
        return names.sorted()
    }

    public func contains(symbol name: String) -> Bool {
        // Only subtrees whose mask has the name's bit can hold it.
        let bit = ExpressionNode.symbolBit(name)
        if node.symbolMask & bit == 0 { return false }
        var stack: [Expr] = [self]
        while let node = stack.popLast() {
            if case .symbol(let s) = node.shape, s == name { return true }
            for child in node.children where child.node.symbolMask & bit != 0 { stack.append(child) }
        }
        return false
    }

    /// Number of nodes (iterative, safe for deep trees).
    public var nodeCount: Int {
        var count = 0
        var stack: [Expr] = [self]
        while let node = stack.popLast() {
            count += 1
            stack.append(contentsOf: node.children)
        }
        return count
    }

    /// Replace symbols by expressions, simultaneously. No simplification.
    public func substituting(_ bindings: [String: Expr]) -> Expr {
        if bindings.isEmpty { return self }
        var mask: UInt64 = 0
        for name in bindings.keys { mask |= ExpressionNode.symbolBit(name) }
        return substituting(bindings, mask: mask)
    }

    /// A subtree none of whose symbols' mask bits is among the bindings' mentions none of them: it is returned as
    /// it is (rebuilding it would give an equal tree), and so is a node none of whose children changed.
    private func substituting(_ bindings: [String: Expr], mask: UInt64) -> Expr {
        if node.symbolMask & mask == 0 { return self }
        switch self.shape {
        case .symbol(let name): return bindings[name] ?? self
        case .number, .constant: return self
        default:
            var new = children
            var changed = false
            for i in new.indices {
                let s = new[i].substituting(bindings, mask: mask)
                if s.node !== new[i].node { changed = true; new[i] = s }
            }
            return changed ? replacingChildren(new) : self
        }
    }
}

extension Expr.Shape {
    /// The direct children of a node of this shape, in order (also for `ExpressionNode`'s iterative release).
    var children: [Expr] {
        switch self {
        case .number, .symbol, .constant: return []
        case .sum(let xs), .product(let xs), .min(let xs), .max(let xs): return xs
        case .power(let b, let x): return [b, x]
        case .log(let x): return [x]
        case .binom(let n, let k): return [n, k]
        case .apply(_, let xs): return xs
        }
    }
}
