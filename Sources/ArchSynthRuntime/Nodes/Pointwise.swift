/// A pointwise nonlinearity σ applied to every coordinate in `coordinates` (others pass
/// through). Law: commutes with every permutation of coordinates that maps `coordinates` to
/// itself; an odd σ (tanh) also commutes with sign changes.
public struct Pointwise: ParameterFreeNode, CoordinatewiseNode, ScalarSpecializedNode {
    /// σ: `relu` (max(0, x), slope 0 at x ≤ 0), `tanh`, or `identity`.
    public enum Function: String, Sendable { case relu, tanh, identity }

    /// The size of x and the output.
    public let size: Int
    /// σ.
    public let function: Function
    /// The coordinates σ applies to; nil means all.
    public let coordinates: [Int]?

    /// σ on `coordinates` (nil: all) of an input of `size` values.
    public init(size: Int, function: Function, coordinates: [Int]? = nil) {
        self.size = size
        self.function = function
        self.coordinates = coordinates
    }

    /// ReLU on every coordinate.
    public static func relu(size: Int) -> Pointwise { Pointwise(size: size, function: .relu) }
    /// tanh on every coordinate.
    public static func tanh(size: Int) -> Pointwise { Pointwise(size: size, function: .tanh) }

    /// σ(x) on the chosen coordinates (specialized for Double and Float by `ScalarSpecializedNode`); the pullback multiplies ȳ by σ'.
    /// - Complexity: O(size).
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let x = inputs[0], which = coordinates
        var y = x, slope = [T](repeating: T(1), count: size)
        // Every chosen coordinate in order (all of them without building an index array).
        func forEachChosen(_ body: (Int) -> Void) {
            if let which { for i in which { body(i) } } else { for i in 0..<size { body(i) } }
        }
        switch function {
        case .relu where which == nil:
            // Every coordinate: one pass over raw buffers (the hot case, ReLU between convolutions),
            // selects instead of a branch on the sign (which half the values take at random).
            y.withUnsafeMutableBufferPointer { yb in
                slope.withUnsafeMutableBufferPointer { sb in
                    for i in 0..<yb.count {
                        let negative = yb[i].primal <= 0
                        yb[i] = negative ? T.zero : yb[i]
                        sb[i] = negative ? T.zero : sb[i]
                    }
                }
            }
        case .relu:
            forEachChosen { i in
                if x[i].primal <= 0 {
                    y[i] = T.zero
                    slope[i] = T.zero
                }
            }
        case .tanh:
            forEachChosen { i in
                let t = T.tanh(x[i])
                y[i] = t
                slope[i] = T(1) - t * t
            }
        case .identity: break
        }
        let slopes = slope
        return (y, { dy in
            precondition(dy.count == slopes.count, "Pointwise: an output gradient of \(dy.count) values for an output of \(slopes.count)")
            var dx = dy
            dx.withUnsafeMutableBufferPointer { d in
                slopes.withUnsafeBufferPointer { s in for i in 0..<d.count { d[i] *= s[i] } }
            }
            return NodeGradient(parameters: [], inputs: [dx])
        })
    }
}

/// The norm nonlinearity x_B ↦ x_B · sigmoid(‖x_B‖ + b_B) on each block B, one learned gate bias
/// b_B per block. Law: commutes with every orthogonal action that preserves each block.
public struct NormGate: BlockGateNode {
    /// The size of x and the output.
    public let size: Int
    /// The blocks B: each a list of coordinates with one gate (coordinates outside every block pass through).
    public let blocks: [[Int]]

    /// The norm gate on these blocks of an input of `size` values.
    public init(size: Int, blocks: [[Int]]) {
        self.size = size
        self.blocks = blocks
    }

    /// x_B · sigmoid(‖x_B‖ + b_B) per block; the pullback gives b̄ and x̄ (the norm term is dropped where ‖x_B‖ = 0).
    /// - Complexity: O(size + Σ|B|).
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "NormGate")
        let x = inputs[0], blocks = self.blocks
        var y = x
        var norms = [T](), gates = [T]()
        for (b, block) in blocks.enumerated() {
            var s = T.zero
            for i in block { s += x[i] * x[i] }
            let n = T.sqrt(s), g = T.sigmoid(n + parameters[b])
            norms.append(n)
            gates.append(g)
            for i in block { y[i] = x[i] * g }
        }
        return (y, { dy in
            var dx = dy, db = [T](repeating: T.zero, count: blocks.count)
            for (b, block) in blocks.enumerated() {
                let g = gates[b], n = norms[b]
                var dot = T.zero
                for i in block { dot += dy[i] * x[i] }
                let dg = dot * g * (T(1) - g)  // ∂L/∂(‖x‖ + b)
                db[b] = dg
                for i in block {
                    dx[i] = dy[i] * g + (n.primal > 0 ? dg * x[i] / n : T.zero)
                }
            }
            return NodeGradient(parameters: db, inputs: [dx])
        })
    }
}
