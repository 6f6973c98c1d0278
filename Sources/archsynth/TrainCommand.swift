import ArchSynth
import ArchSynthRuntime
import Foundation

/// `archsynth train registration --template carl|constricon --images DIR --size N [--steps N]
/// [--batch B] [--learning-rate R] [--regularization λ] [--seed S] [architecture options] -o model.json`:
/// trains a registration template on a folder of 2-D `.npy` images (checked first, errors name the
/// file), prints a progress line on stderr, and writes model.json atomically.
enum TrainCommand {
    static let usage = """
        train fixed-point-step --grid N [--channels C] [--stencil S] [--train-depth K] [--iterations N] [--seed S] [--max-table-entries N] -o step.json
            the learned step of `generate block unrolled-fixed-point --step network --from-model step.json`
            (defaults: 4 channels, stencil 3, K = 4, 300 Adam iterations, seed 1)
        train registration --template carl|constricon --images DIR --size N -o model.json
            [--steps N] [--batch B] [--learning-rate R] [--regularization L] [--seed S] [--max-images N] [--max-minutes M]
            [--precision double|float (default double: reproduces Double-trained results bit for bit; float is faster, parameters stay Double)]
            carl: [--pool F] [--channels C] [--depth D] [--feature-stencil k] [--smoothing SIGMA] [--consensus BETA (default 1)] [--no-consensus] [--matching distance|dot (default distance)] [--temperature T] [--refine-steps K] [--refine-channels C] [--refine-depth D]
            constricon: [--hidden M] [--squarings K] [--velocity-scale S (default size/16)]
        """

    static func run(_ rest: [String]) throws {
        if rest.first == "--help" || rest.first == "-h" {
            print("usage: archsynth " + usage)
            return
        }
        if rest.first == "fixed-point-step" { return try fixedPointStep(Array(rest.dropFirst())) }
        guard rest.first == "registration" else {
            throw UsageError("train takes a kind, fixed-point-step or registration: \(usage)")
        }
        let args = try Arguments(
            Array(rest.dropFirst()),
            valueOptions: [
                "--template", "--images", "--size", "-o", "--steps", "--batch", "--learning-rate", "--regularization", "--seed", "--max-images",
                "--pool", "--channels", "--depth", "--temperature", "--refine-steps", "--refine-channels", "--refine-depth", "--hidden", "--squarings",
                "--progress-every", "--max-minutes", "--velocity-scale", "--feature-stencil", "--smoothing", "--consensus", "--matching", "--precision",
            ],
            flagOptions: ["--no-consensus"])
        try args.expectPositionals(0)
        let templateText = try args.required("--template", what: "carl|constricon (the template to train)")
        guard let kind = RegistrationModel.Kind(rawValue: templateText) else {
            throw UsageError("--template must be carl or constricon, not \"\(templateText)\"")
        }
        let images = try args.required("--images", what: "DIR (a folder of 2-D .npy images)")
        guard let size = try args.integer("--size") else { throw UsageError("missing --size N (the images' side, e.g. 64)") }
        var hyper = RegistrationModel.Hyperparameters(size: size)
        hyper.poolFactor = try args.integer("--pool") ?? max(1, size / 16)
        hyper.channels = try args.integer("--channels") ?? hyper.channels
        hyper.depth = try args.integer("--depth") ?? hyper.depth
        hyper.featureStencil = try args.integer("--feature-stencil") ?? min(hyper.featureStencil, (size / hyper.poolFactor - 1) | 1)
        hyper.refineSteps = try args.nonNegativeInteger("--refine-steps") ?? hyper.refineSteps
        hyper.refineChannels = try args.integer("--refine-channels") ?? hyper.refineChannels
        hyper.refineDepth = try args.integer("--refine-depth") ?? hyper.refineDepth
        hyper.hidden = try args.integer("--hidden") ?? hyper.hidden
        hyper.squarings = try args.integer("--squarings") ?? hyper.squarings
        hyper.velocityScale = Double(max(1, size / 16))
        if let t = args.value("--velocity-scale") {
            guard let v = Double(t), v > 0, v.isFinite else { throw UsageError("--velocity-scale needs a positive number, not \"\(t)\"") }
            hyper.velocityScale = v
        }
        if let t = args.value("--smoothing") {
            guard let v = Double(t), v >= 0, v.isFinite else { throw UsageError("--smoothing needs a non-negative number, not \"\(t)\"") }
            hyper.smoothing = v
        }
        if let t = args.value("--matching") {
            guard t == "dot" || t == "distance" else { throw UsageError("--matching must be dot (⟨F^B, F^A⟩ logits) or distance (−½‖F^B − F^A‖²), not \"\(t)\"") }
            hyper.matching = t
        }
        if let t = args.value("--consensus") {
            guard let v = Double(t), v.isFinite else { throw UsageError("--consensus needs a number (β₀ of the global-shift consensus, e.g. 1), not \"\(t)\"") }
            hyper.consensus = v
        }
        if args.has("--no-consensus") {
            guard args.value("--consensus") == nil else { throw UsageError("--consensus and --no-consensus contradict each other: give one") }
            hyper.consensus = nil
        }
        if let t = args.value("--temperature") {
            guard let v = Double(t), v > 0, v.isFinite else { throw UsageError("--temperature needs a positive number, not \"\(t)\"") }
            hyper.temperature = v
        }
        var options = RegistrationTrainingOptions()
        options.steps = try args.nonNegativeInteger("--steps") ?? options.steps
        options.batch = try args.integer("--batch") ?? options.batch
        guard options.steps <= 10_000_000, options.batch <= 4096 else { throw UsageError("--steps is limited to 10000000 and --batch to 4096") }
        if let t = args.value("--seed") {
            guard let v = UInt64(t) else { throw UsageError("--seed needs a non-negative integer, not \"\(t)\"") }
            options.seed = v
        }
        for (flag, apply) in [
            ("--learning-rate", { (v: Double) in options.learningRate = v }), ("--regularization", { (v: Double) in options.regularization = v }),
        ] {
            guard let t = args.value(flag) else { continue }
            guard let v = Double(t), v.isFinite, v >= 0, flag != "--learning-rate" || v > 0 else {
                throw UsageError("\(flag) needs a \(flag == "--learning-rate" ? "positive" : "non-negative") number, not \"\(t)\"")
            }
            apply(v)
        }
        if let t = args.value("--precision") {
            guard let v = RegistrationPrecision(rawValue: t) else {
                throw UsageError("--precision must be double (the default) or float (the loss graph in Float, Double master weights), not \"\(t)\"")
            }
            options.precision = v
        } else {
            options.precision = .double
        }
        if let t = args.value("--max-minutes") {
            guard let v = Double(t), v.isFinite, v > 0 else { throw UsageError("--max-minutes needs a positive number, not \"\(t)\"") }
            options.maxSeconds = 60 * v
        }
        // The pairs of a batch run on ARCHSYNTH_THREADS threads (all cores when unset); a bad value
        // is a usage error here rather than a trap in the runtime.
        if case let .failure(message) = RuntimeThreads.environmentValue(ProcessInfo.processInfo.environment["ARCHSYNTH_THREADS"]) {
            throw UsageError(message.text)
        }
        let maxImages = try args.integer("--max-images") ?? 100_000
        let progressEvery = try args.integer("--progress-every") ?? 25
        let destination = try args.required("-o", what: "FILE (the model.json to write)")
        let model: RegistrationModel
        do { model = try RegistrationModel(kind: kind, hyper: hyper) } catch let e as RegistrationError {
            throw e.isUsage ? UsageError(e.description) : CommandFailure(description: e.description)
        }
        let url = try CommonOptions.checkedFile(destination, example: "model.json")
        let data: RegistrationDataset
        do { data = try RegistrationDataset.load(directory: URL(fileURLWithPath: images), size: size, maxImages: maxImages) } catch {
            throw CommandFailure(description: error.description)
        }
        standardError("training \(kind.rawValue) (\(model.parameterCount) parameters) on \(data.description): \(options.steps) steps × batch \(options.batch), seed \(options.seed), \(options.resolvedPrecision.rawValue) precision")
        let result = model.train(data: data, options: options, progressInterval: progressEvery) { standardError($0.line) }
        let file = RegistrationModelFile(
            template: kind, hyperparameters: hyper,
            training: .init(images: data.description, options: options, pairsSeen: result.pairsSeen, finalLoss: result.finalLoss, seconds: result.seconds),
            parameters: result.parameters)
        do { try file.write(to: url) } catch { throw CommandFailure(description: "\(error)") }
        print(String(format: "wrote %@: %@, %d parameters, %d pairs seen in %.1f s", destination, kind.rawValue, model.parameterCount, result.pairsSeen, result.seconds))
    }

    /// `train fixed-point-step`: trains the learned [U,U] step of the fixed-point block and writes
    /// its parameters (JSON, atomically) for `generate block unrolled-fixed-point --from-model`.
    static func fixedPointStep(_ rest: [String]) throws {
        let args = try Arguments(rest, valueOptions: ["--grid", "--channels", "--stencil", "--train-depth", "--iterations", "--seed", "-o", "--max-table-entries"], flagOptions: [])
        try args.expectPositionals(0)
        guard let grid = try args.integer("--grid") else { throw UsageError("missing --grid N (points of the periodic 1-D signal, e.g. --grid 16)") }
        let seedText = args.value("--seed") ?? "1"
        guard let seed = UInt64(seedText) else { throw UsageError("--seed needs a non-negative integer below 2⁶⁴, not \"\(seedText)\"") }
        let channels = try args.integer("--channels") ?? 4, stencil = try args.integer("--stencil") ?? 3
        let depth = try args.integer("--train-depth") ?? 4, iterations = try args.nonNegativeInteger("--iterations") ?? 300
        do { try UnrolledFixedPointNetworkBlock.checkTraining(grid: grid, channels: channels, stencil: stencil, depth: depth, iterations: iterations) } catch let UnrolledBlockError.badArgument(message) {
            throw UsageError(message)
        }
        // Every unrolled copy of the step holds its own Fourier shift tables (grid² entries).
        try GenerationFlags.check(
            try GenerationFlags.limits(args), tableEntries: GenerationLimits.product(depth, grid, grid),
            what: "training the learned step (\(depth) unrolled steps on \(grid) points)")
        let destination = try args.required("-o", what: "FILE (the step.json to write)")
        let url = try CommonOptions.checkedFile(destination, example: "step.json")
        let step: FixedPointStepTraining
        let data: Data
        do {
            step = try FixedPointStepTraining.train(grid: grid, channels: channels, stencil: stencil, depth: depth, iterations: iterations, seed: seed)
            data = try step.jsonData()
        } catch let error as UnrolledBlockError { throw CommandFailure(description: error.description) }
        do { try OutputFile.write(data, to: url) } catch { throw CommandFailure(description: error.description) }
        func f(_ x: Double?) -> String { x.map { NumberFormat.scientific($0) } ?? "-" }
        print("wrote \(destination): the learned step on \(grid) points (\(channels) channels, stencil \(stencil), \(step.parameters.count) parameters), \(iterations) Adam iterations at K = \(depth), circular loss \(f(step.losses.first)) → \(f(step.losses.last))")
    }

    /// The step file at `path`, read and checked (`FixedPointStepTraining.read`).
    static func readFixedPointStep(_ path: String) throws -> FixedPointStepTraining {
        let data: Data
        do { data = try InputFile.contents(of: URL(fileURLWithPath: path), maxBytes: 64 << 20) } catch {
            throw CommandFailure(description: "--from-model \(path) \(error); give the step.json `archsynth train fixed-point-step` wrote")
        }
        do { return try FixedPointStepTraining.read(data, path: path) } catch let error as UnrolledBlockError { throw CommandFailure(description: error.description) }
    }
}
