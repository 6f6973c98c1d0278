/// A Frobenius-orthonormal basis of Hom_G(ρ_in, ρ_out) in Float64.
public struct RealSolution: Sendable {
    /// Which of the two Float64 routes produced a basis.
    public enum Method: Hashable, Sendable {
        /// The dense nullspace of the stacked constraints, with a checked spectral gap.
        case floatNullspace
        /// The isotypic decomposition of both representations and Schur's lemma.
        case isotypicDecomposition
    }

    /// Each d_out × d_in; orthonormal in the Frobenius inner product.
    public let basis: [Matrix]
    /// `.floatNullspace` or `.isotypicDecomposition`.
    public let method: Method
    /// max over generators g and basis elements B of ‖ρ_out(g)B − Bρ_in(g)‖_F / ‖B‖_F.
    public let residual: Double
    /// The spectral gap ratio of the dense nullspace (smallest kept / largest
    /// discarded singular value); `nil` for the isotypic path, whose small nullspaces
    /// are each checked against `requiredGap`.
    public let gap: Double?

    /// A solved basis with how it was found and its checks (nothing is recomputed).
    public init(basis: [Matrix], method: Method, residual: Double, gap: Double?) {
        self.basis = basis
        self.method = method
        self.residual = residual
        self.gap = gap
    }

    /// dim Hom_G(input, output), the number of basis matrices.
    public var dimension: Int { basis.count }
}


/// Bases of Hom_G(ρ_in, ρ_out) = { W : ρ_out(g) W = W ρ_in(g) } for real representations.
///
/// ```swift
/// let s = try RealIntertwinerSolver.solve(input: plane, output: plane, group: d4, options: RealSolverOptions())
/// s.basis.count   // 1: the identity, up to scale (the plane of D4 is of real type)
/// ```
public enum RealIntertwinerSolver {
    /// The dense nullspace when d_in·d_out ≤ `options.isotypicAbove`; the isotypic
    /// decomposition of both representations above it, falling back to dense up to
    /// `options.maxDenseUnknowns` when the decomposition does not apply.
    ///
    /// Edge cases: zero-dimensional representations give an empty basis; no
    /// generators (the trivial group) give every matrix unit. The character
    /// cross-check ⟨χ_in, χ_out⟩ is the caller's (it needs the classes).
    /// - Complexity: dense O((d_in d_out)³); isotypic O(d_in³ + d_out³) plus
    ///   O(dim · d_in · d_out · d) to write and check the basis (d the largest
    ///   irreducible dimension involved).
    public static func solve(input: Representation, output: Representation, group: FiniteGroup?, options: RealSolverOptions) throws -> RealSolution {
        guard input.generatorCount == output.generatorCount else {
            throw RealSolverError.generatorCountMismatch(input: input.generatorCount, output: output.generatorCount)
        }
        let unknowns = input.dimension * output.dimension
        func dense() throws -> RealSolution {
            try solveDense(input: input.realImages, output: output.realImages, dIn: input.dimension, dOut: output.dimension, options: options)
        }
        func isotypic() throws -> RealSolution {
            let a = try IsotypicDecomposition(representation: input, group: group, options: options)
            let b = try IsotypicDecomposition(representation: output, group: group, options: options)
            return try solve(input: a, output: b, options: options)
        }
        if unknowns <= min(options.isotypicAbove, options.maxDenseUnknowns) { return try dense() }
        if unknowns <= options.maxDenseUnknowns {
            do {
                return try isotypic()
            } catch RealSolverError.decompositionFailed, RealSolverError.needsEnumerableGroup {
                return try dense()
            }
        }
        return try isotypic()
    }

    // MARK: Dense

    /// The dense path. With W row-major, vec(W)[i·d_in + j] = W[i, j], and
    /// vec(A W B) = (A ⊗ Bᵀ) vec(W); so ρ_out(g)W − Wρ_in(g) = 0 is
    /// (ρ_out(g) ⊗ I − I ⊗ ρ_in(g)ᵀ) vec(W) = 0, one block of rows per generator.
    /// - Complexity: O(k · (d_in d_out)³) for the SVD.
    public static func solveDense(input: [Matrix], output: [Matrix], dIn: Int, dOut: Int, options: RealSolverOptions) throws -> RealSolution {
        let unknowns = dIn * dOut
        let k = input.count
        if unknowns == 0 { return RealSolution(basis: [], method: .floatNullspace, residual: 0, gap: nil) }
        if k == 0 {
            let basis = (0..<unknowns).map { t -> Matrix in
                var m = Matrix(rows: dOut, columns: dIn)
                m.elements[t] = 1
                return m
            }
            return RealSolution(basis: basis, method: .floatNullspace, residual: 0, gap: .infinity)
        }
        var system = Matrix(rows: k * unknowns, columns: unknowns)
        for g in 0..<k {
            let ro = output[g], ri = input[g]
            for i in 0..<dOut { for j in 0..<dIn {
                let row = g * unknowns + i * dIn + j
                // Σ_p ρ_out[i, p] W[p, j]
                for p in 0..<dOut where ro[i, p] != 0 { system[row, p * dIn + j] += ro[i, p] }
                // − Σ_q W[i, q] ρ_in[q, j]
                for q in 0..<dIn where ri[q, j] != 0 { system[row, i * dIn + q] -= ri[q, j] }
            } }
        }
        // The operator's natural size: ‖ρ_out(g) ⊗ I − I ⊗ ρ_in(g)ᵀ‖ is at least about the
        // largest entry of the images, so a system that is zero up to rounding keeps every unknown.
        let scale = zip(input, output).map { max($0.maxAbs, $1.maxAbs) }.max() ?? 0
        let ns = try ScaledNullspace(
            system, scale: scale, relativeTolerance: options.relativeTolerance, requiredGap: options.requiredGap,
            context: "the dense constraint system of \(dOut)×\(dIn) maps")
        let basis = (0..<ns.dimension).map { r in
            Matrix(rows: dOut, columns: dIn, elements: Array(ns.basis.elements[(r * unknowns)..<((r + 1) * unknowns)]))
        }
        return RealSolution(basis: basis, method: .floatNullspace, residual: residual(basis, input: input, output: output), gap: ns.gapRatio)
    }

    /// max_{g, B} ‖ρ_out(g)B − Bρ_in(g)‖_F / ‖B‖_F by dense products.
    public static func residual(_ basis: [Matrix], input: [Matrix], output: [Matrix]) -> Double {
        var worst = 0.0
        for b in basis {
            let norm = b.frobeniusNorm
            for (ri, ro) in zip(input, output) {
                worst = max(worst, ((ro * b) - (b * ri)).frobeniusNorm / norm)
            }
        }
        return worst
    }

    // MARK: Isotypic

    /// Hom_G from two decompositions (Schur's lemma). For each type τ shared by
    /// input and output (same d, e and generator traces, and an isomorphism T
    /// found by a d-unknown nullspace), the basis is Q^out_jᵀ T E_a Q^in_i over
    /// output copies j, input copies i and End_G(τ) basis elements E_a: m_out·m_in·e
    /// maps, orthonormal because the copies are orthonormal and mutually
    /// orthogonal and T is orthogonal. Non-orthogonal inputs are mapped back by
    /// W = S_out⁻¹ W̃ S_in and re-orthonormalized.
    /// - Complexity: O(dim · d_out · d_in · d) to form and check the basis.
    public static func solve(input a: IsotypicDecomposition, output b: IsotypicDecomposition, options: RealSolverOptions) throws -> RealSolution {
        guard a.images.count == b.images.count else {
            throw RealSolverError.generatorCountMismatch(input: a.images.count, output: b.images.count)
        }
        let nIn = a.dimension, nOut = b.dimension
        let pairs = try pairedTypes(input: a, output: b, options: options)
        let count = pairs.reduce(0) { $0 + $1.input.multiplicity * $1.output.multiplicity * $1.input.endomorphismDimension }
        let (entries, overflow) = count.multipliedReportingOverflow(by: max(1, nIn * nOut))
        if overflow || entries > options.maxBasisEntries {
            throw RealSolverError.basisTooLarge(dimension: count, entries: overflow ? Int.max : entries, limit: options.maxBasisEntries)
        }
        let orthogonal = a.orthogonalizer == nil && b.orthogonalizer == nil
        let inT = a.orthogonalImages, outT = b.orthogonalImages.map(\.transposed)
        var basis: [Matrix] = []
        basis.reserveCapacity(count)
        var worst = 0.0
        for pair in pairs {
            let ca = pair.input, cb = pair.output, t = pair.isomorphism
            let d = ca.irreducibleDimension
            let inCopies = (0..<ca.multiplicity).map { ca.copy($0) }
            // −Q_i ρ̃_in(g) for every input copy at once (one product per generator), for the residual.
            let inMoved = orthogonal ? inT.map { (-1) * (ca.copies * $0) } : []
            for e in ca.endomorphismBasis {
                let mT = (t * e).transposed
                // Rows j·d..<(j+1)·d: Xⱼᵀ = Mᵀ Q_j for X_j = Q_jᵀ M (n_out × d).
                var xAll = Matrix(rows: cb.multiplicity * d, columns: nOut)
                for j in 0..<cb.multiplicity {
                    let block = (mT * cb.copy(j))
                    xAll.elements.replaceSubrange((j * d * nOut)..<((j + 1) * d * nOut), with: block.elements)
                }
                let xMoved = orthogonal ? outT.map { (xAll * $0) } : []  // (ρ̃_out X_j)ᵀ
                for j in 0..<cb.multiplicity {
                    let rows = (j * d)..<((j + 1) * d)
                    let xRows = RealKernels.rows(xAll, rows)
                    let left = orthogonal ? xMoved.map { RealKernels.stack(RealKernels.rows($0, rows), xRows).transposed } : []
                    for i in 0..<ca.multiplicity {
                        let w = RealKernels.transposedMultiply(xRows, inCopies[i])
                        if orthogonal {
                            // ρ_out W − W ρ_in = [ρ_out X_j, X_j] · [Q_i; −Q_i ρ_in] in one product.
                            let norm = w.frobeniusNorm
                            let inRows = (i * d)..<((i + 1) * d)
                            for g in 0..<inT.count {
                                let right = RealKernels.stack(inCopies[i], RealKernels.rows(inMoved[g], inRows))
                                worst = max(worst, (left[g] * right).frobeniusNorm / norm)
                            }
                            basis.append(w)
                        } else {
                            var full = w
                            if let s = a.orthogonalizer { full = (full * s) }
                            if let sInv = b.inverseOrthogonalizer { full = (sInv * full) }
                            basis.append(full)
                        }
                    }
                }
            }
        }
        if !orthogonal {
            basis = try RealKernels.orthonormalize(basis)
            worst = residual(basis, input: a.images, output: b.images)
        }
        return RealSolution(basis: basis, method: .isotypicDecomposition, residual: worst, gap: nil)
    }

    /// One irreducible type shared by two decompositions: its component on each side and an
    /// orthogonal isomorphism T with τ̂_out(s) T = T τ̂_in(s).
    public struct TypePair: Sendable {
        /// The type's component in the input decomposition.
        public let input: IsotypicDecomposition.Component
        /// The type's component in the output decomposition.
        public let output: IsotypicDecomposition.Component
        /// T, orthogonal, with τ̂_out(s) T = T τ̂_in(s) for every generator s.
        public let isomorphism: Matrix
    }

    /// Pairs the types of two decompositions (Schur's lemma). Hom(τ_a, τ_b) is computed for
    /// every pair of components of the same irreducible dimension (a d-unknown nullspace each),
    /// not only for those whose traces match: the pairing must be one-to-one with dim Hom = e,
    /// which certifies dim Hom_G = Σ m_a m_b e over the pairs (`Certificate.isotypic`).
    public static func pairedTypes(input a: IsotypicDecomposition, output b: IsotypicDecomposition, options: RealSolverOptions) throws -> [TypePair] {
        var pairs: [TypePair] = []
        var pairedOutput = Set<Int>()
        for ca in a.components {
            var found: (IsotypicDecomposition.Component, Matrix)?
            for (jb, cb) in b.components.enumerated() where cb.irreducibleDimension == ca.irreducibleDimension {
                let d = ca.irreducibleDimension
                let maps = try IsotypicDecomposition.homBasis(
                    parents: ca.parents, generators: ca.generators, lower: ca.lower, from: ca.irreducibleImages,
                    to: cb.irreducibleImages, options: options)
                if maps.isEmpty { continue }
                guard maps.count == ca.endomorphismDimension, cb.endomorphismDimension == ca.endomorphismDimension else {
                    throw RealSolverError.decompositionFailed(attempts: 1, reason: "two irreducibles of dimension \(d) have a \(maps.count)-dimensional Hom, expected \(ca.endomorphismDimension) (commutant dimensions \(ca.endomorphismDimension) and \(cb.endomorphismDimension))")
                }
                guard found == nil, !pairedOutput.contains(jb) else {
                    throw RealSolverError.decompositionFailed(attempts: 1, reason: "an irreducible of dimension \(d) is isomorphic to two components: the decomposition split one isotypic component")
                }
                var t = maps[0]
                let c = RealKernels.frobenius(t, t) / Double(d)
                t = (1 / c.squareRoot()) * t
                found = (cb, t)
                pairedOutput.insert(jb)
            }
            if let (cb, t) = found { pairs.append(TypePair(input: ca, output: cb, isomorphism: t)) }
        }
        return pairs
    }
}
