import Foundation

/// Reads a file a user names as input (a model, a trained step, an image): it must exist and be a
/// regular file (symbolic links followed), and at most `maxBytes` long when a bound is given, so a
/// FIFO or device is refused at once instead of being reported as a permission error or read
/// without end. `OutputFile` is the same guard for outputs.
///
/// ```swift
/// let data = try InputFile.contents(of: URL(fileURLWithPath: "step.json"), maxBytes: 64 << 20)
/// ```
public enum InputFile {
    /// Why an input file cannot be used; `description` completes "PATH …".
    public enum Problem: Error, CustomStringConvertible, Sendable {
        case missing
        case notRegular(kind: String)
        case tooLarge(bytes: Int, limit: Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: return "cannot be read (no such file)"
            case let .notRegular(kind): return "is \(kind), not a regular file"
            case let .tooLarge(bytes, limit): return "is \(bytes) bytes, above the limit of \(limit)"
            case let .unreadable(reason): return "cannot be read (\(reason))"
            }
        }
    }

    /// The file's bytes.
    /// - Complexity: O(file size), checked against `maxBytes` before anything is read.
    public static func contents(of url: URL, maxBytes: Int? = nil) throws(Problem) -> Data {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw .missing }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            throw .notRegular(kind: kind == S_IFDIR ? "a directory" : kind == S_IFCHR || kind == S_IFBLK ? "a device" : kind == S_IFIFO ? "a FIFO" : "a socket")
        }
        if let maxBytes, Int(info.st_size) > maxBytes { throw .tooLarge(bytes: Int(info.st_size), limit: maxBytes) }
        do { return try Data(contentsOf: url) } catch { throw .unreadable(access(url.path, R_OK) != 0 ? "permission denied" : error.localizedDescription) }
    }
}
