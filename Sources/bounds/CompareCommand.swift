/// Placeholder until the command lands; says so and exits 2.
enum CompareCommand {
    static let help = "usage: bounds compare (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'compare' is not available yet")
    }
}
