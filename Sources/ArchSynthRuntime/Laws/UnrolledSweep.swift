/// One row of an unrolled block's law errors against the number of steps K.
public struct UnrolledBlockRow: Sendable, Equatable {
    /// Which block and input set ("translation, unique fixed point", …).
    public let name: String
    /// K, the number of unrolled steps.
    public let steps: Int
    /// The error of the law every step obeys ([U,U], the diagonal, or G for the gradient form).
    public let diagonal: Double
    /// The error of the larger law ([W,U], G × G) only fixed points obey; NaN when there is none.
    public let larger: Double

    /// A row: `larger` is NaN when the block has no larger law.
    public init(name: String, steps: Int, diagonal: Double, larger: Double) {
        self.name = name
        self.steps = steps
        self.diagonal = diagonal
        self.larger = larger
    }
}

/// The K sweep of an unrolled block (issue 10): its law errors for K = 1, 2, 4, …, 64, what a
/// generated block's `LawfulModel.stepSweep` returns and `archsynth verify` prints.
///
/// ```swift
/// UnrolledSweep.gradient(name: "S4", law: law, inputSizes: [4, 4]) { k, x in Block.node(k).forward(p(k), x) }
/// ```
public enum UnrolledSweep {
    /// The K values of a sweep: 1, 2, 4, …, 64.
    public static let defaultSteps = [1, 2, 4, 8, 16, 32, 64]

    /// The gradient form: the group law's worst error on the out-of-distribution families for
    /// each K (no larger law: NaN).
    public static func gradient(
        name: String, law: Law, inputSizes: [Int], steps: [Int] = defaultSteps, forward: (Int, [[Double]]) -> [Double]
    ) -> [UnrolledBlockRow] {
        steps.map { k in
            UnrolledBlockRow(name: name, steps: k, diagonal: law.check(inputSizes: inputSizes) { forward(k, $0) }.worst, larger: .nan)
        }
    }

    /// A fixed-point block: the diagonal law's worst error over the out-of-distribution
    /// families and over `pairs`, and the larger law's worst error over `pairs` (inputs whose
    /// fixed point is unique, e.g. `wavePairs`), for each K.
    public static func fixedPoint(
        name: String, diagonal: Law, larger: Law, inputSizes: [Int], pairs: [[[Double]]], steps: [Int] = defaultSteps,
        forward: (Int, [[Double]]) -> [Double]
    ) -> [UnrolledBlockRow] {
        steps.map { k in
            let f: ([[Double]]) -> [Double] = { forward(k, $0) }
            var d = diagonal.check(inputSizes: inputSizes, samples: 1, f).worst, l = 0.0
            for x in pairs {
                d = Swift.max(d, diagonal.worstError(at: x, f).error)
                l = Swift.max(l, larger.worstError(at: x, f).error)
            }
            return UnrolledBlockRow(name: name, steps: k, diagonal: d, larger: l)
        }
    }

    /// Pairs (A, B) on N points with a unique aligning shift: A = cos(2πx/N + φ₁) +
    /// 0.3 cos(4πx/N + φ₂), B = A(· + t*), t* uniform in [−range, range) (Fourier shift).
    public static func wavePairs(count n: Int, pairs: Int, range: Double = 3, seed: UInt64) -> (pairs: [[[Double]]], shifts: [Double]) {
        var rng = RuntimeRandom(seed: seed)
        let signal = PeriodicSignal(count: n)
        var out: [[[Double]]] = [], shifts: [Double] = []
        for _ in 0..<pairs {
            let p1 = rng.uniform(0, 2 * Double.pi), p2 = rng.uniform(0, 2 * Double.pi)
            let a = (0..<n).map { x in
                Double.cos(2 * Double.pi * Double(x) / Double(n) + p1) + 0.3 * Double.cos(4 * Double.pi * Double(x) / Double(n) + p2)
            }
            let t = rng.uniform(-range, range)
            out.append([a, signal.shifted(a, by: t)])
            shifts.append(t)
        }
        return (out, shifts)
    }

    /// Pairs on an H×W grid with a unique aligning shift: A = cos(2πx/W + φ₁) + cos(2πy/H + φ₂) +
    /// 0.3 cos(2π(x/W + y/H) + φ₃), B = A shifted by t* ∈ [−2, 2)².
    public static func wavePairs2D(height h: Int, width w: Int, pairs: Int, seed: UInt64) -> [[[Double]]] {
        var rng = RuntimeRandom(seed: seed)
        let probe = UnrolledFixedPoint2D(height: h, width: w, steps: 0)
        return (0..<pairs).map { _ in
            let p = (0..<3).map { _ in rng.uniform(0, 2 * Double.pi) }
            let a = (0..<(h * w)).map { i -> Double in
                let y = 2 * Double.pi * Double(i / w) / Double(h), x = 2 * Double.pi * Double(i % w) / Double(w)
                return Double.cos(x + p[0]) + Double.cos(y + p[1]) + 0.3 * Double.cos(x + y + p[2])
            }
            return [a, probe.shifted(a, by: (rng.uniform(-2, 2), rng.uniform(-2, 2))).value]
        }
    }

    /// `count` random moves (w, u) on N points.
    public static func moves(count n: Int, moves: Int, seed: UInt64) -> [(w: Int, u: Int)] {
        var rng = RuntimeRandom(seed: seed)
        return (0..<moves).map { _ in (w: rng.index(n), u: rng.index(n)) }
    }
}
