/// Small dense row-major matrix helpers shared by the matrix nodes.
public enum DenseMatrix {
    /// A · B for row-major n×n matrices (any RuntimeScalar).
    @inlinable public static func multiply<T: RuntimeScalar>(_ a: [T], _ b: [T], _ n: Int) -> [T] {
        var c = [T](repeating: T.zero, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
            }
        }
        return c
    }

    /// The n×n identity.
    @inlinable public static func identity<T: RuntimeScalar>(_ n: Int) -> [T] {
        var m = [T](repeating: T.zero, count: n * n)
        for i in 0..<n { m[i * n + i] = T(1) }
        return m
    }

    /// Aᵀ.
    @inlinable public static func transpose<T: RuntimeScalar>(_ a: [T], _ n: Int) -> [T] {
        var t = a
        for i in 0..<n { for j in 0..<n { t[j * n + i] = a[i * n + j] } }
        return t
    }

    /// A⁻¹ by Gauss–Jordan with partial pivoting; nil when singular to working precision.
    public static func inverse(_ a: [Double], _ n: Int) -> [Double]? {
        var m = a, inv: [Double] = identity(n)
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
            guard m[pivot * n + col] != 0, m[pivot * n + col].isFinite else { return nil }
            if pivot != col {
                for j in 0..<n {
                    m.swapAt(pivot * n + j, col * n + j)
                    inv.swapAt(pivot * n + j, col * n + j)
                }
            }
            let d = m[col * n + col]
            for j in 0..<n {
                m[col * n + j] /= d
                inv[col * n + j] /= d
            }
            for r in 0..<n where r != col {
                let f = m[r * n + col]
                if f == 0 { continue }
                for j in 0..<n {
                    m[r * n + j] -= f * m[col * n + j]
                    inv[r * n + j] -= f * inv[col * n + j]
                }
            }
        }
        return inv
    }
}
