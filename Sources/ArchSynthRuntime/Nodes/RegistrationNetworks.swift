/// Graphs for registration on a periodic grid, built from `GridConvolution`,
/// `CoordinateAttention` and ReLU: the doubly equivariant coordinate-attention template
/// ([W,U]) and a plain displacement network ([U,U] only), the baseline it is compared with.
///
/// Conventions: images are `imageChannels`-channel grid signals (channels outermost);
/// input 0 is the moving image A, input 1 the fixed image B; Φ[A,B] maps B's grid into A's
/// (A ∘ Φ ≈ B), coordinates in grid units, rows then columns.
public enum RegistrationNetworks {
    /// The feature network's layers: `depth` convolutions imageChannels → C → … → C with
    /// k×k stencils, ReLU between them (not after the last).
    public static func featureLayers(grid: PeriodicGrid, imageChannels: Int, channels: Int, depth: Int, stencil: Int) -> [GridConvolution] {
        precondition(depth >= 1, "RegistrationNetworks: depth \(depth)")
        return (0..<depth).map { l in
            GridConvolution(grid: grid, inputChannels: l == 0 ? imageChannels : channels, outputChannels: channels, stencil: stencil)
        }
    }

    /// Applies convolution layers with ReLU between them.
    public static func apply(_ layers: [GridConvolution], blocks: [ParameterBlock], to x: Graph.Value, _ b: inout GraphBuilder) -> Graph.Value {
        var v = x
        for (l, layer) in layers.enumerated() {
            v = b.apply(layer, [v], parameters: blocks[l])
            if l < layers.count - 1 { v = b.apply(Pointwise.relu(size: layer.outputSize), [v]) }
        }
        return v
    }

    /// (A, B) ↦ resultants of Φ[A,B] (4n values, see `CoordinateAttention`): F^A, F^B from one
    /// feature network with shared weights, then coordinate attention. Law: [W,U].
    public static func coordinateAttention(grid: PeriodicGrid, imageChannels: Int, channels: Int, depth: Int, stencil: Int, temperature: Double) -> Graph {
        let n = grid.count
        var b = GraphBuilder(inputSizes: [imageChannels * n, imageChannels * n])
        let layers = featureLayers(grid: grid, imageChannels: imageChannels, channels: channels, depth: depth, stencil: stencil)
        let blocks = layers.map { b.parameters(for: $0) }
        let fa = apply(layers, blocks: blocks, to: b.inputs[0], &b)
        let fb = apply(layers, blocks: blocks, to: b.inputs[1], &b)
        let z = b.apply(CoordinateAttention(grid: grid, channels: channels, temperature: temperature), [fa, fb])
        return b.build(output: z)
    }

    /// (A, B) ↦ displacement field D (2n values, rows then columns, grid units), Φ(x) = x + D(x):
    /// convolutions on the concatenated pair A ⊕ B (2·imageChannels channels) → C → … → 2.
    /// Law: [U,U] only (moving both images together), D[A∘U, B∘U] = D[A,B]∘U.
    public static func displacementNetwork(grid: PeriodicGrid, imageChannels: Int, channels: Int, depth: Int, stencil: Int) -> Graph {
        let n = grid.count
        var b = GraphBuilder(inputSizes: [imageChannels * n, imageChannels * n])
        let pair = b.concat(b.inputs[0], b.inputs[1])
        let layers = (0..<depth).map { l in
            GridConvolution(
                grid: grid, inputChannels: l == 0 ? 2 * imageChannels : channels, outputChannels: l == depth - 1 ? 2 : channels, stencil: stencil)
        }
        let blocks = layers.map { b.parameters(for: $0) }
        let d = apply(layers, blocks: blocks, to: pair, &b)
        return b.build(output: d)
    }

    /// Initial parameters for a graph of these nodes: convolution weights uniform in
    /// ±√(3/fan-in) (`GridConvolution.initializationBound`), biases zero; shared blocks are
    /// drawn once.
    public static func initialParameters(_ graph: Graph, seed: UInt64) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        var p = [Double](repeating: 0, count: graph.parameterCount)
        var seen = Set<Int>()
        for step in graph.steps where !seen.contains(step.parameterOffset) {
            guard let conv = step.node as? GridConvolution else { continue }
            seen.insert(step.parameterOffset)
            let a = conv.initializationBound
            for i in 0..<conv.weightCount { p[step.parameterOffset + i] = rng.uniform(-a, a) }
        }
        return p
    }

    /// Φ(x) = x + D(x) from a displacement field (2n values).
    public static func coordinates(displacement d: [Double], grid: PeriodicGrid) -> [Double] {
        let n = grid.count
        var phi = d
        for x in 0..<n {
            phi[x] += Double(x / grid.width)
            phi[n + x] += Double(x % grid.width)
        }
        return phi
    }
}
