import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// Norm and gated nonlinearities in lattice networks (issue 21, `generate network wallpaper:…
/// --nonlinearity …`): which nonlinearity each hidden field gets, the invariant metric of a
/// non-orthogonal field against the geometry of the hexagonal lattice, the gated layer's extra
/// gate fields against separately built convolutions, refusals with their messages, and compiled
/// networks checked over every translation × point element (`LatticeVerification`, the `verify
/// --spec` path) with gradients against central differences.
final class LatticeNonlinearityTests: XCTestCase {
    static func emitter(_ spec: String, _ reps: [String], _ nonlinearities: [String], name: String = "N") throws -> LatticeNetworkEmitter {
        try LatticeNetworkEmitter(
            lattice: try XCTUnwrap(CrystallographicLattice(origin: spec)), expressions: reps, support: 3, typeName: name,
            header: GeneratedFileHeader(spec: spec, command: "test"), nonlinearities: nonlinearities)
    }

    func testPlansMetricsGatesAndRefusals() throws {
        // auto: ReLU on a regular field, tanh on p4m's point (a signed permutation), norm-relu on
        // p6m's point (axial coordinates: not monomial, not orthogonal).
        let auto = try Self.emitter("wallpaper:p6m:6x6", ["field(trivial)", "2*field(regular)", "2*field(point)", "field(regular)", "trivial"], ["auto"])
        XCTAssertEqual(auto.activationPlans.map(\.field), [nil, .normReLU, nil])
        XCTAssertEqual(auto.activationPlans[0].relu, Array(0..<12))
        // The invariant inner product of the hexagonal point field is, up to scale, the Gram matrix
        // of the axial basis vectors at 60°: [[1, ½], [½, 1]].
        let m = auto.activationPlans[1].metric
        XCTAssertEqual(m.count, 4)
        XCTAssertEqual(m[0], m[3], accuracy: 1e-15)
        XCTAssertEqual(m[1], m[2], accuracy: 1e-15)
        XCTAssertEqual(m[1] / m[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(auto.gateCount, 2, "one norm bias per channel of 2*field(point)")
        XCTAssertEqual(auto.biasCount, auto.convolutions.reduce(0) { $0 + $1.biasCount } + 1 + 2)
        // p4m's point field is orthogonal: no metric.
        let square = try Self.emitter("wallpaper:p4m:6x6", ["field(trivial)", "3*field(point)", "field(point)"], ["norm-sigmoid"])
        XCTAssertEqual(square.activationPlans.map(\.field), [.normSigmoid])
        XCTAssertEqual(square.activationPlans[0].metric, [])
        XCTAssertEqual(square.gateCount, 3)

        // Gated: the convolution emits c*field(ρ + trivial); its basis is that of the two
        // convolutions to field(ρ) and field(trivial) built separately, its output one value more per field.
        let gated = try Self.emitter("wallpaper:p4:6x6", ["field(trivial)", "2*field(point)", "field(regular)", "trivial"], ["gated", "relu"])
        let lattice = try XCTUnwrap(CrystallographicLattice(origin: "wallpaper:p4:6x6"))
        let toPoint = try LatticeConvolution(lattice: lattice, input: RepresentationExpression(parsing: "field(trivial)"), output: RepresentationExpression(parsing: "2*field(point)"), support: 3)
        let toGate = try LatticeConvolution(lattice: lattice, input: RepresentationExpression(parsing: "field(trivial)"), output: RepresentationExpression(parsing: "2*field(trivial)"), support: 3)
        XCTAssertEqual(gated.convolutions[0].weightCount, toPoint.weightCount + toGate.weightCount)
        XCTAssertEqual(gated.convolutions[0].biasCount, toPoint.biasCount + toGate.biasCount)
        XCTAssertEqual(gated.convolutions[0].fieldOutputDimension, 3)
        XCTAssertEqual(gated.dimensions, [36, 2 * 36 * 2, 36 * 4, 1], "--reps dimensions (the gates are consumed)")
        XCTAssertEqual(gated.gateCount, 0)
        // Layer 2 takes the gated fields (2*field(point)), not the convolution's output with gates.
        XCTAssertEqual(gated.convolutions[1].inputChannels * gated.convolutions[1].fieldInputDimension, 4)

        // Refusals, each naming what does not fit and what to use.
        for (spec, reps, nl, expected) in [
            ("wallpaper:p4m:6x6", ["field(trivial)", "field(point)", "field(point)"], ["relu"], "negates components 0 1"),
            ("wallpaper:p6:6x6", ["field(trivial)", "field(point)", "field(point)"], ["relu"], "mixes its components"),
            ("wallpaper:p6:6x6", ["field(trivial)", "field(point)", "field(point)"], ["tanh"], "not a signed permutation"),
            ("wallpaper:p4:6x6", ["field(trivial)", "field(regular)", "trivial"], ["gated"], "before the invariant head"),
            ("wallpaper:p4:6x6", ["field(trivial)", "field(regular)", "field(regular)", "trivial"], ["relu", "relu", "relu"], "lists 3 values but the network has 2 hidden layers"),
            ("wallpaper:p4:6x6", ["field(trivial)", "field(regular)", "trivial"], ["elu"], "not a lattice nonlinearity"),
            ("wallpaper:p6:6x6", ["field(trivial)", "field(point)", "trivial"], ["norm"], "not a signed permutation representation"),
        ] {
            XCTAssertThrowsError(try Self.emitter(spec, reps, nl), "\(spec) \(reps) \(nl)") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(spec) \(reps) \(nl): \(error)")
                XCTAssertTrue("\(error)".contains("use") || "\(error)".contains("give") || "\(error)".contains("add") || "\(error)".contains("end"), "\(error)")
            }
        }
    }

    /// Two networks compiled and checked over every translation × point element against the spec
    /// (p6 on 6×6: norm ReLU on a non-orthogonal point field, a gated point field, ReLU on a regular
    /// field, invariant head; p4m on 6×6: norm sigmoid, equivariant point-field output), a copy
    /// with the Euclidean norm instead of the invariant one (must fail), and gradients of the
    /// compiled p6 network against central differences.
    func testCompiledNormAndGatedNetworksHoldTheLawAndTheirGradientsMatch() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hexReps = ["field(trivial)", "2*field(point)", "2*field(point)", "field(regular)", "trivial"]
        let hex = try Self.emitter("wallpaper:p6:6x6", hexReps, ["norm-relu", "gated", "relu"], name: "HexNet")
        XCTAssertFalse(hex.activationPlans[0].metric.isEmpty)
        let squareReps = ["field(trivial)", "2*field(point)", "field(point)"]
        let square = try Self.emitter("wallpaper:p4m:6x6", squareReps, ["norm-sigmoid"], name: "SquareNet")
        let hexSource = hex.source()
        // The control: the same network with the Euclidean norm on the axial field.
        let euclidean = hexSource.replacingOccurrences(
            of: ", metric: [\(hex.activationPlans[0].metric.map { "\($0)" }.joined(separator: ", "))]", with: "")
        XCTAssertNotEqual(euclidean, hexSource)

        let verifier = LatticeVerification(options: {
            var o = VerificationOptions()
            o.optimization = "-Onone"
            return o
        }())
        for (source, spec, reps, passes) in [
            (hexSource, "wallpaper:p6:6x6", hexReps, true), (square.source(), "wallpaper:p4m:6x6", squareReps, true), (euclidean, "wallpaper:p6:6x6", hexReps, false),
        ] {
            let lattice = try XCTUnwrap(CrystallographicLattice(origin: spec))
            let fields = try LatticeVerification.fields(
                lattice: lattice, input: RepresentationExpression(parsing: reps[0]), output: RepresentationExpression(parsing: reps[reps.count - 1]))
            let reports = try verifier.verify(source: source, fileName: "Net.swift", spec: fields)
            XCTAssertEqual(reports.count, 1)
            XCTAssertTrue(reports[0].allElements, reports[0].text)
            XCTAssertEqual(reports[0].elementCount, spec.contains("p6") ? 36 * 6 : 36 * 8, reports[0].text)
            XCTAssertFalse(reports[0].isDegenerate, reports[0].text)
            XCTAssertEqual(reports[0].passed, passes, reports[0].text)
        }

        // Gradients of the compiled p6 network (every weight, bias and norm bias sampled) against
        // central differences of its Double forward pass.
        let url = dir.appendingPathComponent("HexNet.swift")
        try hexSource.write(to: url, atomically: true, encoding: .utf8)
        let checks = LatticeHarness.preamble(tag: "lattice-nonlinearity-check", seed: 17) + """
            do {
                check("HexNet gateCount is 2", HexNet.gateCount == 2 ? 0 : 1, below: 0.5)
                let seeded = HexNet(seed: 3)
                let x = (0..<36).map { _ in rng.unit() }
                let bias = seeded.bias.map { _ in Float(rng.unit() * 0.2) }
                let net = HexNet(weights: seeded.weights, bias: bias)
                let g = net.backward(input: x, outputGradient: [1.0])
                let h = 1e-4
                var worst = 0.0
                for j in Array(stride(from: 0, to: HexNet.weightCount, by: 3)) {
                    var wp = net.weights, wm = net.weights
                    wp[j] = Float(Double(wp[j]) + h)
                    wm[j] = Float(Double(wm[j]) - h)
                    let fd = (HexNet(weights: wp, bias: bias).forward(x)[0] - HexNet(weights: wm, bias: bias).forward(x)[0]) / (Double(wp[j]) - Double(wm[j]))
                    worst = max(worst, abs(g.weights[j] - fd) / max(1e-2, abs(fd)))
                }
                check("HexNet dθ vs central differences", worst, below: 1e-4)
                for j in bias.indices {
                    var bp = bias, bm = bias
                    bp[j] = Float(Double(bp[j]) + h)
                    bm[j] = Float(Double(bm[j]) - h)
                    let fd = (HexNet(weights: net.weights, bias: bp).forward(x)[0] - HexNet(weights: net.weights, bias: bm).forward(x)[0]) / (Double(bp[j]) - Double(bm[j]))
                    check("HexNet dβ[\\(j)] of \\(bias.count) (layer biases, then the norm biases) vs central difference", abs(g.bias[j] - fd) / max(1e-2, abs(fd)), below: 1e-4)
                }
                let v = (0..<36).map { _ in rng.unit() }
                let hx = 1e-5
                let fdx = (net.forward(zip(x, v).map { $0 + hx * $1 })[0] - net.forward(zip(x, v).map { $0 - hx * $1 })[0]) / (2 * hx)
                check("HexNet dx·v vs central difference", abs(zip(g.input, v).reduce(0) { $0 + $1.0 * $1.1 } - fdx) / max(1e-2, abs(fdx)), below: 1e-6)
                var trained = net
                let batch = (0..<(4 * 36)).map { _ in Float(rng.unit()) }
                let targets: [Float] = [1, -1, 0.5, 0]
                let first = trained.trainStep(batch: batch, targets: targets, count: 4, learningRate: 0.05, optimizer: .adam)
                var last = first
                for _ in 0..<20 { last = trained.trainStep(batch: batch, targets: targets, count: 4, learningRate: 0.05, optimizer: .adam) }
                check("HexNet trainStep lowers the loss", Double(last / first), below: 1)
            }
            if failures > 0 { exit(1) }

            """
        var options = VerificationOptions()
        options.optimization = "-Onone"
        let reports = try VerificationHarness(options: options, compilerFlags: ["-warnings-as-errors"]).verify(files: [url], extraMain: checks)
        XCTAssertEqual(reports.count, 1)
        XCTAssertTrue(reports[0].passed && !reports[0].isDegenerate, reports[0].text)
    }
}
