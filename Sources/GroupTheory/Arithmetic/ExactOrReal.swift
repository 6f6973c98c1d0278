/// A number that is exact when it can be and Float64 otherwise: a matrix entry of a spec
/// (`1/2` is exact, `0.5` and `"sqrt(5)/4"` are real), a character value (exact for exact
/// representations), a constant headed for generated code. One type for all three, so a
/// value read from a spec keeps its exactness through characters and into emitted literals.
///
/// Arithmetic stays exact while both operands are: `.exact(1/2) * .exact(2)` is `.exact(1)`;
/// any `.real` operand makes the result `.real`.
///
/// ```swift
/// let half = ExactOrReal.exact(Rational(1, 2))
/// (half + .exact(1)).description   // "3/2"
/// (half * .real(0.5)).doubleValue  // 0.25
/// ```
public enum ExactOrReal: Hashable, Sendable, CustomStringConvertible {
    /// An exact rational value.
    case exact(Rational)
    /// A Float64 value.
    case real(Double)

    /// The value as a `Double` (the nearest one for `.exact`).
    public var doubleValue: Double {
        switch self {
        case let .exact(r): return r.doubleValue
        case let .real(x): return x
        }
    }

    /// The rational value, or nil for a real.
    public var exactValue: Rational? {
        if case let .exact(r) = self { return r }
        return nil
    }

    /// The value as a non-negative integer when it is one: exactly for `.exact`, within
    /// 1e-6 relative for `.real` (a character inner product computed in Float64). Nil otherwise.
    public var nonnegativeInteger: Int? {
        switch self {
        case let .exact(r):
            guard r.isInteger, r.signum >= 0, r.hasInt64Parts else { return nil }
            return Int(r.numerator)
        case let .real(x):
            let rounded = x.rounded()
            guard x.isFinite, abs(x - rounded) <= 1e-6 * max(1, abs(x)), rounded >= 0, rounded < 9e18 else { return nil }
            return Int(rounded)
        }
    }

    /// Exact values print as rationals; reals within 1e-9 of an integer print as that integer.
    public var description: String {
        switch self {
        case let .exact(r): return r.description
        case let .real(x):
            let rounded = x.rounded()
            // Only integers that fit Int print as integers (1e20 prints as 1e+20, not a trap).
            return abs(x - rounded) < 1e-9 && abs(rounded) < 9e18 ? "\(Int(rounded))" : "\(x)"
        }
    }

    /// Sum: exact when both operands are `.exact`, `.real` otherwise.
    public static func + (a: ExactOrReal, b: ExactOrReal) -> ExactOrReal {
        if case let .exact(x) = a, case let .exact(y) = b { return .exact(x + y) }
        return .real(a.doubleValue + b.doubleValue)
    }

    /// Product: exact when both operands are `.exact`, `.real` otherwise.
    public static func * (a: ExactOrReal, b: ExactOrReal) -> ExactOrReal {
        if case let .exact(x) = a, case let .exact(y) = b { return .exact(x * y) }
        return .real(a.doubleValue * b.doubleValue)
    }
}
