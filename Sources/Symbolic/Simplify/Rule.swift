/// A named rewrite with its side condition, as listed to users (`bounds simplify --rules`) and recorded in
/// traces (`--trace`). The rewrite itself lives in the simplifier's per-operator files; the name is the
/// contract between the two: every time a rule changes an expression, its name is recorded.
public struct Rule: Hashable, Sendable {
    public var name: String
    public var rewrite: String
    public var condition: String?

    public static let catalog: [Rule] = [
        Rule(name: "sum.flatten", rewrite: "(a + b) + c → a + b + c", condition: nil),
        Rule(name: "sum.collect", rewrite: "p*x + q*x → (p + q)*x", condition: nil),
        Rule(name: "sum.together", rewrite: "a/b + c/d → (a*d + b*c)/(b*d), numerator expanded", condition: nil),
        Rule(name: "fraction.cancel", rewrite: "(p*q)/q → p for polynomial q dividing the numerator exactly", condition: nil),
        Rule(name: "product.flatten", rewrite: "(a*b)*c → a*b*c", condition: nil),
        Rule(name: "product.collect", rewrite: "x^a * x^b → x^(a + b)", condition: "x >= 0, or a and b integers (sqrt(x)*sqrt(x) stays unless x >= 0 is known: the simplifier does not widen a domain it cannot see)"),
        Rule(name: "product.distribute", rewrite: "a*(b + c) → a*b + a*c", condition: nil),
        Rule(name: "power.zero-exponent", rewrite: "x^0 → 1", condition: "convention 0^0 = 1"),
        Rule(name: "power.one", rewrite: "1^x → 1, x^1 → x", condition: nil),
        Rule(name: "power.zero-base", rewrite: "0^x → 0", condition: "x > 0"),
        Rule(name: "power.numeric", rewrite: "p^q → exact rational when it exists", condition: "q integer, or p > 0 with an exact root"),
        Rule(name: "power.of-power", rewrite: "(x^a)^b → x^(a*b)", condition: "x >= 0, or b integer (a literal or an integer-valued expression), or a a non-integer number (x^(1/2) needs x >= 0), or a odd and b a non-integer number"),
        Rule(name: "power.of-product", rewrite: "(x*y)^a → x^a * y^a", condition: "a integer, or only the factors known > 0 are split off"),
        Rule(name: "power.expand", rewrite: "(a + b)^n → expanded sum", condition: "n a positive integer, at most 32"),
        Rule(name: "power.sum-content", rewrite: "(2*a + 2*b)^x → 2^x * (a + b)^x", condition: "content > 0, or x integer"),
        Rule(name: "exp.log", rewrite: "exp(c*log(x)) → x^c (c any expression; exp(a + b) splits when a term folds)", condition: "x > 0"),
        Rule(name: "power.numeric-normal", rewrite: "2^x*3^x → 6^x, 1/(3*sqrt(2)) → sqrt(2)/6, sqrt(12) → 2*sqrt(3)", condition: "positive numeric bases (split into primes, grouped by exponent)"),
        Rule(name: "minmax.absorb", rewrite: "min(a, max(a, c)) → a, max(a, min(a, c)) → a", condition: nil),
        Rule(name: "log.one", rewrite: "log(1) → 0", condition: nil),
        Rule(name: "log.e", rewrite: "log(e) → 1", condition: nil),
        Rule(name: "log.exp", rewrite: "log(exp(x)) → x", condition: "x real (always, here)"),
        Rule(name: "log.power", rewrite: "log(x^a) → a*log(x)", condition: "x > 0"),
        Rule(name: "log.product", rewrite: "log(x*y) → log(x) + log(y), before x*y is multiplied out", condition: "every factor > 0"),
        Rule(name: "log.rational", rewrite: "log(12/5) → 2*log(2) + log(3) - log(5)", condition: "the integer factors into primes below 10^4 (integers of any size)"),
        Rule(name: "minmax.flatten", rewrite: "min(a, min(b, c)) → min(a, b, c)", condition: nil),
        Rule(name: "minmax.dominated", rewrite: "min(a, b) → a", condition: "b - a >= 0 (max: a - b >= 0), also for powers with one exponent over ordered bases or one base with ordered exponents"),
        Rule(name: "minmax.numeric", rewrite: "min(2, 3) → 2", condition: nil),
        Rule(name: "binom.numeric", rewrite: "binom(5, 2) → 10", condition: "nonnegative integers"),
        Rule(name: "binom.trivial", rewrite: "binom(n, 0) → 1, binom(n, 1) → n", condition: nil),
        Rule(name: "binom.symmetry", rewrite: "binom(n, n - k) → binom(n, k)", condition: "the simpler of k and n - k (canonical mode)"),
    ]
}
