@testable import ArchSynthRuntime
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The Float path of `CoordinateAttention` (`CoordinateAttention+Float.swift`, 16 grid points per
/// vector, a polynomial e^x): its exponential against Glibc's `exp` in Double, its values and
/// gradients against the Double path (whose gradients `CoordinateAttentionTests` checks against
/// finite differences) within Float rounding, and its own gradient against central differences
/// taken in Float. Grids of 9, 20, 35 and 256 points: below, between and at multiples of the 16
/// lanes, so the padded last block is exercised.
final class CoordinateAttentionFloatTests: XCTestCase {
    static let grids = [
        PeriodicGrid(height: 3, width: 3), PeriodicGrid(height: 4, width: 5), PeriodicGrid(height: 5, width: 7), PeriodicGrid(height: 16, width: 16),
    ]

    /// e^x to within 1 ulp on [−87, 0] (the softmax's range), exactly 1 at 0, 0 below −87, NaN kept.
    func testVectorExponentialAgainstGlibc() {
        var worst = 0.0
        let count = 200_000
        for start in stride(from: 0, to: count, by: 16) {
            var x = SIMD16<Float>()
            for l in 0..<16 { x[l] = -87 * Float(start + l) / Float(count - 1) }
            let y = AttentionExp.exp(x)
            for l in 0..<16 {
                let exact = Glibc.exp(Double(x[l]))
                // Error in units of the last place of the exact value (a normal Float here).
                let ulp = Double(Float(exact).ulp)
                worst = max(worst, abs(Double(y[l]) - exact) / ulp)
            }
        }
        XCTAssertLessThanOrEqual(worst, 1, "largest error \(worst) ulp")
        var edges = SIMD16<Float>(repeating: 0)
        (edges[1], edges[2], edges[3], edges[4], edges[5]) = (-87.5, -1e30, -.infinity, .nan, -1e-30)
        let e = AttentionExp.exp(edges)
        XCTAssertEqual(e[0], 1)
        XCTAssertEqual(e[1], 0)
        XCTAssertEqual(e[2], 0)
        XCTAssertEqual(e[3], 0)
        XCTAssertTrue(e[4].isNaN)
        XCTAssertEqual(e[5], 1)
    }

    func testFloatPathMatchesDoublePath() {
        for (i, g) in Self.grids.enumerated() {
            let node = CoordinateAttention(grid: g, channels: 3, temperature: 0.7)
            var rng = RuntimeRandom(seed: UInt64(40 + i))
            // Features of size ~2: logits up to ~15/τ, so the softmax is far from uniform.
            let x = node.inputSizes.map { rng.normals($0, scale: 1.5) }, dz = rng.normals(node.outputSize)
            let (yd, pd) = node.valueWithPullback([Double](), x)
            let gd = pd(dz).inputs
            let (yf, pf) = node.valueWithPullback([Float](), x.map { $0.map { Float($0) } })
            let gf = pf(dz.map { Float($0) }).inputs
            // Resultants lie in the unit disk: absolute error. Float rounds the features (2^-24
            // relative), so logits move by ~1e-6 and the probabilities by as much relatively.
            let valueError = zip(yd, yf).map { abs($0 - Double($1)) }.max()!
            XCTAssertLessThanOrEqual(valueError, 1e-5, "grid \(g.height)×\(g.width): resultants")
            for k in 0..<2 {
                let scale = gd[k].map(abs).max()!
                let error = zip(gd[k], gf[k]).map { abs($0 - Double($1)) }.max()!
                XCTAssertLessThanOrEqual(error, 1e-5 * scale, "grid \(g.height)×\(g.width): gradient of input \(k)")
            }
        }
    }

    /// ⟨z̄, (f(x + h v) − f(x − h v)) / 2h⟩ against ⟨x̄, v⟩, everything in Float (h = 1e-2: the
    /// O(h²) term is ~1e-4 relative and the rounding ~1e-5).
    func testFloatGradientAgainstFiniteDifferences() {
        for (i, g) in Self.grids.enumerated() {
            let node = CoordinateAttention(grid: g, channels: 2, temperature: 0.8)
            var rng = RuntimeRandom(seed: UInt64(60 + i))
            let x = node.inputSizes.map { rng.normals($0).map { Float($0) } }
            let v = node.inputSizes.map { rng.normals($0).map { Float($0) } }
            let dz = rng.normals(node.outputSize).map { Float($0) }
            let (_, pullback) = node.valueWithPullback([Float](), x)
            let grad = pullback(dz).inputs
            var analytic = 0.0
            for k in 0..<2 { for j in x[k].indices { analytic += Double(grad[k][j]) * Double(v[k][j]) } }
            let h: Float = 1e-2
            func along(_ t: Float) -> Double {
                let y = node.forward([Float](), zip(x, v).map { zip($0, $1).map { $0 + t * $1 } })
                return zip(y, dz).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
            let numeric = (along(h) - along(-h)) / (2 * Double(h))
            XCTAssertEqual(analytic, numeric, accuracy: 2e-3 * max(1, abs(numeric)), "grid \(g.height)×\(g.width)")
        }
    }
}
