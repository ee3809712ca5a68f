import Foundation
import Symbolic

/// A hand-written SVG document: elements appended as text, attribute values and text escaped.
struct SVGDocument {
    let width: Double
    let height: Double
    private(set) var body: [String] = []
    private(set) var definitions: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        return String(r)
    }

    static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(XML.escape($0.1))\"" }.joined()
    }

    mutating func raw(_ s: String) { body.append(s) }
    mutating func define(_ s: String) { definitions.append(s) }

    mutating func open(_ tag: String, _ attrs: [(String, String)] = []) { body.append("<\(tag)\(SVGDocument.attributes(attrs))>") }
    mutating func close(_ tag: String) { body.append("</\(tag)>") }

    mutating func element(_ tag: String, _ attrs: [(String, String)]) {
        body.append("<\(tag)\(SVGDocument.attributes(attrs))/>")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, _ attrs: [(String, String)] = []) {
        element("rect", [("x", SVGDocument.number(x)), ("y", SVGDocument.number(y)), ("width", SVGDocument.number(width)),
                         ("height", SVGDocument.number(height))] + attrs)
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ attrs: [(String, String)] = []) {
        element("line", [("x1", SVGDocument.number(x1)), ("y1", SVGDocument.number(y1)), ("x2", SVGDocument.number(x2)),
                         ("y2", SVGDocument.number(y2))] + attrs)
    }

    mutating func polyline(_ points: [(Double, Double)], _ attrs: [(String, String)]) {
        guard points.count >= 2 else { return }
        let list = points.map { "\(SVGDocument.number($0.0)),\(SVGDocument.number($0.1))" }.joined(separator: " ")
        element("polyline", [("points", list), ("fill", "none")] + attrs)
    }

    /// Text; `content` is escaped unless `markup` is set (then it must be well-formed tspans, built with `escape`).
    mutating func text(_ content: String, x: Double, y: Double, _ attrs: [(String, String)] = [], markup: Bool = false) {
        body.append("<text\(SVGDocument.attributes([("x", SVGDocument.number(x)), ("y", SVGDocument.number(y))] + attrs))>\(markup ? content : XML.escape(content))</text>")
    }

    func render(title: String, description: String) -> String {
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVGDocument.number(width))\" height=\"\(SVGDocument.number(height))\" viewBox=\"0 0 \(SVGDocument.number(width)) \(SVGDocument.number(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">",
                   "<title>\(XML.escape(title))</title>",
                   "<desc>\(XML.escape(description))</desc>"]
        if !definitions.isEmpty { out.append("<defs>"); out += definitions; out.append("</defs>") }
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        out += body
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}

/// A plot axis: the data range, log or linear, mapped onto a pixel span.
struct Axis {
    var low: Double
    var high: Double
    var log: Bool
    /// Pixel positions of `low` and `high` (for y, `low` maps to the bottom).
    var start: Double
    var end: Double

    /// A log axis widened to whole decades; a linear axis widened to nice ticks.
    init(data low: Double, _ high: Double, log: Bool, start: Double, end: Double, widen: Bool = true) {
        self.log = log
        self.start = start
        self.end = end
        var lo = low, hi = high
        if log {
            lo = max(lo, Double.leastNormalMagnitude)
            hi = max(hi, lo)
            if widen {
                lo = Foundation.pow(10, (Foundation.log10(lo) + 1e-9).rounded(.down))
                hi = Foundation.pow(10, (Foundation.log10(hi) - 1e-9).rounded(.up))
            }
            if hi <= lo { hi = lo * 10 }
        } else {
            if hi <= lo { hi = lo + 1; lo -= 1 }
            if widen {
                let step = Axis.niceStep((hi - lo) / 6)
                lo = (lo / step).rounded(.down) * step
                hi = (hi / step).rounded(.up) * step
            }
        }
        self.low = lo
        self.high = hi
    }

    func position(_ v: Double) -> Double {
        let t: Double
        if log {
            guard v > 0 else { return v < 0 ? .nan : start }
            t = (Foundation.log10(v) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low))
        } else {
            t = (v - low) / (high - low)
        }
        return start + t * (end - start)
    }

    /// Inverse of `position`.
    func value(at p: Double) -> Double {
        let t = (p - start) / (end - start)
        if log { return Foundation.pow(10, Foundation.log10(low) + t * (Foundation.log10(high) - Foundation.log10(low))) }
        return low + t * (high - low)
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = Foundation.pow(10, Foundation.log10(raw).rounded(.down))
        let f = raw / magnitude
        let nice: Double = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 5 ? 5 : 10))
        return nice * magnitude
    }

    /// Major ticks with labels (SVG markup), and minor ticks.
    func ticks() -> (major: [(Double, String)], minor: [Double]) {
        if log {
            let a = Int(Foundation.log10(low).rounded()), b = Int(Foundation.log10(high).rounded())
            let decades = max(1, b - a)
            let every = max(1, Int((Double(decades) / 10).rounded(.up)))
            var major: [(Double, String)] = []
            var minor: [Double] = []
            for k in a...b {
                let v = Foundation.pow(10, Double(k))
                if (k - a) % every == 0 { major.append((v, Axis.powerOfTen(k))) } else { minor.append(v) }
                if decades <= 8 && k < b { for m in 2...9 { minor.append(v * Double(m)) } }
            }
            return (major, minor)
        }
        let step = Axis.niceStep((high - low) / 6)
        var major: [(Double, String)] = []
        var v = (low / step).rounded(.up) * step
        var guardCount = 0
        while v <= high + step * 1e-9 && guardCount < 100 {
            let shown = abs(v) < step * 1e-9 ? 0 : v
            major.append((shown, XML.escape(Axis.plain(shown))))
            v += step
            guardCount += 1
        }
        return (major, [])
    }

    /// `10<tspan>k</tspan>` as a superscript (1 and 10 written plainly).
    static func powerOfTen(_ k: Int) -> String {
        if k == 0 { return "1" }
        if k == 1 { return "10" }
        return "10<tspan dy=\"-6\" font-size=\"9\">\(k < 0 ? "−" : "")\(abs(k))</tspan>"
    }

    static func plain(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        let s = String(format: "%.3g", v)
        return s
    }
}

/// Readable labels: Greek letters for their names, `·` for `*`, minus signs.
enum PrettyMath {
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eps": "ε", "theta": "θ", "kappa": "κ",
        "lambda": "λ", "Lambda": "Λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "Pi": "Π", "rho": "ρ", "sigma": "σ",
        "tau": "τ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Omega": "Ω", "ell": "ℓ",
    ]

    static func text(_ s: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            if word.isEmpty { return }
            // Greek names, also as the base of a subscripted name (Pi_attn → Π_attn).
            if let g = greek[word] {
                out += g
            } else if let u = word.firstIndex(of: "_"), let g = greek[String(word[..<u])] {
                out += g + word[u...]
            } else {
                out += word
            }
            word = ""
        }
        for c in s {
            if c.isLetter || c.isNumber || c == "_" { word.append(c); continue }
            flush()
            switch c {
            case "*": out += "·"
            default: out.append(c)
            }
        }
        flush()
        return out.replacingOccurrences(of: "(-", with: "(−").replacingOccurrences(of: " - ", with: " − ")
    }
}
