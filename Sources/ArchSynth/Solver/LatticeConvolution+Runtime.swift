import ArchSynthRuntime
import GroupTheory

extension LatticeConvolution {
    /// The input and output field types as the runtime's `LatticeFieldType` (grid, point
    /// generators' integer matrices, ρ images of the point generators, channels).
    public var runtimeFields: (input: LatticeFieldType, output: LatticeFieldType) {
        let generators = lattice.pointGenerators.map(\.matrix)
        func field(_ channels: Int, _ rho: Representation) -> LatticeFieldType {
            LatticeFieldType(
                sides: lattice.sides, channels: channels, fieldDimension: rho.dimension, pointGenerators: generators,
                generatorImages: rho.realImages.map(\.elements))
        }
        return (field(inputChannels, pointInput), field(outputChannels, pointOutput))
    }

    /// The kernel basis as coordinate lists: K_j(s)[b, a] for entry (j, s, b, a).
    public var runtimeBasis: LatticeKernelBasis {
        var element: [Int32] = [], offset: [Int32] = [], row: [Int32] = [], column: [Int32] = [], value: [Double] = []
        let dOut = fieldOutputDimension
        for (j, e) in kernelBasis.elements.enumerated() {
            for entry in e.entries {
                element.append(Int32(j))
                offset.append(Int32(entry.row / dOut))
                row.append(Int32(entry.row % dOut))
                column.append(Int32(entry.column))
                value.append(entry.value)
            }
        }
        return LatticeKernelBasis(
            count: kernelBasis.dimension, offsetCount: stencil.count, rows: fieldOutputDimension, columns: fieldInputDimension,
            element: element, offset: offset, row: row, column: column, value: value)
    }

    /// The fixed vectors of ρ_out (each d_out values).
    public var runtimeBiasBasis: [[Double]] {
        biasBasis.elements.map { e in
            var v = [Double](repeating: 0, count: fieldOutputDimension)
            for entry in e.entries { v[entry.row] += entry.value }
            return v
        }
    }

    /// The runtime node computing this convolution (what a generated lattice layer holds, built
    /// here without generating code: for templates, experiments and tests).
    public func runtimeNode() -> SteerableLatticeConvolution {
        let f = runtimeFields
        return SteerableLatticeConvolution(input: f.input, output: f.output, stencil: stencil, basis: runtimeBasis, biasBasis: runtimeBiasBasis)
    }
}
