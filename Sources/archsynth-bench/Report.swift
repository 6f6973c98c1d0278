import Foundation

/// A Markdown table built row by row; cells are escaped for `|`.
struct MarkdownTable {
    var title: String
    var header: [String]
    var rows: [[String]] = []
    var notes: [String] = []

    init(title: String, header: [String]) {
        self.title = title
        self.header = header
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "a row of \(title) has \(row.count) cells, the header \(header.count)")
        rows.append(row)
    }

    var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var out = ["### \(title)", "", line(header), line(header.map { _ in "---" })]
        out += rows.map(line)
        if !notes.isEmpty { out += [""] + notes }
        return out.joined(separator: "\n") + "\n"
    }
}

/// One benchmark result as a JSON object (keys sorted on output, so the file is stable).
typealias JSONRecord = [String: Any]

func jsonText(_ records: [JSONRecord], machine: JSONRecord) -> String {
    let object: JSONRecord = ["machine": machine, "results": records]
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]),
          let text = String(data: data, encoding: .utf8)
    else { return "{}" }
    return text + "\n"
}

/// What the results were measured on: cores, load, toolchain build mode.
func machineDescription() -> JSONRecord {
    var record: JSONRecord = ["activeProcessorCount": ProcessInfo.processInfo.activeProcessorCount,
                              "physicalMemoryGiB": Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824]
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
        record["loadAverageAtStart"] = load.split(separator: " ").prefix(3).joined(separator: " ")
    }
    if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let model = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") })
    {
        record["cpu"] = model.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    #if DEBUG
    record["build"] = "debug (timings are not meaningful: use swift build -c release)"
    #else
    record["build"] = "release"
    #endif
    return record
}

func standardError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}
