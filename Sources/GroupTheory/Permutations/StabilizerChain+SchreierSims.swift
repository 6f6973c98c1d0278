/// The two ways of building a stabilizer chain: the deterministic Schreier–Sims
/// algorithm (Sims 1970; Holt, Eick, O'Brien §4.4.2 `SCHREIERSIMS`) and the random
/// Schreier–Sims algorithm (Seress §4.3), which is always followed either by the
/// deterministic algorithm (verification) or stops at a proven order.
extension StabilizerChain {
    /// A chain for `⟨generators⟩` whose levels are not yet verified: each generator is
    /// sifted and its residue added.
    init(degree: Int, generators: [[Int32]]) {
        self.init(degree: degree)
        for g in generators { siftAndAdd(g) }
    }

    /// Makes the chain complete by sifting every Schreier generator
    /// `u_{sb}⁻¹ s u_b` (b ∈ Δ_l, s ∈ S^(l)) through the levels below `l`, and adding
    /// each non-trivial residue as a new strong generator. Work already done is
    /// remembered per orbit point (`Level.checked`), so completing a chain that is
    /// already complete (as after the random algorithm) costs one sift per pair.
    ///
    /// - Complexity: O(n² log³|G| + |S| n² log|G|) for degree n (Seress, Thm 4.2.4).
    mutating func complete() {
        var l = levels.count - 1
        while l >= 0 {
            if let (residue, stop) = firstFailingSchreierGenerator(level: l) {
                addStrongGenerator(residue, upTo: stop)
                l = stop
            } else {
                l -= 1
            }
        }
    }

    /// The first Schreier generator of level `l` not yet known to lie in `H^(l+1)`
    /// whose sift does not reach the identity, as its residue and stopping level.
    private mutating func firstFailingSchreierGenerator(level l: Int) -> (residue: [Int32], level: Int)? {
        let n = degree
        var h = [Int32](repeating: 0, count: n)
        var row = 0
        while row < levels[l].orbit.count {
            let generators = levels[l].generators
            var k = Int(levels[l].checked[row])
            if k < generators.count {
                let u = representative(level: l, row: row)
                let b = Int(levels[l].orbit[row])
                while k < generators.count {
                    let s = strong[Int(generators[k])]
                    let rowC = Int(levels[l].position[Int(s[b])])
                    // h = u_c⁻¹ s u_b, i.e. h[x] = u_c⁻¹[s[u_b[x]]]
                    levels[l].inverseTransversal.withUnsafeBufferPointer { t in
                        s.withUnsafeBufferPointer { sp in
                            u.withUnsafeBufferPointer { up in
                                h.withUnsafeMutableBufferPointer { hp in
                                    let offset = rowC * n
                                    for x in 0..<n { hp[x] = t[offset + Int(sp[Int(up[x])])] }
                                }
                            }
                        }
                    }
                    k += 1
                    let (residue, stop) = sift(h, from: l + 1)
                    if stop < levels.count || !StabilizerChain.isIdentity(residue) {
                        // Once the residue is added, h lies in H^(l+1): mark it checked.
                        levels[l].checked[row] = Int32(k)
                        return (residue, stop)
                    }
                }
                levels[l].checked[row] = Int32(k)
            }
            row += 1
        }
        return nil
    }

    /// Random Schreier–Sims: sifts random elements of the group and adds residues.
    ///
    /// Stops when `knownOrder` is reached (a proof that the chain is complete, since
    /// `∏|Δ_l| ≤ |⟨S⟩|` with equality only for a complete chain), or otherwise after
    /// `streak` consecutive random elements sift to the identity; the caller then
    /// verifies with `complete()`. With a known order, a streak of `safetyStreak`
    /// without progress falls back to `complete()`, so a wrong order cannot hang.
    mutating func randomSchreierSims(
        generators: [[Int32]], next: () -> [Int32], streak: Int, knownOrder: BigUInt? = nil,
        safetyStreak: Int = 2000
    ) {
        for g in generators { siftAndAdd(g) }
        var quiet = 0
        while true {
            if let knownOrder {
                if order == knownOrder { return }
                if quiet >= safetyStreak { complete(); return }
            } else if quiet >= streak {
                return
            }
            if siftAndAdd(next()) { quiet = 0 } else { quiet += 1 }
        }
    }
}
