import Foundation
import XCTest

/// Runs the built `archsynth` binary (it sits beside the test bundle in the build
/// products folder) and captures its exit code, stdout and stderr.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CommandRunner {
    static var executable: URL {
        // On Linux the test runner is itself an executable in the products folder.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        // The bundle may be nested (…/archsynthPackageTests.xctest); walk up until the binary appears.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("archsynth")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("archsynth")
    }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws
        -> CommandResult
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        // Hermetic by default: no presentation-order cache in the home directory.
        env["ARCHSYNTH_CACHE"] = "off"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A test case with a scratch directory (created per test, removed after it) and the checks
/// of a clean failure that the hostile-input tests share.
class ScratchDirectoryTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` to `name` in the scratch directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Runs the CLI and checks it failed cleanly: the exit status, "error: " and every expected
    /// fragment on stderr, nothing on stdout.
    func fails(_ arguments: [String], mentioning expected: [String], status: Int32 = 1, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try CommandRunner.run(arguments, in: directory)
        XCTAssertEqual(r.status, status, "\(arguments.prefix(3)): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr, file: file, line: line)
        for e in expected {
            XCTAssertTrue(r.stderr.contains(e), "expected \"\(e)\" in: \(r.stderr)", file: file, line: line)
        }
        XCTAssertTrue(r.stdout.isEmpty, r.stdout, file: file, line: line)
    }

    func fails(_ arguments: [String], mentioning expected: String, status: Int32 = 1, file: StaticString = #filePath, line: UInt = #line) throws {
        try fails(arguments, mentioning: [expected], status: status, file: file, line: line)
    }
}

extension XCTestCase {
    /// A fresh directory under the system's temporary folder (named `archsynth-PREFIX-UUID`),
    /// removed when the test ends.
    func temporaryDirectory(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
