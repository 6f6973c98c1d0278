import ArchSynthRuntime
import Foundation
import GroupTheory

/// `archsynth verify FILE.swift` for generated templates and blocks (files that import
/// `ArchSynthRuntime` and declare a `LawfulModel`). Nothing in the file is trusted:
///
/// - the laws and thresholds come from `ExpectedLaws`, rebuilt from the kind and parameters the
///   header records (or `--spec`); what the file declares (kind, shapes, its laws' element
///   counts and thresholds) is compared with them, and any difference is an error;
/// - the types are found by compiling (`HarnessBuild`): every type conforming to `LawfulModel`
///   is checked (not only those on `// Type:` comment lines);
/// - the harness runs under `ProcessLimits` (time, memory) and its process group is ended with
///   it; a model whose output ignores its input is reported as degenerate.
///
/// ```swift
/// let reports = try VerificationHarness().verify(file: url)
/// reports.allSatisfy(\.passed)
/// ```
extension VerificationHarness {
    /// True when `text` is a generated file that imports the runtime.
    public static func importsRuntime(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "import ArchSynthRuntime" }
    }

    /// True when `text` imports the runtime and declares a `LawfulModel` (templates, blocks):
    /// those are checked by their laws; generated layers and networks by the layer harness.
    public static func declaresLawfulModel(_ text: String) -> Bool {
        importsRuntime(text) && text.contains("LawfulModel")
    }

    /// - Parameter expected: the laws to check, for models archsynth does not generate; nil (the
    ///   default, and always for `archsynth verify`) rebuilds them from the file's header.
    public func verify(file: URL, spec: String? = nil, expected: ExpectedLaws? = nil) throws(VerificationError) -> [LawVerificationReport] {
        try verifyWithSweep(file: file, spec: spec, expected: expected).reports
    }

    /// The law reports and, for unrolled blocks, the K sweep each type's `stepSweep()` returns
    /// (type name and row; empty for models without one).
    /// - Parameter spec: `--spec`; see `ExpectedLaws.init(headerOf:spec:resolver:)`.
    public func verifyWithSweep(
        file: URL, spec: String? = nil, expected stated: ExpectedLaws? = nil
    ) throws(VerificationError) -> (reports: [LawVerificationReport], sweep: [(type: String, row: UnrolledBlockRow)]) {
        let text = try Self.source(of: file)
        let expected: ExpectedLaws
        if let stated { expected = stated } else {
            expected = try ExpectedLaws(headerOf: text, spec: spec, resolver: resolver, maxGridPoints: options.maxGridPoints)
        }
        let build = try HarnessBuild(swiftc: swiftc, optimization: options.optimization, compilerFlags: compilerFlags, limits: options.limits)
        defer { build.remove() }
        let subject = file.lastPathComponent
        // Every LawfulModel the compiler finds in the file, not only those its comments name.
        let names = try build.compileModel([("Model.swift", text)], subject: subject)
            .filter { $0.conformances.contains("ArchSynthRuntime.LawfulModel") }.map(\.name)
        guard !names.isEmpty else { throw .notAGeneratedLayer("\(subject) declares no type conforming to LawfulModel") }
        let output = try build.run(main: Self.modelMainSource(types: names, expected: expected, options: options), subject: subject)
        try Self.checkDeclarations(output, names: names, expected: expected, file: subject)
        return (try Self.lawReports(output, names: names, file: subject), Self.parseSweep(output))
    }

    /// The harness `main.swift`: for each type, `LawfulModelVerifier.run` with the laws rebuilt by
    /// archsynth. Every name is module-qualified.
    static func modelMainSource(types: [String], expected: ExpectedLaws, options: VerificationOptions) -> String {
        var s = """
            // archsynth verify harness (generated; compiled against the model module, then deleted).
            import ArchSynthRuntime
            @testable import \(HarnessBuild.modelModule)

            \(HarnessBuild.noncePreamble)
            let expectedLaws: [(law: ArchSynthRuntime.Law, threshold: Swift.Double)] = [

            """
        for e in expected.laws { s += "    (\(e.expression), \(e.threshold)),\n" }
        s += "]\n"
        for t in types {
            s += """
                ArchSynthRuntime.LawfulModelVerifier.run(
                    \(HarnessBuild.modelModule).\(t).self, name: \(SwiftIdentifier.stringLiteral(t)), inputSizes: [\(expected.inputSizes.map(String.init).joined(separator: ", "))],
                    outputSize: \(expected.outputSize), laws: expectedLaws, draws: \(options.parameterDraws), seed: \(options.seed), sweep: \(expected.sweep),
                    emit: \(HarnessBuild.emitClosure))

                """
        }
        return s
    }

    /// Compares what each type declares about itself with what archsynth expects.
    static func checkDeclarations(_ output: String, names: [String], expected: ExpectedLaws, file: String) throws(VerificationError) {
        let lines = HarnessBuild.records(output)
        for n in names {
            let subject = "\(file) (\(n))"
            guard let d = lines.first(where: { $0.count == 6 && $0[0] == "archsynth-declared" && $0[1] == n }) else {
                throw .harnessFailed("no declaration line for \(n):\n\(output.suffix(4000))")
            }
            var problems: [String] = []
            if d[2] != expected.kind { problems.append("kind \"\(d[2])\" where the header says \"\(expected.kind)\"") }
            let sizes = expected.inputSizes.map(String.init).joined(separator: ",")
            if d[3] != sizes { problems.append("input sizes [\(d[3])] where the header's parameters give [\(sizes)]") }
            if d[4] != "\(expected.outputSize)" { problems.append("output size \(d[4]) where the header's parameters give \(expected.outputSize)") }
            if d[5] != "\(expected.laws.count)" { problems.append("\(d[5]) laws where archsynth states \(expected.laws.count)") }
            let declared = lines.filter { $0.count == 7 && $0[0] == "archsynth-declared-law" && $0[1] == n }
            for (i, e) in expected.laws.enumerated() {
                guard let l = declared.first(where: { $0[2] == "\(i)" }) else { continue }
                let threshold = Double(l[5]) ?? .nan
                if !(threshold == e.threshold) {
                    problems.append("threshold \(l[5]) for law \(i) (\(l[6])) where archsynth uses \(e.threshold)")
                }
                if let count = e.declaredElementCount, l[3] != "\(count)" || l[4] != (e.declaredComplete ? "1" : "0") {
                    problems.append("law \(i) (\(l[6])) over \(l[3]) elements\(l[4] == "1" ? " (complete)" : "") where archsynth's law has \(count)\(e.declaredComplete ? " (complete)" : "")")
                }
            }
            if !problems.isEmpty {
                throw .lawMismatch("\(subject) fails verification: it declares \(problems.joined(separator: "; ")); the file was edited or is not what archsynth generated (regenerate it)")
            }
        }
    }

    /// The `archsynth-sweep` lines: TYPE, CASE, K, DIAGONAL, LARGER.
    static func parseSweep(_ output: String) -> [(type: String, row: UnrolledBlockRow)] {
        HarnessBuild.records(output).compactMap { f in
            guard f.count == 6, f[0] == "archsynth-sweep", let k = Int(f[3]) else { return nil }
            return (f[1], UnrolledBlockRow(name: f[2], steps: k, diagonal: Double(f[4]) ?? .infinity, larger: Double(f[5]) ?? .nan))
        }
    }

    static func lawReports(_ output: String, names: [String], file: String) throws(VerificationError) -> [LawVerificationReport] {
        var byKey: [String: LawVerificationReport] = [:]
        var order: [String] = []
        let records = HarnessBuild.records(output)
        for f in records {
            guard f.count == 9, f[0] == "archsynth-law" else { continue }
            let key = f[1] + "\t" + f[2]
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = LawVerificationReport(
                    subject: "\(file) (\(f[1]))", law: f[2], elementCount: Int(f[3]) ?? 0, allElements: f[4] == "1",
                    threshold: Double(f[7]) ?? 0, results: [])
            }
            byKey[key]!.results.append(.init(family: f[5], worst: Double(f[6]) ?? .infinity, element: f[8]))
        }
        for n in names where !order.contains(where: { $0.hasPrefix(n + "\t") }) {
            throw .harnessFailed("no law reports for \(n):\n\(output.suffix(4000))")
        }
        var sensitivity: [String: Double] = [:]
        for f in records {
            if f.count == 3, f[0] == "archsynth-sensitivity" { sensitivity[f[1]] = Double(f[2]) ?? 0 }
        }
        return order.map { key in
            var r = byKey[key]!
            r.sensitivity = sensitivity[String(key.split(separator: "\t", maxSplits: 1)[0])]
            return r
        }
    }
}
