#if canImport(Glibc)
    import Glibc
#endif

/// Bilinear sampling of a C-channel periodic grid signal at arbitrary points:
///
///     out[c, x] = f[c](φ(x))     (bilinear between the four grid points around φ(x), mod the grid)
///
/// Inputs: the field f (C·n values, channels outermost) and the points φ (2n values: rows then
/// columns, grid units, any real numbers). Output: C·n values. The cell is chosen with
/// floor(φ.primal), so dual numbers take the same cell; the adjoint covers f and φ.
/// (A minimal periodic warp for TwoStep; `Warp` on main is the general one.)
/// Law: for integer shifts, sampling f∘T_w at φ − w equals sampling f at φ, and sampling at
/// φ∘T_u gives the output ∘ T_u.
public struct PeriodicSample: DifferentiableNode {
    public let grid: PeriodicGrid
    public let channels: Int
    public var inputSizes: [Int] { [channels * grid.count, 2 * grid.count] }
    public var outputSize: Int { channels * grid.count }
    public var parameterCount: Int { 0 }

    public init(grid: PeriodicGrid, channels: Int) {
        self.grid = grid
        self.channels = channels
    }

    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "PeriodicSample")
        let f = inputs[0], phi = inputs[1], n = grid.count, (h, w) = (grid.height, grid.width), cCount = channels
        // Per point: the four corner indices and the fractional parts.
        var corners = [Int](repeating: 0, count: 4 * n)
        var fr = [T](repeating: T.zero, count: n), fs = fr
        for x in 0..<n {
            let r0 = Glibc.floor(phi[x].primal), s0 = Glibc.floor(phi[n + x].primal)
            fr[x] = phi[x] - T(r0)
            fs[x] = phi[n + x] - T(s0)
            let i0 = ((Int(r0) % h) + h) % h, j0 = ((Int(s0) % w) + w) % w
            let i1 = (i0 + 1) % h, j1 = (j0 + 1) % w
            (corners[4 * x], corners[4 * x + 1], corners[4 * x + 2], corners[4 * x + 3]) = (i0 * w + j0, i0 * w + j1, i1 * w + j0, i1 * w + j1)
        }
        var out = [T](repeating: T.zero, count: cCount * n)
        for c in 0..<cCount {
            for x in 0..<n {
                let (a, b) = (fr[x], fs[x]), o = c * n
                let f00 = f[o + corners[4 * x]], f01 = f[o + corners[4 * x + 1]], f10 = f[o + corners[4 * x + 2]], f11 = f[o + corners[4 * x + 3]]
                out[o + x] = (T(1) - a) * ((T(1) - b) * f00 + b * f01) + a * ((T(1) - b) * f10 + b * f11)
            }
        }
        return (out, { dy in
            var df = [T](repeating: T.zero, count: cCount * n), dphi = [T](repeating: T.zero, count: 2 * n)
            for c in 0..<cCount {
                for x in 0..<n {
                    let (a, b) = (fr[x], fs[x]), o = c * n, g = dy[o + x]
                    let f00 = f[o + corners[4 * x]], f01 = f[o + corners[4 * x + 1]], f10 = f[o + corners[4 * x + 2]], f11 = f[o + corners[4 * x + 3]]
                    df[o + corners[4 * x]] += g * (T(1) - a) * (T(1) - b)
                    df[o + corners[4 * x + 1]] += g * (T(1) - a) * b
                    df[o + corners[4 * x + 2]] += g * a * (T(1) - b)
                    df[o + corners[4 * x + 3]] += g * a * b
                    dphi[x] += g * ((T(1) - b) * (f10 - f00) + b * (f11 - f01))
                    dphi[n + x] += g * ((T(1) - a) * (f01 - f00) + a * (f11 - f10))
                }
            }
            return NodeGradient(parameters: [], inputs: [df, dphi])
        })
    }
}

extension RegistrationNetworks {
    /// TwoStep{Φ,Ψ}[A,B] = Φ[A,B]∘Ψ[A∘Φ[A,B], B] on the resultants: Φ's coordinates warp A
    /// (periodic bilinear), the [U,U]-equivariant displacement network Ψ (`refine`, on the
    /// concatenated pair A∘Φ ⊕ B, last layer 2 channels) gives Ψ(x) = x + d(x), and the output is
    /// Φ's resultant field sampled at Ψ(x) (the circular analogue of composing coordinate maps).
    /// [W,U] holds exactly for integer shifts: (A∘W)∘(W⁻¹∘Φ∘U) = (A∘Φ)∘U, so Ψ' = U⁻¹∘Ψ∘U.
    public static func twoStep(
        _ phi: Graph.Value, moving a: Graph.Value, fixed bImage: Graph.Value, grid: PeriodicGrid, refine: [GridConvolution], blocks: [ParameterBlock],
        _ b: inout GraphBuilder
    ) -> Graph.Value {
        let coordinates = b.apply(CircularCoordinate(grid: grid), [phi])
        let warped = b.apply(PeriodicSample(grid: grid, channels: 1), [a, coordinates])
        let pair = b.concat(warped, bImage)
        let d = apply(refine, blocks: blocks, to: pair, &b)
        let identity = b.apply(GridOffset(grid: grid), [d])
        return b.apply(PeriodicSample(grid: grid, channels: 4), [phi, identity])
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
