import ArchSynth
import GroupTheory
import XCTest

final class GroupResolverTests: XCTestCase {
    func testFamiliesProductsAndCatalogNames() throws {
        let resolver = GroupResolver()
        XCTAssertEqual(try resolver.resolve("dihedral:4 x cyclic:2").order, 16)
        XCTAssertEqual(try resolver.resolve("cyclic:2 × cyclic:3 x cyclic:5").order, 30)
        XCTAssertEqual(try resolver.resolve("m11").order, 7920)  // catalog names match case-insensitively
        XCTAssertEqual(try resolver.resolve("symmetric:3 x M11").order, 47520)
    }

    /// "cyclic:2 x" was reported as 'unknown group ""'.
    func testProductsWithAnEmptyFactorSaySo() {
        for text in ["cyclic:2 x", " x cyclic:2", "cyclic:2 x x cyclic:3", "cyclic:2 ×"] {
            XCTAssertThrowsError(try GroupResolver().resolve(text)) { error in
                XCTAssertTrue("\(error)".contains("has an empty factor"), "\(text): \(error)")
            }
        }
        XCTAssertEqual(try GroupResolver().resolve("cyclic:2 × cyclic:3").order, 6)
    }

    func testUnknownNamesListTheCatalog() {
        XCTAssertThrowsError(try GroupResolver().resolve("M13")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("unknown group \"M13\""), text)
            XCTAssertTrue(text.contains("M11, M12"), text)
        }
        XCTAssertThrowsError(try GroupResolver().resolve("missing/spec.json")) { error in
            XCTAssertEqual("\(error)", "no spec file at missing/spec.json")
        }
    }
}
