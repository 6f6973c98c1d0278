import GroupTheory

/// Computes `EquivariantBasis` values: all W with ρ_out(g) W = W ρ_in(g) for every generator g,
/// and the equivariant biases (DESIGN.md "The solver").
///
/// The strategy is chosen automatically, strongest first:
/// 1. both representations monomial (permutations, signed permutations): orbits of index
///    pairs with signs (`MonomialOrbits`), exact 0/±1 tying;
/// 2. an expression with more than one direct summand (counting multiplicities): each
///    distinct (summand_out, summand_in) pair is solved once and placed in every block;
/// 3. both exact: rational elimination generator by generator (`ExactElimination`);
/// 4. otherwise Float64: `RealIntertwinerSolver` (nullspace with a checked gap, or
///    isotypic decomposition and Schur's lemma).
///
/// Every result is cross-checked before it is returned: its dimension (and bias dimension)
/// against the character inner product when the group can be enumerated, and every basis
/// element against every generator constraint (exactly, or by relative residual in Float64).
/// Any disagreement throws `SolverError`.
///
/// Numbering is canonical: basis elements are sorted by their first nonzero entry in
/// row-major order (for monomial bases that entry is +1).
///
/// ```swift
/// let s4 = try GroupResolver().resolve("symmetric:4")
/// let basis = try IntertwinerSolver.solve(group: s4, input: .named("natural"), output: .named("natural"))
/// basis.dimension   // 2 (identity and all-ones), basis.biasDimension 1
/// ```
public enum IntertwinerSolver {
    /// The basis of Hom_G(input, output) for representation expressions of `group`.
    ///
    /// Expressions with several direct summands are solved block by block (each distinct
    /// pair once) without building the full representations.
    /// - Throws: `SolverError` (sizes above the limits in `options`, failed cross-checks, an
    ///   unknown representation name, a Float64 solve without a clear spectral gap).
    public static func solve(
        group: FiniteGroup, input: RepresentationExpression, output: RepresentationExpression,
        options: SolverOptions = .init()
    ) throws -> EquivariantBasis {
        let inputLayout = try SummandLayout(input, group: group)
        let outputLayout = try SummandLayout(output, group: group)
        try refuseOversizedDenseBasis(
            group: group, input: input, output: output,
            inputDimension: inputLayout.dimension, outputDimension: outputLayout.dimension, options: options)
        let result: EquivariantBasis
        if inputLayout.copies.count > 1 || outputLayout.copies.count > 1 {
            result = try DirectSumAssembly.solve(
                group: group, input: inputLayout, output: outputLayout, options: options)
        } else {
            let inRep = try buildRepresentation(input, group: group)
            let outRep = try buildRepresentation(output, group: group)
            let weights = try solveBlock(input: inRep, output: outRep, group: group, options: options)
            let bias = try solveBlock(
                input: .trivial(generatorCount: group.generatorCount), output: outRep, group: group, options: options)
            result = assemble(weights: weights, bias: bias, outputDimension: outRep.dimension,
                              inputDimension: inRep.dimension)
        }
        return try crossChecked(result, input: .expression(input), output: .expression(output), group: group, options: options)
    }

    /// The basis of Hom_G(input, output) for two representations of the same generators.
    ///
    /// `group` enables the character cross-check (and may help the Float64 solver);
    /// without it `crossCheck.characterNote` says that no character check was made.
    public static func solve(
        input: Representation, output: Representation, group: FiniteGroup? = nil, options: SolverOptions = .init()
    ) throws -> EquivariantBasis {
        try checkGeneratorCounts(input: input, output: output, group: group)
        let weights = try solveBlock(input: input, output: output, group: group, options: options)
        let bias = try solveBlock(
            input: .trivial(generatorCount: output.generatorCount), output: output, group: group, options: options)
        let result = assemble(weights: weights, bias: bias, outputDimension: output.dimension,
                              inputDimension: input.dimension)
        return try crossChecked(result, input: .representation(input), output: .representation(output), group: group, options: options)
    }

    /// The two representations have as many generator images as each other and as `group`.
    static func checkGeneratorCounts(input: Representation, output: Representation, group: FiniteGroup?) throws {
        guard input.generatorCount == output.generatorCount else {
            throw SolverError.generatorCountMismatch(input: input.generatorCount, output: output.generatorCount)
        }
        if let group, group.generatorCount != input.generatorCount {
            throw SolverError.representation(
                "the representations have \(input.generatorCount) generator images but \(group.name) has \(group.generatorCount) generators")
        }
    }

    /// The character cross-check of `result` when a group is given (a note that none was made
    /// otherwise), then `certified`.
    static func crossChecked(
        _ result: EquivariantBasis, input: CharacterCheck.Source, output: CharacterCheck.Source, group: FiniteGroup?,
        options: SolverOptions
    ) throws -> EquivariantBasis {
        guard let group else {
            return try certified(result.with(crossCheck: CrossCheck(
                characterDimension: nil, characterBiasDimension: nil,
                characterNote: "no group given: character check not made",
                residual: result.crossCheck.residual, exactConstraintCheck: result.crossCheck.exactConstraintCheck,
                certificates: result.crossCheck.certificates)))
        }
        let check = try CharacterCheck(group: group, options: options).check(result, input: input, output: output)
        return try certified(result.with(crossCheck: check))
    }

    /// Hom_G(input, output) kept factored (`FactoredIntertwiner`): memory O(d_in² + d_out²)
    /// however large the basis, for Float64 representations whose materialized basis
    /// (dim · d_in · d_out entries) is above `RealSolverOptions.maxBasisEntries`. The biases
    /// are the trivial copies of the output's decomposition. Certificates: `isotypic` (the
    /// checked decompositions and pairings) plus `characters` when the group can be enumerated
    /// (a mismatch throws).
    ///
    /// Edge cases: monomial representations are decomposed like any other (their orbit
    /// basis is usually the better choice); no shared irreducible type gives dimension 0.
    /// - Throws: `SolverError.tooLargeToFactor` when a representation is above
    ///   `SolverOptions.maxFactoredDimension`; the decomposition's errors otherwise.
    /// - Complexity: O(d_in³ + d_out³) for the decompositions; no sum over the group unless a
    ///   representation is not orthogonal.
    public static func solveFactored(
        group: FiniteGroup, input: RepresentationExpression, output: RepresentationExpression,
        options: SolverOptions = .init()
    ) throws -> EquivariantBasis {
        let inputLayout = try SummandLayout(input, group: group)
        let outputLayout = try SummandLayout(output, group: group)
        try refuseUnfactorable(input: inputLayout.dimension, output: outputLayout.dimension, options: options)
        let inRep = try buildRepresentation(input, group: group)
        let outRep = try buildRepresentation(output, group: group)
        let result = try factoredUnchecked(input: inRep, output: outRep, group: group, sameRepresentation: input == output, options: options)
        return try crossChecked(result, input: .expression(input), output: .expression(output), group: group, options: options)
    }

    /// `solveFactored` for two representations of the same generators (`group` is needed only
    /// to orthogonalize non-orthogonal images, and enables the character check).
    public static func solveFactored(
        input: Representation, output: Representation, group: FiniteGroup?, options: SolverOptions = .init()
    ) throws -> EquivariantBasis {
        try checkGeneratorCounts(input: input, output: output, group: group)
        try refuseUnfactorable(input: input.dimension, output: output.dimension, options: options)
        let result = try factoredUnchecked(input: input, output: output, group: group, sameRepresentation: false, options: options)
        return try crossChecked(result, input: .representation(input), output: .representation(output), group: group, options: options)
    }

    /// Before building anything: both dimensions within `SolverOptions.maxFactoredDimension`.
    static func refuseUnfactorable(input: Int, output: Int, options: SolverOptions) throws {
        for (which, dimension) in [("input", input), ("output", output)] where dimension > options.maxFactoredDimension {
            throw SolverError.tooLargeToFactor(which: which, dimension: dimension, limit: options.maxFactoredDimension)
        }
    }

    /// The factored weights and the fixed-vector biases, before the character check.
    static func factoredUnchecked(
        input inRep: Representation, output outRep: Representation, group: FiniteGroup?, sameRepresentation: Bool,
        options: SolverOptions
    ) throws -> EquivariantBasis {
        let factored: FactoredIntertwiner
        let biasElements: [BasisMatrix]
        do {
            let b = try IsotypicDecomposition(representation: outRep, group: group, options: options.real)
            // The same expression on both sides is decomposed once (the O(d³) part).
            let a = sameRepresentation ? b : try IsotypicDecomposition(representation: inRep, group: group, options: options.real)
            factored = try FactoredIntertwiner(input: a, output: b, options: options.real, tolerance: options.realResidualTolerance)
            let fixed = b.fixedVectors
            biasElements = DirectSumAssembly.canonicalOrder(fixed).map { fixed[$0] }
        } catch let error as RealSolverError {
            throw SolverError.realSolver("\(error)")
        }
        let biasResidual = try RealBlock.checkResiduals(
            biasElements, input: .trivial(generatorCount: outRep.generatorCount), output: outRep, options: options,
            method: "isotypic-schur (fixed vectors)")
        return EquivariantBasis(
            inputDimension: inRep.dimension, outputDimension: outRep.dimension, elements: [], biasElements: biasElements,
            tying: nil, method: .isotypicDecomposition,
            crossCheck: CrossCheck(
                characterDimension: nil, characterBiasDimension: nil, characterNote: nil,
                residual: max(factored.residual, biasResidual), exactConstraintCheck: false,
                certificates: [.isotypic]),
            factored: factored)
    }

    /// `solve`, or `solveFactored` when the materialized basis would be above
    /// `RealSolverOptions.maxBasisEntries` (what `archsynth basis`, `generate layer` and `generate
    /// network` do).
    /// A failure of the factored route is reported together with the size that called for it.
    public static func solveMaterializedOrFactored(
        group: FiniteGroup, input: RepresentationExpression, output: RepresentationExpression,
        options: SolverOptions = .init()
    ) throws -> EquivariantBasis {
        do {
            return try solve(group: group, input: input, output: output, options: options)
        } catch let tooLarge as RealSolverError {
            guard case let .basisTooLarge(dimension, entries, limit) = tooLarge else { throw tooLarge }
            do {
                return try solveFactored(group: group, input: input, output: output, options: options)
            } catch {
                throw SolverError.realSolver("the materialized basis would have \(dimension) elements and \(entries) dense entries (limit \(limit), --max-basis-entries N), and keeping it factored failed: \(error)")
            }
        }
    }

    /// No basis leaves the solver without a certificate of completeness.
    static func certified(_ basis: EquivariantBasis) throws -> EquivariantBasis {
        guard !basis.crossCheck.certificates.isEmpty else { throw SolverError.uncertified(method: basis.method.description) }
        return basis
    }

    /// Before any solving: when a representation is not monomial (so the basis is
    /// dense) and the group is small enough for characters, the basis dimension is
    /// ⟨χ_in, χ_out⟩, known in milliseconds; a basis whose dense entries
    /// (dimension · d_in · d_out) exceed `RealSolverOptions.maxBasisEntries` is refused
    /// at once instead of after the solve (dicyclic12, quaternion^5 → quaternion^5: 62 s).
    static func refuseOversizedDenseBasis(
        group: FiniteGroup, input: RepresentationExpression, output: RepresentationExpression,
        inputDimension: Int, outputDimension: Int, options: SolverOptions
    ) throws {
        // A name the group lacks is the caller's error, reported here rather than counted as monomial.
        var monomial = true
        for name in Set(input.referencedNames + output.referencedNames) where name != "trivial" && name != "regular" {
            let kind: Representation.Kind
            do { kind = try group.representation(named: name).kind } catch { throw SolverError.representation("\(error)") }
            if !kind.isMonomial { monomial = false }
        }
        let (size, overflow) = inputDimension.multipliedReportingOverflow(by: outputDimension)
        // The dimension is at most d_in · d_out, so below √limit there is nothing to check.
        guard !monomial, overflow || Double(size) * Double(size) > Double(options.real.maxBasisEntries) else { return }
        guard let dimensions = try CharacterCheck(group: group, options: options).predictedDimensions(input: input, output: output)
        else { return }
        let (entries, tooMany) = dimensions.weights.multipliedReportingOverflow(by: size)
        if overflow || tooMany || entries > options.real.maxBasisEntries {
            throw RealSolverError.basisTooLarge(
                dimension: dimensions.weights, entries: overflow || tooMany ? Int.max : entries, limit: options.real.maxBasisEntries)
        }
    }

    static func buildRepresentation(_ e: RepresentationExpression, group: FiniteGroup) throws -> Representation {
        do { return try group.representation(for: e) } catch { throw SolverError.representation("\(error)") }
    }

    static func assemble(weights: BlockSolution, bias: BlockSolution, outputDimension: Int, inputDimension: Int)
        -> EquivariantBasis
    {
        var tying: WeightTying?
        if let w = weights.tying, let b = bias.tying {
            tying = WeightTying(outputDimension: outputDimension, inputDimension: inputDimension,
                                index: w.index, sign: w.sign, biasIndex: b.index, biasSign: b.sign)
        }
        // Monomial and exact bases come out canonical; Float64 ones are sorted here.
        let elements = tying == nil
            ? DirectSumAssembly.canonicalOrder(weights.elements).map { weights.elements[$0] } : weights.elements
        let biasElements = tying == nil
            ? DirectSumAssembly.canonicalOrder(bias.elements).map { bias.elements[$0] } : bias.elements
        return EquivariantBasis(
            inputDimension: inputDimension, outputDimension: outputDimension,
            elements: elements, biasElements: biasElements.map(\.asColumn),
            tying: tying, method: weights.method,
            crossCheck: CrossCheck(
                characterDimension: nil, characterBiasDimension: nil, characterNote: nil,
                residual: max(weights.residual, bias.residual),
                exactConstraintCheck: weights.exactCheck && bias.exactCheck,
                certificates: [weights.certificate, bias.certificate]))
    }

    // MARK: One block

    /// The basis of one (output, input) pair, checked against every generator constraint.
    static func solveBlock(
        input: Representation, output: Representation, group: FiniteGroup?, options: SolverOptions
    ) throws -> BlockSolution {
        guard input.generatorCount == output.generatorCount else {
            throw SolverError.generatorCountMismatch(input: input.generatorCount, output: output.generatorCount)
        }
        let dOut = output.dimension, dIn = input.dimension
        if let outImages = output.monomialImages, let inImages = input.monomialImages {
            guard dOut * dIn <= options.maxIndexPairs, dOut * dIn < 1 << 30 else {
                throw SolverError.tooManyIndexPairs(
                    outputDimension: dOut, inputDimension: dIn, limit: min(options.maxIndexPairs, 1 << 30 - 1))
            }
            let orbits = MonomialOrbits(output: outImages, input: inImages)
            if let g = orbits.firstViolatedGenerator(output: outImages, input: inImages) {
                throw SolverError.constraintViolated(element: -1, generator: g, residual: .infinity, limit: 0,
                                                     method: SolverMethod.monomialOrbits.description)
            }
            return BlockSolution(
                elements: orbits.elements(rows: dOut, columns: dIn),
                tying: BlockTying(index: orbits.index, sign: orbits.sign),
                method: .monomialOrbits, residual: 0, exactCheck: true, certificate: .orbits)
        }
        if !options.forceFloat, let outImages = output.rationalImages, let inImages = input.rationalImages {
            guard dOut * dIn <= options.maxExactUnknowns else {
                throw SolverError.tooManyExactUnknowns(
                    outputDimension: dOut, inputDimension: dIn, limit: options.maxExactUnknowns)
            }
            let basis = ExactElimination.solve(output: outImages, input: inImages)
            let elements = ExactElimination.elements(basis, rows: dOut, columns: dIn)
            for (t, element) in elements.enumerated() {
                for (g, (a, b)) in zip(outImages, inImages).enumerated()
                where !ExactElimination.satisfies(element, output: a, input: b) {
                    throw SolverError.constraintViolated(element: t, generator: g, residual: .infinity, limit: 0,
                                                         method: SolverMethod.exactElimination.description)
                }
            }
            return BlockSolution(elements: elements, tying: nil, method: .exactElimination, residual: 0, exactCheck: true,
                                 certificate: .exact)
        }
        return try RealBlock.solve(input: input, output: output, group: group, options: options)
    }
}

/// The tying table of one monomial block (row-major, as in `WeightTying`).
struct BlockTying {
    var index: [Int32]
    var sign: [Int8]
}

/// The checked basis of one (output, input) pair.
struct BlockSolution {
    var elements: [BasisMatrix]
    var tying: BlockTying?
    var method: SolverMethod
    /// Largest relative residual over elements and generators (0 when checked exactly).
    var residual: Double
    var exactCheck: Bool
    /// Why `elements` is complete (each route of the solver carries one).
    var certificate: Certificate
}

extension BasisMatrix {
    /// A d × 1 basis matrix as a column (bias vectors come from Hom(trivial, ρ_out)).
    var asColumn: BasisMatrix {
        precondition(columns == 1)
        return self
    }

    /// The row-major position of the first nonzero entry (the canonical sort key).
    var firstPosition: (Int, Int) { entries.first.map { ($0.row, $0.column) } ?? (Int.max, Int.max) }
}

extension EquivariantBasis {
    /// The same basis with another cross-check record.
    func with(crossCheck: CrossCheck) -> EquivariantBasis {
        EquivariantBasis(
            inputDimension: inputDimension, outputDimension: outputDimension, elements: elements,
            biasElements: biasElements, tying: tying, method: method, crossCheck: crossCheck, factored: factored)
    }
}
