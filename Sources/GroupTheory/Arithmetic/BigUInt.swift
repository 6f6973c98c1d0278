/// An arbitrary-precision unsigned integer, used for group orders (|S_50| = 50!,
/// the Rubik's cube group's 43252003274489856000) that overflow `Int`.
///
/// Little-endian 64-bit limbs with no leading zero limbs; zero is the empty array.
///
/// ```swift
/// let order = BigUInt.factorial(50)
/// print(order)   // 30414093201713378043612608166064768844377641568960512000000000000
/// ```
public struct BigUInt: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// Limbs, least significant first, never ending in a zero limb.
    public private(set) var limbs: [UInt64]

    /// Zero.
    public init() { limbs = [] }

    /// The value of a `UInt64`.
    public init(_ value: UInt64) { limbs = value == 0 ? [] : [value] }

    /// The value of a nonnegative `Int`; traps if `value < 0`.
    public init(_ value: Int) {
        precondition(value >= 0, "BigUInt cannot hold the negative value \(value)")
        self.init(UInt64(value))
    }

    /// A nonnegative integer literal.
    public init(integerLiteral value: UInt64) { self.init(value) }

    /// From little-endian limbs; trailing zero limbs are dropped.
    public init(limbs: [UInt64]) {
        self.limbs = limbs
        normalize()
    }

    /// Parses a decimal string of digits; `nil` for anything else (signs and spaces included).
    /// - Complexity: O(d²/64) limb operations for d digits (one small multiply per digit).
    public init?(decimal text: String) {
        guard !text.isEmpty else { return nil }
        var result = BigUInt()
        for scalar in text.unicodeScalars {
            guard scalar.value >= 48, scalar.value <= 57 else { return nil }
            result.multiply(bySmall: 10)
            result.add(small: UInt64(scalar.value - 48))
        }
        self = result
    }

    /// Whether the value is 0 (no limbs).
    public var isZero: Bool { limbs.isEmpty }

    /// The value as an `Int` when it fits.
    public var intValue: Int? {
        if limbs.isEmpty { return 0 }
        if limbs.count == 1, limbs[0] <= UInt64(Int.max) { return Int(limbs[0]) }
        return nil
    }

    /// A `Double` approximation (exact below 2^53).
    public var doubleValue: Double {
        var result = 0.0
        for limb in limbs.reversed() { result = result * 18446744073709551616.0 + Double(limb) }
        return result
    }

    /// `n!` exactly; traps if `n < 0`.
    /// - Complexity: n small multiplications, O(n² log n / 64) limb operations.
    public static func factorial(_ n: Int) -> BigUInt {
        precondition(n >= 0, "factorial of a negative number")
        var result: BigUInt = 1
        if n >= 2 { for k in 2...n { result.multiply(bySmall: UInt64(k)) } }
        return result
    }

    /// `base^exponent` exactly (`0^0 = 1`); traps on negative arguments.
    /// - Complexity: `exponent` small multiplications, O(exponent² · log base / 64) limb operations.
    public static func power(_ base: Int, _ exponent: Int) -> BigUInt {
        precondition(base >= 0 && exponent >= 0)
        var result: BigUInt = 1
        for _ in 0..<exponent { result.multiply(bySmall: UInt64(base)) }
        return result
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    /// Adds a `UInt64` in place, carrying into new limbs as needed.
    /// - Complexity: O(1) unless a carry propagates; O(n) for an n-limb value at worst.
    public mutating func add(small value: UInt64) {
        var carry = value
        var i = 0
        while carry != 0 {
            if i == limbs.count { limbs.append(0) }
            let (sum, overflow) = limbs[i].addingReportingOverflow(carry)
            limbs[i] = sum
            carry = overflow ? 1 : 0
            i += 1
        }
    }

    /// Multiplies in place by a `UInt64`; a zero factor makes the value 0.
    /// - Complexity: O(n) limb operations for an n-limb value.
    public mutating func multiply(bySmall factor: UInt64) {
        if factor == 0 { limbs = []; return }
        var carry: UInt64 = 0
        for i in limbs.indices {
            let (high, low) = limbs[i].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            limbs[i] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        if carry != 0 { limbs.append(carry) }
    }

    /// Divides in place by a nonzero small divisor and returns the remainder.
    /// - Complexity: O(n) limb operations.
    @discardableResult
    public mutating func divide(bySmall divisor: UInt64) -> UInt64 {
        precondition(divisor != 0, "division by zero")
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let (q, r) = divisor.dividingFullWidth((high: remainder, low: limbs[i]))
            limbs[i] = q
            remainder = r
        }
        normalize()
        return remainder
    }

    /// Sum.
    /// - Complexity: O(max(m, n)) limb operations for m- and n-limb operands.
    public static func + (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        var result = lhs.limbs.count >= rhs.limbs.count ? lhs.limbs : rhs.limbs
        let other = lhs.limbs.count >= rhs.limbs.count ? rhs.limbs : lhs.limbs
        var carry: UInt64 = 0
        for i in result.indices {
            let addend = i < other.count ? other[i] : 0
            if addend == 0 && carry == 0 && i >= other.count { break }
            let (s1, o1) = result[i].addingReportingOverflow(addend)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            result[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        if carry != 0 { result.append(carry) }
        var big = BigUInt()
        big.limbs = result
        return big
    }

    /// `lhs - rhs`; traps if `rhs > lhs`.
    public static func - (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        precondition(lhs >= rhs, "BigUInt subtraction underflow")
        var result = lhs.limbs
        var borrow: UInt64 = 0
        for i in result.indices {
            let subtrahend = i < rhs.limbs.count ? rhs.limbs[i] : 0
            let (d1, o1) = result[i].subtractingReportingOverflow(subtrahend)
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            result[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        var big = BigUInt()
        big.limbs = result
        big.normalize()
        return big
    }

    /// Schoolbook product.
    /// - Complexity: O(m·n) limb operations.
    public static func * (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        if lhs.isZero || rhs.isZero { return BigUInt() }
        var result = [UInt64](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for i in lhs.limbs.indices {
            var carry: UInt64 = 0
            let a = lhs.limbs[i]
            for j in rhs.limbs.indices {
                let (high, low) = a.multipliedFullWidth(by: rhs.limbs[j])
                let (s1, o1) = result[i + j].addingReportingOverflow(low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                result[i + j] = s2
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            result[i + rhs.limbs.count] = carry
        }
        var big = BigUInt()
        big.limbs = result
        big.normalize()
        return big
    }

    /// Adds `rhs` to `lhs`; see `+`.
    public static func += (lhs: inout BigUInt, rhs: BigUInt) { lhs = lhs + rhs }
    /// Multiplies `lhs` by `rhs`; see `*`.
    public static func *= (lhs: inout BigUInt, rhs: BigUInt) { lhs = lhs * rhs }

    /// Numeric order: fewer limbs is smaller, then limbs compared from the most significant.
    /// - Complexity: O(n) limb comparisons in the worst case.
    public static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for i in lhs.limbs.indices.reversed() where lhs.limbs[i] != rhs.limbs[i] {
            return lhs.limbs[i] < rhs.limbs[i]
        }
        return false
    }

    /// Exact decimal digits.
    public var description: String {
        if isZero { return "0" }
        var chunks: [UInt64] = []
        var value = self
        let chunkBase: UInt64 = 10_000_000_000_000_000_000  // 10^19
        while !value.isZero { chunks.append(value.divide(bySmall: chunkBase)) }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}
