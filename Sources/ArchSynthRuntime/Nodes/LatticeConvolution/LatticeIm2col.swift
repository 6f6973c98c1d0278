/// The products behind `SteerableLatticeConvolution`: an implicit im2col of the stencil on the
/// padded, pixel-major grid, multiplied by the expanded kernel with a register-blocked product.
///
/// Conventions. A padded grid holds `width` values per pixel, pixel-major, with a periodic border
/// of the stencil's radius; `pointBase[p]` is the padded pixel of torus point p. The im2col row of
/// point p is the concatenation, over the stencil offsets s in lexicographic order, of the `width`
/// values at padded pixel pointBase[p] + shift(s): K_t = |S| · width values (800 for 8 regular C₄
/// fields on a 5×5 stencil). It is never stored. Offsets consecutive along the last axis (a *run*:
/// the 5 offsets of one row of a 5×5 stencil) are consecutive pixels, so a run's part of the row is
/// one contiguous stretch of run length · width values; the products read it in place.
///
/// - Correlation (`correlate`, the forward pass and the input gradient): C[p, ·] += im2col(p) · B
///   for every point p, B the (K_t × columns) expanded kernel. Points go 6 at a time (any 6,
///   across grid rows: each has its own base pointer); the 6 rows of the im2col block are copied
///   once per chunk of 128 to 255 values of K_t into a panel (broadcast vectors, as in
///   `GeneratedLayerKernels._gemm`) and multiplied with every 2-vector column block of B, the
///   6 × 2 vector block of C staying in registers over the chunk.
/// - Weight gradient (`weightGradient`): dWᵀ[n, k] += Σ_p dY[p, n] · im2col(p)[k], one grid row
///   (consecutive points, so the im2col values of a run move by `width` per point) and 6 rows n at
///   a time: the panel is dY's 6 columns over the row's points, B the run's stretch read in place.
///
/// The input gradient is the correlation of the padded output gradient with the negated stencil
/// and the transposed kernels, dX(z) = Σ_s W(s)ᵀ dY(z − s) (no scatter, no border to fold).
/// - Complexity: O(points · K_t · columns) per sample; memory O(padded points · width + 6 · 255)
///   besides the output (nothing of size points · K_t).
struct LatticeStencilPlan: Sendable {
    /// Offsets consecutive along the last axis: their first position in lexicographic order, their
    /// count and the padded-pixel shift of the first.
    struct Run: Sendable {
        let shift: Int
        let position: Int
        let count: Int
    }

    /// A stretch of at most 128 values of a run's contiguous part: the run's pixel shift, the first
    /// value within the run, the length and its first index k in the im2col row.
    struct Piece: Sendable {
        let shift: Int
        let offset: Int
        let length: Int
        let k: Int
    }

    /// Values per padded pixel.
    let width: Int
    /// The stencil index of each lexicographic position.
    let order: [Int]
    /// The lexicographic position of each stencil index.
    let position: [Int]
    let runs: [Run]
    let pieces: [Piece]
    /// Ranges of `pieces`, each 128 to 255 values of K_t unless the whole row is shorter (the
    /// panel's depth: 6 rows of it stay in the level-1 cache).
    let chunks: [Range<Int>]
    /// K_t = |S| · width.
    var depth: Int { order.count * width }
    /// The deepest chunk (the panel's capacity in entries per row).
    let maxChunk: Int

    /// - Parameters:
    ///   - offsets: the stencil (any order; each has the grid's number of coordinates).
    ///   - paddedSides: the padded grid's sides (pixel shifts are row-major in them).
    init(offsets: [[Int]], paddedSides: [Int], width: Int) {
        self.width = width
        order = offsets.indices.sorted { offsets[$0].lexicographicallyPrecedes(offsets[$1]) }
        var position = [Int](repeating: 0, count: offsets.count)
        for (q, s) in order.enumerated() { position[s] = q }
        self.position = position
        var strides = [Int](repeating: 1, count: paddedSides.count)
        for k in stride(from: paddedSides.count - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * paddedSides[k + 1] }
        func shift(_ s: [Int]) -> Int { zip(s, strides).reduce(0) { $0 + $1.0 * $1.1 } }
        var runs: [Run] = []
        var q = 0
        while q < order.count {
            let first = offsets[order[q]]
            var n = 1
            while q + n < order.count {
                let next = offsets[order[q + n]]
                guard next.dropLast() == first.dropLast(), next.last! == first.last! + n else { break }
                n += 1
            }
            runs.append(Run(shift: shift(first), position: q, count: n))
            q += n
        }
        self.runs = runs
        var pieces: [Piece] = []
        for r in runs {
            var o = 0
            let length = r.count * width
            while o < length {
                let l = Swift.min(128, length - o)
                pieces.append(Piece(shift: r.shift, offset: o, length: l, k: r.position * width + o))
                o += l
            }
        }
        self.pieces = pieces
        var chunks: [Range<Int>] = []
        var start = 0, depth = 0, deepest = 0
        for (i, p) in pieces.enumerated() {
            depth += p.length
            if depth >= 128 || i == pieces.count - 1 {
                chunks.append(start..<(i + 1))
                deepest = Swift.max(deepest, depth)
                start = i + 1
                depth = 0
            }
        }
        self.chunks = chunks
        maxChunk = deepest
    }
}

extension GeneratedScalar {
    /// Scalars per panel entry: a pre-broadcast vector (portable build: the inner loop then only
    /// loads) or one scalar broadcast from memory (`ARCHSYNTH_WIDE_SIMD`: one instruction with AVX).
    @inline(__always) static var _latticeEntry: Int {
        #if ARCHSYNTH_WIDE_SIMD
            1
        #else
            _ProductVector.scalarCount
        #endif
    }

    @inline(__always) static func _latticePut(_ x: Self, _ p: UnsafeMutablePointer<Self>) {
        #if ARCHSYNTH_WIDE_SIMD
            p[0] = x
        #else
            _latticeStore(p, _ProductVector(repeating: x))
        #endif
    }

    @inline(__always) static func _latticeGet(_ p: UnsafePointer<Self>) -> _ProductVector {
        #if ARCHSYNTH_WIDE_SIMD
            _ProductVector(repeating: p[0])
        #else
            _latticeLoad(p)
        #endif
    }

    /// An unaligned load of one product vector (the stdlib's own, so it specializes in any file).
    @inline(__always) static func _latticeLoad(_ p: UnsafePointer<Self>) -> _ProductVector {
        UnsafeRawPointer(p).loadUnaligned(as: _ProductVector.self)
    }

    @inline(__always) static func _latticeStore(_ p: UnsafeMutablePointer<Self>, _ v: _ProductVector) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: _ProductVector.self)
    }

    /// acc + a · b: fused under `ARCHSYNTH_WIDE_SIMD`, a multiply and an add otherwise (as
    /// `GeneratedScalar._multiplyAdd`).
    @inline(__always) static func _latticeMultiplyAdd(_ acc: _ProductVector, _ a: _ProductVector, _ b: _ProductVector) -> _ProductVector {
        #if ARCHSYNTH_WIDE_SIMD
            acc.addingProduct(a, b)
        #else
            acc + a * b
        #endif
    }

    /// C[6 × 2 vectors] += panel (k × 6 entries) · B (k rows, leading dimension ldb); the 12
    /// vectors of C stay in registers over k.
    @inline(__always) static func _latticeBlock6x2(
        _ k: Int, _ panel: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int
    ) {
        typealias V = _ProductVector
        let h = V.scalarCount, e = _latticeEntry
        var c00 = _latticeLoad(c), c01 = _latticeLoad(c + h)
        var c10 = _latticeLoad(c + ldc), c11 = _latticeLoad(c + ldc + h)
        var c20 = _latticeLoad(c + 2 &* ldc), c21 = _latticeLoad(c + 2 &* ldc + h)
        var c30 = _latticeLoad(c + 3 &* ldc), c31 = _latticeLoad(c + 3 &* ldc + h)
        var c40 = _latticeLoad(c + 4 &* ldc), c41 = _latticeLoad(c + 4 &* ldc + h)
        var c50 = _latticeLoad(c + 5 &* ldc), c51 = _latticeLoad(c + 5 &* ldc + h)
        var bp = b, xp = panel
        for _ in 0..<k {
            let b0 = _latticeLoad(bp), b1 = _latticeLoad(bp + h)
            var x = _latticeGet(xp)
            c00 = _latticeMultiplyAdd(c00, x, b0); c01 = _latticeMultiplyAdd(c01, x, b1)
            x = _latticeGet(xp + e)
            c10 = _latticeMultiplyAdd(c10, x, b0); c11 = _latticeMultiplyAdd(c11, x, b1)
            x = _latticeGet(xp + 2 &* e)
            c20 = _latticeMultiplyAdd(c20, x, b0); c21 = _latticeMultiplyAdd(c21, x, b1)
            x = _latticeGet(xp + 3 &* e)
            c30 = _latticeMultiplyAdd(c30, x, b0); c31 = _latticeMultiplyAdd(c31, x, b1)
            x = _latticeGet(xp + 4 &* e)
            c40 = _latticeMultiplyAdd(c40, x, b0); c41 = _latticeMultiplyAdd(c41, x, b1)
            x = _latticeGet(xp + 5 &* e)
            c50 = _latticeMultiplyAdd(c50, x, b0); c51 = _latticeMultiplyAdd(c51, x, b1)
            bp += ldb; xp += 6 &* e
        }
        _latticeStore(c, c00); _latticeStore(c + h, c01)
        _latticeStore(c + ldc, c10); _latticeStore(c + ldc + h, c11)
        _latticeStore(c + 2 &* ldc, c20); _latticeStore(c + 2 &* ldc + h, c21)
        _latticeStore(c + 3 &* ldc, c30); _latticeStore(c + 3 &* ldc + h, c31)
        _latticeStore(c + 4 &* ldc, c40); _latticeStore(c + 4 &* ldc + h, c41)
        _latticeStore(c + 5 &* ldc, c50); _latticeStore(c + 5 &* ldc + h, c51)
    }

    /// C[6 × 1 vector] += panel · B (as `_latticeBlock6x2`, one vector of columns).
    @inline(__always) static func _latticeBlock6x1(
        _ k: Int, _ panel: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int
    ) {
        typealias V = _ProductVector
        let e = _latticeEntry
        var c0 = _latticeLoad(c), c1 = _latticeLoad(c + ldc), c2 = _latticeLoad(c + 2 &* ldc)
        var c3 = _latticeLoad(c + 3 &* ldc), c4 = _latticeLoad(c + 4 &* ldc), c5 = _latticeLoad(c + 5 &* ldc)
        var bp = b, xp = panel
        for _ in 0..<k {
            let b0 = _latticeLoad(bp)
            c0 = _latticeMultiplyAdd(c0, _latticeGet(xp), b0); c1 = _latticeMultiplyAdd(c1, _latticeGet(xp + e), b0)
            c2 = _latticeMultiplyAdd(c2, _latticeGet(xp + 2 &* e), b0); c3 = _latticeMultiplyAdd(c3, _latticeGet(xp + 3 &* e), b0)
            c4 = _latticeMultiplyAdd(c4, _latticeGet(xp + 4 &* e), b0); c5 = _latticeMultiplyAdd(c5, _latticeGet(xp + 5 &* e), b0)
            bp += ldb; xp += 6 &* e
        }
        _latticeStore(c, c0); _latticeStore(c + ldc, c1); _latticeStore(c + 2 &* ldc, c2)
        _latticeStore(c + 3 &* ldc, c3); _latticeStore(c + 4 &* ldc, c4); _latticeStore(c + 5 &* ldc, c5)
    }

    /// C[6 × 1] += panel · B for one column (the columns left of a run that is not a whole number
    /// of vectors wide).
    @inline(__always) static func _latticeBlock6x1Scalar(
        _ k: Int, _ panel: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int
    ) {
        let e = _latticeEntry
        for r in 0..<6 {
            var acc: Self = 0
            var bp = b, xp = panel + r &* e
            for _ in 0..<k { acc += xp[0] * bp[0]; bp += ldb; xp += 6 &* e }
            c[r &* ldc] += acc
        }
    }
}

/// The precisions of the lattice products. Each conformance's witnesses (the defaults below) call
/// the generic bodies of `LatticeIm2col` from this file, where they are specialized to concrete
/// vector code for Float and Double; callers in other files (compiled without whole-module
/// optimization, as `swiftc -O` of many files is) reach them through one witness call per product
/// instead of unspecialized generic code.
protocol LatticeIm2colScalar: GeneratedScalar {
    static func _latticeCorrelate(
        _ input: UnsafePointer<Self>, _ plan: LatticeStencilPlan, _ pointBase: UnsafePointer<Int32>, _ blocks: Int,
        _ weights: UnsafePointer<Self>, _ columns: Int, _ out: UnsafeMutablePointer<Self>, _ panel: UnsafeMutablePointer<Self>)
    static func _latticeWeightGradient(
        _ input: UnsafePointer<Self>, _ plan: LatticeStencilPlan, _ gradient: UnsafePointer<Self>, _ outputs: Int, _ pointBase: UnsafePointer<Int32>,
        _ points: Int, _ rowLength: Int, _ result: UnsafeMutablePointer<Self>, _ panel: UnsafeMutablePointer<Self>)
}

extension LatticeIm2colScalar {
    static func _latticeCorrelate(
        _ input: UnsafePointer<Self>, _ plan: LatticeStencilPlan, _ pointBase: UnsafePointer<Int32>, _ blocks: Int,
        _ weights: UnsafePointer<Self>, _ columns: Int, _ out: UnsafeMutablePointer<Self>, _ panel: UnsafeMutablePointer<Self>
    ) { LatticeIm2col.correlate(input, plan, pointBase, blocks, weights, columns, out, panel) }
    static func _latticeWeightGradient(
        _ input: UnsafePointer<Self>, _ plan: LatticeStencilPlan, _ gradient: UnsafePointer<Self>, _ outputs: Int, _ pointBase: UnsafePointer<Int32>,
        _ points: Int, _ rowLength: Int, _ result: UnsafeMutablePointer<Self>, _ panel: UnsafeMutablePointer<Self>
    ) { LatticeIm2col.weightGradient(input, plan, gradient, outputs, pointBase, points, rowLength, result, panel) }
}

extension Float: LatticeIm2colScalar {}
extension Double: LatticeIm2colScalar {}

enum LatticeIm2col {
    /// out[p, ·] += im2col(p) · B for the points of `blocks` · 6 entries of `pointBase`.
    /// - Parameters:
    ///   - input: the padded grid (`plan.width` values per pixel).
    ///   - weights: B, `plan.depth` rows × `columns` (a multiple of the product vector's width).
    ///   - out: `blocks` · 6 rows × `columns`.
    ///   - panel: room for `plan.maxChunk` · 6 entries.
    static func correlate<S: GeneratedScalar>(
        _ input: UnsafePointer<S>, _ plan: LatticeStencilPlan, _ pointBase: UnsafePointer<Int32>, _ blocks: Int,
        _ weights: UnsafePointer<S>, _ columns: Int, _ out: UnsafeMutablePointer<S>, _ panel: UnsafeMutablePointer<S>
    ) {
        let h = S._ProductVector.scalarCount, w = 2 &* h, e = S._latticeEntry, width = plan.width
        precondition(columns % h == 0, "LatticeIm2col.correlate: columns must be whole vectors")
        plan.pieces.withUnsafeBufferPointer { pieces in
            for chunk in plan.chunks {
                let kStart = pieces[chunk.lowerBound].k
                var depth = 0
                for i in chunk { depth &+= pieces[i].length }
                let b = weights + kStart &* columns
                for block in 0..<blocks {
                    let base = pointBase + block &* 6
                    let r0 = input + Int(base[0]) &* width, r1 = input + Int(base[1]) &* width, r2 = input + Int(base[2]) &* width
                    let r3 = input + Int(base[3]) &* width, r4 = input + Int(base[4]) &* width, r5 = input + Int(base[5]) &* width
                    var pp = panel
                    for i in chunk {
                        let piece = pieces[i]
                        let o = piece.shift &* width &+ piece.offset
                        let a0 = r0 + o, a1 = r1 + o, a2 = r2 + o, a3 = r3 + o, a4 = r4 + o, a5 = r5 + o
                        for t in 0..<piece.length {
                            S._latticePut(a0[t], pp); S._latticePut(a1[t], pp + e); S._latticePut(a2[t], pp + 2 &* e)
                            S._latticePut(a3[t], pp + 3 &* e); S._latticePut(a4[t], pp + 4 &* e); S._latticePut(a5[t], pp + 5 &* e)
                            pp += 6 &* e
                        }
                    }
                    let c = out + block &* 6 &* columns
                    var j = 0
                    while j &+ w <= columns {
                        S._latticeBlock6x2(depth, panel, b + j, columns, c + j, columns)
                        j &+= w
                    }
                    if j < columns { S._latticeBlock6x1(depth, panel, b + j, columns, c + j, columns) }
                }
            }
        }
    }

    /// dWᵀ[n, k] += Σ_p dY[p, n] · im2col(p)[k] over the grid rows (each `rowLength` consecutive
    /// points starting at a multiple of it).
    /// - Parameters:
    ///   - input: the padded input (`plan.width` values per pixel).
    ///   - gradient: the padded output gradient (`outputs` values per pixel).
    ///   - result: dWᵀ, ⌈outputs / 6⌉ · 6 rows × `plan.depth` (rows past `outputs` get zeros).
    ///   - panel: room for `rowLength` · 6 entries.
    static func weightGradient<S: GeneratedScalar>(
        _ input: UnsafePointer<S>, _ plan: LatticeStencilPlan, _ gradient: UnsafePointer<S>, _ outputs: Int, _ pointBase: UnsafePointer<Int32>,
        _ points: Int, _ rowLength: Int, _ result: UnsafeMutablePointer<S>, _ panel: UnsafeMutablePointer<S>
    ) {
        let h = S._ProductVector.scalarCount, w = 2 &* h, e = S._latticeEntry, width = plan.width, depth = plan.depth
        plan.runs.withUnsafeBufferPointer { runs in
            for row in stride(from: 0, to: points, by: rowLength) {
                let base = Int(pointBase[row])
                for n0 in stride(from: 0, to: outputs, by: 6) {
                    var pp = panel
                    for x in 0..<rowLength {
                        let g = gradient + ((base &+ x) &* outputs &+ n0)
                        for r in 0..<6 { S._latticePut(n0 &+ r < outputs ? g[r] : 0, pp + r &* e) }
                        pp += 6 &* e
                    }
                    let c = result + n0 &* depth
                    for run in runs {
                        let b = input + (base &+ run.shift) &* width, length = run.count &* width, ck = c + run.position &* width
                        var t = 0
                        while t &+ w <= length {
                            S._latticeBlock6x2(rowLength, panel, b + t, width, ck + t, depth)
                            t &+= w
                        }
                        if t &+ h <= length {
                            S._latticeBlock6x1(rowLength, panel, b + t, width, ck + t, depth)
                            t &+= h
                        }
                        while t < length {
                            S._latticeBlock6x1Scalar(rowLength, panel, b + t, width, ck + t, depth)
                            t &+= 1
                        }
                    }
                }
            }
        }
    }
}
