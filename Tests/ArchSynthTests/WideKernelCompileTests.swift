import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Issue 23: the wide kernels (README "Wide vectors": `-target-cpu native -D ARCHSYNTH_WIDE_SIMD`,
/// FMA and 64-byte matrix-product registers). Generated layers of each kernel family are compiled
/// with `-O` and those flags (the runtime too, by the harness), verified over every group element,
/// and checked value by value against the library's dense Σ θ_i B_i (`CodeGenCompileTests.valueChecks`)
/// and against central finite differences of their own Double forward pass. The portable build is
/// what `CodeGenCompileTests` compiles.
final class WideKernelCompileTests: XCTestCase {
    static let wideFlags = ["-target-cpu", "native", "-D", "ARCHSYNTH_WIDE_SIMD"]

    func testWideKernelsMatchTheReferenceAndFiniteDifferences() throws {
        let layers: [(spec: String, input: String, output: String, name: String, strategy: ForwardStrategy, order: Int)] = [
            // 36 → 36 dense: the 6 × 32 product block runs (n = 36 columns, batches of 13 rows:
            // two 6-row panels and a row left over) with its column remainder.
            ("cyclic:6", "natural^2", "natural^2", "WideDense6", .dense, 6),
            ("symmetric:5", "natural^2", "natural^2", "WideClosed5", .symmetricClosedForm, 120),
            ("hyperoctahedral:3", "natural^2", "natural", "WideTied3", .tied, 48),
        ]
        // Group convolutions: D_4 through its multiplication table (1 → 2: W; 4 → 4: the group Fourier
        // basis, samples padded to the 16 Float lanes), and a 4 × 32 periodic grid whose rows of 32
        // run the grid stencil's 4-vector block (3 × 3 support).
        let convolutions: [(spec: String, input: String, output: String, name: String, support: Int?, order: Int)] = [
            ("dihedral:4", "regular", "2*regular", "WideTable4", nil, 8),
            ("dihedral:4", "4*regular", "4*regular", "WideFourier4", nil, 8),
            ("cyclic:4 x cyclic:32", "regular", "regular", "WideGrid4x32", 3, 128),
        ]
        var emitters = try layers.map { l in
            let emitter = try TestBases.emitter(l.spec, l.input, l.output, name: l.name, strategy: .forced(l.strategy))
            XCTAssertEqual(emitter.strategy, l.strategy, l.name)
            return (emitter, l.name)
        }
        for c in convolutions {
            let emitter = try CodeGenConvolutionTests.emitter(c.spec, c.input, c.output, name: c.name, support: c.support)
            XCTAssertEqual(emitter.strategy, .groupConvolution, c.name)
            XCTAssertEqual(emitter.strategyNote.contains("group Fourier basis"), c.name == "WideFourier4", emitter.strategyNote)
            emitters.append((emitter, c.name))
        }
        let names = layers.map(\.name) + convolutions.map(\.name), orders = layers.map(\.order) + convolutions.map(\.order)
        var checks = """
            // The wide build is the one under test: 16 Float lanes in the product's registers.
            if Float._ProductVector.scalarCount != 16 || Double._ProductVector.scalarCount != 8 {
                print("FAIL ARCHSYNTH_WIDE_SIMD is not in effect (Float product vector: \\(Float._ProductVector.scalarCount) lanes)")
                failures += 1
            }
            // What a table layer carrying the Fourier form reads to run the W products here.
            if !GeneratedBuild.wideVectors {
                print("FAIL GeneratedBuild.wideVectors is false in a runtime compiled with ARCHSYNTH_WIDE_SIMD")
                failures += 1
            }
            \(Self.finiteDifferenceFunction)
            """
        for name in names { checks += "failures += finiteDifferences(\(name).self, \"\(name)\")\n" }
        // WideFourier4 carries [W, Wᵀ] and the Fourier section and runs the W products in this build:
        // forward, dx, dθ (also by finite differences) and every element against W from the
        // definition, W[(o, p), (i, q)] = θ[(o · m_in + i) · |G| + h] with b_h = b_p⁻¹ b_q.
        let fourier = try XCTUnwrap(emitters.first { $0.1 == "WideFourier4" }).0
        let generators = try GroupFourierConvolutionTests.blockGenerators(fourier.layer.input, order: 8)
        var rng = SplitMix64(seed: 31)
        let theta = (0..<(4 * 4 * 8)).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
        let beta = (0..<4).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
        checks += GroupFourierConvolutionTests.checks(
            name: "WideFourier4", n: 8, mi: 4, mo: 4, h: GroupFourierConvolutionTests.orbitIndex(generators), theta: theta, beta: beta,
            permutations: try GroupFourierConvolutionTests.dihedralPermutations(n: 4, generators: generators), rng: &rng)
        let reports = try CodeGenCompileTests.compileRunAndVerify(emitters, seed: 23, optimization: "-O", flags: Self.wideFlags, extraChecks: checks)
        XCTAssertEqual(reports.count, names.count)
        for (report, name) in zip(reports, names) { XCTAssertTrue(report.passed, "\(name):\n\(report.text)") }
        XCTAssertEqual(reports.map(\.elementCount), orders)
    }

    /// L = Σ dy · forward(x) over a batch of 13 is linear in x and in θ, so a central difference
    /// along a direction equals the directional derivative up to rounding: ∂L/∂x · v from the
    /// compiled backward pass against (L(x + h v) − L(x − h v)) / 2h, and ∂L/∂θ · δ against
    /// L(θ + δ) − L(θ − δ) over 2 with δ the perturbation the Float weights actually hold.
    static let finiteDifferenceFunction = """
        func finiteDifferences<L: GeneratedLayer>(_: L.Type, _ name: String) -> Int {
            var s: UInt64 = 0x9E37_79B9_7F4A_7C15
            func draw() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) * 0x1p-53 * 2 - 1 }
            let count = 13, dIn = L.inputDimension, dOut = L.outputDimension
            let x = (0..<(count * dIn)).map { _ in draw() }, dy = (0..<(count * dOut)).map { _ in draw() }
            let v = (0..<(count * dIn)).map { _ in draw() }
            let layer = L(seed: 11)
            func loss(_ m: L, _ input: [Double]) -> Double { zip(m.forward(batch: input, count: count), dy).reduce(0) { $0 + $1.0 * $1.1 } }
            let g = layer.backward(batch: x, outputGradient: dy, count: count)
            let h = 0.5
            let fdInput = (loss(layer, zip(x, v).map { $0 + h * $1 }) - loss(layer, zip(x, v).map { $0 - h * $1 })) / (2 * h)
            let adInput = zip(g.input, v).reduce(0) { $0 + $1.0 * $1.1 }
            var plus = layer, minus = layer
            plus.weights = layer.weights.enumerated().map { $1 + Float(0.25) * Float(($0 % 3) - 1) }
            minus.weights = layer.weights.enumerated().map { $1 - Float(0.25) * Float(($0 % 3) - 1) }
            let delta = zip(plus.weights, minus.weights).map { (Double($0) - Double($1)) / 2 }
            let fdWeights = (loss(plus, x) - loss(minus, x)) / 2
            let adWeights = zip(g.weights, delta).reduce(0) { $0 + $1.0 * $1.1 }
            let scale = max(1, abs(adInput), abs(adWeights))
            var failed = 0
            for (label, fd, ad) in [("input", fdInput, adInput), ("weights", fdWeights, adWeights)] where !(abs(fd - ad) <= 1e-9 * scale) {
                print("FAIL \\(name) finite difference along \\(label): \\(fd) vs backward \\(ad)")
                failed += 1
            }
            return failed
        }

        """
}
