import Foundation
import SeededRandom

/// The corpus of bound-shaped expressions for workload 1: sums of the terms generalization bounds are made
/// of (approximation, estimation, routing, squared slack, exponents that are fractions in beta and d, logs of
/// products, min/max, square roots), generated from a fixed seed. Every symbol is taken to be positive.
enum Corpus {
    static let defaultSeed: UInt64 = 2026
    static let defaultCount = 10_000
    /// Every symbol the generator uses; the benchmark assumes each is > 0 on both sides.
    static let symbols = ["beta", "d", "n", "N", "M", "k", "L", "l", "a", "b", "c", "x", "y", "s", "t",
                          "eps", "delta", "m", "F", "theta"]

    static func generate(seed: UInt64 = defaultSeed, count: Int = defaultCount) -> [String] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in expression(&rng) }
    }

    /// FNV-1a over the corpus text (lines joined by "\n", with a final newline): the check that a
    /// regeneration is identical. The Python baseline prints the same hash of the file it reads.
    static func fingerprint(_ lines: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for line in lines {
            for byte in line.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h = (h ^ 10) &* 0x100_0000_01b3
        }
        return String(format: "%016llx", h)
    }

    static func expression(_ r: inout SplitMix64) -> String {
        let count = 2 + r.below(4)
        var text = term(&r)
        for _ in 1..<count {
            text += r.chance(percent: 15) ? " - " : " + "
            text += term(&r)
        }
        switch r.below(20) {
        case 0: return "(\(text))/n"
        case 1: return "(1 + eps)^2*(\(text))"
        case 2: return "min(\(text), \(term(&r)))"
        case 3: return "sqrt(\(text))"
        default: return text
        }
    }

    static func coefficient(_ r: inout SplitMix64) -> String {
        r.pick(["", "", "", "2*", "3*", "18*", "72*", "(1/2)*", "3/2*", "32*"])
    }

    static func base(_ r: inout SplitMix64) -> String { r.pick(["N", "M", "n", "m", "(N*k)", "(L*N)"]) }

    static func exponent(_ r: inout SplitMix64) -> String {
        let p = 1 + r.below(3)
        return r.pick(["-\(p)*beta/d", "-2*beta/(2*beta + d)", "-beta/(beta + d)", "-\(p)*beta/(\(p)*beta + d)",
                       "-(s + 1)/d", "theta - 1", "-2*beta*theta/d"])
    }

    static func term(_ r: inout SplitMix64) -> String {
        let c = coefficient(&r)
        switch r.below(22) {
        case 0, 1: return "\(c)\(base(&r))^(\(exponent(&r)))"
        case 2, 3: return "\(c)\(r.pick(["N", "N*k", "m"]))*log(\(r.pick(["n", "n", "2*n", "n/delta", "1/delta"])))/n"
        case 4: return "\(c)N*log(n)^\(1 + r.below(3))/n"
        case 5, 6: return "\(c)L*l*k*log(\(r.pick(["e*M/k", "M/k", "e*M/k", "M"])))/n"
        case 7: return "\(c)(a + b)^2"
        case 8: return "(\(r.pick(["x", "a", "1"])) + \(1 + r.below(3))*\(r.pick(["y", "b", "eps"])))^\(2 + r.below(2))"
        case 9: return "(1 + eps)^2*(a + \(r.pick(["b", "F^2"]))/n)"
        case 10: return "\(c)(beta^2 + \(1 + r.below(4))*d*beta)/(beta*d + d^2)"
        case 11: return "(2*beta + d)/(2*beta) - 1"
        case 12: return "\(c)\(r.pick(["d/(2*beta + d)", "(beta + d)/(beta*d)", "beta/(beta + d)^2", "(2*beta + d)/(2*(beta + d))"]))"
        case 13: return "log(\(r.pick(["a*b^2*n", "c*x^3/y", "n^(1/2)*M", "e*M/k", "N*log(n)", "2*k*M^2"])))"
        case 14: return "\(c)sqrt(\(r.pick(["N*log(n)/n", "x*y", "a^2*b", "log(M)/n"])))"
        case 15: return "\(c)exp(-\(r.pick(["x*n", "t", "beta*n/d", "2*s"])))"
        case 16: return "min(\(base(&r))^(\(exponent(&r))), \(base(&r))^(\(exponent(&r))))"
        case 17: return "max(\(r.pick(["a", "x", "log(n)"])), \(r.pick(["b", "y", "1/n", "c^2"])))"
        case 18: return "\(c)\(r.pick(["n^(1/3)*n^(-1/2)", "N^a*N^b", "(n^2)^(beta/d)", "x^2*x^(-1/2)", "(x*y)^2/y"]))"
        case 19: return "\(r.pick(["x*y - y*x", "2*a - a", "a/b*b", "delta*n/n"])) + \(r.pick(["c", "t", "1/n"]))"
        case 20: return "\(c)F^2*(18*log(\(r.pick(["N", "n", "M"]))) + 72)/(n*eps)"
        default: return "\(c)\(r.pick(["32*delta*F", "1/n", "k*log(e*M/k)", "t^2/(s + t)", "1/(a + b) + 1/(a + 2*b)"]))"
        }
    }
}
