import GroupTheory
import XCTest

/// `IsotypicDecomposition.spectralHom`, the O(k·d³) path of `homBasis` for large irreducibles
/// (issue 18: `basis symmetric:500 --factored` spent over 300 s in the O(k·d⁴) spin-recipe
/// system). Checked against facts that do not come from the solver: Schur's lemma for the
/// standard representation of S_n built from the Helmert basis, the sign twist, and the
/// commutants of a complex-type and a quaternionic-type irreducible.
final class SpectralHomTests: XCTestCase {
    /// The standard (n−1)-dimensional irreducible of S_n on the Helmert basis of 1^⊥, for the
    /// generators (0 1) and (0 1 … n−1): τ(g) = Bᵀ P(g) B, orthogonal.
    static func standard(_ n: Int) -> [Matrix] {
        var b = Matrix(rows: n, columns: n - 1)
        for k in 1..<n {
            let norm = Double(k * (k + 1)).squareRoot()
            for i in 0..<k { b[i, k - 1] = 1 / norm }
            b[k, k - 1] = -Double(k) / norm
        }
        func permutation(_ image: (Int) -> Int) -> Matrix {
            var p = Matrix(rows: n, columns: n)
            for i in 0..<n { p[image(i), i] = 1 }  // P e_i = e_{π(i)}
            return p
        }
        let transposition = permutation { $0 == 0 ? 1 : $0 == 1 ? 0 : $0 }
        let cycle = permutation { ($0 + 1) % n }
        return [transposition, cycle].map { b.transposed * $0 * b }
    }

    /// A dense orthogonal matrix: the product of two Householder reflections.
    static func householders(_ d: Int, seed: UInt64) -> Matrix {
        var rng = SplitMix64(seed: seed)
        var q = Matrix.identity(d)
        for _ in 0..<2 {
            let v = (0..<d).map { _ in 2 * rng.nextUnit() - 1 }
            let norm2 = v.reduce(0) { $0 + $1 * $1 }
            var h = Matrix.identity(d)
            for i in 0..<d { for j in 0..<d { h[i, j] -= 2 * v[i] * v[j] / norm2 } }
            q = h * q
        }
        return q
    }

    func testStandardRepresentationOfS80HasScalarEndomorphismsAndTheIntertwinerOfAChangeOfBasis() throws {
        let n = 80, d = n - 1
        let tau = Self.standard(n)
        for t in tau { XCTAssertLessThan((t.transposed * t - .identity(d)).maxAbs, 1e-12) }
        // End(τ) = R (Schur; τ is absolutely irreducible): one map, a multiple of the identity.
        let endo = try XCTUnwrap(try IsotypicDecomposition.spectralHom(from: tau, to: tau, options: RealSolverOptions()))
        XCTAssertEqual(endo.count, 1)
        let x = endo[0]
        let scale = x.trace / Double(d)
        XCTAssertGreaterThan(abs(scale), 0)
        XCTAssertLessThan((x - scale * Matrix.identity(d)).maxAbs, 1e-9 * abs(scale))
        // τ' = Q τ Qᵀ: Hom(τ, τ') is spanned by Q.
        let q = Self.householders(d, seed: 7)
        let moved = tau.map { q * $0 * q.transposed }
        let maps = try XCTUnwrap(try IsotypicDecomposition.spectralHom(from: tau, to: moved, options: RealSolverOptions()))
        XCTAssertEqual(maps.count, 1)
        let c = (0..<d).reduce(0.0) { s, i in (0..<d).reduce(s) { $0 + maps[0][i, $1] * q[i, $1] } } / Double(d)
        XCTAssertLessThan((maps[0] - c * q).maxAbs, 1e-9 * abs(c))
        // τ ⊗ sign is not isomorphic to τ (the characters at a transposition are n − 3 and 3 − n).
        let twisted = [(-1) * tau[0], (n % 2 == 0 ? -1.0 : 1.0) * tau[1]]
        let none = try XCTUnwrap(try IsotypicDecomposition.spectralHom(from: tau, to: twisted, options: RealSolverOptions()))
        XCTAssertEqual(none.count, 0)
    }

    func testComplexAndQuaternionicCommutants() throws {
        // The rotation by 2π/5 of the plane: an irreducible of C_5 of complex type, End = C.
        let angle = 2 * Double.pi / 5
        let rotation = Matrix([[cos(angle), -sin(angle)], [sin(angle), cos(angle)]])
        let complex = try XCTUnwrap(try IsotypicDecomposition.spectralHom(from: [rotation], to: [rotation], options: RealSolverOptions()))
        XCTAssertEqual(complex.count, 2)
        // Q8 on the quaternions by left multiplication by i and j: quaternionic type, End = H
        // (right multiplications), dimension 4.
        let i = Matrix([[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]])
        let j = Matrix([[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]])
        XCTAssertLessThan((i * i + .identity(4)).maxAbs, 1e-15)
        XCTAssertLessThan((i * j + j * i).maxAbs, 1e-15)
        let quaternionic = try XCTUnwrap(try IsotypicDecomposition.spectralHom(from: [i, j], to: [i, j], options: RealSolverOptions()))
        XCTAssertEqual(quaternionic.count, 4)
        for (maps, images) in [(complex, [rotation]), (quaternionic, [i, j])] {
            for x in maps { for t in images { XCTAssertLessThan((t * x - x * t).maxAbs, 1e-12 * max(1, x.maxAbs)) } }
            // Linearly independent: the Gram matrix of the maps is nonsingular.
            let gram = Matrix(maps.map { a in maps.map { b in (0..<a.rows).reduce(0.0) { s, r in (0..<a.columns).reduce(s) { $0 + a[r, $1] * b[r, $1] } } } })
            XCTAssertGreaterThan(abs(gram.determinant), 1e-6)
        }
    }
}
