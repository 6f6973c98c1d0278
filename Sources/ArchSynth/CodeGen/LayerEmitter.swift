import GroupTheory

/// Emits one self-contained Swift file declaring an equivariant layer type
/// (DESIGN.md "Generated code"). The file imports nothing; everything lives inside
/// `public struct TYPE`, so several generated files can share one target (and a future
/// network emitter can print several layers with `printLayer(into:)`).
///
/// Float and Double kernels are both emitted as concrete code rather than one kernel generic
/// over `BinaryFloatingPoint`: measured (swiftc -O, 64×64 tied kernel) a generic kernel called
/// from another module runs unspecialized, 39× slower than the concrete one.
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
        if kernel.strategy == .dense, entries > 50_000_000 {
            throw .tooLarge("a dense \(layer.output.dimension)×\(layer.input.dimension) weight matrix (\(entries) entries) is above the 50000000-entry limit for generated code")
        }
        let literals: Int
        switch kernel {
        case let k as TiedLayerEmitter: literals = k.nonzeroCount
        case let k as FactoredLayerEmitter: literals = k.factored.storedEntries
        case is DenseLayerEmitter: literals = layer.basis.elements.reduce(0) { $0 + $1.nonzeroCount }
        default: literals = 0
        }
        if literals > LayerEmitter.maxTableEntries {
            throw .tooLarge("the \(kernel.strategy.rawValue) layer needs \(literals) table entries, above the \(LayerEmitter.maxTableEntries) that generated source can hold and compile in reasonable time; use smaller representations (or the symmetric closed form where it applies)")
        }
    }

    /// Largest number of tying-table, sparse-basis or factor entries baked into one file (4 000 000:
    /// about 40 MB of source; swiftc's time grows with literal count).
    public static let maxTableEntries = 4_000_000

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
                guard layer.input.dimension * layer.output.dimension <= 1 << 24 else {
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
        printLayer(into: &p)
        return p.content
    }

    /// The layer type alone (for files holding several layers). With `p.helpersFromRuntime`
    /// (a layer nested in a generated network, which imports ArchSynthRuntime) the type conforms
    /// to the runtime's `GeneratedLayerKernels` and `GeneratedEquivariantModel` and takes its
    /// kernel helpers, seeded RNG and `equivarianceError` from there instead of printing them.
    public func printLayer(into p: inout CodePrinter) {
        let t = layer.typeName
        p.print("""
            /// An equivariant linear layer y = W x + b with W = Σ θ_i B_i in Hom_G(input, output)
            /// and b a fixed vector of the output representation. Column vectors; batches are
            /// row-major (`count` rows of `inputDimension` values).
            """)
        let packedBefore = p.usedPacking
        p.usedPacking = false
        defer { p.usedPacking = packedBefore }
        let conformances = p.helpersFromRuntime ? GeneratedModelAPI.nestedLayerConformances : GeneratedModelAPI.layerConformances
        p.block("public struct \(t): \(conformances)") { p in
            printMetadata(&p)
            p.print()
            printActions(&p)
            p.print()
            printParameters(&p)
            p.print()
            printForward(&p, .float)
            p.print()
            printForward(&p, .double)
            p.print()
            printBackward(&p, .float)
            p.print()
            printBackward(&p, .double)
            p.print()
            if !p.helpersFromRuntime {
                printEquivarianceError(&p)
                printRelativeError(&p)
                p.print()
            }
            p.print("// MARK: Strategy: \(kernel.strategy.rawValue)")
            p.print()
            printBiasConstants(&p)
            kernel.printConstants(&p)
            p.print()
            p.block("static func _coefficients(_ theta: [Double]) -> [Double]") { kernel.printCoefficientsBody(&$0) }
            p.print()
            KernelHelpers.printVectorAccess(&p)
            for s in ScalarType.all {
                if !p.helpersFromRuntime { p.print() }
                p.print("// MARK: Kernels (\(s.name))")
                kernel.printKernels(&p, scalar: s)
                p.print()
                p.block("static func _weightGradient(_ dc: [\(s.name)]) -> [\(s.name)]") { kernel.printWeightGradientBody(&$0, scalar: s) }
            }
            if p.usedPacking {
                p.print()
                p.printUnpackingHelpers()
            }
        }
    }

    // MARK: Skeleton pieces

    private func printMetadata(_ p: inout CodePrinter) {
        let lit = SwiftIdentifier.stringLiteral
        p.print("""
            // MARK: Metadata
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
            /// Bound a of the initializer θ ~ U(−a, a): variance 1 / fanIn with the tied basis's
            /// effective fan-in (1/d_out) Σ_i ‖B_i‖² = \(doubleLiteral(layer.effectiveFanIn)).
            public static let initializationBound: Double = \(doubleLiteral(layer.initializationBound))
            static let coefficientCount = \(kernel.coefficientCount)
            """)
    }

    private func printActions(_ p: inout CodePrinter) {
        p.print("// MARK: Generator actions (ρ(g) for each generator g, column vectors)")
        printAction(&p, "input", layer.input)
        printAction(&p, "output", layer.output)
    }

    private func printAction(_ p: inout CodePrinter, _ which: String, _ rep: Representation) {
        let d = rep.dimension
        let name = which.prefix(1).uppercased() + which.dropFirst()
        let kind: String
        if let mono = rep.monomialImages {
            let signed = mono.contains { !$0.isUnsigned }
            kind = signed ? "signed-permutation" : "permutation"
            p.print("public static let \(which)ActionKind = \(SwiftIdentifier.stringLiteral(kind))")
            p.print("/// Generator-major images: ρ(g) e_i = \(signed ? "\(which)Signs[g·d + i] · " : "")e_{\(which)Images[g·d + i]}.")
            p.printArray("static let \(which)Images", type: "Int32", literals: mono.flatMap { $0.images.map(String.init) })
            if signed {
                p.printArray("static let \(which)Signs", type: "Double", literals: mono.flatMap { $0.signs.map(String.init) }, perLine: 32)
            }
            p.block("public static func actOn\(name)(generator g: Int, _ x: [Double]) -> [Double]") { p in
                p.print("""
                    precondition(x.count == \(which)Dimension, "\(which) has \(d) coordinates")
                    var y = [Double](repeating: 0, count: \(which)Dimension)
                    let base = g * \(which)Dimension
                    for i in 0..<\(which)Dimension {
                        y[Int(\(which)Images[base + i])] = \(signed ? "\(which)Signs[base + i] * " : "")x[i]
                    }
                    return y
                    """)
            }
        } else {
            kind = "matrix"
            p.print("public static let \(which)ActionKind = \"matrix\"")
            p.print("/// Generator-major dense matrices, row-major: ρ(g)[r, c] = \(which)Matrices[g·d·d + r·d + c].")
            let values: [ExactOrReal]
            if let exact = rep.rationalImages {
                values = exact.flatMap { $0.elements.map(ExactOrReal.exact) }
            } else {
                values = rep.realImages.flatMap { $0.elements.map(ExactOrReal.real) }
            }
            p.printConstants("\(which)Matrices", values)
            p.block("public static func actOn\(name)(generator g: Int, _ x: [Double]) -> [Double]") { p in
                p.print("""
                    precondition(x.count == \(which)Dimension, "\(which) has \(d) coordinates")
                    var y = [Double](repeating: 0, count: \(which)Dimension)
                    let base = g * \(which)Dimension * \(which)Dimension
                    for r in 0..<\(which)Dimension {
                        var acc = 0.0
                        for c in 0..<\(which)Dimension { acc += \(which)Matrices[base + r * \(which)Dimension + c] * x[c] }
                        y[r] = acc
                    }
                    return y
                    """)
            }
        }
    }

    private func printParameters(_ p: inout CodePrinter) {
        p.print("""
            // MARK: Parameters
            /// θ, the coordinates of W in the solver's basis (`weightCount` values). Setting it
            /// refreshes the derived coefficients (O(coefficients)); to change θ and β together
            /// with one refresh, use `setParameters(weights:bias:)`.
            \(GeneratedModelAPI.weightsProperty) {
                get { _weights }
                set { _weights = newValue; refresh() }
            }
            /// β, the coordinates of b in the bias basis (`biasCount` values).
            \(GeneratedModelAPI.biasProperty) {
                get { _bias }
                set { _bias = newValue; refresh() }
            }
            private var _weights: [Float]
            private var _bias: [Float]
            // Derived from the parameters once per change (never per forward call).
            private var coefficientsF: [Float] = []
            private var coefficientsD: [Double] = []
            private var biasVectorF: [Float] = []
            private var biasVectorD: [Double] = []

            /// Seeded initializer: θ ~ U(−a, a) with a = `initializationBound` (SplitMix64), bias 0.
            \(GeneratedModelAPI.initializeFromSeed) {
                var rng = \(p.helpersFromRuntime ? "RuntimeRandom(seed: seed)" : "_SplitMix64(state: seed)")
                _weights = (0..<Self.weightCount).map { _ in Float((rng.unit() * 2 - 1) * Self.initializationBound) }
                _bias = [Float](repeating: 0, count: Self.biasCount)
                refresh()
            }

            /// A layer with the given parameters (counts must be `weightCount` and `biasCount`).
            \(GeneratedModelAPI.initializeFromParameters) {
                _weights = weights
                _bias = bias
                refresh()
            }

            /// Sets θ and β with a single refresh (e.g. after an optimizer step).
            \(GeneratedModelAPI.setParameters) {
                _weights = weights
                _bias = bias
                refresh()
            }

            private mutating func refresh() {
                precondition(_weights.count == Self.weightCount, "expected \\(Self.weightCount) weights, got \\(_weights.count)")
                precondition(_bias.count == Self.biasCount, "expected \\(Self.biasCount) biases, got \\(_bias.count)")
                coefficientsD = Self._coefficients(_weights.map(Double.init))
                if coefficientsD.isEmpty { coefficientsD = [0] }  // kernels take a non-null pointer
                coefficientsF = coefficientsD.map(Float.init)
                var b = [Double](repeating: 0, count: Self.outputDimension)
                for e in 0..<Self.biasRow.count {
                    b[Int(Self.biasRow[e])] += Self.biasValue[e] * Double(_bias[Int(Self.biasParameter[e])])
                }
                biasVectorD = b
                biasVectorF = b.map(Float.init)
            }
            """)
        if p.helpersFromRuntime { return }
        p.print("""

            struct _SplitMix64 {
                var state: UInt64
                mutating func next() -> UInt64 {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    return z ^ (z >> 31)
                }
                /// Uniform in [0, 1).
                mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
            }
            """)
    }

    private func printForward(_ p: inout CodePrinter, _ s: ScalarType) {
        let S = s.name
        p.print("""
            // MARK: Forward (\(S))
            \(GeneratedModelAPI.forwardSingle(s, doc: "y = W x + b for one input of `inputDimension` values (the batch kernel with count 1)."))

            /// The forward pass on `count` row-major inputs.
            \(GeneratedModelAPI.forwardBatchSignature(s)) {
                precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \\(Self.inputDimension) values")
                var y = [\(S)](repeating: 0, count: count * Self.outputDimension)
                guard count > 0, Self.outputDimension > 0 else { return y }
                batch.withUnsafeBufferPointer { xp in
                    \(s.coefficients).withUnsafeBufferPointer { cp in
                        \(s.biasVector).withUnsafeBufferPointer { bp in
                            y.withUnsafeMutableBufferPointer { yp in
                                let y0 = yp.baseAddress!, b0 = bp.baseAddress!
                                for n in 0..<count { (y0 + n * Self.outputDimension).update(from: b0, count: Self.outputDimension) }
                                if let x0 = xp.baseAddress { Self._forwardKernel(x0, y0, count, cp.baseAddress!) }
                            }
                        }
                    }
                }
                return y
            }
            """)
    }

    private func printBackward(_ p: inout CodePrinter, _ s: ScalarType) {
        let S = s.name
        p.print("""
            // MARK: Backward (\(S))
            \(GeneratedModelAPI.backwardSingleAndBatchOpening(s, doc: "Gradients of a loss L given ∂L/∂y: ∂L/∂θ, ∂L/∂β and ∂L/∂x."))
                var dc = [\(S)](repeating: 0, count: max(1, Self.coefficientCount))
                var dx = [\(S)](repeating: 0, count: count * Self.inputDimension)
                var dySum = [\(S)](repeating: 0, count: Self.outputDimension)
                if count > 0, Self.inputDimension > 0, Self.outputDimension > 0 {
                    batch.withUnsafeBufferPointer { xp in
                        outputGradient.withUnsafeBufferPointer { gp in
                            \(s.coefficients).withUnsafeBufferPointer { cp in
                                dc.withUnsafeMutableBufferPointer { dcp in
                                    dx.withUnsafeMutableBufferPointer { dxp in
                                        dySum.withUnsafeMutableBufferPointer { sp in
                                            let g0 = gp.baseAddress!, s0 = sp.baseAddress!
                                            for n in 0..<count {
                                                let row = g0 + n * Self.outputDimension
                                                for r in 0..<Self.outputDimension { s0[r] += row[r] }
                                            }
                                            Self._backwardKernel(xp.baseAddress!, g0, count, cp.baseAddress!, dcp.baseAddress!, dxp.baseAddress!)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                var db = [\(S)](repeating: 0, count: Self.biasCount)
                for e in 0..<Self.biasRow.count {
                    db[Int(Self.biasParameter[e])] += \(S)(Self.biasValue[e]) * dySum[Int(Self.biasRow[e])]
                }
                return (Self._weightGradient(dc), db, dx)
            }
            """)
    }

    /// The generated `equivarianceError(seed:trials:)` of a self-contained layer (the same check
    /// as the runtime's `GeneratedEquivariantModel.equivarianceError`, which networks use).
    private func printEquivarianceError(_ p: inout CodePrinter) {
        let rng = "_SplitMix64", relativeError = "Self._relativeError"
        p.print("""
            // MARK: Equivariance check
            /// The worst relative error ‖f(ρ_in(g)x) − ρ_out(g)f(x)‖ / max(‖ρ_out(g)f(x)‖, ‖f(ρ_in(g)x)‖)
            /// over every generator and one random word of generators per trial, on uniform random
            /// inputs in [−1, 1), using the embedded generator actions (Float forward pass).
            public func equivarianceError(seed: UInt64 = 0, trials: Int = 8) -> Double {
                var rng = \(rng)(state: seed)
                let k = Self.generatorNames.count
                var worst = 0.0
                for _ in 0..<max(0, trials) {
                    let x = (0..<Self.inputDimension).map { _ in rng.unit() * 2 - 1 }
                    let fx = forward(x.map { Float($0) }).map { Double($0) }
                    for g in 0..<k {
                        let gx = Self.actOnInput(generator: g, x)
                        let fgx = forward(gx.map { Float($0) }).map { Double($0) }
                        worst = max(worst, \(relativeError)(fgx, Self.actOnOutput(generator: g, fx)))
                    }
                    if k > 0 {
                        var wx = x, wfx = fx
                        for _ in 0..<(2 + Int(rng.next() % 7)) {
                            let g = Int(rng.next() % UInt64(k))
                            wx = Self.actOnInput(generator: g, wx)
                            wfx = Self.actOnOutput(generator: g, wfx)
                        }
                        let fwx = forward(wx.map { Float($0) }).map { Double($0) }
                        worst = max(worst, \(relativeError)(fwx, wfx))
                    }
                }
                return worst
            }
            """)
    }

    private func printRelativeError(_ p: inout CodePrinter) {
        p.print("""

            static func _relativeError(_ a: [Double], _ b: [Double]) -> Double {
                var diff = 0.0, na = 0.0, nb = 0.0
                for i in 0..<a.count {
                    diff += (a[i] - b[i]) * (a[i] - b[i])
                    na += a[i] * a[i]
                    nb += b[i] * b[i]
                }
                let scale = max(na, nb)
                return scale > 0 ? _squareRoot(diff / scale) : 0
            }

            /// √v by Newton's method from above (no libm: this file imports nothing).
            static func _squareRoot(_ v: Double) -> Double {
                guard v > 0, v.isFinite else { return v == 0 ? 0 : .infinity }
                var r = Double(sign: .plus, exponent: v.exponent / 2 + 1, significand: 1)
                for _ in 0..<64 {
                    let next = 0.5 * (r + v / r)
                    if next >= r { break }
                    r = next
                }
                return r
            }
            """)
    }

    private func printBiasConstants(_ p: inout CodePrinter) {
        var rows: [String] = [], params: [String] = [], values: [ExactOrReal] = []
        for (j, b) in layer.basis.biasElements.enumerated() {
            values += ExactOrReal.values(of: b)
            for e in b.entries {
                rows.append(String(e.row))
                params.append(String(j))
            }
        }
        p.print("// Bias basis: b[biasRow[e]] += biasValue[e] · β[biasParameter[e]].")
        p.printArray("static let biasRow", type: "Int32", literals: rows)
        p.printArray("static let biasParameter", type: "Int32", literals: params)
        p.printConstants("biasValue", values)
    }
}

extension LayerEmitter {
    /// The dense W (row-major d_out × d_in) that the emitted forward pass computes for
    /// parameters θ, rebuilt from the strategy's own constants (tying table, partition diagrams
    /// with φ = C θ, or the sparse basis). Tests compare it with Σ θ_i B_i.
    public func emittedWeightMatrix(theta: [Double]) -> Matrix {
        precondition(theta.count == layer.basis.dimension)
        let dIn = layer.input.dimension, dOut = layer.output.dimension
        switch kernel {
        case let k as TiedLayerEmitter:
            var m = Matrix(rows: dOut, columns: dIn)
            for r in 0..<dOut {
                for c in 0..<dIn where k.tying.index[r * dIn + c] >= 0 {
                    m[r, c] = Double(k.tying.sign[r * dIn + c]) * theta[Int(k.tying.index[r * dIn + c])]
                }
            }
            return m
        case let k as ClosedFormSymmetricEmitter:
            var phi = [Double](repeating: 0, count: k.coefficientCount)
            for e in k.structure.change { phi[e.row] += e.value.doubleValue * theta[e.column] }
            var m = Matrix(rows: dOut, columns: dIn)
            for q in phi.indices {
                m = m + phi[q] * k.structure.denseDiagram(q, inputDimension: dIn, outputDimension: dOut)
            }
            return m
        default:
            var m = Matrix(rows: dOut, columns: dIn)
            for (i, b) in layer.basis.elements.enumerated() { for e in b.entries { m[e.row, e.column] += theta[i] * e.value } }
            return m
        }
    }
}
