import XCTest
@testable import Symbolic

// Foundation (re-exported by XCTest) has its own `Expr`; this file means ours.

/// Hostile input end to end (parse → simplify → evaluate): each case ends in a located error with a
/// sentence, or in the correct answer. Also the regression cases found by `bounds-fuzz` (bench/FUZZ.md).
final class ReliabilityTests: XCTestCase {

    // MARK: Helpers

    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Expr? {
        do { return try Parser.parseExpression(text) } catch {
            XCTFail("\(text.prefix(80)): \(error)", file: file, line: line)
            return nil
        }
    }

    /// The parse error for `text`, checked to be located (line >= 1, column >= 1) with a sentence.
    @discardableResult
    private func parseError(_ text: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) -> ParseError? {
        do {
            let e = try Parser.parseExpression(text)
            XCTFail("\(text.prefix(80)) parsed as \(e.text.prefix(80)), expected an error containing '\(fragment)'", file: file, line: line)
            return nil
        } catch {
            XCTAssertGreaterThanOrEqual(error.location.line, 1, file: file, line: line)
            XCTAssertGreaterThanOrEqual(error.location.column, 1, file: file, line: line)
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
            return error
        }
    }

    private func evaluationError(_ e: Expr, _ values: [String: Double]) -> EvaluationError? {
        do {
            let v = try e.evaluate(values)
            XCTFail("\(e) evaluated to \(v) at \(values), expected an error")
            return nil
        } catch {
            XCTAssertFalse(error.description.isEmpty)
            return error
        }
    }

    private func assumptions(_ texts: [String]) throws -> Assumptions {
        var a = Assumptions()
        for t in texts { try a.assume(text: t) }
        return a
    }

    // MARK: Nesting 10^5 deep

    /// 100,000 levels of every construct that nests: a located error at the 1001st level, not a stack overflow.
    func testNestingOneHundredThousandDeepIsALocatedError() {
        let depth = 100_000
        let limit = Parser.maximumNesting
        let cases: [(String, Int)] = [
            (String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth), limit + 1),
            (String(repeating: "-", count: depth) + "x", limit + 1),
            (String(repeating: "x^", count: depth) + "x", 2 * (limit + 1)),
            (String(repeating: "log(", count: depth) + "x" + String(repeating: ")", count: depth), 4 * (limit + 1)),
            (String(repeating: "min(1,", count: depth) + "x" + String(repeating: ")", count: depth), 6 * limit + 4),
            (String(repeating: "Cover(", count: depth) + "x" + String(repeating: ")", count: depth), 6 * (limit + 1)),
        ]
        for (text, column) in cases {
            guard let error = parseError(text, "nested too deeply") else { continue }
            XCTAssertEqual(error.location.line, 1)
            XCTAssertEqual(error.location.column, column, String(text.prefix(12)))
            // The relation parser shares the limit.
            XCTAssertThrowsError(try Parser.parseRelation(text + " <= 1"))
        }
        // Unbalanced brackets 10^5 deep are errors too.
        parseError(String(repeating: "(", count: depth), "nested too deeply")
        parseError("x" + String(repeating: ")", count: depth), "unmatched ')'")
    }

    /// 10^5 levels is fine when it is breadth, not depth: a flat sum simplifies to the right answer.
    func testHundredThousandTermSumSimplifies() throws {
        let text = Array(repeating: "x", count: 100_000).joined(separator: " + ") + " - 99999*x"
        let e = try XCTUnwrap(parse(text))
        XCTAssertEqual(e.simplified(), "x")
    }

    // MARK: Huge numbers

    func testIntegersAndExponentsOfThousandsOfDigits() throws {
        let big = "7" + String(repeating: "3", count: 4_999)           // 5,000 digits, about 16,600 bits
        let n = try XCTUnwrap(parse(big))
        XCTAssertEqual(n.numberValue?.numerator.description.count, 5_000)
        // Exact arithmetic: N - N + 1 is 1, N/N is 1.
        XCTAssertEqual(parse("\(big) - \(big) + 1"), 1)
        XCTAssertEqual(parse("\(big) / \(big)")?.simplified(), 1)
        // A thousands-of-digits exponent stays a power (no attempt to compute it) and evaluates to a clear error.
        let tower = try XCTUnwrap(parse("2^\(big)"))
        XCTAssertEqual(tower.simplified(), tower)
        guard case .nonFinite? = evaluationError(tower, [:]) else { return XCTFail("expected a non-finite error for 2^\(big.prefix(10))...") }
        // x^N with a huge integer N: the simplifier keeps it; x = 1 gives 1, x = 2 overflows with a sentence.
        let power = try XCTUnwrap(parse("x^\(big)"))
        XCTAssertEqual(power.simplified(), power)
        // Past the exact-number limit (2^16 bits): an error at the literal, not a hang.
        parseError(String(repeating: "9", count: 20_000), "too large")
        parseError("1 + 1e20000", "too large")
        parseError("x^1e-20000", "too large")
        if let error = parseError("x + 1e999999999", "too large") { XCTAssertEqual(error.location.column, 5) }
    }

    /// Regression (bounds-fuzz, parse mode): folding a product of literals is not size-limited, so
    /// `9^7000*9^7000*...` (each factor legal, 22,189 bits) builds numbers of millions of bits with
    /// quadratic multiplication; 160 factors (1 KB of text) took over two minutes to parse. Every exact
    /// number the parser builds must respect `Rational.maxBits` (an error, or a product left unfolded).
    func testRegressionProductOfHugeLiteralsStaysWithinTheExactNumberLimit() {
        let text = Array(repeating: "9^7000", count: 7).joined(separator: "*")
        do {
            let e = try Parser.parseExpression(text)
            var widest = 0
            var stack = [e]
            while let node = stack.popLast() {
                if case .number(let r) = node.shape { widest = max(widest, r.numerator.bitWidth, r.denominator.bitWidth) }
                stack.append(contentsOf: node.children)
            }
            XCTAssertLessThanOrEqual(widest, Rational.maxBits,
                                     "parsing \(text.prefix(20))... built a \(widest)-bit number; the limit is \(Rational.maxBits) bits")
        } catch {
            XCTAssertTrue(error.message.contains("too large"), error.description)
        }
    }

    // MARK: Division by zero, logs of nonpositive values, 0^0

    func testDivisionByZeroIsAnEvaluationError() throws {
        for text in ["1/0", "x/0", "x/(y - y)", "1/(x - 1)", "(x - x)^(-1)", "0^(-2)", "x^(-1/2)"] {
            let e = try XCTUnwrap(parse(text))
            let values: [String: Double] = ["x": text.contains("x - 1") ? 1 : 0, "y": 2]
            guard case .domain(let message)? = evaluationError(e, values) else { XCTFail("\(text): expected a domain error"); continue }
            XCTAssertTrue(message.contains("division by zero"), "\(text): \(message)")
            // Simplifying must not turn the undefined expression into a defined, different one.
            let s = e.simplified()
            if let v = try? s.evaluate(values), text != "x^(-1/2)" {
                XCTFail("\(text) simplified to \(s), which evaluates to \(v) where the original is undefined")
            }
        }
        // The simplifier leaves 1/0 alone (no rule divides by zero).
        XCTAssertEqual(parse("1/0")?.simplified(), .power(0, -1))
    }

    func testLogOfANonpositiveExpressionIsAnEvaluationError() throws {
        for (text, point) in [("log(x - 2)", 1.0), ("log(x)", 0), ("log(-x)", 3), ("ln(x^3)", -1), ("log(log(x))", 0.5)] {
            let e = try XCTUnwrap(parse(text))
            guard case .domain(let message)? = evaluationError(e, ["x": point]) else { XCTFail("\(text): expected a domain error"); continue }
            XCTAssertTrue(message.contains("log of a nonpositive value"), "\(text): \(message)")
        }
        // log(-1) is not rewritten into something defined.
        XCTAssertEqual(parse("log(-1)")?.simplified(), .log(-1))
        // log(x^2) for x of unknown sign must not become 2*log(x), which is undefined at x = -1.
        let square = try XCTUnwrap(parse("log(x^2)"))
        XCTAssertEqual(try square.simplified().evaluate(["x": -1]), 0)
        // With x > 0 the rule is licensed.
        XCTAssertEqual(square.simplified(try assumptions(["x > 0"])), 2 * Expr.log("x"))
    }

    func testZeroToTheZeroIsOneByConvention() throws {
        XCTAssertEqual(parse("0^0"), 1)
        XCTAssertEqual(try parse("x^0")?.evaluate(["x": 0]), 1)
        XCTAssertEqual(try parse("x^y")?.evaluate(["x": 0, "y": 0]), 1)
        XCTAssertEqual(parse("x^0")?.simplified(), 1)
        XCTAssertEqual(parse("(x - x)^0")?.simplified(), 1)
        // 0^x: only x > 0 licenses 0; otherwise the power stays (0^0 = 1, 0^(-1) undefined).
        let zeroPower = try XCTUnwrap(parse("0^x"))
        XCTAssertEqual(zeroPower.simplified(), zeroPower)
        XCTAssertEqual(zeroPower.simplified(try assumptions(["x > 0"])), 0)
        XCTAssertEqual(try zeroPower.evaluate(["x": 0]), 1)
        XCTAssertNotNil(evaluationError(zeroPower, ["x": -1]))
    }

    // MARK: min/max of incomparable terms

    func testMinMaxOfIncomparableTermsStayUnsimplified() throws {
        XCTAssertEqual(parse("min(x, y)")?.simplified(), .min(["x", "y"]))
        XCTAssertEqual(parse("max(x, -x)")?.simplified().children.count, 2)
        let moe = try assumptions(["N_eff >= 1", "M >= 1 integer", "beta > 0", "d >= 1 integer"])
        let paper = try XCTUnwrap(parse("min(N_eff^(-2*beta/d), M^(-2*beta/d))"))
        guard case .min(let operands) = paper.simplified(moe).shape else { return XCTFail("the min of P4 was resolved: \(paper.simplified(moe))") }
        XCTAssertEqual(operands.count, 2)
        // Comparable operands do simplify.
        XCTAssertEqual(parse("min(x, x + 1)")?.simplified(), "x")
        XCTAssertEqual(parse("max(1, 2, x)")?.simplified(), .max([2, "x"]))
        XCTAssertEqual(parse("min(n, beta)")?.simplified(try assumptions(["n >= 2", "beta in (0, 1)"])), "beta")
    }

    // MARK: NaN and infinity

    func testNaNAndInfinityInEvaluation() throws {
        let e = try XCTUnwrap(parse("x*y + log(x)"))
        for bad in [Double.nan, .infinity, -.infinity, .signalingNaN] {
            guard case .nonFinite(let message)? = evaluationError(e, ["x": bad, "y": 1]) else { XCTFail("\(bad): expected non-finite"); continue }
            XCTAssertTrue(message.contains("'x'"), message)
        }
        // Overflow names the subexpression instead of returning inf.
        XCTAssertNotNil(evaluationError(try XCTUnwrap(parse("exp(x)")), ["x": 1000]))
        XCTAssertNotNil(evaluationError(try XCTUnwrap(parse("x*x*x")), ["x": 1e200]))
        XCTAssertNotNil(evaluationError(try XCTUnwrap(parse("1e308 * 10")), [:]))
        // 0 * inf is not 0.
        XCTAssertNotNil(evaluationError(try XCTUnwrap(parse("0*y + x*exp(y)")), ["x": 0, "y": 1000]))
    }

    // MARK: Contradictory assumptions

    func testContradictoryAssumptionsAreErrorsNamingBothFacts() {
        var a = Assumptions()
        XCTAssertNoThrow(try a.assume(text: "beta > 0", file: "a.txt", line: 3, column: 1))
        XCTAssertThrowsError(try a.assume(text: "beta < 0", file: "a.txt", line: 4, column: 1)) { error in
            let e = error as? AssumptionError
            XCTAssertEqual(e?.location?.line, 4)
            XCTAssertTrue(e?.message.contains("contradictory") == true, "\(error)")
            XCTAssertTrue(e?.message.contains("beta > 0") == true, "\(error)")
        }
        var b = Assumptions()
        XCTAssertThrowsError(try b.assume(text: "integer m in (0, 1)", file: "b.txt", line: 2, column: 5)) { error in
            XCTAssertTrue("\(error)".contains("b.txt:2:5"), "\(error)")
            XCTAssertTrue("\(error)".contains("an integer"), "\(error)")
        }
        var c = Assumptions()
        XCTAssertThrowsError(try c.assume(text: "1 < 0"))
        // A contradiction through a relation, with the relation stated last.
        var d = Assumptions()
        XCTAssertThrowsError(try { try d.assume(text: "k >= 3"); try d.assume(text: "M <= 2"); try d.assume(text: "k <= M") }())
    }

    /// Regression: contradiction detection depended on the order of the facts. `k <= M` first, then
    /// `M <= 2` and `k >= 3`, was accepted: bounds added after a relation are not pushed through it
    /// (`Assumptions.assumeNonnegative` → `tighten` never re-runs `propagate()`).
    func testRegressionContradictionThroughARelationStatedFirst() {
        var d = Assumptions()
        XCTAssertThrowsError(try { try d.assume(text: "k <= M"); try d.assume(text: "M <= 2"); try d.assume(text: "k >= 3") }(),
                             "k <= M, M <= 2, k >= 3 has no solution")
    }

    // MARK: Sign-guarded rules at the boundary values 0, 1 and negatives

    /// The guarded power and log laws, at points where the guard matters. Each simplified form must
    /// have the original's value wherever the original has one.
    func testGuardedRulesAgreeAtBoundaryValues() throws {
        let cases: [(String, [String])] = [
            ("(x^2)^(1/2)", []), ("(x^(1/2))^2", []), ("(x^2)^(1/2)", ["x >= 0"]), ("(x^(-1))^(-1)", ["x >= 0"]),
            ("log(x^2)", []), ("log(x^2)", ["x >= 0"]), ("log(x*y)", ["x > 0"]), ("log(-2*x)", []), ("exp(2*log(x))", ["x >= 0"]),
            ("x^(1/2)*x^(1/2)", []), ("x^(1/2)*x^(-1/2)", ["x >= 0"]), ("(x*y)^(1/2)", ["x > 0"]), ("(x*y)^(1/2)", []),
            ("(2*x + 2*y)^(1/2)", []), ("(-2*x - 2*y)^(1/2)", []), ("(x^3)^(1/3)", []), ("0^x", ["x >= 0"]),
            ("min(x, x^2)", ["x in [0, 1]"]), ("max(x, x^2)", ["x >= 1"]), ("x^y*x^z", ["x >= 0"]), ("(x^y)^2", []),
            ("1/x + 1/y", []), ("(x^2 - 1)/(x - 1)", []), ("log(e^x)", []), ("exp(log(x))", ["x >= 0"]),
        ]
        let points: [Double] = [0, 1, -1, 2, 0.5, -0.5, 3]
        for (text, assumed) in cases {
            let a = try assumptions(assumed)
            let e = try XCTUnwrap(parse(text))
            let s = e.simplified(a)
            for x in points { for y in points { for z in [0.0, 1, -1, 0.5] {
                let p = ["x": x, "y": y, "z": z]
                if assumed.contains("x >= 0") && x < 0 { continue }
                if assumed.contains("x > 0") && x <= 0 { continue }
                if assumed.contains("x in [0, 1]") && !(0...1).contains(x) { continue }
                if assumed.contains("x >= 1") && x < 1 { continue }
                guard let original = try? e.evaluate(p) else { continue }
                do {
                    let value = try s.evaluate(p)
                    XCTAssertEqual(value, original, accuracy: 1e-9 * max(1, abs(original)), "\(text) → \(s) at \(p) under \(assumed)")
                } catch {
                    XCTFail("\(text) = \(original) at \(p) under \(assumed), but its simplified form \(s) is undefined: \(error)")
                }
            } } }
        }
    }

    /// Found by the checker fuzzer: b^x with a log in x is tried as exp(x·log b), and the fold's own products met
    /// b^(...) again, recursing until the stack overflowed (a crash of `bounds check`). Each must simplify, to an
    /// expression equal to the original.
    func testRegressionPowerOfANumberWithALogInTheExponentTerminates() throws {
        let a = try assumptions(["n >= 2"])
        for text in ["(1/2)^(2*n + (2*n)/log(2*n))", "2^(log(n) + 1)", "2^(n/log(n) + log(n)/log(2))", "3^(log(n)*n + 1/log(n))",
                     "(1/2)^(2*n + (2*n)/log(2*n)) - log(n)"] {
            let e = try XCTUnwrap(parse(text))
            let s = e.simplified(a)
            for n in [2.0, 3, 7.5, 20] {
                let original = try e.evaluate(["n": n]), value = try s.evaluate(["n": n])
                XCTAssertEqual(value, original, accuracy: 1e-9 * max(1, abs(original)), "\(text) → \(s) at n = \(n)")
            }
        }
    }

    // MARK: Printing

    /// Regression (bounds-fuzz, parse mode): the LaTeX of an identifier with many underscores recursed once
    /// per underscore and re-checked the whole remaining name each time (quadratic, and a stack overflow for
    /// long enough names): a 25,000-character `N_effN_eff...` took 11 s in a release build. Run through the
    /// CLI, so a crash fails this test instead of killing the test process.
    func testRegressionLaTeXOfALongIdentifierWithManyUnderscores() throws {
        let name = String(repeating: "N_eff", count: 8_000)
        let r = try runBounds(["simplify", name, "--format", "latex"], timeout: 120)
        XCTAssertEqual(r.status, 0, "exit \(r.status) (\(r.reason)): \(r.stderr.suffix(2000))")
        XCTAssertFalse(r.stdout.isEmpty)
    }

    /// Regression (bounds-fuzz, parse mode, seed 20261122 input 16284): an integer exponent equal to Int.min
    /// trapped in `abs(n)` (Sign.swift `Assumptions.powerInterval`, and Evaluator.swift `PowerPlan.init`),
    /// killing the process: `bounds simplify "min(1, 2^(-9223372036854775808))"` died with SIGILL. The fuzzer's
    /// input was `binom(-(6.02e23)^sqrt(-n), sqrt(-exp(−9223372036854775808)))`.
    func testRegressionAnExponentOfIntMinDoesNotTrap() throws {
        for text in ["min(1, 2^(-9223372036854775808))", "sqrt(-exp(-9223372036854775808))", "log(-e^(-9223372036854775808))",
                     "binom(-(6.02e23)^sqrt(-n), sqrt(-exp(−9223372036854775808)))", "x^(-9223372036854775808) + x^9223372036854775807"] {
            let r = try runBounds(["simplify", text], timeout: 60)
            XCTAssertEqual(r.reason, "exit", "\(text): \(r.reason)\n\(r.stderr.prefix(1500))")
            XCTAssertEqual(r.status, 0, "\(text): \(r.stderr.prefix(500))")
        }
    }

    /// Regression (bounds-fuzz, parse mode, seed 20261122 input 326538, killed as a hang): every literal like
    /// `1e19000` is legal (63,000 bits) but costs a 63,000-bit power of ten in `Rational(literal:)`, so 5,000
    /// of them (40 kB of text) kept the parser busy for over 10 s in a release build. The work an input can
    /// cause must be bounded (a located "too large" error, or cheap repeated literals). Out of process, with a
    /// generous limit, so a hang fails this test instead of stalling the suite.
    func testRegressionManyHugeLiteralsDoNotHangTheParser() throws {
        let text = "log(x) + " + Array(repeating: "1e19000", count: 5_000).joined(separator: "+")
        let r = try runBounds(["simplify", text], timeout: 60)
        XCTAssertEqual(r.reason, "exit", "5,000 copies of 1e19000: \(r.reason)")
        XCTAssertTrue(r.status == 0 || r.stderr.contains("too large"), "exit \(r.status): \(r.stderr.prefix(300))")
    }

    private struct Run { var status: Int32; var reason: String; var stdout: String; var stderr: String }

    /// The `bounds` binary beside the test bundle, run with a time limit (killed after `timeout` seconds).
    private func runBounds(_ arguments: [String], timeout: Double) throws -> Run {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent(), root.appendingPathComponent(".build-fuzz/debug")]
        guard let binary = candidates.map({ $0.appendingPathComponent("bounds") }).first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("the bounds binary is not built")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-rel-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-rel-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        var reason = ""
        if process.isRunning {
            process.terminate()
            reason = "killed after \(timeout) s"
        }
        process.waitUntilExit()
        if reason.isEmpty { reason = process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "exit" }
        return Run(status: reason == "exit" ? process.terminationStatus : -1, reason: reason,
                   stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    // MARK: Regressions from bounds-fuzz (simplify mode)
}
