import Foundation
import XCTest

/// `archsynth generate network wallpaper:…|space:… --reps …`: a G-CNN of steerable lattice
/// convolutions (issue 21) instead of dense layers on the whole field representation; `verify
/// --spec --reps` checks it over every translation × point element and fails a copy with one
/// kernel basis value changed; bad reps are refused with exit 64 and nothing written.
final class GenerateLatticeNetworkCommandTests: XCTestCase {
    func testLatticeNetworkIsSmallVerifiesAndBadInputsAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-latnet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reps = "field(trivial),2*field(regular),trivial"
        let ok = try CommandRunner.run(["generate", "network", "wallpaper:p4:8x8", "--reps", reps, "--name", "N", "-o", "N.swift", "--json"], in: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("\"strategies\": [\"lattice-convolution\", \"invariant-pooling\"]"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("\"weightCount\": 20"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("\"invariant\": true"), ok.stdout)
        let source = try String(contentsOf: dir.appendingPathComponent("N.swift"), encoding: .utf8)
        // The dense path wrote 19 MB for this spec; the G-CNN is a few hundred lines.
        XCTAssertLessThan(source.split(separator: "\n", omittingEmptySubsequences: false).count, 500)
        XCTAssertLessThan(source.utf8.count, 64_000)
        XCTAssertTrue(source.contains("public struct N: GeneratedNetwork, GeneratedEquivariantModel"))
        XCTAssertTrue(source.contains("SteerableLatticeConvolution("))

        // verify against the spec's field types (every translation × point element: 256).
        let verified = try CommandRunner.run(["verify", "N.swift", "--spec", "wallpaper:p4:8x8", "--reps", reps, "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertTrue(verified.stdout.contains("all 256 elements"), verified.stdout)
        XCTAssertTrue(verified.stdout.contains("PASS"), verified.stdout)
        // Without --spec, the field types are rebuilt from the header's spec and representations.
        let fromHeader = try CommandRunner.run(["verify", "N.swift", "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(fromHeader.status, 0, fromHeader.stdout + fromHeader.stderr)
        XCTAssertTrue(fromHeader.stdout.contains("(invariant output)") || fromHeader.stdout.contains("wallpaper:p4:8x8"), fromHeader.stdout)
        // One value of the lifting kernel basis changed: no longer constant on an orbit of the
        // point group, so some rotation fails.
        var mutated = source
        let marker = "static let basisValue: [Double] = ["
        let start = try XCTUnwrap(mutated.range(of: marker))
        let firstOne = try XCTUnwrap(mutated.range(of: "1,", range: start.upperBound..<mutated.endIndex))
        mutated.replaceSubrange(firstOne, with: "2,")
        try mutated.write(to: dir.appendingPathComponent("Mutated.swift"), atomically: true, encoding: .utf8)
        let failed = try CommandRunner.run(["verify", "Mutated.swift", "--spec", "wallpaper:p4:8x8", "--reps", reps, "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(failed.status, 1, failed.stdout + failed.stderr)
        XCTAssertTrue(failed.stdout.contains("FAIL"), failed.stdout)

        for (args, expected) in [
            (["wallpaper:p4:8x8", "--reps", "field(trivial),natural,trivial"], "c*field"),
            (["wallpaper:p4m:8x8", "--reps", "field(trivial),field(point),trivial"], "no invariant component"),
            (["wallpaper:p6m:6x6", "--reps", "field(trivial),field(point),trivial"], "not a signed permutation representation"),
            (["wallpaper:p4m:8x8", "--reps", "field(trivial),field(point),field(trivial)", "--nonlinearity", "relu"], "negates components"),
            (["wallpaper:p4:8x8", "--reps", reps, "--support", "4"], "odd width"),
            (["wallpaper:p4:8x8", "--reps", reps, "--support", "9"], "wider than the grid"),
            (["wallpaper:p4:8x8", "--reps", "field(trivial),trivial"], "at least one convolution"),
            (["wallpaper:p4:8x8", "--reps", reps, "--nonlinearity", "elu"], "not a lattice nonlinearity"),
            (["wallpaper:p6:6x6", "--reps", "field(trivial),field(point),field(point)", "--nonlinearity", "relu"], "mixes its components"),
            (["wallpaper:p4:8x8", "--reps", "field(trivial),field(regular),field(regular),trivial", "--nonlinearity", "relu,gated,relu"], "lists 3 values"),
        ] {
            let refused = try CommandRunner.run(["generate", "network"] + args + ["--name", "R", "-o", "R.swift"], in: dir)
            XCTAssertEqual(refused.status, 64, "\(args): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains(expected), "\(args): \(refused.stderr)")
        }
        // Above the families' grid limit.
        let big = try CommandRunner.run(["generate", "network", "wallpaper:p4:256x256", "--reps", reps, "--name", "R", "-o", "R.swift"], in: dir)
        XCTAssertNotEqual(big.status, 0, big.stderr)
        XCTAssertTrue(big.stderr.contains("grid points"), big.stderr)
        // Sizes: the largest multiplicity the parser takes crashed on an Int overflow (exit 132);
        // now each representation's dimension and the parameter count are checked first (exit 1,
        // naming the flag), and the flags move the limits.
        for (r, expected, status) in [
            ("field(trivial),999999999*field(regular),999999999*field(regular),trivial", "above the limit of 4000000", Int32(64)),
            ("field(trivial),800*field(regular),800*field(regular),trivial", "46089601 learnable parameters", Int32(1)),
        ] {
            let refused = try CommandRunner.run(["generate", "network", "wallpaper:p4m:8x8", "--reps", r, "--name", "R", "-o", "R.swift"], in: dir)
            XCTAssertEqual(refused.status, status, refused.stderr)
            XCTAssertTrue(refused.stderr.contains(expected) && refused.stderr.contains("--max-"), refused.stderr)
        }
        for arguments in [
            ["basis", "wallpaper:p4m:8x8", "--in", "999999999*field(regular)", "--out", "999999999*field(regular)", "--support", "3"],
            ["generate", "layer", "wallpaper:p4m:8x8", "--in", "999999999*field(regular)", "--out", "field(regular)", "--support", "3", "--name", "R", "-o", "R.swift"],
        ] {
            let refused = try CommandRunner.run(arguments, in: dir)
            XCTAssertTrue([1, 64].contains(refused.status), "\(arguments): exit \(refused.status) (was 132, an Int overflow)\n\(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("above the limit of 4000000") && refused.stderr.contains("--max-rep-dimension"), refused.stderr)
        }
        let raised = try CommandRunner.run(
            ["generate", "network", "wallpaper:p4m:8x8", "--reps", "field(trivial),8*field(regular),trivial", "--max-parameters", "10", "--name", "R", "-o", "R.swift"], in: dir)
        XCTAssertEqual(raised.status, 1, raised.stderr)
        XCTAssertTrue(raised.stderr.contains("--max-parameters"), raised.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("R.swift").path))
    }

    /// `--nonlinearity` on a lattice spec, one per hidden layer: norm ReLU on p6's (non-orthogonal)
    /// point field, gated point fields and ReLU on a regular field; the JSON reports them and the
    /// norm biases, and `verify --spec` passes the file over all 216 elements.
    func testNormAndGatedNonlinearitiesPerLayer() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-latnl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reps = "field(trivial),2*field(point),2*field(point),field(regular),trivial"
        let ok = try CommandRunner.run(
            ["generate", "network", "wallpaper:p6:6x6", "--reps", reps, "--nonlinearity", "norm-relu,gated,relu", "--name", "Hex", "-o", "Hex.swift", "--json"], in: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("\"gateCount\": 2"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("norm ReLU") && ok.stdout.contains("gated (v, γ)") && ok.stdout.contains("pointwise ReLU"), ok.stdout)
        let verified = try CommandRunner.run(["verify", "Hex.swift", "--spec", "wallpaper:p6:6x6", "--reps", reps, "--optimization", "-Onone"], in: dir)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertTrue(verified.stdout.contains("all 216 elements") && verified.stdout.contains("PASS"), verified.stdout)
    }

    /// `pool(2)` on the hexagonal p6 (docs/lattice-networks.md): the symmetrized block mean about
    /// the origin, `verify` over all 36 × 6 coarse elements with `--spec` and from the header, and
    /// a coarse side below 3 refused with exit 64 and nothing written.
    func testHexagonalStridedPooling() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-gen-hexpool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reps = "field(trivial),field(regular),pool(2),field(regular),trivial"
        let ok = try CommandRunner.run(["generate", "network", "wallpaper:p6:12x12", "--reps", reps, "--name", "HexPool", "-o", "HexPool.swift"], in: dir)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("pool(2), point-group-symmetrized block means 12x12 → 6x6"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("strided: equivariant to translations by 2 and the point group about the origin (output grid 6x6)"), ok.stdout)
        for args in [["--spec", "wallpaper:p6:12x12", "--reps", reps], []] {
            let verified = try CommandRunner.run(["verify", "HexPool.swift"] + args + ["--optimization", "-Onone"], in: dir)
            XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
            XCTAssertTrue(verified.stdout.contains("all 216 elements") && verified.stdout.contains("PASS"), verified.stdout)
        }
        let refused = try CommandRunner.run(
            ["generate", "network", "wallpaper:p6:8x8", "--reps", "field(trivial),field(regular),pool(4),field(regular),trivial", "--name", "R", "-o", "R.swift"], in: dir)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("gives the grid wallpaper:p6:2x2") && refused.stderr.contains("at least 3"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("R.swift").path))
    }

    /// `generate from-config` takes the same path for networks on a lattice spec, and its
    /// `--verify` checks them over every translation × point element.
    func testFromConfigLatticeNetwork() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("archsynth-cfg-latnet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            { "spec": "wallpaper:p4:6x6", "networks": [{ "name": "CfgNet", "reps": ["field(trivial)", "2*field(regular)", "trivial"], "support": 3 }] }
            """.write(to: dir.appendingPathComponent("net.archsynth.json"), atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["generate", "from-config", "net.archsynth.json", "-o", "out", "--verify"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("all 144 elements") && r.stderr.contains("PASS"), r.stderr)
        let source = try String(contentsOf: dir.appendingPathComponent("out/CfgNet.swift"), encoding: .utf8)
        XCTAssertTrue(source.contains("SteerableLatticeConvolution("))
        XCTAssertLessThan(source.split(separator: "\n").count, 500)
        try """
            { "spec": "wallpaper:p4:6x6", "networks": [{ "name": "Bad", "reps": ["field(trivial)", "natural", "trivial"] }] }
            """.write(to: dir.appendingPathComponent("bad.archsynth.json"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["generate", "from-config", "bad.archsynth.json", "-o", "bad"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("c*field"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad/Bad.swift").path))
        // The size checks of `generate network` hold here too (this crashed on an Int overflow).
        try """
            { "spec": "wallpaper:p4m:8x8", "networks": [{ "name": "Huge", "reps": ["field(trivial)", "999999999*field(regular)", "999999999*field(regular)", "trivial"] }] }
            """.write(to: dir.appendingPathComponent("huge.archsynth.json"), atomically: true, encoding: .utf8)
        let huge = try CommandRunner.run(["generate", "from-config", "huge.archsynth.json", "-o", "huge"], in: dir)
        XCTAssertEqual(huge.status, 1, huge.stderr)
        XCTAssertTrue(huge.stderr.contains("above the limit of 4000000"), huge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("huge/Huge.swift").path))
    }
}
