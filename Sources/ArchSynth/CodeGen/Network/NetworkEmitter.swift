import GroupTheory

/// Emits one Swift file declaring an equivariant network type (DESIGN.md "Generated code",
/// "Networks"): the layers are printed by `LayerEmitter.printLayer(into:)` as nested types
/// `Layer1` … `LayerL`, joined by the nonlinearities of `NonlinearityPlan` (pointwise ReLU on
/// permutation blocks, tanh on signed-permutation blocks, x·sigmoid(‖x‖+b) on orthogonal blocks).
///
/// As in swift-protobuf, one emitter per generated construct prints into one `CodePrinter`:
/// `NetworkHeaderEmitter`, `NetworkMetadataEmitter`, `NetworkLayersEmitter` and
/// `NetworkActivationEmitter`; this type only orders them.
///
/// The network has the public API of every generated model (`GeneratedModelAPI`), so
/// `archsynth verify` checks it unchanged. Everything that is not specific to the network — the
/// parameter API, forward and backward passes in both precisions, losses, `trainStep` with SGD or
/// Adam, the nonlinearities' code, `equivarianceError` and the layers' API — comes from the
/// runtime's `GeneratedNetwork` and `GeneratedLayer` (DESIGN.md "Generated code"); only the
/// layers' tables and specialized kernels are printed.
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
            /// The parameter API, passes, losses and `trainStep` come from ArchSynthRuntime's `GeneratedNetwork`.
            """)
        p.block("public struct \(network.typeName): \(GeneratedModelAPI.networkConformances)") { p in
            NetworkMetadataEmitter(n).print(&p)
            NetworkLayersEmitter(n).print(&p)
            NetworkActivationEmitter(n).print(&p)
            for e in layerEmitters {
                p.print()
                e.printLayer(into: &p)
            }
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
}
