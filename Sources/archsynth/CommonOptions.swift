import ArchSynth
import GroupTheory

/// Options every command that reads a group accepts.
enum CommonOptions {
    static let values: Set<String> = ["--max-cosets", "--max-elements"]
    static let flags: Set<String> = ["--json"]

    static func resolver(_ args: Arguments) throws(UsageError) -> GroupResolver {
        var options = GroupOptions()
        if let n = try args.integer("--max-cosets") { options.enumeration.maxCosets = n }
        if let n = try args.integer("--max-elements") { options.maxElements = n }
        return GroupResolver(options: options)
    }
}

/// A failure that is not a usage error, with its exit code (1 unless stated).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1
}

/// The `--in EXPR --out EXPR` pair of `basis`, `generate layer` and `verify SPEC`: read
/// first (a missing one is a usage error), parsed when the command is ready to (a malformed
/// one is a failure naming the expression and position).
struct RepresentationPair {
    let inputText: String
    let outputText: String

    init(_ args: Arguments) throws(UsageError) {
        inputText = try args.required("--in", what: "EXPR (the input representation, e.g. --in natural)")
        outputText = try args.required("--out", what: "EXPR (the output representation, e.g. --out natural)")
    }

    func parsed() throws -> (input: RepresentationExpression, output: RepresentationExpression) {
        do {
            return (try RepresentationExpression(parsing: inputText), try RepresentationExpression(parsing: outputText))
        } catch {
            throw CommandFailure(description: "\(error)")
        }
    }
}
