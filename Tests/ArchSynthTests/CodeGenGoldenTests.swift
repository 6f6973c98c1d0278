import ArchSynth
import Foundation
import XCTest

/// Golden files for generated layers, reviewed through `git diff`. Set ARCHSYNTH_UPDATE_GOLDEN=1
/// to rewrite them (then review and commit the diff). The Golden folder is excluded from the
/// test target; `CodeGenCompileTests` compiles and runs the same layers.
final class CodeGenGoldenTests: XCTestCase {
    static let cases: [(spec: String, input: String, output: String, name: String)] = [
        ("symmetric:5", "natural", "natural", "SymmetricNatural5"),
        ("dihedral:5", "natural", "natural", "DihedralNatural5"),
        ("hyperoctahedral:3", "natural^2", "natural", "SignedPool3"),
    ]

    static var goldenDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    func testGoldenFiles() throws {
        let update = ProcessInfo.processInfo.environment["ARCHSYNTH_UPDATE_GOLDEN"] == "1"
        for c in Self.cases {
            let source = try TestBases.emitter(c.spec, c.input, c.output, name: c.name).source()
            let url = Self.goldenDirectory.appendingPathComponent(c.name + ".swift")
            let golden = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            if golden != source {
                let a = golden.split(separator: "\n", omittingEmptySubsequences: false)
                let b = source.split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                // Update mode rewrites the file and still fails, so it can never hide a difference:
                // review the diff, then rerun without the switch.
                if update { try source.write(to: url, atomically: true, encoding: .utf8) }
                XCTFail("\(c.name).swift differs from the golden file at line \(line + 1); "
                    + (update ? "rewrote it: review the diff and rerun without ARCHSYNTH_UPDATE_GOLDEN" : "rerun with ARCHSYNTH_UPDATE_GOLDEN=1 and review the diff"))
            }
        }
    }

    /// The runtime's `GeneratedLayerKernels` (the helpers layers nested in networks use) is the
    /// printed helpers of self-contained layers, byte for byte apart from declaration modifiers.
    func testRuntimeKernelHelpersArePrintedByTheEmitter() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = package.appendingPathComponent(KernelHelpers.runtimeSupportPath)
        let source = KernelHelpers.runtimeSupportSource()
        let current = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        if current != source, ProcessInfo.processInfo.environment["ARCHSYNTH_UPDATE_GOLDEN"] == "1" {
            // Rewritten, and the assertion below still fails: update mode never hides a difference.
            try source.write(to: url, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(current, source, "\(KernelHelpers.runtimeSupportPath) is stale; rerun with ARCHSYNTH_UPDATE_GOLDEN=1 (which rewrites it and fails once)")
        // Every helper a self-contained layer prints is in it.
        for helper in ["_load", "_store", "_pack", "_unpackAdd", "_axpy", "_add", "_dot", "_gemm", "_unpackIntegers", "_unpackBitPatterns", "_unpackVarints"] {
            XCTAssertTrue(source.contains("public static func \(helper)"), helper)
        }
    }
}
