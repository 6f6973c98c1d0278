import ArchSynthExperiments
import ArchSynth
import Foundation

/// `archsynth experiment NAME [--quick] [--seeds N] [-o DIR]`: runs one experiment of issue 11
/// and writes DIR/NAME.md (command, seeds, machine, wall time, table, reading) and DIR/NAME.svg.
/// `archsynth experiment --list` lists the experiments.
enum ExperimentCommand {
    static let usage = "experiment NAME [--quick] [--seeds N] [-o DIR]  (NAME: \(ExperimentCatalog.names.joined(separator: ", ")); --list)"

    static func run(_ rest: [String]) throws {
        let args = try Arguments(rest, valueOptions: ["--seeds", "-o"], flagOptions: ["--quick", "--list"])
        if args.has("--list") {
            try args.expectPositionals(0)
            for e in ExperimentCatalog.entries {
                print("\(e.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(e.summary)")
            }
            return
        }
        let name = try args.positional(0, what: "NAME of the experiment: \(ExperimentCatalog.names.joined(separator: ", "))")
        try args.expectPositionals(1)
        guard ExperimentCatalog.names.contains(name) else {
            throw UsageError("unknown experiment \"\(name)\"; known: \(ExperimentCatalog.names.joined(separator: ", "))")
        }
        let seeds = try args.integer("--seeds")
        if let seeds, seeds > 100 {
            throw UsageError("--seeds must be between 1 and 100, not \(seeds) (each seed reruns the whole experiment; the defaults are a few)")
        }
        // The outputs are checked before the experiment runs (minutes, for some): -o names a
        // directory (made if missing, in an existing parent), NAME.md and NAME.svg can be written
        // (neither is a directory), and both are written or neither.
        let directory = args.value("-o") ?? "."
        guard !directory.isEmpty else { throw UsageError("-o needs a directory, not an empty string (e.g. -o experiments)") }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw CommandFailure(description: "-o \(directory) is a file; give a directory") }
        } else {
            let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure(description: "the parent directory of -o \(directory) does not exist")
            }
        }
        let dir = URL(fileURLWithPath: directory)
        let md = dir.appendingPathComponent("\(name).md"), svg = dir.appendingPathComponent("\(name).svg")
        if exists { _ = try OutputSet.check([svg, md]) }

        var report: ExperimentReport
        do {
            report = try ExperimentCatalog.run(name, quick: args.has("--quick"), seedCount: seeds)
        } catch let error as ExperimentError {
            throw CommandFailure(description: "\(error)")
        }
        report.command = (["archsynth", "experiment"] + rest).joined(separator: " ")
        if !exists {
            do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false) } catch {
                throw CommandFailure(description: "cannot create -o \(directory): \(error.localizedDescription)")
            }
        }
        try OutputSet.write([(svg, report.plot.render()), (md, report.markdown(plotFile: "\(name).svg"))])
        print("\(name): wrote \(md.path) and \(svg.path) (\(NumberFormat.fixed(report.wallSeconds, digits: 1)) s)")
    }
}
