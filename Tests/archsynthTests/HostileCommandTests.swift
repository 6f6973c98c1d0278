import Foundation
import XCTest

/// Issue 12, crashes and odd behaviour on user input, end to end through the built
/// binary: exit codes (64 usage, 1 failure, never a signal), messages that name the
/// offending part, and nothing written on failure.
final class HostileCommandTests: ScratchDirectoryTestCase {
    func testDeepNestingIsAnErrorNotAStackOverflow() throws {
        let parens = String(repeating: "(", count: 10_000) + "natural" + String(repeating: ")", count: 10_000)
        try fails(["basis", "symmetric:5", "--in", parens, "--out", "natural"], mentioning: "nests deeper than 1000 levels")
        let duals = String(repeating: "dual(", count: 10_000) + "natural" + String(repeating: ")", count: 10_000)
        try fails(["basis", "symmetric:5", "--in", "natural", "--out", duals], mentioning: "nests deeper than 1000 levels")
        try fails(["generate", "network", "symmetric:4", "--reps", "natural,\(parens),trivial", "--name", "N", "-o", "N.swift"],
                  mentioning: "nests deeper than 1000 levels")
        let relator = String(repeating: "(", count: 30_000) + "a" + String(repeating: ")", count: 30_000)
        let spec = try write("deep.json", #"{"name": "C", "generators": ["a"], "relators": ["\#(relator)"], "representations": {"t": {"matrix": {"a": [[1]]}}}}"#)
        try fails(["info", spec], mentioning: "deeper than 256 levels")
        // At the bound itself the debug build must not overflow its stack either (issue 18: a relator
        // nested 800 deep, parentheses or commutator brackets, ended in signal 11 in debug).
        let limit = 256
        var commutator = "a"
        for _ in 0..<limit { commutator = "[\(commutator),b]" }
        let parenthesized = String(repeating: "(", count: limit) + "a*b" + String(repeating: ")", count: limit)
        for (name, text) in [("commutators.json", commutator), ("parentheses.json", parenthesized)] {
            let path = try write(name, #"{"name": "X", "generators": ["a", "b"], "relators": ["a^2", "b^2", "(a*b)^3", "\#(text)"], "representations": {"v": {"permutation": {"a": [1, 0, 2], "b": [0, 2, 1]}}}}"#)
            let r = try CommandRunner.run(["info", path], in: directory)
            XCTAssertTrue(r.status == 0 || (r.status == 1 && r.stderr.hasPrefix("error:")), "\(name): exit \(r.status)\n\(r.stderr.prefix(400))")
            let deeper = try write("deeper-" + name, #"{"name": "X", "generators": ["a", "b"], "relators": ["(\#(text))"], "representations": {"v": {"permutation": {"a": [1, 0, 2], "b": [0, 2, 1]}}}}"#)
            try fails(["info", deeper], mentioning: "deeper than 256 levels")
        }
    }

    func testHugeMultiplicitiesAreRefusedOrBuiltWithoutAborting() throws {
        // Once 960 GB for the closed form's change of basis; now tying tables are used.
        let r = try CommandRunner.run(["generate", "network", "symmetric:4", "--reps", "natural,2000*natural,trivial",
                                       "--name", "Wide", "-o", "Wide.swift"], in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        try fails(["basis", "cyclic:6000", "--in", "natural", "--out", "natural"],
                  mentioning: "above the monomial solver's limit of 25000000 index pairs")
        // 1.8·10¹¹ dense entries: kept factored up to 2,048 dimensions (quaternion^5, FactoredCommandTests
        // at quaternion^4); quaternion^6 (4,096) is above that too, and both limits are named.
        try fails(["basis", "dicyclic12", "--in", "quaternion^6", "--out", "quaternion^6"],
                  mentioning: "(limit 200000000, --max-basis-entries N), and keeping it factored failed")
        try fails(["basis", "dicyclic12", "--in", "quaternion^6", "--out", "quaternion^6"],
                  mentioning: "the input representation has dimension 4096, above the limit of 2048 for the factored basis")
    }

    /// Templates and blocks: sizes are checked before anything is allocated (once 1.3 TB for
    /// `--x 100000*natural`, 80 GB for a 100000×100000 swap-inversion input, n² floats for a
    /// 10⁸-point fixed-point grid; `--x 1000*natural` and a 3000-point grid ran for minutes).
    func testTemplateAndBlockSizesAreRefusedBeforeAllocating() throws {
        try fails(["generate", "block", "unrolled-gradient", "symmetric:4", "--x", "100000*natural", "--context", "natural",
                   "--steps", "2", "--name", "B", "-o", "B.swift"], mentioning: "x ⊕ c has dimension 400004, above the unrolled block's limit of 64")
        try fails(["generate", "block", "unrolled-gradient", "symmetric:4", "--x", "1000*natural", "--context", "natural",
                   "--steps", "2", "--name", "B", "-o", "B.swift"], mentioning: "raise the limit with --max-dimension N")
        try fails(["generate", "block", "unrolled-fixed-point", "--grid", "100000000", "--steps", "2", "--name", "F", "-o", "F.swift"],
                  mentioning: "above the fixed-point block's limit of 65536", status: 64)
        try fails(["generate", "block", "unrolled-fixed-point", "--grid", "100000x100000", "--steps", "2", "--name", "F", "-o", "F.swift"],
                  mentioning: "has 10000000000 points", status: 64)
        try fails(["generate", "template", "swap-inversion", "--form", "affine:2", "--input", "100000x100000", "--name", "S", "-o", "S.swift"],
                  mentioning: "above the template's limit of 1048576", status: 64)
        try fails(["generate", "template", "swap-inversion", "--form", "affine:2", "--input", "9223372036854775807x3", "--name", "S", "-o", "S.swift"],
                  mentioning: "values per image", status: 64)
        // A grid above the sweep's size is generated, and the output says the sweep was not made.
        let r = try CommandRunner.run(["generate", "block", "unrolled-fixed-point", "--grid", "3000", "--steps", "10000",
                                       "--name", "F", "-o", "F.swift"], in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("not computed here for 3000 points"), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("F.swift").path))
    }

    /// Template and block arguments found by a hostile pass (2026-12-01): a grid whose side product
    /// overflowed trapped (SIGILL); "8x", empty list entries and network-only flags with the
    /// Lucas–Kanade step were accepted silently; K = 10⁸ steps wrote a block with 5·10⁸
    /// parameters; a bad --seed became 1; --seeds 100000 ran for hours.
    func testTemplateAndBlockArgumentsAreCheckedStrictly() throws {
        let attention = ["generate", "template", "coordinate-attention", "--channels", "2", "--depth", "1", "--name", "T", "-o", "T.swift"]
        try fails(attention + ["--grid", "9999999999x9999999999"], mentioning: "the grid must have 2 … 4096 points", status: 64)
        try fails(attention + ["--grid", "8x"], mentioning: "--grid needs N or HxW", status: 64)
        try fails(attention + ["--grid", "8", "--stencil", "9"], mentioning: "--stencil 9 is wider than the 1×8 grid", status: 64)
        try fails(attention + ["--groups", "cyclic:4,,cyclic:4", "--in", "regular,regular"], mentioning: "two non-empty comma-separated entries", status: 64)
        try fails(["generate", "template", "swap-inversion", "--two-step", "affine:2,,svf:8x8", "--input", "8x8", "--name", "S", "-o", "S.swift"],
                  mentioning: "--two-step takes affine:2,svf:HxW", status: 64)
        // The field's side product overflowed (SIGILL) when compared with the input's size.
        try fails(["generate", "template", "swap-inversion", "--two-step", "affine:2,svf:9999999999x9999999999", "--input", "8x8",
                   "--name", "S", "-o", "S.swift"], mentioning: "--form svf:9999999999x9999999999 needs --input", status: 64)
        for form in ["svf:8xx8", "svf:8xax8", "svf:8x8x8"] {
            try fails(["generate", "template", "swap-inversion", "--form", form, "--input", "8x8", "--name", "S", "-o", "S.swift"],
                      mentioning: "--form must be affine:2", status: 64)
        }
        try fails(["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "100000000",
                   "--name", "B", "-o", "B.swift"], mentioning: "--steps must be between 1 and 10000", status: 64)
        let fixedPoint = ["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "2", "--name", "F", "-o", "F.swift"]
        try fails(fixedPoint + ["--steps", "100000000"], mentioning: "--steps must be between 1 and 10000", status: 64)
        try fails(fixedPoint + ["--step", "lucas-kanade", "--channels", "3"], mentioning: "--channels configure the learned step and go with --step network", status: 64)
        try fails(fixedPoint + ["--seed", "x"], mentioning: "--seed needs a non-negative integer", status: 64)
        try fails(["experiment", "ood", "--seeds", "100000"], mentioning: "--seeds must be between 1 and 100", status: 64)
        // --support with a forced non-convolution strategy was blamed on the representations.
        try fails(["generate", "layer", "cyclic:8", "--in", "regular", "--out", "regular", "--strategy", "tied", "--support", "3",
                   "--name", "T", "-o", "T.swift"], mentioning: "it does not go with --strategy tied", status: 64)
        for name in ["T.swift", "S.swift", "B.swift", "F.swift"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), name)
        }
        // The largest accepted values still generate.
        let ok = try CommandRunner.run(attention + ["--grid", "8", "--stencil", "7"], in: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    func testRelatorFreeMatrixSpecsStopOrFail() throws {
        for (matrix, expected) in [
            ("[[2.5, 0], [0, 0.4]]", "do not generate a finite group"),
            ("[[2]]", "has determinant 2"),
            ("[[1, 1], [0, 1]]", "generate more than 1000 elements"),
            ("[[0.6, -0.8], [0.8, 0.6]]", "generate more than 1000 elements"),
        ] {
            let spec = try write("m.json", #"{"name": "M", "generators": ["a"], "representations": {"m": {"matrix": {"a": \#(matrix)}}}}"#)
            try fails(["info", spec, "--max-elements", "1000"], mentioning: expected)
        }
    }

    func testTypeNamesThatBreakGeneratedCodeAreRefused() throws {
        for name in ["Sendable", "print", "Set", "borrowing", "consuming", "Double", "Foundation", "max", "GeneratedModelVerifier",
                     "UnsafePointer", "actor", "Self", "exp", "SIMD4", "RuntimeRandom", "Graph", "GeneratedLayerKernels"] {
            try fails(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", name, "-o", "L.swift"],
                      mentioning: "invalid type name \"\(name)\"", status: 64)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("L.swift").path))
        let ok = try CommandRunner.run(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural",
                                        "--name", "Printer", "-o", "L.swift"], in: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    func testOutputThroughSymlinksAndNotOverDevices() throws {
        let target = directory.appendingPathComponent("real.swift")
        try "old".write(to: target, atomically: true, encoding: .utf8)
        let link = directory.appendingPathComponent("link.swift")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.swift")
        let r = try CommandRunner.run(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural",
                                       "--name", "Linked", "-o", "link.swift"], in: directory)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The link is still a link; its target got the new file.
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real.swift")
        XCTAssertTrue(try String(contentsOf: target, encoding: .utf8).contains("public struct Linked"))
        // A FIFO (like /dev/null, not a regular file) is refused before anything is computed.
        let fifo = directory.appendingPathComponent("pipe.swift")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        try fails(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", "L", "-o", fifo.path],
                  mentioning: "is a FIFO")
        try fails(["generate", "layer", "symmetric:3", "--in", "natural", "--out", "natural", "--name", "L", "-o", "/dev/null"],
                  mentioning: "/dev/null is a device")
    }

    func testClearMessages() throws {
        let r = try CommandRunner.run(["info", "D4 x D4 x D4 x D4", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"order\": \"4096\""), r.stdout)
        try fails(["info", "/dev/null"], mentioning: "cannot read /dev/null: it is a device, not a regular file; give the path of a JSON spec file")
        // The usage errors are decided before any file is read.
        for t in ["0", "-1", "abc", "nan", "86401"] {
            try fails(["verify", "Missing.swift", "--spec", "cyclic:4", "--in", "regular", "--out", "regular", "--timeout", t],
                      mentioning: "--timeout needs a number of seconds above 0 and at most 86400 (one day), not \"\(t)\"", status: 64)
        }
        try fails(["basis", "cyclic:4", "--in", "99999999999999999999*regular", "--out", "regular"],
                  mentioning: "found the integer 99999999999999999999 at position 0, expected a multiplicity of at most 9 digits")
    }

    func testOddAcceptancesAreDecided() throws {
        func spec(_ order: String) -> String {
            #"{"name": "C2", \#(order)"generators": ["a"], "relators": ["a^2"], "representations": {"t": {"permutation": {"a": [1, 0]}}}}"#
        }
        // "order" as a JSON integer is accepted; with leading zeros it is a typo.
        XCTAssertEqual(try CommandRunner.run(["info", try write("n.json", spec(#""order": 2, "#))]).status, 0)
        try fails(["info", try write("z.json", spec(#""order": "002", "#))], mentioning: "order \"002\" has leading zeros")
        // One byte-order mark is fine, two are refused.
        let bom = "\u{FEFF}"
        XCTAssertEqual(try CommandRunner.run(["info", try write("b1.json", bom + spec(""))]).status, 0)
        try fails(["info", try write("b2.json", bom + bom + spec(""))], mentioning: "two UTF-8 byte-order marks")
        // Invalid UTF-8.
        let bad = directory.appendingPathComponent("bad.json")
        try Data([0x7B, 0xFF, 0xFE, 0x7D]).write(to: bad)
        try fails(["info", bad.path], mentioning: "not UTF-8 text")
        // Family names: lowercase, N digits only.
        try fails(["info", "SYMMETRIC:5"], mentioning: "family names are lowercase: write symmetric:5")
        try fails(["info", "symmetric:+5"], mentioning: "N must be a positive integer written with digits only")
        try fails(["info", "symmetric:05"], mentioning: "N must be a positive integer written with digits only")
        // An empty permutation image is refused like "degree": 0.
        let empty = try write("e.json", #"{"name": "E", "generators": ["r"], "representations": {"p": {"permutation": {"r": []}}}}"#)
        try fails(["info", empty], mentioning: "a permutation acts on at least one point (e.g. [0])")
        // Unknown keys in a config's layers and networks.
        let config = try write("c.archsynth.json", #"{"spec": "symmetric:3", "networks": [{"name": "Net", "reps": ["natural", "natural"], "nonlinearty": "relu"}]}"#)
        try fails(["generate", "from-config", config, "-o", directory.appendingPathComponent("out").path],
                  mentioning: "unknown key \"nonlinearty\" in a network")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }
}
