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
    public var lhs: Expression
    public var op: RelationOperator
    public var rhs: Expression

    public init(lhs: Expression, op: RelationOperator, rhs: Expression) {
        self.lhs = lhs
        self.op = op
        self.rhs = rhs
    }
}

/// Text → `Expression`, by recursive descent. Grammar, loosest first:
///
///     relation := expr relop expr
///     expr     := term (('+' | '-') term)*
///     term     := unary (('*' | '/') unary)*
///     unary    := ('-' | '+') unary | power
///     power    := primary ('^' unary)?            right-associative; `-x^2` is -(x^2), `2^-1` is 2^(-1)
///     primary  := number | constant | symbol | function '(' expr (',' expr)* ')' | '(' expr ')'
///
/// Nodes are built with the canonicalizing builders of `Expression`, so `parse("a - b")` equals `a - b`
/// written with the Swift operators. Recursion depth is bounded by `maximumNesting`, so no input overflows
/// the stack; every error is a `ParseError` at the offending character.
public struct Parser {
    /// Deepest nesting of parentheses, unary signs and `^` accepted; deeper input is an error, not a crash.
    public static let maximumNesting = 1000

    /// Parses one expression; the whole of `text` must be consumed. `line`/`column` give the position of
    /// `text`'s first character in a larger file, so errors point into that file.
    public static func parseExpression(_ text: String, file: String? = nil, line: Int = 1, column: Int = 1)
        throws(ParseError) -> Expression
    {
        var parser = try Parser(text, file: file, line: line, column: column)
        let expression = try parser.expression()
        try parser.expectEnd()
        return expression
    }

    /// Parses `lhs op rhs` with exactly one relation operator.
    public static func parseRelation(_ text: String, file: String? = nil, line: Int = 1, column: Int = 1)
        throws(ParseError) -> Relation
    {
        var parser = try Parser(text, file: file, line: line, column: column)
        let lhs = try parser.expression()
        guard case .relation(let op) = parser.token.kind else {
            if parser.token.kind == .end {
                throw parser.error("expected a relation operator (\(Parser.relationList)) after the expression")
            }
            throw parser.error("expected a relation operator (\(Parser.relationList)), found \(parser.quoted(parser.token))")
        }
        let opToken = parser.token
        try parser.advance()
        let rhs = try parser.expression(after: opToken)
        if case .relation = parser.token.kind {
            throw parser.error("relation chains like 'a <= b <~ c' are not supported here; "
                + "write '\(opToken.spelling)' and '\(parser.token.spelling)' as separate relations")
        }
        try parser.expectEnd()
        return Relation(lhs: lhs, op: op, rhs: rhs)
    }

    static let relationList = RelationOperator.allCases.map(\.rawValue).joined(separator: ", ")
    static let functionNames: Set<String> = ["log", "ln", "exp", "sqrt", "min", "max", "binom"]

    // MARK: State

    private var lexer: Lexer
    private var token: Lexer.Token
    private var depth = 0

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

    /// Every recursive step that input can repeat without bound goes through here.
    private mutating func nest<T>(at location: SourceLocation, _ body: (inout Parser) throws(ParseError) -> T)
        throws(ParseError) -> T
    {
        guard depth < Parser.maximumNesting else {
            throw error("expression nested too deeply (more than \(Parser.maximumNesting) levels)", at: location)
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
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

    // MARK: Grammar

    /// An operand is required here; `previous` names what it follows, for the error message.
    private mutating func expression(after previous: Lexer.Token? = nil) throws(ParseError) -> Expression {
        try requireOperand(after: previous)
        var terms = [try term()]
        while token.kind == .plus || token.kind == .minus {
            let op = token
            try advance()
            try requireOperand(after: op)
            let next = try term()
            terms.append(op.kind == .minus ? Expression.negate(next) : next)
        }
        return terms.count == 1 ? terms[0] : Expression.add(terms)
    }

    private mutating func term() throws(ParseError) -> Expression {
        var result = try unary()
        while token.kind == .star || token.kind == .slash {
            let op = token
            try advance()
            try requireOperand(after: op)
            let next = try unary()
            result = op.kind == .slash
                ? Expression.multiply([result, Expression.raise(next, .minusOne)])
                : Expression.multiply([result, next])
        }
        return result
    }

    private mutating func unary() throws(ParseError) -> Expression {
        guard token.kind == .minus || token.kind == .plus else { return try power() }
        let op = token
        try advance()
        try requireOperand(after: op)
        return try nest(at: op.location) { (p: inout Parser) throws(ParseError) -> Expression in
            let operand = try p.unary()
            return op.kind == .minus ? Expression.negate(operand) : operand
        }
    }

    private mutating func power() throws(ParseError) -> Expression {
        let base = try primary()
        guard token.kind == .caret else { return base }
        let op = token
        try advance()
        try requireOperand(after: op)
        return try nest(at: op.location) { (p: inout Parser) throws(ParseError) -> Expression in
            Expression.raise(base, try p.unary())
        }
    }

    private mutating func primary() throws(ParseError) -> Expression {
        let start = token
        switch start.kind {
        case .number(let value):
            try advance()
            return .number(value)
        case .identifier(let name):
            try advance()
            if Parser.functionNames.contains(name) { return try call(name, at: start) }
            if token.kind == .leftParen {
                throw error("unknown function '\(name)'; the functions are log, ln, exp, sqrt, min, max, binom",
                            at: start.location)
            }
            switch name {
            case "e": return .e
            case "pi": return .pi
            default: return .symbol(name)
            }
        case .leftParen:
            try advance()
            return try nest(at: start.location) { (p: inout Parser) throws(ParseError) -> Expression in
                let inner = try p.expression(after: start)
                guard p.token.kind == .rightParen else {
                    throw p.error("expected ')' to close '(' opened at \(Parser.position(start.location)), found \(p.quoted(p.token))")
                }
                try p.advance()
                return inner
            }
        default:
            throw error("expected an expression, found \(quoted(start))")
        }
    }

    private mutating func call(_ name: String, at nameToken: Lexer.Token) throws(ParseError) -> Expression {
        guard token.kind == .leftParen else {
            throw error("function '\(name)' needs its arguments in parentheses, as in \(name)(x)", at: nameToken.location)
        }
        let open = token
        try advance()
        let arguments = try nest(at: open.location) { (p: inout Parser) throws(ParseError) -> [Expression] in
            if p.token.kind == .rightParen {  // `log()`: report the arity, not a missing operand
                try p.advance()
                return []
            }
            var arguments = [try p.expression(after: open)]
            while p.token.kind == .comma {
                let comma = p.token
                try p.advance()
                arguments.append(try p.expression(after: comma))
            }
            guard p.token.kind == .rightParen else {
                throw p.error("expected ',' or ')' to close '\(name)(' opened at \(Parser.position(open.location)), found \(p.quoted(p.token))")
            }
            try p.advance()
            return arguments
        }
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
            return Expression.exp(arguments[0])
        case "sqrt":
            try arity(1)
            return Expression.sqrt(arguments[0])
        case "min", "max":
            guard !arguments.isEmpty else {
                throw error("function '\(name)' takes at least 1 argument, got 0", at: nameToken.location)
            }
            return name == "min" ? Expression.minimum(arguments) : Expression.maximum(arguments)
        default:  // binom
            try arity(2)
            return .binom(arguments[0], arguments[1])
        }
    }

    /// Turns "nothing here" into a sentence naming what came before: "expected an expression after '+'".
    private func requireOperand(after previous: Lexer.Token?) throws(ParseError) {
        switch token.kind {
        case .number, .identifier, .leftParen, .minus, .plus:
            return
        default:
            let found = token.kind == .end ? "" : ", found \(quoted(token))"
            if let previous {
                throw error("expected an expression after '\(previous.spelling)'\(found)")
            }
            if token.kind == .rightParen { throw error("unmatched ')'") }
            throw error("expected an expression\(found.isEmpty ? ", found end of input" : found)")
        }
    }

    private static func position(_ l: SourceLocation) -> String { "\(l.line):\(l.column)" }
}
