import Foundation
import Symbolic
import Asymptotics

/// The JSON contract of `bounds derive --format json`: Codable mirrors of the model (Model/), encoded with sorted
/// keys. The contract is README.md's "JSON contract" section and the JSON Schema beside it, `derive.schema.json`;
/// `schema_version` says which version of it a document follows. Every field the schema marks
/// `"format": "expression"` holds an expression in the text syntax, which `Parser.parseExpression` reads back;
/// the `text` fields are what the text report prints.
public enum JSONReport {
    /// 2: conditions, regimes and steps carry their structure (version 1 was the unversioned document of the
    /// first releases, whose conditions were sentences).
    public static let schemaVersion = 2

    public static func document(_ run: DerivationRun) -> Document {
        let theory = run.theory
        return Document(
            schemaVersion: schemaVersion,
            theory: theory.files.last ?? "",
            alternatives: theory.swaps.map { Alternative(use: $0.0, replaces: $0.1) },
            bound: run.bounds.first.map(Bound.init),
            steps: run.bounds.first.map { $0.steps.map(Step.init) },
            bounds: run.bounds.map(Bound.init),
            laws: run.laws.map(Law.init),
            lawFailures: run.lawFailures.map { Failure(location: $0.location.map { "\($0)" } ?? "", message: $0.message) },
            unchecked: run.unchecked,
            audit: run.audit.map(Audit.init))
    }

    /// The document as `derive --format json` writes it.
    public static func render(_ run: DerivationRun) -> String { encode(document(run)) }

    /// Pretty-printed JSON with sorted keys (and slashes as they are).
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    /// A number as JSON can hold it: NaN and the infinities have no JSON spelling, and are null.
    static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }

    // MARK: - The document

    public struct Document: Codable {
        public var schemaVersion: Int
        public var theory: String
        public var alternatives: [Alternative]
        /// The first bound, and its steps, as in the first version of the contract.
        public var bound: Bound?
        public var steps: [Step]?
        public var bounds: [Bound]
        public var laws: [Law]
        public var lawFailures: [Failure]
        public var unchecked: [String]
        public var audit: Audit?

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", theory, alternatives, bound, steps, bounds, laws, lawFailures = "law_failures", unchecked, audit
        }
    }

    public struct Alternative: Codable {
        public var use: String
        public var replaces: String
    }

    public struct Failure: Codable {
        public var location: String
        public var message: String
    }

    public struct Term: Codable {
        public var name: String
        public var text: String
        public var latex: String
    }

    public struct Bound: Codable {
        public var id: String
        public var name: String
        public var lhs: String
        public var relation: String
        public var path: String?
        public var text: String
        public var latex: String
        public var terms: [Term]
        public var lemmas: [String]
        /// Where the `derive` block is.
        public var location: String?
        public var steps: [Step]

        init(_ b: ComposedBound) {
            id = b.id
            name = b.name.text
            lhs = b.lhs.display
            relation = b.relation.rawValue
            path = b.path.map { "\($0.growing) -> oo" }
            text = b.expression.display
            latex = b.expression.displayLaTeX
            terms = b.terms.map { Term(name: $0.name ?? "", text: $0.expression.display, latex: $0.expression.displayLaTeX) }
            lemmas = b.lemmasUsed
            location = b.location.map { "\($0)" }
            steps = b.steps.map(Step.init)
        }
    }

    public struct Step: Codable {
        public var relation: String
        /// The whole bound after the step.
        public var text: String
        public var latex: String
        public var by: String
        public var detail: String
        /// The lemma used, the one it stands in for, and its bindings (`by P3 [delta := 1/n]`).
        public var lemma: String?
        public var inPlaceOf: String?
        public var bindings: [String: String]?
        /// `by asymptotics`: the terms dropped as dominated.
        public var dropped: [String]?
        public var location: String

        enum CodingKeys: String, CodingKey {
            case relation, text, latex, by, detail, lemma, inPlaceOf = "in_place_of", bindings, dropped, location
        }

        init(_ step: DerivationStep) {
            let result = step.result   // rebuilt from the history on each read
            relation = step.relation.rawValue
            text = result.display
            latex = result.displayLaTeX
            by = step.justification.label
            detail = step.justification.detail
            location = "\(step.location)"
            switch step.justification {
            case .lemma(let id, let inPlace, let given):
                lemma = id
                inPlaceOf = inPlace
                bindings = Dictionary(given.map { ($0.0, $0.1.text) }, uniquingKeysWith: { a, _ in a })
            case .asymptotics(let terms, _):
                dropped = terms.map(\.text)
            case .algebra:
                break
            }
        }
    }

    // MARK: Laws

    public struct NamedTerm: Codable {
        public var name: String?
        public var expression: String
        /// An operand of the min its name labels.
        public var operand: Bool?

        init(_ t: Derivation.NamedTerm) {
            name = t.name
            expression = t.expression.display
            operand = t.isOperand ? true : nil
        }
    }

    public struct ScalingPath: Codable {
        public var variable: String
        public var substitutions: [String: String]
        public var fixed: [String]
    }

    /// A law's condition: it holds once `variable relation value` (up to `up_to`); below, `dominated_by` dominates.
    public struct Condition: Codable {
        public var text: String
        public var variable: String
        public var relation: String
        public var value: String
        public var upTo: String?
        public var dominatedBy: NamedTerm

        enum CodingKeys: String, CodingKey { case text, variable, relation, value, upTo = "up_to", dominatedBy = "dominated_by" }

        init(_ t: LawThreshold) {
            text = t.text
            variable = t.variable
            relation = t.condition.op.rawValue
            value = t.value.display
            upTo = t.accuracy == .exact ? nil : t.accuracy.rawValue
            dominatedBy = NamedTerm(t.term)
        }
    }

    /// `lhs relation rhs`, up to constants or log factors.
    public struct Comparison: Codable {
        public var lhs: String
        public var relation: String
        public var rhs: String
        public var upTo: String?

        enum CodingKeys: String, CodingKey { case lhs, relation, rhs, upTo = "up_to" }
    }

    /// Where a regime holds: `kind` is `comparison` (with `comparison`), `limit` (with `variable`), `parameters`
    /// (every one of `atoms`), `balanced`, or `cost_dominates` (with `cost`).
    public struct RegimeCondition: Codable {
        public var kind: String
        public var comparison: Comparison?
        public var variable: String?
        public var atoms: [Comparison]?
        public var cost: String?

        init(_ c: LawCondition) {
            switch c {
            case .comparison(let x):
                kind = "comparison"
                comparison = Comparison(lhs: x.lhs.display, relation: x.op.rawValue, rhs: x.rhs.display, upTo: x.accuracy == .exact ? nil : x.accuracy.rawValue)
            case .limit(let v):
                kind = "limit"
                variable = v
            case .parameters(let condition):
                kind = "parameters"
                atoms = (condition.relations ?? []).map { Comparison(lhs: $0.lhs.display, relation: $0.op.rawValue, rhs: $0.rhs.display, upTo: nil) }
            case .balanced:
                kind = "balanced"
            case .costDominates(let e):
                kind = "cost_dominates"
                cost = e.display
            }
        }
    }

    /// What dominates in a regime: `kind` is `term` or `balance` (with `terms`), `boundary` (with `above` and
    /// `below`, the larger term on each side), `unlimited` (with `variable`), `no_law` or `undecided` (with
    /// `reason`), or `rate` (with `rate`, and the `problems` that keep it from holding as the budget grows).
    public struct Dominance: Codable {
        public var kind: String
        public var terms: [NamedTerm]?
        public var above: NamedTerm?
        public var below: NamedTerm?
        public var variable: String?
        public var reason: String?
        public var rate: Rate?
        public var problems: [String]?

        init(_ d: RegimeDominance) {
            switch d {
            case .term(let t):
                kind = "term"
                terms = [NamedTerm(t)]
            case .balance(let ts):
                kind = "balance"
                terms = ts.map(NamedTerm.init)
            case .larger(let a, let b):
                kind = "boundary"
                above = NamedTerm(a)
                below = NamedTerm(b)
            case .unlimited(let v):
                kind = "unlimited"
                variable = v
            case .noLaw(let why):
                kind = "no_law"
                reason = why
            case .undecided(let why):
                kind = "undecided"
                reason = why
            case .rate(let r, _, let ps):
                kind = "rate"
                rate = Rate(r)
                problems = ps.map(\.text)
            }
        }
    }

    /// risk ≍ variable^exponent · log(variable)^log_power, and how the reports print it.
    public struct Rate: Codable {
        public var variable: String
        public var exponent: String
        public var logPower: String
        public var text: String
        public var latex: String
        public var hides: String?

        enum CodingKeys: String, CodingKey { case variable, exponent, logPower = "log_power", text, latex, hides }

        init(_ r: RateDescription) {
            variable = r.variable
            exponent = r.exponent.display
            logPower = r.logPower.display
            text = r.text
            latex = r.latex
            hides = r.hiddenLogText
        }
    }

    public struct Regime: Codable {
        /// The regime as the text report prints it.
        public var condition: String
        public var dominant: String
        public var when: RegimeCondition
        public var dominance: Dominance

        init(_ r: LawRegime) {
            condition = r.conditionText
            dominant = r.dominant.text
            when = RegimeCondition(r.condition)
            dominance = Dominance(r.dominant)
        }
    }

    public struct BranchRate: Codable {
        public var branch: String
        public var risk: String
        public var logPower: String
        public var exponents: [String: String]
        public var rateText: String
        public var rateLatex: String
        public var rateHides: String?

        enum CodingKeys: String, CodingKey {
            case branch, risk, logPower = "log_power", exponents, rateText = "rate_text", rateLatex = "rate_latex", rateHides = "rate_hides"
        }

        init(_ r: OptimizedRate, variable: String) {
            let rate = r.description(variable: variable)
            branch = r.branch.text
            risk = r.rate.display
            logPower = r.logPower.display
            exponents = Dictionary(r.exponents.map { ($0.0, $0.1.display) }, uniquingKeysWith: { a, _ in a })
            rateText = rate.text
            rateLatex = rate.latex
            rateHides = rate.hiddenLogText
        }
    }

    public struct ClosedForm: Codable {
        public struct Partner: Codable {
            public var name: String
            public var exponent: String
            public var coefficient: String
        }
        public var variable: String
        public var optimum: String
        public var exponent: String
        public var coefficient: String
        public var value: String
        public var partner: Partner?

        init(_ c: ClosedFormOptimum) {
            variable = c.variable
            optimum = c.optimum.display
            exponent = c.exponent.display
            coefficient = c.coefficient.display
            value = c.value.display
            partner = c.partner.map { Partner(name: $0.name, exponent: $0.exponent.display, coefficient: $0.coefficient.display) }
        }
    }

    public struct Number: Codable {
        public var key: String
        public var label: String
        public var expression: String
        public var value: Double?

        init(_ n: LawNumber) {
            key = n.key
            label = n.meaning.text
            expression = n.expression.display
            value = finite(n.value)
        }
    }

    public struct Column: Codable {
        public var key: String
        public var label: String
        public var expression: String
    }

    public struct Row: Codable {
        public var value: String
        public var number: Double?
        public var admissible: Bool
        public var problem: String?
        public var values: [String: Double?]?
    }

    public struct Table: Codable {
        public var symbol: String
        public var columns: [Column]
        public var rows: [Row]

        init(_ t: LawTable) {
            symbol = t.symbol
            columns = t.columns.map { Column(key: $0.key, label: $0.meaning.text, expression: $0.expression.display) }
            rows = t.rows.map { r in
                Row(value: r.text, number: finite(r.value), admissible: r.isAdmissible, problem: r.problem,
                    values: r.problem != nil ? nil : Dictionary(zip(t.columns.map(\.key), r.numbers.map(finite)).map { ($0, $1) }, uniquingKeysWith: { a, _ in a }))
            }
        }
    }

    public struct Law: Codable {
        public var id: String
        public var name: String
        public var variable: String
        public var path: String
        public var scalingPath: ScalingPath
        public var exponents: [String: String]
        public var exponentsLatex: [String: String]
        public var logPower: String
        /// The rate as the text and LaTeX reports print it, and the log factor Õ hides (absent when undecided).
        public var rateText: String?
        public var rateLatex: String?
        public var rateHides: String?
        /// Why the kernel does not certify a rate (absent when it does).
        public var undecided: String?
        public var conditions: [Condition]
        public var regimes: [Regime]
        public var notes: [String]
        public var rates: [BranchRate]
        public var closedForm: ClosedForm?
        public var values: [String: Double?]?
        public var evaluated: [Number]?
        public var valuesNote: String?
        public var tables: [Table]?

        enum CodingKeys: String, CodingKey {
            case id, name, variable, path, scalingPath = "scaling_path", exponents, exponentsLatex = "exponents_latex", logPower = "log_power"
            case rateText = "rate_text", rateLatex = "rate_latex", rateHides = "rate_hides", undecided, conditions, regimes, notes, rates
            case closedForm = "closed_form", values, evaluated, valuesNote = "values_note", tables
        }

        init(_ l: DerivedLaw) {
            id = l.id
            name = l.name.text
            variable = l.variable
            path = l.path.text
            scalingPath = ScalingPath(variable: l.path.growing,
                                      substitutions: Dictionary(l.path.substitutions.map { ($0.0, $0.1.text) }, uniquingKeysWith: { a, _ in a }),
                                      fixed: l.path.fixed)
            exponents = Dictionary(l.exponents.map { ($0.0, $0.1.display) }, uniquingKeysWith: { a, _ in a })
            exponentsLatex = Dictionary(l.exponents.map { ($0.0, $0.1.displayLaTeX) }, uniquingKeysWith: { a, _ in a })
            logPower = l.logPower.display
            if l.isCertified && !l.exponents.isEmpty {
                rateText = l.rate.text
                rateLatex = l.rate.latex
                rateHides = l.rate.hiddenLogText
            } else {
                undecided = l.undecided ?? "no rate was derived"
            }
            conditions = l.thresholds.map(Condition.init)
            regimes = l.regimes.map(Regime.init)
            notes = l.notes.map(\.text)
            rates = l.rates.map { BranchRate($0, variable: l.variable) }
            closedForm = l.closedForm.map(ClosedForm.init)
            if !l.values.isEmpty { values = Dictionary(l.values.map { ($0.0.text, finite($0.1)) }, uniquingKeysWith: { a, _ in a }) }
            if !l.numbers.isEmpty { evaluated = l.numbers.map(Number.init) }
            valuesNote = l.valuesNote
            if !l.tables.isEmpty { tables = l.tables.map(Table.init) }
        }
    }

    // MARK: Audit

    public struct Contradiction: Codable {
        public var law: String
        public var branch: String
        public var rate: String
        public var logPower: String
        public var rateText: String
        public var rateLatex: String
        public var rateHides: String?
        public var lowerBound: String
        public var lowerBoundRate: String
        public var path: String
        public var growth: [String: String]
        public var lemmaChain: [String]
        public var removedBy: [String]
        /// When the contradiction depends on the parameters: the condition for it.
        public var condition: String?

        enum CodingKeys: String, CodingKey {
            case law, branch, rate, logPower = "log_power", rateText = "rate_text", rateLatex = "rate_latex", rateHides = "rate_hides"
            case lowerBound = "lower_bound", lowerBoundRate = "lower_bound_rate", path, growth, lemmaChain = "lemma_chain", removedBy = "removed_by", condition
        }

        init(_ c: Derivation.Contradiction) {
            law = c.law
            branch = c.branch.text
            rate = c.rate.display
            logPower = c.logPower.display
            rateText = c.rateDescription.text
            rateLatex = c.rateDescription.latex
            rateHides = c.rateDescription.hiddenLogText
            lowerBound = c.lowerBound
            lowerBoundRate = c.lowerBoundRate.display
            path = c.path.text
            growth = Dictionary(c.exponents.map { ($0.0, $0.1.display) }, uniquingKeysWith: { a, _ in a })
            lemmaChain = c.lemmaChain.map(\.text)
            removedBy = c.removedBy.map(\.text)
            condition = c.condition?.description
        }
    }

    public struct Audit: Codable {
        public var lowerBounds: [String]
        public var checked: [String]
        public var contradictions: [Contradiction]
        public var summary: String

        enum CodingKeys: String, CodingKey { case lowerBounds = "lower_bounds", checked, contradictions, summary }

        public init(_ a: AuditReport) {
            lowerBounds = a.lowerBounds.map(\.text)
            checked = a.checked.map(\.text)
            contradictions = a.contradictions.map(Contradiction.init)
            summary = a.contradictions.isEmpty ? "no contradiction with the registered lower bounds" : "\(a.contradictions.count) contradiction(s)"
        }
    }
}
