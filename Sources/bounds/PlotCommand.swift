/// Placeholder until the command lands; says so and exits 2.
enum PlotCommand {
    static let help = "usage: bounds plot (not yet available)"
    static func run(_ raw: [String]) throws -> Int32 {
        throw UsageError("'plot' is not available yet")
    }
}
