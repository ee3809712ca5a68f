import Symbolic

/// Gauss–Jordan elimination over expressions. A pivot must be provably nonzero under the assumptions;
/// when no such pivot exists the system is reported as not solvable (nil), never guessed.
enum LinearSolve {
    /// Simplifies through the memo: the exponent LP solves many systems with the same entries.
    static func solve(_ matrix: [[Expr]], _ rhs: [Expr], memo: SimplificationMemo) -> [Expr]? {
        let assumptions = memo.assumptions
        let n = rhs.count
        guard matrix.count == n, matrix.allSatisfy({ $0.count == n }) else { return nil }
        var a = matrix
        var b = rhs
        for column in 0..<n {
            guard let pivot = (column..<n).first(where: { isNonzero(a[$0][column], assumptions) }) else { return nil }
            if pivot != column { a.swapAt(pivot, column); b.swapAt(pivot, column) }
            let p = a[column][column]
            for row in 0..<n where row != column {
                let factor = a[row][column]
                if factor == .zero { continue }
                let ratio = quotient(factor, p, memo)
                for k in column..<n { a[row][k] = difference(a[row][k], ratio, a[column][k], memo) }
                b[row] = difference(b[row], ratio, b[column], memo)
            }
        }
        return (0..<n).map { quotient(b[$0], a[$0][$0], memo) }
    }

    /// A number small enough that exact arithmetic on it gives what the simplifier would (it folds such numbers).
    private static func small(_ e: Expr) -> Rational? {
        guard let r = e.numberValue, r.numerator.bitWidth < 64, r.denominator.bitWidth < 64 else { return nil }
        return r
    }

    /// `x / y` in canonical form; two small numbers are divided directly (most slopes are numbers).
    private static func quotient(_ x: Expr, _ y: Expr, _ memo: SimplificationMemo) -> Expr {
        if let u = small(x), let v = small(y), let q = u.dividing(by: v) { return .number(q) }
        return memo.simplified(x / y)
    }

    /// `x - r·y` in canonical form, directly for small numbers.
    private static func difference(_ x: Expr, _ r: Expr, _ y: Expr, _ memo: SimplificationMemo) -> Expr {
        if let u = small(x), let c = small(r), let v = small(y) { return .number(u - c * v) }
        return memo.simplified(x - r * y)
    }

    static func isNonzero(_ e: Expr, _ assumptions: Assumptions) -> Bool {
        if let v = e.numberValue { return !v.isZero }
        return assumptions.quickSign(e).isNonzero
    }
}
