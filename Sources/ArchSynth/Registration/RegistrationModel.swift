import ArchSynthRuntime
import Foundation

/// The registration templates a user trains with `archsynth train registration`.
///
/// Convention (Benchmarks/registration/CONVENTIONS.md): input 0 is the moving image, input 1 the
/// fixed image, both one-channel `size × size` grids (row-major); the model gives the coordinate
/// map Φ (2n values, rows plane then columns plane, pixels) with moving(Φ(x)) ≈ fixed(x), sampled
/// bilinearly and periodically. The displacement written to field.npy is u = Φ − id, each
/// component taken into [−N/2, N/2).
///
/// - `carl`: CARL (arXiv 2405.16738) as a periodic TwoStep. Both images are average-pooled by
///   `poolFactor` to a coarse grid, one shared translation-equivariant feature network
///   (periodic 3×3 `GridConvolution`s, ReLU) gives F^A and F^B, `CoordinateAttention` gives
///   the resultants of Φ₀ ([W,U]-equivariant; logits −½‖F^B − F^A‖²/τ with `matching`
///   "distance", then `ConsensusShift` with `consensus`); these are upsampled bilinearly to the full grid
///   (a fixed linear map, with the phase offset of the pooling cells' centres), then each of
///   `refineSteps` [U,U] displacement networks Ψ (on moving∘Φ ⊕ fixed) composes Φ ← Φ∘Ψ
///   by warping the resultants. Law [W,U] exact for shifts that are multiples of `poolFactor`:
///   Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U.
/// - `constricon`: the swap-inversion field form (`SwapInversionTemplate`, `svf:NxN`):
///   Φ_AB = exp(v(A,B)), Φ_BA = exp(−v(A,B)) with v from the antisymmetric C₂-equivariant
///   network (scaled by `velocityScale`); law: Φ_AB∘Φ_BA = id (inverse consistency, to the accuracy of scaling and squaring).
///
/// Both train on mean (warped − fixed)² plus λ·mean ‖∇u‖² (diffusion, `CoordinateJacobian`);
/// `constricon` uses both directions (A→B and B→A).
public struct RegistrationModel: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case carl, constricon }

    /// Everything that fixes the architecture (written to the model file).
    public struct Hyperparameters: Sendable, Codable, Equatable {
        public var size: Int
        /// carl: coarse grid = size / poolFactor.
        public var poolFactor: Int = 4
        public var channels: Int = 16
        public var depth: Int = 3
        /// carl: the feature convolutions' stencil (k×k on the coarse grid).
        public var featureStencil: Int = 5
        public var temperature: Double = 1
        /// carl: σ of the coarse resultants' blur, coarse pixels (0: none).
        public var smoothing: Double = 1
        /// carl: β₀ of the global-shift consensus after the attention (`ConsensusShift`);
        /// nil: none (a model file without the key, as written before it, decodes to nil).
        public var consensus: Double? = 1
        /// carl: "distance" for logits −½‖F^B(x) − F^A(y)‖²/τ, "dot" (or nil: a model file
        /// without the key, as written before it) for ⟨F^B(x), F^A(y)⟩/τ. EXPERIMENTS.md §6
        /// has the ablation behind both defaults.
        public var matching: String? = "distance"
        public var refineSteps: Int = 1
        public var refineChannels: Int = 16
        public var refineDepth: Int = 3
        /// constricon: regular channels per half and squarings.
        public var hidden: Int = 8
        public var squarings: Int = 7
        /// constricon: v = velocityScale · (the template's velocity), whose bumps are bounded by
        /// 3 px; a larger scale reaches larger displacements (swapping still negates v).
        public var velocityScale: Double = 1

        public init(size: Int) { self.size = size }
    }

    public let kind: Kind
    public let hyper: Hyperparameters
    /// [moving, fixed] → Φ (2n coordinates, pixels).
    public let transform: Graph
    /// [moving, fixed] → residuals (`residualCount` values) ⊕ Jacobian entries of u (the rest).
    public let lossGraph: Graph
    public let residualCount: Int
    /// The swap-inversion core (constricon only).
    public let core: SwapInversionCore?
    /// The CARL-style network (carl only).
    public let carl: CarlRegistration?

    public var grid: PeriodicGrid { PeriodicGrid(height: hyper.size, width: hyper.size) }
    public var parameterCount: Int { transform.parameterCount }

    public init(kind: Kind, hyper: Hyperparameters) throws {
        try Self.validate(kind: kind, hyper: hyper)
        self.kind = kind
        self.hyper = hyper
        let n = hyper.size * hyper.size, grid = PeriodicGrid(height: hyper.size, width: hyper.size)
        switch kind {
        case .carl:
            let net = Self.carl(hyper)
            let t = net.transform
            transform = t
            carl = net
            core = nil
            var b = GraphBuilder(inputSizes: [n, n])
            let phi = b.apply(t, b.inputs)
            let warped = b.apply(Warp(channels: 1, height: hyper.size, width: hyper.size, mode: .periodic), [b.inputs[0], phi])
            let r = b.apply(Difference(size: n), [warped, b.inputs[1]])
            let j = b.apply(CoordinateJacobian(grid: grid), [phi])
            let out = b.concat(r, j)
            lossGraph = b.build(output: out)
            residualCount = n
        case .constricon:
            let template = try SwapInversionTemplate(form: .svf(height: hyper.size, width: hyper.size), inputSize: n, hidden: hyper.hidden, squarings: hyper.squarings)
            let c = template.core()
            core = c
            carl = nil
            let integrate = VelocityIntegration.graph(height: hyper.size, width: hyper.size, squarings: hyper.squarings, mode: .periodic)
            let scale = Scale(size: 2 * n, factor: hyper.velocityScale)
            var tb = GraphBuilder(inputSizes: [n, n])
            let d = tb.apply(integrate, [tb.apply(scale, [tb.apply(c.velocity, tb.inputs)])])
            let phi = tb.apply(GridOffset(grid: grid), [d])
            transform = tb.build(output: phi)
            var b = GraphBuilder(inputSizes: [n, n])
            let pv = b.parameters(for: c.velocity)
            let (a, f) = (b.inputs[0], b.inputs[1])
            let vab = b.apply(scale, [b.apply(c.velocity, [a, f], parameters: pv)]), vba = b.apply(scale, [b.apply(c.velocity, [f, a], parameters: pv)])
            let dab = b.apply(integrate, [vab]), dba = b.apply(integrate, [vba])
            let warp = DisplacementWarp(channels: 1, height: hyper.size, width: hyper.size, mode: .periodic)
            let ra = b.apply(Difference(size: n), [b.apply(warp, [a, dab]), f])
            let rb = b.apply(Difference(size: n), [b.apply(warp, [f, dba]), a])
            let jab = b.apply(CoordinateJacobian(grid: grid), [b.apply(GridOffset(grid: grid), [dab])])
            let jba = b.apply(CoordinateJacobian(grid: grid), [b.apply(GridOffset(grid: grid), [dba])])
            let out = b.concat(ra, rb, jab, jba)
            lossGraph = b.build(output: out)
            residualCount = 2 * n
        }
    }

    /// The limits a model file or the command line must respect (clear messages naming the flag).
    public static func validate(kind: Kind, hyper h: Hyperparameters) throws(RegistrationError) {
        guard (4...512).contains(h.size) else { throw .usage("--size must be between 4 and 512, not \(h.size)") }
        switch kind {
        case .carl:
            guard h.poolFactor >= 1, h.size % h.poolFactor == 0, h.size / h.poolFactor >= 3 else {
                throw .usage("--pool \(h.poolFactor) must divide --size \(h.size) and leave a coarse grid of at least 3×3")
            }
            let coarse = h.size / h.poolFactor
            guard coarse * coarse <= 64 * 64 else { throw .usage("the coarse grid \(coarse)×\(coarse) is above 64×64 (attention is quadratic); raise --pool") }
            guard (1...128).contains(h.channels), (1...8).contains(h.depth) else { throw .usage("--channels must be 1…128 and --depth 1…8") }
            guard h.featureStencil >= 1, h.featureStencil % 2 == 1, h.featureStencil <= coarse else {
                throw .usage("--feature-stencil must be odd and at most the coarse grid's side \(coarse), not \(h.featureStencil)")
            }
            guard (0...4).contains(h.refineSteps), (1...128).contains(h.refineChannels), (2...8).contains(h.refineDepth) else {
                throw .usage("--refine-steps must be 0…4, --refine-channels 1…128, --refine-depth 2…8")
            }
            guard h.temperature > 0, h.temperature.isFinite else { throw .usage("--temperature must be positive") }
            guard h.smoothing >= 0, h.smoothing <= Double(coarse) else { throw .usage("--smoothing must be between 0 and the coarse grid's side \(coarse)") }
            if let m = h.matching, m != "dot", m != "distance" { throw .usage("--matching must be dot or distance, not \(m)") }
            if let c = h.consensus { guard c.isFinite, abs(c) <= 100 else { throw .usage("--consensus must be a number in [-100, 100], not \(c)") } }
        case .constricon:
            guard h.size % 2 == 0 else { throw .usage("--size must be even for constricon (the field network pools by 2)") }
            guard (1...64).contains(h.hidden), (1...12).contains(h.squarings) else { throw .usage("--hidden must be 1…64 and --squarings 1…12") }
            guard h.velocityScale > 0, h.velocityScale <= 64 else { throw .usage("--velocity-scale must be in (0, 64], not \(h.velocityScale)") }
        }
    }

    /// The runtime network for carl hyper-parameters.
    public static func carl(_ h: Hyperparameters) -> CarlRegistration {
        CarlRegistration(
            size: h.size, poolFactor: h.poolFactor, channels: h.channels, depth: h.depth, featureStencil: h.featureStencil, temperature: h.temperature, smoothing: h.smoothing, consensus: h.consensus, distanceLogits: h.matching == "distance", refineSteps: h.refineSteps,
            refineChannels: h.refineChannels, refineDepth: h.refineDepth)
    }

    /// Seeded initial parameters: carl convolutions uniform in ±√(3/fan-in), biases 0, each
    /// refinement's output layer scaled by 0.01 (Ψ ≈ id); constricon as `SwapInversionCore`.
    public func initialParameters(seed: UInt64) -> [Double] {
        switch kind {
        case .carl:
            return carl!.initialParameters(seed: seed)
        case .constricon:
            return core!.initialParameters(seed: seed)
        }
    }

    /// Φ for (moving, fixed): 2n coordinates in pixels.
    public func coordinates(_ parameters: [Double], moving: [Double], fixed: [Double]) -> [Double] {
        transform.forward(parameters, [moving, fixed])
    }

    /// u = Φ − id with each component in [−N/2, N/2): the (2, H, W) field of field.npy.
    public func displacement(_ parameters: [Double], moving: [Double], fixed: [Double]) -> [Double] {
        Self.displacement(coordinates: coordinates(parameters, moving: moving, fixed: fixed), size: hyper.size)
    }

    public static func displacement(coordinates phi: [Double], size s: Int) -> [Double] {
        let n = s * s
        var u = phi
        for x in 0..<n {
            for (plane, base) in [(0, Double(x / s)), (1, Double(x % s))] {
                var d = phi[plane * n + x] - base
                d -= Double(s) * ((d + Double(s) / 2) / Double(s)).rounded(.down)
                u[plane * n + x] = d
            }
        }
        return u
    }

    /// moving(Φ(x)), bilinear and periodic.
    public static func warp(_ image: [Double], coordinates phi: [Double], size s: Int) -> [Double] {
        Warp(channels: 1, height: s, width: s, mode: .periodic).forward([Double](), [image, phi])
    }
}

/// A registration problem: bad flags (exit 64) or bad data and files (exit 1).
public enum RegistrationError: Error, CustomStringConvertible, Equatable {
    case usage(String)
    case failure(String)

    public var description: String {
        switch self {
        case let .usage(m), let .failure(m): return m
        }
    }

    public var isUsage: Bool { if case .usage = self { return true } else { return false } }
}
