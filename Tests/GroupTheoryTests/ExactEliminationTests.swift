import GroupTheory
import XCTest

final class ExactEliminationTests: XCTestCase {
    static func hilbert(_ n: Int) -> RationalMatrix {
        var h = RationalMatrix(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { h[i, j] = Rational(1, i + j + 1) } }
        return h
    }

    static func randomInteger(_ rows: Int, _ columns: Int, range: ClosedRange<Int>, _ rng: inout SplitMix64) -> RationalMatrix {
        RationalMatrix(rows: rows, columns: columns,
                       elements: (0..<(rows * columns)).map { _ in Rational(Int.random(in: range, using: &rng)) })
    }

    func testHilbertInverseIsExact() throws {
        let h = Self.hilbert(8)
        let inverse = try h.inverse()
        XCTAssertTrue((h * inverse).isIdentity)
        XCTAssertTrue((inverse * h).isIdentity)
        // The inverse of a Hilbert matrix has integer entries, and (H_n⁻¹)₀₀ = n².
        XCTAssertTrue(inverse.elements.allSatisfy(\.isInteger))
        XCTAssertEqual(inverse[0, 0], Rational(64))
    }

    func testHilbertDeterminantsMatchFormula() {
        // det H_n = c_n⁴ / c_{2n} with c_n = ∏_{i<n} i!; values computed once with Python's fractions.
        let expected = [
            "1", "1/12", "1/2160", "1/6048000", "1/266716800000", "1/186313420339200000",
            "1/2067909047925770649600000", "1/365356847125734485878112256000000",
        ]
        for n in 1...8 {
            XCTAssertEqual(Self.hilbert(n).determinant.description, expected[n - 1], "n = \(n)")
        }
    }

    func testSingularInverseThrowsAndSolve() throws {
        let a: RationalMatrix = RationalMatrix([[1, 2], [2, 4]])
        XCTAssertThrowsError(try a.inverse()) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .singularMatrix(size: 2, operation: "inverse"))
        }
        XCTAssertEqual(a.determinant, .zero)
        let x = try a.solve([3, 6])
        XCTAssertEqual(a.apply(x), [3, 6])
        XCTAssertThrowsError(try a.solve([3, 7]))
        let b = RationalMatrix([[2, 1], [1, 3]])
        XCTAssertEqual(try b.solve([Rational(1), Rational(2)]), [Rational(1, 5), Rational(3, 5)])
    }

    func testNullspaceOfRandomLowRankMatrices() {
        var rng = SplitMix64(seed: 2024)
        for trial in 0..<30 {
            let m = Int.random(in: 1...9, using: &rng), n = Int.random(in: 1...11, using: &rng)
            let r = Int.random(in: 0...min(m, n), using: &rng)
            let a = Self.randomInteger(m, r, range: -4...4, &rng) * Self.randomInteger(r, n, range: -4...4, &rng)
            let echelon = a.rowEchelonForm()
            let basis = a.nullspace()
            XCTAssertLessThanOrEqual(echelon.rank, r, "trial \(trial)")
            XCTAssertEqual(basis.rows, n - echelon.rank, "trial \(trial)")
            XCTAssertEqual(basis.columns, n)
            XCTAssertTrue((a * basis.transposed).isZero, "trial \(trial): basis not annihilated")
            XCTAssertEqual(RationalSubspace(spanning: basis).dimension, basis.rows, "trial \(trial): dependent basis")
            // Normal form: 1 at the vector's free column, 0 at the other free columns.
            for (t, f) in echelon.freeColumns.enumerated() {
                for (u, g) in echelon.freeColumns.enumerated() {
                    XCTAssertEqual(basis[t, g], u == t ? .one : .zero)
                }
                _ = f
            }
            // RREF is idempotent and keeps the row space.
            let rref = a.reducedRowEchelonForm
            XCTAssertEqual(rref.reducedRowEchelonForm, rref, "trial \(trial)")
            XCTAssertEqual(rref.rank, echelon.rank)
            // Integral variant: primitive integer vectors spanning the same space.
            let integral = a.nullspaceIntegral()
            XCTAssertTrue(integral.elements.allSatisfy(\.isInteger))
            XCTAssertTrue((a * integral.transposed).isZero)
            for i in 0..<integral.rows {
                var g = BigInt(0)
                for x in integral.row(i) { g = BigInt.gcd(g, x.bigNumerator) }
                XCTAssertEqual(g, BigInt(1), "trial \(trial): row \(i) not primitive")
            }
            XCTAssertEqual(RationalSubspace(spanning: integral), RationalSubspace(spanning: basis))
        }
    }

    func testIncrementalIntersectionMatchesStackedNullspace() {
        var rng = SplitMix64(seed: 99)
        for trial in 0..<10 {
            let n = 12
            let blocks = (0..<3).map { _ in
                Self.randomInteger(2, 4, range: -2...2, &rng) * Self.randomInteger(4, n, range: -1...1, &rng)
            }
            let stacked = RationalMatrix.stacked(blocks)
            XCTAssertEqual(RationalMatrix.nullspace(ofStacked: blocks), stacked.nullspace(), "trial \(trial)")
            var space = RationalSubspace(ambientDimension: n)
            for block in blocks { space.intersect(withKernelOf: block.apply) }
            XCTAssertEqual(space.freeColumnBasis, stacked.nullspace(), "trial \(trial)")
            XCTAssertEqual(space, RationalSubspace(spanning: stacked.nullspace()))
        }
        // The fixed space of the 4-cycle acting on ℚ⁴ is spanned by (1, 1, 1, 1).
        var space = RationalSubspace(ambientDimension: 4)
        space.intersect { v in (0..<4).map { v[($0 + 3) % 4] - v[$0] } }
        XCTAssertEqual(space.dimension, 1)
        XCTAssertEqual(space.basis, RationalMatrix([[1, 1, 1, 1]]))
        XCTAssertTrue(space.contains([2, 2, 2, 2]))
        XCTAssertFalse(space.contains([1, 2, 1, 2]))
    }

    func testDeterminantIsMultiplicativeWithLargeEntries() {
        var rng = SplitMix64(seed: 5)
        let a = Self.randomInteger(7, 7, range: -1_000_000_000...1_000_000_000, &rng)
        let b = Self.randomInteger(7, 7, range: -1_000_000_000...1_000_000_000, &rng)
        XCTAssertEqual((a * b).determinant, a.determinant * b.determinant)
        XCTAssertTrue((a * (try! a.inverse())).isIdentity)
    }

    func testSparseRationalRoundTrip() {
        let dense = RationalMatrix([[0, Rational(1, 2), 0], [3, 0, 0]])
        let sparse = RationalSparseMatrix(dense)
        XCTAssertEqual(sparse.nonzeroCount, 2)
        XCTAssertEqual(sparse.dense, dense)
        XCTAssertEqual(sparse.transposed.dense, dense.transposed)
        XCTAssertEqual(sparse.apply([1, 2, 3]), dense.apply([1, 2, 3]))
        let summed = RationalSparseMatrix(rows: 1, columns: 2, entries: [(0, 1, 1), (0, 1, -1), (0, 0, 2)])
        XCTAssertEqual(summed.entries, [SparseEntry(row: 0, column: 0, value: Rational(2))])
    }
}
