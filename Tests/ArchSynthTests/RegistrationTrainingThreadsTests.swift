import ArchSynth
import ArchSynthRuntime
import XCTest

/// `train` splits each step's pairs across threads and sums their gradients in pair order: the
/// parameters after training are the single-thread ones bit for bit, for both templates and both
/// precisions (`RegistrationPrecision`).
final class RegistrationTrainingThreadsTests: XCTestCase {
    func testTrainingIsBitIdenticalForEveryThreadCount() throws {
        var rng = RuntimeRandom(seed: 41)
        let base = RegistrationModelTests.blobImage(size: 16, &rng)
        let images = [(0, 0), (2, 2), (4, -2), (-2, 4)].map { PeriodicGrid(height: 16, width: 16).translate(base, by: $0.0, $0.1) }
        let data = RegistrationDataset(groups: [images], size: 16, description: "shifted blobs")
        for kind in RegistrationModel.Kind.allCases {
            let model = kind == .carl ? try RegistrationModelTests.tinyCarl() : try RegistrationModel(kind: .constricon, hyper: .init(size: 16))
            var trained: [RegistrationPrecision: [Double]] = [:]
            for precision in RegistrationPrecision.allCases {
                var options = RegistrationTrainingOptions()
                (options.steps, options.batch, options.learningRate, options.precision) = (2, 3, 1e-2, precision)
                let one = model.train(data: data, options: options, threads: 1)
                XCTAssertNotEqual(one.parameters, model.initialParameters(seed: options.seed), "\(kind), \(precision): training changed nothing")
                for threads in [2, 3] {
                    let many = model.train(data: data, options: options, threads: threads)
                    XCTAssertEqual(many.parameters.map(\.bitPattern), one.parameters.map(\.bitPattern), "\(kind), \(precision), \(threads) threads")
                    XCTAssertEqual(many.finalLoss.bitPattern, one.finalLoss.bitPattern, "\(kind), \(precision), \(threads) threads")
                }
                trained[precision] = one.parameters
            }
            // Float is another arithmetic (negative control), and no precision means Double.
            XCTAssertNotEqual(trained[.float], trained[.double], "\(kind): Float training ran in Double")
            var options = RegistrationTrainingOptions()
            (options.steps, options.batch, options.learningRate) = (2, 3, 1e-2)
            XCTAssertEqual(model.train(data: data, options: options, threads: 1).parameters.map(\.bitPattern), trained[.double]!.map(\.bitPattern), "\(kind): nil precision")
        }
    }
}
