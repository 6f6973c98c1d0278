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
            ("wallpaper:p4:1024x1024", "above the supported"),
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
