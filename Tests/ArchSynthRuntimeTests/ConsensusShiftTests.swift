import ArchSynthRuntime
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// ConsensusShift: adjoint against finite differences, the [W,U] action on resultants commuting
/// with it for every (w, u), and its meaning on resultants whose answer is known: a confident
/// global translation is kept, and a point with no opinion (z = 0) takes the translation.
final class ConsensusShiftTests: XCTestCase {
    static let grids = [PeriodicGrid(height: 1, width: 5), PeriodicGrid(height: 3, width: 3), PeriodicGrid(height: 4, width: 5)]

    func testGradientsIncludingTheLearnedWeight() {
        for (i, g) in Self.grids.enumerated() {
            assertGradients(ConsensusShift(grid: g, baseWeight: 0.7), seed: UInt64(i))
            assertGradients(ConsensusShift(grid: g, baseWeight: 0), parameters: [0], seed: UInt64(i) + 5)
        }
    }

    func testCommutesWithEveryPairOfTranslations() {
        let g = PeriodicGrid(height: 3, width: 4), n = g.count
        let node = ConsensusShift(grid: g, baseWeight: 1.3)
        var rng = RuntimeRandom(seed: 2)
        let z = rng.normals(4 * n), p = [0.4]
        let y = node.forward(p, [z])
        var worst = 0.0
        for w in 0..<n {
            for u in 0..<n {
                let lhs = node.forward(p, [CoordinateAttention.transformResultants(z, grid: g, w: w, u: u)])
                let rhs = CoordinateAttention.transformResultants(y, grid: g, w: w, u: u)
                worst = max(worst, zip(lhs, rhs).map { abs($0 - $1) }.max()!)
            }
        }
        XCTAssertLessThanOrEqual(worst, 1e-13)
        // A per-point weight (not a translation-invariant one) breaks the law: the check can fail.
        let broken = { (q: [Double]) -> [Double] in
            var out = node.forward(p, [q])
            for k in 0..<(4 * n) where (k % n) == 0 { out[k] += 0.5 * q[k] }
            return out
        }
        let lhs = broken(CoordinateAttention.transformResultants(z, grid: g, w: 1, u: 2))
        let rhs = CoordinateAttention.transformResultants(broken(z), grid: g, w: 1, u: 2)
        XCTAssertGreaterThan(zip(lhs, rhs).map { abs($0 - $1) }.max()!, 0.01)
    }

    /// Resultants of the translation Φ(x) = x + t (|z| = 1 everywhere), with the point `blank`
    /// set to 0: the output there is β·e^(2πi(x + t)/N) (coordinate x + t), and every other
    /// point keeps its argument (z ↦ (1 + β) z).
    func testKeepsAConfidentTranslationAndFillsABlankPoint() {
        let g = PeriodicGrid(height: 4, width: 6), n = g.count, t = (1, 4), blank = 9, beta = 0.8
        var z = [Double](repeating: 0, count: 4 * n)
        for x in 0..<n where x != blank {
            let a = 2 * Double.pi * Double(x / 6 + t.0) / 4, b = 2 * Double.pi * Double(x % 6 + t.1) / 6
            (z[x], z[n + x], z[2 * n + x], z[3 * n + x]) = (cos(a), sin(a), cos(b), sin(b))
        }
        let y = ConsensusShift(grid: g, baseWeight: beta).forward([0.0], [z])
        // g_a = (n − 1)/n · e^(2πi t_a/N_a): the blank point does not vote.
        let m = Double(n - 1) / Double(n)
        for x in 0..<n {
            let a = 2 * Double.pi * Double(x / 6 + t.0) / 4, b = 2 * Double.pi * Double(x % 6 + t.1) / 6
            let scale = x == blank ? beta * m : 1 + beta * m
            XCTAssertEqual(y[x], scale * cos(a), accuracy: 1e-14)
            XCTAssertEqual(y[n + x], scale * sin(a), accuracy: 1e-14)
            XCTAssertEqual(y[2 * n + x], scale * cos(b), accuracy: 1e-14)
            XCTAssertEqual(y[3 * n + x], scale * sin(b), accuracy: 1e-14)
        }
    }
}

/// DistanceAttentionFeatures: adjoint against finite differences, and the attention it feeds
/// against a direct computation of softmax_y(−½‖F^B(x) − F^A(y)‖²/τ).
final class DistanceAttentionFeaturesTests: XCTestCase {
    func testGradients() {
        assertGradients(DistanceAttentionFeatures(points: 7, channels: 3, role: .key), seed: 1)
        assertGradients(DistanceAttentionFeatures(points: 7, channels: 3, role: .query), seed: 2)
    }

    func testAttentionOnExtendedFeaturesIsTheDistanceSoftmax() {
        let g = PeriodicGrid(height: 3, width: 4), n = g.count, c = 2, tau = 0.6
        var rng = RuntimeRandom(seed: 8)
        let fa = rng.normals(c * n, scale: 2), fb = rng.normals(c * n, scale: 2)
        let keys = DistanceAttentionFeatures(points: n, channels: c, role: .key).forward([Double](), fa)
        let queries = DistanceAttentionFeatures(points: n, channels: c, role: .query).forward([Double](), fb)
        let z = CoordinateAttention(grid: g, channels: c + 1, temperature: tau).forward([Double](), [keys, queries])
        for x in 0..<n {
            let logits = (0..<n).map { y in -0.5 * (0..<c).map { k in pow(fb[k * n + x] - fa[k * n + y], 2) }.reduce(0, +) / tau }
            let m = logits.max()!
            let e = logits.map { exp($0 - m) }, total = e.reduce(0, +)
            var expected = [0.0, 0.0, 0.0, 0.0]
            for y in 0..<n {
                let p = e[y] / total
                let a = 2 * Double.pi * Double(y / 4) / 3, b = 2 * Double.pi * Double(y % 4) / 4
                expected[0] += p * cos(a); expected[1] += p * sin(a); expected[2] += p * cos(b); expected[3] += p * sin(b)
            }
            for k in 0..<4 { XCTAssertEqual(z[k * n + x], expected[k], accuracy: 1e-13) }
        }
    }
}
