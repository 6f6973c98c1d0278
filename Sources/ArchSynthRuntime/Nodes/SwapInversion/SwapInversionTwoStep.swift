/// The displacement field u(x) = c + s·R((x − c)/s) − x of a homogeneous 3×3 matrix R acting on
/// centered, scaled grid coordinates (c the grid center, s = max(H, W)/2; rows first).
/// Input: R (9, row-major); output 2×H×W. Linear in R plus a constant.
public struct AffineField: ParameterFreeNode {
    /// H, the grid's rows.
    public let height: Int
    /// W, the grid's columns.
    public let width: Int
    /// [R]: 9 values, the homogeneous 3×3 matrix row-major.
    public var inputSizes: [Int] { [9] }
    /// 2·H·W: the displacement, rows plane then columns plane, grid units.
    public var outputSize: Int { 2 * height * width }

    /// The affine field on an H×W grid.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    var center: (Double, Double) { (Double(height - 1) / 2, Double(width - 1) / 2) }
    var scale: Double { Double(max(height, width)) / 2 }

    /// u(x) for every pixel (only R's first two rows are read); the pullback sums s·ū times the
    /// centred, scaled coordinates into R̄.
    /// - Complexity: O(H · W) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "AffineField")
        let r = inputs[0], (h, w) = (height, width), (cy, cx) = center, s = scale
        var u = [T](repeating: T.zero, count: 2 * h * w)
        for i in 0..<h {
            for j in 0..<w {
                let py = T((Double(i) - cy) / s), px = T((Double(j) - cx) / s)
                for plane in 0..<2 {
                    let m = r[plane * 3] * py + r[plane * 3 + 1] * px + r[plane * 3 + 2]
                    u[plane * h * w + i * w + j] = T(s) * m + T(plane == 0 ? cy - Double(i) : cx - Double(j))
                }
            }
        }
        return (u, { du in
            var dr = [T](repeating: T.zero, count: 9)
            for i in 0..<h {
                for j in 0..<w {
                    let py = T((Double(i) - cy) / s), px = T((Double(j) - cx) / s)
                    for plane in 0..<2 {
                        let g = T(s) * du[plane * h * w + i * w + j]
                        dr[plane * 3] += g * py
                        dr[plane * 3 + 1] += g * px
                        dr[plane * 3 + 2] += g
                    }
                }
            }
            return NodeGradient(parameters: [], inputs: [dr])
        })
    }
}

/// R∘(id + d) as a displacement: w(x) = u_R(x) + L·d(x) (L the linear part of R), computed in
/// closed form (the affine field is not periodic, so it is never resampled).
/// Inputs [R (9), d (2×H×W)]; output 2×H×W.
public struct AffineAfter: ParameterFreeNode {
    /// The affine field u_R on the grid (its height and width fix the shapes).
    public let field: AffineField
    /// [R, d]: 9 values (row-major 3×3) and 2·H·W values.
    public var inputSizes: [Int] { [9, field.outputSize] }
    /// 2·H·W: the displacement w of R∘(id + d).
    public var outputSize: Int { field.outputSize }

    /// R∘(id + d) on an H×W grid.
    public init(height: Int, width: Int) { field = AffineField(height: height, width: width) }

    /// u_R + L·d pixel by pixel; the pullback gives R̄ (the field's plus the linear part's) and d̄ = Lᵀw̄.
    /// - Complexity: O(H · W) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "AffineAfter")
        let r = inputs[0], d = inputs[1], hw = field.height * field.width
        let (u, pb) = field.valueWithPullback([T](), [r])
        var w = u
        for k in 0..<hw {
            w[k] += r[0] * d[k] + r[1] * d[hw + k]
            w[hw + k] += r[3] * d[k] + r[4] * d[hw + k]
        }
        return (w, { dw in
            var dr = pb(dw).inputs[0], dd = [T](repeating: T.zero, count: 2 * hw)
            for k in 0..<hw {
                dr[0] += dw[k] * d[k]
                dr[1] += dw[k] * d[hw + k]
                dr[3] += dw[hw + k] * d[k]
                dr[4] += dw[hw + k] * d[hw + k]
                dd[k] = r[0] * dw[k] + r[3] * dw[hw + k]
                dd[hw + k] = r[1] * dw[k] + r[4] * dw[hw + k]
            }
            return NodeGradient(parameters: [], inputs: [dr, dd])
        })
    }
}

/// Two-step consistent composition (issue 8): (r, r⁻¹) = (exp(g), exp(−g)) from an affine:2
/// swap-inversion network on (A, B); Ã = A∘r, B̃ = B∘r⁻¹; (ψ, ψ⁻¹) from an svf network on
/// (Ã, B̃); Φ_AB = r∘ψ∘r, Φ_BA = r⁻¹∘ψ⁻¹∘r⁻¹ (displacement fields, bilinear, periodic).
/// Swapping A and B swaps Ã and B̃ and negates g and v, so Φ_BA is built from exactly the
/// negated generators. Parameters: the affine network's, then the field network's.
public struct SwapInversionTwoStep: Sendable {
    /// The first network: form `affine(2)`, its velocity gives the generator g (9 values, r = exp(g)).
    public let affine: SwapInversionCore
    /// The second network: form `svf(H, W)`, its velocity gives the stationary velocity field v.
    public let field: SwapInversionCore
    /// H, the images' rows (from the field network's svf:H×W form).
    public let height: Int
    /// W, the images' columns.
    public let width: Int
    /// [A, B] → g ⊕ v (the two generators; swapping the inputs negates both).
    public let generators: Graph
    /// [A, B] → δ_AB ⊕ δ_BA (Φ = id + δ).
    public let transformPair: Graph

    /// Builds `generators` and `transformPair` from the two networks (traps unless `affine` has form
    /// affine:2, `field` has form svf:H×W, and both read H·W-pixel images).
    public init(affine: SwapInversionCore, field: SwapInversionCore) {
        guard affine.form == .affine(2), case let .svf(h, w) = field.form, affine.inputSize == h * w, field.inputSize == h * w else {
            preconditionFailure("SwapInversionTwoStep: affine:2 then svf:HxW on H×W images")
        }
        self.affine = affine
        self.field = field
        height = h
        width = w
        let n = h * w
        var built: [Graph] = []
        for output in 0..<2 {
            var b = GraphBuilder(inputSizes: [n, n])
            let pa = b.parameters(for: affine.velocity), pf = b.parameters(for: field.velocity)
            let a = b.inputs[0], bb = b.inputs[1]
            let g = b.apply(affine.velocity, [a, bb], parameters: pa)
            let gi = b.apply(Scale(size: 9, factor: -1), [g])
            let r = b.apply(MatrixExponential(n: 3), [g]), ri = b.apply(MatrixExponential(n: 3), [gi])
            let ur = b.apply(AffineField(height: h, width: w), [r]), uri = b.apply(AffineField(height: h, width: w), [ri])
            let warp = DisplacementWarp(channels: 1, height: h, width: w, mode: .periodic)
            let at = b.apply(warp, [a, ur]), bt = b.apply(warp, [bb, uri])
            let v = b.apply(field.velocity, [at, bt], parameters: pf)
            if output == 0 {
                let out = b.concat(g, v)
                built.append(b.build(output: out))
            } else {
                let vi = b.apply(Scale(size: 2 * n, factor: -1), [v])
                let integrate = VelocityIntegration.graph(height: h, width: w, squarings: field.squarings, mode: .periodic)
                let d = b.apply(integrate, [v]), di = b.apply(integrate, [vi])
                // ψ∘r samples the periodic δψ at r(x); r∘(ψ∘r) is applied in closed form.
                let compose = DisplacementComposition(height: h, width: w, mode: .periodic)
                let inner = b.apply(compose, [d, ur]), innerInverse = b.apply(compose, [di, uri])
                let after = AffineAfter(height: h, width: w)
                let ab = b.apply(after, [r, inner]), ba = b.apply(after, [ri, innerInverse])
                let out = b.concat(ab, ba)
                built.append(b.build(output: out))
            }
        }
        generators = built[0]
        transformPair = built[1]
    }

    /// The affine network's parameters, then the field network's.
    public var parameterCount: Int { affine.parameterCount + field.parameterCount }

    /// The affine network's initial parameters from `seed`, then the field network's from `seed &+ 1`.
    public func initialParameters(seed: UInt64) -> [Double] {
        affine.initialParameters(seed: seed) + field.initialParameters(seed: seed &+ 1)
    }

    /// (δ_AB, δ_BA).
    public func transforms(_ parameters: [Double], _ a: [Double], _ b: [Double]) -> (ab: [Double], ba: [Double]) {
        let y = transformPair.forward(parameters, [a, b]), m = 2 * height * width
        return (Array(y[0..<m]), Array(y[m...]))
    }

    /// Mean and max over pixels of ‖Φ_AB(Φ_BA(x)) − x‖ (grid units), evaluated point by point as
    /// r(ψ(r(r⁻¹(ψ⁻¹(r⁻¹(x)))))) with the affine maps exact and the periodic fields δψ, δψ⁻¹
    /// sampled bilinearly (the composed fields are not periodic, so they are not resampled).
    public func inverseConsistencyError(_ parameters: [Double], _ a: [Double], _ b: [Double]) -> (mean: Double, max: Double) {
        let (h, w) = (height, width), n = h * w
        let g = generators.forward(parameters, [a, b])
        let r = MatrixExponential.exp(Array(g[0..<9]), 3), ri = MatrixExponential.exp(g[0..<9].map { -$0 }, 3)
        let v = Array(g[9...])
        let integrate = VelocityIntegration.graph(height: h, width: w, squarings: field.squarings, mode: .periodic)
        let d = integrate.forward([Double](), v), di = integrate.forward([Double](), v.map { -$0 })
        let cy = Double(h - 1) / 2, cx = Double(w - 1) / 2, s = Double(max(h, w)) / 2
        func affine(_ m: [Double], _ p: (Double, Double)) -> (Double, Double) {
            let y = (p.0 - cy) / s, x = (p.1 - cx) / s
            return (cy + s * (m[0] * y + m[1] * x + m[2]), cx + s * (m[3] * y + m[4] * x + m[5]))
        }
        func plus(_ field: [Double], _ p: (Double, Double)) -> (Double, Double) {
            var out = (p.0, p.1)
            let fy = p.0.rounded(.down), fx = p.1.rounded(.down)
            let ty = p.0 - fy, tx = p.1 - fx
            func idx(_ q: Double, _ m: Int) -> Int {
                var r = q.truncatingRemainder(dividingBy: Double(m))
                if r < 0 { r += Double(m) }
                return min(Int(r), m - 1)
            }
            let i0 = idx(fy, h), j0 = idx(fx, w), i1 = (i0 + 1) % h, j1 = (j0 + 1) % w
            for plane in 0..<2 {
                let o = plane * n
                let val = (1 - ty) * ((1 - tx) * field[o + i0 * w + j0] + tx * field[o + i0 * w + j1])
                    + ty * ((1 - tx) * field[o + i1 * w + j0] + tx * field[o + i1 * w + j1])
                if plane == 0 { out.0 += val } else { out.1 += val }
            }
            return out
        }
        var total = 0.0, worst = 0.0
        for i in 0..<h {
            for j in 0..<w {
                let x = (Double(i), Double(j))
                let y = affine(r, plus(d, affine(r, affine(ri, plus(di, affine(ri, x))))))
                let e = ((y.0 - x.0) * (y.0 - x.0) + (y.1 - x.1) * (y.1 - x.1)).squareRoot()
                total += e
                worst = max(worst, e)
            }
        }
        return (total / Double(n), worst)
    }
}
