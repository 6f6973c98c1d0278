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
    public static let linePrefix = "archsynth-law"

    /// The worst error per (law, family) over `draws` parameter draws (seeded), and the lines
    /// the harness prints.
    public static func verify<M: LawfulModel>(_ type: M.Type, name: String, draws: Int = 2, seed: UInt64 = 0x5EED) -> [String] {
        var lines: [String] = []
        var worst: [[(Double, String)]] = []
        var rng = RuntimeRandom(seed: seed)
        for _ in 0..<max(draws, 1) {
            let model = M(seed: rng.next())
            let results = M.checkLaws(model, seed: rng.next())
            if worst.isEmpty { worst = results.map { $0.report.results.map { _ in (0.0, "") } } }
            for (l, r) in results.enumerated() {
                for (f, fr) in r.report.results.enumerated() where !(fr.worst <= worst[l][f].0) {
                    worst[l][f] = (fr.worst.isNaN ? .infinity : fr.worst, fr.element)
                }
            }
        }
        for (l, entry) in M.laws.enumerated() {
            for (f, family) in InputFamily.allCases.enumerated() {
                let cleanName = entry.law.name.replacingTabs()
                lines.append([
                    linePrefix, name, cleanName, "\(entry.law.elementCount)", entry.law.isComplete ? "1" : "0",
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
