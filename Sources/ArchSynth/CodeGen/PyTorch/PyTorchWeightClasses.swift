import GroupTheory

/// The entries of W = Σ θ_i B_i (or of the bias b = Σ β_j b_j) grouped by the linear form they
/// are: entry e is sign[e] · (R θ)[class[e]], where R's rows are the distinct forms up to sign
/// (first nonzero coefficient positive) and the last row is zero when some entry is forced to 0.
/// An emitted module builds W with one small product and one gather, so entries that the group
/// ties together are computed once and are equal bit for bit in every precision (an index_add
/// over the basis sums each entry on its own and may round them differently).
///
/// When every nonzero form is a single parameter with coefficient 1 (a tying table: monomial
/// bases, and the orbit bases of permutation representations) there is no R:
/// `index[e]` is that parameter, or `count` for a zero entry, and W = pad(θ, 1)[index] · sign.
///
/// Small layers (entries × parameters ≤ `matrixMaximumEntries`) skip the gather: the module
/// expands the classes once at construction into the dense (entries × parameters) matrix M whose
/// row e is sign[e] · R[class[e]] (`class_matrix`, exact: a copy and a sign), and W = M θ is one
/// matrix-vector product (one autograd node, where the gather form has a product, a gather and a
/// sign; measured faster below this size, slower above; BENCHMARKS.md "PyTorch target"). Tied
/// entries have equal rows of M.
///
/// ```swift
/// let classes = PyTorchWeightClasses(entryCount: dOut * dIn, parameterCount: k, elements: layer.basis.elements) { e in e.row * dIn + e.column }
/// classes.rowsEntries   // 0 for a tying table, u · k for the product form
/// ```
struct PyTorchWeightClasses {
    /// Entries (W row-major, or the bias) and parameters.
    let entryCount: Int
    let parameterCount: Int
    /// Per entry: the parameter (tying form) or the row of R (product form).
    let index: [Int]
    /// Per entry: +1, −1, or 0 for an entry forced to zero; nil when every sign is +1 or 0.
    let sign: [Int8]?
    /// R, u × parameterCount row-major, or nil for the tying form.
    let rows: [ExactOrReal]?
    let rowCount: Int

    var isTying: Bool { rows == nil }
    var rowsEntries: Int { rows?.count ?? 0 }

    /// Entries × parameters at most this: W = M θ with the expanded matrix M; above it the gather.
    static let matrixMaximumEntries = 1 << 16
    var usesMatrix: Bool { entryCount * parameterCount <= PyTorchWeightClasses.matrixMaximumEntries }

    /// A tying table as it is (index −1 for a zero entry).
    init(tying: WeightTying, parameterCount: Int) {
        entryCount = tying.index.count
        self.parameterCount = parameterCount
        index = tying.index.map { $0 < 0 ? parameterCount : Int($0) }
        sign = tying.sign.contains(-1) ? tying.sign : nil
        rows = nil
        rowCount = 0
    }

    /// - Complexity: O(nonzeros of the basis + entryCount).
    init(entryCount: Int, parameterCount: Int, elements: [BasisMatrix], position: (SparseEntry<Double>) -> Int) {
        self.entryCount = entryCount
        self.parameterCount = parameterCount
        // The form of each entry: (parameter, coefficient) pairs in parameter order.
        var forms = [[(Int, ExactOrReal)]](repeating: [], count: entryCount)
        for (i, b) in elements.enumerated() {
            for (e, v) in zip(b.entries, ExactOrReal.values(of: b)) where v.doubleValue != 0 {
                forms[position(e)].append((i, v))
            }
        }
        func negated(_ v: ExactOrReal) -> ExactOrReal {
            switch v {
            case let .exact(r): return .exact(-r)
            case let .real(x): return .real(-x)
            }
        }
        func isOne(_ v: ExactOrReal) -> Bool { v.exactValue.map { $0 == Rational(1) } ?? (v.doubleValue == 1) }
        struct Key: Hashable { let parameters: [Int]; let values: [ExactOrReal] }
        var classOf: [Key: Int] = [:]
        var keys: [Key] = []
        var entryClass = [Int](repeating: -1, count: entryCount)
        var signs = [Int8](repeating: 0, count: entryCount)
        var tying = true
        for e in 0..<entryCount where !forms[e].isEmpty {
            let f = forms[e]
            let flip = f[0].1.doubleValue < 0
            let key = Key(parameters: f.map(\.0), values: f.map { flip ? negated($0.1) : $0.1 })
            if key.parameters.count != 1 || !isOne(key.values[0]) { tying = false }
            let c: Int
            if let known = classOf[key] {
                c = known
            } else {
                c = keys.count
                classOf[key] = c
                keys.append(key)
            }
            entryClass[e] = c
            signs[e] = flip ? -1 : 1
        }
        sign = signs.contains(-1) ? signs : nil
        if tying {
            // W[e] = pad(θ, 1)[parameter]: `parameterCount` is the appended zero.
            index = (0..<entryCount).map { entryClass[$0] < 0 ? parameterCount : keys[entryClass[$0]].parameters[0] }
            rows = nil
            rowCount = 0
        } else {
            let zeroRow = entryClass.contains(-1) ? keys.count : nil
            rowCount = keys.count + (zeroRow == nil ? 0 : 1)
            var r = [ExactOrReal](repeating: .exact(Rational(0)), count: rowCount * parameterCount)
            for (c, key) in keys.enumerated() {
                for (i, v) in zip(key.parameters, key.values) { r[c * parameterCount + i] = v }
            }
            rows = r
            index = entryClass.map { $0 < 0 ? zeroRow! : $0 }
        }
    }

    /// Adds the arrays under `name` + `Index`, `Sign`, `Rows`.
    func addConstants(_ c: inout PyTorchConstants, name: String, basis: Bool) {
        c.add(name + "Index", int: index, basis: basis)
        if let sign { c.add(name + "Sign", sign: sign, basis: basis) }
        if let rows { c.add(name + "Rows", real: rows, basis: basis) }
    }

    /// A Python expression for the flat vector of entries, from `parameters` (a 1-D tensor
    /// expression) and `like` (the tensor whose dtype and device the constants take).
    func expression(name: String, parameters: String) -> String {
        if usesMatrix { return "self._const(\"\(name)Matrix\", like) @ \(parameters)" }
        let gathered = rows == nil
            ? "F.pad(\(parameters), (0, 1))[self._const(\"\(name)Index\", like)]"
            : "(self._const(\"\(name)Rows\", like).view(\(rowCount), \(parameterCount)) @ \(parameters))[self._const(\"\(name)Index\", like)]"
        return sign == nil ? gathered : gathered + " * self._const(\"\(name)Sign\", like)"
    }

    /// The `__init__` statement that expands the classes into M (nil for the gather form).
    func construction(name: String) -> String? {
        guard usesMatrix else { return nil }
        return "self._constants[\"\(name)Matrix\"] = class_matrix(self._constants, \"\(name)\", \(parameterCount))"
    }

    /// One line describing the form, for comments and strategy notes.
    var note: String {
        if usesMatrix { return "W = M θ by one product, M the \(entryCount) × \(parameterCount) matrix of the entries' forms" }
        return (rows == nil ? "W = θ[index] (a gather)" : "W = (R θ)[class], R \(rowCount) × \(parameterCount)") + (sign == nil ? "" : " · sign")
    }
}
