import ArchSynth
import Foundation
import GroupTheory

/// `--verify` of `generate layer`, `generate network` and `generate from-config`: every file is
/// compiled with the verification harness and checked against the group actions built from
/// the spec (`SpecActions`), before anything is written. A failing file is an error (exit 1)
/// and nothing is written.
enum SpecVerification {
    struct Item {
        let fileName: String
        let source: String
        let actions: SpecActions
    }

    /// One harness run per file (each file has its own actions); the report of each.
    static func check(_ items: [Item], options: VerificationOptions = VerificationOptions()) throws -> [VerificationReport] {
        // SIGINT/SIGTERM end the compiler's or the harness's process group and remove the folders.
        ChildProcesses.shared.installSignalHandlers()
        let folder: TemporaryFolder
        do { folder = try TemporaryFolder(prefix: "archsynth-generate-verify") } catch { throw CommandFailure(description: "\(error)") }
        defer { folder.remove() }
        let dir = folder.url
        var reports: [VerificationReport] = []
        for item in items {
            let url = dir.appendingPathComponent(item.fileName)
            try OutputSet.write(item.source, to: url)
            Progress.note("--verify: compiling \(item.fileName) with the verification harness and running the checks…")
            let report = try VerificationHarness(options: options).verify(files: [url], spec: item.actions)[0]
            guard report.passed else {
                FileHandle.standardError.write(Data((report.text + "\n").utf8))
                throw CommandFailure(description: "--verify: \(item.fileName) failed the equivariance check against \(item.actions.subject) (table above); nothing was written")
            }
            reports.append(report)
        }
        return reports
    }

    /// Writes a generated Swift file, after `--verify` (when given) has checked it against the
    /// spec's actions for `expressions`; nothing is written when the check fails.
    static func write(_ source: String, typeName: String, to url: URL, args: Arguments, spec: String, group: FiniteGroup, expressions: [String]) throws {
        if args.has("--verify") {
            _ = try check([.init(fileName: "\(typeName).swift", source: source, actions: actions(spec: spec, group: group, expressions: expressions))])
        }
        try OutputSet.write(source, to: url)
    }

    /// The spec actions of a layer or network from its first and last representation expressions.
    static func actions(spec: String, group: FiniteGroup, expressions: [String]) throws -> SpecActions {
        let input = try RepresentationExpression(parsing: expressions[0])
        let output = try RepresentationExpression(parsing: expressions[expressions.count - 1])
        let subject = expressions.count == 2
            ? "\(spec) --in \(expressions[0]) --out \(expressions[1])"
            : "\(spec) --reps \(expressions.joined(separator: ","))"
        return try SpecActions(
            subject: GeneratedFileHeader.withoutAbsolutePath(subject), generatorNames: group.generators,
            input: group.representation(for: input), output: group.representation(for: output))
    }
}
