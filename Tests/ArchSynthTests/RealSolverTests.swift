import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// The Float64 solver (DESIGN.md "The solver", strategy 4): dense nullspace with a
/// checked gap, and the isotypic decomposition. Expected dimensions come from the
/// literature, not from the library's character code: decompositions into irreducibles
/// read off the character table of A5 (James & Liebeck, Representations and Characters of
/// Groups, §20.1; V ⊗ V = 1 ⊕ 3 ⊕ 5, V ⊗ V' = 4 ⊕ 5, all of real type, so
/// dim Hom = Σ_τ m_in(τ) m_out(τ)), the type of each irreducible (End dimension 1, 2, 4),
/// and set-partition counts for S_n on tensor powers (Maron et al. 2019).
final class RealSolverTests: XCTestCase {
    typealias S = SolverTestSupport

    // MARK: Fixtures

    /// A5 as the rotation group of the icosahedron, relator-free (order by closure):
    /// `rotation` (V, golden-ratio entries) and its Galois conjugate `conjugate`
    /// (V', √5 ↦ −√5), the two 3-dimensional irreducibles; both of real type.
    static let a5 = """
        {"name": "A5", "generators": ["a", "b"], "order": "60",
         "representations": {
          "rotation": {"matrix": {
            "a": [["-(1+sqrt(5))/4", "1/2", "(sqrt(5)-1)/4"], ["1/2", "(sqrt(5)-1)/4", "(1+sqrt(5))/4"], ["(sqrt(5)-1)/4", "(1+sqrt(5))/4", "-1/2"]],
            "b": [[0, 0, 1], [1, 0, 0], [0, 1, 0]]}},
          "conjugate": {"matrix": {
            "a": [["(sqrt(5)-1)/4", "1/2", "-(1+sqrt(5))/4"], ["1/2", "-(1+sqrt(5))/4", "(1-sqrt(5))/4"], ["-(1+sqrt(5))/4", "(1-sqrt(5))/4", "-1/2"]],
            "b": [[0, 0, 1], [1, 0, 0], [0, 1, 0]]}}}}
        """

    /// Q8 by left multiplication on the quaternions (basis 1, i, j, k), written with
    /// decimals so the images are stored as Float64. Quaternionic type: End = H.
    static let q8 = """
        {"name": "Q8", "generators": ["i", "j"], "order": "8",
         "representations": {"left": {"matrix": {
           "i": [[0.0, -1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -1.0], [0.0, 0.0, 1.0, 0.0]],
           "j": [[0.0, 0.0, -1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0], [0.0, -1.0, 0.0, 0.0]]}}}}
        """

    /// The cyclic group C_n as rotations of the plane: complex type, End = C.
    static func rotations(_ n: Int) -> String {
        let c = cos(2 * Double.pi / Double(n)), s = sin(2 * Double.pi / Double(n))
        return """
            {"name": "C\(n)", "generators": ["r"], "order": "\(n)",
             "representations": {"plane": {"matrix": {"r": [[\(c), \(-s)], [\(s), \(c)]]}}}}
            """
    }

    func group(_ json: String) throws -> FiniteGroup {
        try FiniteGroup(spec: try GroupSpec(json: json, origin: "test.json"))
    }

    /// The dense nullspace for every problem up to `maxDenseUnknowns`.
    var forceDense: RealSolverOptions {
        var o = RealSolverOptions()
        o.isotypicAbove = o.maxDenseUnknowns
        return o
    }

    var forceIsotypic: RealSolverOptions {
        var o = RealSolverOptions()
        o.maxDenseUnknowns = 0
        return o
    }

    func assertOrthonormal(_ basis: [Matrix], file: StaticString = #filePath, line: UInt = #line) {
        for (i, x) in basis.enumerated() {
            for (j, y) in basis.enumerated() where j <= i {
                let dot = zip(x.elements, y.elements).reduce(0) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-9, "Gram entry (\(i), \(j))", file: file, line: line)
            }
        }
    }

    /// Largest ‖B − P_span(other) B‖_F over B in `basis` (`other` orthonormal).
    func spanDistance(_ basis: [Matrix], from other: [Matrix]) -> Double {
        var worst = 0.0
        for b in basis {
            var r = b
            for c in other {
                let t = zip(c.elements, r.elements).reduce(0) { $0 + $1.0 * $1.1 }
                r = r - t * c
            }
            worst = max(worst, r.frobeniusNorm / b.frobeniusNorm)
        }
        return worst
    }

    /// Solves with the isotypic path (and the dense one when small), checks the
    /// dimension against `expected` (stated with its source at each call), residuals,
    /// orthonormality and that both paths span the same space.
    @discardableResult
    func check(
        _ group: FiniteGroup, input: Representation, output: Representation, expected: Int,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> RealSolution {
        let iso = try RealIntertwinerSolver.solve(input: input, output: output, group: group, options: forceIsotypic)
        XCTAssertEqual(iso.method, .isotypicDecomposition, file: file, line: line)
        XCTAssertEqual(iso.basis.count, expected, "isotypic dimension", file: file, line: line)
        XCTAssertLessThanOrEqual(iso.residual, 1e-9, file: file, line: line)
        assertOrthonormal(iso.basis, file: file, line: line)
        if input.dimension * output.dimension <= 400 {
            let dense = try RealIntertwinerSolver.solve(input: input, output: output, group: group, options: forceDense)
            XCTAssertEqual(dense.method, .floatNullspace, file: file, line: line)
            XCTAssertEqual(dense.basis.count, expected, "dense dimension", file: file, line: line)
            XCTAssertLessThanOrEqual(dense.residual, 1e-9, file: file, line: line)
            XCTAssertGreaterThanOrEqual(dense.gap ?? 0, 1e4, file: file, line: line)
            assertOrthonormal(dense.basis, file: file, line: line)
            XCTAssertLessThanOrEqual(spanDistance(iso.basis, from: dense.basis), 1e-9, "iso ⊄ dense", file: file, line: line)
            XCTAssertLessThanOrEqual(spanDistance(dense.basis, from: iso.basis), 1e-9, "dense ⊄ iso", file: file, line: line)
        }
        return iso
    }

    // MARK: Types of irreducibles

    func testDihedralPlaneIsRealType() throws {
        for n in [3, 5, 8] {
            let g = try GroupResolver().resolve("dihedral:\(n)")
            let plane = try g.representation(named: "plane")
            try check(g, input: plane, output: plane, expected: 1)
            // The n-gon's vertices contain the plane once.
            let natural = try g.representation(named: "natural")
            try check(g, input: natural, output: plane, expected: 1)
            try check(g, input: natural, output: natural, expected: n / 2 + 1)
            let dec = try IsotypicDecomposition(representation: plane, group: g, options: RealSolverOptions())
            XCTAssertEqual(dec.components.map(\.endomorphismDimension), [1], "dihedral:\(n)")
        }
    }

    func testRotationPlaneOfCyclicGroupIsComplexType() throws {
        for n in [3, 7] {
            let g = try group(Self.rotations(n))
            let plane = try g.representation(named: "plane")
            try check(g, input: plane, output: plane, expected: 2)
            let dec = try IsotypicDecomposition(representation: plane, group: g, options: RealSolverOptions())
            XCTAssertEqual(dec.components.map(\.endomorphismDimension), [2])
            // plane ⊗ plane = trivial² ⊕ (rotation by 2θ, complex type for n ≠ 4): End = 2² + 2 = 6.
            let square = Representation.tensor(plane, plane)
            try check(g, input: square, output: square, expected: 6)
            // Two rotated copies: End = M_2(C), dimension 8 (copies split one at a time).
            let two = rotated([plane, plane], seed: UInt64(n))
            try check(g, input: two, output: two, expected: 8)
            let dec2 = try IsotypicDecomposition(representation: two, group: g, options: RealSolverOptions())
            XCTAssertEqual(dec2.components.map(\.multiplicity), [2])
        }
    }

    func testQuaternionGroupIsQuaternionicType() throws {
        let g = try group(Self.q8)
        XCTAssertEqual(g.order, 8)
        let left = try g.representation(named: "left")
        XCTAssertEqual(left.kind, .real)
        try check(g, input: left, output: left, expected: 4)
        let dec = try IsotypicDecomposition(representation: left, group: g, options: RealSolverOptions())
        XCTAssertEqual(dec.components.map(\.endomorphismDimension), [4])
        // Two copies mixed by a random rotation: End = M_2(H), dimension 16.
        let two = rotated([left, left], seed: 7)
        try check(g, input: two, output: two, expected: 16)
        let dec2 = try IsotypicDecomposition(representation: two, group: g, options: forceIsotypic)
        XCTAssertEqual(dec2.components.map(\.multiplicity), [2])
    }

    func testIcosahedralRotations() throws {
        let g = try group(Self.a5)
        XCTAssertEqual(g.order, 60)
        let v = try g.representation(named: "rotation"), w = try g.representation(named: "conjugate")
        try check(g, input: v, output: v, expected: 1)
        try check(g, input: v, output: w, expected: 0)
        // Sym²(V) = 1 ⊕ 5 (in the non-orthonormal monomial basis e_i e_j: the
        // isotypic path orthogonalizes first).
        let sym = v.symmetricSquare
        try check(g, input: sym, output: sym, expected: 2)
        // V ⊗ V = 1 ⊕ 3 ⊕ 5; V ⊗ V' = 4 ⊕ 5.
        try check(g, input: Representation.tensor(v, v), output: Representation.tensor(v, v), expected: 3)
        try check(g, input: Representation.tensor(v, v), output: Representation.tensor(v, w), expected: 1)
    }

    func testNonOrthogonalConjugateAgreesWithDense() throws {
        // D5 plane ⊕ natural = 1 ⊕ 2·plane ⊕ plane₂ (End = 1 + 4 + 1), conjugated by a random non-orthogonal matrix.
        let g = try GroupResolver().resolve("dihedral:5")
        let rep = Representation.directSum(try g.representation(named: "plane"), try g.representation(named: "natural"))
        var rng = SplitMix64(seed: 3)
        var s = Matrix.identity(rep.dimension)
        for t in s.elements.indices { s.elements[t] += 0.4 * (2 * rng.nextUnit() - 1) }
        let sInv = try s.inverse()
        let skewed = Representation(realMatrices: rep.realImages.map { s * $0 * sInv })
        try check(g, input: skewed, output: rep, expected: 6)
    }

    // MARK: Large

    /// Block-diagonal sum of `blocks`, conjugated by a random orthogonal matrix (a
    /// product of three random Householder reflections H = I − 2vvᵀ, applied as
    /// M ↦ HMH in O(n²) each) so that every image is dense.
    func rotated(_ blocks: [Representation], seed: UInt64) -> Representation {
        let n = blocks.reduce(0) { $0 + $1.dimension }
        let k = blocks[0].generatorCount
        var images = (0..<k).map { _ in Matrix(rows: n, columns: n) }
        var offset = 0
        for b in blocks {
            for (g, m) in b.realImages.enumerated() {
                for i in 0..<b.dimension { for j in 0..<b.dimension { images[g][offset + i, offset + j] = m[i, j] } }
            }
            offset += b.dimension
        }
        var rng = SplitMix64(seed: seed)
        for _ in 0..<3 {
            var v = (0..<n).map { _ in 2 * rng.nextUnit() - 1 }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            for g in 0..<k {
                var m = images[g]
                // H M: subtract 2 v (vᵀ M).
                var row = [Double](repeating: 0, count: n)
                for i in 0..<n { for j in 0..<n { row[j] += v[i] * m[i, j] } }
                for i in 0..<n { for j in 0..<n { m[i, j] -= 2 * v[i] * row[j] } }
                // (H M) H: subtract 2 (M v) vᵀ.
                var column = [Double](repeating: 0, count: n)
                for i in 0..<n { for j in 0..<n { column[i] += m[i, j] * v[j] } }
                for i in 0..<n { for j in 0..<n { m[i, j] -= 2 * column[i] * v[j] } }
                images[g] = m
            }
        }
        return Representation(realMatrices: images)
    }

    /// A5 blocks with multiplicities, and the multiplicities of the five irreducibles
    /// (1, V, V', 4, 5) in their sum, from the decompositions of each block (A5's
    /// character table: V ⊗ V = 1 ⊕ V ⊕ 5, V ⊗ V' = 4 ⊕ 5).
    func a5Case(_ counts: [(Representation, [Int], Int)], seed: UInt64) -> (Representation, [Int]) {
        var blocks: [Representation] = []
        var multiplicities = [0, 0, 0, 0, 0]
        for (rep, irreducibles, count) in counts {
            blocks.append(contentsOf: Array(repeating: rep, count: count))
            for (t, m) in irreducibles.enumerated() { multiplicities[t] += count * m }
        }
        return (rotated(blocks, seed: seed), multiplicities)
    }

    /// Σ_τ m_a(τ) m_b(τ): every irreducible of A5 is of real type (Schur).
    func homDimension(_ a: [Int], _ b: [Int]) -> Int { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Large isotypic cases (about 100, 200 and 500 dimensions). Timings are printed for
    /// information only; speed is measured in Benchmarks, not asserted here.
    func testLargeIsotypicCases() throws {
        let g = try group(Self.a5)
        let v = try g.representation(named: "rotation"), w = try g.representation(named: "conjugate")
        let trivial = Representation.trivial(generatorCount: 2)
        let vw = Representation.tensor(v, w), vv = Representation.tensor(v, v)
        // Multiplicities of (1, V, V', 4, 5).
        let mV = [0, 1, 0, 0, 0], mW = [0, 0, 1, 0, 0], mVW = [0, 0, 0, 1, 1], mVV = [1, 1, 0, 0, 1], m1 = [1, 0, 0, 0, 0]
        let cases: [([(Representation, [Int], Int)], [(Representation, [Int], Int)])] = [
            ([(vw, mVW, 10), (w, mW, 3), (trivial, m1, 1)], [(v, mV, 30), (vv, mVV, 1), (trivial, m1, 1)]),
            ([(vw, mVW, 20), (w, mW, 6), (trivial, m1, 2)], [(v, mV, 60), (vv, mVV, 2), (w, mW, 3), (trivial, m1, 2)]),
            ([(vw, mVW, 54), (w, mW, 4), (trivial, m1, 2)], [(v, mV, 163), (vw, mVW, 1), (trivial, m1, 2)]),
        ]
        for (index, (inBlocks, outBlocks)) in cases.enumerated() {
            let (input, mIn) = a5Case(inBlocks, seed: UInt64(10 + index))
            let (output, mOut) = a5Case(outBlocks, seed: UInt64(20 + index))
            let expected = homDimension(mIn, mOut)
            let clock = ContinuousClock()
            var decIn: IsotypicDecomposition?, decOut: IsotypicDecomposition?, solution: RealSolution?
            let tIn = try clock.measure { decIn = try IsotypicDecomposition(representation: input, group: g, options: RealSolverOptions()) }
            let tOut = try clock.measure { decOut = try IsotypicDecomposition(representation: output, group: g, options: RealSolverOptions()) }
            let tHom = try clock.measure { solution = try RealIntertwinerSolver.solve(input: decIn!, output: decOut!, options: RealSolverOptions()) }
            let s = try XCTUnwrap(solution)
            XCTAssertEqual(s.basis.count, expected, "case \(index)")
            XCTAssertLessThanOrEqual(s.residual, 1e-9, "case \(index)")
            XCTAssertEqual(decIn!.endomorphismDimension, homDimension(mIn, mIn))
            XCTAssertEqual(decOut!.endomorphismDimension, homDimension(mOut, mOut))
            XCTAssertEqual(decIn!.components.map(\.multiplicity).sorted(), mIn.filter { $0 > 0 }.sorted(), "case \(index)")
            print("A5 \(input.dimension) → \(output.dimension): dimension \(s.basis.count), residual \(s.residual), decompose in \(tIn), out \(tOut), hom \(tHom)")
            if index == 0 { assertOrthonormal(s.basis) }
        }
    }

    /// S6 (order 720): a 504-dimensional dense real representation built from
    /// (R^6)^⊗3 and (R^6)^⊗2 and their sign twists, decomposed; then maps into the
    /// 36-dimensional (R^6)^⊗2; and a non-orthogonal conjugate of (R^6)^⊗3 (which
    /// needs the invariant inner product).
    ///
    /// Expected dimensions by counting, not by characters: Hom_{S_n}((R^n)^⊗k, (R^n)^⊗l) has a
    /// basis indexed by set partitions of k + l points into at most n blocks (Maron et al.
    /// 2019); twisting one side by the sign keeps only the orbits of (k+l)-tuples whose
    /// stabilizer S_{n−j} (j distinct entries) lies in A_n, i.e. partitions into j ≥ n − 1 blocks.
    func testOrder720Group() throws {
        let g = try GroupResolver().resolve("symmetric:6")
        let nat = try g.representation(named: "natural"), sign = try g.representation(named: "sign")
        let nat2 = Representation.tensor(nat, nat), nat3 = Representation.tensor(nat2, nat)
        let blocks = [nat3, Representation.tensor(sign, nat3), nat2, Representation.tensor(sign, nat2)]
        // (tensor power, sign twist) of each block.
        let kinds = [(3, false), (3, true), (2, false), (2, true)]
        func hom(_ a: (Int, Bool), _ b: (Int, Bool)) -> Int {
            let m = a.0 + b.0
            return a.1 == b.1 ? S.restrictedBell(m, atMost: 6) : S.stirling(m, 5) + S.stirling(m, 6)
        }
        let endomorphisms = kinds.reduce(0) { total, a in total + kinds.reduce(0) { $0 + hom(a, $1) } }
        XCTAssertEqual(endomorphisms, 680)  // 2·203 + 2·16 + 2·15 + 4·52 + 4·1
        let expected = kinds.reduce(0) { $0 + hom($1, (2, false)) }
        XCTAssertEqual(expected, 68)  // 52 + 1 + 15 + 0
        let input = rotated(blocks, seed: 31)
        let clock = ContinuousClock()
        var dec: IsotypicDecomposition?
        let t = try clock.measure { dec = try IsotypicDecomposition(representation: input, group: g, options: RealSolverOptions()) }
        XCTAssertEqual(dec!.endomorphismDimension, endomorphisms)
        var s: RealSolution?
        let tHom = try clock.measure { s = try RealIntertwinerSolver.solve(input: input, output: nat2, group: g, options: RealSolverOptions()) }
        XCTAssertEqual(s!.method, .isotypicDecomposition, "504 × 36 unknowns are above the dense limit")
        XCTAssertEqual(s!.basis.count, expected)
        XCTAssertLessThanOrEqual(s!.residual, 1e-9)
        // A non-orthogonal conjugate of the 216-dimensional (R^6)^⊗3, rotated: maps to
        // (R^6)^⊗2 number Bell(5) = 52; found via the invariant inner product.
        var rng = SplitMix64(seed: 5)
        let cube = rotated([nat3], seed: 41)
        var skew = Matrix.identity(cube.dimension)
        for i in 0..<cube.dimension { skew[i, i] = 0.5 + rng.nextUnit() }
        let skewInverse = try skew.inverse()
        let skewed = Representation(realMatrices: cube.realImages.map { skew * $0 * skewInverse })
        var s2: RealSolution?
        let tSkew = try clock.measure { s2 = try RealIntertwinerSolver.solve(input: skewed, output: nat2, group: g, options: forceIsotypic) }
        XCTAssertEqual(s2!.basis.count, 52)
        XCTAssertLessThanOrEqual(s2!.residual, 1e-9)
        assertOrthonormal(s2!.basis)
        print("S6 \(input.dimension): End dimension \(dec!.endomorphismDimension), \(dec!.components.count) types, decompose \(t); Hom to nat⊗nat \(expected) in \(tHom) (residual \(s!.residual)); non-orthogonal 216-dim conjugate \(tSkew) (residual \(s2!.residual))")
    }

    // MARK: Refusal

    func testDenseSolverRefusesAnUnclearGap() throws {
        // plane_δ ⊕ plane_δ' → plane for the D5 plane with the rotation perturbed by
        // δ = 1e-7 and δ' = 1e-10: the near-solutions [I 0] and [0 I] have singular
        // values ≈ 1e-7 (kept) and ≈ 1e-10 (counted as zero), ratio ≈ 1e3 < 1e4.
        let g = try GroupResolver().resolve("dihedral:5")
        let plane = try g.representation(named: "plane")
        func perturbed(_ delta: Double) -> Representation {
            let angle = 2 * Double.pi / 5 + delta
            let r = Matrix([[cos(angle), -sin(angle)], [sin(angle), cos(angle)]])
            return Representation(realMatrices: [r, plane.realImages[1]])
        }
        let input = Representation.directSum(perturbed(1e-7), perturbed(1e-10))
        XCTAssertThrowsError(try RealIntertwinerSolver.solve(input: input, output: plane, group: nil, options: RealSolverOptions())) { error in
            guard case RealSolverError.unclearGap = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue("\(error)".contains("gap ratio"), "\(error)")
        }
        // Clearly perturbed (only δ = 1e-7): a clear gap, and no equivariant map.
        let clear = try RealIntertwinerSolver.solve(input: perturbed(1e-7), output: plane, group: nil, options: RealSolverOptions())
        XCTAssertEqual(clear.basis.count, 0)
    }

    func testNoGeneratorsGiveEveryMatrix() throws {
        let free = Representation(realMatrices: [], dimension: 3)
        let other = Representation(realMatrices: [], dimension: 2)
        for options in [RealSolverOptions(), forceIsotypic] {
            let s = try RealIntertwinerSolver.solve(input: free, output: other, group: nil, options: options)
            XCTAssertEqual(s.basis.count, 6)
            assertOrthonormal(s.basis)
        }
    }

    func testGeneratorCountMismatchIsAnError() throws {
        let one = Representation(realMatrices: [Matrix.identity(2)])
        let two = Representation(realMatrices: [Matrix.identity(2), Matrix.identity(2)])
        XCTAssertThrowsError(try RealIntertwinerSolver.solve(input: one, output: two, group: nil, options: RealSolverOptions())) { error in
            XCTAssertTrue("\(error)".contains("1 generator images"), "\(error)")
        }
    }
}
