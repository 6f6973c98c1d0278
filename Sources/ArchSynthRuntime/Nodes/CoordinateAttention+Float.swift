/// `CoordinateAttention` in Float: the same softmax and resultants as the generic body, 16 grid
/// points y at a time in `SIMD16<Float>` vectors.
///
/// The generic body, specialized at Float, ran its softmax scalar (one `expf` call per logit, the
/// resultant and gradient sums as serial chains) and was no faster in Float than in Double. Here:
/// - logits ⟨F^B(x), F^A(y)⟩/τ: one register per 16 points, summed over the channels in order
///   (the generic body's order: the logits are the same bits), with a running vector max;
/// - e^(l − max) by `AttentionExp.exp` (a polynomial, within 1 ulp of e^x on the softmax's
///   range; not Glibc's `expf`, so the probabilities differ from the generic body's in the last
///   bits);
/// - the sums Σ_y (normalizer, resultants, the softmax pullback's mean, ∂/∂F^B) in 16 lane
///   partial sums, added in lane order at the end: a fixed order, independent of threads;
/// - the grid padded to a multiple of 16 points: padded logits are −∞ (probability 0), padded
///   phases and features 0, so the padding adds nothing to any sum.
///
/// - Complexity: O(C · n²) time forward and backward, as the generic body; O(n²) memory.
extension CoordinateAttention {
    typealias Lanes = SIMD16<Float>

    func floatValueWithPullback(_ parameters: [Float], _ inputs: [[Float]]) -> (value: [Float], pullback: ([Float]) -> NodeGradient<Float>) {
        let n = grid.count, cCount = channels, width = Lanes.scalarCount
        let stride = (n + width - 1) / width * width, blocks = stride / width
        let invTau = Float(1 / temperature)
        // Phase planes (cos, sin of the row angle, cos, sin of the column angle), padded with 0.
        let ph = Self.phases(grid)
        var phaseTable = [Float](repeating: 0, count: 4 * stride)
        for y in 0..<n {
            (phaseTable[y], phaseTable[stride + y]) = (Float(ph.rowCos[y]), Float(ph.rowSin[y]))
            (phaseTable[2 * stride + y], phaseTable[3 * stride + y]) = (Float(ph.colCos[y]), Float(ph.colSin[y]))
        }
        let phases = phaseTable
        // F^A with every channel plane padded to `stride` points (zeros).
        var paddedA = [Float](repeating: 0, count: cCount * stride)
        for c in 0..<cCount { for y in 0..<n { paddedA[c * stride + y] = inputs[0][c * n + y] } }
        let fa = paddedA, fb = inputs[1]
        // Lanes of the last block beyond the grid.
        var padLanes = SIMDMask<Lanes.MaskStorage>()
        for l in 0..<width { padLanes[l] = (blocks - 1) * width + l >= n }
        var prob = [Float](repeating: 0, count: n * stride)
        var z = [Float](repeating: 0, count: 4 * n)
        // The weights F^B(c, x)/τ of the row being computed.
        let w = UnsafeMutablePointer<Float>.allocate(capacity: cCount)
        defer { w.deallocate() }
        fa.withUnsafeBufferPointer { faBuffer in
            fb.withUnsafeBufferPointer { fbBuffer in
                phases.withUnsafeBufferPointer { qBuffer in
                    prob.withUnsafeMutableBufferPointer { probBuffer in
                        let (a, b, q) = (faBuffer.baseAddress!, fbBuffer.baseAddress!, qBuffer.baseAddress!)
                        for x in 0..<n {
                            let row = probBuffer.baseAddress! + x * stride
                            for c in 0..<cCount { w[c] = b[c * n + x] * invTau }
                            // Logits and their running max.
                            var high = Lanes(repeating: -.infinity)
                            for k in 0..<blocks {
                                var logit = Lanes(repeating: 0)
                                for c in 0..<cCount {
                                    logit += Lanes(repeating: w[c]) * Self.load(a + c * stride + k * width)
                                }
                                if k == blocks - 1 { logit.replace(with: -.infinity, where: padLanes) }
                                high.replace(with: logit, where: high .< logit)
                                Self.store(logit, row + k * width)
                            }
                            let shift = Lanes(repeating: high.max())
                            // e^(l − max), the normalizer and the unnormalized resultants.
                            var total = Lanes(repeating: 0), r0 = total, r1 = total, r2 = total, r3 = total
                            for k in 0..<blocks {
                                let at = k * width
                                let e = AttentionExp.exp(Self.load(row + at) - shift)
                                Self.store(e, row + at)
                                total += e
                                r0 += e * Self.load(q + at)
                                r1 += e * Self.load(q + stride + at)
                                r2 += e * Self.load(q + 2 * stride + at)
                                r3 += e * Self.load(q + 3 * stride + at)
                            }
                            let inv = 1 / Self.sum(total)
                            (z[x], z[n + x], z[2 * n + x], z[3 * n + x]) = (Self.sum(r0) * inv, Self.sum(r1) * inv, Self.sum(r2) * inv, Self.sum(r3) * inv)
                            let scale = Lanes(repeating: inv)
                            for k in 0..<blocks { Self.store(Self.load(row + k * width) * scale, row + k * width) }
                        }
                    }
                }
            }
        }
        let probabilities = prob
        return (z, { dz in
            var dfaPadded = [Float](repeating: 0, count: cCount * stride), dfb = [Float](repeating: 0, count: cCount * n)
            var dl = [Float](repeating: 0, count: stride)
            probabilities.withUnsafeBufferPointer { probBuffer in
                fa.withUnsafeBufferPointer { faBuffer in
                    phases.withUnsafeBufferPointer { qBuffer in
                        dfaPadded.withUnsafeMutableBufferPointer { dfaBuffer in
                            dl.withUnsafeMutableBufferPointer { dlBuffer in
                                let (a, q, da, d) = (faBuffer.baseAddress!, qBuffer.baseAddress!, dfaBuffer.baseAddress!, dlBuffer.baseAddress!)
                                for x in 0..<n {
                                    let p = probBuffer.baseAddress! + x * stride
                                    let g0 = Lanes(repeating: dz[x]), g1 = Lanes(repeating: dz[n + x])
                                    let g2 = Lanes(repeating: dz[2 * n + x]), g3 = Lanes(repeating: dz[3 * n + x])
                                    // ∂/∂p(y) = ⟨z̄(x), phase(y)⟩, and its mean under p.
                                    var mean = Lanes(repeating: 0)
                                    for k in 0..<blocks {
                                        let at = k * width
                                        let dp = g0 * Self.load(q + at) + g1 * Self.load(q + stride + at)
                                            + g2 * Self.load(q + 2 * stride + at) + g3 * Self.load(q + 3 * stride + at)
                                        Self.store(dp, d + at)
                                        mean += Self.load(p + at) * dp
                                    }
                                    // The softmax pullback: logit gradient p · (∂p − mean) / τ.
                                    let m = Lanes(repeating: Self.sum(mean)), t = Lanes(repeating: invTau)
                                    for k in 0..<blocks {
                                        let at = k * width
                                        Self.store(Self.load(p + at) * (Self.load(d + at) - m) * t, d + at)
                                    }
                                    // F̄^B(c, x) = Σ_y l̄(y) F^A(c, y); F̄^A(c, y) += l̄(y) F^B(c, x).
                                    for c in 0..<cCount {
                                        var s = Lanes(repeating: 0)
                                        let fbx = Lanes(repeating: fb[c * n + x]), plane = c * stride
                                        for k in 0..<blocks {
                                            let at = plane + k * width, l = Self.load(d + k * width)
                                            s += l * Self.load(a + at)
                                            Self.store(Self.load(da + at) + l * fbx, da + at)
                                        }
                                        dfb[c * n + x] = Self.sum(s)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var dfa = [Float](repeating: 0, count: cCount * n)
            for c in 0..<cCount { for y in 0..<n { dfa[c * n + y] = dfaPadded[c * stride + y] } }
            return NodeGradient(parameters: [], inputs: [dfa, dfb])
        })
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> Lanes { UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
    @inline(__always) static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self) }

    /// The lanes added in lane order (a fixed order for every run and thread count).
    @inline(__always) static func sum(_ v: Lanes) -> Float {
        var s = v[0]
        for l in 1..<Lanes.scalarCount { s += v[l] }
        return s
    }
}

/// e^x on 16 Float lanes for the softmax (x ≤ 0 there, after the max is subtracted).
///
/// Cody–Waite reduction x = k·ln 2 + r with k = round(x / ln 2) and |r| ≤ ln 2 / 2 (ln 2 split
/// into a head exact in Float and a tail), e^r by the degree-6 minimax polynomial of Cephes'
/// `expf` (relative error about 1e-7 on that interval), and 2^k built in the exponent bits.
/// e^x is 0 for x < −87 (below Float's normal range; e^−87 ≈ 1.6e−38), NaN stays NaN;
/// x > 88 overflows (never passed by the softmax). Within 1 ulp (0.95 measured) of the exact value on
/// [−87, 0] (`AttentionExpTests` against Glibc's `exp` in Double).
/// - Complexity: 16 lanes in about 20 vector operations, no call and no table.
enum AttentionExp {
    @inline(__always) static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias V = SIMD16<Float>
        // 1.5·2^23: adding it rounds x/ln 2 to the nearest integer k and leaves k in the low bits.
        let magic = V(repeating: 12_582_912)
        let shifted = x * V(repeating: 1.442_695_04) + magic
        let k = shifted - magic
        let r = (x - k * V(repeating: 0.693_359_375)) - k * V(repeating: -2.121_944_4e-4)
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + V(repeating: 1.398_199_95e-3)
        p = p * r + V(repeating: 8.333_451_9e-3)
        p = p * r + V(repeating: 4.166_579_59e-2)
        p = p * r + V(repeating: 1.666_666_55e-1)
        p = p * r + V(repeating: 5.000_000_12e-1)
        let er = (p * (r * r) + r) + V(repeating: 1)
        // 2^k: k + 127 in the exponent field (k = the low bits of `shifted` minus those of `magic`).
        let bits = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &+ SIMD16<Int32>(repeating: 127 &- 0x4B40_0000)) &<< 23
        var y = er * unsafeBitCast(bits, to: V.self)
        y.replace(with: 0, where: x .< V(repeating: -87))
        return y
    }
}
