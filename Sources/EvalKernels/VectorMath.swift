import Foundation
import EvalCore

/// Vectorized `log`, `exp` and `pow` for `CompiledFunction`, several lanes at a time, whose results are the
/// scalar glibc results (`Foundation.log`, `exp`, `pow`) except in extremely rare cases.
///
/// `CompiledFunction` uses `exp`, `pow` and `minMaxPow` (a fused min or max of two powers with one exponent,
/// computed as one power where that gives the same double), and `log` on the x86-64-v3 build. On a generic
/// x86-64 build (SSE2: two lanes per instruction, two-operand instructions, gathers done lane by lane) the vector
/// `log` (also the first half of `pow`) is slower than glibc's scalar `log`, so that build keeps the scalar
/// `log`; see bench/README.md for the measurements.
///
/// How: each kernel computes its result as a pair (a head plus a tail) whose error is far below half an ulp
/// (about 2^-64 relative for log, 2^-60 for exp and pow), so that rounding the pair gives the correctly rounded
/// value. A lane is *trusted* (its `reject` lane is zero) only if
/// - its input is ordinary (`log`: x a positive normal double; `exp`: |x| < 708; `pow`: base a positive
///   normal double, exponent finite, |y·log x| < 708), so that no special case of the scalar function applies
///   and the result is a normal double; and
/// - rounding the pair up and down by its error bound gives the same double (Ziv's rounding test: the true
///   value cannot lie on the other side of a rounding boundary).
/// Every other lane (zeros, negatives, subnormals, infinities, NaN, overflow, underflow, and the 1–5% of inputs
/// whose value lies too close to a rounding boundary) must be computed with the scalar function by the caller.
/// glibc's `log`, `exp` and `pow` are correctly rounded except very near a rounding boundary (their documented
/// bounds are 0.52, 0.51 and 0.52 ulp), so a trusted lane gives the scalar result unless glibc itself misrounds.
///
/// The math, written for this file (IEEE add, subtract, multiply and bit operations only: no FMA, so that the
/// generic and x86-64-v3 builds of this file compute the same doubles, and no division):
/// - log: x = 2^k·m with m in [sqrt(1/2), sqrt(2)); the top 7 fraction bits of m pick one of 128 subintervals
///   and its table entry invc ~ 1/m (13 significant bits) with -log(invc) in two parts. m is split as mh + ml
///   (mh: 21 significant bits), so that r = m·invc - 1 = (mh·invc - 1) + ml·invc is exact in two doubles,
///   |r| < 2^-8, and rh² is exact (rh has at most 25 bits). log x = k·ln2 - log(invc) + log(1+r) with
///   log(1+r) = r - r²/2 + r³·P(r), P the Taylor polynomial to r^8. The large parts are added exactly
///   (Fast2Sum), the rest goes to the tail.
/// - exp: t = (64k + j)·ln2/64 + r (Cody–Waite, ln2/64 in two parts), |r| <= ln2/128, e^t = 2^k · 2^(j/64) ·
///   e^r with 2^(j/64) from a 64-entry table in two parts, e^r - 1 = r + r²·Q(r) (Taylor to r^6), and 2^k
///   applied through the exponent bits.
/// - pow(x, y) = exp(y·log x), with log x and the product carried in two parts (heads of 26 and 27 bits, so
///   that their product is exact).
/// The tables are computed with high-precision arithmetic (-log(invc) and 2^(j/64) rounded to doubles).
enum VectorMath {
    typealias Vector = SIMD8<Double>
    typealias Bits = SIMD8<UInt64>

    static var width: Int { Vector.scalarCount }

    // MARK: Bit helpers

    @inline(__always) static func bits(_ x: Vector) -> Bits { unsafeBitCast(x, to: Bits.self) }
    @inline(__always) static func double(_ u: Bits) -> Vector { unsafeBitCast(u, to: Vector.self) }
    @inline(__always) static func splat(_ x: Double) -> Vector { Vector(repeating: x) }
    @inline(__always) static func splat(_ x: UInt64) -> Bits { Bits(repeating: x) }
    /// Keeps the leading 21, 26 or 27 significant bits (clears the rest of the fraction).
    @inline(__always) static func head21(_ x: Vector) -> Vector { double(bits(x) & splat(0xFFFF_FFFF_0000_0000 as UInt64)) }
    @inline(__always) static func head26(_ x: Vector) -> Vector { double(bits(x) & splat(0xFFFF_FFFF_F800_0000 as UInt64)) }
    @inline(__always) static func head27(_ x: Vector) -> Vector { double(bits(x) & splat(0xFFFF_FFFF_FC00_0000 as UInt64)) }
    @inline(__always) static func abs(_ x: Vector) -> Vector { double(bits(x) & splat(0x7FFF_FFFF_FFFF_FFFF as UInt64)) }

    /// Whether every lane of `reject` is zero (an OR of halves; SIMDMask and its `all` cost far more on SSE2).
    @inline(__always)
    static func noneRejected(_ reject: Bits) -> Bool {
        let quarter = reject.lowHalf | reject.highHalf
        let pair = quarter.lowHalf | quarter.highHalf
        return (pair[0] | pair[1]) == 0
    }

    /// The top 12 bits of `u` (sign and biased exponent) minus 1023, as a double: 2^52 + those bits, read as a
    /// double, has them in its low fraction bits.
    @inline(__always)
    static func exponentValue(_ u: Bits) -> Vector {
        double((u &>> 52) | splat(0x4330_0000_0000_0000 as UInt64)) - splat(0x1.00000000003ffp52)
    }

    /// Nonzero in the lanes where x is not a positive normal double (zero, subnormal, negative, inf, NaN):
    /// there the biased exponent e (with the sign bit above it) is outside 1...2046.
    @inline(__always)
    static func notPositiveNormal(_ x: Vector) -> Bits {
        let e = bits(x) &>> 52
        return ((e &- splat(1 as UInt64)) | (e &+ splat(1 as UInt64))) &>> 11
    }

    /// Nonzero in the lanes where |x| >= limit (or x is NaN); `limit` positive.
    @inline(__always)
    static func notBelow(_ x: Vector, _ limit: Double) -> Bits {
        (bits(abs(x)) &+ splat((1 as UInt64) << 63 &- limit.bitPattern)) &>> 63
    }

    /// `table[index[i] + offset]` for each lane (the index is already scaled by the entry size).
    @inline(__always)
    static func gather(_ table: UnsafePointer<Double>, _ index: Bits, _ offset: Int) -> Vector {
        var v = Vector()
        for i in 0..<Vector.scalarCount { v[i] = table[Int(truncatingIfNeeded: index[i]) &+ offset] }
        return v
    }

    // MARK: Constants

    /// ln 2 = ln2Hi + ln2Lo; ln2Hi has 42 significant bits, so k·ln2Hi is exact for |k| < 2^11.
    static let ln2Hi = 0x1.62e42fefa3800p-1
    static let ln2Lo = 0x1.ef35793c76730p-45
    /// ln2/64 = ln2By64Hi + ln2By64Lo; the head has 36 significant bits (k·head exact for |k| < 2^17).
    static let ln2By64Hi = 0x1.62e42fefa0000p-7
    static let ln2By64Lo = 0x1.cf79abc9e3b3ap-46
    static let invLn2By64 = 0x1.71547652b82fep+6
    /// 1.5·2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer.
    static let roundingMagic = 0x1.8p52
    /// Inputs and exponents y·log x at or beyond this magnitude take the scalar path (the result stays normal).
    static let expLimit = 708.0

    // MARK: log

    /// 128 entries of (invc, -log(invc) head (a multiple of 2^-42), -log(invc) tail, 0). Entry i covers the
    /// m in [sqrt(1/2), sqrt(2)) whose bits minus those of sqrt(1/2) have top 7 fraction bits i.
    static let logTable: UnsafePointer<Double> = table([
        0x1.6910000000000p+0, -0x1.6020689b1c000p-2, -0x1.d347838cc10bbp-44, 0,
        0x1.6710000000000p+0, -0x1.5a704d5748000p-2, 0x1.87c1a22e905d2p-44, 0,
        0x1.6520000000000p+0, -0x1.54e5f19e5c000p-2, 0x1.0e00629cd84fep-45, 0,
        0x1.6330000000000p+0, -0x1.4f53de9d25000p-2, 0x1.39fd65665a680p-44, 0,
        0x1.6140000000000p+0, -0x1.49b9feb7c1000p-2, -0x1.dac1c58ab60d7p-44, 0,
        0x1.5f60000000000p+0, -0x1.4446dddb97000p-2, -0x1.d79e34224b4e7p-44, 0,
        0x1.5d80000000000p+0, -0x1.3ecc460ef6000p-2, 0x1.6028627c1300fp-47, 0,
        0x1.5ba0000000000p+0, -0x1.394a22c2c7000p-2, 0x1.d44690e981d06p-44, 0,
        0x1.59d0000000000p+0, -0x1.33efc101dc000p-2, 0x1.07ffd6637ea32p-44, 0,
        0x1.5800000000000p+0, -0x1.2e8e2bae12000p-2, 0x1.67b1e99b72bd8p-45, 0,
        0x1.5630000000000p+0, -0x1.29254f4ce0000p-2, -0x1.6ef9cd6959673p-44, 0,
        0x1.5470000000000p+0, -0x1.23e5398b93000p-2, -0x1.d074ccc4002f3p-46, 0,
        0x1.52a0000000000p+0, -0x1.1e6dd5557e000p-2, -0x1.eb09e3695e5fdp-44, 0,
        0x1.50f0000000000p+0, -0x1.195033b440000p-2, 0x1.59a399987c26cp-44, 0,
        0x1.4f30000000000p+0, -0x1.13fb1e95b9000p-2, -0x1.3312109ff04cdp-44, 0,
        0x1.4d80000000000p+0, -0x1.0ed005f658000p-2, 0x1.2dc75285aa803p-45, 0,
        0x1.4bd0000000000p+0, -0x1.099e371c0c000p-2, 0x1.bf067c9a1364fp-45, 0,
        0x1.4a20000000000p+0, -0x1.0465a08155000p-2, 0x1.905f0ad83878ep-52, 0,
        0x1.4880000000000p+0, -0x1.feb0233e60000p-3, -0x1.f316e32d5e8c7p-45, 0,
        0x1.46d0000000000p+0, -0x1.f423ef9d4c000p-3, 0x1.28454acb003b5p-44, 0,
        0x1.4530000000000p+0, -0x1.e9ee8824ac000p-3, -0x1.b5cad451a7416p-44, 0,
        0x1.43a0000000000p+0, -0x1.e0114c5332000p-3, 0x1.a0452642f2ab1p-45, 0,
        0x1.4200000000000p+0, -0x1.d5c216b4fc000p-3, 0x1.1ba91bbca681bp-45, 0,
        0x1.4070000000000p+0, -0x1.cbcbcbf310000p-3, 0x1.0eda17b657c8fp-46, 0,
        0x1.3ee0000000000p+0, -0x1.c1c909e2d8000p-3, 0x1.0bd1010c910fap-45, 0,
        0x1.3d50000000000p+0, -0x1.b7b9b12a34000p-3, 0x1.04f7342727ef7p-44, 0,
        0x1.3bd0000000000p+0, -0x1.ae05669628000p-3, -0x1.04a6c261e6d84p-44, 0,
        0x1.3a50000000000p+0, -0x1.a4454820d2000p-3, 0x1.818c4e19fd59dp-45, 0,
        0x1.38d0000000000p+0, -0x1.9a7938d20a000p-3, 0x1.ae29c8a9cad23p-45, 0,
        0x1.3750000000000p+0, -0x1.90a11b46ba000p-3, 0x1.2a7fbfb22aae9p-45, 0,
        0x1.35d0000000000p+0, -0x1.86bcd1aec8000p-3, -0x1.fc05fc963a154p-44, 0,
        0x1.3460000000000p+0, -0x1.7d36832b90000p-3, 0x1.e3a5d33dd3948p-44, 0,
        0x1.32f0000000000p+0, -0x1.73a4d01722000p-3, -0x1.cb735fe0d962dp-44, 0,
        0x1.3180000000000p+0, -0x1.6a079d0f7a000p-3, -0x1.5a3f8448d14f5p-44, 0,
        0x1.3010000000000p+0, -0x1.605ece4f5c000p-3, -0x1.c5828614112bap-47, 0,
        0x1.2eb0000000000p+0, -0x1.57168c4b00000p-3, 0x1.e344b9edbf6bap-44, 0,
        0x1.2d50000000000p+0, -0x1.4dc378969c000p-3, 0x1.c7d9499121b9ep-44, 0,
        0x1.2bf0000000000p+0, -0x1.446579dc22000p-3, -0x1.eec7ab57b84cbp-46, 0,
        0x1.2a90000000000p+0, -0x1.3afc766c1e000p-3, -0x1.07ed40b96054ap-46, 0,
        0x1.2930000000000p+0, -0x1.3188543c0a000p-3, 0x1.d7b571ffd764cp-45, 0,
        0x1.27e0000000000p+0, -0x1.2877bbc0b6000p-3, -0x1.74be8dfa16db8p-44, 0,
        0x1.2680000000000p+0, -0x1.1eed90e2dc000p-3, -0x1.615637097648fp-46, 0,
        0x1.2530000000000p+0, -0x1.15c7befd42000p-3, -0x1.bcd8e4de7489ap-44, 0,
        0x1.23e0000000000p+0, -0x1.0c976b47be000p-3, 0x1.d20254dcd2c22p-45, 0,
        0x1.22a0000000000p+0, -0x1.03cd40a51a000p-3, -0x1.81a979c146707p-44, 0,
        0x1.2150000000000p+0, -0x1.f510466fd8000p-4, -0x1.7edcad73afef5p-49, 0,
        0x1.2010000000000p+0, -0x1.e353fec9a4000p-4, 0x1.967061111e4c3p-44, 0,
        0x1.1ed0000000000p+0, -0x1.d183f87ea8000p-4, 0x1.9075cabddfdafp-45, 0,
        0x1.1d90000000000p+0, -0x1.bfa007672c000p-4, 0x1.5dd5d1688744dp-44, 0,
        0x1.1c50000000000p+0, -0x1.ada7fec6ac000p-4, -0x1.002406975f137p-45, 0,
        0x1.1b10000000000p+0, -0x1.9b9bb14948000p-4, -0x1.166c649a10c40p-44, 0,
        0x1.19e0000000000p+0, -0x1.8a6377a914000p-4, -0x1.c28bb5a46418ap-44, 0,
        0x1.18a0000000000p+0, -0x1.782f1f39bc000p-4, 0x1.0d5f31f4f972cp-44, 0,
        0x1.1770000000000p+0, -0x1.66d0869f48000p-4, -0x1.5b92fb37e268ep-44, 0,
        0x1.1640000000000p+0, -0x1.555efe40b4000p-4, -0x1.0b4978c868e23p-44, 0,
        0x1.1510000000000p+0, -0x1.43da5ca684000p-4, 0x1.adf2235864b69p-44, 0,
        0x1.13f0000000000p+0, -0x1.332fff7bd0000p-4, -0x1.f18282a4f49d9p-44, 0,
        0x1.12c0000000000p+0, -0x1.2185b3b75c000p-4, 0x1.e3189f8f32304p-44, 0,
        0x1.11a0000000000p+0, -0x1.10b75afd68000p-4, 0x1.f39e8ccf1a6e1p-44, 0,
        0x1.1080000000000p+0, -0x1.ffae9119b8000p-5, -0x1.303374262c554p-45, 0,
        0x1.0f60000000000p+0, -0x1.ddcaadb470000p-5, 0x1.0e4f7b2a48432p-45, 0,
        0x1.0e40000000000p+0, -0x1.bbc2bfc450000p-5, 0x1.7d18691417dafp-46, 0,
        0x1.0d20000000000p+0, -0x1.99967a4f28000p-5, -0x1.8e432ed72ea8ap-44, 0,
        0x1.0c00000000000p+0, -0x1.77458f6330000p-5, 0x1.181dce586af09p-44, 0,
        0x1.0af0000000000p+0, -0x1.56bac43ed8000p-5, 0x1.98572080b9238p-51, 0,
        0x1.09e0000000000p+0, -0x1.360ebf5d80000p-5, -0x1.bb2b2503a5a59p-44, 0,
        0x1.08c0000000000p+0, -0x1.1352378598000p-5, 0x1.c1ac3b71fa59bp-46, 0,
        0x1.07b0000000000p+0, -0x1.e4c1e6d930000p-6, 0x1.8948478bd524ep-44, 0,
        0x1.06a0000000000p+0, -0x1.a29b453fd0000p-6, 0x1.24488f73b23adp-44, 0,
        0x1.05a0000000000p+0, -0x1.641a176270000p-6, -0x1.adec6522ee537p-47, 0,
        0x1.0490000000000p+0, -0x1.216daf6d90000p-6, -0x1.90ccf06b60fd4p-45, 0,
        0x1.0380000000000p+0, -0x1.bcf712c740000p-7, -0x1.c25e097bd9771p-46, 0,
        0x1.0280000000000p+0, -0x1.3e7295d260000p-7, 0x1.609c1ff29a114p-45, 0,
        0x1.0180000000000p+0, -0x1.7ee11ebd80000p-8, -0x1.749d3c2d23a07p-47, 0,
        0x1.0000000000000p+0, 0x0.0p+0, 0x0.0p+0, 0,
        0x1.fdf0000000000p-1, 0x1.08887dde80000p-8, 0x1.deec25051ad3ep-44, 0,
        0x1.fa00000000000p-1, 0x1.82448a3880000p-7, 0x1.4554412c584e0p-44, 0,
        0x1.f620000000000p-1, 0x1.3f164da3c0000p-6, 0x1.f898a87a8619dp-47, 0,
        0x1.f250000000000p-1, 0x1.bbf60a4b70000p-6, -0x1.6d99771c785b6p-44, 0,
        0x1.ee90000000000p-1, 0x1.1bdc9b2fd0000p-5, -0x1.9041ed3440112p-44, 0,
        0x1.ead0000000000p-1, 0x1.5a36c4cd68000p-5, -0x1.d8dd8bc3e3858p-44, 0,
        0x1.e730000000000p-1, 0x1.96f1364ef0000p-5, 0x1.c7d2401f53749p-44, 0,
        0x1.e390000000000p-1, 0x1.d41fc3b458000p-5, -0x1.aa42fec261389p-45, 0,
        0x1.e010000000000p-1, 0x1.07d10517d8000p-4, 0x1.ea832d9a274c3p-45, 0,
        0x1.dc90000000000p-1, 0x1.25c9e54820000p-4, 0x1.8a27ae578e08dp-45, 0,
        0x1.d920000000000p-1, 0x1.4370ce02b8000p-4, -0x1.0c1308315b2d0p-47, 0,
        0x1.d5c0000000000p-1, 0x1.60c38ba798000p-4, 0x1.45cb10ebb04a5p-44, 0,
        0x1.d260000000000p-1, 0x1.7e4c6a2a90000p-4, 0x1.a600517a6b553p-50, 0,
        0x1.cf10000000000p-1, 0x1.9b7ea963a0000p-4, -0x1.0eded3ed128c6p-45, 0,
        0x1.cbd0000000000p-1, 0x1.b85807c95c000p-4, -0x1.1cae51c5bd944p-46, 0,
        0x1.c8a0000000000p-1, 0x1.d4d640b9ac000p-4, -0x1.f05a5ecabd94fp-44, 0,
        0x1.c580000000000p-1, 0x1.f0f70cdd98000p-4, 0x1.2e31f6c272c1ep-44, 0,
        0x1.c260000000000p-1, 0x1.06a4d1d26c000p-3, 0x1.7964dd105c4b2p-45, 0,
        0x1.bf50000000000p-1, 0x1.149e189f86000p-3, 0x1.0bea3c7aa22acp-45, 0,
        0x1.bc40000000000p-1, 0x1.22aff2ddbe000p-3, -0x1.a3c2a6b069620p-45, 0,
        0x1.b940000000000p-1, 0x1.3090733ce4000p-3, -0x1.819b90764f584p-45, 0,
        0x1.b650000000000p-1, 0x1.3e3e6c2124000p-3, -0x1.659423f941f33p-44, 0,
        0x1.b360000000000p-1, 0x1.4c03f17fbc000p-3, -0x1.629317ca16c80p-45, 0,
        0x1.b080000000000p-1, 0x1.59958ff1d6000p-3, -0x1.a1d059769ca05p-44, 0,
        0x1.adb0000000000p-1, 0x1.66f21552ea000p-3, 0x1.2dc02371990cbp-44, 0,
        0x1.aae0000000000p-1, 0x1.7465111cf4000p-3, 0x1.90586207843f9p-46, 0,
        0x1.a820000000000p-1, 0x1.81a18b4220000p-3, 0x1.4d345155726adp-45, 0,
        0x1.a560000000000p-1, 0x1.8ef4103abe000p-3, -0x1.3f91da0a84e34p-45, 0,
        0x1.a2b0000000000p-1, 0x1.9c0ea4f058000p-3, 0x1.7015d18d88bcfp-46, 0,
        0x1.a010000000000p-1, 0x1.a8f010601e000p-3, 0x1.7f180858afa0ap-45, 0,
        0x1.9d70000000000p-1, 0x1.b5e65a8096000p-3, 0x1.9101787a2a405p-44, 0,
        0x1.9ad0000000000p-1, 0x1.c2f1c7613a000p-3, 0x1.d78d3d5b2e8fcp-51, 0,
        0x1.9840000000000p-1, 0x1.cfc25714be000p-3, -0x1.810b32c7f1bbep-46, 0,
        0x1.95c0000000000p-1, 0x1.dc56cae452000p-3, 0x1.eb37aa24e1817p-44, 0,
        0x1.9340000000000p-1, 0x1.e8ff2622ba000p-3, 0x1.78e13d33981e5p-44, 0,
        0x1.90d0000000000p-1, 0x1.f569e58c92000p-3, -0x1.f16c5ab5d4261p-44, 0,
        0x1.8e60000000000p-1, 0x1.00f40470c7000p-2, 0x1.921a5f3a45f05p-45, 0,
        0x1.8bf0000000000p-1, 0x1.073ce68815000p-2, 0x1.765489f35bc4cp-46, 0,
        0x1.8990000000000p-1, 0x1.0d6615f4ba000p-2, 0x1.e0c8bb302b0aep-44, 0,
        0x1.8730000000000p-1, 0x1.1398d14dc8000p-2, 0x1.0717218d7cb7fp-44, 0,
        0x1.84e0000000000p-1, 0x1.19ab13bc6a000p-2, 0x1.6984abd329784p-44, 0,
        0x1.82a0000000000p-1, 0x1.1f9c39f74c000p-2, 0x1.55d515541d5d7p-44, 0,
        0x1.8050000000000p-1, 0x1.25c0e1f3c6000p-2, 0x1.3742540a75a03p-44, 0,
        0x1.7e10000000000p-1, 0x1.2bc424d93c000p-2, -0x1.e26b365258199p-48, 0,
        0x1.7be0000000000p-1, 0x1.31a55d07a8000p-2, 0x1.642a204b4eee8p-44, 0,
        0x1.79b0000000000p-1, 0x1.378f469438000p-2, -0x1.2d95bdbb535d3p-48, 0,
        0x1.7780000000000p-1, 0x1.3d81fb5947000p-2, -0x1.22c7c2a9d37a4p-45, 0,
        0x1.7560000000000p-1, 0x1.4351b33744000p-2, -0x1.474d03d2d95b8p-46, 0,
        0x1.7340000000000p-1, 0x1.4929e8db4e000p-2, 0x1.b9056556c70dep-44, 0,
        0x1.7130000000000p-1, 0x1.4ede535c79000p-2, 0x1.9084620c98670p-44, 0,
        0x1.6f20000000000p-1, 0x1.549aec5df0000p-2, -0x1.dfa8e9950d499p-44, 0,
        0x1.6d10000000000p-1, 0x1.5a5fcb7958000p-2, -0x1.fc9d4a6c07936p-44, 0,
        0x1.6b10000000000p-1, 0x1.5fffe71f32000p-2, -0x1.64c7abfe23d84p-46, 0
    ])

    /// 64 entries of 2^(j/64) as (head, tail).
    static let expTable: UnsafePointer<Double> = table([
        0x1.0000000000000p+0, 0x0.0p+0,
        0x1.02c9a3e778061p+0, -0x1.19083535b085dp-56,
        0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55,
        0x1.0874518759bc8p+0, 0x1.186be4bb284ffp-57,
        0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54,
        0x1.0e3ec32d3d1a2p+0, 0x1.03a1727c57b53p-59,
        0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54,
        0x1.1429aaea92de0p+0, -0x1.32fbf9af1369ep-54,
        0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55,
        0x1.1a35beb6fcb75p+0, 0x1.e5b4c7b4968e4p-55,
        0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54,
        0x1.2063b88628cd6p+0, 0x1.dc775814a8495p-55,
        0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54,
        0x1.26b4565e27cddp+0, 0x1.2bd339940e9d9p-55,
        0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55,
        0x1.2d285a6e4030bp+0, 0x1.0024754db41d5p-54,
        0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55,
        0x1.33c08b26416ffp+0, 0x1.32721843659a6p-54,
        0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54,
        0x1.3a7db34e59ff7p+0, -0x1.5e436d661f5e3p-56,
        0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55,
        0x1.4160a21f72e2ap+0, -0x1.ef3691c309278p-58,
        0x1.44e086061892dp+0, 0x1.89b7a04ef80d0p-59,
        0x1.486a2b5c13cd0p+0, 0x1.3c1a3b69062f0p-56,
        0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56,
        0x1.4f9b2769d2ca7p+0, -0x1.4b309d25957e3p-54,
        0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55,
        0x1.56f4736b527dap+0, 0x1.9bb2c011d93adp-54,
        0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54,
        0x1.5e76f15ad2148p+0, 0x1.ba6f93080e65ep-54,
        0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54,
        0x1.6623882552225p+0, -0x1.bb60987591c34p-54,
        0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54,
        0x1.6dfb23c651a2fp+0, -0x1.bbe3a683c88abp-57,
        0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55,
        0x1.75feb564267c9p+0, -0x1.0245957316dd3p-54,
        0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55,
        0x1.7e2f336cf4e62p+0, 0x1.05d02ba15797ep-56,
        0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54,
        0x1.868d99b4492edp+0, -0x1.fc6f89bd4f6bap-54,
        0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54,
        0x1.8f1ae99157736p+0, 0x1.5cc13a2e3976cp-55,
        0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57,
        0x1.97d829fde4e50p+0, -0x1.d185b7c1b85d1p-54,
        0x1.9c49182a3f090p+0, 0x1.c7c46b071f2bep-56,
        0x1.a0c667b5de565p+0, -0x1.359495d1cd533p-54,
        0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54,
        0x1.a9e6b5579fdbfp+0, 0x1.0fac90ef7fd31p-54,
        0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54,
        0x1.b33a2b84f15fbp+0, -0x1.2805e3084d708p-57,
        0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56,
        0x1.bcc1e904bc1d2p+0, 0x1.23dd07a2d9e84p-55,
        0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55,
        0x1.c67f12e57d14bp+0, 0x1.2884dff483cadp-54,
        0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56,
        0x1.d072d4a07897cp+0, -0x1.cbc3743797a9cp-54,
        0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55,
        0x1.da9e603db3285p+0, 0x1.c2300696db532p-54,
        0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54,
        0x1.e502ee78b3ff6p+0, 0x1.39e8980a9cc8fp-55,
        0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54,
        0x1.efa1bee615a27p+0, 0x1.dc7f486a4b6b0p-54,
        0x1.f50765b6e4540p+0, 0x1.9d3e12dd8a18bp-54,
        0x1.fa7c1819e90d8p+0, 0x1.74853f3a5931ep-55
    ])

    private static func table(_ values: [Double]) -> UnsafePointer<Double> {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return UnsafePointer(p)   // lives for the whole process
    }

    /// log x as hi + lo for positive normal x (other lanes give meaningless values, never a trap), and the
    /// error bound of hi + lo.
    @inline(__always)
    static func logPair(_ x: Vector, _ table: UnsafePointer<Double>) -> (hi: Vector, lo: Vector, bound: Vector) {
        let ix = bits(x)
        // Shifting the bits by those of 1 - sqrt(1/2) puts x = 2^k·m, m in [sqrt(1/2), sqrt(2)), into the
        // exponent field k + 1023; the fraction bits of `shifted` are those of m minus those of sqrt(1/2).
        let shifted = ix &+ splat(0x3FF0_0000_0000_0000 &- 0x3FE6_A09E_667F_3BCD as UInt64)
        let exponentField = shifted & splat(0xFFF0_0000_0000_0000 as UInt64)         // (k + 1023) << 52
        let m = double(ix &- exponentField &+ splat(0x3FF0_0000_0000_0000 as UInt64)) // x / 2^k
        let k = exponentValue(shifted)
        let index = ((shifted &>> 45) & splat(127 as UInt64)) &<< 2
        let invc = gather(table, index, 0)
        let logcHi = gather(table, index, 1)
        let logcLo = gather(table, index, 2)
        // r = m·invc - 1 = rh + rl, both exact: mh·invc has 21 + 13 bits; ml·invc has 32 + 13.
        let mh = head21(m)
        let rh = mh * invc - 1
        let rl = (m - mh) * invc
        let r = rh + rl
        // log(1+r) - r + r²/2 = r³·P(r), P(r) = 1/3 - r/4 + r²/5 - r³/6 + r⁴/7 - r⁵/8.
        var p = splat(-0.125)
        p = p * r + 0x1.2492492492492p-3                   // 1/7
        p = p * r - 0x1.5555555555555p-3                   // 1/6
        p = p * r + 0x1.999999999999ap-3                   // 1/5
        p = p * r - 0.25
        p = p * r + 0x1.5555555555555p-2                   // 1/3
        let r2 = r * r
        let poly = r2 * r * p
        // k·ln2Hi + logcHi is exact (both multiples of 2^-42, magnitude < 2^10); then two Fast2Sums: |t1| >= |rh|
        // unless t1 = 0 (the table keeps |log c| > |r| for c != 1), and |t2| >= rh²/2.
        let t1 = k * ln2Hi + logcHi
        let t2 = t1 + rh
        let e2 = rh - (t2 - t1)
        let d = -0.5 * (rh * rh)                           // exact
        let hi = t2 + d
        let e3 = d - (hi - t2)
        let lo = (e2 + e3) + ((k * ln2Lo + logcLo) + (rl - rl * (rh + 0.5 * rl) + poly))
        return (hi, lo, abs(hi) * logErrorHead + abs(lo) * logErrorTail)
    }

    /// Error bound of `logPair`: logErrorHead·|hi| + logErrorTail·|lo| (the tail carries a few roundings;
    /// the largest error measured is 0.15 of this bound).
    static let logErrorHead = 0x1p-64
    static let logErrorTail = 0x1p-50

    /// Widening of the rounding test of `log` by 2^-58 relative (0.008–0.016 ulp): glibc's `log` misrounds
    /// some values that close to a rounding boundary (about 0.1% of the inputs near 1), and this keeps a
    /// trusted lane equal to it (1 in 2·10^6 differed without; 0 with).
    static let glibcLogMargin = 0x1p-58

    /// Rounds hi + lo; the second result is zero in the lanes where that is the correctly rounded value of a
    /// quantity known to within `bound` of hi + lo (nonzero also when anything is NaN or infinite).
    @inline(__always)
    static func roundChecked(_ hi: Vector, _ lo: Vector, _ bound: Vector) -> (Vector, Bits) {
        let up = hi + (lo + bound)
        let down = hi + (lo - bound)
        return (hi + lo, bits(up - down))
    }

    /// log x; `reject` is nonzero in the lanes to compute with the scalar `log` (see the type's comment).
    @inline(__always)
    static func log(_ x: Vector, table: UnsafePointer<Double> = logTable) -> (value: Vector, reject: Bits) {
        let (hi, lo, bound) = logPair(x, table)
        let (value, unsure) = roundChecked(hi, lo, bound + abs(hi) * glibcLogMargin)
        return (value, unsure | notPositiveNormal(x))
    }

    // MARK: exp

    /// e^(th + tl) for |th| < 708, |tl| <= 2^-20·|th|, as (hi + lo)·scale with scale = 2^k, and the relative
    /// error bound of hi + lo.
    @inline(__always)
    static func expPair(_ th: Vector, _ tl: Vector, _ table: UnsafePointer<Double>)
        -> (hi: Vector, lo: Vector, scale: Vector, bound: Vector) {
        let km = th * invLn2By64 + roundingMagic
        let k = km - roundingMagic                         // round(th·64/ln2) = 64·e + j
        let r = (th - k * ln2By64Hi) + (tl - k * ln2By64Lo)  // th - k·ln2By64Hi is exact (Sterbenz)
        // km's low bits hold k in two's complement: j = k mod 64 and e + 1023 = (k + 64·1023) >> 6.
        let kBits = bits(km)
        let index = (kBits & splat(63 as UInt64)) &<< 1
        let scale = double(((kBits &+ splat(64 * 1023 &- 0x4338_0000_0000_0000 as UInt64)) &>> 6) &<< 52)
        let tHi = gather(table, index, 0)
        let tLo = gather(table, index, 1)
        // e^r - 1 = r + r²·Q(r), Q(r) = 1/2 + r/6 + r²/24 + r³/120 + r⁴/720.
        var q = splat(0x1.6c16c16c16c17p-10)              // 1/720
        q = q * r + 0x1.1111111111111p-7                   // 1/120
        q = q * r + 0x1.5555555555555p-5                   // 1/24
        q = q * r + 0x1.5555555555555p-3                   // 1/6
        q = q * r + 0.5
        let p = r + (r * r) * q
        let lo = tLo + (tHi * p + tLo * p)
        return (tHi, lo, scale, tHi * (abs(p) * expErrorP + expError0))
    }

    /// Relative error bound of `expPair`: expErrorP·|e^r - 1| + expError0 (the largest error measured is
    /// 0.94 of expErrorP·|e^r - 1| + 2^-63; expError0 is widened to 2^-61 because glibc's `exp` misrounds
    /// a few values that close to a rounding boundary: 1 in 2·10^6 differed with 2^-63, 0 with 2^-61).
    static let expErrorP = 0x1p-51
    static let expError0 = 0x1p-61

    /// e^x; `reject` is nonzero in the lanes to compute with the scalar `exp`.
    @inline(__always)
    static func exp(_ x: Vector, table: UnsafePointer<Double> = expTable) -> (value: Vector, reject: Bits) {
        let (hi, lo, scale, bound) = expPair(x, splat(0), table)
        let (value, unsure) = roundChecked(hi, lo, bound)
        return (value * scale, unsure | notBelow(x, expLimit))
    }

    // MARK: pow

    /// x^y; `reject` is nonzero in the lanes to compute with the scalar `pow`.
    @inline(__always)
    static func pow(_ x: Vector, _ y: Vector, logTable: UnsafePointer<Double> = logTable,
                    expTable: UnsafePointer<Double> = expTable, ordinary: Bool = false) -> (value: Vector, reject: Bits) {
        let (l0, l1, lBound) = logPair(x, logTable)
        let lh = head27(l0)
        let ll = (l0 - lh) + l1
        let yh = head26(y)
        let yl = y - yh
        let th = yh * lh                                   // exact
        let tl = yh * ll + yl * (lh + ll)
        let (hi, lo, scale, eBound) = expPair(th, tl, expTable)
        // An absolute error e in t = y·log x is a relative error e in the result.
        let bound = eBound + hi * (abs(y) * lBound + abs(th) * 0x1p-70)
        let (value, unsure) = roundChecked(hi, lo, bound)
        // (`ordinary`: the caller has made sure that x is a positive normal double and y finite.)
        let special = ordinary ? notBelow(th, expLimit) : notPositiveNormal(x) | notBelow(y, .infinity) | notBelow(th, expLimit)
        return (value * scale, unsure | special)
    }
}

// MARK: - Block loops for CompiledFunction

extension VectorMath {
    /// Loads lanes i..<i+width of `a`, padding past `n` with `pad` (by default 1, an ordinary input for every
    /// kernel).
    @inline(__always)
    static func load(_ a: UnsafePointer<Double>, _ i: Int, _ n: Int, pad: Double = 1) -> Vector {
        if i + width <= n { return UnsafeRawPointer(a + i).loadUnaligned(as: Vector.self) }
        var v = splat(pad)
        for j in 0..<(n - i) { v[j] = a[i + j] }
        return v
    }

    /// Stores the lanes of `v` that fall below `n` at d[i...].
    @inline(__always)
    static func store(_ v: Vector, _ d: UnsafeMutablePointer<Double>, _ i: Int, _ n: Int) {
        if i + width <= n {
            UnsafeMutableRawPointer(d + i).storeBytes(of: v, as: Vector.self)
        } else {
            for j in 0..<(n - i) { d[i + j] = v[j] }
        }
    }

    /// d[i] = f(a[i]) for i < n: `kernel` for a whole vector of points (a partial last vector is padded),
    /// `scalar` for each lane the kernel does not trust. Every point gets the same kernel whatever its
    /// position, so a point's value does not depend on the block or on its neighbours. `d` may be `a`.
    @inline(__always)
    static func map(_ n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>,
                    _ kernel: (Vector) -> (value: Vector, reject: Bits), _ scalar: (Double) -> Double) {
        var i = 0
        while i < n {
            let x = load(a, i, n)
            var (v, reject) = kernel(x)
            if !noneRejected(reject) {
                for j in 0..<width where reject[j] != 0 { v[j] = scalar(x[j]) }
            }
            store(v, d, i, n)
            i += width
        }
    }

    /// d[i] = f(a[i], b[i]) for i < n, as `map`. `d` may be `a` or `b`.
    @inline(__always)
    static func map(_ n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                    _ kernel: (Vector, Vector) -> (value: Vector, reject: Bits), _ scalar: (Double, Double) -> Double) {
        var i = 0
        while i < n {
            let x = load(a, i, n)
            let y = load(b, i, n)
            var (v, reject) = kernel(x, y)
            if !noneRejected(reject) {
                for j in 0..<width where reject[j] != 0 { v[j] = scalar(x[j], y[j]) }
            }
            store(v, d, i, n)
            i += width
        }
    }
}

// MARK: - The operations of CompiledFunction

extension VectorMath {
    // One non-inlined function per operation, so that each kernel is compiled (and its registers allocated) in
    // a small function of its own rather than inside the interpreter's switch.

    /// d[i] = EvalMath.log(a[i]) (log(inf) = inf, log(x <= 0) = NaN).
    @inline(never)
    static func log(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>) {
        let table = logTable
        map(n, d, a, { log($0, table: table) }, { EvalMath.log($0) })
    }

    /// d[i] = exp(fin(a[i])).
    @inline(never)
    static func exp(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>) {
        let table = expTable
        map(n, d, a, { exp($0, table: table) }, { Foundation.exp(EvalMath.fin($0)) })
    }

    /// d[i] = EvalMath.pow(fin(a[i]), fin(b[i])).
    @inline(never)
    static func pow(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) {
        let (logs, exps) = (logTable, expTable)
        map(n, d, a, b, { pow($0, $1, logTable: logs, expTable: exps) },
            { EvalMath.pow(EvalMath.fin($0), EvalMath.fin($1)) })
    }

    /// d[i] = EvalMath.pow(fin(a[i]), c).
    @inline(never)
    static func pow(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, exponent c: Double) {
        let (logs, exps) = (logTable, expTable)
        let y = splat(c)
        map(n, d, a, { pow($0, y, logTable: logs, expTable: exps) }, { EvalMath.pow(EvalMath.fin($0), c) })
    }

    /// d[i] = EvalMath.pow(c, fin(a[i])).
    @inline(never)
    static func pow(count n: Int, _ d: UnsafeMutablePointer<Double>, base c: Double, _ a: UnsafePointer<Double>) {
        let (logs, exps) = (logTable, expTable)
        let x = splat(c)
        map(n, d, a, { pow(x, $0, logTable: logs, expTable: exps) }, { EvalMath.pow(c, EvalMath.fin($0)) })
    }
}

// MARK: - Fused min(x^p, y^p), max(x^p, y^p)

extension VectorMath {
    /// The largest |p|·(|e_x| + |e_y| + 1) for the fused path (e: the unbiased binary exponent, so that |log2 x|
    /// <= |e_x| + 1): x^p and y^p then lie in (2^-1000, 2^1000), normal doubles, where neither the kernel nor
    /// glibc has a special case (overflow, underflow).
    static let fusedPowRange = 1000.0
    /// The largest |e_x|, |e_y| for the fused path, which excludes zero, subnormals, negative numbers, inf and
    /// NaN (and the lowest and the top two binades, which do no harm).
    static let fusedPowExponent = 1021.5
    /// The smallest |p|·(max(x, y) - min(x, y)) / max(x, y) for the fused path: a lower bound of
    /// |log(x^p / y^p)|, so that x^p and y^p differ by a factor of at least 1 + 2^-48, more than 16 ulps.
    static let fusedPowGap = 0x1p-48

    /// The fused path's base, min(x, y) or max(x, y), for each lane, and `reject`, nonzero unless every lane
    /// can take the fused path: x and y positive normal (see `fusedPowExponent`), p finite and nonzero, the
    /// powers within `fusedPowRange`, and the bases far enough apart for `fusedPowGap`.
    @inline(__always)
    static func fusedPowBase(_ x: Vector, _ y: Vector, _ p: Vector, max isMax: Bool) -> (base: Vector, reject: Bits) {
        let below = y .< x
        let smaller = x.replacing(with: y, where: below)     // minpd, maxpd
        let larger = y.replacing(with: x, where: below)
        // min(x^p, y^p) is the power of the smaller base for p > 0 and of the larger for p < 0; max the opposite.
        let negative = p .< 0
        let base = isMax ? larger.replacing(with: smaller, where: negative) : smaller.replacing(with: larger, where: negative)
        // |e| from the biased exponent (the top 12 bits, sign included): 1023 for zero and subnormals, 1024 for
        // inf and NaN, >= 1025 for negative numbers.
        let ex = abs(exponentValue(bits(x)))
        let ey = abs(exponentValue(bits(y)))
        let absP = abs(p)
        // Every test below is "this is negative": all sign bits set. A NaN or infinite p makes the range and
        // the gap +NaN or +inf (|p| is positive), so those lanes fail too.
        let exponentX = ex - fusedPowExponent
        let exponentY = ey - fusedPowExponent
        let range = absP * ((ex + ey) + 1) - fusedPowRange
        let gap = larger * fusedPowGap - absP * (larger - smaller)
        let ok = bits(exponentX) & bits(exponentY) & bits(range) & bits(gap)
        return (base, (~ok) &>> 63)
    }

    /// `pow` with the scalar function for the lanes the kernel does not trust: per lane, the value of
    /// `pow(count:)` (a pure function of the lane's x and y).
    @inline(__always)
    static func powLanes(_ x: Vector, _ y: Vector, _ logs: UnsafePointer<Double>, _ exps: UnsafePointer<Double>,
                         ordinary: Bool = false) -> Vector {
        var (v, reject) = pow(x, y, logTable: logs, expTable: exps, ordinary: ordinary)
        if !noneRejected(reject) {
            for j in 0..<width where reject[j] != 0 { v[j] = EvalMath.pow(EvalMath.fin(x[j]), EvalMath.fin(y[j])) }
        }
        return v
    }

    /// EvalMath.min(f(x, p), f(y, p)) (or max), f the lane function of `pow(count:)`, computed as one power:
    /// f(min(x, y), p) for min with p > 0 and for max with p < 0, f(max(x, y), p) otherwise.
    ///
    /// Why this is the same double: x^p is increasing in x for p > 0 and decreasing for p < 0. Each of f's values
    /// is within about half an ulp of x^p (the kernel's trusted lanes are correctly rounded; glibc's pow is
    /// documented within 0.52 ulp), so when the exact powers differ by more than twice f's error (the test
    /// below asks for 16 ulps, so any error below 8 ulps will do) f keeps their order, and the smaller
    /// (larger) of f(x, p), f(y, p) is f at the base that gives the smaller (larger) exact power. `fusedPowBase`
    /// keeps every vector to which that argument does not apply (powers closer than 16 ulps, subnormal or
    /// overflowing powers, special values) on the unfused path: both powers, then EvalMath.min or max, in
    /// the order of the operands. A point's value is the same on both paths. (When x = y, either base gives
    /// the same power; such lanes fail the gap test anyway.)
    @inline(__always)
    static func minMaxPow(_ x: Vector, _ y: Vector, _ p: Vector, max isMax: Bool,
                          _ logs: UnsafePointer<Double>, _ exps: UnsafePointer<Double>) -> Vector {
        let (base, reject) = fusedPowBase(x, y, p, max: isMax)
        if noneRejected(reject) { return powLanes(base, p, logs, exps, ordinary: true) }
        let u = powLanes(x, p, logs, exps)
        let v = powLanes(y, p, logs, exps)
        var r = u
        for j in 0..<width { r[j] = isMax ? EvalMath.max(u[j], v[j]) : EvalMath.min(u[j], v[j]) }
        return r
    }

    /// d[i] = EvalMath.min(EvalMath.pow(fin(a[i]), fin(e[i])), EvalMath.pow(fin(b[i]), fin(e[i]))) (or max), the
    /// powers as `pow(count:)` computes them. `d` may be any operand.
    @inline(never)
    static func minMaxPow(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>,
                          _ b: UnsafePointer<Double>, _ e: UnsafePointer<Double>, max isMax: Bool) {
        let (logs, exps) = (logTable, expTable)
        var i = 0
        while i < n {
            // A partial vector is padded with lanes that take the fused path (bases 1 and 2, exponent 1).
            let x = load(a, i, n, pad: 1), y = load(b, i, n, pad: 2), p = load(e, i, n, pad: 1)
            store(minMaxPow(x, y, p, max: isMax, logs, exps), d, i, n)
            i += width
        }
    }

    /// As `minMaxPow(count:_:_:_:_:max:)` with the constant exponent c.
    @inline(never)
    static func minMaxPow(count n: Int, _ d: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>,
                          _ b: UnsafePointer<Double>, exponent c: Double, max isMax: Bool) {
        let (logs, exps) = (logTable, expTable)
        let p = splat(c)
        var i = 0
        while i < n {
            let x = load(a, i, n, pad: 1), y = load(b, i, n, pad: 2)
            store(minMaxPow(x, y, p, max: isMax, logs, exps), d, i, n)
            i += width
        }
    }
}
