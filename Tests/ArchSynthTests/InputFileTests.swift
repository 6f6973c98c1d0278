import ArchSynth
import Foundation
import XCTest

/// Input files (models, trained steps, images) must be regular files: a FIFO, a device or a
/// directory is refused naming what it is (before, Foundation reported a FIFO as a permission
/// error), and a bound on the size is checked before reading.
final class InputFileTests: XCTestCase {
    func testNonRegularFilesAndSizesAreRefusedByName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let file = dir.appendingPathComponent("ten.bin")
        try Data(repeating: 7, count: 10).write(to: file)

        func problem(_ url: URL, _ limit: Int? = nil) -> String? {
            do { _ = try InputFile.contents(of: url, maxBytes: limit); return nil } catch { return error.description }
        }
        XCTAssertEqual(problem(fifo), "is a FIFO, not a regular file")
        XCTAssertEqual(problem(URL(fileURLWithPath: "/dev/null")), "is a device, not a regular file")
        XCTAssertEqual(problem(dir), "is a directory, not a regular file")
        XCTAssertEqual(problem(dir.appendingPathComponent("missing")), "cannot be read (no such file)")
        XCTAssertEqual(problem(file, 9), "is 10 bytes, above the limit of 9")
        XCTAssertEqual(try InputFile.contents(of: file, maxBytes: 10), Data(repeating: 7, count: 10))

        // The readers that use it: an image and a registration model named by a FIFO.
        XCTAssertThrowsError(try NumpyArray.read(from: fifo)) { XCTAssertTrue("\($0)".contains("is a FIFO"), "\($0)") }
        XCTAssertThrowsError(try RegistrationModelFile.read(from: fifo)) { XCTAssertTrue("\($0)".contains("is a FIFO"), "\($0)") }
    }
}
