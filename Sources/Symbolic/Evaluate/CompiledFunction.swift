import Foundation
import EvalCore

/// An expression compiled to a flat register program, for evaluating it at many points quickly.
///
/// Compilation: identical subtrees share one register (hash-consing on (operation, operand registers)),
/// constant subexpressions are folded, literal powers are specialised (`x^2`, `x^3`, ... by repeated
/// squaring, `x^(1/2)` as `sqrt`, `x^(-1)` and negative powers inside products as divisions, `e^x` as `exp`),
/// dead values are dropped and registers are reused once their value is dead. Two fusions follow (each lane
/// still computes the same doubles): `min(x^p, y^p)` and `max(x^p, y^p)` with one exponent become one power
/// of min(x, y) or max(x, y) where that is provably the same double (`VectorMath.minMaxPow`), and an
/// arithmetic operation whose value is used by just one other arithmetic operation is merged into it (`pair`).
///
/// Evaluation runs the program over blocks of 64 points: every instruction is one tight loop over the block,
/// so dispatch costs once per block; the arithmetic loops run over `SIMD8<Double>` (`BlockLoops`). Parameters
/// are read in place from the columns (no copy). The block interpreter and its loops live in module EvalKernels,
/// built a second time for x86-64-v3; `EvaluationKernels` picks the build (the same doubles from either).
///
/// Semantics are exactly those of `Expr.evaluate(_:)` (same operations in the same order), except that
/// every point where `evaluate` throws (domain error, non-finite input, overflow) gives NaN instead.
/// Results are otherwise always finite. `exp` and `pow` run as vector kernels (`VectorMath`), several points at
/// a time, and give the same doubles as the scalar glibc functions `evaluate` calls: a kernel keeps a lane only
/// when its error bound shows the result is the correctly rounded one, and hands every other lane (special
/// values included) to the scalar function.
///
/// How that is kept cheap: inside the program a non-finite value is "poison". Domain errors give NaN; ±inf
/// (from an input or an overflow) flows unchecked through the operations that keep a non-finite operand
/// non-finite (`+ - *`, `sqrt`, `log`, ...), and only the operations that could absorb it (a divisor, `pow`,
/// `exp`, `min`/`max`, `binom`) turn a non-finite operand into NaN. The output is NaN unless finite.
public struct CompiledFunction: Sendable {
    /// The parameter names, in the order of the columns / point coordinates.
    public let parameters: [String]

    let instructions: [Instruction]
    /// Number of scratch registers (each a block of doubles). Register ids `registerCount + k` are
    /// parameter slots, read in place from column `parameterSlots[k]`.
    let registerCount: Int
    let parameterSlots: [Int]
    /// Scratch registers holding a constant for the whole call, filled once per call.
    let constantFills: [(register: Int, value: Double)]
    let output: Output

    /// Points per block. Measured on the benchmark bound (bench/README.md, 2026-11-22): 32 to 64 points per
    /// block took 29–30 ns/point, 128 took 30–32, 256 to 1024 took 32–33.
    static let blockSize = 64

    enum Output: Sendable {
        case constant(Double)
        case register(Int)
    }

    /// Compiles `expression` as a function of `parameters` (in that order; a repeated name binds to its first
    /// position). Throws `.unboundSymbol` if the expression uses a symbol that is not a parameter.
    public init(_ expression: Expr, parameters: [String]) throws(EvaluationError) {
        try self.init(expression, parameters: parameters, fusing: true)
    }

    /// `fusing: false` compiles without fused operations (the tests compare both programs bit for bit).
    init(_ expression: Expr, parameters: [String], fusing: Bool) throws(EvaluationError) {
        self.parameters = parameters
        var index: [String: Int] = [:]
        for (i, name) in parameters.enumerated() where index[name] == nil { index[name] = i }

        // Uninterpreted quantities (Cover(delta)) have no value to compile.
        var pending: [Expr] = [expression]
        while let node = pending.popLast() {
            if case .apply(let name, _) = node.shape { throw .unboundSymbol("\(name)(...)") }
            pending.append(contentsOf: node.children)
        }
        var builder = ProgramBuilder()
        let result = try builder.compile(expression, parameterIndex: index)
        if fusing {
            builder.fusePowers(result: result)
            builder.fusePairs(result: result)
        }
        let program = builder.allocate(result: result)
        instructions = program.instructions
        registerCount = program.registerCount
        parameterSlots = program.parameterSlots
        constantFills = program.constantFills
        output = program.output
    }

    /// Number of instructions executed per block (after sharing, folding and dead-code removal).
    var instructionCount: Int { instructions.count }

    // MARK: Evaluation

    /// The value at one point (`point[i]` is the value of `parameters[i]`); NaN where `evaluate` would throw.
    public func callAsFunction(_ point: [Double]) -> Double {
        precondition(point.count == parameters.count,
                     "CompiledFunction: expected \(parameters.count) coordinates, got \(point.count)")
        switch output {
        case .constant(let c):
            return c
        case .register(let out):
            let slots = registerCount + parameterSlots.count
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: slots) { values in
                withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>.self, capacity: slots) { table in
                    let base = values.baseAddress!
                    for r in 0..<slots { table[r] = base + r }
                    for fill in constantFills { base[fill.register] = fill.value }
                    for (k, column) in parameterSlots.enumerated() { base[registerCount + k] = point[column] }
                    instructions.withUnsafeBufferPointer { program in
                        EvaluationKernels.preferred.run(program, table.baseAddress!, count: 1)
                    }
                    return EvalMath.fin(base[out])
                }
            }
        }
    }

    /// Evaluates at every point: `columns[i][j]` is the value of `parameters[i]` at point `j` (all columns the
    /// same length). Writes `output[j]`; `output` is resized to the number of points if needed. With no
    /// parameters there are no columns, and the existing `output.count` is taken as the number of points.
    /// Points where `evaluate` would throw give NaN. `kernels` picks the build of the evaluation kernels (same
    /// doubles from each; one this processor cannot run is replaced by the generic build).
    public func evaluate(columns: [[Double]], into output: inout [Double],
                         kernels: EvaluationKernels = .preferred) {
        let kernels = kernels.isSupported ? kernels : .generic
        precondition(columns.count == parameters.count,
                     "CompiledFunction: expected \(parameters.count) columns, got \(columns.count)")
        let count = columns.first?.count ?? output.count
        for column in columns {
            precondition(column.count == count, "CompiledFunction: columns must all have the same length")
        }
        if output.count != count { output = [Double](repeating: 0, count: count) }
        if count == 0 { return }

        guard case .register(let out) = self.output else {
            if case .constant(let c) = self.output { for j in 0..<count { output[j] = c } }
            return
        }
        let block = CompiledFunction.blockSize
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(registerCount, 1) * block)
        defer { scratch.deallocate() }
        let slots = registerCount + parameterSlots.count
        let table = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: Swift.max(slots, 1))
        defer { table.deallocate() }
        for r in 0..<registerCount { table[r] = scratch + r * block }
        for fill in constantFills {
            (scratch + fill.register * block).initialize(repeating: fill.value, count: block)
        }
        Self.withBaseAddresses(of: columns) { columnBases in
            instructions.withUnsafeBufferPointer { program in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    let outBase = outBuffer.baseAddress!
                    var start = 0
                    while start < count {
                        let m = Swift.min(block, count - start)
                        for (k, column) in parameterSlots.enumerated() {
                            // Parameters are only ever read: the program never writes a parameter slot.
                            table[registerCount + k] = UnsafeMutablePointer(mutating: columnBases[column] + start)
                        }
                        kernels.run(program, table, count: m)
                        kernels.finish(count: m, outBase + start, UnsafePointer(table[out]))
                        start += m
                    }
                }
            }
        }
    }

    /// Evaluates at every point; see `evaluate(columns:into:)`. With no parameters, returns `[]`.
    public func evaluate(columns: [[Double]]) -> [Double] {
        var output: [Double] = []
        evaluate(columns: columns, into: &output)
        return output
    }

    /// Calls `body` with the base address of every (nonempty) column, valid for the duration of the call.
    private static func withBaseAddresses<R>(of columns: [[Double]],
                                             _ body: ([UnsafePointer<Double>]) -> R) -> R {
        var bases: [UnsafePointer<Double>] = []
        bases.reserveCapacity(columns.count)
        func nest(_ i: Int) -> R {
            if i == columns.count { return body(bases) }
            return columns[i].withUnsafeBufferPointer { buffer in
                bases.append(buffer.baseAddress!)
                return nest(i + 1)
            }
        }
        return nest(0)
    }

}

/// A compile-time value: a folded constant or an SSA value.
enum Operand: Hashable {
    case constant(Double)
    case value(Int)
}

struct ProgramBuilder {
    struct SSA {
        var op: Op
        var a: Int        // operand value ids, -1 if absent
        var b: Int
        var constant: Double   // the scalar operand, the constant of loadConst, the column of loadParam
        var e: Int = -1   // third operand (minPow, maxPow, pair)
        var first: Op = .add
        var step: Step = .add
        var constant2: Double = 0

        /// Calls `body` with each distinct operand id (no array: this runs for every value in every pass).
        @inline(__always) func forEachOperand(_ body: (Int) -> Void) {
            if a >= 0 { body(a) }
            if b >= 0 && b != a { body(b) }
            if e >= 0 && e != a && e != b { body(e) }
        }
    }
    struct Key: Hashable {
        var op: Op
        var a: Int
        var b: Int
        var constantBits: UInt64
    }

    var ssa: [SSA] = []
    var table: [Key: Int] = [:]

    // MARK: Emission with hash-consing

    mutating func emit(_ op: Op, _ a: Int, _ b: Int = -1, constant: Double = 0) -> Operand {
        var (a, b) = (a, b)
        if op.isCommutative, b < a { swap(&a, &b) }
        let key = Key(op: op, a: a, b: b, constantBits: constant.bitPattern)
        if let id = table[key] { return .value(id) }
        let id = ssa.count
        ssa.append(SSA(op: op, a: a, b: b, constant: constant))
        table[key] = id
        return .value(id)
    }

    mutating func materialize(_ x: Operand) -> Int {
        switch x {
        case .value(let v): return v
        case .constant(let c):
            guard case .value(let v) = emit(.loadConst, -1, constant: c) else { preconditionFailure() }
            return v
        }
    }

    mutating func unary(_ op: Op, _ x: Operand, fold: (Double) -> Double) -> Operand {
        switch x {
        case .constant(let c): return .constant(fold(c))
        case .value(let v): return emit(op, v)
        }
    }

    /// A binary operation with folding and the scalar-operand variants `regOp` (register op c) and `constOp`
    /// (c op register); for a commutative operation `constOp` is `regOp`.
    mutating func binary(_ op: Op, regOp: Op?, constOp: Op?, _ x: Operand, _ y: Operand,
                         fold: (Double, Double) -> Double) -> Operand {
        switch (x, y) {
        case (.constant(let p), .constant(let q)): return .constant(fold(p, q))
        case (.value(let u), .constant(let q)):
            if let regOp { return emit(regOp, u, constant: q) }
        case (.constant(let p), .value(let v)):
            if let constOp { return emit(constOp, v, constant: p) }
        case (.value(let u), .value(let v)):
            return emit(op, u, v)
        }
        return emit(op, materialize(x), materialize(y))
    }

    mutating func add(_ x: Operand, _ y: Operand) -> Operand {
        binary(.add, regOp: .addC, constOp: .addC, x, y, fold: EvalMath.add)
    }
    mutating func sub(_ x: Operand, _ y: Operand) -> Operand {
        // u - q is computed as u + (-q): identical in IEEE arithmetic.
        if case .value(let u) = x, case .constant(let q) = y { return emit(.addC, u, constant: -q) }
        return binary(.sub, regOp: nil, constOp: .cSub, x, y, fold: EvalMath.sub)
    }
    mutating func mul(_ x: Operand, _ y: Operand) -> Operand {
        switch (x, y) {
        case (.value, .constant(1)), (.constant(1), .value): // x * 1 == x exactly
            if case .value = x { return x } else { return y }
        case (.value(let u), .constant(-1)), (.constant(-1), .value(let u)):
            return emit(.neg, u)
        default:
            return binary(.mul, regOp: .mulC, constOp: .mulC, x, y, fold: EvalMath.mul)
        }
    }
    mutating func div(_ x: Operand, _ y: Operand) -> Operand {
        binary(.div, regOp: .divC, constOp: .cDiv, x, y, fold: EvalMath.div)
    }
    mutating func pow(_ x: Operand, _ y: Operand) -> Operand {
        binary(.pow, regOp: .powC, constOp: .cPow, x, y, fold: EvalMath.pow)
    }
    // min and max keep their operands' order (see `Op.isCommutative`): a constant first operand is materialized
    // into a register rather than swapped into `minC`/`maxC`.
    mutating func min(_ x: Operand, _ y: Operand) -> Operand {
        binary(.min, regOp: .minC, constOp: nil, x, y, fold: EvalMath.min)
    }
    mutating func max(_ x: Operand, _ y: Operand) -> Operand {
        binary(.max, regOp: .maxC, constOp: nil, x, y, fold: EvalMath.max)
    }
    mutating func binom(_ x: Operand, _ y: Operand) -> Operand {
        binary(.binom, regOp: nil, constOp: nil, x, y, fold: EvalMath.binom)
    }

    /// x^n for n >= 1: the same multiplications, in the same order, as `EvalMath.integerPower`.
    mutating func integerPower(_ x: Operand, _ n: Int) -> Operand {
        EvalMath.binaryPower(x, n) { mul($0, $1) }
    }

    /// x^plan, mirroring `PowerPlan.apply`.
    mutating func power(_ x: Operand, _ plan: PowerPlan) -> Operand {
        if case .constant(let c) = x { return .constant(plan.apply(c)) }
        switch plan {
        case .integer(let n):
            if n == 0 { return unary(.zeroPow, x, fold: EvalMath.zeroPower) }
            if n > 0 { return integerPower(x, n) }
            return div(.constant(1), integerPower(x, -n))
        case .halfInteger(let m):
            if m < 0 { return div(.constant(1), power(x, .halfInteger(-m))) }
            let k = (m - 1) / 2
            let s = unary(.sqrt, x) { $0.squareRoot() }
            return k == 0 ? s : mul(integerPower(x, k), s)
        case .general(let y):
            return pow(x, .constant(y))
        }
    }

    // MARK: Compiling the tree (iterative post-order)

    /// For a sum term after the first: if it is `c * rest` with a literal `c < 0`, the expression `(-c) * rest`
    /// to subtract instead (exact: negation commutes with IEEE multiplication, division and rounding).
    static func subtrahend(_ term: Expr) -> Expr? {
        guard case .product(let factors) = term.shape, factors.count >= 2,
              case .number(let c) = factors[0].shape, c.isNegative else { return nil }
        let rest = Array(factors.dropFirst())
        let negated = -c
        if negated.isOne { return rest.count == 1 ? rest[0] : .product(rest) }
        return .product([.number(negated)] + rest)
    }

    static func operands(of node: Expr) -> [Expr] {
        if case .sum(let terms) = node.shape {
            return terms.enumerated().map { i, t in i > 0 ? (subtrahend(t) ?? t) : t }
        }
        return EvalMath.operands(of: node)
    }

    mutating func compile(_ root: Expr, parameterIndex: [String: Int]) throws(EvaluationError) -> Operand {
        struct Frame {
            let node: Expr
            let operands: [Expr]
            var next: Int
            let base: Int
        }
        var frames: [Frame] = []
        var stack: [Operand] = []
        table.reserveCapacity(Swift.min(root.nodeCount, 1 << 20))

        func leaf(_ node: Expr) throws(EvaluationError) -> Operand? {
            switch node.shape {
            case .number(let r): return .constant(EvalMath.fin(r.doubleValue))
            case .constant(let c): return .constant(EvalMath.value(of: c))
            case .symbol(let name):
                guard let column = parameterIndex[name] else { throw .unboundSymbol(name) }
                return emit(.loadParam, -1, constant: Double(column))
            default: return nil
            }
        }

        if let value = try leaf(root) { return value }
        frames.append(Frame(node: root, operands: Self.operands(of: root), next: 0, base: 0))
        while !frames.isEmpty {
            let top = frames.count - 1
            if frames[top].next < frames[top].operands.count {
                let child = frames[top].operands[frames[top].next]
                frames[top].next += 1
                if let value = try leaf(child) {
                    stack.append(value)
                } else {
                    frames.append(Frame(node: child, operands: Self.operands(of: child), next: 0, base: stack.count))
                }
            } else {
                let frame = frames.removeLast()
                let value = combine(frame.node, Array(stack[frame.base...]))
                stack.removeSubrange(frame.base...)
                stack.append(value)
            }
        }
        return stack[0]
    }

    /// Mirrors `EvalMath.combine`.
    mutating func combine(_ node: Expr, _ args: [Operand]) -> Operand {
        switch node.shape {
        case .sum(let terms):
            guard var acc = args.first else { return .constant(0) }
            for i in args.indices.dropFirst() {
                acc = Self.subtrahend(terms[i]) != nil ? sub(acc, args[i]) : add(acc, args[i])
            }
            return acc
        case .product(let factors):
            var acc: Operand? = nil
            for (i, factor) in factors.enumerated() {
                if let (_, plan) = EvalMath.divisor(factor) {
                    acc = div(acc ?? .constant(1), power(args[i], plan))
                } else {
                    acc = acc.map { mul($0, args[i]) } ?? args[i]
                }
            }
            return acc ?? .constant(1)
        case .power(let b, _) where b.isE:
            return unary(.exp, args[0], fold: EvalMath.exp)
        case .power(_, let x) where x.isNumber:
            return power(args[0], PowerPlan(x.numberValue!))
        case .power:
            return pow(args[0], args[1])
        case .log:
            return unary(.log, args[0], fold: EvalMath.log)
        case .min:
            guard var acc = args.first else { return .constant(.nan) }
            for v in args.dropFirst() { acc = min(acc, v) }
            return acc
        case .max:
            guard var acc = args.first else { return .constant(.nan) }
            for v in args.dropFirst() { acc = max(acc, v) }
            return acc
        case .binom:
            return binom(args[0], args[1])
        case .apply:
            // Rejected in init before compiling; NaN keeps this total.
            return .constant(.nan)
        case .number, .symbol, .constant:
            preconditionFailure("leaves are not combined")
        }
    }

    // MARK: Fusion

    /// Which SSA values the result depends on, and how many live operations (or the result) use each one.
    private func liveness(from resultId: Int) -> (live: [Bool], uses: [Int]) {
        var live = [Bool](repeating: false, count: ssa.count)
        live[resultId] = true
        var uses = [Int](repeating: 0, count: ssa.count)
        uses[resultId] = 1
        for i in stride(from: ssa.count - 1, through: 0, by: -1) where live[i] {
            ssa[i].forEachOperand { operand in
                live[operand] = true
                uses[operand] += 1
            }
        }
        return (live, uses)
    }

    /// Rewrites `min(x^p, y^p)` and `max(x^p, y^p)` (the same exponent p: one value, or equal constants) into
    /// one fused operation that raises only min(x, y) or max(x, y) to the power p where that gives the same
    /// double (see `VectorMath.minMaxPow`): one `pow` instead of two. Only when neither power is used
    /// elsewhere (otherwise both are computed anyway). The powers become dead and are dropped by `allocate`.
    mutating func fusePowers(result: Operand) {
        guard case .value(let resultId) = result else { return }
        let n = ssa.count
        let (live, uses) = liveness(from: resultId)
        for i in 0..<n where live[i] && (ssa[i].op == .min || ssa[i].op == .max) {
            let (u, v) = (ssa[ssa[i].a], ssa[ssa[i].b])
            guard ssa[i].a != ssa[i].b, uses[ssa[i].a] == 1, uses[ssa[i].b] == 1, u.op == v.op else { continue }
            let isMin = ssa[i].op == .min
            if u.op == .pow, u.b == v.b {
                ssa[i] = SSA(op: isMin ? .minPow : .maxPow, a: u.a, b: v.a, constant: 0, e: u.b)
            } else if u.op == .powC, u.constant.bitPattern == v.constant.bitPattern,
                      u.constant.isFinite, u.constant != 0 {
                // (A zero or non-finite constant exponent would send every lane to the unfused path.)
                ssa[i] = SSA(op: isMin ? .minPowC : .maxPowC, a: u.a, b: v.a, constant: u.constant)
            }
        }
    }

    /// Merges an arithmetic operation (+ - * /, with a register or a constant) whose value is used by just one
    /// other arithmetic operation into that one (a `pair`): one pass over the block instead of two, and no store
    /// and reload of the intermediate block. Each lane computes the same IEEE operations in the same order. A
    /// pair is not merged again (a chain of three is a pair and one operation).
    mutating func fusePairs(result: Operand) {
        guard case .value(let resultId) = result else { return }
        // (A merged operand t is always an earlier value than its user, so the loop has passed it, and a pair is
        // never merged again: `.pair` is not in `Op.pairFirsts`.)
        let (live, uses) = liveness(from: resultId)
        func mergeable(_ t: Int) -> Bool { t >= 0 && uses[t] == 1 && Op.pairFirsts.contains(ssa[t].op) }
        for i in 0..<ssa.count where live[i] {
            let s = ssa[i]
            // (step, the merged operand, the other register operand or -1)
            var choice: (Step, Int, Int)?
            switch s.op {
            case .add, .sub, .mul, .div:
                if s.a == s.b { break }
                if mergeable(s.a) {
                    choice = (Self.pairStep(s.op, mergedFirst: true), s.a, s.b)
                } else if mergeable(s.b) {
                    choice = (Self.pairStep(s.op, mergedFirst: false), s.b, s.a)
                }
            case .addC, .cSub, .mulC, .divC, .cDiv:
                if mergeable(s.a) { choice = (Self.pairStep(s.op, mergedFirst: true), s.a, -1) }
            default:
                break
            }
            guard let (step, t, other) = choice else { continue }
            let f = ssa[t]
            ssa[i] = SSA(op: .pair, a: f.a, b: f.b, constant: f.constant, e: other, first: f.op, step: step,
                         constant2: s.constant)
        }
    }

    /// The second operation of a pair for the arithmetic operation `op`, whose merged operand is its first
    /// operand or (`mergedFirst: false`, register operations only) its second.
    static func pairStep(_ op: Op, mergedFirst: Bool) -> Step {
        switch op {
        case .add: return .add
        case .mul: return .mul
        case .sub: return mergedFirst ? .sub : .rsub
        case .div: return mergedFirst ? .div : .rdiv
        case .addC: return .addC
        case .cSub: return .cSub
        case .mulC: return .mulC
        case .divC: return .divC
        case .cDiv: return .cDiv
        default: preconditionFailure("not an arithmetic operation: \(op)")
        }
    }

    // MARK: Dead-code removal and register allocation

    struct Program {
        var instructions: [Instruction] = []
        var registerCount = 0
        var parameterSlots: [Int] = []
        var constantFills: [(register: Int, value: Double)] = []
        var output: CompiledFunction.Output = .constant(.nan)
    }

    func allocate(result: Operand) -> Program {
        var program = Program()
        guard case .value(let resultId) = result else {
            if case .constant(let c) = result { program.output = .constant(c) }
            return program
        }
        let n = ssa.count
        let live = liveness(from: resultId).live
        var lastUse = [Int](repeating: -1, count: n)
        for i in 0..<n where live[i] {
            ssa[i].forEachOperand { lastUse[$0] = i }
        }
        lastUse[resultId] = Int.max

        // Scratch registers get ids >= 0; parameter slots provisional ids -1, -2, ... (renumbered after the
        // scratch count is known). Constants are filled once per call, so their registers are never reused;
        // parameter slots are never written.
        var register = [Int](repeating: 0, count: n)
        var free: [Int] = []
        func fresh() -> Int {
            if let r = free.popLast() { return r }
            program.registerCount += 1
            return program.registerCount - 1
        }
        // Constants and parameters first: they hold their value from the start of the call / block.
        for i in 0..<n where live[i] {
            let s = ssa[i]
            if s.op == .loadParam {
                program.parameterSlots.append(Int(s.constant))
                register[i] = -program.parameterSlots.count
            } else if s.op == .loadConst {
                register[i] = fresh()
                program.constantFills.append((register: register[i], value: s.constant))
            }
        }
        for i in 0..<n where live[i] && ssa[i].op != .loadParam && ssa[i].op != .loadConst {
            let s = ssa[i]
            s.forEachOperand { operand in
                if lastUse[operand] == i, ssa[operand].op != .loadConst && ssa[operand].op != .loadParam {
                    free.append(register[operand])
                }
            }
            register[i] = fresh()
            program.instructions.append(Instruction(op: s.op, dst: register[i], a: register[s.a],
                                                    b: s.b >= 0 ? register[s.b] : register[s.a],
                                                    e: s.e >= 0 ? register[s.e] : register[s.a],
                                                    constant: s.constant, first: s.first, step: s.step,
                                                    constant2: s.constant2))
        }
        let scratch = program.registerCount
        func renumber(_ r: Int) -> Int { r >= 0 ? r : scratch + (-r - 1) }
        for j in program.instructions.indices {
            program.instructions[j].a = renumber(program.instructions[j].a)
            program.instructions[j].b = renumber(program.instructions[j].b)
            program.instructions[j].e = renumber(program.instructions[j].e)
        }
        program.output = .register(renumber(register[resultId]))
        return program
    }
}
