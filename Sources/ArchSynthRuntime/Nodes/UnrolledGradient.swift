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
        /// a, the index of the form Q_a (0 ..< formCount).
        public let form: Int32
        /// The row of Q_a, an index into z = x ⊕ c.
        public let row: Int32
        /// The column of Q_a, an index into z = x ⊕ c.
        public let column: Int32
        /// Q_a[row, column].
        public let value: Double

        /// The entry Q_form[row, column] = value (indices stored as `Int32`).
        public init(form: Int, row: Int, column: Int, value: Double) {
            self.form = Int32(form)
            self.row = Int32(row)
            self.column = Int32(column)
            self.value = value
        }
    }

    /// The size of x, the state the gradient step moves.
    public let xSize: Int
    /// The size of c, the fixed context.
    public let contextSize: Int
    /// The number of invariant forms Q_a (one θ_a each).
    public let formCount: Int
    /// The forms' entries, every form stored in full (symmetric).
    public let entries: [Entry]
    /// Quartic terms q_a·q_b, one parameter each.
    public let pairs: [[Int]]
    /// [x, c]: `xSize` and `contextSize` values.
    public var inputSizes: [Int] { [xSize, contextSize] }
    /// 1: the energy E.
    public var outputSize: Int { 1 }
    /// θ (one per form), then φ (one per pair).
    public var parameterCount: Int { formCount + pairs.count }

    /// The energy from its forms and quartic pairs (traps if an entry or a pair is out of range).
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

    /// E from the forms' values q_a; the pullback gives θ̄ = ē·q, φ̄ = ē·q_a·q_b and z̄ = ē Σ_a w_a Q_a z split into x̄, c̄.
    /// - Complexity: O(entries + pairs + xSize + contextSize) forward and backward.
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
    /// E_θ: a node with inputs [x, c] and one output.
    public let energy: any DifferentiableNode
    /// Whether the step is u(g) = g / √(1 + ‖g‖²) (at most η long) rather than g.
    public let normalized: Bool
    /// [x, c], as the energy's.
    public var inputSizes: [Int] { energy.inputSizes }
    /// The size of x: the output is x′.
    public var outputSize: Int { energy.inputSizes[0] }
    /// 1 + the energy's: η, then θ.
    public var parameterCount: Int { 1 + energy.parameterCount }

    /// A step on `energy` (traps unless it takes two inputs [x, c] and returns one number).
    public init(energy: any DifferentiableNode, normalized: Bool) {
        precondition(energy.inputSizes.count == 2 && energy.outputSize == 1, "GradientStep: the energy takes [x, c] and returns one number")
        self.energy = energy
        self.normalized = normalized
    }

    /// x − η u(∇ₓE) with ∇ₓE from one pullback of E; the pullback is a Hessian-vector product of E
    /// (its pullback run on `Dual<T>`).
    /// - Complexity: one forward and pullback of E forward; one pullback of E on duals (a small constant times its cost) backward.
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
    /// The gradient step every unrolled step applies (with its own or the shared θ).
    public let step: GradientStep
    /// K, the number of steps (at least 1).
    public let steps: Int
    /// Whether all steps share one θ block (else K blocks).
    public let shared: Bool
    /// [x, c], as the step's.
    public var inputSizes: [Int] { step.inputSizes }
    /// The size of x: the output is x_K.
    public var outputSize: Int { step.outputSize }
    /// The size of one θ block (the energy's parameter count).
    public var energyParameterCount: Int { step.energy.parameterCount }
    /// K step sizes η_k, then one θ block (`shared`) or K.
    public var parameterCount: Int { steps + (shared ? 1 : steps) * energyParameterCount }

    /// K = `steps` unrolled steps (traps unless K ≥ 1).
    public init(step: GradientStep, steps: Int, shared: Bool) {
        precondition(steps >= 1, "UnrolledGradient: at least one step")
        self.step = step
        self.steps = steps
        self.shared = shared
    }

    /// The offset of step k's θ block.
    @inlinable public func thetaOffset(_ k: Int) -> Int { steps + (shared ? 0 : k) * energyParameterCount }

    /// The K steps in order; the pullback runs their pullbacks in reverse, adding the context's gradients
    /// (and a shared θ's) over the steps.
    /// - Complexity: K times a `GradientStep`'s cost forward and backward; memory for K pullbacks.
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
