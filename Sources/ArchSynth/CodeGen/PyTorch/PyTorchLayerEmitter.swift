import GroupTheory

/// Emits an equivariant layer as a `torch.nn.Module` (issue 22): `NAME(seed=S)` draws θ as the
/// Swift layer does (SplitMix64, U(−a, a) with the same variance-preserving bound, bias 0), so
/// the same seed gives the same initial function in both targets, and `forward(x)` maps a
/// (batch, d_in) tensor to (batch, d_out) in the same coordinates. Gradients come from autograd.
///
/// The forward strategy is the Swift emitter's choice (`LayerEmitter.plan`), written in torch.
/// The tied, dense (W up to 2^20 entries, R up to 2^16) and small closed-form (W up to 2^15 entries) layers
/// build W from the classes of its entries (`PyTorchWeightClasses`) and compute x Wᵀ + b in one
/// `F.linear`; W itself is one matrix-vector product W = M θ when entries × parameters ≤ 2^16
/// (M expanded from the classes at construction), else one gather, pad(θ)[index] · sign or
/// (R θ)[class] · sign. The bias follows the same rule. Issue 22 measured the few small torch
/// calls of the earlier forms (index_add over the basis, φ = C θ, the bias by index_add) as
/// 1.36–1.55× the hand-written `tensordot` step at these sizes (BENCHMARKS.md).
/// - tied: as above, or for very sparse tables y = index_add over rows of x[:, column] · c (no W);
/// - dense: as above, or above those sizes W = Σ θ_i B_i by `index_add` over the sparse basis;
/// - symmetric-closed-form: small W as above; larger, the fused form (`ClosedFormForm.fused`: the
///   pooled statistics of every input block by one product x P, placed by one product with H(θ),
///   plus φ x or φ xᵀ per pair of n×n blocks; a fixed handful of calls whatever the number of
///   diagrams); above that φ = C θ, then per partition diagram an `einsum` that pools and a
///   broadcast (O(n²) per diagram for natural^2 blocks);
/// - group-convolution: `conv1d/2d/3d` with circular padding on periodic grids (a sum of
///   `roll`s past three axes), a gather of θ through the |G|² table otherwise;
/// - factored: U = x P_inᵀ, per Schur block Z_p = U_p K_p(θ)ᵀ, y = Z P_outᵀ.
///
/// ```swift
/// let emitter = try PyTorchLayerEmitter(layer: layer, header: header)
/// let files = emitter.files()   // files.source (the .py), files.tensors (the .safetensors, maybe empty)
/// ```
public struct PyTorchLayerEmitter {
    public let layer: LayerDescription
    public let header: GeneratedFileHeader
    let kernel: KernelEmitter
    /// The torch form of a closed form (`closedFormChoice`, or the one asked for); unused for other strategies.
    public let closedForm: ClosedFormForm

    /// The strategy actually used (the Swift emitter's choice).
    public var strategy: ForwardStrategy { kernel.strategy }
    /// How the torch module computes W x for the strategy (the Swift emitter's note describes its own kernels).
    public var strategyNote: String {
        switch kernel {
        case let k as TiedLayerEmitter:
            if isSparseTied(k) {
                return "weight-tying table of \(k.nonzeroCount) entries: c = sign · θ[index] by a gather, then y by index_add over the entries (no W)"
            }
            return "weight-tying table of \(k.nonzeroCount) entries: \(PyTorchWeightClasses(tying: k.tying, parameterCount: layer.basis.dimension).note), then x Wᵀ + b in one F.linear"
        case is DenseLayerEmitter:
            if let classes = denseClasses { return "W's entries grouped by their linear form in θ: \(classes.note), then x Wᵀ + b in one F.linear" }
            return "W = Σ θ_i B_i by index_add over the sparse basis, then one matmul"
        case let k as ClosedFormSymmetricEmitter:
            let prefix = "S_\(k.structure.n) partition diagrams (\(k.structure.diagrams.count)), φ = C θ exact; "
            switch closedForm {
            case .materialized: return prefix + "W from its classes of entries (\(weightClasses.note)), then x Wᵀ + b in one F.linear"
            case .fused: return prefix + "fused: the blocks' pooled statistics s = x P (float64 sums), y = b + s H(θ) in one addmm, plus φ x or φ xᵀ per pair of n×n blocks"
            case .pooled: return prefix + "einsum pooling and broadcasts, O(n²) per diagram"
            }
        case let k as GroupConvolutionEmitter:
            if case let .grid(shape) = k.structure.multiplication, !(k.structure.offsets.count == k.structure.order && k.structure.order <= GroupConvolutionStructure.maximumTableOrder) {
                return shape.count <= 3 ? "conv\(shape.count)d with circular padding on the periodic grid \(shape.map(String.init).joined(separator: "×"))" : "sum of rolled grids over the support"
            }
            return "θ gathered through the |G|² table (|G| = \(k.structure.order)), then one matmul"
        case is FactoredLayerEmitter:
            return "x P_inᵀ, one product per Schur block K_p(θ), then P_outᵀ"
        default:
            return kernel.note
        }
    }

    /// Tied layers with at most this fraction of W's entries tied, and W at least
    /// `sparseMinimumEntries` entries, skip W and scatter-add over the stored entries.
    static let sparseMaximumDensity = 1.0 / 32
    static let sparseMinimumEntries = 1 << 16
    /// How the torch module computes a closed form (`symmetric-closed-form`).
    public enum ClosedFormForm: String, Sendable, CaseIterable {
        /// W from its classes of entries, then one `F.linear` (`printMaterialized`).
        case materialized
        /// `ClosedFormProduct`: the pooled statistics of every input block by one product with the
        /// 0/1 matrix P, placed by one product with H(θ), plus φ x or φ xᵀ per pair of n×n blocks.
        case fused
        /// φ = C θ, then one `add_diagram` (an einsum and a broadcast) per partition diagram.
        case pooled
    }

    /// The torch form of a closed form with W of `entries` = d_in · d_out entries, chosen by
    /// measurement (`Benchmarks/pytorch/run.sh closed`, `results/closed-forms-run2.txt`: training
    /// step of symmetric:n natural^2 → natural^2, batch 256, one thread, every form in one process):
    /// W is materialized up to `closedFormMaterializeEntries` (n ≤ 13: one 256 × n² × n² product
    /// and its gradient beat the fused form's dozen small calls, S_10 0.28 ms against 0.42, S_13
    /// 0.54 against 0.59); the fused form above (S_14 0.65 ms against 0.74 for the same product
    /// written by hand, S_16 0.79 against 1.12, S_20 1.15 against 2.37; 0.39–0.48 of the pooled
    /// form from S_30 to S_60); the pooled form only above `closedFormFusedMaximumEntries` (S_90),
    /// since P (d_in × ~3n columns, O(n³) per row) grows faster than the pooled form's O(n²) per
    /// diagram. That bound lies beyond the measurements (an extrapolation, not a measured crossover).
    static func closedFormChoice(entries: Int) -> ClosedFormForm {
        entries <= closedFormMaterializeEntries ? .materialized : entries <= closedFormFusedMaximumEntries ? .fused : .pooled
    }

    /// Closed forms with W at most this many entries materialize W from its classes of entries and multiply.
    static let closedFormMaterializeEntries = 1 << 15
    /// Closed forms with W above `closedFormMaterializeEntries` and at most this many entries use the fused form.
    static let closedFormFusedMaximumEntries = 1 << 26
    /// Dense layers with W at most this many entries, and R (the distinct linear forms of W's
    /// entries) at most `classRowsMaximumEntries`, materialize W by one product and one gather;
    /// larger ones by index_add over the sparse basis.
    static let materializeMaximumEntries = 1 << 20
    static let classRowsMaximumEntries = 1 << 16

    /// - Parameter closedForm: the torch form of a closed form; nil chooses by size (`closedFormChoice`).
    public init(layer: LayerDescription, header: GeneratedFileHeader, strategy: StrategyPreference = .automatic, closedForm: ClosedFormForm? = nil) throws(CodeGenerationError) {
        try PyTorchLayerEmitter.validateClassName(layer.typeName)
        self.layer = layer
        self.header = header
        kernel = try LayerEmitter.plan(layer, strategy)
        self.closedForm = closedForm ?? PyTorchLayerEmitter.closedFormChoice(entries: layer.input.dimension * layer.output.dimension)
        switch kernel {
        case is TiedLayerEmitter, is DenseLayerEmitter, is ClosedFormSymmetricEmitter, is GroupConvolutionEmitter, is FactoredLayerEmitter: break
        default:
            throw .strategyUnavailable(
                kernel.strategy.rawValue,
                reason: "the PyTorch target (--target pytorch) has no torch form for this kind of layer (\(kernel.note)); generate it for Swift (without --target) instead")
        }
        let entries = layer.input.dimension * layer.output.dimension
        if kernel.strategy == .dense, entries > 50_000_000 {
            throw .tooLarge("a dense \(layer.output.dimension)×\(layer.input.dimension) weight matrix (\(entries) entries) is above the 50000000-entry limit for generated code")
        }
    }

    /// Python keywords and the names the module itself uses cannot name the class.
    static let reservedNames: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type",
        "torch", "json", "os", "F", "SplitMix64", "EquivariantActivation", "ConstantsMixin",
    ]

    static func validateClassName(_ name: String) throws(CodeGenerationError) {
        try SwiftIdentifier.validateTypeName(name)
        if reservedNames.contains(name) || name.hasPrefix("_") {
            throw .invalidTypeName(name, reason: "it is a Python keyword or a name the generated module uses itself (or starts with _)")
        }
    }

    /// The generated files: the module source and the tensors for `baseName.safetensors`
    /// (`tensors.isEmpty` when every constant is embedded; then no file is needed).
    public func files(baseName: String) -> (source: String, tensors: SafetensorsFile) {
        var constants = PyTorchConstants()
        var body = CodePrinter()
        printClass(into: &body, className: layer.typeName, prefix: "", constants: &constants)
        let fingerprint = PyTorchLayerEmitter.fingerprint(className: layer.typeName, layers: [layer], strategies: [kernel.strategy])
        return PyTorchLayerEmitter.assemble(header: header, lines: [
            "an equivariant linear layer as a torch.nn.Module",
            "Spec: \(header.spec) (group \(layer.groupName), order \(layer.groupOrder))",
            "Input: \(layer.inputExpression) (dimension \(layer.input.dimension)); output: \(layer.outputExpression) (dimension \(layer.output.dimension))",
            "Parameters: \(layer.basis.dimension) weights, \(layer.basis.biasDimension) bias parameters; basis method: \(layer.basis.method)",
            "Certificate: \(layer.basis.crossCheck.certificate)",
            "Forward strategy: \(kernel.strategy.rawValue) (\(strategyNote))",
            "Type: \(layer.typeName)",
        ], constants: constants, body: body, baseName: baseName, fingerprint: fingerprint)
    }

    /// A layer module: the header `lines`, the preamble with the constants (the file's tensors
    /// when there are any), then the class printed in `body`.
    static func assemble(
        header: GeneratedFileHeader, lines: [String], constants: PyTorchConstants, body: CodePrinter, baseName: String, fingerprint: String
    ) -> (source: String, tensors: SafetensorsFile) {
        var p = CodePrinter()
        printHeader(&p, header: header, lines: lines)
        let tensors = constants.safetensors(fingerprint: fingerprint)
        printPreamble(&p, constants: constants, file: tensors.isEmpty ? nil : baseName + ".safetensors", fingerprint: fingerprint)
        p.print()
        p.print()
        p.print(body.content, terminator: false)
        return (p.content, tensors)
    }

    static func fingerprint(className: String, layers: [LayerDescription], strategies: [ForwardStrategy]) -> String {
        fingerprint(className: className, parts: zip(layers, strategies).map { l, s in
            "\(l.input.dimension):\(l.output.dimension):\(l.basis.dimension):\(l.basis.biasDimension):\(s.rawValue)"
        })
    }

    /// FNV-1a over the class name and `parts` (dimensions, parameter counts, strategies).
    static func fingerprint(className: String, parts: [String]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in ([className] + parts).joined(separator: "|").utf8 { h = (h ^ UInt64(b)) &* 0x0100_0000_01B3 }
        return className + "-" + String(h, radix: 16)
    }

    static func printHeader(_ p: inout CodePrinter, header: GeneratedFileHeader, lines: [String]) {
        p.print("# DO NOT EDIT.")
        p.print("# Generated by archsynth \(comment(header.toolVersion)) (--target pytorch): \(comment(lines[0])).")
        p.print("# Command: \(comment(header.command))")
        for l in lines.dropFirst() { p.print("# " + comment(l)) }
        p.print("# Imports torch and the standard library's json and os only.")
    }

    static func printPreamble(_ p: inout CodePrinter, constants: PyTorchConstants, file: String?, fingerprint: String) {
        p.print(PyTorchSupport.imports)
        p.print()
        p.print(PyTorchSupport.helpers)
        p.print()
        p.print("# Constants: literals here; " + (file.map { "the basis arrays in \($0) beside this file." } ?? "no .safetensors file is needed."))
        constants.printEmbedded(&p)
        p.print("_BASIS_FILE = \(file.map(pythonString) ?? "None")")
        p.print("_FINGERPRINT = \(pythonString(fingerprint))")
        p.print("_CONSTANTS = None")
        p.print()
        p.print("""

            def _constants(prefix):
                global _CONSTANTS
                if _CONSTANTS is None:
                    _CONSTANTS = load_constants(_EMBEDDED, _BASIS_FILE, _FINGERPRINT)
                return {k[len(prefix):]: v for k, v in _CONSTANTS.items() if k.startswith(prefix)}
            """)
    }

    /// One line of comment text (control characters shown as spaces).
    static func comment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// A Python string literal.
    static func pythonString(_ s: String) -> String { TextEscaping.python(s) }

    static func pythonList(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    // MARK: The class

    /// Prints `class className(ConstantsMixin, torch.nn.Module)` and adds its arrays to
    /// `constants` under `prefix`.
    func printClass(into p: inout CodePrinter, className: String, prefix: String, constants: inout PyTorchConstants) {
        let l = layer
        let q = PyTorchLayerEmitter.pythonString
        addActions(&constants, prefix: prefix)
        let bias = biasClasses
        bias.addConstants(&constants, name: prefix + "bias", basis: false)
        let weights = materializedWeights
        let fused = kernel is ClosedFormSymmetricEmitter && closedForm == .fused
            ? "self._plan = fused_closed_form(self._constants, self._n, self._input_blocks, self._input_ranks, self._output_blocks, self._output_ranks, self._diagrams, self.weight_count)"
            : nil
        let expansions = [weights?.construction(name: "weight"), bias.construction(name: "bias"), fused].compactMap { $0 }
        p.print("class \(className)(ConstantsMixin, torch.nn.Module):")
        p.withIndentation { p in
            p.print("""
                \"\"\"An equivariant linear layer y = W x + b, W = sum_i theta_i B_i in Hom_G(input, output), b a fixed
                vector of the output representation. Column vectors; batches are (batch, dimension) rows.
                Law: forward(act_on_input(g, x)) == act_on_output(g, forward(x)) for every group element g.\"\"\"

                generator_names = \(PyTorchLayerEmitter.pythonList(l.generatorNames.map(q)))
                group_name = \(q(l.groupName))
                group_order = \(q(l.groupOrder))
                input_representation = \(q(l.inputExpression))
                output_representation = \(q(l.outputExpression))
                input_dimension = \(l.input.dimension)
                output_dimension = \(l.output.dimension)
                weight_count = \(l.basis.dimension)
                bias_count = \(l.basis.biasDimension)
                basis_method = \(q(l.basis.method.description))
                forward_strategy = \(q(kernel.strategy.rawValue))
                forward_strategy_note = \(q(strategyNote))
                # Bound a of theta ~ U(-a, a): variance 1 / fanIn, fanIn = (1/d_out) sum_i ||B_i||^2 = \(SwiftLiteral.double(l.effectiveFanIn)).
                initialization_bound = \(SwiftLiteral.double(l.initializationBound))

                def __init__(self, seed=0):
                    \"\"\"theta ~ U(-a, a) from SplitMix64(seed) as the Swift layer draws it; bias 0.\"\"\"
                    super().__init__()
                    self._constants = _constants(\(q(prefix)))
                \(expansions.map { "    " + $0 + "\n" }.joined())    parameter(self, "weight", seeded_weights(seed, self.weight_count, self.initialization_bound))
                    parameter(self, "bias", torch.zeros(self.bias_count, dtype=torch.float32))

                def _set_flat(self, weights, bias):
                    self.weight.copy_(weights.to(self.weight.dtype))
                    self.bias.copy_(bias.to(self.bias.dtype))

                def bias_vector(self, like):
                    \"\"\"b = sum_j beta_j b_j: \(bias.note.replacingOccurrences(of: "W", with: "b").replacingOccurrences(of: "θ", with: "beta")).\"\"\"
                    return \(bias.expression(name: "bias", parameters: "self.bias.to(like.dtype)"))

                def forward(self, x):
                    \"\"\"y = W x + b for each row of x, shape (batch, input_dimension) -> (batch, output_dimension).\"\"\"
                    self._check_input(x)
                    return self._affine(x)

                def _affine(self, x):
                    return self._linear(x) + self.bias_vector(x)

                """)
            printStrategy(&p, prefix: prefix, constants: &constants, weights: weights)
        }
    }

    private func addActions(_ c: inout PyTorchConstants, prefix: String) {
        for (side, rep) in [("input", layer.input), ("output", layer.output)] {
            if let mono = rep.monomialImages {
                c.add(prefix + side + "Images", int: mono.flatMap { $0.images.map(Int.init) })
                if mono.contains(where: { !$0.isUnsigned }) {
                    c.add(prefix + side + "Signs", sign: mono.flatMap { $0.signs })
                }
            } else if let exact = rep.rationalImages {
                c.add(prefix + side + "Matrices", real: exact.flatMap { $0.elements.map(ExactOrReal.exact) })
            } else {
                c.add(prefix + side + "Matrices", real: rep.realImages.flatMap { $0.elements.map(ExactOrReal.real) })
            }
        }
    }

    /// The bias b = Σ β_j b_j as classes of output entries (`biasIndex`, maybe `biasSign`, `biasRows`).
    var biasClasses: PyTorchWeightClasses {
        PyTorchWeightClasses(entryCount: layer.output.dimension, parameterCount: layer.basis.biasDimension, elements: layer.basis.biasElements) { $0.row }
    }

    /// W's entries as classes (row-major), for the strategies that materialize W.
    var weightClasses: PyTorchWeightClasses {
        let dIn = layer.input.dimension
        return PyTorchWeightClasses(entryCount: layer.output.dimension * dIn, parameterCount: layer.basis.dimension, elements: layer.basis.elements) { $0.row * dIn + $0.column }
    }

    /// The classes of W's entries when the strategy materializes W (tied but not sparse, dense
    /// up to `materializeMaximumEntries`, closed forms up to `closedFormMaterializeEntries`); nil
    /// for the forms that never build W.
    var materializedWeights: PyTorchWeightClasses? {
        switch kernel {
        case let k as TiedLayerEmitter:
            return isSparseTied(k) ? nil : PyTorchWeightClasses(tying: k.tying, parameterCount: layer.basis.dimension)
        case is DenseLayerEmitter:
            return denseClasses
        case is ClosedFormSymmetricEmitter:
            return closedForm == .materialized ? weightClasses : nil
        default:
            return nil
        }
    }

    private func printStrategy(_ p: inout CodePrinter, prefix: String, constants c: inout PyTorchConstants, weights: PyTorchWeightClasses?) {
        let dIn = layer.input.dimension, dOut = layer.output.dimension
        switch kernel {
        case let k as TiedLayerEmitter:
            if isSparseTied(k) {
                var position: [Int] = [], index: [Int] = [], sign: [Int8] = []
                for r in 0..<dOut {
                    for col in 0..<dIn where k.tying.index[r * dIn + col] >= 0 {
                        position.append(r * dIn + col)
                        index.append(Int(k.tying.index[r * dIn + col]))
                        sign.append(k.tying.sign[r * dIn + col])
                    }
                }
                c.add(prefix + "tiedPosition", int: position, basis: true)
                c.add(prefix + "tiedIndex", int: index, basis: true)
                c.add(prefix + "tiedSign", sign: sign, basis: true)
                p.print("""
                    # Strategy tied: entry e of the tying table is W[position[e] // d_in, position[e] % d_in] = sign[e] * theta[index[e]].
                    def _coefficients(self, like):
                        return self._const("tiedSign", like) * self.weight.to(like.dtype)[self._const("tiedIndex", like)]

                    def weight_matrix(self, like):
                        \"\"\"W (output_dimension x input_dimension) for the current theta.\"\"\"
                        w = torch.zeros(\(dOut * dIn), dtype=like.dtype, device=like.device)
                        return w.index_add(0, self._const("tiedPosition", like), self._coefficients(like)).view(\(dOut), \(dIn))

                    def _linear(self, x):
                        # \(k.nonzeroCount) of \(dOut * dIn) entries tied (density \(k.density)): scatter-add over them, no W.
                        position = self._const("tiedPosition", x)
                        products = x[:, position % \(dIn)] * self._coefficients(x)
                        y = torch.zeros(x.shape[0], \(dOut), dtype=x.dtype, device=x.device)
                        return y.index_add(1, position // \(dIn), products)
                    """)
            } else {
                p.print("# Strategy tied: W[e] = sign[e] * theta[index[e]] over W's entries (row-major); index weight_count is the appended zero.")
                printMaterialized(&p, weights!, prefix: prefix, constants: &c, basis: true)
            }
        case is DenseLayerEmitter:
            if let classes = weights {
                p.print("# Strategy dense: W's entries grouped by their linear form in theta.")
                printMaterialized(&p, classes, prefix: prefix, constants: &c, basis: true)
                return
            }
            let sparse = ExactOrReal.flattened(layer.basis.elements, inputDimension: dIn)
            c.add(prefix + "basisElement", int: sparse.element, basis: true)
            c.add(prefix + "basisPosition", int: sparse.position, basis: true)
            c.add(prefix + "basisValue", real: sparse.value, basis: true)
            p.print("""
                # Strategy dense: W = sum_i theta_i B_i from the sparse basis (entry e: B_element[e][position[e]] = value[e]).
                def weight_matrix(self, like):
                    \"\"\"W (output_dimension x input_dimension) for the current theta.\"\"\"
                    c = self._const("basisValue", like) * self.weight.to(like.dtype)[self._const("basisElement", like)]
                    w = torch.zeros(\(dOut * dIn), dtype=like.dtype, device=like.device)
                    return w.index_add(0, self._const("basisPosition", like), c).view(\(dOut), \(dIn))

                def _linear(self, x):
                    return F.linear(x, self.weight_matrix(x))

                def _affine(self, x):
                    return F.linear(x, self.weight_matrix(x), self.bias_vector(x))
                """)
        case let k as ClosedFormSymmetricEmitter:
            printClosedForm(&p, k.structure, prefix: prefix, constants: &c, weights: weights)
        case let k as GroupConvolutionEmitter:
            printConvolution(&p, k.structure, prefix: prefix, constants: &c)
        case let k as FactoredLayerEmitter:
            printFactored(&p, k.factored, prefix: prefix, constants: &c)
        default:
            preconditionFailure("PyTorchLayerEmitter: no torch form for \(kernel.strategy.rawValue)")
        }
    }

    func isSparseTied(_ k: TiedLayerEmitter) -> Bool {
        k.density <= PyTorchLayerEmitter.sparseMaximumDensity && layer.input.dimension * layer.output.dimension >= PyTorchLayerEmitter.sparseMinimumEntries
    }

    /// A dense layer's classes when W has at most `materializeMaximumEntries` entries and R at most
    /// `classRowsMaximumEntries`; nil for the index_add form.
    var denseClasses: PyTorchWeightClasses? {
        guard layer.input.dimension * layer.output.dimension <= PyTorchLayerEmitter.materializeMaximumEntries else { return nil }
        let classes = weightClasses
        return classes.rowsEntries <= PyTorchLayerEmitter.classRowsMaximumEntries ? classes : nil
    }

    /// W from its classes of entries, then one `F.linear` with the bias: the forward of the tied
    /// (not sparse), dense and small closed-form layers.
    private func printMaterialized(_ p: inout CodePrinter, _ classes: PyTorchWeightClasses, prefix: String, constants c: inout PyTorchConstants, basis: Bool) {
        let dIn = layer.input.dimension, dOut = layer.output.dimension
        classes.addConstants(&c, name: prefix + "weight", basis: basis)
        p.print("""
            def weight_matrix(self, like):
                \"\"\"W (\(dOut) x \(dIn)) for the current theta: \(classes.note).\"\"\"
                return (\(classes.expression(name: "weight", parameters: "self.weight.to(like.dtype)"))).view(\(dOut), \(dIn))

            def _linear(self, x):
                return F.linear(x, self.weight_matrix(x))

            def _affine(self, x):
                # W (\(classes.usesMatrix ? "one matrix-vector product" : "one gather")), then x W^T + b in one call.
                return F.linear(x, self.weight_matrix(x), self.bias_vector(x))
            """)
    }

    private func printClosedForm(_ p: inout CodePrinter, _ s: SymmetricStructure, prefix: String, constants c: inout PyTorchConstants, weights: PyTorchWeightClasses?) {
        c.add(prefix + "changeRow", int: s.change.map(\.row))
        c.add(prefix + "changeColumn", int: s.change.map(\.column))
        c.add(prefix + "changeValue", real: s.change.map { .exact($0.value) })
        let n = s.n
        func size(_ b: SymmetricStructure.Block) -> Int { b.rank == 0 ? 1 : b.rank == 1 ? n : n * n }
        let inputs = s.inputBlocks.map { "(\($0.offset), \(size($0)))" }
        let outputs = s.outputBlocks.map { "(\($0.offset), \(size($0)))" }
        p.print("# Strategy symmetric-closed-form: S_\(n) acting naturally; phi = C theta (exact C), then one partition")
        p.print("# diagram per coefficient: (output block, input block, output slots' parts, input slots' parts).")
        p.print("_n = \(n)")
        p.print("_input_blocks = \(PyTorchLayerEmitter.pythonList(inputs))  # (offset, size)")
        p.print("_input_ranks = \(PyTorchLayerEmitter.pythonList(s.inputBlocks.map { String($0.rank) }))")
        p.print("_output_blocks = \(PyTorchLayerEmitter.pythonList(outputs))")
        p.print("_output_ranks = \(PyTorchLayerEmitter.pythonList(s.outputBlocks.map { String($0.rank) }))")
        p.print("_diagrams = [")
        p.withIndentation { p in
            for d in s.diagrams {
                let outParts = d.parts[0..<d.outputRank].map(String.init), inParts = d.parts[d.outputRank...].map(String.init)
                p.print("(\(d.outputBlock), \(d.inputBlock), (\(outParts.joined(separator: ", "))\(outParts.count == 1 ? "," : "")), (\(inParts.joined(separator: ", "))\(inParts.count == 1 ? "," : ""))),")
            }
        }
        p.print("]")
        p.print("""

            def coefficients(self, like):
                \"\"\"phi = C theta, one coefficient per diagram.\"\"\"
                phi = torch.zeros(\(s.diagrams.count), dtype=like.dtype, device=like.device)
                theta = self.weight.to(like.dtype)[self._const("changeColumn", like)]
                return phi.index_add(0, self._const("changeRow", like), self._const("changeValue", like) * theta)
            """)
        if let weights {
            // Small layers: W from its classes of entries, then one F.linear with the bias (measured
            // faster in torch than the fused and pooled forms at these sizes; closedFormChoice).
            p.print()
            printMaterialized(&p, weights, prefix: prefix, constants: &c, basis: false)
        } else if closedForm == .fused {
            // The fused form (plan built in __init__ by fused_closed_form from _diagrams).
            p.print("""

                def _product(self, x, bias):
                    c = self._const("fusedForms", x) @ self.weight.to(x.dtype)
                    return ClosedFormProduct.apply(
                        x, c, bias, self._const("fusedPool", x, torch.float64), self._const("fusedPool", x),
                        self._const("fusedPositions", x), self._plan)

                def _linear(self, x):
                    return self._product(x, torch.zeros(\(layer.output.dimension), dtype=x.dtype, device=x.device))

                def _affine(self, x):
                    # Fused: x P, one addmm with H(theta) and the bias, the pair terms in place.
                    return self._product(x, self.bias_vector(x))
                """)
        }
        // The pooled form: the forward above the fused form's sizes, kept beside the others as
        // `_pooled` (a reference: one add_diagram per diagram).
        p.print("""

            def \(closedForm == .pooled ? "_linear" : "_pooled")(self, x):
                phi = self.coefficients(x)
                blocks = [x[:, o:o + m] for o, m in self._input_blocks]
                blocks64 = [b.to(torch.float64) if b.dtype != torch.float64 else None for b in blocks]
                out = [torch.zeros(x.shape[0], m, dtype=x.dtype, device=x.device) for o, m in self._output_blocks]
                for q, (ob, ib, out_parts, in_parts) in enumerate(self._diagrams):
                    add_diagram(out[ob], blocks[ib], blocks64[ib], self._n, in_parts, out_parts, phi[q])
                return torch.cat(out, dim=1)
            """)
    }

    private func printConvolution(_ p: inout CodePrinter, _ s: GroupConvolutionStructure, prefix: String, constants c: inout PyTorchConstants) {
        let cin = s.inputChannels, cout = s.outputChannels, order = s.order, support = s.offsets.count
        p.print("# Strategy group-convolution: y_o(g) = sum_i sum_h theta_{o,i}(h^-1 g) x_i(h), theta[(o * \(cin) + i) * \(support) + s].")
        var gatherTable: [Int]?
        switch s.multiplication {
        case .table(let t): gatherTable = t.map(Int.init)
        case .grid where s.offsets.count == s.order && s.order <= GroupConvolutionStructure.maximumTableOrder:
            // Full support on a small grid: W is dense anyway, so gather θ through the |G|² table of
            // offset indices and multiply (measured faster than conv here; BENCHMARKS.md).
            var t = [Int](repeating: 0, count: s.order * s.order)
            for (index, column) in s.columns().enumerated() { for pt in 0..<s.order { t[pt * s.order + column[pt]] = index } }
            gatherTable = t
        default: break
        }
        if let table = gatherTable {
            c.add(prefix + "convolutionTable", int: table)
            p.print("""
                def weight_matrix(self, like):
                    # W[o, i][p, q] = theta[o, i, table[p * |G| + q]]: a gather through the |G|^2 table.
                    theta = self.weight.to(like.dtype).view(\(cout), \(cin), \(support))
                    w = theta[:, :, self._const("convolutionTable", like)].view(\(cout), \(cin), \(order), \(order))
                    return w.permute(0, 2, 1, 3).reshape(\(cout * order), \(cin * order))

                def _linear(self, x):
                    return F.linear(x, self.weight_matrix(x))

                def _affine(self, x):
                    # The gathered W, then x W^T + b in one call.
                    return F.linear(x, self.weight_matrix(x), self.bias_vector(x))
                """)
            return
        }
        switch s.multiplication {
        case let .grid(shape):
            let inPoint = s.inputPoint.map { $0.map(Int.init) } ?? Array(0..<order)
            var outLabel = Array(0..<order)
            if let op = s.outputPoint { for (i, pt) in op.enumerated() { outLabel[Int(pt)] = i } }
            c.add(prefix + "gridInputPoint", int: inPoint)
            c.add(prefix + "gridOutputLabel", int: outLabel)
            let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
            if shape.count <= 3 {
                // Cross-correlation on the circularly padded grid: out[b] = sum_k w[k] x[b + k - padL];
                // with k = smax - s per axis this is sum_s theta_s x[b - s].
                var smin = [Int](repeating: 0, count: shape.count), smax = smin
                for j in shape.indices {
                    smin[j] = s.offsets.map { $0[j] }.min() ?? 0
                    smax[j] = s.offsets.map { $0[j] }.max() ?? 0
                }
                let kernel = shape.indices.map { smax[$0] - smin[$0] + 1 }
                var strides = [Int](repeating: 1, count: shape.count)
                for j in stride(from: shape.count - 2, through: 0, by: -1) { strides[j] = strides[j + 1] * kernel[j + 1] }
                let position = s.offsets.map { o in shape.indices.reduce(0) { $0 + (smax[$1] - o[$1]) * strides[$1] } }
                c.add(prefix + "kernelPosition", int: position)
                let kernelSize = kernel.reduce(1, *)
                let pads = shape.indices.reversed().flatMap { [smax[$0], -smin[$0]] }
                let kernelShape = "(" + ([cout, cin] + kernel).map(String.init).joined(separator: ", ") + ")"
                p.print("""
                    _grid = \(shapeText)

                    def kernel(self, like):
                        \"\"\"The convolution kernel, (out channels, in channels) + stencil, theta placed at smax - offset per axis.\"\"\"
                        k = torch.zeros(\(cout * cin), \(kernelSize), dtype=like.dtype, device=like.device)
                        theta = self.weight.to(like.dtype).view(\(cout * cin), \(support))
                        return k.index_add(1, self._const("kernelPosition", like), theta).view\(kernelShape)

                    def _linear(self, x):
                        b = x.shape[0]
                        grid = x.view(b, \(cin), \(order))[:, :, self._const("gridInputPoint", x)].reshape((b, \(cin)) + self._grid)
                        grid = F.pad(grid, \(PyTorchLayerEmitter.pythonList(pads.map(String.init))), mode="circular")
                        y = F.conv\(shape.count)d(grid, self.kernel(x))
                        return y.reshape(b, \(cout), \(order))[:, :, self._const("gridOutputLabel", x)].reshape(b, \(cout * order))
                    """)
            } else {
                let offsets = s.offsets.map { "(" + $0.map(String.init).joined(separator: ", ") + ")" }
                p.print("""
                    _grid = \(shapeText)
                    _offsets = \(PyTorchLayerEmitter.pythonList(offsets))

                    def _linear(self, x):
                        # More than three axes: a sum over the support of rolled grids (roll(x, s)[b] = x[b - s]).
                        b = x.shape[0]
                        axes = tuple(range(2, 2 + len(self._grid)))
                        grid = x.view(b, \(cin), \(order))[:, :, self._const("gridInputPoint", x)].reshape((b, \(cin)) + self._grid)
                        theta = self.weight.to(x.dtype).view(\(cout), \(cin), \(support))
                        y = None
                        for j, s in enumerate(self._offsets):
                            term = torch.einsum("oi,bi...->bo...", theta[:, :, j], torch.roll(grid, shifts=s, dims=axes))
                            y = term if y is None else y + term
                        return y.reshape(b, \(cout), \(order))[:, :, self._const("gridOutputLabel", x)].reshape(b, \(cout * order))
                    """)
            }
        case .table:
            preconditionFailure("handled above")
        }
    }

    private func printFactored(_ p: inout CodePrinter, _ f: FactoredIntertwiner, prefix: String, constants c: inout PyTorchConstants) {
        c.add(prefix + "factorInput", real: f.inputChange.elements.map(ExactOrReal.real), basis: true)
        c.add(prefix + "factorOutput", real: f.outputChange.elements.map(ExactOrReal.real), basis: true)
        var maps: [ExactOrReal] = []
        var rows: [String] = []
        var zPosition: [Int] = []
        for b in f.blocks {
            rows.append("(\(b.irreducibleDimension), \(b.maps.count), \(b.inputCopies), \(b.outputCopies), \(b.inputOffset), \(b.parameterOffset), \(maps.count))")
            for m in b.maps { maps += m.elements.map(ExactOrReal.real) }
            zPosition += Array(b.outputOffset..<(b.outputOffset + b.rows))
        }
        c.add(prefix + "blockMaps", real: maps, basis: true)
        c.add(prefix + "blockOutputPosition", int: zPosition)
        let rIn = f.inputChange.rows, rOut = f.outputChange.columns
        p.print("""
            # Strategy factored: W = P_out (K_1 + ... + K_r) P_in; K_p's (j, i) block is sum_a theta[offset + (j m_in + i) e + a] M_a.
            # Blocks: (d, e, m_in, m_out, row offset in P_in, theta offset, offset in blockMaps).
            _blocks = \(PyTorchLayerEmitter.pythonList(rows))

            def _linear(self, x):
                p_in = self._const("factorInput", x).view(\(rIn), \(layer.input.dimension))
                p_out = self._const("factorOutput", x).view(\(layer.output.dimension), \(rOut))
                maps = self._const("blockMaps", x)
                theta = self.weight.to(x.dtype)
                u = x @ p_in.T
                parts = []
                for d, e, m_in, m_out, row, offset, map_offset in self._blocks:
                    t = theta[offset:offset + m_out * m_in * e].view(m_out, m_in, e)
                    m = maps[map_offset:map_offset + e * d * d].view(e, d, d)
                    k = torch.einsum("jia,ars->jris", t, m).reshape(m_out * d, m_in * d)
                    parts.append(u[:, row:row + m_in * d] @ k.T)
                z = torch.zeros(x.shape[0], \(rOut), dtype=x.dtype, device=x.device)
                if parts:
                    z = z.index_copy(1, self._const("blockOutputPosition", x), torch.cat(parts, dim=1))
                return z @ p_out.T
            """)
    }
}

extension CodePrinter {
    /// Appends already-printed text as it is.
    mutating func print(_ text: String, terminator: Bool) {
        var t = text
        if !terminator, t.hasSuffix("\n") { t.removeLast() }
        print(t)
    }
}
