import GroupTheory

/// Emits a generated network as a `torch.nn.Module`: one class per layer (`NAME_Layer1` …, each
/// a `PyTorchLayerEmitter` class with the Swift emitter's strategy), the equivariant
/// nonlinearity after every hidden layer (ReLU / tanh / norm gates as planned by
/// `NonlinearityPlan`) and, when the last representation is trivial, the invariant head (the
/// last layer pools over orbits). `NAME(seed=S)` seeds layer i with S + i · 0x9E3779B97F4A7C15
/// (mod 2^64) and the gate biases with 0, as the Swift network does.
///
/// ```swift
/// let files = try PyTorchNetworkEmitter(network: net, header: header).files(baseName: "SetNet")
/// ```
public struct PyTorchNetworkEmitter {
    public let network: NetworkDescription
    public let header: GeneratedFileHeader
    public let layerEmitters: [PyTorchLayerEmitter]

    public init(network: NetworkDescription, header: GeneratedFileHeader) throws(CodeGenerationError) {
        try PyTorchLayerEmitter.validateClassName(network.typeName)
        self.network = network
        self.header = header
        var emitters: [PyTorchLayerEmitter] = []
        for layer in network.layers { emitters.append(try PyTorchLayerEmitter(layer: layer, header: header)) }
        layerEmitters = emitters
    }

    public func files(baseName: String) -> (source: String, tensors: SafetensorsFile) {
        let net = network, name = net.typeName, count = net.layers.count
        let q = PyTorchLayerEmitter.pythonString
        var constants = PyTorchConstants()
        var body = CodePrinter()
        for (i, e) in layerEmitters.enumerated() {
            e.printClass(into: &body, className: "\(name)_Layer\(i + 1)", prefix: "layer\(i + 1).", constants: &constants)
            body.print()
            body.print()
        }
        body.print("class \(name)(ConstantsMixin, torch.nn.Module):")
        body.withIndentation { p in
            p.print("""
                \"\"\"An equivariant network \(PyTorchLayerEmitter.comment(net.expressions.joined(separator: " -> "))): layers \(name)_Layer1 ... \(name)_Layer\(count) with
                an equivariant nonlinearity after each hidden layer\(net.isInvariant ? "; the last layer is the invariant head" : "").
                Law: forward(act_on_input(g, x)) == act_on_output(g, forward(x)) for every group element g.\"\"\"

                generator_names = \(PyTorchLayerEmitter.pythonList(net.generatorNames.map(q)))
                group_name = \(q(net.groupName))
                group_order = \(q(net.groupOrder))
                representations = \(PyTorchLayerEmitter.pythonList(net.expressions.map(q)))
                input_dimension = \(net.representations[0].dimension)
                output_dimension = \(net.representations[count].dimension)
                weight_count = \(net.weightCount)
                bias_count = \(net.biasCount)
                gate_count = \(net.gateCount)
                is_invariant = \(net.isInvariant ? "True" : "False")
                forward_strategies = \(PyTorchLayerEmitter.pythonList(layerEmitters.map { q($0.strategy.rawValue) }))

                def __init__(self, seed=0, float64_inside=True):
                    \"\"\"Layer i (0-based) draws theta from seed + i * 0x9E3779B97F4A7C15 as the Swift network does;
                    biases and gate biases 0. With float64_inside (the default, as the Swift network's Float
                    forward pass) a float32 input is computed in float64 and rounded once at the end: a stack
                    of float32 layers loses equivariance to cancellation where the output is small next to the
                    hidden activations. float64_inside=False computes in the input's dtype throughout.\"\"\"
                    super().__init__()
                    self.float64_inside = float64_inside
                    self._constants = {k: v for k, v in _constants("layer1.").items() if k.startswith("input")}
                    self._constants.update({k: v for k, v in _constants("layer\(count).").items() if k.startswith("output")})
                """)
            p.withIndentation { p in
                for i in 1...count { p.print("self.layer\(i) = \(name)_Layer\(i)(seed=layer_seed(seed, \(i - 1)))") }
                for (h, plan) in net.nonlinearities.enumerated() {
                    let relu = PyTorchLayerEmitter.pythonList(plan.reluCoordinates.map(String.init))
                    let tanh = PyTorchLayerEmitter.pythonList(plan.tanhCoordinates.map(String.init))
                    let norm = PyTorchLayerEmitter.pythonList(plan.normBlocks.map { PyTorchLayerEmitter.pythonList($0.map(String.init)) })
                    p.print("# After layer \(h + 1) (\(PyTorchLayerEmitter.comment(plan.expression))): \(PyTorchLayerEmitter.comment(plan.summary)).")
                    p.print("self.activation\(h + 1) = EquivariantActivation(\(plan.dimension), \(relu), \(tanh), \(norm))")
                }
                p.print("parameter(self, \"gates\", torch.zeros(self.gate_count, dtype=torch.float32))")
            }
            p.print()
            p.print("def layers(self):")
            p.print("    return [\((1...count).map { "self.layer\($0)" }.joined(separator: ", "))]")
            p.print()
            p.print("""
                def flat_parameters(self):
                    \"\"\"(weights, bias) as the Swift network orders them: every layer's theta; every layer's bias, then the gates.\"\"\"
                    layers = self.layers()
                    return (torch.cat([l.weight.reshape(-1) for l in layers]),
                            torch.cat([l.bias.reshape(-1) for l in layers] + [self.gates.reshape(-1)]))

                def _set_flat(self, weights, bias):
                    w = b = 0
                    for l in self.layers():
                        l._set_flat(weights[w:w + l.weight_count], bias[b:b + l.bias_count])
                        w += l.weight_count
                        b += l.bias_count
                    self.gates.copy_(bias[b:].to(self.gates.dtype))

                def forward(self, x):
                    \"\"\"f(x) for each row of x, shape (batch, input_dimension) -> (batch, output_dimension).\"\"\"
                    self._check_input(x)
                    if self.float64_inside and x.dtype != torch.float64:
                        return self._forward(x.to(torch.float64)).to(x.dtype)
                    return self._forward(x)

                def _forward(self, x):
                """)
            p.withIndentation { p in
                var gateOffset = 0
                for i in 1...count {
                    p.print("x = self.layer\(i)(x)")
                    if i < count {
                        let g = net.nonlinearities[i - 1].gateCount
                        p.print("x = self.activation\(i)(x, self.gates[\(gateOffset):\(gateOffset + g)].to(x.dtype))")
                        gateOffset += g
                    }
                }
                p.print("return x")
            }
        }
        let fingerprint = PyTorchLayerEmitter.fingerprint(className: name, layers: net.layers, strategies: layerEmitters.map(\.strategy))
        var p = CodePrinter()
        PyTorchLayerEmitter.printHeader(&p, header: header, lines: [
            "an equivariant network as a torch.nn.Module",
            "Spec: \(header.spec) (group \(net.groupName), order \(net.groupOrder))",
            "Representations: \(net.expressions.joined(separator: " -> ")) (dimensions \(net.representations.map { String($0.dimension) }.joined(separator: " -> ")))",
            "Parameters: \(net.weightCount) weights, \(net.biasCount) bias parameters (\(net.gateCount) gates)",
            "Forward strategies: \(layerEmitters.map(\.strategy.rawValue).joined(separator: ", "))",
            "Type: \(name)",
        ])
        let tensors = constants.safetensors(fingerprint: fingerprint)
        PyTorchLayerEmitter.printPreamble(&p, constants: constants, file: tensors.isEmpty ? nil : baseName + ".safetensors", fingerprint: fingerprint)
        p.print(PyTorchSupport.activation)
        p.print()
        p.print()
        p.print(body.content, terminator: false)
        return (p.content, tensors)
    }
}
