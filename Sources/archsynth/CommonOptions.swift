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
