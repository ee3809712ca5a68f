import Foundation
import XCTest

/// Docs that run: every fenced block of README.md is executed or checked, chosen by its info string, so that a
/// block added later is covered without editing this file (or fails until it says why it cannot be).
///
/// - ```sh: every command runs. `swift run bounds ARGS` (or `bounds ARGS`) runs the built binary with ARGS, from the
///   repository root; a block one of whose commands writes files (`-o`, `--header`) runs in a temporary directory
///   where `theorems` links to the repository's. A trailing comment says what the command prints:
///   `# PROSE → CLAIM → CLAIM`. Each claim must appear in the output (standard output or error) as a whole line, or
///   as part of a line bounded by spaces, the line's ends or a following `:` `,` `;`. A comment starting `exit N`
///   gives the exit status the README promises (otherwise 0). A comment-only line `# → CLAIM` below a command adds
///   to its claims. Commands that are not run are listed in `exceptions`, comments that state no result in
///   `descriptions`, each with its reason. Shell syntax beyond words and quotes (pipes, redirections, `$`) fails:
///   nothing runs through a shell.
/// - ``` under a heading "What `CMD` prints": CMD's real output. A line `[...]` or `[... text ...]` marks an
///   omission; the text between marks must be consecutive lines of the output, in order, the first part its
///   beginning and the last its end unless a mark stands there. Without marks the block is the whole output.
/// - ``` elsewhere: a theory. One with a `symbols` block is complete: `bounds check` and `bounds derive` exit 0
///   on it. Otherwise it is a fragment of a bundled file under theorems/ (the one holding its first line) and is
///   loaded with that file's imports by `bounds check`, which must exit 0 (an alternative also by `bounds compare
///   --use`, which swaps it into the bundled theory).
/// - ```json: the shape of real output, from the commands `jsonSources` lists for the block's section. Every key
///   shown exists and every value shown matches: "..." and bare `...` (also `...words...`) are placeholders, a
///   string containing "..." matches the text around it, and each element shown in an array matches one real
///   element entirely. The top-level keys may come from different commands' output.
/// - ```swift: the source of an example package under examples/, which .ci/run builds and runs.
final class ReadmeDocTests: XCTestCase {
    /// Commands in the README's sh blocks that the doc test does not run, with the reason.
    static let exceptions: [String: String] = [
        "swift test": "the test suite itself: running it from one of its tests would recurse (.ci/run runs it)",
    ]

    /// Trailing comments that describe a command without stating a result to check, with the reason.
    static let descriptions: [String: String] = [
        "the main job: derive the MoE bound, its scaling laws and the audit":
            "a summary; the \"What derive prints\" block is checked against the real output of the same command",
    ]

    /// The commands whose JSON output a ```json block shows, by (part of) the heading of its section.
    static let jsonSources: [(heading: String, commands: [[String]], reason: String)] = [
        ("JSON contract", [["derive", "--format", "json"],
                           ["derive", "--use", "A5", "--format", "json"],
                           ["derive", "theorems/empirical/chinchilla.bounds", "--format", "json"],
                           ["derive", "examples/theories/routed.bounds", "--format", "json"]],
         "the contract combines the bundled theory (its audit finds a contradiction), --use A5 (an alternative in "
         + "use), chinchilla.bounds (a law with a closed form and fitted values) and routed.bounds (a table)"),
    ]

    static var root: URL { CLITests.root }

    // MARK: The test

    func testEveryReadmeBlockRunsAsDocumented() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let tally = Self.audit(readme)
        for failure in tally.failures { XCTFail(failure) }
        XCTAssertGreaterThan(tally.commands, 0, "no README command ran")
        for (language, minimum) in [("sh", 1), ("theory", 1), ("output", 1), ("json", 1), ("swift", 1)] {
            XCTAssertGreaterThanOrEqual(tally.blocks[language] ?? 0, minimum, "the README has no \(language) block")
        }
        print(tally.summary)
        for skipped in tally.skipped { print("  not run: \(skipped)") }
    }

    /// The checks fail on wrong documentation: a wrong result comment, a wrong exit status, an unknown command, a
    /// description that is not listed, an output line that changed, a JSON key that does not exist, a fragment
    /// from nowhere and a block type without a runner.
    func testTheChecksCatchWrongDocs() throws {
        func failures(_ markdown: String) -> [String] { Self.audit(markdown).failures }
        let wrongClaim = failures("```sh\nswift run bounds simplify \"1 - d/(2*beta + d)\"   # → 2*beta/(beta + d)\n```\n")
        XCTAssertEqual(wrongClaim.count, 1, "\(wrongClaim)")
        XCTAssertTrue(wrongClaim.first?.contains("does not print '2*beta/(beta + d)'") ?? false, "\(wrongClaim)")
        // A claim is a whole line or a bounded part of one: `x` is not found in `log(x*y)`.
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"log(x*y)\"   # → x\n```\n").count, 1)
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"1 +\"   # exit 2 → <expression>:1:4: error: expected an expression after '+'\n```\n"), [])
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"1 +\"   # → <expression>:1:4: error: expected an expression after '+'\n```\n").count, 1,
                       "the status is 2, not 0")
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"x\"\n# → x\n# → y\n```\n").count, 1, "the claims on the next lines count")
        XCTAssertEqual(failures("```sh\nmake docs\n```\n").count, 1, "a command without a runner")
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"x\" | wc -l\n```\n").count, 1, "a pipe needs a shell")
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"x\"   # simplifies x\n```\n").count, 1, "an unlisted description")
        XCTAssertEqual(failures("```sh\nswift run bounds simplify \"x\"   # → x\nswift test   # the test suite\n```\n"), [])

        let derive = try Self.run(["derive"], in: Self.root).stdout.components(separatedBy: "\n")
        let head = derive.prefix(5).joined(separator: "\n")
        XCTAssertEqual(failures("## What `derive` prints\n\n```\n\(head)\n[...]\n```\n"), [])
        XCTAssertEqual(failures("## What `derive` prints\n\n```\n\(head)\n```\n").count, 1, "without a mark the block is the whole output")
        XCTAssertEqual(failures("## What `derive` prints\n\n```\n[...]\n\(derive[3])\n[...]\n```\n"), [])
        let changed = failures("## What `derive` prints\n\n```\n\(head.replacingOccurrences(of: "Risk <~", with: "Risk <="))\n[...]\n```\n")
        XCTAssertEqual(changed.count, 1)
        XCTAssertTrue(changed.first?.contains("Risk <= min(") ?? false, "the failure names the line: \(changed)")

        XCTAssertEqual(failures("## JSON contract\n\n```json\n{\"theory\": \"moe/generalization.bounds\", \"laws\": [{\"id\": \"D2\", \"variable\": \"n\"}, ...]}\n```\n"), [])
        XCTAssertEqual(failures("## JSON contract\n\n```json\n{\"laws\": [{\"id\": \"D2\", \"variable\": \"N_eff\"}]}\n```\n").count, 1, "D2's variable is n")
        XCTAssertEqual(failures("## JSON contract\n\n```json\n{\"laws\": [{\"id\": \"D2\", \"closed_form\": {...}}]}\n```\n").count, 1,
                       "an element shown must match one real element entirely")
        XCTAssertEqual(failures("## JSON contract\n\n```json\n{\"bound\": {\"exponents\": \"...\"}}\n```\n").count, 1, "no such key")
        XCTAssertEqual(failures("## Elsewhere\n\n```json\n{}\n```\n").count, 1, "a JSON block without a source")

        XCTAssertEqual(failures("```\nexample \"Nowhere\"\n  M = 8\n```\n").count, 1, "a fragment of no bundled file")
        XCTAssertEqual(failures("```\nspecialize A4 \"dense baseline\" [alternative]\n  source \"s\"\n  set Q = 1\n```\n").isEmpty, false,
                       "Q is not a symbol of the setting")
        XCTAssertEqual(failures("```\nspecialize A4 \"dense baseline\" [alternative]\n  source \"s\"\n  set M = 0\n```\n").count, 1,
                       "M = 0 contradicts M >= 1 once the alternative is used")
        XCTAssertEqual(failures("```python\nprint(1)\n```\n").count, 1, "a block type without a runner")
        XCTAssertEqual(failures("```swift\nprint(1)\n```\n").count, 1, "a Swift block that is no example's source")
    }

    // MARK: Blocks

    struct Block {
        var info: String
        var body: String
        /// The line of the opening fence (1-based).
        var line: Int
        /// The nearest heading above the block, without its #s.
        var heading: String
        var language: String { info.split(separator: " ").first.map(String.init) ?? "" }
    }

    static func blocks(_ markdown: String) -> (blocks: [Block], unclosed: Int?) {
        var result: [Block] = []
        var heading = ""
        var open: (info: String, line: Int, body: [String])? = nil
        for (index, line) in markdown.components(separatedBy: "\n").enumerated() {
            if var block = open {
                if line.trimmingCharacters(in: .whitespaces) == "```" {
                    result.append(Block(info: block.info, body: block.body.map { $0 + "\n" }.joined(), line: block.line, heading: heading))
                    open = nil
                } else {
                    block.body.append(line)
                    open = block
                }
            } else if line.hasPrefix("```") {
                open = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), index + 1, [])
            } else if line.hasPrefix("#"), let space = line.firstIndex(of: " "), line[..<space].allSatisfy({ $0 == "#" }) {
                heading = line[space...].trimmingCharacters(in: .whitespaces)
            }
        }
        return (result, open?.line)
    }

    // MARK: Running

    struct Tally {
        var blocks: [String: Int] = [:]
        var commands = 0
        var claims = 0
        var skipped: [String] = []
        var failures: [String] = []

        var summary: String {
            let kinds = ["sh", "theory", "output", "json", "swift"].map { "\(blocks[$0] ?? 0) \($0)" }.joined(separator: ", ")
            return "README doc tests: \(blocks.values.reduce(0, +)) blocks checked (\(kinds)), \(commands) commands run, "
                + "\(claims) claims checked, \(skipped.count) \(skipped.count == 1 ? "command" : "commands") not run (listed exceptions)"
        }
    }

    typealias Output = BoundsProcess.Output

    /// The built `bounds` binary with these arguments, in this directory.
    static func run(_ arguments: [String], in directory: URL) throws -> Output { try BoundsProcess.run(arguments, in: directory) }

    static func scratchDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bounds-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Checks every block of a README text.
    static func audit(_ markdown: String) -> Tally {
        var tally = Tally()
        let (blocks, unclosed) = blocks(markdown)
        if let unclosed { tally.failures.append("README.md:\(unclosed): the block opened here is not closed") }
        let scratch: URL
        do { scratch = try scratchDirectory() } catch { tally.failures.append("no temporary directory: \(error)"); return tally }
        defer { try? FileManager.default.removeItem(at: scratch) }
        for block in blocks {
            do {
                switch block.language {
                case "sh", "bash", "shell":
                    tally.blocks["sh", default: 0] += 1
                    try checkShell(block, scratch: scratch, &tally)
                case "swift":
                    tally.blocks["swift", default: 0] += 1
                    try checkSwift(block, &tally)
                case "json":
                    tally.blocks["json", default: 0] += 1
                    try checkJSON(block, &tally)
                case "":
                    if let command = outputCommand(block.heading) {
                        tally.blocks["output", default: 0] += 1
                        try checkOutput(block, command, &tally)
                    } else {
                        tally.blocks["theory", default: 0] += 1
                        try checkTheory(block, scratch: scratch, &tally)
                    }
                default:
                    tally.failures.append("README.md:\(block.line): a ```\(block.language) block, which ReadmeDocTests has no runner for")
                }
            } catch {
                tally.failures.append("README.md:\(block.line): \(error)")
            }
        }
        return tally
    }

    // MARK: Shell blocks

    struct ShellCommand {
        var words: [String]
        /// The command as the README writes it (continuation lines joined), without its comment.
        var source: String
        var line: Int
        var comments: [String]
        var text: String { words.joined(separator: " ") }
    }

    struct DocError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// One logical line as sh splits it into words (plain words, '…', "…" and backslashes), and its comment.
    static func split(_ line: String, at lineNumber: Int) throws -> (words: [String], comment: String?) {
        let chars = Array(line)
        var words: [String] = [], current = "", inWord = false, i = 0
        func unsupported(_ what: String) -> DocError {
            DocError("README.md:\(lineNumber): \(what) needs a shell; the doc test runs commands without one")
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
                i += 1
                continue
            }
            if c == "#" && !inWord {
                return (words, String(chars[(i + 1)...]).trimmingCharacters(in: .whitespaces))
            }
            inWord = true
            switch c {
            case "'":
                guard let end = chars[(i + 1)...].firstIndex(of: "'") else { throw DocError("README.md:\(lineNumber): unterminated '") }
                current += String(chars[(i + 1)..<end])
                i = end + 1
            case "\"":
                i += 1
                while true {
                    guard i < chars.count else { throw DocError("README.md:\(lineNumber): unterminated \"") }
                    let d = chars[i]
                    if d == "\"" { i += 1; break }
                    if d == "$" || d == "`" { throw unsupported("'\(d)' in double quotes") }
                    if d == "\\", i + 1 < chars.count, "\"\\$`".contains(chars[i + 1]) {
                        current.append(chars[i + 1])
                        i += 2
                        continue
                    }
                    current.append(d)
                    i += 1
                }
            case "\\":
                guard i + 1 < chars.count else { throw DocError("README.md:\(lineNumber): a trailing backslash") }
                current.append(chars[i + 1])
                i += 2
            case "|", "&", ";", "<", ">", "(", ")", "$", "`", "*", "?", "[", "]", "{", "}", "~":
                throw unsupported("an unquoted '\(c)'")
            default:
                current.append(c)
                i += 1
            }
        }
        if inWord { words.append(current) }
        return (words, nil)
    }

    /// The commands of a block: continuation lines joined, comment-only lines `# → …` attached to the command above.
    static func commands(_ block: Block) throws -> [ShellCommand] {
        var result: [ShellCommand] = []
        var pending = "", start = 0
        for (offset, raw) in block.body.components(separatedBy: "\n").enumerated() {
            let number = block.line + 1 + offset
            if pending.isEmpty { start = number }
            if raw.hasSuffix("\\") {
                pending += raw.dropLast() + " "
                continue
            }
            let logical = pending + raw
            pending = ""
            let (words, comment) = try split(logical, at: start)
            if words.isEmpty {
                if let comment, comment.hasPrefix("→") || comment.hasPrefix("exit ") {
                    guard !result.isEmpty else { throw DocError("README.md:\(number): '# \(comment)' follows no command") }
                    result[result.count - 1].comments.append(comment)
                }
                continue
            }
            // The command as written: the line up to its comment (the last '#' that starts the comment's text).
            var source = logical
            if let comment {
                let end = comment.isEmpty ? logical.endIndex : logical.range(of: comment, options: .backwards)?.lowerBound ?? logical.endIndex
                if let mark = logical[..<end].lastIndex(of: "#") { source = String(logical[..<mark]) }
            }
            source = source.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            result.append(ShellCommand(words: words, source: source, line: start, comments: comment.map { [$0] } ?? []))
        }
        if !pending.isEmpty { throw DocError("README.md:\(start): the block ends inside a continued line") }
        return result
    }

    /// What a command's comments promise: its exit status and the text it prints.
    struct Expectation {
        var status: Int32 = 0
        var claims: [String] = []
        var states = false
    }

    static func expectation(_ comments: [String]) -> Expectation {
        var e = Expectation()
        for comment in comments {
            var parts = comment.components(separatedBy: "→").map { $0.trimmingCharacters(in: .whitespaces) }
            let prose = parts.removeFirst()
            if prose.hasPrefix("exit ") {
                let digits = prose.dropFirst(5).prefix { $0.isNumber }
                if let status = Int32(digits) { e.status = status; e.states = true }
            }
            let claims = parts.filter { !$0.isEmpty }
            if !claims.isEmpty { e.claims += claims; e.states = true }
        }
        return e
    }

    /// `claim` is a line of `output`, or a part of one that starts at the line's start or after a space and ends at
    /// the line's end, before a space or before `:` `,` `;`.
    static func appears(_ claim: String, in output: String) -> Bool {
        for line in output.components(separatedBy: "\n") {
            var from = line.startIndex
            while from < line.endIndex, let r = line.range(of: claim, range: from..<line.endIndex) {
                let before = r.lowerBound == line.startIndex ? nil : line[line.index(before: r.lowerBound)]
                let after = r.upperBound == line.endIndex ? nil : line[r.upperBound]
                if (before.map { $0.isWhitespace } ?? true) && (after.map { $0.isWhitespace || ":,;".contains($0) } ?? true) { return true }
                from = line.index(after: r.lowerBound)
            }
        }
        return false
    }

    /// The arguments of `swift run bounds ARGS` or `bounds ARGS`.
    static func boundsArguments(_ words: [String]) -> [String]? {
        if words.starts(with: ["swift", "run", "bounds"]) { return Array(words.dropFirst(3)) }
        if words.first == "bounds" { return Array(words.dropFirst()) }
        return nil
    }

    static func checkShell(_ block: Block, scratch: URL, _ tally: inout Tally) throws {
        let commands = try commands(block)
        // A block that writes files runs in a directory of its own, where the bundled theory is linked.
        var directory = root
        if commands.contains(where: { $0.words.contains { ["-o", "--header"].contains($0) || $0.hasPrefix("--header=") } }) {
            directory = scratch.appendingPathComponent("block-\(block.line)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("theorems"),
                                                       withDestinationURL: root.appendingPathComponent("theorems"))
        }
        for command in commands {
            let place = "README.md:\(command.line): `\(command.source)`"
            if let reason = exceptions[command.text] {
                tally.skipped.append("\(place): \(reason)")
                continue
            }
            guard let arguments = boundsArguments(command.words) else {
                tally.failures.append("\(place) is not a bounds command: the doc test runs `swift run bounds ARGS` as the built "
                                      + "binary; run it some other way in ReadmeDocTests or list it in `exceptions` with the reason")
                continue
            }
            let expected = expectation(command.comments)
            if !expected.states {
                for comment in command.comments where descriptions[comment] == nil {
                    tally.failures.append("\(place): the comment '# \(comment)' states no result: write '# → OUTPUT' (and "
                                          + "'# exit N ...' for an error status), or list it in `descriptions` with the reason")
                }
            }
            let result = try run(arguments, in: directory)
            tally.commands += 1
            let printed = result.stdout + result.stderr
            if result.status != expected.status {
                tally.failures.append("\(place) exits \(result.status), the README says \(expected.status):\n\(printed)")
            }
            for claim in expected.claims {
                tally.claims += 1
                if !appears(claim, in: result.stdout + "\n" + result.stderr) {
                    tally.failures.append("\(place) does not print '\(claim)'; it printed:\n\(printed)")
                }
            }
            if let format = arguments.firstIndex(of: "--format"), format + 1 < arguments.count, arguments[format + 1] == "json",
               result.status == 0, (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) == nil {
                tally.failures.append("\(place) does not print JSON:\n\(result.stdout)")
            }
        }
    }

    // MARK: Output blocks

    /// "What `derive` prints" → ["derive"].
    static func outputCommand(_ heading: String) -> [String]? {
        guard heading.hasPrefix("What `"), heading.hasSuffix("` prints") else { return nil }
        return heading.dropFirst(6).dropLast(8).split(separator: " ").map(String.init)
    }

    static func isOmission(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        return t == "..." || (t.hasPrefix("[...") && t.hasSuffix("]"))
    }

    /// Why `shown` (omissions marked) is not the real output, or nil.
    static func excerptMismatch(_ shown: String, of real: String, firstLine: Int) -> String? {
        var lines = shown.components(separatedBy: "\n"), out = real.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        if out.last == "" { out.removeLast() }
        var parts: [(start: Int, lines: [String])] = [(firstLine, [])]
        for (offset, line) in lines.enumerated() {
            if isOmission(line) { parts.append((firstLine + offset + 1, [])) } else { parts[parts.count - 1].lines.append(line) }
        }
        let anchoredStart = !(lines.first.map(isOmission) ?? false), anchoredEnd = !(lines.last.map(isOmission) ?? false)
        var position = 0
        for (k, part) in parts.enumerated() where !part.lines.isEmpty {
            let n = part.lines.count, last = k == parts.count - 1 && anchoredEnd
            let candidates = k == 0 && anchoredStart ? [0] : Array(position...max(position, out.count - n))
            // The candidate that matches the most of the part's lines, from its start.
            var best = (at: candidates[0], matched: -1), stopsEarly: Int? = nil
            for at in candidates {
                var matched = 0
                while matched < n, at + matched < out.count, out[at + matched] == part.lines[matched] { matched += 1 }
                if matched == n {
                    if !last || at + n == out.count { best = (at, n); stopsEarly = nil; break }
                    stopsEarly = stopsEarly ?? at + n
                } else if matched > best.matched {
                    best = (at, matched)
                }
            }
            if let next = stopsEarly {
                return "README.md:\(part.start + n - 1): the block ends here, but the output goes on with '\(out[next])': "
                    + "mark the rest with a [...] line, or show it"
            }
            if best.matched < n {
                let shownLine = part.lines[best.matched]
                let realLine = best.at + best.matched < out.count ? "'\(out[best.at + best.matched])'" : "the end of the output"
                return "README.md:\(part.start + best.matched): '\(shownLine)' is not the real output's line here; the output has \(realLine)"
            }
            position = best.at + n
        }
        return nil
    }

    static func checkOutput(_ block: Block, _ arguments: [String], _ tally: inout Tally) throws {
        let result = try run(arguments, in: root)
        tally.commands += 1
        if result.status != 0 { tally.failures.append("README.md:\(block.line): `bounds \(arguments.joined(separator: " "))` exits \(result.status):\n\(result.stderr)") }
        if let mismatch = excerptMismatch(block.body, of: result.stdout, firstLine: block.line + 1) {
            tally.failures.append(mismatch + "\nThe real output of `bounds \(arguments.joined(separator: " "))`:\n\(result.stdout)")
        }
    }

    // MARK: Theory blocks

    /// A line of a theory file without its comment and surrounding spaces.
    static func strippedLine(_ line: String) -> String {
        var inString = false
        var kept = ""
        for c in line {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { break }
            kept.append(c)
        }
        return kept.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func bundledTheoryFiles() -> [URL] {
        let base = root.appendingPathComponent("theorems")
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "bounds" }.sorted { $0.path < $1.path }
    }

    static func checkTheory(_ block: Block, scratch: URL, _ tally: inout Tally) throws {
        let lines = block.body.components(separatedBy: "\n")
        let file = scratch.appendingPathComponent("readme-\(block.line).bounds")
        var runs: [[String]] = []
        var prepended = 0   // lines of the temporary file before the block's first line
        if lines.contains(where: { strippedLine($0) == "symbols" && $0.hasPrefix("symbols") }) {
            // A complete theory: its proofs check and its laws derive.
            try block.body.write(to: file, atomically: true, encoding: .utf8)
            runs = [["check", file.path], ["derive", file.path]]
        } else {
            // A fragment: loaded where it comes from, with the imports of the bundled file that holds its first line.
            guard let first = lines.map(strippedLine).first(where: { !$0.isEmpty }) else {
                tally.failures.append("README.md:\(block.line): an empty block")
                return
            }
            guard let source = bundledTheoryFiles().first(where: { url in
                ((try? String(contentsOf: url, encoding: .utf8)) ?? "").components(separatedBy: "\n").contains { strippedLine($0) == first }
            }) else {
                tally.failures.append("README.md:\(block.line + 1): '\(first)' is in no file under theorems/: a theory block is a "
                                      + "complete theory (with a symbols block) or a fragment of a bundled file")
                return
            }
            let imports = try String(contentsOf: source, encoding: .utf8).components(separatedBy: "\n").compactMap { line -> String? in
                let s = strippedLine(line)
                guard s.hasPrefix("import \""), s.hasSuffix("\"") else { return nil }
                let path = String(s.dropFirst(8).dropLast())
                return "import \"\(source.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path)\""
            }
            prepended = imports.count + 1
            try (imports.joined(separator: "\n") + "\n\n" + block.body).write(to: file, atomically: true, encoding: .utf8)
            runs = [["check", file.path]]
            // An alternative is checked where it takes effect too: swapped into the bundled theory by `compare`
            // (not `derive`, which exits 1 when a law cannot be derived under it, as D4 cannot with M = 1).
            if first.hasSuffix("[alternative]") { runs.append(["compare", "--use", file.path]) }
        }
        for arguments in runs {
            let result = try run(arguments, in: root)
            tally.commands += 1
            if result.status != 0 {
                tally.failures.append("README.md:\(block.line): the theory block does not pass `bounds \(arguments[0])` "
                                      + "(exit \(result.status); line N of \(file.lastPathComponent) is README.md:\(block.line - prepended)+N):\n"
                                      + "\(result.stdout)\(result.stderr)")
            }
        }
    }

    // MARK: Swift blocks

    static func checkSwift(_ block: Block, _ tally: inout Tally) throws {
        let examples = root.appendingPathComponent("examples")
        var match: URL? = nil
        if let walker = FileManager.default.enumerator(at: examples, includingPropertiesForKeys: nil) {
            for case let url as URL in walker {
                if url.lastPathComponent == ".build" { walker.skipDescendants(); continue }
                if url.pathExtension == "swift", url.lastPathComponent != "Package.swift",
                   (try? String(contentsOf: url, encoding: .utf8)) == block.body { match = url; break }
            }
        }
        guard let match else {
            tally.failures.append("README.md:\(block.line): the Swift block is not the source of an example package under examples/ "
                                  + "(which .ci/run builds and runs); keep it identical to that file")
            return
        }
        let relative = match.path.dropFirst(examples.path.count + 1)
        let package = "examples/" + (relative.split(separator: "/").first.map(String.init) ?? "")
        let ci = try String(contentsOf: root.appendingPathComponent(".ci/run"), encoding: .utf8)
        if !ci.contains("--package-path \(package)") {
            tally.failures.append("README.md:\(block.line): the Swift block is \(package)'s source, but .ci/run does not run that package")
        }
    }

    // MARK: JSON blocks

    /// A JSON value as the README shows it: placeholders allowed.
    indirect enum Shape {
        case object([(String, Shape)]), array([Shape]), string(String), number(Double), bool(Bool), null, any
    }

    struct ShapeParser {
        let chars: [Character]
        var i = 0
        init(_ text: String) { chars = Array(text) }

        mutating func skipSpace() { while i < chars.count, chars[i].isWhitespace { i += 1 } }
        func error(_ what: String) -> DocError { DocError("JSON block, character \(i): \(what)") }
        func at(_ s: String) -> Bool { i + s.count <= chars.count && String(chars[i..<(i + s.count)]) == s }

        /// `...`, or `...words...`: a placeholder.
        mutating func placeholder() -> Bool {
            guard at("...") else { return false }
            i += 3
            if i < chars.count, !chars[i].isWhitespace, !",]}".contains(chars[i]) {
                while i < chars.count, !at("...") { i += 1 }
                i = min(i + 3, chars.count)
            }
            return true
        }

        mutating func expect(_ c: Character) throws {
            skipSpace()
            guard i < chars.count, chars[i] == c else { throw error("expected '\(c)'") }
            i += 1
        }

        mutating func parse() throws -> Shape {
            let v = try value()
            skipSpace()
            guard i == chars.count else { throw error("text after the value") }
            return v
        }

        mutating func value() throws -> Shape {
            skipSpace()
            if placeholder() { return .any }
            guard i < chars.count else { throw error("expected a value") }
            switch chars[i] {
            case "{":
                i += 1
                var members: [(String, Shape)] = []
                while true {
                    skipSpace()
                    if i < chars.count, chars[i] == "}" { i += 1; return .object(members) }
                    if !placeholder() {
                        let key = try string()
                        try expect(":")
                        members.append((key, try value()))
                    }
                    skipSpace()
                    if i < chars.count, chars[i] == "," { i += 1; continue }
                    try expect("}")
                    return .object(members)
                }
            case "[":
                i += 1
                var elements: [Shape] = []
                while true {
                    skipSpace()
                    if i < chars.count, chars[i] == "]" { i += 1; return .array(elements) }
                    elements.append(try value())
                    skipSpace()
                    if i < chars.count, chars[i] == "," { i += 1; continue }
                    try expect("]")
                    return .array(elements)
                }
            case "\"":
                let s = try string()
                return s == "..." ? .any : .string(s)
            default:
                for (word, shape) in [("true", Shape.bool(true)), ("false", .bool(false)), ("null", .null)] where at(word) {
                    i += word.count
                    return shape
                }
                let start = i
                while i < chars.count, "+-0123456789.eE".contains(chars[i]) { i += 1 }
                guard let x = Double(String(chars[start..<i])) else { throw error("expected a value") }
                return .number(x)
            }
        }

        mutating func string() throws -> String {
            skipSpace()
            guard i < chars.count, chars[i] == "\"" else { throw error("expected a string") }
            i += 1
            var s = ""
            while i < chars.count {
                let c = chars[i]
                i += 1
                if c == "\"" { return s }
                if c == "\\" {
                    guard i < chars.count else { break }
                    let e = chars[i]
                    i += 1
                    switch e {
                    case "n": s.append("\n")
                    case "t": s.append("\t")
                    case "r": s.append("\r")
                    case "b": s.append("\u{8}")
                    case "f": s.append("\u{c}")
                    case "u":
                        guard i + 4 <= chars.count, let code = UInt32(String(chars[i..<(i + 4)]), radix: 16),
                              let scalar = Unicode.Scalar(code) else { throw error("a bad \\u escape") }
                        s.unicodeScalars.append(scalar)
                        i += 4
                    default: s.append(e)
                    }
                } else {
                    s.append(c)
                }
            }
            throw error("an unterminated string")
        }
    }

    /// `text` matches a shown string with "..." in it: the parts around each "..." occur in order, the first at the
    /// start and the last at the end.
    static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pattern.components(separatedBy: "...")
        guard parts.count > 1 else { return text == pattern }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.hasSuffix(parts.last!)
    }

    static func describe(_ values: [Any]) -> String {
        values.prefix(3).map { v -> String in
            if let s = v as? String { return "\"\(s)\"" }
            if v is [Any] || v is [String: Any], let data = try? JSONSerialization.data(withJSONObject: v) {
                let text = String(decoding: data, as: UTF8.self)
                return text.count > 120 ? String(text.prefix(120)) + "…" : text
            }
            return "\(v)"
        }.joined(separator: " | ")
    }

    /// What in `shape` no candidate has. Objects take each key from any candidate; an array element must match one
    /// real element (from any candidate array) entirely.
    static func mismatches(_ shape: Shape, _ candidates: [Any], at path: String) -> [String] {
        switch shape {
        case .any:
            return []
        case .string(let s):
            if candidates.contains(where: { ($0 as? String).map { matches($0, pattern: s) } ?? false }) { return [] }
            return ["\(path): \"\(s)\" is not the real value (\(describe(candidates)))"]
        case .number(let x):
            // JSONSerialization's numbers may convert to Double with an error in the last place.
            if candidates.contains(where: { v in
                guard !(v is Bool), let y = (v as? NSNumber)?.doubleValue else { return false }
                return abs(y - x) <= 1e-12 * max(1, abs(x))
            }) { return [] }
            return ["\(path): \(x) is not the real value (\(describe(candidates)))"]
        case .bool(let b):
            if candidates.contains(where: { ($0 as? Bool) == b }) { return [] }
            return ["\(path): \(b) is not the real value (\(describe(candidates)))"]
        case .null:
            if candidates.contains(where: { $0 is NSNull }) { return [] }
            return ["\(path): null is not the real value (\(describe(candidates)))"]
        case .object(let members):
            let objects = candidates.compactMap { $0 as? [String: Any] }
            guard !objects.isEmpty else { return ["\(path.isEmpty ? "the output" : path) is not an object in the real output"] }
            var result: [String] = []
            for (key, value) in members {
                let values = objects.compactMap { $0[key] }
                if values.isEmpty { result.append("\(path).\(key): no such key in the real output") }
                else { result += mismatches(value, values, at: "\(path).\(key)") }
            }
            return result
        case .array(let elements):
            let arrays = candidates.compactMap { $0 as? [Any] }
            guard !arrays.isEmpty else { return ["\(path) is not an array in the real output"] }
            let pool = arrays.flatMap { $0 }
            var result: [String] = []
            for (n, element) in elements.enumerated() {
                if case .any = element { continue }
                let attempts = pool.map { mismatches(element, [$0], at: "\(path)[\(n)]") }
                if attempts.contains(where: { $0.isEmpty }) { continue }
                if let closest = attempts.min(by: { $0.count < $1.count }) {
                    result.append("\(path)[\(n)] matches no real element; the closest differs in: " + closest.joined(separator: "; "))
                } else {
                    result.append("\(path)[\(n)]: the real array is empty")
                }
            }
            return result
        }
    }

    static func checkJSON(_ block: Block, _ tally: inout Tally) throws {
        guard let source = jsonSources.first(where: { block.heading.contains($0.heading) }) else {
            tally.failures.append("README.md:\(block.line): a JSON block under '\(block.heading)', for which `jsonSources` names no command")
            return
        }
        var documents: [Any] = []
        for arguments in source.commands {
            let result = try run(arguments, in: root)
            tally.commands += 1
            guard result.status == 0, let document = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) else {
                tally.failures.append("README.md:\(block.line): `bounds \(arguments.joined(separator: " "))` gives no JSON "
                                      + "(exit \(result.status)):\n\(result.stderr)")
                continue
            }
            documents.append(document)
        }
        var parser = ShapeParser(block.body)
        let shape = try parser.parse()
        for mismatch in mismatches(shape, documents, at: "") {
            tally.failures.append("README.md:\(block.line): JSON \(mismatch)")
        }
    }
}
