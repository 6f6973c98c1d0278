import GroupTheory

/// Everything the network emitter needs, validated before anything is printed: the
/// representations ρ_0 → ρ_1 → … → ρ_L, one `LayerDescription` per arrow (nested types
/// `Layer1` … `LayerL`), and a `NonlinearityPlan` for every hidden representation ρ_1 … ρ_{L−1}.
///
/// When every generator acts as the identity on ρ_L (`trivial`, or `k` copies of it) the last
/// layer is the invariant map (pooling over orbits) and the network is an invariant
/// classifier or regressor (`isInvariant`; softmax cross-entropy is then offered).
///
/// ```swift
/// let net = try NetworkDescription.solving(typeName: "SetNet", group: s5, expressions: ["natural", "natural", "trivial"])
/// net.layers.count   // 2
/// ```
public struct NetworkDescription: Sendable {
    public let typeName: String
    public let groupName: String
    public let groupOrder: String
    public let generatorNames: [String]
    public let expressions: [String]
    public let representations: [Representation]
    public let layers: [LayerDescription]
    public let nonlinearities: [NonlinearityPlan]
    public let isInvariant: Bool

    /// Validates names, dimensions and nonlinearities.
    /// - Parameter bases: `bases[i]` maps `representations[i]` to `representations[i + 1]`.
    public init(
        typeName: String, group: FiniteGroup, expressions: [String], representations: [Representation],
        bases: [EquivariantBasis], request: NonlinearityRequest = .auto
    ) throws {
        try SwiftIdentifier.validateTypeName(typeName)
        guard expressions.count >= 2 else { throw NetworkError.tooFewRepresentations(expressions.count) }
        guard representations.count == expressions.count, bases.count == expressions.count - 1 else {
            throw NetworkError.dimensionMismatch("\(expressions.count) expressions, \(representations.count) representations and \(bases.count) bases")
        }
        var layers: [LayerDescription] = []
        for i in 0..<bases.count {
            layers.append(try LayerDescription(
                typeName: "Layer\(i + 1)", group: group, input: representations[i], output: representations[i + 1],
                inputExpression: expressions[i], outputExpression: expressions[i + 1], basis: bases[i]))
        }
        try self.init(typeName: typeName, group: group, expressions: expressions, representations: representations, layers: layers, request: request)
    }

    /// From finished layer descriptions (`Layer1` … `LayerL`; group convolutions keep their structure).
    init(
        typeName: String, group: FiniteGroup, expressions: [String], representations: [Representation],
        layers: [LayerDescription], request: NonlinearityRequest
    ) throws {
        // A layer without weights outputs its bias alone, so everything after it, and the
        // network's output, would not depend on the input: refused rather than emitted.
        if let i = layers.firstIndex(where: { $0.basis.dimension == 0 }) {
            throw NetworkError.configuration(
                "layer \(i + 1) (\(expressions[i]) → \(expressions[i + 1])) has no equivariant weights: the only equivariant linear map between these representations is 0 (they share no irreducible constituent), so the network's output would not depend on its input; choose representations that share one (`archsynth basis SPEC --in \(expressions[i]) --out \(expressions[i + 1])` prints the dimension)")
        }
        var plans: [NonlinearityPlan] = []
        for i in 1..<(expressions.count - 1) {
            plans.append(try NonlinearityPlan(representation: representations[i], expression: expressions[i], request: request))
        }
        self.typeName = typeName
        groupName = group.name
        groupOrder = group.order.description
        generatorNames = group.generators
        self.expressions = expressions
        self.representations = representations
        self.layers = layers
        nonlinearities = plans
        isInvariant = NetworkDescription.actsTrivially(representations[representations.count - 1])
    }

    /// Resolves the expressions in `group` and builds every layer: a group convolution where
    /// both sides are multiples of a regular action (the built-in `regular`, or a transitive
    /// permutation representation on |G| points; basis from the structure, no solver), else the
    /// basis from `IntertwinerSolver`.
    ///
    /// - Parameter support: a k × … × k stencil for the group-convolution layers (as
    ///   `generate layer --support`); throws when no layer is a group convolution.
    public static func solving(
        typeName: String, group: FiniteGroup, expressions: [String], request: NonlinearityRequest = .auto,
        options: SolverOptions = SolverOptions(), support: Int? = nil
    ) throws -> NetworkDescription {
        try SwiftIdentifier.validateTypeName(typeName)
        guard expressions.count >= 2 else { throw NetworkError.tooFewRepresentations(expressions.count) }
        let parsed = try expressions.map { try RepresentationExpression(parsing: $0) }
        let reps = try parsed.map { try group.representation(for: $0) }
        // Check the nonlinearities before the (possibly slow) solves.
        for i in 1..<(reps.count - 1) {
            _ = try NonlinearityPlan(representation: reps[i], expression: expressions[i], request: request)
        }
        var layers: [LayerDescription] = []
        for i in 0..<(reps.count - 1) {
            let name = "Layer\(i + 1)"
            if let convolution = try LayerDescription.groupConvolution(
                typeName: name, group: group, input: reps[i], output: reps[i + 1], inputExpression: expressions[i],
                outputExpression: expressions[i + 1], support: support)
            {
                layers.append(convolution)
                continue
            }
            let basis = try IntertwinerSolver.solveMaterializedOrFactored(group: group, input: parsed[i], output: parsed[i + 1], options: options)
            layers.append(try LayerDescription(
                typeName: name, group: group, input: reps[i], output: reps[i + 1], inputExpression: expressions[i],
                outputExpression: expressions[i + 1], basis: basis))
        }
        if let support, !layers.contains(where: { $0.convolution != nil }) {
            throw NetworkError.configuration(
                "support \(support) applies to group convolutions only, and no layer of \(typeName) is one: consecutive representations must be multiples of the regular representation (or of a transitive permutation representation on |G| points)")
        }
        return try NetworkDescription(
            typeName: typeName, group: group, expressions: expressions, representations: reps, layers: layers, request: request)
    }

    /// Total θ over all layers.
    public var weightCount: Int { layers.reduce(0) { $0 + $1.basis.dimension } }
    /// Layer biases plus one gate bias per norm block.
    public var biasCount: Int { layers.reduce(0) { $0 + $1.basis.biasDimension } + gateCount }
    public var gateCount: Int { nonlinearities.reduce(0) { $0 + $1.gateCount } }

    /// Every generator image is the identity.
    static func actsTrivially(_ rep: Representation) -> Bool {
        if let mono = rep.monomialImages {
            return mono.allSatisfy { g in (0..<rep.dimension).allSatisfy { g.images[$0] == Int32($0) && g.signs[$0] == 1 } }
        }
        return rep.realImages.allSatisfy { m in
            (0..<rep.dimension).allSatisfy { r in (0..<rep.dimension).allSatisfy { c in m[r, c] == (r == c ? 1 : 0) } }
        }
    }
}
