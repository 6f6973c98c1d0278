import ArchSynth
import Foundation
import GroupTheory

/// `archsynth verify X.swift [--spec SPEC --in EXPR --out EXPR]` on a generated lattice layer:
/// every translation × point-group element, enumerated directly (`LatticeVerification`).
enum VerifyLatticeCommand {
    static func run(file: String, source: String, args: Arguments, options: VerificationOptions) throws {
        // The field types come from archsynth, never from the file: from --spec, else rebuilt
        // from the spec and expressions the file's header records.
        let spec: String, inText: String, outText: String
        var networkReps: [String]?
        if let given = args.value("--spec"), let repsText = args.value("--reps") {
            // A lattice network: its first and last representations.
            guard args.value("--in") == nil, args.value("--out") == nil else {
                throw UsageError("give either --reps (a network) or --in and --out (a layer), not both")
            }
            let reps = GenerateNetworkCommand.splitTopLevel(repsText)
            guard reps.count >= 2, reps.allSatisfy({ !$0.isEmpty }) else {
                throw UsageError("--reps needs at least two comma-separated field types, e.g. 'field(trivial),2*field(regular),trivial'")
            }
            (spec, inText, outText) = (given, reps[0], reps[reps.count - 1])
            networkReps = reps
        } else if let given = args.value("--spec") {
            guard let i = args.value("--in"), let o = args.value("--out") else {
                throw UsageError("--spec needs --in EXPR --out EXPR: archsynth verify FILE.swift --spec SPEC --in EXPR --out EXPR")
            }
            (spec, inText, outText) = (given, i, o)
        } else {
            if args.value("--in") != nil || args.value("--out") != nil || args.value("--reps") != nil {
                throw UsageError("--in, --out and --reps need --spec SPEC to say which group they belong to: archsynth verify FILE.swift --spec SPEC --in EXPR --out EXPR")
            }
            guard let header = SpecActions.headerFields(of: source) else {
                throw UsageError("\(file): its header has no `// Spec:` and `// Input:` lines, so archsynth cannot rebuild the field types it must be checked against; give --spec SPEC --in EXPR --out EXPR")
            }
            (spec, inText, outText) = header
            // A network's header lists every entry (pool(s) entries set the stride).
            if let line = source.split(separator: "\n").first(where: { $0.hasPrefix("// Representations: ") }),
               let end = line.range(of: " (dimensions ", options: .backwards) {
                networkReps = line[line.index(line.startIndex, offsetBy: "// Representations: ".count)..<end.lowerBound].components(separatedBy: " → ")
            }
        }
        guard let lattice = CrystallographicLattice(origin: spec) else {
            throw UsageError("\(spec) is not a wallpaper or space group (wallpaper:p4m:HxW, space:Oh:DxHxW); a lattice layer is checked against the spec it was generated from")
        }
        let fields: LatticeVerification.Fields?
        if let networkReps {
            fields = try LatticeVerification.fields(lattice: lattice, reps: networkReps)
        } else {
            fields = try LatticeVerification.fields(lattice: lattice, input: try RepresentationExpression(parsing: inText), output: try RepresentationExpression(parsing: outText))
        }
        Progress.note("compiling \(file) with the verification harness (swiftc \(options.optimization)) and checking every translation × point element…")
        let reports = try LatticeVerification(options: options).verify(source: source, fileName: URL(fileURLWithPath: file).lastPathComponent, spec: fields)
        try VerifyCommand.finish(reports, args)
    }
}
