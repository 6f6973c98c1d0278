import ArchSynth
import ArchSynthRuntime
import GroupTheory
import XCTest

/// The README's "Composing modules" example: a two-input network N(A, B) under S₅ × S₃ (A a
/// set of 5 items, B a set of 3), P = N(A, B) ∈ R^(5×3) with P[σA, τB] = σ P τᵀ, built from
/// solver layers, checked against finite differences, trained, and verified with the product
/// group's law over all 720 elements.
final class ComposingModulesTests: XCTestCase {
    static func pairNetwork() throws -> (graph: Graph, law: Law) {
        let g = try GroupResolver().resolve("symmetric:5 x symmetric:3")
        func layer(_ input: String, _ output: String) throws -> TiedLinear {
            TiedLinear(basis: try IntertwinerSolver.solve(
                group: g, input: try RepresentationExpression(parsing: input), output: try RepresentationExpression(parsing: output),
                options: SolverOptions()))
        }
        let l1 = try layer("natural_1 + natural_2", "4*(natural_1*natural_2)")
        let l2 = try layer("4*(natural_1*natural_2)", "natural_1*natural_2")
        var b = GraphBuilder(inputSizes: [5, 3])
        let ab = b.concat(b.inputs[0], b.inputs[1])
        let h = b.apply(Pointwise.relu(size: 60), [b.apply(l1, [ab])])
        let p = b.apply(l2, [h])
        let graph = b.build(output: p)
        let law = Law.representations(
            name: "S5 x S3", inputs: [try g.representation(parsing: "natural_1"), try g.representation(parsing: "natural_2")],
            output: try g.representation(parsing: "natural_1*natural_2"))
        return (graph, law)
    }

    func testPairNetworkGradientsTrainingAndLaw() throws {
        let (graph, law) = try Self.pairNetwork()
        XCTAssertEqual(law.elementCount, 720)  // |S5 × S3| = 120 · 6
        XCTAssertTrue(law.isComplete)
        var rng = RuntimeRandom(seed: 4)
        var theta = rng.normals(graph.parameterCount, scale: 0.3)
        let fd = Derivatives.finiteDifferenceError(of: graph, parameters: theta, inputs: [rng.normals(5), rng.normals(3)])
        XCTAssertLessThanOrEqual(fd.worst, 1e-6, fd.coordinate)

        // Target P_ij = |A_i − B_j|: equivariant, nonlinear.
        func example(_ rng: inout RuntimeRandom) -> ([[Double]], [Double]) {
            let a = rng.normals(5), c = rng.normals(3)
            return ([a, c], (0..<5).flatMap { i in (0..<3).map { j in abs(a[i] - c[j]) } })
        }
        var test: [([[Double]], [Double])] = []
        for _ in 0..<64 { test.append(example(&rng)) }
        func testLoss() -> Double { test.reduce(0) { $0 + Loss.meanSquaredError(graph.forward(theta, $1.0), $1.1).value } / Double(test.count) }
        let before = testLoss()
        var adam = Adam(learningRate: 1e-2)
        for _ in 0..<150 {
            var batch: [[[Double]]] = [], targets: [[Double]] = []
            for _ in 0..<16 {
                let (x, t) = example(&rng)
                batch.append(x)
                targets.append(t)
            }
            adam.step(&theta, gradient: graph.lossAndGradient(theta, batch: batch, targets: targets).gradient)
        }
        let after = testLoss()
        XCTAssertLessThan(after, before / 3, "test loss \(before) → \(after)")

        let report = law.check(inputSizes: [5, 3]) { graph.forward(theta, $0) }
        XCTAssertLessThanOrEqual(report.worst, 1e-12, "\(report)")
        // The same check fails for an unconstrained layer of the same shape: it can fail.
        var d = GraphBuilder(inputSizes: [5, 3])
        let dense = d.apply(TiedLinear.dense(inputSize: 8, outputSize: 15), [d.concat(d.inputs[0], d.inputs[1])])
        let plain = d.build(output: dense)
        let q = rng.normals(plain.parameterCount)
        XCTAssertGreaterThan(law.check(inputSizes: [5, 3]) { plain.forward(q, $0) }.worst, 0.1)
    }

    /// The library network and its graph are the same function with the same gradients.
    func testEquivariantNetworkModuleMatchesNetwork() throws {
        let g = try GroupResolver().resolve("D4")
        let description = try NetworkDescription.solving(typeName: "N", group: g, expressions: ["plane", "2*plane + vertices", "vertices"])
        var net = EquivariantNetwork(description: description, seed: 3)
        var rng = RuntimeRandom(seed: 8)
        net.parameters = rng.normals(net.parameters.count)
        let (graph, p) = net.module
        XCTAssertEqual(p.count, net.parameters.count)
        for _ in 0..<4 {
            let x = rng.normals(2)
            let a = net.forward(x), b = graph.forward(p, [x])
            for i in a.indices { XCTAssertEqual(a[i], b[i], accuracy: 1e-12) }
        }
        let fd = Derivatives.finiteDifferenceError(of: graph, parameters: p, inputs: [rng.normals(2)])
        XCTAssertLessThanOrEqual(fd.worst, 1e-6, fd.coordinate)
    }
}
