import ArchSynthExperiments
import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// Seeded checks of numbers the documents publish, each against its committed raw output, with a
/// tolerance stated beside it. A change that moves one of these numbers must update the document
/// (and its raw output) with it. Only cheap ones: the expensive runs (registration, data
/// efficiency) are reproduced by their commands, not in CI.
final class PublishedNumbersTests: XCTestCase {
    /// docs/templates.md "Unrolled fixed-point block" (from the README) and EXPERIMENTS.md §5 (`experiments/mesa.md`, seeds 1–3,
    /// worst over seeds): on 1-D signals of length 32 the [U,U] error is exactly 0 at every K, the
    /// [W,U] error is 15.9 at K = 1, 1.75e-3 at K = 16 and 3.55e-15 at K = 32 and 64 where the fixed
    /// point is unique, and 16 (N/2) at K = 64 where it is not.
    func testMesaTranslationRowsMatchExperimentsMesa() {
        var worst: [String: [Int: (diagonal: Double, larger: Double)]] = [:]
        for seed in UInt64(1)...3 {
            for r in MesaExperiment.translationRows(grid: 32, seed: seed, signalCount: 6, moveCount: 12) {
                let old = worst[r.name, default: [:]][r.steps] ?? (0, 0)
                worst[r.name, default: [:]][r.steps] = (max(old.diagonal, r.diagonal), max(old.larger, r.larger))
            }
        }
        let unique = try? XCTUnwrap(worst["translation N=32, unique"]), nonUnique = try? XCTUnwrap(worst["translation N=32, non-unique (period N/2)"])
        guard let unique, let nonUnique else { return XCTFail("rows missing: \(worst.keys.sorted())") }
        XCTAssertEqual(unique.keys.sorted(), [1, 2, 4, 8, 16, 32, 64])
        for (k, e) in unique.merging(nonUnique, uniquingKeysWith: { a, b in (max(a.diagonal, b.diagonal), max(a.larger, b.larger)) }) {
            XCTAssertEqual(e.diagonal, 0, "K = \(k): the [U,U] error is published as exactly 0")
        }
        XCTAssertEqual(unique[1]!.larger, 15.9, accuracy: 0.05, "published 1.59e+01")
        XCTAssertEqual(unique[16]!.larger, 1.75e-3, accuracy: 0.1e-3, "published 1.75e-03")
        XCTAssertLessThanOrEqual(unique[32]!.larger, 1e-14, "published 3.55e-15")
        XCTAssertLessThanOrEqual(unique[64]!.larger, 1e-14, "published 3.55e-15")
        XCTAssertEqual(nonUnique[64]!.larger, 16, accuracy: 1e-6, "published 1.60e+01 (N/2)")
    }

    /// docs/templates.md "Unrolled gradient block": law error ≤ 4.9e-15 for every K from 1 to 64 with forms;
    /// `docs/results/unrolled-blocks/gradient-form.txt` (S4, x and c natural, seed 1): worst
    /// 6.13e-16 (quadratic, shared θ) and 8.34e-16 (quartic). Tolerance: the published bound.
    func testUnrolledGradientFormLawErrorsMatchGradientForm() throws {
        let s4 = try GroupResolver().resolve("symmetric:4")
        for (energy, shared, steps, published) in [(UnrolledGradientBlock.Energy.quadratic, true, 4, 6.13e-16), (.quartic, false, 4, 8.34e-16)] {
            let block = try UnrolledGradientBlock(typeName: "B", group: s4, x: "natural", context: "natural", steps: steps, energy: energy, shared: shared)
            XCTAssertEqual(block.node.parameterCount, energy == .quadratic ? 8 : 112, "published parameter count")
            let rows = UnrolledBlockReport.errorsAgainstK(name: "S4", gradient: block)
            XCTAssertEqual(rows.map(\.steps), [1, 2, 4, 8, 16, 32, 64])
            let worst = rows.map(\.diagonal).max()!
            XCTAssertLessThanOrEqual(worst, 4.9e-15, "\(energy): published worst \(published)")
        }
    }

    /// docs/templates.md "Swap-inversion": ‖Φ[A,B]Φ[B,A] − I‖ ≤ 2.9e-15 for every matrix form on all six input
    /// families (untrained). Tolerance: 3× the published bound (other seeds than the published run).
    func testSwapInversionMatrixFormsAreInverseConsistentAsPublished() throws {
        for (i, form) in [SwapInversionForm.affine(2), .affine(3), .rigid(2), .rigid(3)].enumerated() {
            let core = try SwapInversionTemplate(form: form, inputSize: 6, hidden: 8).core()
            var rng = RuntimeRandom(seed: UInt64(40 + i))
            let p = core.initialParameters(seed: UInt64(i))
            for family in InputFamily.allCases {
                let a = family.sample(6, &rng), b = family.sample(6, &rng)
                XCTAssertLessThanOrEqual(core.inverseConsistencyError(p, a, b).max, 3 * 2.9e-15, "\(form) \(family)")
            }
        }
    }
}
