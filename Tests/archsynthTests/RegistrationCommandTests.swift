import Foundation
import XCTest

/// `archsynth train registration` and `archsynth register` end to end on tiny 16×16 images:
/// progress, the model file, the field's shape and convention (checked by sampling the moving
/// image independently), determinism, and clean errors for bad folders and images.
final class RegistrationCommandTests: ScratchDirectoryTestCase {
    /// A float32 .npy file built by hand (NPY 1.0, C order).
    func writeNPY(_ path: String, shape: [Int], _ values: [Float]) throws {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        header += String(repeating: " ", count: (64 - (11 + header.utf8.count) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
        for v in values { bytes += withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// (shape, values) of a float32 .npy file.
    func readNPY(_ path: String) throws -> (shape: [Int], values: [Float]) {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(path)))
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + length)], as: UTF8.self)
        XCTAssertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), header)
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        var values: [Float] = []
        var o = 10 + length
        while o + 4 <= bytes.count {
            values.append(Float(bitPattern: UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24))
            o += 4
        }
        return (shape, values)
    }

    /// A 16×16 blob centred at (cy, cx) on the torus.
    func blob(_ cy: Double, _ cx: Double, size s: Int = 16) -> [Float] {
        (0..<(s * s)).map { k in
            var dy = abs(Double(k / s) - cy), dx = abs(Double(k % s) - cx)
            dy = min(dy, Double(s) - dy)
            dx = min(dx, Double(s) - dx)
            return Float(exp(-(dy * dy + dx * dx) / 8))
        }
    }

    func writeTrainingSet() throws {
        for (i, c) in [(4.0, 4.0), (6.0, 5.0), (8.0, 9.0), (5.0, 10.0)].enumerated() {
            try writeNPY("train/img\(i).npy", shape: [16, 16], blob(c.0, c.1))
        }
    }

    static let tinyCarl = ["--template", "carl", "--size", "16", "--pool", "2", "--channels", "4", "--depth", "2", "--refine-channels", "4", "--refine-depth", "2"]

    /// moving(x + u(x)), periodic bilinear, from the definition.
    func sample(_ image: [Float], _ u: [Float], size s: Int) -> [Double] {
        (0..<(s * s)).map { k in
            let y = Double(k / s) + Double(u[k]), x = Double(k % s) + Double(u[s * s + k])
            let (y0, x0) = (y.rounded(.down), x.rounded(.down))
            let (ty, tx) = (y - y0, x - x0)
            func at(_ i: Double, _ j: Double) -> Double {
                let ii = ((Int(i) % s) + s) % s, jj = ((Int(j) % s) + s) % s
                return Double(image[ii * s + jj])
            }
            return (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1)) + ty * ((1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1))
        }
    }

    func testTrainAndRegisterEndToEnd() throws {
        try writeTrainingSet()
        for template in ["carl", "constricon"] {
            let flags = template == "carl" ? Self.tinyCarl : ["--template", "constricon", "--size", "16", "--hidden", "2"]
            let train = try CommandRunner.run(
                ["train", "registration", "--images", "train", "--steps", "4", "--batch", "2", "--progress-every", "2", "-o", "\(template).json"] + flags,
                in: directory)
            XCTAssertEqual(train.status, 0, train.stderr)
            XCTAssertTrue(train.stderr.contains("step 2/4") && train.stderr.contains("step 4/4") && train.stderr.contains("pairs/s"), train.stderr)
            XCTAssertTrue(train.stdout.contains("8 pairs seen"), train.stdout)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(template).json"))) as! [String: Any]
            XCTAssertEqual(json["template"] as? String, template)
            XCTAssertEqual((json["parameters"] as? [Any])?.count, json["parameterCount"] as? Int)
            // The same command again gives the same file, byte for byte, except the wall time.
            let again = try CommandRunner.run(
                ["train", "registration", "--images", "train", "--steps", "4", "--batch", "2", "-o", "\(template)2.json"] + flags, in: directory)
            XCTAssertEqual(again.status, 0, again.stderr)
            let json2 = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(template)2.json"))) as! [String: Any]
            XCTAssertEqual(json2["parameters"] as? [Double], json["parameters"] as? [Double])

            let register = try CommandRunner.run(
                ["register", "--model", "\(template).json", "--fixed", "train/img0.npy", "--moving", "train/img1.npy", "-o", "field.npy", "--warped", "warped.npy"],
                in: directory)
            XCTAssertEqual(register.status, 0, register.stderr)
            let field = try readNPY("field.npy"), warped = try readNPY("warped.npy")
            XCTAssertEqual(field.shape, [2, 16, 16])
            XCTAssertEqual(warped.shape, [16, 16])
            XCTAssertEqual(field.values.count, 512)
            XCTAssertTrue(field.values.allSatisfy { $0.isFinite && abs($0) <= 8 })
            let expected = sample(blob(6, 5), field.values, size: 16)
            for k in expected.indices { XCTAssertEqual(Double(warped.values[k]), expected[k], accuracy: 1e-4, "pixel \(k)") }
        }
    }

    func testBadFoldersAndImagesAreNamed() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let base = ["train", "registration"] + Self.tinyCarl + ["--steps", "1", "-o", "m.json"]
        try fails(base + ["--images", "empty"], mentioning: ["empty", "is empty"])
        try fails(base + ["--images", "nowhere"], mentioning: ["nowhere", "not a directory"])
        try writeTrainingSet()
        _ = try write("train/notes.txt", "hello")
        try fails(base + ["--images", "train"], mentioning: ["notes.txt", "not a .npy file"])
        try FileManager.default.removeItem(at: directory.appendingPathComponent("train/notes.txt"))
        try writeNPY("train/small.npy", shape: [8, 8], [Float](repeating: 0, count: 64))
        try fails(base + ["--images", "train"], mentioning: ["small.npy", "8×8, not 16×16", "--size"])
        try FileManager.default.removeItem(at: directory.appendingPathComponent("train/small.npy"))
        try writeNPY("train/cube.npy", shape: [2, 16, 16], [Float](repeating: 0, count: 512))
        try fails(base + ["--images", "train"], mentioning: ["cube.npy", "rank 3"])
        try FileManager.default.removeItem(at: directory.appendingPathComponent("train/cube.npy"))
        var nan = blob(3, 3)
        nan[17] = .nan
        try writeNPY("train/nan.npy", shape: [16, 16], nan)
        try fails(base + ["--images", "train"], mentioning: ["nan.npy", "non-finite", "row 1, column 1"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("m.json").path), "nothing written on failure")
        // Usage errors exit 64.
        try fails(["train", "registration", "--images", "train", "--size", "16", "-o", "m.json"], mentioning: ["--template"], status: 64)
        try fails(["train", "registration", "--template", "voxelmorph", "--images", "train", "--size", "16", "-o", "m.json"], mentioning: ["carl or constricon"], status: 64)
        try fails(["train", "registration", "--template", "carl", "--images", "train", "--size", "16", "--pool", "3", "-o", "m.json"], mentioning: ["--pool 3"], status: 64)
        try fails(["train", "classification"], mentioning: ["registration"], status: 64)
    }

    func testRegisterRefusesImagesOfAnotherSizeAndBadModels() throws {
        try writeTrainingSet()
        let train = try CommandRunner.run(["train", "registration", "--images", "train", "--steps", "1", "-o", "m.json"] + Self.tinyCarl, in: directory)
        XCTAssertEqual(train.status, 0, train.stderr)
        try writeNPY("eight.npy", shape: [8, 8], [Float](repeating: 0, count: 64))
        try fails(["register", "--model", "m.json", "--fixed", "eight.npy", "--moving", "train/img1.npy", "-o", "f.npy"], mentioning: ["eight.npy", "8×8, not 16×16"])
        _ = try write("bad.json", "{\"format\": \"something\"}")
        try fails(["register", "--model", "bad.json", "--fixed", "train/img0.npy", "--moving", "train/img1.npy", "-o", "f.npy"], mentioning: ["bad.json", "not an archsynth registration model"])
        try fails(["register", "--model", "m.json", "--fixed", "train/img0.npy", "-o", "f.npy"], mentioning: ["--moving"], status: 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("f.npy").path))
    }

    func testVerifyAndGenerateFromAModelFile() throws {
        try writeTrainingSet()
        for (template, flags) in [("carl", Self.tinyCarl), ("constricon", ["--template", "constricon", "--size", "16", "--hidden", "2"])] {
            let train = try CommandRunner.run(["train", "registration", "--images", "train", "--steps", "2", "--batch", "2", "-o", "m.json"] + flags, in: directory)
            XCTAssertEqual(train.status, 0, train.stderr)
            let verify = try CommandRunner.run(["verify", "m.json", "--pairs", "2"], in: directory)
            XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
            XCTAssertTrue(verify.stdout.contains(template == "carl" ? "[W,U]" : "swap"), verify.stdout)
            XCTAssertTrue(verify.stdout.contains("passed"), verify.stdout)
            if template == "constricon" { XCTAssertTrue(verify.stdout.contains("inverse consistency mean"), verify.stdout) }
            let verifyOnImages = try CommandRunner.run(["verify", "m.json", "--images", "train", "--pairs", "2"], in: directory)
            XCTAssertEqual(verifyOnImages.status, 0, verifyOnImages.stdout + verifyOnImages.stderr)
            XCTAssertTrue(verifyOnImages.stdout.contains("2 pairs from train"), verifyOnImages.stdout)
            let generate = try CommandRunner.run(["generate", "template", "registration", "--from-model", "m.json", "--name", "Trained", "-o", "Trained.swift"], in: directory)
            XCTAssertEqual(generate.status, 0, generate.stderr)
            let source = try String(contentsOf: directory.appendingPathComponent("Trained.swift"), encoding: .utf8)
            XCTAssertTrue(source.hasPrefix("// DO NOT EDIT."), String(source.prefix(80)))
            XCTAssertTrue(source.contains("// Type: Trained") && source.contains("import ArchSynthRuntime") && source.contains("trainedParameters"))
            XCTAssertFalse(source.contains(directory.path), "no absolute paths in the header")
        }
        _ = try write("broken.json", "{}")
        try fails(["verify", "broken.json"], mentioning: ["broken.json", "not an archsynth registration model"])
        try fails(["generate", "template", "registration", "--from-model", "broken.json", "--name", "T", "-o", "T.swift"], mentioning: ["broken.json"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("T.swift").path))
    }

    func testTimeBudgetStopsTrainingEarly() throws {
        try writeTrainingSet()
        // 0.0001 minutes (6 ms): training stops after the step that crosses the budget, far
        // before 500 steps of two pairs, and records the pairs it saw (whole steps: even).
        let r = try CommandRunner.run(["train", "registration", "--images", "train", "--steps", "500", "--batch", "2", "--max-minutes", "0.0001", "-o", "m.json"] + Self.tinyCarl, in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        let seen = r.stdout.split(separator: " ").firstIndex(of: "pairs").flatMap { i in i > 0 ? Int(r.stdout.split(separator: " ")[i - 1]) : nil }
        let pairs = try XCTUnwrap(seen, r.stdout)
        XCTAssertTrue(pairs >= 2 && pairs < 1000 && pairs % 2 == 0, r.stdout)
        XCTAssertTrue(r.stderr.contains("/500  loss"), r.stderr)
    }
}
