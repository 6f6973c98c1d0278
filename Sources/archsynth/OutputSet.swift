import ArchSynth
import Foundation

/// Several output files written all or nothing (issue 18 §4): every destination is checked
/// first (`check`, before any work: a regular file or a new name in an existing directory; symlinks
/// followed), then every file is written to a temporary beside its destination, and only when all
/// of them are written are they renamed into place. A failure before the renames leaves every
/// destination as it was.
///
/// ```swift
/// let targets = try OutputSet.check([mdURL, svgURL])
/// try OutputSet.write(zip(targets, [markdown, svg]).map { ($0, $1) })
/// ```
enum OutputSet {
    /// The resolved destinations, or a failure naming the first one that cannot be written.
    static func check(_ urls: [URL]) throws -> [URL] {
        try urls.map { url in
            let resolved: URL
            do { resolved = try OutputFile.resolve(url) } catch { throw CommandFailure(description: "cannot write \(url.path): \(error)") }
            let parent = resolved.deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure(description: "cannot write \(url.path): the directory \(parent) does not exist")
            }
            guard FileManager.default.isWritableFile(atPath: parent) else {
                throw CommandFailure(description: "cannot write \(url.path): the directory \(parent) is not writable")
            }
            return resolved
        }
    }

    /// Writes every (destination, text) pair, all or nothing (`OutputFile`); `skipUnchanged`
    /// leaves a file whose bytes are already the text alone (so build systems do not rebuild it).
    static func write(_ files: [(url: URL, text: String)], skipUnchanged: Bool = false) throws {
        let targets = try check(files.map(\.url))
        do { try OutputFile.write(zip(targets, files).map { ($0, Data($1.text.utf8)) }, skipUnchanged: skipUnchanged) } catch {
            throw CommandFailure(description: "\(error)")
        }
    }

    /// Writes one file (a temporary beside it, then a rename); a failure names the file.
    static func write(_ text: String, to url: URL) throws {
        do { try OutputFile.write(text, to: url) } catch { throw CommandFailure(description: "\(error)") }
    }
}
