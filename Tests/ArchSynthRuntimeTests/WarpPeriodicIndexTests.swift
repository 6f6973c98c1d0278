import ArchSynthRuntime
import XCTest

/// The periodic warp's cell index at integer coordinates far outside the grid: sampling at
/// (i + a·H, j + b·W) must give the signal at (i, j) exactly, for shifts up to 2⁵³ and for
/// negative ones (the floor-division fast path below 4.5·10¹⁵ and the remainder above).
final class WarpPeriodicIndexTests: XCTestCase {
    func testIntegerCoordinatesWrapToTheGridExactly() {
        let (h, w) = (5, 7)
        var rng = RuntimeRandom(seed: 17)
        let signal = rng.normals(h * w)
        let warp = Warp(channels: 1, height: h, width: w, mode: .periodic)
        let id: [Double] = Warp.identityMap(height: h, width: w)
        for (a, b) in [(0.0, 0.0), (-1, 1), (-3e9, 7e12), (1e15, -1e15), (Double(1 << 49), -Double(1 << 49)), (-1.2e14, 1.1e15)] {
            var map = id
            for k in 0..<(h * w) {
                map[k] += a * Double(h)
                map[h * w + k] += b * Double(w)
            }
            // The shifted coordinates are exact integers (below 2⁵³), so the warp is the identity.
            XCTAssertTrue(map.allSatisfy { $0 == $0.rounded() && abs($0) < 9.007e15 }, "(\(a), \(b)): coordinates not exact")
            XCTAssertEqual(warp.forward([Double](), [signal, map]), signal, "shift (\(a)·H, \(b)·W)")
        }
        // Beyond 2⁵³ every double is an integer: the sample is still the signal at the wrapped point.
        var far = id
        for k in 0..<(h * w) { far[k] = 1e17 + Double(k / w) }
        let y = warp.forward([Double](), [signal, far])
        let row = Int(1e17.truncatingRemainder(dividingBy: Double(h)))
        // 1e17 + i rounds to 1e17 (the spacing there is 16): every output row reads row 1e17 mod H.
        for k in 0..<(h * w) { XCTAssertEqual(y[k], signal[row * w + k % w], "far row, point \(k)") }
    }
}
