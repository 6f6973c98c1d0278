/// The smooth norm gate x_B ↦ x_B · sigmoid(‖x_B‖² + b_B) on each block B, one learned gate
/// bias b_B per block. Law: commutes with every orthogonal action that preserves each block
/// (‖x_B‖² is invariant).
///
/// Unlike `NormGate` (sigmoid of ‖x_B‖, whose Hessian grows like 1/‖x_B‖ at 0) it is C^∞, so
/// an energy built from it has bounded, continuous second derivatives: what the gradient step
/// of an unrolled block differentiates.
///
/// ```swift
/// let gate = SmoothNormGate(size: 2, blocks: [[0, 1]])
/// gate.forward([0.0], [[3, 4]])   // [3, 4]·sigmoid(25)
/// ```
public struct SmoothNormGate: BlockGateNode {
    /// The size of x and the output.
    public let size: Int
    /// The blocks B: each a list of coordinates with one gate (others pass through).
    public let blocks: [[Int]]

    /// The smooth gate on these blocks of an input of `size` values (traps if a coordinate is out of range).
    public init(size: Int, blocks: [[Int]]) {
        precondition(blocks.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < size } }, "SmoothNormGate: block coordinate out of range")
        self.size = size
        self.blocks = blocks
    }

    /// x_B · sigmoid(‖x_B‖² + b_B) per block; the pullback gives b̄ and x̄ (smooth everywhere, also at x_B = 0).
    /// - Complexity: O(size + Σ|B|) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "SmoothNormGate")
        let x = inputs[0], blocks = self.blocks
        var y = x, gates = [T]()
        for (b, block) in blocks.enumerated() {
            var r2 = T.zero
            for i in block { r2 += x[i] * x[i] }
            let s = T.sigmoid(r2 + parameters[b])
            gates.append(s)
            for i in block { y[i] = x[i] * s }
        }
        return (y, { dy in
            var dx = dy, db = [T](repeating: T.zero, count: blocks.count)
            for (b, block) in blocks.enumerated() {
                let s = gates[b]
                var dot = T.zero
                for i in block { dot += dy[i] * x[i] }
                let ds = dot * s * (T(1) - s)  // ∂L/∂(‖x‖² + b)
                db[b] = ds
                for i in block { dx[i] = dy[i] * s + T(2) * ds * x[i] }
            }
            return NodeGradient(parameters: db, inputs: [dx])
        })
    }
}

/// A generated invariant energy network E_θ(x; c): z = x ⊕ c, then equivariant layers (the
/// solver's bases as `TiedLinear`) with smooth equivariant nonlinearities between them, the
/// last layer into the trivial representation (one number). Law: E(ρ_x(g)x, ρ_c(g)c) = E(x, c).
///
/// Nonlinearities are smooth on purpose: the unrolled gradient step x − η∇ₓE differentiates
/// ∇ₓE again, and ReLU's second derivative is zero almost everywhere (∇ₓE is then piecewise
/// constant in x, every step's Jacobian is the identity, and FD checks fail at the kinks).
/// Pointwise tanh goes on permutation and signed-permutation coordinates (it commutes with
/// permutations and is odd), `SmoothNormGate` on every other orthogonal block.
///
/// ```swift
/// let e = InvariantEnergyNetwork.graph(xSize: 4, contextSize: 4, layers: [l1, l2], tanhCoordinates: [Array(0..<96)], normBlocks: [[]])
/// let p = InvariantEnergyNetwork.initialParameters(e, seed: 1)
/// ```
public enum InvariantEnergyNetwork {
    /// Layers l_0 … l_L (l_L into one number); after every layer but the last, tanh on
    /// `tanhCoordinates[i]` and the smooth norm gate on `normBlocks[i]`.
    public static func graph(xSize: Int, contextSize: Int, layers: [TiedLinear], tanhCoordinates: [[Int]], normBlocks: [[[Int]]]) -> Graph {
        precondition(!layers.isEmpty && layers[0].inputSize == xSize + contextSize, "InvariantEnergyNetwork: the first layer must read x ⊕ c (\(xSize + contextSize) values)")
        precondition(layers[layers.count - 1].outputSize == 1, "InvariantEnergyNetwork: the last layer must give one number")
        precondition(tanhCoordinates.count == layers.count - 1 && normBlocks.count == layers.count - 1, "InvariantEnergyNetwork: one nonlinearity per hidden layer")
        var b = GraphBuilder(inputSizes: [xSize, contextSize])
        var v = b.concat(b.inputs[0], b.inputs[1])
        for (i, layer) in layers.enumerated() {
            v = b.apply(layer, [v])
            if i < layers.count - 1 {
                if !tanhCoordinates[i].isEmpty { v = b.apply(Pointwise(size: layer.outputSize, function: .tanh, coordinates: tanhCoordinates[i]), [v]) }
                if !normBlocks[i].isEmpty { v = b.apply(SmoothNormGate(size: layer.outputSize, blocks: normBlocks[i]), [v]) }
            }
        }
        return b.build(output: v)
    }

    /// Layer weights uniform in ±`initializationBound` (variance preserving), biases and gate
    /// biases zero.
    public static func initialParameters(_ graph: Graph, seed: UInt64) -> [Double] {
        TiedLinear.uniformInitialParameters(graph, seed: seed)
    }
}

extension UnrolledGradient {
    /// η_k = `stepSize`, each θ block from `energy(seed of the block)` (a network's own
    /// initializer; per-step blocks get different seeds).
    public func initialParameters(seed: UInt64, stepSize: Double, energy: (UInt64) -> [Double]) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        var p = [Double](repeating: stepSize, count: steps)
        for _ in 0..<(shared ? 1 : steps) {
            let block = energy(rng.next())
            precondition(block.count == energyParameterCount, "UnrolledGradient: the energy initializer gave \(block.count) values, expected \(energyParameterCount)")
            p += block
        }
        return p
    }
}
