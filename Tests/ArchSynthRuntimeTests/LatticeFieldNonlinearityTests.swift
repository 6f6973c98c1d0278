import ArchSynthRuntime
import XCTest

/// The norm and gated nonlinearities on lattice fields (issue 21): values against closed forms,
/// the law over every translation × point element on the torus (with a non-orthogonal field, p6's
/// axial `point` representation, and its Gram metric), a Euclidean norm on that field as the
/// negative control, and the pullback against central differences.
final class LatticeFieldNonlinearityTests: XCTestCase {
    /// p6 on a 6×6 hexagonal grid: the 60° rotation in axial coordinates, and ρ = the same matrix
    /// (the `point` field, not orthogonal). Its invariant inner product is the Gram matrix of the
    /// axial basis vectors e₁, e₂ at 60°: [[1, ½], [½, 1]].
    static let p6Rotation = [[0, -1], [1, 1]]
    static let axialGram: [Double] = [1, 0.5, 0.5, 1]

    func field(channels: Int, dimension d: Int, images: [[Double]]) -> LatticeFieldType {
        LatticeFieldType(sides: [6, 6], channels: channels, fieldDimension: d, pointGenerators: [Self.p6Rotation], generatorImages: images)
    }

    func random(_ n: Int, seed: UInt64) -> [Double] {
        var rng = RuntimeRandom(seed: seed)
        return (0..<n).map { _ in rng.unit() * 2 - 1 }
    }

    func testValuesMatchClosedForms() {
        // One field v = (3, 4) at one point, Euclidean norm 5, b = 1.
        let relu = LatticeFieldNonlinearity(kind: .normReLU, channels: 1, points: 1, fieldDimension: 2)
        let y0 = relu.forward([3.0, 4.0], count: 1, biases: [1.0])
        XCTAssertEqual(y0[0], 3 * 4 / 5, accuracy: 1e-15)
        XCTAssertEqual(y0[1], 4 * 4 / 5, accuracy: 1e-15)
        XCTAssertEqual(relu.forward([3.0, 4.0], count: 1, biases: [6.0]), [0, 0], "ReLU(5 − 6) = 0")
        XCTAssertEqual(relu.forward([0.0, 0.0], count: 1, biases: [-1.0]), [0, 0], "0 ↦ 0")
        // |b|: a negative bias is a dead zone too (continuity at 0), ReLU(5 − 6) = 0.
        XCTAssertEqual(relu.forward([3.0, 4.0], count: 1, biases: [-6.0]), [0, 0])
        let tiny = relu.forward([3e-300, 4e-300], count: 1, biases: [-1.0])
        XCTAssertEqual(tiny, [0, 0], "a field of rounding size stays 0, not |b| in its direction")
        let sigmoid = LatticeFieldNonlinearity(kind: .normSigmoid, channels: 1, points: 1, fieldDimension: 2)
        XCTAssertEqual(sigmoid.forward([3.0, 4.0], count: 1, biases: [5.0]), [1.5, 2], "sigmoid(0) = ½")
        XCTAssertEqual(sigmoid.forward([3e-300, 4e-300], count: 1, biases: [1.0])[1] / 4e-300, 1 / (1 + Double.exp(1)), accuracy: 1e-15)
        // With the axial Gram metric ‖(1, 1)‖² = 1 + 1 + 2·½ = 3.
        let hex = LatticeFieldNonlinearity(kind: .normReLU, channels: 1, points: 1, fieldDimension: 2, metric: Self.axialGram)
        let y = hex.forward([1.0, 1.0], count: 1, biases: [0.0])
        XCTAssertEqual(y, [1, 1], "b = 0 is the identity")
        let z = hex.forward([1.0, 1.0], count: 1, biases: [Double(3).squareRoot() / 2])
        XCTAssertEqual(z[0], 0.5, accuracy: 1e-15)
        // Gated: field (v, γ) with γ = 0 halves v; γ = log 3 gives ¾ v; the gate is dropped.
        let gated = LatticeFieldNonlinearity(kind: .gated, channels: 1, points: 2, fieldDimension: 2)
        XCTAssertEqual(gated.inputDimension, 6)
        XCTAssertEqual(gated.outputDimension, 4)
        XCTAssertEqual(gated.biasCount, 0)
        let log3 = 1.0986122886681098  // sigmoid(log 3) = 3/4
        let g = gated.forward([2.0, -4.0, 0.0, 4.0, 8.0, log3], count: 1, biases: [Double]())
        XCTAssertEqual(g[0], 1, accuracy: 1e-15)
        XCTAssertEqual(g[1], -2, accuracy: 1e-15)
        XCTAssertEqual(g[2], 3, accuracy: 1e-14)
        XCTAssertEqual(g[3], 6, accuracy: 1e-14)
    }

    /// f(g·x) = g·f(x) for all 36 translations × 6 rotations on p6's non-orthogonal point field with
    /// the Gram metric, for both norm nonlinearities and the gated one (field(point + trivial) →
    /// field(point)); the Euclidean norm on the same field breaks the law (negative control).
    func testLawOverEveryElementOfP6() {
        let rho: [Double] = [0, -1, 1, 1]
        let point = field(channels: 2, dimension: 2, images: [rho])
        let pointGate = field(channels: 2, dimension: 3, images: [[0, -1, 0, 1, 1, 0, 0, 0, 1]])
        let biases = [0.3, -0.2]
        let cases: [(String, LatticeFieldNonlinearity, LatticeFieldType, Bool)] = [
            ("norm-relu, Gram metric", LatticeFieldNonlinearity(kind: .normReLU, channels: 2, points: 36, fieldDimension: 2, metric: Self.axialGram), point, true),
            ("norm-sigmoid, Gram metric", LatticeFieldNonlinearity(kind: .normSigmoid, channels: 2, points: 36, fieldDimension: 2, metric: Self.axialGram), point, true),
            ("gated", LatticeFieldNonlinearity(kind: .gated, channels: 2, points: 36, fieldDimension: 2), pointGate, true),
            ("norm-sigmoid, Euclidean norm (control)", LatticeFieldNonlinearity(kind: .normSigmoid, channels: 2, points: 36, fieldDimension: 2), point, false),
        ]
        for (name, node, input, holds) in cases {
            let law = Law.lattice(input: input, output: point, limit: 10_000)
            XCTAssertTrue(law.isComplete, name)
            XCTAssertEqual(law.elementCount, 36 * 6, name)
            let x = random(input.dimension, seed: 5)
            let y = node.forward(x, count: 1, biases: biases)
            var worst = 0.0
            for e in 0..<law.elementCount {
                let left = node.forward(law.actOnInputs(e, [x])[0], count: 1, biases: biases)
                let right = law.actOnOutput(e, y)
                let scale = right.map { abs($0) }.max()!
                worst = max(worst, zip(left, right).map { abs($0 - $1) }.max()! / scale)
            }
            if holds {
                XCTAssertLessThan(worst, 1e-13, name)
            } else {
                XCTAssertGreaterThan(worst, 1e-3, name)
            }
        }
    }

    /// The pullback (input and bias gradients) against central differences, in Double, on points
    /// away from the ReLU's kink, for each kind, with and without a metric.
    func testPullbackMatchesCentralDifferences() {
        let nodes = [
            LatticeFieldNonlinearity(kind: .normReLU, channels: 2, points: 3, fieldDimension: 2, metric: Self.axialGram),
            LatticeFieldNonlinearity(kind: .normReLU, channels: 2, points: 3, fieldDimension: 3),
            LatticeFieldNonlinearity(kind: .normSigmoid, channels: 2, points: 3, fieldDimension: 2, metric: Self.axialGram),
            LatticeFieldNonlinearity(kind: .normSigmoid, channels: 2, points: 3, fieldDimension: 3),
            LatticeFieldNonlinearity(kind: .gated, channels: 2, points: 3, fieldDimension: 2),
        ]
        for (k, node) in nodes.enumerated() {
            let count = 2
            let x = random(count * node.inputDimension, seed: 40 + UInt64(k))
            let b = node.biasCount == 0 ? [Double]() : [0.2, -0.05]
            let w = random(count * node.outputDimension, seed: 90 + UInt64(k))
            func loss(_ x: [Double], _ b: [Double]) -> Double { zip(node.forward(x, count: count, biases: b), w).reduce(0) { $0 + $1.0 * $1.1 } }
            var db = [Double](repeating: 0, count: b.count)
            let dx = node.backward(x, w, count: count, biases: b, biasGradient: &db)
            // Central differences of the loss along coordinate i of one argument.
            func central(_ v: [Double], _ i: Int, _ f: ([Double]) -> Double) -> Double {
                let h = 1e-6
                var p = v, m = v
                p[i] += h
                m[i] -= h
                return (f(p) - f(m)) / (2 * h)
            }
            for i in x.indices {
                let fd = central(x, i) { loss($0, b) }
                XCTAssertEqual(dx[i], fd, accuracy: 1e-7 * max(1, abs(fd)), "\(node.kind) metric \(!node.metric.isEmpty): ∂/∂x[\(i)]")
            }
            for j in b.indices {
                let fd = central(b, j) { loss(x, $0) }
                XCTAssertEqual(db[j], fd, accuracy: 1e-7 * max(1, abs(fd)), "\(node.kind): ∂/∂b[\(j)]")
            }
            // The module-layer form (one sample) gives the same gradients as the batch form.
            let one = Array(x[0..<node.inputDimension])
            let pulled = node.valueWithPullback(b, [one]).pullback(Array(w[0..<node.outputDimension]))
            var db1 = [Double](repeating: 0, count: b.count)
            XCTAssertEqual(pulled.inputs[0], node.backward(one, Array(w[0..<node.outputDimension]), count: 1, biases: b, biasGradient: &db1))
            XCTAssertEqual(pulled.parameters, db1)
        }
    }
}
