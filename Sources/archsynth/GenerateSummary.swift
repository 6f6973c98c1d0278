import ArchSynth
import GroupTheory

/// What `generate layer` and `generate network` print after writing their files, for both
/// targets: one JSON object under `--json`, else lines of text.
enum GenerateSummary {
    /// Prints `members` as one JSON object when `--json` is given, else `lines`, one a line.
    static func print(_ args: Arguments, _ members: [(String, JSONValue)], lines: [String]) {
        if args.has("--json") {
            Swift.print(JSONValue.object(members).rendered())
        } else {
            for line in lines { Swift.print(line) }
        }
    }

    /// The members a Swift file's summary starts with: the file, its type, the group and its order.
    static func swiftFile(_ destination: String, type: String, group: FiniteGroup) -> [(String, JSONValue)] {
        [("file", .string(destination)), ("type", .string(type)), ("group", .string(group.name)), ("order", .string(group.order.description))]
    }

    /// A layer's forward strategy and the note on why it was chosen.
    static func strategy(_ strategy: ForwardStrategy, note: String) -> (members: [(String, JSONValue)], line: String) {
        ([("strategy", .string(strategy.rawValue)), ("strategyNote", .string(note))], "strategy: \(strategy.rawValue) (\(note))")
    }

    /// One line per layer of a network: its representations, its strategy and the nonlinearity after it.
    static func layerLines(_ net: NetworkDescription, reps: [String], strategies: [ForwardStrategy]) -> [String] {
        strategies.enumerated().map { i, s in
            "layer \(i + 1): \(reps[i]) → \(reps[i + 1]), \(s.rawValue)" + (i < net.nonlinearities.count ? "; then \(net.nonlinearities[i].summary)" : "")
        }
    }

    /// "d₀ → d₁ → …, W weights, B bias parameters[, invariant head]" for a network.
    static func networkShape(_ net: NetworkDescription) -> String {
        "\(net.representations.map { String($0.dimension) }.joined(separator: " → ")), \(net.weightCount) weights, \(net.biasCount) bias parameters\(net.isInvariant ? ", invariant head" : "")"
    }
}
