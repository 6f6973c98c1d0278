import Foundation
import XCTest

/// `archsynth train registration` under ARCHSYNTH_THREADS: the same model file bit for bit on one
/// and on three threads, and a malformed value is a usage error naming it.
extension RegistrationCommandTests {
    func testThreadCountChangesNoParameterAndBadValuesAreNamed() throws {
        try writeTrainingSet()
        var parameters: [[Double]] = []
        for threads in ["1", "3"] {
            let run = try CommandRunner.run(
                ["train", "registration", "--images", "train", "--steps", "2", "--batch", "3", "-o", "m\(threads).json"] + Self.tinyCarl,
                in: directory, environment: ["ARCHSYNTH_THREADS": threads])
            XCTAssertEqual(run.status, 0, run.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("m\(threads).json"))) as! [String: Any]
            parameters.append(try XCTUnwrap(json["parameters"] as? [Double]))
        }
        XCTAssertFalse(parameters[0].isEmpty)
        XCTAssertEqual(parameters[0].map(\.bitPattern), parameters[1].map(\.bitPattern))
        for bad in ["0", "two"] {
            let run = try CommandRunner.run(
                ["train", "registration", "--images", "train", "--steps", "1", "-o", "bad.json"] + Self.tinyCarl,
                in: directory, environment: ["ARCHSYNTH_THREADS": bad])
            XCTAssertEqual(run.status, 64, run.stderr)
            XCTAssertTrue(run.stderr.contains("ARCHSYNTH_THREADS") && run.stderr.contains("\"\(bad)\""), run.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("bad.json").path))
    }
}
