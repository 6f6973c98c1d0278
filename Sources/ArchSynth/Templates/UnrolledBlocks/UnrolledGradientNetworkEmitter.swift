import ArchSynthRuntime

/// Prints an `UnrolledGradientNetworkBlock` as one Swift file: a `LawfulModel` importing
/// ArchSynthRuntime whose energy is the generated invariant network (the solver's bases baked in
/// as literal entries, `InvariantEnergyNetwork` assembling them), with forward, backward through
/// the unrolled steps (Hessian-vector products of the network by dual numbers), an Adam
/// training step and the K sweep.
public typealias UnrolledGradientNetworkEmitter = BlockEmitter<UnrolledGradientNetworkBlock>

extension BlockEmitter where Block == UnrolledGradientNetworkBlock {
    static func intList(_ xs: [Int]) -> String { "[\(xs.map(String.init).joined(separator: ", "))]" }

    public func source() -> String {
        let b = block, c = SwiftIdentifier.commentText
        let widths = ([b.xSize + b.contextSize] + b.layers.map(\.outputSize)).map(String.init).joined(separator: " → ")
        var s = """
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an unrolled gradient-descent block (mesa-optimizer, gradient form) on a generated invariant energy network.", command: header.command))
            \(ExpectedLaws.headerLine(kind: "unrolled-gradient", [("spec", .string(header.spec)), ("x", .string(b.xExpression)), ("context", .string(b.contextExpression))]))
            // Spec: \(c(header.spec)) (group \(c(b.groupName)), \(b.actions.elementCount) elements)
            // x: \(c(b.xExpression)) (dimension \(b.xSize)); context c: \(c(b.contextExpression)) (dimension \(b.contextSize))
            // Energy: network on x ⊕ c → \(c(b.representations.joined(separator: " → "))) (widths \(widths)); nonlinearities: \(c(b.nonlinearitySummary))
            // Steps: K = \(b.steps), \(b.normalized ? "normalized" : "plain") gradient steps; θ \(b.shared ? "shared by every step" : "per step"), η_k per step
            // Type: \(b.typeName)
            import ArchSynthRuntime

            /// x_{k+1} = x_k − η_k u(∇ₓE_θ(x_k; c)) for k < \(b.steps), output x_K, with E_θ an invariant network whose layers
            /// are the solver's bases (entries below) and whose last layer maps into the trivial representation.
            /// Law: \(c(b.lawName)), equivariant by construction (E invariant, ρ on x orthogonal).
            public struct \(b.typeName): LawfulModel {
                public static let kind = "unrolled-gradient"
                public static let inputSizes = [\(b.xSize), \(b.contextSize)]
                public static let outputSize = \(b.xSize)
                public static let steps = \(b.steps)
                /// Per hidden layer: the coordinates that get tanh, the blocks that get the smooth norm gate.
                static let tanhCoordinates: [[Int]] = [\(b.tanhCoordinates.map(Self.intList).joined(separator: ", "))]
                static let normBlocks: [[[Int]]] = [\(b.normBlocks.map { "[\($0.map(Self.intList).joined(separator: ", "))]" }.joined(separator: ", "))]
                public static let energy = InvariantEnergyNetwork.graph(
                    xSize: \(b.xSize), contextSize: \(b.contextSize), layers: [\((0..<b.layers.count).map { "layer\($0)" }.joined(separator: ", "))],
                    tanhCoordinates: tanhCoordinates, normBlocks: normBlocks)
                public static let block = UnrolledGradient(step: GradientStep(energy: energy, normalized: \(b.normalized)), steps: steps, shared: \(b.shared))
                public static var parameterCount: Int { block.parameterCount }

            """
        var p = CodePrinter()
        p.indent()
        UnrolledGradientEmitter.printLawfulAPI(
            &p, typeName: b.typeName, lawName: b.lawName, xSize: b.xSize, contextSize: b.contextSize, actions: b.actions,
            seeded: """
                /// η_k = 0.1, network weights uniform in ±√(3/fan-in), biases zero.
                public init(seed: UInt64) { parameters = Self.initialParameters(Self.block, seed: seed) }
                """,
            helpers: """
                static func initialParameters(_ b: UnrolledGradient, seed: UInt64) -> [Double] {
                    b.initialParameters(seed: seed, stepSize: 0.1) { InvariantEnergyNetwork.initialParameters(energy, seed: $0) }
                }
                """,
            backwardDoc: """
                /// Gradients with respect to the parameters and [x, c] (through every step; Hessian-vector products of the
                /// energy network by dual numbers).
                """,
            sweepParameters: "initialParameters(b, seed: 1)")
        s += p.content + "\n"
        s += SwapInversionTemplate.layerSource(b.layers, first: 0)
        s += "}\n"
        return s
    }
}
