import Foundation

/// A NumPy `.npy` array of floating-point values: the shape (C order, any rank) and the values
/// as `Double`, read from and written to the NPY format (versions 1.0, 2.0 and 3.0).
///
/// Read: dtypes `<f4` and `<f8` (and `|f4`-style byte-order-free spellings are refused, as is
/// big-endian `>f4`), `fortran_order: False` only. Written: `<f4` (float32) or `<f8`, version 1.0.
/// Everything else is a `NumpyError` naming the file and what to do.
///
/// ```swift
/// let image = try NumpyArray.read(from: URL(fileURLWithPath: "A.npy"))   // shape [64, 64]
/// try NumpyArray(shape: [2, 64, 64], values: field).data(dtype: .float32).write(to: url)
/// ```
public struct NumpyArray: Equatable, Sendable {
    public enum DType: String, Sendable { case float32 = "<f4", float64 = "<f8" }

    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count, "NumpyArray: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = values
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY

    /// The NPY 1.0 bytes (header padded with spaces to a multiple of 64 bytes, ending in "\n").
    public func data(dtype: DType) -> Data {
        let dims = shape.map(String.init)
        let shapeText = dims.count == 1 ? "(\(dims[0]),)" : "(\(dims.joined(separator: ", ")))"
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = Self.magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data(Self.magic + [1, 0])
        let length = UInt16(header.utf8.count)
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        out.append(contentsOf: Array(header.utf8))
        switch dtype {
        case .float32:
            var bytes = [UInt8](repeating: 0, count: 4 * values.count)
            for (i, v) in values.enumerated() {
                let bits = Float(v).bitPattern.littleEndian
                withUnsafeBytes(of: bits) { for k in 0..<4 { bytes[4 * i + k] = $0[k] } }
            }
            out.append(contentsOf: bytes)
        case .float64:
            var bytes = [UInt8](repeating: 0, count: 8 * values.count)
            for (i, v) in values.enumerated() {
                let bits = v.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { for k in 0..<8 { bytes[8 * i + k] = $0[k] } }
            }
            out.append(contentsOf: bytes)
        }
        return out
    }

    /// Writes the array atomically (a temporary file in the same directory, then a rename).
    public func write(to url: URL, dtype: DType = .float32) throws {
        try OutputFile.write(data(dtype: dtype), to: url)
    }

    /// Reads `url`; `name` is how errors refer to the file (default: its path).
    public static func read(from url: URL, name: String? = nil) throws(NumpyError) -> NumpyArray {
        let label = name ?? url.path
        let data: Data
        do { data = try InputFile.contents(of: url) } catch { throw NumpyError(file: label, problem: error.description) }
        return try parse(data, name: label)
    }

    /// Parses NPY bytes.
    public static func parse(_ data: Data, name: String) throws(NumpyError) -> NumpyArray {
        let bytes = [UInt8](data)
        func fail(_ problem: String) -> NumpyError { NumpyError(file: name, problem: problem) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("is not a .npy file (no \\x93NUMPY magic)") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("is truncated inside its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default: throw fail("has NPY format version \(major), not 1, 2 or 3")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("is truncated inside its header") }
        guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("has an unreadable header")
        }
        guard let descr = field("descr", in: header), let fortran = field("fortran_order", in: header), let shapeText = field("shape", in: header) else {
            throw fail("has a header without descr, fortran_order and shape: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let dtype: DType
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) {
        case "<f4": dtype = .float32
        case "<f8": dtype = .float64
        case let other: throw fail("has dtype \(other); save it as little-endian float32 or float64 (e.g. np.save(path, a.astype('<f4')))")
        }
        guard fortran == "False" else { throw fail("is in Fortran order; save it in C order (np.ascontiguousarray)") }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let d = Int(t), d >= 0 else { throw fail("has an unreadable shape \(shapeText)") }
            shape.append(d)
        }
        var count = 1
        for d in shape {
            let (c, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw fail("has an impossible shape \(shapeText)") }
            count = c
        }
        let width = dtype == .float32 ? 4 : 8
        let start = headerStart + headerLength
        guard bytes.count - start == count * width else {
            throw fail("is truncated or has extra bytes: shape \(shape) needs \(count * width) data bytes, the file has \(bytes.count - start)")
        }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let o = start + i * width
            if width == 4 {
                var bits: UInt32 = 0
                for k in 0..<4 { bits |= UInt32(bytes[o + k]) << (8 * k) }
                values[i] = Double(Float(bitPattern: bits))
            } else {
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(bytes[o + k]) << (8 * k) }
                values[i] = Double(bitPattern: bits)
            }
        }
        return NumpyArray(shape: shape, values: values)
    }

    /// The text of `'key': value` in a header dict (value: a quoted string, a word, or a tuple).
    static func field(_ key: String, in header: String) -> String? {
        guard let k = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[k.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        return String(rest[..<end]).trimmingCharacters(in: .whitespaces)
    }
}

/// A `.npy` file that cannot be used, with the file and the reason.
public struct NumpyError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let problem: String
    public var description: String { "\(file) \(problem)" }
}
