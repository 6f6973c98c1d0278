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
/// Kernel: the fields are moved to pixel-major order with a periodic border of the stencil's
/// radius, so for every output row of the grid (all coordinates but the last fixed) and every
/// offset s the inputs x + s of the row's points are consecutive rows of one matrix; each
/// (row, offset) pair is one register-blocked product (`GeneratedLayerKernels._gemm`)
/// Y_row += X_(row + s) · W(s)ᵀ with W(s) the (c_out·d_out) × (c_in·d_in) matrix of all κ_{o,i}(s).
/// The backward pass is the adjoint: dX_(row + s) += dY_row · W(s), dW(s)ᵀ += X_(row + s)ᵀ · dY_row,
/// then dθ_{o,i,j} = Σ_s ⟨K_j(s), dκ_{o,i}(s)⟩ and the border folded back onto the torus.
/// Nothing of size |G| or points² is built.
///
/// - Complexity: forward O(batch · points · |S| · c_out d_out · c_in d_in), memory
///   O((points + border) · c_in d_in + |S| · c_out d_out · c_in d_in).
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

    /// Checks (traps) that input and output share the grid and point group and that the basis and
    /// bias vectors fit the stencil and the field dimensions.
    public init(input: LatticeFieldType, output: LatticeFieldType, stencil: [[Int]], basis: LatticeKernelBasis, biasBasis: [[Double]]) {
        precondition(input.sides == output.sides && input.pointGenerators == output.pointGenerators, "SteerableLatticeConvolution: input and output on one grid and point group")
        precondition(stencil.allSatisfy { $0.count == input.sides.count }, "SteerableLatticeConvolution: offsets must have \(input.sides.count) coordinates")
        precondition(basis.offsetCount == stencil.count && basis.rows == output.fieldDimension && basis.columns == input.fieldDimension, "SteerableLatticeConvolution: the basis is for \(basis.offsetCount) offsets and \(basis.rows)×\(basis.columns) kernels")
        precondition(biasBasis.allSatisfy { $0.count == output.fieldDimension }, "SteerableLatticeConvolution: bias vectors have d_out values")
        self.input = input
        self.output = output
        self.stencil = stencil
        self.basis = basis
        self.biasBasis = biasBasis
        radius = stencil.flatMap { $0.map { abs($0) } }.max() ?? 0
    }

    /// Bound a of θ ~ U(−a, a) giving outputs of unit variance for inputs of unit variance:
    /// 3 / (c_in · Σ_j ‖K_j‖² / d_out) = a².
    public var initializationBound: Double {
        let norm = basis.squaredNorms.reduce(0, +)
        return norm > 0 ? (3 * Double(output.fieldDimension) / (Double(input.channels) * norm)).squareRoot() : 0
    }

    /// θ and β expanded once per parameter change: W(s) (|S| × N × K), W(s)ᵀ (|S| × K × N) and
    /// the bias per output row (N values), in the scalar of the forward pass.
    public struct Kernel<Scalar: Sendable>: Sendable {
        /// W(s) for every offset, |S| × N × K row-major.
        public let weights: [Scalar]
        /// W(s)ᵀ for every offset, |S| × K × N row-major.
        public let transposed: [Scalar]
        /// The bias of each output row (N values).
        public let bias: [Scalar]

        /// The three arrays as `kernel(weights:bias:)` lays them out.
        public init(weights: [Scalar], transposed: [Scalar], bias: [Scalar]) {
            self.weights = weights
            self.transposed = transposed
            self.bias = bias
        }
    }

    /// Expands θ and β (`weightCount`, `biasCount` values) into W(s), W(s)ᵀ and the bias rows.
    /// - Complexity: O(c_out · c_in · basis entries + |S| · N · K).
    public func kernel(weights theta: [Double], bias beta: [Double]) -> Kernel<Double> {
        precondition(theta.count == weightCount && beta.count == biasCount, "SteerableLatticeConvolution: expected \(weightCount) weights and \(biasCount) biases, got \(theta.count) and \(beta.count)")
        let cin = input.channels, cout = output.channels, din = input.fieldDimension, dout = output.fieldDimension
        let K = inputWidth, N = outputWidth, m = basis.count
        var w = [Double](repeating: 0, count: stencil.count * N * K)
        var wt = w
        for o in 0..<cout {
            for i in 0..<cin {
                let base = (o * cin + i) * m
                for e in 0..<basis.value.count {
                    let t = theta[base + Int(basis.element[e])]
                    if t == 0 { continue }
                    let k = Int(basis.offset[e]), r = o * dout + Int(basis.row[e]), c = i * din + Int(basis.column[e])
                    let v = t * basis.value[e]
                    w[(k * N + r) * K + c] += v
                    wt[(k * K + c) * N + r] += v
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
        return Kernel(weights: w, transposed: wt, bias: b)
    }

    /// The same expansion in Double, rounded once to Float.
    public func kernel(weights theta: [Float], bias beta: [Float]) -> Kernel<Float> {
        let k = kernel(weights: theta.map(Double.init), bias: beta.map(Double.init))
        return Kernel(weights: k.weights.map(Float.init), transposed: k.transposed.map(Float.init), bias: k.bias.map(Float.init))
    }

    /// dθ and dβ from the gradients of the expanded kernel (dW(s)ᵀ, |S| × K × N) and bias (N).
    public func parameterGradients(transposedKernel dwt: [Double], bias db: [Double]) -> (weights: [Double], bias: [Double]) {
        let cin = input.channels, cout = output.channels, din = input.fieldDimension, dout = output.fieldDimension
        let K = inputWidth, N = outputWidth, m = basis.count
        var dtheta = [Double](repeating: 0, count: weightCount)
        for o in 0..<cout {
            for i in 0..<cin {
                let base = (o * cin + i) * m
                for e in 0..<basis.value.count {
                    let k = Int(basis.offset[e]), r = o * dout + Int(basis.row[e]), c = i * din + Int(basis.column[e])
                    dtheta[base + Int(basis.element[e])] += basis.value[e] * dwt[(k * K + c) * N + r]
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
        let p = parameterGradients(transposedKernel: g.kernel.map(Double.init), bias: g.bias.map(Double.init))
        return (p.weights.map(Float.init), p.bias.map(Float.init), g.input)
    }

    /// Batch gradients in Double (as the Float ones).
    public func backward(batch x: [Double], outputGradient dy: [Double], count: Int, kernel: Kernel<Double>, threads: Int = 1) -> (weights: [Double], bias: [Double], input: [Double]) {
        let g = backwardSplit(x, dy, count, kernel, threads)
        let p = parameterGradients(transposedKernel: g.kernel, bias: g.bias)
        return (p.weights, p.bias, g.input)
    }

    /// Sample ranges of `count` split into at most `threads` parts.
    static func parts(_ count: Int, _ threads: Int) -> [Range<Int>] {
        let t = Swift.max(1, Swift.min(threads, count))
        return (0..<t).map { k in (k * count / t)..<((k + 1) * count / t) }
    }

    func forwardSplit<T: LatticeKernelScalar>(_ x: [T], _ count: Int, _ kernel: Kernel<T>, _ threads: Int) -> [T] {
        precondition(count >= 0 && x.count == count * input.dimension, "SteerableLatticeConvolution.forward: batch must hold count × \(input.dimension) values")
        let ranges = Self.parts(count, threads)
        if ranges.count <= 1 { return forwardBody(x, count, kernel) }
        let din = input.dimension
        let results = ParallelResults<[T]>(ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
            let r = ranges[k]
            results.set(k, forwardBody(Array(x[(r.lowerBound * din)..<(r.upperBound * din)]), r.count, kernel))
        }
        return results.values.flatMap { $0 }
    }

    func backwardSplit<T: LatticeKernelScalar>(_ x: [T], _ dy: [T], _ count: Int, _ kernel: Kernel<T>, _ threads: Int) -> (kernel: [T], bias: [T], input: [T]) {
        let ranges = Self.parts(count, threads)
        if ranges.count <= 1 { return backwardBody(x, dy, count, kernel) }
        let din = input.dimension, dout = output.dimension
        precondition(x.count == count * din && dy.count == count * dout, "SteerableLatticeConvolution.backward: batch must hold count × \(din) values and outputGradient count × \(dout)")
        let results = ParallelResults<(kernel: [T], bias: [T], input: [T])>(ranges.count)
        DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
            let r = ranges[k]
            results.set(k, backwardBody(
                Array(x[(r.lowerBound * din)..<(r.upperBound * din)]), Array(dy[(r.lowerBound * dout)..<(r.upperBound * dout)]), r.count, kernel))
        }
        var parts = results.values
        var first = parts.removeFirst()
        for p in parts {
            for i in first.kernel.indices { first.kernel[i] += p.kernel[i] }
            for i in first.bias.indices { first.bias[i] += p.bias[i] }
        }
        return (first.kernel, first.bias, first.input + parts.flatMap(\.input))
    }

    /// The padded grid: sides + 2·radius, and for each padded point the torus point it copies.
    var paddedSides: [Int] { input.sides.map { $0 + 2 * radius } }

    func paddedSources() -> [Int] {
        let ps = paddedSides, count = ps.reduce(1, *)
        var src = [Int](repeating: 0, count: count)
        var v = [Int](repeating: 0, count: ps.count)
        for q in 0..<count {
            var rest = q
            for k in stride(from: ps.count - 1, through: 0, by: -1) {
                v[k] = rest % ps[k] - radius
                rest /= ps[k]
            }
            src[q] = input.index(v)
        }
        return src
    }

    /// For each output row (every point with last coordinate 0) and offset: the row's first
    /// point and the padded point of its first input.
    func rowPlan() -> (rows: [Int], inputs: [Int]) {
        let sides = input.sides, ps = paddedSides, w = sides[sides.count - 1]
        let rowCount = input.points / w
        var rows: [Int] = [], inputs: [Int] = []
        rows.reserveCapacity(rowCount)
        inputs.reserveCapacity(rowCount * stencil.count)
        for r in 0..<rowCount {
            let v = input.coordinates(r * w)
            rows.append(r * w)
            for s in stencil {
                var q = 0
                for k in 0..<sides.count { q = q * ps[k] + v[k] + radius + s[k] }
                inputs.append(q)
            }
        }
        return (rows, inputs)
    }

    /// One thread's samples.
    func forwardBody<T: LatticeKernelScalar>(_ x: [T], _ count: Int, _ kernel: Kernel<T>) -> [T] {
        let n = input.points, din = input.fieldDimension, dout = output.fieldDimension, cin = input.channels, cout = output.channels
        let K = inputWidth, N = outputWidth, w = input.sides[input.sides.count - 1]
        precondition(count >= 0 && x.count == count * input.dimension, "SteerableLatticeConvolution.forward: batch must hold count × \(input.dimension) values")
        let sources = paddedSources(), plan = rowPlan(), S = stencil.count
        var y = [T](repeating: 0, count: count * output.dimension)
        var padded = [T](repeating: 0, count: sources.count * K)
        var pixels = [T](repeating: 0, count: n * K)
        var out = [T](repeating: 0, count: n * N)
        for sample in 0..<count {
            let xo = sample * input.dimension, yo = sample * output.dimension
            // Fields → pixel-major rows of K = c_in·d_in values, then the periodic border.
            for i in 0..<cin { for p in 0..<n { for a in 0..<din { pixels[p * K + i * din + a] = x[xo + (i * n + p) * din + a] } } }
            pixels.withUnsafeBufferPointer { px in
                padded.withUnsafeMutableBufferPointer { pd in
                    for (q, s) in sources.enumerated() { for c in 0..<K { pd[q * K + c] = px[s * K + c] } }
                }
            }
            for p in 0..<n { for c in 0..<N { out[p * N + c] = kernel.bias[c] } }
            padded.withUnsafeBufferPointer { pd in
                kernel.transposed.withUnsafeBufferPointer { wt in
                    out.withUnsafeMutableBufferPointer { o in
                        for (r, start) in plan.rows.enumerated() {
                            for k in 0..<S {
                                T._latticeGEMM(
                                    w, N, K, pd.baseAddress! + plan.inputs[r * S + k] * K, K, 1, wt.baseAddress! + k * K * N, N,
                                    o.baseAddress! + start * N, N)
                            }
                        }
                    }
                }
            }
            for o in 0..<cout { for p in 0..<n { for b in 0..<dout { y[yo + (o * n + p) * dout + b] = out[p * N + o * dout + b] } } }
        }
        return y
    }

    func backwardBody<T: LatticeKernelScalar>(_ x: [T], _ dy: [T], _ count: Int, _ kernel: Kernel<T>) -> (kernel: [T], bias: [T], input: [T]) {
        let n = input.points, din = input.fieldDimension, dout = output.fieldDimension, cin = input.channels, cout = output.channels
        let K = inputWidth, N = outputWidth, w = input.sides[input.sides.count - 1]
        precondition(count >= 0 && x.count == count * input.dimension, "SteerableLatticeConvolution.backward: batch must hold count × \(input.dimension) values")
        precondition(dy.count == count * output.dimension, "SteerableLatticeConvolution.backward: outputGradient must hold count × \(output.dimension) values")
        let sources = paddedSources(), plan = rowPlan(), S = stencil.count
        var dx = [T](repeating: 0, count: x.count)
        var dwt = [T](repeating: 0, count: S * K * N)
        var db = [T](repeating: 0, count: N)
        var padded = [T](repeating: 0, count: sources.count * K)
        var dpadded = padded
        var pixels = [T](repeating: 0, count: n * K)
        var grad = [T](repeating: 0, count: n * N)
        for sample in 0..<count {
            let xo = sample * input.dimension, yo = sample * output.dimension
            for i in 0..<cin { for p in 0..<n { for a in 0..<din { pixels[p * K + i * din + a] = x[xo + (i * n + p) * din + a] } } }
            for (q, s) in sources.enumerated() { for c in 0..<K { padded[q * K + c] = pixels[s * K + c] } }
            for o in 0..<cout { for p in 0..<n { for b in 0..<dout { grad[p * N + o * dout + b] = dy[yo + (o * n + p) * dout + b] } } }
            for p in 0..<n { for c in 0..<N { db[c] += grad[p * N + c] } }
            for q in dpadded.indices { dpadded[q] = 0 }
            padded.withUnsafeBufferPointer { pd in
                grad.withUnsafeBufferPointer { g in
                    kernel.weights.withUnsafeBufferPointer { wk in
                        dwt.withUnsafeMutableBufferPointer { dw in
                            dpadded.withUnsafeMutableBufferPointer { dp in
                                for (r, start) in plan.rows.enumerated() {
                                    for k in 0..<S {
                                        let q = plan.inputs[r * S + k] * K
                                        // dX_(row+s) += dY_row · W(s)
                                        T._latticeGEMM(w, K, N, g.baseAddress! + start * N, N, 1, wk.baseAddress! + k * N * K, K, dp.baseAddress! + q, K)
                                        // dW(s)ᵀ += X_(row+s)ᵀ · dY_row
                                        T._latticeGEMM(K, N, w, pd.baseAddress! + q, 1, K, g.baseAddress! + start * N, N, dw.baseAddress! + k * K * N, N)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Fold the border back onto the torus, then back to the field layout.
            for p in pixels.indices { pixels[p] = 0 }
            for (q, s) in sources.enumerated() { for c in 0..<K { pixels[s * K + c] += dpadded[q * K + c] } }
            for i in 0..<cin { for p in 0..<n { for a in 0..<din { dx[xo + (i * n + p) * din + a] = pixels[p * K + i * din + a] } } }
        }
        return (dwt, db, dx)
    }
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

/// The scalars of the lattice kernels: the register-blocked product of the generated-layer kernels.
protocol LatticeKernelScalar: BinaryFloatingPoint, Sendable {
    /// C[m × n] += A · B, A[i, p] = a[i · am + p · ak] (`GeneratedLayerKernels._gemm`).
    static func _latticeGEMM(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
}

enum LatticeKernels: GeneratedLayerKernels {}

extension Float: LatticeKernelScalar {
    @inline(__always) static func _latticeGEMM(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) { LatticeKernels._gemm(m, n, k, a, am, ak, b, ldb, c, ldc) }
}

extension Double: LatticeKernelScalar {
    @inline(__always) static func _latticeGEMM(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ am: Int, _ ak: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Double>, _ ldc: Int
    ) { LatticeKernels._gemm(m, n, k, a, am, ak, b, ldb, c, ldc) }
}

/// One slot per parallel part, each written by exactly one iteration of `concurrentPerform`
/// before `values` is read (the call returns after every iteration).
final class ParallelResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    private let count: Int
    init(_ count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func set(_ k: Int, _ value: Value) { slots[k] = value }
    var values: [Value] { (0..<count).map { slots[$0]! } }
}
