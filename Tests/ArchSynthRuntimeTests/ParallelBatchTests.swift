import ArchSynthRuntime
import Synchronization
import XCTest

/// The parallel loop and the batched nodes: every thread count gives the single-thread result
/// bit for bit, and that result is the one of evaluating the samples one by one.
final class ParallelBatchTests: XCTestCase {
    /// The bit patterns of an array, so that == sees −0 ≠ +0 and NaN = NaN.
    static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }
    static func bits(_ a: [Dual<Double>]) -> [UInt64] { a.flatMap { [$0.value.bitPattern, $0.tangent.bitPattern] } }

    func testEveryIndexRunsOnceInContiguousChunksAndNestedLoopsStaySerial() {
        for (n, threads) in [(0, 3), (1, 3), (7, 1), (7, 3), (100, 4), (5, 8)] {
            XCTAssertEqual(RuntimeThreads.map(n, threads: threads) { $0 * $0 }, (0..<n).map { $0 * $0 }, "n \(n), threads \(threads)")
            let ranges = Mutex<[Range<Int>]>([])
            RuntimeThreads.forEachChunk(n, threads: threads) { r in ranges.withLock { $0.append(r) } }
            let sorted = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
            // The chunks tile 0..<n, min(threads, n) of them (one serial chunk for one thread).
            XCTAssertEqual(sorted.flatMap { Array($0) }, Array(0..<n), "n \(n), threads \(threads)")
            XCTAssertEqual(sorted.count, n == 0 ? 0 : min(threads, n), "n \(n), threads \(threads)")
        }
        XCTAssertFalse(RuntimeThreads.isInsideParallelLoop)
        XCTAssertEqual(RuntimeThreads.map(4, threads: 4) { _ in RuntimeThreads.isInsideParallelLoop }, [true, true, true, true])
        XCTAssertEqual(RuntimeThreads.map(2, threads: 1) { _ in RuntimeThreads.isInsideParallelLoop }, [true, true])
        XCTAssertFalse(RuntimeThreads.isInsideParallelLoop)
        // A loop inside a chunk runs as one chunk on that thread.
        let nestedChunks = RuntimeThreads.map(2, threads: 2) { _ in
            let count = Mutex<Int>(0)
            RuntimeThreads.forEachChunk(10, threads: 4) { _ in count.withLock { $0 += 1 } }
            return count.withLock { $0 }
        }
        XCTAssertEqual(nestedChunks, [1, 1])
    }

    func testThreadCountFromTheEnvironmentIsParsedOrNamed() {
        XCTAssertEqual(try RuntimeThreads.environmentValue("3").get(), 3)
        XCTAssertNil(try RuntimeThreads.environmentValue(nil).get())
        XCTAssertNil(try RuntimeThreads.environmentValue("").get())
        for bad in ["0", "-2", "two", "1.5", "5000"] {
            guard case let .failure(e) = RuntimeThreads.environmentValue(bad) else { return XCTFail("\(bad) accepted") }
            XCTAssertTrue(e.text.contains("ARCHSYNTH_THREADS") && e.text.contains("\"\(bad)\""), e.text)
        }
        XCTAssertGreaterThanOrEqual(RuntimeThreads.onlineCores, 1)
        XCTAssertEqual(RuntimeThreads.resolve(5), 5)
    }

    /// Nodes with a random batch: (name, node, parameters, samples).
    static func cases(batch: Int) -> [(String, any DifferentiableNode, [Double], [[[Double]]])] {
        var rng = RuntimeRandom(seed: 23)
        let grid = PeriodicGrid(height: 6, width: 5)
        let n = grid.count
        let conv = GridConvolution(grid: grid, inputChannels: 3, outputChannels: 2, stencil: 3)
        let tied = TiedGridConvolution(
            grid: grid, channels: TiedLinear(
                inputSize: 2, outputSize: 2, weightCount: 2, biasCount: 1,
                entries: [
                    .init(row: 0, column: 0, parameter: 0, coefficient: 1), .init(row: 1, column: 1, parameter: 0, coefficient: 1),
                    .init(row: 0, column: 1, parameter: 1, coefficient: 1), .init(row: 1, column: 0, parameter: 1, coefficient: 1),
                ],
                biasEntries: [.init(row: 0, parameter: 0, coefficient: 1), .init(row: 1, parameter: 0, coefficient: 1)]),
            stencil: 3)
        let warp = Warp(channels: 2, height: 6, width: 5, mode: .periodic)
        let attention = CoordinateAttention(grid: grid, channels: 3, temperature: 0.7)
        let soft = SoftCorrespondence(pointsA: 5, pointsB: 4, channels: 3, temperature: 0.8)
        let exp = MatrixExponential(n: 3)
        func samples(_ sizes: [Int], scale: Double = 1) -> [[[Double]]] { (0..<batch).map { _ in sizes.map { rng.normals($0, scale: scale) } } }
        return [
            ("GridConvolution", conv, rng.normals(conv.parameterCount), samples(conv.inputSizes)),
            ("TiedGridConvolution", tied, rng.normals(tied.parameterCount), samples(tied.inputSizes)),
            ("Warp", warp, [], (0..<batch).map { _ in [rng.normals(2 * n), Warp.identityMap(height: 6, width: 5).map { $0 + 2 * rng.normal() }] }),
            ("CoordinateAttention", attention, [], samples(attention.inputSizes)),
            ("SoftCorrespondence", soft, [], samples(soft.inputSizes)),
            ("MatrixExponential", exp, [], samples(exp.inputSizes, scale: 0.7)),
        ]
    }

    func testBatchesAreBitIdenticalToOneSampleAtATimeForEveryThreadCount() {
        let batch = 5
        for (name, node, theta, xs) in Self.cases(batch: batch) {
            var rng = RuntimeRandom(seed: 5)
            let dys = (0..<batch).map { _ in rng.normals(node.outputSize) }
            // The reference: each sample on this thread, parameter gradients summed in order.
            var refValues: [[Double]] = [], refInputs: [[[Double]]] = []
            var refParameters = [Double](repeating: 0, count: node.parameterCount)
            for b in 0..<batch {
                let (y, pb) = node.valueWithPullback(theta, xs[b])
                let g = pb(dys[b])
                refValues.append(y)
                refInputs.append(g.inputs)
                for k in refParameters.indices { refParameters[k] += g.parameters[k] }
            }
            XCTAssertTrue(refInputs.contains { $0.contains { $0.contains { $0 != 0 } } }, "\(name): zero input gradients")
            for threads in [1, 2, 3, 8] {
                let (ys, pullback) = node.batchValueWithPullback(theta, xs, threads: threads)
                let g = pullback(dys)
                XCTAssertEqual(ys.map(Self.bits), refValues.map(Self.bits), "\(name), \(threads) threads: values")
                XCTAssertEqual(Self.bits(g.parameters), Self.bits(refParameters), "\(name), \(threads) threads: parameter gradient")
                XCTAssertEqual(g.inputs.map { $0.map(Self.bits) }, refInputs.map { $0.map(Self.bits) }, "\(name), \(threads) threads: input gradients")
                XCTAssertEqual(node.batchForward(theta, xs, threads: threads).map(Self.bits), refValues.map(Self.bits), "\(name), \(threads) threads: batchForward")
            }
        }
    }

    /// Nodes that split their own rows (convolutions, soft correspondence) called outside any
    /// parallel loop: the runtime-wide thread count changes no bit of one sample's result.
    func testOneSampleIsBitIdenticalForEveryRuntimeThreadCount() {
        for (name, node, theta, xs) in Self.cases(batch: 1) {
            var rng = RuntimeRandom(seed: 13)
            let dy = rng.normals(node.outputSize)
            func run(_ threads: Int) -> ([UInt64], [UInt64], [[UInt64]]) {
                RuntimeThreads.count = threads
                defer { RuntimeThreads.count = 0 }
                XCTAssertEqual(RuntimeThreads.count, threads)
                let (y, pb) = node.valueWithPullback(theta, xs[0])
                let g = pb(dy)
                return (Self.bits(y), Self.bits(g.parameters), g.inputs.map(Self.bits))
            }
            let one = run(1)
            for threads in [2, 3, 7] {
                let many = run(threads)
                XCTAssertEqual(many.0, one.0, "\(name), \(threads) threads: value")
                XCTAssertEqual(many.1, one.1, "\(name), \(threads) threads: parameter gradient")
                XCTAssertEqual(many.2, one.2, "\(name), \(threads) threads: input gradients")
            }
        }
    }

    /// Dual numbers (Hessian-vector products) through the batch: the same bits as one at a time.
    func testDualBatchesAreBitIdentical() {
        let batch = 3
        for (name, node, theta, xs) in Self.cases(batch: batch) {
            var rng = RuntimeRandom(seed: 9)
            let dt = theta.map { Dual($0, rng.normal()) }
            let dxs = xs.map { sample in sample.map { x in x.map { Dual($0, rng.normal()) } } }
            let dys = (0..<batch).map { _ in rng.normals(node.outputSize).map { Dual($0, 0) } }
            let reference = (0..<batch).map { b -> ([Dual<Double>], NodeGradient<Dual<Double>>) in
                let (y, pb) = node.valueWithPullback(dt, dxs[b])
                return (y, pb(dys[b]))
            }
            let (ys, pullback) = node.batchValueWithPullback(dt, dxs, threads: 2)
            let g = pullback(dys)
            XCTAssertEqual(ys.map(Self.bits), reference.map { Self.bits($0.0) }, name)
            XCTAssertEqual(g.inputs.map { $0.map(Self.bits) }, reference.map { $0.1.inputs.map(Self.bits) }, name)
        }
    }
}
