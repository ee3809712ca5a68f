import Foundation

/// The threads a derivation runs its independent pieces on (the proof checks beside the composition, the laws,
/// the audit's alternatives). `BOUNDS_THREADS=1` runs them one after another on the calling thread; any larger
/// number, or no setting, lets Dispatch spread them over the cores.
enum Workers {
    static let parallel: Bool = {
        guard let text = ProcessInfo.processInfo.environment["BOUNDS_THREADS"], let n = Int(text) else { return true }
        return n > 1
    }()

    /// `body(0)`, ..., `body(n - 1)`, concurrently when parallel.
    static func forEach(_ n: Int, _ body: (Int) -> Void) {
        if parallel {
            DispatchQueue.concurrentPerform(iterations: n, execute: body)
        } else {
            for i in 0..<n { body(i) }
        }
    }
}
