import XCTest
import GroupTheory

final class CosetEnumerationTests: XCTestCase {
    static let strategies: [EnumerationOptions.Strategy] = [.automatic, .hlt, .felsch]

    func presentation(_ generators: [String], _ relators: [String]) throws -> Presentation {
        try Presentation(generators: generators, relatorTexts: relators)
    }

    func order(_ p: Presentation, _ strategy: EnumerationOptions.Strategy = .automatic) throws -> Int {
        try ToddCoxeter.enumerate(p, options: .init(strategy: strategy)).cosetCount
    }

    /// Coxeter presentation from a Coxeter matrix's off-diagonal entries m[i][j].
    func coxeter(_ n: Int, edges: [(Int, Int)]) throws -> Presentation {
        let names = (1...n).map { "s\($0)" }
        var relators = names.map { "\($0)^2" }
        for i in 1...n {
            for j in (i + 1)..<(n + 1) {
                let m = edges.contains { ($0 == i && $1 == j) || ($0 == j && $1 == i) } ? 3 : 2
                relators.append("(s\(i)*s\(j))^\(m)")
            }
        }
        return try presentation(names, relators)
    }

    /// PSL(2,p) = ⟨x,y | x^p, y², (xy)³, (x⁴ y x^((p+1)/2) y)²⟩, p ≥ 5 prime
    /// (Sunday 1972; Coxeter & Moser §7.5). Orders checked against GAP.
    func psl2(_ p: Int) throws -> Presentation {
        try presentation(["x", "y"], ["x^\(p)", "y^2", "(x*y)^3", "(x^4*y*x^\((p + 1) / 2)*y)^2"])
    }

    // MARK: Orders

    func testClassicalOrders() throws {
        let cases: [(String, [String], [String], Int)] = [
            ("trivial", [], [], 1),
            ("C1", ["a"], ["a"], 1),
            ("A4", ["a", "b"], ["a^2", "b^3", "(a*b)^3"], 12),
            ("S4", ["a", "b"], ["a^2", "b^3", "(a*b)^4"], 24),
            ("A5", ["a", "b"], ["a^2", "b^3", "(a*b)^5"], 60),
            ("PSL(2,7)", ["a", "b"], ["a^2", "b^3", "(a*b)^7", "[a,b]^4"], 168),
            ("Q8", ["i", "j"], ["i^4", "i^2 = j^2", "j^-1 i j = i^-1"], 8),
            ("C2 x C2", ["a", "b"], ["a^2", "b^2", "[a,b]"], 4),
            ("S3 as <a,b>", ["a", "b"], ["a^3", "b^2", "a b = b a^-1"], 6),
            ("C3 x C3", ["x", "y"], ["x^3", "y^3", "x^-1 y^-1 x y"], 9),
            ("trivial from C5/C3", ["a"], ["a^5", "a^3"], 1),
        ]
        for (name, generators, relators, expected) in cases {
            let p = try presentation(generators, relators)
            for strategy in Self.strategies {
                XCTAssertEqual(try order(p, strategy), expected, "\(name), \(strategy)")
            }
        }
        let a5 = try presentation(["a", "b"], ["a^2", "b^3", "(a*b)^5"])
        XCTAssertEqual(try a5.order(), BigUInt(60))
    }

    func testCyclicAndDihedralFamilies() throws {
        for n in 1...24 {
            let cyclic = try presentation(["a"], ["a^\(n)"])
            let dihedral = try presentation(["r", "s"], ["r^\(n)", "s^2", "(s*r)^2"])
            for strategy in Self.strategies {
                XCTAssertEqual(try order(cyclic, strategy), n, "C\(n), \(strategy)")
                XCTAssertEqual(try order(dihedral, strategy), 2 * n, "D\(n), \(strategy)")
            }
        }
    }

    func testPSL2pSeries() throws {
        for p in [5, 7, 11, 13, 17, 19, 23] {
            let expected = p * (p * p - 1) / 2
            for strategy: EnumerationOptions.Strategy in [.automatic, .hlt] {
                XCTAssertEqual(try order(psl2(p), strategy), expected, "PSL(2,\(p)), \(strategy)")
            }
        }
        XCTAssertEqual(try order(psl2(7), .felsch), 168)
    }

    func testWeylGroupE6() throws {
        let e6 = try coxeter(6, edges: [(1, 3), (3, 4), (4, 5), (5, 6), (2, 4)])
        for strategy in Self.strategies {
            XCTAssertEqual(try order(e6, strategy), 51_840, "E6, \(strategy)")
        }
        // Parabolic subgroup of type D5 (drop s1): index 27, the 27 lines on a cubic surface.
        let d5 = (2...6).map { Word.generator($0 - 1) }
        XCTAssertEqual(try ToddCoxeter.enumerate(e6, subgroup: d5).cosetCount, 27)
    }

    func testWeylGroupE7() throws {
        #if DEBUG
        // About 3 s in release; much slower unoptimized.
        guard ProcessInfo.processInfo.environment["ARCHSYNTH_SLOW_TESTS"] == "1" else {
            throw XCTSkip("E7 runs in release builds or with ARCHSYNTH_SLOW_TESTS=1")
        }
        #endif
        let e7 = try coxeter(7, edges: [(1, 3), (3, 4), (4, 5), (5, 6), (6, 7), (2, 4)])
        let table = try ToddCoxeter.enumerate(e7)
        XCTAssertEqual(table.cosetCount, 2_903_040)
        XCTAssertTrue(table.isStandardized)
        // Spot-check the relators at a spread of cosets.
        for c in stride(from: 0, to: table.cosetCount, by: 9973) {
            for relator in e7.relators {
                XCTAssertEqual(table.image(ofCoset: c, under: relator), c)
            }
        }
    }

    // MARK: Subgroups

    func testIndexOfSubgroups() throws {
        let g168 = try presentation(["a", "b"], ["a^2", "b^3", "(a*b)^7", "[a,b]^4"])
        let a = Word.generator(0), b = Word.generator(1)
        for strategy in Self.strategies {
            let options = EnumerationOptions(strategy: strategy)
            XCTAssertEqual(try ToddCoxeter.enumerate(g168, subgroup: [b], options: options).cosetCount, 56)
            XCTAssertEqual(try ToddCoxeter.enumerate(g168, subgroup: [a], options: options).cosetCount, 84)
            XCTAssertEqual(try ToddCoxeter.enumerate(g168, subgroup: [a, b], options: options).cosetCount, 1)
            // ⟨b, a b a b^-1 a⟩ has index 7 (GAP agrees) — subgroup word from the parser.
            let s4 = try Presentation.parseWord("a b a b^-1 a", generators: ["a", "b"])
            XCTAssertEqual(try ToddCoxeter.enumerate(g168, subgroup: [b, s4], options: options).cosetCount, 7)
        }
        XCTAssertEqual(try g168.index(ofSubgroup: [b]), 56)
    }

    // MARK: Exact tables

    /// A4 = ⟨x,y | x², y³, (xy)³⟩ over H = ⟨y⟩. With x = (1,2)(3,4), y = (1,2,3) acting
    /// on the right, Hg corresponds to the point 4·g: H ↔ 4, Hx ↔ 3, Hxy ↔ 1, Hxy⁻¹ ↔ 2.
    /// Reading each column (x, x⁻¹, y, y⁻¹) off the point action gives the table
    /// (GAP's standardized CosetTableFromGensAndRels agrees).
    func testStandardizedTableOfA4OverCyclicSubgroup() throws {
        let a4 = try presentation(["x", "y"], ["x^2", "y^3", "(x*y)^3"])
        for strategy in Self.strategies {
            let t = try ToddCoxeter.enumerate(a4, subgroup: [Word.generator(1)], options: .init(strategy: strategy))
            XCTAssertEqual(t.cosetCount, 4)
            XCTAssertEqual(t.width, 4)
            XCTAssertEqual(t.table, [
                1, 1, 0, 0,
                0, 0, 2, 3,
                3, 3, 3, 1,
                2, 2, 1, 2,
            ], "\(strategy)")
            XCTAssertTrue(t.isStandardized)
            XCTAssertEqual(t.representativeWords.map(\.letters), [[], [1], [1, 2], [1, -2]])
        }
    }

    /// ⟨x,y | x³, y³, [x,y]⟩ ≅ C3 × C3 over H = ⟨x⟩: cosets H, Hy, Hy² and x acts trivially
    /// (the example of sympy's test_coset_table.py, derived by hand).
    func testStandardizedTableOfC3xC3() throws {
        let g = try presentation(["x", "y"], ["x^3", "y^3", "x^-1 y^-1 x y"])
        let t = try ToddCoxeter.enumerate(g, subgroup: [Word.generator(0)])
        XCTAssertEqual(t.table, [0, 0, 1, 2, 1, 1, 2, 0, 2, 2, 0, 1])
    }

    func testStandardizationRenumbers() throws {
        // The same coset action of C3 with cosets 1 and 2 swapped: 0 -a-> 2 -a-> 1 -a-> 0.
        let t = CosetTable(generatorCount: 1, table: [2, 1, 0, 2, 1, 0])
        XCTAssertFalse(t.isStandardized)
        let s = t.standardized()
        XCTAssertTrue(s.isStandardized)
        XCTAssertEqual(s.table, [1, 2, 2, 0, 0, 1])
        XCTAssertEqual(s.standardized(), s)
    }

    // MARK: Derived data, checked from the definitions

    func testRegularRepresentationAndRepresentatives() throws {
        let groups: [(Presentation, Int)] = [
            (try presentation(["a", "b"], ["a^2", "b^3", "(a*b)^7", "[a,b]^4"]), 168),
            (try presentation(["i", "j"], ["i^4", "i^2 = j^2", "j^-1 i j = i^-1"]), 8),
            (try presentation(["r", "s"], ["r^5", "s^2", "(s*r)^2"]), 10),
            (try coxeter(4, edges: [(1, 2), (2, 3), (3, 4)]), 120),
        ]
        for (p, order) in groups {
            let t = try ToddCoxeter.enumerate(p)
            XCTAssertEqual(t.cosetCount, order)
            XCTAssertTrue(t.isStandardized)
            let rho = t.regularRepresentation
            XCTAssertEqual(rho.count, p.generatorCount)
            // A homomorphism: every relator evaluates to the identity as a matrix product.
            func evaluate(_ w: Word, _ images: [Permutation]) -> Permutation {
                w.letters.reduce(Permutation.identity(order)) { acc, letter in
                    let g = images[Word.generatorIndex(letter)]
                    return acc * (letter > 0 ? g : g.inverse)
                }
            }
            for (relator, text) in zip(p.relators, p.relatorTexts) {
                XCTAssertTrue(evaluate(relator, rho).isIdentity, "relator \(text)")
            }
            // ρ(w) sends coset c to c·w⁻¹; ρ(w)⁻¹ sends coset 0 to the coset of w.
            let words = t.representativeWords
            for (c, w) in words.enumerated() {
                XCTAssertEqual(t.image(ofCoset: 0, under: w), c)
                XCTAssertEqual(evaluate(w, rho).inverse[0], c)
                XCTAssertEqual(w, t.representativeWord(ofCoset: c))
            }
            // Breadth-first normal forms: lengths never decrease.
            XCTAssertEqual(words.map(\.count), words.map(\.count).sorted())
            // Transitive: the orbit of 0 under the generators is everything.
            var seen: Set<Int> = [0]
            var frontier = [0]
            while let c = frontier.popLast() {
                for g in rho where seen.insert(g[c]).inserted { frontier.append(g[c]) }
            }
            XCTAssertEqual(seen.count, order)
            // Regular: only the identity fixes a point.
            for w in words.dropFirst() { XCTAssertNotEqual(evaluate(w, rho)[0], 0) }
            // The right action permutations are the inverses of ρ.
            XCTAssertEqual(t.rightActionPermutations(), rho.map(\.inverse))
        }
    }

    // MARK: Infinite groups and limits

    func testInfiniteGroupsHitTheLimit() throws {
        let infinite = [
            try presentation(["a", "b"], []),
            try presentation(["a", "b"], ["a^2", "b^3"]),
            try presentation(["a", "b"], ["a^2", "b^3", "(a*b)^7"]),
            try presentation(["a"], []),
        ]
        for p in infinite {
            for strategy in Self.strategies {
                XCTAssertThrowsError(try ToddCoxeter.enumerate(p, options: .init(maxCosets: 100_000, strategy: strategy))) { error in
                    guard case let .cosetLimitExceeded(limit, _) = error as? EnumerationError else {
                        return XCTFail("\(error)")
                    }
                    XCTAssertEqual(limit, 100_000)
                }
            }
        }
        XCTAssertThrowsError(try infinite[0].order(options: .init(maxCosets: 1000))) { error in
            XCTAssertTrue("\(error)".hasPrefix("coset enumeration exceeded the limit of 1000 cosets ("), "\(error)")
            XCTAssertTrue("\(error)".contains("the group may be infinite"))
            // The limit to raise, by its option; the command line adds its flag (LimitFlags).
            XCTAssertTrue("\(error)".contains("Raise the limit with EnumerationOptions.maxCosets;"), "\(error)")
            XCTAssertFalse("\(error)".contains("--max-cosets"), "GroupTheory names no command-line flag: \(error)")
        }
        // A limit of exactly the index suffices for a small group.
        XCTAssertEqual(try ToddCoxeter.enumerate(presentation(["a"], ["a^7"]), options: .init(maxCosets: 7)).cosetCount, 7)
    }

    func testBadWordsAreRejected() throws {
        let p = Presentation(generators: ["a"], relators: [Word([1, 1]), Word([2])], relatorTexts: ["a^2", "b"])
        XCTAssertThrowsError(try ToddCoxeter.enumerate(p)) { error in
            XCTAssertEqual("\(error)", "the word \"b\" uses letter 2, but the presentation has only 1 generator")
        }
    }
}
