import ArchSynth
#if canImport(ArchSynthRuntime)
    import ArchSynthRuntime
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// CARL's shift test on synthetic periodic images, and the [W,U] equivariance figures.
///
/// Data: A is a smooth random periodic image (random Fourier modes with |k| ≤ 3); B(x) =
/// A(x + s + δ(x)) with an integer shift s and a small smooth deformation δ (≤ `deformation`
/// grid units per axis), evaluated exactly from A's Fourier series, so Φ_true(x) = x + s + δ(x)
/// maps B's grid into A's. Training shifts are small (|s_a| ≤ `trainShift`); the test sweeps
/// s = (m, m) for m = 0 … N/2.
///
/// Models: the coordinate-attention template (features: `depth` periodic convolutions, shared
/// by A and B; trained on the MSE between its resultants and the unit phasors of Φ_true) and a
/// plain [U,U]-equivariant displacement network of similar size (convolutions on A ⊕ B, trained
/// on the MSE of the displacement). Error: mean over B's points of the circular Euclidean
/// distance |Φ(x) − Φ_true(x)| in grid units.
///
/// ```swift
/// let result = CoordinateAttentionExperiment.run(quick: true, seed: 1)
/// print(result.report)
/// ```
public enum CoordinateAttentionExperiment {
    public struct Configuration: Sendable {
        public var size: Int
        public var channels: Int
        public var depth: Int
        public var baselineChannels: Int
        public var baselineDepth: Int
        public var temperature: Double
        public var steps: Int
        public var batch: Int
        public var learningRate: Double
        public var trainShift: Int
        public var deformation: Double
        public var testPairs: Int

        public static let quick = Configuration(
            size: 8, channels: 8, depth: 3, baselineChannels: 8, baselineDepth: 3, temperature: 0.3, steps: 400, batch: 2,
            learningRate: 0.005, trainShift: 1, deformation: 0.5, testPairs: 4)
        public static let full = Configuration(
            size: 16, channels: 8, depth: 3, baselineChannels: 8, baselineDepth: 4, temperature: 0.3, steps: 600, batch: 2,
            learningRate: 0.005, trainShift: 2, deformation: 0.75, testPairs: 6)
    }

    public struct Row: Sendable {
        public let shift: Int
        public let template: Double
        public let baseline: Double
        public let identity: Double
    }

    public struct Result: Sendable {
        public let configuration: Configuration
        public let seed: UInt64
        public let templateParameters: Int
        public let baselineParameters: Int
        public let finalLoss: (template: Double, baseline: Double)
        public let rows: [Row]

        /// A Markdown table and the settings.
        public var report: String {
            let c = configuration
            var lines = [
                "coordinate-attention shift test: \(c.size)×\(c.size) periodic grid, seed \(seed)",
                "template: \(c.depth) conv layers × \(c.channels) channels (3×3), τ = \(c.temperature), \(templateParameters) parameters; final loss \(finalLoss.template)",
                "baseline [U,U] displacement network: \(c.baselineDepth) conv layers × \(c.baselineChannels) channels (3×3) on A ⊕ B, \(baselineParameters) parameters; final loss \(finalLoss.baseline)",
                "training: \(c.steps) Adam steps (lr \(c.learningRate)), batch \(c.batch), shifts |s| ≤ \(c.trainShift) per axis, deformation ≤ \(c.deformation) px; test: \(c.testPairs) pairs per shift s = (m, m)",
                "",
                "| shift m | template error (px) | [U,U] baseline error (px) | identity map error (px) |",
                "|---:|---:|---:|---:|",
            ]
            for r in rows {
                lines.append("| \(r.shift) | \(NumberFormat.fixed(r.template, digits: 3)) | \(NumberFormat.fixed(r.baseline, digits: 3)) | \(NumberFormat.fixed(r.identity, digits: 3)) |")
            }
            return lines.joined(separator: "\n")
        }
    }


    /// A smooth periodic image as its Fourier modes (k₁, k₂, amplitude, phase).
    struct SmoothImage {
        var modes: [(Double, Double, Double, Double)]
        let size: Int

        init(size: Int, rng: inout RuntimeRandom) {
            self.size = size
            modes = []
            for k1 in -3...3 {
                for k2 in 0...3 where !(k1 <= 0 && k2 == 0) {
                    let amplitude = rng.normal() / (1 + Double(k1 * k1 + k2 * k2))
                    modes.append((Double(k1), Double(k2), amplitude, rng.uniform(0, 2 * Double.pi)))
                }
            }
        }

        func value(_ r: Double, _ c: Double) -> Double {
            var s = 0.0
            let w = 2 * Double.pi / Double(size)
            for (k1, k2, a, p) in modes { s += a * Glibc.cos(w * (k1 * r + k2 * c) + p) }
            return 3 * s
        }
    }

    /// (A, B, Φ_true) for the shift (s₀, s₁): B(x) = I(x + δ(x)), A(y) = I(y − s), so
    /// A(Φ_true(x)) = B(x) with Φ_true(x) = x + s + δ(x). The same random stream gives the same I
    /// and δ for every shift, so a [W,U]-equivariant model makes exactly the same error at every
    /// shift (A at shift s is A at shift 0 translated).
    static func pair(size n: Int, shift: (Int, Int), deformation: Double, rng: inout RuntimeRandom) -> (a: [Double], b: [Double], phi: [Double]) {
        let image = SmoothImage(size: n, rng: &rng)
        let w = 2 * Double.pi / Double(n)
        // δ_a(x) = deformation/2 · (sin(w(k·x) + p) + sin(w(l·x) + q)) with low frequencies k, l.
        var deform: [(Double, Double, Double, Double, Double, Double)] = []
        for _ in 0..<2 {
            deform.append((Double(rng.index(2)), 1, rng.uniform(0, 2 * Double.pi), 1, Double(rng.index(2)), rng.uniform(0, 2 * Double.pi)))
        }
        var a = [Double](repeating: 0, count: n * n), b = a, phi = [Double](repeating: 0, count: 2 * n * n)
        for i in 0..<n {
            for j in 0..<n {
                let x = i * n + j
                a[x] = image.value(Double(i - shift.0), Double(j - shift.1))
                var d = [0.0, 0.0]
                for axis in 0..<2 {
                    let (k1, k2, p, l1, l2, q) = deform[axis]
                    d[axis] = deformation / 2 * (Glibc.sin(w * (k1 * Double(i) + k2 * Double(j)) + p) + Glibc.sin(w * (l1 * Double(i) + l2 * Double(j)) + q))
                }
                b[x] = image.value(Double(i) + d[0], Double(j) + d[1])
                phi[x] = Double(i + shift.0) + d[0]
                phi[n * n + x] = Double(j + shift.1) + d[1]
            }
        }
        return (a, b, phi)
    }

    /// The unit phasors of a coordinate field: the template's training target.
    static func phasors(_ phi: [Double], size n: Int) -> [Double] {
        let m = n * n, w = 2 * Double.pi / Double(n)
        var z = [Double](repeating: 0, count: 4 * m)
        for x in 0..<m {
            z[x] = Glibc.cos(w * phi[x])
            z[m + x] = Glibc.sin(w * phi[x])
            z[2 * m + x] = Glibc.cos(w * phi[m + x])
            z[3 * m + x] = Glibc.sin(w * phi[m + x])
        }
        return z
    }

    /// Mean over points of the circular Euclidean distance between two coordinate fields.
    public static func registrationError(_ a: [Double], _ b: [Double], size n: Int) -> Double {
        let m = n * n
        var total = 0.0
        for x in 0..<m {
            var s = 0.0
            for axis in 0..<2 {
                var d = (a[axis * m + x] - b[axis * m + x]).truncatingRemainder(dividingBy: Double(n))
                if d < 0 { d += Double(n) }
                d = min(d, Double(n) - d)
                s += d * d
            }
            total += s.squareRoot()
        }
        return total / Double(m)
    }

    public static func run(quick: Bool, seed: UInt64) -> Result {
        run(quick ? .quick : .full, seed: seed)
    }

    public static func run(_ c: Configuration, seed: UInt64) -> Result {
        let n = c.size, grid = PeriodicGrid(height: n, width: n)
        let template = RegistrationNetworks.coordinateAttention(grid: grid, imageChannels: 1, channels: c.channels, depth: c.depth, stencil: 3, temperature: c.temperature)
        let baseline = RegistrationNetworks.displacementNetwork(grid: grid, imageChannels: 1, channels: c.baselineChannels, depth: c.baselineDepth, stencil: 3)
        var pt = RegistrationNetworks.initialParameters(template, seed: seed), pb = RegistrationNetworks.initialParameters(baseline, seed: seed &+ 1)
        var adamT = Adam(learningRate: c.learningRate), adamB = Adam(learningRate: c.learningRate)
        var rng = RuntimeRandom(seed: seed &+ 2)
        var lossT = 0.0, lossB = 0.0
        for _ in 0..<c.steps {
            var batch: [[[Double]]] = [], targetsT: [[Double]] = [], targetsB: [[Double]] = []
            for _ in 0..<c.batch {
                let s = (rng.index(2 * c.trainShift + 1) - c.trainShift, rng.index(2 * c.trainShift + 1) - c.trainShift)
                let p = pair(size: n, shift: s, deformation: c.deformation, rng: &rng)
                batch.append([p.a, p.b])
                targetsT.append(phasors(p.phi, size: n))
                var d = p.phi
                for x in 0..<(n * n) {
                    d[x] -= Double(x / n)
                    d[n * n + x] -= Double(x % n)
                }
                targetsB.append(d)
            }
            let (lt, gt) = template.lossAndGradient(pt, batch: batch, targets: targetsT)
            adamT.step(&pt, gradient: gt)
            let (lb, gb) = baseline.lossAndGradient(pb, batch: batch, targets: targetsB)
            adamB.step(&pb, gradient: gb)
            (lossT, lossB) = (lt, lb)
        }
        var rows: [Row] = []
        for m in 0...(n / 2) {
            var test = RuntimeRandom(seed: seed &+ 1000)  // the same images at every shift
            var et = 0.0, eb = 0.0, ei = 0.0
            for _ in 0..<c.testPairs {
                let p = pair(size: n, shift: (m, m), deformation: c.deformation, rng: &test)
                let phiT = CircularCoordinate.coordinates(template.forward(pt, [p.a, p.b]), grid: grid)
                let phiB = RegistrationNetworks.coordinates(displacement: baseline.forward(pb, [p.a, p.b]), grid: grid)
                et += registrationError(phiT, p.phi, size: n)
                eb += registrationError(phiB, p.phi, size: n)
                ei += registrationError(RegistrationNetworks.coordinates(displacement: [Double](repeating: 0, count: 2 * n * n), grid: grid), p.phi, size: n)
            }
            let k = Double(c.testPairs)
            rows.append(Row(shift: m, template: et / k, baseline: eb / k, identity: ei / k))
        }
        return Result(
            configuration: c, seed: seed, templateParameters: template.parameterCount, baselineParameters: baseline.parameterCount,
            finalLoss: (lossT, lossB), rows: rows)
    }

    /// The worst [W,U] error of a map (A, B) ↦ Φ (coordinates, 2n values) over every pair of
    /// translations of an H×W grid (all (H·W)² pairs), on `inputs` pairs of random images;
    /// circular distance in grid units.
    public static func wuCoordinateError(grid: PeriodicGrid, inputs: Int, seed: UInt64, _ phi: ([[Double]]) -> [Double]) -> Double {
        let law = CoordinateAttention.wuCoordinateLaw(grid: grid, inputChannels: 1, completeLimit: Int.max)
        var rng = RuntimeRandom(seed: seed)
        var worst = 0.0
        for _ in 0..<inputs {
            let e = law.worstError(at: [rng.normals(grid.count), rng.normals(grid.count)], phi).error
            if !(e <= worst) { worst = e }
        }
        return worst
    }
}
