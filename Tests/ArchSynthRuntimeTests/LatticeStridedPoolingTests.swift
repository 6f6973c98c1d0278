import ArchSynthRuntime
import XCTest

/// Strided average pooling of lattice fields (issue 21): block means by index arithmetic, the exact
/// law over every coarse translation × point element (p4m with its 2-D point field, O_h with a
/// scalar field, strides 2 and 3), the same law without the block-center correction and a fine
/// translation that is not a multiple of the stride as negative controls, the adjoint identity,
/// and the refusals.
final class LatticeStridedPoolingTests: XCTestCase {
    static let p4m = [[[0, -1], [1, 0]], [[1, 0], [0, -1]]]
    static let oh = [[[1, 0, 0], [0, 0, -1], [0, 1, 0]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[-1, 0, 0], [0, -1, 0], [0, 0, -1]]]

    /// n values uniform in [−1, 1), seeded (shared with `LatticeSymmetrizedPoolingTests`).
    static func random(_ n: Int, seed: UInt64) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        return (0..<n).map { _ in rng.unit() * 2 - 1 }
    }

    /// The worst relative law error of f at x over every element of `law` (shared with `LatticeSymmetrizedPoolingTests`).
    static func worst(_ law: Law, _ f: ([Double]) -> [Double], _ x: [Double]) -> Double {
        let y = f(x)
        var worst = 0.0
        for e in 0..<law.elementCount {
            let left = f(law.actOnInputs(e, [x])[0]), right = law.actOnOutput(e, y)
            worst = max(worst, zip(left, right).map { abs($0 - $1) }.max()! / right.map { abs($0) }.max()!)
        }
        return worst
    }

    func testBlockMeansAndAdjoint() {
        // Two channels of scalars on a 4×6 grid, stride 2: y_c(R, C) = mean of x_c(2R + i, 2C + j).
        let fields = LatticeFieldType(sides: [4, 6], channels: 2, fieldDimension: 1, pointGenerators: [[[-1, 0], [0, -1]]], generatorImages: [[1]])
        let pool = LatticeStridedPooling(input: fields, stride: 2)
        XCTAssertEqual(pool.output.sides, [2, 3])
        let x = Self.random(48, seed: 1)
        let y = pool.forward(x, count: 1)
        for c in 0..<2 {
            for r in 0..<2 {
                for col in 0..<3 {
                    var sum = 0.0
                    for i in 0..<2 { for j in 0..<2 { sum += x[c * 24 + (2 * r + i) * 6 + 2 * col + j] } }
                    XCTAssertEqual(y[c * 6 + r * 3 + col], sum / 4, accuracy: 1e-15)
                }
            }
        }
        // The adjoint: ⟨pool(x), w⟩ = ⟨x, pool*(w)⟩ for a batch of 3.
        let xs = Self.random(3 * 48, seed: 2), w = Self.random(3 * 12, seed: 3)
        let left = zip(pool.forward(xs, count: 3), w).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(xs, pool.backward(w, count: 3)).reduce(0) { $0 + $1.0 * $1.1 }
        XCTAssertEqual(left, right, accuracy: 1e-14)
    }

    /// The law holds to rounding for every coarse translation × point element; rotating about the
    /// fine origin instead of the block center, or translating by one fine step, breaks it.
    func testLawOverEveryCoarseElementAndControls() {
        let rho: [[Double]] = [[0, -1, 1, 0], [1, 0, 0, -1]]
        for (sides, generators, images, d, stride) in [
            ([12, 12], Self.p4m, rho, 2, 2), ([12, 12], Self.p4m, rho, 2, 3), ([6, 6, 6], Self.oh, [[1.0], [1.0], [1.0]], 1, 2),
            ([6, 6, 6], Self.oh, [[1.0], [1.0], [1.0]], 1, 3),
        ] {
            let fields = LatticeFieldType(sides: sides, channels: 2, fieldDimension: d, pointGenerators: generators, generatorImages: images)
            let pool = LatticeStridedPooling(input: fields, stride: stride)
            let law = pool.law(limit: 100_000)
            let points = pool.output.points, order = sides.count == 2 ? 8 : 48
            XCTAssertTrue(law.isComplete)
            XCTAssertEqual(law.elementCount, points * order, "\(sides) / \(stride)")
            let x = Self.random(fields.dimension, seed: 7)
            XCTAssertLessThan(Self.worst(law, { pool.forward($0, count: 1) }, x), 1e-13, "\(sides) / \(stride)")

            // Control 1: the point group about the fine origin (no block-center correction).
            let elements = LatticeFieldType.pointElements(generators, dimension: sides.count)
            let naive = Law(
                name: "about the origin", elementCount: elements.count, isComplete: false,
                actOnInputs: { e, x in [fields.act(translation: [Int](repeating: 0, count: sides.count), matrix: elements[e].matrix, rho: fields.image(ofWord: elements[e].word), x[0])] },
                actOnOutput: { e, y in pool.output.act(translation: [Int](repeating: 0, count: sides.count), matrix: elements[e].matrix, rho: fields.image(ofWord: elements[e].word), y) })
            XCTAssertGreaterThan(Self.worst(naive, { pool.forward($0, count: 1) }, x), 1e-2, "\(sides) / \(stride): rotation about the fine origin")
            // Control 2: one fine step along the last axis matches no coarse translation.
            var unit = [Int](repeating: 0, count: sides.count)
            unit[sides.count - 1] = 1
            let identity = (0..<sides.count).map { i in (0..<sides.count).map { $0 == i ? 1 : 0 } }
            let shifted = pool.forward(fields.act(translation: unit, matrix: identity, rho: fields.image(ofWord: []), x), count: 1)
            let y = pool.forward(x, count: 1)
            var closest = Double.infinity
            for q in 0..<points {
                let moved = pool.output.act(translation: pool.output.coordinates(q), matrix: identity, rho: fields.image(ofWord: []), y)
                closest = min(closest, zip(moved, shifted).map { abs($0 - $1) }.max()!)
            }
            XCTAssertGreaterThan(closest, 1e-2, "\(sides) / \(stride): a fine step")
        }
    }

    func testRefusals() {
        let square = LatticeFieldType(sides: [8, 8], channels: 1, fieldDimension: 1, pointGenerators: Self.p4m, generatorImages: [[1], [1]])
        XCTAssertNil(LatticeStridedPooling.problem(input: square, stride: 4))
        XCTAssertTrue(LatticeStridedPooling.problem(input: square, stride: 3)!.contains("does not divide the grid side 8"))
        XCTAssertTrue(LatticeStridedPooling.problem(input: square, stride: 0)!.contains("positive integer"))
        let hexagonal = LatticeFieldType(sides: [6, 6], channels: 1, fieldDimension: 1, pointGenerators: [[[0, -1], [1, 1]]], generatorImages: [[1]])
        XCTAssertTrue(LatticeStridedPooling.problem(input: hexagonal, stride: 2, kernel: .blockMean)!.contains("not a signed permutation"))
    }
}
