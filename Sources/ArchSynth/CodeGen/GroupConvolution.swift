import GroupTheory

/// Detects layers between multiples of the regular representation and describes them as group
/// convolutions (issue 7 item 4): y_o(g) = Σ_i Σ_h θ_{o,i}(h⁻¹g) · x_i(h).
///
/// A representation qualifies when it is a permutation representation on m·|G| points made of
/// m copies (channels, consecutive blocks of |G| points) of one transitive action on |G| points,
/// i.e. the regular action: the built-in `regular` and a user's own permutations alike (e.g. the
/// translations of a periodic grid). Nothing is read from names.
///
/// The multiplication comes from the structure:
/// - `.grid`: the generators that act non-trivially commute and the products
///   g_1^{a_1} ⋯ g_k^{a_k} (0 ≤ a_j < order of g_j) reach every point exactly once, so G is
///   Z_{n_1} × ⋯ × Z_{n_k} and a point is a periodic grid coordinate a (last axis fastest); the
///   equivariant maps are W[p, q] = θ(a(p) − a(q)), index arithmetic only.
/// - `.table`: otherwise, for |G| ≤ `maximumTableOrder`, the |G|² orbit table of point pairs.
///
/// A local support (`support: k`, grids only) keeps the offsets with every coordinate in
/// −(k−1)/2 … k/2 (a k × ⋯ × k stencil); each offset's basis element is equivariant on its own,
/// so any subset keeps equivariance exactly.
public struct GroupConvolutionStructure: Sendable, Equatable {
    public enum Multiplication: Sendable, Equatable {
        /// Z_{n_1} × ⋯ × Z_{n_k}, shape (n_1, …, n_k), last axis contiguous.
        case grid(shape: [Int])
        /// table[p · |G| + q] = h: the pair (output point p, input point q) of block 0 lies in the
        /// orbit of (p₀, h), so W[p, q] = θ(h).
        case table([Int32])
    }

    public let order: Int
    public let inputChannels: Int
    public let outputChannels: Int
    public let multiplication: Multiplication
    /// Grids: the point of block 0 at each grid index, for input and output (nil: the identity).
    public let inputPoint: [Int32]?
    public let outputPoint: [Int32]?
    /// The support: grids, one signed offset per axis per element; tables, [h] per element.
    public let offsets: [[Int]]

    /// Largest |G| for which a multiplication table (|G|² Int32) is emitted.
    public static let maximumTableOrder = 256

    /// Parameters: θ[(o · inputChannels + i) · offsets.count + s].
    public var weightCount: Int { inputChannels * outputChannels * offsets.count }

    public var shape: [Int]? {
        if case let .grid(shape) = multiplication { return shape }
        return nil
    }

    /// The structure, `nil` when input or output is not a multiple of one regular action (or no
    /// structure is known and |G| is above `maximumTableOrder`); throws for an unusable support.
    public init?(input: Representation, output: Representation, order: Int, support: Int? = nil) throws(CodeGenerationError) {
        guard order >= 1, let inBlock = GroupConvolutionStructure.regularBlock(input, order),
              let outBlock = GroupConvolutionStructure.regularBlock(output, order),
              inBlock.generators.count == outBlock.generators.count
        else { return nil }
        self.order = order
        inputChannels = inBlock.channels
        outputChannels = outBlock.channels
        if let gin = GroupConvolutionStructure.grid(inBlock.generators, order),
           let gout = GroupConvolutionStructure.grid(outBlock.generators, order), gin.shape == gout.shape {
            multiplication = .grid(shape: gin.shape)
            inputPoint = gin.points.enumerated().allSatisfy { Int($0.element) == $0.offset } ? nil : gin.points
            outputPoint = gout.points.enumerated().allSatisfy { Int($0.element) == $0.offset } ? nil : gout.points
            let shape = gin.shape
            var axes: [[Int]] = []
            for n in shape {
                let k = min(support ?? n, n)
                guard k >= 1 else { throw .strategyUnavailable("group-convolution", reason: "--support must be at least 1") }
                axes.append(Array((-(k - 1) / 2)...(k / 2)))
            }
            var all: [[Int]] = [[]]
            for axis in axes { all = all.flatMap { prefix in axis.map { prefix + [$0] } } }
            offsets = all
        } else {
            guard support == nil else {
                throw .strategyUnavailable("group-convolution", reason: "a local support (--support) needs a product of cyclic groups (a periodic grid); this group has no such structure here")
            }
            guard order <= GroupConvolutionStructure.maximumTableOrder else { return nil }
            multiplication = .table(GroupConvolutionStructure.table(input: inBlock.generators, output: outBlock.generators, order: order))
            inputPoint = nil
            outputPoint = nil
            offsets = (0..<order).map { [$0] }
        }
    }

    /// m copies of one transitive action on `order` points: (m, generator images on block 0).
    static func regularBlock(_ rep: Representation, _ order: Int) -> (channels: Int, generators: [[Int]])? {
        guard case let .permutation(images) = rep.images, rep.dimension % order == 0, rep.dimension > 0 else { return nil }
        let channels = rep.dimension / order
        var generators: [[Int]] = []
        for g in images {
            let block = (0..<order).map { g[$0] }
            guard block.allSatisfy({ $0 < order }) else { return nil }
            for c in 1..<max(1, channels) {
                for i in 0..<order where g[c * order + i] != c * order + block[i] { return nil }
            }
            generators.append(block)
        }
        // Transitive on block 0 (with |points| = |G|: regular).
        var seen = [Bool](repeating: false, count: order)
        var queue = [0]
        seen[0] = true
        var k = 0
        while k < queue.count {
            for g in generators where !seen[g[queue[k]]] {
                seen[g[queue[k]]] = true
                queue.append(g[queue[k]])
            }
            k += 1
        }
        guard queue.count == order else { return nil }
        return (channels, generators)
    }

    /// Cyclic-product structure of a regular action: shape and the point at each grid index.
    static func grid(_ generators: [[Int]], _ order: Int) -> (shape: [Int], points: [Int32])? {
        let moving = generators.filter { g in g.enumerated().contains { $0.offset != $0.element } }
        if moving.isEmpty { return order == 1 ? ([1], [0]) : nil }
        for a in moving.indices { for b in (a + 1)..<moving.count {
            for p in 0..<order where moving[a][moving[b][p]] != moving[b][moving[a][p]] { return nil }
        } }
        var shape: [Int] = []
        for g in moving {
            var n = 1, p = g[0]
            while p != 0 { p = g[p]; n += 1 }
            shape.append(n)
        }
        guard shape.reduce(1, { $0 * $1 }) == order else { return nil }
        // points[index]: index = Σ a_j · stride_j (last axis fastest).
        var strides = [Int](repeating: 1, count: shape.count)
        for j in stride(from: shape.count - 2, through: 0, by: -1) { strides[j] = strides[j + 1] * shape[j + 1] }
        var points = [Int32](repeating: -1, count: order)
        var used = [Bool](repeating: false, count: order)
        points[0] = 0
        used[0] = true
        for index in 1..<order {
            // The last nonzero coordinate: one step of its generator from the predecessor.
            var j = shape.count - 1
            while (index / strides[j]) % shape[j] == 0 { j -= 1 }
            let p = moving[j][Int(points[index - strides[j]])]
            guard !used[p] else { return nil }
            used[p] = true
            points[index] = Int32(p)
        }
        return (shape, points)
    }

    /// The orbit table of (output point, input point) pairs of block 0 under the diagonal action.
    static func table(input: [[Int]], output: [[Int]], order: Int) -> [Int32] {
        // element[p]: the group element taking output point 0 to p, as its action on input points.
        var element = [[Int]?](repeating: nil, count: order)
        element[0] = Array(0..<order)
        var queue = [0]
        var k = 0
        while k < queue.count {
            let p = queue[k]
            for (gi, g) in output.enumerated() where element[g[p]] == nil {
                element[g[p]] = element[p]!.map { input[gi][$0] }
                queue.append(g[p])
            }
            k += 1
        }
        var table = [Int32](repeating: 0, count: order * order)
        for p in 0..<order {
            // (p, q) ~ (0, e_p⁻¹ q).
            let e = element[p]!
            for h in 0..<order { table[p * order + e[h]] = Int32(h) }
        }
        return table
    }

    /// The grid index of each point of block 0 (inverse of `inputPoint` / `outputPoint`).
    private func labels(_ points: [Int32]?) -> [Int] {
        guard let points else { return Array(0..<order) }
        var l = [Int](repeating: 0, count: order)
        for (i, p) in points.enumerated() { l[Int(p)] = i }
        return l
    }

    /// For each support element s and output point p of block 0, the input point q with
    /// W_s[p, q] = 1 (one per row).
    func columns() -> [[Int]] {
        switch multiplication {
        case let .grid(shape):
            var strides = [Int](repeating: 1, count: shape.count)
            for j in stride(from: shape.count - 2, through: 0, by: -1) { strides[j] = strides[j + 1] * shape[j + 1] }
            let outLabel = labels(outputPoint)
            let inPoint = inputPoint.map { $0.map(Int.init) } ?? Array(0..<order)
            return offsets.map { s in
                (0..<order).map { p in
                    let b = outLabel[p]
                    var a = 0
                    for j in shape.indices {
                        let coordinate = (b / strides[j]) % shape[j]
                        a += (((coordinate - s[j]) % shape[j] + shape[j]) % shape[j]) * strides[j]
                    }
                    return inPoint[a]
                }
            }
        case let .table(t):
            return offsets.map { s in
                var column = [Int](repeating: 0, count: order)
                for p in 0..<order { for q in 0..<order where Int(t[p * order + q]) == s[0] { column[p] = q } }
                return column
            }
        }
    }

    /// The basis the generated layer uses (θ order as `weightCount` documents), built directly.
    public func basis() -> EquivariantBasis {
        let cols = columns()
        let dIn = inputChannels * order, dOut = outputChannels * order
        var elements: [BasisMatrix] = []
        elements.reserveCapacity(weightCount)
        for o in 0..<outputChannels {
            for i in 0..<inputChannels {
                for column in cols {
                    let entries = (0..<order).map { p in SparseEntry(row: o * order + p, column: i * order + column[p], value: 1.0) }
                    elements.append(BasisMatrix(rows: dOut, columns: dIn, entries: entries))
                }
            }
        }
        let bias = (0..<outputChannels).map { o in
            BasisMatrix(rows: dOut, columns: 1, entries: (0..<order).map { SparseEntry(row: o * order + $0, column: 0, value: 1.0) })
        }
        return EquivariantBasis(
            inputDimension: dIn, outputDimension: dOut, elements: elements, biasElements: bias, tying: nil,
            method: .groupConvolution,
            crossCheck: CrossCheck(
                characterDimension: nil, characterBiasDimension: nil,
                characterNote: "group convolution: basis built from the regular action's structure, not solved",
                residual: 0, exactConstraintCheck: false))
    }
}

/// Group convolutions (see `GroupConvolutionStructure`). Grids run sample-major: each output
/// row (the last axis) accumulates Σ_i Σ_s θ · (shifted input row) in 4 vector registers over
/// rows padded with a periodic halo, so every load is contiguous and no index is wrapped in the
/// inner loop. Tables have full support, so W has no zero entry and walking the |G|² table does
/// the multiply–adds of the dense product: they form W from θ and the table once per parameter
/// change and run the runtime's `GeneratedMatrixLayer` products (D_8 on 4·regular, batch 64:
/// forward 27 µs walking the table, BENCHMARKS.md "Wide vectors against sgemm"). When the group
/// Fourier form (`GroupFourierKernels`) applies and costs at most 3/4 of W's multiply–adds (every
/// irreducible type absolutely irreducible: dihedral and symmetric groups; not A_4, nor C_n,
/// n ≥ 3, given as a table: complex types; and enough channels: D_8 4 → 4, 2496 against 4096;
/// 1 → 1 keeps W), the layer carries both forms and picks at run time by the runtime's build
/// (`GeneratedBuild.wideVectors`): the Fourier kernels in the portable build (D_8 4 → 4, batch 64,
/// loaded machine: 10.9 / 25.5 µs forward / backward against 15.7 / 31.9 for W), the same W
/// products in a wide build, where they measured faster (about 4 / 10 against 6.0 / 14.8).
struct GroupConvolutionEmitter: KernelEmitter {
    let layer: LayerDescription
    let structure: GroupConvolutionStructure
    /// Tables carry the Fourier form beside W when set (`init(layer:structure:fourierForm:)`); the
    /// runtime's build picks which runs.
    let fourier: GroupFourierKernels?
    /// Tables with W: why the Fourier form is not used (for the note).
    let matrixReason: String

    /// - Parameter fourierForm: tables only: nil chooses the Fourier form when it exists and costs
    ///   at most 3/4 of W's multiply–adds (`GroupFourierTransform.isCheaper`); true uses it
    ///   whenever it exists (tests); false keeps the product with W.
    init(layer: LayerDescription, structure: GroupConvolutionStructure, fourierForm: Bool? = nil) {
        self.layer = layer
        self.structure = structure
        (fourier, matrixReason) = Self.fourierPlan(layer, structure, fourierForm)
    }

    var strategy: ForwardStrategy { .groupConvolution }
    /// Grids: c = θ. Tables: c = [W, Wᵀ] (`GeneratedMatrixProducts`), built from θ and the table,
    /// followed, when the layer carries the Fourier form, by its transforms and blocks.
    var coefficientCount: Int {
        switch structure.multiplication {
        case .grid: structure.weightCount
        case .table: 2 * layer.input.dimension * layer.output.dimension + (fourier?.coefficientCount ?? 0)
        }
    }
    var note: String {
        let c = "\(structure.inputChannels) → \(structure.outputChannels) channels"
        switch structure.multiplication {
        case let .grid(shape):
            let support = structure.offsets.count == structure.order ? "full support" : "support of \(structure.offsets.count) offsets"
            return "group convolution on the periodic grid \(shape.map(String.init).joined(separator: "×")) (Z_n products, index arithmetic), \(c), \(support)"
        case .table:
            let table = "group convolution with a \(structure.order)×\(structure.order) multiplication table, \(c)"
            if let fourier { return table + ", " + fourier.note }
            return table + ", run as one product with W (\(structure.inputChannels * structure.outputChannels * structure.order * structure.order) multiply–adds a sample; \(matrixReason))"
        }
    }

    func printConstants(_ p: inout CodePrinter) {
        let s = structure
        p.print("// Group convolution: θ[(o · convolutionInputChannels + i) · supportCount + s].")
        p.print("static let convolutionInputChannels = \(s.inputChannels)")
        p.print("static let convolutionOutputChannels = \(s.outputChannels)")
        p.print("static let supportCount = \(s.offsets.count)")
        switch s.multiplication {
        case let .grid(shape):
            let rank = shape.count
            let rowLength = shape[rank - 1], outer = s.order / rowLength
            let halo = s.offsets.map { abs($0[rank - 1]) }.max() ?? 0
            var outerStrides = [Int](repeating: 1, count: max(0, rank - 1))
            if rank >= 2 { for j in stride(from: rank - 3, through: 0, by: -1) { outerStrides[j] = outerStrides[j + 1] * shape[j + 1] } }
            p.print("/// The periodic grid (last axis contiguous); offset s moves coordinate j by supportOffsets[s · \(rank) + j].")
            p.printIntegers("static let gridShape", type: "Int", shape)
            p.printIntegers("static let supportOffsets", type: "Int32", s.offsets.flatMap { $0 })
            p.print("static let rowLength = \(rowLength), outerCount = \(outer), halo = \(halo), paddedRow = \(rowLength + 2 * halo)")
            p.print("static let geometry = GridGeometry(outerCount: outerCount, rowLength: rowLength, paddedRow: paddedRow, halo: halo, supportCount: supportCount)")
            p.print("/// A sample's work for the batch split: every coefficient acts at each of the \(s.order) grid points.")
            p.print("public static var _workPerSample: Int { GeneratedBatchSplit.workPerSample(input: inputDimension, output: outputDimension, coefficients: coefficientCount * outerCount * rowLength) }")
            p.print("""
                /// _sourceRows[(a · supportCount + s) · 2 + 0 / 1]: the outer row (all axes but the last) of
                /// a − s / a + s (periodic), for outer row a.
                static let _sourceRows: [Int32] = {
                    var rows = [Int32](repeating: 0, count: outerCount * supportCount * 2)
                    let outerShape = Array(gridShape.dropLast())
                    for a in 0..<outerCount {
                        var coordinate = [Int](repeating: 0, count: outerShape.count)
                        var rest = a
                        for j in stride(from: outerShape.count - 1, through: 0, by: -1) { coordinate[j] = rest % outerShape[j]; rest /= outerShape[j] }
                        for s in 0..<supportCount {
                            var minus = 0, plus = 0
                            for j in 0..<outerShape.count {
                                let n = outerShape[j], d = Int(supportOffsets[s * gridShape.count + j])
                                minus = minus * n + ((coordinate[j] - d) % n + n) % n
                                plus = plus * n + ((coordinate[j] + d) % n + n) % n
                            }
                            rows[(a * supportCount + s) * 2] = Int32(minus)
                            rows[(a * supportCount + s) * 2 + 1] = Int32(plus)
                        }
                    }
                    return rows
                }()
                /// The last-axis offset of each support element.
                static let _rowShift: [Int] = (0..<supportCount).map { Int(supportOffsets[$0 * gridShape.count + gridShape.count - 1]) }
                """)
            if let ip = s.inputPoint {
                p.print("/// inputPoint[index]: the input coordinate (within a channel) at each grid index.")
                p.printIntegers("static let inputPoint", type: "Int32", ip)
            }
            if let op = s.outputPoint {
                p.print("/// outputPoint[index]: the output coordinate (within a channel) at each grid index.")
                p.printIntegers("static let outputPoint", type: "Int32", op)
            }
        case let .table(t):
            if let fourier {
                fourier.printConstants(&p)
            } else {
                p.print("static let groupOrder_ = \(s.order)")
            }
            p.print("/// convolutionTable[p · |G| + q] = h: W[(o, p), (i, q)] = θ[(o · inputChannels + i) · |G| + h].")
            p.printIntegers("static let convolutionTable", type: "Int32", t)
        }
    }

    func printCoefficientsBody(_ p: inout CodePrinter) {
        switch structure.multiplication {
        case .grid: p.print("theta")
        case .table:
            p.print("""
                // W[(o, p), (i, q)] = θ[(o · mi + i) · |G| + table[p · |G| + q]].
                let n = groupOrder_, mi = convolutionInputChannels, mo = convolutionOutputChannels
                var w = [Double](repeating: 0, count: outputDimension * inputDimension)
                for o in 0..<mo {
                    for p in 0..<n {
                        for i in 0..<mi {
                            for q in 0..<n { w[(o * n + p) * inputDimension + i * n + q] = theta[(o * mi + i) * n + Int(convolutionTable[p * n + q])] }
                        }
                    }
                }
                """)
            // With the Fourier form: [W, Wᵀ] (the wide build's products), then the Fourier coefficients.
            p.print(fourier == nil ? "return _withTranspose(w)" : "return GeneratedMatrixProducts.withTranspose(w, inputDimension, outputDimension, layer: \"\\(Self.self)\") + _fourierCoefficients(theta)")
        }
    }

    func printWeightGradientBody(_ p: inout CodePrinter) {
        switch structure.multiplication {
        case .grid: p.print("Array(dc[0..<weightCount])")
        case .table:
            if fourier != nil {
                // The section of dc the build's form accumulated (`GeneratedBuild.wideVectors`).
                return p.print("GeneratedBuild.wideVectors ? _tableWeightGradient(dc) : _fourierWeightGradient(dc)")
            }
            printTableWeightGradientBody(&p)
        }
    }

    /// ∂L/∂θ from ∂L/∂W, the first d_out · d_in entries of dc.
    func printTableWeightGradientBody(_ p: inout CodePrinter) {
        p.print("""
            // ∂L/∂θ[(o · mi + i) · |G| + h] = Σ over (p, q) with table[p · |G| + q] = h of ∂L/∂W[(o, p), (i, q)].
            let n = groupOrder_, mi = convolutionInputChannels, mo = convolutionOutputChannels, dIn = inputDimension
            var g = [S](repeating: 0, count: weightCount)
            convolutionTable.withUnsafeBufferPointer { tp in
                dc.withUnsafeBufferPointer { dp in
                    g.withUnsafeMutableBufferPointer { gp in
                        let table = tp.baseAddress!, d = dp.baseAddress!, g0 = gp.baseAddress!
                        for o in 0..<mo {
                            for p in 0..<n {
                                for i in 0..<mi {
                                    let gi = g0 + (o &* mi &+ i) &* n, row = d + ((o &* n &+ p) &* dIn &+ i &* n), tr = table + p &* n
                                    for q in 0..<n { gi[Int(tr[q])] += row[q] }
                                }
                            }
                        }
                    }
                }
            }
            return g
            """)
    }

    var conformance: String {
        switch structure.multiplication {
        case .grid: "GeneratedLayer"
        case .table: fourier == nil ? "GeneratedMatrixLayer" : "GeneratedLayer"
        }
    }

    var tableEntries: Int { 0 }

    func emittedWeightMatrix(theta: [Double]) -> Matrix {
        guard let fourier else { return basisWeightMatrix(layer, theta: theta) }
        return fourier.transform.weightMatrix(theta: theta, inputChannels: fourier.inputChannels, outputChannels: fourier.outputChannels)
    }

    func printKernels(_ p: inout CodePrinter) {
        switch structure.multiplication {
        case .grid: printGridKernels(&p)
        case .table:
            // Without the Fourier form: the runtime's GeneratedMatrixLayer products with W.
            guard let fourier else { return }
            fourier.printKernels(&p)
            p.print()
            p.print("/// ∂L/∂θ from ∂L/∂W (the first d_out · d_in entries of dc): the gradient of the W products.")
            p.block("static func _tableWeightGradient<S: GeneratedScalar>(_ dc: [S]) -> [S]") { printTableWeightGradientBody(&$0) }
        }
    }

    private func printGridKernels(_ p: inout CodePrinter) {
        let S = "S"
        let gatherIn = structure.inputPoint != nil, scatterOut = structure.outputPoint != nil
        p.print("""
            /// Copies `channels` channels of one sample into rows padded with a periodic halo
            /// (grid order; `point` maps grid indices to coordinates when the layout is not the grid's).
            @inline(__always) static func _padRows<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ channels: Int, _ point: UnsafePointer<Int32>?, _ padded: UnsafeMutablePointer<S>) {
                let g = outerCount * rowLength
                for c in 0..<channels {
                    for a in 0..<outerCount {
                        let dst = padded + (c * outerCount + a) * paddedRow + halo
                        let base = c * g + a * rowLength
                        if let point {
                            for j in 0..<rowLength { dst[j] = x[c * g + Int(point[a * rowLength + j])] }
                        } else {
                            (dst).update(from: x + base, count: rowLength)
                        }
                        for t in 0..<halo {
                            dst[-1 - t] = dst[((rowLength - 1 - t) % rowLength + rowLength) % rowLength]
                            dst[rowLength + t] = dst[t % rowLength]
                        }
                    }
                }
            }
            """)
        p.print("""

            static func _forwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ count: Int, _ c: UnsafePointer<\(S)>) {
                let mi = convolutionInputChannels, mo = convolutionOutputChannels, g = outerCount * rowLength
                let padded = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, mi * outerCount * paddedRow))
                let out = UnsafeMutablePointer<\(S)>.allocate(capacity: \(scatterOut ? "max(1, mo * g)" : "1"))
                defer { padded.deallocate(); out.deallocate() }
                _sourceRows.withUnsafeBufferPointer { rp in
                    _rowShift.withUnsafeBufferPointer { sp in
                        \(gatherIn ? "inputPoint.withUnsafeBufferPointer { ip in" : "do {")
                            for n in 0..<count {
                                _padRows(x + n * inputDimension, mi, \(gatherIn ? "ip.baseAddress!" : "nil"), padded)
                                let yn = \(scatterOut ? "out" : "y + n * outputDimension")
                                \(scatterOut ? "out.initialize(repeating: 0, count: mo * g)" : "")
                                for o in 0..<mo {
                                    for a in 0..<outerCount {
                                        S._convolveRow(yn + o * g + a * rowLength, padded, mi, c + o * mi * supportCount, supportCount,
                                                       rp.baseAddress! + a * supportCount * 2, 0, sp.baseAddress!, -1, geometry)
                                    }
                                }
                                \(scatterOut ? "outputPoint.withUnsafeBufferPointer { op in for o in 0..<mo { for k in 0..<g { y[n * outputDimension + o * g + Int(op[k])] += out[o * g + k] } } }" : "")
                            }
                        }
                    }
                }
            }

            static func _backwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<\(S)>, _ dy: UnsafePointer<\(S)>, _ count: Int, _ c: UnsafePointer<\(S)>, _ dc: UnsafeMutablePointer<\(S)>, _ dx: UnsafeMutablePointer<\(S)>) {
                let mi = convolutionInputChannels, mo = convolutionOutputChannels, g = outerCount * rowLength
                let padded = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, mi * outerCount * paddedRow))
                let paddedGradient = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, mo * outerCount * paddedRow))
                let grid = UnsafeMutablePointer<\(S)>.allocate(capacity: max(1, (mi + mo) * g))
                defer { padded.deallocate(); paddedGradient.deallocate(); grid.deallocate() }
                _sourceRows.withUnsafeBufferPointer { rp in
                    _rowShift.withUnsafeBufferPointer { sp in
                        \(gatherIn ? "inputPoint.withUnsafeBufferPointer { ip in" : "do {")
                            \(scatterOut ? "outputPoint.withUnsafeBufferPointer { op in" : "do {")
                                let rows = rp.baseAddress!, shift = sp.baseAddress!
                                for n in 0..<count {
                                    _padRows(x + n * inputDimension, mi, \(gatherIn ? "ip.baseAddress!" : "nil"), padded)
                                    _padRows(dy + n * outputDimension, mo, \(scatterOut ? "op.baseAddress!" : "nil"), paddedGradient)
                                    // ∂L/∂x_i = Σ_o Σ_s θ[o, i, s] · dy_o(· + s), in grid order.
                                    let dxGrid = grid
                                    dxGrid.initialize(repeating: 0, count: mi * g)
                                    for i in 0..<mi {
                                        for a in 0..<outerCount {
                                            S._convolveRow(dxGrid + i * g + a * rowLength, paddedGradient, mo, c + i * supportCount, mi * supportCount,
                                                           rows + a * supportCount * 2, 1, shift, 1, geometry)
                                        }
                                    }
                                    \(gatherIn ? "for i in 0..<mi { for k in 0..<g { dx[n * inputDimension + i * g + Int(ip[k])] += dxGrid[i * g + k] } }" : "for k in 0..<(mi * g) { dx[n * inputDimension + k] += dxGrid[k] }")
                                    // ∂L/∂θ[o, i, s] = Σ_a dy_o(a) · x_i(a − s).
                                    for o in 0..<mo {
                                        for a in 0..<outerCount {
                                            let gr = UnsafePointer(paddedGradient) + (o * outerCount + a) * paddedRow + halo
                                            for i in 0..<mi {
                                                let pi = UnsafePointer(padded) + i * outerCount * paddedRow + halo
                                                let d = dc + (o * mi + i) * supportCount
                                                for s in 0..<supportCount {
                                                    d[s] += S._rowDot(gr, pi + Int(rows[(a * supportCount + s) * 2]) * paddedRow - shift[s], rowLength)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            """)
    }
}
