import Foundation

/// A progress bar on standard error, shown only when standard error is a terminal (so logs and pipes
/// stay clean). Redrawn at most ten times a second; `finish()` clears it.
final class Progress {
    let total: Int
    let label: String
    let enabled: Bool
    private var done = 0
    private var lastDraw: TimeInterval = 0
    private let start = Date()

    init(total: Int, label: String, enabled: Bool = isatty(2) == 1) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = enabled
    }

    func advance(by count: Int) {
        done = min(total, done + count)
        guard enabled else { return }
        let now = Date().timeIntervalSinceReferenceDate
        if now - lastDraw < 0.1 && done < total { return }
        lastDraw = now
        draw()
    }

    /// The bar as text, e.g. `sweep [#########...........]  45%  4.5e5/1e6 points  0:03 left`.
    func line() -> String {
        let width = 30
        let fraction = Double(done) / Double(total)
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let elapsed = Date().timeIntervalSince(start)
        var eta = ""
        if fraction > 0.01 && fraction < 1 {
            let left = Int(elapsed / fraction * (1 - fraction))
            eta = String(format: "  %d:%02d left", left / 60, left % 60)
        }
        let percent = String(format: "%3d%%", Int(fraction * 100))
        return "\(label) [\(bar)] \(percent)  \(done)/\(total)\(eta)"
    }

    private func draw() {
        write("\r" + line() + "\u{1B}[K")
    }

    func finish() {
        guard enabled else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(s.data(using: .utf8) ?? Data())
    }
}
