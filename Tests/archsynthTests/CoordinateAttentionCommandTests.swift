import Foundation
import XCTest

/// `archsynth generate template coordinate-attention` end to end: the generated file passes
/// `archsynth verify` ([W,U] over all 256 pairs of a 4×4 grid, every input family), and the
/// same file with the convolutions of one image reading it through broken index arithmetic on odd
/// rows fails it.
final class CoordinateAttentionCommandTests: XCTestCase {
    func temporaryDirectory() throws -> URL { try temporaryDirectory(prefix: "coordattn") }

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

        // The mutant (made here; the runtime has no switch for it): image A reaches the shipped
        // convolutions with the columns of its odd rows reversed, i.e. wrong index arithmetic on
        // odd rows, which breaks [W,U].
        let mutated = source.replacingOccurrences(
            of: "RegistrationNetworks.apply(layers, blocks: blocks, to: b.inputs[0], &b)",
            with: "RegistrationNetworks.apply(layers, blocks: blocks, to: b.apply(OddRowReversal(grid: grid), [b.inputs[0]]), &b)")
            + Self.oddRowReversal
        XCTAssertNotEqual(mutated, source + Self.oddRowReversal)
        try mutated.write(to: dir.appendingPathComponent("Mutant.swift"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["verify", "Mutant.swift"], in: dir)
        XCTAssertEqual(bad.status, 1, bad.stdout + bad.stderr)
    }

    /// A parameter-free node for the mutant: the columns of every odd row reversed.
    static let oddRowReversal = """

        struct OddRowReversal: DifferentiableNode {
            let grid: PeriodicGrid
            var inputSizes: [Int] { [grid.count] }
            var outputSize: Int { grid.count }
            var parameterCount: Int { 0 }
            func source(_ g: Int) -> Int {
                let (row, column) = (g / grid.width, g % grid.width)
                return row % 2 == 1 ? row * grid.width + (grid.width - 1 - column) : g
            }
            func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
                let x = inputs[0], n = grid.count
                let y = (0..<n).map { x[source($0)] }
                return (y, { dy in
                    var dx = [T](repeating: T.zero, count: n)
                    for g in 0..<n { dx[source(g)] += dy[g] }
                    return NodeGradient(parameters: [], inputs: [dx])
                })
            }
        }

        """

    /// TwoStep with a [U,U] refinement on grids other than 3×3 failed its own verify on one-hot
    /// images (6.7e-2 on 1×7, 3.6e-2 on 1×8, 4.9e-3 on 8×8): uniform attention from vanishing
    /// features leaves the circular mean undefined, and warping A by a noise angle broke [W,U].
    /// The warped image is now faded by the attention's concentration, which vanishes there.
    func testRefinedTemplatesVerifyOnEveryFamily() throws {
        let dir = try temporaryDirectory()
        for grid in ["7", "6x5"] {
            let r = try CommandRunner.run(["generate", "template", "coordinate-attention", "--grid", grid, "--channels", "2", "--depth", "1",
                                           "--refine", "2", "--name", "TwoStep", "-o", "TwoStep.swift"], in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            let v = try CommandRunner.run(["verify", "TwoStep.swift"], in: dir)
            XCTAssertEqual(v.status, 0, "\(grid): " + v.stdout + v.stderr)
            XCTAssertTrue(v.stdout.contains("one-hot"), v.stdout)
        }
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
