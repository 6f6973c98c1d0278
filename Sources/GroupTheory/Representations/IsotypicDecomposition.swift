/// A real representation split into isotypic components, each split further
/// into irreducible copies with matched orthonormal bases (DESIGN.md, "The
/// solver", strategy 4). Build it once per representation and reuse it for every
/// `RealIntertwinerSolver.solve(input:output:options:)` call that involves it.
///
/// Conventions: vectors are columns, ρ(g) acts on the left, matrices are
/// row-major. A copy's basis is stored as d rows of an n-column matrix.
///
/// The algorithm (no characters, no class sums, no sum over the group):
/// 1. Orthogonal form. If some generator image is not orthogonal, an invariant
///    inner product P = Σ_g ρ(g)ᵀ V Vᵀ ρ(g) is accumulated over the Cayley graph
///    (random block V, then the nullspace of P until P is definite; this needs an
///    enumerable group) and ρ̃ = S ρ S⁻¹ with S = P^{1/2} is orthogonal.
/// 2. A random symmetric element A = Σ c_w (ρ̃(w) + ρ̃(w)ᵀ) of the group algebra
///    over a few short words w. On the isotypic component of a real irreducible τ
///    of endomorphism dimension e (End_G τ = R, C or H) and multiplicity m, A acts
///    as τ(A) ⊗ 1_m, and τ(A) is Hermitian over End_G τ; for random coefficients
///    its eigenvalues are simple over End_G τ and differ between types. So each
///    eigenvalue cluster K of A lies in one isotypic component, has dimension e·m,
///    and equals z ⊗ (multiplicity space) for one vector z of τ.
/// 3. Spinning a vector w of K under the generators (Gram–Schmidt, largest
///    residual first) gives one irreducible copy and a recipe v₀ = w,
///    vᵢ = ρ̃(s_i) v_{p_i}. Replaying the same recipe from any other w' ∈ K gives
///    the image of the first copy under a G-map (w ↦ w' extends to one), so the
///    bases are matched: in every copy the images are the same d × d matrices τ̂.
///    For e = 1 every orthonormal basis vector of K starts one copy; for e = 2, 4
///    copies are taken one at a time from what of K is orthogonal to the copies
///    found so far (each removes e dimensions of K).
/// 4. End_G(τ̂) from a d-unknown nullspace: a G-map X out of the cyclic module τ̂
///    is fixed by y = X z, so Xᵢ = (replay from y)·L⁻ᵀ and the generator
///    constraints are linear in y. Its dimension e ∈ {1, 2, 4}, and every nonzero
///    element must be a multiple of an orthogonal matrix (a division algebra):
///    that check rejects a "copy" that is secretly reducible.
/// Every step is checked (cluster straddling two components, dimension counts,
/// orthonormality, τ̂ reproduced in every copy); a failed check retries with new
/// random coefficients and more words (`RealSolverOptions.decompositionAttempts`).
///
/// ```swift
/// let dec = try IsotypicDecomposition(representation: rho, group: group, options: RealSolverOptions())
/// dec.components.map(\.multiplicity)
/// ```
/// - Complexity: O(n³) for the eigendecomposition of A, the replays and the
///   checks, plus a few n × n products for the words; no sum over the group.
///   Orthogonalization adds O(|G| · n² · r) with r ≈ 2n/|G| + 2 (a second round
///   over the nullspace of P when a multiplicity is large) and one more n × n
///   eigendecomposition per round. Measured (release, one core): 500-dimensional
///   dense reps of A5 in about 0.8 s, a 504-dimensional rep of S6 in about 0.9 s.
///
/// Limits: accuracy is that of the spin bases (condition of the triangular factor
/// L), about 1e-14 for small irreducibles and 1e-11 for 16-dimensional ones;
/// `copyTolerance` (1e-8) bounds what is accepted. Types are told apart by
/// random eigenvalues, so a failed attempt is possible in principle and is
/// retried; every accepted result passes the checks above.
public struct IsotypicDecomposition: Sendable {
    /// One isotypic component τ^m.
    public struct Component: Sendable {
        /// d = dim τ.
        public let irreducibleDimension: Int
        /// m, the number of copies of τ.
        public let multiplicity: Int
        /// e = dim End_G(τ): 1 (real type), 2 (complex type) or 4 (quaternionic type).
        public let endomorphismDimension: Int
        /// τ̂(s) for each generator: the images in every copy's basis (d × d, orthogonal).
        public let irreducibleImages: [Matrix]
        /// A Frobenius-orthonormal basis of End_G(τ̂), the first element I/√d.
        public let endomorphismBasis: [Matrix]
        /// (m·d) × n: rows j·d ..< (j+1)·d are an orthonormal basis of copy j, in the
        /// orthogonal coordinates (see `orthogonalizer`).
        public let copies: Matrix
        /// The spin recipe of copy 0: v₀ = w, vᵢ = τ̂(generators[i]) v_{parents[i]}.
        package let parents: [Int]
        package let generators: [Int]
        /// Lower triangular: vᵢ = Σ_j lower[i, j] q_j in the basis of copy 0.
        package let lower: Matrix

        /// Rows of copy j.
        /// - Complexity: O(d · n).
        public func copy(_ j: Int) -> Matrix {
            RealKernels.rows(copies, (j * irreducibleDimension)..<((j + 1) * irreducibleDimension))
        }
    }

    /// n, the dimension of the decomposed representation.
    public let dimension: Int
    /// The isotypic components τ^m; their `multiplicity · irreducibleDimension` sum to n.
    public let components: [Component]
    /// The generator images as given.
    public let images: [Matrix]
    /// S with S ρ(g) S⁻¹ orthogonal, or `nil` when the images are already orthogonal.
    public let orthogonalizer: Matrix?
    /// S⁻¹, or `nil` with `orthogonalizer`.
    public let inverseOrthogonalizer: Matrix?
    /// ρ̃(s) = S ρ(s) S⁻¹ (the images themselves when orthogonal).
    public let orthogonalImages: [Matrix]
    /// Largest deviation, over copies and generators, of a copy's images from τ̂
    /// (max entry of Q ρ̃(s) Qᵀ − τ̂(s)), and of a copy's basis from orthonormal.
    public let copyResidual: Double
    /// How many random attempts the decomposition took (1 when the first worked).
    public let attempts: Int

    /// Decomposes `representation` (any kind; used in Float64).
    ///
    /// `group` is needed only when some generator image is not orthogonal (to sum
    /// over the group for an invariant inner product); it must then be enumerable.
    /// - Throws: `RealSolverError` (`nonFinite`, `needsEnumerableGroup`, `decompositionFailed`, …).
    /// - Complexity: see the type: O(n³) without orthogonalization.
    public init(representation: Representation, group: FiniteGroup?, options: RealSolverOptions) throws {
        let images = representation.realImages
        let n = representation.dimension
        self.dimension = n
        self.images = images
        if n == 0 || images.isEmpty {
            // No generators: the trivial group; every vector is a trivial copy.
            let id = Matrix.identity(1)
            components = n == 0 ? [] : [Component(
                irreducibleDimension: 1, multiplicity: n, endomorphismDimension: 1, irreducibleImages: images.map { _ in id },
                endomorphismBasis: [id], copies: .identity(n), parents: [0], generators: [-1], lower: id)]
            orthogonalizer = nil
            inverseOrthogonalizer = nil
            orthogonalImages = images
            copyResidual = 0
            attempts = 0
            return
        }
        for m in images where m.elements.contains(where: { !$0.isFinite }) {
            throw RealSolverError.nonFinite(dimension: m.rows)
        }
        if RealKernels.isOrthogonal(images, tolerance: options.orthogonalityTolerance) {
            orthogonalizer = nil
            inverseOrthogonalizer = nil
            orthogonalImages = images
        } else {
            let (s, sInv) = try Self.invariantSquareRoot(images: images, group: group, options: options)
            orthogonalizer = s
            inverseOrthogonalizer = sInv
            orthogonalImages = images.map { s * $0 * sInv }
            let defect = orthogonalImages.map { (RealKernels.transposedMultiply($0, $0) - .identity(n)).maxAbs }.max() ?? 0
            guard defect <= 1e-7 else {
                throw RealSolverError.decompositionFailed(
                    attempts: 0, reason: "the representation made orthogonal is off by \(defect) (max entry of ρ̃ᵀρ̃ − I); the generator images are probably not a representation of \(group?.name ?? "the group") or badly conditioned")
            }
        }
        var lastReason = ""
        for attempt in 0..<max(1, options.decompositionAttempts) {
            var rng = SplitMix64(seed: options.seed &+ UInt64(attempt) &* 0x9E37_79B9)
            switch try Self.decompose(orthogonalImages, attempt: attempt, rng: &rng, options: options) {
            case let .success(result):
                components = result.components
                copyResidual = result.residual
                attempts = attempt + 1
                return
            case let .failure(reason):
                lastReason = reason.text
            }
        }
        throw RealSolverError.decompositionFailed(attempts: max(1, options.decompositionAttempts), reason: lastReason)
    }

    /// The total multiplicity-weighted count Σ m² e = ⟨χ, χ⟩ = dim End_G(ρ).
    public var endomorphismDimension: Int { components.reduce(0) { $0 + $1.multiplicity * $1.multiplicity * $1.endomorphismDimension } }

    // MARK: Orthogonal form

    /// S = P^{1/2}, S⁻¹ for the invariant inner product P (see the type's comment, step 1).
    package static func invariantSquareRoot(images: [Matrix], group: FiniteGroup?, options: RealSolverOptions) throws -> (Matrix, Matrix) {
        guard let group else { throw RealSolverError.needsEnumerableGroup(reason: "the generator images are not orthogonal and no group was given to average over") }
        guard group.isEnumerable else {
            throw RealSolverError.needsEnumerableGroup(reason: "the generator images are not orthogonal and \(group.name) (order \(group.order)) is above the element limit \(group.options.maxElements)")
        }
        let elements = try group.enumeration()
        let n = images[0].rows, k = images.count
        guard elements.generatorCount == k else { throw RealSolverError.generatorCountMismatch(input: k, output: elements.generatorCount) }
        var rng = SplitMix64(seed: options.seed ^ 0xA5A5)
        var p = Matrix(rows: n, columns: n)
        var block = RealKernels.random(rows: min(n, 2 * ((n + elements.count - 1) / elements.count) + 2), columns: n, using: &rng)
        for _ in 0..<4 {
            // Breadth-first over the Cayley graph: B_y = B_x ρ(g) for y = x·g, so B_x = Vᵀ ρ(x).
            var seen = [Bool](repeating: false, count: elements.count)
            var queue: [(Int, Matrix)] = [(0, block)]
            seen[0] = true
            var head = 0
            while head < queue.count {
                let (x, b) = queue[head]
                queue[head].1 = Matrix(rows: 0, columns: 0)
                head += 1
                RealKernels.addScaled(&p, 1, RealKernels.transposedMultiply(b, b))
                for g in 0..<k {
                    let y = elements.product(x, letter: Int32(g + 1))
                    if !seen[y] {
                        seen[y] = true
                        queue.append((y, (b * images[g])))
                    }
                }
            }
            let eig = try symmetrized(p).symmetricEigendecomposition()
            let top = eig.eigenvalues.last ?? 0
            let small = eig.eigenvalues.indices.filter { eig.eigenvalues[$0] <= 1e-10 * top }
            if small.isEmpty {
                let v = eig.eigenvectors
                var scaledUp = v, scaledDown = v
                for i in 0..<n { for c in 0..<n {
                    let l = (eig.eigenvalues[c] / top).squareRoot()
                    scaledUp[i, c] *= l
                    scaledDown[i, c] /= l
                } }
                let root = RealKernels.multiplyTransposed(scaledUp, v), inverse = RealKernels.multiplyTransposed(scaledDown, v)
                return (root, inverse)
            }
            block = RealKernels.matrix(rows: small.map { eig.eigenvector($0) }, columns: n)
        }
        throw RealSolverError.decompositionFailed(attempts: 4, reason: "no invariant inner product found: the sum over the group stayed singular (eigenvalues below 1e-10 of the largest), so the generator images are too ill-conditioned for Float64 (or not a representation); give orthogonal or exact rational images, or a better-conditioned basis")
    }

    package static func symmetrized(_ m: Matrix) -> Matrix {
        var s = m
        for i in 0..<m.rows { for j in 0..<i {
            let a = 0.5 * (m[i, j] + m[j, i])
            s[i, j] = a
            s[j, i] = a
        } }
        return s
    }

    // MARK: Splitting

    package struct Failure: Error { let text: String }
    package struct Split { let components: [Component]; let residual: Double }

    /// One randomized attempt at steps 2–4; `.failure` when a check fails (retry).
    package static func decompose(_ gens: [Matrix], attempt: Int, rng: inout SplitMix64, options: RealSolverOptions) throws -> Result<Split, Failure> {
        let n = gens[0].rows, k = gens.count
        let transposes = gens.map(\.transposed)
        // 2. A = Σ c_w (ρ(w) + ρ(w)ᵀ) over the generators, some products of two and some of three.
        var words: [[Int]] = (0..<k).map { [$0] }
        for _ in 0..<min(k * k, 2 + attempt) { words.append([Int.random(in: 0..<k, using: &rng), Int.random(in: 0..<k, using: &rng)]) }
        for _ in 0..<(1 + attempt) { words.append((0..<3).map { _ in Int.random(in: 0..<k, using: &rng) }) }
        var a = Matrix(rows: n, columns: n)
        for word in words {
            var m = gens[word[0]]
            for g in word.dropFirst() { m = (m * gens[g]) }
            let c = 2 * rng.nextUnit() - 1
            RealKernels.addScaled(&a, c, m)
            RealKernels.addScaled(&a, c, m.transposed)
        }
        let eig = try symmetrized(a).symmetricEigendecomposition()
        let vectors = eig.eigenvectors.transposed  // row i: eigenvector i
        let values = eig.eigenvalues
        let scale = max(values.map(\.magnitude).max() ?? 0, 1e-300)
        var clusters: [Range<Int>] = []
        var start = 0
        for i in 1...n where i == n || values[i] - values[i - 1] > options.clusterTolerance * scale {
            clusters.append(start..<i)
            start = i
        }
        var covered = Matrix(rows: 0, columns: n)
        var components: [Component] = []
        var worst = 0.0
        for cluster in clusters {
            var kernel = RealKernels.rows(vectors, cluster)
            let s = cluster.count
            if covered.rows > 0 {
                let overlap = RealKernels.multiplyTransposed(kernel, covered)
                let inside = RealKernels.frobenius(overlap, overlap)
                if inside > Double(s) - 1e-6 { continue }
                if inside > 1e-6 {
                    return .failure(Failure(text: "an eigenvalue cluster of the random group-algebra element (size \(s)) straddles two isotypic components (overlap \(inside))"))
                }
                kernel = kernel - (overlap * covered)
            }
            // 3. One copy by spinning.
            let w = RealKernels.row(kernel, 0)
            let plan = spin(w, gens: gens, tolerance: options.spinTolerance)
            let d = plan.parents.count
            let q0 = plan.basis
            let tau = transposes.map { RealKernels.multiplyTransposed(q0, (q0 * $0)) }
            let endo: [Matrix]
            do {
                endo = try homBasis(parents: plan.parents, generators: plan.generators, lower: plan.lower, from: tau, to: tau, options: options)
            } catch let error as RealSolverError {
                return .failure(Failure(text: "the commutant of a \(d)-dimensional copy: \(error)"))
            }
            let e = endo.count
            guard [1, 2, 4].contains(e), d % e == 0, s % e == 0 else {
                return .failure(Failure(text: "a \(d)-dimensional copy has a \(e)-dimensional commutant (cluster size \(s)); it is not irreducible"))
            }
            var basis = [Matrix.identity(d)]
            basis.append(contentsOf: endo)
            let endomorphisms = Array(RealKernels.orthonormalizeDropping(basis).prefix(e))
            guard endomorphisms.count == e, isDivisionAlgebra(endomorphisms, using: &rng) else {
                return .failure(Failure(text: "the commutant of a \(d)-dimensional copy is not a division algebra: the copy is reducible"))
            }
            let m = s / e
            // Replays, then checks.
            var copyRows = Matrix(rows: 0, columns: n)
            if e == 1 {
                let raw = replay(plan, starts: kernel, gens: transposes)  // raw[i]: m × n, row j = v_i of copy j
                for j in 0..<m {
                    var v = Matrix(rows: d, columns: n)
                    for i in 0..<d { v.elements.replaceSubrange((i * n)..<((i + 1) * n), with: RealKernels.row(raw[i], j)) }
                    copyRows = RealKernels.stack(copyRows, RealKernels.forwardSubstitute(plan.lower, v))
                }
            } else {
                var current = kernel
                for _ in 0..<m {
                    guard current.rows > 0 else { return .failure(Failure(text: "ran out of multiplicity vectors")) }
                    let raw = replay(plan, starts: RealKernels.rows(current, 0..<1), gens: transposes)
                    var v = Matrix(rows: d, columns: n)
                    for i in 0..<d { v.elements.replaceSubrange((i * n)..<((i + 1) * n), with: raw[i].elements) }
                    let q = RealKernels.forwardSubstitute(plan.lower, v)
                    copyRows = RealKernels.stack(copyRows, q)
                    guard let rest = try removeCopy(q, from: current, commutant: e) else {
                        return .failure(Failure(text: "a copy of a type with \(e)-dimensional commutant did not remove exactly \(e) multiplicity directions"))
                    }
                    current = rest
                }
            }
            // Checks: orthonormal copies, τ̂ in every copy (one product per generator for all copies).
            let moved = transposes.map { (copyRows * $0) }  // row r: ρ̃(s) applied to copy row r
            for j in 0..<m {
                let rows = (j * d)..<((j + 1) * d)
                let q = RealKernels.rows(copyRows, rows)
                var deviation = RealKernels.orthonormalityDefect(q)
                for g in 0..<k {
                    let images = RealKernels.rows(moved[g], rows)
                    deviation = max(deviation, (RealKernels.multiplyTransposed(q, images) - tau[g]).maxAbs)
                    // Invariance (part of the `isotypic` certificate): ρ̃(s) q_r = Σ_c τ̂[c, r] q_c,
                    // i.e. nothing of the moved copy leaves its span.
                    deviation = max(deviation, (images - tau[g].transposed * q).maxAbs)
                }
                worst = max(worst, deviation)
                if deviation > options.copyTolerance {
                    return .failure(Failure(text: "copy \(j) of a \(d)-dimensional irreducible deviates by \(deviation) from the first copy's images"))
                }
            }
            components.append(Component(
                irreducibleDimension: d, multiplicity: m, endomorphismDimension: e, irreducibleImages: tau,
                endomorphismBasis: endomorphisms, copies: copyRows, parents: plan.parents, generators: plan.generators,
                lower: plan.lower))
            covered = RealKernels.stack(covered, copyRows)
        }
        guard covered.rows == n else {
            return .failure(Failure(text: "the copies found span \(covered.rows) of \(n) dimensions"))
        }
        let defect = RealKernels.orthonormalityDefect(covered)
        guard defect <= options.copyTolerance else {
            return .failure(Failure(text: "copies of different components are not orthogonal (defect \(defect))"))
        }
        return .success(Split(components: components, residual: max(worst, defect)))
    }

    /// What of the cluster basis `current` (c orthonormal rows) is orthogonal to the copy `q`
    /// (d orthonormal rows): an orthonormal basis of c − e rows, or `nil` unless the copy holds
    /// exactly e directions of the cluster and is orthogonal to the rest. C = current·qᵀ must
    /// have e singular values 1 and d − e zero (checked on the d × d matrix CᵀC); the e
    /// directions U = C V Σ⁻¹ are reflected onto the first e coordinates by e Householder
    /// reflections, whose remaining rows of H·current are the answer. O(e·c·n) per copy instead
    /// of the O(c²n + c³) of re-orthonormalizing the projected cluster (dicyclic12
    /// quaternion^5, c = 704: 2 minutes before, ~1 s after).
    package static func removeCopy(_ q: Matrix, from current: Matrix, commutant e: Int) throws -> Matrix? {
        let c = current.rows
        let overlap = RealKernels.multiplyTransposed(current, q)  // c × d
        let gram = try symmetrized(RealKernels.transposedMultiply(overlap, overlap)).symmetricEigendecomposition()
        let keep = gram.eigenvalues.indices.filter { gram.eigenvalues[$0] > 0.5 }
        guard keep.count == e, e <= c,
              gram.eigenvalues.allSatisfy({ abs($0 - 1) < 1e-6 || abs($0) < 1e-6 }) else { return nil }
        // U's columns: C v_k / √λ_k, orthonormal in R^c.
        var u = Matrix(rows: c, columns: e)
        for (col, k) in keep.enumerated() {
            let v = gram.eigenvector(k)
            let scale = 1 / gram.eigenvalues[k].squareRoot()
            for r in 0..<c {
                var s = 0.0
                for t in 0..<v.count { s += overlap[r, t] * v[t] }
                u[r, col] = s * scale
            }
        }
        var rest = current
        // Householder QR of U; each reflection H = I − 2wwᵀ (on coordinates col..<c) is applied to U and to `rest`.
        for col in 0..<e {
            var w = [Double](repeating: 0, count: c)
            var norm = 0.0
            for r in col..<c { w[r] = u[r, col]; norm += w[r] * w[r] }
            norm = norm.squareRoot()
            w[col] += w[col] >= 0 ? norm : -norm
            var wn = 0.0
            for r in col..<c { wn += w[r] * w[r] }
            guard wn > 0 else { continue }
            let inv = 1 / wn.squareRoot()
            for r in col..<c { w[r] *= inv }
            func reflect(_ m: inout Matrix) {
                let columns = m.columns
                var dot = [Double](repeating: 0, count: columns)
                m.elements.withUnsafeBufferPointer { p in
                    for r in col..<c where w[r] != 0 {
                        let base = r * columns
                        for t in 0..<columns { dot[t] += w[r] * p[base + t] }
                    }
                }
                m.elements.withUnsafeMutableBufferPointer { p in
                    for r in col..<c where w[r] != 0 {
                        let base = r * columns, f = 2 * w[r]
                        for t in 0..<columns { p[base + t] -= f * dot[t] }
                    }
                }
            }
            reflect(&u)
            reflect(&rest)
        }
        return RealKernels.rows(rest, e..<c)
    }

    /// A random element X of the span has XᵀX a multiple of the identity.
    package static func isDivisionAlgebra(_ basis: [Matrix], using rng: inout SplitMix64) -> Bool {
        var x = Matrix(rows: basis[0].rows, columns: basis[0].columns)
        for b in basis { RealKernels.addScaled(&x, 2 * rng.nextUnit() - 1, b) }
        let xtx = RealKernels.transposedMultiply(x, x)
        let d = Double(x.rows)
        let c = xtx.trace / d
        return (xtx - c * .identity(x.rows)).maxAbs <= 1e-8 * max(c, 1e-300)
    }

    // MARK: Spinning

    package struct SpinPlan {
        var parents: [Int]
        var generators: [Int]
        /// d × d lower triangular, raw vᵢ = Σ_j lower[i, j] basis_j.
        var lower: Matrix
        /// d × n orthonormal rows.
        var basis: Matrix
    }

    /// Spins `w` under the generators: Gram–Schmidt, taking the candidate ρ(s)vᵢ with
    /// the largest residual each time, until every residual is at most `tolerance`·‖w‖.
    package static func spin(_ w: [Double], gens: [Matrix], tolerance: Double) -> SpinPlan {
        let n = w.count
        let norm = RealKernels.dot(w, w).squareRoot()
        var q: [[Double]] = [w.map { $0 / norm }]
        var lowerRows: [[Double]] = [[norm]]
        var parents = [0], generators = [-1]
        struct Candidate { var parent: Int; var generator: Int; var residual: [Double]; var coefficients: [Double]; var norm: Double }
        var candidates: [Candidate] = []
        func addCandidates(from i: Int, raw: [Double]) {
            for (g, m) in gens.enumerated() {
                var r = m.apply(raw)
                var coefficients: [Double] = []
                for b in q {
                    let c = RealKernels.dot(b, r)
                    for t in 0..<n { r[t] -= c * b[t] }
                    coefficients.append(c)
                }
                candidates.append(Candidate(parent: i, generator: g, residual: r, coefficients: coefficients, norm: RealKernels.dot(r, r).squareRoot()))
            }
        }
        var raws: [[Double]] = [w]
        addCandidates(from: 0, raw: w)
        while let best = candidates.indices.max(by: { candidates[$0].norm < candidates[$1].norm }),
              candidates[best].norm > tolerance * norm, q.count < n
        {
            var chosen = candidates.remove(at: best)
            // Second Gram–Schmidt pass.
            for (j, b) in q.enumerated() {
                let c = RealKernels.dot(b, chosen.residual)
                for t in 0..<n { chosen.residual[t] -= c * b[t] }
                chosen.coefficients[j] += c
            }
            let rn = RealKernels.dot(chosen.residual, chosen.residual).squareRoot()
            let newBasis = chosen.residual.map { $0 / rn }
            lowerRows.append(chosen.coefficients + [rn])
            parents.append(chosen.parent)
            generators.append(chosen.generator)
            let raw = gens[chosen.generator].apply(raws[chosen.parent])
            raws.append(raw)
            for c in candidates.indices {
                let coefficient = RealKernels.dot(newBasis, candidates[c].residual)
                for t in 0..<n { candidates[c].residual[t] -= coefficient * newBasis[t] }
                candidates[c].coefficients.append(coefficient)
                candidates[c].norm = RealKernels.dot(candidates[c].residual, candidates[c].residual).squareRoot()
            }
            q.append(newBasis)
            addCandidates(from: raws.count - 1, raw: raw)
        }
        let d = q.count
        var lower = Matrix(rows: d, columns: d)
        for i in 0..<d { for j in 0...i { lower[i, j] = lowerRows[i][j] } }
        return SpinPlan(parents: parents, generators: generators, lower: lower, basis: RealKernels.matrix(rows: q, columns: n))
    }

    /// Replays a spin recipe from each row of `starts` at once: result[i] holds vᵢ
    /// for every start (row j for start j). `gens` are the transposed images.
    package static func replay(_ plan: SpinPlan, starts: Matrix, gens transposes: [Matrix]) -> [Matrix] {
        var raw: [Matrix] = [starts]
        for i in 1..<max(1, plan.parents.count) {
            raw.append((raw[plan.parents[i]] * transposes[plan.generators[i]]))
        }
        return raw
    }

    /// A basis of Hom_G(τ_a, τ_b) for irreducible τ_a (with spin recipe `parents`,
    /// `generators`, `lower` in its own coordinates) and any τ_b of the same dimension:
    /// X is fixed by y = X z (z the spin start), Xᵀ = L⁻¹ Y with Y the recipe replayed
    /// from y in τ_b; the constraints τ_b(s) X = X τ_a(s) are linear in y.
    /// From d = `sketchAbove` on, a sketched system is tried first (`sketchedHom`); `sketch: false`
    /// solves the full system only.
    package static func homBasis(parents: [Int], generators: [Int], lower: Matrix, from a: [Matrix], to b: [Matrix], options: RealSolverOptions, sketch: Bool = true) throws -> [Matrix] {
        let d = lower.rows
        let k = a.count
        if k == 0 { return d == 1 ? [.identity(1)] : [] }  // the trivial group: only 1-dimensional irreducibles
        guard let first = b.first, first.rows == d else { return [] }
        func candidate(_ y: [Double]) -> Matrix {
            var rows: [[Double]] = [y]
            for i in 1..<d { rows.append(b[generators[i]].apply(rows[parents[i]])) }
            return RealKernels.forwardSubstitute(lower, RealKernels.matrix(rows: rows, columns: d)).transposed
        }
        if sketch, d >= sketchAbove, let maps = try spectralHom(from: a, to: b, options: options) { return maps }
        let xs = (0..<d).map { l in candidate((0..<d).map { $0 == l ? 1.0 : 0.0 }) }
        if sketch, d >= sketchAbove, let maps = try sketchedHom(xs, from: a, to: b, options: options) { return maps }
        var system = Matrix(rows: k * d * d, columns: d)
        for (l, x) in xs.enumerated() {
            for g in 0..<k {
                let c = b[g] * x - x * a[g]
                for t in 0..<(d * d) { system[g * d * d + t, l] = c.elements[t] }
            }
        }
        let scale = xs.map(\.frobeniusNorm).max() ?? 0
        let ns = try ScaledNullspace(
            system, scale: scale, relativeTolerance: options.relativeTolerance, requiredGap: options.requiredGap,
            context: "maps between two \(d)-dimensional irreducibles")
        return (0..<ns.dimension).map { r in
            var x = Matrix(rows: d, columns: d)
            for l in 0..<d { RealKernels.addScaled(&x, ns.basis[r, l], xs[l]) }
            return x
        }
    }
}

extension IsotypicDecomposition {
    /// Irreducible dimension from which `homBasis` tries a sketched system first.
    package static let sketchAbove = 48

    /// The fast path of `homBasis` for large irreducibles: the k·d² × d constraint system
    /// (an SVD of O(k d⁴), 67 s of 80 for M24's 252-dimensional irreducible in points²) is
    /// compressed to 8d rows by a sparse random sketch (each row added, times a seeded weight
    /// uniform in [−1, 1], to one of 8d buckets). The sketch's nullspace contains the system's,
    /// and equals it unless the hashing is degenerate; so every map it returns is checked against every
    /// generator constraint in full (‖τ_b(s)X − Xτ_a(s)‖_F ≤ copyTolerance·‖X‖_F, the images
    /// being orthogonal). `nil` when the sketch's gap is unclear or a map fails the check: the
    /// caller then solves the full system, so the answer is never the sketch's alone.
    static func sketchedHom(_ xs: [Matrix], from a: [Matrix], to b: [Matrix], options: RealSolverOptions) throws -> [Matrix]? {
        let d = xs.count, k = a.count, rows = k * d * d, buckets = 8 * d
        var rng = SplitMix64(seed: options.seed ^ 0x5EE7_C4)
        var bucket = [Int](repeating: 0, count: rows), weight = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            bucket[r] = Int(rng.next() % UInt64(buckets))
            weight[r] = 2 * rng.nextUnit() - 1
        }
        var sketch = Matrix(rows: buckets, columns: d)
        for (l, x) in xs.enumerated() {
            for g in 0..<k {
                let c = b[g] * x - x * a[g]
                for t in 0..<(d * d) { sketch[bucket[g * d * d + t], l] += weight[g * d * d + t] * c.elements[t] }
            }
        }
        let scale = xs.map(\.frobeniusNorm).max() ?? 0
        guard let ns = try? ScaledNullspace(
            sketch, scale: scale, relativeTolerance: options.relativeTolerance, requiredGap: options.requiredGap,
            context: "maps between two \(d)-dimensional irreducibles (sketched)")
        else { return nil }
        var maps: [Matrix] = []
        for r in 0..<ns.basis.rows {
            var x = Matrix(rows: d, columns: d)
            for l in 0..<d { RealKernels.addScaled(&x, ns.basis[r, l], xs[l]) }
            let norm = x.frobeniusNorm
            for g in 0..<k where !((b[g] * x - x * a[g]).frobeniusNorm <= options.copyTolerance * norm) { return nil }
            maps.append(x)
        }
        return maps
    }
}

extension IsotypicDecomposition {
    /// Hom_G(τ_a, τ_b) in O(k·d³) for orthogonal images, the first path of `homBasis` for large
    /// irreducibles (the spin-recipe system costs O(k·d⁴): `basis symmetric:500 --factored`
    /// spent over 300 s there on the 499-dimensional irreducible).
    ///
    /// Every G-map X satisfies X A_a = A_b X for the symmetric group-algebra element
    /// A = Σ_w c_w (τ(w) + τ(w)ᵀ) taken with the same words and coefficients on both sides, so X
    /// maps each eigenspace of A_a into the eigenspace of A_b with the same eigenvalue:
    /// X = V Λ Uᵀ (U, V the eigenvectors) with Λ nonzero only between eigenvalues that agree within
    /// `clusterTolerance`. This ansatz is complete; when both spectra are nearly simple it has about
    /// d unknowns instead of d². The constraints τ_b(s) X = X τ_a(s) become B_s Λ = Λ A_s with
    /// A_s = Uᵀ τ_a(s) U, B_s = Vᵀ τ_b(s) V, and their normal matrix is assembled entry by entry:
    /// N[(j,c),(j',c')] = Σ_s δ_cc′ (B_sᵀB_s)_jj′ + (A_sA_sᵀ)_cc′ δ_jj′ − A_s[c′,c] B_s[j′,j] − A_s[c,c′] B_s[j,j′].
    /// Its null vectors (eigenvalues below 1e-10·max; the next one must exceed `requiredGap` times
    /// the larger of that bound and the largest null eigenvalue) give the maps, and every map is checked against every generator in full
    /// (‖τ_b(s)X − Xτ_a(s)‖_F ≤ copyTolerance·‖X‖_F). `nil` when the ansatz is large (clusters of
    /// more than 16 eigenvalues), the gap is unclear or a map fails its check: the caller then solves the
    /// spin-recipe system, so an answer is never the ansatz's alone unless it passed every check.
    /// - Complexity: O(k·d³) for the products and two eigendecompositions of d × d matrices,
    ///   plus O(u³) for the normal matrix of the u ≈ d unknowns.
    package static func spectralHom(from a: [Matrix], to b: [Matrix], options: RealSolverOptions) throws -> [Matrix]? {
        let d = a[0].rows, k = a.count
        // The same random symmetric element on both sides: the generators and their pairwise products.
        var rng = SplitMix64(seed: options.seed ^ 0x5_9EC7)
        var words: [[Int]] = (0..<k).map { [$0] }
        for g in 0..<k { for h in 0..<k where g != h || k == 1 { words.append([g, h]) } }
        let coefficients = words.map { _ in 2 * rng.nextUnit() - 1 }
        func element(_ images: [Matrix]) -> Matrix {
            var sum = Matrix(rows: d, columns: d)
            for (word, c) in zip(words, coefficients) {
                var m = images[word[0]]
                for g in word.dropFirst() { m = m * images[g] }
                RealKernels.addScaled(&sum, c, m)
                RealKernels.addScaled(&sum, c, m.transposed)
            }
            return symmetrized(sum)
        }
        let ea = try element(a).symmetricEigendecomposition()
        let eb = try element(b).symmetricEigendecomposition()
        let scale = max(ea.eigenvalues.map(\.magnitude).max() ?? 0, eb.eigenvalues.map(\.magnitude).max() ?? 0, 1e-300)
        // Groups of eigenvalues of both spectra, split wherever the merged sorted list has a gap.
        let merged = (ea.eigenvalues.enumerated().map { ($0.element, 0, $0.offset) }
            + eb.eigenvalues.enumerated().map { ($0.element, 1, $0.offset) }).sorted { $0.0 < $1.0 }
        var groups: [(a: [Int], b: [Int])] = []
        var current: (a: [Int], b: [Int]) = ([], [])
        for (t, entry) in merged.enumerated() {
            if t > 0, entry.0 - merged[t - 1].0 > options.clusterTolerance * scale {
                groups.append(current)
                current = ([], [])
            }
            if entry.1 == 0 { current.a.append(entry.2) } else { current.b.append(entry.2) }
        }
        groups.append(current)
        if groups.contains(where: { $0.a.count > 16 || $0.b.count > 16 }) { return nil }
        // Unknowns Λ[j, c]: j an eigenvector of A_b and c one of A_a in the same group.
        var unknowns: [(j: Int, c: Int)] = []
        for group in groups { for j in group.b { for c in group.a { unknowns.append((j, c)) } } }
        if unknowns.isEmpty { return [] }
        let u = ea.eigenvectors, v = eb.eigenvectors
        let aPrime = a.map { RealKernels.transposedMultiply(u, $0 * u) }
        let bPrime = b.map { RealKernels.transposedMultiply(v, $0 * v) }
        func checked(_ x: Matrix) -> Bool {
            let norm = x.frobeniusNorm
            return norm > 0 && (0..<k).allSatisfy { (b[$0] * x - x * a[$0]).frobeniusNorm <= options.copyTolerance * norm }
        }
        if groups.allSatisfy({ $0.a.count == 1 && $0.b.count == 1 }),
           let x = propagatedHom(js: groups.map { $0.b[0] }, cs: groups.map { $0.a[0] }, u: u, v: v, aPrime: aPrime, bPrime: bPrime),
           checked(x) {
            return [x]
        }
        let bb = bPrime.map { RealKernels.transposedMultiply($0, $0) }
        let aa = aPrime.map { RealKernels.multiplyTransposed($0, $0) }
        let count = unknowns.count
        var normal = Matrix(rows: count, columns: count)
        for (p, x) in unknowns.enumerated() {
            for (q, y) in unknowns.enumerated() where q >= p {
                var sum = 0.0
                for s in 0..<k {
                    if x.c == y.c { sum += bb[s][x.j, y.j] }
                    if x.j == y.j { sum += aa[s][x.c, y.c] }
                    sum -= aPrime[s][y.c, x.c] * bPrime[s][y.j, x.j] + aPrime[s][x.c, y.c] * bPrime[s][x.j, y.j]
                }
                normal[p, q] = sum
                normal[q, p] = sum
            }
        }
        let en = try normal.symmetricEigendecomposition()
        let largest = max(en.eigenvalues.last ?? 0, 1e-300)
        let nullity = en.eigenvalues.prefix { $0 <= 1e-10 * largest }.count
        guard nullity <= 4 else { return nil }
        let largestNull = nullity > 0 ? max(en.eigenvalues[nullity - 1], 0) : 0
        if nullity < count, en.eigenvalues[nullity] < options.requiredGap * max(largestNull, 1e-10 * largest) { return nil }
        var maps: [Matrix] = []
        for r in 0..<nullity {
            // X = V Λ Uᵀ = Σ Λ[j, c] v_j u_cᵀ, as (V Λ) Uᵀ.
            var vLambda = Matrix(rows: d, columns: d)
            for (p, x) in unknowns.enumerated() {
                let w = en.eigenvectors[p, r]
                for i in 0..<d { vLambda[i, x.c] += w * v[i, x.j] }
            }
            let x = RealKernels.multiplyTransposed(vLambda, u)
            guard checked(x) else { return nil }
            maps.append(x)
        }
        return maps
    }

    /// Both spectra simple and matched one to one (a real-type irreducible): Λ is diagonal, and the
    /// constraint at (row j_h, column c_g) reads B_s[j_h, j_g] λ_g = λ_h A_s[c_h, c_g], so λ_h follows
    /// from λ_g along any entry with A_s[c_h, c_g] ≠ 0. Propagating from λ_0 = 1 along a maximum
    /// spanning tree of |A_s[c_h, c_g]| (Prim) uses the best-conditioned equations only; the normal
    /// matrix squares the conditioning, and for S_500's standard representation, whose eigenvectors
    /// couple only through entries of about 1e-5, its gap is lost. Each tree edge is a nonzero
    /// equation, so the solution space has dimension at most one; the caller checks the map against
    /// every generator in full. `nil` when some eigenvector is coupled to none by an entry above
    /// 1e-9 (the normal matrix decides then).
    /// - Complexity: O(k·d²).
    static func propagatedHom(js: [Int], cs: [Int], u: Matrix, v: Matrix, aPrime: [Matrix], bPrime: [Matrix]) -> Matrix? {
        let n = js.count, d = u.rows
        var lambda = [Double](repeating: 0, count: n)
        var best = [Double](repeating: 0, count: n)
        var via = [(from: Int, generator: Int)](repeating: (0, 0), count: n)
        var inTree = [Bool](repeating: false, count: n)
        func relax(_ g: Int) {
            for h in 0..<n where !inTree[h] {
                for s in aPrime.indices {
                    let w = abs(aPrime[s][cs[h], cs[g]])
                    if w > best[h] { best[h] = w; via[h] = (g, s) }
                }
            }
        }
        lambda[0] = 1
        inTree[0] = true
        relax(0)
        for _ in 1..<max(n, 1) {
            var next = -1
            for h in 0..<n where !inTree[h] && (next < 0 || best[h] > best[next]) { next = h }
            guard next >= 0, best[next] > 1e-9 else { return nil }
            let (g, s) = via[next]
            lambda[next] = lambda[g] * bPrime[s][js[next], js[g]] / aPrime[s][cs[next], cs[g]]
            inTree[next] = true
            relax(next)
        }
        // X = V Λ Uᵀ with Λ[j_g, c_g] = λ_g.
        var vLambda = Matrix(rows: d, columns: d)
        for g in 0..<n { for i in 0..<d { vLambda[i, cs[g]] += lambda[g] * v[i, js[g]] } }
        return RealKernels.multiplyTransposed(vLambda, u)
    }
}

extension RealKernels {
    /// Frobenius Gram–Schmidt that skips elements dependent on the earlier ones.
    package static func orthonormalizeDropping(_ basis: [Matrix]) -> [Matrix] {
        var out: [Matrix] = []
        for var b in basis {
            let original = frobenius(b, b).squareRoot()
            for _ in 0..<2 { for q in out { addScaled(&b, -frobenius(q, b), q) } }
            let norm = frobenius(b, b).squareRoot()
            if norm > 1e-6 * original { out.append((1 / norm) * b) }
        }
        return out
    }
}
