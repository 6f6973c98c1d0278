/// The public API every generated layer and network declares, defined once: the static
/// metadata and generator actions that `archsynth verify` reads, the initializers, and
/// forward/backward on one input and on a batch, in Float and Double. The runtime's
/// `GeneratedEquivariantModel` protocol names the part the verifier uses; `LayerEmitter` and the
/// network emitters print these declarations from here (each adds its own doc line and body).
enum GeneratedModelAPI {
    /// A network's conformances (it imports the runtime).
    static let networkConformances = "Sendable, GeneratedEquivariantModel"
    /// A layer nested in a network: also the runtime's kernel helpers.
    static let nestedLayerConformances = "Sendable, GeneratedLayerKernels, GeneratedEquivariantModel"
    /// A self-contained layer (imports nothing; the verify harness adds the conformance).
    static let layerConformances = "Sendable"

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

    /// The parameter API: θ and β as flat Float arrays (`weightCount`, `biasCount` values), the
    /// seeded and the explicit initializer, and setting both with one refresh. Layers store and
    /// refresh derived coefficients; networks split the arrays over their layers and gates.
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
}
