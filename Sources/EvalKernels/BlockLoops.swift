import Foundation
import EvalCore

/// The elementwise loops of `Kernels.run`, a `SIMD8<Double>` at a time. Each lane computes exactly
/// the IEEE operations of the scalar formula, so the values do not depend on the vector width or position.
enum BlockLoops {
    typealias Vector = VectorMath.Vector
    typealias Bits = VectorMath.Bits
    static var width: Int { VectorMath.width }

    @inline(__always) static func bits(_ x: Vector) -> Bits { VectorMath.bits(x) }
    @inline(__always) static func double(_ u: Bits) -> Vector { VectorMath.double(u) }

    /// fin(x) (x if finite, NaN otherwise) without a branch: x - x is +0 for every finite x, and subtracting +0
    /// leaves every finite x unchanged, -0 included; for ±inf and NaN, x - x is NaN. The NaN may differ from
    /// `.nan` in sign and payload, which no operation looks at (they test for NaN, never its bits); the output
    /// is made `.nan` by `finish`.
    @inline(__always) static func poison(_ x: Vector) -> Vector { x - (x - x) }

    /// -x, by flipping the sign bit (SIMD's prefix `-` is `0 - x`, which gives +0 for x = +0).
    @inline(__always) static func negate(_ x: Vector) -> Vector {
        double(bits(x) ^ Bits(repeating: 0x8000_0000_0000_0000))
    }

    /// EvalMath.min(fin(a), fin(b)), up to the NaN's bits: for finite a and b it is `a < b ? a : b` (x86
    /// `minpd`; b when they are equal, so min(-0, +0) = +0 as in EvalMath.min), made NaN by subtracting
    /// `a - a` and `b - b` when either is not finite. A constant operand is finite or NaN, and a NaN b gives b.
    @inline(__always) static func min(_ a: Vector, _ b: Vector) -> Vector {
        b.replacing(with: a, where: a .< b) - (a - a) - (b - b)
    }

    /// EvalMath.max(fin(a), fin(b)), as `min`.
    @inline(__always) static func max(_ a: Vector, _ b: Vector) -> Vector {
        b.replacing(with: a, where: a .> b) - (a - a) - (b - b)
    }

    /// Loads lanes i..<i+width of `a`; past `n` the lanes are 1.
    @inline(__always)
    static func load(_ a: UnsafePointer<Double>, _ i: Int, _ n: Int) -> Vector { VectorMath.load(a, i, n) }

    /// Stores the lanes of `v` that fall below `n` at d[i...].
    @inline(__always)
    static func store(_ v: Vector, _ d: UnsafeMutablePointer<Double>, _ i: Int, _ n: Int) { VectorMath.store(v, d, i, n) }

    /// d[i] = f(a[i]) for i < n. `d` may be `a` (each vector is loaded before it is stored).
    @inline(__always)
    static func map(_ n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ f: (Vector) -> Vector) {
        var i = 0
        while i + width <= n {
            UnsafeMutableRawPointer(d + i).storeBytes(of: f(UnsafeRawPointer(a + i).loadUnaligned(as: Vector.self)),
                                                      as: Vector.self)
            i += width
        }
        if i < n { store(f(load(a, i, n)), d, i, n) }
    }

    /// d[i] = f(a[i], b[i], e[i]) for i < n, loading b and e only if `loadB`, `loadE` (else their lanes are 0).
    /// `d` may be any operand.
    @inline(__always)
    static func map(_ n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                    _ e: UnsafePointer<Double>, loadB: Bool, loadE: Bool, _ f: (Vector, Vector, Vector) -> Vector) {
        var i = 0
        let zero = Vector(repeating: 0)
        while i + width <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: Vector.self)
            let y = loadB ? UnsafeRawPointer(b + i).loadUnaligned(as: Vector.self) : zero
            let z = loadE ? UnsafeRawPointer(e + i).loadUnaligned(as: Vector.self) : zero
            UnsafeMutableRawPointer(d + i).storeBytes(of: f(x, y, z), as: Vector.self)
            i += width
        }
        if i < n { store(f(load(a, i, n), loadB ? load(b, i, n) : zero, loadE ? load(e, i, n) : zero), d, i, n) }
    }

    /// d[i] = f(a[i], b[i]) for i < n. `d` may be `a` or `b`.
    @inline(__always)
    static func map(_ n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                    _ f: (Vector, Vector) -> Vector) {
        var i = 0
        while i + width <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: Vector.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(d + i).storeBytes(of: f(x, y), as: Vector.self)
            i += width
        }
        if i < n { store(f(load(a, i, n), load(b, i, n)), d, i, n) }
    }
}

// MARK: - Pairs

/// The first operation of a pair: a op b, or with the constant c (splat).
protocol PairFirst { static var usesB: Bool { get }; static func apply(_ a: BlockLoops.Vector, _ b: BlockLoops.Vector, _ c: BlockLoops.Vector) -> BlockLoops.Vector }
/// The second operation of a pair: t with e, or with the constant c (splat).
protocol PairStep { static var usesE: Bool { get }; static func apply(_ t: BlockLoops.Vector, _ e: BlockLoops.Vector, _ c: BlockLoops.Vector) -> BlockLoops.Vector }

extension BlockLoops {
    typealias V = Vector
    // The operations, as in `Kernels.run`.
    enum FAdd: PairFirst { static let usesB = true; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a + b } }
    enum FSub: PairFirst { static let usesB = true; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a - b } }
    enum FMul: PairFirst { static let usesB = true; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a * b } }
    enum FDiv: PairFirst { static let usesB = true; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a / poison(b) } }
    enum FAddC: PairFirst { static let usesB = false; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a + c } }
    enum FCSub: PairFirst { static let usesB = false; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { c - a } }
    enum FMulC: PairFirst { static let usesB = false; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a * c } }
    enum FDivC: PairFirst { static let usesB = false; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { a / c } }
    enum FCDiv: PairFirst { static let usesB = false; @inline(__always) static func apply(_ a: V, _ b: V, _ c: V) -> V { c / poison(a) } }

    enum SAdd: PairStep { static let usesE = true; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t + e } }
    enum SSub: PairStep { static let usesE = true; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t - e } }
    enum SRSub: PairStep { static let usesE = true; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { e - t } }
    enum SMul: PairStep { static let usesE = true; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t * e } }
    enum SDiv: PairStep { static let usesE = true; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t / poison(e) } }
    enum SRDiv: PairStep { static let usesE = true; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { e / poison(t) } }
    enum SAddC: PairStep { static let usesE = false; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t + c } }
    enum SCSub: PairStep { static let usesE = false; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { c - t } }
    enum SMulC: PairStep { static let usesE = false; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t * c } }
    enum SDivC: PairStep { static let usesE = false; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { t / c } }
    enum SCDiv: PairStep { static let usesE = false; @inline(__always) static func apply(_ t: V, _ e: V, _ c: V) -> V { c / poison(t) } }

    /// d = step(first(a, b), e) over the block: one loop specialized for each combination.
    @inline(never)
    static func pair(_ ins: Instruction, count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>,
                     _ b: UnsafePointer<Double>, _ e: UnsafePointer<Double>) {
        switch ins.first {
        case .add: pair(FAdd.self, ins, n, d, a, b, e)
        case .sub: pair(FSub.self, ins, n, d, a, b, e)
        case .mul: pair(FMul.self, ins, n, d, a, b, e)
        case .div: pair(FDiv.self, ins, n, d, a, b, e)
        case .addC: pair(FAddC.self, ins, n, d, a, b, e)
        case .cSub: pair(FCSub.self, ins, n, d, a, b, e)
        case .mulC: pair(FMulC.self, ins, n, d, a, b, e)
        case .divC: pair(FDivC.self, ins, n, d, a, b, e)
        case .cDiv: pair(FCDiv.self, ins, n, d, a, b, e)
        default: preconditionFailure("not the first operation of a pair: \(ins.first)")
        }
    }

    @inline(__always)
    static func pair<F: PairFirst>(_ f: F.Type, _ ins: Instruction, _ n: Int, _ d: UnsafeMutablePointer<Double>,
                                   _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ e: UnsafePointer<Double>) {
        switch ins.step {
        case .add: pair(F.self, SAdd.self, ins, n, d, a, b, e)
        case .sub: pair(F.self, SSub.self, ins, n, d, a, b, e)
        case .rsub: pair(F.self, SRSub.self, ins, n, d, a, b, e)
        case .mul: pair(F.self, SMul.self, ins, n, d, a, b, e)
        case .div: pair(F.self, SDiv.self, ins, n, d, a, b, e)
        case .rdiv: pair(F.self, SRDiv.self, ins, n, d, a, b, e)
        case .addC: pair(F.self, SAddC.self, ins, n, d, a, b, e)
        case .cSub: pair(F.self, SCSub.self, ins, n, d, a, b, e)
        case .mulC: pair(F.self, SMulC.self, ins, n, d, a, b, e)
        case .divC: pair(F.self, SDivC.self, ins, n, d, a, b, e)
        case .cDiv: pair(F.self, SCDiv.self, ins, n, d, a, b, e)
        }
    }

    @inline(__always)
    static func pair<F: PairFirst, S: PairStep>(_ f: F.Type, _ s: S.Type, _ ins: Instruction, _ n: Int,
                                                _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>,
                                                _ b: UnsafePointer<Double>, _ e: UnsafePointer<Double>) {
        let c1 = V(repeating: ins.constant), c2 = V(repeating: ins.constant2)
        map(n, d, a, b, e, loadB: F.usesB, loadE: S.usesE) { x, y, z in S.apply(F.apply(x, y, c1), z, c2) }
    }
}
