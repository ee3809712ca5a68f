import Foundation
import XCTest
import Symbolic
@testable import Asymptotics


func parse(_ text: String) throws -> Expr { try Parser.parseExpression(text) }

func assuming(_ texts: [String]) throws -> Assumptions {
    var a = Assumptions()
    for t in texts { try a.assume(text: t) }
    return a
}

/// The paper's symbols and their domains (theorems/moe/setting.bounds).
func paperAssumptions() throws -> Assumptions {
    try assuming(["beta > 0", "d >= 1 integer", "n >= 1", "N_eff >= 1", "L_T, ell >= 1 integer", "M, k integer",
                  "1 <= k <= M", "C > 0"])
}

/// `a` and `b` are equal: canonically, or else numerically at random points where every symbol is in (0.5, 3).
func assertSameValue(_ a: Expr, _ b: Expr, _ assumptions: Assumptions = Assumptions(), values fixed: [String: Double] = [:],
                     file: StaticString = #filePath, line: UInt = #line) {
    let difference = (a - b).simplified(assumptions)
    if difference == .zero { return }
    var rng = SystemRandomNumberGenerator()
    let names = Array(Set(a.freeSymbols + b.freeSymbols))
    var checked = 0
    for _ in 0..<20 {
        var point = fixed
        for n in names where point[n] == nil { point[n] = Double.random(in: 0.5...3, using: &rng) }
        guard let x = try? a.evaluate(point), let y = try? b.evaluate(point) else { continue }
        checked += 1
        XCTAssertEqual(x, y, accuracy: 1e-9 * max(1, abs(x), abs(y)), "\(a) vs \(b) at \(point)", file: file, line: line)
    }
    XCTAssertGreaterThan(checked, 0, "\(a) and \(b) were never both defined", file: file, line: line)
}
