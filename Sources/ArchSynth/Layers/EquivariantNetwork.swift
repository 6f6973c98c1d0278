import ArchSynthRuntime
import GroupTheory

/// An equivariant network built in the library and evaluated in Float64: `EquivariantLayer`s
/// joined by the nonlinearities of `NonlinearityPlan`. The reference for generated networks
/// (same parameter layout: weights of every layer; biases of every layer, then gate biases).
///
/// ```swift
/// var net = try EquivariantNetwork(description: try NetworkDescription.solving(typeName: "N", group: s5, expressions: ["natural", "natural", "trivial"]), seed: 1)
/// let y = net.forward(x)
/// ```
public struct EquivariantNetwork: Sendable {
    public private(set) var layers: [EquivariantLayer]
    public let representations: [Representation]
    public let nonlinearities: [NonlinearityPlan]
    public private(set) var gates: [Double]

    /// Layers with parameters θ, β ~ U(−1, 1) scaled by each layer's variance-preserving bound; gates 0.
    public init(description: NetworkDescription, seed: UInt64) {
        var layers: [EquivariantLayer] = []
        for (i, l) in description.layers.enumerated() {
            var rng = RuntimeRandom(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            let a = l.initializationBound
            layers.append(EquivariantLayer(
                basis: l.basis, weights: (0..<l.basis.dimension).map { _ in (rng.unit() * 2 - 1) * a },
                bias: [Double](repeating: 0, count: l.basis.biasDimension)))
        }
        self.layers = layers
        representations = description.representations
        nonlinearities = description.nonlinearities
        gates = [Double](repeating: 0, count: description.gateCount)
    }

    public var inputDimension: Int { representations[0].dimension }
    public var outputDimension: Int { representations[representations.count - 1].dimension }

    /// All parameters: every layer's θ, then every layer's β, then the gates.
    public var parameters: [Double] {
        get { layers.flatMap(\.weights) + layers.flatMap(\.bias) + gates }
        set {
            precondition(newValue.count == parameters.count, "parameter count")
            var o = 0
            for i in layers.indices { layers[i].weights = Array(newValue[o..<(o + layers[i].weights.count)]); o += layers[i].weights.count }
            for i in layers.indices { layers[i].bias = Array(newValue[o..<(o + layers[i].bias.count)]); o += layers[i].bias.count }
            gates = Array(newValue[o...])
        }
    }

    private func gateSlice(_ h: Int) -> ArraySlice<Double> {
        let o = nonlinearities[..<h].reduce(0) { $0 + $1.gateCount }
        return gates[o..<(o + nonlinearities[h].gateCount)]
    }

    /// f(x).
    public func forward(_ x: [Double]) -> [Double] { trace(x).a.last! }

    func trace(_ x: [Double]) -> (a: [[Double]], z: [[Double]]) {
        var a = [x], z: [[Double]] = []
        for (i, layer) in layers.enumerated() {
            z.append(layer.forward(a[i]))
            a.append(i < nonlinearities.count ? nonlinearities[i].apply(z[i], gates: gateSlice(i)) : z[i])
        }
        return (a, z)
    }

    /// ∂L/∂parameters (layout of `parameters`) and ∂L/∂x given ∂L/∂f(x).
    public func backward(input x: [Double], outputGradient dy: [Double]) -> (parameters: [Double], input: [Double]) {
        let (a, z) = trace(x)
        var dW = [[Double]](repeating: [], count: layers.count), dB = dW
        var dG = [Double](repeating: 0, count: gates.count)
        var d = dy
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[i], dIn = layer.inputDimension
            dW[i] = layer.basis.elements.map { b in b.entries.reduce(0) { $0 + $1.value * d[$1.row] * a[i][$1.column] } }
            dB[i] = layer.basis.biasElements.map { b in b.entries.reduce(0) { $0 + $1.value * d[$1.row] } }
            var dx = [Double](repeating: 0, count: dIn)
            for r in 0..<layer.outputDimension where d[r] != 0 {
                for c in 0..<dIn { dx[c] += layer.matrix[r * dIn + c] * d[r] }
            }
            d = dx
            if i > 0 {
                let h = i - 1
                let (dz, dg) = nonlinearities[h].backward(z[h], outputGradient: d, gates: gateSlice(h))
                let o = nonlinearities[..<h].reduce(0) { $0 + $1.gateCount }
                for k in dg.indices { dG[o + k] += dg[k] }
                d = dz
            }
        }
        return (dW.flatMap { $0 } + dB.flatMap { $0 } + dG, d)
    }

    /// One SGD step on the mean squared error (1/(count·d_out)) Σ (f(x) − t)² over the batch;
    /// returns the loss before the step.
    public mutating func trainStep(inputs: [[Double]], targets: [[Double]], learningRate: Double) -> Double {
        precondition(inputs.count == targets.count && !inputs.isEmpty)
        let scale = 1 / Double(inputs.count * outputDimension)
        var grad = [Double](repeating: 0, count: parameters.count), loss = 0.0
        for (x, t) in zip(inputs, targets) {
            let y = forward(x)
            let dy = zip(y, t).map { 2 * ($0 - $1) * scale }
            loss += zip(y, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } * scale
            let g = backward(input: x, outputGradient: dy).parameters
            for k in grad.indices { grad[k] += g[k] }
        }
        parameters = zip(parameters, grad).map { $0 - learningRate * $1 }
        return loss
    }

    /// Worst relative error ‖f(ρ_in(g)x) − ρ_out(g)f(x)‖ / ‖ρ_out(g)f(x)‖ over the generators on
    /// `trials` standard-uniform inputs.
    public func equivarianceError(seed: UInt64 = 0, trials: Int = 8) -> Double {
        var rng = RuntimeRandom(seed: seed)
        let gIn = representations[0].realImages, gOut = representations[representations.count - 1].realImages
        var worst = 0.0
        for _ in 0..<trials {
            let x = (0..<inputDimension).map { _ in rng.unit() * 2 - 1 }
            let fx = forward(x)
            for g in gIn.indices {
                let lhs = forward(gIn[g].apply(x)), rhs = gOut[g].apply(fx)
                var diff = 0.0
                for k in lhs.indices { diff += (lhs[k] - rhs[k]) * (lhs[k] - rhs[k]) }
                let norm = max(lhs.reduce(0) { $0 + $1 * $1 }, rhs.reduce(0) { $0 + $1 * $1 })
                worst = max(worst, norm > 0 ? (diff / norm).squareRoot() : 0)
            }
        }
        return worst
    }
}
