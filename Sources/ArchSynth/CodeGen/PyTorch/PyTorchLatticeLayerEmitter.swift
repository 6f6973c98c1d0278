import ArchSynthRuntime
import GroupTheory

/// Emits a steerable lattice convolution (a wallpaper or space group with `--support k`, issue 21)
/// as a `torch.nn.Module`: the same function as the Swift layer `LatticeLayerEmitter` writes for the
/// same command, in the same coordinates, with the same seeded θ.
///
///     y_o(x) = b_o + Σ_i Σ_{s ∈ S} κ_{o,i}(s) f_i(x + s),   κ_{o,i}(s) = Σ_j θ_{o,i,j} K_j(s)
///
/// Coordinates (as the Swift layer): input value (i · points + x) · d_in + a for channel i, grid
/// point x (row-major, slowest axis first) and field component a; output (o · points + x) · d_out + r;
/// θ_{o,i,j} at (o · c_in + i) · m + j; bias β_{o,j} at o · n_b + j with b_o = Σ_j β_{o,j} v_j, the v_j
/// the fixed vectors of ρ_out.
///
/// The forward pass: K = Σ_j θ_j B_j for every channel pair by one `einsum` over the dense kernel
/// basis B (m × d_out × d_in × window, built once at construction from the stored entries; the
/// window is the stencil's bounding box, zero where the stencil has no point, as for the hexagonal
/// stencils), then one `F.conv2d` / `F.conv3d` (a cross-correlation: out[x] = Σ_k w[k] in[x + k − pad],
/// so offset s sits at window position s − s_min) on the grid padded circularly by −s_min before and
/// s_max after along each axis, with the bias as the convolution's bias. Gradients come from autograd.
///
/// The `.safetensors` file beside the module holds the kernel basis as coordinate lists (entry e:
/// element, stencil offset index, output component, input component, value: the solver's basis,
/// exact values rounded once to float64), never anything of size |G|; the stencil, the ρ images of
/// the point generators and the bias vectors are literals in the module.
///
/// ```swift
/// let swift = LatticeLayerEmitter(convolution: conv, generatorNames: names, typeName: "Lift", inputExpression: "field(trivial)",
///                                 outputExpression: "8*field(regular)", header: header)
/// let files = try PyTorchLatticeLayerEmitter(layer: swift).files(baseName: "Lift")
/// ```
public struct PyTorchLatticeLayerEmitter {
    /// The Swift layer's emitter for the same command (names, dimensions, group, basis).
    public let layer: LatticeLayerEmitter

    /// - Throws: `CodeGenerationError` when the class name cannot be used in Python, or the
    ///   stencil's bounding box does not fit inside the grid (circular padding wraps at most once).
    public init(layer: LatticeLayerEmitter) throws(CodeGenerationError) {
        try PyTorchLayerEmitter.validateClassName(layer.typeName)
        let conv = layer.convolution
        for (axis, side) in conv.lattice.sides.enumerated() {
            let coordinates = conv.stencil.map { $0[axis] }
            let reach = max(-(coordinates.min() ?? 0), coordinates.max() ?? 0)
            guard reach <= side else {
                throw .tooLarge("the stencil reaches \(reach) points along axis \(axis) of a grid with side \(side); circular padding wraps once at most: use a smaller --support or a larger grid")
            }
        }
        self.layer = layer
    }

    /// The window: per axis, the least offset and the window's width.
    var window: (minimum: [Int], width: [Int]) {
        let conv = layer.convolution
        let axes = conv.lattice.sides.indices
        let low = axes.map { a in conv.stencil.map { $0[a] }.min() ?? 0 }
        let high = axes.map { a in conv.stencil.map { $0[a] }.max() ?? 0 }
        return (low, axes.map { high[$0] - low[$0] + 1 })
    }

    /// How the module computes the layer (its `forward_strategy_note`).
    public var strategyNote: String {
        let conv = layer.convolution
        let w = window.width.map(String.init).joined(separator: "×")
        return "K = Σ θ_j B_j by one einsum over the \(conv.kernelBasis.dimension) kernel basis elements on a \(w) window (\(conv.stencil.count) stencil points), then one conv\(conv.lattice.sides.count)d on the circularly padded grid"
    }

    /// The module source and the tensors of `baseName.safetensors`.
    public func files(baseName: String) -> (source: String, tensors: SafetensorsFile) {
        let conv = layer.convolution
        var constants = PyTorchConstants()
        var body = CodePrinter()
        printClass(into: &body, constants: &constants)
        let fingerprint = PyTorchLayerEmitter.fingerprint(className: layer.typeName, parts: [
            "\(layer.inputDimension):\(layer.outputDimension):\(conv.weightCount):\(conv.biasCount):lattice-convolution:\(conv.stencil.count):\(conv.kernelBasis.dimension)",
        ])
        return PyTorchLayerEmitter.assemble(header: layer.header, lines: [
            "a steerable lattice convolution as a torch.nn.Module",
            "Spec: \(layer.header.spec) (group \(layer.groupName), order \(layer.groupOrder))",
            "Input: \(layer.inputExpression) (dimension \(layer.inputDimension)); output: \(layer.outputExpression) (dimension \(layer.outputDimension))",
            "Parameters: \(conv.weightCount) weights (\(conv.outputChannels) × \(conv.inputChannels) channel pairs × \(conv.kernelBasis.dimension) kernel basis elements), \(conv.biasCount) bias parameters; basis method: \(conv.kernelBasis.method)",
            "Certificate: \(conv.kernelBasis.crossCheck.certificate) (Hom_P(ρ_in, π_S ⊗ ρ_out) of the point group)",
            "Forward strategy: lattice-convolution (\(strategyNote))",
            "Type: \(layer.typeName)",
        ], constants: constants, body: body, baseName: baseName, fingerprint: fingerprint)
    }

    /// The bound a of θ ~ U(−a, a), computed as the Swift layer's runtime computes it (bit for bit).
    var initializationBound: Double {
        let conv = layer.convolution
        let e = conv.kernelEntries
        let basis = LatticeKernelBasis(
            count: conv.kernelBasis.dimension, offsetCount: conv.stencil.count, rows: conv.fieldOutputDimension, columns: conv.fieldInputDimension,
            element: e.element.map(Int32.init), offset: e.offset.map(Int32.init), row: e.row.map(Int32.init), column: e.column.map(Int32.init),
            value: e.value.map(\.doubleValue))
        return SteerableLatticeConvolution.initializationBound(basis: basis, inputChannels: conv.inputChannels, outputFieldDimension: conv.fieldOutputDimension)
    }

    static func tuple(_ v: [Int]) -> String { "(" + v.map(String.init).joined(separator: ", ") + (v.count == 1 ? ",)" : ")") }

    func printClass(into p: inout CodePrinter, constants c: inout PyTorchConstants) {
        let conv = layer.convolution
        let q = PyTorchLayerEmitter.pythonString
        let cin = conv.inputChannels, cout = conv.outputChannels, din = conv.fieldInputDimension, dout = conv.fieldOutputDimension
        let m = conv.kernelBasis.dimension, nb = conv.biasBasis.dimension, points = conv.points
        let sides = conv.lattice.sides, dim = sides.count
        let (low, width) = window
        // Window position of each stencil offset (row-major over the window), s − s_min per axis.
        let position = conv.stencil.map { s in s.indices.reduce(0) { $0 * width[$1] + s[$1] - low[$1] } }
        let pads = sides.indices.reversed().flatMap { [-low[$0], width[$0] - 1 + low[$0]] }
        let e = conv.kernelEntries
        c.add("basisElement", int: e.element, basis: true)
        c.add("basisOffset", int: e.offset, basis: true)
        c.add("basisRow", int: e.row, basis: true)
        c.add("basisColumn", int: e.column, basis: true)
        c.add("basisValue", real: e.value, basis: true)
        c.add("stencilPosition", int: position)
        c.add("biasBasis", real: conv.biasVectors)
        func images(_ r: Representation) -> [ExactOrReal] {
            if let exact = r.rationalImages { return exact.flatMap { $0.elements.map(ExactOrReal.exact) } }
            return r.realImages.flatMap { $0.elements.map(ExactOrReal.real) }
        }
        // The point generators' ρ images (a trivial point group has none; the solver's padded identity is not one).
        let pointCount = conv.lattice.pointGenerators.count
        c.add("inputRho", real: pointCount == 0 ? [] : images(conv.pointInput))
        c.add("outputRho", real: pointCount == 0 ? [] : images(conv.pointOutput))
        let generators = PyTorchLayerEmitter.pythonList(conv.lattice.pointGenerators.map { g in
            PyTorchLayerEmitter.pythonList(g.matrix.map { PyTorchLayerEmitter.pythonList($0.map(String.init)) })
        })
        let windowText = Self.tuple(width)
        let spatial = ["x", "y", "z", "w"].prefix(dim).joined()
        p.print("class \(layer.typeName)(ConstantsMixin, torch.nn.Module):")
        p.withIndentation { p in
            p.print("""
                \"\"\"A steerable lattice convolution y_o(x) = b_o + sum_i sum_{s in S} kappa_{o,i}(s) f_i(x + s) with
                kappa_{o,i}(s) = sum_j theta_{o,i,j} K_j(s) over the exact kernel basis, the grid periodic.
                Coordinates (the Swift layer's): input (i * points + x) * d_in + a, output (o * points + x) * d_out + r,
                points row-major (slowest axis first); theta_{o,i,j} at (o * c_in + i) * m + j; beta_{o,j} at o * n_b + j.
                Law: forward(act_on_input(g, x)) == act_on_output(g, forward(x)) for every g = (t, p) of the group,
                (g.f)_c(p x + t) = rho(p) f_c(x).\"\"\"

                generator_names = \(PyTorchLayerEmitter.pythonList(layer.generatorNames.map(q)))
                group_name = \(q(layer.groupName))
                group_order = \(q(layer.groupOrder))
                input_representation = \(q(layer.inputExpression))
                output_representation = \(q(layer.outputExpression))
                input_dimension = \(layer.inputDimension)
                output_dimension = \(layer.outputDimension)
                weight_count = \(conv.weightCount)
                bias_count = \(conv.biasCount)
                basis_method = \(q(conv.kernelBasis.method.description))
                forward_strategy = "lattice-convolution"
                forward_strategy_note = \(q(strategyNote))
                # Bound a of theta ~ U(-a, a): a^2 = 3 d_out / (c_in sum_j ||K_j||^2), as the Swift layer's.
                initialization_bound = \(SwiftLiteral.double(initializationBound))
                sides = \(Self.tuple(sides))
                point_generators = \(generators)
                input_fields = (\(cin), \(din))  # (channels, field dimension)
                output_fields = (\(cout), \(dout))
                kernel_basis_count = \(m)
                bias_basis_count = \(nb)
                # The stencil's bounding box and the circular padding (F.pad order: last axis first, before/after).
                window = \(windowText)
                padding = \(PyTorchLayerEmitter.pythonList(pads.map(String.init)))

                def __init__(self, seed=0):
                    \"\"\"theta ~ U(-a, a) from SplitMix64(seed) as the Swift layer draws it; bias 0.\"\"\"
                    super().__init__()
                    self._constants = _constants("")
                    c = self._constants
                    # The dense kernel basis B[j, r, a, window] (float64) from the stored entries.
                    basis = torch.zeros(\(m), \(dout), \(din), \(width.reduce(1, *)), dtype=torch.float64)
                    place = (c["basisElement"], c["basisRow"], c["basisColumn"], c["stencilPosition"][c["basisOffset"]])
                    basis.index_put_(place, c["basisValue"], accumulate=True)
                    c["kernelBasis"] = basis.view((\(m), \(dout), \(din)) + self.window)
                    c["biasBasis"] = c["biasBasis"].view(\(nb), \(dout))
                    # Where each generator sends each grid point: unit translations, then the point generators.
                    axes = [torch.arange(n) for n in self.sides]
                    coords = torch.stack(torch.meshgrid(*axes, indexing="ij"), dim=-1).reshape(-1, \(dim))
                    side = torch.tensor(self.sides)
                    strides = torch.tensor([\((0..<dim).map { a in String(sides[(a + 1)...].reduce(1, *)) }.joined(separator: ", "))])
                    moved = [coords + torch.eye(\(dim), dtype=torch.int64)[k] for k in range(\(dim))]
                    moved += [(torch.tensor(g, dtype=torch.int64)[None] * coords[:, None, :]).sum(-1) for g in self.point_generators]
                    c["targets"] = torch.stack([(torch.remainder(v, side) * strides).sum(-1) for v in moved])
                    parameter(self, "weight", seeded_weights(seed, self.weight_count, self.initialization_bound))
                    parameter(self, "bias", torch.zeros(self.bias_count, dtype=torch.float32))

                def _set_flat(self, weights, bias):
                    self.weight.copy_(weights.to(self.weight.dtype))
                    self.bias.copy_(bias.to(self.bias.dtype))

                def kernel(self, like):
                    \"\"\"The convolution weight K[o * d_out + r, i * d_in + a, window] = sum_j theta_{o,i,j} B_j[r, a, window].\"\"\"
                    theta = self.weight.to(like.dtype).view(\(cout), \(cin), \(m))
                    k = torch.einsum("oij,jra\(spatial)->oria\(spatial)", theta, self._const("kernelBasis", like))
                    return k.reshape((\(cout * dout), \(cin * din)) + self.window)

                def bias_vector(self, like):
                    \"\"\"b[o * d_out + r] = sum_j beta_{o,j} v_j[r], the v_j the fixed vectors of rho_out.\"\"\"
                    beta = self.bias.to(like.dtype).view(\(cout), \(nb))
                    return (beta @ self._const("biasBasis", like)).reshape(\(cout * dout))

                def forward(self, x):
                    \"\"\"y = layer(x) for each row of x, shape (batch, input_dimension) -> (batch, output_dimension).\"\"\"
                    self._check_input(x)
                    b = x.shape[0]
                    f = x.reshape(b, \(cin), \(points), \(din)).transpose(2, 3).reshape((b, \(cin * din)) + self.sides)
                    f = F.pad(f, self.padding, mode="circular")
                    y = F.conv\(dim)d(f, self.kernel(x), self.bias_vector(x))
                    return y.reshape(b, \(cout), \(dout), \(points)).transpose(2, 3).reshape(b, \(layer.outputDimension))

                def _act(self, side, g, x):
                    \"\"\"Generator g on each row of x: (g.f)_c(p x + t) = rho(p) f_c(x); g < \(dim) is the unit translation
                    along axis g, then the point generators.\"\"\"
                    if not 0 <= g < len(self.generator_names):
                        raise ValueError(f"generator index {g} out of range 0..<{len(self.generator_names)}")
                    channels, d = self.input_fields if side == "input" else self.output_fields
                    f = x.reshape(-1, channels, \(points), d)
                    if g >= \(dim):
                        f = f @ self._const(side + "Rho", x).view(-1, d, d)[g - \(dim)].T
                    target = self._constants["targets"][g].to(x.device)
                    return torch.zeros_like(f).index_copy(2, target, f).reshape(x.shape)
                """)
        }
    }
}
