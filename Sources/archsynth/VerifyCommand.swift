import ArchSynth
import Foundation
import GroupTheory

/// `archsynth verify FILE.swift --spec SPEC --in EXPR --out EXPR` (or `--reps EXPR,…,EXPR` for a
/// network: its first and last representations), `archsynth verify FILE.swift` alone, or
/// `archsynth verify SPEC --in EXPR --out EXPR`: the out-of-distribution checks (DESIGN.md
/// "Verification"). Prints the per-family table and exits 0 only if every family passes
/// (Float 1e-4 and Double 1e-9 relative for generated files, Double 1e-9 for a layer built in
/// the library).
///
/// The group actions always come from archsynth, not from the file: from `--spec` with `--in`/`--out`
/// (or `--reps`), else rebuilt from the spec and representations the file's header records
/// (`SpecActions(headerOf:resolver:)`), so a file whose kernel and baked actions are consistently
/// wrong fails, and a file whose header names nothing archsynth can rebuild is refused. Templates and
/// blocks are checked against the laws archsynth rebuilds from their header (`ExpectedLaws`).
/// `--timeout SECONDS` (default 600) and `--memory-limit MB` (default 8192) bound the compiled
/// harness (`ProcessLimits`).
enum VerifyCommand {
    /// `--timeout SECONDS` when given: a number above 0 and at most 86400 (one day).
    static func timeout(_ args: Arguments) throws -> Double? {
        guard let t = args.value("--timeout") else { return nil }
        guard let seconds = Double(t), seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw UsageError("--timeout needs a number of seconds above 0 and at most 86400 (one day), not \"\(t)\"")
        }
        return seconds
    }

    static func run(_ rest: [String]) throws {
        // A module generated with --target pytorch: checked under Python (PyTorchTarget).
        if let first = rest.first, first.hasSuffix(".py") { return try PyTorchTarget.verify(rest) }
        // A trained registration model (model.json): its own checks (VerifyModelCommand).
        // A group spec file is a `.json` too; it comes with --in/--out or --reps.
        if let first = rest.first, first.hasSuffix(".json") {
            if isRegistrationModel(first) { return try VerifyModelCommand.run(rest) }
            if !rest.contains(where: { ["--in", "--out", "--reps"].contains($0) }) {
                throw CommandFailure(description: "\(first) is not an archsynth registration model (its head does not name the format \"\(RegistrationModelFile.formatName)\"; train one with `archsynth train registration`); to check a layer of a group spec file, give --in EXPR --out EXPR")
            }
        }
        let args = try Arguments(
            rest,
            valueOptions: CommonOptions.values.union(SolverFlags.values).union(["--in", "--out", "--optimization", "--spec", "--reps", "--timeout", "--memory-limit", "--max-grid-points"]),
            flagOptions: CommonOptions.flags.union(SolverFlags.flags))
        let subject = try args.positional(0, what: "FILE.swift (a generated layer or network) or SPEC with --in and --out")
        try args.expectPositionals(1)
        var options = VerificationOptions()
        if let n = try args.integer("--max-elements") { options.maxElements = n }
        if let o = args.value("--optimization") {
            guard o == "-O" || o == "-Onone" else { throw UsageError("--optimization must be -O or -Onone, not \"\(o)\"") }
            options.optimization = o
        }
        if let seconds = try timeout(args) { options.limits.harnessSeconds = seconds }
        if let m = try args.integer("--memory-limit") {
            guard m >= 64, m <= 1 << 30 else { throw UsageError("--memory-limit needs a number of MB from 64 up, not \(m)") }
            options.limits.memoryMegabytes = m
        }
        if let n = try args.integer("--max-grid-points") { options.maxGridPoints = n }
        // SIGINT/SIGTERM end the compiler's or the harness's process group and remove the folders.
        ChildProcesses.shared.installSignalHandlers()
        let reports: [VerificationReport]
        if subject.hasSuffix(".swift") {
            guard FileManager.default.fileExists(atPath: subject) else { throw CommandFailure(description: "no file at \(subject)") }
            if let text = try? String(contentsOfFile: subject, encoding: .utf8), VerificationHarness.declaresLawfulModel(text) {
                // Templates and blocks: the laws archsynth rebuilds from the header (or --spec), checked
                // by the runtime's verifier on the compiled file.
                if args.value("--in") != nil || args.value("--out") != nil || args.value("--reps") != nil {
                    throw UsageError("--in, --out and --reps do not apply to a template or block: its law is rebuilt from the header's parameters (--spec SPEC only for blocks and correspondences, and only the spec the header records)")
                }
                Progress.note("compiling \(subject) with the verification harness (swiftc \(options.optimization)) and checking the laws archsynth rebuilds from its header…")
                let harness = VerificationHarness(options: options, resolver: try CommonOptions.resolver(args))
                let (reports, sweep) = try harness.verifyWithSweep(file: URL(fileURLWithPath: subject), spec: args.value("--spec"))
                if args.has("--json") {
                    print(JSONValue.array(reports.map(\.json)).rendered())
                } else {
                    print(reports.map(\.text).joined(separator: "\n\n"))
                    if !sweep.isEmpty {
                        // Unrolled blocks: the law errors against the number of steps K.
                        for type in Set(sweep.map(\.type)).sorted() {
                            print("\nverify \(URL(fileURLWithPath: subject).lastPathComponent) (\(type)): law errors against K (diagonal: the law every step obeys; larger: the law only fixed points obey, - when none)")
                            print(UnrolledBlockReport.table(sweep.filter { $0.type == type }.map(\.row)))
                        }
                    }
                }
                if reports.contains(where: \.isDegenerate) { throw CommandFailure(description: degenerate) }
                if !reports.allSatisfy(\.passed) {
                    throw CommandFailure(description: "a law check failed (see the table above)")
                }
                return
            }
            if let text = try? String(contentsOfFile: subject, encoding: .utf8), LatticeVerification.isLatticeLayer(text) {
                return try VerifyLatticeCommand.run(file: subject, source: text, args: args, options: options)
            }
            // The actions come from archsynth, never from the file: from --spec, else rebuilt from
            // the spec and representations the file's header records.
            var spec = try specActions(args)
            if spec == nil {
                guard let text = try? String(contentsOfFile: subject, encoding: .utf8) else { throw CommandFailure(description: "cannot read \(subject) as UTF-8 text") }
                spec = try SpecActions(headerOf: text, resolver: try CommonOptions.resolver(args))
            }
            Progress.note("compiling \(subject) with the verification harness (swiftc \(options.optimization)) and running the checks…")
            // Every layer type the compiler finds in the file gets a report (a hidden second type too).
            reports = try VerificationHarness(options: options).verify(files: [URL(fileURLWithPath: subject)], spec: spec)
        } else {
            if args.value("--spec") != nil || args.value("--reps") != nil {
                throw UsageError("--spec and --reps go with a generated FILE.swift: archsynth verify FILE.swift --spec SPEC --in EXPR --out EXPR")
            }
            let pair = try RepresentationPair(args)
            let (input, output) = try pair.parsed()
            let group = try CommonOptions.resolver(args).resolve(subject)
            let rIn = try group.representation(for: input), rOut = try group.representation(for: output)
            let basis = try IntertwinerSolver.solveMaterializedOrFactored(group: group, input: input, output: output, options: try SolverFlags.options(args))
            reports = [LayerVerifier(options: options).verify(
                basis: basis, input: rIn, output: rOut, subject: "\(subject) --in \(pair.inputText) --out \(pair.outputText)")]
        }
        try finish(reports, args)
    }

    /// Prints the reports (text, or JSON: one object for one type, an array when the file
    /// declares several) and fails unless every one passed.
    static func finish(_ reports: [VerificationReport], _ args: Arguments) throws {
        if args.has("--json") {
            print(reports.count == 1 ? reports[0].json.rendered() : JSONValue.array(reports.map(\.json)).rendered())
        } else {
            print(reports.map(\.text).joined(separator: "\n\n"))
        }
        if reports.contains(where: \.isDegenerate) { throw CommandFailure(description: degenerate) }
        if !reports.allSatisfy(\.passed) {
            throw CommandFailure(description: "equivariance check failed (see the table above)")
        }
    }

    static let degenerate = "degenerate model: its output does not depend on its input, so it obeys every law trivially (see the table above)"
}

extension VerifyCommand {
    /// The actions of `--spec SPEC` with `--in EXPR --out EXPR` or `--reps A,…,Z` (A → Z); `nil`
    /// without `--spec`. `--in`/`--out`/`--reps` without `--spec` is a usage error.
    static func specActions(_ args: Arguments) throws -> SpecActions? {
        guard let spec = args.value("--spec") else {
            if args.value("--in") != nil || args.value("--out") != nil || args.value("--reps") != nil {
                throw UsageError("--in, --out and --reps need --spec SPEC to say which group they belong to: archsynth verify FILE.swift --spec SPEC --in EXPR --out EXPR")
            }
            return nil
        }
        let inputText: String, outputText: String, subject: String
        if let repsText = args.value("--reps") {
            guard args.value("--in") == nil, args.value("--out") == nil else {
                throw UsageError("give either --reps (a network) or --in and --out (a layer), not both")
            }
            let reps = GenerateNetworkCommand.splitTopLevel(repsText)
            guard reps.count >= 2, reps.allSatisfy({ !$0.isEmpty }) else {
                throw UsageError("--reps needs at least two comma-separated representation expressions, e.g. natural,natural,trivial")
            }
            inputText = reps[0]
            outputText = reps[reps.count - 1]
            subject = "\(spec) --reps \(repsText)"
        } else {
            let pair = try RepresentationPair(args)
            inputText = pair.inputText
            outputText = pair.outputText
            subject = "\(spec) --in \(inputText) --out \(outputText)"
        }
        let group = try CommonOptions.resolver(args).resolve(spec)
        let input: RepresentationExpression, output: RepresentationExpression
        do {
            input = try RepresentationExpression(parsing: inputText)
            output = try RepresentationExpression(parsing: outputText)
        } catch {
            throw CommandFailure(description: "\(error)")
        }
        let rIn = try group.representation(for: input), rOut = try group.representation(for: output)
        return try SpecActions(subject: subject, generatorNames: group.generators, input: rIn, output: rOut)
    }

    /// A `.json` argument is a trained registration model when its head names the model format
    /// (a group spec file is a `.json` too, checked with --in/--out or --reps).
    static func isRegistrationModel(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 4096)
        return String(decoding: head, as: UTF8.self).contains("\"\(RegistrationModelFile.formatName)\"")
    }
}
