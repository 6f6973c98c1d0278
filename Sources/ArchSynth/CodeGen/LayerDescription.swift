import GroupTheory

/// Everything the layer emitter needs, gathered and validated before anything is printed:
/// the group's name, order and generator names, the input and output representations
/// (whose generator images are embedded in the file) and the solver's basis.
///
/// ```swift
/// let layer = try LayerDescription(typeName: "Perm5", group: s5, input: natural, output: natural,
///                                  inputExpression: "natural", outputExpression: "natural", basis: basis)
/// ```
public struct LayerDescription: Sendable {
    public let typeName: String
    public let groupName: String
    /// |G| as a decimal string (exact for any size).
    public let groupOrder: String
    public let generatorNames: [String]
    public let input: Representation
    public let output: Representation
    public let inputExpression: String
    public let outputExpression: String
    public let basis: EquivariantBasis
    /// Set when the layer is a group convolution (input and output multiples of the regular
    /// representation); the basis is then the one `GroupConvolutionStructure.basis()` builds.
    public private(set) var convolution: GroupConvolutionStructure?

    /// Validates the type name and that the basis and representations fit together.
    public init(
        typeName: String, groupName: String, groupOrder: String, generatorNames: [String],
        input: Representation, output: Representation, inputExpression: String, outputExpression: String,
        basis: EquivariantBasis
    ) throws(CodeGenerationError) {
        try SwiftIdentifier.validateTypeName(typeName)
        guard basis.inputDimension == input.dimension, basis.outputDimension == output.dimension else {
            throw .dimensionMismatch(
                "the basis maps \(basis.inputDimension) → \(basis.outputDimension) coordinates but the representations have dimensions \(input.dimension) → \(output.dimension)")
        }
        guard input.generatorCount == generatorNames.count, output.generatorCount == generatorNames.count else {
            throw .dimensionMismatch(
                "\(generatorNames.count) generators, but the representations have \(input.generatorCount) and \(output.generatorCount) generator images")
        }
        for (i, b) in basis.elements.enumerated() where b.rows != output.dimension || b.columns != input.dimension {
            throw .dimensionMismatch("basis element \(i) is \(b.rows)×\(b.columns), expected \(output.dimension)×\(input.dimension)")
        }
        for (i, b) in basis.biasElements.enumerated() where b.rows != output.dimension || b.columns != 1 {
            throw .dimensionMismatch("bias element \(i) is \(b.rows)×\(b.columns), expected \(output.dimension)×1")
        }
        if let t = basis.tying {
            guard t.inputDimension == input.dimension, t.outputDimension == output.dimension else {
                throw .dimensionMismatch("the tying table is \(t.outputDimension)×\(t.inputDimension)")
            }
        }
        self.typeName = typeName
        self.groupName = groupName
        self.groupOrder = groupOrder
        self.generatorNames = generatorNames
        self.input = input
        self.output = output
        self.inputExpression = inputExpression
        self.outputExpression = outputExpression
        self.basis = basis
    }

    /// Convenience: metadata taken from a validated group.
    public init(
        typeName: String, group: FiniteGroup, input: Representation, output: Representation,
        inputExpression: String, outputExpression: String, basis: EquivariantBasis
    ) throws(CodeGenerationError) {
        try self.init(
            typeName: typeName, groupName: group.name, groupOrder: group.order.description,
            generatorNames: group.generators, input: input, output: output, inputExpression: inputExpression,
            outputExpression: outputExpression, basis: basis)
    }

    /// A group-convolution layer: the basis is built from the structure, without the solver
    /// (so a 64 × 64 grid with 8 channels, 32768 coordinates, takes well under a second).
    /// `nil` when input and output are not multiples of a regular action.
    public static func groupConvolution(
        typeName: String, group: FiniteGroup, input: Representation, output: Representation,
        inputExpression: String, outputExpression: String, support: Int?
    ) throws(CodeGenerationError) -> LayerDescription? {
        guard let order = Int(group.order.description),
              let structure = try GroupConvolutionStructure(input: input, output: output, order: order, support: support)
        else { return nil }
        var layer = try LayerDescription(
            typeName: typeName, group: group, input: input, output: output, inputExpression: inputExpression,
            outputExpression: outputExpression, basis: structure.basis())
        layer.convolution = structure
        return layer
    }

    /// The effective fan-in of the tied basis: (1/d_out) Σ_i ‖B_i‖²_F, so that with i.i.d.
    /// parameters of variance s², Var(y_r) averages s² · fanIn · Var(x). At least 1.
    public var effectiveFanIn: Double {
        guard output.dimension > 0 else { return 1 }
        if let f = basis.factored { return max(1, f.squaredNormSum / Double(output.dimension)) }
        var total = 0.0
        for b in basis.elements { for e in b.entries { total += e.value * e.value } }
        return max(1, total / Double(output.dimension))
    }

    /// Bound of the uniform initializer U(−a, a) with variance 1/fanIn (LeCun, variance-preserving
    /// for a linear layer): a = √(3 / fanIn).
    public var initializationBound: Double { (3 / effectiveFanIn).squareRoot() }
}

/// Constants headed for generated code: exact values are emitted as integer or numerator/denominator
/// literals, reals as the shortest literal that reads back to the same Double.
extension ExactOrReal {
    /// Exact integers with |n| ≤ 2^53 print as themselves.
    var integerValue: Int64? {
        guard case let .exact(r) = self, r.isInteger, r.hasInt64Parts, abs(r.numerator) <= (1 << 53) else { return nil }
        return r.numerator
    }

    var fractionParts: (Int64, Int64)? {
        guard case let .exact(r) = self, r.hasInt64Parts, abs(r.numerator) <= (1 << 53), r.denominator <= (1 << 53) else {
            return nil
        }
        return (r.numerator, r.denominator)
    }

    /// A basis as one sparse list, element after element: entry e adds `value[e]` · θ[`element[e]`]
    /// to W at `position[e]` = row · `inputDimension` + column (row-major).
    static func flattened(_ elements: [BasisMatrix], inputDimension: Int) -> (element: [Int], position: [Int], value: [ExactOrReal]) {
        let element = elements.indices.flatMap { i in Array(repeating: i, count: elements[i].entries.count) }
        let position = elements.flatMap { b in b.entries.map { $0.row * inputDimension + $0.column } }
        return (element, position, elements.flatMap(values(of:)))
    }

    /// The values of a sparse basis matrix, exact when the matrix is.
    static func values(of m: BasisMatrix) -> [ExactOrReal] {
        if let exact = m.exactValues { return exact.map(ExactOrReal.exact) }
        return m.entries.map { e in
            let r = e.value.rounded()
            return r == e.value && abs(r) < 1e15 ? .exact(Rational(Int64(r))) : .real(e.value)
        }
    }
}

extension CodePrinter {
    /// Emits `static let name: [Double]` holding `values`, exactly where possible:
    /// all integers → integer literals; all exact → numerator and denominator arrays
    /// divided once at first use (correctly rounded); otherwise round-trip Float64 literals.
    mutating func printConstants(_ name: String, _ values: [ExactOrReal], access: String = "static let") {
        let integers = values.compactMap(\.integerValue)
        let fractions = values.compactMap(\.fractionParts)
        if integers.count == values.count {
            printIntegers("\(access) \(name)", type: "Double", integers)
        } else if fractions.count == values.count {
            print("/// Exact rationals: \(name)[i] = \(name)Numerators[i] / \(name)Denominators[i].")
            printIntegers("\(access) \(name)Numerators", type: "Double", fractions.map(\.0))
            printIntegers("\(access) \(name)Denominators", type: "Double", fractions.map(\.1))
            print("\(access) \(name): [Double] = zip(\(name)Numerators, \(name)Denominators).map { $0 / $1 }")
        } else {
            printReals("\(access) \(name)", values.map(\.doubleValue))
        }
    }
}
