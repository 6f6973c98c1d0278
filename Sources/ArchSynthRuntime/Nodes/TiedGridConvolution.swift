/// The periodic k_h × k_w convolution kernel shared by `GridConvolution` and
/// `TiedGridConvolution`: y[o, g] = b[o] + Σ_c Σ_d W[o, c, d] · x[c, g − d] on an H×W periodic
/// grid (d = (s − ⌊k_h/2⌋, t − ⌊k_w/2⌋)). Rows are walked contiguously: for each stencil
/// offset the source row is fixed and the columns split into two runs at the wrap, so the inner
/// loops are unit-stride over raw buffers (vectorized by the compiler for Double and Float).
///
/// Threads (`RuntimeThreads`): the forward pass and the weight gradient split the output
/// channels, the input gradient splits the input channels; every entry is computed by one
/// thread in a fixed order, so results are bit-identical for every thread count.
/// Summation order: y[o, g] and x̄[c, g] sum over c (resp. o), then d, as the per-point table
/// loop did; each weight gradient W̄[o, c, d] = Σ_g ȳ[o, g] x[c, g − d] is a dot product in four
/// interleaved partial sums (`dot`), combined as (s₀ + s₁) + (s₂ + s₃).
public enum PeriodicConvolutionKernel {
    /// (row shift, column shift) of the source for stencil entry (s, t): source (i − di, j − dj).
    @inlinable static func shifts(_ s: Int, _ t: Int, _ kh: Int, _ kw: Int, _ h: Int, _ w: Int) -> (Int, Int) {
        let di = s - kh / 2, dj = t - kw / 2
        return (((-di) % h + h) % h, ((-dj) % w + w) % w)
    }

    /// y (cout·n) = b + W ⋆ x; `weights` is W[o][c][s][t], `bias` nil for none.
    public static func forward<T: RuntimeScalar>(
        x: [T], weights: [T], bias: [T]?, height h: Int, width w: Int, inputChannels cin: Int, outputChannels cout: Int,
        stencilHeight kh: Int, stencilWidth kw: Int
    ) -> [T] {
        if T.self == Double.self {
            // Concrete Double path: the arithmetic inlines (no protocol witness calls).
            let y = forwardDouble(
                x: unsafeBitCast(x, to: [Double].self), weights: unsafeBitCast(weights, to: [Double].self),
                bias: bias.map { unsafeBitCast($0, to: [Double].self) }, h, w, cin, cout, kh, kw)
            return unsafeBitCast(y, to: [T].self)
        }
        if T.self == Float.self {
            let y = forwardFloat(
                x: unsafeBitCast(x, to: [Float].self), weights: unsafeBitCast(weights, to: [Float].self),
                bias: bias.map { unsafeBitCast($0, to: [Float].self) }, h, w, cin, cout, kh, kw)
            return unsafeBitCast(y, to: [T].self)
        }
        return forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw)
    }

    static func forwardDouble(x: [Double], weights: [Double], bias: [Double]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [Double] {
        forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw)
    }

    static func forwardFloat(x: [Float], weights: [Float], bias: [Float]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [Float] {
        forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw)
    }

    @inline(__always)
    static func forwardBody<T: RuntimeScalar>(x: [T], weights: [T], bias: [T]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [T] {
        let n = h * w, k = kh * kw
        var y = [T](repeating: T.zero, count: cout * n)
        y.withUnsafeMutableBufferPointer { yb in
            x.withUnsafeBufferPointer { xb in
                weights.withUnsafeBufferPointer { wb in
                    let (yp, xp, wp) = (yb.baseAddress!, xb.baseAddress!, wb.baseAddress!)
                    RuntimeThreads.forEachChunk(cout) { outputs in
                        for o in outputs {
                            let ob = o * n
                            if let bias { for g in 0..<n { yp[ob + g] = bias[o] } }
                            for c in 0..<cin {
                                let cb = c * n
                                for s in 0..<kh {
                                    for t in 0..<kw {
                                        let wv = wp[(o * cin + c) * k + s * kw + t]
                                        let (si, sj) = shifts(s, t, kh, kw, h, w)
                                        for i in 0..<h {
                                            let yr = yp + ob + i * w
                                            let xr = xp + cb + ((i + si) % h) * w
                                            let split = w - sj
                                            axpy(wv, xr + sj, yr, split)
                                            axpy(wv, xr, yr + split, sj)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// y[j] += a · x[j] for j < count.
    @inline(__always)
    static func axpy<T: RuntimeScalar>(_ a: T, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ count: Int) {
        for j in 0..<count { y[j] += a * x[j] }
    }

    /// Σ_j a[j]·b[j] added into four interleaved partial sums (term j goes to sum j mod 4, counted
    /// from the start of this run), so the adds do not wait on each other.
    @inline(__always)
    static func dot<T: RuntimeScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ count: Int, _ s: inout (T, T, T, T)) {
        var j = 0
        while j + 4 <= count {
            s.0 += a[j] * b[j]
            s.1 += a[j + 1] * b[j + 1]
            s.2 += a[j + 2] * b[j + 2]
            s.3 += a[j + 3] * b[j + 3]
            j += 4
        }
        if j < count { s.0 += a[j] * b[j] }
        if j + 1 < count { s.1 += a[j + 1] * b[j + 1] }
        if j + 2 < count { s.2 += a[j + 2] * b[j + 2] }
    }

    /// (W̄, b̄, x̄) for the output gradient dy; b̄ is nil when there is no bias.
    public static func pullback<T: RuntimeScalar>(
        dy: [T], x: [T], weights: [T], hasBias: Bool, height h: Int, width w: Int, inputChannels cin: Int, outputChannels cout: Int,
        stencilHeight kh: Int, stencilWidth kw: Int
    ) -> (weights: [T], bias: [T]?, input: [T]) {
        if T.self == Double.self {
            let g = pullbackDouble(
                dy: unsafeBitCast(dy, to: [Double].self), x: unsafeBitCast(x, to: [Double].self),
                weights: unsafeBitCast(weights, to: [Double].self), hasBias, h, w, cin, cout, kh, kw)
            return (unsafeBitCast(g.weights, to: [T].self), g.bias.map { unsafeBitCast($0, to: [T].self) }, unsafeBitCast(g.input, to: [T].self))
        }
        if T.self == Float.self {
            let g = pullbackFloat(
                dy: unsafeBitCast(dy, to: [Float].self), x: unsafeBitCast(x, to: [Float].self),
                weights: unsafeBitCast(weights, to: [Float].self), hasBias, h, w, cin, cout, kh, kw)
            return (unsafeBitCast(g.weights, to: [T].self), g.bias.map { unsafeBitCast($0, to: [T].self) }, unsafeBitCast(g.input, to: [T].self))
        }
        return pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw)
    }

    static func pullbackDouble(
        dy: [Double], x: [Double], weights: [Double], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [Double], bias: [Double]?, input: [Double]) {
        pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw)
    }

    static func pullbackFloat(
        dy: [Float], x: [Float], weights: [Float], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [Float], bias: [Float]?, input: [Float]) {
        pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw)
    }

    @inline(__always)
    static func pullbackBody<T: RuntimeScalar>(
        dy: [T], x: [T], weights: [T], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [T], bias: [T]?, input: [T]) {
        let n = h * w, k = kh * kw
        var dw = [T](repeating: T.zero, count: cout * cin * k), dx = [T](repeating: T.zero, count: cin * n)
        var db = [T](repeating: T.zero, count: hasBias ? cout : 0)
        dy.withUnsafeBufferPointer { dyb in
            x.withUnsafeBufferPointer { xb in
                weights.withUnsafeBufferPointer { wb in
                    dx.withUnsafeMutableBufferPointer { dxb in
                        dw.withUnsafeMutableBufferPointer { dwb in
                            db.withUnsafeMutableBufferPointer { dbb in
                                let (dyp, xp, wp, dxp, dwp) = (dyb.baseAddress!, xb.baseAddress!, wb.baseAddress!, dxb.baseAddress!, dwb.baseAddress!)
                                let dbp = dbb.baseAddress
                                // W̄ and b̄: output channels split across threads.
                                RuntimeThreads.forEachChunk(cout) { outputs in
                                    for o in outputs {
                                        let ob = o * n
                                        if hasBias {
                                            var s = T.zero
                                            for g in 0..<n { s += dyp[ob + g] }
                                            dbp![o] = s
                                        }
                                        for c in 0..<cin {
                                            let cb = c * n
                                            for s in 0..<kh {
                                                for t in 0..<kw {
                                                    let (si, sj) = shifts(s, t, kh, kw, h, w)
                                                    var acc = (T.zero, T.zero, T.zero, T.zero)
                                                    for i in 0..<h {
                                                        let yr = dyp + ob + i * w
                                                        let xr = xp + cb + ((i + si) % h) * w
                                                        let split = w - sj
                                                        dot(yr, xr + sj, split, &acc)
                                                        dot(yr + split, xr, sj, &acc)
                                                    }
                                                    dwp[(o * cin + c) * k + s * kw + t] = (acc.0 + acc.1) + (acc.2 + acc.3)
                                                }
                                            }
                                        }
                                    }
                                }
                                // x̄: input channels split across threads; per entry the sum runs over o, then d.
                                RuntimeThreads.forEachChunk(cin) { inputs in
                                    for c in inputs {
                                        let cb = c * n
                                        for o in 0..<cout {
                                            let ob = o * n
                                            for s in 0..<kh {
                                                for t in 0..<kw {
                                                    let wv = wp[(o * cin + c) * k + s * kw + t]
                                                    let (si, sj) = shifts(s, t, kh, kw, h, w)
                                                    for i in 0..<h {
                                                        let yr = dyp + ob + i * w
                                                        let xr = dxp + cb + ((i + si) % h) * w
                                                        let split = w - sj
                                                        axpy(wv, yr, xr + sj, split)
                                                        axpy(wv, yr + split, xr, sj)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dw, hasBias ? db : nil, dx)
    }
}

/// A periodic grid convolution whose channel mixing is tied by an equivariant basis of a finite
/// group acting on the channels (the solver's Hom_G(V_in, V_out), e.g. C₂ swapping channel
/// pairs): W[o, c, d] = Σ_p B_p[o, c] · φ[p, d] and b[o] = Σ_q c_q[o] · β[q].
/// Since G acts on channels only and commutes with the grid translations, these are exactly
/// the G × (C_H × C_W)-equivariant k_h × k_w convolutions from V_in-valued to V_out-valued
/// grid signals (the channel basis tensored with the stencil).
///
/// Shapes: input C_in × H × W (channels outermost), output C_out × H × W. Parameters:
/// φ[p][s][t] for each basis element p (row-major stencil), then β. The channel basis is
/// given as `TiedLinear` entries (row = output channel, column = input channel).
/// Laws: commutes with the grid translations, and intertwines the channel actions the basis
/// was solved for.
///
/// ```swift
/// let conv = TiedGridConvolution(grid: PeriodicGrid(height: 8, width: 8), channels: layer, stencil: 3)
/// let y = conv.forward(parameters, x)   // x: layer.inputSize × 64
/// ```
public struct TiedGridConvolution: DifferentiableNode {
    public let grid: PeriodicGrid
    /// The channel basis (inputSize = C_in, outputSize = C_out; weightCount basis elements).
    public let channels: TiedLinear
    public let stencilHeight: Int
    public let stencilWidth: Int

    public var inputChannels: Int { channels.inputSize }
    public var outputChannels: Int { channels.outputSize }
    public var stencilSize: Int { stencilHeight * stencilWidth }
    public var inputSizes: [Int] { [channels.inputSize * grid.count] }
    public var outputSize: Int { channels.outputSize * grid.count }
    public var weightCount: Int { channels.weightCount * stencilSize }
    public var parameterCount: Int { weightCount + channels.biasCount }

    /// A k×k stencil (clipped to the grid).
    public init(grid: PeriodicGrid, channels: TiedLinear, stencil k: Int) {
        self.grid = grid
        self.channels = channels
        stencilHeight = min(k, grid.height)
        stencilWidth = min(k, grid.width)
    }

    /// Uniform initialization bound √(3 / fan-in), fan-in = (Σ over a row of the channel
    /// basis' coefficient²) · k_h · k_w.
    public var initializationBound: Double {
        var rowSum = [Double](repeating: 0, count: channels.outputSize)
        for e in channels.entries { rowSum[Int(e.row)] += e.coefficient * e.coefficient }
        let fanIn = (rowSum.max() ?? 0) * Double(stencilSize)
        return fanIn > 0 ? (3 / fanIn).squareRoot() : 1
    }

    /// The full weight tensor W[o][c][s][t] and bias b[o] for parameters θ.
    public func expanded<T: RuntimeScalar>(_ parameters: [T]) -> (weights: [T], bias: [T]) {
        let (cin, k, nW) = (inputChannels, stencilSize, weightCount)
        var wts = [T](repeating: T.zero, count: outputChannels * cin * k)
        for e in channels.entries {
            let coefficient = T(e.coefficient), base = (Int(e.row) * cin + Int(e.column)) * k, p = Int(e.parameter) * k
            for d in 0..<k { wts[base + d] += coefficient * parameters[p + d] }
        }
        var b = [T](repeating: T.zero, count: outputChannels)
        for e in channels.biasEntries { b[Int(e.row)] += T(e.coefficient) * parameters[nW + Int(e.parameter)] }
        return (wts, b)
    }

    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "TiedGridConvolution")
        if let fast = doubleFastPath(parameters, inputs, doubleValueWithPullback) { return fast }
        return body(parameters, inputs)
    }

    func doubleValueWithPullback(_ parameters: [Double], _ inputs: [[Double]]) -> (value: [Double], pullback: ([Double]) -> NodeGradient<Double>) {
        body(parameters, inputs)
    }

    @inline(__always)
    func body<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let x = inputs[0]
        let (wts, b) = expanded(parameters)
        let (h, w, cin, cout, kh, kw) = (grid.height, grid.width, inputChannels, outputChannels, stencilHeight, stencilWidth)
        let hasBias = channels.biasCount > 0
        let y = PeriodicConvolutionKernel.forward(
            x: x, weights: wts, bias: hasBias ? b : nil, height: h, width: w, inputChannels: cin, outputChannels: cout,
            stencilHeight: kh, stencilWidth: kw)
        let entries = channels.entries, biasEntries = channels.biasEntries, (k, nW, count) = (stencilSize, weightCount, parameterCount)
        return (y, { dy in
            let g = PeriodicConvolutionKernel.pullback(
                dy: dy, x: x, weights: wts, hasBias: hasBias, height: h, width: w, inputChannels: cin, outputChannels: cout,
                stencilHeight: kh, stencilWidth: kw)
            var dp = [T](repeating: T.zero, count: count)
            for e in entries {
                let coefficient = T(e.coefficient), base = (Int(e.row) * cin + Int(e.column)) * k, p = Int(e.parameter) * k
                for d in 0..<k { dp[p + d] += coefficient * g.weights[base + d] }
            }
            if let db = g.bias {
                for e in biasEntries { dp[nW + Int(e.parameter)] += T(e.coefficient) * db[Int(e.row)] }
            }
            return NodeGradient(parameters: dp, inputs: [g.input])
        })
    }
}
