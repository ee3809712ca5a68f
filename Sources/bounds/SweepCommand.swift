/// Placeholder until the command lands; says so and exits 2.
enum SweepCommand {
    static let help = "usage: bounds sweep (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'sweep' is not available yet")
    }
}
