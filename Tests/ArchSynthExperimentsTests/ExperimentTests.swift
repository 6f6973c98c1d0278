import ArchSynthExperiments
import ArchSynth
import ArchSynthRuntime
import Foundation
import GroupTheory
import XCTest

/// The experiments: every one runs in its --quick form and produces the structure its report
/// promises (not its numbers); the models the experiments compare are what they claim to be (the
/// equivariant graph obeys the law, the dense one breaks it, so the check can fail).
final class ExperimentTests: XCTestCase {
    func testEveryQuickExperimentWritesItsTableAndPlot() throws {
        let entries = ExperimentCatalog.entries
        XCTAssertEqual(Array(entries.map(\.name).prefix(3)), ["data-efficiency", "ood", "name-swap"])
        let expectedColumns: [String: [String]] = [
            "data-efficiency": ["training examples", "equivariant error", "dense error", "dense wide error", "data multiple (dense)", "data multiple (dense wide)"],
            "ood": ["test inputs", "equivariant error", "dense error", "equivariant invariance error", "dense invariance error"],
        ]
        for entry in entries {
            var report = try ExperimentCatalog.run(entry.name, quick: true, seedCount: 1)
            report.command = "archsynth experiment \(entry.name) --quick --seeds 1"
            XCTAssertEqual(report.seeds, [1])
            XCTAssertTrue(report.quick)
            let md = report.markdown(plotFile: "\(entry.name).svg")
            for needle in ["# \(entry.name): ", "- Command: `archsynth experiment \(entry.name) --quick --seeds 1`", "- Seeds: 1", "- Machine: ",
                           "- Wall time: ", "## Setup", "## Results", "## Reading", "](\(entry.name).svg)"] {
                XCTAssertTrue(md.contains(needle), "\(entry.name): markdown lacks \(needle)")
            }
            let table = try XCTUnwrap(markdownTable(in: md), "\(entry.name): no results table")
            if let columns = expectedColumns[entry.name] { XCTAssertEqual(table.header, columns, entry.name) }
            XCTAssertEqual(table.header.first, report.columns.first)
            XCTAssertFalse(table.rows.isEmpty, entry.name)
            XCTAssertTrue(table.rows.allSatisfy { $0.count == table.header.count }, "\(entry.name): ragged table")
            XCTAssertFalse(md.contains("| nan"), "\(entry.name): a NaN cell")

            let xml = XMLOutline(report.plot.render())
            XCTAssertNil(xml.error, "\(entry.name): SVG does not parse: \(String(describing: xml.error))")
            XCTAssertEqual(xml.elements.first?.name, "svg")
            XCTAssertEqual(xml.count("g", class: "series"), report.plot.series.count, entry.name)
            XCTAssertGreaterThanOrEqual(report.plot.series.count, 2, entry.name)
            // A series can lack a line when its values cannot be drawn (zeros on a log axis).
            XCTAssertGreaterThanOrEqual(xml.count("polyline"), 1, "\(entry.name): no line drawn")
            XCTAssertLessThanOrEqual(xml.count("polyline"), report.plot.series.count, entry.name)
            XCTAssertEqual(xml.count("text", class: "legend-label"), report.plot.series.count, entry.name)
            XCTAssertGreaterThan(xml.count("line", class: "tick"), 3, entry.name)
        }
    }

    /// Every experiment of issue 11 (and issue 21's rotated-digits) is in this build, in its
    /// order; an unknown name is an error.
    func testCatalogNamesEveryExperiment() throws {
        XCTAssertEqual(ExperimentCatalog.names, ["data-efficiency", "ood", "name-swap", "registration", "mesa", "rotated-digits"])
        XCTAssertThrowsError(try ExperimentCatalog.entry(named: "no-such-experiment"))
    }

    /// The point-set models: the graph built from the solver's bases is S6-invariant (law
    /// error at rounding level on all 720 elements), the dense one is not; parameter counts match.
    func testPointSetModelsObeyOrBreakTheLaw() throws {
        let task = PointSetTask(n: 6)
        let models = try task.models(hidden: 4)
        XCTAssertLessThanOrEqual(abs(models.equivariant.parameterCount - models.dense.parameterCount), 20)
        let law = task.law()
        XCTAssertEqual(law.elementCount, 720)
        let thetaE = ExperimentModels.initialParameters(models.equivariant, seed: 3)
        let thetaD = ExperimentModels.initialParameters(models.dense, seed: 3)
        let families: [InputFamily] = [.standardNormal, .large, .cauchy]
        let e = law.check(inputSizes: [12], families: families, samples: 1) { models.equivariant.forward(thetaE, $0) }
        let d = law.check(inputSizes: [12], families: families, samples: 1) { models.dense.forward(thetaD, $0) }
        XCTAssertLessThan(e.worst, 1e-9, "\(e)")
        XCTAssertGreaterThan(d.worst, 1e-3, "\(d)")
        // The target is invariant too.
        var rng = RuntimeRandom(seed: 1)
        let x = task.sample(&rng)
        XCTAssertEqual(task.target(task.permute(x, [3, 1, 5, 0, 2, 4])), task.target(x), accuracy: 1e-12)
        XCTAssertEqual(allPermutations(4).count, 24)
        XCTAssertEqual(Set(allPermutations(4)).count, 24)
    }

    /// The runtime layer built from a basis computes W = Σ θ_i B_i: compare with the dense matrix.
    func testTiedLinearFromBasisMatchesTheBasisMatrices() throws {
        let s4 = try GroupResolver().resolve("symmetric:4")
        let basis = try IntertwinerSolver.solve(group: s4, input: .named("natural"), output: .named("natural"))
        let layer = TiedLinear(basis: basis)
        XCTAssertEqual(layer.parameterCount, basis.dimension + basis.biasDimension)
        let theta = [0.7, -1.3, 0.25]
        let x = [1.0, -2, 0.5, 3]
        let y = layer.forward(theta, x)
        for r in 0..<4 {
            var expected = 0.0
            for (i, b) in basis.elements.enumerated() { for c in 0..<4 { expected += theta[i] * b.dense[r, c] * x[c] } }
            for (j, b) in basis.biasElements.enumerated() { expected += theta[basis.dimension + j] * b.dense[r, 0] }
            XCTAssertEqual(y[r], expected, accuracy: 1e-12)
        }
    }

    func testDataMultipleInterpolatesAndBounds() {
        let sizes = [16, 32, 64, 128]
        // Baseline errors 0.8, 0.4, 0.2, 0.1: reaching 0.2 takes 64 examples, i.e. 4× of 16.
        let m = DataEfficiencyExperiment.dataMultiple(target: 0.2, at: 16, sizes: sizes, errors: [0.8, 0.4, 0.2, 0.1])
        XCTAssertEqual(m.value ?? 0, 4, accuracy: 1e-9)
        let between = DataEfficiencyExperiment.dataMultiple(target: 0.3, at: 16, sizes: sizes, errors: [0.8, 0.4, 0.2, 0.1])
        XCTAssertGreaterThan(between.value ?? 0, 2)
        XCTAssertLessThan(between.value ?? 0, 4)
        let never = DataEfficiencyExperiment.dataMultiple(target: 0.01, at: 32, sizes: sizes, errors: [0.8, 0.4, 0.2, 0.1])
        XCTAssertNil(never.value)
        XCTAssertEqual(never.atLeast, 4)
        XCTAssertTrue(never.text.contains("not reached"))
    }
}

/// `CompiledChain` computes the graph's function and gradient (it is what training uses).
final class CompiledChainTests: XCTestCase {
    func testCompiledChainMatchesTheGraph() throws {
        let task = PointSetTask(n: 5)
        let models = try task.models(hidden: 3)
        let deep = ExperimentModels.dense(sizes: [4, 3, 3, 2])
        for graph in [models.equivariant, models.dense, deep] {
            let chain = try XCTUnwrap(CompiledChain(graph))
            var rng = RuntimeRandom(seed: 11)
            let theta = (0..<graph.parameterCount).map { _ in rng.normal() }
            let xs = (0..<5).map { _ in rng.normals(graph.inputSizes[0]) }
            let ts = (0..<5).map { _ in rng.normals(graph.outputSize) }
            for x in xs {
                let a = graph.forward(theta, [x]), b = chain.forward(theta, x)
                XCTAssertLessThan(Law.relativeError(a, b), 1e-12)
            }
            let g1 = graph.lossAndGradient(theta, batch: xs.map { [$0] }, targets: ts)
            let g2 = chain.lossAndGradient(theta, inputs: xs, targets: ts, loss: Loss.meanSquaredError)
            XCTAssertEqual(g1.loss, g2.loss, accuracy: 1e-12 * max(1, abs(g1.loss)))
            XCTAssertLessThan(Law.relativeError(g1.gradient, g2.gradient), 1e-12)
        }
        // Not a chain: two inputs.
        var b = GraphBuilder(inputSizes: [2, 2])
        let v = b.apply(Sum(size: 2), [b.inputs[0], b.inputs[1]])
        XCTAssertNil(CompiledChain(b.build(output: v)))
    }
}
