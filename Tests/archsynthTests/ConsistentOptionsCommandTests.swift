import Foundation
import XCTest

/// The template and block commands agree on exit codes and options (issue 18 §7): a range error
/// seen from the arguments is a usage error (64) in every command, a problem found while
/// computing is a failure (1); every limit an error names is accepted by the command that hit it;
/// `--json` works on every template and block command.
final class ConsistentOptionsCommandTests: ScratchDirectoryTestCase {
    func testRangeErrorsAreUsageErrorsEverywhere() throws {
        let ca = ["generate", "template", "coordinate-attention", "--name", "T", "-o", "T.swift"]
        let fp = ["generate", "block", "unrolled-fixed-point", "--name", "T", "-o", "T.swift"]
        // The learned fixed-point step's ranges exited 1 while the same ranges elsewhere exit 64.
        try fails(fp + ["--grid", "16", "--steps", "2", "--step", "network", "--channels", "65"], mentioning: "--channels", status: 64)
        try fails(fp + ["--grid", "2000", "--steps", "2", "--step", "network"], mentioning: "--grid", status: 64)
        try fails(fp + ["--grid", "16", "--steps", "2", "--step", "network", "--stencil", "17"], mentioning: "--stencil", status: 64)
        try fails(ca + ["--grid", "4", "--channels", "300", "--depth", "1"], mentioning: "--channels", status: 64)
        // The largest stencil named is odd (16 is not a stencil).
        try fails(ca + ["--grid", "16", "--channels", "2", "--depth", "1", "--stencil", "17"], mentioning: "use an odd stencil of at most 15", status: 64)
        // Found by computing, not visible in the arguments: a failure.
        try fails(ca + ["--groups", "dihedral:4,cyclic:2", "--in", "plane,regular", "--channels", "1", "--depth", "1"],
                  mentioning: "not a permutation representation")
    }

    /// No command at all is a usage error with its one-line message (it printed only the usage).
    func testNoCommandIsAUsageErrorWithAMessage() throws {
        try fails([], mentioning: "missing the command", status: 64)
    }

    /// The swap-inversion solver's limit error names --max-index-pairs, which the command used to reject.
    func testSwapInversionAcceptsTheSolverLimitItNames() throws {
        try fails(["generate", "template", "swap-inversion", "--form", "affine:2", "--input", "64", "--max-index-pairs", "100", "--name", "T", "-o", "T.swift"],
                  mentioning: "--max-index-pairs")
        let ok = try CommandRunner.run(
            ["generate", "template", "swap-inversion", "--form", "affine:2", "--input", "8", "--max-index-pairs", "100000", "--name", "T", "-o", "T.swift"], in: directory)
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    /// --json (refused by three of these commands before) prints one object naming the file.
    func testJSONOnEveryTemplateAndBlockCommand() throws {
        let commands: [(String, [String])] = [
            ("swap-inversion", ["generate", "template", "swap-inversion", "--form", "affine:2", "--input", "6"]),
            ("coordinate-attention", ["generate", "template", "coordinate-attention", "--grid", "4", "--channels", "2", "--depth", "1"]),
            ("unrolled-fixed-point", ["generate", "block", "unrolled-fixed-point", "--grid", "8", "--steps", "2"]),
            ("unrolled-gradient", ["generate", "block", "unrolled-gradient", "symmetric:3", "--x", "natural", "--context", "natural", "--steps", "2"]),
        ]
        for (kind, arguments) in commands {
            let r = try CommandRunner.run(arguments + ["--name", "J", "-o", "J.swift", "--json"], in: directory)
            XCTAssertEqual(r.status, 0, "\(kind): \(r.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            XCTAssertEqual(object?["file"] as? String, "J.swift", kind)
            XCTAssertEqual(object?["kind"] as? String, kind)
            XCTAssertEqual(object?["type"] as? String, "J", kind)
            XCTAssertNotNil(object?["parameters"] as? Int, kind)
            XCTAssertTrue((object?["summary"] as? [String])?.first?.hasPrefix("wrote J.swift") ?? false, "\(kind): \(r.stdout)")
        }
    }
}
