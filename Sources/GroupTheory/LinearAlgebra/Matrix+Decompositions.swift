// Float64 LU and QR decompositions, determinant, inverse, solve, the matrix
// exponential and approximate comparison. All kernels run over row-major flat
// storage with contiguous inner loops.

/// LU decomposition with partial pivoting: P A = L U (L unit lower triangular).
///
/// ```swift
/// let lu = Matrix([[0, 1], [2, 3]]).luDecomposition()
/// lu.determinant   // -2
/// ```
public struct LUDecomposition: Sendable {
    /// n, for the n × n matrix A.
    public let size: Int
    /// L (strictly below the diagonal, unit diagonal implied) and U, packed row-major.
    public let packed: [Double]
    /// Row i of P A is row `permutation[i]` of A.
    public let permutation: [Int]
    /// +1 or -1: the sign of the permutation.
    public let permutationSign: Double
    /// The largest absolute entry of A, for the singularity threshold.
    public let scale: Double

    /// det A = sign(P) · ∏ Uᵢᵢ, the product of the pivots with the permutation's sign.
    /// - Complexity: O(n).
    public var determinant: Double {
        var d = permutationSign
        for i in 0..<size { d *= packed[i * size + i] }
        return d
    }

    /// True when some pivot is at most n·ε·max|aᵢⱼ| in magnitude (numerically singular).
    public var isNumericallySingular: Bool {
        let threshold = Double(max(size, 1)) * Double.ulpOfOne * scale
        for i in 0..<size where packed[i * size + i].magnitude <= threshold { return true }
        return false
    }

    /// Solves A X = B; throws `singularMatrix` when A is numerically singular.
    /// - Complexity: O(n² · w) for a right-hand side with w columns.
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(b.rows == size, "right-hand side has \(b.rows) rows, the matrix \(size)")
        if isNumericallySingular { throw LinearAlgebraError.singularMatrix(size: size, operation: "solve") }
        let n = size, w = b.columns
        var x = Matrix(rows: n, columns: w)
        packed.withUnsafeBufferPointer { a in
            x.elements.withUnsafeMutableBufferPointer { xp in
                b.elements.withUnsafeBufferPointer { bp in
                    for i in 0..<n {
                        let src = permutation[i]
                        for j in 0..<w { xp[i * w + j] = bp[src * w + j] }
                    }
                }
                // Forward substitution with unit L.
                for i in 0..<n {
                    for k in 0..<i {
                        let l = a[i * n + k]
                        if l == 0 { continue }
                        for j in 0..<w { xp[i * w + j] -= l * xp[k * w + j] }
                    }
                }
                // Back substitution with U.
                for i in stride(from: n - 1, through: 0, by: -1) {
                    for k in (i + 1)..<max(n, i + 1) {
                        let u = a[i * n + k]
                        if u == 0 { continue }
                        for j in 0..<w { xp[i * w + j] -= u * xp[k * w + j] }
                    }
                    let d = 1 / a[i * n + i]
                    for j in 0..<w { xp[i * w + j] *= d }
                }
            }
        }
        return x
    }
}

/// A thin QR decomposition A = Q R: Q is m × k with orthonormal columns, R is k × n upper
/// triangular (trapezoidal), k = min(m, n). Householder reflections (Golub & Van Loan §5.2).
public struct QRDecomposition: Sendable {
    /// Q, m × k with orthonormal columns.
    public let q: Matrix
    /// R, k × n upper trapezoidal.
    public let r: Matrix
}

extension Matrix {
    /// LU with partial pivoting; traps if the matrix is not square.
    /// - Complexity: (2/3) n³ flops.
    public func luDecomposition() -> LUDecomposition {
        precondition(isSquare, "LU of a non-square \(rows)×\(columns) matrix")
        let n = rows
        var a = elements
        var perm = Array(0..<n)
        var sign = 1.0
        a.withUnsafeMutableBufferPointer { a in
            for k in 0..<n {
                var p = k
                var best = a[k * n + k].magnitude
                for i in (k + 1)..<max(n, k + 1) where a[i * n + k].magnitude > best {
                    best = a[i * n + k].magnitude
                    p = i
                }
                if p != k {
                    for j in 0..<n { a.swapAt(k * n + j, p * n + j) }
                    perm.swapAt(k, p)
                    sign = -sign
                }
                let pivot = a[k * n + k]
                if pivot == 0 { continue }
                let inv = 1 / pivot
                for i in (k + 1)..<max(n, k + 1) {
                    let l = a[i * n + k] * inv
                    a[i * n + k] = l
                    if l == 0 { continue }
                    for j in (k + 1)..<n { a[i * n + j] -= l * a[k * n + j] }
                }
            }
        }
        return LUDecomposition(size: n, packed: a, permutation: perm, permutationSign: sign, scale: maxAbs)
    }

    /// The determinant via LU; traps if not square.
    public var determinant: Double { luDecomposition().determinant }

    /// The inverse via LU; throws `singularMatrix` if a pivot is at most n·ε·max|aᵢⱼ|.
    ///
    /// ```swift
    /// try Matrix([[2, 0], [0, 4]]).inverse()   // [[0.5, 0], [0, 0.25]]
    /// ```
    /// - Complexity: O(n³): (2/3)n³ flops for LU plus 2n³ for the n right-hand sides.
    public func inverse() throws -> Matrix {
        do {
            return try luDecomposition().solve(Matrix.identity(rows))
        } catch {
            throw LinearAlgebraError.singularMatrix(size: rows, operation: "inverse")
        }
    }

    /// Solves A X = B for square nonsingular A by LU with partial pivoting; traps if A is
    /// not square, throws `singularMatrix` when it is numerically singular.
    /// - Complexity: (2/3)n³ flops plus O(n² · w) for w right-hand sides.
    public func solve(_ b: Matrix) throws -> Matrix { try luDecomposition().solve(b) }

    /// Householder QR (thin).
    /// - Complexity: 2mn² − (2/3)n³ flops for R, as much again for Q.
    public func qrDecomposition() -> QRDecomposition {
        let m = rows, n = columns, k = Swift.min(m, n)
        // Work on Aᵀ so that each column of A is a contiguous row.
        var at = transposed.elements
        var vs = [Double](repeating: 0, count: k * m)   // Householder vectors, row t = v_t (from index t)
        var betas = [Double](repeating: 0, count: k)
        at.withUnsafeMutableBufferPointer { at in
            vs.withUnsafeMutableBufferPointer { vs in
                for t in 0..<k {
                    let base = t * m
                    var norm2 = 0.0
                    for i in t..<m { norm2 += at[base + i] * at[base + i] }
                    let norm = norm2.squareRoot()
                    if norm == 0 { continue }
                    let x0 = at[base + t]
                    let alpha = x0 >= 0 ? -norm : norm
                    // v = x − alpha e_t, beta = 2 / vᵀv
                    for i in t..<m { vs[base + i] = at[base + i] }
                    vs[base + t] = x0 - alpha
                    let vtv = norm2 - x0 * x0 + (x0 - alpha) * (x0 - alpha)
                    let beta = vtv == 0 ? 0 : 2 / vtv
                    betas[t] = beta
                    at[base + t] = alpha
                    for i in (t + 1)..<max(m, t + 1) { at[base + i] = 0 }
                    for j in (t + 1)..<n {
                        let cb = j * m
                        var dot = 0.0
                        for i in t..<m { dot += vs[base + i] * at[cb + i] }
                        let f = beta * dot
                        if f == 0 { continue }
                        for i in t..<m { at[cb + i] -= f * vs[base + i] }
                    }
                }
            }
        }
        var r = Matrix(rows: k, columns: n)
        for i in 0..<k { for j in i..<n { r.elements[i * n + j] = at[j * m + i] } }
        // Qᵀ rows: start from e_j (j < k) and apply H_{k-1} … H_0 in reverse order.
        var qt = [Double](repeating: 0, count: k * m)
        for j in 0..<k { qt[j * m + j] = 1 }
        qt.withUnsafeMutableBufferPointer { qt in
            vs.withUnsafeBufferPointer { vs in
                for t in stride(from: k - 1, through: 0, by: -1) where betas[t] != 0 {
                    let base = t * m
                    for j in 0..<k {
                        let qb = j * m
                        var dot = 0.0
                        for i in t..<m { dot += vs[base + i] * qt[qb + i] }
                        let f = betas[t] * dot
                        if f == 0 { continue }
                        for i in t..<m { qt[qb + i] -= f * vs[base + i] }
                    }
                }
            }
        }
        return QRDecomposition(q: Matrix(rows: k, columns: m, elements: qt).transposed, r: r)
    }

    /// The maximum absolute column sum ‖A‖₁.
    public var oneNorm: Double {
        var sums = [Double](repeating: 0, count: columns)
        for i in 0..<rows { for j in 0..<columns { sums[j] += elements[i * columns + j].magnitude } }
        return sums.max() ?? 0
    }

    /// True when max|aᵢⱼ − bᵢⱼ| ≤ absoluteTolerance + relativeTolerance · max(max|aᵢⱼ|, max|bᵢⱼ|).
    /// Different shapes are never equal.
    /// - Complexity: O(rows · columns).
    public func isApproximatelyEqual(to other: Matrix, relativeTolerance: Double = 1e-12,
                                     absoluteTolerance: Double = 0) -> Bool
    {
        guard rows == other.rows, columns == other.columns else { return false }
        var diff = 0.0
        for i in elements.indices { diff = Swift.max(diff, (elements[i] - other.elements[i]).magnitude) }
        return diff <= absoluteTolerance + relativeTolerance * Swift.max(maxAbs, other.maxAbs)
    }

    /// The matrix exponential e^A by scaling and squaring with the [13/13] Padé approximant
    /// (Higham 2005, "The scaling and squaring method for the matrix exponential revisited").
    /// Throws `nonFiniteInput` for NaN/infinite entries; traps if not square.
    ///
    /// ```swift
    /// let r = try Matrix([[0, -1], [1, 0]]).exponential()   // rotation by 1 radian
    /// ```
    /// - Complexity: (6 + s) matrix products and one LU solve, s = ⌈log₂(‖A‖₁/5.37)⌉.
    public func exponential() throws -> Matrix {
        precondition(isSquare, "exponential of a non-square \(rows)×\(columns) matrix")
        guard elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.nonFiniteInput(operation: "exponential") }
        let n = rows
        if n == 0 { return self }
        let theta13 = 5.371920351148152
        let norm = oneNorm
        var s = 0
        if norm > theta13 {
            s = Swift.max(0, Int((norm / theta13).exponent) + 1)
        }
        let a = s == 0 ? self : Double(sign: .plus, exponent: -s, significand: 1) * self
        let b: [Double] = [
            64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800,
            129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920,
            40840800, 960960, 16380, 182, 1,
        ]
        let identity = Matrix.identity(n)
        let a2 = a * a, a4 = a2 * a2, a6 = a4 * a2
        let uInner = a6 * (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * identity
        let u = a * uInner
        let v = a6 * (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * identity
        var r: Matrix
        do {
            r = try (v - u).luDecomposition().solve(v + u)
        } catch {
            throw LinearAlgebraError.notConverged(algorithm: "matrix exponential (Padé denominator singular)", iterations: 0)
        }
        for _ in 0..<s { r = r * r }
        return r
    }
}
