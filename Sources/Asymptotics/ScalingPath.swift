import Foundation
import Symbolic

/// Which variable grows, how the others move with it, and what is held fixed.
///
/// "n → ∞ with N_eff = n^theta, beta, d fixed" is `ScalingPath(growing: "n", substitutions: ["N_eff": n^theta],
/// fixed: ["beta", "d"])`. Every asymptotic statement in `bounds` carries one; there is no multivariate O
/// without a path. Symbols that are neither growing, substituted nor free exponents are held fixed, and
/// `describe` names them.
public struct ScalingPath: Sendable, CustomStringConvertible {
    public var growing: String
    public var substitutions: [(String, Expr)]
    public var fixed: [String]
    /// Exponents left free for optimization (theta in N_eff = n^theta).
    public var freeExponents: [String]

    public init(growing: String, substitutions: [(String, Expr)] = [], fixed: [String] = [], freeExponents: [String] = []) {
        self.growing = growing
        self.substitutions = substitutions
        self.fixed = fixed
        self.freeExponents = freeExponents
    }

    /// The expression with the path's substitutions applied; a value may use another substituted symbol,
    /// earlier or later in the list (a cycle is an error of `validate`).
    public func apply(to e: Expr) -> Expr {
        var result = e
        for _ in 0...substitutions.count {
            var next = result
            for (name, value) in substitutions { next = next.substituting([name: value]) }
            if next == result { break }
            result = next
        }
        return result
    }

    /// Errors in the path itself: a substitution that refers to itself (directly or through others), one for
    /// the growing variable, or a free exponent that is the growing variable.
    public func validate() throws {
        if growing.isEmpty {
            throw AsymptoticError("an asymptotic statement needs a growing variable (e.g. n → ∞)")
        }
        let substituted = Set(substitutions.map(\.0))
        if substituted.contains(growing) {
            throw AsymptoticError("the path substitutes the growing variable \(growing); it can only grow")
        }
        if freeExponents.contains(growing) {
            throw AsymptoticError("the growing variable \(growing) cannot also be a free exponent")
        }
        for (name, value) in substitutions where value.contains(symbol: name) {
            throw AsymptoticError("the path substitution \(name) = \(value) refers to itself")
        }
        for (name, _) in substitutions {
            let resolved = apply(to: .symbol(name))
            if let left = resolved.freeSymbols.first(where: substituted.contains) {
                throw AsymptoticError("the path substitutions for \(name) and \(left) refer to each other")
            }
        }
    }

    /// The assumptions extended with what the path implies: the growing variable is > 1 (eventually).
    public func extend(_ assumptions: Assumptions) -> Assumptions {
        var a = assumptions
        try? a.assume(.symbol(growing), .greater, .one, origin: .init("\(growing) → ∞"))
        return a
    }

    /// Symbols of `e` held fixed along this path (not growing, not substituted, not free exponents).
    public func heldFixed(in e: Expr) -> [String] {
        let moving = Set([growing] + substitutions.map(\.0) + freeExponents)
        return Array(Set(e.freeSymbols + fixed).subtracting(moving)).sorted()
    }

    public var description: String {
        var parts = ["\(growing) → ∞"]
        parts += substitutions.map { "\($0.0) = \($0.1)" }
        if !fixed.isEmpty { parts.append("\(fixed.joined(separator: ", ")) fixed") }
        return parts.joined(separator: ", ")
    }

    public func describe(for e: Expr) -> String {
        var parts = ["\(growing) → ∞"]
        parts += substitutions.map { "\($0.0) = \($0.1)" }
        let held = heldFixed(in: apply(to: e))
        if !held.isEmpty { parts.append("\(held.joined(separator: ", ")) fixed") }
        return parts.joined(separator: ", ")
    }

    public var latex: String {
        var parts = ["\(Expr.symbol(growing).latex) \\to \\infty"]
        parts += substitutions.map { "\(Expr.symbol($0.0).latex) = \($0.1.latex)" }
        return parts.joined(separator: ",\\ ")
    }

    /// Parse `"N_eff=n^theta"` style substitutions.
    public static func parseSubstitution(_ text: String) throws -> (String, Expr) {
        guard let eq = text.firstIndex(of: "=") else {
            throw AsymptoticError("a path substitution must read 'symbol = expression', got '\(text)'")
        }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces)
        let lhs = try Parser.parseExpression(String(name), file: "<path>")
        guard case .symbol(let s) = lhs.shape else {
            throw AsymptoticError("the left side of a path substitution must be a symbol, got '\(name)'")
        }
        let rhs = try Parser.parseExpression(String(text[text.index(after: eq)...]), file: "<path>")
        return (s, rhs)
    }
}
