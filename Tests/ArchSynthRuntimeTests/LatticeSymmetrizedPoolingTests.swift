import ArchSynthRuntime
import XCTest

/// The point-group-symmetrized strided pooling (`LatticeStridedPooling.Kernel.symmetrized`) on
/// lattices whose point group is not made of signed permutations: weights against hand
/// derivations, the partition of unity by brute force, values against a reference written from
/// the definition (1/|H|) Σ_h Σ_{v ∈ D} f(s·X + h·v) with H enumerated here, the law over every
/// coarse translation × point element (p6, p6m, a user p3; strides 2 and 3), negative controls (a
/// one-pixel shift, the unsymmetrized block mean), the adjoint identity, the node's pullback, and
/// the refusals.
final class LatticeSymmetrizedPoolingTests: XCTestCase {
    /// p6's 60° rotation in axial coordinates (e₁, e₂ at 60°; ‖(a, b)‖² = a² + ab + b²).
    static let r6 = [[0, -1], [1, 1]]
    /// p6m's mirror (a, b) ↦ (b, a).
    static let m6 = [[0, 1], [1, 0]]
    /// The user p3 of `wallpaper:H(r=[[0,-1],[1,-1]];r^3;order=3)`: e₁ ↦ e₂, e₂ ↦ −e₁ − e₂, a 120°
    /// rotation when e₁, e₂ are at 120° (‖(a, b)‖² = a² − ab + b²).
    static let r3 = [[0, -1], [1, -1]]

    static func times(_ a: [[Int]], _ b: [[Int]]) -> [[Int]] {
        (0..<2).map { i in (0..<2).map { j in a[i][0] * b[0][j] + a[i][1] * b[1][j] } }
    }

    /// H enumerated by hand: rotations r^k (k < order), and with a mirror m also m·r^k.
    static func group(rotation r: [[Int]], order: Int, mirror: [[Int]]? = nil) -> [[[Int]]] {
        var rotations: [[[Int]]] = [[[1, 0], [0, 1]]]
        for _ in 1..<order { rotations.append(times(r, rotations[rotations.count - 1])) }
        return rotations + (mirror.map { m in rotations.map { times(m, $0) } } ?? [])
    }

    static func fields(_ generators: [[[Int]]], sides: [Int] = [12, 12], channels: Int = 2) -> LatticeFieldType {
        // ρ = the point representation: the generators' own integer matrices on 2 components
        // (not orthogonal in axial coordinates, so the law's ρ side is exercised).
        LatticeFieldType(
            sides: sides, channels: channels, fieldDimension: 2, pointGenerators: generators,
            generatorImages: generators.map { m in m.flatMap { $0.map(Double.init) } })
    }

    func random(_ n: Int, seed: UInt64) -> [Double] { LatticeStridedPoolingTests.random(n, seed: seed) }

    func worst(_ law: Law, _ f: ([Double]) -> [Double], _ x: [Double]) -> Double { LatticeStridedPoolingTests.worst(law, f, x) }

    func counts(_ pool: LatticeStridedPooling) -> [[Int]: Int] {
        Dictionary(uniqueKeysWithValues: pool.taps.map { ($0.offset, $0.count) })
    }

    /// Hand derivation, H = C₆ (r = [[0,−1],[1,1]]), s = 2, D = {(0,0), (1,0), (0,1), (1,1)}:
    /// k(u) = #{h : h⁻¹·u ∈ D} = #{(h, v) : v ∈ D, h·v = u}. C₆ fixes no nonzero lattice vector, so
    /// for u ≠ 0, k(u) = the number of points of D in the orbit of u. The orbits (norm a² + ab + b²):
    /// - 0: the origin, fixed by all 6 elements: k = 6, w = 1;
    /// - norm 1: (1,0), (0,1), (−1,1), (−1,0), (0,−1), (1,−1); D holds (1,0) and (0,1): k = 2, w = 1/3;
    /// - norm 3: (1,1), (−1,2), (−2,1), (−1,−1), (1,−2), (2,−1); D holds (1,1): k = 1, w = 1/6.
    /// 13 points; Σ w = 1 + 6/3 + 6/6 = 4 = s². For D₆ (p6m, |H| = 12) each nonzero orbit is the
    /// same set, now with stabilizers of order 2 (a mirror through u): k = 2·2 = 4 and 2·1 = 2,
    /// so w = 4/12 = 1/3 and 2/12 = 1/6, the same weights, and k(0) = 12.
    /// H = the user p3 (r = [[0,−1],[1,−1]]), s = 2: r sends (1,0) → (0,1) → (−1,−1) → (1,0) and
    /// (1,1) → (−1,0) → (0,−1) → (1,1). D holds (1,0), (0,1) of the first orbit (k = 2, w = 2/3)
    /// and (1,1) of the second (k = 1, w = 1/3); k(0) = 3. Σ w = 1 + 2 + 1 = 4. p3 has no
    /// inversion, and w(1,0) = 2/3 ≠ w(−1,0) = 1/3.
    func testWeightsAgainstHandDerivation() {
        let unit = [[1, 0], [0, 1], [-1, 1], [-1, 0], [0, -1], [1, -1]]
        let root3 = [[1, 1], [-1, 2], [-2, 1], [-1, -1], [1, -2], [2, -1]]
        for (name, generators, order, k0, kUnit, kRoot3) in [("p6", [Self.r6], 6, 6, 2, 1), ("p6m", [Self.r6, Self.m6], 12, 12, 4, 2)] {
            let pool = LatticeStridedPooling(input: Self.fields(generators), stride: 2)
            XCTAssertEqual(pool.kernel, .symmetrized, name)
            XCTAssertEqual(pool.pointOrder, order, name)
            var expected: [[Int]: Int] = [[0, 0]: k0]
            for u in unit { expected[u] = kUnit }
            for u in root3 { expected[u] = kRoot3 }
            XCTAssertEqual(counts(pool), expected, name)
        }
        let p3 = LatticeStridedPooling(input: Self.fields([Self.r3]), stride: 2)
        XCTAssertEqual(p3.pointOrder, 3)
        XCTAssertEqual(counts(p3), [[0, 0]: 3, [1, 0]: 2, [0, 1]: 2, [-1, -1]: 2, [-1, 0]: 1, [0, -1]: 1, [1, 1]: 1])
        // The taps are sorted, so the sums run in one fixed order.
        XCTAssertEqual(p3.taps.map(\.offset), p3.taps.map(\.offset).sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Σ_u w(u) = s^d and Σ_X w(x − s·X) = 1 for every x, by brute force over a window of x and
    /// every X whose translate can reach it, in integers (Σ k = |H|·s^d and Σ_X k(x − s·X) = |H|).
    func testPartitionOfUnity() {
        for (generators, stride) in [([Self.r6], 2), ([Self.r6], 3), ([Self.r6, Self.m6], 2), ([Self.r6, Self.m6], 3), ([Self.r3], 2), ([Self.r3], 3), ([Self.r3], 4)] {
            let pool = LatticeStridedPooling(input: Self.fields(generators, sides: [24, 24]), stride: stride)
            let k = counts(pool)
            XCTAssertEqual(k.values.reduce(0, +), pool.pointOrder * stride * stride, "\(generators) s=\(stride)")
            let reach = k.keys.map { $0.map(abs).max()! }.max()! / stride + 2
            for x0 in -7...7 {
                for x1 in -7...7 {
                    var total = 0
                    for X0 in (x0 / stride - reach)...(x0 / stride + reach) {
                        for X1 in (x1 / stride - reach)...(x1 / stride + reach) { total += k[[x0 - stride * X0, x1 - stride * X1]] ?? 0 }
                    }
                    XCTAssertEqual(total, pool.pointOrder, "\(generators) s=\(stride) x=(\(x0), \(x1))")
                }
            }
        }
    }

    /// Forward against y(X) = s^(−2)·(1/|H|) Σ_{h ∈ H} Σ_{v ∈ D} f(s·X + h·v) with H enumerated by
    /// hand (the definition of w summed over h first).
    func testForwardAgainstDefinition() {
        for (generators, group, stride) in [
            ([Self.r6], Self.group(rotation: Self.r6, order: 6), 2), ([Self.r6, Self.m6], Self.group(rotation: Self.r6, order: 6, mirror: Self.m6), 3),
            ([Self.r3], Self.group(rotation: Self.r3, order: 3), 3),
        ] {
            let fields = Self.fields(generators)
            let pool = LatticeStridedPooling(input: fields, stride: stride)
            let x = random(fields.dimension, seed: 11)
            let y = pool.forward(x, count: 1)
            let n = 12, m = 12 / stride
            for c in 0..<2 {
                for X0 in 0..<m {
                    for X1 in 0..<m {
                        for a in 0..<2 {
                            var sum = 0.0
                            for h in group {
                                for v0 in 0..<stride {
                                    for v1 in 0..<stride {
                                        let p0 = ((stride * X0 + h[0][0] * v0 + h[0][1] * v1) % n + n) % n
                                        let p1 = ((stride * X1 + h[1][0] * v0 + h[1][1] * v1) % n + n) % n
                                        sum += x[(c * n * n + p0 * n + p1) * 2 + a]
                                    }
                                }
                            }
                            let want = sum / Double(group.count * stride * stride)
                            XCTAssertEqual(y[(c * m * m + X0 * m + X1) * 2 + a], want, accuracy: 1e-14, "\(generators) s=\(stride) X=(\(X0), \(X1))")
                        }
                    }
                }
            }
        }
    }

    /// The law over every coarse translation × point element (the point group about the origin),
    /// and two controls: a one-pixel fine shift matches no coarse translation, and the plain block
    /// mean (no symmetrization, written here by index arithmetic) breaks the law of the rotations.
    func testLawOverEveryElementAndControls() {
        for (name, generators, order, stride) in [
            ("p6", [Self.r6], 6, 2), ("p6", [Self.r6], 6, 3), ("p6m", [Self.r6, Self.m6], 12, 2), ("p6m", [Self.r6, Self.m6], 12, 3),
            ("p3", [Self.r3], 3, 2), ("p3", [Self.r3], 3, 3),
        ] {
            let fields = Self.fields(generators)
            let pool = LatticeStridedPooling(input: fields, stride: stride)
            let law = pool.law(limit: 100_000)
            XCTAssertTrue(law.isComplete, name)
            XCTAssertEqual(law.elementCount, (12 / stride) * (12 / stride) * order, "\(name) s=\(stride)")
            let x = random(fields.dimension, seed: 7)
            XCTAssertLessThan(worst(law, { pool.forward($0, count: 1) }, x), 1e-13, "\(name) s=\(stride)")

            // Control 1: one fine step along the last axis matches no coarse translation.
            let identity = [[1, 0], [0, 1]]
            let shifted = pool.forward(fields.act(translation: [0, 1], matrix: identity, rho: fields.image(ofWord: []), x), count: 1)
            let y = pool.forward(x, count: 1)
            var closest = Double.infinity
            for q in 0..<pool.output.points {
                let moved = pool.output.act(translation: pool.output.coordinates(q), matrix: identity, rho: fields.image(ofWord: []), y)
                closest = min(closest, zip(moved, shifted).map { abs($0 - $1) }.max()!)
            }
            XCTAssertGreaterThan(closest, 1e-2, "\(name) s=\(stride): a fine step")

            // Control 2: the plain block mean y(X) = s⁻² Σ_{v ∈ D} f(s·X + v) under the same law.
            let m = 12 / stride
            func blockMean(_ f: [Double]) -> [Double] {
                var out = [Double](repeating: 0, count: 2 * m * m * 2)
                for c in 0..<2 {
                    for X0 in 0..<m {
                        for X1 in 0..<m {
                            for v0 in 0..<stride {
                                for v1 in 0..<stride {
                                    for a in 0..<2 {
                                        out[(c * m * m + X0 * m + X1) * 2 + a] += f[(c * 144 + (stride * X0 + v0) * 12 + stride * X1 + v1) * 2 + a] / Double(stride * stride)
                                    }
                                }
                            }
                        }
                    }
                }
                return out
            }
            XCTAssertGreaterThan(worst(law, blockMean, x), 1e-2, "\(name) s=\(stride): the unsymmetrized block mean")
        }
    }

    /// ⟨P f, g⟩ = ⟨f, Pᵀ g⟩ for a batch of 3, and the node's pullback against central differences.
    func testAdjointAndPullback() {
        for (generators, stride) in [([Self.r6], 2), ([Self.r3], 3), ([Self.r6, Self.m6], 2)] {
            let pool = LatticeStridedPooling(input: Self.fields(generators), stride: stride)
            let f = random(3 * pool.input.dimension, seed: 2), g = random(3 * pool.output.dimension, seed: 3)
            let left = zip(pool.forward(f, count: 3), g).reduce(0) { $0 + $1.0 * $1.1 }
            let right = zip(f, pool.backward(g, count: 3)).reduce(0) { $0 + $1.0 * $1.1 }
            XCTAssertEqual(left, right, accuracy: 1e-12 * max(1, abs(left)), "\(generators) s=\(stride)")
            assertGradients(pool, seed: 4)
        }
    }

    /// The symmetrized kernel is the default only where the block mean does not apply; the block
    /// mean on a hexagonal lattice and the other refusals keep their messages.
    func testKernelChoiceAndRefusals() {
        XCTAssertEqual(LatticeStridedPooling.Kernel.standard(for: [Self.r6]), .symmetrized)
        XCTAssertEqual(LatticeStridedPooling.Kernel.standard(for: [Self.r6, Self.m6]), .symmetrized)
        XCTAssertEqual(LatticeStridedPooling.Kernel.standard(for: [Self.r3]), .symmetrized)
        XCTAssertEqual(LatticeStridedPooling.Kernel.standard(for: [[[0, -1], [1, 0]], [[1, 0], [0, -1]]]), .blockMean)
        XCTAssertEqual(LatticeStridedPooling.Kernel.standard(for: []), .blockMean)
        let hexagonal = Self.fields([Self.r6])
        XCTAssertNil(LatticeStridedPooling.problem(input: hexagonal, stride: 2))
        XCTAssertTrue(LatticeStridedPooling.problem(input: hexagonal, stride: 2, kernel: .blockMean)!.contains("not a signed permutation"))
        XCTAssertTrue(LatticeStridedPooling.problem(input: hexagonal, stride: 5)!.contains("does not divide the grid side 12"))
        XCTAssertTrue(LatticeStridedPooling.problem(input: hexagonal, stride: 0)!.contains("positive integer"))
        // The symmetrized kernel also fits a square lattice (about the origin), when asked for.
        let square = LatticeFieldType(sides: [8, 8], channels: 1, fieldDimension: 1, pointGenerators: [[[0, -1], [1, 0]]], generatorImages: [[1]])
        let tent = LatticeStridedPooling(input: square, stride: 2, kernel: .symmetrized)
        XCTAssertEqual(counts(tent), [[0, 0]: 4, [1, 0]: 2, [0, 1]: 2, [-1, 0]: 2, [0, -1]: 2, [1, 1]: 1, [-1, 1]: 1, [1, -1]: 1, [-1, -1]: 1])
        XCTAssertLessThan(worst(tent.law(limit: 10_000), { tent.forward($0, count: 1) }, random(64, seed: 9)), 1e-13)
    }
}
