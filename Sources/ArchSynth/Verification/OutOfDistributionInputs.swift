import ArchSynthRuntime
import Foundation
import GroupTheory

/// The input families of DESIGN.md "Verification (out of distribution)": the runtime's
/// `InputFamily` (standard normal, ×1e4, ×1e-4, Cauchy, one-hot, constant), one definition for
/// the library checks, the law checks and the compiled harnesses.
public typealias OutOfDistributionInputs = InputFamily

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
        func key(_ a: [Double], _ b: [Double]) -> [Int64] { (a + b).map { Int64(($0 * 1e6).rounded()) } }
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
