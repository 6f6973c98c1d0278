/// A node whose value and pullback are written once, generic over the scalar, as
/// `genericValueWithPullback`; its `valueWithPullback` checks the shapes and names that body at
/// Double and at Float, so the compiler specializes it (the scalar arithmetic inlines instead of
/// going through `RuntimeScalar` witnesses), and runs it generically for dual numbers. The values
/// are the generic body's: only the dispatch differs.
///
/// ```swift
/// extension Scale2: ScalarSpecializedNode {
///     public func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> … { … }
/// }
/// ```
public protocol ScalarSpecializedNode: DifferentiableNode {
    /// f(θ; x) and its pullback for any scalar; call `valueWithPullback`, which checks the shapes
    /// and runs this body specialized for Double and Float.
    func genericValueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)
}

extension ScalarSpecializedNode {
    /// `checkShapes`, then `genericValueWithPullback` at the concrete scalar when T is Double or
    /// Float, the generic body otherwise.
    /// - Complexity: that of `genericValueWithPullback`.
    @inline(__always)
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "\(Self.self)")
        if T.self == Double.self { return reinterpreted(genericValueWithPullback(reinterpreted(parameters) as [Double], reinterpreted(inputs))) }
        if T.self == Float.self { return reinterpreted(genericValueWithPullback(reinterpreted(parameters) as [Float], reinterpreted(inputs))) }
        return genericValueWithPullback(parameters, inputs)
    }
}

/// The same array read at another element type of the same layout (T is S, checked by the caller).
@inline(__always)
private func reinterpreted<S, T>(_ x: [S]) -> [T] { unsafeBitCast(x, to: [T].self) }

/// A value and pullback at scalar S read at scalar T (T is S, checked by the caller).
@inline(__always)
private func reinterpreted<S: RuntimeScalar, T: RuntimeScalar>(
    _ result: (value: [S], pullback: ([S]) -> NodeGradient<S>)
) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
    let pullback = result.pullback
    return (reinterpreted(result.value), { dy in unsafeBitCast(pullback(reinterpreted(dy)), to: NodeGradient<T>.self) })
}
