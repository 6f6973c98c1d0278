import ArchSynthRuntime
import XCTest

/// The unrolled-optimizer nodes: gradients against finite differences, Hessian-vector products
/// (forward-over-reverse through a pullback that itself runs on duals) against finite differences
/// of the gradient, and the laws beside them (including a broken energy whose law check fails).
final class UnrolledBlockNodeTests: XCTestCase {
    /// The S_n-invariant forms on x ⊕ c (both the permutation representation): I and J on the
    /// xx block, I and J coupling x to c; `broken` adds a term on x₀ only (not invariant).
    static func energy(_ n: Int, quartic: Bool, broken: Bool = false) -> InvariantFormEnergy {
        var e: [InvariantFormEnergy.Entry] = []
        for i in 0..<n { e.append(.init(form: 0, row: i, column: i, value: 1)) }
        for i in 0..<n { for j in 0..<n { e.append(.init(form: 1, row: i, column: j, value: 1)) } }
        for i in 0..<n {
            e.append(.init(form: 2, row: i, column: n + i, value: 1))
            e.append(.init(form: 2, row: n + i, column: i, value: 1))
        }
        for i in 0..<n {
            for j in 0..<n {
                e.append(.init(form: 3, row: i, column: n + j, value: 0.5))
                e.append(.init(form: 3, row: n + j, column: i, value: 0.5))
            }
        }
        if broken { e.append(.init(form: 0, row: 0, column: 0, value: 0.7)) }
        return InvariantFormEnergy(xSize: n, contextSize: n, formCount: 4, entries: e, pairs: quartic ? [[0, 0], [0, 2], [1, 3], [3, 3]] : [])
    }

    static func permutationLaw(_ n: Int, seed: UInt64) -> Law {
        var rng = RuntimeRandom(seed: seed)
        var perms: [[Int]] = [Array(0..<n)]
        for _ in 0..<6 {
            var p = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, rng.index(i + 1)) }
            perms.append(p)
        }
        let actions = perms.map { LinearAction.permutation($0) }
        return Law.linear(name: "S\(n) (sample)", inputs: [actions, actions], output: actions, isComplete: false)
    }

    func testEnergyStepAndUnrolledBlockMatchFiniteDifferences() {
        for (i, n) in [1, 3, 5].enumerated() {
            var rng = RuntimeRandom(seed: UInt64(40 + i))
            for quartic in [false, true] {
                let e = Self.energy(n, quartic: quartic)
                assertGradients(e, parameters: rng.normals(e.parameterCount), seed: UInt64(i))
                for normalized in [false, true] {
                    let step = GradientStep(energy: e, normalized: normalized)
                    assertGradients(step, parameters: [0.3] + rng.normals(e.parameterCount, scale: 0.5), seed: UInt64(i))
                    for shared in [false, true] {
                        let block = UnrolledGradient(step: step, steps: 3, shared: shared)
                        assertGradients(block, parameters: block.initialParameters(seed: UInt64(i), stepSize: 0.2, scale: 0.3), seed: UInt64(i))
                    }
                }
            }
        }
    }

    /// H·v from duals through the block's pullback (which already runs the energy on duals, so
    /// this runs it on Dual<Dual<Double>>) against central differences of the gradient.
    func testHessianVectorProductsOfTheUnrolledBlock() {
        for (i, n) in [2, 4].enumerated() {
            for normalized in [false, true] {
                let block = UnrolledGradient(step: GradientStep(energy: Self.energy(n, quartic: true), normalized: normalized), steps: 3, shared: false)
                var rng = RuntimeRandom(seed: UInt64(50 + i))
                let p = block.initialParameters(seed: UInt64(i), stepSize: 0.2, scale: 0.3)
                let x = [rng.normals(n), rng.normals(n)], w = rng.normals(n)
                let vp = rng.normals(block.parameterCount), vx = [rng.normals(n), rng.normals(n)]
                let (_, hv) = Derivatives.hessianVectorProduct(of: block, parameters: p, inputs: x, outputWeights: w, parameterDirection: vp, inputDirections: vx)
                func gradient(_ t: Double) -> [Double] {
                    let g = block.backward(zip(p, vp).map { $0 + t * $1 }, zip(x, vx).map { zip($0, $1).map { $0 + t * $1 } }, outputGradient: w)
                    return g.parameters + g.inputs[0] + g.inputs[1]
                }
                let h = 1e-4
                let (g2, g1, m1, m2) = (gradient(2 * h), gradient(h), gradient(-h), gradient(-2 * h))
                let numeric = g2.indices.map { (-g2[$0] + 8 * g1[$0] - 8 * m1[$0] + m2[$0]) / (12 * h) }
                let analytic = hv.parameters + hv.inputs[0] + hv.inputs[1]
                XCTAssertLessThanOrEqual(Law.relativeError(analytic, numeric), 1e-6, "n = \(n), normalized = \(normalized)")
            }
        }
    }

    func testUnrolledBlockObeysThePermutationLawAndABrokenEnergyFails() {
        for n in [3, 5] {
            let law = Self.permutationLaw(n, seed: UInt64(n))
            for k in [1, 8, 64] {
                for (quartic, normalized) in [(false, false), (true, true)] {
                    let block = UnrolledGradient(step: GradientStep(energy: Self.energy(n, quartic: quartic), normalized: normalized), steps: k, shared: k > 1)
                    let p = block.initialParameters(seed: 3)
                    let report = law.check(inputSizes: [n, n]) { block.forward(p, $0) }
                    XCTAssertLessThanOrEqual(report.worst, 1e-10, "n = \(n), K = \(k), quartic = \(quartic)\n\(report)")
                }
            }
            let broken = UnrolledGradient(step: GradientStep(energy: Self.energy(n, quartic: false, broken: true), normalized: false), steps: 4, shared: true)
            let p = broken.initialParameters(seed: 3)
            let report = law.check(inputSizes: [n, n], families: [.standardNormal]) { broken.forward(p, $0) }
            XCTAssertGreaterThan(report.worst, 1e-3, "a non-invariant energy must break the law\n\(report)")
        }
    }

    /// Translation fixed-point block: the derivative of the shifted signal matches differences
    /// in t; the [U,U] law holds at every K, a deliberately non-periodic step breaks it.
    func testPeriodicShiftAndFixedPointDiagonalLaw() {
        let n = 16, s = PeriodicSignal(count: n)
        var rng = RuntimeRandom(seed: 9)
        let a = rng.normals(n), t = 0.37, h = 1e-4
        let (_, da) = s.shiftedWithDerivative(a, by: t)
        let plus = s.shifted(a, by: t + h), minus = s.shifted(a, by: t - h)
        XCTAssertLessThanOrEqual(Law.relativeError(da, (0..<n).map { (plus[$0] - minus[$0]) / (2 * h) }), 1e-6)
        XCTAssertLessThanOrEqual(Law.relativeError(s.shifted(a, by: 3.0), PeriodicSignal.rolled(s.shifted(a, by: 0.0), by: 3)), 1e-13)
        // Derivative in t through duals equals the spatial derivative.
        let dual = s.shifted(a.map { Dual($0) }, by: Dual(t, 1.0)).map(\.tangent)
        XCTAssertLessThanOrEqual(Law.relativeError(dual, da), 1e-12)
        for k in [1, 4, 64] {
            let block = UnrolledFixedPoint(count: n, steps: k)
            let report = UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n)).check(inputSizes: [n, n]) { [block.shift($0[0], $0[1])] }
            XCTAssertLessThanOrEqual(report.worst, 1e-10, "K = \(k)\n\(report)")
        }
        // Broken: weight the first grid point twice (not shift-invariant).
        let broken = UnrolledFixedPoint.diagonalLaw(count: n, shifts: Array(0..<n)).check(inputSizes: [n, n], families: [.standardNormal]) { x in
            var b = x[1]
            b[0] *= 2
            return [UnrolledFixedPoint(count: n, steps: 4).shift(x[0], b)]
        }
        XCTAssertGreaterThan(broken.worst, 1e-3)
    }

    /// 2-D: derivatives of the shifted signal against differences; the [U,U] law at every K over
    /// all H·W shifts; recovering a known sub-pixel shift.
    func testFixedPoint2DShiftDerivativesAndDiagonalLaw() {
        let (h, w) = (4, 6)
        var rng = RuntimeRandom(seed: 12)
        let a = rng.normals(h * w), probe = UnrolledFixedPoint2D(height: h, width: w, steps: 0), e = 1e-5
        let (_, dy, dx) = probe.shifted(a, by: (0.2, -0.4))
        let py = probe.shifted(a, by: (0.2 + e, -0.4)).value, my = probe.shifted(a, by: (0.2 - e, -0.4)).value
        let px = probe.shifted(a, by: (0.2, -0.4 + e)).value, mx = probe.shifted(a, by: (0.2, -0.4 - e)).value
        XCTAssertLessThanOrEqual(Law.relativeError(dy, py.indices.map { (py[$0] - my[$0]) / (2 * e) }), 1e-6)
        XCTAssertLessThanOrEqual(Law.relativeError(dx, px.indices.map { (px[$0] - mx[$0]) / (2 * e) }), 1e-6)
        let shifts = (0..<(h * w)).map { (y: $0 / w, x: $0 % w) }
        for k in [1, 8] {
            let block = UnrolledFixedPoint2D(height: h, width: w, steps: k)
            let report = UnrolledFixedPoint2D.diagonalLaw(height: h, width: w, shifts: shifts).check(inputSizes: [h * w, h * w]) { block.shift($0[0], $0[1]) }
            XCTAssertLessThanOrEqual(report.worst, 1e-10, "K = \(k)\n\(report)")
        }
        // A smooth signal shifted by (0.5, −0.8) is recovered.
        let smooth = (0..<(h * w)).map { i in Double.cos(2 * Double.pi * Double(i % w) / Double(w) + 0.3) + Double.cos(2 * Double.pi * Double(i / w) / Double(h) + 1.1) }
        let t = UnrolledFixedPoint2D(height: h, width: w, steps: 32).shift(smooth, probe.shifted(smooth, by: (0.5, -0.8)).value)
        XCTAssertEqual(t[0], 0.5, accuracy: 1e-9)
        XCTAssertEqual(t[1], -0.8, accuracy: 1e-9)
    }

    /// The canonical joint roll: jointly rolled pairs get the same canonical arrays; a pair
    /// with a symmetry (constant) still gets one answer; the example of the documentation.
    func testRollCanonicalizationIsTheSameForJointlyRolledPairs() {
        var rng = RuntimeRandom(seed: 77)
        let (h, w) = (5, 7)
        let a = rng.normals(h * w), b = rng.normals(h * w)
        let u0 = RollCanonicalization.offset(b: b, a: a, height: h, width: w)
        let canonical = RollCanonicalization.rolled(b, height: h, width: w, by: u0) + RollCanonicalization.rolled(a, height: h, width: w, by: u0)
        for s in 0..<(h * w) {
            let shift = (y: s / w, x: s % w)
            let ra = UnrolledFixedPoint2D.rolled(a, height: h, width: w, by: shift), rb = UnrolledFixedPoint2D.rolled(b, height: h, width: w, by: shift)
            let u = RollCanonicalization.offset(b: rb, a: ra, height: h, width: w)
            XCTAssertEqual(RollCanonicalization.rolled(rb, height: h, width: w, by: u) + RollCanonicalization.rolled(ra, height: h, width: w, by: u), canonical)
        }
        let u = RollCanonicalization.offset(b: [2, 0, 1], a: [5, 6, 7], height: 1, width: 3)
        XCTAssertEqual(u.y, 0)
        XCTAssertEqual(u.x, 1)
        let flat = RollCanonicalization.offset(b: [Double](repeating: 3, count: 12), a: [Double](repeating: 1, count: 12), height: 3, width: 4)
        XCTAssertEqual(flat.y, 0)
        XCTAssertEqual(flat.x, 0)
    }

    /// The [U,U] law holds bit for bit on every input family, Cauchy included, at K = 64 (before
    /// the canonical roll, a 6×8 block ended 3.85 grid units apart on Cauchy inputs: rounding in
    /// reordered sums, amplified by the iteration).
    func testFixedPointDiagonalLawIsExactAtLargeK() {
        let (h, w) = (6, 8)
        let shifts = (0..<(h * w)).map { (y: $0 / w, x: $0 % w) }
        let block = UnrolledFixedPoint2D(height: h, width: w, steps: 64)
        let report = UnrolledFixedPoint2D.diagonalLaw(height: h, width: w, shifts: shifts).check(inputSizes: [h * w, h * w]) { block.shift($0[0], $0[1]) }
        XCTAssertEqual(report.worst, 0, "\(report)")
        let line = UnrolledFixedPoint(count: 12, steps: 64)
        let lineReport = UnrolledFixedPoint.diagonalLaw(count: 12, shifts: Array(0..<12)).check(inputSizes: [12, 12]) { [line.shift($0[0], $0[1])] }
        XCTAssertEqual(lineReport.worst, 0, "\(lineReport)")
    }
}
