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
