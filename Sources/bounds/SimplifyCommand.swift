import Symbolic

/// `bounds simplify "<expr>" [--assume "beta>0"]... [--format text|latex] [--trace] [--tidy]`
enum SimplifyCommand {
    static let help = """
    usage: bounds simplify "<expression>" [--assume "beta > 0"]... [--format text|latex] [--trace] [--tidy] [--rules]

    Puts the expression in canonical form under the assumptions. Power and log laws fire only when the
    assumptions license them (log(x*y) splits only for x, y > 0). --trace lists the named rules applied;
    --tidy applies only the local rules (no expansion, no log splitting); --rules lists every rule.
    """

    static func run(_ raw: [String]) throws -> Int32 {
        let args = try Arguments(raw, valued: ["--assume", "--format"])
        if args.has("--help") { print(help); return 0 }
        try args.rejectUnknownFlags(allowed: ["--trace", "--tidy", "--rules"])
        if args.has("--rules") {
            for rule in Rule.catalog {
                print("\(rule.name): \(rule.rewrite)\(rule.condition.map { "   [if \($0)]" } ?? "")")
            }
            return 0
        }
        guard args.positionals.count == 1 else { throw UsageError("simplify takes exactly one expression (quote it)") }
        let format = args.value("--format") ?? "text"
        guard ["text", "latex"].contains(format) else { throw UsageError("--format must be text or latex") }
        let assumptions = try parseAssumptions(args.values("--assume"))
        let expression = try Parser.parseExpression(args.positionals[0], file: "<expression>")
        let simplifier = Simplifier(assumptions: assumptions, options: args.has("--tidy") ? .tidy : .canonical,
                                    trace: args.has("--trace"))
        let result = simplifier.simplify(expression)
        print(format == "latex" ? result.latex : result.text)
        if args.has("--trace") {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for name in simplifier.trace {
                if counts[name] == nil { order.append(name) }
                counts[name, default: 0] += 1
            }
            if order.isEmpty { print("trace: no rule applied") }
            for name in order { print("trace: \(name)\(counts[name]! > 1 ? " ×\(counts[name]!)" : "")") }
        }
        return 0
    }
}

/// `--assume` values, each located as `<assume #i>:1:column` in errors.
func parseAssumptions(_ texts: [String]) throws -> Assumptions {
    var assumptions = Assumptions()
    for (i, text) in texts.enumerated() {
        try assumptions.assume(text: text, file: "<assume \(i + 1)>")
    }
    return assumptions
}
