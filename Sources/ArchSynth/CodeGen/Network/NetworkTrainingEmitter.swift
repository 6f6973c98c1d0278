/// The optimizer choice and `trainStep`: forward, loss, backward through every layer and
/// nonlinearity, then the runtime's SGD or Adam on all weights, biases and gates.
struct NetworkTrainingEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        p.print("""
            // MARK: Training
            /// Stochastic gradient descent or Adam (Kingma & Ba 2015, with bias correction).
            public struct Optimizer: Sendable {
                public enum Kind: Sendable { case sgd, adam }
                public var kind: Kind
                public var beta1: Float
                public var beta2: Float
                public var epsilon: Float
                public init(kind: Kind, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
                    self.kind = kind
                    self.beta1 = beta1
                    self.beta2 = beta2
                    self.epsilon = epsilon
                }
                /// θ ← θ − η ∇L.
                public static let sgd = Optimizer(kind: .sgd)
                /// Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8.
                public static let adam = Optimizer(kind: .adam)
            }

            /// One optimization step on a batch: forward, loss, backward through every layer and
            /// nonlinearity, then an SGD or Adam update of all weights, biases and gates.
            /// Returns the loss before the update. Targets are count × outputDimension values.
            ///
            /// ```swift
            /// var net = \(n.network.typeName)(seed: 1)
            /// let loss = net.trainStep(batch: x, targets: t, count: 32, learningRate: 1e-2, optimizer: .adam)
            /// ```
            public mutating func trainStep(
                batch: [Float], targets: [Float], count: Int, learningRate: Float, optimizer: Optimizer = .sgd,
                loss: Loss = .meanSquaredError
            ) -> Float {
                precondition(count > 0 && batch.count == count * Self.inputDimension, "batch must hold count × \\(Self.inputDimension) values")
                let g = gates
                let t = _trace(batch, count: count, gates: g)
                let (value, dy) = Self.loss(output: t.a[t.a.count - 1], targets: targets, count: count, loss: loss)
                let grad = _backward(t.a, t.z, dy, count: count, gates: g)
                var parameters = weights + bias
                let gradient = grad.weights + grad.bias
                switch optimizer.kind {
                case .sgd:
                    var sgd = ArchSynthRuntime.SGD(learningRate: Double(learningRate))
                    sgd.step(&parameters, gradient: gradient)
                case .adam:
                    _adam.learningRate = Double(learningRate)
                    _adam.beta1 = Double(optimizer.beta1)
                    _adam.beta2 = Double(optimizer.beta2)
                    _adam.epsilon = Double(optimizer.epsilon)
                    _adam.step(&parameters, gradient: gradient)
                }
                setParameters(weights: Array(parameters[..<Self.weightCount]), bias: Array(parameters[Self.weightCount...]))
                return value
            }
            """)
    }
}
