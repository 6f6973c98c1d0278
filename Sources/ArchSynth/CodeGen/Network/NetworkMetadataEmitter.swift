/// The network's static metadata and generator actions (the first layer's input action, the
/// last layer's output action).
struct NetworkMetadataEmitter {
    let n: NetworkConstruct
    init(_ n: NetworkConstruct) { self.n = n }

    func print(_ p: inout CodePrinter) {
        let lit = SwiftIdentifier.stringLiteral
        let network = n.network
        p.print("""
            \(GeneratedModelAPI.identity(groupName: network.groupName, groupOrder: network.groupOrder, generatorNames: network.generatorNames))
            /// ρ_0 → ρ_1 → … → ρ_L as given to `--reps`, their dimensions, and the nonlinearity after each hidden layer.
            public static let representations: [String] = [\(network.expressions.map(lit).joined(separator: ", "))]
            public static let dimensions: [Int] = [\(network.representations.map { String($0.dimension) }.joined(separator: ", "))]
            public static let nonlinearities: [String] = [\(network.nonlinearities.map { lit($0.summary) }.joined(separator: ", "))]
            public static let inputRepresentation = \(lit(network.expressions[0]))
            public static let outputRepresentation = \(lit(network.expressions[network.expressions.count - 1]))
            public static let inputDimension = \(network.representations[0].dimension)
            public static let outputDimension = \(network.representations[network.representations.count - 1].dimension)
            public static let layerCount = \(n.layerCount)
            /// Every layer's θ, then every layer's bias parameters and the `gateCount` gate biases.
            public static let weightCount = \(network.weightCount)
            public static let biasCount = \(network.biasCount)
            public static let gateCount = \(network.gateCount)
            /// True when every generator acts as the identity on the output (an invariant head).
            public static let isInvariant = \(network.isInvariant)
            public typealias Loss = \(network.isInvariant ? "InvariantHeadLoss" : "EquivariantHeadLoss")
            public typealias Optimizer = GeneratedNetworkOptimizer
            public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { Layer1.actOnInput(generator: g, x) }
            public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { Layer\(n.layerCount).actOnOutput(generator: g, y) }
            """)
    }
}
