import ArchSynthRuntime
import XCTest

extension XCTestCase {
    /// A node's pullback against central finite differences (Double, worst relative error
    /// ≤ 1e-6): parameters from N(0, 1) unless given, inputs from N(0, scale²), all seeded.
    func assertGradients(
        _ node: any DifferentiableNode, parameters: [Double]? = nil, seed: UInt64, scale: Double = 1,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var rng = RuntimeRandom(seed: seed)
        let p = parameters ?? rng.normals(node.parameterCount)
        let x = node.inputSizes.map { rng.normals($0, scale: scale) }
        let (worst, at) = Derivatives.finiteDifferenceError(of: node, parameters: p, inputs: x, seed: seed)
        XCTAssertLessThanOrEqual(worst, 1e-6, "\(type(of: node)) at \(at)", file: file, line: line)
    }
}
