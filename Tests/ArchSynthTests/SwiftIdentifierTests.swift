import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Type names a user may pass to `--name` against the names generated code relies on: every
/// type-like identifier (capitalized) a generated layer of each strategy, a generated network
/// or verify's harness mentions without declaring it, and every free function they call, must
/// be refused by `SwiftIdentifier.validateTypeName` (a type of that name would shadow it and the
/// file would not compile). The identifiers are read from the emitted text, not listed by hand.
final class SwiftIdentifierTests: XCTestCase {
    /// Generated sources: tied, dense, closed form, group convolution, factored; a network
    /// (which imports the runtime); and the harness main for two layers.
    func generatedSources() throws -> [String] {
        var sources: [String] = []
        for (spec, input, output, strategy) in [
            ("symmetric:4", "natural", "natural", StrategyPreference.forced(.tied)),
            ("dihedral:5", "plane", "plane", .forced(.dense)),
            ("symmetric:5", "natural^2", "natural^2", .forced(.symmetricClosedForm)),
            ("dicyclic12", "quaternion^2", "quaternion^2", .forced(.factored)),
        ] as [(String, String, String, StrategyPreference)] {
            sources.append(try TestBases.emitter(spec, input, output, name: "ProbeLayer", strategy: strategy).source())
        }
        sources.append(try CodeGenConvolutionTests.emitter("cyclic:4 x cyclic:4", "regular", "2*regular", name: "ProbeLayer", support: 3).source())
        sources.append(try CodeGenConvolutionTests.emitter("symmetric:3", "regular", "regular", name: "ProbeLayer", support: nil).source())
        let network = try NetworkDescription.solving(
            typeName: "ProbeNetwork", group: try TestBases.group("dihedral:4"), expressions: ["plane", "2*plane", "natural", "trivial"])
        sources.append(try NetworkEmitter(network: network, header: GeneratedFileHeader(spec: "dihedral:4", command: "test")).source())
        sources.append(VerificationHarness.mainSource(typeNames: ["ProbeLayer", "ProbeNetwork"], options: VerificationOptions()))
        return sources
    }

    /// Identifiers of `text` (outside string literals and comments) that it uses but does not
    /// declare: capitalized names, and names called as free functions `name(`.
    static func undeclaredNames(_ text: String) -> Set<String> {
        var code = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var inString = false, previous: Character = " "
            var kept = ""
            for c in line {
                if !inString, c == "/", previous == "/" { kept.removeLast(); break }
                if c == "\"" { inString.toggle() }
                if !inString, c != "\"" { kept.append(c) } else { kept.append(" ") }
                previous = c
            }
            code += kept + "\n"
        }
        var declared: Set<String> = []
        var used: Set<String> = []
        let scalars = Array(code)
        var i = 0
        var lastWord = "", lastNonSpace: Character = " "
        while i < scalars.count {
            let c = scalars[i]
            if c.isLetter || c == "_" {
                var j = i
                while j < scalars.count, scalars[j].isLetter || scalars[j].isNumber || scalars[j] == "_" { j += 1 }
                let word = String(scalars[i..<j])
                let afterDot = lastNonSpace == "."
                // A generic parameter `<V: SIMD>` is declared where it appears.
                let genericParameter = lastNonSpace == "<" && j < scalars.count && scalars[j] == ":"
                if ["struct", "enum", "class", "protocol", "typealias", "func", "let", "var", "case"].contains(lastWord) || genericParameter {
                    declared.insert(word)
                } else if lastNonSpace == "@" {
                    // An attribute (`@inline`, `@inlinable`), not a name.
                } else if !afterDot {
                    var k = j
                    while k < scalars.count, scalars[k] == " " { k += 1 }
                    let called = k < scalars.count && scalars[k] == "(" && k == j
                    if word.first!.isUppercase || called { used.insert(word) }
                }
                lastWord = word
                lastNonSpace = scalars[j - 1]
                i = j
                continue
            }
            if !c.isWhitespace { lastNonSpace = c; lastWord = "" }
            i += 1
        }
        return used.subtracting(declared)
    }

    func testNamesGeneratedCodeUsesAreRefusedAsTypeNames() throws {
        var names: Set<String> = []
        for source in try generatedSources() { names.formUnion(Self.undeclaredNames(source)) }
        // Sanity: the scan sees the standard library's names the kernels use.
        XCTAssertTrue(names.isSuperset(of: ["Float", "Double", "UnsafePointer", "GeneratedScalar", "max"]), "\(names.sorted())")
        // The probe types themselves; and the kernel helpers `_axpy`, `_gemm`, … that a layer
        // takes from the runtime's `GeneratedLayerKernels` protocol: they are
        // called unqualified inside the layer type, where member lookup finds them before any
        // module-level type.
        let own: Set<String> = ["ProbeLayer", "ProbeNetwork"]
        let members = names.filter { $0.hasPrefix("_") && $0.dropFirst().first?.isLowercase == true }
        for name in names.subtracting(own).subtracting(members).sorted() {
            XCTAssertThrowsError(try SwiftIdentifier.validateTypeName(name), "\(name) is used by generated code but accepted as a type name")
        }
    }

    /// `runtimeTypes` is the runtime's top-level public types, read from its sources.
    func testRuntimeTypeListMatchesTheRuntimeSources() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let runtime = root.appendingPathComponent("Sources/ArchSynthRuntime")
        var found: Set<String> = []
        let files = try XCTUnwrap(FileManager.default.enumerator(at: runtime, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                guard line.hasPrefix("public ") else { continue }  // top level only: nested types are qualified
                let words = line.split(separator: " ")
                let rest = words.dropFirst().drop { $0 == "final" }
                guard let kind = rest.first, ["struct", "enum", "class", "protocol", "typealias", "actor"].contains(kind),
                      let name = rest.dropFirst().first else { continue }
                found.insert(String(name.prefix { $0.isLetter || $0.isNumber || $0 == "_" }))
            }
        }
        XCTAssertGreaterThan(found.count, 50)
        for name in found.sorted() {
            XCTAssertThrowsError(try SwiftIdentifier.validateTypeName(name), "\(name) is a runtime type but accepted as a type name")
        }
    }

    func testOrdinaryNamesStayAccepted() throws {
        for name in ["Printer", "SetLayer", "MyLayer", "Simd", "Layer4", "_Probe"] {
            XCTAssertNoThrow(try SwiftIdentifier.validateTypeName(name), name)
        }
    }
}
