import Foundation
import GroupTheory
import XCTest

/// Schreier–Sims against exact orders from the literature and against a naive
/// verifier written straight from the definition (closure by breadth-first search).
final class PermutationGroupTests: XCTestCase {

    // MARK: Families with known orders

    func testSymmetricGroupOrders() throws {
        for n in Array(1...12) + [50] {
            let group = PermutationGroup(generators: try Families.symmetric(n), degree: n)
            XCTAssertEqual(group.order, BigUInt.factorial(n), "S_\(n)")
            XCTAssertEqual(group.orbits.count, 1, "S_\(n) is transitive")
        }
        XCTAssertEqual(
            PermutationGroup(generators: try Families.symmetric(50), degree: 50).order.description,
            "30414093201713378043612608166064768844377641568960512000000000000")
    }

    func testAlternatingGroupOrders() throws {
        for n in Array(3...12) + [30] {
            let group = PermutationGroup(generators: try Families.alternating(n), degree: n)
            var expected = BigUInt.factorial(n)
            _ = expected.divide(bySmall: 2)
            XCTAssertEqual(group.order, expected, "A_\(n)")
            XCTAssertFalse(group.contains(try Permutation(cycles: "(0,1)", degree: n)), "A_\(n) ∌ (0,1)")
            if n >= 4 {
                XCTAssertTrue(group.contains(try Permutation(cycles: "(0,1)(\(n - 2),\(n - 1))", degree: n)), "A_\(n)")
            }
            XCTAssertTrue(group.contains(try Permutation(cycles: "(\(n - 1),0,1)", degree: n)), "A_\(n)")
        }
    }

    func testDihedralAndCyclicOrders() throws {
        for n in 3...24 {
            let dihedral = PermutationGroup(generators: try Families.dihedral(n), degree: n)
            XCTAssertEqual(dihedral.order, BigUInt(2 * n), "D_\(n)")
            let cyclic = PermutationGroup(generators: [try Families.cycle(n)], degree: n)
            XCTAssertEqual(cyclic.order, BigUInt(n), "C_\(n)")
        }
    }

    func testHyperoctahedralOrders() throws {
        for n in 1...9 {
            let group = PermutationGroup(generators: try Families.hyperoctahedral(n), degree: 2 * n)
            let expected = BigUInt.power(2, n) * BigUInt.factorial(n)
            XCTAssertEqual(group.order, expected, "B_\(n) on \(2 * n) points")
            XCTAssertEqual(group.orbits.count, 1, "B_\(n)")
        }
    }

    func testTrivialGroups() throws {
        for n in [0, 1, 5] {
            let group = PermutationGroup(generators: [], degree: n)
            XCTAssertEqual(group.order, 1, "trivial of degree \(n)")
            XCTAssertEqual(group.base, [])
            XCTAssertEqual(group.elements(limit: 1), [Permutation.identity(n)])
            XCTAssertEqual(group.orbits.count, n)
        }
        let identities = PermutationGroup(generators: [.identity(4), .identity(4)], degree: 4)
        XCTAssertEqual(identities.order, 1)
        XCTAssertFalse(identities.contains(try Permutation(cycles: "(1,2)", degree: 4)))
    }

    // MARK: Sporadic groups and puzzles (generators also in catalogs/*.json)

    func testMathieuGroups() throws {
        for (name, order) in [("M11", "7920"), ("M12", "95040"), ("M24", "244823040")] {
            let group = try Catalog.group(name)
            XCTAssertEqual(group.order.description, order, name)
            XCTAssertEqual(try Catalog.documentedOrder(name), order, "\(name).json \"order\"")
            XCTAssertEqual(group.orbits.count, 1, "\(name) is transitive")
            XCTAssertTrue(group.isPrimitive, "\(name) is primitive")
        }
    }

    func testRubikCubes() throws {
        let rubik3 = try Catalog.group("rubik3")
        // (24!)²/2, the order of a widely shipped wrong cube group, must not come out.
        var wrong = BigUInt.factorial(24) * BigUInt.factorial(24)
        _ = wrong.divide(bySmall: 2)
        XCTAssertNotEqual(rubik3.order, wrong)
        XCTAssertEqual(rubik3.order.description, "43252003274489856000", "rubik3")
        XCTAssertEqual(try Catalog.documentedOrder("rubik3"), "43252003274489856000")
        // Corners and edges never mix: facelet orbits are the 24 corner and 24 edge facelets.
        XCTAssertEqual(rubik3.orbits.map(\.count), [24, 24])
        // The superflip is in the group; a single flipped edge (two facelets swapped) is not.
        let superflip = Permutation(images: Catalog.rubik3Superflip)
        XCTAssertTrue(rubik3.contains(superflip))
        XCTAssertFalse(rubik3.contains(try Permutation(cycles: "(6,17)", degree: 48)), "one edge flipped")
        XCTAssertTrue(rubik3.generators.allSatisfy { $0 * superflip == superflip * $0 }, "the superflip is central")

        let rubik2 = try Catalog.group("rubik2")
        XCTAssertEqual(rubik2.order.description, "3674160", "rubik2")
        XCTAssertEqual(try Catalog.documentedOrder("rubik2"), "3674160")
        XCTAssertEqual(rubik2.orbits.filter { $0.count == 1 }.count, 3, "the fixed corner's facelets")
    }

    func testCatalogFilesMatchTestLiterals() throws {
        for name in ["rubik2", "rubik3", "M11", "M12", "M24"] {
            let fromFile = try Catalog.permutationsInFile(name)
            let literal = try Catalog.literalGenerators(name)
            XCTAssertEqual(fromFile.map(\.0), literal.map(\.0), "\(name).json generator names")
            XCTAssertEqual(fromFile.map(\.1), literal.map(\.1), "\(name).json permutations")
        }
    }

    // MARK: Against the definition

    func testAgainstNaiveClosure() throws {
        var rng = SplitMix64(seed: 2024)
        var groups: [(String, [Permutation], Int)] = [
            ("S_5", try Families.symmetric(5), 5),
            ("A_6", try Families.alternating(6), 6),
            ("D_7", try Families.dihedral(7), 7),
            ("B_3", try Families.hyperoctahedral(3), 6),
            ("C_2 x C_3 x C_2", [try Permutation(cycles: "(0,1)(2,3,4)(5,6)", degree: 7)], 7),
            ("S_3 x S_3", [try Permutation(cycles: "(0,1)", degree: 6), try Permutation(cycles: "(0,1,2)", degree: 6),
                           try Permutation(cycles: "(3,4)", degree: 6), try Permutation(cycles: "(3,4,5)", degree: 6)], 6),
        ]
        for k in 0..<12 {
            let n = 4 + k % 4
            let count = 1 + k % 3
            let gens = (0..<count).map { _ in Families.random(n, using: &rng) }
            groups.append(("random #\(k) \(gens)", gens, n))
        }
        for (name, gens, n) in groups {
            let naive = Naive.closure(gens, degree: n)
            for (label, group) in [
                ("default", PermutationGroup(generators: gens, degree: n)),
                ("deterministic", PermutationGroup.deterministic(generators: gens, degree: n)),
                ("randomized", PermutationGroup.randomized(generators: gens, degree: n, seed: 99)),
            ] {
                XCTAssertEqual(group.order, BigUInt(naive.count), "\(name) \(label): order")
                let listed = group.elements(limit: 10_000)
                XCTAssertEqual(listed.map { Set($0) }, naive, "\(name) \(label): elements")
                XCTAssertEqual(listed?.first, .identity(n), "\(name) \(label): identity first")
                XCTAssertEqual(listed?.count, naive.count, "\(name) \(label): no repeats")
                XCTAssertEqual(group.orbits, Naive.orbits(naive, degree: n), "\(name) \(label): orbits")
                for _ in 0..<30 {
                    let p = Families.random(n, using: &rng)
                    XCTAssertEqual(group.contains(p), naive.contains(p), "\(name) \(label): membership of \(p)")
                }
                for point in 0..<n {
                    let stabilizer = group.stabilizer(of: point)
                    let naiveStabilizer = naive.filter { $0[point] == point }
                    XCTAssertEqual(stabilizer.order, BigUInt(naiveStabilizer.count), "\(name) \(label): G_\(point)")
                    XCTAssertTrue(stabilizer.generators.allSatisfy { $0[point] == point && naive.contains($0) },
                                  "\(name) \(label): generators of G_\(point)")
                }
            }
        }
    }

    func testRandomizedAgreesWithDeterministic() throws {
        var inputs: [(String, [Permutation], Int)] = [
            ("rubik2", try Catalog.literalPermutations("rubik2"), 24),
            ("M11", try Catalog.literalPermutations("M11"), 11),
            ("M12", try Catalog.literalPermutations("M12"), 12),
            ("S_9", try Families.symmetric(9), 9),
            ("B_5", try Families.hyperoctahedral(5), 10),
        ]
        var rng = SplitMix64(seed: 5)
        for k in 0..<6 {
            let n = 8 + k
            inputs.append(("random #\(k)", [Families.random(n, using: &rng), Families.random(n, using: &rng)], n))
        }
        for (name, gens, n) in inputs {
            let reference = PermutationGroup.deterministic(generators: gens, degree: n)
            for seed: UInt64 in [1, 2, 3] {
                let random = PermutationGroup.randomized(generators: gens, degree: n, seed: seed)
                XCTAssertEqual(random.order, reference.order, "\(name), seed \(seed)")
            }
            XCTAssertEqual(PermutationGroup(generators: gens, degree: n).order, reference.order, "\(name), default")
        }
    }

    // MARK: Structure

    func testOrbitStabilizer() throws {
        let groups: [(String, PermutationGroup)] = [
            ("M11", try Catalog.group("M11")),
            ("rubik2", try Catalog.group("rubik2")),
            ("D_6", PermutationGroup(generators: try Families.dihedral(6), degree: 6)),
            ("B_4", PermutationGroup(generators: try Families.hyperoctahedral(4), degree: 8)),
            ("S_20", PermutationGroup(generators: try Families.symmetric(20), degree: 20)),
        ]
        for (name, group) in groups {
            for point in 0..<group.degree {
                let stabilizer = group.stabilizer(of: point)
                XCTAssertEqual(stabilizer.order * BigUInt(group.orbit(of: point).count), group.order,
                               "\(name): |G_\(point)| · |\(point)^G| = |G|")
                XCTAssertTrue(stabilizer.strongGenerators.allSatisfy { group.contains($0) && $0[point] == point },
                              "\(name): G_\(point) ≤ G")
            }
        }
        // Orders of point stabilizers down the Mathieu chain: M12 > M11 > M10 > ...
        let m12 = try Catalog.group("M12")
        XCTAssertEqual(m12.stabilizer(of: 11).order, 7920)
        XCTAssertEqual(m12.stabilizer(of: 11).stabilizer(of: 10).order, 720)
    }

    func testBaseAndStrongGenerators() throws {
        for name in ["M24", "rubik3"] {
            let group = try Catalog.group(name)
            var product: BigUInt = 1
            for length in group.basicOrbitLengths { product *= BigUInt(length) }
            XCTAssertEqual(product, group.order, name)
            XCTAssertEqual(group.base.count, group.basicOrbitLengths.count, name)
            // Only the identity fixes the whole base.
            for g in group.strongGenerators {
                XCTAssertTrue(group.contains(g), "\(name): strong generator \(g)")
                XCTAssertFalse(group.base.allSatisfy { g[$0] == $0 }, "\(name): \(g) fixes the base")
            }
            for g in group.generators { XCTAssertTrue(group.contains(g), "\(name): generator") }
            // Sifting a product of generators reaches the identity at the last level.
            let word = group.generators.reduce(Permutation.identity(group.degree)) { $0 * $1 * $1 * $1 }
            let (residue, level) = group.sift(word)
            XCTAssertTrue(residue.isIdentity, name)
            XCTAssertEqual(level, group.base.count, name)
        }
    }

    func testRandomElementsAreMembers() throws {
        let m24 = try Catalog.group("M24")
        var random = ProductReplacement(generators: m24.generators, degree: 24, seed: 11)
        var rng = SplitMix64(seed: 12)
        var seen = Set<Permutation>()
        for _ in 0..<200 {
            let g = random.next()
            XCTAssertTrue(m24.contains(g), "product replacement: \(g)")
            let h = m24.randomElement(using: &rng)
            XCTAssertTrue(m24.contains(h), "uniform from the chain: \(h)")
            seen.insert(h)
            XCTAssertFalse(m24.contains(h * (try Permutation(cycles: "(0,1)", degree: 24))), "M24 has no transpositions")
        }
        XCTAssertGreaterThan(seen.count, 190, "random elements of M24 should rarely repeat")
        let a7 = PermutationGroup(generators: try Families.alternating(7), degree: 7)
        var seenA7 = Set<Permutation>()
        // 30000 uniform draws miss some element of A_7 with probability about
        // 2520·e^(-30000/2520) ≈ 2%; the seed is fixed, so the outcome is deterministic.
        for _ in 0..<30000 { seenA7.insert(a7.randomElement(using: &rng)) }
        XCTAssertEqual(seenA7.count, 2520, "uniform sampling reaches all of A_7")
    }

    func testElementsLimit() throws {
        let m11 = try Catalog.group("M11")
        XCTAssertNil(m11.elements(limit: 7919))
        let all = try XCTUnwrap(m11.elements(limit: 7920))
        XCTAssertEqual(all.count, 7920)
        XCTAssertEqual(Set(all).count, 7920)
        XCTAssertTrue(all[0].isIdentity)
        XCTAssertEqual(all, m11.elements(limit: 10_000), "deterministic order")
    }

    func testLargeSymmetricGroup() throws {
        let s100 = PermutationGroup(generators: try Families.symmetric(100), degree: 100)
        XCTAssertEqual(s100.order, BigUInt.factorial(100), "S_100")
        var rng = SplitMix64(seed: 3)
        var shuffled = Array(Int32(0)..<100)
        shuffled.shuffle(using: &rng)
        XCTAssertTrue(s100.contains(Permutation(images: shuffled)))
    }
}

// MARK: - Helpers

private enum Families {
    static func cycle(_ n: Int) throws -> Permutation {
        try Permutation(cycles: "(" + (0..<n).map(String.init).joined(separator: ",") + ")", degree: n)
    }

    /// S_n = ⟨(0,1), (0,1,…,n-1)⟩.
    static func symmetric(_ n: Int) throws -> [Permutation] {
        n < 2 ? [] : [try Permutation(cycles: "(0,1)", degree: n), try cycle(n)]
    }

    /// A_n = ⟨(0,1,2), (0,…,n-1)⟩ for n odd, ⟨(0,1,2), (1,…,n-1)⟩ for n even.
    static func alternating(_ n: Int) throws -> [Permutation] {
        let long = n % 2 == 1 ? Array(0..<n) : Array(1..<n)
        return [try Permutation(cycles: "(0,1,2)", degree: n),
                try Permutation(cycles: "(" + long.map(String.init).joined(separator: ",") + ")", degree: n)]
    }

    /// D_n on the n-gon's vertices: rotation and the reflection i ↦ -i.
    static func dihedral(_ n: Int) throws -> [Permutation] {
        [try cycle(n), Permutation(images: (0..<n).map { Int32((n - $0) % n) })]
    }

    /// B_n as signed permutations: point i is +e_i, point i + n is -e_i.
    static func hyperoctahedral(_ n: Int) throws -> [Permutation] {
        var gens = [try Permutation(cycles: "(0,\(n))", degree: 2 * n)]
        if n >= 2 {
            gens.append(try Permutation(cycles: "(0,1)(\(n),\(n + 1))", degree: 2 * n))
            let a = (0..<n).map(String.init).joined(separator: ",")
            let b = (n..<2 * n).map(String.init).joined(separator: ",")
            gens.append(try Permutation(cycles: "(\(a))(\(b))", degree: 2 * n))
        }
        return gens
    }

    static func random(_ n: Int, using rng: inout SplitMix64) -> Permutation {
        var images = Array(Int32(0)..<Int32(n))
        images.shuffle(using: &rng)
        return Permutation(images: images)
    }
}

/// Straight from the definitions: the group is the closure of the generators under
/// multiplication (finite, so products suffice), orbits are the images of a point.
private enum Naive {
    static func closure(_ generators: [Permutation], degree: Int) -> Set<Permutation> {
        var elements: Set<Permutation> = [.identity(degree)]
        var frontier: [Permutation] = [.identity(degree)]
        while let g = frontier.popLast() {
            for s in generators {
                let h = s * g
                if elements.insert(h).inserted { frontier.append(h) }
            }
        }
        return elements
    }

    static func orbits(_ elements: Set<Permutation>, degree: Int) -> [[Int]] {
        var result: [[Int]] = []
        var covered = Set<Int>()
        for point in 0..<degree where !covered.contains(point) {
            let orbit = Set(elements.map { $0[point] }).sorted()
            covered.formUnion(orbit)
            result.append(orbit)
        }
        return result
    }
}

/// The catalog groups as Swift literals, and a minimal scan of catalogs/*.json that
/// checks the files say the same (full spec loading is tested with the JSON parser).
private enum Catalog {
    enum Literal { case images([Int]), cycles(String) }

    static let literals: [String: (degree: Int, generators: [(String, Literal)])] = [
        "rubik3": (48, [
            ("U", .images([2, 4, 7, 1, 6, 0, 3, 5, 32, 33, 34, 11, 12, 13, 14, 15, 8, 9, 10, 19, 20, 21, 22, 23, 16, 17, 18, 27, 28, 29, 30, 31, 24, 25, 26, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47])),
            ("D", .images([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 23, 16, 17, 18, 19, 20, 29, 30, 31, 24, 25, 26, 27, 28, 37, 38, 39, 32, 33, 34, 35, 36, 13, 14, 15, 42, 44, 47, 41, 46, 40, 43, 45])),
            ("L", .images([16, 1, 2, 19, 4, 21, 6, 7, 10, 12, 15, 9, 14, 8, 11, 13, 40, 17, 18, 43, 20, 45, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 5, 35, 3, 37, 38, 0, 39, 41, 42, 36, 44, 34, 46, 47])),
            ("R", .images([0, 1, 37, 3, 35, 5, 6, 32, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 2, 19, 4, 21, 22, 7, 26, 28, 31, 25, 30, 24, 27, 29, 47, 33, 34, 44, 36, 42, 38, 39, 40, 41, 18, 43, 20, 45, 46, 23])),
            ("F", .images([0, 1, 2, 3, 4, 24, 27, 29, 8, 9, 7, 11, 6, 13, 14, 5, 18, 20, 23, 17, 22, 16, 19, 21, 42, 25, 26, 41, 28, 40, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 10, 12, 15, 43, 44, 45, 46, 47])),
            ("B", .images([13, 11, 8, 3, 4, 5, 6, 7, 45, 9, 10, 46, 12, 47, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 0, 27, 1, 29, 30, 2, 34, 36, 39, 33, 38, 32, 35, 37, 40, 41, 42, 43, 44, 31, 28, 26])),
        ]),
        "rubik2": (24, [
            ("U", .images([1, 3, 0, 2, 16, 17, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 18, 19, 20, 21, 22, 23])),
            ("R", .images([0, 18, 2, 16, 4, 5, 6, 7, 8, 1, 10, 3, 13, 15, 12, 14, 23, 17, 21, 19, 20, 9, 22, 11])),
            ("F", .images([0, 1, 12, 14, 4, 3, 6, 2, 9, 11, 8, 10, 21, 13, 20, 15, 16, 17, 18, 19, 5, 7, 22, 23])),
        ]),
        "M11": (11, [
            ("a", .cycles("(0,1,2,3,4,5,6,7,8,9,10)")),
            ("b", .cycles("(2,6,10,7)(3,9,4,5)")),
        ]),
        "M12": (12, [
            ("a", .cycles("(0,1,2,3,4,5,6,7,8,9,10)")),
            ("b", .cycles("(2,6,10,7)(3,9,4,5)")),
            ("c", .cycles("(0,11)(1,10)(2,5)(3,7)(4,8)(6,9)")),
        ]),
        "M24": (24, [
            ("a", .cycles("(0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22)")),
            ("b", .cycles("(2,16,9,6,8)(3,12,13,18,4)(7,17,10,11,22)(14,19,21,20,15)")),
            ("c", .cycles("(0,23)(1,22)(2,11)(3,15)(4,17)(5,9)(6,19)(7,13)(8,20)(10,16)(12,21)(14,18)")),
        ]),
    ]

    /// The superflip (every edge flipped in place) in the rubik3 numbering.
    static let rubik3Superflip: [Int32] = {
        // Edge facelet pairs (U-L, U-B, U-R, U-F, L-F, F-R, R-B, B-L, D-F, D-L, D-R, D-B).
        let pairs = [(3, 9), (1, 33), (4, 25), (6, 17), (12, 19), (20, 27), (28, 35), (36, 11),
                     (41, 22), (43, 14), (44, 30), (46, 38)]
        var images = Array(Int32(0)..<48)
        for (a, b) in pairs { images[a] = Int32(b); images[b] = Int32(a) }
        return images
    }()

    static func literalGenerators(_ name: String) throws -> [(String, Permutation)] {
        let entry = try XCTUnwrap(literals[name], "no literal for \(name)")
        return try entry.generators.map { gen, literal in
            switch literal {
            case .images(let images): return (gen, try Permutation(validating: images))
            case .cycles(let text): return (gen, try Permutation(cycles: text, degree: entry.degree))
            }
        }
    }

    static func literalPermutations(_ name: String) throws -> [Permutation] {
        try literalGenerators(name).map(\.1)
    }

    static func group(_ name: String) throws -> PermutationGroup {
        PermutationGroup(generators: try literalPermutations(name), degree: try XCTUnwrap(literals[name]).degree)
    }

    static func text(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("catalogs/\(name).json"), encoding: .utf8)
    }

    /// The `"order"` value, by a plain text scan.
    static func documentedOrder(_ name: String) throws -> String? {
        for line in try text(name).split(separator: "\n") where line.contains("\"order\":") {
            return line.split(separator: "\"")[3].description
        }
        return nil
    }

    /// The generator lines `"U": [2, 4, …]` or `"a": "(0,1)…"` of the file's one
    /// permutation representation (the catalog writes one generator per line).
    static func permutationsInFile(_ name: String) throws -> [(String, Permutation)] {
        let degree = try XCTUnwrap(literals[name]).degree
        var result: [(String, Permutation)] = []
        var inside = false
        for raw in try text(name).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("\"permutation\"") { inside = true; continue }
            guard inside else { continue }
            if line.hasPrefix("}") { break }
            let key = line.split(separator: "\"")[0...0].first.map(String.init) ?? ""
            let value = line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: ","))
            if value.hasPrefix("[") {
                let numbers = value.dropFirst().dropLast().split(separator: ",").compactMap {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                result.append((key, try Permutation(validating: numbers)))
            } else {
                result.append((key, try Permutation(cycles: value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
                                                    degree: degree)))
            }
        }
        return result
    }
}
