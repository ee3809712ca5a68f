import Symbolic

/// A LaTeX rendering of a derivation (a fuller document generator lives in `bounds latex`).
public enum LaTeXReport {
    public static func document(_ run: DerivationRun, fragment: Bool) -> String {
        var body: [String] = []
        for bound in run.bounds {
            body.append("\\section*{\(escape(bound.name))}")
            body.append("\\[ \(bound.lhs.displayLaTeX) \(bound.relation == .asymptoticLessEqual ? "\\lesssim" : "\\le") \(bound.expression.displayLaTeX) \\]")
        }
        for law in run.laws {
            body.append("\\paragraph{\(escape(law.id)): \(escape(law.name)).} $\\mathrm{risk} \\asymp \(Expression.symbol(law.variable).latex)^{\(law.riskExponent.displayLaTeX)}$.")
        }
        let text = body.joined(separator: "\n")
        if fragment { return text }
        return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n\(text)\n\\end{document}\n"
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\\(c)"
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            default: out.append(c)
            }
        }
        return out
    }
}
