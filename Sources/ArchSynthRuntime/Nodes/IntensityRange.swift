/// Brings a pair of images into the intensity range [−1, 1] that the registration templates are
/// trained on: both images are divided by one factor,
///
///     m = max(1, max_i |A_i|, max_i |B_i|),
///
/// and the node outputs one of them (`image` 0: A/m, 1: B/m). Images already in [−1, 1] pass
/// through unchanged, bit for bit (m = 1), so a model's function on its training range is kept.
///
/// Why: without it a network's intermediate values grow with the input's scale s, and so does
/// their rounding (ε·s). The carl template's refinement displacement d grew that way and carried
/// its rounding into the periodic warp, so its [W,U] law drifted from 2e-16 at s = 1 to 8e-9 at
/// s = 1e8. After this node every later value is that of an input in [−1, 1].
///
/// Law: a maximum is exact in any order, so m is the same number for any translation (or any
/// permutation) of either image's pixels; the node then acts pixel by pixel, so it commutes
/// with independent translations of A and B exactly, and [W,U] is kept bit for bit.
///
/// - Complexity: O(n).
public struct IntensityRange: ParameterFreeNode {
    /// Pixels per image.
    public let pixels: Int
    /// 0: output A/m; 1: output B/m.
    public let image: Int

    /// [A, B]: two images of `pixels` values each.
    public var inputSizes: [Int] { [pixels, pixels] }
    /// `pixels`: the chosen image divided by m.
    public var outputSize: Int { pixels }

    /// The range node for images of `pixels` values outputting A/m (`image` 0) or B/m (1); traps otherwise.
    public init(pixels: Int, image: Int) {
        precondition(pixels >= 1 && (image == 0 || image == 1), "IntensityRange: \(pixels) pixels, image \(image)")
        (self.pixels, self.image) = (pixels, image)
    }

    /// The common factor m and where it is attained (input, pixel), or nil when m = 1.
    @inlinable
    static func factor<T: RuntimeScalar>(_ inputs: [[T]]) -> (m: T, input: Int, pixel: Int)? {
        var best = T(1), at: (Int, Int)? = nil
        for k in 0..<2 {
            for (i, v) in inputs[k].enumerated() {
                let a = v < T.zero ? -v : v
                if a > best { (best, at) = (a, (k, i)) }
            }
        }
        return at.map { (best, $0.0, $0.1) }
    }

    /// x/m for the chosen image (x itself when m = 1); the pullback also routes the gradient through m
    /// to the pixel that attains it.
    /// - Complexity: O(n) forward and backward.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "IntensityRange")
        let n = pixels, k = image
        guard let (m, argInput, argPixel) = Self.factor(inputs) else {
            return (inputs[k], { dy in
                var g = [[T]](repeating: [T](repeating: T.zero, count: n), count: 2)
                g[k] = dy
                return NodeGradient(parameters: [], inputs: g)
            })
        }
        let x = inputs[k]
        let y = x.map { $0 / m }
        return (y, { dy in
            // y_i = x_i / m: ∂y_i/∂x_i = 1/m, and through m = |x*|: ∂y_i/∂x* = −y_i·sign(x*)/m.
            var g = [[T]](repeating: [T](repeating: T.zero, count: n), count: 2)
            var dot = T.zero
            for i in 0..<n {
                g[k][i] = dy[i] / m
                dot += dy[i] * y[i]
            }
            let sign: T = inputs[argInput][argPixel] < T.zero ? T(-1) : T(1)
            g[argInput][argPixel] -= sign * dot / m
            return NodeGradient(parameters: [], inputs: g)
        })
    }
}
