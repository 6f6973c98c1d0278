import ArchSynth
import ArchSynthRuntime
import Foundation
import XCTest

/// The Float training path (`RegistrationPrecision.float`): the loss and its gradient in Float
/// agree with the Double graph on the same (Float-representable) parameters and images, and the
/// Float gradient is the derivative of the loss (central differences of the Double loss, an
/// independent computation); the model file records the precision and a file written before the
/// option loads as Double. (Thread counts: `RegistrationTrainingThreadsTests`.)
final class RegistrationFloatTrainingTests: XCTestCase {
    /// Small carl (both logit kinds) and constricon models on 8×8 / 16×16 grids.
    func models() throws -> [(String, RegistrationModel)] {
        var h = RegistrationModel.Hyperparameters(size: 8)
        (h.poolFactor, h.channels, h.depth, h.featureStencil, h.refineChannels, h.refineDepth) = (2, 2, 1, 3, 2, 2)
        var dot = h
        (dot.consensus, dot.matching) = (nil, "dot")
        var c = RegistrationModel.Hyperparameters(size: 8)
        c.hidden = 2
        return [
            ("carl distance+consensus", try RegistrationModel(kind: .carl, hyper: h)),
            ("carl dot", try RegistrationModel(kind: .carl, hyper: dot)),
            ("constricon", try RegistrationModel(kind: .constricon, hyper: c)),
        ]
    }

    /// x rounded to Float and back, so both precisions see the same numbers.
    func representable(_ x: [Double]) -> [Double] { x.map { Double(Float($0)) } }

    func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
        var d = 0.0, n = 0.0
        for i in a.indices {
            d += (a[i] - b[i]) * (a[i] - b[i])
            n += b[i] * b[i]
        }
        return (d / n).squareRoot()
    }

    func testFloatLossAndGradientAgreeWithDoubleAndWithFiniteDifferences() throws {
        let pair = RegistrationModelTests.pairs(size: 8, count: 1, seed: 11)[0]
        let (moving, fixed) = (representable(pair.moving), representable(pair.fixed))
        let lambda = 0.05
        for (name, model) in try models() {
            var p = model.initialParameters(seed: 4)
            for k in p.indices { p[k] *= 2 }
            p = representable(p)
            let d = model.loss(p, moving: moving, fixed: fixed, regularization: lambda)
            let f = model.loss(p, moving: moving, fixed: fixed, regularization: lambda, precision: .float)
            let fDirect = model.loss(p.map { Float($0) }, moving: moving.map { Float($0) }, fixed: fixed.map { Float($0) }, regularization: lambda)
            XCTAssertEqual(f.gradient, fDirect.gradient.map { Double($0) }, "\(name): the precision entry is the Float graph")
            XCTAssertGreaterThan(d.similarity, 1e-4, "\(name): a degenerate pair")
            // Float arithmetic, not Double: the two paths differ (negative control) …
            XCTAssertNotEqual(f.gradient, d.gradient, "\(name): the Float path ran in Double")
            // … by rounding only (Float ε = 6e-8; the graph has a few hundred operations per value).
            XCTAssertEqual(f.similarity, d.similarity, accuracy: 1e-4 * d.similarity, name)
            XCTAssertEqual(f.regularizer, d.regularizer, accuracy: 1e-4 * max(d.regularizer, 1e-6), name)
            let gradientError = relativeDistance(f.gradient, d.gradient)
            XCTAssertLessThan(gradientError, 1e-3, "\(name): ‖g_float − g_double‖ / ‖g_double‖")
            // The Float gradient against central differences of the Double loss along random
            // directions (the loss is piecewise smooth: best of three steps, as the Double check).
            var rng = RuntimeRandom(seed: 5)
            for _ in 0..<3 {
                let v = rng.normals(p.count)
                func total(_ t: Double) -> Double {
                    let l = model.loss(zip(p, v).map { $0 + t * $1 }, moving: moving, fixed: fixed, regularization: lambda)
                    return l.similarity + lambda * l.regularizer
                }
                let analytic = zip(f.gradient, v).map { $0 * $1 }.reduce(0, +)
                let errors = [1e-4, 1e-5, 1e-6].map { h -> Double in
                    let numeric = (total(h) - total(-h)) / (2 * h)
                    return abs(numeric - analytic) / max(abs(analytic), 1e-8)
                }
                XCTAssertLessThan(errors.min()!, 2e-3, "\(name): directional derivative, every step: \(errors)")
            }
        }
    }

    func testModelFileRecordsPrecisionAndOldFilesReadAsDouble() throws {
        let model = try RegistrationModelTests.tinyCarl()
        var options = RegistrationTrainingOptions()
        options.precision = .float
        let file = RegistrationModelFile(
            template: .carl, hyperparameters: model.hyper,
            training: .init(images: "test", options: options, pairsSeen: 0, finalLoss: 1, seconds: 0), parameters: model.initialParameters(seed: 1))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        XCTAssertTrue(String(decoding: try Data(contentsOf: url), as: UTF8.self).contains("\"precision\" : \"float\""))
        XCTAssertEqual(try RegistrationModelFile.read(from: url).file.training.options.precision, .float)
        // A file written before the option (no "precision" key) reads, as Double.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var training = json["training"] as! [String: Any]
        var recorded = training["options"] as! [String: Any]
        recorded.removeValue(forKey: "precision")
        training["options"] = recorded
        json["training"] = training
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let old = try RegistrationModelFile.read(from: url).file.training.options
        XCTAssertNil(old.precision)
        XCTAssertEqual(old.resolvedPrecision, .double)
        // An unknown precision is refused, naming the value.
        recorded["precision"] = "half"
        training["options"] = recorded
        json["training"] = training
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        XCTAssertThrowsError(try RegistrationModelFile.read(from: url)) { XCTAssertTrue("\($0)".contains("half"), "\($0)") }
    }
}
