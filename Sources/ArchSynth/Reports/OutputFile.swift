import Foundation

/// Every file archsynth writes goes through here: the bytes go to a temporary file beside the
/// destination (same directory, so the rename cannot cross file systems), which is then renamed
/// over the destination. Nothing is left behind on success or failure: a failed write removes its
/// temporaries and leaves every destination as it was, and nothing goes to `$TMPDIR`.
///
/// Destinations are resolved first (`resolve`): symlinks are followed to their final target (so
/// the rename replaces the target, not the link), and anything that exists but is not a regular
/// file is refused. `InputFile` is the same guard for inputs.
///
/// ```swift
/// try OutputFile.write("hello\n", to: URL(fileURLWithPath: "out.txt"))
/// try OutputFile.resolve(URL(fileURLWithPath: "/dev/null"))   // throws: not a regular file
/// ```
public enum OutputFile {
    /// Where `url` really goes: the final target of its symlinks, or `url` itself when nothing
    /// exists there yet; throws for a directory, device, FIFO or socket.
    public static func resolve(_ url: URL) throws(BasisExportError) -> URL {
        var path = url.path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(path, &info) == 0 else { return URL(fileURLWithPath: path) }  // does not exist yet
            let kind = info.st_mode & S_IFMT
            if kind == S_IFREG { return URL(fileURLWithPath: path) }
            guard kind == S_IFLNK else {
                let what = kind == S_IFDIR ? "a directory" : kind == S_IFCHR || kind == S_IFBLK ? "a device" : kind == S_IFIFO ? "a FIFO" : "not a regular file"
                throw .writeFailed(path: url.path, reason: "\(path) is \(what); give the path of a regular file (it is written atomically: a temporary file, then a rename)")
            }
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else {
                throw .writeFailed(path: url.path, reason: "cannot read the symbolic link \(path)")
            }
            path = target.hasPrefix("/") ? target : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(target).path
        }
        throw .writeFailed(path: url.path, reason: "too many levels of symbolic links")
    }

    /// Writes `data` to `destination` (temporary file beside it, then a rename).
    /// - Complexity: O(data.count).
    public static func write(_ data: Data, to destination: URL) throws(BasisExportError) {
        try write([(destination, data)])
    }

    /// Writes `text` as UTF-8 to `destination` (temporary file beside it, then a rename).
    public static func write(_ text: String, to destination: URL) throws(BasisExportError) {
        try write(Data(text.utf8), to: destination)
    }

    /// Writes every (destination, bytes) pair, all or nothing: every file is written to its
    /// temporary first, and only when all are complete are they renamed into place.
    /// `skipUnchanged` leaves a destination whose bytes are already `data` alone (so build
    /// systems do not rebuild it).
    public static func write(_ files: [(url: URL, data: Data)], skipUnchanged: Bool = false) throws(BasisExportError) {
        var changed: [(url: URL, data: Data)] = []
        for file in files {
            if skipUnchanged, let target = try? resolve(file.url), FileManager.default.contents(atPath: target.path) == file.data { continue }
            changed.append(file)
        }
        try write(changed.map(\.url)) { i, handle in try handle.write(contentsOf: changed[i].data) }
    }

    /// Streams each destination's bytes through `fill(index, handle)` into a temporary file beside
    /// it, then renames them all into place (all or nothing, as `write(_:skipUnchanged:)`).
    public static func write(_ destinations: [URL], fill: (Int, FileHandle) throws -> Void) throws(BasisExportError) {
        let targets = try destinations.map { (url) throws(BasisExportError) in try resolve(url) }
        var temporaries: [URL] = []
        func discard() { for t in temporaries { unlink(t.path) } }
        let note = targets.count > 1 ? "; nothing was written" : ""
        for target in targets {
            let temporary = temporaryURL(beside: target)
            let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                discard()
                throw .writeFailed(path: target.path, reason: reason + note)
            }
            temporaries.append(temporary)
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            do {
                try fill(temporaries.count - 1, handle)
                try handle.close()
            } catch {
                try? handle.close()
                discard()
                if let error = error as? BasisExportError { throw error }
                throw .writeFailed(path: target.path, reason: error.localizedDescription + note)
            }
        }
        for (i, (temporary, target)) in zip(temporaries, targets).enumerated() where rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in temporaries[i...] { unlink(rest.path) }
            throw .writeFailed(path: target.path, reason: reason)
        }
    }

    /// A fresh name in the destination's directory: `.NAME.PID-RANDOM.tmp`.
    static func temporaryURL(beside target: URL) -> URL {
        var generator = SystemRandomNumberGenerator()
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(String(generator.next() as UInt64, radix: 36))"
        return target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(tag).tmp")
    }
}
