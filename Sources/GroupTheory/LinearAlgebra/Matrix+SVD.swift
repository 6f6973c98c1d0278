/// Singular value decomposition by one-sided Jacobi (Hestenes 1958; Demmel & Veselić
/// 1992), preceded by a Householder QR when the matrix is taller than wide, and the
/// numerical nullspace built on it. One-sided Jacobi computes small singular values
/// to high relative accuracy, which is what a trustworthy rank decision needs.

/// A = U Σ Vᵀ.
public struct SingularValueDecomposition: Sendable {
    /// n = columns(A) singular values, descending (zeros included when rank < n).
    public let singularValues: [Double]
    /// n × n orthogonal: column i is the right singular vector for `singularValues[i]`.
    public let rightSingularVectors: Matrix
    /// m × n when requested: column i is A vᵢ / σᵢ (a zero column where σᵢ = 0),
    /// so A = U diag(σ) Vᵀ.
    public let leftSingularVectors: Matrix?
}

/// A numerical nullspace with the numbers behind the rank decision.
///
/// Rule: with σ₁ ≥ σ₂ ≥ … the singular values and τ = relativeTolerance · σ₁, the values
/// σᵢ ≤ τ count as zero. The gap ratio is
/// (smallest kept σ) / max(largest discarded σ, noise), noise = ε · max(m, n) · σ₁,
/// so an exactly rank-deficient input has a ratio about 1/(ε·max(m,n)·cond) and an
/// ill-conditioned one a small ratio. `checkedNullspace` refuses ratios below
/// `requiredGap` (default 1e3).
public struct NumericalNullspace: Sendable {
    /// k × n: each row is a unit basis vector; rows are orthonormal.
    public let basis: Matrix
    /// All singular values, descending.
    public let singularValues: [Double]
    /// The zero threshold τ = relativeTolerance · σ₁.
    public let threshold: Double
    /// The largest singular value counted as zero (0 when none is).
    public let largestDiscarded: Double
    /// The smallest singular value counted as nonzero (+∞ when none is).
    public let smallestKept: Double
    /// smallestKept / max(largestDiscarded, noise); +∞ for the zero matrix.
    public let gapRatio: Double

    public var dimension: Int { basis.rows }
    public var rank: Int { singularValues.count - basis.rows }
}

extension Matrix {
    /// The singular value decomposition (one-sided Jacobi; QR first when rows > columns).
    /// Throws `nonFiniteInput` for NaN/infinity and `notConverged` after 80 sweeps.
    ///
    /// ```swift
    /// let s = try Matrix([[3, 0], [0, -2]]).singularValueDecomposition()
    /// s.singularValues   // [3.0, 2.0]
    /// ```
    /// - Complexity: O(sweeps · n² · min(m, n)) with typically 6–10 sweeps, plus
    ///   2mn² for the QR when m > n.
    public func singularValueDecomposition(computeLeftVectors: Bool = false) throws -> SingularValueDecomposition {
        guard elements.allSatisfy(\.isFinite) else {
            throw LinearAlgebraError.nonFiniteInput(operation: "singular value decomposition")
        }
        let n = columns
        // g: n rows of length p holding the columns of the working matrix (R or A).
        let p: Int
        var g: [Double]
        if rows > columns {
            let r = qrDecomposition().r
            p = n
            g = r.transposed.elements
        } else {
            p = rows
            g = transposed.elements
        }
        var vt = [Double](repeating: 0, count: n * n)   // row i = column i of V
        for i in 0..<n { vt[i * n + i] = 1 }
        var norms = [Double](repeating: 0, count: n)
        let tolerance = Double.ulpOfOne * Double(Swift.max(p, 1)).squareRoot()
        let tiny = Double.leastNormalMagnitude / Double.ulpOfOne
        var converged = n <= 1
        var sweep = 0
        g.withUnsafeMutableBufferPointer { g in
            vt.withUnsafeMutableBufferPointer { vt in
                while !converged && sweep < 80 {
                    sweep += 1
                    for i in 0..<n {
                        var s = 0.0
                        for k in 0..<p { s += g[i * p + k] * g[i * p + k] }
                        norms[i] = s
                    }
                    var rotated = false
                    for i in 0..<(n - 1) {
                        let gi = i * p, vi = i * n
                        for j in (i + 1)..<n {
                            let alpha = norms[i], beta = norms[j]
                            if alpha <= tiny || beta <= tiny { continue }
                            let gj = j * p
                            var gamma = 0.0
                            for k in 0..<p { gamma += g[gi + k] * g[gj + k] }
                            if gamma.magnitude <= tolerance * (alpha * beta).squareRoot() { continue }
                            rotated = true
                            let zeta = (beta - alpha) / (2 * gamma)
                            let t = (zeta >= 0 ? 1.0 : -1.0) / (zeta.magnitude + (1 + zeta * zeta).squareRoot())
                            let c = 1 / (1 + t * t).squareRoot()
                            let s = c * t
                            for k in 0..<p {
                                let a = g[gi + k], b = g[gj + k]
                                g[gi + k] = c * a - s * b
                                g[gj + k] = s * a + c * b
                            }
                            let vj = j * n
                            for k in 0..<n {
                                let a = vt[vi + k], b = vt[vj + k]
                                vt[vi + k] = c * a - s * b
                                vt[vj + k] = s * a + c * b
                            }
                            norms[i] = alpha - t * gamma
                            norms[j] = beta + t * gamma
                        }
                    }
                    if !rotated { converged = true }
                }
            }
        }
        if !converged {
            throw LinearAlgebraError.notConverged(algorithm: "one-sided Jacobi SVD", iterations: sweep)
        }
        var sigma = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for k in 0..<p { s += g[i * p + k] * g[i * p + k] }
            sigma[i] = s.squareRoot()
        }
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] || (sigma[$0] == sigma[$1] && $0 < $1) }
        var v = Matrix(rows: n, columns: n)
        for (column, source) in order.enumerated() {
            for k in 0..<n { v.elements[k * n + column] = vt[source * n + k] }
        }
        let values = order.map { sigma[$0] }
        var u: Matrix? = nil
        if computeLeftVectors {
            var av = self * v
            for j in 0..<n {
                let inv = values[j] > 0 ? 1 / values[j] : 0
                for i in 0..<rows { av.elements[i * n + j] *= inv }
            }
            u = av
        }
        return SingularValueDecomposition(singularValues: values, rightSingularVectors: v, leftSingularVectors: u)
    }

    /// An orthonormal basis (rows) of the numerical nullspace { x : A x ≈ 0 } with the
    /// singular values and the gap behind the decision; never refuses. See
    /// `NumericalNullspace` for the rule, and `checkedNullspace` for the refusing variant.
    ///
    /// ```swift
    /// let ns = try Matrix([[1, 1], [2, 2]]).nullspace()
    /// ns.dimension   // 1, basis ≈ [[-0.707, 0.707]] up to sign
    /// ```
    public func nullspace(relativeTolerance: Double = 1e-8) throws -> NumericalNullspace {
        precondition(relativeTolerance >= 0 && relativeTolerance < 1, "relative tolerance must lie in [0, 1)")
        let svd = try singularValueDecomposition()
        let sigma = svd.singularValues
        let n = columns
        let top = sigma.first ?? 0
        let threshold = relativeTolerance * top
        let kept = top == 0 ? 0 : sigma.prefix { $0 > threshold }.count
        let largestDiscarded = kept < n ? sigma[kept] : 0
        let smallestKept = kept > 0 ? sigma[kept - 1] : Double.infinity
        let noise = Double.ulpOfOne * Double(Swift.max(rows, columns)) * top
        let gap: Double
        if kept == 0 {
            gap = top == 0 ? .infinity : 0
        } else {
            let floor = Swift.max(largestDiscarded, noise)
            gap = floor > 0 ? smallestKept / floor : .infinity
        }
        var basis = Matrix(rows: n - kept, columns: n)
        for t in kept..<n {
            for k in 0..<n { basis.elements[(t - kept) * n + k] = svd.rightSingularVectors.elements[k * n + t] }
        }
        return NumericalNullspace(basis: basis, singularValues: sigma, threshold: threshold,
                                  largestDiscarded: largestDiscarded, smallestKept: smallestKept, gapRatio: gap)
    }

    /// `nullspace(relativeTolerance:)`, refusing with `unclearNumericalRank` when the gap
    /// ratio is below `requiredGap` — the singular values do not separate cleanly, so the
    /// dimension would be a guess.
    public func checkedNullspace(relativeTolerance: Double = 1e-8, requiredGap: Double = 1e3) throws -> NumericalNullspace {
        let result = try nullspace(relativeTolerance: relativeTolerance)
        if result.gapRatio < requiredGap {
            throw LinearAlgebraError.unclearNumericalRank(
                smallestKept: result.smallestKept, largestDiscarded: result.largestDiscarded,
                gapRatio: result.gapRatio, requiredGap: requiredGap, relativeTolerance: relativeTolerance)
        }
        return result
    }
}
