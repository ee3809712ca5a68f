/// Placeholder until the command lands; says so and exits 2.
enum EmitCommand {
    static let help = "usage: bounds emit (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'emit' is not available yet")
    }
}
