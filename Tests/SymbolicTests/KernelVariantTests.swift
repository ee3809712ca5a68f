import XCTest
import SeededRandom
@testable import Symbolic
import EvalCore
@testable import EvalKernels
@testable import EvalKernelsX86v3

/// The x86-64-v3 build of the evaluation kernels (module EvalKernelsX86v3, the same source files as EvalKernels
/// compiled with AVX2 and FMA enabled) against the generic build, bit for bit, on inputs that take every path of
/// the vector kernels: ordinary lanes, lanes near rounding boundaries handed to glibc, and special values.
/// (CompiledKernelTests runs every compiled program with each available build as well.)
final class KernelVariantTests: XCTestCase {
    typealias Generic = EvalKernels.VectorMath
    typealias X86v3 = EvalKernelsX86v3.VectorMath

    func requireX86v3() throws {
        try XCTSkipUnless(EvaluationKernels.x86v3.isSupported, "this processor cannot run the x86-64-v3 build")
    }

    /// Values across the whole double range (log-uniform magnitudes, both signs), with specials mixed in.
    static func inputs(_ rng: inout KernelRandom, count: Int, exponentRange: ClosedRange<Double>,
                       negativeShare: UInt64 = 8) -> [Double] {
        (0..<count).map { _ in
            if rng.next() % 16 == 0 { return CompiledKernelTests.specials[Int(rng.next() % UInt64(CompiledKernelTests.specials.count))] }
            let x = Foundation.exp(rng.uniform(exponentRange.lowerBound, exponentRange.upperBound))
            return rng.next() % negativeShare == 0 ? -x : x
        }
    }

    /// The bit patterns of `kernel` applied by each build; the first index that differs, if any.
    static func firstDifference(_ count: Int, _ generic: (UnsafeMutablePointer<Double>) -> Void,
                                _ x86v3: (UnsafeMutablePointer<Double>) -> Void) -> Int? {
        var a = [Double](repeating: 0, count: count), b = a
        a.withUnsafeMutableBufferPointer { generic($0.baseAddress!) }
        b.withUnsafeMutableBufferPointer { x86v3($0.baseAddress!) }
        return (0..<count).first { a[$0].bitPattern != b[$0].bitPattern }
    }

    func testLogExpPowAgree() throws {
        try requireX86v3()
        var rng = KernelRandom(seed: 41)
        let n = 20_000
        let wide = Self.inputs(&rng, count: n, exponentRange: -745...709)
        let near1 = (0..<n).map { _ in 1 + rng.uniform(-1e-3, 1e-3) }   // log's hardest region
        let exps = Self.inputs(&rng, count: n, exponentRange: -8...6.6)   // |x| up to ~735: both sides of 708
        let bases = Self.inputs(&rng, count: n, exponentRange: -50...50)
        let powers = Self.inputs(&rng, count: n, exponentRange: -6...4, negativeShare: 2)
        for xs in [wide, near1] {
            let d = Self.firstDifference(n, { Generic.log(count: n, $0, xs) }, { X86v3.log(count: n, $0, xs) })
            XCTAssertNil(d, "log(\(d.map { xs[$0] } ?? 0))")
        }
        let e = Self.firstDifference(n, { Generic.exp(count: n, $0, exps) }, { X86v3.exp(count: n, $0, exps) })
        XCTAssertNil(e, "exp(\(e.map { exps[$0] } ?? 0))")
        let p = Self.firstDifference(n, { Generic.pow(count: n, $0, bases, powers) }, { X86v3.pow(count: n, $0, bases, powers) })
        XCTAssertNil(p, "pow(\(p.map { bases[$0] } ?? 0), \(p.map { powers[$0] } ?? 0))")
        for c in [-2.5, 0.5, 1.0 / 3, 7.25] {
            let pc = Self.firstDifference(n, { Generic.pow(count: n, $0, bases, exponent: c) },
                                          { X86v3.pow(count: n, $0, bases, exponent: c) })
            XCTAssertNil(pc, "pow(\(pc.map { bases[$0] } ?? 0), \(c))")
            let cp = Self.firstDifference(n, { Generic.pow(count: n, $0, base: c.magnitude, powers) },
                                          { X86v3.pow(count: n, $0, base: c.magnitude, powers) })
            XCTAssertNil(cp, "pow(\(c.magnitude), \(cp.map { powers[$0] } ?? 0))")
        }
    }

    func testFusedMinMaxPowAgree() throws {
        try requireX86v3()
        var rng = KernelRandom(seed: 42)
        let n = 20_000
        let xs = Self.inputs(&rng, count: n, exponentRange: -30...30)
        // Every third y close to its x, so that many vectors fail the gap test and take the unfused path.
        let ys = (0..<n).map { i in i % 3 == 0 ? xs[i] * (1 + rng.uniform(-1e-15, 1e-15)) : Foundation.exp(rng.uniform(-30, 30)) }
        let ps = Self.inputs(&rng, count: n, exponentRange: -6...3, negativeShare: 2)
        for isMax in [false, true] {
            let d = Self.firstDifference(n, { Generic.minMaxPow(count: n, $0, xs, ys, ps, max: isMax) },
                                         { X86v3.minMaxPow(count: n, $0, xs, ys, ps, max: isMax) })
            XCTAssertNil(d, "\(isMax ? "max" : "min")Pow at \(d.map { (xs[$0], ys[$0], ps[$0]) } ?? (0, 0, 0))")
            let c = Self.firstDifference(n, { Generic.minMaxPow(count: n, $0, xs, ys, exponent: -0.75, max: isMax) },
                                         { X86v3.minMaxPow(count: n, $0, xs, ys, exponent: -0.75, max: isMax) })
            XCTAssertNil(c, "\(isMax ? "max" : "min")PowC at \(c.map { (xs[$0], ys[$0]) } ?? (0, 0))")
        }
    }

    /// The choice itself: generic is always available, and an explicit build the processor cannot run falls
    /// back to generic instead of trapping.
    func testSelection() throws {
        XCTAssertEqual(EvaluationKernels.available.first, .generic)
        XCTAssertTrue(EvaluationKernels.available.contains(EvaluationKernels.preferred))
        let flags = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\nbugs\t\t: none\n"
        XCTAssertEqual(ProcessorFeatures.cpuinfoFlags(flags), ["fpu", "sse2", "avx", "avx2", "fma"])
        XCTAssertNil(ProcessorFeatures.cpuinfoFlags("processor\t: 0\n"))
        let f = try CompiledFunction(try Parser.parseExpression("x^y + log(x)"), parameters: ["x", "y"])
        for kernels in EvaluationKernels.allCases {
            var out: [Double] = []
            f.evaluate(columns: [[2, 3], [0.5, 2]], into: &out, kernels: kernels)
            XCTAssertEqual(out, [Foundation.pow(2, 0.5) + Foundation.log(2), 9 + Foundation.log(3)])
        }
    }
}
