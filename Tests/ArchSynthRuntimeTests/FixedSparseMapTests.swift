import ArchSynthRuntime
import XCTest

/// `FixedSparseMap` sums each output (and each input gradient) over its entries grouped by row
/// (by column): the values must be those of the definition, y[row] += c · x[column] in the order of
/// the entry list (written here as a plain loop), bit for bit, in Double and in Float, on an entry
/// list with repeated and unsorted indices, empty rows and empty columns.
final class FixedSparseMapTests: XCTestCase {
    static func reference<T: RuntimeScalar>(_ entries: [FixedSparseMap.Entry], _ v: [T], count: Int, transposed: Bool) -> [T] {
        var out = [T](repeating: T.zero, count: count)
        for e in entries {
            let (to, from) = transposed ? (Int(e.column), Int(e.row)) : (Int(e.row), Int(e.column))
            out[to] += T(e.coefficient) * v[from]
        }
        return out
    }

    func testGroupedSumsAreTheEntryOrderSumsBitForBit() {
        var rng = RuntimeRandom(seed: 11)
        let (inputs, outputs) = (23, 17)
        // Rows 0 and 16 and column 22 stay empty; indices repeat and come in no order.
        let entries = (0..<300).map { _ in
            FixedSparseMap.Entry(row: 1 + rng.index(outputs - 2), column: rng.index(inputs - 1), coefficient: rng.uniform(-3, 3))
        }
        let map = FixedSparseMap(inputSize: inputs, outputSize: outputs, entries: entries)
        let x = rng.normals(inputs, scale: 5), dy = rng.normals(outputs, scale: 5)
        let (y, pullback) = map.valueWithPullback([Double](), [x])
        XCTAssertEqual(y.map(\.bitPattern), Self.reference(entries, x, count: outputs, transposed: false).map(\.bitPattern))
        XCTAssertEqual(pullback(dy).inputs[0].map(\.bitPattern), Self.reference(entries, dy, count: inputs, transposed: true).map(\.bitPattern))
        XCTAssertEqual(y[0], 0)
        let (xf, dyf) = (x.map { Float($0) }, dy.map { Float($0) })
        let (yf, pullbackF) = map.valueWithPullback([Float](), [xf])
        XCTAssertEqual(yf.map(\.bitPattern), Self.reference(entries, xf, count: outputs, transposed: false).map(\.bitPattern))
        XCTAssertEqual(pullbackF(dyf).inputs[0].map(\.bitPattern), Self.reference(entries, dyf, count: inputs, transposed: true).map(\.bitPattern))
        // Negative control: the same entries summed in another order differ in some bit.
        let reversed = Self.reference(Array(entries.reversed()), x, count: outputs, transposed: false)
        XCTAssertNotEqual(y.map(\.bitPattern), reversed.map(\.bitPattern))
    }
}
