/// The canonical joint roll of a pair of signals on a periodic grid: the roll u that makes the
/// sequence (B∘u, A∘u) (B first, row-major) lexicographically least in the total order of
/// Double (`isTotallyOrdered`, so signed zeros and NaNs are ordered too).
///
/// A map f with f[A∘U, B∘U] = f[A, B] (the [U,U] law of the Lucas–Kanade steps) is exact only
/// in exact arithmetic: rolling the inputs reorders every sum over the grid, and an iteration
/// amplifies the rounding (a 6×8 two-dimensional block at K = 64 ended 3.85 grid units apart on
/// Cauchy inputs). Evaluating f on the canonical roll of its inputs makes the law hold bit for
/// bit: jointly rolled inputs have the same canonical roll, hence the same arrays. It changes
/// nothing else, since f is invariant under joint rolls in exact arithmetic.
///
/// ```swift
/// let u = RollCanonicalization.offset(b: [2, 0, 1], a: [5, 6, 7], height: 1, width: 3)
/// u   // (0, 1): B rolled by 1 is [0, 1, 2]
/// ```
/// - Complexity: O(n · c) for n grid points, c the number of rolls that tie on the first
///   values compared (1 for generic data; up to n for a constant pair).
public enum RollCanonicalization {
    /// The roll (u_y, u_x) with result[y, x] = X[y + u_y, x + u_x] for both signals.
    public static func offset(b: [Double], a: [Double], height h: Int, width w: Int) -> (y: Int, x: Int) {
        let n = h * w
        precondition(a.count == n && b.count == n && n >= 1, "RollCanonicalization: \(a.count), \(b.count) values for \(h)×\(w)")
        // Value j of the sequence rolled by candidate p = (py, px).
        func value(_ p: Int, _ j: Int) -> Double {
            let k = j < n ? j : j - n
            let (py, px) = (p / w, p % w)
            let i = ((k / w + py) % h) * w + (k % w + px) % w
            return j < n ? b[i] : a[i]
        }
        var candidates = Array(0..<n)
        var j = 0
        while candidates.count > 1, j < 2 * n {
            var least = value(candidates[0], j)
            for p in candidates.dropFirst() {
                let v = value(p, j)
                if v.isTotallyOrdered(belowOrEqualTo: least) { least = v }
            }
            candidates = candidates.filter { value($0, j).bitPattern == least.bitPattern }
            j += 1
        }
        return (candidates[0] / w, candidates[0] % w)
    }

    /// X rolled by u (generic, so dual numbers keep their tangents).
    public static func rolled<T>(_ x: [T], height h: Int, width w: Int, by u: (y: Int, x: Int)) -> [T] {
        (0..<(h * w)).map { k in x[((k / w + u.y) % h) * w + (k % w + u.x) % w] }
    }
}

/// Both signals of a pair on the canonical joint roll (`RollCanonicalization`): inputs [A, B]
/// (H·W values each, row-major), output A∘u ⊕ B∘u (2·H·W values) for the roll u that
/// `RollCanonicalization.offset(b: B, a: A, …)` picks from the primal values. Jointly rolled
/// pairs give the same output bit for bit, so a map evaluated after this node obeys the [U,U]
/// law exactly, at every scale and on ties, whatever the order of its sums. The roll is
/// piecewise constant in the inputs, so the pullback is the inverse roll of the gradient.
///
/// ```swift
/// let node = JointRollCanonicalization(height: 1, width: 3)
/// node.forward([Double](), [[5, 6, 7], [2, 0, 1]])   // [6, 7, 5, 0, 1, 2]
/// ```
public struct JointRollCanonicalization: ParameterFreeNode {
    /// H, the grid's rows.
    public let height: Int
    /// W, the grid's columns.
    public let width: Int
    /// [A, B]: H·W values each, row-major.
    public var inputSizes: [Int] { [height * width, height * width] }
    /// 2·H·W: A∘u, then B∘u.
    public var outputSize: Int { 2 * height * width }

    /// The canonical joint roll on an H×W grid (traps unless both are at least 1).
    public init(height: Int, width: Int) {
        precondition(height >= 1 && width >= 1, "JointRollCanonicalization: empty grid \(height)×\(width)")
        self.height = height
        self.width = width
    }

    /// Both inputs rolled by the canonical u (picked from the primal values); the pullback rolls ȳ back by −u.
    /// - Complexity: O(n · c) for the roll (see `RollCanonicalization`), then O(n) forward and backward.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "JointRollCanonicalization")
        let (h, w, n) = (height, width, height * width)
        let u = RollCanonicalization.offset(b: inputs[1].map(\.primal), a: inputs[0].map(\.primal), height: h, width: w)
        // Output k reads input source[k] of each signal.
        let source = (0..<n).map { k in ((k / w + u.y) % h) * w + (k % w + u.x) % w }
        var y = [T](repeating: T.zero, count: 2 * n)
        for k in 0..<n {
            y[k] = inputs[0][source[k]]
            y[n + k] = inputs[1][source[k]]
        }
        return (y, { dy in
            var da = [T](repeating: T.zero, count: n), db = da
            for k in 0..<n {
                da[source[k]] = dy[k]
                db[source[k]] = dy[n + k]
            }
            return NodeGradient(parameters: [], inputs: [da, db])
        })
    }
}
