/// The matrix exponential e^A of a row-major n×n matrix (n = 3, 4 for homogeneous 2-D/3-D
/// transforms), by scaling and squaring with the degree-13 Padé approximant (Higham 2005):
/// e^A = r₁₃(A/2^s)^(2^s) with s the smallest integer such that ‖A/2^s‖₁ ≤ θ₁₃ = 5.37.
///
/// Adjoint: the Fréchet derivative L(A, E) = d/dt e^(A+tE) from the block identity
/// exp([[A, E], [0, A]]) = [[e^A, L(A, E)], [0, e^A]]; the pullback of Ȳ is Ā = L(Aᵀ, Ȳ).
/// Everything is generic over `RuntimeScalar` (the scaling count and the pivots look at
/// `primal`), so running the pullback on `Dual` numbers gives exact Hessian-vector products.
///
/// Law: e^(−A) = (e^A)⁻¹ — the Padé approximant satisfies r(−X) = r(X)⁻¹ exactly in exact
/// arithmetic, so exp(v)·exp(−v) = I to rounding; and e^(PAP⁻¹) = P e^A P⁻¹.
///
/// ```swift
/// let node = MatrixExponential(n: 3)
/// let r = node.forward([Double](), [[0, -1, 0, 1, 0, 0, 0, 0, 0]])   // rotation by 1 rad
/// ```
public struct MatrixExponential: ParameterFreeNode {
    /// The matrix side: inputs and outputs are row-major n×n.
    public let n: Int
    /// [A]: n² values, row-major.
    public var inputSizes: [Int] { [n * n] }
    /// n²: e^A, row-major.
    public var outputSize: Int { n * n }

    /// The exponential of n×n matrices (traps unless n ≥ 1).
    public init(n: Int) {
        precondition(n >= 1, "MatrixExponential: n must be positive")
        self.n = n
    }

    /// e^A (`exp`); the pullback is Ā = L(Aᵀ, Ȳ) (`frechet`, a 2n×2n block exponential).
    /// - Complexity: O(n³ · (s + 1)) forward with s the squaring count; the pullback does the same on a 2n×2n matrix.
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: ([T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "MatrixExponential")
        let n = self.n, a = inputs[0]
        let y = Self.exp(a, n)
        return (y, { dy in
            let at = DenseMatrix.transpose(a, n)
            return NodeGradient(parameters: [], inputs: [Self.frechet(at, dy, n)])
        })
    }

    /// The 1-norm (largest column sum) of the primal parts.
    @inlinable static func norm1<T: RuntimeScalar>(_ a: [T], _ n: Int) -> Double {
        var best = 0.0
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += abs(a[i * n + j].primal) }
            if !(s <= best) { best = s }
        }
        return best
    }

    /// Padé-13 coefficients b₀ … b₁₃ (Higham 2005, Table 10.4).
    @usableFromInline static let pade13: [Double] = [
        64_764_752_532_480_000, 32_382_376_266_240_000, 7_771_770_303_897_600, 1_187_353_796_428_800,
        129_060_195_264_000, 10_559_470_521_600, 670_442_572_800, 33_522_128_640, 1_323_241_920,
        40_840_800, 960_960, 16380, 182, 1,
    ]

    /// e^A for a row-major n×n matrix.
    public static func exp<T: RuntimeScalar>(_ a: [T], _ n: Int) -> [T] {
        precondition(a.count == n * n, "MatrixExponential.exp: \(a.count) entries for n = \(n)")
        let norm = norm1(a, n)
        var s = 0
        if norm.isFinite, norm > 5.371920351148152 {
            var m = norm
            while m > 5.371920351148152, s < 1100 {
                m /= 2
                s += 1
            }
        }
        var scale = 1.0
        for _ in 0..<s { scale /= 2 }
        let x = a.map { $0 * T(scale) }
        var r = pade(x, n)
        for _ in 0..<s { r = DenseMatrix.multiply(r, r, n) }
        return r
    }

    /// The Fréchet derivative L(A, E) of exp at A in the direction E, from the 2n×2n block
    /// matrix [[A, cE], [0, A]] (E scaled by c so the block's norm follows A's; L is linear in E).
    public static func frechet<T: RuntimeScalar>(_ a: [T], _ e: [T], _ n: Int) -> [T] {
        let na = norm1(a, n), ne = norm1(e, n)
        guard ne > 0, ne.isFinite else { return [T](repeating: T.zero, count: n * n) }
        let c = max(na, 1) / ne
        let m = 2 * n
        var b = [T](repeating: T.zero, count: m * m)
        for i in 0..<n {
            for j in 0..<n {
                b[i * m + j] = a[i * n + j]
                b[(n + i) * m + n + j] = a[i * n + j]
                b[i * m + n + j] = e[i * n + j] * T(c)
            }
        }
        let eb = exp(b, m)
        var l = [T](repeating: T.zero, count: n * n)
        let inv = T(1 / c)
        for i in 0..<n { for j in 0..<n { l[i * n + j] = eb[i * m + n + j] * inv } }
        return l
    }

    /// r₁₃(X) = (V − U)⁻¹(V + U) with U the odd and V the even part of the numerator.
    static func pade<T: RuntimeScalar>(_ x: [T], _ n: Int) -> [T] {
        let b = pade13.map { T($0) }
        let id: [T] = DenseMatrix.identity(n)
        let x2 = DenseMatrix.multiply(x, x, n), x4 = DenseMatrix.multiply(x2, x2, n), x6 = DenseMatrix.multiply(x4, x2, n)
        func combo(_ terms: [(T, [T])]) -> [T] {
            var r = [T](repeating: T.zero, count: n * n)
            for (c, m) in terms { for k in r.indices { r[k] += c * m[k] } }
            return r
        }
        let u1 = DenseMatrix.multiply(x6, combo([(b[13], x6), (b[11], x4), (b[9], x2)]), n)
        let u2 = combo([(T(1), u1), (b[7], x6), (b[5], x4), (b[3], x2), (b[1], id)])
        let u = DenseMatrix.multiply(x, u2, n)
        let v1 = DenseMatrix.multiply(x6, combo([(b[12], x6), (b[10], x4), (b[8], x2)]), n)
        let v = combo([(T(1), v1), (b[6], x6), (b[4], x4), (b[2], x2), (b[0], id)])
        let p = combo([(T(1), v), (T(1), u)]), q = combo([(T(1), v), (T(-1), u)])
        return solve(q, p, n)
    }

    /// Q⁻¹P by Gaussian elimination with partial pivoting (pivots chosen on primal values).
    static func solve<T: RuntimeScalar>(_ q: [T], _ p: [T], _ n: Int) -> [T] {
        var a = q, b = p
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(a[r * n + col].primal) > abs(a[pivot * n + col].primal) { pivot = r }
            if pivot != col {
                for j in 0..<n {
                    a.swapAt(pivot * n + j, col * n + j)
                    b.swapAt(pivot * n + j, col * n + j)
                }
            }
            let d = a[col * n + col]
            for r in (col + 1)..<max(n, col + 1) {
                let f = a[r * n + col] / d
                for j in col..<n { a[r * n + j] -= f * a[col * n + j] }
                for j in 0..<n { b[r * n + j] -= f * b[col * n + j] }
            }
        }
        for col in stride(from: n - 1, through: 0, by: -1) {
            let d = a[col * n + col]
            for j in 0..<n { b[col * n + j] /= d }
            for r in 0..<col {
                let f = a[r * n + col]
                for j in 0..<n { b[r * n + j] -= f * b[col * n + j] }
            }
        }
        return b
    }
}
