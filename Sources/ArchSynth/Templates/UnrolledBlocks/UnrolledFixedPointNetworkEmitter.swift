import ArchSynthRuntime
import Foundation

/// The parameters of a learned fixed-point step, as `archsynth train fixed-point-step` writes
/// them (JSON) and `generate block unrolled-fixed-point --step network --from-model FILE` reads them:
/// `UnrolledShiftNetwork` on `grid`-point periodic signals after `iterations` Adam steps on the
/// circular loss of t_K at K = `depth` (pairs from `UnrolledShiftNetwork.trainingPairs`).
/// `generate` never trains; this is the one place that does.
///
/// ```swift
/// let step = try FixedPointStepTraining.train(grid: 16, channels: 4, stencil: 3, depth: 4, iterations: 300, seed: 1)
/// let block = try UnrolledFixedPointNetworkBlock(typeName: "Aligner", grid: 16, steps: 8, channels: 4, stencil: 3, seed: 1, training: step)
/// ```
public struct FixedPointStepTraining: Codable, Sendable, Equatable {
    /// "archsynth.fixed-point-step", version 1.
    public var format = Self.formatName
    public var version = 1
    public static let formatName = "archsynth.fixed-point-step"
    public var grid: Int
    public var channels: Int
    public var stencil: Int
    /// K during training (the unrolled depth the loss is taken at).
    public var depth: Int
    public var iterations: Int
    public var seed: UInt64
    public var parameters: [Double]
    /// The loss before each training step.
    public var losses: [Double]

    /// Trains the step from its seeded initialization. Cost: iterations × 16 pairs × depth × grid².
    public static func train(grid: Int, channels: Int, stencil: Int, depth: Int, iterations: Int, seed: UInt64) throws -> FixedPointStepTraining {
        try UnrolledFixedPointNetworkBlock.checkTraining(grid: grid, channels: channels, stencil: stencil, depth: depth, iterations: iterations)
        let trainer = UnrolledShiftNetwork(count: grid, steps: depth, channels: channels, stencil: stencil)
        var p = trainer.initialParameters(seed: seed)
        let losses = trainer.train(&p, iterations: iterations, seed: seed &+ 1)
        return FixedPointStepTraining(grid: grid, channels: channels, stencil: stencil, depth: depth, iterations: iterations, seed: seed, parameters: p, losses: losses)
    }

    /// The file's JSON; fails (names the first) when a parameter or loss is not finite, as a
    /// diverged training has nothing to bake in.
    public func jsonData() throws -> Data {
        if let k = parameters.firstIndex(where: { !$0.isFinite }) { throw UnrolledBlockError.failure("training diverged: parameter \(k) is \(parameters[k]); train with fewer --iterations or another --seed") }
        if let k = losses.firstIndex(where: { !$0.isFinite }) { throw UnrolledBlockError.failure("training diverged: the loss at iteration \(k) is \(losses[k]); train with fewer --iterations or another --seed") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads and checks a step file: format, version, ranges, parameter count, finite values.
    /// Errors name `path` and say how to make a good file.
    public static func read(_ data: Data, path: String) throws -> FixedPointStepTraining {
        let step: FixedPointStepTraining
        do { step = try JSONDecoder().decode(FixedPointStepTraining.self, from: data) } catch {
            throw UnrolledBlockError.failure("--from-model \(path) is not an archsynth fixed-point step (\(error)); make one with `archsynth train fixed-point-step`")
        }
        guard step.format == formatName, step.version == 1 else {
            throw UnrolledBlockError.failure("--from-model \(path) has format \(step.format) version \(step.version), not \(formatName) version 1")
        }
        do { try UnrolledFixedPointNetworkBlock.validate(grid: step.grid, steps: step.depth, channels: step.channels, stencil: step.stencil) } catch let UnrolledBlockError.badArgument(message) {
            throw UnrolledBlockError.failure("--from-model \(path): \(message)")
        }
        let expected = UnrolledShiftNetwork(count: step.grid, steps: 1, channels: step.channels, stencil: step.stencil).parameterCount
        guard step.parameters.count == expected else {
            throw UnrolledBlockError.failure("--from-model \(path) holds \(step.parameters.count) parameters; the step on \(step.grid) points with \(step.channels) channels and stencil \(step.stencil) needs \(expected)")
        }
        if let k = step.parameters.firstIndex(where: { !$0.isFinite }) { throw UnrolledBlockError.failure("--from-model \(path): parameter \(k) is not finite") }
        return step
    }
}

/// The fixed-point block with a learned [U,U] step (`--step network`), validated and ready to
/// print: `UnrolledShiftNetwork` on N-point periodic signals with the parameters of a
/// `FixedPointStepTraining` (made by `archsynth train fixed-point-step`), or without one the
/// seeded initialization, baked into the file. Building a block never trains.
///
/// ```swift
/// let block = try UnrolledFixedPointNetworkBlock(typeName: "Aligner", grid: 16, steps: 8, channels: 4, stencil: 3, seed: 1, training: nil)
/// UnrolledFixedPointNetworkEmitter(block: block, header: header).source()
/// ```
public struct UnrolledFixedPointNetworkBlock: Sendable {
    public let typeName: String
    public let grid: Int
    public let steps: Int
    public let channels: Int
    public let stencil: Int
    /// Where the baked parameters come from: a training run, or nil for the seeded initialization.
    public let training: FixedPointStepTraining?
    public let seed: UInt64
    public let parameters: [Double]

    /// K during training, or 0 for the seeded initialization.
    public var trainingSteps: Int { training?.depth ?? 0 }
    public var trainingIterations: Int { training?.iterations ?? 0 }
    /// The loss before each training step (empty for the seeded initialization).
    public var losses: [Double] { training?.losses ?? [] }

    /// Largest grid and K for `--step network` (documented limits).
    public static let maxGrid = 1024
    public static let maxSteps = 1024

    public var network: UnrolledShiftNetwork { UnrolledShiftNetwork(count: grid, steps: steps, channels: channels, stencil: stencil) }

    /// The argument ranges shared by the block and its training (`steps` is K or the training depth).
    static func validate(grid: Int, steps: Int, channels: Int, stencil: Int) throws {
        guard (4...Self.maxGrid).contains(grid) else {
            throw UnrolledBlockError.badArgument("--grid must be between 4 and \(Self.maxGrid) points for --step network (training costs N² per step and pair)")
        }
        guard (1...Self.maxSteps).contains(steps) else {
            throw UnrolledBlockError.badArgument("--steps and --train-depth must be between 1 and \(Self.maxSteps) for --step network (the unrolled graph has one copy of the step per K)")
        }
        guard (1...64).contains(channels) else { throw UnrolledBlockError.badArgument("--channels must be between 1 and 64") }
        guard stencil >= 1, stencil <= grid else { throw UnrolledBlockError.badArgument("--stencil must be between 1 and the grid size \(grid)") }
    }

    /// The ranges of `FixedPointStepTraining.train`'s arguments.
    public static func checkTraining(grid: Int, channels: Int, stencil: Int, depth: Int, iterations: Int) throws {
        try validate(grid: grid, steps: depth, channels: channels, stencil: stencil)
        guard (0...100_000).contains(iterations) else { throw UnrolledBlockError.badArgument("--iterations must be between 0 and 100000") }
    }

    /// `training` must be for the same grid, channels and stencil (its depth may differ from `steps`).
    public init(typeName: String, grid: Int, steps: Int, channels: Int, stencil: Int, seed: UInt64, training: FixedPointStepTraining?) throws {
        try Self.validate(grid: grid, steps: steps, channels: channels, stencil: stencil)
        self.typeName = typeName
        self.grid = grid
        self.steps = steps
        self.channels = channels
        self.stencil = stencil
        self.seed = training?.seed ?? seed
        self.training = training
        let expected = UnrolledShiftNetwork(count: grid, steps: steps, channels: channels, stencil: stencil).parameterCount
        if let training {
            guard training.grid == grid, training.channels == channels, training.stencil == stencil else {
                throw UnrolledBlockError.badArgument(
                    "the trained step is for --grid \(training.grid) --channels \(training.channels) --stencil \(training.stencil), not --grid \(grid) --channels \(channels) --stencil \(stencil): generate with the step's values or train again")
            }
            guard training.parameters.count == expected, training.parameters.allSatisfy(\.isFinite) else {
                throw UnrolledBlockError.badArgument("the trained step has \(training.parameters.count) parameters (finite: \(training.parameters.allSatisfy(\.isFinite))); the network needs \(expected) finite values: train again")
            }
            parameters = training.parameters
        } else {
            parameters = UnrolledShiftNetwork(count: grid, steps: steps, channels: channels, stencil: stencil).initialParameters(seed: seed)
        }
    }

    /// The [U,U] and [W,U] errors against K with the baked parameters (`UnrolledSweep`).
    public func sweep(steps: [Int] = UnrolledSweep.defaultSteps, pairs: Int = 4, moves: Int = 12) -> [UnrolledBlockRow] {
        let n = grid, p = parameters, base = network
        return UnrolledSweep.fixedPoint(
            name: training == nil ? "learned step (untrained), unique fixed point" : "learned step (\(trainingIterations) Adam iterations at K = \(trainingSteps)), unique fixed point",
            diagonal: UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n)),
            larger: UnrolledFixedPoint.pairLaw(count: n, pairs: UnrolledSweep.moves(count: n, moves: moves, seed: 2)),
            inputSizes: [n, n], pairs: UnrolledSweep.wavePairs(count: n, pairs: pairs, seed: 1).pairs, steps: steps
        ) { k, x in base.withSteps(k).graph.forward(p, x) }
    }
}

/// Prints an `UnrolledFixedPointNetworkBlock` as one Swift file (a `LawfulModel`; stated law
/// [U,U], threshold 1e-10 grid units; the K sweep reports [W,U] with the baked parameters).
public typealias UnrolledFixedPointNetworkEmitter = BlockEmitter<UnrolledFixedPointNetworkBlock>

extension BlockEmitter where Block == UnrolledFixedPointNetworkBlock {
    public func source() -> String {
        let b = block, n = b.grid
        var s = """
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an unrolled fixed-point block (mesa-optimizer, fixed-point form) with a learned step.", command: header.command))
            \(ExpectedLaws.headerLine(kind: "unrolled-fixed-point", [("width", .int(n))]))
            // Grid: \(n) points, periodic, 1-D; Ψ = global shift x ↦ x + t (Fourier interpolation)
            // Steps: K = \(b.steps), Ψ_{k+1} = TwoStep{Ψ_k, Φ} = Ψ_k ∘ Φ[A∘Ψ_k, B], Φ a [U,U]-equivariant network (\(b.channels) channels, stencil \(b.stencil)): δ = (N/4)·tanh(mean(conv_out(conv_a ⊙ conv_b)))
            // \(b.training == nil ? "Untrained: the seeded initialization (seed \(b.seed))" : "Trained: \(b.trainingIterations) Adam iterations on the circular loss of t_K at K = \(b.trainingSteps) (seed \(b.seed))")
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

                /// The block with the baked parameters (\(b.training == nil ? "the seeded initialization: no --model was given" : "from `archsynth train fixed-point-step`")).
                public static var baked: \(b.typeName) { \(b.typeName)(parameters: bakedParameters) }

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

                /// [U,U] and [W,U] errors (grid units) for K = 1, 2, 4, …, 64 with the baked parameters, on signal pairs with a
                /// unique fixed point (`UnrolledSweep.wavePairs`, 12 random moves): `archsynth verify` prints it.
                public static func stepSweep() -> [UnrolledBlockRow] {
                    let p = bakedParameters
                    return UnrolledSweep.fixedPoint(
                        name: "learned step (\(b.training == nil ? "untrained" : "trained")), unique fixed point", diagonal: laws[0].law,
                        larger: UnrolledFixedPoint.pairLaw(count: \(n), pairs: UnrolledSweep.moves(count: \(n), moves: 12, seed: 2)),
                        inputSizes: inputSizes, pairs: UnrolledSweep.wavePairs(count: \(n), pairs: 4, seed: 1).pairs
                    ) { k, x in UnrolledShiftNetwork(count: \(n), steps: k, channels: \(b.channels), stencil: \(b.stencil)).graph.forward(p, x) }
                }

                /// \(b.training == nil ? "The seeded initialization (seed \(b.seed); untrained)" : "Parameters after training (\(b.trainingIterations) iterations; loss \(b.losses.first.map { "\($0)" } ?? "-") → \(b.losses.last.map { "\($0)" } ?? "-"))").
                static let bakedParameters: [Double] = [

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
