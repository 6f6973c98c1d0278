import Foundation

/// Finds a folder that ships with the package (the group catalog, the runtime's sources):
/// `$variable` when it is set and not empty, else `relativePath` beside the executable or in one
/// of its five parent folders, else `checkoutPath` (a folder of this source checkout), whichever
/// exists first as a directory.
enum PackageFolder {
    /// The first existing folder among the environment variable, the executable's neighbourhood
    /// and `checkoutPath`; nil when none is a directory. An environment variable is returned as
    /// given, without checking it (so a wrong path gets the caller's clear error).
    static func locate(environment variable: String, besideExecutable relativePath: String, checkoutPath: URL) -> URL? {
        if let env = ProcessInfo.processInfo.environment[variable], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var dir = executable.deletingLastPathComponent()
            for _ in 0..<6 {
                candidates.append(dir.appendingPathComponent(relativePath))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(checkoutPath)
        return candidates.first { url in
            var flag: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
        }
    }

    /// The `Sources` folder of this checkout (this file is Sources/ArchSynth/Catalog/PackageFolder.swift).
    static let checkoutSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}
