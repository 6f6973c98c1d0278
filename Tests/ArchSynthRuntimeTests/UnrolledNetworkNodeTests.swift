import ArchSynthRuntime
import XCTest

/// The nodes of the learned unrolled blocks: the smooth norm gate, the global shift, the grid
/// mean, and the fixed-point block with a learned [U,U] step — each gradient against finite
/// differences beside its law (with a broken variant that fails), and training through the
/// unrolled steps.
final class UnrolledNetworkNodeTests: XCTestCase {
    func fdError(_ node: any DifferentiableNode, parameters p: [Double], inputs x: [[Double]]? = nil, seed: UInt64) -> (worst: Double, coordinate: String) {
        var rng = RuntimeRandom(seed: seed)
        return Derivatives.finiteDifferenceError(of: node, parameters: p, inputs: x ?? node.inputSizes.map { rng.normals($0) }, seed: seed)
    }

    /// Rotations of each 2-block (orthogonal, not permutations) commute with the gate; a gate on
    /// x₀ alone (not invariant) does not.
    func testSmoothNormGateGradientsAndLaw() {
        for (size, blocks) in [(2, [[0, 1]]), (5, [[0, 1], [2, 3, 4]]), (4, [[1, 3]])] {
            let gate = SmoothNormGate(size: size, blocks: blocks)
            for seed in [1, 2] as [UInt64] {
                let e = fdError(gate, parameters: (0..<blocks.count).map { 0.3 * Double($0) - 0.2 }, seed: seed)
                XCTAssertLessThanOrEqual(e.worst, 1e-6, "size \(size) at \(e.coordinate)")
            }
        }
        let angles = [0.0, 0.7, 2.1, -1.3]
        let rotations = angles.map { a in LinearAction.matrix([Double.cos(a), -Double.sin(a), 0, Double.sin(a), Double.cos(a), 0, 0, 0, 1], 3) }
        let law = Law.linear(name: "SO(2) on the first block", inputs: [rotations], output: rotations, isComplete: false)
        let good = SmoothNormGate(size: 3, blocks: [[0, 1], [2]])
        XCTAssertLessThanOrEqual(law.check(inputSizes: [3]) { good.forward([0.1, -0.4], $0) }.worst, 1e-12)
        let broken = SmoothNormGate(size: 3, blocks: [[0], [1], [2]])
        XCTAssertGreaterThan(law.check(inputSizes: [3], families: [.standardNormal]) { broken.forward([0.1, -0.4, 0], $0) }.worst, 1e-3)
    }

    /// A(· + t) and its pullback (S_tᵀ = S_{−t}) for odd and even N; rolling A rolls the output
    /// exactly; the mean is invariant and its broken variant is not.
    func testGlobalShiftAndChannelMean() {
        for n in [5, 8, 11] {
            var rng = RuntimeRandom(seed: UInt64(n))
            let e = fdError(GlobalShift(count: n), parameters: [], inputs: [rng.normals(n), [rng.uniform(-3, 3)]], seed: 3)
            XCTAssertLessThanOrEqual(e.worst, 1e-6, "N = \(n) at \(e.coordinate)")
            XCTAssertLessThanOrEqual(fdError(ChannelMean(channels: 2, points: n), parameters: [], seed: 4).worst, 1e-6)
        }
        let n = 8, shift = GlobalShift(count: n)
        var rng = RuntimeRandom(seed: 5)
        let a = rng.normals(n), t = 0.37
        for u in 0..<n {
            let moved = shift.forward([], [PeriodicSignal.rolled(a, by: u), [t]])
            XCTAssertLessThanOrEqual(Law.relativeError(moved, PeriodicSignal.rolled(shift.forward([], [a, [t]]), by: u)), 1e-13)
        }
        let rolls = (0..<n).map { u in LinearAction.permutation((0..<n).map { ($0 + u) % n }) }
        let invariant = Law.linear(name: "C_\(n)", inputs: [rolls], output: Array(repeating: .permutation([0]), count: n), isComplete: true)
        XCTAssertLessThanOrEqual(invariant.check(inputSizes: [n]) { ChannelMean(channels: 1, points: n).forward([], $0) }.worst, 1e-14)
        XCTAssertGreaterThan(invariant.check(inputSizes: [n], families: [.standardNormal]) { PointZeroTwiceMean(base: ChannelMean(channels: 1, points: n)).forward([], $0) }.worst, 1e-3)
    }

    /// Backward through the unrolled steps of the learned fixed-point block matches finite
    /// differences (parameters and both signals) at small sizes.
    func testShiftNetworkBlockMatchesFiniteDifferences() {
        for (n, k, c) in [(6, 2, 2), (8, 3, 2)] {
            let block = UnrolledShiftNetwork(count: n, steps: k, channels: c, stencil: 3)
            var rng = RuntimeRandom(seed: UInt64(n * k))
            let p = block.initialParameters(seed: 2).map { $0 + 0.05 * rng.normal() }
            let pair = UnrolledSweep.wavePairs(count: n, pairs: 1, seed: 3).pairs[0]
            for inputs in [pair, [rng.normals(n), rng.normals(n)]] {
                let e = fdError(block.graph, parameters: p, inputs: inputs, seed: 7)
                XCTAssertLessThanOrEqual(e.worst, 1e-6, "N = \(n), K = \(k) at \(e.coordinate)")
            }
        }
    }

    /// The stated [U,U] law holds for random parameters at every K; the broken mean fails it.
    func testShiftNetworkDiagonalLawAndBrokenVariant() {
        let n = 8, law = UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n))
        for k in [1, 4, 16] {
            let block = UnrolledShiftNetwork(count: n, steps: k, channels: 2, stencil: 3)
            let p = block.initialParameters(seed: 11)
            let report = law.check(inputSizes: [n, n]) { block.graph.forward(p, $0) }
            XCTAssertLessThanOrEqual(report.worst, 1e-10, "K = \(k)\n\(report)")
        }
        // The block runs on the canonical joint roll, which makes any step obey [U,U]; the
        // negative control is the shipped step network alone with point 0 of the warped signal
        // counted once more in its output (the mutant lives in the test, not in the runtime).
        let shipped = UnrolledShiftNetwork(count: n, steps: 4, channels: 2, stencil: 3)
        var b = GraphBuilder(inputSizes: [n, n])
        let block = b.parameters(for: shipped.step)
        let d = b.apply(shipped.step, [b.inputs[0], b.inputs[1]], parameters: block)
        let extra = b.apply(PointZeroTwiceMean(base: ChannelMean(channels: 1, points: n)), [b.inputs[0]])
        let mutated = b.apply(Sum(size: 1), [d, extra])
        let broken = b.build(output: mutated)
        let p = shipped.initialParameters(seed: 11)
        XCTAssertEqual(broken.parameterCount, p.count)
        XCTAssertGreaterThan(law.check(inputSizes: [n, n], families: [.standardNormal]) { broken.forward(p, $0) }.worst, 1e-3)
    }

    /// Training through the unrolled steps (Adam, circular loss) makes the step a contraction
    /// toward alignment: the loss falls, and the [W,U] error — large at K = 1 — falls with K (by
    /// more than 10× from K = 16 to 64, below 1e-3 at K = 64; how far depends on the training
    /// run's rounding) while the [U,U] error stays 0 (the canonical joint roll).
    func testTrainingTheStepReachesTheLargerLawAsKGrows() {
        let n = 8, block = UnrolledShiftNetwork(count: n, steps: 4, channels: 3, stencil: 3)
        var p = block.initialParameters(seed: 1)
        let losses = block.train(&p, iterations: 150, seed: 2)
        let first = losses.prefix(10).reduce(0, +) / 10, last = losses.suffix(10).reduce(0, +) / 10
        XCTAssertLessThan(last, first / 5, "loss \(first) → \(last)")
        let rows = UnrolledSweep.fixedPoint(
            name: "trained", diagonal: UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n)),
            larger: UnrolledFixedPoint.pairLaw(count: n, pairs: UnrolledSweep.moves(count: n, moves: 12, seed: 2)),
            inputSizes: [n, n], pairs: UnrolledSweep.wavePairs(count: n, pairs: 4, seed: 1).pairs, steps: [1, 16, 64]
        ) { k, x in block.withSteps(k).graph.forward(p, x) }
        XCTAssertGreaterThan(rows[0].larger, 1, "\(rows)")
        XCTAssertLessThan(rows[1].larger, rows[0].larger / 10, "\(rows)")
        XCTAssertLessThan(rows[2].larger, rows[1].larger / 10, "\(rows)")
        XCTAssertLessThanOrEqual(rows[2].larger, 1e-3, "\(rows)")
        for r in rows { XCTAssertEqual(r.diagonal, 0, "\(r)") }
    }
}
