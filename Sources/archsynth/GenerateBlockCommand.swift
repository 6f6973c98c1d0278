import ArchSynth
import Foundation
import GroupTheory

/// `archsynth generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic]
/// [--share] [--step plain|normalized] --name TYPE -o FILE`: an unrolled gradient-descent block
/// (mesa-optimizer, gradient form) as one Swift file importing ArchSynthRuntime. Validated
/// completely before the file is written (atomically).
enum GenerateBlockCommand {
    static let gradientUsage = "generate block unrolled-gradient SPEC --x EXPR --context EXPR --steps K [--energy quadratic|quartic] [--share] [--step plain|normalized] --name TYPE -o FILE"

    static func run(_ rest: [String], command: [String]) throws {
        guard let kind = rest.first else { throw UsageError("missing the block kind: \(gradientUsage)") }
        switch kind {
        case "unrolled-gradient": try gradient(Array(rest.dropFirst()), command: command)
        default: throw UsageError("unknown block \"\(kind)\"; use: archsynth \(gradientUsage)")
        }
    }

    static func gradient(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(["--x", "--context", "--steps", "--energy", "--step", "--name", "-o", "--max-law-elements"]),
            flagOptions: CommonOptions.flags.union(["--share"]))
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
    }
}
