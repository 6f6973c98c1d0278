import Dispatch

/// A steerable convolution on a periodic grid (issue 21), the generic node behind generated
/// lattice layers: c_out fields of type ρ_out from c_in fields of type ρ_in through a stencil S,
///
///     y_o(x) = b_o + Σ_i Σ_{s ∈ S} κ_{o,i}(s) f_i(x + s),   κ_{o,i}(s) = Σ_j θ_{o,i,j} K_j(s),
///
/// where the K_j are the solver's exact kernel basis (κ(p·s) = ρ_out(p) κ(s) ρ_in(p)⁻¹) and b_o a
/// fixed vector of ρ_out. Law: f(g·x) = g·f(x) for every g = (t, p) of the wallpaper or space group
/// (`Law.lattice`). The generated file holds only the basis (`LatticeKernelBasis`), the grid and
/// the ρ images; this type does the arithmetic.
///
/// Kernel (`LatticeIm2col`): the fields are moved to pixel-major order with a periodic border of
/// the stencil's radius; every output point's im2col row (the K_t = |S| · c_in·d_in input values
/// x + s over the stencil, 800 for 8 regular C₄ fields on a 5×5 stencil) is read in place and
/// multiplied by the expanded kernel W_col (K_t × c_out·d_out, computed once per parameter change,
/// `kernel(weights:bias:)`) with a register-blocked product, 6 points at a time. The input gradient
/// is the same product on the output gradient with the negated stencil and the transposed kernels
/// (dX(z) = Σ_s W(s)ᵀ dY(z − s)); the weight gradient dW_colᵀ = dYᵀ · im2col(X) is one product per
/// grid row, then dθ_{o,i,j} = Σ_s ⟨K_j(s), dκ_{o,i}(s)⟩. Nothing of size |G|, points² or
/// points · K_t is built. Samples are split over `threads`; each sample's arithmetic is the same on
/// any thread and the weight gradient sums the samples in order, so results do not depend on it.
///
/// - Complexity: forward O(batch · points · |S| · c_out d_out · c_in d_in), memory per thread
///   O((points + border) · (c_in d_in + c_out d_out)) plus the expanded kernel
///   O(|S| · c_out d_out · c_in d_in) (twice: forward and transposed) and, in the backward pass,
///   one weight gradient of that size per sample.
///
/// ```swift
/// let conv = SteerableLatticeConvolution(input: fIn, output: fOut, stencil: offsets, basis: basis, biasBasis: [[1]])
/// let k = conv.kernel(weights: θ, bias: β)             // expand once per parameter change
/// let y = conv.forward(batch: x, count: 16, kernel: k)
/// ```
public struct SteerableLatticeConvolution: Sendable {
    /// c_in fields of type ρ_in on the grid (the input's layout and action).
    public let input: LatticeFieldType
    /// c_out fields of type ρ_out on the same grid and point group.
    public let output: LatticeFieldType
    /// Stencil offsets (one coordinate vector each).
    public let stencil: [[Int]]
    /// The exact kernel basis K_j(s), shared by every channel pair.
    public let basis: LatticeKernelBasis
    /// Fixed vectors of ρ_out (each d_out values); a channel's bias is a combination of them.
    public let biasBasis: [[Double]]

    /// θ entries: c_out · c_in · m (m basis elements per channel pair).
    public var weightCount: Int { output.channels * input.channels * basis.count }
    /// β entries: c_out · (number of bias vectors).
    public var biasCount: Int { output.channels * biasBasis.count }
    /// K = c_in · d_in and N = c_out · d_out, the product's inner and output widths.
    public var inputWidth: Int { input.channels * input.fieldDimension }
    /// N = c_out · d_out.
    public var outputWidth: Int { output.channels * output.fieldDimension }
    let radius: Int
    /// The padded grid (sides + 2 · radius) and, for each padded pixel, the torus point it copies.
    let paddedSides: [Int]
    let sources: [Int32]
    /// The padded pixel of every point, then copies of the first up to a multiple of 6 (the
    /// product's row blocks).
    let pointBase: [Int32]
    /// The implicit im2col of the stencil on the padded input (forward, weight gradient) and of the
    /// negated stencil on the padded output gradient (input gradient).
    let forwardPlan: LatticeStencilPlan
    let adjointPlan: LatticeStencilPlan

    /// Checks (traps) that input and output share the grid and point group and that the basis and
    /// bias vectors fit the stencil and the field dimensions.
    public init(input: LatticeFieldType, output: LatticeFieldType, stencil: [[Int]], basis: LatticeKernelBasis, biasBasis: [[Double]]) {
        precondition(input.sides == output.sides && input.pointGenerators == output.pointGenerators, "SteerableLatticeConvolution: input and output on one grid and point group")
        precondition(!stencil.isEmpty && stencil.allSatisfy { $0.count == input.sides.count }, "SteerableLatticeConvolution: offsets must have \(input.sides.count) coordinates")
        precondition(Set(stencil).count == stencil.count, "SteerableLatticeConvolution: stencil offsets must be distinct")
        precondition(basis.offsetCount == stencil.count && basis.rows == output.fieldDimension && basis.columns == input.fieldDimension, "SteerableLatticeConvolution: the basis is for \(basis.offsetCount) offsets and \(basis.rows)×\(basis.columns) kernels")
        precondition(biasBasis.allSatisfy { $0.count == output.fieldDimension }, "SteerableLatticeConvolution: bias vectors have d_out values")
        self.input = input
        self.output = output
        self.stencil = stencil
        self.basis = basis
        self.biasBasis = biasBasis
        let radius = stencil.flatMap { $0.map { abs($0) } }.max() ?? 0
        self.radius = radius
        let sides = input.sides, ps = sides.map { $0 + 2 * radius }
        paddedSides = ps
        var sources = [Int32](repeating: 0, count: ps.reduce(1, *))
        var v = [Int](repeating: 0, count: ps.count)
        for q in sources.indices {
            var rest = q
            for k in stride(from: ps.count - 1, through: 0, by: -1) {
                v[k] = rest % ps[k] - radius
                rest /= ps[k]
            }
            sources[q] = Int32(input.index(v))
        }
        self.sources = sources
        let n = input.points
        var base = [Int32](repeating: 0, count: (n + 5) / 6 * 6)
        for p in 0..<n {
            let c = input.coordinates(p)
            var q = 0
            for k in 0..<sides.count { q = q * ps[k] + c[k] + radius }
            base[p] = Int32(q)
        }
        for p in n..<base.count { base[p] = base[0] }
        pointBase = base
        forwardPlan = LatticeStencilPlan(offsets: stencil, paddedSides: ps, width: input.channels * input.fieldDimension)
        adjointPlan = LatticeStencilPlan(offsets: stencil.map { $0.map { -$0 } }, paddedSides: ps, width: output.channels * output.fieldDimension)
    }

    /// Bound a of θ ~ U(−a, a) giving outputs of unit variance for inputs of unit variance:
    /// 3 / (c_in · Σ_j ‖K_j‖² / d_out) = a².
    public var initializationBound: Double {
        Self.initializationBound(basis: basis, inputChannels: input.channels, outputFieldDimension: output.fieldDimension)
    }

    /// The same bound from the basis and the two counts alone (the PyTorch target prints it into
    /// its modules, so that the same seed draws the same θ): a² = 3 d_out / (c_in · Σ_j ‖K_j‖²),
    /// 0 for an empty basis.
    /// - Complexity: O(basis entries).
    public static func initializationBound(basis: LatticeKernelBasis, inputChannels: Int, outputFieldDimension: Int) -> Double {
        let norm = basis.squaredNorms.reduce(0, +)
        return norm > 0 ? (3 * Double(outputFieldDimension) / (Double(inputChannels) * norm)).squareRoot() : 0
    }

    /// N and K rounded up to whole product vectors of Float (so of Double as well: a Float kernel
    /// is the Double one rounded value by value), the columns of the two expanded kernels.
    static func vectorColumns<T: GeneratedScalar>(_ n: Int, _: T.Type) -> Int {
        let h = Float._ProductVector.scalarCount
        return (n + h - 1) / h * h
    }

    /// θ and β expanded once per parameter change, in the layouts the products read: W_col
    /// (K_t × N, rows in the stencil's lexicographic order, columns N rounded up to whole vectors
    /// with zeros), its adjoint (|S| · N × K, the negated stencil's order, each block W(s)ᵀ) and
    /// the bias of each output row (N values).
    public struct Kernel<Scalar: Sendable>: Sendable {
        /// W_col: row (position of s) · K + c, column r: W(s)[r, c].
        public let forward: [Scalar]
        /// The adjoint: row (position of −s) · N + r, column c: W(s)[r, c].
        public let adjoint: [Scalar]
        /// The bias of each output row (N values).
        public let bias: [Scalar]

        init(forward: [Scalar], adjoint: [Scalar], bias: [Scalar]) {
            self.forward = forward
            self.adjoint = adjoint
            self.bias = bias
        }

    }

    /// Expands θ and β (`weightCount`, `biasCount` values) into W_col, its adjoint and the bias rows.
    /// - Complexity: O(c_out · c_in · basis entries + |S| · N · K).
    public func kernel(weights theta: [Double], bias beta: [Double]) -> Kernel<Double> {
        expand(theta, beta)
    }

    /// The same expansion in Double, rounded once to Float.
    public func kernel(weights theta: [Float], bias beta: [Float]) -> Kernel<Float> {
        expand(theta.map(Double.init), beta.map(Double.init))
    }

    func expand<T: LatticeIm2colScalar>(_ theta: [Double], _ beta: [Double]) -> Kernel<T> {
        precondition(theta.count == weightCount && beta.count == biasCount, "SteerableLatticeConvolution: expected \(weightCount) weights and \(biasCount) biases, got \(theta.count) and \(beta.count)")
        let cin = input.channels, cout = output.channels, din = input.fieldDimension, dout = output.fieldDimension
        let K = inputWidth, N = outputWidth, m = basis.count
        // W(s)[r, c], |S| × N × K, in Double.
        var w = [Double](repeating: 0, count: stencil.count * N * K)
        for o in 0..<cout {
            for i in 0..<cin {
                let base = (o * cin + i) * m
                for e in 0..<basis.value.count {
                    let t = theta[base + Int(basis.element[e])]
                    if t == 0 { continue }
                    let k = Int(basis.offset[e]), r = o * dout + Int(basis.row[e]), c = i * din + Int(basis.column[e])
                    w[(k * N + r) * K + c] += t * basis.value[e]
                }
            }
        }
        let Np = Self.vectorColumns(N, T.self), Kp = Self.vectorColumns(K, T.self)
        var forward = [T](repeating: 0, count: stencil.count * K * Np)
        var adjoint = [T](repeating: 0, count: stencil.count * N * Kp)
        for k in stencil.indices {
            let qf = forwardPlan.position[k], qa = adjointPlan.position[k]
            for r in 0..<N {
                for c in 0..<K {
                    let v = T(w[(k * N + r) * K + c])
                    forward[(qf * K + c) * Np + r] = v
                    adjoint[(qa * N + r) * Kp + c] = v
                }
            }
        }
        var b = [Double](repeating: 0, count: N)
        for o in 0..<cout {
            for (j, v) in biasBasis.enumerated() {
                let t = beta[o * biasBasis.count + j]
                for r in 0..<dout { b[o * dout + r] += t * v[r] }
            }
        }
        return Kernel(forward: forward, adjoint: adjoint, bias: b.map { T($0) })
    }

    /// dθ and dβ from the weight gradient dW_colᵀ (⌈N / 6⌉ · 6 rows × K_t, `LatticeIm2col.weightGradient`)
    /// and the bias gradient (N values).
    func parameterGradients(_ dwt: [Double], _ db: [Double]) -> (weights: [Double], bias: [Double]) {
        let cin = input.channels, cout = output.channels, din = input.fieldDimension, dout = output.fieldDimension
        let K = inputWidth, depth = forwardPlan.depth, m = basis.count
        var dtheta = [Double](repeating: 0, count: weightCount)
        for o in 0..<cout {
            for i in 0..<cin {
                let base = (o * cin + i) * m
                for e in 0..<basis.value.count {
                    let q = forwardPlan.position[Int(basis.offset[e])], r = o * dout + Int(basis.row[e]), c = i * din + Int(basis.column[e])
                    dtheta[base + Int(basis.element[e])] += basis.value[e] * dwt[r * depth + q * K + c]
                }
            }
        }
        var dbeta = [Double](repeating: 0, count: biasCount)
        for o in 0..<cout {
            for (j, v) in biasBasis.enumerated() {
                var acc = 0.0
                for r in 0..<dout { acc += v[r] * db[o * dout + r] }
                dbeta[o * biasBasis.count + j] = acc
            }
        }
        return (dtheta, dbeta)
    }

    // MARK: Forward and backward (Float and Double entry points over one generic body)

    /// `threads` > 1 splits the batch into that many parts run concurrently (each sample's
    /// arithmetic is unchanged, so results do not depend on it).
    public func forward(batch x: [Float], count: Int, kernel: Kernel<Float>, threads: Int = 1) -> [Float] {
        forwardSplit(x, count, kernel, threads)
    }

    /// The forward pass in Double (as the Float one).
    public func forward(batch x: [Double], count: Int, kernel: Kernel<Double>, threads: Int = 1) -> [Double] {
        forwardSplit(x, count, kernel, threads)
    }

    /// Batch gradients: parameter gradients summed over the batch, input gradients per row.
    public func backward(batch x: [Float], outputGradient dy: [Float], count: Int, kernel: Kernel<Float>, threads: Int = 1) -> (weights: [Float], bias: [Float], input: [Float]) {
        let g = backwardSplit(x, dy, count, kernel, threads)
        let p = parameterGradients(g.kernel.map(Double.init), g.bias.map(Double.init))
        return (p.weights.map(Float.init), p.bias.map(Float.init), g.input)
    }

    /// Batch gradients in Double (as the Float ones).
    public func backward(batch x: [Double], outputGradient dy: [Double], count: Int, kernel: Kernel<Double>, threads: Int = 1) -> (weights: [Double], bias: [Double], input: [Double]) {
        let g = backwardSplit(x, dy, count, kernel, threads)
        let p = parameterGradients(g.kernel, g.bias)
        return (p.weights, p.bias, g.input)
    }

    /// Sample ranges of `count` split into at most `threads` parts.
    static func parts(_ count: Int, _ threads: Int) -> [Range<Int>] {
        let t = Swift.max(1, Swift.min(threads, count))
        return (0..<t).map { k in (k * count / t)..<((k + 1) * count / t) }
    }

    func checkKernel<T: LatticeIm2colScalar>(_ kernel: Kernel<T>) {
        let Np = Self.vectorColumns(outputWidth, T.self), Kp = Self.vectorColumns(inputWidth, T.self)
        precondition(kernel.forward.count == stencil.count * inputWidth * Np && kernel.adjoint.count == stencil.count * outputWidth * Kp && kernel.bias.count == outputWidth,
            "SteerableLatticeConvolution: the kernel was not expanded by this convolution's kernel(weights:bias:)")
    }

    func forwardSplit<T: LatticeIm2colScalar>(_ x: [T], _ count: Int, _ kernel: Kernel<T>, _ threads: Int) -> [T] {
        precondition(count >= 0 && x.count == count * input.dimension, "SteerableLatticeConvolution.forward: batch must hold count × \(input.dimension) values")
        checkKernel(kernel)
        var y = [T](repeating: 0, count: count * output.dimension)
        let ranges = Self.parts(count, threads)
        y.withUnsafeMutableBufferPointer { yb in
            let out = SendablePointer(yb.baseAddress!)
            x.withUnsafeBufferPointer { xb in
                let xin = SendablePointer(UnsafeMutablePointer(mutating: xb.baseAddress!))
                if ranges.count <= 1 {
                    forwardBody(xin.pointer, 0..<count, kernel, out.pointer)
                } else {
                    DispatchQueue.concurrentPerform(iterations: ranges.count) { k in forwardBody(xin.pointer, ranges[k], kernel, out.pointer) }
                }
            }
        }
        return y
    }

    func backwardSplit<T: LatticeIm2colScalar>(_ x: [T], _ dy: [T], _ count: Int, _ kernel: Kernel<T>, _ threads: Int) -> (kernel: [T], bias: [T], input: [T]) {
        let din = input.dimension, dout = output.dimension
        precondition(count >= 0 && x.count == count * din && dy.count == count * dout, "SteerableLatticeConvolution.backward: batch must hold count × \(din) values and outputGradient count × \(dout)")
        checkKernel(kernel)
        let N = outputWidth, rows = (N + 5) / 6 * 6, depth = forwardPlan.depth
        var dx = [T](repeating: 0, count: x.count)
        // One weight gradient and bias gradient per sample, summed in sample order afterwards.
        var dw = [T](repeating: 0, count: count * rows * depth)
        var db = [T](repeating: 0, count: count * N)
        let ranges = Self.parts(count, threads)
        x.withUnsafeBufferPointer { xb in
            dy.withUnsafeBufferPointer { gb in
                dx.withUnsafeMutableBufferPointer { dxb in
                    dw.withUnsafeMutableBufferPointer { dwb in
                        db.withUnsafeMutableBufferPointer { dbb in
                            let p = (SendablePointer(UnsafeMutablePointer(mutating: xb.baseAddress!)), SendablePointer(UnsafeMutablePointer(mutating: gb.baseAddress!)),
                                     SendablePointer(dxb.baseAddress!), SendablePointer(dwb.baseAddress!), SendablePointer(dbb.baseAddress!))
                            if ranges.count <= 1 {
                                backwardBody(p.0.pointer, p.1.pointer, 0..<count, kernel, p.2.pointer, p.3.pointer, p.4.pointer)
                            } else {
                                DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
                                    backwardBody(p.0.pointer, p.1.pointer, ranges[k], kernel, p.2.pointer, p.3.pointer, p.4.pointer)
                                }
                            }
                        }
                    }
                }
            }
        }
        var kernelGradient = [T](repeating: 0, count: rows * depth), biasGradient = [T](repeating: 0, count: N)
        for s in 0..<count {
            for i in kernelGradient.indices { kernelGradient[i] += dw[s * rows * depth + i] }
            for i in 0..<N { biasGradient[i] += db[s * N + i] }
        }
        return (kernelGradient, biasGradient, dx)
    }

    /// Sample `sample` of a batch in field layout ((channel · points + point) · d + component) →
    /// the padded pixel-major grid (pixel · channels · d + channel · d + component).
    func pad<T: LatticeIm2colScalar>(_ x: UnsafePointer<T>, _ fields: LatticeFieldType, into padded: UnsafeMutablePointer<T>) {
        let n = fields.points, d = fields.fieldDimension, c = fields.channels, width = c * d
        sources.withUnsafeBufferPointer { src in
            for q in 0..<src.count {
                let p = Int(src[q]), row = padded + q * width
                for i in 0..<c {
                    let from = x + (i * n + p) * d, to = row + i * d
                    for a in 0..<d { to[a] = from[a] }
                }
            }
        }
    }

    /// The inverse of `pad` on the points: rows of `stride` values (point-major, the first
    /// channels · d used) → one sample in field layout.
    func unpad<T: LatticeIm2colScalar>(_ rows: UnsafePointer<T>, _ stride: Int, _ fields: LatticeFieldType, into x: UnsafeMutablePointer<T>) {
        let n = fields.points, d = fields.fieldDimension
        for i in 0..<fields.channels {
            for p in 0..<n {
                let from = rows + p * stride + i * d, to = x + (i * n + p) * d
                for a in 0..<d { to[a] = from[a] }
            }
        }
    }

    /// The samples of `range`: y = im2col(x) · W_col + b, written into the batch output.
    func forwardBody<T: LatticeIm2colScalar>(_ x: UnsafePointer<T>, _ range: Range<Int>, _ kernel: Kernel<T>, _ y: UnsafeMutablePointer<T>) {
        let N = outputWidth, Np = Self.vectorColumns(N, T.self), blocks = pointBase.count / 6
        let padded = UnsafeMutablePointer<T>.allocate(capacity: sources.count * inputWidth)
        let out = UnsafeMutablePointer<T>.allocate(capacity: pointBase.count * Np)
        let panel = UnsafeMutablePointer<T>.allocate(capacity: forwardPlan.maxChunk * 6 * T._latticeEntry)
        defer { padded.deallocate(); out.deallocate(); panel.deallocate() }
        kernel.forward.withUnsafeBufferPointer { wb in
            kernel.bias.withUnsafeBufferPointer { bias in
                pointBase.withUnsafeBufferPointer { pb in
                    for sample in range {
                        pad(x + sample * input.dimension, input, into: padded)
                        for p in 0..<pointBase.count {
                            let row = out + p * Np
                            for c in 0..<N { row[c] = bias[c] }
                            for c in N..<Np { row[c] = 0 }
                        }
                        T._latticeCorrelate(padded, forwardPlan, pb.baseAddress!, blocks, wb.baseAddress!, Np, out, panel)
                        unpad(out, Np, output, into: y + sample * output.dimension)
                    }
                }
            }
        }
    }

    /// The samples of `range`: the input gradient into the batch's, and each sample's weight
    /// gradient (dW_colᵀ) and bias gradient into its own slot.
    func backwardBody<T: LatticeIm2colScalar>(
        _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ range: Range<Int>, _ kernel: Kernel<T>, _ dx: UnsafeMutablePointer<T>, _ dw: UnsafeMutablePointer<T>,
        _ db: UnsafeMutablePointer<T>
    ) {
        let n = input.points, dout = output.fieldDimension, cout = output.channels
        let K = inputWidth, N = outputWidth, Kp = Self.vectorColumns(K, T.self), blocks = pointBase.count / 6
        let rows = (N + 5) / 6 * 6, depth = forwardPlan.depth, rowLength = input.sides[input.sides.count - 1]
        let padded = UnsafeMutablePointer<T>.allocate(capacity: sources.count * K)
        let gradient = UnsafeMutablePointer<T>.allocate(capacity: sources.count * N)
        let out = UnsafeMutablePointer<T>.allocate(capacity: pointBase.count * Kp)
        let panel = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(adjointPlan.maxChunk, rowLength) * 6 * T._latticeEntry)
        defer { padded.deallocate(); gradient.deallocate(); out.deallocate(); panel.deallocate() }
        kernel.adjoint.withUnsafeBufferPointer { ab in
            pointBase.withUnsafeBufferPointer { pb in
                for sample in range {
                    let xs = x + sample * input.dimension, gs = dy + sample * output.dimension
                    pad(xs, input, into: padded)
                    pad(gs, output, into: gradient)
                    let bias = db + sample * N
                    for o in 0..<cout {
                        for p in 0..<n {
                            for b in 0..<dout { bias[o * dout + b] += gs[(o * n + p) * dout + b] }
                        }
                    }
                    T._latticeWeightGradient(padded, forwardPlan, gradient, N, pb.baseAddress!, n, rowLength, dw + sample * rows * depth, panel)
                    for i in 0..<(pointBase.count * Kp) { out[i] = 0 }
                    T._latticeCorrelate(gradient, adjointPlan, pb.baseAddress!, blocks, ab.baseAddress!, Kp, out, panel)
                    unpad(out, Kp, input, into: dx + sample * input.dimension)
                }
            }
        }
    }
}

/// A pointer handed to the threads of `concurrentPerform`; each thread writes a disjoint part.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// The kernel basis of a lattice convolution as coordinate lists: entry e says that basis
/// element `element[e]` has value `value[e]` at stencil offset `offset[e]`, output component
/// `row[e]` and input component `column[e]` (K_j(s)[b, a]).
public struct LatticeKernelBasis: Sendable {
    /// m, the number of basis elements per channel pair.
    public let count: Int
    /// |S|, the stencil offsets the basis is defined on.
    public let offsetCount: Int
    /// d_out, the rows of each K_j(s).
    public let rows: Int
    /// d_in, the columns of each K_j(s).
    public let columns: Int
    /// The basis element j of each entry.
    public let element: [Int32]
    /// The stencil offset index of each entry.
    public let offset: [Int32]
    /// The output component b of each entry.
    public let row: [Int32]
    /// The input component a of each entry.
    public let column: [Int32]
    /// The value K_j(s)[b, a] of each entry.
    public let value: [Double]

    /// Coordinate lists of one length, every index in range (checked).
    public init(count: Int, offsetCount: Int, rows: Int, columns: Int, element: [Int32], offset: [Int32], row: [Int32], column: [Int32], value: [Double]) {
        precondition([offset.count, row.count, column.count, value.count].allSatisfy { $0 == element.count }, "LatticeKernelBasis: one element, offset, row, column and value per entry")
        precondition(element.allSatisfy { $0 >= 0 && Int($0) < count } && offset.allSatisfy { $0 >= 0 && Int($0) < offsetCount }
            && row.allSatisfy { $0 >= 0 && Int($0) < rows } && column.allSatisfy { $0 >= 0 && Int($0) < columns }, "LatticeKernelBasis: an entry is out of range")
        self.count = count
        self.offsetCount = offsetCount
        self.rows = rows
        self.columns = columns
        self.element = element
        self.offset = offset
        self.row = row
        self.column = column
        self.value = value
    }

    /// ‖K_j‖² for each element.
    public var squaredNorms: [Double] {
        var s = [Double](repeating: 0, count: count)
        for e in value.indices { s[Int(element[e])] += value[e] * value[e] }
        return s
    }
}

extension SteerableLatticeConvolution.Kernel where Scalar == Float {
    /// The Float kernel of a generated layer from its Double expansion, each value rounded once
    /// (both have the same column padding). Concrete, so the conversion is compiled here rather
    /// than run as generic code from the layer's module.
    public init(rounding other: SteerableLatticeConvolution.Kernel<Double>) {
        self.init(forward: other.forward.map(Float.init), adjoint: other.adjoint.map(Float.init), bias: other.bias.map(Float.init))
    }
}
