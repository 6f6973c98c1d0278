/// Limits and tolerances of the Float64 solver (DESIGN.md "The solver", strategy 4).
public struct RealSolverOptions: Sendable {
    /// Singular values at most this times the largest count as zero. Default 1e-9.
    public var relativeTolerance: Double = 1e-9
    /// The smallest singular value kept must be at least this times the largest one
    /// discarded (or the rounding noise level), else the solver refuses. Default 1e4.
    public var requiredGap: Double = 1e4
    /// Problems with d_in · d_out at most this may use the dense nullspace; larger ones
    /// always use the isotypic decomposition. Default 4096 (the dense SVD is
    /// O((d_in·d_out)³): measured in release, 256 unknowns 0.08 s, 1024 unknowns 6 s,
    /// 2304 unknowns 63 s).
    public var maxDenseUnknowns: Int = 4096
    /// Between this and `maxDenseUnknowns` the isotypic path is tried first and the
    /// dense one is the fallback (when the decomposition fails or needs a group that
    /// cannot be enumerated). Default 64 (8 × 8): with the Golub–Kahan–Reinsch SVD the dense
    /// path costs about 1 ms there but 42 ms at 256 unknowns, where the decomposition takes
    /// a few ms (`archsynth-bench solver`, D8 plane^k); set it to `maxDenseUnknowns` to make
    /// every small problem dense.
    public var isotypicAbove: Int = 64
    /// Seed of every random choice (the decomposition is deterministic given it).
    public var seed: UInt64 = 0x5EED_1507
    /// Eigenvalues of the random group-algebra element closer than this (relative
    /// to the largest) are one cluster. Default 1e-9.
    public var clusterTolerance: Double = 1e-9
    /// A spun vector with residual at most this (relative) is in the span. Default 1e-7.
    public var spinTolerance: Double = 1e-7
    /// Largest accepted deviation of a copy from orthonormality and from the first
    /// copy's images. Default 1e-8.
    public var copyTolerance: Double = 1e-8
    /// Generator images with max |ρᵀρ − I| at most this are treated as orthogonal. Default 1e-10.
    public var orthogonalityTolerance: Double = 1e-10
    /// Randomized decomposition attempts before giving up. Default 4.
    public var decompositionAttempts: Int = 4
    /// Largest total number of basis entries (dimension · d_out · d_in) materialized.
    /// Default 200 000 000 (1.6 GB of Float64).
    public var maxBasisEntries: Int = 200_000_000

    /// The defaults listed with each property.
    public init() {}
}

/// Errors of the Float64 solver.
public enum RealSolverError: Error, Sendable, CustomStringConvertible {
    /// The input and output representations (or a representation and its group elements)
    /// have different numbers of generator images.
    case generatorCountMismatch(input: Int, output: Int)
    /// The singular values do not separate into zero and nonzero.
    case unclearGap(unknowns: Int, smallestKept: Double, largestDiscarded: Double, gapRatio: Double, requiredGap: Double, relativeTolerance: Double, context: String)
    /// Orthogonalizing needs a sum over an enumerable group.
    case needsEnumerableGroup(reason: String)
    /// The randomized isotypic decomposition failed every attempt.
    case decompositionFailed(attempts: Int, reason: String)
    /// The basis would not fit the entry limit.
    case basisTooLarge(dimension: Int, entries: Int, limit: Int)
    /// A generator image of size `dimension` with NaN or infinite entries.
    case nonFinite(dimension: Int)
    /// A `LinearAlgebraError` from a kernel, as its message with context.
    case linearAlgebra(String)
    /// Orthonormalizing the basis of a non-orthogonal representation lost element
    /// `element` to rounding (only `remaining` of its norm was left).
    case illConditioned(element: Int, remaining: Double)

    /// A one-line message with the numbers involved and what to change.
    public var description: String {
        switch self {
        case let .generatorCountMismatch(i, o):
            return "the input representation has \(i) generator images and the output \(o); both must be representations of the same generators"
        case let .unclearGap(unknowns, kept, dropped, gap, required, tolerance, context):
            return "refusing: the spectral gap is unclear for \(context) (\(unknowns) unknowns): smallest singular value counted as nonzero \(kept), largest counted as zero \(dropped), gap ratio \(gap) < required \(required) at relative tolerance \(tolerance). The representation matrices are probably inexact (a perturbed or rounded representation); give them exactly (rationals, or more digits), or change relativeTolerance / requiredGap if you accept the risk"
        case let .needsEnumerableGroup(reason):
            return "cannot orthogonalize: \(reason). Give orthogonal generator images, or an enumerable group (raise \(ResourceLimit.maxElements))"
        case let .decompositionFailed(attempts, reason):
            return "the isotypic decomposition failed after \(attempts) random attempts; last: \(reason). Check that the images form a representation, raise RealSolverOptions.decompositionAttempts, or use the dense solver (raise maxDenseUnknowns)"
        case let .basisTooLarge(dimension, entries, limit):
            return "the equivariant basis has \(dimension) elements, \(entries) dense entries in all, above the limit \(limit); keep it factored (W = P_out (⊕ K_p) P_in in O(d²) memory: FactoredIntertwiner), raise \(ResourceLimit.maxBasisEntries) or use a monomial representation (sparse tying)"
        case let .nonFinite(dimension):
            return "a \(dimension)×\(dimension) generator image contains NaN or infinity; fix the representation"
        case let .linearAlgebra(message):
            return message
        case let .illConditioned(element, remaining):
            return "the representation matrices are too ill-conditioned for Float64: basis element \(element) kept only \(remaining) of its norm after orthonormalization, so the basis would be numerically dependent. Give orthogonal (or exact rational) generator images, or a better-conditioned basis of the representation"
        }
    }
}
