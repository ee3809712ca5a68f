import XCTest
@testable import Symbolic

/// "Did you mean": the edit distance, the thresholds, and the side table of names the parser keeps.
final class SuggestionsTests: XCTestCase {
    func distance(_ a: String, _ b: String) -> Int? { Suggestions.distance(Array(a), Array(b)) }

    func testOptimalStringAlignmentDistance() {
        XCTAssertEqual(distance("", ""), 0)
        XCTAssertEqual(distance("abc", ""), 3)
        XCTAssertEqual(distance("kitten", "sitting"), 3)
        XCTAssertEqual(distance("derive", "deriv"), 1)
        XCTAssertEqual(distance("--format", "--formt"), 1)
        XCTAssertEqual(distance("ab", "ba"), 1, "a swap of neighbours is one edit")
        XCTAssertEqual(distance("start", "strat"), 1)
        XCTAssertEqual(distance("ca", "abc"), 3, "optimal string alignment does not edit a swapped pair again")
        XCTAssertEqual(distance("β", "b"), 1, "characters, not bytes")
        XCTAssertNil(Suggestions.distance(Array("abcdef"), Array("uvwxyz"), atMost: 2))
        XCTAssertEqual(Suggestions.distance(Array("abcdef"), Array("abcdxy"), atMost: 2), 2)
    }

    func testClosestNames() {
        XCTAssertEqual(Suggestions.closest(to: "deriv", among: ["derive", "check", "eval"]), ["derive"])
        XCTAssertEqual(Suggestions.closest(to: "N_ef", among: ["N_eff", "N", "n"]), ["N_eff"])
        XCTAssertEqual(Suggestions.closest(to: "thetaa", among: ["theta", "beta", "eta"]), ["theta"])
        // Ties are all offered, alphabetically; the nearest distance wins over farther ones.
        XCTAssertEqual(Suggestions.closest(to: "A33", among: ["A3", "A4", "A1"]), ["A3"])
        XCTAssertEqual(Suggestions.closest(to: "Pb", among: ["Pa", "Pc"]), [], "two characters: nothing is close enough")
        XCTAssertEqual(Suggestions.closest(to: "abcx", among: ["abcy", "abcz"]), ["abcy", "abcz"])
        // Case alone always qualifies, even for one letter; the name itself never does.
        XCTAssertEqual(Suggestions.closest(to: "m", among: ["M", "k"]), ["M"])
        XCTAssertEqual(Suggestions.closest(to: "x", among: ["x"]), [])
        // Nothing close: nothing offered.
        XCTAssertEqual(Suggestions.closest(to: "frobnicate", among: ["derive", "check", "simplify"]), [])
        XCTAssertEqual(Suggestions.closest(to: "zzz", among: ["beta", "d", "n"]), [])
        XCTAssertEqual(Suggestions.closest(to: "a_typo", among: ["a"]), [])
    }

    func testDidYouMeanSentences() {
        XCTAssertEqual(Suggestions.didYouMean("deriv", among: ["derive"]), "; did you mean 'derive'?")
        XCTAssertEqual(Suggestions.didYouMean("abcx", among: ["abcy", "abcz"]), "; did you mean 'abcy' or 'abcz'?")
        XCTAssertEqual(Suggestions.didYouMean("abcw", among: ["abcx", "abcy", "abcz"]), "; did you mean 'abcx', 'abcy' or 'abcz'?")
        XCTAssertEqual(Suggestions.didYouMean("qqqq", among: ["derive"]), "")
    }

    func testTheParserRecordsWhereNamesAreWritten() throws {
        var names: [NameOccurrence] = []
        let e = try Parser.parseExpression("log(Cover(δ)) + β*x^2 + e + pi", file: "f", line: 3, column: 5, recordingNamesInto: &names)
        XCTAssertEqual(e, try Parser.parseExpression("log(Cover(delta)) + beta*x^2 + e + pi"))
        XCTAssertEqual(names.map(\.name), ["Cover", "delta", "beta", "x"], "functions and the constants e, pi are not names")
        XCTAssertEqual(names.map(\.location.column), [9, 15, 21, 23], "columns in characters from column 5")
        XCTAssertEqual(names.map(\.isCall), [true, false, false, false])
        XCTAssertTrue(names.allSatisfy { $0.location.line == 3 && $0.location.file == "f" })
        var relationNames: [NameOccurrence] = []
        _ = try Parser.parseRelation("\tRisk <= N_eff", recordingNamesInto: &relationNames)
        XCTAssertEqual(relationNames.map { "\($0.name)@\($0.location.column)" }, ["Risk@2", "N_eff@10"])
        // A failed parse still throws the same located error.
        var ignored: [NameOccurrence] = []
        XCTAssertThrowsError(try Parser.parseExpression("a + ", recordingNamesInto: &ignored)) { error in
            XCTAssertEqual((error as? ParseError)?.location.column, 5)
        }
    }

    func testNameTokensStepOverWhatTheLexerRefuses() {
        let names = Parser.nameTokens(in: "k in [1, M] integer", line: 2, column: 7)
        XCTAssertEqual(names.map { "\($0.name)@\($0.location.column)" }, ["k@7", "in@9", "M@16", "integer@19"])
        XCTAssertEqual(Parser.nameTokens(in: "1e+ ? # α").map(\.name), ["alpha"])
        XCTAssertEqual(Parser.nameTokens(in: "").count, 0)
    }
}
