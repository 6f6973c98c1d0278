/// A node whose value and pullback are written once, generic over the scalar, as `body`, and
/// run by `specializedBody`, which names the body at Double and at Float so that the compiler
/// specializes it (the scalar arithmetic inlines instead of going through `RuntimeScalar`
/// witnesses); dual numbers run the generic body. The values are the generic body's: only
/// the dispatch differs.
///
/// ```swift
/// public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> … {
///     checkShapes(parameters, inputs, "Warp")
///     return specializedBody(parameters, inputs)
/// }
/// ```
protocol ScalarSpecializedNode: DifferentiableNode {
    /// f(θ; x) and its pullback for any scalar; `@inline(__always)` in a conforming node, so each
    /// scalar `specializedBody` names gets its own specialized copy.
    func body<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)
}

extension ScalarSpecializedNode {
    /// `body` at the concrete scalar when T is Double or Float, the generic `body` otherwise.
    @inline(__always)
    func specializedBody<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        if T.self == Double.self { return reinterpreted(body(reinterpreted(parameters) as [Double], reinterpreted(inputs))) }
        if T.self == Float.self { return reinterpreted(body(reinterpreted(parameters) as [Float], reinterpreted(inputs))) }
        return body(parameters, inputs)
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
