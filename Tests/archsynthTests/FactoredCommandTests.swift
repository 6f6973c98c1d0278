import Foundation
import XCTest

/// Bases too large to materialize, from the command line: `basis` keeps them factored (and
/// `--factored` asks for that form), `generate layer` emits the factored strategy, and the
/// factors in the JSON reproduce an equivariant W. Dimensions are the hand-written character
/// sums of dicyclic12's quaternion representation (FactoredBasisTests): quaternion^k has
/// ⟨χ^k, χ^k⟩ = (2·16^k + 4·4^k)/12 and ⟨1, χ^k⟩ = (4^k + 2·2^k + 2·(−2)^k + (−4)^k)/12.
final class FactoredCommandTests: XCTestCase {
    func run(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
        try CommandRunner.run(arguments, in: directory)
    }

    func temporaryDirectory() throws -> URL { try temporaryDirectory(prefix: "factored") }

    func testBasisAboveTheEntryLimitIsKeptFactored() throws {
        // quaternion^4: 11008 elements × 256² = 7.2·10⁸ dense entries, above the default 2·10⁸.
        let r = try run(["basis", "dicyclic12", "--in", "quaternion^4", "--out", "quaternion^4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("dimension: 11008\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("biasDimension: 48\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("method: isotypic-schur (kept factored)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("certificate: characters+isotypic ("), r.stdout)
        XCTAssertTrue(r.stdout.contains("instead of 721420288 dense ones"), r.stdout)
        // `verify SPEC` checks a library layer on the same basis (W(θ) formed from the factors).
        let verified = try run(["verify", "dicyclic12", "--in", "quaternion^4", "--out", "quaternion^4"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.hasSuffix("PASS\n"), verified.stdout)
        // Without the fallback's room the factored route names its own limit.
        let small = try run(["basis", "dicyclic12", "--in", "quaternion^4", "--out", "quaternion^4", "--max-factored-dimension", "100"])
        XCTAssertEqual(small.status, 1)
        XCTAssertTrue(small.stderr.contains("--max-factored-dimension"), small.stderr)
        XCTAssertTrue(small.stderr.contains("--max-basis-entries"), small.stderr)
    }

    func testFactoredJSONReproducesAnEquivariantMap() throws {
        // quaternion^2 → quaternion^2 (16 → 16): dim = (2·256 + 4·16)/12 = 48.
        let r = try run(["basis", "dicyclic12", "--in", "quaternion^2", "--out", "quaternion^2", "--factored", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["dimension"] as? Int, 48)
        XCTAssertEqual(object["biasDimension"] as? Int, 4)  // (16 + 8 + 8 + 16)/12
        XCTAssertNil(object["basis"], "a factored basis has no element list")
        XCTAssertTrue((object["certificate"] as? String)?.contains("isotypic") == true)
        let f = try XCTUnwrap(object["factored"] as? [String: Any])
        let pIn = try XCTUnwrap(f["inputChange"] as? [[Double]]), pOut = try XCTUnwrap(f["outputChange"] as? [[Double]])
        let blocks = try XCTUnwrap(f["blocks"] as? [[String: Any]])
        XCTAssertEqual(blocks.reduce(0) { $0 + ($1["inputCopies"] as! Int) * ($1["outputCopies"] as! Int) * ($1["endomorphismDimension"] as! Int) }, 48)
        // W(θ) for θ_t = sin(t + 1), assembled from the JSON alone as the formula there says.
        var z = [[Double]](repeating: [Double](repeating: 0, count: 16), count: pOut[0].count)
        for b in blocks {
            let d = b["irreducibleDimension"] as! Int, e = b["endomorphismDimension"] as! Int
            let mIn = b["inputCopies"] as! Int, mOut = b["outputCopies"] as! Int
            let inOff = b["inputOffset"] as! Int, outOff = b["outputOffset"] as! Int, pOff = b["parameterOffset"] as! Int
            let maps = b["maps"] as! [[[Double]]]
            for j in 0..<mOut { for i in 0..<mIn { for a in 0..<e {
                let theta = sin(Double(pOff + (j * mIn + i) * e + a + 1))
                for r in 0..<d { for s in 0..<d { for c in 0..<16 {
                    z[outOff + j * d + r][c] += theta * maps[a][r][s] * pIn[inOff + i * d + s][c]
                } } }
            } } }
        }
        var w = [[Double]](repeating: [Double](repeating: 0, count: 16), count: 16)
        for r in 0..<16 { for k in 0..<z.count { for c in 0..<16 { w[r][c] += pOut[r][k] * z[k][c] } } }
        // quaternion^2 = H ⊗ H with left multiplication by a = cos(π/3) + sin(π/3)i and x = j
        // (the catalog's description): build ρ(a) ⊗ ρ(a) and ρ(x) ⊗ ρ(x) here and check ρW = Wρ.
        let c = 0.5, s = 3.0.squareRoot() / 2
        let left: [[[Double]]] = [
            [[c, -s, 0, 0], [s, c, 0, 0], [0, 0, c, -s], [0, 0, s, c]],  // (c + s i) · (1, i, j, k)
            [[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]],  // j · (1, i, j, k)
        ]
        var norm = 0.0
        for row in w { for v in row { norm += v * v } }
        XCTAssertGreaterThan(norm, 1)
        for m in left {
            var g = [[Double]](repeating: [Double](repeating: 0, count: 16), count: 16)
            for i in 0..<4 { for j in 0..<4 { for k in 0..<4 { for l in 0..<4 { g[i * 4 + k][j * 4 + l] = m[i][j] * m[k][l] } } } }
            var worst = 0.0
            for r in 0..<16 { for col in 0..<16 {
                var gw = 0.0, wg = 0.0
                for k in 0..<16 { gw += g[r][k] * w[k][col]; wg += w[r][k] * g[k][col] }
                worst = max(worst, abs(gw - wg))
            } }
            XCTAssertLessThan(worst, 1e-10 * norm.squareRoot())
        }
    }

    func testNumPyExportOfAFactoredBasisIsRefused() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("npy").path
        let r = try run(["basis", "dicyclic12", "--in", "quaternion^2", "--out", "quaternion^2", "--factored", "--format", "npy", "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--format json -o FILE"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testGenerateLayerFallsBackToTheFactoredStrategyAndVerifies() throws {
        let dir = try temporaryDirectory()
        // Materialized, this basis would need 11008 × 256² entries; the layer holds P_in, P_out
        // and the Schur maps, and is compiled and checked against the spec's actions (--verify).
        let r = try run(["generate", "layer", "dicyclic12", "--in", "quaternion^4", "--out", "quaternion^4",
                         "--name", "QuaternionFourth", "-o", "Q.swift", "--verify"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("11008 weights, 48 bias parameters"), r.stdout)
        XCTAssertTrue(r.stdout.contains("strategy: factored ("), r.stdout)
        let source = try String(contentsOf: dir.appendingPathComponent("Q.swift"), encoding: .utf8)
        XCTAssertTrue(source.contains("public static let forwardStrategy = \"factored\""))
        // Another strategy cannot be forced on a factored basis; it says which applies.
        let forced = try run(["generate", "layer", "dicyclic12", "--in", "quaternion^4", "--out", "quaternion^4",
                              "--name", "Q", "-o", "Q2.swift", "--strategy", "dense"], in: dir)
        XCTAssertEqual(forced.status, 1)
        XCTAssertTrue(forced.stderr.contains("only the factored strategy applies"), forced.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Q2.swift").path))
    }

    func testNetworkLayersAboveTheEntryLimitAreFactored() throws {
        let dir = try temporaryDirectory()
        // quaternion^2 → quaternion^2 has 48 elements × 256 entries = 12,288 > 1,000: the first layer is
        // factored, the invariant head (16 → 1, 4 × 16 entries) stays materialized; the network is
        // compiled and verified against the spec.
        let r = try run(["generate", "network", "dicyclic12", "--reps", "quaternion^2,quaternion^2,trivial", "--name", "QNet",
                         "-o", "QNet.swift", "--max-basis-entries", "1000", "--verify"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("layer 1: quaternion^2 → quaternion^2, factored;"), r.stdout)
        XCTAssertTrue(r.stdout.contains("layer 2: quaternion^2 → trivial, dense"), r.stdout)
    }
}
