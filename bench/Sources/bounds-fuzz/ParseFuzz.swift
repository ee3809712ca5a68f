import Foundation
import Symbolic
import Derivation

/// One input of the parser fuzz: expression text, or a theory file.
enum ParseInput {
    case expression(text: String, asRelation: Bool, mutations: [String], line: Int, column: Int)
    case theory(TheoryInput, root: String)

    /// Regenerates input `index` of the run seeded `seed` (the same in every process).
    static func make(seed: UInt64, index: Int, corpus: TheoryCorpus) -> ParseInput {
        var rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 1)
        if index % 2 == 0 {
            let kind = rng.weighted([10, 5, 55, 20, 10])
            var text: String
            var mutations: [String] = []
            switch kind {
            case 0: text = ExpressionInputs.expression(&rng)
            case 1: text = ExpressionInputs.relation(&rng)
            case 2, 3:
                let base = kind == 2 ? ExpressionInputs.expression(&rng) : ExpressionInputs.relation(&rng)
                let (m, applied) = ExpressionInputs.mutate(base, &rng)
                text = m
                mutations = applied.map(\.rawValue)
            default:
                text = ExpressionInputs.randomText(&rng)
                mutations = ["random"]
            }
            // Inputs stay under about 1 MB (a 41 MB repetition parsed in 1.3 s: linear, but not a useful hang).
            if text.utf8.count > 1_000_000 { text = String(text.prefix(1_000_000)) }
            // Sometimes the text sits inside a larger file, so errors must be offset.
            let offset = rng.chance(0.1)
            return .expression(text: text, asRelation: kind == 1 || kind == 3, mutations: mutations,
                               line: offset ? 7 : 1, column: offset ? 5 : 1)
        }
        let input = TheoryInputs.generate(&rng, corpus: corpus)
        // Load the mutated file itself, or the root of the MoE theory when the file is in its import closure.
        let closure: Set<String> = ["moe/cover.bounds", "moe/setting.bounds", "moe/generalization.bounds",
                                    "standard/binomial.bounds", "standard/covers.bounds", "standard/erm.bounds", "standard/rates.bounds"]
        let root = closure.contains(input.path) && rng.chance(0.5) ? "moe/generalization.bounds" : input.path
        return .theory(input, root: root)
    }

    var description: String {
        switch self {
        case .expression(let text, let relation, let mutations, let line, let column):
            return "\(relation ? "relation" : "expression") [\(mutations.joined(separator: ","))] at \(line):\(column): \"\(text.escapedForReport.clipped(400))\""
        case .theory(let input, let root):
            return "theory \(input.path) (root \(root)) [\(input.mutations.joined(separator: ","))]: \"\(input.text.escapedForReport.clipped(600))\""
        }
    }
}

/// Runs parser inputs and checks the contract: no crash, no hang, every rejection located.
final class ParseWorker {
    let seed: UInt64
    let corpus: TheoryCorpus
    let scratch: String
    let progress: ProgressSlot?
    let limitNanos: UInt64
    let checkRate: Double
    let composeRate: Double

    var stats: [String: Int] = [:]
    var timings: [Stage: StageTiming] = [:]
    var inputTiming = StageTiming()
    var inputWall = StageTiming()
    var violations: [(Int, String, String)] = []
    var violationCounts: [String: Int] = [:]
    var examples: [(Int, String, String)] = []
    var exampleCounts: [String: Int] = [:]
    var verbose = false

    init(seed: UInt64, corpus: TheoryCorpus, scratch: String, progress: ProgressSlot?, limitNanos: UInt64,
         checkRate: Double, composeRate: Double) throws {
        self.seed = seed
        self.corpus = corpus
        self.scratch = scratch
        self.progress = progress
        self.limitNanos = limitNanos
        self.checkRate = checkRate
        self.composeRate = composeRate
        // A private copy of theorems/ that mutated files are written into, so imports resolve.
        let fm = FileManager.default
        try? fm.removeItem(atPath: scratch)
        for file in corpus.files {
            let full = scratch + "/" + file.path
            try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard fm.createFile(atPath: full, contents: Data(file.text.utf8)) else { throw FuzzError("cannot write \(full)") }
        }
    }

    func count(_ key: String, _ n: Int = 1) { stats[key, default: 0] += n }

    func violation(_ index: Int, _ kind: String, _ detail: String) {
        violationCounts[kind, default: 0] += 1
        if violationCounts[kind]! <= 5 { violations.append((index, kind, detail)) }
        if verbose { print("VIOLATION \(kind): \(detail)") }
    }

    /// Not a contract violation, but worth a look (round trips, slow-but-finished inputs...).
    func example(_ index: Int, _ kind: String, _ detail: String) {
        exampleCounts[kind, default: 0] += 1
        if exampleCounts[kind]! <= 3 { examples.append((index, kind, detail)) }
        if verbose { print("NOTE \(kind): \(detail)") }
    }

    @inline(__always) func timed<T, E: Error>(_ stage: Stage, _ index: Int, _ body: () throws(E) -> T) throws(E) -> T {
        progress?.set(index: index, stage: stage)
        let t0 = threadCPUNanos()
        defer {
            let dt = threadCPUNanos() - t0
            timings[stage, default: StageTiming()].record(dt, index: index, limit: limitNanos)
        }
        return try body()
    }

    func run(start: Int, count n: Int) {
        for index in start..<(start + n) {
            progress?.set(index: index, stage: .none)
            let input = ParseInput.make(seed: seed, index: index, corpus: corpus)
            let t0 = threadCPUNanos(), w0 = monotonicNanos()
            switch input {
            case .expression(let text, let relation, _, let line, let column):
                runExpression(index, text, relation: relation, line: line, column: column)
            case .theory(let theoryInput, let root):
                runTheory(index, theoryInput, root: root)
            }
            let dt = threadCPUNanos() - t0
            inputTiming.record(dt, index: index, limit: limitNanos)
            inputWall.record(monotonicNanos() - w0, index: index, limit: limitNanos)
            if dt > limitNanos { example(index, "input over the time limit (CPU)", "\(seconds(dt)): \(input.description)") }
        }
    }

    // MARK: Expressions

    /// A rejection must point inside the text (or just past its end), at line >= 1 and column >= 1.
    func checkLocation(_ index: Int, _ location: SourceLocation, text: String, line: Int, column: Int, what: String) {
        if location.line < 1 || location.column < 1 {
            violation(index, "rejection without a position", "\(what): \(location) for \"\(text.escapedForReport.clipped())\"")
            return
        }
        let lengths = lineLengths(text)
        let relativeLine = location.line - line
        guard relativeLine >= 0, relativeLine < lengths.count else {
            violation(index, "rejection position outside the input", "\(what): line \(location.line) of \(lengths.count) line(s) starting at \(line): \"\(text.escapedForReport.clipped())\"")
            return
        }
        let firstColumn = relativeLine == 0 ? column : 1
        if location.column < firstColumn || location.column > firstColumn + lengths[relativeLine] {
            violation(index, "rejection position outside the input", "\(what): column \(location.column) not in \(firstColumn)...\(firstColumn + lengths[relativeLine]) on line \(location.line): \"\(text.escapedForReport.clipped())\"")
        }
    }

    func runExpression(_ index: Int, _ text: String, relation: Bool, line: Int, column: Int) {
        count("expression inputs")
        var parsed: Expr? = nil
        do {
            parsed = try timed(.expressionParse, index) { () throws(ParseError) -> Expr in
                try Parser.parseExpression(text, file: line == 1 ? nil : "f.bounds", line: line, column: column)
            }
            count("expressions accepted")
        } catch {
            count("expressions rejected")
            if error.message.isEmpty { violation(index, "rejection without a message", "\"\(text.escapedForReport.clipped())\"") }
            checkLocation(index, error.location, text: text, line: line, column: column, what: "parseExpression")
        }
        do {
            let r = try timed(.relationParse, index) { () throws(ParseError) -> Relation in
                try Parser.parseRelation(text, file: line == 1 ? nil : "f.bounds", line: line, column: column)
            }
            count("relations accepted")
            _ = timed(.expressionPrint, index) { r.text + r.latex }
        } catch {
            count("relations rejected")
            if error.message.isEmpty { violation(index, "rejection without a message", "\"\(text.escapedForReport.clipped())\"") }
            checkLocation(index, error.location, text: text, line: line, column: column, what: "parseRelation")
        }
        guard let e = parsed else { return }

        // Downstream of an accepted parse: print, re-parse, simplify, evaluate. None may crash.
        timed(.expressionPrint, index) {
            let printed = e.text
            _ = e.latex
            do {
                let again = try Parser.parseExpression(printed)
                if again != e {
                    example(index, "printed text re-parses to a different tree", "\"\(text.escapedForReport.clipped(200))\" prints as \"\(printed.escapedForReport.clipped(200))\"")
                }
            } catch {
                example(index, "printed text does not re-parse", "\"\(text.escapedForReport.clipped(200))\" prints as \"\(printed.escapedForReport.clipped(200))\": \(error)")
            }
        }
        let simplified = timed(.expressionSimplify, index) { () -> Expr in
            _ = e.tidied()
            return e.simplified()
        }
        timed(.expressionEvaluate, index) {
            var rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 2)
            var values: [String: Double] = [:]
            for name in e.freeSymbols { values[name] = rng.pick([-2, -1, 0, 0.5, 1, 2, 3, 1e10, 1e-10]) }
            // The soundness contract of `bounds-fuzz simplify`, here without assumptions and at one point;
            // results that hinge on rounding are not reported.
            switch Soundness.compare(e, simplified, at: values) {
            case .mismatch(let detail), .lostDefinedness(let detail):
                example(index, "simplified form differs from the parsed one (no assumptions)",
                        "\(e.text.clipped(200)) → \(simplified.text.clipped(200)) at \(values): \(detail)")
            default:
                break
            }
        }
    }

    // MARK: Theory files

    func checkTheoryError(_ index: Int, _ error: Error, input: TheoryInput, expectedFile: String?, what: String) {
        let location: SourceLocation?
        let message: String
        switch error {
        case let e as TheoryError: location = e.location; message = e.message
        case let e as ParseError: location = e.location; message = e.message
        default:
            violation(index, "rejection of an unexpected error type", "\(what): \(type(of: error)): \(error) for theory \(input.path) [\(input.mutations.joined(separator: ","))]")
            return
        }
        if message.isEmpty { violation(index, "rejection without a message", "\(what) for theory \(input.path)") }
        guard let location else {
            violation(index, "rejection without a position", "\(what): \(error) for theory \(input.path) [\(input.mutations.joined(separator: ","))]")
            return
        }
        guard location.line >= 1, location.column >= 1 else {
            violation(index, "rejection without a position", "\(what): \(location) \(message) for theory \(input.path)")
            return
        }
        if location.file == nil {
            violation(index, "rejection without a file name", "\(what): \(location) \(message) for theory \(input.path)")
        }
        if let expectedFile, location.file == expectedFile {
            // Lines as the theory parser counts them; columns in Characters.
            let lines = theoryLines(input.text)
            if location.line > lines.count {
                violation(index, "rejection position outside the input", "\(what): line \(location.line) of \(lines.count): \(message) for theory \(input.path) [\(input.mutations.joined(separator: ","))]")
            } else if location.column > lines[location.line - 1].count + 1 {
                let line = String(lines[location.line - 1])
                violation(index, "rejection position outside the input", "\(what): column \(location.column) on a line of \(line.count) characters (\"\(line.escapedForReport.clipped(120))\"): \(message) [\(input.mutations.joined(separator: ","))]")
            }
        }
    }

    func runTheory(_ index: Int, _ input: TheoryInput, root: String) {
        count("theory inputs")
        let text = input.text
        var parsedOK = false
        do {
            _ = try timed(.theoryParse, index) { try TheoryParser.parse(text, path: input.path) }
            count("theory files parsed")
            parsedOK = true
        } catch {
            count("theory files rejected by the parser")
            checkTheoryError(index, error, input: input, expectedFile: input.path, what: "TheoryParser.parse")
        }
        // Load through the file system, with imports, for every parsed file and a fifth of the rejected ones.
        var rng = FuzzRNG(seed: seed, index: UInt64(index), stream: 3)
        guard parsedOK || rng.chance(0.2) else { return }
        let fm = FileManager.default
        let target = scratch + "/" + input.path
        let original = corpus.files.first { $0.path == input.path }?.text
        guard fm.createFile(atPath: target, contents: Data(input.bytes)) else {
            violation(index, "fuzzer could not write its scratch file", target)
            return
        }
        defer {
            if let original { _ = fm.createFile(atPath: target, contents: Data(original.utf8)) } else { try? fm.removeItem(atPath: target) }
        }
        count("theory loads")
        let theory: Theory
        do {
            theory = try timed(.theoryLoad, index) { try Theory.load(scratch + "/" + root, from: .fileSystem) }
            count("theory loads accepted")
        } catch {
            count("theory loads rejected")
            checkTheoryError(index, error, input: input, expectedFile: target, what: "Theory.load(\(root))")
            return
        }
        if rng.chance(checkRate) {
            count("checker runs")
            let reports = timed(.theoryCheck, index) { Checker(theory: theory).checkAll() }
            count("proof steps checked", reports.reduce(0) { $0 + $1.steps.count })
            for report in reports {
                for step in report.steps where step.location.line < 1 || step.location.column < 1 {
                    violation(index, "checker verdict without a position", "\(report.lemma): \(step.message)")
                }
            }
        }
        if rng.chance(composeRate) {
            count("composer runs")
            timed(.theoryCompose, index) { _ = try? Composer(theory: theory).composeAll() }
        }
    }

    // MARK: Report

    func printSummary() {
        for (k, v) in stats.sorted(by: { $0.key < $1.key }) { print("STAT\t\(k)\t\(v)") }
        print("TIMING\tinput\t\(inputTiming.line)")
        print("TIMING\tinput (wall clock)\t\(inputWall.line)")
        for (stage, t) in timings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { print("TIMING\t\(stage.rawValue)\t\(t.line)") }
        for (k, v) in violationCounts { print("VCOUNT\t\(k)\t\(v)") }
        for (i, k, d) in violations { print("VIOLATION\t\(i)\t\(k)\t\(d.escapedForReport)") }
        for (k, v) in exampleCounts { print("ECOUNT\t\(k)\t\(v)") }
        for (i, k, d) in examples { print("EXAMPLE\t\(i)\t\(k)\t\(d.escapedForReport)") }
    }
}
