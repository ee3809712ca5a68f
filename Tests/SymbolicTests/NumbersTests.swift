import XCTest
import SeededRandom
@testable import Symbolic

/// Deterministic generator (NumbersTestRNG). The seed is printed in every
/// failure message of a randomized test; set NUMBERS_TEST_SEED to replay.
private typealias NumbersTestRNG = SplitMix64

private let numbersTestSeed: UInt64 = {
    if let s = ProcessInfo.processInfo.environment["NUMBERS_TEST_SEED"], let v = UInt64(s) { return v }
    return 0x5EED_2024_B16_1A7
}()

final class NumbersTests: XCTestCase {
    private var rng = NumbersTestRNG(seed: numbersTestSeed)
    private let two64 = BigInt(2).power(64)

    private func B(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> BigInt {
        guard let v = BigInt(s) else {
            XCTFail("bad BigInt literal \(s)", file: file, line: line)
            return 0
        }
        return v
    }

    private func R(_ n: Int, _ d: Int) -> Rational {
        Rational(numerator: BigInt(n), denominator: BigInt(d))!
    }

    private func L(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> Rational? {
        Rational(literal: s)
    }

    var seedNote: String { "seed=\(numbersTestSeed) (set NUMBERS_TEST_SEED to replay)" }

    override func setUp() {
        super.setUp()
        rng = NumbersTestRNG(seed: numbersTestSeed)
    }

    // MARK: Generators

    /// Ints biased toward interesting sizes and boundaries.
    func randomInt() -> Int {
        switch rng.next() % 8 {
        case 0: return Int.random(in: -10...10, using: &rng)
        case 1: return [Int.min, Int.min + 1, Int.max, Int.max - 1, -1, 0, 1, 1 << 62, -(1 << 62), 1 << 32, -(1 << 31)]
                .randomElement(using: &rng)!
        case 2: return Int.random(in: -1_000_000...1_000_000, using: &rng)
        case 3: return Int.random(in: -(1 << 32)...(1 << 32), using: &rng)
        default: return Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 64)
        }
    }

    /// A limb biased toward the values that stress carries and Algorithm D.
    func randomLimb() -> UInt64 {
        switch rng.next() % 8 {
        case 0: return 0
        case 1: return UInt64.max
        case 2: return 1 << 63
        case 3: return (1 << 63) - 1
        case 4: return 1
        case 5: return UInt64.max - 1
        default: return rng.next()
        }
    }

    func randomLimbs(_ count: Int) -> [UInt64] {
        var m = (0..<count).map { _ in randomLimb() }
        if count > 0 && m[count - 1] == 0 { m[count - 1] = 1 + rng.next() % UInt64.max }
        return m
    }

    func bigFromLimbs(_ m: [UInt64], negative: Bool = false) -> BigInt {
        var v = BigInt(0)
        for limb in m.reversed() {
            v = v * two64 + BigInt(Int(limb >> 32)) * BigInt(1 << 32) + BigInt(Int(limb & 0xFFFF_FFFF))
        }
        return negative ? -v : v
    }

    func randomBig(maxLimbs: Int = 6) -> BigInt {
        if rng.next() % 5 == 0 { return BigInt(randomInt()) }
        let n = 1 + Int(rng.next() % UInt64(maxLimbs))
        return bigFromLimbs(randomLimbs(n), negative: rng.next() & 1 == 0)
    }

    func randomNonzeroBig(maxLimbs: Int = 6) -> BigInt {
        while true {
            let v = randomBig(maxLimbs: maxLimbs)
            if !v.isZero { return v }
        }
    }

    // MARK: BigInt vs Int / Int128

    func testSmallArithmeticAgainstInt128() {
        for _ in 0..<20_000 {
            let a = randomInt(), b = randomInt()
            let ba = BigInt(a), bb = BigInt(b)
            let ctx = "a=\(a) b=\(b) \(seedNote)"
            XCTAssertEqual((ba + bb).description, String(Int128(a) + Int128(b)), ctx)
            XCTAssertEqual((ba - bb).description, String(Int128(a) - Int128(b)), ctx)
            XCTAssertEqual((ba * bb).description, String(Int128(a) * Int128(b)), ctx)
            XCTAssertEqual((-ba).description, String(-Int128(a)), ctx)
            let (s, o) = a.addingReportingOverflow(b)
            XCTAssertEqual((ba + bb).asInt, o ? nil : s, ctx)
            let (p, po) = a.multipliedReportingOverflow(by: b)
            XCTAssertEqual((ba * bb).asInt, po ? nil : p, ctx)
            XCTAssertEqual(ba < bb, a < b, ctx)
            XCTAssertEqual(ba == bb, a == b, ctx)
            XCTAssertEqual(ba.signum, a.signum(), ctx)
            XCTAssertEqual(ba.isEven, a % 2 == 0, ctx)
            XCTAssertEqual(ba.bitWidth, Int.bitWidth - a.magnitude.leadingZeroBitCount, ctx)
            XCTAssertEqual(ba.magnitude.description, String(a.magnitude), ctx)
            XCTAssertEqual(ba.doubleValue, Double(a), ctx)
            if b != 0 {
                let (q, r) = ba.quotientAndRemainder(dividingBy: bb)
                XCTAssertEqual(q.description, String(Int128(a) / Int128(b)), ctx)
                XCTAssertEqual(r.description, String(Int128(a) % Int128(b)), ctx)
            }
            // gcd against a simple Euclid on UInt magnitudes
            var x = a.magnitude, y = b.magnitude
            while y != 0 { (x, y) = (y, x % y) }
            XCTAssertEqual(BigInt.gcd(ba, bb).description, String(x), ctx)
            // mixed: go big and come back; hashes must agree with the small value
            let back = (ba + two64) - two64
            XCTAssertEqual(back, ba, ctx)
            XCTAssertEqual(back.hashValue, ba.hashValue, ctx)
            XCTAssertEqual(back.asInt, a, ctx)
        }
    }

    func testIntMinEdgeCases() {
        let m = BigInt(Int.min)
        XCTAssertEqual(m.asInt, Int.min)
        XCTAssertEqual(m.bitWidth, 64)
        XCTAssertEqual(m.signum, -1)
        XCTAssertTrue(m.isEven)
        XCTAssertEqual((-m).description, "9223372036854775808")
        XCTAssertNil((-m).asInt)
        XCTAssertEqual(-(-m), m)
        XCTAssertEqual((-(-m)).asInt, Int.min)
        XCTAssertEqual(m.magnitude.description, "9223372036854775808")
        XCTAssertEqual((-m).magnitude, -m)
        let (q, r) = m.quotientAndRemainder(dividingBy: -1)
        XCTAssertEqual(q.description, "9223372036854775808")
        XCTAssertEqual(r, 0)
        XCTAssertEqual(m.quotientAndRemainder(dividingBy: m).quotient, 1)
        XCTAssertEqual(m.quotientAndRemainder(dividingBy: 2).quotient.asInt, Int.min / 2)
        XCTAssertEqual(BigInt.gcd(m, 0).description, "9223372036854775808")
        XCTAssertEqual(BigInt.gcd(0, m).description, "9223372036854775808")
        XCTAssertEqual(BigInt.gcd(m, m).description, "9223372036854775808")
        XCTAssertEqual(BigInt.gcd(m, 6), 2)
        XCTAssertEqual(BigInt.gcd(0, 0), 0)
        XCTAssertEqual((m * -1).description, "9223372036854775808")
        XCTAssertEqual((m * m).description, "85070591730234615865843651857942052864")
        XCTAssertEqual((m - 1).description, "-9223372036854775809")
        XCTAssertEqual(m - 1 + 1, m)
        XCTAssertEqual(m.power(2), m * m)
        XCTAssertEqual(m.power(3).description, "-784637716923335095479473677900958302012794430558004314112")
        XCTAssertEqual(m.description, String(Int.min))
        XCTAssertEqual(B(String(Int.min)), m)
        XCTAssertEqual(B("-9223372036854775809") + 1, m)
        XCTAssertEqual(m.doubleValue, -9.223372036854775808e18)
        XCTAssertEqual(BigInt(Int.max) + 1, -m)
        XCTAssertEqual((BigInt(Int.max) + 1).hashValue, (-m).hashValue)

        // Rational
        let rm = Rational(Int.min)
        XCTAssertEqual(rm.numerator, m)
        XCTAssertEqual(rm.denominator, 1)
        XCTAssertEqual(rm.asInt, Int.min)
        XCTAssertEqual(rm.description, String(Int.min))
        XCTAssertEqual((-rm).numerator.description, "9223372036854775808")
        XCTAssertEqual(-(-rm), rm)
        XCTAssertEqual(rm.reciprocal?.description, "-1/9223372036854775808")
        XCTAssertEqual(rm.reciprocal?.reciprocal, rm)
        XCTAssertEqual(Rational(numerator: m, denominator: -1)?.description, "9223372036854775808")
        XCTAssertEqual(Rational(numerator: 1, denominator: m)?.description, "-1/9223372036854775808")
        XCTAssertEqual(Rational(numerator: m, denominator: m), .one)
        XCTAssertEqual(Rational(numerator: 6, denominator: m)?.description, "-3/4611686018427387904")
        XCTAssertEqual(rm.floor, m)
        XCTAssertEqual(rm + 1, Rational(Int.min + 1))
        XCTAssertEqual(Rational(Int.min + 1) - 1, rm)
        XCTAssertEqual((Rational(Int.min + 1) - 1).hashValue, rm.hashValue)
        XCTAssertEqual(Rational(-Int.max) * 2 + Rational(Int.max) * 2, .zero)
        XCTAssertEqual(rm * Rational.minusOne, -rm)
        XCTAssertEqual(rm.dividing(by: rm), .one)
        XCTAssertTrue(rm < Rational(Int.min + 1))
        XCTAssertTrue(Rational(-Int.max) > rm)
        XCTAssertEqual(rm.doubleValue, -9.223372036854775808e18)
        XCTAssertEqual(rm.power(2)?.numerator, m * m)
        XCTAssertEqual(rm.power(-1), rm.reciprocal)
        XCTAssertEqual(R(1, Int.max) + R(1, Int.max), R(2, Int.max))
        XCTAssertEqual(R(Int.max, 2) * 2, Rational(Int.max))
        XCTAssertEqual(R(-Int.max, 3) * R(3, Int.max), .minusOne)
    }

    // MARK: BigInt identities on multi-limb values

    func testBigIdentities() {
        for _ in 0..<3_000 {
            let a = randomBig(maxLimbs: 8)
            let b = randomNonzeroBig(maxLimbs: 5)
            let c = randomBig(maxLimbs: 4)
            let ctx = "a=\(a) b=\(b) \(seedNote)"
            let (q0, r0) = (a * b).quotientAndRemainder(dividingBy: b)
            XCTAssertEqual(q0, a, ctx)
            XCTAssertTrue(r0.isZero, ctx)
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            XCTAssertEqual(q * b + r, a, ctx)
            XCTAssertTrue(r.magnitude < b.magnitude, ctx)
            XCTAssertTrue(r.isZero || r.signum == a.signum, ctx)
            XCTAssertTrue(q.isZero || q.signum == a.signum * b.signum, ctx)
            XCTAssertEqual(a + b - b, a, ctx)
            XCTAssertEqual(a + b, b + a, ctx)
            XCTAssertEqual(a * b, b * a, ctx)
            XCTAssertEqual((a + b) + c, a + (b + c), ctx)
            XCTAssertEqual(a * (b + c), a * b + a * c, ctx)
            XCTAssertEqual(a - a, 0, ctx)
            XCTAssertEqual(-(-a), a, ctx)
            XCTAssertEqual(a.magnitude.signum, a.isZero ? 0 : 1, ctx)
            XCTAssertEqual(BigInt(a.description), a, ctx)
            XCTAssertEqual(B(a.description).hashValue, a.hashValue, ctx)
            XCTAssertEqual(a < b, !(a >= b), ctx)
            XCTAssertEqual(a < b, (a - b).signum < 0, ctx)
            XCTAssertEqual(a.isEven, a.quotientAndRemainder(dividingBy: 2).remainder.isZero, ctx)
            if let ai = a.asInt {
                XCTAssertEqual(a.description, String(ai), ctx)
            } else {
                XCTAssertTrue(a.bitWidth >= 64, ctx)
            }
            // gcd
            let g = BigInt.gcd(a * c, b * c)
            XCTAssertTrue(g.signum >= 0, ctx)
            if !g.isZero {
                XCTAssertTrue((a * c).quotientAndRemainder(dividingBy: g).remainder.isZero, ctx)
                XCTAssertTrue((b * c).quotientAndRemainder(dividingBy: g).remainder.isZero, ctx)
                let ag = (a * c).quotientAndRemainder(dividingBy: g).quotient
                let bg = (b * c).quotientAndRemainder(dividingBy: g).quotient
                XCTAssertEqual(BigInt.gcd(ag, bg), 1, ctx)
                XCTAssertTrue(c.isZero || g.quotientAndRemainder(dividingBy: c).remainder.isZero, ctx)
            }
            XCTAssertEqual(BigInt.gcd(a, b), BigInt.gcd(b, a), ctx)
            XCTAssertEqual(BigInt.gcd(a, 0), a.magnitude, ctx)
        }
    }

    func testGCDAgainstEuclid() {
        func euclid(_ a: BigInt, _ b: BigInt) -> BigInt {
            var (x, y) = (a.magnitude, b.magnitude)
            while !y.isZero { (x, y) = (y, x.quotientAndRemainder(dividingBy: y).remainder) }
            return x
        }
        for _ in 0..<3_000 {
            let c = randomBig(maxLimbs: 2) * BigInt(2).power(Int.random(in: 0...130, using: &rng))
            let a = randomBig(maxLimbs: 7) * c
            let b = randomBig(maxLimbs: 3) * c
            XCTAssertEqual(BigInt.gcd(a, b), euclid(a, b), "a=\(a) b=\(b) \(seedNote)")
            XCTAssertEqual(BigInt.gcd(b, a), euclid(a, b), "a=\(a) b=\(b) \(seedNote)")
        }
        let f1 = BigInt(2).power(200) * BigInt(3).power(50)
        let f2 = BigInt(2).power(130) * BigInt(3).power(80) * 5
        XCTAssertEqual(BigInt.gcd(f1, -f2), BigInt(2).power(130) * BigInt(3).power(50))
        XCTAssertEqual(BigInt.gcd(-f1, 0), f1)
        XCTAssertEqual(BigInt.gcd(f1, 1), 1)
        XCTAssertEqual(BigInt.gcd(f1, f1), f1)
    }

    func testBitWidthAndPowersOfTwo() {
        var p = BigInt(1)
        for k in 0..<300 {
            XCTAssertEqual(p.bitWidth, k + 1)
            XCTAssertEqual(BigInt(2).power(k), p)
            XCTAssertEqual(BigInt(-2).power(k), k % 2 == 0 ? p : -p)
            XCTAssertEqual((p - 1).bitWidth, k)
            XCTAssertEqual(p.shiftedLeft(3), p * 8)
            XCTAssertEqual(p.shiftedRight(1), k == 0 ? 0 : p.quotientAndRemainder(dividingBy: 2).quotient)
            p = p * 2
        }
        XCTAssertEqual(BigInt(0).bitWidth, 0)
        XCTAssertEqual(B("-18446744073709551616").bitWidth, 65)
    }

    func testPowerAgainstRepeatedMultiplication() {
        for _ in 0..<300 {
            let a = rng.next() % 3 == 0 ? randomBig(maxLimbs: 3) : BigInt(Int.random(in: -50...50, using: &rng))
            let e = Int.random(in: 0...25, using: &rng)
            var expected = BigInt(1)
            for _ in 0..<e { expected = expected * a }
            XCTAssertEqual(a.power(e), expected, "a=\(a) e=\(e) \(seedNote)")
        }
        XCTAssertEqual(BigInt(0).power(0), 1)
        XCTAssertEqual(BigInt(0).power(5), 0)
        XCTAssertEqual(BigInt(-1).power(Int.max), -1)
        XCTAssertEqual(BigInt(-1).power(Int.min), 1)
        XCTAssertEqual(BigInt(1).power(Int.max), 1)
        // Negative exponents never trap (documented fallback).
        XCTAssertEqual(BigInt(5).power(-2), 0)
        XCTAssertEqual(BigInt(0).power(-2), 0)
        XCTAssertEqual(BigInt(-1).power(-3), -1)
        XCTAssertEqual(BigInt(10).power(30).description, "1" + String(repeating: "0", count: 30))
        XCTAssertEqual(BigInt(-3).power(41).description, "-36472996377170786403")
    }

    // MARK: Division (Algorithm D) against an independent reference

    /// Bit-by-bit restoring division on little-endian limbs.
    private func referenceDivMod(_ a: [UInt64], _ b: [UInt64]) -> ([UInt64], [UInt64]) {
        func norm(_ x: [UInt64]) -> [UInt64] { var x = x; while x.last == 0 { x.removeLast() }; return x }
        func ge(_ x: [UInt64], _ y: [UInt64]) -> Bool {
            let x = norm(x), y = norm(y)
            if x.count != y.count { return x.count > y.count }
            for i in stride(from: x.count - 1, through: 0, by: -1) where x[i] != y[i] { return x[i] > y[i] }
            return true
        }
        func sub(_ x: [UInt64], _ y: [UInt64]) -> [UInt64] {
            var r = x, borrow: UInt64 = 0
            for i in 0..<r.count {
                let yi = i < y.count ? y[i] : 0
                let (d1, o1) = r[i].subtractingReportingOverflow(yi)
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                r[i] = d2; borrow = (o1 || o2) ? 1 : 0
            }
            return norm(r)
        }
        var q = [UInt64](repeating: 0, count: a.count)
        var r: [UInt64] = []
        for bit in stride(from: a.count * 64 - 1, through: 0, by: -1) {
            // r = 2r + bit
            var carry = (a[bit / 64] >> UInt64(bit % 64)) & 1
            for i in 0..<r.count {
                let nc = r[i] >> 63
                r[i] = (r[i] << 1) | carry
                carry = nc
            }
            if carry != 0 { r.append(carry) }
            if ge(r, b) {
                r = sub(r, b)
                q[bit / 64] |= 1 << UInt64(bit % 64)
            }
        }
        return (norm(q), norm(r))
    }

    func testAlgorithmDAgainstReference() {
        // Hand-picked cases known to need qhat corrections / add-back.
        var cases: [([UInt64], [UInt64])] = [
            ([0, 0, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF], [1, 0, 0x8000_0000_0000_0000]),
            ([0, 0xFFFF_FFFF_FFFF_FFFE, 0x8000_0000_0000_0000], [0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000]),
            ([3, 0, 0x8000_0000_0000_0000], [1, 0x2000_0000_0000_0000]),
            ([0, 0, 0x7FFF_FFFF_FFFF_FFFF], [0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000]),
            ([0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF], [0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF]),
            ([0, 0, 1], [1, 1]),
            ([0, 0, 0, 1], [0xFFFF_FFFF_FFFF_FFFF, 0, 1]),
        ]
        for _ in 0..<1_500 {
            let nb = 2 + Int(rng.next() % 5)
            let na = nb + Int(rng.next() % 5) - 1
            cases.append((randomLimbs(na), randomLimbs(nb)))
        }
        for (a, b) in cases {
            let (q, r) = BigInt.Ops.divMod(a, b)
            let (rq, rr) = referenceDivMod(a, b)
            XCTAssertEqual(q, rq, "a=\(a) b=\(b) \(seedNote)")
            XCTAssertEqual(r, rr, "a=\(a) b=\(b) \(seedNote)")
        }
    }

    func testTwoLimbDivisionAgainstUInt128() {
        for _ in 0..<5_000 {
            let a = UInt128(rng.next() & (rng.next() % 2 == 0 ? UInt64.max : 0xFFFF)) << 64 | UInt128(randomLimb())
            var b = UInt128(randomLimb() >> (rng.next() % 64)) << 64 | UInt128(randomLimb())
            if b == 0 { b = 7 }
            let ba = bigFromLimbs([UInt64(truncatingIfNeeded: a), UInt64(truncatingIfNeeded: a >> 64)])
            let bb = bigFromLimbs([UInt64(truncatingIfNeeded: b), UInt64(truncatingIfNeeded: b >> 64)])
            let (q, r) = ba.quotientAndRemainder(dividingBy: bb)
            XCTAssertEqual(q.description, String(a / b), "a=\(a) b=\(b) \(seedNote)")
            XCTAssertEqual(r.description, String(a % b), "a=\(a) b=\(b) \(seedNote)")
            XCTAssertEqual((ba * bb).description, String(UInt256Product(a, b)), "a=\(a) b=\(b)")
        }
    }

    /// a*b as decimal via BigInt-independent schoolbook on UInt128 halves,
    /// rendered through Int128-free string arithmetic.
    private func UInt256Product(_ a: UInt128, _ b: UInt128) -> String {
        // Multiply decimal strings: simple and independent of BigInt.
        func mulDec(_ x: String, _ y: String) -> String {
            let xs = x.utf8.map { Int($0) - 48 }.reversed() as [Int]
            let ys = y.utf8.map { Int($0) - 48 }.reversed() as [Int]
            var r = [Int](repeating: 0, count: xs.count + ys.count)
            for i in 0..<xs.count { for j in 0..<ys.count { r[i + j] += xs[i] * ys[j] } }
            var carry = 0
            for i in 0..<r.count { let t = r[i] + carry; r[i] = t % 10; carry = t / 10 }
            while r.count > 1 && r.last == 0 { r.removeLast() }
            return String(r.reversed().map { Character(String($0)) })
        }
        return mulDec(String(a), String(b))
    }

    func testDivisionByZeroDoesNotTrap() {
        let (q, r) = BigInt(7).quotientAndRemainder(dividingBy: 0)
        XCTAssertEqual(q, 0)
        XCTAssertEqual(r, 7)
        let big = B("123456789012345678901234567890")
        let (q2, r2) = big.quotientAndRemainder(dividingBy: 0)
        XCTAssertEqual(q2, 0)
        XCTAssertEqual(r2, big)
        XCTAssertEqual(BigInt.Ops.divMod([1, 2], []).remainder, [1, 2])
    }

    // MARK: Parsing and printing

    func testParseAndDescription() {
        XCTAssertEqual(BigInt("0"), 0)
        XCTAssertEqual(BigInt("-0"), 0)
        XCTAssertEqual(BigInt("-0")?.signum, 0)
        XCTAssertEqual(BigInt("000123"), 123)
        XCTAssertEqual(BigInt("-42"), -42)
        XCTAssertEqual(BigInt("9223372036854775807")?.asInt, Int.max)
        XCTAssertNil(BigInt("9223372036854775808")?.asInt)
        XCTAssertEqual(BigInt("18446744073709551616"), two64)
        XCTAssertEqual(BigInt("10000000000000000000")?.description, "10000000000000000000")
        XCTAssertEqual(BigInt("1" + String(repeating: "0", count: 19))?.description, "1" + String(repeating: "0", count: 19))
        XCTAssertEqual(BigInt("1" + String(repeating: "0", count: 38)), BigInt(10).power(38))
        for bad in ["", "-", "+5", " 5", "5 ", "1_000", "0x10", "--5", "1-", "1.0", "1e3", "\u{0661}", "５", "-+1"] {
            XCTAssertNil(BigInt(bad), "accepted \(bad)")
        }
        for _ in 0..<500 {
            let n = Int.random(in: 1...120, using: &rng)
            var s = String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            while s.count > 1 && s.first == "0" { s.removeFirst() }
            if rng.next() & 1 == 0 && s != "0" { s = "-" + s }
            XCTAssertEqual(BigInt(s)?.description, s, seedNote)
        }
    }

    // MARK: doubleValue

    func testBigDoubleValue() {
        XCTAssertEqual(BigInt(2).power(1023).doubleValue, 0x1p1023)
        XCTAssertEqual(BigInt(2).power(1024).doubleValue, .infinity)
        XCTAssertEqual((-BigInt(2).power(1024)).doubleValue, -.infinity)
        XCTAssertEqual(BigInt(10).power(400).doubleValue, .infinity)
        XCTAssertEqual(BigInt(10).power(100_00).doubleValue, .infinity)
        XCTAssertEqual(BigInt(10).power(308).doubleValue, 1e308)
        // Largest finite double and the halfway point above it.
        let maxD = (BigInt(2).power(53) - 1) * BigInt(2).power(971)
        XCTAssertEqual(maxD.doubleValue, Double.greatestFiniteMagnitude)
        let halfway = (BigInt(2).power(54) - 1) * BigInt(2).power(970)
        XCTAssertEqual(halfway.doubleValue, .infinity)
        XCTAssertEqual((halfway - 1).doubleValue, Double.greatestFiniteMagnitude)
        XCTAssertEqual(two64.doubleValue, 0x1p64)
        XCTAssertEqual((two64 + 1).doubleValue, 0x1p64)
        // Ties to even, and the sticky bit breaking a tie.
        let base = BigInt(2).power(53) + 1  // odd 54-bit value: exactly halfway
        XCTAssertEqual((base * two64).doubleValue, 0x1p117)
        XCTAssertEqual((base * two64 + 1).doubleValue, (0x1p53 + 2) * 0x1p64)
        XCTAssertEqual(((base + 2) * two64).doubleValue, (0x1p53 + 4) * 0x1p64)
        // Against strtod (correctly rounded) for random big values.
        for _ in 0..<2_000 {
            let v = randomBig(maxLimbs: 18)
            XCTAssertEqual(v.doubleValue, Double(v.description), "v=\(v) \(seedNote)")
        }
    }

    // MARK: integerRoot

    func testIntegerRoot() {
        XCTAssertTrue(BigInt(0).integerRoot(3) == (0, true))
        XCTAssertTrue(BigInt(1).integerRoot(7) == (1, true))
        XCTAssertTrue(BigInt(16).integerRoot(2) == (4, true))
        XCTAssertTrue(BigInt(17).integerRoot(2) == (4, false))
        XCTAssertTrue(BigInt(26).integerRoot(3) == (2, false))
        XCTAssertTrue(BigInt(27).integerRoot(3) == (3, true))
        XCTAssertTrue(BigInt(Int.max).integerRoot(2) == (3_037_000_499, false))
        XCTAssertTrue(BigInt(5).integerRoot(Int.max) == (1, false))
        XCTAssertTrue(BigInt(12345).integerRoot(1) == (12345, true))
        // Invalid input: documented fallback, no trap.
        XCTAssertTrue(BigInt(-8).integerRoot(3) == (0, false))
        XCTAssertTrue(BigInt(8).integerRoot(0) == (0, false))
        XCTAssertTrue(BigInt(8).integerRoot(-2) == (0, false))
        let big = BigInt(3).power(1000)
        XCTAssertTrue(big.integerRoot(1000) == (3, true))
        XCTAssertTrue(big.integerRoot(10) == (BigInt(3).power(100), true))
        XCTAssertTrue((big - 1).integerRoot(10) == (BigInt(3).power(100) - 1, false))
        XCTAssertTrue((big + 1).integerRoot(10) == (BigInt(3).power(100), false))
        XCTAssertTrue(BigInt(2).power(5000).integerRoot(2) == (BigInt(2).power(2500), true))
        for _ in 0..<1_500 {
            let x = randomBig(maxLimbs: 10).magnitude
            let n = [1, 2, 2, 3, 3, 4, 5, 7, 12, 64, 65, 200].randomElement(using: &rng)!
            let (r, exact) = x.integerRoot(n)
            let ctx = "x=\(x) n=\(n) \(seedNote)"
            XCTAssertTrue(r.power(n) <= x, ctx)
            XCTAssertTrue((r + 1).power(n) > x, ctx)
            XCTAssertEqual(exact, r.power(n) == x, ctx)
            // perfect powers
            let y = randomBig(maxLimbs: 2).magnitude
            let m = Int.random(in: 1...6, using: &rng)
            XCTAssertTrue(y.power(m).integerRoot(m) == (y, true), "y=\(y) m=\(m) \(seedNote)")
        }
    }

    // MARK: Rational

    func testRationalBasics() {
        let half = R(1, 2)
        XCTAssertEqual(R(6, -4).description, "-3/2")
        XCTAssertEqual(R(6, -4).numerator, -3)
        XCTAssertEqual(R(6, -4).denominator, 2)
        XCTAssertEqual(R(-6, -3).description, "2")
        XCTAssertEqual(R(0, -5), .zero)
        XCTAssertEqual(R(0, -5).denominator, 1)
        XCTAssertEqual(Rational(10).description, "10")
        XCTAssertEqual(Rational(-7).description, "-7")
        XCTAssertNil(Rational(numerator: 1, denominator: 0))
        XCTAssertNil(Rational(numerator: 0, denominator: 0))
        XCTAssertTrue(Rational.one.isOne)
        XCTAssertFalse(Rational.minusOne.isOne)
        XCTAssertTrue(Rational.zero.isZero)
        XCTAssertTrue(half.isPositive)
        XCTAssertFalse(half.isInteger)
        XCTAssertTrue((-half).isNegative)
        XCTAssertEqual((-half).signum, -1)
        XCTAssertEqual(half + half, .one)
        XCTAssertTrue((half + half).isInteger)
        XCTAssertEqual(half.reciprocal, 2)
        XCTAssertEqual(R(-2, 3).reciprocal, R(-3, 2))
        XCTAssertNil(Rational.zero.reciprocal)
        XCTAssertNil(half.dividing(by: .zero))
        XCTAssertEqual(half.dividing(by: R(1, 4)), 2)
        XCTAssertEqual(R(7, 2).floor, 3)
        XCTAssertEqual(R(-7, 2).floor, -4)
        XCTAssertEqual(R(-8, 2).floor, -4)
        XCTAssertEqual(Rational(5).asInt, 5)
        XCTAssertNil(half.asInt)
        XCTAssertEqual(half.doubleValue, 0.5)
        XCTAssertEqual(R(1, 3).doubleValue, 1.0 / 3.0)
        let x: Rational = 42
        XCTAssertEqual(x, Rational(42))
        let y: BigInt = -9
        XCTAssertEqual(Rational(y), -9)
        XCTAssertTrue(R(1, 3) < R(1, 2))
        XCTAssertTrue(R(-1, 2) < R(-1, 3))
        XCTAssertEqual(Set([R(2, 4), half, Rational(literal: "0.5")!]).count, 1)
        let big = Rational(numerator: BigInt(10).power(30), denominator: BigInt(10).power(29) * 4)!
        XCTAssertEqual(big, R(5, 2))
        XCTAssertEqual(big.hashValue, R(5, 2).hashValue)
        var acc = Rational.zero
        acc += 3
        acc -= half
        acc *= 2
        XCTAssertEqual(acc, 5)
    }

    func randomRational() -> Rational {
        switch rng.next() % 4 {
        case 0:
            return Rational(numerator: BigInt(Int.random(in: -20...20, using: &rng)),
                            denominator: BigInt(Int.random(in: 1...20, using: &rng)))!
        case 1:
            var d = randomInt()
            if d == 0 { d = 1 }
            return Rational(numerator: BigInt(randomInt()), denominator: BigInt(d))!
        case 2:
            return Rational(numerator: randomBig(maxLimbs: 3), denominator: randomNonzeroBig(maxLimbs: 2))!
        default:
            return Rational(randomInt())
        }
    }

    /// Fast paths checked against plain BigInt formulas.
    func testRationalArithmeticAgainstReference() {
        for _ in 0..<8_000 {
            let a = randomRational(), b = randomRational()
            let ctx = "a=\(a) b=\(b) \(seedNote)"
            let (an, ad, bn, bd) = (a.numerator, a.denominator, b.numerator, b.denominator)
            XCTAssertTrue(ad.signum > 0 && bd.signum > 0, ctx)
            XCTAssertEqual(BigInt.gcd(an, ad), 1, ctx)
            let sum = Rational(numerator: an * bd + bn * ad, denominator: ad * bd)!
            let diff = Rational(numerator: an * bd - bn * ad, denominator: ad * bd)!
            let prod = Rational(numerator: an * bn, denominator: ad * bd)!
            XCTAssertEqual(a + b, sum, ctx)
            XCTAssertEqual((a + b).hashValue, sum.hashValue, ctx)
            XCTAssertEqual(a - b, diff, ctx)
            XCTAssertEqual(a * b, prod, ctx)
            XCTAssertEqual((a * b).hashValue, prod.hashValue, ctx)
            XCTAssertEqual(a < b, an * bd < bn * ad, ctx)
            XCTAssertEqual(a == b, an == bn && ad == bd, ctx)
            XCTAssertEqual(-(-a), a, ctx)
            XCTAssertEqual(a + (-a), .zero, ctx)
            if !b.isZero {
                XCTAssertEqual(a.dividing(by: b), Rational(numerator: an * bd, denominator: ad * bn), ctx)
                XCTAssertEqual(b.reciprocal.map { $0 * b }, .one, ctx)
            }
            let f = a.floor
            XCTAssertTrue(Rational(f) <= a && a < Rational(f + 1), ctx)
            XCTAssertEqual(a.asInt, a.isInteger ? an.asInt : nil, ctx)
            XCTAssertEqual(Rational(literal: an.description), Rational(an), ctx)
            let s = a.description
            if a.isInteger { XCTAssertEqual(s, an.description, ctx) } else { XCTAssertEqual(s, "\(an)/\(ad)", ctx) }
        }
    }

    func testRationalPower() {
        XCTAssertEqual(R(2, 3).power(2), R(4, 9))
        XCTAssertEqual(R(2, 3).power(-2), R(9, 4))
        XCTAssertEqual(R(-2, 3).power(3), R(-8, 27))
        XCTAssertEqual(R(-2, 3).power(-3), R(-27, 8))
        XCTAssertEqual(Rational.zero.power(0), .one)
        XCTAssertEqual(Rational.zero.power(3), .zero)
        XCTAssertNil(Rational.zero.power(-1))
        XCTAssertNil(Rational.zero.power(Int.min))
        XCTAssertEqual(Rational.minusOne.power(Int.min), .one)
        XCTAssertEqual(Rational.minusOne.power(Int.max), .minusOne)
        XCTAssertEqual(Rational.one.power(Int.min), .one)
        XCTAssertNil(Rational(2).power(Int.max))
        XCTAssertNil(Rational(2).power(Int.min))
        XCTAssertNil(R(1, 2).power(Int.min))
        XCTAssertNil(R(1, 2).power(-Int.max))
        // maxBits boundary: 2^65535 has 65536 bits (allowed), 2^65536 has 65537.
        XCTAssertEqual(Rational(2).power(65535)?.numerator.bitWidth, 65536)
        XCTAssertNil(Rational(2).power(65536))
        XCTAssertNil(R(1, 2).power(-65536 - 1))
        XCTAssertNotNil(R(1, 2).power(65535))
        XCTAssertNil(Rational(3).power(50_000))
        XCTAssertNil(Rational(BigInt(2).power(70_000)).power(2))
        for _ in 0..<300 {
            let a = randomRational()
            let e = Int.random(in: -8...8, using: &rng)
            let ctx = "a=\(a) e=\(e) \(seedNote)"
            if a.isZero && e < 0 { XCTAssertNil(a.power(e), ctx); continue }
            var expected = Rational.one
            for _ in 0..<abs(e) { expected = expected * a }
            if e < 0 { expected = expected.reciprocal! }
            XCTAssertEqual(a.power(e), expected, ctx)
        }
    }

    func testExactRoot() {
        XCTAssertEqual(Rational(4).exactRoot(2), 2)
        XCTAssertEqual(R(8, 27).exactRoot(3), R(2, 3))
        XCTAssertNil(Rational(2).exactRoot(2))
        XCTAssertEqual(Rational(-8).exactRoot(3), -2)
        XCTAssertNil(Rational(-4).exactRoot(2))
        XCTAssertEqual(R(-1, 32).exactRoot(5), R(-1, 2))
        XCTAssertNil(R(4, 8).exactRoot(2))  // 1/2
        XCTAssertNil(R(2, 9).exactRoot(2))
        XCTAssertEqual(R(9, 16).exactRoot(2), R(3, 4))
        XCTAssertEqual(R(9, 16).exactRoot(1), R(9, 16))
        XCTAssertNil(R(9, 16).exactRoot(0))
        XCTAssertNil(R(9, 16).exactRoot(-2))
        XCTAssertEqual(Rational.zero.exactRoot(4), .zero)
        XCTAssertEqual(Rational.one.exactRoot(Int.max), .one)
        XCTAssertEqual(Rational.minusOne.exactRoot(Int.max), .minusOne)
        XCTAssertNil(Rational.minusOne.exactRoot(Int.max - 1))
        XCTAssertNil(Rational(Int.min).exactRoot(2))
        XCTAssertEqual(Rational(Int.min).exactRoot(63), -2)
        XCTAssertEqual(Rational(Int.min).exactRoot(3), -2_097_152)
        XCTAssertNil(Rational(Int.min).exactRoot(5))
        XCTAssertNil(Rational(7).exactRoot(Int.max))
        let big = Rational(numerator: BigInt(7).power(60), denominator: BigInt(11).power(90))!
        XCTAssertEqual(big.exactRoot(30), R(49, 1331))
        XCTAssertNil((big + 1).exactRoot(30))
        for _ in 0..<300 {
            let a = randomRational()
            let n = Int.random(in: 1...5, using: &rng)
            guard let p = a.power(n) else { continue }
            let ctx = "a=\(a) n=\(n) \(seedNote)"
            if n % 2 == 0 {
                XCTAssertEqual(p.exactRoot(n), a.isNegative ? -a : a, ctx)
            } else {
                XCTAssertEqual(p.exactRoot(n), a, ctx)
            }
        }
    }

    // MARK: Literals

    func testLiteralParsing() {
        XCTAssertEqual(L("12"), 12)
        XCTAssertEqual(L("-7"), -7)
        XCTAssertEqual(L("007"), 7)
        XCTAssertEqual(L("1.5"), R(3, 2))
        XCTAssertEqual(L("0.125"), R(1, 8))
        XCTAssertEqual(L("0.5"), R(1, 2))
        XCTAssertEqual(L("1e9"), Rational(1_000_000_000))
        XCTAssertEqual(L("1E+3"), 1000)
        XCTAssertEqual(L("2.5e-3"), R(1, 400))
        XCTAssertEqual(L("-2.5e-3"), R(-1, 400))
        XCTAssertEqual(L("1.50"), R(3, 2))
        XCTAssertEqual(L("0.0"), .zero)
        XCTAssertEqual(L("-0"), .zero)
        XCTAssertEqual(L("0e100000"), .zero)
        XCTAssertEqual(L("100e-2"), 1)
        XCTAssertEqual(L("1200e-2"), 12)
        XCTAssertEqual(L("0.1"), R(1, 10))
        XCTAssertEqual(L("0.75"), R(3, 4))
        XCTAssertEqual(L("3.2e-1"), R(8, 25))
        XCTAssertEqual(L("12345678901234567890"), Rational(B("12345678901234567890")))
        XCTAssertEqual(L("1e19")?.numerator, BigInt(10).power(19))
        XCTAssertEqual(L("1e-30")?.denominator, BigInt(10).power(30))
        XCTAssertEqual(L("0.00000000000000000000000000000000000000000000000000625"),
                       Rational(numerator: 1, denominator: BigInt(10).power(49) * 16))
        XCTAssertEqual(L("1e0000000000000000000000000000000005"), 100_000)
        for bad in ["", "-", "+1", ".5", "5.", "1.2.3", "e5", "1e", "1e+", "1e-", "--1", "1 ", " 1", "1_0",
                    "0x10", "1.5e", "1e5.0", "inf", "nan", "1/2", "1,5", "١", "1ee5", "1e+-5", "-.5"] {
            XCTAssertNil(L(bad), "accepted \(bad)")
        }
        // Too large.
        XCTAssertNil(L("1e1000000"))
        XCTAssertNil(L("1e100001"))
        XCTAssertNil(L("1e-100001"))
        XCTAssertNil(L("0e200000"))
        XCTAssertNil(L("1e99999"))  // > maxBits
        XCTAssertNil(L("1e-99999"))
        XCTAssertNotNil(L("1e19000"))  // ~63117 bits
        XCTAssertNil(L("1e20000"))  // ~66439 bits
        XCTAssertNotNil(L("1e-19000"))
        XCTAssertNil(L("1e-30000"))  // denominator 2^30000 * 5^30000
        // 5^k * 10^-k == 2^-k: the factors of 5 cancel.
        XCTAssertEqual(L(BigInt(5).power(1000).description + "e-1000"), Rational(numerator: 1, denominator: BigInt(2).power(1000)))
        XCTAssertEqual(L("0." + String(repeating: "0", count: 2) + "5"), R(1, 200))
        XCTAssertEqual(L(String(repeating: "1", count: 19_000))?.numerator.description, String(repeating: "1", count: 19_000))
        XCTAssertNil(L(String(repeating: "9", count: 20_000)))
        XCTAssertNil(L(String(repeating: "9", count: 1_000_000)))  // rejected before parsing
        XCTAssertEqual(L("1" + String(repeating: "0", count: 50_000) + "e-50000"), 1)
        // Agrees with strtod.
        for _ in 0..<2_000 {
            let intPart = String(Int.random(in: 0...999_999, using: &rng))
            let frac = String(UInt64.random(in: 0...UInt64.max, using: &rng))
            let exp = Int.random(in: -320...320, using: &rng)
            let s = (rng.next() & 1 == 0 ? "-" : "") + intPart + "." + frac + "e" + String(exp)
            guard let r = L(s) else { XCTFail("rejected \(s)"); continue }
            XCTAssertEqual(r.doubleValue, Double(s)!, "\(s) \(seedNote)")
        }
    }

    /// The exact value of a finite, nonnegative Double.
    private func exactRational(_ d: Double) -> Rational {
        if d == 0 { return .zero }
        let isSub = d.isSubnormal
        let sig = BigInt(Int(d.significandBitPattern | (isSub ? 0 : 1 << 52)))
        let e = (isSub ? -1022 : Int(d.exponent)) - 52
        return e >= 0 ? Rational(sig * BigInt(2).power(e)) : Rational(numerator: sig, denominator: BigInt(2).power(-e))!
    }

    func testRationalDoubleValue() {
        XCTAssertEqual(Rational(BigInt(2).power(1024)).doubleValue, .infinity)
        XCTAssertEqual(Rational(-BigInt(2).power(1024)).doubleValue, -.infinity)
        XCTAssertEqual(Rational(numerator: 1, denominator: BigInt(2).power(1074))?.doubleValue, 0x1p-1074)
        XCTAssertEqual(Rational(numerator: 1, denominator: BigInt(2).power(1080))?.doubleValue, 0)
        XCTAssertEqual(Rational(numerator: 1, denominator: BigInt(3).power(5000))?.doubleValue, 0)
        XCTAssertEqual(Rational(numerator: BigInt(3).power(5000), denominator: 7)?.doubleValue, .infinity)
        XCTAssertEqual(Rational(numerator: BigInt(3).power(5000) + 1, denominator: BigInt(3).power(5000))?.doubleValue, 1)
        XCTAssertEqual(Rational(numerator: BigInt(10).power(400), denominator: BigInt(10).power(399))?.doubleValue, 10)
        XCTAssertEqual(R(Int.max, Int.max - 1).doubleValue, 1.0)
        XCTAssertEqual(R(1, Int.max).doubleValue, 1.0 / 9.223372036854775807e18)
        XCTAssertEqual(L("0.1")?.doubleValue, 0.1)
        XCTAssertEqual(L("2.2250738585072014e-308")?.doubleValue, 2.2250738585072014e-308)
        XCTAssertEqual(L("1.7976931348623157e308")?.doubleValue, 1.7976931348623157e308)
        XCTAssertEqual(L("1.7976931348623159e308")?.doubleValue, .infinity)
        // Subnormals are rounded once (ties to even).
        XCTAssertEqual(L("4.9406564584124654e-324")?.doubleValue, 0x1p-1074)
        XCTAssertEqual(L("2.4703282292062327e-324")?.doubleValue, 0)
        XCTAssertEqual(L("2.4703282292062328e-324")?.doubleValue, 0x1p-1074)
        XCTAssertEqual(Rational(numerator: 1, denominator: BigInt(2).power(1075))?.doubleValue, 0)  // tie -> even (0)
        XCTAssertEqual(Rational(numerator: 3, denominator: BigInt(2).power(1075))?.doubleValue, 0x1p-1073)  // tie -> even
        XCTAssertEqual(Rational(numerator: -1, denominator: BigInt(2).power(1022))?.doubleValue, -0x1p-1022)
        XCTAssertEqual(Rational(numerator: BigInt(2).power(53) - 1, denominator: BigInt(2).power(1075))?.doubleValue, 0x1p-1022)
        for _ in 0..<2_000 {
            let a = randomRational()
            let d = a.doubleValue
            XCTAssertEqual(d.sign == .minus, a.isNegative, "a=\(a) \(seedNote)")
            // Within one ulp of the exact value: compare exactly via rationals.
            if d.isNormal {
                let m = a.isNegative ? -a : a
                let lo = exactRational(d.magnitude.nextDown), hi = exactRational(d.magnitude.nextUp)
                XCTAssertTrue(lo < m && m < hi, "a=\(a) d=\(d) \(seedNote)")
                // Correct rounding: |a - d| <= half an ulp.
                let err = m - exactRational(d.magnitude)
                let halfUlp = Rational(numerator: 1, denominator: 2)! * exactRational(d.magnitude.ulp)
                XCTAssertTrue(err <= halfUlp && -err <= halfUlp, "a=\(a) d=\(d) \(seedNote)")
            }
        }
    }
}
