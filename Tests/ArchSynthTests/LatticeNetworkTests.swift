import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// G-CNNs on wallpaper groups (issue 21, `generate network wallpaper:…`): the generated network
/// file is small, compiles, and is invariant (or equivariant) under a rotation by 90° and a
/// translation computed here with plain index arithmetic — not with the file's or the runtime's
/// actions —, its gradients match central differences, and the verify harness passes it.
final class LatticeNetworkTests: XCTestCase {
    static func emitter(_ spec: String, _ reps: [String], name: String) throws -> LatticeNetworkEmitter {
        try LatticeNetworkEmitter(
            lattice: try XCTUnwrap(CrystallographicLattice(origin: spec)), expressions: reps, support: 3, typeName: name,
            header: GeneratedFileHeader(spec: spec, command: "test"))
    }

    /// The structure: p4 on 8×8, field(trivial) → 2*field(regular) → trivial is one lifting
    /// convolution (9 basis kernels per channel pair, 2 pairs) and the invariant head (one orbit per
    /// regular field: 2 features → 1 output), in a file of a few hundred lines.
    func testStructureAndSize() throws {
        let e = try Self.emitter("wallpaper:p4:8x8", ["field(trivial)", "2*field(regular)", "trivial"], name: "P4Net")
        XCTAssertEqual(e.dimensions, [64, 512, 1])
        XCTAssertEqual(e.weightCount, 18 + 2)
        XCTAssertEqual(e.biasCount, 2 + 1)
        XCTAssertEqual(e.head?.orbitCount, 1)
        let lines = e.source().split(separator: "\n", omittingEmptySubsequences: false).count
        XCTAssertLessThan(lines, 500, "a lattice network file stays small (the dense path wrote 19 MB for this spec)")
        // p4m's point representation is a signed permutation (tanh) without invariants (no head
        // after it); p6m's, in axial coordinates, is not monomial (refused as a hidden field).
        let tanh = try Self.emitter("wallpaper:p4m:8x8", ["field(trivial)", "field(point)", "field(trivial)"], name: "Tanh")
        XCTAssertEqual(tanh.activationPlans.map(\.tanh), [[0, 1]])
        let mixed = try Self.emitter("wallpaper:p4m:8x8", ["field(trivial)", "field(trivial + pointSign)", "trivial"], name: "Mixed")
        XCTAssertEqual(mixed.activationPlans.map(\.relu), [[0]])
        XCTAssertEqual(mixed.head?.orbit, [0, -1])
        XCTAssertThrowsError(try Self.emitter("wallpaper:p4m:8x8", ["field(trivial)", "field(point)", "trivial"], name: "Bad")) {
            XCTAssertTrue("\($0)".contains("no invariant component"), "\($0)")
        }
        XCTAssertThrowsError(try Self.emitter("wallpaper:p6m:6x6", ["field(trivial)", "field(point)", "trivial"], name: "Bad")) {
            XCTAssertTrue("\($0)".contains("not a signed permutation representation"), "\($0)")
        }
        XCTAssertThrowsError(try Self.emitter("wallpaper:p4:8x8", ["field(trivial)", "natural", "trivial"], name: "Bad")) {
            XCTAssertTrue("\($0)".contains("c*field"), "\($0)")
        }
    }

    /// Compiled (one swiftc invocation, -Onone, warnings as errors) with checks in the harness's
    /// main: invariance under rot90 and a translation by index arithmetic, the file's rotation
    /// generator is a 90° rotation up to a translation, an equivariant p4m network commutes with
    /// the same rotation on its regular-free output, gradients against central differences, and
    /// the verify harness's own report on both files.
    func testCompiledNetworkIsInvariantAndItsGradientsMatchFiniteDifferences() throws {
        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let invariant = try Self.emitter("wallpaper:p4:8x8", ["field(trivial)", "2*field(regular)", "trivial"], name: "P4Net")
        let equivariant = try Self.emitter("wallpaper:p4m:6x6", ["field(trivial)", "2*field(regular)", "field(trivial)"], name: "P4MNet")
        // A signed-permutation field (p4's point representation, a quarter turn negates a component):
        // tanh on the negated components, and a copy with ReLU there instead (must fail).
        let signed = try Self.emitter("wallpaper:p4:6x6", ["field(trivial)", "2*field(trivial + point)", "field(regular)", "trivial"], name: "SignNet")
        var files: [URL] = []
        for e in [invariant, equivariant, signed] {
            let url = dir.appendingPathComponent(e.typeName + ".swift")
            try e.source().write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
        }
        let good = signed.source()
        let broken = good.replacingOccurrences(of: "public struct SignNet:", with: "public struct SignNetReLU:")
            .replacingOccurrences(of: "reluIndex: _components(216, 3, [0]), tanhIndex: _components(216, 3, [1, 2])", with: "reluIndex: Array(0..<216), tanhIndex: []")
        XCTAssertNotEqual(broken, good.replacingOccurrences(of: "public struct SignNet:", with: "public struct SignNetReLU:"))
        let brokenURL = dir.appendingPathComponent("SignNetReLU.swift")
        try broken.write(to: brokenURL, atomically: true, encoding: .utf8)
        files.append(brokenURL)
        let checks = LatticeHarness.preamble(tag: "lattice-network-check", seed: 11) + """
            func relative(_ a: [Double], _ b: [Double]) -> Double {
                var d = 0.0, n = 1e-300
                for i in a.indices { d = max(d, abs(a[i] - b[i])); n = max(n, abs(a[i]), abs(b[i])) }
                return d / n
            }
            // Plain index arithmetic on an n×n image (one channel, row-major): a quarter turn
            // (r, c) ↦ (c, n − 1 − r) and a periodic shift by (dr, dc).
            func rotate(_ x: [Double], _ n: Int) -> [Double] {
                var y = x
                for r in 0..<n { for c in 0..<n { y[c * n + (n - 1 - r)] = x[r * n + c] } }
                return y
            }
            func shift(_ x: [Double], _ n: Int, _ dr: Int, _ dc: Int) -> [Double] {
                var y = x
                for r in 0..<n { for c in 0..<n { y[((r + dr) % n) * n + (c + dc) % n] = x[r * n + c] } }
                return y
            }
            do {
                // p4 on 8×8, invariant head.
                let net = P4Net(seed: 3)
                let x = (0..<64).map { _ in rng.unit() }
                let y = net.forward(x)
                check("P4Net output is not constant", abs(y[0] - net.forward(x.map { $0 * 0.5 + 0.1 })[0]) > 1e-6 ? 0 : 1, below: 0.5)
                check("P4Net rot90", relative(net.forward(rotate(x, 8)), y), below: 1e-12)
                check("P4Net rot270", relative(net.forward(rotate(rotate(rotate(x, 8), 8), 8)), y), below: 1e-12)
                check("P4Net shift (1, 3)", relative(net.forward(shift(x, 8, 1, 3)), y), below: 1e-12)
                check("P4Net rot90 ∘ shift (5, 2), Float", relative(net.forward(shift(rotate(x, 8), 8, 5, 2).map { Float($0) }).map { Double($0) }, y), below: 1e-5)
                check("P4Net equivarianceError", net.equivarianceError(seed: 1, trials: 4), below: 1e-4)
                // The file's generator r is a quarter turn (either sense) up to a translation.
                let r = P4Net.actOnInput(generator: 2, x)
                var best = Double.infinity
                for turned in [rotate(x, 8), rotate(rotate(rotate(x, 8), 8), 8)] {
                    for dr in 0..<8 { for dc in 0..<8 { best = min(best, relative(shift(turned, 8, dr, dc), r)) } }
                }
                check("P4Net actOnInput(r) is a quarter turn up to a translation", best, below: 1e-15)
                // Gradients of f(x) (one output) against central differences of Float parameters:
                // the network is piecewise linear in each parameter, so the differences are exact
                // up to rounding when no ReLU switches (h small).
                var biasInit = net.bias
                for j in biasInit.indices { biasInit[j] = Float(rng.unit() * 0.1) }
                let base = P4Net(weights: net.weights, bias: biasInit)
                let g = base.backward(input: x, outputGradient: [1.0])
                let h = 1e-3
                for j in [0, 4, 9, 17, 18, 19] {
                    var wp = base.weights, wm = base.weights
                    wp[j] = Float(Double(wp[j]) + h)
                    wm[j] = Float(Double(wm[j]) - h)
                    let fd = (P4Net(weights: wp, bias: biasInit).forward(x)[0] - P4Net(weights: wm, bias: biasInit).forward(x)[0]) / (Double(wp[j]) - Double(wm[j]))
                    check("P4Net dθ[\\(j)] vs central difference", abs(g.weights[j] - fd) / max(1e-3, abs(fd)), below: 1e-6)
                }
                for j in biasInit.indices {
                    var bp = biasInit, bm = biasInit
                    bp[j] = Float(Double(bp[j]) + h)
                    bm[j] = Float(Double(bm[j]) - h)
                    let fd = (P4Net(weights: base.weights, bias: bp).forward(x)[0] - P4Net(weights: base.weights, bias: bm).forward(x)[0]) / (Double(bp[j]) - Double(bm[j]))
                    check("P4Net dβ[\\(j)] vs central difference", abs(g.bias[j] - fd) / max(1e-3, abs(fd)), below: 1e-6)
                }
                // The input gradient against a central difference along a random direction.
                let v = (0..<64).map { _ in rng.unit() }
                let fdx = (base.forward(zip(x, v).map { $0 + h * $1 })[0] - base.forward(zip(x, v).map { $0 - h * $1 })[0]) / (2 * h)
                check("P4Net dx·v vs central difference", abs(zip(g.input, v).reduce(0) { $0 + $1.0 * $1.1 } - fdx) / max(1e-3, abs(fdx)), below: 1e-6)
                // Training moves the loss (the API of every generated network).
                var trained = base
                let batch = (0..<(4 * 64)).map { _ in Float(rng.unit()) }
                let targets: [Float] = [1, -1, 0.5, 0]
                let first = trained.trainStep(batch: batch, targets: targets, count: 4, learningRate: 0.05, optimizer: .adam)
                var last = first
                for _ in 0..<20 { last = trained.trainStep(batch: batch, targets: targets, count: 4, learningRate: 0.05, optimizer: .adam) }
                check("P4Net trainStep lowers the loss", Double(last / first), below: 1)
            }
            do {
                // p4m on 6×6 with a scalar-field output: f(rot x) = rot f(x), f(shift x) = shift f(x).
                let net = P4MNet(seed: 5)
                let x = (0..<36).map { _ in rng.unit() }
                let y = net.forward(x)
                check("P4MNet rot90", relative(net.forward(rotate(x, 6)), rotate(y, 6)), below: 1e-12)
                check("P4MNet shift (2, 1)", relative(net.forward(shift(x, 6, 2, 1)), shift(y, 6, 2, 1)), below: 1e-12)
                // A transpose (a reflection of p4m).
                var t = x, ty = y
                for r in 0..<6 { for c in 0..<6 { t[c * 6 + r] = x[r * 6 + c]; ty[c * 6 + r] = y[r * 6 + c] } }
                check("P4MNet transpose", relative(net.forward(t), ty), below: 1e-12)
            }
            do {
                // A signed-permutation hidden field with tanh: invariant under rot90 by index arithmetic.
                let net = SignNet(seed: 9)
                let x = (0..<36).map { _ in rng.unit() }
                let y = net.forward(x)
                check("SignNet rot90", relative(net.forward(rotate(x, 6)), y), below: 1e-12)
                check("SignNet rot90 ∘ shift (1, 4)", relative(net.forward(shift(rotate(x, 6), 6, 1, 4)), y), below: 1e-12)
            }
            if failures > 0 { exit(1) }

            """
        var options = VerificationOptions()
        options.optimization = "-Onone"
        let reports = try VerificationHarness(options: options, compilerFlags: ["-warnings-as-errors"]).verify(files: files, extraMain: checks)
        XCTAssertEqual(reports.count, 4)
        for r in reports.prefix(3) { XCTAssertTrue(r.passed && !r.isDegenerate, r.text) }
        // ReLU on the sign components does not commute with the reflections.
        XCTAssertFalse(reports[3].passed, reports[3].text)
    }
}
