import Foundation
import XCTest

/// `archsynth experiment`: writes NAME.md and NAME.svg into -o DIR; an experiment this build
/// lacks exits 1 naming what it needs; an unknown name is a usage error.
final class ExperimentCommandTests: XCTestCase {
    func testQuickNameSwapWritesMarkdownAndSVG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-experiment-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CommandRunner.run(["experiment", "name-swap", "--quick", "--seeds", "1", "-o", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let md = try String(contentsOf: dir.appendingPathComponent("name-swap.md"), encoding: .utf8)
        let svg = try String(contentsOf: dir.appendingPathComponent("name-swap.svg"), encoding: .utf8)
        XCTAssertTrue(md.contains("- Command: `archsynth experiment name-swap --quick --seeds 1 -o \(dir.path)`"), md)
        XCTAssertTrue(md.contains("![") && md.contains("](name-swap.svg)"))
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.contains("</svg>"))
    }

    func testListAndFailures() throws {
        let list = try CommandRunner.run(["experiment", "--list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        // Every experiment is in this build: one line each, with its summary.
        let lines = list.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.map { String($0.split(separator: " ")[0]) }, ["data-efficiency", "ood", "name-swap", "registration", "mesa", "rotated-digits"])
        XCTAssertTrue(lines.allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true).count > 3 }, list.stdout)
        let unknown = try CommandRunner.run(["experiment", "no-such"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("unknown experiment"), unknown.stderr)
        let seeds = try CommandRunner.run(["experiment", "ood", "--seeds", "0"])
        XCTAssertEqual(seeds.status, 64)
    }
}
