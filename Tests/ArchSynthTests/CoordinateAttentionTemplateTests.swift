@testable import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// The generated coordinate-attention files compiled and verified by `VerificationHarness`
/// (the code `archsynth verify FILE.swift` runs): TwoStep with a [U,U] refinement obeys [W,U]
/// over all pairs of a 3×3 grid, the G₁ × G₂ form obeys its law over all of S₅ × S₄ (2880
/// pairs) on random and out-of-distribution inputs. (The plain template and its mutation are
/// checked through the command line in archsynthTests.)
final class CoordinateAttentionTemplateTests: XCTestCase {
    func verify(_ source: String, name: String) throws -> [LawVerificationReport] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try VerificationHarness(compilerFlags: ["-warnings-as-errors"]).verify(file: url)
    }

    func testTwoStepTemplateObeysWU() throws {
        let t = try CoordinateAttentionTemplate(typeName: "TwoStepFixture", height: 3, width: 3, channels: 2, depth: 2, refineDepth: 2)
        let source = t.source(command: "test")
        XCTAssertTrue(source.contains("RegistrationNetworks.twoStep"))
        let reports = try verify(source, name: "TwoStepFixture")
        // [W,U] on the resultants and in coordinates (grid units).
        XCTAssertEqual(reports.count, 2)
        for r in reports {
            XCTAssertEqual(r.elementCount, 81)
            XCTAssertTrue(r.allElements)
            XCTAssertEqual(r.results.count, OutOfDistributionInputs.allCases.count)
            XCTAssertTrue(r.passed, r.text)
        }
    }

    func testCorrespondenceOverAllOfS5xS4() throws {
        let r = GroupResolver()
        let t = try CorrespondenceTemplate(
            typeName: "S5S4Correspondence", groups: (try r.resolve("symmetric:5"), try r.resolve("symmetric:4")), specs: ("symmetric:5", "symmetric:4"),
            representations: ("natural", "natural"), channels: 3, depth: 2)
        XCTAssertEqual(t.sizes.0, 5)
        XCTAssertEqual(t.sizes.1, 4)
        XCTAssertEqual(t.lawElementCount, 2880)
        let reports = try verify(t.source(command: "test"), name: "S5S4Correspondence")
        XCTAssertEqual(reports.count, 1)
        XCTAssertEqual(reports[0].elementCount, 2880)
        XCTAssertTrue(reports[0].allElements)
        XCTAssertEqual(reports[0].results.count, InputFamily.allCases.count)
        XCTAssertTrue(reports[0].passed, reports[0].text)
    }

    /// C₆₄ × C₂ on the regular representations: Hom(ρ, ρ) of C₆₄ has 64 · 64 = 4,096 entries,
    /// which were printed as a 4,096-tuple literal (swiftc above 4 GB); they are now columns stored
    /// packed, and the file compiles warning-free and passes its law over all 128 pairs.
    func testLargeCorrespondenceTablesArePackedAndVerify() throws {
        let r = GroupResolver()
        let t = try CorrespondenceTemplate(
            typeName: "C64C2", groups: (try r.resolve("cyclic:64"), try r.resolve("cyclic:2")), specs: ("cyclic:64", "cyclic:2"),
            representations: ("regular", "regular"), channels: 1, depth: 1)
        XCTAssertEqual(t.lawElementCount, 128)
        let source = t.source(command: "test")
        XCTAssertTrue(source.contains("static let blockARows: [Int] = GeneratedTables.integers("), "the Hom(ρ, ρ) rows are packed")
        XCTAssertFalse(source.contains("[(Int, Int, Int, Double)] = ["), "no tuple literal")
        let reports = try verify(source, name: "C64C2")
        XCTAssertEqual(reports.first?.elementCount, 128)
        XCTAssertTrue(reports.first?.passed ?? false, reports.first?.text ?? "no report")
    }

    /// Sizes are checked from the group orders and dimensions before any element is listed:
    /// C₁₀₀₀ on 4000*regular (4 million points) is refused at once, naming --max-constants.
    func testCorrespondenceSizeIsCheckedBeforeListingElements() throws {
        let r = GroupResolver()
        XCTAssertThrowsError(try CorrespondenceTemplate(
            typeName: "T", groups: (try r.resolve("cyclic:1000"), try r.resolve("cyclic:2")), specs: ("cyclic:1000", "cyclic:2"),
            representations: ("4000*regular", "regular"), channels: 1, depth: 1)) { error in
            XCTAssertTrue("\(error)".contains("--max-constants"), "\(error)")
        }
        var limits = GenerationLimits()
        limits.maxConstants = 100
        XCTAssertThrowsError(try CorrespondenceTemplate(
            typeName: "T", groups: (try r.resolve("symmetric:3"), try r.resolve("symmetric:3")), specs: ("symmetric:3", "symmetric:3"),
            representations: ("natural", "natural"), channels: 1, depth: 1, limits: limits)) { error in
            // 2 · (6 · 3 + 4 · 3²) = 108 constants.
            XCTAssertTrue("\(error)".contains("108 constants"), "\(error)")
        }
    }

    /// The elements the correspondence law runs over, listed from point permutations: the group
    /// orders are known (|C₄| = 4, |S₄| = 24, |A₇| = 7!/2 = 2520), every element is a bijection,
    /// none repeats, the identity is first; |S₈| = 40320 is above `maxElements` (5040), so nil.
    func testPointPermutationsListEveryElementOnce() throws {
        func perm(_ images: [Int]) throws -> GroupTheory.Permutation { try GroupTheory.Permutation(validating: images) }
        let cases: [(generators: [[Int]], degree: Int, order: Int)] = [
            ([[1, 2, 3, 0]], 4, 4),
            ([[1, 0, 2, 3], [1, 2, 3, 0]], 4, 24),
            ([[1, 2, 0, 3, 4, 5, 6], [0, 1, 3, 4, 5, 6, 2]], 7, 2520),   // (0 1 2), (2 3 4 5 6) generate A₇
        ]
        for c in cases {
            let list = try XCTUnwrap(CorrespondenceTemplate.pointPermutations(generatedBy: try c.generators.map(perm), degree: c.degree), "\(c.generators)")
            XCTAssertEqual(list.count, c.order, "\(c.generators)")
            XCTAssertEqual(list.first, Array(0..<c.degree))
            XCTAssertEqual(Set(list).count, list.count, "no element twice")
            XCTAssertTrue(list.allSatisfy { Set($0) == Set(0..<c.degree) && $0.count == c.degree }, "every element a bijection")
        }
        let s8 = [try perm([1, 0, 2, 3, 4, 5, 6, 7]), try perm([1, 2, 3, 4, 5, 6, 7, 0])]
        XCTAssertNil(CorrespondenceTemplate.pointPermutations(generatedBy: s8, degree: 8))
    }

    func testCorrespondenceLawRejectsAMismatchedAction() throws {
        // The law itself can fail: P from unequivariant (dense) features breaks it.
        let elementsA = [[0, 1, 2], [1, 2, 0], [2, 0, 1]], elementsB = [[0, 1], [1, 0]]
        let law = SoftCorrespondence.law(elementsA: elementsA, elementsB: elementsB)
        XCTAssertEqual(law.elementCount, 6)
        var b = GraphBuilder(inputSizes: [3, 2])
        let fa = b.apply(TiedLinear.dense(inputSize: 3, outputSize: 6), [b.inputs[0]])
        let fb = b.apply(TiedLinear.dense(inputSize: 2, outputSize: 4), [b.inputs[1]])
        let p = b.apply(SoftCorrespondence(pointsA: 3, pointsB: 2, channels: 2), [fa, fb])
        let g = b.build(output: p)
        var rng = RuntimeRandom(seed: 3)
        let theta = rng.normals(g.parameterCount)
        XCTAssertGreaterThan(law.check(inputSizes: [3, 2], families: [.standardNormal]) { g.forward(theta, $0) }.worst, 0.01)
    }

    func testTemplateArgumentsAreChecked() {
        XCTAssertThrowsError(try CoordinateAttentionTemplate(typeName: "T", height: 4, width: 4, channels: 2, depth: 1, stencil: 2))
        XCTAssertThrowsError(try CoordinateAttentionTemplate(typeName: "T", height: 1, width: 1, channels: 2, depth: 1))
        XCTAssertThrowsError(try CoordinateAttentionTemplate(typeName: "1T", height: 4, width: 4, channels: 2, depth: 1))
    }
}
