import Foundation

/// The JSON of the commands whose output is not the derivation's (`eval`, `compare`, `examples`): built as
/// dictionaries and written with sorted keys, as `derive --format json` is (that one is `JSONReport`'s Codable
/// document).
enum JSONOutput {
    static func render(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
