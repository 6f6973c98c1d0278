import GroupTheory

/// W = Σ θ_i B_i materialized from the sparse basis (exact literals where the basis is exact)
/// whenever the parameters change; forward is a dense product with the cached W.
struct DenseLayerEmitter: KernelEmitter {
    let layer: LayerDescription

    var strategy: ForwardStrategy { .dense }
    var coefficientCount: Int { 2 * layer.input.dimension * layer.output.dimension }
    var note: String {
        let exact = layer.basis.elements.allSatisfy { ExactOrReal.values(of: $0).allSatisfy { if case .exact = $0 { return true } else { return false } } }
        return "W = Σ θ_i B_i materialized on parameter change from \(layer.basis.elements.reduce(0) { $0 + $1.nonzeroCount }) basis entries (\(exact ? "exact" : "Float64") constants)"
    }

    func printConstants(_ p: inout CodePrinter) {
        let dIn = layer.input.dimension
        var element: [Int] = [], position: [Int] = [], values: [ExactOrReal] = []
        for (i, b) in layer.basis.elements.enumerated() {
            values += ExactOrReal.values(of: b)
            for e in b.entries {
                element.append(i)
                position.append(e.row * dIn + e.column)
            }
        }
        p.print("// Sparse basis: W[basisPosition[e]] += basisValue[e] · θ[basisElement[e]] (position = row · inputDimension + column).")
        p.printIntegers("static let basisElement", type: "Int32", element)
        p.printIntegers("static let basisPosition", type: "Int32", position)
        p.printConstants("basisValue", values)
    }

    func printCoefficientsBody(_ p: inout CodePrinter) {
        p.print("""
            let size = outputDimension * inputDimension
            var w = [Double](repeating: 0, count: 2 * size)
            for e in 0..<basisElement.count {
                w[Int(basisPosition[e])] += basisValue[e] * theta[Int(basisElement[e])]
            }
            for r in 0..<outputDimension {
                for k in 0..<inputDimension { w[size + k * outputDimension + r] = w[r * inputDimension + k] }
            }
            return w
            """)
    }

    var conformance: String { "GeneratedLayer" }
    var tableEntries: Int { layer.basis.elements.reduce(0) { $0 + $1.nonzeroCount } }

    func emittedWeightMatrix(theta: [Double]) -> Matrix { basisWeightMatrix(layer, theta: theta) }

    // c = [W (row-major d_out × d_in), Wᵀ (row-major d_in × d_out)]: the forward pass is
    // Y = X Wᵀ, the backward dX = dY W and dW = dYᵀ X, all with the register-blocked product.
    func printKernels(_ p: inout CodePrinter) {
        p.print("""
            static func _forwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>) {
                _gemm(count, outputDimension, inputDimension, x, inputDimension, 1, c + outputDimension * inputDimension, outputDimension, y, outputDimension)
            }

            static func _backwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>) {
                _gemm(count, inputDimension, outputDimension, dy, outputDimension, 1, c, inputDimension, dx, inputDimension)
                _gemm(outputDimension, inputDimension, count, dy, 1, outputDimension, x, inputDimension, dc, inputDimension)
            }
            """)
    }

    func printWeightGradientBody(_ p: inout CodePrinter) {
        p.print("""
            var g = [S](repeating: 0, count: weightCount)
            basisElement.withUnsafeBufferPointer { element in
                basisPosition.withUnsafeBufferPointer { position in
                    basisValue.withUnsafeBufferPointer { value in
                        dc.withUnsafeBufferPointer { d in
                            g.withUnsafeMutableBufferPointer { gp in
                                for e in 0..<element.count { gp[Int(element[e])] += S(value[e]) * d[Int(position[e])] }
                            }
                        }
                    }
                }
            }
            return g
            """)
    }
}
