/// A base and strong generating set (BSGS) with explicit transversals, stored flat.
///
/// Notation (Holt, Eick, O'Brien, *Handbook of CGT*, §4.4; Seress, *Permutation
/// Group Algorithms*, §4.1): base points β_0, …, β_{k-1}; `S^(l)` is the set of
/// strong generators fixing β_0, …, β_{l-1}; `H^(l) = ⟨S^(l)⟩`; the basic orbit
/// `Δ_l = β_l^{H^(l)}`. The chain is *complete* when `H^(l+1) = H^(l)_{β_l}` for
/// every level, and then `|H^(0)| = ∏ |Δ_l|`. For an incomplete chain
/// `∏ |Δ_l| ≤ |H^(0)|`, with equality exactly when the chain is complete — which is
/// what makes a known order a certificate.
///
/// Permutations are `Int32` image arrays composed as in `Permutation`:
/// `(p * q)[x] = p[q[x]]`, `q` first. Each level stores, for the orbit point at
/// position `k`, the *inverse* coset representative `u_b⁻¹` (with `u_b[β_l] = b`) as
/// row `k` of one flat array, so sifting is one composition per level.
struct StabilizerChain: Sendable {
    let degree: Int
    /// Strong generators and their inverses, in insertion order.
    private(set) var strong: [[Int32]] = []
    private(set) var strongInverse: [[Int32]] = []
    var levels: [Level] = []

    struct Level: Sendable {
        /// β_l.
        var basePoint: Int32
        /// Indices into `strong` of `S^(l)`, in insertion order.
        var generators: [Int32] = []
        /// Δ_l in discovery order; `orbit[0] == basePoint`.
        var orbit: [Int32]
        /// Position of each point in `orbit`, or -1 (size `degree`).
        var position: [Int32]
        /// Row `k` (`degree` entries) is `u_b⁻¹` for `b = orbit[k]`.
        var inverseTransversal: [Int32]
        /// Schreier–Sims bookkeeping: for orbit position `k`, the Schreier generators
        /// `u_{sb}⁻¹ s u_b` for the first `checked[k]` generators are known to lie in `H^(l+1)`.
        var checked: [Int32] = []

        init(basePoint: Int, degree: Int) {
            self.basePoint = Int32(basePoint)
            orbit = [Int32(basePoint)]
            position = [Int32](repeating: -1, count: degree)
            position[basePoint] = 0
            inverseTransversal = (0..<Int32(degree)).map { $0 }
            checked = [0]
        }

        /// Replaces `images` (a permutation of the `n` points) by u_b⁻¹ ∘ `images` for the orbit
        /// point at `row`; `scratch` (n entries) is overwritten.
        /// - Complexity: O(n).
        @inline(__always)
        func applyInverseRepresentative(row: Int, to images: inout [Int32], scratch: inout [Int32], degree n: Int) {
            inverseTransversal.withUnsafeBufferPointer { t in
                images.withUnsafeBufferPointer { a in
                    scratch.withUnsafeMutableBufferPointer { d in
                        let offset = row * n
                        for x in 0..<n { d[x] = t[offset + Int(a[x])] }
                    }
                }
            }
            swap(&images, &scratch)
        }

        /// An empty value holding no storage, used while a level is mutated in place.
        static let placeholder = Level()
        private init() {
            basePoint = 0
            orbit = []
            position = []
            inverseTransversal = []
        }
    }

    init(degree: Int) { self.degree = degree }

    var base: [Int] { levels.map { Int($0.basePoint) } }

    /// `∏ |Δ_l|`, the group order once the chain is complete.
    var order: BigUInt {
        var result: BigUInt = 1
        for level in levels { result.multiply(bySmall: UInt64(level.orbit.count)) }
        return result
    }

    // MARK: Building

    mutating func appendLevel(basePoint: Int) {
        levels.append(Level(basePoint: basePoint, degree: degree))
    }

    /// Adds `images` to `S^(0)`, …, `S^(upTo)` and extends those basic orbits.
    /// Adds a level first when `upTo == levels.count`, with base point the first
    /// point `images` moves. `images` must fix β_0, …, β_{upTo-1} and not be the identity.
    mutating func addStrongGenerator(_ images: [Int32], upTo level: Int) {
        if level == levels.count {
            guard let moved = images.indices.first(where: { images[$0] != Int32($0) }) else {
                preconditionFailure("the identity is not a new strong generator")
            }
            appendLevel(basePoint: moved)
        }
        var inverse = [Int32](repeating: 0, count: degree)
        for x in 0..<degree { inverse[Int(images[x])] = Int32(x) }
        let index = Int32(strong.count)
        strong.append(images)
        strongInverse.append(inverse)
        for l in 0...level {
            levels[l].generators.append(index)
            extendOrbit(level: l, newGenerator: index)
        }
    }

    /// Closes Δ_l under its generators after generator `newGenerator` was appended.
    private mutating func extendOrbit(level l: Int, newGenerator: Int32) {
        let n = degree
        var level = levels[l]
        levels[l] = .placeholder  // keep `level`'s arrays uniquely referenced
        defer { levels[l] = level }

        func append(_ point: Int32, fromRow row: Int, inverse generatorInverse: [Int32]) {
            level.position[Int(point)] = Int32(level.orbit.count)
            level.orbit.append(point)
            level.checked.append(0)
            let start = level.inverseTransversal.count
            level.inverseTransversal.append(contentsOf: repeatElement(0, count: n))
            generatorInverse.withUnsafeBufferPointer { ginv in
                level.inverseTransversal.withUnsafeMutableBufferPointer { t in
                    // u_{s b}⁻¹ = u_b⁻¹ s⁻¹
                    let source = row * n
                    for x in 0..<n { t[start + x] = t[source + Int(ginv[x])] }
                }
            }
        }

        // The new generator on the old orbit points…
        let s = strong[Int(newGenerator)], sInverse = strongInverse[Int(newGenerator)]
        let oldCount = level.orbit.count
        for row in 0..<oldCount {
            let image = s[Int(level.orbit[row])]
            if level.position[Int(image)] < 0 { append(image, fromRow: row, inverse: sInverse) }
        }
        // …then every generator on the new points, breadth first.
        var row = oldCount
        while row < level.orbit.count {
            let point = Int(level.orbit[row])
            for g in level.generators {
                let image = strong[Int(g)][point]
                if level.position[Int(image)] < 0 {
                    append(image, fromRow: row, inverse: strongInverse[Int(g)])
                }
            }
            row += 1
        }
    }

    // MARK: Sifting

    /// Sifts `images` through levels `start…`: returns the residue and the level it
    /// stopped at (`levels.count` if it passed every level). The element lies in
    /// `H^(start)` iff the level is `levels.count` and the residue is the identity.
    func sift(_ images: [Int32], from start: Int = 0) -> (residue: [Int32], level: Int) {
        let n = degree
        var current = images
        var scratch = [Int32](repeating: 0, count: n)
        var l = start
        while l < levels.count {
            let level = levels[l]
            let b = current[Int(level.basePoint)]
            if b != level.basePoint {
                let row = Int(level.position[Int(b)])
                if row < 0 { return (current, l) }
                level.applyInverseRepresentative(row: row, to: &current, scratch: &scratch, degree: n)
            }
            l += 1
        }
        return (current, levels.count)
    }

    static func isIdentity(_ images: [Int32]) -> Bool {
        images.withUnsafeBufferPointer { p in
            for x in 0..<p.count where p[x] != Int32(truncatingIfNeeded: x) { return false }
            return true
        }
    }

    /// Sifts `images` from level 0 and adds the residue as a strong generator if it
    /// is not the identity. Returns whether the chain changed.
    @discardableResult
    mutating func siftAndAdd(_ images: [Int32]) -> Bool {
        let (residue, level) = sift(images)
        if level == levels.count && StabilizerChain.isIdentity(residue) { return false }
        addStrongGenerator(residue, upTo: level)
        return true
    }

    // MARK: Transversal access

    /// `u_b⁻¹` for the orbit point at `row` of level `l`.
    func inverseRepresentative(level l: Int, row: Int) -> [Int32] {
        Array(levels[l].inverseTransversal[row * degree ..< (row + 1) * degree])
    }

    /// `u_b` for the orbit point at `row` of level `l`.
    func representative(level l: Int, row: Int) -> [Int32] {
        var result = [Int32](repeating: 0, count: degree)
        let t = levels[l].inverseTransversal
        let offset = row * degree
        for x in 0..<degree { result[Int(t[offset + x])] = Int32(x) }
        return result
    }

    /// A uniformly distributed element `u^(0) u^(1) ⋯ u^(k-1)` of `H^(0)`, drawing one
    /// coset representative per level. Uniform on the group once the chain is complete.
    func uniformRandomElement<R: RandomNumberGenerator>(using rng: inout R) -> [Int32] {
        let n = degree
        // Build the inverse u^(k-1)⁻¹ ⋯ u^(0)⁻¹ = (…)·u^(0)⁻¹, then invert once.
        var inverse = (0..<Int32(n)).map { $0 }
        var scratch = inverse
        for level in levels {
            let row = Int.random(in: 0..<level.orbit.count, using: &rng)
            if row == 0 { continue }
            level.applyInverseRepresentative(row: row, to: &inverse, scratch: &scratch, degree: n)
        }
        var result = scratch
        for x in 0..<n { result[Int(inverse[x])] = Int32(x) }
        return result
    }

    /// The chain of `H^(from)`: levels `from…` with `S^(from)` renumbered.
    func subchain(from start: Int) -> StabilizerChain {
        var result = StabilizerChain(degree: degree)
        guard start < levels.count else { return result }
        let kept = levels[start].generators
        var renumber = [Int32](repeating: -1, count: strong.count)
        for (new, old) in kept.enumerated() {
            renumber[Int(old)] = Int32(new)
            result.strong.append(strong[Int(old)])
            result.strongInverse.append(strongInverse[Int(old)])
        }
        for l in start..<levels.count {
            var level = levels[l]
            level.generators = level.generators.map { renumber[Int($0)] }
            result.levels.append(level)
        }
        return result
    }
}
