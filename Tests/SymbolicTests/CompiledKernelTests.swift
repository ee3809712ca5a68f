import XCTest
import SeededRandom
@testable import Symbolic
import EvalCore
@testable import EvalKernels

/// The block loops of `Kernels.run` (SIMD loops, branchless NaN checks, fused operations; each build of the
/// kernels this processor can run) against a reference interpreter of the same program written with the scalar formulas of `EvalMath`, bit for bit:
/// the same doubles, and NaN exactly where the reference gives NaN (the output's NaN is `Double.nan` itself).
final class CompiledKernelTests: XCTestCase {

    let x: Expr = "x", y: Expr = "y", z: Expr = "z", w: Expr = "w"
    func q(_ p: Int, _ r: Int) -> Expr { .number(Rational(numerator: BigInt(p), denominator: BigInt(r))!) }

    // MARK: Reference interpreter

    /// f(x, y) of `VectorMath.pow(count:)` for one lane (a pure function of the lane: the kernel, or glibc's
    /// pow for the lanes the kernel does not trust).
    static func powLane(_ x: Double, _ y: Double) -> Double {
        var (a, b, d) = (x, y, 0.0)
        VectorMath.pow(count: 1, &d, &a, &b)
        return d
    }

    static func expLane(_ x: Double) -> Double {
        var (a, d) = (x, 0.0)
        VectorMath.exp(count: 1, &d, &a)
        return d
    }

    /// The value of `f`'s program at one point, one scalar instruction after another, with the formulas of the
    /// loops as they were before the SIMD loops: fin(b) for a divisor, EvalMath.min/max of fin'd operands, and
    /// a fused min/max of powers as the two powers and EvalMath.min/max.
    static func reference(_ f: CompiledFunction, _ point: [Double]) -> Double {
        typealias M = EvalMath
        guard case .register(let out) = f.output else {
            if case .constant(let c) = f.output { return c }
            return .nan
        }
        var r = [Double](repeating: 0, count: f.registerCount + f.parameterSlots.count)
        for fill in f.constantFills { r[fill.register] = fill.value }
        for (k, column) in f.parameterSlots.enumerated() { r[f.registerCount + k] = point[column] }
        for ins in f.instructions {
            let (a, b, e, c) = (r[ins.a], r[ins.b], r[ins.e], ins.constant)
            let v: Double
            switch ins.op {
            case .add: v = a + b
            case .sub: v = a - b
            case .mul: v = a * b
            case .addC: v = a + c
            case .cSub: v = c - a
            case .mulC: v = a * c
            case .divC: v = a / c
            case .neg: v = -a
            case .sqrt: v = a.squareRoot()
            case .zeroPow: v = M.zeroPower(a)
            case .log: v = M.log(a)
            case .div: v = a / M.fin(b)
            case .cDiv: v = c / M.fin(a)
            case .exp: v = expLane(a)
            case .pow: v = powLane(a, b)
            case .powC: v = powLane(a, c)
            case .cPow: v = powLane(c, a)
            case .min: v = M.min(M.fin(a), M.fin(b))
            case .max: v = M.max(M.fin(a), M.fin(b))
            case .minC: v = M.min(M.fin(a), c)
            case .maxC: v = M.max(M.fin(a), c)
            case .binom: v = M.binom(M.fin(a), M.fin(b))
            case .minPow: v = M.min(M.fin(powLane(a, e)), M.fin(powLane(b, e)))
            case .maxPow: v = M.max(M.fin(powLane(a, e)), M.fin(powLane(b, e)))
            case .minPowC: v = M.min(M.fin(powLane(a, c)), M.fin(powLane(b, c)))
            case .maxPowC: v = M.max(M.fin(powLane(a, c)), M.fin(powLane(b, c)))
            case .pair:
                let t: Double
                switch ins.first {
                case .add: t = a + b
                case .sub: t = a - b
                case .mul: t = a * b
                case .div: t = a / M.fin(b)
                case .addC: t = a + c
                case .cSub: t = c - a
                case .mulC: t = a * c
                case .divC: t = a / c
                case .cDiv: t = c / M.fin(a)
                default: XCTFail("pair with first operation \(ins.first)"); t = .nan
                }
                let c2 = ins.constant2
                switch ins.step {
                case .add: v = t + e
                case .sub: v = t - e
                case .rsub: v = e - t
                case .mul: v = t * e
                case .div: v = t / M.fin(e)
                case .rdiv: v = e / M.fin(t)
                case .addC: v = t + c2
                case .cSub: v = c2 - t
                case .mulC: v = t * c2
                case .divC: v = t / c2
                case .cDiv: v = c2 / M.fin(t)
                }
            case .loadParam, .loadConst: v = .nan
            }
            r[ins.dst] = v
        }
        return M.fin(r[out])
    }

    /// Same double, where a NaN must be `Double.nan` itself (what `EvalMath.fin` gives).
    static func identical(_ got: Double, _ expected: Double) -> Bool {
        expected.isNaN ? got.bitPattern == Double.nan.bitPattern : got.bitPattern == expected.bitPattern
    }

    static let specials: [Double] = [
        0, -0.0, 1, -1, 2, 0.5, -2.5, .infinity, -.infinity, .nan, 1e308, -1e308, 0x1p-1030, -0x1p-1030,
        Double.leastNormalMagnitude, Double.greatestFiniteMagnitude, 1e300, 1e-300, 800, -800, 3,
    ]

    /// Columns of `count` points: ordinary values in [low, high], with about a fifth of the entries replaced by
    /// special values, so that vectors of 8 mix ordinary and special lanes.
    static func columns(_ rng: inout KernelRandom, names: Int, count: Int, low: Double = 0.1, high: Double = 12,
                        specialShare: UInt64 = 5, specials: [Double] = specials) -> [[Double]] {
        var columns = (0..<names).map { _ in (0..<count).map { _ in rng.uniform(low, high) } }
        for j in 0..<count where specialShare > 0 && rng.next() % specialShare == 0 {
            columns[Int(rng.next() % UInt64(names))][j] = specials[Int(rng.next() % UInt64(specials.count))]
        }
        return columns
    }

    /// Checks `f` (batch with every build of the kernels, and one point at a time) against the reference of its
    /// program and of the unfused program, bit for bit. Returns the number of points checked.
    @discardableResult
    func check(_ e: Expr, _ names: [String], _ columns: [[Double]], file: StaticString = #filePath,
               line: UInt = #line) throws -> Int {
        try check(e, names, columnSets: [columns], file: file, line: line)
    }

    /// `check` on several sets of columns, compiling `e` once.
    @discardableResult
    func check(_ e: Expr, _ names: [String], columnSets: [[[Double]]], file: StaticString = #filePath,
               line: UInt = #line) throws -> Int {
        let f = try CompiledFunction(e, parameters: names)
        let unfused = try CompiledFunction(e, parameters: names, fusing: false)
        return columnSets.reduce(0) { $0 + check(f, unfused, e, $1, file: file, line: line) }
    }

    private func check(_ f: CompiledFunction, _ unfused: CompiledFunction, _ e: Expr, _ columns: [[Double]],
                       file: StaticString, line: UInt) -> Int {
        let count = columns.first?.count ?? 0
        // Every build of the kernels this processor can run (generic, x86-64-v3), fused and unfused.
        var batches: [(String, [Double])] = []
        for kernels in EvaluationKernels.available {
            var batch: [Double] = [], unfusedBatch: [Double] = []
            f.evaluate(columns: columns, into: &batch, kernels: kernels)
            unfused.evaluate(columns: columns, into: &unfusedBatch, kernels: kernels)
            batches += [("batch (\(kernels.rawValue))", batch), ("unfused batch (\(kernels.rawValue))", unfusedBatch)]
        }
        var failures = 0
        for j in 0..<count {
            let point = columns.map { $0[j] }
            let expected = Self.reference(unfused, point)
            let values = batches.map { ($0.0, $0.1[j]) }
                + [("single", f(point)), ("reference of the fused program", Self.reference(f, point))]
            for (what, got) in values where !Self.identical(got, expected) {
                failures += 1
                if failures <= 5 {
                    XCTFail("\(e) at \(point) (point \(j) of \(count)): \(what) \(got) (bits \(String(got.bitPattern, radix: 16))), reference \(expected) (bits \(String(expected.bitPattern, radix: 16)))",
                            file: file, line: line)
                }
            }
        }
        return count
    }

    // MARK: Elementwise loops

    /// Every operation, on blocks mixing ordinary and special lanes, with partial vectors and blocks.
    func testLoopsMatchScalarFormulas() throws {
        let nan = Expr.log(-2)   // folds to a NaN constant
        let expressions: [Expr] = [
            x + y, x - y, x * y, x / y, x + 3, .sum([3, .product([.minusOne, x])]), x * 3, x / 3, x / .pi, 3 / x, -x, .sqrt(x), .power(x, 0),
            .log(x), .exp(x), .power(x, y), .power(x, q(7, 5)), .power(2, x),
            .min([x, y]), .max([x, y]), .min([x, 3]), .max([x, -3]), .min([x, nan]), .max([nan, x]),
            .min([x * y, x]), .max([y, x + y]), .binom(x, y),
            // register reuse: destinations that are an operand
            (x * y + z) / (x - y) + .min([x / z, y * z]) * .max([z - x, y]),
            .log(x * y) / .sqrt(z) - 2 / (x + z) + .power(x - y, 3),
        ]
        var seen = Set<Op>()
        var rng = KernelRandom(seed: 1)
        for e in expressions {
            let f = try CompiledFunction(e, parameters: ["x", "y", "z"])
            seen.formUnion(f.instructions.map(\.op))
            try check(e, ["x", "y", "z"], columnSets: [1, 2, 7, 8, 9, 15, 255, 256, 257, 600].map {
                Self.columns(&rng, names: 3, count: $0, low: -3, high: 6)
            })
        }
        let expected: Set<Op> = [.add, .sub, .mul, .div, .addC, .cSub, .mulC, .divC, .cDiv, .neg, .sqrt, .zeroPow,
                                 .log, .exp, .pow, .powC, .cPow, .min, .max, .minC, .maxC, .binom]
        XCTAssertEqual(expected.subtracting(seen), [], "operations not exercised")
    }

    /// Random expressions (register reuse, shared subexpressions, every kind of node) at points with special
    /// values, bit for bit against the reference.
    func testRandomProgramsMatchReference() throws {
        var rng = KernelRandom(seed: 5)
        let symbols = [x, y, z]
        let exponents: [Expr] = [2, 3, -1, -2, 0, q(1, 2), q(-1, 2), q(3, 2), q(1, 3), q(7, 5), q(-7, 5)]
        func random(_ depth: Int) -> Expr {
            if depth == 0 || rng.next() % 5 == 0 {
                switch rng.next() % 8 {
                case 0..<5: return symbols[Int(rng.next() % 3)]
                case 5: return rng.next() % 2 == 0 ? .e : .pi
                default: return Expr(Int(rng.next() % 9) - 3)
                }
            }
            switch rng.next() % 13 {
            case 0: return random(depth - 1) + random(depth - 1)
            case 1: return random(depth - 1) - random(depth - 1)
            case 2: return random(depth - 1) * random(depth - 1)
            case 3: return random(depth - 1) / random(depth - 1)
            case 4: return .power(random(depth - 1), exponents[Int(rng.next() % UInt64(exponents.count))])
            case 5: return .power(random(depth - 1), random(depth - 1))
            case 6: return .exp(random(depth - 1))
            case 7: return .log(random(depth - 1))
            case 8: return .min([random(depth - 1), random(depth - 1)])
            case 9: return .max([random(depth - 1), random(depth - 1), random(depth - 1)])
            case 10:   // a min or max of two powers with the same exponent (fused)
                let p = rng.next() % 2 == 0 ? random(depth - 1) : exponents[Int(rng.next() % UInt64(exponents.count))]
                let terms: [Expr] = [.power(random(depth - 1), p), .power(random(depth - 1), p)]
                return rng.next() % 2 == 0 ? .min(terms) : .max(terms)
            case 11: return .binom(random(depth - 1), random(depth - 1))
            default: return -random(depth - 1)
            }
        }
        var points = 0
        for _ in 0..<400 {
            let e = random(4)
            points += try check(e, ["x", "y", "z"], Self.columns(&rng, names: 3, count: [1, 9, 40][Int(rng.next() % 3)],
                                                                 low: -2, high: 6))
        }
        print("CompiledKernelTests: random programs checked at \(points) points")
    }

    // MARK: Pairs

    /// Every combination of a first operation and a step merged into a pair, against the reference.
    func testEveryPair() throws {
        func neg(_ e: Expr) -> Expr { .product([.minusOne, e]) }
        func inv(_ e: Expr) -> Expr { .power(e, -1) }
        let firsts: [(Op, Expr)] = [
            (.add, .sum([x, y])), (.sub, .sum([x, neg(y)])), (.mul, .product([x, y])), (.div, .product([x, inv(y)])),
            (.addC, .sum([x, 3])), (.cSub, .sum([3, neg(x)])), (.mulC, .product([x, 3])),
            (.divC, .product([x, inv(.pi)])), (.cDiv, .product([3, inv(x)])),
        ]
        let steps: [(Step, (Expr) -> Expr)] = [
            (.add, { .sum([$0, self.z]) }), (.sub, { .sum([$0, neg(self.z)]) }), (.rsub, { .sum([self.z, neg($0)]) }),
            (.mul, { .product([$0, self.z]) }), (.div, { .product([$0, inv(self.z)]) }),
            (.rdiv, { .product([self.z, inv($0)]) }), (.addC, { .sum([$0, 5]) }), (.cSub, { .sum([5, neg($0)]) }),
            (.mulC, { .product([$0, 5]) }), (.divC, { .product([$0, inv(.pi)]) }), (.cDiv, { .product([5, inv($0)]) }),
        ]
        var rng = KernelRandom(seed: 6)
        for (first, t) in firsts {
            for (step, make) in steps {
                let e = make(t)
                let program = try CompiledFunction(e, parameters: ["x", "y", "z"]).instructions
                XCTAssertEqual(program.map(\.op), [.pair], "\(e)")
                XCTAssertEqual(program.first?.first, first, "\(e)")
                XCTAssertEqual(program.first?.step, step, "\(e)")
                try check(e, ["x", "y", "z"], columnSets: [1, 8, 13, 64, 100].map {
                    Self.columns(&rng, names: 3, count: $0, low: -3, high: 6)
                })
            }
        }
        // Not merged: a value used twice (x + y into (x+y)·(x+y), which is merged with ·z), and a pair (no
        // chains of three in one pass).
        let s = Expr.sum([x, y])
        XCTAssertEqual(try ops(.product([s, s, z]), ["x", "y", "z"]), [.add, .pair])
        XCTAssertEqual(try ops(.product([x, y, z, w]), ["x", "y", "z", "w"]), [.pair, .mul])
    }

    /// `finish` (the output loop) is EvalMath.fin exactly, NaN bits included.
    func testFinishIsFin() {
        var rng = KernelRandom(seed: 2)
        for count in [0, 1, 7, 8, 9, 64, 257] {
            var values = (0..<count).map { _ in rng.uniform(-5, 5) }
            for j in 0..<count where rng.next() % 3 == 0 {
                values[j] = Self.specials[Int(rng.next() % UInt64(Self.specials.count))]
            }
            // NaNs with other payloads and signs, as the branchless loops produce them.
            if count > 2 { values[1] = -Double.nan; values[2] = Double(nan: 5, signaling: false) }
            var out = [Double](repeating: 7, count: count)
            values.withUnsafeBufferPointer { a in out.withUnsafeMutableBufferPointer { d in
                if count > 0 { Kernels.finish(count: count, d.baseAddress!, a.baseAddress!) }
            } }
            for (v, o) in zip(values, out) {
                XCTAssertEqual(o.bitPattern, EvalMath.fin(v).bitPattern, "fin(\(v))")
            }
        }
    }

    // MARK: Fused min(x^p, y^p), max(x^p, y^p)

    func ops(_ e: Expr, _ names: [String], fusing: Bool = true) throws -> [Op] {
        try CompiledFunction(e, parameters: names, fusing: fusing).instructions.map(\.op)
    }

    /// min and max return their second operand when the operands are equal, and -0 equals +0: the compiled
    /// program must keep the operands' order (no swapping them for hash-consing or to put a constant second),
    /// so that the sign of a zero result is the one `evaluate` gives. Found by bounds-fuzz (52 points in 10^5
    /// expressions, before the fix).
    func testMinMaxKeepOperandOrderForSignedZeros() throws {
        let cases: [(Expr, [String: Double])] = [
            (.min([x * x, x]), ["x": -0.0]), (.max([0, z]), ["z": -0.0]), (.min([0, z]), ["z": -0.0]),
            (.max([.product([q(-1, 3), x]), x]), ["x": 0.0]), (.min([y, x]), ["x": -0.0, "y": 0.0]),
            (.max([y, x]), ["x": -0.0, "y": 0.0]), (.min([x, y]) + .min([y, x]), ["x": -0.0, "y": 0.0]),
        ]
        for (e, point) in cases {
            let names = ["x", "y", "z"]
            let expected = try e.evaluate(point.merging(["x": 1, "y": 1, "z": 1]) { a, _ in a })
            let columns = names.map { [point[$0] ?? 1] }
            let f = try CompiledFunction(e, parameters: names)
            for kernels in EvaluationKernels.available {
                var out: [Double] = []
                f.evaluate(columns: columns, into: &out, kernels: kernels)
                XCTAssertEqual(out[0].bitPattern, expected.bitPattern, "\(e) at \(point) (\(kernels.rawValue)): \(out[0]), evaluate \(expected)")
            }
            XCTAssertEqual(f(columns.map { $0[0] }).bitPattern, expected.bitPattern, "\(e) at \(point), one point")
        }
    }

    func testFusionOnlyForTheSameExponent() throws {
        let names = ["x", "y", "z", "w"]
        let p = -2 * z / w
        XCTAssertEqual(try ops(.min([.power(x, p), .power(y, p)]), names).filter { $0 == .pow || $0 == .minPow },
                       [.minPow])
        XCTAssertEqual(try ops(.max([.power(x, z), .power(y, z)]), names), [.maxPow])
        XCTAssertEqual(try ops(.min([.power(x, q(7, 5)), .power(y, q(7, 5))]), names), [.minPowC])
        XCTAssertEqual(try ops(.max([.power(x + y, q(-3, 7)), .power(y, q(-3, 7))]), names), [.add, .maxPowC])
        XCTAssertEqual(try ops(.min([.power(x, p), .power(y, p)]), names, fusing: false).filter { $0 == .pow }.count, 2)
        // Different exponents, a power used elsewhere too, an integer power (no pow at all): not fused.
        XCTAssertFalse(try ops(.min([.power(x, z), .power(y, w)]), names).contains(.minPow))
        XCTAssertFalse(try ops(.min([.power(x, q(7, 5)), .power(y, q(8, 5))]), names).contains(.minPowC))
        XCTAssertFalse(try ops(.min([.power(x, z), .power(y, z)]) + .power(x, z), names).contains(.minPow))
        XCTAssertFalse(try ops(.min([.power(x, 3), .power(y, 3)]), names).contains(.minPowC))
        // The MoE bound of the benchmark: its min of two powers is fused.
        let (beta, d, n, M, k, L, ell, pa, pe): (Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr) =
            ("beta", "d", "n", "M", "k", "L_T", "ell", "Pi_attn", "Pi_exp")
        let neff = L * pa + L * k * pe
        let rate = -2 * beta / d
        let bound = Expr.min([.power(neff, rate), .power(M, rate)]) + neff / n * .log(n) + L * ell * k / n * .log(.e * M / k)
        let program = try ops(bound, ["beta", "d", "n", "M", "k", "L_T", "ell", "Pi_attn", "Pi_exp"])
        XCTAssertEqual(program.filter { $0 == .minPow }.count, 1)
        XCTAssertFalse(program.contains(.pow))
    }

    /// The fused programs give the unfused programs' doubles: ordinary and special lanes mixed, partial
    /// vectors, exponents of both signs, zero, tiny and huge, bases equal or a few ulps apart.
    func testFusedPowersMatchUnfused() throws {
        let names = ["x", "y", "z", "w"]
        let p = -2 * z / w
        let expressions: [Expr] = [
            .min([.power(x, p), .power(y, p)]),
            .max([.power(x, p), .power(y, p)]),
            .min([.power(x, z), .power(y, z)]),
            .max([.power(x, z), .power(y, z)]),
            .min([.power(x, q(7, 5)), .power(y, q(7, 5))]),
            .max([.power(x, q(-13, 10)), .power(y, q(-13, 10))]),
            .min([.power(x, q(-1, 3)), .power(y, q(-1, 3)), .power(w, q(-1, 3))]),
            .min([.power(x * w, p), .power(y, p)]) + (x * w) / y * .log(y),
        ]
        var rng = KernelRandom(seed: 3)
        var points = 0
        for e in expressions {
            XCTAssert(try ops(e, names).contains { [.minPow, .maxPow, .minPowC, .maxPowC].contains($0) }, "\(e)")
            var sets: [[[Double]]] = []
            for count in [1, 3, 8, 9, 17, 256, 300, 1000] {
                // ordinary lanes (both signs of the exponent), with special lanes mixed in
                sets.append(Self.columns(&rng, names: 4, count: count, low: -1, high: 30))
                sets.append(Self.columns(&rng, names: 4, count: count, low: 0.01, high: 50, specialShare: 9))
                // equal and nearly equal bases (a few ulps, and around the gap threshold), tiny and large exponents
                var cols = Self.columns(&rng, names: 4, count: count, low: 0.5, high: 1e6, specialShare: 0)
                for j in 0..<count {
                    let bx = cols[0][j]
                    switch rng.next() % 6 {
                    case 0: cols[1][j] = bx
                    case 1: cols[1][j] = bx * (1 + Double(Int(rng.next() % 33) - 16) * 0x1p-52)
                    case 2: cols[1][j] = bx * (1 + rng.uniform(-1, 1) * 0x1p-40)
                    case 3: cols[2][j] = rng.uniform(-1, 1) * 1e-12      // tiny exponent
                    case 4: cols[2][j] = rng.uniform(-400, 400)          // powers overflow or underflow
                    default: cols[2][j] = [0, -0.0, 1e-300, Double.leastNonzeroMagnitude][Int(rng.next() % 4)]
                    }
                }
                sets.append(cols)
            }
            points += try check(e, names, columnSets: sets)
        }
        print("CompiledKernelTests: fused powers checked at \(points) points")
    }

    /// Overflow and the like in the power not taken: the fused path must not apply.
    func testFusedPowersKeepErrors() throws {
        let e = Expr.min([.power(x, z), .power(y, z)])
        let f = try CompiledFunction(e, parameters: ["x", "y", "z"])
        XCTAssert(f([1e300, 2, 1.5]).isNaN)            // 1e300^1.5 overflows: an error, so the min is NaN
        XCTAssert(f([0, 2, -1.5]).isNaN)               // 0^-1.5: division by zero
        XCTAssert(f([-8, 2, 1.0 / 3]).isNaN)           // negative base, non-integer power
        XCTAssertEqual(f([2, 4, 0.5]), 2.0.squareRoot())
        XCTAssertEqual(f([2, 4, -0.5]), 0.5)
        XCTAssertEqual(f([3, 3, 0]), 1)
        let g = try CompiledFunction(.max([.power(x, z), .power(y, z)]), parameters: ["x", "y", "z"])
        XCTAssert(g([1e-300, 2, -1.5]).isNaN)          // (1e-300)^-1.5 overflows
        XCTAssertEqual(g([2, 4, -0.5]), 2.0.squareRoot() / 2)
        XCTAssertEqual(g([2, 4, 0.5]), 2)
    }

    /// The kernel directly, over many lanes: the fused path's value (one power) is the unfused value
    /// (EvalMath.min/max of both powers), and the fused path is what ordinary lanes take.
    func testFusedPowerKernelOnManyLanes() {
        typealias V = VectorMath.Vector
        var rng = KernelRandom(seed: 4)
        let (logs, exps) = (VectorMath.logTable, VectorMath.expTable)
        var vectors = 0, fusedVectors = 0, benchVectors = 0, benchFused = 0
        var wrong: [String] = []
        // KERNEL_SWEEP_ROUNDS=1000000 for a longer sweep (about 8 minutes in a debug build per 10^6 rounds).
        let rounds = Int(ProcessInfo.processInfo.environment["KERNEL_SWEEP_ROUNDS"] ?? "") ?? 10_000
        let specialBases: [Double] = [0, -0.0, -1, -3.5, .infinity, -.infinity, .nan, 0x1p-1074, 0x1p-1030,
                                      Double.greatestFiniteMagnitude, 1, 2]
        let specialExponents: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1e-300, -1e-300, 0x1p-1074, 1e300,
                                          2, 3, -1, 0.5]
        for round in 0..<rounds {
            var xs = V(), ys = V(), ps = V()
            let kind = round % 5
            for j in 0..<V.scalarCount {
                switch kind {
                case 0:   // the benchmark's ranges: N_eff against M, p = -2·beta/d
                    xs[j] = rng.logUniform(1e5, 1e11); ys[j] = rng.uniform(8, 256)
                    ps[j] = -2 * rng.uniform(0.5, 4) / rng.uniform(1, 64)
                case 1:   // wide bases and exponents of both signs
                    xs[j] = rng.logUniform(1e-30, 1e30); ys[j] = rng.logUniform(1e-30, 1e30); ps[j] = rng.uniform(-4, 4)
                case 2:   // bases 1 to 2^10 ulps apart, just above and below the gap threshold, exponents of all sizes
                    xs[j] = rng.logUniform(1e-3, 1e3)
                    ys[j] = xs[j] * (1 + Double(rng.next() % 1024 + 1) * 0x1p-52 * (rng.next() % 2 == 0 ? 1 : -1))
                    ps[j] = rng.uniform(-1, 1) * Foundation.pow(2, rng.uniform(-10, 12))
                case 3:   // near the range limit of the fused path
                    xs[j] = rng.logUniform(1e-300, 1e300); ys[j] = rng.logUniform(1e-300, 1e300)
                    ps[j] = rng.uniform(-4, 4)
                default:  // ordinary lanes with special values among them
                    xs[j] = rng.logUniform(1e-3, 1e3); ys[j] = rng.logUniform(1e-3, 1e3); ps[j] = rng.uniform(-3, 3)
                    if rng.next() % 4 == 0 { xs[j] = specialBases[Int(rng.next() % UInt64(specialBases.count))] }
                    if rng.next() % 4 == 0 { ys[j] = specialBases[Int(rng.next() % UInt64(specialBases.count))] }
                    if rng.next() % 4 == 0 { ps[j] = specialExponents[Int(rng.next() % UInt64(specialExponents.count))] }
                }
            }
            let powers = (0..<V.scalarCount).map { (Self.powLane(xs[$0], ps[$0]), Self.powLane(ys[$0], ps[$0])) }
            for isMax in [false, true] {
                let got = VectorMath.minMaxPow(xs, ys, ps, max: isMax, logs, exps)
                let fused = VectorMath.noneRejected(VectorMath.fusedPowBase(xs, ys, ps, max: isMax).reject)
                vectors += 1
                if fused { fusedVectors += 1 }
                if kind == 0 { benchVectors += 1; if fused { benchFused += 1 } }
                for j in 0..<V.scalarCount {
                    let (u, v) = powers[j]
                    let expected = isMax ? EvalMath.max(u, v) : EvalMath.min(u, v)
                    if !VectorMathTests.same(got[j], expected) {
                        wrong.append("\(isMax ? "max" : "min")(\(xs[j])^\(ps[j]), \(ys[j])^\(ps[j])) = \(got[j]), unfused \(expected)")
                    }
                }
            }
        }
        print("CompiledKernelTests: fused kernel: \(vectors) vectors, \(fusedVectors) on the fused path; benchmark-like \(benchFused)/\(benchVectors); \(wrong.count) differences")
        XCTAssert(wrong.isEmpty, wrong.prefix(5).joined(separator: "\n"))
        XCTAssertEqual(benchFused, benchVectors, "benchmark-like lanes should all take the fused path")
        XCTAssertGreaterThan(fusedVectors, vectors / 4)
        XCTAssertLessThan(fusedVectors, vectors, "the unfused path should be exercised too")
    }
}

/// Seeded generator (SplitMix64), so failures replay.
typealias KernelRandom = SplitMix64
