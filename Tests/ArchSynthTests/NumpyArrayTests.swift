import ArchSynth
import Foundation
import XCTest

/// The `.npy` reader and writer against hand-built bytes (the NPY format as NumPy documents it)
/// and round trips.
final class NumpyArrayTests: XCTestCase {
    /// Magic, version, header length, header text, data.
    func npy(header: String, version: UInt8 = 1, data: [UInt8]) -> Data {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let h = Array(header.utf8)
        if version == 1 {
            bytes += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)]
        } else {
            bytes += [UInt8(h.count & 0xFF), UInt8((h.count >> 8) & 0xFF), 0, 0]
        }
        return Data(bytes + h + data)
    }

    func float32Bytes(_ values: [Float]) -> [UInt8] { values.flatMap { v in (0..<4).map { UInt8((v.bitPattern >> (8 * $0)) & 0xFF) } } }
    func float64Bytes(_ values: [Double]) -> [UInt8] { values.flatMap { v in (0..<8).map { UInt8((v.bitPattern >> (8 * UInt64($0))) & 0xFF) } } }

    func testReadsHandBuiltFloat32AndFloat64() throws {
        let a = try NumpyArray.parse(
            npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", data: float32Bytes([1, -2, 0.5, 3, 4, 1e-3])), name: "a.npy")
        XCTAssertEqual(a.shape, [2, 3])
        XCTAssertEqual(a.values, [1, -2, 0.5, 3, 4, Double(Float(1e-3))])
        let b = try NumpyArray.parse(
            npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }   \n", version: 2, data: float64Bytes([0.1, -0.0, 7])), name: "b.npy")
        XCTAssertEqual(b.shape, [3])
        XCTAssertEqual(b.values.map(\.bitPattern), [0.1, -0.0, 7].map(\.bitPattern))
        // Rank 0 (a scalar) and rank 3.
        XCTAssertEqual(try NumpyArray.parse(npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (), }\n", data: float64Bytes([2.5])), name: "c").values, [2.5])
        let d = try NumpyArray.parse(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 2), }\n", data: float32Bytes([1, 2, 3, 4])), name: "d")
        XCTAssertEqual(d.shape, [2, 1, 2])
    }

    func testWritesTheHeaderNumPyWrites() throws {
        // np.save of a (2, 3) float32 array: version 1.0, this dict, padded with spaces so that
        // magic + version + length + header = 128 bytes (a multiple of 64), ending in "\n".
        let data = NumpyArray(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]).data(dtype: .float32)
        let bytes = [UInt8](data)
        XCTAssertEqual(Array(bytes[0..<8]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        XCTAssertEqual(Int(bytes[8]) | Int(bytes[9]) << 8, 118)
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header)
        XCTAssertTrue(header.hasSuffix(" \n"))
        XCTAssertEqual(Array(bytes[128...]), float32Bytes([1, 2, 3, 4, 5, 6]))
        XCTAssertTrue(String(decoding: NumpyArray(shape: [5], values: [0, 0, 0, 0, 0]).data(dtype: .float64), as: UTF8.self).contains("'shape': (5,)"))
    }

    func testRoundTripsBitForBit() throws {
        let values: [Double] = [0.1, 1.0 / 3, -0.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -2.5, 1e-300, 123456789.123456789]
        let back = try NumpyArray.parse(NumpyArray(shape: [2, 2, 2], values: values).data(dtype: .float64), name: "x")
        XCTAssertEqual(back.shape, [2, 2, 2])
        XCTAssertEqual(back.values.map(\.bitPattern), values.map(\.bitPattern))
        let floats: [Double] = [0.1, -3.25, 1e-40, 65504].map { Double(Float($0)) }
        let back32 = try NumpyArray.parse(NumpyArray(shape: [4], values: floats).data(dtype: .float32), name: "y")
        XCTAssertEqual(back32.values.map(\.bitPattern), floats.map(\.bitPattern))
        // Through a file (atomic write).
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try NumpyArray(shape: [2, 4], values: values).write(to: url, dtype: .float64)
        XCTAssertEqual(try NumpyArray.read(from: url).values.map(\.bitPattern), values.map(\.bitPattern))
    }

    func testRefusesWhatItCannotRead() {
        func problem(_ data: Data) -> String {
            do { _ = try NumpyArray.parse(data, name: "bad.npy"); return "parsed" } catch { return error.description }
        }
        let ok = float32Bytes([1, 2])
        XCTAssertTrue(problem(npy(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", data: ok)).contains("dtype >f4"))
        XCTAssertTrue(problem(npy(header: "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n", data: ok)).contains("dtype <i4"))
        XCTAssertTrue(problem(npy(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }\n", data: ok)).contains("Fortran order"))
        XCTAssertTrue(problem(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", data: ok)).contains("truncated"))
        XCTAssertTrue(problem(Data([0x50, 0x4B, 3, 4, 0, 0, 0, 0, 0, 0])).contains("not a .npy file"))
        XCTAssertTrue(problem(Data(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", data: ok).prefix(20))).contains("truncated"))
        XCTAssertTrue(problem(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", data: ok)).contains("parsed"))
    }
}
