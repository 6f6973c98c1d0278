import GroupTheory
import XCTest

/// The representation theory that lives in GroupTheory (characters of expressions, exact
/// intertwiner spaces, the isotypic decomposition), checked against facts that do not come
/// from this code: Bell numbers, the character table of S4, the types of real irreducibles.
final class RepresentationTheoryTests: XCTestCase {
    func group(_ text: String) throws -> FiniteGroup {
        // Every name these tests use is a built-in family; one that stops parsing is a failure.
        let spec = try XCTUnwrap(try GroupSpec.builtin(text), "not a built-in family: \(text)")
        return try FiniteGroup(spec: spec)
    }

    func dimension(_ characters: inout ExpressionCharacters, _ a: String, _ b: String) throws -> Int? {
        let chiA = try characters.character(of: RepresentationExpression(parsing: a))
        let chiB = try characters.character(of: RepresentationExpression(parsing: b))
        return characters.classes.innerProduct(chiA, chiB).nonnegativeInteger
    }

    func testExpressionCharactersAgainstBellNumbersAndTheS4Table() throws {
        let s4 = try group("symmetric:4")
        var characters = ExpressionCharacters(classes: try s4.enumeration().conjugacyClasses(), group: s4)
        // dim End(natural^⊗k) for S_n, n ≥ 2k, is the Bell number B(2k); for S4 and k = 2 it is
        // the number of set partitions of 4 points: B(4) = 15. natural → natural: B(2) = 2.
        XCTAssertEqual(try dimension(&characters, "natural^2", "natural^2"), 15)
        XCTAssertEqual(try dimension(&characters, "natural", "natural"), 2)
        // Invariant quadratic forms on the permutation representation: Σx², Σ_{i<j} x_i x_j.
        XCTAssertEqual(try dimension(&characters, "sym2(natural)", "trivial"), 2)
        XCTAssertEqual(try dimension(&characters, "alt2(natural)", "trivial"), 0)
        // Λ²(natural) = standard ⊕ (standard ⊗ sign): two distinct irreducibles.
        XCTAssertEqual(try dimension(&characters, "alt2(natural)", "alt2(natural)"), 2)
        // ⟨χ_reg, χ_reg⟩ = |G|; ⟨χ_reg, 1⟩ = 1.
        XCTAssertEqual(try dimension(&characters, "regular", "regular"), 24)
        XCTAssertEqual(try dimension(&characters, "regular", "trivial"), 1)
        // Character values of natural on the five classes of S4 are the fixed-point counts
        // 4, 2, 0, 1, 0 (identity, transposition, double transposition, 3-cycle, 4-cycle),
        // in whatever order the classes come: compare as a multiset with the class sizes.
        let chi = try characters.character(of: RepresentationExpression(parsing: "natural"))
        let pairs = zip(characters.classes.sizes, chi.map(\.description)).map { "\($0):\($1)" }.sorted()
        XCTAssertEqual(pairs, ["1:4", "3:0", "6:0", "6:2", "8:1"])
    }

    func testExactEliminationFindsTheCommutantOfAQuarterTurn() {
        // C4 on the plane by the quarter turn: the commutant is {aI + bJ}, dimension 2.
        let j = RationalMatrix(rows: 2, columns: 2, elements: [0, -1, 1, 0].map { Rational($0) })
        XCTAssertEqual(ExactElimination.solve(output: [j], input: [j]).rows, 2)
        // The reflection diag(1, -1) commutes only with diagonal matrices: dimension 2; together
        // with the quarter turn (D4 on the plane, real type) only the scalars: dimension 1.
        let s = RationalMatrix(rows: 2, columns: 2, elements: [1, 0, 0, -1].map { Rational($0) })
        XCTAssertEqual(ExactElimination.solve(output: [s], input: [s]).rows, 2)
        XCTAssertEqual(ExactElimination.solve(output: [j, s], input: [j, s]).rows, 1)
    }

    func testIsotypicDecompositionTypesOfIrreducibles() throws {

        // irreducible of quaternionic type: End = H, dimension 4.
        let d4 = try group("dihedral:4")
        let plane = try d4.representation(named: "plane")
        let dec = try IsotypicDecomposition(representation: plane, group: d4, options: RealSolverOptions())
        XCTAssertEqual(dec.components.map(\.endomorphismDimension), [1])
        XCTAssertEqual(dec.components.map(\.multiplicity), [1])
        // natural of S4 = trivial ⊕ standard: two components of real type, multiplicity 1 each.
        let s4 = try group("symmetric:4")
        let natural = try s4.representation(named: "natural")
        let split = try IsotypicDecomposition(representation: natural, group: s4, options: RealSolverOptions())
        XCTAssertEqual(split.components.map(\.irreducibleDimension).sorted(), [1, 3])
    }

    func testExactOrRealArithmeticStaysExactUntilARealAppears() {
        let half = ExactOrReal.exact(Rational(1, 2))
        XCTAssertEqual(half + half, .exact(.one))
        XCTAssertEqual(half * .exact(Rational(4)), .exact(Rational(2)))
        XCTAssertEqual(half * .real(0.5), .real(0.25))
        XCTAssertEqual(ExactOrReal.exact(Rational(3)).nonnegativeInteger, 3)
        XCTAssertNil(half.nonnegativeInteger)
        XCTAssertNil(ExactOrReal.exact(Rational(-1)).nonnegativeInteger)
        XCTAssertEqual(ExactOrReal.real(2.0000000001).nonnegativeInteger, 2)
        XCTAssertNil(ExactOrReal.real(2.4).nonnegativeInteger)
        XCTAssertNil(ExactOrReal.real(.nan).nonnegativeInteger)
    }

    func testHomDimensionsFromCharactersAndANonCharacter() throws {
        let s4 = try group("symmetric:4")
        var characters = ExpressionCharacters(classes: try s4.enumeration().conjugacyClasses(), group: s4)
        // natural = trivial ⊕ standard: End is 2-dimensional, one fixed vector (the all-ones).
        let natural = try characters.homDimensions(from: .named("natural"), to: .named("natural"))
        XCTAssertEqual([natural.maps, natural.fixedVectors], [2, 1])
        let chi = try characters.character(of: .named("natural"))
        XCTAssertEqual(try HomDimensions(classes: characters.classes, input: chi, output: chi), natural)
        // natural ⊗ natural → trivial: the invariant bilinear forms, B(2) = 2; trivial has one fixed vector.
        let forms = try characters.homDimensions(from: RepresentationExpression(parsing: "natural^2"), to: .trivial(1))
        XCTAssertEqual([forms.maps, forms.fixedVectors], [2, 1])
        // A class function that is no character (natural with χ(e) = 5 instead of 4):
        // ⟨χ_nat, χ⟩ = 2 + 4/24, not an integer.
        let identity = try XCTUnwrap(characters.classes.sizes.firstIndex(of: 1))
        var bent = chi
        bent[identity] = .exact(Rational(5))
        XCTAssertThrowsError(try HomDimensions(classes: characters.classes, input: chi, output: bent)) { error in
            guard case let .nonIntegralInnerProduct(part, value)? = error as? GroupError else { return XCTFail("\(error)") }
            XCTAssertEqual(part, .maps)
            XCTAssertEqual(value, .exact(Rational(13, 6)))
        }
    }

    func testGroupActionTableListsEveryElementAsAHomomorphism() throws {
        let s3 = try group("symmetric:3")
        let table = try GroupActionTable(group: s3, representations: [s3.representation(named: "natural"), s3.representation(named: "sign")])
        XCTAssertEqual(table.elementCount, 6)
        XCTAssertEqual(table.dimensions, [3, 1])
        let natural = table.matrices[0]
        // Element 0 is the identity; the six natural matrices are the six 3×3 permutation matrices.
        XCTAssertEqual(natural[0], [1, 0, 0, 0, 1, 0, 0, 0, 1])
        XCTAssertEqual(Set(natural).count, 6)
        for m in natural {
            XCTAssertEqual(m.filter { $0 == 1 }.count, 3)
            XCTAssertEqual(m.filter { $0 == 0 }.count, 6)
            for r in 0..<3 { XCTAssertEqual(m[(3 * r)..<(3 * r + 3)].reduce(0, +), 1) }
        }
        // Closed under products (a homomorphism onto its image), and the sign is the determinant.
        func product(_ a: [Double], _ b: [Double]) -> [Double] {
            var c = [Double](repeating: 0, count: 9)
            for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { c[3 * i + j] += a[3 * i + k] * b[3 * k + j] } } }
            return c
        }
        for a in natural { for b in natural { XCTAssertTrue(natural.contains(product(a, b))) } }
        for (m, s) in zip(natural, table.matrices[1]) {
            let minors: [Double] = [m[4] * m[8] - m[5] * m[7], m[3] * m[8] - m[5] * m[6], m[3] * m[7] - m[4] * m[6]]
            let det: Double = m[0] * minors[0] - m[1] * minors[1] + m[2] * minors[2]
            XCTAssertEqual(s, [det])
        }
        XCTAssertEqual(table.orthogonalityDefect(0).defect, 0)
        // A non-orthogonal representation of C2, a ↦ [[1, 1], [0, −1]]: aᵀa = [[1, 1], [1, 2]], so the
        // defect is 1, at the element a.
        let c2 = try FiniteGroup(spec: GroupSpec(json: """
            {"name": "C2", "generators": ["a"], "relators": ["a^2"],
             "representations": {"skew": {"matrix": {"a": [[1, 1], [0, -1]]}}}}
            """, origin: "test.json"))
        let skew = try GroupActionTable(group: c2, representations: [c2.representation(named: "skew")])
        let defect = skew.orthogonalityDefect(0)
        XCTAssertEqual(defect.defect, 1)
        XCTAssertEqual(skew.matrices[0][defect.element], [1, 1, 0, -1])
    }
}
