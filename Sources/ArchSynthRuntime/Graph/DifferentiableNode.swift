/// A typed node of the module layer: a map f(θ; x₁, …, x_n) → y on flat arrays with a
/// hand-written adjoint. Every node is written once, generic over `RuntimeScalar`, so the same
/// code runs in Float, Double, and on dual numbers (which is how Hessian-vector products come
/// for free: see `hessianVectorProduct`).
///
/// Conventions: inputs and the output are flat arrays (matrices row-major, grid signals
/// row-major with channels outermost unless a node says otherwise); parameters are one flat
/// array of `parameterCount` values. A node states its law (the group action it respects) in
/// its documentation and, where it has one, as a `Law`.
///
/// ```swift
/// let relu = Pointwise.relu(size: 3)
/// let (y, pullback) = relu.valueWithPullback([Double](), [[-1, 2, 3]])
/// pullback([1, 1, 1]).inputs[0]   // [0, 1, 1]
/// ```
public protocol DifferentiableNode: Sendable {
    /// The flat size of each input.
    var inputSizes: [Int] { get }
    /// The flat size of the output.
    var outputSize: Int { get }
    /// The number of learnable parameters.
    var parameterCount: Int { get }
    /// f(θ; x) and its pullback ȳ ↦ (θ̄, x̄) = (ȳᵀ ∂f/∂θ, ȳᵀ ∂f/∂x).
    func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: (_ outputGradient: [T]) -> NodeGradient<T>)
}

/// A node without learnable parameters (`parameterCount` is 0, so θ is always `[]` and θ̄ empty):
/// structural nodes, fixed maps and parameter-free nonlinearities.
public protocol ParameterFreeNode: DifferentiableNode {}

extension ParameterFreeNode {
    /// 0: no parameters.
    @inlinable public var parameterCount: Int { 0 }
}

/// The gradients a pullback returns: with respect to the parameters and to every input.
public struct NodeGradient<T: RuntimeScalar> {
    /// θ̄: one gradient per parameter, in the node's parameter order.
    public var parameters: [T]
    /// x̄: one gradient array per input, each the size of that input.
    public var inputs: [[T]]

    /// Gradients with respect to the parameters and to each input.
    @inlinable public init(parameters: [T], inputs: [[T]]) {
        self.parameters = parameters
        self.inputs = inputs
    }
}

extension DifferentiableNode {
    /// f(θ; x).
    @inlinable public func forward<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> [T] {
        valueWithPullback(parameters, inputs).value
    }

    /// f(θ; x) for a one-input node.
    @inlinable public func forward<T: RuntimeScalar>(_ parameters: [T], _ input: [T]) -> [T] {
        valueWithPullback(parameters, [input]).value
    }

    /// (θ̄, x̄) for the output gradient ȳ.
    @inlinable public func backward<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]], outputGradient: [T]) -> NodeGradient<T> {
        valueWithPullback(parameters, inputs).pullback(outputGradient)
    }

    /// Traps with a message naming the node when the arguments do not match its shapes
    /// (a programmer error: shapes are fixed when a graph is built). The name is built only then.
    @inlinable public func checkShapes<T>(_ parameters: [T], _ inputs: [[T]], _ name: @autoclosure () -> String) {
        precondition(parameters.count == parameterCount, "\(name()): expected \(parameterCount) parameters, got \(parameters.count)")
        precondition(inputs.count == inputSizes.count, "\(name()): expected \(inputSizes.count) inputs, got \(inputs.count)")
        for (i, x) in inputs.enumerated() {
            precondition(x.count == inputSizes[i], "\(name()): input \(i) has \(x.count) values, expected \(inputSizes[i])")
        }
    }
}
