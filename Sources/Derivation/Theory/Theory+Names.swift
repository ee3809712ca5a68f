import Symbolic

/// Every name a theory uses must be defined somewhere it loads: symbols and quantities in expressions, lemmas
/// cited by `by`, the bound and variables of a law, the names of substitutions and `independent of` lists. A typo
/// like `N_ef` is an error at the token itself (from the parser's side table of names), with the closest defined
/// names as a suggestion. Of several problems, the one written first is reported.
extension Theory {
    func checkNames() throws {
        var problems: [TheoryError] = []
        let declared = Set(symbols.lazy.map(\.name).filter { !$0.isEmpty })
        let defined = Set(definitions.map(\.name))
        let known = declared.union(quantities.keys).union(defined)
        /// Names a bare symbol may be: symbols, defined symbols, quantities without arguments (for suggestions only).
        var symbolLike: Set<String> { declared.union(defined).union(quantities.values.filter { $0.arguments.isEmpty }.map(\.name)) }
        var quantityCalls: [String] { quantities.values.filter { !$0.arguments.isEmpty }.map(\.name) }

        func problem(_ message: String, _ location: SourceLocation?) { problems.append(TheoryError(message, at: location)) }

        /// Symbols and quantities in `e`, looked up from `start` (to `lastLine`); `extra` are names allowed here only.
        func check(_ e: Expr, _ start: SourceLocation?, through lastLine: Int? = nil, _ what: String, extra: Set<String> = []) {
            var stack = [e]
            var reported = Set<String>()
            while let node = stack.popLast() {
                switch node.shape {
                case .symbol(let name) where !reported.contains(name):
                    if let q = quantities[name], !q.arguments.isEmpty {
                        reported.insert(name)
                        problem("quantity \(name) takes \(Theory.arguments(q.arguments.count)): write \(name)(\(q.arguments.joined(separator: ", ")))",
                                position(of: name, from: start, through: lastLine))
                    } else if !known.contains(name) && !extra.contains(name) {
                        reported.insert(name)
                        let hint = Suggestions.didYouMean(name, among: symbolLike.union(extra))
                        problem("undefined symbol '\(name)' in \(what)"
                                + (hint.isEmpty ? "; declare it in a 'symbols' block (or as a quantity)" : hint),
                                position(of: name, from: start, through: lastLine))
                    }
                case .apply(let name, let arguments) where !reported.contains(name):
                    let at = position(of: name, from: start, through: lastLine)
                    if let q = quantities[name] {
                        if q.arguments.count != arguments.count {
                            reported.insert(name)
                            let declaredAs = q.arguments.isEmpty ? name : "\(name)(\(q.arguments.joined(separator: ", ")))"
                            problem("quantity \(name) takes \(Theory.arguments(q.arguments.count)) (declared \(declaredAs) at \(q.location)), "
                                    + "but is given \(arguments.count) here", at)
                        }
                    } else if known.contains(name) || extra.contains(name) {
                        reported.insert(name)
                        problem("'\(name)' is a symbol, not a quantity with arguments; write \(name)*(...) to multiply", at)
                    } else {
                        reported.insert(name)
                        let hint = Suggestions.didYouMean(name, among: quantityCalls)
                        problem("undefined quantity '\(name)' in \(what)"
                                + (hint.isEmpty ? ": not a built-in function (\(Theory.builtinFunctions)) nor a declared quantity; "
                                                  + "declare it in a 'quantities' block, e.g. '\(name)(x) >= 0'" : hint), at)
                    }
                default: break
                }
                stack.append(contentsOf: node.children)
            }
        }

        /// A name that must be a declared symbol (a law's variable, a substitution's target).
        func checkSymbol(_ name: String, _ start: SourceLocation?, through lastLine: Int? = nil, _ what: String,
                         allowed: Set<String>, noun: String = "symbol") {
            guard !allowed.contains(name) else { return }
            let hint = Suggestions.didYouMean(name, among: allowed)
            problem("undefined \(noun) '\(name)' in \(what)" + (hint.isEmpty ? "; declare it in a 'symbols' block" : hint),
                    position(of: name, from: start, through: lastLine))
        }

        /// `by L [y := ...]`: L exists, and each substituted name is a symbol L mentions (a misspelt name would otherwise
        /// be ignored silently).
        func checkCitation(_ id: String, _ given: [String: Expr], at location: SourceLocation?, _ who: String) {
            guard let cited = lemmas[id] else {
                let hint = Suggestions.didYouMean(id, among: lemmaOrder + Array(lemmas.keys))
                problem("\(who) cites \(id), which no loaded file defines" + hint, position(of: id, from: location))
                return
            }
            if given.isEmpty { return }
            var mentioned = Set((cited.statement.lhs + cited.statement.rhs).freeSymbols)
            for (h, _) in cited.hypotheses { mentioned.formUnion((h.lhs + h.rhs).freeSymbols) }
            for (name, value) in given.sorted(by: { $0.key < $1.key }) {
                let at = position(of: name, from: location)
                if !known.contains(name) {
                    let hint = Suggestions.didYouMean(name, among: mentioned)
                    problem("undefined symbol '\(name)' in a substitution"
                            + (hint.isEmpty ? "; declare it in a 'symbols' block (or as a quantity)" : hint), at)
                } else if !mentioned.contains(name) {
                    problem("the substitution for '\(name)' does not apply: \(id) does not mention \(name) "
                            + "(its symbols: \(mentioned.sorted().joined(separator: ", ")))", at)
                }
                check(value, location, "a substitution")
            }
        }

        // Declarations: quantities, definitions, symbol domains and assumptions.
        // (`independent of` may name symbols this theory does not declare: a library file's quantity is independent of
        // the slack of a proof that only some theories contain.)
        for q in quantities.values.sorted(by: { $0.name < $1.name }) {
            if let lower = q.lowerBound { check(lower, q.location, "the declaration of \(q.name)") }
        }
        for d in definitions { check(d.value, d.location, "the definition of \(d.name)") }
        // A name in an assumption is declared silently by the assumptions; any that no block declares is a typo.
        let silently = assumptions.symbols.keys.filter { !known.contains($0) }
        if !silently.isEmpty {
            let names = Set(silently)
            for s in symbols where !s.assumption.isEmpty {
                let at = s.constraintLocation ?? s.location
                for occurrence in Parser.nameTokens(in: s.assumption, file: at.file, line: at.line, column: at.column)
                where names.contains(occurrence.name) {
                    let hint = Suggestions.didYouMean(occurrence.name, among: symbolLike)
                    problem("undefined symbol '\(occurrence.name)' in an assumption"
                            + (hint.isEmpty ? "; declare it in a 'symbols' block" : hint), occurrence.location)
                }
            }
        }
        for s in specializations {
            for (name, value) in s.settings {
                checkSymbol(name, s.location, through: s.lastLine, "specialize \(s.id)", allowed: declared.union(defined))
                check(value, s.location, through: s.lastLine, "specialize \(s.id)")
            }
        }

        /// The growing and fixed names of a lemma's or a derivation's path (a law's are checked with the law).
        func checkPathNames(_ path: PathSpec?, _ what: String) {
            guard let path else { return }
            checkSymbol(path.growing, path.location, what, allowed: declared)
            for f in path.fixed { checkSymbol(f, path.location, "\(what) ('fixed')", allowed: declared.union(quantities.keys)) }
        }

        // Lemmas and their proofs.
        for lemma in orderedLemmas {
            checkPathNames(lemma.path, lemma.id)
            check(lemma.statement.lhs + lemma.statement.rhs, lemma.statementLocation, lemma.id)
            for (h, location) in lemma.hypotheses { check(h.lhs + h.rhs, location, "a hypothesis of \(lemma.id)") }
            for (_, term) in lemma.termNames { check(term, lemma.location, through: lemma.lastLine, "the terms of \(lemma.id)") }
            guard let proof = lemma.proof else { continue }
            check(proof.start, proof.steps.first?.location ?? proof.location, "the proof of \(lemma.id)")
            for step in proof.steps {
                check(step.rhs, step.location, "the proof of \(lemma.id)")
                if case .lemma(let id, let given) = step.justification, id != lemma.id {
                    checkCitation(id, given, at: step.justificationLocation ?? step.location, "\(lemma.id)'s proof")
                }
            }
        }
        for id in recipeOrder {
            guard let recipe = recipes[id] else { continue }
            checkPathNames(recipe.path, "derive \(recipe.id)")
            check(recipe.start, recipe.startLocation ?? recipe.location, "derive \(recipe.id)")
            for case .lemma(let cited, let given, let location) in recipe.steps {
                checkCitation(cited, given, at: location, "derive \(recipe.id)")
            }
        }

        // Laws: the bound they use and the names of their paths, budgets and values.
        let recipeIds = recipeOrder + Array(recipes.keys)
        for law in laws.values.sorted(by: { $0.id < $1.id }) {
            let block = (law.location, law.lastLine)
            func at(_ name: String) -> SourceLocation { position(of: name, in: block) }
            if recipes[law.bound] == nil {
                problem("law \(law.id) uses bound '\(law.bound)', which no 'derive' block defines" + Suggestions.didYouMean(law.bound, among: recipeIds),
                        at(law.bound))
            }
            var free: Set<String> = []
            if case .minimize(let names) = law.mode {
                free = Set(names)
                // A free exponent is a new name that the path's substitutions use (N_eff = n^theta, minimize theta).
                // When one is unused, the path's undeclared names are reported through it (one slip, one error).
                let used = Set((law.path?.substitutions ?? []).flatMap { $0.1.freeSymbols })
                let undeclared = used.subtracting(known)
                for name in names where !used.contains(name) {
                    let hint = Suggestions.didYouMean(name, among: undeclared)
                    problem("law \(law.id) minimizes '\(name)', which its path's substitutions do not use"
                            + (hint.isEmpty ? (undeclared.isEmpty ? " (write 'as n -> oo with N = n^\(name)')"
                                                                  : " (they use \(undeclared.sorted().map { "'\($0)'" }.joined(separator: ", ")), which no block declares)")
                                            : hint), at(name))
                }
                if names.contains(where: { !used.contains($0) }) { free.formUnion(undeclared) }
            }
            checkPathNames(law.path, "law \(law.id)")
            if let path = law.path {
                for (name, value) in path.substitutions {
                    checkSymbol(name, path.location, "law \(law.id)", allowed: declared.union(defined))
                    check(value, path.location, "law \(law.id)", extra: free)
                }
            }
            for name in law.limits { checkSymbol(name, law.location, through: law.lastLine, "law \(law.id) ('limit')", allowed: declared) }
            if case .budget(let total, let product, let over) = law.mode {
                checkSymbol(total, law.location, through: law.lastLine, "law \(law.id) ('budget')", allowed: declared)
                check(product, law.location, through: law.lastLine, "law \(law.id)")
                for name in over ?? [] { checkSymbol(name, law.location, through: law.lastLine, "law \(law.id) ('over')", allowed: known) }
            }
            for entry in law.irreducible {
                if let e = try? Parser.parseExpression(entry), case .symbol = e.shape {
                    checkSymbol(entry, law.location, through: law.lastLine, "law \(law.id) ('irreducible')", allowed: known)
                } else if let e = try? Parser.parseExpression(entry) {
                    check(e, law.location, through: law.lastLine, "law \(law.id) ('irreducible')")
                }
            }
            if let variable = law.closedForm { checkSymbol(variable, law.location, through: law.lastLine, "law \(law.id) ('closed form')", allowed: known) }
            for (name, value) in law.values {
                checkSymbol(name, law.location, through: law.lastLine, "law \(law.id) ('values')", allowed: known.union(free))
                check(value, law.location, through: law.lastLine, "law \(law.id)")
            }
            for table in law.tabulations {
                checkSymbol(table.symbol, table.location, "law \(law.id) ('tabulate')", allowed: known.union(free))
                for row in table.rows { check(row.expression, row.valueLocation, "law \(law.id) ('tabulate')") }
            }
        }
        if let first = problems.min(by: { earlier($0.location, than: $1.location) }) { throw first }
    }

    static let builtinFunctions = "log, ln, exp, sqrt, min, max, binom"

    static func arguments(_ count: Int) -> String {
        count == 0 ? "no arguments" : count == 1 ? "1 argument" : "\(count) arguments"
    }

    /// File order (as loaded), then line, then column; errors without a location last.
    func earlier(_ a: SourceLocation?, than b: SourceLocation?) -> Bool {
        guard let a else { return false }
        guard let b else { return true }
        if a.file != b.file {
            let i = a.file.flatMap { files.firstIndex(of: $0) } ?? Int.max
            let j = b.file.flatMap { files.firstIndex(of: $0) } ?? Int.max
            return i < j
        }
        return (a.line, a.column) < (b.line, b.column)
    }
}
