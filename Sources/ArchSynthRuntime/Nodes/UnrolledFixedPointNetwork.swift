/// A(· + t): an N-point periodic signal shifted by a real t (Fourier interpolation,
/// `PeriodicSignal`). Inputs [A (N), t (1)], output N. Law: rolling A by an integer u rolls the
/// output by u (the tables are exact under rolls); t ↦ t + u gives the output rolled by u.
///
/// The shift is a linear map S_t on the band-limited signals with S_tᵀ = S_{−t}, so the
/// pullback is Ā = S_{−t} ȳ and t̄ = Σ_x ȳ(x) A′(x + t).
///
/// ```swift
/// let s = GlobalShift(count: 8)
/// s.forward([], [[0, 1, 0, 0, 0, 0, 0, 0], [1]])   // ≈ the signal rolled left by one
/// ```
public struct GlobalShift: ParameterFreeNode {
    /// The Fourier interpolation on N = `signal.count` points.
    public let signal: PeriodicSignal
    /// [A, t]: N samples and one shift (grid units).
    public var inputSizes: [Int] { [signal.count, 1] }
    /// N: A(x + t) at every grid point x.
    public var outputSize: Int { signal.count }

    /// The shift of N = `count`-point signals (traps unless N ≥ 2).
    public init(count: Int) { signal = PeriodicSignal(count: count) }

    /// A(· + t) with A′(· + t) kept; the pullback is Ā = S_{−t} ȳ, t̄ = Σ_x ȳ(x) A′(x + t).
    /// - Complexity: O(N · ⌈N/2⌉) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "GlobalShift")
        let signal = self.signal, t = inputs[1][0]
        let (y, dy) = signal.shiftedWithDerivative(inputs[0], by: t)
        return (y, { ybar in
            var tbar = T.zero
            for x in ybar.indices { tbar += ybar[x] * dy[x] }
            return NodeGradient(parameters: [], inputs: [signal.shifted(ybar, by: -t), [tbar]])
        })
    }
}

/// The mean over the grid of each channel: C·N values (channels outermost) → C. Law: invariant
/// under every permutation of the grid points, translations included.
public struct ChannelMean: ParameterFreeNode {
    /// C, the number of channels (one output each).
    public let channels: Int
    /// N, the grid points per channel.
    public let points: Int
    /// [x]: C·N values, channels outermost.
    public var inputSizes: [Int] { [channels * points] }
    /// C: one mean per channel.
    public var outputSize: Int { channels }

    /// The per-channel mean of C = `channels` channels over N = `points` points.
    public init(channels: Int, points: Int) {
        self.channels = channels
        self.points = points
    }

    func weight(_ p: Int) -> Double { 1.0 / Double(points) }

    /// (1/N) Σ_p x[c·N + p] per channel; the pullback spreads ȳ[c]/N over the channel's points.
    /// - Complexity: O(C · N) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "ChannelMean")
        let x = inputs[0], (c, n) = (channels, points)
        let w = (0..<n).map { T(weight($0)) }
        var y = [T](repeating: T.zero, count: c)
        for k in 0..<c { for p in 0..<n { y[k] += w[p] * x[k * n + p] } }
        return (y, { dy in
            var dx = [T](repeating: T.zero, count: c * n)
            for k in 0..<c { for p in 0..<n { dx[k * n + p] = w[p] * dy[k] } }
            return NodeGradient(parameters: [], inputs: [dx])
        })
    }
}

/// The fixed-point block on N-point periodic signals with a learned step: Ψ_0 = id,
/// Ψ_{k+1} = TwoStep{Ψ_k, Φ} = Ψ_k ∘ Φ[A∘Ψ_k, B], Ψ_k(x) = x + t_k, so
/// t_{k+1} = t_k + δ(A(· + t_k), B) with one shared step network
///
///     δ(A′, B) = L · tanh(mean_x conv_out(conv_a(A′ ⊕ B) ⊙ conv_b(A′ ⊕ B)))
///
/// (periodic 1×k convolutions on the concatenated pair, the product of two feature maps, a 1×1
/// convolution to one channel, the mean over the grid, a bound L = N/4 on a step). Output [t_K].
///
/// Laws: Φ is only [U,U]-equivariant (rolling both signals by u leaves δ unchanged: every
/// piece commutes with rolls, the mean is invariant), so t_K[A∘U, B∘U] = t_K[A, B] for every K
/// and every parameter (`UnrolledFixedPoint.diagonalLaw`); `graph` runs the steps on the
/// canonical joint roll of (A, B) (`JointRollCanonicalization`), so this holds bit for bit at
/// every K, scale and tie, not only up to rounding amplified by the iteration. Where training makes the step a
/// contraction toward the aligning shift, t_K approaches the fixed point, whose set is
/// [W,U]-equivariant: t[A∘W, B∘U] = t[A, B] + u − w (`UnrolledFixedPoint.pairLaw`).
///
/// ```swift
/// let block = UnrolledShiftNetwork(count: 16, steps: 8, channels: 4, stencil: 3)
/// let t = block.graph.forward(block.initialParameters(seed: 1), [a, b])[0]
/// ```
public struct UnrolledShiftNetwork: Sendable {
    /// N, the number of grid points of A and B.
    public let count: Int
    /// K, the number of unrolled steps (at least 1).
    public let steps: Int
    /// The channels of the step network's two feature maps (conv_a, conv_b).
    public let channels: Int
    /// k, the width of the 1×k periodic convolutions conv_a and conv_b (1 ≤ k ≤ N).
    public let stencil: Int
    /// The graph: inputs [A, B], output [t_K]; parameters [conv_a | conv_b | conv_out] shared by every step.
    public let graph: Graph
    /// The step network alone: inputs [A′, B], output [δ] (same parameter layout; not
    /// canonicalized, so its [U,U] law holds up to rounding).
    public let step: Graph

    /// Builds `step` and `graph` for N = `count`, K = `steps`, the given channels and stencil (traps
    /// unless K ≥ 1 and 1 ≤ stencil ≤ N).
    public init(count: Int, steps: Int, channels: Int, stencil: Int) {
        precondition(steps >= 1, "UnrolledShiftNetwork: at least one step")
        precondition(stencil >= 1 && stencil <= count, "UnrolledShiftNetwork: stencil \(stencil) on \(count) points")
        self.count = count
        self.steps = steps
        self.channels = channels
        self.stencil = stencil
        let grid = PeriodicGrid(height: 1, width: count)
        let convA = GridConvolution(grid: grid, inputChannels: 2, outputChannels: channels, stencil: stencil)
        let convB = GridConvolution(grid: grid, inputChannels: 2, outputChannels: channels, stencil: stencil)
        let convOut = GridConvolution(grid: grid, inputChannels: channels, outputChannels: 1, stencil: 1)
        let bound = Double(count) / 4

        func delta(_ b: inout GraphBuilder, _ warped: Graph.Value, _ fixed: Graph.Value, _ blocks: [ParameterBlock]) -> Graph.Value {
            let pair = b.concat(warped, fixed)
            let fa = b.apply(convA, [pair], parameters: blocks[0])
            let fb = b.apply(convB, [pair], parameters: blocks[1])
            let product = b.apply(Product(size: channels * count), [fa, fb])
            let out = b.apply(convOut, [product], parameters: blocks[2])
            let mean = b.apply(ChannelMean(channels: 1, points: count), [out])
            let squashed = b.apply(Pointwise.tanh(size: 1), [mean])
            return b.apply(Scale(size: 1, factor: bound), [squashed])
        }

        var s = GraphBuilder(inputSizes: [count, count])
        let sBlocks = [convA, convB, convOut].map { s.parameters(for: $0) }
        let d = delta(&s, s.inputs[0], s.inputs[1], sBlocks)
        step = s.build(output: d)

        var b = GraphBuilder(inputSizes: [count, count])
        let blocks = [convA, convB, convOut].map { b.parameters(for: $0) }
        // The steps run on the canonical joint roll of (A, B), as the Lucas–Kanade block does:
        // every piece commutes with rolls only in exact arithmetic (rolling reorders the sums of
        // the convolutions, the mean and the Fourier shift), and K steps amplify the rounding
        // (7.9 grid units at K = 64 untrained); jointly rolled pairs now give the same arrays.
        let canonical = b.apply(JointRollCanonicalization(height: 1, width: count), [b.inputs[0], b.inputs[1]])
        let a0 = b.apply(Slice(inputSize: 2 * count, start: 0, count: count), [canonical])
        let b0 = b.apply(Slice(inputSize: 2 * count, start: count, count: count), [canonical])
        // Ψ_0 = id: A∘Ψ_0 = A.
        var t = delta(&b, a0, b0, blocks)
        for _ in 1..<steps {
            let warped = b.apply(GlobalShift(count: count), [a0, t])
            let dt = delta(&b, warped, b0, blocks)
            t = b.apply(Sum(size: 1), [t, dt])
        }
        graph = b.build(output: t)
    }

    /// The step network's parameters [conv_a | conv_b | conv_out], shared by all K steps.
    public var parameterCount: Int { graph.parameterCount }

    /// Convolution weights uniform in ±√(3/fan-in), biases zero.
    public func initialParameters(seed: UInt64) -> [Double] { RegistrationNetworks.initialParameters(graph, seed: seed) }

    /// t_K.
    public func shift(_ parameters: [Double], _ a: [Double], _ b: [Double]) -> Double { graph.forward(parameters, [a, b])[0] }

    /// The same block with K steps (same parameters).
    public func withSteps(_ k: Int) -> UnrolledShiftNetwork { UnrolledShiftNetwork(count: count, steps: k, channels: channels, stencil: stencil) }

    /// The circular loss of a shift t against a target t* on the circle of circumference N:
    /// 2(1 − cos(ωd))/ω² with d = t − t*, ω = 2π/N: ≈ d² for small d, periodic in d (every
    /// representative of the aligning shift is a minimum), and its gradient 2 sin(ωd)/ω in t.
    public static func circularLoss(period n: Int) -> ([Double], [Double]) -> (value: Double, gradient: [Double]) {
        let p = Double(n), w = 2 * Double.pi / p
        return { y, t in
            let d = y[0] - t[0]
            return ((1 - Double.cos(w * d)) * 2 / (w * w), [2 * Double.sin(w * d) / w])
        }
    }

    /// Training pairs (`UnrolledSweep.wavePairs` with t* uniform in [−range, range)); targets [t*].
    public static func trainingPairs(count n: Int, pairs: Int, range: Double, seed: UInt64) -> (batch: [[[Double]]], targets: [[Double]]) {
        let (batch, shifts) = UnrolledSweep.wavePairs(count: n, pairs: pairs, range: range, seed: seed)
        return (batch, shifts.map { [$0] })
    }

    /// Adam on the circular loss of t_K over fresh batches of `trainingPairs` (range N/2: every
    /// shift); returns the loss before each step.
    public func train(_ parameters: inout [Double], iterations: Int, batchSize: Int = 16, learningRate: Double = 0.01, seed: UInt64) -> [Double] {
        var adam = Adam(learningRate: learningRate)
        var rng = RuntimeRandom(seed: seed)
        var losses: [Double] = []
        let loss = Self.circularLoss(period: count)
        for _ in 0..<iterations {
            let (batch, targets) = Self.trainingPairs(count: count, pairs: batchSize, range: Double(count) / 2, seed: rng.next())
            losses.append(graph.trainingStep(&parameters, batch: batch, targets: targets, optimizer: &adam, loss: loss))
        }
        return losses
    }
}
