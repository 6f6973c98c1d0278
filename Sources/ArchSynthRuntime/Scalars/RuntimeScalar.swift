#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The scalars the runtime's differentiable nodes are written over: `Double`, `Float`, and the
/// forward-mode dual numbers `Dual<T>` that turn every hand-written adjoint into a
/// Hessian-vector product (forward-over-reverse).
///
/// Branches (ReLU, the cell of a bilinear warp, the max of a softmax) look at `primal`, so a
/// dual number takes the same branch as its value; the derivative of `floor` is zero.
///
/// ```swift
/// func f<T: RuntimeScalar>(_ x: T) -> T { x * T.exp(x) }
/// f(Dual(2.0, 1.0)).tangent   // f'(2) = 3e²
/// ```
public protocol RuntimeScalar: Sendable, Comparable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// The scalar nearest to `value` (for duals: a constant with zero tangent).
    init(_ value: Double)
    /// The plain value (for duals: the primal part, recursively).
    var primal: Double { get }
    /// The additive identity (for duals: zero value and zero tangent).
    static var zero: Self { get }
    /// Sum (for duals: with the tangents added).
    static func + (a: Self, b: Self) -> Self
    /// Difference.
    static func - (a: Self, b: Self) -> Self
    /// Product (for duals: with the product rule).
    static func * (a: Self, b: Self) -> Self
    /// Quotient (for duals: with the quotient rule).
    static func / (a: Self, b: Self) -> Self
    /// Negation.
    static prefix func - (a: Self) -> Self
    /// eˣ.
    static func exp(_ x: Self) -> Self
    /// The natural logarithm.
    static func log(_ x: Self) -> Self
    /// The square root.
    static func sqrt(_ x: Self) -> Self
    /// The hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// sin x (radians).
    static func sin(_ x: Self) -> Self
    /// cos x (radians).
    static func cos(_ x: Self) -> Self
    /// atan2(y, x) in (−π, π].
    static func atan2(_ y: Self, _ x: Self) -> Self
}

extension RuntimeScalar {
    /// a ← a + b.
    @inlinable public static func += (a: inout Self, b: Self) { a = a + b }
    /// a ← a − b.
    @inlinable public static func -= (a: inout Self, b: Self) { a = a - b }
    /// a ← a · b.
    @inlinable public static func *= (a: inout Self, b: Self) { a = a * b }
    /// a ← a / b.
    @inlinable public static func /= (a: inout Self, b: Self) { a = a / b }
    /// Compares the plain values (`primal`), so a dual orders (and branches) like its value.
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.primal < b.primal }
    /// 1 / (1 + e^(−x)).
    @inlinable public static func sigmoid(_ x: Self) -> Self { Self(1) / (Self(1) + Self.exp(-x)) }
}

extension Double: RuntimeScalar {
    /// The value itself.
    @inlinable public var primal: Double { self }
    /// Glibc `exp`.
    @inlinable public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    /// Glibc `log`.
    @inlinable public static func log(_ x: Double) -> Double { Glibc.log(x) }
    /// `squareRoot()`.
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
    /// Glibc `tanh`.
    @inlinable public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    /// Glibc `sin`.
    @inlinable public static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    /// Glibc `cos`.
    @inlinable public static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    /// Glibc `atan2`, in (−π, π].
    @inlinable public static func atan2(_ y: Double, _ x: Double) -> Double { Glibc.atan2(y, x) }
}

extension Float: RuntimeScalar {
    /// The value widened to `Double`.
    @inlinable public var primal: Double { Double(self) }
    /// Glibc `expf`.
    @inlinable public static func exp(_ x: Float) -> Float { Glibc.expf(x) }
    /// Glibc `logf`.
    @inlinable public static func log(_ x: Float) -> Float { Glibc.logf(x) }
    /// `squareRoot()`.
    @inlinable public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
    /// Glibc `tanhf`.
    @inlinable public static func tanh(_ x: Float) -> Float { Glibc.tanhf(x) }
    /// Glibc `sinf`.
    @inlinable public static func sin(_ x: Float) -> Float { Glibc.sinf(x) }
    /// Glibc `cosf`.
    @inlinable public static func cos(_ x: Float) -> Float { Glibc.cosf(x) }
    /// Glibc `atan2f`, in (−π, π].
    @inlinable public static func atan2(_ y: Float, _ x: Float) -> Float { Glibc.atan2f(y, x) }
}
