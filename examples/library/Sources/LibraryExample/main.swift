import Foundation
import Symbolic

// Symbols are string literals; the arithmetic operators build expressions.
let beta: Expr = "beta", d: Expr = "d"
let rate = 1 - d / (2 * beta + d)

// Assumptions license the simplifier's side conditions (here: the denominator is positive).
var assumptions = Assumptions()
try assumptions.assume(text: "beta > 0")
try assumptions.assume(text: "d >= 1 integer")

let exponent = rate.simplified(assumptions)
print("exponent:", exponent)           // 2*beta/(2*beta + d)
print("LaTeX:", exponent.latex)        // \frac{2\beta}{2\beta + d}

// Parse text, evaluate at a point (throws on a log of a nonpositive value, a division by zero, ...).
let risk = try Parser.parseExpression("n^(-2*beta/(2*beta + d))")
print("risk at n = 10^6:", try risk.evaluate(["n": 1e6, "beta": 1, "d": 4]))

// Compile once for batches: the initializer throws when a symbol is not a parameter.
let compiled = try CompiledFunction(risk, parameters: ["n", "beta", "d"])
print("compiled:", compiled([1e6, 1, 4]))
print("batch:", compiled.evaluate(columns: [[1e3, 1e6], [1, 1], [4, 4]]))

