import Foundation
import XCTest

/// `generate template|block` refuses, before writing anything and within a second or two, what
/// would not compile or verify on a 2-core, 24 GB machine (issue 18 §3): each refusal names the
/// limit and the flag that raises it (exit 1), and raising the flag lets a small case through.
/// Every command here crashed (exit 134), ran for minutes or wrote an uncompilable file before.
final class GenerationLimitsCommandTests: ScratchDirectoryTestCase {
    func testOversizedModelsAreRefusedNamingTheFlag() throws {
        let cases: [(String, [String], String)] = [
            ("correspondence on 4 million points (was exit 134, 7.9 GB)",
             ["generate", "template", "coordinate-attention", "--groups", "cyclic:1000,cyclic:2", "--in", "4000*regular,regular", "--channels", "1", "--depth", "1"],
             "--max-constants"),
            ("127 GB of parameters", ["generate", "template", "coordinate-attention", "--grid", "64x64", "--channels", "256", "--depth", "32", "--refine", "32", "--stencil", "63"],
             "--max-parameters"),
            ("two 17 GB runtime tables", ["generate", "block", "unrolled-fixed-point", "--grid", "65536", "--steps", "1"], "--max-table-entries"),
            ("1024 unrolled copies of 1024² tables (was exit 134)",
             ["generate", "block", "unrolled-fixed-point", "--grid", "1024", "--steps", "1024", "--step", "network"],
             "--max-table-entries"),
            ("3.7 GB and a 558 MB file", ["generate", "template", "swap-inversion", "--form", "rigid:3", "--input", "390000"], "--max-parameters"),
            ("five 170*regular hidden layers (83 s, 5.6 GB, a 1.4 GB file)",
             ["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "2",
              "--energy", "network:170*regular,170*regular,170*regular,170*regular,170*regular,trivial"],
             "--max-constants"),
        ]
        for (label, arguments, flag) in cases {
            try fails(arguments + ["--name", "T", "-o", "T.swift"], mentioning: [flag, "above the limit"])
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("T.swift").path), label)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [], "nothing written")
    }

    /// The flags raise (and lower) the limits: a small template passes by default and is refused
    /// below its size, naming the count.
    func testTheFlagsMoveTheLimits() throws {
        let base = ["generate", "template", "coordinate-attention", "--grid", "4", "--channels", "2", "--depth", "1", "--name", "T", "-o", "T.swift"]
        // (1·2·3 + 2) = 8 parameters.
        try fails(base + ["--max-parameters", "7"], mentioning: ["8 learnable parameters", "--max-parameters"])
        let ok = try CommandRunner.run(base + ["--max-parameters", "8", "--json"], in: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["parameters"] as? Int, 8)
        XCTAssertEqual(object?["file"] as? String, "T.swift")
        try fails(["generate", "block", "unrolled-fixed-point", "--grid", "64", "--steps", "1", "--max-table-entries", "4095", "--name", "F", "-o", "F.swift"],
                  mentioning: ["4096 entries", "--max-table-entries"])
    }

    /// Found by scripts/hostile-pass.py: `sym2` nested 50 deep squares the dimension 50 times, and
    /// its exact value (2^(2^50) bits) was being computed — every command that reads an expression
    /// hung past 120 s. The bit width is bounded first and the expression refused at once.
    func testDoublyExponentialDimensionsAreRefusedAtOnce() throws {
        let nested = String(repeating: "sym2(", count: 50) + "natural" + String(repeating: ")", count: 50)
        try fails(["basis", "symmetric:3", "--in", nested, "--out", "natural"], mentioning: ["dimension above 2^4096", "--max-rep-dimension"])
        try fails(["generate", "layer", "dihedral:5", "--in", "natural", "--out", nested, "--name", "L", "-o", "L.swift"],
                  mentioning: ["dimension above 2^4096", "--max-rep-dimension"])
        // Below the bound the exact dimension is still named: sym2 of natural^64 of S3, n(n + 1)/2 for n = 3^64 (it was quoted as n²).
        try fails(["basis", "symmetric:3", "--in", "sym2(natural^64)", "--out", "natural"], mentioning: ["--max-rep-dimension", "dimension 5895092288869291585760436430707976174749252052380249479093121,"])
    }

    /// Temperatures that overflow the softmax are usage errors with the accepted range.
    func testAbsurdTemperaturesAreRefused() throws {
        for t in ["5e-324", "1e-9", "1e300", "inf", "nan", "-1"] {
            try fails(["generate", "template", "coordinate-attention", "--grid", "4", "--channels", "2", "--depth", "1", "--temperature", t, "--name", "T", "-o", "T.swift"],
                      mentioning: ["--temperature", "0.0001", "10000"], status: 64)
        }
    }
}
