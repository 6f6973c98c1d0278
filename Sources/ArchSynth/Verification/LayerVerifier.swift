import ArchSynthRuntime
import GroupTheory

/// Options of `archsynth verify` (both forms), with documented defaults.
public struct VerificationOptions: Sendable {
    /// Largest number of group elements enumerated; above it every generator plus
    /// `randomWords` random words are checked. Default 5 000.
    public var maxElements: Int = 5_000
    /// Random words when the group is not enumerated. Default 200.
    public var randomWords: Int = 200
    /// Random parameter draws; odd draws zero the bias so the weight part is tested alone. Default 2.
    public var parameterDraws: Int = 2
    /// Input samples per family, per draw. Default 2.
    public var samplesPerFamily: Int = 2
    public var seed: UInt64 = 0x0A5C_5EED
    /// The optimization flag for compiling generated files: `-O` (default) or `-Onone`
    /// (compiles several times faster; the checks are the same).
    public var optimization: String = "-O"
    public var floatThreshold: Double = VerificationReport.defaultFloatThreshold
    public var doubleThreshold: Double = VerificationReport.defaultDoubleThreshold
    /// Time and memory limits of the compiler and the compiled harness (`--timeout`, `--memory-limit`).
    public var limits = ProcessLimits()
    /// Largest fixed-point block grid checked (`--max-grid-points N`). Default 4,096.
    public var maxGridPoints = ExpectedLaws.defaultMaxGridPoints

    public init() {}
}

/// `archsynth verify SPEC --in EXPR --out EXPR`: the out-of-distribution checks on a layer
/// built in the library (`EquivariantLayer`, Float64), using the representations' own images.
///
/// ```swift
/// let report = LayerVerifier().verify(basis: basis, input: rIn, output: rOut, subject: "symmetric:5 natural → natural")
/// report.passed   // true
/// ```
public struct LayerVerifier: Sendable {
    public var options: VerificationOptions

    public init(options: VerificationOptions = VerificationOptions()) { self.options = options }

    public func verify(basis: EquivariantBasis, input: Representation, output: Representation, subject: String) -> VerificationReport {
        // The runtime's enumeration and law check, the same the compiled-file harness runs.
        let law = Law.representations(
            name: subject, inputs: [input], output: output, maxElements: options.maxElements, randomWords: options.randomWords,
            seed: options.seed)
        var rng = RuntimeRandom(seed: options.seed)
        var worst = [Double](repeating: 0, count: OutOfDistributionInputs.allCases.count)
        for draw in 0..<options.parameterDraws {
            var layer = EquivariantLayer(basis: basis, seed: rng.next())
            if draw % 2 == 1 { layer.bias = [Double](repeating: 0, count: basis.biasDimension) }
            let report = law.check(
                inputSizes: [input.dimension], families: OutOfDistributionInputs.allCases, samples: options.samplesPerFamily,
                seed: rng.next()) { layer.forward($0[0]) }
            for f in worst.indices { worst[f] = max(worst[f], report.results[f].worst) }
        }
        return VerificationReport(
            subject: subject, elementCount: law.elementCount, allElements: law.isComplete,
            parameterDraws: options.parameterDraws,
            results: OutOfDistributionInputs.allCases.enumerated().map {
                .init(family: $0.element.rawValue, worst: worst[$0.offset])
            },
            floatThreshold: nil, doubleThreshold: options.doubleThreshold)
    }
}

/// ‖a − b‖ / max(‖a‖, ‖b‖), 0 when both vanish; NaN propagates as infinity.
func relativeError(_ a: [Double], _ b: [Double]) -> Double { Law.relativeError(a, b) }
