import Foundation
import Symbolic
import Derivation

/// `bounds compare FILE1 FILE2 ...`: the laws of several theories side by side, aligned by their growing variable
/// (a budget counts as the variable it grows). Every rate shown is one the kernel certified in its own theory;
/// an undecided law is shown as undecided, with its reason.
enum TheoryComparison {
    struct Side {
        var name: String
        var file: String
        var run: DerivationRun
    }

    static func run(files: [String], format: String, allowUnchecked: Bool) throws -> Int32 {
        var sides: [Side] = []
        for file in files {
            let theory = try Theory.load(file, from: .fileSystem)
            TheoryOptions.warn(theory)
            let run = try DerivationRun(theory: theory, audit: false, allowUnchecked: allowUnchecked)
            TheoryOptions.warnIfUnchecked(run)
            sides.append(Side(name: "", file: file, run: run))
        }
        // Short names: the file name without `.bounds`, or the whole path where two files share a name.
        let stems = files.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        for i in sides.indices { sides[i].name = stems.filter { $0 == stems[i] }.count == 1 ? stems[i] : files[i] }
        // The variables, in order of first appearance.
        var variables: [String] = []
        for side in sides { for law in side.run.laws where !variables.contains(law.variable) { variables.append(law.variable) } }
        if format == "json" {
            print(JSONOutput.render(json(sides, variables)))
        } else {
            print(text(sides, variables))
        }
        return sides.allSatisfy(\.run.isComplete) ? 0 : 1
    }

    /// What a law's budget or path is, in a few words.
    static func kind(_ law: DerivedLaw) -> String {
        if let budget = law.notes.first(where: \.isBudget) { return budget.text }
        return law.path.text
    }

    static func meaning(_ variable: String, in run: DerivationRun) -> String? {
        run.theory.symbols.first { $0.name == variable && $0.meaning != nil }?.meaning?.text
    }

    static func text(_ sides: [Side], _ variables: [String]) -> String {
        var out: [String] = []
        out.append("theories: " + sides.map { "\($0.name) = \($0.file)" }.joined(separator: ", "))
        for v in variables {
            out.append("")
            let meanings = sides.compactMap { side in meaning(v, in: side.run).map { "\(side.name): \"\($0)\"" } }
            out.append("\(v) → ∞" + (meanings.isEmpty ? "" : "   (\(v) means " + meanings.joined(separator: "; ") + ")"))
            for side in sides {
                let laws = side.run.laws.filter { $0.variable == v }
                if laws.isEmpty {
                    out.append("  \(side.name): no law along \(v)")
                    continue
                }
                for law in laws {
                    let rate = law.isCertified && !law.exponents.isEmpty ? "risk ≍ \(law.rate.summary)" : "undecided: \(law.undecided ?? "no rate was derived")"
                    out.append("  \(side.name): \(law.id) \(law.name): \(rate)")
                    out.append("      along: \(kind(law))")
                    let exps = law.exponents.filter { $0.0 != "risk" }.map { "\($0.0) ∝ \(RateDescription.power(law.variable, $0.1).powerText)" }
                    if !exps.isEmpty { out.append("      " + exps.joined(separator: ", ")) }
                    if !law.numbers.isEmpty {
                        out.append("      at its values: " + law.numbers.map { "\($0.shortName) = \(TextReport.formatNumber($0.value))" }.joined(separator: ", "))
                    }
                }
            }
        }
        let failures = sides.flatMap { side in side.run.lawFailures.map { "\(side.name): \($0)" } }
        if !failures.isEmpty {
            out.append("")
            out.append("laws that did not derive:")
            for f in failures { out.append("  \(f)") }
        }
        return out.joined(separator: "\n")
    }

    static func json(_ sides: [Side], _ variables: [String]) -> [String: Any] {
        func law(_ l: DerivedLaw) -> [String: Any] {
            var o: [String: Any] = ["id": l.id, "name": l.name.text, "path": l.path.text, "along": kind(l), "certified": l.isCertified && !l.exponents.isEmpty]
            if l.isCertified && !l.exponents.isEmpty {
                o["exponents"] = Dictionary(l.exponents.map { ($0.0, $0.1.display) }, uniquingKeysWith: { a, _ in a })
                o["log_power"] = l.logPower.display
                o["rate_text"] = l.rate.text
            } else {
                o["undecided"] = l.undecided ?? "no rate was derived"
            }
            if !l.numbers.isEmpty { o["values"] = Dictionary(l.numbers.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
            return o
        }
        return [
            "theories": sides.map { ["name": $0.name, "file": $0.file] },
            "rows": variables.map { v -> [String: Any] in
                var meanings: [String: String] = [:]
                var laws: [String: [[String: Any]]] = [:]
                for side in sides {
                    if let m = meaning(v, in: side.run) { meanings[side.name] = m }
                    laws[side.name] = side.run.laws.filter { $0.variable == v }.map(law)
                }
                return ["variable": v, "meanings": meanings, "laws": laws]
            },
            "law_failures": sides.flatMap { side in side.run.lawFailures.map { ["theory": side.name, "location": $0.location.map { "\($0)" } ?? "", "message": $0.message] } },
        ]
    }
}
