import ArchSynthRuntime

/// The nonlinearity a lattice network (`generate network wallpaper:… --nonlinearity …`) puts after
/// a hidden layer, named as escnn names its modules:
///
/// | value | escnn | fits |
/// |---|---|---|
/// | `relu` | `ReLU` (pointwise) | fields whose ρ permutes the components (regular, trivial, pointRegular) |
/// | `tanh` | `PointwiseNonLinearity(…, 'p_tanh')` | signed permutations (pointSign, p4's point) |
/// | `norm-relu` (or `norm`) | `NormNonLinearity(…, 'n_relu')` | every field (ReLU(‖v‖ − |b|)·v/‖v‖, one b per channel) |
/// | `norm-sigmoid` | `NormNonLinearity(…, 'n_sigmoid')` | every field (sigmoid(‖v‖ − b)·v) |
/// | `gated` | `GatedNonLinearity1` | every field: the convolution also emits one trivial gate per field |
/// | `auto` | | ReLU where ρ permutes, tanh where it negates, norm-relu where it mixes components |
///
/// `--nonlinearity` takes one value for every hidden layer or a comma-separated list with one per
/// hidden layer (`--nonlinearity gated,relu`).
public enum LatticeNonlinearity: Sendable, Equatable {
    case auto, relu, tanh
    /// A norm or gated nonlinearity on whole fields.
    case field(LatticeFieldNonlinearity.Kind)

    /// The accepted spellings, for messages.
    public static let spellings = ["auto", "relu", "tanh", "norm-relu", "norm", "norm-sigmoid", "gated"]

    /// The value named `text`, nil for an unknown name.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .auto
        case "relu": self = .relu
        case "tanh": self = .tanh
        case "norm", "norm-relu": self = .field(.normReLU)
        case "norm-sigmoid": self = .field(.normSigmoid)
        case "gated": self = .field(.gated)
        default: return nil
        }
    }

    /// One request per hidden layer from `texts` (one value for all, or one per hidden layer).
    /// - Throws: `LatticeNetworkError` naming an unknown value or a list of the wrong length.
    public static func requests(_ texts: [String], hiddenCount: Int) throws -> [LatticeNonlinearity] {
        var parsed: [LatticeNonlinearity] = []
        for t in texts {
            guard let n = LatticeNonlinearity(t) else {
                throw LatticeNetworkError("--nonlinearity \"\(t)\" is not a lattice nonlinearity; use one of \(spellings.joined(separator: ", ")), or a comma-separated list with one per hidden layer")
            }
            parsed.append(n)
        }
        if parsed.count == 1 { return Array(repeating: parsed[0], count: hiddenCount) }
        guard parsed.count == hiddenCount else {
            throw LatticeNetworkError("--nonlinearity lists \(parsed.count) values but the network has \(hiddenCount) hidden layer\(hiddenCount == 1 ? "" : "s") (one nonlinearity after each convolution but an equivariant last one); give one value for all or exactly \(hiddenCount)")
        }
        return parsed
    }
}
