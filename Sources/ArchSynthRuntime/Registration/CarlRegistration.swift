#if canImport(Glibc)
    import Glibc
#endif

/// The CARL-style registration network (arXiv 2405.16738) as a periodic TwoStep, built from the
/// runtime's nodes so that the library (`RegistrationModel`) and generated files share it.
///
/// Inputs: the moving image A and the fixed image B (one channel, size × size, row-major).
/// Output: the coordinate map Φ (2n values, rows plane then columns plane, pixels) with
/// A(Φ(x)) ≈ B(x). Steps:
/// 0. both images divided by max(1, max|A|, max|B|) (`IntensityRange`: unchanged in [−1, 1]);
/// 1. A and B average-pooled by `poolFactor`; one shared feature network (periodic k×k
///    `GridConvolution`s with ReLU between) gives F^A, F^B on the coarse grid;
/// 2. `CoordinateAttention` → resultants of Φ₀ ([W,U]-equivariant on the coarse grid), blurred
///    by a periodic Gaussian of σ = `smoothing` coarse pixels (`resultantBlur`);
/// 2a. with `distanceLogits`, the logits are −½‖F^B(x) − F^A(y)‖²/τ (`DistanceAttentionFeatures`),
///    so that no point of A with large features attracts all of B;
/// 2b. with `consensus` β₀: `ConsensusShift` adds the grid's vote for one global translation,
///    weighted by a learned β (starting at β₀), so that uncertain points follow it;
/// 3. `resultantUpsampling` to the full grid (bilinear, periodic, with the cells' phase offset);
/// 4. `refineSteps` times: Φ = circular coordinates of z, Ψ = id + d(A∘Φ ⊕ B) from a [U,U]
///    convolutional network, z ← z∘Ψ (resultants warped by Ψ: Φ ← Φ∘Ψ, TwoStep);
/// 5. Φ = circular coordinates of z (`transform`; `resultants` stops before this step).
///
/// Law [W,U]: Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U for shifts w, u that are multiples of `poolFactor`
/// (exact up to rounding: pooling, attention, interpolation and warps all commute with them).
public struct CarlRegistration: Sendable {
    /// The side of the square images (size × size pixels).
    public let size: Int
    /// The average-pooling factor f from the fine grid to the coarse grid (size / f coarse pixels a side).
    public let poolFactor: Int
    /// The feature network's channel count (its output channels, per coarse pixel).
    public let channels: Int
    /// The number of feature convolutions (ReLU between them).
    public let depth: Int
    /// The feature convolutions' stencil k (k×k on the coarse grid; the receptive field is
    /// depth·(k − 1) + 1 coarse pixels, so every point sees a shape's edges).
    public let featureStencil: Int
    /// τ of the `CoordinateAttention` softmax (logits divided by τ).
    public let temperature: Double
    /// σ (coarse pixels) of the Gaussian blur of the coarse resultants (0: none). Where features
    /// cannot tell points apart (inside a uniform region) attention spreads and |z| is small; the
    /// blur lets confident neighbours (large |z|) decide there, which keeps Φ₀ smooth.
    public let smoothing: Double
    /// β₀ of the `ConsensusShift` after the attention (nil: none, as in models trained before it).
    public let consensus: Double?
    /// Attention logits from −½‖F^B(x) − F^A(y)‖² (`DistanceAttentionFeatures`) instead of
    /// ⟨F^B(x), F^A(y)⟩ (false, as in models trained before it).
    public let distanceLogits: Bool
    /// The number of refinement steps (0: Φ is the upsampled attention map).
    public let refineSteps: Int
    /// The hidden channel count of each refinement network.
    public let refineChannels: Int
    /// The number of convolutions in each refinement network (at least 2; the last outputs the 2-plane displacement d).
    public let refineDepth: Int
    /// [moving, fixed] → the resultants of Φ (4n values: Re and Im of e^(2πi·Φ_row/N), then of
    /// e^(2πi·Φ_col/N); the law is exact on them even where a circular mean is undefined).
    public let resultants: Graph
    /// [moving, fixed] → Φ (the resultants' circular coordinates).
    public let transform: Graph
    /// The refinement networks' output layers (started small so that Ψ ≈ id at initialization).
    public let outputLayers: [ParameterBlock]

    /// Builds `resultants` and `transform` from the hyperparameters (each stored as given; see the
    /// properties). Traps unless size ≥ 4, f divides size, size / f ≥ 3, and the widths are positive
    /// (refineDepth ≥ 2).
    public init(
        size: Int, poolFactor: Int, channels: Int, depth: Int, featureStencil: Int = 3, temperature: Double, smoothing: Double = 0, consensus: Double? = nil, distanceLogits: Bool = false, refineSteps: Int, refineChannels: Int, refineDepth: Int
    ) {
        precondition(size >= 4 && poolFactor >= 1 && size % poolFactor == 0 && size / poolFactor >= 3, "CarlRegistration: size \(size), pool \(poolFactor)")
        precondition(channels >= 1 && depth >= 1 && refineSteps >= 0 && refineChannels >= 1 && refineDepth >= 2, "CarlRegistration: widths")
        (self.size, self.poolFactor, self.channels, self.depth, self.temperature) = (size, poolFactor, channels, depth, temperature)
        self.featureStencil = featureStencil
        self.smoothing = smoothing
        self.consensus = consensus
        self.distanceLogits = distanceLogits
        (self.refineSteps, self.refineChannels, self.refineDepth) = (refineSteps, refineChannels, refineDepth)
        let s = size, n = s * s, f = poolFactor, cs = s / f
        let fine = PeriodicGrid(height: s, width: s), coarse = PeriodicGrid(height: cs, width: cs)
        var b = GraphBuilder(inputSizes: [n, n])
        // Both images into [−1, 1] by one factor (a no-op on images already there, as all
        // training data are): every later value, the refinement displacement included, is then
        // that of an input in range, so its rounding does not grow with the input's scale.
        let moving = b.apply(IntensityRange(pixels: n, image: 0), b.inputs)
        let fixed = b.apply(IntensityRange(pixels: n, image: 1), b.inputs)
        let pool = SwapInversionForm.averagePooling(channels: 1, height: s, width: s, factor: f)
        let features = RegistrationNetworks.featureLayers(grid: coarse, imageChannels: 1, channels: channels, depth: depth, stencil: featureStencil)
        let fBlocks = features.map { b.parameters(for: $0) }
        let fa = RegistrationNetworks.apply(features, blocks: fBlocks, to: b.apply(pool, [moving]), &b)
        let fb = RegistrationNetworks.apply(features, blocks: fBlocks, to: b.apply(pool, [fixed]), &b)
        var zc: Graph.Value
        if distanceLogits {
            let keys = b.apply(DistanceAttentionFeatures(points: coarse.count, channels: channels, role: .key), [fa])
            let queries = b.apply(DistanceAttentionFeatures(points: coarse.count, channels: channels, role: .query), [fb])
            zc = b.apply(CoordinateAttention(grid: coarse, channels: channels + 1, temperature: temperature), [keys, queries])
        } else {
            zc = b.apply(CoordinateAttention(grid: coarse, channels: channels, temperature: temperature), [fa, fb])
        }
        if let beta = consensus { zc = b.apply(ConsensusShift(grid: coarse, baseWeight: beta), [zc]) }
        if smoothing > 0 { zc = b.apply(Self.resultantBlur(side: cs, sigma: smoothing), [zc]) }
        var z = b.apply(Self.resultantUpsampling(coarse: cs, factor: f), [zc])
        var outputs: [ParameterBlock] = []
        for _ in 0..<refineSteps {
            let phi = b.apply(CircularCoordinate(grid: fine), [z])
            let warped = b.apply(Warp(channels: 1, height: s, width: s, mode: .periodic), [moving, phi])
            let layers = (0..<refineDepth).map { l in
                GridConvolution(
                    grid: fine, inputChannels: l == 0 ? 2 : refineChannels, outputChannels: l == refineDepth - 1 ? 2 : refineChannels, stencil: 3)
            }
            let blocks = layers.map { b.parameters(for: $0) }
            outputs.append(blocks.last!)
            let d = RegistrationNetworks.apply(layers, blocks: blocks, to: b.concat(warped, fixed), &b)
            let psi = b.apply(GridOffset(grid: fine), [d])
            z = b.apply(Warp(channels: 4, height: s, width: s, mode: .periodic), [z, psi])
        }
        resultants = b.build(output: z)
        var t = GraphBuilder(inputSizes: [n, n])
        let r = t.apply(resultants, t.inputs)
        let phi = t.apply(CircularCoordinate(grid: fine), [r])
        transform = t.build(output: phi)
        outputLayers = outputs
    }

    /// Seeded initial parameters: convolutions uniform in ±√(3/fan-in), biases 0, each
    /// refinement's output layer scaled by 0.01 (Ψ ≈ id).
    public func initialParameters(seed: UInt64) -> [Double] {
        var p = RegistrationNetworks.initialParameters(resultants, seed: seed)
        for block in outputLayers { for k in block.offset..<(block.offset + block.count) { p[k] *= 0.01 } }
        return p
    }

    /// Coarse resultants (4 planes on a c×c grid) → fine resultants on the (f·c)×(f·c) grid:
    /// bilinear periodic interpolation, fine pixel i at coarse coordinate (i − (f−1)/2)/f (the
    /// pooling cells' centres), then the phase rotation by π(f−1)/N that turns a coarse coordinate
    /// Φ_c into the fine coordinate f·Φ_c + (f−1)/2. A coarse shift by k is a fine shift by f·k.
    public static func resultantUpsampling(coarse c: Int, factor f: Int) -> FixedSparseMap {
        let s = c * f, n = s * s, nc = c * c
        let alpha = Double.pi * Double(f - 1) / Double(s)
        let (ca, sa) = (Glibc.cos(alpha), Glibc.sin(alpha))
        func taps(_ i: Int) -> [(Int, Double)] {
            let x = (Double(i) - Double(f - 1) / 2) / Double(f)
            let lo = x.rounded(.down), t = x - lo
            let i0 = ((Int(lo) % c) + c) % c
            return [(i0, 1 - t), ((i0 + 1) % c, t)]
        }
        var e: [FixedSparseMap.Entry] = []
        for i in 0..<s {
            for j in 0..<s {
                for (ci, wi) in taps(i) {
                    for (cj, wj) in taps(j) where wi * wj != 0 {
                        let w = wi * wj, src = ci * c + cj, dst = i * s + j
                        for axis in 0..<2 {
                            let re = 2 * axis, im = 2 * axis + 1
                            e.append(.init(row: re * n + dst, column: re * nc + src, coefficient: ca * w))
                            e.append(.init(row: re * n + dst, column: im * nc + src, coefficient: -sa * w))
                            e.append(.init(row: im * n + dst, column: re * nc + src, coefficient: sa * w))
                            e.append(.init(row: im * n + dst, column: im * nc + src, coefficient: ca * w))
                        }
                    }
                }
            }
        }
        return FixedSparseMap(inputSize: 4 * nc, outputSize: 4 * n, entries: e)
    }

    /// A periodic Gaussian blur (σ in pixels, radius ⌈2σ⌉ clipped to the grid, weights summing to
    /// 1) applied alike to the four resultant planes of a side × side grid. Law: it commutes with
    /// shifts (a convolution) and with the per-axis phase rotation of [W,U] (a real kernel acts
    /// on Re and Im alike), so Φ₀ keeps [W,U].
    public static func resultantBlur(side c: Int, sigma: Double) -> FixedSparseMap {
        let r = min(Int((2 * sigma).rounded(.up)), (c - 1) / 2), n = c * c
        var w: [Double] = (-r...r).map { Glibc.exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        var e: [FixedSparseMap.Entry] = []
        for plane in 0..<4 {
            for i in 0..<c {
                for j in 0..<c {
                    for a in -r...r {
                        for b in -r...r {
                            let src = ((i + a + c) % c) * c + (j + b + c) % c
                            e.append(.init(row: plane * n + i * c + j, column: plane * n + src, coefficient: w[a + r] * w[b + r]))
                        }
                    }
                }
            }
        }
        return FixedSparseMap(inputSize: 4 * n, outputSize: 4 * n, entries: e)
    }

    /// The shift pairs (w, u), (row, column) offsets that are multiples of `step`, seeded.
    public static func lawShifts(size: Int, step: Int, seed: UInt64) -> [((Int, Int), (Int, Int))] {
        var list: [((Int, Int), (Int, Int))] = [((step, 0), (0, 0)), ((0, 0), (0, step)), ((size / 2 / step * step, 0), (0, size / 4 / step * step))]
        var rng = RuntimeRandom(seed: seed)
        let k = size / step
        for _ in 0..<3 { list.append(((rng.index(k) * step, rng.index(k) * step), (rng.index(k) * step, rng.index(k) * step))) }
        return list
    }

    /// [W,U] on a map (A, B) ↦ resultants z (4n values) for shifts that are multiples of `step`:
    /// element (w, u) acts by A∘T_w, B∘T_u and on the output by z'(x) = e^(−2πi·w/N) z(x + u);
    /// distance: the largest absolute difference (meaningful also where |z| → 0, e.g. constant
    /// images, where no coordinate obeys the law).
    public static func wuResultantLaw(size: Int, step: Int, seed: UInt64 = 7) -> Law {
        let grid = PeriodicGrid(height: size, width: size)
        return shiftPairLaw(size: size, step: step, seed: seed, output: "resultants", distance: CoordinateAttention.maxAbsoluteDifference) { z, w, u in
            CoordinateAttention.transformResultants(z, grid: grid, w: w, u: u)
        }
    }

    /// [W,U] on a map (A, B) ↦ Φ for shifts that are multiples of `step` (`lawShifts`): element
    /// (w, u) acts by A∘T_w, B∘T_u and on the output by Φ'(x) = Φ(x + u) − w; distance: the largest
    /// circular coordinate difference, pixels.
    public static func wuLaw(size: Int, step: Int, seed: UInt64 = 7) -> Law {
        let grid = PeriodicGrid(height: size, width: size)
        return shiftPairLaw(size: size, step: step, seed: seed, output: "coordinates", distance: CoordinateAttention.circularDistance(grid: grid)) { phi, w, u in
            CoordinateAttention.transformCoordinates(phi, grid: grid, w: w, u: u)
        }
    }

    /// The (w, u) pairs of `lawShifts` acting by A∘T_w, B∘T_u on the inputs and by `transform`
    /// (given the flat shifts w, u) on the output: the one shape of both laws above.
    static func shiftPairLaw(
        size: Int, step: Int, seed: UInt64, output: String, distance: @escaping @Sendable ([Double], [Double]) -> Double,
        transform: @escaping @Sendable ([Double], Int, Int) -> [Double]
    ) -> Law {
        let grid = PeriodicGrid(height: size, width: size)
        let list = lawShifts(size: size, step: step, seed: seed)
        return Law(
            name: "[W,U] independent translations of A and B by multiples of \(step) on the \(size)×\(size) periodic grid (\(output))",
            elementCount: list.count, isComplete: false,
            describe: { e in "(w \(list[e].0), u \(list[e].1))" },
            actOnInputs: { e, x in
                let (w, u) = list[e]
                return [grid.translate(x[0], by: w.0, w.1), grid.translate(x[1], by: u.0, u.1)]
            },
            actOnOutput: { e, y in
                let (w, u) = list[e]
                return transform(y, w.0 * size + w.1, u.0 * size + u.1)
            },
            distance: distance)
    }
}
