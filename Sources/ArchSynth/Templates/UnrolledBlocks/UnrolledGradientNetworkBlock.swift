import ArchSynthRuntime
import GroupTheory

/// The gradient form with a generated invariant energy network (`--energy network:REPS`):
/// K steps x ← x − η_k u(∇ₓE_θ(x; c)) where E_θ is a network on z = x ⊕ c whose layers are the
/// solver's bases z → R_1 → … → R_L, R_L one-dimensional and trivial (so E is invariant), with
/// smooth equivariant nonlinearities between layers (`InvariantEnergyNetwork`: tanh on
/// permutation and signed-permutation blocks, the smooth norm gate on other orthogonal blocks;
/// ReLU would make ∇ₓE piecewise constant, with a zero Hessian the unrolled backward needs).
///
/// REPS grammar: comma-separated representation expressions (commas inside parentheses do not
/// split), the hidden representations then the last one, which must be `trivial` (or any
/// one-dimensional representation on which every generator acts as 1):
/// `network:4*regular,trivial`, `network:2*natural,2*natural,trivial`.
///
/// ```swift
/// let block = try UnrolledGradientNetworkBlock(typeName: "Denoiser", group: s4, x: "natural", context: "natural", steps: 4, representations: ["2*natural", "trivial"], shared: true)
/// block.node.forward(block.initialParameters(seed: 1), [x, c])
/// ```
public struct UnrolledGradientNetworkBlock: Sendable {
    public let typeName: String
    public let groupName: String
    public let xExpression: String
    public let contextExpression: String
    /// R_1 … R_L as written (R_L trivial).
    public let representations: [String]
    public let steps: Int
    public let shared: Bool
    public let normalized: Bool
    public let layers: [TiedLinear]
    /// Per hidden layer: the coordinates that get tanh, and the blocks that get the smooth norm gate.
    public let tanhCoordinates: [[Int]]
    public let normBlocks: [[[Int]]]
    public let actions: GroupActionTable
    /// Largest dimension of a hidden representation of the energy network.
    public static let maxHiddenDimension = 4096

    public var xSize: Int { actions.dimensions[0] }
    public var contextSize: Int { actions.dimensions[1] }
    public var energy: Graph {
        InvariantEnergyNetwork.graph(xSize: xSize, contextSize: contextSize, layers: layers, tanhCoordinates: tanhCoordinates, normBlocks: normBlocks)
    }
    public var node: UnrolledGradient { node(steps: steps) }
    public func node(steps k: Int) -> UnrolledGradient {
        UnrolledGradient(step: GradientStep(energy: energy, normalized: normalized), steps: k, shared: shared)
    }
    /// η_k = 0.1, the network's weights uniform in ±√(3/fan-in), biases zero.
    public func initialParameters(steps k: Int? = nil, seed: UInt64) -> [Double] {
        let e = energy
        return node(steps: k ?? steps).initialParameters(seed: seed, stepSize: 0.1) { InvariantEnergyNetwork.initialParameters(e, seed: $0) }
    }
    public var lawName: String { "\(groupName) on (x: \(xExpression), c: \(contextExpression)) → x" }
    public var law: Law { actions.law(name: lawName, inputs: [0, 1], output: 0) }
    /// "tanh on 96 coordinates" etc., one per hidden layer.
    public var nonlinearitySummary: String {
        zip(tanhCoordinates, normBlocks).map { t, n in
            var parts: [String] = []
            if !t.isEmpty { parts.append("tanh on \(t.count)") }
            if !n.isEmpty { parts.append("smooth norm gate on \(n.count) block\(n.count == 1 ? "" : "s")") }
            return parts.isEmpty ? "none" : parts.joined(separator: " + ")
        }.joined(separator: "; ")
    }

    /// - Parameters:
    ///   - representations: R_1 … R_L, the last one-dimensional and trivial.
    ///   - normalized: default plain steps (the network's gradient is bounded by its weights).
    public init(
        typeName: String, group: FiniteGroup, x: String, context: String, steps: Int, representations: [String], shared: Bool,
        normalized: Bool? = nil, limits: UnrolledGradientBlock.Limits = .init(), options: SolverOptions = .init()
    ) throws {
        guard steps >= 1 else { throw UnrolledBlockError.badArgument("--steps must be at least 1") }
        guard !representations.isEmpty else {
            throw UnrolledBlockError.badArgument("--energy network:REPS needs at least the last representation, e.g. network:4*regular,trivial")
        }
        let xe = try RepresentationExpression(parsing: x), ce = try RepresentationExpression(parsing: context)
        let parsed = try representations.map { try RepresentationExpression(parsing: $0) }
        // Sizes first, from the expressions alone (nothing is built), as for the forms.
        let size = try group.dimension(of: .sum(xe, ce))
        if size > BigUInt(limits.maxDimension) { throw UnrolledBlockError.tooLarge(dimension: size.description, limit: limits.maxDimension) }
        for e in parsed {
            let d = try group.dimension(of: e)
            if d > BigUInt(Self.maxHiddenDimension) {
                throw UnrolledBlockError.badArgument("the energy network's representation \(e) has dimension \(d), above the limit \(Self.maxHiddenDimension) for a hidden layer; use fewer copies")
            }
        }
        let rx = try group.representation(for: xe), rc = try group.representation(for: ce)
        let table = try GroupActionTable(group: group, representations: [rx, rc], maxElements: limits.maxLawElements)
        let (defect, element) = table.orthogonalityDefect(0)
        guard defect <= 1e-9 else { throw UnrolledBlockError.notOrthogonal(defect: defect, element: element, expression: x) }
        let reps = try parsed.map { try group.representation(for: $0) }
        guard let last = reps.last, last.dimension == 1, NetworkDescription.actsTrivially(last) else {
            throw UnrolledBlockError.badArgument(
                "the last representation of --energy network:REPS must be trivial (one number on which G acts as 1: the energy is invariant), not \"\(representations.last!)\"; e.g. network:\(representations.dropLast().joined(separator: ","))\(representations.count > 1 ? "," : "")trivial")
        }
        var tanh: [[Int]] = [], norm: [[[Int]]] = []
        for i in 0..<(reps.count - 1) {
            let plan = try NonlinearityPlan(representation: reps[i], expression: representations[i], request: .auto)
            tanh.append((plan.reluCoordinates + plan.tanhCoordinates).sorted())
            norm.append(plan.normBlocks)
        }
        let chain: [RepresentationExpression] = [.sum(xe, ce)] + parsed
        var layers: [TiedLinear] = []
        for i in 0..<(chain.count - 1) {
            layers.append(TiedLinear(basis: try IntertwinerSolver.solve(group: group, input: chain[i], output: chain[i + 1], options: options)))
        }
        guard layers[0].weightCount > 0 else {
            throw UnrolledBlockError.noInvariantForms("Hom_G(\(x) + \(context), \(representations[0])) is zero: the network would not read x")
        }
        self.typeName = typeName
        groupName = group.name
        xExpression = x
        contextExpression = context
        self.representations = representations
        self.steps = steps
        self.shared = shared
        self.normalized = normalized ?? false
        self.layers = layers
        tanhCoordinates = tanh
        normBlocks = norm
        actions = table
    }
}
