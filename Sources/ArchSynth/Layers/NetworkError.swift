/// Why a network cannot be built or emitted. Messages name the representation and say what
/// to do instead.
public enum NetworkError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Fewer than two representations in `--reps`.
    case tooFewRepresentations(Int)
    /// The requested nonlinearity does not commute with the hidden representation.
    case nonlinearityBreaksEquivariance(representation: String, nonlinearity: String, coordinates: [Int], reason: String)
    /// A block that needs the norm nonlinearity is not orthogonal, so its norm is not invariant.
    case notOrthogonal(representation: String, coordinates: [Int], generator: Int, residual: Double)
    /// Layer i's input dimension does not match the previous output.
    case dimensionMismatch(String)
    /// A bad `*.archsynth.json` configuration (file, key, what is wrong).
    case configuration(String)

    public var description: String {
        switch self {
        case let .tooFewRepresentations(n):
            return "a network needs at least two representations (input and output) in --reps, got \(n); e.g. --reps natural,natural,trivial"
        case let .nonlinearityBreaksEquivariance(rep, nonlinearity, coordinates, reason):
            return "\(nonlinearity) would break equivariance on the hidden representation \"\(rep)\" (coordinates \(NetworkError.range(coordinates))): \(reason)"
        case let .notOrthogonal(rep, coordinates, generator, residual):
            return "the hidden representation \"\(rep)\" is not orthogonal on coordinates \(NetworkError.range(coordinates)) (generator \(generator): ‖ρᵀρ − I‖_max = \(residual)), so the norm nonlinearity would not be equivariant and no pointwise function applies; give the representation in an orthonormal basis (or use a permutation representation for the hidden layer)"
        case let .dimensionMismatch(message):
            return message
        case let .configuration(message):
            return message
        }
    }

    static func range(_ c: [Int]) -> String {
        guard let first = c.first, let last = c.last else { return "[]" }
        if c.count > 2, last - first + 1 == c.count { return "\(first)…\(last)" }
        if c.count <= 8 { return "[" + c.map(String.init).joined(separator: ", ") + "]" }
        return "[" + c.prefix(6).map(String.init).joined(separator: ", ") + ", … (\(c.count))]"
    }
}
