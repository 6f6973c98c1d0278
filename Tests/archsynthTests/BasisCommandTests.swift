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

        // The payloads read as the format defines them (little-endian Float64, C order) are an
        // S_3-equivariant basis: M[(a,b), c] = M[(σa,σb), σc] and v[(a,b)] = v[(σa,σb)] for the
        // generators (0 1) and (0 1 2), and the five matrices are linearly independent (Bell(3) = 5).
        func payload(_ data: Data) -> [Double] {
            let offset = 10 + (Int(data[8]) | Int(data[9]) << 8)
            let bytes = [UInt8](data)
            var values: [Double] = []
            for at in stride(from: offset, to: bytes.count, by: 8) {
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(bytes[at + k]) << UInt64(8 * k) }
                values.append(Double(bitPattern: bits))
            }
            return values
        }
        XCTAssertTrue(header.contains("'fortran_order': False"), header)
        let b = payload(basis), v = payload(bias)
        XCTAssertEqual(b.count, 5 * 27)
        XCTAssertEqual(v.count, 2 * 9)
        for sigma in [[1, 0, 2], [1, 2, 0]] {
            for k in 0..<5 {
                for a in 0..<3 { for c0 in 0..<3 { for c in 0..<3 {
                    let here = b[(k * 9 + a * 3 + c0) * 3 + c], there = b[(k * 9 + sigma[a] * 3 + sigma[c0]) * 3 + sigma[c]]
                    XCTAssertEqual(here, there, accuracy: 1e-12, "basis \(k) under \(sigma)")
                } } }
            }
            for k in 0..<2 { for a in 0..<3 { for c in 0..<3 {
                XCTAssertEqual(v[k * 9 + a * 3 + c], v[k * 9 + sigma[a] * 3 + sigma[c]], accuracy: 1e-12, "bias \(k) under \(sigma)")
            } } }
        }
        // Rank by Gaussian elimination on the five flattened matrices.
        var rows = (0..<5).map { Array(b[($0 * 27)..<($0 * 27 + 27)]) }
        var rank = 0
        for column in 0..<27 where rank < rows.count {
            guard let pivot = (rank..<rows.count).max(by: { abs(rows[$0][column]) < abs(rows[$1][column]) }), abs(rows[pivot][column]) > 1e-9 else { continue }
            rows.swapAt(rank, pivot)
            for r in 0..<rows.count where r != rank {
                let f = rows[r][column] / rows[rank][column]
                for c in 0..<27 { rows[r][c] -= f * rows[rank][c] }
            }
            rank += 1
        }
        XCTAssertEqual(rank, 5)
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
