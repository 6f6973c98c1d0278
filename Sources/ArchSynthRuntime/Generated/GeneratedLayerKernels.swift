// DO NOT EDIT: printed by archsynth's `KernelHelpers.runtimeSupportSource()`; CodeGenGoldenTests
// keeps it up to date (regenerate with ARCHSYNTH_UPDATE_GOLDEN=1).

/// A precision generated kernels run in (Float or Double): the vector primitives every
/// strategy's kernels are made of, implemented concretely for each precision. A generated
/// layer prints its kernels once, generic over `S: GeneratedScalar`; specialized in the
/// importing module, each call below becomes the concrete code of its precision.
public protocol GeneratedScalar: RuntimeScalar, BinaryFloatingPoint, SIMDScalar, Codable {
    /// Scalars per 32-byte vector (8 Float, 4 Double): panels are `nv` such vectors wide.
    static var lanes: Int { get }
    static func _pack(_ x: UnsafePointer<Self>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<Self>)
    static func _unpackAdd(_ panel: UnsafePointer<Self>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<Self>)
    static func _axpy(_ w: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ nv: Int)
    static func _add(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ nv: Int)
    static func _dot(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ nv: Int) -> Self
    static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    static func _tiedForwardPanel(_ xt: UnsafePointer<Self>, _ yt: UnsafeMutablePointer<Self>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Self>, _ rowStart: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>, _ rows: Int)
    static func _convolveRow(_ out: UnsafeMutablePointer<Self>, _ padded: UnsafePointer<Self>, _ channels: Int, _ w: UnsafePointer<Self>, _ wc: Int, _ rows: UnsafePointer<Int32>, _ side: Int, _ shift: UnsafePointer<Int>, _ sign: Int, _ geometry: GridGeometry)
    static func _rowDot(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ n: Int) -> Self
    static func _tableConvolutionPanel(_ xt: UnsafePointer<Self>, _ yt: UnsafeMutablePointer<Self>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Self>, _ table: UnsafePointer<Int32>, _ n: Int, _ mi: Int, _ mo: Int)
}

extension GeneratedScalar {
    /// An unaligned load of one SIMD vector starting at `p`.
    @inlinable @inline(__always) public static func _load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as: V.Type) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    /// An unaligned store of `v` starting at `p`.
    @inlinable @inline(__always) public static func _store<V: SIMD>(_ p: UnsafeMutablePointer<V.Scalar>, _ v: V) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
}

extension Float: GeneratedScalar {
    /// Scalars per 32-byte panel vector.
    @inlinable public static var lanes: Int { 8 }

    /// Panel layout: feature k of sample j at panel[k · stride + j], stride = nv · 8; lanes past
    /// `samples` are zero.
    @inlinable @inline(__always) public static func _pack(_ x: UnsafePointer<Float>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<Float>) {
        for j in 0..<samples {
            let row = x + j &* d
            for k in 0..<d { panel[k &* stride &+ j] = row[k] }
        }
        if samples < stride {
            for k in 0..<d { for j in samples..<stride { panel[k &* stride &+ j] = 0 } }
        }
    }
    /// y[j · d + k] += panel[k · stride + j] for the first `samples` samples (the inverse layout of `_pack`).
    @inlinable @inline(__always) public static func _unpackAdd(_ panel: UnsafePointer<Float>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<Float>) {
        for j in 0..<samples {
            let row = y + j &* d
            for k in 0..<d { row[k] += panel[k &* stride &+ j] }
        }
    }
    /// y += w · x over nv vectors.
    @inlinable @inline(__always) public static func _axpy(_ w: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ nv: Int) {
        let wv = SIMD8<Float>(repeating: w)
        var i = 0
        for _ in 0..<nv {
            _store(y + i, _load(y + i, as: SIMD8<Float>.self) + wv * _load(x + i, as: SIMD8<Float>.self))
            i &+= 8
        }
    }
    /// y += x over nv vectors.
    @inlinable @inline(__always) public static func _add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ nv: Int) {
        var i = 0
        for _ in 0..<nv {
            _store(y + i, _load(y + i, as: SIMD8<Float>.self) + _load(x + i, as: SIMD8<Float>.self))
            i &+= 8
        }
    }
    /// Σ x · y over nv vectors.
    @inlinable @inline(__always) public static func _dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ nv: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        for _ in 0..<nv {
            acc += _load(x + i, as: SIMD8<Float>.self) * _load(y + i, as: SIMD8<Float>.self)
            i &+= 8
        }
        return acc.sum()
    }

    /// C[m × n] += A · B: A[i, p] = a[i · am + p · ak], B and C row-major with leading dimensions ldb, ldc.
    /// Register-blocked: 6 rows × 8 columns of C stay in 12 SIMD4<Float> registers over the whole k loop.
    /// The 6 rows of A are first copied out already broadcast (one SIMD4<Float> per entry, 6 · k of them),
    /// so the inner loop only loads and multiply-adds: without FMA or wide vectors (portable `-O`),
    /// the shuffles that broadcast A were what kept it below the machine's SSE throughput.
    @inlinable @inline(__always) public static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        var i = 0
        if m >= 6, k > 0 {
            withUnsafeTemporaryAllocation(of: SIMD4<Float>.self, capacity: 6 &* k) {
                let panel = $0.baseAddress!
                while i &+ 6 <= m {
                    let ai = a + i &* am, ci = c + i &* ldc
                    var ap = ai, pp = panel
                    for _ in 0..<k {
                        pp[0] = SIMD4<Float>(repeating: ap[0])
                        pp[1] = SIMD4<Float>(repeating: ap[am])
                        pp[2] = SIMD4<Float>(repeating: ap[2 &* am])
                        pp[3] = SIMD4<Float>(repeating: ap[3 &* am])
                        pp[4] = SIMD4<Float>(repeating: ap[4 &* am])
                        pp[5] = SIMD4<Float>(repeating: ap[5 &* am])
                        pp += 6; ap += ak
                    }
                    var j = 0
                    while j &+ 8 <= n {
                        let cp = ci + j
                        var c00 = _load(cp, as: SIMD4<Float>.self), c01 = _load(cp + 4, as: SIMD4<Float>.self)
                        var c10 = _load(cp + ldc, as: SIMD4<Float>.self), c11 = _load(cp + ldc + 4, as: SIMD4<Float>.self)
                        var c20 = _load(cp + 2 &* ldc, as: SIMD4<Float>.self), c21 = _load(cp + 2 &* ldc + 4, as: SIMD4<Float>.self)
                        var c30 = _load(cp + 3 &* ldc, as: SIMD4<Float>.self), c31 = _load(cp + 3 &* ldc + 4, as: SIMD4<Float>.self)
                        var c40 = _load(cp + 4 &* ldc, as: SIMD4<Float>.self), c41 = _load(cp + 4 &* ldc + 4, as: SIMD4<Float>.self)
                        var c50 = _load(cp + 5 &* ldc, as: SIMD4<Float>.self), c51 = _load(cp + 5 &* ldc + 4, as: SIMD4<Float>.self)
                        var bp = b + j, xp = UnsafePointer(panel)
                        for _ in 0..<k {
                            let b0 = _load(bp, as: SIMD4<Float>.self), b1 = _load(bp + 4, as: SIMD4<Float>.self)
                            var x = xp[0]
                            c00 += x * b0; c01 += x * b1
                            x = xp[1]
                            c10 += x * b0; c11 += x * b1
                            x = xp[2]
                            c20 += x * b0; c21 += x * b1
                            x = xp[3]
                            c30 += x * b0; c31 += x * b1
                            x = xp[4]
                            c40 += x * b0; c41 += x * b1
                            x = xp[5]
                            c50 += x * b0; c51 += x * b1
                            bp += ldb; xp += 6
                        }
                        _store(cp, c00); _store(cp + 4, c01)
                        _store(cp + ldc, c10); _store(cp + ldc + 4, c11)
                        _store(cp + 2 &* ldc, c20); _store(cp + 2 &* ldc + 4, c21)
                        _store(cp + 3 &* ldc, c30); _store(cp + 3 &* ldc + 4, c31)
                        _store(cp + 4 &* ldc, c40); _store(cp + 4 &* ldc + 4, c41)
                        _store(cp + 5 &* ldc, c50); _store(cp + 5 &* ldc + 4, c51)
                        j &+= 8
                    }
                    while j < n {
                        for r in 0..<6 {
                            var acc: Float = 0
                            var ap = ai + r &* am, bp = b + j
                            for _ in 0..<k { acc += ap[0] * bp[0]; ap += ak; bp += ldb }
                            ci[r &* ldc &+ j] += acc
                        }
                        j &+= 1
                    }
                    i &+= 6
                }
            }
        }
        while i < m {
            let ai = a + i &* am, ci = c + i &* ldc
            var j = 0
            while j &+ 8 <= n {
                var c0 = _load(ci + j, as: SIMD4<Float>.self), c1 = _load(ci + j + 4, as: SIMD4<Float>.self)
                var bp = b + j, ap = ai
                for _ in 0..<k {
                    let x = SIMD4<Float>(repeating: ap[0])
                    c0 += x * _load(bp, as: SIMD4<Float>.self); c1 += x * _load(bp + 4, as: SIMD4<Float>.self)
                    bp += ldb; ap += ak
                }
                _store(ci + j, c0); _store(ci + j + 4, c1)
                j &+= 8
            }
            while j < n {
                var acc: Float = 0
                var ap = ai, bp = b + j
                for _ in 0..<k { acc += ap[0] * bp[0]; ap += ak; bp += ldb }
                ci[j] += acc
                j &+= 1
            }
            i &+= 1
        }
    }

    /// Tying: yt[r] = Σ_{e ∈ row r} c[e] · xt[column[e]] for `rows` rows (entries of row r at
    /// rowStart[r] ..< rowStart[r + 1]); a row's entries accumulate in 4 vector registers.
    @inlinable public static func _tiedForwardPanel(_ xt: UnsafePointer<Float>, _ yt: UnsafeMutablePointer<Float>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Float>, _ rowStart: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>, _ rows: Int) {
        for r in 0..<rows {
            let lo = Int(rowStart[r]), hi = Int(rowStart[r + 1])
            if lo == hi { continue }
            let yr = yt + r &* stride
            var v = 0
            while v &+ 4 <= nv {
                let o = v &* 8
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                for e in lo..<hi {
                    let w = SIMD8<Float>(repeating: c[e]), xr = xt + (Int(column[e]) &* stride &+ o)
                    a0 += w * _load(xr, as: SIMD8<Float>.self); a1 += w * _load(xr + 8, as: SIMD8<Float>.self)
                    a2 += w * _load(xr + 16, as: SIMD8<Float>.self); a3 += w * _load(xr + 24, as: SIMD8<Float>.self)
                }
                _store(yr + o, a0); _store(yr + o + 8, a1); _store(yr + o + 16, a2); _store(yr + o + 24, a3)
                v &+= 4
            }
            while v < nv {
                let o = v &* 8
                var a0 = SIMD8<Float>()
                for e in lo..<hi { a0 += SIMD8<Float>(repeating: c[e]) * _load(xt + (Int(column[e]) &* stride &+ o), as: SIMD8<Float>.self) }
                _store(yr + o, a0)
                v &+= 1
            }
        }
    }

    /// Grid convolution: out[j] += Σ_c Σ_s w[c · wc + s] · padded[c][source(s)][halo + j ∓ shift(s)] for
    /// j < geometry.rowLength (`sign` −1 forward, +1 for the transposed stencil).
    @inlinable @inline(__always) public static func _convolveRow(_ out: UnsafeMutablePointer<Float>, _ padded: UnsafePointer<Float>, _ channels: Int, _ w: UnsafePointer<Float>, _ wc: Int, _ rows: UnsafePointer<Int32>, _ side: Int, _ shift: UnsafePointer<Int>, _ sign: Int, _ geometry: GridGeometry) {
        let rowLength = geometry.rowLength, paddedRow = geometry.paddedRow, halo = geometry.halo, supportCount = geometry.supportCount
        let channelStride = geometry.outerCount * paddedRow
        var j = 0
        while j &+ 32 <= rowLength {
            var a0 = _load(out + j, as: SIMD8<Float>.self), a1 = _load(out + j + 8, as: SIMD8<Float>.self)
            var a2 = _load(out + j + 16, as: SIMD8<Float>.self), a3 = _load(out + j + 24, as: SIMD8<Float>.self)
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount {
                    let xr = pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s])
                    let wv = SIMD8<Float>(repeating: wcp[s])
                    a0 += wv * _load(xr, as: SIMD8<Float>.self); a1 += wv * _load(xr + 8, as: SIMD8<Float>.self)
                    a2 += wv * _load(xr + 16, as: SIMD8<Float>.self); a3 += wv * _load(xr + 24, as: SIMD8<Float>.self)
                }
            }
            _store(out + j, a0); _store(out + j + 8, a1); _store(out + j + 16, a2); _store(out + j + 24, a3)
            j &+= 32
        }
        while j &+ 8 <= rowLength {
            var a0 = _load(out + j, as: SIMD8<Float>.self)
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount {
                    a0 += SIMD8<Float>(repeating: wcp[s]) * _load(pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]), as: SIMD8<Float>.self)
                }
            }
            _store(out + j, a0)
            j &+= 8
        }
        while j < rowLength {
            var a: Float = 0
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount { a += wcp[s] * pc[Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]] }
            }
            out[j] += a
            j &+= 1
        }
    }

    /// Σ_j a[j] · b[j] for j < n.
    @inlinable @inline(__always) public static func _rowDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var j = 0
        while j &+ 16 <= n {
            acc0 += _load(a + j, as: SIMD8<Float>.self) * _load(b + j, as: SIMD8<Float>.self)
            acc1 += _load(a + j + 8, as: SIMD8<Float>.self) * _load(b + j + 8, as: SIMD8<Float>.self)
            j &+= 16
        }
        var r = (acc0 + acc1).sum()
        while j < n { r += a[j] * b[j]; j &+= 1 }
        return r
    }

    /// Table group convolution: yt[(o, p)] += Σ_i Σ_q c[(o · mi + i) · n + table[p · n + q]] · xt[(i, q)].
    @inlinable public static func _tableConvolutionPanel(_ xt: UnsafePointer<Float>, _ yt: UnsafeMutablePointer<Float>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Float>, _ table: UnsafePointer<Int32>, _ n: Int, _ mi: Int, _ mo: Int) {
        for o in 0..<mo {
            for p in 0..<n {
                let yr = yt + (o &* n &+ p) &* stride, tr = table + p &* n
                var v = 0
                while v < nv {
                    let off = v &* 8
                    var a0 = SIMD8<Float>()
                    for i in 0..<mi {
                        let w = c + (o &* mi &+ i) &* n, xi = xt + (i &* n &* stride &+ off)
                        for q in 0..<n { a0 += SIMD8<Float>(repeating: w[Int(tr[q])]) * _load(xi + q &* stride, as: SIMD8<Float>.self) }
                    }
                    _store(yr + off, _load(yr + off, as: SIMD8<Float>.self) + a0)
                    v &+= 1
                }
            }
        }
    }
}

extension Double: GeneratedScalar {
    /// Scalars per 32-byte panel vector.
    @inlinable public static var lanes: Int { 4 }

    /// Panel layout: feature k of sample j at panel[k · stride + j], stride = nv · 4; lanes past
    /// `samples` are zero.
    @inlinable @inline(__always) public static func _pack(_ x: UnsafePointer<Double>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<Double>) {
        for j in 0..<samples {
            let row = x + j &* d
            for k in 0..<d { panel[k &* stride &+ j] = row[k] }
        }
        if samples < stride {
            for k in 0..<d { for j in samples..<stride { panel[k &* stride &+ j] = 0 } }
        }
    }
    /// y[j · d + k] += panel[k · stride + j] for the first `samples` samples (the inverse layout of `_pack`).
    @inlinable @inline(__always) public static func _unpackAdd(_ panel: UnsafePointer<Double>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<Double>) {
        for j in 0..<samples {
            let row = y + j &* d
            for k in 0..<d { row[k] += panel[k &* stride &+ j] }
        }
    }
    /// y += w · x over nv vectors.
    @inlinable @inline(__always) public static func _axpy(_ w: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ nv: Int) {
        let wv = SIMD4<Double>(repeating: w)
        var i = 0
        for _ in 0..<nv {
            _store(y + i, _load(y + i, as: SIMD4<Double>.self) + wv * _load(x + i, as: SIMD4<Double>.self))
            i &+= 4
        }
    }
    /// y += x over nv vectors.
    @inlinable @inline(__always) public static func _add(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ nv: Int) {
        var i = 0
        for _ in 0..<nv {
            _store(y + i, _load(y + i, as: SIMD4<Double>.self) + _load(x + i, as: SIMD4<Double>.self))
            i &+= 4
        }
    }
    /// Σ x · y over nv vectors.
    @inlinable @inline(__always) public static func _dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ nv: Int) -> Double {
        var acc = SIMD4<Double>()
        var i = 0
        for _ in 0..<nv {
            acc += _load(x + i, as: SIMD4<Double>.self) * _load(y + i, as: SIMD4<Double>.self)
            i &+= 4
        }
        return acc.sum()
    }

    /// C[m × n] += A · B: A[i, p] = a[i · am + p · ak], B and C row-major with leading dimensions ldb, ldc.
    /// Register-blocked: 6 rows × 4 columns of C stay in 12 SIMD2<Double> registers over the whole k loop.
    /// The 6 rows of A are first copied out already broadcast (one SIMD2<Double> per entry, 6 · k of them),
    /// so the inner loop only loads and multiply-adds: without FMA or wide vectors (portable `-O`),
    /// the shuffles that broadcast A were what kept it below the machine's SSE throughput.
    @inlinable @inline(__always) public static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        var i = 0
        if m >= 6, k > 0 {
            withUnsafeTemporaryAllocation(of: SIMD2<Double>.self, capacity: 6 &* k) {
                let panel = $0.baseAddress!
                while i &+ 6 <= m {
                    let ai = a + i &* am, ci = c + i &* ldc
                    var ap = ai, pp = panel
                    for _ in 0..<k {
                        pp[0] = SIMD2<Double>(repeating: ap[0])
                        pp[1] = SIMD2<Double>(repeating: ap[am])
                        pp[2] = SIMD2<Double>(repeating: ap[2 &* am])
                        pp[3] = SIMD2<Double>(repeating: ap[3 &* am])
                        pp[4] = SIMD2<Double>(repeating: ap[4 &* am])
                        pp[5] = SIMD2<Double>(repeating: ap[5 &* am])
                        pp += 6; ap += ak
                    }
                    var j = 0
                    while j &+ 4 <= n {
                        let cp = ci + j
                        var c00 = _load(cp, as: SIMD2<Double>.self), c01 = _load(cp + 2, as: SIMD2<Double>.self)
                        var c10 = _load(cp + ldc, as: SIMD2<Double>.self), c11 = _load(cp + ldc + 2, as: SIMD2<Double>.self)
                        var c20 = _load(cp + 2 &* ldc, as: SIMD2<Double>.self), c21 = _load(cp + 2 &* ldc + 2, as: SIMD2<Double>.self)
                        var c30 = _load(cp + 3 &* ldc, as: SIMD2<Double>.self), c31 = _load(cp + 3 &* ldc + 2, as: SIMD2<Double>.self)
                        var c40 = _load(cp + 4 &* ldc, as: SIMD2<Double>.self), c41 = _load(cp + 4 &* ldc + 2, as: SIMD2<Double>.self)
                        var c50 = _load(cp + 5 &* ldc, as: SIMD2<Double>.self), c51 = _load(cp + 5 &* ldc + 2, as: SIMD2<Double>.self)
                        var bp = b + j, xp = UnsafePointer(panel)
                        for _ in 0..<k {
                            let b0 = _load(bp, as: SIMD2<Double>.self), b1 = _load(bp + 2, as: SIMD2<Double>.self)
                            var x = xp[0]
                            c00 += x * b0; c01 += x * b1
                            x = xp[1]
                            c10 += x * b0; c11 += x * b1
                            x = xp[2]
                            c20 += x * b0; c21 += x * b1
                            x = xp[3]
                            c30 += x * b0; c31 += x * b1
                            x = xp[4]
                            c40 += x * b0; c41 += x * b1
                            x = xp[5]
                            c50 += x * b0; c51 += x * b1
                            bp += ldb; xp += 6
                        }
                        _store(cp, c00); _store(cp + 2, c01)
                        _store(cp + ldc, c10); _store(cp + ldc + 2, c11)
                        _store(cp + 2 &* ldc, c20); _store(cp + 2 &* ldc + 2, c21)
                        _store(cp + 3 &* ldc, c30); _store(cp + 3 &* ldc + 2, c31)
                        _store(cp + 4 &* ldc, c40); _store(cp + 4 &* ldc + 2, c41)
                        _store(cp + 5 &* ldc, c50); _store(cp + 5 &* ldc + 2, c51)
                        j &+= 4
                    }
                    while j < n {
                        for r in 0..<6 {
                            var acc: Double = 0
                            var ap = ai + r &* am, bp = b + j
                            for _ in 0..<k { acc += ap[0] * bp[0]; ap += ak; bp += ldb }
                            ci[r &* ldc &+ j] += acc
                        }
                        j &+= 1
                    }
                    i &+= 6
                }
            }
        }
        while i < m {
            let ai = a + i &* am, ci = c + i &* ldc
            var j = 0
            while j &+ 4 <= n {
                var c0 = _load(ci + j, as: SIMD2<Double>.self), c1 = _load(ci + j + 2, as: SIMD2<Double>.self)
                var bp = b + j, ap = ai
                for _ in 0..<k {
                    let x = SIMD2<Double>(repeating: ap[0])
                    c0 += x * _load(bp, as: SIMD2<Double>.self); c1 += x * _load(bp + 2, as: SIMD2<Double>.self)
                    bp += ldb; ap += ak
                }
                _store(ci + j, c0); _store(ci + j + 2, c1)
                j &+= 4
            }
            while j < n {
                var acc: Double = 0
                var ap = ai, bp = b + j
                for _ in 0..<k { acc += ap[0] * bp[0]; ap += ak; bp += ldb }
                ci[j] += acc
                j &+= 1
            }
            i &+= 1
        }
    }

    /// Tying: yt[r] = Σ_{e ∈ row r} c[e] · xt[column[e]] for `rows` rows (entries of row r at
    /// rowStart[r] ..< rowStart[r + 1]); a row's entries accumulate in 4 vector registers.
    @inlinable public static func _tiedForwardPanel(_ xt: UnsafePointer<Double>, _ yt: UnsafeMutablePointer<Double>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Double>, _ rowStart: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>, _ rows: Int) {
        for r in 0..<rows {
            let lo = Int(rowStart[r]), hi = Int(rowStart[r + 1])
            if lo == hi { continue }
            let yr = yt + r &* stride
            var v = 0
            while v &+ 4 <= nv {
                let o = v &* 4
                var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
                for e in lo..<hi {
                    let w = SIMD4<Double>(repeating: c[e]), xr = xt + (Int(column[e]) &* stride &+ o)
                    a0 += w * _load(xr, as: SIMD4<Double>.self); a1 += w * _load(xr + 4, as: SIMD4<Double>.self)
                    a2 += w * _load(xr + 8, as: SIMD4<Double>.self); a3 += w * _load(xr + 12, as: SIMD4<Double>.self)
                }
                _store(yr + o, a0); _store(yr + o + 4, a1); _store(yr + o + 8, a2); _store(yr + o + 12, a3)
                v &+= 4
            }
            while v < nv {
                let o = v &* 4
                var a0 = SIMD4<Double>()
                for e in lo..<hi { a0 += SIMD4<Double>(repeating: c[e]) * _load(xt + (Int(column[e]) &* stride &+ o), as: SIMD4<Double>.self) }
                _store(yr + o, a0)
                v &+= 1
            }
        }
    }

    /// Grid convolution: out[j] += Σ_c Σ_s w[c · wc + s] · padded[c][source(s)][halo + j ∓ shift(s)] for
    /// j < geometry.rowLength (`sign` −1 forward, +1 for the transposed stencil).
    @inlinable @inline(__always) public static func _convolveRow(_ out: UnsafeMutablePointer<Double>, _ padded: UnsafePointer<Double>, _ channels: Int, _ w: UnsafePointer<Double>, _ wc: Int, _ rows: UnsafePointer<Int32>, _ side: Int, _ shift: UnsafePointer<Int>, _ sign: Int, _ geometry: GridGeometry) {
        let rowLength = geometry.rowLength, paddedRow = geometry.paddedRow, halo = geometry.halo, supportCount = geometry.supportCount
        let channelStride = geometry.outerCount * paddedRow
        var j = 0
        while j &+ 16 <= rowLength {
            var a0 = _load(out + j, as: SIMD4<Double>.self), a1 = _load(out + j + 4, as: SIMD4<Double>.self)
            var a2 = _load(out + j + 8, as: SIMD4<Double>.self), a3 = _load(out + j + 12, as: SIMD4<Double>.self)
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount {
                    let xr = pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s])
                    let wv = SIMD4<Double>(repeating: wcp[s])
                    a0 += wv * _load(xr, as: SIMD4<Double>.self); a1 += wv * _load(xr + 4, as: SIMD4<Double>.self)
                    a2 += wv * _load(xr + 8, as: SIMD4<Double>.self); a3 += wv * _load(xr + 12, as: SIMD4<Double>.self)
                }
            }
            _store(out + j, a0); _store(out + j + 4, a1); _store(out + j + 8, a2); _store(out + j + 12, a3)
            j &+= 16
        }
        while j &+ 4 <= rowLength {
            var a0 = _load(out + j, as: SIMD4<Double>.self)
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount {
                    a0 += SIMD4<Double>(repeating: wcp[s]) * _load(pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]), as: SIMD4<Double>.self)
                }
            }
            _store(out + j, a0)
            j &+= 4
        }
        while j < rowLength {
            var a: Double = 0
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount { a += wcp[s] * pc[Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]] }
            }
            out[j] += a
            j &+= 1
        }
    }

    /// Σ_j a[j] · b[j] for j < n.
    @inlinable @inline(__always) public static func _rowDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var j = 0
        while j &+ 8 <= n {
            acc0 += _load(a + j, as: SIMD4<Double>.self) * _load(b + j, as: SIMD4<Double>.self)
            acc1 += _load(a + j + 4, as: SIMD4<Double>.self) * _load(b + j + 4, as: SIMD4<Double>.self)
            j &+= 8
        }
        var r = (acc0 + acc1).sum()
        while j < n { r += a[j] * b[j]; j &+= 1 }
        return r
    }

    /// Table group convolution: yt[(o, p)] += Σ_i Σ_q c[(o · mi + i) · n + table[p · n + q]] · xt[(i, q)].
    @inlinable public static func _tableConvolutionPanel(_ xt: UnsafePointer<Double>, _ yt: UnsafeMutablePointer<Double>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Double>, _ table: UnsafePointer<Int32>, _ n: Int, _ mi: Int, _ mo: Int) {
        for o in 0..<mo {
            for p in 0..<n {
                let yr = yt + (o &* n &+ p) &* stride, tr = table + p &* n
                var v = 0
                while v < nv {
                    let off = v &* 4
                    var a0 = SIMD4<Double>()
                    for i in 0..<mi {
                        let w = c + (o &* mi &+ i) &* n, xi = xt + (i &* n &* stride &+ off)
                        for q in 0..<n { a0 += SIMD4<Double>(repeating: w[Int(tr[q])]) * _load(xi + q &* stride, as: SIMD4<Double>.self) }
                    }
                    _store(yr + off, _load(yr + off, as: SIMD4<Double>.self) + a0)
                    v &+= 1
                }
            }
        }
    }
}

/// The geometry of a grid convolution's padded rows (see `_convolveRow`).
@frozen public struct GridGeometry: Sendable {
    public let outerCount: Int, rowLength: Int, paddedRow: Int, halo: Int, supportCount: Int
    /// Inlinable (and the struct frozen) so a generated file's `static let geometry` is a
    /// compile-time constant there and the row loops get constant trip counts.
    @inlinable public init(outerCount: Int, rowLength: Int, paddedRow: Int, halo: Int, supportCount: Int) {
        self.outerCount = outerCount
        self.rowLength = rowLength
        self.paddedRow = paddedRow
        self.halo = halo
        self.supportCount = supportCount
    }
}

/// The helpers a generated layer's kernels call by their short names (the primitives of
/// either precision).
public protocol GeneratedLayerKernels {}

extension GeneratedLayerKernels {
    /// y += w · x over nv vectors (`S._axpy`).
    @inlinable @inline(__always) public static func _axpy<S: GeneratedScalar>(_ w: S, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ nv: Int) {
        S._axpy(w, x, y, nv)
    }
    /// y += x over nv vectors (`S._add`).
    @inlinable @inline(__always) public static func _add<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ nv: Int) {
        S._add(x, y, nv)
    }
    /// Σ x · y over nv vectors (`S._dot`).
    @inlinable @inline(__always) public static func _dot<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ nv: Int) -> S {
        S._dot(x, y, nv)
    }
    /// Returns Σ x · t and adds w · t to y (the backward step of one diagram), over nv vectors.
    @inlinable @inline(__always) public static func _dotAxpy<S: GeneratedScalar>(_ w: S, _ x: UnsafePointer<S>, _ t: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ nv: Int) -> S {
        let g = S._dot(x, t, nv)
        S._axpy(w, t, y, nv)
        return g
    }
    /// C += A · B with A strided (`S._gemm`, register-blocked).
    @inlinable @inline(__always) public static func _gemm<S: GeneratedScalar>(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<S>, _ am: Int, _ ak: Int, _ b: UnsafePointer<S>, _ ldb: Int, _ c: UnsafeMutablePointer<S>, _ ldc: Int) {
        S._gemm(m, n, k, a, am, ak, b, ldb, c, ldc)
    }
}

/// The decoders of the packed tables generated files hold (`CodePrinter.printIntegers`/`printReals`
/// above `CodePrinter.packingThreshold` values), decoded once, at first use.
public enum GeneratedTables {
    /// Zigzag varints, 5 bits per digit of "A–Za–z0–9+/" (digits ≥ 32 continue).
    public static func integers(_ text: StaticString, count: Int) -> [Int] {
        var out = [Int](repeating: 0, count: count)
        var k = 0
        varints(text) { v in out[k] = Int(truncatingIfNeeded: v >> 1) ^ -Int(truncatingIfNeeded: v & 1); k += 1 }
        precondition(k == count, "corrupt packed table")
        return out
    }
    /// Varints of Float64 bit patterns.
    public static func bitPatterns(_ text: StaticString, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        var k = 0
        varints(text) { v in out[k] = Double(bitPattern: v); k += 1 }
        precondition(k == count, "corrupt packed table")
        return out
    }
    static func varints(_ text: StaticString, _ body: (UInt64) -> Void) {
        text.withUTF8Buffer { bytes in
            var value: UInt64 = 0, shift: UInt64 = 0
            for b in bytes {
                let d: UInt64
                switch b {
                case 65...90: d = UInt64(b - 65)
                case 97...122: d = UInt64(b - 71)
                case 48...57: d = UInt64(b + 4)
                case 43: d = 62
                default: d = 63
                }
                value |= (d & 31) << shift
                if d < 32 {
                    body(value)
                    value = 0
                    shift = 0
                } else {
                    shift += 5
                }
            }
        }
    }
}
