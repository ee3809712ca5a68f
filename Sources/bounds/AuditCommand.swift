/// Placeholder until the command lands; says so and exits 2.
enum AuditCommand {
    static let help = "usage: bounds audit (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'audit' is not available yet")
    }
}
