/// The comparison between two sides of a statement; `<~`, `>~` and `~` are the asymptotic ones
/// (≲, ≳, ≍: up to a constant independent of the growing variables).
public enum RelationOperator: String, Sendable, CaseIterable {
    case lessEqual = "<="
    case less = "<"
    case equal = "="
    case greaterEqual = ">="
    case greater = ">"
    case asymptoticLessEqual = "<~"
    case asymptoticGreaterEqual = ">~"
    case asymptoticEqual = "~"
}

/// `lhs op rhs`, one comparison. Chains (`a <= b <~ c`) are split by the caller into separate relations.
public struct Relation: Hashable, Sendable {
    public var lhs: Expr
    public var op: RelationOperator
    public var rhs: Expr

    public init(lhs: Expr, op: RelationOperator, rhs: Expr) {
        self.lhs = lhs
        self.op = op
        self.rhs = rhs
    }
}

/// Text → `Expr`. Grammar, loosest first:
///
///     relation := expr relop expr
///     expr     := term (('+' | '-') term)*
///     term     := unary (('*' | '/') unary)*
///     unary    := ('-' | '+') unary | power
///     power    := primary ('^' unary)?            right-associative; `-x^2` is -(x^2), `2^-1` is 2^(-1)
///     primary  := number | constant | symbol | name '(' expr (',' expr)* ')' | '(' expr ')'
///
/// A call of log/ln/exp/sqrt/min/max/binom builds that node; any other name applied to arguments is an
/// uninterpreted quantity, `Cover(delta)` → `.apply("Cover", [delta])`.
///
/// The grammar is implemented by operator precedence with explicit stacks rather than by recursion: in a
/// debug build a recursive-descent frame chain for 1000 nested parentheses overflows even an 8 MB stack.
/// Nesting (parentheses, calls, unary signs, `^` chains) is still capped at `maximumNesting`, which bounds
/// the depth of the trees handed to recursive code downstream (`Expr`'s own `==`, hashing, rewriting).
///
/// Nodes are built with the canonicalizing builders of `Expr`, so `parse("a - b")` equals `a - b`
/// written with the Swift operators. Every error is a `ParseError` at the offending character.
public struct Parser {
    /// Deepest nesting of parentheses, calls, unary signs and `^` accepted; deeper input is an error.
    public static let maximumNesting = 1000

    /// Parses one expression; the whole of `text` must be consumed. `line`/`column` give the position of
    /// `text`'s first character in a larger file, so errors point into that file.
    public static func parseExpression(_ text: String, file: String? = nil, line: Int = 1, column: Int = 1)
        throws(ParseError) -> Expr
    {
        var parser = try Parser(text, file: file, line: line, column: column)
        let expression = try parser.expression(after: nil)
        try parser.expectEnd()
        return expression
    }

    /// `parseExpression`, also appending to `names` where each symbol and each quantity call (`Cover(...)`) is
    /// written, in order: a side table for errors about a name ("undefined symbol") to point at its token.
    /// Functions (`log`) and the constants `e`, `pi` are not names. Only callers that ask pay for the table.
    public static func parseExpression(_ text: String, file: String? = nil, line: Int = 1, column: Int = 1,
                                       recordingNamesInto names: inout [NameOccurrence]) throws(ParseError) -> Expr
    {
        var parser = try Parser(text, file: file, line: line, column: column)
        parser.names = []
        defer { names += parser.names ?? [] }
        let expression = try parser.expression(after: nil)
        try parser.expectEnd()
        return expression
    }

    /// The names written in `text`, found by its tokens alone (no grammar; characters the lexer refuses, such as
    /// the brackets of `k in [1, M]`, are stepped over): for pointing at a name in text parsed elsewhere.
    public static func nameTokens(in text: String, file: String? = nil, line: Int = 1, column: Int = 1) -> [NameOccurrence] {
        var lexer = Lexer(text, file: file, line: line, column: column)
        var result: [NameOccurrence] = []
        while true {
            do {
                let token = try lexer.next()
                switch token.kind {
                case .end: return result
                case .identifier(let name) where !functionNames.contains(name) && name != "e" && name != "pi":
                    result.append(NameOccurrence(name: name, location: token.location, isCall: false))
                default: break
                }
            } catch {
                lexer.skipCharacter()
            }
        }
    }

    /// `parseRelation` with the side table of names (see `parseExpression(_:file:line:column:recordingNamesInto:)`).
    public static func parseRelation(_ text: String, file: String? = nil, line: Int = 1, column: Int = 1,
                                     recordingNamesInto names: inout [NameOccurrence]) throws(ParseError) -> Relation
    {
        var parser = try Parser(text, file: file, line: line, column: column)
        parser.names = []
        defer { names += parser.names ?? [] }
        return try parser.relation()
    }

    /// Parses `lhs op rhs` with exactly one relation operator.
    public static func parseRelation(_ text: String, file: String? = nil, line: Int = 1, column: Int = 1)
        throws(ParseError) -> Relation
    {
        var parser = try Parser(text, file: file, line: line, column: column)
        return try parser.relation()
    }

    private mutating func relation() throws(ParseError) -> Relation {
        let lhs = try expression(after: nil)
        guard case .relation(let op) = token.kind else {
            if token.kind == .rightParen { throw error("unmatched ')'") }
            let found = token.kind == .end ? "" : ", found \(quoted(token))"
            throw error("expected a relation operator (\(Parser.relationList)) after the expression\(found)")
        }
        let opToken = token
        try advance()
        let rhs = try expression(after: opToken)
        if case .relation = token.kind {
            throw error("relation chains like 'a <= b <~ c' are not supported here; "
                + "write '\(opToken.spelling)' and '\(token.spelling)' as separate relations")
        }
        try expectEnd()
        return Relation(lhs: lhs, op: op, rhs: rhs)
    }

    static let relationList = RelationOperator.allCases.map(\.rawValue).joined(separator: ", ")
    static let functionNames: Set<String> = ["log", "ln", "exp", "sqrt", "min", "max", "binom"]

    // MARK: State

    private var lexer: Lexer
    private var token: Lexer.Token
    /// Where names are written, when the caller asked for the side table (nil: not recorded).
    private var names: [NameOccurrence]? = nil

    private init(_ text: String, file: String?, line: Int, column: Int) throws(ParseError) {
        lexer = Lexer(text, file: file, line: line, column: column)
        token = try lexer.next()
    }

    private mutating func advance() throws(ParseError) { token = try lexer.next() }

    private func error(_ message: String, at location: SourceLocation? = nil) -> ParseError {
        ParseError(location: location ?? token.location, message: message)
    }

    private func quoted(_ t: Lexer.Token) -> String {
        t.kind == .end ? "end of input" : "'\(Lexer.abbreviate(t.spelling))'"
    }

    private mutating func expectEnd() throws(ParseError) {
        switch token.kind {
        case .end:
            return
        case .rightParen:
            throw error("unmatched ')'")
        case .number, .identifier, .leftParen:
            throw error("trailing input \(quoted(token)) after a complete expression; write '*' for multiplication")
        default:
            throw error("trailing input \(quoted(token)) after a complete expression")
        }
    }

    // MARK: Operator precedence

    private enum Binary {
        case add, subtract, multiply, divide, power

        init?(_ kind: Lexer.Kind) {
            switch kind {
            case .plus: self = .add
            case .minus: self = .subtract
            case .star: self = .multiply
            case .slash: self = .divide
            case .caret: self = .power
            default: return nil
            }
        }

        var precedence: Int {
            switch self {
            case .add, .subtract: return 1
            case .multiply, .divide: return 2
            case .power: return 4
            }
        }
    }

    /// Unary signs bind tighter than `*` and looser than `^`.
    private static let prefixPrecedence = 3

    /// An operator or bracket waiting for its right side.
    private enum Pending {
        case binary(Binary)
        case prefix(negate: Bool)
        case group(open: Lexer.Token)
        case call(name: String, nameToken: Lexer.Token, open: Lexer.Token, completedArguments: Int)

        /// Counts toward `maximumNesting`: what can pile up on the stack without bound.
        var nests: Bool {
            switch self {
            case .binary(let op): return op == .power
            case .prefix, .group, .call: return true
            }
        }
    }

    /// An operand on the stack. Chains like `a + b + c` stay open lists until something else consumes them,
    /// so a 100,000-term sum is built in one `Expr.add` instead of re-flattening at every `+`
    /// (quadratic). The builders flatten, so this is the same tree pairwise building would give.
    private enum Operand {
        case done(Expr)
        case terms([Expr])
        case factors([Expr])

        var expression: Expr {
            switch self {
            case .done(let e): return e
            case .terms(let xs): return Expr.add(xs)
            // A written zero factor keeps the others: `0*log(x)` has no value where log(x) has none.
            case .factors(let xs): return Expr.multiply(xs, keepingFactorsOfZero: true)
            }
        }
    }

    private struct Stacks {
        var operands: [Operand] = []
        var pending: [Pending] = []
        var nesting = 0

        mutating func popExpression() -> Expr? { operands.popLast()?.expression }

        /// Applies the top pending operator (a binary or prefix one) to its operands.
        mutating func reduce() {
            guard let top = pending.popLast() else { return }
            if top.nests { nesting -= 1 }
            switch top {
            case .prefix(let negate):
                guard let x = popExpression() else { return }
                operands.append(.done(negate ? Expr.negate(x) : x))
            case .binary(let op):
                guard let b = popExpression(), var a = operands.popLast() else { return }
                switch op {
                case .add, .subtract:
                    let term = op == .add ? b : Expr.negate(b)
                    if case .terms(var xs) = a {
                        a = .done(.zero)  // release the list so the append below is in place, not a copy
                        xs.append(term)
                        operands.append(.terms(xs))
                    } else {
                        operands.append(.terms([a.expression, term]))
                    }
                case .multiply, .divide:
                    let factor = op == .multiply ? b : Expr.raise(b, .minusOne)
                    if case .factors(var xs) = a {
                        a = .done(.one)
                        xs.append(factor)
                        operands.append(.factors(xs))
                    } else {
                        operands.append(.factors([a.expression, factor]))
                    }
                case .power:
                    operands.append(.done(Expr.raise(a.expression, b)))
                }
            case .group, .call:
                return
            }
        }

        /// Reduces every operator above the innermost bracket.
        mutating func reduceToBracket() {
            while let top = pending.last {
                switch top {
                case .binary, .prefix: reduce()
                case .group, .call: return
                }
            }
        }

        /// Reduces what binds at least as tightly as `op` (strictly more for the right-associative `^`).
        mutating func reduce(before op: Binary) {
            while let top = pending.last {
                let precedence: Int
                switch top {
                case .binary(let other): precedence = other.precedence
                case .prefix: precedence = Parser.prefixPrecedence
                case .group, .call: return
                }
                guard precedence > op.precedence || (precedence == op.precedence && op != .power) else { return }
                reduce()
            }
        }
    }

    private func push(_ item: Pending, onto stacks: inout Stacks, at location: SourceLocation) throws(ParseError) {
        if item.nests {
            guard stacks.nesting < Parser.maximumNesting else {
                throw error("expression nested too deeply (more than \(Parser.maximumNesting) levels)", at: location)
            }
            stacks.nesting += 1
        }
        stacks.pending.append(item)
    }

    /// Parses the longest expression starting at the current token. `previous` is the token before it (an
    /// operator, `(`, `,`), named in "expected an expression after ..." errors.
    private mutating func expression(after previous: Lexer.Token?) throws(ParseError) -> Expr {
        var stacks = Stacks()
        var previous = previous
        while true {
            // Expecting an operand: a sign, an atom, a call or an opening parenthesis.
            let start = token
            switch start.kind {
            case .minus, .plus:
                try push(.prefix(negate: start.kind == .minus), onto: &stacks, at: start.location)
                previous = start
                try advance()
                continue
            case .number(let value):
                try advance()
                stacks.operands.append(.done(.number(value)))
            case .identifier(let name):
                try advance()
                if Parser.functionNames.contains(name) || (token.kind == .leftParen && name != "e" && name != "pi") {
                    guard token.kind == .leftParen else {
                        throw error("function '\(name)' needs its arguments in parentheses, as in \(name)(x)",
                                    at: start.location)
                    }
                    let open = token
                    if names != nil, !Parser.functionNames.contains(name) {
                        names!.append(NameOccurrence(name: name, location: start.location, isCall: true))
                    }
                    try push(.call(name: name, nameToken: start, open: open, completedArguments: 0),
                             onto: &stacks, at: open.location)
                    previous = open
                    try advance()
                    guard token.kind == .rightParen else { continue }
                    // `log()`: report the arity rather than a missing operand.
                    try advance()
                    stacks.pending.removeLast()
                    stacks.nesting -= 1
                    stacks.operands.append(.done(try call(name, [], at: start)))
                } else if token.kind == .leftParen {
                    // Only `e` and `pi` get here: they are constants, so `e(x)` is not a quantity.
                    throw error("unknown function '\(name)': '\(name)' is a constant; write \(name)*(...) to multiply",
                                at: start.location)
                } else {
                    switch name {
                    case "e": stacks.operands.append(.done(.e))
                    case "pi": stacks.operands.append(.done(.pi))
                    default:
                        if names != nil { names!.append(NameOccurrence(name: name, location: start.location, isCall: false)) }
                        stacks.operands.append(.done(.symbol(name)))
                    }
                }
            case .leftParen:
                try push(.group(open: start), onto: &stacks, at: start.location)
                previous = start
                try advance()
                continue
            default:
                throw missingOperand(after: previous)
            }

            // Have an operand: take operators and closing brackets until an operand is expected again.
            operators: while true {
                if let op = Binary(token.kind) {
                    stacks.reduce(before: op)
                    try push(.binary(op), onto: &stacks, at: token.location)
                    previous = token
                    try advance()
                    break operators
                }
                stacks.reduceToBracket()
                switch (token.kind, stacks.pending.last) {
                case (.rightParen, .group?):
                    stacks.pending.removeLast()
                    stacks.nesting -= 1
                    try advance()
                case (.rightParen, .call(let name, let nameToken, _, let completed)?):
                    stacks.pending.removeLast()
                    stacks.nesting -= 1
                    let count = completed + 1
                    guard stacks.operands.count >= count else {
                        throw error("internal parser error: missing arguments of '\(name)'")
                    }
                    let arguments = stacks.operands.suffix(count).map(\.expression)
                    stacks.operands.removeLast(count)
                    stacks.operands.append(.done(try call(name, arguments, at: nameToken)))
                    try advance()
                case (.comma, .call(let name, let nameToken, let open, let completed)?):
                    stacks.pending[stacks.pending.count - 1] =
                        .call(name: name, nameToken: nameToken, open: open, completedArguments: completed + 1)
                    previous = token
                    try advance()
                    break operators
                case (_, .group(let open)?):
                    throw error("expected ')' to close '(' opened at \(Parser.position(open.location)), found \(quoted(token))")
                case (_, .call(let name, _, let open, _)?):
                    throw error("expected ',' or ')' to close '\(name)(' opened at \(Parser.position(open.location)), "
                        + "found \(quoted(token))")
                default:
                    // Nothing open: the expression ends here; the caller judges what follows.
                    guard stacks.operands.count == 1, let result = stacks.operands.first else {
                        throw error("internal parser error: unbalanced operand stack")
                    }
                    return result.expression
                }
            }
        }
    }

    private func call(_ name: String, _ arguments: [Expr], at nameToken: Lexer.Token) throws(ParseError) -> Expr {
        func arity(_ expected: Int) throws(ParseError) {
            guard arguments.count != expected else { return }
            let noun = expected == 1 ? "argument" : "arguments"
            throw error("function '\(name)' takes exactly \(expected) \(noun), got \(arguments.count)", at: nameToken.location)
        }
        switch name {
        case "log", "ln":
            try arity(1)
            return .log(arguments[0])
        case "exp":
            try arity(1)
            return Expr.exp(arguments[0])
        case "sqrt":
            try arity(1)
            return Expr.sqrt(arguments[0])
        case "min", "max":
            guard !arguments.isEmpty else {
                throw error("function '\(name)' takes at least 1 argument, got 0", at: nameToken.location)
            }
            return name == "min" ? Expr.minimum(arguments) : Expr.maximum(arguments)
        case "binom":
            try arity(2)
            return .binom(arguments[0], arguments[1])
        default:
            // Any other name applied to arguments is an uninterpreted quantity, e.g. Cover(delta).
            guard !arguments.isEmpty else {
                throw error("'\(name)()' needs at least one argument", at: nameToken.location)
            }
            return .apply(name, arguments)
        }
    }

    /// "Nothing here" as a sentence naming what came before: "expected an expression after '+'".
    private func missingOperand(after previous: Lexer.Token?) -> ParseError {
        let found = token.kind == .end ? "" : ", found \(quoted(token))"
        if let previous { return error("expected an expression after '\(previous.spelling)'\(found)") }
        if token.kind == .rightParen { return error("unmatched ')'") }
        return error("expected an expression\(found.isEmpty ? ", found end of input" : found)")
    }

    private static func position(_ l: SourceLocation) -> String { "\(l.line):\(l.column)" }
}
