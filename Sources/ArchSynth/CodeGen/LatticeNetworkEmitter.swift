import ArchSynthRuntime
import GroupTheory

/// A G-CNN on a wallpaper or space group (issue 21): `generate network wallpaper:p4:8x8 --reps
/// 'field(trivial),2*field(regular),trivial' --support 3`. Every hidden layer is a steerable
/// lattice convolution R_i → R_{i+1} with the exact kernel basis of `generate layer` (one
/// `LatticeLayerEmitter` type per layer, nested in the network), followed by a nonlinearity; the
/// last layer is either one more convolution (an equivariant head, last rep a field type) or, when
/// the last rep is `trivial` / `m*trivial`, an invariant head: each channel of the last field is
/// averaged over the grid and over each orbit of the point group on its components (the
/// projection onto the invariants of a permutation field), then a linear map to the m outputs.
///
/// Nonlinearities (`LatticeNonlinearity`, one per hidden layer): pointwise ReLU commutes with
/// g = (t, p) when ρ(p) permutes the field's components (regular, trivial, pointRegular, quotient
/// fields); on components ρ(p) also negates (pointSign, p4's point) pointwise tanh, which is odd;
/// on any field the norm nonlinearities (ReLU or sigmoid of ‖v‖ − b, with the invariant norm) and
/// the gated one (sigmoid(γ)·v, the convolution emitting c*field(ρ + trivial) so each field has its
/// gate γ) of the runtime's `LatticeFieldNonlinearity`. A pointwise request on a field it does not
/// commute with is refused (`LatticeNetworkError`).
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
    /// The pooling stride of each field of `--reps` (1: none; `pool(s)` after a field pools it by s).
    public let strides: [Int]
    /// The grid of each field before its pooling, then the grid after the last field's pooling.
    public let grids: [CrystallographicLattice]
    /// c and d of each field c*field(ρ) of `--reps` (the head's entry excluded).
    public let fieldChannels: [Int]
    public let fieldDimensions: [Int]
    /// The product of the strides: the network is equivariant to translations by it (and the
    /// point group about the kernel's center), `LatticeStridedPooling`'s law.
    public var totalStride: Int { strides.reduce(1, *) }
    /// The kernel of every `pool(s)`: the block mean (point group about the block center) where
    /// the point group is made of signed permutations (square and cubic lattices), else the
    /// point-group-symmetrized block weight (point group about the origin; p6, p6m, p3, …).
    /// Several pools share it, so their composition has the same law with the product stride.
    public var poolingKernel: LatticeStridedPooling.Kernel { .standard(for: lattice.pointGenerators.map(\.matrix)) }

    /// How `pool(s)` pools, in words: "the mean over s^d blocks" or the symmetrized kernel.
    func poolingSummary(_ s: Int) -> String {
        poolingKernel == .blockMean
            ? "the mean over \(s)^\(lattice.sides.count) blocks"
            : "the point-group-symmetrized block mean (weights #{h : h⁻¹u ∈ {0..\(s - 1)}^\(lattice.sides.count)}/|H|, about the origin)"
    }

    /// s for a `pool(s)` entry of `--reps`, nil for any other entry.
    /// - Throws: `LatticeNetworkError` for `pool(…)` without a positive integer.
    public static func poolStride(_ text: String) throws -> Int? {
        let t = text.filter { !$0.isWhitespace }
        guard t.hasPrefix("pool(") else { return nil }
        guard t.hasSuffix(")"), let s = Int(t.dropFirst(5).dropLast()), s >= 1 else {
            throw LatticeNetworkError("\(text) is not pool(s) with s a positive integer stride, such as pool(2)")
        }
        return s
    }

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

    /// - Parameter nonlinearities: one per hidden layer, or one for all of them (see
    ///   `LatticeNonlinearity`): `auto`, `relu`, `tanh`, `norm-relu` (`norm`), `norm-sigmoid`, `gated`.
    public init(
        lattice: CrystallographicLattice, expressions: [String], support: Int, typeName: String, header: GeneratedFileHeader,
        nonlinearities: [String] = ["auto"], options: SolverOptions = SolverOptions(), maxDimension: Int = GroupOptions().maxDimension
    ) throws {
        guard expressions.count >= 2 else { throw LatticeNetworkError("--reps needs at least two field types, e.g. --reps 'field(trivial),2*field(regular),trivial'") }
        // `pool(s)` entries pool the field before them (after its nonlinearity) by s.
        var entries: [String] = [], strides: [Int] = []
        for (k, text) in expressions.enumerated() {
            guard let s = try Self.poolStride(text) else { entries.append(text); strides.append(1); continue }
            guard !entries.isEmpty, k < expressions.count - 1 else {
                throw LatticeNetworkError("--reps entry \(k + 1) \(text) pools the field before it onto a coarser grid, so it goes between two field types, e.g. --reps 'field(trivial),4*field(regular),pool(2),4*field(regular),trivial'")
            }
            strides[strides.count - 1] *= s
        }
        guard entries.count >= 2 else { throw LatticeNetworkError("--reps needs at least two field types besides pool(s) entries, e.g. --reps 'field(trivial),2*field(regular),trivial'") }
        let invariant = Self.invariantOutputCount(entries[entries.count - 1])
        let fieldTexts = invariant == nil ? entries : Array(entries.dropLast())
        guard fieldTexts.count >= 2 else {
            throw LatticeNetworkError("an invariant head pools the last hidden field, so --reps needs at least one convolution before it: e.g. --reps '\(expressions[0]),2*field(regular),\(expressions[expressions.count - 1])'")
        }
        let carrier = try LatticeConvolution.pointGroupCarrier(lattice)
        var parsed: [RepresentationExpression] = []
        var fields: [(channels: Int, rho: Representation)] = []
        for (i, text) in fieldTexts.enumerated() {
            let e: RepresentationExpression
            do { e = try RepresentationExpression(parsing: text) } catch { throw LatticeNetworkError("--reps entry \(i + 1) \"\(text)\": \(error)") }
            do { fields.append(try LatticeConvolution.pointField(group: carrier, lattice: lattice, e, side: "--reps entry \(i + 1)")) } catch {
                throw LatticeNetworkError(
                    "\(error) — on a lattice spec every --reps entry is a field type c*field(ρ) (e.g. field(trivial), 4*field(regular)), except the last, which may be trivial or m*trivial for an invariant head")
            }
            parsed.append(e)
        }
        // The grid of each field (before its pooling) and of each convolution (after it).
        var grids: [CrystallographicLattice] = [lattice]
        for (i, s) in strides.prefix(fieldTexts.count).enumerated() {
            let fine = grids[i]
            guard s > 1 else { grids.append(fine); continue }
            let probe = LatticeFieldType(
                sides: fine.sides, channels: 1, fieldDimension: 1, pointGenerators: fine.pointGenerators.map(\.matrix), generatorImages: fine.pointGenerators.map { _ in [1] })
            if let problem = LatticeStridedPooling.problem(input: probe, stride: s) {
                throw LatticeNetworkError("pool(\(s)) after --reps field \(fieldTexts[i]): \(problem)")
            }
            let coarse = "\(fine.kind):\(fine.pointGroup):\(fine.sides.map { String($0 / s) }.joined(separator: "x"))"
            do { _ = try GroupSpec.builtin(coarse) } catch {
                throw LatticeNetworkError("pool(\(s)) after --reps field \(fieldTexts[i]) gives the grid \(coarse): \(error)")
            }
            grids.append(Self.lattice(coarse))
        }
        // One nonlinearity per hidden field (after every convolution but an equivariant last one).
        let hidden = invariant == nil ? fieldTexts.count - 2 : fieldTexts.count - 1
        let requests = try LatticeNonlinearity.requests(nonlinearities, hiddenCount: hidden)
        var plans: [ActivationPlan] = []
        for i in 0..<hidden {
            plans.append(
                try ActivationPlan(
                    request: requests[i], rho: fields[i + 1].rho, channels: fields[i + 1].channels, points: grids[i + 1].sides.reduce(1, *),
                    fieldText: fieldTexts[i + 1], beforeInvariantHead: invariant != nil && i == hidden - 1))
        }
        // A gated layer's convolution also produces each field's gate: c*field(ρ + trivial).
        var convs: [LatticeConvolution] = []
        var outputTexts: [String] = []
        for i in 0..<(parsed.count - 1) {
            var output = parsed[i + 1], outputText = fieldTexts[i + 1]
            if i < hidden, plans[i].field == .gated {
                let (c, rho) = try LatticeConvolution.fieldForm(parsed[i + 1], side: "--reps entry \(i + 2)")
                let gatedField = RepresentationExpression.tensor(.named("natural"), .sum(rho, .named("trivial")))
                output = c == 1 ? gatedField : .tensor(.trivial(c), gatedField)
                outputText = "\(c)*field(\(rho) + trivial)"
            }
            do {
                convs.append(
                    try LatticeConvolution(lattice: grids[i + 1], input: parsed[i], output: output, support: support, options: options, maxDimension: maxDimension))
            } catch let error as SolverError {
                throw LatticeNetworkError("layer \(i + 1) (\(fieldTexts[i]) → \(outputText)): \(error)")
            }
            outputTexts.append(outputText)
        }
        activationPlans = plans
        if let m = invariant {
            let last = convs[convs.count - 1]
            let d = last.fieldOutputDimension
            guard let perms = Self.signedPermutation(last.pointOutput) else {
                throw LatticeNetworkError(
                    "the last hidden field type \(fieldTexts[fieldTexts.count - 1]) is not a signed permutation representation of the point group, so the invariant head (a mean over the grid and over the orbits of the field components) has no components to pool; end the hidden layers with a regular, trivial or pointRegular field, e.g. --reps '…,4*field(regular),\(expressions[expressions.count - 1])'")
            }
            let classes = Self.classes(perms, dimension: d)
            guard classes.count > 0 else {
                throw LatticeNetworkError(
                    "the last hidden field type \(fieldTexts[fieldTexts.count - 1]) has no invariant component (the point group negates every one), so an invariant head would be zero; end the hidden layers with a field that has one, e.g. field(regular) or field(trivial + …)")
            }
            head = InvariantHead(
                channels: last.outputChannels, points: grids[grids.count - 1].sides.reduce(1, *), fieldDimension: d, orbit: classes.orbit, orbitSign: classes.sign, orbitCount: classes.count,
                outputs: m)
        } else {
            head = nil
        }
        self.lattice = lattice
        self.expressions = expressions
        self.convolutions = convs
        self.strides = Array(strides.prefix(fieldTexts.count))
        self.grids = grids
        fieldChannels = fields.map { $0.channels }
        fieldDimensions = fields.map { $0.rho.dimension }
        self.typeName = typeName
        self.header = header
        generatorNames = carrier.generators
        layerEmitters = convs.enumerated().map { i, c in
            LatticeLayerEmitter(
                convolution: c, generatorNames: carrier.generators, typeName: "Layer\(i + 1)", inputExpression: fieldTexts[i], outputExpression: outputTexts[i],
                header: header)
        }
    }

    /// The lattice of a family text that `GroupSpec.builtin` accepted.
    static func lattice(_ text: String) -> CrystallographicLattice {
        guard let l = CrystallographicLattice(origin: text) else { preconditionFailure("\(text) was accepted as a family but has no lattice") }
        return l
    }

    /// The nonlinearity after a hidden layer: pointwise ReLU on the field components in `relu`,
    /// tanh on those in `tanh` (each index is a component a of every channel and grid point), or a
    /// norm or gated nonlinearity on whole fields (`field`).
    public struct ActivationPlan: Sendable {
        public let fieldDimension: Int
        public let relu: [Int]
        public let tanh: [Int]
        /// The norm or gated nonlinearity on whole fields, nil for pointwise ones.
        public let field: LatticeFieldNonlinearity.Kind?
        /// The invariant metric M (d × d, row-major) of a norm nonlinearity; empty for M = I.
        public let metric: [Double]
        public let channels: Int
        public let points: Int
        /// The learned biases (one per channel for a norm nonlinearity).
        public var biasCount: Int { field == .normReLU || field == .normSigmoid ? channels : 0 }
        public var summary: String {
            let metricNote = metric.isEmpty ? "" : "; ‖v‖² = vᵀMv with the invariant M, as ρ is not orthogonal"
            switch field {
            case .normReLU?: return "norm ReLU v ↦ ReLU(‖v‖ − |b|)·v/‖v‖ per field (one b per channel\(metricNote))"
            case .normSigmoid?: return "norm sigmoid v ↦ sigmoid(‖v‖ − b)·v per field (one b per channel\(metricNote))"
            case .gated?: return "gated (v, γ) ↦ sigmoid(γ)·v per field (the convolution adds one trivial gate γ per field)"
            case nil: break
            }
            if tanh.isEmpty { return LatticeNetworkEmitter.reluSummary }
            if relu.isEmpty { return "pointwise tanh (ρ permutes and negates the field components)" }
            return "pointwise ReLU on the components ρ only permutes (\(relu.map(String.init).joined(separator: " ")) of each field), tanh on those it negates"
        }

        /// Plans `request` for c fields of type ρ (named `fieldText` in errors).
        init(
            request: LatticeNonlinearity, rho: Representation, channels: Int, points: Int, fieldText: String, beforeInvariantHead: Bool
        ) throws {
            let d = rho.dimension
            fieldDimension = d
            self.channels = channels
            self.points = points
            let perms = LatticeNetworkEmitter.signedPermutation(rho)
            let negated = perms.map { LatticeNetworkEmitter.classes($0, dimension: d).negated }
            var kind: LatticeFieldNonlinearity.Kind?
            switch request {
            case .auto:
                kind = perms == nil ? .normReLU : nil
            case .relu:
                guard let negated, !negated.contains(true) else {
                    let why = negated.map { n in "negates components \(n.indices.filter { n[$0] }.map(String.init).joined(separator: " "))" }
                        ?? "mixes its components (it is not a permutation)"
                    throw LatticeNetworkError(
                        "--nonlinearity relu does not fit the hidden field type \(fieldText): ρ(p) \(why), and a pointwise ReLU only commutes with permutations; use norm-relu, norm-sigmoid or gated for this layer (or auto)")
                }
            case .tanh:
                guard perms != nil else {
                    throw LatticeNetworkError(
                        "--nonlinearity tanh does not fit the hidden field type \(fieldText): ρ(p) mixes its components (it is not a signed permutation), and a pointwise odd function only commutes with signed permutations; use norm-relu, norm-sigmoid or gated for this layer (or auto)")
                }
                kind = nil
            case let .field(k):
                kind = k
            }
            if kind == .gated && beforeInvariantHead {
                throw LatticeNetworkError(
                    "--nonlinearity gated on the last hidden field type \(fieldText), before the invariant head, is not supported: the head pools the convolution's fields; add one more convolution to regular fields (relu) after the gated layer")
            }
            field = kind
            if kind == nil, let negated {
                relu = request == .tanh ? [] : (0..<d).filter { !negated[$0] }
                tanh = request == .tanh ? Array(0..<d) : (0..<d).filter { negated[$0] }
            } else {
                relu = []
                tanh = []
            }
            metric = kind == .normReLU || kind == .normSigmoid ? LatticeNetworkEmitter.invariantMetric(rho) : []
        }
    }

    /// M = (1/|P|) Σ_p ρ(p)ᵀρ(p), an inner product every ρ(p) preserves (ρ(p)ᵀMρ(p) = M), over the
    /// elements of P generated by ρ's generator images; empty when M = I (ρ orthogonal).
    /// - Complexity: O(|P|² · d²+ |P| · d³) with |P| ≤ 48.
    static func invariantMetric(_ rho: Representation) -> [Double] {
        let d = rho.dimension
        let generators = rho.realImages.map(\.elements)
        func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
            var c = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for k in 0..<d where a[i * d + k] != 0 { for j in 0..<d { c[i * d + j] += a[i * d + k] * b[k * d + j] } } }
            return c
        }
        func same(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0)) } }
        let identity = (0..<(d * d)).map { $0 / d == $0 % d ? 1.0 : 0.0 }
        var elements: [[Double]] = [identity]
        var frontier = 0
        while frontier < elements.count {
            for g in generators {
                let next = multiply(g, elements[frontier])
                if !elements.contains(where: { same($0, next) }) { elements.append(next) }
            }
            frontier += 1
            precondition(elements.count <= 10_000, "invariantMetric: the point group's images generate more than 10,000 matrices")
        }
        var m = [Double](repeating: 0, count: d * d)
        for e in elements {
            for i in 0..<d { for j in 0..<d { for r in 0..<d { m[i * d + j] += e[r * d + i] * e[r * d + j] } } }
        }
        m = m.map { $0 / Double(elements.count) }
        return same(m, identity) ? [] : m
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

    /// One layer of the network: a convolution (index into `convolutions`), the pooling of a field
    /// (index into the fields of `--reps`), or the invariant head.
    public enum Stage: Sendable, Equatable {
        case convolution(Int), pool(field: Int), head
    }

    /// The layers in order: for each field, its pooling (if any), then the convolution from it;
    /// then the head.
    public var stages: [Stage] {
        var result: [Stage] = []
        for (i, s) in strides.enumerated() {
            if s > 1 { result.append(.pool(field: i)) }
            if i < convolutions.count { result.append(.convolution(i)) }
        }
        return result + (head == nil ? [] : [.head])
    }

    /// The Swift type of each stage: `Layer1`…, `Pool1`…, `Head`.
    public var stageTypes: [String] {
        var pools = 0
        return stages.map { stage in
            switch stage {
            case let .convolution(i): return "Layer\(i + 1)"
            case .pool: pools += 1; return "Pool\(pools)"
            case .head: return "Head"
            }
        }
    }

    /// c · points · d of field i of `--reps` on its grid before pooling.
    func fieldDimension(_ i: Int) -> Int { fieldChannels[i] * grids[i].sides.reduce(1, *) * fieldDimensions[i] }

    /// The input dimension of each stage.
    var stageInputDimensions: [Int] {
        stages.map { stage in
            switch stage {
            case let .convolution(i): return layerEmitters[i].inputDimension
            case let .pool(field): return fieldDimension(field)
            case .head: return head!.inputDimension
            }
        }
    }

    public var groupName: String { layerEmitters[0].groupName }
    /// |G| of the group the network is equivariant to: (output grid points) · |P| (with pooling,
    /// the coarse translations × the point group about the kernel's center).
    public var groupOrder: String { String(grids[grids.count - 1].sides.reduce(1, *) * lattice.pointOrder) }
    public var inputDimension: Int { stageInputDimensions[0] }
    public var outputDimension: Int { head?.outputs ?? layerEmitters[layerEmitters.count - 1].outputDimension }
    /// Each layer's input dimension, then the output's (a gated layer's convolution emits more:
    /// its fields' gates; a pooling layer's output is the coarse field).
    public var dimensions: [Int] { stageInputDimensions + [outputDimension] }
    /// The learned biases of the norm nonlinearities (one per channel), stored after the layer biases.
    public var gateCount: Int { activationPlans.reduce(0) { $0 + $1.biasCount } }
    public var layerCount: Int { stages.count }
    public var weightCount: Int { convolutions.reduce(0) { $0 + $1.weightCount } + (head?.weightCount ?? 0) }
    public var biasCount: Int { convolutions.reduce(0) { $0 + $1.biasCount } + (head?.biasCount ?? 0) + gateCount }
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
        for (k, stage) in stages.enumerated() {
            switch stage {
            case let .convolution(i):
                let conv = convolutions[i], e = layerEmitters[i]
                p.print("// Layer \(k + 1): \(c(e.inputExpression)) → \(c(e.outputExpression)), \(conv.weightCount) weights, \(conv.biasCount) bias; lattice-convolution on \(conv.lattice.sides.map(String.init).joined(separator: "x")) (stencil width \(conv.stencilWidth), \(conv.kernelBasis.dimension) kernel basis elements per channel pair); certificate \(c(conv.kernelBasis.crossCheck.certificate))")
                if i < activationPlans.count { p.print("// Nonlinearity after layer \(k + 1) (\(c(i + 1 < layerEmitters.count ? layerEmitters[i + 1].inputExpression : layerEmitters[i].outputExpression))): \(c(activationPlans[i].summary))") }
            case let .pool(field):
                p.print("// Layer \(k + 1): pool(\(strides[field])), \(poolingSummary(strides[field])), \(grids[field].sides.map(String.init).joined(separator: "x")) → \(grids[field + 1].sides.map(String.init).joined(separator: "x")), no parameters")
            case .head:
                let h = head!
                p.print("// Layer \(k + 1): → \(c(expressions[expressions.count - 1])), \(h.weightCount) weights, \(h.biasCount) bias; invariant pooling (mean over the grid and over the \(h.orbitCount) point-group orbit\(h.orbitCount == 1 ? "" : "s") of each channel's \(h.fieldDimension) components), then linear")
            }
        }
        if head != nil {
            p.print("// Head: invariant (the last layer pools onto the trivial representation)")
        } else {
            p.print("// Head: equivariant (the last layer is a lattice convolution onto \(c(expressions[expressions.count - 1])))")
        }
        if totalStride > 1 {
            let center = poolingKernel == .blockMean ? "the point group about the block center ((\(totalStride) − 1)/2, …)" : "the point group about the origin"
            p.print("// Strided: equivariant to translations by \(totalStride) and \(center) on the input, acting on the \(grids[grids.count - 1].sides.map(String.init).joined(separator: "x")) output grid (LatticeStridedPooling)")
        }
        p.print("// Parameters: \(weightCount) weights, \(biasCount) bias parameters (\(gateCount) of them gate biases)")
        p.print("// Type: \(typeName)")
        p.print("import ArchSynthRuntime")
        p.print()
        p.print("""
            /// A G-CNN f = L_\(layerCount) ∘ σ ∘ … ∘ σ ∘ L_1: steerable lattice convolutions L_i (exact kernel bases) and equivariant
            /// nonlinearities σ (`nonlinearities`), so f(g·x) = g·f(x) for every translation × point element g\(head == nil ? "" : "; the last layer pools onto invariants, so f(g·x) = f(x)").
            /// Column vectors; batches are row-major (`count` rows of `inputDimension` values).
            /// The parameter API, passes, losses and `trainStep` come from ArchSynthRuntime's `GeneratedNetwork`.
            """)
        let layers = (1...layerCount).map { "layer\($0)" }
        let types = stageTypes
        let firstInput: String
        if case .pool = stages[0] { firstInput = "\(types[0]).pooling.input" } else { firstInput = "Layer1.inputFields" }
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
                /// Every layer's θ, then every layer's bias parameters and the norm nonlinearities' biases (`gates`, last).
                public static let weightCount = \(weightCount)
                public static let biasCount = \(biasCount)
                public static let gateCount = \(gateCount)
                /// True when every generator acts as the identity on the output (an invariant head).
                public static let isInvariant = \(head != nil)
                public typealias Loss = \(head != nil ? "InvariantHeadLoss" : "EquivariantHeadLoss")
                public typealias Optimizer = GeneratedNetworkOptimizer
                /// The input's field type on the grid (what `verify` acts with).
                public static let inputFields = \(firstInput)
                /// The network is equivariant to translations by this stride (and \(poolingKernel.centerDescription)).
                public static let latticeStride = \(totalStride)
                """)
            if head == nil { p.print("public static let outputFields = Layer\(convolutions.count).outputFields") }
            p.print("""
                public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { \(totalStride == 1 ? "Layer1.actOnInput(generator: g, x)" : "inputFields.act(generator: g, x, stride: latticeStride, kernel: .\(poolingKernel))") }
                public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { \(head == nil ? "Layer\(convolutions.count).actOnOutput(generator: g, y)" : "y") }

                """)
            p.print(GeneratedModelAPI.storedLayers(
                names: layers, types: types,
                builds: types.enumerated().map { "layer\($0.offset + 1) = p.next(\($0.element).self, seeded: { \($0.element)(seed: $0) })" },
                separator: "\n    "))
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
            p.print("/// tanh on those it negates (component a of every channel and grid point: index % d == a), or a norm or gated")
            p.print("/// nonlinearity on whole fields (`LatticeFieldNonlinearity`, its biases in `gates` from `gateOffset`).")
            p.print("public static let _activations: [EquivariantActivation] = [")
            p.withIndentation { p in
                var gateOffset = 0
                for (k, stage) in stages.dropLast().enumerated() {
                    guard case let .convolution(h) = stage else {
                        p.print("EquivariantActivation(dimension: \(stageInputDimensions[k + 1]), gateOffset: 0, reluIndex: [], tanhIndex: [], normStart: [0], normIndex: []),  // none after pooling")
                        continue
                    }
                    let plan = activationPlans[h]
                    if let kind = plan.field {
                        let metric = plan.metric.isEmpty ? "" : ", metric: [\(plan.metric.map { "\($0)" }.joined(separator: ", "))]"
                        p.print("EquivariantActivation(field: LatticeFieldNonlinearity(kind: .\(kind), channels: \(plan.channels), points: \(plan.points), fieldDimension: \(plan.fieldDimension)\(metric)), gateOffset: \(gateOffset)),")
                        gateOffset += plan.biasCount
                        continue
                    }
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
            for (k, stage) in stages.enumerated() {
                if case let .pool(field) = stage {
                    p.print()
                    printPool(types[k], field: field, into: &p)
                }
            }
            if let h = head {
                p.print()
                printHead(h, into: &p)
            }
        }
        return p.content
    }

    /// A pooling layer: field `field` of `--reps` averaged over stride^d blocks (`LatticeStridedPooling`).
    private func printPool(_ name: String, field: Int, into p: inout CodePrinter) {
        // ρ's images: those of the convolution that takes the field, else of the one that made it.
        let images = field < convolutions.count ? "Layer\(field + 1).inputImages" : "Layer\(field).outputImages"
        let generators = field < convolutions.count ? "Layer\(field + 1).pointGenerators" : "Layer\(field).pointGenerators"
        p.print("""
            /// Pooling of each field: \(poolingSummary(strides[field])), \(grids[field].sides.map(String.init).joined(separator: "×")) → \(grids[field + 1].sides.map(String.init).joined(separator: "×")). Law: equivariant to
            /// translations by \(strides[field]) and \(poolingKernel.centerDescription) (`LatticeStridedPooling`). No parameters.
            """)
        p.block("public struct \(name): Sendable, GeneratedEquivariantModel") { p in
            p.print("""
                public static let pooling = LatticeStridedPooling(
                    input: LatticeFieldType(
                        sides: [\(grids[field].sides.map(String.init).joined(separator: ", "))], channels: \(fieldChannels[field]), fieldDimension: \(fieldDimensions[field]),
                        pointGenerators: \(generators), generatorImages: \(images)),
                    stride: \(strides[field]), kernel: .\(poolingKernel))
                public static let generatorNames = \(typeName).generatorNames
                public static let groupOrder = \(typeName).groupOrder
                public static let inputDimension = \(fieldDimension(field))
                public static let outputDimension = \(fieldDimension(field) / grids[field].sides.reduce(1, *) * grids[field + 1].sides.reduce(1, *))
                public static let weightCount = 0
                public static let biasCount = 0
                public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { pooling.input.act(generator: g, x, stride: pooling.stride, kernel: pooling.kernel) }
                public static func actOnOutput(generator g: Int, _ y: [Double]) -> [Double] { pooling.output.act(generator: g, y) }
                public let weights: [Float] = []
                public let bias: [Float] = []
                public init(weights: [Float], bias: [Float]) { precondition(weights.isEmpty && bias.isEmpty, "a pooling layer has no parameters") }
                public init(seed: UInt64) {}
                public func forward(_ x: [Float]) -> [Float] { forward(batch: x, count: 1) }
                public func forward(_ x: [Double]) -> [Double] { forward(batch: x, count: 1) }
                public func forward<S: BinaryFloatingPoint>(batch: [S], count: Int) -> [S] { Self.pooling.forward(batch.map { Double($0) }, count: count).map { S($0) } }
                public func backward<S: BinaryFloatingPoint>(batch: [S], outputGradient: [S], count: Int) -> (weights: [S], bias: [S], input: [S]) {
                    ([], [], Self.pooling.backward(outputGradient.map { Double($0) }, count: count).map { S($0) })
                }
                """)
        }
    }

    private func cases(_ layers: [String], _ body: (String) -> String) -> String {
        layers.enumerated().map { i, l in (i == layers.count - 1 ? "default" : "case \(i)") + ": " + body(l) }.joined(separator: "; ")
    }

    private func printHead(_ h: InvariantHead, into p: inout CodePrinter) {
        let lastField = strides.count - 1
        let headInput = strides[lastField] > 1 ? "\(stageTypes[stages.count - 2]).pooling.output" : "Layer\(convolutions.count).outputFields"
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
                public static func actOnInput(generator g: Int, _ x: [Double]) -> [Double] { \(headInput).act(generator: g, x) }
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
