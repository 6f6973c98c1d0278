import Foundation
import GroupTheory

/// `archsynth verify X.swift --spec wallpaper:p4m:HxW --in 'c*field(ρ)' --out …` on a generated
/// lattice layer (issue 21): the file is compiled with the harness like every generated layer,
/// and checked with `Law.lattice`, which enumerates the group directly — every translation of the
/// grid × every element of the point group (points · |P| elements), each applied from its
/// translation and its point matrix, nothing of size |G| stored. With `--spec` the field types
/// (grid, point matrices, ρ images, channels) come from the spec, not from the file; without it,
/// from the file's own `inputFields` / `outputFields`. Above `VerificationOptions.maxElements`
/// elements every point element is checked with the zero, unit and random translations, and the
/// report says the enumeration is not complete.
///
/// ```swift
/// let fields = try LatticeVerification.fields(lattice: CrystallographicLattice(origin: "wallpaper:p4m:6x6")!, input: "field(trivial)", output: "2*field(regular)")
/// let reports = try LatticeVerification().verify(source: text, fileName: "Lift.swift", spec: fields)
/// ```
public struct LatticeVerification: Sendable {
    public var options: VerificationOptions
    public var compilerFlags: [String]

    public init(options: VerificationOptions = VerificationOptions(), compilerFlags: [String] = []) {
        self.options = options
        self.compilerFlags = compilerFlags
    }

    /// The input and output field types of `c*field(ρ)` expressions on a crystallographic group,
    /// as the harness's `LatticeFieldType` literals, and what they were built from.
    public struct Fields: Sendable {
        public let subject: String
        public let generatorNames: [String]
        let input: String
        /// nil for an invariant output (`m*trivial`: every element acts as the identity).
        let output: String?
        public let inputDimension: Int
        public let outputDimension: Int
        /// The network's total pooling stride (1 without `pool(s)` entries): the output lives on
        /// the grid that many times coarser (`Law.lattice(…, stride:)`).
        public let stride: Int
    }

    /// The fields of a lattice network's `--reps` (the first entry and the last; `pool(s)`
    /// entries multiply the stride).
    public static func fields(lattice: CrystallographicLattice, reps: [String]) throws -> Fields {
        var stride = 1
        var entries: [String] = []
        for text in reps {
            if let s = try LatticeNetworkEmitter.poolStride(text) { stride *= s } else { entries.append(text) }
        }
        guard entries.count >= 2 else { throw LatticeNetworkError("--reps needs at least two field types besides pool(s) entries") }
        return try fields(
            lattice: lattice, input: RepresentationExpression(parsing: entries[0]), output: RepresentationExpression(parsing: entries[entries.count - 1]), stride: stride)
    }

    /// True when a generated file is a lattice layer (its header names the strategy).
    public static func isLatticeLayer(_ text: String) -> Bool {
        text.contains("public static let forwardStrategy = \"lattice-convolution\"") && text.contains("import ArchSynthRuntime")
    }

    /// - Parameter lattice: the spec's lattice (`CrystallographicLattice(origin: SPEC)`); the
    ///   point-group representations come from the family on the smallest grid.
    public static func fields(lattice: CrystallographicLattice, input: RepresentationExpression, output: RepresentationExpression, stride: Int = 1) throws -> Fields {
        let group = try LatticeConvolution.pointGroupCarrier(lattice)
        func literal(_ e: RepresentationExpression, _ side: String, _ sides: [Int]) throws -> (String, Int) {
            let (c, rho) = try LatticeConvolution.pointField(group: group, lattice: lattice, e, side: side)
            let images = rho.realImages.map { "[" + $0.elements.map { "\($0)" }.joined(separator: ", ") + "]" }
            let matrices = lattice.pointGenerators.map { g in "[" + g.matrix.map { "[\($0.map(String.init).joined(separator: ", "))]" }.joined(separator: ", ") + "]" }
            let text = """
                ArchSynthRuntime.LatticeFieldType(sides: [\(sides.map(String.init).joined(separator: ", "))], channels: \(c), fieldDimension: \(rho.dimension), pointGenerators: [\(matrices.joined(separator: ", "))], generatorImages: [\(images.joined(separator: ", "))])
                """
            return (text, c * sides.reduce(1, *) * rho.dimension)
        }
        let (i, di) = try literal(input, "input", lattice.sides)
        let o: String?, dout: Int
        if let m = LatticeNetworkEmitter.invariantOutputCount(output) {
            (o, dout) = (nil, m)
        } else {
            let (text, n) = try literal(output, "output", lattice.sides.map { $0 / stride })
            (o, dout) = (text, n)
        }
        return Fields(
            subject: "\(lattice.kind):\(lattice.pointGroup):\(lattice.sides.map(String.init).joined(separator: "x")) --in \(input) --out \(output)", generatorNames: group.generators, input: i, output: o,
            inputDimension: di, outputDimension: dout, stride: stride)
    }

    /// Compiles `source` and checks every lattice layer type in it; `spec` nil checks against the
    /// file's own field types.
    public func verify(source: String, fileName: String, spec: Fields?) throws -> [VerificationReport] {
        let harness = VerificationHarness(options: options, compilerFlags: compilerFlags)
        let build = try HarnessBuild(swiftc: harness.swiftc, optimization: options.optimization, compilerFlags: compilerFlags, limits: options.limits)
        defer { build.remove() }
        let module = "Layer0_\(fileName.filter { $0.isLetter || $0.isNumber }).swift"
        // Lattice layers and networks (a network with an invariant head has no output fields:
        // it declares isInvariant instead).
        let all = try build.compileModel([(module, source)], subject: fileName)
        let declared = all.filter {
            !$0.name.contains(".") && $0.members.isSuperset(of: ["inputFields", "forward(_:)", "generatorNames", "groupOrder"])
                && ($0.members.contains("outputFields") || $0.members.contains("isInvariant"))
        }
        guard !declared.isEmpty else {
            throw VerificationError.notAGeneratedLayer("\(fileName): no lattice layer type (inputFields, outputFields, forward, generatorNames, groupOrder)")
        }
        var p = CodePrinter()
        p.print("""
            // archsynth verify harness for lattice layers (generated; compiled against the layer's module, then deleted).
            import ArchSynthRuntime
            @testable import \(HarnessBuild.modelModule)

            \(HarnessBuild.noncePreamble)
            let options = ArchSynthRuntime.GeneratedModelVerifier.Options(
                maxElements: \(options.maxElements), randomWords: \(options.randomWords), draws: \(options.parameterDraws),
                samplesPerFamily: \(options.samplesPerFamily), seed: \(options.seed))
            """)
        for (i, t) in declared.map({ "\(HarnessBuild.modelModule).\($0.name)" }).enumerated() {
            p.print()
            if let spec {
                // The file must fit the spec: generators and dimensions.
                p.print("""
                    if \(t).generatorNames != [\(spec.generatorNames.map(SwiftIdentifier.stringLiteral).joined(separator: ", "))] || \(t).inputDimension != \(spec.inputDimension) || \(t).outputDimension != \(spec.outputDimension) {
                        (\(HarnessBuild.emitClosure))(["\(GeneratedModelVerifierLine.prefix)", "\(i)", "mismatch", "generators \\(\(t).generatorNames), dimensions \\(\(t).inputDimension) → \\(\(t).outputDimension) in the file; generators \(spec.generatorNames.joined(separator: " ")), dimensions \(spec.inputDimension) → \(spec.outputDimension) in the spec"].joined(separator: "\\t"))
                    } else {
                        let law = \(spec.output.map { "ArchSynthRuntime.Law.lattice(input: \(spec.input), output: \($0), limit: options.maxElements, seed: options.seed, stride: \(spec.stride))" } ?? Self.invariantLaw(spec.input, stride: "\(spec.stride)"))
                        ArchSynthRuntime.GeneratedModelVerifier.run(\(t).self, index: \(i), law: law, options: options, emit: \(HarnessBuild.emitClosure))
                    }
                    """)
            } else if declared[i].members.contains("outputFields") {
                let stride = declared[i].members.contains("latticeStride") ? "\(t).latticeStride" : "1"
                p.print("ArchSynthRuntime.GeneratedModelVerifier.run(\(t).self, index: \(i), law: ArchSynthRuntime.Law.lattice(input: \(t).inputFields, output: \(t).outputFields, limit: options.maxElements, seed: options.seed, stride: \(stride)), options: options, emit: \(HarnessBuild.emitClosure))")
            } else {
                let stride = declared[i].members.contains("latticeStride") ? "\(t).latticeStride" : "1"
                p.print("ArchSynthRuntime.GeneratedModelVerifier.run(\(t).self, index: \(i), law: \(Self.invariantLaw("\(t).inputFields", stride: stride)), options: options, emit: \(HarnessBuild.emitClosure))")
            }
        }
        let output = try build.run(main: p.content, subject: fileName)
        // A network's nonlinearities round on their own: it keeps the Double threshold of Float64
        // computations, as in `VerificationHarness`.
        let exact = !source.contains("\n// Nonlinearity after layer")
            && !source.split(separator: "\n").contains { $0.contains("public static let basisMethod = ") && ($0.contains("float") || $0.contains("isotypic")) }
        let url = URL(fileURLWithPath: fileName)
        return try harness.parse(
            output, typeNames: declared.map(\.name), files: declared.map { _ in url }, spec: nil,
            exactTypes: exact ? Set(declared.indices) : []
        ).map { r in
            VerificationReport(
                subject: r.subject.replacingOccurrences(
                    of: " against its own actions",
                    with: (spec.map { " against \($0.subject)" } ?? " against its own field types")
                        + (r.allElements ? " (every translation × point element)" : " (every point element × the zero, unit and random translations; not every element)")),
                elementCount: r.elementCount, allElements: r.allElements, parameterDraws: r.parameterDraws, results: r.results, sensitivity: r.sensitivity,
                floatThreshold: r.floatThreshold, doubleThreshold: r.doubleThreshold)
        }
    }
}

extension LatticeVerification {
    /// The harness expression of the law of an invariant output: every translation × point
    /// element acts on the input fields `input` (a Swift expression) and as the identity on the
    /// output; with a `stride` (a Swift expression), the elements of the strided network's group.
    static func invariantLaw(_ input: String, stride: String) -> String {
        """
        { () -> ArchSynthRuntime.Law in
            let fields = \(input)
            let coarse = ArchSynthRuntime.LatticeFieldType(
                sides: fields.sides.map { $0 / \(stride) }, channels: fields.channels, fieldDimension: fields.fieldDimension,
                pointGenerators: fields.pointGenerators, generatorImages: fields.generatorImages)
            let base = ArchSynthRuntime.Law.lattice(input: fields, output: coarse, limit: options.maxElements, seed: options.seed, stride: \(stride))
            return ArchSynthRuntime.Law(
                name: base.name + " (invariant output)", elementCount: base.elementCount, isComplete: base.isComplete, describe: base.describe,
                actOnInputs: base.actOnInputs, actOnOutput: { _, y in y })
        }()
        """
    }
}

/// The prefix of the harness's result lines (`GeneratedModelVerifier.linePrefix`).
enum GeneratedModelVerifierLine {
    static let prefix = "archsynth-verify"
}
