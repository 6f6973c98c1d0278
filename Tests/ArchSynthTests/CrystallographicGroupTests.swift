import ArchSynth
import GroupTheory
import XCTest

/// Wallpaper and space groups on periodic grids (issue 21, part 1): orders, bad parameters, and
/// equivariant bases whose dimensions are counted independently from the definition.
final class CrystallographicGroupTests: XCTestCase {
    typealias S = SolverTestSupport

    /// |T ⋊ P| = (grid points) · |P|, with |P| from the crystallographic point groups: C₁ 1, C₂ 2,
    /// D₂ 4, C₄ 4, D₄ 8, C₆ 6, D₆ 12, O 24, O_h 48 (International Tables, Vol. A).
    func testOrdersAreGridPointsTimesPointGroupOrder() throws {
        let cases: [(String, Int)] = [
            ("wallpaper:p1:3x5", 15), ("wallpaper:p2:4x6", 48), ("wallpaper:pmm:4x6", 96),
            ("wallpaper:p4:5x5", 100), ("wallpaper:p4:8", 256), ("wallpaper:p4m:6x6", 288), ("wallpaper:p4m:16x16", 2048),
            ("wallpaper:p6:4x4", 96), ("wallpaper:p6:7x7", 294), ("wallpaper:p6m:5x5", 300), ("wallpaper:p6m:6x6", 432),
            ("space:O:3x3x3", 648), ("space:Oh:3x3x3", 1296), ("space:Oh:4x4x4", 3072),
        ]
        for (text, order) in cases {
            let group = try S.group(text)
            XCTAssertEqual(group.order, BigUInt(order), text)
        }
    }

    func testBadParametersNameTheProblem() {
        let cases: [(String, String)] = [
            ("wallpaper:p4:4x6", "all sides must be equal"),
            ("wallpaper:p6m:5x6", "all sides must be equal"),
            ("wallpaper:p4m:2x2", "at least 3"),
            ("wallpaper:p5:8x8", "unknown wallpaper group \"p5\""),
            ("space:Oh:4x4", "3-D grid"),
            ("wallpaper:p4:8x8x8", "2-D grid"),
            ("wallpaper:p4:08x8", "digits only"),
            ("wallpaper:p4:x8", "digits only"),
            ("wallpaper:p4:256x256", "above the supported"), ("space:Oh:33x33x33", "above the supported"),
        ]
        for (text, expected) in cases {
            do {
                _ = try S.group(text)
                XCTFail("\(text) was accepted")
            } catch {
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }

    /// field(trivial) → field(trivial): the equivariant maps of a permutation representation are
    /// spanned by the orbits of G on pairs of points; translations make every pair (0, v), so
    /// the count is the number of orbits of P on the grid's coordinate vectors, counted here
    /// by a naive closure written from the definition (the point matrices below are typed in
    /// independently of the library's table). Hand check: O_h on 3³ has 4 orbits (the origin,
    /// the 6 face centres, the 12 edge centres, the 8 corners).
    func testScalarFieldMapsCountPointGroupOrbits() throws {
        let cases: [(String, [Int], [[[Int]]])] = [
            ("wallpaper:p4:5x5", [5, 5], [[[0, -1], [1, 0]]]),
            ("wallpaper:p4m:6x6", [6, 6], [[[0, -1], [1, 0]], [[1, 0], [0, -1]]]),
            ("wallpaper:p6:4x4", [4, 4], [[[0, -1], [1, 1]]]),
            ("wallpaper:p6m:5x5", [5, 5], [[[0, -1], [1, 1]], [[0, 1], [1, 0]]]),
            ("wallpaper:pmm:4x6", [4, 6], [[[1, 0], [0, -1]], [[-1, 0], [0, 1]]]),
            ("space:Oh:3x3x3", [3, 3, 3], [[[1, 0, 0], [0, 0, -1], [0, 1, 0]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[-1, 0, 0], [0, -1, 0], [0, 0, -1]]]),
        ]
        for (text, sides, generators) in cases {
            let expected = Self.orbitCount(sides: sides, generators: generators)
            let basis = try S.solve(text, "field(trivial)", "field(trivial)")
            XCTAssertEqual(basis.dimension, expected, text)
            XCTAssertEqual(basis.biasDimension, 1, text)
        }
        XCTAssertEqual(Self.orbitCount(sides: [3, 3, 3], generators: cases.last!.2), 4)
    }

    /// field(pointRegular) is the regular representation of T ⋊ P (G acts freely and
    /// transitively on (point, p) pairs), so its endomorphisms are the group convolutions:
    /// dimension |G|. field(point) → field(trivial) on p4m: Hom is spanned by the orbits of P
    /// on grid vectors whose stabilizer fixes a vector of the 2-D point representation; that is
    /// checked against the character inner product the solver computes for every basis.
    func testRegularFieldsGiveGroupConvolutions() throws {
        for text in ["wallpaper:p4m:4x4", "wallpaper:p6:3x3", "wallpaper:p4:5x5"] {
            let group = try S.group(text)
            let basis = try S.solve(text, "field(pointRegular)", "field(pointRegular)")
            XCTAssertEqual(BigUInt(basis.dimension), group.order, text)
            XCTAssertEqual(basis.crossCheck.characterDimension, basis.dimension, text)
        }
        let mixed = try S.solve("wallpaper:p4m:4x4", "field(point)", "field(trivial) + field(pointSign)")
        XCTAssertEqual(mixed.crossCheck.characterDimension, mixed.dimension)
        XCTAssertGreaterThan(mixed.dimension, 0)
    }

    func testFieldIsNaturalTimesItsArgument() throws {
        let e = try RepresentationExpression(parsing: "8*field(pointRegular)")
        XCTAssertEqual(e, try RepresentationExpression(parsing: "8*(natural*pointRegular)"))
    }

    /// Orbits of the group generated by integer matrices acting on Z_{n₁} × … (mod each side).
    static func orbitCount(sides: [Int], generators: [[[Int]]]) -> Int {
        let total = sides.reduce(1, *)
        func vector(_ i: Int) -> [Int] {
            var v = [Int](), rest = i
            for n in sides.reversed() { v.insert(rest % n, at: 0); rest /= n }
            return v
        }
        func index(_ v: [Int]) -> Int { zip(v, sides).reduce(0) { $0 * $1.1 + (($1.0 % $1.1) + $1.1) % $1.1 } }
        var seen = [Bool](repeating: false, count: total)
        var orbits = 0
        for start in 0..<total where !seen[start] {
            orbits += 1
            var stack = [start]
            seen[start] = true
            while let i = stack.popLast() {
                let v = vector(i)
                for m in generators {
                    let j = index(m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } })
                    if !seen[j] { seen[j] = true; stack.append(j) }
                }
            }
        }
        return orbits
    }
}

/// Steerable stencil convolutions on the grids of wallpaper and space groups (issue 21, part 2).
final class LatticeConvolutionTests: XCTestCase {
    typealias S = SolverTestSupport

    func convolution(_ spec: String, _ input: String, _ output: String, support: Int) throws -> LatticeConvolution {
        try LatticeConvolution(
            group: try S.group(spec), input: try RepresentationExpression(parsing: input),
            output: try RepresentationExpression(parsing: output), support: support)
    }

    /// Scalar fields: one kernel parameter per orbit of P on the stencil. Counted by hand:
    /// D₄ and C₄ on 3×3 (centre, 4 edges, 4 corners) 3; D₂ = pmm on 3×3 (centre, the two
    /// vertical, the two horizontal, the 4 corners) 4; C₆ on the 7-point hexagon 2; D₄ on 5×5
    /// 6 (centre; (0,±1)…; (±1,±1); (0,±2)…; (±1,±2),(±2,±1); (±2,±2)); O_h on 3³ 4.
    /// Regular point fields: Hom_P(regular, V) ≅ V, so |S| · d_out = |S| · |P| parameters.
    func testKernelBasisDimensionsAgainstHandCounts() throws {
        let scalar: [(String, Int, Int)] = [
            ("wallpaper:p4m:8x8", 3, 3), ("wallpaper:p4:8x8", 3, 3), ("wallpaper:pmm:6x8", 3, 4), ("wallpaper:p6:6x6", 3, 2),
            ("wallpaper:p4m:8x8", 5, 6), ("space:Oh:4x4x4", 3, 4),
        ]
        for (spec, k, expected) in scalar {
            let c = try convolution(spec, "field(trivial)", "field(trivial)", support: k)
            XCTAssertEqual(c.kernelBasis.dimension, expected, "\(spec) k=\(k)")
            XCTAssertEqual(c.kernelBasis.crossCheck.characterDimension, expected, "\(spec) characters")
            XCTAssertEqual(c.biasBasis.dimension, 1, spec)
        }
        // O_h, pseudoscalar → vector: rotations force κ(s) = f(|s|)·s, the inversion then demands
        // κ(−s) = det(−I)·(−I)·κ(s) = κ(s), so κ = 0 (and trivial → vector keeps the radial kernels:
        // the 6 face and 8 corner offsets and the 12 edge offsets of the 3³ stencil give 3).
        XCTAssertEqual(try convolution("space:Oh:4x4x4", "field(pointSign)", "field(point)", support: 3).kernelBasis.dimension, 0)
        XCTAssertEqual(try convolution("space:Oh:4x4x4", "field(trivial)", "field(point)", support: 3).kernelBasis.dimension, 3)
        let regular: [(String, Int, Int, Int)] = [("wallpaper:p4m:8x8", 3, 9, 8), ("wallpaper:p6m:6x6", 3, 7, 12), ("space:Oh:4x4x4", 3, 27, 48)]
        for (spec, k, points, order) in regular {
            let c = try convolution(spec, "2*field(pointRegular)", "3*field(pointRegular)", support: k)
            XCTAssertEqual(c.stencil.count, points, spec)
            XCTAssertEqual(c.kernelBasis.dimension, points * order, spec)
            XCTAssertEqual(c.weightCount, 6 * points * order, spec)
            XCTAssertEqual(c.biasBasis.dimension, 1, "\(spec): the constant vector is P's only fixed line in the regular rep")
        }
    }

    /// A stencil as wide as the grid covers every offset once, so the convolution is the whole
    /// equivariant space: its dimension equals the dense global solver's on the same fields.
    func testFullStencilEqualsTheGlobalSolver() throws {
        for (spec, input, output) in [("wallpaper:p4m:5x5", "field(trivial)", "field(pointSign)"), ("wallpaper:p4:3x3", "field(point)", "field(pointRegular)"), ("wallpaper:p6m:3x3", "field(trivial)", "field(point)")] {
            let side = try XCTUnwrap(CrystallographicLattice(origin: spec)).sides[0]
            let c = try convolution(spec, input, output, support: side)
            let global = try S.solve(spec, input, output)
            XCTAssertEqual(c.weightCount, global.dimension, "\(spec) \(input) → \(output)")
        }
    }

    /// The layer commutes with every generator of G, acting by the library's `c*field(ρ)`
    /// representations (natural ⊗ ρ, built independently of the stencil solver); a kernel that
    /// breaks the constraint (one basis kernel's entries permuted) does not.
    func testLayerIsEquivariantUnderEveryGenerator() throws {
        let cases = [
            ("wallpaper:p4m:5x5", "2*field(trivial)", "field(pointRegular)"), ("wallpaper:p6m:4x4", "field(point)", "2*field(pointSign)"),
            ("space:Oh:3x3x3", "field(trivial)", "field(point)"), ("wallpaper:pmm:4x6", "field(pointRegular)", "field(point)"),
        ]
        var rng = SystemRandomNumberGenerator()
        for (spec, input, output) in cases {
            let group = try S.group(spec)
            let c = try convolution(spec, input, output, support: 3)
            let rin = try group.representation(parsing: input), rout = try group.representation(parsing: output)
            let theta = (0..<c.weightCount).map { _ in Double.random(in: -1...1, using: &rng) }
            let bias = (0..<c.biasCount).map { _ in Double.random(in: -1...1, using: &rng) }
            let x = (0..<rin.dimension).map { _ in Double.random(in: -1...1, using: &rng) }
            let y = c.apply(theta: theta, bias: bias, to: x)
            XCTAssertGreaterThan(y.map(abs).max()!, 0.1, "\(spec): the layer is not degenerate")
            func worst(_ f: ([Double]) -> [Double]) -> Double {
                let fx = f(x)
                return (0..<group.generatorCount).map { g in
                    zip(f(rin.realImages[g].times(x)), rout.realImages[g].times(fx)).map { abs($0 - $1) }.max()!
                }.max()!
            }
            XCTAssertLessThan(worst { c.apply(theta: theta, bias: bias, to: $0) }, 1e-12, "\(spec) \(input) → \(output)")
            // Negative control: the same convolution loop (written here from the definition) with
            // unconstrained kernels is not equivariant, so the check above can fail.
            let (cin, cout) = (c.inputChannels, c.outputChannels), (dIn, dOut) = (c.fieldInputDimension, c.fieldOutputDimension)
            let free = (0..<(cout * cin * c.stencil.count * dOut * dIn)).map { _ in Double.random(in: -1...1, using: &rng) }
            // Point p + s on the periodic grid, row-major (slowest axis first), from the definition.
            let sides = c.lattice.sides
            func shifted(_ p: Int, by s: [Int]) -> Int {
                var rest = p, q = 0, stride = 1
                for k in sides.indices.reversed() {
                    q += (((rest % sides[k] + s[k]) % sides[k] + sides[k]) % sides[k]) * stride
                    rest /= sides[k]
                    stride *= sides[k]
                }
                return q
            }
            func naive(_ x: [Double]) -> [Double] {
                var y = [Double](repeating: 0, count: cout * c.points * dOut)
                for o in 0..<cout { for i in 0..<cin { for p in 0..<c.points { for (k, s) in c.stencil.enumerated() {
                    let q = shifted(p, by: s)
                    for b in 0..<dOut { for a in 0..<dIn {
                        y[(o * c.points + p) * dOut + b] += free[(((o * cin + i) * c.stencil.count + k) * dOut + b) * dIn + a] * x[(i * c.points + q) * dIn + a]
                    } }
                } } } }
                return y
            }
            XCTAssertGreaterThan(worst(naive), 1e-3, "\(spec): unconstrained kernels must fail the check")
        }
    }

    func testNonFieldAndBadStencilsAreRefused() {
        let cases: [(String, String, String, Int, String)] = [
            ("wallpaper:p4m:8x8", "field(trivial)", "field(trivial)", 4, "odd width"),
            ("wallpaper:p4m:8x8", "field(trivial)", "field(trivial)", 9, "wider than the grid"),
            ("wallpaper:p4m:8x8", "natural^2", "field(trivial)", 3, "c*field"),
            ("wallpaper:p4m:8x8", "field(natural)", "field(trivial)", 3, "not a point-group representation"),
            ("dihedral:4", "natural", "natural", 3, "not a wallpaper or space group"),
        ]
        for (spec, i, o, k, expected) in cases {
            XCTAssertThrowsError(try convolution(spec, i, o, support: k), spec) { XCTAssertTrue("\($0)".contains(expected), "\(i) k=\(k): \($0)") }
        }
    }
}

extension Matrix {
    fileprivate func times(_ x: [Double]) -> [Double] {
        (0..<rows).map { r in (0..<columns).reduce(0.0) { $0 + self[r, $1] * x[$1] } }
    }
}
