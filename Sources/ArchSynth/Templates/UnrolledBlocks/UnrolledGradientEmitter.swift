import ArchSynthRuntime
import GroupTheory

/// Prints an `UnrolledGradientBlock` as one Swift file: a `LawfulModel` that imports
/// ArchSynthRuntime, with the invariant forms and the group's matrices baked in as literal
/// arrays (the runtime nodes `InvariantFormEnergy`, `GradientStep`, `UnrolledGradient` do the
/// work), forward, backward and an Adam training step.
public typealias UnrolledGradientEmitter = BlockEmitter<UnrolledGradientBlock>

extension BlockEmitter where Block == UnrolledGradientBlock {
    public func source() -> String {
        let b = block, c = SwiftIdentifier.commentText, e = b.energy
        var p = CodePrinter()
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an unrolled gradient-descent block (mesa-optimizer, gradient form).", command: header.command))
            \(ExpectedLaws.headerLine(kind: "unrolled-gradient", [("spec", .string(header.spec)), ("x", .string(b.xExpression)), ("context", .string(b.contextExpression))]))
            // Spec: \(c(header.spec)) (group \(c(b.groupName)), \(b.actions.elementCount) elements)
            // x: \(c(b.xExpression)) (dimension \(b.xSize)); context c: \(c(b.contextExpression)) (dimension \(b.contextSize))
            // Energy: \(b.energyKind.rawValue), \(e.formCount) invariant quadratic forms (Hom_G((x+c)^2, trivial), symmetrized)\(e.pairs.isEmpty ? "" : " and \(e.pairs.count) products of two")
            // Steps: K = \(b.steps), \(b.normalized ? "normalized" : "plain") gradient steps; θ \(b.shared ? "shared by every step" : "per step"), η_k per step
            // Type: \(b.typeName)
            import ArchSynthRuntime

            /// x_{k+1} = x_k − η_k u(∇ₓE_θ(x_k; c)) for k < \(b.steps), output x_K, with
            /// E_θ = Σ_a θ_a ½ zᵀQ_a z\(e.pairs.isEmpty ? "" : " + Σ_(a≤b) φ_ab q_a q_b") on z = x ⊕ c, every Q_a invariant.
            /// Law: \(c(b.lawName)), equivariant by construction (E invariant, ρ on x orthogonal).
            """)
        p.block("public struct \(b.typeName): LawfulModel") { p in
            p.print("""
                public static let kind = "unrolled-gradient"
                public static let inputSizes = [\(b.xSize), \(b.contextSize)]
                public static let outputSize = \(b.xSize)
                public static let steps = \(b.steps)
                """)
            // Four flat columns (packed when large) rather than one literal per entry: swiftc's
            // time and memory grow faster than linearly in struct or tuple literals.
            p.print("/// Q_a[row, column] = value, each symmetric form stored in full: four columns (form, row, column, value).")
            p.printIntegers("static let formIndices", type: "Int", e.entries.map(\.form))
            p.printIntegers("static let formRows", type: "Int", e.entries.map(\.row))
            p.printIntegers("static let formColumns", type: "Int", e.entries.map(\.column))
            p.printReals("static let formValues", e.entries.map(\.value), perLine: 16)
            p.print("""
                static let formEntries: [InvariantFormEnergy.Entry] = formValues.indices.map {
                    InvariantFormEnergy.Entry(form: formIndices[$0], row: formRows[$0], column: formColumns[$0], value: formValues[$0])
                }
                """)
            p.print("static let pairs: [[Int]] = [\(e.pairs.map { "[\($0[0]), \($0[1])]" }.joined(separator: ", "))]")
            p.print("""
                public static let energy = InvariantFormEnergy(xSize: \(b.xSize), contextSize: \(b.contextSize), formCount: \(e.formCount), entries: formEntries, pairs: pairs)
                public static let block = UnrolledGradient(step: GradientStep(energy: energy, normalized: \(b.normalized)), steps: steps, shared: \(b.shared))
                public static var parameterCount: Int { block.parameterCount }
                """)
            Self.printLawfulAPI(
                &p, typeName: b.typeName, lawName: b.lawName, xSize: b.xSize, contextSize: b.contextSize, actions: b.actions,
                seeded: """
                    /// η_k = 0.1, θ ~ N(0, 0.5²).
                    public init(seed: UInt64) { parameters = Self.block.initialParameters(seed: seed) }
                    """,
                helpers: nil,
                backwardDoc: """
                    /// Gradients with respect to the parameters and [x, c] (through every step; uses
                    /// Hessian-vector products of the energy).
                    """,
                sweepParameters: "b.initialParameters(seed: 1)")
        }
        return p.content
    }

    /// Constants the file bakes in: the forms' entries (four numbers each), the quartic pairs and
    /// every element's matrices on x and c (checked against `GenerationLimits.maxConstants`).
    public static func constantCount(entries: Int, pairs: Int, elements: Int, xSize: Int, contextSize: Int) -> Int {
        GenerationLimits.sum(
            GenerationLimits.product(4, entries), GenerationLimits.product(2, pairs),
            GenerationLimits.product(elements, GenerationLimits.sum(GenerationLimits.product(xSize, xSize), GenerationLimits.product(contextSize, contextSize))))
    }

    /// What both gradient-block files print inside their type after the energy: the group's
    /// matrices, the law, the parameters, forward, backward, the Adam step and the K sweep.
    /// `seeded` is `init(seed:)` with its doc line, `helpers` declarations printed after
    /// `init(parameters:)`, `sweepParameters` the initial parameters of the sweep's K-step block `b`.
    static func printLawfulAPI(
        _ p: inout CodePrinter, typeName: String, lawName: String, xSize: Int, contextSize: Int, actions: GroupActionTable,
        seeded: String, helpers: String?, backwardDoc: String, sweepParameters: String
    ) {
        for (name, r, size) in [("xActions", 0, xSize), ("contextActions", 1, contextSize)] {
            // One flat array (packed when large) cut into matrices at first use, not a nested literal.
            p.print("/// ρ(g) row-major for every group element (element 0 is the identity), one after another.")
            p.printReals("static let \(name)Flat", actions.matrices[r].flatMap { $0 }, perLine: 16)
            p.print("static let \(name): [[Double]] = stride(from: 0, to: \(name)Flat.count, by: \(size * size)).map { Array(\(name)Flat[$0..<($0 + \(size * size))]) }")
        }
        p.print("""
            public static let law = Law.linear(
                name: \(SwiftIdentifier.stringLiteral(lawName)),
                inputs: [xActions.map { .matrix($0, \(xSize)) }, contextActions.map { .matrix($0, \(contextSize)) }],
                output: xActions.map { .matrix($0, \(xSize)) }, isComplete: true)
            public static var laws: [(law: Law, threshold: Double)] { [(law, 1e-10)] }

            public var parameters: [Double]

            \(seeded)

            public init(parameters: [Double]) {
                precondition(parameters.count == Self.parameterCount, "\(typeName): expected \\(Self.parameterCount) parameters")
                self.parameters = parameters
            }
            """)
        if let helpers {
            p.print()
            p.print(helpers)
        }
        p.print("""

            /// x_K for inputs [x, c].
            public func forward(_ inputs: [[Double]]) -> [Double] { Self.block.forward(parameters, inputs) }

            \(backwardDoc)
            public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                Self.block.backward(parameters, inputs, outputGradient: outputGradient)
            }

            /// One Adam step on the mean squared error of a batch; returns the loss before the step.
            public mutating func trainStep(batch: [[[Double]]], targets: [[Double]], optimizer: inout Adam) -> Double {
                Self.block.trainingStep(&parameters, batch: batch, targets: targets, optimizer: &optimizer)
            }

            /// The law's worst error for K = 1, 2, 4, …, 64 steps (parameters from seed 1): `archsynth verify` prints it.
            public static func stepSweep() -> [UnrolledBlockRow] {
                UnrolledSweep.gradient(name: "\\(kind), \\(law.name)", law: law, inputSizes: inputSizes) { k, x in
                    let b = UnrolledGradient(step: block.step, steps: k, shared: block.shared)
                    return b.forward(\(sweepParameters), x)
                }
            }
            """)
    }
}
