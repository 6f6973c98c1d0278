/// Strategy 3 (DESIGN.md "The solver"): exact rational elimination, intersecting the fixed
/// spaces generator by generator.
///
/// Unknowns are vec(W) in **row-major** order, w[r·d_in + c] = W[r, c]. Then
/// (A W)[r, c] = Σ_k A[r, k] W[k, c] puts A[r, k] at unknown (k, c) of equation (r, c), and
/// (W B)[r, c] = Σ_k W[r, k] B[k, c] puts B[k, c] at unknown (r, k). So the constraint
/// A W − W B = 0 of a generator with A = ρ_out(g), B = ρ_in(g) is
///
///     (A ⊗ I_{d_in} − I_{d_out} ⊗ Bᵀ) · vec(W) = 0      (Kronecker as in `Matrix.kronecker`).
///
/// The solution space starts as all of ℚ^(d_out·d_in) and is cut down by each generator's
/// block in turn (`RationalSubspace`), so later generators act on a small space. The result is
/// the reduced row echelon basis: element t has a 1 at its pivot (its first nonzero, in
/// row-major order) and 0 at the other elements' pivots; elements are ordered by pivot.
///
/// ```swift
/// let basis = try ExactElimination.solve(output: rot, input: rot)   // rotations of the plane
/// basis.count   // 2: I and the quarter turn
/// ```
/// - Complexity: dominated by eliminating the first generator's (d_out·d_in)² system.
public enum ExactElimination {
    /// Basis of { W : A_g W = W B_g for all g } as rows of vec(W) (row-major); traps if
    /// the image counts differ. Generators whose two images are both the identity are skipped.
    /// - Complexity: dominated by eliminating the first non-identity generator's
    ///   (d_out·d_in) × (d_out·d_in) system; later ones act on the smaller solution space.
    public static func solve(output: [RationalMatrix], input: [RationalMatrix]) -> RationalMatrix {
        precondition(output.count == input.count)
        let dOut = output.first?.rows ?? 0, dIn = input.first?.rows ?? 0
        let n = dOut * dIn
        var space = RationalSubspace(ambientDimension: n)
        for (a, b) in zip(output, input) {
            if a.isIdentity && b.isIdentity { continue }
            space.intersect(withNullspaceOf: constraint(a, b))
            if space.dimension == 0 { break }
        }
        return space.basis
    }

    /// A ⊗ I − I ⊗ Bᵀ (row-major vec), d_out·d_in square.
    /// - Complexity: O((d_out·d_in)²) to allocate, O(d_out·d_in·(d_out + d_in)) to fill.
    public static func constraint(_ a: RationalMatrix, _ b: RationalMatrix) -> RationalMatrix {
        let dOut = a.rows, dIn = b.rows, n = dOut * dIn
        var m = RationalMatrix(rows: n, columns: n)
        for r in 0..<dOut {
            for c in 0..<dIn {
                let equation = r * dIn + c
                for k in 0..<dOut {
                    let x = a[r, k]
                    if !x.isZero { m[equation, k * dIn + c] += x }
                }
                for k in 0..<dIn {
                    let x = b[k, c]
                    if !x.isZero { m[equation, r * dIn + k] -= x }
                }
            }
        }
        return m
    }
}
