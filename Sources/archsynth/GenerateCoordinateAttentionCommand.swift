import ArchSynth
import Foundation

/// `archsynth generate template coordinate-attention --grid N | HxW --channels C --depth L
/// [--stencil k] [--temperature τ] [--refine L2] --name TYPE -o FILE`: the doubly
/// translation-equivariant coordinate-attention template as one Swift file on the runtime
/// module (`CoordinateAttentionTemplate`); `--groups SPEC1,SPEC2 --in REP1,REP2` gives the
/// G₁ × G₂ soft-correspondence form (`CorrespondenceTemplate`).
enum GenerateCoordinateAttentionCommand {
    static let usage = """
        generate template coordinate-attention --grid N|HxW --channels C --depth L [--stencil k] [--temperature T] [--refine L2] --name TYPE -o FILE
        generate template coordinate-attention --groups SPEC1,SPEC2 --in REP1,REP2 --channels C --depth L [--temperature T] --name TYPE -o FILE
        """

    static func run(_ rest: [String], command: [String]) throws {
        let args = try Arguments(
            rest,
            valueOptions: CommonOptions.values.union(GenerationFlags.values).union(["--grid", "--channels", "--depth", "--stencil", "--temperature", "--refine", "--name", "-o", "--groups", "--in"]),
            flagOptions: CommonOptions.flags)
        try args.expectPositionals(0)
        let typeName = try args.required("--name", what: "TYPE (the Swift type to declare, e.g. --name Registration)")
        let destination = try args.required("-o", what: "FILE (the Swift file to write)")
        guard let channels = try args.integer("--channels") else { throw UsageError("missing --channels C (feature channels)") }
        guard let depth = try args.integer("--depth") else { throw UsageError("missing --depth L (feature layers)") }
        var temperature = 1.0
        if let t = args.value("--temperature") {
            let range = CoordinateAttentionTemplate.temperatureRange
            guard let v = Double(t), range.contains(v) else {
                throw UsageError("--temperature needs a number between \(range.lowerBound) and \(range.upperBound), not \"\(t)\" (the features are divided by it: a smaller one overflows the softmax)")
            }
            temperature = v
        }
        let limits = try GenerationFlags.limits(args)
        let url = try CommonOptions.checkedFile(destination, example: "\(typeName).swift")
        let source: String
        let summary: String
        let kind: String
        let parameters: Int
        if let groups = args.value("--groups") {
            guard args.value("--grid") == nil, args.value("--refine") == nil, args.value("--stencil") == nil else {
                throw UsageError("--groups (the G₁ × G₂ form) does not take --grid, --stencil or --refine")
            }
            let specs = groups.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let reps = GenerateNetworkCommand.splitTopLevel(try args.required("--in", what: "REP1,REP2 (the permutation representations of the two inputs)"))
            guard specs.count == 2, reps.count == 2, !(specs + reps).contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                throw UsageError("--groups and --in each need two non-empty comma-separated entries, e.g. --groups cyclic:8,cyclic:8 --in regular,regular")
            }
            let resolver = try CommonOptions.resolver(args)
            let template: CorrespondenceTemplate
            do {
                template = try CorrespondenceTemplate(
                    typeName: typeName, groups: (try resolver.resolve(specs[0]), try resolver.resolve(specs[1])), specs: (specs[0], specs[1]),
                    representations: (reps[0], reps[1]), channels: channels, depth: depth, temperature: temperature, limits: limits)
            } catch let e as TemplateArgumentError {
                throw UsageError(e.description)
            } catch let e as GenerationLimitError {
                throw CommandFailure(description: e.description)
            } catch let e as TemplateBuildError {
                throw CommandFailure(description: e.description)
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            source = template.source(command: GeneratedFileHeader.commandLine(command))
            summary = "\(typeName), points \(template.sizes.0) and \(template.sizes.1), \(template.parameterCount) parameters, law over \(template.lawElementCount) pairs"
            kind = "coordinate-attention-correspondence"
            parameters = template.parameterCount
        } else {
            let grid = try args.grid("--grid", what: "N or HxW (the periodic grid)", minimum: 1)
            let (h, w) = (grid.height ?? 1, grid.width)
            let stencil = try args.integer("--stencil") ?? 3
            let refine = try args.integer("--refine")
            let template: CoordinateAttentionTemplate
            do {
                template = try CoordinateAttentionTemplate(
                    typeName: typeName, height: h, width: w, channels: channels, depth: depth, stencil: stencil, temperature: temperature,
                    refineDepth: refine)
            } catch let e as TemplateArgumentError {
                throw UsageError(e.description)
            } catch {
                throw UsageError("\(error)")
            }
            try GenerationFlags.check(limits, parameters: template.parameterCount, what: "the coordinate-attention template")
            source = template.source(command: GeneratedFileHeader.commandLine(command))
            summary = "\(typeName), \(h)×\(w) periodic grid, \(depth) feature layers × \(channels) channels\(refine.map { ", TwoStep refinement depth \($0)" } ?? "")"
            kind = "coordinate-attention"
            parameters = template.parameterCount
        }
        try OutputSet.write(source, to: url)
        GeneratedReport.emit(args, file: destination, type: typeName, kind: kind, parameters: parameters, lines: ["wrote \(destination): \(summary)"])
    }
}
