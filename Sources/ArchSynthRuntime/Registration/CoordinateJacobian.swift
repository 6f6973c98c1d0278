/// The Jacobian of a coordinate map's displacement by periodic forward differences:
/// for a coordinate field Φ = id + u on an H×W periodic grid (2n values, rows plane then columns
/// plane, grid units), the output holds the four planes
///
///     ∂_row u_row, ∂_row u_col, ∂_col u_row, ∂_col u_col          (4n values, in this order)
///
/// with ∂_row u_c(i, j) = wrap_c(Φ_c(i + 1, j) − Φ_c(i, j)) − [c = row] and wrap_c taking a value
/// into [−N_c/2, N_c/2) (N_row = H, N_col = W): a coordinate that wraps around the torus does not
/// look like a jump. The mean of its squares is the diffusion regularizer ½‖∇u‖² (up to the
/// factor). Linear wherever no difference sits exactly on a wrap point (a null set), so the
/// pullback is the transposed difference stencil.
///
/// Law: [U,U]: Φ' = U⁻¹∘Φ∘U (Φ'(x) = Φ(x + t) − t) gives the Jacobian shifted by t, and
/// [W, ·]: Φ − w (a constant shift of the coordinates) leaves it unchanged.
///
/// ```swift
/// let j = CoordinateJacobian(grid: PeriodicGrid(height: 4, width: 4))
/// j.forward([Double](), Warp.identityMap(height: 4, width: 4) as [Double])   // all zeros
/// ```
public struct CoordinateJacobian: ParameterFreeNode, GridPlanesNode {
    /// The H×W periodic grid of the coordinate map (grid units).
    public let grid: PeriodicGrid
    /// In, Φ: rows plane, then columns plane; out: ∂_row u_row, ∂_row u_col, ∂_col u_row, ∂_col u_col.
    public static let planes = (input: 2, output: 4)

    /// The displacement Jacobian of coordinate maps on `grid`.
    public init(grid: PeriodicGrid) { self.grid = grid }

    /// a into [−period/2, period/2) (by the primal value, so the shift is a constant).
    @inlinable static func wrapped<T: RuntimeScalar>(_ a: T, period: Int) -> T {
        let p = Double(period)
        let k = ((a.primal + p / 2) / p).rounded(.down)
        return k == 0 ? a : a - T(k * p)
    }

    /// The wrapped forward differences (wrap shifts taken by the primal value, so constant); the
    /// pullback is the transposed difference stencil.
    /// - Complexity: O(n) forward and backward, n = `grid.count`.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "CoordinateJacobian")
        let phi = inputs[0], n = grid.count, (h, w) = (grid.height, grid.width)
        var y = [T](repeating: T.zero, count: 4 * n)
        let one = T(1.0)
        for i in 0..<h {
            for j in 0..<w {
                let x = i * w + j, down = ((i + 1) % h) * w + j, right = i * w + (j + 1) % w
                // Derivative direction a (row, col), component c (row, col): plane 2a + c.
                y[x] = Self.wrapped(phi[down] - phi[x], period: h) - one
                y[n + x] = Self.wrapped(phi[n + down] - phi[n + x], period: w)
                y[2 * n + x] = Self.wrapped(phi[right] - phi[x], period: h)
                y[3 * n + x] = Self.wrapped(phi[n + right] - phi[n + x], period: w) - one
            }
        }
        return (y, { dy in
            var d = [T](repeating: T.zero, count: 2 * n)
            for i in 0..<h {
                for j in 0..<w {
                    let x = i * w + j, down = ((i + 1) % h) * w + j, right = i * w + (j + 1) % w
                    d[down] += dy[x]; d[x] -= dy[x]
                    d[n + down] += dy[n + x]; d[n + x] -= dy[n + x]
                    d[right] += dy[2 * n + x]; d[x] -= dy[2 * n + x]
                    d[n + right] += dy[3 * n + x]; d[n + x] -= dy[3 * n + x]
                }
            }
            return NodeGradient(parameters: [], inputs: [d])
        })
    }
}
