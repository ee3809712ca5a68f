import Foundation
import Symbolic

/// A rate, risk ≍ variable^exponent · log(variable)^logPower, described once for every report: the text,
/// LaTeX, JSON and `compare` outputs all print these strings, so one law never reads differently in two
/// formats.
///
/// Without a log factor the rate is the power itself (`n^(-1)`, and `1` at exponent 0). With one it is written
/// with Õ, which hides the log factor (`Õ(n^(-2*beta/(2*beta + d)))`, and `Õ(1)` at exponent 0), and the hidden
/// factor is available on its own (`log(n)`, `log(n)^2`) for the line that says what Õ hides.
public struct RateDescription: Sendable, Equatable {
    public var variable: String
    public var exponent: Expr
    public var logPower: Expr

    public init(variable: String, exponent: Expr, logPower: Expr) {
        self.variable = variable
        self.exponent = exponent
        self.logPower = logPower
    }

    /// How a quantity grows along a path, `N_eff ∝ <power>`: the bare power (`n^(d/(2*beta + d))`, `1`).
    public static func power(_ variable: String, _ exponent: Expr) -> RateDescription {
        RateDescription(variable: variable, exponent: exponent, logPower: .zero)
    }

    /// True when the rate carries a power of log(variable), which Õ hides.
    public var hidesLogs: Bool { logPower != .zero }

    /// `variable^(exponent)`, `variable` at exponent 1, `1` at exponent 0.
    public var powerText: String {
        if exponent == .zero { return "1" }
        if exponent == .one { return variable }
        return "\(variable)^(\(exponent.display))"
    }

    /// The same power in LaTeX, written as the text writes it (`n^{-1}`, not `\frac{1}{n}`), its exponent inline.
    public var powerLaTeX: String {
        if exponent == .zero { return "1" }
        if exponent == .one { return Expr.latexSymbol(variable) }
        return "\(Expr.latexSymbol(variable))^{\(exponent.forDisplay.inlineLaTeX)}"
    }

    /// The rate as every text output prints it: `n^(-1)`, `Õ(n^(-2*beta/(2*beta + d)))`, `Õ(1)`, `1`.
    public var text: String { hidesLogs ? "Õ(\(powerText))" : powerText }

    /// The same rate in LaTeX: `\tilde{O}\bigl(n^{-2\beta/(2\beta + d)}\bigr)`, `\tilde{O}(1)`.
    public var latex: String {
        guard hidesLogs else { return powerLaTeX }
        return exponent == .zero ? "\\tilde{O}(1)" : "\\tilde{O}\\bigl(\(powerLaTeX)\\bigr)"
    }

    /// The factor Õ hides: `log(n)`, `log(n)^2`, `log(n)^(1/2)`; nil without one.
    public var hiddenLogText: String? {
        guard hidesLogs else { return nil }
        if logPower == .one { return "log(\(variable))" }
        let p = logPower.display
        let simple = logPower.numberValue.map { $0.isInteger && !$0.isNegative } ?? false
        return "log(\(variable))^" + (simple ? p : "(\(p))")
    }

    /// The hidden factor in LaTeX: `\log n`, `(\log n)^{2}`.
    public var hiddenLogLaTeX: String? {
        guard hidesLogs else { return nil }
        let log = "\\log \(Expr.latexSymbol(variable))"
        if logPower == .one { return log }
        return "(\(log))^{\(logPower.forDisplay.inlineLaTeX)}"
    }

    /// The rate with the factor Õ hides, for a side-by-side comparison: `Õ(1) up to log(M)`. Two rates have
    /// the same summary exactly when they have the same exponent and log power.
    public var summary: String { hiddenLogText.map { "\(text) up to \($0)" } ?? text }

    /// `risk ≍ <rate>` in LaTeX.
    public var riskLaTeX: String { "\\mathrm{risk} \\asymp \(latex)" }
}

extension DerivedLaw {
    /// The law's rate (meaningful when it is certified: an undecided law has no exponents).
    public var rate: RateDescription { RateDescription(variable: variable, exponent: riskExponent, logPower: logPower) }
}

extension OptimizedRate {
    public func description(variable: String) -> RateDescription {
        RateDescription(variable: variable, exponent: rate, logPower: logPower)
    }
}

extension Contradiction {
    public var rateDescription: RateDescription { RateDescription(variable: variable, exponent: rate, logPower: logPower) }
    public var lowerBoundDescription: RateDescription { RateDescription(variable: variable, exponent: lowerBoundRate, logPower: .zero) }
}
