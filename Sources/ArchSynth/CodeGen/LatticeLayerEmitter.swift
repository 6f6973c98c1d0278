import GroupTheory

/// Emits a steerable lattice-convolution layer (issue 21): `generate layer wallpaper:p4m:64x64
/// --in 'field(trivial)' --out '8*field(regular)' --support 3`. The file imports
/// ArchSynthRuntime and holds only what is specialized: the grid, the point generators' integer
/// matrices and ρ images, the stencil and the exact kernel basis. The runtime's
/// `SteerableLatticeConvolution` does the convolution (an implicit im2col and the
/// register-blocked product, forward and adjoint) and `LatticeFieldType` the group actions; the
/// layer keeps the public API of every generated layer (`init(seed:)`, `forward(batch:count:)`,
/// `backward`, `weights`, `equivarianceError`, …).
///
/// ```swift
/// let conv = try LatticeConvolution(group: g, input: "field(trivial)", output: "8*field(pointRegular)", support: 3)
/// let source = LatticeLayerEmitter(convolution: conv, generatorNames: g.generators, typeName: "P4MLift", inputExpression: "field(trivial)",
///                                  outputExpression: "8*field(pointRegular)", header: header).source()
/// ```
public struct LatticeLayerEmitter {
    public let convolution: LatticeConvolution
    public let groupName: String
    public let groupOrder: String
    public let generatorNames: [String]
    public let typeName: String
    public let inputExpression: String
    public let outputExpression: String
    public let header: GeneratedFileHeader

    /// - Parameter generatorNames: the group's generators (translations, then the point
    ///   generators), as the family names them (`LatticeConvolution.pointGroupCarrier(_:).generators`).
    public init(
        convolution: LatticeConvolution, generatorNames: [String], typeName: String, inputExpression: String, outputExpression: String,
        header: GeneratedFileHeader
    ) {
        self.convolution = convolution
        let lattice = convolution.lattice
        // The family's own name for the group (`p4m_64x64`), and |G| = points · |P|.
        groupName = "\(lattice.pointGroup)_\(lattice.sides.map(String.init).joined(separator: "x"))"
        groupOrder = String(convolution.points * lattice.pointOrder)
        self.generatorNames = generatorNames
        self.typeName = typeName
        self.inputExpression = inputExpression
        self.outputExpression = outputExpression
        self.header = header
    }

    public var inputDimension: Int { convolution.inputChannels * convolution.points * convolution.fieldInputDimension }
    public var outputDimension: Int { convolution.outputChannels * convolution.points * convolution.fieldOutputDimension }

    /// The whole file.
    public func source() -> String {
        var p = CodePrinter()
        let c = SwiftIdentifier.commentText
        let conv = convolution
        p.print("""
            \(header.opening(describing: "a steerable lattice convolution (imports ArchSynthRuntime)."))
            // Spec: \(c(header.spec)) (group \(c(groupName)), order \(groupOrder))
            // Input: \(c(inputExpression)) (dimension \(inputDimension)); output: \(c(outputExpression)) (dimension \(outputDimension))
            // Parameters: \(conv.weightCount) weights (\(conv.outputChannels) × \(conv.inputChannels) channel pairs × \(conv.kernelBasis.dimension) kernel basis elements), \(conv.biasCount) bias parameters; basis method: \(conv.kernelBasis.method)
            // Certificate: \(c(conv.kernelBasis.crossCheck.certificate)) (Hom_P(ρ_in, π_S ⊗ ρ_out) of the point group; see `archsynth basis --support`)
            // Stencil: \(conv.stencil.count) offsets (width \(conv.stencilWidth)); forward strategy: lattice-convolution (implicit im2col of the stencil, register-blocked product)
            // Type: \(typeName)
            import ArchSynthRuntime

            """)
        printLayer(into: &p)
        return p.content
    }

    /// The layer's type alone (its doc comment and declaration, no file header or import), for a
    /// file that nests it (`LatticeNetworkEmitter`).
    public func printLayer(into p: inout CodePrinter) {
        p.print("""
            /// A steerable convolution y_o(x) = b_o + Σ_i Σ_s κ_{o,i}(s) f_i(x + s) with
            /// κ_{o,i}(s) = Σ_j θ_{o,i,j} K_j(s) over the exact kernel basis below. Law: f(g·x) = g·f(x)
            /// for every g = (t, p) of the group, (g·f)_c(p·x + t) = ρ(p) f_c(x). Column vectors;
            /// batches are row-major (`count` rows of `inputDimension` values).
            """)
        p.block("public struct \(typeName): \(GeneratedModelAPI.runtimeNodeLayerConformances)") { p in
            printMetadata(&p)
            p.print()
            printTables(&p)
            p.print()
            printParameters(&p)
            p.print()
            printPasses(&p)
        }
    }

    private func printMetadata(_ p: inout CodePrinter) {
        let lit = SwiftIdentifier.stringLiteral
        let conv = convolution
        p.print("""
            // MARK: Metadata
            \(GeneratedModelAPI.identity(groupName: groupName, groupOrder: groupOrder, generatorNames: generatorNames))
            public static let inputRepresentation = \(lit(inputExpression))
            public static let outputRepresentation = \(lit(outputExpression))
            public static let inputDimension = \(inputDimension)
            public static let outputDimension = \(outputDimension)
            public static let weightCount = \(conv.weightCount)
            public static let biasCount = \(conv.biasCount)
            public static let basisMethod = \(lit(conv.kernelBasis.method.description))
            public static let forwardStrategy = "lattice-convolution"
            /// Bound a of the initializer θ ~ U(−a, a) (unit output variance for unit input variance).
            public static var initializationBound: Double { convolution.initializationBound }

            // MARK: Generator actions (translations along each axis, then the point generators)
            public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { inputFields.act(generator: g, x) }
            public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { outputFields.act(generator: g, y) }
            """)
    }

    private func printTables(_ p: inout CodePrinter) {
        let conv = convolution
        let sides = "[\(conv.lattice.sides.map(String.init).joined(separator: ", "))]"
        let generators = "[" + conv.lattice.pointGenerators.map { g in
            "[" + g.matrix.map { "[\($0.map(String.init).joined(separator: ", "))]" }.joined(separator: ", ") + "]"
        }.joined(separator: ", ") + "]"
        func images(_ r: Representation) -> [[ExactOrReal]] {
            if let exact = r.rationalImages { return exact.map { $0.elements.map(ExactOrReal.exact) } }
            return r.realImages.map { $0.elements.map(ExactOrReal.real) }
        }
        p.print("// MARK: Lattice, field types and kernel basis (the specialized part)")
        p.print("/// The \(conv.lattice.sides.map(String.init).joined(separator: "×")) grid (row-major, slowest axis first) and the point group's generators (integer matrices on coordinates).")
        p.print("static let sides = \(sides)")
        p.print("static let pointGenerators: [[[Int]]] = \(generators)")
        for (name, rep) in [("inputImages", conv.pointInput), ("outputImages", conv.pointOutput)] {
            p.print("/// ρ of each point generator, row-major (\(rep.dimension)×\(rep.dimension)).")
            let all = images(rep)
            let flat = all.flatMap { $0 }
            p.printConstants("\(name)Flat", flat, access: "static let")
            let d2 = rep.dimension * rep.dimension
            p.print("static let \(name): [[Double]] = (0..<\(all.count)).map { Array(\(name)Flat[($0 * \(d2))..<(($0 + 1) * \(d2))]) }")
        }
        p.print("""
            public static let inputFields = LatticeFieldType(
                sides: sides, channels: \(conv.inputChannels), fieldDimension: \(conv.fieldInputDimension), pointGenerators: pointGenerators, generatorImages: inputImages)
            public static let outputFields = LatticeFieldType(
                sides: sides, channels: \(conv.outputChannels), fieldDimension: \(conv.fieldOutputDimension), pointGenerators: pointGenerators, generatorImages: outputImages)
            """)
        let offsets = conv.stencil.map { "[\($0.map(String.init).joined(separator: ", "))]" }.joined(separator: ", ")
        p.print("/// Stencil offsets s (canonical order).")
        p.print("static let stencil: [[Int]] = [\(offsets)]")
        // Kernel basis as coordinate lists: element j, offset k, row b, column a, value.
        let (element, offset, row, column, values) = conv.kernelEntries
        let dOut = conv.fieldOutputDimension
        p.print("/// The kernel basis K_j(s)[b, a]: entry e is element basisElement[e], offset basisOffset[e], row basisRow[e], column basisColumn[e].")
        p.printIntegers("static let basisElement", type: "Int32", element)
        p.printIntegers("static let basisOffset", type: "Int32", offset)
        p.printIntegers("static let basisRow", type: "Int32", row)
        p.printIntegers("static let basisColumn", type: "Int32", column)
        p.printConstants("basisValue", values, access: "static let")
        let bias = conv.biasVectors
        p.print("/// Fixed vectors of ρ_out (\(conv.biasBasis.dimension) of them, \(dOut) values each): each output channel's bias is a combination.")
        p.printConstants("biasBasisFlat", bias, access: "static let")
        p.print("""
            public static let convolution = SteerableLatticeConvolution(
                input: inputFields, output: outputFields, stencil: stencil,
                basis: LatticeKernelBasis(
                    count: \(conv.kernelBasis.dimension), offsetCount: \(conv.stencil.count), rows: \(conv.fieldOutputDimension), columns: \(conv.fieldInputDimension),
                    element: basisElement, offset: basisOffset, row: basisRow, column: basisColumn, value: basisValue),
                biasBasis: (0..<\(conv.biasBasis.dimension)).map { Array(biasBasisFlat[($0 * \(dOut))..<(($0 + 1) * \(dOut))]) })
            """)
    }

    private func printParameters(_ p: inout CodePrinter) {
        p.print("""
            // MARK: Parameters
            /// θ, the coordinates of every kernel in the basis, channel pair (o, i) at [(o · c_in + i) · m ..< … + m]
            /// (`weightCount` values). Setting it re-expands the kernels (never per forward call).
            \(GeneratedModelAPI.weightsProperty) {
                get { _weights }
                set { _weights = newValue; refresh() }
            }
            /// β, the bias coordinates, output channel o at [o · \(convolution.biasBasis.dimension) ..< …] (`biasCount` values).
            \(GeneratedModelAPI.biasProperty) {
                get { _bias }
                set { _bias = newValue; refresh() }
            }
            private var _weights: [Float]
            private var _bias: [Float]
            private var kernelF: SteerableLatticeConvolution.Kernel<Float>
            private var kernelD: SteerableLatticeConvolution.Kernel<Double>
            /// Threads a batch is split over (samples are independent; the results do not depend on it).
            public var threads = 1

            /// Seeded initializer: θ ~ U(−a, a) with a = `initializationBound` (SplitMix64), bias 0.
            \(GeneratedModelAPI.initializeFromSeed) {
                var rng = RuntimeRandom(seed: seed)
                let a = Self.initializationBound
                self.init(weights: (0..<Self.weightCount).map { _ in Float((rng.unit() * 2 - 1) * a) }, bias: [Float](repeating: 0, count: Self.biasCount))
            }

            /// A layer with the given parameters (counts must be `weightCount` and `biasCount`).
            \(GeneratedModelAPI.initializeFromParameters) {
                _weights = weights
                _bias = bias
                (kernelF, kernelD) = Self.kernels(weights, bias)
            }

            /// Sets θ and β with a single refresh (e.g. after an optimizer step).
            \(GeneratedModelAPI.setParameters) {
                _weights = weights
                _bias = bias
                refresh()
            }

            private mutating func refresh() { (kernelF, kernelD) = Self.kernels(_weights, _bias) }

            /// The kernels W(s) expanded from θ and β once per change (never per forward call).
            private static func kernels(_ weights: [Float], _ bias: [Float]) -> (SteerableLatticeConvolution.Kernel<Float>, SteerableLatticeConvolution.Kernel<Double>) {
                precondition(weights.count == weightCount, "expected \\(weightCount) weights, got \\(weights.count)")
                precondition(bias.count == biasCount, "expected \\(biasCount) biases, got \\(bias.count)")
                let d = convolution.kernel(weights: weights.map(Double.init), bias: bias.map(Double.init))
                return (SteerableLatticeConvolution.Kernel(rounding: d), d)
            }
            """)
    }

    private func printPasses(_ p: inout CodePrinter) {
        for s in ScalarType.all {
            let k = s == .float ? "kernelF" : "kernelD"
            p.print("// MARK: Passes (\(s.name))")
            p.print(GeneratedModelAPI.forwardSingle(s, doc: "y = layer(x) for one input of `inputDimension` values."))
            p.print()
            p.print("""
                \(GeneratedModelAPI.forwardBatchSignature(s)) {
                    precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \\(Self.inputDimension) values")
                    return Self.convolution.forward(batch: batch, count: count, kernel: \(k), threads: threads)
                }
                """)
            p.print()
            p.print(GeneratedModelAPI.backwardSingleAndBatchOpening(s, doc: "Gradients of ⟨outputGradient, layer(input)⟩ with respect to θ, β and the input (the adjoint convolution)."))
            p.print("""
                    return Self.convolution.backward(batch: batch, outputGradient: outputGradient, count: count, kernel: \(k), threads: threads)
                }
                """)
            if s == .float { p.print() }
        }
    }
}

extension LatticeConvolution {
    /// The kernel basis as coordinate lists, entry e: K_element[e](stencil[offset[e]])[row[e], column[e]] = value[e]
    /// (exact where the solver's basis is). The Swift layer's `basisElement`… arrays and the PyTorch
    /// module's basis file hold these.
    public var kernelEntries: (element: [Int], offset: [Int], row: [Int], column: [Int], value: [ExactOrReal]) {
        var element: [Int] = [], offset: [Int] = [], row: [Int] = [], column: [Int] = []
        var values: [ExactOrReal] = []
        let dOut = fieldOutputDimension
        for (j, e) in kernelBasis.elements.enumerated() {
            for (t, entry) in e.entries.enumerated() {
                element.append(j)
                offset.append(entry.row / dOut)
                row.append(entry.row % dOut)
                column.append(entry.column)
                if let exact = e.exactValues { values.append(.exact(exact[t])) } else { values.append(.real(entry.value)) }
            }
        }
        return (element, offset, row, column, values)
    }

    /// The fixed vectors of ρ_out (the bias basis), d_out values each, one after another.
    public var biasVectors: [ExactOrReal] {
        var bias: [ExactOrReal] = []
        for e in biasBasis.elements {
            var v = [ExactOrReal](repeating: .exact(Rational(0)), count: fieldOutputDimension)
            for (t, entry) in e.entries.enumerated() { v[entry.row] = e.exactValues.map { .exact($0[t]) } ?? .real(entry.value) }
            bias += v
        }
        return bias
    }

    /// The stencil's width k (offsets from −(k − 1)/2 to (k − 1)/2 along each axis).
    public var stencilWidth: Int { 2 * (stencil.flatMap { $0.map { abs($0) } }.max() ?? 0) + 1 }
}
