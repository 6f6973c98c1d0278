import Foundation
import XCTest

/// `archsynth generate layer wallpaper:…|space:… --support K`: the lattice path writes a file that
/// imports the runtime and holds its tables; bad field types and stencils are refused with exit 64
/// and nothing written.
final class GenerateLatticeCommandTests: XCTestCase {
    func testLatticeLayerIsWrittenAndBadInputsAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-lattice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ok = try CommandRunner.run(
            ["generate", "layer", "wallpaper:p4m:8x8", "--in", "field(trivial)", "--out", "3*field(regular)", "--support", "3", "--name", "Lift", "-o", "Lift.swift", "--json"],
            in: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        // D₄ lifting on a 3×3 stencil: π_S ⊗ regular is free, so 9 kernels per channel pair; 3 pairs.
        XCTAssertTrue(ok.stdout.contains("\"kernelBasisDimension\": 9"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("\"weightCount\": 27"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("\"order\": \"512\""), ok.stdout)
        let source = try String(contentsOf: dir.appendingPathComponent("Lift.swift"), encoding: .utf8)
        XCTAssertTrue(source.contains("import ArchSynthRuntime"))
        XCTAssertTrue(source.contains("public static let forwardStrategy = \"lattice-convolution\""))
        XCTAssertTrue(source.contains("public static let generatorNames: [String] = [\"ty\", \"tx\", \"r\", \"m\"]"))

        for (args, expected) in [
            (["--in", "natural", "--out", "field(regular)", "--support", "3"], "c*field"),
            (["--in", "field(trivial)", "--out", "field(regular)", "--support", "4"], "odd width"),
            (["--in", "field(trivial)", "--out", "field(regular)", "--support", "9"], "wider than the grid"),
        ] {
            let refused = try CommandRunner.run(["generate", "layer", "wallpaper:p4m:8x8"] + args + ["--name", "N", "-o", "N.swift"], in: dir)
            XCTAssertEqual(refused.status, 64, "\(args): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains(expected), "\(args): \(refused.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("N.swift").path))
        // --target pytorch writes a torch module to N.py, never the Swift layer (it once wrote
        // Swift source to the .py path and exited 0).
        let python = try CommandRunner.run(
            ["generate", "layer", "wallpaper:p4m:8x8", "--in", "field(trivial)", "--out", "field(regular)", "--support", "3", "--name", "N", "-o", "N.py", "--target", "pytorch"],
            in: dir)
        XCTAssertEqual(python.status, 0, python.stderr)
        let module = try String(contentsOf: dir.appendingPathComponent("N.py"), encoding: .utf8)
        XCTAssertTrue(module.contains("import torch"), module)
        XCTAssertFalse(module.contains("import ArchSynthRuntime"), module)

        // verify without --spec rebuilds the field types from the header, never from the file's
        // own tables: the file passes; with its input field type changed in the header only, the
        // file's tables no longer fit (dimension 64 → 192) and it fails; with no header, it is refused.
        let verified = try CommandRunner.run(["verify", "Lift.swift"], in: dir)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertTrue(verified.stdout.contains("(from the header)") || verified.stdout.contains("wallpaper:p4m:8x8"), verified.stdout)
        let retyped = source.replacingOccurrences(of: "// Input: field(trivial)", with: "// Input: 3*field(trivial)")
        XCTAssertNotEqual(retyped, source)
        try retyped.write(to: dir.appendingPathComponent("Retyped.swift"), atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try CommandRunner.run(["verify", "Retyped.swift"], in: dir).status, 0)
        let headless = source.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("// Spec:") }.joined(separator: "\n")
        try headless.write(to: dir.appendingPathComponent("Headless.swift"), atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["verify", "Headless.swift"], in: dir)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--spec SPEC --in EXPR --out EXPR"), refused.stderr)
    }

    /// `--timing` prints the in-process basis solve and total times on stderr (a number each, the
    /// solve no longer than the total) and changes nothing else; off a lattice layer it is refused.
    func testTimingOption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-timing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let layer = ["generate", "layer", "wallpaper:p4:6x6", "--in", "field(regular)", "--out", "field(regular)", "--support", "3", "--name", "L"]
        let timed = try CommandRunner.run(layer + ["-o", "Timed.swift", "--timing"], in: dir)
        XCTAssertEqual(timed.status, 0, timed.stderr)
        let line = try XCTUnwrap(timed.stderr.split(separator: "\n").first { $0.hasPrefix("timing: ") }, timed.stderr)
        let values = Dictionary(uniqueKeysWithValues: line.dropFirst("timing: ".count).split(separator: " ").map { pair -> (String, String) in
            let kv = pair.split(separator: "=", maxSplits: 1)
            return (String(kv[0]), String(kv[1]))
        })
        let solve = try XCTUnwrap(values["basis_solve_s"].flatMap(Double.init)), total = try XCTUnwrap(values["total_s"].flatMap(Double.init))
        XCTAssertGreaterThan(solve, 0)
        XCTAssertLessThanOrEqual(solve, total)
        XCTAssertEqual(values["kernel_basis_dimension"], "36")  // C₄ regular → regular on a 3×3 stencil: 9 · 4
        let plain = try CommandRunner.run(layer + ["-o", "Plain.swift"], in: dir)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertFalse(plain.stderr.contains("timing:"), plain.stderr)
        // The same file but for the header's record of the command (which names the output and the flag).
        func body(_ name: String) throws -> [Substring] {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("// Command:") }
        }
        XCTAssertEqual(try body("Timed.swift"), try body("Plain.swift"))
        XCTAssertGreaterThan(try body("Timed.swift").count, 20)
        let refused = try CommandRunner.run(["generate", "layer", "cyclic:4", "--in", "regular", "--out", "regular", "--name", "C", "-o", "C.swift", "--timing"], in: dir)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--timing"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("C.swift").path))
    }

    /// A user-given point group (`wallpaper:H(…):HxW`, here p3 on a hexagonal 6×6 grid): `info`,
    /// `basis`, `generate layer --verify` (every translation × point element: 108) and `verify`
    /// from the header work on it, and a bad generator is refused with exit 64 or 1 and its reason.
    func testUserGivenPointGroup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-custom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = "wallpaper:H(r=[[0,-1],[1,-1]];r^3;order=3):6x6"
        let info = try CommandRunner.run(["info", spec, "--json"], in: dir)
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("\"order\": \"108\""), info.stdout)
        let basis = try CommandRunner.run(["basis", spec, "--in", "field(trivial)", "--out", "field(regular)", "--support", "3", "--json"], in: dir)
        XCTAssertEqual(basis.status, 0, basis.stderr)
        let layer = try CommandRunner.run(
            ["generate", "layer", spec, "--in", "field(trivial)", "--out", "2*field(regular)", "--support", "3", "--name", "P3", "-o", "P3.swift", "--verify"], in: dir)
        XCTAssertEqual(layer.status, 0, layer.stderr)
        XCTAssertTrue(layer.stderr.contains("all 108 elements") && layer.stderr.contains("PASS"), layer.stderr)
        let verified = try CommandRunner.run(["verify", "P3.swift", "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        let bad = try CommandRunner.run(["info", "wallpaper:H(r=[[2,0],[0,1]]):6x6"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("determinant 2"), bad.stderr)
    }
}
