import ArchSynth
import Foundation
import XCTest

/// `archsynth verify` on files that import ArchSynthRuntime: a hand-written model that obeys the
/// swap law passes, and the same file with the antisymmetrization broken fails.
final class ModelVerificationTests: XCTestCase {
    static func fixture(combine: String) -> String {
        """
        // DO NOT EDIT. (test fixture)
        // Type: SwapFixture
        import ArchSynthRuntime

        /// v(A,B) = N(A⊕B) − N(B⊕A) with one N.
        public struct SwapFixture: LawfulModel {
            public static let kind = "fixture"
            public static let inputSizes = [3, 3]
            public static let outputSize = 3
            static let graph: Graph = {
                var b = GraphBuilder(inputSizes: [3, 3])
                let hidden = TiedLinear.dense(inputSize: 6, outputSize: 8), out = TiedLinear.dense(inputSize: 8, outputSize: 3)
                let ph = b.parameters(for: hidden), po = b.parameters(for: out)
                func n(_ x: Graph.Value, _ b: inout GraphBuilder) -> Graph.Value {
                    let h = b.apply(Pointwise.relu(size: 8), [b.apply(hidden, [x], parameters: ph)])
                    return b.apply(out, [h], parameters: po)
                }
                let ab = n(b.concat(b.inputs[0], b.inputs[1]), &b)
                let ba = n(b.concat(b.inputs[1], b.inputs[0]), &b)
                let v = b.apply(\(combine)(size: 3), [ab, ba])
                return b.build(output: v)
            }()
            public static var parameterCount: Int { graph.parameterCount }
            public static var laws: [(law: Law, threshold: Double)] { [(Law.swap(output: .negate), 1e-12)] }
            public var parameters: [Double]
            public init(seed: UInt64) {
                var rng = RuntimeRandom(seed: seed)
                parameters = rng.normals(Self.parameterCount)
            }
            public func forward(_ inputs: [[Double]]) -> [Double] { Self.graph.forward(parameters, inputs) }
        }
        """
    }

    func verify(_ source: String) throws -> [LawVerificationReport] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("SwapFixture-\(UUID().uuidString).swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        // Not a generated kind: the test states the law (swap negating v, 1e-12) instead of the header.
        let expected = ExpectedLaws(
            kind: "fixture", inputSizes: [3, 3], outputSize: 3,
            laws: [.init(expression: "ArchSynthRuntime.Law.swap(output: .negate)", threshold: 1e-12, declaredElementCount: 2, declaredComplete: true)])
        return try VerificationHarness(compilerFlags: ["-warnings-as-errors"]).verify(file: url, expected: expected)
    }

    func testLawfulFixturePassesAndBrokenFixtureFails() throws {
        let good = try verify(Self.fixture(combine: "Difference"))
        XCTAssertEqual(good.count, 1)
        XCTAssertEqual(good[0].elementCount, 2)
        XCTAssertTrue(good[0].allElements)
        XCTAssertEqual(good[0].results.count, OutOfDistributionInputs.allCases.count)
        XCTAssertTrue(good[0].passed, good[0].text)
        let bad = try verify(Self.fixture(combine: "Sum"))
        XCTAssertFalse(bad[0].passed, bad[0].text)
        XCTAssertGreaterThan(bad[0].worst, 0.5)
    }
}
