import GroupTheory

/// W = P_out (K_1 ⊕ … ⊕ K_r) P_in for a basis kept factored (`FactoredIntertwiner`): the
/// change of basis into the isotypic coordinates, one small Schur block per shared irreducible
/// type, and back. The file holds P_in, P_out and the d × d maps (O(d_in² + d_out²) constants)
/// instead of dim · d_in · d_out basis entries; a forward pass costs
/// O(d_in r_in + Σ_p rows_p cols_p + d_out r_out) per sample.
///
/// Coefficients c (Double, formed once per parameter change): P_inᵀ, P_outᵀ, P_out, P_in, then
/// for each block K_p (rows_p × cols_p, row-major) followed by K_pᵀ. K_p's block (j, i) is
/// Σ_a θ[parameterOffset_p + (j · m_in + i) · e + a] · M_a. The kernels are five register-blocked
/// products per batch (the runtime's `GeneratedScalar._gemm`): U = X P_inᵀ, Z_p = U_p K_pᵀ,
/// Y += Z P_outᵀ; backward dZ = dY P_out, dU_p = dZ_p K_p, dK_p += dZ_pᵀ U_p, dX += dU P_in.
///
/// When the change of basis is (nearly) square, the three products cost more than one with W
/// itself (d_in r_in + Σ rows_p cols_p + r_out d_out multiply–adds a sample against d_in d_out;
/// S_4 natural²: 610 against 256). Then (`runsAsMatrix`) c = [W, Wᵀ] with W = P_out K P_in formed
/// once per parameter change, the kernels are the runtime's `GeneratedMatrixLayer` products, and
/// ∂L/∂θ comes from ∂L/∂K = P_outᵀ (∂L/∂W) P_inᵀ (two products per backward call).
struct FactoredLayerEmitter: KernelEmitter {
    let layer: LayerDescription
    let factored: FactoredIntertwiner

    var strategy: ForwardStrategy { .factored }
    var rIn: Int { factored.inputChange.rows }
    var rOut: Int { factored.outputChange.columns }
    var blockEntries: Int { factored.blocks.reduce(0) { $0 + $1.rows * $1.columns } }
    var coefficientCount: Int {
        runsAsMatrix ? 2 * layer.input.dimension * layer.output.dimension : 2 * (layer.input.dimension * rIn + layer.output.dimension * rOut + blockEntries)
    }

    /// Whether the kernels are the products with W (`GeneratedMatrixLayer`) rather than the
    /// factor products: by default when that costs fewer multiply–adds (`matrixIsCheaper`).
    let runsAsMatrix: Bool

    init(layer: LayerDescription, factored: FactoredIntertwiner, runsAsMatrix: Bool? = nil) {
        self.layer = layer
        self.factored = factored
        self.runsAsMatrix = runsAsMatrix ?? Self.matrixIsCheaper(
            input: layer.input.dimension, output: layer.output.dimension, inputRows: factored.inputChange.rows,
            outputColumns: factored.outputChange.columns, blockEntries: factored.blocks.reduce(0) { $0 + $1.rows * $1.columns })
    }

    /// Whether one product with W costs fewer multiply–adds than the factor products, for the
    /// forward and backward passes of a batch of 64: 3 · 64 · d_in d_out, plus the backward pass's
    /// projection of ∂L/∂W onto the blocks once per call, r_out d_in (d_out + r_in), against
    /// 3 · 64 · (d_in r_in + Σ rows_p cols_p + r_out d_out).
    /// S_4 natural² (d = 16, r = 16): 57,344 against 117,120, the matrix; d = r = 256: 46 M against
    /// at least 25 M, the factors.
    static func matrixIsCheaper(input dIn: Int, output dOut: Int, inputRows rIn: Int, outputColumns rOut: Int, blockEntries: Int) -> Bool {
        let factors = 3 * 64 * (dIn * rIn + blockEntries + rOut * dOut)
        let matrix = 3 * 64 * dIn * dOut + rOut * dIn * (dOut + rIn)
        return matrix <= factors
    }

    var note: String {
        let types = factored.blocks.map { "\($0.outputCopies)×\($0.inputCopies)·\($0.irreducibleDimension)\($0.endomorphismDimension > 1 ? "(e=\($0.endomorphismDimension))" : "")" }
        return "W = P_out (⊕ K_p) P_in kept factored: change of basis \(rIn)×\(layer.input.dimension) and \(layer.output.dimension)×\(rOut), Schur blocks [\(types.joined(separator: ", "))] (output copies × input copies · irreducible dimension), \(factored.storedEntries) Float64 constants"
            + (runsAsMatrix ? "; run as one product with W formed on parameter change (fewer operations than the factor products)" : "")
    }

    func printConstants(_ p: inout CodePrinter) {
        let blocks = factored.blocks
        var mapOffsets: [Int] = [], coefficientOffsets: [Int] = []
        var maps: [ExactOrReal] = []
        var offset = 2 * (layer.input.dimension * rIn + layer.output.dimension * rOut)
        for b in blocks {
            mapOffsets.append(maps.count)
            for m in b.maps { maps += m.elements.map(ExactOrReal.real) }
            coefficientOffsets.append(offset)
            offset += 2 * b.rows * b.columns
        }
        p.print("""
            // Factored basis: W(θ) = P_out (K_1(θ) ⊕ … ⊕ K_r(θ)) P_in (isotypic change of basis and Schur blocks).
            static let factorInputRows = \(rIn)
            static let factorOutputColumns = \(rOut)
            """)
        p.print("/// P_in, row-major factorInputRows × inputDimension.")
        p.printConstants("factorInput", factored.inputChange.elements.map(ExactOrReal.real))
        p.print("/// P_out, row-major outputDimension × factorOutputColumns.")
        p.printConstants("factorOutput", factored.outputChange.elements.map(ExactOrReal.real))
        p.print("/// Per block p: irreducible dimension d, maps e, copies, offsets into P_in's rows, P_out's columns, θ\(runsAsMatrix ? "" : ", c") and blockMaps.")
        p.printIntegers("static let blockDimension", type: "Int", blocks.map { $0.irreducibleDimension })
        p.printIntegers("static let blockMapCount", type: "Int", blocks.map { $0.maps.count })
        p.printIntegers("static let blockInputCopies", type: "Int", blocks.map { $0.inputCopies })
        p.printIntegers("static let blockOutputCopies", type: "Int", blocks.map { $0.outputCopies })
        p.printIntegers("static let blockInputOffset", type: "Int", blocks.map { $0.inputOffset })
        p.printIntegers("static let blockOutputOffset", type: "Int", blocks.map { $0.outputOffset })
        p.printIntegers("static let blockParameterOffset", type: "Int", blocks.map { $0.parameterOffset })
        if !runsAsMatrix { p.printIntegers("static let blockCoefficientOffset", type: "Int", coefficientOffsets) }
        p.printIntegers("static let blockMapOffset", type: "Int", mapOffsets)
        p.print("/// The Schur maps M_a = T E_a of every block, d × d row-major each.")
        p.printConstants("blockMaps", maps)
    }

    /// The loops over every block p, copy pair (j, i), map a and entry (r, s) of M_a around `body`
    /// (which sees d, e, mIn, mOut, t = θ of (p, j, i, a) when `theta` and m, M_a's offset).
    private func printBlockLoops(_ p: inout CodePrinter, theta: Bool, prefix: String, body: String) {
        p.print("""
            for p in 0..<blockDimension.count {
                let d = blockDimension[p], e = blockMapCount[p], mIn = blockInputCopies[p], mOut = blockOutputCopies[p]
            """)
        p.withIndentation { p in
            p.print(prefix)
            p.print("""
                for j in 0..<mOut {
                    for i in 0..<mIn {
                        for a in 0..<e {
                            \(theta ? "let t = theta[blockParameterOffset[p] + (j * mIn + i) * e + a]; " : "")let m = blockMapOffset[p] + a * d * d
                \(body)
                        }
                    }
                }
                """)
        }
        p.print("}")
    }

    func printCoefficientsBody(_ p: inout CodePrinter) {
        if runsAsMatrix {
            p.print("""
                // K = ⊕ K_p (factorOutputColumns × factorInputRows, zero off the blocks), then W = P_out K P_in.
                let rIn = factorInputRows, rOut = factorOutputColumns
                var k = [Double](repeating: 0, count: rOut * rIn)
                """)
            printBlockLoops(&p, theta: true, prefix: "let ro = blockOutputOffset[p], ci = blockInputOffset[p]", body: """
                                for r in 0..<d {
                                    for s in 0..<d { k[(ro + j * d + r) * rIn + ci + i * d + s] += t * blockMaps[m + r * d + s] }
                                }
                    """)
            p.print("""
                var pk = [Double](repeating: 0, count: outputDimension * rIn)
                for r in 0..<outputDimension {
                    for a in 0..<rOut {
                        for b in 0..<rIn { pk[r * rIn + b] += factorOutput[r * rOut + a] * k[a * rIn + b] }
                    }
                }
                var w = [Double](repeating: 0, count: outputDimension * inputDimension)
                for r in 0..<outputDimension {
                    for b in 0..<rIn {
                        for q in 0..<inputDimension { w[r * inputDimension + q] += pk[r * rIn + b] * factorInput[b * inputDimension + q] }
                    }
                }
                return _withTranspose(w)
                """)
            return
        }
        p.print("""
            let rIn = factorInputRows, rOut = factorOutputColumns
            let outT = inputDimension * rIn, out = outT + rOut * outputDimension, inRows = out + outputDimension * rOut
            var c = [Double](repeating: 0, count: coefficientCount)
            for r in 0..<rIn {
                for k in 0..<inputDimension {
                    let v = factorInput[r * inputDimension + k]
                    c[k * rIn + r] = v
                    c[inRows + r * inputDimension + k] = v
                }
            }
            for r in 0..<outputDimension {
                for k in 0..<rOut {
                    let v = factorOutput[r * rOut + k]
                    c[out + r * rOut + k] = v
                    c[outT + k * outputDimension + r] = v
                }
            }
            """)
        printBlockLoops(&p, theta: true, prefix: "let rows = mOut * d, columns = mIn * d, base = blockCoefficientOffset[p], transposed = base + rows * columns", body: """
                            for r in 0..<d {
                                for s in 0..<d {
                                    let v = t * blockMaps[m + r * d + s]
                                    c[base + (j * d + r) * columns + i * d + s] += v
                                    c[transposed + (i * d + s) * rows + j * d + r] += v
                                }
                            }
                """)
        p.print("return c")
    }

    var conformance: String { runsAsMatrix ? "GeneratedMatrixLayer" : "GeneratedLayer" }
    var tableEntries: Int { factored.storedEntries }

    func emittedWeightMatrix(theta: [Double]) -> Matrix { basisWeightMatrix(layer, theta: theta) }

    func printKernels(_ p: inout CodePrinter) {
        if runsAsMatrix { return }  // the runtime's GeneratedMatrixLayer products with W
        let S = "S"
        p.print("""
            static func _forwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<\(S)>, _ y: UnsafeMutablePointer<\(S)>, _ count: Int, _ c: UnsafePointer<\(S)>) {
                let rIn = factorInputRows, rOut = factorOutputColumns
                if count == 0 || rIn == 0 || rOut == 0 { return }
                var u = [\(S)](repeating: 0, count: count * rIn), z = [\(S)](repeating: 0, count: count * rOut)
                u.withUnsafeMutableBufferPointer { ub in
                    z.withUnsafeMutableBufferPointer { zb in
                        let u = ub.baseAddress!, z = zb.baseAddress!
                        _gemm(count, rIn, inputDimension, x, inputDimension, 1, c, rIn, u, rIn)
                        for p in 0..<blockDimension.count {
                            let rows = blockOutputCopies[p] * blockDimension[p], columns = blockInputCopies[p] * blockDimension[p]
                            let kT = c + blockCoefficientOffset[p] + rows * columns
                            _gemm(count, rows, columns, u + blockInputOffset[p], rIn, 1, kT, rows, z + blockOutputOffset[p], rOut)
                        }
                        _gemm(count, outputDimension, rOut, z, rOut, 1, c + inputDimension * rIn, outputDimension, y, outputDimension)
                    }
                }
            }

            static func _backwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<\(S)>, _ dy: UnsafePointer<\(S)>, _ count: Int, _ c: UnsafePointer<\(S)>, _ dc: UnsafeMutablePointer<\(S)>, _ dx: UnsafeMutablePointer<\(S)>) {
                let rIn = factorInputRows, rOut = factorOutputColumns
                if count == 0 || rIn == 0 || rOut == 0 { return }
                let out = inputDimension * rIn + rOut * outputDimension, inRows = out + outputDimension * rOut
                var u = [\(S)](repeating: 0, count: count * rIn), du = [\(S)](repeating: 0, count: count * rIn)
                var dz = [\(S)](repeating: 0, count: count * rOut)
                u.withUnsafeMutableBufferPointer { ub in
                    du.withUnsafeMutableBufferPointer { dub in
                        dz.withUnsafeMutableBufferPointer { dzb in
                            let u = ub.baseAddress!, du = dub.baseAddress!, dz = dzb.baseAddress!
                            _gemm(count, rOut, outputDimension, dy, outputDimension, 1, c + out, rOut, dz, rOut)
                            _gemm(count, rIn, inputDimension, x, inputDimension, 1, c, rIn, u, rIn)
                            for p in 0..<blockDimension.count {
                                let rows = blockOutputCopies[p] * blockDimension[p], columns = blockInputCopies[p] * blockDimension[p]
                                let k = blockCoefficientOffset[p], zo = blockOutputOffset[p], uo = blockInputOffset[p]
                                _gemm(count, columns, rows, dz + zo, rOut, 1, c + k, columns, du + uo, rIn)
                                _gemm(rows, columns, count, dz + zo, 1, rOut, u + uo, rIn, dc + k, columns)
                            }
                            _gemm(count, inputDimension, rIn, du, rIn, 1, c + inRows, inputDimension, dx, inputDimension)
                        }
                    }
                }
            }
            """)
    }

    /// ∂L/∂θ[p, j, i, a] = ⟨∂L/∂K_p block (j, i), M_a⟩_F.
    func printWeightGradientBody(_ p: inout CodePrinter) {
        let entry: String
        if runsAsMatrix {
            p.print("""
                // ∂L/∂K = P_outᵀ (∂L/∂W) P_inᵀ (∂L/∂W: dc's first d_out · d_in values), two products.
                let rIn = factorInputRows, rOut = factorOutputColumns, dIn = inputDimension, dOut = outputDimension
                let pOut = factorOutput.map { S($0) }
                var pInT = [S](repeating: 0, count: dIn * rIn)
                for b in 0..<rIn {
                    for q in 0..<dIn { pInT[q * rIn + b] = S(factorInput[b * dIn + q]) }
                }
                var t = [S](repeating: 0, count: rOut * dIn), dk = [S](repeating: 0, count: rOut * rIn)
                pOut.withUnsafeBufferPointer { po in
                    dc.withUnsafeBufferPointer { dw in
                        t.withUnsafeMutableBufferPointer { tp in _gemm(rOut, dIn, dOut, po.baseAddress!, 1, rOut, dw.baseAddress!, dIn, tp.baseAddress!, dIn) }
                    }
                }
                t.withUnsafeBufferPointer { tp in
                    pInT.withUnsafeBufferPointer { pi in
                        dk.withUnsafeMutableBufferPointer { kp in _gemm(rOut, rIn, dIn, tp.baseAddress!, dIn, 1, pi.baseAddress!, rIn, kp.baseAddress!, rIn) }
                    }
                }
                """)
            entry = "dk[(ro + j * d + r) * rIn + ci + i * d + s]"
        } else {
            entry = "dc[base + (j * d + r) * columns + i * d + s]"
        }
        p.print("var g = [S](repeating: 0, count: weightCount)")
        printBlockLoops(&p, theta: false, prefix: runsAsMatrix ? "let ro = blockOutputOffset[p], ci = blockInputOffset[p]" : "let columns = mIn * d, base = blockCoefficientOffset[p]", body: """
                            var acc: S = 0
                            for r in 0..<d {
                                for s in 0..<d { acc += \(entry) * S(blockMaps[m + r * d + s]) }
                            }
                            g[blockParameterOffset[p] + (j * mIn + i) * e + a] = acc
                """)
        p.print("return g")
    }
}
