/// A precision generated kernels run in (Float or Double): the vector primitives every strategy's
/// kernels are made of. Each primitive has one body, written over the precision's vector types
/// (`_PanelVector` for panel rows, `_ProductVector` for the matrix product's registers); the Float
/// and Double conformances only name those types. A generated layer prints its kernels once,
/// generic over `S: GeneratedScalar`; specialized in the importing file, each call below becomes
/// concrete vector code of its precision.
///
/// Two builds (`ARCHSYNTH_WIDE_SIMD`, a compilation condition the user sets together with
/// `-target-cpu`; README "Wide vectors"):
/// - portable (the default, x86-64's SSE2 baseline, no FMA): panel rows are 32-byte vectors
///   (SIMD8<Float>, SIMD4<Double>), the matrix product keeps 6 × 2 16-byte vectors in the 16 SSE
///   registers, and a multiply–add is a multiply, then an add;
/// - wide (`-D ARCHSYNTH_WIDE_SIMD` with `-target-cpu` of an FMA machine): every multiply–add is
///   fused (`addingProduct`, one `vfmadd` per vector; without hardware FMA it would be a libm call
///   per lane, hence the opt-in) and the matrix product keeps 6 × 2 64-byte vectors
///   (SIMD16<Float>, SIMD8<Double>): 12 of the 32 AVX-512 registers.
public protocol GeneratedScalar: RuntimeScalar, BinaryFloatingPoint, SIMDScalar, Codable {
    /// A panel row's vector: 32 bytes (8 Float, 4 Double lanes).
    associatedtype _PanelVector: SIMD where _PanelVector.Scalar == Self
    /// The matrix product's register: 16 bytes portable, 64 bytes under `ARCHSYNTH_WIDE_SIMD`.
    associatedtype _ProductVector: SIMD where _ProductVector.Scalar == Self
    static func _pack(_ x: UnsafePointer<Self>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<Self>)
    static func _unpackAdd(_ panel: UnsafePointer<Self>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<Self>)
    static func _axpy(_ w: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ nv: Int)
    static func _add(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ nv: Int)
    static func _dot(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ nv: Int) -> Self
    static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    static func _tiedForwardPanel(_ xt: UnsafePointer<Self>, _ yt: UnsafeMutablePointer<Self>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Self>, _ rowStart: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>, _ rows: Int)
    static func _convolveRow(_ out: UnsafeMutablePointer<Self>, _ padded: UnsafePointer<Self>, _ channels: Int, _ w: UnsafePointer<Self>, _ wc: Int, _ rows: UnsafePointer<Int32>, _ side: Int, _ shift: UnsafePointer<Int>, _ sign: Int, _ geometry: GridGeometry)
    static func _rowDot(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ n: Int) -> Self
    static func _loopCount(_ n: Int) -> Int
}

/// The build ArchSynthRuntime was compiled in, as generated code sees it.
public enum GeneratedBuild {
    /// Whether this runtime was compiled with `ARCHSYNTH_WIDE_SIMD` (64-byte product registers
    /// and fused multiply–adds; `GeneratedScalar`): true in the wide build, false in the portable
    /// one. The `#if` is resolved when the runtime compiles, so the value is the runtime's build,
    /// whatever flags the module holding a generated layer was compiled with.
    ///
    /// A generated layer that carries two forms reads it to run the one measured faster in this
    /// build: a table group convolution with a group Fourier form runs the Fourier kernels in the
    /// portable build and the products with W (`GeneratedMatrixProducts`) in a wide build, where
    /// one 64-byte-register product with W beat the Fourier form's smaller products (D_8 4 → 4,
    /// batch 64, loaded machine: about 4 / 10 µs against 6.0 / 14.8 forward / backward).
    ///
    /// ```swift
    /// if GeneratedBuild.wideVectors { GeneratedMatrixProducts.forward(x, y, count, c, dIn, dOut) }
    /// ```
    @inlinable @inline(__always) public static var wideVectors: Bool {
        #if ARCHSYNTH_WIDE_SIMD
            true
        #else
            false
        #endif
    }
}

#if ARCHSYNTH_WIDE_SIMD
    /// Float, wide: 8-lane panel rows, 16-lane (64-byte, one AVX-512 register) product registers.
    extension Float: GeneratedScalar { public typealias _PanelVector = SIMD8<Float>; public typealias _ProductVector = SIMD16<Float> }
    /// Double, wide: 4-lane panel rows, 8-lane (64-byte) product registers.
    extension Double: GeneratedScalar { public typealias _PanelVector = SIMD4<Double>; public typealias _ProductVector = SIMD8<Double> }
#else
    /// Float, portable: 8-lane panel rows, 4-lane (16-byte, one SSE register) product registers.
    extension Float: GeneratedScalar { public typealias _PanelVector = SIMD8<Float>; public typealias _ProductVector = SIMD4<Float> }
    /// Double, portable: 4-lane panel rows, 2-lane (16-byte) product registers.
    extension Double: GeneratedScalar { public typealias _PanelVector = SIMD4<Double>; public typealias _ProductVector = SIMD2<Double> }
#endif

extension GeneratedScalar {
    /// Scalars per panel vector (8 Float, 4 Double): panels are `nv` such vectors wide.
    @inlinable @inline(__always) public static var lanes: Int { _PanelVector.scalarCount }

    /// An unaligned load of one SIMD vector starting at `p`.
    @inlinable @inline(__always) public static func _load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as: V.Type) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    /// An unaligned store of `v` starting at `p`.
    @inlinable @inline(__always) public static func _store<V: SIMD>(_ p: UnsafeMutablePointer<V.Scalar>, _ v: V) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }
    /// acc + a · b, lane by lane: fused (one rounding) under `ARCHSYNTH_WIDE_SIMD`, otherwise a
    /// multiply and then an add.
    @inlinable @inline(__always) public static func _multiplyAdd<V: SIMD>(_ acc: V, _ a: V, _ b: V) -> V where V.Scalar == Self {
        #if ARCHSYNTH_WIDE_SIMD
            acc.addingProduct(a, b)
        #else
            acc + a * b
        #endif
    }

    /// `n` (see `GeneratedLayerKernels._loopCount`).
    @inlinable @inline(__always) public static func _loopCount(_ n: Int) -> Int { n }

    /// Panel layout: feature k of sample j at panel[k · stride + j], stride = nv · lanes; lanes past
    /// `samples` are zero.
    @inlinable @inline(__always) public static func _pack(_ x: UnsafePointer<Self>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<Self>) {
        for j in 0..<samples {
            let row = x + j &* d
            for k in 0..<d { panel[k &* stride &+ j] = row[k] }
        }
        if samples < stride {
            for k in 0..<d { for j in samples..<stride { panel[k &* stride &+ j] = 0 } }
        }
    }
    /// y[j · d + k] += panel[k · stride + j] for the first `samples` samples (the inverse layout of `_pack`).
    @inlinable @inline(__always) public static func _unpackAdd(_ panel: UnsafePointer<Self>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<Self>) {
        for j in 0..<samples {
            let row = y + j &* d
            for k in 0..<d { row[k] += panel[k &* stride &+ j] }
        }
    }
    /// y += w · x over nv vectors.
    @inlinable @inline(__always) public static func _axpy(_ w: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ nv: Int) {
        let wv = _PanelVector(repeating: w)
        var i = 0
        for _ in 0..<nv {
            _store(y + i, _multiplyAdd(_load(y + i, as: _PanelVector.self), wv, _load(x + i, as: _PanelVector.self)))
            i &+= lanes
        }
    }
    /// y += x over nv vectors.
    @inlinable @inline(__always) public static func _add(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ nv: Int) {
        var i = 0
        for _ in 0..<nv {
            _store(y + i, _load(y + i, as: _PanelVector.self) + _load(x + i, as: _PanelVector.self))
            i &+= lanes
        }
    }
    /// Σ x · y over nv vectors.
    @inlinable @inline(__always) public static func _dot(_ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>, _ nv: Int) -> Self {
        var acc = _PanelVector()
        var i = 0
        for _ in 0..<nv {
            acc = _multiplyAdd(acc, _load(x + i, as: _PanelVector.self), _load(y + i, as: _PanelVector.self))
            i &+= lanes
        }
        return acc.sum()
    }

    /// C[m × n] += A · B: A[i, p] = a[i · am + p · ak], B and C row-major with leading dimensions ldb, ldc.
    /// Register-blocked: 6 rows × 2 vectors (`_ProductVector`) of C stay in 12 registers over the whole
    /// k loop (then 6 × 1 vector for the columns left, then scalars). The 6 rows of A are first copied out already broadcast (one vector per entry, 6 · k of
    /// them), so the inner loop only loads and multiply-adds: without FMA or wide vectors (portable
    /// `-O`), the shuffles that broadcast A were what kept it below the machine's SSE throughput.
    /// - Complexity: O(m · n · k).
    @inlinable @inline(__always) public static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int) {
        typealias V = _ProductVector
        #if ARCHSYNTH_WIDE_SIMD
            // A broadcast from memory is one instruction with AVX: the panel keeps scalars (6 · k of them
            // stay in the level-1 cache, where 6 · k 64-byte vectors would not).
            typealias P = Self
            @inline(__always) func spread(_ x: Self) -> P { x }
            @inline(__always) func vector(_ p: P) -> V { V(repeating: p) }
        #else
            typealias P = V
            @inline(__always) func spread(_ x: Self) -> P { V(repeating: x) }
            @inline(__always) func vector(_ p: P) -> V { p }
        #endif
        let h = V.scalarCount, w = 2 &* h
        var i = 0
        if m >= 6, k > 0 {
            withUnsafeTemporaryAllocation(of: P.self, capacity: 6 &* k) {
                let panel = $0.baseAddress!
                while i &+ 6 <= m {
                    let ai = a + i &* am, ci = c + i &* ldc
                    var ap = ai, pp = panel
                    for _ in 0..<k {
                        pp[0] = spread(ap[0])
                        pp[1] = spread(ap[am])
                        pp[2] = spread(ap[2 &* am])
                        pp[3] = spread(ap[3 &* am])
                        pp[4] = spread(ap[4 &* am])
                        pp[5] = spread(ap[5 &* am])
                        pp += 6; ap += ak
                    }
                    var j = 0
                    while j &+ w <= n {
                        let cp = ci + j
                        var c00 = _load(cp, as: V.self), c01 = _load(cp + h, as: V.self)
                        var c10 = _load(cp + ldc, as: V.self), c11 = _load(cp + ldc + h, as: V.self)
                        var c20 = _load(cp + 2 &* ldc, as: V.self), c21 = _load(cp + 2 &* ldc + h, as: V.self)
                        var c30 = _load(cp + 3 &* ldc, as: V.self), c31 = _load(cp + 3 &* ldc + h, as: V.self)
                        var c40 = _load(cp + 4 &* ldc, as: V.self), c41 = _load(cp + 4 &* ldc + h, as: V.self)
                        var c50 = _load(cp + 5 &* ldc, as: V.self), c51 = _load(cp + 5 &* ldc + h, as: V.self)
                        var bp = b + j, xp = UnsafePointer(panel)
                        for _ in 0..<k {
                            let b0 = _load(bp, as: V.self), b1 = _load(bp + h, as: V.self)
                            var x = vector(xp[0])
                            c00 = _multiplyAdd(c00, x, b0); c01 = _multiplyAdd(c01, x, b1)
                            x = vector(xp[1])
                            c10 = _multiplyAdd(c10, x, b0); c11 = _multiplyAdd(c11, x, b1)
                            x = vector(xp[2])
                            c20 = _multiplyAdd(c20, x, b0); c21 = _multiplyAdd(c21, x, b1)
                            x = vector(xp[3])
                            c30 = _multiplyAdd(c30, x, b0); c31 = _multiplyAdd(c31, x, b1)
                            x = vector(xp[4])
                            c40 = _multiplyAdd(c40, x, b0); c41 = _multiplyAdd(c41, x, b1)
                            x = vector(xp[5])
                            c50 = _multiplyAdd(c50, x, b0); c51 = _multiplyAdd(c51, x, b1)
                            bp += ldb; xp += 6
                        }
                        _store(cp, c00); _store(cp + h, c01)
                        _store(cp + ldc, c10); _store(cp + ldc + h, c11)
                        _store(cp + 2 &* ldc, c20); _store(cp + 2 &* ldc + h, c21)
                        _store(cp + 3 &* ldc, c30); _store(cp + 3 &* ldc + h, c31)
                        _store(cp + 4 &* ldc, c40); _store(cp + 4 &* ldc + h, c41)
                        _store(cp + 5 &* ldc, c50); _store(cp + 5 &* ldc + h, c51)
                        j &+= w
                    }
                    // One vector of columns left (n mod w ≥ h: the 16 columns of a small wide product).
                    if j &+ h <= n {
                        let cp = ci + j
                        var c0 = _load(cp, as: V.self), c1 = _load(cp + ldc, as: V.self), c2 = _load(cp + 2 &* ldc, as: V.self)
                        var c3 = _load(cp + 3 &* ldc, as: V.self), c4 = _load(cp + 4 &* ldc, as: V.self), c5 = _load(cp + 5 &* ldc, as: V.self)
                        var bp = b + j, xp = UnsafePointer(panel)
                        for _ in 0..<k {
                            let b0 = _load(bp, as: V.self)
                            c0 = _multiplyAdd(c0, vector(xp[0]), b0); c1 = _multiplyAdd(c1, vector(xp[1]), b0); c2 = _multiplyAdd(c2, vector(xp[2]), b0)
                            c3 = _multiplyAdd(c3, vector(xp[3]), b0); c4 = _multiplyAdd(c4, vector(xp[4]), b0); c5 = _multiplyAdd(c5, vector(xp[5]), b0)
                            bp += ldb; xp += 6
                        }
                        _store(cp, c0); _store(cp + ldc, c1); _store(cp + 2 &* ldc, c2)
                        _store(cp + 3 &* ldc, c3); _store(cp + 4 &* ldc, c4); _store(cp + 5 &* ldc, c5)
                        j &+= h
                    }
                    while j < n {
                        for r in 0..<6 {
                            var acc: Self = 0
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
            while j &+ w <= n {
                var c0 = _load(ci + j, as: V.self), c1 = _load(ci + j + h, as: V.self)
                var bp = b + j, ap = ai
                for _ in 0..<k {
                    let x = V(repeating: ap[0])
                    c0 = _multiplyAdd(c0, x, _load(bp, as: V.self)); c1 = _multiplyAdd(c1, x, _load(bp + h, as: V.self))
                    bp += ldb; ap += ak
                }
                _store(ci + j, c0); _store(ci + j + h, c1)
                j &+= w
            }
            if j &+ h <= n {
                var c0 = _load(ci + j, as: V.self)
                var bp = b + j, ap = ai
                for _ in 0..<k {
                    c0 = _multiplyAdd(c0, V(repeating: ap[0]), _load(bp, as: V.self))
                    bp += ldb; ap += ak
                }
                _store(ci + j, c0)
                j &+= h
            }
            while j < n {
                var acc: Self = 0
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
    /// - Complexity: O(entries · nv).
    @inlinable public static func _tiedForwardPanel(_ xt: UnsafePointer<Self>, _ yt: UnsafeMutablePointer<Self>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<Self>, _ rowStart: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>, _ rows: Int) {
        typealias V = _PanelVector
        let L = lanes
        for r in 0..<rows {
            let lo = Int(rowStart[r]), hi = Int(rowStart[r + 1])
            if lo == hi { continue }
            let yr = yt + r &* stride
            var v = 0
            while v &+ 4 <= nv {
                let o = v &* L
                var a0 = V(), a1 = V(), a2 = V(), a3 = V()
                for e in lo..<hi {
                    let w = V(repeating: c[e]), xr = xt + (Int(column[e]) &* stride &+ o)
                    a0 = _multiplyAdd(a0, w, _load(xr, as: V.self)); a1 = _multiplyAdd(a1, w, _load(xr + L, as: V.self))
                    a2 = _multiplyAdd(a2, w, _load(xr + 2 &* L, as: V.self)); a3 = _multiplyAdd(a3, w, _load(xr + 3 &* L, as: V.self))
                }
                _store(yr + o, a0); _store(yr + o + L, a1); _store(yr + o + 2 &* L, a2); _store(yr + o + 3 &* L, a3)
                v &+= 4
            }
            while v < nv {
                let o = v &* L
                var a0 = V()
                for e in lo..<hi { a0 = _multiplyAdd(a0, V(repeating: c[e]), _load(xt + (Int(column[e]) &* stride &+ o), as: V.self)) }
                _store(yr + o, a0)
                v &+= 1
            }
        }
    }

    /// Grid convolution: out[j] += Σ_c Σ_s w[c · wc + s] · padded[c][source(s)][halo + j ∓ shift(s)] for
    /// j < geometry.rowLength (`sign` −1 forward, +1 for the transposed stencil).
    /// - Complexity: O(channels · supportCount · rowLength).
    @inlinable @inline(__always) public static func _convolveRow(_ out: UnsafeMutablePointer<Self>, _ padded: UnsafePointer<Self>, _ channels: Int, _ w: UnsafePointer<Self>, _ wc: Int, _ rows: UnsafePointer<Int32>, _ side: Int, _ shift: UnsafePointer<Int>, _ sign: Int, _ geometry: GridGeometry) {
        typealias V = _PanelVector
        let L = lanes
        let rowLength = geometry.rowLength, paddedRow = geometry.paddedRow, halo = geometry.halo, supportCount = geometry.supportCount
        let channelStride = geometry.outerCount * paddedRow
        var j = 0
        while j &+ 4 &* L <= rowLength {
            var a0 = _load(out + j, as: V.self), a1 = _load(out + j + L, as: V.self)
            var a2 = _load(out + j + 2 &* L, as: V.self), a3 = _load(out + j + 3 &* L, as: V.self)
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount {
                    let xr = pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s])
                    let wv = V(repeating: wcp[s])
                    a0 = _multiplyAdd(a0, wv, _load(xr, as: V.self)); a1 = _multiplyAdd(a1, wv, _load(xr + L, as: V.self))
                    a2 = _multiplyAdd(a2, wv, _load(xr + 2 &* L, as: V.self)); a3 = _multiplyAdd(a3, wv, _load(xr + 3 &* L, as: V.self))
                }
            }
            _store(out + j, a0); _store(out + j + L, a1); _store(out + j + 2 &* L, a2); _store(out + j + 3 &* L, a3)
            j &+= 4 &* L
        }
        while j &+ L <= rowLength {
            var a0 = _load(out + j, as: V.self)
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount {
                    a0 = _multiplyAdd(a0, V(repeating: wcp[s]), _load(pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]), as: V.self))
                }
            }
            _store(out + j, a0)
            j &+= L
        }
        while j < rowLength {
            var a: Self = 0
            for c in 0..<channels {
                let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                for s in 0..<supportCount { a += wcp[s] * pc[Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]] }
            }
            out[j] += a
            j &+= 1
        }
    }

    /// Σ_j a[j] · b[j] for j < n.
    /// - Complexity: O(n).
    @inlinable @inline(__always) public static func _rowDot(_ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ n: Int) -> Self {
        typealias V = _PanelVector
        let L = lanes
        var acc0 = V(), acc1 = V()
        var j = 0
        while j &+ 2 &* L <= n {
            acc0 = _multiplyAdd(acc0, _load(a + j, as: V.self), _load(b + j, as: V.self))
            acc1 = _multiplyAdd(acc1, _load(a + j + L, as: V.self), _load(b + j + L, as: V.self))
            j &+= 2 &* L
        }
        var r = (acc0 + acc1).sum()
        while j < n { r += a[j] * b[j]; j &+= 1 }
        return r
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
    /// `n`, hidden from the optimizer of a generic caller: a closed-form panel loops
    /// `for p in 0..<_loopCount(n, S.self)`. Swift's SIL loop unroller copies a loop of at most 32
    /// iterations whose body is one call (a primitive is a witness call before specialization),
    /// and every specialization inherits the copies: S₈ natural² panels were 5× the code and took
    /// twice as long to compile. Specialized, this is the constant `n` again.
    @inlinable @inline(__always) public static func _loopCount<S: GeneratedScalar>(_ n: Int, _: S.Type) -> Int {
        S._loopCount(n)
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
