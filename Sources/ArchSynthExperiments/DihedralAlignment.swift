import ArchSynth
import ArchSynthRuntime

/// The finite-group fixed-point block: align two signals on the vertices of a regular n-gon
/// under the dihedral group D_n. Element g = (k, f), numbered k + n·f, maps vertex x to
/// x + k (f = 0, a rotation) or k − x (f = 1, a reflection), mod n; it acts on signals by
/// (g·A)(g(x)) = A(x). Ψ[A, B] is an element with Ψ·A ≈ B.
///
/// One step Φ[A′, B] = argmax_{c ∈ C} ⟨B, c·A′⟩ over C = {e, r, r⁻¹} ∪ {all reflections}, a
/// conjugation-closed set (ties go to e, then to the lowest index), and
/// Ψ_{k+1} = Φ[Ψ_k·A, B]·Ψ_k (TwoStep), Ψ_0 = e. Because C is closed under conjugation every
/// step is diagonal-equivariant, Φ[hA′, hB] = hΦ[A′, B]h⁻¹, so Ψ_K[hA, hB] = hΨ_K[A, B]h⁻¹ for
/// every K. A fixed point (Φ = e) stays one under independent moves: Ψ′ = h₂Ψh₁⁻¹ is a fixed
/// point for (h₁A, h₂B), the D_n × D_n law, which the iteration reaches when the greedy climb
/// has a unique end point.
///
/// ```swift
/// let d = DihedralAlignment(n: 16)
/// d.align(a, d.act(g, b), steps: 16)   // g·(the element aligning a to b), when unique
/// ```
public struct DihedralAlignment: Sendable {
    public let n: Int
    public var order: Int { 2 * n }
    /// The candidate moves C: e, r, r⁻¹, then the n reflections.
    public let candidates: [Int]

    public init(n: Int) {
        precondition(n >= 3, "DihedralAlignment: n ≥ 3")
        self.n = n
        candidates = [0, 1, n - 1] + (0..<n).map { $0 + n }
    }

    /// The image of vertex x under element g.
    @inlinable public func image(_ g: Int, _ x: Int) -> Int {
        let k = g % n
        return g < n ? (x + k) % n : ((k - x) % n + n) % n
    }

    /// g∘h.
    public func compose(_ g: Int, _ h: Int) -> Int {
        // Determine g∘h from the images of 0 and 1.
        let y0 = image(g, image(h, 0)), y1 = image(g, image(h, 1))
        return (y1 - y0 + n) % n == 1 ? y0 : y0 + n
    }

    public func inverse(_ g: Int) -> Int { g < n ? (n - g) % n : g }

    /// g·A: (g·A)[g(x)] = A[x].
    public func act(_ g: Int, _ a: [Double]) -> [Double] {
        var y = a
        for x in 0..<n { y[image(g, x)] = a[x] }
        return y
    }

    /// Φ[A′, B]: the best candidate move, e on ties with e.
    public func step(_ a: [Double], _ b: [Double]) -> Int {
        func score(_ c: Int) -> Double {
            var s = 0.0
            for x in 0..<n { s += b[image(c, x)] * a[x] }
            return s
        }
        var scale = 0.0
        for x in 0..<n { scale += abs(a[x] * b[x]) }
        let identity = score(0), tolerance = 1e-12 * max(scale, .leastNormalMagnitude)
        var best = 0, bestScore = identity
        for c in candidates.dropFirst() {
            let s = score(c)
            if s > bestScore + tolerance { best = c; bestScore = s }
        }
        return best
    }

    /// Ψ_K.
    public func align(_ a: [Double], _ b: [Double], steps: Int) -> Int {
        var psi = 0
        for _ in 0..<steps { psi = compose(step(act(psi, a), b), psi) }
        return psi
    }

    /// Fractions of (sample, element) checks that break the diagonal law Ψ[hA, hB] = hΨh⁻¹ and the
    /// D_n × D_n law Ψ[h₁A, h₂B] = h₂Ψh₁⁻¹, over `pairs` and the given signal pairs.
    public func lawErrors(signals: [(a: [Double], b: [Double])], pairs: [(Int, Int)], steps: Int) -> (diagonal: Double, larger: Double) {
        var diagonalMisses = 0, largerMisses = 0, checks = 0
        for (a, b) in signals {
            let psi = align(a, b, steps: steps)
            for (h1, h2) in pairs {
                checks += 1
                if align(act(h1, a), act(h1, b), steps: steps) != compose(compose(h1, psi), inverse(h1)) { diagonalMisses += 1 }
                if align(act(h1, a), act(h2, b), steps: steps) != compose(compose(h2, psi), inverse(h1)) { largerMisses += 1 }
            }
        }
        return (Double(diagonalMisses) / Double(max(checks, 1)), Double(largerMisses) / Double(max(checks, 1)))
    }
}
