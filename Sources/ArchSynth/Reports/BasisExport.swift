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
        do {
            try OutputFile.write([directory.appendingPathComponent("basis.npy"), directory.appendingPathComponent("bias.npy")]) { i, handle in
                if i == 0 {
                    try write(basis.elements, shape: [m, dOut, dIn], to: handle)
                } else {
                    try write(basis.biasElements, shape: [basis.biasDimension, dOut], to: handle)
                }
            }
        } catch {
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

    /// The NPY file of `elements` (header, then each dense matrix in C order) on `handle`.
    static func write(_ elements: [BasisMatrix], shape: [Int], to handle: FileHandle) throws {
        try handle.write(contentsOf: Data(header(shape: shape)))
        for element in elements {
            var dense = [Double](repeating: 0, count: element.rows * element.columns)
            for e in element.entries { dense[e.row * element.columns + e.column] = e.value }
            try handle.write(contentsOf: littleEndian(dense.withUnsafeBufferPointer { Data(buffer: $0) }))
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
