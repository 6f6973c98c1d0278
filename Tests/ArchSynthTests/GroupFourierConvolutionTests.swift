@testable import ArchSynth
import Foundation
import GroupTheory
import XCTest

/// Table group convolutions run in the group Fourier basis (issue 23): compiled layers against
/// W built here from the convolution's definition, finite differences and the dihedral group's
/// own action; the choice between the Fourier form and the product with W.
final class GroupFourierConvolutionTests: XCTestCase {
    /// D_8 4 → 4 (chosen by cost) and D_4 4 → 2 (forced: mismatched channels, where W is cheaper),
    /// compiled: forward, batch, dx and dθ against W built here from the definition, central
    /// differences, and f(g·x) = g·f(x) for all 2n elements of D_n written out as (k, f) pairs; the
    /// harness's own checks against the library's basis and its element-wise verification too.
    func testCompiledFourierLayersMatchTheDefinition() throws {
        let cases: [(spec: String, n: Int, mi: Int, mo: Int, name: String, force: Bool?)] = [
            ("dihedral:8", 8, 4, 4, "FourierD8", nil),
            ("dihedral:4", 4, 4, 2, "FourierD4x2", true),
        ]
        var rng = SplitMix64(seed: 23)
        var emitters: [(LayerEmitter, String)] = [], checks = ""
        for c in cases {
            let e = try Self.emitter(c.spec, "\(c.mi)*regular", "\(c.mo)*regular", name: c.name, fourierForm: c.force)
            XCTAssertTrue(e.strategyNote.contains("group Fourier basis"), "\(c.name): \(e.strategyNote)")
            XCTAssertTrue(e.source().contains(": GeneratedLayer"), c.name)
            let order = 2 * c.n
            let generators = try Self.blockGenerators(e.layer.input, order: order)
            XCTAssertEqual(try Self.blockGenerators(e.layer.output, order: order), generators, "one regular action on both sides")
            let h = Self.orbitIndex(generators)
            // The table the layer is generated from follows the same convention.
            guard case let .table(table) = try XCTUnwrap(e.layer.convolution).multiplication else { return XCTFail("\(c.name): not a table") }
            XCTAssertEqual(table.map(Int.init), h.flatMap { $0 }, c.name)
            let theta = (0..<(c.mi * c.mo * order)).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            let beta = (0..<c.mo).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
            // The library's Fourier-form W (what the kernels compute, in Float64) against the definition.
            let w = Self.referenceW(h, theta: theta, inputChannels: c.mi, outputChannels: c.mo)
            XCTAssertLessThan((e.emittedWeightMatrix(theta: theta) - w).maxAbs, 1e-12, c.name)
            let permutations = try Self.dihedralPermutations(n: c.n, generators: generators)
            XCTAssertEqual(permutations.count, order)
            checks += Self.checks(name: c.name, n: order, mi: c.mi, mo: c.mo, h: h, theta: theta, beta: beta, permutations: permutations, rng: &rng)
            emitters.append((e, c.name))
        }
        // The portable harness: the runtime was compiled without ARCHSYNTH_WIDE_SIMD, so these layers run the Fourier kernels.
        checks += """
            if GeneratedBuild.wideVectors {
                print("FAIL GeneratedBuild.wideVectors is true in a runtime compiled without ARCHSYNTH_WIDE_SIMD")
                failures += 1
            }

            """
        let reports = try CodeGenCompileTests.compileRunAndVerify(emitters, seed: 29, extraChecks: checks)
        XCTAssertEqual(reports.count, cases.count)
        for (report, c) in zip(reports, cases) {
            XCTAssertTrue(report.passed, "\(c.name):\n\(report.text)")
            XCTAssertTrue(report.allElements, c.name)
            XCTAssertEqual(report.elementCount, 2 * c.n, c.name)
        }
    }

    /// The form each table convolution runs: D_8 4 → 4 and 8 → 4 and S_4 4 → 4 the Fourier form
    /// (with its W equal to the definition's); D_8 1 → 1 (2·16² + 28 > 3/4 · 16²) and D_8 forced
    /// off keep W; C_8 as a table (generators a and a², so no grid) and A_4, whose regular
    /// representations hold complex types, keep W.
    func testFourierFormIsChosenByCostAndTypes() throws {
        let d8 = try CodeGenConvolutionTests.emitter("dihedral:8", "4*regular", "4*regular", name: "T", support: nil)
        XCTAssertTrue(d8.strategyNote.contains("group Fourier basis"), d8.strategyNote)
        XCTAssertTrue(d8.strategyNote.contains("2496 multiply–adds a sample"), d8.strategyNote)
        XCTAssertTrue(d8.strategyNote.contains("against 4096 for W"), d8.strategyNote)
        XCTAssertTrue(d8.source().contains("static let fourierImages"))
        var rng = SplitMix64(seed: 5)
        for (spec, mi, mo) in [("dihedral:8", 8, 4), ("symmetric:4", 4, 4)] {
            let e = try CodeGenConvolutionTests.emitter(spec, "\(mi)*regular", "\(mo)*regular", name: "T", support: nil)
            XCTAssertTrue(e.strategyNote.contains("group Fourier basis"), "\(spec): \(e.strategyNote)")
            let order = try XCTUnwrap(e.layer.convolution).order
            let h = Self.orbitIndex(try Self.blockGenerators(e.layer.input, order: order))
            let theta = (0..<(mi * mo * order)).map { _ in rng.nextUnit() * 2 - 1 }
            let w = Self.referenceW(h, theta: theta, inputChannels: mi, outputChannels: mo)
            XCTAssertLessThan((e.emittedWeightMatrix(theta: theta) - w).maxAbs, 1e-12, spec)
        }
        let one = try CodeGenConvolutionTests.emitter("dihedral:8", "regular", "regular", name: "T", support: nil)
        XCTAssertTrue(one.strategyNote.contains("run as one product with W (256 multiply–adds a sample"), one.strategyNote)
        XCTAssertTrue(one.source().contains(": GeneratedMatrixLayer"))
        XCTAssertFalse(one.source().contains("fourierImages"))
        let off = try Self.emitter("dihedral:8", "4*regular", "4*regular", name: "T", fourierForm: false)
        XCTAssertTrue(off.strategyNote.contains("run as one product with W (4096 multiply–adds a sample"), off.strategyNote)

        let dir = try TestBases.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c8.json")
        try """
            { "name": "C8ab", "description": "C_8 generated by a and a^2", "order": "8", "generators": ["a", "b"],
              "representations": { "points": { "permutation": { "a": [1, 2, 3, 4, 5, 6, 7, 0], "b": [2, 3, 4, 5, 6, 7, 0, 1] } } } }
            """.write(to: url, atomically: true, encoding: .utf8)
        for (spec, input) in [(url.path, "4*points"), ("alternating:4", "4*regular")] {
            let e = try CodeGenConvolutionTests.emitter(spec, input, input, name: "T", support: nil)
            XCTAssertNil(try XCTUnwrap(e.layer.convolution).shape, "\(spec): a table, not a grid")
            XCTAssertTrue(e.strategyNote.contains("run as one product with W"), "\(spec): \(e.strategyNote)")
            XCTAssertTrue(e.strategyNote.contains("not absolutely irreducible"), "\(spec): \(e.strategyNote)")
            // Forcing cannot make a wrong layer: the form does not exist for these groups.
            let forced = try Self.emitter(spec, input, input, name: "T", fourierForm: true)
            XCTAssertFalse(forced.strategyNote.contains("group Fourier basis"), spec)
        }
    }

    /// Block 0's generator permutations of a multiple of a regular action.
    static func blockGenerators(_ rep: Representation, order: Int) throws -> [[Int]] {
        try XCTUnwrap(rep.monomialImages).map { g in (0..<order).map { Int(g.images[$0]) } }
    }

    /// elem[q]: the element taking point 0 to q, as its permutation of the points (composed from
    /// the generators along a breadth-first search; regular action: unique).
    static func pointElements(_ generators: [[Int]]) -> [[Int]] {
        let n = generators[0].count
        var elem = [[Int]?](repeating: nil, count: n)
        elem[0] = Array(0..<n)
        var queue = [0], k = 0
        while k < queue.count {
            let q = queue[k]
            k += 1
            for g in generators where elem[g[q]] == nil {
                elem[g[q]] = elem[q]!.map { g[$0] }  // g ∘ elem[q]
                queue.append(g[q])
            }
        }
        return elem.map { $0! }
    }

    /// h[p][q] with element(h) = element(p)⁻¹ ∘ element(q): the pair (p, q) lies in the orbit of
    /// (0, h), since element(p) takes (0, h) to (p, q) (same regular action on both sides).
    static func orbitIndex(_ generators: [[Int]]) -> [[Int]] {
        let elem = pointElements(generators), n = elem.count
        return (0..<n).map { p in
            var inverse = [Int](repeating: 0, count: n)
            for (a, b) in elem[p].enumerated() { inverse[b] = a }
            return (0..<n).map { q in inverse[q] }  // element(p)⁻¹ element(q) takes 0 to element(p)⁻¹(q)
        }
    }

    /// W[(o, p), (i, q)] = θ[(o · mi + i) · n + h[p][q]] (y(a) = Σ_b θ(a⁻¹b) x(b)).
    static func referenceW(_ h: [[Int]], theta: [Double], inputChannels mi: Int, outputChannels mo: Int) -> Matrix {
        let n = h.count
        var w = Matrix(rows: mo * n, columns: mi * n)
        for p in 0..<n {
            for q in 0..<n {
                for o in 0..<mo { for i in 0..<mi { w[o * n + p, i * n + q] = theta[(o * mi + i) * n + h[p][q]] } }
            }
        }
        return w
    }

    /// D_n as pairs (k, f): x ↦ (f ? −x : x) + k on Z_n (rotation r = (1, no), reflection s = (0, yes),
    /// as the built-in family defines them on the n-gon's vertices).
    struct Dihedral: Hashable {
        let k: Int, f: Bool
        func compose(_ b: Dihedral, _ n: Int) -> Dihedral {  // self ∘ b
            Dihedral(k: ((k + (f ? -b.k : b.k)) % n + n) % n, f: f != b.f)
        }
    }

    /// For every element g of D_n (2n of them, enumerated from the definition), its permutation of
    /// the regular action's points: the points are matched to elements by q = element(q)·0 along a
    /// breadth-first search over r and s, checked consistent on every edge.
    static func dihedralPermutations(n: Int, generators: [[Int]]) throws -> [[Int]] {
        let model = [Dihedral(k: 1, f: false), Dihedral(k: 0, f: true)]
        let order = 2 * n
        XCTAssertEqual(generators.count, 2)
        var elem = [Dihedral?](repeating: nil, count: order)
        elem[0] = Dihedral(k: 0, f: false)
        var queue = [0], k = 0
        while k < queue.count {
            let q = queue[k]
            k += 1
            for (j, g) in generators.enumerated() {
                let image = model[j].compose(elem[q]!, n)
                if let known = elem[g[q]] {
                    XCTAssertEqual(known, image, "point \(g[q]) reached as two elements")
                } else {
                    elem[g[q]] = image
                    queue.append(g[q])
                }
            }
        }
        let elements = try elem.map { try XCTUnwrap($0) }
        XCTAssertEqual(Set(elements).count, order, "the points are the 2n elements")
        var point: [Dihedral: Int] = [:]
        for (q, e) in elements.enumerated() { point[e] = q }
        var all: [[Int]] = []
        for k in 0..<n {
            for f in [false, true] {
                let g = Dihedral(k: k, f: f)
                all.append(try elements.map { try XCTUnwrap(point[g.compose($0, n)]) })
            }
        }
        return all
    }

    static func emitter(_ spec: String, _ input: String, _ output: String, name: String, fourierForm: Bool? = nil) throws -> LayerEmitter {
        let g = try TestBases.group(spec)
        let layer = try XCTUnwrap(LayerDescription.groupConvolution(
            typeName: name, group: g, input: try g.representation(parsing: input), output: try g.representation(parsing: output),
            inputExpression: input, outputExpression: output, support: nil))
        let kernel = GroupConvolutionEmitter(layer: layer, structure: try XCTUnwrap(layer.convolution), fourierForm: fourierForm)
        return LayerEmitter(layer: layer, header: GeneratedFileHeader(spec: spec, command: "archsynth generate layer \(spec)"), kernel: kernel)
    }

    static func literal(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

    /// Checks for the harness's main: forward (Float and Double, one sample and a batch of 11)
    /// against W x + b, dx and dθ against Wᵀ dy and the definition, central finite differences of
    /// the layer's own Double forward, and f(g·x) = g·f(x) for every element g (as permutations).
    static func checks(name: String, n: Int, mi: Int, mo: Int, h: [[Int]], theta: [Double], beta: [Double], permutations: [[Int]], rng: inout SplitMix64) -> String {
        let x = (0..<(mi * n)).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
        let dy = (0..<(mo * n)).map { _ in Double(Float(rng.nextUnit() * 2 - 1)) }
        let w = referenceW(h, theta: theta, inputChannels: mi, outputChannels: mo)
        let y = zip(w.apply(x), (0..<(mo * n)).map { beta[$0 / n] }).map { $0 + $1 }
        let dx = w.transposed.apply(dy)
        // ∂/∂θ[(o · mi + i) · n + h] of ⟨dy, W x⟩ = Σ over (p, q) with h[p][q] = h of dy[o, p] x[i, q].
        var dTheta = [Double](repeating: 0, count: theta.count)
        for o in 0..<mo { for i in 0..<mi { for p in 0..<n { for q in 0..<n {
            dTheta[(o * mi + i) * n + h[p][q]] += dy[o * n + p] * x[i * n + q]
        } } } }
        return """
            do {
                typealias L = \(name)
                let n = \(n), mi = \(mi), mo = \(mo)
                let theta: [Double] = \(literal(theta)), beta: [Double] = \(literal(beta))
                let layer = L(weights: theta.map { Float($0) }, bias: beta.map { Float($0) })
                let x: [Double] = \(literal(x)), dy: [Double] = \(literal(dy)), y: [Double] = \(literal(y))
                var errors: [(String, Double, Double)] = []
                errors.append(("forward Double", mismatch(layer.forward(x), y), 1e-12))
                errors.append(("forward Float", mismatch(layer.forward(x.map { Float($0) }).map { Double($0) }, y), 1e-5))
                let rows = (0..<11).flatMap { s in x.map { $0 * Double(s % 3 + 1) } }
                let ys = (0..<11).flatMap { s in (0..<(mo * n)).map { (y[$0] - beta[$0 / n]) * Double(s % 3 + 1) + beta[$0 / n] } }
                errors.append(("batch of 11 Float", mismatch(layer.forward(batch: rows.map { Float($0) }, count: 11).map { Double($0) }, ys), 1e-5))
                let g = layer.backward(input: x, outputGradient: dy)
                errors.append(("dx = Wᵀ dy", mismatch(g.input, \(literal(dx))), 1e-12))
                errors.append(("dθ", mismatch(g.weights, \(literal(dTheta))), 1e-12))
                // Central differences of L = ⟨dy, f(x)⟩ in Double (f is affine: exact up to rounding).
                func loss(_ l: L, _ v: [Double]) -> Double { zip(dy, l.forward(v)).reduce(0) { $0 + $1.0 * $1.1 } }
                var fdx = [Double](repeating: 0, count: mi * n)
                for k in 0..<(mi * n) {
                    var plus = x, minus = x
                    plus[k] += 1e-3
                    minus[k] -= 1e-3
                    fdx[k] = (loss(layer, plus) - loss(layer, minus)) / 2e-3
                }
                errors.append(("dx against finite differences", mismatch(g.input, fdx), 1e-8))
                var fdTheta = [Double](repeating: 0, count: theta.count)
                for k in 0..<theta.count {
                    var plus = theta.map { Float($0) }, minus = plus
                    plus[k] += 1.0 / 1024
                    minus[k] -= 1.0 / 1024
                    let step = Double(plus[k]) - Double(minus[k])
                    let lp = loss(L(weights: plus, bias: beta.map { Float($0) }), x), lm = loss(L(weights: minus, bias: beta.map { Float($0) }), x)
                    fdTheta[k] = (lp - lm) / step
                }
                errors.append(("dθ against finite differences", mismatch(g.weights, fdTheta), 1e-8))
                // f(g·x) = g·f(x) for every element, in Float: (g·v)[c · n + π_g(q)] = v[c · n + q].
                let permutations: [[Int]] = \(permutations)
                let yf = layer.forward(x.map { Float($0) })
                var worst = 0.0
                for pi in permutations {
                    var gx = [Float](repeating: 0, count: mi * n), gy = [Float](repeating: 0, count: mo * n)
                    for c in 0..<mi { for q in 0..<n { gx[c * n + pi[q]] = Float(x[c * n + q]) } }
                    for c in 0..<mo { for q in 0..<n { gy[c * n + pi[q]] = yf[c * n + q] } }
                    worst = max(worst, mismatch(layer.forward(gx).map { Double($0) }, gy.map { Double($0) }))
                }
                errors.append(("equivariance over \\(permutations.count) elements", worst, 1e-5))
                for (label, value, tolerance) in errors where !(value <= tolerance) {
                    print("FAIL \\(L.self) \\(label): \\(value) > \\(tolerance)")
                    failures += 1
                }
            }

            """
    }
}
