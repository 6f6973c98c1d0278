import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// `*.archsynth.json` configs (the build plugin and `generate from-config`) choose the group
/// convolution where it applies and accept a `support` stencil, like `generate layer --support`.
final class GenerationConfigTests: XCTestCase {
    func testConfigsChooseGroupConvolutionAndAcceptASupport() throws {
        let config = try GenerationConfig(parsing: """
            { "spec": "cyclic:8",
              "layers": [{ "name": "Stencil", "in": "regular", "out": "2*regular", "support": 3 },
                         { "name": "Full", "in": "regular", "out": "regular" },
                         { "name": "Pool", "in": "regular", "out": "trivial" }],
              "networks": [{ "name": "Net", "reps": ["regular", "2*regular", "trivial"], "support": 3 }] }
            """, origin: "test.archsynth.json")
        XCTAssertEqual(config.layers.map(\.support), [3, nil, nil])
        XCTAssertEqual(config.networks[0].support, 3)
        let group = try GroupResolver().resolve("cyclic:8")
        let files = try config.generate(group: group, command: "test")
        func line(_ source: String, _ prefix: String) -> String? {
            source.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
        }
        // 2 output channels × 1 input channel × a 3-point stencil; the full kernel has |G| = 8 per pair.
        XCTAssertEqual(line(files[0].source, "// Forward strategy:")?.hasPrefix("// Forward strategy: group-convolution"), true)
        XCTAssertEqual(line(files[0].source, "    public static let weightCount"), "    public static let weightCount = 6")
        XCTAssertEqual(line(files[1].source, "// Forward strategy:")?.hasPrefix("// Forward strategy: group-convolution"), true)
        XCTAssertEqual(line(files[1].source, "    public static let weightCount"), "    public static let weightCount = 8")
        XCTAssertEqual(line(files[2].source, "// Forward strategy:")?.hasPrefix("// Forward strategy: group-convolution"), false, "regular → trivial is not a convolution")
        XCTAssertEqual(line(files[3].source, "// Layer 1:")?.contains("; group-convolution ("), true)
        XCTAssertEqual(line(files[3].source, "// Layer 2:")?.contains("; group-convolution ("), false)
        // Same bytes twice.
        XCTAssertEqual(try config.generate(group: group, command: "test").map(\.source), files.map(\.source))
    }

    func testSupportErrors() throws {
        let group = try GroupResolver().resolve("symmetric:4")
        let layer = try GenerationConfig(parsing: #"{"spec": "symmetric:4", "layers": [{"name": "L", "in": "natural", "out": "natural", "support": 3}]}"#, origin: "c")
        XCTAssertThrowsError(try layer.generate(group: group, command: "test")) { error in
            XCTAssertTrue("\(error)".contains("layer L: support 3 applies to group convolutions only"), "\(error)")
        }
        let network = try GenerationConfig(parsing: #"{"spec": "symmetric:4", "networks": [{"name": "N", "reps": ["natural", "trivial"], "support": 3}]}"#, origin: "c")
        XCTAssertThrowsError(try network.generate(group: group, command: "test")) { error in
            XCTAssertTrue("\(error)".contains("group convolutions only"), "\(error)")
        }
        for bad in ["0", "-1", "2.5", "\"3\""] {
            XCTAssertThrowsError(try GenerationConfig(parsing: #"{"spec": "cyclic:8", "layers": [{"name": "L", "in": "regular", "out": "regular", "support": \#(bad)}]}"#, origin: "c")) { error in
                XCTAssertTrue("\(error)".contains("\"support\" must be a positive integer"), "\(bad): \(error)")
            }
        }
    }

    /// A key given twice (at the top or in a layer) and a non-string "spec" are errors that say
    /// so: the first "layers" of two was used silently, and {"spec": 5} was reported missing.
    func testDuplicateKeysAndMistypedSpecAreErrors() {
        let cases: [(String, String)] = [
            (#"{"spec": "symmetric:4", "layers": [{"name": "A", "in": "natural", "out": "natural"}], "layers": []}"#,
             #"line 1, column 87: the key "layers" appears twice"#),
            (#"{"spec": "symmetric:4", "layers": [{"name": "A", "in": "natural", "in": "sign", "out": "natural"}]}"#,
             #"the key "in" appears twice"#),
            (#"{"spec": 5, "layers": [{"name": "A", "in": "natural", "out": "natural"}]}"#, #""spec" must be a string"#),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try GenerationConfig(parsing: text, origin: "c")) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }
}
