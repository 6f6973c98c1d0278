import ArchSynthRuntime
import XCTest

/// Losses, the batched equivariant activation and the optimizers, against finite differences
/// and closed forms.
final class TrainingTests: XCTestCase {
    /// The batched activation wrapped as a node (input: batch; parameters: gates).
    struct ActivationNode: DifferentiableNode {
        let activation: EquivariantActivation
        let count: Int
        var inputSizes: [Int] { [activation.dimension * count] }
        var outputSize: Int { activation.dimension * count }
        var parameterCount: Int { activation.gateCount }
        func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
            let z = inputs[0]
            return (activation.forward(z, count: count, gates: parameters), { dy in
                var dg = [T](repeating: T.zero, count: parameters.count)
                let dz = activation.backward(z, dy, count: count, gates: parameters, gateGradient: &dg)
                return NodeGradient(parameters: dg, inputs: [dz])
            })
        }
    }

    func testEquivariantActivationGradients() {
        let a = EquivariantActivation(dimension: 7, gateOffset: 0, reluIndex: [0, 1], tanhIndex: [2], normStart: [0, 2, 4], normIndex: [3, 4, 5, 6])
        for count in [1, 3] {
            var rng = RuntimeRandom(seed: UInt64(count))
            let node = ActivationNode(activation: a, count: count)
            let fd = Derivatives.finiteDifferenceError(of: node, parameters: rng.normals(2), inputs: [rng.normals(7 * count)])
            XCTAssertLessThanOrEqual(fd.worst, 1e-6, fd.coordinate)
        }
        // The norm gate keeps directions: y_B ∥ z_B; ReLU zeroes negatives.
        let y = a.forward([-1.0, 2, 0.5, 3, 4, 0, 0], count: 1, gates: [0.0, 0])
        XCTAssertEqual(y[0], 0)
        XCTAssertEqual(y[1], 2)
        XCTAssertEqual(y[3] / y[4], 0.75, accuracy: 1e-15)
        XCTAssertEqual(y[3], 3 / (1 + exp(-5.0)), accuracy: 1e-15)  // ‖(3, 4)‖ = 5
    }

    /// ReLU on every coordinate in order runs one loop over the batch; the same set in another
    /// order runs the index table. Both must be max(z, 0) with NaN sent to 0 (the definition
    /// `!(z > 0) → 0`), and the backward pass must pass ∂L/∂y exactly where z > 0.
    func testWholeRowReLUMatchesTheIndexTableAndTheDefinition() {
        let whole = EquivariantActivation(dimension: 4, gateOffset: 0, reluIndex: [0, 1, 2, 3], tanhIndex: [], normStart: [0], normIndex: [])
        let shuffled = EquivariantActivation(dimension: 4, gateOffset: 0, reluIndex: [2, 0, 3, 1], tanhIndex: [], normStart: [0], normIndex: [])
        let z: [Float] = [-1.5, 0, 2.25, .nan, 3, -0.0, .infinity, -.infinity]
        let dy: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let expectedY: [Float] = [0, 0, 2.25, 0, 3, 0, .infinity, 0]
        let expectedDz: [Float] = [0, 0, 3, 0, 5, 0, 7, 0]
        for a in [whole, shuffled] {
            XCTAssertEqual(a.forward(z, count: 2, gates: []), expectedY)
            var gateGradient: [Float] = []
            XCTAssertEqual(a.backward(z, dy, count: 2, gates: [], gateGradient: &gateGradient), expectedDz)
        }
    }

    func testLossGradients() {
        var rng = RuntimeRandom(seed: 2)
        let y = rng.normals(12), t = (0..<12).map { $0 % 4 == 1 ? 1.0 : 0.0 }
        for loss in [
            { (y: [Double]) in Loss.meanSquaredError(batch: y, targets: t, count: 3) },
            { (y: [Double]) in Loss.softmaxCrossEntropy(batch: y, targets: t, count: 3, classes: 4) },
        ] {
            let g = loss(y).gradient
            for i in y.indices {
                var p = y, m = y
                p[i] += 1e-6
                m[i] -= 1e-6
                XCTAssertEqual(g[i], (loss(p).value - loss(m).value) / 2e-6, accuracy: 1e-8)
            }
        }
        // Cross-entropy of uniform logits is log(classes).
        XCTAssertEqual(Loss.softmaxCrossEntropy(batch: [Double](repeating: 0.3, count: 4), targets: [0, 0, 1, 0], count: 1, classes: 4).value, log(4.0), accuracy: 1e-15)
    }

    /// Adam's first step moves every parameter by the learning rate against the gradient's sign
    /// (bias correction makes m̂ = g, v̂ = g²).
    func testAdamFirstStepAndSGD() {
        var adam = Adam(learningRate: 0.1)
        var p: [Float] = [1, 2, 3]
        adam.step(&p, gradient: [0.5, -3, 1e-3])
        XCTAssertEqual(p[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(p[1], 2.1, accuracy: 1e-6)
        XCTAssertEqual(p[2], 2.9, accuracy: 1e-4)
        var sgd = SGD(learningRate: 0.5)
        var q = [1.0, 1]
        sgd.step(&q, gradient: [2, -2])
        XCTAssertEqual(q, [0, 2])
    }
}
