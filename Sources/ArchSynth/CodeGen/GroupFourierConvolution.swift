import GroupTheory

/// The group Fourier transform of a table group convolution (`GroupConvolutionStructure.table`),
/// built once at generation time, so that the layer runs in the Fourier basis (issue 23).
///
/// Conventions. Input point q of a block is the element b_q with π_in(b_q)(0) = q, output point p
/// the element a_p with π_out(a_p)(0) = p (0-based points, column vectors, ρ(gh) = ρ(g)ρ(h)). The
/// table gives W[p, q] = θ(h) with b_h = a_p⁻¹ b_q, i.e. y(a) = Σ_b θ(a⁻¹b) x(b). With the
/// transform f̂(ρ) = Σ_g f(g) ρ(g) over real orthogonal irreducible ρ this reads
/// ŷ(ρ) = x̂(ρ) Θ̂(ρ)ᵀ, Θ̂(ρ) = Σ_k θ(k) ρ(k) (substitute k = a⁻¹b: ρ(a) = ρ(b) ρ(k)ᵀ); with channels
/// ŷ_o(ρ) = Σ_i x̂_i(ρ) Θ̂_{o,i}(ρ)ᵀ.
///
/// When every real irreducible type is absolutely irreducible (endomorphism dimension 1, so
/// Σ d_ρ² = |G|), F f = (√(d_ρ/|G|) f̂(ρ))_ρ is an orthogonal |G| × |G| change of basis (Schur
/// orthogonality) and W = F_outᵀ (⊕_ρ right multiplication by Θ̂(ρ)ᵀ) F_in. Coordinates of F f:
/// type ρ at `offsets[ρ]`, entry (r, s) of its d × d block at offsets[ρ] + r·d + s.
///
/// The matrices ρ(g) come from `IsotypicDecomposition` of block 0's regular permutation
/// representation (`irreducibleImages`, checked orthogonal), spread over the points by a
/// breadth-first search over the input action's generators: ρ(b_{π_in(s) q}) = τ̂(s) ρ(b_q).
/// Output points reuse them: a_p = b_h for the h with table[p · |G| + h] = 0 (b_0 is the identity).
/// Everything is checked in Float64 against the table's W for a random θ before it is used.
///
/// Cost a sample: m_in |G|² + m_out |G|² (the transforms) + m_in m_out Σ d_ρ³ (the blocks)
/// multiply–adds, against m_in m_out |G|² for W: D_8 (|G| = 16, Σ d³ = 28) 4 → 4 channels,
/// 1024 + 1024 + 448 = 2496 against 4096.
///
/// ```swift
/// let f = try GroupFourierTransform(structure: s, inputGenerators: g)   // throws for A_4 (complex types)
/// f.multiplyAdds(inputChannels: 4, outputChannels: 4)   // 2496 for D_8
/// ```
struct GroupFourierTransform: Sendable, Equatable {
    let order: Int
    /// d_ρ for each irreducible type, in the decomposition's order.
    let dimensions: [Int]
    /// Σ_{ρ' < ρ} d_ρ'²: where type ρ's block starts in the transform coordinates.
    let offsets: [Int]
    /// images[h · |G| + offsets[ρ] + r · d + s] = ρ(b_h)[r, s] for input point h.
    let images: [Double]
    /// outputElement[p] = h with a_p = b_h.
    let outputElement: [Int]

    /// Largest |entry| of W(θ)_Fourier − W(θ)_table accepted by the generation-time check,
    /// relative to max |θ|.
    static let tolerance = 1e-10

    /// Why a table convolution has no Fourier form here (the layer keeps the product with W).
    enum Unavailable: Error, CustomStringConvertible {
        case notTable
        /// Some real irreducible type has endomorphism dimension 2 or 4 (complex or quaternionic).
        case notAbsolutelyIrreducible(endomorphismDimension: Int)
        /// The decomposition or a generation-time check failed (never emit a wrong layer).
        case checkFailed(String)

        var description: String {
            switch self {
            case .notTable: "not a table convolution"
            case let .notAbsolutelyIrreducible(e):
                "an irreducible type is not absolutely irreducible (endomorphism dimension \(e): complex or quaternionic, as for C_n with n ≥ 3), so the real Fourier form does not apply"
            case let .checkFailed(what): "the Fourier form failed its generation-time check (\(what))"
            }
        }
    }

    /// The transform of a table structure; throws when some type is not absolutely irreducible
    /// or a check fails.
    /// - Complexity: O(|G|³) (the decomposition and the check).
    init(structure: GroupConvolutionStructure, inputGenerators: [[Int]]) throws(Unavailable) {
        guard case let .table(table) = structure.multiplication else { throw .notTable }
        let n = structure.order
        let permutations = inputGenerators.map { Permutation(images: $0.map { Int32($0) }) }
        let decomposition: IsotypicDecomposition
        do {
            decomposition = try IsotypicDecomposition(
                representation: Representation(permutations: permutations), group: nil, options: RealSolverOptions())
        } catch {
            throw .checkFailed("decomposition: \(error)")
        }
        guard decomposition.orthogonalizer == nil else { throw .checkFailed("the regular action was not orthogonal") }
        var dimensions: [Int] = [], offsets: [Int] = [], offset = 0
        for c in decomposition.components {
            let d = c.irreducibleDimension
            guard c.endomorphismDimension == 1 else { throw .notAbsolutelyIrreducible(endomorphismDimension: c.endomorphismDimension) }
            guard c.multiplicity == d else { throw .checkFailed("a type of dimension \(d) with multiplicity \(c.multiplicity) in the regular representation") }
            // τ̂(s) orthogonal: τ̂ τ̂ᵀ = I.
            for m in c.irreducibleImages where (m * m.transposed - Matrix.identity(d)).maxAbs > Self.tolerance {
                throw .checkFailed("an irreducible image is not orthogonal")
            }
            dimensions.append(d)
            offsets.append(offset)
            offset += d * d
        }
        guard offset == n else { throw .checkFailed("Σ d² = \(offset) ≠ |G| = \(n)") }
        // ρ(b_q) for every input point by breadth-first search; images[q · n + …].
        var images = [Double](repeating: 0, count: n * n)
        var seen = [Bool](repeating: false, count: n)
        for (t, d) in dimensions.enumerated() { for r in 0..<d { images[offsets[t] + r * d + r] = 1 } }
        seen[0] = true
        var queue = [0], k = 0
        while k < queue.count {
            let q = queue[k]
            k += 1
            for (s, g) in inputGenerators.enumerated() where !seen[g[q]] {
                let target = g[q]
                seen[target] = true
                queue.append(target)
                for (t, d) in dimensions.enumerated() {
                    let tau = decomposition.components[t].irreducibleImages[s], o = offsets[t]
                    for r in 0..<d { for c in 0..<d {
                        var acc = 0.0
                        for j in 0..<d { acc += tau[r, j] * images[q * n + o + j * d + c] }
                        images[target * n + o + r * d + c] = acc
                    } }
                }
            }
        }
        guard queue.count == n else { throw .checkFailed("the action is not transitive") }
        var outputElement = [Int](repeating: -1, count: n)
        for p in 0..<n { for h in 0..<n where table[p * n + h] == 0 { outputElement[p] = h } }
        guard !outputElement.contains(-1) else { throw .checkFailed("an output point has no element") }
        self.order = n
        self.dimensions = dimensions
        self.offsets = offsets
        self.images = images
        self.outputElement = outputElement
        // The check: one channel pair, a seeded random θ, against W[p, q] = θ(table[p · n + q]).
        var rng = SplitMix64(seed: 0xF0_2D1E)
        let theta = (0..<n).map { _ in rng.nextUnit() * 2 - 1 }
        let w = weightMatrix(theta: theta, inputChannels: 1, outputChannels: 1)
        for p in 0..<n {
            for q in 0..<n where abs(w[p, q] - theta[Int(table[p * n + q])]) > Self.tolerance {
                throw .checkFailed("W[\(p), \(q)] differs from the table's by \(abs(w[p, q] - theta[Int(table[p * n + q])]))")
            }
        }
    }

    /// Σ_ρ d_ρ³.
    var cubeSum: Int { dimensions.reduce(0) { $0 + $1 * $1 * $1 } }

    /// Multiply–adds a sample of the Fourier form: m_in |G|² + m_out |G|² + m_in m_out Σ d³.
    func multiplyAdds(inputChannels mi: Int, outputChannels mo: Int) -> Int {
        (mi + mo) * order * order + mi * mo * cubeSum
    }

    /// Whether the Fourier form costs at most 3/4 of W's m_in m_out |G|² multiply–adds.
    func isCheaper(inputChannels mi: Int, outputChannels mo: Int) -> Bool {
        4 * multiplyAdds(inputChannels: mi, outputChannels: mo) <= 3 * mi * mo * order * order
    }

    /// F[(ρ, r, s), point] for the input (`output` false) or output points: √(d/|G|) ρ(element)[r, s].
    func transform(output: Bool) -> Matrix {
        let n = order
        var f = Matrix(rows: n, columns: n)
        for point in 0..<n {
            let h = output ? outputElement[point] : point
            for (t, d) in dimensions.enumerated() {
                let scale = (Double(d) / Double(n)).squareRoot()
                for k in 0..<(d * d) { f[offsets[t] + k, point] = scale * images[h * n + offsets[t] + k] }
            }
        }
        return f
    }

    /// W (row-major (m_out|G|) × (m_in|G|)) of the Fourier form for θ[(o · m_in + i) · |G| + h]:
    /// W[(o, p), (i, q)] = Σ_ρ Σ_{r,s,t} F_out[(ρ, r, s), p] Θ̂_{o,i}(ρ)[s, t] F_in[(ρ, r, t), q].
    /// - Complexity: O(m_in m_out |G|³).
    func weightMatrix(theta: [Double], inputChannels mi: Int, outputChannels mo: Int) -> Matrix {
        let n = order, fIn = transform(output: false), fOut = transform(output: true)
        var w = Matrix(rows: mo * n, columns: mi * n)
        for o in 0..<mo {
            for i in 0..<mi {
                // T = (⊕ right multiplication by Θ̂ᵀ) F_in, then W block = F_outᵀ T.
                var tm = Matrix(rows: n, columns: n)
                for (t, d) in dimensions.enumerated() {
                    let base = offsets[t]
                    var hat = [Double](repeating: 0, count: d * d)
                    for h in 0..<n {
                        let th = theta[(o * mi + i) * n + h]
                        for k in 0..<(d * d) { hat[k] += th * images[h * n + base + k] }
                    }
                    for r in 0..<d { for s in 0..<d { for u in 0..<d {
                        let v = hat[s * d + u]
                        for q in 0..<n { tm[base + r * d + s, q] += v * fIn[base + r * d + u, q] }
                    } } }
                }
                for p in 0..<n {
                    for q in 0..<n {
                        var acc = 0.0
                        for c in 0..<n { acc += fOut[c, p] * tm[c, q] }
                        w[o * n + p, i * n + q] = acc
                    }
                }
            }
        }
        return w
    }
}

/// The generated parts of a table group convolution that carries the Fourier form
/// (`GroupFourierTransform`): constants, θ ↦ c's Fourier section, the kernels and ∂L/∂c ↦ ∂L/∂θ.
///
/// Which form runs depends on the build of the runtime the layer is compiled against, read at run
/// time from `GeneratedBuild.wideVectors` (resolved when ArchSynthRuntime compiles): the portable
/// build runs the Fourier kernels, a wide build (`ARCHSYNTH_WIDE_SIMD`) the products with W
/// (`GeneratedMatrixProducts`, the code a `GeneratedMatrixLayer` runs), where they measured faster
/// (below). So the file keeps both: c = [W, Wᵀ] (2 d_in d_out values, as `_withTranspose` forms
/// them), then from `_fourierStart` = 2 d_in d_out the Fourier section; `_forwardBatch`,
/// `_backwardBatch` and `_weightGradient` take the build's form and its section of c and dc.
///
/// The Fourier section (Float64, once per parameter change), |G| = n: F_in and F_out (n × n
/// row-major, rows the transform coordinates (ρ, r, s), columns the points), then per type ρ at
/// 2n² + 2 m_in m_out offsets[ρ] the block B_ρ (m_out d × m_in d, row-major) and B_ρᵀ, with
/// B_ρ[(s, o), (t, i)] = Θ̂_{o,i}(ρ)[s, t].
///
/// The kernels keep the transformed batch feature-major with the samples contiguous (count padded
/// to a multiple of 16 with zeros, so every sample takes the products' vector paths: the same
/// arithmetic whatever its place in the call), so that every step is one wide `_gemm` and no
/// block is gathered: X packed to X_p[(q, i), sample]; U = F_in X_p, rows (ρ, r, t, i); per type
/// and row r, V[(ρ, r, s, o), ·] = B_ρ U[(ρ, r, t, i), ·]; Y += Vᵀ F_out per output channel (the
/// product reads V strided). Backward: dV = F_out dY_p; dU = B_ρᵀ dV per (ρ, r); ∂L/∂B_ρ += Σ_r
/// dV Uᵀ (dot products over the samples); dX += dUᵀ F_in per input channel.
/// ∂L/∂θ[(o · m_in + i) · n + h] = Σ_ρ Σ_{s,t} ∂L/∂B_ρ[(s, o), (t, i)] ρ(b_h)[s, t].
///
/// Measured (indicative, a loaded 2-core machine, batch 64, one thread, µs forward / backward),
/// D_8 4 → 4 (0.61× W's multiply–adds), `Benchmarks/layers/run.sh`: portable 10.9 / 25.5 against
/// 15.7 / 31.9 for W in the same run and 10.8 / 24.8 for OpenBLAS sgemm on W; wide 6.0 / 14.8,
/// where W's wide products take about 4 / 10 (a separate loaded run). D_8 8 → 8 (0.36×): portable
/// 25–28 / 61–70 against 54–55 / 110–128, wide 14–16 / 58–84 against 15–16 / 38–39. The 16-row
/// transforms, the packing and the dot products over the samples do not reach the efficiency of
/// one 64 × 64 product with the wide build's 64-byte registers: hence W in the wide build.
struct GroupFourierKernels {
    let transform: GroupFourierTransform
    let inputChannels: Int
    let outputChannels: Int

    var coefficientCount: Int { 2 * transform.order * transform.order + 2 * inputChannels * outputChannels * transform.order }

    var note: String {
        let mi = inputChannels, mo = outputChannels, n = transform.order
        let types = transform.dimensions.map(String.init).joined(separator: ", ")
        return "runs the Fourier form (group Fourier basis, irreducible types of dimension \(types), all absolutely irreducible: \(transform.multiplyAdds(inputChannels: mi, outputChannels: mo)) multiply–adds a sample (\(mi)·\(n)² + \(mo)·\(n)² transforms + \(mi)·\(mo)·\(transform.cubeSum) blocks) against \(mi * mo * n * n) for W) in the portable build and the W products in a wide build (ARCHSYNTH_WIDE_SIMD), where the W products measured faster"
    }

    func printConstants(_ p: inout CodePrinter) {
        let t = transform
        p.print("static let groupOrder_ = \(t.order)")
        p.print("/// Fourier form: per irreducible type ρ its dimension d and where its d × d block starts in the transform.")
        p.printIntegers("static let fourierDimension", type: "Int", t.dimensions)
        p.printIntegers("static let fourierOffset", type: "Int", t.offsets)
        p.print("/// fourierImages[h · |G| + fourierOffset[ρ] + r · d + s] = ρ(b_h)[r, s], b_h the element of input point h.")
        p.printConstants("fourierImages", t.images.map(ExactOrReal.real))
        p.print("/// Output point p is the element b_h, h = fourierOutputElement[p].")
        p.printIntegers("static let fourierOutputElement", type: "Int32", t.outputElement)
        let matrix = inputChannels * outputChannels * t.order * t.order
        p.print("""
            /// Coefficients: [W, Wᵀ] (the W products, run in a wide build), then the Fourier form's from here.
            static var _fourierStart: Int { \(2 * matrix) }
            /// A sample's work for the batch split: the multiply–adds of the form this build runs (W's in a wide
            /// build, the Fourier form's otherwise), counted twice as the matrix form counts [W, Wᵀ].
            public static var _workPerSample: Int {
                GeneratedBatchSplit.workPerSample(input: inputDimension, output: outputDimension, coefficients: GeneratedBuild.wideVectors ? \(2 * matrix) : \(2 * t.multiplyAdds(inputChannels: inputChannels, outputChannels: outputChannels)))
            }
            """)
    }

    /// `_fourierCoefficients(θ)`: the Fourier section of c (from `_fourierStart`).
    func printCoefficients(_ p: inout CodePrinter) {
        p.block("static func _fourierCoefficients(_ theta: [Double]) -> [Double]") { printCoefficientsBody(&$0) }
    }

    private func printCoefficientsBody(_ p: inout CodePrinter) {
        p.print("""
            // F_in[(ρ, r, s), q] = √(d/|G|) ρ(b_q)[r, s], F_out[(ρ, r, s), p] = √(d/|G|) ρ(b_{fourierOutputElement[p]})[r, s].
            let n = groupOrder_, mi = convolutionInputChannels, mo = convolutionOutputChannels, nn = n * n
            var c = [Double](repeating: 0, count: \(coefficientCount))
            for t in 0..<fourierDimension.count {
                let d = fourierDimension[t], base = fourierOffset[t], scale = (Double(d) / Double(n)).squareRoot()
                for q in 0..<n {
                    let out = Int(fourierOutputElement[q])
                    for k in 0..<(d * d) {
                        c[(base + k) * n + q] = scale * fourierImages[q * n + base + k]
                        c[nn + (base + k) * n + q] = scale * fourierImages[out * n + base + k]
                    }
                }
                // B_ρ[(s, o), (u, i)] = Θ̂_{o,i}(ρ)[s, u] = Σ_h θ[(o · mi + i) · |G| + h] ρ(b_h)[s, u], then B_ρᵀ.
                let block = 2 * nn + 2 * mi * mo * base, rows = mo * d, columns = mi * d, transposed = block + rows * columns
                for o in 0..<mo {
                    for i in 0..<mi {
                        for h in 0..<n {
                            let th = theta[(o * mi + i) * n + h]
                            for s in 0..<d {
                                for u in 0..<d {
                                    let v = th * fourierImages[h * n + base + s * d + u]
                                    c[block + (s * mo + o) * columns + u * mi + i] += v
                                    c[transposed + (u * mi + i) * rows + s * mo + o] += v
                                }
                            }
                        }
                    }
                }
            }
            return c
            """)
    }

    /// `_fourierWeightGradient(dc)`: ∂L/∂θ from the Fourier section of dc (from `_fourierStart`).
    func printWeightGradient(_ p: inout CodePrinter) {
        p.block("static func _fourierWeightGradient<S: GeneratedScalar>(_ dc: [S]) -> [S]") { printWeightGradientBody(&$0) }
    }

    private func printWeightGradientBody(_ p: inout CodePrinter) {
        p.print("""
            // ∂L/∂θ[(o · mi + i) · |G| + h] = Σ_ρ Σ_{s,u} ∂L/∂B_ρ[(s, o), (u, i)] · ρ(b_h)[s, u]: ∂L/∂B rearranged to
            // R[(o, i), (ρ, s, u)], then one product with the images transposed, Iᵀ[(ρ, s, u), h] = ρ(b_h)[s, u].
            let n = groupOrder_, mi = convolutionInputChannels, mo = convolutionOutputChannels, f = _fourierStart
            var g = [S](repeating: 0, count: weightCount)
            var imagesT = [S](repeating: 0, count: n * n), r = [S](repeating: 0, count: mi * mo * n)
            for h in 0..<n {
                for k in 0..<n { imagesT[k * n + h] = S(fourierImages[h * n + k]) }
            }
            for t in 0..<fourierDimension.count {
                let d = fourierDimension[t], base = fourierOffset[t]
                let block = 2 * n * n + 2 * mi * mo * base, columns = mi * d
                for o in 0..<mo {
                    for i in 0..<mi {
                        for s in 0..<d {
                            for u in 0..<d { r[(o * mi + i) * n + base + s * d + u] = dc[f + block + (s * mo + o) * columns + u * mi + i] }
                        }
                    }
                }
            }
            r.withUnsafeBufferPointer { rp in
                imagesT.withUnsafeBufferPointer { ip in
                    g.withUnsafeMutableBufferPointer { gp in _gemm(mi * mo, n, n, rp.baseAddress!, n, 1, ip.baseAddress!, n, gp.baseAddress!, n) }
                }
            }
            return g
            """)
    }

    /// The build's form (`GeneratedBuild.wideVectors`: the W products in a wide build, the Fourier
    /// kernels otherwise), the Fourier kernels, θ ↦ c's Fourier section and its gradient.
    func printKernels(_ p: inout CodePrinter) {
        p.print("""
            /// The W products (`GeneratedMatrixProducts`, c's first section) in a wide build, where they measured
            /// faster; the Fourier kernels on c's Fourier section in the portable build.
            static func _forwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>) {
                if GeneratedBuild.wideVectors {
                    GeneratedMatrixProducts.forward(x, y, count, c, inputDimension, outputDimension)
                } else {
                    _fourierForward(x, y, count, c + _fourierStart)
                }
            }

            static func _backwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>) {
                if GeneratedBuild.wideVectors {
                    GeneratedMatrixProducts.backward(x, dy, count, c, dc, dx, inputDimension, outputDimension)
                } else {
                    _fourierBackward(x, dy, count, c + _fourierStart, dc + _fourierStart, dx)
                }
            }

            /// Samples padded to a multiple of 16 (every vector width): the products' columns.
            @inline(__always) static func _fourierColumns(_ count: Int) -> Int { (count + 15) / 16 * 16 }

            /// packed[(q · channels + i) · columns + sample] = v[(sample · channels + i) · |G| + q]; the padding stays zero.
            @inline(__always) static func _fourierPack<S: GeneratedScalar>(_ v: UnsafePointer<S>, _ count: Int, _ channels: Int, _ columns: Int, _ packed: UnsafeMutablePointer<S>) {
                let n = groupOrder_
                for sample in 0..<count {
                    for i in 0..<channels {
                        let row = v + (sample * channels + i) * n, column = packed + i * columns + sample, step = channels * columns
                        for q in 0..<n { column[q * step] = row[q] }
                    }
                }
            }

            /// The Fourier forward pass; c and dc point at the Fourier section.
            static func _fourierForward<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>) {
                let n = groupOrder_, mi = convolutionInputChannels, mo = convolutionOutputChannels, nn = n * n
                if count == 0 { return }
                let columns = _fourierColumns(count), su = n * mi * columns
                var buffer = [S](repeating: 0, count: 2 * su + n * mo * columns)
                buffer.withUnsafeMutableBufferPointer { bp in
                    let xp = bp.baseAddress!, u = xp + su, v = u + su
                    _fourierPack(x, count, mi, columns, xp)
                    // U = F_in X_p: rows (ρ, r, t, i), one column per sample.
                    _gemm(n, mi * columns, n, c, n, 1, xp, mi * columns, u, mi * columns)
                    for t in 0..<fourierDimension.count {
                        let d = fourierDimension[t], base = fourierOffset[t], block = c + 2 * nn + 2 * mi * mo * base
                        for r in 0..<d {
                            // V[(ρ, r, s, o), ·] = B_ρ U[(ρ, r, t, i), ·].
                            let row = base + r * d
                            _gemm(mo * d, columns, mi * d, block, mi * d, 1, u + row * mi * columns, columns, v + row * mo * columns, columns)
                        }
                    }
                    // Y[·, o, ·] += V[(·, o), ·]ᵀ F_out.
                    for o in 0..<mo { _gemm(count, n, n, v + o * columns, 1, mo * columns, c + nn, n, y + o * n, mo * n) }
                }
            }

            static func _fourierBackward<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>) {
                let n = groupOrder_, mi = convolutionInputChannels, mo = convolutionOutputChannels, nn = n * n
                if count == 0 { return }
                let columns = _fourierColumns(count), su = n * mi * columns, sv = n * mo * columns
                var buffer = [S](repeating: 0, count: 3 * su + 2 * sv)
                buffer.withUnsafeMutableBufferPointer { bp in
                    let xp = bp.baseAddress!, u = xp + su, du = u + su, dyp = du + su, dv = dyp + sv
                    _fourierPack(x, count, mi, columns, xp)
                    _gemm(n, mi * columns, n, c, n, 1, xp, mi * columns, u, mi * columns)
                    // dV = F_out dY_p: rows (ρ, r, s, o).
                    _fourierPack(dy, count, mo, columns, dyp)
                    _gemm(n, mo * columns, n, c + nn, n, 1, dyp, mo * columns, dv, mo * columns)
                    for t in 0..<fourierDimension.count {
                        let d = fourierDimension[t], base = fourierOffset[t], rows = mo * d, inner = mi * d
                        let block = 2 * nn + 2 * mi * mo * base
                        for r in 0..<d {
                            let row = base + r * d, ur = UnsafePointer(u) + row * mi * columns, vr = UnsafePointer(dv) + row * mo * columns
                            // dU[(ρ, r, t, i), ·] += B_ρᵀ dV[(ρ, r, s, o), ·]; ∂L/∂B_ρ[(s, o), (t, i)] += Σ_samples dV · U.
                            _gemm(inner, columns, rows, c + block + rows * inner, rows, 1, vr, columns, du + row * mi * columns, columns)
                            for a in 0..<rows {
                                for b in 0..<inner { dc[block + a * inner + b] += S._rowDot(vr + a * columns, ur + b * columns, count) }
                            }
                        }
                    }
                    // dX[·, i, ·] += dU[(·, i), ·]ᵀ F_in.
                    for i in 0..<mi { _gemm(count, n, n, du + i * columns, 1, mi * columns, c, n, dx + i * n, mi * n) }
                }
            }
            """)
        p.print()
        printCoefficients(&p)
        p.print()
        printWeightGradient(&p)
    }
}

extension GroupConvolutionEmitter {
    /// The Fourier kernels, or nil and why not.
    static func fourierPlan(_ layer: LayerDescription, _ structure: GroupConvolutionStructure, _ fourierForm: Bool?) -> (GroupFourierKernels?, String) {
        let mi = structure.inputChannels, mo = structure.outputChannels, n = structure.order
        guard case .table = structure.multiplication, fourierForm != false else { return (nil, "the Fourier form was not requested") }
        // Σ d³ ≥ Σ d² = |G|: skip the decomposition when even that bound is not cheap enough.
        let lowerBound = (mi + mo) * n * n + mi * mo * n
        guard fourierForm == true || 4 * lowerBound <= 3 * mi * mo * n * n else {
            return (nil, "the Fourier form would cost at least \(lowerBound), more than 3/4 of that")
        }
        guard let block = GroupConvolutionStructure.regularBlock(layer.input, n) else { preconditionFailure("a table structure has a regular block") }
        let transform: GroupFourierTransform
        do {
            transform = try GroupFourierTransform(structure: structure, inputGenerators: block.generators)
        } catch {
            return (nil, error.description)
        }
        guard fourierForm == true || transform.isCheaper(inputChannels: mi, outputChannels: mo) else {
            return (nil, "the Fourier form would cost \(transform.multiplyAdds(inputChannels: mi, outputChannels: mo)), more than 3/4 of that")
        }
        return (GroupFourierKernels(transform: transform, inputChannels: mi, outputChannels: mo), "")
    }
}
