import Foundation
import XCTest

/// `archsynth train registration --precision`: double is the default and recorded in the model
/// file; float trains (a different model, the same file format, which `register` reads); a bad
/// value is a usage error naming it, and nothing is written.
extension RegistrationCommandTests {
    func testPrecisionFlagTrainsInFloatAndBadValuesAreNamed() throws {
        try writeTrainingSet()
        var parameters: [String: [Double]] = [:]
        for precision in ["default", "double", "float"] {
            let flag = precision == "default" ? [] : ["--precision", precision]
            let run = try CommandRunner.run(
                ["train", "registration", "--images", "train", "--steps", "2", "--batch", "2", "-o", "\(precision).json"] + flag + Self.tinyCarl,
                in: directory)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains("\(precision == "float" ? "float" : "double") precision"), run.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("\(precision).json"))) as! [String: Any]
            let options = (json["training"] as? [String: Any])?["options"] as? [String: Any]
            XCTAssertEqual(options?["precision"] as? String, precision == "float" ? "float" : "double")
            parameters[precision] = try XCTUnwrap(json["parameters"] as? [Double])
        }
        XCTAssertEqual(parameters["default"]!.map(\.bitPattern), parameters["double"]!.map(\.bitPattern), "the default is double")
        XCTAssertNotEqual(parameters["float"]!, parameters["double"]!, "--precision float trained in Double")
        let register = try CommandRunner.run(
            ["register", "--model", "float.json", "--fixed", "train/img0.npy", "--moving", "train/img1.npy", "-o", "field.npy"], in: directory)
        XCTAssertEqual(register.status, 0, register.stderr)
        for bad in ["single", "Float", ""] {
            try fails(
                ["train", "registration", "--images", "train", "--steps", "1", "--precision", bad, "-o", "bad.json"] + Self.tinyCarl,
                mentioning: ["--precision", "double", "float", "\"\(bad)\""], status: 64)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("bad.json").path))
    }
}
