import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// `verify FILE.swift` must fail files it once passed (issue 12): a second type appended
/// to a good file (found by compiling, not by header lines), a `groupOrder` that the generator
/// actions contradict, and a table changed by 1e-10 relative in a layer whose basis is exact.
final class VerifyFileChecksTests: XCTestCase {
    func d4PlaneSource(name: String) throws -> String {
        try TestBases.emitter("D4", "plane", "plane", name: name).source()
    }

    func testEditedFilesFail() throws {
        let directory = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try d4PlaneSource(name: "Plane")
        XCTAssertTrue(good.contains("public static let groupOrder = \"8\""))

        // groupOrder 9999: the actions generate 8 elements, which does not divide 9999.
        let wrongOrder = directory.appendingPathComponent("WrongOrder.swift")
        try good.replacingOccurrences(of: "public static let groupOrder = \"8\"", with: "public static let groupOrder = \"9999\"")
            .write(to: wrongOrder, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try VerificationHarness().verify(files: [wrongOrder])) { error in
            XCTAssertTrue("\(error)".contains("generate 8 elements, which does not divide groupOrder 9999"), "\(error)")
        }

        // A sign of the input action changed by 1e-10: below the old 1e-9 threshold, above
        // the 1e-12 of an exact (monomial) basis. Also a second, good type in the same file.
        guard let range = good.range(of: "static let inputSigns: [Double] = [") else { return XCTFail("no inputSigns table") }
        let tail = good[range.upperBound...]
        guard let one = tail.range(of: "1,") else { return XCTFail("no sign 1 in inputSigns") }
        let nudged = good.replacingCharacters(in: one, with: "1.0000000001,") + "\n" + (try d4PlaneSource(name: "Other"))
        let nudgedURL = directory.appendingPathComponent("Nudged.swift")
        try nudged.write(to: nudgedURL, atomically: true, encoding: .utf8)
        let reports = try VerificationHarness().verify(files: [nudgedURL])
        XCTAssertEqual(reports.count, 2, "both types are checked")
        XCTAssertEqual(reports[0].doubleThreshold, VerificationHarness.exactDoubleThreshold)
        let worst = reports[0].results.map(\.worst).max() ?? 0
        XCTAssertGreaterThan(worst, 1e-12, reports[0].text)
        XCTAssertLessThan(worst, 1e-9, reports[0].text)
        XCTAssertFalse(reports[0].passed, reports[0].text)
        XCTAssertTrue(reports[1].passed, reports[1].text)
        XCTAssertEqual(reports[1].elementCount, 8)
    }
}
