import Foundation
import XCTest

/// Seeded fuzzing of `archsynth info` and `basis` (issue 12): mutated catalog specs,
/// deep nesting, huge exponents and sizes, invalid UTF-8 and relator-free infinite
/// matrix groups. Every run must end by itself with the exit status stated for its input
/// (never a signal), in bounded memory (the child runs under `ulimit -v`, so a runaway
/// allocation aborts and fails the test), and every failure must be a one-line `error:`
/// message. Each child gets its own empty order cache (`ARCHSYNTH_CACHE` in the test's
/// folder), so what earlier runs on this machine cached cannot change an outcome.
final class FuzzTests: XCTestCase {
    /// Address-space limit of each child: 3 GB (the binary maps about 0.4 GB).
    static let memoryLimitKB = 3_000_000
    /// A guard against a hang that would otherwise stall CI, not a speed check: CPU seconds
    /// (`ulimit -t`, unaffected by other work on a shared machine), far above what any of these
    /// inputs needs (each ends in about a second).
    static let cpuSecondsLimit = 600

    struct Outcome {
        var exited: Bool
        var status: Int32
        var stderr: String
    }

    /// Runs the CLI under a memory and CPU-time limit with a private order cache.
    func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let quoted = ([CommandRunner.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        process.arguments = ["-c", "ulimit -v \(FuzzTests.memoryLimitKB); ulimit -t \(FuzzTests.cpuSecondsLimit); exec " + quoted.joined(separator: " ")]
        var environment = ProcessInfo.processInfo.environment
        environment["ARCHSYNTH_CACHE"] = directory.appendingPathComponent("cache").path
        process.environment = environment
        let errURL = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? FileManager.default.removeItem(at: errURL) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try err.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Outcome(exited: process.terminationReason == .exit, status: process.terminationStatus, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and checks the outcome: a normal exit with a status in `expected`, and an `error:`
    /// line (no "Fatal error") whenever the status is not 0. Returns the status.
    @discardableResult
    func check(_ arguments: [String], label: String, expected: Set<Int32>, file: StaticString = #filePath, line: UInt = #line) throws -> Int32 {
        let o = try run(arguments)
        XCTAssertTrue(o.exited, "\(label): killed by a signal (status \(o.status)): \(o.stderr.prefix(300))", file: file, line: line)
        XCTAssertTrue(expected.contains(o.status), "\(label): exit \(o.status), expected one of \(expected.sorted()): \(o.stderr.prefix(300))", file: file, line: line)
        if o.status != 0 {
            XCTAssertTrue(o.stderr.hasPrefix("error: "), "\(label): \(o.stderr.prefix(300))", file: file, line: line)
            XCTAssertFalse(o.stderr.contains("Fatal error"), "\(label): \(o.stderr.prefix(300))", file: file, line: line)
        }
        return o.status
    }

    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The shipped catalog (found like the CLI finds it: this checkout's `catalogs/`).
    var catalog: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("catalogs")
    }

    func testMutatedCatalogSpecs() throws {
        var rng = FuzzRNG(seed: 0xF022_2026)
        let small = ["D4", "Q8", "S4", "A4", "A5", "klein4", "dicyclic12", "Oh", "PSL27"]
        let fragments: [[UInt8]] = [
            Array("999999999999999999999".utf8), Array("-1".utf8), Array("1e308".utf8), Array("[]".utf8), Array("{}".utf8),
            Array("\"\"".utf8), Array("null".utf8), Array("^1000000".utf8), Array(String(repeating: "(", count: 2_000).utf8),
            Array(String(repeating: "[", count: 2_000).utf8), [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], Array("0.5".utf8),
            Array("\"(0,1)\"".utf8), Array(",".utf8), Array("\"r\"".utf8), Array("[[2]]".utf8),
        ]
        var statuses: [Int32: Int] = [:]
        for name in small {
            let original = try Data(contentsOf: catalog.appendingPathComponent("\(name).json"))
            for k in 0..<8 {
                var bytes = [UInt8](original)
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(contentsOf: fragments[Int(rng.next() % UInt64(fragments.count))], at: at)
                    case 2:  // replace a digit with a large number
                        if let d = bytes[at...].firstIndex(where: { (0x30...0x39).contains($0) }) {
                            bytes.replaceSubrange(d...d, with: Array("\(rng.next() % 1_000_000_000)".utf8))
                        }
                    default:  // duplicate a chunk
                        let end = min(bytes.count, at + Int(rng.next() % 40))
                        bytes.insert(contentsOf: bytes[at..<end], at: at)
                    }
                }
                let url = directory.appendingPathComponent("\(name)-\(k).json")
                try Data(bytes).write(to: url)
                // The arguments are valid, so never a usage error: 0 when the mutation left a
                // valid group, 1 (a clean error) otherwise.
                statuses[try check(["info", url.path, "--max-elements", "5000", "--max-cosets", "200000"], label: "\(name) mutation \(k)", expected: [0, 1]), default: 0] += 1
            }
        }
        // The seeded mutations reach both outcomes (a fuzzer whose every input fails to parse, or
        // whose every input is harmless, tests nothing).
        XCTAssertEqual(statuses.values.reduce(0, +), small.count * 8)
        XCTAssertGreaterThan(statuses[0, default: 0], 0, "\(statuses)")
        XCTAssertGreaterThan(statuses[1, default: 0], 0, "\(statuses)")
    }

    func testHandWrittenHostileInputs() throws {
        func spec(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let deep = String(repeating: "(", count: 50_000) + "a" + String(repeating: ")", count: 50_000)
        var commutator = "a"
        for _ in 0..<3_000 { commutator = "[\(commutator),b]" }
        let cases: [(String, [String])] = [
            ("deep relator", ["info", try spec("deep.json", #"{"name": "X", "generators": ["a"], "relators": ["\#(deep)"], "representations": {"t": {"matrix": {"a": [[1]]}}}}"#)]),
            ("nested commutators", ["info", try spec("comm.json", #"{"name": "X", "generators": ["a", "b"], "relators": ["\#(commutator)", "a^2", "b^2"], "representations": {"t": {"matrix": {"a": [[1]], "b": [[1]]}}}}"#)]),
            ("huge exponent", ["info", try spec("exp.json", #"{"name": "X", "generators": ["a"], "relators": ["a^1000000"], "representations": {"t": {"matrix": {"a": [[1]]}}}}"#), "--max-cosets", "1000"]),
            ("exponent overflow", ["info", try spec("exp2.json", #"{"name": "X", "generators": ["a"], "relators": ["a^99999999999999999999"], "representations": {"t": {"matrix": {"a": [[1]]}}}}"#)]),
            ("infinite integer matrix", ["info", try spec("m1.json", #"{"name": "X", "generators": ["a"], "representations": {"m": {"matrix": {"a": [[1, 1], [0, 1]]}}}}"#)]),
            ("irrational rotation", ["info", try spec("m2.json", #"{"name": "X", "generators": ["a"], "representations": {"m": {"matrix": {"a": [[0.6, -0.8], [0.8, 0.6]]}}}}"#)]),
            ("growing matrix", ["info", try spec("m3.json", #"{"name": "X", "generators": ["a"], "representations": {"m": {"matrix": {"a": [[2.5, 0], [0, 0.4]]}}}}"#)]),
            ("deep JSON", ["info", try spec("j.json", String(repeating: "[", count: 100_000))]),
            ("huge family", ["info", "symmetric:100000"]),
            ("huge tensor power", ["basis", "symmetric:5", "--in", "natural^64", "--out", "natural"]),
            ("deep expression", ["basis", "symmetric:5", "--in", String(repeating: "sym2(", count: 5_000) + "natural" + String(repeating: ")", count: 5_000), "--out", "natural"]),
            ("huge multiplicity", ["basis", "symmetric:4", "--in", "999999999*natural", "--out", "natural"]),
            ("regular of a big group", ["basis", "symmetric:9", "--in", "regular", "--out", "regular"]),
            ("regular of a big group, factored", ["basis", "symmetric:9", "--in", "regular", "--out", "regular", "--factored"]),
            ("huge tensor power, factored", ["generate", "layer", "dicyclic12", "--in", "quaternion^12", "--out", "quaternion",
                                             "--strategy", "factored", "--name", "T", "-o", directory.appendingPathComponent("T.swift").path]),
        ]
        // Every one of these is a failure (exit 1), never a usage error: the arguments are valid.
        for (label, arguments) in cases {
            try check(arguments, label: label, expected: [1])
        }
        // Invalid UTF-8.
        let bad = directory.appendingPathComponent("bad.json")
        try Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D]).write(to: bad)
        try check(["info", bad.path], label: "invalid UTF-8", expected: [1])
    }
}

/// SplitMix64 for the fuzz seeds (the test target does not import GroupTheory).
struct FuzzRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
