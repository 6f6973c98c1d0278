import GroupTheory

/// A G-CNN on a wallpaper or space group (issue 21): `generate network wallpaper:p4:8x8 --reps
/// 'field(trivial),2*field(regular),trivial' --support 3`. Every hidden layer is a steerable
/// lattice convolution R_i → R_{i+1} with the exact kernel basis of `generate layer` (one
/// `LatticeLayerEmitter` type per layer, nested in the network), followed by pointwise ReLU; the
/// last layer is either one more convolution (an equivariant head, last rep a field type) or, when
/// the last rep is `trivial` / `m*trivial`, an invariant head: each channel of the last field is
/// averaged over the grid and over each orbit of the point group on its components (the
/// projection onto the invariants of a permutation field), then a linear map to the m outputs.
///
/// Pointwise ReLU commutes with g = (t, p) when ρ(p) permutes the field's components (regular,
/// trivial, pointRegular, quotient fields); on components ρ(p) also negates (pointSign, p4's
/// point) the nonlinearity is pointwise tanh, which is odd. Hidden field types that are not
/// signed permutations are refused (`LatticeNetworkError`): norm and gated nonlinearities on
/// lattice fields are not emitted yet.
///
/// The file conforms to the runtime's `GeneratedNetwork`, so it has the API of every generated
/// network (`init(seed:)`, `forward(batch:count:)`, `backward`, `trainStep`, `loss`,
/// `equivarianceError`, `actOnInput` / `actOnOutput`), and `verify --spec` checks it with
/// `LatticeVerification` over every translation × point element.
///
/// ```swift
/// let e = try LatticeNetworkEmitter(lattice: lattice, expressions: ["field(trivial)", "2*field(regular)", "trivial"], support: 3,
///                                   typeName: "N", header: header)
/// let source = e.source()
/// ```
public struct LatticeNetworkEmitter {
    public let lattice: CrystallographicLattice
    public let expressions: [String]
    public let convolutions: [LatticeConvolution]
    public let layerEmitters: [LatticeLayerEmitter]
    /// The invariant head, when the last representation is `m*trivial`.
    public let head: InvariantHead?
    /// The nonlinearity after each hidden layer.
    public let activationPlans: [ActivationPlan]
    public let typeName: String
    public let header: GeneratedFileHeader
    public let generatorNames: [String]

    /// Mean over the grid and over each point-group orbit of the field components, then a
    /// linear map to `outputs` values.
    public struct InvariantHead: Sendable {
        public let channels: Int
        public let points: Int
        public let fieldDimension: Int
        /// The orbit of each field component (0-based, in order of first appearance); −1 for a
        /// component of an orbit that some element maps to its own negative (no invariant).
        public let orbit: [Int]
        /// ±1: the component's sign in its orbit's invariant (all +1 for a permutation field).
        public let orbitSign: [Int]
        public let orbitCount: Int
        public let outputs: Int
        public var featureCount: Int { channels * orbitCount }
        public var inputDimension: Int { channels * points * fieldDimension }
        public var weightCount: Int { outputs * featureCount }
        public var biasCount: Int { outputs }
    }

    /// `m` when `text` is `trivial` or `m*trivial` (an invariant head), else nil.
    public static func invariantOutputCount(_ text: String) -> Int? {
        guard let e = try? RepresentationExpression(parsing: text) else { return nil }
        return invariantOutputCount(e)
    }

    /// The dimension of `e` when it is a trivial representation (`trivial`, `m*trivial`, sums of them), else nil.
    public static func invariantOutputCount(_ e: RepresentationExpression) -> Int? {
        switch e {
        case .named("trivial"): return 1
        case let .trivial(k): return k
        case let .tensor(a, b): return invariantOutputCount(a).flatMap { x in invariantOutputCount(b).map { x * $0 } }
        case let .sum(a, b): return invariantOutputCount(a).flatMap { x in invariantOutputCount(b).map { x + $0 } }
        default: return nil
        }
    }

    public init(
        lattice: CrystallographicLattice, expressions: [String], support: Int, typeName: String, header: GeneratedFileHeader,
        options: SolverOptions = SolverOptions(), maxDimension: Int = GroupOptions().maxDimension
    ) throws {
        guard expressions.count >= 2 else { throw LatticeNetworkError("--reps needs at least two field types, e.g. --reps 'field(trivial),2*field(regular),trivial'") }
        let invariant = Self.invariantOutputCount(expressions[expressions.count - 1])
        let fieldTexts = invariant == nil ? expressions : Array(expressions.dropLast())
        guard fieldTexts.count >= 2 else {
            throw LatticeNetworkError("an invariant head pools the last hidden field, so --reps needs at least one convolution before it: e.g. --reps '\(expressions[0]),2*field(regular),\(expressions[expressions.count - 1])'")
        }
        let carrier = try LatticeConvolution.pointGroupCarrier(lattice)
        var parsed: [RepresentationExpression] = []
        for (i, text) in fieldTexts.enumerated() {
            let e: RepresentationExpression
            do { e = try RepresentationExpression(parsing: text) } catch { throw LatticeNetworkError("--reps entry \(i + 1) \"\(text)\": \(error)") }
            do { _ = try LatticeConvolution.pointField(group: carrier, lattice: lattice, e, side: "--reps entry \(i + 1)") } catch {
                throw LatticeNetworkError(
                    "\(error) — on a lattice spec every --reps entry is a field type c*field(ρ) (e.g. field(trivial), 4*field(regular)), except the last, which may be trivial or m*trivial for an invariant head")
            }
            parsed.append(e)
        }
        var convs: [LatticeConvolution] = []
        for i in 0..<(parsed.count - 1) {
            do {
                convs.append(
                    try LatticeConvolution(lattice: lattice, input: parsed[i], output: parsed[i + 1], support: support, options: options, maxDimension: maxDimension))
            } catch let error as SolverError {
                throw LatticeNetworkError("layer \(i + 1) (\(fieldTexts[i]) → \(fieldTexts[i + 1])): \(error)")
            }
        }
        // Every hidden field must be a signed permutation field: pointwise ReLU on the components
        // the point group only permutes, pointwise tanh (odd) on those it also negates.
        let hidden = invariant == nil ? convs.count - 1 : convs.count
        var plans: [ActivationPlan] = []
        for i in 0..<hidden {
            guard let perms = Self.signedPermutation(convs[i].pointOutput) else {
                throw LatticeNetworkError(
                    "hidden field type \(fieldTexts[i + 1]) is not a signed permutation representation of the point group (ρ(p) does more than permute and negate its components), so neither pointwise ReLU nor tanh commutes with it; use regular, trivial, pointRegular or pointSign fields for hidden layers (norm and gated nonlinearities on lattice fields are not emitted yet)")
            }
            let classes = Self.classes(perms, dimension: convs[i].fieldOutputDimension)
            let d = convs[i].fieldOutputDimension
            plans.append(ActivationPlan(
                fieldDimension: d, relu: (0..<d).filter { !classes.negated[$0] }, tanh: (0..<d).filter { classes.negated[$0] }))
        }
        activationPlans = plans
        if let m = invariant {
            let last = convs[convs.count - 1]
            let d = last.fieldOutputDimension
            let classes = Self.classes(Self.signedPermutation(last.pointOutput)!, dimension: d)
            guard classes.count > 0 else {
                throw LatticeNetworkError(
                    "the last hidden field type \(fieldTexts[fieldTexts.count - 1]) has no invariant component (the point group negates every one), so an invariant head would be zero; end the hidden layers with a field that has one, e.g. field(regular) or field(trivial + …)")
            }
            head = InvariantHead(
                channels: last.outputChannels, points: last.points, fieldDimension: d, orbit: classes.orbit, orbitSign: classes.sign, orbitCount: classes.count,
                outputs: m)
        } else {
            head = nil
        }
        self.lattice = lattice
        self.expressions = expressions
        self.convolutions = convs
        self.typeName = typeName
        self.header = header
        generatorNames = carrier.generators
        layerEmitters = convs.enumerated().map { i, c in
            LatticeLayerEmitter(
                convolution: c, generatorNames: carrier.generators, typeName: "Layer\(i + 1)", inputExpression: fieldTexts[i], outputExpression: fieldTexts[i + 1],
                header: header)
        }
    }

    /// The nonlinearity after a hidden layer: ReLU on the field components in `relu`, tanh on
    /// those in `tanh` (each index is a component a of every channel and grid point).
    public struct ActivationPlan: Sendable {
        public let fieldDimension: Int
        public let relu: [Int]
        public let tanh: [Int]
        public var summary: String {
            if tanh.isEmpty { return LatticeNetworkEmitter.reluSummary }
            if relu.isEmpty { return "pointwise tanh (ρ permutes and negates the field components)" }
            return "pointwise ReLU on the components ρ only permutes (\(relu.map(String.init).joined(separator: " ")) of each field), tanh on those it negates"
        }
    }

    /// The images of the generators as signed permutations (component a ↦ sign · e_target) when
    /// ρ has exact monomial images with entries ±1, else nil.
    static func signedPermutation(_ rho: Representation) -> [[(target: Int, sign: Int)]]? {
        guard let images = rho.rationalImages else { return nil }
        let d = rho.dimension
        var result: [[(target: Int, sign: Int)]] = []
        for m in images {
            var perm: [(target: Int, sign: Int)] = []
            for column in 0..<d {
                var entry: (target: Int, sign: Int)?
                for row in 0..<d {
                    let v = m.elements[row * d + column]
                    if v == Rational(0) { continue }
                    guard entry == nil, v == Rational(1) || v == Rational(-1) else { return nil }
                    entry = (row, v == Rational(1) ? 1 : -1)
                }
                guard let entry else { return nil }
                perm.append(entry)
            }
            guard Set(perm.map(\.target)).count == d else { return nil }
            result.append(perm)
        }
        return result
    }

    /// Orbits of the components under signed permutations (union-find with parity): whether the
    /// orbit of each component contains a negation (`negated`), and for the orbits that never map
    /// a component to its own negative, their index (`orbit`, −1 otherwise, numbered in order of
    /// first component) and each component's sign in the orbit's invariant Σ sign_a f_a.
    static func classes(_ perms: [[(target: Int, sign: Int)]], dimension d: Int) -> (orbit: [Int], sign: [Int], count: Int, negated: [Bool]) {
        var parent = Array(0..<d), parity = [Int](repeating: 1, count: d)
        var contradictory = [Bool](repeating: false, count: d), negative = [Bool](repeating: false, count: d)
        func find(_ a: Int) -> (root: Int, parity: Int) {
            var a = a, p = 1
            while parent[a] != a { p *= parity[a]; a = parent[a] }
            return (a, p)
        }
        for perm in perms {
            for a in 0..<d {
                let (b, s) = perm[a]
                let (ra, pa) = find(a), (rb, pb) = find(b)
                if ra == rb {
                    if pa * s != pb { contradictory[ra] = true }
                } else {
                    parent[rb] = ra
                    parity[rb] = pa * s * pb
                    contradictory[ra] = contradictory[ra] || contradictory[rb]
                    negative[ra] = negative[ra] || negative[rb]
                }
                if s < 0 { negative[find(a).root] = true }
            }
        }
        var label: [Int: Int] = [:], orbit: [Int] = [], sign: [Int] = [], negated: [Bool] = []
        for a in 0..<d {
            let (r, p) = find(a)
            negated.append(negative[r])
            if contradictory[r] {
                orbit.append(-1)
                sign.append(0)
                continue
            }
            if label[r] == nil { label[r] = label.count }
            orbit.append(label[r]!)
            sign.append(p)
        }
        return (orbit, sign, label.count, negated)
    }

    public var groupName: String { layerEmitters[0].groupName }
    public var groupOrder: String { layerEmitters[0].groupOrder }
    public var inputDimension: Int { layerEmitters[0].inputDimension }
    public var outputDimension: Int { head?.outputs ?? layerEmitters[layerEmitters.count - 1].outputDimension }
    public var dimensions: [Int] { [inputDimension] + layerEmitters.map(\.outputDimension) + (head.map { [$0.outputs] } ?? []) }
    public var layerCount: Int { convolutions.count + (head == nil ? 0 : 1) }
    public var weightCount: Int { convolutions.reduce(0) { $0 + $1.weightCount } + (head?.weightCount ?? 0) }
    public var biasCount: Int { convolutions.reduce(0) { $0 + $1.biasCount } + (head?.biasCount ?? 0) }
    /// Number of hidden nonlinearities (one after every convolution but an equivariant last one).
    public var hiddenCount: Int { layerCount - 1 }
    public static let reluSummary = "pointwise ReLU (ρ permutes the field components)"

    /// The whole file (deterministic bytes).
    public func source() -> String {
        var p = CodePrinter()
        let c = SwiftIdentifier.commentText
        let lit = SwiftIdentifier.stringLiteral
        let dims = dimensions.map(String.init).joined(separator: " → ")
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: header.toolVersion, describing: "an equivariant network (a G-CNN of steerable lattice convolutions); imports ArchSynthRuntime (product of the archsynth package).", command: header.command))
            // Spec: \(c(header.spec)) (group \(c(groupName)), order \(groupOrder))
            // Representations: \(c(expressions.joined(separator: " → "))) (dimensions \(dims))
            """)
        for (i, conv) in convolutions.enumerated() {
            p.print("// Layer \(i + 1): \(c(expressions[i])) → \(c(expressions[i + 1])), \(conv.weightCount) weights, \(conv.biasCount) bias; lattice-convolution (stencil width \(conv.stencilWidth), \(conv.kernelBasis.dimension) kernel basis elements per channel pair); certificate \(c(conv.kernelBasis.crossCheck.certificate))")
            if i < hiddenCount { p.print("// Nonlinearity after layer \(i + 1) (\(c(expressions[i + 1]))): \(c(activationPlans[i].summary))") }
        }
        if let h = head {
            p.print("// Layer \(layerCount): \(c(expressions[layerCount - 1])) → \(c(expressions[layerCount])), \(h.weightCount) weights, \(h.biasCount) bias; invariant pooling (mean over the grid and over the \(h.orbitCount) point-group orbit\(h.orbitCount == 1 ? "" : "s") of each channel's \(h.fieldDimension) components), then linear")
            p.print("// Head: invariant (the last layer pools onto the trivial representation)")
        } else {
            p.print("// Head: equivariant (the last layer is a lattice convolution onto \(c(expressions[expressions.count - 1])))")
        }
        p.print("// Parameters: \(weightCount) weights, \(biasCount) bias parameters (0 of them gate biases)")
        p.print("// Type: \(typeName)")
        p.print("import ArchSynthRuntime")
        p.print()
        p.print("""
            /// A G-CNN f = L_\(layerCount) ∘ σ ∘ … ∘ σ ∘ L_1: steerable lattice convolutions L_i (exact kernel bases) and pointwise
            /// ReLU σ on permutation fields (tanh on negated components), so f(g·x) = g·f(x) for every translation × point element g\(head == nil ? "" : "; the last layer pools onto invariants, so f(g·x) = f(x)").
            /// Column vectors; batches are row-major (`count` rows of `inputDimension` values).
            /// The parameter API, passes, losses and `trainStep` come from ArchSynthRuntime's `GeneratedNetwork`.
            """)
        let layers = (1...layerCount).map { "layer\($0)" }
        let types = (1...layerCount).map { head != nil && $0 == layerCount ? "Head" : "Layer\($0)" }
        p.block("public struct \(typeName): \(GeneratedModelAPI.networkConformances)") { p in
            p.print("""
                \(GeneratedModelAPI.identity(groupName: groupName, groupOrder: groupOrder, generatorNames: generatorNames))
                /// ρ_0 → ρ_1 → … → ρ_L as given to `--reps`, their dimensions, and the nonlinearity after each hidden layer.
                public static let representations: [String] = [\(expressions.map(lit).joined(separator: ", "))]
                public static let dimensions: [Int] = [\(dimensions.map(String.init).joined(separator: ", "))]
                public static let nonlinearities: [String] = [\(activationPlans.map { lit($0.summary) }.joined(separator: ", "))]
                public static let inputRepresentation = \(lit(expressions[0]))
                public static let outputRepresentation = \(lit(expressions[expressions.count - 1]))
                public static let inputDimension = \(inputDimension)
                public static let outputDimension = \(outputDimension)
                public static let layerCount = \(layerCount)
                /// Every layer's θ, then every layer's bias parameters (no gate biases: every nonlinearity is pointwise ReLU or tanh).
                public static let weightCount = \(weightCount)
                public static let biasCount = \(biasCount)
                public static let gateCount = 0
                /// True when every generator acts as the identity on the output (an invariant head).
                public static let isInvariant = \(head != nil)
                public typealias Loss = \(head != nil ? "InvariantHeadLoss" : "EquivariantHeadLoss")
                public typealias Optimizer = GeneratedNetworkOptimizer
                /// The input's field type on the grid (what `verify` acts with).
                public static let inputFields = Layer1.inputFields
                """)
            if head == nil { p.print("public static let outputFields = Layer\(layerCount).outputFields") }
            p.print("""
                public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { Layer1.actOnInput(generator: g, x) }
                public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { \(head == nil ? "Layer\(layerCount).actOnOutput(generator: g, y)" : "y") }

                public private(set) var \(zip(layers, types).map { "\($0): \($1)" }.joined(separator: ", "))
                public let gates: [Float] = []
                public var _adam = Adam()
                public init(_parameters p: inout GeneratedNetworkParameters) {
                    \(types.enumerated().map { "layer\($0.offset + 1) = p.next(\($0.element).self, seeded: { \($0.element)(seed: $0) })" }.joined(separator: "\n    "))
                }
                public var _layerParameters: [(weights: [Float], bias: [Float])] { [\(layers.map { "(\($0).weights, \($0).bias)" }.joined(separator: ", "))] }
                """)
            for s in ["Float", "Double"] {
                p.print("public func _layer(_ i: Int, forward x: [\(s)], count: Int) -> [\(s)] {")
                p.print("    switch i { \(cases(layers) { "\($0).forward(batch: x, count: count)" }) }")
                p.print("}")
                p.print("public func _layer(_ i: Int, backward x: [\(s)], _ dy: [\(s)], count: Int) -> (weights: [\(s)], bias: [\(s)], input: [\(s)]) {")
                p.print("    switch i { \(cases(layers) { "\($0).backward(batch: x, outputGradient: dy, count: count)" }) }")
                p.print("}")
            }
            let mixed = activationPlans.contains { !$0.tanh.isEmpty }
            p.print("/// The nonlinearity after each hidden layer: pointwise ReLU on the field components the point group only permutes,")
            p.print("/// tanh on those it negates (component a of every channel and grid point: index % d == a).")
            p.print("public static let _activations: [EquivariantActivation] = [")
            p.withIndentation { p in
                for (h, plan) in activationPlans.enumerated() {
                    let n = layerEmitters[h].outputDimension, d = plan.fieldDimension
                    func list(_ keep: [Int]) -> String {
                        keep.count == d ? "Array(0..<\(n))" : keep.isEmpty ? "[]" : "_components(\(n), \(d), [\(keep.map(String.init).joined(separator: ", "))])"
                    }
                    p.print("EquivariantActivation(dimension: \(n), gateOffset: 0, reluIndex: \(list(plan.relu)), tanhIndex: \(list(plan.tanh)), normStart: [0], normIndex: []),")
                }
            }
            p.print("]")
            if mixed {
                p.print("/// The indices i < n with i % d in `keep`.")
                p.print("static func _components(_ n: Int, _ d: Int, _ keep: [Int]) -> [Int32] { (0..<n).filter { keep.contains($0 % d) }.map { Int32($0) } }")
            }
            for e in layerEmitters {
                p.print()
                e.printLayer(into: &p)
            }
            if let h = head {
                p.print()
                printHead(h, into: &p)
            }
        }
        return p.content
    }

    private func cases(_ layers: [String], _ body: (String) -> String) -> String {
        layers.enumerated().map { i, l in (i == layers.count - 1 ? "default" : "case \(i)") + ": " + body(l) }.joined(separator: "; ")
    }

    private func printHead(_ h: InvariantHead, into p: inout CodePrinter) {
        let last = "Layer\(convolutions.count)"
        var sizes = [Int](repeating: 0, count: h.orbitCount)
        for o in h.orbit where o >= 0 { sizes[o] += 1 }
        p.print("""
            /// The invariant head: z_{c,o} = mean over grid points x and components a in orbit o of f_c(x)_a (the point group
            /// permutes the components within each orbit, and a translation permutes the grid points, so z is invariant), then
            /// y = W z + b. W is `outputDimension` × `featureCount`, row-major, in `weights`.
            """)
        p.block("public struct Head: Sendable, GeneratedEquivariantModel") { p in
            p.print("""
                public static let generatorNames = \(typeName).generatorNames
                public static let groupOrder = \(typeName).groupOrder
                public static let channels = \(h.channels)
                public static let points = \(h.points)
                public static let fieldDimension = \(h.fieldDimension)
                /// The point-group orbit of each field component, and each orbit's size.
                static let orbit: [Int] = [\(h.orbit.map(String.init).joined(separator: ", "))]
                /// The component's sign in its orbit's invariant (0 for components of no invariant).
                static let orbitSign: [Double] = [\(h.orbitSign.map { "\($0)" }.joined(separator: ", "))]
                static let orbitSize: [Double] = [\(sizes.map { "\($0)" }.joined(separator: ", "))]
                public static let featureCount = \(h.featureCount)
                public static let inputDimension = \(h.inputDimension)
                public static let outputDimension = \(h.outputs)
                public static let weightCount = \(h.weightCount)
                public static let biasCount = \(h.biasCount)
                /// Bound a of the initializer θ ~ U(−a, a) (unit output variance for unit-variance features).
                public static var initializationBound: Double { (3.0 / Double(featureCount)).squareRoot() }
                public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { \(last).outputFields.act(generator: g, x) }
                public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { y }

                public var weights: [Float]
                public var bias: [Float]

                public init(weights: [Float], bias: [Float]) {
                    precondition(weights.count == Self.weightCount, "expected \\(Self.weightCount) weights, got \\(weights.count)")
                    precondition(bias.count == Self.biasCount, "expected \\(Self.biasCount) biases, got \\(bias.count)")
                    self.weights = weights
                    self.bias = bias
                }

                /// Seeded initializer: θ ~ U(−a, a) with a = `initializationBound` (SplitMix64), bias 0.
                public init(seed: UInt64) {
                    var rng = RuntimeRandom(seed: seed)
                    let a = Self.initializationBound
                    self.init(weights: (0..<Self.weightCount).map { _ in Float((rng.unit() * 2 - 1) * a) }, bias: [Float](repeating: 0, count: Self.biasCount))
                }

                /// The invariant features z of sample n (channel-major, `featureCount` values).
                static func pool<S: BinaryFloatingPoint>(_ x: [S], sample n: Int) -> [Double] {
                    var z = [Double](repeating: 0, count: featureCount)
                    let d = fieldDimension, k = orbitSize.count
                    for c in 0..<channels {
                        let base = (n * channels + c) * points * d
                        for i in 0..<(points * d) where orbit[i % d] >= 0 { z[c * k + orbit[i % d]] += orbitSign[i % d] * Double(x[base + i]) }
                        for o in 0..<k { z[c * k + o] /= Double(points) * orbitSize[o] }
                    }
                    return z
                }

                public func forward(_ x: [Float]) -> [Float] { forward(batch: x, count: 1) }
                public func forward(_ x: [Double]) -> [Double] { forward(batch: x, count: 1) }

                public func forward<S: BinaryFloatingPoint>(batch: [S], count: Int) -> [S] {
                    precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \\(Self.inputDimension) values")
                    let m = Self.outputDimension, f = Self.featureCount
                    var y = [S](repeating: 0, count: count * m)
                    for n in 0..<count {
                        let z = Self.pool(batch, sample: n)
                        for o in 0..<m {
                            var acc = Double(bias[o])
                            for j in 0..<f { acc += Double(weights[o * f + j]) * z[j] }
                            y[n * m + o] = S(acc)
                        }
                    }
                    return y
                }

                /// Gradients of ⟨outputGradient, head(input)⟩: W and b summed over the batch, the input per row.
                public func backward<S: BinaryFloatingPoint>(batch: [S], outputGradient: [S], count: Int) -> (weights: [S], bias: [S], input: [S]) {
                    precondition(count >= 0 && batch.count == count * Self.inputDimension, "batch must hold count × \\(Self.inputDimension) values")
                    precondition(outputGradient.count == count * Self.outputDimension, "outputGradient must hold count × \\(Self.outputDimension) values")
                    let m = Self.outputDimension, f = Self.featureCount, d = Self.fieldDimension, k = Self.orbitSize.count
                    var dw = [Double](repeating: 0, count: Self.weightCount), db = [Double](repeating: 0, count: m)
                    var dx = [S](repeating: 0, count: batch.count)
                    for n in 0..<count {
                        let z = Self.pool(batch, sample: n)
                        var dz = [Double](repeating: 0, count: f)
                        for o in 0..<m {
                            let g = Double(outputGradient[n * m + o])
                            db[o] += g
                            for j in 0..<f { dw[o * f + j] += g * z[j]; dz[j] += g * Double(weights[o * f + j]) }
                        }
                        for c in 0..<Self.channels {
                            let base = (n * Self.channels + c) * Self.points * d
                            for i in 0..<(Self.points * d) {
                                let o = Self.orbit[i % d]
                                if o >= 0 { dx[base + i] = S(Self.orbitSign[i % d] * dz[c * k + o] / (Double(Self.points) * Self.orbitSize[o])) }
                            }
                        }
                    }
                    return (dw.map { S($0) }, db.map { S($0) }, dx)
                }
                """)
        }
    }
}

extension LatticeNetworkEmitter {
    /// Checks the learnable parameters, counted saturating (up to 999,999,999 fields per `--reps`
    /// entry), against `limits` (`--max-parameters`) before anything is printed. Each side's
    /// dimension was already checked when the convolutions were built (`maxDimension`). Throws
    /// `LatticeNetworkError` or `GenerationLimitError`, each naming the fix.
    public func checkParameters(limits: GenerationLimits) throws {
        func add(_ a: Int, _ b: Int) -> Int { let (s, o) = a.addingReportingOverflow(b); return o ? Int.max : s }
        let parameters = convolutions.reduce(add(head?.weightCount ?? 0, head?.biasCount ?? 0)) { total, c in
            add(total, add(GenerationLimits.product(c.inputChannels, c.outputChannels, c.kernelBasis.dimension), GenerationLimits.product(c.outputChannels, c.biasBasis.dimension)))
        }
        guard parameters < Int.max else {
            throw LatticeNetworkError("the lattice network would have more learnable parameters than a 64-bit integer counts; use fewer fields")
        }
        try limits.check(parameters: parameters, what: "the lattice network")
    }
}

/// A lattice network that cannot be built as asked (the CLI reports it as a usage error).
public struct LatticeNetworkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
