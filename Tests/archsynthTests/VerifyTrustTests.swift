import Foundation
import XCTest

/// `archsynth verify FILE` trusts nothing in the file (issue 18 §2–§4): each test generates a
/// real file, edits it as an attacker would, and checks that verify exits non-zero naming the
/// problem; the unedited file is the positive control.
final class VerifyTrustTests: ScratchDirectoryTestCase {
    /// Generates a file with `arguments` (the `-o` path is added) and returns its text.
    func generate(_ arguments: [String], name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        let r = try CommandRunner.run(arguments + ["-o", path], in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// `text` with `old` replaced by `new` (which must occur).
    func edited(_ text: String, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertTrue(text.contains(old), "the generated file no longer contains \"\(old)\"", file: file, line: line)
        return text.replacingOccurrences(of: old, with: new)
    }

    func verify(_ name: String, _ text: String, _ extra: [String] = []) throws -> CommandResult {
        let path = try write(name, text)
        return try CommandRunner.run(["verify", path] + extra, in: directory)
    }

    /// The fixed-point block: the positive control, then a raised threshold, a law cut down to
    /// the identity, a shadowed `print` hiding a broken forward, a broken type left out of the
    /// `// Type:` lines, a forward that returns zeros, a forward that never returns, and one that
    /// allocates past the memory limit.
    func testTamperedFixedPointBlockFails() throws {
        let original = try generate(["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "2", "--name", "Aligner"], name: "Aligner.swift")
        let ok = try verify("Aligner.swift", original)
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("PASS"), ok.stdout)

        let law = "[(UnrolledFixedPoint.diagonalLaw(count: 8, shifts: Array(0..<8)), 1e-10)]"
        let raised = try verify("Raised.swift", edited(original, law, "[(UnrolledFixedPoint.diagonalLaw(count: 8, shifts: Array(0..<8)), 1e10)]"))
        XCTAssertEqual(raised.status, 1, raised.stderr)
        XCTAssertTrue(raised.stderr.contains("threshold 1e+10") || raised.stderr.contains("threshold 10000000000"), raised.stderr)

        let shrunk = try verify("Shrunk.swift", edited(original, law, "[(UnrolledFixedPoint.diagonalLaw(count: 8, shifts: [0]), 1e-10)]"))
        XCTAssertEqual(shrunk.status, 1, shrunk.stderr)
        XCTAssertTrue(shrunk.stderr.contains("over 1 elements"), shrunk.stderr)

        // A forward that breaks the law, and a file-level `print` that zeroes every reported error.
        let forward = "public func forward(_ inputs: [[Double]]) -> [Double] { [Self.block.shift(inputs[0], inputs[1])] }"
        let broken = "public func forward(_ inputs: [[Double]]) -> [Double] { [Self.block.shift(inputs[0], inputs[1]) + 0.25 * inputs[0][0]] }"
        let shadow = """

            func print(_ items: Any..., separator: String = " ", terminator: String = "\\n") {
                var f = "\\(items[0])".split(separator: "\\t", omittingEmptySubsequences: false).map(String.init)
                if f.count == 9 { f[6] = "0.0" }
                Swift.print(f.joined(separator: "\\t"), terminator: terminator)
            }

            """
        let printed = try verify("Printed.swift", edited(original, forward, broken) + shadow)
        XCTAssertEqual(printed.status, 1, printed.stdout + printed.stderr)
        XCTAssertTrue(printed.stdout.contains("FAIL"), printed.stdout)
        XCTAssertTrue(printed.stderr.contains("a law check failed"), printed.stderr)

        // A second, broken LawfulModel that no `// Type:` line names.
        let hidden = """

            struct Hidden: LawfulModel {
                static let kind = "unrolled-fixed-point"
                static let inputSizes = [8, 8]
                static let outputSize = 1
                static let parameterCount = 0
                static var laws: [(law: Law, threshold: Double)] { [(UnrolledFixedPoint.diagonalLaw(count: 8, shifts: Array(0..<8)), 1e-10)] }
                var parameters: [Double] = []
                init(seed: UInt64) {}
                func forward(_ inputs: [[Double]]) -> [Double] { [inputs[0][0] - inputs[1][1]] }
            }

            """
        let hid = try verify("Hidden.swift", original + hidden)
        XCTAssertEqual(hid.status, 1, hid.stdout + hid.stderr)
        XCTAssertTrue(hid.stdout.contains("verify Hidden.swift (Hidden)"), hid.stdout)
        XCTAssertTrue(hid.stdout.contains("FAIL"), hid.stdout)

        let zeros = try verify("Zeros.swift", edited(original, forward, "public func forward(_ inputs: [[Double]]) -> [Double] { [0] }"))
        XCTAssertEqual(zeros.status, 1, zeros.stdout + zeros.stderr)
        XCTAssertTrue(zeros.stdout.contains("DEGENERATE"), zeros.stdout)
        XCTAssertTrue(zeros.stderr.contains("degenerate model"), zeros.stderr)

        let hang = try verify(
            "Hang.swift",
            edited(original, forward, "public func forward(_ inputs: [[Double]]) -> [Double] { var k = 0; while k >= 0 || inputs.isEmpty { k = (k &+ 1) & 0xFFFF }; return [Double(k)] }"),
            ["--timeout", "3"])
        XCTAssertEqual(hang.status, 1, hang.stderr)
        XCTAssertTrue(hang.stderr.contains("did not finish within 3 s") && hang.stderr.contains("--timeout"), hang.stderr)

        // 16 GB in one array, under a 512 MB address-space limit: a clear error naming the flag.
        let memory = try verify(
            "Memory.swift",
            edited(original, forward, "public func forward(_ inputs: [[Double]]) -> [Double] { let big = [Double](repeating: inputs[0][0], count: 1 << 31); return [big[Int(inputs[1][0].magnitude) % 7]] }"),
            ["--memory-limit", "512"])
        XCTAssertEqual(memory.status, 1, memory.stderr)
        XCTAssertTrue(memory.stderr.contains("the limit is 512 MB (--memory-limit MB)"), String(memory.stderr.prefix(800)))
    }

    /// `--spec` for a file whose law does not come from a spec is an error, and for a block it
    /// must be the spec the header records; both are refused before anything is compiled.
    func testSpecMustMatchTheHeader() throws {
        let swap = try generate(
            ["generate", "template", "swap-inversion", "--form", "rigid:2", "--input", "4", "--hidden", "2", "--name", "Pair"], name: "Pair.swift")
        let r = try verify("Pair.swift", swap, ["--spec", "no_such_group", "--in", "bogus", "--out", "bogus"])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("--in, --out and --reps do not apply"), r.stderr)
        let s = try verify("Pair.swift", swap, ["--spec", "no_such_group"])
        XCTAssertEqual(s.status, 1, s.stderr)
        XCTAssertTrue(s.stderr.contains("--spec no_such_group does not apply to a swap-inversion file"), s.stderr)

        let block = try generate(
            ["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "2", "--name", "Denoise"],
            name: "Denoise.swift")
        let other = try verify("Denoise.swift", block, ["--spec", "symmetric:4"])
        XCTAssertEqual(other.status, 1, other.stderr)
        XCTAssertTrue(other.stderr.contains("--spec symmetric:4 is not the spec this file was generated from (the header records symmetric:3)"), other.stderr)
    }

    /// A 256×256 fixed-point block would take hours to check (about 20 s per forward pass):
    /// `generate` refuses it by default (its runtime tables are above --max-table-entries); generated
    /// with that limit raised, verify refuses it at once, naming its own limit and flag.
    func testLargeFixedPointGridIsRefusedWithTheFlag() throws {
        let big = try generate(["generate", "block", "unrolled-fixed-point", "--grid", "256x256", "--steps", "1", "--name", "Big", "--max-table-entries", "5000000000"], name: "Big.swift")
        let r = try verify("Big.swift", big)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("65536 points, above verify's limit of 4096") && r.stderr.contains("--max-grid-points N"), r.stderr)
    }

    /// SIGTERM to archsynth while the harness runs ends the harness (its own process group) and
    /// removes the temporary folder.
    func testSigtermEndsTheHarnessAndRemovesItsFolder() throws {
        let original = try generate(["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "2", "--name", "Aligner"], name: "Aligner.swift")
        let hang = edited(
            original, "public func forward(_ inputs: [[Double]]) -> [Double] { [Self.block.shift(inputs[0], inputs[1])] }",
            "public func forward(_ inputs: [[Double]]) -> [Double] { var k = 0; while k >= 0 || inputs.isEmpty { k = (k &+ 1) & 0xFFFF }; return [Double(k)] }")
        let path = try write("Hang.swift", hang)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["verify", path]
        process.environment = ProcessInfo.processInfo.environment.merging(["ARCHSYNTH_CACHE": "off"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The harness: a child of archsynth whose program is the compiled `verify`.
        func harness() -> (pid: Int32, folder: String)? {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 2, Int32(fields[1]) == process.processIdentifier,
                      let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"), exe.hasSuffix("/verify"),
                      let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { continue }
                return (pid, cwd)
            }
            return nil
        }
        var found: (pid: Int32, folder: String)?
        let deadline = Date().addingTimeInterval(600)
        while found == nil, process.isRunning, Date() < deadline {
            usleep(100_000)
            found = harness()
        }
        let child = try XCTUnwrap(found, "the harness never started")
        XCTAssertTrue(child.folder.contains("archsynth-verify-"), child.folder)
        usleep(300_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 128 + SIGTERM)
        // Gone, or a zombie waiting for a reaper: not running.
        let state = (try? String(contentsOfFile: "/proc/\(child.pid)/stat", encoding: .utf8)).flatMap { s in
            s.lastIndex(of: ")").map { s[s.index($0, offsetBy: 2)] }
        }
        XCTAssertTrue(state == nil || state == "Z", "the harness \(child.pid) is still running (state \(state.map(String.init) ?? "?"))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: child.folder), child.folder)
    }

    /// A newline in `-o` must not start a line of code in the header (swap-inversion printed its
    /// command raw).
    func testNewlineInOutputPathDoesNotInjectCode() throws {
        let name = "Pair\npublic let injected = 1\n.swift"
        let text = try generate(
            ["generate", "template", "swap-inversion", "--form", "rigid:2", "--input", "4", "--hidden", "2", "--name", "Pair"], name: name)
        XCTAssertFalse(text.contains("\npublic let injected"), String(text.prefix(600)))
        let header = text.split(separator: "\n").prefix { !$0.hasPrefix("import ") }
        XCTAssertTrue(header.allSatisfy { $0.hasPrefix("//") }, "\(header)")
    }

    /// A layer file with a second, broken layer type that is not `public` (so no `public struct`
    /// line names it) and a file-level `print` that zeroes every reported error: the compiler
    /// finds the hidden type and the harness's output cannot be rewritten.
    func testHiddenLayerTypeAndShadowedPrintFail() throws {
        let original = try generate(["generate", "layer", "D4", "--in", "vertices", "--out", "vertices", "--name", "VL"], name: "VL.swift")
        let tampered = original + """

            struct HiddenLayer {
                static let generatorNames = VL.generatorNames
                static let groupOrder = VL.groupOrder
                static let inputDimension = VL.inputDimension
                static let outputDimension = VL.outputDimension
                static let weightCount = 0
                static let biasCount = 0
                static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { VL.actOnInput(generator: g, x) }
                static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { VL.actOnOutput(generator: g, y) }
                init(weights: [Float], bias: [Float]) {}
                func forward(_ x: [Float]) -> [Float] { x.indices.map { Float($0) * x[0] } }
                func forward(_ x: [Double]) -> [Double] { x.indices.map { Double($0) * x[0] } }
            }

            func print(_ items: Any..., separator: String = " ", terminator: String = "\\n") {
                var f = "\\(items[0])".split(separator: "\\t", omittingEmptySubsequences: false).map(String.init)
                if f.count == 6 { f[4] = "0.0"; f[5] = "0.0" }
                Swift.print(f.joined(separator: "\\t"), terminator: terminator)
            }

            """
        let r = try verify("Tampered.swift", tampered, ["--spec", "D4", "--in", "vertices", "--out", "vertices"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("verify Tampered.swift (HiddenLayer)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("FAIL"), r.stdout)
    }

    /// A factored layer whose output change of basis P_out is zeroed outputs only its bias:
    /// it obeys the law trivially and must be reported as degenerate. (This small layer runs as
    /// one product with W = P_out K P_in, fewer operations than the factor products, so P_out is
    /// zeroed where W is formed.)
    func testFactoredLayerWithZeroedOutputIsDegenerate() throws {
        let original = try generate(
            ["generate", "layer", "D4", "--in", "vertices", "--out", "vertices", "--strategy", "factored", "--name", "FL"], name: "FL.swift")
        let zeroed = try verify(
            "Zeroed.swift", edited(original, "+= factorOutput[r * rOut + a] * k[a * rIn + b]", "+= 0 * factorOutput[r * rOut + a] * k[a * rIn + b]"),
            ["--spec", "D4", "--in", "vertices", "--out", "vertices"])
        XCTAssertEqual(zeroed.status, 1, zeroed.stdout + zeroed.stderr)
        XCTAssertTrue(zeroed.stdout.contains("DEGENERATE"), zeroed.stdout)
        XCTAssertTrue(zeroed.stderr.contains("degenerate model"), zeroed.stderr)
    }
}
