/// Placeholder until the command lands; says so and exits 2.
enum LatexCommand {
    static let help = "usage: bounds latex (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'latex' is not available yet")
    }
}
