import ArchSynthRuntime
import XCTest

/// GridConvolution, CoordinateAttention and CircularCoordinate: adjoints against finite
/// differences at several grid sizes, and their laws beside them (each with a broken variant
/// the check must reject).
final class CoordinateAttentionTests: XCTestCase {
    static let grids = [PeriodicGrid(height: 1, width: 5), PeriodicGrid(height: 3, width: 3), PeriodicGrid(height: 4, width: 5)]

    func testGradients() {
        for (i, g) in Self.grids.enumerated() {
            let s = UInt64(i)
            assertGradients(GridConvolution(grid: g, inputChannels: 2, outputChannels: 3, stencil: 3), seed: s)
            assertGradients(GridConvolution(grid: g, inputChannels: 1, outputChannels: 2), seed: s + 10)
            assertGradients(GridConvolution(grid: g, inputChannels: 2, outputChannels: 1, stencil: (1, 1), bias: false), seed: s + 20)
            assertGradients(CoordinateAttention(grid: g, channels: 2, temperature: 0.7), seed: s + 30)
            assertGradients(CircularCoordinate(grid: g), seed: s + 40)
            assertGradients(GridOffset(grid: g), seed: s + 45)
            assertGradients(ResultantConcentration(grid: g), seed: s + 47)
            assertGradients(SoftCorrespondence(pointsA: g.count, pointsB: 3, channels: 2, temperature: 0.8), seed: s + 47)
            assertGradients(
                RegistrationNetworks.coordinateAttention(grid: g, imageChannels: 1, channels: 3, depth: 2, stencil: 3, temperature: 1), seed: s + 50)
            assertGradients(RegistrationNetworks.displacementNetwork(grid: g, imageChannels: 1, channels: 3, depth: 2, stencil: 3), seed: s + 60)
        }
    }

    /// Hessian-vector products run through the attention's pullback on duals (the softmax max
    /// branches on .primal): compare with a central difference of gradients.
    func testAttentionHessianVectorProduct() {
        let node = CoordinateAttention(grid: PeriodicGrid(height: 3, width: 2), channels: 2, temperature: 0.5)
        var rng = RuntimeRandom(seed: 4)
        let x = node.inputSizes.map { rng.normals($0) }, v = node.inputSizes.map { rng.normals($0) }, w = rng.normals(node.outputSize)
        let (_, hv) = Derivatives.hessianVectorProduct(of: node, parameters: [], inputs: x, outputWeights: w, parameterDirection: [], inputDirections: v)
        let h = 1e-5
        func grad(_ t: Double) -> [[Double]] {
            node.backward([Double](), zip(x, v).map { zip($0, $1).map { $0 + t * $1 } }, outputGradient: w).inputs
        }
        let (gp, gm) = (grad(h), grad(-h))
        for k in 0..<2 {
            let numeric = zip(gp[k], gm[k]).map { ($0 - $1) / (2 * h) }
            XCTAssertLessThanOrEqual(Law.relativeError(hv.inputs[k], numeric), 1e-6)
        }
    }

    func testConvolutionCommutesWithEveryTranslationAndABrokenOneDoesNot() {
        for g in Self.grids {
            let conv = GridConvolution(grid: g, inputChannels: 2, outputChannels: 3, stencil: 3)
            var rng = RuntimeRandom(seed: 7)
            let p = rng.normals(conv.parameterCount)
            let law = g.translationLaw(inputChannels: [2], outputChannels: 3)
            XCTAssertEqual(law.elementCount, g.count)
            XCTAssertLessThanOrEqual(law.check(inputSizes: conv.inputSizes) { conv.forward(p, $0) }.worst, 1e-14)
            guard g.height > 1 else { continue }
            let broken = OddRowBrokenConvolution(base: GridConvolution(grid: g, inputChannels: 2, outputChannels: 3, stencil: (3, 3)))
            XCTAssertGreaterThan(law.check(inputSizes: conv.inputSizes) { broken.forward(p, $0) }.worst, 0.1)
        }
    }

    /// A full-grid stencil spans |G| independent maps per channel pair (the convolution algebra
    /// of C_H × C_W); a k×k stencil spans k² of them.
    func testStencilFreeConvolutionsSpanGMaps() {
        let g = PeriodicGrid(height: 3, width: 3)
        for (stencil, expected) in [(3, 9), (1, 1)] {
            let conv = GridConvolution(grid: g, inputChannels: 1, outputChannels: 1, stencil: stencil, bias: false)
            let matrices = (0..<conv.parameterCount).map { i -> [Double] in
                var p = [Double](repeating: 0, count: conv.parameterCount)
                p[i] = 1
                return conv.matrix(p)
            }
            XCTAssertEqual(DenseRank.rank(matrices), expected)
        }
    }

    func testAttentionObeysWUAndRejectsBrokenFeatures() {
        for g in [PeriodicGrid(height: 3, width: 3), PeriodicGrid(height: 2, width: 5)] {
            let graph = RegistrationNetworks.coordinateAttention(grid: g, imageChannels: 1, channels: 3, depth: 2, stencil: 3, temperature: 1)
            let p = RegistrationNetworks.initialParameters(graph, seed: 5)
            let law = CoordinateAttention.wuLaw(grid: g, inputChannels: 1)
            XCTAssertTrue(law.isComplete)
            XCTAssertEqual(law.elementCount, g.count * g.count)
            let report = law.check(inputSizes: graph.inputSizes) { graph.forward(p, $0) }
            XCTAssertLessThanOrEqual(report.worst, 1e-13, "\(report)")
            // Coordinates: circular distance in grid units, on inputs where the mean is defined.
            let cc = CircularCoordinate(grid: g)
            let coords = CoordinateAttention.wuCoordinateLaw(grid: g, inputChannels: 1)
                .check(inputSizes: graph.inputSizes, families: [.standardNormal, .cauchy, .large]) { cc.forward([Double](), graph.forward(p, $0)) }
            XCTAssertLessThanOrEqual(coords.worst, 1e-10, "\(coords)")
            // The same graph with one broken convolution, and the [U,U] displacement network.
            var b = GraphBuilder(inputSizes: graph.inputSizes)
            let brokenConv = OddRowBrokenConvolution(base: GridConvolution(grid: g, inputChannels: 1, outputChannels: 3, stencil: (min(3, g.height), 3)))
            let pb = b.parameters(for: brokenConv)
            let fa = b.apply(brokenConv, [b.inputs[0]], parameters: pb), fb = b.apply(brokenConv, [b.inputs[1]], parameters: pb)
            let z = b.apply(CoordinateAttention(grid: g, channels: 3), [fa, fb])
            let broken = b.build(output: z)
            var qr = RuntimeRandom(seed: 5)
            let q = qr.normals(broken.parameterCount, scale: 0.5)
            XCTAssertGreaterThan(law.check(inputSizes: graph.inputSizes) { broken.forward(q, $0) }.worst, 0.05)
            let uu = RegistrationNetworks.displacementNetwork(grid: g, imageChannels: 1, channels: 3, depth: 2, stencil: 3)
            let r = RegistrationNetworks.initialParameters(uu, seed: 6)
            let uuReport = CoordinateAttention.wuCoordinateLaw(grid: g, inputChannels: 1).check(inputSizes: uu.inputSizes, families: [.standardNormal]) {
                RegistrationNetworks.coordinates(displacement: uu.forward(r, $0), grid: g)
            }
            XCTAssertGreaterThan(uuReport.worst, 0.5)
        }
    }

    /// The coordinates move exactly with integer shifts: Φ[A∘W, B∘U](x) = Φ[A,B](x + u) − w.
    func testCoordinateConventionOnAPeakedExample() {
        // Features = the image itself (one channel, depth-1 identity convolution): with τ small,
        // Φ(x) is the point of A whose value best matches B(x) in the inner-product sense.
        let g = PeriodicGrid(height: 4, width: 4)
        var a = [Double](repeating: 0, count: 16)
        a[g.shifted(0, by: 1, 2)] = 1  // A has its peak at (1, 2)
        let b = g.translate(a, by: 1, 2)  // B = A ∘ T_(1,2): B's peak is at (0, 0)
        let node = CoordinateAttention(grid: g, channels: 1, temperature: 0.01)
        let phi = CircularCoordinate.coordinates(node.forward([Double](), [a, b]), grid: g)
        XCTAssertEqual(phi[0], 1, accuracy: 1e-9)  // B(0,0) matches A at (1, 2) = 0 + (1, 2)
        XCTAssertEqual(phi[16], 2, accuracy: 1e-9)
    }
}

/// Rank of a set of vectors by Gaussian elimination with partial pivoting (test helper).
enum DenseRank {
    static func rank(_ vectors: [[Double]], tolerance: Double = 1e-9) -> Int {
        var rows = vectors
        var rank = 0
        guard let width = rows.first?.count else { return 0 }
        for col in 0..<width where rank < rows.count {
            var pivot = rank
            for r in rank..<rows.count where abs(rows[r][col]) > abs(rows[pivot][col]) { pivot = r }
            guard abs(rows[pivot][col]) > tolerance else { continue }
            rows.swapAt(rank, pivot)
            for r in 0..<rows.count where r != rank {
                let f = rows[r][col] / rows[rank][col]
                if f != 0 { for c in col..<width { rows[r][c] -= f * rows[rank][c] } }
            }
            rank += 1
        }
        return rank
    }
}
