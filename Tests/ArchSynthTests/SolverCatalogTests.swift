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
}
