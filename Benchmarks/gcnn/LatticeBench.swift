// Timing and equivariance of one generated lattice layer (type `Layer`), compiled with the layer
// by Benchmarks/gcnn/run.sh: swiftc -O Layer.swift LatticeBench.swift against ArchSynthRuntime.
// Usage: bench BATCH THREADS REPS ROTATION_GENERATOR CHECK (CHECK 0 skips the check over every
// point element with the zero and unit translations, for the largest layers)
// Prints one line of key=value pairs.
import ArchSynthRuntime

let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }

let args = CommandLine.arguments
let batch = Int(args[1])!, threads = Int(args[2])!, reps = Int(args[3])!, rotation = Int(args[4])!, check = Int(args[5])! != 0

// Construction: the first use of the static tables (basis decoding, the runtime node) and the
// kernel expansion of θ.
let t0 = clock.now
var layer = Layer(seed: 1)
let construct = seconds(clock.now - t0)
layer.threads = threads
var rng = RuntimeRandom(seed: 2)
// Random weights and biases (the seeded init leaves the bias at zero).
layer.setParameters(
    weights: (0..<Layer.weightCount).map { _ in Float(rng.uniform(-1, 1)) }, bias: (0..<Layer.biasCount).map { _ in Float(rng.uniform(-1, 1)) })
let x = (0..<batch * Layer.inputDimension).map { _ in Float(rng.uniform(-1, 1)) }
let dy = (0..<batch * Layer.outputDimension).map { _ in Float(rng.uniform(-1, 1)) }
var sink: Float = 0
sink += layer.forward(batch: x, count: batch)[0]
var forward: [Double] = [], backward: [Double] = []
for _ in 0..<reps {
    let t = clock.now
    sink += layer.forward(batch: x, count: batch)[0]
    forward.append(seconds(clock.now - t))
}
sink += layer.backward(batch: x, outputGradient: dy, count: batch).weights[0]
for _ in 0..<reps {
    let t = clock.now
    sink += layer.backward(batch: x, outputGradient: dy, count: batch).weights[0]
    backward.append(seconds(clock.now - t))
}

// Equivariance (Double and Float passes, one standard-normal input): the 90° rotation (a point
// generator, zero translation), and every point element with the zero and unit translations.
var probe = RuntimeRandom(seed: 3)
let x1 = probe.normals(Layer.inputDimension)
let maps: [([[Double]]) -> [Double]] = [
    { layer.forward($0[0]) }, { layer.forward($0[0].map(Float.init)).map(Double.init) },
]
let fx = maps.map { $0([x1]) }
let gx = Layer.actOnInput(generator: rotation, x1)
let rotationErrors = maps.indices.map { Law.relativeError(maps[$0]([gx]), Layer.actOnOutput(generator: rotation, fx[$0])) }
let points = Layer.inputFields.points
let h = LatticeFieldType.pointElements(Layer.inputFields.pointGenerators, dimension: Layer.inputFields.sides.count).count
let law = Law.lattice(input: Layer.inputFields, output: Layer.outputFields, limit: check ? h * (1 + Layer.inputFields.sides.count) : 0)
let every = check ? law.worstErrors(at: [x1], maps) : [(error: Double.nan, element: 0), (error: Double.nan, element: 0)]
print(
    "construct_s=\(construct) forward_median_s=\(median(forward)) backward_median_s=\(median(backward)) batch=\(batch) threads=\(threads) reps=\(reps)"
        + " rotation90_error_double=\(rotationErrors[0]) rotation90_error_float=\(rotationErrors[1])"
        + " point_elements=\(h) checked_elements=\(check ? law.elementCount : 0) of \(points * h) every_checked_error_double=\(every[0].error) every_checked_error_float=\(every[1].error)"
        + " weights=\(Layer.weightCount) sink=\(sink.isFinite)")
