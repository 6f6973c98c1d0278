import GroupTheory

/// Strategy 2 (DESIGN.md "The solver"): Hom(⊕_i V_i, ⊕_j W_j) = ⊕_{i,j} Hom(V_i, W_j).
///
/// Each distinct pair (W_j, V_i) of summand expressions is solved once (by strategy 1, 3 or
/// 4) and its basis placed in every block where the pair occurs, so a summand of multiplicity
/// m against one of multiplicity n contributes m·n independent copies of the block basis
/// (the Kronecker product with the identity of DESIGN.md). Block (output copy J, input copy I)
/// maps local entry (r, c) to (offset_J + r·stride_J, offset_I + c·stride_I); see
/// `SummandLayout`. Biases come from the distinct output summands the same way.
///
/// Every distinct block is checked against its generator constraints when solved; the
/// whole basis is then renumbered canonically (by first nonzero, row-major) and its
/// dimension cross-checked against the characters of the whole expressions by the caller.
enum DirectSumAssembly {
    static func solve(
        group: FiniteGroup, input: SummandLayout, output: SummandLayout, options: SolverOptions
    ) throws -> EquivariantBasis {
        // The size first, from the layouts alone: before any block is solved (100000*natural →
        // 100000*natural was refused only after 21 s of looping over the 10¹⁰ copy pairs).
        let dOut = output.dimension, dIn = input.dimension
        guard dOut.multipliedReportingOverflow(by: dIn).partialValue <= options.maxIndexPairs,
              !dOut.multipliedReportingOverflow(by: dIn).overflow
        else {
            throw SolverError.tooManyIndexPairs(outputDimension: dOut, inputDimension: dIn, limit: options.maxIndexPairs)
        }
        // Representations of the distinct summands, built once each.
        var cache: [RepresentationExpression: Representation] = [:]
        func rep(_ e: RepresentationExpression) throws -> Representation {
            if let r = cache[e] { return r }
            let r = try IntertwinerSolver.buildRepresentation(e, group: group)
            cache[e] = r
            return r
        }
        // Each distinct (output summand, input summand) pair once.
        var blocks: [[BlockSolution?]] = Array(
            repeating: Array(repeating: nil, count: input.distinct.count), count: output.distinct.count)
        var methods: [SolverMethod] = []
        // Over the distinct summands (not over every copy pair, which is quadratic in the multiplicities).
        for j in output.distinct.indices {
            for i in input.distinct.indices where blocks[j][i] == nil {
                let solution = try IntertwinerSolver.solveBlock(
                    input: rep(input.distinct[i]), output: rep(output.distinct[j]), group: group, options: options)
                blocks[j][i] = solution
                if !methods.contains(solution.method) { methods.append(solution.method) }
            }
        }
        var biasBlocks: [BlockSolution?] = Array(repeating: nil, count: output.distinct.count)
        for j in output.distinct.indices where biasBlocks[j] == nil {
            biasBlocks[j] = try IntertwinerSolver.solveBlock(
                input: .trivial(generatorCount: group.generatorCount), output: rep(output.distinct[j]),
                group: group, options: options)
        }

        // Weights: place every block, then renumber by first entry.
        var elements: [BasisMatrix] = []
        var blockStart: [Int] = []  // first element number of each (J, I) block, J-major
        var residual = 0.0
        var exact = true
        var certificates: [Certificate] = []
        for (J, outCopy) in output.copies.enumerated() {
            for (I, inCopy) in input.copies.enumerated() {
                let block = blocks[output.distinctIndex[J]][input.distinctIndex[I]]!
                residual = max(residual, block.residual)
                exact = exact && block.exactCheck
                certificates.append(block.certificate)
                blockStart.append(elements.count)
                for element in block.elements {
                    elements.append(place(element, rows: dOut, columns: dIn, row: outCopy, column: inCopy))
                }
            }
        }
        var bias: [BasisMatrix] = []
        var biasStart: [Int] = []
        let one = SummandLayout.Copy(expression: .trivial(1), offset: 0, stride: 1, dimension: 1)
        for (J, outCopy) in output.copies.enumerated() {
            let block = biasBlocks[output.distinctIndex[J]]!
            residual = max(residual, block.residual)
            exact = exact && block.exactCheck
            certificates.append(block.certificate)
            biasStart.append(bias.count)
            for element in block.elements {
                bias.append(place(element, rows: dOut, columns: 1, row: outCopy, column: one))
            }
        }
        let order = canonicalOrder(elements), biasOrder = canonicalOrder(bias)

        // Tying, when every block has one.
        var tying: WeightTying?
        let allTied = output.distinct.indices.allSatisfy { j in
            biasBlocks[j]!.tying != nil && input.distinct.indices.allSatisfy { i in blocks[j][i]!.tying != nil }
        }
        if allTied {
            var newNumber = [Int32](repeating: 0, count: order.count)
            for (k, old) in order.enumerated() { newNumber[old] = Int32(k) }
            var index = [Int32](repeating: -1, count: dOut * dIn)
            var sign = [Int8](repeating: 0, count: dOut * dIn)
            var b = 0
            for (J, outCopy) in output.copies.enumerated() {
                for (I, inCopy) in input.copies.enumerated() {
                    let block = blocks[output.distinctIndex[J]][input.distinctIndex[I]]!
                    let local = block.tying!
                    let start = blockStart[b]
                    b += 1
                    for r in 0..<outCopy.dimension {
                        let globalRow = (outCopy.offset + r * outCopy.stride) * dIn
                        for c in 0..<inCopy.dimension {
                            let l = local.index[r * inCopy.dimension + c]
                            let x = globalRow + inCopy.offset + c * inCopy.stride
                            if l >= 0 {
                                index[x] = newNumber[start + Int(l)]
                                sign[x] = local.sign[r * inCopy.dimension + c]
                            }
                        }
                    }
                }
            }
            var newBias = [Int32](repeating: 0, count: biasOrder.count)
            for (k, old) in biasOrder.enumerated() { newBias[old] = Int32(k) }
            var biasIndex = [Int32](repeating: -1, count: dOut)
            var biasSign = [Int8](repeating: 0, count: dOut)
            for (J, outCopy) in output.copies.enumerated() {
                let local = biasBlocks[output.distinctIndex[J]]!.tying!
                for r in 0..<outCopy.dimension where local.index[r] >= 0 {
                    let x = outCopy.offset + r * outCopy.stride
                    biasIndex[x] = newBias[biasStart[J] + Int(local.index[r])]
                    biasSign[x] = local.sign[r]
                }
            }
            tying = WeightTying(outputDimension: dOut, inputDimension: dIn, index: index, sign: sign,
                                biasIndex: biasIndex, biasSign: biasSign)
        }
        return EquivariantBasis(
            inputDimension: dIn, outputDimension: dOut,
            elements: order.map { elements[$0] }, biasElements: biasOrder.map { bias[$0] },
            tying: tying, method: .directSumBlocks(methods),
            crossCheck: CrossCheck(characterDimension: nil, characterBiasDimension: nil, characterNote: nil,
                                   residual: residual, exactConstraintCheck: exact, certificates: certificates))
    }

    /// A block element moved to its place in the global matrix (row-major order is kept,
    /// because the coordinate maps are increasing).
    static func place(_ e: BasisMatrix, rows: Int, columns: Int, row: SummandLayout.Copy, column: SummandLayout.Copy)
        -> BasisMatrix
    {
        BasisMatrix(
            rows: rows, columns: columns,
            entries: e.entries.map {
                SparseEntry(row: row.offset + $0.row * row.stride, column: column.offset + $0.column * column.stride,
                            value: $0.value)
            },
            exactValues: e.exactValues)
    }

    /// Indices sorted by first nonzero entry (row-major), stable.
    static func canonicalOrder(_ elements: [BasisMatrix]) -> [Int] {
        let keys = elements.map(\.firstPosition)
        return elements.indices.sorted { a, b in keys[a] != keys[b] ? keys[a] < keys[b] : a < b }
    }
}
