/// Central finite differences against a node's pullback, and exact Hessian-vector products.
public enum Derivatives {
    /// The worst relative error between the pullback's gradients and fourth-order central
    /// finite differences of s = ⟨u, f(θ; x)⟩ for a fixed random direction u,
    /// (−s(+2h) + 8s(+h) − 8s(−h) + s(−2h)) / 12h with h scaled to each coordinate.
    /// The error is measured per block (the parameters, and each input) as
    /// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖), the usual gradient-check norm, so a
    /// coordinate whose derivative is ~0 is judged against the block rather than against
    /// rounding noise. A block whose difference is within the difference quotient's own rounding
    /// (100·ε·|s|/h per coordinate) counts as exact: an input the output does not depend on has
    /// the exact gradient 0, and its quotient is rounding noise (~ε·|s|/h), not 0.
    /// `coordinate` names the block and its worst coordinate.
    public static func finiteDifferenceError(
        of node: any DifferentiableNode, parameters: [Double], inputs: [[Double]], seed: UInt64 = 1,
        step h: Double = 1e-4
    ) -> (worst: Double, coordinate: String) {
        var rng = RuntimeRandom(seed: seed)
        let u = rng.normals(node.outputSize)
        func objective(_ p: [Double], _ x: [[Double]]) -> Double {
            let y = node.forward(p, x)
            var s = 0.0
            for i in y.indices { s += u[i] * y[i] }
            return s
        }
        func difference(_ s: Double, _ at: (Double) -> Double) -> Double {
            (-at(2 * s) + 8 * at(s) - 8 * at(-s) + at(-2 * s)) / (12 * s)
        }
        let g = node.backward(parameters, inputs, outputGradient: u)
        let noise = 100 * Double.ulpOfOne * abs(objective(parameters, inputs)) / h
        var worst = 0.0, which = "none"
        func compare(_ analytic: [Double], _ numeric: [Double], _ name: String) {
            var diff = 0.0, na = 0.0, nn = 0.0, at = 0, big = -1.0
            for i in analytic.indices {
                let d = analytic[i] - numeric[i]
                diff += d * d
                na += analytic[i] * analytic[i]
                nn += numeric[i] * numeric[i]
                if abs(d) > big { big = abs(d); at = i }
            }
            let scale = max(na, nn)
            let e = diff <= noise * noise * Double(analytic.count) ? 0 : scale > 0 ? (diff / scale).squareRoot() : .infinity
            if !(e <= worst) {
                worst = e.isNaN ? .infinity : e
                which = "\(name)[\(at)]"
            }
        }
        var p = parameters
        var numeric = [Double](repeating: 0, count: parameters.count)
        for i in parameters.indices {
            numeric[i] = difference(h * max(1, abs(p[i]))) { t in
                p[i] = parameters[i] + t
                defer { p[i] = parameters[i] }
                return objective(p, inputs)
            }
        }
        compare(g.parameters, numeric, "parameters")
        var x = inputs
        for j in inputs.indices {
            numeric = [Double](repeating: 0, count: inputs[j].count)
            for i in inputs[j].indices {
                numeric[i] = difference(h * max(1, abs(x[j][i]))) { t in
                    x[j][i] = inputs[j][i] + t
                    defer { x[j][i] = inputs[j][i] }
                    return objective(parameters, x)
                }
            }
            compare(g.inputs[j], numeric, "input \(j)")
        }
        return (worst, which)
    }

    /// The exact Hessian-vector product of the scalar s(θ, x) = ⟨w, f(θ; x)⟩ in the direction
    /// (v_θ, v_x): forward-mode duals pushed through the node's own pullback
    /// (forward-over-reverse). Returns the gradient of s and H·v, both split into θ and inputs.
    public static func hessianVectorProduct(
        of node: any DifferentiableNode, parameters: [Double], inputs: [[Double]], outputWeights w: [Double],
        parameterDirection vp: [Double], inputDirections vx: [[Double]]
    ) -> (gradient: NodeGradient<Double>, hessianVector: NodeGradient<Double>) {
        let p = zip(parameters, vp).map { Dual($0, $1) }
        let x = zip(inputs, vx).map { zip($0, $1).map { Dual($0, $1) } }
        let g = node.backward(p, x, outputGradient: w.map { Dual($0) })
        return (
            NodeGradient(parameters: g.parameters.map(\.value), inputs: g.inputs.map { $0.map(\.value) }),
            NodeGradient(parameters: g.parameters.map(\.tangent), inputs: g.inputs.map { $0.map(\.tangent) })
        )
    }
}
