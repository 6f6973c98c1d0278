import XCTest
import GroupTheory

final class PresentationParsingTests: XCTestCase {
    func word(_ text: String, _ generators: [String] = ["a", "b"]) throws -> [Int32] {
        try Presentation.parseWord(text, generators: generators).letters
    }

    func assertMessage(
        generators: [String], relators: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try Presentation(generators: generators, relatorTexts: relators), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testProductsPowersAndIdentity() throws {
        XCTAssertEqual(try word("a b a^-1"), [1, 2, -1])
        XCTAssertEqual(try word("a*b*a^-1"), [1, 2, -1])
        XCTAssertEqual(try word("a^3"), [1, 1, 1])
        XCTAssertEqual(try word("(a*b)^-2"), [-2, -1, -2, -1])
        XCTAssertEqual(try word("(a b)^(-2)"), [-2, -1, -2, -1])
        XCTAssertEqual(try word("a ^ +2 b"), [1, 1, 2])
        XCTAssertEqual(try word("((a)^2 b)^2"), [1, 1, 2, 1, 1, 2])
        XCTAssertEqual(try word("1"), [])
        XCTAssertEqual(try word("1 * a * 1"), [1])
        XCTAssertEqual(try word("a^0"), [])
        XCTAssertEqual(try word("a a^-1 b"), [2], "words are freely reduced")
        XCTAssertEqual(try word("b^-1^-1"), [2])
    }

    func testCommutators() throws {
        XCTAssertEqual(try word("[a,b]"), [-1, -2, 1, 2])
        XCTAssertEqual(try word("[a, b]^2"), [-1, -2, 1, 2, -1, -2, 1, 2])
        // [ab, b] = (ab)⁻¹ b⁻¹ (ab) b = b⁻¹a⁻¹b⁻¹abb
        XCTAssertEqual(try word("[a*b, b]"), [-2, -1, -2, 1, 2, 2])
        // Left-normed: [a,b,a] = [[a,b],a] = [a,b]⁻¹ a⁻¹ [a,b] a
        XCTAssertEqual(try word("[a,b,a]"), try word("[[a,b],a]"))
        XCTAssertEqual(try word("[[a,b],a]"), [-2, -1, 2, -1, -2, 1, 2, 1])
    }

    func testRelationsAndNames() throws {
        let q8 = try Presentation(generators: ["i", "j"], relatorTexts: ["i^4", "i^2 = j^2", "j^-1 i j = i^-1"])
        XCTAssertEqual(q8.relators.map(\.letters), [[1, 1, 1, 1], [1, 1, -2, -2], [-2, 1, 2, 1]])
        XCTAssertEqual(q8.relatorTexts[1], "i^2 = j^2")
        XCTAssertEqual(q8.relators[1].formatted(names: q8.generators), "i^2*j^-2")

        let names = ["rot", "ref_1", "_x2"]
        XCTAssertEqual(try word("(ref_1 rot)^2 _x2^-1", names), [2, 1, 2, 1, -3])
        XCTAssertEqual(try Presentation(generators: [], relatorTexts: ["1"]).relators, [Word()])
        XCTAssertEqual(try Presentation(generators: ["a"], relatorTexts: ["a^2 = 1"]).relators, [Word([1, 1])])
    }

    func testUnknownGenerator() {
        assertMessage(
            generators: ["r", "s"], relators: ["r^4", "(s*t)^2"],
            "unknown generator \"t\" at position 4 in relator \"(s*t)^2\"; generators are r, s")
        assertMessage(
            generators: ["a", "b"], relators: ["abab"],
            "unknown generator \"abab\" at position 1 in relator \"abab\"; generators are a, b (write products with * or spaces, e.g. \"a*b*a*b\")")
        XCTAssertThrowsError(try Presentation.parseWord("a*c", generators: ["a", "b"])) { error in
            XCTAssertEqual("\(error)", "unknown generator \"c\" at position 3 in word \"a*c\"; generators are a, b")
            guard case let .unknownGenerator(name, location, _) = error as? PresentationError else {
                return XCTFail("wrong case \(error)")
            }
            XCTAssertEqual(name, "c")
            XCTAssertEqual(location, .init(text: "a*c", position: 3, relatorIndex: nil))
        }
    }

    func testUnbalancedParentheses() {
        assertMessage(
            generators: ["r", "s"], relators: ["(s*r^2"],
            "unbalanced parenthesis: \"(\" at position 1 in relator \"(s*r^2\" is never closed (expected \")\")")
        assertMessage(
            generators: ["r", "s"], relators: ["s*r)^2"],
            "unbalanced parenthesis: \")\" at position 4 in relator \"s*r)^2\" has no matching \"(\"")
        assertMessage(
            generators: ["a", "b"], relators: ["[a,b"],
            "unbalanced bracket: \"[\" at position 1 in relator \"[a,b\" is never closed (expected \"]\")")
        assertMessage(
            generators: ["a", "b"], relators: ["[a]"],
            "unexpected \"]\" at position 3 in relator \"[a]\": expected \",\": a commutator [u,v] has at least two entries")
    }

    func testBadExponents() {
        assertMessage(
            generators: ["r"], relators: ["r^x"],
            "bad exponent \"x\" at position 3 in relator \"r^x\": expected an integer such as 2 or -1 after \"^\"")
        assertMessage(
            generators: ["r"], relators: ["r^"],
            "missing exponent at position 3 in relator \"r^\": expected an integer such as 2 or -1 after \"^\"")
        assertMessage(
            generators: ["r"], relators: ["r^2r"],
            "bad exponent \"2r\" at position 3 in relator \"r^2r\": expected an integer such as 2 or -1 after \"^\"")
        assertMessage(
            generators: ["r"], relators: ["r^99999999999"],
            "exponent 99999999999 at position 3 in relator \"r^99999999999\" is too large: at most 1000000 in absolute value")
    }

    func testEmptyAndMalformedRelators() {
        assertMessage(
            generators: ["a"], relators: ["a^2", "  "],
            "relator at index 1 is empty: write a word in the generators (e.g. \"a*b^-1\"), or \"1\" for the identity")
        assertMessage(
            generators: ["a", "b"], relators: ["a*"],
            "unexpected end at position 3 in relator \"a*\": expected a generator, \"1\", \"(\" or \"[\" after \"*\"")
        assertMessage(
            generators: ["a", "b"], relators: ["a = "],
            "unexpected end at position 5 in relator \"a = \": expected a generator, \"1\", \"(\" or \"[\" after \"=\"")
        assertMessage(
            generators: ["a", "b"], relators: ["a = b = a"],
            "unexpected \"=\" at position 7 in relator \"a = b = a\": expected \"*\", \"^\", \"=\" or a generator")
        assertMessage(
            generators: ["a", "b"], relators: ["a 2"],
            "unexpected \"2\" at position 3 in relator \"a 2\": expected a generator, \"1\", \"(\" or \"[\" (powers are written a^2)")
        assertMessage(
            generators: ["a", "b"], relators: ["a,b"],
            "unexpected \",\" at position 2 in relator \"a,b\": expected \"*\", \"^\", \"=\" or a generator")
        XCTAssertThrowsError(try Presentation.parseWord("a = b", generators: ["a", "b"]))
        XCTAssertThrowsError(try Presentation.parseWord("", generators: ["a"]))
    }

    func testGeneratorNamesAreValidated() {
        assertMessage(
            generators: ["a", "b", "a"], relators: [],
            "generator \"a\" is listed more than once: generator names must be unique")
        assertMessage(
            generators: ["a", ""], relators: [],
            "generator at index 1 has an empty name: a name is a letter or underscore followed by letters, digits or underscores")
        assertMessage(
            generators: ["2x"], relators: [],
            "invalid generator name \"2x\": a name is a letter or underscore followed by letters, digits or underscores")
        for bad in ["a-b", "a b", "x'", "é"] {
            XCTAssertThrowsError(try Presentation(generators: [bad], relatorTexts: []), bad)
        }
    }

    func testLimitsOnExpansion() {
        // 1000^3 letters would be 10^9: refused instead of exhausting memory.
        XCTAssertThrowsError(try Presentation.parseWord("((a^1000)^1000)^1000", generators: ["a"])) { error in
            XCTAssertEqual("\(error)", "word \"((a^1000)^1000)^1000\" expands to more than 10000000 letters; write a shorter relator (a presentation with long relators is better given by permutations or matrices without relators)")
        }
    }
}
