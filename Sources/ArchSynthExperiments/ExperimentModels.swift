import ArchSynth
import ArchSynthRuntime
import GroupTheory

/// The models the experiments train: runtime `Graph`s of `TiedLinear` nodes, either built from
/// the solver's bases (the equivariant network) or dense (the unconstrained baseline), with
/// pointwise nonlinearities between layers; and the one training loop both go through.
///
/// ```swift
/// let net = try NetworkDescription.solving(typeName: "SetNet", group: s6, expressions: ["2*natural", "8*natural", "1"])
/// let graph = try ExperimentModels.equivariant(net)
/// ```
public enum ExperimentModels {
    /// The network a description names, as a runtime graph: its layers as `TiedLinear` nodes and
    /// between them pointwise ReLU (permutation summands) or tanh (signed-permutation summands).
    /// - Throws: `ExperimentError.unsupported` when a hidden representation needs the norm
    ///   nonlinearity (the experiments use permutation representations only).
    public static func equivariant(_ network: NetworkDescription) throws -> Graph {
        var b = GraphBuilder(inputSizes: [network.representations[0].dimension])
        var v = b.inputs[0]
        for (i, layer) in network.layers.enumerated() {
            v = b.apply(TiedLinear(basis: layer.basis), [v])
            if i < network.nonlinearities.count {
                let plan = network.nonlinearities[i]
                guard plan.normBlocks.isEmpty else {
                    throw ExperimentError.unsupported("hidden representation \"\(plan.expression)\" needs the norm nonlinearity; the experiments build ReLU/tanh networks only")
                }
                if !plan.reluCoordinates.isEmpty {
                    v = b.apply(Pointwise(size: plan.dimension, function: .relu, coordinates: plan.reluCoordinates), [v])
                }
                if !plan.tanhCoordinates.isEmpty {
                    v = b.apply(Pointwise(size: plan.dimension, function: .tanh, coordinates: plan.tanhCoordinates), [v])
                }
            }
        }
        let output = v
        return b.build(output: output)
    }

    /// A dense multilayer perceptron with ReLU between layers: `sizes` = [input, hidden…, output].
    public static func dense(sizes: [Int]) -> Graph {
        precondition(sizes.count >= 2, "dense(sizes:) needs an input and an output size")
        var b = GraphBuilder(inputSizes: [sizes[0]])
        var v = b.inputs[0]
        for i in 0..<(sizes.count - 1) {
            v = b.apply(TiedLinear.dense(inputSize: sizes[i], outputSize: sizes[i + 1]), [v])
            if i < sizes.count - 2 { v = b.apply(Pointwise.relu(size: sizes[i + 1]), [v]) }
        }
        let output = v
        return b.build(output: output)
    }

    /// Initial parameters: every `TiedLinear` weight uniform in ±`initializationBound`, biases 0.
    public static func initialParameters(_ graph: Graph, seed: UInt64) -> [Double] {
        TiedLinear.uniformInitialParameters(graph, seed: seed)
    }

    /// f(θ; x) for every input: through `CompiledChain` when the graph is a chain (same values
    /// to rounding), else through the graph.
    public static func predict(_ graph: Graph, _ parameters: [Double], _ inputs: [[Double]]) -> [[Double]] {
        if let chain = CompiledChain(graph) { return chain.forward(parameters, batch: inputs) }
        return inputs.map { graph.forward(parameters, [$0]) }
    }

    /// Trains `graph` with Adam on minibatches (epochs of a seeded shuffle), the learning rate
    /// decaying linearly to 10% of its start. Both models of every comparison go through here.
    /// Gradients come from `CompiledChain` when the graph is a chain of `TiedLinear` and
    /// `Pointwise` steps (the experiments' models), else from `graph.lossAndGradient`.
    public static func train(
        _ graph: Graph, parameters: inout [Double], inputs: [[Double]], targets: [[Double]], options: TrainingOptions,
        loss: ([Double], [Double]) -> (value: Double, gradient: [Double]) = Loss.meanSquaredError
    ) {
        precondition(inputs.count == targets.count && !inputs.isEmpty, "train: \(inputs.count) inputs, \(targets.count) targets")
        var rng = RuntimeRandom(seed: options.seed ^ 0x7EA1)
        var adam = Adam(learningRate: options.learningRate)
        let batch = min(options.batchSize, inputs.count)
        var order = Array(inputs.indices)
        var cursor = order.count
        let chain = CompiledChain(graph)
        for step in 0..<options.steps {
            var xs: [[[Double]]] = [], ts: [[Double]] = []
            for _ in 0..<batch {
                if cursor == order.count {
                    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.index(i + 1)) }
                    cursor = 0
                }
                xs.append([inputs[order[cursor]]])
                ts.append(targets[order[cursor]])
                cursor += 1
            }
            let g = chain?.lossAndGradient(parameters, inputs: xs.map { $0[0] }, targets: ts, loss: loss).gradient
                ?? graph.lossAndGradient(parameters, batch: xs, targets: ts, loss: loss).gradient
            adam.learningRate = options.learningRate * (1 - 0.9 * Double(step) / Double(max(options.steps, 1)))
            adam.step(&parameters, gradient: g)
        }
    }

    /// The logistic loss on a one-output score against a ±1 label, as a vector loss.
    public static func logisticLoss(_ y: [Double], _ t: [Double]) -> (value: Double, gradient: [Double]) {
        let (v, g) = Loss.logistic(score: y[0], label: t[0])
        return (v, [g])
    }
}

/// Adam steps, minibatch size, starting learning rate and shuffling seed.
public struct TrainingOptions: Sendable {
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Double
    public var seed: UInt64
    // Built only inside this module: the compiler's memberwise initializer.
}

/// Why an experiment cannot run.
public enum ExperimentError: Error, CustomStringConvertible {
    case unsupported(String)
    case unknown(String, known: [String])

    public var description: String {
        switch self {
        case let .unsupported(message): return message
        case let .unknown(name, known):
            return "unknown experiment \"\(name)\"; known: \(known.joined(separator: ", "))"
        }
    }
}
