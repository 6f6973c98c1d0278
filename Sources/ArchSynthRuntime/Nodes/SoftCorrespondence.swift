/// Soft correspondence between two point sets (the G₁ × G₂ form of coordinate attention):
///
///     P[j, i] = softmax_i(⟨F^B(j), F^A(i)⟩ / τ)       (max-subtracted; the max looks at .primal)
///
/// Inputs: F^A (C·m_A values, channels outermost: F^A[c·m_A + i]) and F^B (C·m_B). Output: P,
/// m_B × m_A row-major (row j: where point j of B goes among A's points). No parameters.
/// Law: with per-point features from equivariant networks, permuting A's points by ρ₁(g₁) and
/// B's by ρ₂(g₂) gives P[g₁·A, g₂·B] = ρ₂(g₂) P ρ₁(g₁)⁻¹ (`law(elementsA:elementsB:)`). Bit for
/// bit when the features are (`PointFeatureLayer` sums in a canonical order): each logit sums
/// over channels in the same order for every pair of points, and each row's normalizer is a
/// sorted sum, so tied points get equal probabilities even where the logits are huge.
public struct SoftCorrespondence: ParameterFreeNode {
    /// m_A, the number of A's points.
    public let pointsA: Int
    /// m_B, the number of B's points.
    public let pointsB: Int
    /// C, the feature channels of F^A and F^B.
    public let channels: Int
    /// τ > 0: the logits are divided by it.
    public let temperature: Double
    /// [F^A, F^B]: C·m_A and C·m_B values, channels outermost.
    public var inputSizes: [Int] { [channels * pointsA, channels * pointsB] }
    /// m_B·m_A: P, row-major (one row per point of B).
    public var outputSize: Int { pointsA * pointsB }

    /// Correspondences between m_A and m_B points with C-channel features (traps unless all are ≥ 1 and τ > 0).
    public init(pointsA: Int, pointsB: Int, channels: Int, temperature: Double = 1) {
        precondition(pointsA >= 1 && pointsB >= 1 && channels >= 1 && temperature > 0, "SoftCorrespondence: bad sizes")
        self.pointsA = pointsA
        self.pointsB = pointsB
        self.channels = channels
        self.temperature = temperature
    }

    /// P by rows (split across `RuntimeThreads`), each normalized by a sorted sum; the pullback (softmax
    /// Jacobian, then the logits' bilinear form) gives F̄^A and F̄^B.
    /// - Complexity: O(C · m_A · m_B + m_B · m_A log m_A) forward, O(C · m_A · m_B) backward; O(m_A · m_B) memory.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "SoftCorrespondence")
        let fa = inputs[0], fb = inputs[1], (ma, mb, cCount) = (pointsA, pointsB, channels)
        let invTau = T(1 / temperature)
        var buffer = [T](repeating: T.zero, count: ma * mb)
        // Rows j split across threads (`RuntimeThreads`); each logit row is C unit-stride axpys
        // row[i] += F^B[c, j]·F^A[c, i], c = 0, 1, … (the same order for every pair of points).
        buffer.withUnsafeMutableBufferPointer { bb in
            fa.withUnsafeBufferPointer { fab in
                let (bp, fap) = (bb.baseAddress!, fab.baseAddress!)
                RuntimeThreads.forEachChunk(mb) { rows in
                    for j in rows {
                        let row = bp + j * ma
                        for c in 0..<cCount {
                            let f = fb[c * mb + j], a = fap + c * ma
                            for i in 0..<ma { row[i] += f * a[i] }
                        }
                        var m = -Double.infinity, mi = 0
                        for i in 0..<ma {
                            row[i] = row[i] * invTau
                            if row[i].primal > m { m = row[i].primal; mi = i }
                        }
                        let shift = row[mi]
                        for i in 0..<ma { row[i] = T.exp(row[i] - shift) }
                        // The normalizer in ascending order (`CanonicalSum`): permuting A's points
                        // permutes the terms, and the sorted sum does not depend on their order.
                        let inv = T(1) / CanonicalSum.sorted(Array(UnsafeBufferPointer(start: row, count: ma)))
                        for i in 0..<ma { row[i] = row[i] * inv }
                    }
                }
            }
        }
        let p = buffer
        return (p, { dp in
            var dfa = [T](repeating: T.zero, count: cCount * ma), dfb = [T](repeating: T.zero, count: cCount * mb)
            var dl = [T](repeating: T.zero, count: ma * mb)
            dl.withUnsafeMutableBufferPointer { dlb in
                dfb.withUnsafeMutableBufferPointer { dfbb in
                    dfa.withUnsafeMutableBufferPointer { dfab in
                        fa.withUnsafeBufferPointer { fab in
                            let (dlp, dfbp, dfap, fap) = (dlb.baseAddress!, dfbb.baseAddress!, dfab.baseAddress!, fab.baseAddress!)
                            // ∂logits and F̄^B: rows j split across threads.
                            RuntimeThreads.forEachChunk(mb) { rows in
                                for j in rows {
                                    let d = dlp + j * ma
                                    var mean = T.zero
                                    for i in 0..<ma { mean += p[j * ma + i] * dp[j * ma + i] }
                                    for i in 0..<ma { d[i] = p[j * ma + i] * (dp[j * ma + i] - mean) * invTau }
                                    for c in 0..<cCount {
                                        var s = T.zero
                                        let a = fap + c * ma
                                        for i in 0..<ma { s += d[i] * a[i] }
                                        dfbp[c * mb + j] = s
                                    }
                                }
                            }
                            // F̄^A: channels split across threads, each entry summed over j in order.
                            RuntimeThreads.forEachChunk(cCount) { cs in
                                for c in cs {
                                    let out = dfap + c * ma
                                    for j in 0..<mb {
                                        let fbj = fb[c * mb + j], d = dlp + j * ma
                                        for i in 0..<ma { out[i] += d[i] * fbj }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return NodeGradient(parameters: [], inputs: [dfa, dfb])
        })
    }

    /// G₁ × G₂ acting on (A, B) by the point permutations `elementsA` (of G₁, each sending point
    /// i to `elementsA[g][i]`) and `elementsB`, on P by P ↦ ρ₂(g₂) P ρ₁(g₁)⁻¹
    /// (entry (j, i) moves to (π₂(j), π₁(i))); element (g₁, g₂) is numbered g₁ + |G₁|·g₂.
    /// `channels` copies of each point set (inputs of C·m values, channels outermost).
    public static func law(elementsA: [[Int]], elementsB: [[Int]], channelsA: Int = 1, channelsB: Int = 1, isComplete: Bool = true) -> Law {
        let ma = elementsA.first?.count ?? 0, mb = elementsB.first?.count ?? 0
        func copies(_ pi: [Int], _ c: Int) -> LinearAction {
            let m = pi.count
            return .permutation((0..<(c * m)).map { k in (k / m) * m + pi[k % m] })
        }
        let identityA = LinearAction.permutation(Array(0..<(channelsA * ma))), identityB = LinearAction.permutation(Array(0..<(channelsB * mb)))
        let lawA = Law.linear(
            name: "G₁ on A's \(ma) points", inputs: [elementsA.map { copies($0, channelsA) }, elementsA.map { _ in identityB }],
            output: elementsA.map { pi in .permutation((0..<(ma * mb)).map { k in (k / ma) * ma + pi[k % ma] }) }, isComplete: isComplete)
        let lawB = Law.linear(
            name: "G₂ on B's \(mb) points", inputs: [elementsB.map { _ in identityA }, elementsB.map { copies($0, channelsB) }],
            output: elementsB.map { pi in .permutation((0..<(ma * mb)).map { k in pi[k / ma] * ma + k % ma }) }, isComplete: isComplete)
        let product = Law.product(lawA, lawB)
        return Law(
            name: product.name, elementCount: product.elementCount, isComplete: product.isComplete, describe: product.describe,
            actOnInputs: product.actOnInputs, actOnOutput: product.actOnOutput, distance: CoordinateAttention.maxAbsoluteDifference)
    }
}

/// A sum that does not depend on the order of its terms: the terms sorted ascending (total
/// order of Double on the primal values) and added left to right. A map whose per-point sums
/// run over a point-dependent ordering of the same terms (an equivariant layer's row for point
/// π(i) on g·x holds row i's terms on x, in another order) gets bit-equal results from it.
///
/// ```swift
/// CanonicalSum.sorted([1e16, 1, -1e16]) == CanonicalSum.sorted([1, -1e16, 1e16])   // true
/// ```
/// - Complexity: O(n log n) for n terms.
public enum CanonicalSum {
    /// Σ terms, sorted ascending by primal value (total order) and added left to right.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public static func sorted<T: RuntimeScalar>(_ terms: [T]) -> T {
        var t = terms
        t.sort { !$1.primal.isTotallyOrdered(belowOrEqualTo: $0.primal) }
        var s = T.zero
        for v in t { s += v }
        return s
    }
}

/// A `TiedLinear` layer whose rows are canonical sums (`CanonicalSum`): y[r] = Σ over row r's
/// entries of coefficient · θ · x[column] plus its bias terms, added in ascending order. For a
/// layer equivariant under point permutations, row π(r) on g·x then holds the same terms as row
/// r on x, so the law holds bit for bit, and tied points (x_i = x_j with the transposition in
/// the group) get identical outputs at every scale (issue 18: with the entries' order, S5 × S4
/// correspondences on tied inputs split the softmax unevenly, 2.4e-4 at scale 1e6).
/// Same parameters and pullback as `linear`.
///
/// ```swift
/// let layer = PointFeatureLayer(TiedLinear.dense(inputSize: 3, outputSize: 2))
/// ```
/// - Complexity: O(e log e) per row for e entries in the row.
public struct PointFeatureLayer: DifferentiableNode {
    /// The layer: its entries, biases, shapes and parameter layout.
    public let linear: TiedLinear
    /// Entry and bias-entry indices of each row, in order.
    let rowEntries: [[Int]]
    let rowBias: [[Int]]
    /// `linear`'s: [x] of `linear.inputSize` values.
    public var inputSizes: [Int] { linear.inputSizes }
    /// `linear.outputSize`.
    public var outputSize: Int { linear.outputSize }
    /// `linear.parameterCount`: θ, then β.
    public var parameterCount: Int { linear.parameterCount }

    /// Wraps `linear`, grouping its entries and bias entries by row.
    public init(_ linear: TiedLinear) {
        self.linear = linear
        var entries = [[Int]](repeating: [], count: linear.outputSize), bias = entries
        for (k, e) in linear.entries.enumerated() { entries[Int(e.row)].append(k) }
        for (k, e) in linear.biasEntries.enumerated() { bias[Int(e.row)].append(k) }
        rowEntries = entries
        rowBias = bias
    }

    /// y = W x + b with each row a canonical sum; the pullback is `TiedLinear`'s (θ̄, β̄, x̄ = Wᵀȳ).
    /// - Complexity: O(Σ_r e_r log e_r) forward, O(entries + inputSize) backward.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "PointFeatureLayer")
        let x = inputs[0], entries = linear.entries, biasEntries = linear.biasEntries, nW = linear.weightCount
        var y = [T](repeating: T.zero, count: outputSize)
        var terms: [T] = []
        for r in 0..<outputSize {
            terms.removeAll(keepingCapacity: true)
            for k in rowEntries[r] {
                let e = entries[k]
                terms.append(T(e.coefficient) * parameters[Int(e.parameter)] * x[Int(e.column)])
            }
            for k in rowBias[r] {
                let e = biasEntries[k]
                terms.append(T(e.coefficient) * parameters[nW + Int(e.parameter)])
            }
            y[r] = CanonicalSum.sorted(terms)
        }
        let linear = self.linear
        return (y, { dy in linear.pullback(dy, parameters, x) })
    }
}

/// Equivariant layers for C copies of a permutation representation, from one solved block
/// Hom(ρ, ρ) (basis `block`: entries (row, column, basis index, value)) and the fixed vectors of
/// ρ (`biasBlock`: (row, basis index, value)): W[(o, r), (c, s)] = Σ_k θ[o, c, k] B_k[r, s],
/// b[(o, r)] = Σ_k β[o, k] b_k[r]. Channels outermost, as `SoftCorrespondence` expects.
public enum PointFeatureLayers {
    /// The layer from C_in = `inputChannels` to C_out = `outputChannels` copies of ρ on m = `points`
    /// points: k = `basisCount` basis elements per channel pair (parameters θ[o, c, k], row-major), then
    /// kb = `biasCount` bias parameters per output channel.
    public static func layer(
        points m: Int, inputChannels cin: Int, outputChannels cout: Int, basisCount k: Int, block: [(Int, Int, Int, Double)],
        biasCount kb: Int, biasBlock: [(Int, Int, Double)]
    ) -> PointFeatureLayer {
        var entries: [TiedLinear.Entry] = []
        for o in 0..<cout {
            for c in 0..<cin {
                for (r, s, b, v) in block {
                    entries.append(.init(row: o * m + r, column: c * m + s, parameter: (o * cin + c) * k + b, coefficient: v))
                }
            }
        }
        var bias: [TiedLinear.BiasEntry] = []
        for o in 0..<cout {
            for (r, b, v) in biasBlock { bias.append(.init(row: o * m + r, parameter: o * kb + b, coefficient: v)) }
        }
        return PointFeatureLayer(
            TiedLinear(inputSize: cin * m, outputSize: cout * m, weightCount: cout * cin * k, biasCount: cout * kb, entries: entries, biasEntries: bias))
    }

    /// Initial parameters: each TiedLinear's weights uniform in ±`initializationBound`, biases
    /// zero; shared blocks drawn once.
    public static func initialParameters(_ graph: Graph, seed: UInt64) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        var p = [Double](repeating: 0, count: graph.parameterCount)
        var seen = Set<Int>()
        for step in graph.steps where !seen.contains(step.parameterOffset) {
            guard let layer = (step.node as? PointFeatureLayer)?.linear ?? step.node as? TiedLinear else { continue }
            seen.insert(step.parameterOffset)
            let a = layer.initializationBound
            for i in 0..<layer.weightCount { p[step.parameterOffset + i] = rng.uniform(-a, a) }
        }
        return p
    }
}
