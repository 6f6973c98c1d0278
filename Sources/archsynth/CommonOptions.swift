import Foundation
import ArchSynth
import GroupTheory

/// Options every command that reads a group accepts.
enum CommonOptions {
    static let values: Set<String> = ["--max-cosets", "--max-elements", "--max-rep-dimension", "--max-dense-entries"]
    static let flags: Set<String> = ["--json"]

    static func resolver(_ args: Arguments) throws(UsageError) -> GroupResolver {
        var options = GroupOptions()
        if let n = try args.integer("--max-cosets") { options.enumeration.maxCosets = n }
        if let n = try args.integer("--max-elements") { options.maxElements = n }
        if let n = try args.integer("--max-rep-dimension") { options.maxDimension = n }
        if let n = try args.integer("--max-dense-entries") { options.maxDenseEntries = n }
        var resolver = GroupResolver(options: options)
        resolver.orderCache = PresentationOrderCache.default
        resolver.progress = Progress.note
        return resolver
    }

    /// The file `-o` names, checked before anything is computed: not a directory, and in a
    /// directory that exists (the file itself is written atomically later).
    static func checkedFile(_ destination: String, example: String) throws -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure(description: "-o \(destination) is a directory; give a file name such as \(example)")
        }
        // Symlinks are written through to their target; devices, FIFOs and the like are refused.
        let url: URL
        do { url = try OutputFile.resolve(URL(fileURLWithPath: destination)) } catch {
            throw CommandFailure(description: "-o \(destination): \(error)")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure(description: "-o \(destination) is a directory; give a file name such as \(example)")
        }
        let parent = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure(description: "the directory of -o \(destination) does not exist")
        }
        return url
    }
}

/// The solver's limits, accepted by every command that solves for a basis (`basis`,
/// `generate layer`, `generate network`, `verify SPEC`), so that each limit an error names
/// can be raised on the command line that hit it.
enum SolverFlags {
    static let values: Set<String> = ["--max-exact-unknowns", "--max-index-pairs", "--max-basis-entries", "--max-factored-dimension"]
    static let flags: Set<String> = ["--float"]

    static func options(_ args: Arguments) throws(UsageError) -> SolverOptions {
        var options = SolverOptions()
        if let n = try args.integer("--max-exact-unknowns") { options.maxExactUnknowns = n }
        if let n = try args.integer("--max-index-pairs") { options.maxIndexPairs = n }
        if let n = try args.integer("--max-basis-entries") { options.real.maxBasisEntries = n }
        if let n = try args.integer("--max-factored-dimension") { options.maxFactoredDimension = n }
        options.forceFloat = args.has("--float")
        return options
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

/// Progress notes for long work, on stderr only when stderr is a terminal (nothing otherwise,
/// so scripts and tests see clean output).
enum Progress {
    static let enabled = isatty(STDERR_FILENO) != 0

    @Sendable static func note(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("archsynth: " + message + "\n").utf8))
    }

    /// A note before a solve that may take a while (more than a million unknowns d_in·d_out,
    /// or a group large enough that enumerating its classes for the character check shows).
    static func solving(group: FiniteGroup, input: RepresentationExpression, output: RepresentationExpression) {
        guard enabled else { return }
        let dIn = (try? group.dimension(of: input))?.intValue ?? Int.max
        let dOut = (try? group.dimension(of: output))?.intValue ?? Int.max
        let unknowns = dIn.multipliedReportingOverflow(by: dOut)
        let large = unknowns.overflow || unknowns.partialValue > 1_000_000 || (group.order.intValue ?? Int.max) > 20_000
        if large { note("solving for the \(dOut) × \(dIn) equivariant maps of \(group.name) (order \(group.order))…") }
    }
}

/// The size limits of generated templates and blocks (`GenerationLimits`), accepted by every
/// `generate template|block` command so each limit an error names can be raised where it was hit.
enum GenerationFlags {
    static let values: Set<String> = ["--max-parameters", "--max-constants", "--max-table-entries"]

    static func limits(_ args: Arguments) throws(UsageError) -> GenerationLimits {
        var limits = GenerationLimits()
        if let n = try args.integer("--max-parameters") { limits.maxParameters = n }
        if let n = try args.integer("--max-constants") { limits.maxConstants = n }
        if let n = try args.integer("--max-table-entries") { limits.maxTableEntries = n }
        return limits
    }

    /// Checks the estimates; a limit hit is a failure (exit 1) naming the limit and its flag.
    static func check(_ limits: GenerationLimits, parameters: Int? = nil, constants: Int? = nil, tableEntries: Int? = nil, what: String) throws {
        do {
            try limits.check(parameters: parameters, constants: constants, tableEntries: tableEntries, what: what)
        } catch {
            throw CommandFailure(description: error.description)
        }
    }
}

/// What `generate template|block` prints after writing the file: its lines of text, or with
/// `--json` one object (`file`, `type`, `kind`, `parameters`, and the same lines as `summary`).
enum GeneratedReport {
    static func emit(_ args: Arguments, file: String, type: String, kind: String, parameters: Int, lines: [String]) {
        if args.has("--json") {
            print(JSONValue.object([
                ("file", .string(file)),
                ("type", .string(type)),
                ("kind", .string(kind)),
                ("parameters", .int(parameters)),
                ("summary", .array(lines.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) } })),
            ]).rendered())
        } else {
            for line in lines { print(line) }
        }
    }
}
