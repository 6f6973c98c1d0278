/// An arbitrary-precision signed integer: a sign and a `BigUInt` magnitude.
///
/// Zero is never negative, so equal values have equal representations (and hashes).
/// Division truncates toward zero, like `Int`.
///
/// ```swift
/// let x = BigInt(Int64.max) * BigInt(-4)
/// print(x)   // -36893488147419103228
/// ```
public struct BigInt: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// True for negative values; always false for zero.
    public private(set) var isNegative: Bool
    /// The absolute value.
    public private(set) var magnitude: BigUInt

    /// Zero.
    public init() {
        isNegative = false
        magnitude = BigUInt()
    }

    /// The value `±magnitude`; a zero magnitude gives 0 (never negative) whatever `isNegative` says.
    public init(isNegative: Bool, magnitude: BigUInt) {
        self.magnitude = magnitude
        self.isNegative = isNegative && !magnitude.isZero
    }

    /// The nonnegative value `magnitude`.
    public init(_ magnitude: BigUInt) { self.init(isNegative: false, magnitude: magnitude) }

    /// The value of an `Int64` (including `Int64.min`).
    public init(_ value: Int64) {
        self.init(isNegative: value < 0, magnitude: BigUInt(value.magnitude))
    }

    /// The value of an `Int`.
    public init(_ value: Int) { self.init(Int64(value)) }

    /// An integer literal.
    public init(integerLiteral value: Int64) { self.init(value) }

    /// Parses optional `-`/`+` followed by decimal digits; `nil` otherwise.
    /// - Complexity: O(d²/64) limb operations for d digits.
    public init?(decimal text: String) {
        var digits = Substring(text)
        var negative = false
        if let first = digits.first, first == "-" || first == "+" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard let magnitude = BigUInt(decimal: String(digits)) else { return nil }
        self.init(isNegative: negative, magnitude: magnitude)
    }

    /// Whether the value is 0.
    public var isZero: Bool { magnitude.isZero }

    /// -1, 0 or 1.
    public var signum: Int { isZero ? 0 : (isNegative ? -1 : 1) }

    /// The value as an `Int64` when it fits.
    public var int64Value: Int64? {
        guard let m = magnitude.uint64Value else { return nil }
        if isNegative {
            if m <= UInt64(Int64.max) { return -Int64(m) }
            return m == UInt64(Int64.max) + 1 ? Int64.min : nil
        }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    /// The nearest `Double` (up to one rounding of the top 64 bits); ±infinity beyond range.
    public var doubleValue: Double {
        let value = BigInt.scaledDouble(magnitude)
        let d = Double(sign: .plus, exponent: value.exponent, significand: value.significand)
        return isNegative ? -d : d
    }

    /// `magnitude ≈ significand · 2^exponent` with the top 64 bits kept.
    static func scaledDouble(_ m: BigUInt) -> (significand: Double, exponent: Int) {
        let width = m.bitWidth
        if width <= 64 { return (Double(m.uint64Value ?? 0), 0) }
        let shift = width - 64
        let top = m.shiftedRight(by: shift).uint64Value ?? 0
        return (Double(top), shift)
    }

    /// Decimal digits, with a leading `-` for negative values.
    public var description: String { (isNegative ? "-" : "") + magnitude.description }

    /// Negation; `-0` is 0.
    public static prefix func - (x: BigInt) -> BigInt {
        BigInt(isNegative: !x.isNegative, magnitude: x.magnitude)
    }

    /// Sum, by magnitude addition or subtraction according to the signs.
    /// - Complexity: O(max(m, n)) limb operations for m- and n-limb magnitudes.
    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.isNegative == b.isNegative {
            return BigInt(isNegative: a.isNegative, magnitude: a.magnitude + b.magnitude)
        }
        if a.magnitude >= b.magnitude {
            return BigInt(isNegative: a.isNegative, magnitude: a.magnitude - b.magnitude)
        }
        return BigInt(isNegative: b.isNegative, magnitude: b.magnitude - a.magnitude)
    }

    /// Difference `a + (-b)`.
    /// - Complexity: O(max(m, n)) limb operations.
    public static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    /// Product (schoolbook on the magnitudes).
    /// - Complexity: O(m·n) limb operations.
    public static func * (a: BigInt, b: BigInt) -> BigInt {
        BigInt(isNegative: a.isNegative != b.isNegative, magnitude: a.magnitude * b.magnitude)
    }

    /// Truncating division: the quotient rounds toward zero, the remainder has the dividend's sign;
    /// traps on a zero divisor.
    /// - Complexity: O(m·n) limb operations (`BigUInt.quotientAndRemainder(dividingBy:)`).
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        let (q, r) = magnitude.quotientAndRemainder(dividingBy: divisor.magnitude)
        return (BigInt(isNegative: isNegative != divisor.isNegative, magnitude: q),
                BigInt(isNegative: isNegative, magnitude: r))
    }

    /// Quotient rounded toward zero, like `Int`; traps on a zero divisor.
    /// - Complexity: O(m·n) limb operations (see `BigUInt.quotientAndRemainder(dividingBy:)`).
    public static func / (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).quotient }
    /// Remainder with the dividend's sign (`-7 % 2 == -1`), like `Int`; traps on a zero divisor.
    public static func % (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).remainder }

    /// Adds `b` to `a`.
    public static func += (a: inout BigInt, b: BigInt) { a = a + b }
    /// Subtracts `b` from `a`.
    public static func -= (a: inout BigInt, b: BigInt) { a = a - b }
    /// Multiplies `a` by `b`.
    public static func *= (a: inout BigInt, b: BigInt) { a = a * b }

    /// The non-negative greatest common divisor; `gcd(0, 0) = 0`.
    /// - Complexity: that of `BigUInt.gcd`, O(n²) limb operations.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        BigInt(BigUInt.gcd(a.magnitude, b.magnitude))
    }

    /// Numeric order.
    public static func < (a: BigInt, b: BigInt) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        return a.isNegative ? b.magnitude < a.magnitude : a.magnitude < b.magnitude
    }
}
