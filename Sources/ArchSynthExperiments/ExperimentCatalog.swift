import ArchSynth
/// The experiments `archsynth experiment NAME` runs, in the order of issue 11; every one is in
/// this build.
public enum ExperimentCatalog {
    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        /// Seeds for a full run and for `--quick` when `--seeds` is not given.
        public let defaultSeeds: (full: Int, quick: Int)
        /// Runs the experiment (`--quick` or not) over the given seeds.
        public let run: @Sendable (_ quick: Bool, _ seeds: [UInt64]) throws -> ExperimentReport

        public init(
            name: String, summary: String, defaultSeeds: (full: Int, quick: Int),
            run: @escaping @Sendable (_ quick: Bool, _ seeds: [UInt64]) throws -> ExperimentReport
        ) {
            self.name = name
            self.summary = summary
            self.defaultSeeds = defaultSeeds
            self.run = run
        }
    }

    public static let entries: [Entry] = [
        Entry(
            name: DataEfficiencyExperiment.name, summary: "test error vs training-set size, S6-invariant network vs dense; the data multiple",
            defaultSeeds: (5, 2), run: DataEfficiencyExperiment.run),
        Entry(
            name: OutOfDistributionExperiment.name, summary: "trained on sorted inputs; unseen orderings, ×10–×1000 inputs, law check",
            defaultSeeds: (5, 2), run: OutOfDistributionExperiment.run),
        Entry(
            name: NameSwapExperiment.name, summary: "name-swap toy: invariance and held-out-name accuracy vs feedback examples",
            defaultSeeds: (10, 2), run: NameSwapExperiment.run),
        Entry(
            name: "registration", summary: "swap-inversion inverse consistency; coordinate attention registration error vs shift",
            // One seed by default: a seed takes about 5 minutes on 2 cores (306.5 s in
            // experiments/registration.md), and a
            // full experiment must stay within 15 minutes; `--seeds N` runs more.
            defaultSeeds: (1, 1),
            run: RegistrationExperiment.run),
        Entry(
            name: "mesa", summary: "fixed-point block's diagonal and [W,U] errors against K",
            defaultSeeds: (3, 1), run: MesaExperimentReport.run),
        Entry(
            name: RotatedDigitsExperiment.name, summary: "D₄ G-CNN vs a same-size CNN on 8×8 digits: error vs examples, rotated and reflected test sets",
            defaultSeeds: (1, 1), run: RotatedDigitsExperiment.run),
    ]

    public static var names: [String] { entries.map(\.name) }

    public static func entry(named name: String) throws -> Entry {
        guard let e = entries.first(where: { $0.name == name }) else { throw ExperimentError.unknown(name, known: names) }
        return e
    }

    /// Runs an experiment and fills in its wall time and machine (the caller sets the command).
    public static func run(_ name: String, quick: Bool, seedCount: Int?) throws -> ExperimentReport {
        try run(try entry(named: name), quick: quick, seedCount: seedCount)
    }

    /// Runs one entry (of `entries`, or one a caller made).
    public static func run(_ e: Entry, quick: Bool, seedCount: Int?) throws -> ExperimentReport {
        let count = seedCount ?? (quick ? e.defaultSeeds.quick : e.defaultSeeds.full)
        let seeds = (1...max(count, 1)).map(UInt64.init)
        let machine = ExperimentReport.machineDescription()
        let start = ContinuousClock.now
        var report = try e.run(quick, seeds)
        let elapsed = ContinuousClock.now - start
        report.wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        report.machine = machine
        return report
    }
}
