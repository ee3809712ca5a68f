import Foundation

/// The escapers of every output, in one place: TeX text mode, TeX math mode (inside `\mathrm{...}`) and XML
/// (SVG, HTML). Every string that comes from a theory file or a message goes through one of them, so any text
/// compiles (or parses) whatever it holds.
public enum TeX {
    /// Text-mode TeX: specials escaped, and Unicode turned into LaTeX (math symbols in `$...$`, accents, Greek);
    /// characters pdflatex cannot typeset become `?`. ASCII digraphs read as the symbols they stand for
    /// (`<=` is `$\le$`, `->` is `$\to$`).
    public static func text(_ text: String) -> String {
        var s = text
        // Foundation's `contains` is slow here (a bridged search per digraph): look for the two bytes first.
        func hasPair(_ pair: String) -> Bool {
            let p = Array(pair.utf8)
            var previous: UInt8 = 0
            for byte in s.utf8 {
                if previous == p[0] && byte == p[1] { return true }
                previous = byte
            }
            return false
        }
        let mayHaveDigraph = s.utf8.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "!") }
        for (digraph, symbol) in [("<=", "≤"), (">=", "≥"), ("->", "→"), ("<~", "≲"), (">~", "≳"), ("!=", "≠")]
            where mayHaveDigraph && hasPair(digraph) && s.contains(digraph) {
            s = s.replacingOccurrences(of: digraph, with: symbol)
        }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\\(c)"
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "<": out += "$<$"
            case ">": out += "$>$"
            case "|": out += "$|$"
            case "\"": out += "''"
            default:
                if c.isASCII {
                    if let v = c.asciiValue, v >= 32 && v != 127 { out.append(c) } else if c == "\n" || c == "\t" { out.append(" ") }
                } else if let math = unicodeMath[c] {
                    out += "$\(math)$"
                } else if let text = unicodeText[c] {
                    out += text
                } else {
                    out += "?"
                }
            }
        }
        return out
    }

    /// Any string made safe inside `\mathrm{...}`: TeX specials escaped, Greek letters as commands, other
    /// non-ASCII dropped to `?` (pdflatex cannot typeset them in math without extra packages).
    public static func mathText(_ name: String) -> String {
        var out = ""
        for c in name {
            switch c {
            case "\\": out += "\\backslash{}"
            case "{": out += "\\{"
            case "}": out += "\\}"
            case "_": out += "\\_"
            case "#": out += "\\#"
            case "$": out += "\\$"
            case "%": out += "\\%"
            case "&": out += "\\&"
            case "^": out += "\\hat{}"
            case "~": out += "\\sim{}"
            default:
                if c.isASCII, !(c.asciiValue.map { $0 < 32 || $0 == 127 } ?? true) {
                    out.append(c)
                } else if let name = Lexer.greekNames[c], let command = LaTeXSyntax.greekCommand(name) {
                    out += command + "{}"
                } else {
                    out += "?"
                }
            }
        }
        return out
    }

    /// Unicode that reads as math, with its command.
    public static let unicodeMath: [Character: String] = [
        "→": "\\to", "←": "\\leftarrow", "⇒": "\\Rightarrow", "↦": "\\mapsto", "≍": "\\asymp", "∝": "\\propto",
        "∞": "\\infty", "≤": "\\le", "≥": "\\ge", "≲": "\\lesssim", "≳": "\\gtrsim", "≈": "\\approx", "≠": "\\ne",
        "∼": "\\sim", "·": "\\cdot", "×": "\\times", "±": "\\pm", "∈": "\\in", "∉": "\\notin", "⊆": "\\subseteq",
        "⊂": "\\subset", "∪": "\\cup", "∩": "\\cap", "⋃": "\\bigcup", "∑": "\\sum", "∏": "\\prod", "√": "\\surd",
        "‖": "\\|", "∂": "\\partial", "∇": "\\nabla", "∀": "\\forall", "∃": "\\exists", "ℓ": "\\ell", "°": "^\\circ",
        "Õ": "\\tilde{O}", "Θ": "\\Theta", "Ω": "\\Omega", "Γ": "\\Gamma", "Δ": "\\Delta", "Λ": "\\Lambda",
        "Π": "\\Pi", "Σ": "\\Sigma", "Φ": "\\Phi", "Ψ": "\\Psi", "Ξ": "\\Xi", "Υ": "\\Upsilon",
        "α": "\\alpha", "β": "\\beta", "γ": "\\gamma", "δ": "\\delta", "ε": "\\varepsilon", "ϵ": "\\epsilon",
        "ζ": "\\zeta", "η": "\\eta", "θ": "\\theta", "ϑ": "\\vartheta", "ι": "\\iota", "κ": "\\kappa",
        "λ": "\\lambda", "μ": "\\mu", "ν": "\\nu", "ξ": "\\xi", "π": "\\pi", "ρ": "\\rho", "σ": "\\sigma",
        "τ": "\\tau", "υ": "\\upsilon", "φ": "\\phi", "ϕ": "\\phi", "χ": "\\chi", "ψ": "\\psi", "ω": "\\omega",
        "𝒯": "\\mathcal{T}", "𝒫": "\\mathcal{P}", "ℝ": "\\mathbf{R}", "ℕ": "\\mathbf{N}", "𝔼": "\\mathbf{E}",
        "⁻": "^{-}", "¹": "^{1}", "²": "^{2}", "³": "^{3}", "⁰": "^{0}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}",
        "∥": "\\|", "⟨": "\\langle", "⟩": "\\rangle", "∘": "\\circ", "∗": "\\ast", "−": "-",
    ]

    /// Unicode with a text-mode spelling.
    public static let unicodeText: [Character: String] = [
        "é": "\\'e", "è": "\\`e", "ê": "\\^e", "ë": "\\\"e", "á": "\\'a", "à": "\\`a", "â": "\\^a", "ä": "\\\"a",
        "ã": "\\~a", "å": "\\aa{}", "í": "\\'i", "ï": "\\\"i", "ó": "\\'o", "ò": "\\`o", "ô": "\\^o", "ö": "\\\"o",
        "õ": "\\~o", "ø": "\\o{}", "ú": "\\'u", "ù": "\\`u", "û": "\\^u", "ü": "\\\"u", "ñ": "\\~n", "ç": "\\c{c}",
        "ß": "\\ss{}", "É": "\\'E", "Ö": "\\\"O", "Ü": "\\\"U", "Ä": "\\\"A", "Å": "\\AA{}", "Ø": "\\O{}",
        "Ł": "\\L{}", "ł": "\\l{}", "š": "\\v{s}", "č": "\\v{c}", "ž": "\\v{z}", "ć": "\\'c", "ń": "\\'n",
        "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "…": "\\ldots{}", "•": "$\\bullet$",
        "\u{00A0}": "~", "§": "\\S{}", "¶": "\\P{}", "©": "\\copyright{}",
    ]
}

/// XML character data and attribute values (SVG, HTML).
public enum XML {
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters.
                if let v = c.asciiValue, v < 32, c != "\n", c != "\t" { continue }
                out.append(c)
            }
        }
        return out
    }
}
