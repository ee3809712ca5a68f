/// Placeholder until the command lands; says so and exits 2.
enum EvalCommand {
    static let help = "usage: bounds eval (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'eval' is not available yet")
    }
}
