/// How a generated layer computes W x (DESIGN.md "Generated code": specialized, not interpreted).
///
/// Every strategy keeps the solver's parameters θ (so weights are portable between strategies)
/// and derives its own coefficient array from them once per parameter change.
public enum ForwardStrategy: String, Sendable, CaseIterable {
    /// Monomial bases: the weight-tying table baked in as constant arrays (compressed rows
    /// of nonzero (column, parameter index, sign)); the coefficients c[e] = sign · θ[index]
    /// are formed once per parameter change, and W x is one SIMD multiply–add per stored
    /// entry over batch-major panels of samples.
    case tied
    /// The symmetric-group families: partition-diagram closed forms with pooling, O(n²) for
    /// (R^n)^⊗2 → (R^n)^⊗2 instead of O(n⁴); coefficients φ = C θ with C exact.
    case symmetricClosedForm = "symmetric-closed-form"
    /// W = Σ θ_i B_i materialized when the parameters change, then a dense product.
    case dense
    /// Input and output are multiples of the regular representation: y(g) = Σ_h θ(h⁻¹g) x(h)
    /// per channel pair, with the multiplication computed from the group's structure (index
    /// arithmetic on a periodic grid for products of cyclic groups, else a |G|² table for small
    /// groups), optionally on a local support (a k × … × k stencil).
    case groupConvolution = "group-convolution"
    /// A basis kept factored (`FactoredIntertwiner`, bases too large to materialize):
    /// W = P_out (⊕ K_p) P_in, the isotypic change of basis and one Schur block per shared
    /// irreducible type; O(d_in² + d_out²) constants.
    case factored
}

/// Which strategy to use: the best one that applies, or a forced one.
public enum StrategyPreference: Sendable, Equatable {
    case automatic
    case forced(ForwardStrategy)

    /// Parses `auto`, `tied`, `symmetric-closed-form`, `dense`, `group-convolution` or `factored`.
    public init?(_ text: String) {
        if text == "auto" { self = .automatic; return }
        guard let s = ForwardStrategy(rawValue: text) else { return nil }
        self = .forced(s)
    }
}

/// Emits the strategy-specific part of a layer: its constants, the coefficient map θ ↦ c,
/// and forward/backward kernels over a whole batch. The shared skeleton (`LayerEmitter`) calls
/// these once per `ScalarType` so both precisions are specialized code; single inputs run the
/// batch kernels with `count` 1 (one code path).
///
/// Kernel contracts (emitted as `static func`s inside the layer type; batches row-major,
/// raw pointers valid for `count` rows; `c` holds `max(1, coefficientCount)` values):
/// - `_coefficients(_ theta: [Double]) -> [Double]` (count `coefficientCount`);
/// - `_forwardKernel(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ count: Int, _ c: UnsafePointer<S>)`
///   adds W x to each row of y;
/// - `_backwardKernel(_ x: UnsafePointer<S>, _ dy: UnsafePointer<S>, _ count: Int, _ c: UnsafePointer<S>, _ dc: UnsafeMutablePointer<S>, _ dx: UnsafeMutablePointer<S>)`
///   adds ∂L/∂c (summed over the batch) to dc and Wᵀ dy to each row of dx;
/// - `_weightGradient(_ dc: [S]) -> [S]` maps ∂L/∂c to ∂L/∂θ.
protocol KernelEmitter {
    var strategy: ForwardStrategy { get }
    /// One line for the header and the `forwardStrategyNote` metadata.
    var note: String { get }
    var coefficientCount: Int { get }
    func printConstants(_ p: inout CodePrinter)
    func printCoefficientsBody(_ p: inout CodePrinter)
    /// The kernels and their helpers for one precision.
    func printKernels(_ p: inout CodePrinter, scalar: ScalarType)
    func printWeightGradientBody(_ p: inout CodePrinter, scalar: ScalarType)
}
