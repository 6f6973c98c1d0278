import Foundation
import XCTest

/// End-to-end tests of `archsynth basis`: run the built binary, compare output and exit codes
/// (0 success, 64 usage error, 1 failure with the message on stderr).
final class BasisCommandTests: XCTestCase {
    func run(_ arguments: [String]) throws -> CommandResult { try CommandRunner.run(arguments) }

    func temporaryDirectory() throws -> URL { try temporaryDirectory(prefix: "basis") }

    func testTextOutput() throws {
        let r = try run(["basis", "symmetric:4", "--in", "natural", "--out", "natural"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("dimension: 2\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("biasDimension: 1\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("method: monomial-orbits"), r.stdout)
        XCTAssertTrue(r.stdout.contains("characters agree"), r.stdout)
        XCTAssertTrue(r.stdout.contains("certificate: characters+orbits ("), r.stdout)
        XCTAssertTrue(r.stdout.contains("  0 1 1 1\n  1 0 1 1\n  1 1 0 1\n  1 1 1 0\n"), r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testJSONOutput() throws {
        let r = try run(["basis", "hyperoctahedral:2", "--in", "natural", "--out", "natural^2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        // B_2 on R^2 → R^2⊗R^2: ⟨χ, χ²⟩ = (1/8) Σ χ(g)³ = (8 − 8) / 8 = 0 (χ = 2, −2, 0, … ).
        XCTAssertEqual(object["dimension"] as? Int, 0)
        XCTAssertEqual(object["biasDimension"] as? Int, 1)  // δ_ij on R^2 ⊗ R^2
        XCTAssertEqual(object["method"] as? String, "monomial-orbits")
        let check = try XCTUnwrap(object["crossCheck"] as? [String: Any])
        XCTAssertEqual(check["characterDimension"] as? Int, 0)
        XCTAssertEqual(check["exactConstraintCheck"] as? Bool, true)
        // Enumerable (8 elements) and monomial: both certificates.
        XCTAssertEqual(object["certificate"] as? String, "characters+orbits")
        XCTAssertEqual(check["certificates"] as? [String], ["characters", "orbits"])
        let bias = try XCTUnwrap(object["bias"] as? [[[Any]]])
        XCTAssertEqual(bias.count, 1)
        XCTAssertEqual(bias[0].map { $0[0] as? Int }, [0, 3])  // e0⊗e0 + e1⊗e1
        XCTAssertEqual(bias[0].map { $0[2] as? String }, ["1", "1"])

        let s3 = try run(["basis", "symmetric:3", "--in", "natural", "--out", "natural", "--json"])
        let basis = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(s3.stdout.utf8)) as? [String: Any])?["basis"] as? [[[Any]]])
        XCTAssertEqual(basis.count, 2)
        XCTAssertEqual(basis[0].count, 3)  // identity first (first entry (0, 0))
        XCTAssertEqual(basis[1].count, 6)
    }

    /// A relator-free spec with an exact, non-monomial representation: the standard
    /// representation V of S_3 (u1 = e0 − e1, u2 = e1 − e2). V ⊗ V = 1 + sign + V, so
    /// Hom(V, V⊗V) = 1 and V⊗V has one invariant; natural = 1 + V gives Hom(natural + V, V) = 2.
    func testExactRationalSpecThroughTheCommandLine() throws {
        let spec = try temporaryDirectory().appendingPathComponent("s3std.json")
        try Data("""
            {"name": "S3std", "order": "6", "generators": ["s", "c"], "defining": "natural",
             "representations": {
               "natural": {"permutation": {"s": [1, 0, 2], "c": [1, 2, 0]}},
               "standard": {"matrix": {"s": [[-1, 1], [0, 1]], "c": [[0, -1], [1, -1]]}}}}
            """.utf8).write(to: spec)
        let r = try run(["basis", spec.path, "--in", "standard", "--out", "standard^2", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["dimension"] as? Int, 1)
        XCTAssertEqual(object["biasDimension"] as? Int, 1)
        XCTAssertEqual(object["method"] as? String, "exact-elimination")
        XCTAssertEqual(object["exact"] as? Bool, true)
        let bias = try XCTUnwrap(object["bias"] as? [[[Any]]])
        XCTAssertEqual(bias[0].map { $0[2] as? String }, ["1", "1/2", "1/2", "1"])
        let sum = try run(["basis", spec.path, "--in", "natural + standard", "--out", "standard"])
        XCTAssertEqual(sum.status, 0, sum.stderr)
        XCTAssertTrue(sum.stdout.contains("dimension: 2\n"), sum.stdout)
        XCTAssertTrue(sum.stdout.contains("method: direct-sum-blocks(exact-elimination)"), sum.stdout)
        let limited = try run(["basis", spec.path, "--in", "standard^2", "--out", "standard^2", "--max-exact-unknowns", "8"])
        XCTAssertEqual(limited.status, 1)
        XCTAssertTrue(limited.stderr.contains("--max-exact-unknowns"), limited.stderr)
    }

    func testUsageAndFailureExitCodes() throws {
        let missing = try run(["basis", "symmetric:3", "--out", "natural"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("missing --in"), missing.stderr)
        XCTAssertEqual(missing.stdout, "")
        let badFormat = try run(["basis", "symmetric:3", "--in", "natural", "--out", "natural", "--format", "csv", "-o", "x"])
        XCTAssertEqual(badFormat.status, 64)
        let unknown = try run(["basis", "symmetric:3", "--in", "natural", "--out", "nope"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown representation \"nope\""), unknown.stderr)
        XCTAssertEqual(unknown.stdout, "")
    }

    func testNumPyExport() throws {
        let directory = try temporaryDirectory().appendingPathComponent("out")
        let r = try run(["basis", "symmetric:3", "--in", "natural", "--out", "natural^2", "--format", "npy", "-o", directory.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let basis = try Data(contentsOf: directory.appendingPathComponent("basis.npy"))
        let bias = try Data(contentsOf: directory.appendingPathComponent("bias.npy"))
        XCTAssertEqual(Array(basis.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(basis[8]) | Int(basis[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: basis[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.contains("'descr': '<f8'") && header.contains("'shape': (5, 9, 3)"), header)
        XCTAssertEqual(basis.count, 10 + headerLength + 5 * 9 * 3 * 8)
        let biasHeader = String(decoding: bias[10..<(10 + Int(bias[8]) | Int(bias[9]) << 8)], as: UTF8.self)
        XCTAssertTrue(biasHeader.contains("'shape': (2, 9)"), biasHeader)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: directory.path).contains { $0.contains(".tmp") })

        // numpy, when present, reads the files and the basis is equivariant for the swap (0 1).
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import numpy"]
        probe.standardError = Pipe()
        let skip = "python3 with numpy is not available: the .npy files were checked byte by byte above but not loaded by numpy"
        guard (try? probe.run()) != nil else { throw XCTSkip(skip) }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { throw XCTSkip(skip) }
        let script = """
            import numpy as np
            B = np.load("\(directory.path)/basis.npy"); b = np.load("\(directory.path)/bias.npy")
            assert B.shape == (5, 9, 3) and b.shape == (2, 9) and B.dtype == np.float64
            P = np.eye(3)[:, [1, 0, 2]]
            Q = np.kron(P, P)
            assert all(np.allclose(Q @ M, M @ P) for M in B)
            assert all(np.allclose(Q @ v, v) for v in b)
            print("ok")
            """
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", script]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0)
        XCTAssertEqual(text, "ok\n")
    }

    func testExportFailureLeavesNothingOnDisk() throws {
        let directory = try temporaryDirectory().appendingPathComponent("big")
        // C_400 regular: 400 × 400 × 400 = 64 000 000 dense entries, above the 50 000 000 limit.
        let r = try run(["basis", "cyclic:400", "--in", "regular", "--out", "regular", "--format", "npy", "-o", directory.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--format json"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path))

        let file = try temporaryDirectory().appendingPathComponent("basis.json")
        let ok = try run(["basis", "symmetric:3", "--in", "natural", "--out", "natural", "--format", "json", "-o", file.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        XCTAssertEqual(object?["dimension"] as? Int, 2)
    }
}
