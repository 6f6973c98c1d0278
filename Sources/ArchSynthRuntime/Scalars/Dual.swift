/// A forward-mode dual number a + b·ε with ε² = 0: evaluating f on `Dual(x, v)` gives
/// f(x) + f'(x)·v·ε. Running a node's hand-written pullback on duals differentiates the
/// gradient itself, which is how the runtime gets exact Hessian-vector products
/// (forward-over-reverse; see `hessianVectorProduct`).
///
/// ```swift
/// let y = Dual(3.0, 1.0) * Dual(3.0, 1.0)   // 9 + 6ε
/// ```
public struct Dual<T: RuntimeScalar>: RuntimeScalar {
    /// a, the primal part.
    public var value: T
    /// b, the tangent (derivative) part: the coefficient of ε.
    public var tangent: T

    /// a + b·ε with a = `value`, b = `tangent`.
    @inlinable public init(_ value: T, _ tangent: T) {
        self.value = value
        self.tangent = tangent
    }

    /// A constant: `value` + 0·ε.
    @inlinable public init(_ value: Double) { self.init(T(value), T.zero) }
    /// A constant from a float literal (zero tangent).
    @inlinable public init(floatLiteral value: Double) { self.init(value) }
    /// A constant from an integer literal (zero tangent).
    @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }
    /// The plain value: the primal part's own primal, recursively for nested duals.
    @inlinable public var primal: Double { value.primal }
    /// 0 + 0·ε.
    @inlinable public static var zero: Dual { Dual(T.zero, T.zero) }

    /// Equal when both the values and the tangents are equal.
    @inlinable public static func == (a: Dual, b: Dual) -> Bool { a.value == b.value && a.tangent == b.tangent }
    /// (a + a'ε) + (b + b'ε) = (a + b) + (a' + b')ε.
    @inlinable public static func + (a: Dual, b: Dual) -> Dual { Dual(a.value + b.value, a.tangent + b.tangent) }
    /// (a + a'ε) − (b + b'ε) = (a − b) + (a' − b')ε.
    @inlinable public static func - (a: Dual, b: Dual) -> Dual { Dual(a.value - b.value, a.tangent - b.tangent) }
    /// The product rule: (a + a'ε)(b + b'ε) = ab + (a'b + ab')ε.
    @inlinable public static func * (a: Dual, b: Dual) -> Dual { Dual(a.value * b.value, a.tangent * b.value + a.value * b.tangent) }
    /// The quotient rule: a/b + ((a' − (a/b)·b') / b)ε.
    @inlinable public static func / (a: Dual, b: Dual) -> Dual {
        let q = a.value / b.value
        return Dual(q, (a.tangent - q * b.tangent) / b.value)
    }
    /// −a − a'ε.
    @inlinable public static prefix func - (a: Dual) -> Dual { Dual(-a.value, -a.tangent) }
    /// e^a + e^a·a'ε.
    @inlinable public static func exp(_ x: Dual) -> Dual {
        let e = T.exp(x.value)
        return Dual(e, e * x.tangent)
    }
    /// log a + (a'/a)ε.
    @inlinable public static func log(_ x: Dual) -> Dual { Dual(T.log(x.value), x.tangent / x.value) }
    /// √a + (a' / 2√a)ε, with a zero tangent at a = 0 (where the derivative is infinite).
    @inlinable public static func sqrt(_ x: Dual) -> Dual {
        let s = T.sqrt(x.value)
        return Dual(s, s == T.zero ? T.zero : x.tangent / (T(2) * s))
    }
    /// tanh a + (1 − tanh² a)·a'ε.
    @inlinable public static func tanh(_ x: Dual) -> Dual {
        let t = T.tanh(x.value)
        return Dual(t, (T(1) - t * t) * x.tangent)
    }
    /// sin a + cos a·a'ε.
    @inlinable public static func sin(_ x: Dual) -> Dual { Dual(T.sin(x.value), T.cos(x.value) * x.tangent) }
    /// cos a − sin a·a'ε.
    @inlinable public static func cos(_ x: Dual) -> Dual { Dual(T.cos(x.value), -(T.sin(x.value) * x.tangent)) }
    /// atan2(y, x) with tangent (x·y' − y·x') / (x² + y²).
    @inlinable public static func atan2(_ y: Dual, _ x: Dual) -> Dual {
        let r2 = x.value * x.value + y.value * y.value
        return Dual(T.atan2(y.value, x.value), (x.value * y.tangent - y.value * x.tangent) / r2)
    }
}
