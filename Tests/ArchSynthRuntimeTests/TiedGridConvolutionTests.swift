import ArchSynthRuntime
import XCTest

/// `TiedGridConvolution` (channel basis ⊗ periodic stencil) and the shared row-contiguous
/// kernel: gradients against finite differences, agreement with `GridConvolution`, and the laws
/// (translations; C₂ swapping channel pairs), each failing for a broken variant.
final class TiedGridConvolutionTests: XCTestCase {
    /// C₂ swapping the halves of m ⊕ m channels → n ⊕ n: W = [[P, Q], [Q, P]], b = (β, β).
    static func swapToSwap(_ m: Int, _ n: Int) -> TiedLinear {
        var e: [TiedLinear.Entry] = []
        var p = 0
        for r in 0..<n {
            for c in 0..<m {
                e += [.init(row: r, column: c, parameter: p, coefficient: 1), .init(row: n + r, column: m + c, parameter: p, coefficient: 1)]
                e += [.init(row: r, column: m + c, parameter: p + 1, coefficient: 1), .init(row: n + r, column: c, parameter: p + 1, coefficient: 1)]
                p += 2
            }
        }
        let bias = (0..<n).flatMap { [TiedLinear.BiasEntry(row: $0, parameter: $0, coefficient: 1), .init(row: n + $0, parameter: $0, coefficient: 1)] }
        return TiedLinear(inputSize: 2 * m, outputSize: 2 * n, weightCount: p, biasCount: n, entries: e, biasEntries: bias)
    }

    func testGradientsAtSeveralSizes() {
        for (s, (h, w, m, n, k)) in [(3, 4, 1, 2, 3), (5, 5, 2, 1, 3), (4, 6, 1, 1, 5), (1, 7, 2, 2, 3)].enumerated() {
            let grid = PeriodicGrid(height: h, width: w)
            assertGradients(TiedGridConvolution(grid: grid, channels: Self.swapToSwap(m, n), stencil: k), seed: UInt64(s))
            assertGradients(TiedGridConvolution(grid: grid, channels: TiedLinear.dense(inputSize: m, outputSize: n, bias: false), stencil: k), seed: UInt64(s + 9))
            assertGradients(GridConvolution(grid: grid, inputChannels: m, outputChannels: n, stencil: k), seed: UInt64(s + 17))
        }
    }

    /// With a dense channel basis the node is the plain `GridConvolution` (parameters reordered
    /// p[o·C_in + c][d] = θ[o][c][d], the same layout), values and gradients.
    func testDenseChannelsEqualGridConvolution() {
        let grid = PeriodicGrid(height: 5, width: 6)
        let tied = TiedGridConvolution(grid: grid, channels: TiedLinear.dense(inputSize: 2, outputSize: 3), stencil: 3)
        let plain = GridConvolution(grid: grid, inputChannels: 2, outputChannels: 3, stencil: 3)
        XCTAssertEqual(tied.parameterCount, plain.parameterCount)
        var rng = RuntimeRandom(seed: 3)
        let p = rng.normals(plain.parameterCount), x = rng.normals(2 * grid.count), dy = rng.normals(3 * grid.count)
        let (a, pa) = tied.valueWithPullback(p, [x]), (b, pb) = plain.valueWithPullback(p, [x])
        XCTAssertLessThanOrEqual(Law.relativeError(a, b), 1e-14)
        XCTAssertLessThanOrEqual(Law.relativeError(pa(dy).parameters, pb(dy).parameters), 1e-14)
        XCTAssertLessThanOrEqual(Law.relativeError(pa(dy).inputs[0], pb(dy).inputs[0]), 1e-14)
        // The kernel agrees with the definition y[o, g] = b[o] + Σ θ[o, c, d] x[c, g − d].
        let k = 9
        for o in 0..<3 {
            for g in [0, 7, 29] {
                var s = p[plain.weightCount + o]
                for c in 0..<2 {
                    for d in 0..<k {
                        let (di, dj) = (d / 3 - 1, d % 3 - 1)
                        s += p[(o * 2 + c) * k + d] * x[c * grid.count + grid.shifted(g, by: -di, -dj)]
                    }
                }
                XCTAssertEqual(b[o * grid.count + g], s, accuracy: 1e-12)
            }
        }
    }

    /// Laws: commutes with every translation, and swapping the channel halves of the input swaps
    /// those of the output; a basis that is not C₂-equivariant breaks the second law.
    func testTranslationAndChannelSwapLaws() {
        let grid = PeriodicGrid(height: 4, width: 5)
        let conv = TiedGridConvolution(grid: grid, channels: Self.swapToSwap(1, 2), stencil: 3)
        var rng = RuntimeRandom(seed: 5)
        let p = rng.normals(conv.parameterCount)
        let translations = grid.translationLaw(inputChannels: [2], outputChannels: 4)
        XCTAssertLessThanOrEqual(translations.check(inputSizes: conv.inputSizes) { conv.forward(p, $0) }.worst, 1e-12)
        func swapChannels(_ m: Int) -> LinearAction {
            let n = grid.count
            return .permutation((0..<(2 * m * n)).map { ($0 + m * n) % (2 * m * n) })
        }
        let swap = Law.linear(name: "C₂ on channels", inputs: [[.permutation(Array(0..<(2 * grid.count))), swapChannels(1)]],
                              output: [.permutation(Array(0..<(4 * grid.count))), swapChannels(2)], isComplete: true)
        XCTAssertLessThanOrEqual(swap.check(inputSizes: conv.inputSizes) { conv.forward(p, $0) }.worst, 1e-12)
        // Broken: Q's second copy gets coefficient −1 (W = [[P, Q], [−Q, P]] is not equivariant).
        let good = Self.swapToSwap(1, 2)
        var entries = good.entries
        entries[3] = .init(row: Int(entries[3].row), column: Int(entries[3].column), parameter: Int(entries[3].parameter), coefficient: -1)
        let broken = TiedGridConvolution(
            grid: grid,
            channels: TiedLinear(inputSize: 2, outputSize: 4, weightCount: good.weightCount, biasCount: good.biasCount, entries: entries, biasEntries: good.biasEntries),
            stencil: 3)
        XCTAssertGreaterThan(swap.check(inputSizes: conv.inputSizes, families: [.standardNormal]) { broken.forward(p, $0) }.worst, 1e-3)
        XCTAssertLessThanOrEqual(translations.check(inputSizes: conv.inputSizes) { broken.forward(p, $0) }.worst, 1e-12)
    }
}
