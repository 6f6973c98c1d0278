extension RegistrationNetworks {
    /// TwoStep{Φ,Ψ}[A,B] = Φ[A,B]∘Ψ[A∘Φ[A,B], B] on the resultants: Φ's coordinates warp A
    /// (`Warp`, periodic bilinear), the [U,U]-equivariant displacement network Ψ (`refine`, on the
    /// concatenated pair A∘Φ ⊕ B, last layer 2 channels) gives Ψ(x) = x + d(x), and the output is
    /// Φ's resultant field sampled at Ψ(x) (the circular analogue of composing coordinate maps).
    /// [W,U] holds exactly for integer shifts: (A∘W)∘(W⁻¹∘Φ∘U) = (A∘Φ)∘U, so Ψ' = U⁻¹∘Ψ∘U.
    public static func twoStep(
        _ phi: Graph.Value, moving a: Graph.Value, fixed bImage: Graph.Value, grid: PeriodicGrid, refine: [GridConvolution], blocks: [ParameterBlock],
        _ b: inout GraphBuilder
    ) -> Graph.Value {
        let coordinates = b.apply(CircularCoordinate(grid: grid), [phi])
        let warped = b.apply(Warp(channels: 1, height: grid.height, width: grid.width, mode: .periodic), [a, coordinates])
        let pair = b.concat(warped, bImage)
        let d = apply(refine, blocks: blocks, to: pair, &b)
        let psi = b.apply(GridOffset(grid: grid), [d])
        return b.apply(Warp(channels: 4, height: grid.height, width: grid.width, mode: .periodic), [phi, psi])
    }
}

/// x + d(x): a displacement field (2n values, rows then columns) to the coordinate field it
/// defines. Law: d∘T_u ↦ (x + d(x + u)) = Ψ(x + u) − u.
public struct GridOffset: DifferentiableNode {
    public let grid: PeriodicGrid
    public var inputSizes: [Int] { [2 * grid.count] }
    public var outputSize: Int { 2 * grid.count }
    public var parameterCount: Int { 0 }

    public init(grid: PeriodicGrid) { self.grid = grid }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "GridOffset")
        let n = grid.count, w = grid.width
        var y = inputs[0]
        for x in 0..<n {
            y[x] += T(Double(x / w))
            y[n + x] += T(Double(x % w))
        }
        return (y, { dy in NodeGradient(parameters: [], inputs: [dy]) })
    }
}
