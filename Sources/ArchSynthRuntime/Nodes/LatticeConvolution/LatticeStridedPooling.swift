/// Strided average pooling of lattice fields (issue 21): c fields of type ρ on an
/// n₁ × … × n_d torus to c fields of type ρ on the (n₁/s) × … × (n_d/s) torus, with one of two
/// kernels (`Kernel`), the same for every field component:
///
/// - `blockMean` (square and cubic lattices): each coarse point X the mean of its block
///   B_X = s·X + {0, …, s−1}^d, y_c(X) = s^(−d) Σ_{u ∈ {0..s−1}^d} f_c(s·X + u).
/// - `symmetrized` (every point group; `generate network` uses it where `blockMean` does not
///   apply, e.g. p6, p6m, p3): y_c(X) = s^(−d) Σ_u w(u) f_c(s·X + u) with the point-group-symmetrized
///   block weight w(u) = #{h ∈ H : h⁻¹·u ∈ {0..s−1}^d}/|H| (exact rationals, computed once here
///   from H's integer matrices; derivation and law in `LatticeStridedPooling+Symmetrized.swift`).
///
/// One type with a mode rather than two types: both are the same kind of map (c·ρ fields on the
/// fine grid to the same fields on the coarse grid, linear, no parameters) with the same shapes,
/// law form (`Law.lattice(…, stride:)`), generated `Pool` stage and node API; only the taps and the
/// point about which the point group acts differ, and `Kernel` carries both.
///
/// Law (exact): the output is equivariant to a subgroup of the fine group, acting on the coarse
/// grid as the same wallpaper or space group there. For every coarse translation T and point
/// element p, the fine element x ↦ p·(x − c) + c + s·T acts on the input and X ↦ p·X + T on the
/// output, with ρ(p) on the field values in both, where the center c is
/// - for `blockMean`, the block's center ((s−1)/2, …, (s−1)/2) (translation s·T + c − p·c, an
///   integer vector because p is a signed permutation): p maps the cube {0..s−1}^d − c onto
///   itself, so it maps B_X onto B_{p·X+T};
/// - for `symmetrized`, the fine origin (c = 0): w(p·u) = w(u).
/// The fine translations that are not multiples of s move blocks across block boundaries: the
/// output is not equivariant to them (and the tests check that too). `blockMean` needs a point
/// group of signed permutations; a hexagonal lattice's 60° rotation maps no s×s rhombus of the
/// axial grid to a translate of itself, so `init` traps on that and
/// `LatticeStridedPooling.problem(input:stride:kernel:)` says why first.
///
/// ```swift
/// let pool = LatticeStridedPooling(input: fields, stride: 2)      // 16×16 → 8×8, Kernel.standard
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
    /// The weights, and so the center of the point group's action.
    public let kernel: Kernel
    /// The kernel's offsets u and counts k (weight k/|H|), sorted by offset.
    public let taps: [Tap]
    /// |H|, the order of the point group.
    public let pointOrder: Int
    /// For `symmetrized`: the fine index of s·X + u_j, entry X · taps.count + j (empty for `blockMean`).
    let tapIndex: [Int]
    /// For `blockMean`: the coarse point whose block holds each fine point (empty for `symmetrized`).
    @usableFromInline let fineBlock: [Int32]

    /// Why `stride` does not fit `input` with `kernel` (nil: `Kernel.standard` for its point
    /// group): a stride below 1, a side it does not divide, or, for `blockMean`, a point generator
    /// that is not a signed permutation. nil when it fits.
    public static func problem(input: LatticeFieldType, stride s: Int, kernel: Kernel? = nil) -> String? {
        guard s >= 1 else { return "the stride must be a positive integer, not \(s)" }
        if let side = input.sides.first(where: { $0 % s != 0 }) {
            return "stride \(s) does not divide the grid side \(side) (grid \(input.sides.map(String.init).joined(separator: "×"))): pooling s×s blocks needs every side to be a multiple of s; use a divisor of every side"
        }
        guard (kernel ?? .standard(for: input.pointGenerators)) == .blockMean else { return nil }
        for (k, m) in input.pointGenerators.enumerated() where !isSignedPermutation(m) {
            return "point generator \(k) \(m) is not a signed permutation matrix, so it maps no s×s block to a translate of itself (a hexagonal lattice's 60° rotation in axial coordinates is one such); the block mean needs a square or cubic lattice (p1, p2, pmm, p4, p4m, O, Oh): use the symmetrized kernel for this point group"
        }
        return nil
    }

    /// Pooling of `input` by `stride` with `kernel` (nil: `Kernel.standard` for the point group:
    /// `blockMean` for signed permutations, else `symmetrized`); traps when
    /// `problem(input:stride:kernel:)` is not nil (check it first).
    /// - Complexity: O(|H| · s^d · d²) for the taps, and for `symmetrized` O(coarse points · taps · d) for the index table.
    public init(input: LatticeFieldType, stride: Int, kernel: Kernel? = nil) {
        let kernel = kernel ?? .standard(for: input.pointGenerators)
        if let problem = Self.problem(input: input, stride: stride, kernel: kernel) { preconditionFailure("LatticeStridedPooling: \(problem)") }
        self.input = input
        self.stride = stride
        self.kernel = kernel
        output = LatticeFieldType(
            sides: input.sides.map { $0 / stride }, channels: input.channels, fieldDimension: input.fieldDimension,
            pointGenerators: input.pointGenerators, generatorImages: input.generatorImages)
        (taps, pointOrder) = Self.taps(kernel: kernel, pointGenerators: input.pointGenerators, dimension: input.sides.count, stride: stride)
        tapIndex = kernel == .symmetrized ? Self.tapIndices(input: input, output: output, taps: taps, stride: stride) : []
        let coarse = output
        fineBlock = kernel == .symmetrized ? [] : (0..<input.points).map { x in Int32(coarse.index(input.coordinates(x).map { $0 / stride })) }
    }

    /// Calls `body(fine, coarse)` for every field value of `count` samples (`blockMean`): its
    /// offset in the input and that of its block's value in the output, in input order.
    @inlinable func forEachValue(count: Int, _ body: (_ fine: Int, _ coarse: Int) -> Void) {
        let n = input.points, m = output.points, d = input.fieldDimension
        fineBlock.withUnsafeBufferPointer { block in
            for f in 0..<(count * input.channels) {
                for x in 0..<n {
                    let fine = (f * n + x) * d, coarse = (f * m + Int(block[x])) * d
                    for a in 0..<d { body(fine + a, coarse + a) }
                }
            }
        }
    }

    /// The pooled fields of `count` samples (block means, or the symmetrized kernel's weighted sums).
    /// `@inlinable`, so a generated network's pooling stage specializes it (generic, its metadata
    /// lookups took about a sixth of a pooled p4m network's backward pass).
    /// - Complexity: O(count · c · points · d) for `blockMean`, O(count · c · coarse points · taps · d)
    ///   for `symmetrized` (taps ≤ |H| · s^d).
    @inlinable public func forward<T: RuntimeScalar>(_ x: [T], count: Int) -> [T] {
        precondition(count >= 0 && x.count == count * input.dimension, "LatticeStridedPooling.forward: expected count × \(input.dimension) values, got \(x.count)")
        if kernel == .symmetrized { return symmetrizedForward(x, count: count) }
        var y = [T](repeating: T.zero, count: count * output.dimension)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in forEachValue(count: count) { fine, coarse in yp[coarse] += xp[fine] } }
        }
        let scale = T(Double(output.points) / Double(input.points))
        return y.map { $0 * scale }
    }

    /// ∂L/∂x from ∂L/∂y, the exact transpose of `forward`: for `blockMean` every fine point gets
    /// its block's gradient divided by s^d; for `symmetrized` dx(s·X + u) += s^(−d) w(u) dy(X).
    /// - Complexity: as `forward`.
    @inlinable public func backward<T: RuntimeScalar>(_ dy: [T], count: Int) -> [T] {
        precondition(count >= 0 && dy.count == count * output.dimension, "LatticeStridedPooling.backward: expected count × \(output.dimension) values, got \(dy.count)")
        if kernel == .symmetrized { return symmetrizedBackward(dy, count: count) }
        var dx = [T](repeating: T.zero, count: count * input.dimension)
        let scale = T(Double(output.points) / Double(input.points))
        dy.withUnsafeBufferPointer { dyp in
            dx.withUnsafeMutableBufferPointer { dxp in forEachValue(count: count) { fine, coarse in dxp[fine] = dyp[coarse] * scale } }
        }
        return dx
    }

    /// The law the output obeys: every coarse translation T × every point element p, acting on the
    /// input as x ↦ p·(x − c) + c + s·T and on the output as X ↦ p·X + T (`Law.lattice` with the
    /// stride and this kernel's center c: the block center, or the origin for `symmetrized`).
    /// Above `limit` elements, every p with the zero, unit and random coarse translations, and the
    /// law says it is not complete.
    public func law(limit: Int, seed: UInt64 = 0x7A77_1CE5) -> Law {
        Law.lattice(input: input, output: output, limit: limit, seed: seed, stride: stride, kernel: kernel)
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
