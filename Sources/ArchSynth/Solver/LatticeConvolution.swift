import GroupTheory

/// A steerable convolution between fields on a crystallographic group's grid (issue 21):
/// c_out fields of type ρ_out from c_in fields of type ρ_in through a local stencil S,
///
///     y_o(x) = Σ_i Σ_{s ∈ S} κ_{o,i}(s) f_i(x + s),   κ_{o,i}(s) = Σ_j θ_{o,i,j} K_j(s),
///
/// equivariant under G = T ⋊ P exactly when every kernel satisfies
/// κ(p·s) = ρ_out(p) κ(s) ρ_in(p)⁻¹ for p ∈ P (translations are free). Writing K as the map
/// v ↦ Σ_s e_s ⊗ κ(s)v, that constraint says K ∈ Hom_P(ρ_in, π_S ⊗ ρ_out), with π_S the
/// permutation of the stencil points by P, so the kernel basis is an intertwiner basis of the
/// point group alone (|P| ≤ 48): the orbits of stencil points and the intertwiners of their
/// stabilizers, found by the ordinary solver (orbit counting when ρ_in and ρ_out are
/// permutations, exact elimination otherwise) and certified by P's characters. Nothing of
/// size |G| or |grid|² is built.
///
/// Layout (as `field(ρ)` = `natural * ρ`): input index (i · points + x) · d_in + a, output
/// (o · points + x) · d_out + b, points row-major.
///
/// ```swift
/// let conv = try LatticeConvolution(group: try GroupResolver().resolve("wallpaper:p4m:64x64"),
///                                   input: "field(trivial)", output: "8*field(pointRegular)", support: 3)
/// conv.kernelBasis.dimension   // 3 (the D₄ orbits of a 3×3 stencil) per channel pair; conv.weightCount 24
/// ```
public struct LatticeConvolution: Sendable {
    public let lattice: CrystallographicLattice
    public let inputChannels: Int
    public let outputChannels: Int
    /// The stencil offsets (canonical order) and the kernel basis: element j has rows
    /// s · d_out + b and columns a.
    public let stencil: [[Int]]
    public let kernelBasis: EquivariantBasis
    /// Fixed vectors of ρ_out under P (each output channel's bias is one of their combinations).
    public let biasBasis: EquivariantBasis
    public let fieldInputDimension: Int
    public let fieldOutputDimension: Int
    /// ρ_in and ρ_out as representations of the point group (images of its generators).
    public let pointInput: Representation
    public let pointOutput: Representation
    /// The point group P, built from its integer matrices (for characters and checks).
    public let pointGroup: FiniteGroup

    public var weightCount: Int { inputChannels * outputChannels * kernelBasis.dimension }
    public var biasCount: Int { outputChannels * biasBasis.dimension }
    public var points: Int { lattice.sides.reduce(1, *) }

    /// - Throws: `SolverError` when the group is not crystallographic, an expression is not
    ///   `c*field(ρ)`, or the stencil is even or wider than the grid.
    public init(
        group: FiniteGroup, input: RepresentationExpression, output: RepresentationExpression, support: Int,
        options: SolverOptions = .init()
    ) throws {
        guard let lattice = CrystallographicLattice(origin: group.origin) else {
            throw SolverError.representation("\(group.name) is not a wallpaper or space group (wallpaper:p4m:HxW, space:Oh:DxHxW): a lattice convolution needs one")
        }
        try self.init(
            lattice: lattice, representationsFrom: group, input: input, output: output, support: support, options: options,
            maxDimension: group.options.maxDimension)
    }

    /// The same layer without building the group on the grid: the field types are
    /// representations of the point group, which do not depend on the grid's size, so they are
    /// read from the family on the smallest grid (`pointGroupCarrier`). This is what `generate`
    /// and `verify` use: building `wallpaper:p4m:128x128` itself runs Schreier–Sims on 16,384
    /// points (about 1 GB and minutes).
    ///
    /// `maxDimension` bounds the dimension of the input and the output (fields × points × d), as
    /// `GroupOptions.maxDimension` bounds a representation's (`--max-rep-dimension`).
    public init(
        lattice: CrystallographicLattice, input: RepresentationExpression, output: RepresentationExpression, support: Int,
        options: SolverOptions = .init(), maxDimension: Int = GroupOptions().maxDimension
    ) throws {
        try self.init(
            lattice: lattice, representationsFrom: try Self.pointGroupCarrier(lattice), input: input, output: output, support: support,
            options: options, maxDimension: maxDimension)
    }

    /// The family of `lattice` on the smallest grid (every side 3): the same generators and
    /// point-group representations, a group of order 3^d · |P|.
    public static func pointGroupCarrier(_ lattice: CrystallographicLattice) throws -> FiniteGroup {
        try GroupResolver().resolve("\(lattice.kind):\(lattice.pointGroup):\(lattice.sides.map { _ in "3" }.joined(separator: "x"))")
    }

    init(
        lattice: CrystallographicLattice, representationsFrom group: FiniteGroup, input: RepresentationExpression,
        output: RepresentationExpression, support: Int, options: SolverOptions, maxDimension: Int
    ) throws {
        guard support >= 1, support % 2 == 1 else {
            throw SolverError.representation("--support \(support): a stencil that the point group maps to itself has an odd width (1, 3, 5, …)")
        }
        guard support <= lattice.sides.min()! else {
            throw SolverError.representation("--support \(support) is wider than the grid (\(lattice.sides.map(String.init).joined(separator: "x"))); use at most \(lattice.sides.min()! % 2 == 1 ? lattice.sides.min()! : lattice.sides.min()! - 1)")
        }
        let (cin, rin) = try Self.pointField(group: group, lattice: lattice, input, side: "input")
        let (cout, rout) = try Self.pointField(group: group, lattice: lattice, output, side: "output")
        // Checked before any count is formed: the parser takes up to 999,999,999 fields, and
        // fields × points × d, or c_in · c_out · m, would overflow.
        let points = GenerationLimits.product(lattice.sides.reduce(1) { GenerationLimits.product($0, $1) })
        for (side, expression, channels, d) in [("input", input, cin, rin.dimension), ("output", output, cout, rout.dimension)] {
            let dimension = GenerationLimits.product(channels, points, d)
            guard dimension <= maxDimension else {
                throw SolverError.representation(
                    "the \(side) \(expression) has dimension \(dimension) (\(channels) fields × \(points) points × \(d)), above the limit of \(maxDimension): use fewer fields or a smaller grid, or raise GroupOptions.maxDimension")
            }
        }
        self.lattice = lattice
        inputChannels = cin
        outputChannels = cout
        // P as a group of its own, from the integer matrices. A trivial P (p1) is given the identity
        // as its one generator, so the solver sees a group with a generator.
        let dimension = lattice.sides.count
        let identity = (0..<dimension).map { i in (0..<dimension).map { $0 == i ? 1 : 0 } }
        let padded = lattice.pointGenerators.isEmpty
        let generators = padded ? [(name: "e", matrix: identity)] : lattice.pointGenerators
        func forSolver(_ r: Representation) -> Representation {
            padded ? Representation(rationalMatrices: [RationalMatrix.identity(r.dimension)], dimension: r.dimension) : r
        }
        let here = SpecLocation(file: "\(lattice.kind):\(lattice.pointGroup)", line: 0, keyPath: "point")
        let matrices = generators.map { g in
            Located(g.matrix.map { $0.map { ExactOrReal.exact(Rational($0)) } }, at: here)
        }
        let pointSpec = GroupSpec(
            name: "\(lattice.pointGroup) (point group)", documentedOrder: String(lattice.pointOrder),
            generators: generators.map(\.name), relators: nil, defining: "point",
            representations: [RepresentationSpec(name: "point", images: .matrix(matrices), location: here)],
            origin: "\(lattice.kind):\(lattice.pointGroup) point group")
        pointGroup = try FiniteGroup(spec: pointSpec)

        pointInput = rin
        pointOutput = rout
        fieldInputDimension = rin.dimension
        fieldOutputDimension = rout.dimension

        // π_S: p sends offset s to p·s (a permutation of the stencil, which P maps to itself).
        let offsets = lattice.stencil(support)
        stencil = offsets
        var position: [[Int]: Int] = [:]
        for (k, s) in offsets.enumerated() { position[s] = k }
        let stencilImages = generators.map { g in
            Permutation(images: offsets.map { Int32(position[CrystallographicLattice.apply(g.matrix, $0)]!) })
        }
        let pi = Representation(permutations: stencilImages, dimension: offsets.count)
        kernelBasis = try IntertwinerSolver.solve(
            input: forSolver(rin), output: .tensor(pi, forSolver(rout)), group: pointGroup, options: options)
        biasBasis = try IntertwinerSolver.solve(
            input: .trivial(generatorCount: generators.count), output: forSolver(rout), group: pointGroup, options: options)
    }

    /// `c*field(ρ)` on a crystallographic group → (c, ρ restricted to the point generators).
    /// - Throws: `SolverError` when the expression is not of that form or ρ is not a point-group
    ///   representation (a translation acts on it).
    public static func pointField(
        group: FiniteGroup, lattice: CrystallographicLattice, _ e: RepresentationExpression, side: String
    ) throws -> (channels: Int, rho: Representation) {
        let (c, given) = try fieldForm(e, side: side)
        // Inside a field, `regular` is the point group's regular representation (escnn's regular
        // fields), not the |G|-dimensional one of the whole group.
        let rho = pointRegularInside(given)
        let full = try group.representation(for: rho)
        for t in 0..<lattice.translationCount where !isIdentity(full, generator: t) {
            throw SolverError.representation("the \(side) field type \(rho) is not a point-group representation (translation \(group.generators[t]) acts on it); use trivial, point, pointRegular, pointSign or expressions of them")
        }
        return (c, restrict(full, to: Array(lattice.translationCount..<group.generatorCount)))
    }

    /// ρ with every `regular` read as `pointRegular`.
    static func pointRegularInside(_ e: RepresentationExpression) -> RepresentationExpression {
        switch e {
        case .named("regular"): return .named("pointRegular")
        case .named, .trivial: return e
        case let .sum(a, b): return .sum(pointRegularInside(a), pointRegularInside(b))
        case let .tensor(a, b): return .tensor(pointRegularInside(a), pointRegularInside(b))
        case let .power(a, k): return .power(pointRegularInside(a), k)
        case let .dual(a): return .dual(pointRegularInside(a))
        case let .sym2(a): return .sym2(pointRegularInside(a))
        case let .alt2(a): return .alt2(pointRegularInside(a))
        }
    }

    /// `c*field(ρ)`, `field(ρ)` (that is `c*(natural*ρ)`, `natural*ρ`) → (c, ρ).
    static func fieldForm(_ e: RepresentationExpression, side: String) throws -> (Int, RepresentationExpression) {
        switch e {
        case let .tensor(.named("natural"), rho): return (1, rho)
        case let .tensor(.trivial(c), .tensor(.named("natural"), rho)): return (c, rho)
        default:
            throw SolverError.representation("the \(side) \(e) is not of the form c*field(ρ): a lattice convolution maps c_in fields of one point-group type to c_out fields of another (write field(ρ1 + ρ2) for mixed fields)")
        }
    }

    static func isIdentity(_ r: Representation, generator g: Int) -> Bool {
        switch r.images {
        case let .permutation(p): return p[g].isIdentity
        case let .signedPermutation(p): return p[g].images.enumerated().allSatisfy { Int($0.element) == $0.offset } && p[g].signs.allSatisfy { $0 == 1 }
        case let .rational(m): return m[g] == RationalMatrix.identity(m[g].rows)
        case let .real(m): return (m[g] - Matrix.identity(m[g].rows)).maxAbs == 0
        }
    }

    static func restrict(_ r: Representation, to generators: [Int]) -> Representation {
        switch r.images {
        case let .permutation(p): return Representation(permutations: generators.map { p[$0] }, dimension: r.dimension)
        case let .signedPermutation(p): return Representation(signedPermutations: generators.map { p[$0] }, dimension: r.dimension)
        case let .rational(m): return Representation(rationalMatrices: generators.map { m[$0] }, dimension: r.dimension)
        case let .real(m): return Representation(realMatrices: generators.map { m[$0] }, dimension: r.dimension)
        }
    }

    /// The dense kernel κ(s) (d_out × d_in, row-major) of basis element j at stencil offset k.
    public func kernel(_ j: Int, offset k: Int) -> [Double] {
        let dOut = fieldOutputDimension, dIn = fieldInputDimension
        var out = [Double](repeating: 0, count: dOut * dIn)
        for e in kernelBasis.elements[j].entries where e.row / dOut == k {
            out[(e.row % dOut) * dIn + e.column] += e.value
        }
        return out
    }

    /// y = layer(θ, bias)(x) for one input of dimension c_in · points · d_in, by direct loops
    /// over points, stencil offsets and channels (periodic), the reference the generated
    /// kernels are checked against.
    /// - Complexity: O(points · |S| · c_out · c_in · d_out · d_in) after forming the kernels.
    public func apply(theta: [Double], bias: [Double], to x: [Double]) -> [Double] {
        precondition(theta.count == weightCount && bias.count == biasCount, "parameter counts")
        let n = points, dIn = fieldInputDimension, dOut = fieldOutputDimension, m = kernelBasis.dimension
        precondition(x.count == inputChannels * n * dIn, "input size")
        let basisKernels = (0..<m).map { j in stencil.indices.map { kernel(j, offset: $0) } }
        let biasVectors = biasBasis.elements.map { e -> [Double] in
            var v = [Double](repeating: 0, count: dOut)
            for entry in e.entries { v[entry.row] += entry.value }
            return v
        }
        let grid = runtimeFields.input  // row-major points, coordinates taken modulo the sides
        var y = [Double](repeating: 0, count: outputChannels * n * dOut)
        for o in 0..<outputChannels {
            var b = [Double](repeating: 0, count: dOut)
            for (j, v) in biasVectors.enumerated() { for r in 0..<dOut { b[r] += bias[o * biasVectors.count + j] * v[r] } }
            for i in 0..<inputChannels {
                // κ_{o,i}(s) = Σ_j θ_{o,i,j} K_j(s)
                var kappa = [[Double]](repeating: [Double](repeating: 0, count: dOut * dIn), count: stencil.count)
                for j in 0..<m {
                    let t = theta[(o * inputChannels + i) * m + j]
                    if t == 0 { continue }
                    for k in stencil.indices { for q in 0..<(dOut * dIn) { kappa[k][q] += t * basisKernels[j][k][q] } }
                }
                for p in 0..<n {
                    let v = grid.coordinates(p)
                    for (k, s) in stencil.enumerated() {
                        let q = grid.index(zip(v, s).map { $0 + $1 })
                        let xin = (i * n + q) * dIn
                        for r in 0..<dOut {
                            var acc = 0.0
                            for a in 0..<dIn { acc += kappa[k][r * dIn + a] * x[xin + a] }
                            y[(o * n + p) * dOut + r] += acc
                        }
                    }
                }
            }
            for p in 0..<n { for r in 0..<dOut { y[(o * n + p) * dOut + r] += b[r] } }
        }
        return y
    }
}
