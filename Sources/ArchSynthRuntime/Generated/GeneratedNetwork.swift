/// What every generated equivariant network f = L_L ∘ σ ∘ … ∘ σ ∘ L_1 shares, written once: the
/// flat parameter API (every layer's θ, then every layer's bias and the gate biases), forward and
/// backward passes in Float and Double, the losses and `trainStep` with SGD or Adam. The file
/// declares its layers (each a `GeneratedLayer`), its nonlinearities and three short
/// requirements that name the layers in order; everything here is `@inlinable`, so each pass is
/// specialized for the concrete network and its layers in the importing module.
///
/// Precision: the Float forward pass runs in Double and rounds once at the end, so equivariance
/// holds to Float rounding of the output even where hidden activations cancel (a stack of Float
/// layers measured 1.3e-3 relative error on ×1e4 inputs, S_5, 3 layers); training runs in Float.
///
/// ```swift
/// var net = Net5(seed: 1)
/// let loss = net.trainStep(batch: x, targets: t, count: 32, learningRate: 1e-2, optimizer: .adam)
/// ```
public protocol GeneratedNetwork: GeneratedEquivariantModel {
    /// `InvariantHeadLoss` (with softmax cross-entropy) or `EquivariantHeadLoss`.
    associatedtype Loss: GeneratedNetworkLoss
    static var layerCount: Int { get }
    static var gateCount: Int { get }
    /// The nonlinearity after each hidden layer.
    static var _activations: [EquivariantActivation] { get }
    /// Gate biases of the norm nonlinearities, stored after the layer biases in `bias`.
    var gates: [Float] { get }
    /// Adam state over (weights, bias), created on the first Adam step.
    var _adam: Adam { get set }
    /// Builds every layer, in order, from `parameters` (seeded or sliced from flat arrays).
    init(_parameters parameters: inout GeneratedNetworkParameters)
    /// Layer i's (0-based) weights and bias.
    var _layerParameters: [(weights: [Float], bias: [Float])] { get }
    /// Layer i's forward pass on a batch (concrete per precision, so the file specializes it).
    func _layer(_ i: Int, forward x: [Float], count: Int) -> [Float]
    func _layer(_ i: Int, forward x: [Double], count: Int) -> [Double]
    /// Layer i's backward pass on a batch.
    func _layer(_ i: Int, backward x: [Float], _ dy: [Float], count: Int) -> (weights: [Float], bias: [Float], input: [Float])
    func _layer(_ i: Int, backward x: [Double], _ dy: [Double], count: Int) -> (weights: [Double], bias: [Double], input: [Double])
}

/// The parameters a generated network builds its layers from: a seed (layer i uses
/// seed &+ i · 0x9E3779B97F4A7C15, its variance-preserving θ ~ U(−a, a); biases and gates 0) or
/// flat arrays sliced layer by layer (`weightCount` weights; `biasCount` biases, gates last).
public struct GeneratedNetworkParameters: Sendable {
    @usableFromInline let seed: UInt64?
    @usableFromInline let weights: [Float]
    @usableFromInline let bias: [Float]
    @usableFromInline var layer = 0, weightOffset = 0, biasOffset = 0

    /// Seeded layers: layer i gets seed &+ i · 0x9E3779B97F4A7C15; biases and gates start at 0.
    @inlinable public init(seed: UInt64) {
        self.seed = seed
        weights = []
        bias = []
    }

    /// Explicit parameters: all layers' θ in order, then all biases with the gates last.
    @inlinable public init(weights: [Float], bias: [Float]) {
        seed = nil
        self.weights = weights
        self.bias = bias
    }

    /// The next layer, of type `L`.
    @inlinable public mutating func next<L: GeneratedLayer>(_: L.Type) -> L {
        defer { layer += 1; weightOffset += L.weightCount; biasOffset += L.biasCount }
        if let seed { return L(seed: seed &+ UInt64(layer) &* 0x9E37_79B9_7F4A_7C15) }
        return L(weights: Array(weights[weightOffset..<(weightOffset + L.weightCount)]), bias: Array(bias[biasOffset..<(biasOffset + L.biasCount)]))
    }

    /// The next layer when it is not a `GeneratedLayer` (a lattice convolution or a pooling head,
    /// whose passes are a runtime node): the same seeds and slices, the seeded layer built by `seeded`.
    @inlinable public mutating func next<L: GeneratedEquivariantModel>(_: L.Type, seeded: (UInt64) -> L) -> L {
        defer { layer += 1; weightOffset += L.weightCount; biasOffset += L.biasCount }
        if let seed { return seeded(seed &+ UInt64(layer) &* 0x9E37_79B9_7F4A_7C15) }
        return L(weights: Array(weights[weightOffset..<(weightOffset + L.weightCount)]), bias: Array(bias[biasOffset..<(biasOffset + L.biasCount)]))
    }

    /// The gate biases, after every layer was taken.
    @inlinable public func gates(_ count: Int) -> [Float] {
        seed == nil ? Array(bias[biasOffset..<(biasOffset + count)]) : [Float](repeating: 0, count: count)
    }
}

/// A network's choice of training loss (`GeneratedNetwork.Loss`).
public protocol GeneratedNetworkLoss: Sendable {
    /// (1 / (count · outputDimension)) Σ (f(x) − t)², which every head supports (the default of
    /// `trainStep` without `loss:`).
    static var meanSquaredError: Self { get }
    /// The loss of outputs `y` against targets `t` (count × classes values each) and ∂L/∂y.
    func evaluate<S: GeneratedScalar>(_ y: [S], _ t: [S], count: Int, classes: Int) -> (value: S, gradient: [S])
}

/// The losses of an invariant head, whose logits are invariant and so is a softmax loss.
public enum InvariantHeadLoss: GeneratedNetworkLoss {
    /// (1 / (count · outputDimension)) Σ (f(x) − t)².
    case meanSquaredError
    /// −(1 / count) Σ_n Σ_k t_nk log softmax(f(x_n))_k (targets: class probabilities per row, e.g. one-hot).
    case softmaxCrossEntropy

    /// The loss and ∂L/∂y (`classes` is the row length for the softmax).
    @inlinable public func evaluate<S: GeneratedScalar>(_ y: [S], _ t: [S], count: Int, classes: Int) -> (value: S, gradient: [S]) {
        switch self {
        case .meanSquaredError: return Loss.meanSquaredError(batch: y, targets: t, count: count)
        case .softmaxCrossEntropy: return Loss.softmaxCrossEntropy(batch: y, targets: t, count: count, classes: classes)
        }
    }
}

/// The loss of an equivariant head (softmax would not commute with the output action).
public enum EquivariantHeadLoss: GeneratedNetworkLoss {
    /// (1 / (count · outputDimension)) Σ (f(x) − t)².
    case meanSquaredError

    /// The mean squared error and ∂L/∂y (`classes` is unused).
    @inlinable public func evaluate<S: GeneratedScalar>(_ y: [S], _ t: [S], count: Int, classes: Int) -> (value: S, gradient: [S]) {
        Loss.meanSquaredError(batch: y, targets: t, count: count)
    }
}

/// Stochastic gradient descent or Adam (Kingma & Ba 2015, with bias correction).
public struct GeneratedNetworkOptimizer: Sendable {
    /// Plain SGD, or Adam with the moments below.
    public enum Kind: Sendable { case sgd, adam }
    /// Which update rule.
    public var kind: Kind
    /// Adam's decay of the first moment.
    public var beta1: Float
    /// Adam's decay of the second moment.
    public var beta2: Float
    /// Adam's ε added to √v̂.
    public var epsilon: Float
    /// Adam's defaults are those of Kingma & Ba (0.9, 0.999, 1e-8); SGD ignores them.
    public init(kind: Kind, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.kind = kind
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
    /// θ ← θ − η ∇L.
    public static let sgd = GeneratedNetworkOptimizer(kind: .sgd)
    /// Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8.
    public static let adam = GeneratedNetworkOptimizer(kind: .adam)
}

extension GeneratedNetwork {
    /// Layer i's pass in precision S (the concrete requirement of that precision).
    @inlinable func _pass<S: GeneratedScalar>(_ i: Int, forward x: [S], count: Int) -> [S] {
        if S.self == Float.self { return unsafeBitCast(_layer(i, forward: unsafeBitCast(x, to: [Float].self), count: count), to: [S].self) }
        return unsafeBitCast(_layer(i, forward: unsafeBitCast(x, to: [Double].self), count: count), to: [S].self)
    }

    @inlinable func _pass<S: GeneratedScalar>(_ i: Int, backward x: [S], _ dy: [S], count: Int) -> (weights: [S], bias: [S], input: [S]) {
        if S.self == Float.self {
            let g = _layer(i, backward: unsafeBitCast(x, to: [Float].self), unsafeBitCast(dy, to: [Float].self), count: count)
            return (unsafeBitCast(g.weights, to: [S].self), unsafeBitCast(g.bias, to: [S].self), unsafeBitCast(g.input, to: [S].self))
        }
        let g = _layer(i, backward: unsafeBitCast(x, to: [Double].self), unsafeBitCast(dy, to: [Double].self), count: count)
        return (unsafeBitCast(g.weights, to: [S].self), unsafeBitCast(g.bias, to: [S].self), unsafeBitCast(g.input, to: [S].self))
    }

    // MARK: Parameters

    /// Seeded initializer: layer i uses seed &+ i · 0x9E3779B97F4A7C15 (its variance-preserving θ ~ U(−a, a)); biases and gates 0.
    @inlinable public init(seed: UInt64) {
        var p = GeneratedNetworkParameters(seed: seed)
        self.init(_parameters: &p)
    }

    /// A network with the given flat parameters (`weightCount` weights; `biasCount` biases, gates last).
    @inlinable public init(weights: [Float], bias: [Float]) {
        precondition(weights.count == Self.weightCount, "expected \(Self.weightCount) weights, got \(weights.count)")
        precondition(bias.count == Self.biasCount, "expected \(Self.biasCount) biases, got \(bias.count)")
        var p = GeneratedNetworkParameters(weights: weights, bias: bias)
        self.init(_parameters: &p)
    }

    /// Every layer's θ, concatenated.
    @inlinable public var weights: [Float] { _layerParameters.flatMap(\.weights) }
    /// Every layer's bias parameters, then the gate biases.
    @inlinable public var bias: [Float] { _layerParameters.flatMap(\.bias) + gates }

    /// Sets every parameter (one refresh per layer); keeps the optimizer state.
    @inlinable public mutating func setParameters(weights: [Float], bias: [Float]) {
        precondition(weights.count == Self.weightCount && bias.count == Self.biasCount, "parameter counts")
        let adam = _adam
        var p = GeneratedNetworkParameters(weights: weights, bias: bias)
        self = Self(_parameters: &p)
        _adam = adam
    }

    // MARK: Forward

    /// f(x) for one input of `inputDimension` values.
    @inlinable public func forward(_ x: [Float]) -> [Float] {
        precondition(x.count == Self.inputDimension, "expected \(Self.inputDimension) inputs, got \(x.count)")
        return forward(batch: x, count: 1)
    }
    /// f(x) for one input of `inputDimension` values.
    @inlinable public func forward(_ x: [Double]) -> [Double] {
        precondition(x.count == Self.inputDimension, "expected \(Self.inputDimension) inputs, got \(x.count)")
        return forward(batch: x, count: 1)
    }
    /// The forward pass on `count` row-major inputs, computed in Double and rounded once at the
    /// end, so equivariance holds to Float rounding of the output; `trainStep` runs in Float.
    /// The samples are split across `threads` (default `RuntimeThreads.count`: ARCHSYNTH_THREADS or
    /// all cores), each chunk running the whole stack; the same values bit for bit on any number
    /// of threads (`GeneratedBatchSplit`).
    @inlinable public func forward(batch: [Float], count: Int, threads: Int? = nil) -> [Float] {
        forward(batch: batch.map { Double($0) }, count: count, threads: threads).map { Float($0) }
    }
    /// The forward pass on `count` row-major inputs, split across `threads` (see the Float pass).
    @inlinable public func forward(batch: [Double], count: Int, threads: Int? = nil) -> [Double] {
        precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \(Self.inputDimension) values")
        let g = gates.map { Double($0) }
        let din = Self.inputDimension, dout = Self.outputDimension
        var y = [Double](repeating: 0, count: count * dout)
        y.withUnsafeMutableBufferPointer { yp in
            let y0 = yp.baseAddress
            GeneratedBatchSplit.forEachChunk(count: count, workPerSample: Self._workPerSample, threads: threads) { r in
                var a = Array(batch[r.lowerBound * din..<r.upperBound * din])
                for i in 0..<Self.layerCount {
                    a = _layer(i, forward: a, count: r.count)
                    if i + 1 < Self.layerCount { a = Self._activations[i].forward(a, count: r.count, gates: g) }
                }
                if let y0 { (y0 + r.lowerBound * dout).update(from: a, count: r.count * dout) }
            }
        }
        return y
    }

    /// A sample's work for the batch split (`GeneratedBatchSplit`): the input, every hidden
    /// activation twice (layer output and nonlinearity), the output, and each layer's d_i · d_{i+1}
    /// (the product of its dimensions, not its coefficients: every output channel of a layer reads
    /// every input channel at every point, and the network runs in Double). The S_5 network
    /// natural → 8·natural → 8·natural → trivial counts 5 + 1 + 2 · 80 + (5·40 + 40·40 + 40·1) = 2006
    /// units (its 152 weights would give 318, as many as a tied B_8 natural² layer's 304, whose
    /// sample takes 0.08 µs on one thread where the network's took 2 µs, 0.3 µs forward since its
    /// activations are specialized, BENCHMARKS.md). For a
    /// lattice network, whose convolutions are sparse, the products overcount; any network of 3072
    /// units a sample or more gets the least share (8 samples) at the default threshold anyway.
    @inlinable public static var _workPerSample: Int {
        let hidden = _activations.map(\.dimension)
        let dims = [inputDimension] + hidden + [outputDimension]
        let products = zip(dims, dims.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        return GeneratedBatchSplit.workPerSample(input: inputDimension, output: outputDimension + 2 * hidden.reduce(0, +), coefficients: products)
    }

    /// The gradient blocks of a batch of `count` (`GeneratedBatchSplit.blocks`): thread-independent.
    /// The partial sums of a block (every weight and bias) are few next to its work, so they do not
    /// bound the block size (partialSize 0).
    @inlinable public static func _gradientBlocks(count: Int) -> [Range<Int>] {
        GeneratedBatchSplit.blocks(count: count, workPerSample: _workPerSample, partialSize: 0)
    }

    /// Pre-activations z_i (layer outputs) and activations a_i (a_0 = input, a_L = output) of a batch.
    @inlinable public func _trace<S: GeneratedScalar>(_ batch: [S], count: Int, gates g: [S]) -> (a: [[S]], z: [[S]]) {
        var a: [[S]] = [batch], z: [[S]] = []
        for i in 0..<Self.layerCount {
            z.append(_pass(i, forward: a[i], count: count))
            a.append(i + 1 < Self.layerCount ? Self._activations[i].forward(z[i], count: count, gates: g) : z[i])
        }
        return (a, z)
    }

    // MARK: Backward

    /// Gradients of a loss L given ∂L/∂f(x): ∂L/∂weights, ∂L/∂bias (gates last) and ∂L/∂x.
    @inlinable public func backward(input: [Float], outputGradient: [Float]) -> (weights: [Float], bias: [Float], input: [Float]) {
        backward(batch: input, outputGradient: outputGradient, count: 1)
    }
    /// Gradients of a loss L given ∂L/∂f(x): ∂L/∂weights, ∂L/∂bias (gates last) and ∂L/∂x.
    @inlinable public func backward(input: [Double], outputGradient: [Double]) -> (weights: [Double], bias: [Double], input: [Double]) {
        backward(batch: input, outputGradient: outputGradient, count: 1)
    }
    /// Batch gradients: parameter gradients summed over the batch, input gradients per row. The
    /// batch runs in fixed blocks (`GeneratedBatchSplit.blocks`) spread across `threads` (default
    /// `RuntimeThreads.count`), each block's gradients summed from zero and the blocks added in
    /// order, so the result is bit-identical on any number of threads.
    @inlinable public func backward(batch: [Float], outputGradient: [Float], count: Int, threads: Int? = nil) -> (weights: [Float], bias: [Float], input: [Float]) {
        _backwardBatch(batch, outputGradient, count: count, threads: threads)
    }
    /// Batch gradients in fixed blocks across `threads` (see the Float pass).
    @inlinable public func backward(batch: [Double], outputGradient: [Double], count: Int, threads: Int? = nil) -> (weights: [Double], bias: [Double], input: [Double]) {
        _backwardBatch(batch, outputGradient, count: count, threads: threads)
    }

    @inlinable func _backwardBatch<S: GeneratedScalar>(_ batch: [S], _ outputGradient: [S], count: Int, threads: Int?) -> (weights: [S], bias: [S], input: [S]) {
        precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \(Self.inputDimension) values")
        precondition(outputGradient.count == count * Self.outputDimension, "outputGradient must hold count × \(Self.outputDimension) values")
        let g = gates.map { S($0) }
        let blocks = Self._gradientBlocks(count: count)
        let t = GeneratedBatchSplit.threads(threads, count: count, workPerSample: Self._workPerSample)
        // Each block's trace and reverse pass on one thread, in one loop (one fork and join).
        let parts = RuntimeThreads.map(blocks.count, threads: t) { b in
            _backwardBlock(_traceBlock(batch, blocks[b], gates: g), outputGradient, blocks[b], gates: g)
        }
        return Self._sumBlocks(parts, threads: t)
    }

    /// `_trace` of every block of a batch, the blocks spread over `threads`.
    @inlinable func _traceBlocks<S: GeneratedScalar>(_ batch: [S], _ blocks: [Range<Int>], gates g: [S], threads: Int) -> [(a: [[S]], z: [[S]])] {
        RuntimeThreads.map(blocks.count, threads: threads) { b in _traceBlock(batch, blocks[b], gates: g) }
    }

    /// `_trace` of the samples `r` of a batch.
    @inlinable func _traceBlock<S: GeneratedScalar>(_ batch: [S], _ r: Range<Int>, gates g: [S]) -> (a: [[S]], z: [[S]]) {
        _trace(Array(batch[r.lowerBound * Self.inputDimension..<r.upperBound * Self.inputDimension]), count: r.count, gates: g)
    }

    /// `_backward` of the samples `r` from their trace and the batch's ∂L/∂y.
    @inlinable func _backwardBlock<S: GeneratedScalar>(_ trace: (a: [[S]], z: [[S]]), _ dy: [S], _ r: Range<Int>, gates g: [S]) -> (weights: [S], bias: [S], input: [S]) {
        _backward(trace.a, trace.z, Array(dy[r.lowerBound * Self.outputDimension..<r.upperBound * Self.outputDimension]), count: r.count, gates: g)
    }

    /// `_backward` of every block from its trace, the blocks spread over `threads`; the parameter
    /// gradients added in block order (`GeneratedBatchSplit.addInOrder`), the input gradients in
    /// sample order. An empty batch has zero gradients.
    @inlinable func _backwardBlocks<S: GeneratedScalar>(
        _ traces: [(a: [[S]], z: [[S]])], _ blocks: [Range<Int>], _ dy: [S], gates g: [S], threads: Int
    ) -> (weights: [S], bias: [S], input: [S]) {
        let parts = RuntimeThreads.map(blocks.count, threads: threads) { b in _backwardBlock(traces[b], dy, blocks[b], gates: g) }
        return Self._sumBlocks(parts, threads: threads)
    }

    /// The blocks' gradients combined: parameter gradients added in block order
    /// (`GeneratedBatchSplit.addInOrder`), input gradients concatenated in sample order; zero
    /// gradients for an empty batch.
    @inlinable static func _sumBlocks<S: GeneratedScalar>(_ parts: [(weights: [S], bias: [S], input: [S])], threads: Int) -> (weights: [S], bias: [S], input: [S]) {
        guard var weights = parts.first?.weights, var bias = parts.first?.bias else {
            return ([S](repeating: 0, count: Self.weightCount), [S](repeating: 0, count: Self.biasCount), [])
        }
        GeneratedBatchSplit.addInOrder(parts.dropFirst().flatMap(\.weights), to: &weights, threads: threads)
        GeneratedBatchSplit.addInOrder(parts.dropFirst().flatMap(\.bias), to: &bias, threads: threads)
        return (weights, bias, parts.flatMap(\.input))
    }

    /// Reverse pass from a `_trace` (activations `a`, pre-activations `z`) and ∂L/∂y: the
    /// gradients of every layer's θ (layer order), of the biases (layer order, the gates last)
    /// and of the input.
    /// - Complexity: one backward pass of every layer and activation on `count` samples.
    @inlinable public func _backward<S: GeneratedScalar>(_ a: [[S]], _ z: [[S]], _ dy: [S], count: Int, gates g: [S]) -> (weights: [S], bias: [S], input: [S]) {
        var dGates = [S](repeating: 0, count: Self.gateCount)
        var d = dy
        var weights: [[S]] = [], bias: [[S]] = []
        for i in stride(from: Self.layerCount - 1, through: 0, by: -1) {
            let gi = _pass(i, backward: a[i], d, count: count)
            weights.append(gi.weights)
            bias.append(gi.bias)
            d = i > 0 ? Self._activations[i - 1].backward(z[i - 1], gi.input, count: count, gates: g, gateGradient: &dGates) : gi.input
        }
        return (weights.reversed().flatMap { $0 }, bias.reversed().flatMap { $0 } + dGates, d)
    }

    // MARK: Losses and training

    /// The loss of outputs `output` against `targets` (both count × outputDimension) and ∂L/∂output.
    @inlinable public static func loss(output y: [Float], targets t: [Float], count: Int, loss: Loss) -> (value: Float, gradient: [Float]) {
        precondition(y.count == count * outputDimension && t.count == y.count, "output and targets must hold count × \(outputDimension) values")
        return loss.evaluate(y, t, count: count, classes: outputDimension)
    }
    /// The loss of outputs `output` against `targets` (both count × outputDimension) and ∂L/∂output.
    @inlinable public static func loss(output y: [Double], targets t: [Double], count: Int, loss: Loss) -> (value: Double, gradient: [Double]) {
        precondition(y.count == count * outputDimension && t.count == y.count, "output and targets must hold count × \(outputDimension) values")
        return loss.evaluate(y, t, count: count, classes: outputDimension)
    }

    /// One optimization step on a batch: forward, loss, backward through every layer and
    /// nonlinearity, then an SGD or Adam update of all weights, biases and gates.
    /// Returns the loss before the update. Targets are count × outputDimension values. The
    /// passes run in fixed blocks across `threads` (default `RuntimeThreads.count`), as
    /// `backward(batch:outputGradient:count:threads:)` does: the step is bit-identical on any
    /// number of threads.
    @inlinable public mutating func trainStep(
        batch: [Float], targets: [Float], count: Int, learningRate: Float, optimizer: GeneratedNetworkOptimizer = .sgd, loss: Loss,
        threads: Int? = nil
    ) -> Float {
        precondition(count > 0 && batch.count == count * Self.inputDimension, "batch must hold count × \(Self.inputDimension) values")
        let g = gates
        let blocks = Self._gradientBlocks(count: count)
        let t = GeneratedBatchSplit.threads(threads, count: count, workPerSample: Self._workPerSample)
        let traces = _traceBlocks(batch, blocks, gates: g, threads: t)
        let output = traces.flatMap { $0.a[$0.a.count - 1] }
        let (value, dy) = Self.loss(output: output, targets: targets, count: count, loss: loss)
        let grad = _backwardBlocks(traces, blocks, dy, gates: g, threads: t)
        var parameters = weights + bias
        let gradient = grad.weights + grad.bias
        switch optimizer.kind {
        case .sgd:
            var sgd = SGD(learningRate: Double(learningRate))
            sgd.step(&parameters, gradient: gradient)
        case .adam:
            _adam.learningRate = Double(learningRate)
            _adam.beta1 = Double(optimizer.beta1)
            _adam.beta2 = Double(optimizer.beta2)
            _adam.epsilon = Double(optimizer.epsilon)
            _adam.step(&parameters, gradient: gradient)
        }
        setParameters(weights: Array(parameters[..<Self.weightCount]), bias: Array(parameters[Self.weightCount...]))
        return value
    }
}

extension GeneratedNetwork {
    /// One optimization step with the mean squared error (see `trainStep(…, loss:)`).
    @inlinable public mutating func trainStep(
        batch: [Float], targets: [Float], count: Int, learningRate: Float, optimizer: GeneratedNetworkOptimizer = .sgd, threads: Int? = nil
    ) -> Float {
        trainStep(
            batch: batch, targets: targets, count: count, learningRate: learningRate, optimizer: optimizer, loss: .meanSquaredError, threads: threads)
    }
}

extension GeneratedNetwork where Loss == InvariantHeadLoss {
    /// One-hot targets (count × outputDimension) from class labels in 0..<outputDimension.
    @inlinable public static func oneHot(labels: [Int]) -> [Float] {
        var t = [Float](repeating: 0, count: labels.count * outputDimension)
        for (n, k) in labels.enumerated() {
            precondition(k >= 0 && k < outputDimension, "label \(k) is not in 0..<\(outputDimension)")
            t[n * outputDimension + k] = 1
        }
        return t
    }
}
