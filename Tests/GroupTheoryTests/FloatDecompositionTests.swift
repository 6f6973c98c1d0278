import GroupTheory
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class FloatDecompositionTests: XCTestCase {
    static func random(_ rows: Int, _ columns: Int, _ rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in 2 * rng.nextUnit() - 1 })
    }

    static func randomSymmetric(_ n: Int, _ rng: inout SplitMix64) -> Matrix {
        let a = random(n, n, &rng)
        return 0.5 * (a + a.transposed)
    }

    static func assertOrthonormalColumns(_ q: Matrix, tolerance: Double, file: StaticString = #filePath, line: UInt = #line) {
        let gram = q.transposed * q
        XCTAssertTrue(gram.isApproximatelyEqual(to: .identity(q.columns), relativeTolerance: 0, absoluteTolerance: tolerance),
                      "QᵀQ − I = \((gram - .identity(q.columns)).maxAbs)", file: file, line: line)
    }

    func testSymmetricEigenResidualsAndOrthogonality() throws {
        var rng = SplitMix64(seed: 1)
        for n in [1, 2, 5, 37, 80] {
            let a = Self.randomSymmetric(n, &rng)
            let e = try a.symmetricEigendecomposition()
            let norm = a.frobeniusNorm
            let residual = a * e.eigenvectors - e.eigenvectors * Self.diagonal(e.eigenvalues)
            XCTAssertLessThanOrEqual(residual.maxAbs, 1e-12 * norm, "n = \(n)")
            Self.assertOrthonormalColumns(e.eigenvectors, tolerance: 1e-13 * Double(max(n, 10)))
            XCTAssertEqual(e.eigenvalues, e.eigenvalues.sorted())
            XCTAssertEqual(e.eigenvalues.reduce(0, +), a.trace, accuracy: 1e-12 * norm * Double(n))
        }
    }

    static func diagonal(_ values: [Double]) -> Matrix {
        var d = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { d[i, i] = v }
        return d
    }

    func testPathLaplacianSpectrum() throws {
        // The path graph P_n has Laplacian eigenvalues 2 − 2cos(kπ/n), k = 0..n−1.
        for n in [2, 3, 10, 64] {
            var l = Matrix(rows: n, columns: n)
            for i in 0..<(n - 1) {
                l[i, i] += 1; l[i + 1, i + 1] += 1
                l[i, i + 1] = -1; l[i + 1, i] = -1
            }
            let values = try l.symmetricEigendecomposition().eigenvalues
            for k in 0..<n {
                XCTAssertEqual(values[k], 2 - 2 * cos(Double(k) * Double.pi / Double(n)), accuracy: 1e-13, "n = \(n), k = \(k)")
            }
        }
        XCTAssertThrowsError(try Matrix([[1, 2], [0, 1]]).symmetricEigendecomposition())
    }

    func testSingularValueDecompositionReconstructs() throws {
        var rng = SplitMix64(seed: 3)
        for (m, n) in [(40, 30), (30, 40), (25, 25), (1, 5), (5, 1)] {
            let a = Self.random(m, n, &rng)
            let svd = try a.singularValueDecomposition(computeLeftVectors: true)
            let u = try XCTUnwrap(svd.leftSingularVectors)
            let rebuilt = u * Self.diagonal(svd.singularValues) * svd.rightSingularVectors.transposed
            XCTAssertTrue(rebuilt.isApproximatelyEqual(to: a, relativeTolerance: 1e-13), "\(m)×\(n): \((rebuilt - a).maxAbs)")
            Self.assertOrthonormalColumns(svd.rightSingularVectors, tolerance: 1e-13)
            XCTAssertEqual(svd.singularValues, svd.singularValues.sorted(by: >))
            // Agreement with the eigenvalues of AᵀA for these well-conditioned matrices.
            let eigen = try (a.transposed * a).symmetricEigendecomposition().eigenvalues.reversed().map { max($0, 0).squareRoot() }
            for (s, t) in zip(svd.singularValues, eigen).prefix(min(m, n)) { XCTAssertEqual(s, t, accuracy: 1e-12) }
        }
    }

    func testNullspaceOfLowRankProduct() throws {
        var rng = SplitMix64(seed: 11)
        for (m, n, r) in [(60, 40, 10), (20, 50, 7), (45, 45, 44)] {
            let a = Self.random(m, r, &rng) * Self.random(r, n, &rng)
            let ns = try a.checkedNullspace()
            XCTAssertEqual(ns.dimension, n - r, "\(m)×\(n) rank \(r)")
            XCTAssertEqual(ns.rank, r)
            XCTAssertGreaterThan(ns.gapRatio, 1e8)
            XCTAssertLessThan(ns.largestDiscarded, 1e-13 * ns.singularValues[0])
            XCTAssertLessThanOrEqual((a * ns.basis.transposed).maxAbs, 1e-12 * a.frobeniusNorm)
            Self.assertOrthonormalColumns(ns.basis.transposed, tolerance: 1e-12)
        }
        // The zero matrix: everything is nullspace; full rank: nothing is.
        XCTAssertEqual(try Matrix(rows: 3, columns: 4).checkedNullspace().dimension, 4)
        XCTAssertEqual(try Matrix.identity(3).checkedNullspace().dimension, 0)
    }

    func testUnclearGapIsRefused() throws {
        // The 12×12 Hilbert matrix: singular values decay geometrically down to ~1e-17, so
        // any threshold falls between neighbours less than 1e3 apart.
        let h = ExactEliminationTests.hilbert(12).doubleMatrix
        let ns = try h.nullspace()
        XCTAssertLessThan(ns.gapRatio, 1e3)
        XCTAssertThrowsError(try h.checkedNullspace()) { error in
            guard case .unclearNumericalRank(let kept, let dropped, let gap, let required, _)? = error as? LinearAlgebraError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(required, 1e3)
            XCTAssertEqual(gap, kept / dropped, accuracy: 1e-9 * gap)
            XCTAssertTrue("\(error)".contains("gap ratio"))
        }
    }

    func testLUInverseDeterminantAndQR() throws {
        var rng = SplitMix64(seed: 8)
        let a = Self.random(50, 50, &rng)
        let inverse = try a.inverse()
        XCTAssertTrue((a * inverse).isApproximatelyEqual(to: .identity(50), relativeTolerance: 0, absoluteTolerance: 1e-11))
        XCTAssertEqual(Matrix([[0, 1], [2, 3]]).determinant, -2)
        XCTAssertEqual(Matrix([[2, 0, 0], [1, 3, 0], [4, 5, 6]]).determinant, 36, accuracy: 1e-12)
        XCTAssertThrowsError(try Matrix([[1, 2], [2, 4]]).inverse())
        for (m, n) in [(30, 20), (20, 30), (15, 15)] {
            let b = Self.random(m, n, &rng)
            let qr = b.qrDecomposition()
            XCTAssertTrue((qr.q * qr.r).isApproximatelyEqual(to: b, relativeTolerance: 1e-13))
            Self.assertOrthonormalColumns(qr.q, tolerance: 1e-13)
            for i in 0..<qr.r.rows { for j in 0..<min(i, qr.r.columns) { XCTAssertEqual(qr.r[i, j], 0) } }
        }
    }

    func testExponential() throws {
        var rng = SplitMix64(seed: 21)
        for scale in [0.1, 1.0, 40.0] {
            let x = Self.random(20, 20, &rng)
            let skew = scale * (x - x.transposed)
            let q = try skew.exponential()
            Self.assertOrthonormalColumns(q, tolerance: 1e-12 * max(1, scale))
            let product = q * (try (-1.0 * skew).exponential())
            XCTAssertTrue(product.isApproximatelyEqual(to: .identity(20), relativeTolerance: 0, absoluteTolerance: 1e-11 * max(1, scale)),
                          "scale \(scale): \((product - .identity(20)).maxAbs)")
        }
        let t = 0.7
        let rotation = try Matrix([[0, -t], [t, 0]]).exponential()
        XCTAssertTrue(rotation.isApproximatelyEqual(to: Matrix([[cos(t), -sin(t)], [sin(t), cos(t)]]), relativeTolerance: 1e-15))
        XCTAssertTrue(try Matrix([[0, 1], [0, 0]]).exponential().isApproximatelyEqual(to: Matrix([[1, 1], [0, 1]]), relativeTolerance: 1e-15))
        let diag = try Matrix([[1, 0], [0, -2]]).exponential()
        XCTAssertEqual(diag[0, 0], exp(1), accuracy: 1e-15 * exp(1))
        XCTAssertEqual(diag[1, 1], exp(-2), accuracy: 1e-15)
    }

    // MARK: SVD robustness (clustered and zero singular values)

    /// The rotation by 2π/n.
    static func rotation(_ n: Int) -> Matrix {
        let t = 2 * Double.pi / Double(n)
        return Matrix([[cos(t), -sin(t)], [sin(t), cos(t)]])
    }

    static func kroneckerPower(_ a: Matrix, _ k: Int) -> Matrix {
        (1..<k).reduce(a) { p, _ in Matrix.kronecker(p, a) }
    }

    /// The dense intertwiner constraint matrix of D_n (generated by the rotation by 2π/n and
    /// the reflection diag(1, −1)) on plane^⊗k → plane^⊗k, as the benchmark's dense baseline
    /// builds it: the blocks ρ(g) ⊗ I − I ⊗ ρ(g)ᵀ stacked over the two generators.
    static func dihedralConstraintMatrix(_ n: Int, power k: Int) -> Matrix {
        let blocks = [rotation(n), Matrix([[1, 0], [0, -1]])].map { g -> Matrix in
            let p = kroneckerPower(g, k)
            let id = Matrix.identity(p.rows)
            return Matrix.kronecker(p, id) - Matrix.kronecker(id, p.transposed)
        }
        let d = blocks[0].columns
        return Matrix(rows: 2 * d, columns: d, elements: blocks.flatMap(\.elements))
    }

    /// dim Hom_{D_n}(plane^⊗k, plane^⊗k) = ⟨χ^k, χ^k⟩ = (1/2n) Σ_g χ(g)^{2k}, with
    /// χ(rʲ) = 2cos(2πj/n) and χ = 0 on the n reflections.
    static func dihedralHomDimension(_ n: Int, power k: Int) -> Int {
        let sum = (0..<n).reduce(0.0) { $0 + pow(2 * cos(2 * Double.pi * Double($1) / Double(n)), Double(2 * k)) }
        return Int((sum / Double(2 * n)).rounded())
    }

    /// Full checks: descending non-negative values, orthonormal V, A = UΣVᵀ, Σσ² = ‖A‖²_F,
    /// and (when given) the number of values ≤ 1e-9·σ₁ with a clean gap above them.
    static func assertGoodSVD(_ a: Matrix, zeros expectedZeros: Int? = nil, _ name: String,
                              file: StaticString = #filePath, line: UInt = #line) throws
    {
        let svd = try a.singularValueDecomposition(computeLeftVectors: true)
        let sigma = svd.singularValues, norm = a.frobeniusNorm
        XCTAssertEqual(sigma.count, a.columns, name, file: file, line: line)
        XCTAssertEqual(sigma, sigma.sorted(by: >), name, file: file, line: line)
        XCTAssertTrue(sigma.allSatisfy { $0 >= 0 && $0.isFinite }, name, file: file, line: line)
        assertOrthonormalColumns(svd.rightSingularVectors, tolerance: 1e-12, file: file, line: line)
        let u = try XCTUnwrap(svd.leftSingularVectors)
        let rebuilt = u * diagonal(sigma) * svd.rightSingularVectors.transposed
        XCTAssertLessThanOrEqual((rebuilt - a).frobeniusNorm, 1e-10 * max(norm, .leastNormalMagnitude),
                                 "\(name): ‖UΣVᵀ − A‖ = \((rebuilt - a).frobeniusNorm)", file: file, line: line)
        let sumOfSquares = sigma.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(sumOfSquares.squareRoot(), norm, accuracy: 1e-12 * norm, name, file: file, line: line)
        if let expectedZeros {
            let top = sigma.first ?? 0
            let zeros = sigma.filter { $0 <= 1e-9 * top }.count
            XCTAssertEqual(zeros, expectedZeros, "\(name): numerical nullity", file: file, line: line)
            if zeros > 0 && zeros < sigma.count {
                XCTAssertLessThanOrEqual(sigma[sigma.count - zeros], 1e-13 * top, name, file: file, line: line)
                XCTAssertGreaterThanOrEqual(sigma[sigma.count - zeros - 1], 1e-6 * top, name, file: file, line: line)
            }
        }
    }

    func testSVDOfDihedralConstraintMatricesConverges() throws {
        // Regression: D4 on plane^⊗4 (512 × 256) made the old LINPACK-only deflation test stall
        // ("did not converge in 75 iterations"): hundreds of numerically zero singular values
        // sit in one block with values of order 1, and rounding keeps their off-diagonals at
        // ε·σ₁, never below ε times their (also tiny) neighbours.
        for (n, k) in [(4, 4), (8, 4), (6, 4), (3, 4), (8, 3), (8, 2), (1, 3), (2, 4)] {
            let expected = Self.dihedralHomDimension(n, power: k)
            try Self.assertGoodSVD(Self.dihedralConstraintMatrix(n, power: k), zeros: expected, "D\(n) plane^\(k)")
            let ns = try Self.dihedralConstraintMatrix(n, power: k).checkedNullspace()
            XCTAssertEqual(ns.dimension, expected, "D\(n) plane^\(k)")
        }
        XCTAssertEqual(Self.dihedralHomDimension(8, power: 5), 136)
        XCTAssertEqual(Self.dihedralHomDimension(4, power: 4), 64)   // (2⁸ + 2⁸)/8
    }

    func testSVDOfD8OnPlaneToTheFifth() throws {
        // The benchmark case that failed: 2048 × 1024, entries cos(π/4), nullity 136.
        // Checked cheaply (the SVD itself is the expensive part): ‖A vᵢ‖ = σᵢ through a sparse
        // A, Σσ² = ‖A‖²_F, orthonormal nullspace rows, nullity = the character inner product.
        let a = Self.dihedralConstraintMatrix(8, power: 5)
        let svd = try a.singularValueDecomposition()
        let sigma = svd.singularValues, top = sigma[0], norm = a.frobeniusNorm
        XCTAssertEqual(top, 2 * 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(sigma, sigma.sorted(by: >))
        XCTAssertEqual(sigma.reduce(0) { $0 + $1 * $1 }.squareRoot(), norm, accuracy: 1e-12 * norm)
        let zeros = sigma.filter { $0 <= 1e-9 * top }.count
        XCTAssertEqual(zeros, Self.dihedralHomDimension(8, power: 5))
        XCTAssertLessThanOrEqual(sigma[1024 - zeros], 1e-13 * top)
        XCTAssertGreaterThanOrEqual(sigma[1023 - zeros], 1e-3 * top)
        let sparse = SparseMatrix(a), v = svd.rightSingularVectors.transposed   // row i = vᵢ
        var worst = 0.0
        for i in 0..<1024 {
            let vi = Array(v.elements[(i * 1024)..<((i + 1) * 1024)])
            let image = sparse.apply(vi).reduce(0) { $0 + $1 * $1 }.squareRoot()
            worst = max(worst, abs(image - sigma[i]))
            XCTAssertEqual(vi.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-12)
        }
        XCTAssertLessThanOrEqual(worst, 1e-12 * top)
        let nullBasis = Matrix(rows: zeros, columns: 1024, elements: Array(v.elements[((1024 - zeros) * 1024)...]))
        Self.assertOrthonormalColumns(nullBasis.transposed, tolerance: 1e-12)
    }

    func testSVDOfMatricesWithRepeatedSingularValues() throws {
        var rng = SplitMix64(seed: 41)
        // Orthogonal: every singular value is 1.
        let q = Self.random(80, 80, &rng).qrDecomposition().q
        try Self.assertGoodSVD(q, zeros: 0, "orthogonal 80")
        for s in try q.singularValueDecomposition().singularValues { XCTAssertEqual(s, 1, accuracy: 1e-13) }
        // Kronecker products of rotations (orthogonal, entries cos/sin of 2π/8, 2π/5, 2π/3),
        // stacked on themselves (all σ = √2), and R − I (many equal values and zeros).
        let r = Matrix.kronecker(Matrix.kronecker(Self.rotation(8), Self.rotation(5)),
                                 Matrix.kronecker(Self.rotation(3), Self.kroneckerPower(Self.rotation(8), 3)))
        try Self.assertGoodSVD(r, zeros: 0, "rotations⊗")
        let stacked = Matrix(rows: 2 * r.rows, columns: r.columns, elements: r.elements + r.elements)
        for s in try stacked.singularValueDecomposition().singularValues { XCTAssertEqual(s, 2.0.squareRoot(), accuracy: 1e-13) }
        let r8 = Self.kroneckerPower(Self.rotation(8), 6)   // 64 × 64, eigenvalues e^{±iπj/4}
        // Fixed space of R⊗6 of the rotation by π/4: the weights ±1 summing to 0 mod 8 → C(6,3) = 20.
        try Self.assertGoodSVD(r8 - .identity(64), zeros: 20, "R^⊗6 − I")
        // An integer matrix with σ = 1 (multiplicity 3), 0 (multiplicity 3).
        let p = Matrix(rows: 6, columns: 6, elements: [
            0, 1, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0,  1, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, -1,  0, 0, 0, 0, 0, 0])
        try Self.assertGoodSVD(p, zeros: 3, "partial permutation")
    }

    func testSVDWithExactZerosAndDiagonals() throws {
        var rng = SplitMix64(seed: 43)
        // Exact zero columns and rows.
        var a = Self.random(40, 30, &rng)
        for i in 0..<40 { for j in [0, 7, 8, 29] { a[i, j] = 0 } }
        for j in 0..<30 { for i in [3, 4, 39] { a[i, j] = 0 } }
        try Self.assertGoodSVD(a, zeros: 4, "zero columns and rows")
        // Rank 26 (a random 37 × 26 block): the 30 × 40 transpose has nullity 14.
        try Self.assertGoodSVD(a.transposed, zeros: 14, "transposed")
        // Diagonal (also padded and permuted) with zeros, signs and repeats.
        let values: [Double] = [3, 0, -1, 0, 0, 2, 1, -1, 0, 1e-3, 2, 0]
        let d = Self.diagonal(values)
        try Self.assertGoodSVD(d, zeros: 5, "diagonal")
        let expected = values.map(abs).sorted(by: >)
        for (s, t) in zip(try d.singularValueDecomposition().singularValues, expected) { XCTAssertEqual(s, t, accuracy: 1e-15) }
        var shuffled = Matrix(rows: 15, columns: 12)
        for (i, v) in values.enumerated() { shuffled[(i * 7) % 15, (i * 5) % 12] = v }
        try Self.assertGoodSVD(shuffled, zeros: 5, "scattered diagonal")
        for (s, t) in zip(try shuffled.singularValueDecomposition().singularValues, expected) { XCTAssertEqual(s, t, accuracy: 1e-15) }
        // Bidiagonal with zero diagonal entries in the middle (needs the chase that splits there).
        var b = Matrix(rows: 10, columns: 10)
        for i in 0..<10 { b[i, i] = [1, 0, 2, 3, 0, 0, 1, 4, 0, 1][i]; if i < 9 { b[i, i + 1] = 1 } }
        try Self.assertGoodSVD(b, "bidiagonal with zero diagonal")
        // The zero matrix, a single entry, tiny and huge scales (the deflation floor is relative to ‖A‖).
        try Self.assertGoodSVD(Matrix(rows: 5, columns: 3), zeros: 3, "zero")
        XCTAssertEqual(try Matrix([[-2]]).singularValueDecomposition().singularValues, [2])
        let c = Self.dihedralConstraintMatrix(4, power: 3)
        for scale in [1e-150, 1e150] {
            try Self.assertGoodSVD(scale * c, zeros: Self.dihedralHomDimension(4, power: 3), "scaled \(scale)")
        }
    }

    func testSVDOfRandom300x200() throws {
        var rng = SplitMix64(seed: 47)
        let a = Self.random(300, 200, &rng)
        try Self.assertGoodSVD(a, zeros: 0, "random 300×200")
        let low = Self.random(300, 60, &rng) * Self.random(60, 200, &rng)
        try Self.assertGoodSVD(low, zeros: 140, "rank 60, 300×200")
    }

    func testSparseRoundTrip() {
        let dense = Matrix([[0, 1.5, 0], [-1, 0, 0]])
        let sparse = SparseMatrix(dense)
        XCTAssertEqual(sparse.nonzeroCount, 2)
        XCTAssertEqual(sparse.entries.map(\.column), [1, 0])
        XCTAssertEqual(sparse.dense, dense)
        XCTAssertEqual(sparse[1, 0], -1)
        XCTAssertEqual(sparse[1, 2], 0)
        XCTAssertEqual(sparse.apply([1, 2, 3]), dense.apply([1, 2, 3]))
        XCTAssertEqual(sparse.transposed.dense, dense.transposed)
        XCTAssertEqual(SparseMatrix(rows: 2, columns: 3, entries: [(1, 0, -1), (0, 1, 1.5)]), sparse)
    }
}
