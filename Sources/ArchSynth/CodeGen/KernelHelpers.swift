/// Helpers printed into generated layers, shared by the strategies: unaligned vector loads
/// and stores on raw pointers, the panel layout (feature-major blocks of samples, so inner loops
/// run over contiguous samples) and the register-blocked matrix product. Everything works on
/// raw pointers (no bounds checks, no copies) and uses only the standard library's SIMD types.
public enum KernelHelpers {
    /// Samples per panel row: 8 vectors of `lanes`.
    static func panelSamples(_ s: ScalarType) -> Int { 8 * s.lanes }

    /// Samples per panel for a kernel that sweeps `valuesPerSample` rows of the panel many times
    /// (the closed form: input, output and pooled rows, once per diagram): as many whole vectors
    /// as keep the panel within 48 KiB (a level-1 data cache), at least one vector, at most
    /// `panelSamples`. S_16 natural² (2,456 bytes a sample): 16 samples instead of 64, forward
    /// 121–129 µs → 36–48 µs for a batch of 64 in one measurement; the 64-sample panel (157 KiB)
    /// was streamed from L2 once per diagram.
    static func panelSamples(_ s: ScalarType, valuesPerSample: Int) -> Int {
        let bytes = max(1, valuesPerSample) * s.size
        let vectors = (48 * 1024) / bytes / s.lanes
        return min(panelSamples(s), max(1, vectors) * s.lanes)
    }

    /// `_load`/`_store` (precision-independent, generic, inlined and specialized).
    static func printVectorAccess(_ p: inout CodePrinter) {
        if p.helpersFromRuntime { return }
        p.print("""
            // MARK: Kernel helpers (raw pointers, unaligned SIMD loads and stores)
            @inline(__always) static func _load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as: V.Type) -> V {
                UnsafeRawPointer(p).loadUnaligned(as: V.self)
            }
            @inline(__always) static func _store<V: SIMD>(_ p: UnsafeMutablePointer<V.Scalar>, _ v: V) {
                UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
            }
            """)
    }

    /// Panel helpers for one precision: pack (transpose rows into a panel), unpack-add, and
    /// row operations over `nv` vectors.
    static func printPanelHelpers(_ p: inout CodePrinter, _ s: ScalarType) {
        if p.helpersFromRuntime { return }
        let S = s.name, V = s.vector, L = s.lanes
        p.print("""
            /// Panel layout: feature k of sample j at panel[k · stride + j], stride = nv · \(L); lanes past
            /// `samples` are zero.
            @inline(__always) static func _pack(_ x: UnsafePointer<\(S)>, _ d: Int, _ samples: Int, _ stride: Int, _ panel: UnsafeMutablePointer<\(S)>) {
                for j in 0..<samples {
                    let row = x + j &* d
                    for k in 0..<d { panel[k &* stride &+ j] = row[k] }
                }
                if samples < stride {
                    for k in 0..<d { for j in samples..<stride { panel[k &* stride &+ j] = 0 } }
                }
            }
            @inline(__always) static func _unpackAdd(_ panel: UnsafePointer<\(S)>, _ d: Int, _ samples: Int, _ stride: Int, _ y: UnsafeMutablePointer<\(S)>) {
                for j in 0..<samples {
                    let row = y + j &* d
                    for k in 0..<d { row[k] += panel[k &* stride &+ j] }
                }
            }
            /// y += w · x over nv vectors.
            @inline(__always) static func _axpy(_ w: \(S), _ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ nv: Int) {
                let wv = \(V)(repeating: w)
                var i = 0
                for _ in 0..<nv {
                    _store(y + i, _load(y + i, as: \(V).self) + wv * _load(x + i, as: \(V).self))
                    i &+= \(L)
                }
            }
            /// y += x over nv vectors.
            @inline(__always) static func _add(_ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ nv: Int) {
                var i = 0
                for _ in 0..<nv {
                    _store(y + i, _load(y + i, as: \(V).self) + _load(x + i, as: \(V).self))
                    i &+= \(L)
                }
            }
            /// Σ x · y over nv vectors.
            @inline(__always) static func _dot(_ x: UnsafePointer<\(S)>, _ y: UnsafePointer<\(S)>, _ nv: Int) -> \(S) {
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

    /// The panel driver: `_forwardKernel` / `_backwardKernel` pack up to `samples` (default 8·lanes) at a
    /// time and call the strategy's `_forwardPanel` / `_backwardPanel`.
    static func printPanelDrivers(_ p: inout CodePrinter, _ s: ScalarType, temporaries: Int, samples: Int? = nil) {
        let S = s.name, L = s.lanes, P = samples ?? panelSamples(s)
        p.print("""
            static func _forwardKernel(_ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ count: Int, _ c: UnsafePointer<\(S)>) {
                let width = min(\(P), count)
                let maxStride = (width + \(L - 1)) / \(L) * \(L)
                let xt = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, inputDimension * maxStride))
                let yt = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, outputDimension * maxStride))
                let tmp = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, \(temporaries) * maxStride))
                defer { xt.deallocate(); yt.deallocate(); tmp.deallocate() }
                var n0 = 0
                while n0 < count {
                    let samples = min(\(P), count - n0)
                    let nv = (samples + \(L - 1)) / \(L), stride = nv * \(L)
                    _pack(x + n0 * inputDimension, inputDimension, samples, stride, xt)
                    yt.initialize(repeating: 0, count: outputDimension * stride)
                    _forwardPanel(xt, yt, nv, stride, c, tmp)
                    _unpackAdd(yt, outputDimension, samples, stride, y + n0 * outputDimension)
                    n0 += samples
                }
            }

            static func _backwardKernel(_ x: UnsafePointer<\(S)>, _ dy: UnsafePointer<\(S)>, _ count: Int, _ c: UnsafePointer<\(S)>, _ dc: UnsafeMutablePointer<\(S)>, _ dx: UnsafeMutablePointer<\(S)>) {
                let width = min(\(P), count)
                let maxStride = (width + \(L - 1)) / \(L) * \(L)
                let xt = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, inputDimension * maxStride))
                let dyt = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, outputDimension * maxStride))
                let dxt = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, inputDimension * maxStride))
                let tmp = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, \(temporaries) * maxStride))
                defer { xt.deallocate(); dyt.deallocate(); dxt.deallocate(); tmp.deallocate() }
                var n0 = 0
                while n0 < count {
                    let samples = min(\(P), count - n0)
                    let nv = (samples + \(L - 1)) / \(L), stride = nv * \(L)
                    _pack(x + n0 * inputDimension, inputDimension, samples, stride, xt)
                    _pack(dy + n0 * outputDimension, outputDimension, samples, stride, dyt)
                    dxt.initialize(repeating: 0, count: inputDimension * stride)
                    _backwardPanel(xt, dyt, nv, stride, c, dc, dxt, tmp)
                    _unpackAdd(dxt, inputDimension, samples, stride, dx + n0 * inputDimension)
                    n0 += samples
                }
            }
            """)
    }

    /// C[m × n] += A · B with A[i, p] at a[i · am + p · ak], B row-major (ldb), C row-major
    /// (ldc): 6 rows × 2 half vectors of registers per step, A pre-broadcast into a panel.
    static func printMatrixProduct(_ p: inout CodePrinter, _ s: ScalarType) {
        if p.helpersFromRuntime { return }
        let S = s.name, H = s.half, h = s.halfLanes, w = 2 * s.halfLanes
        let rows = 0..<6
        func rowPtr(_ r: Int) -> String { r == 0 ? "cp" : r == 1 ? "cp + ldc" : "cp + \(r) &* ldc" }
        func aAt(_ r: Int) -> String { r == 0 ? "ap[0]" : r == 1 ? "ap[am]" : "ap[\(r) &* am]" }
        p.print("/// C[m × n] += A · B: A[i, p] = a[i · am + p · ak], B and C row-major with leading dimensions ldb, ldc.")
        p.print("/// Register-blocked: 6 rows × \(w) columns of C stay in 12 \(H) registers over the whole k loop.")
        p.print("/// The 6 rows of A are first copied out already broadcast (one \(H) per entry, 6 · k of them),")
        p.print("/// so the inner loop only loads and multiply-adds: without FMA or wide vectors (portable `-O`),")
        p.print("/// the shuffles that broadcast A were what kept it below the machine's SSE throughput.")
        p.block("static func _gemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<\(S)>, _ am: Int, _ ak: Int, _ b: UnsafePointer<\(S)>, _ ldb: Int, _ c: UnsafeMutablePointer<\(S)>, _ ldc: Int)") { p in
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
    /// Where the runtime's copy of the helpers lives (a test keeps it equal to
    /// `runtimeSupportSource()`; regenerate with ARCHSYNTH_UPDATE_GOLDEN=1).
    public static let runtimeSupportPath = "Sources/ArchSynthRuntime/Generated/GeneratedLayerKernels.swift"

    /// The helpers printed into every self-contained generated layer, as the runtime's
    /// `GeneratedLayerKernels` protocol extension (public, `@inlinable`, so they specialize in the
    /// importing file exactly as the printed copies do). Layers nested in generated networks
    /// (which import the runtime) conform to it instead of carrying their own copies. Same bytes
    /// as the printed helpers apart from the declaration modifiers.
    public static func runtimeSupportSource() -> String {
        var helpers = CodePrinter()
        helpers.indent()
        printVectorAccess(&helpers)
        for s in ScalarType.all {
            helpers.print()
            helpers.print("// MARK: Panel helpers (\(s.name))")
            printPanelHelpers(&helpers, s)
            helpers.print()
            printMatrixProduct(&helpers, s)
        }
        helpers.print()
        helpers.printUnpackingHelpers()
        let body = helpers.content
            .replacing("@inline(__always) static func ", with: "@inlinable @inline(__always) public static func ")
            .replacing("\n    static func ", with: "\n    @inlinable public static func ")
        return """
            // DO NOT EDIT: printed by archsynth's `KernelHelpers.runtimeSupportSource()` (the same helpers
            // every self-contained generated layer carries); CodeGenGoldenTests keeps it up to date.

            /// The kernel helpers of generated layers (unaligned SIMD loads and stores, the panel layout,
            /// the register-blocked matrix product, the decoders of packed tables). A self-contained
            /// generated layer prints its own copy; a layer nested in a generated network, which imports
            /// this runtime, declares `GeneratedLayerKernels` and uses these instead.
            public protocol GeneratedLayerKernels {}

            extension GeneratedLayerKernels {
            \(body)}

            """
    }
}
