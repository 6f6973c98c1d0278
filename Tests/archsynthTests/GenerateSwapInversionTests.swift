import Foundation
import XCTest

/// `archsynth generate template swap-inversion`: writes a file with the header and the
/// solver's layers; bad forms, shapes and two-step specs are usage errors (exit 64).
final class GenerateSwapInversionTests: XCTestCase {
    func testWritesFileAndRejectsBadArguments() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swapinv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("S.swift").path
        let ok = try CommandRunner.run(["generate", "template", "swap-inversion", "--form", "rigid:2", "--input", "5", "--hidden", "3", "--name", "S", "-o", file])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("// DO NOT EDIT."))
        XCTAssertTrue(text.contains("// Type: S\nimport ArchSynthRuntime\n"))
        XCTAssertTrue(text.contains("Law.swap(output: .inverseMatrix(3))"))
        XCTAssertTrue(text.contains("static let layer2 = SwapInversionCore.layer("))
        let two = try CommandRunner.run(["generate", "template", "swap-inversion", "--two-step", "affine:2,svf:4x4", "--input", "4x4", "--hidden", "2", "--name", "T", "-o", file])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("SwapInversionTwoStep("))
        for bad in [
            ["--form", "affine:4", "--input", "5"], ["--form", "svf:8x8", "--input", "6x8"], ["--form", "rigid:2", "--input", "0"],
            ["--two-step", "svf:4x4,affine:2", "--input", "4x4"],
        ] {
            let r = try CommandRunner.run(["generate", "template", "swap-inversion"] + bad + ["--name", "S", "-o", file])
            XCTAssertEqual(r.status, 64, "\(bad): \(r.stderr)")
        }
    }
}
