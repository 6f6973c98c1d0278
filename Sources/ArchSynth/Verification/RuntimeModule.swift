import Foundation

/// The `ArchSynthRuntime` module that generated networks, templates and blocks import, built
/// from source for `archsynth verify FILE.swift` (the harness compiles the generated file
/// against it exactly as a user's package would).
///
/// Sources are found at `$ARCHSYNTH_RUNTIME_SOURCES`, else `Sources/ArchSynthRuntime` beside or
/// above the executable, else in this checkout. The built module is cached in the temporary
/// directory under a key made of the sources' bytes and the compiler flags, so only the first
/// verify after a change pays for it.
public enum RuntimeModule {
    /// Where the runtime's sources are (see above); nil when no candidate is a directory.
    public static func sourceDirectory() -> URL? {
        PackageFolder.locate(
            environment: "ARCHSYNTH_RUNTIME_SOURCES", besideExecutable: "Sources/ArchSynthRuntime",
            checkoutPath: PackageFolder.checkoutSources.appendingPathComponent("ArchSynthRuntime"))
    }

    /// The runtime's Swift files, sorted by path.
    public static func sourceFiles(in directory: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
        var files: [URL] = []
        for case let url as URL in e where url.pathExtension == "swift" { files.append(url) }
        return files.sorted { $0.path < $1.path }
    }

    /// Builds (or reuses) the module; returns the directory holding `ArchSynthRuntime.swiftmodule`
    /// and `libArchSynthRuntime.a`, to pass as `-I DIR -L DIR -lArchSynthRuntime`. `flags` are
    /// further compiler arguments (`-target-cpu native -D ARCHSYNTH_WIDE_SIMD` for the wide kernels,
    /// README "Wide vectors"); they are part of the cache key.
    public static func build(swiftc: String, optimization: String, flags: [String] = [], limits: ProcessLimits = ProcessLimits()) throws(VerificationError) -> URL {
        guard let dir = sourceDirectory() else {
            throw .io("cannot find the ArchSynthRuntime sources that generated models import; set ARCHSYNTH_RUNTIME_SOURCES to the package's Sources/ArchSynthRuntime folder")
        }
        let files = sourceFiles(in: dir)
        guard !files.isEmpty else { throw .io("no Swift files in \(dir.path) (ARCHSYNTH_RUNTIME_SOURCES)") }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for b in bytes {
                hash ^= UInt64(b)
                hash = hash &* 0x100_0000_01b3
            }
        }
        mix(Array(([swiftc, optimization] + flags).joined(separator: "\u{0}").utf8))
        for f in files {
            mix(Array(f.lastPathComponent.utf8))
            mix(FileManager.default.contents(atPath: f.path) ?? Data())
        }
        let fm = FileManager.default
        let out = fm.temporaryDirectory.appendingPathComponent("archsynth-runtime-\(String(hash, radix: 16))")
        let library = out.appendingPathComponent("libArchSynthRuntime.a")
        if fm.fileExists(atPath: library.path) && fm.fileExists(atPath: out.appendingPathComponent("ArchSynthRuntime.swiftmodule").path) {
            return out
        }
        // Build in a fresh folder, then rename, so a concurrent or interrupted build never leaves
        // a half-written module where the cache looks.
        let folder = try TemporaryFolder(prefix: "archsynth-runtime-build")
        let staging = folder.url
        defer { folder.remove() }
        let result = Subprocess.run(
            [swiftc, optimization] + flags + ["-swift-version", "6", "-parse-as-library", "-module-name", "ArchSynthRuntime",
             "-emit-library", "-static", "-emit-module", "-emit-module-path", staging.appendingPathComponent("ArchSynthRuntime.swiftmodule").path,
             "-o", staging.appendingPathComponent("libArchSynthRuntime.a").path] + files.map(\.path),
            in: staging, seconds: limits.compileSeconds)
        guard result.status == 0 else {
            if result.timedOut { throw .timedOut(what: "compiling the ArchSynthRuntime module", seconds: limits.compileSeconds, flag: nil) }
            throw .compilationFailed(files: "ArchSynthRuntime (\(dir.path))", flags: ([optimization] + flags).joined(separator: " "), output: result.output)
        }
        do {
            if fm.fileExists(atPath: out.path) { try fm.removeItem(at: out) }
            try fm.moveItem(at: staging, to: out)
        } catch {
            if !fm.fileExists(atPath: library.path) { throw .io("cannot place the runtime module in \(out.path): \(error.localizedDescription)") }
        }
        return out
    }
}
