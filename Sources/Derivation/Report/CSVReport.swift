import Foundation
import Symbolic

/// `bounds derive --format csv`: every number the laws' `values` and `tabulate` lines give, one row per point.
///
/// Columns: `law`, `symbol` and `value` (the tabulated symbol and its value; both empty on the row of the law's
/// `values`), then one column per evaluated expression (`risk`, each allocation such as `N`, and
/// `closed_form_N_exponent`, ...; the union over the laws, in order of appearance), then `problem`: why a row has no
/// numbers (outside the declared domain, undefined there, or the law is undecided). Numbers are written in full
/// (the shortest decimal that reads back as the same double).
public enum CSVReport {
    public static func render(_ run: DerivationRun) -> String {
        var keys: [String] = []
        for law in run.laws {
            for n in law.numbers + law.tables.flatMap(\.columns) where !keys.contains(n.key) { keys.append(n.key) }
        }
        var lines = [(["law", "symbol", "value"] + keys + ["problem"]).map(field).joined(separator: ",")]
        func row(_ law: String, _ symbol: String, _ value: String, _ numbers: [String: Double], _ problem: String) {
            let cells = [law, symbol, value] + keys.map { numbers[$0].map(number) ?? "" } + [problem]
            lines.append(cells.map(field).joined(separator: ","))
        }
        for law in run.laws {
            if let note = law.valuesNote { row(law.id, "", "", [:], note); continue }
            if !law.numbers.isEmpty {
                row(law.id, "", "", Dictionary(law.numbers.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }), "")
            }
            for table in law.tables {
                for r in table.rows {
                    let numbers = Dictionary(zip(table.columns.map(\.key), r.numbers).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
                    row(law.id, table.symbol, r.text, numbers, r.problem ?? "")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ v: Double) -> String { "\(v)" }

    /// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
