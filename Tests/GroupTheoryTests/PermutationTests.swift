import XCTest
import GroupTheory

final class PermutationTests: XCTestCase {
    func testCompositionIsMatrixOrder() throws {
        let p = try Permutation(cycles: "(0,1,2)", degree: 4)
        let q = try Permutation(cycles: "(2,3)", degree: 4)
        // (p*q)[i] = p[q[i]]: q first. 2 -> 3 -> 3, 3 -> 2 -> 0.
        XCTAssertEqual((p * q).images, [1, 2, 3, 0])
        XCTAssertEqual((p * q).description, "(0,1,2,3)")
        XCTAssertEqual(p.order, 3)
        XCTAssertTrue((p * p.inverse).isIdentity)
        XCTAssertEqual(p.power(-1), p.inverse)
    }

    func testBadInputIsNamed() {
        XCTAssertThrowsError(try Permutation(validating: [0, 0, 1])) { error in
            XCTAssertEqual("\(error)", "0 appears twice as an image: not a bijection")
        }
        XCTAssertThrowsError(try Permutation(validating: [0, 5]))
        XCTAssertThrowsError(try Permutation(cycles: "(0,1", degree: 3))
        XCTAssertThrowsError(try Permutation(cycles: "(0,1)(1,2)", degree: 3))
    }
}
