/// Random elements and enumeration, from the stabilizer chain.
extension PermutationGroup {
    /// A uniformly distributed element: one uniformly chosen coset representative
    /// per level of the (complete) stabilizer chain, multiplied together. Exactly
    /// uniform (up to `rng`), unlike product replacement; for pseudo-random elements
    /// without a chain see `ProductReplacement`.
    /// - Complexity: O(n · |base|).
    public func randomElement(using rng: inout SplitMix64) -> Permutation {
        Permutation(uncheckedImages: chain.uniformRandomElement(using: &rng))
    }

    /// Every element, or `nil` if the order exceeds `limit`. Deterministic order:
    /// the products `u^(0) u^(1) ⋯ u^(k-1)` of coset representatives, the first
    /// level varying slowest and each level's orbit in discovery order, so the
    /// identity comes first.
    /// - Complexity: O(|G| · n).
    public func elements(limit: Int) -> [Permutation]? {
        guard let count = order.intValue, count <= limit else { return nil }
        let levels = chain.levels.indices.map { l in
            (0..<chain.levels[l].orbit.count).map { chain.representative(level: l, row: $0) }
        }
        var result: [Permutation] = []
        result.reserveCapacity(count)
        func walk(_ prefix: [Int32], _ l: Int) {
            if l == levels.count {
                result.append(Permutation(uncheckedImages: prefix))
                return
            }
            for u in levels[l] { walk(StabilizerChain.compose(prefix, u), l + 1) }
        }
        walk((0..<Int32(degree)).map { $0 }, 0)
        return result
    }
}
