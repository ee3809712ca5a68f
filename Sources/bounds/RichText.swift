import Foundation
import Symbolic

/// Typeset math for the SVG figures: runs of text, each at a baseline offset and a size (superscripts,
/// subscripts), variables in italics, Greek letters for their names, `·` for products and `−` for minus.
/// Built from the text syntax: `N_eff^(-2*beta/d)` reads N<sub>eff</sub><sup>−2β/d</sup>.
///
/// In SVG each shifted run is a `<tspan class="sup">` (or `"sub"`) that moves the baseline with `dy` and
/// shrinks the font; the next run moves it back. `dy` rather than `baseline-shift`, because Firefox ignores
/// `baseline-shift` (browsers, librsvg and Inkscape all honour `dy`).
struct RichText: Equatable {
    struct Run: Equatable {
        var text: String
        /// Baseline offset in em of the surrounding font (positive is up), and the size relative to it.
        var rise: Double = 0
        var scale: Double = 1
        var italic = false
    }

    var runs: [Run] = []

    init(_ runs: [Run] = []) { self.runs = runs }

    static func plain(_ s: String) -> RichText {
        var r = RichText()
        r.append(s)
        return r
    }

    static func + (a: RichText, b: RichText) -> RichText {
        var r = a
        for run in b.runs { r.append(run.text, rise: run.rise, scale: run.scale, italic: run.italic) }
        return r
    }

    static func + (a: RichText, b: String) -> RichText { a + plain(b) }
    static func + (a: String, b: RichText) -> RichText { plain(a) + b }

    /// Appends text, merged into the last run when the style is the same.
    mutating func append(_ text: String, rise: Double = 0, scale: Double = 1, italic: Bool = false) {
        guard !text.isEmpty else { return }
        if var last = runs.last, last.rise == rise, last.scale == scale, last.italic == italic {
            last.text += text
            runs[runs.count - 1] = last
        } else {
            runs.append(Run(text: text, rise: rise, scale: scale, italic: italic))
        }
    }

    var isEmpty: Bool { runs.allSatisfy { $0.text.isEmpty } }

    /// The characters alone, without their positions (for tests and fallbacks).
    var characters: String { runs.map(\.text).joined() }

    /// Estimated width in pixels at `fontSize` (a sans-serif font averages about 0.56 em per character).
    func width(fontSize: Double) -> Double {
        runs.reduce(0) { $0 + Double($1.text.count) * 0.56 * fontSize * $1.scale }
    }

    // MARK: - From the text syntax

    /// Math in the text syntax (`L_T*ell*k*log(e*M/k)/n`, `beta = 1, N_eff = n^0.8`, `4.564e5`) typeset.
    /// Anything it does not recognize is copied as it is.
    static func math(_ source: String) -> RichText {
        var out = RichText()
        typeset(Array(source), into: &out, rise: 0, scale: 1)
        return out
    }

    static let functions: Set<String> = ["log", "exp", "sqrt", "min", "max", "binom", "ln"]

    private static func isIdentifierStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
    private static func isIdentifierPart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    private static func typeset(_ s: [Character], into out: inout RichText, rise: Double, scale: Double) {
        let supRise = rise + 0.4 * scale, subRise = rise - 0.22 * scale
        let small = Swift.max(0.55, scale * 0.75)
        var i = 0
        // What the last token was: a product sign after a number before a plain symbol is dropped (2β).
        var lastWasNumber = false
        while i < s.count {
            let c = s[i]
            if isIdentifierStart(c) {
                var j = i
                while j < s.count && isIdentifierPart(s[j]) { j += 1 }
                let name = String(s[i..<j])
                i = j
                if i < s.count && s[i] == "(" && functions.contains(name) {
                    out.append(name, rise: rise, scale: scale)
                } else {
                    symbol(name, into: &out, rise: rise, scale: scale, subRise: subRise, small: small)
                }
                lastWasNumber = false
            } else if isDigit(c) || (c == "." && i + 1 < s.count && isDigit(s[i + 1])) {
                var j = i
                while j < s.count && (isDigit(s[j]) || s[j] == ".") { j += 1 }
                let mantissa = String(s[i..<j])
                var exponent: String? = nil
                // 4.564e5, 1e-3: a power of ten. (`2e` alone is 2 times Euler's e: left to the identifier rule.)
                if j < s.count && (s[j] == "e" || s[j] == "E") {
                    var k = j + 1
                    var sign = ""
                    if k < s.count && (s[k] == "-" || s[k] == "+") { sign = s[k] == "-" ? "−" : ""; k += 1 }
                    let digitsStart = k
                    while k < s.count && isDigit(s[k]) { k += 1 }
                    if k > digitsStart && (k == s.count || !isIdentifierPart(s[k])) {
                        exponent = sign + String(s[digitsStart..<k])
                        j = k
                    }
                }
                if let exponent {
                    if mantissa != "1" { out.append(mantissa + "·", rise: rise, scale: scale) }
                    out.append("10", rise: rise, scale: scale)
                    out.append(exponent, rise: supRise, scale: small)
                } else {
                    out.append(mantissa, rise: rise, scale: scale)
                }
                i = j
                lastWasNumber = exponent == nil
            } else if c == "^" {
                i += 1
                var inner: [Character] = []
                if i < s.count && s[i] == "(" {
                    var depth = 0
                    var j = i
                    while j < s.count {
                        if s[j] == "(" { depth += 1 }
                        if s[j] == ")" { depth -= 1; if depth == 0 { break } }
                        j += 1
                    }
                    inner = Array(s[(i + 1)..<Swift.min(j, s.count)])
                    i = Swift.min(j + 1, s.count)
                } else {
                    var j = i
                    if j < s.count && (s[j] == "-" || s[j] == "+") { j += 1 }
                    while j < s.count && (isIdentifierPart(s[j]) || s[j] == ".") { j += 1 }
                    inner = Array(s[i..<j])
                    i = j
                }
                typeset(inner, into: &out, rise: supRise, scale: small)
                lastWasNumber = false
            } else if c == "*" {
                // 2*beta → 2β; every other product → ·
                var j = i + 1
                var name = ""
                while j < s.count && isIdentifierPart(s[j]) { name.append(s[j]); j += 1 }
                let nextIsCall = j < s.count && s[j] == "("
                if !(lastWasNumber && !name.isEmpty && isIdentifierStart(name.first!) && !nextIsCall) {
                    out.append("·", rise: rise, scale: scale)
                }
                i += 1
                lastWasNumber = false
            } else if c == "-" {
                out.append("−", rise: rise, scale: scale)
                i += 1
                lastWasNumber = false
            } else {
                out.append(String(c), rise: rise, scale: scale)
                i += 1
                if c != " " { lastWasNumber = false }
            }
        }
    }

    /// `N_eff` → N with the subscript eff; `beta` → β; `Pi_attn` → Π with attn; `e` and `pi` are constants.
    private static func symbol(_ name: String, into out: inout RichText, rise: Double, scale: Double, subRise: Double, small: Double) {
        if name == "e" { out.append("e", rise: rise, scale: scale); return }
        if name == "pi" { out.append("π", rise: rise, scale: scale); return }
        var base = name, lower = ""
        if let u = name.firstIndex(of: "_"), u != name.startIndex {
            base = String(name[..<u])
            lower = String(name[name.index(after: u)...])
        }
        let shown = PrettyMath.greek[base] ?? base
        // Single letters are variables (italic), except capital Greek; words (Risk, Cover) stay upright.
        func italic(_ s: String) -> Bool {
            guard s.count == 1, let c = s.first else { return false }
            return c.isLowercase || (c.isASCII && c.isUppercase)
        }
        out.append(shown, rise: rise, scale: scale, italic: italic(shown))
        if !lower.isEmpty {
            let sub = PrettyMath.greek[lower] ?? lower.replacingOccurrences(of: "_", with: ",")
            out.append(sub, rise: subRise, scale: small, italic: italic(sub))
        }
    }

    // MARK: - SVG

    /// The runs as SVG text content: plain text at the baseline, `<tspan>`s for the rest.
    ///
    /// Spaces at either end of a run go outside its tspan (they are invisible wherever the baseline is):
    /// renderers drop whitespace at the edges of a tspan, librsvg even a no-break space.
    func svg(fontSize: Double) -> String {
        var out = ""
        var current = 0.0   // the baseline's offset so far, in pixels, rounded as written
        for run in runs {
            let leading = run.text.prefix { $0 == " " }.count
            let trailing = run.text.count == leading ? 0 : run.text.reversed().prefix { $0 == " " }.count
            let body = String(run.text.dropFirst(leading).dropLast(trailing))
            out += String(repeating: " ", count: leading)
            if !body.isEmpty {
                let target = (run.rise * fontSize * 100).rounded() / 100
                let dy = -(target - current)
                current = target
                var attributes: [(String, String)] = []
                if run.rise > 0 { attributes.append(("class", "sup")) } else if run.rise < 0 { attributes.append(("class", "sub")) }
                if dy != 0 { attributes.append(("dy", SVGDocument.number(dy))) }
                if run.scale != 1 { attributes.append(("font-size", SVGDocument.number(fontSize * run.scale))) }
                if run.italic { attributes.append(("font-style", "italic")) }
                if attributes.isEmpty {
                    out += XML.escape(body)
                } else {
                    out += "<tspan\(SVGDocument.attributes(attributes))>\(XML.escape(body))</tspan>"
                }
            }
            out += String(repeating: " ", count: trailing)
        }
        return out
    }

    /// Lines of at most `maxWidth` pixels, broken at spaces on the baseline; continuation lines are indented.
    func wrapped(maxWidth: Double, fontSize: Double) -> [RichText] {
        // Words: pieces between spaces on the baseline (a space inside a superscript does not break).
        var words: [RichText] = [RichText()]
        for run in runs {
            if run.rise != 0 || run.scale != 1 {
                words[words.count - 1].append(run.text, rise: run.rise, scale: run.scale, italic: run.italic)
                continue
            }
            let parts = run.text.split(separator: " ", omittingEmptySubsequences: false)
            for (k, part) in parts.enumerated() {
                if k > 0 { words.append(RichText()) }
                words[words.count - 1].append(String(part), rise: run.rise, scale: run.scale, italic: run.italic)
            }
        }
        words = words.filter { !$0.isEmpty }
        var lines: [RichText] = []
        var line = RichText()
        for word in words {
            if line.isEmpty {
                line = (lines.isEmpty ? RichText() : .plain("  ")) + word
            } else if line.width(fontSize: fontSize) + 0.56 * fontSize + word.width(fontSize: fontSize) > maxWidth {
                lines.append(line)
                line = .plain("  ") + word
            } else {
                line = line + " " + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [RichText()] : lines
    }
}

extension SVGDocument {
    /// A line of typeset math or text.
    mutating func text(_ content: RichText, x: Double, y: Double, fontSize: Double, _ attrs: [(String, String)] = []) {
        text(content.svg(fontSize: fontSize), x: x, y: y, [("font-size", SVGDocument.number(fontSize))] + attrs, markup: true)
    }

    /// A white box behind a label, so grid lines and shading do not run through it.
    mutating func labelBackground(_ content: RichText, x: Double, y: Double, fontSize: Double, anchor: String) {
        let w = content.width(fontSize: fontSize) + 6
        let left: Double
        switch anchor {
        case "middle": left = x - w / 2
        case "end": left = x - w + 3
        default: left = x - 3
        }
        rect(x: left, y: y - fontSize * 0.95, width: w, height: fontSize * 1.3,
             [("fill", "white"), ("fill-opacity", "0.85"), ("class", "label-background")])
    }
}
