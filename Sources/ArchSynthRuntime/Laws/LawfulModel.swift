/// What every generated network, template and block declares so `archsynth verify FILE.swift`
/// can check it: its input and output shapes, its parameters, and the laws it obeys by
/// construction. The compiled-file harness calls `LawfulModelVerifier.verify` — the same code the
/// library's tests use — so there is one verifier, not a second copy printed as source.
///
/// ```swift
/// struct MyTemplate: LawfulModel { … }
/// let reports = LawfulModelVerifier.verify(MyTemplate.self)
/// ```
public protocol LawfulModel {
    /// What kind of model this is ("swap-inversion", "coordinate-attention", …).
    static var kind: String { get }
    static var inputSizes: [Int] { get }
    static var outputSize: Int { get }
    static var parameterCount: Int { get }
    /// The laws the model obeys by construction, each with the largest error it may show in
    /// Double on the out-of-distribution families.
    static var laws: [(law: Law, threshold: Double)] { get }
    /// Random parameters from a seed (the model's own initializer).
    init(seed: UInt64)
    var parameters: [Double] { get set }
    func forward(_ inputs: [[Double]]) -> [Double]
    /// Unrolled blocks: the law errors against the number of steps K (`UnrolledSweep`), which
    /// `archsynth verify` prints after the law table. Default: none.
    static func stepSweep() -> [UnrolledBlockRow]
}

extension LawfulModel {
    /// No sweep: only unrolled blocks have one.
    public static func stepSweep() -> [UnrolledBlockRow] { [] }

    /// The laws' worst errors, and whether each is within its threshold.
    public static func checkLaws(_ model: Self, families: [InputFamily] = InputFamily.allCases, samples: Int = 2, seed: UInt64 = 0x1A5) -> [(report: LawReport, threshold: Double)] {
        laws.map { entry in
            (entry.law.check(inputSizes: inputSizes, families: families, samples: samples, seed: seed) { model.forward($0) }, entry.threshold)
        }
    }
}

/// Runs every law of a `LawfulModel` on several parameter draws and prints one
/// machine-readable line per (law, family): `archsynth-law<TAB>TYPE<TAB>LAW<TAB>ELEMENTS<TAB>COMPLETE<TAB>FAMILY<TAB>WORST<TAB>THRESHOLD<TAB>ELEMENT`.
public enum LawfulModelVerifier {
    /// The first field of every law result line.
    public static let linePrefix = "archsynth-law"

    /// The worst error per (law, family) over `draws` parameter draws (seeded), and the lines
    /// the harness prints.
    public static func verify<M: LawfulModel>(_ type: M.Type, name: String, draws: Int = 2, seed: UInt64 = 0x5EED) -> [String] {
        check(type, name: name.replacingTabs(), laws: M.laws, draws: draws, seed: seed)
    }

    /// What `archsynth verify FILE` runs for each `LawfulModel` type the compiled file declares:
    /// the laws and thresholds archsynth rebuilt from the header (`laws`, never `M.laws`), checked
    /// over `draws` parameter draws; what the file declares about itself (kind, shapes, its own
    /// laws and thresholds), which archsynth compares with what it expects; the model's
    /// sensitivity to its input (a model whose output does not move when its inputs do obeys every
    /// law trivially); and the K sweep when `sweep` is set. Nothing is run when the model's shapes
    /// differ from `inputSizes` and `outputSize` (archsynth reports the mismatch). Writes every line
    /// through `emit` (default `Swift.print`; the harness prefixes its per-run nonce, so a line the
    /// model prints itself is not a result):
    ///
    /// - `archsynth-declared<TAB>TYPE<TAB>KIND<TAB>INPUT SIZES<TAB>OUTPUT SIZE<TAB>LAW COUNT`
    /// - `archsynth-declared-law<TAB>TYPE<TAB>INDEX<TAB>ELEMENTS<TAB>COMPLETE<TAB>THRESHOLD<TAB>NAME`
    /// - `archsynth-law…` lines as `verify(_:name:draws:seed:)` prints them (for `laws`)
    /// - `archsynth-sensitivity<TAB>TYPE<TAB>RELATIVE CHANGE` (see `sensitivity`)
    public static func run<M: LawfulModel>(
        _ type: M.Type, name: String, inputSizes: [Int], outputSize: Int, laws: [(law: Law, threshold: Double)], draws: Int = 2,
        seed: UInt64 = 0x5EED, sweep: Bool, emit: (String) -> Void = { Swift.print($0) }
    ) {
        let clean = name.replacingTabs()
        let declared = M.laws
        emit(["archsynth-declared", clean, M.kind.replacingTabs(), M.inputSizes.map(String.init).joined(separator: ","), "\(M.outputSize)", "\(declared.count)"].joined(separator: "\t"))
        for (i, d) in declared.enumerated() {
            emit(["archsynth-declared-law", clean, "\(i)", "\(d.law.elementCount)", d.law.isComplete ? "1" : "0", "\(d.threshold)", d.law.name.replacingTabs()].joined(separator: "\t"))
        }
        // Shapes first: checking a model whose shapes differ from the expected law's would trap.
        guard M.inputSizes == inputSizes, M.outputSize == outputSize else { return }
        for line in check(type, name: clean, laws: laws, draws: draws, seed: seed) { emit(line) }
        emit(["archsynth-sensitivity", clean, "\(sensitivity(type, seed: seed))"].joined(separator: "\t"))
        if sweep { for line in self.sweep(type, name: clean) { emit(line) } }
    }

    /// How much the output moves when the inputs move: the largest ‖f(x) − f(x′)‖ / max(‖f(x)‖, ‖f(x′)‖)
    /// over up to `draws` parameter draws and `pairs` pairs of independent standard-normal inputs
    /// (0 when both outputs vanish), stopping at the first change above 1e-6. 0, or
    /// rounding-level, means the output ignores its input for every draw.
    public static func sensitivity<M: LawfulModel>(_ type: M.Type, draws: Int = 8, pairs: Int = 3, seed: UInt64 = 0x5EED) -> Double {
        var rng = RuntimeRandom(seed: seed ^ 0x5E75_171F)
        var worst = 0.0
        for _ in 0..<max(draws, 1) {
            let model = M(seed: rng.next())
            for _ in 0..<max(pairs, 1) {
                let x = M.inputSizes.map { rng.normals($0) }, y = M.inputSizes.map { rng.normals($0) }
                let change = Law.relativeError(model.forward(x), model.forward(y))
                worst = Swift.max(worst, change.isNaN ? .infinity : change)
                if worst > 1e-6 { return worst }
            }
        }
        return worst
    }

    /// The worst error per (law, family) of `laws` over `draws` parameter draws: the
    /// `archsynth-law` lines.
    static func check<M: LawfulModel>(_ type: M.Type, name: String, laws: [(law: Law, threshold: Double)], draws: Int, seed: UInt64) -> [String] {
        var lines: [String] = []
        var worst: [[(Double, String)]] = laws.map { _ in InputFamily.allCases.map { _ in (0.0, "") } }
        var rng = RuntimeRandom(seed: seed)
        for _ in 0..<max(draws, 1) {
            let model = M(seed: rng.next())
            let checkSeed = rng.next()
            for (l, entry) in laws.enumerated() {
                let report = entry.law.check(inputSizes: M.inputSizes, families: InputFamily.allCases, samples: 2, seed: checkSeed) { model.forward($0) }
                for (f, fr) in report.results.enumerated() where !(fr.worst <= worst[l][f].0) {
                    worst[l][f] = (fr.worst.isNaN ? .infinity : fr.worst, fr.element ?? "")
                }
            }
        }
        for (l, entry) in laws.enumerated() {
            for (f, family) in InputFamily.allCases.enumerated() {
                lines.append([
                    linePrefix, name, entry.law.name.replacingTabs(), "\(entry.law.elementCount)", entry.law.isComplete ? "1" : "0",
                    family.rawValue, "\(worst[l][f].0)", "\(entry.threshold)", worst[l][f].1.replacingTabs(),
                ].joined(separator: "\t"))
            }
        }
        return lines
    }

    /// One line per row of `M.stepSweep()`:
    /// `archsynth-sweep<TAB>TYPE<TAB>CASE<TAB>K<TAB>DIAGONAL<TAB>LARGER` (LARGER is nan when there is no larger law).
    public static func sweep<M: LawfulModel>(_ type: M.Type, name: String) -> [String] {
        M.stepSweep().map { r in
            ["archsynth-sweep", name, r.name.replacingTabs(), "\(r.steps)", "\(r.diagonal)", "\(r.larger)"].joined(separator: "\t")
        }
    }
}

extension String {
    fileprivate func replacingTabs() -> String { String(map { $0 == "\t" || $0 == "\n" ? " " : $0 }) }
}
