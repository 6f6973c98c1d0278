/// How a generated layer computes W x (DESIGN.md "Generated code": specialized, not interpreted).
///
/// Every strategy keeps the solver's parameters θ (so weights are portable between strategies)
/// and derives its own coefficient array from them once per parameter change.
public enum ForwardStrategy: String, Sendable, CaseIterable {
    /// Monomial bases: the weight-tying table baked in as constant arrays (compressed rows
    /// of nonzero (column, parameter index, sign)); W x reads θ[index] · sign per nonzero.
    case tied
    /// The symmetric-group families: partition-diagram closed forms with pooling, O(n²) for
    /// (R^n)^⊗2 → (R^n)^⊗2 instead of O(n⁴); coefficients φ = C θ with C exact.
    case symmetricClosedForm = "symmetric-closed-form"
    /// W = Σ θ_i B_i materialized when the parameters change, then a dense product.
    case dense
}

/// Which strategy to use: the best one that applies, or a forced one.
public enum StrategyPreference: Sendable, Equatable {
    case automatic
    case forced(ForwardStrategy)

    /// Parses `auto`, `tied`, `symmetric-closed-form` or `dense`.
    public init?(_ text: String) {
        if text == "auto" { self = .automatic; return }
        guard let s = ForwardStrategy(rawValue: text) else { return nil }
        self = .forced(s)
    }
}

/// Emits the strategy-specific part of a layer: its constants, the coefficient map θ ↦ c,
/// and forward/backward kernels over one sample. The shared skeleton (`LayerEmitter`) calls
/// these with the scalar type (`Float` or `Double`) so both precisions are specialized code.
///
/// Kernel contracts (emitted as `static func`s inside the layer type):
/// - `_coefficients(_ theta: [Double]) -> [Double]` (count `coefficientCount`);
/// - `_forwardKernel(_ x: [S], _ xo: Int, _ y: inout [S], _ yo: Int, _ c: [S])` adds W x to y;
/// - `_backwardKernel(_ x: [S], _ xo: Int, _ dy: [S], _ dyo: Int, _ c: [S], _ dc: inout [S], _ dx: inout [S], _ dxo: Int)`
///   adds ∂L/∂c to dc and Wᵀ dy to dx;
/// - `_weightGradient(_ dc: [S]) -> [S]` maps ∂L/∂c to ∂L/∂θ.
protocol KernelEmitter {
    var strategy: ForwardStrategy { get }
    /// One line for the header and the `forwardStrategyNote` metadata.
    var note: String { get }
    var coefficientCount: Int { get }
    func printConstants(_ p: inout CodePrinter)
    func printCoefficientsBody(_ p: inout CodePrinter)
    func printForwardBody(_ p: inout CodePrinter, scalar: String)
    func printBackwardBody(_ p: inout CodePrinter, scalar: String)
    func printWeightGradientBody(_ p: inout CodePrinter, scalar: String)
}
