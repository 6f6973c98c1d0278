/// x₁ ⊕ x₂ ⊕ … : concatenation (the direct sum of the inputs' representations).
/// Law: g·(x₁ ⊕ x₂) = ρ₁(g)x₁ ⊕ ρ₂(g)x₂, so it commutes with any actions on the pieces.
public struct Concatenation: ParameterFreeNode {
    /// The sizes of the pieces x₁, x₂, …, in output order.
    public let inputSizes: [Int]
    /// The sum of the pieces' sizes.
    public var outputSize: Int { inputSizes.reduce(0, +) }

    /// x₁ ⊕ … ⊕ x_k for pieces of these sizes.
    public init(sizes: [Int]) { inputSizes = sizes }

    /// The pieces laid end to end; the pullback slices ȳ back into one gradient per piece.
    /// - Complexity: O(output size).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "Concatenation")
        let sizes = inputSizes
        return (inputs.flatMap { $0 }, { dy in
            var o = 0
            var parts: [[T]] = []
            for s in sizes {
                parts.append(Array(dy[o..<(o + s)]))
                o += s
            }
            return NodeGradient(parameters: [], inputs: parts)
        })
    }
}

/// x[start ..< start + count]: one summand of a direct sum.
public struct Slice: ParameterFreeNode {
    /// The size of the input x.
    public let inputSize: Int
    /// The first coordinate read.
    public let start: Int
    /// The number of coordinates read (the output size).
    public let count: Int
    /// [x]: `inputSize` values.
    public var inputSizes: [Int] { [inputSize] }
    /// `count`.
    public var outputSize: Int { count }

    /// x[start ..< start + count] of an input of `inputSize` values (traps unless the range fits).
    public init(inputSize: Int, start: Int, count: Int) {
        precondition(start >= 0 && count >= 0 && start + count <= inputSize, "Slice \(start)..<\(start + count) of \(inputSize)")
        self.inputSize = inputSize
        self.start = start
        self.count = count
    }

    /// The slice; the pullback writes ȳ into a zero gradient of the input's size.
    /// - Complexity: O(inputSize) backward, O(count) forward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "Slice")
        let (n, s, c) = (inputSize, start, count)
        return (Array(inputs[0][s..<(s + c)]), { dy in
            var dx = [T](repeating: T.zero, count: n)
            for k in 0..<c { dx[s + k] = dy[k] }
            return NodeGradient(parameters: [], inputs: [dx])
        })
    }
}

/// a − b: the difference of two equally shaped inputs. Law: swapping a and b negates the
/// output (with N(A,B) and N(B,A) from one shared network this is the antisymmetrization).
public struct Difference: FixedLinearCombination {
    /// The size of a, b and the output.
    public let size: Int
    /// (1, −1): a − b; the pullback returns (ȳ, −ȳ).
    public static let coefficients = (1.0, -1.0)

    /// a − b on inputs of `size` values.
    public init(size: Int) { self.size = size }
}

/// a + b.
public struct Sum: FixedLinearCombination {
    /// The size of a, b and the output.
    public let size: Int
    /// (1, 1): a + b; the pullback returns (ȳ, ȳ).
    public static let coefficients = (1.0, 1.0)

    /// a + b on inputs of `size` values.
    public init(size: Int) { self.size = size }
}

/// α·a + β·b for fixed coefficients (α, β) (`Sum`, `Difference`): two inputs of `size` values.
public protocol FixedLinearCombination: ParameterFreeNode, CoordinatewiseNode, ScalarSpecializedNode {
    /// (α, β).
    static var coefficients: (Double, Double) { get }
}

extension FixedLinearCombination {
    /// [a, b].
    public static var inputCount: Int { 2 }

    /// α·a + β·b; the pullback returns (αȳ, βȳ).
    /// - Complexity: O(size).
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let (alpha, beta) = (T(Self.coefficients.0), T(Self.coefficients.1))
        let (a, b) = (inputs[0], inputs[1])
        return ((0..<a.count).map { alpha * a[$0] + beta * b[$0] }, { dy in NodeGradient(parameters: [], inputs: [dy.map { alpha * $0 }, dy.map { beta * $0 }]) })
    }
}

/// c·x for a fixed constant c (commutes with every linear action).
public struct Scale: ParameterFreeNode, CoordinatewiseNode, ScalarSpecializedNode {
    /// The size of x and the output.
    public let size: Int
    /// The constant c.
    public let factor: Double

    /// c·x with c = `factor` on inputs of `size` values.
    public init(size: Int, factor: Double) {
        self.size = size
        self.factor = factor
    }

    /// c·x; the pullback returns c·ȳ.
    /// - Complexity: O(size).
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let c = T(factor)
        return (inputs[0].map { c * $0 }, { dy in NodeGradient(parameters: [], inputs: [dy.map { c * $0 }]) })
    }
}

/// y[i] = x[p[i]]: a fixed permutation of coordinates (reorders a direct sum, e.g. A ⊕ B ↦ B ⊕ A).
public struct Permute: ParameterFreeNode {
    /// Output coordinate i reads input coordinate `source[i]`.
    public let source: [Int]
    /// [x]: `source.count` values.
    public var inputSizes: [Int] { [source.count] }
    /// `source.count`.
    public var outputSize: Int { source.count }

    /// y[i] = x[source[i]] (traps unless `source` is a permutation of 0 ..< source.count).
    public init(source: [Int]) {
        precondition(Set(source).count == source.count && source.allSatisfy { $0 >= 0 && $0 < source.count }, "Permute: not a permutation")
        self.source = source
    }

    /// The permutation of `a ⊕ b` (sizes m, n) that gives `b ⊕ a`.
    public static func swapHalves(_ m: Int, _ n: Int) -> Permute {
        Permute(source: (0..<n).map { m + $0 } + (0..<m).map { $0 })
    }

    /// x permuted; the pullback scatters ȳ back by the inverse permutation.
    /// - Complexity: O(size).
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "Permute")
        let x = inputs[0], src = source
        return (src.map { x[$0] }, { dy in
            var dx = [T](repeating: T.zero, count: src.count)
            for i in src.indices { dx[src[i]] += dy[i] }
            return NodeGradient(parameters: [], inputs: [dx])
        })
    }
}

/// a ⊙ b: the coordinatewise product (quadratic forms and gates are built from it).
public struct Product: ParameterFreeNode, CoordinatewiseNode, ScalarSpecializedNode {
    /// The size of a, b and the output.
    public let size: Int
    /// [a, b]: two inputs of `size` values.
    public static var inputCount: Int { 2 }

    /// a ⊙ b on inputs of `size` values.
    public init(size: Int) { self.size = size }

    /// a ⊙ b; the pullback returns (ȳ ⊙ b, ȳ ⊙ a).
    /// - Complexity: O(size).
    public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        let (a, b) = (inputs[0], inputs[1])
        return ((0..<size).map { a[$0] * b[$0] }, { dy in
            NodeGradient(parameters: [], inputs: [(0..<dy.count).map { dy[$0] * b[$0] }, (0..<dy.count).map { dy[$0] * a[$0] }])
        })
    }
}
