import ArchSynthRuntime
import GroupTheory

/// Bridges from the solver to the runtime's module layer: a basis becomes a `TiedLinear` node,
/// a nonlinearity plan becomes activation nodes, a library network becomes a `Graph`, and
/// representations become a `Law` over the group's elements.
extension TiedLinear {
    /// W = Σ θ_i B_i, b = Σ β_j c_j: parameter i is basis element i, bias parameter j is bias
    /// element j. Law: ρ_out(g) W = W ρ_in(g) for the representations the basis was solved for.
    ///
    /// ```swift
    /// let node = TiedLinear(basis: try IntertwinerSolver.solve(group: s5, input: "natural", output: "natural", options: SolverOptions()))
    /// node.parameterCount   // 2 + 1
    /// ```
    ///
    /// The basis must be materialized: a factored one (`IntertwinerSolver.solveFactored`) has no
    /// element list to tie, and is refused by a precondition.
    public init(basis: EquivariantBasis) {
        precondition(basis.factored == nil, "TiedLinear needs a materialized basis; a factored basis has no element list (use the factored layer strategy for it)")
        var entries: [Entry] = []
        for (i, b) in basis.elements.enumerated() {
            for e in b.entries { entries.append(Entry(row: e.row, column: e.column, parameter: i, coefficient: e.value)) }
        }
        var bias: [BiasEntry] = []
        for (j, b) in basis.biasElements.enumerated() {
            for e in b.entries { bias.append(BiasEntry(row: e.row, parameter: j, coefficient: e.value)) }
        }
        self.init(
            inputSize: basis.inputDimension, outputSize: basis.outputDimension, weightCount: basis.dimension,
            biasCount: basis.biasDimension, entries: entries, biasEntries: bias)
    }
}

extension NonlinearityPlan {
    /// The plan as runtime nodes applied in sequence (they act on disjoint coordinates):
    /// pointwise ReLU on permutation blocks, tanh on signed-permutation blocks, the norm gate on
    /// orthogonal blocks (one gate bias each).
    public var nodes: [any DifferentiableNode] {
        var nodes: [any DifferentiableNode] = []
        if !reluCoordinates.isEmpty { nodes.append(Pointwise(size: dimension, function: .relu, coordinates: reluCoordinates)) }
        if !tanhCoordinates.isEmpty { nodes.append(Pointwise(size: dimension, function: .tanh, coordinates: tanhCoordinates)) }
        if !normBlocks.isEmpty { nodes.append(NormGate(size: dimension, blocks: normBlocks)) }
        return nodes
    }
}

extension EquivariantNetwork {
    /// The network as a runtime `Graph` (layers as `TiedLinear`, nonlinearities as their nodes)
    /// and its parameters in the graph's layout (per layer θ then β; each nonlinearity's gates
    /// after the layer before it).
    public var module: (graph: Graph, parameters: [Double]) {
        var b = GraphBuilder(inputSizes: [inputDimension])
        var v = b.inputs[0]
        var parameters: [Double] = []
        var gateOffset = 0
        for (i, layer) in layers.enumerated() {
            v = b.apply(TiedLinear(basis: layer.basis), [v])
            parameters += layer.weights + layer.bias
            if i < nonlinearities.count {
                for node in nonlinearities[i].nodes {
                    v = b.apply(node, [v])
                    parameters += gates[gateOffset..<(gateOffset + node.parameterCount)]
                    gateOffset += node.parameterCount
                }
            }
        }
        let graph = b.build(output: v)
        return (graph, parameters)
    }
}

extension Law {
    /// The linear law of a group acting on several inputs and one output through
    /// representations: every element when the acting group (on inputs ⊕ output) has at most
    /// `maxElements` elements, else every generator plus `randomWords` random words.
    ///
    /// ```swift
    /// let law = Law.representations(name: "S5 x S3", inputs: [a, b], output: ab)
    /// ```
    public static func representations(
        name: String, inputs: [Representation], output: Representation, maxElements: Int = 5_000, randomWords: Int = 200,
        seed: UInt64 = 0x0D15_7B1B
    ) -> Law {
        let k = output.generatorCount
        precondition(inputs.allSatisfy { $0.generatorCount == k }, "Law.representations: every representation must have \(k) generators")
        let actions = (inputs + [output]).map { rep -> [LinearAction] in
            if let mono = rep.monomialImages {
                return mono.map { g in
                    .signedPermutation(g.images.map { Int($0) }, g.signs.map { Double($0) })
                }
            }
            return rep.realImages.map { m in .matrix((0..<m.rows).flatMap { r in (0..<m.columns).map { m[r, $0] } }, m.rows) }
        }
        return Law.generated(
            name: name, generatorCount: k, inputSizes: inputs.map(\.dimension), outputSize: output.dimension,
            actOnInputs: { g, x in x.indices.map { actions[$0][g].apply(x[$0]) } },
            actOnOutput: { g, y in actions[inputs.count][g].apply(y) },
            limit: maxElements, randomWords: randomWords, seed: seed)
    }
}
