/// The nonlinearity a generated network puts after a hidden layer, on a batch: pointwise ReLU
/// on `reluIndex` (permutation blocks), tanh on `tanhIndex` (signed-permutation blocks), and
/// x_B ↦ x_B · sigmoid(‖x_B‖ + b_B) on each block B = normIndex[normStart[j] ..< normStart[j+1]]
/// (orthogonal blocks, whose norm is invariant) with gate bias b_B = gates[gateOffset + j].
/// Law: commutes with the hidden representation it was planned for (see `NonlinearityPlan`).
/// Batches are row-major, `count` rows of `dimension` values. On lattice fields (`field`), the
/// activation is a `LatticeFieldNonlinearity` instead (norm or gated, one bias per channel read
/// from the gates; a gated one drops each field's gate, so its rows have `outputDimension` values).
public struct EquivariantActivation: Sendable {
    /// The hidden dimension: the length of one batch row.
    public let dimension: Int
    /// Where this activation's gate biases start in the `gates` array.
    public let gateOffset: Int
    /// Row coordinates that get ReLU (permutation blocks).
    public let reluIndex: [Int32]
    /// Row coordinates that get tanh (signed-permutation blocks).
    public let tanhIndex: [Int32]
    /// Block boundaries into `normIndex` (CSR style): block j is normIndex[normStart[j] ..< normStart[j+1]].
    public let normStart: [Int32]
    /// The row coordinates of the norm-gated blocks, block after block.
    public let normIndex: [Int32]
    /// A norm or gated nonlinearity on lattice fields, used instead of the index tables when set.
    public let field: LatticeFieldNonlinearity?
    /// Whether `reluIndex` is 0, 1, …, dimension − 1 (ReLU on every coordinate, the usual case):
    /// the passes then run one loop over the whole batch without the index table.
    @usableFromInline let reluOnEveryCoordinate: Bool
    /// The number of learned gate biases: one per norm-gated block, or the field nonlinearity's biases.
    public var gateCount: Int { field?.biasCount ?? normStart.count - 1 }
    /// The length of one output row (`dimension`, less the gates of a gated field nonlinearity).
    public var outputDimension: Int { field?.outputDimension ?? dimension }

    /// An activation from its index tables (traps unless `normStart` runs from 0 to `normIndex.count`).
    public init(dimension: Int, gateOffset: Int, reluIndex: [Int32], tanhIndex: [Int32], normStart: [Int32], normIndex: [Int32]) {
        precondition(!normStart.isEmpty && normStart[0] == 0 && Int(normStart[normStart.count - 1]) == normIndex.count, "EquivariantActivation: normStart must run from 0 to normIndex.count")
        self.dimension = dimension
        self.gateOffset = gateOffset
        self.reluIndex = reluIndex
        self.tanhIndex = tanhIndex
        self.normStart = normStart
        self.normIndex = normIndex
        field = nil
        reluOnEveryCoordinate = reluIndex.count == dimension && reluIndex.enumerated().allSatisfy { Int($0.element) == $0.offset }
    }

    /// The field nonlinearity `field` (norm or gated on lattice fields), its biases read from
    /// `gates[gateOffset...]`.
    public init(field: LatticeFieldNonlinearity, gateOffset: Int) {
        dimension = field.inputDimension
        self.gateOffset = gateOffset
        reluIndex = []
        tanhIndex = []
        normStart = [0]
        normIndex = []
        self.field = field
        reluOnEveryCoordinate = false
    }

    /// Sets `out[k]` to zero on the ReLU coordinates of `count` rows where z[k] is not positive (or
    /// NaN): the part both passes share (y = z there, and ∂L/∂z = ∂L/∂y), before the tanh and
    /// norm coordinates, which are other coordinates.
    @inlinable func reluMask<T: RuntimeScalar>(_ z: UnsafeBufferPointer<T>, _ out: UnsafeMutableBufferPointer<T>, count: Int) {
        if reluOnEveryCoordinate {
            for k in 0..<(count * dimension) where !(z[k].primal > 0) { out[k] = T.zero }
            return
        }
        for n in 0..<count {
            let o = n * dimension
            for i in reluIndex where !(z[o + Int(i)].primal > 0) { out[o + Int(i)] = T.zero }
        }
    }

    /// The activation on `count` rows of `dimension` values, gate biases read from `gates[gateOffset...]`.
    /// `@inlinable`, so a generated network's passes specialize it for Float and Double (generic, it
    /// took about half of the S_5 network's backward pass in metadata lookups and witness calls).
    /// - Complexity: O(count · (|reluIndex| + |tanhIndex| + |normIndex|)).
    @inlinable public func forward<T: RuntimeScalar>(_ z: [T], count: Int, gates: [T]) -> [T] {
        if let field { return field.forward(z, count: count, biases: gates, biasOffset: gateOffset) }
        var y = z
        let d = dimension, blocks = gateCount
        y.withUnsafeMutableBufferPointer { yp in
            z.withUnsafeBufferPointer { zp in
                reluMask(zp, yp, count: count)
                for n in 0..<count {
                    let o = n * d
                    for i in tanhIndex {
                        let k = o + Int(i)
                        yp[k] = T.tanh(zp[k])
                    }
                    for b in 0..<blocks {
                        let s0 = Int(normStart[b]), s1 = Int(normStart[b + 1])
                        var r2 = T.zero
                        for e in s0..<s1 {
                            let v = zp[o + Int(normIndex[e])]
                            r2 += v * v
                        }
                        let s = T.sigmoid(T.sqrt(r2) + gates[gateOffset + b])
                        for e in s0..<s1 {
                            let k = o + Int(normIndex[e])
                            yp[k] = zp[k] * s
                        }
                    }
                }
            }
        }
        return y
    }

    /// ∂L/∂z from ∂L/∂y at pre-activations z; adds ∂L/∂gates to `gateGradient`. `@inlinable` like `forward`.
    @inlinable public func backward<T: RuntimeScalar>(_ z: [T], _ dy: [T], count: Int, gates: [T], gateGradient: inout [T]) -> [T] {
        if let field { return field.backward(z, dy, count: count, biases: gates, biasOffset: gateOffset, biasGradient: &gateGradient) }
        var dz = dy
        let d = dimension, blocks = gateCount
        dz.withUnsafeMutableBufferPointer { dzp in
            z.withUnsafeBufferPointer { zp in
                dy.withUnsafeBufferPointer { dyp in
                    reluMask(zp, dzp, count: count)
                    for n in 0..<count {
                        let o = n * d
                        for i in tanhIndex {
                            let k = o + Int(i)
                            let t = T.tanh(zp[k])
                            dzp[k] = dyp[k] * (T(1) - t * t)
                        }
                        for b in 0..<blocks {
                            let s0 = Int(normStart[b]), s1 = Int(normStart[b + 1])
                            var r2 = T.zero, dot = T.zero
                            for e in s0..<s1 {
                                let k = o + Int(normIndex[e])
                                r2 += zp[k] * zp[k]
                                dot += dyp[k] * zp[k]
                            }
                            let r = T.sqrt(r2)
                            let s = T.sigmoid(r + gates[gateOffset + b])
                            let ds = dot * s * (T(1) - s)
                            gateGradient[gateOffset + b] += ds
                            for e in s0..<s1 {
                                let k = o + Int(normIndex[e])
                                dzp[k] = s * dyp[k] + (r.primal > 0 ? ds * zp[k] / r : T.zero)
                            }
                        }
                    }
                }
            }
        }
        return dz
    }
}
