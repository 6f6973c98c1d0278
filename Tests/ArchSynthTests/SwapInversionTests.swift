import ArchSynthExperiments
import ArchSynth
import ArchSynthRuntime
import Foundation
import XCTest

/// The swap-inversion template: every form in-library (gradients, the swap law, inverse
/// consistency, a broken variant that fails), and one form compiled end to end through
/// `archsynth verify`'s harness (passes; a sign flipped in the antisymmetrizing layer fails).
final class SwapInversionTests: XCTestCase {
    static let matrixForms: [SwapInversionForm] = [.affine(2), .affine(3), .rigid(2), .rigid(3)]

    func testSolverLayersAreSwapEquivariant() throws {
        let t = try SwapInversionTemplate(form: .affine(2), inputSize: 3, hidden: 4)
        // Hom(2 copies of regular-ish swap on 3+3 → 4+4): 2·3·4 weights; hidden→hidden 2·4·4; →sign⊗R^6: 4·6.
        XCTAssertEqual(t.basisDimensions, [24, 32, 24])
        XCTAssertEqual(t.layers[2].biasCount, 0, "the sign representation has no fixed vectors")
        XCTAssertEqual(t.layers[0].biasCount, 4)
        // Field form: channel bases of the convolutions. Hom_C₂(regular → 4 regular) = 8 (twice),
        // 4 regular → 4 regular: 32, 4 regular → sign ⊗ R²: 8 (no bias).
        let f = try SwapInversionTemplate(form: .svf(height: 8, width: 8), inputSize: 64, hidden: 4)
        XCTAssertEqual(f.basisDimensions, [8, 8, 32, 8])
        XCTAssertEqual(f.layers.map(\.biasCount), [4, 4, 4, 0])
        XCTAssertEqual(f.core().parameterCount, (8 + 8 + 32 + 8) * 9 + 12)
        XCTAssertEqual(f.parameterCount, f.core().parameterCount)
    }

    func testMatrixFormsGradientsLawAndInverse() throws {
        for (i, form) in Self.matrixForms.enumerated() {
            let t = try SwapInversionTemplate(form: form, inputSize: 4, hidden: 6)
            let core = t.core()
            var rng = RuntimeRandom(seed: UInt64(100 + i))
            let p = core.initialParameters(seed: UInt64(i)).map { $0 + 0.3 * rng.normal() }
            let x = [rng.normals(4), rng.normals(4)]
            XCTAssertGreaterThan(core.velocity.forward(p, x).map(abs).max()!, 1e-3, "\(form): some ReLU is alive")
            let (fd, at) = Derivatives.finiteDifferenceError(of: core.transform, parameters: p, inputs: x)
            XCTAssertLessThanOrEqual(fd, 1e-6, "\(form) at \(at)")
            let report = Law.swap(output: .inverseMatrix(form.matrixSize!)).check(inputSizes: [4, 4]) { core.forward(p, $0) }
            XCTAssertLessThanOrEqual(report.worst, 1e-10, "\(form)\n\(report)")
            for family in InputFamily.allCases {
                let a = family.sample(4, &rng), b = family.sample(4, &rng)
                XCTAssertLessThanOrEqual(core.inverseConsistencyError(p, a, b).max, 1e-12, "\(form) \(family)")
            }
            if case let .rigid(d) = form {
                // The linear part of Φ is orthogonal: RᵀR = I.
                let phi = core.forward(p, x), n = d + 1
                for r in 0..<d {
                    for c in 0..<d {
                        var s = 0.0
                        for k in 0..<d { s += phi[k * n + r] * phi[k * n + c] }
                        XCTAssertEqual(s, r == c ? 1 : 0, accuracy: 1e-13)
                    }
                }
            }
            // The same widths without the constraint break the law: the check can fail.
            let dense = t.unconstrainedCore()
            let q = dense.initialParameters(seed: 3).map { $0 + 0.3 * rng.normal() }
            let broken = Law.swap(output: .inverseMatrix(form.matrixSize!)).check(inputSizes: [4, 4], families: [.standardNormal]) { dense.forward(q, $0) }
            XCTAssertGreaterThan(broken.worst, 1e-3, "\(form)")
        }
    }

    func testMatrixFormTrainsAndStaysInverseConsistent() throws {
        // Three fixed points a ∈ R^(2×3) and b = T(a) for random affine T; learn Φ[a, b] ≈ T by the
        // MSE on matrices.
        let core = try SwapInversionTemplate(form: .affine(2), inputSize: 6, hidden: 8).core()
        var p = core.initialParameters(seed: 1), adam = Adam(learningRate: 1e-2)
        var rng = RuntimeRandom(seed: 2)
        let a: [Double] = [1, 0, 0, 1, -1, -1]
        func sample() -> ([[Double]], [Double]) {
            let v = rng.normals(6, scale: 0.3)
            let g: [Double] = [v[0], v[1], v[2], v[3], v[4], v[5], 0, 0, 0]
            let t = MatrixExponential.exp(g, 3)
            var b = a
            for k in 0..<3 {
                b[2 * k] = t[0] * a[2 * k] + t[1] * a[2 * k + 1] + t[2]
                b[2 * k + 1] = t[3] * a[2 * k] + t[4] * a[2 * k + 1] + t[5]
            }
            return ([a, b], t)
        }
        let test = (0..<32).map { _ in sample() }
        func loss() -> Double { core.transform.lossAndGradient(p, batch: test.map(\.0), targets: test.map(\.1)).loss }
        let before = loss()
        for _ in 0..<200 {
            let batch = (0..<8).map { _ in sample() }
            core.trainingStep(&p, batch: batch.map(\.0), targets: batch.map(\.1), optimizer: &adam)
        }
        XCTAssertLessThan(loss(), before / 4)
        for s in test { XCTAssertLessThanOrEqual(core.inverseConsistencyError(p, s.0[0], s.0[1]).max, 1e-12) }
    }

    func testFieldFormLawInverseConsistencyAndImageLossGradient() throws {
        let (h, w) = (8, 8)
        let t = try SwapInversionTemplate(form: .svf(height: h, width: w), inputSize: h * w, hidden: 4, squarings: 5)
        let core = t.core()
        var rng = RuntimeRandom(seed: 7)
        // Perturbed initial parameters on smooth images: velocities of about a pixel (the
        // regime of the experiment's data; much larger fields fold the 8×8 grid and then
        // interpolation, not the construction, dominates the inverse-consistency error).
        let p = core.initialParameters(seed: 4).map { $0 + 0.05 * rng.normal() }
        let x = [SwapInversionExperiment.smoothImage(h, w, &rng), SwapInversionExperiment.smoothImage(h, w, &rng)]
        let (fd, at) = Derivatives.finiteDifferenceError(of: core.velocity, parameters: p, inputs: x)
        XCTAssertLessThanOrEqual(fd, 1e-6, "velocity at \(at)")
        let report = Law.swap(output: .negate).check(inputSizes: [h * w, h * w]) { core.forward(p, $0) }
        XCTAssertLessThanOrEqual(report.worst, 1e-10, report.description)
        // Φ_BA comes from −v: inverse consistency is limited by interpolation only.
        let ic = core.inverseConsistencyError(p, x[0], x[1])
        let dense = t.unconstrainedCore()
        let q = dense.initialParameters(seed: 4).map { $0 + 0.05 * rng.normal() }
        let icDense = dense.inverseConsistencyError(q, x[0], x[1])
        func maxSpeed(_ c: SwapInversionCore, _ p: [Double]) -> Double {
            let v = c.velocity.forward(p, x)
            return (0..<(h * w)).map { (v[$0] * v[$0] + v[h * w + $0] * v[h * w + $0]).squareRoot() }.max()!
        }
        XCTAssertLessThan(ic.mean * 10, icDense.mean, "template \(ic) vs unconstrained \(icDense); max |v| \(maxSpeed(core, p)) vs \(maxSpeed(dense, q))")
        let broken = Law.swap(output: .negate).check(inputSizes: [h * w, h * w], families: [.standardNormal]) { dense.forward(q, $0) }
        XCTAssertGreaterThan(broken.worst, 1e-3)
        // The image-loss pullback: a small step along −gradient lowers the loss.
        let residual = core.imageResidualGraph()
        func loss(_ p: [Double]) -> (Double, [Double]) {
            let (r, pb) = residual.valueWithPullback(p, x)
            let n = Double(r.count)
            return (r.reduce(0) { $0 + $1 * $1 } / n, pb(r.map { 2 * $0 / n }).parameters)
        }
        let (l0, g) = loss(p)
        let gn = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let eps = 1e-4 / gn
        let (l1, _) = loss(zip(p, g).map { $0 - eps * $1 })
        XCTAssertLessThan(l1, l0)
        XCTAssertEqual((l0 - l1) / (eps * gn * gn), 1, accuracy: 0.05, "directional derivative matches the gradient")
    }

    func testTwoStepLawAndInverseConsistency() throws {
        let (h, w) = (6, 6)
        let affine = try SwapInversionTemplate(form: .affine(2), inputSize: h * w, hidden: 4)
        let field = try SwapInversionTemplate(form: .svf(height: h, width: w), inputSize: h * w, hidden: 4, squarings: 5)
        let two = SwapInversionTwoStep(affine: affine.core(), field: field.core())
        var rng = RuntimeRandom(seed: 11)
        let p = two.initialParameters(seed: 5).map { $0 + 0.2 * rng.normal() }
        let x = [rng.normals(h * w), rng.normals(h * w)]
        // Small steps: the warps by the affine field are piecewise bilinear in the map.
        let (fd, at) = Derivatives.finiteDifferenceError(of: two.generators, parameters: p, inputs: x, step: 1e-6)
        XCTAssertLessThanOrEqual(fd, 1e-6, "generators at \(at)")
        let (fdt, att) = Derivatives.finiteDifferenceError(of: two.transformPair, parameters: p, inputs: x, step: 1e-6)
        XCTAssertLessThanOrEqual(fdt, 1e-6, "transforms at \(att)")
        let after = AffineAfter(height: 3, width: 4)
        XCTAssertLessThanOrEqual(Derivatives.finiteDifferenceError(of: after, parameters: [], inputs: [rng.normals(9), rng.normals(24)]).worst, 1e-6)
        let report = Law.swap(output: .negate).check(inputSizes: [h * w, h * w], families: [.standardNormal, .tiny, .oneHot, .constant]) {
            two.generators.forward(p, $0)
        }
        XCTAssertLessThanOrEqual(report.worst, 1e-10, report.description)
        // Swapping the inputs swaps the two transforms.
        let (ab, ba) = two.transforms(p, x[0], x[1]), (ab2, ba2) = two.transforms(p, x[1], x[0])
        XCTAssertLessThanOrEqual(Law.relativeError(ab, ba2), 1e-10)
        XCTAssertLessThanOrEqual(Law.relativeError(ba, ab2), 1e-10)
        // With the field network's output layer at zero (ψ = id) the two-step map is r∘r and its
        // inverse r⁻¹∘r⁻¹ exactly: inverse consistency to rounding.
        var p0 = p
        for k in (p.count - field.core().outputLayerParameterCount)..<p.count { p0[k] = 0 }
        XCTAssertLessThanOrEqual(two.inverseConsistencyError(p0, x[0], x[1]).max, 1e-12)
        XCTAssertGreaterThan(two.inverseConsistencyError(p, x[0], x[1]).max, 0)
    }

    /// The file with one sign of layer `name`'s basis flipped: the first negative coefficient of
    /// `static let <name>Coefficients` loses its minus sign (the shipped tables, edited as text).
    static func mutated(_ source: String, layer name: String = "layer2") -> String {
        var s = source
        guard let table = s.range(of: "static let \(name)Coefficients: [Double] = ["),
              let end = s.range(of: "]", range: table.upperBound..<s.endIndex),
              let minus = s.range(of: "-", range: table.upperBound..<end.lowerBound)
        else {
            XCTFail("no negative coefficient in \(name)Coefficients: the mutation would not change the file")
            return source
        }
        s.removeSubrange(minus)
        return s
    }

    func verify(_ source: String, _ name: String) throws -> [LawVerificationReport] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).swift")
        try source.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try VerificationHarness(compilerFlags: ["-warnings-as-errors"]).verify(file: url)
    }

    func testGeneratedFileVerifiesAndMutationFails() throws {
        let t = try SwapInversionTemplate(form: .rigid(3), inputSize: 5, hidden: 4)
        let source = t.source(typeName: "SwapRigid3", command: "archsynth generate template swap-inversion --form rigid:3 --input 5 --hidden 4")
        XCTAssertTrue(source.hasPrefix("// DO NOT EDIT."))
        XCTAssertTrue(source.contains("// Type: SwapRigid3\nimport ArchSynthRuntime\n"))
        let good = try verify(source, "SwapRigid3")
        XCTAssertEqual(good.count, 1)
        XCTAssertTrue(good[0].passed, good[0].text)
        XCTAssertEqual(good[0].results.count, InputFamily.allCases.count)
        let bad = try verify(Self.mutated(source), "SwapRigid3")
        XCTAssertFalse(bad[0].passed, bad[0].text)
    }

    /// The field form's generated file (convolutional network) through the same harness; the
    /// mutation flips a sign in its antisymmetrizing output layer (layer3).
    func testFieldFileVerifiesAndMutationFails() throws {
        let t = try SwapInversionTemplate(form: .svf(height: 6, width: 6), inputSize: 36, hidden: 2, squarings: 4)
        let source = t.source(typeName: "SwapField", command: "archsynth generate template swap-inversion --form svf:6x6 --input 6x6 --hidden 2 --squarings 4")
        XCTAssertTrue(source.contains("layers: [layer0, layer1, layer2, layer3]"))
        let good = try verify(source, "SwapField")
        XCTAssertTrue(good[0].passed, good[0].text)
        let bad = try verify(Self.mutated(source, layer: "layer3"), "SwapField")
        XCTAssertFalse(bad[0].passed, bad[0].text)
    }
}
