import XCTest
@testable import Symbolic

/// Assumptions: the text forms, bounds and relations, propagation, and contradictions that name the facts
/// that clash.
final class AssumptionTests: XCTestCase {

    func assumptions(_ texts: [String]) throws -> Assumptions {
        var a = Assumptions()
        for t in texts { try a.assume(text: t) }
        return a
    }

    /// The error raised by the assumptions, in the given order.
    func contradiction(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) -> AssumptionError? {
        do {
            let a = try assumptions(texts)
            XCTFail("\(texts) were accepted: \(a.symbols.mapValues(\.interval))", file: file, line: line)
        } catch let error as AssumptionError {
            return error
        } catch {
            XCTFail("\(texts): expected an AssumptionError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func assertNames(_ error: AssumptionError?, _ facts: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let error else { return }
        XCTAssert(error.message.hasPrefix("contradictory assumptions") || error.message.contains("is false"), error.message, file: file, line: line)
        for fact in facts {
            XCTAssert(error.message.contains("'\(fact)'"), "the message should name '\(fact)': \(error.message)", file: file, line: line)
        }
    }

    func testOppositeSignsClash() {
        assertNames(contradiction(["beta > 0", "beta < 0"]), ["beta > 0", "beta < 0"])
        assertNames(contradiction(["beta < 0", "beta > 0"]), ["beta > 0", "beta < 0"])
        assertNames(contradiction(["beta >= 0", "beta < 0"]), ["beta >= 0", "beta < 0"])
        assertNames(contradiction(["beta > 0", "beta <= 0"]), ["beta > 0", "beta <= 0"])
        assertNames(contradiction(["2 < x < 1"]), ["2 < x < 1"])
        XCTAssertNoThrow(try assumptions(["beta >= 0", "beta <= 0"]), "beta = 0 satisfies both")
    }

    func testAnIntegerStrictlyBetweenZeroAndOneClashes() {
        assertNames(contradiction(["integer k", "k in (0, 1)"]), ["integer k", "k in (0, 1)"])
        assertNames(contradiction(["k in (0, 1)", "integer k"]), ["integer k", "k in (0, 1)"])
        assertNames(contradiction(["k in (0, 1) integer"]), ["k in (0, 1) integer"])
        assertNames(contradiction(["k > 0 integer", "k < 1"]), ["k > 0 integer", "k < 1"])
        XCTAssertNoThrow(try assumptions(["k in (0, 1]", "integer k"]))
        XCTAssertNoThrow(try assumptions(["k in (0, 1)"]), "a real k is fine")
    }

    /// k <= M, M < 1 and k >= 1 clash in every order, and the message names all three facts.
    func testARelationCarriesBoundsToAClash() {
        let facts = ["k <= M", "M < 1", "k >= 1"]
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let texts = order.map { facts[$0] }
            assertNames(contradiction(texts), facts)
        }
        assertNames(contradiction(["1 <= k <= M", "M < 1"]), ["1 <= k <= M", "M < 1"])
        assertNames(contradiction(["k in [1, M]", "M <= 1/2"]), ["k in [1, M]", "M <= 1/2"])
    }

    func testRelationsThatRefuteEachOtherClash() {
        assertNames(contradiction(["x < y", "y < x"]), ["x < y", "y < x"])
        assertNames(contradiction(["x <= y", "y < x"]), ["x <= y", "y < x"])
        assertNames(contradiction(["x < -1", "y < -1", "x + y > 0"]), ["x < -1", "y < -1", "x + y > 0"])
        XCTAssertNoThrow(try assumptions(["x <= y", "y <= x"]), "x = y satisfies both")
        XCTAssertNoThrow(try assumptions(["x < y", "y < z", "x < z"]))
    }

    func testFalseNumericAssumptionsAndAsymptoticRelationsAreErrors() {
        XCTAssertThrowsError(try assumptions(["1 > 2"])) { error in
            XCTAssert("\(error)".contains("'1 > 2'") && "\(error)".contains("false"), "\(error)")
        }
        XCTAssertThrowsError(try assumptions(["x <~ y"])) { error in
            XCTAssert("\(error)".contains("exact relation"), "\(error)")
        }
        XCTAssertThrowsError(try assumptions(["beta"]))
        XCTAssertThrowsError(try assumptions(["x_real"]), "a name containing 'real' is not the word real")
        XCTAssertNoThrow(try assumptions(["x_real real"]))
        XCTAssertThrowsError(try assumptions(["k in [1, M"]))
        XCTAssertThrowsError(try assumptions(["beta >> 0"]))
    }

    /// Errors carry the location the caller gave (a theory file's line and column).
    func testErrorsCarryTheirLocation() {
        var a = Assumptions()
        XCTAssertNoThrow(try a.assume(text: "beta > 0", file: "t.bounds", line: 3, column: 5))
        do {
            try a.assume(text: "beta < 0", file: "t.bounds", line: 7, column: 3)
            XCTFail("accepted")
        } catch let error as AssumptionError {
            XCTAssertEqual(error.location?.line, 7)
            XCTAssertEqual(error.location?.column, 3)
            XCTAssert(error.message.contains("'beta > 0'") && error.message.contains("3:5"), error.message)
        } catch {
            XCTFail("\(error)")
        }
    }

    func testTextFormsGiveBoundsAndDomains() throws {
        let a = try assumptions(["beta > 0", "d >= 1 integer", "integer M", "delta in (0, 1)", "1 <= k <= M",
                                 "L_T, ell >= 1", "k > 0.5 integer", "F >= 1", "real x"])
        XCTAssertEqual(a.interval(ofSymbol: "beta").description, "(0, ∞)")
        XCTAssertEqual(a.interval(ofSymbol: "d").description, "[1, ∞)")
        XCTAssert(a.isInteger("d") && a.isInteger("M") && a.isInteger("k") && !a.isInteger("beta"))
        XCTAssertEqual(a.interval(ofSymbol: "delta").description, "(0, 1)")
        XCTAssertEqual(a.interval(ofSymbol: "k").description, "[1, ∞)")
        XCTAssertEqual(a.interval(ofSymbol: "M").description, "[1, ∞)", "k >= 1 and k <= M give M >= 1")
        XCTAssertEqual(a.interval(ofSymbol: "L_T").description, "[1, ∞)")
        XCTAssertEqual(a.interval(ofSymbol: "ell").description, "[1, ∞)")
        XCTAssert(a.isDeclared("x"))
        XCTAssertEqual(a.interval(ofSymbol: "x"), .everything)
        XCTAssertEqual(a.interval(ofSymbol: "undeclared"), .everything)
    }

    /// Bounds travel along relations, whichever comes first.
    func testBoundsPropagateThroughRelations() throws {
        let upper = try assumptions(["k <= M", "M <= 3"])
        XCTAssertEqual(upper.interval(ofSymbol: "k").upper, Rational(3))
        let late = try assumptions(["k <= M", "k >= 2"])
        XCTAssertEqual(late.interval(ofSymbol: "M").lower, Rational(2))
        let strict = try assumptions(["k < M", "k >= 2"])
        XCTAssertEqual(strict.interval(ofSymbol: "M").description, "(2, ∞)")
        let integer = try assumptions(["k < M", "k >= 2", "integer M"])
        XCTAssertEqual(integer.interval(ofSymbol: "M").description, "[3, ∞)")
        // The reason for M's bound names both facts it came from.
        let reason = late.sign(of: .symbol("M")).reason
        XCTAssert(reason.contains("'k <= M'") && reason.contains("'k >= 2'"), reason)
    }

    func testEqualityIsTwoInequalities() throws {
        let a = try assumptions(["x = 2"])
        XCTAssertEqual(a.interval(ofSymbol: "x"), .point(Rational(2)))
        let b = try assumptions(["x = y"])
        XCTAssertEqual(b.quickSign(try Parser.parseExpression("x - y")), .zero)
        XCTAssertEqual(b.quickSign(try Parser.parseExpression("y - x")), .zero)
        XCTAssertEqual(b.sign(of: try Parser.parseExpression("y - x")).sign, .zero)
    }

    /// Declaring twice is harmless; an integer declaration after a bound rounds it inward.
    func testDeclarationsAreIdempotentAndRoundIntegerBounds() throws {
        var a = Assumptions()
        try a.declare("n")
        try a.declare("n")
        try a.assume(.symbol("n"), .greater, Expr(Rational(literal: "1.5")!), origin: .init("n > 1.5"))
        try a.declare("n", domain: .integer)
        XCTAssertEqual(a.interval(ofSymbol: "n").description, "[2, ∞)")
        try a.declare("n", domain: .real)
        XCTAssert(a.isInteger("n"), "a later real declaration does not undo integrality")
    }

    /// Linear-arithmetic answers are remembered per goal and assumptions: an answer under one set of facts must
    /// never be read back under another, however close (one fact less, a copy changed after asking, the strict
    /// goal after the non-strict one, a contradiction added to consistent facts).
    func testRememberedLinearAnswersAreKeyedByTheWholeAssumptions() throws {
        let goal = Expr.symbol("x") - .one
        let related = try assumptions(["y >= 1", "x >= y", "z >= 0"])
        XCTAssert(related.linearlyProves(goal, strict: false), "x >= y >= 1 gives x >= 1")
        let unrelated = try assumptions(["y >= 1", "z >= 0"])
        XCTAssertFalse(unrelated.linearlyProves(goal, strict: false), "without x >= y nothing bounds x")
        XCTAssertFalse(related.linearlyProves(goal, strict: true), "x = 1 is allowed: not strict")
        // A copy asked after a change: the change is a new key.
        var weakened = try assumptions(["y >= 0"])
        let before = weakened
        try weakened.assume(text: "x >= y + 1")
        XCTAssert(weakened.linearlyProves(goal, strict: false))
        XCTAssertFalse(before.linearlyProves(goal, strict: false), "the copy taken before x >= y + 1 still has x free")
        // Contradiction, remembered the same way.
        var clash = try assumptions(["x >= y", "y >= z"])
        XCTAssertFalse(clash.linearlyInconsistent)
        clash.facts.append(Assumptions.Fact(expression: .symbol("z") - .symbol("x") - .one, strict: false, origin: .init("z - x >= 1")))
        XCTAssert(clash.linearlyInconsistent, "x >= y >= z >= x + 1 has no solution")
        XCTAssertFalse(try assumptions(["x >= y", "y >= z"]).linearlyInconsistent, "the consistent facts, asked again, are still consistent")
    }
}
