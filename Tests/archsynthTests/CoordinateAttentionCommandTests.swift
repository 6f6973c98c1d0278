import Foundation
import XCTest

/// `archsynth generate template coordinate-attention` end to end: the generated file passes
/// `archsynth verify` ([W,U] over all 256 pairs of a 4×4 grid, every input family), and the
/// same file with one convolution mutated (broken index arithmetic on odd rows) fails it.
final class CoordinateAttentionCommandTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-coordattn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testGenerateVerifyAndMutation() throws {
        let dir = try temporaryDirectory()
        let args = ["generate", "template", "coordinate-attention", "--grid", "4x4", "--channels", "3", "--depth", "2", "--name", "Registration", "-o", "Registration.swift"]
        let r = try CommandRunner.run(args, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("wrote Registration.swift: Registration, 4×4 periodic grid"), r.stdout)
        let file = dir.appendingPathComponent("Registration.swift")
        let source = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(source.hasPrefix("// DO NOT EDIT.\n"))
        XCTAssertTrue(source.contains("// Command: archsynth generate template coordinate-attention --grid 4x4"), source)
        XCTAssertTrue(source.contains("// Type: Registration\n"))
        let good = try CommandRunner.run(["verify", "Registration.swift"], in: dir)
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.contains("256"), good.stdout)

        let mutated = source.replacingOccurrences(of: "outputChannels: 3, stencil: (3, 3), brokenForTesting: false", with: "outputChannels: 3, stencil: (3, 3), brokenForTesting: true")
        XCTAssertNotEqual(mutated, source)
        try mutated.write(to: dir.appendingPathComponent("Mutant.swift"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["verify", "Mutant.swift"], in: dir)
        XCTAssertEqual(bad.status, 1, bad.stdout + bad.stderr)
    }

    func testUsageErrors() throws {
        let dir = try temporaryDirectory()
        for args in [
            ["generate", "template", "coordinate-attention", "--grid", "4x0", "--channels", "2", "--depth", "1", "--name", "T", "-o", "T.swift"],
            ["generate", "template", "coordinate-attention", "--grid", "4", "--depth", "1", "--name", "T", "-o", "T.swift"],
            ["generate", "template", "coordinate-attention", "--grid", "4", "--channels", "2", "--depth", "1", "--stencil", "2", "--name", "T", "-o", "T.swift"],
            ["generate", "template", "coordinate-attention", "--groups", "symmetric:3", "--in", "natural", "--channels", "2", "--depth", "1", "--name", "T", "-o", "T.swift"],
        ] {
            let r = try CommandRunner.run(args, in: dir)
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
        }
        XCTAssertEqual(((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []), [], "nothing written")
    }
}
