import ArchSynth
import ArchSynthRuntime
import GroupTheory
import XCTest

/// The solver's view of GridConvolution: for the regular representation of C_H × C_W the
/// equivariant maps are exactly the stencil-free convolutions. The convolutions commute with
/// every translation (tested in CoordinateAttentionTests), they span |G| dimensions, and the
/// solver finds |G| = dim Hom(regular, regular): so they are all of Hom.
final class GridConvolutionSolverTests: XCTestCase {
    func testStencilFreeConvolutionsAreTheSolverSpace() throws {
        for (h, w) in [(3, 3), (4, 4)] {
            let group = try GroupResolver().resolve("cyclic:\(h) x cyclic:\(w)")
            let basis = try IntertwinerSolver.solve(group: group, input: .named("regular"), output: .named("regular"))
            let conv = GridConvolution(grid: PeriodicGrid(height: h, width: w), inputChannels: 1, outputChannels: 1, bias: false)
            let matrices = (0..<conv.parameterCount).map { i -> [Double] in
                var p = [Double](repeating: 0, count: conv.parameterCount)
                p[i] = 1
                return conv.matrix(p)
            }
            XCTAssertEqual(basis.dimension, h * w)
            XCTAssertEqual(DenseRankForSolverTest.rank(matrices), basis.dimension)
            XCTAssertEqual(basis.biasDimension, 1)  // the convolution's one bias per output channel
        }
    }
}

enum DenseRankForSolverTest {
    static func rank(_ vectors: [[Double]], tolerance: Double = 1e-9) -> Int {
        var rows = vectors
        var rank = 0
        guard let width = rows.first?.count else { return 0 }
        for col in 0..<width where rank < rows.count {
            var pivot = rank
            for r in rank..<rows.count where abs(rows[r][col]) > abs(rows[pivot][col]) { pivot = r }
            guard abs(rows[pivot][col]) > tolerance else { continue }
            rows.swapAt(rank, pivot)
            for r in 0..<rows.count where r != rank {
                let f = rows[r][col] / rows[rank][col]
                if f != 0 { for c in col..<width { rows[r][c] -= f * rows[rank][c] } }
            }
            rank += 1
        }
        return rank
    }
}
