#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small, fast, seedable random number generator (SplitMix64, Steele, Lea &
/// Flood 2014). Every randomized algorithm in archsynth takes one of these (or
/// any `RandomNumberGenerator`) so results are reproducible from a seed.
///
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let x = Int.random(in: 0..<10, using: &rng)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The 64-bit state; it advances by the constant 0x9E3779B97F4A7C15 per `next()`.
    public private(set) var state: UInt64

    /// A generator whose sequence is determined by `seed` (any value, including 0).
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits: advances `state`, then mixes it (Stafford's variant 13).
    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }


    /// A uniform Double in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal sample (Box–Muller on two uniforms; the first is kept away from 0).
    /// - Complexity: O(1); consumes two values of the stream.
    public mutating func nextGaussian() -> Double {
        let u = max(nextUnit(), 0x1p-60), v = nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
