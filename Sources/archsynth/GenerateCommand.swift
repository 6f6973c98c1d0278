import ArchSynth
import Foundation
import GroupTheory

/// `archsynth generate layer SPEC --in EXPR --out EXPR --name TYPE -o FILE [--strategy S] [--verify] [--json]`:
/// one Swift file that imports ArchSynthRuntime (DESIGN.md "Generated code"). Everything is validated and
/// the whole file is built in memory before anything is written; the file is written
/// atomically (temporary file, then rename). `--verify` compiles the file with the
/// verification harness and checks it against the spec's actions first (`SpecVerification`).
enum GenerateCommand {
    static let usage = "generate layer SPEC --in EXPR --out EXPR --name TYPE -o FILE [--strategy auto|tied|symmetric-closed-form|dense|group-convolution|factored] [--support K [--timing]] [--verify] [--target swift|pytorch]"

    static func run(_ rest: [String]) throws {
        guard let kind = rest.first else { throw UsageError("missing what to generate: \(usage)") }
        if kind != "layer", kind != "network" { try PyTorchTarget.rejectUnsupported(kind: kind, rest) }
        switch kind {
        case "layer": try layer(Array(rest.dropFirst()), command: ["archsynth", "generate"] + rest)
        case "network": try GenerateNetworkCommand.network(Array(rest.dropFirst()), command: ["archsynth", "generate"] + rest)
        case "from-config": try GenerateNetworkCommand.fromConfig(Array(rest.dropFirst()), command: ["archsynth", "generate"] + rest)
        case "template" where rest.dropFirst().first == "coordinate-attention": try GenerateCoordinateAttentionCommand.run(Array(rest.dropFirst(2)), command: ["archsynth", "generate"] + rest)
        case "block": try GenerateBlockCommand.run(Array(rest.dropFirst()), command: ["archsynth", "generate"] + rest)
        case "template" where rest.dropFirst().first == "swap-inversion":
            try GenerateSwapInversionCommand.run(Array(rest.dropFirst(2)), command: ["archsynth", "generate"] + rest)
        case "template" where rest.dropFirst().first == "registration":
            try GenerateRegistrationTemplateCommand.run(Array(rest.dropFirst(2)), command: ["archsynth", "generate"] + rest)
        case "template":
            let what = rest.dropFirst().first.map { "unknown template \"\($0)\"" } ?? "missing the template kind"
            throw UsageError("\(what); use: archsynth generate template swap-inversion … or archsynth generate template coordinate-attention …")
        default: throw UsageError("unknown generate target \"\(kind)\"; use: archsynth \(usage)")
        }
    }

    static func layer(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(SolverFlags.values).union(["--in", "--out", "--name", "-o", "--strategy", "--support", "--target"]),
            flagOptions: CommonOptions.flags.union(SolverFlags.flags).union(["--verify", "--timing"]))
        let options = try SolverFlags.options(args)
        let spec = try args.positional(0, what: "SPEC (a spec file, catalog name or family such as symmetric:4)")
        try args.expectPositionals(1)
        let pair = try RepresentationPair(args)
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare, e.g. --name PermutationLayer)")
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        let strategyText = args.value("--strategy") ?? "auto"
        guard let strategy = StrategyPreference(strategyText) else {
            throw UsageError("--strategy must be auto, tied, symmetric-closed-form, dense, group-convolution or factored, not \"\(strategyText)\"")
        }
        var support: Int?
        if let text = args.value("--support") {
            guard let k = Int(text), k >= 1 else { throw UsageError("--support must be a positive integer (a k × … × k stencil), not \"\(text)\"") }
            support = k
        }
        if support != nil, case let .forced(forced) = strategy, forced != .groupConvolution {
            throw UsageError("--support makes the layer a group convolution with a local stencil; it does not go with --strategy \(strategyText) (drop one of them)")
        }
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        let pytorch = try PyTorchTarget.requested(args, destination: destination)

        let (input, output) = try pair.parsed()
        let lattice = CrystallographicLattice(origin: spec)
        if args.has("--timing"), support == nil || lattice == nil {
            throw UsageError("--timing times a lattice layer's basis solve (a wallpaper or space group with --support k); drop it for \(spec)")
        }
        if let support, let lattice {
            // Wallpaper and space groups: a steerable lattice convolution (its own emitters).
            let maxDimension = try args.integer("--max-rep-dimension") ?? GroupOptions().maxDimension
            if pytorch {
                return try PyTorchTarget.latticeLayer(
                    spec: spec, lattice: lattice, pair: pair, support: support, typeName: typeName, destination: destination, url: url, options: options,
                    maxDimension: maxDimension, args: args, command: command)
            }
            return try GenerateLatticeCommand.layer(
                spec: spec, lattice: lattice, pair: pair, support: support, typeName: typeName, destination: destination, url: url,
                options: options, maxDimension: maxDimension,
                verify: args.has("--verify"), json: args.has("--json"), timing: args.has("--timing"), command: command)
        }
        let group = try CommonOptions.resolver(args).resolve(spec)
        let rIn = try group.representation(for: input), rOut = try group.representation(for: output)
        // Multiples of the regular representation: a group convolution, built without the solver.
        var convolution: LayerDescription?
        if strategy == .automatic || strategy == .forced(.groupConvolution) || support != nil {
            convolution = try LayerDescription.groupConvolution(
                typeName: typeName, group: group, input: rIn, output: rOut, inputExpression: pair.inputText,
                outputExpression: pair.outputText, support: support)
        }
        if support != nil, convolution == nil {
            throw UsageError("--support applies to group convolutions only: --in and --out must be multiples of the regular representation (or of a transitive permutation representation on |G| points)")
        }
        let layer: LayerDescription
        if let convolution {
            layer = convolution
        } else {
            Progress.solving(group: group, input: input, output: output)
            // A basis too large to materialize is kept factored (the factored strategy); --strategy factored asks for it.
            let basis = strategy == .forced(.factored)
                ? try IntertwinerSolver.solveFactored(group: group, input: input, output: output, options: options)
                : try IntertwinerSolver.solveMaterializedOrFactored(group: group, input: input, output: output, options: options)
            layer = try LayerDescription(
                typeName: typeName, group: group, input: rIn, output: rOut, inputExpression: pair.inputText,
                outputExpression: pair.outputText, basis: basis)
        }
        let basis = layer.basis
        let header = GeneratedFileHeader(spec: spec, command: GeneratedFileHeader.commandLine(command))
        if pytorch {
            return try PyTorchTarget.layer(layer, header: header, strategy: strategy, spec: spec, group: group, args: args, url: url, destination: destination)
        }
        let emitter = try LayerEmitter(layer: layer, header: header, strategy: strategy)
        let source = emitter.source()
        try SpecVerification.write(source, typeName: typeName, to: url, args: args, spec: spec, group: group, expressions: [pair.inputText, pair.outputText])
        let chosen = GenerateSummary.strategy(emitter.strategy, note: emitter.strategyNote)
        GenerateSummary.print(args, GenerateSummary.swiftFile(destination, type: typeName, group: group) + [
            ("inputDimension", .int(rIn.dimension)),
            ("outputDimension", .int(rOut.dimension)),
            ("weightCount", .int(basis.dimension)),
            ("biasCount", .int(basis.biasDimension)),
            ("basisMethod", .string(basis.method.description)),
        ] + chosen.members, lines: [
            "wrote \(destination): \(typeName), \(rIn.dimension) → \(rOut.dimension), \(basis.dimension) weights, \(basis.biasDimension) bias parameters",
            chosen.line,
        ])
    }
}
