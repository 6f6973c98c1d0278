import ArchSynth
import ArchSynthRuntime
import Foundation
import XCTest

/// The registration templates of `archsynth train registration`: their laws (with negative
/// controls), gradients against finite differences, the model file's bit-for-bit reload, and
/// that a few training steps keep the law.
final class RegistrationModelTests: XCTestCase {
    /// A smooth periodic blob image (sums of shifted bumps), seeded.
    static func blobImage(size s: Int, _ rng: inout RuntimeRandom) -> [Double] {
        var img = [Double](repeating: 0, count: s * s)
        for _ in 0..<3 {
            let (cy, cx, r) = (rng.uniform(0, Double(s)), rng.uniform(0, Double(s)), rng.uniform(1.5, Double(s) / 4))
            for i in 0..<s {
                for j in 0..<s {
                    var dy = abs(Double(i) - cy), dx = abs(Double(j) - cx)
                    dy = min(dy, Double(s) - dy)
                    dx = min(dx, Double(s) - dx)
                    img[i * s + j] += Foundation.exp(-(dy * dy + dx * dx) / (2 * r * r))
                }
            }
        }
        return img
    }

    static func pairs(size: Int, count: Int, seed: UInt64) -> [(moving: [Double], fixed: [Double])] {
        var rng = RuntimeRandom(seed: seed)
        return (0..<count).map { _ in (blobImage(size: size, &rng), blobImage(size: size, &rng)) }
    }

    static func tinyCarl(size: Int = 16, pool: Int = 2) throws -> RegistrationModel {
        var h = RegistrationModel.Hyperparameters(size: size)
        (h.poolFactor, h.channels, h.depth, h.refineChannels, h.refineDepth) = (pool, 4, 2, 4, 2)
        return try RegistrationModel(kind: .carl, hyper: h)
    }

    func testUpsampledIdentityResultantsAreTheFineIdentity() {
        // Coarse identity Φ_c(k) = k as resultants e^(2πi k/c) → the fine identity (to the chord
        // error of interpolating unit complex numbers, < 0.05 px for 8 → 32).
        let (c, f) = (8, 4), s = c * f
        var z = [Double](repeating: 0, count: 4 * c * c)
        for k in 0..<(c * c) {
            let (a, b) = (2 * Double.pi * Double(k / c) / Double(c), 2 * Double.pi * Double(k % c) / Double(c))
            (z[k], z[c * c + k], z[2 * c * c + k], z[3 * c * c + k]) = (cos(a), sin(a), cos(b), sin(b))
        }
        let fine = CarlRegistration.resultantUpsampling(coarse: c, factor: f).forward([Double](), [z])
        let phi = CircularCoordinate(grid: PeriodicGrid(height: s, width: s)).forward([Double](), [fine])
        let identity: [Double] = Warp.identityMap(height: s, width: s)
        XCTAssertLessThan(CoordinateAttention.circularDistance(grid: PeriodicGrid(height: s, width: s))(phi, identity), 0.05)
        // Negative control: undoing the phase offset of the cells' centres (rotation by
        // −π(f−1)/s) leaves the map (f − 1)/2 = 1.5 px off everywhere.
        let alpha = -Double.pi * Double(f - 1) / Double(s), n = s * s
        var derotated = fine
        for k in 0..<n {
            for axis in 0..<2 {
                let (re, im) = (fine[2 * axis * n + k], fine[(2 * axis + 1) * n + k])
                derotated[2 * axis * n + k] = cos(alpha) * re - sin(alpha) * im
                derotated[(2 * axis + 1) * n + k] = sin(alpha) * re + cos(alpha) * im
            }
        }
        let off = CircularCoordinate(grid: PeriodicGrid(height: s, width: s)).forward([Double](), [derotated])
        for k in 0..<(2 * n) {
            var d = (identity[k] - off[k]).truncatingRemainder(dividingBy: Double(s))
            if d < 0 { d += Double(s) }
            XCTAssertEqual(d, 1.5, accuracy: 0.05)
        }
    }

    func testCarlKeepsWULawAndTheUUBaselineDoesNot() throws {
        let model = try Self.tinyCarl()
        var p = model.initialParameters(seed: 3)
        // Every convolution weight is drawn (only biases start at 0).
        XCTAssertGreaterThan(p.filter { $0 != 0 }.count, p.count * 9 / 10)
        // Larger refinement weights than at initialization, so Ψ is far from the identity.
        for k in p.indices { p[k] *= 3 }
        let pairs = Self.pairs(size: 16, count: 2, seed: 5)
        let check = model.checkLaw(p, pairs: pairs)
        XCTAssertEqual(check.cases, 12)
        XCTAssertLessThanOrEqual(check.worst, 1e-6, check.law)
        let phi = model.coordinates(p, moving: pairs[0].moving, fixed: pairs[0].fixed)
        let identity: [Double] = Warp.identityMap(height: 16, width: 16)
        XCTAssertGreaterThan(CoordinateAttention.circularDistance(grid: PeriodicGrid(height: 16, width: 16))(phi, identity), 0.1, "Φ is not the identity")
        // Negative control: the [U,U] displacement network (convolutions on A ⊕ B) fails [W,U].
        let grid = PeriodicGrid(height: 16, width: 16)
        let baseline = RegistrationNetworks.displacementNetwork(grid: grid, imageChannels: 1, channels: 4, depth: 2, stencil: 3)
        let q = RegistrationNetworks.initialParameters(baseline, seed: 1)
        let broken = RegistrationModel.wuLawError(size: 16, step: 2, pairs: pairs) { m, f in
            RegistrationNetworks.coordinates(displacement: baseline.forward(q, [m, f]), grid: grid)
        }
        XCTAssertGreaterThan(broken.worst, 1)
    }

    /// The consensus node (with dot or distance logits) keeps [W,U] inside the whole network, and a model file
    /// without the key (written before it) still loads as a model without it.
    func testCarlWithConsensusKeepsWULawAndOldFilesLoad() throws {
        var h = RegistrationModel.Hyperparameters(size: 16)
        (h.poolFactor, h.channels, h.depth, h.refineChannels, h.refineDepth, h.consensus) = (2, 4, 2, 4, 2, 1.5)
        let plain = try RegistrationModel(kind: .carl, hyper: { var b = h; b.consensus = nil; return b }())
        let pairs = Self.pairs(size: 16, count: 2, seed: 5)
        for matching in [nil, "distance"] {
            h.matching = matching
            let model = try RegistrationModel(kind: .carl, hyper: h)
            XCTAssertEqual(model.parameterCount, plain.parameterCount + 1)
            var p = model.initialParameters(seed: 3)
            for k in p.indices { p[k] *= 3 }
            let check = model.checkLaw(p, pairs: pairs)
            XCTAssertEqual(check.cases, 12)
            XCTAssertLessThanOrEqual(check.worst, 1e-6, check.law)
        }
        XCTAssertThrowsError(try RegistrationModel(kind: .carl, hyper: { var b = h; b.matching = "cosine"; return b }()))
        let encoded = try JSONEncoder().encode(h)
        XCTAssertEqual(try JSONDecoder().decode(RegistrationModel.Hyperparameters.self, from: encoded), h)
        var old = try JSONSerialization.jsonObject(with: encoded) as! [String: Any]
        old.removeValue(forKey: "consensus")
        let decoded = try JSONDecoder().decode(RegistrationModel.Hyperparameters.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertNil(decoded.consensus)
        XCTAssertThrowsError(try RegistrationModel(kind: .carl, hyper: { var b = h; b.consensus = .infinity; return b }()))
    }

    func testConstriconIsInverseConsistentAndABrokenCompositionIsNot() throws {
        let model = try RegistrationModel(kind: .constricon, hyper: .init(size: 16))
        var p = model.initialParameters(seed: 2)
        for k in p.indices { p[k] *= 4 }
        let pairs = Self.pairs(size: 16, count: 2, seed: 8)
        let check = model.checkLaw(p, pairs: pairs)
        XCTAssertLessThanOrEqual(check.worst, 1e-9, check.law)
        let ic = try XCTUnwrap(check.inverseConsistency)
        XCTAssertLessThan(ic.mean, 0.05)
        // The field is not trivial, and Φ_AB∘Φ_AB (not an inverse) is far from the identity.
        let (ab, _) = model.core!.transforms(p, pairs[0].moving, pairs[0].fixed)
        XCTAssertGreaterThan(ab.map(abs).max()!, 0.2)
        let wrong = SwapInversionCore.inverseConsistency(form: .svf(height: 16, width: 16), ab, ab)
        XCTAssertGreaterThan(wrong.mean, 10 * ic.mean)
    }

    /// The whole carl loss graph (features, attention, consensus, upsampling, refinement warp,
    /// wrapped Jacobian) against finite differences, for the first carl (dot logits, no
    /// consensus) and the current defaults. The graph is piecewise smooth (ReLU, bilinear
    /// sampling, the wrapped Jacobian), so a difference quotient whose step straddles a kink is
    /// not a derivative: the check takes the best of three steps; a wrong adjoint fails at all.
    func testLossGradientsAgainstFiniteDifferences() throws {
        var h = RegistrationModel.Hyperparameters(size: 8)
        (h.poolFactor, h.channels, h.depth, h.featureStencil, h.refineChannels, h.refineDepth) = (2, 2, 1, 3, 2, 2)
        let pair = Self.pairs(size: 8, count: 1, seed: 11)[0]
        for (consensus, matching) in [(nil, "dot"), (h.consensus, h.matching)] as [(Double?, String?)] {
            (h.consensus, h.matching) = (consensus, matching)
            let carl = try RegistrationModel(kind: .carl, hyper: h)
            var p = carl.initialParameters(seed: 4)
            for k in p.indices { p[k] *= 2 }
            let errors = [1e-5, 1e-6, 1e-7].map {
                Derivatives.finiteDifferenceError(of: carl.lossGraph, parameters: p, inputs: [pair.moving, pair.fixed], seed: 2, step: $0)
            }
            let best = errors.min { $0.worst < $1.worst }!
            XCTAssertLessThanOrEqual(best.worst, 1e-5, "carl loss graph (\(matching ?? "dot"), consensus \(consensus.map { "\($0)" } ?? "none")) at \(best.coordinate); every step: \(errors.map(\.worst))")
        }
    }

    func testModelFileReloadsBitForBit() throws {
        let model = try Self.tinyCarl()
        var rng = RuntimeRandom(seed: 21)
        var p = (0..<model.parameterCount).map { _ in rng.normal() / 3 }
        // Values whose shortest decimal forms are long or extreme.
        p[0] = 0.1; p[1] = 1.0 / 3; p[2] = -0.0; p[3] = Double.leastNonzeroMagnitude; p[4] = 2.2250738585072014e-308; p[5] = -1.7976931348623157e308
        var options = RegistrationTrainingOptions()
        options.seed = 99
        let file = RegistrationModelFile(
            template: .carl, hyperparameters: model.hyper,
            training: .init(images: "test", options: options, pairsSeen: 0, finalLoss: .nan, seconds: 0), parameters: p)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        let (back, rebuilt) = try RegistrationModelFile.read(from: url)
        XCTAssertEqual(back.parameters.map(\.bitPattern), p.map(\.bitPattern))
        XCTAssertEqual(back.hyperparameters, model.hyper)
        XCTAssertEqual(back.training.options.seed, 99)
        XCTAssertNil(back.training.finalLoss)
        XCTAssertEqual(rebuilt.parameterCount, model.parameterCount)
        // A file with one parameter too few is refused with the counts.
        var short = back
        short.parameters.removeLast()
        try short.write(to: url)
        XCTAssertThrowsError(try RegistrationModelFile.read(from: url)) { e in
            XCTAssertTrue("\(e)".contains("holds \(p.count - 1) parameters"), "\(e)")
        }
    }

    func testAFewTrainingStepsChangeTheParametersAndKeepTheLaws() throws {
        var rng = RuntimeRandom(seed: 31)
        let base = Self.blobImage(size: 16, &rng)
        // One source image and shifted copies: the pairs differ by a translation.
        let images = [(0, 0), (2, 2), (4, -2), (-2, 4)].map { PeriodicGrid(height: 16, width: 16).translate(base, by: $0.0, $0.1) }
        let data = RegistrationDataset(groups: [images], size: 16, description: "shifted blobs")
        for kind in RegistrationModel.Kind.allCases {
            let model = kind == .carl ? try Self.tinyCarl() : try RegistrationModel(kind: .constricon, hyper: .init(size: 16))
            var options = RegistrationTrainingOptions()
            (options.steps, options.batch, options.learningRate) = (6, 2, 1e-2)
            var reports: [RegistrationProgress] = []
            let result = model.train(data: data, options: options, progressInterval: 3) { reports.append($0) }
            XCTAssertEqual(reports.map(\.step), [3, 6], "\(kind)")
            XCTAssertEqual(result.pairsSeen, 12)
            let p0 = model.initialParameters(seed: options.seed)
            XCTAssertNotEqual(result.parameters, p0, "\(kind): training changed nothing")
            let pairs = [(images[0], images[1]), (images[2], images[3])].map { (moving: $0.0, fixed: $0.1) }
            let check = model.checkLaw(result.parameters, pairs: pairs)
            XCTAssertTrue(check.passed, "\(kind): \(check.law): \(check.worst)")
        }
    }
}
