/// An equivariant nonlinearity on c fields of a point-group representation ρ at every grid point
/// (issue 21), for fields whose ρ is not a signed permutation (where pointwise functions do not
/// commute with ρ), as escnn offers them:
///
/// | kind | escnn | one field v (d values) at one grid point |
/// |---|---|---|
/// | `normReLU` | `NormNonLinearity(…, 'n_relu')` | v ↦ ReLU(‖v‖ − |b_c|) · v / ‖v‖ |
/// | `normSigmoid` | `NormNonLinearity(…, 'n_sigmoid')` | v ↦ sigmoid(‖v‖ − b_c) · v |
/// | `gated` | `GatedNonLinearity1` | (v, γ) ↦ sigmoid(γ) · v: field(ρ + trivial) → field(ρ) |
///
/// with one learned b_c per channel c (shared by every grid point). Both norm forms are continuous
/// at v = 0 (0 ↦ 0): the ReLU form uses |b_c| (a dead zone of that radius), and the sigmoid form
/// scales v itself. A form with a jump at 0 (ReLU(‖v‖ − b) for b < 0, or sigmoid(‖v‖ − b)·v/‖v‖)
/// sends a field of rounding-size norm, such as a lifting convolution's exactly-cancelling
/// output on a constant image, to norm |b| or sigmoid(−b) in an arbitrary direction: `verify`'s
/// constant input family measured a relative error of 2.0 on such a network. The
/// norm is that of an invariant inner product, ‖v‖² = vᵀMv with ρ(p)ᵀMρ(p) = M for every p (`metric`, empty for the Euclidean one, M = I, which is invariant when ρ is orthogonal; the
/// hexagonal `point` representation in axial coordinates is not orthogonal and gets
/// M = (1/|P|) Σ_p ρ(p)ᵀρ(p)). For `gated` the gate γ is the last component of each input field
/// (the trivial summand of ρ + trivial, produced by the convolution before it, bias included).
///
/// Law: for g = (t, p) acting on c*field(ρ_in) and c*field(ρ) (`LatticeFieldType.act`), the map
/// commutes with g: a translation permutes grid points and b_c does not depend on the point;
/// ‖ρ(p)v‖ = ‖v‖ and γ is invariant, so φ(ρ(p)v) = ρ(p)φ(v) at every point.
///
/// Layout: input (c · points + x) · d_in + a with d_in = d (+1 for the gate), output
/// (c · points + x) · d + a, as `LatticeFieldType`.
///
/// ```swift
/// let norm = LatticeFieldNonlinearity(kind: .normReLU, channels: 4, points: 64, fieldDimension: 2)
/// let y = norm.forward(x, count: 1, biases: [Double](repeating: 0.1, count: 4))
/// ```
public struct LatticeFieldNonlinearity: Sendable, Equatable {
    /// Which nonlinearity (see the table above).
    public enum Kind: String, Sendable, CaseIterable {
        /// ReLU(‖v‖ − |b|) · v / ‖v‖.
        case normReLU = "norm-relu"
        /// sigmoid(‖v‖ − b) · v.
        case normSigmoid = "norm-sigmoid"
        /// sigmoid(γ) · v with γ the field's trivial gate component.
        case gated
    }

    /// Which nonlinearity.
    public let kind: Kind
    /// c, the number of fields.
    public let channels: Int
    /// The number of grid points.
    public let points: Int
    /// d = dim ρ (without the gate).
    public let fieldDimension: Int
    /// The invariant metric M (d × d, row-major); empty for M = I.
    public let metric: [Double]

    /// A nonlinearity on `channels` fields of dimension `fieldDimension` at `points` grid points;
    /// traps on a metric that is not d × d (a programmer error: the emitter computes it).
    public init(kind: Kind, channels: Int, points: Int, fieldDimension: Int, metric: [Double] = []) {
        precondition(channels >= 1 && points >= 1 && fieldDimension >= 1, "LatticeFieldNonlinearity: \(channels) channels, \(points) points, field dimension \(fieldDimension)")
        precondition(metric.isEmpty || metric.count == fieldDimension * fieldDimension, "LatticeFieldNonlinearity: the metric must be \(fieldDimension)×\(fieldDimension)")
        self.kind = kind
        self.channels = channels
        self.points = points
        self.fieldDimension = fieldDimension
        self.metric = metric
    }

    /// d_in: d, or d + 1 with the gate.
    public var inputFieldDimension: Int { kind == .gated ? fieldDimension + 1 : fieldDimension }
    /// Values per sample in: c · points · d_in.
    public var inputDimension: Int { channels * points * inputFieldDimension }
    /// Values per sample out: c · points · d.
    public var outputDimension: Int { channels * points * fieldDimension }
    /// Learned biases b_c: one per channel for the norm nonlinearities, none for `gated` (its
    /// gate's bias is the convolution's bias on the trivial component).
    public var biasCount: Int { kind == .gated ? 0 : channels }

    /// Mv into `mv` and vᵀMv, for the field at `base` in `z`.
    @inlinable func metricProduct<T: RuntimeScalar>(_ z: [T], _ base: Int, _ mv: inout [T]) -> T {
        let d = fieldDimension
        var r2 = T.zero
        if metric.isEmpty {
            for a in 0..<d { mv[a] = z[base + a]; r2 += z[base + a] * z[base + a] }
        } else {
            for a in 0..<d {
                var s = T.zero
                for b in 0..<d where metric[a * d + b] != 0 { s += T(metric[a * d + b]) * z[base + b] }
                mv[a] = s
                r2 += z[base + a] * s
            }
        }
        return r2
    }

    /// |b| (−b for a negative b, so that a dual's tangent changes sign with it).
    @inlinable static func magnitude<T: RuntimeScalar>(_ b: T) -> T { b.primal < 0 ? -b : b }

    /// The nonlinearity on `count` samples of `inputDimension` values, biases b_c from
    /// `biases[biasOffset...]`.
    /// - Complexity: O(count · c · points · d²) (O(… · d) with the Euclidean metric).
    @inlinable public func forward<T: RuntimeScalar>(_ z: [T], count: Int, biases: [T], biasOffset: Int = 0) -> [T] {
        precondition(count >= 0 && z.count == count * inputDimension, "LatticeFieldNonlinearity.forward: expected count × \(inputDimension) values, got \(z.count)")
        precondition(biases.count >= biasOffset + biasCount, "LatticeFieldNonlinearity.forward: \(biasCount) biases from offset \(biasOffset)")
        let d = fieldDimension, din = inputFieldDimension
        var y = [T](repeating: T.zero, count: count * outputDimension)
        var mv = [T](repeating: T.zero, count: d)
        forEachField(count: count) { c, field in
            let base = field * din, out = field * d
            let s: T
            switch kind {
            case .gated:
                s = T.sigmoid(z[base + d])
            case .normReLU:
                let r2 = metricProduct(z, base, &mv)
                guard r2.primal > 0 else { return }
                let r = T.sqrt(r2), u = r - Self.magnitude(biases[biasOffset + c])
                s = u.primal > 0 ? u / r : T.zero
            case .normSigmoid:
                let r2 = metricProduct(z, base, &mv)
                s = T.sigmoid((r2.primal > 0 ? T.sqrt(r2) : T.zero) - biases[biasOffset + c])
            }
            for a in 0..<d { y[out + a] = s * z[base + a] }
        }
        return y
    }

    /// Calls `body(c, field)` for every field of `count` samples: channel c and the field's index
    /// (sample · c + channel) · points + point, whose input starts at field · d_in and output at field · d.
    @inlinable func forEachField(count: Int, _ body: (_ channel: Int, _ field: Int) -> Void) {
        for n in 0..<count { for c in 0..<channels { for x in 0..<points { body(c, (n * channels + c) * points + x) } } }
    }

    /// ∂L/∂z from ∂L/∂y at inputs z; adds ∂L/∂b_c to `biasGradient[biasOffset + c]`.
    /// - Complexity: O(count · c · points · d²) (O(… · d) with the Euclidean metric).
    @inlinable public func backward<T: RuntimeScalar>(
        _ z: [T], _ dy: [T], count: Int, biases: [T], biasOffset: Int = 0, biasGradient: inout [T]
    ) -> [T] {
        precondition(count >= 0 && z.count == count * inputDimension && dy.count == count * outputDimension, "LatticeFieldNonlinearity.backward: expected count × \(inputDimension) inputs and count × \(outputDimension) output gradients")
        let d = fieldDimension, din = inputFieldDimension
        var dz = [T](repeating: T.zero, count: z.count)
        var mv = [T](repeating: T.zero, count: d)
        forEachField(count: count) { c, field in
            let base = field * din, out = field * d
            var dot = T.zero
            for a in 0..<d { dot += dy[out + a] * z[base + a] }
            switch kind {
            case .gated:
                let s = T.sigmoid(z[base + d])
                for a in 0..<d { dz[base + a] = s * dy[out + a] }
                dz[base + d] = dot * s * (T(1) - s)
            case .normReLU:
                // y = s(r) v with s = ReLU(r − |b|) / r; ∂r/∂v = Mv / r. At v = 0 the map is
                // the identity when b = 0 and zero near 0 otherwise.
                let b = biases[biasOffset + c]
                let r2 = metricProduct(z, base, &mv)
                guard r2.primal > 0 else {
                    if b.primal == 0 { for a in 0..<d { dz[base + a] = dy[out + a] } }
                    return
                }
                let r = T.sqrt(r2), u = r - Self.magnitude(b)
                guard u.primal > 0 else { return }
                let s = u / r, ds = (T(1) - s) / r
                for a in 0..<d { dz[base + a] = s * dy[out + a] + dot * ds * mv[a] / r }
                biasGradient[biasOffset + c] -= (b.primal < 0 ? -dot : dot) / r
            case .normSigmoid:
                // y = sigmoid(r − b) v; ∂r/∂v = Mv / r (the second term vanishes at v = 0).
                let b = biases[biasOffset + c]
                let r2 = metricProduct(z, base, &mv)
                let r = r2.primal > 0 ? T.sqrt(r2) : T.zero
                let s = T.sigmoid(r - b), ds = s * (T(1) - s)
                for a in 0..<d { dz[base + a] = s * dy[out + a] + (r2.primal > 0 ? dot * ds * mv[a] / r : T.zero) }
                biasGradient[biasOffset + c] -= dot * ds
            }
        }
        return dz
    }
}

extension LatticeFieldNonlinearity: DifferentiableNode {
    /// One sample of c · points · d_in values.
    public var inputSizes: [Int] { [inputDimension] }
    /// c · points · d values.
    public var outputSize: Int { outputDimension }
    /// The biases b_c.
    public var parameterCount: Int { biasCount }

    /// φ(b; z) on one sample and its pullback (the module-layer form, for templates).
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: (_ outputGradient: [T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "LatticeFieldNonlinearity")
        let z = inputs[0]
        return (forward(z, count: 1, biases: parameters), { dy in
            var db = [T](repeating: T.zero, count: parameters.count)
            let dz = self.backward(z, dy, count: 1, biases: parameters, biasGradient: &db)
            return NodeGradient(parameters: db, inputs: [dz])
        })
    }
}
