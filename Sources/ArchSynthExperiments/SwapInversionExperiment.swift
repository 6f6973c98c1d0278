import ArchSynth
import ArchSynthRuntime
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 8's field-form measurement: the svf template vs an unconstrained network of the same
/// widths (N(A, B) used directly: dense layers, no antisymmetrization, Φ_BA from N(B, A)),
/// both trained with Adam on the same synthetic pairs by the symmetric image loss
/// ½(‖A∘Φ_AB − B‖² + ‖B∘Φ_BA − A‖²)/pixels; then the image loss and the inverse-consistency
/// error ‖Φ_AB(Φ_BA(x)) − x‖ (grid units, mean and max over pixels and test pairs) on held-out
/// pairs. Data: smooth periodic random images (Fourier modes |k| ≤ 2, unit variance) and
/// B = A∘(id + δ) with δ the scaling-and-squaring exponential of a random smooth velocity
/// (the bump basis with N(0, 0.25²) coefficients: about a pixel).
///
/// Also measures the matrix forms: ‖Φ[A,B]Φ[B,A] − I‖_F on random and out-of-distribution inputs
/// for untrained and trained parameters (trained on point-set pairs b = T(a)).
///
/// ```swift
/// let report = try SwapInversionExperiment.run(quick: true, seed: 1)
/// print(report.text)
/// ```
public enum SwapInversionExperiment {
    public struct FieldResult: Sendable {
        public let model: String
        public let parameters: Int
        public let initialLoss: Double
        public let finalLoss: Double
        public let inverseConsistencyMean: Double
        public let inverseConsistencyMax: Double
        public let lossCurve: [(step: Int, loss: Double)]
        /// Training time (wall and this process's CPU seconds; the loss evaluations included).
        public let wallSeconds: Double
        public let cpuSeconds: Double
    }

    public struct MatrixResult: Sendable {
        public let form: String
        public let trained: Bool
        /// Worst ‖Φ[A,B]Φ[B,A] − I‖_F per input family.
        public let worstByFamily: [(family: String, error: Double)]
    }

    public struct Report: Sendable {
        public let size: Int
        public let steps: Int
        public let seconds: Double
        /// The image loss of the true transforms on the test pairs (the floor).
        public let trueLoss: Double
        public let template: FieldResult
        public let unconstrained: FieldResult
        public let matrix: [MatrixResult]
        public let text: String
    }

    /// Smooth periodic random image (Fourier modes with |ky|, |kx| ≤ 2, unit variance).
    public static func smoothImage(_ h: Int, _ w: Int, _ rng: inout RuntimeRandom) -> [Double] {
        var img = [Double](repeating: 0, count: h * w)
        for ky in 0...2 {
            for kx in -2...2 where !(ky == 0 && kx <= 0) {
                let a = rng.normal(), b = rng.normal()
                for i in 0..<h {
                    for j in 0..<w {
                        let t = 2 * Double.pi * (Double(ky * i) / Double(h) + Double(kx * j) / Double(w))
                        img[i * w + j] += a * cos(t) + b * sin(t)
                    }
                }
            }
        }
        let mean = img.reduce(0, +) / Double(img.count)
        let sd = (img.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(img.count)).squareRoot()
        return img.map { ($0 - mean) / sd }
    }

    /// (A, B = A∘(id + δ)) with δ = exp of a random smooth velocity field.
    public static func pair(_ h: Int, _ w: Int, _ rng: inout RuntimeRandom) -> [[Double]] {
        pairAndVelocity(h, w, &rng).images
    }

    /// The pair and the velocity v that generated it (δ = exp(v), the bump basis with N(0, 0.25²)
    /// coefficients: an svf of the template's form, so the target is representable).
    public static func pairAndVelocity(_ h: Int, _ w: Int, _ rng: inout RuntimeRandom) -> (images: [[Double]], velocity: [Double]) {
        let form = SwapInversionForm.svf(height: h, width: w)
        let a = smoothImage(h, w, &rng)
        let v = form.embedding.forward([Double](), rng.normals(form.coefficientCount, scale: 0.25))
        let d = VelocityIntegration.graph(height: h, width: w, squarings: 7, mode: .periodic).forward([Double](), v)
        let b = DisplacementWarp(channels: 1, height: h, width: w, mode: .periodic).forward([Double](), [a, d])
        return ([a, b], v)
    }

    /// The symmetric image loss of the true transforms (exp(v), exp(−v) from the generating
    /// velocity): the floor a perfect registration network reaches (interpolation error only).
    static func trueLoss(_ h: Int, _ w: Int, _ pairs: [(images: [[Double]], velocity: [Double])]) -> Double {
        let integrate = VelocityIntegration.graph(height: h, width: w, squarings: 7, mode: .periodic)
        let warp = DisplacementWarp(channels: 1, height: h, width: w, mode: .periodic)
        var total = 0.0
        for (x, v) in pairs {
            let dab = integrate.forward([Double](), v), dba = integrate.forward([Double](), v.map { -$0 })
            let wa = warp.forward([Double](), [x[0], dab]), wb = warp.forward([Double](), [x[1], dba])
            var s = 0.0
            for k in 0..<(h * w) { s += (wa[k] - x[1][k]) * (wa[k] - x[1][k]) + (wb[k] - x[0][k]) * (wb[k] - x[0][k]) }
            total += s / Double(2 * h * w)
        }
        return total / Double(pairs.count)
    }

    static func imageLoss(_ graph: Graph, _ p: [Double], _ pairs: [[[Double]]]) -> Double {
        var total = 0.0
        for x in pairs {
            let r = graph.forward(p, x)
            total += r.reduce(0) { $0 + $1 * $1 } / Double(r.count)
        }
        return total / Double(pairs.count)
    }

    static func train(
        name: String, core: SwapInversionCore, train: [[[Double]]], test: [[[Double]]], steps: Int, batch: Int, seed: UInt64
    ) -> FieldResult {
        let graph = core.imageResidualGraph()
        let (wall0, cpu0) = (Date(), cpuSeconds())
        var p = core.initialParameters(seed: seed), adam = Adam(learningRate: learningRate)
        var rng = RuntimeRandom(seed: seed ^ 0xABCD)
        let initial = imageLoss(graph, p, test)
        var curve: [(Int, Double)] = [(0, initial)]
        for step in 1...steps {
            // Cosine decay from the learning rate to 5% of it.
            adam.learningRate = learningRate * (0.05 + 0.95 * 0.5 * (1 + cos(Double.pi * Double(step - 1) / Double(steps))))
            var g = [Double](repeating: 0, count: p.count)
            for _ in 0..<batch {
                let x = train[rng.index(train.count)]
                let (r, pb) = graph.valueWithPullback(p, x)
                let n = Double(r.count)
                let dp = pb(r.map { 2 * $0 / n }).parameters
                for k in g.indices { g[k] += dp[k] / Double(batch) }
            }
            adam.step(&p, gradient: g)
            if step % max(1, steps / 10) == 0 || step == steps { curve.append((step, imageLoss(graph, p, test))) }
        }
        var icMean = 0.0, icMax = 0.0
        for x in test {
            let e = core.inverseConsistencyError(p, x[0], x[1])
            icMean += e.mean / Double(test.count)
            icMax = max(icMax, e.max)
        }
        return FieldResult(
            model: name, parameters: core.parameterCount, initialLoss: initial, finalLoss: curve.last!.1,
            inverseConsistencyMean: icMean, inverseConsistencyMax: icMax, lossCurve: curve,
            wallSeconds: Date().timeIntervalSince(wall0), cpuSeconds: cpuSeconds() - cpu0)
    }

    /// The Adam learning rate at step 1 (cosine decay to 5% by the last step).
    public static let learningRate = 1e-3
    /// Channels per regular half of the field network (2×8 regular channels).
    public static let fieldHidden = 8

    /// CPU seconds used by this process so far (all threads).
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Every matrix form is measured: a form whose template cannot be built is an error, not a
    /// row silently left out of the table.
    static func matrixResults(seed: UInt64, trainSteps: Int) throws -> [MatrixResult] {
        var results: [MatrixResult] = []
        for form in [SwapInversionForm.affine(2), .affine(3), .rigid(2), .rigid(3)] {
            let d = form.matrixSize! - 1, n = d + 1, points = d + 1, size = d * points
            let core = try SwapInversionTemplate(form: form, inputSize: size, hidden: 16).core()
            var p = core.initialParameters(seed: seed)
            var rng = RuntimeRandom(seed: seed &+ 17)
            func measure(trained: Bool) -> MatrixResult {
                var rows: [(String, Double)] = []
                for family in InputFamily.allCases {
                    var worst = 0.0
                    for _ in 0..<20 {
                        let a = family.sample(size, &rng), b = family.sample(size, &rng)
                        let e = core.inverseConsistencyError(p, a, b).max
                        if !(e <= worst) { worst = e.isNaN ? .infinity : e }
                    }
                    rows.append((family.rawValue, worst))
                }
                return MatrixResult(form: form.description, trained: trained, worstByFamily: rows)
            }
            results.append(measure(trained: false))
            // Train on b = T(a), fixed a (the simplex corners), T = exp of a random generator of the form.
            var a = [Double](repeating: 0, count: size)
            for k in 0..<d { a[k * points + k] = 1 }
            for k in 0..<d { a[k * points + d] = -1 }
            var adam = Adam(learningRate: 1e-2)
            for _ in 0..<trainSteps {
                var batch: [[[Double]]] = [], targets: [[Double]] = []
                for _ in 0..<8 {
                    let c = rng.normals(form.coefficientCount, scale: 0.5)
                    let t = MatrixExponential.exp(form.embedding.forward([Double](), c), n)
                    var b = a
                    for q in 0..<points {
                        for r in 0..<d {
                            var s = t[r * n + d]
                            for k in 0..<d { s += t[r * n + k] * a[k * points + q] }
                            b[r * points + q] = s
                        }
                    }
                    batch.append([a, b])
                    targets.append(t)
                }
                core.trainingStep(&p, batch: batch, targets: targets, optimizer: &adam)
            }
            results.append(measure(trained: true))
        }
        return results
    }

    /// quick: 16×16 grid, 60 steps (tests, smoke runs); full: 32×32, 4000 steps.
    public static func run(quick: Bool, seed: UInt64 = 1, steps: Int? = nil) throws -> Report {
        let start = Date(), cpuStart = cpuSeconds()
        let side = quick ? 16 : 32
        let steps = steps ?? (quick ? 60 : 4000)
        var rng = RuntimeRandom(seed: seed)
        let train = (0..<(quick ? 256 : 2048)).map { _ in pair(side, side, &rng) }
        let testWithVelocity = (0..<(quick ? 8 : 32)).map { _ in pairAndVelocity(side, side, &rng) }
        let test = testWithVelocity.map(\.images)
        let floor = trueLoss(side, side, testWithVelocity)
        let template = try SwapInversionTemplate(form: .svf(height: side, width: side), inputSize: side * side, hidden: fieldHidden)
        let t = Self.train(name: "swap-inversion template", core: template.core(), train: train, test: test, steps: steps, batch: 4, seed: seed)
        let u = Self.train(name: "unconstrained N(A,B)", core: template.unconstrainedCore(), train: train, test: test, steps: steps, batch: 4, seed: seed)
        let matrix = try matrixResults(seed: seed, trainSteps: quick ? 50 : 300)
        let seconds = Date().timeIntervalSince(start)
        var lines = [
            "swap-inversion experiment: svf:\(side)x\(side), K = 7 squarings, periodic boundary, field network: \(template.networkLine); Adam \(Self.learningRate) (cosine to 5%), batch 4, \(steps) steps, \(train.count) training pairs, \(test.count) test pairs (losses on the test pairs), seed \(seed)",
            "model\tparameters\tinitial_loss\tfinal_loss\tloss_ratio\tic_mean\tic_max\ttrain_wall_s\ttrain_cpu_s",
        ]
        for r in [t, u] {
            lines.append(
                "\(r.model)\t\(r.parameters)\t\(r.initialLoss)\t\(r.finalLoss)\t\(r.initialLoss / r.finalLoss)\t\(r.inverseConsistencyMean)\t\(r.inverseConsistencyMax)\t"
                    + String(format: "%.1f\t%.1f", r.wallSeconds, r.cpuSeconds))
        }
        lines.append("image loss of the true transforms exp(±v_true) on the test pairs (floor)\t\(floor)")
        lines.append("ic_ratio_mean (unconstrained / template)\t\(u.inverseConsistencyMean / t.inverseConsistencyMean)")
        lines.append("ic_ratio_max (unconstrained / template)\t\(u.inverseConsistencyMax / t.inverseConsistencyMax)")
        lines.append("loss curves (step:loss)")
        for r in [t, u] { lines.append("\(r.model)\t" + r.lossCurve.map { "\($0.step):\($0.loss)" }.joined(separator: " ")) }
        lines.append("matrix forms: worst ‖Φ[A,B]Φ[B,A] − I‖_F over 20 draws per family")
        lines.append("form\tstate\t" + InputFamily.allCases.map(\.rawValue).joined(separator: "\t"))
        for m in matrix {
            lines.append("\(m.form)\t\(m.trained ? "trained" : "untrained")\t" + m.worstByFamily.map { "\($0.error)" }.joined(separator: "\t"))
        }
        lines.append("wall seconds\t\(String(format: "%.1f", seconds))\tcpu seconds\t\(String(format: "%.1f", cpuSeconds() - cpuStart))")
        return Report(size: side, steps: steps, seconds: seconds, trueLoss: floor, template: t, unconstrained: u, matrix: matrix, text: lines.joined(separator: "\n"))
    }
}
