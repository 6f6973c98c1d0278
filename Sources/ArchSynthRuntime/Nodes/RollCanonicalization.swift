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
