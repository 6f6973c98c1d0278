import Foundation
import GroupTheory

/// Which nonlinearity a network should use after each hidden layer (`--nonlinearity`).
///
/// `auto` chooses per block of the hidden representation (see `NonlinearityPlan`); the others
/// are requests that are refused where they would break equivariance.
public enum NonlinearityRequest: String, Sendable, CaseIterable {
    /// Pointwise ReLU on permutation blocks, tanh on signed-permutation blocks, the norm
    /// nonlinearity on every other (orthogonal) block.
    case auto
    /// Pointwise ReLU everywhere: only for permutation representations.
    case relu
    /// Pointwise tanh (odd) everywhere: permutation and signed-permutation representations.
    case tanh
    /// The norm nonlinearity x ↦ x · sigmoid(‖x‖ + b) on every block: orthogonal representations.
    case norm
}

/// How a hidden representation is split into blocks, and which equivariant nonlinearity each
/// block gets.
///
/// Blocks are the connected components of the generators' nonzero patterns (coordinates i and
/// j are linked when some ρ(g)[i, j] ≠ 0), so each block is an invariant subspace spanned by
/// coordinates: for `k*V + W` every copy of V and W is its own block. On a block:
/// - every ρ(g) a permutation matrix → pointwise ReLU commutes with it (relabels coordinates);
/// - every ρ(g) a signed permutation → an odd pointwise function (tanh) commutes with it;
/// - every ρ(g) orthogonal → ‖x_B‖ is invariant, so x_B ↦ x_B · sigmoid(‖x_B‖ + b) (one learned
///   gate bias b per block) is equivariant. A non-orthogonal block is refused.
///
/// ```swift
/// let plan = try NonlinearityPlan(representation: plane, expression: "plane", request: .auto)
/// plan.normBlocks   // [[0, 1]]
/// ```
public struct NonlinearityPlan: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case relu, tanh, norm
    }

    public let expression: String
    public let dimension: Int
    /// Coordinates that get pointwise ReLU (ascending).
    public let reluCoordinates: [Int]
    /// Coordinates that get pointwise tanh (ascending).
    public let tanhCoordinates: [Int]
    /// Blocks (ascending coordinates) that get the norm nonlinearity, one gate bias each.
    public let normBlocks: [[Int]]

    public var gateCount: Int { normBlocks.count }

    /// One line: "relu on 5 coordinates", "norm on 2 blocks of 2", ...
    public var summary: String {
        var parts: [String] = []
        if !reluCoordinates.isEmpty { parts.append("relu on \(reluCoordinates.count) coordinates") }
        if !tanhCoordinates.isEmpty { parts.append("tanh on \(tanhCoordinates.count) coordinates") }
        if !normBlocks.isEmpty {
            let sizes = Set(normBlocks.map(\.count)).sorted().map(String.init).joined(separator: "/")
            parts.append("norm (x·sigmoid(‖x‖+b)) on \(normBlocks.count) block\(normBlocks.count == 1 ? "" : "s") of \(sizes)")
        }
        return parts.isEmpty ? "none (dimension 0)" : parts.joined(separator: ", ")
    }

    /// Plans the nonlinearity for `representation` (named `expression` in errors).
    /// - Throws: `NetworkError.nonlinearityBreaksEquivariance` when the request does not commute
    ///   with the representation, `.notOrthogonal` when a block needing the norm nonlinearity is
    ///   not orthogonal.
    /// - Complexity: O(k·d) for monomial representations, O(k·d²) otherwise (k generators).
    public init(representation rep: Representation, expression: String, request: NonlinearityRequest) throws(NetworkError) {
        self.expression = expression
        dimension = rep.dimension
        let blocks = NonlinearityPlan.blocks(of: rep)
        var relu: [Int] = [], tanh: [Int] = [], norm: [[Int]] = []
        for block in blocks {
            let kind = NonlinearityPlan.classify(block, rep)
            let chosen: Kind
            switch request {
            case .auto:
                switch kind {
                case .permutation: chosen = .relu
                case .signedPermutation: chosen = .tanh
                case .orthogonal: chosen = .norm
                case let .notOrthogonal(generator, residual):
                    throw .notOrthogonal(representation: expression, coordinates: block, generator: generator, residual: residual)
                }
            case .relu:
                guard case .permutation = kind else {
                    throw .nonlinearityBreaksEquivariance(
                        representation: expression, nonlinearity: "pointwise relu", coordinates: block,
                        reason: "ρ(g) on these coordinates is \(kind.phrase), and a pointwise ReLU only commutes with permutation matrices; use --nonlinearity auto (tanh for signed permutations, norm for orthogonal blocks)")
                }
                chosen = .relu
            case .tanh:
                switch kind {
                case .permutation, .signedPermutation: chosen = .tanh
                default:
                    throw .nonlinearityBreaksEquivariance(
                        representation: expression, nonlinearity: "pointwise tanh", coordinates: block,
                        reason: "ρ(g) on these coordinates is \(kind.phrase), and an odd pointwise function only commutes with signed permutation matrices; use --nonlinearity auto or norm")
                }
            case .norm:
                if case let .notOrthogonal(generator, residual) = kind {
                    throw .notOrthogonal(representation: expression, coordinates: block, generator: generator, residual: residual)
                }
                chosen = .norm
            }
            switch chosen {
            case .relu: relu += block
            case .tanh: tanh += block
            case .norm: norm.append(block)
            }
        }
        reluCoordinates = relu.sorted()
        tanhCoordinates = tanh.sorted()
        normBlocks = norm
    }

    enum BlockKind {
        case permutation, signedPermutation, orthogonal
        case notOrthogonal(generator: Int, residual: Double)

        var phrase: String {
            switch self {
            case .permutation: return "a permutation matrix"
            case .signedPermutation: return "a signed permutation matrix (with −1 entries)"
            case .orthogonal: return "an orthogonal matrix that is not a permutation"
            case .notOrthogonal: return "not orthogonal"
            }
        }
    }

    /// Connected components of the generators' nonzero patterns, each ascending, ordered by
    /// their smallest coordinate.
    static func blocks(of rep: Representation) -> [[Int]] {
        let d = rep.dimension
        var parent = Array(0..<d)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        if let mono = rep.monomialImages {
            for g in mono { for i in 0..<d { union(i, Int(g.images[i])) } }
        } else {
            for m in rep.realImages {
                for r in 0..<d { for c in 0..<d where m[r, c] != 0 { union(r, c) } }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<d { groups[find(i), default: []].append(i) }
        return groups.keys.sorted().map { groups[$0]! }
    }

    static func classify(_ block: [Int], _ rep: Representation) -> BlockKind {
        // Not through `monomialImages`, which converts every permutation to a signed one: once
        // per block, that was quadratic in the dimension (100000*natural of S4: 8 s).
        if case .permutation = rep.images { return .permutation }
        if let mono = rep.monomialImages {
            let signed = mono.contains { g in block.contains { g.signs[$0] != 1 } }
            return signed ? .signedPermutation : .permutation
        }
        let images = rep.realImages
        var permutation = true, signed = true
        for m in images {
            for r in block {
                var nonzero = 0
                for c in block where m[r, c] != 0 {
                    nonzero += 1
                    if m[r, c] != 1 { permutation = false }
                    if abs(m[r, c]) != 1 { signed = false }
                }
                if nonzero != 1 { permutation = false; signed = false }
            }
        }
        if permutation { return .permutation }
        if signed { return .signedPermutation }
        // Orthogonality on the block: ‖MᵀM − I‖_max.
        for (g, m) in images.enumerated() {
            var worst = 0.0
            for a in block {
                for b in block {
                    var s = 0.0
                    for r in block { s += m[r, a] * m[r, b] }
                    worst = max(worst, abs(s - (a == b ? 1 : 0)))
                }
            }
            if worst > 1e-9 { return .notOrthogonal(generator: g, residual: worst) }
        }
        return .orthogonal
    }

    // MARK: Evaluation (Float64, for the library network)

    /// y = σ(z) with gate biases `gates` (count `gateCount`).
    public func apply(_ z: [Double], gates: ArraySlice<Double>) -> [Double] {
        precondition(z.count == dimension && gates.count == gateCount)
        var y = z
        for i in reluCoordinates { y[i] = max(0, z[i]) }
        for i in tanhCoordinates { y[i] = Foundation.tanh(z[i]) }
        for (k, block) in normBlocks.enumerated() {
            var r2 = 0.0
            for i in block { r2 += z[i] * z[i] }
            let s = 1 / (1 + exp(-(r2.squareRoot() + gates[gates.startIndex + k])))
            for i in block { y[i] = z[i] * s }
        }
        return y
    }

    /// ∂L/∂z and ∂L/∂gates from ∂L/∂y at pre-activation z.
    public func backward(_ z: [Double], outputGradient dy: [Double], gates: ArraySlice<Double>) -> (input: [Double], gates: [Double]) {
        var dz = dy
        var dg = [Double](repeating: 0, count: gateCount)
        for i in reluCoordinates { dz[i] = z[i] > 0 ? dy[i] : 0 }
        for i in tanhCoordinates { let t = Foundation.tanh(z[i]); dz[i] = dy[i] * (1 - t * t) }
        for (k, block) in normBlocks.enumerated() {
            var r2 = 0.0, dot = 0.0
            for i in block { r2 += z[i] * z[i]; dot += dy[i] * z[i] }
            let r = r2.squareRoot()
            let s = 1 / (1 + exp(-(r + gates[gates.startIndex + k])))
            let ds = dot * s * (1 - s)
            dg[k] = ds
            for i in block { dz[i] = s * dy[i] + (r > 0 ? ds * z[i] / r : 0) }
        }
        return (dz, dg)
    }
}
