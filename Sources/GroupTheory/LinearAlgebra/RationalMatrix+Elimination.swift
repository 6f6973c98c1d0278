// Exact Gauss–Jordan elimination over ℚ.
//
// Conventions: a *basis* of a subspace of ℚⁿ is returned as a matrix whose **rows**
// are the basis vectors (k × n), in reduced row echelon form unless stated
// otherwise. Elimination is sparse-aware: each pivot row is applied only at its
// nonzero columns, and rows with a zero in the pivot column are skipped.

/// The reduced row echelon form of a matrix.
///
/// ```swift
/// let e = RationalMatrix([[1, 2], [2, 4]]).rowEchelonForm()
/// e.rank           // 1
/// e.pivotColumns   // [0]
/// ```
public struct RowEchelonForm: Hashable, Sendable {
    /// rank × columns: the nonzero rows of the reduced row echelon form.
    /// Row k has a 1 at `pivotColumns[k]`, and every pivot column is zero elsewhere.
    public let reduced: RationalMatrix
    /// Strictly increasing pivot columns, one per nonzero row.
    public let pivotColumns: [Int]

    /// The rank: the number of nonzero rows (pivots).
    public var rank: Int { pivotColumns.count }

    /// The non-pivot columns, ascending.
    public var freeColumns: [Int] {
        var isPivot = [Bool](repeating: false, count: reduced.columns)
        for p in pivotColumns { isPivot[p] = true }
        return (0..<reduced.columns).filter { !isPivot[$0] }
    }

    /// A basis of the nullspace (rows), in the reduced-echelon normal form: the vector
    /// for free column f has a 1 at f and 0 at every other free column.
    public var nullspace: RationalMatrix {
        let n = reduced.columns
        let free = freeColumns
        var basis = RationalMatrix(rows: free.count, columns: n)
        for (t, f) in free.enumerated() {
            basis[t, f] = .one
            for (k, p) in pivotColumns.enumerated() {
                let entry = reduced[k, f]
                if !entry.isZero { basis[t, p] = -entry }
            }
        }
        return basis
    }
}

extension RationalMatrix {
    /// From nested rows; traps if they are ragged.
    public init(_ nested: [[Rational]]) {
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: nested.count, columns: c, elements: nested.flatMap { $0 })
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Rational] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

    /// The rows as arrays.
    public var rowArrays: [[Rational]] { (0..<rows).map(row) }

    /// Matrix–vector product A x; traps unless `x.count == columns`.
    /// - Complexity: O(rows · columns), rational products only at nonzero pairs.
    public func apply(_ x: [Rational]) -> [Rational] {
        precondition(x.count == columns, "vector length \(x.count) is not \(columns)")
        var y = [Rational](repeating: .zero, count: rows)
        for i in 0..<rows {
            var s = Rational.zero
            for j in 0..<columns {
                let a = elements[i * columns + j]
                if a.isZero || x[j].isZero { continue }
                s += a * x[j]
            }
            y[i] = s
        }
        return y
    }

    /// True when every entry is zero.
    public var isZero: Bool { elements.allSatisfy(\.isZero) }

    /// Stacks matrices with the same number of columns on top of each other (traps
    /// otherwise); no blocks give a 0 × 0 matrix.
    /// - Complexity: O(total entries).
    public static func stacked(_ blocks: [RationalMatrix]) -> RationalMatrix {
        let c = blocks.first?.columns ?? 0
        precondition(blocks.allSatisfy { $0.columns == c }, "stacked blocks must have equal column counts")
        return RationalMatrix(rows: blocks.reduce(0) { $0 + $1.rows }, columns: c,
                              elements: blocks.flatMap(\.elements))
    }

    // MARK: Kernel

    /// Gauss–Jordan on row arrays, choosing pivots among the first `pivotLimit` columns.
    /// Returns the pivot columns; afterwards rows 0..<rank are reduced and the rest zero
    /// in the first `pivotLimit` columns.
    /// - Complexity: O(rank · rows · nnz(pivot row)) rational operations.
    static func gaussJordan(_ rows: inout [[Rational]], width: Int, pivotLimit: Int) -> [Int] {
        var pivots: [Int] = []
        var r = 0
        var nonzeros: [Int] = []
        nonzeros.reserveCapacity(width)
        for c in 0..<pivotLimit {
            if r == rows.count { break }
            // Pivot: among rows with a nonzero in column c, the one with fewest nonzeros
            // from column c on (less fill-in); ties go to the first.
            var best = -1
            var bestCount = Int.max
            for i in r..<rows.count where !rows[i][c].isZero {
                var count = 0
                for j in c..<width where !rows[i][j].isZero { count += 1 }
                if count < bestCount {
                    best = i
                    bestCount = count
                    if count == 1 { break }
                }
            }
            if best < 0 { continue }
            rows.swapAt(r, best)
            var pivotRow = rows[r]
            let inverse = pivotRow[c].reciprocal
            nonzeros.removeAll(keepingCapacity: true)
            for j in c..<width where !pivotRow[j].isZero {
                if j != c { pivotRow[j] *= inverse }
                nonzeros.append(j)
            }
            pivotRow[c] = .one
            rows[r] = pivotRow
            for i in 0..<rows.count where i != r {
                let factor = rows[i][c]
                if factor.isZero { continue }
                rows[i].withUnsafeMutableBufferPointer { target in
                    for j in nonzeros { target[j] -= factor * pivotRow[j] }
                }
            }
            pivots.append(c)
            r += 1
        }
        return pivots
    }

    // MARK: Echelon form, rank, nullspace

    /// The reduced row echelon form and its pivot columns.
    /// - Complexity: O(rank · rows · columns) rational operations, less for sparse input.
    public func rowEchelonForm() -> RowEchelonForm {
        var work = rowArrays
        let pivots = RationalMatrix.gaussJordan(&work, width: columns, pivotLimit: columns)
        let reduced = RationalMatrix(rows: pivots.count, columns: columns,
                                     elements: work.prefix(pivots.count).flatMap { $0 })
        return RowEchelonForm(reduced: reduced, pivotColumns: pivots)
    }

    /// The reduced row echelon form with the same shape (zero rows at the bottom).
    public var reducedRowEchelonForm: RationalMatrix {
        let e = rowEchelonForm()
        var result = RationalMatrix(rows: rows, columns: columns)
        for i in 0..<(e.rank * columns) { result.elements[i] = e.reduced.elements[i] }
        return result
    }

    /// The rank over ℚ.
    public var rank: Int { rowEchelonForm().rank }

    /// A basis of { x : A x = 0 } as rows, in reduced-echelon normal form: one vector per
    /// free (non-pivot) column f, with a 1 at f and 0 at every other free column.
    /// An empty (0 × columns) matrix when A has full column rank.
    ///
    /// ```swift
    /// RationalMatrix([[1, 1, 1]]).nullspace()   // rows [-1, 1, 0], [-1, 0, 1]
    /// ```
    /// - Complexity: that of `rowEchelonForm()`, plus O((columns − rank) · columns).
    public func nullspace() -> RationalMatrix { rowEchelonForm().nullspace }

    /// The nullspace basis of `nullspace()` with each vector scaled to a primitive integer
    /// vector (entries coprime integers), positive at its free column.
    /// - Complexity: that of `nullspace()`, plus a gcd and lcm pass over each vector.
    public func nullspaceIntegral() -> RationalMatrix {
        var basis = nullspace()
        for i in 0..<basis.rows {
            let v = RationalMatrix.primitiveIntegerVector(basis.row(i))
            for j in 0..<basis.columns { basis[i, j] = v[j] }
        }
        return basis
    }

    /// The positive multiple of `v` with coprime integer entries (zero stays zero).
    /// - Complexity: O(n) big-integer gcd/lcm steps for n entries.
    public static func primitiveIntegerVector(_ v: [Rational]) -> [Rational] {
        var lcm = BigInt(1)
        var allSmall = true
        for x in v where !x.isZero && !x.isInteger {
            let d = x.bigDenominator
            lcm = lcm / BigInt.gcd(lcm, d) * d
            allSmall = allSmall && x.hasInt64Parts
        }
        let scale = Rational(lcm)
        var scaled = v.map { $0.isZero ? $0 : $0 * scale }
        var g = BigInt(0)
        for x in scaled where !x.isZero {
            g = BigInt.gcd(g, x.bigNumerator)
            if g == BigInt(1) { break }
        }
        if !g.isZero && g != BigInt(1) {
            let inverse = Rational(numerator: BigInt(1), denominator: g)
            scaled = scaled.map { $0 * inverse }
        }
        return scaled
    }

    // MARK: Determinant, inverse, solve (fraction-free)

    /// Each row multiplied by the lcm of its denominators; returns the rows and the factors.
    static func integerRows(_ rows: [[Rational]]) -> (rows: [[Rational]], factors: [Rational]) {
        var factors: [Rational] = []
        let scaled = rows.map { row -> [Rational] in
            var lcm = BigInt(1)
            for x in row where !x.isInteger {
                let d = x.bigDenominator
                lcm = lcm / BigInt.gcd(lcm, d) * d
            }
            let f = Rational(lcm)
            factors.append(f)
            return f == .one ? row : row.map { $0.isZero ? $0 : $0 * f }
        }
        return (scaled, factors)
    }

    /// Fraction-free (Bareiss) elimination on integer rows: every intermediate entry is a
    /// minor of the input, and the division by the previous pivot is exact. With
    /// `reduceAbove`, rows above the pivot are eliminated too (Gauss–Jordan); every pivot
    /// row then ends with the last pivot at its pivot column. Returns the pivot columns,
    /// the last pivot and the sign of the row permutation.
    /// - Complexity: O(rank · rows · width) integer operations on entries of the size of minors.
    static func fractionFree(_ a: inout [[Rational]], width: Int, pivotLimit: Int, reduceAbove: Bool)
        -> (pivots: [Int], lastPivot: Rational, sign: Int)
    {
        var previous = Rational.one
        var pivots: [Int] = []
        var sign = 1
        var r = 0
        for c in 0..<pivotLimit {
            if r == a.count { break }
            guard let p = (r..<a.count).first(where: { !a[$0][c].isZero }) else { continue }
            if p != r {
                a.swapAt(p, r)
                sign = -sign
            }
            let pivotRow = a[r]
            let pivot = pivotRow[c]
            let firstColumn = reduceAbove ? 0 : c
            for i in (reduceAbove ? 0 : r + 1)..<a.count where i != r {
                let factor = a[i][c]
                a[i].withUnsafeMutableBufferPointer { row in
                    for j in firstColumn..<width where j != c {
                        let x = row[j], y = pivotRow[j]
                        if x.isZero && (y.isZero || factor.isZero) { continue }
                        var t = x.isZero ? Rational.zero : pivot * x
                        if !factor.isZero && !y.isZero { t -= factor * y }
                        row[j] = previous == .one ? t : Rational.exactIntegerQuotient(t, previous)
                    }
                    row[c] = .zero
                }
            }
            previous = pivot
            pivots.append(c)
            r += 1
        }
        return (pivots, previous, sign)
    }

    /// The determinant (fraction-free Bareiss elimination); traps if not square.
    ///
    /// ```swift
    /// RationalMatrix([[1, 2], [3, 4]]).determinant   // -2
    /// ```
    /// - Complexity: O(n³) operations on integers of the size of n × n minors.
    public var determinant: Rational {
        precondition(isSquare, "determinant of a non-square \(rows)×\(columns) matrix")
        let n = rows
        if n == 0 { return .one }
        var (work, factors) = RationalMatrix.integerRows(rowArrays)
        let (pivots, last, sign) = RationalMatrix.fractionFree(&work, width: n, pivotLimit: n, reduceAbove: false)
        if pivots.count < n { return .zero }
        var scale = Rational.one
        for f in factors where f != .one { scale *= f }
        let det = last / scale
        return sign < 0 ? -det : det
    }

    /// The exact inverse; throws `LinearAlgebraError.singularMatrix` if there is none.
    /// Traps if the matrix is not square.
    ///
    /// ```swift
    /// try RationalMatrix([[2, 0], [0, 4]]).inverse()   // [[1/2, 0], [0, 1/4]]
    /// ```
    /// - Complexity: O(n³) fraction-free operations, then n² rational divisions.
    public func inverse() throws -> RationalMatrix {
        precondition(isSquare, "inverse of a non-square \(rows)×\(columns) matrix")
        let n = rows
        var augmented: [[Rational]] = (0..<n).map { i in
            var r = row(i)
            r.append(contentsOf: repeatElement(Rational.zero, count: n))
            r[n + i] = .one
            return r
        }
        // Scaling each row of [A | I] by its lcm keeps the solution A⁻¹ unchanged.
        for i in 0..<n {
            var lcm = BigInt(1)
            for x in augmented[i][0..<n] where !x.isInteger {
                let d = x.bigDenominator
                lcm = lcm / BigInt.gcd(lcm, d) * d
            }
            if lcm != BigInt(1) {
                let f = Rational(lcm)
                augmented[i] = augmented[i].map { $0.isZero ? $0 : $0 * f }
            }
        }
        let (pivots, last, _) = RationalMatrix.fractionFree(&augmented, width: 2 * n, pivotLimit: n, reduceAbove: true)
        guard pivots.count == n else { throw LinearAlgebraError.singularMatrix(size: n, operation: "inverse") }
        let inverseLast = last.reciprocal
        return RationalMatrix(rows: n, columns: n,
                              elements: augmented.flatMap { $0[n...].map { $0.isZero ? $0 : $0 * inverseLast } })
    }

    /// A solution X of A X = B (B with `rows` rows): the one with zero free variables.
    /// Unique when A is square and nonsingular. Throws `inconsistentSystem` when none exists.
    /// - Complexity: fraction-free Gauss–Jordan on [A | B].
    public func solve(_ b: RationalMatrix) throws -> RationalMatrix {
        precondition(b.rows == rows, "right-hand side has \(b.rows) rows, the matrix \(rows)")
        let width = columns + b.columns
        var (work, _) = RationalMatrix.integerRows((0..<rows).map { row($0) + b.row($0) })
        let (pivots, last, _) = RationalMatrix.fractionFree(&work, width: width, pivotLimit: columns, reduceAbove: true)
        for i in pivots.count..<rows where work[i][columns...].contains(where: { !$0.isZero }) {
            throw LinearAlgebraError.inconsistentSystem(rows: rows, columns: columns)
        }
        var x = RationalMatrix(rows: columns, columns: b.columns)
        let inverseLast = pivots.isEmpty ? Rational.one : last.reciprocal
        for (k, p) in pivots.enumerated() {
            for t in 0..<b.columns {
                let v = work[k][columns + t]
                if !v.isZero { x[p, t] = v * inverseLast }
            }
        }
        return x
    }

    /// A solution x of A x = b; see `solve(_: RationalMatrix)`.
    /// - Complexity: that of `solve(_: RationalMatrix)` with one right-hand side.
    public func solve(_ b: [Rational]) throws -> [Rational] {
        try solve(RationalMatrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// The common nullspace of several constraint blocks (all with the same column count),
    /// computed block by block: the solution space is intersected with each block's
    /// kernel in turn, so later blocks act on a (usually much) smaller space.
    /// The result is exactly `stacked(blocks).nullspace()`: the same free-column normal form.
    ///
    /// ```swift
    /// RationalMatrix.nullspace(ofStacked: [c1, c2]) == RationalMatrix.stacked([c1, c2]).nullspace()
    /// ```
    /// - Complexity: one `RationalSubspace.intersect(withNullspaceOf:)` per block (stopping
    ///   early once the space is 0), plus a final re-reduction for the normal form.
    public static func nullspace(ofStacked blocks: [RationalMatrix]) -> RationalMatrix {
        precondition(!blocks.isEmpty, "nullspace of no blocks: the column count is unknown")
        var space = RationalSubspace(ambientDimension: blocks[0].columns)
        for block in blocks {
            space.intersect(withNullspaceOf: block)
            if space.dimension == 0 { break }
        }
        return space.freeColumnBasis
    }
}

/// A subspace of ℚⁿ held as a reduced-row-echelon basis (rows), for intersecting fixed
/// spaces or kernels generator by generator.
///
/// ```swift
/// var space = RationalSubspace(ambientDimension: 4)         // all of ℚ⁴
/// space.intersect(withNullspaceOf: RationalMatrix([[1, -1, 0, 0]]))
/// space.dimension                                           // 3
/// ```
public struct RationalSubspace: Hashable, Sendable {
    /// n, for a subspace of ℚⁿ.
    public let ambientDimension: Int
    /// nil means the whole space (kept implicit so that ℚⁿ for large n costs nothing).
    private var storedBasis: RationalMatrix?

    /// The whole space ℚⁿ.
    public init(ambientDimension: Int) {
        precondition(ambientDimension >= 0)
        self.ambientDimension = ambientDimension
        storedBasis = nil
    }

    /// The span of the rows of `vectors` (not necessarily independent).
    /// - Complexity: that of `rowEchelonForm()` on `vectors`.
    public init(spanning vectors: RationalMatrix) {
        ambientDimension = vectors.columns
        storedBasis = vectors.rowEchelonForm().reduced
    }

    /// Whether the subspace is all of ℚⁿ.
    public var isWholeSpace: Bool { storedBasis == nil || dimension == ambientDimension }

    /// The dimension of the subspace (n for the whole space).
    public var dimension: Int { storedBasis?.rows ?? ambientDimension }

    /// A basis as rows, in reduced row echelon form (the identity for the whole space).
    public var basis: RationalMatrix { storedBasis ?? RationalMatrix.identity(ambientDimension) }

    /// The basis in the normal form of `RationalMatrix.nullspace()`: with F the set of
    /// positions where some vector of V has its last nonzero entry ("free columns" when V is
    /// a kernel), the vector for f ∈ F has a 1 at f and 0 at the other positions of F.
    /// Rows are ordered by f. (Row reduction with the column order reversed.)
    public var freeColumnBasis: RationalMatrix {
        guard let b = storedBasis else { return RationalMatrix.identity(ambientDimension) }
        let n = ambientDimension, k = b.rows
        var reversed = RationalMatrix(rows: k, columns: n)
        for i in 0..<k { for j in 0..<n { reversed[i, n - 1 - j] = b[i, j] } }
        let reduced = reversed.rowEchelonForm().reduced
        var result = RationalMatrix(rows: k, columns: n)
        for i in 0..<k { for j in 0..<n { result[k - 1 - i, n - 1 - j] = reduced[i, j] } }
        return result
    }

    /// Replaces the space V by { v ∈ V : C v = 0 }.
    /// - Complexity: O(rows(C) · nnz(C) · dim V) to restrict C to V, plus elimination on
    ///   the rows(C) × dim V restricted system.
    public mutating func intersect(withNullspaceOf constraints: RationalMatrix) {
        precondition(constraints.columns == ambientDimension,
                     "constraint has \(constraints.columns) columns, the space lives in ℚ^\(ambientDimension)")
        guard let current = storedBasis else {
            storedBasis = constraints.nullspace().rowEchelonForm().reduced
            return
        }
        if current.rows == 0 { return }
        // Restricted system M = C · Bᵀ (rows(C) × k): column t is C applied to basis vector t.
        let k = current.rows, n = ambientDimension
        var restricted = RationalMatrix(rows: constraints.rows, columns: k)
        for t in 0..<k {
            let base = t * n
            var nonzeros: [Int] = []
            for j in 0..<n where !current.elements[base + j].isZero { nonzeros.append(j) }
            for i in 0..<constraints.rows {
                var s = Rational.zero
                for j in nonzeros {
                    let c = constraints.elements[i * n + j]
                    if !c.isZero { s += c * current.elements[base + j] }
                }
                restricted[i, t] = s
            }
        }
        combine(current, with: restricted.nullspace())
    }

    /// Replaces V by { v ∈ V : f(v) = 0 } for a linear map f given as a function on vectors
    /// (called once per basis vector of V; `ambientDimension` times for the whole space).
    /// All images must have the same length (traps otherwise).
    /// - Complexity: dim V calls of `map`, then elimination on the m × dim V restricted
    ///   system and re-reduction of the new basis.
    public mutating func intersect(withKernelOf map: ([Rational]) -> [Rational]) {
        let current = basis
        let k = current.rows
        if k == 0 { return }
        let images = (0..<k).map { map(current.row($0)) }
        let m = images.first?.count ?? 0
        precondition(images.allSatisfy { $0.count == m }, "the map returned vectors of different lengths")
        var restricted = RationalMatrix(rows: m, columns: k)
        for t in 0..<k { for i in 0..<m { restricted[i, t] = images[t][i] } }
        combine(current, with: restricted.nullspace())
    }

    /// New basis: the rows Y·B, re-reduced.
    private mutating func combine(_ current: RationalMatrix, with coefficients: RationalMatrix) {
        if coefficients.rows == current.rows { storedBasis = current; return }
        storedBasis = (coefficients * current).rowEchelonForm().reduced
    }

    /// Equality of subspaces (the reduced row echelon basis is canonical, so bases are compared).
    public static func == (a: RationalSubspace, b: RationalSubspace) -> Bool {
        a.ambientDimension == b.ambientDimension && a.dimension == b.dimension
            && (a.dimension == a.ambientDimension || a.basis == b.basis)
    }

    /// Hashes n, the dimension and (for a proper subspace) the canonical basis, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ambientDimension)
        hasher.combine(dimension)
        if dimension < ambientDimension { hasher.combine(basis) }
    }

    /// Whether v lies in the space; traps unless `v.count == ambientDimension`.
    /// - Complexity: the rank of the (dim V + 1) × n matrix of the basis and v.
    public func contains(_ v: [Rational]) -> Bool {
        precondition(v.count == ambientDimension)
        guard let b = storedBasis else { return true }
        var stackedRows = b.rowArrays
        stackedRows.append(v)
        return RationalMatrix(stackedRows).rank == b.rows
    }
}
