import ArchSynth

/// `archsynth catalog [--json]`: every shipped group, validated.
enum CatalogCommand {
    static func run(_ rest: [String]) throws {
        let args = try Arguments(rest, valueOptions: CommonOptions.values, flagOptions: CommonOptions.flags)
        try args.expectPositionals(0)
        let report = try CatalogReport(resolver: try CommonOptions.resolver(args))
        print(args.has("--json") ? report.json.rendered() : report.text)
        if !report.allValid { throw CommandFailure(description: "some catalog entries failed validation") }
    }
}
