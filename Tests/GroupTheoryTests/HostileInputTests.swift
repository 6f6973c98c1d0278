import Foundation
import GroupTheory
import XCTest

/// Regression tests for issue 12, "Crashes and traps on user input": each input
/// here once overflowed the stack, trapped, hung or ran out of memory; now each is
/// answered quickly, with a clear error where it is wrong.
final class HostileInputTests: XCTestCase {
    func build(_ json: String, options: GroupOptions = GroupOptions()) throws -> FiniteGroup {
        try FiniteGroup(spec: GroupSpec(json: json, origin: "test.json"), options: options)
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    /// A relator-free spec with one matrix representation `m`.
    func matrixSpec(_ images: [String: String]) -> String {
        let body = images.keys.sorted().map { "\"\($0)\": \(images[$0]!)" }.joined(separator: ", ")
        let generators = images.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"name": "M", "generators": [\#(generators)], "representations": {"m": {"matrix": {\#(body)}}}}"#
    }

    // MARK: Nesting depth

    func testRepresentationExpressionDepthIsBounded() throws {
        let limit = RepresentationExpression.maximumDepth
        XCTAssertEqual(limit, 1_000)
        // Deep enough to overflow the stack before the bound existed.
        for text in [
            String(repeating: "(", count: 10_000) + "V" + String(repeating: ")", count: 10_000),
            String(repeating: "dual(", count: 10_000) + "V" + String(repeating: ")", count: 10_000),
            Array(repeating: "V", count: 20_000).joined(separator: "+"),
            Array(repeating: "V", count: 20_000).joined(separator: "*"),
            "V" + String(repeating: "^1", count: 5_000),
        ] {
            XCTAssertThrowsError(try RepresentationExpression(parsing: text)) { error in
                guard case let .tooDeep(_, _, reported) = error as? RepresentationExpressionError else {
                    return XCTFail("expected tooDeep, got \(error)")
                }
                XCTAssertEqual(reported, limit)
                XCTAssertTrue("\(error)".contains("nests deeper than 1000 levels"), "\(error)")
            }
        }
        // Just inside the bound still parses, and the tree is what was written.
        let nested = String(repeating: "(", count: 998) + "V" + String(repeating: ")", count: 998)
        XCTAssertEqual(try RepresentationExpression(parsing: nested), .named("V"))
        let sum = try RepresentationExpression(parsing: Array(repeating: "V", count: 900).joined(separator: "+"))
        XCTAssertEqual(sum.summands.count, 1)
        XCTAssertEqual(sum.summands[0].multiplicity, 900)
    }

    func testMultiplicityWithTooManyDigitsNamesTheNumber() throws {
        XCTAssertEqual(try RepresentationExpression(parsing: "999999999*V"), .tensor(.trivial(999_999_999), .named("V")))
        XCTAssertThrowsError(try RepresentationExpression(parsing: "99999999999999999999*regular")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("the integer 99999999999999999999"), message)
            XCTAssertTrue(message.contains("at most 9 digits"), message)
            XCTAssertTrue(message.contains("position 0"), message)
        }
    }

    func testRelatorNestingIsBounded() throws {
        XCTAssertEqual(Presentation.maximumNesting, 256)
        var commutator = "a"
        for _ in 0..<10_000 { commutator = "[\(commutator),a]" }
        for text in [String(repeating: "(", count: 30_000) + "a" + String(repeating: ")", count: 30_000), commutator] {
            XCTAssertThrowsError(try Presentation(generators: ["a"], relatorTexts: [text])) { error in
                guard case let .tooDeep(location, limit) = error as? PresentationError else {
                    return XCTFail("expected tooDeep, got \(error)")
                }
                XCTAssertEqual(limit, 256)
                XCTAssertEqual(location.position, 257)
                XCTAssertTrue("\(error)".contains("deeper than 256 levels"), "\(error)")
            }
        }
        let fine = String(repeating: "(", count: 256) + "a" + String(repeating: ")", count: 256)
        XCTAssertEqual(try Presentation(generators: ["a"], relatorTexts: [fine]).relators, [Word([1])])
    }

    func testLongCommutatorIsRefusedBeforeExpanding() throws {
        // [r,s,s,…,s] with 40 entries doubles 39 times: 2^40 letters unchecked.
        let text = "[" + (["r"] + Array(repeating: "s", count: 39)).joined(separator: ",") + "]"
        XCTAssertThrowsError(try Presentation(generators: ["r", "s"], relatorTexts: [text])) { error in
            guard case let .wordTooLong(_, limit) = error as? PresentationError else {
                return XCTFail("expected wordTooLong, got \(error)")
            }
            XCTAssertEqual(limit, Presentation.maximumWordLength)
        }
        // A short left-normed commutator is still what it was: [r,s,s] = [[r,s],s].
        let p = try Presentation(generators: ["r", "s"], relatorTexts: ["[r,s,s]", "[[r,s],s]"])
        XCTAssertEqual(p.relators[0], p.relators[1])
    }

    // MARK: Coset enumeration

    func testLongRelatorStopsAtTheCosetLimit() throws {
        // Building every rotation of a^1000000 took Σ|r|² letters (past 300 s).
        let p = try Presentation(generators: ["a"], relatorTexts: ["a^1000000"])
        XCTAssertThrowsError(try p.order(options: .init(maxCosets: 1_000))) { error in
            XCTAssertEqual(error as? EnumerationError, .cosetLimitExceeded(limit: 1_000, liveCosets: 1_000))
        }
        let two = try Presentation(generators: ["a", "b"], relatorTexts: ["a^5000 b^5000"])
        XCTAssertThrowsError(try two.order(options: .init(maxCosets: 1_000)))
        // A redundant long relator with a short one that kills the generator.
        XCTAssertEqual(try Presentation(generators: ["r"], relatorTexts: ["r^999", "r"]).order(), 1)
        // And a long relator that closes: the cyclic group of order 1,000.
        XCTAssertEqual(try Presentation(generators: ["a"], relatorTexts: ["a^1000"]).order(), 1_000)
    }

    func testGeneratorInNoRelatorIsAnInfiniteGroup() throws {
        let names = (0..<100_000).map { "g\($0)" }
        let quoted = names.map { "\"\($0)\"" }.joined(separator: ",")
        let images = names.map { "\"\($0)\": [0]" }.joined(separator: ",")
        let json = #"{"name": "F", "generators": [\#(quoted)], "relators": ["g1^2"], "representations": {"t": {"permutation": {\#(images)}}}}"#
        let text = message { try self.build(json) }
        XCTAssertTrue(text.contains("generator \"g0\" appears in no relator, so it has infinite order"), text)
    }

    // MARK: Relator-free matrix groups

    func testMatricesOfInfiniteOrderAreRefused() throws {
        for (images, expected) in [
            (["a": "[[2]]"], "has determinant 2, not ±1"),
            (["a": "[[2.5, 0], [0, 0.4]]"], "has an entry above"),
            (["a": "[[2, 0], [0, \"1/2\"]]"], "has an entry above"),
        ] {
            let text = message { try self.build(self.matrixSpec(images)) }
            XCTAssertTrue(text.contains("do not generate a finite group"), text)
            XCTAssertTrue(text.contains(expected), text)
        }
    }

    func testInfiniteMatrixGroupsStopAtTheElementLimit() throws {
        var options = GroupOptions()
        options.maxElements = 2_000
        for images in [["a": "[[1, 1], [0, 1]]"], ["a": "[[0.6, -0.8], [0.8, 0.6]]"]] {
            XCTAssertThrowsError(try build(matrixSpec(images), options: options)) { error in
                guard case let .closureLimitExceeded(_, limit) = error as? GroupError else {
                    return XCTFail("expected closureLimitExceeded, got \(error)")
                }
                XCTAssertEqual(limit, 2_000)
            }
        }
    }

    func testNearlyExactMatricesAreNotCountedTwice() throws {
        // r = [[0, −c], [1/c, 0]] with c = 0.9999995 generates D4 with s: the entries of
        // r's powers straddle a 1e-6 rounding boundary, which once gave order 12.
        let c = 0.9999995
        let g = try build(matrixSpec(["r": "[[0, \(-c)], [\(1 / c), 0]]", "s": "[[1, 0], [0, -1]]"]))
        XCTAssertEqual(g.order, 8)
        let classes = try g.enumeration().conjugacyClasses()
        XCTAssertEqual(classes.sizes.sorted(), [1, 1, 2, 2, 2])
    }

    func testUncheckedMatrixRepresentationIsRefused() throws {
        // C7 by a 7-cycle, with a real rotation by 2π/7 that cannot be checked with a
        // listing limit of 5 elements and no relators.
        let angle = 2 * Double.pi / 7
        let (c, s) = (cos(angle), sin(angle))
        let json = #"{"name": "C7", "generators": ["g"], "representations": {"points": {"permutation": {"g": [1,2,3,4,5,6,0]}}, "plane": {"matrix": {"g": [[\#(c), \#(-s)], [\#(s), \#(c)]]}}}}"#
        var options = GroupOptions()
        options.maxElements = 5
        let text = message { try self.build(json, options: options) }
        XCTAssertTrue(text.contains("representation \"plane\" cannot be checked to be a homomorphism"), text)
        XCTAssertTrue(text.contains("raise GroupOptions.maxElements to 7"), text)
        // With room to list the elements it is checked, and accepted.
        XCTAssertEqual(try build(json).order, 7)
    }

    // MARK: Words and powers

    func testSignedPermutationPowerMatchesRepeatedProducts() throws {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<50 {
            let n = 1 + Int(rng.next() % 9)
            var images = Array(0..<n).map(Int32.init)
            images.shuffle(using: &rng)
            let signs = (0..<n).map { _ in rng.next() % 2 == 0 ? Int8(1) : Int8(-1) }
            let p = SignedPermutation(images: images, signs: signs)
            var product = SignedPermutation.identity(n)
            for e in 0..<20 {
                XCTAssertEqual(p.power(e), product, "\(p)^\(e)")
                product = product * p
            }
        }
    }

    func testElementWordsAreStoredAsATree() throws {
        // C_3000: the longest word has 2,999 letters; the tree keeps O(|G|) memory.
        let g = try FiniteGroup(spec: GroupSpec.builtin("cyclic:3000")!)
        let e = try g.enumeration()
        XCTAssertEqual(e.count, 3_000)
        XCTAssertEqual(e.words.lengths.max(), 2_999)
        for x in [0, 1, 17, 1_499, 2_999] {
            XCTAssertEqual(e.element(of: e.words[x]), x)
        }
        XCTAssertEqual(e.order(of: e.element(of: .generator(0))), 3_000)
        XCTAssertEqual(e.order(of: e.element(of: Word(Array(repeating: 1, count: 750)))), 4)
        // Characters of the natural representation: r^k fixes no point unless k = 0.
        let classes = e.conjugacyClasses()
        XCTAssertEqual(classes.count, 3_000)
        let chi = classes.character(of: try g.representation(named: "natural"))
        XCTAssertEqual(chi.filter { $0 != .exact(.zero) }, [.exact(Rational(3_000))])
    }

    func testBuiltinFamilyLimits() throws {
        for (family, largest) in GroupSpec.largestFamilyParameter {
            XCTAssertThrowsError(try GroupSpec.builtin("\(family):\(largest + 1)")) { error in
                XCTAssertTrue("\(error)".contains("above the supported \(largest)"), "\(error)")
            }
        }
        // Built-in representations are homomorphisms by construction, and say so.
        let s200 = try FiniteGroup(spec: GroupSpec.builtin("symmetric:200")!)
        XCTAssertEqual(s200.order, BigUInt.factorial(200))
        XCTAssertTrue(s200.validationNotes.contains("sign is a homomorphism from natural by construction (built-in family)"))
    }

    // MARK: Numbers too large for Int (issue 18: no trap on any input)

    /// A cycle point with 25 digits overflowed Int while it was read and trapped; it is now
    /// out of range like any other point ≥ the degree.
    func testCyclePointWithManyDigitsIsOutOfRange() {
        let text = message { try Permutation(cycles: "(9999999999999999999999999,1)", degree: 5) }
        XCTAssertTrue(text.contains("outside 0..<5"), text)
        let spec = #"{"name": "C", "generators": ["a"], "representations": {"p": {"permutation": {"a": "(0,18446744073709551617)"}}}}"#
        XCTAssertTrue(message { try self.build(spec) }.contains("or more"), message { try self.build(spec) })
    }

    /// A real value within 1e-9 of an integer beyond Int's range trapped when printed.
    func testHugeRealEntryPrints() {
        XCTAssertEqual(ExactOrReal.real(1e20).description, "1e+20")
        XCTAssertEqual(ExactOrReal.real(-3.0000000000001).description, "-3")
    }
}
