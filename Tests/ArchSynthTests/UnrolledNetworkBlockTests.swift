import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// The gradient form on a generated invariant energy network (`--energy network:REPS`): the
/// backward through the unrolled steps (second derivatives of the network by dual numbers)
/// against finite differences, the law for every K beside a broken (dense) energy that fails
/// it, training, refusals, and the generated file through `verify` with its K sweep.
final class UnrolledNetworkBlockTests: XCTestCase {
    func testBackwardThroughUnrolledNetworkStepsMatchesFiniteDifferences() throws {
        let s3 = try GroupResolver().resolve("symmetric:3"), d6 = try GroupResolver().resolve("dihedral:6")
        let cases: [(FiniteGroup, String, String, [String], Bool, Bool)] = [
            (s3, "natural", "natural", ["2*natural", "trivial"], true, false),
            (s3, "natural", "natural", ["natural", "natural", "trivial"], false, true),
            // plane: an orthogonal block that is not a signed permutation → the smooth norm gate.
            (d6, "natural", "plane", ["plane+natural", "trivial"], true, false),
        ]
        for (group, x, c, reps, shared, normalized) in cases {
            let block = try UnrolledGradientNetworkBlock(typeName: "B", group: group, x: x, context: c, steps: 3, representations: reps, shared: shared, normalized: normalized)
            var rng = RuntimeRandom(seed: 4)
            let p = block.initialParameters(seed: 3).map { $0 + 0.05 * rng.normal() }
            let inputs = [rng.normals(block.xSize), rng.normals(block.contextSize)]
            let (worst, at) = Derivatives.finiteDifferenceError(of: block.node, parameters: p, inputs: inputs, seed: 5)
            XCTAssertLessThanOrEqual(worst, 1e-6, "\(group.name) \(reps) at \(at)")
        }
        let gated = try UnrolledGradientNetworkBlock(typeName: "B", group: d6, x: "natural", context: "plane", steps: 1, representations: ["plane+natural", "trivial"], shared: true)
        XCTAssertEqual(gated.normBlocks[0].count, 1, gated.nonlinearitySummary)
    }

    /// Acceptance: law error ≤ 1e-10 for every K = 1 … 64 on the out-of-distribution families;
    /// the same block on a dense (non-invariant) first layer fails.
    func testLawErrorAgainstKAndABrokenEnergyFails() throws {
        let s4 = try GroupResolver().resolve("symmetric:4")
        let block = try UnrolledGradientNetworkBlock(typeName: "B", group: s4, x: "natural", context: "natural", steps: 4, representations: ["2*natural", "trivial"], shared: false)
        let rows = UnrolledBlockReport.errorsAgainstK(name: "S4 network", gradient: block)
        XCTAssertEqual(rows.map(\.steps), [1, 2, 4, 8, 16, 32, 64])
        for r in rows { XCTAssertLessThanOrEqual(r.diagonal, 1e-10, "K = \(r.steps)") }
        var layers = block.layers
        layers[0] = TiedLinear.dense(inputSize: layers[0].inputSize, outputSize: layers[0].outputSize)
        let energy = InvariantEnergyNetwork.graph(xSize: 4, contextSize: 4, layers: layers, tanhCoordinates: block.tanhCoordinates, normBlocks: block.normBlocks)
        let broken = UnrolledGradient(step: GradientStep(energy: energy, normalized: false), steps: 4, shared: true)
        let p = broken.initialParameters(seed: 1, stepSize: 0.1) { InvariantEnergyNetwork.initialParameters(energy, seed: $0) }
        XCTAssertGreaterThan(block.law.check(inputSizes: [4, 4], families: [.standardNormal]) { broken.forward(p, $0) }.worst, 1e-3)
    }

    /// A few Adam steps on a small S3 denoising task lower the loss (training through the
    /// unrolled steps uses the network's Hessian-vector products).
    func testTrainingLowersTheLoss() throws {
        let s3 = try GroupResolver().resolve("symmetric:3")
        let block = try UnrolledGradientNetworkBlock(typeName: "B", group: s3, x: "natural", context: "natural", steps: 3, representations: ["2*natural", "trivial"], shared: true)
        var rng = RuntimeRandom(seed: 8)
        var batch: [[[Double]]] = [], targets: [[Double]] = []
        for _ in 0..<16 {
            let m = 2 * rng.normal(), s = (0..<3).map { _ in m + 0.3 * rng.normal() }
            batch.append([[0, 0, 0], s.map { $0 + 0.3 * rng.normal() }])
            targets.append(s)
        }
        var p = block.initialParameters(seed: 1), adam = Adam(learningRate: 0.05)
        let node = block.node, before = node.lossAndGradient(p, batch: batch, targets: targets).loss
        for _ in 0..<40 { node.trainingStep(&p, batch: batch, targets: targets, optimizer: &adam) }
        let after = node.lossAndGradient(p, batch: batch, targets: targets).loss
        XCTAssertLessThan(after, before / 3, "\(before) → \(after)")
    }

    func testRefusals() throws {
        let s3 = try GroupResolver().resolve("symmetric:3")
        for reps in [["2*natural", "natural"], ["2*natural", "sign"], []] {
            XCTAssertThrowsError(try UnrolledGradientNetworkBlock(typeName: "B", group: s3, x: "natural", context: "natural", steps: 2, representations: reps, shared: true)) { error in
                XCTAssertTrue("\(error)".contains("trivial"), "\(error)")
            }
        }
    }

    /// The generated file compiles warning-free; `verify` passes its law and prints the K sweep
    /// (K = 1 … 64, every diagonal error ≤ 1e-10, no larger law).
    func testGeneratedNetworkBlockVerifiesWithItsSweep() throws {
        let s3 = try GroupResolver().resolve("symmetric:3")
        let block = try UnrolledGradientNetworkBlock(typeName: "NetDenoiser", group: s3, x: "natural", context: "natural", steps: 2, representations: ["2*natural", "trivial"], shared: true)
        let header = GeneratedFileHeader(spec: "symmetric:3", command: "archsynth generate block unrolled-gradient symmetric:3 --x natural --context natural --steps 2 --energy network:2*natural,trivial --share --name NetDenoiser -o NetDenoiser.swift")
        let source = UnrolledGradientNetworkEmitter(block: block, header: header).source()
        XCTAssertTrue(source.contains("// Type: NetDenoiser\n"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("NetDenoiser-\(UUID().uuidString).swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let (reports, sweep) = try VerificationHarness(compilerFlags: ["-warnings-as-errors"]).verifyWithSweep(file: url)
        XCTAssertEqual(reports.count, 1)
        XCTAssertTrue(reports[0].passed, reports[0].text)
        XCTAssertEqual(sweep.map(\.row.steps), [1, 2, 4, 8, 16, 32, 64])
        for s in sweep {
            XCTAssertEqual(s.type, "NetDenoiser")
            XCTAssertLessThanOrEqual(s.row.diagonal, 1e-10)
            XCTAssertTrue(s.row.larger.isNaN)
        }
    }
}
