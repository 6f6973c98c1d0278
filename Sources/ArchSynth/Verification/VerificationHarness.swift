import Foundation
import ArchSynthRuntime
import GroupTheory

/// `archsynth verify FILE.swift`: the one verification harness. It compiles the checked files as
/// their own module and a generated `main.swift` against them (`HarnessBuild`: swiftc, Swift 6
/// mode, a temporary directory removed afterwards) that links `ArchSynthRuntime` and calls the
/// runtime's verifier:
///
/// - generated layers and networks (`verify(files:)`, here): `GeneratedModelVerifier` on each
///   layer's static API: the acting group from the embedded generator actions (`Law.generated`:
///   breadth-first closure up to `maxElements`, else every generator plus random words) or from
///   the spec, random parameters, the out-of-distribution input families on the Float and
///   Double forward passes;
/// - templates and blocks (`verify(file:)`, `VerificationHarness+Models.swift`): the laws
///   archsynth rebuilds from the header, on every `LawfulModel` the file declares.
///
/// ```swift
/// let reports = try VerificationHarness().verify(files: [url])
/// reports[0].passed
/// ```
public struct VerificationHarness: Sendable {
    /// Thresholds, input families, draws and process limits.
    public var options: VerificationOptions
    /// Extra compiler flags (tests add `-warnings-as-errors`).
    public var compilerFlags: [String]
    /// The compiler: `$ARCHSYNTH_SWIFTC`, else `swiftc` on the PATH.
    public var swiftc: String
    /// Resolves the specs of kinds whose law comes from a group (blocks, correspondences).
    public var resolver: GroupResolver

    /// A harness with the given options and extra compiler flags.
    public init(options: VerificationOptions = VerificationOptions(), compilerFlags: [String] = [], resolver: GroupResolver = GroupResolver()) {
        self.options = options
        self.compilerFlags = compilerFlags
        self.resolver = resolver
        swiftc = Subprocess.swiftc
    }

    /// The text of a file to check (a regular UTF-8 file).
    static func source(of file: URL) throws(VerificationError) -> String {
        guard let data = try? InputFile.contents(of: file), let text = String(data: data, encoding: .utf8) else { throw .unreadable(file.path) }
        return text
    }

    /// Double threshold for layer files whose basis is exact (monomial orbits, exact
    /// elimination, closed forms): their only error is Float64 rounding, so a table changed
    /// by 1e-10 relative must fail. Float64 bases (`float-nullspace`, `isotypic-schur`) and
    /// networks (nonlinearities) keep `VerificationOptions.doubleThreshold`.
    public static let exactDoubleThreshold = 1e-12

    /// Compiles all `files` in one swiftc invocation and checks every layer type they declare.
    ///
    /// - Parameter extraMain: Swift statements appended to the harness `main.swift` (tests use it
    ///   to run further checks on the compiled layers; a non-zero exit fails the run).
    /// - Parameter spec: the group actions to check against, taken from the spec (`verify FILE
    ///   --spec`); `nil` uses the actions baked into each file. With a spec, a file whose
    ///   generator names or dimensions differ from the spec's throws `.specMismatch`.
    public func verify(files: [URL], extraMain: String = "", spec: SpecActions? = nil) throws(VerificationError) -> [VerificationReport] {
        var sources: [(name: String, text: String)] = []
        // Per file: whether its layers have exact bases only (layers declare basisMethod; a
        // network counts when it has no nonlinearity). A nonlinearity rounds on its own (the norm
        // gate divides by ‖x‖: 1.7e-12 relative on 1e-4-scale inputs, D4 plane → 2*regular →
        // plane), so networks that have one keep the Double threshold of Float64 computations.
        var exactFiles = Set<Int>()
        for (i, file) in files.enumerated() {
            let text = try Self.source(of: file)
            let methods = text.split(separator: "\n").filter { $0.contains("public static let basisMethod = ") }
            let hasNonlinearity = text.contains("\n// Nonlinearity after layer")
            if !methods.isEmpty, !hasNonlinearity, !methods.contains(where: { $0.contains("float") || $0.contains("isotypic") }) {
                exactFiles.insert(i)
            }
            sources.append(("Layer\(i)_\(file.deletingPathExtension().lastPathComponent.filter { $0.isLetter || $0.isNumber }).swift", text))
        }
        let subject = files.map(\.lastPathComponent).joined(separator: ", ")
        let build = try HarnessBuild(swiftc: swiftc, optimization: options.optimization, compilerFlags: compilerFlags, limits: options.limits)
        defer { build.remove() }
        // Every top-level type the compiler finds with the generated layer API (layers and
        // networks, internal or public), not only those a comment or a `public struct` line
        // names. The layers nested in a network are checked through the network.
        let declared = try build.compileModel(sources, subject: subject).filter { !$0.name.contains(".") }.filter {
            $0.members.isSuperset(of: ["actOnInput(generator:_:)", "actOnOutput(generator:_:)", "forward(_:)", "generatorNames", "groupOrder"])
                || $0.conformances.contains("ArchSynthRuntime.GeneratedEquivariantModel")
        }
        for (i, file) in files.enumerated() where !declared.contains(where: { $0.source == i }) {
            throw .notAGeneratedLayer("\(file.lastPathComponent): no type with the generated layer API (generatorNames, groupOrder, actOnInput, actOnOutput, forward)")
        }
        let typeNames = declared.map(\.name)
        let typeFiles = declared.map { files[$0.source] }
        let exactTypes = Set(declared.indices.filter { exactFiles.contains(declared[$0].source) })
        let conforming = Set(declared.indices.filter { declared[$0].conformances.contains("ArchSynthRuntime.GeneratedEquivariantModel") })
        let main = VerificationHarness.mainSource(
            typeNames: typeNames.map { "\(HarnessBuild.modelModule).\($0)" }, options: options, spec: spec, conforming: conforming, importModel: true)
        let output = try build.run(main: main + extraMain, subject: subject)
        return try parse(output, typeNames: typeNames, files: typeFiles, spec: spec, exactTypes: exactTypes)
    }

    func parse(
        _ output: String, typeNames: [String], files: [URL], spec: SpecActions?, exactTypes: Set<Int>
    ) throws(VerificationError) -> [VerificationReport] {
        var reports: [VerificationReport] = []
        let records = HarnessBuild.records(output)
        for (i, name) in typeNames.enumerated() {
            var count = 0, complete = false
            var declaredOrder: String?
            var sensitivity: Double?
            let exact = exactTypes.contains(i)
            var results: [FamilyResult] = []
            for f in records {
                guard f.count >= 3, f[0] == "archsynth-verify", f[1] == "\(i)" else { continue }
                if f[2] == "mismatch", f.count == 4 {
                    throw .specMismatch("\(files[i].lastPathComponent) (\(name)) does not fit \(spec?.subject ?? "the spec"): \(f[3])")
                }
                if f[2] == "elements", f.count == 5 {
                    count = Int(f[3]) ?? 0
                    complete = f[4] == "1"
                } else if f[2] == "metadata", f.count == 4 {
                    declaredOrder = f[3]
                } else if f[2] == "sensitivity", f.count == 5 {
                    // A layer without weights (the equivariant maps are {0}) is constant by
                    // construction: it is not measured (and its report says so).
                    sensitivity = f[4] == "0" ? .nan : Double(f[3]) ?? 0
                } else if f[2] == "family", f.count == 6 {
                    results.append(.init(family: f[3], worst: Double(f[5]) ?? .infinity, floatWorst: Double(f[4]) ?? .infinity))
                }
            }
            guard results.count == OutOfDistributionInputs.allCases.count, let declaredOrder, let sensitivity else {
                throw .harnessFailed("incomplete output for \(name):\n\(output)")
            }
            // The file's metadata against what the harness enumerated: the generator actions
            // generate a quotient of the group, whose order divides the declared one.
            let subject = "\(files[i].lastPathComponent) (\(name))"
            guard let order = BigUInt(decimal: declaredOrder), !declaredOrder.isEmpty, order > BigUInt(0) else {
                throw .metadataMismatch(subject: subject, reason: "groupOrder \"\(declaredOrder)\" is not a positive decimal integer")
            }
            if complete {
                var quotient = order
                if count <= 0 || quotient.divide(bySmall: UInt64(count)) != 0 {
                    throw .metadataMismatch(
                        subject: subject,
                        reason: "the generator actions generate \(count) elements, which does not divide groupOrder \(declaredOrder)")
                }
            }
            reports.append(
                VerificationReport(
                    subject: subject + (spec.map { " against \($0.subject)" } ?? " against its own actions"), elementCount: count, allElements: complete,
                    parameterDraws: options.parameterDraws, results: results, sensitivity: sensitivity, floatThreshold: options.floatThreshold,
                    doubleThreshold: exact ? min(options.doubleThreshold, VerificationHarness.exactDoubleThreshold) : options.doubleThreshold))
        }
        return reports
    }

    /// The harness `main.swift` for the given layer types (warning-free in Swift 6 mode): it adds
    /// the runtime's `GeneratedEquivariantModel` conformance to each type that does not declare it
    /// and calls `GeneratedModelVerifier.verify`, the library's checking code (no checking logic is
    /// printed as source).
    /// - Parameter conforming: indices of types that already conform (no extension is printed).
    /// - Parameter importModel: the harness is its own module and imports the layers' module
    ///   (`HarnessBuild`); `typeNames` are then module-qualified.
    public static func mainSource(
        typeNames: [String], options: VerificationOptions, spec: SpecActions? = nil, conforming: Set<Int> = [], importModel: Bool = false
    ) -> String {
        var p = CodePrinter()
        p.print("""
            // archsynth verify harness (generated; compiled against the layers' module, then deleted).
            import ArchSynthRuntime\(importModel ? "\n@testable import \(HarnessBuild.modelModule)" : "")

            \(HarnessBuild.noncePreamble)
            let options = ArchSynthRuntime.GeneratedModelVerifier.Options(
                maxElements: \(options.maxElements), randomWords: \(options.randomWords), draws: \(options.parameterDraws),
                samplesPerFamily: \(options.samplesPerFamily), seed: \(options.seed))
            """)
        if let spec {
            p.print("let actions: ArchSynthRuntime.GeneratorActions? = " + spec.actionsExpression())
        } else {
            p.print("let actions: ArchSynthRuntime.GeneratorActions? = nil")
        }
        for (i, t) in typeNames.enumerated() {
            p.print()
            if !conforming.contains(i) {
                p.print("extension \(t): \(importModel ? "@retroactive " : "")ArchSynthRuntime.GeneratedEquivariantModel {}")
            }
            p.print("ArchSynthRuntime.GeneratedModelVerifier.run(\(t).self, index: \(i), actions: actions, options: options, emit: \(HarnessBuild.emitClosure))")
        }
        return p.content
    }
}

/// Why `archsynth verify FILE.swift` could not check a file (a failing check is not an error:
/// it is a report that does not pass).
public enum VerificationError: Error, CustomStringConvertible, Sendable {
    case unreadable(String)
    case notAGeneratedLayer(String)
    case io(String)
    case compilationFailed(files: String, flags: String, output: String)
    case harnessFailed(String)
    /// The file does not fit the spec it is checked against (generators, dimensions).
    case specMismatch(String)
    /// The file's metadata disagree with what its compiled code does.
    case metadataMismatch(subject: String, reason: String)
    /// What the file declares (its law, threshold, kind, shapes) is not what archsynth rebuilt
    /// from the header: the file was edited.
    case lawMismatch(String)
    /// The check would take too long; the message names the limit and its flag.
    case tooLarge(String)
    /// The header does not say what the file must be checked against (spec and representations),
    /// or names something archsynth cannot rebuild; the message says which flags to give.
    case unverifiableHeader(String)
    /// A child process passed its time limit and was ended with its process group.
    case timedOut(what: String, seconds: Double, flag: String?)

    public var description: String {
        switch self {
        case let .unreadable(path): return "cannot read \(path)"
        case let .notAGeneratedLayer(why): return "not a layer generated by archsynth: \(why)"
        case let .io(message): return message
        case let .compilationFailed(files, flags, output):
            return "\(files) does not compile with the verification harness (swiftc -swift-version 6 \(flags)):\n\(output)"
        case let .harnessFailed(output): return "the verification harness failed:\n\(output)"
        case let .specMismatch(message): return message
        case let .lawMismatch(message): return message
        case let .tooLarge(message): return message
        case let .unverifiableHeader(why): return "cannot verify this file on its own: \(why)"
        case let .timedOut(what, seconds, flag):
            return "\(what) did not finish within \(seconds == seconds.rounded() && seconds < 1e9 ? "\(Int(seconds))" : "\(seconds)") s and was ended" + (flag.map { "; raise the limit with \($0)" } ?? "")
        case let .metadataMismatch(subject, reason):
            return "\(subject) fails verification: \(reason); the file was edited or is not what archsynth generated (regenerate it)"
        }
    }
}
