import XCTest
import GroupTheory

final class BigUIntTests: XCTestCase {
    func testFactorialMatchesKnownDigits() {
        // 25! = 15511210043330985984000000 (OEIS A000142).
        XCTAssertEqual(BigUInt.factorial(25).description, "15511210043330985984000000")
        XCTAssertEqual(BigUInt.factorial(0), 1)
        XCTAssertEqual(BigUInt.factorial(20).intValue, 2_432_902_008_176_640_000)
    }

    func testArithmeticIdentities() {
        let a = BigUInt(decimal: "123456789012345678901234567890")!
        let b = BigUInt(decimal: "987654321098765432109876543210")!
        XCTAssertEqual((a * b).description, "121932631137021795226185032733622923332237463801111263526900")
        XCTAssertEqual((a + b - b), a)
        XCTAssertTrue(a < b)
        var c = a * b
        XCTAssertEqual(c.divide(bySmall: 10), 0)
        XCTAssertNil(BigUInt(decimal: "12a"))
    }
}
