import Foundation
import XCTest

/// `archsynth generate block unrolled-gradient | unrolled-fixed-point` end to end: files,
/// determinism, refusals and exit codes (verifying generated blocks is in UnrolledBlockTests).
final class GenerateBlockCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-block-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testUnrolledGradientWritesDeterministicFile() throws {
        let args = ["generate", "block", "unrolled-gradient", "symmetric:4", "--x", "natural", "--context", "natural", "--steps", "4", "--share", "--name", "Denoiser", "-o", path("Denoiser.swift")]
        let r = try CommandRunner.run(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("4 invariant quadratic forms"), r.stdout)
        let first = try String(contentsOfFile: path("Denoiser.swift"), encoding: .utf8)
        XCTAssertTrue(first.hasPrefix("// DO NOT EDIT."))
        XCTAssertTrue(first.contains("// Type: Denoiser\n"))
        XCTAssertTrue(first.contains("import ArchSynthRuntime\n"))
        XCTAssertTrue(first.contains("public mutating func trainStep("))
        XCTAssertFalse(first.contains(dir.path))
        XCTAssertEqual(try CommandRunner.run(args).status, 0)
        XCTAssertEqual(try String(contentsOfFile: path("Denoiser.swift"), encoding: .utf8), first)
    }

    func testRefusalsAndUsageErrors() throws {
        let tooBig = try CommandRunner.run(["generate", "block", "unrolled-gradient", "symmetric:7", "--x", "natural", "--context", "natural", "--steps", "2", "--name", "B", "-o", path("B.swift")])
        XCTAssertEqual(tooBig.status, 1)
        XCTAssertTrue(tooBig.stderr.contains("5040 elements"), tooBig.stderr)
        let noSteps = try CommandRunner.run(["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--name", "B", "-o", path("B.swift")])
        XCTAssertEqual(noSteps.status, 64)
        XCTAssertTrue(noSteps.stderr.contains("--steps"), noSteps.stderr)
        let energy = try CommandRunner.run(["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "2", "--energy", "cubic", "--name", "B", "-o", path("B.swift")])
        XCTAssertEqual(energy.status, 64)
        let unknown = try CommandRunner.run(["generate", "block", "mystery"])
        XCTAssertEqual(unknown.status, 64)
        let badGrid = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "8x2", "--steps", "4", "--name", "A", "-o", path("A.swift")])
        XCTAssertEqual(badGrid.status, 64)
        let network = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "8x8", "--steps", "4", "--step", "network", "--name", "A", "-o", path("A.swift")])
        XCTAssertEqual(network.status, 1)
        XCTAssertTrue(network.stderr.contains("1-D grids only"), network.stderr)
        let step = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "4", "--step", "newton", "--name", "A", "-o", path("A.swift")])
        XCTAssertEqual(step.status, 64)
        let notTrivial = try CommandRunner.run(["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "2", "--energy", "network:2*natural,natural", "--name", "B", "-o", path("B.swift")])
        XCTAssertEqual(notTrivial.status, 1)
        XCTAssertTrue(notTrivial.stderr.contains("must be trivial"), notTrivial.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("B.swift")))
    }

    func testUnrolledFixedPointPrintsTheSweep() throws {
        let r = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "12", "--steps", "8", "--step", "lucas-kanade", "--name", "Aligner", "-o", path("Aligner.swift")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("case\tK\tdiagonal error\tlarger error"), r.stdout)
        XCTAssertTrue(r.stdout.contains("translation N=12, unique\t64\t"), r.stdout)
        let source = try String(contentsOfFile: path("Aligner.swift"), encoding: .utf8)
        XCTAssertTrue(source.contains("// Type: Aligner\n"))
        let r2 = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "6x8", "--steps", "8", "--name", "Aligner2", "-o", path("Aligner2.swift")])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertTrue(r2.stdout.contains("translation 6x8, unique\t64\t"), r2.stdout)
        XCTAssertTrue(try String(contentsOfFile: path("Aligner2.swift"), encoding: .utf8).contains("UnrolledFixedPoint2D(height: 6, width: 8, steps: 8)"))
    }

    /// `--energy network:REPS` writes a file; `train fixed-point-step` trains the learned step and
    /// `--step network --from-model` bakes its parameters in and prints the sweep; `verify` on that file passes the [U,U] law and prints
    /// the K sweep (K = 1 … 64).
    func testNetworkBlocksAndVerifySweep() throws {
        let g = try CommandRunner.run(["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "2", "--energy", "network:2*natural,trivial", "--share", "--name", "NetB", "-o", path("NetB.swift")])
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertTrue(g.stdout.contains("invariant energy network x ⊕ c → 2*natural → trivial (tanh on 6)"), g.stdout)
        XCTAssertTrue(try String(contentsOfFile: path("NetB.swift"), encoding: .utf8).contains("InvariantEnergyNetwork.graph("))
        // Training is its own command; generate bakes its file in (--from-model) and never trains.
        let t = try CommandRunner.run(["train", "fixed-point-step", "--grid", "8", "--channels", "2", "--iterations", "20", "-o", path("step.json")])
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("20 Adam iterations at K = 4"), t.stdout)
        let stepFile = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("step.json")))) as? [String: Any])
        XCTAssertEqual((stepFile["losses"] as? [Double])?.count, 20)
        let trained = try XCTUnwrap(stepFile["parameters"] as? [Double])
        XCTAssertEqual(stepFile["grid"] as? Int, 8)
        let f = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "4", "--step", "network", "--from-model", path("step.json"), "--name", "NetAligner", "-o", path("NetAligner.swift")])
        XCTAssertEqual(f.status, 0, f.stderr)
        XCTAssertTrue(f.stdout.contains("training: 20 Adam iterations at K = 4"), f.stdout)
        XCTAssertTrue(f.stdout.contains("unique fixed point\t64\t"), f.stdout)
        let source = try String(contentsOfFile: path("NetAligner.swift"), encoding: .utf8)
        XCTAssertTrue(source.contains("static let bakedParameters: [Double] = ["))
        // The file holds the step's parameters bit for bit (Swift prints Doubles round-trip exactly).
        XCTAssertTrue(source.contains("\(trained[0]),"), "first trained parameter baked in")
        let v = try CommandRunner.run(["verify", path("NetAligner.swift")])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        XCTAssertTrue(v.stdout.contains("PASS"), v.stdout)
        XCTAssertTrue(v.stdout.contains("law errors against K"), v.stdout)
        for k in [1, 2, 4, 8, 16, 32, 64] { XCTAssertTrue(v.stdout.contains("learned step (trained), unique fixed point\t\(k)\t"), v.stdout) }
        // Without --from-model: the seeded initialization, said so.
        let u = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "2", "--step", "network", "--channels", "2", "--name", "Untrained", "-o", path("Untrained.swift")])
        XCTAssertEqual(u.status, 0, u.stderr)
        XCTAssertTrue(u.stdout.contains("training: none (no --from-model)"), u.stdout)
        XCTAssertTrue(u.stdout.contains("with the untrained parameters"), u.stdout)
    }

    /// `generate` never trains: the old training flags say where training went; a step file for
    /// another grid, a damaged one and a missing one are refused naming the file, writing nothing.
    func testGenerateNeverTrainsAndStepFilesAreChecked() throws {
        let base = ["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "2", "--step", "network", "--name", "T", "-o", path("T.swift")]
        let old = try CommandRunner.run(base + ["--train", "20"])
        XCTAssertEqual(old.status, 64, old.stderr)
        XCTAssertTrue(old.stderr.contains("generate never trains") && old.stderr.contains("archsynth train fixed-point-step"), old.stderr)
        let t = try CommandRunner.run(["train", "fixed-point-step", "--grid", "12", "--iterations", "1", "-o", path("s12.json")])
        XCTAssertEqual(t.status, 0, t.stderr)
        let wrongGrid = try CommandRunner.run(base + ["--from-model", path("s12.json")])
        XCTAssertEqual(wrongGrid.status, 64, wrongGrid.stderr)
        XCTAssertTrue(wrongGrid.stderr.contains("the trained step is for --grid 12"), wrongGrid.stderr)
        try Data("{\"format\": \"archsynth.fixed-point-step\"}".utf8).write(to: URL(fileURLWithPath: path("bad.json")))
        let bad = try CommandRunner.run(base + ["--from-model", path("bad.json")])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("is not an archsynth fixed-point step"), bad.stderr)
        var text = try String(contentsOfFile: path("s12.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"grid\" : 12", with: "\"grid\" : 8").replacingOccurrences(of: "\"channels\" : 4", with: "\"channels\" : 3")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path("edited.json")))
        let edited = try CommandRunner.run(base + ["--from-model", path("edited.json")])
        XCTAssertEqual(edited.status, 1, edited.stderr)
        XCTAssertTrue(edited.stderr.contains("parameters; the step on 8 points with 3 channels"), edited.stderr)
        let missing = try CommandRunner.run(base + ["--from-model", path("nope.json")])
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("cannot be read"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("T.swift")), "nothing written")
        // The training itself is bounded like generation (1024 unrolled copies of 1024² tables).
        let huge = try CommandRunner.run(["train", "fixed-point-step", "--grid", "1024", "--train-depth", "1024", "--iterations", "1", "-o", path("h.json")])
        XCTAssertEqual(huge.status, 1, huge.stderr)
        XCTAssertTrue(huge.stderr.contains("--max-table-entries"), huge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("h.json")))
    }
}
