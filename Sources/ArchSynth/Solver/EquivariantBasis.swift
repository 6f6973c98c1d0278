import GroupTheory

/// A basis of the equivariant linear maps Hom_G(ρ_in, ρ_out) =
/// { W ∈ R^(d_out × d_in) : ρ_out(g) W = W ρ_in(g) for all g } and of the
/// equivariant biases (fixed vectors of ρ_out), as DESIGN.md "The solver" describes.
///
/// Every equivariant W is Σ θ_i B_i with B_i = `elements[i]`; every equivariant
/// bias is Σ β_j b_j with b_j = `biasElements[j]`. Matrices are d_out × d_in
/// (row = output coordinate, column = input coordinate).
public struct EquivariantBasis: Sendable {
    public let inputDimension: Int
    public let outputDimension: Int
    /// B_1 … B_m, sparse, each `outputDimension × inputDimension`.
    public let elements: [BasisMatrix]
    /// The fixed vectors of ρ_out, each a sparse `outputDimension × 1` matrix.
    public let biasElements: [BasisMatrix]
    /// The weight-tying table, when every basis element has entries 0/±1 with
    /// disjoint supports (monomial representations): W[r, c] = sign · θ[index].
    public let tying: WeightTying?
    /// The strategy that produced the basis.
    public let method: SolverMethod
    /// Independent checks of the result.
    public let crossCheck: CrossCheck
    /// Set when the weights are kept factored (`IntertwinerSolver.solveFactored`): then
    /// `elements` is empty and the weight basis is `factored`'s, element t being
    /// `factored.element(t)`.
    public let factored: FactoredIntertwiner?

    public init(
        inputDimension: Int, outputDimension: Int, elements: [BasisMatrix], biasElements: [BasisMatrix],
        tying: WeightTying?, method: SolverMethod, crossCheck: CrossCheck, factored: FactoredIntertwiner? = nil
    ) {
        precondition(factored == nil || elements.isEmpty, "a factored basis carries no materialized elements")
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.elements = elements
        self.biasElements = biasElements
        self.tying = tying
        self.method = method
        self.crossCheck = crossCheck
        self.factored = factored
    }

    /// m, the number of weight parameters.
    public var dimension: Int { factored?.dimension ?? elements.count }
    /// The number of bias parameters.
    public var biasDimension: Int { biasElements.count }
    /// True when every entry is known exactly (rational).
    public var isExact: Bool { factored == nil && elements.allSatisfy(\.isExact) && biasElements.allSatisfy(\.isExact) }
}

/// One sparse basis matrix; exact entries when the solver worked exactly.
public struct BasisMatrix: Hashable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Nonzero entries in row-major order (sorted by row, then column).
    public let entries: [SparseEntry<Double>]
    /// The same entries exactly, when known (same order as `entries`).
    public let exactValues: [Rational]?

    public init(rows: Int, columns: Int, entries: [SparseEntry<Double>], exactValues: [Rational]? = nil) {
        precondition(exactValues == nil || exactValues!.count == entries.count)
        self.rows = rows
        self.columns = columns
        self.entries = entries
        self.exactValues = exactValues
    }

    public var isExact: Bool { exactValues != nil }
    public var nonzeroCount: Int { entries.count }

    public var dense: Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for e in entries { m[e.row, e.column] = e.value }
        return m
    }
}

/// Weight tying for monomial bases: W[r, c] = sign[r * d_in + c] · θ[index[r * d_in + c]],
/// with index −1 (and sign 0) where W is forced to zero.
public struct WeightTying: Hashable, Sendable {
    public let outputDimension: Int
    public let inputDimension: Int
    /// Row-major, `outputDimension * inputDimension` entries; −1 for a zero entry.
    public let index: [Int32]
    /// Row-major signs: +1, −1, or 0 where `index` is −1.
    public let sign: [Int8]
    /// For the bias: b[r] = biasSign[r] · β[biasIndex[r]] (−1/0 where forced to zero).
    public let biasIndex: [Int32]
    public let biasSign: [Int8]

    public init(outputDimension: Int, inputDimension: Int, index: [Int32], sign: [Int8], biasIndex: [Int32], biasSign: [Int8]) {
        precondition(index.count == outputDimension * inputDimension && sign.count == index.count)
        precondition(biasIndex.count == outputDimension && biasSign.count == outputDimension)
        self.outputDimension = outputDimension
        self.inputDimension = inputDimension
        self.index = index
        self.sign = sign
        self.biasIndex = biasIndex
        self.biasSign = biasSign
    }
}

/// How a basis was computed (DESIGN.md strategies 1–4).
public enum SolverMethod: Hashable, Sendable, CustomStringConvertible {
    /// Union-find over index pairs under the generators with sign tracking.
    case monomialOrbits
    /// Solved block by block over direct summands; each distinct pair once.
    case directSumBlocks([SolverMethod])
    /// Exact rational elimination (intersecting fixed spaces generator by generator).
    case exactElimination
    /// Float64 nullspace of the stacked constraints, with a checked spectral gap.
    case floatNullspace
    /// Regular → regular (with channels): one parameter per channel pair and group element of
    /// the support, built from the group's structure without solving (`GroupConvolutionStructure`).
    case groupConvolution
    /// Isotypic decomposition and Schur's lemma.
    case isotypicDecomposition

    public var description: String {
        switch self {
        case .monomialOrbits: return "monomial-orbits"
        case let .directSumBlocks(inner):
            let distinct = Array(Set(inner.map(\.description))).sorted()
            return "direct-sum-blocks(" + distinct.joined(separator: ",") + ")"
        case .exactElimination: return "exact-elimination"
        case .floatNullspace: return "float-nullspace"
        case .groupConvolution: return "group-convolution"
        case .isotypicDecomposition: return "isotypic-schur"
        }
    }
}

/// The independent checks every basis passes (DESIGN.md: "A disagreement is an error").
public struct CrossCheck: Hashable, Sendable {
    /// ⟨χ_in, χ_out⟩ when the group could be enumerated; `nil` otherwise.
    public let characterDimension: Int?
    /// Same for the bias: ⟨1, χ_out⟩.
    public let characterBiasDimension: Int?
    /// Why no character check was made, if none was.
    public let characterNote: String?
    /// Largest relative residual ‖ρ_out(g)B − Bρ_in(g)‖ / ‖B‖ over generators and
    /// basis elements (0 for exact bases, where the check is exact).
    public let residual: Double
    /// True when the constraint check was done in exact arithmetic.
    public let exactConstraintCheck: Bool
    /// Every certificate of completeness the basis carries, distinct and sorted
    /// (`Certificate.characters` first when the character check was made). Never empty
    /// for a basis returned by `IntertwinerSolver`.
    public let certificates: [Certificate]

    public init(
        characterDimension: Int?, characterBiasDimension: Int?, characterNote: String?, residual: Double,
        exactConstraintCheck: Bool, certificates: [Certificate] = []
    ) {
        self.characterDimension = characterDimension
        self.characterBiasDimension = characterBiasDimension
        self.characterNote = characterNote
        self.residual = residual
        self.exactConstraintCheck = exactConstraintCheck
        self.certificates = Array(Set(certificates)).sorted()
    }

    /// The certificates as one string, e.g. `"characters+orbits"` (`"none"` if there is none).
    public var certificate: String {
        certificates.isEmpty ? "none" : certificates.map(\.rawValue).joined(separator: "+")
    }
}

/// Why the dimension of a basis is known to be complete (no equivariant map is missing).
///
/// Every route of the solver carries its own certificate, so a basis is certified for every
/// group size; the character check is added on top when the group can be enumerated.
///
/// ```swift
/// basis.crossCheck.certificates   // [.characters, .orbits] for symmetric:5 natural → natural
/// ```
public enum Certificate: String, Hashable, Sendable, Comparable, CaseIterable {
    /// dim = ⟨χ_in, χ_out⟩ (and bias dim = ⟨1, χ_out⟩) computed on the enumerated conjugacy classes.
    case characters
    /// Monomial representations: one basis element per sign-consistent orbit of index pairs
    /// under the generators; orbits under the generators are orbits under the group, so the
    /// count is exact.
    case orbits
    /// Exact rational nullspace of every generator constraint (fixed space of the generators
    /// is the fixed space of the group).
    case exact
    /// Float64 nullspace of every generator constraint, the rank decided by a spectral gap of
    /// at least `RealSolverOptions.requiredGap` (a numerical certificate).
    case spectralGap = "spectral-gap"
    /// Checked isotypic decomposition of both sides: orthonormal invariant irreducible copies
    /// spanning each space, commutants of dimension 1, 2 or 4 that are division algebras, and
    /// dim Hom(τ_a, τ_b) computed by a small nullspace for every pair of components, so
    /// dim Hom_G = Σ m_a m_b dim Hom(τ_a, τ_b) (a numerical certificate).
    case isotypic

    public static func < (a: Certificate, b: Certificate) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// One line for reports and generated headers.
    public var summary: String {
        switch self {
        case .characters: return "dimensions equal the character inner products over the conjugacy classes"
        case .orbits: return "monomial: exact count of sign-consistent orbits of index pairs under the generators"
        case .exact: return "exact rational nullspace of every generator constraint"
        case .spectralGap: return "Float64 nullspace of every generator constraint with a checked spectral gap"
        case .isotypic: return "checked isotypic decomposition: invariant irreducible copies spanning both spaces, commutants of dimension 1, 2 or 4, Hom computed for every pair of components"
        }
    }
}
