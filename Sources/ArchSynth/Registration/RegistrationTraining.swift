import ArchSynthRuntime
import Foundation

/// Training options of `archsynth train registration` (documented defaults; the model file
/// records every one of them).
public struct RegistrationTrainingOptions: Sendable, Codable, Equatable {
    /// Adam steps; each sees `batch` pairs.
    public var steps: Int = 2000
    public var batch: Int = 4
    /// Adam's step size at step 1, cosine-decayed to 5% by the last step.
    public var learningRate: Double = 2e-3
    /// λ of the diffusion regularizer mean ‖∇u‖² (u in pixels).
    public var regularization: Double = 0.05
    public var seed: UInt64 = 1
    /// A wall-clock budget: training stops after the step that exceeds it, and the learning-rate
    /// schedule follows the larger of the fractions of steps and of time used (nil: no budget).
    /// The model file records the pairs actually seen.
    public var maxSeconds: Double? = nil
    /// Similarity and regularizer (fixed for now; recorded in the model file).
    public var similarity = "mse"
    public var regularizer = "diffusion"
    /// The scalar type the loss graph is evaluated in (`RegistrationPrecision`); nil means
    /// `.double` (model files written before the option have no key and were trained in Double).
    public var precision: RegistrationPrecision? = nil

    /// `precision`, with nil read as `.double`.
    public var resolvedPrecision: RegistrationPrecision { precision ?? .double }

    public init() {}
}

/// The arithmetic of a training step's loss graph (forward and pullback).
///
/// - `double`: the default. Every committed result (EXPERIMENTS.md, Benchmarks/registration)
///   was trained in Double, and the same command reproduces it bit for bit.
/// - `float`: the graph runs in Float (the runtime's SIMD16 Float kernels; about twice the
///   values per vector), as PyTorch trains by default. The parameters stay Double ("master
///   weights", as mixed-precision training keeps wider masters): each step rounds them to Float
///   for the graph, widens each pair's Float gradient to Double, sums the pairs in pair order and
///   runs Adam in Double. So the model file is the same format (Double parameters) and everything
///   that reads it (register, verify, laws, generate) evaluates it in Double.
public enum RegistrationPrecision: String, Sendable, Codable, CaseIterable {
    case float, double
}

/// A progress report, one per `progressInterval` steps and at the last step.
public struct RegistrationProgress: Sendable {
    public let step: Int
    public let steps: Int
    /// Mean loss over the steps since the last report.
    public let loss: Double
    public let similarity: Double
    public let regularizer: Double
    public let pairsPerSecond: Double
    public var line: String {
        String(format: "step %d/%d  loss %.5f (similarity %.5f, regularizer %.5f)  %.1f pairs/s", step, steps, loss, similarity, regularizer, pairsPerSecond)
    }
}

/// The result of training: the parameters and what happened.
public struct RegistrationTrainingResult: Sendable {
    public let parameters: [Double]
    public let finalLoss: Double
    public let pairsSeen: Int
    public let seconds: Double
}

extension RegistrationModel {
    /// loss = mean residual² + λ · mean Jacobian entry², with its gradient with respect to the
    /// parameters, for one pair, with the graph evaluated in T (Double or Float). The two means
    /// are summed in Double (the residuals widened), and each entry of the output gradient is
    /// formed in Double and rounded to T once, so the Double path is the plain formula.
    /// - Complexity: one forward and one pullback of `lossGraph`.
    public func loss<T: RuntimeScalar>(_ parameters: [T], moving: [T], fixed: [T], regularization: Double) -> (similarity: Double, regularizer: Double, gradient: [T]) {
        let (y, pullback) = lossGraph.valueWithPullback(parameters, [moving, fixed])
        let r = residualCount, j = y.count - r
        var s = 0.0, g = 0.0, dy = [T](repeating: T.zero, count: y.count)
        for k in 0..<r {
            let v = y[k].primal
            s += v * v
            dy[k] = T(2 * v / Double(r))
        }
        for k in r..<y.count {
            let v = y[k].primal
            g += v * v
            dy[k] = T(2 * regularization * v / Double(j))
        }
        return (s / Double(r), g / Double(j), pullback(dy).parameters)
    }

    /// `loss` in `precision` on Double parameters and images: in Float the parameters and images
    /// are rounded to Float and the gradient widened back to Double.
    public func loss(
        _ parameters: [Double], moving: [Double], fixed: [Double], regularization: Double, precision: RegistrationPrecision
    ) -> (similarity: Double, regularizer: Double, gradient: [Double]) {
        switch precision {
        case .double:
            return loss(parameters, moving: moving, fixed: fixed, regularization: regularization)
        case .float:
            let l = loss(parameters.map { Float($0) }, moving: moving.map { Float($0) }, fixed: fixed.map { Float($0) }, regularization: regularization)
            return (l.similarity, l.regularizer, l.gradient.map { Double($0) })
        }
    }

    /// Adam on pairs drawn from `data`; `progress` is called every `progressInterval` steps.
    ///
    /// Each step's pairs are drawn in order, their losses and gradients computed in parallel on
    /// `threads` threads (default `RuntimeThreads.count`: ARCHSYNTH_THREADS or all cores), and the
    /// gradients summed in pair order, so the parameters are bit-identical for every thread count.
    /// `options.precision` chooses the graph's arithmetic (`RegistrationPrecision`: Double by
    /// default; with Float, Adam still updates Double master weights). It also sets glibc's mmap and
    /// trim thresholds for the whole process (`RegistrationMemory`), once: freed arrays are reused
    /// by the next step instead of being faulted in again, and the process keeps its peak heap.
    public func train(
        data: RegistrationDataset, options: RegistrationTrainingOptions, initial: [Double]? = nil, progressInterval: Int = 25,
        threads: Int? = nil, progress: (RegistrationProgress) -> Void = { _ in }
    ) -> RegistrationTrainingResult {
        precondition(data.size == hyper.size, "train: images are \(data.size)×\(data.size), the model \(hyper.size)×\(hyper.size)")
        RegistrationMemory.keepFreedMemory()
        var p = initial ?? initialParameters(seed: options.seed)
        var adam = Adam(learningRate: options.learningRate)
        var rng = RuntimeRandom(seed: options.seed ^ 0x5EED_DA7A)
        let start = Date()
        var lastReport = start, windowS = 0.0, windowG = 0.0, windowCount = 0, final = Double.nan
        var pairsSeen = 0
        for step in stride(from: 1, through: options.steps, by: 1) {
            var fraction = Double(step - 1) / Double(options.steps)
            if let budget = options.maxSeconds { fraction = min(1, max(fraction, Date().timeIntervalSince(start) / budget)) }
            adam.learningRate = options.learningRate * (0.05 + 0.95 * 0.5 * (1 + cos(Double.pi * fraction)))
            var gradient = [Double](repeating: 0, count: p.count)
            let pairs = (0..<options.batch).map { _ in data.pair(&rng) }
            let parameters = p, precision = options.resolvedPrecision
            let losses = RuntimeThreads.map(pairs.count, threads: threads) { i in
                loss(parameters, moving: pairs[i].0, fixed: pairs[i].1, regularization: options.regularization, precision: precision)
            }
            for l in losses {
                for k in gradient.indices { gradient[k] += l.gradient[k] / Double(options.batch) }
                windowS += l.similarity
                windowG += l.regularizer
                windowCount += 1
                pairsSeen += 1
            }
            adam.step(&p, gradient: gradient)
            let outOfTime = options.maxSeconds.map { Date().timeIntervalSince(start) >= $0 } ?? false
            if step % progressInterval == 0 || step == options.steps || outOfTime {
                let now = Date()
                let s = windowS / Double(windowCount), g = windowG / Double(windowCount)
                final = s + options.regularization * g
                progress(RegistrationProgress(
                    step: step, steps: options.steps, loss: final, similarity: s, regularizer: g,
                    pairsPerSecond: Double(windowCount) / max(now.timeIntervalSince(lastReport), 1e-9)))
                (lastReport, windowS, windowG, windowCount) = (now, 0, 0, 0)
            }
            if outOfTime { break }
        }
        return RegistrationTrainingResult(parameters: p, finalLoss: final, pairsSeen: pairsSeen, seconds: Date().timeIntervalSince(start))
    }
}

/// The C heap's behaviour during training. A training step allocates and frees the same large
/// arrays (activations, padded convolution inputs, gradients: up to a few hundred KB each) every
/// step. glibc's defaults give every array above its mmap threshold pages of its own and return
/// the heap's free top to the system after each step, so the next step faults all those pages in
/// again: in a 20-step Float carl run on one thread, 52,000 page faults and about 12% of the CPU
/// time (`perf stat`; 3,000 faults with the settings below; BENCHMARKS.md, "The carl training
/// step against PyTorch").
enum RegistrationMemory {
    /// Raises glibc's mmap threshold to 32 MiB (its largest value) and its trim threshold to
    /// 2 GiB (`Int32.max` bytes), so freed arrays stay in the process and are reused by the next step; the process then
    /// keeps its peak heap until it exits. Once per process; a no-op off glibc. Returns whether
    /// both settings took effect.
    @discardableResult static func keepFreedMemory() -> Bool { configured }

    private static let configured: Bool = {
        #if canImport(Glibc)
            // `mallopt` and its parameters live in <malloc.h>, which the Glibc module does not
            // import: the function is looked up by name, the parameters are malloc.h's values.
            let (trimThreshold, mmapThreshold): (Int32, Int32) = (-1, -3)  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
            guard let symbol = dlsym(nil, "mallopt") else { return false }
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, Int32.max) == 1
        #else
            return false
        #endif
    }()
}
