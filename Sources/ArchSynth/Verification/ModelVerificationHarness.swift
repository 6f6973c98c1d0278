import ArchSynthRuntime
import Foundation

/// `archsynth verify FILE.swift` for generated files that import `ArchSynthRuntime` (networks,
/// templates, blocks): compiles the file against the runtime module with a `main.swift` that
/// calls `LawfulModelVerifier.verify` on every `LawfulModel` type the file declares (its
/// `// Type: NAME` header lines), and parses one report per (type, law).
///
/// ```swift
/// let reports = try ModelVerificationHarness().verify(file: url)
/// reports.allSatisfy(\.passed)
/// ```
public struct ModelVerificationHarness: Sendable {
    public var options: VerificationOptions
    public var compilerFlags: [String]
    public var swiftc: String

    public init(options: VerificationOptions = VerificationOptions(), compilerFlags: [String] = []) {
        self.options = options
        self.compilerFlags = compilerFlags
        swiftc = Subprocess.swiftc
    }

    /// True when `text` is a generated file that imports the runtime.
    public static func importsRuntime(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "import ArchSynthRuntime" }
    }

    /// True when `text` imports the runtime and declares a `LawfulModel` (templates, blocks):
    /// those are checked by their laws; generated layers and networks by the layer harness.
    public static func declaresLawfulModel(_ text: String) -> Bool {
        importsRuntime(text) && text.contains(": LawfulModel")
    }

    /// Every `// Type: NAME` header line (the types the file declares as `LawfulModel`s).
    public static func typeNames(inSource text: String) throws(VerificationError) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(80) where line.hasPrefix("// Type: ") {
            let name = String(line.dropFirst("// Type: ".count)).trimmingCharacters(in: .whitespaces)
            guard (try? SwiftIdentifier.validateTypeName(name)) != nil else {
                throw .notAGeneratedLayer("the header names \"\(name)\", which is not a valid type name")
            }
            names.append(name)
        }
        if names.isEmpty { throw .notAGeneratedLayer("no `// Type: NAME` header line") }
        return names
    }

    public func verify(file: URL) throws(VerificationError) -> [LawVerificationReport] {
        try verifyWithSweep(file: file).reports
    }

    /// The law reports and, for unrolled blocks, the K sweep each type's `stepSweep()` returns
    /// (type name and row; empty for models without one).
    public func verifyWithSweep(file: URL) throws(VerificationError) -> (reports: [LawVerificationReport], sweep: [(type: String, row: UnrolledBlockRow)]) {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(file.path)
        }
        let names = try Self.typeNames(inSource: text)
        // One cached -O build of the runtime, shared with the layer harness.
        let runtime = try RuntimeModule.build(swiftc: swiftc, optimization: "-O")
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("archsynth-verify-\(UUID().uuidString)")
        do { try fm.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw .io("cannot create \(dir.path): \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: dir) }
        let source = dir.appendingPathComponent("Model.swift"), main = dir.appendingPathComponent("main.swift")
        var harness = "// archsynth verify harness (generated; compiled with the model file, then deleted).\nimport ArchSynthRuntime\n\n"
        for n in names {
            harness += "for line in LawfulModelVerifier.verify(\(n).self, name: \"\(n)\", draws: \(options.parameterDraws), seed: \(options.seed)) { print(line) }\n"
            harness += "for line in LawfulModelVerifier.sweep(\(n).self, name: \"\(n)\") { print(line) }\n"
        }
        do {
            try text.write(to: source, atomically: false, encoding: .utf8)
            try harness.write(to: main, atomically: false, encoding: .utf8)
        } catch {
            throw .io("cannot write the harness: \(error.localizedDescription)")
        }
        let binary = dir.appendingPathComponent("verify").path
        let compile = Subprocess.run(
            [swiftc, options.optimization, "-swift-version", "6", "-module-name", "ArchSynthVerify", "-I", runtime.path, "-L", runtime.path,
             "-lArchSynthRuntime"] + compilerFlags + [source.path, main.path, "-o", binary],
            in: dir)
        guard compile.status == 0 else {
            throw .compilationFailed(
                files: file.lastPathComponent, flags: ([options.optimization] + compilerFlags).joined(separator: " "),
                output: compile.output.replacingOccurrences(of: dir.path + "/", with: ""))
        }
        let result = Subprocess.run([binary], in: dir)
        guard result.status == 0 else { throw .harnessFailed(result.output) }
        return (try Self.parse(result.output, names: names, file: file.lastPathComponent), Self.parseSweep(result.output))
    }

    /// The `archsynth-sweep` lines: TYPE, CASE, K, DIAGONAL, LARGER.
    static func parseSweep(_ output: String) -> [(type: String, row: UnrolledBlockRow)] {
        output.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, f[0] == "archsynth-sweep", let k = Int(f[3]) else { return nil }
            return (f[1], UnrolledBlockRow(name: f[2], steps: k, diagonal: Double(f[4]) ?? .infinity, larger: Double(f[5]) ?? .nan))
        }
    }

    static func parse(_ output: String, names: [String], file: String) throws(VerificationError) -> [LawVerificationReport] {
        var byKey: [String: LawVerificationReport] = [:]
        var order: [String] = []
        for line in output.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9, f[0] == "archsynth-law" else { continue }
            let key = f[1] + "\t" + f[2]
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = LawVerificationReport(
                    subject: "\(file) (\(f[1]))", law: f[2], elementCount: Int(f[3]) ?? 0, allElements: f[4] == "1",
                    threshold: Double(f[7]) ?? 0, results: [])
            }
            byKey[key]!.results.append(.init(family: f[5], error: Double(f[6]) ?? .infinity, element: f[8]))
        }
        for n in names where !order.contains(where: { $0.hasPrefix(n + "\t") }) {
            throw .harnessFailed("no law reports for \(n) (does it declare laws?):\n\(output)")
        }
        return order.map { byKey[$0]! }
    }
}

/// The result of checking one law of one generated model on the out-of-distribution families.
public struct LawVerificationReport: Sendable {
    public struct FamilyResult: Sendable {
        public let family: String
        public let error: Double
        public let element: String
    }

    public let subject: String
    public let law: String
    public let elementCount: Int
    public let allElements: Bool
    public let threshold: Double
    public var results: [FamilyResult]

    public var passed: Bool { !results.isEmpty && results.allSatisfy { $0.error.isFinite && $0.error <= threshold } }
    public var worst: Double { results.map(\.error).max() ?? .infinity }

    public var text: String {
        var lines = ["verify \(subject): law \(law)"]
        lines.append(allElements ? "elements: all \(elementCount)" : "elements: \(elementCount) (generators and random elements)")
        lines.append("family".padding(toLength: 16, withPad: " ", startingAt: 0) + "worst error".padding(toLength: 14, withPad: " ", startingAt: 0) + "at")
        for r in results {
            lines.append(r.family.padding(toLength: 16, withPad: " ", startingAt: 0) + formatScientific(r.error).padding(toLength: 14, withPad: " ", startingAt: 0) + r.element)
        }
        lines.append("threshold: \(formatScientific(threshold))")
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }
}
