import ArchSynth
import Foundation
import GroupTheory

/// `archsynth generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic]
/// [--share] [--step plain|normalized] --name TYPE -o FILE`: an unrolled gradient-descent block
/// (mesa-optimizer, gradient form) as one Swift file importing ArchSynthRuntime. Validated
/// completely before the file is written (atomically).
enum GenerateBlockCommand {
    static let gradientUsage = "generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic] [--share] [--step plain|normalized] [--sweep] [--max-law-elements N] [--max-dimension N] --name TYPE -o FILE"

    static let fixedPointUsage = "generate block unrolled-fixed-point --grid N|HxW --steps K --step lucas-kanade --name TYPE -o FILE [--seed S] [--all-cases]"

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
            rest, valueOptions: CommonOptions.values.union(["--x", "--context", "--steps", "--energy", "--step", "--name", "-o", "--max-law-elements", "--max-dimension"]),
            flagOptions: CommonOptions.flags.union(["--share", "--sweep"]))
        let spec = try args.positional(0, what: "SPEC (a spec file, catalog name or family such as symmetric:4)")
        try args.expectPositionals(1)
        let x = try args.required("--x", what: "EXPR (the representation on x, e.g. --x natural; it must be orthogonal)")
        let context = try args.required("--context", what: "EXPR (the representation on the context c, e.g. --context natural)")
        guard let steps = try args.integer("--steps") else { throw UsageError("missing --steps K (the number of unrolled steps, e.g. --steps 4)") }
        let energyText = args.value("--energy") ?? "quadratic"
        guard let energy = UnrolledGradientBlock.Energy(rawValue: energyText) else {
            throw UsageError("--energy must be quadratic or quartic, not \"\(energyText)\" (network:REPS is not implemented)")
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

        let group = try CommonOptions.resolver(args).resolve(spec)
        let block: UnrolledGradientBlock
        do {
            block = try UnrolledGradientBlock(
                typeName: typeName, group: group, x: x, context: context, steps: steps, energy: energy, shared: args.has("--share"),
                normalized: normalized, limits: limits)
        } catch let error as UnrolledBlockError {
            throw CommandFailure(description: "\(error)")
        }
        let header = GeneratedFileHeader(spec: spec, command: GeneratedFileHeader.commandLine(command))
        let source = UnrolledGradientEmitter(block: block, header: header).source()
        try GenerateNetworkCommand.write(source, to: url, shown: destination)
        print("wrote \(destination): \(typeName), K = \(steps) \(block.normalized ? "normalized" : "plain") gradient steps on a \(energy.rawValue) energy (\(block.energy.formCount) invariant quadratic forms\(block.energy.pairs.isEmpty ? "" : ", \(block.energy.pairs.count) quartic products")), \(block.node.parameterCount) parameters, law over \(block.actions.elementCount) elements")
        if args.has("--sweep") {
            print("law error against K (relative, worst over the out-of-distribution families; larger law: none):")
            print(UnrolledBlockReport.table(UnrolledBlockReport.errorsAgainstK(name: "\(group.name) \(energy.rawValue)", gradient: block)))
        }
    }

    /// Largest grid (points) a fixed-point block is generated for, and largest for the K sweep.
    static let maxFixedPointGridPoints = 65_536
    static let maxSweepGridPoints = 64

    static func fixedPoint(_ rest: [String], command: [String]) throws {
        let args = try Arguments(rest, valueOptions: ["--grid", "--steps", "--step", "--name", "-o", "--seed"], flagOptions: ["--all-cases"])
        try args.expectPositionals(0)
        let gridText = try args.required("--grid", what: "N or HxW (points of the periodic grid, e.g. --grid 32 or --grid 8x8)")
        let dims = gridText.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard (dims.count == 1 || dims.count == 2), dims.allSatisfy({ ($0 ?? 0) >= 4 }) else {
            throw UsageError("--grid needs N or HxW with every size ≥ 4, not \"\(gridText)\"")
        }
        let height: Int? = dims.count == 2 ? dims[0]! : nil, grid = dims.last!!
        let (points, overflow) = (height ?? 1).multipliedReportingOverflow(by: grid)
        guard !overflow, points <= maxFixedPointGridPoints else {
            throw UsageError("--grid \(gridText) has \(overflow ? "too many" : "\(points)") points, above the fixed-point block's limit of \(maxFixedPointGridPoints) (e.g. 256x256 or 65536); use a smaller grid")
        }
        guard let steps = try args.integer("--steps") else { throw UsageError("missing --steps K (e.g. --steps 64)") }
        let step = args.value("--step") ?? "lucas-kanade"
        guard step == "lucas-kanade" else {
            throw CommandFailure(description: "--step \(step) is not implemented; the available step is lucas-kanade")
        }
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare, e.g. --name Aligner)")
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        do { try SwiftIdentifier.validateTypeName(typeName) } catch { throw UsageError("\(error)") }
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        let seed = UInt64(args.value("--seed") ?? "1") ?? 1
        let header = GeneratedFileHeader(spec: "grid \(grid)", command: GeneratedFileHeader.commandLine(command))
        let source = UnrolledFixedPointEmitter(typeName: typeName, grid: grid, height: height, steps: steps, header: header).source()
        try GenerateNetworkCommand.write(source, to: url, shown: destination)
        let shape = height.map { "\($0)x\(grid)" } ?? "\(grid)-point"
        print("wrote \(destination): \(typeName), K = \(steps) Lucas–Kanade steps on \(shape) periodic signals (stated law: [U,U])")
        // The sweep runs the block for every K on many shift pairs: its cost grows as points² · K,
        // so it is made only for small grids (measured on the loaded 2-core machine: 32 points 10 s,
        // 64 points 40 s).
        guard points <= maxSweepGridPoints else {
            print("law errors against K: not computed here for \(points) points (the sweep is made for grids of at most \(maxSweepGridPoints) points; its cost grows as points² · K); run `archsynth verify \(destination)` for the stated law")
            return
        }
        print("law errors against K (grid units; seed \(seed)):")
        let sweep = UnrolledBlockReport.defaultSteps + (UnrolledBlockReport.defaultSteps.contains(steps) || steps > 1024 ? [] : [steps])
        let rows = height.map { MesaExperiment.translationRows2D(height: $0, width: grid, seed: seed, steps: sweep) }
            ?? MesaExperiment.translationRows(grid: grid, seed: seed, steps: sweep)
        print(UnrolledBlockReport.table(rows))
        if args.has("--all-cases") {
            print("dihedral alignment (fraction of wrong elements; seed \(seed)):")
            print(UnrolledBlockReport.table(MesaExperiment.dihedralRows(n: 16, seed: seed &+ 1)))
        }
    }
}
