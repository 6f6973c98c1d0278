/// Bilinear warp of a grid signal by a coordinate map: out[c, i, j] = s[c](map[0, i, j], map[1, i, j]),
/// the signal sampled with bilinear interpolation at the (row, col) coordinates the map gives
/// for output pixel (i, j), in grid units (pixel (r, q) sits at coordinate (r, q)).
///
/// Shapes (flat, row-major): input 0 = signal, C×H×W (channels outermost); input 1 = map,
/// 2×H×W (plane 0 rows, plane 1 columns). Output C×H×W. The identity map is
/// `Warp.identityMap(height:width:)`; a displacement field u gives the map id + u.
///
/// Boundary modes:
/// - `.periodic`: the signal repeats with periods H and W (coordinates taken mod H, W).
/// - `.border`: sample indices are clamped to the grid (replicate padding), so outside the
///   grid the signal is constant along the outward direction and the map's gradient there is 0.
///
/// Adjoint with respect to both inputs. The cell (⌊row⌋, ⌊col⌋) is chosen on `primal` values,
/// so on `Dual` numbers the same cell is used and Hessian-vector products are exact inside a cell.
///
/// Laws: warp(s, id) = s exactly; with `.periodic`, an integer shift t of the map shifts the
/// output, warp(s, id + t)[i, j] = s[i + t₀ mod H, j + t₁ mod W]; warp(warp(s, φ), ψ) equals
/// warp(s, φ∘ψ) only up to interpolation error.
///
/// ```swift
/// let warp = Warp(channels: 1, height: 4, width: 4, mode: .periodic)
/// let moved = warp.forward([Double](), [signal, Warp.identityMap(height: 4, width: 4)])   // = signal
/// ```
public struct Warp: ParameterFreeNode {
    /// How samples outside the grid are read: `periodic` (wrap around) or `border` (clamp to the edge).
    public enum Boundary: String, Sendable { case periodic, border }

    /// C, the signal's channels.
    public let channels: Int
    /// H, the grid's rows.
    public let height: Int
    /// W, the grid's columns.
    public let width: Int
    /// The boundary mode.
    public let mode: Boundary
    /// [signal, map]: C·H·W values and 2·H·W values (rows plane, then columns plane).
    public var inputSizes: [Int] { [channels * height * width, 2 * height * width] }
    /// C·H·W: the warped signal, channels outermost.
    public var outputSize: Int { channels * height * width }

    /// A warp of C-channel H×W signals (traps unless all three are at least 1).
    public init(channels: Int, height: Int, width: Int, mode: Boundary) {
        precondition(channels >= 1 && height >= 1 && width >= 1, "Warp: empty shape")
        self.channels = channels
        self.height = height
        self.width = width
        self.mode = mode
    }

    /// The identity coordinate map: plane 0 holds i, plane 1 holds j at pixel (i, j).
    public static func identityMap<T: RuntimeScalar>(height: Int, width: Int) -> [T] {
        var m = [T](repeating: T.zero, count: 2 * height * width)
        for i in 0..<height {
            for j in 0..<width {
                m[i * width + j] = T(Double(i))
                m[height * width + i * width + j] = T(Double(j))
            }
        }
        return m
    }

    /// The two sample indices and the fractional weight along one axis of length n.
    @inlinable static func cell<T: RuntimeScalar>(_ x: T, _ n: Int, _ mode: Boundary) -> (Int, Int, T) {
        var p = x.primal
        if !p.isFinite { p = 0 }
        switch mode {
        case .border:
            // Beyond the last cell both indices clamp to the same pixel; keep the weight finite.
            let lo = p.rounded(.down)
            let f = x - T(lo)
            let c = max(-1.0, min(Double(n), lo))
            let i0 = Int(c), i1 = i0 + 1
            return (min(max(i0, 0), n - 1), min(max(i1, 0), n - 1), f)
        case .periodic:
            let lo = p.rounded(.down)
            let f = x - T(lo)
            let i0 = periodicIndex(lo, n)
            return (i0, i0 + 1 == n ? 0 : i0 + 1, f)
        }
    }

    /// lo mod n in 0..<n for an integer-valued lo: below 2⁵² by a floor division (every step
    /// exact there, so the same integer as the remainder), otherwise by `truncatingRemainder`.
    @inlinable static func periodicIndex(_ lo: Double, _ n: Int) -> Int {
        let size = Double(n)
        if abs(lo) < 4.5e15 {
            let r = lo - size * (lo / size).rounded(.down)
            if r >= 0 && r < size { return Int(r) }
        }
        var r = lo.truncatingRemainder(dividingBy: size)
        if r < 0 { r += size }
        return min(Int(r), n - 1)
    }

    /// Bilinear samples of every channel at the map's coordinates (Double and Float fast paths);
    /// the pullback scatters ȳ into the signal's four cell corners and differentiates the weights for the map.
    /// - Complexity: O(C · H · W) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "Warp")
        if let fast = doubleFastPath(parameters, inputs, doubleValueWithPullback) { return fast }
        if let fast = floatFastPath(parameters, inputs, floatValueWithPullback) { return fast }
        return body(parameters, inputs)
    }

    func doubleValueWithPullback(_ parameters: [Double], _ inputs: [[Double]]) -> (value: [Double], pullback: ([Double]) -> NodeGradient<Double>) {
        body(parameters, inputs)
    }

    func floatValueWithPullback(_ parameters: [Float], _ inputs: [[Float]]) -> (value: [Float], pullback: ([Float]) -> NodeGradient<Float>) {
        body(parameters, inputs)
    }

    @inline(__always)
    func body<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let (c, h, w, mode) = (channels, height, width, self.mode)
        let s = inputs[0], map = inputs[1], hw = h * w
        // Per output pixel: the four sample offsets (row·w + column) and the weights.
        var i00 = [Int](repeating: 0, count: 4 * hw)
        var fy = [T](repeating: T.zero, count: hw), fx = fy
        i00.withUnsafeMutableBufferPointer { ip in
            for k in 0..<hw {
                let (a0, a1, ay) = Self.cell(map[k], h, mode)
                let (b0, b1, bx) = Self.cell(map[hw + k], w, mode)
                ip[4 * k] = a0 * w + b0; ip[4 * k + 1] = a0 * w + b1
                ip[4 * k + 2] = a1 * w + b0; ip[4 * k + 3] = a1 * w + b1
                fy[k] = ay; fx[k] = bx
            }
        }
        let index = i00
        let one = T(1)
        var out = [T](repeating: T.zero, count: c * hw)
        out.withUnsafeMutableBufferPointer { op in
            s.withUnsafeBufferPointer { sp in
                index.withUnsafeBufferPointer { ip in
                    for ch in 0..<c {
                        let base = ch * hw
                        for k in 0..<hw {
                            let y = fy[k], x = fx[k]
                            let v00 = sp[base + ip[4 * k]], v01 = sp[base + ip[4 * k + 1]]
                            let v10 = sp[base + ip[4 * k + 2]], v11 = sp[base + ip[4 * k + 3]]
                            op[base + k] = (one - y) * ((one - x) * v00 + x * v01) + y * ((one - x) * v10 + x * v11)
                        }
                    }
                }
            }
        }
        return (out, { dy in
            var ds = [T](repeating: T.zero, count: c * hw), dm = [T](repeating: T.zero, count: 2 * hw)
            ds.withUnsafeMutableBufferPointer { dsp in
                dm.withUnsafeMutableBufferPointer { dmp in
                    s.withUnsafeBufferPointer { sp in
                        index.withUnsafeBufferPointer { ip in
                            dy.withUnsafeBufferPointer { dyp in
                                for ch in 0..<c {
                                    let base = ch * hw
                                    for k in 0..<hw {
                                        let g = dyp[base + k], y = fy[k], x = fx[k]
                                        let j00 = base + ip[4 * k], j01 = base + ip[4 * k + 1]
                                        let j10 = base + ip[4 * k + 2], j11 = base + ip[4 * k + 3]
                                        dsp[j00] += g * (one - y) * (one - x)
                                        dsp[j01] += g * (one - y) * x
                                        dsp[j10] += g * y * (one - x)
                                        dsp[j11] += g * y * x
                                        let v00 = sp[j00], v01 = sp[j01], v10 = sp[j10], v11 = sp[j11]
                                        dmp[k] += g * ((one - x) * (v10 - v00) + x * (v11 - v01))
                                        dmp[hw + k] += g * ((one - y) * (v01 - v00) + y * (v11 - v10))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return NodeGradient(parameters: [], inputs: [ds, dm])
        })
    }
}

/// Composition of displacement fields on an H×W grid: with φ = id + u and ψ = id + v
/// (u, v: 2×H×W, row displacement plane first), φ∘ψ = id + w with
/// w = v + warp(u, id + v) — u sampled bilinearly where ψ sends each pixel.
/// Inputs: [u, v]; output w. Boundary mode as in `Warp`.
///
/// ```swift
/// let compose = DisplacementComposition(height: 32, width: 32, mode: .periodic)
/// let w = compose.forward([Double](), [u, v])   // displacement of (id+u)∘(id+v)
/// ```
public struct DisplacementComposition: ParameterFreeNode {
    /// H, the grid's rows.
    public let height: Int
    /// W, the grid's columns.
    public let width: Int
    /// The boundary mode of the inner warp.
    public let mode: Warp.Boundary
    /// [u, v]: 2·H·W values each (row displacement plane first).
    public var inputSizes: [Int] { [2 * height * width, 2 * height * width] }
    /// 2·H·W: w, the displacement of (id + u)∘(id + v).
    public var outputSize: Int { 2 * height * width }

    /// Composition of displacement fields on an H×W grid with boundary `mode`.
    public init(height: Int, width: Int, mode: Warp.Boundary) {
        self.height = height
        self.width = width
        self.mode = mode
    }

    /// v + warp(u, id + v) (a two-channel `Warp`); the pullback is the warp's, with ȳ added to v̄.
    /// - Complexity: O(H · W) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "DisplacementComposition")
        if let fast = doubleFastPath(parameters, inputs, doubleValueWithPullback) { return fast }
        if let fast = floatFastPath(parameters, inputs, floatValueWithPullback) { return fast }
        return body(parameters, inputs)
    }

    func doubleValueWithPullback(_ parameters: [Double], _ inputs: [[Double]]) -> (value: [Double], pullback: ([Double]) -> NodeGradient<Double>) {
        body(parameters, inputs)
    }

    func floatValueWithPullback(_ parameters: [Float], _ inputs: [[Float]]) -> (value: [Float], pullback: ([Float]) -> NodeGradient<Float>) {
        body(parameters, inputs)
    }

    @inline(__always)
    func body<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let u = inputs[0], v = inputs[1]
        var map: [T] = Warp.identityMap(height: height, width: width)
        for k in map.indices { map[k] += v[k] }
        let warp = Warp(channels: 2, height: height, width: width, mode: mode)
        let (wu, pb) = warp.valueWithPullback([T](), [u, map])
        var out = wu
        for k in out.indices { out[k] += v[k] }
        return (out, { dy in
            let g = pb(dy)
            var dv = g.inputs[1]
            for k in dv.indices { dv[k] += dy[k] }
            return NodeGradient(parameters: [], inputs: [g.inputs[0], dv])
        })
    }
}
