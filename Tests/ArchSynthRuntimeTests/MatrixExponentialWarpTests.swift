import ArchSynthRuntime
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// MatrixExponential, Warp and DisplacementComposition: adjoints against finite differences,
/// closed forms, and the laws beside them (with a broken variant the check must fail).
final class MatrixExponentialWarpTests: XCTestCase {
    func maxAbs(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

    func testExponentialGradientsAndInverse() {
        var rng = RuntimeRandom(seed: 41)
        for n in [2, 3, 4] {
            for scale in [0.05, 0.7, 3.0] {
                let a = rng.normals(n * n, scale: scale)
                let (worst, at) = Derivatives.finiteDifferenceError(of: MatrixExponential(n: n), parameters: [], inputs: [a])
                XCTAssertLessThanOrEqual(worst, 1e-6, "n \(n) scale \(scale) at \(at)")
            }
            for _ in 0..<5 {
                let v = rng.normals(n * n, scale: 0.5)
                let p = DenseMatrix.multiply(MatrixExponential.exp(v, n), MatrixExponential.exp(v.map { -$0 }, n), n)
                XCTAssertLessThanOrEqual(maxAbs(p, DenseMatrix.identity(n)), 1e-13)
            }
        }
    }

    func testExponentialClosedForms() {
        for t in [0.3, 1.3, 3.0, 40.0] {
            let r = MatrixExponential.exp([0, -t, 0, t, 0, 0, 0, 0, 0], 3)
            XCTAssertLessThanOrEqual(maxAbs(r, [cos(t), -sin(t), 0, sin(t), cos(t), 0, 0, 0, 1]), 1e-12 * max(1, t))
        }
        // Strictly upper triangular N: e^N = I + N + N²/2 + N³/6 exactly.
        let nil4: [Double] = [0, 1.5, -2, 0.25, 0, 0, 3, 1, 0, 0, 0, -0.5, 0, 0, 0, 0]
        let n2 = DenseMatrix.multiply(nil4, nil4, 4), n3 = DenseMatrix.multiply(n2, nil4, 4)
        let id: [Double] = DenseMatrix.identity(4)
        var series = [Double](repeating: 0, count: 16)
        for k in 0..<16 {
            let first: Double = id[k] + nil4[k]
            series[k] = first + n2[k] / 2 + n3[k] / 6
        }
        XCTAssertLessThanOrEqual(maxAbs(MatrixExponential.exp(nil4, 4), series), 1e-14)
        // Translation part of a homogeneous generator: exp([[0, b], [0, 0]]) = [[I, b], [0, 1]].
        XCTAssertLessThanOrEqual(maxAbs(MatrixExponential.exp([0, 0, 2, 0, 0, -3, 0, 0, 0], 3), [1, 0, 2, 0, 1, -3, 0, 0, 1]), 1e-15)
    }

    func testExponentialHessianVectorProductMatchesDifferencedGradients() {
        var rng = RuntimeRandom(seed: 5)
        let node = MatrixExponential(n: 3)
        let a = rng.normals(9, scale: 0.8), dir = rng.normals(9), w = rng.normals(9)
        let hv = Derivatives.hessianVectorProduct(of: node, parameters: [], inputs: [a], outputWeights: w, parameterDirection: [], inputDirections: [dir])
        let h = 1e-5
        let gp = node.backward([], [zip(a, dir).map { $0 + h * $1 }], outputGradient: w).inputs[0]
        let gm = node.backward([], [zip(a, dir).map { $0 - h * $1 }], outputGradient: w).inputs[0]
        let fd = zip(gp, gm).map { ($0 - $1) / (2 * h) }
        XCTAssertLessThanOrEqual(maxAbs(hv.hessianVector.inputs[0], fd), 1e-6)
    }

    /// Law: f(A, B) = e^(A−B) obeys f(B, A) = f(A, B)⁻¹; e^(A−2B) does not.
    func testExponentialInverseLawAndBrokenVariant() {
        let node = MatrixExponential(n: 3)
        let families: [InputFamily] = [.standardNormal, .tiny, .oneHot, .constant]
        let law = Law.swap(output: .inverseMatrix(3))
        let good = law.check(inputSizes: [9, 9], families: families) { x in node.forward([Double](), [zip(x[0], x[1]).map { 0.3 * ($0 - $1) }]) }
        XCTAssertLessThanOrEqual(good.worst, 1e-12, good.description)
        let bad = law.check(inputSizes: [9, 9], families: families) { x in node.forward([Double](), [zip(x[0], x[1]).map { 0.3 * ($0 - 2 * $1) }]) }
        XCTAssertGreaterThan(bad.worst, 1e-3, bad.description)
    }

    /// A map whose fractional parts stay in [0.1, 0.9], so the ±2h finite differences stay inside one cell.
    func randomMap(_ h: Int, _ w: Int, _ rng: inout RuntimeRandom) -> [Double] {
        var m: [Double] = Warp.identityMap(height: h, width: w)
        for k in m.indices { m[k] += Double(rng.index(9)) - 4 + rng.uniform(0.1, 0.9) }
        return m
    }

    func testWarpGradients() {
        var rng = RuntimeRandom(seed: 8)
        for (h, w, c) in [(3, 4, 1), (5, 5, 2), (6, 4, 3)] {
            for mode in [Warp.Boundary.periodic, .border] {
                let node = Warp(channels: c, height: h, width: w, mode: mode)
                let (worst, at) = Derivatives.finiteDifferenceError(of: node, parameters: [], inputs: [rng.normals(c * h * w), randomMap(h, w, &rng)])
                XCTAssertLessThanOrEqual(worst, 1e-6, "warp \(h)x\(w)x\(c) \(mode) at \(at)")
                let compose = DisplacementComposition(height: h, width: w, mode: mode)
                var v = randomMap(h, w, &rng)
                let id: [Double] = Warp.identityMap(height: h, width: w)
                for k in v.indices { v[k] -= id[k] }
                let (cw, cat) = Derivatives.finiteDifferenceError(of: compose, parameters: [], inputs: [rng.normals(2 * h * w), v])
                XCTAssertLessThanOrEqual(cw, 1e-6, "compose \(h)x\(w) \(mode) at \(cat)")
            }
        }
    }

    func testWarpIdentityAndComposition() {
        var rng = RuntimeRandom(seed: 9)
        let (h, w) = (5, 7)
        let s = rng.normals(2 * h * w)
        for mode in [Warp.Boundary.periodic, .border] {
            let warp = Warp(channels: 2, height: h, width: w, mode: mode)
            XCTAssertEqual(warp.forward([Double](), [s, Warp.identityMap(height: h, width: w)]), s)
            // (id + u)∘id = id + u and id∘(id + v) = id + v.
            let compose = DisplacementComposition(height: h, width: w, mode: mode)
            let zero = [Double](repeating: 0, count: 2 * h * w)
            XCTAssertEqual(compose.forward([Double](), [s, zero]), s)
            XCTAssertEqual(compose.forward([Double](), [zero, s]), s)
        }
        // A constant integer shift t: (id + u)∘(id + t) displacement = t + u(· + t) (periodic).
        let t = [Double](repeating: 2, count: h * w) + [Double](repeating: -3, count: h * w)
        let out = DisplacementComposition(height: h, width: w, mode: .periodic).forward([Double](), [s, t])
        for plane in 0..<2 {
            for i in 0..<h {
                for j in 0..<w {
                    let src = plane * h * w + ((i + 2) % h) * w + ((j - 3 + w) % w)
                    XCTAssertEqual(out[plane * h * w + i * w + j], t[plane * h * w] + s[src], accuracy: 1e-12)
                }
            }
        }
    }

    /// Law (periodic): warp(T_t s, m + t) = warp(s, m) for integer shifts t (T_t s(x) = s(x − t));
    /// the border mode breaks it, so the check can fail.
    func testWarpTranslationLawAndBorderFails() {
        let (h, w) = (4, 5), shifts = [(0, 0), (1, 2), (3, -1)]
        func law() -> Law {
            Law(
                name: "integer translation", elementCount: shifts.count, isComplete: false,
                actOnInputs: { g, x in
                    let (a, b) = shifts[g]
                    var s = x[0], m = x[1]
                    for i in 0..<h {
                        for j in 0..<w {
                            s[(((i + a) % h + h) % h) * w + ((j + b) % w + w) % w] = x[0][i * w + j]
                            m[i * w + j] += Double(a)
                            m[h * w + i * w + j] += Double(b)
                        }
                    }
                    return [s, m]
                }, actOnOutput: { _, y in y })
        }
        let families: [InputFamily] = [.standardNormal, .oneHot, .constant, .cauchy]
        let good = law().check(inputSizes: [h * w, 2 * h * w], families: families) { x in
            Warp(channels: 1, height: h, width: w, mode: .periodic).forward([Double](), x)
        }
        XCTAssertLessThanOrEqual(good.worst, 1e-12, good.description)
        let bad = law().check(inputSizes: [h * w, 2 * h * w], families: [.standardNormal]) { x in
            Warp(channels: 1, height: h, width: w, mode: .border).forward([Double](), x)
        }
        XCTAssertGreaterThan(bad.worst, 1e-2, bad.description)
    }

    /// The swap-inversion helper nodes: FixedSparseMap, DisplacementWarp, AffineField, AffineAfter and
    /// the scaling-and-squaring graph, at two sizes each.
    func testSwapInversionHelperNodeGradients() {
        var rng = RuntimeRandom(seed: 12)
        for (h, w) in [(3, 4), (5, 5)] {
            let map = FixedSparseMap(inputSize: 3, outputSize: h * w, entries: (0..<(h * w)).map { .init(row: $0, column: $0 % 3, coefficient: rng.normal()) })
            XCTAssertLessThanOrEqual(Derivatives.finiteDifferenceError(of: map, parameters: [], inputs: [rng.normals(3)]).worst, 1e-6)
            var d = randomMap(h, w, &rng)
            let id: [Double] = Warp.identityMap(height: h, width: w)
            for k in d.indices { d[k] -= id[k] }
            let dw = DisplacementWarp(channels: 2, height: h, width: w, mode: .periodic)
            XCTAssertLessThanOrEqual(Derivatives.finiteDifferenceError(of: dw, parameters: [], inputs: [rng.normals(2 * h * w), d]).worst, 1e-6)
            XCTAssertLessThanOrEqual(Derivatives.finiteDifferenceError(of: AffineField(height: h, width: w), parameters: [], inputs: [rng.normals(9)]).worst, 1e-6)
            XCTAssertLessThanOrEqual(Derivatives.finiteDifferenceError(of: AffineAfter(height: h, width: w), parameters: [], inputs: [rng.normals(9), rng.normals(2 * h * w)]).worst, 1e-6)
            let integrate = VelocityIntegration.graph(height: h, width: w, squarings: 3, mode: .periodic)
            let (e, at) = Derivatives.finiteDifferenceError(of: integrate, parameters: [], inputs: [rng.normals(2 * h * w, scale: 0.3)], step: 1e-6)
            XCTAssertLessThanOrEqual(e, 1e-6, "integration at \(at)")
        }
        // The identity matrix gives the zero field; exp of a zero velocity is the zero displacement.
        XCTAssertEqual(AffineField(height: 4, width: 6).forward([Double](), [[1, 0, 0, 0, 1, 0, 0, 0, 1]]).map(abs).max()!, 0, accuracy: 1e-15)
        XCTAssertEqual(VelocityIntegration.graph(height: 4, width: 4, squarings: 7, mode: .periodic).forward([Double](), [Double](repeating: 0, count: 32)), [Double](repeating: 0, count: 32))
    }
}
