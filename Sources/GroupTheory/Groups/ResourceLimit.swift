/// A resource limit of GroupTheory's options records (`EnumerationOptions`, `GroupOptions`,
/// `RealSolverOptions`): the errors that hit one carry it, with the value it had, and their
/// messages name it by `optionName` ("raise GroupOptions.maxDimension") so that a front end
/// can point at its own way of raising it (the command line appends its flag).
///
/// ```swift
/// GroupError.tooLarge(what: "the regular representation", size: "dimension 120", limit: 64, option: .maxDimension)
/// // "… above the limit of 64: use a smaller expression or raise GroupOptions.maxDimension"
/// ```
public enum ResourceLimit: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// `EnumerationOptions.maxCosets`: live cosets in a coset enumeration.
    case maxCosets = "EnumerationOptions.maxCosets"
    /// `GroupOptions.maxElements`: elements listed (closure, classes, the regular representation).
    case maxElements = "GroupOptions.maxElements"
    /// `GroupOptions.maxDimension`: the dimension of a built representation.
    case maxDimension = "GroupOptions.maxDimension"
    /// `GroupOptions.maxDenseEntries`: entries of the dense matrices of a representation.
    case maxDenseEntries = "GroupOptions.maxDenseEntries"
    /// `RealSolverOptions.maxBasisEntries`: dense entries of a materialized Float64 basis.
    case maxBasisEntries = "RealSolverOptions.maxBasisEntries"

    /// The qualified name of the option, as messages spell it: `"GroupOptions.maxDimension"`.
    public var optionName: String { rawValue }

    /// The option's qualified name (as `optionName`).
    public var description: String { rawValue }

    /// The end of a message about this limit, one wording for all: `"raise GroupOptions.maxElements
    /// if memory allows"`, or `"raise … to 5040 if memory allows"` with the value needed (the CLI
    /// adds the flag, `LimitFlags`).
    public func raiseAdvice(to value: String? = nil) -> String {
        "raise \(optionName)\(value.map { " to \($0)" } ?? "") if memory allows"
    }
}
