import ArchSynthRuntime
import XCTest

/// `CoordinateJacobian` (the diffusion regularizer's differences): values from the definition,
/// the wrap on the torus, the [U,U] law, and the pullback against finite differences.
final class CoordinateJacobianTests: XCTestCase {
    func testIdentityAndAffineMapsFromTheDefinition() {
        let grid = PeriodicGrid(height: 5, width: 6), n = grid.count
        let node = CoordinateJacobian(grid: grid)
        let identity: [Double] = Warp.identityMap(height: 5, width: 6)
        XCTAssertEqual(node.forward([Double](), identity), [Double](repeating: 0, count: 4 * n))
        // u(i, j) = (0.3 j, −0.2 i): ∂_row u_row = 0, ∂_row u_col = −0.2, ∂_col u_row = 0.3,
        // ∂_col u_col = 0 away from the seam (the last row/column wraps, where u jumps).
        var phi = identity
        for i in 0..<5 { for j in 0..<6 { phi[i * 6 + j] += 0.3 * Double(j); phi[n + i * 6 + j] -= 0.2 * Double(i) } }
        let y = node.forward([Double](), phi)
        for i in 0..<4 {
            for j in 0..<5 {
                let x = i * 6 + j
                XCTAssertEqual(y[x], 0, accuracy: 1e-12)
                XCTAssertEqual(y[n + x], -0.2, accuracy: 1e-12)
                XCTAssertEqual(y[2 * n + x], 0.3, accuracy: 1e-12)
                XCTAssertEqual(y[3 * n + x], 0, accuracy: 1e-12)
            }
        }
    }

    func testCoordinatesThatWrapAroundTheTorusAreNotJumps() {
        // Φ = id shifted by half the grid and taken mod N: the same map on the torus, zero Jacobian.
        let grid = PeriodicGrid(height: 4, width: 8), n = grid.count
        var phi: [Double] = Warp.identityMap(height: 4, width: 8)
        for x in 0..<n {
            phi[x] = (phi[x] + 2).truncatingRemainder(dividingBy: 4)
            phi[n + x] = (phi[n + x] + 5).truncatingRemainder(dividingBy: 8)
        }
        let y = CoordinateJacobian(grid: grid).forward([Double](), phi)
        XCTAssertLessThan(y.map(abs).max()!, 1e-12)
        // Negative control: the same field without the wrap jumps by −N = −4 where the coordinate wraps.
        var plain = [Double](repeating: 0, count: 4 * n)
        for x in 0..<n where (x / 8 + 1) % 4 != 0 { plain[x] = phi[((x / 8 + 1) % 4) * 8 + x % 8] - phi[x] - 1 }
        XCTAssertEqual(plain.map(abs).max()!, 4, accuracy: 1e-12)
    }

    func testUULaw() {
        // Φ'(x) = Φ(x + t) − t ⇒ J'(x) = J(x + t).
        let grid = PeriodicGrid(height: 6, width: 5), n = grid.count
        var rng = RuntimeRandom(seed: 3)
        var phi: [Double] = Warp.identityMap(height: 6, width: 5)
        for k in phi.indices { phi[k] += 0.4 * rng.normal() }
        let node = CoordinateJacobian(grid: grid)
        let j = node.forward([Double](), phi)
        let (a, b) = (2, 3)
        var moved = grid.translate(phi, by: a, b)
        for x in 0..<n { moved[x] -= Double(a); moved[n + x] -= Double(b) }
        let expected = grid.translate(j, by: a, b)
        let got = node.forward([Double](), moved)
        for k in got.indices { XCTAssertEqual(got[k], expected[k], accuracy: 1e-12) }
    }

    func testGradientAgainstFiniteDifferences() {
        let grid = PeriodicGrid(height: 4, width: 5)
        var rng = RuntimeRandom(seed: 9)
        var phi: [Double] = Warp.identityMap(height: 4, width: 5)
        for k in phi.indices { phi[k] += 0.3 * rng.normal() }
        let node = CoordinateJacobian(grid: grid)
        let (worst, at) = Derivatives.finiteDifferenceError(of: node, parameters: [], inputs: [phi], seed: 4)
        XCTAssertLessThanOrEqual(worst, 1e-6, at)
    }
}
