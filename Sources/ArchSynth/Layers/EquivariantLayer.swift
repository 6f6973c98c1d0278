import ArchSynthRuntime
import GroupTheory

/// An equivariant linear layer built in the library, y = W x + b with W = Σ θ_i B_i and
/// b = Σ β_j b_j, evaluated in Float64. W and b are materialized when the parameters change.
///
/// ```swift
/// var layer = EquivariantLayer(basis: basis, seed: 1)
/// let y = layer.forward(x)
/// ```
public struct EquivariantLayer: Sendable {
    public let basis: EquivariantBasis
    public var weights: [Double] { didSet { refresh() } }
    public var bias: [Double] { didSet { refresh() } }
    /// W, row-major `outputDimension × inputDimension`.
    public private(set) var matrix: [Double] = []
    public private(set) var biasVector: [Double] = []

    public var inputDimension: Int { basis.inputDimension }
    public var outputDimension: Int { basis.outputDimension }

    public init(basis: EquivariantBasis, weights: [Double], bias: [Double]) {
        precondition(weights.count == basis.dimension && bias.count == basis.biasDimension, "parameter counts")
        self.basis = basis
        self.weights = weights
        self.bias = bias
        refresh()
    }

    /// Parameters θ, β ~ U(−1, 1) from a seeded `RuntimeRandom` (SplitMix64).
    public init(basis: EquivariantBasis, seed: UInt64) {
        var rng = RuntimeRandom(seed: seed)
        self.init(
            basis: basis, weights: (0..<basis.dimension).map { _ in rng.unit() * 2 - 1 },
            bias: (0..<basis.biasDimension).map { _ in rng.unit() * 2 - 1 })
    }

    private mutating func refresh() {
        let dIn = basis.inputDimension
        var w = [Double](repeating: 0, count: basis.outputDimension * dIn)
        if let f = basis.factored { w = f.weight(weights).elements }  // W(θ) from the factors; no element list
        for (i, b) in basis.elements.enumerated() {
            for e in b.entries { w[e.row * dIn + e.column] += weights[i] * e.value }
        }
        var v = [Double](repeating: 0, count: basis.outputDimension)
        for (j, b) in basis.biasElements.enumerated() {
            for e in b.entries { v[e.row] += bias[j] * e.value }
        }
        matrix = w
        biasVector = v
    }

    /// W x + b.
    public func forward(_ x: [Double]) -> [Double] {
        precondition(x.count == inputDimension, "expected \(inputDimension) inputs, got \(x.count)")
        var y = biasVector
        let dIn = inputDimension
        for r in 0..<outputDimension {
            var acc = 0.0
            for c in 0..<dIn { acc += matrix[r * dIn + c] * x[c] }
            y[r] += acc
        }
        return y
    }
}
