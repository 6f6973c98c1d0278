import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Networks: nonlinearity plans (and refusals), the library's Float64 network, and generated
/// networks compiled once (with `-warnings-as-errors`), verified by the out-of-distribution
/// harness and checked for equivariance, backward against finite differences, and training.
final class NetworkTests: XCTestCase {
    /// (a) S_5 set function with an invariant 2-class head, (b) B_3 signed permutations with
    /// tanh, (c) D_5 on the plane (non-monomial) with the norm nonlinearity, (d) a 4 × 4 periodic
    /// grid (C_4 × C_4, regular) whose first layer is a group convolution on a 3 × 3 stencil.
    static func descriptions() throws -> [NetworkDescription] {
        let s5 = try GroupResolver().resolve("symmetric:5")
        let b3 = try GroupResolver().resolve("hyperoctahedral:3")
        let set = try NetworkDescription.solving(typeName: "SetNet", group: s5, expressions: ["natural", "3*natural", "natural", "2"])
        let signed = try NetworkDescription.solving(typeName: "SignedNet", group: b3, expressions: ["natural", "2*natural", "natural"])
        return [set, signed, try planeNetwork(), try gridNetwork()]
    }

    static func gridNetwork() throws -> NetworkDescription {
        let grid = try GroupResolver().resolve("cyclic:4 x cyclic:4")
        return try NetworkDescription.solving(typeName: "GridNet", group: grid, expressions: ["regular", "2*regular", "2"], support: 3)
    }

    /// D_5: plane → 2*plane → plane, with the solver's bases.
    static func planeNetwork(request: NonlinearityRequest = .auto) throws -> NetworkDescription {
        let d5 = try GroupResolver().resolve("dihedral:5")
        let exprs = ["plane", "2*plane", "plane"]
        let reps = try exprs.map { try d5.representation(parsing: $0) }
        var bases: [EquivariantBasis] = []
        for i in 0..<2 {
            // The solver's basis: a solver regression fails here instead of being masked.
            bases.append(try IntertwinerSolver.solve(
                group: d5, input: RepresentationExpression(parsing: exprs[i]), output: RepresentationExpression(parsing: exprs[i + 1])))
        }
        return try NetworkDescription(typeName: "PlaneNet", group: d5, expressions: exprs, representations: reps, bases: bases, request: request)
    }

    // MARK: Plans

    func testNonlinearityPlansFollowTheRepresentation() throws {
        let nets = try NetworkTests.descriptions()
        XCTAssertEqual(nets[0].nonlinearities.map(\.reluCoordinates.count), [15, 5])
        XCTAssertTrue(nets[0].isInvariant)
        XCTAssertEqual(nets[1].nonlinearities[0].tanhCoordinates, Array(0..<6))
        XCTAssertFalse(nets[1].isInvariant)
        XCTAssertEqual(nets[2].nonlinearities[0].normBlocks, [[0, 1], [2, 3]])
        XCTAssertEqual(nets[2].gateCount, 2)
        // Mixed: a permutation summand next to an orthogonal one.
        let d5 = try GroupResolver().resolve("dihedral:5")
        let mixed = try NonlinearityPlan(representation: d5.representation(parsing: "natural + plane"), expression: "natural + plane", request: .auto)
        XCTAssertEqual(mixed.reluCoordinates, Array(0..<5))
        XCTAssertEqual(mixed.normBlocks, [[5, 6]])
    }

    func testPointwiseReLURefusedOnNonPermutationRepresentations() throws {
        XCTAssertThrowsError(try NetworkTests.planeNetwork(request: .relu)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("\"2*plane\""), text)
            XCTAssertTrue(text.contains("pointwise relu would break equivariance"), text)
        }
        let b3 = try GroupResolver().resolve("hyperoctahedral:3")
        XCTAssertThrowsError(try NetworkDescription.solving(typeName: "N", group: b3, expressions: ["natural", "natural", "natural"], request: .relu)) { error in
            XCTAssertTrue("\(error)".contains("signed permutation"), "\(error)")
        }
        XCTAssertThrowsError(try NetworkTests.planeNetwork(request: .tanh))
    }

    func testNonOrthogonalRepresentationRefused() {
        // C_2 acting by [[1, 1], [0, −1]] (an involution, not orthogonal): ‖x‖ is not invariant.
        let rep = Representation(realMatrices: [Matrix([[1, 1], [0, -1]])])
        XCTAssertThrowsError(try NonlinearityPlan(representation: rep, expression: "skew", request: .auto)) { error in
            guard case NetworkError.notOrthogonal(let name, _, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "skew")
            XCTAssertTrue("\(error)".contains("orthonormal basis"))
        }
    }

    // MARK: Library network (Float64)

    /// B₃ contains −I, which acts as −1 on `natural` and as +1 on `trivial`, so the only
    /// equivariant map natural → trivial is 0: a network ending in that layer would have a constant
    /// output and is refused, naming the layer; natural → natural → natural is accepted, with one
    /// weight per layer (the signed permutation representation of B₃ is absolutely irreducible).
    func testNetworkWithAWeightlessLayerRefused() throws {
        let b3 = try GroupResolver().resolve("hyperoctahedral:3")
        XCTAssertThrowsError(try NetworkDescription.solving(typeName: "N", group: b3, expressions: ["natural", "2*natural", "trivial"])) { error in
            XCTAssertTrue("\(error)".contains("layer 2 (2*natural → trivial) has no equivariant weights"), "\(error)")
        }
        XCTAssertEqual(try NetworkDescription.solving(typeName: "N", group: b3, expressions: ["natural", "natural", "natural"]).layers.map(\.basis.dimension), [1, 1])
    }

    func testLibraryNetworkEquivariantGradientsAndTraining() throws {
        for description in try NetworkTests.descriptions() {
            let name = description.typeName
            var net = EquivariantNetwork(description: description, seed: 5)
            // Nonzero gates and biases so every parameter matters.
            net.parameters = net.parameters.enumerated().map { $0.1 + 0.1 * Double($0.0 % 5) - 0.2 }
            XCTAssertLessThan(net.equivarianceError(), 1e-10, name)

            var rng = SplitMix64(seed: 9)
            let x = (0..<net.inputDimension).map { _ in rng.nextUnit() * 2 - 1 }
            let c = (0..<net.outputDimension).map { _ in rng.nextUnit() * 2 - 1 }
            func loss(_ n: EquivariantNetwork, _ x: [Double]) -> Double { zip(n.forward(x), c).reduce(0) { $0 + $1.0 * $1.1 } }
            let (gp, gx) = net.backward(input: x, outputGradient: c)
            let h = 1e-6
            var worst = 0.0, scale = 1e-3
            for k in net.parameters.indices {
                var plus = net, minus = net
                plus.parameters[k] += h
                minus.parameters[k] -= h
                worst = max(worst, abs((loss(plus, x) - loss(minus, x)) / (2 * h) - gp[k]))
                scale = max(scale, abs(gp[k]))
            }
            for k in x.indices {
                var xp = x, xm = x
                xp[k] += h
                xm[k] -= h
                worst = max(worst, abs((loss(net, xp) - loss(net, xm)) / (2 * h) - gx[k]))
                scale = max(scale, abs(gx[k]))
            }
            XCTAssertLessThan(worst / scale, 1e-6, "\(name): backward vs central differences")

            // A toy equivariant target: t = 0.5·x mapped through the output (or a constant class score).
            let inputs = (0..<16).map { _ in (0..<net.inputDimension).map { _ in rng.nextUnit() * 2 - 1 } }
            let targets = inputs.map { v in (0..<net.outputDimension).map { k in description.isInvariant ? v.reduce(0) { $0 + $1 * $1 } * Double(k) : 0.5 * v[k % v.count] } }
            let first = net.trainStep(inputs: inputs, targets: targets, learningRate: 0.05)
            var last = first
            for _ in 0..<30 { last = net.trainStep(inputs: inputs, targets: targets, learningRate: 0.05) }
            XCTAssertLessThan(last, first, "\(name): 30 SGD steps should lower the loss")
            XCTAssertLessThan(net.equivarianceError(), 1e-10, "\(name) after training")
        }
    }

    // MARK: Generated networks: one compilation for all checks

    func testGeneratedNetworksCompileVerifyDifferentiateAndTrain() throws {
        let descriptions = try NetworkTests.descriptions()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-network-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [URL] = []
        var checks = "\nimport Glibc  // exit\n\n// Network checks (NetworkTests)\n"
        for d in descriptions {
            let header = GeneratedFileHeader(spec: d.groupName, command: "archsynth generate network (test)")
            let source = try NetworkEmitter(network: d, header: header).source()
            XCTAssertEqual(source, try NetworkEmitter(network: d, header: header).source(), "deterministic bytes")
            // Every layer line of the header names the certificate of its basis (from the solver;
            // group convolutions are built from the structure, not solved, and have none).
            let layerLines = source.split(separator: "\n").filter { $0.hasPrefix("// Layer ") }
            XCTAssertEqual(layerLines.count, d.layers.count)
            for (line, layer) in zip(layerLines, d.layers) {
                XCTAssertEqual(layer.basis.crossCheck.certificates.isEmpty, layer.convolution != nil, d.typeName)
                XCTAssertTrue(line.hasSuffix("; certificate \(layer.basis.crossCheck.certificate)"), String(line))
            }
            let url = dir.appendingPathComponent("\(d.typeName).swift")
            try source.write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
            checks += NetworkTests.checks(d.typeName, invariant: d.isInvariant)
        }
        let harness = VerificationHarness(compilerFlags: ["-warnings-as-errors"])
        let reports: [VerificationReport]
        do {
            reports = try harness.verify(files: files, extraMain: checks)
        } catch {
            return XCTFail("\(error)")
        }
        XCTAssertEqual(reports.count, 4)
        for r in reports { XCTAssertTrue(r.passed, r.text) }
        XCTAssertTrue(reports[3].allElements)
        XCTAssertEqual(reports[3].elementCount, 16)
        XCTAssertTrue(reports[0].allElements)
        XCTAssertEqual(reports[0].elementCount, 120)
    }

    /// Swift statements for the harness main: they `exit(1)` with a message on failure, which
    /// makes `verify` throw `harnessFailed` with the message.
    static func checks(_ t: String, invariant: Bool) -> String {
        """
        do {
            typealias N = \(t)
            func fail(_ m: String) -> Never { print("\(t): " + m); exit(1) }
            var net = N(seed: 3)
            // Nonzero biases and gates so that every parameter is exercised.
            net.setParameters(weights: net.weights, bias: (0..<N.biasCount).map { Float($0 % 3) * 0.1 - 0.1 })
            let eq = net.equivarianceError(seed: 1, trials: 16)
            if !(eq <= 1e-4) { fail("equivariance error \\(eq)") }

            // Backward (Double) against central differences of L = Σ c_k f(x)_k.
            var r = RuntimeRandom(seed: 17)
            let x = (0..<N.inputDimension).map { _ in r.unit() * 2 - 1 }
            let c = (0..<N.outputDimension).map { _ in r.unit() * 2 - 1 }
            func loss(_ n: N, _ v: [Double]) -> Double { zip(n.forward(v), c).reduce(0) { $0 + $1.0 * $1.1 } }
            let g = net.backward(input: x, outputGradient: c)
            var worst = 0.0, scale = 1e-3
            let w = net.weights, b = net.bias
            for k in 0..<(w.count + b.count) {
                var wp = w, wm = w, bp = b, bm = b
                let step: Double
                if k < w.count {
                    wp[k] += 1e-3; wm[k] -= 1e-3
                    step = Double(wp[k]) - Double(wm[k])
                } else {
                    bp[k - w.count] += 1e-3; bm[k - w.count] -= 1e-3
                    step = Double(bp[k - w.count]) - Double(bm[k - w.count])
                }
                let fd = (loss(N(weights: wp, bias: bp), x) - loss(N(weights: wm, bias: bm), x)) / step
                let analytic = k < w.count ? g.weights[k] : g.bias[k - w.count]
                worst = max(worst, abs(fd - analytic))
                scale = max(scale, abs(analytic))
            }
            for k in 0..<x.count {
                var xp = x, xm = x
                xp[k] += 1e-6; xm[k] -= 1e-6
                worst = max(worst, abs((loss(net, xp) - loss(net, xm)) / 2e-6 - g.input[k]))
                scale = max(scale, abs(g.input[k]))
            }
            if !(worst / scale <= 1e-4) { fail("backward vs finite differences: relative error \\(worst / scale)") }

            // Float batch forward agrees with single forward; a few steps lower the loss.
            let count = 32
            var batch: [Float] = [], targets: [Float] = []
            var labels: [Int] = []
            for _ in 0..<count {
                let v = (0..<N.inputDimension).map { _ in Float(r.unit() * 2 - 1) }
                batch += v
                let s = v.reduce(0) { $0 + $1 * $1 }
                labels.append(s > Float(N.inputDimension) / 3 ? 1 : 0)
                targets += (0..<N.outputDimension).map { k in \(invariant ? "Float(k) * s" : "0.5 * v[k % v.count]") }
            }
            _ = labels.count
            let all = net.forward(batch: batch, count: count)
            let one = net.forward(Array(batch[0..<N.inputDimension]))
            for k in 0..<N.outputDimension where abs(all[k] - one[k]) > 1e-5 * max(1, abs(one[k])) { fail("batch forward differs from single forward") }
            for optimizer in [N.Optimizer.sgd, N.Optimizer.adam] {
                var m = net
                let lr: Float = optimizer.kind == .sgd ? 0.02 : 0.01
                let first = m.trainStep(batch: batch, targets: targets, count: count, learningRate: lr, optimizer: optimizer)
                var last = first
                for _ in 0..<40 { last = m.trainStep(batch: batch, targets: targets, count: count, learningRate: lr, optimizer: optimizer) }
                if !(last < first) { fail("\\(optimizer.kind): loss \\(first) → \\(last)") }
                let e = m.equivarianceError(seed: 2)
                if !(e <= 1e-4) { fail("equivariance error \\(e) after training") }
            }
            \(invariant ? """
            var m = net
            let oneHot = N.oneHot(labels: labels)
            let first = m.trainStep(batch: batch, targets: oneHot, count: count, learningRate: 0.01, optimizer: .adam, loss: .softmaxCrossEntropy)
            var last = first
            for _ in 0..<40 { last = m.trainStep(batch: batch, targets: oneHot, count: count, learningRate: 0.01, optimizer: .adam, loss: .softmaxCrossEntropy) }
            if !(last < first) { fail("cross-entropy \\(first) → \\(last)") }
            """ : "")
            print("network-check\\t\\(N.self)\\tok\\t\\(eq)")
        }

        """
    }

    /// Networks choose the group convolution where both sides are multiples of a regular action
    /// (with the stencil when given) and the solver elsewhere; a support without any such layer
    /// is refused.
    func testNetworksUseGroupConvolutionWhereItApplies() throws {
        let d = try NetworkTests.gridNetwork()
        XCTAssertEqual(d.layers.map { $0.convolution != nil }, [true, false])
        let emitter = try NetworkEmitter(network: d, header: GeneratedFileHeader(spec: "cyclic:4 x cyclic:4", command: "test"))
        XCTAssertEqual(emitter.layerEmitters.map(\.strategy), [.groupConvolution, .dense])
        // 2 output channels × 1 input channel × a 3 × 3 stencil.
        XCTAssertEqual(d.layers[0].basis.dimension, 18)
        let full = try NetworkDescription.solving(
            typeName: "FullGrid", group: try GroupResolver().resolve("cyclic:4 x cyclic:4"), expressions: ["regular", "2*regular", "trivial"])
        XCTAssertEqual(full.layers[0].basis.dimension, 32, "no support: every group element")
        let s4 = try GroupResolver().resolve("symmetric:4")
        XCTAssertThrowsError(try NetworkDescription.solving(typeName: "N", group: s4, expressions: ["natural", "trivial"], support: 3)) { error in
            XCTAssertTrue("\(error)".contains("group convolutions only"), "\(error)")
        }
    }
}
