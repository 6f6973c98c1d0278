import Foundation
import XCTest

/// Commands that write several files check every destination before working and write all of
/// them or none (issue 18 §4); config files are read strictly (§7).
final class OutputAllOrNothingTests: ScratchDirectoryTestCase {
    /// `from-config` whose second output is a directory used to exit 1 after overwriting the first.
    func testFromConfigWritesAllOrNothing() throws {
        let config = try write("two.archsynth.json", #"{ "spec": "symmetric:3", "layers": [{ "name": "A", "in": "natural", "out": "natural" }, { "name": "B", "in": "natural", "out": "natural" }] }"#)
        let out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("B.swift"), withIntermediateDirectories: true)
        let a = try write("out/A.swift", "// an earlier A\n")
        try fails(["generate", "from-config", config, "-o", out.path], mentioning: "B.swift")
        XCTAssertEqual(try String(contentsOfFile: a, encoding: .utf8), "// an earlier A\n", "A.swift must be left as it was")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["A.swift", "B.swift"], "no temporary left")
        // With B.swift free, both are written.
        try FileManager.default.removeItem(at: out.appendingPathComponent("B.swift"))
        let ok = try CommandRunner.run(["generate", "from-config", config, "-o", out.path], in: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(try String(contentsOfFile: a, encoding: .utf8).hasPrefix("// DO NOT EDIT."))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("B.swift").path))
    }

    /// Writes leave nothing in $TMPDIR and no temporary beside the outputs (the generate, basis and
    /// experiment writers all go through OutputFile).
    func testWritesLeaveNothingBehind() throws {
        let tmp = directory.appendingPathComponent("tmpdir"), out = directory.appendingPathComponent("out")
        for d in [tmp, out] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let environment = ["TMPDIR": tmp.path]
        for arguments in [
            ["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", "L", "-o", out.appendingPathComponent("L.swift").path],
            ["basis", "symmetric:3", "--in", "natural", "--out", "natural", "--format", "npy", "-o", out.appendingPathComponent("npy").path],
            ["basis", "symmetric:3", "--in", "natural", "--out", "natural", "--format", "json", "-o", out.appendingPathComponent("basis.json").path],
        ] {
            let r = try CommandRunner.run(arguments, in: directory, environment: environment)
            XCTAssertEqual(r.status, 0, "\(arguments.prefix(2)): \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "a write left something in $TMPDIR")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["L.swift", "basis.json", "npy"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("npy").path).sorted(), ["basis.npy", "bias.npy"])
        // basis.npy: the NPY magic, then for S3 natural → natural its two basis matrices (I and J).
        let npy = try XCTUnwrap(FileManager.default.contents(atPath: out.appendingPathComponent("npy/basis.npy").path))
        XCTAssertEqual(Array(npy.prefix(6)), [0x93] + Array("NUMPY".utf8))
        XCTAssertTrue(String(decoding: npy.prefix(128), as: UTF8.self).contains("'shape': (2, 3, 3)"))
    }

    /// A config that is not UTF-8, or whose "nonlinearity" is not a string, is refused.
    func testFromConfigReadsStrictly() throws {
        let bad = directory.appendingPathComponent("bad.archsynth.json")
        try Data(#"{ "spec": "symmetric:3", "layers": [{ "name": "A\#u{FF}", "in": "natural", "out": "natural" }] }"#.utf8.map { $0 == 0xC3 ? 0xFF : $0 }).write(to: bad)
        try fails(["generate", "from-config", bad.path, "-o", directory.appendingPathComponent("o").path], mentioning: "not valid UTF-8")
        let number = try write("n.archsynth.json", #"{ "spec": "symmetric:3", "networks": [{ "name": "N", "reps": ["natural", "trivial"], "nonlinearity": 5 }] }"#)
        try fails(["generate", "from-config", number, "-o", directory.appendingPathComponent("o").path], mentioning: ["\"nonlinearity\" must be a string", "a number"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("o").path))
    }

    /// `experiment -o DIR` where DIR/NAME.md is a directory used to run the whole experiment, fail,
    /// and replace NAME.svg; `-o ""` ran first and then failed with a raw Foundation error.
    func testExperimentChecksItsOutputsFirst() throws {
        let out = directory.appendingPathComponent("exp")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("name-swap.md"), withIntermediateDirectories: true)
        let svg = try write("exp/name-swap.svg", "<svg/>\n")
        try fails(["experiment", "name-swap", "--quick", "--seeds", "1", "-o", out.path], mentioning: "name-swap.md")
        XCTAssertEqual(try String(contentsOfFile: svg, encoding: .utf8), "<svg/>\n", "the plot must be left as it was")
        try fails(["experiment", "name-swap", "--quick", "-o", ""], mentioning: "-o needs a directory", status: 64)
    }
}
