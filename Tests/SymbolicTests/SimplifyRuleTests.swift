import XCTest
@testable import Symbolic

/// Every named rule of `Rule.catalog` fires when its side condition holds (it is recorded in the trace and the
/// result is the rewrite) and does not fire when the condition fails or is unknown (not recorded, form kept).
final class SimplifyRuleTests: XCTestCase {

    /// a, b > 0; m, j integers >= 1; x, y, z of unknown sign; delta in (0, 1).
    static func assumptions() throws -> Assumptions {
        var a = Assumptions()
        for text in ["a > 0", "b > 0", "m >= 1 integer", "j >= 1 integer", "delta in (0, 1)"] { try a.assume(text: text) }
        return a
    }

    struct Case {
        var rule: String
        /// Inputs on which the rule fires, with the expected result (text, parsed and compared as trees).
        var fires: [(String, String)]
        /// Inputs on which it must not fire; the expected result is the input unless given.
        var holds: [(String, String?)]
        var options: Simplifier.Options = .canonical
    }

    /// A raw tree the builders would never make, to reach the flatten rules.
    static let nestedSum = Expr.sum([.sum([.symbol("x"), .symbol("y")]), .symbol("z")])
    static let nestedProduct = Expr.product([.product([.symbol("x"), .symbol("y")]), .symbol("z")])

    static let cases: [Case] = [
        Case(rule: "sum.collect", fires: [("2*x + 3*x", "5*x"), ("x*y - y*x", "0"), ("log(a) + 2*log(a)", "3*log(a)")],
             holds: [("x + y", nil), ("x + x^2", nil)]),
        Case(rule: "sum.together", fires: [("1 - d/(2*beta + d)", "2*beta/(2*beta + d)"),
                                          ("1/(x + 1) - 1/(x + 2)", "1/((x + 1)*(x + 2))")],
             // Monomial denominators stay as separate terms (no polynomial denominator to share).
             holds: [("a/x + b/y", nil), ("x + 1/y", nil)]),
        Case(rule: "fraction.cancel", fires: [("(x^2 - 1)/(x - 1)", "x + 1"), ("(4*beta + 2*d)/(2*beta + d)", "2"),
                                             ("(x^3 + y^3)/(x + y)", "x^2 - x*y + y^2")],
             holds: [("(x^2 + 1)/(x - 1)", "(x^2 + 1)/(x - 1)"), ("(x^2 - 1)/(x - 2)", nil)]),
        Case(rule: "product.collect", fires: [("x^2*x^3", "x^5"), ("a^x*a^y", "a^(x + y)"), ("sqrt(delta)*sqrt(delta)", "delta"),
                                             ("x^2/x", "x")],
             // x^a*x^b with x of unknown sign and symbolic exponents: x = -1, a = b = 1/2 would differ.
             holds: [("x^a*x^b", nil), ("x^a*x^2", nil), ("x*y", nil), ("sqrt(x)*sqrt(x)", nil)]),
        Case(rule: "product.distribute", fires: [("x*(y + 1)", "x*y + x"), ("(x + 1)*(x - 1)", "x^2 - 1")],
             holds: [("x*y*z", nil)]),
        Case(rule: "product.distribute", fires: [],
             holds: [("x*(y + 1)", "x*(y + 1)")], options: .tidy),
        Case(rule: "power.zero-exponent", fires: [("x^0", "1"), ("(x - y)^(a - a)", "1")],
             holds: [("x^a", nil)]),
        Case(rule: "power.one", fires: [("1^x", "1")], holds: [("2^x", nil)]),
        Case(rule: "power.zero-base", fires: [("0^a", "0"), ("0^(m + 1/2)", "0")],
             // 0^x with x of unknown sign may be 1 (x = 0) or undefined (x < 0).
             holds: [("0^x", nil), ("0^(-a)", nil)]),
        Case(rule: "power.numeric", fires: [("4^(1/2)", "2"), ("8^(2/3)", "4"), ("(9/4)^(-1/2)", "2/3"), ("(27/8)^(1/3)", "3/2")],
             holds: [("2^(1/2)", nil), ("(-8)^(1/3)", nil), ("2^x", nil)]),
        Case(rule: "power.of-power", fires: [("(a^2)^(1/2)", "a"), ("(x^a)^2", "x^(2*a)"), ("(a^x)^y", "a^(x*y)"),
                                            ("sqrt(x)^2", "x"), ("sqrt(sqrt(x))", "x^(1/4)"), ("(x^(1/3))^a", "x^(a/3)")],
             // (x^2)^(1/2) is |x|; (x^a)^b with x of unknown sign and symbolic b has no licence.
             holds: [("(x^2)^(1/2)", nil), ("(x^a)^b", nil), ("(x^2)^a", nil)]),
        Case(rule: "power.of-product", fires: [("(x*y)^2", "x^2*y^2"), ("(a*x)^(1/2)", "sqrt(a)*sqrt(x)"),
                                              ("(a*b)^x", "a^x*b^x")],
             holds: [("(x*y)^(1/2)", nil), ("(x*y)^a", nil)]),
        Case(rule: "power.of-product", fires: [], holds: [("(a*b)^x", nil)], options: .tidy),
        Case(rule: "power.expand", fires: [("(x + y)^2", "x^2 + 2*x*y + y^2"), ("(x - 1)^3", "x^3 - 3*x^2 + 3*x - 1")],
             holds: [("(x + y)^33", nil), ("(x + y)^a", nil), ("(x + y)^(1/2)", nil)]),
        Case(rule: "power.expand", fires: [], holds: [("(x + y)^2", nil)], options: .tidy),
        Case(rule: "power.sum-content", fires: [("(2*x + 2*y)^a", "2^a*(x + y)^a"), ("(-2*x - 2*y)^(1/2)", "sqrt(2)*sqrt(-x - y)"),
                                               ("(x/a + 2)^(-1)", "a/(x + 2*a)")],
             // A negative content is not pulled out of a non-integer power; a monomial of unknown sign neither.
             holds: [("(x + y)^a", nil), ("(-x - y)^(1/2)", nil), ("(x*y + x)^(1/2)", nil)]),
        Case(rule: "binom.symmetry", fires: [("binom(m, m - j)", "binom(m, j)")], holds: [("binom(m, j)", nil)]),
        Case(rule: "power.numeric-normal", fires: [("1/(3*sqrt(2))", "sqrt(2)/6"), ("sqrt(12)", "2*sqrt(3)"), ("2^x*3^x", "6^x"), ("(a/6)^x*6^x", "a^x")],
             holds: [("2^x", nil), ("x^(1/2)", nil)]),
        Case(rule: "minmax.absorb", fires: [("min(x, max(x, y))", "x"), ("max(x, min(x, y))", "x"), ("min(x, y, max(x, y, z))", "min(x, y)")],
             holds: [("min(x, max(y, z))", nil)]),
        Case(rule: "exp.log", fires: [("exp(log(a))", "a"), ("exp(2*log(a))", "a^2"), ("exp(-log(delta))", "1/delta"),
                                     ("exp(x*log(a))", "a^x")],
             holds: [("exp(log(x))", nil), ("exp(y*log(x))", nil)]),
        Case(rule: "log.one", fires: [("log(1)", "0"), ("log(x^0)", "0")], holds: [("log(2)", nil)]),
        Case(rule: "log.e", fires: [("log(e)", "1")], holds: [("log(pi)", nil)]),
        Case(rule: "log.exp", fires: [("log(exp(x))", "x"), ("log(exp(x*y))", "x*y")], holds: [("log(x)", nil)]),
        Case(rule: "log.power", fires: [("log(a^x)", "x*log(a)"), ("log(sqrt(delta))", "log(delta)/2")],
             holds: [("log(x^2)", nil), ("log(x^a)", nil)]),
        Case(rule: "log.product", fires: [("log(a*b)", "log(a) + log(b)"), ("log(2*a)", "log(2) + log(a)"), ("log(a/b)", "log(a) - log(b)")],
             // Split only when every factor is known positive: x*y > 0 does not make x, y > 0.
             holds: [("log(x*y)", nil), ("log(a*x)", nil), ("log(-2*a)", nil)]),
        Case(rule: "log.product", fires: [], holds: [("log(a*b)", nil)], options: .tidy),
        Case(rule: "log.rational", fires: [("log(12/5)", "2*log(2) + log(3) - log(5)"), ("log(1048576)", "20*log(2)")],
             // A prime stays; a number with a prime factor above 10^4 stays.
             holds: [("log(2)", nil), ("log(100160063)", nil), ("log(-12)", nil)]),
        Case(rule: "minmax.flatten", fires: [("min(x, min(y, z))", "min(x, y, z)"), ("max(max(x, y), z)", "max(x, y, z)")],
             // min inside max is not flattened.
             holds: [("max(x, min(y, z))", nil)]),
        Case(rule: "minmax.dominated", fires: [("min(a, a + 1)", "a"), ("max(a, -1)", "a"), ("min(a, -a)", "-a"),
                                              ("min(k, M, M + 1)", "min(k, M)")],
             holds: [("min(x, y)", nil), ("max(x, x^2)", nil), ("min(a, b)", nil), ("min(delta, 1/2)", nil)]),
        Case(rule: "minmax.numeric", fires: [("min(2, 3)", "2"), ("min(x, 2, 3)", "min(2, x)"), ("max(1/2, -4, 3/4)", "3/4")],
             holds: [("min(x, 2)", nil)]),
        Case(rule: "binom.numeric", fires: [("binom(5, 2)", "10"), ("binom(40, 20)", "137846528820"), ("binom(4, 3)", "4")],
             // k > n and negative n are undefined, not folded.
             holds: [("binom(5, 7)", nil), ("binom(-1, 2)", nil), ("binom(m, j)", nil), ("binom(5/2, 1/2)", nil)]),
        Case(rule: "binom.trivial", fires: [("binom(m, 0)", "1"), ("binom(m, 1)", "m"), ("binom(m, m)", "1")],
             holds: [("binom(m, 2)", nil), ("binom(m, j)", nil)]),
    ]

    func run(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let assumptions = try Self.assumptions()
        for (input, expected) in c.fires {
            let simplifier = Simplifier(assumptions: assumptions, options: c.options, trace: true)
            let result = simplifier.simplify(try Parser.parseExpression(input))
            XCTAssert(simplifier.trace.contains(c.rule), "\(c.rule) should fire on \(input); trace: \(simplifier.trace)", file: file, line: line)
            let want = Simplifier(assumptions: assumptions, options: c.options).simplify(try Parser.parseExpression(expected))
            XCTAssertEqual(result, want, "\(c.rule) on \(input)", file: file, line: line)
        }
        for (input, expected) in c.holds {
            let simplifier = Simplifier(assumptions: assumptions, options: c.options, trace: true)
            let parsed = try Parser.parseExpression(input)
            let result = simplifier.simplify(parsed)
            XCTAssertFalse(simplifier.trace.contains(c.rule), "\(c.rule) must not fire on \(input); trace: \(simplifier.trace)", file: file, line: line)
            let want = try expected.map { try Parser.parseExpression($0) } ?? parsed
            XCTAssertEqual(Self.unordered(result), Self.unordered(want),
                           "\(input) must stay \(want) (up to operand order), got \(result)", file: file, line: line)
        }
    }

    /// Operands of sums, products, min and max sorted by their text: equal up to operand order.
    static func unordered(_ e: Expr) -> Expr {
        let kids = e.children.map(unordered)
        let sorted = kids.sorted { $0.text < $1.text }
        switch e.shape {
        case .sum: return .sum(sorted)
        case .product: return .product(sorted)
        case .min: return .min(sorted)
        case .max: return .max(sorted)
        default: return e.replacingChildren(kids)
        }
    }

    func testEveryRuleOfTheCatalogFiresWhenItsConditionHoldsAndNotOtherwise() throws {
        for c in Self.cases { try run(c) }
    }

    func testEveryCatalogRuleIsCovered() {
        let covered = Set(Self.cases.filter { !$0.fires.isEmpty }.map(\.rule) + ["sum.flatten", "product.flatten"])
        for rule in Rule.catalog {
            XCTAssert(covered.contains(rule.name), "rule \(rule.name) has no firing test")
        }
        XCTAssertEqual(Set(Rule.catalog.map(\.name)).count, Rule.catalog.count, "rule names are unique")
    }

    func testFlattenRulesFireOnlyOnNestedTrees() throws {
        let s = Simplifier(trace: true)
        XCTAssertEqual(s.simplify(Self.nestedSum), .sum([.symbol("x"), .symbol("y"), .symbol("z")]))
        XCTAssert(s.trace.contains("sum.flatten"))
        let p = Simplifier(trace: true)
        XCTAssertEqual(p.simplify(Self.nestedProduct), .product([.symbol("x"), .symbol("y"), .symbol("z")]))
        XCTAssert(p.trace.contains("product.flatten"))
        for flat in [Expr.symbol("x") + .symbol("y"), .symbol("x") * .symbol("y")] {
            let t = Simplifier(trace: true)
            _ = t.simplify(flat)
            XCTAssertFalse(t.trace.contains("sum.flatten") || t.trace.contains("product.flatten"), "\(flat): \(t.trace)")
        }
    }

    /// Names in a trace are names of the catalog: a rewrite cannot go unrecorded under an unknown name.
    func testTracesUseCatalogNamesOnly() throws {
        let names = Set(Rule.catalog.map(\.name))
        let assumptions = try Self.assumptions()
        for c in Self.cases {
            for (input, _) in c.fires {
                let s = Simplifier(assumptions: assumptions, options: c.options, trace: true)
                _ = s.simplify(try Parser.parseExpression(input))
                for name in s.trace { XCTAssert(names.contains(name), "\(name) (from \(input)) is not in the catalog") }
            }
        }
    }

    /// With no rule applied, the trace is empty and the expression is returned as it is.
    func testCanonicalInputRecordsNothing() throws {
        for input in ["x", "x + y", "2*beta/(2*beta + d)", "x^2 + 2*x*y + y^2", "log(x*y)", "min(x, y)"] {
            let s = Simplifier(trace: true)
            let e = s.simplify(try Parser.parseExpression(input))
            XCTAssertEqual(s.trace, [], "\(input) → \(e)")
        }
    }

    /// Tracing off records nothing (the simplifier is used in hot loops).
    func testTraceIsOffByDefault() throws {
        let s = Simplifier()
        _ = s.simplify(try Parser.parseExpression("(x + y)^2 + log(12)"))
        XCTAssertEqual(s.trace, [])
    }
}
