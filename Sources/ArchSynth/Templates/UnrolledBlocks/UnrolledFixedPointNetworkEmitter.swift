import ArchSynthRuntime

/// The fixed-point block with a learned [U,U] step (`--step network`), validated, trained and
/// ready to print: `UnrolledShiftNetwork` on N-point periodic signals, its parameters after
/// `trainingIterations` Adam steps on the circular loss of t_K (pairs from
/// `UnrolledShiftNetwork.trainingPairs`, every relative shift), baked into the file.
///
/// ```swift
/// let block = UnrolledFixedPointNetworkBlock(typeName: "Aligner", grid: 16, steps: 8, channels: 4, stencil: 3, trainingSteps: 4, trainingIterations: 300, seed: 1)
/// UnrolledFixedPointNetworkEmitter(block: block, header: header).source()
/// ```
public struct UnrolledFixedPointNetworkBlock: Sendable {
    public let typeName: String
    public let grid: Int
    public let steps: Int
    public let channels: Int
    public let stencil: Int
    /// K during training (the unrolled depth the loss is taken at).
    public let trainingSteps: Int
    public let trainingIterations: Int
    public let seed: UInt64
    public let parameters: [Double]
    /// The loss before each training step.
    public let losses: [Double]

    /// Largest grid and K for `--step network` (documented limits).
    public static let maxGrid = 1024
    public static let maxSteps = 1024

    public var network: UnrolledShiftNetwork { UnrolledShiftNetwork(count: grid, steps: steps, channels: channels, stencil: stencil) }

    public init(typeName: String, grid: Int, steps: Int, channels: Int, stencil: Int, trainingSteps: Int, trainingIterations: Int, seed: UInt64) throws {
        guard (4...Self.maxGrid).contains(grid) else {
            throw UnrolledBlockError.badArgument("--grid must be between 4 and \(Self.maxGrid) points for --step network (training costs N² per step and pair)")
        }
        guard (1...Self.maxSteps).contains(steps), (1...Self.maxSteps).contains(trainingSteps) else {
            throw UnrolledBlockError.badArgument("--steps and --train-depth must be between 1 and \(Self.maxSteps) for --step network (the unrolled graph has one copy of the step per K)")
        }
        guard (1...64).contains(channels) else { throw UnrolledBlockError.badArgument("--channels must be between 1 and 64") }
        guard stencil >= 1, stencil <= grid else { throw UnrolledBlockError.badArgument("--stencil must be between 1 and the grid size \(grid)") }
        guard (0...100_000).contains(trainingIterations) else { throw UnrolledBlockError.badArgument("--train must be between 0 and 100000 iterations") }
        self.typeName = typeName
        self.grid = grid
        self.steps = steps
        self.channels = channels
        self.stencil = stencil
        self.trainingSteps = trainingSteps
        self.trainingIterations = trainingIterations
        self.seed = seed
        let trainer = UnrolledShiftNetwork(count: grid, steps: trainingSteps, channels: channels, stencil: stencil)
        var p = trainer.initialParameters(seed: seed)
        losses = trainer.train(&p, iterations: trainingIterations, seed: seed &+ 1)
        parameters = p
    }

    /// The [U,U] and [W,U] errors against K with the trained parameters (`UnrolledSweep`).
    public func sweep(steps: [Int] = UnrolledSweep.defaultSteps, pairs: Int = 4, moves: Int = 12) -> [UnrolledBlockRow] {
        let n = grid, p = parameters, base = network
        return UnrolledSweep.fixedPoint(
            name: "learned step (\(trainingIterations) Adam iterations at K = \(trainingSteps)), unique fixed point",
            diagonal: UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n)),
            larger: UnrolledFixedPoint.pairLaw(count: n, pairs: UnrolledSweep.moves(count: n, moves: moves, seed: 2)),
            inputSizes: [n, n], pairs: UnrolledSweep.wavePairs(count: n, pairs: pairs, seed: 1).pairs, steps: steps
        ) { k, x in base.withSteps(k).graph.forward(p, x) }
    }
}

/// Prints an `UnrolledFixedPointNetworkBlock` as one Swift file (a `LawfulModel`; stated law
/// [U,U], threshold 1e-10 grid units; the K sweep reports [W,U] with the trained parameters).
public struct UnrolledFixedPointNetworkEmitter {
    public let block: UnrolledFixedPointNetworkBlock
    public let header: GeneratedFileHeader

    public init(block: UnrolledFixedPointNetworkBlock, header: GeneratedFileHeader) {
        self.block = block
        self.header = header
    }

    public func source() -> String {
        let b = block, n = b.grid
        var s = """
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an unrolled fixed-point block (mesa-optimizer, fixed-point form) with a learned step.", command: header.command))
            \(ExpectedLaws.headerLine(kind: "unrolled-fixed-point", [("width", .int(n))]))
            // Grid: \(n) points, periodic, 1-D; Ψ = global shift x ↦ x + t (Fourier interpolation)
            // Steps: K = \(b.steps), Ψ_{k+1} = TwoStep{Ψ_k, Φ} = Ψ_k ∘ Φ[A∘Ψ_k, B], Φ a [U,U]-equivariant network (\(b.channels) channels, stencil \(b.stencil)): δ = (N/4)·tanh(mean(conv_out(conv_a ⊙ conv_b)))
            // Trained: \(b.trainingIterations) Adam iterations on the circular loss of t_K at K = \(b.trainingSteps) (seed \(b.seed))
            // Type: \(b.typeName)
            import ArchSynthRuntime

            /// t_K with A(x + t_K) ≈ B(x). Law: [U,U] for every parameter (both signals rolled together leave t_K unchanged);
            /// fixed points also obey [W,U] (t ↦ t + u − w), which the trained step approaches as K grows (see `stepSweep`).
            public struct \(b.typeName): LawfulModel {
                public static let kind = "unrolled-fixed-point"
                public static let inputSizes = [\(n), \(n)]
                public static let outputSize = 1
                public static let steps = \(b.steps)
                public static let block = UnrolledShiftNetwork(count: \(n), steps: steps, channels: \(b.channels), stencil: \(b.stencil))
                public static var parameterCount: Int { block.parameterCount }
                public static var laws: [(law: Law, threshold: Double)] {
                    [(UnrolledFixedPoint.diagonalLaw(count: \(n), shifts: Array(0..<\(n))), 1e-10)]
                }

                public var parameters: [Double]

                /// Random (untrained) parameters: the [U,U] law holds for these too.
                public init(seed: UInt64) { parameters = Self.block.initialParameters(seed: seed) }

                public init(parameters: [Double]) {
                    precondition(parameters.count == Self.parameterCount, "\(b.typeName): expected \\(Self.parameterCount) parameters")
                    self.parameters = parameters
                }

                /// The block with the parameters `archsynth generate` trained.
                public static var trained: \(b.typeName) { \(b.typeName)(parameters: trainedParameters) }

                /// [t_K] for inputs [A, B].
                public func forward(_ inputs: [[Double]]) -> [Double] { Self.block.graph.forward(parameters, inputs) }

                /// Gradients with respect to the parameters and [A, B], through every unrolled step.
                public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                    Self.block.graph.backward(parameters, inputs, outputGradient: outputGradient)
                }

                /// One Adam step on the circular loss of t_K against target shifts [t*]; returns the loss before the step.
                public mutating func trainStep(batch: [[[Double]]], targets: [[Double]], optimizer: inout Adam) -> Double {
                    Self.block.graph.trainingStep(&parameters, batch: batch, targets: targets, optimizer: &optimizer, loss: UnrolledShiftNetwork.circularLoss(period: \(n)))
                }

                /// [U,U] and [W,U] errors (grid units) for K = 1, 2, 4, …, 64 with the trained parameters, on signal pairs with a
                /// unique fixed point (`UnrolledSweep.wavePairs`, 12 random moves): `archsynth verify` prints it.
                public static func stepSweep() -> [UnrolledBlockRow] {
                    let p = trainedParameters
                    return UnrolledSweep.fixedPoint(
                        name: "learned step (trained), unique fixed point", diagonal: laws[0].law,
                        larger: UnrolledFixedPoint.pairLaw(count: \(n), pairs: UnrolledSweep.moves(count: \(n), moves: 12, seed: 2)),
                        inputSizes: inputSizes, pairs: UnrolledSweep.wavePairs(count: \(n), pairs: 4, seed: 1).pairs
                    ) { k, x in UnrolledShiftNetwork(count: \(n), steps: k, channels: \(b.channels), stencil: \(b.stencil)).graph.forward(p, x) }
                }

                /// Parameters after training (\(b.trainingIterations) iterations; loss \(b.losses.first.map { "\($0)" } ?? "-") → \(b.losses.last.map { "\($0)" } ?? "-")).
                static let trainedParameters: [Double] = [

            """
        var line = "        "
        for v in b.parameters {
            let item = "\(v),"
            if line.count + item.count > 118 {
                s += line + "\n"
                line = "        "
            }
            line += (line.count > 8 ? " " : "") + item
        }
        if line.count > 8 { s += line + "\n" }
        s += "    ]\n}\n"
        return s
    }
}
