import GroupTheory
import XCTest

/// The representation algebra, checked against character identities that hold
/// independently of any basis: χ_{a⊕b} = χ_a + χ_b, χ_{a⊗b} = χ_a χ_b,
/// χ_{Sym²}(g) = (χ(g)² + χ(g²))/2 and χ_{Λ²}(g) = (χ(g)² − χ(g²))/2.
final class RepresentationAlgebraTests: XCTestCase {
    func group(_ text: String) throws -> FiniteGroup {
        // Every name these tests use is a built-in family; one that stops parsing is a failure.
        let spec = try XCTUnwrap(try GroupSpec.builtin(text), "not a built-in family: \(text)")
        return try FiniteGroup(spec: spec)
    }

    func exact(_ v: ExactOrReal) -> Rational {
        guard case let .exact(r) = v else { XCTFail("expected an exact character value, got \(v)"); return .zero }
        return r
    }

    func testCharacterIdentitiesOnEveryElement() throws {
        for family in ["symmetric:4", "hyperoctahedral:3", "dihedral:4"] {
            let g = try group(family)
            let e = try g.enumeration()
            for repName in g.representations.map(\.name) {
                let v = try g.representation(named: repName)
                let sum = Representation.directSum(v, v), product = Representation.tensor(v, v)
                let sym = v.symmetricSquare, alt = v.exteriorSquare
                XCTAssertEqual(sym.dimension, v.dimension * (v.dimension + 1) / 2)
                XCTAssertEqual(alt.dimension, v.dimension * (v.dimension - 1) / 2)
                for x in 0..<e.count {
                    let w = e.words[x]
                    let chi = exact(v.trace(of: w)), chiSquare = exact(v.trace(of: w * w))
                    XCTAssertEqual(exact(sum.trace(of: w)), chi + chi, "\(family) \(repName) ⊕")
                    XCTAssertEqual(exact(product.trace(of: w)), chi * chi, "\(family) \(repName) ⊗")
                    XCTAssertEqual(exact(sym.trace(of: w)), (chi * chi + chiSquare) / 2, "\(family) \(repName) sym2 at \(w)")
                    XCTAssertEqual(exact(alt.trace(of: w)), (chi * chi - chiSquare) / 2, "\(family) \(repName) alt2 at \(w)")
                }
            }
        }
    }

    func testMonomialStructureIsKept() throws {
        let b3 = try group("hyperoctahedral:3")
        let v = try b3.representation(named: "natural")
        XCTAssertEqual(v.kind, .signedPermutation)
        XCTAssertEqual(Representation.tensor(v, v).kind, .signedPermutation)
        XCTAssertEqual(v.exteriorSquare.kind, .signedPermutation)
        let s4 = try group("symmetric:4")
        let p = try s4.representation(named: "natural")
        XCTAssertEqual(p.tensorPower(3).kind, .permutation)
        XCTAssertEqual(p.tensorPower(3).dimension, 64)
        // Λ² of a permutation representation carries signs.
        XCTAssertEqual(p.exteriorSquare.kind, .signedPermutation)
    }

    func testRealSymmetricSquareOfThePlane() throws {
        // D5 on the plane: Sym²(plane) = trivial ⊕ (the other 2-dimensional irreducible), so ⟨χ,χ⟩ = 2.
        let d5 = try group("dihedral:5")
        let classes = try d5.enumeration().conjugacyClasses()
        let sym = try d5.representation(for: RepresentationExpression(parsing: "sym2(plane)"))
        let chi = classes.character(of: sym)
        XCTAssertEqual(classes.innerProduct(chi, chi).doubleValue, 2, accuracy: 1e-12)
        let alt = try d5.representation(for: RepresentationExpression(parsing: "alt2(plane)"))
        // Λ² of the plane is the determinant: 1 on rotations, −1 on reflections.
        for x in 0..<10 {
            let w = try d5.enumeration().words[x]
            let det = try d5.representation(named: "plane").realMatrix(of: w)!.determinant
            XCTAssertEqual(alt.realMatrix(of: w)![0, 0], det, accuracy: 1e-12)
        }
    }

    func testDualIsInverseTranspose() throws {
        let rho = Representation(rationalMatrices: [
            RationalMatrix(rows: 2, columns: 2, elements: [1, 1, 0, 1]),
        ])
        let dual = rho.dual!
        let product = dual.rationalImages![0].transposed * rho.rationalImages![0]
        XCTAssertTrue(product.isIdentity)
    }
}
