import ArchSynth
import Foundation
import GroupTheory

/// `archsynth verify FILE.swift` or `archsynth verify SPEC --in EXPR --out EXPR`: the
/// out-of-distribution checks (DESIGN.md "Verification"). Prints the per-family table and
/// exits 0 only if every family passes (Float 1e-4 and Double 1e-9 relative for generated
/// files, Double 1e-9 for a layer built in the library).
enum VerifyCommand {
    static func run(_ rest: [String]) throws {
        let args = try Arguments(
            rest, valueOptions: CommonOptions.values.union(["--in", "--out", "--optimization"]),
            flagOptions: CommonOptions.flags)
        let subject = try args.positional(0, what: "FILE.swift (a generated layer) or SPEC with --in and --out")
        try args.expectPositionals(1)
        var options = VerificationOptions()
        if let n = try args.integer("--max-elements") { options.maxElements = n }
        if let o = args.value("--optimization") {
            guard o == "-O" || o == "-Onone" else { throw UsageError("--optimization must be -O or -Onone, not \"\(o)\"") }
            options.optimization = o
        }
        let report: VerificationReport
        if subject.hasSuffix(".swift") && args.value("--in") == nil && args.value("--out") == nil {
            guard FileManager.default.fileExists(atPath: subject) else { throw CommandFailure(description: "no file at \(subject)") }
            if let text = try? String(contentsOfFile: subject, encoding: .utf8), ModelVerificationHarness.declaresLawfulModel(text) {
                // Networks, templates and blocks: the laws they declare, checked by the runtime's verifier.
                let reports = try ModelVerificationHarness(options: options).verify(file: URL(fileURLWithPath: subject))
                if args.has("--json") {
                    print(JSONValue.array(reports.map { r in
                        JSONValue.object([
                            ("subject", .string(r.subject)), ("law", .string(r.law)), ("elements", .int(r.elementCount)),
                            ("allElements", .bool(r.allElements)), ("threshold", .double(r.threshold)), ("passed", .bool(r.passed)),
                            ("families", .array(r.results.map { .object([("family", .string($0.family)), ("error", .double($0.error)), ("element", .string($0.element))]) })),
                        ])
                    }).rendered())
                } else {
                    print(reports.map(\.text).joined(separator: "\n\n"))
                }
                if !reports.allSatisfy(\.passed) {
                    throw CommandFailure(description: "a law check failed (see the table above)")
                }
                return
            }
            let reports = try VerificationHarness(options: options).verify(files: [URL(fileURLWithPath: subject)])
            report = reports[0]
        } else {
            let pair = try RepresentationPair(args)
            let (input, output) = try pair.parsed()
            let group = try CommonOptions.resolver(args).resolve(subject)
            let rIn = try group.representation(for: input), rOut = try group.representation(for: output)
            let basis = try IntertwinerSolver.solve(group: group, input: input, output: output, options: SolverOptions())
            report = LayerVerifier(options: options).verify(
                basis: basis, input: rIn, output: rOut, subject: "\(subject) --in \(pair.inputText) --out \(pair.outputText)")
        }
        print(args.has("--json") ? report.json.rendered() : report.text)
        if !report.passed {
            throw CommandFailure(description: "equivariance check failed (see the table above)")
        }
    }
}
