import ArchSynthRuntime
import GroupTheory

/// The gradient form of the unrolled-optimizer ("mesa-optimizer") block, validated and ready to
/// emit or run: K steps x ← x − η_k u(∇ₓE_θ(x; c)) on an energy invariant under G acting on
/// (x, c) (`InvariantForms`), so every step, and the block, is equivariant (ρ_c, ρ_x) → ρ_x.
///
/// ```swift
/// let block = try UnrolledGradientBlock(typeName: "Denoiser", group: g, x: "natural", context: "natural", steps: 4, energy: .quadratic)
/// block.node.forward(block.node.initialParameters(seed: 1), [x, c])
/// ```
public struct UnrolledGradientBlock: Sendable {
    public enum Energy: String, Sendable { case quadratic, quartic }

    /// Resource limits (documented defaults).
    public struct Limits: Sendable {
        /// Law over every element; groups larger than this are refused (default 512).
        public var maxLawElements = 512
        /// Quartic product terms m(m+1)/2 (default 1000).
        public var maxQuarticTerms = 1000
        /// dim x + dim c (default 64): the invariant forms are n×n and are made independent by
        /// Gram–Schmidt, O(m·n²) memory and O(m²·n²) time for m forms, and m grows as n²
        /// (measured: S4 on 30·natural ⊕ natural, n = 124, 990 forms, 57 s).
        public var maxDimension = 64
        public init() {}
    }

    public let typeName: String
    public let groupName: String
    public let xExpression: String
    public let contextExpression: String
    public let steps: Int
    public let energyKind: Energy
    public let shared: Bool
    public let normalized: Bool
    public let energy: InvariantFormEnergy
    public let actions: GroupActionTable

    public var xSize: Int { energy.xSize }
    public var contextSize: Int { energy.contextSize }
    public var node: UnrolledGradient { node(steps: steps) }
    public func node(steps k: Int) -> UnrolledGradient {
        UnrolledGradient(step: GradientStep(energy: energy, normalized: normalized), steps: k, shared: shared)
    }
    public var lawName: String { "\(groupName) on (x: \(xExpression), c: \(contextExpression)) → x" }
    public var law: Law { actions.law(name: lawName, inputs: [0, 1], output: 0) }

    /// - Parameters:
    ///   - normalized: nil picks the default: normalized steps for quartic energies (finite on
    ///     inputs of size 10⁴), plain gradient steps for quadratic ones.
    public init(
        typeName: String, group: FiniteGroup, x: String, context: String, steps: Int, energy: Energy, shared: Bool,
        normalized: Bool? = nil, limits: Limits = Limits()
    ) throws {
        guard steps >= 1 else { throw UnrolledBlockError.badArgument("--steps must be at least 1") }
        let xe = try RepresentationExpression(parsing: x), ce = try RepresentationExpression(parsing: context)
        // Sizes first, from the expressions alone (nothing is built): a block on 100000*natural
        // must be refused before its representation is allocated.
        let size = try group.dimension(of: .sum(xe, ce))
        if size > BigUInt(limits.maxDimension) {
            throw UnrolledBlockError.tooLarge(dimension: size.description, limit: limits.maxDimension)
        }
        let rx = try group.representation(for: xe), rc = try group.representation(for: ce)
        let table = try GroupActionTable(group: group, representations: [rx, rc], maxElements: limits.maxLawElements)
        let (defect, element) = table.orthogonalityDefect(0)
        guard defect <= 1e-9 else { throw UnrolledBlockError.notOrthogonal(defect: defect, element: element, expression: x) }
        var (forms, _) = try InvariantForms.quadratic(group: group, x: xe, context: ce)
        if energy == .quadratic { forms = forms.filter { $0.touchesX(rx.dimension) } }
        guard forms.contains(where: { $0.touchesX(rx.dimension) }) else {
            throw UnrolledBlockError.noInvariantForms("Hom_G((\(x) + \(context))^2, trivial)")
        }
        var pairs: [[Int]] = []
        if energy == .quartic {
            let terms = forms.count * (forms.count + 1) / 2
            guard terms <= limits.maxQuarticTerms else {
                throw UnrolledBlockError.tooManyQuarticTerms(forms: forms.count, terms: terms, limit: limits.maxQuarticTerms)
            }
            for a in forms.indices { for b in a..<forms.count { pairs.append([a, b]) } }
        }
        var entries: [InvariantFormEnergy.Entry] = []
        for (a, f) in forms.enumerated() {
            for e in f.entries { entries.append(.init(form: a, row: e.row, column: e.column, value: e.value)) }
        }
        self.typeName = typeName
        groupName = group.name
        xExpression = x
        contextExpression = context
        self.steps = steps
        energyKind = energy
        self.shared = shared
        self.normalized = normalized ?? (energy == .quartic)
        self.energy = InvariantFormEnergy(xSize: rx.dimension, contextSize: rc.dimension, formCount: forms.count, entries: entries, pairs: pairs)
        actions = table
    }
}
