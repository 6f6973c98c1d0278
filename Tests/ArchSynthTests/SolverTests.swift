import ArchSynth
import GroupTheory
import XCTest

/// Expected numbers and where they come from are stated in each test.
final class SolverTests: XCTestCase {
    typealias S = SolverTestSupport

    /// Hom_{S_n}((R^n)^⊗k, (R^n)^⊗l) has a basis indexed by set partitions of k + l points into
    /// at most n blocks (Maron et al. 2019; Godfrey et al. 2023): Σ_{j ≤ n} S(k+l, j), which is
    /// Bell(k+l) for n ≥ k + l. Stirling numbers are computed independently in the test.
    func testSymmetricTensorLayersCountSetPartitions() throws {
        let cases: [(k: Int, l: Int, ns: ClosedRange<Int>)] = [
            (1, 1, 2...6), (2, 2, 2...6), (1, 2, 2...5), (2, 1, 2...5), (0, 3, 2...4), (3, 0, 2...4), (2, 3, 3...5),
        ]
        for (k, l, ns) in cases {
            for n in ns {
                let basis = try S.solve("symmetric:\(n)", "natural^\(k)", "natural^\(l)")
                let expected = S.restrictedBell(k + l, atMost: n)
                XCTAssertEqual(basis.dimension, expected, "S_\(n): (R^n)^⊗\(k) → (R^n)^⊗\(l)")
                XCTAssertEqual(basis.crossCheck.characterDimension, expected, "S_\(n) characters")
                XCTAssertEqual(basis.biasDimension, S.restrictedBell(l, atMost: n), "S_\(n) bias on (R^n)^⊗\(l)")
                XCTAssertEqual(basis.method, .monomialOrbits)
                XCTAssertTrue(basis.isExact)
            }
        }
        XCTAssertEqual(S.restrictedBell(4, atMost: 6), 15)
        XCTAssertEqual(S.restrictedBell(5, atMost: 5), 52)
    }

    /// Beyond the enumeration limit only the exact constraint check is made (S_20 has order 20!).
    func testLargeSymmetricPairsWithoutCharacters() throws {
        let basis = try S.solve("symmetric:20", "natural^2", "natural^2")
        XCTAssertEqual(basis.dimension, 15)
        XCTAssertNil(basis.crossCheck.characterDimension)
        XCTAssertNotNil(basis.crossCheck.characterNote)
        XCTAssertTrue(basis.crossCheck.exactConstraintCheck)
        XCTAssertEqual(basis.crossCheck.certificates, [.orbits], "certified without characters")
        XCTAssertEqual(basis.elements.reduce(0) { $0 + $1.nonzeroCount }, 400 * 400)
    }

    /// Regular → regular: group convolutions, one parameter per group element (|G|).
    func testRegularToRegularHasDimensionOrder() throws {
        for spec in ["cyclic:12", "dihedral:7", "symmetric:4", "alternating:5", "hyperoctahedral:3"] {
            let group = try S.group(spec)
            let basis = try S.solve(spec, "regular", "regular")
            XCTAssertEqual(BigUInt(basis.dimension), group.order, spec)
            XCTAssertEqual(basis.biasDimension, 1, spec)
            // Each element is a permutation matrix (one entry per row).
            XCTAssertTrue(basis.elements.allSatisfy { $0.nonzeroCount == basis.outputDimension }, spec)
            S.assertTyingMatchesElements(basis)
        }
    }

    /// Permutation representation → trivial: one invariant per orbit (counted by a naive search).
    func testInvariantsOfPermutationRepresentationsAreOrbits() throws {
        for (spec, expression) in [("dihedral:6", "natural^2"), ("symmetric:4", "natural^3"), ("cyclic:5", "natural^2")] {
            let group = try S.group(spec)
            let rep = try group.representation(parsing: expression)
            guard case let .permutation(generators) = rep.images else { return XCTFail("\(expression) is a permutation rep") }
            let basis = try S.solve(spec, expression, "1")
            XCTAssertEqual(basis.dimension, S.orbitCount(generators, degree: rep.dimension), "\(spec) \(expression)")
            let transposed = try S.solve(spec, "1", expression)
            XCTAssertEqual(transposed.dimension, basis.dimension)
            XCTAssertEqual(transposed.biasDimension, basis.dimension, "bias = fixed vectors = invariants")
        }
    }

    /// B_3 = signed permutations of R^3 (order 48): R^3 is irreducible of real type, so End is
    /// 1-dimensional (multiples of I) and there is no invariant vector (e_i ↦ −e_i).
    func testHyperoctahedralNatural() throws {
        let end = try S.solve("hyperoctahedral:3", "natural", "natural")
        XCTAssertEqual(end.dimension, 1)
        XCTAssertEqual(end.biasDimension, 0)
        XCTAssertEqual(end.elements[0].entries.map(\.value), [1, 1, 1])
        XCTAssertEqual(end.elements[0].entries.map(\.row), [0, 1, 2])
        // Invariant bilinear forms on R^3: only δ_ij (sign changes kill the rest).
        XCTAssertEqual(try S.solve("hyperoctahedral:3", "natural^2", "1").dimension, 1)
        S.assertTyingMatchesElements(end)
    }

    /// Orbits that meet themselves with opposite sign vanish.
    func testSignCancellationGivesZeroSpaces() throws {
        for n in 2...5 {
            XCTAssertEqual(try S.solve("symmetric:\(n)", "sign", "1").dimension, 0, "S_\(n) sign → trivial")
            XCTAssertEqual(try S.solve("symmetric:\(n)", "sign", "sign").dimension, 1)
            XCTAssertEqual(try S.solve("hyperoctahedral:\(n)", "natural", "1").dimension, 0, "B_\(n) natural → trivial")
            // natural ⊗ sign → natural, with natural = 1 + std: for n = 2, std = sign and both sides
            // are 1 + sign (2); for n = 3, std ⊗ sign ≅ std (1); for n ≥ 4, std ⊗ sign is the other
            // irreducible of dimension n − 1 (0).
            let twisted = try S.solve("symmetric:\(n)", "natural*sign", "natural")
            XCTAssertEqual(twisted.dimension, [2: 2, 3: 1][n] ?? 0, "S_\(n) natural⊗sign → natural")
        }
        let zero = try S.solve("hyperoctahedral:3", "natural", "1")
        XCTAssertEqual(zero.tying?.index, [-1, -1, -1])
        XCTAssertEqual(zero.tying?.sign, [0, 0, 0])
    }

    /// Random words applied to random inputs: exact to 1e-12 in Float64.
    func testRandomizedEquivariance() throws {
        let cases = [
            ("symmetric:5", "natural^2", "natural"), ("hyperoctahedral:3", "natural^2", "natural"),
            ("dihedral:5", "natural", "natural^2"), ("hyperoctahedral:4", "sym2(natural)", "alt2(natural)"),
            ("symmetric:4", "natural + 2*sign", "natural*2 + 1"),
        ]
        for (index, (spec, input, output)) in cases.enumerated() {
            let group = try S.group(spec)
            let basis = try S.solve(spec, input, output)
            S.assertRandomEquivariance(
                basis, input: try group.representation(parsing: input), output: try group.representation(parsing: output),
                generatorCount: group.generatorCount, seed: UInt64(index + 1))
        }
    }

    /// Direct sums: each distinct pair solved once; dim Hom(a + b, c) = dim Hom(a, c) + dim Hom(b, c).
    func testDirectSumBlocksAndAdditivity() throws {
        let spec = "symmetric:4"
        let parts = ["natural", "sign", "natural^2", "1"]
        func dim(_ i: String, _ o: String) throws -> Int { try S.solve(spec, i, o).dimension }
        for a in parts {
            for b in parts {
                for c in parts {
                    XCTAssertEqual(try dim("\(a) + \(b)", c), try dim(a, c) + dim(b, c), "Hom(\(a) + \(b), \(c))")
                }
            }
        }
        let basis = try S.solve(spec, "natural + natural^2", "3*natural + natural*2")
        guard case let .directSumBlocks(methods) = basis.method else { return XCTFail("expected blocks, got \(basis.method)") }
        XCTAssertEqual(methods, [.monomialOrbits])
        // 5 copies of natural out × (natural, natural^2) in: 5 · (2 + 5).
        XCTAssertEqual(basis.dimension, 5 * (2 + 5))
        XCTAssertEqual(basis.biasDimension, 5)
        XCTAssertEqual(basis.crossCheck.characterDimension, 35)
        S.assertTyingMatchesElements(basis)
        // The canonical order: sorted by first nonzero, row-major.
        let firsts = basis.elements.map { ($0.entries[0].row, $0.entries[0].column) }
        XCTAssertTrue(zip(firsts, firsts.dropFirst()).allSatisfy { $0 <= $1 })
    }

    /// Exact rational (non-monomial) representations: the 2-dimensional standard representation
    /// of S_3 on the basis u1 = e0 − e1, u2 = e1 − e2 (s = (0,1): u1 ↦ −u1, u2 ↦ u1 + u2;
    /// c = (0,1,2): u1 ↦ u2, u2 ↦ −u1 − u2). V is irreducible, V ⊗ V = 1 + sign + V, so
    /// End V = 1, Hom(V⊗V, V) = 1, End(V⊗V) = 3, Hom(V, 1) = 0.
    func testExactEliminationOnStandardRepresentationOfS3() throws {
        let group = try S.group("symmetric:3")
        let s = RationalMatrix([[-1, 1], [0, 1]]), c = RationalMatrix([[0, -1], [1, -1]])
        let v = Representation(rationalMatrices: [s, c])
        XCTAssertEqual(v.kind, .rational)
        let vv = Representation.tensor(v, v)
        let one = Representation.trivial(generatorCount: 2)
        for (input, output, expected, bias) in [(v, v, 1, 0), (vv, v, 1, 0), (vv, vv, 3, 1), (v, one, 0, 1)] {
            let basis = try IntertwinerSolver.solve(input: input, output: output, group: group)
            XCTAssertEqual(basis.dimension, expected)
            XCTAssertEqual(basis.biasDimension, bias)
            XCTAssertEqual(basis.crossCheck.characterDimension, expected)
            XCTAssertEqual(basis.method, .exactElimination)
            XCTAssertTrue(basis.isExact && basis.crossCheck.exactConstraintCheck)
            XCTAssertNil(basis.tying)
            // Reduced echelon: each element's first entry is exactly 1.
            XCTAssertTrue(basis.elements.allSatisfy { $0.exactValues?.first == .one })
            S.assertRandomEquivariance(basis, input: input, output: output, generatorCount: 2, seed: 7)
        }
        // End V is the identity (pivot 1 at (0, 0)).
        let end = try IntertwinerSolver.solve(input: v, output: v)
        XCTAssertEqual(end.elements[0].exactValues, [1, 1])
        XCTAssertEqual(end.crossCheck.characterNote, "no group given: character check not made")
        XCTAssertEqual(end.crossCheck.certificates, [.exact])
        // A mixed monomial/rational pair goes to exact elimination too: natural → V is 1-dimensional.
        let natural = try group.representation(named: "natural")
        XCTAssertEqual(try IntertwinerSolver.solve(input: natural, output: v, group: group).dimension, 1)
    }

    func testErrorsNameTheLimitAndWhatToDo() throws {
        let group = try S.group("symmetric:3")
        let v = Representation(rationalMatrices: [RationalMatrix([[-1, 1], [0, 1]]), RationalMatrix([[0, -1], [1, -1]])])
        var options = SolverOptions()
        options.maxExactUnknowns = 3
        XCTAssertThrowsError(try IntertwinerSolver.solve(input: v, output: v, group: group, options: options)) { error in
            XCTAssertTrue("\(error)".contains("--max-exact-unknowns"), "\(error)")
        }
        options = SolverOptions()
        options.maxIndexPairs = 100
        XCTAssertThrowsError(try S.solve("symmetric:11", "natural", "natural", options: options)) { error in
            XCTAssertTrue("\(error)".contains("maxIndexPairs"), "\(error)")
        }
        XCTAssertThrowsError(try S.solve("symmetric:3", "nope", "natural")) { error in
            XCTAssertTrue("\(error)".contains("unknown representation"), "\(error)")
        }
        let twoGenerators = Representation.trivial(generatorCount: 2)
        let threeGenerators = Representation.trivial(generatorCount: 3)
        XCTAssertThrowsError(try IntertwinerSolver.solve(input: twoGenerators, output: threeGenerators))
    }

    /// Float64 representations go to RealIntertwinerSolver (strategy 4), checked by residual.
    func testFloatRepresentationsUseTheRealSolver() throws {
        let group = try S.group("dihedral:6")  // plane: cos 60°, sin 60° = √3/2 is not rational
        let plane = try group.representation(named: "plane")
        XCTAssertEqual(plane.kind, .real)
        let basis = try IntertwinerSolver.solve(input: plane, output: plane, group: group)
        XCTAssertEqual(basis.dimension, 1)  // the plane rep of D6 is absolutely irreducible
        XCTAssertEqual(basis.crossCheck.certificates, [.characters, .spectralGap])  // 4 unknowns: the dense path
        XCTAssertFalse(basis.crossCheck.exactConstraintCheck)
        XCTAssertLessThanOrEqual(basis.crossCheck.residual, 1e-8)
        S.assertRandomEquivariance(basis, input: plane, output: plane, generatorCount: 2, seed: 11)
    }

    /// S_30 on pairs (810 000 index pairs): Bell(4) = 15 weights, Bell(2) = 2 biases, certified
    /// by the orbit count alone (30! is far above the enumeration limit). Its speed is measured
    /// in Benchmarks, not asserted here.
    func testMonomialOnLargePairsIsCertifiedByOrbits() throws {
        let group = try S.group("symmetric:30")
        let pairs = try group.representation(parsing: "natural^2")
        let basis = try IntertwinerSolver.solve(input: pairs, output: pairs, group: group)
        XCTAssertEqual(basis.dimension, 15)
        XCTAssertEqual(basis.biasDimension, 2)
        XCTAssertEqual(basis.crossCheck.certificates, [.orbits])
        XCTAssertNil(basis.crossCheck.characterDimension)
    }

    /// Every route carries a certificate (DESIGN.md "The solver"; issue 12): expected
    /// dimensions from the literature, the certificate from the route taken.
    func testEveryRouteCarriesACertificate() throws {
        // S_5 natural → natural: 2 (identity, all-ones); enumerable and monomial.
        XCTAssertEqual(try S.solve("symmetric:5", "natural", "natural").crossCheck.certificates, [.characters, .orbits])
        // Exact elimination without a group (no characters): S_3's standard 2-dim rep (see
        // testExactEliminationOnStandardRepresentationOfS3) is absolutely irreducible: 1.
        let v = Representation(rationalMatrices: [RationalMatrix([[-1, 1], [0, 1]]), RationalMatrix([[0, -1], [1, -1]])])
        let exact = try IntertwinerSolver.solve(input: v, output: v)
        XCTAssertEqual(exact.dimension, 1)
        XCTAssertEqual(exact.crossCheck.certificates, [.exact])
        // No characters (limit 0): A5's icosahedral V ⊗ V = 1 ⊕ V ⊕ 5 (A5 character table), so
        // End has dimension 3; 81 unknowns take the isotypic route, certified without enumerating.
        var options = SolverOptions()
        options.characterCheckMaxOrder = 0
        let a5 = try S.group("A5")
        let names = a5.representations.map(\.name)
        if let v = names.first(where: { ["icosahedral", "rotation", "rotations"].contains($0) }) {
            let vv = try IntertwinerSolver.solve(
                group: a5, input: RepresentationExpression(parsing: "\(v)*\(v)"),
                output: RepresentationExpression(parsing: "\(v)*\(v)"), options: options)
            XCTAssertEqual(vv.dimension, 3)
            XCTAssertEqual(vv.biasDimension, 1)
            // Weights (81 unknowns) by the isotypic route; the bias (9 unknowns) by the dense nullspace.
            XCTAssertEqual(vv.crossCheck.certificates, [.spectralGap, .isotypic])
            XCTAssertNotNil(vv.crossCheck.characterNote)
        } else {
            XCTFail("the A5 catalog entry has no icosahedral rotation representation: \(names)")
        }
    }
}
