/// The gradients of a batch: parameter gradients summed over the samples, input gradients per
/// sample.
public struct BatchGradient<T: RuntimeScalar> {
    /// Σ_b θ̄_b, summed in sample order ((θ̄₀ + θ̄₁) + θ̄₂) + … whatever the thread count.
    public var parameters: [T]
    /// x̄_b for every sample b (one array per node input).
    public var inputs: [[[T]]]
}

extension DifferentiableNode {
    /// f(θ; x_b) for every sample x_b of a batch (each sample one array per node input), the
    /// samples split across `threads` (default `RuntimeThreads.count`), and the batch's
    /// pullback, itself split the same way. Each sample's arithmetic is the node's own
    /// `valueWithPullback`, so every value and gradient is bit-identical to evaluating the samples
    /// one by one on one thread, for any thread count.
    ///
    /// ```swift
    /// let (ys, pullback) = conv.batchValueWithPullback(theta, xs.map { [$0] }, threads: 2)
    /// let g = pullback(dys)   // g.parameters = Σ_b θ̄_b, g.inputs[b][0] = x̄_b
    /// ```
    /// - Complexity: the node's cost per sample, divided across the threads.
    public func batchValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ batch: [[[T]]], threads: Int? = nil)
        -> (values: [[T]], pullback: (_ outputGradients: [[T]]) -> BatchGradient<T>)
    {
        let results = RuntimeThreads.map(batch.count, threads: threads) { b in valueWithPullback(parameters, batch[b]) }
        let values = results.map(\.value), count = parameterCount
        return (values, { dys in
            precondition(dys.count == results.count, "batch pullback: \(dys.count) output gradients for \(results.count) samples")
            let gradients = RuntimeThreads.map(results.count, threads: threads) { b in results[b].pullback(dys[b]) }
            var sum = [T](repeating: T.zero, count: count)
            for g in gradients { for k in 0..<count { sum[k] += g.parameters[k] } }
            return BatchGradient(parameters: sum, inputs: gradients.map(\.inputs))
        })
    }

    /// f(θ; x_b) for every sample of a batch, split across threads (see `batchValueWithPullback`).
    public func batchForward<T: RuntimeScalar>(_ parameters: [T], _ batch: [[[T]]], threads: Int? = nil) -> [[T]] {
        RuntimeThreads.map(batch.count, threads: threads) { b in valueWithPullback(parameters, batch[b]).value }
    }
}
