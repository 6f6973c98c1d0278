import ArchSynth
import GroupTheory
import XCTest

/// Bases kept factored, W(θ) = P_out (⊕ K_p(θ)) P_in (`FactoredIntertwiner`): dimensions from
/// character sums written out by hand (not the library's class code), every element checked
/// against the generator images by dense products, and the span compared with the dense
/// Float64 nullspace (an independent route) where that is small enough to compute.
final class FactoredBasisTests: XCTestCase {
    /// dicyclic12's quaternion representation has character (4, 2, 0, 0, −2, −4) on classes of
    /// sizes (1, 2, 3, 3, 2, 1) (left multiplication by a = e^{iπ/3} has trace 4 cos(π/3) = 2;
    /// by x = j, trace 0; x² = −1, trace −4). So ⟨χ^k, χ^k⟩ = (2·16^k + 4·4^k) / 12.
    static func quaternionPowerDimension(_ k: Int) -> Int {
        var p16 = 1, p4 = 1
        for _ in 0..<k { p16 *= 16; p4 *= 4 }
        return (2 * p16 + 4 * p4) / 12
    }

    /// ⟨1, χ^k⟩ = (4^k + 2·2^k + 2·(−2)^k + (−4)^k) / 12, the fixed vectors of quaternion^k.
    static func quaternionPowerFixedVectors(_ k: Int) -> Int {
        var p4 = 1, p2 = 1, m2 = 1, m4 = 1
        for _ in 0..<k { p4 *= 4; p2 *= 2; m2 *= -2; m4 *= -4 }
        return (p4 + 2 * p2 + 2 * m2 + m4) / 12
    }

    /// max over generators of ‖ρ_out(g) W − W ρ_in(g)‖_F / ‖W‖_F by dense products.
    func constraintResidual(_ w: Matrix, input: Representation, output: Representation) -> Double {
        zip(input.realImages, output.realImages).map { ri, ro in ((ro * w) - (w * ri)).frobeniusNorm / w.frobeniusNorm }.max() ?? 0
    }

    /// The rank of a list of matrices, from the eigenvalues of their Gram matrix.
    func rank(_ elements: [Matrix]) throws -> Int {
        var gram = Matrix(rows: elements.count, columns: elements.count)
        for i in elements.indices { for j in elements.indices {
            gram[i, j] = zip(elements[i].elements, elements[j].elements).reduce(0) { $0 + $1.0 * $1.1 }
        } }
        let eig = try gram.symmetricEigendecomposition()
        let top = eig.eigenvalues.max() ?? 0
        return eig.eigenvalues.filter { $0 > 1e-9 * top }.count
    }

    /// Every factored element satisfies every constraint, the elements are independent, and
    /// together with the dense nullspace they span no more than `expected` dimensions.
    func assertFactoredMatchesDense(
        _ group: FiniteGroup, input: Representation, output: Representation, expected: Int,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let basis = try IntertwinerSolver.solveFactored(input: input, output: output, group: group)
        let f = try XCTUnwrap(basis.factored, file: file, line: line)
        XCTAssertEqual(basis.dimension, expected, file: file, line: line)
        XCTAssertTrue(basis.elements.isEmpty, file: file, line: line)
        XCTAssertEqual(basis.crossCheck.characterDimension, expected, file: file, line: line)
        XCTAssertTrue(basis.crossCheck.certificates.contains(.isotypic), file: file, line: line)
        let elements = (0..<f.dimension).map(f.element)
        for (t, e) in elements.enumerated() {
            XCTAssertLessThanOrEqual(constraintResidual(e, input: input, output: output), 1e-10, "element \(t)", file: file, line: line)
        }
        XCTAssertEqual(try rank(elements), expected, "factored elements are independent", file: file, line: line)
        var dense = RealSolverOptions()
        dense.isotypicAbove = dense.maxDenseUnknowns
        let reference = try RealIntertwinerSolver.solve(input: input, output: output, group: group, options: dense)
        XCTAssertEqual(reference.method, .floatNullspace, file: file, line: line)
        XCTAssertEqual(try rank(elements + reference.basis), expected, "same span as the dense nullspace", file: file, line: line)
        // Σ‖B_t‖² without materializing equals the sum over the materialized elements.
        let direct = elements.reduce(0) { $0 + $1.frobeniusNorm * $1.frobeniusNorm }
        XCTAssertEqual(f.squaredNormSum, direct, accuracy: 1e-9 * max(1, direct), file: file, line: line)
        // apply(θ, x) = W(θ) x.
        var rng = SplitMix64(seed: 11)
        let theta = (0..<f.dimension).map { _ in 2 * rng.nextUnit() - 1 }
        let x = (0..<input.dimension).map { _ in 2 * rng.nextUnit() - 1 }
        let direct2 = f.weight(theta).apply(x), applied = f.apply(theta, to: x)
        for (u, v) in zip(direct2, applied) { XCTAssertEqual(u, v, accuracy: 1e-12, file: file, line: line) }
    }

    func testQuaternionicAndRealTypes() throws {
        // Quaternionic (End = H) and a 2-dimensional real type, with multiplicities: quaternion^2
        // of dicyclic12 is 16-dimensional, dim End = (2·256 + 4·16)/12 = 48.
        let dic = try SolverTestSupport.group("dicyclic12")
        let q = try dic.representation(named: "quaternion")
        try assertFactoredMatchesDense(dic, input: .tensor(q, q), output: .tensor(q, q), expected: Self.quaternionPowerDimension(2))
        let d5 = try SolverTestSupport.group("dihedral:5")
        let plane = try d5.representation(named: "plane"), natural = try d5.representation(named: "natural")
        // D5 natural = 1 ⊕ plane ⊕ plane₂ (the 5-gon's vertices), so Hom(natural ⊕ plane, natural) = 1 + 2 + 1 = 4.
        try assertFactoredMatchesDense(d5, input: .directSum(natural, plane), output: natural, expected: 4)
    }

    func testNonOrthogonalImagesAreFactoredThroughTheInvariantInnerProduct() throws {
        // D5 plane ⊕ natural = 1 ⊕ 2·plane ⊕ plane₂ (dim End = 1 + 4 + 1 = 6), conjugated by a
        // random non-orthogonal matrix on the input side only.
        let g = try SolverTestSupport.group("dihedral:5")
        let rep = Representation.directSum(try g.representation(named: "plane"), try g.representation(named: "natural"))
        var rng = SplitMix64(seed: 3)
        var s = Matrix.identity(rep.dimension)
        for t in s.elements.indices { s.elements[t] += 0.4 * (2 * rng.nextUnit() - 1) }
        let skewed = Representation(realMatrices: rep.realImages.map { s * $0 * (try! s.inverse()) })
        try assertFactoredMatchesDense(g, input: skewed, output: rep, expected: 6)
        try assertFactoredMatchesDense(g, input: rep, output: skewed, expected: 6)
    }

    func testBiasesAreTheTrivialCopies() throws {
        // S_4 on natural^2 (16 coordinates; permutation matrices, decomposed like any other):
        // two fixed vectors (the partitions {{1,2}} and {{1},{2}} of two points).
        let s4 = try SolverTestSupport.group("symmetric:4")
        let n = try s4.representation(named: "natural")
        let basis = try IntertwinerSolver.solveFactored(input: .tensor(n, n), output: .tensor(n, n), group: s4)
        XCTAssertEqual(basis.dimension, SolverTestSupport.restrictedBell(4, atMost: 4))  // Bell(4) = 15
        XCTAssertEqual(basis.biasDimension, 2)
        let images = Representation.tensor(n, n).realImages
        for b in basis.biasElements {
            let v = b.dense.elements
            for g in images { for (u, w) in zip(g.apply(v), v) { XCTAssertEqual(u, w, accuracy: 1e-12) } }
        }
    }

    func testTooLargeToMaterializeIsKeptFactored() throws {
        // quaternion^4 of dicyclic12: 256 dimensions, 11008 basis elements, 7.2·10⁸ dense
        // entries (above the default limit of 2·10⁸): the solver keeps the basis factored.
        let expected = Self.quaternionPowerDimension(4)
        XCTAssertEqual(expected, 11008)
        let group = try SolverTestSupport.group("dicyclic12")
        let e = try RepresentationExpression(parsing: "quaternion^4")
        XCTAssertThrowsError(try IntertwinerSolver.solve(group: group, input: e, output: e)) { error in
            guard case RealSolverError.basisTooLarge = error else { return XCTFail("\(error)") }
        }
        let basis = try IntertwinerSolver.solveMaterializedOrFactored(group: group, input: e, output: e)
        let f = try XCTUnwrap(basis.factored)
        XCTAssertEqual(basis.dimension, expected)
        XCTAssertEqual(Self.quaternionPowerFixedVectors(4), 48)
        XCTAssertEqual(basis.biasDimension, 48)
        XCTAssertEqual(Set(basis.crossCheck.certificates), [.characters, .isotypic])
        XCTAssertLessThan(f.storedEntries, 3 * 256 * 256)
        // Random W(θ) against the generators, by dense products with the 256 × 256 images.
        let rep = try group.representation(for: e)
        var rng = SplitMix64(seed: 5)
        let theta = (0..<f.dimension).map { _ in 2 * rng.nextUnit() - 1 }
        XCTAssertLessThanOrEqual(constraintResidual(f.weight(theta), input: rep, output: rep), 1e-11)
    }

    func testFactoredDimensionLimitNamesTheFlag() throws {
        var options = SolverOptions()
        options.maxFactoredDimension = 10
        let group = try SolverTestSupport.group("dicyclic12")
        let e = try RepresentationExpression(parsing: "quaternion^2")
        XCTAssertThrowsError(try IntertwinerSolver.solveFactored(group: group, input: e, output: e, options: options)) { error in
            XCTAssertTrue("\(error)".contains("--max-factored-dimension"), "\(error)")
            XCTAssertTrue("\(error)".contains("dimension 16"), "\(error)")
        }
    }

    func testLibraryLayerOnAFactoredBasis() throws {
        // EquivariantLayer forms W(θ) from the factors (there is no element list).
        let dic = try SolverTestSupport.group("dicyclic12")
        let q = try dic.representation(named: "quaternion")
        let basis = try IntertwinerSolver.solveFactored(input: .tensor(q, q), output: q, group: dic)
        XCTAssertEqual(basis.dimension, 0)  // ⟨χ², χ⟩ = (64 + 2·8 − 2·8 − 64)/12 = 0: odd total degree
        let square = try IntertwinerSolver.solveFactored(input: .tensor(q, q), output: .tensor(q, q), group: dic)
        let f = try XCTUnwrap(square.factored)
        let layer = EquivariantLayer(basis: square, seed: 4)
        var rng = SplitMix64(seed: 8)
        let x = (0..<16).map { _ in 2 * rng.nextUnit() - 1 }
        let expected = f.apply(layer.weights, to: x)
        var bias = [Double](repeating: 0, count: 16)
        for (j, b) in square.biasElements.enumerated() { for e in b.entries { bias[e.row] += layer.bias[j] * e.value } }
        for (u, v) in zip(layer.forward(x), zip(expected, bias).map { $0 + $1 }) { XCTAssertEqual(u, v, accuracy: 1e-12) }
    }
}
