/// An exact rational number in lowest terms with a positive denominator.
///
/// Arithmetic never overflows: values whose parts fit in `Int64` use a fast
/// overflow-checked path, and any result that does not fit is promoted to
/// `BigInt` parts (and demoted again when it fits). The representation is
/// canonical — small exactly when |numerator| ≤ Int64.max and
/// denominator ≤ Int64.max — so equal values compare and hash equal.
///
/// ```swift
/// let half = Rational(1, 2)
/// half + Rational(1, 3)    // 5/6
/// ```
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, AdditiveArithmetic
{
    /// Canonical storage: `.small(n, d)` with n ≠ Int64.min, d ≥ 1, gcd(n, d) = 1;
    /// `.big` only when a part does not fit.
    @usableFromInline
    enum Storage: Sendable {
        case small(Int64, Int64)
        case big(BigParts)
    }

    @usableFromInline
    final class BigParts: Sendable {
        let numerator: BigInt
        let denominator: BigInt
        init(_ numerator: BigInt, _ denominator: BigInt) {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    @usableFromInline
    var storage: Storage

    /// 0.
    public static let zero = Rational(0)
    /// 1.
    public static let one = Rational(1)

    @inlinable
    init(canonicalSmall n: Int64, _ d: Int64) { storage = .small(n, d) }

    /// An integer literal.
    public init(integerLiteral value: Int64) { self.init(value) }

    /// The integer `value` (`Int64.min` is stored with big parts).
    public init(_ value: Int64) {
        if value == Int64.min {
            storage = .big(BigParts(BigInt(value), BigInt(1)))
        } else {
            storage = .small(value, 1)
        }
    }

    /// The integer `value`.
    public init(_ value: Int) { self.init(Int64(value)) }

    /// `numerator / denominator` in lowest terms; traps on a zero denominator.
    public init(_ numerator: Int64, _ denominator: Int64) {
        precondition(denominator != 0, "zero denominator")
        self = Rational.reducing(numerator, denominator)
    }

    /// `numerator / denominator` in lowest terms; traps on a zero denominator.
    public init(_ numerator: Int, _ denominator: Int) { self.init(Int64(numerator), Int64(denominator)) }

    /// `numerator / denominator` for arbitrary-precision parts; traps on a zero denominator.
    public init(numerator: BigInt, denominator: BigInt = 1) {
        precondition(!denominator.isZero, "zero denominator")
        self = Rational.reducing(big: numerator, denominator)
    }

    /// An integer-valued rational.
    public init(_ value: BigInt) { self = Rational.canonical(value, BigInt(1)) }

    // MARK: Canonicalization

    /// Reduces arbitrary `Int64` parts (either sign, Int64.min allowed).
    @usableFromInline
    static func reducing(_ n: Int64, _ d: Int64) -> Rational {
        let nm = n.magnitude, dm = d.magnitude
        let g = gcd(nm, dm)
        let rn = nm / g, rd = dm / g
        let negative = (n < 0) != (d < 0) && nm != 0
        if rn <= UInt64(Int64.max), rd <= UInt64(Int64.max) {
            return Rational(canonicalSmall: negative ? -Int64(rn) : Int64(rn), Int64(rd))
        }
        return Rational(storage: .big(BigParts(BigInt(isNegative: negative, magnitude: BigUInt(rn)),
                                                BigInt(BigUInt(rd)))))
    }

    static func reducing(big n: BigInt, _ d: BigInt) -> Rational {
        let g = BigUInt.gcd(n.magnitude, d.magnitude)
        let negative = n.isNegative != d.isNegative
        var nm = n.magnitude, dm = d.magnitude
        if g.uint64Value != 1 {
            nm = nm / g
            dm = dm / g
        }
        return canonical(BigInt(isNegative: negative, magnitude: nm), BigInt(dm))
    }

    /// Parts already in lowest terms with a positive denominator: demote if they fit.
    static func canonical(_ n: BigInt, _ d: BigInt) -> Rational {
        if let dm = d.magnitude.uint64Value, dm <= UInt64(Int64.max),
            let nm = n.magnitude.uint64Value, nm <= UInt64(Int64.max)
        {
            return Rational(canonicalSmall: n.isNegative ? -Int64(nm) : Int64(nm), Int64(dm))
        }
        return Rational(storage: .big(BigParts(n, d)))
    }

    init(storage: Storage) { self.storage = storage }

    @inlinable
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }

    // MARK: Parts

    /// True when both parts fit in `Int64` (the fast representation).
    public var hasInt64Parts: Bool {
        if case .small = storage { return true }
        return false
    }

    /// The numerator as `Int64`; traps if it does not fit (see `bigNumerator`, `hasInt64Parts`).
    public var numerator: Int64 {
        switch storage {
        case .small(let n, _): return n
        case .big(let parts): return fitting(parts.numerator, "numerator", exact: "bigNumerator")
        }
    }

    /// The (positive) denominator as `Int64`; traps if it does not fit (see `bigDenominator`).
    public var denominator: Int64 {
        switch storage {
        case .small(_, let d): return d
        case .big(let parts): return fitting(parts.denominator, "denominator", exact: "bigDenominator")
        }
    }

    /// `part` as `Int64`; traps naming the part (`name`) and its exact accessor when it does not fit.
    private func fitting(_ part: BigInt, _ name: String, exact: String) -> Int64 {
        guard let value = part.int64Value else { preconditionFailure("\(name) of \(self) does not fit in Int64; use \(exact)") }
        return value
    }

    /// The numerator, exactly.
    public var bigNumerator: BigInt {
        switch storage {
        case .small(let n, _): return BigInt(n)
        case .big(let parts): return parts.numerator
        }
    }

    /// The positive denominator, exactly.
    public var bigDenominator: BigInt {
        switch storage {
        case .small(_, let d): return BigInt(d)
        case .big(let parts): return parts.denominator
        }
    }

    /// Whether the value is 0.
    /// - Complexity: O(1).
    @inlinable
    public var isZero: Bool {
        if case .small(let n, _) = storage { return n == 0 }
        return false
    }

    /// Whether the denominator is 1.
    public var isInteger: Bool {
        switch storage {
        case .small(_, let d): return d == 1
        case .big(let parts): return parts.denominator == BigInt(1)
        }
    }

    /// -1, 0 or 1.
    public var signum: Int {
        switch storage {
        case .small(let n, _): return n == 0 ? 0 : (n < 0 ? -1 : 1)
        case .big(let parts): return parts.numerator.signum
        }
    }

    /// The absolute value.
    public var magnitude: Rational { signum < 0 ? -self : self }

    /// The nearest `Double` (correct to about one ulp, also for huge parts).
    public var doubleValue: Double {
        switch storage {
        case .small(let n, let d): return Double(n) / Double(d)
        case .big(let parts):
            let a = BigInt.scaledDouble(parts.numerator.magnitude)
            let b = BigInt.scaledDouble(parts.denominator.magnitude)
            let q = a.significand / b.significand
            let value = Double(sign: .plus, exponent: a.exponent - b.exponent, significand: q)
            return parts.numerator.isNegative ? -value : value
        }
    }

    // MARK: Equality and hashing

    /// Equality of values (the representation is canonical, so parts are compared directly).
    public static func == (a: Rational, b: Rational) -> Bool {
        switch (a.storage, b.storage) {
        case (.small(let an, let ad), .small(let bn, let bd)): return an == bn && ad == bd
        case (.big(let x), .big(let y)): return x.numerator == y.numerator && x.denominator == y.denominator
        default: return false  // canonical: a small and a big value are never equal
        }
    }

    /// Hashes the canonical parts, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .small(let n, let d):
            hasher.combine(n)
            hasher.combine(d)
        case .big(let parts):
            hasher.combine(parts.numerator)
            hasher.combine(parts.denominator)
        }
    }

    // MARK: Arithmetic

    /// Sum in lowest terms.
    /// - Complexity: O(1) when the parts and the result fit in `Int64`; otherwise
    ///   big-integer products and a gcd, O(n²) limb operations for n-limb parts.
    public static func + (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if an == 0 { return b }
            if bn == 0 { return a }
            if ad == bd {
                let (s, o) = an.addingReportingOverflow(bn)
                if !o { return ad == 1 ? Rational(s) : reducing(s, ad) }
            } else {
                let g = Int64(gcd(ad.magnitude, bd.magnitude))
                let bdg = bd / g
                let (l, o1) = an.multipliedReportingOverflow(by: bdg)
                let (r, o2) = bn.multipliedReportingOverflow(by: ad / g)
                let (s, o3) = l.addingReportingOverflow(r)
                let (d, o4) = ad.multipliedReportingOverflow(by: bdg)
                if !(o1 || o2 || o3 || o4) { return reducing(s, d) }
            }
        }
        if a.isInteger && b.isInteger { return canonical(a.bigNumerator + b.bigNumerator, BigInt(1)) }
        let (an, ad) = (a.bigNumerator, a.bigDenominator)
        let (bn, bd) = (b.bigNumerator, b.bigDenominator)
        return reducing(big: an * bd + bn * ad, ad * bd)
    }

    /// Negation.
    public static prefix func - (a: Rational) -> Rational {
        switch a.storage {
        case .small(let n, let d): return Rational(canonicalSmall: -n, d)
        case .big(let parts): return Rational(storage: .big(BigParts(-parts.numerator, parts.denominator)))
        }
    }

    /// Difference `a + (-b)`.
    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }

    /// Product in lowest terms (cross-cancelling gcds first, so small results stay small).
    /// - Complexity: O(1) when the parts and the result fit in `Int64`; otherwise
    ///   O(n²) limb operations for n-limb parts.
    public static func * (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if an == 0 || bn == 0 { return Rational(canonicalSmall: 0, 1) }
            let g1 = Int64(gcd(an.magnitude, bd.magnitude))
            let g2 = Int64(gcd(bn.magnitude, ad.magnitude))
            let (n, o1) = (an / g1).multipliedReportingOverflow(by: bn / g2)
            let (d, o2) = (ad / g2).multipliedReportingOverflow(by: bd / g1)
            if !(o1 || o2) {
                return n == Int64.min ? reducing(n, d) : Rational(canonicalSmall: n, d)
            }
        }
        if a.isInteger && b.isInteger { return canonical(a.bigNumerator * b.bigNumerator, BigInt(1)) }
        let (an, ad) = (a.bigNumerator, a.bigDenominator)
        let (bn, bd) = (b.bigNumerator, b.bigDenominator)
        let g1 = BigInt.gcd(an, bd), g2 = BigInt.gcd(bn, ad)
        return canonical((an / g1) * (bn / g2), (ad / g2) * (bd / g1))
    }

    /// a / b for integers a, b where b divides a exactly (fraction-free elimination);
    /// the caller guarantees exactness.
    static func exactIntegerQuotient(_ a: Rational, _ b: Rational) -> Rational {
        if case .small(let an, _) = a.storage, case .small(let bn, _) = b.storage {
            return Rational(canonicalSmall: an / bn, 1)
        }
        return canonical(a.bigNumerator / b.bigNumerator, BigInt(1))
    }

    /// 1/x; traps for zero.
    public var reciprocal: Rational {
        switch storage {
        case .small(let n, let d):
            precondition(n != 0, "reciprocal of zero")
            return n < 0 ? Rational(canonicalSmall: -d, -n) : Rational(canonicalSmall: d, n)
        case .big(let parts):
            let n = parts.numerator
            return Rational.canonical(n.isNegative ? -parts.denominator : parts.denominator,
                                      BigInt(n.magnitude))
        }
    }

    /// Quotient `a · b⁻¹`; traps if `b` is zero.
    public static func / (a: Rational, b: Rational) -> Rational { a * b.reciprocal }

    /// Adds `b` to `a`.
    public static func += (a: inout Rational, b: Rational) { a = a + b }
    /// Subtracts `b` from `a`.
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    /// Multiplies `a` by `b`.
    public static func *= (a: inout Rational, b: Rational) { a = a * b }
    /// Divides `a` by `b`; traps if `b` is zero.
    public static func /= (a: inout Rational, b: Rational) { a = a / b }

    /// Numeric order, by comparing cross products exactly (128-bit for `Int64` parts).
    public static func < (a: Rational, b: Rational) -> Bool {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            let l = an.multipliedFullWidth(by: bd), r = bn.multipliedFullWidth(by: ad)
            return l.high != r.high ? l.high < r.high : l.low < r.low
        }
        return a.bigNumerator * b.bigDenominator < b.bigNumerator * a.bigDenominator
    }

    /// `self^exponent` by repeated squaring; negative exponents need a nonzero base (traps otherwise).
    /// `0^0 = 1`.
    /// - Complexity: O(log |exponent|) multiplications.
    public func power(_ exponent: Int) -> Rational {
        var base = exponent < 0 ? reciprocal : self
        var e = exponent.magnitude
        var result = Rational.one
        while e > 0 {
            if e & 1 == 1 { result *= base }
            e >>= 1
            if e > 0 { base *= base }
        }
        return result
    }

    // MARK: Text

    /// Parses `"3"`, `"-7"`, `"1/2"`, `"-3/4"` (parts of any length, spaces around each part
    /// allowed); `nil` for anything else, including a zero denominator.
    /// - Complexity: O(d²/64) limb operations for d digits, plus the reduction's gcd.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            let n = BigInt(decimal: String(parts[0].trimmingSpaces))
        else { return nil }
        if parts.count == 2 {
            guard let d = BigInt(decimal: String(parts[1].trimmingSpaces)), !d.isZero else { return nil }
            self.init(numerator: n, denominator: d)
        } else {
            self.init(n)
        }
    }

    /// `"n"` for integers, `"n/d"` otherwise (lowest terms, sign on the numerator).
    public var description: String {
        switch storage {
        case .small(let n, let d): return d == 1 ? "\(n)" : "\(n)/\(d)"
        case .big(let parts):
            return parts.denominator == BigInt(1) ? "\(parts.numerator)" : "\(parts.numerator)/\(parts.denominator)"
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return s
    }
}
