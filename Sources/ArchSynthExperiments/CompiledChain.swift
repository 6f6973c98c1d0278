import ArchSynth
import ArchSynthRuntime

/// A runtime `Graph` that is a chain of `TiedLinear` and `Pointwise` steps, evaluated in Double
/// on flat arrays: each `TiedLinear` is materialized once per batch as a dense W and b, and the
/// batch's gradient with respect to W is folded back onto the tied parameters at the end.
///
/// This is the same function and the same gradient as `graph.lossAndGradient` (a test compares
/// them to rounding), without the generic per-node path (which runs unspecialized across the
/// module boundary, ~50× slower). The graph stays the definition of the model.
///
/// ```swift
/// let chain = CompiledChain(graph)!            // nil when the graph is not such a chain
/// let (loss, gradient) = chain.lossAndGradient(theta, inputs: xs, targets: ts, loss: Loss.meanSquaredError)
/// ```
public struct CompiledChain: Sendable {
    enum Operation: Sendable {
        case linear(TiedLinear, offset: Int)
        case pointwise(Pointwise.Function, mask: [Bool])
    }

    let operations: [Operation]
    public let inputSize: Int
    public let parameterCount: Int

    /// nil unless every step applies a `TiedLinear` or a `Pointwise` to the previous value
    /// (the first to the graph's only input) and the output is the last step.
    public init?(_ graph: Graph) {
        guard graph.inputSizes.count == 1, graph.output.index == graph.steps.count else { return nil }
        var ops: [Operation] = []
        for (s, step) in graph.steps.enumerated() {
            guard step.inputs.count == 1, step.inputs[0].index == s else { return nil }
            if let layer = step.node as? TiedLinear {
                ops.append(.linear(layer, offset: step.parameterOffset))
            } else if let p = step.node as? Pointwise {
                var mask = [Bool](repeating: p.coordinates == nil, count: p.size)
                for i in p.coordinates ?? [] { mask[i] = true }
                ops.append(.pointwise(p.function, mask: mask))
            } else {
                return nil
            }
        }
        operations = ops
        inputSize = graph.inputSizes[0]
        parameterCount = graph.parameterCount
    }

    /// Dense W (row-major) and b of every linear step for these parameters.
    private func materialize(_ theta: [Double]) -> [(w: [Double], b: [Double])] {
        operations.map { op in
            guard case let .linear(layer, offset) = op else { return ([], []) }
            var w = [Double](repeating: 0, count: layer.outputSize * layer.inputSize)
            var b = [Double](repeating: 0, count: layer.outputSize)
            for e in layer.entries { w[Int(e.row) * layer.inputSize + Int(e.column)] += e.coefficient * theta[offset + Int(e.parameter)] }
            for e in layer.biasEntries { b[Int(e.row)] += e.coefficient * theta[offset + layer.weightCount + Int(e.parameter)] }
            return (w, b)
        }
    }

    private func run(_ dense: [(w: [Double], b: [Double])], _ x: [Double], keep: Bool) -> (output: [Double], values: [[Double]]) {
        var v = x
        var values: [[Double]] = keep ? [x] : []
        for (k, op) in operations.enumerated() {
            switch op {
            case let .linear(layer, _):
                let (w, b) = dense[k]
                let nIn = layer.inputSize
                var y = b
                w.withUnsafeBufferPointer { wp in
                    for r in 0..<layer.outputSize {
                        var acc = 0.0
                        let row = r * nIn
                        for c in 0..<nIn { acc += wp[row + c] * v[c] }
                        y[r] += acc
                    }
                }
                v = y
            case let .pointwise(function, mask):
                for i in v.indices where mask[i] {
                    switch function {
                    case .relu: if v[i] <= 0 { v[i] = 0 }
                    case .tanh: v[i] = Double.tanh(v[i])
                    case .identity: break
                    }
                }
            }
            if keep { values.append(v) }
        }
        return (v, values)
    }

    /// f(θ; x).
    public func forward(_ theta: [Double], _ x: [Double]) -> [Double] {
        run(materialize(theta), x, keep: false).output
    }

    /// f(θ; x) for many inputs (W materialized once).
    public func forward(_ theta: [Double], batch: [[Double]]) -> [[Double]] {
        let dense = materialize(theta)
        return batch.map { run(dense, $0, keep: false).output }
    }

    /// Mean over the batch of loss(f(θ; x), t) and its gradient with respect to θ.
    public func lossAndGradient(
        _ theta: [Double], inputs: [[Double]], targets: [[Double]], loss: ([Double], [Double]) -> (value: Double, gradient: [Double])
    ) -> (loss: Double, gradient: [Double]) {
        precondition(inputs.count == targets.count && !inputs.isEmpty, "lossAndGradient: \(inputs.count) inputs, \(targets.count) targets")
        let dense = materialize(theta)
        var dW = dense.map { [Double](repeating: 0, count: $0.w.count) }
        var dB = dense.map { [Double](repeating: 0, count: $0.b.count) }
        var total = 0.0
        for (x, t) in zip(inputs, targets) {
            let (y, values) = run(dense, x, keep: true)
            let (l, g) = loss(y, t)
            total += l
            var dy = g
            for k in stride(from: operations.count - 1, through: 0, by: -1) {
                let input = values[k]
                switch operations[k] {
                case let .linear(layer, _):
                    let nIn = layer.inputSize
                    var dx = [Double](repeating: 0, count: nIn)
                    let w = dense[k].w
                    for r in 0..<layer.outputSize where dy[r] != 0 {
                        let d = dy[r], row = r * nIn
                        dB[k][r] += d
                        for c in 0..<nIn {
                            dW[k][row + c] += d * input[c]
                            dx[c] += w[row + c] * d
                        }
                    }
                    dy = dx
                case let .pointwise(function, mask):
                    let out = values[k + 1]
                    for i in dy.indices where mask[i] {
                        switch function {
                        case .relu: if input[i] <= 0 { dy[i] = 0 }
                        case .tanh: dy[i] *= 1 - out[i] * out[i]
                        case .identity: break
                        }
                    }
                }
            }
        }
        var gradient = [Double](repeating: 0, count: parameterCount)
        for (k, op) in operations.enumerated() {
            guard case let .linear(layer, offset) = op else { continue }
            for e in layer.entries { gradient[offset + Int(e.parameter)] += e.coefficient * dW[k][Int(e.row) * layer.inputSize + Int(e.column)] }
            for e in layer.biasEntries { gradient[offset + layer.weightCount + Int(e.parameter)] += e.coefficient * dB[k][Int(e.row)] }
        }
        let s = 1 / Double(inputs.count)
        return (total * s, gradient.map { $0 * s })
    }
}
