import ArchSynthRuntime
import XCTest

/// `Law.generated` (the enumeration behind every `verify`) and `GeneratedModelVerifier`.
final class GeneratedLawTests: XCTestCase {
    /// D_4 on the square's corners (rotation r, reflection s) acting on R^4 on both sides.
    static let rotation = LinearAction.permutation([1, 2, 3, 0])
    static let reflection = LinearAction.permutation([3, 2, 1, 0])
    static func law(limit: Int = 5_000) -> Law {
        let gens = [rotation, reflection]
        return Law.generated(
            name: "D4", generatorCount: 2, inputSizes: [4], outputSize: 4,
            actOnInputs: { g, x in [gens[g].apply(x[0])] }, actOnOutput: { g, y in gens[g].apply(y) }, limit: limit)
    }

    func testTheTreeWalkAgreesWithActingByEachElement() {
        let law = Self.law()
        XCTAssertTrue(law.isComplete)
        XCTAssertEqual(law.elementCount, 8)
        XCTAssertNotNil(law.tree)
        // Every element's images: walking the tree equals applying the element's word.
        let x = [[0.3, -1.2, 2.5, 0.7]]
        var images = Set<[Double]>()
        for e in 0..<law.elementCount { images.insert(law.actOnInputs(e, x)[0]) }
        XCTAssertEqual(images.count, 8, "eight distinct elements")
        // A map that is not equivariant (it weights coordinates differently): the walk and the
        // element-by-element check find the same worst error, and it is large.
        let broken: ([[Double]]) -> [Double] = { x in x[0].enumerated().map { Double($0.offset + 1) * $0.element } }
        let plain = Law(name: "D4", elementCount: law.elementCount, isComplete: true, actOnInputs: law.actOnInputs, actOnOutput: law.actOnOutput)
        let walked = law.worstError(at: x, broken), direct = plain.worstError(at: x, broken)
        XCTAssertEqual(walked.error, direct.error, accuracy: 1e-15)
        XCTAssertGreaterThan(walked.error, 0.1)
        // An equivariant map (x ↦ 2x + mean) passes on every family, for several maps at once.
        let good: ([[Double]]) -> [Double] = { x in let m = x[0].reduce(0, +) / 4; return x[0].map { 2 * $0 + m } }
        let reports = law.check(inputSizes: [4], maps: [good, broken])
        XCTAssertLessThan(reports[0].worst, 1e-15)
        XCTAssertGreaterThan(reports[1].worst, 0.1)
        XCTAssertEqual(reports[0].results.count, InputFamily.allCases.count)
    }

    func testAboveTheLimitGeneratorsAndRandomWords() {
        let law = Self.law(limit: 4)
        XCTAssertFalse(law.isComplete)
        XCTAssertNil(law.tree)
        XCTAssertEqual(law.elementCount, 2 + 200)
    }

    func testSparseActionsFromTriples() {
        // y = ρ x with ρ = [[0, -1], [1, 0]] (a quarter turn), as `verify --spec` passes it.
        let a = LinearAction.sparse(dimension: 2, triples: "0 1 -1 1 0 1")
        XCTAssertEqual(a?.apply([3, 5]), [-5, 3])
        XCTAssertNil(LinearAction.sparse(dimension: 2, triples: "0 2 1"), "column out of range")
        XCTAssertNil(LinearAction.sparse(dimension: 2, triples: "0 1"), "incomplete triple")
    }
}
