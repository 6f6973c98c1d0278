extension RegistrationNetworks {
    /// TwoStep{Φ,Ψ}[A,B] = Φ[A,B]∘Ψ[A∘Φ[A,B], B] on the resultants: Φ's coordinates warp A
    /// (`Warp`, periodic bilinear), the [U,U]-equivariant displacement network Ψ (`refine`, on the
    /// concatenated pair A∘Φ ⊕ B, last layer 2 channels) gives Ψ(x) = x + L·tanh(d(x)/L), L half
    /// the grid per axis (`BoundedDisplacement`, so the law holds at every input scale), and the output is
    /// Φ's resultant field sampled at Ψ(x) (the circular analogue of composing coordinate maps).
    /// [W,U] holds exactly for integer shifts: (A∘W)∘(W⁻¹∘Φ∘U) = (A∘Φ)∘U, so Ψ' = U⁻¹∘Ψ∘U.
    public static func twoStep(
        _ phi: Graph.Value, moving a: Graph.Value, fixed bImage: Graph.Value, grid: PeriodicGrid, refine: [GridConvolution], blocks: [ParameterBlock],
        _ b: inout GraphBuilder
    ) -> Graph.Value {
        let coordinates = b.apply(CircularCoordinate(grid: grid), [phi])
        let warped = b.apply(Warp(channels: 1, height: grid.height, width: grid.width, mode: .periodic), [a, coordinates])
        // Faded by the attention's concentration |z_row|²·|z_col|²: where a circular mean is
        // undefined (z = 0, e.g. uniform attention from vanishing features on one-hot images)
        // its angle is rounding noise and no coordinate obeys [W,U]; weighted by a quantity the
        // law leaves invariant that goes to 0 there, A∘Φ no longer depends on it.
        let confidence = b.apply(ResultantConcentration(grid: grid), [phi])
        let faded = b.apply(Product(size: grid.count), [warped, confidence])
        let pair = b.concat(faded, bImage)
        let d = apply(refine, blocks: blocks, to: pair, &b)
        let bounded = b.apply(BoundedDisplacement(grid: grid), [d])
        let psi = b.apply(GridOffset(grid: grid), [bounded])
        return b.apply(Warp(channels: 4, height: grid.height, width: grid.width, mode: .periodic), [phi, psi])
    }
}

/// The concentration of soft attention at each point, |z_row(x)|²·|z_col(x)|² ∈ [0, 1], from the
/// 4n resultant values (layout as `CircularCoordinate`: Re and Im per axis). Invariant under
/// the phase rotations the [W,U] law applies to resultants; 0 where a circular mean is
/// undefined. Squared lengths keep it smooth at z = 0.
public struct ResultantConcentration: ParameterFreeNode, GridPlanesNode, ScalarSpecializedNode {
    /// The periodic grid of the resultants (n = `grid.count` points).
    public let grid: PeriodicGrid
    /// In, z: Re z_row, Im z_row, Re z_col, Im z_col; out: one concentration per point.
    public static let planes = (input: 4, output: 1)

    /// The concentration of resultants on `grid`.
    public init(grid: PeriodicGrid) { self.grid = grid }

    /// |z_row|²·|z_col|² per point; the pullback is 2ȳ·|z_col|²·z_row and 2ȳ·|z_row|²·z_col.
    /// - Complexity: O(n) forward and backward.
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let z = inputs[0], n = grid.count
        var rows = [T](repeating: T.zero, count: n), columns = [T](repeating: T.zero, count: n), y = [T](repeating: T.zero, count: n)
        for x in 0..<n {
            rows[x] = z[x] * z[x] + z[n + x] * z[n + x]
            columns[x] = z[2 * n + x] * z[2 * n + x] + z[3 * n + x] * z[3 * n + x]
            y[x] = rows[x] * columns[x]
        }
        return (y, { dy in
            var dz = [T](repeating: T.zero, count: 4 * n)
            let two = T(2.0)
            for x in 0..<n {
                let gr = two * dy[x] * columns[x], gc = two * dy[x] * rows[x]
                dz[x] = gr * z[x]
                dz[n + x] = gr * z[n + x]
                dz[2 * n + x] = gc * z[2 * n + x]
                dz[3 * n + x] = gc * z[3 * n + x]
            }
            return NodeGradient(parameters: [], inputs: [dz])
        })
    }
}

/// x + d(x): a displacement field (2n values, rows then columns) to the coordinate field it
/// defines. Law: d∘T_u ↦ (x + d(x + u)) = Ψ(x + u) − u.
public struct GridOffset: ParameterFreeNode, GridPlanesNode, ScalarSpecializedNode {
    /// The periodic grid of the field (H×W, n = `grid.count` points).
    public let grid: PeriodicGrid
    /// In, d: rows plane then columns plane, grid units; out: the coordinate field x + d(x), same layout.
    public static let planes = (input: 2, output: 2)

    /// Displacement to coordinates on `grid`.
    public init(grid: PeriodicGrid) { self.grid = grid }

    /// d plus each point's (row, column); the pullback is the identity.
    /// - Complexity: O(n).
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let n = grid.count, w = grid.width
        var y = inputs[0]
        for x in 0..<n {
            y[x] += T(Double(x / w))
            y[n + x] += T(Double(x % w))
        }
        return (y, { dy in NodeGradient(parameters: [], inputs: [dy]) })
    }
}
