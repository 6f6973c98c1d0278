// Sparse matrices as canonical coordinate lists: entries sorted by (row, column), no
// duplicates, no explicit zeros — so equal matrices are equal values (`Hashable`), and
// output that iterates `entries` is deterministic.

/// One nonzero entry of a sparse matrix.
public struct SparseEntry<Scalar: Hashable & Sendable>: Hashable, Sendable {
    /// 0-based row.
    public let row: Int
    /// 0-based column.
    public let column: Int
    /// The entry's value (nonzero in a canonical matrix).
    public let value: Scalar

    /// The entry `value` at (`row`, `column`).
    public init(row: Int, column: Int, value: Scalar) {
        self.row = row
        self.column = column
        self.value = value
    }
}

extension SparseEntry where Scalar: AdditiveArithmetic {
    /// The canonical entries of triplets in any order: sorted by (row, column), duplicates
    /// summed, zero sums dropped; traps on an index outside `rows × columns`.
    /// - Complexity: O(k log k) for k triplets.
    static func canonical(_ triplets: [(row: Int, column: Int, value: Scalar)], rows: Int, columns: Int) -> [SparseEntry] {
        let sorted = triplets.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        var result: [SparseEntry] = []
        var k = 0
        while k < sorted.count {
            let (r, c) = (sorted[k].row, sorted[k].column)
            precondition(r >= 0 && r < rows && c >= 0 && c < columns, "entry (\(r), \(c)) outside \(rows)×\(columns)")
            var sum = Scalar.zero
            while k < sorted.count && sorted[k].row == r && sorted[k].column == c {
                sum += sorted[k].value
                k += 1
            }
            if sum != .zero { result.append(SparseEntry(row: r, column: c, value: sum)) }
        }
        return result
    }
}

/// A sparse matrix (coordinate list, row-major order): `SparseMatrix` holds Float64 values,
/// `RationalSparseMatrix` exact ones.
///
/// ```swift
/// let s = SparseMatrix(rows: 2, columns: 3, entries: [(0, 2, 1.5), (1, 0, -1)])
/// s.dense   // [[0, 0, 1.5], [-1, 0, 0]]
/// ```
public struct SparseCoordinateMatrix<Scalar: Hashable & Sendable & AdditiveArithmetic>: Hashable, Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// Nonzero entries sorted by (row, column), without duplicates.
    public private(set) var entries: [SparseEntry<Scalar>]

    /// From triplets in any order; duplicates are summed and zeros dropped.
    public init(rows: Int, columns: Int, entries triplets: [(row: Int, column: Int, value: Scalar)]) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        entries = SparseEntry.canonical(triplets, rows: rows, columns: columns)
    }

    /// The entries of a dense row-major matrix that `keep` accepts.
    /// - Complexity: O(rows · columns).
    init(rows: Int, columns: Int, rowMajor elements: [Scalar], keep: (Scalar) -> Bool) {
        self.rows = rows
        self.columns = columns
        var result: [SparseEntry<Scalar>] = []
        for i in 0..<rows { for j in 0..<columns {
            let a = elements[i * columns + j]
            if keep(a) { result.append(SparseEntry(row: i, column: j, value: a)) }
        } }
        entries = result
    }

    /// The number of stored (nonzero) entries.
    public var nonzeroCount: Int { entries.count }

    /// The transpose (entries re-sorted by the new rows).
    /// - Complexity: O(k log k) for k nonzero entries.
    public var transposed: Self {
        Self(rows: columns, columns: rows, entries: entries.map { ($0.column, $0.row, $0.value) })
    }
}

/// A sparse real matrix.
public typealias SparseMatrix = SparseCoordinateMatrix<Double>
/// A sparse exact matrix.
public typealias RationalSparseMatrix = SparseCoordinateMatrix<Rational>

extension SparseCoordinateMatrix where Scalar == Double {
    /// The nonzero entries of a dense matrix (those with |a| > dropTolerance).
    public init(_ dense: Matrix, dropTolerance: Double = 0) {
        self.init(rows: dense.rows, columns: dense.columns, rowMajor: dense.elements) { $0.magnitude > dropTolerance }
    }

    /// The dense matrix with these entries.
    /// - Complexity: O(rows · columns + nonzeroCount).
    public var dense: Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for e in entries { m.elements[e.row * columns + e.column] = e.value }
        return m
    }

    /// Entry (i, j), by binary search; 0 where nothing is stored.
    /// - Complexity: O(log nonzeroCount).
    public subscript(_ i: Int, _ j: Int) -> Double {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let e = entries[mid]
            if (e.row, e.column) < (i, j) { lo = mid + 1 } else { hi = mid }
        }
        if lo < entries.count, entries[lo].row == i, entries[lo].column == j { return entries[lo].value }
        return 0
    }

    /// y = A x; traps unless `x.count == columns`.
    /// - Complexity: O(nonzeroCount).
    public func apply(_ x: [Double]) -> [Double] {
        precondition(x.count == columns, "vector length \(x.count) is not \(columns)")
        var y = [Double](repeating: 0, count: rows)
        for e in entries { y[e.row] += e.value * x[e.column] }
        return y
    }
}

extension SparseCoordinateMatrix where Scalar == Rational {
    /// The nonzero entries of a dense exact matrix.
    /// - Complexity: O(rows · columns).
    public init(_ dense: RationalMatrix) {
        self.init(rows: dense.rows, columns: dense.columns, rowMajor: dense.elements) { !$0.isZero }
    }

    /// The dense exact matrix with these entries.
    /// - Complexity: O(rows · columns + nonzeroCount).
    public var dense: RationalMatrix {
        var m = RationalMatrix(rows: rows, columns: columns)
        for e in entries { m.elements[e.row * columns + e.column] = e.value }
        return m
    }

    /// The floating-point matrix with the same entries.
    public var doubleMatrix: SparseMatrix {
        SparseMatrix(rows: rows, columns: columns, entries: entries.map { ($0.row, $0.column, $0.value.doubleValue) })
    }

    /// y = A x, exactly (entries meeting a zero of `x` are skipped); traps unless `x.count == columns`.
    /// - Complexity: O(nonzeroCount) rational operations.
    public func apply(_ x: [Rational]) -> [Rational] {
        precondition(x.count == columns, "vector length \(x.count) is not \(columns)")
        var y = [Rational](repeating: .zero, count: rows)
        for e in entries where !x[e.column].isZero { y[e.row] += e.value * x[e.column] }
        return y
    }
}
