/// An exact rational number in lowest terms with a positive denominator.
///
/// Arithmetic never silently overflows. (Initial version: Int64 parts with
/// overflow-checked operations that trap; to be widened to arbitrary precision.)
///
/// ```swift
/// let half = Rational(1, 2)
/// half + Rational(1, 3)    // 5/6
/// ```
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public private(set) var numerator: Int64
    public private(set) var denominator: Int64

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public init(integerLiteral value: Int64) { self.init(value) }

    public init(_ value: Int64) { numerator = value; denominator = 1 }
    public init(_ value: Int) { self.init(Int64(value)) }

    public init(_ numerator: Int64, _ denominator: Int64) {
        precondition(denominator != 0, "zero denominator")
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        let g = Rational.gcd(n.magnitude, d.magnitude)
        self.numerator = n / Int64(g)
        self.denominator = d / Int64(g)
    }

    public init(_ numerator: Int, _ denominator: Int) { self.init(Int64(numerator), Int64(denominator)) }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }

    public var isZero: Bool { numerator == 0 }
    public var isInteger: Bool { denominator == 1 }
    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    public static func + (a: Rational, b: Rational) -> Rational {
        let g = Int64(gcd(a.denominator.magnitude, b.denominator.magnitude))
        let (l, o1) = a.numerator.multipliedReportingOverflow(by: b.denominator / g)
        let (r, o2) = b.numerator.multipliedReportingOverflow(by: a.denominator / g)
        let (s, o3) = l.addingReportingOverflow(r)
        let (d, o4) = a.denominator.multipliedReportingOverflow(by: b.denominator / g)
        precondition(!(o1 || o2 || o3 || o4), "rational overflow in \(a) + \(b)")
        return Rational(s, d)
    }

    public static prefix func - (a: Rational) -> Rational {
        var r = a
        r.numerator = -a.numerator
        return r
    }

    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }

    public static func * (a: Rational, b: Rational) -> Rational {
        let g1 = Int64(gcd(a.numerator.magnitude, b.denominator.magnitude))
        let g2 = Int64(gcd(b.numerator.magnitude, a.denominator.magnitude))
        let (n, o1) = (a.numerator / g1).multipliedReportingOverflow(by: b.numerator / g2)
        let (d, o2) = (a.denominator / g2).multipliedReportingOverflow(by: b.denominator / g1)
        precondition(!(o1 || o2), "rational overflow in \(a) * \(b)")
        return Rational(n, d)
    }

    public var reciprocal: Rational {
        precondition(numerator != 0, "reciprocal of zero")
        return Rational(denominator, numerator)
    }

    public static func / (a: Rational, b: Rational) -> Rational { a * b.reciprocal }

    public static func += (a: inout Rational, b: Rational) { a = a + b }
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    public static func *= (a: inout Rational, b: Rational) { a = a * b }

    public static func < (a: Rational, b: Rational) -> Bool { (a - b).numerator < 0 }

    /// Parses `"3"`, `"-7"`, `"1/2"`, `"-3/4"`; `nil` for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            let n = Int64(parts[0].trimmingSpaces)
        else { return nil }
        if parts.count == 2 {
            guard let d = Int64(parts[1].trimmingSpaces), d != 0 else { return nil }
            self.init(n, d)
        } else {
            self.init(n)
        }
    }

    public var description: String {
        denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)"
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
