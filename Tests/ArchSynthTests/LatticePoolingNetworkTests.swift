import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Strided pooling in lattice networks (issue 21, `pool(s)` entries in `--reps`): grids and
/// refusals, and compiled networks checked with the law of the strided group — every coarse
/// translation × point element, the point group about the block center (`verify --spec` and
/// the file's own fields) — with a translation by one fine step as the negative control, and
/// gradients against central differences.
final class LatticePoolingNetworkTests: XCTestCase {
    static func emitter(_ spec: String, _ reps: [String], name: String = "N", nonlinearities: [String] = ["auto"]) throws -> LatticeNetworkEmitter {
        try LatticeNetworkEmitter(
            lattice: try XCTUnwrap(CrystallographicLattice(origin: spec)), expressions: reps, support: 3, typeName: name,
            header: GeneratedFileHeader(spec: spec, command: "test"), nonlinearities: nonlinearities)
    }

    /// The verification options of these tests (debug builds of the harness).
    static var options: VerificationOptions {
        var options = VerificationOptions()
        options.optimization = "-Onone"
        return options
    }

    /// `verify` of the compiled network, with `--spec` and against the file's own fields: every
    /// coarse translation × point element (`elements` of them), passed and not degenerate.
    func assertVerified(_ e: LatticeNetworkEmitter, spec: String, reps: [String], elements: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let lattice = try XCTUnwrap(CrystallographicLattice(origin: spec))
        for fields in [try LatticeVerification.fields(lattice: lattice, reps: reps), nil] {
            let reports = try LatticeVerification(options: Self.options).verify(source: e.source(), fileName: "\(e.typeName).swift", spec: fields)
            XCTAssertEqual(reports.count, 1, file: file, line: line)
            XCTAssertEqual(reports[0].elementCount, elements, reports[0].text, file: file, line: line)
            XCTAssertTrue(reports[0].allElements && reports[0].passed && !reports[0].isDegenerate, reports[0].text, file: file, line: line)
        }
    }

    /// Harness checks on a compiled invariant strided network `type` on a `side`² grid of one
    /// scalar field, by index arithmetic: a shift by (2, 4) and the point element whose image of
    /// (r, c) has index `turnTarget` keep f; a shift by `control` changes it; dx·v matches a
    /// central difference; `extra` runs after with `net`, `x` and `g` in scope.
    static func invariantChecks(
        _ type: String, side n: Int, tag: String, seed: UInt64, modelSeed: Int, turnName: String, turnTarget: String, control: (Int, Int), extra: String = ""
    ) -> String {
        LatticeHarness.preamble(tag: tag, seed: seed) + """
            func shift(_ x: [Double], _ dr: Int, _ dc: Int) -> [Double] {
                var y = x
                for r in 0..<\(n) { for c in 0..<\(n) { y[((r + dr) % \(n)) * \(n) + (c + dc) % \(n)] = x[r * \(n) + c] } }
                return y
            }
            func turn(_ x: [Double]) -> [Double] {
                var y = x
                for r in 0..<\(n) { for c in 0..<\(n) { y[\(turnTarget)] = x[r * \(n) + c] } }
                return y
            }
            do {
                let seeded = \(type)(seed: \(modelSeed))
                let net = \(type)(weights: seeded.weights, bias: seeded.bias.map { _ in Float(rng.unit() * 0.1) })
                let x = (0..<\(n * n)).map { _ in rng.unit() }
                let y = net.forward(x)[0]
                let scale = max(abs(y), 1e-3)
                check("shift (2, 4)", abs(net.forward(shift(x, 2, 4))[0] - y) / scale, below: 1e-12)
                check("\(turnName)", abs(net.forward(turn(x))[0] - y) / scale, below: 1e-12)
                check("shift \(control) changes f (control)", abs(net.forward(shift(x, \(control.0), \(control.1)))[0] - y) / scale > 1e-6 ? 0 : 1, below: 0.5)
                let g = net.backward(input: x, outputGradient: [1.0])
                let v = (0..<\(n * n)).map { _ in rng.unit() }
                let h = 1e-5
                let fd = (net.forward(zip(x, v).map { $0 + h * $1 })[0] - net.forward(zip(x, v).map { $0 - h * $1 })[0]) / (2 * h)
                check("dx·v vs central difference", abs(zip(g.input, v).reduce(0) { $0 + $1.0 * $1.1 } - fd) / max(1e-3, abs(fd)), below: 1e-6)
            \(extra.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
            }
            if failures > 0 { exit(1) }

            """
    }

    /// Compiles `url` with the verification harness and `checks` as extra main code; it must pass.
    static func assertHarnessPasses(_ url: URL, _ checks: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let reports = try VerificationHarness(options: options, compilerFlags: ["-warnings-as-errors"]).verify(files: [url], extraMain: checks)
        XCTAssertEqual(reports.count, 1, file: file, line: line)
        XCTAssertTrue(reports[0].passed, reports[0].text, file: file, line: line)
    }

    func testGridsStagesAndRefusals() throws {
        let e = try Self.emitter("wallpaper:p4m:12x12", ["field(trivial)", "2*field(regular)", "pool(2)", "2*field(regular)", "trivial"])
        XCTAssertEqual(e.strides, [1, 2, 1])
        XCTAssertEqual(e.grids.map(\.sides), [[12, 12], [12, 12], [6, 6], [6, 6]])
        XCTAssertEqual(e.stages, [.convolution(0), .pool(field: 1), .convolution(1), .head])
        XCTAssertEqual(e.convolutions.map(\.lattice.sides), [[12, 12], [6, 6]])
        XCTAssertEqual(e.dimensions, [144, 2 * 144 * 8, 2 * 36 * 8, 2 * 36 * 8, 1])
        XCTAssertEqual(e.totalStride, 2)
        // Two pools in a row multiply; the input may be pooled first.
        let twice = try Self.emitter("space:Oh:12x12x12", ["field(trivial)", "pool(2)", "pool(2)", "field(trivial)", "trivial"])
        XCTAssertEqual(twice.totalStride, 4)
        XCTAssertEqual(twice.stages, [.pool(field: 0), .convolution(0), .head])
        for (spec, reps, expected) in [
            ("wallpaper:p4m:8x8", ["field(trivial)", "field(regular)", "pool(3)", "field(regular)", "trivial"], "does not divide the grid side 8"),
            ("wallpaper:p4:8x8", ["field(trivial)", "field(regular)", "pool(4)", "field(regular)", "trivial"], "at least 3"),
            ("wallpaper:p4:8x8", ["pool(2)", "field(trivial)", "field(regular)", "trivial"], "goes between two field types"),
            ("wallpaper:p4:8x8", ["field(trivial)", "field(regular)", "pool(two)", "field(regular)", "trivial"], "positive integer stride"),
        ] {
            XCTAssertThrowsError(try Self.emitter(spec, reps), "\(spec) \(reps)") { XCTAssertTrue("\($0)".contains(expected), "\(spec) \(reps): \($0)") }
        }
    }

    func testCompiledStridedNetworksHoldTheirLaw() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // p4m on 8×8 → 4×4 with an invariant head; p4 on 6×6 → 3×3 with an equivariant output.
        let invariantReps = ["field(trivial)", "2*field(regular)", "pool(2)", "field(regular)", "trivial"]
        let invariant = try Self.emitter("wallpaper:p4m:8x8", invariantReps, name: "PoolNet")
        let equivariantReps = ["field(trivial)", "field(regular)", "pool(2)", "field(trivial)"]
        let equivariant = try Self.emitter("wallpaper:p4:6x6", equivariantReps, name: "PoolEq")
        for (e, spec, reps, elements) in [(invariant, "wallpaper:p4m:8x8", invariantReps, 16 * 8), (equivariant, "wallpaper:p4:6x6", equivariantReps, 9 * 4)] {
            try assertVerified(e, spec: spec, reps: reps, elements: elements)
        }
        // In the compiled invariant network: a shift by 2 (a coarse translation) and the quarter
        // turn about the block center (½, ½) leave f unchanged; a shift by 1 does not.
        let url = dir.appendingPathComponent("PoolNet.swift")
        try invariant.source().write(to: url, atomically: true, encoding: .utf8)
        let checks = Self.invariantChecks(
            "PoolNet", side: 8, tag: "lattice-pool-check", seed: 5, modelSeed: 2, turnName: "quarter turn about the block center",
            // The quarter turn about the center (½, ½) of the block of coarse point 0: (r, c) ↦ (1 − c, r) mod 8.
            turnTarget: "((1 - c + 8) % 8) * 8 + r", control: (1, 0),
            extra: """
                var worst = 0.0
                for j in stride(from: 0, to: PoolNet.weightCount, by: 2) {
                    var wp = net.weights, wm = net.weights
                    wp[j] = Float(Double(wp[j]) + 1e-4)
                    wm[j] = Float(Double(wm[j]) - 1e-4)
                    let d = (PoolNet(weights: wp, bias: net.bias).forward(x)[0] - PoolNet(weights: wm, bias: net.bias).forward(x)[0]) / (Double(wp[j]) - Double(wm[j]))
                    worst = max(worst, abs(g.weights[j] - d) / max(1e-2, abs(d)))
                }
                check("dθ vs central differences", worst, below: 1e-4)
                """)
        try Self.assertHarnessPasses(url, checks)
    }

    /// Hexagonal and user point groups that are not signed permutations pool with the symmetrized
    /// kernel (about the origin): grids and kernels, the refusals that remain, and a compiled p6
    /// network verified over every coarse translation × point element with and without `--spec`,
    /// with index-arithmetic checks (a 60° turn about the origin and a shift by 2 keep the invariant
    /// output; a shift by 1 changes it) and its input gradient against a central difference.
    func testHexagonalAndUserPointGroupsPoolSymmetrized() throws {
        let p3 = "wallpaper:H(r=[[0,-1],[1,-1]];r^3;order=3):12x12"
        for (spec, stride) in [("wallpaper:p6:12x12", 2), ("wallpaper:p6:12x12", 3), ("wallpaper:p6m:12x12", 2), ("wallpaper:p6m:12x12", 3), (p3, 2), (p3, 3)] {
            let e = try Self.emitter(spec, ["field(trivial)", "field(regular)", "pool(\(stride))", "field(regular)", "trivial"])
            XCTAssertEqual(e.poolingKernel, .symmetrized, spec)
            XCTAssertEqual(e.grids.map(\.sides), [[12, 12], [12, 12], [12 / stride, 12 / stride], [12 / stride, 12 / stride]], spec)
            XCTAssertTrue(e.source().contains("stride: \(stride), kernel: .symmetrized)"), spec)
            XCTAssertTrue(e.source().contains("inputFields.act(generator: g, x, stride: latticeStride, kernel: .symmetrized)"), spec)
        }
        XCTAssertEqual(try Self.emitter("wallpaper:p4m:8x8", ["field(trivial)", "field(regular)", "pool(2)", "field(regular)", "trivial"]).poolingKernel, .blockMean)
        for (spec, reps, expected) in [
            ("wallpaper:p6:12x12", ["field(trivial)", "field(regular)", "pool(5)", "field(regular)", "trivial"], "does not divide the grid side 12"),
            ("wallpaper:p6:8x8", ["field(trivial)", "field(regular)", "pool(4)", "field(regular)", "trivial"], "at least 3"),
            (p3, ["field(trivial)", "field(regular)", "pool(2)", "pool(3)", "field(regular)", "trivial"], "at least 3"),
            ("wallpaper:p6:12x12", ["pool(2)", "field(trivial)", "field(regular)", "trivial"], "goes between two field types"),
            ("wallpaper:p6m:12x12", ["field(trivial)", "field(regular)", "trivial", "pool(2)"], "goes between two field types"),
        ] {
            XCTAssertThrowsError(try Self.emitter(spec, reps), "\(spec) \(reps)") { XCTAssertTrue("\($0)".contains(expected), "\(spec) \(reps): \($0)") }
        }

        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reps = ["field(trivial)", "field(regular)", "pool(2)", "field(regular)", "trivial"]
        let hex = try Self.emitter("wallpaper:p6:12x12", reps, name: "HexPool")
        try assertVerified(hex, spec: "wallpaper:p6:12x12", reps: reps, elements: 36 * 6)
        let url = dir.appendingPathComponent("HexPool.swift")
        try hex.source().write(to: url, atomically: true, encoding: .utf8)
        let checks = Self.invariantChecks(
            "HexPool", side: 12, tag: "lattice-hex-pool-check", seed: 6, modelSeed: 3, turnName: "60° turn about the origin",
            // The 60° turn about the origin on the axial grid: (a, b) ↦ (−b, a + b) mod 12.
            turnTarget: "((12 - c) % 12) * 12 + (r + c) % 12", control: (0, 1))
        try Self.assertHarnessPasses(url, checks)
    }
}
