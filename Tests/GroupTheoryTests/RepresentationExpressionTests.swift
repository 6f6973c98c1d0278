import GroupTheory
import XCTest

final class RepresentationExpressionTests: XCTestCase {
    func testPrecedenceAndPrinting() throws {
        let e = try RepresentationExpression(parsing: "3*V + sym2(W)^2*dual(V)")
        XCTAssertEqual(
            e, .sum(.tensor(.trivial(3), .named("V")), .tensor(.power(.sym2(.named("W")), 2), .dual(.named("V")))))
        XCTAssertEqual(e.description, "3*V + sym2(W)^2*dual(V)")
        XCTAssertEqual(try RepresentationExpression(parsing: e.description), e)
        XCTAssertEqual(try RepresentationExpression(parsing: "(a+b)*c").description, "(a + b)*c")
        XCTAssertEqual(e.referencedNames, ["V", "W"])
    }

    func testSummandsCollectMultiplicities() throws {
        let e = try RepresentationExpression(parsing: "2*V + W + V + 3 + trivial")
        let s = e.summands
        XCTAssertEqual(s.map(\.expression), [.named("V"), .named("W"), .trivial(1), .named("trivial")])
        XCTAssertEqual(s.map(\.multiplicity), [3, 1, 3, 1])
    }

    func testErrorsNameThePosition() {
        func message(_ text: String) -> String {
            do { _ = try RepresentationExpression(parsing: text); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(
            message("V +"),
            "cannot read representation expression \"V +\": found the end at position 3, expected a representation name, an integer or \"(\"")
        XCTAssertEqual(
            message("(V * W"),
            "cannot read representation expression \"(V * W\": found the end at position 6, expected \")\"")
        XCTAssertEqual(
            message("V^x"), "bad exponent x at position 2 in \"V^x\": a tensor power needs an integer from 0 to 64")
        XCTAssertEqual(
            message("V W"),
            "cannot read representation expression \"V W\": found \"W\" at position 2, expected an operator (+, *, ^) or the end")
        XCTAssertEqual(
            message("sym2 V"),
            "cannot read representation expression \"sym2 V\": found \"V\" at position 5, expected \"(\" after sym2")
    }

    func testUnknownNameAndSizeLimitAreReported() throws {
        let s4 = try FiniteGroup(spec: GroupSpec.builtin("symmetric:4")!)
        XCTAssertThrowsError(try s4.representation(parsing: "natural + vertices")) { error in
            XCTAssertEqual(
                "\(error)", "unknown representation \"vertices\"; this group has: natural, sign, trivial, regular")
        }
        // 4^20 ≈ 1.1e12 is refused before anything is allocated.
        XCTAssertThrowsError(try s4.representation(parsing: "natural^20")) { error in
            XCTAssertTrue("\(error)".contains("dimension 1099511627776, above the limit"), "\(error)")
        }
        XCTAssertEqual(try s4.dimension(of: RepresentationExpression(parsing: "sym2(natural^2) + 3*sign")), 139)
    }
}
