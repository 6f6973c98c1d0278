/// The representation algebra of DESIGN.md: ⊕, ⊗, tensor powers, duals and the
/// symmetric and exterior squares. Each operation keeps the most structured form
/// its inputs allow: monomial inputs give monomial results.
///
/// Basis conventions (row-major, like `Matrix.kronecker`):
/// - `a ⊕ b`: a's coordinates first, then b's.
/// - `a ⊗ b`: e_i ⊗ f_j is coordinate `i * dim(b) + j`.
/// - `sym2(a)`: e_i·e_j for i ≤ j in lexicographic order; `alt2(a)`: e_i ∧ e_j for i < j.
extension Representation {
    /// Direct sum: ρ(g) = a(g) ⊕ b(g), block diagonal with a's block first; traps if the
    /// generator counts differ. Permutation or monomial when both inputs are.
    /// - Complexity: O(k · (da + db)) for monomial inputs, O(k · (da + db)²) for matrices (k generators).
    public static func directSum(_ a: Representation, _ b: Representation) -> Representation {
        precondition(a.generatorCount == b.generatorCount, "generator counts differ")
        let da = a.dimension, db = b.dimension
        switch (a.images, b.images) {
        case let (.permutation(p), .permutation(q)):
            return Representation(
                permutations: zip(p, q).map { x, y in
                    Permutation(uncheckedImages: x.images + y.images.map { $0 + Int32(da) })
                }, dimension: da + db)
        default:
            break
        }
        if let p = a.monomialImages, let q = b.monomialImages {
            return Representation(
                signedPermutations: zip(p, q).map { x, y in
                    SignedPermutation(images: x.images + y.images.map { $0 + Int32(da) }, signs: x.signs + y.signs)
                }, dimension: da + db)
        }
        if let p = a.rationalImages, let q = b.rationalImages {
            return Representation(
                rationalMatrices: zip(p, q).map { x, y in
                    var m = RationalMatrix(rows: da + db, columns: da + db)
                    for i in 0..<da { for j in 0..<da { m[i, j] = x[i, j] } }
                    for i in 0..<db { for j in 0..<db { m[da + i, da + j] = y[i, j] } }
                    return m
                }, dimension: da + db)
        }
        return Representation(
            realMatrices: zip(a.realImages, b.realImages).map { x, y in
                var m = Matrix(rows: da + db, columns: da + db)
                for i in 0..<da { for j in 0..<da { m[i, j] = x[i, j] } }
                for i in 0..<db { for j in 0..<db { m[da + i, da + j] = y[i, j] } }
                return m
            }, dimension: da + db)
    }

    /// Kronecker product: ρ(g) = a(g) ⊗ b(g), e_i ⊗ f_j at coordinate `i * dim(b) + j`;
    /// traps if the generator counts differ. Permutation or monomial when both inputs are.
    /// - Complexity: O(k · da · db) for monomial inputs, O(k · (da · db)²) for matrices.
    public static func tensor(_ a: Representation, _ b: Representation) -> Representation {
        precondition(a.generatorCount == b.generatorCount, "generator counts differ")
        let da = a.dimension, db = b.dimension
        if let p = a.monomialImages, let q = b.monomialImages {
            let images = zip(p, q).map { x, y -> SignedPermutation in
                var im = [Int32](repeating: 0, count: da * db)
                var sg = [Int8](repeating: 1, count: da * db)
                for i in 0..<da { for j in 0..<db {
                    im[i * db + j] = x.images[i] * Int32(db) + y.images[j]
                    sg[i * db + j] = x.signs[i] * y.signs[j]
                } }
                return SignedPermutation(images: im, signs: sg)
            }
            if a.kind == .permutation && b.kind == .permutation {
                return Representation(permutations: images.map(\.permutation), dimension: da * db)
            }
            return Representation(signedPermutations: images, dimension: da * db)
        }
        if let p = a.rationalImages, let q = b.rationalImages {
            return Representation(
                rationalMatrices: zip(p, q).map { RationalMatrix.kronecker($0, $1) }, dimension: da * db)
        }
        return Representation(
            realMatrices: zip(a.realImages, b.realImages).map { Matrix.kronecker($0, $1) }, dimension: da * db)
    }

    /// The k-th tensor power (k ≥ 0; the 0th power is the 1-dimensional trivial representation).
    /// - Complexity: k successive `tensor` products; the last one, of dimension dᵏ, dominates.
    public func tensorPower(_ k: Int) -> Representation {
        precondition(k >= 0, "negative tensor power")
        var result = Representation.trivial(generatorCount: generatorCount)
        for _ in 0..<k { result = .tensor(result, self) }
        return result
    }

    /// The contragredient ρ(g)⁻ᵀ. Monomial representations are their own duals
    /// (signed permutation matrices are orthogonal).
    /// - Returns: `nil` if some generator image is singular.
    public var dual: Representation? {
        switch images {
        case .permutation, .signedPermutation:
            return self
        case let .rational(ms):
            guard let result = try? ms.map({ try $0.inverse().transposed }) else { return nil }
            return Representation(rationalMatrices: result, dimension: dimension)
        case let .real(ms):
            guard let result = try? ms.map({ try $0.inverse().transposed }) else { return nil }
            return Representation(realMatrices: result, dimension: dimension)
        }
    }

    /// Index of the pair (i, j), i ≤ j (or i < j when `strict`), in lexicographic order.
    static func pairIndex(_ i: Int, _ j: Int, _ n: Int, strict: Bool) -> Int {
        // rows before i contribute (n - r) or (n - r - 1) pairs each.
        strict ? i * (2 * n - i - 1) / 2 + (j - i - 1) : i * (2 * n - i + 1) / 2 + (j - i)
    }

    /// Symmetric square (dimension n(n+1)/2) or exterior square (n(n−1)/2).
    func square(alternating: Bool) -> Representation {
        let n = dimension
        let m = alternating ? n * (n - 1) / 2 : n * (n + 1) / 2
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(m)
        for i in 0..<n { for j in (alternating ? i + 1 : i)..<n { pairs.append((i, j)) } }
        if let gens = monomialImages {
            let images = gens.map { g -> SignedPermutation in
                var im = [Int32](repeating: 0, count: m)
                var sg = [Int8](repeating: 1, count: m)
                for (index, (i, j)) in pairs.enumerated() {
                    var (a, b) = (Int(g.images[i]), Int(g.images[j]))
                    var sign = g.signs[i] * g.signs[j]
                    if a > b {
                        swap(&a, &b)
                        if alternating { sign = -sign }
                    }
                    im[index] = Int32(Representation.pairIndex(a, b, n, strict: alternating))
                    sg[index] = sign
                }
                return SignedPermutation(images: im, signs: sg)
            }
            if kind == .permutation && !alternating {
                return Representation(permutations: images.map(\.permutation), dimension: m)
            }
            return Representation(signedPermutations: images, dimension: m)
        }
        // e_i e_j ↦ Σ_{k,l} A_ki A_lj e_k e_l, collected on the pair basis: the m × m image of A,
        // row-major (row (k, l), column (i, j)).
        func squareElements<T>(_ a: (Int, Int) -> T, mul: (T, T) -> T, add: (T, T) -> T, sub: (T, T) -> T) -> [T] {
            var elements: [T] = []
            elements.reserveCapacity(m * m)
            for (k, l) in pairs { for (i, j) in pairs {
                if k == l {
                    elements.append(mul(a(k, i), a(k, j)))
                } else {
                    let first = mul(a(k, i), a(l, j)), second = mul(a(l, i), a(k, j))
                    elements.append(alternating ? sub(first, second) : add(first, second))
                }
            } }
            return elements
        }
        if let gens = rationalImages {
            return Representation(
                rationalMatrices: gens.map { g in
                    RationalMatrix(rows: m, columns: m, elements: squareElements({ g[$0, $1] }, mul: *, add: +, sub: -))
                }, dimension: m)
        }
        return Representation(
            realMatrices: realImages.map { g in
                Matrix(rows: m, columns: m, elements: squareElements({ g[$0, $1] }, mul: *, add: +, sub: -))
            }, dimension: m)
    }

    /// The symmetric square Sym²(V).
    public var symmetricSquare: Representation { square(alternating: false) }

    /// The exterior square Λ²(V).
    public var exteriorSquare: Representation { square(alternating: true) }
}
