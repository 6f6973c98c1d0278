import Foundation

/// The one compile-and-run path of the verification harness (layers and networks,
/// templates and blocks). The checked files are untrusted code:
///
/// 1. they are compiled alone as the module `ArchSynthVerifiedModel` (`-enable-testing`, a symbol
///    graph of its internal and public declarations), so the types to check are found by the
///    compiler, not by reading comment lines or declaration prefixes;
/// 2. the harness `main.swift` is its own module, `@testable import`s the model and calls only
///    module-qualified names (`ArchSynthVerifiedModel.T`, `ArchSynthRuntime.…`), and the runtime
///    prints every result line, so no declaration in the file (a `print`, a type named like a
///    runtime type) can reach the harness's output; a file declaring a top-level name that
///    would shadow one of the modules is refused;
/// 3. the result channel cannot be forged from the checked file: archsynth draws a random nonce
///    for each run and writes it to the harness's standard input, which the harness reads before
///    any code of the file runs (`noncePreamble`); every result line carries it, and the run ends
///    with a final line that does. A line the file prints itself has no nonce and is ignored, and
///    a run without the final line (the file called `exit`) is a failure, never a pass;
/// 4. the harness runs under `ProcessLimits` in a registered temporary folder.
struct HarnessBuild {
    static let modelModule = "ArchSynthVerifiedModel"

    /// A type the compiled module declares.
    struct DeclaredType {
        /// Dotted path inside the module (`Outer.Inner`).
        let name: String
        /// Index of the source it is declared in, and its line there (0-based).
        let source: Int
        let line: Int
        /// Protocols it conforms to, as `Module.Name` (`ArchSynthRuntime.LawfulModel`).
        let conformances: Set<String>
        /// Names of its members (`actOnInput(generator:_:)`, `forward(_:)`, …).
        let members: Set<String>
    }

    let folder: TemporaryFolder
    let swiftc: String
    let optimization: String
    let compilerFlags: [String]
    let limits: ProcessLimits
    let runtime: URL

    init(swiftc: String, optimization: String, compilerFlags: [String], limits: ProcessLimits) throws(VerificationError) {
        self.swiftc = swiftc
        self.optimization = optimization
        self.compilerFlags = compilerFlags
        self.limits = limits
        // One cached -O build of the runtime (`optimization` is for the checked files), under the
        // same compilation conditions and target CPU (its inlinable kernels read them).
        runtime = try RuntimeModule.build(swiftc: swiftc, optimization: "-O", flags: Self.runtimeFlags(compilerFlags), limits: limits)
        folder = try TemporaryFolder(prefix: "archsynth-verify")
    }

    /// The flags of `compilerFlags` that the runtime is built with too: `-D NAME` / `-DNAME` and
    /// `-target-cpu CPU` (the runtime's `ARCHSYNTH_WIDE_SIMD` kernels), not the warnings policy.
    static func runtimeFlags(_ flags: [String]) -> [String] {
        var kept: [String] = [], i = 0
        while i < flags.count {
            if (flags[i] == "-D" || flags[i] == "-target-cpu"), i + 1 < flags.count {
                kept += flags[i...(i + 1)]
                i += 2
            } else {
                if flags[i].hasPrefix("-D"), flags[i].count > 2 { kept.append(flags[i]) }
                i += 1
            }
        }
        return kept
    }

    var directory: URL { folder.url }

    func remove() { folder.remove() }

    private func compile(_ arguments: [String], subject: String) throws(VerificationError) {
        let r = Subprocess.run([swiftc] + arguments, in: directory, seconds: limits.compileSeconds)
        if r.timedOut { throw .timedOut(what: "compiling \(subject)", seconds: limits.compileSeconds, flag: nil) }
        guard r.status == 0 else {
            throw .compilationFailed(
                files: subject, flags: ([optimization] + compilerFlags).joined(separator: " "),
                output: r.output.replacingOccurrences(of: directory.path + "/", with: ""))
        }
    }

    /// Compiles `sources` (file name, text) as the model module; returns every type they declare.
    func compileModel(_ sources: [(name: String, text: String)], subject: String) throws(VerificationError) -> [DeclaredType] {
        let urls = sources.map { directory.appendingPathComponent($0.name) }
        do { try OutputFile.write(zip(urls, sources).map { ($0, Data($1.text.utf8)) }) } catch {
            throw .io("cannot write the harness: \(error)")
        }
        let paths = urls.map(\.path)
        let m = Self.modelModule
        try compile(
            [optimization, "-swift-version", "6", "-parse-as-library", "-enable-testing", "-module-name", m,
             "-emit-library", "-static", "-emit-module", "-emit-module-path", directory.appendingPathComponent("\(m).swiftmodule").path,
             "-emit-symbol-graph", "-emit-symbol-graph-dir", directory.appendingPathComponent("symbols").path,
             "-symbol-graph-minimum-access-level", "internal", "-I", runtime.path]
                + compilerFlags + paths + ["-o", directory.appendingPathComponent("lib\(m).a").path],
            subject: subject)
        return try Self.declaredTypes(
            symbolGraph: directory.appendingPathComponent("symbols/\(m).symbols.json"), sources: sources.map(\.name), subject: subject)
    }

    /// The harness's first statements (after its imports): the nonce from standard input, read
    /// before any code of the checked file can run. Result lines go through `emitClosure`.
    static let noncePreamble = """
        // The result channel: this run's nonce, read before any code of the checked file runs.
        let archsynthNonce = Swift.readLine(strippingNewline: true) ?? ""

        """

    /// The `emit` closure the harness passes to the runtime's verifiers.
    static let emitClosure = "{ Swift.print(archsynthNonce + \"\\t\" + $0) }"

    /// Compiles `main` against the model and the runtime, runs it under the limits, returns the
    /// result lines it wrote with this run's nonce (the nonce removed). `main` must contain
    /// `noncePreamble` and write its results through `emitClosure`; the final line is added here.
    func run(main body: String, subject: String) throws(VerificationError) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
        let main = body + "\nSwift.print(archsynthNonce + \"\\t\(Self.finalLine)\")\n"
        let url = directory.appendingPathComponent("main.swift")
        do { try OutputFile.write(main, to: url) } catch { throw .io("cannot write the harness: \(error)") }
        let binary = directory.appendingPathComponent("verify").path
        try compile(
            [optimization, "-swift-version", "6", "-module-name", "ArchSynthVerify", "-I", directory.path, "-I", runtime.path,
             "-L", directory.path, "-L", runtime.path] + compilerFlags + [url.path, "-l\(Self.modelModule)", "-lArchSynthRuntime", "-o", binary],
            subject: subject)
        let output = try HarnessProcess.run(binary: binary, in: directory, subject: subject, limits: limits, input: nonce + "\n")
        return try Self.authenticated(output, nonce: nonce, subject: subject)
    }

    /// The tab-separated fields of each line of a run's output.
    static func records(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The last result line of every harness run.
    static let finalLine = "archsynth-done"

    /// The lines of `output` that carry `nonce` (without it); throws unless the last of them is
    /// `finalLine`: a harness that ended early (the checked code called `exit`) did not pass.
    static func authenticated(_ output: String, nonce: String, subject: String) throws(VerificationError) -> String {
        let prefix = nonce + "\t"
        let lines = output.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        guard lines.last == finalLine else {
            throw .harnessFailed("the harness for \(subject) ended before writing its final result line (the checked code exited early or wrote over the harness's output); it is not a pass:\n\(output.suffix(4000))")
        }
        return lines.dropLast().joined(separator: "\n")
    }

    /// The types of a symbol graph, in source order (file, then line).
    static func declaredTypes(symbolGraph url: URL, sources: [String], subject: String) throws(VerificationError) -> [DeclaredType] {
        guard let data = FileManager.default.contents(atPath: url.path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let symbols = root["symbols"] as? [[String: Any]], let relationships = root["relationships"] as? [[String: Any]]
        else { throw .harnessFailed("the compiler wrote no readable symbol graph for \(subject)") }
        let typeKinds: Set<String> = ["swift.struct", "swift.class", "swift.enum", "swift.actor"]
        var paths: [String: [String]] = [:]
        var types: [(id: String, path: [String], source: Int, line: Int)] = []
        var members: [[String]: Set<String>] = [:]
        for s in symbols {
            guard let id = (s["identifier"] as? [String: Any])?["precise"] as? String, let path = s["pathComponents"] as? [String],
                  let kind = (s["kind"] as? [String: Any])?["identifier"] as? String
            else { continue }
            paths[id] = path
            if path.count == 1, ["Swift", "ArchSynthRuntime", modelModule, "ArchSynthVerify", "Foundation", "Glibc"].contains(path[0]) {
                throw .notAGeneratedLayer("\(subject) declares `\(path[0])`, which would shadow a module the verification harness calls")
            }
            if typeKinds.contains(kind) {
                let location = s["location"] as? [String: Any]
                let file = (location?["uri"] as? String).map { URL(string: $0)?.lastPathComponent ?? $0 } ?? ""
                let line = (location?["position"] as? [String: Any])?["line"] as? Int ?? 0
                types.append((id, path, sources.firstIndex(of: file) ?? sources.count, line))
            } else if path.count >= 2 {
                members[Array(path.dropLast()), default: []].insert(path[path.count - 1])
            }
        }
        var conformances: [String: Set<String>] = [:]
        for r in relationships where r["kind"] as? String == "conformsTo" {
            guard let source = r["source"] as? String else { continue }
            let target = r["target"] as? String ?? ""
            let name = r["targetFallback"] as? String ?? paths[target].map { "\(modelModule)." + $0.joined(separator: ".") } ?? target
            conformances[source, default: []].insert(name)
            // The runtime's protocols, whatever the fallback text says.
            if target == "s:16ArchSynthRuntime11LawfulModelP" { conformances[source, default: []].insert("ArchSynthRuntime.LawfulModel") }
            if target == "s:16ArchSynthRuntime25GeneratedEquivariantModelP" {
                conformances[source, default: []].insert("ArchSynthRuntime.GeneratedEquivariantModel")
            }
        }
        return types.sorted { ($0.source, $0.line, $0.path.joined(separator: ".")) < ($1.source, $1.line, $1.path.joined(separator: ".")) }.map {
            DeclaredType(
                name: $0.path.joined(separator: "."), source: $0.source, line: $0.line, conformances: conformances[$0.id] ?? [],
                members: members[$0.path] ?? [])
        }
    }
}
