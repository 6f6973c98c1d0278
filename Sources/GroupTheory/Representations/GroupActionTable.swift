/// Every element of a finite group as real matrices of one or more representations: the table
/// an action over the whole group is read from (element 0 is the identity; elements in the
/// order of `FiniteGroup.enumeration()`; matrices row-major, acting on column vectors).
///
/// ```swift
/// let table = try GroupActionTable(group: s4, representations: [natural, sign])
/// table.orthogonalityDefect(0).defect   // 0: permutation matrices are orthogonal
/// ```
public struct GroupActionTable: Sendable {
    /// `matrices[r][g]`: representation r at element g, row-major.
    public let matrices: [[[Double]]]
    /// The dimension of each representation.
    public let dimensions: [Int]
    /// |G|, the number of elements listed.
    public var elementCount: Int { matrices.first?.count ?? 0 }

    /// The matrices of `representations` (of `group`) at every element; throws `notEnumerable`
    /// when the group cannot be listed within its options.
    /// - Complexity: O(|G| · Σ_r ℓ · d_r³) for words of length at most ℓ (O(|G| · Σ_r ℓ · d_r)
    ///   for permutation representations).
    public init(group: FiniteGroup, representations: [Representation]) throws(GroupError) {
        let e = try group.enumeration()
        dimensions = representations.map(\.dimension)
        matrices = representations.map { rep in
            e.words.map { w in
                guard let m = rep.realMatrix(of: w) else { preconditionFailure("a representation with a singular generator image") }
                return m.elements
            }
        }
    }

    /// The worst ‖ρ(g)ᵀρ(g) − I‖_max over the group for representation r, and the element
    /// where it occurs (0 when ρ is orthogonal).
    /// - Complexity: O(|G| · d³).
    public func orthogonalityDefect(_ r: Int) -> (defect: Double, element: Int) {
        let n = dimensions[r]
        var worst = 0.0, at = 0
        for (g, m) in matrices[r].enumerated() {
            for i in 0..<n {
                for j in 0..<n {
                    var s = 0.0
                    for k in 0..<n { s += m[k * n + i] * m[k * n + j] }
                    let d = abs(s - (i == j ? 1 : 0))
                    if d > worst { worst = d; at = g }
                }
            }
        }
        return (worst, at)
    }
}
