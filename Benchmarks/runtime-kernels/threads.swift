// Batches on 1 and 2 threads (wall time, best of 5): the runtime's conv, warp, attention,
// soft-correspondence and matrix-exponential nodes (forward and pullback of a batch via
// `batchValueWithPullback`), and the plain conv stack of the carl refinement network
// (2 → 16 → 16 → 2 channels, 3×3 periodic, ReLU between, 64×64) whose PyTorch twin
// torch_conv_stack.py times. Compiled with the runtime's sources as one module by threads.sh.
// Usage: threads [BATCH] [THREADS...]   (default 32, threads 1 2)
#if canImport(Glibc)
    import Glibc
#endif

func wallSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Best-of-`repeats` wall seconds of forward + pullback for a batch; checksum of the results.
func timeBatch(_ node: some DifferentiableNode, _ theta: [Double], _ batch: [[[Double]]], threads: Int, repeats: Int = 5) -> (seconds: Double, checksum: Double) {
    var rng = RuntimeRandom(seed: 11)
    let dys = batch.map { _ in rng.normals(node.outputSize) }
    var best = Double.infinity, checksum = 0.0
    for _ in 0..<repeats {
        let t0 = wallSeconds()
        let (ys, pullback) = node.batchValueWithPullback(theta, batch, threads: threads)
        let g = pullback(dys)
        best = min(best, wallSeconds() - t0)
        checksum = ys.reduce(0) { $0 + $1.reduce(0, +) } + g.parameters.reduce(0, +) + g.inputs.reduce(0) { $0 + $1.reduce(0) { $0 + $1.reduce(0, +) } }
    }
    return (best, checksum)
}

func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The batch split as `batchValueWithPullback` splits it, each chunk's thread CPU time measured:
/// (Σ chunk CPU) / (max chunk CPU) is the speed-up an idle machine would show if nothing but the
/// split mattered (the load-independent estimate; the wall ratio above is the measurement).
func criticalPathSpeedup(_ node: some DifferentiableNode, _ theta: [Double], _ batch: [[[Double]]], threads: Int) -> Double {
    var rng = RuntimeRandom(seed: 11)
    let dys = batch.map { _ in rng.normals(node.outputSize) }
    let times = RuntimeThreads.map(threads, threads: threads) { chunk -> Double in
        let t0 = threadCPUSeconds()
        for b in (chunk * batch.count / threads)..<((chunk + 1) * batch.count / threads) {
            let (_, pullback) = node.valueWithPullback(theta, batch[b])
            _ = pullback(dys[b])
        }
        return threadCPUSeconds() - t0
    }
    return times.reduce(0, +) / times.max()!
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let batchSize = arguments.first ?? 32
let threadCounts = arguments.count > 1 ? Array(arguments.dropFirst()) : [1, 2]
var rng = RuntimeRandom(seed: 7)
let grid = PeriodicGrid(height: 32, width: 32), n = grid.count
let coarse = PeriodicGrid(height: 16, width: 16)
let conv = GridConvolution(grid: grid, inputChannels: 8, outputChannels: 8, stencil: 3)
let warp = Warp(channels: 4, height: 64, width: 64, mode: .periodic)
let attention = CoordinateAttention(grid: coarse, channels: 16, temperature: 1)
let soft = SoftCorrespondence(pointsA: 64, pointsB: 64, channels: 8, temperature: 1)
let exp = MatrixExponential(n: 3)
var refine = GraphBuilder(inputSizes: [2 * 4096])
var v = refine.inputs[0]
let fine = PeriodicGrid(height: 64, width: 64)
for (l, (cin, cout)) in [(2, 16), (16, 16), (16, 2)].enumerated() {
    v = refine.apply(GridConvolution(grid: fine, inputChannels: cin, outputChannels: cout, stencil: 3), [v])
    if l < 2 { v = refine.apply(Pointwise.relu(size: cout * 4096), [v]) }
}
let stack = refine.build(output: v)
func warpSample(_ rng: inout RuntimeRandom) -> [[Double]] {
    let map: [Double] = Warp.identityMap(height: 64, width: 64)
    return [rng.normals(4 * 4096), map.map { $0 + 1.5 * rng.normal() }]
}
let cases: [(String, any DifferentiableNode, [Double], [[[Double]]])] = [
    ("GridConvolution 32x32 8->8 3x3", conv, rng.normals(conv.parameterCount), (0..<batchSize).map { _ in [rng.normals(8 * n)] }),
    ("Warp 64x64 C=4 periodic", warp, [], (0..<batchSize).map { _ in warpSample(&rng) }),
    ("CoordinateAttention 16x16 C=16", attention, [], (0..<batchSize).map { _ in [rng.normals(16 * 256), rng.normals(16 * 256)] }),
    ("SoftCorrespondence 64x64 C=8", soft, [], (0..<batchSize).map { _ in [rng.normals(8 * 64), rng.normals(8 * 64)] }),
    ("MatrixExponential 3x3", exp, [], (0..<batchSize).map { _ in [rng.normals(9, scale: 0.7)] }),
    ("conv stack 64x64 2-16-16-2 3x3", stack, RegistrationNetworks.initialParameters(stack, seed: 1), (0..<batchSize).map { _ in [rng.normals(2 * 4096)] }),
]
print("# batch \(batchSize), threads \(threadCounts), wall seconds per batch (best of 5), forward + pullback")
for (name, node, theta, batch) in cases {
    var line = "\(name)\tbatch=\(batchSize)"
    var times: [Double] = [], sums: [Double] = []
    for t in threadCounts {
        let r = timeBatch(node, theta, batch, threads: t)
        times.append(r.seconds)
        sums.append(r.checksum)
        line += "\tthreads\(t)_ms=\(r.seconds * 1e3)"
    }
    if times.count > 1 {
        line += "\tspeedup_\(threadCounts[0])_to_\(threadCounts[1])=\(times[0] / times[1])"
        line += "\tcpu_critical_path_speedup_\(threadCounts[1])=\(criticalPathSpeedup(node, theta, batch, threads: threadCounts[1]))"
    }
    line += "\tper_sample_ms_\(threadCounts[0])=\(times[0] * 1e3 / Double(batchSize))"
    line += "\tchecksums_equal=\(Set(sums.map(\.bitPattern)).count == 1)"
    print(line)
}
