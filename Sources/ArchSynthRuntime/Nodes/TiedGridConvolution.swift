/// The periodic k_h × k_w convolution kernel shared by `GridConvolution` and
/// `TiedGridConvolution`: y[o, g] = b[o] + Σ_c Σ_d W[o, c, d] · x[c, g − d] on an H×W periodic
/// grid (d = (s − ⌊k_h/2⌋, t − ⌊k_w/2⌋)).
///
/// Blocking: the input (forward) or the output gradient (input gradient) is first copied into a
/// periodically padded (H + k_h − 1) × (W + k_w − 1) array per channel, so the stencil never
/// wraps; each output entry is then accumulated in a register over c, s, t (Double and Float:
/// 8 and 16 neighbouring columns at once in SIMD vectors, the scalar order per entry unchanged),
/// two output channels (forward) or two input channels (input gradient) at a time, so each
/// vector of the padded signal is loaded once for both.
/// The weight gradient W̄[o, c, d] = Σ_g ȳ[o, g] x[c, g − d] is a dot product per weight over
/// the padded input (Double and Float: one lane per column modulo the vector width, the lanes
/// then summed in lane order, then the remaining columns), three neighbouring taps t at a time
/// (each ȳ vector loaded once for the three).
///
/// Summation order: y[o, g] starts from b[o] and adds the terms in the order c, then s, then t;
/// x̄[c, g] starts from 0 and adds them in the order o, s, t — the order of the per-point table
/// loop this kernel has replaced twice, so forward values and input gradients are bit-identical
/// to it (and on every path: generic, Double, Float tails).
///
/// Threads (`RuntimeThreads`): the forward pass and the weight gradient split the output
/// channels, the input gradient the input channels; every entry is computed by one thread in a
/// fixed order, so results are bit-identical for every thread count.
public enum PeriodicConvolutionKernel {
    /// A C-channel H×W signal padded periodically to (H + k_h − 1) × (W + k_w − 1): padded
    /// (P, Q) holds x[c, (P − top) mod H, (Q − left) mod W].
    @inline(__always)
    static func padded<T: RuntimeScalar>(_ x: UnsafePointer<T>, _ channels: Int, _ h: Int, _ w: Int, _ kh: Int, _ kw: Int, top: Int, left: Int) -> [T] {
        let (ph, pw) = (h + kh - 1, w + kw - 1)
        var p = [T](repeating: T.zero, count: channels * ph * pw)
        p.withUnsafeMutableBufferPointer { pb in
            let pp = pb.baseAddress!
            for c in 0..<channels {
                for r in 0..<ph {
                    let src = x + c * h * w + (((r - top) % h + h) % h) * w
                    let dst = pp + (c * ph + r) * pw
                    // Column (q − left) mod w: runs of consecutive source columns, each copied
                    // as one block (the first from column m to the row's end, then from 0).
                    var (q, m) = (0, ((-left) % w + w) % w)
                    while q < pw {
                        let run = min(w - m, pw - q)
                        (dst + q).update(from: src + m, count: run)
                        (q, m) = (q + run, 0)
                    }
                }
            }
        }
        return p
    }

    /// y (cout·n) = b + W ⋆ x; `weights` is W[o][c][s][t], `bias` nil for none.
    public static func forward<T: RuntimeScalar>(
        x: [T], weights: [T], bias: [T]?, height h: Int, width w: Int, inputChannels cin: Int, outputChannels cout: Int,
        stencilHeight kh: Int, stencilWidth kw: Int
    ) -> [T] {
        if T.self == Double.self {
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
        return forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw, vector: Scalar1<T>.self)
    }

    static func forwardDouble(x: [Double], weights: [Double], bias: [Double]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [Double] {
        forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw, vector: SIMD8<Double>.self)
    }

    static func forwardFloat(x: [Float], weights: [Float], bias: [Float]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int) -> [Float] {
        forwardBody(x: x, weights: weights, bias: bias, h, w, cin, cout, kh, kw, vector: SIMD16<Float>.self)
    }

    /// The forward pass with `V` columns at a time (`Scalar1` for one: the generic path).
    @inline(__always)
    static func forwardBody<T: RuntimeScalar, V: ConvolutionVector>(
        x: [T], weights: [T], bias: [T]?, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int, vector: V.Type
    ) -> [T] where V.Element == T {
        let n = h * w, k = kh * kw, (ph, pw) = (h + kh - 1, w + kw - 1), plane = ph * pw
        let xp = x.withUnsafeBufferPointer { padded($0.baseAddress!, cin, h, w, kh, kw, top: kh - 1 - kh / 2, left: kw - 1 - kw / 2) }
        let wide = V.width == 0 ? 0 : w / V.width * V.width
        var y = [T](repeating: T.zero, count: cout * n)
        y.withUnsafeMutableBufferPointer { yb in
            xp.withUnsafeBufferPointer { xb in
                weights.withUnsafeBufferPointer { wb in
                    let (yp, xq, wp) = (yb.baseAddress!, xb.baseAddress!, wb.baseAddress!)
                    RuntimeThreads.forEachChunk(cout) { outputs in
                        var o = outputs.lowerBound
                        while o < outputs.upperBound {
                            // Two output channels at once where the chunk has them: each input
                            // vector is loaded once for both (per entry the same order as alone).
                            let pair = o + 1 < outputs.upperBound
                            let b0 = bias?[o] ?? T.zero, b1 = pair ? (bias?[o + 1] ?? T.zero) : T.zero
                            let wo = wp + o * cin * k
                            for i in 0..<h {
                                let yr = yp + o * n + i * w
                                var j = 0
                                while pair && j < wide {
                                    var acc0 = V(repeating: b0), acc1 = V(repeating: b1)
                                    for c in 0..<cin {
                                        for s in 0..<kh {
                                            let row = xq + c * plane + (i + kh - 1 - s) * pw + j + kw - 1
                                            let wr = wo + c * k + s * kw, wr1 = wr + cin * k
                                            for t in 0..<kw {
                                                let v = V.load(row - t)
                                                acc0.add(wr[t], times: v)
                                                acc1.add(wr1[t], times: v)
                                            }
                                        }
                                    }
                                    acc0.store(yr + j)
                                    acc1.store(yr + n + j)
                                    j += V.width
                                }
                                while j < wide {
                                    var acc = V(repeating: b0)
                                    for c in 0..<cin {
                                        for s in 0..<kh {
                                            let row = xq + c * plane + (i + kh - 1 - s) * pw + j + kw - 1
                                            let wr = wo + c * k + s * kw
                                            for t in 0..<kw { acc.add(wr[t], times: V.load(row - t)) }
                                        }
                                    }
                                    acc.store(yr + j)
                                    j += V.width
                                }
                                // The scalar tails, channel by channel.
                                for oo in o..<(pair ? o + 2 : o + 1) {
                                    let bo = bias?[oo] ?? T.zero, woo = wp + oo * cin * k, yoo = yp + oo * n + i * w
                                    for jj in j..<w {
                                        var acc = bo
                                        for c in 0..<cin {
                                            for s in 0..<kh {
                                                let row = xq + c * plane + (i + kh - 1 - s) * pw + jj + kw - 1
                                                let wr = woo + c * k + s * kw
                                                for t in 0..<kw { acc += wr[t] * row[-t] }
                                            }
                                        }
                                        yoo[jj] = acc
                                    }
                                }
                            }
                            o += pair ? 2 : 1
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
        if T.self == Float.self {
            let g = pullbackFloat(
                dy: unsafeBitCast(dy, to: [Float].self), x: unsafeBitCast(x, to: [Float].self),
                weights: unsafeBitCast(weights, to: [Float].self), hasBias, h, w, cin, cout, kh, kw)
            return (unsafeBitCast(g.weights, to: [T].self), g.bias.map { unsafeBitCast($0, to: [T].self) }, unsafeBitCast(g.input, to: [T].self))
        }
        return pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw, vector: Scalar1<T>.self)
    }

    static func pullbackDouble(
        dy: [Double], x: [Double], weights: [Double], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [Double], bias: [Double]?, input: [Double]) {
        pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw, vector: SIMD8<Double>.self)
    }

    static func pullbackFloat(
        dy: [Float], x: [Float], weights: [Float], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int
    ) -> (weights: [Float], bias: [Float]?, input: [Float]) {
        pullbackBody(dy: dy, x: x, weights: weights, hasBias, h, w, cin, cout, kh, kw, vector: SIMD16<Float>.self)
    }

    @inline(__always)
    static func pullbackBody<T: RuntimeScalar, V: ConvolutionVector>(
        dy: [T], x: [T], weights: [T], _ hasBias: Bool, _ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ kh: Int, _ kw: Int, vector: V.Type
    ) -> (weights: [T], bias: [T]?, input: [T]) where V.Element == T {
        let n = h * w, k = kh * kw, (ph, pw) = (h + kh - 1, w + kw - 1), plane = ph * pw
        let wide = V.width == 0 ? 0 : w / V.width * V.width
        // x padded as in the forward pass (for W̄), ȳ padded the other way round (for x̄).
        let xp = x.withUnsafeBufferPointer { padded($0.baseAddress!, cin, h, w, kh, kw, top: kh - 1 - kh / 2, left: kw - 1 - kw / 2) }
        let dyp = dy.withUnsafeBufferPointer { padded($0.baseAddress!, cout, h, w, kh, kw, top: kh / 2, left: kw / 2) }
        var dw = [T](repeating: T.zero, count: cout * cin * k), dx = [T](repeating: T.zero, count: cin * n)
        var db = [T](repeating: T.zero, count: hasBias ? cout : 0)
        dy.withUnsafeBufferPointer { dyb in
            xp.withUnsafeBufferPointer { xb in
                dyp.withUnsafeBufferPointer { dypb in
                    weights.withUnsafeBufferPointer { wb in
                        dx.withUnsafeMutableBufferPointer { dxb in
                            dw.withUnsafeMutableBufferPointer { dwb in
                                db.withUnsafeMutableBufferPointer { dbb in
                                    let (g, xq, gq, wp, dxp, dwp) = (dyb.baseAddress!, xb.baseAddress!, dypb.baseAddress!, wb.baseAddress!, dxb.baseAddress!, dwb.baseAddress!)
                                    let dbp = dbb.baseAddress
                                    // W̄ and b̄: output channels split across threads.
                                    RuntimeThreads.forEachChunk(cout) { outputs in
                                        for o in outputs {
                                            let go = g + o * n
                                            if hasBias {
                                                var s = T.zero
                                                for q in 0..<n { s += go[q] }
                                                dbp![o] = s
                                            }
                                            for c in 0..<cin {
                                                for s in 0..<kh {
                                                    var t = 0
                                                    // Three taps at once (each ȳ vector loaded once for
                                                    // three products): every tap's lanes and tail sum the
                                                    // same products in the same order as alone.
                                                    while V.width > 0 && t + 3 <= kw {
                                                        var l0 = V(repeating: T.zero), l1 = l0, l2 = l0
                                                        var r0 = T.zero, r1 = T.zero, r2 = T.zero
                                                        for i in 0..<h {
                                                            let gr = go + i * w
                                                            let row = xq + c * plane + (i + kh - 1 - s) * pw + kw - 1 - t
                                                            var j = 0
                                                            while j < wide {
                                                                let v = V.load(gr + j)
                                                                l0.add(v, times: V.load(row + j))
                                                                l1.add(v, times: V.load(row + j - 1))
                                                                l2.add(v, times: V.load(row + j - 2))
                                                                j += V.width
                                                            }
                                                            while j < w {
                                                                r0 += gr[j] * row[j]
                                                                r1 += gr[j] * row[j - 1]
                                                                r2 += gr[j] * row[j - 2]
                                                                j += 1
                                                            }
                                                        }
                                                        let at = dwp + (o * cin + c) * k + s * kw + t
                                                        (at[0], at[1], at[2]) = (l0.sum() + r0, l1.sum() + r1, l2.sum() + r2)
                                                        t += 3
                                                    }
                                                    while t < kw {
                                                        var lanes = V(repeating: T.zero)
                                                        var rest = T.zero
                                                        for i in 0..<h {
                                                            let gr = go + i * w
                                                            let row = xq + c * plane + (i + kh - 1 - s) * pw + kw - 1 - t
                                                            var j = 0
                                                            while j < wide {
                                                                lanes.add(V.load(gr + j), times: V.load(row + j))
                                                                j += V.width
                                                            }
                                                            while j < w {
                                                                rest += gr[j] * row[j]
                                                                j += 1
                                                            }
                                                        }
                                                        dwp[(o * cin + c) * k + s * kw + t] = lanes.sum() + rest
                                                        t += 1
                                                    }
                                                }
                                            }
                                        }
                                    }
                                    // x̄: input channels split across threads.
                                    RuntimeThreads.forEachChunk(cin) { inputs in
                                        var c = inputs.lowerBound
                                        while c < inputs.upperBound {
                                            // Two input channels at once where the chunk has them
                                            // (each ȳ vector loaded once; per entry the same order).
                                            let pair = c + 1 < inputs.upperBound
                                            for i in 0..<h {
                                                let xr = dxp + c * n + i * w
                                                var j = 0
                                                while pair && j < wide {
                                                    var acc0 = V(repeating: T.zero), acc1 = V(repeating: T.zero)
                                                    for o in 0..<cout {
                                                        for s in 0..<kh {
                                                            let row = gq + o * plane + (i + s) * pw + j
                                                            let wr = wp + (o * cin + c) * k + s * kw, wr1 = wr + k
                                                            for t in 0..<kw {
                                                                let v = V.load(row + t)
                                                                acc0.add(wr[t], times: v)
                                                                acc1.add(wr1[t], times: v)
                                                            }
                                                        }
                                                    }
                                                    acc0.store(xr + j)
                                                    acc1.store(xr + n + j)
                                                    j += V.width
                                                }
                                                while j < wide {
                                                    var acc = V(repeating: T.zero)
                                                    for o in 0..<cout {
                                                        for s in 0..<kh {
                                                            let row = gq + o * plane + (i + s) * pw + j
                                                            let wr = wp + (o * cin + c) * k + s * kw
                                                            for t in 0..<kw { acc.add(wr[t], times: V.load(row + t)) }
                                                        }
                                                    }
                                                    acc.store(xr + j)
                                                    j += V.width
                                                }
                                                // The scalar tails, channel by channel.
                                                for cc in c..<(pair ? c + 2 : c + 1) {
                                                    for jj in j..<w {
                                                        var acc = T.zero
                                                        for o in 0..<cout {
                                                            for s in 0..<kh {
                                                                let row = gq + o * plane + (i + s) * pw + jj
                                                                let wr = wp + (o * cin + cc) * k + s * kw
                                                                for t in 0..<kw { acc += wr[t] * row[t] }
                                                            }
                                                        }
                                                        dxp[cc * n + i * w + jj] = acc
                                                    }
                                                }
                                            }
                                            c += pair ? 2 : 1
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

/// A run of neighbouring columns the convolution kernel accumulates at once: SIMD vectors for
/// Double and Float, `Scalar1` (no vector: the loops' scalar tails do all the work) otherwise.
protocol ConvolutionVector {
    associatedtype Element: RuntimeScalar
    static var width: Int { get }
    init(repeating: Element)
    static func load(_ p: UnsafePointer<Element>) -> Self
    func store(_ p: UnsafeMutablePointer<Element>)
    /// self += a · v, lane by lane (a multiply, then an add: no fused multiply-add, so every lane
    /// rounds as the scalar loop does).
    mutating func add(_ a: Element, times v: Self)
    mutating func add(_ u: Self, times v: Self)
    /// The lanes summed in lane order.
    func sum() -> Element
}

/// No vector: width 0, so the vector loops never run.
struct Scalar1<Element: RuntimeScalar>: ConvolutionVector {
    static var width: Int { 0 }
    init(repeating: Element) {}
    static func load(_ p: UnsafePointer<Element>) -> Self { Self(repeating: Element.zero) }
    func store(_ p: UnsafeMutablePointer<Element>) {}
    mutating func add(_ a: Element, times v: Self) {}
    mutating func add(_ u: Self, times v: Self) {}
    func sum() -> Element { Element.zero }
}

/// A SIMD vector as a convolution vector: unaligned loads and stores, a multiply then an add per
/// lane, the lanes summed in lane order (SIMD8 for Double and SIMD16 for Float: 64 bytes).
extension ConvolutionVector where Self: SIMD, Scalar == Element, Element: BinaryFloatingPoint {
    @inline(__always) static var width: Int { scalarCount }
    @inline(__always) static func load(_ p: UnsafePointer<Element>) -> Self { UnsafeRawPointer(p).loadUnaligned(as: Self.self) }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Element>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }
    @inline(__always) mutating func add(_ a: Element, times v: Self) { self = self + a * v }
    @inline(__always) mutating func add(_ u: Self, times v: Self) { self = self + u * v }
    @inline(__always) func sum() -> Element {
        var s = self[0]
        for l in 1..<Self.scalarCount { s += self[l] }
        return s
    }
}

extension SIMD8: ConvolutionVector where Scalar == Double { typealias Element = Double }
extension SIMD16: ConvolutionVector where Scalar == Float { typealias Element = Float }

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
public struct TiedGridConvolution: ScalarSpecializedNode {
    /// The periodic grid the signals live on.
    public let grid: PeriodicGrid
    /// The channel basis (inputSize = C_in, outputSize = C_out; weightCount basis elements).
    public let channels: TiedLinear
    /// k_h, the stencil's rows (clipped to `grid.height`).
    public let stencilHeight: Int
    /// k_w, the stencil's columns (clipped to `grid.width`).
    public let stencilWidth: Int

    /// C_in = `channels.inputSize`.
    public var inputChannels: Int { channels.inputSize }
    /// C_out = `channels.outputSize`.
    public var outputChannels: Int { channels.outputSize }
    /// k_h · k_w.
    public var stencilSize: Int { stencilHeight * stencilWidth }
    /// [x]: C_in · n values, channels outermost.
    public var inputSizes: [Int] { [channels.inputSize * grid.count] }
    /// C_out · n values, channels outermost.
    public var outputSize: Int { channels.outputSize * grid.count }
    /// The number of stencil parameters φ: one stencil per channel basis element.
    public var weightCount: Int { channels.weightCount * stencilSize }
    /// φ, then the channel basis' bias parameters β.
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

    /// Expands φ, β into W, b (`expanded`) and runs the periodic convolution (specialized for Double and
    /// Float by `ScalarSpecializedNode`); the pullback contracts the full weight gradient back onto φ and β.
    /// - Complexity: O(C_out · C_in · n · k_h · k_w + entries · k_h · k_w) forward and backward.
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
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
