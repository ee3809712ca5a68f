import Foundation
import XCTest
import SeededRandom
@testable import Symbolic

// Foundation has its own `Expr` (the predicate macro type); this file means ours.
private typealias Expr = Symbolic.Expr

/// Text and LaTeX printing. The text printer's contract is checked as a property: printing then parsing gives
/// back the same tree, over 10,000 seeded random trees built with the builders, and over hand-made trees the
/// builders would not produce (there the parse equals the tree rebuilt through the builders).
final class PrintTests: XCTestCase {
    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Expr? {
        do {
            return try Parser.parseExpression(text)
        } catch {
            XCTFail("could not parse \(text): \(error)", file: file, line: line)
            return nil
        }
    }

    private let beta: Expr = "beta", d: Expr = "d", n: Expr = "n", x: Expr = "x"
    private let y: Expr = "y", a: Expr = "a", b: Expr = "b", M: Expr = "M", k: Expr = "k"

    // MARK: Text: specific shapes

    func testTextOfSubtractionUsesMinus() {
        XCTAssertEqual((a - b).text, "a - b")
        XCTAssertEqual((a - 3 * b).text, "a - 3*b")
        XCTAssertEqual((a + Expr(-2)).text, "a - 2")
        XCTAssertEqual((-a + b).text, "-a + b")
        XCTAssertEqual((a - (b + x)).text, "a - (b + x)")
        XCTAssertEqual((a - b / 2).text, "a - b/2")
    }

    func testTextOfDivisionAndCoefficients() {
        XCTAssertEqual((2 * beta / (2 * beta + d)).text, "2*beta/(2*beta + d)")
        XCTAssertEqual((x / y).text, "x/y")
        XCTAssertEqual(Expr.reciprocal(n).text, "1/n")
        // x*y^(-2) keeps the power: "x/y^2" would parse as x*(y^2)^(-1), another tree.
        XCTAssertEqual((x * (y ^ -2)).text, "x*y^(-2)")
        XCTAssertEqual((x / (y ^ 2)).text, "x/y^2")
        XCTAssertEqual((2 * x / 3).text, "2*x/3")
        XCTAssertEqual((x / 2).text, "x/2")
        XCTAssertEqual((-x / 2).text, "-x/2")
        XCTAssertEqual((Expr(Rational(numerator: 2, denominator: 3)!) * x / y).text, "(2/3)*x/y")
        XCTAssertEqual((-x).text, "-x")
        XCTAssertEqual((-(x * y)).text, "-x*y")
        XCTAssertEqual((-(a + b)).text, "-(a + b)")
    }

    func testTextOfNumbers() {
        XCTAssertEqual(Expr(Rational(numerator: 3, denominator: 2)!).text, "3/2")
        XCTAssertEqual(Expr(-7).text, "-7")
        XCTAssertEqual((x ^ Expr(Rational(numerator: 3, denominator: 2)!)).text, "x^(3/2)")
        XCTAssertEqual(Expr.power(.minusOne, n).text, "(-1)^n")
        XCTAssertEqual(Expr.power(Expr(Rational(numerator: 1, denominator: 2)!), n).text, "(1/2)^n")
    }

    func testTextOfPowersAndFunctions() {
        XCTAssertEqual(Expr.exp(x).text, "exp(x)")
        XCTAssertEqual(Expr.sqrt(x + 1).text, "sqrt(x + 1)")
        XCTAssertEqual((-(x ^ 2)).text, "-x^2")
        XCTAssertEqual(((-x) ^ 2).text, "(-x)^2")
        XCTAssertEqual(((x ^ 2) ^ 3).text, "(x^2)^3")
        XCTAssertEqual((x ^ (y ^ 2)).text, "x^(y^2)")
        XCTAssertEqual((n ^ (-(2 * beta) / (2 * beta + d))).text, "n^(-2*beta/(2*beta + d))")
        XCTAssertEqual(Expr.log(Expr.e * M / k).text, "log(e*M/k)")
        XCTAssertEqual(Expr.min([a, b + 1]).text, "min(a, b + 1)")
        XCTAssertEqual(Expr.max([a, b, x]).text, "max(a, b, x)")
        XCTAssertEqual(Expr.binom(M, k).text, "binom(M, k)")
        XCTAssertEqual(Expr.pi.text, "pi")
        XCTAssertEqual("\(x + 1)", "x + 1", "description is the text form")
        XCTAssertEqual(Expr.apply("Cover", [.symbol("delta")]).text, "Cover(delta)")
        XCTAssertEqual((Expr.apply("N", [1 / n, x]) ^ 2).text, "N(1/n, x)^2")
    }

    func testRelationText() throws {
        let relation = Relation(lhs: .log(.symbol("Cover")), op: .asymptoticLessEqual, rhs: "N_eff" * Expr.log(1 / Expr.symbol("delta")))
        XCTAssertEqual(relation.text, "log(Cover) <~ N_eff*log(1/delta)")
        XCTAssertEqual(try Parser.parseRelation(relation.text), relation)
        for op in RelationOperator.allCases {
            let r = Relation(lhs: a, op: op, rhs: -b)
            XCTAssertEqual(try Parser.parseRelation(r.description), r, "\(r)")
        }
    }

    // MARK: Text: round trip, property tests

    func testRoundTripOfBuilderTrees() {
        for seed in 0..<UInt64(10_000) {
            var generator = RoundTripExpressions(seed: seed)
            let expression = generator.built(depth: 4)
            let text = expression.text
            guard let back = try? Parser.parseExpression(text) else {
                XCTFail("seed \(seed): text does not parse: \(text)")
                return
            }
            if back != expression {
                XCTFail("seed \(seed): \(text) parses to a different tree\n  printed: \(String(reflecting: expression))\n  parsed:  \(String(reflecting: back))")
                return
            }
        }
    }

    func testRoundTripOfHandMadeTreesEqualsBuilderRebuild() {
        for seed in 0..<UInt64(5_000) {
            var generator = RoundTripExpressions(seed: seed)
            let expression = generator.raw(depth: 4)
            let text = expression.text
            guard let back = try? Parser.parseExpression(text) else {
                XCTFail("seed \(seed): text does not parse: \(text)")
                return
            }
            let expected = RoundTripExpressions.rebuilt(expression)
            if back != expected {
                XCTFail("seed \(seed): \(text) parses to\n  \(String(reflecting: back))\n  expected \(String(reflecting: expected))")
                return
            }
        }
    }

    func testRoundTripOfLargeNumbers() throws {
        let big = try XCTUnwrap(Rational(literal: "123456789012345678901234567890.125"))
        let e = Expr(big) * x - Expr(-big) / y
        XCTAssertEqual(try Parser.parseExpression(e.text), e)
    }

    func testDeepTreesPrintAndReparse() throws {
        var e: Expr = x
        for i in 0..<300 { e = i % 2 == 0 ? Expr.log(e + 1) : (e ^ y) }
        XCTAssertEqual(try Parser.parseExpression(e.text), e)
    }

    // MARK: LaTeX

    func testLatexSymbols() {
        XCTAssertEqual(Expr.latexSymbol("beta"), "\\beta")
        XCTAssertEqual(Expr.latexSymbol("delta"), "\\delta")
        XCTAssertEqual(Expr.latexSymbol("Lambda"), "\\Lambda")
        XCTAssertEqual(Expr.latexSymbol("ell"), "\\ell")
        XCTAssertEqual(Expr.latexSymbol("epsilon"), "\\varepsilon")
        XCTAssertEqual(Expr.latexSymbol("L_T"), "L_{T}")
        XCTAssertEqual(Expr.latexSymbol("N_eff"), "N_{\\mathrm{eff}}")
        XCTAssertEqual(Expr.latexSymbol("Pi_attn"), "\\Pi_{\\mathrm{attn}}")
        XCTAssertEqual(Expr.latexSymbol("d_model"), "d_{\\mathrm{model}}")
        XCTAssertEqual(Expr.latexSymbol("Cover"), "\\mathrm{Cover}")
        XCTAssertEqual(Expr.latexSymbol("x1"), "x_{1}")
        XCTAssertEqual(Expr.latexSymbol("k"), "k")
        XCTAssertEqual(Expr.latexSymbol("theta_0"), "\\theta_{0}")
        XCTAssertEqual(Expr.latexSymbol("_x"), "\\mathrm{\\_x}")
        XCTAssertEqual(Expr.latexSymbol("a b$"), "\\mathrm{a b\\$}")
    }

    func testLatexOfPaperFormulas() {
        XCTAssertEqual((2 * beta / (2 * beta + d)).latex, "\\frac{2\\beta}{2\\beta + d}")
        // Superscripts are inline, as papers typeset rates: a/b, never \frac.
        XCTAssertEqual((n ^ (-(2 * beta) / (2 * beta + d))).latex, "n^{-2\\beta/(2\\beta + d)}")
        XCTAssertEqual((Expr.symbol("C") ^ (d / (2 * (beta + d)))).latex, "C^{d/(2(\\beta + d))}")
        XCTAssertEqual((n ^ ((2 * beta + d) / (2 * (beta + d)))).latex, "n^{(2\\beta + d)/(2(\\beta + d))}")
        XCTAssertEqual(Expr.exp(x / 2).latex, "e^{x/2}")
        XCTAssertEqual((x ^ (y ^ -2)).latex, "x^{1/y^{2}}")
        XCTAssertEqual((x ^ (1 / (a * b))).latex, "x^{1/(ab)}")
        // log of a binomial coefficient: \binom brings its own parentheses.
        XCTAssertEqual(Expr.log(.binom(M, k)).latex, "\\log\\binom{M}{k}")
        XCTAssertEqual((Expr.log(.binom(M, k)) ^ 2).latex, "\\log^{2}\\binom{M}{k}")
        XCTAssertEqual(Expr.latexSymbol("max_pi"), "\\max_{\\pi}")
        XCTAssertEqual(Expr.latexSymbol("T_pi"), "T_{\\pi}")
        XCTAssertEqual(Expr.log(Expr.e * M / k).latex, "\\log\\left(\\frac{eM}{k}\\right)")
        XCTAssertEqual(Expr.log(n).latex, "\\log(n)")
        let LT: Expr = "L_T", ell: Expr = "ell"
        XCTAssertEqual((LT * ell * k * Expr.log(Expr.e * M / k)).latex,
                       "L_{T} \\ell k \\log\\left(\\frac{eM}{k}\\right)")
        XCTAssertEqual(Expr.binom(M, k).latex, "\\binom{M}{k}")
        XCTAssertEqual(Expr.min([a, b]).latex, "\\min\\{a, b\\}")
        XCTAssertEqual(Expr.max([a, b]).latex, "\\max\\{a, b\\}")
        XCTAssertEqual(Expr.exp(x).latex, "e^{x}")
        XCTAssertEqual(Expr.sqrt(x).latex, "\\sqrt{x}")
        XCTAssertEqual((a - b).latex, "a - b")
        XCTAssertEqual(Expr.pi.latex, "\\pi")
        XCTAssertEqual(Expr.log(.apply("Cover", [.symbol("delta")])).latex, "\\log(\\mathrm{Cover}(\\delta))")
        XCTAssertEqual(Expr.apply("N", [1 / n]).latex, "N\\left(\\frac{1}{n}\\right)")
        XCTAssertEqual(("N_eff" * Expr.log(1 / Expr.symbol("delta"))).latex,
                       "N_{\\mathrm{eff}} \\log\\left(\\frac{1}{\\delta}\\right)")
    }

    func testLatexFractionsAndProducts() {
        XCTAssertEqual((x / 2).latex, "\\frac{x}{2}")
        XCTAssertEqual((2 * x / 3).latex, "\\frac{2x}{3}")
        XCTAssertEqual((-x / 2).latex, "-\\frac{x}{2}")
        XCTAssertEqual((x * (y ^ -2)).latex, "\\frac{x}{y^{2}}")
        XCTAssertEqual(Expr.reciprocal(n).latex, "\\frac{1}{n}")
        XCTAssertEqual((x ^ Expr(Rational(numerator: -1, denominator: 2)!)).latex, "x^{-1/2}")
        XCTAssertEqual((2 * beta / (2 * beta + d)).inlineLaTeX, "2\\beta/(2\\beta + d)")
        XCTAssertEqual(Expr(Rational(numerator: 3, denominator: 2)!).inlineLaTeX, "3/2")
        XCTAssertEqual(Expr.reciprocal(n).inlineLaTeX, "1/n")
        XCTAssertEqual(Expr(Rational(numerator: 3, denominator: 2)!).latex, "\\frac{3}{2}")
        XCTAssertEqual(Expr.product([2, .power(3, n)]).latex, "2 \\cdot 3^{n}")
        XCTAssertEqual(Expr.product([x, 2]).latex, "x \\cdot 2")
        XCTAssertEqual(((a + b) * x).latex, "(a + b) x")
        XCTAssertEqual((2 * (a + b)).latex, "2(a + b)")
        XCTAssertEqual((-(x ^ 2)).latex, "-x^{2}")
        XCTAssertEqual((a - 2 * b).latex, "a - 2b")
    }

    func testLatexPowers() {
        XCTAssertEqual(((x ^ 2) ^ 3).latex, "\\left(x^{2}\\right)^{3}")
        XCTAssertEqual((Expr.exp(x) ^ 2).latex, "\\left(e^{x}\\right)^{2}")
        XCTAssertEqual((Expr.log(n) ^ 2).latex, "\\log^{2}(n)")
        XCTAssertEqual(Expr.power(.minusOne, n).latex, "(-1)^{n}")
        XCTAssertEqual(((a + b) ^ 2).latex, "(a + b)^{2}")
        XCTAssertEqual((Expr("L_T") ^ 2).latex, "L_{T}^{2}")
        XCTAssertEqual(((x / y) ^ beta).latex, "\\left(\\frac{x}{y}\\right)^{\\beta}")
    }

    func testRelationLatex() {
        let expected: [RelationOperator: String] = [
            .lessEqual: "\\le", .less: "<", .equal: "=", .greaterEqual: "\\ge", .greater: ">",
            .asymptoticLessEqual: "\\lesssim", .asymptoticGreaterEqual: "\\gtrsim", .asymptoticEqual: "\\asymp",
        ]
        for op in RelationOperator.allCases {
            XCTAssertEqual(Relation(lhs: a, op: op, rhs: b).latex, "a \(expected[op] ?? "?") b")
        }
    }

    /// Without pdflatex: braces balance, no group carries two superscripts (a TeX error), no superscript holds a
    /// `\frac`.
    func testLatexIsStructurallySoundOnRandomTrees() {
        // The lint itself catches what it looks for.
        XCTAssertNotNil(LaTeXLint.problem(in: "n^{-\\frac{2\\beta}{d}}"))
        XCTAssertNotNil(LaTeXLint.problem(in: "x^{2}^{3}"))
        XCTAssertNil(LaTeXLint.problem(in: "\\frac{n^{-2\\beta/d}}{2}"))
        for seed in 0..<UInt64(3_000) {
            var generator = RoundTripExpressions(seed: seed)
            let expression = seed % 2 == 0 ? generator.built(depth: 4) : generator.raw(depth: 4)
            let latex = expression.latex
            if let problem = LaTeXLint.problem(in: latex) {
                XCTFail("seed \(seed): \(problem) in \(latex)")
                return
            }
        }
    }

    /// Compiles a few hundred random expressions in one document with pdflatex and only amsmath.
    /// Relations go in a second document that also loads amssymb, which `\lesssim` and `\gtrsim` need.
    func testLatexCompilesWithPdflatex() throws {
        guard let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex", "/Library/TeX/texbin/pdflatex"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw XCTSkip("pdflatex not installed") }
        var lines: [String] = []
        for seed in 0..<UInt64(400) {
            var generator = RoundTripExpressions(seed: seed)
            let e = seed % 2 == 0 ? generator.built(depth: 4) : generator.raw(depth: 4)
            lines.append("% seed \(seed)\n\\[ \(e.latex) \\]")
        }
        for name in ["beta", "N_eff", "Pi_attn", "d_model", "Cover", "_x", "a{b}%#&~^\\", "x__y", "Omega_1", "β_x"] {
            lines.append("\\[ \(Expr.latexSymbol(name)) \\]")
        }
        try compile(lines, packages: ["amsmath"], with: pdflatex)
        let relations = RelationOperator.allCases.map {
            "\\[ \(Relation(lhs: "N_eff", op: $0, rhs: Expr.log(.symbol("Cover"))).latex) \\]"
        }
        try compile(relations, packages: ["amsmath", "amssymb"], with: pdflatex)
    }

    private func compile(_ lines: [String], packages: [String], with pdflatex: String,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let document = "\\documentclass{article}\n"
            + packages.map { "\\usepackage{\($0)}\n" }.joined()
            + "\\begin{document}\n" + lines.joined(separator: "\n") + "\n\\end{document}\n"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-latex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try document.write(to: directory.appendingPathComponent("t.tex"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex)
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "t.tex"]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            let log = (try? String(contentsOf: directory.appendingPathComponent("t.log"), encoding: .utf8)) ?? ""
            let errorLines = log.split(separator: "\n").drop { !$0.hasPrefix("!") }.prefix(8).joined(separator: "\n")
            XCTFail("pdflatex failed:\n\(errorLines)", file: file, line: line)
        }
    }
}

// MARK: - Seeded random expressions

/// Random trees, either through the builders (the shapes the rest of the engine makes) or raw (any shape:
/// numbers anywhere, nested sums, `x^1`, one-argument min).
fileprivate struct RoundTripExpressions {
    var random: SplitMix64
    // (The seed is offset by one step, as this file's own generator did, so that every seed gives the same trees.)
    init(seed: UInt64) { random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    /// Names of uninterpreted quantities (`.apply`), such as `Cover(delta)`.
    static let quantities = ["Cover", "f", "N_pi", "Lip"]
    static let symbols = ["x", "y", "n", "beta", "d", "N_eff", "L_T", "Pi_attn", "ell", "k", "M", "delta", "d_model", "C", "x1"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func rational() -> Rational {
        switch int(0...9) {
        case 0...4: return Rational(int(-6...6))
        case 5...7: return Rational(numerator: BigInt(int(-7...7)), denominator: BigInt(int(1...6))) ?? .one
        case 8: return Rational(literal: ["1e20", "-123456789012345678901", "2.5e-3", "0.125"][int(0...3)]) ?? .one
        default: return [Rational.minusOne, Rational(numerator: 1, denominator: 2) ?? .one][int(0...1)]
        }
    }

    mutating func leaf() -> Expr {
        switch int(0...9) {
        case 0...2: return .number(rational())
        case 3: return [Expr.e, Expr.pi][int(0...1)]
        default: return .symbol(Self.symbols[int(0...Self.symbols.count - 1)])
        }
    }

    mutating func exponent(_ depth: Int, raw: Bool) -> Expr {
        switch int(0...5) {
        case 0: return .number(Rational(int(-3...3)))
        case 1: return .number(Rational(numerator: BigInt(int(-3...3)), denominator: BigInt(int(1...3))) ?? .one)
        default: return raw ? self.raw(depth: depth - 1) : built(depth: depth - 1)
        }
    }

    mutating func built(depth: Int) -> Expr {
        if depth <= 0 || int(0...5) == 0 { return leaf() }
        func children(_ count: ClosedRange<Int>) -> [Expr] { (0..<int(count)).map { _ in built(depth: depth - 1) } }
        switch int(0...15) {
        case 0, 1: return Expr.add(children(2...4))
        case 2, 3: return Expr.multiply(children(2...4))
        case 4: return built(depth: depth - 1) - built(depth: depth - 1)
        case 5: return built(depth: depth - 1) / built(depth: depth - 1)
        case 6, 7: return Expr.raise(built(depth: depth - 1), exponent(depth, raw: false))
        case 8: return Expr.negate(built(depth: depth - 1))
        case 9: return .log(built(depth: depth - 1))
        case 10: return int(0...1) == 0 ? Expr.exp(built(depth: depth - 1)) : Expr.sqrt(built(depth: depth - 1))
        case 11: return Expr.minimum(children(1...3))
        case 12: return Expr.maximum(children(1...3))
        case 13: return .binom(built(depth: depth - 1), built(depth: depth - 1))
        case 14: return .apply(Self.quantities[int(0...Self.quantities.count - 1)], children(1...2))
        default: return Expr.reciprocal(built(depth: depth - 1))
        }
    }

    mutating func raw(depth: Int) -> Expr {
        if depth <= 0 || int(0...5) == 0 { return leaf() }
        func children(_ count: ClosedRange<Int>) -> [Expr] { (0..<int(count)).map { _ in raw(depth: depth - 1) } }
        switch int(0...11) {
        case 0, 1: return .sum(children(1...4))
        case 2, 3: return .product(children(1...4))
        case 4: return .product([.number(rational())] + children(1...3))
        case 5, 6: return .power(raw(depth: depth - 1), exponent(depth, raw: true))
        case 7: return .log(raw(depth: depth - 1))
        case 8: return .min(children(1...3))
        case 9: return .max(children(1...3))
        case 10: return .apply(Self.quantities[int(0...Self.quantities.count - 1)], children(1...2))
        default: return .binom(raw(depth: depth - 1), raw(depth: depth - 1))
        }
    }

    /// The tree the builders make from the same children: what a round trip of a raw tree must give.
    static func rebuilt(_ e: Expr) -> Expr {
        switch e.shape {
        case .number, .symbol, .constant: return e
        case .sum(let xs): return Expr.add(xs.map(rebuilt))
        case .product(let xs): return Expr.multiply(xs.map(rebuilt), keepingFactorsOfZero: true)  // as the parser builds it
        case .power(let b, let x): return Expr.raise(rebuilt(b), rebuilt(x))
        case .log(let x): return .log(rebuilt(x))
        case .min(let xs): return Expr.minimum(xs.map(rebuilt))
        case .max(let xs): return Expr.maximum(xs.map(rebuilt))
        case .binom(let n, let k): return .binom(rebuilt(n), rebuilt(k))
        case .apply(let name, let xs): return .apply(name, xs.map(rebuilt))
        }
    }
}

/// Catches the TeX errors a printer can make without a TeX installation: unbalanced braces or
/// `\left`/`\right`, and a double superscript (`x^{2}^{3}`); and `\frac` inside a superscript, which papers
/// never typeset (exponents are inline: `n^{-2\beta/(2\beta + d)}`).
fileprivate enum LaTeXLint {
    static func problem(in latex: String) -> String? {
        // One entry per open group: does the last atom in it carry a superscript, and is the group itself
        // a superscript argument (closing it decorates the atom before the `^`)?
        var groups: [(superscripted: Bool, isSuperscript: Bool)] = [(false, false)]
        var lefts = 0
        var pendingSuperscript = false
        var chars = Array(latex)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            let top = groups.count - 1
            switch c {
            case "\\":
                let name = String(chars.prefix { $0.isLetter })
                chars = chars.dropFirst(name.isEmpty ? 1 : name.count)  // `\{` or `\frac`
                if name == "frac" && groups.contains(where: \.isSuperscript) { return "\\frac inside a superscript" }
                if name == "left" { lefts += 1 }
                if name == "right" { lefts -= 1 }
                if lefts < 0 { return "\\right without \\left" }
                groups[top].superscripted = false
            case "{":
                groups.append((false, pendingSuperscript))
                pendingSuperscript = false
            case "}":
                guard groups.count > 1 else { return "unbalanced '}'" }
                let closed = groups.removeLast()
                groups[groups.count - 1].superscripted = closed.isSuperscript
            case "^":
                if groups[top].superscripted { return "double superscript" }
                if chars.first == "{" {
                    pendingSuperscript = true
                } else {
                    chars = chars.dropFirst()
                    groups[top].superscripted = true
                }
            case " ", "_":
                continue
            default:
                groups[top].superscripted = false
            }
        }
        if groups.count != 1 { return "unbalanced '{'" }
        if lefts != 0 { return "unbalanced \\left/\\right" }
        return nil
    }
}
