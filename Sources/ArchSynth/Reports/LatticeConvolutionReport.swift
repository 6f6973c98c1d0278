import GroupTheory

/// `archsynth basis SPEC --in c*field(ρ) --out c*field(ρ) --support k` on a wallpaper or space
/// group: the steerable stencil kernel basis (`LatticeConvolution`) in text or JSON.
///
/// JSON: `"group"`, `"order"`, `"input"`, `"output"`, `"support"`, `"stencil"` (the offsets),
/// `"kernelDimension"` (per channel pair), `"dimension"` (c_in · c_out · kernelDimension),
/// `"biasDimension"`, `"method"`, `"certificate"`, and `"kernels"`: per basis element, its
/// nonzero entries `[offset index, output row b, input column a, value]`.
public struct LatticeConvolutionReport: Sendable {
    public let group: FiniteGroup
    public let input: String
    public let output: String
    public let support: Int
    public let convolution: LatticeConvolution

    public init(group: FiniteGroup, input: String, output: String, support: Int, convolution: LatticeConvolution) {
        self.group = group
        self.input = input
        self.output = output
        self.support = support
        self.convolution = convolution
    }

    var basisReport: BasisReport {
        BasisReport(group: convolution.pointGroup, input: input, output: output, basis: convolution.kernelBasis)
    }

    public var text: String {
        let c = convolution
        return [
            "group: \(group.name) (order \(group.order)); point group \(c.lattice.pointGroup) (order \(c.lattice.pointOrder))",
            "input: \(input) (\(c.inputChannels) field(s) of dimension \(c.fieldInputDimension)); output: \(output) (\(c.outputChannels) field(s) of dimension \(c.fieldOutputDimension))",
            "stencil: \(support) wide, \(c.stencil.count) offsets",
            "kernel basis: \(c.kernelBasis.dimension) per channel pair (Hom_P(ρ_in, π_S ⊗ ρ_out)); \(c.weightCount) weights, \(c.biasCount) bias parameters",
            "method: \(c.kernelBasis.method.description)",
            "certificate: \(basisReport.certificateText)",
        ].joined(separator: "\n")
    }

    public var json: JSONValue {
        let c = convolution, dOut = c.fieldOutputDimension
        return .object([
            ("group", .string(group.name)), ("order", .string(group.order.description)),
            ("input", .string(input)), ("output", .string(output)), ("support", .int(support)),
            ("stencil", .array(c.stencil.map { .array($0.map { .int($0) }) })),
            ("kernelDimension", .int(c.kernelBasis.dimension)), ("dimension", .int(c.weightCount)),
            ("biasDimension", .int(c.biasCount)), ("method", .string(c.kernelBasis.method.description)),
            ("certificate", .string(c.kernelBasis.crossCheck.certificate)),
            ("kernels", .array(c.kernelBasis.elements.map { e in
                .array(e.entries.map { .array([.int($0.row / dOut), .int($0.row % dOut), .int($0.column), .double($0.value)]) })
            })),
        ])
    }
}
