import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Strategy choice, closed-form dimensions, identifiers, determinism, headers. That the printed
/// kernels compute Σ θ_i B_i is checked by compiling and running them (`CodeGenCompileTests`),
/// not by a Swift model of the kernel.
final class CodeGenEmitterTests: XCTestCase {
    /// The S_n families: closed form chosen, dimension = Bell(k + l) per block pair (n ≥ k + l).
    func testSymmetricClosedFormsChosenWithBellDimensions() throws {
        let cases: [(String, String, Int)] = [
            ("natural", "natural", 2), ("natural", "trivial", 1), ("trivial", "natural", 1),
            ("natural^2", "natural^2", 15), ("natural^2", "natural", 5), ("natural", "natural^2", 5),
            ("natural^2", "trivial", 2), ("trivial + natural", "natural^2 + natural", 2 + 5 + 1 + 2),
        ]
        for n in [4, 5] {
            for (i, o, dim) in cases where !(n == 4 && dim > 15) {
                let e = try TestBases.emitter("symmetric:\(n)", i, o, name: "L")
                XCTAssertEqual(e.strategy, .symmetricClosedForm, "S\(n) \(i) → \(o)")
                XCTAssertEqual(e.layer.basis.dimension, dim, "S\(n) \(i) → \(o)")
            }
        }
    }

    func testStrategyChoice() throws {
        // Dihedral group on the pentagon: not the full S_5 (order 10 ≠ 120), and its 3 orbits on
        // pairs cover all 25 entries of W: a dense table, so W is materialized.
        XCTAssertEqual(try TestBases.emitter("dihedral:5", "natural", "natural", name: "L").strategy, .dense)
        // A_5 acts on 5 points, but |A_5| = 60 ≠ 5!: no closed form; dense table again.
        XCTAssertEqual(try TestBases.emitter("alternating:5", "natural", "natural", name: "L").strategy, .dense)
        // Signed permutations: off-diagonal orbits cancel, 3 of 9 entries tied → tying with signs.
        XCTAssertEqual(try TestBases.emitter("hyperoctahedral:3", "natural", "natural", name: "L").strategy, .tied)
        // A direct sum with a zero block keeps the table sparse: B3 natural → natural + sign has 3 of 12 entries.
        XCTAssertEqual(try TestBases.emitter("hyperoctahedral:3", "natural", "natural + sign", name: "L").strategy, .tied)
        // Real matrices → dense.
        XCTAssertEqual(try TestBases.emitter("dihedral:5", "plane*plane", "plane*plane", name: "L").strategy, .dense)
        // n < k + l: diagrams are dependent, no closed form; the table is dense, so W is materialized.
        XCTAssertEqual(try TestBases.emitter("symmetric:3", "natural^2", "natural^2", name: "L").strategy, .dense)
        // Forced strategies.
        XCTAssertEqual(try TestBases.emitter("symmetric:5", "natural", "natural", name: "L", strategy: .forced(.tied)).strategy, .tied)
        XCTAssertEqual(try TestBases.emitter("symmetric:5", "natural", "natural", name: "L", strategy: .forced(.dense)).strategy, .dense)
        XCTAssertThrowsError(try TestBases.emitter("dihedral:5", "plane", "plane", name: "L", strategy: .forced(.tied))) {
            XCTAssertTrue("\($0)".contains("tied"), "\($0)")
        }
    }

    func testTypeNamesAreValidated() {
        for bad in ["", "1Layer", "my-layer", "struct", "Float", "Läyer", "a b"] {
            XCTAssertThrowsError(try TestBases.emitter("symmetric:3", "natural", "natural", name: bad), "\(bad)") { error in
                XCTAssertTrue("\(error)".contains("\"\(bad)\""), "the error names the type: \(error)")
            }
        }
        XCTAssertNoThrow(try SwiftIdentifier.validateTypeName("_Layer2"))
        XCTAssertEqual(SwiftIdentifier.stringLiteral("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"")
    }

    func testDeterministicBytesAndHeader() throws {
        let a = try TestBases.emitter("symmetric:4", "natural^2", "natural", name: "Pool").source()
        let b = try TestBases.emitter("symmetric:4", "natural^2", "natural", name: "Pool").source()
        XCTAssertEqual(a, b)
        let lines = a.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "// DO NOT EDIT.")
        XCTAssertTrue(lines[1].contains("archsynth \(ArchSynthVersion.current)"))
        XCTAssertEqual(lines[2], "// Command: archsynth generate layer symmetric:4 --in natural^2 --out natural --name Pool -o Pool.swift")
        XCTAssertEqual(lines.filter { $0.hasPrefix("import ") }, ["import ArchSynthRuntime"], "generated layers import only the runtime")
        // The test's own orbit-counting basis (TestBases.tying) carries the `orbits` certificate.
        XCTAssertTrue(lines.contains { $0.hasPrefix("// Certificate: orbits (") }, "the header names the certificate")
        XCTAssertEqual(GeneratedFileHeader(spec: "/home/u/specs/D4.json", command: "").spec, "D4.json")
        XCTAssertEqual(
            GeneratedFileHeader.commandLine(["archsynth", "generate", "layer", "dihedral:4 x cyclic:2", "-o", "/tmp/x/L.swift"]),
            "archsynth generate layer 'dihedral:4 x cyclic:2' -o L.swift")
    }

    func testExactConstantsAreLiterals() throws {
        // A rational basis value 1/3 is emitted as numerator and denominator, never as a rounded float.
        let b = BasisMatrix(rows: 1, columns: 1, entries: [SparseEntry(row: 0, column: 0, value: 1.0 / 3)], exactValues: [Rational(1, 3)])
        let basis = EquivariantBasis(
            inputDimension: 1, outputDimension: 1, elements: [b], biasElements: [], tying: nil, method: .exactElimination,
            crossCheck: CrossCheck(characterDimension: 1, characterBiasDimension: 0, characterNote: nil, residual: 0, exactConstraintCheck: true))
        let sign = Representation(signedPermutations: [SignedPermutation(images: [0], signs: [-1])])
        let layer = try LayerDescription(
            typeName: "Third", groupName: "C2", groupOrder: "2", generatorNames: ["a"], input: sign, output: sign,
            inputExpression: "sign", outputExpression: "sign", basis: basis)
        let source = try LayerEmitter(layer: layer, header: GeneratedFileHeader(spec: "C2", command: "test")).source()
        XCTAssertTrue(source.contains("static let basisValueNumerators: [Double] = [1]\n"), source)
        XCTAssertTrue(source.contains("static let basisValueDenominators: [Double] = [3]\n"), source)
        XCTAssertFalse(source.contains("0.333"))
    }
}
