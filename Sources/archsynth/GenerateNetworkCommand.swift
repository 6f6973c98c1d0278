import ArchSynth
import Foundation
import GroupTheory

/// `archsynth generate network SPEC --reps EXPR,EXPR,... --name TYPE -o FILE [--nonlinearity auto|relu|tanh|norm] [--json]`
/// and `archsynth generate from-config CONFIG.archsynth.json -o DIR`. Everything is validated
/// and every file built in memory before anything is written; files are written atomically.
enum GenerateNetworkCommand {
    static let usage = "generate network SPEC --reps EXPR,EXPR,... --name TYPE -o FILE [--nonlinearity auto|relu|tanh|norm|…] [--support K] [--verify] [--target swift|pytorch]"
    static let configUsage = "generate from-config CONFIG.archsynth.json -o DIR [--verify]"

    static func network(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(SolverFlags.values).union(GenerationFlags.values).union(["--reps", "--name", "-o", "--nonlinearity", "--support", "--target"]),
            flagOptions: CommonOptions.flags.union(SolverFlags.flags).union(["--verify"]))
        let options = try SolverFlags.options(args)
        let spec = try args.positional(0, what: "SPEC (a spec file, catalog name or family such as symmetric:5)")
        try args.expectPositionals(1)
        let repsText = try args.required("--reps", what: "EXPR,EXPR,... (input, hidden and output representations, e.g. --reps natural,natural,trivial)")
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare, e.g. --name SetNetwork)")
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        let requestText = args.value("--nonlinearity") ?? "auto"
        var support: Int?
        if let text = args.value("--support") {
            guard let k = Int(text), k >= 1 else { throw UsageError("--support must be a positive integer (a k × … × k stencil), not \"\(text)\"") }
            support = k
        }
        let reps = splitTopLevel(repsText)
        guard reps.count >= 2, reps.allSatisfy({ !$0.isEmpty }) else {
            throw UsageError("--reps needs at least two comma-separated representation expressions, e.g. natural,natural,trivial")
        }
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        if let lattice = CrystallographicLattice(origin: spec) {
            // Wallpaper and space groups: a G-CNN of steerable lattice convolutions.
            if let target = args.value("--target"), target != "swift" {
                throw UsageError("--target \(target) is not available for a lattice network (\(spec)): G-CNNs are emitted as Swift only; drop --target (single lattice layers have it: generate layer \(spec) --in … --out … --support k --target pytorch)")
            }
            return try GenerateLatticeCommand.network(
                spec: spec, lattice: lattice, reps: reps, support: support ?? 3, nonlinearity: requestText, typeName: typeName, destination: destination, url: url,
                options: options, limits: try GenerationFlags.limits(args), maxDimension: try args.integer("--max-rep-dimension") ?? GroupOptions().maxDimension,
                verify: args.has("--verify"), json: args.has("--json"), command: command)
        }
        guard let request = NonlinearityRequest(rawValue: requestText) else {
            throw UsageError("--nonlinearity must be auto, relu, tanh or norm, not \"\(requestText)\"")
        }
        if GenerationFlags.values.contains(where: { args.value($0) != nil }) {
            throw UsageError("--max-parameters, --max-constants and --max-table-entries apply to lattice specs (wallpaper:…, space:…) only; the limits of other networks are --max-rep-dimension and the solver's flags")
        }
        let pytorch = try PyTorchTarget.requested(args, destination: destination)

        let group = try CommonOptions.resolver(args).resolve(spec)
        let net = try NetworkDescription.solving(typeName: typeName, group: group, expressions: reps, request: request, options: options, support: support)
        let header = GeneratedFileHeader(spec: spec, command: GeneratedFileHeader.commandLine(command))
        if pytorch {
            return try PyTorchTarget.network(net, header: header, spec: spec, group: group, reps: reps, args: args, url: url, destination: destination)
        }
        let emitter = try NetworkEmitter(network: net, header: header)
        let source = emitter.source()
        try SpecVerification.write(source, typeName: typeName, to: url, args: args, spec: spec, group: group, expressions: reps)
        let strategies = emitter.layerEmitters.map(\.strategy)
        GenerateSummary.print(args, GenerateSummary.swiftFile(destination, type: typeName, group: group) + [
            ("representations", .array(reps.map { .string($0) })),
            ("dimensions", .array(net.representations.map { .int($0.dimension) })),
            ("weightCount", .int(net.weightCount)),
            ("biasCount", .int(net.biasCount)),
            ("strategies", .array(strategies.map { .string($0.rawValue) })),
            ("nonlinearities", .array(net.nonlinearities.map { .string($0.summary) })),
            ("invariant", .bool(net.isInvariant)),
        ], lines: ["wrote \(destination): \(typeName), \(GenerateSummary.networkShape(net))"]
            + GenerateSummary.layerLines(net, reps: reps, strategies: strategies))
    }

    static func fromConfig(_ rest: [String], command: [String]) throws {
        // The solver's limits may be raised here too (they change what is accepted, never the
        // result); --float changes the basis, so the header's recorded command keeps it.
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(SolverFlags.values).union(["-o"]),
            flagOptions: SolverFlags.flags.union(["--verify", "--json"]))
        let configPath = try args.positional(0, what: "CONFIG (a *.archsynth.json file)")
        try args.expectPositionals(1)
        let destination = try args.required("-o", what: "DIR (the directory for the generated NAME.swift files)")
        let configURL = URL(fileURLWithPath: configPath)
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw CommandFailure(description: "cannot read \(configPath)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure(description: "\(configURL.lastPathComponent): not valid UTF-8; save the config as UTF-8 text")
        }
        let config = try GenerationConfig(parsing: text, origin: configURL.lastPathComponent)
        let spec = config.resolvedSpec(configDirectory: configURL.deletingLastPathComponent())
        // Every output is checked before anything is computed (a file name that is a directory,
        // a missing parent), and all files are written or none.
        let dir = URL(fileURLWithPath: destination)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure(description: "-o \(destination) is a file; give the directory for the generated NAME.swift files")
        }
        let outputs = (config.layers.map(\.name) + config.networks.map(\.name)).map { dir.appendingPathComponent("\($0).swift") }
        if FileManager.default.fileExists(atPath: destination) { _ = try OutputSet.check(outputs) }
        let group = try CommonOptions.resolver(args).resolve(spec)
        let recorded = GeneratedFileHeader.commandLine(
            ["archsynth", "generate", "from-config", configURL.lastPathComponent] + (args.has("--float") ? ["--float"] : []))
        let files = try config.generate(group: group, command: recorded, options: try SolverFlags.options(args))
        if args.has("--verify") || config.verify {
            var items: [SpecVerification.Item] = []
            for (f, expressions) in zip(files, config.layers.map { [$0.input, $0.output] } + config.networks.map(\.representations)) {
                if let lattice = CrystallographicLattice(origin: config.spec), LatticeVerification.isLatticeLayer(f.source) {
                    // A lattice network: every translation × point element (LatticeVerification).
                    let fields = try LatticeVerification.fields(lattice: lattice, reps: expressions)
                    let reports = try LatticeVerification(options: VerificationOptions()).verify(source: f.source, fileName: f.fileName, spec: fields)
                    FileHandle.standardError.write(Data((reports.map(\.text).joined(separator: "\n\n") + "\n").utf8))
                    guard reports.allSatisfy(\.passed), !reports.contains(where: \.isDegenerate) else {
                        throw CommandFailure(description: "\(f.fileName) failed its equivariance check (see above); nothing was written")
                    }
                    continue
                }
                let actions = try SpecVerification.actions(spec: config.spec, group: group, expressions: expressions)
                items.append(.init(fileName: f.fileName, source: f.source, actions: actions))
            }
            _ = try SpecVerification.check(items)
        }
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw CommandFailure(description: "cannot create \(destination): \(error.localizedDescription)")
        }
        // Unchanged files are left alone so the build system does not recompile them.
        try OutputSet.write(files.map { (dir.appendingPathComponent($0.fileName), $0.source) }, skipUnchanged: true)
        GenerateSummary.print(args, [
            ("directory", .string(destination)),
            ("files", .array(files.map { .string($0.fileName) })),
            ("verified", .bool(args.has("--verify") || config.verify)),
        ], lines: ["wrote \(files.map(\.fileName).joined(separator: ", ")) to \(destination)"])
    }

    /// Splits on commas outside parentheses (so `dual(a),b` stays two expressions).
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
