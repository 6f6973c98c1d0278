@testable import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// Generated code is compiled and run, not only compared as text (swift-protobuf `CompileTests/`):
/// several layers in ONE swiftc invocation with `-swift-version 6 -warnings-as-errors`, then the
/// verification harness (every group element, all input families) and value checks against the
/// library's dense Σ θ_i B_i (forward, batch, backward, Double and Float).
final class CodeGenCompileTests: XCTestCase {
    static let layers: [(spec: String, input: String, output: String, name: String, strategy: ForwardStrategy)] = [
        ("symmetric:5", "natural", "natural", "SymmetricNatural5", .symmetricClosedForm),
        ("symmetric:5", "natural^2", "natural^2", "SymmetricSquare5", .symmetricClosedForm),
        ("symmetric:5", "natural^2 + trivial", "natural + natural^2", "SymmetricMixed5", .symmetricClosedForm),
        ("dihedral:5", "natural", "natural", "DihedralNatural5", .dense),  // fully dense table: W materialized
        ("hyperoctahedral:3", "natural", "natural", "SignedNatural3", .tied),  // 3 of 9 entries tied: sparse
        ("hyperoctahedral:3", "natural^2", "natural", "SignedPool3", .tied),
        ("dihedral:5", "plane*plane", "plane*plane", "DihedralPlaneSquare5", .dense),
        ("dihedral:5", "plane", "plane", "DihedralPlane5", .dense),
        ("symmetric:4", "sign", "natural", "NoWeights4", .tied),
        // 7 → 10, dense: the register-blocked product's 6-row panels and its row and column
        // remainders (batches of 13 below; d_out = 10 rows in the weight gradient).
        ("dihedral:5", "natural + plane", "plane*plane + natural + trivial", "DihedralMixed5", .dense),
    ]


    func testGeneratedLayersCompileRunAndVerify() throws {
        let emitters = try Self.layers.map { l in
            let emitter = try TestBases.emitter(l.spec, l.input, l.output, name: l.name)
            XCTAssertEqual(emitter.strategy, l.strategy, l.name)
            return (emitter, l.name)
        }
        let reports = try Self.compileRunAndVerify(emitters, seed: 5)
        XCTAssertEqual(reports.count, Self.layers.count)
        for (report, l) in zip(reports, Self.layers) {
            XCTAssertTrue(report.passed, "\(l.name):\n\(report.text)")
            XCTAssertTrue(report.allElements, "\(l.name) enumerates its group")
        }
        // |S_5| = 120 acting faithfully on R^5; D_5 (order 10) on the pentagon and on plane ⊗ plane
        // faithfully too (D_5 has trivial center), so 10; the signed 3-cube group B_3, 48 (twice);
        // S_4 through sign → natural, 24.
        XCTAssertEqual(reports.map(\.elementCount), [120, 120, 120, 10, 48, 48, 10, 10, 24, 10])
    }

    /// Layers whose basis is kept factored (W = P_out (⊕ K_p) P_in): a quaternionic type
    /// (dicyclic12, e = 4, 48 input copies' rows into 4 outputs), real types with several copies
    /// (D5), a change of basis with fewer rows than coordinates (A5, vertices → rotation:
    /// P_in is 3 × 12) and non-orthogonal images on both sides. Compiled, verified over every
    /// element, and checked value by value.
    func testFactoredLayersCompileRunAndVerify() throws {
        // S_3 with its standard representation written in a non-orthogonal basis (exact integer
        // matrices): P_in and P_out carry the orthogonalizer S and S⁻¹.
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let skewed = dir.appendingPathComponent("S3std.json")
        try """
            {"name": "S3std", "order": "6", "generators": ["s", "c"], "defining": "natural",
             "representations": {"natural": {"permutation": {"s": [1, 0, 2], "c": [1, 2, 0]}},
               "standard": {"matrix": {"s": [[-1, 1], [0, 1]], "c": [[0, -1], [1, -1]]}}}}
            """.write(to: skewed, atomically: true, encoding: .utf8)
        // `order`: the acting group the harness enumerates. On quaternion^2 and plane the central
        // x² = −1 acts trivially, so dicyclic12 acts through its quotient of order 6 (≅ S_3).
        let cases: [(spec: String, input: String, output: String, name: String, order: Int)] = [
            ("dicyclic12", "quaternion^3", "quaternion", "FactoredQuaternion", 12),
            ("dicyclic12", "quaternion^2", "quaternion^2 + plane", "FactoredSquare", 6),
            ("dihedral:5", "natural + plane", "plane*plane + natural + trivial", "FactoredDihedral", 10),
            ("A5", "vertices", "rotation", "FactoredIcosahedral", 60),
            (skewed.path, "standard^2 + natural", "standard + standard^2", "FactoredSkewed", 6),
        ]
        var emitters = try cases.map { c in
            let emitter = try TestBases.emitter(c.spec, c.input, c.output, name: c.name, strategy: .forced(.factored))
            XCTAssertEqual(emitter.strategy, .factored, c.name)
            XCTAssertNotNil(emitter.layer.basis.factored, c.name)
            // These layers are small: one product with W costs fewer operations than the factors.
            XCTAssertEqual((emitter.kernel as? FactoredLayerEmitter)?.runsAsMatrix, true, c.name)
            return (emitter, c.name)
        }
        // The factor products too, on the same layers (renamed): what larger layers run.
        for c in cases {
            let emitter = try TestBases.emitter(c.spec, c.input, c.output, name: c.name + "Products", strategy: .forced(.factored))
            let kernel = FactoredLayerEmitter(layer: emitter.layer, factored: try XCTUnwrap(emitter.layer.basis.factored), runsAsMatrix: false)
            emitters.append((LayerEmitter(layer: emitter.layer, header: emitter.header, kernel: kernel), c.name + "Products"))
        }
        let reports = try Self.compileRunAndVerify(emitters, seed: 17)
        XCTAssertEqual(reports.count, 2 * cases.count)
        for (report, (_, name)) in zip(reports, emitters) { XCTAssertTrue(report.passed, "\(name):\n\(report.text)") }
        XCTAssertEqual(reports.map { $0.elementCount }, cases.map { $0.order } + cases.map { $0.order })
        XCTAssertEqual(emitters.map { ($0.0.kernel as? FactoredLayerEmitter)?.runsAsMatrix }, cases.map { _ in true } + cases.map { _ in false })
    }

    /// The factored layer's choice between one product with W and the factor products, from the
    /// multiply–add counts of a batch of 64 written out by hand.
    func testFactoredLayerRunsAsTheCheaperProducts() {
        // S_4 natural²: d = r = 16, blocks 81 + 4 + 9 + 4 entries. W: 3·64·256 + 16·16·32 = 57,344;
        // factors: 3·64·(256 + 98 + 256) = 117,120.
        XCTAssertTrue(FactoredLayerEmitter.matrixIsCheaper(input: 16, output: 16, inputRows: 16, outputColumns: 16, blockEntries: 98))
        // d = r = 256, blocks 4,096 entries: W 12,582,912 + 33,554,432 = 46,137,344; factors 3·64·135,168 = 25,952,256.
        XCTAssertFalse(FactoredLayerEmitter.matrixIsCheaper(input: 256, output: 256, inputRows: 256, outputColumns: 256, blockEntries: 4096))
    }

    /// A closed form whose panel is narrower than the batch: S_20 natural² (d = 400) packs 8 Float
    /// or 4 Double samples at a time (`GeneratedPanels.samples(valuesPerSample:scalarSize:lanes:)`), so the
    /// batches of 13 in the value checks run two and four panels with a partial last one.
    func testClosedFormPanelsNarrowerThanTheBatch() throws {
        let emitter = try TestBases.emitter("symmetric:20", "natural^2", "natural^2", name: "SymmetricSquare20")
        XCTAssertEqual(emitter.strategy, .symmetricClosedForm)
        let source = emitter.source()
        // The panel holds x, y and the temporaries, 400 + 400 + t values a sample: 48 KiB hold 8 Float or
        // 4 Double samples (whole vectors), not the 64 / 32 of a small layer.
        let line = try XCTUnwrap(source.split(separator: "\n").first { $0.contains("public static let panelValuesPerSample = ") })
        let values = try XCTUnwrap(Int(line.split(separator: " ").last ?? ""))
        XCTAssertGreaterThan(values, 800)
        XCTAssertEqual(GeneratedPanels.samples(valuesPerSample: values, scalarSize: MemoryLayout<Float>.size, lanes: 8), 8, "Float panels of 8 samples")
        XCTAssertEqual(GeneratedPanels.samples(valuesPerSample: values, scalarSize: MemoryLayout<Double>.size, lanes: 4), 4, "Double panels of 4 samples")
        let reports = try Self.compileRunAndVerify([(emitter, "SymmetricSquare20")], seed: 11)
        XCTAssertEqual(reports.count, 1)
        XCTAssertTrue(reports[0].passed, reports[0].text)
    }

    /// Writes each layer's file, compiles them all in one swiftc invocation (`optimization`,
    /// `-warnings-as-errors` and `flags`) with the value checks of `valueChecks` (one seeded
    /// generator drawn in order) and `extraChecks`, and returns the harness's reports, one per file.
    static func compileRunAndVerify(
        _ emitters: [(LayerEmitter, String)], seed: UInt64, optimization: String = "-Onone", flags: [String] = [], extraChecks: String = ""
    ) throws -> [VerificationReport] {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [URL] = []
        var checks = mismatchFunction
        var rng = SplitMix64(seed: seed)
        for (emitter, name) in emitters {
            let url = dir.appendingPathComponent(name + ".swift")
            try emitter.source().write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
            checks += valueChecks(emitter, name: name, rng: &rng)
        }
        checks += extraChecks
        checks += "if failures > 0 { exit(1) }\n"
        var options = VerificationOptions()
        options.optimization = optimization
        return try VerificationHarness(options: options, compilerFlags: ["-warnings-as-errors"] + flags).verify(files: files, extraMain: checks)
    }

    static let mismatchFunction = """

        import Glibc  // exit

        // Value checks against the library's dense Σ θ_i B_i.
        func mismatch(_ a: [Double], _ b: [Double]) -> Double {
            guard a.count == b.count else { return .infinity }
            var worst = 0.0, scale = 1e-30
            for i in 0..<a.count { worst = max(worst, abs(a[i] - b[i])); scale = max(scale, abs(b[i])) }
            return worst / scale
        }
        var failures = 0

        """

    static func literal(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

    /// Checks of one compiled layer against the library's dense Σ θ_i B_i (its own basis),
    /// printed as Swift source for the harness's main.
    static func valueChecks(_ emitter: LayerEmitter, name: String, rng: inout SplitMix64) -> String {
        var checks = ""
        let l = (name: name, ())
        // Parameters representable in Float, so both precisions see the same layer.
            let basis = emitter.layer.basis
            let theta = (0..<basis.dimension).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            let beta = (0..<basis.biasDimension).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            let x = (0..<basis.inputDimension).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            let x2 = (0..<basis.inputDimension).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            let dy = (0..<basis.outputDimension).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            // The reference: W and its elements from the library (a factored basis materialized
            // element by element, which the small test layers afford).
            let elements: [Matrix] = basis.factored.map { f in (0..<f.dimension).map(f.element) } ?? basis.elements.map(\.dense)
            var w = Matrix(rows: basis.outputDimension, columns: basis.inputDimension)
            for (t, b) in elements.enumerated() { w = w + theta[t] * b }
            var b0 = [Double](repeating: 0, count: basis.outputDimension)
            for (j, b) in basis.biasElements.enumerated() { for e in b.entries { b0[e.row] += beta[j] * e.value } }
            let y = zip(w.apply(x), b0).map { $0 + $1 }, y2 = zip(w.apply(x2), b0).map { $0 + $1 }
            let dTheta = elements.map { b in zip(dy, b.apply(x)).reduce(0.0) { $0 + $1.0 * $1.1 } }
            let dBeta = basis.biasElements.map { b in b.entries.reduce(0.0) { $0 + dy[$1.row] * $1.value } }
            let dx = w.transposed.apply(dy)
            checks += """
                do {
                    typealias L = \(l.name)
                    let theta: [Double] = \(Self.literal(theta)), beta: [Double] = \(Self.literal(beta))
                    let layer = L(weights: theta.map { Float($0) }, bias: beta.map { Float($0) })
                    let x: [Double] = \(Self.literal(x)), x2: [Double] = \(Self.literal(x2)), dy: [Double] = \(Self.literal(dy))
                    let y: [Double] = \(Self.literal(y)), y2: [Double] = \(Self.literal(y2))
                    var errors: [(String, Double, Double)] = []
                    errors.append(("forward Double", mismatch(layer.forward(x), y), 1e-12))
                    errors.append(("forward Float", mismatch(layer.forward(x.map { Float($0) }).map { Double($0) }, y), 1e-5))
                    errors.append(("batch Double", mismatch(layer.forward(batch: x + x2, count: 2), y + y2), 1e-12))
                    errors.append(("batch Float", mismatch(layer.forward(batch: (x + x2).map { Float($0) }, count: 2).map { Double($0) }, y + y2), 1e-5))
                    let g = layer.backward(input: x, outputGradient: dy)
                    errors.append(("dθ", mismatch(g.weights, [Double](\(Self.literal(dTheta)))), 1e-12))
                    errors.append(("dβ", mismatch(g.bias, [Double](\(Self.literal(dBeta)))), 1e-12))
                    errors.append(("dx", mismatch(g.input, \(Self.literal(dx))), 1e-12))
                    // 13 rows (two 6-row panels and one row left over), alternating x and x2.
                    let rows13 = (0..<13).map { $0 % 2 == 0 ? x : x2 }, ys13 = (0..<13).map { $0 % 2 == 0 ? y : y2 }
                    errors.append(("batch of 13 Double", mismatch(layer.forward(batch: rows13.flatMap { $0 }, count: 13), ys13.flatMap { $0 }), 1e-12))
                    errors.append(("batch of 13 Float", mismatch(layer.forward(batch: rows13.flatMap { $0 }.map { Float($0) }, count: 13).map { Double($0) }, ys13.flatMap { $0 }), 1e-5))
                    let g13 = layer.backward(batch: (0..<13).flatMap { _ in x }, outputGradient: (0..<13).flatMap { _ in dy }, count: 13)
                    errors.append(("batch of 13 dθ", mismatch(g13.weights, g.weights.map { 13 * $0 }), 1e-12))
                    errors.append(("batch of 13 dx", mismatch(g13.input, (0..<13).flatMap { _ in g.input }), 1e-12))
                    let g13f = layer.backward(batch: (0..<13).flatMap { _ in x.map { Float($0) } }, outputGradient: (0..<13).flatMap { _ in dy.map { Float($0) } }, count: 13)
                    errors.append(("batch of 13 dx Float", mismatch(g13f.input.map { Double($0) }, (0..<13).flatMap { _ in g.input }), 1e-4))
                    let gb = layer.backward(batch: x + x, outputGradient: dy + dy, count: 2)
                    errors.append(("batch dθ", mismatch(gb.weights, g.weights.map { 2 * $0 }), 1e-12))
                    errors.append(("batch dx", mismatch(gb.input, g.input + g.input), 1e-12))
                    let gf = layer.backward(input: x.map { Float($0) }, outputGradient: dy.map { Float($0) })
                    errors.append(("dθ Float", mismatch(gf.weights.map { Double($0) }, g.weights), 1e-4))
                    errors.append(("equivarianceError", L(seed: 3).equivarianceError(seed: 1, trials: 4), 1e-4))
                    var reassigned = L(seed: 1)
                    reassigned.weights = theta.map { Float($0) }
                    reassigned.bias = beta.map { Float($0) }
                    errors.append(("weights setter refreshes", mismatch(reassigned.forward(x), y), 1e-12))
                    var both = L(seed: 2)
                    both.setParameters(weights: theta.map { Float($0) }, bias: beta.map { Float($0) })
                    errors.append(("setParameters", mismatch(both.forward(x), y), 1e-12))
                    errors.append(("seeded init", mismatch(L(seed: 9).weights.map { Double($0) }, L(seed: 9).weights.map { Double($0) }), 0))
                    for (label, value, tolerance) in errors where !(value <= tolerance) {
                        print("FAIL \\(L.self) \\(label): \\(value) > \\(tolerance)")
                        failures += 1
                    }
                }

                """
        return checks
    }
}
