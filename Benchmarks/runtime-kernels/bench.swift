// Times the runtime's template kernels (forward and pullback, Double), in thread CPU time
// (best of 7), so a loaded machine changes the numbers little. Compiled together with the
// runtime's sources as one module by run.sh.
#if canImport(Glibc)
    import Glibc
#endif

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func time(_ name: String, _ node: some DifferentiableNode, parameters: [Double], inputs: [[Double]], seed: UInt64) {
    var rng = RuntimeRandom(seed: seed)
    let cotangent = (0..<node.outputSize).map { _ in rng.normal() }
    var best = (Double.infinity, Double.infinity)
    var checksum = 0.0
    for _ in 0..<7 {
        let t0 = cpuSeconds()
        let (value, pullback) = node.valueWithPullback(parameters, inputs)
        let t1 = cpuSeconds()
        let g = pullback(cotangent)
        let t2 = cpuSeconds()
        checksum = value.reduce(0, +) + g.parameters.reduce(0, +) + g.inputs.reduce(0) { $0 + $1.reduce(0, +) }
        best = (min(best.0, t1 - t0), min(best.1, t2 - t1))
    }
    print("\(name)\tforward_ms=\(best.0 * 1e3)\tbackward_ms=\(best.1 * 1e3)\tchecksum=\(checksum)")
}

var rng = RuntimeRandom(seed: 7)
let grid = PeriodicGrid(height: 32, width: 32)
let n = grid.count
time("CoordinateAttention 32x32 C=8", CoordinateAttention(grid: grid, channels: 8, temperature: 0.5),
     parameters: [], inputs: [rng.normals(8 * n), rng.normals(8 * n)], seed: 1)
let conv = GridConvolution(grid: grid, inputChannels: 8, outputChannels: 8, stencil: 3)
time("GridConvolution 32x32 8->8 3x3", conv, parameters: rng.normals(conv.parameterCount), inputs: [rng.normals(8 * n)], seed: 2)
var map: [Double] = Warp.identityMap(height: 32, width: 32)
for i in map.indices { map[i] += 1.5 * rng.normal() }
time("Warp 32x32 C=1 periodic", Warp(channels: 1, height: 32, width: 32, mode: .periodic),
     parameters: [], inputs: [rng.normals(n), map], seed: 3)
time("DisplacementComposition 32x32 periodic", DisplacementComposition(height: 32, width: 32, mode: .periodic),
     parameters: [], inputs: [rng.normals(2 * n, scale: 1.5), rng.normals(2 * n, scale: 1.5)], seed: 4)
