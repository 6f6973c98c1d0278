/// The kernel primitives of generated layers, printed into the runtime (`runtimeSupportSource`,
/// kept equal to `Sources/ArchSynthRuntime/Generated/GeneratedLayerKernels.swift` by a golden test):
/// unaligned vector loads and stores on raw pointers, the panel layout (feature-major blocks of
/// samples, so inner loops run over contiguous samples), the register-blocked matrix product and
/// the inner loops of the table-driven strategies. Each is printed once per `ScalarType` as a
/// concrete `Float` and `Double` implementation of a `GeneratedScalar` requirement, so a layer's
/// kernels, printed once and generic over `S: GeneratedScalar` in the generated file, specialize to
/// concrete vector code for each precision.
public enum KernelHelpers {
    /// `_load`/`_store` (precision-independent, generic, inlined and specialized).
    static let vectorAccess = """
        /// An unaligned load of one SIMD vector starting at `p`.
        @inlinable @inline(__always) public static func _load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as: V.Type) -> V {
            UnsafeRawPointer(p).loadUnaligned(as: V.self)
        }
        /// An unaligned store of `v` starting at `p`.
        @inlinable @inline(__always) public static func _store<V: SIMD>(_ p: UnsafeMutablePointer<V.Scalar>, _ v: V) {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        }
        """

    /// Panel helpers for one precision: pack (transpose rows into a panel), unpack-add, and
    /// row operations over `nv` vectors.
    static func printPanelHelpers(_ p: inout CodePrinter, _ s: ScalarType) {
        let S = s.name, V = s.vector, L = s.lanes
        p.print("""
            /// Panel layout: feature k of sample j at panel[k · stride + j], stride = nv · \(L); lanes past
            /// `samples` are zero.
            @inlinable @inline(__always) public static func _pack(_ x: UnsafePointer<\(S)>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<\(S)>) {
                for j in 0..<samples {
                    let row = x + j &* d
                    for k in 0..<d { panel[k &* stride &+ j] = row[k] }
                }
                if samples < stride {
                    for k in 0..<d { for j in samples..<stride { panel[k &* stride &+ j] = 0 } }
                }
            }
            /// y[j · d + k] += panel[k · stride + j] for the first `samples` samples (the inverse layout of `_pack`).
            @inlinable @inline(__always) public static func _unpackAdd(_ panel: UnsafePointer<\(S)>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<\(S)>) {
                for j in 0..<samples {
                    let row = y + j &* d
                    for k in 0..<d { row[k] += panel[k &* stride &+ j] }
                }
            }
            /// y += w · x over nv vectors.
            @inlinable @inline(__always) public static func _axpy(_ w: \(S), _ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ nv: Int) {
                let wv = \(V)(repeating: w)
                var i = 0
                for _ in 0..<nv {
                    _store(y + i, _load(y + i, as: \(V).self) + wv * _load(x + i, as: \(V).self))
                    i &+= \(L)
                }
            }
            /// y += x over nv vectors.
            @inlinable @inline(__always) public static func _add(_ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ nv: Int) {
                var i = 0
                for _ in 0..<nv {
                    _store(y + i, _load(y + i, as: \(V).self) + _load(x + i, as: \(V).self))
                    i &+= \(L)
                }
            }
            /// Σ x · y over nv vectors.
            @inlinable @inline(__always) public static func _dot(_ x: UnsafePointer<\(S)>, _ y: UnsafePointer<\(S)>, _ nv: Int) -> \(S) {
                var acc = \(V)()
                var i = 0
                for _ in 0..<nv {
                    acc += _load(x + i, as: \(V).self) * _load(y + i, as: \(V).self)
                    i &+= \(L)
                }
                return acc.sum()
            }
            """)
    }

    /// C[m × n] += A · B with A[i, p] at a[i · am + p · ak], B row-major (ldb), C row-major
    /// (ldc): 6 rows × 2 half vectors of registers per step, A pre-broadcast into a panel.
    static func printMatrixProduct(_ p: inout CodePrinter, _ s: ScalarType) {
        let S = s.name, H = s.half, h = s.halfLanes, w = 2 * s.halfLanes
        let rows = 0..<6
        func rowPtr(_ r: Int) -> String { r == 0 ? "cp" : r == 1 ? "cp + ldc" : "cp + \(r) &* ldc" }
        func aAt(_ r: Int) -> String { r == 0 ? "ap[0]" : r == 1 ? "ap[am]" : "ap[\(r) &* am]" }
        p.print("/// C[m × n] += A · B: A[i, p] = a[i · am + p · ak], B and C row-major with leading dimensions ldb, ldc.")
        p.print("/// Register-blocked: 6 rows × \(w) columns of C stay in 12 \(H) registers over the whole k loop.")
        p.print("/// The 6 rows of A are first copied out already broadcast (one \(H) per entry, 6 · k of them),")
        p.print("/// so the inner loop only loads and multiply-adds: without FMA or wide vectors (portable `-O`),")
        p.print("/// the shuffles that broadcast A were what kept it below the machine's SSE throughput.")
        p.block("@inlinable @inline(__always) public static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<\(S)>, _ am: Int, _ ak: Int, _ b: UnsafePointer<\(S)>, _ ldb: Int, _ c: UnsafeMutablePointer<\(S)>, _ ldc: Int)") { p in
            p.print("var i = 0")
            p.block("if m >= 6, k > 0") { p in
                p.block("withUnsafeTemporaryAllocation(of: \(H).self, capacity: 6 &* k)") { p in
                    p.print("let panel = $0.baseAddress!")
                    p.block("while i &+ 6 <= m") { p in
                        p.print("let ai = a + i &* am, ci = c + i &* ldc")
                        p.print("var ap = ai, pp = panel")
                        p.block("for _ in 0..<k") { p in
                            for r in rows { p.print("pp[\(r)] = \(H)(repeating: \(aAt(r)))") }
                            p.print("pp += 6; ap += ak")
                        }
                        p.print("var j = 0")
                        p.block("while j &+ \(w) <= n") { p in
                            p.print("let cp = ci + j")
                            for r in rows {
                                p.print("var c\(r)0 = _load(\(rowPtr(r)), as: \(H).self), c\(r)1 = _load(\(rowPtr(r)) + \(h), as: \(H).self)")
                            }
                            p.print("var bp = b + j, xp = UnsafePointer(panel)")
                            p.block("for _ in 0..<k") { p in
                                p.print("let b0 = _load(bp, as: \(H).self), b1 = _load(bp + \(h), as: \(H).self)")
                                p.print("var x = xp[0]")
                                for r in rows {
                                    if r > 0 { p.print("x = xp[\(r)]") }
                                    p.print("c\(r)0 += x * b0; c\(r)1 += x * b1")
                                }
                                p.print("bp += ldb; xp += 6")
                            }
                            for r in rows { p.print("_store(\(rowPtr(r)), c\(r)0); _store(\(rowPtr(r)) + \(h), c\(r)1)") }
                            p.print("j &+= \(w)")
                        }
                        p.block("while j < n") { p in
                            p.block("for r in 0..<6") { p in
                                p.print("""
                                    var acc: \(S) = 0
                                    var ap = ai + r &* am, bp = b + j
                                    for _ in 0..<k { acc += ap[0] * bp[0]; ap += ak; bp += ldb }
                                    ci[r &* ldc &+ j] += acc
                                    """)
                            }
                            p.print("j &+= 1")
                        }
                        p.print("i &+= 6")
                    }
                }
            }
            p.block("while i < m") { p in
                p.print("""
                    let ai = a + i &* am, ci = c + i &* ldc
                    var j = 0
                    while j &+ \(w) <= n {
                        var c0 = _load(ci + j, as: \(H).self), c1 = _load(ci + j + \(h), as: \(H).self)
                        var bp = b + j, ap = ai
                        for _ in 0..<k {
                            let x = \(H)(repeating: ap[0])
                            c0 += x * _load(bp, as: \(H).self); c1 += x * _load(bp + \(h), as: \(H).self)
                            bp += ldb; ap += ak
                        }
                        _store(ci + j, c0); _store(ci + j + \(h), c1)
                        j &+= \(w)
                    }
                    while j < n {
                        var acc: \(S) = 0
                        var ap = ai, bp = b + j
                        for _ in 0..<k { acc += ap[0] * bp[0]; ap += ak; bp += ldb }
                        ci[j] += acc
                        j &+= 1
                    }
                    i &+= 1
                    """)
            }
        }
    }
}

extension KernelHelpers {
    /// The inner loops of the table-driven strategies, for one precision: the tied forward panel
    /// (compressed rows of (column, coefficient)), the grid convolution's row stencil and row dot
    /// product, and the table group convolution's forward panel.
    static func printStrategyLoops(_ p: inout CodePrinter, _ s: ScalarType) {
        let S = s.name, V = s.vector, L = s.lanes
        p.print("""
            /// Tying: yt[r] = Σ_{e ∈ row r} c[e] · xt[column[e]] for `rows` rows (entries of row r at
            /// rowStart[r] ..< rowStart[r + 1]); a row's entries accumulate in 4 vector registers.
            @inlinable public static func _tiedForwardPanel(_ xt: UnsafePointer<\(S)>, _ yt: UnsafeMutablePointer<\(S)>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<\(S)>, _ rowStart: UnsafePointer<Int32>, _ column: UnsafePointer<Int32>, _ rows: Int) {
                for r in 0..<rows {
                    let lo = Int(rowStart[r]), hi = Int(rowStart[r + 1])
                    if lo == hi { continue }
                    let yr = yt + r &* stride
                    var v = 0
                    while v &+ 4 <= nv {
                        let o = v &* \(L)
                        var a0 = \(V)(), a1 = \(V)(), a2 = \(V)(), a3 = \(V)()
                        for e in lo..<hi {
                            let w = \(V)(repeating: c[e]), xr = xt + (Int(column[e]) &* stride &+ o)
                            a0 += w * _load(xr, as: \(V).self); a1 += w * _load(xr + \(L), as: \(V).self)
                            a2 += w * _load(xr + \(2 * L), as: \(V).self); a3 += w * _load(xr + \(3 * L), as: \(V).self)
                        }
                        _store(yr + o, a0); _store(yr + o + \(L), a1); _store(yr + o + \(2 * L), a2); _store(yr + o + \(3 * L), a3)
                        v &+= 4
                    }
                    while v < nv {
                        let o = v &* \(L)
                        var a0 = \(V)()
                        for e in lo..<hi { a0 += \(V)(repeating: c[e]) * _load(xt + (Int(column[e]) &* stride &+ o), as: \(V).self) }
                        _store(yr + o, a0)
                        v &+= 1
                    }
                }
            }

            /// Grid convolution: out[j] += Σ_c Σ_s w[c · wc + s] · padded[c][source(s)][halo + j ∓ shift(s)] for
            /// j < geometry.rowLength (`sign` −1 forward, +1 for the transposed stencil).
            @inlinable @inline(__always) public static func _convolveRow(_ out: UnsafeMutablePointer<\(S)>, _ padded: UnsafePointer<\(S)>, _ channels: Int, _ w: UnsafePointer<\(S)>, _ wc: Int, _ rows: UnsafePointer<Int32>, _ side: Int, _ shift: UnsafePointer<Int>, _ sign: Int, _ geometry: GridGeometry) {
                let rowLength = geometry.rowLength, paddedRow = geometry.paddedRow, halo = geometry.halo, supportCount = geometry.supportCount
                let channelStride = geometry.outerCount * paddedRow
                var j = 0
                while j &+ \(4 * L) <= rowLength {
                    var a0 = _load(out + j, as: \(V).self), a1 = _load(out + j + \(L), as: \(V).self)
                    var a2 = _load(out + j + \(2 * L), as: \(V).self), a3 = _load(out + j + \(3 * L), as: \(V).self)
                    for c in 0..<channels {
                        let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                        for s in 0..<supportCount {
                            let xr = pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s])
                            let wv = \(V)(repeating: wcp[s])
                            a0 += wv * _load(xr, as: \(V).self); a1 += wv * _load(xr + \(L), as: \(V).self)
                            a2 += wv * _load(xr + \(2 * L), as: \(V).self); a3 += wv * _load(xr + \(3 * L), as: \(V).self)
                        }
                    }
                    _store(out + j, a0); _store(out + j + \(L), a1); _store(out + j + \(2 * L), a2); _store(out + j + \(3 * L), a3)
                    j &+= \(4 * L)
                }
                while j &+ \(L) <= rowLength {
                    var a0 = _load(out + j, as: \(V).self)
                    for c in 0..<channels {
                        let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                        for s in 0..<supportCount {
                            a0 += \(V)(repeating: wcp[s]) * _load(pc + (Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]), as: \(V).self)
                        }
                    }
                    _store(out + j, a0)
                    j &+= \(L)
                }
                while j < rowLength {
                    var a: \(S) = 0
                    for c in 0..<channels {
                        let pc = padded + (c &* channelStride &+ halo &+ j), wcp = w + c &* wc
                        for s in 0..<supportCount { a += wcp[s] * pc[Int(rows[s &* 2 &+ side]) &* paddedRow &+ sign &* shift[s]] }
                    }
                    out[j] += a
                    j &+= 1
                }
            }

            /// Σ_j a[j] · b[j] for j < n.
            @inlinable @inline(__always) public static func _rowDot(_ a: UnsafePointer<\(S)>, _ b: UnsafePointer<\(S)>, _ n: Int) -> \(S) {
                var acc0 = \(V)(), acc1 = \(V)()
                var j = 0
                while j &+ \(2 * L) <= n {
                    acc0 += _load(a + j, as: \(V).self) * _load(b + j, as: \(V).self)
                    acc1 += _load(a + j + \(L), as: \(V).self) * _load(b + j + \(L), as: \(V).self)
                    j &+= \(2 * L)
                }
                var r = (acc0 + acc1).sum()
                while j < n { r += a[j] * b[j]; j &+= 1 }
                return r
            }

            /// Table group convolution: yt[(o, p)] += Σ_i Σ_q c[(o · mi + i) · n + table[p · n + q]] · xt[(i, q)].
            @inlinable public static func _tableConvolutionPanel(_ xt: UnsafePointer<\(S)>, _ yt: UnsafeMutablePointer<\(S)>, _ nv: Int, _ stride: Int, _ c: UnsafePointer<\(S)>, _ table: UnsafePointer<Int32>, _ n: Int, _ mi: Int, _ mo: Int) {
                for o in 0..<mo {
                    for p in 0..<n {
                        let yr = yt + (o &* n &+ p) &* stride, tr = table + p &* n
                        var v = 0
                        while v < nv {
                            let off = v &* \(L)
                            var a0 = \(V)()
                            for i in 0..<mi {
                                let w = c + (o &* mi &+ i) &* n, xi = xt + (i &* n &* stride &+ off)
                                for q in 0..<n { a0 += \(V)(repeating: w[Int(tr[q])]) * _load(xi + q &* stride, as: \(V).self) }
                            }
                            _store(yr + off, _load(yr + off, as: \(V).self) + a0)
                            v &+= 1
                        }
                    }
                }
            }
            """)
    }

    /// Where the runtime's copy of the primitives lives (a test keeps it equal to
    /// `runtimeSupportSource()`; regenerate with ARCHSYNTH_UPDATE_GOLDEN=1).
    public static let runtimeSupportPath = "Sources/ArchSynthRuntime/Generated/GeneratedLayerKernels.swift"

    /// The requirements of `GeneratedScalar` that each precision implements concretely.
    static let scalarRequirements = """
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
        """

    /// The runtime file: the `GeneratedScalar` protocol, its Float and Double conformances (the
    /// primitives above, `@inlinable` so they specialize in the importing file), generic
    /// forwarders on `GeneratedLayerKernels` so a layer's generic kernels call `_axpy(…)` for
    /// either precision, and the decoders of packed tables.
    public static func runtimeSupportSource() -> String {
        var p = CodePrinter()
        p.print("""
            // DO NOT EDIT: printed by archsynth's `KernelHelpers.runtimeSupportSource()`; CodeGenGoldenTests
            // keeps it up to date (regenerate with ARCHSYNTH_UPDATE_GOLDEN=1).

            /// A precision generated kernels run in (Float or Double): the vector primitives every
            /// strategy's kernels are made of, implemented concretely for each precision. A generated
            /// layer prints its kernels once, generic over `S: GeneratedScalar`; specialized in the
            /// importing module, each call below becomes the concrete code of its precision.
            """)
        p.block("public protocol GeneratedScalar: RuntimeScalar, BinaryFloatingPoint, SIMDScalar, Codable") { $0.print(scalarRequirements) }
        p.print()
        p.block("extension GeneratedScalar") { $0.print(vectorAccess) }
        for s in ScalarType.all {
            p.print()
            p.block("extension \(s.name): GeneratedScalar") { p in
                p.print("/// Scalars per 32-byte panel vector.")
                p.print("@inlinable public static var lanes: Int { \(s.lanes) }")
                p.print()
                printPanelHelpers(&p, s)
                p.print()
                printMatrixProduct(&p, s)
                p.print()
                printStrategyLoops(&p, s)
            }
        }
        p.print()
        p.print("""
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

            """)
        p.block("extension GeneratedLayerKernels") { p in
            p.print("""
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
                """)
        }
        p.print()
        p.print("/// The decoders of the packed tables generated files hold (`CodePrinter.printIntegers`/`printReals`")
        p.print("/// above `CodePrinter.packingThreshold` values), decoded once, at first use.")
        p.block("public enum GeneratedTables") { printUnpackingHelpers(&$0) }
        return p.content
    }

    static func printUnpackingHelpers(_ p: inout CodePrinter) {
        p.print("""
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
            """)
    }
}
