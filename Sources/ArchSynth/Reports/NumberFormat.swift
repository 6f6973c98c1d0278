/// The one number formatter of archsynth's reports (verify tables, K sweeps, experiment tables):
/// deterministic, no locale, no Foundation.
///
/// ```swift
/// NumberFormat.scientific(0.000123456)   // "1.23e-04"
/// NumberFormat.fixed(2.5, digits: 2)     // "2.50"
/// ```
public enum NumberFormat {
    /// Three significant digits and a signed exponent of at least two digits (`1.23e-07`,
    /// `-4.50e+12`); `0` for zero, `nan`, `inf` and `-inf` for the non-finite values.
    public static func scientific(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        guard x != 0 else { return "0" }
        var e = 0
        var m = abs(x)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        var digits = Int((m * 100).rounded())
        if digits >= 1000 { digits /= 10; e += 1 }
        let mantissa = "\(digits / 100).\(padded(digits % 100, 2))"
        return (x < 0 ? "-" : "") + mantissa + "e" + (e < 0 ? "-" : "+") + padded(abs(e), 2)
    }

    /// `x` rounded to `digits` decimals (`fixed(2.5, digits: 2)` is `2.50`, `fixed(-0.04, digits: 1)`
    /// is `-0.0`); `nan`, `inf` and `-inf` for the non-finite values. Exact for |x| · 10^digits below 2⁵³.
    public static func fixed(_ x: Double, digits: Int) -> String {
        precondition(digits >= 0 && digits <= 15, "NumberFormat.fixed: digits must be 0…15, not \(digits)")
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9.0e15 else { return scientific(x) }
        let n = UInt64(scaled)
        let p = UInt64(scale)
        let whole = "\(n / p)"
        let sign = x < 0 || (x == 0 && x.sign == .minus) ? "-" : ""
        return sign + whole + (digits > 0 ? "." + padded(Int(n % p), digits) : "")
    }

    private static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
