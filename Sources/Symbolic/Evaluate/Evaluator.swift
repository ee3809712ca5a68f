import Foundation
import EvalCore

/// Why an expression has no real value at a point.
public enum EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No value was supplied for the symbol (payload: the symbol's name).
    case unboundSymbol(String)
    /// A sentence naming the offending subexpression, e.g. "log of a nonpositive value (-1) in log(x)".
    case domain(String)
    /// An input that is NaN or infinite, or a result that overflowed to ±inf or became NaN (a sentence).
    case nonFinite(String)

    public var description: String {
        switch self {
        case .unboundSymbol(let name): return "no value for symbol '\(name)'"
        case .domain(let message): return message
        case .nonFinite(let message): return message
        }
    }
}

// MARK: - Pointwise evaluation

extension Expr {
    /// The real value of the expression at a point.
    ///
    /// Semantics (shared exactly with `CompiledFunction`, which returns NaN wherever this throws):
    /// - `log(x)` needs `x > 0`.
    /// - `x^y` with `x < 0` needs an integer `y` (no odd roots of negatives); `0^y` with `y < 0` is a
    ///   division by zero. **`0^0 = 1`** (the combinatorial convention, as C's `pow`), also for a symbolic
    ///   exponent that evaluates to 0.
    /// - `e^y` is computed as `exp(y)`; `x^(n/2)` for small literal `n` as square roots and multiplications;
    ///   small literal integer powers (|n| <= 64) by repeated squaring; negative literal powers inside a
    ///   product are divisions (`a * b^(-1)` is computed as `a / b`).
    /// - `binom(n, k)` needs `0 <= k <= n` (real n, k); it is an exact product for nonnegative integers with
    ///   `min(k, n-k) <= 200`, else `exp(lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1))`.
    /// - A NaN or infinite input is `.nonFinite` naming the symbol; any subexpression that overflows to ±inf
    ///   (or becomes NaN) is `.nonFinite` naming that subexpression. Operands are evaluated strictly: an error
    ///   anywhere (even inside `min`/`max`, or under `x^0`) is an error of the whole.
    ///
    /// Iterative (explicit stack), so trees hundreds of thousands of levels deep are fine.
    public func evaluate(_ values: [String: Double]) throws(EvaluationError) -> Double {
        struct Frame {
            let node: Expr
            let operands: [Expr]
            var next: Int
            let base: Int
        }
        var frames: [Frame] = []
        var stack: [Double] = []

        // Either pushes a leaf's value or opens a frame for an inner node.
        func begin(_ node: Expr) throws(EvaluationError) {
            switch node.shape {
            case .number(let r):
                let v = r.doubleValue
                guard v.isFinite else {
                    throw .nonFinite("the number \(r) is outside the range of Double")
                }
                stack.append(v)
            case .constant(let c):
                stack.append(EvalMath.value(of: c))
            case .symbol(let name):
                guard let v = values[name] else { throw .unboundSymbol(name) }
                guard v.isFinite else { throw .nonFinite("the value for symbol '\(name)' is not finite (\(v))") }
                stack.append(v)
            default:
                frames.append(Frame(node: node, operands: EvalMath.operands(of: node), next: 0, base: stack.count))
            }
        }

        try begin(self)
        while !frames.isEmpty {
            let top = frames.count - 1
            if frames[top].next < frames[top].operands.count {
                let child = frames[top].operands[frames[top].next]
                frames[top].next += 1
                try begin(child)
            } else {
                let frame = frames.removeLast()
                let value = try EvalMath.combine(frame.node, stack[frame.base...])
                stack.removeSubrange(frame.base...)
                stack.append(value)
            }
        }
        return stack[0]
    }
}

// MARK: - Scalar semantics shared by the evaluator and the compiler

/// How a power with a literal exponent is computed. Shared by `evaluate` and `CompiledFunction`, so both do
/// the same floating-point operations in the same order.
enum PowerPlan: Hashable, Sendable {
    /// Literal integer exponent with |n| <= 64: binary exponentiation (then a reciprocal if n < 0).
    case integer(Int)
    /// Literal exponent m/2 with m odd, |m| <= 63: `x^((m-1)/2) * sqrt(x)` (then a reciprocal if m < 0).
    case halfInteger(Int)
    /// Anything else: `pow(x, y)`.
    case general(Double)

    init(_ q: Rational) {
        if let n = q.asInt, n.magnitude <= 64 {
            self = .integer(n)
        } else if !q.isInteger, let m = (q * Rational(2)).asInt, m.magnitude <= 63 {
            self = .halfInteger(m)
        } else {
            self = .general(q.doubleValue)
        }
    }

    var isNegative: Bool {
        switch self {
        case .integer(let n): return n < 0
        case .halfInteger(let m): return m < 0
        case .general(let y): return y < 0
        }
    }

    /// The plan of the negated exponent.
    var negated: PowerPlan {
        switch self {
        case .integer(let n): return .integer(-n)
        case .halfInteger(let m): return .halfInteger(-m)
        case .general(let y): return .general(-y)
        }
    }

    var exponentValue: Double {
        switch self {
        case .integer(let n): return Double(n)
        case .halfInteger(let m): return Double(m) / 2
        case .general(let y): return y
        }
    }

    /// NaN-semantics value (NaN on domain error or overflow).
    func apply(_ x: Double) -> Double {
        switch self {
        case .integer(let n):
            if n == 0 { return EvalMath.zeroPower(x) }
            if n > 0 { return EvalMath.integerPower(x, n) }
            return EvalMath.div(1, EvalMath.integerPower(x, -n))
        case .halfInteger(let m):
            if m < 0 { return EvalMath.div(1, PowerPlan.halfInteger(-m).apply(x)) }
            let k = (m - 1) / 2
            let s = x.squareRoot()
            return k == 0 ? s : EvalMath.mul(EvalMath.integerPower(x, k), s)
        case .general(let y):
            return EvalMath.pow(x, y)
        }
    }
}

/// The parts of the scalar semantics (`EvalMath`, module EvalCore) that need `Expr`.
extension EvalMath {
    static let eValue = 2.718281828459045
    static func value(of c: MathConstant) -> Double {
        switch c {
        case .e: return eValue
        case .pi: return Double.pi
        }
    }

    // MARK: Structure shared with the compiler

    /// If `factor` is `b^q` with a literal negative `q` (and `b` is not `e`), `b` and the plan of `-q`:
    /// inside a product such a factor is a division by `b^(-q)`.
    static func divisor(_ factor: Expr) -> (base: Expr, plan: PowerPlan)? {
        guard case .power(let base, let x) = factor.shape, let q = x.numberValue, q.isNegative else { return nil }
        if base.isE { return nil }
        return (base, PowerPlan(-q))
    }

    /// The subexpressions whose values a node combines, in order.
    static func operands(of node: Expr) -> [Expr] {
        switch node.shape {
        case .number, .symbol, .constant: return []
        case .sum(let xs), .min(let xs), .max(let xs): return xs
        case .product(let xs): return xs.map { divisor($0)?.base ?? $0 }
        case .power(let b, let y) where b.isE: return [y]
        case .power(let b, let x) where x.isNumber: return [b]
        case .power(let b, let y): return [b, y]
        case .log(let x): return [x]
        case .binom(let n, let k): return [n, k]
        case .apply(_, let xs): return xs
        }
    }

    /// A name for `e` in messages; elided for huge subexpressions (describing them could be slow or deep).
    static func describe(_ e: Expr) -> String {
        let limit = 200
        var count = 0
        var pending: [Expr] = [e]
        while let node = pending.popLast(), count <= limit {
            count += 1
            pending.append(contentsOf: node.children)
        }
        if count <= limit { return String(describing: e) }
        let kind: String
        switch e.shape {
        case .sum: kind = "sum"
        case .product: kind = "product"
        case .power: kind = "power"
        case .log: kind = "log"
        case .min: kind = "min"
        case .max: kind = "max"
        case .binom: kind = "binom"
        default: kind = "expression"
        }
        return "<a \(kind) of more than \(limit) nodes>"
    }

    static func overflow(_ node: Expr) -> EvaluationError {
        .nonFinite("overflow: \(describe(node)) is not finite")
    }

    /// Domain checks for `x^plan`, then its value.
    static func power(_ x: Double, _ plan: PowerPlan, in node: Expr) throws(EvaluationError) -> Double {
        let y = plan.exponentValue
        if x < 0, y != y.rounded() {
            throw .domain("negative base (\(x)) raised to the non-integer power \(y) in \(describe(node))")
        }
        if x == 0, y < 0 {
            throw .domain("division by zero: 0 raised to the negative power \(y) in \(describe(node))")
        }
        let v = plan.apply(x)
        guard !v.isNaN else { throw overflow(node) }
        return v
    }

    /// The value of an inner node from its operands' values (in `operands(of:)` order).
    static func combine(_ node: Expr, _ args: ArraySlice<Double>) throws(EvaluationError) -> Double {
        let a = Array(args)
        var result: Double
        switch node.shape {
        case .sum:
            result = a.first ?? 0
            for v in a.dropFirst() { result = add(result, v) }
        case .product(let factors):
            var acc: Double? = nil
            for (i, factor) in factors.enumerated() {
                if let (_, plan) = divisor(factor) {
                    let d = try power(a[i], plan, in: factor)
                    if d == 0 {
                        // A nonzero base whose power underflowed ((7e-218)^2) divides by a tiny number, not by zero:
                        // the quotient overflows, which is not an undefined point.
                        if a[i] != 0 { throw overflow(factor) }
                        throw .domain("division by zero: \(describe(factor)) is 0")
                    }
                    acc = div(acc ?? 1, d)
                } else {
                    acc = acc.map { mul($0, a[i]) } ?? a[i]
                }
            }
            result = acc ?? 1
        case .power(let b, _) where b.isE:
            result = exp(a[0])
        case .power(_, let x) where x.isNumber:
            result = try power(a[0], PowerPlan(x.numberValue!), in: node)
        case .power:
            result = try power(a[0], .general(a[1]), in: node)
        case .log:
            guard a[0] > 0 else {
                throw .domain("log of a nonpositive value (\(a[0])) in \(describe(node))")
            }
            result = log(a[0])
        case .min where a.isEmpty, .max where a.isEmpty:
            throw .domain("min/max of no operands in \(describe(node))")
        case .min:
            result = a[0]
            for v in a.dropFirst() { result = min(result, v) }
        case .max:
            result = a[0]
            for v in a.dropFirst() { result = max(result, v) }
        case .apply(let name, _):
            throw .unboundSymbol("\(name)(...)")
        case .binom:
            let (n, k) = (a[0], a[1])
            guard n >= 0, k >= 0, k <= n else {
                throw .domain("binomial coefficient needs 0 <= k <= n, got n = \(n), k = \(k) in \(describe(node))")
            }
            result = binom(n, k)
        case .number, .symbol, .constant:
            preconditionFailure("leaves are not combined")
        }
        guard !result.isNaN else { throw overflow(node) }
        return result
    }
}
