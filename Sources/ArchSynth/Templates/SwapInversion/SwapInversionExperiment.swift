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
/// let report = SwapInversionExperiment.run(quick: true, seed: 1)
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
        let form = SwapInversionForm.svf(height: h, width: w)
        let a = smoothImage(h, w, &rng)
        let v = form.embedding.forward([Double](), rng.normals(form.coefficientCount, scale: 0.25))
        let d = VelocityIntegration.graph(height: h, width: w, squarings: 7, mode: .periodic).forward([Double](), v)
        let b = DisplacementWarp(channels: 1, height: h, width: w, mode: .periodic).forward([Double](), [a, d])
        return [a, b]
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
        var p = core.initialParameters(seed: seed), adam = Adam(learningRate: 5e-4)
        var rng = RuntimeRandom(seed: seed ^ 0xABCD)
        let initial = imageLoss(graph, p, test)
        var curve: [(Int, Double)] = [(0, initial)]
        for step in 1...steps {
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
            inverseConsistencyMean: icMean, inverseConsistencyMax: icMax, lossCurve: curve)
    }

    static func matrixResults(seed: UInt64, trainSteps: Int) -> [MatrixResult] {
        var results: [MatrixResult] = []
        for form in [SwapInversionForm.affine(2), .affine(3), .rigid(2), .rigid(3)] {
            let d = form.matrixSize! - 1, n = d + 1, points = d + 1, size = d * points
            guard let core = try? SwapInversionTemplate(form: form, inputSize: size, hidden: 16).core() else { continue }
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

    /// quick: 16×16 grid, 60 steps (tests, smoke runs); full: 32×32, 600 steps.
    public static func run(quick: Bool, seed: UInt64 = 1, steps: Int? = nil) -> Report {
        let start = Date()
        let side = quick ? 16 : 32
        let steps = steps ?? (quick ? 60 : 600)
        var rng = RuntimeRandom(seed: seed)
        let train = (0..<(quick ? 256 : 2048)).map { _ in pair(side, side, &rng) }
        let test = (0..<(quick ? 8 : 32)).map { _ in pair(side, side, &rng) }
        guard let template = try? SwapInversionTemplate(form: .svf(height: side, width: side), inputSize: side * side, hidden: 16) else {
            preconditionFailure("SwapInversionExperiment: the solver failed on cyclic:2")
        }
        let t = Self.train(name: "swap-inversion template", core: template.core(), train: train, test: test, steps: steps, batch: 4, seed: seed)
        let u = Self.train(name: "unconstrained N(A,B)", core: template.unconstrainedCore(), train: train, test: test, steps: steps, batch: 4, seed: seed)
        let matrix = matrixResults(seed: seed, trainSteps: quick ? 50 : 300)
        let seconds = Date().timeIntervalSince(start)
        var lines = [
            "swap-inversion experiment: svf:\(side)x\(side), K = 7 squarings, periodic boundary, hidden 2×16, Adam 5e-4, batch 4, \(steps) steps, \(train.count) training pairs, \(test.count) test pairs, seed \(seed)",
            "model\tparameters\tinitial_loss\tfinal_loss\tloss_ratio\tic_mean\tic_max",
        ]
        for r in [t, u] {
            lines.append("\(r.model)\t\(r.parameters)\t\(r.initialLoss)\t\(r.finalLoss)\t\(r.initialLoss / r.finalLoss)\t\(r.inverseConsistencyMean)\t\(r.inverseConsistencyMax)")
        }
        lines.append("ic_ratio_mean (unconstrained / template)\t\(u.inverseConsistencyMean / t.inverseConsistencyMean)")
        lines.append("ic_ratio_max (unconstrained / template)\t\(u.inverseConsistencyMax / t.inverseConsistencyMax)")
        lines.append("loss curves (step:loss)")
        for r in [t, u] { lines.append("\(r.model)\t" + r.lossCurve.map { "\($0.step):\($0.loss)" }.joined(separator: " ")) }
        lines.append("matrix forms: worst ‖Φ[A,B]Φ[B,A] − I‖_F over 20 draws per family")
        lines.append("form\tstate\t" + InputFamily.allCases.map(\.rawValue).joined(separator: "\t"))
        for m in matrix {
            lines.append("\(m.form)\t\(m.trained ? "trained" : "untrained")\t" + m.worstByFamily.map { "\($0.error)" }.joined(separator: "\t"))
        }
        lines.append("wall seconds\t\(String(format: "%.1f", seconds))")
        return Report(size: side, steps: steps, seconds: seconds, template: t, unconstrained: u, matrix: matrix, text: lines.joined(separator: "\n"))
    }
}
