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
            ("wallpaper:p6:6x6", ["field(trivial)", "field(regular)", "pool(2)", "field(regular)", "trivial"], "not a signed permutation"),
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
        var options = VerificationOptions()
        options.optimization = "-Onone"
        for (e, spec, reps, elements) in [(invariant, "wallpaper:p4m:8x8", invariantReps, 16 * 8), (equivariant, "wallpaper:p4:6x6", equivariantReps, 9 * 4)] {
            let lattice = try XCTUnwrap(CrystallographicLattice(origin: spec))
            for fields in [try LatticeVerification.fields(lattice: lattice, reps: reps), nil] {
                let reports = try LatticeVerification(options: options).verify(source: e.source(), fileName: "\(e.typeName).swift", spec: fields)
                XCTAssertEqual(reports.count, 1)
                XCTAssertEqual(reports[0].elementCount, elements, reports[0].text)
                XCTAssertTrue(reports[0].allElements && reports[0].passed && !reports[0].isDegenerate, reports[0].text)
            }
        }
        // In the compiled invariant network: a shift by 2 (a coarse translation) and the quarter
        // turn about the block center (½, ½) leave f unchanged; a shift by 1 does not.
        let url = dir.appendingPathComponent("PoolNet.swift")
        try invariant.source().write(to: url, atomically: true, encoding: .utf8)
        let checks = LatticeHarness.preamble(tag: "lattice-pool-check", seed: 5) + """
            // Index arithmetic on an 8×8 image: a periodic shift, and the quarter turn about the
            // center (½, ½) of the block of coarse point 0: (r, c) ↦ (1 − c, r) mod 8.
            func shift(_ x: [Double], _ dr: Int, _ dc: Int) -> [Double] {
                var y = x
                for r in 0..<8 { for c in 0..<8 { y[((r + dr) % 8) * 8 + (c + dc) % 8] = x[r * 8 + c] } }
                return y
            }
            func turn(_ x: [Double]) -> [Double] {
                var y = x
                for r in 0..<8 { for c in 0..<8 { y[((1 - c + 8) % 8) * 8 + r] = x[r * 8 + c] } }
                return y
            }
            do {
                let seeded = PoolNet(seed: 2)
                let net = PoolNet(weights: seeded.weights, bias: seeded.bias.map { _ in Float(rng.unit() * 0.1) })
                let x = (0..<64).map { _ in rng.unit() }
                let y = net.forward(x)[0]
                let scale = max(abs(y), 1e-3)
                check("shift (2, 4)", abs(net.forward(shift(x, 2, 4))[0] - y) / scale, below: 1e-12)
                check("quarter turn about the block center", abs(net.forward(turn(x))[0] - y) / scale, below: 1e-12)
                check("shift (1, 0) changes f (control)", abs(net.forward(shift(x, 1, 0))[0] - y) / scale > 1e-6 ? 0 : 1, below: 0.5)
                let g = net.backward(input: x, outputGradient: [1.0])
                let v = (0..<64).map { _ in rng.unit() }
                let h = 1e-5
                let fd = (net.forward(zip(x, v).map { $0 + h * $1 })[0] - net.forward(zip(x, v).map { $0 - h * $1 })[0]) / (2 * h)
                check("dx·v vs central difference", abs(zip(g.input, v).reduce(0) { $0 + $1.0 * $1.1 } - fd) / max(1e-3, abs(fd)), below: 1e-6)
                var worst = 0.0
                for j in stride(from: 0, to: PoolNet.weightCount, by: 2) {
                    var wp = net.weights, wm = net.weights
                    wp[j] = Float(Double(wp[j]) + 1e-4)
                    wm[j] = Float(Double(wm[j]) - 1e-4)
                    let d = (PoolNet(weights: wp, bias: net.bias).forward(x)[0] - PoolNet(weights: wm, bias: net.bias).forward(x)[0]) / (Double(wp[j]) - Double(wm[j]))
                    worst = max(worst, abs(g.weights[j] - d) / max(1e-2, abs(d)))
                }
                check("dθ vs central differences", worst, below: 1e-4)
            }
            if failures > 0 { exit(1) }

            """
        let reports = try VerificationHarness(options: options, compilerFlags: ["-warnings-as-errors"]).verify(files: [url], extraMain: checks)
        XCTAssertEqual(reports.count, 1)
        XCTAssertTrue(reports[0].passed, reports[0].text)
    }
}
