import ArchSynthRuntime
import XCTest

@testable import ArchSynthExperiments

/// The rotated-digits experiment's data and models: the exported file holds scikit-learn's digits
/// (1,797 images; class sizes 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 as documented for
/// load_digits), the test transformations are the rotations and the mirror of the square (r⁴ = 1,
/// m² = 1, r m r = m), and the G-CNN classifier's logits do not change under them while the CNN's do
/// (negative control).
final class RotatedDigitsTests: XCTestCase {
    func testDigitsFileIsScikitLearnsDigits() throws {
        let digits = try RotatedDigitsExperiment.loadDigits()
        XCTAssertEqual(digits.count, 1797)
        var counts = [Int](repeating: 0, count: 10)
        for d in digits { counts[d.label] += 1 }
        XCTAssertEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    func testTransformsAreTheSquaresSymmetries() {
        let n = RotatedDigitsExperiment.side
        var rng = RuntimeRandom(seed: 1)
        let x = (0..<(n * n)).map { _ in rng.uniform(-1, 1) }
        let t = RotatedDigitsExperiment.transforms
        XCTAssertEqual(t.map(\.name), ["upright", "rotated 90°", "rotated 180°", "rotated 270°", "reflected"])
        func apply(_ k: Int, _ v: [Double]) -> [Double] { RotatedDigitsExperiment.transformed(v, t[k].map) }
        XCTAssertEqual(apply(1, apply(1, apply(1, apply(1, x)))), x)
        XCTAssertEqual(apply(1, apply(1, x)), apply(2, x))
        XCTAssertEqual(apply(1, apply(2, x)), apply(3, x))
        XCTAssertEqual(apply(4, apply(4, x)), x)
        XCTAssertEqual(apply(1, apply(4, apply(1, x))), apply(4, x))
        XCTAssertNotEqual(apply(1, x), x)
    }

    /// The orbit has |D₄| = 8 distinct images of a generic input and is the same set for every image
    /// in it; the invariant nearest neighbour therefore gives the same error on every transformed
    /// test set, and on a pool that holds the test images themselves both classifiers are exact.
    func testDihedralOrbitAndInvariantNearestNeighbour() throws {
        let n = RotatedDigitsExperiment.side
        var rng = RuntimeRandom(seed: 2)
        let x = (0..<(n * n)).map { _ in rng.uniform(-1, 1) }
        let orbit = RotatedDigitsExperiment.dihedralOrbit(x)
        XCTAssertEqual(orbit.count, 8)
        XCTAssertEqual(Set(orbit.map { $0.map(\.bitPattern) }).count, 8)
        for y in orbit {
            XCTAssertEqual(Set(RotatedDigitsExperiment.dihedralOrbit(y).map { $0.map(\.bitPattern) }), Set(orbit.map { $0.map(\.bitPattern) }))
        }
        let digits = Array(try RotatedDigitsExperiment.loadDigits().prefix(60))
        let exact = RotatedDigitsExperiment.nearestNeighbourErrors(pool: digits, test: Array(digits.prefix(20)), sizes: [60])
        XCTAssertEqual(exact.plain, [0])
        XCTAssertEqual(exact.invariant, [0])
        // Rotating every test digit by 180° leaves the invariant error unchanged and (a negative
        // control) changes the plain one.
        let pool = Array(digits.prefix(40)), test = Array(digits.suffix(20))
        let turned = test.map { d in
            RotatedDigitsExperiment.Digit(label: d.label, pixels: (0..<64).map { d.pixels[63 - $0] })
        }
        let upright = RotatedDigitsExperiment.nearestNeighbourErrors(pool: pool, test: test, sizes: [40])
        let rotated = RotatedDigitsExperiment.nearestNeighbourErrors(pool: pool, test: turned, sizes: [40])
        XCTAssertEqual(upright.invariant, rotated.invariant)
        XCTAssertNotEqual(upright.plain, rotated.plain)
    }

    func testGCNNLogitsAreInvariantAndTheCNNsAreNot() throws {
        let digits = try RotatedDigitsExperiment.loadDigits()
        let n = RotatedDigitsExperiment.side
        let gcnn = try RotatedDigitsExperiment.Classifier(spec: "wallpaper:p4m:\(n)x\(n)", hidden: "2*field(regular)", output: "3*field(regular)", seed: 5)
        let cnn = try RotatedDigitsExperiment.Classifier(spec: "wallpaper:p1:\(n)x\(n)", hidden: "4*field(trivial)", output: "4*field(trivial)", seed: 5)
        let image = RotatedDigitsExperiment.placed(digits[7])
        for (k, t) in RotatedDigitsExperiment.transforms.enumerated().dropFirst() {
            let moved = RotatedDigitsExperiment.transformed(image, t.map)
            let batch = (image + moved).map(Float.init)
            let g = gcnn.evaluate(batch, count: 2, labels: nil, threads: 1).logits
            XCTAssertLessThan(Law.relativeError(Array(g[0..<10]), Array(g[10..<20])), 1e-5, "G-CNN, \(t.name)")
            let c = cnn.evaluate(batch, count: 2, labels: nil, threads: 1).logits
            if k != 2 {
                // (the CNN with a global mean is not invariant to a quarter turn or a mirror)
                XCTAssertGreaterThan(Law.relativeError(Array(c[0..<10]), Array(c[10..<20])), 1e-4, "CNN, \(t.name)")
            }
        }
    }

    /// The classifier's gradient (convolutions' adjoints, ReLU, mean, head, softmax cross-entropy)
    /// against central differences of its loss, on a few coordinates of every parameter block.
    func testClassifierGradientAgainstFiniteDifferences() throws {
        let digits = try RotatedDigitsExperiment.loadDigits()
        let n = RotatedDigitsExperiment.side
        var net = try RotatedDigitsExperiment.Classifier(spec: "wallpaper:p4m:\(n)x\(n)", hidden: "field(regular)", output: "2*field(regular)", seed: 9)
        var rng = RuntimeRandom(seed: 4)
        net.parameters = net.parameters.map { $0 + rng.uniform(-0.05, 0.05) }
        let batch = [digits[3], digits[11]]
        let x = batch.flatMap { RotatedDigitsExperiment.placed($0).map(Float.init) }
        let labels = batch.map(\.label)
        let g = try XCTUnwrap(net.evaluate(x, count: 2, labels: labels, threads: 1).gradient)
        let blocks = [0, net.conv1.weightCount + net.conv1.biasCount, net.parameters.count - 15, net.parameters.count - 1]
        for i in blocks {
            var plus = net, minus = net
            let h = 1e-2
            plus.parameters[i] += h
            minus.parameters[i] -= h
            let fd = (plus.evaluate(x, count: 2, labels: labels, threads: 1).loss - minus.evaluate(x, count: 2, labels: labels, threads: 1).loss) / (2 * h)
            XCTAssertEqual(g[i], fd, accuracy: 2e-3 * max(1, abs(fd)), "parameter \(i)")
        }
    }

    /// Every coordinate of the gradient, in Double, of both kinds of classifier with three
    /// convolutions and the mean and max statistics, against central differences of the loss on a
    /// small grid (6×6, so the check is fast; random inputs away from ReLU kinks and max ties).
    func testFullDoubleGradientAgainstFiniteDifferences() throws {
        for spec in ["wallpaper:p4m:6x6", "wallpaper:p1:6x6"] {
            let regular = spec.contains("p4m")
            let layers = regular ? ["field(regular)", "field(regular)", "2*field(regular)"] : ["3*field(trivial)", "4*field(trivial)", "3*field(trivial)"]
            var net = try RotatedDigitsExperiment.Classifier(spec: spec, layers: layers, statistics: [.mean, .max], seed: 11)
            var rng = RuntimeRandom(seed: 6)
            net.parameters = net.parameters.map { $0 + rng.uniform(-0.1, 0.1) }
            let x = (0..<(3 * 36)).map { _ in rng.uniform(0, 1) }
            let labels = [2, 7, 7]
            let g = try XCTUnwrap(net.evaluate(scalar: x, count: 3, labels: labels, threads: 1).gradient)
            XCTAssertEqual(g.count, net.parameters.count)
            var worst = 0.0
            for i in net.parameters.indices {
                var plus = net, minus = net
                let h = 1e-6
                plus.parameters[i] += h
                minus.parameters[i] -= h
                let fd = (plus.evaluate(scalar: x, count: 3, labels: labels, threads: 1).loss - minus.evaluate(scalar: x, count: 3, labels: labels, threads: 1).loss) / (2 * h)
                worst = max(worst, abs(g[i] - fd) / max(1, abs(fd)))
            }
            XCTAssertLessThan(worst, 1e-6, spec)
        }
    }

    /// Issue 21 regression: the experiment's G-CNN, trained as in the experiment (Adam, lr 1e-2)
    /// on one image per class for 100 steps of 10, must bring its training loss well below
    /// ln 10 ≈ 2.30 (the loss of equal logits). The original design (two ReLU layers, the mean
    /// only) did not: in the diagnosis (EXPERIMENTS.md section 7) it ended at 1.89 and 1.90 after
    /// this recipe on 10 images (two seeds) and at 2.28 after 300 steps on 50 images.
    func testGCNNFitsASmallTrainingSet() throws {
        let digits = try RotatedDigitsExperiment.loadDigits()
        let train = Array(digits.prefix(10))
        XCTAssertEqual(train.map(\.label), Array(0..<10), "load_digits' first ten targets are 0…9")
        var net = try RotatedDigitsExperiment.models[0].build(7)
        func loss() -> Double {
            net.evaluate(train.flatMap { RotatedDigitsExperiment.placed($0).map(Float.init) }, count: train.count, labels: train.map(\.label), threads: 1).loss
        }
        XCTAssertGreaterThan(loss(), 2.0)
        let c = RotatedDigitsExperiment.Configuration(sizes: [], steps: 100, batch: 10, testCount: 0, threads: 1)
        RotatedDigitsExperiment.train(&net, on: train, configuration: c, seed: 3)
        XCTAssertLessThan(loss(), 1.0)
    }
}
