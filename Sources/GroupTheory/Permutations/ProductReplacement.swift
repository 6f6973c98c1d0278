/// Pseudo-random elements of `⟨generators⟩` by the product replacement algorithm
/// (Celler, Leedham-Green, Murray, Niemeyer, O'Brien 1995) with an accumulator
/// ("rattle", Leedham-Green & Murray 2002), which makes the output close to uniform
/// after a short burn-in. Works on the generators alone: no stabilizer chain needed.
///
/// Deterministic for a given seed. Each step costs two compositions of degree n
/// (and at most one inversion).
///
/// ```swift
/// var random = ProductReplacement(generators: [r, s], degree: 4, seed: 7)
/// let g = random.next()            // an element of ⟨r, s⟩
/// ```
public struct ProductReplacement: Sendable {
    /// The degree n of the generators and of every element returned.
    public let degree: Int
    private var slots: [[Int32]]
    private var accumulator: [Int32]
    private var rng: SplitMix64

    /// A generator of pseudo-random elements of `⟨generators⟩`, each of degree `degree`
    /// (traps otherwise). Identity generators are dropped; with none left, every element
    /// returned is the identity.
    /// - Parameters:
    ///   - slotCount: number of slots (at least the number of generators; default 10).
    ///   - burnIn: steps discarded before the first element (default 50).
    public init(generators: [Permutation], degree: Int, seed: UInt64 = 1, slotCount: Int = 10, burnIn: Int = 50) {
        precondition(generators.allSatisfy { $0.degree == degree }, "generators must have degree \(degree)")
        self.degree = degree
        let identity = (0..<Int32(degree)).map { $0 }
        let nontrivial = generators.map(\.images).filter { !StabilizerChain.isIdentity($0) }
        if nontrivial.isEmpty {
            slots = []
        } else {
            let count = max(slotCount, nontrivial.count, 2)
            slots = (0..<count).map { nontrivial[$0 % nontrivial.count] }
        }
        accumulator = identity
        rng = SplitMix64(seed: seed)
        for _ in 0..<burnIn { step() }
    }

    /// The next pseudo-random element (one product replacement step).
    /// - Complexity: O(n) on n points.
    public mutating func next() -> Permutation { Permutation(uncheckedImages: nextImages()) }

    mutating func nextImages() -> [Int32] {
        step()
        return accumulator
    }

    /// slot_i ← slot_i · slot_j^{±1} or slot_j^{±1} · slot_i, then accumulator ← accumulator · slot_i.
    private mutating func step() {
        guard slots.count >= 2 else { return }
        let i = Int.random(in: 0..<slots.count, using: &rng)
        var j = Int.random(in: 0..<(slots.count - 1), using: &rng)
        if j >= i { j += 1 }
        let bits = rng.next()
        var other = slots[j]
        if bits & 1 == 1 {
            var inverse = other
            for x in 0..<degree { inverse[Int(other[x])] = Int32(x) }
            other = inverse
        }
        slots[i] = bits & 2 == 0
            ? StabilizerChain.compose(slots[i], other) : StabilizerChain.compose(other, slots[i])
        accumulator = StabilizerChain.compose(accumulator, slots[i])
    }
}

extension StabilizerChain {
    /// `p * q` on image arrays: `(p * q)[x] = p[q[x]]`.
    static func compose(_ p: [Int32], _ q: [Int32]) -> [Int32] {
        var result = q
        p.withUnsafeBufferPointer { pb in
            q.withUnsafeBufferPointer { qb in
                result.withUnsafeMutableBufferPointer { r in
                    for x in 0..<qb.count { r[x] = pb[Int(qb[x])] }
                }
            }
        }
        return result
    }
}
