/// Where a group's order came from (`FiniteGroup.orderSource`): the strategy of
/// `FiniteGroup.init(spec:options:)` that established it.
///
/// ```swift
/// let d4 = try FiniteGroup(spec: spec)          // a presentation of order 8
/// d4.orderSource                                 // .cosetEnumeration
/// ```
public enum OrderSource: Sendable, Equatable, CustomStringConvertible {
    /// Todd–Coxeter on the presentation over the trivial subgroup (its coset table lists the elements).
    case cosetEnumeration
    /// A coset enumeration of the same generators and relators by an earlier run (the order cache).
    case cachedCosetEnumeration
    /// Schreier–Sims on the permutation action of the named monomial representation (assumed or
    /// checked to be faithful).
    case schreierSims(representation: String)
    /// The closure of the named matrix representation's generator images.
    case matrixClosure(representation: String)

    /// "coset enumeration", "coset enumeration (cached from an earlier run)", "Schreier–Sims on
    /// NAME", "closure of the matrices of NAME" (the text `info` and `basis` print).
    public var description: String {
        switch self {
        case .cosetEnumeration: return "coset enumeration"
        case .cachedCosetEnumeration: return "coset enumeration (cached from an earlier run)"
        case let .schreierSims(name): return "Schreier–Sims on \(name)"
        case let .matrixClosure(name): return "closure of the matrices of \(name)"
        }
    }
}
