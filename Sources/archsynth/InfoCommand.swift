import ArchSynth

/// `archsynth info SPEC [--json]`: validate and describe a group.
enum InfoCommand {
    static func run(_ rest: [String]) throws {
        let args = try Arguments(rest, valueOptions: CommonOptions.values, flagOptions: CommonOptions.flags)
        let spec = try args.positional(0, what: "SPEC (a spec file, catalog name or family such as symmetric:4)")
        try args.expectPositionals(1)
        let group = try CommonOptions.resolver(args).resolve(spec)
        let report = try GroupReport(group: group)
        print(args.has("--json") ? report.json.rendered() : report.text)
    }
}
