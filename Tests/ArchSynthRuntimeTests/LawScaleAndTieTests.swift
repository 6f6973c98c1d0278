import ArchSynthRuntime
import XCTest

/// Issue 18 §1: laws that held "by construction" only up to rounding that grows with the input's
/// scale, on tied inputs, or with the number of unrolled steps. Each test is the probe that found
/// the failure, at a small size, against the runtime directly.
final class LawScaleAndTieTests: XCTestCase {
    /// The untrained learned fixed-point step iterated K = 64 times on N = 16 drifted up to 7.9
    /// grid units under [U,U] (rolling reorders every sum, the iteration amplifies the rounding).
    /// On the canonical joint roll jointly rolled pairs give identical arrays: the error is 0.
    func testShiftNetworkDiagonalLawIsExactAtLargeK() {
        let n = 16, law = UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n))
        let block = UnrolledShiftNetwork(count: n, steps: 64, channels: 4, stencil: 3)
        for seed in [1, 2] as [UInt64] {
            let p = block.initialParameters(seed: seed)
            let report = law.check(inputSizes: [n, n], families: [.standardNormal, .cauchy, .large], samples: 1) { block.graph.forward(p, $0) }
            XCTAssertEqual(report.worst, 0, "seed \(seed)\n\(report)")
        }
    }

    /// The canonical joint roll: the roll that makes B least (here B rolled by 1 is [0, 1, 2]),
    /// the same output for every joint roll of the pair, and the inverse roll as pullback.
    func testJointRollCanonicalization() {
        let node = JointRollCanonicalization(height: 1, width: 3)
        XCTAssertEqual(node.forward([Double](), [[5, 6, 7], [2, 0, 1]]), [6, 7, 5, 0, 1, 2])
        let (h, w) = (3, 4)
        let grid = JointRollCanonicalization(height: h, width: w)
        var rng = RuntimeRandom(seed: 9)
        let a = rng.normals(h * w), b = rng.normals(h * w)
        let y = grid.forward([Double](), [a, b])
        for uy in 0..<h {
            for ux in 0..<w {
                let r = { UnrolledFixedPoint2D.rolled($0, height: h, width: w, by: (uy, ux)) }
                XCTAssertEqual(grid.forward([Double](), [r(a), r(b)]), y, "u = (\(uy), \(ux))")
            }
        }
        let e = Derivatives.finiteDifferenceError(of: grid, parameters: [], inputs: [a, b], seed: 10)
        XCTAssertLessThanOrEqual(e.worst, 1e-6, "at \(e.coordinate)")
    }
}
