import ArchSynth
import Foundation

/// What one experiment run produced: a table, a plot, and a reading of them, plus what is
/// needed to reproduce it (command, seeds, machine, wall time). `markdown(plotFile:)` is the
/// text of DIR/NAME.md.
public struct ExperimentReport: Sendable {
    public var name: String
    public var title: String
    /// What the experiment measures and how (task, models, training), as markdown paragraphs.
    public var setup: String
    public var columns: [String]
    public var rows: [[String]]
    /// Further tables (title, columns, rows).
    public var extraTables: [(title: String, columns: [String], rows: [[String]])] = []
    public var plot: SVGPlot
    /// The one-paragraph reading; states the measured numbers and whether the claim held.
    public var reading: String
    public var seeds: [UInt64]
    public var quick: Bool
    /// Filled in by the runner.
    public var command = ""
    public var machine = ""
    public var wallSeconds = 0.0

    public init(name: String, title: String, setup: String, columns: [String], rows: [[String]], plot: SVGPlot, reading: String, seeds: [UInt64], quick: Bool) {
        self.name = name
        self.title = title
        self.setup = setup
        self.columns = columns
        self.rows = rows
        self.plot = plot
        self.reading = reading
        self.seeds = seeds
        self.quick = quick
    }

    /// The report as markdown, linking the plot as `plotFile`.
    public func markdown(plotFile: String) -> String {
        var lines: [String] = []
        lines.append("# \(name): \(title)")
        lines.append("")
        lines.append("- Command: `\(command)`")
        lines.append("- Mode: \(quick ? "quick (small sizes; structure check, not a result)" : "full")")
        lines.append("- Seeds: \(seeds.map(String.init).joined(separator: ", "))")
        lines.append("- Machine: \(machine)")
        lines.append("- Wall time: \(NumberFormat.fixed(wallSeconds, digits: 1)) s")
        lines.append("")
        lines.append("## Setup")
        lines.append("")
        lines.append(setup)
        lines.append("")
        lines.append("## Results")
        lines.append("")
        lines += ExperimentReport.table(columns, rows)
        for t in extraTables {
            lines.append("")
            lines.append("**\(t.title)**")
            lines.append("")
            lines += ExperimentReport.table(t.columns, t.rows)
        }
        lines.append("")
        lines.append("![\(title)](\(plotFile))")
        lines.append("")
        lines.append("## Reading")
        lines.append("")
        lines.append(reading)
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func table(_ columns: [String], _ rows: [[String]]) -> [String] {
        var lines = ["| " + columns.joined(separator: " | ") + " |"]
        lines.append("|" + columns.map { _ in "---" }.joined(separator: "|") + "|")
        for r in rows { lines.append("| " + r.joined(separator: " | ") + " |") }
        return lines
    }

    /// A description of this machine: CPU model, core count, OS, load average.
    public static func machineDescription() -> String {
        var cpu = "unknown CPU"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var load = ""
        if let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            load = "; load average at start " + text.split(separator: " ").prefix(3).joined(separator: " ")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return "\(cpu), \(cores) cores, \(ProcessInfo.processInfo.operatingSystemVersionString)\(load) (shared machine: timings are noisy)"
    }
}

/// Mean, minimum and maximum of a sample.
struct Summary {
    let mean: Double
    let min: Double
    let max: Double

    init(_ values: [Double]) {
        precondition(!values.isEmpty, "Summary of no values")
        mean = values.reduce(0, +) / Double(values.count)
        min = values.min()!
        max = values.max()!
    }

    /// "0.123 [0.100, 0.150]".
    func text(_ digits: Int = 3) -> String {
        "\(NumberFormat.fixed(mean, digits: digits)) [\(NumberFormat.fixed(min, digits: digits)), \(NumberFormat.fixed(max, digits: digits))]"
    }

    func point(x: Double) -> SVGPlot.Point { SVGPlot.Point(x: x, y: mean, low: min, high: max) }
}
