// Times the runtime's template kernels (forward and pullback, Double unless a row says Float), in
// thread CPU time (best of 7), so a loaded machine changes the numbers little. Single-threaded:
// run.sh sets ARCHSYNTH_THREADS=1 (thread CPU time would not see other threads). Compiled together
// with the runtime's sources as one module by run.sh.
#if canImport(Glibc)
    import Glibc
#endif

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func time<T: RuntimeScalar>(_ name: String, _ node: some DifferentiableNode, parameters: [T], inputs: [[T]], seed: UInt64) {
    var rng = RuntimeRandom(seed: seed)
    let cotangent = (0..<node.outputSize).map { _ in T(rng.normal()) }
    var best = (Double.infinity, Double.infinity)
    var checksum = T.zero
    for _ in 0..<7 {
        let t0 = cpuSeconds()
        let (value, pullback) = node.valueWithPullback(parameters, inputs)
        let t1 = cpuSeconds()
        let g = pullback(cotangent)
        let t2 = cpuSeconds()
        checksum = value.reduce(T.zero, +) + g.parameters.reduce(T.zero, +) + g.inputs.reduce(T.zero) { $0 + $1.reduce(T.zero, +) }
        best = (min(best.0, t1 - t0), min(best.1, t2 - t1))
    }
    print("\(name)\tforward_ms=\(best.0 * 1e3)\tbackward_ms=\(best.1 * 1e3)\tchecksum=\(checksum.primal)")
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
// The carl template's shapes (size 64, pool 4: feature convs 5×5 on the 16×16 coarse grid,
// attention there, refinement convs 3×3 and warps on the 64×64 grid), a Float conv, the soft
// correspondence and the matrix exponential.
let fine = PeriodicGrid(height: 64, width: 64), coarse = PeriodicGrid(height: 16, width: 16)
let refineConv = GridConvolution(grid: fine, inputChannels: 16, outputChannels: 16, stencil: 3)
time("GridConvolution 64x64 16->16 3x3", refineConv, parameters: rng.normals(refineConv.parameterCount), inputs: [rng.normals(16 * 4096)], seed: 5)
time("GridConvolution 64x64 16->16 3x3 Float", refineConv, parameters: rng.normals(refineConv.parameterCount).map(Float.init),
     inputs: [rng.normals(16 * 4096).map(Float.init)], seed: 5)
let featureConv = GridConvolution(grid: coarse, inputChannels: 16, outputChannels: 16, stencil: 5)
time("GridConvolution 16x16 16->16 5x5", featureConv, parameters: rng.normals(featureConv.parameterCount), inputs: [rng.normals(16 * 256)], seed: 6)
time("CoordinateAttention 16x16 C=16", CoordinateAttention(grid: coarse, channels: 16, temperature: 1),
     parameters: [Double](), inputs: [rng.normals(16 * 256), rng.normals(16 * 256)], seed: 8)
time("GridConvolution 16x16 16->16 5x5 Float", featureConv, parameters: rng.normals(featureConv.parameterCount).map(Float.init),
     inputs: [rng.normals(16 * 256).map(Float.init)], seed: 6)
time("CoordinateAttention 16x16 C=16 Float", CoordinateAttention(grid: coarse, channels: 16, temperature: 1),
     parameters: [Float](), inputs: [rng.normals(16 * 256).map(Float.init), rng.normals(16 * 256).map(Float.init)], seed: 8)
var fineMap: [Double] = Warp.identityMap(height: 64, width: 64)
for i in fineMap.indices { fineMap[i] += 1.5 * rng.normal() }
time("Warp 64x64 C=4 periodic", Warp(channels: 4, height: 64, width: 64, mode: .periodic),
     parameters: [Double](), inputs: [rng.normals(4 * 4096), fineMap], seed: 9)
time("Warp 64x64 C=4 periodic Float", Warp(channels: 4, height: 64, width: 64, mode: .periodic),
     parameters: [Float](), inputs: [rng.normals(4 * 4096).map(Float.init), fineMap.map(Float.init)], seed: 9)
time("SoftCorrespondence 64x64 C=8", SoftCorrespondence(pointsA: 64, pointsB: 64, channels: 8, temperature: 1),
     parameters: [Double](), inputs: [rng.normals(8 * 64), rng.normals(8 * 64)], seed: 10)
time("SoftCorrespondence 64x64 C=8 Float", SoftCorrespondence(pointsA: 64, pointsB: 64, channels: 8, temperature: 1),
     parameters: [Float](), inputs: [rng.normals(8 * 64).map(Float.init), rng.normals(8 * 64).map(Float.init)], seed: 10)
time("MatrixExponential 3x3", MatrixExponential(n: 3), parameters: [Double](), inputs: [rng.normals(9, scale: 0.7)], seed: 12)
/// The loss graph of `RegistrationModel` for a carl network on the 64×64 grid.
func carlLossGraph(_ carl: CarlRegistration) -> Graph {
    var b = GraphBuilder(inputSizes: [4096, 4096])
    let phi = b.apply(carl.transform, b.inputs)
    let warped = b.apply(Warp(channels: 1, height: 64, width: 64, mode: .periodic), [b.inputs[0], phi])
    let residual = b.apply(Difference(size: 4096), [warped, b.inputs[1]])
    let jacobian = b.apply(CoordinateJacobian(grid: PeriodicGrid(height: 64, width: 64)), [phi])
    let out = b.concat(residual, jacobian)
    return b.build(output: out)
}
// One training pair of `archsynth train registration --template carl --size 64` (the defaults:
// pool 4, 16 channels, depth 3, 5×5 feature stencil, smoothing 1, one refinement of depth 3 and
// 16 channels): the loss graph of RegistrationModel (Φ, the warped moving image minus the fixed
// one, the Jacobian of u), forward and pullback.
let carl = CarlRegistration(
    size: 64, poolFactor: 4, channels: 16, depth: 3, featureStencil: 5, temperature: 1, smoothing: 1, refineSteps: 1, refineChannels: 16, refineDepth: 3)
let lossGraph = carlLossGraph(carl)
time("carl training pair 64x64 (loss graph)", lossGraph, parameters: carl.initialParameters(seed: 1), inputs: [rng.normals(4096), rng.normals(4096)], seed: 13)
// The same pair in Float (`train registration --precision float`), and the pair of the current
// defaults (distance logits, consensus 1) in Double and Float.
let carlPair: [[Double]] = [rng.normals(4096), rng.normals(4096)]
time("carl training pair 64x64 (loss graph) Float", lossGraph, parameters: carl.initialParameters(seed: 1).map(Float.init),
     inputs: carlPair.map { $0.map(Float.init) }, seed: 13)
let carlDefaults = CarlRegistration(
    size: 64, poolFactor: 4, channels: 16, depth: 3, featureStencil: 5, temperature: 1, smoothing: 1, consensus: 1, distanceLogits: true,
    refineSteps: 1, refineChannels: 16, refineDepth: 3)
let defaultsGraph = carlLossGraph(carlDefaults)
time("carl defaults pair 64x64 (loss graph)", defaultsGraph, parameters: carlDefaults.initialParameters(seed: 1), inputs: carlPair, seed: 14)
time("carl defaults pair 64x64 (loss graph) Float", defaultsGraph, parameters: carlDefaults.initialParameters(seed: 1).map(Float.init),
     inputs: carlPair.map { $0.map(Float.init) }, seed: 14)
