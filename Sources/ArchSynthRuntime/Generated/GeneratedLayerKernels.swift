// DO NOT EDIT: printed by archsynth's `KernelHelpers.runtimeSupportSource()` (the same helpers
// every self-contained generated layer carries); CodeGenGoldenTests keeps it up to date.

/// The kernel helpers of generated layers (unaligned SIMD loads and stores, the panel layout,
/// the register-blocked matrix product, the decoders of packed tables). A self-contained
/// generated layer prints its own copy; a layer nested in a generated network, which imports
/// this runtime, declares `GeneratedLayerKernels` and uses these instead.
public protocol GeneratedLayerKernels {}

extension GeneratedLayerKernels {
    // MARK: Kernel helpers (raw pointers, unaligned SIMD loads and stores)
    @inlinable @inline(__always) public static func _load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as: V.Type) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    @inlinable @inline(__always) public static func _store<V: SIMD>(_ p: UnsafeMutablePointer<V.Scalar>, _ v: V) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    // MARK: Panel helpers (Float)
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
    @inlinable public static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
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

    // MARK: Panel helpers (Double)
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
    @inlinable public static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Double>, _ ldb: Int, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
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

    // MARK: Packed tables (decoded once, at first use)
    /// Zigzag varints, 5 bits per digit of "A–Za–z0–9+/" (digits ≥ 32 continue).
    @inlinable public static func _unpackIntegers(_ text: StaticString, count: Int) -> [Int] {
        var out = [Int](repeating: 0, count: count)
        var k = 0
        _unpackVarints(text) { v in out[k] = Int(truncatingIfNeeded: v >> 1) ^ -Int(truncatingIfNeeded: v & 1); k += 1 }
        precondition(k == count, "corrupt packed table")
        return out
    }
    /// Varints of Float64 bit patterns.
    @inlinable public static func _unpackBitPatterns(_ text: StaticString, count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        var k = 0
        _unpackVarints(text) { v in out[k] = Double(bitPattern: v); k += 1 }
        precondition(k == count, "corrupt packed table")
        return out
    }
    @inlinable public static func _unpackVarints(_ text: StaticString, _ body: (UInt64) -> Void) {
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
