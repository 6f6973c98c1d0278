/// Errors from exact and floating-point linear algebra.
///
/// Shape mistakes made by the caller's own code trap (`precondition`); these cases
/// are the ones that depend on the data: singular systems, unclear numerical rank,
/// iterations that did not converge.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A square matrix that has no inverse (or a system with no unique solution).
    case singularMatrix(size: Int, operation: String)
    /// `A x = b` has no solution.
    case inconsistentSystem(rows: Int, columns: Int)
    /// The singular values do not separate clearly into "zero" and "nonzero":
    /// the smallest one kept is not at least `requiredGap` times the largest one
    /// counted as zero (or the numerical noise level when none is).
    case unclearNumericalRank(
        smallestKept: Double, largestDiscarded: Double, gapRatio: Double,
        requiredGap: Double, relativeTolerance: Double)
    /// An iterative algorithm stopped after its iteration limit.
    case notConverged(algorithm: String, iterations: Int)
    /// A routine for symmetric matrices got a matrix whose largest |aᵢⱼ − aⱼᵢ| is too large.
    case notSymmetric(maximumAsymmetry: Double, maximumEntry: Double)
    /// Non-finite entries (NaN or infinity) in the input.
    case nonFiniteInput(operation: String)

    /// A one-line message with the numbers involved and what to do about them.
    public var description: String {
        switch self {
        case .singularMatrix(let n, let op):
            return "\(op): the \(n)×\(n) matrix is singular; check the input, or use solve/nullspace "
                + "for rank-deficient systems."
        case .inconsistentSystem(let r, let c):
            return "the \(r)×\(c) linear system has no solution: the right-hand side is not in the column space."
        case .unclearNumericalRank(let kept, let dropped, let gap, let required, let tol):
            return "numerical rank is unclear: smallest singular value kept \(kept), largest counted as zero "
                + "\(dropped), gap ratio \(gap) < required \(required) (relative tolerance \(tol)). "
                + "The input is ill-conditioned or inexact: supply exact (rational) entries, change the "
                + "relative tolerance, or lower the required gap if you accept the risk."
        case .notConverged(let algorithm, let iterations):
            return "\(algorithm) did not converge in \(iterations) iterations; the input may contain "
                + "extreme values, rescale it or report the matrix."
        case .notSymmetric(let asym, let entry):
            return "the matrix is not symmetric: max |a_ij - a_ji| = \(asym) with max |a_ij| = \(entry); "
                + "symmetrize it ((A + Aᵀ)/2) or use the singular value decomposition."
        case .nonFiniteInput(let op):
            return "\(op): the matrix contains NaN or infinite entries; fix the input."
        }
    }
}
