/// Strided average pooling of lattice fields (issue 21): c fields of type ρ on an
/// n₁ × … × n_d torus to c fields of type ρ on the (n₁/s) × … × (n_d/s) torus, each coarse point X
/// the mean of its block B_X = s·X + {0, …, s−1}^d,
///
///     y_c(X) = s^(−d) Σ_{u ∈ {0..s−1}^d} f_c(s·X + u).
///
/// Law (exact): the output is equivariant to the subgroup of the fine group that maps the blocks
/// onto blocks, acting on the coarse grid as the same wallpaper or space group there. With c the
/// block's center ((s−1)/2, …, (s−1)/2) and for every coarse translation T and point element p,
/// the fine element x ↦ p·(x − c) + c + s·T (translation s·T + c − p·c, an integer vector because
/// p is a signed permutation) acts on the input, and X ↦ p·X + T on the output, with ρ(p) on the
/// field values in both: p maps the cube {0..s−1}^d − c onto itself, so it maps B_X onto B_{p·X+T}.
/// The fine translations that are not multiples of s move blocks across block boundaries: the
/// output is not equivariant to them (and the tests check that too). The point group must consist
/// of signed permutations (square and cubic lattices); a hexagonal lattice's 60° rotation maps no
/// s×s rhombus of the axial grid to a translate of itself, so `init` traps and
/// `LatticeStridedPooling.problem(input:stride:)` says why first.
///
/// ```swift
/// let pool = LatticeStridedPooling(input: fields, stride: 2)      // 16×16 → 8×8
/// let y = pool.forward(x, count: 4)
/// let law = pool.law(limit: 5_000)                                   // every coarse translation × point element
/// ```
public struct LatticeStridedPooling: Sendable {
    /// The fields on the fine grid.
    public let input: LatticeFieldType
    /// The same fields on the coarse grid (sides divided by `stride`).
    public let output: LatticeFieldType
    /// s.
    public let stride: Int

    /// Why `stride` does not fit `input` (a stride below 1, a side it does not divide, a point
    /// generator that is not a signed permutation), nil when it fits.
    public static func problem(input: LatticeFieldType, stride s: Int) -> String? {
        guard s >= 1 else { return "the stride must be a positive integer, not \(s)" }
        if let side = input.sides.first(where: { $0 % s != 0 }) {
            return "stride \(s) does not divide the grid side \(side) (grid \(input.sides.map(String.init).joined(separator: "×"))): pooling s×s blocks needs every side to be a multiple of s; use a divisor of every side"
        }
        for (k, m) in input.pointGenerators.enumerated() {
            let signedPermutation = m.allSatisfy { row in row.filter { $0 != 0 }.count == 1 && row.allSatisfy { abs($0) <= 1 } }
                && (0..<m.count).allSatisfy { j in m.filter { $0[j] != 0 }.count == 1 }
            if !signedPermutation {
                return "point generator \(k) \(m) is not a signed permutation matrix, so it maps no s×s block to a translate of itself (a hexagonal lattice's 60° rotation in axial coordinates is one such); strided pooling needs a square or cubic lattice (p1, p2, pmm, p4, p4m, O, Oh)"
            }
        }
        return nil
    }

    /// Pooling of `input` by `stride`; traps when `problem(input:stride:)` is not nil (check it first).
    public init(input: LatticeFieldType, stride: Int) {
        if let problem = Self.problem(input: input, stride: stride) { preconditionFailure("LatticeStridedPooling: \(problem)") }
        self.input = input
        self.stride = stride
        output = LatticeFieldType(
            sides: input.sides.map { $0 / stride }, channels: input.channels, fieldDimension: input.fieldDimension,
            pointGenerators: input.pointGenerators, generatorImages: input.generatorImages)
    }

    /// Calls `body(fine, coarse)` for every field value of `count` samples: its offset in the input
    /// and that of its block's value in the output (blocks in the order of their fine points).
    func forEachValue(count: Int, _ body: (_ fine: Int, _ coarse: Int) -> Void) {
        let n = input.points, m = output.points, d = input.fieldDimension
        let block = (0..<n).map { x in output.index(input.coordinates(x).map { $0 / stride }) }
        for f in 0..<(count * input.channels) {
            for x in 0..<n { for a in 0..<d { body((f * n + x) * d + a, (f * m + block[x]) * d + a) } }
        }
    }

    /// The means over the blocks of `count` samples.
    /// - Complexity: O(count · c · points · d).
    public func forward<T: RuntimeScalar>(_ x: [T], count: Int) -> [T] {
        precondition(count >= 0 && x.count == count * input.dimension, "LatticeStridedPooling.forward: expected count × \(input.dimension) values, got \(x.count)")
        var y = [T](repeating: T.zero, count: count * output.dimension)
        forEachValue(count: count) { fine, coarse in y[coarse] += x[fine] }
        let scale = T(Double(output.points) / Double(input.points))
        return y.map { $0 * scale }
    }

    /// ∂L/∂x from ∂L/∂y: every fine point gets its block's gradient divided by s^d.
    /// - Complexity: O(count · c · points · d).
    public func backward<T: RuntimeScalar>(_ dy: [T], count: Int) -> [T] {
        precondition(count >= 0 && dy.count == count * output.dimension, "LatticeStridedPooling.backward: expected count × \(output.dimension) values, got \(dy.count)")
        var dx = [T](repeating: T.zero, count: count * input.dimension)
        let scale = T(Double(output.points) / Double(input.points))
        forEachValue(count: count) { fine, coarse in dx[fine] = dy[coarse] * scale }
        return dx
    }

    /// The law the output obeys: every coarse translation T × every point element p, acting on the
    /// input as x ↦ p·(x − c) + c + s·T and on the output as X ↦ p·X + T (`Law.lattice` with the
    /// stride). Above `limit` elements, every p with the zero, unit and random coarse
    /// translations, and the law says it is not complete.
    public func law(limit: Int, seed: UInt64 = 0x7A77_1CE5) -> Law {
        Law.lattice(input: input, output: output, limit: limit, seed: seed, stride: stride)
    }
}

extension LatticeStridedPooling: DifferentiableNode {
    /// One sample of c · points · d values on the fine grid.
    public var inputSizes: [Int] { [input.dimension] }
    /// c · points · d values on the coarse grid.
    public var outputSize: Int { output.dimension }
    /// No parameters.
    public var parameterCount: Int { 0 }

    /// The pooled sample and its pullback (the module-layer form, for templates).
    public func valueWithPullback<T: RuntimeScalar>(_ parameters: [T], _ inputs: [[T]]) -> (value: [T], pullback: (_ outputGradient: [T]) -> NodeGradient<T>) {
        checkShapes(parameters, inputs, "LatticeStridedPooling")
        return (forward(inputs[0], count: 1), { dy in NodeGradient(parameters: [], inputs: [self.backward(dy, count: 1)]) })
    }
}
