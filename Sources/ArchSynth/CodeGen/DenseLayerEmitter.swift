import GroupTheory

/// W = Σ θ_i B_i materialized from the sparse basis (exact literals where the basis is exact)
/// whenever the parameters change; the kernels are the runtime's `GeneratedMatrixLayer` products
/// with the cached c = [W, Wᵀ].
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
            var w = [Double](repeating: 0, count: outputDimension * inputDimension)
            for e in 0..<basisElement.count {
                w[Int(basisPosition[e])] += basisValue[e] * theta[Int(basisElement[e])]
            }
            return _withTranspose(w)
            """)
    }

    var conformance: String { "GeneratedMatrixLayer" }
    var tableEntries: Int { layer.basis.elements.reduce(0) { $0 + $1.nonzeroCount } }

    func emittedWeightMatrix(theta: [Double]) -> Matrix { basisWeightMatrix(layer, theta: theta) }

    /// None: the runtime's `GeneratedMatrixLayer` runs Y = X Wᵀ, dX = dY W and dW = dYᵀ X.
    func printKernels(_ p: inout CodePrinter) {}

    func printWeightGradientBody(_ p: inout CodePrinter) {
        printScatterGradient(
            &p, buffers: [("basisElement", "element"), ("basisPosition", "position"), ("basisValue", "value"), ("dc", "d")],
            loop: "for e in 0..<element.count { gp[Int(element[e])] += S(value[e]) * d[Int(position[e])] }")
    }
}
