import GroupTheory

/// The general-purpose method the solver is measured against (what EMLP does for
/// small problems, `orthogonal_complement` of the dense constraint matrix): stack
/// ρ_out(g) ⊗ I − I ⊗ ρ_in(g)ᵀ over the generators g, a (#gens·d_out·d_in) × (d_out·d_in)
/// matrix acting on W flattened row-major, and take its nullspace from a dense SVD.
enum DenseBaseline {
    struct Result {
        var dimension: Int
        var gapRatio: Double
    }

    /// Number of unknowns d_out·d_in.
    static func unknowns(input: Representation, output: Representation) -> Int { input.dimension * output.dimension }

    /// The stacked constraint matrix: row (g, i, j) holds the coefficients of
    /// (ρ_out(g) W − W ρ_in(g))[i, j] = Σ_k A[i,k] W[k,j] − Σ_k W[i,k] B[k,j].
    static func constraintMatrix(input: Representation, output: Representation) -> Matrix {
        let dIn = input.dimension, dOut = output.dimension, n = dIn * dOut
        let pairs = Array(zip(output.realImages, input.realImages))
        var c = Matrix(rows: pairs.count * n, columns: n)
        for (g, (a, b)) in pairs.enumerated() {
            for i in 0..<dOut {
                for j in 0..<dIn {
                    let row = (g * n + i * dIn + j) * n
                    for k in 0..<dOut where a[i, k] != 0 { c.elements[row + k * dIn + j] += a[i, k] }
                    for k in 0..<dIn where b[k, j] != 0 { c.elements[row + i * dIn + k] -= b[k, j] }
                }
            }
        }
        return c
    }

    static func solve(input: Representation, output: Representation) throws -> Result {
        let ns = try constraintMatrix(input: input, output: output).nullspace(relativeTolerance: 1e-8)
        return Result(dimension: ns.dimension, gapRatio: ns.gapRatio)
    }
}
