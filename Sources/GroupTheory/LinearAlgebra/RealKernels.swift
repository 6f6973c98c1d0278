/// Flat Float64 kernels for the real solver (row-major, contiguous inner loops).
///
/// The transposed products A·Bᵀ and Aᵀ·B (on top of GroupTheory's cache-blocked `Matrix.*`), matrix–vector products,
/// triangular solves and a few small helpers. All are non-generic and run over
/// raw pointers, where the index arithmetic has no overflow checks to block
/// vectorization.
enum RealKernels {
    /// A · Bᵀ.
    static func multiplyTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.columns, "A·Bᵀ needs equal column counts")
        return a * b.transposed
    }

    /// Aᵀ · B (A is r × p, B is r × q; the result is p × q).
    static func transposedMultiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.rows == b.rows, "Aᵀ·B needs equal row counts")
        return a.transposed * b
    }

    /// Row i of `m` as an array.
    static func row(_ m: Matrix, _ i: Int) -> [Double] {
        Array(m.elements[(i * m.columns)..<((i + 1) * m.columns)])
    }

    /// A matrix whose rows are `rows` (all of length `columns`).
    static func matrix(rows: [[Double]], columns: Int) -> Matrix {
        var m = Matrix(rows: rows.count, columns: columns)
        for (i, r) in rows.enumerated() {
            precondition(r.count == columns)
            m.elements.replaceSubrange((i * columns)..<((i + 1) * columns), with: r)
        }
        return m
    }

    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in 0..<x.count { s += x[i] * y[i] }
        return s
    }

    /// Largest ‖M Mᵀ − I‖ entry: how far the rows of M are from orthonormal.
    static func orthonormalityDefect(_ m: Matrix) -> Double {
        let g = multiplyTransposed(m, m)
        return (g - Matrix.identity(m.rows)).maxAbs
    }

    /// True when every image is orthogonal to `tolerance` (max entry of ρᵀρ − I).
    static func isOrthogonal(_ images: [Matrix], tolerance: Double) -> Bool {
        images.allSatisfy { transposedMultiply($0, $0).isApproximatelyEqual(to: .identity($0.rows), relativeTolerance: 0, absoluteTolerance: tolerance) }
    }

    /// Uniform entries in [−1, 1).
    static func random(rows: Int, columns: Int, using rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in 2 * rng.nextUnit() - 1 })
    }
}

extension RealKernels {
    /// Solves L X = B for lower-triangular L (d × d) by forward substitution, row by row
    /// (B is d × n): row i of X is (row i of B − Σ_{j<i} L[i, j] · row j of X) / L[i, i].
    static func forwardSubstitute(_ l: Matrix, _ b: Matrix) -> Matrix {
        let d = l.rows, n = b.columns
        var x = b
        x.elements.withUnsafeMutableBufferPointer { xp in
            for i in 0..<d {
                let xi = xp.baseAddress! + i * n
                for j in 0..<i {
                    let lij = l[i, j]
                    if lij == 0 { continue }
                    let xj = xp.baseAddress! + j * n
                    for c in 0..<n { xi[c] -= lij * xj[c] }
                }
                let inv = 1 / l[i, i]
                for c in 0..<n { xi[c] *= inv }
            }
        }
        return x
    }

    /// Rows `range` of `m`.
    static func rows(_ m: Matrix, _ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: m.columns,
               elements: Array(m.elements[(range.lowerBound * m.columns)..<(range.upperBound * m.columns)]))
    }

    /// The rows of `a` followed by the rows of `b`.
    static func stack(_ a: Matrix, _ b: Matrix) -> Matrix {
        if a.rows == 0 { return b }
        precondition(a.columns == b.columns)
        return Matrix(rows: a.rows + b.rows, columns: a.columns, elements: a.elements + b.elements)
    }

    /// Frobenius inner product.
    static func frobenius(_ a: Matrix, _ b: Matrix) -> Double {
        var s = 0.0
        a.elements.withUnsafeBufferPointer { ap in
            b.elements.withUnsafeBufferPointer { bp in
                for i in 0..<ap.count { s += ap[i] * bp[i] }
            }
        }
        return s
    }

    /// a += s · b, in place.
    static func addScaled(_ a: inout Matrix, _ s: Double, _ b: Matrix) {
        a.elements.withUnsafeMutableBufferPointer { ap in
            b.elements.withUnsafeBufferPointer { bp in
                for i in 0..<ap.count { ap[i] += s * bp[i] }
            }
        }
    }

    /// Modified Gram–Schmidt, twice, in the Frobenius inner product. Throws on a
    /// (numerically) dependent input: the bases passed are independent in exact
    /// arithmetic, but an ill-conditioned non-orthogonal representation (a user's
    /// input) can make them collapse in Float64.
    static func orthonormalize(_ basis: [Matrix]) throws(RealSolverError) -> [Matrix] {
        var out: [Matrix] = []
        out.reserveCapacity(basis.count)
        for var b in basis {
            let original = frobenius(b, b).squareRoot()
            for _ in 0..<2 {
                for q in out { addScaled(&b, -frobenius(q, b), q) }
            }
            let norm = frobenius(b, b).squareRoot()
            guard norm > 1e-6 * original, norm.isFinite else {
                throw .illConditioned(element: out.count, remaining: original > 0 ? norm / original : 0)
            }
            out.append((1 / norm) * b)
        }
        return out
    }
}

/// A numerical nullspace whose zero threshold is relative to a known scale of the
/// operator as well as to its largest singular value, so that a system that is
/// zero up to rounding (every unknown free) is recognized as such.
///
/// Rule (as `NumericalNullspace`): with σ₁ ≥ σ₂ ≥ … and s = max(σ₁, `scale`), the
/// values σᵢ ≤ `relativeTolerance` · s count as zero; the gap ratio is
/// (smallest kept σ) / max(largest discarded σ, ε · max(rows, columns) · s), and a
/// ratio below `requiredGap` is refused.
struct ScaledNullspace {
    /// k × n orthonormal rows.
    let basis: Matrix
    let gapRatio: Double

    init(_ system: Matrix, scale: Double, relativeTolerance: Double, requiredGap: Double, context: String) throws {
        let n = system.columns
        let svd: SingularValueDecomposition
        do {
            svd = try system.singularValueDecomposition()
        } catch let error as LinearAlgebraError {
            throw RealSolverError.linearAlgebra("\(context): \(error)")
        }
        let sigma = svd.singularValues
        let reference = max(sigma.first ?? 0, scale)
        let threshold = relativeTolerance * reference
        let kept = reference == 0 ? 0 : sigma.prefix { $0 > threshold }.count
        let largestDiscarded = kept < n ? sigma[kept] : 0
        let smallestKept = kept > 0 ? sigma[kept - 1] : Double.infinity
        let noise = Double.ulpOfOne * Double(max(system.rows, n)) * reference
        let floor = max(largestDiscarded, noise)
        gapRatio = kept == 0 ? (floor > 0 ? reference / floor : .infinity) : (floor > 0 ? smallestKept / floor : .infinity)
        if gapRatio < requiredGap {
            throw RealSolverError.unclearGap(
                unknowns: n, smallestKept: smallestKept, largestDiscarded: largestDiscarded, gapRatio: gapRatio,
                requiredGap: requiredGap, relativeTolerance: relativeTolerance, context: context)
        }
        var b = Matrix(rows: n - kept, columns: n)
        for t in kept..<n {
            for c in 0..<n { b.elements[(t - kept) * n + c] = svd.rightSingularVectors.elements[c * n + t] }
        }
        basis = b
    }

    var dimension: Int { basis.rows }
}
