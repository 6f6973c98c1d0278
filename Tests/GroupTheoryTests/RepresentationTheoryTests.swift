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
}
