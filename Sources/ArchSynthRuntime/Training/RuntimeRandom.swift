#if canImport(Glibc)
    import Glibc
#endif

/// SplitMix64 (Steele, Lea & Flood 2014) with the samplers generated code and experiments use;
/// the same stream as `GroupTheory.SplitMix64` for the same seed.
///
/// ```swift
/// var rng = RuntimeRandom(seed: 7)
/// let x = rng.normal()
/// ```
public struct RuntimeRandom: RandomNumberGenerator, Sendable {
    /// The 64-bit state; it advances by 0x9E3779B97F4A7C15 per `next()`.
    public private(set) var state: UInt64

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits (SplitMix64's output function).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u = 1 - unit(), v = unit()
        return (-2 * Glibc.log(u)).squareRoot() * Glibc.cos(2 * Double.pi * v)
    }
    /// Uniform integer in 0 ..< n.
    public mutating func index(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// n standard normal values.
    public mutating func normals(_ n: Int, scale: Double = 1) -> [Double] { (0..<n).map { _ in scale * normal() } }
}

/// Out-of-distribution input families (DESIGN.md "Verification"): inputs unlike any training
/// data. `archsynth verify` and the law checks draw from these. A law holds at every input
/// scale (up to 1e8) and on tied inputs (DESIGN.md), so the families reach 1e8 and include ties
/// at a large scale: values S·{0, 0, 1, −1, 2} (uniform over the five, so 0 twice as often),
/// S = 1e6, where a sum taken in a point-dependent order gives tied points different results
/// and a softmax splits unevenly between them. The new families come last, so the earlier ones
/// draw the same samples as before.
public enum InputFamily: String, CaseIterable, Sendable {
    case standardNormal = "standard-normal"
    case large = "normal-x1e4"
    case tiny = "normal-x1e-4"
    case cauchy
    case oneHot = "one-hot"
    case constant
    case larger = "normal-x1e6"
    case largest = "normal-x1e8"
    case tied = "tied-x1e6"

    /// A d-dimensional input from this family.
    public func sample(_ d: Int, _ rng: inout RuntimeRandom) -> [Double] {
        switch self {
        case .standardNormal: return rng.normals(d)
        case .large: return rng.normals(d, scale: 1e4)
        case .tiny: return rng.normals(d, scale: 1e-4)
        case .cauchy: return (0..<d).map { _ in Glibc.tan(Double.pi * (rng.unit() - 0.5)) }
        case .oneHot:
            var x = [Double](repeating: 0, count: d)
            if d > 0 { x[rng.index(d)] = 1 }
            return x
        case .constant: return [Double](repeating: rng.normal(), count: d)
        case .larger: return rng.normals(d, scale: 1e6)
        case .largest: return rng.normals(d, scale: 1e8)
        case .tied:
            // An all-zero draw (likely in few dimensions) gets one nonzero value: the zero input
            // is fixed by every action, so a relative error there would compare an output's
            // rounding noise with itself.
            let values = [0.0, 0, 1, -1, 2]
            var x = (0..<d).map { _ in 1e6 * values[rng.index(values.count)] }
            if d > 0, x.allSatisfy({ $0 == 0 }) { x[rng.index(d)] = 1e6 * values[2 + rng.index(3)] }
            return x
        }
    }
}
