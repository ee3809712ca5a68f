import Foundation

/// Scalar kernels with NaN semantics: inputs are finite or NaN, outputs are finite or NaN (NaN meaning "domain
/// error or overflow somewhere below"). The compiled kernels and constant folding call exactly these.
public enum EvalMath {
    /// NaN unless finite.
    @inlinable @inline(__always) public static func fin(_ x: Double) -> Double { x.magnitude < .infinity ? x : .nan }
    @inlinable @inline(__always) public static func add(_ a: Double, _ b: Double) -> Double { fin(a + b) }
    @inlinable @inline(__always) public static func sub(_ a: Double, _ b: Double) -> Double { fin(a - b) }
    @inlinable @inline(__always) public static func mul(_ a: Double, _ b: Double) -> Double { fin(a * b) }
    @inlinable @inline(__always) public static func div(_ a: Double, _ b: Double) -> Double { fin(a / b) }
    @inlinable @inline(__always) public static func log(_ x: Double) -> Double { x > 0 ? Foundation.log(x) : .nan }
    @inlinable @inline(__always) public static func exp(_ x: Double) -> Double { fin(Foundation.exp(x)) }
    /// `x^0`: 1, propagating NaN (so that `0^0 = 1` and an error under the base is still an error).
    @inlinable @inline(__always) public static func zeroPower(_ x: Double) -> Double { x - x + 1 }
    @inlinable @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double {
        if x.isNaN || y.isNaN { return .nan }  // C pow(1, nan) = pow(nan, 0) = 1
        return fin(Foundation.pow(x, y))       // C pow: 0^0 = 1, 0^(y<0) = inf, (x<0)^(non-integer) = nan
    }
    @inlinable @inline(__always) public static func min(_ a: Double, _ b: Double) -> Double { a < b ? a : (b <= a ? b : .nan) }
    @inlinable @inline(__always) public static func max(_ a: Double, _ b: Double) -> Double { a > b ? a : (b >= a ? b : .nan) }

    /// x^n, n >= 1, by binary exponentiation.
    @inlinable public static func integerPower(_ x: Double, _ n: Int) -> Double { binaryPower(x, n, mul) }

    /// x^n, n >= 1, by binary exponentiation with `multiply`. The evaluator (doubles) and the compiler (which
    /// emits the products as instructions) both go through this, so they do the same multiplications in the
    /// same order.
    @inlinable public static func binaryPower<T>(_ x: T, _ n: Int, _ multiply: (T, T) -> T) -> T {
        var result: T? = nil
        var p = x
        var m = n
        while true {
            if m & 1 == 1 { result = result.map { multiply($0, p) } ?? p }
            m >>= 1
            if m == 0 { break }
            p = multiply(p, p)
        }
        return result!
    }

    /// Largest `min(k, n-k)` for which `binom` uses the exact product.
    public static let binomialProductLimit: Double = 200

    public static func binom(_ n: Double, _ k: Double) -> Double {
        if n.isNaN || k.isNaN { return .nan }
        guard n >= 0, k >= 0, k <= n else { return .nan }
        if n == n.rounded(), k == k.rounded() {  // any size of n: the product of k small factors stays accurate (lgamma differences of huge n do not)
            let kk = Swift.min(k, n - k)
            if kk <= binomialProductLimit {
                var r = 1.0
                var i = 1.0
                while i <= kk {
                    r = r * (n - kk + i) / i
                    i += 1
                }
                return fin(r)
            }
        }
        return fin(Foundation.exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)))
    }
}
