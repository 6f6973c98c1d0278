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
}
