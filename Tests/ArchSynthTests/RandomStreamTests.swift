import ArchSynthRuntime
import GroupTheory
import XCTest

/// One random stream: everything above GroupTheory draws from the runtime's `RuntimeRandom`, and
/// GroupTheory's own `SplitMix64` (which cannot import the runtime) is the same generator, so a
/// seed means the same numbers in the library, the generated code and the PyTorch target.
final class RandomStreamTests: XCTestCase {
    /// SplitMix64's published first outputs for seed 1234567 (Vigna's reference `splitmix64.c`),
    /// from both types, then the same 1,000 outputs and uniforms for three seeds.
    func testBothGeneratorsAreSplitMix64() {
        let reference: [UInt64] = [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423, 4_593_380_528_125_082_431, 16_408_922_859_458_223_821]
        var a = RuntimeRandom(seed: 1_234_567), b = SplitMix64(seed: 1_234_567)
        XCTAssertEqual((0..<5).map { _ in a.next() }, reference)
        XCTAssertEqual((0..<5).map { _ in b.next() }, reference)
        for seed: UInt64 in [0, 42, .max] {
            var r = RuntimeRandom(seed: seed), s = SplitMix64(seed: seed)
            for _ in 0..<1000 {
                XCTAssertEqual(r.next(), s.next())
                XCTAssertEqual(r.unit(), s.nextUnit())
            }
        }
    }
}
