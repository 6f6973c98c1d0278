/// An invariant energy E_θ(x; c) built from G-invariant quadratic forms on z = x ⊕ c:
///
///     q_a(z) = ½ zᵀ Q_a z,   E = Σ_a θ_a q_a + Σ_p φ_p q_{a_p} q_{b_p}
///
/// (quadratic terms, then quartic terms as products of invariant quadratics). Parameters: θ
/// (one per form) then φ (one per pair). Inputs [x, c], output [E] (size 1).
/// Law: E(ρ_x(g)x, ρ_c(g)c) = E(x, c) whenever every Q_a is invariant, ρ(g)ᵀ Q_a ρ(g) = Q_a
/// (the solver's Hom_G((x+c)^2, trivial), symmetrized).
///
/// ```swift
/// // q(z) = ½‖x‖² on x ∈ R², no context:
/// let e = InvariantFormEnergy(xSize: 2, contextSize: 0, formCount: 1, entries: [.init(form: 0, row: 0, column: 0, value: 1), .init(form: 0, row: 1, column: 1, value: 1)], pairs: [])
/// ```
public struct InvariantFormEnergy: DifferentiableNode {
    /// Q_a[row, column] = value; every form is stored in full (both (i, j) and (j, i)), symmetric.
    public struct Entry: Sendable, Hashable {
        public let form: Int32
        public let row: Int32
        public let column: Int32
        public let value: Double

        public init(form: Int, row: Int, column: Int, value: Double) {
            self.form = Int32(form)
            self.row = Int32(row)
            self.column = Int32(column)
            self.value = value
        }
    }

    public let xSize: Int
    public let contextSize: Int
    public let formCount: Int
    public let entries: [Entry]
    /// Quartic terms q_a·q_b, one parameter each.
    public let pairs: [[Int]]
    public var inputSizes: [Int] { [xSize, contextSize] }
    public var outputSize: Int { 1 }
    public var parameterCount: Int { formCount + pairs.count }

    public init(xSize: Int, contextSize: Int, formCount: Int, entries: [Entry], pairs: [[Int]]) {
        let n = xSize + contextSize
        precondition(entries.allSatisfy { Int($0.form) < formCount && Int($0.row) < n && Int($0.column) < n }, "InvariantFormEnergy: entry out of range")
        precondition(pairs.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 >= 0 && $0 < formCount } }, "InvariantFormEnergy: pair out of range")
        self.xSize = xSize
        self.contextSize = contextSize
        self.formCount = formCount
        self.entries = entries
        self.pairs = pairs
    }

    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "InvariantFormEnergy")
        let z = inputs[0] + inputs[1]
        let (m, nx, entries, pairs) = (formCount, xSize, entries, pairs)
        // q_a = ½ zᵀ Q_a z
        var q = [T](repeating: T.zero, count: m)
        for e in entries { q[Int(e.form)] += T(0.5 * e.value) * z[Int(e.row)] * z[Int(e.column)] }
        var energy = T.zero
        for a in 0..<m { energy += parameters[a] * q[a] }
        for (p, ab) in pairs.enumerated() { energy += parameters[m + p] * q[ab[0]] * q[ab[1]] }
        return ([energy], { de in
            let ebar = de[0]
            // w_a = ∂E/∂q_a
            var w = Array(parameters[0..<m])
            var dp = q.map { ebar * $0 }
            for (p, ab) in pairs.enumerated() {
                let (a, b) = (ab[0], ab[1]), phi = parameters[m + p]
                w[a] += phi * q[b]
                w[b] += phi * q[a]
                dp.append(ebar * q[a] * q[b])
            }
            var dz = [T](repeating: T.zero, count: z.count)
            for e in entries { dz[Int(e.row)] += ebar * w[Int(e.form)] * T(e.value) * z[Int(e.column)] }
            return NodeGradient(parameters: dp, inputs: [Array(dz[0..<nx]), Array(dz[nx...])])
        })
    }
}

/// One step of gradient descent on an energy E_θ(x; c) (any node with inputs [x, c] and a
/// scalar output): x′ = x − η u(∇ₓE), u(g) = g (plain) or g / √(1 + ‖g‖²) (normalized: the
/// step is at most η long, so quartic energies stay finite on inputs of size 10⁴).
/// Parameters: η, then the energy's θ. Inputs [x, c], output x′.
///
/// Law: if E is invariant under (ρ_x, ρ_c) and ρ_x is orthogonal, ∇ₓE(gx, gc) = ρ_x(g)∇ₓE(x, c)
/// and ‖∇ₓE‖ is invariant, so x′(gx, gc) = ρ_x(g) x′(x, c).
///
/// The pullback needs second derivatives of E: ⟨ḡ, ∇ₓE⟩ differentiated in (θ, x, c) is the
/// Hessian-vector product of E in the direction (0, ḡ, 0), computed by running E's own pullback
/// on `Dual<T>` (forward-over-reverse); the step is generic, so its own Hessian-vector products
/// run E on `Dual<Dual<T>>`.
public struct GradientStep: DifferentiableNode {
    public let energy: any DifferentiableNode
    public let normalized: Bool
    public var inputSizes: [Int] { energy.inputSizes }
    public var outputSize: Int { energy.inputSizes[0] }
    public var parameterCount: Int { 1 + energy.parameterCount }

    public init(energy: any DifferentiableNode, normalized: Bool) {
        precondition(energy.inputSizes.count == 2 && energy.outputSize == 1, "GradientStep: the energy takes [x, c] and returns one number")
        self.energy = energy
        self.normalized = normalized
    }

    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "GradientStep")
        let energy = self.energy, normalized = self.normalized
        let eta = parameters[0], theta = Array(parameters[1...])
        let (x, c) = (inputs[0], inputs[1])
        let g = energy.backward(theta, inputs, outputGradient: [T(1)]).inputs[0]
        var s = T(1)
        if normalized {
            var gg = T.zero
            for v in g { gg += v * v }
            s = T(1) / T.sqrt(T(1) + gg)
        }
        let u = g.map { s * $0 }
        let y = (0..<x.count).map { x[$0] - eta * u[$0] }
        return (y, { dy in
            var dEta = T.zero
            for i in dy.indices { dEta -= dy[i] * u[i] }
            let ubar = dy.map { -(eta * $0) }
            var gbar = ubar
            if normalized {
                // ∂u/∂g = s I − s³ g gᵀ (symmetric)
                var dot = T.zero
                for i in g.indices { dot += g[i] * ubar[i] }
                let s3 = s * s * s
                gbar = (0..<g.count).map { s * ubar[$0] - s3 * g[$0] * dot }
            }
            // ∂/∂(θ, x, c) ⟨ḡ, ∇ₓE⟩ = E's Hessian applied to (0, ḡ, 0).
            let hv = energy.backward(
                theta.map { Dual<T>($0, T.zero) },
                [zip(x, gbar).map { Dual<T>($0, $1) }, c.map { Dual<T>($0, T.zero) }],
                outputGradient: [Dual<T>(T(1), T.zero)])
            let dx = (0..<x.count).map { dy[$0] + hv.inputs[0][$0].tangent }
            return NodeGradient(parameters: [dEta] + hv.parameters.map(\.tangent), inputs: [dx, hv.inputs[1].map(\.tangent)])
        })
    }
}

/// K unrolled gradient steps x_{k+1} = x_k − η_k u(∇ₓE_{θ_k}(x_k; c)), output x_K. Parameters:
/// η_0 … η_{K−1}, then θ (one block shared by every step when `shared`, else K blocks).
/// Law: each step is equivariant for (ρ_x, ρ_c) → ρ_x, so the composition is.
///
/// ```swift
/// let block = UnrolledGradient(step: GradientStep(energy: e, normalized: false), steps: 4, shared: true)
/// let xK = block.forward(block.initialParameters(seed: 1), [x, c])
/// ```
public struct UnrolledGradient: DifferentiableNode {
    public let step: GradientStep
    public let steps: Int
    public let shared: Bool
    public var inputSizes: [Int] { step.inputSizes }
    public var outputSize: Int { step.outputSize }
    public var energyParameterCount: Int { step.energy.parameterCount }
    public var parameterCount: Int { steps + (shared ? 1 : steps) * energyParameterCount }

    public init(step: GradientStep, steps: Int, shared: Bool) {
        precondition(steps >= 1, "UnrolledGradient: at least one step")
        self.step = step
        self.steps = steps
        self.shared = shared
    }

    /// The offset of step k's θ block.
    @inlinable public func thetaOffset(_ k: Int) -> Int { steps + (shared ? 0 : k) * energyParameterCount }

    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "UnrolledGradient")
        let c = inputs[1], m = energyParameterCount, K = steps, count = parameterCount
        var x = inputs[0]
        var pullbacks: [([T]) -> NodeGradient<T>] = []
        for k in 0..<K {
            let o = thetaOffset(k)
            let (y, pb) = step.valueWithPullback([parameters[k]] + Array(parameters[o..<(o + m)]), [x, c])
            pullbacks.append(pb)
            x = y
        }
        let offsets = (0..<K).map(thetaOffset)
        return (x, { dy in
            var dx = dy, dc = [T](repeating: T.zero, count: c.count)
            var dp = [T](repeating: T.zero, count: count)
            for k in stride(from: K - 1, through: 0, by: -1) {
                let g = pullbacks[k](dx)
                dp[k] += g.parameters[0]
                for j in 0..<m { dp[offsets[k] + j] += g.parameters[1 + j] }
                dx = g.inputs[0]
                for i in dc.indices { dc[i] += g.inputs[1][i] }
            }
            return NodeGradient(parameters: dp, inputs: [dx, dc])
        })
    }

    /// η_k = `stepSize`, θ ~ N(0, scale²) from the seed.
    public func initialParameters(seed: UInt64, stepSize: Double = 0.1, scale: Double = 0.5) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        return [Double](repeating: stepSize, count: steps) + rng.normals(parameterCount - steps, scale: scale)
    }
}
