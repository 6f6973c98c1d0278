import GroupTheory

/// Structural detection of the symmetric-group families: the group acts on n points as the
/// full symmetric group S_n (|⟨π_g⟩| = n!, computed, never read from a name), and the input
/// and output coordinates are laid out as consecutive blocks that are each `trivial` (one fixed
/// coordinate), `natural` (n coordinates permuted by π) or `natural^2` (n² coordinates,
/// (i, j) at i·n + j, permuted by π ⊗ π).
///
/// For such layers the equivariant maps between a rank-k block and a rank-l block are spanned
/// by the Bell(k + l) partition diagrams (Maron et al. 2019; Godfrey et al. 2023): for a set
/// partition P of the l output slots and k input slots, D_P[o, i] = 1 when every two slots in
/// the same part carry equal indices. Each D_P is applied in O(n^2) by pooling the input over
/// parts with only input slots and broadcasting over parts with only output slots.
struct SymmetricStructure: Sendable {
    enum BlockKind: Int, Sendable { case trivial = 0, natural = 1, square = 2 }

    struct Block: Sendable {
        let offset: Int
        let kind: BlockKind
        var rank: Int { kind.rawValue }
    }

    /// One partition diagram between an output block and an input block.
    struct Diagram: Sendable {
        let outputBlock: Int
        let inputBlock: Int
        /// Restricted growth string over the slots: output slots first, then input slots.
        let parts: [Int]
        let outputRank: Int
        /// The input slots follow the output ones.
        var inputRank: Int { parts.count - outputRank }
    }

    let n: Int
    let inputBlocks: [Block]
    let outputBlocks: [Block]
    let diagrams: [Diagram]
    /// φ = C θ: closed-form coefficients from the solver's parameters, sparse exact (row, column, value).
    let change: [(row: Int, column: Int, value: Rational)]

    /// The structure, or `nil` when the layer is not of this form (or the closed form would not
    /// span exactly the solver's space, e.g. n < k + l where diagrams are dependent).
    init?(input: Representation, output: Representation, basis: EquivariantBasis) {
        guard case let .permutation(inImages) = input.images, case let .permutation(outImages) = output.images,
            !inImages.isEmpty
        else { return nil }
        // The n points: the orbit of the first moved coordinate.
        func firstMoved(_ images: [Permutation]) -> Int? {
            guard let d = images.first?.degree else { return nil }
            return (0..<d).first { p in images.contains { $0[p] != p } }
        }
        let reference: (images: [Permutation], point: Int)
        if let p = firstMoved(inImages) {
            reference = (inImages, p)
        } else if let p = firstMoved(outImages) {
            reference = (outImages, p)
        } else {
            return nil
        }
        var orbit = [reference.point]
        var seen: Set<Int> = [reference.point]
        var k = 0
        while k < orbit.count {
            for g in reference.images where !seen.contains(g[orbit[k]]) {
                seen.insert(g[orbit[k]])
                orbit.append(g[orbit[k]])
            }
            k += 1
        }
        orbit.sort()
        let n = orbit.count
        guard n >= 2, n <= 4096 else { return nil }
        var position = [Int: Int]()
        for (i, p) in orbit.enumerated() { position[p] = i }
        let pi: [Permutation] = reference.images.map { g in
            Permutation(uncheckedImages: orbit.map { Int32(position[g[$0]]!) })
        }
        guard PermutationGroup(generators: pi, degree: n).order == BigUInt.factorial(n) else { return nil }
        guard let inBlocks = SymmetricStructure.blocks(of: inImages, pi: pi, n: n),
            let outBlocks = SymmetricStructure.blocks(of: outImages, pi: pi, n: n)
        else { return nil }
        // Diagrams for every (output block, input block) pair, output-major.
        var diagrams: [Diagram] = []
        for (ob, o) in outBlocks.enumerated() {
            for (ib, i) in inBlocks.enumerated() {
                guard n >= o.rank + i.rank else { return nil }
                for parts in SymmetricStructure.setPartitions(o.rank + i.rank) {
                    diagrams.append(Diagram(outputBlock: ob, inputBlock: ib, parts: parts, outputRank: o.rank))
                }
            }
        }
        guard diagrams.count == basis.dimension else { return nil }
        // The change of basis is found by exact elimination on dense m × m matrices
        // (m diagrams), O(m³): past `maximumDiagrams` that takes minutes (and at
        // m = 400,000 it tried to allocate 960 GB), so the closed form is not offered
        // and the caller falls back to tying tables, whose own size limit then gives a
        // clear error.
        guard diagrams.count <= SymmetricStructure.maximumDiagrams else { return nil }
        self.n = n
        self.inputBlocks = inBlocks
        self.outputBlocks = outBlocks
        self.diagrams = diagrams
        guard let change = SymmetricStructure.changeOfBasis(
            basis: basis, n: n, inputBlocks: inBlocks, outputBlocks: outBlocks, diagrams: diagrams)
        else { return nil }
        self.change = change
    }

    /// Most diagrams (basis elements) for which the closed form is computed: 400
    /// (a 400 × 400 exact elimination takes well under a second).
    static let maximumDiagrams = 400

    /// Splits a permutation representation into trivial / natural / square blocks acted on by π.
    static func blocks(of images: [Permutation], pi: [Permutation], n: Int) -> [Block]? {
        guard let d = images.first?.degree else { return nil }
        var blocks: [Block] = []
        var p = 0
        while p < d {
            if images.allSatisfy({ $0[p] == p }) {
                blocks.append(Block(offset: p, kind: .trivial)); p += 1
            } else if p + n <= d, zip(images, pi).allSatisfy({ g, s in (0..<n).allSatisfy { g[p + $0] == p + s[$0] } }) {
                blocks.append(Block(offset: p, kind: .natural)); p += n
            } else if p + n * n <= d, zip(images, pi).allSatisfy({ g, s in
                (0..<(n * n)).allSatisfy { g[p + $0] == p + s[$0 / n] * n + s[$0 % n] }
            }) {
                blocks.append(Block(offset: p, kind: .square)); p += n * n
            } else {
                return nil
            }
        }
        return blocks
    }

    /// All set partitions of `count` slots as restricted growth strings, in lexicographic order.
    static func setPartitions(_ count: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(_ maxPart: Int) {
            if current.count == count { result.append(current); return }
            for part in 0...(maxPart + 1) {
                current.append(part)
                extend(max(maxPart, part))
                current.removeLast()
            }
        }
        extend(-1)
        return result
    }

    /// Canonical restricted growth string of the equality pattern of `values`.
    static func pattern(_ values: [Int]) -> [Int] {
        var labels: [Int: Int] = [:]
        return values.map { v in
            if let l = labels[v] { return l }
            labels[v] = labels.count
            return labels.count - 1
        }
    }

    /// C with φ = C θ, exactly: express each basis element in the orbit-indicator basis
    /// E_σ (σ the equality pattern of the slot indices, disjoint supports, checked entry by
    /// entry), then convert E to the diagram basis: D_π = Σ_{σ coarsens π} E_σ, so e = Z φ.
    static func changeOfBasis(
        basis: EquivariantBasis, n: Int, inputBlocks: [Block], outputBlocks: [Block], diagrams: [Diagram]
    ) -> [(row: Int, column: Int, value: Rational)]? {
        let m = diagrams.count
        // Index of each (output block, input block, pattern) in `diagrams`.
        var diagramIndex: [[Int]: Int] = [:]
        for (q, dgm) in diagrams.enumerated() { diagramIndex[[dgm.outputBlock, dgm.inputBlock] + dgm.parts] = q }
        func locate(_ coordinate: Int, _ blocks: [Block]) -> (block: Int, slots: [Int]) {
            var lo = 0, hi = blocks.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if blocks[mid].offset <= coordinate { lo = mid } else { hi = mid - 1 }
            }
            let local = coordinate - blocks[lo].offset
            switch blocks[lo].kind {
            case .trivial: return (lo, [])
            case .natural: return (lo, [local])
            case .square: return (lo, [local / n, local % n])
            }
        }
        func fallingFactorial(_ parts: Int) -> Int { (0..<parts).reduce(1) { $0 * (n - $1) } }
        // V: e = V θ (E-coordinates of each basis element).
        var v = RationalMatrix(rows: m, columns: m)
        for (i, element) in basis.elements.enumerated() {
            let values = ExactOrReal.values(of: element)
            var counts = [Int](repeating: 0, count: m)
            var seen = [Bool](repeating: false, count: m)
            for (e, entry) in element.entries.enumerated() {
                guard case let .exact(value) = values[e] else { return nil }
                let (ob, outSlots) = locate(entry.row, outputBlocks)
                let (ib, inSlots) = locate(entry.column, inputBlocks)
                guard let q = diagramIndex[[ob, ib] + pattern(outSlots + inSlots)] else { return nil }
                if seen[q] { guard v[q, i] == value else { return nil } } else { v[q, i] = value; seen[q] = true }
                counts[q] += 1
            }
            for q in 0..<m where seen[q] && counts[q] != fallingFactorial((diagrams[q].parts.max() ?? -1) + 1) {
                return nil
            }
        }
        // Z (block diagonal over block pairs): Z[σ, π] = 1 when σ coarsens π.
        var z = RationalMatrix(rows: m, columns: m)
        for s in 0..<m {
            for p in 0..<m where diagrams[s].outputBlock == diagrams[p].outputBlock && diagrams[s].inputBlock == diagrams[p].inputBlock {
                let sigma = diagrams[s].parts, pi = diagrams[p].parts
                var coarsens = true
                for a in pi.indices { for b in pi.indices where pi[a] == pi[b] && sigma[a] != sigma[b] { coarsens = false } }
                if coarsens { z[s, p] = .one }
            }
        }
        guard let c = try? z.solve(v), v.rank == m else { return nil }
        var sparse: [(row: Int, column: Int, value: Rational)] = []
        for r in 0..<m { for col in 0..<m where !c[r, col].isZero { sparse.append((r, col, c[r, col])) } }
        return sparse
    }

    /// Dense D_q (d_out × d_in), for tests and the library layer.
    func denseDiagram(_ q: Int, inputDimension: Int, outputDimension: Int) -> Matrix {
        let dgm = diagrams[q]
        let o = outputBlocks[dgm.outputBlock], i = inputBlocks[dgm.inputBlock]
        var m = Matrix(rows: outputDimension, columns: inputDimension)
        let partCount = (dgm.parts.max() ?? -1) + 1
        var values = [Int](repeating: 0, count: partCount)
        func visit(_ k: Int) {
            if k == partCount {
                let slots = dgm.parts.map { values[$0] }
                let r = o.offset + slots[0..<dgm.outputRank].reduce(0) { $0 * n + $1 }
                let c = i.offset + slots[dgm.outputRank...].reduce(0) { $0 * n + $1 }
                m[r, c] = 1
                return
            }
            for x in 0..<n { values[k] = x; visit(k + 1) }
        }
        visit(0)
        return m
    }
}
