import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Group convolutions (regular → regular with channels): the structure's basis against the
/// definition and the solver, and compiled layers on small grids against the dense reference.
final class CodeGenConvolutionTests: XCTestCase {
    /// C_3 × C_4 translating a 3 × 4 periodic grid, written as permutations of 12 points with
    /// the grid shuffled (point σ(k) = 5k + 3 mod 12 at grid index k), so the generated layer has
    /// to map its grid indices to the user's coordinates.
    static func shuffledGridSpec(in dir: URL) throws -> String {
        func sigma(_ k: Int) -> Int { (5 * k + 3) % 12 }
        var a = [Int](repeating: 0, count: 12), b = [Int](repeating: 0, count: 12)
        for i in 0..<3 { for j in 0..<4 {
            a[sigma(i * 4 + j)] = sigma(((i + 1) % 3) * 4 + j)
            b[sigma(i * 4 + j)] = sigma(i * 4 + (j + 1) % 4)
        } }
        let text = """
            { "name": "Torus3x4", "description": "translations of a periodic 3 × 4 grid", "order": "12",
              "generators": ["a", "b"], "relators": ["a^3", "b^4", "a*b*a^-1*b^-1"],
              "representations": { "grid": { "permutation": { "a": \(a), "b": \(b) } } } }
            """
        let url = dir.appendingPathComponent("torus.json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func emitter(_ spec: String, _ input: String, _ output: String, name: String, support: Int?) throws -> LayerEmitter {
        let g = try TestBases.group(spec)
        let layer = try XCTUnwrap(LayerDescription.groupConvolution(
            typeName: name, group: g, input: try g.representation(parsing: input), output: try g.representation(parsing: output),
            inputExpression: input, outputExpression: output, support: support))
        return try LayerEmitter(layer: layer, header: GeneratedFileHeader(spec: spec, command: "archsynth generate layer \(spec)"))
    }

    /// Every basis element commutes with every generator (dense check), elements have disjoint
    /// supports, and with full support they are as many as the solver finds.
    func testStructureBasisIsEquivariantAndComplete() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let torus = try Self.shuffledGridSpec(in: dir)
        let cases: [(String, String, String, Int?, [Int]?)] = [
            ("cyclic:6", "2*regular", "regular", nil, [6]),
            ("cyclic:4 x cyclic:3", "regular", "2*regular", nil, [4, 3]),
            ("cyclic:4 x cyclic:3", "regular", "regular", 3, [4, 3]),
            (torus, "grid", "2*grid", nil, [3, 4]),
            ("symmetric:3", "regular", "regular", nil, nil),
            ("dihedral:4", "regular", "2*regular", nil, nil),
        ]
        for (spec, input, output, support, shape) in cases {
            let g = try TestBases.group(spec)
            let rIn = try g.representation(parsing: input), rOut = try g.representation(parsing: output)
            let layer = try XCTUnwrap(LayerDescription.groupConvolution(
                typeName: "T", group: g, input: rIn, output: rOut, inputExpression: input, outputExpression: output, support: support))
            let structure = try XCTUnwrap(layer.convolution)
            XCTAssertEqual(structure.shape, shape, "\(spec)")
            let basis = layer.basis
            for b in basis.elements {
                let m = b.dense
                for k in 0..<g.generators.count {
                    let pin = try XCTUnwrap(rIn.monomialImages)[k], pout = try XCTUnwrap(rOut.monomialImages)[k]
                    // ρ_out(g) B = B ρ_in(g): B[π_out(r), π_in(c)] = B[r, c].
                    for r in 0..<m.rows { for c in 0..<m.columns {
                        XCTAssertEqual(m[Int(pout.images[r]), Int(pin.images[c])], m[r, c], "\(spec) generator \(k)")
                    } }
                }
            }
            var covered = Set<Int>()
            for b in basis.elements { for e in b.entries { XCTAssertTrue(covered.insert(e.row * basis.inputDimension + e.column).inserted) } }
            if support == nil {
                let solved = try IntertwinerSolver.solve(
                    group: g, input: try RepresentationExpression(parsing: input), output: try RepresentationExpression(parsing: output),
                    options: SolverOptions())
                XCTAssertEqual(basis.dimension, solved.dimension, "\(spec) \(input) → \(output)")
                XCTAssertEqual(basis.biasDimension, solved.biasDimension, "\(spec) \(input) → \(output)")
            } else {
                XCTAssertEqual(basis.dimension, 9)
            }
        }
        // Not regular: refused (nil), and a support without grid structure throws.
        let s3 = try TestBases.group("symmetric:3")
        XCTAssertNil(try LayerDescription.groupConvolution(
            typeName: "T", group: s3, input: try s3.representation(parsing: "natural"), output: try s3.representation(parsing: "regular"),
            inputExpression: "natural", outputExpression: "regular", support: nil))
        XCTAssertThrowsError(try LayerDescription.groupConvolution(
            typeName: "T", group: s3, input: try s3.representation(parsing: "regular"), output: try s3.representation(parsing: "regular"),
            inputExpression: "regular", outputExpression: "regular", support: 3))
    }

    /// Generated convolution layers compile, verify over every group element, and match the
    /// dense Σ θ_i B_i on forward, batch and backward in both precisions: periodic grids in 1, 2
    /// and 3 dimensions with full and local support, a user's shuffled grid, and tables.
    func testGeneratedConvolutionsMatchTheDenseReference() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let torus = try Self.shuffledGridSpec(in: dir)
        let cases: [(spec: String, input: String, output: String, support: Int?, name: String, order: Int)] = [
            ("cyclic:6", "2*regular", "3*regular", nil, "Conv1D", 6),
            ("cyclic:4 x cyclic:5", "regular", "2*regular", 3, "Conv2D", 20),
            ("cyclic:40", "regular", "regular", 5, "Conv1DLong", 40),
            ("cyclic:2 x cyclic:3 x cyclic:4", "2*regular", "regular", 3, "Conv3D", 24),
            (torus, "2*grid", "grid", 3, "ConvShuffled", 12),
            ("symmetric:3", "2*regular", "regular", nil, "ConvTableS3", 6),
            ("dihedral:4", "regular", "2*regular", nil, "ConvTableD4", 8),
        ]
        let emitters = try cases.map { c in
            let emitter = try Self.emitter(c.spec, c.input, c.output, name: c.name, support: c.support)
            XCTAssertEqual(emitter.strategy, .groupConvolution, c.name)
            return (emitter, c.name)
        }
        let reports = try CodeGenCompileTests.compileRunAndVerify(emitters, seed: 11)
        XCTAssertEqual(reports.count, cases.count)
        for (report, c) in zip(reports, cases) {
            XCTAssertTrue(report.passed, "\(c.name):\n\(report.text)")
            XCTAssertTrue(report.allElements, "\(c.name) enumerates its group")
            XCTAssertEqual(report.elementCount, c.order, c.name)
        }
    }
}
