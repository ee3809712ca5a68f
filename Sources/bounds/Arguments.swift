import Symbolic

/// A small command-line argument reader: positionals, `--name value` (repeatable), `--flag`, `-o PATH`.
struct Arguments {
    var positionals: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []
    private let valued: Set<String>

    /// `valued` lists the options that take a value; anything else starting with `-` is a flag.
    init(_ raw: [String], valued: Set<String>) throws {
        self.valued = valued
        var i = 0
        while i < raw.count {
            let a = raw[i]
            if a.hasPrefix("-") && a.count > 1 && Double(a) == nil {
                var name = a
                var inlineValue: String? = nil
                if let eq = a.firstIndex(of: "="), a.hasPrefix("--") {
                    name = String(a[..<eq])
                    inlineValue = String(a[a.index(after: eq)...])
                }
                if valued.contains(name) {
                    if let inlineValue {
                        options[name, default: []].append(inlineValue)
                    } else {
                        guard i + 1 < raw.count else { throw UsageError("option \(name) needs a value") }
                        options[name, default: []].append(raw[i + 1])
                        i += 1
                    }
                } else if name == "--help" || name == "-h" {
                    flags.insert("--help")
                } else {
                    flags.insert(name)
                }
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    func values(_ name: String) -> [String] { options[name] ?? [] }
    mutating func removeValues(_ name: String) { options[name] = nil }
    func value(_ name: String) -> String? { options[name]?.last }
    func has(_ flag: String) -> Bool { flags.contains(flag) }
    var allFlags: Set<String> { flags }

    /// Unknown flags are usage errors, so a typo does not silently change the meaning.
    func rejectUnknownFlags(allowed: Set<String>) throws {
        for f in flags.sorted() where !allowed.contains(f) && f != "--help" {
            throw UsageError("unknown option \(f)" + Suggestions.didYouMean(f, among: allowed.union(valued).union(["--help"])))
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { "error: \(message)" }
}
