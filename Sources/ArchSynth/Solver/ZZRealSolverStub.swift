// TEMPORARY stub of the agreed Float64 solver interface (branch realsolver provides the
// real RealIntertwinerSolver.swift + IsotypicDecomposition.swift). Delete at merge.
import GroupTheory

public struct RealSolverOptions: Sendable { public var relativeTolerance: Double = 1e-9; public var requiredGap: Double = 1e4; public var maxDenseUnknowns: Int = 4096; public init() {} }
public struct RealSolution: Sendable { public let basis: [Matrix]  /* d_out × d_in each, orthonormal in Frobenius inner product */; public let method: SolverMethod /* .floatNullspace or .isotypicDecomposition */; public let residual: Double; public let gap: Double? }
public enum RealIntertwinerSolver {
    public static func solve(input: Representation, output: Representation, group: FiniteGroup?, options: RealSolverOptions) throws -> RealSolution {
        throw RealSolverStubError()
    }
}
struct RealSolverStubError: Error, CustomStringConvertible { var description: String { "the Float64 solver is not yet available" } }
