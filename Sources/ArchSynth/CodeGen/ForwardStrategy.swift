import GroupTheory

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
/// and forward/backward kernels over a whole batch, printed once and generic over
/// `S: GeneratedScalar` (Float and Double each specialize to concrete code in the importing
/// module). The runtime's `GeneratedLayer` (or `GeneratedPanelLayer`, which packs panels and
/// calls `_forwardPanel`/`_backwardPanel`) provides everything else; single inputs run the
/// batch kernels with `count` 1 (one code path).
///
/// Kernel contracts (emitted as `static func`s inside the layer type; see `GeneratedLayer`):
/// - `_coefficients(_ theta: [Double]) -> [Double]` (count `coefficientCount`);
/// - `_forwardKernel<S>` / `_forwardPanel<S>` adds W x to each row of y;
/// - `_backwardKernel<S>` / `_backwardPanel<S>` adds ∂L/∂c (summed over the batch) to dc and Wᵀ dy to dx;
/// - `_weightGradient<S>(_ dc: [S]) -> [S]` maps ∂L/∂c to ∂L/∂θ.
protocol KernelEmitter {
    var strategy: ForwardStrategy { get }
    /// One line for the header and the `forwardStrategyNote` metadata.
    var note: String { get }
    var coefficientCount: Int { get }
    /// The runtime protocol the layer conforms to (`GeneratedLayer` or `GeneratedPanelLayer`).
    var conformance: String { get }
    /// Table, sparse-basis or factor entries baked into the file (checked against
    /// `GenerationLimits.maxTableEntries`).
    var tableEntries: Int { get }
    func printConstants(_ p: inout CodePrinter)
    func printCoefficientsBody(_ p: inout CodePrinter)
    /// The kernels, once, generic over `S: GeneratedScalar`.
    func printKernels(_ p: inout CodePrinter)
    /// The body of `_weightGradient<S: GeneratedScalar>(_ dc: [S]) -> [S]`.
    func printWeightGradientBody(_ p: inout CodePrinter)
    /// The dense W (row-major d_out × d_in) the emitted forward pass computes for θ, rebuilt
    /// from the strategy's own constants; tests compare it with Σ θ_i B_i.
    func emittedWeightMatrix(theta: [Double]) -> Matrix
}

extension KernelEmitter {
    /// From the sparse basis (strategies whose constants are the basis itself).
    func basisWeightMatrix(_ layer: LayerDescription, theta: [Double]) -> Matrix {
        var m = Matrix(rows: layer.output.dimension, columns: layer.input.dimension)
        for (i, b) in layer.basis.elements.enumerated() { for e in b.entries { m[e.row, e.column] += theta[i] * e.value } }
        return m
    }

    /// A `_weightGradient` body that scatter-adds into g = ∂L/∂θ: `loop` runs inside the buffer
    /// pointers of `buffers` (array and binding name, outermost first) and of g (as `gp`).
    func printScatterGradient(_ p: inout CodePrinter, buffers: [(array: String, name: String)], loop: String) {
        p.print("var g = [S](repeating: 0, count: weightCount)")
        let openings = buffers.map { "\($0.array).withUnsafeBufferPointer { \($0.name) in" } + ["g.withUnsafeMutableBufferPointer { gp in"]
        for opening in openings {
            p.print(opening)
            p.indent()
        }
        p.print(loop)
        for _ in openings {
            p.outdent()
            p.print("}")
        }
        p.print("return g")
    }
}
