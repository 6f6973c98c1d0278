import ArchSynth
import GroupTheory
import XCTest

/// Solver results on catalog groups (presented by relators), each expected value
/// derived independently and named in the test.
final class SolverCatalogTests: XCTestCase {
    func dimension(_ spec: String, _ input: String, _ output: String) throws -> (Int, Int, String) {
        let b = try SolverTestSupport.solve(spec, input, output)
        return (b.dimension, b.biasDimension, b.method.description)
    }

    func testOctahedralRotationsOnR3() throws {
        // The rotation representation of the octahedral group is absolutely irreducible
        // (⟨χ, χ⟩ = (9 + 6·1 + 3·1 + 8·0 + 6·1)/24 = 1): End is the scalars, no fixed vector.
        let (d, bias, method) = try dimension("S4", "rotation", "rotation")
        XCTAssertEqual(d, 1)
        XCTAssertEqual(bias, 0)
        XCTAssertEqual(method, "monomial-orbits")  // integer 0/±1 rotation matrices are signed permutations
        // R^3 ⊗ R^3 = 1 + 2 + 3 + 3' for the octahedral group: one invariant (the trace form).
        XCTAssertEqual(try dimension("S4", "rotation^2", "trivial").0, 1)
        // The cube's 8 vertices: 1 + 1' + 3 + 3' (orbits of pairs: 4 → ⟨χ, χ⟩ = 4).
        XCTAssertEqual(try dimension("S4", "vertices", "vertices").0, 4)
    }

    func testQuaternionicTypeHasFourDimensionalEnd() throws {
        // Q8 on H = R^4 by left multiplication: End_G(H) = right multiplications, dimension 4.
        XCTAssertEqual(try dimension("Q8", "quaternion", "quaternion").0, 4)
        // The regular permutation action of Q8 on its 8 elements: group convolution, dimension |G| = 8.
        XCTAssertEqual(try dimension("Q8", "elements", "elements").0, 8)
    }

    func testIcosahedralExactAndRealPaths() throws {
        // A5 rotations (golden-ratio entries, Float64): irreducible of real type.
        let (d, _, method) = try dimension("A5", "rotation", "rotation")
        XCTAssertEqual(d, 1)
        XCTAssertEqual(method, "float-nullspace")
        // Sym²(3) = 1 + 5 for A5: End(Sym²) has dimension 2 and one invariant (the quadratic form).
        XCTAssertEqual(try dimension("A5", "sym2(rotation)", "sym2(rotation)").0, 2)
        XCTAssertEqual(try dimension("A5", "sym2(rotation)", "trivial").0, 1)
        // The 12 icosahedron vertices carry 1 + 3 + 3' + 5: ⟨χ, χ⟩ = 4, and Hom(rotation, vertices) = 1.
        XCTAssertEqual(try dimension("A5", "vertices", "vertices").0, 4)
        XCTAssertEqual(try dimension("A5", "rotation", "vertices").0, 1)
    }

    func testNamesGroupInvariance() throws {
        // S3 permutes 3 name tokens among 8 and fixes 5: orbits on tokens = 1 + 5 = 6 invariants,
        // and an invariant linear read-out of a one-hot token cannot tell the names apart.
        let basis = try SolverTestSupport.solve("names", "tokens", "trivial")
        XCTAssertEqual(basis.dimension, 6)
        let group = try SolverTestSupport.group("names")
        let tokens = try group.representation(named: "tokens")
        XCTAssertEqual(SolverTestSupport.orbitCount(tokens.monomialImages!.map(\.permutation), degree: 8), 6)
    }

    /// The catalog groups added for issue 12: orders and numbers of conjugacy classes from the
    /// literature (I_h = A5 × C2: 5·2 = 10 classes; SL(2,3): 7; W(F4): 25 (Carter 1972);
    /// PSL(2,11): 8 (ATLAS); the Heisenberg group mod 3: 9 central + 2 = 11; F21: 5), and one
    /// representation-theoretic fact each.
    func testNewCatalogGroupsMatchTheLiterature() throws {
        let expected: [(name: String, order: Int, classes: Int)] = [
            ("Ih", 120, 10), ("SL23", 24, 7), ("WF4", 1152, 25), ("PSL211", 660, 8), ("Heis3", 27, 11), ("F21", 21, 5),
        ]
        for (name, order, classes) in expected {
            let g = try SolverTestSupport.group(name)
            XCTAssertEqual(g.order, BigUInt(order), name)
            XCTAssertEqual(try g.enumeration().conjugacyClasses().count, classes, name)
        }
        // I_h on R^3 (rotations and the inversion) is absolutely irreducible; the inversion acts
        // as −1 on R^3 but trivially on R^3 ⊗ R^3, whose invariants are the trace form only.
        XCTAssertEqual(try dimension("Ih", "rotoreflection", "rotoreflection").0, 1)
        XCTAssertEqual(try dimension("Ih", "rotoreflection", "trivial").0, 0)
        XCTAssertEqual(try dimension("Ih", "rotoreflection^2", "trivial").0, 1)
        // SL(2,3) on H by left multiplication by unit quaternions: quaternionic type, End = H.
        XCTAssertEqual(try dimension("SL23", "quaternion", "quaternion").0, 4)
        // W(F4) on R^4: the reflection representation of an irreducible Weyl group is absolutely
        // irreducible, and its only quadratic invariant is the Euclidean form.
        XCTAssertEqual(try dimension("WF4", "reflection", "reflection").0, 1)
        XCTAssertEqual(try dimension("WF4", "sym2(reflection)", "trivial").0, 1)
        // PSL(2,11) is 2-transitive on the 12 points of the projective line: End = 1 + 1.
        XCTAssertEqual(try dimension("PSL211", "projectiveLine", "projectiveLine").0, 2)
        // F21 on the 7 points of F_7: 21 elements, 42 ordered pairs of distinct points in 2
        // regular orbits, plus the diagonal: 3 orbits on pairs.
        XCTAssertEqual(try dimension("F21", "affine", "affine").0, 3)
        // Heis(3) on the 9 points (u, v): (a, b, c) fixes points only when b = 0, all 9 for the
        // identity, 3 (one value of v) for the 6 elements with a ≠ 0, none otherwise. Burnside:
        // (81 + 6·9) / 27 = 5 orbits on pairs, so End = 5.
        XCTAssertEqual(try dimension("Heis3", "affine", "affine").0, 5)
    }
}
