/// What every generated equivariant linear layer y = W x + b shares, written once: the parameter
/// API (θ and β as Float arrays, the seeded and explicit initializers, `setParameters`), the
/// forward and backward passes on one input and on a batch in Float and Double, the generator
/// actions and `equivarianceError` (from `GeneratedEquivariantModel`). A generated file declares
/// only what is specific to its layer — metadata, generator actions, tables, the coefficient map
/// θ ↦ c and its kernels — and conforms (as swift-protobuf's generated messages conform to
/// `SwiftProtobuf.Message`).
///
/// Kernel contract (the `static` requirements; batches row-major, raw pointers valid for `count`
/// rows, `c` holds `max(1, coefficientCount)` values): `_forwardKernel` adds W x to each row of y;
/// `_backwardKernel` adds ∂L/∂c (summed over the batch) to dc and Wᵀ dy to each row of dx;
/// `_thetaGradient` maps ∂L/∂c to ∂L/∂θ. A kernel's arithmetic for one sample must not depend on
/// the other samples of the call or on where the call's rows start (panels work lane by lane):
/// batches are split across threads at any multiple of 8 samples (`GeneratedBatchSplit`), and only
/// dc sums across samples, in blocks that do not depend on the thread count. The file prints its
/// kernels once, generic over `GeneratedScalar`, and one-line concrete Float and Double entry
/// points that call them, so each precision is specialized in the file itself (everything here is
/// `@inlinable`).
///
/// ```swift
/// let layer = SymmetricNatural5(seed: 1)             // a generated file's type
/// let y = layer.forward(batch: x, count: 64)         // from this extension
/// ```
public protocol GeneratedLayer: GeneratedEquivariantModel, GeneratedLayerKernels {
    /// Bound a of the seeded initializer θ ~ U(−a, a).
    static var initializationBound: Double { get }
    /// Length of the derived coefficient array c (the kernels' parameters).
    static var coefficientCount: Int { get }
    static var inputAction: GeneratedAction { get }
    static var outputAction: GeneratedAction { get }
    /// The bias basis: b = Σ_j β_j b_j.
    static var biasBasis: GeneratedBiasBasis { get }
    /// c from θ (Float64, `coefficientCount` values), once per parameter change.
    static func _coefficients(_ theta: [Double]) -> [Double]
    /// ∂L/∂θ from ∂L/∂c.
    static func _thetaGradient(_ dc: [Float]) -> [Float]
    static func _thetaGradient(_ dc: [Double]) -> [Double]
    // The kernels of each precision, concrete so that the file that declares them specializes them
    // (a call from another file of a module built without whole-module optimization cannot).
    static func _forwardKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ c: UnsafePointer<Float>)
    static func _forwardKernel(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int, _ c: UnsafePointer<Double>)
    static func _backwardKernel(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ count: Int, _ c: UnsafePointer<Float>, _ dc: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>)
    static func _backwardKernel(
        _ x: UnsafePointer<Double>, _ dy: UnsafePointer<Double>, _ count: Int, _ c: UnsafePointer<Double>, _ dc: UnsafeMutablePointer<Double>, _ dx: UnsafeMutablePointer<Double>)
    /// θ, β and what is derived from them (the file stores it; this extension reads and writes it).
    var _state: GeneratedLayerState { get set }
    init(_state: GeneratedLayerState)
    /// A sample's work units for the batch split (`GeneratedBatchSplit`). The default counts
    /// d_in + d_out + coefficients; a grid convolution declares its own, with every coefficient
    /// once per grid point (it acts at each of them).
    static var _workPerSample: Int { get }
}

/// θ and β with the coefficients and bias vector derived from them in both precisions, refreshed
/// once per parameter change (never per forward call).
public struct GeneratedLayerState: Sendable {
    @usableFromInline var weights: [Float]
    @usableFromInline var bias: [Float]
    @usableFromInline var coefficientsF: [Float] = []
    @usableFromInline var coefficientsD: [Double] = []
    @usableFromInline var biasVectorF: [Float] = []
    @usableFromInline var biasVectorD: [Double] = []

    @inlinable init<L: GeneratedLayer>(_: L.Type, weights: [Float], bias: [Float]) {
        self.weights = weights
        self.bias = bias
        refresh(L.self)
    }

    @inlinable mutating func refresh<L: GeneratedLayer>(_: L.Type) {
        precondition(weights.count == L.weightCount, "expected \(L.weightCount) weights, got \(weights.count)")
        precondition(bias.count == L.biasCount, "expected \(L.biasCount) biases, got \(bias.count)")
        coefficientsD = L._coefficients(weights.map(Double.init))
        if coefficientsD.isEmpty { coefficientsD = [0] }  // kernels take a non-null pointer
        coefficientsF = coefficientsD.map(Float.init)
        biasVectorD = L.biasBasis.vector(bias, dimension: L.outputDimension)
        biasVectorF = biasVectorD.map(Float.init)
    }

    @inlinable func coefficients<S: GeneratedScalar>(_: S.Type) -> [S] {
        S.self == Float.self ? unsafeBitCast(coefficientsF, to: [S].self) : unsafeBitCast(coefficientsD, to: [S].self)
    }

    @inlinable func biasVector<S: GeneratedScalar>(_: S.Type) -> [S] {
        S.self == Float.self ? unsafeBitCast(biasVectorF, to: [S].self) : unsafeBitCast(biasVectorD, to: [S].self)
    }
}

/// The bias basis of a generated layer as sparse triples: b[rows[e]] += values[e] · β[parameters[e]].
public struct GeneratedBiasBasis: Sendable {
    /// The output row of each entry.
    public let rows: [Int32]
    /// The bias parameter β_j of each entry.
    public let parameters: [Int32]
    /// The coefficient of each entry.
    public let values: [Double]

    /// Three arrays of one length (checked).
    public init(rows: [Int32], parameters: [Int32], values: [Double]) {
        precondition(rows.count == parameters.count && rows.count == values.count, "GeneratedBiasBasis: one row, parameter and value per entry")
        self.rows = rows
        self.parameters = parameters
        self.values = values
    }

    /// b = Σ_j β_j b_j (`dimension` values).
    @inlinable public func vector(_ beta: [Float], dimension: Int) -> [Double] {
        var b = [Double](repeating: 0, count: dimension)
        for e in 0..<rows.count { b[Int(rows[e])] += values[e] * Double(beta[Int(parameters[e])]) }
        return b
    }

    /// ∂L/∂β from ∂L/∂b summed over a batch.
    @inlinable public func gradient<S: GeneratedScalar>(_ dbSum: [S], biasCount: Int) -> [S] {
        var db = [S](repeating: 0, count: biasCount)
        for e in 0..<rows.count { db[Int(parameters[e])] += S(values[e]) * dbSum[Int(rows[e])] }
        return db
    }
}

extension GeneratedLayer {
    // MARK: Parameters

    /// θ, the coordinates of W in the solver's basis (`weightCount` values). Setting it
    /// refreshes the derived coefficients (O(coefficients)); to change θ and β together with one
    /// refresh, use `setParameters(weights:bias:)`.
    @inlinable public var weights: [Float] {
        get { _state.weights }
        set { _state.weights = newValue; _state.refresh(Self.self) }
    }

    /// β, the coordinates of b in the bias basis (`biasCount` values).
    @inlinable public var bias: [Float] {
        get { _state.bias }
        set { _state.bias = newValue; _state.refresh(Self.self) }
    }

    /// Seeded initializer: θ ~ U(−a, a) with a = `initializationBound` (SplitMix64), bias 0.
    @inlinable public init(seed: UInt64) {
        var rng = RuntimeRandom(seed: seed)
        let weights = (0..<Self.weightCount).map { _ in Float((rng.unit() * 2 - 1) * Self.initializationBound) }
        self.init(_state: GeneratedLayerState(Self.self, weights: weights, bias: [Float](repeating: 0, count: Self.biasCount)))
    }

    /// A layer with the given parameters (counts must be `weightCount` and `biasCount`).
    @inlinable public init(weights: [Float], bias: [Float]) {
        self.init(_state: GeneratedLayerState(Self.self, weights: weights, bias: bias))
    }

    /// Sets θ and β with a single refresh (e.g. after an optimizer step).
    @inlinable public mutating func setParameters(weights: [Float], bias: [Float]) {
        _state.weights = weights
        _state.bias = bias
        _state.refresh(Self.self)
    }

    // MARK: Generator actions

    /// "permutation", "signed-permutation" or "matrix".
    @inlinable public static var inputActionKind: String { inputAction.kind }
    @inlinable public static var outputActionKind: String { outputAction.kind }
    @inlinable public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { inputAction.apply(generator: g, x) }
    @inlinable public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { outputAction.apply(generator: g, y) }

    // MARK: Forward

    /// y = W x + b for one input of `inputDimension` values (the batch kernel with count 1).
    @inlinable public func forward(_ x: [Float]) -> [Float] { _forwardOne(x) }
    /// y = W x + b for one input of `inputDimension` values (the batch kernel with count 1).
    @inlinable public func forward(_ x: [Double]) -> [Double] { _forwardOne(x) }
    /// The forward pass on `count` row-major inputs, split across `threads` (default
    /// `RuntimeThreads.count`: ARCHSYNTH_THREADS or all cores; see `GeneratedBatchSplit`); the
    /// same values bit for bit on any number of threads.
    @inlinable public func forward(batch: [Float], count: Int, threads: Int? = nil) -> [Float] { _forward(batch, count, threads: threads) }
    /// The forward pass on `count` row-major inputs, split across `threads` (see the Float pass).
    @inlinable public func forward(batch: [Double], count: Int, threads: Int? = nil) -> [Double] { _forward(batch, count, threads: threads) }

    @inlinable func _forwardOne<S: GeneratedScalar>(_ x: [S]) -> [S] {
        precondition(x.count == Self.inputDimension, "expected \(Self.inputDimension) inputs, got \(x.count)")
        return _forward(x, 1)
    }

    /// A sample's work for the batch split: d_in + d_out + coefficients (`GeneratedBatchSplit`);
    /// the default of the requirement.
    @inlinable public static var _workPerSample: Int {
        GeneratedBatchSplit.workPerSample(input: inputDimension, output: outputDimension, coefficients: coefficientCount)
    }

    /// The gradient blocks of a batch of `count` (`GeneratedBatchSplit.blocks`): thread-independent.
    @inlinable public static func _gradientBlocks(count: Int) -> [Range<Int>] {
        GeneratedBatchSplit.blocks(count: count, workPerSample: _workPerSample, partialSize: Swift.max(1, coefficientCount))
    }

    /// The forward pass on a batch in either precision (what a generated network calls): the
    /// samples in chunks across threads, each chunk one call of the kernel.
    @inlinable public func _forward<S: GeneratedScalar>(_ batch: [S], _ count: Int, threads: Int? = nil) -> [S] {
        precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \(Self.inputDimension) values")
        var y = [S](repeating: 0, count: count * Self.outputDimension)
        guard count > 0, Self.outputDimension > 0 else { return y }
        let coefficients = _state.coefficients(S.self), biasVector = _state.biasVector(S.self)
        let din = Self.inputDimension, dout = Self.outputDimension
        batch.withUnsafeBufferPointer { xp in
            coefficients.withUnsafeBufferPointer { cp in
                biasVector.withUnsafeBufferPointer { bp in
                    y.withUnsafeMutableBufferPointer { yp in
                        let y0 = yp.baseAddress!, b0 = bp.baseAddress!, c0 = cp.baseAddress!, x0 = xp.baseAddress
                        GeneratedBatchSplit.forEachChunk(count: count, workPerSample: Self._workPerSample, threads: threads) { r in
                            for n in r { (y0 + n * dout).update(from: b0, count: dout) }
                            if let x0 { Self._kernel(forward: x0 + r.lowerBound * din, y0 + r.lowerBound * dout, r.count, c0) }
                        }
                    }
                }
            }
        }
        return y
    }

    // MARK: Backward

    /// Gradients of a loss L given ∂L/∂y: ∂L/∂θ, ∂L/∂β and ∂L/∂x.
    @inlinable public func backward(input: [Float], outputGradient: [Float]) -> (weights: [Float], bias: [Float], input: [Float]) {
        _backward(input, outputGradient, 1)
    }
    /// Gradients of a loss L given ∂L/∂y: ∂L/∂θ, ∂L/∂β and ∂L/∂x.
    @inlinable public func backward(input: [Double], outputGradient: [Double]) -> (weights: [Double], bias: [Double], input: [Double]) {
        _backward(input, outputGradient, 1)
    }
    /// Batch gradients: parameter gradients summed over the batch, input gradients per row; the
    /// batch split across `threads` (default `RuntimeThreads.count`), the parameter gradients
    /// summed in fixed blocks (`GeneratedBatchSplit`), so bit-identical on any number of threads.
    @inlinable public func backward(batch: [Float], outputGradient: [Float], count: Int, threads: Int? = nil) -> (weights: [Float], bias: [Float], input: [Float]) {
        _backward(batch, outputGradient, count, threads: threads)
    }
    /// Batch gradients, split across `threads` (see the Float pass).
    @inlinable public func backward(batch: [Double], outputGradient: [Double], count: Int, threads: Int? = nil) -> (weights: [Double], bias: [Double], input: [Double]) {
        _backward(batch, outputGradient, count, threads: threads)
    }

    /// The backward pass on a batch in either precision (what a generated network calls): one
    /// kernel call per gradient block (`GeneratedBatchSplit.blocks`), the blocks spread over the
    /// threads, ∂L/∂c summed in block order; ∂L/∂β from Σ_n ∂L/∂y_n in sample order.
    @inlinable public func _backward<S: GeneratedScalar>(_ batch: [S], _ outputGradient: [S], _ count: Int, threads: Int? = nil) -> (weights: [S], bias: [S], input: [S]) {
        precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \(Self.inputDimension) values")
        precondition(outputGradient.count == count * Self.outputDimension, "outputGradient must hold count × \(Self.outputDimension) values")
        let din = Self.inputDimension, dout = Self.outputDimension, nc = Swift.max(1, Self.coefficientCount)
        var dc = [S](repeating: 0, count: nc)
        var dx = [S](repeating: 0, count: count * din)
        var dySum = [S](repeating: 0, count: dout)
        let coefficients = _state.coefficients(S.self)
        if count > 0, din > 0, dout > 0 {
            let blocks = Self._gradientBlocks(count: count)
            let t = GeneratedBatchSplit.threads(threads, count: count, workPerSample: Self._workPerSample)
            // Block 0 sums into dc, block b > 0 into partials[(b − 1) · nc...]; each starts from zero.
            var partials = [S](repeating: 0, count: (blocks.count - 1) * nc)
            batch.withUnsafeBufferPointer { xp in
                outputGradient.withUnsafeBufferPointer { gp in
                    coefficients.withUnsafeBufferPointer { cp in
                        dx.withUnsafeMutableBufferPointer { dxp in
                            dySum.withUnsafeMutableBufferPointer { sp in
                                dc.withUnsafeMutableBufferPointer { dcp in
                                    partials.withUnsafeMutableBufferPointer { pp in
                                        let x0 = xp.baseAddress!, g0 = gp.baseAddress!, c0 = cp.baseAddress!, dx0 = dxp.baseAddress!
                                        let s0 = sp.baseAddress!, dc0 = dcp.baseAddress!, p0 = pp.baseAddress
                                        for n in 0..<count {
                                            let row = g0 + n * dout
                                            for r in 0..<dout { s0[r] += row[r] }
                                        }
                                        RuntimeThreads.forEachChunk(blocks.count, threads: t) { bs in
                                            for b in bs {
                                                let r = blocks[b], target = b == 0 ? dc0 : p0! + (b - 1) * nc
                                                Self._kernel(
                                                    backward: x0 + r.lowerBound * din, g0 + r.lowerBound * dout, r.count, c0, target, dx0 + r.lowerBound * din)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            GeneratedBatchSplit.addInOrder(partials, to: &dc, threads: t)
        }
        let dTheta = S.self == Float.self
            ? unsafeBitCast(Self._thetaGradient(unsafeBitCast(dc, to: [Float].self)), to: [S].self)
            : unsafeBitCast(Self._thetaGradient(unsafeBitCast(dc, to: [Double].self)), to: [S].self)
        return (dTheta, Self.biasBasis.gradient(dySum, biasCount: Self.biasCount), dx)
    }

    /// The concrete kernel of precision S.
    @inlinable static func _kernel<S: GeneratedScalar>(forward x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>) {
        if S.self == Float.self {
            _forwardKernel(_cast(x, Float.self), _cast(y, Float.self), count, _cast(c, Float.self))
        } else {
            _forwardKernel(_cast(x, Double.self), _cast(y, Double.self), count, _cast(c, Double.self))
        }
    }

    @inlinable static func _kernel<S: GeneratedScalar>(
        backward x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>
    ) {
        if S.self == Float.self {
            _backwardKernel(_cast(x, Float.self), _cast(dy, Float.self), count, _cast(c, Float.self), _cast(dc, Float.self), _cast(dx, Float.self))
        } else {
            _backwardKernel(_cast(x, Double.self), _cast(dy, Double.self), count, _cast(c, Double.self), _cast(dc, Double.self), _cast(dx, Double.self))
        }
    }
}

/// `p` as a pointer to `T` (the same type: callers check `S.self == T.self` first).
@inlinable func _cast<S, T>(_ p: UnsafePointer<S>, _: T.Type) -> UnsafePointer<T> { UnsafeRawPointer(p).assumingMemoryBound(to: T.self) }
@inlinable func _cast<S, T>(_ p: UnsafeMutablePointer<S>, _: T.Type) -> UnsafeMutablePointer<T> { UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self) }

/// A generated layer whose kernels work on panels (feature-major blocks of samples, so inner loops
/// run over contiguous samples): the file declares `_forwardPanel` and `_backwardPanel`, and this
/// extension packs up to `_panelSamples(S.self)` samples at a time and calls them.
public protocol GeneratedPanelLayer: GeneratedLayer {
    /// Rows of `stride` scalars the panels use as scratch (`tmp`).
    static var panelTemporaries: Int { get }
    /// Values one sample occupies in the forward panel (x, y and the temporaries) when the kernel
    /// sweeps the panel many times, so panels are sized to stay in cache; 0 for the widest panels.
    static var panelValuesPerSample: Int { get }
    static func _forwardPanel<S: GeneratedScalar>(
        _ xt: UnsafePointer<S>, _ yt: UnsafeMutablePointer<S>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<S>, _ tmp: UnsafeMutablePointer<S>)
    static func _backwardPanel<S: GeneratedScalar>(
        _ xt: UnsafePointer<S>, _ dyt: UnsafePointer<S>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>,
        _ dxt: UnsafeMutablePointer<S>, _ tmp: UnsafeMutablePointer<S>)
}

extension GeneratedPanelLayer {
    /// Samples per panel: 8 vectors, or for `panelValuesPerSample` > 0 as many whole vectors as
    /// keep the panel within 48 KiB (a level-1 data cache), at least one. S_16 natural²: 16 Float
    /// samples instead of 64, forward 121–129 µs → 36–48 µs for a batch of 64 in one measurement.
    @inlinable public static func _panelSamples<S: GeneratedScalar>(_: S.Type) -> Int {
        GeneratedPanels.samples(valuesPerSample: panelValuesPerSample, scalarSize: MemoryLayout<S>.size, lanes: S.lanes)
    }

    /// The forward kernel of either precision: panels of `_panelSamples(S.self)` samples.
    @inlinable public static func _forwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>) {
        let L = S.lanes, panel = _panelSamples(S.self)
        let maxStride = (Swift.min(panel, count) + L - 1) / L * L
        let xt = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, inputDimension * maxStride))
        let yt = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, outputDimension * maxStride))
        let tmp = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, panelTemporaries * maxStride))
        defer { xt.deallocate(); yt.deallocate(); tmp.deallocate() }
        var n0 = 0
        while n0 < count {
            let samples = Swift.min(panel, count - n0)
            let nv = (samples + L - 1) / L, stride = nv * L
            S._pack(x + n0 * inputDimension, inputDimension, samples, stride, xt)
            yt.initialize(repeating: 0, count: outputDimension * stride)
            _forwardPanel(xt, yt, nv, stride, c, tmp)
            S._unpackAdd(yt, outputDimension, samples, stride, y + n0 * outputDimension)
            n0 += samples
        }
    }

    /// The backward kernel of either precision.
    @inlinable public static func _backwardBatch<S: GeneratedScalar>(
        _ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>
    ) {
        let L = S.lanes, panel = _panelSamples(S.self)
        let maxStride = (Swift.min(panel, count) + L - 1) / L * L
        let xt = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, inputDimension * maxStride))
        let dyt = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, outputDimension * maxStride))
        let dxt = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, inputDimension * maxStride))
        let tmp = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(1, panelTemporaries * maxStride))
        defer { xt.deallocate(); dyt.deallocate(); dxt.deallocate(); tmp.deallocate() }
        var n0 = 0
        while n0 < count {
            let samples = Swift.min(panel, count - n0)
            let nv = (samples + L - 1) / L, stride = nv * L
            S._pack(x + n0 * inputDimension, inputDimension, samples, stride, xt)
            S._pack(dy + n0 * outputDimension, outputDimension, samples, stride, dyt)
            dxt.initialize(repeating: 0, count: inputDimension * stride)
            _backwardPanel(xt, dyt, nv, stride, c, dc, dxt, tmp)
            S._unpackAdd(dxt, inputDimension, samples, stride, dx + n0 * inputDimension)
            n0 += samples
        }
    }
}

/// Panel sizing shared by the generated panel layers.
public enum GeneratedPanels {
    /// 8 vectors of `lanes`, or (for `valuesPerSample` > 0) as many whole vectors as keep
    /// `valuesPerSample` values of `scalarSize` bytes per sample within 48 KiB, at least one.
    @inlinable public static func samples(valuesPerSample: Int, scalarSize: Int, lanes: Int) -> Int {
        let widest = 8 * lanes
        guard valuesPerSample > 0 else { return widest }
        let vectors = (48 * 1024) / (valuesPerSample * scalarSize) / lanes
        return Swift.min(widest, Swift.max(1, vectors) * lanes)
    }
}

/// A generator action baked into a generated file: generator-major permutation images (with signs
/// for a signed permutation), ρ(g) e_i = sign · e_{images[g·d + i]}, or dense row-major matrices,
/// ρ(g)[r, c] = matrices[g·d·d + r·d + c].
public struct GeneratedAction: Sendable {
    /// d, the representation's dimension.
    public let dimension: Int
    /// Permutation images, generator-major (empty for a matrix action).
    public let images: [Int32]
    /// Signs of a signed permutation, aligned with `images` (empty for a plain permutation).
    public let signs: [Double]
    /// Dense matrices, generator-major and row-major (empty for a permutation action).
    public let matrices: [Double]
    /// "permutation", "signed-permutation" or "matrix".
    public let kind: String

    /// A permutation (`signs` empty) or signed permutation action.
    public init(dimension: Int, images: [Int32], signs: [Double] = []) {
        precondition(dimension == 0 || images.count % dimension == 0, "GeneratedAction: images must hold d values per generator")
        precondition(signs.isEmpty || signs.count == images.count, "GeneratedAction: one sign per image")
        self.dimension = dimension
        self.images = images
        self.signs = signs
        matrices = []
        kind = signs.isEmpty ? "permutation" : "signed-permutation"
    }

    /// A dense matrix action.
    public init(dimension: Int, matrices: [Double]) {
        precondition(dimension == 0 || matrices.count % (dimension * dimension) == 0, "GeneratedAction: matrices must hold d·d values per generator")
        self.dimension = dimension
        images = []
        signs = []
        self.matrices = matrices
        kind = "matrix"
    }

    /// ρ(g) x.
    @inlinable public func apply(generator g: Int, _ x: [Double]) -> [Double] {
        let d = dimension
        precondition(x.count == d, "the action has \(d) coordinates, got \(x.count)")
        var y = [Double](repeating: 0, count: d)
        if kind != "matrix" {
            let base = g * d
            for i in 0..<d { y[Int(images[base + i])] = signs.isEmpty ? x[i] : signs[base + i] * x[i] }
        } else {
            let base = g * d * d
            for r in 0..<d {
                var acc = 0.0
                for c in 0..<d { acc += matrices[base + r * d + c] * x[c] }
                y[r] = acc
            }
        }
        return y
    }
}
