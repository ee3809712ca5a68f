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
                let ratio = memo.simplified(factor / p)
                for k in column..<n { a[row][k] = memo.simplified(a[row][k] - ratio * a[column][k]) }
                b[row] = memo.simplified(b[row] - ratio * b[column])
            }
        }
        return (0..<n).map { memo.simplified(b[$0] / a[$0][$0]) }
    }

    static func isNonzero(_ e: Expr, _ assumptions: Assumptions) -> Bool {
        if let v = e.numberValue { return !v.isZero }
        return assumptions.quickSign(e).isNonzero
    }
}
