import ArchSynthExperiments
import ArchSynth
import Foundation
import GroupTheory

/// `archsynth generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic]
/// [--share] [--step plain|normalized] --name TYPE -o FILE`: an unrolled gradient-descent block
/// (mesa-optimizer, gradient form) as one Swift file importing ArchSynthRuntime. Validated
/// completely before the file is written (atomically).
enum GenerateBlockCommand {
    static let gradientUsage = "generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic|network:REPS] [--share] [--step plain|normalized] [--sweep] [--max-law-elements N] [--max-dimension N] --name TYPE -o FILE"

    static let fixedPointUsage = "generate block unrolled-fixed-point --grid N|HxW --steps K --step lucas-kanade|network [--channels C] [--stencil S] [--from-model STEP.json] --name TYPE -o FILE [--seed S] [--all-cases]"

    static func run(_ rest: [String], command: [String]) throws {
        guard let kind = rest.first else { throw UsageError("missing the block kind: \(gradientUsage)") }
        switch kind {
        case "unrolled-gradient": try gradient(Array(rest.dropFirst()), command: command)
        case "unrolled-fixed-point": try fixedPoint(Array(rest.dropFirst()), command: command)
        default: throw UsageError("unknown block \"\(kind)\"; use: archsynth \(gradientUsage)")
        }
    }

    static func gradient(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(GenerationFlags.values).union(["--x", "--context", "--steps", "--energy", "--step", "--name", "-o", "--max-law-elements", "--max-dimension"]),
            flagOptions: CommonOptions.flags.union(["--share", "--sweep"]))
        let spec = try args.positional(0, what: "SPEC (a spec file, catalog name or family such as symmetric:4)")
        try args.expectPositionals(1)
        let x = try args.required("--x", what: "EXPR (the representation on x, e.g. --x natural; it must be orthogonal)")
        let context = try args.required("--context", what: "EXPR (the representation on the context c, e.g. --context natural)")
        guard let steps = try args.integer("--steps") else { throw UsageError("missing --steps K (the number of unrolled steps, e.g. --steps 4)") }
        try checkSteps(steps)
        let energyText = args.value("--energy") ?? "quadratic"
        var networkRepresentations: [String]?
        if energyText.hasPrefix("network:") {
            networkRepresentations = GenerateNetworkCommand.splitTopLevel(String(energyText.dropFirst("network:".count)))
        } else if UnrolledGradientBlock.Energy(rawValue: energyText) == nil {
            throw UsageError("--energy must be quadratic, quartic or network:REPS (e.g. network:4*regular,trivial), not \"\(energyText)\"")
        }
        var normalized: Bool?
        if let s = args.value("--step") {
            guard s == "plain" || s == "normalized" else { throw UsageError("--step must be plain or normalized, not \"\(s)\"") }
            normalized = s == "normalized"
        }
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare, e.g. --name Denoiser)")
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        var limits = UnrolledGradientBlock.Limits()
        if let n = try args.integer("--max-law-elements") { limits.maxLawElements = n }
        if let n = try args.integer("--max-dimension") { limits.maxDimension = n }
        let generation = try GenerationFlags.limits(args)

        let group = try CommonOptions.resolver(args).resolve(spec)
        let header = GeneratedFileHeader(spec: spec, command: GeneratedFileHeader.commandLine(command))
        if let reps = networkRepresentations {
            // Estimate before solving: each layer's basis has at least d_out·d_in entries when dense
            // (regular representations), which the file bakes in.
            if let chain = try? ([x + " + " + context] + reps).map({ try group.dimension(of: try RepresentationExpression(parsing: $0)).intValue ?? Int.max }) {
                let dense = zip(chain, chain.dropFirst()).reduce(0) { GenerationLimits.sum($0, GenerationLimits.product($1.0, $1.1)) }
                try GenerationFlags.check(generation, constants: dense, what: "the energy network (\(reps.joined(separator: " → ")))")
            }
            let block = try UnrolledGradientNetworkBlock(
                typeName: typeName, group: group, x: x, context: context, steps: steps, representations: reps, shared: args.has("--share"),
                normalized: normalized, limits: limits)
            let baked = block.layers.reduce(UnrolledGradientEmitter.constantCount(
                entries: 0, pairs: 0, elements: block.actions.elementCount, xSize: block.xSize, contextSize: block.contextSize)) {
                GenerationLimits.sum($0, GenerationLimits.product(4, $1.entries.count), GenerationLimits.product(3, $1.biasEntries.count))
            }
            try GenerationFlags.check(generation, parameters: block.node.parameterCount, constants: baked, what: "the unrolled-gradient block")
            try OutputSet.write(UnrolledGradientNetworkEmitter(block: block, header: header).source(), to: url)
            var lines = ["wrote \(destination): \(typeName), K = \(steps) \(block.normalized ? "normalized" : "plain") gradient steps on an invariant energy network x ⊕ c → \(reps.joined(separator: " → ")) (\(block.nonlinearitySummary)), \(block.node.parameterCount) parameters, law over \(block.actions.elementCount) elements"]
            if args.has("--sweep") {
                lines.append("law error against K (relative, worst over the out-of-distribution families; larger law: none):")
                lines.append(UnrolledBlockReport.table(UnrolledBlockReport.errorsAgainstK(name: "\(group.name) network", gradient: block)))
            }
            GeneratedReport.emit(args, file: destination, type: typeName, kind: "unrolled-gradient", parameters: block.node.parameterCount, lines: lines)
            return
        }
        let energy = UnrolledGradientBlock.Energy(rawValue: energyText)!
        let block = try UnrolledGradientBlock(
            typeName: typeName, group: group, x: x, context: context, steps: steps, energy: energy, shared: args.has("--share"),
            normalized: normalized, limits: limits)
        try GenerationFlags.check(
            generation, parameters: block.node.parameterCount,
            constants: UnrolledGradientEmitter.constantCount(
                entries: block.energy.entries.count, pairs: block.energy.pairs.count, elements: block.actions.elementCount, xSize: block.xSize,
                contextSize: block.contextSize),
            what: "the unrolled-gradient block")
        let source = UnrolledGradientEmitter(block: block, header: header).source()
        try OutputSet.write(source, to: url)
        var lines = ["wrote \(destination): \(typeName), K = \(steps) \(block.normalized ? "normalized" : "plain") gradient steps on a \(energy.rawValue) energy (\(block.energy.formCount) invariant quadratic forms\(block.energy.pairs.isEmpty ? "" : ", \(block.energy.pairs.count) quartic products")), \(block.node.parameterCount) parameters, law over \(block.actions.elementCount) elements"]
        if args.has("--sweep") {
            lines.append("law error against K (relative, worst over the out-of-distribution families; larger law: none):")
            lines.append(UnrolledBlockReport.table(UnrolledBlockReport.errorsAgainstK(name: "\(group.name) \(energy.rawValue)", gradient: block)))
        }
        GeneratedReport.emit(args, file: destination, type: typeName, kind: "unrolled-gradient", parameters: block.node.parameterCount, lines: lines)
    }

    /// Most unrolled steps K of a block: each step is run on every forward pass (and a gradient
    /// block keeps its parameters per step unless --share), so K is a cost a user pays at run time.
    static let maxSteps = 10_000

    static func checkSteps(_ steps: Int) throws(UsageError) {
        guard steps <= maxSteps else {
            throw UsageError("--steps must be between 1 and \(maxSteps), not \(steps) (every step runs on each forward pass; unrolled optimizers use a few to a few hundred)")
        }
    }

    /// Largest grid (points) a fixed-point block is generated for, and largest for the K sweep.
    static let maxFixedPointGridPoints = 65_536
    static let maxSweepGridPoints = 64

    static func fixedPoint(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: GenerationFlags.values.union(["--grid", "--steps", "--step", "--name", "-o", "--seed", "--channels", "--stencil", "--from-model", "--train", "--train-depth"]),
            flagOptions: CommonOptions.flags.union(["--all-cases"]))
        try args.expectPositionals(0)
        let (height, grid, gridText) = try args.grid(
            "--grid", what: "N or HxW (points of the periodic grid, e.g. --grid 32 or --grid 8x8)", minimum: 4)
        let (points, overflow) = (height ?? 1).multipliedReportingOverflow(by: grid)
        guard !overflow, points <= maxFixedPointGridPoints else {
            throw UsageError("--grid \(gridText) has \(overflow ? "too many" : "\(points)") points, above the fixed-point block's limit of \(maxFixedPointGridPoints) (e.g. 256x256 or 65536); use a smaller grid")
        }
        guard let steps = try args.integer("--steps") else { throw UsageError("missing --steps K (e.g. --steps 64)") }
        try checkSteps(steps)
        let generation = try GenerationFlags.limits(args)
        // The generated block builds shift tables of points² entries when it first runs (the
        // Lucas–Kanade step's interpolation, the learned step's Fourier shifts).
        try GenerationFlags.check(generation, tableEntries: GenerationLimits.product(points, points), what: "the fixed-point block on \(gridText)")
        let step = args.value("--step") ?? "lucas-kanade"
        guard step == "lucas-kanade" || step == "network" else {
            throw UsageError("--step must be lucas-kanade or network, not \"\(step)\"")
        }
        // `generate` never trains (the flags are known only to say where training went).
        let trainingFlags = ["--train", "--train-depth"].filter { args.value($0) != nil }
        if !trainingFlags.isEmpty {
            throw UsageError(
                "generate never trains (\(trainingFlags.joined(separator: ", ")) were removed): train the step with `archsynth train fixed-point-step --grid \(gridText) [--channels C] [--stencil S] [--train-depth K] [--iterations N] -o step.json`, then generate with --from-model step.json")
        }
        if step == "lucas-kanade" {
            let networkOnly = ["--channels", "--stencil", "--from-model"].filter { args.value($0) != nil }
            if !networkOnly.isEmpty {
                throw UsageError("\(networkOnly.joined(separator: ", ")) configure the learned step and go with --step network, not with --step lucas-kanade")
            }
        }
        if step == "network", height != nil {
            throw CommandFailure(description: "--step network is implemented on 1-D grids only (--grid N); use --step lucas-kanade for an HxW grid")
        }
        if step == "network" {
            // Every unrolled copy of the learned step holds its own Fourier shift tables (points²
            // entries).
            try GenerationFlags.check(
                generation, tableEntries: GenerationLimits.product(steps, points, points),
                what: "the learned fixed-point block (\(steps) unrolled steps on \(points) points)")
        }
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare, e.g. --name Aligner)")
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        let seedText = args.value("--seed") ?? "1"
        guard let seed = UInt64(seedText) else { throw UsageError("--seed needs a non-negative integer below 2⁶⁴, not \"\(seedText)\"") }
        if step == "network" {
            let block: UnrolledFixedPointNetworkBlock
            do {
                let training = try args.value("--from-model").map { try TrainCommand.readFixedPointStep($0) }
                block = try UnrolledFixedPointNetworkBlock(
                    typeName: typeName, grid: grid, steps: steps, channels: try args.integer("--channels") ?? training?.channels ?? 4,
                    stencil: try args.integer("--stencil") ?? training?.stencil ?? 3, seed: seed, training: training)
            } catch let UnrolledBlockError.badArgument(message) {
                // Ranges of the arguments (grid, steps, channels, stencil, iterations): usage errors,
                // as the same ranges are in the other template and block commands.
                throw UsageError(message)
            } catch let error as UnrolledBlockError {
                throw CommandFailure(description: "\(error)")
            }
            let header = GeneratedFileHeader(spec: "grid \(grid)", command: GeneratedFileHeader.commandLine(command))
            try OutputSet.write(UnrolledFixedPointNetworkEmitter(block: block, header: header).source(), to: url)
            var lines = ["wrote \(destination): \(typeName), K = \(steps) steps of a learned [U,U] shift network on \(grid)-point periodic signals, \(block.network.parameterCount) parameters (stated law: [U,U])"]
            func f(_ x: Double?) -> String { x.map { NumberFormat.scientific($0) } ?? "-" }
            if block.training == nil {
                lines.append("training: none (no --from-model): the parameters are the seeded initialization; train with `archsynth train fixed-point-step` and pass --from-model")
            } else {
                lines.append("training: \(block.trainingIterations) Adam iterations at K = \(block.trainingSteps), circular loss \(f(block.losses.first)) → \(f(block.losses.last)) (mean of the last 10: \(f(block.losses.isEmpty ? nil : block.losses.suffix(10).reduce(0, +) / Double(min(10, block.losses.count)))))")
            }
            // The sweep costs points² · K for every K up to 64, as for the Lucas–Kanade block.
            if points <= maxSweepGridPoints {
                lines.append("law errors against K with the \(block.training == nil ? "untrained" : "trained") parameters (grid units; pairs seed 1, moves seed 2):")
                lines.append(UnrolledBlockReport.table(block.sweep()))
            } else {
                lines.append("law errors against K: not computed here for \(points) points (the sweep is made for grids of at most \(maxSweepGridPoints) points; its cost grows as points² · K); run `archsynth verify \(destination)` for the stated law")
            }
            GeneratedReport.emit(args, file: destination, type: typeName, kind: "unrolled-fixed-point", parameters: block.network.parameterCount, lines: lines)
            return
        }
        let header = GeneratedFileHeader(spec: "grid \(grid)", command: GeneratedFileHeader.commandLine(command))
        let source = UnrolledFixedPointEmitter(typeName: typeName, grid: grid, height: height, steps: steps, header: header).source()
        try OutputSet.write(source, to: url)
        let shape = height.map { "\($0)x\(grid)" } ?? "\(grid)-point"
        var lines = ["wrote \(destination): \(typeName), K = \(steps) Lucas–Kanade steps on \(shape) periodic signals (stated law: [U,U])"]
        defer { GeneratedReport.emit(args, file: destination, type: typeName, kind: "unrolled-fixed-point", parameters: 0, lines: lines) }
        // The sweep runs the block for every K on many shift pairs: its cost grows as points² · K,
        // so it is made only for small grids (measured on the loaded 2-core machine: 32 points 10 s,
        // 64 points 40 s).
        guard points <= maxSweepGridPoints else {
            lines.append("law errors against K: not computed here for \(points) points (the sweep is made for grids of at most \(maxSweepGridPoints) points; its cost grows as points² · K); run `archsynth verify \(destination)` for the stated law")
            return
        }
        lines.append("law errors against K (grid units; seed \(seed)):")
        let sweep = UnrolledBlockReport.defaultSteps + (UnrolledBlockReport.defaultSteps.contains(steps) || steps > 1024 ? [] : [steps])
        let rows = height.map { MesaExperiment.translationRows2D(height: $0, width: grid, seed: seed, steps: sweep) }
            ?? MesaExperiment.translationRows(grid: grid, seed: seed, steps: sweep)
        lines.append(UnrolledBlockReport.table(rows))
        if args.has("--all-cases") {
            lines.append("dihedral alignment (fraction of wrong elements; seed \(seed)):")
            lines.append(UnrolledBlockReport.table(MesaExperiment.dihedralRows(n: 16, seed: seed &+ 1)))
        }
    }
}
