/// The public API every generated layer and network declares, defined once. A generated file
/// declares only its static metadata and generator actions (what `archsynth verify` reads) and
/// conforms to a runtime protocol that supplies the rest — the initializers, θ and β, forward and
/// backward on one input and on a batch in Float and Double, `equivarianceError`, and for
/// networks the losses and `trainStep`: `GeneratedLayer`/`GeneratedPanelLayer` and
/// `GeneratedNetwork` in ArchSynthRuntime, each refining `GeneratedEquivariantModel`.
enum GeneratedModelAPI {
    /// A network's conformances. `GeneratedEquivariantModel` is named as well so the compiler's
    /// symbol graph, which the verify harness reads, lists the conformance it checks.
    static let networkConformances = "GeneratedNetwork, GeneratedEquivariantModel"
    /// A layer's: the runtime protocol that supplies its API (`GeneratedLayer` or
    /// `GeneratedPanelLayer`), and `GeneratedEquivariantModel` for the same reason.
    static func conformances(_ layerProtocol: String) -> String { "\(layerProtocol), GeneratedEquivariantModel" }

    /// The group's identity: name, order and generator names.
    static func identity(groupName: String, groupOrder: String, generatorNames: [String]) -> String {
        let lit = SwiftIdentifier.stringLiteral
        return """
            public static let groupName = \(lit(groupName))
            /// |G| as a decimal string (exact for any size).
            public static let groupOrder = \(lit(groupOrder))
            public static let generatorNames: [String] = [\(generatorNames.map(lit).joined(separator: ", "))]
            """
    }

    /// A network's stored layers (`names[k]: types[k]`) and gates, built in order from
    /// `GeneratedNetworkParameters` by `builds` (joined with `separator`), and their parameters:
    /// the `GeneratedNetwork` requirements that name the layers.
    static func storedLayers(names: [String], types: [String], builds: [String], separator: String) -> String {
        """
        public private(set) var \(zip(names, types).map { "\($0): \($1)" }.joined(separator: ", "))
        public private(set) var gates: [Float]
        public var _adam = Adam()
        public init(_parameters p: inout GeneratedNetworkParameters) {
            \(builds.joined(separator: separator))
            gates = p.gates(Self.gateCount)
        }
        public var _layerParameters: [(weights: [Float], bias: [Float])] { [\(names.map { "(\($0).weights, \($0).bias)" }.joined(separator: ", "))] }
        """
    }

    // MARK: Layers whose passes are a runtime node

    /// A layer whose forward and backward passes call one runtime node (the steerable lattice
    /// convolution) instead of `GeneratedLayer` kernels: it declares the parameter API and passes
    /// below itself (the public names and signatures of every generated layer).
    static let runtimeNodeLayerConformances = "Sendable, GeneratedEquivariantModel"
    static let initializeFromSeed = "public init(seed: UInt64)"
    static let initializeFromParameters = "public init(weights: [Float], bias: [Float])"
    static let setParameters = "public mutating func setParameters(weights: [Float], bias: [Float])"
    static let weightsProperty = "public var weights: [Float]"
    static let biasProperty = "public var bias: [Float]"

    /// `forward(_:)` on one input: the batch pass with count 1.
    static func forwardSingle(_ s: ScalarType, doc: String) -> String {
        """
        /// \(doc)
        public func forward(_ x: [\(s.name)]) -> [\(s.name)] {
            precondition(x.count == Self.inputDimension, "expected \\(Self.inputDimension) inputs, got \\(x.count)")
            return forward(batch: x, count: 1)
        }
        """
    }

    static func forwardBatchSignature(_ s: ScalarType) -> String {
        "public func forward(batch: [\(s.name)], count: Int) -> [\(s.name)]"
    }

    /// `backward(input:outputGradient:)` on one input, then the batch signature's doc and
    /// opening line with its shape checks (the caller prints the body and the closing brace).
    static func backwardSingleAndBatchOpening(_ s: ScalarType, doc: String) -> String {
        let S = s.name
        return """
            /// \(doc)
            public func backward(input: [\(S)], outputGradient: [\(S)]) -> (weights: [\(S)], bias: [\(S)], input: [\(S)]) {
                backward(batch: input, outputGradient: outputGradient, count: 1)
            }

            /// Batch gradients: parameter gradients summed over the batch, input gradients per row.
            public func backward(batch: [\(S)], outputGradient: [\(S)], count: Int) -> (weights: [\(S)], bias: [\(S)], input: [\(S)]) {
                precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \\(Self.inputDimension) values")
                precondition(outputGradient.count == count * Self.outputDimension, "outputGradient must hold count × \\(Self.outputDimension) values")
            """
    }

    /// A template's `trainStep` (one Adam step of `model`, e.g. `Self.graph`, on the mean squared
    /// error; `lossDoc` are its doc-comment lines) and the deprecated name templates used before,
    /// `trainingStep`. Lines after the first start with `indent` (the interpolating literal's
    /// relative indentation), so the text prints where it is interpolated.
    static func templateTrainStep(_ model: String, lossDoc: [String], indent: String = "") -> String {
        (lossDoc.map { "/// " + $0 } + [
            "@discardableResult",
            "public mutating func trainStep(batch: [[[Double]]], targets: [[Double]], optimizer: inout Adam) -> Double {",
            "    \(model).trainingStep(&parameters, batch: batch, targets: targets, optimizer: &optimizer)",
            "}",
            "/// The name templates used before blocks and networks (`trainStep`).",
            "@available(*, deprecated, renamed: \"trainStep(batch:targets:optimizer:)\") @discardableResult",
            "public mutating func trainingStep(batch: [[[Double]]], targets: [[Double]], optimizer: inout Adam) -> Double { trainStep(batch: batch, targets: targets, optimizer: &optimizer) }",
        ]).joined(separator: "\n" + indent)
    }
}
