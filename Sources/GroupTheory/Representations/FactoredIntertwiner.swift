/// Hom_G(ρ_in, ρ_out) kept factored, in O(d_in² + d_out²) memory instead of the
/// O(dim · d_in · d_out) of a materialized basis (DESIGN.md "The solver", strategy 4):
///
///     W(θ) = P_out · (K_1(θ) ⊕ … ⊕ K_r(θ)) · P_in
///
/// - P_in (r_in × d_in): the rows are the orthonormal bases of the input copies of every
///   irreducible type the output also holds, times the orthogonalizer S_in (so P_in ρ_in(g) =
///   (⊕ 1_m ⊗ τ̂(g)) P_in);
/// - P_out (d_out × r_out): S_out⁻¹ times the output copies' bases as columns;
/// - K_p (m_out·d × m_in·d) for the shared type p: block (j, i) is Σ_a θ[p, j, i, a] M_a with
///   M_a = T E_a, T the orthogonal isomorphism τ̂_in → τ̂_out and E_a an orthonormal basis of
///   End_G(τ̂_in) (Schur's lemma: e = 1, 2 or 4 of them).
///
/// Parameter t = `parameterOffset` of its block + (j · m_in + i) · e + a; element t of the basis
/// is W(unit vector t) = S_out⁻¹ Q_jᵀ M_a Q_i S_in, the same elements `RealIntertwinerSolver`
/// materializes (before it re-orthonormalizes them for non-orthogonal representations).
///
/// ```swift
/// let f = try FactoredIntertwiner(input: decIn, output: decOut, options: RealSolverOptions())
/// f.dimension              // Σ m_in m_out e over the shared types
/// f.apply(theta, to: x)    // W(θ) x in O(d_in r_in + Σ (m d)² + d_out r_out)
/// ```
public struct FactoredIntertwiner: Sendable {
    /// One shared irreducible type.
    public struct Block: Sendable {
        /// d = dim τ.
        public let irreducibleDimension: Int
        /// m_in, m_out: copies of τ in the input and the output.
        public let inputCopies: Int
        /// m_out: copies of τ in the output.
        public let outputCopies: Int
        /// M_a = T E_a (d × d, Frobenius-orthonormal), e = 1, 2 or 4 of them.
        public let maps: [Matrix]
        /// First row of this type's copies in P_in, first column in P_out.
        public let inputOffset: Int
        /// First column of this type's copies in P_out.
        public let outputOffset: Int
        /// Index of this block's first parameter.
        public let parameterOffset: Int

        /// e = dim End_G(τ) (1 real, 2 complex, 4 quaternionic type): maps per copy pair.
        public var endomorphismDimension: Int { maps.count }
        /// θ entries of this block: m_out · m_in · e.
        public var parameterCount: Int { outputCopies * inputCopies * maps.count }
        /// Rows (m_out·d) and columns (m_in·d) of K.
        public var rows: Int { outputCopies * irreducibleDimension }
        /// Columns (m_in·d) of K.
        public var columns: Int { inputCopies * irreducibleDimension }
    }

    /// d_in, the dimension of the input representation.
    public let inputDimension: Int
    /// d_out, the dimension of the output representation.
    public let outputDimension: Int
    /// P_in, r_in × d_in.
    public let inputChange: Matrix
    /// P_out, d_out × r_out.
    public let outputChange: Matrix
    /// One block per irreducible type present in both the input and the output.
    public let blocks: [Block]
    /// Largest residual of the checks made when building (see `init`).
    public let residual: Double

    /// The number of parameters, Σ m_in m_out e.
    public var dimension: Int { blocks.reduce(0) { $0 + $1.parameterCount } }

    /// Entries stored: P_in, P_out and the maps (what a generated layer bakes in).
    public var storedEntries: Int {
        inputChange.elements.count + outputChange.elements.count + blocks.reduce(0) { $0 + $1.maps.count * $1.irreducibleDimension * $1.irreducibleDimension }
    }

    /// Pairs the types of the two decompositions and checks the result: every map M_a is an
    /// intertwiner τ̂_out(s) M_a = M_a τ̂_in(s) for every generator (d × d products), and W(θ)
    /// for seeded Gaussian θ satisfies ρ_out(s) W x = W ρ_in(s) x on seeded Gaussian probes x,
    /// relative to ‖ρ_out(s) W x‖ + ‖W ρ_in(s) x‖, within `tolerance`.
    public init(input a: IsotypicDecomposition, output b: IsotypicDecomposition, options: RealSolverOptions, tolerance: Double = 1e-8) throws {
        let pairs = try RealIntertwinerSolver.pairedTypes(input: a, output: b, options: options)
        let nIn = a.dimension, nOut = b.dimension
        var blocks: [Block] = []
        var rIn = 0, rOut = 0, parameters = 0
        var worst = 0.0
        for pair in pairs {
            let d = pair.input.irreducibleDimension
            let maps = pair.input.endomorphismBasis.map { pair.isomorphism * $0 }
            for m in maps {
                for (tIn, tOut) in zip(pair.input.irreducibleImages, pair.output.irreducibleImages) {
                    worst = max(worst, (tOut * m - m * tIn).maxAbs)
                }
            }
            let block = Block(
                irreducibleDimension: d, inputCopies: pair.input.multiplicity, outputCopies: pair.output.multiplicity,
                maps: maps, inputOffset: rIn, outputOffset: rOut, parameterOffset: parameters)
            blocks.append(block)
            rIn += block.columns
            rOut += block.rows
            parameters += block.parameterCount
        }
        var pIn = Matrix(rows: rIn, columns: nIn)
        var qOut = Matrix(rows: rOut, columns: nOut)
        for (block, pair) in zip(blocks, pairs) {
            pIn.elements.replaceSubrange((block.inputOffset * nIn)..<((block.inputOffset + block.columns) * nIn), with: pair.input.copies.elements)
            qOut.elements.replaceSubrange((block.outputOffset * nOut)..<((block.outputOffset + block.rows) * nOut), with: pair.output.copies.elements)
        }
        if let s = a.orthogonalizer, rIn > 0 { pIn = pIn * s }
        var pOut = qOut.transposed
        if let sInv = b.inverseOrthogonalizer, rOut > 0 { pOut = sInv * pOut }
        inputDimension = nIn
        outputDimension = nOut
        inputChange = pIn
        outputChange = pOut
        self.blocks = blocks
        if worst > tolerance {
            throw RealSolverError.decompositionFailed(attempts: 1, reason: "a Schur map between paired irreducibles is off by \(worst) (max entry of τ̂_out M − M τ̂_in)")
        }
        // Probes of the whole factored map against the generators as given.
        var rng = SplitMix64(seed: options.seed ^ 0xFAC7)
        for _ in 0..<2 where parameters > 0 && nIn > 0 {
            let theta = (0..<parameters).map { _ in rng.nextGaussian() }
            let x = (0..<nIn).map { _ in rng.nextGaussian() }
            let wx = Self.apply(blocks: blocks, inputChange: pIn, outputChange: pOut, theta, to: x)
            for (ri, ro) in zip(a.images, b.images) {
                let left = ro.apply(wx)
                let right = Self.apply(blocks: blocks, inputChange: pIn, outputChange: pOut, theta, to: ri.apply(x))
                var diff = 0.0, scale = 0.0
                for t in 0..<nOut {
                    diff += (left[t] - right[t]) * (left[t] - right[t])
                    scale += left[t] * left[t] + right[t] * right[t]
                }
                let relative = diff.squareRoot() / max(scale.squareRoot(), .leastNormalMagnitude)
                worst = max(worst, relative)
                guard relative <= tolerance else {
                    throw RealSolverError.decompositionFailed(attempts: 1, reason: "the factored map W(θ) = P_out K(θ) P_in fails a generator constraint on a random probe (relative residual \(relative), limit \(tolerance))")
                }
            }
        }
        residual = worst
    }

    /// W(θ) x.
    public func apply(_ theta: [Double], to x: [Double]) -> [Double] {
        precondition(theta.count == dimension && x.count == inputDimension)
        return Self.apply(blocks: blocks, inputChange: inputChange, outputChange: outputChange, theta, to: x)
    }

    static func apply(blocks: [Block], inputChange: Matrix, outputChange: Matrix, _ theta: [Double], to x: [Double]) -> [Double] {
        let u = inputChange.rows == 0 ? [] : inputChange.apply(x)
        var z = [Double](repeating: 0, count: outputChange.columns)
        for block in blocks {
            let d = block.irreducibleDimension, e = block.maps.count
            for j in 0..<block.outputCopies {
                for i in 0..<block.inputCopies {
                    let ui = Array(u[(block.inputOffset + i * d)..<(block.inputOffset + (i + 1) * d)])
                    for (a, m) in block.maps.enumerated() {
                        let c = theta[block.parameterOffset + (j * block.inputCopies + i) * e + a]
                        if c == 0 { continue }
                        let v = m.apply(ui)
                        for r in 0..<d { z[block.outputOffset + j * d + r] += c * v[r] }
                    }
                }
            }
        }
        return outputChange.columns == 0 ? [Double](repeating: 0, count: outputChange.rows) : outputChange.apply(z)
    }

    /// K_p(θ) for one block, (m_out·d) × (m_in·d).
    public func blockMatrix(_ p: Int, _ theta: [Double]) -> Matrix {
        let block = blocks[p], d = block.irreducibleDimension, e = block.maps.count
        var k = Matrix(rows: block.rows, columns: block.columns)
        for j in 0..<block.outputCopies { for i in 0..<block.inputCopies { for (a, m) in block.maps.enumerated() {
            let c = theta[block.parameterOffset + (j * block.inputCopies + i) * e + a]
            for r in 0..<d { for s in 0..<d { k[j * d + r, i * d + s] += c * m[r, s] } }
        } } }
        return k
    }

    /// W(θ) materialized (d_out × d_in); for tests and small layers.
    public func weight(_ theta: [Double]) -> Matrix {
        var z = Matrix(rows: outputChange.columns, columns: inputDimension)
        for (p, block) in blocks.enumerated() {
            let k = blockMatrix(p, theta)
            let rows = RealKernels.rows(inputChange, block.inputOffset..<(block.inputOffset + block.columns))
            let kp = k * rows
            z.elements.replaceSubrange((block.outputOffset * inputDimension)..<((block.outputOffset + block.rows) * inputDimension), with: kp.elements)
        }
        return outputChange.columns == 0 ? Matrix(rows: outputDimension, columns: inputDimension) : outputChange * z
    }

    /// Basis element t (d_out × d_in).
    public func element(_ t: Int) -> Matrix {
        var theta = [Double](repeating: 0, count: dimension)
        theta[t] = 1
        return weight(theta)
    }

    /// Σ_t ‖B_t‖²_F without materializing: ‖A_j M_a C_i‖² = tr(M_aᵀ (A_jᵀA_j) M_a (C_i C_iᵀ)) with
    /// A_j the output copy's d columns of P_out and C_i the input copy's d rows of P_in.
    /// O(Σ m d²(d_in + d_out) + dim · d³).
    public var squaredNormSum: Double {
        var total = 0.0
        let outColumns = outputChange.transposed
        for block in blocks {
            let d = block.irreducibleDimension
            let outGrams = (0..<block.outputCopies).map { j -> Matrix in
                let columns = RealKernels.rows(outColumns, (block.outputOffset + j * d)..<(block.outputOffset + (j + 1) * d))
                return RealKernels.multiplyTransposed(columns, columns)
            }
            let inGrams = (0..<block.inputCopies).map { i -> Matrix in
                let rows = RealKernels.rows(inputChange, (block.inputOffset + i * d)..<(block.inputOffset + (i + 1) * d))
                return RealKernels.multiplyTransposed(rows, rows)
            }
            for g in outGrams { for h in inGrams { for m in block.maps {
                total += ((m.transposed * g * m) * h).trace
            } } }
        }
        return total
    }
}

extension IsotypicDecomposition {
    /// The fixed vectors of the representation (each of length d): the copies of the trivial
    /// type (irreducible dimension 1 with τ̂(s) = 1 for every generator), mapped back by S⁻¹ when
    /// the images were not orthogonal. Their count is ⟨1, χ⟩; an empty array when the
    /// representation has no trivial summand.
    ///
    /// ```swift
    /// try IsotypicDecomposition(representation: natural, group: s3, options: .init()).fixedVectors.count   // 1
    /// ```
    /// - Complexity: O(m · d) for m trivial copies, O(m · d²) when S⁻¹ is applied.
    public var fixedVectors: [[Double]] {
        let trivial = components.filter { c in
            c.irreducibleDimension == 1 && c.irreducibleImages.allSatisfy { abs($0[0, 0] - 1) < 1e-8 }
        }
        var vectors: [[Double]] = []
        for component in trivial {
            for j in 0..<component.multiplicity {
                var v = RealKernels.row(component.copies, j)
                if let sInv = inverseOrthogonalizer { v = sInv.apply(v) }
                vectors.append(v)
            }
        }
        return vectors
    }
}
