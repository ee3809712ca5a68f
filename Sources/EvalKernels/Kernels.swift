import Foundation
import EvalCore

/// The entry points of the evaluation kernels: `run` executes a register program over one block of points and
/// `finish` writes its output.
///
/// This module is compiled twice from the same source files: as EvalKernels for the generic target (x86-64 with
/// SSE2, or arm64), and as EvalKernelsX86v3 for x86-64-v3 (AVX2 and FMA; Sources/EvalKernelsX86v3 holds symbolic
/// links to these files), which `CompiledFunction` picks at run time when the processor has those features. The
/// source has no FMA and the compiler contracts nothing, so each lane computes the same IEEE operations, and both
/// give the same doubles (Tests/SymbolicTests/KernelVariantTests.swift compares them bit for bit).
public enum Kernels {
    /// d[i] = EvalMath.fin(a[i]) for i < n, exactly (`.nan` itself for a non-finite value), a vector at a time.
    @inline(__always)
    public static func finish(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>) {
        typealias Bits = VectorMath.Bits
        let infinity = Bits(repeating: Double.infinity.bitPattern)
        let magnitude = Bits(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        let nan = Bits(repeating: Double.nan.bitPattern)
        var i = 0
        while i + VectorMath.width <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: Bits.self)
            // All ones where |x| < inf (the subtraction borrows into the sign bit), zero elsewhere.
            let keep = Bits(repeating: 0) &- (((x & magnitude) &- infinity) &>> 63)
            UnsafeMutableRawPointer(d + i).storeBytes(of: (x & keep) | (nan & ~keep), as: Bits.self)
            i += VectorMath.width
        }
        while i < n { d[i] = EvalMath.fin(a[i]); i += 1 }
    }

    /// Runs the program over `count` points; `table[r]` points at register `r`'s block.
    ///
    /// The arithmetic loops are written over `SIMD8<Double>` (see `BlockLoops`): the destination is often one
    /// of the operands (registers are reused), and the auto-vectorizer would then fall back to its scalar loop.
    public static func run(_ program: UnsafeBufferPointer<Instruction>, _ table: UnsafeMutablePointer<UnsafeMutablePointer<Double>>,
                    count n: Int) {
        typealias M = EvalMath
        typealias L = BlockLoops
        for ins in program {
            let d = table[ins.dst]
            let a = UnsafePointer(table[ins.a])
            let b = UnsafePointer(table[ins.b])
            let c = ins.constant
            let s = L.Vector(repeating: c)
            switch ins.op {
            // Operations that keep a non-finite operand non-finite: no checks.
            case .add: L.map(n, d, a, b) { $0 + $1 }
            case .sub: L.map(n, d, a, b) { $0 - $1 }
            case .mul: L.map(n, d, a, b) { $0 * $1 }
            case .addC: L.map(n, d, a) { $0 + s }
            case .cSub: L.map(n, d, a) { s - $0 }
            case .mulC: L.map(n, d, a) { $0 * s }
            case .divC: L.map(n, d, a) { $0 / s }
            case .neg: L.map(n, d, a) { L.negate($0) }
            case .sqrt: L.map(n, d, a) { $0.squareRoot() }
            case .zeroPow: L.map(n, d, a) { $0 - $0 + 1 }                        // M.zeroPower
            // log: the vector kernel where it is faster than glibc's scalar log (x86-64-v3); on a generic x86-64
            // build (SSE2, no FMA) it is not (see VectorMath and bench/README.md). Same values either way.
            case .log:
                #if EVAL_KERNELS_X86V3
                VectorMath.log(count: n, d, a)
                #else
                for i in 0..<n { d[i] = M.log(a[i]) }   // log(inf) = inf, log(-inf) = NaN
                #endif
            // Operations that could absorb an infinite operand: it becomes NaN first (`poison`: fin without a
            // branch).
            case .div: L.map(n, d, a, b) { $0 / L.poison($1) }
            case .cDiv: L.map(n, d, a) { s / L.poison($0) }
            // exp and pow: vector kernels, with the scalar function for the lanes they do not trust (special
            // values, and the few inputs too close to a rounding boundary); same values as the scalar path.
            case .exp: VectorMath.exp(count: n, d, a)
            case .pow: VectorMath.pow(count: n, d, a, b)
            case .powC: VectorMath.pow(count: n, d, a, exponent: c)
            case .cPow: VectorMath.pow(count: n, d, base: c, a)
            case .min: L.map(n, d, a, b) { L.min($0, $1) }
            case .max: L.map(n, d, a, b) { L.max($0, $1) }
            case .minC: L.map(n, d, a) { L.min($0, s) }
            case .maxC: L.map(n, d, a) { L.max($0, s) }
            case .binom: for i in 0..<n { d[i] = M.binom(M.fin(a[i]), M.fin(b[i])) }
            case .minPow: VectorMath.minMaxPow(count: n, d, a, b, UnsafePointer(table[ins.e]), max: false)
            case .maxPow: VectorMath.minMaxPow(count: n, d, a, b, UnsafePointer(table[ins.e]), max: true)
            case .minPowC: VectorMath.minMaxPow(count: n, d, a, b, exponent: c, max: false)
            case .maxPowC: VectorMath.minMaxPow(count: n, d, a, b, exponent: c, max: true)
            case .pair: L.pair(ins, count: n, d, a, b, UnsafePointer(table[ins.e]))
            case .loadParam, .loadConst: break  // never emitted into the program
            }
        }
    }
}
