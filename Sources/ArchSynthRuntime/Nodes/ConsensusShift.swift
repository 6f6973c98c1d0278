/// The global-shift consensus of coordinate-attention resultants: every point's resultant gets
/// the resultant of the one translation that the whole grid votes for, weighted by a learned β.
///
/// Input and output: resultants in `CoordinateAttention`'s layout (4n values: Re z_row, Im z_row,
/// Re z_col, Im z_col over the grid points). With v_a(x) = e^(2πi·x_a/N_a) per axis a,
///
///     g_a = (1/n) Σ_x z_a(x) · conj(v_a(x))        (the mean of e^(2πi·(Φ(x) − x)_a/N_a), by |z|)
///     z'_a(x) = z_a(x) + β · g_a · v_a(x),         β = β₀ + θ (θ learned, starts at 0)
///
/// Where attention is confident (|z| near 1) its own match dominates; where it cannot tell points
/// apart (|z| small, uniform regions) the map follows the global translation instead of an
/// arbitrary coordinate, which keeps Φ₀ from folding there.
///
/// Law [W,U]: the input z'_a(x) = e^(−2πi·w_a/N_a) z_a(x + u) gives g'_a = e^(2πi·(u_a − w_a)/N_a) g_a,
/// so the consensus term becomes g'_a v_a(x) = e^(−2πi·w_a/N_a) g_a v_a(x + u): the node commutes
/// with the action (exactly, up to rounding), as the attention does. It is linear in z, and the
/// map z ↦ v (v^H z) is Hermitian, so the adjoint in z is the map itself.
///
/// - Complexity: O(n) per call (two sums and one update per axis).
public struct ConsensusShift: GridPlanesNode {
    /// The periodic grid of the resultants (n = `grid.count` points).
    public let grid: PeriodicGrid
    /// β₀, the consensus weight before training (β = β₀ + θ).
    public let baseWeight: Double

    /// In, z: Re z_row, Im z_row, Re z_col, Im z_col; out: z' in the same layout.
    public static let planes = (input: 4, output: 4)
    /// 1: θ, the learned change of β (β = β₀ + θ).
    public var parameterCount: Int { 1 }

    /// The consensus on `grid` with β₀ = `baseWeight` (traps unless finite).
    public init(grid: PeriodicGrid, baseWeight: Double) {
        precondition(baseWeight.isFinite, "ConsensusShift: β₀ = \(baseWeight)")
        self.grid = grid
        self.baseWeight = baseWeight
    }

    /// (1/n) Σ_x q(x) · conj(v_a(x)) for the axis-a planes of `q` (Re at `re`, Im at `re + n`).
    @inline(__always)
    static func mean<T: RuntimeScalar>(_ q: [T], _ re: Int, _ cosine: [T], _ sine: [T], _ n: Int) -> (T, T) {
        var gr = T.zero, gi = T.zero
        for x in 0..<n {
            let (a, b) = (q[re + x], q[re + n + x])
            gr += cosine[x] * a + sine[x] * b
            gi += cosine[x] * b - sine[x] * a
        }
        let inv = T(1 / Double(n))
        return (gr * inv, gi * inv)
    }

    /// z + β·g_a·v_a per axis; the pullback applies the same (self-adjoint in z) map to ȳ and gives θ̄
    /// from the two axis means.
    /// - Complexity: O(n) forward and backward.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "ConsensusShift")
        let z = inputs[0], n = grid.count
        let ph = CoordinateAttention.phases(grid)
        let cosines = [ph.rowCos.map { T($0) }, ph.colCos.map { T($0) }]
        let sines = [ph.rowSin.map { T($0) }, ph.colSin.map { T($0) }]
        let beta = T(baseWeight) + parameters[0]
        // y = q + β·v·g(q): the forward map, and (with the same β) its adjoint.
        func apply(_ q: [T]) -> (y: [T], g: [(T, T)]) {
            var y = q, g: [(T, T)] = []
            for axis in 0..<2 {
                let re = 2 * axis * n, (c, s) = (cosines[axis], sines[axis])
                let (gr, gi) = Self.mean(q, re, c, s, n)
                g.append((gr, gi))
                let (br, bi) = (beta * gr, beta * gi)
                for x in 0..<n {
                    y[re + x] += c[x] * br - s[x] * bi
                    y[re + n + x] += s[x] * br + c[x] * bi
                }
            }
            return (y, g)
        }
        let (y, g) = apply(z)
        return (y, { dy in
            let (dz, h) = apply(dy)
            // ∂/∂β ⟨ȳ, v·g⟩ = Σ_a n·(g_a · conj(h_a)) real part, with h_a = mean of ȳ_a·conj(v_a).
            var dBeta = T.zero
            for axis in 0..<2 { dBeta += g[axis].0 * h[axis].0 + g[axis].1 * h[axis].1 }
            return NodeGradient(parameters: [dBeta * T(Double(n))], inputs: [dz])
        })
    }
}
