import ArchSynthRuntime
import Foundation

/// The coordinate-attention template (CARL, arXiv 2405.16738) as one generated Swift file on
/// the runtime module: `archsynth generate template coordinate-attention`.
///
/// The file declares a `LawfulModel` whose forward is (A, B) ↦ the circular-mean resultants of
/// Φ[A,B] (4·H·W values: Re/Im per axis, see `CoordinateAttention`), with features from one
/// translation-equivariant network (periodic group convolutions with k×k stencils and ReLU,
/// shared by A and B), a `coordinates` helper giving Φ in grid units, backward, a training
/// step (runtime Adam) and `equivarianceError` for the [W,U] law. The graph is written out in
/// the file (the layers, then the attention), so reading it shows the architecture; the nodes'
/// code lives in the runtime module.
///
/// With `refineDepth` the file is TwoStep{Φ,Ψ}[A,B] = Φ[A,B]∘Ψ[A∘Φ[A,B], B]: Ψ a [U,U]-equivariant
/// displacement network (convolutions on the concatenated pair), composed on the resultants
/// (see `RegistrationNetworks.twoStep`).
///
/// ```swift
/// let t = try CoordinateAttentionTemplate(typeName: "Registration", height: 16, width: 16, channels: 4, depth: 2)
/// let source = t.source(command: "archsynth generate template coordinate-attention …")
/// ```
public struct CoordinateAttentionTemplate: Sendable {
    public let typeName: String
    public let height: Int
    public let width: Int
    public let channels: Int
    public let depth: Int
    public let stencil: Int
    public let temperature: Double
    /// Depth of the [U,U] refinement network Ψ (TwoStep), or nil.
    public let refineDepth: Int?
    /// Laws are checked over all (H·W)² pairs up to this many, otherwise over sampled pairs.
    public let completeLimit: Int

    public init(
        typeName: String, height: Int, width: Int, channels: Int, depth: Int, stencil: Int = 3, temperature: Double = 1,
        refineDepth: Int? = nil, completeLimit: Int = 4096
    ) throws {
        try SwiftIdentifier.validateTypeName(typeName)
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw TemplateArgumentError(description: message) } }
        let (points, overflow) = height.multipliedReportingOverflow(by: width)
        try check(height >= 1 && width >= 1 && !overflow && points >= 2 && points <= 4096, "the grid must have 2 … 4096 points, not \(height)×\(width)")
        try check(channels >= 1 && channels <= 256, "--channels must be 1 … 256, not \(channels)")
        try check(depth >= 1 && depth <= 32, "--depth must be 1 … 32, not \(depth)")
        try check(stencil >= 1 && stencil % 2 == 1, "--stencil must be a positive odd number, not \(stencil)")
        // A stencil wider than the grid would wrap onto itself (it is clipped to each side's size).
        let widest = max(height, width), largestOdd = widest % 2 == 1 ? widest : widest - 1
        try check(stencil <= widest, "--stencil \(stencil) is wider than the \(height)×\(width) grid; use an odd stencil of at most \(largestOdd)")
        try check(Self.temperatureRange.contains(temperature), "--temperature must be between \(Self.temperatureRange.lowerBound) and \(Self.temperatureRange.upperBound), not \(temperature) (the features are divided by it: a smaller one overflows the softmax)")
        if let r = refineDepth { try check(r >= 1 && r <= 32, "--refine must be 1 … 32, not \(r)") }
        self.typeName = typeName
        self.height = height
        self.width = width
        self.channels = channels
        self.depth = depth
        self.stencil = stencil
        self.temperature = temperature
        self.refineDepth = refineDepth
        self.completeLimit = completeLimit
    }

    /// The temperatures τ accepted (both templates): P = softmax(F^B F^Aᵀ/τ) must stay finite.
    public static let temperatureRange: ClosedRange<Double> = 1e-4...1e4

    /// Learnable parameters: the feature convolutions and the refinement (weights and biases),
    /// computed without building anything (saturating at `Int.max`), for `GenerationLimits`.
    public var parameterCount: Int {
        let k = GenerationLimits.product(min(stencil, height), min(stencil, width))
        var total = 0
        for l in 0..<depth {
            total = GenerationLimits.sum(total, GenerationLimits.product(l == 0 ? 1 : channels, channels, k), channels)
        }
        for l in 0..<(refineDepth ?? 0) {
            let out = l == (refineDepth ?? 0) - 1 ? 2 : channels
            total = GenerationLimits.sum(total, GenerationLimits.product(l == 0 ? 2 : channels, out, k), out)
        }
        return total
    }

    var pointCount: Int { height * width }
    var stencilText: String { "(\(min(stencil, height)), \(min(stencil, width)))" }
    var lawIsComplete: Bool { pointCount * pointCount <= completeLimit }

    /// The generated file.
    public func source(toolVersion: String = ArchSynthVersion.current, command: String) -> String {
        let n = pointCount
        var p = CodePrinter()
        let pairs = lawIsComplete ? "all \(n * n) pairs (W, U)" : "the generator pairs and \(64 - 5) seeded random pairs (of \(n * n))"
        p.print("""
            \(GeneratedFileHeader.opening(toolVersion: toolVersion, describing: "the doubly translation-equivariant coordinate-attention template (CARL, arXiv 2405.16738), on the ArchSynthRuntime module.", command: command))
            \(ExpectedLaws.headerLine(kind: "coordinate-attention", [("height", .int(height)), ("width", .int(width))]))
            // Grid: \(height)×\(width) periodic; features: \(depth) group convolutions (\(channels) channels, \(stencilText) stencils, ReLU between), shared by A and B; temperature \(temperature)
            // Refinement: \(refineDepth.map { "TwoStep with a [U,U] displacement network of depth \($0)" } ?? "none")
            // Law: [W,U] Φ[A∘W, B∘U] = W⁻¹∘Φ[A,B]∘U over \(pairs), exact for integer shifts (periodic grid)
            // Type: \(typeName)
            import ArchSynthRuntime

            /// (A, B) ↦ Φ[A,B] as circular-mean resultants: input 0 is the moving image A, input 1 the
            /// fixed image B (\(height)×\(width), row-major); Φ maps B's grid into A's (A∘Φ ≈ B). Output: 4·\(n)
            /// values Re z_row, Im z_row, Re z_col, Im z_col per point of B; `coordinates` gives Φ in
            /// grid units (rows then columns, in (−N/2, N/2]). Translating A by W (A∘W, W(y) = y + w)
            /// and B by U gives Φ[A∘W, B∘U](x) = Φ[A,B](x + u) − w, i.e. z'(x) = e^(−2πi·w/N) z(x + u).
            public struct \(typeName): LawfulModel {
            """)
        p.withIndentation { p in
            p.print("""
                public static let kind = "coordinate-attention"
                public static let grid = PeriodicGrid(height: \(height), width: \(width))
                public static let inputSizes = [\(n), \(n)]
                public static let outputSize = \(4 * n)

                /// The graph: one feature network applied to A and to B (shared weights), then attention\(refineDepth == nil ? "." : ";\n/// then TwoStep with the [U,U] refinement Ψ on (A∘Φ, B).")
                public static let graph: Graph = {
                    var b = GraphBuilder(inputSizes: inputSizes)
                    let layers = [
                """)
            p.withIndentation { p in
                p.withIndentation { p in
                    for l in 0..<depth {
                        p.print("GridConvolution(grid: grid, inputChannels: \(l == 0 ? 1 : channels), outputChannels: \(channels), stencil: \(stencilText)),")
                    }
                }
                p.print("""
                    ]
                    let blocks = layers.map { b.parameters(for: $0) }
                    let featuresA = RegistrationNetworks.apply(layers, blocks: blocks, to: b.inputs[0], &b)
                    let featuresB = RegistrationNetworks.apply(layers, blocks: blocks, to: b.inputs[1], &b)
                    let phi = b.apply(CoordinateAttention(grid: grid, channels: \(channels), temperature: \(temperature)), [featuresA, featuresB])
                    """)
                if let r = refineDepth {
                    p.print("// Ψ: a [U,U]-equivariant displacement network on (A∘Φ, B); TwoStep composes Φ∘Ψ.")
                    p.print("let refine = [")
                    p.withIndentation { p in
                        for l in 0..<r {
                            p.print("GridConvolution(grid: grid, inputChannels: \(l == 0 ? 2 : channels), outputChannels: \(l == r - 1 ? 2 : channels), stencil: \(stencilText)),")
                        }
                    }
                    p.print("]")
                    p.print("let refineBlocks = refine.map { b.parameters(for: $0) }")
                    p.print("let z = RegistrationNetworks.twoStep(phi, moving: b.inputs[0], fixed: b.inputs[1], grid: grid, refine: refine, blocks: refineBlocks, &b)")
                    p.print("return b.build(output: z)")
                } else {
                    p.print("return b.build(output: phi)")
                }
            }
            p.print("""
                }()

                public static var parameterCount: Int { graph.parameterCount }
                /// [W,U] on the resultants, max absolute difference (they lie in the unit disk), and in the
                /// coordinates they define (grid units, circular distance, where the circular mean is defined).
                public static var laws: [(law: Law, threshold: Double)] {
                    [
                        (CoordinateAttention.wuLaw(grid: grid, inputChannels: 1, completeLimit: \(completeLimit)), 1e-10),
                        (CoordinateAttention.wuLawInCoordinates(grid: grid, inputChannels: 1, completeLimit: \(completeLimit)), 1e-10),
                    ]
                }

                public var parameters: [Double]

                /// Convolution weights uniform in ±√(3/fan-in), biases zero.
                public init(seed: UInt64) { parameters = RegistrationNetworks.initialParameters(Self.graph, seed: seed) }

                public init(parameters: [Double]) {
                    precondition(parameters.count == Self.parameterCount, "\(typeName): expected \\(Self.parameterCount) parameters, got \\(parameters.count)")
                    self.parameters = parameters
                }

                /// The resultants of Φ[A,B] (inputs: [A, B]).
                public func forward(_ inputs: [[Double]]) -> [Double] { Self.graph.forward(parameters, inputs) }

                /// Φ[A,B] in grid units: 2·\(n) values, rows then columns.
                public func coordinates(_ a: [Double], _ b: [Double]) -> [Double] {
                    CircularCoordinate.coordinates(forward([a, b]), grid: Self.grid)
                }

                /// Gradients with respect to the parameters and both images for an output gradient.
                public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                    Self.graph.backward(parameters, inputs, outputGradient: outputGradient)
                }

                \(GeneratedModelAPI.templateTrainStep("Self.graph", lossDoc: ["One Adam step on the mean squared error between the resultants and `targets`", "(e.g. the unit phasors e^(2πi·Φ_true/N) of the true map); returns the loss."]))

                /// The worst [W,U] error on these images: max over the law's pairs (W, U) of
                /// |z[A∘W, B∘U] − e^(−2πi·w/N) z[A,B](· + u)|.
                public func equivarianceError(_ a: [Double], _ b: [Double]) -> Double {
                    Self.laws[0].law.worstError(at: [a, b]) { forward($0) }.error
                }
                """)
        }
        p.print("}")
        return p.content
    }
}

/// An invalid template argument, visible from the arguments alone (the CLI reports it as a
/// usage error, exit 64).
public struct TemplateArgumentError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A template the arguments describe correctly but that cannot be built for this group or
/// representation (found while computing: the CLI reports it as a failure, exit 1).
public struct TemplateBuildError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(description: String) { self.description = description }
}
