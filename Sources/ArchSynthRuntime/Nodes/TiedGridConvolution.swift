/// The periodic k_h × k_w convolution kernel shared by `GridConvolution` and
/// `TiedGridConvolution`: y[o, g] = b[o] + Σ_c Σ_d W[o, c, d] · x[c, g − d] on an H×W periodic
/// grid (d = (s − ⌊k_h/2⌋, t − ⌊k_w/2⌋)). Rows are walked contiguously: for each stencil
/// offset the source row is fixed and the columns split into two runs at the wrap, so the inner
/// loops are unit-stride over raw buffers. Summation order per output entry is c, then d, then
/// nothing else (the same order as the per-point table loop it replaced, so results are
/// bit-identical).
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
        return forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw)
    }

    static func forwardDouble(x: [Double], weights: [Double], bias: [Double]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [Double] {
        forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw)
    }

    @inline(__always)
    static func forwardBody<T: RuntimeScalar>(x: [T], weights: [T], bias: [T]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [T] {
        let n = h * w, k = kh * kw
        var y = [T](repeating: T.zero, count: cout * n)
        y.withUnsafeMutableBufferPointer { yp in
            x.withUnsafeBufferPointer { xp in
                weights.withUnsafeBufferPointer { wp in
                    for o in 0..<cout {
                        let ob = o * n
                        if let bias { for g in 0..<n { yp[ob + g] = bias[o] } }
                        for c in 0..<cin {
                            let cb = c * n
                            for s in 0..<kh {
                                for t in 0..<kw {
                                    let wv = wp[(o * cin + c) * k + s * kw + t]
                                    let (si, sj) = shifts(s, t, kh, kw, h, w)
                                    for i in 0..<h {
                                        let yr = ob + i * w
                                        let xr = cb + ((i + si) % h) * w
                                        let split = w - sj
                                        for j in 0..<split { yp[yr + j] += wv * xp[xr + j + sj] }
                                        for j in split..<w { yp[yr + j] += wv * xp[xr + j + sj - w] }
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
        return pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw)
    }

    static func pullbackDouble(
        dy: [Double], x: [Double], weights: [Double], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [Double], bias: [Double]?, input: [Double]) {
        pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw)
    }

    @inline(__always)
    static func pullbackBody<T: RuntimeScalar>(
        dy: [T], x: [T], weights: [T], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [T], bias: [T]?, input: [T]) {
        let n = h * w, k = kh * kw
        var dw = [T](repeating: T.zero, count: cout * cin * k), dx = [T](repeating: T.zero, count: cin * n)
        var db: [T]? = hasBias ? [T](repeating: T.zero, count: cout) : nil
        dy.withUnsafeBufferPointer { dyp in
            x.withUnsafeBufferPointer { xp in
                weights.withUnsafeBufferPointer { wp in
                    dx.withUnsafeMutableBufferPointer { dxp in
                        for o in 0..<cout {
                            let ob = o * n
                            if hasBias {
                                var s = T.zero
                                for g in 0..<n { s += dyp[ob + g] }
                                db![o] = s
                            }
                            for c in 0..<cin {
                                let cb = c * n
                                for s in 0..<kh {
                                    for t in 0..<kw {
                                        let widx = (o * cin + c) * k + s * kw + t
                                        let wv = wp[widx]
                                        let (si, sj) = shifts(s, t, kh, kw, h, w)
                                        var acc = T.zero
                                        for i in 0..<h {
                                            let yr = ob + i * w
                                            let xr = cb + ((i + si) % h) * w
                                            let split = w - sj
                                            for j in 0..<split {
                                                let g = dyp[yr + j]
                                                acc += g * xp[xr + j + sj]
                                                dxp[xr + j + sj] += wv * g
                                            }
                                            for j in split..<w {
                                                let g = dyp[yr + j]
                                                acc += g * xp[xr + j + sj - w]
                                                dxp[xr + j + sj - w] += wv * g
                                            }
                                        }
                                        dw[widx] = acc
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dw, db, dx)
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
