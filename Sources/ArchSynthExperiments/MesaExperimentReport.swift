import ArchSynth
/// Experiment 5: the fixed-point blocks' law errors against the number of unrolled steps K
/// (wraps `MesaExperiment.run(quick:seed:)`; worst over seeds).
public enum MesaExperimentReport {
    public static let name = "mesa"

    public static func run(quick: Bool, seeds: [UInt64]) throws -> ExperimentReport {
        let runs = seeds.map { MesaExperiment.run(quick: quick, seed: $0) }
        let first = runs[0]
        var rows: [[String]] = []
        var diagonal: [String: [SVGPlot.Point]] = [:], larger: [String: [SVGPlot.Point]] = [:]
        var order: [String] = []
        for (i, r) in first.enumerated() {
            let d = runs.map { $0[i].diagonal }.max()!
            let l = runs.map { $0[i].larger }
            let lw = l.contains { $0.isNaN } ? Double.nan : l.max()!
            rows.append([r.name, String(r.steps), NumberFormat.scientific(d), lw.isNaN ? "— (no fixed point)" : NumberFormat.scientific(lw)])
            if !order.contains(r.name) { order.append(r.name) }
            diagonal[r.name, default: []].append(.init(x: Double(r.steps), y: d))
            larger[r.name, default: []].append(.init(x: Double(r.steps), y: lw))
        }
        var plot = SVGPlot(title: "unrolled fixed-point blocks: law errors vs K", xLabel: "K (unrolled steps)", yLabel: "law error", xScale: .log(base: 2), yScale: .log(base: 10))
        for n in order { plot.series.append(.init(name: "\(n): [W,U]", points: larger[n]!)) }
        for n in order { plot.series.append(.init(name: "\(n): diagonal", points: diagonal[n]!, dashed: true)) }
        let setup = """
            Wraps `MesaExperiment.run(quick:seed:)` (the fixed-point blocks of issue 10: translation by Lucas–Kanade steps on \
            periodic signals, dihedral alignment; unique and non-unique fixed points): for each block and K, the error of the \
            law every step obeys (the diagonal / [U,U]) and of the larger law only fixed points obey ([W,U]); worst over seeds. \
            Units differ by block (grid units for translations, fraction of wrong elements for the dihedral block). Zeros \
            cannot be drawn on the log axis and are left out of the plot.
            """
        var reading = quick ? "Quick run: the numbers check the pipeline, not the claim. " : ""
        reading += "Per block, the diagonal error and the [W,U] error against K are in the table (worst over \(seeds.count) seed(s)); "
        reading += "the [W,U] error is expected to shrink with K only where the fixed point is unique."
        return ExperimentReport(
            name: name, title: "unrolled fixed-point blocks: diagonal and [W,U] errors against K", setup: setup,
            columns: ["block", "K", "diagonal error", "[W,U] error"], rows: rows, plot: plot, reading: reading, seeds: seeds, quick: quick)
    }
}
