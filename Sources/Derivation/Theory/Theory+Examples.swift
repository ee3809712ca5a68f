import Foundation
import Symbolic

/// An example's values at the point a command uses: numbers for the symbols it sets (an override replaces the
/// example's number, and the values computed from it are computed again), and, for values computed from a
/// symbol left free (an axis or a grid), their expression in the free symbols.
public struct ResolvedExample: Sendable {
    public var example: ExampleConfiguration
    /// Numbers for the example's symbols, in the example's order (an overridden one with the override's value).
    public var values: [(String, Double)]
    /// Values computed from a free symbol, as expressions in it (`delta = 1/n` with n on an axis).
    public var symbolic: [(String, Expr)]
    /// The example's symbols replaced by an override.
    public var overridden: [String]
    /// Values computed again because a symbol they are computed from was overridden
    /// (`--set d_model=8192` recomputes `Pi_exp = 3*d_model*14336`).
    public var recomputed: [String]
    /// The example's symbols left free (given no number).
    public var freed: [String]
}

extension Theory {
    /// The example called `name`: exactly, else ignoring case.
    public func example(named name: String) -> ExampleConfiguration? {
        examples.first { $0.name == name } ?? examples.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The error for an unknown example name: the names there are, and the closest ones.
    public func unknownExampleMessage(_ name: String) -> String {
        guard !examples.isEmpty else { return "no example '\(name)': the theory defines no examples" }
        let names = examples.map(\.name)
        var message = "no example '\(name)'; the examples are " + names.map { "\"\($0)\"" }.joined(separator: ", ")
        let close = Theory.closeNames(to: name, among: names)
        if !close.isEmpty { message += "; did you mean " + close.map { "\"\($0)\"" }.joined(separator: " or ") + "?" }
        return message
    }

    /// Names that differ from `name` by a few edits, or that contain it (ignoring case, blanks and punctuation).
    static func closeNames(to name: String, among names: [String]) -> [String] {
        func key(_ s: String) -> [Character] { Array(s.lowercased().filter { $0.isLetter || $0.isNumber }) }
        let wanted = key(name)
        guard !wanted.isEmpty else { return [] }
        var scored: [(String, Int)] = []
        for candidate in names {
            let c = key(candidate)
            let distance = editDistance(wanted, c)
            let contains = String(c).contains(String(wanted)) || (wanted.count >= 4 && String(wanted).contains(String(c)))
            if contains || distance <= max(2, c.count / 3) { scored.append((candidate, contains ? 0 : distance)) }
        }
        return scored.sorted { $0.1 < $1.1 }.prefix(3).map(\.0)
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Every example from index `start` on: each name a declared symbol that is not defined nor a quantity, each
    /// value a number or an expression of numbers and of the example's earlier values, and inside the symbol's
    /// declared domain (its interval, integrality, and relations such as k <= M with the values set before it).
    func checkExamples(from start: Int = 0) throws {
        guard start < examples.count else { return }
        for example in examples[start...] { _ = try exactValues(of: example) }
    }

    /// The example's values, exact where the arithmetic is rational, after the checks of `checkExamples`.
    /// `title` names the configuration in messages (a law's values are checked the same way).
    func exactValues(of example: ExampleConfiguration, title given: String? = nil) throws -> [(String, Expr, Double)] {
        let declared = Set(symbols.map(\.name).filter { !$0.isEmpty })
        var exact: [String: Expr] = [:]
        var numbers: [String: Double] = [:]
        var result: [(String, Expr, Double)] = []
        let title = given ?? "example \"\(example.name)\""
        for v in example.values {
            let name = v.name
            guard declared.contains(name) else {
                if quantities[name] != nil {
                    throw TheoryError("\(name) is a quantity (an unknown the lemmas bound), not a symbol: \(title) can set only declared symbols", at: v.location)
                }
                let close = Theory.closeNames(to: name, among: declared.sorted()).filter { Theory.editDistance(Array($0.lowercased()), Array(name.lowercased())) <= (name.count <= 3 ? 1 : 2) }
                let hint = close.isEmpty ? "declare it in a 'symbols' block" : "did you mean \(close.joined(separator: " or "))?"
                throw TheoryError("undefined symbol '\(name)' in \(title): \(hint)", at: v.location)
            }
            if let d = definitions.first(where: { $0.name == name }) {
                throw TheoryError("\(name) is defined (\(name) = \(d.value), at \(d.location)): \(title) sets the symbols of its definition, and \(name) is computed from them", at: v.location)
            }
            for s in v.expression.freeSymbols where numbers[s] == nil {
                let at = Theory.location(of: s, in: v)
                if s == name {
                    throw TheoryError("the value of \(name) refers to \(name) itself", at: at)
                } else if example.value(s) != nil {
                    throw TheoryError("\(s) is set below \(name) in \(title): a value may use only the symbols set on the lines above it", at: at)
                } else if declared.contains(s) {
                    throw TheoryError("\(s) has no value in \(title): a value is a number, or an expression of numbers and of the symbols set on the lines above it", at: at)
                } else {
                    throw TheoryError("undefined symbol '\(s)' in the value of \(name) in \(title)", at: at)
                }
            }
            let substituted = v.expression.substituting(exact)
            let double: Double
            do { double = try substituted.evaluate([:]) } catch {
                throw TheoryError("the value of \(name) in \(title) is undefined: \(error)", at: v.valueLocation)
            }
            guard double.isFinite else { throw TheoryError("the value of \(name) in \(title) is not a finite number", at: v.valueLocation) }
            let simplified = substituted.simplified()
            var rational = simplified.numberValue
            // The exact value must agree with the floating-point one (a zero factor must not hide an undefined one).
            if let r = rational, abs(r.doubleValue - double) > 1e-9 * Swift.max(1, abs(double)) { rational = nil }
            try checkExampleDomain(name, rational, double, exact: exact, numbers: numbers, value: v, title: title)
            exact[name] = rational.map(Expr.number) ?? substituted
            numbers[name] = double
            result.append((name, exact[name]!, double))
        }
        return result
    }

    /// Where `symbol` is written in the value of `v` (its first occurrence as a whole word), else the value's start.
    static func location(of symbol: String, in v: ExampleValue) -> SourceLocation {
        let text = Array(v.text)
        let word = Array(symbol)
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        var i = 0
        while i + word.count <= text.count {
            if Array(text[i..<(i + word.count)]) == word
                && (i == 0 || !isWordCharacter(text[i - 1]))
                && (i + word.count == text.count || !isWordCharacter(text[i + word.count])) {
                var at = v.valueLocation
                at.column += i
                return at
            }
            i += 1
        }
        return v.valueLocation
    }

    /// The symbol's declaration as written (`k : integer in [1, M]`), preferring the one at `near`.
    func declarationText(_ name: String, near: SourceLocation?) -> String {
        let declarations = symbols.filter { $0.name == name }
        guard let d = declarations.first(where: { near != nil && $0.location.file == near?.file && $0.location.line == near?.line }) ?? declarations.first else {
            return name
        }
        var constraint = d.assumption
        if constraint.hasPrefix(name + " ") { constraint = String(constraint.dropFirst(name.count + 1)) }
        return "'\(name) : \(d.isInteger ? "integer" : "real")\(constraint.isEmpty ? "" : " " + constraint)' (\(d.location))"
    }

    private func checkExampleDomain(_ name: String, _ rational: Rational?, _ double: Double, exact: [String: Expr],
                                    numbers: [String: Double], value v: ExampleValue, title: String) throws {
        guard let facts = assumptions.facts(for: name) else { return }
        let shown = rational.map { "\($0)" } ?? "\(double)"
        func fail(_ why: String, near: SourceLocation?) -> TheoryError {
            TheoryError("\(name) = \(shown) in \(title) is outside its declared domain \(declarationText(name, near: near)): \(why)", at: v.valueLocation)
        }
        if facts.domain == .integer && !(rational?.isInteger ?? false) {
            throw fail("\(name) must be an integer", near: facts.domainOrigin?.location)
        }
        let i = facts.interval
        if let lower = i.lower {
            let below = rational.map { $0 < lower || (i.lowerOpen && $0 == lower) } ?? (double < lower.doubleValue || (i.lowerOpen && double == lower.doubleValue))
            if below { throw fail("\(name) must be \(i.lowerOpen ? ">" : ">=") \(lower)", near: facts.lowerOrigin?.location) }
        }
        if let upper = i.upper {
            let above = rational.map { upper < $0 || (i.upperOpen && $0 == upper) } ?? (double > upper.doubleValue || (i.upperOpen && double == upper.doubleValue))
            if above { throw fail("\(name) must be \(i.upperOpen ? "<" : "<=") \(upper)", near: facts.upperOrigin?.location) }
        }
        // Relations with the values set before it (k <= M): each fact is checked once, when its last symbol is set.
        var bindings = exact
        bindings[name] = rational.map(Expr.number) ?? .number(Rational(exactly: double) ?? .zero)
        var point = numbers
        point[name] = double
        for fact in assumptions.facts {
            let used = fact.expression.freeSymbols
            guard used.contains(name), used.allSatisfy({ point[$0] != nil }) else { continue }
            let violated: Bool
            var uncertain = false
            let substituted = fact.expression.substituting(bindings).simplified()
            // Decided exactly, else by an outward-rounded enclosure (log(8) is irrational), else in floating point.
            let enclosure = Assumptions().interval(of: substituted).sign
            if let r = substituted.numberValue {
                violated = r.isNegative || (fact.strict && r.isZero)
            } else if enclosure == .positive || enclosure == .negative || (!fact.strict && enclosure.isNonnegative) {
                violated = enclosure == .negative
            } else if let x = try? fact.expression.evaluate(point) {
                violated = x < 0 || (fact.strict && x == 0)
                // Neither exactly nor by the enclosure: a double this close to 0 decides nothing.
                if violated && abs(x) <= 1e-12 * Swift.max(1, point.values.map(abs).max() ?? 1) { uncertain = true }
            } else {
                continue
            }
            if violated {
                let others = used.filter { $0 != name }.map { other -> String in
                    let shownOther = (exact[other]?.numberValue).map { "\($0)" } ?? "\(numbers[other] ?? .nan)"
                    return "\(other) = \(shownOther)"
                }
                throw fail("'\(fact.origin.text)' " + (uncertain ? "cannot be confirmed (it is within rounding of 0 there)" : "does not hold") + (others.isEmpty ? "" : " with " + others.joined(separator: ", ")), near: fact.origin.location)
            }
        }
    }

    /// The example's values at a point: `overriding` replaces values (and the values computed from them are
    /// computed again), `free` symbols get no number (values computed from them become expressions in them).
    public func resolve(_ example: ExampleConfiguration, overriding overrides: [String: Double] = [:], free: Set<String> = []) throws -> ResolvedExample {
        var numbers: [String: Double] = [:]
        var symbolic: [String: Expr] = [:]
        var resolved = ResolvedExample(example: example, values: [], symbolic: [], overridden: [], recomputed: [], freed: [])
        var changed = Set<String>()
        for v in example.values {
            let name = v.name
            if free.contains(name) {
                resolved.freed.append(name)
                symbolic[name] = .symbol(name)
                continue
            }
            if let o = overrides[name] {
                numbers[name] = o
                resolved.values.append((name, o))
                resolved.overridden.append(name)
                changed.insert(name)
                continue
            }
            let uses = v.expression.freeSymbols
            if uses.contains(where: { symbolic[$0] != nil }) {
                let e = v.expression.substituting(symbolic.filter { $0.value != .symbol($0.key) })
                symbolic[name] = e
                resolved.symbolic.append((name, e))
                resolved.freed.append(name)
                continue
            }
            let value: Double
            do { value = try v.expression.evaluate(numbers) } catch {
                throw TheoryError("example \"\(example.name)\": the value of \(name) = \(v.text) is undefined at the values given: \(error)", at: v.valueLocation)
            }
            guard value.isFinite else {
                throw TheoryError("example \"\(example.name)\": the value of \(name) = \(v.text) is not finite at the values given", at: v.valueLocation)
            }
            if uses.contains(where: changed.contains) {
                resolved.recomputed.append(name)
                changed.insert(name)
            }
            numbers[name] = value
            resolved.values.append((name, value))
        }
        return resolved
    }

    /// The settings of the specializations swapped in (`--use A4` sets M = 1 and k = 1), in the order applied.
    public var appliedSpecializations: [Specialization] {
        swaps.compactMap { swap in specializations.first { $0.id == swap.0 } }
    }
}
