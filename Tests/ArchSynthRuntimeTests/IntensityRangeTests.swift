import ArchSynthRuntime
import XCTest

final class IntensityRangeTests: XCTestCase {
    /// Images in [−1, 1] pass `IntensityRange` bit for bit (so models trained on such data keep
    /// their function); larger ones are divided by the one largest magnitude of the pair; the
    /// pullback matches finite differences on both sides of the kink.
    func testIntensityRangeIsTheIdentityInRangeAndScalesBothImagesAlike() {
        var rng = RuntimeRandom(seed: 4)
        let a = (0..<9).map { _ in rng.uniform(-1, 1) }, b = (0..<9).map { _ in rng.uniform(-1, 1) }
        for k in 0..<2 {
            let y = IntensityRange(pixels: 9, image: k).forward([Double](), [a, b])
            XCTAssertEqual(y.map(\.bitPattern), (k == 0 ? a : b).map(\.bitPattern))
        }
        var big = b
        big[4] = -8
        XCTAssertEqual(IntensityRange(pixels: 9, image: 0).forward([Double](), [a, big]), a.map { $0 / 8 })
        XCTAssertEqual(IntensityRange(pixels: 9, image: 1).forward([Double](), [a, big]), big.map { $0 / 8 })
        for seed: UInt64 in 1...3 {
            assertGradients(IntensityRange(pixels: 9, image: Int(seed % 2)), seed: seed, scale: 3)
            assertGradients(IntensityRange(pixels: 9, image: Int(seed % 2)), seed: seed, scale: 0.2)
        }
    }

    /// Negative controls for the checker's rounding floor: a pullback that drops the term through
    /// m, or leaks 1e-6·ȳ into the image the output ignores, fails the check.
    func testTheGradientCheckCatchesSmallWrongGradients() {
        struct Wrong: DifferentiableNode {
            let base = IntensityRange(pixels: 9, image: 1)
            let leak: Double, dropFactorTerm: Bool
            var inputSizes: [Int] { base.inputSizes }
            var outputSize: Int { base.outputSize }
            var parameterCount: Int { 0 }
            func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
                let (y, pb) = base.valueWithPullback(parameters, inputs)
                let m = T(Swift.max(1, (inputs[0] + inputs[1]).map { Swift.abs($0.primal) }.max()!))
                return (y, { dy in
                    var g = pb(dy)
                    if dropFactorTerm { g.inputs[1] = dy.map { $0 / m }; g.inputs[0] = [T](repeating: T.zero, count: 9) }
                    for i in 0..<9 { g.inputs[0][i] += T(leak) * dy[i] }
                    return NodeGradient(parameters: [], inputs: g.inputs)
                })
            }
        }
        for (node, scale) in [(Wrong(leak: 0, dropFactorTerm: true), 3.0), (Wrong(leak: 1e-6, dropFactorTerm: false), 0.2)] {
            var rng = RuntimeRandom(seed: 8)
            let x = node.inputSizes.map { rng.normals($0, scale: scale) }
            XCTAssertGreaterThan(Derivatives.finiteDifferenceError(of: node, parameters: [], inputs: x, seed: 8).worst, 1e-3)
        }
    }
}
