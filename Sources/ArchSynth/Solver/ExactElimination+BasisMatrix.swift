import GroupTheory

/// Exact bases as the solver stores them (sparse `BasisMatrix` with exact values).
extension ExactElimination {
    /// Sparse basis matrices from the rows of a basis of vec(W).
    static func elements(_ basis: RationalMatrix, rows: Int, columns: Int) -> [BasisMatrix] {
        (0..<basis.rows).map { t in
            var entries: [SparseEntry<Double>] = []
            var exact: [Rational] = []
            for x in 0..<basis.columns {
                let v = basis[t, x]
                if v.isZero { continue }
                entries.append(SparseEntry(row: x / columns, column: x % columns, value: v.doubleValue))
                exact.append(v)
            }
            return BasisMatrix(rows: rows, columns: columns, entries: entries, exactValues: exact)
        }
    }

    /// Whether A B − B C = 0 exactly for the exact sparse matrix B.
    static func satisfies(_ element: BasisMatrix, output a: RationalMatrix, input c: RationalMatrix) -> Bool {
        guard let values = element.exactValues else { return false }
        let rows = element.rows, columns = element.columns
        var difference = RationalMatrix(rows: rows, columns: columns)
        for (e, v) in zip(element.entries, values) {
            // (A B)[r, e.column] += A[r, e.row] v ;  (B C)[e.row, c] += v C[e.column, c]
            for r in 0..<rows {
                let x = a[r, e.row]
                if !x.isZero { difference[r, e.column] += x * v }
            }
            for col in 0..<columns {
                let x = c[e.column, col]
                if !x.isZero { difference[e.row, col] -= v * x }
            }
        }
        return difference.isZero
    }
}
