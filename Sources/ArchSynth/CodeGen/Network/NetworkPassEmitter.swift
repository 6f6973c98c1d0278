/// The network's forward pass, its trace (pre-activations and activations) and backward pass
/// through every layer and nonlinearity, for one precision.
struct NetworkPassEmitter {
    let n: NetworkConstruct
    let s: ScalarType
    init(_ n: NetworkConstruct, scalar: ScalarType) {
        self.n = n
        s = scalar
    }

    /// The precision the batch forward pass computes in. Float in and out, Float64 inside: a
    /// stack of Float layers loses equivariance to cancellation when outputs are small next to
    /// hidden activations (measured 1.3e-3 relative on ×1e4 inputs with U(−1, 1) weights, S_5,
    /// 3 layers); with Float64 accumulation the error is the final rounding. Training
    /// (`trainStep`) runs in Float.
    static let forwardPrecision = ScalarType.double

    private var gates: String { n.network.gateCount > 0 ? n.gates(s) : "[]" }

    func printForward(_ p: inout CodePrinter) {
        let S = s.name, layerCount = n.layerCount
        p.print("""
            // MARK: Forward (\(S))
            \(GeneratedModelAPI.forwardSingle(s, doc: "f(x) for one input of `inputDimension` values."))

            /// The forward pass on `count` row-major inputs.
            """)
        let inner = Self.forwardPrecision
        if s != inner {
            p.print("/// Computed in \(inner.name) and rounded once at the end, so equivariance holds to \(S) rounding")
            p.print("/// of the output even where hidden activations cancel; `trainStep` runs in Float.")
            p.block(GeneratedModelAPI.forwardBatchSignature(s)) { p in
                p.print(inner.converting("forward(batch: \(s.converting("batch", to: inner)), count: count)", to: s))
            }
        } else {
            p.block(GeneratedModelAPI.forwardBatchSignature(s)) { p in
                p.print("let g: [\(S)] = \(gates)")
                p.print("var a = batch")
                for i in 1...layerCount {
                    p.print("a = layer\(i).forward(batch: a, count: count)")
                    if i < layerCount { p.print("a = Self._activation\(i).forward(a, count: count, gates: g)") }
                }
                p.print("return a")
            }
        }
        p.print()
        p.print("/// Pre-activations z_i (layer outputs) and activations a_i (a_0 = input, a_L = output) of a batch.")
        p.block("func _trace(_ batch: [\(S)], count: Int, gates g: [\(S)]) -> (a: [[\(S)]], z: [[\(S)]])") { p in
            p.print("var a: [[\(S)]] = [batch], z: [[\(S)]] = []")
            for i in 1...layerCount {
                p.print("z.append(layer\(i).forward(batch: a[\(i - 1)], count: count))")
                p.print(i < layerCount ? "a.append(Self._activation\(i).forward(z[\(i - 1)], count: count, gates: g))" : "a.append(z[\(i - 1)])")
            }
            p.print("return (a, z)")
        }
    }

    func printBackward(_ p: inout CodePrinter) {
        let S = s.name, layerCount = n.layerCount
        p.print("""
            // MARK: Backward (\(S))
            \(GeneratedModelAPI.backwardSingleAndBatchOpening(s, doc: "Gradients of a loss L given ∂L/∂f(x): ∂L/∂weights, ∂L/∂bias (gates last) and ∂L/∂x."))
                let g: [\(S)] = \(gates)
                let t = _trace(batch, count: count, gates: g)
                return _backward(t.a, t.z, outputGradient, count: count, gates: g)
            }

            """)
        p.block("func _backward(_ a: [[\(S)]], _ z: [[\(S)]], _ dy: [\(S)], count: Int, gates g: [\(S)]) -> (weights: [\(S)], bias: [\(S)], input: [\(S)])") { p in
            p.print("var dGates = [\(S)](repeating: 0, count: Self.gateCount)")
            p.print("var d = dy")
            for i in stride(from: layerCount, through: 1, by: -1) {
                p.print("let g\(i) = layer\(i).backward(batch: a[\(i - 1)], outputGradient: d, count: count)")
                if i > 1 {
                    p.print("d = Self._activation\(i - 1).backward(z[\(i - 2)], g\(i).input, count: count, gates: g, gateGradient: &dGates)")
                }
            }
            if layerCount > 1 { p.print("_ = d") }
            let ws = (1...layerCount).map { "g\($0).weights" }.joined(separator: " + ")
            let bs = (1...layerCount).map { "g\($0).bias" }.joined(separator: " + ")
            p.print("return (\(ws), \(bs) + dGates, g1.input)")
        }
    }
}
