import ArchSynth
import GroupTheory
import XCTest

/// The library-side verifier (`archsynth verify SPEC --in --out`): passes on correct bases over
/// every group element, fails on a broken one, and falls back to random words past the limit.
final class CodeGenVerifierTests: XCTestCase {
    func verify(_ spec: String, _ i: String, _ o: String, options: VerificationOptions = VerificationOptions()) throws -> VerificationReport {
        let layer = try TestBases.layer(spec, i, o, name: "L")
        return LayerVerifier(options: options).verify(basis: layer.basis, input: layer.input, output: layer.output, subject: spec)
    }

    func testCorrectBasesPass() throws {
        for (spec, i, o, order) in [("symmetric:4", "natural^2", "natural", 24), ("dihedral:5", "plane*plane", "plane", 10), ("hyperoctahedral:3", "natural", "natural^2", 48)] {
            let report = try verify(spec, i, o)
            XCTAssertTrue(report.passed, report.text)
            XCTAssertTrue(report.allElements)
            XCTAssertEqual(report.elementCount, order, spec)
            XCTAssertEqual(report.results.map(\.family), OutOfDistributionInputs.allCases.map(\.rawValue))
        }
    }

    func testBrokenBasisFails() throws {
        let layer = try TestBases.layer("dihedral:5", "natural", "natural", name: "L")
        var elements = layer.basis.elements
        let first = elements[0]
        // Drop one entry of the first orbit: no longer equivariant.
        elements[0] = BasisMatrix(rows: first.rows, columns: first.columns, entries: Array(first.entries.dropFirst()))
        let broken = EquivariantBasis(
            inputDimension: 5, outputDimension: 5, elements: elements, biasElements: layer.basis.biasElements, tying: nil,
            method: layer.basis.method, crossCheck: layer.basis.crossCheck)
        let report = LayerVerifier().verify(basis: broken, input: layer.input, output: layer.output, subject: "broken")
        XCTAssertFalse(report.passed, report.text)
        XCTAssertTrue(report.text.hasSuffix("FAIL"))
    }

    func testRandomWordsPastTheLimit() throws {
        var options = VerificationOptions()
        options.maxElements = 50
        options.randomWords = 20
        let report = try verify("symmetric:5", "natural", "natural", options: options)
        XCTAssertFalse(report.allElements)
        XCTAssertEqual(report.elementCount, 2 + 20, "every generator plus the random words")
        XCTAssertTrue(report.passed, report.text)
    }
}
