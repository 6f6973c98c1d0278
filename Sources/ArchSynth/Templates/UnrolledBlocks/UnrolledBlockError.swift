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
            return "the group has \(order) elements; unrolled blocks state their law over every element and accept at most \(limit) (\(LimitAdvice.raise(flag: "--max-law-elements")))"
        case let .notOrthogonal(defect, element, expression):
            return "ρ on x (\(expression)) is not orthogonal: ‖ρ(g)ᵀρ(g) − I‖ = \(defect) at element \(element). A gradient ∇ₓE transforms by ρ(g)⁻ᵀ, so x − η∇ₓE is equivariant only when ρ is orthogonal. Fix: use a permutation, signed-permutation or orthogonal representation for --x (e.g. conjugate by P = (Σ_g ρ(g)ᵀρ(g))^{1/2}, which makes ρ orthogonal)"
        case let .noInvariantForms(what):
            return "no invariant quadratic form couples x to the energy (\(what)): every gradient step would be the identity"
        case let .tooManyQuarticTerms(forms, terms, limit):
            return "the quartic energy is the products of \(forms) invariant quadratic forms, \(terms) terms, more than the limit \(limit); use --energy quadratic or smaller representations"
        case let .badArgument(s), let .failure(s):
            return s
        case let .tooLarge(dimension, limit):
            return "x ⊕ c has dimension \(dimension), above the unrolled block's limit of \(limit) (its invariant forms are dense n×n matrices); use smaller representations or \(LimitAdvice.raise(flag: "--max-dimension"))"
        }
    }
}
