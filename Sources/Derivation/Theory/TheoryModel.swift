import Symbolic

/// Where a lemma stands: a standard result, a result of the paper, a derived theorem, or an alternative.
public enum LemmaTag: String, Sendable, CaseIterable { case paper, standard, derived, alternative }

public enum Justification: Sendable, Equatable, CustomStringConvertible {
    /// `by P3 [delta := 1/n]`: the lemma instantiated (by the given bindings, the rest by matching).
    case lemma(String, [String: Expr])
    case algebra
    case monotonicity
    case asymptotics
    case definition

    public var description: String {
        switch self {
        case .lemma(let id, let s):
            if s.isEmpty { return id }
            return "\(id) [" + s.sorted { $0.key < $1.key }.map { "\($0.key) := \($0.value)" }.joined(separator: ", ") + "]"
        case .algebra: return "algebra"
        case .monotonicity: return "monotonicity"
        case .asymptotics: return "asymptotics"
        case .definition: return "definition"
        }
    }
}

/// One line of a proof: `<op> rhs by justification`, relating the previous expression to `rhs`.
public struct ProofStep: Sendable {
    public var op: RelationOperator
    public var rhs: Expr
    public var justification: Justification
    public var location: SourceLocation
    /// Where the justification's lemma id is written (after `by`).
    public var justificationLocation: SourceLocation? = nil
}

public struct Proof: Sendable {
    public var start: Expr
    public var steps: [ProofStep]
    public var location: SourceLocation
}

/// A growing variable for asymptotic statements: `as n -> oo` (optionally `with N_eff = n^theta`).
public struct PathSpec: Sendable {
    public var growing: String
    public var substitutions: [(String, Expr)]
    /// Symbols held fixed: a `<~` constant may depend on them (`as n -> oo fixed eps, F`).
    public var fixed: [String] = []
    public var location: SourceLocation

    public init(growing: String, substitutions: [(String, Expr)], fixed: [String] = [], location: SourceLocation) {
        self.growing = growing
        self.substitutions = substitutions
        self.fixed = fixed
        self.location = location
    }
}

public enum LemmaKind: String, Sendable { case lemma, theorem, lowerBound = "lowerbound" }

/// A lemma record, as ANTEDB keeps results: statement, proof, reference and dependencies.
public struct Lemma: Sendable {
    public var id: String
    /// The name, the source and the note are prose with `$...$` markup for formulas (`Prose`).
    public var name: Prose
    public var kind: LemmaKind
    public var tag: LemmaTag
    public var source: Prose
    public var note: Prose?
    public var hypotheses: [(Relation, SourceLocation)]
    public var statement: Relation
    public var statementLocation: SourceLocation
    public var path: PathSpec?
    /// Named summands of the right side (`terms estimation = ..., routing = ...`).
    public var termNames: [(String, Expr)]
    public var replaces: String?
    public var proof: Proof?
    public var location: SourceLocation
    /// The block's last line (its header is at `location`): names in the block are looked up between the two.
    public var lastLine: Int = 0

    /// Lemma ids this lemma's proof cites.
    public var dependencies: [String] {
        guard let proof else { return [] }
        var ids: [String] = []
        for step in proof.steps {
            if case .lemma(let id, _) = step.justification, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}

/// `derive ID "name"`: start from an expression and rewrite it with lemmas in order.
public struct Recipe: Sendable {
    public enum Step: Sendable {
        case lemma(String, [String: Expr], SourceLocation)
        case asymptotics(SourceLocation)
        case algebra(SourceLocation)
    }
    public var id: String
    public var name: Prose
    public var start: Expr
    public var steps: [Step]
    public var path: PathSpec?
    public var location: SourceLocation
    /// Where the `start` expression is written.
    public var startLocation: SourceLocation? = nil
    public var lastLine: Int = 0
}

/// `law ID "name"`: a scaling law derived from a recipe's bound.
public struct Law: Sendable {
    public enum Mode: Sendable {
        /// Growth along a path (with optional limits taken first).
        case growth
        /// Minimize over free exponents.
        case minimize([String])
        /// Compute-optimal under a budget `total = expression` (over the listed variables).
        case budget(String, Expr, [String]?)
    }
    public var id: String
    public var name: Prose
    public var tag: LemmaTag?
    public var source: Prose?
    public var bound: String
    public var limits: [String]
    public var path: PathSpec?
    public var mode: Mode
    public var irreducible: [String]
    public var closedForm: String?
    public var values: [(String, Expr)]
    public var replaces: String?
    public var location: SourceLocation
    /// The block's last line: the names of its body lines are looked up between `location` and it.
    public var lastLine: Int = 0
    /// `values` as written, with where each name and value is (`values` holds the same names and expressions):
    /// the point at which every exponent of the law is evaluated.
    public var valueLines: [ExampleValue] = []
    /// `tabulate E = 1, 2, 4`: the law's numbers at each value of one symbol, the other values as given.
    public var tabulations: [LawTabulation] = []
    /// Where the `closed form` line's variable is written.
    public var closedFormLocation: SourceLocation? = nil
}

/// `tabulate E = 1, 2, 4, 8` in a law: one row per value of `symbol`, the law's other `values` fixed.
public struct LawTabulation: Sendable {
    public var symbol: String
    /// One entry per row: `name` is `symbol`, `expression` the row's value, `valueLocation` where it is written.
    public var rows: [ExampleValue]
    /// Where the symbol's name is written.
    public var location: SourceLocation

    public init(symbol: String, rows: [ExampleValue], location: SourceLocation) {
        self.symbol = symbol
        self.rows = rows
        self.location = location
    }
}

/// `specialize A4 "dense baseline"`: set symbols to values everywhere (M = k = 1, d = D).
public struct Specialization: Sendable {
    public var id: String
    public var name: Prose
    public var source: Prose
    public var settings: [(String, Expr)]
    public var location: SourceLocation
    public var lastLine: Int = 0
}

public struct SymbolDeclaration: Sendable, Equatable {
    public var name: String
    /// The constraint as assumption text ("k in [1, M]"), or "" for a bare domain; for `assume` lines the
    /// whole relation, with an empty name.
    public var assumption: String
    public var meaning: Prose?
    public var isInteger: Bool = false
    /// Where the domain starts (after the colon): contradictions point here.
    public var location: SourceLocation
    /// Where `assumption` is parsed from, so parse errors point into the constraint as written.
    public var constraintLocation: SourceLocation? = nil
}

/// A quantity the lemmas talk about without a formula (Risk, Approx, Cover(delta)).
///
/// Its value depends on its arguments and, hidden, on every declared symbol except those it is declared
/// `independent of`: `Risk >= 0 independent of delta, eps` is the risk of an estimator that does not see the
/// proof's covering radius or slack. A lemma symbol that a quantity in the lemma depends on cannot be
/// instantiated with anything else (the quantity would silently change meaning).
public struct Quantity: Sendable {
    public var name: String
    public var arguments: [String]
    /// Holds where every argument lies in its symbol's declared domain, with the arguments substituted.
    public var lowerBound: Expr?
    public var independentOf: [String] = []
    public var meaning: Prose?
    public var location: SourceLocation

    public init(name: String, arguments: [String], lowerBound: Expr?, independentOf: [String] = [], meaning: Prose?, location: SourceLocation) {
        self.name = name
        self.arguments = arguments
        self.lowerBound = lowerBound
        self.independentOf = independentOf
        self.meaning = meaning
        self.location = location
    }

    /// Whether the quantity's value may change with `symbol` when its arguments stay the same.
    public func hiddenlyDepends(on symbol: String) -> Bool {
        !arguments.contains(symbol) && !independentOf.contains(symbol)
    }
}

public struct Definition: Sendable {
    public var name: String
    public var value: Expr
    public var meaning: Prose?
    public var location: SourceLocation
}

/// One `symbol = value` line of an example configuration.
public struct ExampleValue: Sendable {
    public var name: String
    /// The value as written: a number, or an expression of numbers and of the symbols set on earlier lines of
    /// the same example (`Pi_exp = 3*d_model*14336`).
    public var expression: Expr
    /// Where the symbol's name is written, and where its value starts.
    public var location: SourceLocation
    public var valueLocation: SourceLocation
    /// The value text exactly as written (to locate a symbol inside it).
    public var text: String

    public init(name: String, expression: Expr, location: SourceLocation, valueLocation: SourceLocation, text: String) {
        self.name = name
        self.expression = expression
        self.location = location
        self.valueLocation = valueLocation
        self.text = text
    }
}

/// `example "Mixtral 8x7B"`: a named configuration of the theory's symbols, for eval, sweep and plot.
public struct ExampleConfiguration: Sendable {
    public var name: String
    public var source: Prose
    public var note: Prose?
    public var values: [ExampleValue]
    public var location: SourceLocation

    public init(name: String, source: Prose, note: Prose? = nil, values: [ExampleValue], location: SourceLocation) {
        self.name = name
        self.source = source
        self.note = note
        self.values = values
        self.location = location
    }

    public func value(_ name: String) -> ExampleValue? { values.first { $0.name == name } }
}

/// Everything one theory file says, in order, before imports are resolved.
public struct TheoryFile: Sendable {
    public var path: String
    public var imports: [(String, SourceLocation)] = []
    public var symbols: [SymbolDeclaration] = []
    public var assumptions: [(String, SourceLocation)] = []
    public var quantities: [Quantity] = []
    public var definitions: [Definition] = []
    public var lemmas: [Lemma] = []
    public var recipes: [Recipe] = []
    public var laws: [Law] = []
    public var specializations: [Specialization] = []
    public var examples: [ExampleConfiguration] = []
    /// Where each name is written, in the order parsed (see `Theory.position(of:from:through:)`).
    public var names: [NameOccurrence] = []
}

/// Something a theory file says that the engine cannot fully use, printed on standard error with its location.
public struct TheoryWarning: Sendable, CustomStringConvertible, Equatable {
    public var location: SourceLocation?
    public var message: String
    public init(_ message: String, at location: SourceLocation?) { self.message = message; self.location = location }
    public var description: String { location.map { "\($0): warning: \(message)" } ?? "warning: \(message)" }
}

/// An error in a theory file or a derivation: a location and a sentence.
public struct TheoryError: Error, Sendable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String
    public init(_ message: String, at location: SourceLocation?) { self.message = message; self.location = location }
    public var description: String { location.map { "\($0): error: \(message)" } ?? "error: \(message)" }
}

extension Theory {
    /// Where `name` is written: its leftmost token on the line of `start` at or after its column, else its first
    /// token on the lines after it up to `lastLine` (from the side table of names the parser kept). `start` when the
    /// table has none, so an error without a token still points at its statement.
    public func position(of name: String, from start: SourceLocation?, through lastLine: Int? = nil) -> SourceLocation? {
        guard let start, let file = start.file, let table = names[file] else { return start }
        let last = max(lastLine ?? start.line, start.line)
        var best: SourceLocation? = nil
        for occurrence in table where occurrence.name == name {
            let l = occurrence.location
            guard l.line >= start.line, l.line <= last, l.line > start.line || l.column >= start.column else { continue }
            if let b = best, (b.line, b.column) <= (l.line, l.column) { continue }
            best = l
        }
        return best ?? start
    }

    /// `position(of:from:through:)` for a block that records its last line.
    func position(of name: String, in block: (location: SourceLocation, lastLine: Int)) -> SourceLocation {
        position(of: name, from: block.location, through: block.lastLine) ?? block.location
    }
}
