import ArchSynth
import Foundation
import XCTest

/// `OutputFile` writes beside the destination and leaves nothing behind: not in `$TMPDIR`, not
/// beside the destination, and a failed write leaves the old destination as it was.
final class OutputFileTests: XCTestCase {
    /// A fresh folder, removed when the test ends.
    func freshFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func entries(_ folder: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }

    /// Runs `body` with `$TMPDIR` pointed at `folder`, restoring it afterwards.
    func withTMPDIR(_ folder: URL, _ body: () throws -> Void) rethrows {
        let old = getenv("TMPDIR").map { String(cString: $0) }
        setenv("TMPDIR", folder.path, 1)
        defer { if let old { setenv("TMPDIR", old, 1) } else { unsetenv("TMPDIR") } }
        try body()
    }

    func testWriteLeavesTMPDIREmptyAndTheDestinationCorrect() throws {
        let tmp = try freshFolder("tmpdir")
        let out = try freshFolder("out")
        let destination = out.appendingPathComponent("file.txt")
        try "old contents\n".write(to: destination, atomically: false, encoding: .utf8)
        try withTMPDIR(tmp) {
            try OutputFile.write("new contents\n", to: destination)
            try OutputFile.write([(out.appendingPathComponent("a.bin"), Data([1, 2, 3])), (out.appendingPathComponent("b.bin"), Data())])
        }
        XCTAssertEqual(try entries(tmp), [], "an OutputFile write left something in $TMPDIR")
        XCTAssertEqual(try entries(out), ["a.bin", "b.bin", "file.txt"], "only the destinations, no temporaries")
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "new contents\n")
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("a.bin").path), Data([1, 2, 3]))
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("b.bin").path), Data())

        // Control: the check above sees what a write through an item-replacement folder leaves in
        // the same $TMPDIR (Foundation makes `TemporaryItems` there), so it can fail.
        let control = try freshFolder("control")
        try withTMPDIR(control) {
            _ = try FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: destination, create: true)
        }
        XCTAssertNotEqual(try entries(control), [], "an item-replacement folder no longer goes to $TMPDIR: this test's control is void")
    }

    func testFailedWriteLeavesTheOldDestination() throws {
        let out = try freshFolder("out")
        let destination = out.appendingPathComponent("file.txt")
        try "old contents\n".write(to: destination, atomically: false, encoding: .utf8)
        struct Interrupted: Error {}
        // The bytes fail half way.
        XCTAssertThrowsError(try OutputFile.write([destination]) { _, handle in
            try handle.write(contentsOf: Data("new con".utf8))
            throw Interrupted()
        })
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "old contents\n")
        XCTAssertEqual(try entries(out), ["file.txt"], "the temporary was removed")
        // The second of two files cannot be created: the first destination keeps its old bytes.
        let missing = out.appendingPathComponent("no-such-folder/other.txt")
        XCTAssertThrowsError(try OutputFile.write([(destination, Data("new\n".utf8)), (missing, Data("x".utf8))])) { error in
            XCTAssertTrue("\(error)".contains("cannot write \(missing.path)"), "\(error)")
            XCTAssertTrue("\(error)".contains("nothing was written"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: destination, encoding: .utf8), "old contents\n")
        XCTAssertEqual(try entries(out), ["file.txt"])
        // A destination that is a directory is refused before anything is written.
        XCTAssertThrowsError(try OutputFile.write("x", to: out)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }
}
