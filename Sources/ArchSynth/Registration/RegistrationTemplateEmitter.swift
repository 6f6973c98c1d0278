import ArchSynthRuntime
import Foundation

/// The generated Swift file for a trained registration model (`archsynth generate template
/// registration --from-model model.json`): the architecture from the runtime's nodes
/// (`CarlRegistration`, or the swap-inversion core of `SwapInversionTemplate`) and the trained
/// parameters baked in as Swift's shortest round-trip decimals (so `init()` gives the model file's
/// weights bit for bit). The file is a `LawfulModel`, so `archsynth verify FILE.swift` checks
/// its law; `init(seed:)` gives fresh random weights for training in Swift.
public enum RegistrationTemplateEmitter {
    public static func source(file: RegistrationModelFile, typeName: String, command: String, toolVersion: String = ArchSynthVersion.current) throws -> String {
        let h = file.hyperparameters
        let c = SwiftIdentifier.commentText
        let parameters = wrapped(file.parameters.map { "\($0)" })
        switch file.template {
        case .carl:
            let n = h.size * h.size
            return """
                \(GeneratedFileHeader.opening(toolVersion: toolVersion, describing: "registration template carl (CARL-style TwoStep), \(h.size)×\(h.size), trained weights from a model file.", command: command))
                // Training: \(c(file.training.images)); \(file.training.pairsSeen) pairs seen, seed \(file.training.options.seed).
                // Law: [W,U] (moving by w, fixed by u, both multiples of \(h.poolFactor) px) gives W⁻¹∘Φ∘U.
                // Type: \(typeName)
                \(ExpectedLaws.headerLine(kind: "registration-carl", [("size", .int(h.size)), ("step", .int(h.poolFactor))]))
                import ArchSynthRuntime

                /// The CARL-style registration network with trained weights. `forward` gives the resultants z of
                /// the coordinate map Φ[moving, fixed] (4×\(h.size)×\(h.size): Re, Im of e^(2πi·Φ_row/\(h.size)), then of
                /// e^(2πi·Φ_col/\(h.size))), on which the law is stated; `coordinates` gives Φ itself (2×\(h.size)×\(h.size),
                /// rows plane first, pixels) with moving(Φ(x)) ≈ fixed(x), bilinear and periodic; the displacement
                /// is Φ − id. `init()` loads the trained weights, `init(seed:)` draws fresh ones.
                public struct \(typeName): LawfulModel {
                    public static let kind = "registration-carl"
                    public static let network = CarlRegistration(
                        size: \(h.size), poolFactor: \(h.poolFactor), channels: \(h.channels), depth: \(h.depth), featureStencil: \(h.featureStencil), temperature: \(h.temperature), smoothing: \(h.smoothing),\(h.consensus.map { " consensus: \($0)," } ?? "")\(h.matching == "distance" ? " distanceLogits: true," : "")
                        refineSteps: \(h.refineSteps), refineChannels: \(h.refineChannels), refineDepth: \(h.refineDepth))
                    public static let inputSizes = [\(n), \(n)]
                    public static let outputSize = \(4 * n)
                    public static var parameterCount: Int { network.transform.parameterCount }
                    public static var laws: [(law: Law, threshold: Double)] { [(CarlRegistration.wuResultantLaw(size: \(h.size), step: \(h.poolFactor)), 1e-8)] }
                    public var parameters: [Double]

                    public init(seed: UInt64) { parameters = Self.network.initialParameters(seed: seed) }

                    /// The trained weights.
                    public init() { parameters = Self.trainedParameters }

                    /// The resultants of Φ for the inputs [moving, fixed].
                    public func forward(_ inputs: [[Double]]) -> [Double] { Self.network.resultants.forward(parameters, inputs) }

                    /// The pullback of `forward`: the gradients of the parameters and of both images.
                    public func backward(_ inputs: [[Double]], outputGradient: [Double]) -> NodeGradient<Double> {
                        Self.network.resultants.backward(parameters, inputs, outputGradient: outputGradient)
                    }

                    /// Φ[moving, fixed] in pixels.
                    public func coordinates(moving: [Double], fixed: [Double]) -> [Double] {
                        Self.network.transform.forward(parameters, [moving, fixed])
                    }

                    public static let trainedParameters: [Double] = decode(\"\"\"
                \(parameters)
                        \"\"\")

                    static func decode(_ text: String) -> [Double] {
                        text.split(whereSeparator: { $0 == " " || $0 == "\\n" }).map { Double(String($0))! }
                    }
                }

                """
        case .constricon:
            let template = try SwapInversionTemplate(form: .svf(height: h.size, width: h.size), inputSize: h.size * h.size, hidden: h.hidden, squarings: h.squarings)
            var s = template.source(typeName: typeName, command: command, toolVersion: toolVersion)
            s += """

                // Trained weights from a model file: \(c(file.training.images)); \(file.training.pairsSeen) pairs seen, seed \(file.training.options.seed).
                extension \(typeName) {
                    /// The trained weights.
                    public init() {
                        self.init(seed: 0)
                        parameters = Self.trainedParameters
                    }

                    /// The displacement u (2×\(h.size)×\(h.size), rows plane first, pixels) with moving(x + u(x)) ≈ fixed(x):
                    /// Φ_AB = exp(\(h.velocityScale)·v(moving, fixed)).
                    public func displacement(moving: [Double], fixed: [Double]) -> [Double] {
                        let v = forward([moving, fixed]).map { \(h.velocityScale) * $0 }
                        return Self.integration.forward([Double](), [v])
                    }

                    static let integration = VelocityIntegration.graph(height: \(h.size), width: \(h.size), squarings: \(h.squarings), mode: .periodic)

                    public static let trainedParameters: [Double] = decode(\"\"\"
                \(parameters)
                        \"\"\")

                    static func decode(_ text: String) -> [Double] {
                        text.split(whereSeparator: { $0 == " " || $0 == "\\n" }).map { Double(String($0))! }
                    }
                }

                """
            return s
        }
    }

    /// Numbers eight to a line, indented for the multi-line literal.
    static func wrapped(_ items: [String]) -> String {
        stride(from: 0, to: items.count, by: 8).map { "            " + items[$0..<min($0 + 8, items.count)].joined(separator: " ") }.joined(separator: "\n")
    }
}
