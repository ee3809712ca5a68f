import Foundation

/// The languages `CodeGenerator` writes.
public enum CodeLanguage: String, CaseIterable, Sendable {
    case swift, python, c, json

    public var fileExtension: String {
        switch self {
        case .swift: return "swift"
        case .python: return "py"
        case .c: return "c"
        case .json: return "json"
        }
    }
}

/// One function to generate: `name(parameters...) = expression`.
public struct GeneratedFunction: Sendable {
    /// snake_case name, used as it is in Python, C and JSON (`bound_total`, `d2_data_scaling_risk_exponent`).
    public var name: String
    /// A short lowerCamelCase name for Swift (`risk`, `d2RiskExponent`); derived from `name` when nil.
    public var camelCaseName: String?
    /// One sentence for the doc comment.
    public var summary: String
    public var expression: Expr
    /// Parameter names (symbols), in order. Defaults to the expression's free symbols, sorted.
    public var parameters: [String]
    /// What each parameter means ("sample size"), for the doc comments.
    public var parameterDescriptions: [String: String]
    /// Extra fields carried into JSON output (law, quantity, kind, ...).
    public var metadata: [String: String]

    public init(name: String, summary: String, expression: Expr, parameters: [String]? = nil, metadata: [String: String] = [:],
                camelCaseName: String? = nil, parameterDescriptions: [String: String] = [:]) {
        self.name = name
        self.camelCaseName = camelCaseName
        self.summary = summary
        self.expression = expression
        self.parameters = parameters ?? expression.freeSymbols
        self.parameterDescriptions = parameterDescriptions
        self.metadata = metadata
    }
}

/// Why a function could not be generated.
public struct CodeGenerationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Source code for expressions in Swift, Python, C99 (`-lm`) or JSON, in each language's own idiom.
///
/// - Swift: an `enum` namespace of `public static func`s with short camelCase names (`MoEBound.risk(...)`,
///   `MoEBound.d2RiskExponent(beta:d:)`), doc comments with the long description and the parameters.
/// - Python: snake_case functions that take floats or numpy arrays, like SymPy's `lambdify`: plain numbers
///   are computed with `math` (numpy is never imported), and an array (or a list) switches that call to
///   numpy, imported on first use, with the arguments broadcast as float arrays.
/// - C: `double name(double a, ...)` functions; with `includeHeader` the source includes a header written
///   by `cHeader` (include guard, `extern "C"` for C++, a prototype and comment per function).
///
/// Each function's body shares common subexpressions: a subtree that occurs in two different places is
/// computed once into a temporary (`let t1 = ...` / `t1 = ...` / `const double t1 = ...;`). Long
/// subexpressions also get a temporary, so statements stay readable (and Swift type-checks them quickly).
///
/// Numeric semantics follow `Expr.evaluate` up to rounding: `log`, `exp`, `sqrt`, `pow`, `min`, `max`
/// and a `binom` helper (exact product for small integers, `lgamma` otherwise) are the same operations.
/// Where `evaluate` reports a domain error, C and Swift give NaN or ±inf, Python on plain numbers raises
/// `ValueError` or `ZeroDivisionError`, and Python on arrays gives NaN or ±inf (with numpy's warning).
public enum CodeGenerator {

    /// A whole source file: a header comment, any helpers, the functions, and comments for skipped ones.
    /// `namespace` (Swift): the enum that holds the functions, else they are top-level. `includeHeader` (C):
    /// the header the source includes, by that name.
    public static func source(_ functions: [GeneratedFunction], skipped: [(name: String, reason: String)] = [],
                              language: CodeLanguage, header: [String] = [], namespace: String? = nil,
                              includeHeader: String? = nil) throws -> String {
        if language == .json { return try json(functions, skipped: skipped, header: header) }
        var out: [String] = []
        var bodies: [String] = []
        var needsBinom = false
        let swiftNames = language == .swift ? camelCaseNames(functions) : []
        let indent = language == .swift && namespace != nil ? "    " : ""
        func indented(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
        }
        for (i, f) in functions.enumerated() {
            let (text, binom) = try function(f, language: language, name: language == .swift ? swiftNames[i] : nil,
                                             inNamespace: !indent.isEmpty)
            bodies.append(indented(text))
            needsBinom = needsBinom || binom
        }
        switch language {
        case .swift:
            for line in header { out.append("// \(line)".trimmingCharacters(in: .whitespaces)) }
            if !header.isEmpty { out.append("") }
            out.append("import Foundation")
            out.append("")
            if let namespace {
                out.append("/// One static function per derived quantity; log is the natural logarithm.")
                out.append("public enum \(uniqueIdentifier(sanitize(namespace), avoiding: reservedWords(.swift))) {")
            }
        case .python:
            out.append(pythonDocstring(header))
            out.append("from __future__ import annotations")
            out.append("")
            out.append("import math")
            out.append("from types import SimpleNamespace")
            out.append("from typing import TYPE_CHECKING, Union")
            out.append("")
            out.append("if TYPE_CHECKING:")
            out.append("    import numpy")
            out.append("")
            out.append("    Real = Union[float, numpy.ndarray]")
            out.append("else:")
            out.append("    Real = float")
            out.append("")
            out.append("")
            out.append(pythonBackend(binom: needsBinom))
            out.append("")
        case .c:
            for line in header { out.append("// \(line)".trimmingCharacters(in: .whitespaces)) }
            if !header.isEmpty { out.append("") }
            out.append("#include <math.h>")
            if let includeHeader { out.append("#include \"\(includeHeader)\"") }
            out.append("")
        case .json: break
        }
        if needsBinom && language != .python {
            out.append(indented(binomHelper(language, inNamespace: !indent.isEmpty)))
            out.append("")
        }
        for (i, body) in bodies.enumerated() {
            out.append(body)
            if i + 1 < bodies.count { out.append(language == .python ? "\n" : "") }
        }
        if language == .swift && namespace != nil { out.append("}") }
        if !skipped.isEmpty {
            out.append("")
            let comment = language == .python ? "#" : "//"
            for s in skipped { out.append("\(comment) skipped \(s.name): \(s.reason)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A C header for `source(..., language: .c, includeHeader:)`: an include guard named after `fileName`,
    /// `extern "C"` for C++, and a commented prototype per function.
    public static func cHeader(_ functions: [GeneratedFunction], header: [String] = [], fileName: String) throws -> String {
        var guardName = ""
        for c in fileName.uppercased() { guardName += c.isASCII && (c.isLetter || c.isNumber) ? String(c) : "_" }
        if guardName.first?.isNumber ?? true { guardName = "BOUNDS_" + guardName }
        var out: [String] = header.map { "// \($0)".trimmingCharacters(in: .whitespaces) }
        if !header.isEmpty { out.append("") }
        out += ["#ifndef \(guardName)", "#define \(guardName)", "", "#ifdef __cplusplus", "extern \"C\" {", "#endif", ""]
        for f in functions {
            let name = uniqueIdentifier(identifier(f.name), avoiding: reservedWords(.c))
            let (_, parameters) = try names(f, language: .c, functionName: name)
            let list = parameters.isEmpty ? "void" : parameters.map { "double \($0)" }.joined(separator: ", ")
            out.append("/* \(cComment(f.summary)) */")
            out.append("double \(name)(\(list));")
            out.append("")
        }
        out += ["#ifdef __cplusplus", "}", "#endif", "", "#endif /* \(guardName) */"]
        return out.joined(separator: "\n") + "\n"
    }

    /// Short camelCase names for Swift: each function's `camelCaseName` (or its `name` in camelCase), made
    /// unique with a number and kept clear of keywords.
    public static func camelCaseNames(_ functions: [GeneratedFunction]) -> [String] {
        var used = reservedWords(.swift)
        return functions.map { f in
            let base = swiftBaseName(f)
            var name = base
            var i = 2
            while used.contains(name) { name = "\(base)\(i)"; i += 1 }
            used.insert(name)
            return name
        }
    }

    /// One function's source, and whether it calls the `binom` helper.
    public static func function(_ f: GeneratedFunction, language: CodeLanguage) throws -> (text: String, usesBinom: Bool) {
        try function(f, language: language, name: nil, inNamespace: false)
    }

    static func defaultName(_ f: GeneratedFunction, language: CodeLanguage) -> String {
        uniqueIdentifier(language == .swift ? swiftBaseName(f) : identifier(f.name), avoiding: reservedWords(language))
    }

    /// `camelCaseName` as given (made a valid identifier), else `name` in camelCase.
    static func swiftBaseName(_ f: GeneratedFunction) -> String {
        guard let given = f.camelCaseName, !given.isEmpty else { return camelCase(f.name) }
        return sanitize(given)
    }

    /// The parameters' names in `language` (kept clear of keywords and of the function's name), after
    /// checking that the function can be generated.
    static func names(_ f: GeneratedFunction, language: CodeLanguage, functionName: String) throws -> ([String: String], [String]) {
        var problem: String? = nil
        var stack = [f.expression]
        while let node = stack.popLast() {
            if case .apply(let name, _) = node.shape { problem = "\(name)(...) is a quantity with no formula"; break }
            stack.append(contentsOf: node.children)
        }
        if let problem { throw CodeGenerationError("cannot generate \(f.name): \(problem)") }
        let missing = Set(f.expression.freeSymbols).subtracting(f.parameters)
        if !missing.isEmpty {
            throw CodeGenerationError("cannot generate \(f.name): \(missing.sorted().joined(separator: ", ")) are not parameters")
        }
        var names: [String: String] = [:]
        var used = reservedWords(language).union([functionName])
        for p in f.parameters where names[p] == nil {
            let n = uniqueIdentifier(sanitize(p), avoiding: used)
            names[p] = n
            used.insert(n)
        }
        return (names, f.parameters.compactMap { names[$0] })
    }

    static func function(_ f: GeneratedFunction, language: CodeLanguage, name: String?, inNamespace: Bool) throws -> (text: String, usesBinom: Bool) {
        let functionName = name ?? defaultName(f, language: language)
        let (names, parameters) = try self.names(f, language: language, functionName: functionName)
        let dag = Dag(f.expression.forDisplay)
        var writer = Writer(language: language, dag: dag, parameterNames: names,
                            reservedNames: reservedWords(language).union([functionName]).union(names.values))
        let (bindings, result) = try writer.write()
        let described = f.parameters.filter { f.parameterDescriptions[$0] != nil }
        var lines: [String] = []
        switch language {
        case .swift:
            lines.append("/// \(oneLine(f.summary))")
            if functionName != identifier(f.name) {
                lines.append("///")
                lines.append("/// `\(identifier(f.name))` in the Python, C and JSON output.")
            }
            if !described.isEmpty {
                lines.append("///")
                lines.append("/// - Parameters:")
                for p in described { lines.append("///   - \(names[p]!): \(oneLine(f.parameterDescriptions[p]!))") }
            }
            lines.append("public \(inNamespace ? "static " : "")func \(functionName)(\(parameters.map { "\($0): Double" }.joined(separator: ", "))) -> Double {")
            for (name, value) in bindings { lines.append("    let \(name): Double = \(value)") }
            lines.append("    return \(result)")
            lines.append("}")
        case .python:
            lines.append("def \(functionName)(\(parameters.map { "\($0): Real" }.joined(separator: ", "))) -> Real:")
            var doc = [pythonText(oneLine(f.summary))]
            if !described.isEmpty {
                doc.append("")
                doc.append("Args:")
                for p in described { doc.append("    \(names[p]!): \(pythonText(oneLine(f.parameterDescriptions[p]!)))") }
            }
            if doc.count == 1 {
                lines.append("    \"\"\"\(doc[0])\"\"\"")
            } else {
                lines.append("    \"\"\"\(doc[0])")
                for d in doc.dropFirst() { lines.append(d.isEmpty ? "" : "    \(d)") }
                lines.append("    \"\"\"")
            }
            if !parameters.isEmpty {
                let module = writer.usesFunctions ? "_m" : "_"
                lines.append("    \(module), \(parameters.joined(separator: ", ")) = _backend(\(parameters.joined(separator: ", ")))")
            }
            for (name, value) in bindings { lines.append("    \(name) = \(value)") }
            lines.append("    return \(result)")
        case .c:
            lines.append("/* \(cComment(f.summary)) */")
            let list = parameters.isEmpty ? "void" : parameters.map { "double \($0)" }.joined(separator: ", ")
            lines.append("double \(functionName)(\(list)) {")
            for (name, value) in bindings { lines.append("    const double \(name) = \(value);") }
            lines.append("    return \(result);")
            lines.append("}")
        case .json:
            break
        }
        return (lines.joined(separator: "\n"), writer.usesBinom)
    }

    static func cComment(_ s: String) -> String { oneLine(s).replacingOccurrences(of: "*/", with: "* /") }

    static func pythonText(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "'''")
    }

    static func pythonDocstring(_ header: [String]) -> String {
        var lines = header.map { pythonText($0) }
        if !lines.isEmpty { lines.append("") }
        lines.append("Every function takes floats, or numpy arrays (and lists), broadcast together like numpy's own")
        lines.append("functions: plain numbers are computed with math, without importing numpy; an array switches the call")
        lines.append("to numpy, imported on first use, and the result is an array.")
        return "\"\"\"" + lines.joined(separator: "\n") + "\n\"\"\"\n"
    }

    /// `_backend(*args)`: the functions to compute with (math, or numpy for arrays) and the arguments.
    static func pythonBackend(binom: Bool) -> String {
        var out = ""
        if binom {
            out += """
            def _binom(n: float, k: float) -> float:
                \"\"\"binom(n, k) for real 0 <= k <= n: an exact product for small integers, else through lgamma.\"\"\"
                if not (n >= 0 and k >= 0 and k <= n):
                    raise ValueError("binomial coefficient needs 0 <= k <= n")
                if n == math.floor(n) and k == math.floor(k) and min(k, n - k) <= 200:
                    kk = min(k, n - k)
                    r = 1.0
                    i = 1.0
                    while i <= kk:
                        r = r * (n - kk + i) / i
                        i += 1
                    return r
                return math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1))


            def _binom_or_nan(n: float, k: float) -> float:
                try:
                    return _binom(float(n), float(k))
                except (ValueError, OverflowError):
                    return math.nan



            """
        }
        let numpyBinom = binom ? "\n            binom=numpy.vectorize(_binom_or_nan, otypes=[float])," : ""
        out += """
        _MATH = SimpleNamespace(log=math.log, exp=math.exp, sqrt=math.sqrt, pow=math.pow, min=min, max=max\(binom ? ", binom=_binom" : ""))
        _NUMPY = None


        def _backend(*args):
            \"\"\"math and the arguments as they are when all are plain numbers; else numpy (imported here, once)
            and the arguments as float arrays.\"\"\"
            if all(isinstance(a, (int, float)) for a in args):
                return (_MATH,) + args
            global _NUMPY
            if _NUMPY is None:
                import functools

                import numpy

                _NUMPY = SimpleNamespace(
                    log=numpy.log, exp=numpy.exp, sqrt=numpy.sqrt, pow=numpy.power,
                    min=lambda *xs: functools.reduce(numpy.minimum, xs),
                    max=lambda *xs: functools.reduce(numpy.maximum, xs),\(numpyBinom)
                    array=lambda a: numpy.asarray(a, dtype=float),
                )
            return (_NUMPY,) + tuple(_NUMPY.array(a) for a in args)

        """
        return out
    }

    /// JSON: each function's expression in the text syntax, with its parameters.
    static func json(_ functions: [GeneratedFunction], skipped: [(name: String, reason: String)], header: [String]) throws -> String {
        var list: [[String: Any]] = []
        for f in functions {
            var o: [String: Any] = ["name": identifier(f.name), "description": f.summary, "parameters": f.parameters,
                                    "expression": f.expression.display, "latex": f.expression.displayLaTeX]
            for (k, v) in f.metadata { o[k] = v }
            list.append(o)
        }
        let root: [String: Any] = ["comment": header.joined(separator: " "), "syntax": "bounds text syntax (log is natural; e is Euler's number)",
                                   "functions": list, "skipped": skipped.map { ["name": $0.name, "reason": $0.reason] }]
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]),
              let text = String(data: data, encoding: .utf8) else {
            throw CodeGenerationError("cannot serialize the functions as JSON")
        }
        return text + "\n"
    }

    // MARK: Names

    /// snake_case: `D2 data scaling` → `d2_data_scaling`, `N_eff` → `n_eff`, `D4_joint` → `d4_joint`.
    public static func identifier(_ s: String) -> String {
        var out = ""
        var lastUnderscore = true
        for c in s {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out += c.lowercased()
                lastUnderscore = false
            } else if !lastUnderscore {
                out += "_"
                lastUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { return "f" }
        if let first = out.first, first.isNumber { out = "f_" + out }
        return out
    }

    /// lowerCamelCase: `bound_total` → `boundTotal`, `D2 risk exponent` → `d2RiskExponent`, `N_eff` → `nEff`,
    /// `URL path` → `urlPath` (the first word's leading capitals in lower case, the other words capitalized,
    /// their case kept).
    public static func camelCase(_ s: String) -> String {
        var words: [String] = []
        var word = ""
        for c in s {
            if c.isASCII && (c.isLetter || c.isNumber) { word.append(c) } else if !word.isEmpty { words.append(word); word = "" }
        }
        if !word.isEmpty { words.append(word) }
        guard let first = words.first else { return "f" }
        let letters = Array(first)
        var capitals = letters.prefix { $0.isUppercase }.count
        // URLString → urlString: the last capital of a run starts the next word.
        if capitals > 1 && capitals < letters.count && letters[capitals].isLowercase { capitals -= 1 }
        var out = String(letters.prefix(capitals)).lowercased() + String(letters.dropFirst(capitals))
        for w in words.dropFirst() { out += w.prefix(1).uppercased() + w.dropFirst() }
        if let c = out.first, c.isNumber { out = "f" + out }
        return out
    }

    /// UpperCamelCase for a type: `MoE generalization bound` → `MoEGeneralizationBound` (each word's case kept
    /// after its first letter).
    public static func typeName(_ s: String) -> String {
        var out = ""
        var word = ""
        func flush() { out += word.prefix(1).uppercased() + word.dropFirst(); word = "" }
        for c in s {
            if c.isASCII && (c.isLetter || c.isNumber) { word.append(c) } else { flush() }
        }
        flush()
        if out.isEmpty { return "Generated" }
        if let c = out.first, c.isNumber { out = "F" + out }
        return out
    }

    /// A symbol name as a valid identifier, case kept (`N_eff`, `L_T`, `beta`).
    static func sanitize(_ s: String) -> String {
        var out = ""
        for c in s { out += (c.isASCII && (c.isLetter || c.isNumber || c == "_")) ? String(c) : "_" }
        if out.isEmpty { return "x" }
        if let first = out.first, first.isNumber { out = "x" + out }
        return out
    }

    static func uniqueIdentifier(_ base: String, avoiding used: Set<String>) -> String {
        if !used.contains(base) { return base }
        var candidate = base + "_"
        var i = 2
        while used.contains(candidate) { candidate = "\(base)_\(i)"; i += 1 }
        return candidate
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }

    /// Keywords and the names the generated code calls.
    static func reservedWords(_ language: CodeLanguage) -> Set<String> {
        let called: Set<String> = ["log", "exp", "sqrt", "pow", "min", "max", "fmin", "fmax", "lgamma", "floor", "math",
                                   "bounds_binom", "binomial", "Double", "Foundation", "M_E", "M_PI"]
        switch language {
        case .swift:
            return called.union(["associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
                                 "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows",
                                 "static", "struct", "subscript", "typealias", "var", "break", "case", "continue", "default",
                                 "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch",
                                 "where", "while", "as", "Any", "catch", "false", "is", "nil", "super", "self", "Self", "throw",
                                 "throws", "true", "try", "await", "async", "some", "any", "consume", "borrowing", "consuming",
                                 "Type", "Protocol", "_"])
        case .python:
            return called.union(["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
                                 "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
                                 "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
                                 "with", "yield", "float", "int", "abs", "_", "_m", "_backend", "_MATH", "_NUMPY", "_binom",
                                 "_binom_or_nan", "Real", "SimpleNamespace", "TYPE_CHECKING", "Union", "annotations", "numpy",
                                 "functools"])
        case .c:
            return called.union(["auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
                                 "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict",
                                 "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
                                 "unsigned", "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary", "main",
                                 "NAN", "INFINITY", "HUGE_VAL"])
        case .json:
            return []
        }
    }

    // MARK: Helpers emitted when needed

    static func binomHelper(_ language: CodeLanguage, inNamespace: Bool = false) -> String {
        switch language {
        case .swift:
            return """
            /// binom(n, k) for real 0 <= k <= n: an exact product for small integers, else through lgamma.
            \(inNamespace ? "private static" : "fileprivate") func binomial(_ n: Double, _ k: Double) -> Double {
                guard n >= 0, k >= 0, k <= n else { return .nan }
                if n == n.rounded(), k == k.rounded(), Swift.min(k, n - k) <= 200 {
                    let kk = Swift.min(k, n - k)
                    var r = 1.0
                    var i = 1.0
                    while i <= kk { r = r * (n - kk + i) / i; i += 1 }
                    return r
                }
                return Foundation.exp(Foundation.lgamma(n + 1) - Foundation.lgamma(k + 1) - Foundation.lgamma(n - k + 1))
            }
            """
        case .python:
            return pythonBackend(binom: true)
        case .c:
            return """
            /* binom(n, k) for real 0 <= k <= n: an exact product for small integers, else through lgamma. */
            static double bounds_binom(double n, double k) {
                if (!(n >= 0 && k >= 0 && k <= n)) return NAN;
                if (n == floor(n) && k == floor(k)) {
                    double kk = (k < n - k) ? k : n - k;
                    if (kk <= 200) {
                        double r = 1.0, i;
                        for (i = 1.0; i <= kk; i += 1.0) r = r * (n - kk + i) / i;
                        return r;
                    }
                }
                return exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1));
            }
            """
        case .json:
            return ""
        }
    }
}

// MARK: - The shared-subexpression graph

/// An expression as a DAG of printable operations, identical subtrees merged (hash-consing).
struct Dag {
    enum Operation {
        case number(Rational)
        case symbol(String)
        case constant(MathConstant)
        /// Terms; `true` marks a term printed after a minus sign (its child is the negated term).
        case sum([(Int, Bool)])
        /// Coefficient, numerator factors, denominator factors (base, positive exponent).
        case product(Rational, [Int], [(Int, Rational)])
        case power(Int, Int)
        case exp(Int)
        case sqrt(Int)
        case log(Int)
        case min([Int])
        case max([Int])
        case binom(Int, Int)
    }

    static let half = Rational(numerator: BigInt(1), denominator: BigInt(2)) ?? .one

    var operations: [Operation] = []
    var root = 0
    /// How many places (operand slots of distinct nodes, plus the root) use each node.
    var uses: [Int] = []

    init(_ expression: Expr) {
        var index: [Expr: Int] = [:]
        // Iterative post-order: (node, operands once expanded).
        var work: [(Expr, [Expr]?)] = [(expression, nil)]
        var results: [Int] = []
        while let (node, expanded) = work.popLast() {
            if let expanded {
                let ids = Array(results.suffix(expanded.count))
                results.removeLast(expanded.count)
                if let existing = index[node] { results.append(existing); continue }
                let op = Dag.operation(node, ids)
                operations.append(op)
                index[node] = operations.count - 1
                results.append(operations.count - 1)
            } else if let existing = index[node] {
                results.append(existing)
            } else {
                let parts = Dag.operands(node)
                work.append((node, parts))
                for p in parts.reversed() { work.append((p, nil)) }
            }
        }
        root = results.last ?? 0
        uses = [Int](repeating: 0, count: operations.count)
        for op in operations {
            for child in Dag.children(op) { uses[child] += 1 }
        }
        if !operations.isEmpty { uses[root] += 1 }
    }

    static func negatedTerm(_ term: Expr) -> Expr? {
        switch term.shape {
        case .number(let r) where r.isNegative: return .number(-r)
        case .product(let factors) where factors.count >= 2:
            guard case .number(let c) = factors[0].shape, c.isNegative else { return nil }
            return Expr.multiply([.number(-c)] + factors.dropFirst())
        default: return nil
        }
    }

    /// For a product factor `b^(-q)` (literal q > 0, b not e): the base and q.
    static func divisor(_ factor: Expr) -> (Expr, Rational)? {
        guard case .power(let base, let x) = factor.shape, let q = x.numberValue, q.isNegative, base != .e else { return nil }
        return (base, -q)
    }

    static func operands(_ e: Expr) -> [Expr] {
        switch e.shape {
        case .number, .symbol, .constant: return []
        case .sum(let terms): return terms.map { negatedTerm($0) ?? $0 }
        case .product(let factors):
            var numerators: [Expr] = []
            var denominators: [Expr] = []
            for f in factors {
                if case .number = f.shape { continue }
                if let (b, q) = divisor(f) {
                    denominators.append(q.isOne ? b : .power(b, .number(q)))
                } else {
                    numerators.append(f)
                }
            }
            return numerators + denominators
        case .power(let b, let y) where b.isE: return [y]
        case .power(let b, let x) where x.numberValue == Dag.half: return [b]
        case .power(let b, let x) where x.numberValue?.isNegative == true:
            let q = x.numberValue!
            return [q == .minusOne ? b : .power(b, .number(-q))]
        case .power(let b, let y): return [b, y]
        case .log(let x): return [x]
        case .min(let xs), .max(let xs): return xs
        case .binom(let n, let k): return [n, k]
        case .apply(_, let xs): return xs
        }
    }

    static func operation(_ e: Expr, _ ids: [Int]) -> Operation {
        switch e.shape {
        case .number(let r): return .number(r)
        case .symbol(let s): return .symbol(s)
        case .constant(let c): return .constant(c)
        case .sum(let terms): return .sum(zip(ids, terms).map { ($0, negatedTerm($1) != nil) })
        case .product(let factors):
            var coefficient = Rational.one
            var numeratorCount = 0
            for f in factors {
                if case .number(let c) = f.shape { coefficient = coefficient * c; continue }
                if divisor(f) == nil { numeratorCount += 1 }
            }
            let numerators = Array(ids.prefix(numeratorCount))
            // Denominator operands are `b` (q = 1) or `b^q`: printed as a division by that operand.
            let denominators = ids.dropFirst(numeratorCount).map { ($0, Rational.one) }
            return .product(coefficient, numerators, Array(denominators))
        case .power(let b, _) where b.isE: return .exp(ids[0])
        case .power(_, let x) where x.numberValue == Dag.half: return .sqrt(ids[0])
        case .power(_, let x) where x.numberValue?.isNegative == true: return .product(.one, [], [(ids[0], .one)])
        case .power: return .power(ids[0], ids[1])
        case .log: return .log(ids[0])
        case .min: return .min(ids)
        case .max: return .max(ids)
        case .binom: return .binom(ids[0], ids[1])
        case .apply: return .number(.zero)  // refused before building
        }
    }

    static func children(_ op: Operation) -> [Int] {
        switch op {
        case .number, .symbol, .constant: return []
        case .sum(let ts): return ts.map(\.0)
        case .product(_, let ns, let ds): return ns + ds.map(\.0)
        case .power(let a, let b), .binom(let a, let b): return [a, b]
        case .exp(let a), .sqrt(let a), .log(let a): return [a]
        case .min(let xs), .max(let xs): return xs
        }
    }

    func isLeaf(_ id: Int) -> Bool {
        switch operations[id] {
        case .number, .symbol, .constant: return true
        default: return false
        }
    }
}

/// Prints a `Dag` as bindings plus a result expression, in one language.
struct Writer {
    enum Precedence: Int, Comparable {
        case sum = 1, product, unary, atom
        static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
    }
    struct Printed {
        var text: String
        var precedence: Precedence
        func wrapped(atLeast p: Precedence) -> String { precedence >= p ? text : "(\(text))" }
    }

    let language: CodeLanguage
    let dag: Dag
    let parameterNames: [String: String]
    var reservedNames: Set<String>
    var usesBinom = false
    /// Whether the body calls a function (Python: then it needs the backend's `_m`).
    var usesFunctions = false
    /// Statements longer than this get a temporary of their own.
    static let longStatement = 100

    init(language: CodeLanguage, dag: Dag, parameterNames: [String: String], reservedNames: Set<String>) {
        self.language = language
        self.dag = dag
        self.parameterNames = parameterNames
        self.reservedNames = reservedNames
    }

    mutating func write() throws -> (bindings: [(String, String)], result: String) {
        guard !dag.operations.isEmpty else { return ([], "0.0") }
        var printed: [Printed] = []
        printed.reserveCapacity(dag.operations.count)
        var bindings: [(String, String)] = []
        var counter = 0
        // Operations are in post-order: every operand precedes its user.
        for id in dag.operations.indices {
            var p = try print(dag.operations[id], printed)
            let shared = dag.uses[id] >= 2 && !dag.isLeaf(id) && !isNegativeLiteral(id)
            let long = p.text.count > Writer.longStatement && id != dag.root
            if id != dag.root && (shared || long) {
                counter += 1
                var name = "t\(counter)"
                while reservedNames.contains(name) { counter += 1; name = "t\(counter)" }
                reservedNames.insert(name)
                bindings.append((name, p.text))
                p = Printed(text: name, precedence: .atom)
            }
            printed.append(p)
        }
        return (bindings, printed[dag.root].text)
    }

    func isNegativeLiteral(_ id: Int) -> Bool {
        if case .number(let r) = dag.operations[id] { return r.isNegative }
        return false
    }

    mutating func call(_ name: String, _ args: [String]) -> Printed {
        usesFunctions = true
        let qualified: String
        switch language {
        case .python: qualified = name == "bounds_binom" ? "_m.binom" : "_m.\(name)"
        case .c:
            switch name {
            case "min": qualified = "fmin"
            case "max": qualified = "fmax"
            default: qualified = name
            }
        case .swift:
            switch name {
            case "min", "max": qualified = "Swift.\(name)"
            case "bounds_binom": qualified = "binomial"
            default: qualified = "Foundation.\(name)"
            }
        case .json: qualified = name
        }
        if language == .c && (name == "min" || name == "max") && args.count > 2 {
            // fmin takes two arguments: nest.
            var text = args.last!
            for a in args.dropLast().reversed() { text = "\(qualified)(\(a), \(text))" }
            return Printed(text: text, precedence: .atom)
        }
        return Printed(text: "\(qualified)(\(args.joined(separator: ", ")))", precedence: .atom)
    }

    func literal(_ r: Rational) throws -> Printed {
        let negative = r.isNegative
        let magnitude = negative ? -r : r
        let v = magnitude.doubleValue
        guard v.isFinite else { throw CodeGenerationError("the number \(r) is outside the range of Double") }
        let sign = negative ? "-" : ""
        let precedence: Precedence = negative ? .unary : .atom
        if magnitude.isInteger && v <= 9_007_199_254_740_992 {
            return Printed(text: sign + String(format: "%.0f", v) + ".0", precedence: precedence)
        }
        let short = "\(v)"
        if short.count <= 10 { return Printed(text: sign + short, precedence: precedence) }
        // An exact quotient of two doubles (1/3 as 1.0 / 3.0) reads better than 17 digits.
        let limit = 9_007_199_254_740_992
        if let n = magnitude.numerator.asInt, let d = magnitude.denominator.asInt, n <= limit, d <= limit {
            return Printed(text: "\(sign)(\(n).0 / \(d).0)", precedence: precedence)
        }
        return Printed(text: sign + short, precedence: precedence)
    }

    mutating func print(_ op: Dag.Operation, _ printed: [Printed]) throws -> Printed {
        switch op {
        case .number(let r):
            return try literal(r)
        case .symbol(let s):
            return Printed(text: parameterNames[s] ?? s, precedence: .atom)
        case .constant(let c):
            switch c {
            case .e: return Printed(text: language == .python ? "math.e" : "2.718281828459045", precedence: .atom)
            case .pi: return Printed(text: language == .python ? "math.pi" : "3.141592653589793", precedence: .atom)
            }
        case .sum(let terms):
            var text = ""
            for (i, (id, negative)) in terms.enumerated() {
                let term = printed[id]
                if i == 0 {
                    text = negative ? "-" + term.wrapped(atLeast: .atom) : term.wrapped(atLeast: .product)
                    if negative && term.precedence < .atom && term.precedence >= .product {
                        // -(a*b) reads better as -a*b; both parse the same way.
                        text = "-" + term.text
                    }
                } else {
                    text += (negative ? " - " : " + ") + term.wrapped(atLeast: .product)
                }
            }
            return Printed(text: text, precedence: .sum)
        case .product(let coefficient, let numerators, let denominators):
            let negative = coefficient.isNegative
            let magnitude = negative ? -coefficient : coefficient
            var factors: [String] = []
            if !magnitude.isOne || numerators.isEmpty { factors.append(try literal(magnitude).wrapped(atLeast: .atom)) }
            for id in numerators { factors.append(printed[id].wrapped(atLeast: .atom)) }
            var text = factors.joined(separator: " * ")
            for (id, _) in denominators { text += " / " + printed[id].wrapped(atLeast: .atom) }
            if negative { return Printed(text: "-" + text, precedence: .unary) }
            return Printed(text: text, precedence: factors.count == 1 && denominators.isEmpty ? .atom : .product)
        case .power(let b, let y):
            return call("pow", [printed[b].text, printed[y].text])
        case .exp(let x):
            return call("exp", [printed[x].text])
        case .sqrt(let x):
            return call("sqrt", [printed[x].text])
        case .log(let x):
            return call("log", [printed[x].text])
        case .min(let xs):
            return call("min", xs.map { printed[$0].text })
        case .max(let xs):
            return call("max", xs.map { printed[$0].text })
        case .binom(let n, let k):
            usesBinom = true
            return call("bounds_binom", [printed[n].text, printed[k].text])
        }
    }
}
