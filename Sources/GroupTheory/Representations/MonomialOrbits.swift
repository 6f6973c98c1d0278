/// Strategy 1 (DESIGN.md "The solver"): orbits of the generators on index pairs, with signs.
///
/// For signed permutations ρ(g) e_i = s(i) e_σ(i), the constraint ρ_out(g) W = W ρ_in(g)
/// is W = ρ_out(g) W ρ_in(g)⁻¹, and entrywise
///
///     (ρ_out(g) W ρ_in(g)⁻¹)[σ_out(r), σ_in(c)] = s_out(r) · s_in(c) · W[r, c],
///
/// so every equivariant W satisfies W[σ_out(r), σ_in(c)] = s_out(r) s_in(c) W[r, c], and
/// these relations (for the generators) are all the constraints. Index pairs are the nodes
/// of a union-find with parity (the sign of a node relative to its root); an orbit that meets
/// itself with opposite sign is forced to zero. Each surviving orbit is one basis element:
/// ±1 on its pairs, 0 elsewhere.
///
/// Canonical numbering: orbits are numbered in row-major order of their first pair (the
/// smallest index r·d_in + c), and that first entry has sign +1.
///
/// ```swift
/// let o = MonomialOrbits(output: [swap], input: [swap])   // S_2 on R^2 → R^2
/// o.count   // 2: the identity pattern and the swap pattern
/// ```
/// - Complexity: O(k · d_out · d_in · α) time for k generators (near-linear), one `Int32`
///   and one `Int8` per index pair; the constraint matrix is never formed.
public struct MonomialOrbits: Sendable {
    /// Row-major orbit number of each pair (r, c) at r·d_in + c, −1 where W is forced to zero.
    public internal(set) var index: [Int32]
    /// Row-major sign of each pair relative to its orbit's first pair; 0 where zero.
    public internal(set) var sign: [Int8]
    /// Number of nonzero orbits.
    public internal(set) var count: Int

    /// - Precondition: `output.count == input.count`, d_out · d_in < 2³⁰.
    public init(output: [SignedPermutation], input: [SignedPermutation]) {
        precondition(output.count == input.count, "generator counts differ")
        let dOut = output.first?.degree ?? 0, dIn = input.first?.degree ?? 0
        let n = dOut * dIn
        precondition(n < 1 << 30, "too many index pairs for Int32 union-find")
        // uf[x] = parent << 1 | bit. For a non-root the bit is the parity of x relative to its
        // parent; for a root (parent == x) it flags an orbit forced to zero. Parents are always
        // smaller than their children (roots are orbit minima), which the final pass relies on.
        var uf = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for x in 0..<n { buffer[x] = Int32(x) << 1 }
            initialized = n
        }
        uf.withUnsafeMutableBufferPointer { uf in
            for (gOut, gIn) in zip(output, input) {
                if gOut.isIdentity && gIn.isIdentity { continue }
                gIn.images.withUnsafeBufferPointer { inImages in
                    gIn.signs.withUnsafeBufferPointer { inSigns in
                        for r in 0..<dOut {
                            let base = r * dIn
                            let targetBase = Int(gOut.images[r]) * dIn
                            let rowFlip = gOut.signs[r] < 0 ? Int32(1) : 0
                            for c in 0..<dIn {
                                let flip = inSigns[c] < 0 ? rowFlip ^ 1 : rowFlip
                                MonomialOrbits.union(uf, base + c, targetBase + Int(inImages[c]), flip)
                            }
                        }
                    }
                }
            }
        }
        // Final pass, row-major: a root opens a new orbit (or a zero one); any other node takes
        // its parent's (already final, since parent < node) number and composes the signs.
        var sign = [Int8](repeating: 0, count: n)
        var next: Int32 = 0
        uf.withUnsafeMutableBufferPointer { uf in
            sign.withUnsafeMutableBufferPointer { sign in
                for x in 0..<n {
                    let v = uf[x]
                    let p = Int(v >> 1)
                    if p == x {
                        if v & 1 == 1 {
                            uf[x] = -1
                        } else {
                            uf[x] = next
                            sign[x] = 1
                            next += 1
                        }
                    } else {
                        uf[x] = uf[p]
                        sign[x] = v & 1 == 1 ? -sign[p] : sign[p]
                    }
                }
            }
        }
        index = uf
        self.sign = sign
        count = Int(next)
    }

    /// The root of x and the parity of x relative to it, halving the path on the way.
    @inline(__always)
    static func find(_ uf: UnsafeMutableBufferPointer<Int32>, _ start: Int) -> (root: Int, parity: Int32) {
        var x = start
        var parity: Int32 = 0
        while true {
            let v = uf[x]
            let p = Int(v >> 1)
            if p == x { return (x, parity) }
            let vp = uf[p]
            let pp = Int(vp >> 1)
            if pp == p { return (p, parity ^ (v & 1)) }
            let bits = (v ^ vp) & 1
            uf[x] = Int32(pp) << 1 | bits
            parity ^= bits
            x = pp
        }
    }

    /// Records W[y] = (−1)^flip · W[x].
    @inline(__always)
    static func union(_ uf: UnsafeMutableBufferPointer<Int32>, _ x: Int, _ y: Int, _ flip: Int32) {
        if x == y {
            if flip == 1 { let (r, _) = find(uf, x); uf[r] |= 1 }
            return
        }
        let (rx, px) = find(uf, x)
        let (ry, py) = find(uf, y)
        // W[ry] = (−1)^relative · W[rx]
        let relative = px ^ py ^ flip
        if rx == ry {
            if relative == 1 { uf[rx] |= 1 }
            return
        }
        let (low, high) = rx < ry ? (rx, ry) : (ry, rx)
        let zero = (uf[rx] | uf[ry]) & 1
        uf[high] = Int32(low) << 1 | relative
        uf[low] = Int32(low) << 1 | zero
    }

    /// Checks the tying against every generator constraint, exactly:
    /// index and sign at (σ_out(r), σ_in(c)) must be those at (r, c) times s_out(r)s_in(c).
    /// Returns the first violating generator, or nil.
    /// - Complexity: O(k · d_out · d_in).
    public func firstViolatedGenerator(output: [SignedPermutation], input: [SignedPermutation]) -> Int? {
        let dIn = input.first?.degree ?? 0
        for (g, (gOut, gIn)) in zip(output, input).enumerated() {
            let ok = index.withUnsafeBufferPointer { index in
                sign.withUnsafeBufferPointer { sign in
                    for r in 0..<gOut.degree {
                        let base = r * dIn, targetBase = Int(gOut.images[r]) * dIn
                        let rowSign = gOut.signs[r]
                        for c in 0..<dIn {
                            let x = base + c, y = targetBase + Int(gIn.images[c])
                            if index[x] != index[y] || sign[y] != sign[x] * rowSign * gIn.signs[c] { return false }
                        }
                    }
                    return true
                }
            }
            if !ok { return g }
        }
        return nil
    }
}
