/// A position in source text, 1-based, so it can be pasted into an editor's "go to line".
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int
    public var column: Int

    public init(file: String? = nil, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, or `line:column` when the text did not come from a file.
    public var description: String {
        if let file { return "\(file):\(line):\(column)" }
        return "\(line):\(column)"
    }
}

/// A syntax error: where it is and a sentence a researcher understands.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// The compiler-style `file:line:column: error: message`, which editors and CI logs make clickable.
    public var description: String { "\(location): error: \(message)" }
}

/// Where a name (a symbol, or a quantity applied to arguments) is written in source text.
public struct NameOccurrence: Hashable, Sendable {
    public var name: String
    public var location: SourceLocation
    /// `Cover(...)`: the name of an uninterpreted quantity applied to arguments.
    public var isCall: Bool

    public init(name: String, location: SourceLocation, isCall: Bool) {
        self.name = name
        self.location = location
        self.isCall = isCall
    }
}
