/// The register program of `CompiledFunction` (module Symbolic), as the evaluation kernels (modules
/// EvalKernels and EvalKernelsX86v3) run it: one module for both, so that a program compiled once runs on either.
public enum Op: UInt8, Hashable, Sendable {
    case loadParam, loadConst
    case add, sub, mul, div
    case addC, cSub, mulC, divC, cDiv      // xC: register op constant; cX: constant op register
    case neg, sqrt, zeroPow, exp, log
    case pow, powC, cPow
    case min, max, minC, maxC
    case binom
    /// Fused `min(x^p, y^p)` and `max(x^p, y^p)` (operands x = a, y = b, p = e), and the same with a constant
    /// exponent p (`constant`); see `VectorMath.minMaxPow`.
    case minPow, maxPow, minPowC, maxPowC
    /// Two elementwise operations in one pass: `first` (one of `pairFirsts`) on a and b or `constant`, then
    /// `step` combining its value with e or `constant2`; see `BlockLoops.pair`.
    case pair

    /// The operations that can be the first of a pair.
    public static let pairFirsts: Set<Op> = [.add, .sub, .mul, .div, .addC, .cSub, .mulC, .divC, .cDiv]

    /// Operand order does not change the double. Not `min`/`max`: of two equal operands they return the second,
    /// and -0 and +0 are equal (`EvalMath.min(0, -0)` is -0, `min(-0, 0)` is +0).
    public var isCommutative: Bool {
        switch self {
        case .add, .mul: return true
        default: return false
        }
    }
}

public struct Instruction: Sendable {
    public var op: Op
    public var dst: Int
    public var a: Int
    public var b: Int   // equals `a` for unary operations
    public var e: Int   // the third operand (minPow, maxPow, pair); equals `a` for other operations
    public var constant: Double
    public var first: Op = .add        // pair: its first operation
    public var step: Step = .add       // pair: its second operation
    public var constant2: Double = 0   // pair: the constant of `step`

    public init(op: Op, dst: Int, a: Int, b: Int, e: Int, constant: Double, first: Op = .add, step: Step = .add,
                constant2: Double = 0) {
        (self.op, self.dst, self.a, self.b, self.e) = (op, dst, a, b, e)
        (self.constant, self.first, self.step, self.constant2) = (constant, first, step, constant2)
    }
}

/// The second operation of a `pair`: t (the value of the first) with the register e or the constant c2.
public enum Step: UInt8, Sendable {
    case add, sub, rsub, mul, div, rdiv      // t + e, t - e, e - t, t * e, t / fin(e), e / fin(t)
    case addC, cSub, mulC, divC, cDiv        // t + c2, c2 - t, t * c2, t / c2, c2 / fin(t)

    public var usesRegister: Bool { rawValue <= Step.rdiv.rawValue }
}
