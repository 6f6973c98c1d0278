import GroupTheory
import XCTest

final class JSONTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    private func assertError(
        _ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try JSONValue(parsing: text), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testScalars() throws {
        XCTAssertEqual(try parse("null").kind, .null)
        XCTAssertEqual(try parse(" true ").kind, .bool(true))
        XCTAssertEqual(try parse("false").kind, .bool(false))
        XCTAssertEqual(try parse("\"\"").kind, .string(""))
        XCTAssertEqual(try parse("\t\r\n 42 \n").intValue, 42)
    }

    func testNumbersKeepTheirText() throws {
        for literal in ["0", "-0", "12", "-7", "0.5", "-0.25", "1e3", "1E+3", "2.5e-3", "123456789012345678901234567890"] {
            XCTAssertEqual(try parse(literal).numberText, literal, literal)
        }
        XCTAssertTrue(try parse("-12").isIntegerLiteral)
        XCTAssertFalse(try parse("1.0").isIntegerLiteral)
        XCTAssertFalse(try parse("1e2").isIntegerLiteral)
        XCTAssertEqual(try parse("2.5e-3").doubleValue, 0.0025)
        XCTAssertEqual(try parse("-0.5").doubleValue, -0.5)
        XCTAssertNil(try parse("123456789012345678901234567890").intValue)
    }

    func testStringEscapes() throws {
        let text = #""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u20AC\uD83D\uDE00""#
        XCTAssertEqual(try parse(text).stringValue, "a\"b\\c/d\u{8}e\u{C}f\ng\rh\tiAé€😀")
        // Raw non-ASCII passes through unchanged.
        XCTAssertEqual(try parse("\"φ ± 😀\"").stringValue, "φ ± 😀")
    }

    func testNestingAndKeyOrder() throws {
        let v = try parse("{\"z\": 1, \"a\": [1, [2, {\"x\": []}], {}], \"m\": {\"q\": null, \"b\": true}}")
        XCTAssertEqual(v.members.map(\.key), ["z", "a", "m"])
        XCTAssertEqual(v["m"]?.members.map(\.key), ["q", "b"])
        XCTAssertEqual(v["a"]?.arrayValue?.count, 3)
        XCTAssertEqual(v["a"]?.arrayValue?[1].arrayValue?[1]["x"]?.arrayValue, [])
        XCTAssertNil(v["missing"])
    }

    func testDuplicateKeysAreKeptInOrder() throws {
        let v = try parse("{\"k\": 1, \"k\": 2}")
        XCTAssertEqual(v.members.map(\.key), ["k", "k"])
        XCTAssertEqual(v["k"]?.intValue, 1)
    }

    func testLinesAndColumns() throws {
        let v = try parse("{\n  \"a\": 1,\r\n  \"b\": [\n    true,\n  \"é\", 3]\n}")
        XCTAssertEqual(v.line, 1)
        XCTAssertEqual(v.members[0].line, 2)
        XCTAssertEqual(v.members[0].column, 3)
        XCTAssertEqual(v["a"]?.line, 2)
        XCTAssertEqual(v["a"]?.column, 8)
        XCTAssertEqual(v["b"]?.line, 3)
        let b = v["b"]!.arrayValue!
        XCTAssertEqual(b[0].line, 4)
        XCTAssertEqual(b[1].line, 5)
        XCTAssertEqual(b[2].column, 8)  // columns count characters, not bytes
    }

    func testByteOrderMarkIsIgnored() throws {
        XCTAssertEqual(try parse("\u{FEFF}[1]").arrayValue?.count, 1)
    }

    func testSyntaxErrorsNameLineColumnAndExpectation() {
        assertError("", "line 1, column 1: expected a JSON value, found the end of the text")
        assertError("{\"a\": 1\n \"b\": 2}", "line 2, column 2: expected ',' or '}' after an object member, found '\"'")
        assertError("[1, 2,]", "line 1, column 7: expected a value after ',' in an array, found ']' (trailing commas are not JSON)")
        assertError("{\"a\" 1}", "line 1, column 6: expected ':' after the key \"a\", found '1'")
        assertError("{a: 1}", "line 1, column 2: expected a string key or '}' in an object, found 'a'")
        assertError("{\"a\": 1,}", "line 1, column 9: expected a string key after ',' in an object, found '}'")
        assertError("[01]", "line 1, column 3: leading zeros are not allowed in JSON numbers")
        assertError("[1.]", "line 1, column 4: expected a digit after the decimal point, found ']'")
        assertError("-", "line 1, column 2: expected a digit after '-', found the end of the text")
        assertError("1e+", "line 1, column 4: expected a digit in the exponent, found the end of the text")
        assertError("[+1]", "line 1, column 2: expected a JSON value (object, array, string, number, true, false or null), found '+'")
        assertError("tru", "line 1, column 1: invalid literal: expected 'true'")
        assertError("nullx", "line 1, column 1: invalid literal: expected 'null'")
        assertError("\"abc", "line 1, column 5: unterminated string: expected '\"' before the end of the text")
        assertError("\"a\nb\"", "line 1, column 3: a line break in a string: control characters must be escaped (e.g. \\n, \\t, \\u0001)")
        assertError(#""\x""#, #"line 1, column 2: invalid escape '\x': expected one of \" \\ \/ \b \f \n \r \t \uXXXX"#)
        assertError(#""\u12G4""#, "line 1, column 6: invalid \\u escape: expected 4 hexadecimal digits, found 'G'")
        assertError(#""\uD83D""#, "line 1, column 2: unpaired surrogate \\uD83D: expected a low surrogate \\uDC00-\\uDFFF next")
        assertError(#""\uD83D\u0041""#, "line 1, column 2: unpaired surrogate \\uD83D: \\u0041 is not a low surrogate")
        assertError(#""\uDE00""#, "line 1, column 2: unpaired surrogate \\uDE00: a low surrogate must follow a high one")
        assertError("[1] [2]", "line 1, column 5: expected the end of the text after the top-level value, found '['")
        assertError("[1 2]", "line 1, column 4: expected ',' or ']' after an array element, found '2'")
        assertError("{\"a\":\n\n   }", "line 3, column 4: expected a JSON value (object, array, string, number, true, false or null), found '}'")
    }

    func testDepthLimitStopsHostileNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        assertError(deep, "line 1, column 257: arrays and objects nested more than 256 deep; flatten the data")
        XCTAssertNoThrow(try JSONValue(parsing: String(repeating: "[", count: 256) + String(repeating: "]", count: 256)))
        XCTAssertThrowsError(try JSONValue(parsing: "[[[1]]]", maxDepth: 2))
    }
}
