/// A composite node: a directed acyclic graph of nodes, itself a `DifferentiableNode`, so
/// graphs nest. A node applied twice with the same `ParameterBlock` shares its weights
/// (N(A,B) and N(B,A) with one N); the pullback adds both uses' parameter gradients.
///
/// ```swift
/// var b = GraphBuilder(inputSizes: [3, 3])
/// let n = b.parameters(for: layer)
/// let ab = b.apply(layer, [b.concat(b.inputs[0], b.inputs[1])], parameters: n)
/// let ba = b.apply(layer, [b.concat(b.inputs[1], b.inputs[0])], parameters: n)
/// let v = b.apply(Difference(size: layer.outputSize), [ab, ba])
/// let graph = b.build(output: v)
/// ```
public struct Graph: DifferentiableNode {
    /// A value in the graph: one of its inputs, or the output of one step.
    public struct Value: Hashable, Sendable {
        /// The graph input's index (0 ..< inputSizes.count), or inputSizes.count + the step's index.
        public let index: Int
        /// The number of scalars it holds.
        public let size: Int
    }

    /// One application of a node to earlier values, reading parameters
    /// `parameterOffset ..< parameterOffset + node.parameterCount`.
    public struct Step: Sendable {
        /// The node applied.
        public let node: any DifferentiableNode
        /// The earlier values it reads, one per node input.
        public let inputs: [Value]
        /// Where its parameters start in the graph's parameter vector.
        public let parameterOffset: Int
    }

    /// The sizes of the graph's inputs.
    public let inputSizes: [Int]
    /// The node applications in evaluation order (each reads only earlier values).
    public let steps: [Step]
    /// The value the graph returns.
    public let output: Value
    /// The total number of parameters (shared blocks counted once).
    public let parameterCount: Int
    /// The size of `output`.
    public var outputSize: Int { output.size }

    /// Evaluates the steps in order and returns the reverse sweep as the pullback: each step's
    /// pullback runs once, gradients of shared parameter blocks and of values read twice add up.
    /// - Complexity: the sum of the steps' costs, forward and backward; memory for every value.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "Graph")
        var values = inputs
        var pullbacks: [([T]) -> NodeGradient<T>] = []
        pullbacks.reserveCapacity(steps.count)
        for step in steps {
            let p = Array(parameters[step.parameterOffset..<(step.parameterOffset + step.node.parameterCount)])
            let (y, pb) = step.node.valueWithPullback(p, step.inputs.map { values[$0.index] })
            values.append(y)
            pullbacks.append(pb)
        }
        let value = values[output.index]
        let inputCount = inputSizes.count
        let steps = self.steps, output = self.output, sizes = values.map(\.count), parameterCount = self.parameterCount
        return (value, { dy in
            var adjoint = [[T]?](repeating: nil, count: sizes.count)
            adjoint[output.index] = dy
            var dParameters = [T](repeating: T.zero, count: parameterCount)
            for s in stride(from: steps.count - 1, through: 0, by: -1) {
                guard let dyS = adjoint[inputCount + s] else { continue }
                let g = pullbacks[s](dyS)
                let step = steps[s]
                for k in g.parameters.indices { dParameters[step.parameterOffset + k] += g.parameters[k] }
                for (j, v) in step.inputs.enumerated() {
                    if var a = adjoint[v.index] {
                        let d = g.inputs[j]
                        for k in a.indices { a[k] += d[k] }
                        adjoint[v.index] = a
                    } else {
                        adjoint[v.index] = g.inputs[j]
                    }
                }
            }
            let dInputs = (0..<inputCount).map { adjoint[$0] ?? [T](repeating: T.zero, count: sizes[$0]) }
            return NodeGradient(parameters: dParameters, inputs: dInputs)
        })
    }
}

/// A block of a graph's parameters owned by one node; passing the same block to several
/// `apply` calls shares the weights.
public struct ParameterBlock: Hashable, Sendable {
    /// The first parameter of the block in the graph's parameter vector.
    public let offset: Int
    /// The number of parameters in the block.
    public let count: Int
}

/// Builds a `Graph` step by step; shapes are checked as steps are added (programmer errors trap
/// with the node and the sizes).
public struct GraphBuilder: Sendable {
    /// The sizes of the graph's inputs, fixed at construction.
    public let inputSizes: [Int]
    /// The steps added so far, in evaluation order.
    public private(set) var steps: [Graph.Step] = []
    /// The number of trainable parameters of the steps added so far.
    public private(set) var parameterCount = 0
    private var sizes: [Int]

    /// An empty builder for a graph taking inputs of these flat sizes (no steps, no parameters yet).
    public init(inputSizes: [Int]) {
        self.inputSizes = inputSizes
        sizes = inputSizes
    }

    /// The graph's inputs, in order.
    public var inputs: [Graph.Value] { inputSizes.enumerated().map { Graph.Value(index: $0.offset, size: $0.element) } }

    /// A fresh parameter block of `node.parameterCount` values.
    public mutating func parameters(for node: any DifferentiableNode) -> ParameterBlock {
        let block = ParameterBlock(offset: parameterCount, count: node.parameterCount)
        parameterCount += node.parameterCount
        return block
    }

    /// Applies `node` to `inputs`, with its own fresh parameters unless `parameters` is given
    /// (shared weights).
    public mutating func apply(_ node: any DifferentiableNode, _ inputs: [Graph.Value], parameters: ParameterBlock? = nil) -> Graph.Value {
        precondition(inputs.count == node.inputSizes.count, "\(type(of: node)) takes \(node.inputSizes.count) inputs, got \(inputs.count)")
        for (i, v) in inputs.enumerated() {
            precondition(v.size == node.inputSizes[i], "\(type(of: node)) input \(i): expected size \(node.inputSizes[i]), got \(v.size)")
            precondition(v.index < sizes.count, "value \(v.index) belongs to another graph")
        }
        let block = parameters ?? self.parameters(for: node)
        precondition(block.count == node.parameterCount, "\(type(of: node)) needs \(node.parameterCount) parameters, the block has \(block.count)")
        steps.append(Graph.Step(node: node, inputs: inputs, parameterOffset: block.offset))
        sizes.append(node.outputSize)
        return Graph.Value(index: sizes.count - 1, size: node.outputSize)
    }

    /// x ⊕ y ⊕ … (direct sum: concatenation).
    public mutating func concat(_ values: Graph.Value...) -> Graph.Value {
        apply(Concatenation(sizes: values.map(\.size)), values)
    }

    /// The graph computing `output`. (Add the last step on a line of its own before calling
    /// this: `b.build(output: b.apply(…))` reads `b` before the step is added.)
    public func build(output: Graph.Value) -> Graph {
        precondition(output.index < sizes.count, "build(output:): value \(output.index) is not in this graph (\(sizes.count) values)")
        return Graph(inputSizes: inputSizes, steps: steps, output: output, parameterCount: parameterCount)
    }
}
