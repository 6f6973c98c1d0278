/// An equivariant linear map with weight tying: y = W x + b with W = Σ_i θ_i B_i and
/// b = Σ_j β_j c_j, given as sparse entries (the solver's basis). Parameters: θ then β.
/// Law: ρ_out(g) W = W ρ_in(g) for the representations the basis was solved for (the node only
/// sees the entries; `ArchSynth.TiedLinear(basis:)` builds it from an `EquivariantBasis`).
public struct TiedLinear: DifferentiableNode {
    /// W[row, column] += coefficient · θ[parameter].
    public struct Entry: Sendable, Hashable {
        /// The output coordinate (row of W).
        public let row: Int32
        /// The input coordinate (column of W).
        public let column: Int32
        /// The index of θ among the weights (0 ..< weightCount).
        public let parameter: Int32
        /// The basis coefficient multiplying θ[parameter].
        public let coefficient: Double

        /// An entry W[row, column] += coefficient · θ[parameter] (indices stored as `Int32`).
        public init(row: Int, column: Int, parameter: Int, coefficient: Double) {
            self.row = Int32(row)
            self.column = Int32(column)
            self.parameter = Int32(parameter)
            self.coefficient = coefficient
        }
    }

    /// b[row] += coefficient · β[parameter].
    public struct BiasEntry: Sendable, Hashable {
        /// The output coordinate the bias term adds to.
        public let row: Int32
        /// The index of β among the biases (0 ..< biasCount; stored after the weights in the parameters).
        public let parameter: Int32
        /// The coefficient multiplying β[parameter].
        public let coefficient: Double

        /// A bias entry b[row] += coefficient · β[parameter] (indices stored as `Int32`).
        public init(row: Int, parameter: Int, coefficient: Double) {
            self.row = Int32(row)
            self.parameter = Int32(parameter)
            self.coefficient = coefficient
        }
    }

    /// The size of x (columns of W).
    public let inputSize: Int
    /// The size of y (rows of W).
    public let outputSize: Int
    /// The number of weight parameters θ (first in the parameter vector).
    public let weightCount: Int
    /// The number of bias parameters β (after the weights).
    public let biasCount: Int
    /// The sparse entries of W = Σ_i θ_i B_i.
    public let entries: [Entry]
    /// The sparse entries of b = Σ_j β_j c_j.
    public let biasEntries: [BiasEntry]
    /// [x]: `inputSize` values.
    public var inputSizes: [Int] { [inputSize] }
    /// `weightCount + biasCount`: θ then β.
    public var parameterCount: Int { weightCount + biasCount }

    /// A tied layer from its entries (traps if an entry's row, column or parameter is out of range).
    public init(inputSize: Int, outputSize: Int, weightCount: Int, biasCount: Int, entries: [Entry], biasEntries: [BiasEntry]) {
        precondition(entries.allSatisfy { Int($0.row) < outputSize && Int($0.column) < inputSize && Int($0.parameter) < weightCount }, "TiedLinear: entry out of range")
        precondition(biasEntries.allSatisfy { Int($0.row) < outputSize && Int($0.parameter) < biasCount }, "TiedLinear: bias entry out of range")
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.weightCount = weightCount
        self.biasCount = biasCount
        self.entries = entries
        self.biasEntries = biasEntries
    }

    /// An unconstrained (dense) layer: every entry of W and b is its own parameter; the
    /// baseline an equivariant layer is compared against.
    public static func dense(inputSize: Int, outputSize: Int, bias: Bool = true) -> TiedLinear {
        var e: [Entry] = []
        for r in 0..<outputSize {
            for c in 0..<inputSize { e.append(Entry(row: r, column: c, parameter: r * inputSize + c, coefficient: 1)) }
        }
        return TiedLinear(
            inputSize: inputSize, outputSize: outputSize, weightCount: inputSize * outputSize, biasCount: bias ? outputSize : 0,
            entries: e, biasEntries: bias ? (0..<outputSize).map { BiasEntry(row: $0, parameter: $0, coefficient: 1) } : [])
    }

    /// Σ over entries of coefficient² for each row, the fan-in a variance-preserving
    /// initialization divides by: θ ~ U(−a, a) with a = √(3 / max fan-in).
    public var initializationBound: Double {
        var rowSum = [Double](repeating: 0, count: outputSize)
        for e in entries { rowSum[Int(e.row)] += e.coefficient * e.coefficient }
        let fanIn = rowSum.max() ?? 0
        return fanIn > 0 ? (3 / fanIn).squareRoot() : 1
    }

    /// Initial parameters of a graph: every `TiedLinear` step's weights uniform in
    /// ±`initializationBound`, in step order, everything else (biases, gates) zero.
    public static func uniformInitialParameters(_ graph: Graph, seed: UInt64) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        var p = [Double](repeating: 0, count: graph.parameterCount)
        for step in graph.steps {
            guard let layer = step.node as? TiedLinear else { continue }
            let a = layer.initializationBound
            for i in 0..<layer.weightCount { p[step.parameterOffset + i] = rng.uniform(-a, a) }
        }
        return p
    }

    /// y = W x + b by a sweep over the entries; the pullback gives θ̄, β̄ and x̄ = Wᵀȳ.
    /// - Complexity: O(entries + biasEntries + outputSize) forward, O(entries + biasEntries + inputSize) backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "TiedLinear")
        let x = inputs[0], nW = weightCount
        var y = [T](repeating: T.zero, count: outputSize)
        for e in entries { y[Int(e.row)] += T(e.coefficient) * parameters[Int(e.parameter)] * x[Int(e.column)] }
        for e in biasEntries { y[Int(e.row)] += T(e.coefficient) * parameters[nW + Int(e.parameter)] }
        return (y, { dy in pullback(dy, parameters, x) })
    }

    /// The pullback of y = W x + b at (θ, β; x): θ̄ and β̄ in the parameters' order, x̄ = Wᵀȳ, by one
    /// sweep over the entries and one over the bias entries (`PointFeatureLayer` shares it).
    /// - Complexity: O(entries + biasEntries + inputSize).
    @inline(__always)
    func pullback<T: RuntimeScalar>(_ dy: [T], _ parameters: [T], _ x: [T]) -> NodeGradient<T> {
        let nW = weightCount
        var dp = [T](repeating: T.zero, count: parameterCount), dx = [T](repeating: T.zero, count: inputSize)
        for e in entries {
            let c = T(e.coefficient), r = Int(e.row), col = Int(e.column), p = Int(e.parameter)
            dp[p] += c * dy[r] * x[col]
            dx[col] += c * parameters[p] * dy[r]
        }
        for e in biasEntries { dp[nW + Int(e.parameter)] += T(e.coefficient) * dy[Int(e.row)] }
        return NodeGradient(parameters: dp, inputs: [dx])
    }
}
