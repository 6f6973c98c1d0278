import ArchSynthRuntime

/// Mutants for the law tests' negative controls. They live here, not in the runtime: each wraps
/// the shipped node (its kernel runs unchanged) and breaks the symmetry around it.

/// The columns of every odd row reversed, on C channels of an H×W grid (parameter-free). Not
/// translation-equivariant when H > 1 and W > 2: a column shift moves odd rows the other way.
struct OddRowReversal: DifferentiableNode {
    let grid: PeriodicGrid
    let channels: Int
    var inputSizes: [Int] { [channels * grid.count] }
    var outputSize: Int { channels * grid.count }
    var parameterCount: Int { 0 }

    func source(_ g: Int) -> Int {
        let (row, column) = (g / grid.width, g % grid.width)
        return row % 2 == 1 ? row * grid.width + (grid.width - 1 - column) : g
    }

    func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let x = inputs[0], n = grid.count
        var y = [T](repeating: T.zero, count: outputSize)
        for c in 0..<channels { for g in 0..<n { y[c * n + g] = x[c * n + source(g)] } }
        return (y, { dy in
            var dx = [T](repeating: T.zero, count: self.outputSize)
            for c in 0..<self.channels { for g in 0..<n { dx[c * n + self.source(g)] += dy[c * n + g] } }
            return NodeGradient(parameters: [], inputs: [dx])
        })
    }
}

/// The shipped `GridConvolution` reading its input through `OddRowReversal`: a convolution whose
/// index arithmetic is wrong on odd rows (same parameters, same kernel).
struct OddRowBrokenConvolution: DifferentiableNode {
    let base: GridConvolution
    var inputSizes: [Int] { base.inputSizes }
    var outputSize: Int { base.outputSize }
    var parameterCount: Int { base.parameterCount }

    func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let reversal = OddRowReversal(grid: base.grid, channels: base.inputChannels)
        let (moved, back) = reversal.valueWithPullback([T](), inputs)
        let (y, pullback) = base.valueWithPullback(parameters, [moved])
        return (y, { dy in
            let g = pullback(dy)
            return NodeGradient(parameters: g.parameters, inputs: back(g.inputs[0]).inputs)
        })
    }
}

/// The shipped `ChannelMean` plus point 0 once more (weight 1/N): no longer translation invariant.
struct PointZeroTwiceMean: DifferentiableNode {
    let base: ChannelMean
    var inputSizes: [Int] { base.inputSizes }
    var outputSize: Int { base.outputSize }
    var parameterCount: Int { 0 }

    func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let (y, pullback) = base.valueWithPullback(parameters, inputs)
        let n = base.points, w = T(1.0 / Double(base.points))
        var out = y
        for k in 0..<base.channels { out[k] += w * inputs[0][k * n] }
        return (out, { dy in
            var g = pullback(dy)
            for k in 0..<self.base.channels { g.inputs[0][k * n] += w * dy[k] }
            return g
        })
    }
}
