import Foundation
import GroupTheory
import XCTest

final class SpecParsingTests: XCTestCase {
    /// The example of DESIGN.md, "Group specs", line for line.
    static let d4 = """
        {
          "name": "D4",
          "description": "Symmetries of the square (order 8)",
          "generators": ["r", "s"],
          "relators": ["r^4", "s^2", "(s*r)^2"],
          "representations": {
            "vertices": { "permutation": { "r": [1, 2, 3, 0], "s": [0, 3, 2, 1] } },
            "plane":    { "matrix": { "r": [[0, -1], [1, 0]], "s": [[1, 0], [0, -1]] } },
            "sign":     { "matrix": { "r": [[1]], "s": [[-1]] } }
          }
        }
        """

    /// `d4` with one substring replaced (so line numbers stay predictable).
    private func d4(_ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertTrue(Self.d4.contains(old), "test fixture lacks \(old)", file: file, line: line)
        return Self.d4.replacingOccurrences(of: old, with: new)
    }

    private func assertSpecError(
        _ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try GroupSpec(json: text, origin: "D4.json"), file: file, line: line) { error in
            XCTAssertTrue(error is SpecError, file: file, line: line)
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    private func matrices(_ rep: RepresentationSpec) -> [[[ExactOrReal]]]? {
        if case let .matrix(m) = rep.images { return m.map(\.value) }
        return nil
    }

    private func permutations(_ rep: RepresentationSpec) -> [[Int]]? {
        if case let .permutation(p) = rep.images { return p.map(\.value) }
        return nil
    }

    private func spec(generators: String = #"["a", "b"]"#, representation: String) throws -> GroupSpec {
        try GroupSpec(
            json: """
                {"name": "G", "generators": \(generators),
                 "representations": {"rho": \(representation)}}
                """, origin: "G.json")
    }

    // MARK: Well-formed specs

    func testDesignExampleD4() throws {
        let spec = try GroupSpec(json: Self.d4, origin: "D4.json")
        XCTAssertEqual(spec.name, "D4")
        XCTAssertEqual(spec.description, "Symmetries of the square (order 8)")
        XCTAssertNil(spec.source)
        XCTAssertNil(spec.documentedOrder)
        XCTAssertNil(spec.defining)
        XCTAssertEqual(spec.origin, "D4.json")
        XCTAssertEqual(spec.generators, ["r", "s"])
        XCTAssertEqual(spec.relators?.map(\.value), ["r^4", "s^2", "(s*r)^2"])
        XCTAssertEqual(spec.relators?.map(\.location.line), [5, 5, 5])
        XCTAssertEqual(spec.relators?[2].location.keyPath, "relators[2]")
        XCTAssertEqual(spec.representations.map(\.name), ["vertices", "plane", "sign"])
        XCTAssertEqual(spec.representations.map(\.dimension), [4, 2, 1])
        XCTAssertEqual(spec.representations.map(\.location.line), [7, 8, 9])
        XCTAssertEqual(spec.representations[1].location.description, "D4.json:8 (representations.plane)")

        XCTAssertEqual(permutations(spec.representations[0]), [[1, 2, 3, 0], [0, 3, 2, 1]])
        XCTAssertEqual(
            matrices(spec.representations[1]),
            [[[.exact(0), .exact(-1)], [.exact(1), .exact(0)]], [[.exact(1), .exact(0)], [.exact(0), .exact(-1)]]])
        XCTAssertEqual(matrices(spec.representations[2]), [[[.exact(1)]], [[.exact(-1)]]])
        if case let .matrix(m) = spec.representations[1].images {
            XCTAssertEqual(m[1].location.keyPath, "representations.plane.matrix.s")
        }
        XCTAssertNil(spec.representations[0].labels)
    }

    func testRepresentationOrderIsFileOrderNotAlphabetical() throws {
        let spec = try GroupSpec(
            json: """
                {"name": "C2", "generators": ["g"], "representations": {
                  "zeta": {"matrix": {"g": [[-1]]}},
                  "alpha": {"permutation": {"g": [1, 0]}},
                  "mid": {"matrix": {"g": [[1]]}}}}
                """, origin: "C2.json")
        XCTAssertEqual(spec.representations.map(\.name), ["zeta", "alpha", "mid"])
        XCTAssertNil(spec.relators)
    }

    func testOptionalKeysAndRelationsMergedInFileOrder() throws {
        let spec = try GroupSpec(
            json: """
                {
                  "name": "Q8",
                  "source": "Dummit & Foote",
                  "order": "8",
                  "relations": ["i^2 = j^2"],
                  "generators": ["i", "j"],
                  "relators": ["i^4"],
                  "defining": "q",
                  "representations": {"q": {"permutation": {"i": "(0,1,2,3)", "j": "(0,2)"}}}
                }
                """, origin: "Q8.json")
        XCTAssertEqual(spec.source, "Dummit & Foote")
        XCTAssertEqual(spec.documentedOrder, "8")
        XCTAssertEqual(spec.relators?.map(\.value), ["i^2 = j^2", "i^4"])
        XCTAssertEqual(spec.relators?.map(\.location.keyPath), ["relations[0]", "relators[0]"])
        XCTAssertEqual(spec.defining, "q")
        let big = try GroupSpec(
            json: #"{"name": "M", "order": 808017424794512875886459904961710757005754368000000000, "generators": ["a"], "relators": [], "representations": {}}"#,
            origin: "M.json")
        XCTAssertEqual(big.documentedOrder, "808017424794512875886459904961710757005754368000000000")
        XCTAssertEqual(big.relators?.count, 0)
        // Leading zeros are a typo, refused as JSON refuses them in numbers (issue 12).
        XCTAssertThrowsError(try GroupSpec(
            json: #"{"name": "Q", "order": "0008", "generators": ["a"], "representations": {}}"#, origin: "Q.json")) { error in
            XCTAssertTrue("\(error)".contains("order \"0008\" has leading zeros"), "\(error)")
        }
    }

    func testCycleNotation() throws {
        // Degree = largest point + 1 when every image is a cycle string.
        var s = try spec(representation: #"{"permutation": {"a": "(0,1,2)", "b": "(3, 4)"}}"#)
        XCTAssertEqual(permutations(s.representations[0]), [[1, 2, 0, 3, 4], [0, 1, 2, 4, 3]])
        // An explicit degree adds fixed points.
        s = try spec(representation: #"{"permutation": {"a": "(0,1)", "b": "()"}, "degree": 4}"#)
        XCTAssertEqual(permutations(s.representations[0]), [[1, 0, 2, 3], [0, 1, 2, 3]])
        // An image list fixes the degree for the cycle strings.
        s = try spec(representation: #"{"permutation": {"a": "(0,2)(1,3)", "b": [0, 1, 2, 3, 4, 5]}}"#)
        XCTAssertEqual(permutations(s.representations[0]), [[2, 3, 0, 1, 4, 5], [0, 1, 2, 3, 4, 5]])
        XCTAssertThrowsError(try spec(representation: #"{"permutation": {"a": "(0,6)", "b": [0, 1, 2]}}"#)) {
            XCTAssertEqual(
                "\($0)",
                "not a permutation in G.json:2 (representations.rho.permutation.a): point 6 is sent to 6, outside 0..<3: "
                    + "not a permutation of 3 points; every point must be the image of exactly one point")
        }
        XCTAssertThrowsError(try spec(representation: #"{"permutation": {"a": "()", "b": "()"}}"#)) {
            XCTAssertEqual(
                "\($0)",
                "every image is the identity \"()\", so the degree is unknown in G.json:2 "
                    + "(representations.rho.permutation); add \"degree\": n to the representation")
        }
        XCTAssertThrowsError(try spec(representation: #"{"permutation": {"a": "(0,1)(1,2)", "b": "()"}}"#)) {
            XCTAssertEqual(
                "\($0)",
                "not a permutation in G.json:2 (representations.rho.permutation.a): 1 appears twice as an image: "
                    + "not a bijection; every point must be the image of exactly one point")
        }
        XCTAssertThrowsError(try spec(representation: #"{"permutation": {"a": [1, 0], "b": [0, 1]}, "degree": 3}"#)) {
            XCTAssertEqual(
                "\($0)",
                "the image of \"a\" has 2 points but \"degree\" is 3 in G.json:2 (representations.rho.permutation.a); "
                    + "make them agree")
        }
    }

    func testLabels() throws {
        let s = try spec(
            representation: #"{"permutation": {"a": "(0,1)", "b": "()"}, "degree": 3, "labels": ["Alice", "Bob", "the"]}"#)
        XCTAssertEqual(s.representations[0].labels, ["Alice", "Bob", "the"])
        XCTAssertThrowsError(try spec(representation: #"{"permutation": {"a": "(0,1)", "b": "()"}, "labels": ["x"]}"#)) {
            XCTAssertEqual(
                "\($0)",
                "1 labels for dimension 2 in G.json:2 (representations.rho.labels); give one label per point or coordinate")
        }
    }

    func testSignedPermutations() throws {
        let s = try spec(
            representation: """
                {"signedPermutation": {"a": {"images": [1, 0, 2], "signs": [1, -1, 1]},
                                       "b": {"signs": [-1, -1, -1], "images": [0, 1, 2]}}}
                """)
        guard case let .signedPermutation(p) = s.representations[0].images else { return XCTFail("kind") }
        XCTAssertEqual(p.map(\.value.images), [[1, 0, 2], [0, 1, 2]])
        XCTAssertEqual(p.map(\.value.signs), [[1, -1, 1], [-1, -1, -1]])
        XCTAssertEqual(s.representations[0].dimension, 3)
        XCTAssertThrowsError(
            try spec(representation: #"{"signedPermutation": {"a": {"images": [1, 0], "signs": [1, 2]}, "b": {"images": [0, 1], "signs": [1, 1]}}}"#)
        ) {
            XCTAssertEqual(
                "\($0)",
                "sign 2 is not 1 or -1 in G.json:2 (representations.rho.signedPermutation.a.signs[1]); signs must be 1 or -1")
        }
        XCTAssertThrowsError(
            try spec(representation: #"{"signedPermutation": {"a": {"images": [1, 0], "signs": [1]}, "b": {"images": [0, 1], "signs": [1, 1]}}}"#)
        ) {
            XCTAssertEqual(
                "\($0)",
                "1 signs for 2 images in G.json:2 (representations.rho.signedPermutation.a.signs); give one sign per point")
        }
        XCTAssertThrowsError(
            try spec(representation: #"{"signedPermutation": {"a": {"images": [1, 0]}, "b": {"images": [0, 1], "signs": [1, 1]}}}"#)
        ) {
            XCTAssertEqual(
                "\($0)",
                "missing key \"signs\" in G.json:2 (representations.rho.signedPermutation.a); add \"signs\": [1, -1, ...], one per point")
        }
    }

    func testExactAndRealEntries() throws {
        let s = try spec(
            generators: #"["a"]"#,
            representation: """
                {"matrix": {"a": [[1, -3, 0.5, 2e0],
                                  ["1/2", "-3", "0.5", "sqrt(4)"],
                                  ["2*3 - 1/2", "-(1/3)", "sqrt(1/4)", "1e-3"],
                                  ["sqrt(5)/4", "-sqrt(3)/2", "(1+sqrt(5))/4", " 7 / 14 "]]}}
                """)
        let m = try XCTUnwrap(matrices(s.representations[0]))[0]
        XCTAssertEqual(m[0], [.exact(1), .exact(-3), .real(0.5), .real(2)])
        XCTAssertEqual(m[1], [.exact(Rational(1, 2)), .exact(-3), .real(0.5), .exact(2)])
        XCTAssertEqual(m[2], [.exact(Rational(11, 2)), .exact(Rational(-1, 3)), .exact(Rational(1, 2)), .real(0.001)])
        XCTAssertEqual(m[3][3], .exact(Rational(1, 2)))
        guard case .real = m[3][0], case .real = m[3][1], case .real = m[3][2] else { return XCTFail("sqrt is real") }
    }

    func testSquareRootExpressions() throws {
        let cases: [(String, Double)] = [
            ("sqrt(5)/4", 0.5590169943749474241),
            ("-sqrt(3)/2", -0.8660254037844386468),
            ("(1+sqrt(5))/4", 0.8090169943749474241),
            ("(sqrt(5)-1)/4", 0.3090169943749474241),
            ("-(1+sqrt(5))/4", -0.8090169943749474241),
            ("sqrt(2)*sqrt(2)", 2),
            ("1/sqrt(2)", 0.7071067811865475244),
            ("sqrt(3/4)", 0.8660254037844386468),
            ("((2))*(0.25 + 1/4)", 1),
        ]
        for (text, value) in cases {
            let entry = try ExactOrReal(parsing: text)
            XCTAssertEqual(entry.doubleValue, value, accuracy: 1e-15, text)
        }
        XCTAssertEqual(try ExactOrReal(parsing: "1/2"), .exact(Rational(1, 2)))
        for (bad, message) in [
            ("sqrt(5", "expected ')' at character 6"),
            ("1/0", "division by zero at character 1"),
            ("sqrt(-2)", "square root of a negative number at character 0"),
            ("2 x", "unexpected 'x' at character 2"),
            ("", "empty expression at character 0"),
            ("pi/2", "unknown name \"pi\" (only sqrt is known) at character 0"),
            ("99999999999999999999", "99999999999999999999 is too large for exact arithmetic (write it as a decimal to use floating point) at character 0"),
            ("3037000500*3037000500", "the exact value overflows 64-bit fractions (write decimals to use floating point) at character 10"),
        ] {
            XCTAssertThrowsError(try ExactOrReal(parsing: bad), bad) { XCTAssertEqual("\($0)", message, bad) }
        }
    }

    // MARK: Bad input (DESIGN.md, "Bad input"): each names file, line and key path

    func testUnknownGeneratorInRepresentation() {
        assertSpecError(
            d4(#""s": [[1, 0], [0, -1]]"#, #""t": [[1, 0], [0, -1]]"#),
            "unknown generator \"t\" in D4.json:8 (representations.plane.matrix.t); the generators are r, s")
        assertSpecError(
            d4(#""s": [[-1]]"#, #""ss": [[-1]]"#),
            "unknown generator \"ss\" in D4.json:9 (representations.sign.matrix.ss); did you mean \"s\"? the generators are r, s")
    }

    func testMissingImage() {
        assertSpecError(
            d4(#", "s": [[-1]]"#, ""),
            "representation \"sign\" has no image for generator \"s\" in D4.json:9 (representations.sign.matrix); "
                + "give one image for each generator (r, s)")
    }

    func testNonBijectivePermutation() {
        assertSpecError(
            d4("[1, 2, 3, 0]", "[1, 2, 2, 0]"),
            "not a permutation in D4.json:7 (representations.vertices.permutation.r): 2 appears twice as an image: "
                + "not a bijection; every point must be the image of exactly one point")
        assertSpecError(
            d4("[1, 2, 3, 0]", "[1, 2, 3, 4]"),
            "not a permutation in D4.json:7 (representations.vertices.permutation.r): point 3 is sent to 4, outside 0..<4: "
                + "not a permutation of 4 points; every point must be the image of exactly one point")
        assertSpecError(
            d4("[0, 3, 2, 1]", "[0, 2, 1]"),
            "the image of \"s\" has size 3 but the image of \"r\" has size 4 in D4.json:7 "
                + "(representations.vertices.permutation.s); all images of one representation must have the same size")
        assertSpecError(
            d4("[1, 2, 3, 0]", "[1, 2, 3, 0.5]"),
            "expected a 0-based point (an integer) in D4.json:7 (representations.vertices.permutation.r[3]), found 0.5")
    }

    func testWrongSizeAndRaggedMatrices() {
        assertSpecError(
            d4("[[1, 0], [0, -1]]", "[[1, 0, 0], [0, -1, 0], [0, 0, 1]]"),
            "the image of \"s\" has size 3 but the image of \"r\" has size 2 in D4.json:8 "
                + "(representations.plane.matrix.s); all images of one representation must have the same size")
        assertSpecError(
            d4("[[0, -1], [1, 0]]", "[[0, -1, 0], [1, 0, 0]]"),
            "the matrix of \"r\" is 2×3, not square in D4.json:8 (representations.plane.matrix.r); "
                + "representation matrices are square")
        assertSpecError(
            d4("[[0, -1], [1, 0]]", "[[0, -1], [1]]"),
            "row 1 has 1 entry but row 0 has 2 in D4.json:8 (representations.plane.matrix.r[1]); "
                + "every row needs the same length")
        assertSpecError(
            d4("[[0, -1], [1, 0]]", "[]"),
            "the matrix of \"r\" has no rows in D4.json:8 (representations.plane.matrix.r); write it as [[...], ...]")
        assertSpecError(
            d4("[[0, -1], [1, 0]]", #"[[0, -1], [1, "sqrt(5"]]"#),
            "cannot read matrix entry \"sqrt(5\" in D4.json:8 (representations.plane.matrix.r[1][1]): expected ')' at "
                + "character 6; write an integer, a fraction \"1/2\", a decimal or an expression such as \"(1+sqrt(5))/4\"")
        assertSpecError(
            d4("[[0, -1], [1, 0]]", "[[0, -1], [1, true]]"),
            "expected a matrix entry (a number or a string such as \"1/2\" or \"sqrt(3)/2\") in D4.json:8 "
                + "(representations.plane.matrix.r[1][1]), found true")
    }

    func testUnknownRepresentationInDefining() {
        assertSpecError(
            d4(#""relators": ["r^4", "s^2", "(s*r)^2"],"#, #""defining": "plan","#),
            "unknown representation \"plan\" in D4.json:5 (defining); did you mean \"plane\"? "
                + "the representations are vertices, plane, sign")
    }

    func testUnknownKeysSuggestTheClosest() {
        assertSpecError(
            d4(#""relators":"#, #""relator":"#), "unknown key \"relator\" in D4.json:5; did you mean \"relators\"?")
        assertSpecError(
            d4(#""description":"#, #""Description":"#), "unknown key \"Description\" in D4.json:3; did you mean \"description\"?")
        assertSpecError(
            d4(#"{ "matrix": { "r": [[1]]"#, #"{ "matrx": { "r": [[1]]"#),
            "unknown key \"matrx\" in D4.json:9 (representations.sign); did you mean \"matrix\"?")
        assertSpecError(
            d4(#""description":"#, #""comment":"#),
            "unknown key \"comment\" in D4.json:3; the allowed keys are name, description, source, order, generators, "
                + "relators, relations, defining, representations")
    }

    func testMissingNameAndGenerators() {
        assertSpecError(d4(#""name": "D4","#, ""), "missing key \"name\" in D4.json:1; add \"name\": \"...\" with the group's name")
        assertSpecError(
            d4(#""generators": ["r", "s"],"#, ""),
            "missing key \"generators\" in D4.json:1; add \"generators\": [\"a\", \"b\"] listing the generator names")
        assertSpecError(
            d4(#"["r", "s"]"#, "[]"), "\"generators\" is empty in D4.json:4 (generators); list at least one generator name")
        assertSpecError(d4(#""name": "D4""#, #""name": 4"#), "expected a string in D4.json:2 (name), found a number")
    }

    func testDuplicateGeneratorAndBadNames() {
        assertSpecError(
            d4(#"["r", "s"]"#, #"["r", "s", "r"]"#),
            "generator \"r\" is listed twice in D4.json:4 (generators[2]); generator names must be unique")
        assertSpecError(
            d4(#"["r", "s"]"#, #"["r", "2s"]"#),
            "generator name \"2s\" in D4.json:4 (generators[1]) is not an identifier; use letters, digits and _, "
                + "not starting with a digit")
        assertSpecError(
            d4(#""sign":"#, #""trivial":"#),
            "representation name \"trivial\" in D4.json:9 (representations.trivial) is reserved (built-in representations "
                + "and expression functions: trivial, regular, dual, sym2, alt2, field); choose another name")
        assertSpecError(
            d4(#""sign":     { "matrix""#, #""plane": { "matrix""#),
            "duplicate key \"plane\" in D4.json:9 (representations); each key may appear only once")
    }

    func testRepresentationKindAndRelations() {
        assertSpecError(
            d4(#"{ "matrix": { "r": [[1]]"#, #"{ "matrix": {}, "permutation": { "r": [[1]]"#),
            "representation \"sign\" has \"matrix\" and \"permutation\" in D4.json:9 (representations.sign); "
                + "give exactly one of \"permutation\", \"signedPermutation\", \"matrix\"")
        assertSpecError(
            d4(#""relators": ["r^4", "s^2", "(s*r)^2"]"#, #""relations": ["r^4 = 1", "s^2"]"#),
            "relation \"s^2\" is not of the form \"u = v\" in D4.json:5 (relations[1]); write it as u = v, "
                + "or list it under \"relators\"")
    }

    func testSyntaxErrorsNameTheFile() {
        assertSpecError(
            d4(#""generators": ["r", "s"],"#, #""generators": ["r", "s"]"#),
            "invalid JSON in D4.json:5:3: expected ',' or '}' after an object member, found '\"'")
        assertSpecError("[1]", "expected a JSON object (the group spec) in D4.json:1, found an array")
    }

    // MARK: The catalog

    func testEveryCatalogFileParses() throws {
        let catalogs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("catalogs")
        let files = try FileManager.default.contentsOfDirectory(atPath: catalogs.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertTrue(
            Set(["klein4.json", "Q8.json", "dicyclic12.json", "A4.json", "S4.json", "A5.json", "Oh.json",
                 "PSL27.json", "names.json"]).isSubset(of: Set(files)), "\(files)")
        for file in files {
            let text = try String(contentsOf: catalogs.appendingPathComponent(file), encoding: .utf8)
            do {
                let spec = try GroupSpec(json: text, origin: file)
                XCTAssertNotNil(spec.documentedOrder, file)
                XCTAssertNotNil(spec.source, file)
                XCTAssertFalse(spec.description.isEmpty, file)
                XCTAssertFalse(spec.representations.isEmpty, file)
                XCTAssertEqual(spec.name + ".json", file)
            } catch {
                XCTFail("\(error)")
            }
        }
    }

    func testCatalogContents() throws {
        let catalogs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("catalogs")
        func load(_ name: String) throws -> GroupSpec {
            try GroupSpec(
                json: String(contentsOf: catalogs.appendingPathComponent(name + ".json"), encoding: .utf8), origin: name)
        }
        let names = try load("names")
        XCTAssertEqual(names.representations[0].labels?.count, 8)
        XCTAssertEqual(names.representations.map(\.dimension), [8, 3, 1])
        let a5 = try load("A5")
        XCTAssertEqual(a5.documentedOrder, "60")
        XCTAssertEqual(a5.representations.map(\.dimension), [3, 12])
        let oh = try load("Oh")
        XCTAssertEqual(oh.representations.map(\.name), ["signed", "rotoreflection", "determinant"])
        let psl = try load("PSL27")
        XCTAssertEqual(psl.representations.map(\.dimension), [7, 8])
        XCTAssertEqual(psl.relators?.map(\.value), ["a^2", "b^3", "(a*b)^7", "[a,b]^4"])
    }
}
