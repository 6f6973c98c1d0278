/// The concrete-`Double` route for a node's generic `valueWithPullback`: when T is Double, runs
/// `double` (a non-generic function that calls the node's `@inline(__always)` generic body, so
/// the compiler specializes it and the scalar arithmetic inlines instead of going through
/// `RuntimeScalar` witnesses) and returns its result as [T]; otherwise nil (Float and dual
/// numbers take the generic body). The values are the same as the generic body's: only the
/// dispatch differs.
///
/// ```swift
/// if let fast = doubleFastPath(parameters, inputs, doubleValueWithPullback) { return fast }
/// return body(parameters, inputs)
/// ```
@inlinable public func doubleFastPath<T: RuntimeScalar>(
    _ parameters: [T], _ inputs: [[T]],
    _ double: ([Double], [[Double]]) -> (value: [Double], pullback: ([Double]) -> NodeGradient<Double>)
) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)? {
    guard T.self == Double.self else { return nil }
    let (value, pullback) = double(unsafeBitCast(parameters, to: [Double].self), unsafeBitCast(inputs, to: [[Double]].self))
    return (unsafeBitCast(value, to: [T].self), { dy in unsafeBitCast(pullback(unsafeBitCast(dy, to: [Double].self)), to: NodeGradient<T>.self) })
}

/// `doubleFastPath` for Float: when T is Float, runs `float` (a non-generic function that calls
/// the node's `@inline(__always)` generic body, so the body is specialized for Float); otherwise
/// nil. The values are the generic body's: only the dispatch differs.
///
/// ```swift
/// if let fast = floatFastPath(parameters, inputs, floatValueWithPullback) { return fast }
/// ```
@inlinable public func floatFastPath<T: RuntimeScalar>(
    _ parameters: [T], _ inputs: [[T]],
    _ float: ([Float], [[Float]]) -> (value: [Float], pullback: ([Float]) -> NodeGradient<Float>)
) -> (value: [T], pullback: ([T]) -> NodeGradient<T>)? {
    guard T.self == Float.self else { return nil }
    let (value, pullback) = float(unsafeBitCast(parameters, to: [Float].self), unsafeBitCast(inputs, to: [[Float]].self))
    return (unsafeBitCast(value, to: [T].self), { dy in unsafeBitCast(pullback(unsafeBitCast(dy, to: [Float].self)), to: NodeGradient<T>.self) })
}
