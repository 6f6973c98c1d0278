// Worked example for the unrolled-gradient block (issue 10): learn an S_5-equivariant denoiser
// x_K = K gradient steps on an invariant quadratic energy E_θ(x; c), started at x_0 = 0 with the
// noisy signal as context c. Run by scripts/unrolled-denoiser-example.sh, which generates
// Denoiser.swift with `archsynth generate block unrolled-gradient` and compiles both files
// against the runtime sources.
//
// Data: clean s = m·1 + 0.5ξ (m ~ N(0, 2²), ξ ~ N(0, I)), observation y = s + 0.5η; target s.
// The best possible (Bayes) estimator is linear and S_5-equivariant: mean(y)·1·(4/(4 + 0.3/5)) +
// ½(y − mean(y)·1) — shown beside the learned block as the floor.

var rng = RuntimeRandom(seed: 2026)
let n = Denoiser.outputSize
func sample() -> (input: [[Double]], target: [Double]) {
    let m = 2 * rng.normal()
    let s = (0..<n).map { _ in m + 0.5 * rng.normal() }
    let y = s.map { $0 + 0.5 * rng.normal() }
    return ([[Double](repeating: 0, count: n), y], s)
}
let test = (0..<1000).map { _ in sample() }
func testLoss(_ model: Denoiser) -> Double {
    var total = 0.0
    for (x, t) in test { total += Loss.meanSquaredError(model.forward(x), t).value }
    return total / Double(test.count)
}
// Bayes floor: per-sample prior on the mean direction (variance 4 + 0.25/n of the mean of s... computed exactly):
// mean(s) ~ N(0, 4 + 0.25/n), mean(y) = mean(s) + N(0, 0.25/n); deviations: s_dev and noise both variance 0.25.
let vMean = 4 + 0.25 / Double(n), vNoiseMean = 0.25 / Double(n)
var floor = 0.0
for (x, t) in test {
    let y = x[1], my = y.reduce(0, +) / Double(n)
    let shrink = vMean / (vMean + vNoiseMean)
    let estimate = y.map { shrink * my + 0.5 * ($0 - my) }
    floor += Loss.meanSquaredError(estimate, t).value
}
floor /= Double(test.count)

var model = Denoiser(seed: 1)
var adam = Adam(learningRate: 0.03)
let initial = testLoss(model)
print("S_5 denoiser: K = \(Denoiser.steps) unrolled gradient steps, \(Denoiser.parameterCount) parameters")
print("step\ttrain loss (batch of 32)\ttest loss")
print("0\t-\t\(initial)")
for step in 1...600 {
    let batch = (0..<32).map { _ in sample() }
    let loss = model.trainStep(batch: batch.map(\.input), targets: batch.map(\.target), optimizer: &adam)
    if step % 100 == 0 { print("\(step)\t\(loss)\t\(testLoss(model))") }
}
let final = testLoss(model)
print("test loss: initial \(initial), final \(final), ratio \(initial / final)")
print("Bayes floor (best equivariant linear estimator): \(floor); final / floor = \(final / floor)")
print("learned η_k: \(Array(model.parameters[0..<Denoiser.steps]))")
print("learned θ: \(Array(model.parameters[Denoiser.steps...]))")
let reports = Denoiser.checkLaws(model)
for r in reports { print("law after training: \(r.report.law): worst \(r.report.worst) (threshold \(r.threshold))") }
