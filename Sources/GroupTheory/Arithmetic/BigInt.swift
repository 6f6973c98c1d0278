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

    public init() {
        isNegative = false
        magnitude = BigUInt()
    }

    public init(isNegative: Bool, magnitude: BigUInt) {
        self.magnitude = magnitude
        self.isNegative = isNegative && !magnitude.isZero
    }

    public init(_ magnitude: BigUInt) { self.init(isNegative: false, magnitude: magnitude) }

    public init(_ value: Int64) {
        self.init(isNegative: value < 0, magnitude: BigUInt(value.magnitude))
    }

    public init(_ value: Int) { self.init(Int64(value)) }

    public init(integerLiteral value: Int64) { self.init(value) }

    /// Parses optional `-`/`+` followed by decimal digits; `nil` otherwise.
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

    public var description: String { (isNegative ? "-" : "") + magnitude.description }

    public static prefix func - (x: BigInt) -> BigInt {
        BigInt(isNegative: !x.isNegative, magnitude: x.magnitude)
    }

    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.isNegative == b.isNegative {
            return BigInt(isNegative: a.isNegative, magnitude: a.magnitude + b.magnitude)
        }
        if a.magnitude >= b.magnitude {
            return BigInt(isNegative: a.isNegative, magnitude: a.magnitude - b.magnitude)
        }
        return BigInt(isNegative: b.isNegative, magnitude: b.magnitude - a.magnitude)
    }

    public static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    public static func * (a: BigInt, b: BigInt) -> BigInt {
        BigInt(isNegative: a.isNegative != b.isNegative, magnitude: a.magnitude * b.magnitude)
    }

    /// Truncating division: the quotient rounds toward zero, the remainder has the dividend's sign.
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        let (q, r) = magnitude.quotientAndRemainder(dividingBy: divisor.magnitude)
        return (BigInt(isNegative: isNegative != divisor.isNegative, magnitude: q),
                BigInt(isNegative: isNegative, magnitude: r))
    }

    public static func / (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).quotient }
    public static func % (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).remainder }

    public static func += (a: inout BigInt, b: BigInt) { a = a + b }
    public static func -= (a: inout BigInt, b: BigInt) { a = a - b }
    public static func *= (a: inout BigInt, b: BigInt) { a = a * b }

    /// The non-negative greatest common divisor; `gcd(0, 0) = 0`.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        BigInt(BigUInt.gcd(a.magnitude, b.magnitude))
    }

    public static func < (a: BigInt, b: BigInt) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        return a.isNegative ? b.magnitude < a.magnitude : a.magnitude < b.magnitude
    }
}
