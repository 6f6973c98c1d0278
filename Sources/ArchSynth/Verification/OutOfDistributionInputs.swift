import Foundation
import GroupTheory

/// The input families of DESIGN.md "Verification (out of distribution)": inputs unlike any
/// training data. Every sample comes from a seeded SplitMix64, so runs are reproducible.
///
/// ```swift
/// var rng = SplitMix64(seed: 7)
/// let x = OutOfDistributionInputs.cauchy.sample(dimension: 5, using: &rng)
/// ```
public enum OutOfDistributionInputs: String, CaseIterable, Sendable {
    case standardNormal = "standard-normal"
    case large = "normal-x1e4"
    case tiny = "normal-x1e-4"
    case cauchy
    case oneHot = "one-hot"
    case constant

    /// One sample of `dimension` values.
    public func sample(dimension d: Int, using rng: inout SplitMix64) -> [Double] {
        switch self {
        case .standardNormal: return (0..<d).map { _ in Self.normal(&rng) }
        case .large: return (0..<d).map { _ in 1e4 * Self.normal(&rng) }
        case .tiny: return (0..<d).map { _ in 1e-4 * Self.normal(&rng) }
        case .cauchy: return (0..<d).map { _ in tan(Double.pi * (rng.nextUnit() - 0.5)) }
        case .oneHot:
            var x = [Double](repeating: 0, count: d)
            if d > 0 { x[Int(rng.next() % UInt64(d))] = 1 }
            return x
        case .constant:
            let c = Self.normal(&rng)
            return [Double](repeating: c, count: d)
        }
    }

    /// Box–Muller.
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = 1 - rng.nextUnit()  // (0, 1]
        let v = rng.nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// The elements to test: the image of the group acting on input ⊕ output, listed by
/// breadth-first closure of the generator actions (keyed by the image of a fixed random probe
/// vector, so elements acting identically are one), or random words plus every generator
/// when the closure exceeds `limit`.
public struct ElementWords: Sendable {
    /// Each word lists generator indices in the order they are applied.
    public let words: [[Int]]
    /// True when `words` covers every element of the acting group.
    public let isComplete: Bool

    public init(
        generatorCount k: Int, inputDimension: Int, outputDimension: Int, limit: Int, randomWords: Int = 200,
        seed: UInt64 = 0x0D15_7B1B, actInput: (Int, [Double]) -> [Double], actOutput: (Int, [Double]) -> [Double]
    ) {
        var rng = SplitMix64(seed: seed)
        let pIn = (0..<inputDimension).map { _ in rng.nextUnit() * 2 - 1 }
        let pOut = (0..<outputDimension).map { _ in rng.nextUnit() * 2 - 1 }
        // Rounded to 1e-6; a value too large for Int64 (or not finite) keys by its bits.
        func key(_ a: [Double], _ b: [Double]) -> [Int64] {
            (a + b).map { x in
                let y = (x * 1e6).rounded()
                return abs(y) < 9e18 ? Int64(y) : Int64(bitPattern: y.bitPattern)
            }
        }
        var seen: Set<[Int64]> = [key(pIn, pOut)]
        var queue: [([Int], [Double], [Double])] = [([], pIn, pOut)]
        var i = 0
        var complete = true
        closure: while i < queue.count {
            let (w, a, b) = queue[i]
            i += 1
            for g in 0..<k {
                let a2 = actInput(g, a), b2 = actOutput(g, b)
                if seen.insert(key(a2, b2)).inserted {
                    guard queue.count < limit else { complete = false; break closure }
                    queue.append((w + [g], a2, b2))
                }
            }
        }
        if complete {
            words = queue.map(\.0)
        } else {
            var list = (0..<k).map { [$0] }
            for _ in 0..<randomWords where k > 0 {
                list.append((0..<(1 + Int(rng.next() % 24))).map { _ in Int(rng.next() % UInt64(k)) })
            }
            words = list
        }
        isComplete = complete
    }
}
