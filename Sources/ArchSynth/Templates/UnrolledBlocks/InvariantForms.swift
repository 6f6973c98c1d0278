import ArchSynthRuntime
import GroupTheory

/// The G-invariant quadratic forms on z = x ⊕ c: the solver's Hom_G((x+c)⊗(x+c), trivial),
/// each element reshaped to an n×n matrix, symmetrized (Q + Qᵀ)/2 (a quadratic form only sees
/// the symmetric part), and reduced to a linearly independent set (Gram–Schmidt in Double,
/// keeping the symmetrized solver elements themselves, so exact entries such as 1 and ½ stay).
///
/// Quartic energies use products q_a·q_b of these forms (a ≤ b). We chose products over
/// Hom_G((x+c)^⊗4, trivial) because they need no second solve of a dim⁴-dimensional problem
/// (8-dimensional z is already 4096-dimensional) and grow only as m(m+1)/2 in the number m of
/// quadratic forms; the price is that quartics that are not products (Σᵢ xᵢ⁴ for S_n) are missing.
///
/// ```swift
/// let forms = try InvariantForms.quadratic(group: g, x: .named("natural"), context: .named("natural"))
/// forms.count   // 6 for S_4: I and J on the xx, cc and xc blocks
/// ```
public enum InvariantForms {
    /// Symmetric invariant forms as full (i, j, value) entry lists on z of dimension `dimension`.
    public struct Form: Sendable, Equatable {
        public let entries: [(row: Int, column: Int, value: Double)]
        public static func == (a: Form, b: Form) -> Bool {
            a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.row == $1.row && $0.column == $1.column && $0.value == $1.value }
        }
        /// True when the form touches x (rows or columns below `xSize`), i.e. has a nonzero x-gradient.
        public func touchesX(_ xSize: Int) -> Bool { entries.contains { $0.row < xSize || $0.column < xSize } }
    }

    public static func quadratic(group: FiniteGroup, x: RepresentationExpression, context: RepresentationExpression?) throws -> (forms: [Form], dimension: Int) {
        let z: RepresentationExpression = context.map { .sum(x, $0) } ?? x
        let basis = try IntertwinerSolver.solve(group: group, input: .tensor(z, z), output: .trivial(1))
        let n = Int(Double(basis.inputDimension).squareRoot().rounded())
        precondition(n * n == basis.inputDimension, "Hom_G(z⊗z, 1) has input dimension \(basis.inputDimension), not a square")
        var kept: [[Double]] = [], orthonormal: [[Double]] = [], forms: [Form] = []
        for element in basis.elements {
            var q = [Double](repeating: 0, count: n * n)
            for e in element.entries {
                let (i, j) = (e.column / n, e.column % n)
                q[i * n + j] += 0.5 * e.value
                q[j * n + i] += 0.5 * e.value
            }
            var r = q
            for u in orthonormal {
                var d = 0.0
                for k in r.indices { d += u[k] * r[k] }
                for k in r.indices { r[k] -= d * u[k] }
            }
            let norm = r.reduce(0) { $0 + $1 * $1 }.squareRoot(), scale = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard scale > 0, norm > 1e-9 * scale else { continue }
            orthonormal.append(r.map { $0 / norm })
            kept.append(q)
            var entries: [(row: Int, column: Int, value: Double)] = []
            for i in 0..<n {
                for j in 0..<n where abs(q[i * n + j]) > 1e-14 * scale { entries.append((row: i, column: j, value: q[i * n + j])) }
            }
            forms.append(Form(entries: entries))
        }
        return (forms, n)
    }
}
