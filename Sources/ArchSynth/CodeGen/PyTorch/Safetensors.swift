/// A safetensors file (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
/// length N, N bytes of JSON naming each tensor's dtype, shape and byte range, then the raw
/// little-endian bytes. Written here with no dependency; the emitted PyTorch modules read it
/// back with a dozen lines of Python (`PyTorchSupport.loader`).
///
/// Tensors are written in the order they were added (never a dictionary's order), the header is
/// padded with spaces to a multiple of 8 bytes so every tensor starts aligned, and the bytes are
/// deterministic for the same tensors.
///
/// ```swift
/// var file = SafetensorsFile(metadata: [("format", "archsynth-pytorch-1")])
/// file.add("index", int64: [0, 2, 1])
/// let bytes = file.bytes()
/// ```
public struct SafetensorsFile: Sendable {
    public enum DType: String, Sendable {
        case f64 = "F64", i64 = "I64", i8 = "I8"
        var size: Int { self == .i8 ? 1 : 8 }
    }

    public struct Tensor: Sendable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        let payload: [UInt8]
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var tensors: [Tensor] = []
    /// String key–value pairs for `__metadata__`, in order.
    public var metadata: [(String, String)]

    public init(metadata: [(String, String)] = []) { self.metadata = metadata }

    public var isEmpty: Bool { tensors.isEmpty }

    /// Adds a float64 tensor (shape defaults to one axis).
    public mutating func add(_ name: String, float64 values: [Double], shape: [Int]? = nil) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for v in values { SafetensorsFile.append(v.bitPattern, to: &bytes) }
        append(name, .f64, shape ?? [values.count], bytes, values.count)
    }

    /// Adds an int64 tensor.
    public mutating func add(_ name: String, int64 values: [Int], shape: [Int]? = nil) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for v in values { SafetensorsFile.append(UInt64(bitPattern: Int64(v)), to: &bytes) }
        append(name, .i64, shape ?? [values.count], bytes, values.count)
    }

    /// Adds an int8 tensor (signs).
    public mutating func add(_ name: String, int8 values: [Int8], shape: [Int]? = nil) {
        append(name, .i8, shape ?? [values.count], values.map { UInt8(bitPattern: $0) }, values.count)
    }

    private mutating func append(_ name: String, _ dtype: DType, _ shape: [Int], _ payload: [UInt8], _ count: Int) {
        precondition(shape.reduce(1, *) == count, "safetensors: shape \(shape) does not hold \(count) values")
        precondition(!tensors.contains { $0.name == name } && name != "__metadata__", "safetensors: duplicate tensor name \(name)")
        tensors.append(Tensor(name: name, dtype: dtype, shape: shape, payload: payload))
    }

    static func append(_ v: UInt64, to bytes: inout [UInt8]) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    /// The JSON header (before padding).
    func header() -> String {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.map { "\(SafetensorsFile.jsonString($0.0)):\(SafetensorsFile.jsonString($0.1))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for t in tensors {
            let end = offset + t.payload.count
            fields.append("\(SafetensorsFile.jsonString(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The whole file.
    public func bytes() -> [UInt8] {
        var head = Array(header().utf8)
        while head.count % 8 != 0 { head.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + head.count + tensors.reduce(0) { $0 + $1.payload.count })
        SafetensorsFile.append(UInt64(head.count), to: &out)
        out += head
        for t in tensors { out += t.payload }
        return out
    }

    /// A JSON string literal (quotes, backslashes and control characters escaped).
    static func jsonString(_ s: String) -> String { TextEscaping.json(s) }
}
