// The symmetric eigenproblem: Householder tridiagonalization followed by the implicit
// QL algorithm with Wilkinson-type shifts (EISPACK tred2/tql2, as in JAMA). The
// transformation matrix is kept transposed, so every inner loop is contiguous in
// row-major storage.

/// A = V Λ Vᵀ for symmetric A.
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public let eigenvalues: [Double]
    /// Orthogonal n × n matrix: column i is a unit eigenvector for `eigenvalues[i]`.
    public let eigenvectors: Matrix

    /// Eigenvector i as an array.
    public func eigenvector(_ i: Int) -> [Double] {
        (0..<eigenvectors.rows).map { eigenvectors[$0, i] }
    }
}

extension Matrix {
    /// Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix.
    ///
    /// Throws `notSymmetric` when some |aᵢⱼ − aⱼᵢ| exceeds 1e-10 · max|aᵢⱼ|, `nonFiniteInput`
    /// for NaN/infinity, and `notConverged` if QL needs more than 30 iterations for one eigenvalue.
    /// Residuals ‖A v − λ v‖ are O(n ε ‖A‖).
    ///
    /// ```swift
    /// let e = try Matrix([[2, 1], [1, 2]]).symmetricEigendecomposition()
    /// e.eigenvalues   // [1.0, 3.0]
    /// ```
    /// - Complexity: about (4/3)n³ for tridiagonalization, (4/3)n³ to accumulate, and ≈ 6n³
    ///   for QL with eigenvectors.
    public func symmetricEigendecomposition() throws -> SymmetricEigendecomposition {
        precondition(isSquare, "eigendecomposition of a non-square \(rows)×\(columns) matrix")
        guard elements.allSatisfy(\.isFinite) else {
            throw LinearAlgebraError.nonFiniteInput(operation: "symmetric eigendecomposition")
        }
        let n = rows
        let scale = maxAbs
        var asymmetry = 0.0
        for i in 0..<n { for j in 0..<i {
            asymmetry = Swift.max(asymmetry, (elements[i * n + j] - elements[j * n + i]).magnitude)
        } }
        if asymmetry > 1e-10 * scale {
            throw LinearAlgebraError.notSymmetric(maximumAsymmetry: asymmetry, maximumEntry: scale)
        }
        if n == 0 { return SymmetricEigendecomposition(eigenvalues: [], eigenvectors: self) }
        // w = Vᵀ, initially A (symmetric; the tridiagonalization reads the lower triangle of V,
        // i.e. the upper triangle of w).
        var w = elements
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: n)
        w.withUnsafeMutableBufferPointer { w in
            d.withUnsafeMutableBufferPointer { d in
                e.withUnsafeMutableBufferPointer { e in
                    Matrix.tridiagonalize(n, w, d, e)
                }
            }
        }
        var converged = true
        w.withUnsafeMutableBufferPointer { w in
            d.withUnsafeMutableBufferPointer { d in
                e.withUnsafeMutableBufferPointer { e in
                    converged = Matrix.implicitQL(n, w, d, e)
                }
            }
        }
        if !converged { throw LinearAlgebraError.notConverged(algorithm: "symmetric QL iteration", iterations: 30) }
        // Sort ascending; row i of w is eigenvector i.
        let order = (0..<n).sorted { d[$0] < d[$1] }
        var vectors = Matrix(rows: n, columns: n)
        for (column, source) in order.enumerated() {
            for k in 0..<n { vectors.elements[k * n + column] = w[source * n + k] }
        }
        return SymmetricEigendecomposition(eigenvalues: order.map { d[$0] }, eigenvectors: vectors)
    }

    /// Householder reduction to tridiagonal form (EISPACK tred2) with w = Vᵀ:
    /// JAMA's V[r][c] is w[c * n + r].
    static func tridiagonalize(_ n: Int, _ w: UnsafeMutableBufferPointer<Double>,
                               _ d: UnsafeMutableBufferPointer<Double>, _ e: UnsafeMutableBufferPointer<Double>)
    {
        for j in 0..<n { d[j] = w[j * n + (n - 1)] }
        for i in stride(from: n - 1, to: 0, by: -1) {
            var scale = 0.0
            var h = 0.0
            for k in 0..<i { scale += d[k].magnitude }
            if scale == 0 {
                e[i] = d[i - 1]
                for j in 0..<i {
                    d[j] = w[j * n + (i - 1)]
                    w[j * n + i] = 0
                    w[i * n + j] = 0
                }
            } else {
                for k in 0..<i {
                    d[k] /= scale
                    h += d[k] * d[k]
                }
                var f = d[i - 1]
                var g = h.squareRoot()
                if f > 0 { g = -g }
                e[i] = scale * g
                h -= f * g
                d[i - 1] = f - g
                for j in 0..<i { e[j] = 0 }
                for j in 0..<i {
                    f = d[j]
                    w[i * n + j] = f
                    let row = j * n
                    g = e[j] + w[row + j] * f
                    var k = j + 1
                    while k < i {
                        let v = w[row + k]
                        g += v * d[k]
                        e[k] += v * f
                        k += 1
                    }
                    e[j] = g
                }
                f = 0
                for j in 0..<i {
                    e[j] /= h
                    f += e[j] * d[j]
                }
                let hh = f / (h + h)
                for j in 0..<i { e[j] -= hh * d[j] }
                for j in 0..<i {
                    f = d[j]
                    g = e[j]
                    let row = j * n
                    Matrix.axpy(-f, e.baseAddress! + j, w.baseAddress! + row + j, count: i - j)
                    Matrix.axpy(-g, d.baseAddress! + j, w.baseAddress! + row + j, count: i - j)
                    d[j] = w[row + (i - 1)]
                    w[row + i] = 0
                }
            }
            d[i] = h
        }
        // Accumulate the transformations.
        for i in 0..<(n - 1) {
            w[i * n + (n - 1)] = w[i * n + i]
            w[i * n + i] = 1
            let h = d[i + 1]
            let next = (i + 1) * n
            if h != 0 {
                for k in 0...i { d[k] = w[next + k] / h }
                let base = w.baseAddress!
                for j in 0...i {
                    let row = j * n
                    let g = Matrix.dot(base + next, base + row, count: i + 1)
                    Matrix.axpy(-g, d.baseAddress!, base + row, count: i + 1)
                }
            }
            for k in 0...i { w[next + k] = 0 }
        }
        for j in 0..<n {
            d[j] = w[j * n + (n - 1)]
            w[j * n + (n - 1)] = 0
        }
        w[(n - 1) * n + (n - 1)] = 1
        e[0] = 0
    }

    /// √(a² + b²) without undue overflow or underflow.
    @inline(__always)
    static func hypot(_ a: Double, _ b: Double) -> Double {
        let x = a.magnitude, y = b.magnitude
        let big = Swift.max(x, y), small = Swift.min(x, y)
        if big == 0 { return 0 }
        let r = small / big
        return big * (1 + r * r).squareRoot()
    }

    /// Implicit QL on the tridiagonal (d, e) (EISPACK tql2), rotating rows of w.
    /// Returns false if some eigenvalue needs more than 30 iterations.
    static func implicitQL(_ n: Int, _ w: UnsafeMutableBufferPointer<Double>,
                           _ d: UnsafeMutableBufferPointer<Double>, _ e: UnsafeMutableBufferPointer<Double>) -> Bool
    {
        for i in 1..<max(n, 1) { e[i - 1] = e[i] }
        e[n - 1] = 0
        var f = 0.0
        var tst1 = 0.0
        let eps = Double.ulpOfOne
        for l in 0..<n {
            tst1 = Swift.max(tst1, d[l].magnitude + e[l].magnitude)
            var m = l
            while m < n {
                if e[m].magnitude <= eps * tst1 { break }
                m += 1
            }
            if m > l {
                var iterations = 0
                repeat {
                    iterations += 1
                    if iterations > 30 { return false }
                    var g = d[l]
                    var p = (d[l + 1] - g) / (2 * e[l])
                    var r = hypot(p, 1)
                    if p < 0 { r = -r }
                    d[l] = e[l] / (p + r)
                    d[l + 1] = e[l] * (p + r)
                    let dl1 = d[l + 1]
                    var h = g - d[l]
                    for i in (l + 2)..<max(n, l + 2) { d[i] -= h }
                    f += h
                    p = d[m]
                    var c = 1.0, c2 = 1.0, c3 = 1.0
                    let el1 = e[l + 1]
                    var s = 0.0, s2 = 0.0
                    var i = m - 1
                    while i >= l {
                        c3 = c2
                        c2 = c
                        s2 = s
                        g = c * e[i]
                        h = c * p
                        r = hypot(p, e[i])
                        e[i + 1] = s * r
                        s = e[i] / r
                        c = p / r
                        p = c * d[i] - s * g
                        d[i + 1] = h + s * (c * g + s * d[i])
                        // Rotate eigenvector rows i and i+1 of w.
                        let base = w.baseAddress!
                        Matrix.rotate(base + i * n, base + (i + 1) * n, count: n, c: c, s: s)
                        i -= 1
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1
                    e[l] = s * p
                    d[l] = c * p
                } while e[l].magnitude > eps * tst1
            }
            d[l] += f
            e[l] = 0
        }
        return true
    }
}
