import ArchSynthRuntime
import Foundation
import GroupTheory

/// The swap-inversion template (issue 8): solver bases for the C₂-equivariant network that
/// produces v(A, B) = −v(B, A), turned into runtime `TiedLinear` layers, and the generated file.
///
/// C₂ = `cyclic:2` acts on
/// - the input A ⊕ B (2n) by swapping the halves (a permutation representation),
/// - each hidden layer R^m ⊕ R^m by swapping the halves (m copies of the regular representation),
/// - the output sign ⊗ R^p by −1 (p = the form's coefficient count).
/// For the field form (`svf`) the network is convolutional: C₂ acts on the channels of the grid
/// signal [A, B] (swap), on 2×m hidden channels (m regular copies) and on the two output planes
/// (sign ⊗ R²); the solved channel bases are tensored with 3×3 periodic stencils
/// (`TiedGridConvolution`, four layers; m = `hidden`). See `SwapInversionCore`.
/// `IntertwinerSolver` solves Hom_C₂ for each pair; the basis elements become `TiedLinear`
/// entries (weight tying θ, and the equivariant biases β; the sign output has none). The
/// generated file bakes these entries in as literal strings and uses the runtime nodes
/// (`SwapInversionCore`) for everything else.
///
/// ```swift
/// let t = try SwapInversionTemplate(form: .affine(2), inputSize: 8, hidden: 16)
/// let core = t.core()   // runtime network; t.source(typeName:header:) is the generated file
/// ```
public struct SwapInversionTemplate: Sendable {
    public let form: SwapInversionForm
    public let inputSize: Int
    public let hidden: Int
    public let squarings: Int
    public let layers: [TiedLinear]
    public let basisDimensions: [Int]

    public init(form: SwapInversionForm, inputSize: Int, hidden: Int, squarings: Int = 7, options: SolverOptions = SolverOptions()) throws {
        self.form = form
        self.inputSize = inputSize
        self.hidden = hidden
        self.squarings = squarings
        let group = try GroupResolver().resolve("cyclic:2")
        let hiddenRep = Self.swapHalves(hidden)
        func sign(_ p: Int) -> Representation {
            Representation(signedPermutations: [SignedPermutation(images: (0..<p).map { Int32($0) }, signs: [Int8](repeating: -1, count: p))])
        }
        let pairs: [(Representation, Representation)]
        switch form {
        case .affine, .rigid:
            pairs = [(Self.swapHalves(inputSize), hiddenRep), (hiddenRep, hiddenRep), (hiddenRep, sign(form.coefficientCount))]
        case .svf:
            // Channel bases of the convolutions: [A, B] (swap) → regular twice (multiplied),
            // regular → regular, regular → sign ⊗ R² (the two planes of the field).
            let channels = Self.swapHalves(1)
            pairs = [(channels, hiddenRep), (channels, hiddenRep), (hiddenRep, hiddenRep), (hiddenRep, sign(2))]
        }
        var layers: [TiedLinear] = [], dims: [Int] = []
        for (rIn, rOut) in pairs {
            let basis = try IntertwinerSolver.solve(input: rIn, output: rOut, group: group, options: options)
            layers.append(Self.tiedLinear(basis))
            dims.append(basis.dimension)
        }
        self.layers = layers
        basisDimensions = dims
    }

    /// The template for a form given as text (see `checkedInputSize` for the checks).
    public init(formText: String, inputSize: Int, hidden: Int, squarings: Int = 7, options: SolverOptions = SolverOptions()) throws {
        guard let form = SwapInversionForm(formText) else { throw ArgumentError(description: "unknown form \"\(formText)\"") }
        try self.init(form: form, inputSize: inputSize, hidden: hidden, squarings: squarings, options: options)
    }

    /// The network's parameter count (svf: the convolutions' stencil weights and biases, i.e.
    /// each channel-basis weight times the 3×3 stencil).
    public var parameterCount: Int {
        switch form {
        case .affine, .rigid: return layers.reduce(0) { $0 + $1.parameterCount }
        case .svf: return core().parameterCount
        }
    }

    /// The form named by `text` (affine:2, affine:3, rigid:2, rigid:3, svf:HxW).
    public static func form(_ text: String) -> SwapInversionForm? { SwapInversionForm(text) }

    /// A command-line problem with the template's arguments.
    public struct ArgumentError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Validates the command-line form and input shape; returns the input size per image.
    /// Largest input (values per image) a template is generated for: 1024×1024.
    public static let maxInputSize = 1 << 20

    public static func checkedInputSize(form text: String, input shape: String, hidden: Int, squarings: Int) throws -> Int {
        guard let form = SwapInversionForm(text) else {
            throw ArgumentError(description: "--form must be affine:2, affine:3, rigid:2, rigid:3 or svf:HxW, not \"\(text)\"")
        }
        let parts = shape.split(separator: "x", omittingEmptySubsequences: false)
        let dims = parts.compactMap { Int($0) }
        guard !dims.isEmpty, dims.count <= 2, dims.count == parts.count, dims.allSatisfy({ $0 >= 1 }) else {
            throw ArgumentError(description: "--input must be a length N or an image HxW, not \"\(shape)\"")
        }
        let (size, overflow) = dims.count == 2 ? dims[0].multipliedReportingOverflow(by: dims[1]) : (dims[0], false)
        guard !overflow, size <= maxInputSize else {
            throw ArgumentError(description: "--input \(shape) has \(overflow ? "more than \(Int.max)" : "\(size)") values per image, above the template's limit of \(maxInputSize) (1024×1024); give a smaller image (downsample it first)")
        }
        if case let .svf(h, w) = form, h.multipliedReportingOverflow(by: w) != (size, false) {
            throw ArgumentError(description: "--form \(form) needs --input \(h)x\(w) (one-channel images), not \"\(shape)\"")
        }
        guard (1...4096).contains(hidden) else { throw ArgumentError(description: "--hidden must be between 1 and 4096") }
        guard (0...20).contains(squarings) else { throw ArgumentError(description: "--squarings must be between 0 and 20") }
        return size
    }

    /// C₂ swapping the two halves of R^k ⊕ R^k.
    public static func swapHalves(_ k: Int) -> Representation {
        Representation(permutations: [Permutation(images: (0..<(2 * k)).map { Int32(($0 + k) % (2 * k)) })])
    }

    /// The basis as runtime entries: W = Σ θ_i B_i, b = Σ β_j c_j.
    public static func tiedLinear(_ basis: EquivariantBasis) -> TiedLinear {
        var entries: [TiedLinear.Entry] = [], bias: [TiedLinear.BiasEntry] = []
        for (i, element) in basis.elements.enumerated() {
            for e in element.entries { entries.append(.init(row: e.row, column: e.column, parameter: i, coefficient: e.value)) }
        }
        for (j, element) in basis.biasElements.enumerated() {
            for e in element.entries { bias.append(.init(row: e.row, parameter: j, coefficient: e.value)) }
        }
        return TiedLinear(
            inputSize: basis.inputDimension, outputSize: basis.outputDimension, weightCount: basis.dimension,
            biasCount: basis.biasDimension, entries: entries, biasEntries: bias)
    }

    /// The same widths without the constraint (the unconstrained baseline: N(A, B) used directly).
    public var denseLayers: [TiedLinear] {
        if case .svf = form {
            return [
                TiedLinear.dense(inputSize: 2, outputSize: 2 * hidden), TiedLinear.dense(inputSize: 2, outputSize: 2 * hidden),
                TiedLinear.dense(inputSize: 2 * hidden, outputSize: 2 * hidden), TiedLinear.dense(inputSize: 2 * hidden, outputSize: 2, bias: false),
            ]
        }
        return [
            TiedLinear.dense(inputSize: 2 * inputSize, outputSize: 2 * hidden),
            TiedLinear.dense(inputSize: 2 * hidden, outputSize: 2 * hidden),
            TiedLinear.dense(inputSize: 2 * hidden, outputSize: form.coefficientCount),
        ]
    }

    public func core() -> SwapInversionCore {
        SwapInversionCore(form: form, inputSize: inputSize, layers: layers, squarings: squarings)
    }

    public func unconstrainedCore() -> SwapInversionCore {
        SwapInversionCore(form: form, inputSize: inputSize, layers: denseLayers, squarings: squarings)
    }

    /// The generated Swift file: header lines, `import ArchSynthRuntime`, and
    /// `public struct TYPE: LawfulModel` with the three layers' entries as literals.
    public func source(typeName: String, command: String, toolVersion: String = ArchSynthVersion.current) -> String {
        var s = ""
        let lawLine: String
        switch form {
        case .affine, .rigid:
            lawLine = "[(Law.swap(output: .inverseMatrix(\(form.matrixSize!))), 1e-10)]"
        case .svf:
            lawLine = "[(Law.swap(output: .negate), 1e-10)]"
        }
        s += """
            \(GeneratedFileHeader.opening(toolVersion: toolVersion, describing: "swap-inversion template (ConstrICON), form \(form), input \(inputSize) per image.", command: command))
            \(ExpectedLaws.headerLine(kind: "swap-inversion", [("form", .string("\(form)")), ("input", .int(inputSize))]))
            // Network: \(networkLine); basis dimensions \(basisDimensions.map(String.init).joined(separator: ", ")) (IntertwinerSolver).
            // Law: swapping A and B \(form.matrixSize == nil ? "negates the velocity v (Φ_BA = exp(−v) exactly; inverse consistency is reported by inverseConsistencyError)" : "inverts the output matrix Φ = exp(v)").
            // Type: \(typeName)
            import ArchSynthRuntime

            /// Φ[A, B] = exp(v(A, B)) with v(B, A) = −v(A, B) from a C₂-equivariant network whose layers
            /// are the solver's bases (entries below). \(formDocumentation)
            public struct \(typeName): LawfulModel {
                public static let kind = "swap-inversion"
                public static let form = SwapInversionForm(\"\(form)\")!
                public static let inputSizes = [\(inputSize), \(inputSize)]
                public static let outputSize = \(form.matrixSize.map { $0 * $0 } ?? form.algebraSize)
                public static var parameterCount: Int { core.parameterCount }
                public static var laws: [(law: Law, threshold: Double)] { \(lawLine) }
                public static let core = SwapInversionCore(form: form, inputSize: \(inputSize), layers: [\(layerNames(first: 0))], squarings: \(squarings))
                public var parameters: [Double]

                public init(seed: UInt64) { parameters = Self.core.initialParameters(seed: seed) }

                /// \(form.matrixSize == nil ? "v(A, B), the stationary velocity field (2×H×W, rows plane first, grid units)" : "Φ[A, B], the (d+1)×(d+1) homogeneous matrix, row-major").
                public func forward(_ inputs: [[Double]]) -> [Double] { Self.core.forward(parameters, inputs) }

                /// The pullback of `forward`: (θ̄, [Ā, B̄]).
                public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                    Self.core.backward(parameters, inputs, outputGradient: outputGradient)
                }

                /// (Φ[A,B], Φ[B,A]): matrices, or the displacements δ (Φ = id + δ) for a field.
                public func transforms(_ a: [Double], _ b: [Double]) -> (ab: [Double], ba: [Double]) {
                    Self.core.transforms(parameters, a, b)
                }

                /// Matrix forms: ‖Φ[A,B]Φ[B,A] − I‖_F; field: mean and max of ‖Φ_AB(Φ_BA(x)) − x‖ (grid units).
                public func inverseConsistencyError(_ a: [Double], _ b: [Double]) -> (mean: Double, max: Double) {
                    Self.core.inverseConsistencyError(parameters, a, b)
                }

                \(GeneratedModelAPI.templateTrainStep("Self.core", lossDoc: ["One Adam step on the mean squared error of `forward` against targets; returns the loss."], indent: "    "))

            """
        s += Self.layerSource(layers, first: 0)
        s += "}\n"
        return s
    }

    static func layerSource(_ layers: [TiedLinear], first: Int) -> String {
        var p = CodePrinter()
        p.indent()
        for (k, layer) in layers.enumerated() {
            let i = first + k, l = "layer\(i)"
            p.print("/// Layer \(i): \(layer.inputSize) → \(layer.outputSize), \(layer.weightCount) weights, \(layer.biasCount) biases; entry e is")
            p.print("/// W[\(l)Rows[e], \(l)Columns[e]] += \(l)Coefficients[e] · θ[\(l)Parameters[e]], bias b[\(l)BiasRows[e]] += \(l)BiasCoefficients[e] · β[\(l)BiasParameters[e]].")
            p.printIntegers("static let \(l)Rows", type: "Int32", layer.entries.map(\.row), perLine: 24)
            p.printIntegers("static let \(l)Columns", type: "Int32", layer.entries.map(\.column), perLine: 24)
            p.printIntegers("static let \(l)Parameters", type: "Int32", layer.entries.map(\.parameter), perLine: 24)
            p.printReals("static let \(l)Coefficients", layer.entries.map(\.coefficient), perLine: 8)
            p.printIntegers("static let \(l)BiasRows", type: "Int32", layer.biasEntries.map(\.row), perLine: 24)
            p.printIntegers("static let \(l)BiasParameters", type: "Int32", layer.biasEntries.map(\.parameter), perLine: 24)
            p.printReals("static let \(l)BiasCoefficients", layer.biasEntries.map(\.coefficient), perLine: 8)
            p.print("""
                static let \(l) = SwapInversionCore.layer(
                    inputSize: \(layer.inputSize), outputSize: \(layer.outputSize), weightCount: \(layer.weightCount), biasCount: \(layer.biasCount),
                    rows: \(l)Rows, columns: \(l)Columns, parameters: \(l)Parameters, coefficients: \(l)Coefficients,
                    biasRows: \(l)BiasRows, biasParameters: \(l)BiasParameters, biasCoefficients: \(l)BiasCoefficients)
                """)
        }
        return p.content
    }

    /// The two-step file (`--two-step affine:2,svf:HxW`): Φ_AB = r∘ψ∘r, Φ_BA = r⁻¹∘ψ⁻¹∘r⁻¹ with
    /// (r, r⁻¹) from `affine` on (A, B) and (ψ, ψ⁻¹) from `field` on (A∘r, B∘r⁻¹)
    /// (`SwapInversionTwoStep`). The law: swapping A and B negates both generators (g ⊕ v).
    public static func twoStepSource(affine: SwapInversionTemplate, field: SwapInversionTemplate, typeName: String, command: String, toolVersion: String = ArchSynthVersion.current) -> String {
        var s = """
            \(GeneratedFileHeader.opening(toolVersion: toolVersion, describing: "swap-inversion two-step template (ConstrICON), \(affine.form) then \(field.form), input \(field.inputSize) per image.", command: command))
            \(ExpectedLaws.headerLine(kind: "swap-inversion-two-step", [("affine", .string("\(affine.form)")), ("field", .string("\(field.form)")), ("input", .int(field.inputSize))]))
            // Networks: \(affine.networkLine); then \(field.networkLine); basis dimensions \((affine.basisDimensions + field.basisDimensions).map(String.init).joined(separator: ", ")) (IntertwinerSolver).
            // Law: swapping A and B negates both generators g (affine) and v (field); inverse consistency is reported by inverseConsistencyError.
            // Type: \(typeName)
            import ArchSynthRuntime

            /// Two-step consistent composition: (r, r⁻¹) = (exp(g), exp(−g)) on (A, B), Ã = A∘r, B̃ = B∘r⁻¹,
            /// (ψ, ψ⁻¹) = (exp(v), exp(−v)) on (Ã, B̃); Φ_AB = r∘ψ∘r, Φ_BA = r⁻¹∘ψ⁻¹∘r⁻¹ as displacement
            /// fields (bilinear, PERIODIC boundary; the affine map acts on centered coordinates scaled by max(H, W)/2).
            public struct \(typeName): LawfulModel {
                public static let kind = "swap-inversion-two-step"
                public static let inputSizes = [\(field.inputSize), \(field.inputSize)]
                public static let outputSize = \(9 + field.form.algebraSize)
                public static var parameterCount: Int { core.parameterCount }
                public static var laws: [(law: Law, threshold: Double)] { [(Law.swap(output: .negate), 1e-10)] }
                public static let core = SwapInversionTwoStep(
                    affine: SwapInversionCore(form: SwapInversionForm("\(affine.form)")!, inputSize: \(affine.inputSize), layers: [layer0, layer1, layer2]),
                    field: SwapInversionCore(form: SwapInversionForm("\(field.form)")!, inputSize: \(field.inputSize), layers: [\(field.layerNames(first: 3))], squarings: \(field.squarings)))
                public var parameters: [Double]

                public init(seed: UInt64) { parameters = Self.core.initialParameters(seed: seed) }

                /// g ⊕ v: the affine generator (3×3, row-major) and the velocity field (2×H×W).
                public func forward(_ inputs: [[Double]]) -> [Double] { Self.core.generators.forward(parameters, inputs) }

                /// The pullback of `forward`: (θ̄, [Ā, B̄]).
                public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                    Self.core.generators.backward(parameters, inputs, outputGradient: outputGradient)
                }

                /// (δ_AB, δ_BA) with Φ = id + δ.
                public func transforms(_ a: [Double], _ b: [Double]) -> (ab: [Double], ba: [Double]) {
                    Self.core.transforms(parameters, a, b)
                }

                /// Mean and max of ‖Φ_AB(Φ_BA(x)) − x‖ (grid units).
                public func inverseConsistencyError(_ a: [Double], _ b: [Double]) -> (mean: Double, max: Double) {
                    Self.core.inverseConsistencyError(parameters, a, b)
                }

                \(GeneratedModelAPI.templateTrainStep("Self.core.generators", lossDoc: ["One Adam step on the mean squared error of `forward` against targets; returns the loss."], indent: "    "))


            """
        s += layerSource(affine.layers, first: 0)
        s += layerSource(field.layers, first: 3)
        s += "}\n"
        return s
    }

    /// "layer0, layer1, …" for the generated core's initializer.
    func layerNames(first: Int) -> String {
        (first..<(first + layers.count)).map { "layer\($0)" }.joined(separator: ", ")
    }

    /// The network in one line, for the generated header.
    public var networkLine: String {
        switch form {
        case .affine, .rigid:
            return "C₂ = cyclic:2 swapping A ⊕ B → 2×\(hidden) regular (ReLU) → 2×\(hidden) regular (ReLU) → sign ⊗ R^\(form.coefficientCount)"
        case let .svf(h, w):
            let f = SwapInversionForm.fieldPooling(height: h, width: w)
            return "C₂ = cyclic:2 swapping the channels of [A, B]\(f > 1 ? " (\(f)×\(f) average-pooled)" : ""), 3×3 periodic convolutions with solver channel bases: (swap → 2×\(hidden) regular) ⊙ (swap → 2×\(hidden) regular) → 2×\(hidden) regular (ReLU) → sign ⊗ R², least-squares onto the \(form.coefficientCount) velocity bumps"
        }
    }

    var formDocumentation: String {
        switch form {
        case .affine: return "Affine: v is the generator [[M, b], [0, 0]] with |M_ij| ≤ 0.5, |b_i| ≤ 2."
        case .rigid: return "Rigid: M antisymmetric, so Φ ∈ SE(d)."
        case .svf: return "Field: Φ_AB = id + δ, δ₀ = v/2^K, K squarings δ ← δ + δ∘(id + δ), bilinear with PERIODIC boundary."
        }
    }
}
