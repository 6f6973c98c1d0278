/// The concrete-scalar route for a node's generic `valueWithPullback`: when T is S, runs
/// `concrete` (a non-generic function that calls the node's `@inline(__always)` generic body, so
/// the compiler specializes it and the scalar arithmetic inlines instead of going through
/// `RuntimeScalar` witnesses) and returns its result as [T]; otherwise nil. The values are the
/// same as the generic body's: only the dispatch differs. `doubleFastPath` and `floatFastPath`
/// name it for Double and Float.
///
/// ```swift
/// if let fast = doubleFastPath(parameters, inputs, doubleValueWithPullback) { return fast }
/// if let fast = floatFastPath(parameters, inputs, floatValueWithPullback) { return fast }
/// return body(parameters, inputs)   // dual numbers
/// ```
@inlinable public func scalarFastPath<T: RuntimeScalar, S: RuntimeScalar>(
    _ parameters: [T], _ inputs: [[T]], _ concrete: ([S], [[S]]) -> (value: [S], pullback: ([S]) -> NodeGradient<S>)
) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)? {
    guard T.self == S.self else { return nil }
    let (value, pullback) = concrete(unsafeBitCast(parameters, to: [S].self), unsafeBitCast(inputs, to: [[S]].self))
    return (unsafeBitCast(value, to: [T].self), { dy in unsafeBitCast(pullback(unsafeBitCast(dy, to: [S].self)), to: NodeGradient<T>.self) })
}

/// `scalarFastPath` for Double: runs `double` when T is Double, otherwise nil (Float and dual
/// numbers take another route).
@inlinable public func doubleFastPath<T: RuntimeScalar>(
    _ parameters: [T], _ inputs: [[T]],
    _ double: ([Double], [[Double]]) -> (value: [Double], pullback: ([Double]) -> NodeGradient<Double>)
) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)? {
    scalarFastPath(parameters, inputs, double)
}

/// `scalarFastPath` for Float: runs `float` when T is Float, otherwise nil.
@inlinable public func floatFastPath<T: RuntimeScalar>(
    _ parameters: [T], _ inputs: [[T]],
    _ float: ([Float], [[Float]]) -> (value: [Float], pullback: ([Float]) -> NodeGradient<Float>)
) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)? {
    scalarFastPath(parameters, inputs, float)
}
