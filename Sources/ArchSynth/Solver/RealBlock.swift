import ArchSynthRuntime
import GroupTheory

/// Strategy 4 hook: hands Float64 pairs to `RealIntertwinerSolver` and checks its basis
/// against every generator constraint by relative residual.
enum RealBlock {
    static func solve(
        input: Representation, output: Representation, group: FiniteGroup?, options: SolverOptions
    ) throws -> BlockSolution {
        let solution: RealSolution
        do {
            solution = try RealIntertwinerSolver.solve(input: input, output: output, group: group, options: options.real)
        } catch let error as SolverError {
            throw error
        } catch let error as RealSolverError {
            // Too large to materialize stays recognizable: callers fall back to the factored form.
            if case .basisTooLarge = error { throw error }
            throw SolverError.realSolver("\(error)")
        } catch {
            throw SolverError.realSolver("\(error)")
        }
        let dOut = output.dimension, dIn = input.dimension
        let elements = solution.basis.map { b -> BasisMatrix in
            precondition(b.rows == dOut && b.columns == dIn, "the Float64 solver returned a \(b.rows)×\(b.columns) matrix")
            let cutoff = 1e-14 * b.maxAbs
            var entries: [SparseEntry<Double>] = []
            for r in 0..<dOut {
                for c in 0..<dIn {
                    let v = b[r, c]
                    if abs(v) > cutoff { entries.append(SparseEntry(row: r, column: c, value: v)) }
                }
            }
            return BasisMatrix(rows: dOut, columns: dIn, entries: entries)
        }
        let method: SolverMethod = solution.method == .isotypicDecomposition ? .isotypicDecomposition : .floatNullspace
        let residual = try checkResiduals(elements, input: input, output: output, options: options,
                                          method: method.description)
        return BlockSolution(elements: elements, tying: nil, method: method,
                             residual: max(residual, solution.residual), exactCheck: false,
                             certificate: solution.method == .isotypicDecomposition ? .isotypic : .spectralGap)
    }

    /// max over elements B and generators g of ‖A B − B C‖_F / (‖B‖_F · scale), with
    /// A = ρ_out(g), C = ρ_in(g) and scale the RMS singular value of A plus that of C. Dense
    /// products when they fit `options.denseCheckBudget`, otherwise four seeded Gaussian probe
    /// vectors per element (‖(A B − B C) x‖ / (‖B x‖ … ) estimates the same quantity).
    /// Throws when an element exceeds `options.realResidualTolerance`.
    static func checkResiduals(
        _ elements: [BasisMatrix], input: Representation, output: Representation, options: SolverOptions,
        method: String
    ) throws -> Double {
        let outImages = output.realImages, inImages = input.realImages
        let dOut = output.dimension, dIn = input.dimension
        let cost = Double(elements.count) * Double(outImages.count) * Double(dOut * dIn) * Double(dOut + dIn)
        let dense = cost <= options.denseCheckBudget
        var rng = RuntimeRandom(seed: options.seed)
        var worst = 0.0
        for (t, element) in elements.enumerated() {
            let b = element.dense
            let norm = b.frobeniusNorm
            for (g, (a, c)) in zip(outImages, inImages).enumerated() {
                let scale = a.frobeniusNorm / Double(max(1, dOut)).squareRoot()
                    + c.frobeniusNorm / Double(max(1, dIn)).squareRoot()
                var relative: Double
                if dense {
                    relative = (a * b - b * c).frobeniusNorm / max(norm * scale, .leastNormalMagnitude)
                } else {
                    relative = 0
                    for _ in 0..<4 {
                        let x = (0..<dIn).map { _ in rng.normal() }
                        let lhs = a.apply(b.apply(x)), rhs = b.apply(c.apply(x))
                        var diff = 0.0
                        for i in 0..<dOut { diff += (lhs[i] - rhs[i]) * (lhs[i] - rhs[i]) }
                        // E‖M x‖² = ‖M‖_F² for standard Gaussian x.
                        relative = max(relative, diff.squareRoot() / max(norm * scale, .leastNormalMagnitude))
                    }
                }
                worst = max(worst, relative)
                if !(relative <= options.realResidualTolerance) {
                    throw SolverError.constraintViolated(element: t, generator: g, residual: relative,
                                                         limit: options.realResidualTolerance, method: method)
                }
            }
        }
        return worst
    }
}
