/// Plain gradient descent θ ← θ − η g.
public struct SGD: Sendable {
    /// η, the step size.
    public var learningRate: Double

    /// Gradient descent with step size η = `learningRate`.
    public init(learningRate: Double) { self.learningRate = learningRate }

    /// One step θ ← θ − η g (the sizes must agree).
    /// - Complexity: O(parameters).
    public mutating func step<T: BinaryFloatingPoint>(_ parameters: inout [T], gradient: [T]) {
        precondition(parameters.count == gradient.count, "SGD: \(parameters.count) parameters, \(gradient.count) gradients")
        let eta = T(learningRate)
        for i in parameters.indices { parameters[i] -= eta * gradient[i] }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction.
public struct Adam: Sendable {
    /// η, the step size.
    public var learningRate: Double
    /// β₁, the decay of the first-moment estimate.
    public var beta1: Double
    /// β₂, the decay of the second-moment estimate.
    public var beta2: Double
    /// ε, added to √v̂ in the denominator.
    public var epsilon: Double
    /// The first-moment estimate, one entry per parameter (empty before the first step).
    public private(set) var m: [Double] = []
    /// The second-moment estimate, one entry per parameter.
    public private(set) var v: [Double] = []
    /// The number of steps taken (for the bias correction).
    public private(set) var t = 0

    /// Adam with Kingma & Ba's defaults.
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// One update; moments are kept in Double whatever the parameters' precision.
    public mutating func step<T: BinaryFloatingPoint>(_ parameters: inout [T], gradient: [T]) {
        precondition(parameters.count == gradient.count, "Adam: \(parameters.count) parameters, \(gradient.count) gradients")
        if m.count != parameters.count {
            m = [Double](repeating: 0, count: parameters.count)
            v = m
            t = 0
        }
        t += 1
        var c1 = 1.0, c2 = 1.0
        for _ in 0..<t {
            c1 *= beta1
            c2 *= beta2
        }
        for i in parameters.indices {
            let g = Double(gradient[i])
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            let mh = m[i] / (1 - c1), vh = v[i] / (1 - c2)
            parameters[i] -= T(learningRate * mh / (vh.squareRoot() + epsilon))
        }
    }
}

/// Losses with their gradients with respect to the prediction.
public enum Loss {
    /// (1 / (count · d)) Σ (y − t)² over a row-major batch, and its gradient.
    @inlinable public static func meanSquaredError<T: RuntimeScalar>(batch y: [T], targets t: [T], count: Int) -> (value: T, gradient: [T]) {
        precondition(y.count == t.count, "meanSquaredError: \(y.count) outputs, \(t.count) targets")
        var grad = [T](repeating: T.zero, count: y.count)
        guard count > 0, !y.isEmpty else { return (T.zero, grad) }
        let scale = T(1) / T(Double(y.count))
        var total = T.zero
        for i in y.indices {
            let r = y[i] - t[i]
            total += r * r
            grad[i] = T(2) * r * scale
        }
        return (total * scale, grad)
    }

    /// −(1 / count) Σ_n Σ_k t_nk log softmax(y_n)_k over `count` rows of `d` logits (targets:
    /// class probabilities per row, e.g. one-hot), and its gradient.
    @inlinable public static func softmaxCrossEntropy<T: RuntimeScalar>(batch y: [T], targets t: [T], count: Int, classes d: Int) -> (value: T, gradient: [T]) {
        precondition(y.count == count * d && t.count == y.count, "softmaxCrossEntropy: expected \(count) × \(d) logits and targets")
        var grad = [T](repeating: T.zero, count: y.count)
        guard count > 0, d > 0 else { return (T.zero, grad) }
        var total = T.zero
        let n = T(Double(count))
        for row in 0..<count {
            let o = row * d
            var m = y[o]
            for k in 1..<d where y[o + k] > m { m = y[o + k] }
            var sum = T.zero
            for k in 0..<d { sum += T.exp(y[o + k] - m) }
            let logZ = T.log(sum) + m
            var tSum = T.zero
            for k in 0..<d {
                tSum += t[o + k]
                total -= t[o + k] * (y[o + k] - logZ)
            }
            for k in 0..<d { grad[o + k] = (T.exp(y[o + k] - logZ) * tSum - t[o + k]) / n }
        }
        return (total / n, grad)
    }

    /// (1/n) Σ (y − t)² and its gradient.
    public static func meanSquaredError(_ y: [Double], _ t: [Double]) -> (value: Double, gradient: [Double]) {
        precondition(y.count == t.count, "meanSquaredError: \(y.count) predictions, \(t.count) targets")
        let n = Double(max(y.count, 1))
        var value = 0.0
        var g = [Double](repeating: 0, count: y.count)
        for i in y.indices {
            let d = y[i] - t[i]
            value += d * d / n
            g[i] = 2 * d / n
        }
        return (value, g)
    }

    /// log(1 + e^(−s·y)) for a label s = ±1 and a score y (logistic loss), and its gradient.
    public static func logistic(score y: Double, label s: Double) -> (value: Double, gradient: Double) {
        let z = -s * y
        let value = z > 0 ? z + Double.log(1 + Double.exp(-z)) : Double.log(1 + Double.exp(z))
        let sig = 1 / (1 + Double.exp(-z))
        return (value, -s * sig)
    }
}

extension DifferentiableNode {
    /// Mean over the batch of `loss(f(θ; x), target)` and its gradient with respect to θ.
    public func lossAndGradient(
        _ parameters: [Double], batch: [[[Double]]], targets: [[Double]],
        loss: ([Double], [Double]) -> (value: Double, gradient: [Double]) = Loss.meanSquaredError
    ) -> (loss: Double, gradient: [Double]) {
        precondition(batch.count == targets.count && !batch.isEmpty, "lossAndGradient: \(batch.count) inputs, \(targets.count) targets")
        var total = 0.0
        var g = [Double](repeating: 0, count: parameterCount)
        for (x, t) in zip(batch, targets) {
            let (y, pb) = valueWithPullback(parameters, x)
            let (l, dy) = loss(y, t)
            total += l
            let dp = pb(dy).parameters
            for i in g.indices { g[i] += dp[i] }
        }
        let s = 1 / Double(batch.count)
        return (total * s, g.map { $0 * s })
    }

    /// One Adam step on the batch's mean loss (default: mean squared error against `targets`);
    /// returns the loss before the step. What every generated template's `trainingStep` does.
    @discardableResult
    public func trainingStep(
        _ parameters: inout [Double], batch: [[[Double]]], targets: [[Double]], optimizer: inout Adam,
        loss: ([Double], [Double]) -> (value: Double, gradient: [Double]) = Loss.meanSquaredError
    ) -> Double {
        let (value, gradient) = lossAndGradient(parameters, batch: batch, targets: targets, loss: loss)
        optimizer.step(&parameters, gradient: gradient)
        return value
    }
}
