import ArchSynth
import ArchSynthRuntime

/// The experiment of issue 10 (wrapped by `archsynth experiment mesa`): law errors against K for
/// the fixed-point blocks, translation (Lucas–Kanade on 1-D and 2-D periodic signals) and dihedral
/// (D_n alignment), each with a unique-fixed-point input set and a non-unique one.
///
/// - unique translation: A = cos(2πx/N + φ₁) + 0.3 cos(4πx/N + φ₂), B = A(· + t*), t* ∈ [−3, 3);
/// - non-unique translation: A = cos(4πx/N + φ) (period N/2: t* and t* + N/2 align equally);
/// - unique dihedral: A = cos(2πx/n + φ₁) + 0.5 cos(4πx/n + φ₂) + 0.25 cos(6πx/n + φ₃) (no symmetry), B = g*·A;
/// - non-unique dihedral: A = cos(2πx/n) + 0.5 cos(4πx/n) (reflection-symmetric), B = g*·A.
public enum MesaExperiment {
    public static func run(quick: Bool, seed: UInt64) -> [UnrolledBlockRow] {
        let count = quick ? 2 : 6, moves = quick ? 4 : 12
        return translationRows(grid: quick ? 16 : 32, seed: seed, signalCount: count, moveCount: moves)
            + translationRows2D(height: quick ? 6 : 8, width: 8, seed: seed &+ 2, signalCount: count, moveCount: moves)
            + dihedralRows(n: 16, seed: seed &+ 1, signalCount: count, moveCount: moves)
    }

    static func wave(_ count: Int, _ terms: [(k: Int, amplitude: Double, phase: Double)]) -> [Double] {
        (0..<count).map { x in
            terms.reduce(0.0) { $0 + $1.amplitude * Double.cos(2 * Double.pi * Double($1.k * x) / Double(count) + $1.phase) }
        }
    }

    /// `count` input pairs on `points` points: A a `wave` with the terms `terms` draws, then
    /// B = `move(A)`; both draw from `rng`, in that order, pair by pair.
    static func wavePairs(
        points: Int, count: Int, rng: inout RuntimeRandom, move: (inout RuntimeRandom, [Double]) -> [Double],
        terms: (inout RuntimeRandom) -> [(k: Int, amplitude: Double, phase: Double)]
    ) -> [(a: [Double], b: [Double])] {
        (0..<count).map { _ in
            let a = wave(points, terms(&rng))
            return (a, move(&rng, a))
        }
    }

    /// The translation block's rows: a unique-fixed-point input set and a non-unique one.
    public static func translationRows(
        grid n: Int, seed: UInt64, steps: [Int] = UnrolledBlockReport.defaultSteps, signalCount: Int = 6, moveCount: Int = 12
    ) -> [UnrolledBlockRow] {
        var rng = RuntimeRandom(seed: seed)
        let signal = PeriodicSignal(count: n)
        let shift = { (rng: inout RuntimeRandom, a: [Double]) in signal.shifted(a, by: rng.uniform(-3, 3)) }
        let unique = wavePairs(points: n, count: signalCount, rng: &rng, move: shift) { [(1, 1, $0.uniform(0, 6.3)), (2, 0.3, $0.uniform(0, 6.3))] }
        let nonUnique = wavePairs(points: n, count: signalCount, rng: &rng, move: shift) { [(2, 1, $0.uniform(0, 6.3))] }
        let moves = (0..<moveCount).map { _ in (w: rng.index(n), u: rng.index(n)) }
        return UnrolledBlockReport.errorsAgainstK(name: "translation N=\(n), unique", grid: n, signals: unique, moves: moves, steps: steps)
            + UnrolledBlockReport.errorsAgainstK(name: "translation N=\(n), non-unique (period N/2)", grid: n, signals: nonUnique, moves: moves, steps: steps)
    }

    /// The 2-D translation block's rows on an H×W grid: A = cos(2πx/W + φ₁) + cos(2πy/H + φ₂) +
    /// 0.3 cos(2π(x/W + y/H) + φ₃) (unique), A = cos(4πx/W + φ₁) + cos(4πy/H + φ₂) (period halved
    /// on both axes: non-unique); B = A shifted by t* ∈ [−2, 2)².
    public static func translationRows2D(
        height h: Int, width w: Int, seed: UInt64, steps: [Int] = UnrolledBlockReport.defaultSteps, signalCount: Int = 4, moveCount: Int = 8
    ) -> [UnrolledBlockRow] {
        var rng = RuntimeRandom(seed: seed)
        let probe = UnrolledFixedPoint2D(height: h, width: w, steps: 0)
        func pairs(_ f: (Double, Double, [Double]) -> Double) -> [(a: [Double], b: [Double])] {
            (0..<signalCount).map { _ in
                let phases = (0..<3).map { _ in rng.uniform(0, 6.3) }
                let a = (0..<(h * w)).map { i in f(2 * Double.pi * Double(i / w) / Double(h), 2 * Double.pi * Double(i % w) / Double(w), phases) }
                return (a, probe.shifted(a, by: (rng.uniform(-2, 2), rng.uniform(-2, 2))).value)
            }
        }
        let unique = pairs { y, x, p in Double.cos(x + p[0]) + Double.cos(y + p[1]) + 0.3 * Double.cos(x + y + p[2]) }
        let nonUnique = pairs { y, x, p in Double.cos(2 * x + p[0]) + Double.cos(2 * y + p[1]) }
        var moves: [(w: (y: Int, x: Int), u: (y: Int, x: Int))] = []
        for _ in 0..<moveCount {
            let wy = rng.index(h), wx = rng.index(w), uy = rng.index(h), ux = rng.index(w)
            moves.append((w: (y: wy, x: wx), u: (y: uy, x: ux)))
        }
        return UnrolledBlockReport.errorsAgainstK(name: "translation \(h)x\(w), unique", height: h, width: w, signals: unique, moves: moves, steps: steps)
            + UnrolledBlockReport.errorsAgainstK(name: "translation \(h)x\(w), non-unique (period halved)", height: h, width: w, signals: nonUnique, moves: moves, steps: steps)
    }

    /// The dihedral block's rows: a signal without symmetry and a reflection-symmetric one.
    public static func dihedralRows(
        n m: Int, seed: UInt64, steps: [Int] = UnrolledBlockReport.defaultSteps, signalCount: Int = 6, moveCount: Int = 12
    ) -> [UnrolledBlockRow] {
        var rng = RuntimeRandom(seed: seed)
        let d = DihedralAlignment(n: m)
        let act = { (rng: inout RuntimeRandom, a: [Double]) in d.act(rng.index(d.order), a) }
        let unique = wavePairs(points: m, count: signalCount, rng: &rng, move: act) { [(1, 1, $0.uniform(0, 6.3)), (2, 0.5, $0.uniform(0, 6.3)), (3, 0.25, $0.uniform(0, 6.3))] }
        let nonUnique = wavePairs(points: m, count: signalCount, rng: &rng, move: act) { _ in [(1, 1, 0), (2, 0.5, 0)] }
        let moves = (0..<moveCount).map { _ in (rng.index(d.order), rng.index(d.order)) }
        return UnrolledBlockReport.errorsAgainstK(name: "dihedral D\(m), unique", dihedral: d, signals: unique, moves: moves, steps: steps)
            + UnrolledBlockReport.errorsAgainstK(name: "dihedral D\(m), non-unique (reflection-symmetric)", dihedral: d, signals: nonUnique, moves: moves, steps: steps)
    }
}

extension UnrolledBlockReport {
    /// The dihedral alignment block: fractions of wrong elements under the diagonal and D_n × D_n laws.
    public static func errorsAgainstK(
        name: String, dihedral d: DihedralAlignment, signals: [(a: [Double], b: [Double])], moves: [(Int, Int)], steps: [Int] = defaultSteps
    ) -> [UnrolledBlockRow] {
        steps.map { k in
            let e = d.lawErrors(signals: signals, pairs: moves, steps: k)
            return UnrolledBlockRow(name: name, steps: k, diagonal: e.diagonal, larger: e.larger)
        }
    }
}
