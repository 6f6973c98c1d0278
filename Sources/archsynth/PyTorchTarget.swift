import ArchSynth
import Foundation
import GroupTheory

/// `--target pytorch` of `generate layer` and `generate network`, and `verify FILE.py`
/// (issue 22): the same layers and networks as torch.nn.Modules with their basis in a
/// `.safetensors` file beside them, checked under Python with the same law checks.
enum PyTorchTarget {
    static let targets = ["swift", "pytorch"]

    /// True for `--target pytorch`; checks that -o names a .py file (before anything is solved).
    static func requested(_ args: Arguments, destination: String) throws -> Bool {
        let target = args.value("--target") ?? "swift"
        guard targets.contains(target) else { throw UsageError("--target must be swift or pytorch, not \"\(target)\"") }
        guard target == "pytorch" else { return false }
        guard destination.hasSuffix(".py") else {
            throw UsageError("--target pytorch writes a Python module: give -o NAME.py (the basis goes to NAME.safetensors beside it), not \"\(destination)\"")
        }
        return true
    }

    /// Generate kinds without a PyTorch form: a clear error instead of an unknown-option one.
    static func rejectUnsupported(kind: String, _ rest: [String]) throws {
        guard rest.contains("--target") else { return }
        throw UsageError("--target applies to generate layer and generate network only; \"generate \(rest.prefix(2).joined(separator: " "))\" is generated for Swift only (drop --target)")
    }

    static func layer(_ layer: LayerDescription, header: GeneratedFileHeader, strategy: StrategyPreference, spec: String, group: FiniteGroup,
                      args: Arguments, url: URL, destination: String) throws {
        let emitter = try PyTorchLayerEmitter(layer: layer, header: header, strategy: strategy)
        let files = emitter.files(baseName: url.deletingPathExtension().lastPathComponent)
        if args.has("--verify") {
            let actions = try SpecVerification.actions(spec: spec, group: group, expressions: [layer.inputExpression, layer.outputExpression])
            try check(files, name: url.lastPathComponent, check: .init(actions: actions))
        }
        try write(files, to: url)
        let tensors = files.tensors.isEmpty ? "no .safetensors file (all constants embedded)" : "\(PyTorchFiles.tensorsURL(for: url).lastPathComponent) (\(files.tensors.tensors.count) tensors)"
        let summary = GenerateSummary.strategy(emitter.strategy, note: emitter.strategyNote)
        GenerateSummary.print(args, [
            ("file", .string(destination)),
            ("basisFile", files.tensors.isEmpty ? .null : .string(PyTorchFiles.tensorsURL(for: url).lastPathComponent)),
            ("class", .string(layer.typeName)),
            ("group", .string(layer.groupName)),
            ("inputDimension", .int(layer.input.dimension)),
            ("outputDimension", .int(layer.output.dimension)),
            ("weightCount", .int(layer.basis.dimension)),
            ("biasCount", .int(layer.basis.biasDimension)),
        ] + summary.members, lines: [
            "wrote \(destination) and \(tensors): class \(layer.typeName)(torch.nn.Module), \(layer.input.dimension) → \(layer.output.dimension), \(layer.basis.dimension) weights, \(layer.basis.biasDimension) bias parameters",
            summary.line,
        ])
    }

    static func network(_ net: NetworkDescription, header: GeneratedFileHeader, spec: String, group: FiniteGroup, reps: [String],
                        args: Arguments, url: URL, destination: String) throws {
        let emitter = try PyTorchNetworkEmitter(network: net, header: header)
        let files = emitter.files(baseName: url.deletingPathExtension().lastPathComponent)
        if args.has("--verify") {
            let actions = try SpecVerification.actions(spec: spec, group: group, expressions: reps)
            try check(files, name: url.lastPathComponent, check: .init(actions: actions))
        }
        try write(files, to: url)
        let strategies = emitter.layerEmitters.map(\.strategy)
        GenerateSummary.print(args, [
            ("file", .string(destination)),
            ("basisFile", files.tensors.isEmpty ? .null : .string(PyTorchFiles.tensorsURL(for: url).lastPathComponent)),
            ("class", .string(net.typeName)),
            ("dimensions", .array(net.representations.map { .int($0.dimension) })),
            ("weightCount", .int(net.weightCount)),
            ("biasCount", .int(net.biasCount)),
            ("strategies", .array(strategies.map { .string($0.rawValue) })),
            ("invariant", .bool(net.isInvariant)),
        ], lines: ["wrote \(destination)\(files.tensors.isEmpty ? "" : " and \(PyTorchFiles.tensorsURL(for: url).lastPathComponent)"): class \(net.typeName)(torch.nn.Module), \(GenerateSummary.networkShape(net))"]
            + GenerateSummary.layerLines(net, reps: reps, strategies: strategies))
    }

    static func write(_ files: (source: String, tensors: SafetensorsFile), to url: URL) throws {
        do { try PyTorchFiles.write(source: files.source, tensors: files.tensors, to: url) } catch {
            throw CommandFailure(description: "\(error)")
        }
    }

    /// `--verify`: the module is written to a temporary folder and checked before anything is written.
    static func check(_ files: (source: String, tensors: SafetensorsFile), name: String, check: PyTorchVerifier.Check) throws {
        ChildProcesses.shared.installSignalHandlers()
        let folder: TemporaryFolder
        do { folder = try TemporaryFolder(prefix: "archsynth-generate-verify-pytorch") } catch { throw CommandFailure(description: "\(error)") }
        defer { folder.remove() }
        let url = folder.url.appendingPathComponent(name)
        try write(files, to: url)
        Progress.note("--verify: checking \(name) under Python with torch…")
        let report = try PyTorchVerifier().verify(checks: [(url, check)])[0]
        guard report.passed else {
            FileHandle.standardError.write(Data((report.text + "\n").utf8))
            throw CommandFailure(description: "--verify: \(name) failed the equivariance check against \(check.subject) (table above); nothing was written")
        }
    }

    /// `archsynth verify FILE.py --spec SPEC --in EXPR --out EXPR` (or `--reps`).
    static func verify(_ rest: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(["--in", "--out", "--spec", "--reps", "--timeout"]),
            flagOptions: CommonOptions.flags)
        let subject = try args.positional(0, what: "FILE.py (a module generated with --target pytorch)")
        try args.expectPositionals(1)
        guard FileManager.default.fileExists(atPath: subject) else { throw CommandFailure(description: "no file at \(subject)") }
        let check: PyTorchVerifier.Check
        if let text = try? String(contentsOfFile: subject, encoding: .utf8), PyTorchVerifier.isLatticeModule(text) {
            check = try latticeCheck(args, subject: subject)
        } else {
            guard let spec = try VerifyCommand.specActions(args) else {
                throw UsageError("verify FILE.py needs the spec to check against: archsynth verify \(subject) --spec SPEC --in EXPR --out EXPR (or --reps EXPR,…,EXPR for a network)")
            }
            check = .init(actions: spec)
        }
        var options = VerificationOptions()
        if let n = try args.integer("--max-elements") { options.maxElements = n }
        if let seconds = try VerifyCommand.timeout(args) { options.limits.harnessSeconds = seconds }
        ChildProcesses.shared.installSignalHandlers()
        Progress.note("checking \(subject) under Python with torch (\(PyTorchVerifier.defaultPython))…")
        let reports = try PyTorchVerifier(options: options).verify(checks: [(URL(fileURLWithPath: subject), check)])
        try VerifyCommand.finish(reports, args)
    }

    /// The check of a lattice module: `--spec wallpaper:…|space:… --in EXPR --out EXPR`, the field
    /// types built from the spec (never from the module), every translation × point element.
    static func latticeCheck(_ args: Arguments, subject: String) throws -> PyTorchVerifier.Check {
        let usage = "archsynth verify \(subject) --spec wallpaper:p4m:HxW --in 'c*field(ρ)' --out 'c*field(ρ)' (the spec, --in and --out it was generated with)"
        guard let spec = args.value("--spec"), args.value("--reps") == nil else {
            throw UsageError("\(subject) is a lattice convolution: check it with \(usage)")
        }
        guard let lattice = CrystallographicLattice(origin: spec) else {
            throw UsageError("\(subject) is a lattice convolution, and \(spec) is not a wallpaper or space group; check it with \(usage)")
        }
        let pair = try RepresentationPair(args)
        _ = try pair.parsed()
        do { return try .lattice(lattice: lattice, input: pair.inputText, output: pair.outputText) } catch let error as SolverError {
            throw UsageError("\(error)")
        }
    }

    /// `generate layer wallpaper:…|space:… --support k --target pytorch`: the Swift lattice layer's
    /// function as a torch module (`PyTorchLatticeLayerEmitter`), checked under torch first with
    /// `--verify`, then written with its basis file.
    static func latticeLayer(
        spec: String, lattice: CrystallographicLattice, pair: RepresentationPair, support: Int, typeName: String, destination: String, url: URL,
        options: SolverOptions, maxDimension: Int, args: Arguments, command: [String]
    ) throws {
        if args.has("--timing") { throw UsageError("--timing times the Swift lattice layer's solve; drop it with --target pytorch") }
        let (conv, _, _) = try GenerateLatticeCommand.solve(lattice: lattice, pair: pair, support: support, options: options, maxDimension: maxDimension)
        let layer = try GenerateLatticeCommand.emitter(conv, spec: spec, lattice: lattice, pair: pair, typeName: typeName, command: command)
        let emitter = try PyTorchLatticeLayerEmitter(layer: layer)
        let files = emitter.files(baseName: url.deletingPathExtension().lastPathComponent)
        if args.has("--verify") {
            try check(files, name: url.lastPathComponent, check: try .lattice(lattice: lattice, input: pair.inputText, output: pair.outputText))
        }
        try write(files, to: url)
        GenerateSummary.print(args, [
            ("file", .string(destination)),
            ("basisFile", .string(PyTorchFiles.tensorsURL(for: url).lastPathComponent)),
            ("class", .string(typeName)),
            ("group", .string(layer.groupName)),
            ("order", .string(layer.groupOrder)),
            ("inputDimension", .int(layer.inputDimension)),
            ("outputDimension", .int(layer.outputDimension)),
            ("weightCount", .int(conv.weightCount)),
            ("biasCount", .int(conv.biasCount)),
            ("kernelBasisDimension", .int(conv.kernelBasis.dimension)),
            ("stencilOffsets", .int(conv.stencil.count)),
            ("strategy", .string("lattice-convolution")),
        ], lines: [
            "wrote \(destination) and \(PyTorchFiles.tensorsURL(for: url).lastPathComponent): class \(typeName)(torch.nn.Module), \(layer.inputDimension) → \(layer.outputDimension), \(conv.weightCount) weights (\(conv.kernelBasis.dimension) kernel basis elements per channel pair on \(conv.stencil.count) stencil offsets), \(conv.biasCount) bias parameters",
            "strategy: lattice-convolution (\(emitter.strategyNote))",
        ])
    }
}
