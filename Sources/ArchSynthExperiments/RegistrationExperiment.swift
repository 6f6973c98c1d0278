import ArchSynth
/// Experiment 4: registration. Wraps `SwapInversionExperiment` (swap-inversion template vs an
/// unconstrained network: inverse-consistency error) and `CoordinateAttentionExperiment`
/// (coordinate-attention template vs a [U,U] displacement network: registration error against
/// the shift between the two images), one run of each per seed.
public enum RegistrationExperiment {
    public static let name = "registration"

    public static func run(quick: Bool, seeds: [UInt64]) throws -> ExperimentReport {
        let swaps = try seeds.map { try SwapInversionExperiment.run(quick: quick, seed: $0) }
        let attention = seeds.map { CoordinateAttentionExperiment.run(quick: quick, seed: $0) }
        let shifts = attention[0].rows.map(\.shift)
        var rows: [[String]] = []
        var template: [Summary] = [], baseline: [Summary] = [], identity: [Summary] = []
        for (k, m) in shifts.enumerated() {
            template.append(Summary(attention.map { $0.rows[k].template }))
            baseline.append(Summary(attention.map { $0.rows[k].baseline }))
            identity.append(Summary(attention.map { $0.rows[k].identity }))
            rows.append(["(\(m), \(m))", template[k].text(), baseline[k].text(), identity[k].text()])
        }
        var plot = SVGPlot(
            title: "coordinate attention: registration error vs shift", xLabel: "shift m (both axes)",
            yLabel: "mean registration error (px)", xScale: .linear, yScale: .linear)
        plot.series = [
            .init(name: "coordinate-attention template", points: shifts.indices.map { template[$0].point(x: Double(shifts[$0])) }),
            .init(name: "[U,U] baseline", points: shifts.indices.map { baseline[$0].point(x: Double(shifts[$0])) }, dashed: true),
            .init(name: "identity map", points: shifts.indices.map { identity[$0].point(x: Double(shifts[$0])) }, dashed: true),
        ]
        func field(_ pick: (SwapInversionExperiment.Report) -> SwapInversionExperiment.FieldResult) -> [String] {
            let r = swaps.map(pick)
            return [r[0].model, String(r[0].parameters), Summary(r.map(\.initialLoss)).text(4), Summary(r.map(\.finalLoss)).text(4),
                    Summary(r.map { $0.initialLoss / $0.finalLoss }).text(2),
                    Summary(r.map(\.inverseConsistencyMean)).text(4), Summary(r.map(\.inverseConsistencyMax)).text(4),
                    Summary(r.map(\.cpuSeconds)).text(1)]
        }
        let swapRows = [field(\.template), field(\.unconstrained)]
        let c = attention[0]
        let setup = """
            Wraps two library experiments, one run of each per seed. Coordinate attention \
            (`CoordinateAttentionExperiment.run(quick:seed:)`, \(c.configuration.size)×\(c.configuration.size) periodic grid): \
            the template (\(c.templateParameters) parameters) vs a [U,U]-equivariant displacement network \
            (\(c.baselineParameters) parameters), trained on small shifts (|s| ≤ \(c.configuration.trainShift) per axis), tested \
            at shifts s = (m, m); error = mean circular distance |Φ(x) − Φ_true(x)| in grid units. Swap inversion \
            (`SwapInversionExperiment.run(quick:seed:)`, \(swaps[0].size)×\(swaps[0].size), \(swaps[0].steps) steps): the \
            swap-inversion template (a convolutional C₂-equivariant network, 2×\(SwapInversionExperiment.fieldHidden) regular \
            channels, on the 2×2-pooled pair) vs an unconstrained network of the same widths (dense channel mixing, N(A, B) \
            used directly), both trained with Adam by the symmetric image loss; image loss (on held-out pairs) at \
            initialization and after training, and the inverse-consistency error ‖Φ_AB(Φ_BA(x)) − x‖ in grid units on \
            held-out pairs. The true transforms reach an image loss of \(Summary(swaps.map(\.trueLoss)).text(5)) (the floor). \
            Cells: mean [min, max] over seeds.
            """
        let last = shifts.count - 1
        var reading = quick ? "Quick run: the numbers check the pipeline, not the claim. " : ""
        reading += "At the largest shift (\(shifts[last]), \(shifts[last])) the coordinate-attention template's registration error is \(template[last].text()) px "
        reading += "and the [U,U] baseline's \(baseline[last].text()) px (identity map: \(identity[last].text()) px); at shift 0: \(template[0].text()) vs \(baseline[0].text()). "
        reading += "Swap inversion: the template's image loss falls \(swapRows[0][4])× (\(swapRows[0][2]) → \(swapRows[0][3])) in \(swaps[0].steps) steps "
        reading += "(\(swapRows[0][7]) CPU seconds of training); inverse-consistency error (mean) \(swapRows[0][5]) for the template vs \(swapRows[1][5]) for the unconstrained network."
        var report = ExperimentReport(
            name: name, title: "registration: coordinate attention vs shift, swap-inversion inverse consistency", setup: setup,
            columns: ["shift", "template error (px)", "[U,U] baseline error (px)", "identity error (px)"], rows: rows, plot: plot,
            reading: reading, seeds: seeds, quick: quick)
        report.extraTables = [("Swap inversion (field form)", ["model", "parameters", "initial loss", "final loss", "loss fall (×)", "inverse consistency mean (px)", "inverse consistency max (px)", "training CPU (s)"], swapRows)]
        return report
    }
}
