/// A generated layer that runs as dense products with its weight matrix: its coefficients are
/// c = [W, Wᵀ] (W row-major d_out × d_in, then Wᵀ row-major d_in × d_out), formed from θ once per
/// parameter change (`_withTranspose`). Forward Y += X Wᵀ; backward dX += dY W and ∂L/∂W += dYᵀ X
/// into the first d_out · d_in entries of dc; each is one register-blocked product
/// (`GeneratedScalar._gemm`, through `GeneratedMatrixProducts`). The file supplies θ ↦ W and
/// ∂L/∂W ↦ ∂L/∂θ: the dense strategy from its sparse basis, a table group convolution from its
/// table (full support: W has no zero, so a walk over the table does the same multiply–adds as the
/// product, at about half its speed), a factored layer from its factors when three factor products
/// cost more than one with W.
///
/// ```swift
/// static func _coefficients(_ theta: [Double]) -> [Double] { _withTranspose(weightMatrix(theta)) }
/// ```
public protocol GeneratedMatrixLayer: GeneratedLayer {}

extension GeneratedMatrixLayer {
    /// Y += X Wᵀ for `count` rows (c = [W, Wᵀ]).
    /// - Complexity: O(count · d_in · d_out).
    @inlinable public static func _forwardBatch<S: GeneratedScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>) {
        GeneratedMatrixProducts.forward(x, y, count, c, inputDimension, outputDimension)
    }

    /// dX += dY W and ∂L/∂W += dYᵀ X (dc[r · d_in + k]) for `count` rows.
    /// - Complexity: O(count · d_in · d_out).
    @inlinable public static func _backwardBatch<S: GeneratedScalar>(
        _ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>
    ) {
        GeneratedMatrixProducts.backward(x, dy, count, c, dc, dx, inputDimension, outputDimension)
    }

    /// [W, Wᵀ] from W (row-major d_out × d_in, checked): the coefficients the products read.
    /// - Complexity: O(d_in · d_out).
    @inlinable public static func _withTranspose(_ w: [Double]) -> [Double] {
        GeneratedMatrixProducts.withTranspose(w, inputDimension, outputDimension, layer: "\(Self.self)")
    }
}

/// The products with W of `GeneratedMatrixLayer`, for any layer that keeps c = [W, Wᵀ] at the
/// start of its coefficients: the protocol's extension and a table group convolution that also
/// carries a group Fourier form (it runs these in a wide build, `GeneratedBuild.wideVectors`)
/// call the same code.
///
/// ```swift
/// GeneratedMatrixProducts.forward(x, y, count, c, inputDimension, outputDimension)   // Y += X Wᵀ
/// ```
public enum GeneratedMatrixProducts {
    /// Y += X Wᵀ for `count` rows of d_in values (c = [W, Wᵀ], Wᵀ at c + d_out · d_in).
    /// - Complexity: O(count · d_in · d_out).
    @inlinable @inline(__always) public static func forward<S: GeneratedScalar>(
        _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ inputDimension: Int, _ outputDimension: Int
    ) {
        S._gemm(count, outputDimension, inputDimension, x, inputDimension, 1, c + outputDimension * inputDimension, outputDimension, y, outputDimension)
    }

    /// dX += dY W and ∂L/∂W += dYᵀ X (dc[r · d_in + k]) for `count` rows.
    /// - Complexity: O(count · d_in · d_out).
    @inlinable @inline(__always) public static func backward<S: GeneratedScalar>(
        _ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>,
        _ inputDimension: Int, _ outputDimension: Int
    ) {
        S._gemm(count, inputDimension, outputDimension, dy, outputDimension, 1, c, inputDimension, dx, inputDimension)
        S._gemm(outputDimension, inputDimension, count, dy, 1, outputDimension, x, inputDimension, dc, inputDimension)
    }

    /// [W, Wᵀ] from W (row-major d_out × d_in, checked; `layer` names the caller in the message).
    /// - Complexity: O(d_in · d_out).
    @inlinable public static func withTranspose(_ w: [Double], _ inputDimension: Int, _ outputDimension: Int, layer: @autoclosure () -> String) -> [Double] {
        let dIn = inputDimension, dOut = outputDimension, size = dIn * dOut
        precondition(w.count == size, "\(layer())._withTranspose: W must hold \(dOut) × \(dIn) values, got \(w.count)")
        var c = w + [Double](repeating: 0, count: size)
        for r in 0..<dOut {
            for k in 0..<dIn { c[size + k * dOut + r] = w[r * dIn + k] }
        }
        return c
    }
}
