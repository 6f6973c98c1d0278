/// One extra channel that turns coordinate attention's dot-product logits into negative squared
/// distances: with the query side's features F^B extended by a constant 1 and the key side's
/// features F^A by −½‖F^A(y)‖²,
///
///     ⟨[F^B(x); 1], [F^A(y); −½‖F^A(y)‖²]⟩ = −½‖F^B(x) − F^A(y)‖² + ½‖F^B(x)‖²,
///
/// and the last term is the same for every y, so the softmax over y is that of −½‖F^B(x) − F^A(y)‖².
/// Dot-product logits favour the key with the largest norm for every query (all of B can
/// collapse onto one point of A); distance logits favour the nearest feature.
///
/// Input: C channels on n grid points (channels outermost); output: C + 1 channels.
/// Law: a per-point map, so it commutes with every translation (and any permutation) of the
/// grid points; `CoordinateAttention`'s [W,U] law is kept.
///
/// - Complexity: O(C·n).
public struct DistanceAttentionFeatures: ParameterFreeNode {
    /// The side of the attention the features are for.
    public enum Role: String, Sendable, Codable {
        /// F^B (the fixed image's): appends the constant 1.
        case query
        /// F^A (the moving image's): appends −½‖F^A(y)‖².
        case key
    }

    /// n, the number of grid points.
    public let points: Int
    /// C, the input feature channels.
    public let channels: Int
    /// Whether to append the query's constant 1 or the key's −½‖F‖².
    public let role: Role

    /// [F]: C·n values, channels outermost.
    public var inputSizes: [Int] { [channels * points] }
    /// (C + 1)·n: the input followed by the extra channel.
    public var outputSize: Int { (channels + 1) * points }

    /// The extra channel for `role` on C = `channels` features at n = `points` points (traps unless both ≥ 1).
    public init(points: Int, channels: Int, role: Role) {
        precondition(points >= 1 && channels >= 1, "DistanceAttentionFeatures: \(points) points, \(channels) channels")
        (self.points, self.channels, self.role) = (points, channels, role)
    }

    /// F with the extra channel appended; the pullback drops the extra channel's gradient (query) or
    /// adds −ȳ_extra·F to x̄ (key).
    /// - Complexity: O(C·n) forward and backward.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "DistanceAttentionFeatures")
        let f = inputs[0], n = points, c = channels, role = role
        var y = f
        y.reserveCapacity((c + 1) * n)
        switch role {
        case .query:
            y.append(contentsOf: repeatElement(T(1), count: n))
        case .key:
            var extra = [T](repeating: T.zero, count: n)
            for k in 0..<c { for p in 0..<n { extra[p] += f[k * n + p] * f[k * n + p] } }
            y.append(contentsOf: extra.map { T(-0.5) * $0 })
        }
        return (y, { dy in
            var dx = Array(dy[0..<(c * n)])
            if role == .key {
                for k in 0..<c { for p in 0..<n { dx[k * n + p] = dx[k * n + p] - dy[c * n + p] * f[k * n + p] } }
            }
            return NodeGradient(parameters: [], inputs: [dx])
        })
    }
}
