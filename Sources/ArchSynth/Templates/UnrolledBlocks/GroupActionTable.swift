import ArchSynthRuntime
import GroupTheory

/// Every element of a finite group as real matrices of one or more representations, the
/// linear actions a `Law.linear` takes (element 0 is the identity; elements in the order of
/// `FiniteGroup.enumeration()`).
///
/// ```swift
/// let table = try GroupActionTable(group: g, representations: [rx, rc], maxElements: 512)
/// let law = table.law(name: "S4 on (x, c) → x", inputs: [0, 1], output: 0)
/// ```
public struct GroupActionTable: Sendable {
    /// `matrices[r][g]`: representation r at element g, row-major.
    public let matrices: [[[Double]]]
    public let dimensions: [Int]
    public var elementCount: Int { matrices.first?.count ?? 0 }

    public init(group: FiniteGroup, representations: [Representation], maxElements: Int = 512) throws {
        guard group.isEnumerable, let order = group.order.intValue, order <= maxElements else {
            throw UnrolledBlockError.groupTooLarge(order: group.order.description, limit: maxElements)
        }
        let e = try group.enumeration()
        dimensions = representations.map(\.dimension)
        matrices = representations.map { rep in
            e.words.map { w in
                guard let m = rep.realMatrix(of: w) else { preconditionFailure("representation without real matrices") }
                return m.elements
            }
        }
    }

    /// The worst ‖ρ(g)ᵀρ(g) − I‖_max over the group for representation r.
    public func orthogonalityDefect(_ r: Int) -> (defect: Double, element: Int) {
        let n = dimensions[r]
        var worst = 0.0, at = 0
        for (g, m) in matrices[r].enumerated() {
            for i in 0..<n {
                for j in 0..<n {
                    var s = 0.0
                    for k in 0..<n { s += m[k * n + i] * m[k * n + j] }
                    let d = abs(s - (i == j ? 1 : 0))
                    if d > worst { worst = d; at = g }
                }
            }
        }
        return (worst, at)
    }

    /// Linear actions of representation r, one per element.
    public func actions(_ r: Int) -> [LinearAction] {
        matrices[r].map { .matrix($0, dimensions[r]) }
    }

    /// The group acting on the inputs by the representations `inputs` and on the output by `output`.
    public func law(name: String, inputs: [Int], output: Int) -> Law {
        Law.linear(name: name, inputs: inputs.map(actions), output: actions(output), isComplete: true)
    }
}

/// What can go wrong building an unrolled-optimizer block.
public enum UnrolledBlockError: Error, CustomStringConvertible, Equatable {
    case groupTooLarge(order: String, limit: Int)
    case notOrthogonal(defect: Double, element: Int, expression: String)
    case noInvariantForms(String)
    case tooManyQuarticTerms(forms: Int, terms: Int, limit: Int)
    case badArgument(String)
    case tooLarge(dimension: String, limit: Int)
    /// A file or a training run that cannot be used (the message names it and the fix).
    case failure(String)

    public var description: String {
        switch self {
        case let .groupTooLarge(order, limit):
            return "the group has \(order) elements; unrolled blocks state their law over every element and accept at most \(limit) (raise the limit with --max-law-elements N)"
        case let .notOrthogonal(defect, element, expression):
            return "ρ on x (\(expression)) is not orthogonal: ‖ρ(g)ᵀρ(g) − I‖ = \(defect) at element \(element). A gradient ∇ₓE transforms by ρ(g)⁻ᵀ, so x − η∇ₓE is equivariant only when ρ is orthogonal. Fix: use a permutation, signed-permutation or orthogonal representation for --x (e.g. conjugate by P = (Σ_g ρ(g)ᵀρ(g))^{1/2}, which makes ρ orthogonal)"
        case let .noInvariantForms(what):
            return "no invariant quadratic form couples x to the energy (\(what)): every gradient step would be the identity"
        case let .tooManyQuarticTerms(forms, terms, limit):
            return "the quartic energy is the products of \(forms) invariant quadratic forms, \(terms) terms, more than the limit \(limit); use --energy quadratic or smaller representations"
        case let .badArgument(s), let .failure(s):
            return s
        case let .tooLarge(dimension, limit):
            return "x ⊕ c has dimension \(dimension), above the unrolled block's limit of \(limit) (its invariant forms are dense n×n matrices); use smaller representations or raise the limit with --max-dimension N"
        }
    }
}
