import Foundation
import Symbolic
import Asymptotics

/// A law's `values` and `tabulate` lines: the points at which its derived exponents are evaluated.
///
/// A point is admissible for the law when every name is a declared symbol the law holds fixed (not its growing
/// variable, a symbol its path or budget moves, a free exponent, a quantity or a defined symbol), every value lies in
/// its symbol's declared domain (interval, integrality, and every assumption whose symbols all have values, decided
/// by exact rationals where the values are rational and by outward-rounded intervals otherwise), and linear
/// arithmetic finds no contradiction between the values and the assumptions that still mention symbols without one.
extension Theory {
    /// Every law's values and tables, as loaded (and again after `--use` and `--assume`, which change the domains):
    /// the first violation is a located error. A table row outside the domain is not an error: it is reported in
    /// its row when the law is derived.
    public func checkLawValues() throws {
        let inFileOrder = laws.values.sorted { earlier($0.location, than: $1.location) }
        for law in inFileOrder where !law.valueLines.isEmpty || !law.tabulations.isEmpty {
            _ = try lawValuePoint(law)
            for table in law.tabulations {
                try checkValueName(table.symbol, of: law, at: table.location, what: "tabulate")
                for row in table.rows {
                    if !row.expression.freeSymbols.isEmpty {
                        throw TheoryError("a row of tabulate \(table.symbol) in law \(law.id) must be a number, not \(row.text)", at: row.valueLocation)
                    }
                    let v: Double
                    do { v = try row.expression.evaluate([:]) } catch {
                        throw TheoryError("the row \(table.symbol) = \(row.text) of law \(law.id) is undefined: \(error)", at: row.valueLocation)
                    }
                    guard v.isFinite else { throw TheoryError("the row \(table.symbol) = \(row.text) of law \(law.id) is not a finite number", at: row.valueLocation) }
                }
            }
        }
    }

    /// The symbols a law moves, each with why a value cannot be given to it.
    func movedSymbols(of law: Law) -> [String: String] {
        var moved: [String: String] = [:]
        if let path = law.path {
            moved[path.growing] = "it is the law's growing variable"
            for (name, value) in path.substitutions { moved[name] = "the law's path moves it (\(name) = \(value))" }
        }
        for limit in law.limits { moved[limit] = "the law takes \(limit) → ∞ first" }
        switch law.mode {
        case .growth: break
        case .minimize(let free): for f in free { moved[f] = "it is a free exponent the law optimizes" }
        case .budget(let total, let product, let over):
            moved[total] = "it is the law's budget, its growing variable"
            let variables = (try? Budget(total: total, product: product, variables: over).variables.map(\.0)) ?? (over ?? Array(product.freeSymbols))
            for v in variables { moved[v] = "the law allocates the budget to it (\(total) = \(product))" }
        }
        return moved
    }

    func checkValueName(_ name: String, of law: Law, at location: SourceLocation, what: String) throws {
        if let why = movedSymbols(of: law)[name] {
            throw TheoryError("law \(law.id) cannot \(what == "tabulate" ? "tabulate" : "be given a value for") \(name): \(why), so the law's exponents do not depend on a value of it", at: location)
        }
        if quantities[name] != nil {
            throw TheoryError("\(name) is a quantity (an unknown the lemmas bound), not a symbol: law \(law.id) can \(what == "tabulate" ? "tabulate" : "set") only declared symbols", at: location)
        }
        if let d = definitions.first(where: { $0.name == name }) {
            throw TheoryError("\(name) is defined (\(name) = \(d.value), at \(d.location)): law \(law.id) sets the symbols of its definition, and \(name) is computed from them", at: location)
        }
        if !symbols.contains(where: { $0.name == name }) {
            let hint = Suggestions.didYouMean(name, among: symbols.map(\.name).filter { !$0.isEmpty })
            throw TheoryError("undefined symbol '\(name)' in law \(law.id) ('\(what)')" + (hint.isEmpty ? "; declare it in a 'symbols' block" : hint), at: location)
        }
    }

    /// The law's point: its values (with `row` in place of, or added to, the value of its symbol), each checked as
    /// described above. Exact where rational, with the double evaluated.
    func lawValuePoint(_ law: Law, row: ExampleValue? = nil) throws -> [(String, Expr, Double)] {
        var lines = law.valueLines
        for v in lines { try checkValueName(v.name, of: law, at: v.location, what: "values") }
        let title: String
        if let row {
            try checkValueName(row.name, of: law, at: row.location, what: "tabulate")
            if let i = lines.firstIndex(where: { $0.name == row.name }) { lines[i] = row } else { lines.append(row) }
            title = "the row \(row.name) = \(row.text) of law \(law.id)'s table"
        } else {
            title = "the values of law \(law.id)"
        }
        let configuration = ExampleConfiguration(name: title, source: Prose(text: "law \(law.id)"), values: lines, location: law.location)
        let point = try exactValues(of: configuration, title: title)
        try checkAdmissible(point, lines: lines, title: title)
        return point
    }

    /// The checks `exactValues` leaves to floating point, made rigorous, and the assumptions that mention symbols
    /// without a value: together with the values they must leave room for some value of those symbols.
    private func checkAdmissible(_ point: [(String, Expr, Double)], lines: [ExampleValue], title: String) throws {
        let valued = Dictionary(point.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        func line(for fact: Assumptions.Fact) -> ExampleValue? {
            // The value set last among the fact's symbols: the one that completes it.
            lines.last { fact.expression.freeSymbols.contains($0.name) }
        }
        let bare = Assumptions()
        for fact in assumptions.facts {
            let used = fact.expression.freeSymbols
            guard !used.isEmpty, used.allSatisfy({ valued[$0] != nil }), let v = line(for: fact) else { continue }
            let at = fact.expression.substituting(valued).simplified()
            let sign: Sign = at.numberValue.map { $0.isZero ? .zero : ($0.isNegative ? .negative : .positive) } ?? bare.interval(of: at).sign
            let holds = fact.strict ? sign == .positive : sign.isNonnegative
            if !holds {
                let shown = lines.filter { used.contains($0.name) }.map { "\($0.name) = \($0.text)" }.joined(separator: ", ")
                let why = (sign == .negative || (fact.strict && sign.isNonpositive)) ? "does not hold" : "cannot be confirmed (its value is too close to 0 for the interval arithmetic)"
                throw TheoryError("\(title): '\(fact.origin.text)' \(why) at \(shown)" + (fact.origin.location.map { " (assumed at \($0))" } ?? ""), at: v.valueLocation)
            }
        }
        // The symbols without a value must still have one that satisfies every assumption (a relaxation: what it
        // refutes is impossible; what it does not refute is not claimed feasible).
        var a = assumptions
        for (name, value, _) in point {
            guard let r = value.numberValue else { continue }
            do { try a.assume(.symbol(name), .equal, .number(r), origin: .init("\(name) = \(r)")) } catch {
                throw TheoryError("\(title): \(error.message)", at: lines.first { $0.name == name }?.valueLocation)
            }
        }
        if a.linearlyInconsistent {
            throw TheoryError("\(title): no value of the other symbols satisfies the assumptions together with these values (linear arithmetic derives 0 < 0)",
                              at: lines.last?.valueLocation)
        }
    }
}
