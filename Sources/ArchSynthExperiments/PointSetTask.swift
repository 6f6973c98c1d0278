import ArchSynth
import ArchSynthRuntime
import GroupTheory

/// The task of the data-efficiency and ood experiments: n points in the plane, input
/// [x₁ … xₙ, y₁ … yₙ] (the representation 2*natural of S_n: permuting the points permutes both
/// blocks alike), target the mean distance of the points to their centroid,
/// f(p) = (1/n) Σᵢ ‖pᵢ − p̄‖ — invariant under S_n, nonlinear, homogeneous of degree 1.
public struct PointSetTask: Sendable {
    public let n: Int

    public init(n: Int) { self.n = n }

    public var inputSize: Int { 2 * n }

    /// Points with standard normal coordinates times `scale`; `sorted` orders them by x
    /// (a fundamental domain of the permutation action: the canonical ordering).
    public func sample(_ rng: inout RuntimeRandom, scale: Double = 1, sorted: Bool = false) -> [Double] {
        var points = (0..<n).map { _ in (rng.normal() * scale, rng.normal() * scale) }
        if sorted { points.sort { $0.0 < $1.0 } }
        return points.map(\.0) + points.map(\.1)
    }

    public func target(_ x: [Double]) -> Double {
        var cx = 0.0, cy = 0.0
        for i in 0..<n {
            cx += x[i]
            cy += x[n + i]
        }
        cx /= Double(n)
        cy /= Double(n)
        var sum = 0.0
        for i in 0..<n {
            let dx = x[i] - cx, dy = x[n + i] - cy
            sum += (dx * dx + dy * dy).squareRoot()
        }
        return sum / Double(n)
    }

    /// Point i moves to position p[i] (both coordinate blocks).
    public func action(_ p: [Int]) -> [Int] { p + p.map { $0 + n } }

    public func permute(_ x: [Double], _ p: [Int]) -> [Double] { LinearAction.permutation(action(p)).apply(x) }

    /// S_n on the input, trivially on the output, over every element (n! of them).
    public func law() -> Law {
        let perms = allPermutations(n)
        return Law.linear(
            name: "S_\(n) on the points, invariant output",
            inputs: [perms.map { LinearAction.permutation(action($0)) }],
            output: perms.map { _ in LinearAction.permutation([0]) }, isComplete: true)
    }

    /// Equivariant network 2*natural → h*natural → h*natural → 1 and a dense 2n → w → w → 1
    /// with w chosen so the parameter counts match as closely as possible.
    public func models(hidden h: Int) throws -> (equivariant: Graph, dense: Graph, denseWidth: Int) {
        let group = try GroupResolver().resolve("symmetric:\(n)")
        let net = try NetworkDescription.solving(
            typeName: "PointSetNet", group: group, expressions: ["2*natural", "\(h)*natural", "\(h)*natural", "1"])
        let equivariant = try ExperimentModels.equivariant(net)
        var best = 1, bestGap = Int.max
        for w in 1...256 {
            let count = ExperimentModels.dense(sizes: [inputSize, w, w, 1]).parameterCount
            let gap = abs(count - equivariant.parameterCount)
            if gap < bestGap {
                best = w
                bestGap = gap
            }
        }
        return (equivariant, ExperimentModels.dense(sizes: [inputSize, best, best, 1]), best)
    }
}

/// Every permutation of 0 ..< n in lexicographic order (image arrays).
public func allPermutations(_ n: Int) -> [[Int]] {
    var result: [[Int]] = []
    var p = Array(0..<n)
    while true {
        result.append(p)
        var i = n - 2
        while i >= 0 && p[i] >= p[i + 1] { i -= 1 }
        if i < 0 { return result }
        var j = n - 1
        while p[j] <= p[i] { j -= 1 }
        p.swapAt(i, j)
        p[(i + 1)...].reverse()
    }
}

/// A uniformly random permutation of 0 ..< n.
public func randomPermutation(_ n: Int, _ rng: inout RuntimeRandom) -> [Int] {
    var p = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, rng.index(i + 1)) }
    return p
}

/// RMSE / standard deviation of the targets (1 = predicting the mean).
func normalizedRMSE(predictions y: [Double], targets t: [Double]) -> Double {
    let mean = t.reduce(0, +) / Double(t.count)
    var se = 0.0, variance = 0.0
    for i in t.indices {
        se += (y[i] - t[i]) * (y[i] - t[i])
        variance += (t[i] - mean) * (t[i] - mean)
    }
    return (se / max(variance, 1e-300)).squareRoot()
}
