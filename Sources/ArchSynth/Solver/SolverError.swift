import GroupTheory

/// Why the intertwiner solver refused or failed. Every message names the offending
/// values and what to do next; a disagreement between independent checks is an
/// error, never a silent result (DESIGN.md "The solver").
public enum SolverError: Error, CustomStringConvertible, Sendable {
    /// The two representations were given for different numbers of generators.
    case generatorCountMismatch(input: Int, output: Int)
    /// d_out · d_in above `SolverOptions.maxIndexPairs` for the monomial strategy.
    case tooManyIndexPairs(outputDimension: Int, inputDimension: Int, limit: Int)
    /// d_out · d_in above `SolverOptions.maxExactUnknowns` for exact elimination.
    case tooManyExactUnknowns(outputDimension: Int, inputDimension: Int, limit: Int)
    /// The basis dimension differs from the character inner product.
    case characterMismatch(what: String, basisDimension: Int, characterDimension: Int, method: String)
    /// ⟨χ_in, χ_out⟩ is not (close to) an integer: the inputs are not representations of the group.
    case nonIntegralCharacterProduct(what: String, value: String)
    /// A basis element fails a generator constraint.
    case constraintViolated(element: Int, generator: Int, residual: Double, limit: Double, method: String)
    /// The Float64 solver failed (its message is kept).
    case realSolver(String)
    /// The group or expression could not be built.
    case representation(String)
    /// A basis without a certificate of completeness (never returned).
    case uncertified(method: String)
    /// A representation above `SolverOptions.maxFactoredDimension` for the factored basis.
    case tooLargeToFactor(which: String, dimension: Int, limit: Int)

    public var description: String {
        switch self {
        case let .generatorCountMismatch(input, output):
            return "the input representation has \(input) generator images and the output \(output); both must be representations of the same group"
        case let .tooManyIndexPairs(o, i, limit):
            return "the weight matrix has \(o) × \(i) = \(o * i) entries, above the monomial solver's limit of \(limit) index pairs (about 29 bytes each); use smaller representations, split them into direct summands, or \(LimitAdvice.raise("SolverOptions.maxIndexPairs", flag: "--max-index-pairs"))"
        case let .tooManyExactUnknowns(o, i, limit):
            return "exact elimination would need \(o) × \(i) = \(o * i) unknowns, above the limit of \(limit); raise it (--max-exact-unknowns N), split the representations into direct summands, or solve in Float64 (--float)"
        case let .characterMismatch(what, basis, character, method):
            return internalFailure("the \(method) solver found \(basis) \(what) but the character inner product says \(character)")
        case let .nonIntegralCharacterProduct(what, value):
            return "the character inner product for the \(what) is \(value), not an integer: the representations are probably not homomorphisms of the same group (check the spec's matrices)"
        case let .constraintViolated(element, generator, residual, limit, method):
            let which = element < 0 ? "weight-tying table" : "basis element \(element)"
            return internalFailure("\(method) \(which) violates the constraint of generator \(generator) (relative residual \(residual), limit \(limit))")
        case let .realSolver(message):
            return "Float64 solver: \(message)"
        case let .representation(message):
            return message
        case let .uncertified(method):
            return internalFailure("the \(method) solver produced a basis without a certificate of completeness")
        case let .tooLargeToFactor(which, dimension, limit):
            return "the \(which) representation has dimension \(dimension), above the limit of \(limit) for the factored basis (an O(d³) decomposition); use smaller representations or \(LimitAdvice.raise("SolverOptions.maxFactoredDimension", flag: "--max-factored-dimension"))"
        }
    }

    /// A disagreement between independent checks: a bug to report, never a result.
    private func internalFailure(_ what: String) -> String {
        "internal check failed: \(what); please report this with the spec and expressions"
    }
}

/// The one wording of "raise this limit" in ArchSynth's errors: the option and its flag, as
/// `LimitFlags` annotates GroupTheory's limits, or the flag alone where no option type holds it.
enum LimitAdvice {
    /// `raise SolverOptions.maxIndexPairs (command line: --max-index-pairs N)`, or
    /// `raise the limit with --max-dimension N` without an option.
    static func raise(_ option: String? = nil, flag: String) -> String {
        option.map { "raise \($0) (command line: \(flag) N)" } ?? "raise the limit with \(flag) N"
    }
}
