import GroupTheory

/// Resource limits and tolerances for `IntertwinerSolver`, with documented defaults
/// (like GAP's options records: every limit is named in the error that hits it).
///
/// ```swift
/// var options = SolverOptions()
/// options.maxExactUnknowns = 10_000   // allow larger exact eliminations
/// ```
public struct SolverOptions: Sendable {
    /// Largest d_out · d_in the monomial (union-find) strategy accepts. Peak memory grows
    /// about 55 bytes per index pair (the union-find while solving, then the sparse basis and
    /// the tying table): measured once each, C_5000 natural → natural (25 000 000 pairs, all
    /// nonzero) peaked at 1.4 GB and S_4 1000000·natural → natural (16 000 000) at 0.77 GB.
    /// Default 25 000 000; C_10000 natural → natural, 10⁸ pairs, took 5.7 GB and is refused.
    public var maxIndexPairs: Int = 25_000_000
    /// Largest number of unknowns d_out · d_in for exact rational elimination (strategy 3),
    /// which works on a dense d_out·d_in × d_out·d_in system for the first generator.
    /// Default 2 048 (e.g. 45 × 45; 1 024 unknowns take about a second).
    public var maxExactUnknowns: Int = 2_048
    /// Solve non-monomial exact representations in Float64 (strategy 4) instead of exactly.
    /// Default false.
    public var forceFloat: Bool = false
    /// Options handed to the Float64 solver (tolerance, required spectral gap, dense size).
    public var real: RealSolverOptions = RealSolverOptions()
    /// Largest relative residual ‖ρ_out(g)B − Bρ_in(g)‖_F / (‖B‖_F · scale) accepted for a
    /// Float64 basis element, scale being the RMS singular value of the generator images.
    /// Default 1e-8.
    public var realResidualTolerance: Double = 1e-8
    /// Cross-check dimensions against character inner products. Default true.
    public var characterCheck: Bool = true
    /// Largest group order enumerated (conjugacy classes) for the character cross-check;
    /// above it the check is skipped and the reason recorded in `CrossCheck.characterNote`.
    /// Default 200 000 (also bounded by the group's own `GroupOptions.maxElements`).
    public var characterCheckMaxOrder: Int = 200_000
    /// Budget, in multiply-adds, for checking Float64 basis elements against every generator
    /// exactly as dense products; above it each element is checked on random probe vectors
    /// (seeded, deterministic). Default 2 000 000 000.
    public var denseCheckBudget: Double = 2e9
    /// Largest representation dimension `IntertwinerSolver.solveFactored` decomposes
    /// (O(d³) time, O(d²) memory). Default 2 048 (dicyclic12 quaternion^5, d = 1 024, is
    /// decomposed in a few seconds).
    public var maxFactoredDimension: Int = 2_048
    /// Seed of the random probes (deterministic output).
    public var seed: UInt64 = 0x5EED_0F_A5C4

    public init() {}
}
