import GroupTheory

/// Emits one Swift file declaring an equivariant network type (DESIGN.md "Generated code",
/// "Networks"): the layers are printed by `LayerEmitter.printLayer(into:)` as nested types
/// `Layer1` … `LayerL`, joined by the nonlinearities of `NonlinearityPlan` (pointwise ReLU on
/// permutation blocks, tanh on signed-permutation blocks, x·sigmoid(‖x‖+b) on orthogonal blocks).
///
/// As in swift-protobuf, one emitter per generated construct prints into one `CodePrinter`:
/// `NetworkHeaderEmitter`, `NetworkMetadataEmitter`, `NetworkParametersEmitter`,
/// `NetworkPassEmitter` (forward and backward, once per `ScalarType`), `NetworkLossEmitter`,
/// `NetworkTrainingEmitter` and `NetworkActivationEmitter`; this type only orders them.
///
/// The network has the public API of every generated model (`GeneratedModelAPI`), so
/// `archsynth verify` checks it unchanged. What every network would repeat — nonlinearities,
/// losses, optimizers, the seeded RNG, `equivarianceError` and the layers' kernel helpers —
/// comes from the `ArchSynthRuntime` library, which the file imports (DESIGN.md "Generated
/// code"); only the layers' specialized kernels are printed.
///
/// ```swift
/// let source = try NetworkEmitter(network: net, header: GeneratedFileHeader(spec: "symmetric:5", command: "...")).source()
/// ```
public struct NetworkEmitter {
    public let network: NetworkDescription
    public let header: GeneratedFileHeader
    public let layerEmitters: [LayerEmitter]

    public init(network: NetworkDescription, header: GeneratedFileHeader) throws(CodeGenerationError) {
        self.network = network
        self.header = header
        var emitters: [LayerEmitter] = []
        for layer in network.layers { emitters.append(try LayerEmitter(layer: layer, header: header)) }
        layerEmitters = emitters
    }

    /// The whole file (deterministic bytes).
    public func source() -> String {
        let n = NetworkConstruct(network: network, layerEmitters: layerEmitters)
        var p = CodePrinter()
        NetworkHeaderEmitter(n, header: header).print(&p)
        p.print()
        p.print("import ArchSynthRuntime")
        p.print()
        p.print("""
            /// An equivariant network f = L_\(n.layerCount) ∘ σ ∘ … ∘ σ ∘ L_1 with equivariant linear layers L_i and
            /// nonlinearities σ that commute with the hidden representations, so f(ρ_in(g) x) = ρ_out(g) f(x).
            /// Column vectors; batches are row-major (`count` rows of `inputDimension` values).
            /// `equivarianceError(seed:trials:)` comes from ArchSynthRuntime's `GeneratedEquivariantModel`.
            """)
        p.block("public struct \(network.typeName): \(GeneratedModelAPI.networkConformances)") { p in
            NetworkMetadataEmitter(n).print(&p)
            p.print()
            NetworkParametersEmitter(n).print(&p)
            for s in ScalarType.all {
                p.print()
                NetworkPassEmitter(n, scalar: s).printForward(&p)
            }
            for s in ScalarType.all {
                p.print()
                NetworkPassEmitter(n, scalar: s).printBackward(&p)
            }
            p.print()
            NetworkLossEmitter(n).print(&p)
            p.print()
            NetworkTrainingEmitter(n).print(&p)
            p.print()
            NetworkActivationEmitter(n).print(&p)
            // The layers take their helpers from the runtime the file imports.
            let before = p.helpersFromRuntime
            p.helpersFromRuntime = true
            for e in layerEmitters {
                p.print()
                e.printLayer(into: &p)
            }
            p.helpersFromRuntime = before
        }
        return p.content
    }
}

/// What the network's construct emitters share: the description, the layer emitters and the
/// parameter layout.
struct NetworkConstruct {
    let network: NetworkDescription
    let layerEmitters: [LayerEmitter]

    var layerCount: Int { network.layers.count }

    /// (offset, count) of each layer's weights and biases in the flat arrays.
    var offsets: [(w: Int, wc: Int, b: Int, bc: Int)] {
        var w = 0, b = 0
        return network.layers.map { l in
            defer { w += l.basis.dimension; b += l.basis.biasDimension }
            return (w, l.basis.dimension, b, l.basis.biasDimension)
        }
    }

    /// The gate biases (stored as Float) in precision `s`.
    func gates(_ s: ScalarType) -> String { ScalarType.float.converting("gates", to: s) }
}
