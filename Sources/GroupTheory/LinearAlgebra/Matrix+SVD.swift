// Singular value decomposition by Golub–Kahan–Reinsch: Householder bidiagonalization
// and implicitly shifted QR on the bidiagonal (LINPACK dsvdc, as in JAMA), with Aᵀ
// and Vᵀ stored so that every inner loop is contiguous; and the numerical nullspace
// built on it. Singular values are accurate to about ε·σ₁ (absolute).
//
// Negligibility. An off-diagonal eᵢ (or a diagonal sᵢ) of the bidiagonal is set to zero
// when it is below ε times its neighbours (LINPACK's local test) *or* below the absolute
// floor τ = 8ε·‖B‖, ‖B‖ = maxᵢ(|sᵢ| + |eᵢ|) ≥ σ₁ taken after the bidiagonalization.
// The local test alone is not enough: a QR sweep over a block that mixes values of
// order σ₁ with values of order εσ₁ (numerically zero singular values, which constraint
// matrices have by the hundred) makes rounding errors of order εσ₁ in every entry, so
// tiny entries next to tiny diagonals never drop below ε times their neighbours and the
// iteration stalls (this is how the D8 on plane^⊗5 intertwiner matrix failed). Zeroing
// an entry below τ perturbs B by at most τ, within the stated absolute accuracy.
//
// Iteration budget: as LAPACK's dbdsqr, 6·n² plane rotations in QR sweeps in total
// (a sweep over a block of b values costs b − 1), not a fixed count per value, so long
// runs of clustered values share the budget.

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

    /// The nullspace dimension, k = rows of `basis`.
    public var dimension: Int { basis.rows }
    /// The numerical rank: `singularValues.count − dimension` (n − k for an m × n matrix padded to n singular values).
    public var rank: Int { singularValues.count - basis.rows }
}

extension Matrix {
    /// The singular value decomposition (Golub–Kahan–Reinsch). A matrix with fewer rows
    /// than columns is padded with zero rows, so there are always `columns` singular values.
    /// Throws `nonFiniteInput` for NaN/infinity and `notConverged` if the QR sweeps use more
    /// than 6·n² plane rotations in total (LAPACK dbdsqr's budget; not expected to happen).
    ///
    /// ```swift
    /// let s = try Matrix([[3, 0], [0, -2]]).singularValueDecomposition()
    /// s.singularValues   // [3.0, 2.0]
    /// ```
    /// - Complexity: about 4mn² − (4/3)n³ for the bidiagonalization (m ≥ n, padded), (4/3)n³ to
    ///   form V, and O(n²) per QR sweep plus 6n flops per rotation on V.
    public func singularValueDecomposition(computeLeftVectors: Bool = false) throws -> SingularValueDecomposition {
        guard elements.allSatisfy(\.isFinite) else {
            throw LinearAlgebraError.nonFiniteInput(operation: "singular value decomposition")
        }
        let n = columns
        let m = Swift.max(rows, columns)
        // at: n rows of length m, row j = column j of A (zero-padded to m entries).
        var at = [Double](repeating: 0, count: n * m)
        for i in 0..<rows { for j in 0..<n { at[j * m + i] = elements[i * n + j] } }
        var s = [Double](repeating: 0, count: Swift.min(m + 1, n) + 1)
        var vt = [Double](repeating: 0, count: n * n)   // row j = column j of V
        var outcome = (converged: true, sweeps: 0)
        at.withUnsafeMutableBufferPointer { at in
            vt.withUnsafeMutableBufferPointer { vt in
                s.withUnsafeMutableBufferPointer { s in
                    outcome = Matrix.golubKahanReinsch(m: m, n: n, at: at, s: s, vt: vt)
                }
            }
        }
        if !outcome.converged {
            throw LinearAlgebraError.notConverged(algorithm: "Golub–Kahan–Reinsch SVD", iterations: outcome.sweeps)
        }
        var v = Matrix(rows: n, columns: n)
        for j in 0..<n { for k in 0..<n { v.elements[k * n + j] = vt[j * n + k] } }
        let values = Array(s.prefix(n)) + [Double](repeating: 0, count: Swift.max(0, n - s.count))
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

    /// LINPACK dsvdc / JAMA without U, for m ≥ n. JAMA's A[i][j] is at[j * m + i] and
    /// V[i][j] is vt[j * n + i]. On return s[0..<n] holds the singular values, descending;
    /// `sweeps` is the number of QR sweeps done, `converged` false if the rotation budget
    /// ran out. See the file comment for the negligibility rule.
    static func golubKahanReinsch(m: Int, n: Int, at: UnsafeMutableBufferPointer<Double>,
                                  s: UnsafeMutableBufferPointer<Double>, vt: UnsafeMutableBufferPointer<Double>)
        -> (converged: Bool, sweeps: Int)
    {
        if n == 0 { return (true, 0) }
        var e = [Double](repeating: 0, count: n)
        let work = UnsafeMutablePointer<Double>.allocate(capacity: m)
        work.initialize(repeating: 0, count: m)
        defer { work.deallocate() }
        let a = at.baseAddress!, v = vt.baseAddress!
        let nct = Swift.min(m - 1, n)
        let nrt = Swift.max(0, Swift.min(n - 2, m))
        for k in 0..<Swift.max(nct, nrt) {
            let ck = k * m
            if k < nct {
                // Householder for column k: s[k] = ±‖A[k..<m, k]‖.
                var norm = 0.0
                for i in k..<m { norm = hypot(norm, at[ck + i]) }
                s[k] = norm
                if s[k] != 0 {
                    if at[ck + k] < 0 { s[k] = -s[k] }
                    let inv = 1 / s[k]
                    for i in k..<m { at[ck + i] *= inv }
                    at[ck + k] += 1
                }
                s[k] = -s[k]
            }
            for j in (k + 1)..<Swift.max(n, k + 1) {
                let cj = j * m
                if k < nct && s[k] != 0 {
                    let t = -Matrix.dot(a + ck + k, a + cj + k, count: m - k) / at[ck + k]
                    Matrix.axpy(t, a + ck + k, a + cj + k, count: m - k)
                }
                e[j] = at[cj + k]
            }
            if k < nrt {
                var norm = 0.0
                for i in (k + 1)..<n { norm = hypot(norm, e[i]) }
                e[k] = norm
                if e[k] != 0 {
                    if e[k + 1] < 0 { e[k] = -e[k] }
                    let inv = 1 / e[k]
                    for i in (k + 1)..<n { e[i] *= inv }
                    e[k + 1] += 1
                }
                e[k] = -e[k]
                if k + 1 < m && e[k] != 0 {
                    for i in (k + 1)..<m { work[i] = 0 }
                    for j in (k + 1)..<n {
                        Matrix.axpy(e[j], a + j * m + k + 1, work + k + 1, count: m - k - 1)
                    }
                    for j in (k + 1)..<n {
                        Matrix.axpy(-e[j] / e[k + 1], work + k + 1, a + j * m + k + 1, count: m - k - 1)
                    }
                }
                for i in (k + 1)..<n { vt[k * n + i] = e[i] }
            }
        }
        var p = Swift.min(n, m + 1)
        if nct < n { s[nct] = at[nct * m + nct] }
        if m < p { s[p - 1] = 0 }
        if nrt + 1 < p { e[nrt] = at[(p - 1) * m + nrt] }
        e[p - 1] = 0
        // Form V.
        for k in stride(from: n - 1, through: 0, by: -1) {
            let rk = k * n
            if k < nrt && e[k] != 0 {
                for j in (k + 1)..<n {
                    let rj = j * n
                    let t = -Matrix.dot(v + rk + k + 1, v + rj + k + 1, count: n - k - 1) / vt[rk + k + 1]
                    Matrix.axpy(t, v + rk + k + 1, v + rj + k + 1, count: n - k - 1)
                }
            }
            for i in 0..<n { vt[rk + i] = 0 }
            vt[rk + k] = 1
        }
        // Implicit QR on the bidiagonal (s, e).
        let pp = p - 1
        let eps = Double.ulpOfOne
        let tiny = Double(sign: .plus, exponent: -966, significand: 1)
        // Absolute floor: 8ε‖B‖ with ‖B‖ = max(|sᵢ| + |eᵢ|), between σ₁ and 2σ₁.
        var bidiagonalNorm = 0.0
        for i in 0..<p { bidiagonalNorm = Swift.max(bidiagonalNorm, s[i].magnitude + e[i].magnitude) }
        let absoluteFloor = tiny + 8 * eps * bidiagonalNorm
        // LAPACK dbdsqr's budget: 6·n² rotations over all sweeps.
        let budget = 6 * n * n
        var rotations = 0, sweeps = 0
        @inline(__always) func rotate(_ j: Int, _ l: Int, _ cs: Double, _ sn: Double) {
            let base = vt.baseAddress!
            Matrix.rotate(base + j * n, base + l * n, count: n, c: cs, s: -sn)
        }
        while p > 0 {
            if rotations > budget { return (false, sweeps) }
            var k = p - 2
            while k >= 0 {
                let ek = e[k].magnitude
                if ek <= absoluteFloor || ek <= tiny + eps * (s[k].magnitude + s[k + 1].magnitude) {
                    e[k] = 0
                    break
                }
                k -= 1
            }
            var kase: Int
            if k == p - 2 {
                kase = 4
            } else {
                var ks = p - 1
                while ks > k {
                    let t = (ks != p ? e[ks].magnitude : 0) + (ks != k + 1 ? e[ks - 1].magnitude : 0)
                    let sk = s[ks].magnitude
                    if sk <= absoluteFloor || sk <= tiny + eps * t {
                        s[ks] = 0
                        break
                    }
                    ks -= 1
                }
                if ks == k {
                    kase = 3
                } else if ks == p - 1 {
                    kase = 1
                } else {
                    kase = 2
                    k = ks
                }
            }
            k += 1
            switch kase {
            case 1:
                // Deflate a negligible s[p-1].
                var f = e[p - 2]
                e[p - 2] = 0
                var j = p - 2
                while j >= k {
                    let t = hypot(s[j], f)
                    let cs = s[j] / t, sn = f / t
                    s[j] = t
                    if j != k {
                        f = -sn * e[j - 1]
                        e[j - 1] = cs * e[j - 1]
                    }
                    rotate(j, p - 1, cs, sn)
                    j -= 1
                }
            case 2:
                // Split at a negligible s[k-1] (only U would change).
                var f = e[k - 1]
                e[k - 1] = 0
                for j in k..<p {
                    let t = hypot(s[j], f)
                    let cs = s[j] / t, sn = f / t
                    s[j] = t
                    f = -sn * e[j]
                    e[j] = cs * e[j]
                }
            case 3:
                // One implicitly shifted QR step.
                let scale = Swift.max(Swift.max(Swift.max(Swift.max(s[p - 1].magnitude, s[p - 2].magnitude),
                                                          e[p - 2].magnitude), s[k].magnitude), e[k].magnitude)
                let sp = s[p - 1] / scale, spm1 = s[p - 2] / scale, epm1 = e[p - 2] / scale
                let sk = s[k] / scale, ek = e[k] / scale
                let b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2
                let c = (sp * epm1) * (sp * epm1)
                var shift = 0.0
                if b != 0 || c != 0 {
                    shift = (b * b + c).squareRoot()
                    if b < 0 { shift = -shift }
                    shift = c / (b + shift)
                }
                var f = (sk + sp) * (sk - sp) + shift
                var g = sk * ek
                for j in k..<(p - 1) {
                    // t = 0 cannot occur in an unreduced block (all |sᵢ|, |eᵢ| > absoluteFloor), but
                    // guard against 0/0 anyway: the identity rotation keeps everything finite.
                    var t = hypot(f, g)
                    var cs = t == 0 ? 1 : f / t, sn = t == 0 ? 0 : g / t
                    if j != k { e[j - 1] = t }
                    f = cs * s[j] + sn * e[j]
                    e[j] = cs * e[j] - sn * s[j]
                    g = sn * s[j + 1]
                    s[j + 1] = cs * s[j + 1]
                    rotate(j, j + 1, cs, sn)
                    t = hypot(f, g)
                    cs = t == 0 ? 1 : f / t
                    sn = t == 0 ? 0 : g / t
                    s[j] = t
                    f = cs * e[j] + sn * s[j + 1]
                    s[j + 1] = -sn * e[j] + cs * s[j + 1]
                    g = sn * e[j + 1]
                    e[j + 1] = cs * e[j + 1]
                }
                e[p - 2] = f
                rotations += p - 1 - k
                sweeps += 1
            default:
                // Convergence: make s[k] non-negative and move it into place.
                if s[k] <= 0 {
                    s[k] = s[k] < 0 ? -s[k] : 0
                    let rk = k * n
                    for i in 0...pp { vt[rk + i] = -vt[rk + i] }
                }
                while k < pp {
                    if s[k] >= s[k + 1] { break }
                    s.swapAt(k, k + 1)
                    if k < n - 1 {
                        for i in 0..<n { vt.swapAt(k * n + i, (k + 1) * n + i) }
                    }
                    k += 1
                }
                p -= 1
            }
        }
        return (true, sweeps)
    }

    /// An orthonormal basis (rows) of the numerical nullspace { x : A x ≈ 0 } with the
    /// singular values and the gap behind the decision; never refuses. See
    /// `NumericalNullspace` for the rule, and `checkedNullspace` for the refusing variant.
    ///
    /// ```swift
    /// let ns = try Matrix([[1, 1], [2, 2]]).nullspace()
    /// ns.dimension   // 1, basis ≈ [[-0.707, 0.707]] up to sign
    /// ```
    /// - Complexity: one `singularValueDecomposition()` plus O(n²) to copy the basis.
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
    /// - Complexity: that of `nullspace(relativeTolerance:)`.
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
