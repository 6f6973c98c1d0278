import Foundation
import XCTest

/// `archsynth generate network … --support K`: networks choose group convolutions where both
/// sides are multiples of a regular action, with the stencil given; refusals and exit codes.
final class GenerateConvolutionNetworkTests: XCTestCase {
    func testNetworkSupportOption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-conv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = try CommandRunner.run(
            ["generate", "network", "cyclic:8", "--reps", "regular,2*regular,2", "--support", "3", "--name", "Ring", "-o", "Ring.swift", "--json"], in: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("\"group-convolution\""), ok.stdout)
        let source = try String(contentsOf: dir.appendingPathComponent("Ring.swift"), encoding: .utf8)
        // Layer 1: 2 output channels × 1 input channel × a 3-point stencil; the network's helpers come from the runtime.
        XCTAssertTrue(source.contains("// Layer 1: regular → 2*regular, 6 weights"), source.prefix(1500).description)
        XCTAssertTrue(source.contains("public struct Layer1: GeneratedLayer, GeneratedEquivariantModel {"))
        XCTAssertFalse(source.contains("struct _SplitMix64"))
        XCTAssertFalse(source.contains("func _pack("))

        let refused = try CommandRunner.run(
            ["generate", "network", "symmetric:4", "--reps", "natural,trivial", "--support", "3", "--name", "N", "-o", "N.swift"], in: dir)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("group convolutions only"), refused.stderr)
        let usage = try CommandRunner.run(
            ["generate", "network", "cyclic:8", "--reps", "regular,regular", "--support", "0", "--name", "N", "-o", "N.swift"], in: dir)
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.contains("--support must be a positive integer"), usage.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("N.swift").path))
    }
}
