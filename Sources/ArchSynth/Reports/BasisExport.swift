import Foundation
import GroupTheory

/// Writes a basis for NumPy, PyTorch or JAX users: a directory with `basis.npy` (float64,
/// shape (m, d_out, d_in), dense) and `bias.npy` (float64, shape (k, d_out)), in the NPY 1.0
/// format (magic, little-endian header length, a Python dict literal padded with spaces to a
/// multiple of 64 bytes, then the C-order data). `numpy.load` reads them without extra packages:
///
/// ```python
/// B = np.load("out/basis.npy"); W = np.tensordot(theta, B, axes=1)
/// ```
///
/// Both files are written to temporary names first and renamed into place only when both are
/// complete, so an error leaves nothing half-written.
public enum BasisExport {
    /// Largest m · d_out · d_in written densely (400 MB of float64).
    public static let maxDenseEntries = 50_000_000

    public static func writeNumPy(_ basis: EquivariantBasis, to directory: URL) throws {
        let m = basis.dimension, dOut = basis.outputDimension, dIn = basis.inputDimension
        let entries = m.multipliedReportingOverflow(by: dOut).partialValue.multipliedReportingOverflow(by: dIn)
        guard !entries.overflow, entries.partialValue <= maxDenseEntries else {
            throw BasisExportError.denseTooLarge(shape: "(\(m), \(dOut), \(dIn))", limit: maxDenseEntries)
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var created = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw BasisExportError.notADirectory(directory.path) }
        } else {
            do { try manager.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw BasisExportError.writeFailed(path: directory.path, reason: "\(error)")
            }
            created = true
        }
        let suffix = ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        let basisURL = try OutputFile.resolve(directory.appendingPathComponent("basis.npy"))
        let biasURL = try OutputFile.resolve(directory.appendingPathComponent("bias.npy"))
        let temporaries = [URL(fileURLWithPath: basisURL.path + suffix), URL(fileURLWithPath: biasURL.path + suffix)]
        do {
            try write(basis.elements, shape: [m, dOut, dIn], to: temporaries[0])
            try write(basis.biasElements, shape: [basis.biasDimension, dOut], to: temporaries[1])
            for (temporary, final) in zip(temporaries, [basisURL, biasURL]) where rename(temporary.path, final.path) != 0 {
                throw BasisExportError.writeFailed(path: final.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            for t in temporaries { try? manager.removeItem(at: t) }
            if created { try? manager.removeItem(at: directory) }
            throw error
        }
    }

    /// The NPY 1.0 header for a little-endian float64 C-order array.
    public static func header(shape: [Int]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(dict.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(dict.utf8)
        return bytes
    }

    static func write(_ elements: [BasisMatrix], shape: [Int], to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: Data(header(shape: shape))),
              let handle = try? FileHandle(forWritingTo: url)
        else { throw BasisExportError.writeFailed(path: url.path, reason: "cannot create the file") }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            for element in elements {
                var dense = [Double](repeating: 0, count: element.rows * element.columns)
                for e in element.entries { dense[e.row * element.columns + e.column] = e.value }
                let data = dense.withUnsafeBufferPointer { Data(buffer: $0) }
                try handle.write(contentsOf: littleEndian(data))
            }
            try handle.synchronize()
        } catch let error as BasisExportError {
            throw error
        } catch {
            throw BasisExportError.writeFailed(path: url.path, reason: "\(error)")
        }
    }

    static func littleEndian(_ data: Data) -> Data {
        if 1.littleEndian == 1 { return data }
        var copy = data
        copy.withUnsafeMutableBytes { raw in
            for i in stride(from: 0, to: raw.count, by: 8) {
                for k in 0..<4 { raw.swapAt(i + k, i + 7 - k) }
            }
        }
        return copy
    }

    /// Writes text to a file atomically (temporary file in the same directory, then rename).
    /// Writes `text` to a temporary file beside the destination, then renames it into
    /// place. A symlink is written through (its target is replaced, the link stays);
    /// an existing non-regular file (a device such as /dev/null, a FIFO, a socket, a
    /// directory) is refused, never replaced (`OutputFile.resolve`).
    public static func writeAtomically(_ text: String, to destination: URL) throws {
        let url = try OutputFile.resolve(destination)
        let temporary = URL(fileURLWithPath: url.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw BasisExportError.writeFailed(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch let error as BasisExportError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BasisExportError.writeFailed(path: url.path, reason: "\(error)")
        }
    }
}

/// Why an export was refused; nothing is left on disk.
public enum BasisExportError: Error, CustomStringConvertible, Sendable {
    case denseTooLarge(shape: String, limit: Int)
    case notADirectory(String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .denseTooLarge(shape, limit):
            return "a dense basis array of shape \(shape) is above the limit of \(limit) entries; use the sparse JSON format (--format json -o FILE, or --json)"
        case let .notADirectory(path):
            return "\(path) exists and is not a directory; --format npy -o names a directory that receives basis.npy and bias.npy"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

/// Where an output file really goes: symlinks are followed to their final target (so
/// the atomic rename replaces the target, not the link), and anything that exists but
/// is not a regular file is refused.
///
/// ```swift
/// try OutputFile.resolve(URL(fileURLWithPath: "/dev/null"))   // throws: not a regular file
/// ```
public enum OutputFile {
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
}
