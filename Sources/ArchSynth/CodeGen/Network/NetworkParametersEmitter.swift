/// The network's stored layers and gates, its initializers and the flat parameter views.
struct NetworkParametersEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        let network = n.network, layerCount = n.layerCount, offsets = n.offsets
        let layerBias = network.biasCount - network.gateCount
        p.print("// MARK: Parameters")
        for i in 1...layerCount { p.print("public private(set) var layer\(i): Layer\(i)") }
        p.print("""
            /// Gate biases b of the norm nonlinearities (`gateCount` values), stored after the layer biases in `bias`.
            public private(set) var gates: [Float]
            // Adam state over (weights, bias), created on the first Adam step.
            private var _adam = ArchSynthRuntime.Adam()

            /// Seeded initializer: layer i uses seed &+ i · 0x9E3779B97F4A7C15 (its variance-preserving θ ~ U(−a, a)); biases and gates 0.
            """)
        p.block(GeneratedModelAPI.initializeFromSeed) { p in
            for i in 1...layerCount { p.print("layer\(i) = Layer\(i)(seed: seed &+ \(i - 1) &* 0x9E37_79B9_7F4A_7C15)") }
            p.print("gates = [Float](repeating: 0, count: Self.gateCount)")
        }
        p.print()
        p.print("/// A network with the given flat parameters (`weightCount` weights; `biasCount` biases, gates last).")
        p.block(GeneratedModelAPI.initializeFromParameters) { p in
            p.print("precondition(weights.count == Self.weightCount, \"expected \\(Self.weightCount) weights, got \\(weights.count)\")")
            p.print("precondition(bias.count == Self.biasCount, \"expected \\(Self.biasCount) biases, got \\(bias.count)\")")
            for (i, o) in offsets.enumerated() {
                p.print("layer\(i + 1) = Layer\(i + 1)(weights: Array(weights[\(o.w)..<\(o.w + o.wc)]), bias: Array(bias[\(o.b)..<\(o.b + o.bc)]))")
            }
            p.print("gates = Array(bias[\(layerBias)..<\(network.biasCount)])")
        }
        p.print()
        p.print("/// Every layer's θ, concatenated.")
        p.print("\(GeneratedModelAPI.weightsProperty) { \((1...layerCount).map { "layer\($0).weights" }.joined(separator: " + ")) }")
        p.print("/// Every layer's bias parameters, then the gate biases.")
        p.print("\(GeneratedModelAPI.biasProperty) { \((1...layerCount).map { "layer\($0).bias" }.joined(separator: " + ")) + gates }")
        p.print()
        p.print("/// Sets every parameter (one refresh per layer); keeps the optimizer state.")
        p.block(GeneratedModelAPI.setParameters) { p in
            p.print("precondition(weights.count == Self.weightCount && bias.count == Self.biasCount, \"parameter counts\")")
            for (i, o) in offsets.enumerated() {
                p.print("layer\(i + 1).setParameters(weights: Array(weights[\(o.w)..<\(o.w + o.wc)]), bias: Array(bias[\(o.b)..<\(o.b + o.bc)]))")
            }
            p.print("gates = Array(bias[\(layerBias)..<\(network.biasCount)])")
        }
    }
}
