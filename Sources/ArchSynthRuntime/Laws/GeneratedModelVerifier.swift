/// The static API every generated layer and network file declares (generated layers and networks
/// conform through `GeneratedLayer` and `GeneratedNetwork`; for a type that does not, the verify
/// harness's `main.swift` adds the conformance, `extension MyLayer: GeneratedEquivariantModel {}`).
public protocol GeneratedEquivariantModel: Sendable {
    static var generatorNames: [String] { get }
    /// The declared group order, a decimal integer.
    static var groupOrder: String { get }
    static var inputDimension: Int { get }
    static var outputDimension: Int { get }
    static var weightCount: Int { get }
    static var biasCount: Int { get }
    static func actOnInput(generator g: Int, _ x: [Double]) -> [Double]
    static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double]
    init(weights: [Float], bias: [Float])
    func forward(_ x: [Float]) -> [Float]
    func forward(_ x: [Double]) -> [Double]
}

/// Generator actions from somewhere other than the file (`archsynth verify FILE --spec SPEC`):
/// a file whose kernel and baked-in actions are consistently wrong then fails.
public struct GeneratorActions: Sendable {
    /// The generator names, in the spec's order (compared with the file's `generatorNames`).
    public let names: [String]
    /// The input representation's dimension.
    public let inputDimension: Int
    /// The output representation's dimension.
    public let outputDimension: Int
    /// ρ_in(g) for each generator g.
    public let input: [LinearAction]
    /// ρ_out(g) for each generator g.
    public let output: [LinearAction]

    /// Actions given as `row column value` triples per generator (`LinearAction.sparse`).
    public init(names: [String], inputDimension: Int, input: [String], outputDimension: Int, output: [String]) {
        self.names = names
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        func parse(_ text: String, _ n: Int) -> LinearAction {
            guard let a = LinearAction.sparse(dimension: n, triples: text) else { preconditionFailure("GeneratorActions: malformed triples \"\(text.prefix(80))\"") }
            return a
        }
        self.input = input.map { parse($0, inputDimension) }
        self.output = output.map { parse($0, outputDimension) }
        precondition(self.input.count == names.count && self.output.count == names.count, "GeneratorActions: one image per generator")
    }
}

/// The check `archsynth verify FILE.swift` runs on a compiled generated layer or network: the
/// linear law ρ_out(g) f(x) = f(ρ_in(g) x) (`Law.generated` from the generator actions: every
/// element when the group has at most `maxElements`, else generators and random words), on
/// `draws` random parameter draws (odd draws zero the bias), on every input family, for the
/// Float and the Double forward passes. Prints machine-readable lines for the harness:
/// `archsynth-verify<TAB>INDEX<TAB>elements<TAB>COUNT<TAB>COMPLETE`, `…<TAB>metadata<TAB>ORDER`,
/// `…<TAB>family<TAB>NAME<TAB>FLOAT<TAB>DOUBLE`, `…<TAB>sensitivity<TAB>CHANGE<TAB>WEIGHTS` (the largest relative
/// change of the output between independent standard-normal inputs, 0 when it ignores them, and
/// the weight count), or `…<TAB>mismatch<TAB>WHY` when `actions`
/// do not fit the file.
public enum GeneratedModelVerifier {
    /// The first field of every result line.
    public static let linePrefix = "archsynth-verify"

    /// How much `verify` checks; the defaults are `archsynth verify`'s.
    public struct Options: Sendable {
        /// Enumerate every element when the group has at most this many; else generators and random words.
        public var maxElements: Int
        /// Random words checked when the group is not enumerated.
        public var randomWords: Int
        /// Random parameter draws (odd draws zero the bias).
        public var draws: Int
        /// Inputs drawn from each family per draw and element.
        public var samplesPerFamily: Int
        /// Seed of the parameters, inputs and random words.
        public var seed: UInt64

        /// Options with `archsynth verify`'s defaults.
        public init(maxElements: Int = 5_000, randomWords: Int = 200, draws: Int = 2, samplesPerFamily: Int = 2, seed: UInt64 = 0x0A5C_5EED) {
            self.maxElements = maxElements
            self.randomWords = randomWords
            self.draws = draws
            self.samplesPerFamily = samplesPerFamily
            self.seed = seed
        }
    }

    /// The result lines for model `M`, reported as number `index`.
    public static func verify<M: GeneratedEquivariantModel>(_ type: M.Type, index: Int, actions: GeneratorActions? = nil, options: Options = Options()) -> [String] {
        func line(_ fields: String...) -> String { ([linePrefix, "\(index)"] + fields).joined(separator: "\t") }
        let actIn: @Sendable (Int, [Double]) -> [Double]
        let actOut: @Sendable (Int, [Double]) -> [Double]
        if let actions {
            var problems: [String] = []
            if M.generatorNames != actions.names {
                problems.append("generators \(M.generatorNames) in the file, \(actions.names) in the spec")
            }
            if M.inputDimension != actions.inputDimension {
                problems.append("input dimension \(M.inputDimension) in the file, \(actions.inputDimension) in the spec")
            }
            if M.outputDimension != actions.outputDimension {
                problems.append("output dimension \(M.outputDimension) in the file, \(actions.outputDimension) in the spec")
            }
            if problems.isEmpty {
                // What the file declares about its actions, against the spec's: a file whose kernel
                // and actions are consistently wrong is named here, before any law is checked.
                var rng = RuntimeRandom(seed: options.seed ^ 0xAC7_1045)
                for g in actions.names.indices {
                    let x = rng.normals(M.inputDimension), y = rng.normals(M.outputDimension)
                    if !(Law.relativeError(M.actOnInput(generator: g, x), actions.input[g].apply(x)) <= 1e-9) {
                        problems.append("the file's action of generator \(actions.names[g]) on the input is not the spec's")
                    }
                    if !(Law.relativeError(M.actOnOutput(generator: g, y), actions.output[g].apply(y)) <= 1e-9) {
                        problems.append("the file's action of generator \(actions.names[g]) on the output is not the spec's")
                    }
                }
            }
            if !problems.isEmpty { return [line("mismatch", problems.joined(separator: "; "))] }
            actIn = { actions.input[$0].apply($1) }
            actOut = { actions.output[$0].apply($1) }
        } else {
            actIn = { M.actOnInput(generator: $0, $1) }
            actOut = { M.actOnOutput(generator: $0, $1) }
        }
        let law = Law.generated(
            name: "linear", generatorCount: M.generatorNames.count, inputSizes: [M.inputDimension], outputSize: M.outputDimension,
            actOnInputs: { g, x in [actIn(g, x[0])] }, actOnOutput: actOut,
            limit: options.maxElements, randomWords: options.randomWords, seed: options.seed)
        return verify(type, index: index, law: law, options: options)
    }

    /// The result lines for model `M` checked against a given law (lattice layers enumerate their
    /// group directly: `Law.lattice`).
    public static func verify<M: GeneratedEquivariantModel>(_ type: M.Type, index: Int, law: Law, options: Options) -> [String] {
        func line(_ fields: String...) -> String { ([linePrefix, "\(index)"] + fields).joined(separator: "\t") }
        var lines = [line("elements", "\(law.elementCount)", law.isComplete ? "1" : "0"), line("metadata", M.groupOrder)]
        let families = InputFamily.allCases
        var worstFloat = [Double](repeating: 0, count: families.count)
        var worstDouble = [Double](repeating: 0, count: families.count)
        var rng = RuntimeRandom(seed: options.seed)
        for draw in 0..<options.draws {
            let weights = (0..<M.weightCount).map { _ in Float(rng.uniform(-1, 1)) }
            let bias = (0..<M.biasCount).map { _ in draw % 2 == 1 ? Float(0) : Float(rng.uniform(-1, 1)) }
            let model = M(weights: weights, bias: bias)
            let reports = law.check(
                inputSizes: [M.inputDimension], families: families, samples: options.samplesPerFamily, seed: rng.next(),
                maps: [
                    { x in model.forward(x[0].map { Float($0) }).map { Double($0) } },
                    { x in model.forward(x[0]) },
                ])
            for f in families.indices {
                worstFloat[f] = Swift.max(worstFloat[f], reports[0].results[f].worst)
                worstDouble[f] = Swift.max(worstDouble[f], reports[1].results[f].worst)
            }
        }
        for (f, family) in families.enumerated() {
            lines.append(line("family", family.rawValue, "\(worstFloat[f])", "\(worstDouble[f])"))
        }
        lines.append(line("sensitivity", "\(sensitivity(type, seed: options.seed))", "\(M.weightCount)"))
        return lines
    }

    /// How much the output moves when the input does: the largest relative change
    /// ‖f(x) − f(x′)‖ / max(‖f(x)‖, ‖f(x′)‖) between independent standard-normal inputs, over up to
    /// `draws` random parameter draws of 3 pairs each, stopping at the first change above 1e-6
    /// (one draw whose ReLUs are all dead must not make a working architecture look constant).
    /// 0 (or rounding-level) means the output ignores its input for every draw.
    public static func sensitivity<M: GeneratedEquivariantModel>(_ type: M.Type, draws: Int = 16, seed: UInt64) -> Double {
        var rng = RuntimeRandom(seed: seed ^ 0x5E75_171F)
        var worst = 0.0
        for draw in 0..<Swift.max(draws, 1) {
            let weights = (0..<M.weightCount).map { _ in Float(rng.uniform(-1, 1)) }
            let bias = (0..<M.biasCount).map { _ in draw % 2 == 1 ? Float(0) : Float(rng.uniform(-1, 1)) }
            let model = M(weights: weights, bias: bias)
            for _ in 0..<3 {
                let change = Law.relativeError(model.forward(rng.normals(M.inputDimension)), model.forward(rng.normals(M.inputDimension)))
                worst = Swift.max(worst, change.isNaN ? .infinity : change)
                if worst > 1e-6 { return worst }
            }
        }
        return worst
    }

    /// `verify`, writing each line through `emit` (the harness passes one that prefixes its
    /// per-run nonce, so a line the checked file prints itself is not a result).
    public static func run<M: GeneratedEquivariantModel>(
        _ type: M.Type, index: Int, actions: GeneratorActions?, options: Options, emit: (String) -> Void = { Swift.print($0) }
    ) {
        for line in verify(type, index: index, actions: actions, options: options) { emit(line) }
    }
}

extension GeneratedEquivariantModel {
    /// The worst relative error ‖f(ρ_in(g)x) − ρ_out(g)f(x)‖ / max(‖ρ_out(g)f(x)‖, ‖f(ρ_in(g)x)‖)
    /// over every generator and one random word of generators per trial, on uniform random
    /// inputs in [−1, 1), using the embedded generator actions (Float forward pass). Generated
    /// layers and networks get it from here.
    public func equivarianceError(seed: UInt64 = 0, trials: Int = 8) -> Double {
        var rng = RuntimeRandom(seed: seed)
        let k = Self.generatorNames.count
        var worst = 0.0
        for _ in 0..<Swift.max(0, trials) {
            let x = (0..<Self.inputDimension).map { _ in rng.unit() * 2 - 1 }
            let fx = forward(x.map { Float($0) }).map { Double($0) }
            for g in 0..<k {
                let gx = Self.actOnInput(generator: g, x)
                let fgx = forward(gx.map { Float($0) }).map { Double($0) }
                worst = Swift.max(worst, Law.relativeError(fgx, Self.actOnOutput(generator: g, fx)))
            }
            if k > 0 {
                var wx = x, wfx = fx
                for _ in 0..<(2 + Int(rng.next() % 7)) {
                    let g = Int(rng.next() % UInt64(k))
                    wx = Self.actOnInput(generator: g, wx)
                    wfx = Self.actOnOutput(generator: g, wfx)
                }
                let fwx = forward(wx.map { Float($0) }).map { Double($0) }
                worst = Swift.max(worst, Law.relativeError(fwx, wfx))
            }
        }
        return worst
    }
}
