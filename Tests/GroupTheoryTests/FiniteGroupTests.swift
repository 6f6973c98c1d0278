import GroupTheory
import XCTest

/// Building groups from specs: orders, relator and homomorphism checks, and
/// character inner products against values computed by hand.
final class FiniteGroupTests: XCTestCase {
    static let d4 = """
        {
          "name": "D4",
          "description": "Symmetries of the square (order 8)",
          "generators": ["r", "s"],
          "relators": ["r^4", "s^2", "(s*r)^2"],
          "representations": {
            "vertices": { "permutation": { "r": [1, 2, 3, 0], "s": [0, 3, 2, 1] } },
            "plane":    { "matrix": { "r": [[0, -1], [1, 0]], "s": [[1, 0], [0, -1]] } },
            "sign":     { "matrix": { "r": [[1]], "s": [[-1]] } }
          }
        }
        """

    func build(_ json: String, options: GroupOptions = GroupOptions()) throws -> FiniteGroup {
        try FiniteGroup(spec: GroupSpec(json: json, origin: "test.json"), options: options)
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testDesignExampleD4() throws {
        let g = try build(Self.d4)
        XCTAssertEqual(g.order, 8)
        XCTAssertEqual(g.orderMethod, "coset enumeration")
        // The plane's exact 0/±1 matrices are kept as signed permutations.
        XCTAssertEqual(try g.representation(named: "plane").kind, .signedPermutation)
        let classes = try g.enumeration().conjugacyClasses()
        XCTAssertEqual(classes.sizes.sorted(), [1, 1, 2, 2, 2])  // D4 has 5 classes
        let plane = classes.character(of: try g.representation(named: "plane"))
        let vertices = classes.character(of: try g.representation(named: "vertices"))
        let trivial = classes.character(of: try g.representation(named: "trivial"))
        // By hand: the plane is irreducible; vertices = trivial + sign-of-reflections-through-edges + plane,
        // so ⟨χ_v, χ_v⟩ = 3, ⟨χ_v, χ_plane⟩ = 1 and ⟨χ_v, 1⟩ = 1 (one orbit).
        XCTAssertEqual(classes.innerProduct(plane, plane), .exact(1))
        XCTAssertEqual(classes.innerProduct(vertices, vertices), .exact(3))
        XCTAssertEqual(classes.innerProduct(vertices, plane), .exact(1))
        XCTAssertEqual(classes.innerProduct(vertices, trivial), .exact(1))
        let regular = classes.character(of: try g.representation(named: "regular"))
        // ⟨χ_reg, χ_reg⟩ = |G|: group convolutions.
        XCTAssertEqual(classes.innerProduct(regular, regular), .exact(8))
    }

    /// `enumerateLargePresentations = false` (what `basis` sets): above `maxElements` the order
    /// comes from a permutation representation when it confirms the documented order; a
    /// representation that does not (here sign, a quotient of order 2) leaves the enumeration.
    func testLargePresentationsCanSkipEnumerationWhenAPermutationRepresentationConfirmsTheOrder() throws {
        var options = GroupOptions(maxElements: 4)
        options.enumerateLargePresentations = false
        let documented = Self.d4.replacingOccurrences(of: "\"generators\"", with: "\"order\": \"8\", \"generators\"")
        let skipped = try build(documented, options: options)
        XCTAssertEqual(skipped.order, 8)
        XCTAssertEqual(skipped.orderMethod, "Schreier–Sims on vertices")
        XCTAssertTrue(skipped.validationNotes.contains { $0.contains("the presentation was not enumerated (not needed for this command") }, "\(skipped.validationNotes)")
        // The relators are still checked in every representation.
        let broken = documented.replacingOccurrences(of: "\"s\": [[1, 0], [0, -1]]", with: "\"s\": [[1, 0], [1, -1]]")
        XCTAssertTrue(message { try self.build(broken, options: options) }.contains("violates the relator (s*r)^2"))
        // sign first: its permutation action has order 2, not the documented 8, so the
        // presentation is enumerated.
        let signFirst = """
            {"name": "D4", "order": "8", "generators": ["r", "s"], "relators": ["r^4", "s^2", "(s*r)^2"],
             "representations": {"sign": {"matrix": {"r": [[1]], "s": [[-1]]}},
                                 "vertices": {"permutation": {"r": [1, 2, 3, 0], "s": [0, 3, 2, 1]}}}}
            """
        let enumerated = try build(signFirst, options: options)
        XCTAssertEqual(enumerated.order, 8)
        XCTAssertEqual(enumerated.orderMethod, "coset enumeration")
        // The default enumerates.
        XCTAssertEqual(try build(documented, options: GroupOptions(maxElements: 4)).orderMethod, "coset enumeration")
    }

    func testWrongMatrixIsCaughtWithRelatorAndResidual() throws {
        let broken = Self.d4.replacingOccurrences(of: "\"s\": [[1, 0], [0, -1]]", with: "\"s\": [[1, 0], [1, -1]]")
        XCTAssertEqual(
            message { try self.build(broken) },
            "test.json:8 (representations.plane): representation \"plane\" violates the relator (s*r)^2 (residual exact, largest entry of ρ(r) − I is 1): its matrices do not define a representation of this group")
        let real = Self.d4.replacingOccurrences(of: "[[0, -1], [1, 0]]", with: "[[0.001, -1], [1, 0]]")
        XCTAssertTrue(message { try self.build(real) }.contains("violates the relator r^4"))
    }

    func testSingularMatrixAndOrderMismatch() throws {
        let singular = Self.d4.replacingOccurrences(of: "\"r\": [[1]]", with: "\"r\": [[0]]")
        XCTAssertEqual(
            message { try self.build(singular) },
            "test.json:9 (representations.sign.matrix.r): the image of generator r in representation \"sign\" is not invertible")
        let wrongOrder = Self.d4.replacingOccurrences(of: "\"generators\"", with: "\"order\": \"16\", \"generators\"")
        XCTAssertEqual(
            message { try self.build(wrongOrder) },
            "the spec documents order 16 but coset enumeration gives 8: fix \"order\" or the generators")
    }

    func testRelatorFreeSpecChecksHomomorphisms() throws {
        // S3 on 3 points, with a "sign" that sends the 3-cycle to −1: not a homomorphism.
        let bad = """
            { "name": "S3", "generators": ["s", "c"],
              "representations": {
                "natural": { "permutation": { "s": "(0,1)", "c": "(0,1,2)" } },
                "sign": { "matrix": { "s": [[-1]], "c": [[-1]] } } } }
            """
        XCTAssertTrue(
            message { try self.build(bad) }.hasPrefix("representation \"sign\" is not a homomorphism from the defining group"),
            message { try self.build(bad) })
        let good = bad.replacingOccurrences(of: "\"c\": [[-1]]", with: "\"c\": [[1]]")
        XCTAssertEqual(try build(good).order, 6)
        // A matrix-only group is listed by closure: the rotation by 90° generates C4.
        let rotation = """
            { "name": "C4", "generators": ["r"],
              "representations": { "plane": { "matrix": { "r": [["0", "-1"], ["1", "0.0"]] } } } }
            """
        let c4 = try build(rotation)
        XCTAssertEqual(c4.order, 4)
        XCTAssertEqual(c4.orderMethod, "closure of the matrices of plane")
        // An irrational rotation generates an infinite group: the closure stops at the limit.
        let infinite = rotation.replacingOccurrences(of: "[[\"0\", \"-1\"], [\"1\", \"0.0\"]]", with: "[[0.6, -0.8], [0.8, 0.6]]")
        XCTAssertTrue(
            message { try self.build(infinite, options: GroupOptions(maxElements: 1000)) }
                .hasPrefix("the matrices of \"plane\" generate more than 1000 elements"))
    }

    func testFamilyOrders() throws {
        for n in 1...7 {
            let factorial = BigUInt.factorial(n)
            let s = try FiniteGroup(spec: GroupSpec.builtin("symmetric:\(n)")!)
            XCTAssertEqual(s.order, factorial, "S\(n)")
            XCTAssertEqual(try FiniteGroup(spec: GroupSpec.builtin("cyclic:\(n)")!).order, BigUInt(n), "C\(n)")
            XCTAssertEqual(
                try FiniteGroup(spec: GroupSpec.builtin("hyperoctahedral:\(n)")!).order, factorial * BigUInt.power(2, n),
                "B\(n)")
            if n >= 3 {
                XCTAssertEqual(try FiniteGroup(spec: GroupSpec.builtin("dihedral:\(n)")!).order, BigUInt(2 * n), "D\(n)")
                var half = factorial
                half.divide(bySmall: 2)
                XCTAssertEqual(try FiniteGroup(spec: GroupSpec.builtin("alternating:\(n)")!).order, half, "A\(n)")
            }
        }
        XCTAssertEqual(try FiniteGroup(spec: GroupSpec.builtin("symmetric:50")!).order, BigUInt.factorial(50))
        XCTAssertEqual(
            message { try GroupSpec.builtin("dihedral:2") as Any },
            "bad built-in group \"dihedral:2\": the dihedral group of the N-gon needs N ≥ 3 (use cyclic:2 or klein4 for smaller cases)")
        XCTAssertTrue(message { try GroupSpec.builtin("symetric:3") as Any }.hasPrefix("unknown group \"symetric:3\""))
    }

    func testBellNumbersFromCharacters() throws {
        // ⟨χ, χ⟩ for the natural representation's k-th tensor power of S_n is the
        // number of set partitions of 2k points with at most n blocks: Bell(2k) when n ≥ 2k.
        let s4 = try FiniteGroup(spec: GroupSpec.builtin("symmetric:4")!)
        let classes = try s4.enumeration().conjugacyClasses()
        let expected = [1: 2, 2: 15]  // Bell(2) = 2, Bell(4) = 15
        for (k, bell) in expected {
            let chi = classes.character(of: try s4.representation(parsing: "natural^\(k)"))
            XCTAssertEqual(classes.innerProduct(chi, chi), .exact(Rational(bell)), "k = \(k)")
        }
        // For n = 4 < 6 = 2k: partitions of 6 points into at most 4 blocks: 203 − S(6,5) − S(6,6) = 203 − 15 − 1 = 187.
        let chi3 = classes.character(of: try s4.representation(parsing: "natural^3"))
        XCTAssertEqual(classes.innerProduct(chi3, chi3), .exact(187))
    }

    func testDirectProduct() throws {
        let d4 = try build(Self.d4)
        let c3 = try FiniteGroup(spec: GroupSpec.builtin("cyclic:3")!)
        let product = try FiniteGroup.directProduct(d4, c3)
        XCTAssertEqual(product.order, 24)
        XCTAssertEqual(product.generators, ["r", "s", "c"])
        XCTAssertEqual(product.representations.map(\.name), ["action", "vertices", "plane", "sign", "natural"])
        // D4 is presented and C3 is not, so the product is generated by the sum of faithful actions: 8 + 3 points.
        XCTAssertEqual(try product.representation(named: "action").dimension, 11)
        let classes = try product.enumeration().conjugacyClasses()
        XCTAssertEqual(classes.count, 15)  // classes multiply: 5 × 3
        let s3 = try FiniteGroup(spec: GroupSpec.builtin("symmetric:3")!)
        let square = try FiniteGroup.directProduct(s3, s3)
        XCTAssertEqual(square.generators, ["s_1", "c_1", "s_2", "c_2"])
        XCTAssertEqual(square.order, 36)
    }
}
