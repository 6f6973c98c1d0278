/// Periodic band-limited signals on N grid points 0 ..< N: (S_t a)(x) = a(x + t) for real t by
/// Fourier (trigonometric) interpolation over the modes |k| < N/2 (the Nyquist mode of an even N
/// is dropped, so the interpolant is real and commutes with integer rolls exactly).
/// Generic over `RuntimeScalar`, so duals give derivatives in t and in the samples.
///
/// ```swift
/// let s = PeriodicSignal(count: 8)
/// s.shifted([0, 1, 0, 0, 0, 0, 0, 0], by: 1.0)   // ≈ the signal rolled left by one
/// ```
public struct PeriodicSignal: Sendable {
    /// N, the number of grid points (at least 2).
    public let count: Int
    /// cos(2πkx/N) and sin(2πkx/N) for k in 0 ..< modes, x in 0 ..< N (row k).
    let cosTable: [Double]
    let sinTable: [Double]
    /// The number of Fourier modes kept, ⌈N/2⌉ (k = 0 ..< modes; the Nyquist mode of an even N is dropped).
    public var modes: Int { (count + 1) / 2 }

    /// Interpolation on N = `count` points, with the cos/sin tables precomputed (traps unless N ≥ 2).
    public init(count: Int) {
        precondition(count >= 2, "PeriodicSignal: at least 2 points")
        self.count = count
        let m = (count + 1) / 2
        var c = [Double](repeating: 0, count: m * count), s = c
        for k in 0..<m {
            for x in 0..<count {
                // Reduce kx mod N first so the tables are exact under rolls.
                let a = 2 * Double.pi * Double((k * x) % count) / Double(count)
                c[k * count + x] = Double.cos(a)
                s[k * count + x] = Double.sin(a)
            }
        }
        cosTable = c
        sinTable = s
    }

    /// a(x + t) and a′(x + t) at every grid point x.
    public func shiftedWithDerivative<T: RuntimeScalar>(_ a: [T], by t: T) -> (value: [T], derivative: [T]) {
        precondition(a.count == count, "PeriodicSignal: \(a.count) samples, expected \(count)")
        let n = count, m = modes, invN = T(1.0 / Double(n))
        var value = [T](repeating: T.zero, count: n), derivative = value
        for k in 0..<m {
            // â_k = C_k − i S_k
            var ck = T.zero, sk = T.zero
            for x in 0..<n {
                ck += a[x] * T(cosTable[k * n + x])
                sk += a[x] * T(sinTable[k * n + x])
            }
            let weight = T(k == 0 ? 1 : 2)
            ck = ck * invN * weight
            sk = sk * invN * weight
            let omega = T(2 * Double.pi * Double(k) / Double(n))
            let b = omega * t, cb = T.cos(b), sb = T.sin(b)
            for x in 0..<n {
                let ca = T(cosTable[k * n + x]), sa = T(sinTable[k * n + x])
                let cosTheta = ca * cb - sa * sb, sinTheta = sa * cb + ca * sb
                value[x] += ck * cosTheta + sk * sinTheta
                derivative[x] += omega * (sk * cosTheta - ck * sinTheta)
            }
        }
        return (value, derivative)
    }

    /// a(x + t) at every grid point x (`shiftedWithDerivative` without the derivative).
    /// - Complexity: O(N · modes).
    public func shifted<T: RuntimeScalar>(_ a: [T], by t: T) -> [T] { shiftedWithDerivative(a, by: t).value }

    /// a rolled by an integer u: result[x] = a[(x + u) mod N] (the translation U acting on a).
    public static func rolled(_ a: [Double], by u: Int) -> [Double] {
        let n = a.count
        return (0..<n).map { a[(($0 + u) % n + n) % n] }
    }

    /// The distance of two shifts on the circle of circumference N, in grid units.
    public static func circularDistance(_ s: Double, _ t: Double, period n: Int) -> Double {
        let p = Double(n)
        var d = (s - t).truncatingRemainder(dividingBy: p)
        if d < 0 { d += p }
        return Swift.min(d, p - d)
    }
}

/// A Lucas–Kanade shift estimate between two periodic signals: the Gauss–Newton step
/// δ = Σ_x (B − A)(x) A′(x) / (Σ_x A′(x)² + ε) of min_δ Σ_x (A(x + δ) − B(x))².
/// Law ([U,U]): rolling both inputs by the same u leaves δ unchanged (sums over the whole
/// periodic grid), so the map x ↦ x + δ is [U,U]-equivariant; it is not [W,U]-equivariant
/// (δ is a linearization, not the aligning shift).
public struct LucasKanadeShift: Sendable {
    /// The Fourier interpolation used to warp A by the current shift.
    public let signal: PeriodicSignal
    /// ε: a constant A gives δ = 0 instead of 0/0.
    public let epsilon: Double

    /// The step on signals of N = `count` points with regularizer ε = `epsilon`.
    public init(count: Int, epsilon: Double = 1e-300) {
        signal = PeriodicSignal(count: count)
        self.epsilon = epsilon
    }

    /// δ for A already warped (A = A₀∘Ψ, given with its derivative) and B.
    public func step<T: RuntimeScalar>(warped a: [T], derivative da: [T], target b: [T]) -> T {
        var num = T.zero, den = T(epsilon)
        for x in a.indices {
            num += (b[x] - a[x]) * da[x]
            den += da[x] * da[x]
        }
        return num / den
    }
}

/// The fixed-point form of the unrolled-optimizer block on 1-D periodic signals, translation
/// only (global shifts Ψ(x) = x + t): Ψ_0 = id, Ψ_{k+1} = TwoStep{Ψ_k, Φ} = Ψ_k ∘ Φ[A∘Ψ_k, B]
/// with Φ the Lucas–Kanade shift (so t_{k+1} = t_k + δ(A(· + t_k), B)). Output: [t_K].
///
/// Laws: every step is [U,U]-equivariant, so t_K[A∘U, B∘U] = t_K[A, B] (`diagonalLaw`) for
/// every K. At a fixed point δ = 0, and the fixed-point set is [W,U]-equivariant:
/// t[A∘W, B∘U] = t[A, B] + u − w (mod N) (`pairLaw`), which the iteration reaches as K grows
/// where the fixed point it converges to is unique.
///
/// ```swift
/// let block = UnrolledFixedPoint(count: 32, steps: 64)
/// block.shift(a, b)   // t with a(x + t) ≈ b(x)
/// ```
public struct UnrolledFixedPoint: Sendable {
    /// The Lucas–Kanade step applied at every iteration.
    public let step: LucasKanadeShift
    /// K, the number of unrolled steps (0: t = 0).
    public let steps: Int
    /// N, the number of grid points.
    public var count: Int { step.signal.count }

    /// K = `steps` Lucas–Kanade steps on signals of N = `count` points (traps if steps < 0).
    public init(count: Int, steps: Int) {
        precondition(steps >= 0, "UnrolledFixedPoint: steps ≥ 0")
        step = LucasKanadeShift(count: count)
        self.steps = steps
    }

    /// t_K, computed on the canonical joint roll of (A, B) (`RollCanonicalization`), so the
    /// [U,U] law holds bit for bit.
    public func shift<T: RuntimeScalar>(_ a: [T], _ b: [T]) -> T {
        let u = RollCanonicalization.offset(b: b.map(\.primal), a: a.map(\.primal), height: 1, width: count)
        let a = RollCanonicalization.rolled(a, height: 1, width: count, by: u)
        let b = RollCanonicalization.rolled(b, height: 1, width: count, by: u)
        var t = T.zero
        for _ in 0..<steps {
            let (warped, derivative) = step.signal.shiftedWithDerivative(a, by: t)
            t = t + step.step(warped: warped, derivative: derivative, target: b)
        }
        return t
    }

    /// [U,U]: both signals rolled by u (`shifts` lists the u tried), output unchanged.
    public static func diagonalLaw(count n: Int, shifts: [Int]) -> Law {
        Law(
            name: "[U,U] translations of both signals (C_\(n) diagonal)", elementCount: shifts.count, isComplete: shifts.count == n,
            describe: { "u = \(shifts[$0])" },
            actOnInputs: { g, x in x.map { PeriodicSignal.rolled($0, by: shifts[g]) } },
            actOnOutput: { _, y in y },
            distance: { a, b in PeriodicSignal.circularDistance(a[0], b[0], period: n) })
    }

    /// [W,U]: A rolled by w and B by u independently, output t ↦ t + u − w (mod N).
    public static func pairLaw(count n: Int, pairs: [(w: Int, u: Int)]) -> Law {
        Law(
            name: "[W,U] independent translations (C_\(n) × C_\(n))", elementCount: pairs.count, isComplete: pairs.count == n * n,
            describe: { "(w, u) = (\(pairs[$0].w), \(pairs[$0].u))" },
            actOnInputs: { g, x in [PeriodicSignal.rolled(x[0], by: pairs[g].w), PeriodicSignal.rolled(x[1], by: pairs[g].u)] },
            actOnOutput: { g, y in [y[0] + Double(pairs[g].u - pairs[g].w)] },
            distance: { a, b in PeriodicSignal.circularDistance(a[0], b[0], period: n) })
    }
}

/// The fixed-point form on a periodic H×W grid (row-major signals, index y·W + x), translation
/// only: Ψ(y, x) = (y + t_y, x + t_x), Ψ_{k+1} = Ψ_k ∘ Φ[A∘Ψ_k, B] with Φ the 2-D Lucas–Kanade
/// step (the 2×2 Gauss–Newton system; a singular system, e.g. a constant A, gives δ = 0; each
/// component of δ is bounded by half the grid).
/// Output [t_y, t_x]. Laws as in `UnrolledFixedPoint`, per axis.
public struct UnrolledFixedPoint2D: Sendable {
    /// H, the grid's rows.
    public let height: Int
    /// W, the grid's columns.
    public let width: Int
    /// K, the number of unrolled steps (0: t = (0, 0)).
    public let steps: Int
    let rows: PeriodicSignal
    let columns: PeriodicSignal

    /// K = `steps` 2-D Lucas–Kanade steps on H×W signals (traps if steps < 0).
    public init(height: Int, width: Int, steps: Int) {
        precondition(steps >= 0, "UnrolledFixedPoint2D: steps ≥ 0")
        self.height = height
        self.width = width
        self.steps = steps
        rows = PeriodicSignal(count: width)
        columns = PeriodicSignal(count: height)
    }

    /// A(y + t_y, x + t_x) with its derivatives in y and x.
    public func shifted<T: RuntimeScalar>(_ a: [T], by t: (y: T, x: T)) -> (value: [T], dy: [T], dx: [T]) {
        let (h, w) = (height, width)
        var v1 = [T](repeating: T.zero, count: h * w), dx1 = v1
        for y in 0..<h {
            let (v, d) = rows.shiftedWithDerivative(Array(a[(y * w)..<(y * w + w)]), by: t.x)
            for x in 0..<w { v1[y * w + x] = v[x]; dx1[y * w + x] = d[x] }
        }
        var value = v1, dy = v1, dx = v1
        for x in 0..<w {
            let (v, d) = columns.shiftedWithDerivative((0..<h).map { v1[$0 * w + x] }, by: t.y)
            let ddx = columns.shifted((0..<h).map { dx1[$0 * w + x] }, by: t.y)
            for y in 0..<h { value[y * w + x] = v[y]; dy[y * w + x] = d[y]; dx[y * w + x] = ddx[y] }
        }
        return (value, dy, dx)
    }

    /// [t_y, t_x] after K steps, computed on the canonical joint roll of (A, B)
    /// (`RollCanonicalization`), so the [U,U] law holds bit for bit.
    public func shift<T: RuntimeScalar>(_ a: [T], _ b: [T]) -> [T] {
        let u = RollCanonicalization.offset(b: b.map(\.primal), a: a.map(\.primal), height: height, width: width)
        let a = RollCanonicalization.rolled(a, height: height, width: width, by: u)
        let b = RollCanonicalization.rolled(b, height: height, width: width, by: u)
        var ty = T.zero, tx = T.zero
        for _ in 0..<steps {
            let (v, gy, gx) = shifted(a, by: (ty, tx))
            var syy = T.zero, sxy = T.zero, sxx = T.zero, by = T.zero, bx = T.zero
            for i in v.indices {
                let r = b[i] - v[i]
                syy += gy[i] * gy[i]
                sxy += gy[i] * gx[i]
                sxx += gx[i] * gx[i]
                by += r * gy[i]
                bx += r * gx[i]
            }
            let det = syy * sxx - sxy * sxy
            guard det.primal > 1e-12 * (syy.primal * sxx.primal), det.primal > 0 else { continue }
            // A step longer than half the grid means nothing on a periodic domain; bounding it keeps t
            // small, so rounding in a huge step (a nearly singular system on noise) cannot reach the
            // [U,U] law's grid-unit error. The bound commutes with rolls, so the law is unchanged.
            ty = ty + Self.bounded((sxx * by - sxy * bx) / det, Double(height) / 2)
            tx = tx + Self.bounded((syy * bx - sxy * by) / det, Double(width) / 2)
        }
        return [ty, tx]
    }

    /// δ clamped to [−bound, bound] (derivative zero where clamped).
    static func bounded<T: RuntimeScalar>(_ d: T, _ bound: Double) -> T {
        d.primal > bound ? T(bound) : (d.primal < -bound ? T(-bound) : d)
    }

    /// a rolled by (u_y, u_x): result[y, x] = a[y + u_y, x + u_x] (periodic).
    public static func rolled(_ a: [Double], height h: Int, width w: Int, by u: (y: Int, x: Int)) -> [Double] {
        (0..<(h * w)).map { i in
            let y = ((i / w + u.y) % h + h) % h, x = ((i % w + u.x) % w + w) % w
            return a[y * w + x]
        }
    }

    static func distance(_ a: [Double], _ b: [Double], _ h: Int, _ w: Int) -> Double {
        guard a.count == 2, b.count == 2 else { return .infinity }
        return Swift.max(PeriodicSignal.circularDistance(a[0], b[0], period: h), PeriodicSignal.circularDistance(a[1], b[1], period: w))
    }

    /// [U,U]: both signals rolled by u, output unchanged.
    public static func diagonalLaw(height h: Int, width w: Int, shifts: [(y: Int, x: Int)]) -> Law {
        Law(
            name: "[U,U] translations of both signals (C_\(h) × C_\(w) diagonal)", elementCount: shifts.count, isComplete: shifts.count == h * w,
            describe: { "u = (\(shifts[$0].y), \(shifts[$0].x))" },
            actOnInputs: { g, x in x.map { rolled($0, height: h, width: w, by: shifts[g]) } },
            actOnOutput: { _, y in y },
            distance: { distance($0, $1, h, w) })
    }

    /// [W,U]: A rolled by w, B by u, output t ↦ t + u − w per axis.
    public static func pairLaw(height h: Int, width w: Int, pairs: [(w: (y: Int, x: Int), u: (y: Int, x: Int))]) -> Law {
        Law(
            name: "[W,U] independent translations", elementCount: pairs.count, isComplete: false,
            describe: { "w = (\(pairs[$0].w.y), \(pairs[$0].w.x)), u = (\(pairs[$0].u.y), \(pairs[$0].u.x))" },
            actOnInputs: { g, x in [rolled(x[0], height: h, width: w, by: pairs[g].w), rolled(x[1], height: h, width: w, by: pairs[g].u)] },
            actOnOutput: { g, y in [y[0] + Double(pairs[g].u.y - pairs[g].w.y), y[1] + Double(pairs[g].u.x - pairs[g].w.x)] },
            distance: { distance($0, $1, h, w) })
    }
}
