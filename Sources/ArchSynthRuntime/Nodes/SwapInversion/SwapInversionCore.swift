/// The runtime half of the swap-inversion template (ConstrICON, arXiv 2305.00087): a network
/// whose two inputs (A, B) give a transform Φ[A,B] with Φ[B,A] = Φ[A,B]⁻¹ by construction.
///
/// C₂ acts on the input pair A ⊕ B by swapping the halves and on the output by inversion.
/// The antisymmetric part v(A, B) = −v(B, A) is the output of a C₂-equivariant network whose
/// layers (`layers`, `TiedLinear` entries solved by `IntertwinerSolver` and baked into
/// the generated file; matrix forms: swap-of-halves → regular C₂ (ReLU) → regular C₂ (ReLU) →
/// sign ⊗ R^p; the field form: the convolutional network described at `SwapInversionCore`),
/// then an odd bound t ↦ s·tanh(t) (still in the sign representation) and a fixed linear
/// embedding into the Lie algebra:
/// - `.affine(d)`: p = d² + d, G = [[M, b], [0, 0]], Φ = exp(G) ((d+1)×(d+1) homogeneous);
/// - `.rigid(d)`: M antisymmetric (p = d(d−1)/2 + d), Φ ∈ SE(d);
/// - `.svf(h, w)`: a stationary velocity field 2×h×w (rows plane first, grid units) spanned by
///   periodic Gaussian bumps on a 4×4 lattice per component (p = 32), from a convolutional
///   C₂-equivariant network (see `SwapInversionCore`); Φ_AB = id + δ with
///   δ₀ = v/2^K and K squarings δ ← δ + δ∘(id + δ) (bilinear, periodic boundary), Φ_BA
///   from −v.
/// Because v(B, A) = −v(A, B) (to rounding) and exp(−G) = exp(G)⁻¹, swapping the inputs inverts
/// the output.
public enum SwapInversionForm: Sendable, Equatable, CustomStringConvertible {
    case affine(Int)
    case rigid(Int)
    case svf(height: Int, width: Int)

    /// Parses `affine:2`, `affine:3`, `rigid:2`, `rigid:3`, `svf:HxW`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "affine", "rigid":
            guard let d = Int(parts[1]), d == 2 || d == 3 else { return nil }
            self = parts[0] == "affine" ? .affine(d) : .rigid(d)
        case "svf":
            let fields = parts[1].split(separator: "x", omittingEmptySubsequences: false)
            let hw = fields.compactMap { Int($0) }
            guard fields.count == 2, hw.count == 2, hw[0] >= 2, hw[1] >= 2 else { return nil }
            self = .svf(height: hw[0], width: hw[1])
        default: return nil
        }
    }

    /// The form as the command line spells it: "affine:2", "rigid:3", "svf:32x32".
    public var description: String {
        switch self {
        case let .affine(d): return "affine:\(d)"
        case let .rigid(d): return "rigid:\(d)"
        case let .svf(h, w): return "svf:\(h)x\(w)"
        }
    }

    /// (d+1) for the matrix forms, nil for a field.
    public var matrixSize: Int? {
        switch self {
        case let .affine(d), let .rigid(d): return d + 1
        case .svf: return nil
        }
    }

    /// The lattice of velocity bumps per axis (svf).
    public static let bumpLattice = 4

    /// p, the dimension of the output the equivariant network produces (sign ⊗ R^p).
    public var coefficientCount: Int {
        switch self {
        case let .affine(d): return d * d + d
        case let .rigid(d): return d * (d - 1) / 2 + d
        case .svf: return 2 * Self.bumpLattice * Self.bumpLattice
        }
    }

    /// The size of the Lie-algebra element: (d+1)² or 2·h·w.
    public var algebraSize: Int {
        switch self {
        case let .affine(d), let .rigid(d): return (d + 1) * (d + 1)
        case let .svf(h, w): return 2 * h * w
        }
    }

    /// The fixed embedding coefficients → Lie algebra (bounds folded in): linear part entries
    /// bounded by 0.5, translations by 2 (matrix forms); bumps of amplitude ≤ 3 pixels (svf).
    public var embedding: FixedSparseMap {
        var e: [FixedSparseMap.Entry] = []
        switch self {
        case let .affine(d):
            let n = d + 1
            var k = 0
            for i in 0..<d {
                for j in 0..<d {
                    e.append(.init(row: i * n + j, column: k, coefficient: 0.5))
                    k += 1
                }
            }
            for i in 0..<d {
                e.append(.init(row: i * n + d, column: k, coefficient: 2))
                k += 1
            }
        case let .rigid(d):
            let n = d + 1
            var k = 0
            for i in 0..<d {
                for j in (i + 1)..<max(d, i + 1) {
                    e.append(.init(row: i * n + j, column: k, coefficient: 0.5))
                    e.append(.init(row: j * n + i, column: k, coefficient: -0.5))
                    k += 1
                }
            }
            for i in 0..<d {
                e.append(.init(row: i * n + d, column: k, coefficient: 2))
                k += 1
            }
        case let .svf(h, w):
            let g = Self.bumpLattice
            let sy = Double(h) / Double(g), sx = Double(w) / Double(g)
            let sigma2 = 2 * (0.75 * max(sy, sx)) * (0.75 * max(sy, sx))
            for plane in 0..<2 {
                for a in 0..<g {
                    for b in 0..<g {
                        let column = plane * g * g + a * g + b
                        let cy = (Double(a) + 0.5) * sy, cx = (Double(b) + 0.5) * sx
                        for i in 0..<h {
                            for j in 0..<w {
                                var dy = abs(Double(i) - cy), dx = abs(Double(j) - cx)
                                dy = min(dy, Double(h) - dy)
                                dx = min(dx, Double(w) - dx)
                                let value = 3 * Double.exp(-(dy * dy + dx * dx) / sigma2)
                                if value > 1e-9 { e.append(.init(row: plane * h * w + i * w + j, column: column, coefficient: value)) }
                            }
                        }
                    }
                }
            }
        }
        return FixedSparseMap(inputSize: coefficientCount, outputSize: algebraSize, entries: e)
    }

    /// The pooling factor of the field network: 2 on grids with even sides ≥ 16, else 1.
    public static func fieldPooling(height: Int, width: Int) -> Int {
        height >= 16 && width >= 16 && height % 2 == 0 && width % 2 == 0 ? 2 : 1
    }

    /// f×f average pooling of a C-channel H×W signal (H, W multiples of f).
    public static func averagePooling(channels: Int, height: Int, width: Int, factor f: Int) -> FixedSparseMap {
        let (ph, pw) = (height / f, width / f)
        var e: [FixedSparseMap.Entry] = []
        for c in 0..<channels {
            for i in 0..<height {
                for j in 0..<width {
                    e.append(.init(row: c * ph * pw + (i / f) * pw + j / f, column: c * height * width + i * width + j, coefficient: 1 / Double(f * f)))
                }
            }
        }
        return FixedSparseMap(inputSize: channels * height * width, outputSize: channels * ph * pw, entries: e)
    }

    /// svf: the least-squares projection of a 2-plane field on the pooled grid onto the bump
    /// coefficients, c = (EᵀE + λI)⁻¹Eᵀu with E the embedding averaged over each pooling cell
    /// (λ = 1e-9·trace(EᵀE)/p keeps tiny grids well posed). Linear, so it maps sign ⊗ R^(2n) to
    /// sign ⊗ R^p.
    public var fieldProjection: FixedSparseMap {
        guard case let .svf(h, w) = self else { preconditionFailure("fieldProjection: field form only") }
        let f = Self.fieldPooling(height: h, width: w), (ph, pw) = (h / f, w / f)
        let p = coefficientCount, n = 2 * ph * pw, hw = h * w
        var emb = [Double](repeating: 0, count: n * p)
        for en in embedding.entries {
            let r = Int(en.row), plane = r / hw, i = (r % hw) / w, j = r % w
            emb[(plane * ph * pw + (i / f) * pw + j / f) * p + Int(en.column)] += en.coefficient / Double(f * f)
        }
        var g = [Double](repeating: 0, count: p * p)
        for r in 0..<n {
            for a in 0..<p where emb[r * p + a] != 0 {
                for c in 0..<p { g[a * p + c] += emb[r * p + a] * emb[r * p + c] }
            }
        }
        var trace = 0.0
        for a in 0..<p { trace += g[a * p + a] }
        for a in 0..<p { g[a * p + a] += 1e-9 * trace / Double(p) }
        // (EᵀE + λI)⁻¹: positive definite once λ > 0, i.e. once the embedding has any entry.
        guard let inv = DenseMatrix.inverse(g, p) else {
            preconditionFailure("fieldProjection: the bump embedding of svf:\(h)x\(w) is zero")
        }
        var e: [FixedSparseMap.Entry] = []
        for a in 0..<p {
            for r in 0..<n {
                var v = 0.0
                for c in 0..<p { v += inv[a * p + c] * emb[r * p + c] }
                if v != 0 { e.append(.init(row: a, column: r, coefficient: v)) }
            }
        }
        return FixedSparseMap(inputSize: n, outputSize: p, entries: e)
    }
}

/// y = M x for a fixed sparse matrix M (no parameters). Law: linear, so it intertwines ρ_in
/// and ρ_out whenever M does (here: sign ⊗ R^p → sign ⊗ Lie algebra, since M is applied to
/// both v and −v).
public struct FixedSparseMap: ParameterFreeNode, ScalarSpecializedNode {
    /// One nonzero M[row, column] = coefficient.
    public struct Entry: Sendable, Hashable {
        /// The output index.
        public let row: Int32
        /// The input index.
        public let column: Int32
        /// The matrix entry.
        public let coefficient: Double
        /// Indices must fit in Int32 (checked by the map's initializer against its sizes).
        public init(row: Int, column: Int, coefficient: Double) {
            self.row = Int32(row)
            self.column = Int32(column)
            self.coefficient = coefficient
        }
    }

    /// The length of x.
    public let inputSize: Int
    /// The length of y.
    public let outputSize: Int
    /// The nonzeros of M, in the order they are summed.
    public let entries: [Entry]
    /// One input, x.
    public var inputSizes: [Int] { [inputSize] }

    /// The entries grouped by row (for M x) and by column (for Mᵀ ȳ).
    let byRow: SparseGroups, byColumn: SparseGroups

    /// Traps if an entry is outside outputSize × inputSize.
    /// - Complexity: O(entries + inputSize + outputSize) (the entries grouped by row and by column).
    public init(inputSize: Int, outputSize: Int, entries: [Entry]) {
        precondition(entries.allSatisfy { $0.row >= 0 && $0.column >= 0 && Int($0.row) < outputSize && Int($0.column) < inputSize }, "FixedSparseMap: entry out of range")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.entries = entries
        byRow = SparseGroups(entries, groups: outputSize, group: { Int($0.row) }, other: { $0.column })
        byColumn = SparseGroups(entries, groups: inputSize, group: { Int($0.column) }, other: { $0.row })
    }

    /// y = M x; the pullback gives Mᵀ dy.
    /// - Complexity: O(entries) for the value and for the pullback.
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let byColumn = self.byColumn, m = outputSize
        let y = byRow.apply(to: inputs[0])
        return (y, { dy in
            precondition(dy.count == m, "FixedSparseMap: an output gradient of \(dy.count) values for an output of \(m)")
            return NodeGradient(parameters: [], inputs: [byColumn.apply(to: dy)])
        })
    }
}

/// A sparse matrix's entries grouped by one index (the row, or the column for the transpose),
/// each group in the order of the entry list: out[g] = Σ coefficient · v[other] over group g,
/// summed from 0 in that order, which is the order of `y[row] += c · x[column]` over the list, so
/// the values are those of a pass over the entries, bit for bit. Each sum runs in a register
/// instead of through memory, four groups' sums interleaved.
struct SparseGroups: Sendable {
    /// Group g's entries are start[g]..<start[g + 1].
    let start: [Int]
    /// The other index of each entry (the one read from v).
    let other: [Int32]
    /// The coefficient of each entry.
    let coefficient: [Double]

    /// A stable counting sort of `entries` by `group` (values in 0..<groups, checked by the caller).
    init(_ entries: [FixedSparseMap.Entry], groups: Int, group: (FixedSparseMap.Entry) -> Int, other: (FixedSparseMap.Entry) -> Int32) {
        var start = [Int](repeating: 0, count: groups + 1)
        for e in entries { start[group(e) + 1] += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var next = start, others = [Int32](repeating: 0, count: entries.count), coefficients = [Double](repeating: 0, count: entries.count)
        for e in entries {
            let g = group(e)
            (others[next[g]], coefficients[next[g]]) = (other(e), e.coefficient)
            next[g] += 1
        }
        (self.start, self.other, coefficient) = (start, others, coefficients)
    }

    /// out[g] for every group (v must cover every `other` index: the map's shapes).
    /// - Complexity: O(groups + entries).
    func apply<T: RuntimeScalar>(to v: [T]) -> [T] {
        let groups = start.count - 1
        var out = [T](repeating: T.zero, count: groups)
        start.withUnsafeBufferPointer { st in
            other.withUnsafeBufferPointer { ot in
                coefficient.withUnsafeBufferPointer { co in
                    v.withUnsafeBufferPointer { vb in
                        out.withUnsafeMutableBufferPointer { ob in
                            @inline(__always) func term(_ k: Int) -> T { T(co[k]) * vb[Int(ot[k])] }
                            // Four groups at a time, their sums interleaved (four independent
                            // chains of additions instead of one), each in its own order.
                            var g = 0
                            while g + 4 <= groups {
                                var (a0, a1, a2, a3) = (T.zero, T.zero, T.zero, T.zero)
                                var (k0, k1, k2, k3) = (st[g], st[g + 1], st[g + 2], st[g + 3])
                                let (e0, e1, e2, e3) = (st[g + 1], st[g + 2], st[g + 3], st[g + 4])
                                for _ in 0..<min(e0 - k0, e1 - k1, e2 - k2, e3 - k3) {
                                    a0 += term(k0)
                                    a1 += term(k1)
                                    a2 += term(k2)
                                    a3 += term(k3)
                                    (k0, k1, k2, k3) = (k0 + 1, k1 + 1, k2 + 1, k3 + 1)
                                }
                                for k in k0..<e0 { a0 += term(k) }
                                for k in k1..<e1 { a1 += term(k) }
                                for k in k2..<e2 { a2 += term(k) }
                                for k in k3..<e3 { a3 += term(k) }
                                (ob[g], ob[g + 1], ob[g + 2], ob[g + 3]) = (a0, a1, a2, a3)
                                g += 4
                            }
                            for h in g..<groups {
                                var acc = T.zero
                                for k in st[h]..<st[h + 1] { acc += term(k) }
                                ob[h] = acc
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// warp(signal, id + displacement): inputs [signal C×H×W, displacement 2×H×W].
public struct DisplacementWarp: ParameterFreeNode {
    /// The bilinear warp the displaced sampling map is passed to.
    public let warp: Warp
    /// [C·H·W, 2·H·W]: the signal and the displacement (grid units).
    public var inputSizes: [Int] { warp.inputSizes }
    /// C·H·W: the warped signal.
    public var outputSize: Int { warp.outputSize }

    /// A warp of `channels` channels on an H×W grid with the given boundary (periodic or border).
    public init(channels: Int, height: Int, width: Int, mode: Warp.Boundary) {
        warp = Warp(channels: channels, height: height, width: width, mode: mode)
    }

    /// signal sampled at id + displacement; the pullback is the warp's (both inputs).
    /// - Complexity: O(C·H·W).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "DisplacementWarp")
        var map: [T] = Warp.identityMap(height: warp.height, width: warp.width)
        for k in map.indices { map[k] += inputs[1][k] }
        let (y, pb) = warp.valueWithPullback(parameters, [inputs[0], map])
        return (y, pb)
    }
}

/// The displacement δ of exp(v) for a stationary velocity field v (2×H×W, grid units) by
/// scaling and squaring: δ₀ = v/2^K, then K times δ ← δ + δ∘(id + δ) (`DisplacementComposition`).
public enum VelocityIntegration {
    /// The graph v ↦ δ (input and output 2·H·W values).
    /// - Complexity: O(squarings · H · W) per evaluation.
    public static func graph(height: Int, width: Int, squarings: Int, mode: Warp.Boundary) -> Graph {
        let size = 2 * height * width
        var b = GraphBuilder(inputSizes: [size])
        var d = b.apply(Scale(size: size, factor: 1 / Double(1 << squarings)), [b.inputs[0]])
        let compose = DisplacementComposition(height: height, width: width, mode: mode)
        for _ in 0..<squarings { d = b.apply(compose, [d, d]) }
        return b.build(output: d)
    }
}

/// The swap-inversion network and the form's bound and embedding.
///
/// Matrix forms: three `TiedLinear` layers (C₂-equivariant from the solver, or dense for the
/// unconstrained baseline) on A ⊕ B with ReLU, then s·tanh and the embedding.
///
/// Field form (`.svf`): a convolutional network on the image pair as a 2-channel grid signal
/// [A, B] (C₂ swaps the two channels). `layers` are four channel bases (solver intertwiners,
/// or dense for the baseline), each tensored with a 3×3 periodic stencil (`TiedGridConvolution`):
/// 1. [A, B] is average-pooled by `SwapInversionForm.fieldPooling` (2×2 on grids ≥ 16, else none);
/// 2. layers 0 and 1: swap → regular C₂ (2C channels each), multiplied pointwise (f ⊙ g: products
///    such as (B − A)·∂A, the first-order displacement evidence; still regular C₂);
/// 3. layer 2: regular → regular, ReLU; layer 3: regular → sign ⊗ R² (a 2-plane field u);
/// 4. u is projected onto the velocity bumps by fixed least squares (`fieldProjection`), bounded by
///    tanh and embedded: v = Σ 3·tanh(c_k)·bump_k — a smooth stationary velocity.
/// With the solver's bases the output layer is odd under the swap, so v(B, A) = −v(A, B).
public struct SwapInversionCore: Sendable {
    /// The transform family Φ belongs to (affine, rigid, or a stationary velocity field).
    public let form: SwapInversionForm
    /// The length of each of A and B (flattened images).
    public let inputSize: Int
    /// Matrix forms: the three layers. svf: the four channel bases of the convolutions.
    public let layers: [TiedLinear]
    /// Squarings for the field form.
    public let squarings: Int
    /// v(A, B): inputs [A, B] → the Lie-algebra element ((d+1)² matrix entries or 2·h·w field).
    public let velocity: Graph
    /// Φ[A, B]: inputs [A, B] → exp(v) (matrix forms: (d+1)² entries; svf: the displacement δ_AB).
    public let transform: Graph
    /// The parametrized nodes of `velocity` in parameter order (for initialization).
    let parametrized: [any DifferentiableNode]

    /// Builds `velocity` and `transform` from the form and the layers (see the type's comment).
    public init(form: SwapInversionForm, inputSize: Int, layers: [TiedLinear], squarings: Int = 7) {
        self.form = form
        self.inputSize = inputSize
        self.layers = layers
        self.squarings = squarings
        switch form {
        case .affine, .rigid:
            precondition(layers.count == 3, "SwapInversionCore: three layers")
            precondition(layers[0].inputSize == 2 * inputSize && layers[2].outputSize == form.coefficientCount, "SwapInversionCore: layer shapes")
            var b = GraphBuilder(inputSizes: [inputSize, inputSize])
            let x = b.concat(b.inputs[0], b.inputs[1])
            let l1 = b.apply(layers[0], [x])
            let h1 = b.apply(Pointwise.relu(size: layers[0].outputSize), [l1])
            let l2 = b.apply(layers[1], [h1])
            let h2 = b.apply(Pointwise.relu(size: layers[1].outputSize), [l2])
            let c = b.apply(layers[2], [h2])
            let t = b.apply(Pointwise.tanh(size: form.coefficientCount), [c])
            let v = b.apply(form.embedding, [t])
            velocity = b.build(output: v)
            parametrized = layers
        case let .svf(h, w):
            precondition(layers.count == 4, "SwapInversionCore: svf takes four channel bases")
            precondition(inputSize == h * w, "SwapInversionCore: svf images must be \(h)×\(w)")
            precondition(
                layers[0].inputSize == 2 && layers[1].inputSize == 2 && layers[0].outputSize == layers[1].outputSize
                    && layers[2].inputSize == layers[0].outputSize && layers[3].inputSize == layers[2].outputSize && layers[3].outputSize == 2,
                "SwapInversionCore: svf channel shapes")
            let f = SwapInversionForm.fieldPooling(height: h, width: w)
            let grid = PeriodicGrid(height: h / f, width: w / f)
            let convs = layers.map { TiedGridConvolution(grid: grid, channels: $0, stencil: 3) }
            var b = GraphBuilder(inputSizes: [inputSize, inputSize])
            var x = b.concat(b.inputs[0], b.inputs[1])
            if f > 1 { x = b.apply(SwapInversionForm.averagePooling(channels: 2, height: h, width: w, factor: f), [x]) }
            let f0 = b.apply(convs[0], [x]), g0 = b.apply(convs[1], [x])
            let p = b.apply(Product(size: convs[0].outputSize), [f0, g0])
            let l2 = b.apply(convs[2], [p])
            let h2 = b.apply(Pointwise.relu(size: convs[2].outputSize), [l2])
            let u = b.apply(convs[3], [h2])
            let c = b.apply(form.fieldProjection, [u])
            let t = b.apply(Pointwise.tanh(size: form.coefficientCount), [c])
            let v = b.apply(form.embedding, [t])
            velocity = b.build(output: v)
            parametrized = convs
        }
        var tb = GraphBuilder(inputSizes: [inputSize, inputSize])
        let vv = tb.apply(velocity, tb.inputs)
        let phi: Graph.Value
        switch form {
        case .affine, .rigid:
            phi = tb.apply(MatrixExponential(n: form.matrixSize!), [vv])
        case let .svf(h, w):
            phi = tb.apply(VelocityIntegration.graph(height: h, width: w, squarings: squarings, mode: .periodic), [vv])
        }
        transform = tb.build(output: phi)
    }

    /// The number of parameters of the output layer (the last ones in the parameter vector; the
    /// output layer has no bias).
    public var outputLayerParameterCount: Int { parametrized.last!.parameterCount }

    /// θ of the whole network (`transform` has the same parameters as `velocity`).
    public var parameterCount: Int { velocity.parameterCount }

    /// Variance-preserving uniform initialization, layer by layer (biases start at 0; the output
    /// layer's weights are scaled by 0.1, so v ≈ 0 and Φ ≈ id at initialization).
    public func initialParameters(seed: UInt64) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        var p: [Double] = []
        for (i, node) in parametrized.enumerated() {
            let last = i == parametrized.count - 1
            let (bound, weights): (Double, Int)
            if let layer = node as? TiedLinear {
                (bound, weights) = (layer.initializationBound, layer.weightCount)
            } else if let conv = node as? TiedGridConvolution {
                (bound, weights) = (conv.initializationBound, conv.weightCount)
            } else {
                preconditionFailure("SwapInversionCore: unexpected node \(type(of: node))")
            }
            let a = bound * (last ? 0.1 : 1)
            for _ in 0..<weights { p.append(rng.uniform(-a, a)) }
            p += [Double](repeating: 0, count: node.parameterCount - weights)
        }
        precondition(p.count == velocity.parameterCount, "SwapInversionCore: parameter layout")
        return p
    }

    /// The model output the laws are stated on: Φ[A, B] for the matrix forms (swap law with
    /// inverse output), v(A, B) for svf (swap law with negated output).
    public func forward(_ parameters: [Double], _ inputs: [[Double]]) -> [Double] {
        switch form {
        case .affine, .rigid: return transform.forward(parameters, inputs)
        case .svf: return velocity.forward(parameters, inputs)
        }
    }

    /// (θ̄, Ā, B̄) for the output gradient of `forward`.
    public func backward(_ parameters: [Double], _ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
        switch form {
        case .affine, .rigid: return transform.backward(parameters, inputs, outputGradient: outputGradient)
        case .svf: return velocity.backward(parameters, inputs, outputGradient: outputGradient)
        }
    }

    /// (Φ[A,B], Φ[B,A]) — matrices, or displacements δ_AB, δ_BA (Φ = id + δ) for svf.
    /// Φ[B,A] is computed by running the network on the swapped pair (exp(v(B, A))).
    public func transforms(_ parameters: [Double], _ a: [Double], _ b: [Double]) -> (ab: [Double], ba: [Double]) {
        (transform.forward(parameters, [a, b]), transform.forward(parameters, [b, a]))
    }

    /// Matrix forms: ‖Φ[A,B]·Φ[B,A] − I‖_F as both the mean and the max. svf: mean and max over
    /// pixels of ‖Φ_AB(Φ_BA(x)) − x‖ in grid units.
    public func inverseConsistencyError(_ parameters: [Double], _ a: [Double], _ b: [Double]) -> (mean: Double, max: Double) {
        let (ab, ba) = transforms(parameters, a, b)
        return Self.inverseConsistency(form: form, ab, ba)
    }

    /// The same measure for any pair of transforms of `form`.
    public static func inverseConsistency(form: SwapInversionForm, _ ab: [Double], _ ba: [Double]) -> (mean: Double, max: Double) {
        switch form {
        case .affine, .rigid:
            let n = form.matrixSize!
            let p = DenseMatrix.multiply(ab, ba, n)
            var s = 0.0
            for i in 0..<n { for j in 0..<n { s += (p[i * n + j] - (i == j ? 1 : 0)) * (p[i * n + j] - (i == j ? 1 : 0)) } }
            return (s.squareRoot(), s.squareRoot())
        case let .svf(h, w):
            let c = DisplacementComposition(height: h, width: w, mode: .periodic).forward([Double](), [ab, ba])
            var total = 0.0, worst = 0.0
            for k in 0..<(h * w) {
                let e = (c[k] * c[k] + c[h * w + k] * c[h * w + k]).squareRoot()
                total += e
                worst = max(worst, e)
            }
            return (total / Double(h * w), worst)
        }
    }

    /// One optimizer step on the mean squared error between `forward` and targets; returns the
    /// loss before the step.
    @discardableResult
    public func trainingStep(_ parameters: inout [Double], batch: [[[Double]]], targets: [[Double]], optimizer: inout Adam) -> Double {
        let node: Graph
        switch form {
        case .affine, .rigid: node = transform
        case .svf: node = velocity
        }
        return node.trainingStep(&parameters, batch: batch, targets: targets, optimizer: &optimizer)
    }
}

extension SwapInversionCore {
    /// A `TiedLinear` from the tables a generated file bakes in: entry e is
    /// W[rows[e], columns[e]] += coefficients[e] · θ[parameters[e]], bias entry e is
    /// b[biasRows[e]] += biasCoefficients[e] · β[biasParameters[e]].
    public static func layer(
        inputSize: Int, outputSize: Int, weightCount: Int, biasCount: Int, rows: [Int32], columns: [Int32], parameters: [Int32],
        coefficients: [Double], biasRows: [Int32], biasParameters: [Int32], biasCoefficients: [Double]
    ) -> TiedLinear {
        precondition(rows.count == columns.count && rows.count == parameters.count && rows.count == coefficients.count, "SwapInversionCore.layer: one row, column, parameter and coefficient per entry")
        precondition(biasRows.count == biasParameters.count && biasRows.count == biasCoefficients.count, "SwapInversionCore.layer: one row, parameter and coefficient per bias entry")
        let e = rows.indices.map {
            TiedLinear.Entry(row: Int(rows[$0]), column: Int(columns[$0]), parameter: Int(parameters[$0]), coefficient: coefficients[$0])
        }
        let b = biasRows.indices.map { TiedLinear.BiasEntry(row: Int(biasRows[$0]), parameter: Int(biasParameters[$0]), coefficient: biasCoefficients[$0]) }
        return TiedLinear(inputSize: inputSize, outputSize: outputSize, weightCount: weightCount, biasCount: biasCount, entries: e, biasEntries: b)
    }

    /// Field form: inputs [A, B] (one-channel h×w images) → the residuals
    /// (A∘Φ_AB − B) ⊕ (B∘Φ_BA − A), Φ_AB from v(A, B) and Φ_BA from v(B, A) (one shared network;
    /// for the template v(B, A) = −v(A, B)). Its mean square is the symmetric image loss.
    public func imageResidualGraph() -> Graph {
        guard case let .svf(h, w) = form else { preconditionFailure("imageResidualGraph: field form only") }
        precondition(inputSize == h * w, "imageResidualGraph: images must be \(h)×\(w)")
        var b = GraphBuilder(inputSizes: [inputSize, inputSize])
        let pv = b.parameters(for: velocity)
        let a = b.inputs[0], bb = b.inputs[1]
        let vab = b.apply(velocity, [a, bb], parameters: pv)
        let vba = b.apply(velocity, [bb, a], parameters: pv)
        let integrate = VelocityIntegration.graph(height: h, width: w, squarings: squarings, mode: .periodic)
        let dab = b.apply(integrate, [vab]), dba = b.apply(integrate, [vba])
        let warp = DisplacementWarp(channels: 1, height: h, width: w, mode: .periodic)
        let wa = b.apply(warp, [a, dab]), wb = b.apply(warp, [bb, dba])
        let ra = b.apply(Difference(size: inputSize), [wa, bb]), rb = b.apply(Difference(size: inputSize), [wb, a])
        let out = b.concat(ra, rb)
        return b.build(output: out)
    }
}
