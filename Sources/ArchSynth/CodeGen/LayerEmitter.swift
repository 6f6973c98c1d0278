import GroupTheory

/// Emits one Swift file declaring an equivariant layer type (DESIGN.md "Generated code"). The file
/// imports `ArchSynthRuntime` and holds only what is specific to the layer: metadata, generator
/// actions, tables and constants, the coefficient map θ ↦ c and its kernels, printed once and
/// generic over `S: GeneratedScalar`. The runtime's `GeneratedLayer` protocol extension supplies
/// the parameter API, the Float and Double forward and backward passes, the seeded initializer
/// and `equivarianceError` (as swift-protobuf's generated messages get theirs from `SwiftProtobuf`).
///
/// Both precisions still run concrete code: every runtime entry point is `@inlinable`, so the
/// importing module specializes the layer's generic kernels for Float and for Double (a generic
/// kernel called unspecialized across modules measured 39× slower, swiftc -O, 64×64 tied kernel).
///
/// The strategy-specific parts come from a `KernelEmitter` chosen by `LayerEmitter.plan`:
/// the symmetric closed form when the layer has that structure, else tying for monomial
/// bases whose tables are sparse (at most `TiedLayerEmitter.maximumDensity` of W nonzero),
/// else the dense materialized W.
///
/// ```swift
/// let emitter = try LayerEmitter(layer: layer, header: GeneratedFileHeader(spec: "symmetric:5", command: "..."))
/// let source = emitter.source()   // deterministic bytes
/// ```
public struct LayerEmitter {
    public let layer: LayerDescription
    public let header: GeneratedFileHeader
    let kernel: KernelEmitter

    /// The strategy actually used.
    public var strategy: ForwardStrategy { kernel.strategy }
    /// Why (one line, also in the header).
    public var strategyNote: String { kernel.note }

    /// Chooses the strategy; throws when a forced one does not apply.
    public init(layer: LayerDescription, header: GeneratedFileHeader, strategy: StrategyPreference = .automatic)
        throws(CodeGenerationError)
    {
        self.layer = layer
        self.header = header
        self.kernel = try LayerEmitter.plan(layer, strategy)
        let entries = layer.input.dimension * layer.output.dimension
        if kernel.strategy == .dense, entries > LayerEmitter.maxDenseEntries {
            throw .tooLarge("a dense \(layer.output.dimension)×\(layer.input.dimension) weight matrix (\(entries) entries) is above the \(LayerEmitter.maxDenseEntries)-entry limit for generated code")
        }
        if kernel.tableEntries > LayerEmitter.maxTableEntries {
            throw .tooLarge("the \(kernel.strategy.rawValue) layer needs \(kernel.tableEntries) table entries, above the \(LayerEmitter.maxTableEntries) that generated source can hold and compile in reasonable time; use smaller representations (or the symmetric closed form where it applies)")
        }
    }

    /// A layer with a kernel emitter chosen by the caller (tests: the factored layer's products
    /// when the automatic choice runs it as one product with W); no limit is checked.
    init(layer: LayerDescription, header: GeneratedFileHeader, kernel: KernelEmitter) {
        self.layer = layer
        self.header = header
        self.kernel = kernel
    }

    /// Largest number of tying-table, sparse-basis or factor entries baked into one file (4 000 000:
    /// about 40 MB of source; swiftc's time grows with literal count).
    public static let maxTableEntries = 4_000_000
    /// Largest dense W (d_out · d_in entries) a generated dense layer materializes (two Float64
    /// copies, W and Wᵀ, of 400 MB each at the limit).
    public static let maxDenseEntries = 50_000_000
    /// Largest dense W a group convolution may be forced into (`--strategy dense`).
    public static let maxForcedDenseConvolutionEntries = 1 << 24

    static func plan(_ layer: LayerDescription, _ preference: StrategyPreference) throws(CodeGenerationError) -> KernelEmitter {
        if let factored = layer.basis.factored {
            switch preference {
            case .automatic, .forced(.factored): return FactoredLayerEmitter(layer: layer, factored: factored)
            case let .forced(other):
                throw .strategyUnavailable(other.rawValue, reason: "the basis is kept factored (W = P_out (⊕ K_p) P_in, \(layer.basis.dimension) parameters); only the factored strategy applies")
            }
        }
        if preference == .forced(.factored) {
            throw .strategyUnavailable("factored", reason: "the basis was materialized; solve it with IntertwinerSolver.solveFactored (the command line does when given --strategy factored)")
        }
        if let convolution = layer.convolution {
            switch preference {
            case .automatic, .forced(.groupConvolution): return GroupConvolutionEmitter(layer: layer, structure: convolution)
            case .forced(.dense):
                guard layer.input.dimension * layer.output.dimension <= LayerEmitter.maxForcedDenseConvolutionEntries else {
                    throw .tooLarge("a dense \(layer.output.dimension)×\(layer.input.dimension) matrix for a group convolution; use the group-convolution strategy")
                }
            default: break
            }
        }
        if preference == .forced(.groupConvolution) {
            throw .strategyUnavailable(
                "group-convolution",
                reason: "input and output must be multiples of the regular representation (the built-in regular, or a transitive permutation representation on |G| points), with a product of cyclic groups or |G| ≤ \(GroupConvolutionStructure.maximumTableOrder)")
        }
        let symmetric = SymmetricStructure(input: layer.input, output: layer.output, basis: layer.basis)
        switch preference {
        case .automatic:
            if let symmetric { return ClosedFormSymmetricEmitter(layer: layer, structure: symmetric) }
            if let tying = layer.basis.tying {
                let tied = TiedLayerEmitter(layer: layer, tying: tying)
                if tied.density <= TiedLayerEmitter.maximumDensity { return tied }
            }
            return DenseLayerEmitter(layer: layer)
        case .forced(.symmetricClosedForm):
            guard let symmetric else {
                throw .strategyUnavailable(
                    "symmetric-closed-form",
                    reason: "the group does not act as the full symmetric group S_n on blocks trivial / natural / natural^2 laid out in order (with n ≥ k + l)")
            }
            return ClosedFormSymmetricEmitter(layer: layer, structure: symmetric)
        case .forced(.tied):
            guard let tying = layer.basis.tying else {
                throw .strategyUnavailable("tied", reason: "the basis has no weight-tying table (the representations are not monomial)")
            }
            return TiedLayerEmitter(layer: layer, tying: tying)
        case .forced(.dense):
            return DenseLayerEmitter(layer: layer)
        case .forced(.groupConvolution), .forced(.factored):
            preconditionFailure("handled above")
        }
    }

    /// The whole file.
    public func source() -> String {
        var p = CodePrinter()
        header.print(into: &p, layer: layer, strategy: kernel.strategy, strategyNote: kernel.note)
        p.print()
        p.print("import ArchSynthRuntime")
        p.print()
        printLayer(into: &p)
        return p.content
    }

    /// The layer type alone (a generated network nests its layers with this).
    public func printLayer(into p: inout CodePrinter) {
        p.print("""
            /// An equivariant linear layer y = W x + b with W = Σ θ_i B_i in Hom_G(input, output)
            /// and b a fixed vector of the output representation. Column vectors; batches are
            /// row-major (`count` rows of `inputDimension` values). The parameter API, forward and
            /// backward passes and `equivarianceError` come from ArchSynthRuntime's `\(kernel.conformance)`.
            """)
        p.block("public struct \(layer.typeName): \(GeneratedModelAPI.conformances(kernel.conformance))") { p in
            printMetadata(&p)
            p.print()
            printAction(&p, "input", layer.input)
            printAction(&p, "output", layer.output)
            printBiasConstants(&p)
            p.print()
            p.print("// MARK: Strategy: \(kernel.strategy.rawValue)")
            kernel.printConstants(&p)
            p.print()
            p.block("public static func _coefficients(_ theta: [Double]) -> [Double]") { kernel.printCoefficientsBody(&$0) }
            p.print()
            p.block("static func _weightGradient<S: GeneratedScalar>(_ dc: [S]) -> [S]") { kernel.printWeightGradientBody(&$0) }
            p.print()
            let before = p.content.count
            kernel.printKernels(&p)
            if p.content.count != before { p.print() }
            p.print(Self.entryPoints)
        }
    }

    /// The concrete Float and Double entry points of the generic kernels (`_forwardBatch`,
    /// `_backwardBatch`: the file's own, or the panel driver of `GeneratedPanelLayer`): declared in
    /// the file, so each precision is specialized here even when the module is not compiled whole.
    static let entryPoints = """
        // Each precision's entry points, specialized in this file.
        public static func _forwardKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ c: UnsafePointer<Float>) { _forwardBatch(x, y, count, c) }
        public static func _forwardKernel(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int, _ c: UnsafePointer<Double>) { _forwardBatch(x, y, count, c) }
        public static func _backwardKernel(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ count: Int, _ c: UnsafePointer<Float>, _ dc: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>) { _backwardBatch(x, dy, count, c, dc, dx) }
        public static func _backwardKernel(_ x: UnsafePointer<Double>, _ dy: UnsafePointer<Double>, _ count: Int, _ c: UnsafePointer<Double>, _ dc: UnsafeMutablePointer<Double>, _ dx: UnsafeMutablePointer<Double>) { _backwardBatch(x, dy, count, c, dc, dx) }
        public static func _thetaGradient(_ dc: [Float]) -> [Float] { _weightGradient(dc) }
        public static func _thetaGradient(_ dc: [Double]) -> [Double] { _weightGradient(dc) }
        """

    // MARK: Skeleton pieces

    private func printMetadata(_ p: inout CodePrinter) {
        let lit = SwiftIdentifier.stringLiteral
        p.print("""
            \(GeneratedModelAPI.identity(groupName: layer.groupName, groupOrder: layer.groupOrder, generatorNames: layer.generatorNames))
            public static let inputRepresentation = \(lit(layer.inputExpression))
            public static let outputRepresentation = \(lit(layer.outputExpression))
            public static let inputDimension = \(layer.input.dimension)
            public static let outputDimension = \(layer.output.dimension)
            public static let weightCount = \(layer.basis.dimension)
            public static let biasCount = \(layer.basis.biasDimension)
            public static let basisMethod = \(lit(layer.basis.method.description))
            public static let forwardStrategy = \(lit(kernel.strategy.rawValue))
            public static let forwardStrategyNote = \(lit(kernel.note))
            /// Bound a of the initializer θ ~ U(−a, a): variance 1 / fanIn with the basis's effective
            /// fan-in (1/d_out) Σ_i ‖B_i‖² = \(SwiftLiteral.double(layer.effectiveFanIn)).
            public static let initializationBound: Double = \(SwiftLiteral.double(layer.initializationBound))
            public static let coefficientCount = \(kernel.coefficientCount)
            public var _state: GeneratedLayerState
            public init(_state: GeneratedLayerState) { self._state = _state }
            """)
    }

    /// ρ(g) for each generator g (column vectors), as the runtime's `GeneratedAction`.
    private func printAction(_ p: inout CodePrinter, _ which: String, _ rep: Representation) {
        let d = rep.dimension
        if let mono = rep.monomialImages {
            let signed = mono.contains { !$0.isUnsigned }
            p.print("/// Generator-major images: ρ(g) e_i = \(signed ? "\(which)Signs[g·d + i] · " : "")e_{\(which)Images[g·d + i]}.")
            p.printIntegers("static let \(which)Images", type: "Int32", mono.flatMap(\.images))
            if signed {
                p.printIntegers("static let \(which)Signs", type: "Double", mono.flatMap(\.signs), perLine: 32)
            }
            p.print("public static let \(which)Action = GeneratedAction(dimension: \(d), images: \(which)Images\(signed ? ", signs: \(which)Signs" : ""))")
        } else {
            p.print("/// Generator-major dense matrices, row-major: ρ(g)[r, c] = \(which)Matrices[g·d·d + r·d + c].")
            let values: [ExactOrReal]
            if let exact = rep.rationalImages {
                values = exact.flatMap { $0.elements.map(ExactOrReal.exact) }
            } else {
                values = rep.realImages.flatMap { $0.elements.map(ExactOrReal.real) }
            }
            p.printConstants("\(which)Matrices", values)
            p.print("public static let \(which)Action = GeneratedAction(dimension: \(d), matrices: \(which)Matrices)")
        }
    }

    private func printBiasConstants(_ p: inout CodePrinter) {
        var rows: [Int] = [], params: [Int] = [], values: [ExactOrReal] = []
        for (j, b) in layer.basis.biasElements.enumerated() {
            values += ExactOrReal.values(of: b)
            for e in b.entries {
                rows.append(e.row)
                params.append(j)
            }
        }
        p.print("// Bias basis: b[biasRow[e]] += biasValue[e] · β[biasParameter[e]].")
        p.printIntegers("static let biasRow", type: "Int32", rows)
        p.printIntegers("static let biasParameter", type: "Int32", params)
        p.printConstants("biasValue", values)
        p.print("public static let biasBasis = GeneratedBiasBasis(rows: biasRow, parameters: biasParameter, values: biasValue)")
    }
}

extension LayerEmitter {
    /// The dense W (row-major d_out × d_in) that the emitted forward pass computes for
    /// parameters θ, rebuilt from the strategy's own constants (tying table, partition diagrams
    /// with φ = C θ, or the sparse basis). Tests compare it with Σ θ_i B_i.
    public func emittedWeightMatrix(theta: [Double]) -> Matrix {
        precondition(theta.count == layer.basis.dimension)
        return kernel.emittedWeightMatrix(theta: theta)
    }
}
