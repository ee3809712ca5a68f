import Foundation

/// The built `bounds` binary run with arguments, as the CLI tests need it: status, whether a signal ended it,
/// and both outputs, drained at once so that a long error output cannot block the process.
enum BoundsProcess {
    struct Output { var status: Int32; var signaled: Bool; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        final class Drained: @unchecked Sendable { var data = Data() }
        let errors = Drained(), drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: outputData, as: UTF8.self), stderr: String(decoding: errors.data, as: UTF8.self))
    }
}
