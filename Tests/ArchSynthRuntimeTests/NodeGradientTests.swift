import ArchSynthRuntime
import XCTest

/// Every node's pullback against central finite differences (Double, relative error ≤ 1e-6),
/// at several sizes and random points; laws beside the gradients.
final class NodeGradientTests: XCTestCase {
    func testStructuralNodes() {
        for (i, n) in [1, 3, 8].enumerated() {
            assertGradients(Concatenation(sizes: [n, n + 1, 2]), seed: UInt64(i))
            assertGradients(Slice(inputSize: n + 4, start: 2, count: n), seed: UInt64(i))
            assertGradients(Difference(size: n), seed: UInt64(i))
            assertGradients(Sum(size: n), seed: UInt64(i))
            assertGradients(Scale(size: n, factor: -2.5), seed: UInt64(i))
            assertGradients(Permute.swapHalves(n, n + 2), seed: UInt64(i))
        }
    }

    func testPointwiseAndNormGate() {
        for (i, n) in [2, 5, 9].enumerated() {
            assertGradients(Pointwise.relu(size: n), seed: UInt64(10 + i))
            assertGradients(Pointwise.tanh(size: n), seed: UInt64(10 + i))
            assertGradients(Pointwise(size: n, function: .relu, coordinates: [0, n - 1]), seed: UInt64(10 + i))
            assertGradients(NormGate(size: n + 2, blocks: [[0, 1], Array(2..<(n + 2))]), seed: UInt64(10 + i))
        }
    }

    func testLinearNodes() {
        for (i, n) in [1, 4, 7].enumerated() {
            assertGradients(TiedLinear.dense(inputSize: n, outputSize: n + 2), seed: UInt64(20 + i))
            // W = θ₀ I + θ₁ 11ᵀ (the S_n-equivariant maps on R^n), b = β 1.
            var e: [TiedLinear.Entry] = []
            for r in 0..<n {
                for c in 0..<n {
                    if r == c { e.append(.init(row: r, column: c, parameter: 0, coefficient: 1)) }
                    e.append(.init(row: r, column: c, parameter: 1, coefficient: 0.5))
                }
            }
            let tied = TiedLinear(inputSize: n, outputSize: n, weightCount: 2, biasCount: 1, entries: e, biasEntries: (0..<n).map { .init(row: $0, parameter: 0, coefficient: 1) })
            assertGradients(tied, seed: UInt64(30 + i))
        }
    }

    /// A composite with shared weights used twice: v(A,B) = N(A⊕B) − N(B⊕A).
    func testGraphWithSharedWeightsAndItsSwapLaw() {
        for n in [2, 3, 6] {
            let (graph, _) = antisymmetricGraph(n)
            assertGradients(graph, seed: UInt64(n))
            var rng = RuntimeRandom(seed: 99)
            let p = rng.normals(graph.parameterCount)
            let report = Law.swap(output: .negate).check(inputSizes: [n, n]) { graph.forward(p, $0) }
            XCTAssertEqual(report.elementCount, 2)
            XCTAssertLessThanOrEqual(report.worst, 1e-15, "\(report)")
            // A graph that does not antisymmetrize breaks the law: the check can fail.
            var b = GraphBuilder(inputSizes: [n, n])
            let y = b.apply(TiedLinear.dense(inputSize: 2 * n, outputSize: n), [b.concat(b.inputs[0], b.inputs[1])])
            let plain = b.build(output: y)
            let q = rng.normals(plain.parameterCount)
            XCTAssertGreaterThan(Law.swap(output: .negate).check(inputSizes: [n, n]) { plain.forward(q, $0) }.worst, 0.1)
        }
    }

}

/// v(A,B) = N(A⊕B) − N(B⊕A) with one N (shared weights), N = dense ∘ tanh ∘ dense.
func antisymmetricGraph(_ n: Int) -> (Graph, ParameterBlock) {
        var b = GraphBuilder(inputSizes: [n, n])
        let hidden = TiedLinear.dense(inputSize: 2 * n, outputSize: 3 * n)
        let out = TiedLinear.dense(inputSize: 3 * n, outputSize: n)
        let ph = b.parameters(for: hidden), po = b.parameters(for: out)
        func net(_ x: Graph.Value, _ b: inout GraphBuilder) -> Graph.Value {
            let h = b.apply(hidden, [x], parameters: ph)
            let a = b.apply(Pointwise.tanh(size: 3 * n), [h])
            return b.apply(out, [a], parameters: po)
        }
        let ab = net(b.concat(b.inputs[0], b.inputs[1]), &b)
        let ba = net(b.concat(b.inputs[1], b.inputs[0]), &b)
        let v = b.apply(Difference(size: n), [ab, ba])
        return (b.build(output: v), ph)
}

extension NodeGradientTests {

    /// Nested graphs: a graph used as a node inside another graph.
    func testNestedGraph() {
        let (inner, _) = antisymmetricGraph(3)
        var b = GraphBuilder(inputSizes: [3, 3])
        let v = b.apply(inner, [b.inputs[0], b.inputs[1]])
        let w = b.apply(Pointwise.tanh(size: 3), [v])
        let s = b.apply(Sum(size: 3), [w, b.inputs[0]])
        let outer = b.build(output: s)
        assertGradients(outer, seed: 5)
    }
}

/// Hessian-vector products by forward-over-reverse against finite differences of gradients
/// and against a Hessian known in closed form.
final class HessianVectorProductTests: XCTestCase {
    /// s(θ, x) = ⟨w, W(θ) x⟩ is bilinear: ∂²s/∂x² = 0, ∂²s/∂θ∂x known.
    func testQuadraticFormExact() {
        // s(x) = xᵀ A x via a graph: y = A x (dense, parameters = A), then ⟨x, y⟩ through a
        // second linear with shared ... simpler: f(θ; x) = x ⊙ (A x) summed by w = 1.
        let n = 4
        var b = GraphBuilder(inputSizes: [n])
        let ax = b.apply(TiedLinear.dense(inputSize: n, outputSize: n, bias: false), [b.inputs[0]])
        let prod = b.apply(Product(size: n), [ax, b.inputs[0]])
        let g = b.build(output: prod)
        var rng = RuntimeRandom(seed: 3)
        let a = rng.normals(n * n), x = rng.normals(n), v = rng.normals(n)
        let (_, hv) = Derivatives.hessianVectorProduct(
            of: g, parameters: a, inputs: [x], outputWeights: [Double](repeating: 1, count: n),
            parameterDirection: [Double](repeating: 0, count: n * n), inputDirections: [v])
        // H_xx = A + Aᵀ.
        for i in 0..<n {
            var expected = 0.0
            for j in 0..<n { expected += (a[i * n + j] + a[j * n + i]) * v[j] }
            XCTAssertEqual(hv.inputs[0][i], expected, accuracy: 1e-12)
        }
    }

    func testAgainstFiniteDifferencesOfGradients() {
        let (graph, _) = antisymmetricGraph(3)
        var rng = RuntimeRandom(seed: 11)
        let p = rng.normals(graph.parameterCount), x = [rng.normals(3), rng.normals(3)]
        let w = rng.normals(3), vp = rng.normals(graph.parameterCount), vx = [rng.normals(3), rng.normals(3)]
        let (_, hv) = Derivatives.hessianVectorProduct(of: graph, parameters: p, inputs: x, outputWeights: w, parameterDirection: vp, inputDirections: vx)
        let h = 1e-5
        func grad(_ t: Double) -> NodeGradient<Double> {
            let pt = zip(p, vp).map { $0 + t * $1 }
            let xt = zip(x, vx).map { zip($0, $1).map { $0 + t * $1 } }
            return graph.backward(pt, xt, outputGradient: w)
        }
        let gp = grad(h), gm = grad(-h)
        for i in hv.parameters.indices {
            let fd = (gp.parameters[i] - gm.parameters[i]) / (2 * h)
            XCTAssertEqual(hv.parameters[i], fd, accuracy: 1e-6 * max(1, abs(fd)), "parameter \(i)")
        }
        for j in 0..<2 {
            for i in 0..<3 {
                let fd = (gp.inputs[j][i] - gm.inputs[j][i]) / (2 * h)
                XCTAssertEqual(hv.inputs[j][i], fd, accuracy: 1e-6 * max(1, abs(fd)), "input \(j)[\(i)]")
            }
        }
    }
}

/// The gradient check fails a node whose adjoint is wrong by a small amount.
final class GradientCheckMutationTests: XCTestCase {
    struct SlightlyWrongSquare: DifferentiableNode {
        var inputSizes: [Int] { [3] }
        var outputSize: Int { 3 }
        var parameterCount: Int { 0 }
        func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
            let x = inputs[0]
            return (x.map { $0 * $0 }, { dy in NodeGradient(parameters: [], inputs: [(0..<3).map { dy[$0] * T(2.00001) * x[$0] }]) })
        }
    }

    func testWrongAdjointIsCaught() {
        let (worst, _) = Derivatives.finiteDifferenceError(of: SlightlyWrongSquare(), parameters: [], inputs: [[0.3, -1.2, 2]])
        XCTAssertGreaterThan(worst, 1e-6)
    }
}
