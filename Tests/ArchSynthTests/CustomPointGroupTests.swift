import ArchSynth
import GroupTheory
import XCTest

/// A user-given point group `wallpaper:H(generators; relators; order=N):HxW` (issue 21): orders of
/// groups known independently (p2: |P| = 2, p3 on a hexagonal grid: 3, pmm: 4, p4m: 8, O_h-style
/// inversion in 3-D: 2), the same kernel-basis dimensions as the built-in p4m, and a clear
/// refusal for each thing that can be wrong.
final class CustomPointGroupTests: XCTestCase {
    static let p4m = "wallpaper:H(r=[[0,-1],[1,0]],m=[[1,0],[0,-1]]; r^4; m^2; (m*r)^2; order=8):8x8"

    /// |T ⋊ P| = grid points · |P| (International Tables: p2 2, p3 3, pmm 4, p4m 8; the inversion 2).
    func testOrdersOfGroupsKnownIndependently() throws {
        let cases: [(String, Int)] = [
            ("wallpaper:H(r=[[-1,0],[0,-1]]):6x4", 2 * 24),
            ("wallpaper:H(r=[[0,-1],[1,-1]]; r^3; order=3):6x6", 3 * 36),
            ("wallpaper:H(m=[[1,0],[0,-1]],n=[[-1,0],[0,1]]; m^2; n^2; (m*n)^2):8x6", 4 * 48),
            (Self.p4m, 8 * 64),
            ("space:H(i=[[-1,0,0],[0,-1,0],[0,0,-1]]):4x4x3", 2 * 48),
        ]
        for (text, order) in cases {
            let group = try GroupResolver().resolve(text)
            XCTAssertEqual(group.order, BigUInt(order), text)
            let lattice = try XCTUnwrap(CrystallographicLattice(origin: text), text)
            XCTAssertEqual(lattice.pointOrder * lattice.sides.reduce(1, *), order, text)
        }
    }

    /// The same kernel bases as the built-in p4m: 3 for scalar → scalar on 3×3 (D₄'s orbits of
    /// the stencil: centre, edges, corners), 72 = 9 · 8 for regular → regular, and the built-in's
    /// dimension for the other pairs.
    func testP4mGivenByTheUserHasTheBuiltInBases() throws {
        let custom = try XCTUnwrap(CrystallographicLattice(origin: Self.p4m))
        let builtin = try XCTUnwrap(CrystallographicLattice(origin: "wallpaper:p4m:8x8"))
        XCTAssertEqual(custom.stencil(3), builtin.stencil(3))
        for (input, output, expected) in [
            ("field(trivial)", "field(trivial)", 3), ("field(regular)", "field(regular)", 72), ("field(trivial)", "field(point)", nil),
            ("field(point)", "field(regular)", nil), ("field(pointSign)", "field(point)", nil),
        ] as [(String, String, Int?)] {
            let a = try LatticeConvolution(lattice: custom, input: RepresentationExpression(parsing: input), output: RepresentationExpression(parsing: output), support: 3)
            let b = try LatticeConvolution(lattice: builtin, input: RepresentationExpression(parsing: input), output: RepresentationExpression(parsing: output), support: 3)
            XCTAssertEqual(a.kernelBasis.dimension, b.kernelBasis.dimension, "\(input) → \(output)")
            if let expected { XCTAssertEqual(a.kernelBasis.dimension, expected, "\(input) → \(output)") }
        }
        // p3 in axial coordinates: the 3×3 square stencil is closed under the rotation (it gains
        // the images of its corners), and every stencil point's image is in it.
        let p3 = try XCTUnwrap(CrystallographicLattice(origin: "wallpaper:H(r=[[0,-1],[1,-1]]):6x6"))
        let stencil = Set(p3.stencil(3))
        XCTAssertTrue(stencil.isSuperset(of: Set(builtin.stencil(3))))
        XCTAssertTrue(stencil.allSatisfy { stencil.contains(CrystallographicLattice.apply([[0, -1], [1, -1]], $0)) })
        // Scalar → scalar counts the orbits of C₃ on the stencil: (|S| − 1)/3 + 1.
        let scalar = try LatticeConvolution(lattice: p3, input: RepresentationExpression(parsing: "field(trivial)"), output: RepresentationExpression(parsing: "field(trivial)"), support: 3)
        XCTAssertEqual(scalar.kernelBasis.dimension, (stencil.count - 1) / 3 + 1)
    }

    func testEachProblemIsRefusedWithItsReason() {
        let cases: [(String, String)] = [
            ("wallpaper:H(r=[[2,0],[0,1]]):6x6", "determinant 2"),
            ("wallpaper:H(s=[[1,1],[0,1]]):6x6", "more than 48 matrices"),
            ("wallpaper:H(r=[[0.5,0],[0,1]]):6x6", "is not an integer"),
            ("wallpaper:H(r=[[0,-1],[1,0]]; r^2):8x8", "relator r^2 does not hold"),
            ("wallpaper:H(r=[[0,-1],[1,0]]; order=8):8x8", "generate 4 elements"),
            ("wallpaper:H(r=[[0,-1],[1,0]]; q^4):8x8", "relator \"q^4\""),
            ("wallpaper:H(r=[[0,-1],[1,0]]):8x6", "does not act on this torus"),
            ("wallpaper:H(i=[[-1,0,0],[0,-1,0],[0,0,-1]]):6x6", "give 2×2 matrices"),
            ("wallpaper:H():6x6", "H(…) names no generator"),
            ("wallpaper:H(r[[0,-1],[1,0]]):6x6", "not a generator name=[[…]]"),
            ("wallpaper:G(r=[[0,-1],[1,0]]):6x6", "your own point group H("),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try GroupResolver().resolve(text), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
            XCTAssertNil(CrystallographicLattice(origin: text), text)
        }
    }
}
