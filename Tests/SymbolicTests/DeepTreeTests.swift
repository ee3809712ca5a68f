import XCTest
@testable import Symbolic

/// Trees far deeper than the parser allows (it stops at 1,000 levels), built through the library: every
/// whole-tree operation must work without recursing once per level, on the test thread's ordinary stack.
final class DeepTreeTests: XCTestCase {

    /// a0 + b0*(a1 + b1*(... + z)): 4 nodes a level, built bottom-up like `GrowthBench.nestedChain`.
    static func chain(levels: Int, leaf: Expr = "z") -> Expr {
        var e = leaf
        for i in stride(from: levels - 1, through: 0, by: -1) {
            e = .sum([.symbol("a\(i % 7)"), .product([.symbol("b\(i % 5)"), e])])
        }
        return e
    }

    func testEqualityHashingAndReleaseOfA25000LevelChain() {
        let levels = 25_000
        var first: Expr? = Self.chain(levels: levels)
        var second: Expr? = Self.chain(levels: levels)
        XCTAssertEqual(first!.depth, 2 * levels + 1)
        XCTAssertEqual(first!.nodeCount, 4 * levels + 1)
        // Two separately built, structurally equal trees (no shared nodes): equal, same hash, one Set element.
        XCTAssertEqual(first!, second!)
        XCTAssertEqual(first!.hashValue, second!.hashValue)
        XCTAssertEqual(Set([first!, second!]).count, 1)
        // A difference at the deepest leaf only is found.
        let different = Self.chain(levels: levels, leaf: "w")
        XCTAssertNotEqual(first!, different)
        XCTAssertEqual(Set([first!, different]).count, 2)
        // Printing uses an explicit stack (each level still copies the text below it, so 2,000 levels here).
        let printable = Self.chain(levels: 2_000)
        XCTAssertEqual(printable.text.filter { $0 == "(" }.count, 1_999)
        XCTAssertEqual(printable.latex.filter { $0 == "(" }.count, 1_999)
        XCTAssertEqual(try Parser.parseExpression(Self.chain(levels: 900).text), Self.chain(levels: 900))
        // Releasing both trees takes them apart iteratively (the test is that this returns: the recursive
        // release overflowed the stack).
        first = nil
        second = nil
    }

    func testReleaseOfAShared100000LevelSpine() {
        // A spine shared by two parents: releasing one parent must leave the other intact.
        var spine: Expr = "x"
        for _ in 0..<100_000 { spine = .log(spine) }
        let parentB: Expr
        do {
            let parentA: Expr = .sum([spine, "y"])
            parentB = .product([spine, "y"])
            spine = "x"
            // parentA is released at the end of this scope; that must not take apart the spine parentB holds.
            withExtendedLifetime(parentA) {}
        }
        XCTAssertEqual(parentB.depth, 100_002)
        XCTAssertEqual(parentB.nodeCount, 100_003)
        var inner = parentB.children[0]
        var steps = 0
        while case .log(let x) = inner.shape { inner = x; steps += 1 }
        XCTAssertEqual(steps, 100_000)
        XCTAssertEqual(inner, "x")
    }

    func testSimplifyingDeepTreesIsSoundAndDoesNotOverflow() throws {
        var a = Assumptions()
        for name in ["x", "z"] + (0..<7).map({ "a\($0)" }) + (0..<5).map({ "b\($0)" }) { try a.assume(text: "\(name) > 0") }
        var point: [String: Double] = ["x": 3, "z": 0.5]
        for i in 0..<7 { point["a\(i)"] = 0.1 * Double(i + 1) }
        for i in 0..<5 { point["b\(i)"] = 0.5 + 0.05 * Double(i) }
        // sqrt(2*x + sqrt(2*x + ...)), 5,000 levels: deeper than the simplifier's depth guard, which returns the
        // part below it as it is; cheap to simplify, so both modes run on the whole tree.
        var nested: Expr = "x"
        for _ in 0..<5_000 { nested = .sqrt(.sum([.product([2, "x"]), nested])) }
        // A chain that canonical mode multiplies out (its output grows with the square of the depth: 60 levels).
        let chain = Self.chain(levels: 60)
        for e in [nested, chain] {
            let expected = try e.evaluate(point)
            for simplified in [e.tidied(a), e.simplified(a)] {
                XCTAssertEqual(try simplified.evaluate(point), expected, accuracy: 1e-12 * Swift.max(1, abs(expected)))
            }
        }
    }
}

/// The node's cached hash must agree with `==` for every payload kind.
final class ExpressionHashTests: XCTestCase {

    func testEqualExpressionsHashEqually() throws {
        // Canonically equivalent symbol names (é precomposed and decomposed) are equal Strings.
        let composed = Expr.symbol("caf\u{E9}"), decomposed = Expr.symbol("cafe\u{301}")
        XCTAssertEqual(composed, decomposed)
        XCTAssertEqual(composed.hashValue, decomposed.hashValue)
        // Big and small rationals built different ways.
        let big = Rational(10).power(40)!
        XCTAssertEqual(Expr.number(big * Rational(3)), Expr.number(Rational(3) * big))
        XCTAssertEqual(Expr.number(big * Rational(3)).hashValue, Expr.number(Rational(3) * big).hashValue)
        XCTAssertEqual(Expr.number(Rational(numerator: 2, denominator: 4)!).hashValue, Expr.number(Rational(numerator: 1, denominator: 2)!).hashValue)
        // Parsed and built trees.
        let parsed = try Parser.parseExpression("log(x)^2 + min(a, b)*Cover(1/n)")
        let built: Expr = .sum([.power(.log("x"), 2), .product([.min(["a", "b"]), .apply("Cover", [.power("n", -1)])])])
        XCTAssertEqual(parsed, built)
        XCTAssertEqual(parsed.hashValue, built.hashValue)
        // Order matters, and different kinds with the same children differ.
        XCTAssertNotEqual(Expr.sum(["a", "b"]), Expr.sum(["b", "a"]))
        XCTAssertNotEqual(Expr.min(["a", "b"]), Expr.max(["a", "b"]))
        XCTAssertNotEqual(Expr.power("a", "b"), Expr.binom("a", "b"))
        XCTAssertEqual(Set([Expr.sum(["a", "b"]), .sum(["b", "a"]), .min(["a", "b"]), .max(["a", "b"])]).count, 4)
    }
}
